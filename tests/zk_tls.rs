//! A TLS quorum (issue 10): a real ZooKeeper (Debian's 3.8) serving TLS on a
//! `secureClientPort` (Netty, PEM stores, `ssl.clientAuth=need`: a client certificate signed by
//! the test CA is required), and clusters whose JVMs get `-Dzookeeper.client.secure=true` and
//! the `zookeeper.ssl.*` stores in `env.java.opts.all`, as Flink's ZooKeeper client reads them
//! (see `flinkha::zk::tls`). `high-availability.zookeeper.quorum` names the secure port only.
//!
//! - `lock_leader_and_errors_on_a_tls_quorum` (no Flink JVM): a plain session to the secure
//!   port gets nothing; flinkha, with a PEM trust store and a PKCS#12 key store, writes and
//!   reads leader znodes, `leader show` and `status` (whose `srvr` goes over TLS) read them,
//!   the operator lock and journal mirror work; a trust store of another CA, a missing client
//!   certificate and a trust store missing on this machine are clear errors naming what is
//!   wrong; the inventory's `zookeeper.truststore` stands in for a host path; the key store
//!   password appears in no output, not even `-vvv` traces.
//! - `flink_on_a_tls_quorum` (real Flink 2.1.0, one JobManager + one TaskManager started by
//!   flinkha over ssh, talking TLS to the quorum through Flink's shaded Netty socket):
//!   `start`'s health wait, `leader show` and `status` read Flink's own znodes over TLS.

#![allow(clippy::print_stderr)] // timings go to the test log

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::cluster::{ClusterLock, TestCluster, show};
use common::zkserver::{TLS_P12_PASSWORD, ZkServer, flinkha, leader_show_names};
use flinkha::core::lock::{self, OperatorLock};
use flinkha::core::model::Cluster;
use flinkha::zk::connection_info;
use flinkha::zk::tls::{FLINK_NETTY_SOCKET, StoreType, Tls};
use flinkha::zk::{self, ConnectOptions};
use zookeeper_client::CreateMode;

