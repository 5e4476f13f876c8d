//! Helpers of the upgrade tests (in place and shadow): journals, REST reads, background
//! flinkha processes, daemon versions, the stateful job's counts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::cluster::{TestCluster, alive, flinkha_bin, json_ok, show};
use super::counts;

pub fn cached(env: &str, rel: &str) -> PathBuf {
    let p = std::env::var(env)
        .map(PathBuf::from)
        .unwrap_or_else(|_| super::cluster::cache().join(rel));
    assert!(
        p.is_file(),
        "{} is missing: run scripts/prepare-test-env.sh (scripts/test.sh does)",
        p.display()
    );
    p
}

pub fn fails(c: &TestCluster, args: &[&str], code: i32, needle: &str) -> String {
    let out = c.run(args);
    let text = show(&out);
    assert_eq!(out.status.code(), Some(code), "flinkha {args:?}: {text}");
    assert!(
        text.contains(needle),
        "flinkha {args:?}: expected {needle:?} in {text}"
    );
    text
}

pub fn journal_file(c: &TestCluster, op: &str) -> PathBuf {
    c.dir.path().join(format!(
        ".flinkha/t{}.{op}.journal.json",
        std::process::id()
    ))
}

pub fn journal(c: &TestCluster, op: &str) -> Option<Value> {
    let text = std::fs::read_to_string(journal_file(c, op)).ok()?;
    serde_json::from_str(&text).ok()
}

