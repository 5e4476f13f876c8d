//! Job operations end to end on a real cluster (3 simulated hosts over a real sshd, a real
//! ZooKeeper quorum, 2 JobManagers, 3 TaskManagers of Flink 2.1.0) with the stateful test job
//! (`tests/job`: per-key counters in keyed state, printed as `key=K count=N` to the
//! TaskManagers' .out files).
//!
//! run → counts advance → savepoint → cancel -s → run from that savepoint (restore verified,
//! counters continue) → stop --savepoint --drain → run from `latest` → failovers (during a
//! savepoint, the drills, during a run waiting for RUNNING); plus the refusals and
//! error messages along the way.

#![allow(clippy::print_stderr)] // timings go to the test log

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::cluster::{ClusterLock, TestCluster, json_ok, show};
use common::counts;
use serde_json::Value;

const ADDRS: [&str; 3] = ["127.0.4.1", "127.0.4.2", "127.0.4.3"];

fn job_jar() -> PathBuf {
    let p = std::env::var("FLINKHA_TEST_JOB_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| common::cluster::cache().join("jobs/flinkha-counter-job.jar"));
    assert!(
        p.is_file(),
        "{} is missing: run scripts/prepare-test-env.sh",
        p.display()
    );
    p
}

/// Every TaskManager .out file with its current length.
fn out_files(c: &TestCluster) -> BTreeMap<PathBuf, u64> {
    let mut out = BTreeMap::new();
    for r in &c.roots {
        let Ok(rd) = std::fs::read_dir(r.join("log")) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "out") {
                out.insert(p.clone(), e.metadata().map(|m| m.len()).unwrap_or(0));
            }
        }
    }
    out
}

/// Per key: (min, max) count printed after the `since` offsets.
fn counts_since(c: &TestCluster, since: &BTreeMap<PathBuf, u64>) -> BTreeMap<u32, (u64, u64)> {
    let mut out: BTreeMap<u32, (u64, u64)> = BTreeMap::new();
    for p in out_files(c).keys() {
        let bytes = std::fs::read(p).unwrap_or_default();
        let from = since.get(p).copied().unwrap_or(0) as usize;
        let text = String::from_utf8_lossy(&bytes[from.min(bytes.len())..]).into_owned();
        for line in text.lines() {
            let mut key = None;
            let mut count = None;
            for w in line.split_whitespace() {
                if let Some(k) = w.strip_prefix("key=") {
                    key = k.parse::<u32>().ok();
                } else if let Some(n) = w.strip_prefix("count=") {
                    count = n.parse::<u64>().ok();
                }
            }
            if let (Some(k), Some(n)) = (key, count) {
                let e = out.entry(k).or_insert((n, n));
                e.0 = e.0.min(n);
                e.1 = e.1.max(n);
            }
        }
    }
    out
}

