//! Each live rule on byte fixtures of the facts script's output, against conf.example
//! (flink-1, flink-2: ZooKeeper + JobManager + TaskManager; flink-3: ZooKeeper + TaskManager;
//! Flink 2.1.0, REST 8081, HA port 6123 / 6124 on flink-2, ZooKeeper 2181 and 3888).

use sha2::{Digest, Sha256};

use super::facts::parse;
use super::*;
use crate::zk::connection_info::ConnectionInfo;
use crate::zk::leader::{LatchContender, Layout};

fn example() -> Cluster {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conf.example/flinkha.yaml");
    Cluster::load(&p).unwrap()
}

fn host<'c>(c: &'c Cluster, name: &str) -> &'c Host {
    c.hosts.iter().find(|h| h.name == name).unwrap()
}

/// Facts of a host that is fine: Java 17, flink-2.1.0, every rendered file as rendered.
fn healthy(c: &Cluster, name: &str, extra: &str) -> HostFacts {
    let h = host(c, name);
    let rendered = render_host(c, h).unwrap();
    let mut out = String::from(
        "javarc 0 java\njava openjdk version \"17.0.15\" 2025-04-15\ncurrent flink-2.1.0\ndist flink-dist-2.1.0.jar\n",
    );
    // As sync's state_script prints them: one `stat` line per file, then `sha256sum`'s.
    for r in &rendered {
        out.push_str(&format!("conf mode {:o} {}\n", r.mode, r.rel_path));
    }
    for r in &rendered {
        out.push_str(&format!(
            "conf {}  {}\n",
            hex::encode(Sha256::digest(&r.content)),
            r.rel_path
        ));
    }
    out.push_str(extra);
    HostFacts {
        host: name.into(),
        facts: Ok(parse(&out)),
        clock: Some((0, 2)),
        rendered,
    }
}

fn all_healthy(c: &Cluster) -> Vec<HostFacts> {
    ["flink-1", "flink-2", "flink-3"]
        .iter()
        .map(|h| healthy(c, h, ""))
        .collect()
}

fn ids(findings: &[Finding]) -> Vec<(String, Option<String>, Severity)> {
    findings
        .iter()
        .map(|f| (f.id.clone().unwrap(), f.host.clone(), f.severity))
        .collect()
}

fn one(id: &str, host: Option<&str>, sev: Severity) -> Vec<(String, Option<String>, Severity)> {
    vec![(id.to_string(), host.map(str::to_string), sev)]
}

#[test]
fn a_healthy_cluster_has_no_findings() {
    let c = example();
    assert_eq!(ids(&rules(&c, &all_healthy(&c))), []);
}

#[test]
fn an_unreachable_host_is_a_finding() {
    let c = example();
    let mut g = all_healthy(&c);
    g[2].facts = Err("connection refused".into());
    assert_eq!(
        ids(&rules(&c, &g)),
        one("host-unreachable", Some("flink-3"), Severity::Error)
    );
}

#[test]
fn java_against_the_flink_version() {
    let v2 = Version::new(2, 1, 0);
    assert!(java_supported(&v2, 17).is_ok());
    assert!(java_supported(&v2, 11).is_ok());
    assert_eq!(java_supported(&v2, 8).unwrap_err().0, Severity::Error);
    assert_eq!(java_supported(&v2, 25).unwrap_err().0, Severity::Warning);
    assert!(java_supported(&Version::new(1, 17, 2), 8).is_ok());
    assert_eq!(
        java_supported(&Version::new(1, 17, 2), 17).unwrap_err().0,
        Severity::Warning
    );
    assert!(java_supported(&Version::new(1, 18, 0), 17).is_ok());
    assert!(java_supported(&Version::new(1, 20, 0), 21).is_ok());
    let c = example();
    let mut g = all_healthy(&c);
    g[0] = healthy(&c, "flink-1", "");
    if let Ok(f) = &mut g[0].facts {
        f.java = vec!["java version \"1.8.0_392\"".into()];
    }
    if let Ok(f) = &mut g[1].facts {
        f.java_rc = Some((127, "/opt/jdk/bin/java".into()));
        f.java = vec!["sh: 1: /opt/jdk/bin/java: not found".into()];
    }
    let found = rules(&c, &g);
    assert_eq!(
        ids(&found),
        [
            (
                "java-version".into(),
                Some("flink-1".into()),
                Severity::Error
            ),
            (
                "java-missing".into(),
                Some("flink-2".into()),
                Severity::Error
            ),
        ]
    );
    assert!(found[0].message.contains("Java 8"), "{}", found[0].message);
    assert!(
        found[1].message.contains("exited 127"),
        "{}",
        found[1].message
    );
}

