//! End to end on a real cluster: 3 simulated hosts (loopback addresses, each with its own
//! install root, reached only over a real sshd), a real ZooKeeper quorum, 2 real JobManagers
//! and 3 real TaskManagers of Flink 2.1.0.
//!
//! install → install again (skipped) → sync → sync again (nothing) → start → status →
//! doctor (clean, then each injected fault found) → leader show → kill -9 the leader (watch sees the failover) → the other one leads → start
//! brings the killed one back as standby → stop leaves no process → start with one ZooKeeper
//! server killed while the quorum forms (fails naming it, nothing else started) → start again → stop.

#![allow(clippy::print_stderr)] // timings of the real cluster go to the test log

mod common;

use std::time::{Duration, Instant};

use common::cluster::{TestCluster, alive, kill, show};
use serde_json::Value;

const ADDRS: [&str; 3] = ["127.0.2.1", "127.0.2.2", "127.0.2.3"];

fn daemons(status: &Value) -> Vec<(String, String, String, Option<u64>)> {
    let mut out = Vec::new();
    for h in status["hosts"].as_array().unwrap() {
        let host = h["host"].as_str().unwrap().to_string();
        for d in h["probe"]["daemons"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            out.push((
                host.clone(),
                d["role"].as_str().unwrap().to_string(),
                d["state"].as_str().unwrap().to_string(),
                d["pid"].as_u64(),
            ));
        }
    }
    out
}

fn leader_host(c: &TestCluster) -> Option<String> {
    let (_, v) = c.json(&["leader", "show"]);
    v["leader_host"].as_str().map(str::to_string)
}

fn jm_pid(status: &Value, host: &str) -> u32 {
    daemons(status)
        .into_iter()
        .find(|(h, r, _, _)| h == host && r == "jobmanager")
        .and_then(|d| d.3)
        .expect("jobmanager pid") as u32
}

