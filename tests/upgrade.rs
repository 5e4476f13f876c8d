//! In-place upgrades end to end on one real cluster (3 simulated hosts over a real sshd, a
//! real ZooKeeper quorum, 2 JobManagers on h1 and h2, 2 TaskManagers on h2 and h3), Flink 2.1.0 → 2.2.0, with two
//! stateful jobs (the declared `counter` and an ad hoc run of the same jar under another
//! name), chained to keep the suite short:
//!
//! 1. preflight refusals, nothing changed: target distribution missing, a removed key in the
//!    target conf, a running job flinkha cannot resubmit;
//! 2. `upgrade --plan` changes nothing;
//! 3. `upgrade --yes`, SIGKILLed after steps in turn and resumed each time (`--resume`);
//!    while it holds the lock a second flinkha's `stop` and `upgrade` are refused naming
//!    the holder; at every kill no job is stopped without a completed savepoint on record;
//! 4. after it: every per-key count continues exactly after its savepoint, restores
//!    verified, downtime reported, daemons run 2.2.0;
//! 5. `upgrade --rollback` after completion: 2.1.0 again, counts continue from the
//!    pre-upgrade savepoints;
//! 6. a job that fails for real after its restore on 2.2.0 (it throws once there): the
//!    verification sees the restart, `--on-failure rollback` takes every job back to 2.1.0.

#![allow(clippy::print_stderr)] // timings go to the test log

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::cluster::{ClusterLock, TestCluster, json_ok, kill, show};
use common::counts;
use common::upgrade::*;
use serde_json::Value;

const ADDRS: [&str; 3] = ["127.0.5.1", "127.0.5.2", "127.0.5.3"];

