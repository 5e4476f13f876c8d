//! Shadow upgrades end to end on one real cluster (3 simulated hosts over a real sshd, a real
//! ZooKeeper quorum, 2 JobManagers on h1 and h2, 2 TaskManagers on h2 and h3), Flink 2.2.0 → 2.3.0 with a second
//! deployment on the same hosts, two stateful jobs (the declared `counter`, tag a, and an ad
//! hoc run of the same jar, tag b, which throws once when it first runs on 2.3.0), chained on
//! the one cluster to keep the suite short:
//!
//! 1. preflight refusals with numbers, nothing changed: not enough memory for the shadow
//!    (process sizes raised past the machine's MemAvailable), no free port in the range given;
//! 2. `upgrade --shadow --plan`: the derived deployment (own cluster-id, REST and HA RPC
//!    ports), nothing changed;
//! 3. `upgrade --shadow --on-failure continue`: b fails for real on the shadow (the
//!    verification sees its exception) and goes back to the old deployment from the same
//!    savepoint, verified; a moves and stays on the shadow; the shadow is not made active;
//!    the report says so; `--rollback` then brings a back too;
//! 4. `upgrade --shadow` again, SIGKILLed during the move of the second job, `--resume`
//!    completes: both counters continue exactly from their savepoints, the old deployment is
//!    still up and empty, `status`, `jobs`, `leader show` follow the shadow;
//! 5. `--finalize` stops the old deployment; every command still talks to the shadow;
//! 6. `--rollback` from the finalized state: the old deployment starts again and both jobs
//!    come back on 2.2.0 from their pre-upgrade savepoints; the shadow is stopped.

#![allow(clippy::print_stderr)] // timings go to the test log

mod common;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::cluster::{ClusterLock, TestCluster, alive, json_ok, kill, show};
use common::counts;
use common::upgrade::*;
use serde_json::Value;

const ADDRS: [&str; 3] = ["127.0.6.1", "127.0.6.2", "127.0.6.3"];