/// Findings of a doctor document with check id `id`, as (host, severity).
fn with_id(doc: &Value, id: &str) -> Vec<(Option<String>, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == id)
        .map(|f| {
            (
                f["host"].as_str().map(str::to_string),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn errors(doc: &Value) -> Vec<&Value> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect()
}

/// `flinkha doctor` on the healthy running cluster finds no error and ran its live checks;
/// then a hand-edited conf on h2, a pid file on h3 naming another live process and a foreign
/// latch contender under the cluster-id are each found with their id (and host); undone,
/// the cluster is clean again.
fn doctor_on_a_real_cluster(c: &TestCluster, st: &Value) {
    let t0 = Instant::now();
    let (code, v) = c.json(&["doctor"]);
    eprintln!(
        "doctor (healthy) took {:.1} s; warnings: {:?}",
        t0.elapsed().as_secs_f64(),
        v["findings"]
            .as_array()
            .map(|a| a.iter().map(|f| f["id"].clone()).collect::<Vec<_>>())
    );
    assert_eq!(v["kind"], "doctor", "{v}");
    assert_eq!(v["live"], true, "{v}");
    assert!(errors(&v).is_empty(), "{v}");
    assert_eq!(code, 0, "{v}");
    for id in [
        "host-unreachable",
        "ha-storage-unchecked",
        "java-missing",
        "zk-unreachable",
    ] {
        assert!(with_id(&v, id).is_empty(), "{id}: {v}");
    }

    // Faults. Drift: a hand edit of h2's rendered config.yaml.
    let cfg = c.roots[1].join("conf/config.yaml");
    let original = std::fs::read(&cfg).unwrap();
    let mut edited = original.clone();
    edited.extend_from_slice(b"# edited on the host\n");
    std::fs::write(&cfg, &edited).unwrap();
    // A JobManager pid file on h3 (no JobManager there) naming a live process of ours.
    let mut other = std::process::Command::new("sleep")
        .arg("300")
        .spawn()
        .unwrap();
    let pid_file = c.roots[2].join(format!(
        "run/flink-t{}-h3-standalonesession.pid",
        std::process::id()
    ));
    std::fs::write(&pid_file, format!("{}\n", other.id())).unwrap();
    // A latch contender no JobManager of this cluster created.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (_, lv) = c.json(&["leader", "show"]);
    let quorum = lv["quorum"].as_str().unwrap().to_string();
    let latch = format!("{}/leader/latch", st["ha_path"].as_str().unwrap());
    let (zk, foreign) = rt.block_on(async {
        let zk = flinkha::zk::connect_with(
            &quorum,
            &flinkha::zk::ConnectOptions {
                readonly: false,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let (_, seq) = zk
            .create(
                &format!("{latch}/_c_00000000-0000-0000-0000-00000000f00d-latch-"),
                &[],
                &zookeeper_client::CreateMode::EphemeralSequential
                    .with_acls(zookeeper_client::Acls::anyone_all()),
            )
            .await
            .unwrap();
        let name = format!(
            "{latch}/_c_00000000-0000-0000-0000-00000000f00d-latch-{:010}",
            seq.into_i64()
        );
        (zk, name)
    });

    let t1 = Instant::now();
    let (code, v) = c.json(&["doctor"]);
    eprintln!("doctor (3 faults) took {:.1} s", t1.elapsed().as_secs_f64());
    assert_eq!(code, 1, "{v}");
    assert_eq!(
        with_id(&v, "conf-drift"),
        [(Some("h2".to_string()), "error".to_string())],
        "{v}"
    );
    assert_eq!(
        with_id(&v, "pid-file-foreign"),
        [(Some("h3".to_string()), "error".to_string())],
        "{v}"
    );
    assert_eq!(
        with_id(&v, "foreign-contender"),
        [(None, "error".to_string())],
        "{v}"
    );
    assert_eq!(errors(&v).len(), 3, "{v}");

    // Undo each; clean again.
    rt.block_on(async {
        zk.delete(&foreign, None).await.unwrap();
    });
    drop(zk);
    std::fs::remove_file(&pid_file).unwrap();
    let _ = other.kill();
    let _ = other.wait();
    std::fs::write(&cfg, &original).unwrap();
    let (code, v) = c.json(&["doctor"]);
    assert!(errors(&v).is_empty(), "{v}");
    assert_eq!(code, 0, "{v}");
}

#[test]
fn lifecycle_of_a_real_ha_cluster() {
    let _lock = common::cluster::ClusterLock::acquire();
    let c = TestCluster::new(&ADDRS);

    // config check is clean for the generated cluster.
    let out = c.run(&["config", "check"]);
    assert!(out.status.success(), "{}", show(&out));

    // install: uploads, verifies, unpacks, points `current` at it; a second install skips.
    let (code, v) = c.json(&["install"]);
    assert_eq!(code, 0, "{v}");
    for h in v["hosts"].as_array().unwrap() {
        assert_eq!(h["result"]["ok"]["action"], "installed", "{h}");
    }
    for r in &c.roots {
        let target = std::fs::read_link(r.join("current")).unwrap();
        assert_eq!(target.to_str(), Some("flink-2.1.0"));
        assert!(r.join("flink-2.1.0/bin/jobmanager.sh").is_file());
    }
    let (code, v) = c.json(&["install"]);
    assert_eq!(code, 0, "{v}");
    for h in v["hosts"].as_array().unwrap() {
        assert_eq!(h["result"]["ok"]["action"], "already-installed", "{h}");
    }

    // sync: every host gets its rendered conf; a second sync transfers nothing.
    let (code, v) = c.json(&["sync"]);
    assert_eq!(code, 0, "{v}");
    for (i, h) in v["hosts"].as_array().unwrap().iter().enumerate() {
        assert!(h["result"]["ok"]["bytes_sent"].as_u64().unwrap() > 0, "{h}");
        let cfg = std::fs::read_to_string(c.roots[i].join("conf/config.yaml")).unwrap();
        assert!(
            cfg.contains(&format!("taskmanager.host: {}", ADDRS[i])),
            "{cfg}"
        );
        assert!(cfg.contains("--add-opens=java.base/java.lang=ALL-UNNAMED"));
    }
    let out = c.run(&["sync"]);
    assert!(out.status.success(), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nothing transferred"),
        "{}",
        show(&out)
    );

    // start: quorum, JobManagers, TaskManagers, all healthy.
    let t0 = Instant::now();
    let (v, _) = c.start_retrying_lost_ports();
    let started = v["instances"].as_array().unwrap();
    assert_eq!(started.len(), 8, "{v}");
    assert!(started.iter().all(|i| i["action"] == "started"), "{v}");
    eprintln!("start took {:.1} s", t0.elapsed().as_secs_f64());

    // status: 3 ZooKeeper, 2 JobManagers, 3 TaskManagers up; quorum serving; leader known.
    let (code, st) = c.json(&["status"]);
    assert_eq!(code, 0, "{st}");
    let ds = daemons(&st);
    let count = |role: &str| {
        ds.iter()
            .filter(|(_, r, s, _)| r == role && s == "up")
            .count()
    };
    assert_eq!(count("zookeeper"), 3, "{st}");
    assert_eq!(count("jobmanager"), 2, "{st}");
    assert_eq!(count("taskmanager"), 3, "{st}");
    assert_eq!(st["quorum_serving"], true);
    assert_eq!(st["overview"]["taskmanagers"], 3);
    assert_eq!(st["overview"]["slots-total"], 6);
    let leader = st["leader"]["host"].as_str().unwrap().to_string();
    assert!(leader == "h1" || leader == "h2", "{st}");
    let standby = if leader == "h1" { "h2" } else { "h1" };

    // start --dry-run on the running cluster: the plan says every daemon already runs (a
    // no-op), and nothing is started, nor journaled (the start above wrote its journal).
    let journal = c.dir.path().join(format!(
        ".flinkha/t{}.start.journal.json",
        std::process::id()
    ));
    let journaled = std::fs::read(&journal).expect("start journals its plan");
    let pids = c.pids();
    let out = c.run(&["start", "--dry-run"]);
    assert!(out.status.success(), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("8 already running: starting them is a no-op"),
        "{err}"
    );
    let (code, v) = c.json(&["start", "--dry-run"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["kind"], "start-plan", "{v}");
    // One step: every role launched together, then health-gated in order.
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "{v}");
    let title = steps[0]["title"].as_str().unwrap();
    for role in ["ZooKeepers", "JobManagers", "TaskManagers"] {
        assert!(
            title.contains(&format!("{role} [already running, no-op: h1 (pid ")),
            "{title}"
        );
    }
    assert!(!title.contains(" on h"), "nothing to start: {title}");
    assert_eq!(c.pids(), pids);
    assert_eq!(
        std::fs::read(&journal).unwrap(),
        journaled,
        "a dry run wrote the journal"
    );

    // zk status: every server answers srvr, one leader, two followers.
    let (code, zk) = c.json(&["zk", "status"]);
    assert_eq!(code, 0, "{zk}");
    assert_eq!(zk["serving"], true);
    let modes: Vec<&str> = zk["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"]["mode"].as_str().unwrap())
        .collect();
    assert_eq!(modes.iter().filter(|m| **m == "leader").count(), 1, "{zk}");
    assert_eq!(
        modes.iter().filter(|m| **m == "follower").count(),
        2,
        "{zk}"
    );

    doctor_on_a_real_cluster(&c, &st);

    // Parts: stop one TaskManager only; the rest keeps running; start brings it back.
    let (code, v) = c.json(&["stop", "--taskmanagers", "--host", "h3", "--yes"]);
    assert_eq!(code, 0, "{v}");
    let stopped = v["instances"].as_array().unwrap();
    assert_eq!(stopped.len(), 1, "{v}");
    assert_eq!(stopped[0]["host"], "h3");
    assert_eq!(stopped[0]["role"], "taskmanager");
    let (_, partial) = c.json(&["status"]);
    let up = daemons(&partial)
        .iter()
        .filter(|(_, _, s, _)| s == "up")
        .count();
    assert_eq!(up, 7, "{partial}");
    let (code, v) = c.json(&["start", "--taskmanagers", "--host", "h3"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["instances"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["instances"][0]["action"], "started");

    // leader show agrees, and decodes the leader session id.
    let (code, lv) = c.json(&["leader", "show"]);
    assert_eq!(code, 0, "{lv}");
    assert_eq!(lv["leader_host"], leader.as_str());
    assert_eq!(lv["layout"], "modern");
    assert_eq!(lv["contenders"].as_array().unwrap().len(), 2, "{lv}");
    let session = lv["rest_server"]["session_id"].as_str().unwrap();
    assert_eq!(session.len(), 36);
    assert_eq!(lv["dispatcher"]["session_id"], session);

    // kill -9 the leader while `leader show --watch` follows: the kill waits for the watch's
    // first event, the failover is its event naming the standby; the watch is killed on every
    // path (WatchGuard).
    let mut watch = WatchGuard::spawn(&c);
    let first = watch
        .next_event(Duration::from_secs(30))
        .expect("no first watch event");
    assert_eq!(first["event"]["leader_host"], leader.as_str(), "{first}");
    let killed = jm_pid(&st, &leader);
    kill(killed, "KILL");
    let t_kill = Instant::now();
    let mut events = vec![first];
    while !events.iter().any(|e| e["event"]["leader_host"] == standby) {
        let left = Duration::from_secs(90).saturating_sub(t_kill.elapsed());
        match watch.next_event(left) {
            Some(e) => events.push(e),
            None => panic!("watch never saw {standby} within 90 s: {events:?}"),
        }
    }
    eprintln!(
        "failover seen by the watch after {:.1} s",
        t_kill.elapsed().as_secs_f64()
    );
    drop(watch);
    assert_eq!(
        leader_host(&c).as_deref(),
        Some(standby),
        "no failover to {standby}"
    );
    assert!(
        events.iter().all(|e| e["event"]["time"].is_string()),
        "{events:?}"
    );

    // status shows the killed JobManager down (stale pid file), the other one leading.
    let (_, st2) = c.json(&["status"]);
    let killed_state = daemons(&st2)
        .into_iter()
        .find(|(h, r, _, _)| *h == leader && r == "jobmanager")
        .unwrap()
        .2;
    assert_eq!(killed_state, "stale", "{st2}");
    assert_eq!(st2["leader"]["host"], standby);

    // start brings the killed one back as a standby; everything else is a no-op.
    let (code, v) = c.json(&["start"]);
    assert_eq!(code, 0, "{v}");
    for i in v["instances"].as_array().unwrap() {
        let expected = if i["host"] == leader.as_str() && i["role"] == "jobmanager" {
            "started"
        } else {
            "already-running"
        };
        assert_eq!(i["action"], expected, "{i}");
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (_, lv) = c.json(&["leader", "show"]);
        if lv["contenders"].as_array().map(|a| a.len()) == Some(2) {
            assert_eq!(lv["leader_host"], standby, "{lv}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "restarted JobManager never joined the latch: {lv}"
        );
        std::thread::sleep(Duration::from_millis(500));
    }

    // stop without --yes and without a TTY refuses, naming --yes.
    let out = c.run(&["stop"]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));

    // stop leaves no process running.
    let pids = c.pids();
    assert_eq!(pids.len(), 8, "{pids:?}");
    assert!(pids.iter().all(|p| alive(*p)));
    let (code, v) = c.json(&["stop", "--yes"]);
    assert_eq!(code, 0, "{v}");
    assert!(
        v["instances"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["action"] == "stopped"),
        "{v}"
    );
    for p in &pids {
        assert!(!alive(*p), "pid {p} still alive after stop");
    }
    assert!(c.pids().is_empty(), "pid files left: {:?}", c.pids());

    // start from cold with one ZooKeeper server killed (-9) as soon as it runs, while start
    // waits for the quorum: the other two form a quorum, but start fails naming h2's server
    // and starts no JobManager or TaskManager; a second start brings it up, and the rest.
    let child = c.spawn(&["-o", "json", "start"]);
    let run_dir = c.roots[1].join("run");
    let zk_pid = {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let pid = std::fs::read_dir(&run_dir)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    n.contains("zookeeper") && n.ends_with(".pid")
                })
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .filter_map(|t| t.trim().parse::<u32>().ok())
                .find(|p| alive(*p));
            if let Some(p) = pid {
                break p;
            }
            assert!(Instant::now() < deadline, "h2's ZooKeeper never started");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    kill(zk_pid, "KILL");
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(out.status.code(), Some(0), "{text}");
    // Killed before its start script saw it run: that instance failed; after: the quorum
    // wait's liveness check fails the role. Either way h2's server is named as exited.
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let h2_zk = report["instances"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["host"] == "h2" && i["role"] == "zookeeper")
        .cloned()
        .unwrap_or_default();
    let named = (h2_zk["action"] == "failed"
        && h2_zk["error"]
            .as_str()
            .is_some_and(|e| e.contains("exited right after start")))
        || report["errors"].as_array().into_iter().flatten().any(|e| {
            e.as_str()
                .is_some_and(|e| e.contains("h2") && e.contains("exited after start"))
        });
    assert!(named, "the dead server is named: {text}");
    // The roles launch together and are waited on in order (`lifecycle::START_GROUPS`).
    // Killed before its launch was checked, h2's server failed its launch and the
    // JobManagers and TaskManagers were skipped; killed after, they were launched, are not
    // waited on, and the report says so. Either way no JobManager or TaskManager is
    // reported healthy, and exactly what was launched runs.
    let others: Vec<&Value> = report["instances"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["role"] != "zookeeper")
        .collect();
    let launch_failed = h2_zk["action"] == "failed";
    let running: Vec<u32> = c.pids().into_iter().filter(|p| alive(*p)).collect();
    if launch_failed {
        assert!(
            others.iter().all(|i| i["action"] == "skipped"),
            "no JobManager or TaskManager started after a failed launch: {text}"
        );
        assert_eq!(
            running.len(),
            2,
            "only the two other ZooKeeper servers run: {text}"
        );
    } else {
        assert!(
            others.iter().all(|i| i["action"] == "started"),
            "JobManagers and TaskManagers launched with the quorum: {text}"
        );
        for role in ["JobManager", "TaskManager"] {
            assert!(
                report["errors"].as_array().into_iter().flatten().any(|e| {
                    e.as_str().is_some_and(|e| {
                        e.contains(&format!("{role}s were launched but not waited on"))
                    })
                }),
                "the report says the {role}s were not waited on: {text}"
            );
        }
        assert_eq!(
            running.len(),
            2 + others.len(),
            "the two other ZooKeeper servers and what was launched run: {text}"
        );
    }

    // start again: everything comes back healthy.
    let (code, v) = c.json(&["start"]);
    assert_eq!(code, 0, "{v}");
    let (code, st3) = c.json(&["status"]);
    assert_eq!(code, 0, "{st3}");
    assert_eq!(st3["overview"]["taskmanagers"], 3);

    let (code, _) = c.json(&["stop", "--yes"]);
    assert_eq!(code, 0);
    assert!(c.pids().is_empty());
}

/// `flinkha leader show --watch -o json` as a child whose JSON lines arrive on a channel;
/// killed (and reaped) when dropped, so a failing assertion never leaks it.
struct WatchGuard {
    child: std::process::Child,
    events: std::sync::mpsc::Receiver<Value>,
}

impl WatchGuard {
    fn spawn(c: &TestCluster) -> WatchGuard {
        let mut child = std::process::Command::new(common::cluster::flinkha_bin())
            .args([
                "-c",
                c.inventory.to_str().unwrap(),
                "leader",
                "show",
                "--watch",
            ])
            .args(["-o", "json"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, events) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if let Ok(v) = serde_json::from_str::<Value>(&line)
                    && tx.send(v).is_err()
                {
                    break;
                }
            }
        });
        WatchGuard { child, events }
    }

    /// The next event, or `None` when none came within `timeout` (or the watch ended).
    fn next_event(&mut self, timeout: Duration) -> Option<Value> {
        self.events.recv_timeout(timeout).ok()
    }
}

impl Drop for WatchGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