#[test]
fn in_place_upgrade_resume_rollback_and_a_failed_verification() {
    let _lock = ClusterLock::acquire();
    let c = TestCluster::new(&ADDRS);
    c.set_workers(&["h2", "h3"]);
    let jar = cached("FLINKHA_TEST_JOB_JAR", "jobs/flinkha-counter-job.jar");
    let tgz22 = cached(
        "FLINKHA_TEST_FLINK_TGZ_2_2_0",
        "dist/flink-2.2.0-bin-scala_2.12.tgz",
    );
    let jar_s = jar.to_str().unwrap();
    let logs = c.dir.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let t_all = Instant::now();

    // The declared job (tag a, 4 keys) and an ad hoc one of the same jar (tag b, 3 keys).
    let dir = c.dir.path().join("counts");
    let dir_s = dir.display().to_string();
    c.edit_inventory(|t| {
        format!(
            "{t}jobs:\n  counter:\n    jar: {jar_s}\n    args: [--rate, '40', --keys, '4', --checkpoint-interval, '1000', --tag, a, --out-dir, {dir_s}]\n"
        )
    });
    json_ok(&c, &["install"]);
    json_ok(&c, &["sync"]);
    c.start_retrying_lost_ports();
    let a1 = json_ok(&c, &["run", "counter"])["job_id"]
        .as_str()
        .unwrap()
        .to_string();
    let b_args = [
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
    ];
    let mut run_b = vec!["run", jar_s];
    run_b.extend(b_args);
    let b1 = json_ok(&c, &run_b)["job_id"].as_str().unwrap().to_string();
    counts::wait(&dir, "a", 4, 0, 10);
    counts::wait(&dir, "b", 3, 0, 10);
    assert_eq!(flink_version(&c), "2.1.0");
    eprintln!(
        "cluster and two jobs up in {:.1} s",
        t_all.elapsed().as_secs_f64()
    );

    // 1. Preflight refusals; nothing changes.
    let inv_21 = std::fs::read_to_string(&c.inventory).unwrap();
    let to_22 = |tgz: &str| {
        inv_21.replace("version: 2.1.0", "version: 2.2.0").replace(
            &format!("path: {}", common::cluster::flink_tgz().display()),
            &format!("path: {tgz}"),
        )
    };
    std::fs::write(
        &c.inventory,
        to_22("/nonexistent/flink-2.2.0-bin-scala_2.12.tgz"),
    )
    .unwrap();
    fails(
        &c,
        &["upgrade", "--plan"],
        1,
        "/nonexistent/flink-2.2.0-bin-scala_2.12.tgz does not exist",
    );
    std::fs::write(&c.inventory, to_22(tgz22.to_str().unwrap())).unwrap();
    let cfg = std::fs::read_to_string(c.conf_file("config.yaml")).unwrap();
    std::fs::write(
        c.conf_file("config.yaml"),
        format!("{cfg}traces:\n  report-events-as-spans: false\n"),
    )
    .unwrap();
    fails(
        &c,
        &["upgrade", "--plan"],
        1,
        "traces.report-events-as-spans",
    );
    std::fs::write(c.conf_file("config.yaml"), &cfg).unwrap();
    // A job submitted behind flinkha's back (plain REST, as the flink CLI would).
    let leader = leader_url(&c);
    let up = Command::new("curl")
        .args([
            "-sf",
            "-X",
            "POST",
            "-F",
            &format!("jarfile=@{jar_s}"),
            &format!("{leader}/jars/upload"),
        ])
        .output()
        .unwrap();
    let up: Value = serde_json::from_slice(&up.stdout).unwrap();
    let jar_id = up["filename"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let ran = Command::new("curl")
        .args([
            "-sf",
            "-X",
            "POST",
            "-H",
            "Content-Type: application/json",
            "-d",
            &format!(r#"{{"programArgsList":["--name","foreign","--keys","2","--tag","f","--out-dir","{dir_s}"]}}"#),
            &format!("{leader}/jars/{jar_id}/run"),
        ])
        .output()
        .unwrap();
    let foreign: Value = serde_json::from_slice(&ran.stdout).unwrap();
    let foreign = foreign["jobid"].as_str().unwrap().to_string();
    counts::wait(&dir, "f", 2, 0, 3);
    fails(
        &c,
        &["upgrade", "--plan"],
        1,
        &format!("job foreign ({foreign}) was not submitted by flinkha"),
    );
    let cancel = Command::new("curl")
        .args([
            "-sf",
            "-o",
            "/dev/null",
            "-X",
            "PATCH",
            &format!("{leader}/jobs/{foreign}?mode=cancel"),
        ])
        .status()
        .unwrap();
    assert!(cancel.success());
    assert!(
        journal(&c, "upgrade").is_none(),
        "a refused preflight wrote a journal"
    );
    for r in &c.roots {
        let cur = std::fs::read_link(r.join("current")).unwrap();
        assert_eq!(
            cur,
            Path::new("flink-2.1.0"),
            "a refused preflight moved current"
        );
    }

    // The inventory wants 2.2.0 while every daemon runs 2.1.0 (as its process says).
    let (_, st) = c.json(&["status"]);
    let pending = st["upgrade_pending"].as_str().unwrap_or_default();
    assert!(
        pending.contains("daemons run Flink 2.1.0 but the inventory's flink.version is 2.2.0"),
        "{st}"
    );

    // 2. The plan changes nothing.
    let out = c.run(&["upgrade", "--plan"]);
    let text = show(&out);
    assert!(out.status.success(), "{text}");
    for needle in [
        "Flink 2.1.0 → 2.2.0 (minor upgrade), 2 job(s)",
        "stop job flinkha-counter-job",
        "stop job adhoc-counter",
        "restart the 3 ZooKeeper servers on flink-2.2.0 one at a time",
        "verify adhoc-counter",
    ] {
        assert!(text.contains(needle), "{needle:?} not in {text}");
    }
    assert!(journal(&c, "upgrade").is_none());

    // 3. The upgrade, SIGKILLed after steps in turn and resumed.
    let t_up = Instant::now();
    let mut child = spawn(
        &c,
        &["upgrade", "--yes", "--on-failure", "stop"],
        &logs.join("up0"),
    );
    // While it runs, the lock keeps a second operator out.
    assert!(
        wait_done(&c, "upgrade", 1, &mut child),
        "{}",
        log_of(&logs.join("up0"))
    );
    let t = fails(
        &c,
        &["stop", "--yes"],
        1,
        "another flinkha is working on this cluster",
    );
    assert!(t.contains("running `flinkha upgrade`"), "{t}");
    let (_, st) = c.json(&["status"]);
    assert_eq!(
        st["lock"]["command"], "upgrade",
        "status does not show the lock: {st}"
    );
    fails(
        &c,
        &["upgrade", "--yes"],
        1,
        "another flinkha is working on this cluster",
    );
    let mut kills = Vec::new();
    let mut pre_upgrade = None;
    // After every step in turn (1..=11 of 12); once, the local journal is deleted as well, so
    // the resume works from the ZooKeeper mirror alone (another operator machine).
    let mut from_mirror = None;
    for (round, after) in (1usize..=11).enumerate() {
        let log = logs.join(format!("up{round}"));
        if !wait_done(&c, "upgrade", after, &mut child) {
            break;
        }
        kill(child.id(), "KILL");
        let _ = child.wait();
        let j = journal(&c, "upgrade").unwrap();
        let done = done_steps(&j);
        kills.push(done.last().cloned().unwrap_or_default());
        eprintln!(
            "killed flinkha after {} step(s): {:?}",
            done.len(),
            done.last()
        );
        assert_no_stop_without_savepoint(&c, &j, &leader_url_or(&c, &leader));
        // Both jobs stopped and not yet resubmitted: what they wrote is their savepoints' state.
        if pre_upgrade.is_none()
            && done.iter().any(|d| d.starts_with("stop-daemons/"))
            && !done.iter().any(|d| d.starts_with("run-job/"))
        {
            pre_upgrade = Some(snapshot(&dir, &["a", "b"]));
        }
        let _ = log;
        if from_mirror.is_none() && done.iter().any(|d| d.starts_with("activate/")) {
            std::fs::remove_file(journal_file(&c, "upgrade")).unwrap();
            from_mirror = Some(round + 1);
        }
        let next = logs.join(format!("up{}", round + 1));
        child = spawn(
            &c,
            &["upgrade", "--resume", "--yes", "--on-failure", "stop"],
            &next,
        );
    }
    let status = child.wait().unwrap();
    let last_log = logs.join(format!("up{}", kills.len()));
    assert!(
        status.success(),
        "the last resume failed: {}",
        log_of(&last_log)
    );
    assert!(kills.len() >= 8, "killed only after {kills:?}");
    let mirror_round = from_mirror.expect("no kill after the activation");
    let resumed = log_of(&logs.join(format!("up{mirror_round}")));
    assert!(
        resumed.contains("resuming the upgrade"),
        "the resume without a local journal did not find the mirror: {resumed}"
    );
    eprintln!(
        "upgrade with {} kills took {:.1} s",
        kills.len(),
        t_up.elapsed().as_secs_f64()
    );
    let j = journal(&c, "upgrade").unwrap();
    assert_eq!(j["state"], "completed", "{j}");
    assert_no_stop_without_savepoint(&c, &j, &leader_url(&c));

    // 4. Everything runs 2.2.0, each job verified, counts continue.
    assert_eq!(flink_version(&c), "2.2.0");
    let versions = daemon_versions(&c);
    assert_eq!(versions.len(), 7, "{versions:?}");
    assert!(versions.iter().all(|v| v == "2.2.0"), "{versions:?}");
    let report = json_ok(&c, &["upgrade", "--rollback", "--plan"]);
    assert_eq!(report["kind"], "rollback-plan", "{report}");
    let pre_upgrade = pre_upgrade.expect("no kill landed while both jobs were stopped");
    counts::wait(&dir, "a", 4, counts::size(&dir, "a"), 5);
    counts::wait(&dir, "b", 3, counts::size(&dir, "b"), 5);
    // Through two stop-with-savepoints, SIGKILLs and resumes and a restart on 2.2.0, every
    // key counts on without a gap or a repeat.
    assert_unbroken(&dir, "a", 4);
    assert_unbroken(&dir, "b", 3);
    let jobs = json_ok(&c, &["jobs", "list"]);
    let running: Vec<&Value> = jobs["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["state"] == "RUNNING")
        .collect();
    assert_eq!(running.len(), 2, "{jobs}");
    assert!(
        running
            .iter()
            .all(|j| j["jid"] != a1.as_str() && j["jid"] != b1.as_str())
    );
    let up_out = std::fs::read_to_string(last_log.with_extension("out")).unwrap_or_default()
        + &std::fs::read_to_string(last_log.with_extension("err")).unwrap_or_default();
    assert!(up_out.contains("upgrade completed"), "{up_out}");
    let pre_upgrade_savepoints: Vec<String> = j["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["phase"] == "done" && e["step"].as_str().unwrap().starts_with("stop-job/"))
        .map(|e| e["outcome"]["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(pre_upgrade_savepoints.len(), 2, "{j}");

    // 5. Rollback after completion: 2.1.0 again, each job from its pre-upgrade savepoint.
    let (a_rb, b_rb) = (counts::size(&dir, "a"), counts::size(&dir, "b"));
    let t_rb = Instant::now();
    let rb = json_ok(&c, &["upgrade", "--rollback", "--yes"]);
    eprintln!("rollback took {:.1} s", t_rb.elapsed().as_secs_f64());
    assert_eq!(rb["state"], "completed", "{rb}");
    assert_eq!(rb["to"], "2.1.0", "{rb}");
    let restored: Vec<&str> = rb["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| {
            assert_eq!(j["verified"], true, "{rb}");
            j["savepoint"].as_str().unwrap()
        })
        .collect();
    let mut want = pre_upgrade_savepoints.clone();
    want.sort();
    let mut got: Vec<String> = restored.iter().map(|s| s.to_string()).collect();
    got.sort();
    assert_eq!(
        got, want,
        "the rollback restored other savepoints than the upgrade took"
    );
    assert_eq!(flink_version(&c), "2.1.0");
    assert!(daemon_versions(&c).iter().all(|v| v == "2.1.0"));
    counts::wait(&dir, "a", 4, counts::size(&dir, "a"), 3);
    counts::wait(&dir, "b", 3, counts::size(&dir, "b"), 3);
    // The state is the pre-upgrade savepoint's: every key resumes right after it, and what
    // 2.2.0 counted since is counted again, as the plan says.
    assert_restored_to(&dir, "a", a_rb, &pre_upgrade["a"]);
    assert_restored_to(&dir, "b", b_rb, &pre_upgrade["b"]);
    assert_eq!(journal(&c, "upgrade").unwrap()["state"], "rolled-back");

    // 6. A job that fails for real after its restore on 2.2.0: verification catches the
    // restart and the upgrade rolls back by itself.
    let marker = c.dir.path().join("failed-once");
    let b_now = running_id(&c, "adhoc-counter");
    let sp = json_ok(
        &c,
        &[
            "stop",
            "--yes",
            &b_now,
            "--savepoint",
            &format!("file://{}/savepoints", c.dir.path().display()),
        ],
    );
    let sp = sp["location"].as_str().unwrap().to_string();
    let mut run_fail = vec!["run", jar_s, "--from-savepoint", &sp];
    let marker_s = marker.display().to_string();
    let mut fail_args = b_args.to_vec();
    fail_args.extend([
        "--fail-once-on-version",
        "2.2.0",
        "--fail-marker",
        &marker_s,
    ]);
    run_fail.extend(fail_args);
    json_ok(&c, &run_fail);
    let log = logs.join("fail");
    let mut child = spawn(&c, &["upgrade", "--yes", "--on-failure", "rollback"], &log);
    // Once stop-daemons is done (and no job resubmitted), both jobs are stopped: what they
    // wrote is their pre-upgrade savepoints' state.
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut pre_fail = None;
    while pre_fail.is_none() {
        if let Some(j) = journal(&c, "upgrade")
            && j["state"] != "rolled-back"
            && done_steps(&j)
                .iter()
                .any(|d| d.starts_with("stop-daemons/"))
            && !done_steps(&j).iter().any(|d| d.starts_with("run-job/"))
        {
            pre_fail = Some((
                snapshot(&dir, &["a", "b"]),
                counts::size(&dir, "a"),
                counts::size(&dir, "b"),
            ));
        }
        assert!(
            Instant::now() < deadline && child.try_wait().unwrap().is_none(),
            "{}",
            log_of(&log)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let (pre_fail, a_f, b_f) = pre_fail.unwrap();
    let status = child.wait().unwrap();
    let text = log_of(&log);
    assert_eq!(status.code(), Some(1), "{text}");
    assert!(marker.exists(), "the job never failed on 2.2.0: {text}");
    assert!(
        text.contains("restarted") || text.contains("did NOT restore"),
        "{text}"
    );
    let rb2 = journal(&c, "rollback").unwrap();
    assert_eq!(rb2["state"], "completed", "{rb2}");
    assert_eq!(journal(&c, "upgrade").unwrap()["state"], "rolled-back");
    assert_eq!(flink_version(&c), "2.1.0");
    assert!(daemon_versions(&c).iter().all(|v| v == "2.1.0"));
    counts::wait(&dir, "a", 4, counts::size(&dir, "a"), 3);
    counts::wait(&dir, "b", 3, counts::size(&dir, "b"), 3);
    assert_restored_to(&dir, "a", a_f, &pre_fail["a"]);
    assert_restored_to(&dir, "b", b_f, &pre_fail["b"]);
    eprintln!("whole test {:.1} s", t_all.elapsed().as_secs_f64());
}
