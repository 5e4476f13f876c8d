//! `flinkha::zk` against a real ZooKeeper server (Debian's ZooKeeper 3.8, started by the test).
//!
//! Znodes are created the way Flink 1.15+/2.x creates them (`ZooKeeperLeaderElectionDriver`):
//! ephemeral sequential `leader/latch/_c_<uuid>-latch-<seq>` children (Curator `LeaderLatch`,
//! no data) and ephemeral `leader/<component>/connection_info` znodes holding the
//! Java-serialized leader information, written by the session that holds the latch.

mod common;

use std::time::{Duration, Instant};

use common::zkserver::ZkServer;
use flinkha::zk::connection_info::{self, ConnectionInfo};
use flinkha::zk::four_letter::{self, Mode};
use flinkha::zk::leader::{self, Layout, LeaderView, WatchEvent};
use flinkha::zk::{self, Client, ConnectOptions, ZkError};
use zookeeper_client::{Acls, CreateMode};

const JOB_A: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const JOB_B: &str = "0123456789abcdef0123456789abcdef";
/// The job id of tests/fixtures/znodes (see its README.md).
const REAL_JOB: &str = "90658917d3eb9d6a2aca1a10c68ba174";

fn writer_options() -> ConnectOptions {
    ConnectOptions {
        session_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(10),
        readonly: false,
        ..Default::default()
    }
}

async fn writer(zk: &ZkServer) -> Client {
    zk::connect_with(&zk.connect_string(), &writer_options())
        .await
        .expect("connect writer")
}

async fn mkdir(client: &Client, path: &str) {
    client
        .mkdir(path, &CreateMode::Persistent.with_acls(Acls::anyone_all()))
        .await
        .unwrap_or_else(|e| panic!("mkdir {path}: {e}"));
}

/// Creates `path` (parents as persistent znodes) as an ephemeral znode with `data`.
async fn ephemeral(client: &Client, path: &str, data: &[u8]) {
    let parent = &path[..path.rfind('/').unwrap()];
    mkdir(client, parent).await;
    client
        .create(
            path,
            data,
            &CreateMode::Ephemeral.with_acls(Acls::anyone_all()),
        )
        .await
        .unwrap_or_else(|e| panic!("create {path}: {e}"));
}

/// Joins a leader election as Curator's `LeaderLatch` does; returns the sequence number.
async fn join_latch(client: &Client, ha: &str) -> u64 {
    let latch = format!("{ha}/leader/latch");
    mkdir(client, &latch).await;
    let prefix = format!(
        "{latch}/_c_{}-latch-",
        uuid_for(client.session_id().0 as u64, 7)
    );
    let (_, seq) = client
        .create(
            &prefix,
            &[],
            &CreateMode::EphemeralSequential.with_acls(Acls::anyone_all()),
        )
        .await
        .expect("create latch node");
    seq.into_i64() as u64
}

fn uuid_for(a: u64, b: u64) -> String {
    connection_info::format_uuid(a, b.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Writes the leader znodes of one JobManager the way Flink does.
async fn become_leader(client: &Client, ha: &str, host: &str, jobs: &[&str]) -> String {
    let session = uuid_for(client.session_id().0 as u64, 1);
    let write = |component: String, address: String| {
        let session = session.clone();
        async move {
            let bytes = connection_info::encode(&address, &session).unwrap();
            ephemeral(
                client,
                &format!("{ha}/leader/{component}/connection_info"),
                &bytes,
            )
            .await;
        }
    };
    write(
        "dispatcher".into(),
        format!("pekko.tcp://flink@{host}:6123/user/rpc/dispatcher_1"),
    )
    .await;
    write(
        "resource_manager".into(),
        format!("pekko.tcp://flink@{host}:6123/user/rpc/resourcemanager_0"),
    )
    .await;
    write("rest_server".into(), format!("http://{host}:8081")).await;
    for job in jobs {
        write(
            format!("job-{job}"),
            format!("pekko.tcp://flink@{host}:6123/user/rpc/jobmanager_2"),
        )
        .await;
    }
    session
}

async fn wait_for_view(
    watch: &mut leader::LeaderWatch,
    what: &str,
    pred: impl Fn(&LeaderView) -> bool,
) -> (LeaderView, Vec<WatchEvent>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, watch.next()).await {
            Ok(Some(WatchEvent::View(v))) if pred(&v) => return (*v, seen),
            Ok(Some(e)) => seen.push(e),
            Ok(None) => panic!("watch ended while waiting for {what}; saw {seen:#?}"),
            Err(_) => panic!("no view with {what} within 20 s; saw {seen:#?}"),
        }
    }
}