#[test]
fn flink_version_drift_and_pending_upgrade() {
    let c = example();
    let mut g = all_healthy(&c);
    if let Ok(f) = &mut g[1].facts {
        f.current = Some("flink-2.2.0".into());
        f.dist = vec!["flink-dist-2.2.0.jar".into()];
    }
    if let Ok(f) = &mut g[2].facts {
        f.current = None;
    }
    assert_eq!(
        ids(&rules(&c, &g)),
        [
            (
                "flink-version-drift".into(),
                Some("flink-2".into()),
                Severity::Error
            ),
            (
                "flink-not-installed".into(),
                Some("flink-3".into()),
                Severity::Error
            ),
        ]
    );
    // Every host on the same other version: an upgrade pending, a warning each.
    let mut g = all_healthy(&c);
    for h in &mut g {
        if let Ok(f) = &mut h.facts {
            f.current = Some("flink-2.0.0".into());
            f.dist = vec!["flink-dist-2.0.0.jar".into()];
        }
    }
    let found = rules(&c, &g);
    assert_eq!(found.len(), 3);
    assert!(
        found
            .iter()
            .all(|f| f.severity == Severity::Warning
                && f.id.as_deref() == Some("flink-version-drift"))
    );
    // A dist jar that does not match the directory it is in.
    let mut g = all_healthy(&c);
    if let Ok(f) = &mut g[0].facts {
        f.dist = vec!["flink-dist-2.3.0.jar".into()];
    }
    assert_eq!(
        ids(&rules(&c, &g)),
        one("flink-version-drift", Some("flink-1"), Severity::Error)
    );
}

#[test]
fn conf_drift_on_one_host_is_an_error_on_all_a_warning() {
    let c = example();
    let mut g = all_healthy(&c);
    if let Ok(f) = &mut g[1].facts {
        f.conf = f
            .conf
            .replacen("conf/config.yaml", "conf/config.yaml-not-this-one", 1);
        let line = f
            .conf
            .lines()
            .find(|l| l.ends_with("  conf/masters"))
            .unwrap()
            .to_string();
        let edited = format!("{}  conf/masters", "0".repeat(64));
        f.conf = f.conf.replace(&line, &edited);
    }
    let found = rules(&c, &g);
    assert_eq!(
        ids(&found),
        [
            ("conf-drift".into(), Some("flink-2".into()), Severity::Error),
            ("conf-drift".into(), Some("flink-2".into()), Severity::Error),
        ]
    );
    assert!(
        found
            .iter()
            .any(|f| f.message.contains("conf/config.yaml on flink-2 is missing"))
    );
    assert!(
        found
            .iter()
            .any(|f| f.message.contains("conf/masters on flink-2 differs"))
    );
    assert_eq!(
        found[0].file.display().to_string(),
        "/var/tmp/flinkha-demo/hosts/flink-2/conf/config.yaml"
    );
    // The conf dir changed since the last sync: every host differs.
    let mut g = all_healthy(&c);
    for h in &mut g {
        h.rendered[0].content.extend_from_slice(b"# new\n");
    }
    let found = rules(&c, &g);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found
            .iter()
            .all(|f| f.severity == Severity::Warning && f.message.contains("on every host"))
    );
}