/// `-D` options that give a JVM TLS to ZooKeeper with `trust` and, when given, `key` (a
/// PKCS#12 file with [`TLS_P12_PASSWORD`] or a PEM file).
fn tls_opts(trust: &Path, key: Option<&Path>) -> String {
    let mut o = format!(
        "-Dzookeeper.client.secure=true -Dzookeeper.clientCnxnSocket={FLINK_NETTY_SOCKET} -Dzookeeper.ssl.trustStore.location={}",
        trust.display()
    );
    if let Some(k) = key {
        o.push_str(&format!(
            " -Dzookeeper.ssl.keyStore.location={}",
            k.display()
        ));
        if k.extension().is_some_and(|e| e == "p12") {
            o.push_str(&format!(
                " -Dzookeeper.ssl.keyStore.password={TLS_P12_PASSWORD}"
            ));
        }
    }
    o
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lock_leader_and_errors_on_a_tls_quorum() {
    let started = Instant::now();
    let zk = ZkServer::start_tls("127.0.0.1");
    let files = zk.tls_files();
    let secure = zk.secure_addr();

    // A plain session to the TLS port gets nothing.
    let plain = zk::connect(&secure, Duration::from_secs(3)).await;
    assert!(plain.is_err(), "a plain session to the TLS port connected");

    let dir = tempfile::tempdir().unwrap();
    let jm_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let inv = common::zkserver::ha_inventory(
        dir.path(),
        &zk,
        "tls-it",
        jm_port,
        &format!(
            "env:\n  java:\n    opts:\n      all: {}\n",
            tls_opts(&files.ca_pem, Some(&files.client_p12))
        ),
        "",
    );
    let conf_yaml = dir.path().join("conf/config.yaml");
    let text = std::fs::read_to_string(&conf_yaml).unwrap();
    let text = text.replace(
        &format!("quorum: {}\n", zk.connect_string()),
        &format!("quorum: {secure}\n"),
    );
    assert!(text.contains(&format!("quorum: {secure}\n")));
    std::fs::write(&conf_yaml, &text).unwrap();

    let cluster = Cluster::load(&inv).expect("load cluster");
    let Tls::On(t) = &cluster.ha.security.tls else {
        panic!("{:?}", cluster.ha.security.tls)
    };
    assert_eq!(t.truststore.as_ref().unwrap().kind, StoreType::Pem);
    assert_eq!(t.keystore.as_ref().unwrap().kind, StoreType::Pkcs12);

    // Flink-like leader znodes, written over TLS.
    let jm = cluster
        .ha
        .connect(&ConnectOptions {
            readonly: false,
            ..cluster.ha.connect_options()
        })
        .await
        .expect("TLS session");
    let ha = cluster.ha.path();
    let open = CreateMode::Persistent.with_acls(zookeeper_client::Acls::anyone_all());
    jm.mkdir(&format!("{ha}/leader/rest_server"), &open)
        .await
        .unwrap();
    let url = format!("http://127.0.0.1:{jm_port}");
    jm.create(
        &format!("{ha}/leader/rest_server/connection_info"),
        &connection_info::encode(&url, "00000000-0000-0001-0000-000000000003").unwrap(),
        &CreateMode::Ephemeral.with_acls(zookeeper_client::Acls::anyone_all()),
    )
    .await
    .unwrap();

    leader_show_names(&inv, &url, "leader show");

    // The operator lock and the journal mirror, and `status` with `srvr` over TLS.
    let lock = OperatorLock::acquire(&cluster, "tls-test")
        .await
        .expect("take the lock");
    lock.mirror("upgrade", b"{\"tls\":1}")
        .await
        .expect("mirror");
    let o = flinkha(&inv, &["status", "--output", "json"]);
    let st: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("status: {e}: {}", show(&o)));
    assert_eq!(st["lock"]["command"], "tls-test", "{st}");
    assert_eq!(st["leader"]["rest_url"], url.as_str(), "{st}");
    assert_eq!(st["quorum"][0]["endpoint"], secure.as_str(), "{st}");
    assert_eq!(st["quorum"][0]["status"]["mode"], "standalone", "{st}");
    assert_eq!(st["quorum_serving"], true, "{st}");
    assert_eq!(
        lock::read_mirror(&cluster, "upgrade")
            .await
            .unwrap()
            .as_deref(),
        Some(&b"{\"tls\":1}"[..])
    );
    lock.release().await;
    assert_eq!(lock::holder(&cluster).await.unwrap(), None);

    // `config show` says TLS and where the stores are; -vvv never shows the password.
    let o = flinkha(&inv, &["config", "show"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", show(&o));
    assert!(
        out.contains("ZooKeeper TLS") && out.contains(&files.client_p12.display().to_string()),
        "{out}"
    );
    let o = flinkha(&inv, &["-vvv", "leader", "show"]);
    assert!(o.status.success(), "{}", show(&o));
    let all = format!("{}{}", show(&o), String::from_utf8_lossy(&o.stdout));
    assert!(all.contains("zk connect"), "{all}");
    assert!(
        !all.contains(TLS_P12_PASSWORD),
        "the password is in a trace"
    );

    // Errors, each naming what is wrong.
    let with_opts = |opts: &str| {
        let t = text.replace(&tls_opts(&files.ca_pem, Some(&files.client_p12)), opts);
        assert_ne!(t, text);
        std::fs::write(&conf_yaml, t).unwrap();
    };
    // A trust store of another CA: the handshake's reason and the server.
    with_opts(&tls_opts(&files.other_ca_pem, Some(&files.client_p12)));
    let t0 = Instant::now();
    let o = flinkha(&inv, &["leader", "show"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{}", show(&o));
    assert!(
        err.contains(&format!("TLS with ZooKeeper at {secure} failed"))
            && err.contains("UnknownIssuer")
            && err.contains("trustStore.location"),
        "{err}"
    );
    eprintln!(
        "wrong CA reported in {:.1} s: {err}",
        t0.elapsed().as_secs_f64()
    );
    // No client certificate, which the server requires (PEM key store left out).
    with_opts(&tls_opts(&files.ca_pem, None));
    let o = flinkha(&inv, &["leader", "show"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{}", show(&o));
    assert!(
        err.contains(&format!("TLS with ZooKeeper at {secure} failed"))
            && err.contains("presented no client certificate"),
        "{err}"
    );
    eprintln!("no client certificate: {err}");
    // The PEM key store works as the PKCS#12 one does.
    with_opts(&tls_opts(&files.ca_pem, Some(&files.client_pem)));
    leader_show_names(&inv, &url, "PEM key store");
    // A host path that is not on this machine: `config check` and the command name it and
    // the inventory key; with `zookeeper.truststore:` naming a local copy it works.
    let host_path = Path::new("/etc/zookeeper-tls-test/ca.pem");
    with_opts(&tls_opts(host_path, Some(&files.client_pem)));
    let o = flinkha(&inv, &["config", "check"]);
    let out = show(&o);
    assert!(!o.status.success(), "{out}");
    assert!(
        out.contains("/etc/zookeeper-tls-test/ca.pem")
            && out.contains("does not exist on this machine"),
        "{out}"
    );
    let o = flinkha(&inv, &["leader", "show"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("`zookeeper.truststore:` in the inventory"),
        "{err}"
    );
    let inv_text = std::fs::read_to_string(&inv).unwrap();
    std::fs::write(
        &inv,
        format!(
            "{inv_text}zookeeper:\n  truststore: {}\n",
            files.ca_pem.display()
        ),
    )
    .unwrap();
    leader_show_names(&inv, &url, "local copy");
    eprintln!("test took {:.1} s", started.elapsed().as_secs_f64());
}

/// The simulated host of the real-Flink test (its own loopback address: no other test uses
/// 127.0.10.x).
const ADDR: &str = "127.0.10.1";

#[test]
fn flink_on_a_tls_quorum() {
    let _lock = ClusterLock::acquire();
    let started = Instant::now();
    // Declared before the cluster: dropped after it (its stop needs the quorum).
    let zk = ZkServer::start_tls(ADDR);
    let files = zk.tls_files();
    let c = TestCluster::new(&[ADDR]);
    // One host: an external quorum (no zoo.cfg), one JobManager and one TaskManager on h1.
    c.on_external_quorum(
        &zk.secure_addr(),
        &tls_opts(&files.ca_pem, Some(&files.client_p12)),
        false,
    );

    let o = c.run(&["config", "check"]);
    assert!(o.status.success(), "config check: {}", show(&o));
    // Returns once healthy: the leader read over TLS from Flink's znodes answers and the
    // TaskManager is registered. The quorum names only the TLS port, so Flink's znodes are
    // there only if its JobManager's session is a TLS one.
    let (lv, st, install, start) = c.bring_up_on_h1();
    assert_eq!(st["quorum_serving"], true, "{st}");
    // Flink's own leader znode, read with flinkha's TLS session, names the REST URL that
    // `leader show` reported.
    let cluster = Cluster::load(&c.inventory).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (data, _) = rt.block_on(async {
        let s = cluster
            .ha
            .connect(&cluster.ha.connect_options())
            .await
            .expect("TLS session");
        s.get_data(&format!(
            "{}/leader/rest_server/connection_info",
            cluster.ha.path()
        ))
        .await
        .expect("Flink's rest_server znode")
    });
    let address = connection_info::decode(&data)
        .expect("Flink's connection_info")
        .address;
    assert_eq!(lv["rest_server"]["address"], address.as_str(), "{lv}");

    let stop = c.stop_all();
    eprintln!(
        "install+sync {:.1} s, start until healthy {:.1} s, stop {:.1} s, whole test {:.1} s",
        install.as_secs_f64(),
        start.as_secs_f64(),
        stop.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