fn address(info: &Option<ConnectionInfo>) -> Option<&str> {
    info.as_ref().map(|i| i.address.as_str())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_modern_legacy_and_empty_layouts() {
    let zk = ZkServer::start("127.0.0.1");
    let status_client = zk::connect(&zk.connect_string(), Duration::from_secs(10))
        .await
        .expect("connect");

    // --- modern layout: two JobManagers, the first one leads ---
    let ha = zk::ha_path("/flink", "it-modern");
    let jm1 = writer(&zk).await;
    let jm2 = writer(&zk).await;
    let seq1 = join_latch(&jm1, &ha).await;
    let seq2 = join_latch(&jm2, &ha).await;
    assert!(seq1 < seq2);
    let session = become_leader(&jm1, &ha, "127.0.1.1", &[JOB_A, JOB_B]).await;
    // Flink also keeps other znodes under the HA path.
    mkdir(&jm1, &format!("{ha}/jobs/{JOB_A}/checkpoints")).await;

    let view = leader::read_leader_view(&status_client, &ha).await.unwrap();
    assert_eq!(view.layout, Layout::Modern, "{view:#?}");
    assert_eq!(view.ha_path, "/flink/it-modern");
    assert_eq!(
        address(&view.dispatcher),
        Some("pekko.tcp://flink@127.0.1.1:6123/user/rpc/dispatcher_1")
    );
    assert_eq!(view.dispatcher.as_ref().unwrap().session_id, session);
    assert_eq!(
        address(&view.resource_manager),
        Some("pekko.tcp://flink@127.0.1.1:6123/user/rpc/resourcemanager_0")
    );
    assert_eq!(view.leader_rest_url(), Some("http://127.0.1.1:8081"));
    assert_eq!(
        view.leader_rpc_host_port(),
        Some(("127.0.1.1".to_owned(), 6123))
    );
    let seqs: Vec<u64> = view.contenders.iter().map(|c| c.sequence).collect();
    assert_eq!(seqs, vec![seq1, seq2]);
    assert_eq!(view.contenders[0].session_id, jm1.session_id().0);
    assert_eq!(view.contenders[1].session_id, jm2.session_id().0);
    assert!(
        view.contenders[0]
            .znode
            .ends_with(&format!("-latch-{seq1:010}"))
    );
    assert!(view.contenders[0].created_ms > 1_600_000_000_000);
    let jobs: Vec<&str> = view.jobs.iter().map(|j| j.job_id.as_str()).collect();
    assert_eq!(jobs, vec![JOB_B, JOB_A]); // sorted
    assert!(view.notes.is_empty(), "{:#?}", view.notes);
    assert!(view.legacy_components.is_empty());

    // --- the real znode bytes a Flink 2.1.0 cluster wrote (tests/fixtures/znodes) ---
    let exp = zk::ha_path("/flink", "exp");
    let real_jm1 = writer(&zk).await;
    let real_jm2 = writer(&zk).await;
    for (client, latch_uuid) in [
        (&real_jm1, "c04933b7-7e24-47e6-8278-5033242795b9"),
        (&real_jm2, "1d178d61-ebad-4f74-9403-7572a8aaadcb"),
    ] {
        mkdir(client, &format!("{exp}/leader/latch")).await;
        client
            .create(
                &format!("{exp}/leader/latch/_c_{latch_uuid}-latch-"),
                &[],
                &CreateMode::EphemeralSequential.with_acls(Acls::anyone_all()),
            )
            .await
            .unwrap();
    }
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/znodes");
    for (file, component) in [
        ("dispatcher", "dispatcher".to_owned()),
        ("resource_manager", "resource_manager".to_owned()),
        ("rest_server", "rest_server".to_owned()),
        ("job", format!("job-{REAL_JOB}")),
    ] {
        let bytes = std::fs::read(format!("{fixtures}/{file}.connection_info.bin")).unwrap();
        ephemeral(
            &real_jm1,
            &format!("{exp}/leader/{component}/connection_info"),
            &bytes,
        )
        .await;
    }
    let view = leader::read_leader_view(&status_client, "/flink/exp")
        .await
        .unwrap();
    assert_eq!(view.layout, Layout::Modern);
    assert_eq!(view.leader_rest_url(), Some("http://127.0.1.1:51531"));
    assert_eq!(
        address(&view.dispatcher),
        Some("pekko.tcp://flink@127.0.1.1:60419/user/rpc/dispatcher_1")
    );
    assert_eq!(
        address(&view.resource_manager),
        Some("pekko.tcp://flink@127.0.1.1:60419/user/rpc/resourcemanager_0")
    );
    assert_eq!(view.jobs.len(), 1);
    assert_eq!(view.jobs[0].job_id, REAL_JOB);
    assert_eq!(
        view.jobs[0].info.address,
        "pekko.tcp://flink@127.0.1.1:60419/user/rpc/jobmanager_2"
    );
    for info in [&view.dispatcher, &view.resource_manager, &view.rest_server] {
        assert_eq!(
            info.as_ref().unwrap().session_id,
            "fcd75773-1da0-4152-905b-b628e454e6e1"
        );
    }
    let names: Vec<&str> = view.contenders.iter().map(|c| c.znode.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "_c_c04933b7-7e24-47e6-8278-5033242795b9-latch-0000000000",
            "_c_1d178d61-ebad-4f74-9403-7572a8aaadcb-latch-0000000001",
        ]
    );
    assert!(view.notes.is_empty(), "{:#?}", view.notes);
    // Both JobManagers stop: their ephemerals go, the persistent parents stay.
    drop(real_jm1);
    drop(real_jm2);
    let deadline = Instant::now() + Duration::from_secs(10);
    let view = loop {
        let view = leader::read_leader_view(&status_client, &exp)
            .await
            .unwrap();
        if view.contenders.is_empty() || Instant::now() > deadline {
            break view;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(view.layout, Layout::Modern);
    assert_eq!(view.leader_rest_url(), None);
    assert!(view.contenders.is_empty() && view.jobs.is_empty());
    assert_eq!(
        view.notes,
        vec!["no JobManager holds a latch node: none is running"]
    );

    // Undecodable / empty leader data is a note, not an error.
    let odd = zk::ha_path("/flink", "it-odd");
    join_latch(&jm1, &odd).await;
    ephemeral(
        &jm1,
        &format!("{odd}/leader/dispatcher/connection_info"),
        b"garbage",
    )
    .await;
    ephemeral(
        &jm1,
        &format!("{odd}/leader/rest_server/connection_info"),
        b"",
    )
    .await;
    let view = leader::read_leader_view(&status_client, &odd)
        .await
        .unwrap();
    assert_eq!(view.layout, Layout::Modern);
    assert_eq!(view.dispatcher, None);
    assert_eq!(view.rest_server, None);
    assert_eq!(view.notes.len(), 2, "{:#?}", view.notes);
    assert!(
        view.notes
            .iter()
            .any(|n| n.contains("could not be decoded"))
    );
    assert!(view.notes.iter().any(|n| n.contains("is empty")));

    // Leader info written by a session that holds no latch node: a note.
    let stale = zk::ha_path("/flink", "it-stale");
    join_latch(&jm2, &stale).await;
    become_leader(&jm1, &stale, "127.0.1.9", &[]).await;
    let view = leader::read_leader_view(&status_client, &stale)
        .await
        .unwrap();
    assert_eq!(view.leader_rest_url(), Some("http://127.0.1.9:8081"));
    assert!(
        view.notes.iter().any(|n| n.contains("holds no latch node")),
        "{:#?}",
        view.notes
    );

    // --- legacy (< 1.15) layout ---
    let legacy = zk::ha_path("/flink", "it-legacy");
    let uuid = "5b1f7d52-9c3a-4f0e-8d2b-6a4c3e2f1a0b";
    for component in [
        "dispatcher_lock",
        "rest_server_lock",
        "resource_manager_lock",
    ] {
        let latch = format!("{legacy}/leaderlatch/{component}");
        mkdir(&jm1, &latch).await;
        jm1.create(
            &format!("{latch}/_c_{uuid}-latch-"),
            &[],
            &CreateMode::EphemeralSequential.with_acls(Acls::anyone_all()),
        )
        .await
        .unwrap();
    }
    let data = |a: &str| connection_info::encode(a, uuid).unwrap();
    ephemeral(
        &jm1,
        &format!("{legacy}/leader/dispatcher_lock"),
        &data("akka.tcp://flink@10.0.0.5:6123/user/rpc/dispatcher_1"),
    )
    .await;
    ephemeral(
        &jm1,
        &format!("{legacy}/leader/rest_server_lock"),
        &data("http://10.0.0.5:8081"),
    )
    .await;
    ephemeral(
        &jm1,
        &format!("{legacy}/leader/{JOB_A}/job_manager_lock"),
        &data("akka.tcp://flink@10.0.0.5:6123/user/rpc/jobmanager_3"),
    )
    .await;
    let view = leader::read_leader_view(&status_client, &legacy)
        .await
        .unwrap();
    assert_eq!(view.layout, Layout::Legacy, "{view:#?}");
    assert_eq!(
        address(&view.dispatcher),
        Some("akka.tcp://flink@10.0.0.5:6123/user/rpc/dispatcher_1")
    );
    assert_eq!(view.leader_rest_url(), Some("http://10.0.0.5:8081"));
    assert_eq!(view.jobs.len(), 1);
    assert_eq!(view.jobs[0].job_id, JOB_A);
    assert!(view.contenders.is_empty());
    for expected in [
        "leader/dispatcher_lock",
        "leader/rest_server_lock",
        &format!("leader/{JOB_A}/job_manager_lock"),
        "leaderlatch/dispatcher_lock (1 contender)",
        "leaderlatch/resource_manager_lock (1 contender)",
    ] {
        assert!(
            view.legacy_components.iter().any(|c| c == expected),
            "{expected} not in {:#?}",
            view.legacy_components
        );
    }

    // --- empty: missing HA path, HA path without leader znodes ---
    let view = leader::read_leader_view(&status_client, "/flink/nothing-here")
        .await
        .unwrap();
    assert_eq!(view.layout, Layout::Empty);
    assert_eq!(view.dispatcher, None);
    assert!(
        view.notes[0].contains("does not exist"),
        "{:#?}",
        view.notes
    );
    let bare = zk::ha_path("/flink", "it-bare");
    mkdir(&jm1, &format!("{bare}/jobs")).await;
    let view = leader::read_leader_view(&status_client, &bare)
        .await
        .unwrap();
    assert_eq!(view.layout, Layout::Empty);
    mkdir(&jm1, &format!("{bare}/leader")).await;
    let view = leader::read_leader_view(&status_client, &bare)
        .await
        .unwrap();
    assert_eq!(view.layout, Layout::Empty);
    assert!(
        view.notes[0].contains("no JobManager is running"),
        "{:#?}",
        view.notes
    );

    // A chroot in the connect string: paths are relative to it.
    let chrooted = zk::connect(
        &format!("{}/flink", zk.connect_string()),
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    let view = leader::read_leader_view(&chrooted, "/it-modern")
        .await
        .unwrap();
    assert_eq!(view.leader_rest_url(), Some("http://127.0.1.1:8081"));

    // --- srvr / ruok against the real server ---
    let status = four_letter::srvr(&zk.addr, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(status.mode, Mode::Standalone);
    assert!(status.zxid.unwrap() > 0, "{status:?}");
    assert!(status.version.as_deref().unwrap().starts_with("3."));
    assert!(status.node_count.unwrap() > 10);
    assert!(status.connections.unwrap() >= 3);
    assert!(
        four_letter::ruok(&zk.addr, Duration::from_secs(5))
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn connecting_to_a_dead_port_fails_fast() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let connect_string = format!("127.0.0.1:{port}");
    let start = Instant::now();
    let err = zk::connect(&connect_string, Duration::from_secs(30))
        .await
        .unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    assert!(matches!(err, ZkError::Connect { .. }), "{err:?}");
    assert!(err.to_string().contains(&connect_string), "{err}");
    assert!(err.hint().is_some());
    let err = four_letter::srvr(&connect_string, Duration::from_secs(5))
        .await
        .unwrap_err();
    assert!(err.to_string().contains(&connect_string), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_follows_failover_and_server_restart() {
    let mut zk = ZkServer::start("127.0.0.1");
    let ha = zk::ha_path("/flink", "it-watch");
    let options = ConnectOptions {
        session_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(10),
        readonly: true,
        ..Default::default()
    };
    // Started before the HA path exists.
    let mut watch = leader::watch_leader_view(&zk.connect_string(), &options, &ha)
        .await
        .expect("watch");
    match watch.next().await {
        Some(WatchEvent::View(v)) => assert_eq!(v.layout, Layout::Empty),
        other => panic!("first event: {other:?}"),
    }

    // JobManager 1 starts and wins; JobManager 2 is a standby.
    let jm1 = writer(&zk).await;
    let jm2 = writer(&zk).await;
    join_latch(&jm1, &ha).await;
    join_latch(&jm2, &ha).await;
    become_leader(&jm1, &ha, "127.0.1.1", &[JOB_A]).await;
    let (view, _) = wait_for_view(&mut watch, "leader 127.0.1.1", |v| {
        v.leader_rest_url() == Some("http://127.0.1.1:8081")
            && v.jobs.len() == 1
            && v.contenders.len() == 2
    })
    .await;
    assert_eq!(view.contenders[0].session_id, jm1.session_id().0);

    // Failover: JobManager 1 dies (its session closes, ephemerals vanish); 2 takes over.
    let start = Instant::now();
    drop(jm1);
    become_leader_when_free(&jm2, &ha, "127.0.1.2").await;
    let (view, _) = wait_for_view(&mut watch, "leader 127.0.1.2", |v| {
        v.leader_rest_url() == Some("http://127.0.1.2:8081") && v.contenders.len() == 1
    })
    .await;
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(view.contenders[0].session_id, jm2.session_id().0);
    assert!(view.jobs.is_empty());

    // The ZooKeeper server restarts: the watch reports the outage, reconnects and keeps
    // following changes. The change is made only after the watch has reconnected and re-read,
    // so that only a live server-side watch can report it (zookeeper-client 0.11.2 does not
    // re-register persistent watches by itself).
    zk.restart();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    while !seen
        .iter()
        .any(|e| matches!(e, WatchEvent::Reconnected { .. }))
    {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, watch.next()).await {
            Ok(Some(e)) => seen.push(e),
            other => panic!("no reconnect within 20 s: {other:?}; saw {seen:#?}"),
        }
    }
    assert!(
        matches!(seen[0], WatchEvent::Disconnected { .. }),
        "{seen:#?}"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    become_leader_job(&jm2, &ha, "127.0.1.2", JOB_B).await;
    let (view, _) = wait_for_view(&mut watch, "job B after restart", |v| {
        v.jobs.iter().any(|j| j.job_id == JOB_B)
    })
    .await;
    assert_eq!(view.leader_rest_url(), Some("http://127.0.1.2:8081"));
}

/// Writes the leader znodes once the previous leader's ephemerals are gone (as Flink's
/// `writeLeaderInformationToZooKeeper` would after the old session closed).
async fn become_leader_when_free(client: &Client, ha: &str, host: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let path = format!("{ha}/leader/dispatcher/connection_info");
        if client.check_stat(&path).await.unwrap().is_none() {
            break;
        }
        assert!(Instant::now() < deadline, "old leader znodes still there");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    become_leader(client, ha, host, &[]).await;
}

async fn become_leader_job(client: &Client, ha: &str, host: &str, job: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    let bytes = connection_info::encode(
        &format!("pekko.tcp://flink@{host}:6123/user/rpc/jobmanager_9"),
        &uuid_for(3, 3),
    )
    .unwrap();
    let path = format!("{ha}/leader/job-{job}/connection_info");
    // The writer's session may be reconnecting right after the server restart.
    loop {
        let parent = &path[..path.rfind('/').unwrap()];
        let made = async {
            client
                .mkdir(
                    parent,
                    &CreateMode::Persistent.with_acls(Acls::anyone_all()),
                )
                .await?;
            client
                .create(
                    &path,
                    &bytes,
                    &CreateMode::Ephemeral.with_acls(Acls::anyone_all()),
                )
                .await
        }
        .await;
        match made {
            Ok(_) => return,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("create {path}: {e}"),
        }
    }
}

/// A `rest_server` leader znode is only trusted when it names one of the inventory's
/// JobManagers (issue 10): Flink's default ACL is open, so anyone reaching the quorum can
/// point it elsewhere. Here it names a listener on 127.0.0.9 that is not in the inventory:
/// `jobs list` and `stop JOB` must refuse, say what the znode says, and never connect to it;
/// `status` must not query it either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_rest_server_znode_is_refused() {
    let zk = ZkServer::start("127.0.0.1");
    let client = writer(&zk).await;
    let ha = "/flink/trust-test";
    let foreign = std::net::TcpListener::bind("127.0.0.9:0").expect("bind 127.0.0.9");
    foreign.set_nonblocking(true).unwrap();
    let url = format!("http://127.0.0.9:{}", foreign.local_addr().unwrap().port());
    let session = uuid_for(client.session_id().0 as u64, 1);
    ephemeral(
        &client,
        &format!("{ha}/leader/rest_server/connection_info"),
        &connection_info::encode(&url, &session).unwrap(),
    )
    .await;

    // One JobManager h1 at 127.0.0.1 on a port nothing listens on, HA at this quorum.
    let dir = tempfile::tempdir().unwrap();
    let jm_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let inv = common::zkserver::ha_inventory(dir.path(), &zk, "trust-test", jm_port, "", "");
    let flinkha = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_flinkha"))
            .arg("-c")
            .arg(&inv)
            .args(args)
            .output()
            .unwrap()
    };

    for args in [
        &["jobs", "list"][..],
        &["stop", "--yes", "a1b2c3d4e5f60718293a4b5c6d7e8f90"][..],
    ] {
        let o = flinkha(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{args:?} succeeded: {err}");
        assert!(
            err.contains(&url) && err.contains("not one of this cluster's JobManagers"),
            "{args:?}: {err}"
        );
        assert!(
            err.contains(&format!("http://127.0.0.1:{jm_port}")),
            "{err}"
        );
    }
    let o = flinkha(&["status", "--output", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    assert!(
        doc.to_string()
            .contains("not one of this cluster's JobManagers"),
        "{doc}"
    );
    match foreign.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("flinkha connected to the endpoint the tampered znode names: {other:?}"),
    }
    // The JobManager's own host, but the wrong scheme (HTTPS on a cluster without
    // `security.ssl.rest.enabled`) or another port: refused alike.
    let other_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    for tampered in [
        format!("https://127.0.0.1:{jm_port}"),
        format!("http://127.0.0.1:{other_port}"),
    ] {
        client
            .set_data(
                &format!("{ha}/leader/rest_server/connection_info"),
                &connection_info::encode(&tampered, &session).unwrap(),
                None,
            )
            .await
            .unwrap();
        let o = flinkha(&["jobs", "list"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{tampered}: {err}");
        assert!(
            err.contains(&tampered) && err.contains("not one of this cluster's JobManagers"),
            "{tampered}: {err}"
        );
    }
}

/// `-v` traces the ZooKeeper connect, each znode read with its path and duration, and
/// four-letter words with the server; `-vv` adds data sizes. Through the real CLI (`leader
/// show`, `zk status` of an external quorum), each run its own process and subscriber.
#[tokio::test]
async fn znode_reads_and_four_letter_words_are_traced() {
    let zk = ZkServer::start("127.0.0.1");
    let ha = zk::ha_path("/flink", "it-traced");
    let jm = writer(&zk).await;
    join_latch(&jm, &ha).await;
    become_leader(&jm, &ha, "127.0.0.1", &[]).await;
    let dir = tempfile::tempdir().unwrap();
    let inv = common::zkserver::ha_inventory(dir.path(), &zk, "it-traced", 8081, "", "");

    let flinkha = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_flinkha"))
            .arg("-c")
            .arg(&inv)
            .args(args)
            .env_remove("RUST_LOG")
            .env_remove("FLINKHA_LOG")
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let quiet = flinkha(&["leader", "show"]);
    assert!(!quiet.contains("zk get"), "traced without -v: {quiet}");
    for (flag, sizes) in [("-v", false), ("-vv", true)] {
        let text = flinkha(&[flag, "leader", "show"]) + &flinkha(&[flag, "zk", "status"]);
        let line = |what: &str| {
            text.lines()
                .find(|l| l.contains(what))
                .unwrap_or_else(|| panic!("no `{what}` line ({flag}):\n{text}"))
                .to_string()
        };
        let connect = line("zk connect");
        assert!(
            connect.contains(&format!("quorum={}", zk.connect_string()))
                && connect.contains(" ms="),
            "{connect}"
        );
        let ls = line("zk ls path=/flink/it-traced");
        assert!(ls.contains(" ms=") && ls.contains(" children="), "{ls}");
        let get = line("zk get path=/flink/it-traced/leader/rest_server/connection_info");
        assert!(get.contains(" ms="), "{get}");
        assert_eq!(get.contains(" bytes="), sizes, "{get}");
        let srvr = line("zk srvr");
        assert!(
            srvr.contains(&format!("host={}", zk.connect_string())) && srvr.contains(" ms="),
            "{srvr}"
        );
        assert_eq!(srvr.contains(" bytes="), sizes, "{srvr}");
    }
}
