//! A secured quorum (issue 10): a real ZooKeeper (Debian's 3.8) that requires a SASL
//! DIGEST-MD5 login of every session (`sessionRequireClientSASLAuth=true`, users `flink` and
//! `other` in its JAAS `Server` context), and a cluster with
//! `high-availability.zookeeper.client.acl: creator` whose JVMs get their login from a JAAS
//! file in `env.java.opts.all`, as Flink reads it (see `flinkha::zk::security`).
//!
//! - `lock_leader_and_errors_on_a_sasl_quorum` (no Flink JVM): an unauthenticated session
//!   is refused; flinkha, with the JAAS file of the Flink config, reads Flink-like leader
//!   znodes carrying the creator ACL (`leader show`, `status`); the operator lock and journal
//!   mirror get the creator ACL, another SASL identity can neither read nor delete them,
//!   `status` names the holder; a wrong password is a clear error naming the JAAS file and
//!   context (and never the password, not even in `-vvv` traces); `config check` names a
//!   JAAS file that does not exist.
//! - `flink_on_a_sasl_quorum` (real Flink 2.1.0, one JobManager + one TaskManager started by
//!   flinkha over ssh, the JAAS file synced from the conf dir): Flink's own znodes carry the
//!   creator ACL of user `flink`; `start`'s health wait, `leader show` and `status` read
//!   them; with a wrong password `start` fails at once and `stop` stops nothing.

#![allow(clippy::print_stderr)] // timings go to the test log

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::cluster::{ClusterLock, TestCluster, show};
use common::zkserver::{ZkServer, flinkha, leader_show_names};
use flinkha::core::lock::{self, OperatorLock};
use flinkha::core::model::Cluster;
use flinkha::zk::connection_info;
use flinkha::zk::security::DigestLogin;
use flinkha::zk::{self, AclMode, ConnectOptions, Sasl, ZkSecurity};
use zookeeper_client::{Acl, CreateMode, Permission};

const USERS: [(&str, &str); 2] = [("flink", "flink-pw-7f3a"), ("other", "other-pw-91c2")];
/// DigestLoginModule as the Flink JVM loads it (flink-dist shades ZooKeeper); flinkha takes
/// any `*.DigestLoginModule`.
const FLINK_DIGEST: &str =
    "org.apache.flink.shaded.zookeeper3.org.apache.zookeeper.server.auth.DigestLoginModule";

fn write_jaas(path: &Path, user: &str, password: &str) {
    std::fs::write(
        path,
        format!(
            "// the ZooKeeper client login of the Flink JVMs\nClient {{\n  {FLINK_DIGEST} required\n    username=\"{user}\"\n    password=\"{password}\";\n}};\n"
        ),
    )
    .unwrap();
}

fn login(user: &str, password: &str) -> ZkSecurity {
    ZkSecurity {
        sasl: Sasl::DigestMd5(DigestLogin {
            username: user.into(),
            password: flinkha::flinkconf::secrets::Secret::new(password),
            jaas_file: PathBuf::from("(test)"),
            context: "Client".into(),
        }),
        acl: AclMode::Creator,
        ..Default::default()
    }
}

async fn session(zk: &ZkServer, security: ZkSecurity) -> Result<zk::Client, zk::ZkError> {
    zk::connect_with(
        &zk.connect_string(),
        &ConnectOptions {
            readonly: false,
            security,
            ..Default::default()
        },
    )
    .await
}

fn creator_acl(user: &str) -> Vec<Acl> {
    vec![Acl::new(
        Permission::ALL,
        zookeeper_client::AuthId::new("sasl", user),
    )]
}

/// An unauthenticated session: refused at connect or at its first request.
async fn unauthenticated_is_refused(zk: &ZkServer) -> String {
    match zk::connect(&zk.connect_string(), Duration::from_secs(5)).await {
        Err(e) => format!("connect: {e:?}"),
        Ok(c) => match c.list_children("/").await {
            Err(e) => format!("ls /: {e:?}"),
            Ok(children) => panic!("an unauthenticated session listed / : {children:?}"),
        },
    }
}

