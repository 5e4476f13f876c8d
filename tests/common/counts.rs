//! Reading the stateful test job's output to prove that state survived.
//!
//! Run with `--out-dir DIR --tag T`, the job appends `job=T key=K count=N` per record to
//! `DIR/T.log` (the TaskManagers' `.out` files are truncated when a TaskManager starts again,
//! so they can't show what happened across a restart). With parallelism 1 the file is in
//! processing order: per key, an unbroken `+1` sequence means the state continued exactly; a
//! drop means the job went back to older state (a restore from an older savepoint, or a
//! restart from a checkpoint).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// One line of a job's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// Byte offset of the line in the file.
    pub offset: u64,
    /// Key.
    pub key: u32,
    /// Count.
    pub count: u64,
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

/// Every complete line of `dir/<tag>.log`.
pub fn lines(dir: &Path, tag: &str) -> Vec<Line> {
    let bytes = std::fs::read(dir.join(format!("{tag}.log"))).unwrap_or_default();
    let mut out = Vec::new();
    let mut offset = 0u64;
    for chunk in bytes.split_inclusive(|b| *b == b'\n') {
        if chunk.ends_with(b"\n")
            && let Some((_, key, count)) = parse_line(&String::from_utf8_lossy(chunk))
        {
            out.push(Line { offset, key, count });
        }
        offset += chunk.len() as u64;
    }
    out
}

/// Size of `dir/<tag>.log` now.
pub fn size(dir: &Path, tag: &str) -> u64 {
    std::fs::metadata(dir.join(format!("{tag}.log")))
        .map(|m| m.len())
        .unwrap_or(0)
}

/// Per key, the counts in file order from `since` (a byte offset) on.
pub fn by_key(lines: &[Line], since: u64) -> BTreeMap<u32, Vec<u64>> {
    let mut out: BTreeMap<u32, Vec<u64>> = BTreeMap::new();
    for l in lines.iter().filter(|l| l.offset >= since) {
        out.entry(l.key).or_default().push(l.count);
    }
    out
}

/// Per key, the last count before `upto` (a byte offset).
pub fn last_before(lines: &[Line], upto: u64) -> BTreeMap<u32, u64> {
    let mut out = BTreeMap::new();
    for l in lines.iter().filter(|l| l.offset < upto) {
        out.insert(l.key, l.count);
    }
    out
}

/// Wait until each of `keys` keys of `tag` has at least `n` lines after offset `since`.
pub fn wait(dir: &Path, tag: &str, keys: u32, since: u64, n: usize) -> BTreeMap<u32, Vec<u64>> {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let m = by_key(&lines(dir, tag), since);
        if m.len() as u32 >= keys && m.values().all(|v| v.len() >= n) {
            return m;
        }
        assert!(
            Instant::now() < deadline,
            "job {tag}: not every one of {keys} keys printed {n} counts after offset {since}: {m:?}"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}