pub fn done_steps(j: &Value) -> Vec<String> {
    j["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["phase"] == "done")
        .map(|e| e["step"].as_str().unwrap().to_string())
        .collect()
}

pub fn catalogue(c: &TestCluster) -> Value {
    serde_json::from_str(&std::fs::read_to_string(c.catalogue_path()).unwrap()).unwrap()
}

/// No job was stopped without a completed savepoint on record: every stop-job step of the
/// journal with a done entry has a completed catalogue record of its trigger id, and every
/// old job that Flink reports FINISHED has one too.
pub fn assert_no_stop_without_savepoint(c: &TestCluster, j: &Value, leader: &str) {
    let cat = catalogue(c);
    let sps = cat["savepoints"].as_array().unwrap();
    let done = done_steps(j);
    for s in j["plan"]["steps"].as_array().unwrap() {
        if s["action"] != "stop-job" {
            continue;
        }
        let trigger = s["trigger_id"].as_str().unwrap();
        let job_id = s["job"]["job_id"].as_str().unwrap();
        let recorded = sps.iter().any(|r| {
            r["trigger_id"] == trigger && r["outcome"] == "completed" && r["path"].is_string()
        });
        if done.contains(&s["id"].as_str().unwrap().to_string()) {
            assert!(
                recorded,
                "step {} done without a completed savepoint: {cat}",
                s["id"]
            );
        }
        let state = rest_get(leader, &format!("/jobs/{job_id}"))
            .map(|v| v["state"].as_str().unwrap_or("").to_string());
        if state.as_deref() == Some("FINISHED") {
            let any = sps
                .iter()
                .any(|r| r["job_id"] == job_id && r["outcome"] == "completed");
            // Flink finished it (stop-with-savepoint): the savepoint completed, and the
            // step either recorded it already or is the one interrupted now (its resume
            // recovers the path from Flink).
            assert!(
                any || !done.contains(&s["id"].as_str().unwrap().to_string()),
                "job {job_id} FINISHED with no completed savepoint recorded: {cat}"
            );
        }
    }
}

pub fn leader_url(c: &TestCluster) -> String {
    let (_, v) = c.json(&["leader", "show"]);
    v["view"]["rest_server"]["address"]
        .as_str()
        .or_else(|| v["rest_server"]["address"].as_str())
        .unwrap_or_else(|| panic!("no rest_server in {v}"))
        .to_string()
}

pub fn rest_get(base: &str, path: &str) -> Option<Value> {
    let out = Command::new("curl")
        .args(["-sf", "--max-time", "10", &format!("{base}{path}")])
        .output()
        .ok()?;
    serde_json::from_slice(&out.stdout).ok()
}

pub fn flink_version(c: &TestCluster) -> String {
    let url = leader_url(c);
    rest_get(&url, "/config").unwrap()["flink-version"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A flinkha process in the background (no TTY), its output kept in files.
pub fn spawn(c: &TestCluster, args: &[&str], log: &Path) -> Child {
    Command::new(flinkha_bin())
        .arg("-c")
        .arg(&c.inventory)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("FLINKHA_CONFIG")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(log.with_extension("out")).unwrap())
        .stderr(std::fs::File::create(log.with_extension("err")).unwrap())
        .spawn()
        .unwrap()
}

/// Wait until the upgrade journal has `n` done steps (or the process ended); true when it
/// got there with the process still running.
pub fn wait_done(c: &TestCluster, op: &str, n: usize, child: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if journal(c, op).is_some_and(|j| done_steps(&j).len() >= n) {
            return child.try_wait().unwrap().is_none();
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        assert!(
            Instant::now() < deadline,
            "{op}: {n} steps not done in time"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub fn log_of(log: &Path) -> String {
    format!(
        "--- stdout\n{}\n--- stderr\n{}",
        std::fs::read_to_string(log.with_extension("out")).unwrap_or_default(),
        std::fs::read_to_string(log.with_extension("err")).unwrap_or_default()
    )
}

/// The running version of every daemon, from `<root>/run` pid files and /proc.
pub fn daemon_versions(c: &TestCluster) -> Vec<String> {
    let mut out = Vec::new();
    for p in c.pids() {
        if !alive(p) {
            continue;
        }
        let cmd = std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        let v = cmd
            .split([':', ' '])
            .find_map(|w| {
                w.rsplit('/')
                    .next()?
                    .strip_prefix("flink-dist-")?
                    .strip_suffix(".jar")
            })
            .unwrap_or("?")
            .to_string();
        out.push(v);
    }
    out
}

/// Per key of `tag`: the counts run 1, 2, 3, ... with no gap, no repeat and no drop: the
/// state continued exactly through every stop-with-savepoint and restore (stop-with-savepoint
/// processes nothing after its savepoint, and the job resumes exactly at its state).
pub fn assert_unbroken(dir: &Path, tag: &str, keys: u32) {
    let m = counts::by_key(&counts::lines(dir, tag), 0);
    assert_eq!(m.len() as u32, keys, "job {tag}: {m:?}");
    for (k, seq) in &m {
        assert_eq!(
            seq.first(),
            Some(&1),
            "job {tag} key {k} did not start at 1"
        );
        for w in seq.windows(2) {
            assert_eq!(
                w[1],
                w[0] + 1,
                "job {tag} key {k}: {} followed {} (never from zero, never skipping, never repeating)",
                w[1],
                w[0]
            );
        }
    }
}

/// Per key of `tag`: after byte offset `since`, the job's final run starts exactly at
/// `restored[key] + 1` (the state of the savepoint restored) and runs on unbroken from there.
/// Whether that run follows a drop (the job ran on the new version first and is counted
/// again) or continues right after the savepoint's count (it had not moved yet), the counts
/// after the last `restored + 1` have no gap, repeat or drop: any other restore shows.
pub fn assert_restored_to(dir: &Path, tag: &str, since: u64, restored: &BTreeMap<u32, u64>) {
    let lines = counts::lines(dir, tag);
    for (k, at) in restored {
        let seq: Vec<&counts::Line> = lines.iter().filter(|l| l.key == *k).collect();
        let start = (0..seq.len())
            .rev()
            .find(|i| seq[*i].offset >= since && seq[*i].count == at + 1)
            .unwrap_or_else(|| {
                panic!("job {tag} key {k}: never resumed at {} (its savepoint's count + 1) after offset {since}", at + 1)
            });
        let run: Vec<u64> = seq[start..].iter().map(|l| l.count).collect();
        assert!(
            run.len() > 1,
            "job {tag} key {k}: no count after the restore"
        );
        for w in run.windows(2) {
            assert_eq!(
                w[1],
                w[0] + 1,
                "job {tag} key {k}: after resuming at {} the counts went {} → {}: another restore",
                at + 1,
                w[0],
                w[1]
            );
        }
    }
}

/// Per tag, per key: the last count written so far (taken while the jobs are stopped).
pub fn snapshot(dir: &Path, tags: &[&str]) -> BTreeMap<String, BTreeMap<u32, u64>> {
    tags.iter()
        .map(|t| {
            (
                t.to_string(),
                counts::last_before(&counts::lines(dir, t), u64::MAX),
            )
        })
        .collect()
}

pub fn leader_url_or(c: &TestCluster, fallback: &str) -> String {
    let (_, v) = c.json(&["leader", "show"]);
    v["view"]["rest_server"]["address"]
        .as_str()
        .or_else(|| v["rest_server"]["address"].as_str())
        .unwrap_or(fallback)
        .to_string()
}

pub fn running_id(c: &TestCluster, name: &str) -> String {
    let jobs = json_ok(c, &["jobs", "list"]);
    jobs["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["name"] == name && j["state"] == "RUNNING")
        .unwrap_or_else(|| panic!("{name} not running: {jobs}"))["jid"]
        .as_str()
        .unwrap()
        .to_string()
}