/// Wait until every one of `keys` keys printed a count ≥ `at_least` since `since`.
fn wait_counts(
    c: &TestCluster,
    since: &BTreeMap<PathBuf, u64>,
    keys: u32,
    at_least: u64,
) -> BTreeMap<u32, (u64, u64)> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let m = counts_since(c, since);
        if m.len() as u32 == keys && m.values().all(|(_, max)| *max >= at_least) {
            return m;
        }
        assert!(
            Instant::now() < deadline,
            "counts did not reach {at_least} for all {keys} keys: {m:?}"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn stderr_of(c: &TestCluster, args: &[&str]) -> (i32, String) {
    let out = c.run(args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned() + &show(&out),
    )
}

#[test]
fn savepoint_cancel_restore_stop_of_a_stateful_job() {
    let _lock = ClusterLock::acquire();
    let c = TestCluster::new(&ADDRS);
    let jar = job_jar();
    let jar_s = jar.to_str().unwrap();
    let root = c.dir.path().display().to_string();
    const KEYS: u32 = 4;
    let job_args = [
        "--",
        "--rate",
        "40",
        "--keys",
        "4",
        "--checkpoint-interval",
        "1000",
    ];

    // The job declared in the inventory: the first run is by name.
    let mut inv = std::fs::read_to_string(&c.inventory).unwrap();
    inv.push_str(&format!(
        "jobs:\n  counter:\n    jar: {jar_s}\n    args: [{}]\n",
        job_args[1..].join(", ")
    ));
    std::fs::write(&c.inventory, inv).unwrap();

    json_ok(&c, &["install"]);
    json_ok(&c, &["sync"]);
    // JobManager hosts bind all interfaces (jar runs reach the BlobServer), others their own.
    let cfg1 = std::fs::read_to_string(c.roots[0].join("conf/config.yaml")).unwrap();
    assert!(cfg1.contains("jobmanager.bind-host: 0.0.0.0"), "{cfg1}");
    assert!(
        cfg1.contains(&format!("rest.bind-address: {}", ADDRS[0])),
        "{cfg1}"
    );
    let cfg3 = std::fs::read_to_string(c.roots[2].join("conf/config.yaml")).unwrap();
    assert!(
        cfg3.contains(&format!("jobmanager.bind-host: {}", ADDRS[2])),
        "{cfg3}"
    );
    // Another process takes h1's REST port between the pick and the JobManager's bind (as a
    // busy machine's other tests can): the JobManager fails to bind, start fails fast with
    // its log, and the harness moves every port and starts again.
    let rest_port = c.ports.lock().unwrap()[3];
    let squatter = std::net::TcpListener::bind(("0.0.0.0", rest_port)).unwrap();
    let t0 = Instant::now();
    let (_, moved) = c.start_retrying_lost_ports();
    drop(squatter);
    assert_eq!(moved, 1, "the taken REST port {rest_port} was not noticed");
    assert_ne!(c.ports.lock().unwrap()[3], rest_port);
    eprintln!(
        "cluster started in {:.1} s (one start lost its REST port)",
        t0.elapsed().as_secs_f64()
    );

    // No jobs yet; bad input is refused clearly.
    let v = json_ok(&c, &["jobs", "list"]);
    assert_eq!(v["jobs"].as_array().unwrap().len(), 0, "{v}");
    let (code, err) = stderr_of(&c, &["run", "/nonexistent/job.jar"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("/nonexistent/job.jar does not exist"), "{err}");

    // A name that is neither a jar nor a declared job is a usage error (exit 2).
    let (code, err) = stderr_of(&c, &["run", "countr"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("declared jobs: counter"), "{err}");

    // run (by its declared name): uploads, runs, waits until every vertex is RUNNING.
    let t = Instant::now();
    let run1 = json_ok(&c, &["run", "counter"]);
    eprintln!("run took {:.1} s", t.elapsed().as_secs_f64());
    let job1 = run1["job_id"].as_str().unwrap().to_string();
    assert_eq!(run1["job_name"], "flinkha-counter-job", "{run1}");
    assert!(run1["restored_from"].is_null(), "{run1}");
    assert_eq!(run1["adopted"], false, "{run1}");
    assert!(run1["vertices"].as_u64().unwrap() >= 2, "{run1}");

    // Counts advance.
    let start_offsets = BTreeMap::new();
    wait_counts(&c, &start_offsets, KEYS, 20);

    // jobs list / show; names resolve by name and id prefix; unknown names suggest.
    let v = json_ok(&c, &["jobs", "list"]);
    let jobs = v["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 1, "{v}");
    assert_eq!(jobs[0]["jid"], job1.as_str());
    assert_eq!(jobs[0]["state"], "RUNNING");
    let v = json_ok(&c, &["jobs", "show", &job1[..8]]);
    assert_eq!(v["details"]["jid"], job1.as_str(), "{v}");
    let v = json_ok(&c, &["jobs", "show", "flinkha-counter-job"]);
    assert_eq!(v["details"]["state"], "RUNNING", "{v}");
    let (code, err) = stderr_of(&c, &["jobs", "show", "flinkha-countr-job"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("did you mean flinkha-counter-job"), "{err}");

    // Dynamic completion of job arguments asks the real leader (found through ZooKeeper's
    // rest_server znode) within its 1 s limit; the picker in a pseudo-terminal lists the job.
    let complete = |words: &[&str]| {
        let out = std::process::Command::new(common::cluster::flinkha_bin())
            .env("COMPLETE", "bash")
            .env("_CLAP_COMPLETE_INDEX", (words.len() + 2).to_string())
            .args(["--", "flinkha", "-c"])
            .arg(&c.inventory)
            .args(words)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        complete(&["savepoint", "flinkha-"]),
        ["flinkha-counter-job"]
    );
    assert_eq!(complete(&["stop", &job1[..6]]), [job1.as_str()]);
    let mut cmd = std::process::Command::new(common::cluster::flinkha_bin());
    cmd.arg("-c")
        .arg(&c.inventory)
        .args(["jobs", "show"])
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    let mut p = rexpect::session::spawn_with_options(
        cmd,
        rexpect::session::Options::new()
            .timeout_ms(Some(60_000))
            .strip_ansi_escape_codes(true),
    )
    .unwrap();
    p.exp_string(&format!("flinkha-counter-job  {job1}  RUNNING"))
        .unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    let shown = p.exp_eof().unwrap();
    assert!(
        shown.contains(&format!("flinkha-counter-job ({job1})\nstate: RUNNING"))
            || shown.contains(&format!("flinkha-counter-job ({job1})\r\nstate: RUNNING")),
        "{shown}"
    );
    // --dry-run of savepoint, cancel -s and stop JOB: the one-step plan with its trigger id;
    // nothing triggered (the catalogue below holds only the real savepoint, the job runs on
    // to be cancelled), nothing journaled.
    for (args, kind, action) in [
        (
            vec!["savepoint", "flinkha-counter-job", "--dry-run"],
            "savepoint-plan",
            "savepoint",
        ),
        (
            vec!["cancel", "-s", job1.as_str(), "--dry-run"],
            "cancel-plan",
            "cancel",
        ),
        (
            vec!["stop", job1.as_str(), "--drain", "--dry-run"],
            "stop-job-plan",
            "stop",
        ),
    ] {
        let v = json_ok(&c, &args);
        assert_eq!(v["kind"], kind, "{v}");
        let step = &v["steps"][0];
        assert_eq!(step["action"], "savepoint-job", "{v}");
        assert_eq!(step["job_id"], job1.as_str(), "{v}");
        assert_eq!(step["kind"], action, "{v}");
        assert_eq!(step["trigger_id"].as_str().unwrap().len(), 32, "{v}");
        let journal = c.dir.path().join(format!(
            ".flinkha/t{}.{}.journal.json",
            std::process::id(),
            v["operation"].as_str().unwrap()
        ));
        assert!(!journal.exists(), "a dry run wrote {}", journal.display());
    }

    // savepoint: completes, the job keeps running, the catalogue records it.
    let before_sp = counts_since(&c, &start_offsets);
    let t = Instant::now();
    let sp1 = json_ok(&c, &["savepoint", "flinkha-counter-job"]);
    eprintln!("savepoint took {:.2} s", t.elapsed().as_secs_f64());
    let sp1_path = sp1["location"].as_str().unwrap().to_string();
    assert!(sp1_path.contains(&format!("{root}/savepoints")), "{sp1}");
    assert_eq!(sp1["job_state"], "RUNNING", "{sp1}");
    assert_eq!(sp1["kind"], "savepoint");
    let cat = json_ok(&c, &["savepoints", "list"]);
    let recs = cat["savepoints"].as_array().unwrap();
    assert_eq!(recs.len(), 1, "{cat}");
    assert_eq!(recs[0]["outcome"], "completed");
    assert_eq!(recs[0]["path"], sp1_path.as_str());
    assert_eq!(recs[0]["flink_version"], "2.1.0");
    assert_eq!(
        recs[0]["jar"],
        std::fs::canonicalize(&jar).unwrap().to_str().unwrap()
    );
    // It carries the spec of the run (the declared job), recorded when it was submitted.
    let spec = &recs[0]["spec"];
    assert_eq!(spec["declared"], "counter", "{cat}");
    assert_eq!(spec["jar"], recs[0]["jar"], "{cat}");
    assert_eq!(spec["jar_sha256"].as_str().unwrap().len(), 64, "{cat}");
    assert_eq!(spec["args"][0], "--rate", "{cat}");

    // cancel: only with -s; without a TTY only with --yes; then cancel with savepoint.
    let (code, err) = stderr_of(&c, &["cancel", &job1]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("only with a savepoint"), "{err}");
    let (code, err) = stderr_of(&c, &["cancel", "-s", &job1]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--yes"), "{err}");
    let cancel_dir = format!("file://{root}/sp-cancel");
    let before_cancel = counts_since(&c, &start_offsets);
    let t = Instant::now();
    let sp2 = json_ok(&c, &["cancel", "-s", &cancel_dir, &job1, "--yes"]);
    eprintln!("cancel -s took {:.2} s", t.elapsed().as_secs_f64());
    let sp2_path = sp2["location"].as_str().unwrap().to_string();
    assert!(
        sp2_path.contains(&format!("{root}/sp-cancel/savepoint-")),
        "{sp2}"
    );
    assert_eq!(sp2["job_state"], "CANCELED", "{sp2}");
    // job1 has ended: its last count per key. The cancel's savepoint holds, per key, a count
    // at least what was printed before the cancel was asked for, at most that last one.
    let job1_last = counts_since(&c, &start_offsets);

    // A savepoint of a job that is not running is refused, nothing done.
    let (code, err) = stderr_of(&c, &["savepoint", &job1]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("is CANCELED, not RUNNING"), "{err}");

    // run from that savepoint: restore verified; counters continue where they were.
    let offsets = out_files(&c);
    let t = Instant::now();
    let mut args = vec!["run", jar_s, "--from-savepoint", &sp2_path];
    args.extend(job_args);
    let run2 = json_ok(&c, &args);
    eprintln!("run from savepoint took {:.1} s", t.elapsed().as_secs_f64());
    let job2 = run2["job_id"].as_str().unwrap().to_string();
    assert_eq!(run2["restored_from"], sp2_path.as_str(), "{run2}");
    let v = json_ok(&c, &["jobs", "show", &job2]);
    assert_eq!(
        v["checkpoints"]["latest"]["restored"]["external_path"],
        sp2_path.as_str(),
        "{v}"
    );
    let after = wait_counts(&c, &offsets, KEYS, 1);
    for (k, (first_new, _)) in &after {
        // The first count after the restore continues the savepoint actually restored: not
        // from 1 (state lost), not from sp1's older state, not past job1's end.
        let (lo, hi) = (before_cancel[k].1 + 1, job1_last[k].1 + 1);
        assert!(
            (lo..=hi).contains(first_new),
            "key {k}: restored job's first count {first_new}, expected {lo}..={hi} (printed before the cancel: {}, job1's last: {}; sp1 had at most {}): {after:?}",
            before_cancel[k].1,
            job1_last[k].1,
            before_sp[k].1
        );
    }

    // stop with savepoint (drain): the job ends FINISHED, the savepoint is recorded.
    let stop_dir = format!("{root}/sp-stop");
    let t = Instant::now();
    let sp3 = json_ok(
        &c,
        &["stop", &job2, "--savepoint", &stop_dir, "--drain", "--yes"],
    );
    eprintln!(
        "stop --savepoint --drain took {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let sp3_path = sp3["location"].as_str().unwrap().to_string();
    assert!(
        sp3_path.contains(&format!("{stop_dir}/savepoint-")),
        "{sp3}"
    );
    assert_eq!(sp3["job_state"], "FINISHED", "{sp3}");
    assert_eq!(sp3["kind"], "stop");

    // run from `latest`: the newest savepoint of a job run with the same spec (the jar given
    // by path, not the declared job): the stop savepoint.
    let before_latest = counts_since(&c, &offsets);
    let offsets = out_files(&c);
    let mut args = vec!["run", jar_s, "--from-savepoint", "latest"];
    args.extend(job_args);
    // Its counts also go to a file that outlives TaskManager restarts (the failover drill
    // below reads them with tests/common/counts.rs).
    let out_dir = format!("{root}/out");
    // While this file exists the job's snapshots wait (the kill during a savepoint below).
    let hold = format!("{root}/hold-snapshots");
    args.extend([
        "--out-dir",
        &out_dir,
        "--tag",
        "t3",
        "--hold-snapshots-while",
        &hold,
    ]);
    let run3 = json_ok(&c, &args);
    assert_eq!(run3["restored_from"], sp3_path.as_str(), "{run3}");
    let after = wait_counts(&c, &offsets, KEYS, 1);
    for (k, (first_new, _)) in &after {
        // Stop-with-savepoint ends the job at its savepoint (nothing processed after it):
        // the restored job continues exactly after job2's last count.
        assert_eq!(
            *first_new,
            before_latest[k].1 + 1,
            "key {k}: after the restore from latest ({sp3_path}) the first count is {first_new}, job2 ended at {}: {after:?}",
            before_latest[k].1
        );
    }

    // The catalogue has all three, in order, and jobs list shows the history.
    let cat = json_ok(&c, &["savepoints", "list"]);
    let kinds: Vec<&str> = cat["savepoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["savepoint", "cancel", "stop"], "{cat}");
    let v = json_ok(&c, &["jobs", "list"]);
    let states: BTreeMap<String, String> = v["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| {
            (
                j["jid"].as_str().unwrap().to_string(),
                j["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(states[&job1], "CANCELED");
    assert_eq!(states[&job2], "FINISHED");
    assert_eq!(states[run3["job_id"].as_str().unwrap()], "RUNNING");
    // A name shared by finished and running jobs resolves to the running one.
    let v = json_ok(&c, &["jobs", "show", "flinkha-counter-job"]);
    assert_eq!(v["details"]["jid"], run3["job_id"], "{v}");

    // prune: a dry run shows the plan (all but the newest), then the disposal deletes the
    // files through the JobManager and marks them in the catalogue.
    let local = |p: &str| PathBuf::from(p.trim_start_matches("file:"));
    let v = json_ok(&c, &["savepoints", "prune", "--keep", "1", "--dry-run"]);
    let plan: Vec<&str> = v["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(plan, [sp1_path.as_str(), sp2_path.as_str()], "{v}");
    assert!(local(&sp1_path).exists());
    let v = json_ok(&c, &["savepoints", "prune", "--keep", "1", "--yes"]);
    let disposals = v["disposals"].as_array().unwrap();
    assert_eq!(disposals.len(), 2, "{v}");
    assert!(disposals.iter().all(|d| d["disposed"] == true), "{v}");
    assert!(!local(&sp1_path).exists(), "{sp1_path} still there");
    assert!(!local(&sp2_path).exists(), "{sp2_path} still there");
    assert!(local(&sp3_path).exists(), "{sp3_path} was pruned");
    let cat = json_ok(&c, &["savepoints", "list"]);
    let disposed = cat["savepoints"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["disposed_ms"].is_u64())
        .count();
    assert_eq!(disposed, 2, "{cat}");

    // Restoring from a path that is no savepoint fails loudly with Flink's reason.
    let mut args = vec![
        "run",
        jar_s,
        "--from-savepoint",
        "file:///nonexistent/savepoint-x",
    ];
    args.extend(job_args);
    // Jobs in any state but a globally terminal one (INITIALIZING, CREATED, RESTARTING,
    // RUNNING, ...): a failed submission must leave none behind.
    let running = |c: &TestCluster| -> Vec<String> {
        json_ok(c, &["jobs", "list"])["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|j| {
                !matches!(
                    j["state"].as_str(),
                    Some("FINISHED" | "CANCELED" | "FAILED")
                )
            })
            .map(|j| j["jid"].as_str().unwrap().to_string())
            .collect()
    };
    let running_before = running(&c);
    let (code, err) = stderr_of(&c, &args);
    assert_eq!(code, 1, "{err}");
    // Flink's own cause (AbstractFsCheckpointStorageAccess.resolveCheckpointPointer), not
    // just any message that echoes the path; and no job of that submission is left running.
    assert!(
        err.contains("Cannot find checkpoint or savepoint file/directory"),
        "{err}"
    );
    assert_eq!(running(&c), running_before, "{err}");

    // Failover: kill -9 the leading JobManager while a savepoint is in flight (the job holds
    // its snapshots while the hold file exists, so the savepoint cannot complete before the
    // kill). flinkha follows the leadership to the standby, which never saw the trigger, waits
    // for the recovered job, triggers again with the same trigger id and completes the
    // savepoint there; the catalogue gets exactly one record for it.
    let job3 = run3["job_id"].as_str().unwrap().to_string();
    let (leader, leader_pid) = leader_and_pid(&c);
    let sp_dir = PathBuf::from(&root).join("savepoints");
    let prefix = format!("savepoint-{}", &job3[..6]);
    let existing = |d: &PathBuf| -> Vec<PathBuf> {
        std::fs::read_dir(d)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| {
                        p.file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let before: Vec<PathBuf> = existing(&sp_dir);
    let records_before = json_ok(&c, &["savepoints", "list"])["savepoints"]
        .as_array()
        .unwrap()
        .len();
    std::fs::write(&hold, "").unwrap();
    let t = Instant::now();
    // `-v` traces every REST request with its URL: the status polls name the trigger id
    // (`GET .../savepoints/<trigger id>`) and the JobManager asked.
    let child = c.spawn(&["-v", "-o", "json", "savepoint", &job3, "--timeout", "180s"]);
    // Kill once the savepoint's directory appears (it is created at the trigger).
    let in_flight_dir = loop {
        if let Some(d) = existing(&sp_dir).into_iter().find(|p| !before.contains(p)) {
            break d;
        }
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "no savepoint directory appeared under {}",
            sp_dir.display()
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !in_flight_dir.join("_metadata").exists(),
        "the savepoint completed before the kill: {}",
        in_flight_dir.display()
    );
    common::cluster::kill(leader_pid, "KILL");
    std::fs::remove_file(&hold).unwrap();
    eprintln!(
        "killed leader {leader} (pid {leader_pid}) {:.2} s after the savepoint started, while {} had no _metadata",
        t.elapsed().as_secs_f64(),
        in_flight_dir.display()
    );
    let out = child.wait_with_output().unwrap();
    eprintln!(
        "savepoint across the failover took {:.1} s",
        t.elapsed().as_secs_f64()
    );
    assert!(out.status.success(), "{}", show(&out));
    let sp4: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sp4_path = sp4["location"].as_str().unwrap();
    assert!(local(sp4_path).join("_metadata").is_file(), "{sp4}");
    assert_eq!(sp4["job_state"], "RUNNING", "{sp4}");
    let (other, other_addr) = standby_of(&c, &leader);
    // status exits non-zero now (the killed JobManager is down): only read the leader.
    let (_, st) = c.json(&["status"]);
    assert_eq!(st["leader"]["host"], other, "{st}");
    let cat = json_ok(&c, &["savepoints", "list"]);
    let recs = cat["savepoints"].as_array().unwrap();
    assert_eq!(recs.len(), records_before + 1, "{cat}");
    assert_eq!(recs.last().unwrap()["path"], sp4_path, "{cat}");
    assert_eq!(recs.last().unwrap()["outcome"], "completed", "{cat}");
    // The same trigger id throughout (the catalogue's and the result's), the savepoint served
    // by the standby, and the killed attempt's directory reported as partial.
    assert_eq!(
        recs.last().unwrap()["trigger_id"],
        sp4["trigger_id"],
        "{cat}\n{sp4}"
    );
    // The trigger id flinkha polled the killed leader with before the kill is the one it
    // polled the standby with after it (the retry reused it), and nothing else was polled.
    let trace = String::from_utf8_lossy(&out.stderr);
    let (_, leader_addr) = standby_of(&c, other);
    let polls: Vec<(String, String)> = trace
        .lines()
        .filter_map(|l| {
            let url = l
                .split_whitespace()
                .find(|w| w.starts_with("http") && w.contains("/savepoints/"))?;
            let id = url.rsplit('/').next()?.to_string();
            let host = url.split("://").nth(1)?.split(':').next()?.to_string();
            Some((host, id))
        })
        .collect();
    let trigger = sp4["trigger_id"].as_str().unwrap();
    assert!(
        polls.iter().any(|(h, _)| *h == leader_addr) && polls.iter().any(|(h, _)| *h == other_addr),
        "status polls of both JobManagers ({leader_addr}, then {other_addr}): {polls:?}\n{trace}"
    );
    assert!(
        polls.iter().all(|(_, id)| id == trigger),
        "one trigger id {trigger} throughout: {polls:?}"
    );
    assert!(
        sp4["leader"].as_str().unwrap().contains(&other_addr),
        "served by {other} ({other_addr}): {sp4}"
    );
    assert_eq!(
        sp4["partial_savepoints"],
        serde_json::json!([in_flight_dir.display().to_string()]),
        "{sp4}"
    );

    failover_drills(&c, &job3, &PathBuf::from(&out_dir), other);
    let job4 = run_across_a_leader_kill(&c, &job3, jar_s, &job_args, &root);

    // `stop --with-savepoints`: the running job is stopped with a savepoint (recorded in the
    // catalogue, its files there), then every daemon; nothing is left running.
    let pids = c.pids();
    assert!(!pids.is_empty());
    let plan = json_ok(&c, &["stop", "--with-savepoints", "--dry-run"]);
    let ids: Vec<&str> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids[0], format!("stop/{job4}"), "{plan}");
    assert!(
        ids[1..].iter().all(|i| i.starts_with("stop-daemons/")),
        "{plan}"
    );
    let v = json_ok(&c, &["stop", "--with-savepoints", "--yes"]);
    let cat = json_ok(&c, &["savepoints", "list"]);
    let last = cat["savepoints"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (&last["job_id"], &last["kind"], &last["outcome"]),
        (
            &Value::from(job4.as_str()),
            &Value::from("stop"),
            &Value::from("completed")
        ),
        "{cat}"
    );
    assert!(
        local(last["path"].as_str().unwrap())
            .join("_metadata")
            .is_file(),
        "{last}"
    );
    for p in &pids {
        assert!(
            !common::cluster::alive(*p),
            "pid {p} still alive after stop --with-savepoints: {v}"
        );
    }
}

/// The other JobManager host (of h1, h2) than `leader`, and its address.
fn standby_of(c: &TestCluster, leader: &str) -> (&'static str, String) {
    if leader == "h1" {
        ("h2", c.addrs[1].clone())
    } else {
        ("h1", c.addrs[0].clone())
    }
}

/// The leading JobManager's host and pid, from `status`.
fn leader_and_pid(c: &TestCluster) -> (String, u32) {
    let st = json_ok(c, &["status"]);
    let leader = st["leader"]["host"].as_str().unwrap().to_string();
    let (_, pid) = jobmanager_of(&st, &leader);
    (leader, pid.expect("leader pid") as u32)
}

/// The leading JobManager killed while `run` waits for RUNNING: job `job` (counting into
/// `out/t3.log`) is stopped with a savepoint, run again from it with its counter held in
/// `initializeState` (so no task of it can be RUNNING yet), and the leader is killed with
/// SIGKILL once the catalogue records the submission. The standby recovers the job from the
/// HA store; `run` follows the leadership, waits, and verifies the restore there: it succeeds,
/// the catalogue has one run record, verified, restored from that savepoint, and the counts
/// continue exactly after the stopped job's. Returns the new job's id.
fn run_across_a_leader_kill(
    c: &TestCluster,
    job: &str,
    jar: &str,
    job_args: &[&str],
    root: &str,
) -> String {
    let out = PathBuf::from(root).join("out");
    let dir = format!("{root}/sp-runkill");
    let sp = json_ok(c, &["stop", job, "--savepoint", &dir, "--yes"]);
    assert_eq!(sp["job_state"], "FINISHED", "{sp}");
    let sp_path = sp["location"].as_str().unwrap().to_string();
    let t3 = counts::lines(&out, "t3");
    let last = counts::last_before(&t3, u64::MAX);
    assert_eq!(last.len(), 4, "{last:?}");

    let (leader, pid) = leader_and_pid(c);
    let (other, other_addr) = standby_of(c, &leader);
    let catalogue = c.catalogue_path();
    let runs = |f: &std::path::Path| -> Vec<Value> {
        std::fs::read_to_string(f)
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            .and_then(|v| v["runs"].as_array().cloned())
            .unwrap_or_default()
    };
    let runs_before = runs(&catalogue).len();
    let hold = format!("{root}/hold-init");
    std::fs::write(&hold, "").unwrap();
    let out_s = out.display().to_string();
    let mut args = vec![
        "-o",
        "json",
        "run",
        jar,
        "--from-savepoint",
        &sp_path,
        "--timeout",
        "180s",
    ];
    args.extend(job_args);
    args.extend([
        "--out-dir",
        &out_s,
        "--tag",
        "t4",
        "--hold-init-while",
        &hold,
    ]);
    let t = Instant::now();
    let mut child = c.spawn(&args);
    let submitted = loop {
        let r = runs(&catalogue);
        if r.len() > runs_before {
            break r[runs_before].clone();
        }
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "no run recorded as submitted in {}",
            catalogue.display()
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    assert_eq!(submitted["state"], "submitted", "{submitted}");
    let job4 = submitted["job_id"].as_str().unwrap().to_string();
    assert!(
        child.try_wait().unwrap().is_none(),
        "run ended before the kill, though its job cannot be RUNNING yet"
    );
    common::cluster::kill(pid, "KILL");
    let killed_at = t.elapsed();
    std::fs::remove_file(&hold).unwrap();
    eprintln!(
        "killed leader {leader} (pid {pid}) {:.2} s after run started, while its job {job4} was submitted and held in initializeState",
        killed_at.as_secs_f64()
    );
    let done = child.wait_with_output().unwrap();
    eprintln!(
        "run across the leader kill: done {:.1} s after the kill",
        (t.elapsed() - killed_at).as_secs_f64()
    );
    assert!(done.status.success(), "{}", show(&done));
    let run: Value = serde_json::from_slice(&done.stdout).unwrap();
    assert_eq!(run["job_id"], job4.as_str(), "{run}");
    assert_eq!(run["restored_from"], sp_path.as_str(), "{run}");
    assert_eq!(run["adopted"], false, "{run}");
    assert!(
        run["leader"].as_str().unwrap().contains(&other_addr),
        "verified at the new leader {other} ({other_addr}): {run}"
    );
    // One record of it, verified, restored from the savepoint asked for.
    let after = runs(&catalogue);
    let mine: Vec<&Value> = after
        .iter()
        .filter(|r| r["job_id"] == job4.as_str())
        .collect();
    assert_eq!(mine.len(), 1, "{after:?}");
    assert_eq!(mine[0]["state"], "verified", "{after:?}");
    assert_eq!(mine[0]["restored_from"], sp_path.as_str(), "{after:?}");
    let v = json_ok(c, &["jobs", "show", &job4]);
    assert_eq!(v["details"]["state"], "RUNNING", "{v}");
    assert_eq!(
        v["checkpoints"]["latest"]["restored"]["external_path"],
        sp_path.as_str(),
        "{v}"
    );
    // The counts go on exactly after the stopped job's (stop-with-savepoint ends it at its
    // savepoint): neither from 1 (state lost) nor from an older snapshot.
    let first = counts::wait(&out, "t4", 4, 0, 1);
    for (k, counts) in &first {
        assert_eq!(
            counts[0],
            last[k] + 1,
            "key {k}: the job run across the kill starts at {}, the stopped job ended at {}: {first:?}",
            counts[0],
            last[k]
        );
    }
    job4
}

/// The latest completed checkpoint id of `job` (0 when none).
fn latest_checkpoint(c: &TestCluster, job: &str) -> u64 {
    let v = json_ok(c, &["jobs", "show", job]);
    v["checkpoints"]["latest"]["completed"]["id"]
        .as_u64()
        .unwrap_or(0)
}

/// The JobManager of `host` in a `status` document: (state, pid).
fn jobmanager_of(st: &Value, host: &str) -> (String, Option<u64>) {
    let d = st["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["host"] == host)
        .flat_map(|h| {
            h["probe"]["daemons"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .find(|d| d["role"] == "jobmanager")
        .expect("a jobmanager entry");
    (d["state"].as_str().unwrap().to_string(), d["pid"].as_u64())
}

/// `flinkha failover drill` on the running cluster (job `job` counting into `out/t3.log`,
/// `leader` leading, the other JobManager killed by the step before): the refusals, a
/// JobManager drill, then a ZooKeeper drill.
fn failover_drills(c: &TestCluster, job: &str, out: &std::path::Path, leader: &str) {
    let t_all = Instant::now();
    let (killed_before, _) = standby_of(c, leader);
    // One JobManager running: refused, nothing killed, the reason says what to do.
    let (code, err) = stderr_of(c, &["failover", "drill", "--yes"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("1 JobManager(s) running"), "{err}");
    assert!(err.contains("flinkha start --jobmanagers"), "{err}");
    json_ok(c, &["start", "--jobmanagers", "--host", killed_before]);

    // Without --yes and without a terminal: refused, mentioning --yes; the leader lives on.
    let st = json_ok(c, &["status"]);
    let (_, leader_pid) = jobmanager_of(&st, leader);
    let (code, err) = stderr_of(c, &["failover", "drill"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--yes"), "{err}");
    assert!(
        err.contains(&format!("pid {}", leader_pid.unwrap())),
        "the plan names the pid: {err}"
    );
    assert!(common::cluster::alive(leader_pid.unwrap() as u32));

    // Counts printed before `offset` are all in the checkpoint two checkpoints later (with
    // one checkpoint at a time, checkpoint c0+2 was triggered after c0+1 completed, which
    // was after `offset` was read).
    let offset = counts::size(out, "t3");
    let last = counts::last_before(&counts::lines(out, "t3"), offset);
    assert_eq!(last.len(), 4, "{last:?}");
    let c0 = latest_checkpoint(c, job);
    let t = Instant::now();
    while latest_checkpoint(c, job) < c0 + 2 {
        assert!(t.elapsed() < Duration::from_secs(30), "no new checkpoints");
        std::thread::sleep(Duration::from_millis(300));
    }

    // The JobManager drill.
    let t = Instant::now();
    let d = json_ok(c, &["failover", "drill", "--yes", "--timeout", "90s"]);
    eprintln!(
        "failover drill took {:.1} s: {d}",
        t.elapsed().as_secs_f64()
    );
    assert_eq!(d["kind"], "failover-drill", "{d}");
    assert_eq!(d["ok"], true, "{d}");
    assert_eq!(d["killed"]["host"], leader, "{d}");
    assert_eq!(d["killed"]["role"], "jobmanager", "{d}");
    assert_eq!(d["killed"]["signal"], "SIGKILL", "{d}");
    assert_eq!(d["leader_after"]["host"], killed_before, "{d}");
    assert_eq!(d["leader_changed"], true, "{d}");
    assert_eq!(d["taskmanagers_expected"], 3, "{d}");
    assert_eq!(d["taskmanagers_registered"], 3, "{d}");
    let jobs = d["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 1, "{d}");
    assert_eq!(jobs[0]["job_id"], job, "{d}");
    assert_eq!(jobs[0]["running_after"], true, "{d}");
    let restored = &jobs[0]["restored"];
    let restored_id = restored["id"].as_u64().unwrap();
    assert!(
        restored_id >= c0 + 2 && restored_id > 0,
        "restored {restored_id}, c0 {c0}: {d}"
    );
    assert_eq!(restored["is_savepoint"], false, "{d}");
    assert!(
        restored["external_path"].as_str().unwrap().contains("chk-"),
        "{d}"
    );
    // Times: present and in the order things must happen. The old leader's znodes outlive
    // it until its ZooKeeper session expires (6 s here), so the new leader can't be at once.
    let t_ms = |k: &str| d[k].as_u64().unwrap_or_else(|| panic!("{k} missing: {d}"));
    let (leader_ms, rest_ms, tms_ms, jobs_ms) = (
        t_ms("new_leader_ms"),
        t_ms("leader_rest_ms"),
        t_ms("taskmanagers_ms"),
        t_ms("jobs_ms"),
    );
    assert!(leader_ms >= 1000, "{d}");
    assert!(
        leader_ms <= rest_ms && rest_ms <= tms_ms && rest_ms <= jobs_ms,
        "{d}"
    );
    assert_eq!(jobs[0]["running_ms"].as_u64(), Some(jobs_ms), "{d}");
    let restart = &d["restart"];
    assert_eq!(restart["host"], leader, "{d}");
    assert_eq!(restart["standby"], true, "{d}");
    let started = restart["started_ms"].as_u64().unwrap();
    let ready = restart["ready_ms"].as_u64().unwrap();
    assert!(tms_ms.max(jobs_ms) <= started && started < ready, "{d}");
    assert!(
        ready <= t_ms("total_ms") && jobs_ms < t_ms("timeout_ms"),
        "{d}"
    );
    eprintln!(
        "drill: new leader {leader_ms} ms, REST {rest_ms} ms, TaskManagers {tms_ms} ms, job RUNNING {jobs_ms} ms (checkpoint {restored_id}), restarted JobManager ready {ready} ms"
    );
    // status shows the killed JobManager up again (the pid the drill started), not leading.
    let st = json_ok(c, &["status"]);
    assert_eq!(st["leader"]["host"], killed_before, "{st}");
    let (state, pid) = jobmanager_of(&st, leader);
    assert_eq!(state, "up", "{st}");
    assert_eq!(pid, restart["pid"].as_u64(), "{st}");
    assert_ne!(pid, leader_pid, "{st}");
    assert!(common::cluster::alive(pid.unwrap() as u32));
    // The counts went on from the restored checkpoint: nothing printed after `offset` is at
    // or below what was printed before it (a restart from empty state would print 1, 2, ...),
    // and they keep advancing after the drill.
    let after = counts::wait(out, "t3", 4, counts::size(out, "t3"), 2);
    let since = counts::by_key(&counts::lines(out, "t3"), offset);
    for (k, before) in &last {
        let min = since[k].iter().min().unwrap();
        assert!(
            min > before,
            "key {k}: count {min} after the drill, {before} before: state went back ({since:?})"
        );
        assert!(after[k][0] > *before, "key {k}: {after:?}");
    }

    // The ZooKeeper drill (the quorum leader by default): the quorum serves again, the job
    // runs after it, the server is back.
    let t = Instant::now();
    let z = json_ok(
        c,
        &[
            "failover",
            "drill",
            "--zookeeper",
            "--yes",
            "--timeout",
            "90s",
        ],
    );
    eprintln!(
        "zookeeper drill took {:.1} s: {z}",
        t.elapsed().as_secs_f64()
    );
    assert_eq!(z["ok"], true, "{z}");
    assert_eq!(z["killed"]["role"], "zookeeper", "{z}");
    assert_eq!(z["killed"]["zk_mode"], "leader", "{z}");
    let q_ms = z["quorum_ms"].as_u64().unwrap();
    assert!(q_ms < z["timeout_ms"].as_u64().unwrap(), "{z}");
    assert_ne!(z["quorum_leader"], z["killed"]["zk_id"], "{z}");
    let zr = &z["restart"];
    assert!(
        ["follower", "leader"].contains(&zr["mode"].as_str().unwrap()),
        "{z}"
    );
    assert!(zr["ready_ms"].as_u64().unwrap() > q_ms, "{z}");
    assert_eq!(z["jobs"][0]["running_after"], true, "{z}");
    eprintln!(
        "zookeeper drill: quorum serving after {q_ms} ms, Flink leader changed: {}, job restored again: {}, server rejoined after {} ms",
        z["leader_changed"], z["jobs"][0]["restarted"], zr["ready_ms"]
    );
    let zs = json_ok(c, &["zk", "status"]);
    assert_eq!(zs["serving"], true, "{zs}");
    assert!(
        zs["servers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| !s["status"].is_null()),
        "every server answers: {zs}"
    );
    assert!(
        z["taskmanagers_expected"].is_null(),
        "not measured by a ZooKeeper drill: {z}"
    );
    let v = json_ok(c, &["jobs", "show", job]);
    assert_eq!(v["details"]["state"], "RUNNING", "{v}");
    eprintln!(
        "failover drill steps took {:.1} s",
        t_all.elapsed().as_secs_f64()
    );
}
