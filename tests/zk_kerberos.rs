//! A Kerberos quorum (issue 10): a real MIT KDC ([`common::kdc`]), a real ZooKeeper (Debian's
//! 3.8) whose `Server` context logs in as `zookeeper/localhost` from a keytab and which
//! requires a SASL login of every client, and clusters whose JobManagers log in with Flink's
//! own settings (`security.kerberos.login.keytab` / `principal` / `contexts: Client`, the JVMs'
//! `-Djava.security.krb5.conf`) and give their znodes the `creator` ACL. flinkha logs in as
//! they do, through MIT's GSSAPI library (see `flinkha::zk::kerberos`).
//!
//! One test function: the process environment that MIT's library reads is set once
//! (`prepare_process`), before any other thread of this test binary runs.
//! - Without Flink: an unauthenticated session is refused; flinkha, with a keytab whose first
//!   principal is another one, logs in as the configured principal (the ACL of the znodes it
//!   creates says so); `leader show`, `status`, the lock and the journal mirror work; a
//!   principal the keytab lacks, a keytab missing here and a keytab with stale keys are clear
//!   errors naming the setting, file or principal; another principal cannot read the
//!   JobManagers' znodes; a ticket cache login (`kinit` from the keytab, no keytab setting)
//!   works, and without a ticket it is a clear error.
//! - With real Flink 2.1.0 (one JobManager and one TaskManager, started by flinkha over ssh,
//!   logging in to the quorum with Kerberos): `start`'s health wait, `leader show` and
//!   `status` read Flink's own creator-ACL znodes.

#![allow(clippy::print_stderr)] // timings go to the test log

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::cluster::{ClusterLock, TestCluster, show};
use common::kdc::{Kdc, REALM};
use common::zkserver::{ZkServer, flinkha, leader_show_names, replace_once};
use flinkha::core::lock::{self, OperatorLock};
use flinkha::core::model::Cluster;
use flinkha::zk::kerberos::Credentials;
use flinkha::zk::security::AclMode;
use flinkha::zk::{self, ConnectOptions, Sasl, connection_info};
use zookeeper_client::{Acl, CreateMode, Permission};

/// The simulated host of the real-Flink part (no other test uses 127.0.11.x).
const ADDR: &str = "127.0.11.1";

fn principal(name: &str) -> String {
    format!("{name}@{REALM}")
}

/// The creator ACL of a Kerberos identity.
fn creator_acl(who: &str) -> Vec<Acl> {
    vec![Acl::new(
        Permission::ALL,
        zookeeper_client::AuthId::new("sasl", who),
    )]
}

/// The Flink settings of a keytab login of `who` from `keytab`, with `krb5` for the JVMs.
fn kerberos_settings(keytab: &Path, who: &str, krb5: &Path) -> String {
    format!(
        "security.kerberos.login.keytab: {}\nsecurity.kerberos.login.principal: {who}\nsecurity.kerberos.login.contexts: Client\nhigh-availability.zookeeper.client.acl: creator\n",
        keytab.display()
    ) + &format!(
        "env.java.opts.all: -Djava.security.krb5.conf={}\n",
        krb5.display()
    )
}

/// A ZooKeeper server on 127.0.0.1 that logs in as `zookeeper/localhost` from `keytab`.
fn kerberos_zk(kdc: &Kdc, keytab: &Path) -> ZkServer {
    let jaas = format!(
        "Server {{\n  com.sun.security.auth.module.Krb5LoginModule required\n    useKeyTab=true\n    keyTab=\"{}\"\n    storeKey=true\n    useTicketCache=false\n    principal=\"{}\";\n}};\n",
        keytab.display(),
        principal("zookeeper/localhost")
    );
    ZkServer::start_sasl_jaas(
        "127.0.0.1",
        &jaas,
        &[format!(
            "-Djava.security.krb5.conf={}",
            kdc.krb5_conf().display()
        )],
    )
}

