//! Prompts in a real terminal: flinkha runs in a pseudo-terminal driven by the test
//! (rexpect), keys are typed into it and the screen is read back. The cluster is a mock
//! leading JobManager (tests/common/minijm.rs): pickers and confirmations need nothing else.

mod common;

use std::process::Command;

use common::minijm::{JOBS, MiniCluster};
use rexpect::process::WaitStatus;
use rexpect::session::{Options, PtySession};

/// `flinkha -c <inventory> args...` in a pseudo-terminal (stdin, stdout and stderr on it).
fn spawn(m: &MiniCluster, args: &[&str]) -> PtySession {
    let mut cmd = Command::new(common::cluster::flinkha_bin());
    cmd.arg("-c")
        .arg(&m.inventory)
        .args(args)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env_remove("FLINKHA_CONFIG")
        .env_remove("COMPLETE");
    rexpect::session::spawn_with_options(
        cmd,
        Options::new()
            .timeout_ms(Some(30_000))
            .strip_ansi_escape_codes(true),
    )
    .expect("spawn flinkha in a pty")
}

/// Read to the end and return (exit code, everything printed since the last expect).
fn finish(mut p: PtySession) -> (i32, String) {
    let rest = p.exp_eof().expect("flinkha exits");
    let code = match p.process().wait().expect("wait") {
        WaitStatus::Exited(_, c) => c,
        other => panic!("flinkha did not exit normally: {other:?}\n{rest}"),
    };
    (code, rest)
}

const ESC: &str = "\x1b";

#[test]
fn a_missing_host_is_picked_from_the_inventory() {
    let m = MiniCluster::new(false, &[]);
    let mut p = spawn(&m, &["config", "show", "-o", "json", "-H"]);
    // The picker lists every host with its address and roles.
    let screen = p.exp_string("HOST").unwrap();
    let screen = screen + &p.exp_string("127.0.0.2").unwrap();
    assert!(
        !screen.contains("\"host\""),
        "nothing ran before the pick: {screen}"
    );
    p.exp_string("TaskManager").unwrap();
    // h1 (the default) and h2 are listed with their roles; type to filter, Enter to pick.
    p.send("h2").unwrap();
    p.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send("\r").unwrap();
    p.flush().unwrap();
    let (code, out) = finish(p);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("\"host\": \"h2\""), "{out}");
    assert!(
        !out.contains("\"host\": \"h1\""),
        "only the picked host: {out}"
    );
}

#[test]
fn a_confirmation_answered_no_changes_nothing_and_yes_goes_ahead() {
    let m = MiniCluster::new(true, &JOBS);
    let old = "file:/var/tmp/sp/savepoint-a1b2c3-000000000001";
    let new = "file:/var/tmp/sp/savepoint-a1b2c3-000000000002";
    let file = m.write_catalogue(&[(old, 1_700_000_000_000), (new, 1_700_000_500_000)]);
    let before = std::fs::read(&file).unwrap();

    // n: exit 130, nothing disposed of, the catalogue untouched.
    let mut p = spawn(&m, &["savepoints", "prune", "--keep", "1"]);
    p.exp_string(old).unwrap();
    p.exp_string("Dispose of 1 savepoint(s)?").unwrap();
    p.send("n").unwrap();
    p.flush().unwrap();
    let (code, out) = finish(p);
    assert_eq!(code, 130, "{out}");
    assert!(out.contains("cancelled"), "{out}");
    assert_eq!(m.received("POST", "/savepoint-disposal"), 0);
    assert_eq!(std::fs::read(&file).unwrap(), before, "catalogue changed");

    // y: the older savepoint is disposed of through the JobManager and marked so.
    let mut p = spawn(&m, &["savepoints", "prune", "--keep", "1"]);
    p.exp_string("Dispose of 1 savepoint(s)?").unwrap();
    p.send("y").unwrap();
    p.flush().unwrap();
    let (code, out) = finish(p);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("disposed of {old}")), "{out}");
    assert_eq!(m.received("POST", "/savepoint-disposal"), 1);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let sps = v["savepoints"].as_array().unwrap();
    assert!(sps[0]["disposed_ms"].as_u64().is_some(), "{v}");
    assert!(
        sps[1].get("disposed_ms").is_none(),
        "the newest is kept: {v}"
    );
}

#[test]
fn a_missing_job_is_picked_from_the_leaders_jobs() {
    let m = MiniCluster::new(true, &JOBS);
    // `jobs show` picks among every job the leader knows; type part of a name.
    let mut p = spawn(&m, &["jobs", "show"]);
    p.exp_string("JOB").unwrap();
    let screen = p.exp_string("old-batch").unwrap();
    assert!(
        screen.contains(JOBS[0].1) || screen.contains(JOBS[1].1),
        "{screen}"
    );
    // Newest first: `enricher` is the default; typing picks `counter-job`.
    p.send("counter").unwrap();
    p.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send("\r").unwrap();
    p.flush().unwrap();
    let (code, out) = finish(p);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!("counter-job ({})", JOBS[0].0)),
        "{out}"
    );
    assert_eq!(m.received("GET", &format!("/jobs/{}", JOBS[0].0)), 1);
    assert_eq!(m.received("GET", &format!("/jobs/{}", JOBS[1].0)), 0);

    // `savepoint` picks among running jobs only; Escape cancels (exit 130), nothing triggered.
    let mut p = spawn(&m, &["savepoint"]);
    p.exp_string("JOB").unwrap();
    let screen = p.exp_string(JOBS[1].0).unwrap();
    p.send(ESC).unwrap();
    p.flush().unwrap();
    let (code, out) = finish(p);
    assert_eq!(code, 130, "{screen}{out}");
    assert!(
        out.contains(JOBS[0].1),
        "both running jobs listed: {screen}{out}"
    );
    assert!(
        !screen.contains("old-batch") && !out.contains("old-batch"),
        "a finished job is offered: {screen}{out}"
    );
    assert!(out.contains("no JOB picked"), "{out}");
    for (id, ..) in JOBS {
        assert_eq!(m.received("POST", &format!("/jobs/{id}/savepoints")), 0);
    }
}