#[test]
fn clock_skew_against_the_median() {
    let c = example();
    let mut g = all_healthy(&c);
    g[0].clock = Some((10, 3));
    g[1].clock = Some((-5, 3));
    g[2].clock = Some((2_600, 40));
    let found = rules(&c, &g);
    assert_eq!(
        ids(&found),
        one("clock-skew", Some("flink-3"), Severity::Warning)
    );
    assert!(
        found[0].message.contains("2.6 s ahead"),
        "{}",
        found[0].message
    );
    // Within the round trip's uncertainty: nothing.
    g[2].clock = Some((1_500, 600));
    assert_eq!(ids(&rules(&c, &g)), []);
    g[2].clock = Some((-400_000, 3));
    assert_eq!(
        ids(&rules(&c, &g)),
        one("clock-skew", Some("flink-3"), Severity::Error)
    );
}

/// `0100007F`-style hex of an IPv4 address as /proc/net/tcp prints it.
fn hex4(a: [u8; 4]) -> String {
    format!("{:08X}", u32::from_le_bytes(a))
}

#[test]
fn ports_held_by_the_right_daemon() {
    let c = example();
    let h = host(&c, "flink-1");
    let want: Vec<(Role, u16, String)> = expected_ports(&c, h)
        .into_iter()
        .map(|e| (e.role, e.port, e.bind))
        .collect();
    assert_eq!(
        want,
        [
            (Role::ZooKeeper, 2181, "127.0.1.1".into()),
            (Role::ZooKeeper, 3888, "127.0.1.1".into()),
            (Role::JobManager, 8081, "127.0.1.1".into()),
            (Role::JobManager, 6123, "0.0.0.0".into()),
        ]
    );
    let rest = format!("{}:1F91", hex4([127, 0, 1, 1]));
    // The JobManager runs and holds its REST port; its HA port listens on all addresses.
    let ok = format!(
        "daemon standalonesession 42\nsock standalonesession 7\nsock standalonesession 8\nlisten {rest} 7\nlisten 00000000:17EB 8\n"
    );
    let mut g = all_healthy(&c);
    g[0] = healthy(&c, "flink-1", &ok);
    assert_eq!(ids(&rules(&c, &g)), []);
    // Another process holds the REST port.
    g[0] = healthy(
        &c,
        "flink-1",
        &ok.replace(&format!("listen {rest} 7"), &format!("listen {rest} 9")),
    );
    assert_eq!(
        ids(&rules(&c, &g)),
        one("port-held-by-other", Some("flink-1"), Severity::Error)
    );
    // The JobManager is down and something listens on its HA port (all addresses): it can't
    // start. The same port on another host's address does not clash with a specific bind.
    g[0] = healthy(
        &c,
        "flink-1",
        &format!(
            "listen 00000000:17EB 8\nlisten {}:1F91 5\n",
            hex4([127, 0, 1, 2])
        ),
    );
    assert_eq!(
        ids(&rules(&c, &g)),
        one("port-in-use", Some("flink-1"), Severity::Error)
    );
    // Up, but not listening on its REST port.
    g[0] = healthy(
        &c,
        "flink-1",
        "daemon standalonesession 42\nsock standalonesession 8\nlisten 00000000:17EB 8\n",
    );
    assert_eq!(
        ids(&rules(&c, &g)),
        one("port-not-listening", Some("flink-1"), Severity::Warning)
    );
}