/// The steps of `j` with an entry of `phase`.
fn steps_with(j: &Value, phase: &str) -> Vec<String> {
    j["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["phase"] == phase)
        .map(|e| e["step"].as_str().unwrap().to_string())
        .collect()
}

/// Running jobs (name → id) of a `jobs` array (flinkha's `jobs list`, Flink's
/// `/jobs/overview`: both name them `name` and `jid`).
fn running_in(jobs: &Value) -> BTreeMap<String, String> {
    jobs["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["state"] == "RUNNING")
        .map(|j| {
            (
                j["name"].as_str().unwrap().to_string(),
                j["jid"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Running jobs (name → id) as flinkha sees them on the active deployment.
fn running(c: &TestCluster) -> BTreeMap<String, String> {
    running_in(&json_ok(c, &["jobs", "list"]))
}

/// Running jobs (name → id) on the REST endpoint `base`.
fn running_at(base: &str) -> BTreeMap<String, String> {
    running_in(&rest_get(base, "/jobs/overview").unwrap())
}

/// Watch the upgrade journal while `child` runs: per tag, the counts written once its job's
/// stop-job step is done and before its run step is (its savepoint's state). `kill_at`: once
/// the intent of a second step whose id starts with it is written, flinkha is SIGKILLed. A journal with id `old_id` (the
/// previous upgrade's) is not looked at.
fn watch(
    c: &TestCluster,
    child: &mut std::process::Child,
    dir: &std::path::Path,
    jobs: &[(&str, &str)],
    kill_at: Option<&str>,
    old_id: Option<&Value>,
) -> (BTreeMap<String, BTreeMap<u32, u64>>, bool) {
    let deadline = Instant::now() + Duration::from_secs(600);
    let mut saved = BTreeMap::new();
    let mut killed = false;
    loop {
        if let Some(j) = journal(c, "upgrade").filter(|j| Some(&j["id"]) != old_id) {
            let done = done_steps(&j);
            for (job, tag) in jobs {
                let stopped = done
                    .iter()
                    .any(|d| d.starts_with(&format!("stop-job/{job}@")));
                let run = done
                    .iter()
                    .any(|d| d.starts_with(&format!("run-job/{job}@")));
                if stopped && !run && !saved.contains_key(*tag) {
                    saved.insert(
                        tag.to_string(),
                        counts::last_before(&counts::lines(dir, tag), u64::MAX),
                    );
                }
            }
            if let Some(k) = kill_at
                && !killed
                && steps_with(&j, "intent")
                    .iter()
                    .filter(|s| s.starts_with(k))
                    .collect::<std::collections::BTreeSet<_>>()
                    .len()
                    >= 2
            {
                kill(child.id(), "KILL");
                let _ = child.wait();
                killed = true;
                return (saved, killed);
            }
        }
        if child.try_wait().unwrap().is_some() {
            return (saved, killed);
        }
        assert!(Instant::now() < deadline, "the upgrade did not end in time");
        std::thread::sleep(Duration::from_millis(40));
    }
}

/// `n` consecutive ports nobody listens on, held open by listeners on every interface.
fn occupied_range(n: u16) -> (u16, u16, Vec<TcpListener>) {
    for _ in 0..200 {
        let base = TcpListener::bind("0.0.0.0:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if base > u16::MAX - n {
            continue;
        }
        let held: Vec<TcpListener> = (base..base + n)
            .filter_map(|p| TcpListener::bind(("0.0.0.0", p)).ok())
            .collect();
        if held.len() == n as usize {
            return (base, base + n - 1, held);
        }
    }
    panic!("no {n} consecutive free ports");
}

fn deployment_pids(c: &TestCluster, deployment: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for r in &c.roots {
        let d = if deployment == "primary" {
            r.join("run")
        } else {
            r.join("deployments").join(deployment).join("run")
        };
        for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.ends_with(".pid") && !name.contains("zookeeper") {
                let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                out.extend(text.lines().filter_map(|l| l.trim().parse::<u32>().ok()));
            }
        }
    }
    out
}

#[test]
fn shadow_upgrade_move_back_resume_finalize_and_rollback() {
    let _lock = ClusterLock::acquire();
    let c = TestCluster::new(&ADDRS);
    c.set_workers(&["h2", "h3"]);
    let jar = cached("FLINKHA_TEST_JOB_JAR", "jobs/flinkha-counter-job.jar");
    let tgz22 = cached(
        "FLINKHA_TEST_FLINK_TGZ_2_2_0",
        "dist/flink-2.2.0-bin-scala_2.12.tgz",
    );
    let tgz23 = cached(
        "FLINKHA_TEST_FLINK_TGZ_2_3_0",
        "dist/flink-2.3.0-bin-scala_2.12.tgz",
    );
    let jar_s = jar.to_str().unwrap();
    let logs = c.dir.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let t_all = Instant::now();
    let dir = c.dir.path().join("counts");
    let dir_s = dir.display().to_string();
    let marker = c.dir.path().join("failed-once");
    let marker_s = marker.display().to_string();
    let tgz21 = common::cluster::flink_tgz().display().to_string();
    c.edit_inventory(|t| {
        format!(
            "{}jobs:\n  counter:\n    jar: {jar_s}\n    args: [--rate, '40', --keys, '4', --checkpoint-interval, '1000', --tag, a, --out-dir, {dir_s}]\n",
            t.replace("version: 2.1.0", "version: 2.2.0")
                .replace(&format!("path: {tgz21}"), &format!("path: {}", tgz22.display()))
        )
    });
    json_ok(&c, &["install"]);
    json_ok(&c, &["sync"]);
    c.start_retrying_lost_ports();
    let a1 = json_ok(&c, &["run", "counter"])["job_id"]
        .as_str()
        .unwrap()
        .to_string();
    let b_run = [
        "run",
        jar_s,
        "--",
        "--name",
        "adhoc-counter",
        "--rate",
        "30",
        "--keys",
        "3",
        "--checkpoint-interval",
        "1000",
        "--tag",
        "b",
        "--out-dir",
        &dir_s,
        "--fail-once-on-version",
        "2.3.0",
        "--fail-marker",
        &marker_s,
    ];
    let b1 = json_ok(&c, &b_run)["job_id"].as_str().unwrap().to_string();
    counts::wait(&dir, "a", 4, 0, 10);
    counts::wait(&dir, "b", 3, 0, 10);
    let old_leader = leader_url(&c);
    eprintln!(
        "cluster on 2.2.0 and two jobs up in {:.1} s",
        t_all.elapsed().as_secs_f64()
    );

    // The inventory wants 2.3.0.
    c.edit_inventory(|t| {
        t.replace("version: 2.2.0", "version: 2.3.0").replace(
            &format!("path: {}", tgz22.display()),
            &format!("path: {}", tgz23.display()),
        )
    });

    // 1. Preflight refusals with numbers; nothing changes.
    let cfg = c.conf_file("config.yaml");
    let cfg_text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, cfg_text.replace("size: 1024m", "size: 64g")).unwrap();
    let text = fails(
        &c,
        &["upgrade", "--shadow", "--plan"],
        1,
        "not enough memory",
    );
    assert!(
        text.contains("MiB") && text.contains("MemAvailable is") && text.contains("one machine"),
        "{text}"
    );
    std::fs::write(&cfg, &cfg_text).unwrap();
    let (lo, hi, held) = occupied_range(3);
    let range = format!("{lo}-{hi}");
    let text = fails(
        &c,
        &["upgrade", "--shadow", "--plan", "--shadow-ports", &range],
        1,
        "no free port",
    );
    assert!(
        text.contains(&range) && text.contains("3 port(s)"),
        "{text}"
    );
    drop(held);
    assert!(journal(&c, "upgrade").is_none());

    // 2. The plan: the derived deployment, nothing changed.
    let plan = json_ok(&c, &["upgrade", "--shadow", "--plan"]);
    assert_eq!(plan["kind"], "shadow-upgrade-plan", "{plan}");
    let keys = &plan["preflight"]["derived"]["layout"]["keys"];
    let shadow_id = format!("/test-{}-v2.3.0", std::process::id());
    assert_eq!(
        keys["h1"]["high-availability.cluster-id"],
        shadow_id.as_str(),
        "{plan}"
    );
    let old_rest = old_leader.rsplit(':').next().unwrap().to_string();
    assert_ne!(
        keys["h1"]["rest.port"].as_str().unwrap(),
        old_rest,
        "{plan}"
    );
    assert!(
        keys["h2"]["high-availability.jobmanager.port"].is_string(),
        "{plan}"
    );
    assert!(keys["h3"].get("rest.port").is_none(), "{plan}");
    assert!(journal(&c, "upgrade").is_none());
    assert!(!c.roots[0].join("deployments").exists());

    // 3. b fails on the shadow for real and goes back; a stays moved.
    let (a_sz, b_sz) = (counts::size(&dir, "a"), counts::size(&dir, "b"));
    let log = logs.join("fail");
    let t = Instant::now();
    let mut child = spawn(
        &c,
        &["upgrade", "--shadow", "--yes", "--on-failure", "continue"],
        &log,
    );
    let (saved, _) = watch(
        &c,
        &mut child,
        &dir,
        &[("flinkha-counter-job", "a"), ("adhoc-counter", "b")],
        None,
        None,
    );
    let status = child.wait().unwrap();
    let text = log_of(&log);
    eprintln!(
        "shadow upgrade with a failed move took {:.1} s",
        t.elapsed().as_secs_f64()
    );
    assert_eq!(status.code(), Some(1), "{text}");
    assert!(marker.exists(), "b never failed on 2.3.0: {text}");
    assert!(text.contains("moving adhoc-counter back"), "{text}");
    let j = journal(&c, "upgrade").unwrap();
    assert_eq!(j["state"], "failed", "{j}");
    let done = done_steps(&j);
    assert!(
        done.iter()
            .any(|d| d.starts_with("verify-job/flinkha-counter-job@")),
        "{j}"
    );
    assert!(
        done.iter()
            .any(|d| d.starts_with("verify-job-back/adhoc-counter@")),
        "{j}"
    );
    assert!(
        steps_with(&j, "skipped")
            .iter()
            .any(|s| s.starts_with("activate/")),
        "{j}"
    );
    // Where each job runs now: a on the shadow, b on the old deployment (2.2.0).
    let shadow_leader = leader_url(&c);
    assert_eq!(
        shadow_leader, old_leader,
        "the old deployment stays active: {text}"
    );
    let st = json_ok(&c, &["status"]);
    assert_eq!(st["deployment"], "primary", "{st}");
    let old_jobs = running_at(&old_leader);
    assert!(
        old_jobs.contains_key("adhoc-counter") && !old_jobs.contains_key("flinkha-counter-job"),
        "{old_jobs:?}"
    );
    let keys = &j["params"]["shadow"]["keys"];
    let shadow_rest = format!(
        "http://{}:{}",
        ADDRS[0],
        keys["h1"]["rest.port"].as_str().unwrap()
    );
    let shadow_rest2 = format!(
        "http://{}:{}",
        ADDRS[1],
        keys["h2"]["rest.port"].as_str().unwrap()
    );
    let on_shadow = rest_get(&shadow_rest, "/jobs/overview")
        .map(|_| running_at(&shadow_rest))
        .unwrap_or_else(|| running_at(&shadow_rest2));
    assert!(
        on_shadow.contains_key("flinkha-counter-job") && !on_shadow.contains_key("adhoc-counter"),
        "{on_shadow:?}"
    );
    // The report says which job moved and which went back.
    assert!(text.contains("moved back"), "{text}");
    assert!(text.contains(&shadow_id), "{text}");
    counts::wait(&dir, "a", 4, counts::size(&dir, "a"), 3);
    counts::wait(&dir, "b", 3, counts::size(&dir, "b"), 3);
    // a continued exactly from its savepoint on the shadow; b, back on 2.2.0 from the same
    // savepoint, resumed exactly at it (what it counted on 2.3.0 is counted again).
    assert_restored_to(&dir, "a", a_sz, &saved["a"]);
    assert_restored_to(&dir, "b", b_sz, &saved["b"]);
    fails(&c, &["upgrade", "--resume", "--yes"], 1, "--rollback");

    // ... and the rollback brings a back too and stops the shadow.
    let t = Instant::now();
    let rb = json_ok(&c, &["upgrade", "--rollback", "--yes"]);
    eprintln!(
        "rollback of the failed shadow upgrade took {:.1} s",
        t.elapsed().as_secs_f64()
    );
    assert_eq!(rb["state"], "completed", "{rb}");
    assert!(deployment_pids(&c, "v2.3.0").iter().all(|p| !alive(*p)));
    let now = running(&c);
    assert_eq!(now.len(), 2, "{now:?}");

    // 4. Again, SIGKILLed during the move of the second job; --resume completes.
    let first_id = journal(&c, "upgrade").unwrap()["id"].clone();
    let (a_sz, b_sz) = (counts::size(&dir, "a"), counts::size(&dir, "b"));
    let log = logs.join("up");
    let t = Instant::now();
    let mut child = spawn(
        &c,
        &["upgrade", "--shadow", "--yes", "--on-failure", "stop"],
        &log,
    );
    let (mut saved, killed) = watch(
        &c,
        &mut child,
        &dir,
        &[("flinkha-counter-job", "a"), ("adhoc-counter", "b")],
        Some("run-job/"),
        Some(&first_id),
    );
    assert!(killed, "{}", log_of(&log));
    let j = journal(&c, "upgrade").unwrap();
    // No job is ever stopped without a completed savepoint: both stop steps are recorded.
    assert_no_stop_without_savepoint(&c, &j, &old_leader);
    let log2 = logs.join("resume");
    let mut child = spawn(
        &c,
        &["upgrade", "--resume", "--yes", "--on-failure", "stop"],
        &log2,
    );
    let (more, _) = watch(
        &c,
        &mut child,
        &dir,
        &[("flinkha-counter-job", "a"), ("adhoc-counter", "b")],
        None,
        Some(&first_id),
    );
    for (k, v) in more {
        saved.entry(k).or_insert(v);
    }
    let status = child.wait().unwrap();
    let text = log_of(&log2);
    eprintln!(
        "shadow upgrade with a kill took {:.1} s",
        t.elapsed().as_secs_f64()
    );
    assert_eq!(status.code(), Some(0), "{text}");
    let j = journal(&c, "upgrade").unwrap();
    assert_eq!(j["state"], "completed", "{j}");
    // Every command follows the shadow now.
    let st = json_ok(&c, &["status"]);
    assert_eq!(st["deployment"], "v2.3.0", "{st}");
    assert_eq!(st["cluster_id"], shadow_id.as_str(), "{st}");
    assert_eq!(st["previous"]["state"], "standby", "{st}");
    assert_eq!(st["previous"]["deployment"], "primary", "{st}");
    assert!(
        st["previous"]["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["probe"]["daemons"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["state"] == "up")),
        "the old deployment is not up: {st}"
    );
    assert!(
        st["previous"]["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|j| j["state"] != "RUNNING"),
        "the old deployment still runs a job: {st}"
    );
    let leader = json_ok(&c, &["leader", "show"]);
    assert!(leader.to_string().contains(&shadow_id), "{leader}");
    assert_eq!(flink_version(&c), "2.3.0");
    let moved = running(&c);
    assert_eq!(moved.len(), 2, "{moved:?}");
    assert!(running_at(&old_leader).is_empty());
    // Each job ran once: one RUNNING instance of each name on the shadow, none on the old.
    counts::wait(&dir, "a", 4, counts::size(&dir, "a"), 3);
    counts::wait(&dir, "b", 3, counts::size(&dir, "b"), 3);
    assert_restored_to(&dir, "a", a_sz, &saved["a"]);
    assert_restored_to(&dir, "b", b_sz, &saved["b"]);
    assert!(
        text.contains(&shadow_id),
        "the report names the new cluster-id: {text}"
    );
    let pre_upgrade: Vec<String> = j["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["phase"] == "done" && e["step"].as_str().unwrap().starts_with("stop-job/"))
        .map(|e| e["outcome"]["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(pre_upgrade.len(), 2, "{j}");
    // A new upgrade is refused while the old deployment stands by.
    fails(&c, &["upgrade", "--shadow", "--yes"], 1, "--finalize");

    // 5. Finalize: the old deployment stops; the shadow keeps everything.
    let old_pids = deployment_pids(&c, "primary");
    assert!(!old_pids.is_empty());
    let fin = json_ok(&c, &["upgrade", "--finalize", "--yes"]);
    assert_eq!(fin["state"], "completed", "{fin}");
    assert!(fin["side_by_side_ms"].as_u64().unwrap() > 0, "{fin}");
    assert!(old_pids.iter().all(|p| !alive(*p)), "old daemons still run");
    let st = json_ok(&c, &["status"]);
    assert_eq!(st["previous"]["state"], "stopped", "{st}");
    assert_eq!(st["quorum_serving"], true, "{st}");
    assert_eq!(running(&c).len(), 2);

    // 6. Rollback from the finalized state: 2.2.0 again, from the pre-upgrade savepoints.
    let snapshot_pre = saved.clone();
    let (a_rb, b_rb) = (counts::size(&dir, "a"), counts::size(&dir, "b"));
    let t = Instant::now();
    let rb = json_ok(&c, &["upgrade", "--rollback", "--yes"]);
    eprintln!(
        "rollback after finalize took {:.1} s",
        t.elapsed().as_secs_f64()
    );
    assert_eq!(rb["state"], "completed", "{rb}");
    let mut restored: Vec<String> = rb["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| {
            assert_eq!(j["verified"], true, "{rb}");
            j["savepoint"].as_str().unwrap().to_string()
        })
        .collect();
    restored.sort();
    let mut want = pre_upgrade.clone();
    want.sort();
    assert_eq!(restored, want, "the rollback restored other savepoints");
    let st = json_ok(&c, &["status"]);
    assert_eq!(st["deployment"], "primary", "{st}");
    assert!(st["previous"].is_null(), "{st}");
    assert_eq!(flink_version(&c), "2.2.0");
    assert!(deployment_pids(&c, "v2.3.0").iter().all(|p| !alive(*p)));
    counts::wait(&dir, "a", 4, counts::size(&dir, "a"), 3);
    counts::wait(&dir, "b", 3, counts::size(&dir, "b"), 3);
    assert_restored_to(&dir, "a", a_rb, &snapshot_pre["a"]);
    assert_restored_to(&dir, "b", b_rb, &snapshot_pre["b"]);
    assert!(!running(&c).values().any(|id| *id == a1 || *id == b1));
    let _ = show;
    eprintln!("whole test {:.1} s", t_all.elapsed().as_secs_f64());
}