/// A conf dir and inventory for one JobManager h1 at 127.0.0.1:`jm_port`, HA through `zk`
/// under `/flink/<cluster_id>` with the creator ACL, JVMs given `jaas` in `env.java.opts.all`.
fn sasl_inventory(
    dir: &Path,
    zk: &ZkServer,
    cluster_id: &str,
    jaas: &Path,
    jm_port: u16,
) -> PathBuf {
    common::zkserver::ha_inventory(
        dir,
        zk,
        cluster_id,
        jm_port,
        &format!(
            "env:\n  java:\n    opts:\n      all: -Xss1m -Djava.security.auth.login.config={}\n",
            jaas.display()
        ),
        "    client:\n      acl: creator\n",
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lock_leader_and_errors_on_a_sasl_quorum() {
    let started = Instant::now();
    let zk = ZkServer::start_sasl("127.0.0.1", &USERS);
    let refused = unauthenticated_is_refused(&zk).await;
    eprintln!("unauthenticated: {refused}");

    let dir = tempfile::tempdir().unwrap();
    let jaas = dir.path().join("jaas.conf");
    write_jaas(&jaas, USERS[0].0, USERS[0].1);
    let jm_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let inv = sasl_inventory(dir.path(), &zk, "sasl-it", &jaas, jm_port);
    let cluster = Cluster::load(&inv).expect("load cluster");
    assert_eq!(cluster.ha.security.acl, AclMode::Creator);
    assert!(
        matches!(&cluster.ha.security.sasl, Sasl::DigestMd5(l) if l.username == "flink" && l.jaas_file == jaas),
        "{:?}",
        cluster.ha.security
    );

    // Flink-like leader znodes, created by user `flink` with the creator ACL (what a
    // JobManager with `high-availability.zookeeper.client.acl: creator` writes).
    let jm = cluster
        .ha
        .connect(&ConnectOptions {
            readonly: false,
            ..cluster.ha.connect_options()
        })
        .await
        .expect("SASL session as flink");
    let ha = cluster.ha.path();
    let creator = CreateMode::Persistent.with_acls(AclMode::Creator.acls());
    jm.mkdir(&format!("{ha}/leader/rest_server"), &creator)
        .await
        .unwrap();
    let url = format!("http://127.0.0.1:{jm_port}");
    jm.create(
        &format!("{ha}/leader/rest_server/connection_info"),
        &connection_info::encode(&url, "00000000-0000-0001-0000-000000000002").unwrap(),
        &CreateMode::Ephemeral.with_acls(AclMode::Creator.acls()),
    )
    .await
    .unwrap();
    let other = session(&zk, login(USERS[1].0, USERS[1].1))
        .await
        .expect("SASL session as other");
    let rest_znode = format!("{ha}/leader/rest_server/connection_info");
    assert!(
        matches!(
            other.get_data(&rest_znode).await,
            Err(zookeeper_client::Error::NoAuth)
        ),
        "another identity read a creator-ACL znode"
    );

    let v = leader_show_names(&inv, &url, "leader show");
    assert_eq!(v["leader_host"], "h1", "{v}");

    // The operator lock and the journal mirror: creator ACL, user `flink`.
    let lock = OperatorLock::acquire(&cluster, "sasl-test")
        .await
        .expect("take the lock");
    lock.mirror("upgrade", b"{\"test\":1}")
        .await
        .expect("mirror");
    let lock_path = lock::lock_path(&cluster);
    let journal = lock::journal_path(&cluster, "upgrade");
    for p in [&lock_path, &journal, &lock::base_path(&cluster)] {
        let (acl, _) = jm.get_acl(p).await.unwrap();
        assert_eq!(acl, creator_acl("flink"), "ACL of {p}");
    }
    for p in [&lock_path, &journal] {
        assert!(
            matches!(
                other.delete(p, None).await,
                Err(zookeeper_client::Error::NoAuth)
            ),
            "another identity deleted {p}"
        );
        assert!(
            matches!(
                other.get_data(p).await,
                Err(zookeeper_client::Error::NoAuth)
            ),
            "another identity read {p}"
        );
    }
    let o = flinkha(&inv, &["status", "--output", "json"]);
    let st: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("status: {e}: {}", show(&o)));
    assert_eq!(st["lock"]["command"], "sasl-test", "{st}");
    assert_eq!(st["leader"]["rest_url"], url.as_str(), "{st}");
    assert_eq!(
        lock::read_mirror(&cluster, "upgrade")
            .await
            .unwrap()
            .as_deref(),
        Some(&b"{\"test\":1}"[..])
    );
    lock.release().await;
    assert!(matches!(
        jm.get_data(&lock_path).await,
        Err(zookeeper_client::Error::NoNode)
    ));
    assert_eq!(lock::holder(&cluster).await.unwrap(), None);

    // -vvv (every crate's debug events) never shows the password.
    let o = flinkha(&inv, &["-vvv", "leader", "show"]);
    assert!(o.status.success(), "{}", show(&o));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(all.contains("zk connect"), "{all}");
    assert!(
        !all.contains(USERS[0].1),
        "the password is in a trace:\n{all}"
    );
    for args in [
        &["config", "show"][..],
        &["config", "show", "--output", "json"][..],
    ] {
        let o = flinkha(&inv, args);
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(o.status.success(), "{args:?}: {}", show(&o));
        assert!(
            out.contains("DIGEST-MD5") || out.contains("digest-md5"),
            "{args:?}: {out}"
        );
        assert!(out.contains(&jaas.display().to_string()), "{args:?}: {out}");
        assert!(
            !out.contains(USERS[0].1),
            "{args:?} shows the password: {out}"
        );
    }

    // `${property}` in the JAAS file, set with -D in the JVM options, as the JDK expands it:
    // flinkha logs in to the real quorum with the expanded values (`leader show` reads the
    // creator-ACL znodes), and a property no -D sets is an error naming file, line and name.
    let expanding = dir.path().join("jaas-props.conf");
    std::fs::write(
        &expanding,
        format!(
            "Client {{\n  {FLINK_DIGEST} required\n    username=\"${{zk.user}}\"\n    password=\"${{zk.password}}\";\n}};\n"
        ),
    )
    .unwrap();
    let conf_yaml = dir.path().join("conf/config.yaml");
    let original = std::fs::read_to_string(&conf_yaml).unwrap();
    let with_props = |props: &str| {
        let text = original.replace(
            &format!("-Djava.security.auth.login.config={}", jaas.display()),
            &format!(
                "-Djava.security.auth.login.config={}{props}",
                expanding.display()
            ),
        );
        assert_ne!(text, original);
        std::fs::write(&conf_yaml, text).unwrap();
    };
    with_props(&format!(
        " -Dzk.user={} -Dzk.password={}",
        USERS[0].0, USERS[0].1
    ));
    let o = flinkha(&inv, &["leader", "show", "--output", "json"]);
    assert!(
        o.status.success(),
        "leader show with ${{...}}: {}",
        show(&o)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["rest_server"]["address"], url.as_str(), "{v}");
    with_props(&format!(" -Dzk.user={}", USERS[0].0));
    let o = flinkha(&inv, &["leader", "show"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{}", show(&o));
    assert!(
        err.contains("jaas-props.conf:2")
            && err.contains("${zk.password}")
            && err.contains("-Dzk.password="),
        "{err}"
    );
    std::fs::write(&conf_yaml, &original).unwrap();

    // A wrong password (the inventory's local copy of the JAAS file): a clear error naming
    // the user, context and file, without the password.
    let wrong = dir.path().join("wrong-jaas.conf");
    write_jaas(&wrong, "flink", "not-the-password-x1");
    let text = std::fs::read_to_string(&inv).unwrap();
    std::fs::write(
        &inv,
        format!("{text}zookeeper:\n  jaas_file: wrong-jaas.conf\n"),
    )
    .unwrap();
    let t = Instant::now();
    let o = flinkha(&inv, &["leader", "show"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{}", show(&o));
    for want in [
        "refused the SASL (DIGEST-MD5) login",
        "user `flink`",
        "context `Client`",
        &wrong.display().to_string(),
    ] {
        assert!(err.contains(want), "no `{want}` in: {err}");
    }
    assert!(!err.contains("not-the-password-x1"), "{err}");
    eprintln!(
        "wrong password reported in {:.1} s: {err}",
        t.elapsed().as_secs_f64()
    );

    // `config check`: a JAAS file that does not exist here is an error naming it.
    std::fs::write(
        &inv,
        format!("{text}zookeeper:\n  jaas_file: missing-jaas.conf\n"),
    )
    .unwrap();
    let o = flinkha(&inv, &["config", "check"]);
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!o.status.success(), "{out}");
    assert!(
        out.contains("missing-jaas.conf") && out.contains("does not exist on this machine"),
        "{out}"
    );
    let o = flinkha(&inv, &["leader", "show"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success()
            && err.contains("missing-jaas.conf")
            && err.contains("zookeeper.jaas_file"),
        "{err}"
    );
    eprintln!("test took {:.1} s", started.elapsed().as_secs_f64());
}

/// The simulated host of the real-Flink test (its own loopback address: no other test uses
/// 127.0.9.x).
const ADDR: &str = "127.0.9.1";

#[test]
fn flink_on_a_sasl_quorum() {
    let _lock = ClusterLock::acquire();
    let started = Instant::now();
    // Declared before the cluster: dropped after it (its stop needs the quorum).
    let zk = ZkServer::start_sasl(ADDR, &USERS);
    let c = TestCluster::new(&[ADDR]);
    // One host: an external quorum (no zoo.cfg), one JobManager and one TaskManager on h1.
    // The JAAS file lives in the conf dir: `sync` puts it at <root>/conf/jaas.conf on the
    // host, the path the JVMs are given. flinkha reads it from the conf dir (before the
    // sync that path does not exist yet, and `config check` must not complain).
    write_jaas(&c.conf_file("jaas.conf"), USERS[0].0, USERS[0].1);
    let jaas = c.roots[0].join("conf/jaas.conf");
    c.on_external_quorum(
        &zk.connect_string(),
        &format!("-Djava.security.auth.login.config={}", jaas.display()),
        true,
    );

    assert!(!jaas.exists());
    let o = c.run(&["config", "check"]);
    assert!(o.status.success(), "config check: {}", show(&o));
    assert!(
        !String::from_utf8_lossy(&o.stdout).contains("jaas"),
        "config check: {}",
        show(&o)
    );
    // Returns once healthy: the leader read from the (SASL, creator-ACL) znodes answers and
    // the TaskManager is registered.
    let (_, st, install, start) = c.bring_up_on_h1();
    let ha = st["ha_path"].as_str().unwrap().to_string();

    // Flink's own znodes carry the creator ACL of user `flink`: another identity cannot read
    // them, an unauthenticated session is refused.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let flink = session(&zk, login(USERS[0].0, USERS[0].1)).await.unwrap();
        let other = session(&zk, login(USERS[1].0, USERS[1].1)).await.unwrap();
        for p in [
            format!("{ha}/leader/rest_server/connection_info"),
            format!("{ha}/leader/latch"),
            ha.clone(),
        ] {
            let (acl, _) = flink
                .get_acl(&p)
                .await
                .unwrap_or_else(|e| panic!("{p}: {e}"));
            assert_eq!(acl, creator_acl("flink"), "ACL of Flink's {p}");
            assert!(
                matches!(
                    other.list_children(&p).await,
                    Err(zookeeper_client::Error::NoAuth)
                ),
                "another identity listed {p}"
            );
        }
        unauthenticated_is_refused(&zk).await;
    });

    // flinkha with a wrong password (a local copy of the JAAS file in the inventory): start's
    // health wait fails at once naming the file, instead of waiting out its timeout.
    let wrong = c.dir.path().join("wrong-jaas.conf");
    write_jaas(&wrong, USERS[0].0, "not-the-password-x2");
    let inv = std::fs::read_to_string(&c.inventory).unwrap();
    c.edit_inventory(|t| format!("{t}zookeeper:\n  jaas_file: {}\n", wrong.display()));
    let t = Instant::now();
    let o = c.run(&["start"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success(),
        "start with a wrong password: {}",
        show(&o)
    );
    assert!(
        err.contains("refused the SASL (DIGEST-MD5) login")
            && err.contains(&wrong.display().to_string()),
        "{}",
        show(&o)
    );
    assert!(!err.contains("not-the-password-x2"), "{err}");
    assert!(
        t.elapsed() < Duration::from_secs(30),
        "took {:?}",
        t.elapsed()
    );
    eprintln!(
        "start with a wrong password failed in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    // A mutating command does not go on without the operator lock when the login is refused
    // (only an unreachable quorum lets it): nothing is stopped.
    let pids = c.pids();
    let o = c.run(&["stop", "--yes"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success(),
        "stop with a wrong password: {}",
        show(&o)
    );
    assert!(err.contains("refused the SASL"), "{}", show(&o));
    assert!(!err.contains("going on without it"), "{}", show(&o));
    assert!(!pids.is_empty() && pids.iter().all(|p| common::cluster::alive(*p)));
    std::fs::write(&c.inventory, inv).unwrap();

    let stop = c.stop_all();
    eprintln!(
        "install+sync {:.1} s, start until healthy {:.1} s, stop {:.1} s, whole test {:.1} s",
        install.as_secs_f64(),
        start.as_secs_f64(),
        stop.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