#[test]
fn kerberos_quorum_with_and_without_flink() {
    let started = Instant::now();
    let kdc = Kdc::start();
    let keys = tempfile::tempdir().unwrap();
    let kt = |name: &str| keys.path().join(name);
    for p in [
        "zookeeper/localhost",
        "flink/localhost",
        "other/localhost",
        "stale/localhost",
    ] {
        kdc.add_principal(p);
    }
    kdc.keytab(&kt("zk.keytab"), &["zookeeper/localhost"]);
    kdc.keytab(&kt("flink.keytab"), &["flink/localhost"]);
    // `other` first: MIT's library alone would log in as `other`.
    kdc.keytab(&kt("multi.keytab"), &["other/localhost", "flink/localhost"]);
    kdc.keytab(&kt("other.keytab"), &["other/localhost"]);
    kdc.keytab(&kt("stale.keytab"), &["stale/localhost"]);
    kdc.change_key("stale/localhost");
    let zk = kerberos_zk(&kdc, &kt("zk.keytab"));
    // The server principal's host is the connect string's: `localhost`.
    let quorum = format!("localhost:{}", zk.port);

    let dir = tempfile::tempdir().unwrap();
    let jm_port = common::zkserver::free_port("127.0.0.1");
    let inv = common::zkserver::ha_inventory(
        dir.path(),
        &zk,
        "krb-it",
        jm_port,
        &kerberos_settings(&kt("multi.keytab"), "flink/localhost", &kdc.krb5_conf()),
        "",
    );
    let conf_yaml = dir.path().join("conf/config.yaml");
    let text = replace_once(
        &std::fs::read_to_string(&conf_yaml).unwrap(),
        &format!("quorum: {}\n", zk.connect_string()),
        &format!("quorum: {quorum}\n"),
    );
    std::fs::write(&conf_yaml, &text).unwrap();

    let cluster = Cluster::load(&inv).expect("load cluster");
    let Sasl::Kerberos(login) = &cluster.ha.security.sasl else {
        panic!("{:?}", cluster.ha.security.sasl)
    };
    assert_eq!(
        login.credentials,
        Credentials::Keytab {
            keytab: kt("multi.keytab"),
            principal: principal("flink/localhost")
        }
    );
    assert_eq!(login.service, "zookeeper");
    assert_eq!(login.krb5_conf.as_deref(), Some(kdc.krb5_conf().as_path()));
    // SAFETY: the one test of this binary; no other thread reads the environment yet.
    unsafe { zk::kerberos::prepare_process(login) };

    let rt = tokio::runtime::Runtime::new().unwrap();
    // The session stays open (its ephemeral leader znode with it) until the end of the test.
    let _jm = rt.block_on(async {
        // An unauthenticated session gets nothing.
        match zk::connect(&quorum, Duration::from_secs(5)).await {
            Err(_) => {}
            Ok(c) => assert!(
                c.list_children("/").await.is_err(),
                "an unauthenticated session listed /"
            ),
        }
        // Flink-like leader znodes, with the creator ACL, written by flinkha's Kerberos session.
        let jm = cluster
            .ha
            .connect(&ConnectOptions {
                readonly: false,
                ..cluster.ha.connect_options()
            })
            .await
            .expect("Kerberos session");
        let ha = cluster.ha.path();
        let creator = CreateMode::Persistent.with_acls(AclMode::Creator.acls());
        jm.mkdir(&format!("{ha}/leader/rest_server"), &creator)
            .await
            .unwrap();
        let url = format!("http://127.0.0.1:{jm_port}");
        let znode = format!("{ha}/leader/rest_server/connection_info");
        jm.create(
            &znode,
            &connection_info::encode(&url, "00000000-0000-0001-0000-000000000004").unwrap(),
            &CreateMode::Ephemeral.with_acls(AclMode::Creator.acls()),
        )
        .await
        .unwrap();
        // The session's identity is the configured principal, not the keytab's first.
        let (acl, _) = jm.get_acl(&znode).await.unwrap();
        assert_eq!(
            acl,
            creator_acl(&principal("flink/localhost")),
            "ACL of {znode}"
        );

        leader_show_names(&inv, &url, "leader show");

        let lock = OperatorLock::acquire(&cluster, "krb-test")
            .await
            .expect("take the lock");
        lock.mirror("upgrade", b"{\"krb\":1}")
            .await
            .expect("mirror");
        let (acl, _) = jm.get_acl(&lock::lock_path(&cluster)).await.unwrap();
        assert_eq!(
            acl,
            creator_acl(&principal("flink/localhost")),
            "ACL of the lock"
        );
        let o = flinkha(&inv, &["status", "--output", "json"]);
        let st: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("status: {e}: {}", show(&o)));
        assert_eq!(st["lock"]["command"], "krb-test", "{st}");
        assert_eq!(st["leader"]["rest_url"], url.as_str(), "{st}");
        assert_eq!(st["quorum_serving"], true, "{st}");
        lock.release().await;
        assert_eq!(lock::holder(&cluster).await.unwrap(), None);
        jm
    });

    // `config show` names the login; nothing of the keytab's keys is printed.
    let o = flinkha(&inv, &["config", "show"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", show(&o));
    assert!(
        out.contains("SASL GSSAPI (Kerberos)") && out.contains(&principal("flink/localhost")),
        "{out}"
    );

    // Errors, each naming what is wrong.
    let with = |settings: &str| {
        let t = text.replace(
            &kerberos_settings(&kt("multi.keytab"), "flink/localhost", &kdc.krb5_conf()),
            settings,
        );
        assert_ne!(t, text);
        std::fs::write(&conf_yaml, t).unwrap();
    };
    // A principal the keytab lacks: `config check` and the command say so before any traffic.
    with(&kerberos_settings(
        &kt("other.keytab"),
        "flink/localhost",
        &kdc.krb5_conf(),
    ));
    for args in [&["config", "check"][..], &["leader", "show"]] {
        let o = flinkha(&inv, args);
        let all = show(&o);
        assert!(!o.status.success(), "{all}");
        assert!(
            all.contains("has no key for the principal `flink/localhost`")
                && all.contains(&principal("other/localhost"))
                && all.contains("security.kerberos.login.keytab"),
            "{args:?}: {all}"
        );
    }
    // A keytab that is a host path missing here, then found through `zookeeper.keytab:`.
    with(&kerberos_settings(
        Path::new("/etc/security/keytabs/flink.keytab"),
        "flink/localhost",
        &kdc.krb5_conf(),
    ));
    let o = flinkha(&inv, &["config", "check"]);
    let all = show(&o);
    assert!(
        !o.status.success()
            && all.contains("/etc/security/keytabs/flink.keytab")
            && all.contains("does not exist on this machine")
            && all.contains("`zookeeper.keytab:`"),
        "{all}"
    );
    let inv_text = std::fs::read_to_string(&inv).unwrap();
    std::fs::write(
        &inv,
        format!(
            "{inv_text}zookeeper:\n  keytab: {}\n",
            kt("flink.keytab").display()
        ),
    )
    .unwrap();
    leader_show_names(
        &inv,
        &format!("http://127.0.0.1:{jm_port}"),
        "local copy of the keytab",
    );
    std::fs::write(&inv, &inv_text).unwrap();
    // Stale keys (the principal's key changed since the keytab was written): the KDC's
    // refusal, the principal and the keytab, at once rather than at a timeout.
    with(&kerberos_settings(
        &kt("stale.keytab"),
        "stale/localhost",
        &kdc.krb5_conf(),
    ));
    let t0 = Instant::now();
    let o = flinkha(&inv, &["leader", "show"]);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(!o.status.success(), "{}", show(&o));
    assert!(
        err.contains("Kerberos login to ZooKeeper")
            && err.contains(&principal("stale/localhost"))
            && err.contains("stale.keytab"),
        "{err}"
    );
    eprintln!(
        "stale keytab reported in {:.1} s: {err}",
        t0.elapsed().as_secs_f64()
    );
    // Another principal logs in but cannot read the JobManagers' znodes.
    with(&kerberos_settings(
        &kt("other.keytab"),
        "other/localhost",
        &kdc.krb5_conf(),
    ));
    let o = flinkha(&inv, &["leader", "show"]);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(!o.status.success(), "{}", show(&o));
    eprintln!("other principal: {err}");
    assert!(
        err.contains("not authorized") && err.contains("security.kerberos.login.principal"),
        "{err}"
    );
    // A ticket cache login (no keytab; `use-ticket-cache` defaults to true): the cache of the
    // user running flinkha, here one `kinit` filled from flink's keytab; without a ticket,
    // a clear error.
    let ticket_cache = "security.kerberos.login.contexts: Client\nhigh-availability.zookeeper.client.acl: creator\n"
        .to_string()
        + &format!(
            "env.java.opts.all: -Djava.security.krb5.conf={}\n",
            kdc.krb5_conf().display()
        );
    with(&ticket_cache);
    let cache = keys.path().join("ccache");
    let o = std::process::Command::new("kinit")
        .args(["-k", "-t"])
        .arg(kt("flink.keytab"))
        .arg(principal("flink/localhost"))
        .env("KRB5_CONFIG", kdc.krb5_conf())
        .env("KRB5CCNAME", format!("FILE:{}", cache.display()))
        .output()
        .expect("kinit (krb5-user)");
    assert!(o.status.success(), "kinit: {}", show(&o));
    let with_cache = |cache: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_flinkha"))
            .arg("-c")
            .arg(&inv)
            .args(["leader", "show", "--output", "json"])
            .env("NO_COLOR", "1")
            .env("KRB5CCNAME", format!("FILE:{}", cache.display()))
            .env_remove("KRB5_CLIENT_KTNAME")
            .env_remove("RUST_LOG")
            .env_remove("FLINKHA_LOG")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    let o = with_cache(&cache);
    assert!(o.status.success(), "ticket cache login: {}", show(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["rest_server"]["address"],
        format!("http://127.0.0.1:{jm_port}").as_str(),
        "{v}"
    );
    let o = with_cache(&keys.path().join("no-such-cache"));
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        !o.status.success()
            && err.contains("Kerberos login to ZooKeeper")
            && err.contains("the ticket cache of the user running flinkha")
            && err.contains("kinit"),
        "{err}"
    );
    eprintln!("no ticket: {err}");
    eprintln!("without Flink: {:.1} s", started.elapsed().as_secs_f64());

    flink_on_a_kerberos_quorum(&kdc, &quorum, &kt("flink.keytab"));
    eprintln!("test took {:.1} s", started.elapsed().as_secs_f64());
}

/// Real Flink 2.1.0 on `quorum`, its JobManager logging in as `flink/localhost` from `keytab`.
fn flink_on_a_kerberos_quorum(kdc: &Kdc, quorum: &str, keytab: &Path) {
    let _lock = ClusterLock::acquire();
    let c = TestCluster::new(&[ADDR]);
    c.on_external_quorum(
        quorum,
        &format!("-Djava.security.krb5.conf={}", kdc.krb5_conf().display()),
        true,
    );
    let cfg = std::fs::read_to_string(c.conf_file("config.yaml")).unwrap();
    let cfg = format!(
        "{cfg}security.kerberos.login.keytab: {}\nsecurity.kerberos.login.principal: {}\nsecurity.kerberos.login.contexts: Client\n",
        keytab.display(),
        principal("flink/localhost")
    );
    std::fs::write(c.conf_file("config.yaml"), cfg).unwrap();

    let o = c.run(&["config", "check"]);
    assert!(o.status.success(), "config check: {}", show(&o));
    // Returns once healthy: the leader, read with Kerberos from Flink's creator-ACL znodes,
    // answers and the TaskManager is registered.
    let (lv, _, install, start) = c.bring_up_on_h1();
    // Flink's own znodes carry the creator ACL of its Kerberos principal.
    let cluster = Cluster::load(&c.inventory).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (acl, data) = rt.block_on(async {
        let s = cluster
            .ha
            .connect(&cluster.ha.connect_options())
            .await
            .expect("Kerberos session");
        let p = format!("{}/leader/rest_server/connection_info", cluster.ha.path());
        let (acl, _) = s
            .get_acl(&p)
            .await
            .expect("ACL of Flink's rest_server znode");
        let (data, _) = s.get_data(&p).await.expect("Flink's rest_server znode");
        (acl, data)
    });
    assert_eq!(
        acl,
        creator_acl(&principal("flink/localhost")),
        "ACL of Flink's znode"
    );
    let address = connection_info::decode(&data)
        .expect("Flink's connection_info")
        .address;
    assert_eq!(lv["rest_server"]["address"], address.as_str(), "{lv}");
    let stop = c.stop_all();
    eprintln!(
        "install+sync {:.1} s, start until healthy {:.1} s, stop {:.1} s",
        install.as_secs_f64(),
        start.as_secs_f64(),
        stop.as_secs_f64()
    );
}
