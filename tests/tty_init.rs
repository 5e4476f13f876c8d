//! `flinkha init` in a real terminal: the wizard driven through a pseudo-terminal (rexpect),
//! answering each question as an operator would, then the files it wrote.

mod common;

use std::process::Command;
use std::time::Duration;

use rexpect::process::WaitStatus;
use rexpect::session::PtySession;

/// A key press, after a pause so the prompt has switched the terminal to raw mode.
fn key(s: &mut PtySession, k: &str) {
    std::thread::sleep(Duration::from_millis(150));
    s.send(k).unwrap();
    s.flush().unwrap();
}

fn answer(s: &mut PtySession, prompt: &str, text: &str) {
    s.exp_string(prompt)
        .unwrap_or_else(|e| panic!("waiting for `{prompt}`: {e}"));
    std::thread::sleep(Duration::from_millis(150));
    s.send_line(text).unwrap();
}

#[test]
fn the_wizard_asks_every_question_and_writes_what_was_answered() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("prod");
    let mut cmd = Command::new(common::cluster::flinkha_bin());
    cmd.arg("init")
        .arg(&dir)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("USER", "operator")
        .env_remove("FLINKHA_CONFIG");
    let mut s = rexpect::session::spawn_command(cmd, Some(60_000)).unwrap();

    answer(&mut s, "Cluster name [flink]", "prod");
    answer(&mut s, "Host 1", "flink-1=10.30.0.1");
    answer(&mut s, "Host 2", "flink-2=10.30.0.2:2222");
    answer(&mut s, "Host 3", "flink-3=10.30.0.3");
    answer(&mut s, "Host 4", "flink-4=10.30.0.4");
    answer(&mut s, "Host 5", "");

    // ZooKeeper: add flink-4 to the 3 checked by default; the even count is questioned, and
    // "no" asks again, where the default 3 are accepted.
    s.exp_string("ZooKeeper servers").unwrap();
    s.exp_string("flink-4 (10.30.0.4)").unwrap();
    for k in ["j", "j", "j", " ", "\r"] {
        key(&mut s, k);
    }
    s.exp_string("4 ZooKeeper servers tolerate no more failures than 3")
        .unwrap();
    key(&mut s, "n");
    s.exp_string("ZooKeeper servers").unwrap();
    s.exp_string("flink-4 (10.30.0.4)").unwrap();
    key(&mut s, "\r");

    // JobManagers: flink-3 added to the default two.
    s.exp_string("JobManagers").unwrap();
    s.exp_string("flink-4 (10.30.0.4)").unwrap();
    for k in ["j", "j", " ", "\r"] {
        key(&mut s, k);
    }
    // TaskManagers: flink-1 taken out of the default (every host).
    s.exp_string("TaskManagers").unwrap();
    s.exp_string("flink-4 (10.30.0.4)").unwrap();
    for k in [" ", "\r"] {
        key(&mut s, k);
    }

    answer(&mut s, "Flink version [", "2.2.0");
    answer(
        &mut s,
        "Flink distribution",
        "/var/tmp/dist/flink-2.2.0-bin-scala_2.12.tgz",
    );
    answer(&mut s, "SHA-512 of the tarball", "");
    // A relative dir is refused at the prompt, then a URI is taken.
    answer(&mut s, "HA storage dir", "flink/ha");
    s.exp_string("is not an absolute directory URI").unwrap();
    answer(&mut s, "HA storage dir", "hdfs:///flink/prod/ha");
    answer(&mut s, "high-availability.cluster-id", "");
    answer(&mut s, "Checkpoint dir", "");
    answer(&mut s, "Savepoint dir", "s3://backups/prod/savepoints");
    answer(&mut s, "Install root", "/srv/flink");
    answer(&mut s, "SSH user [operator]", "flink");

    // The plan, then the confirmation.
    s.exp_string("files to write under").unwrap();
    s.exp_string("Write 9 files to").unwrap();
    key(&mut s, "y");
    s.exp_string("offline checks: 0 error(s)").unwrap();
    s.exp_eof().unwrap();
    match s.process().wait().unwrap() {
        WaitStatus::Exited(_, 0) => {}
        other => panic!("flinkha init ended with {other:?}"),
    }

    let conf = dir.join("conf");
    let read = |f: &str| std::fs::read_to_string(conf.join(f)).unwrap();
    assert!(
        read("zoo.cfg").ends_with(
            "server.1=flink-1:2888:3888\nserver.2=flink-2:2888:3888\nserver.3=flink-3:2888:3888\n"
        ),
        "{}",
        read("zoo.cfg")
    );
    assert!(
        read("masters").ends_with("flink-1:8081\nflink-2:8081\nflink-3:8081\n"),
        "{}",
        read("masters")
    );
    assert!(
        read("workers").ends_with("\nflink-2\nflink-3\nflink-4\n"),
        "{}",
        read("workers")
    );
    let cfg = read("config.yaml");
    for want in [
        "storageDir: hdfs:///flink/prod/ha",
        "cluster-id: /prod",
        "dir: hdfs:///flink/prod/checkpoints",
        "savepoint-dir: s3://backups/prod/savepoints",
        "# Flink 2.2.0 configuration",
    ] {
        assert!(cfg.contains(want), "{want} not in:\n{cfg}");
    }
    let inv = std::fs::read_to_string(dir.join("flinkha.yaml")).unwrap();
    for want in [
        "cluster: prod",
        "version: 2.2.0",
        "path: /var/tmp/dist/flink-2.2.0-bin-scala_2.12.tgz",
        "install_root: /srv/flink",
        "  user: flink",
        "  flink-2:\n    address: 10.30.0.2\n    ssh:\n      port: 2222\n",
    ] {
        assert!(inv.contains(want), "{want} not in:\n{inv}");
    }
}

#[test]
fn ctrl_c_in_the_wizard_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    let mut cmd = Command::new(common::cluster::flinkha_bin());
    cmd.arg("init")
        .arg(&dir)
        .args([
            "--cluster",
            "c",
            "--host",
            "a=10.0.0.1",
            "--host",
            "b=10.0.0.2",
        ])
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env_remove("FLINKHA_CONFIG");
    let mut s = rexpect::session::spawn_command(cmd, Some(60_000)).unwrap();
    s.exp_string("ZooKeeper servers").unwrap();
    s.exp_string("b (10.0.0.2)").unwrap();
    std::thread::sleep(Duration::from_millis(150));
    s.send_control('c').unwrap();
    let rest = s.exp_eof().unwrap();
    let status = s.process().wait().unwrap();
    match status {
        WaitStatus::Exited(_, 130) => {}
        other => panic!("flinkha init ended with {other:?}: {rest}"),
    }
    assert!(!dir.exists());
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}
