//! Reading the stateful test job's output (`[job=T ]key=K count=N` lines in the TaskManagers'
//! `.out` files) to prove that state survived.
//!
//! flink-daemon.sh rotates a daemon's `.out` file when the daemon starts again (`.out` →
//! `.out.1` → `.out.2` ...), so generation 0 is what the running TaskManagers printed,
//! generation 1 what the ones before the last restart printed, and so on.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::cluster::TestCluster;

/// `(tag, key)` → (smallest, largest) count seen.
pub type Counts = BTreeMap<(String, u32), (u64, u64)>;

/// The `.out` files of generation `generation` (0: `.out`, N: `.out.N`) under every host's `log/`.
pub fn out_files(c: &TestCluster, generation: u32) -> Vec<PathBuf> {
    let suffix = if generation == 0 {
        ".out".to_string()
    } else {
        format!(".out.{generation}")
    };
    let mut out = Vec::new();
    for r in &c.roots {
        let Ok(rd) = std::fs::read_dir(r.join("log")) else {
            continue;
        };
        for e in rd.flatten() {
            if e.file_name().to_string_lossy().ends_with(&suffix) {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

/// Parse one output line: (tag, key, count).
pub fn parse_line(line: &str) -> Option<(String, u32, u64)> {
    let (mut tag, mut key, mut count) = (String::new(), None, None);
    for w in line.split_whitespace() {
        if let Some(t) = w.strip_prefix("job=") {
            tag = t.to_string();
        } else if let Some(k) = w.strip_prefix("key=") {
            key = k.parse().ok();
        } else if let Some(n) = w.strip_prefix("count=") {
            count = n.parse().ok();
        }
    }
    Some((tag, key?, count?))
}

/// Per (tag, key): the smallest and largest count in `files`.
pub fn counts(files: &[PathBuf]) -> Counts {
    let mut out = Counts::new();
    for p in files {
        let text = String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
        for line in text.lines() {
            if let Some((t, k, n)) = parse_line(line) {
                let e = out.entry((t, k)).or_insert((n, n));
                e.0 = e.0.min(n);
                e.1 = e.1.max(n);
            }
        }
    }
    out
}

/// Counts of generation `generation`.
pub fn generation(c: &TestCluster, n: u32) -> Counts {
    counts(&out_files(c, n))
}

/// Only the entries of `tag`.
pub fn of(c: &Counts, tag: &str) -> BTreeMap<u32, (u64, u64)> {
    c.iter()
        .filter(|((t, _), _)| t == tag)
        .map(|((_, k), v)| (*k, *v))
        .collect()
}

/// Wait until every key `0..keys` of `tag` printed a count ≥ `at_least` in the current
/// `.out` files; returns their counts.
pub fn wait(c: &TestCluster, tag: &str, keys: u32, at_least: u64) -> BTreeMap<u32, (u64, u64)> {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let m = of(&generation(c, 0), tag);
        if m.len() as u32 == keys && m.values().all(|(_, max)| *max >= at_least) {
            return m;
        }
        assert!(
            Instant::now() < deadline,
            "counts of job {tag:?} did not reach {at_least} for all {keys} keys: {m:?}"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}