#[test]
fn pid_files_naming_other_processes() {
    let c = example();
    let mut g = all_healthy(&c);
    g[2] = healthy(
        &c,
        "flink-3",
        "pid standalonesession 4242 other /usr/sbin/sshd -D\npid taskexecutor 99 dead\n",
    );
    let found = rules(&c, &g);
    assert_eq!(
        ids(&found),
        [
            (
                "pid-file-foreign".into(),
                Some("flink-3".into()),
                Severity::Error
            ),
            (
                "pid-file-stale".into(),
                Some("flink-3".into()),
                Severity::Warning
            ),
        ]
    );
    assert!(found[0].message.contains("`/usr/sbin/sshd -D`"));
    assert!(
        found[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("would kill pid 4242")
    );
    assert_eq!(
        found[0].file.display().to_string(),
        "/var/tmp/flinkha-demo/hosts/flink-3/run/flink-demo-flink-3-standalonesession.pid"
    );
    // A dead pid beside the live daemon's own (flink-daemon.sh appends) is no finding.
    g[2] = healthy(
        &c,
        "flink-3",
        "daemon taskexecutor 100\npid taskexecutor 99 dead\npid taskexecutor 100 ours\n",
    );
    assert_eq!(ids(&rules(&c, &g)), []);
}

#[test]
fn quorum_reachability_and_disk_space() {
    let c = example();
    let mut g = all_healthy(&c);
    g[2] = healthy(
        &c,
        "flink-3",
        "zk 127.0.1.1:2181 ok\nzk 127.0.1.2:2181 fail\ndf log 100000 1000000 /x/log\ndf tmp 2000000 3000000 /x/tmp\n",
    );
    g[1] = healthy(&c, "flink-2", "df log 2500000 9000000 /y/log\n");
    let found = rules(&c, &g);
    assert_eq!(
        ids(&found),
        [
            (
                "quorum-unreachable".into(),
                Some("flink-3".into()),
                Severity::Error
            ),
            ("disk-space".into(), Some("flink-3".into()), Severity::Error),
        ]
    );
    // flink-2's JobManager and TaskManager log there: 2 GiB wanted, 1.4 GiB free.
    assert!(found[0].message.contains("127.0.1.2:2181"));
    g[1] = healthy(&c, "flink-2", "df log 1500000 9000000 /y/log\n");
    assert!(ids(&rules(&c, &g)).contains(&(
        "disk-space".into(),
        Some("flink-2".into()),
        Severity::Warning
    )));
    let mut g = all_healthy(&c);
    if let Ok(f) = &mut g[0].facts {
        f.zk_tools_missing = true;
    }
    assert_eq!(
        ids(&rules(&c, &g)),
        one("quorum-unreachable", Some("flink-1"), Severity::Warning)
    );
}

#[test]
fn filesystems_need_their_plugin_or_hadoop() {
    let mut c = example();
    for h in &mut c.hosts {
        h.flink_overrides.push((
            "high-availability.storageDir".into(),
            "s3://bucket/ha".into(),
        ));
        h.flink_overrides.push((
            "execution.checkpointing.dir".into(),
            "hdfs:///flink/cp".into(),
        ));
    }
    let mut g = all_healthy(&c);
    g[0] = healthy(
        &c,
        "flink-1",
        "plugin s3-fs-presto/flink-s3-fs-presto-2.1.0.jar\nhadoop env\n",
    );
    let found = rules(&c, &g);
    let got = ids(&found);
    for h in ["flink-2", "flink-3"] {
        assert!(
            got.contains(&("fs-plugin-missing".into(), Some(h.into()), Severity::Error)),
            "{got:?}"
        );
        assert!(
            got.contains(&("fs-hadoop-missing".into(), Some(h.into()), Severity::Error)),
            "{got:?}"
        );
    }
    assert!(
        !got.iter().any(|(_, h, _)| h.as_deref() == Some("flink-1")),
        "{got:?}"
    );
    assert_eq!(scheme("file:///x"), "file");
    assert_eq!(scheme("/x"), "file");
    assert_eq!(scheme("S3A://b/x"), "s3a");
    assert_eq!(plugin_for("hdfs"), None);
}

#[test]
fn remote_fetch_needs_a_tool_and_the_url_from_each_host() {
    let mut c = example();
    // Local fetch: the facts script asks nothing, the rule says nothing.
    assert_eq!(c.remote_fetch_url(), None);
    c.install_fetch = crate::core::inventory::FetchMode::Remote;
    c.distribution = Some((
        crate::core::model::DistSource::Url("https://user:pw@mirror.example/flink.tgz".into()),
        None,
    ));
    assert!(c.remote_fetch_url().is_some());
    let mut g = vec![
        healthy(&c, "flink-1", "fetch curl ok\n"),
        healthy(&c, "flink-2", "fetch none\n"),
        healthy(&c, "flink-3", "fetch curl fail 22\n"),
    ];
    let found = rules(&c, &g);
    assert_eq!(
        ids(&found),
        vec![
            (
                "install-fetch-tool".into(),
                Some("flink-2".into()),
                Severity::Warning
            ),
            (
                "install-fetch-unreachable".into(),
                Some("flink-3".into()),
                Severity::Warning
            ),
        ]
    );
    let msg = &found[1].message;
    assert!(
        msg.contains("curl exit status 22") && msg.contains("HTTP error"),
        "{msg}"
    );
    assert!(!msg.contains("pw@"), "the URL's password is shown: {msg}");
    g[2] = healthy(&c, "flink-3", "fetch wget fail 4\n");
    let found = rules(&c, &g);
    assert!(
        found[1].message.contains("cannot resolve or connect"),
        "{:?}",
        found[1]
    );
}

#[test]
fn storage_dir_and_quorum_parsing() {
    let c = example();
    assert_eq!(
        local_storage_dir(&c).as_deref(),
        Some("/var/tmp/flinkha-demo/ha")
    );
    assert_eq!(
        quorum_servers("a:2181,b:2181 ,[::1]:2182/chroot/x"),
        ["a:2181", "b:2181", "[::1]:2182"]
    );
    let h = host(&c, "flink-3");
    let labels: Vec<String> = disk_dirs(&c, h)
        .into_iter()
        .map(|d| format!("{} {}", d.label, d.path))
        .collect();
    assert_eq!(
        labels,
        [
            "log /var/tmp/flinkha-demo/hosts/flink-3/log",
            "tmp /var/tmp/flinkha-demo/hosts/flink-3/tmp",
            "zookeeper /var/tmp/flinkha-demo/hosts/flink-3/zookeeper",
        ]
    );
}

fn contender(seq: u64) -> LatchContender {
    LatchContender {
        znode: format!("_c_x-latch-{seq:010}"),
        sequence: seq,
        session_id: seq as i64,
        created_ms: 0,
    }
}

fn view(contenders: usize, rest: &str) -> LeaderView {
    LeaderView {
        ha_path: "/flink/flinkha-demo".into(),
        layout: Layout::Modern,
        dispatcher: Some(ConnectionInfo {
            address: "pekko.tcp://flink@127.0.1.1:6123/user/rpc/dispatcher_1".into(),
            session_id: "s".into(),
        }),
        resource_manager: None,
        rest_server: Some(ConnectionInfo {
            address: rest.into(),
            session_id: "s".into(),
        }),
        contenders: (0..contenders as u64).map(contender).collect(),
        jobs: Vec::new(),
        legacy_components: Vec::new(),
        notes: Vec::new(),
    }
}

#[test]
fn foreign_contenders_and_leaders() {
    let c = example();
    let jm_up = "daemon standalonesession 1\n";
    let g = vec![
        healthy(&c, "flink-1", jm_up),
        healthy(&c, "flink-2", jm_up),
        healthy(&c, "flink-3", ""),
    ];
    assert_eq!(
        ids(&leader_rules(&c, &g, &view(2, "http://127.0.1.1:8081"))),
        []
    );
    let found = leader_rules(&c, &g, &view(3, "http://127.0.1.1:8081"));
    assert_eq!(ids(&found), one("foreign-contender", None, Severity::Error));
    assert!(
        found[0].message.contains("3 latch contenders"),
        "{}",
        found[0].message
    );
    // A JobManager just killed leaves its latch until its session expires: a warning.
    let g2 = vec![
        healthy(&c, "flink-1", jm_up),
        healthy(&c, "flink-2", "pid standalonesession 5 dead\n"),
        healthy(&c, "flink-3", ""),
    ];
    assert_eq!(
        ids(&leader_rules(&c, &g2, &view(2, "http://127.0.1.1:8081"))),
        one("foreign-contender", None, Severity::Warning)
    );
    assert_eq!(
        ids(&leader_rules(&c, &g, &view(2, "http://10.9.9.9:8081"))),
        one("foreign-leader", None, Severity::Error)
    );
}
