//! Launch records (`core::ops::daemons::start_script`): a daemon launched from its record runs
//! with exactly the command line and environment that Flink's own scripts gave it, for Flink
//! 2.1.0, 2.2.0 and 2.3.0 and every role; a changed input (the config) goes through the scripts
//! again, and a config whose Java options flink-daemon.sh would `eval` is never recorded.
//!
//! One host (127.0.10.1) of a test cluster, reached over SSH through the test sshd; each
//! version's FLINK_HOME is the cache's assembled one, linked into the install root (the
//! comparison is about how the daemon is launched, not about installing). The daemons are not
//! waited on for health (no quorum runs): each is read from `/proc` right after its start and
//! stopped by flinkha's stop script.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::cluster::{ClusterLock, TestCluster, show};
use flinkha::core::hosts::{Sessions, run};
use flinkha::core::model::{Cluster, Role};
use flinkha::core::ops::daemons::{start_script, stop_script};

/// `/proc/<pid>/cmdline` and `/proc/<pid>/environ`, split at NUL.
fn launched(pid: u32) -> (Vec<String>, BTreeMap<String, String>) {
    let split = |p: &str| -> Vec<String> {
        let raw = std::fs::read(format!("/proc/{pid}/{p}")).unwrap();
        raw.split(|b| *b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect()
    };
    let env = split("environ")
        .into_iter()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (kv, String::new()),
        })
        .collect();
    (split("cmdline"), env)
}

struct Host<'a> {
    cluster: Cluster,
    sessions: Sessions,
    name: &'a str,
}

impl Host<'_> {
    fn host(&self) -> &flinkha::core::model::Host {
        self.cluster.host(self.name).unwrap()
    }

    /// Start `role`; returns (pid, via) from `started <pid> <via>`.
    fn start(&self, role: Role) -> (u32, String) {
        let h = self.host();
        let t = self.sessions.get(h).unwrap();
        let out = run(
            h,
            t.as_ref(),
            "start",
            &start_script(&self.cluster, h, role),
        )
        .unwrap_or_else(|e| panic!("starting {role}: {e:?}"));
        let mut it = out.split_whitespace();
        assert_eq!(it.next(), Some("started"), "{role}: {out}");
        let pid = it.next().unwrap().parse().unwrap();
        (pid, it.next().unwrap_or("").to_string())
    }

    fn stop(&self, role: Role) {
        let h = self.host();
        let t = self.sessions.get(h).unwrap();
        let out = run(
            h,
            t.as_ref(),
            "stop",
            &stop_script(&self.cluster, h, role, 30),
        )
        .unwrap();
        assert!(
            out.starts_with("stopped") || out.starts_with("killed"),
            "stopping {role}: {out}"
        );
    }
}

const ROLES: [Role; 3] = [Role::ZooKeeper, Role::JobManager, Role::TaskManager];

/// Start every role; the (pid, via, cmdline, environ) of each.
type Launch = (u32, String, Vec<String>, BTreeMap<String, String>);
fn start_all(h: &Host) -> Vec<Launch> {
    let started: Vec<(u32, String)> = ROLES.iter().map(|r| h.start(*r)).collect();
    let out = started
        .into_iter()
        .map(|(pid, via)| {
            let (argv, env) = launched(pid);
            (pid, via, argv, env)
        })
        .collect();
    for r in ROLES.iter().rev() {
        h.stop(*r);
    }
    out
}

fn use_version(c: &TestCluster, root: &Path, version: &str) {
    let var = format!("FLINKHA_TEST_FLINK_HOME_{}", version.replace('.', "_"));
    let home = std::env::var(&var)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| common::cluster::cache().join(format!("flink-{version}")));
    assert!(
        home.join("bin/jobmanager.sh").is_file(),
        "{} is missing: run scripts/prepare-test-env.sh (scripts/test.sh does)",
        home.display()
    );
    std::fs::create_dir_all(root).unwrap();
    let dist = root.join(format!("flink-{version}"));
    let _ = std::fs::remove_file(&dist);
    std::os::unix::fs::symlink(&home, &dist).unwrap();
    let cur = root.join("current");
    let _ = std::fs::remove_file(&cur);
    std::os::unix::fs::symlink(format!("flink-{version}"), &cur).unwrap();
    c.edit_inventory(|s| {
        let mut out = String::new();
        for line in s.lines() {
            if line.starts_with("  version: ") {
                out.push_str(&format!("  version: {version}\n"));
            } else {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    });
    let o = c.run(&["sync", "--yes", "--host", "h1"]);
    assert!(o.status.success(), "sync: {}", show(&o));
}

fn host(c: &TestCluster) -> Host<'static> {
    Host {
        cluster: Cluster::load(&c.inventory).unwrap(),
        sessions: Sessions::new(),
        name: "h1",
    }
}

#[test]
fn recorded_launches_equal_the_scripts_ones_on_every_version() {
    let _lock = ClusterLock::acquire();
    let c = TestCluster::new(&["127.0.10.1", "127.0.10.2", "127.0.10.3"]);
    let root = c.roots[0].clone();
    for version in ["2.1.0", "2.2.0", "2.3.0"] {
        use_version(&c, &root, version);
        let h = host(&c);
        let first = start_all(&h);
        let again = start_all(&h);
        for (i, role) in ROLES.iter().enumerate() {
            let (p1, via1, argv1, env1) = &first[i];
            let (p2, via2, argv2, env2) = &again[i];
            assert_eq!(via1, "scripts", "{version} {role}: the first start");
            assert_eq!(via2, "recorded", "{version} {role}: the second start");
            assert_ne!(p1, p2);
            assert!(
                argv1
                    .iter()
                    .any(|a| a == flinkha::core::ops::daemons::main_class(*role)),
                "{version} {role}: {argv1:?}"
            );
            assert_eq!(argv1, argv2, "{version} {role}: command lines differ");
            // One SSH session for both starts: nothing differs, SSH_CONNECTION included.
            let diff: Vec<_> = env1
                .iter()
                .filter(|(k, v)| env2.get(*k) != Some(*v))
                .map(|(k, v)| format!("{k}: {v:?} vs {:?}", env2.get(k)))
                .chain(
                    env2.keys()
                        .filter(|k| !env1.contains_key(*k))
                        .map(|k| format!("{k}: only in the recorded launch")),
                )
                .collect();
            assert!(
                diff.is_empty(),
                "{version} {role}: environments differ in {diff:?}"
            );
            // What Flink's scripts export (bin/config.sh; JVM_ARGS by each role's script).
            for k in ["FLINK_CONF_DIR", "FLINK_BIN_DIR", "JAVA_RUN", "JVM_ARGS"] {
                assert!(env2.contains_key(k), "{version} {role}: no {k} in {env2:?}");
            }
        }
    }

    // A changed input (the config file) goes through the scripts again, once.
    let conf = root.join("conf/config.yaml");
    let h = host(&c);
    let mut text = std::fs::read_to_string(&conf).unwrap();
    text.push_str("\n# edited by hand\n");
    std::fs::write(&conf, &text).unwrap();
    assert_eq!(h.start(Role::TaskManager).1, "scripts");
    h.stop(Role::TaskManager);
    assert_eq!(h.start(Role::TaskManager).1, "recorded");
    h.stop(Role::TaskManager);
    // Java options with a command substitution are evaluated at every start by
    // flink-daemon.sh: never recorded.
    // (The host's config.yaml is the flattened one flinkha renders.)
    text = text.replace(
        "env.java.opts.all: '-XX:TieredStopAtLevel=1",
        "env.java.opts.all: '-Dflinkha.started=$(date +%s%N) -XX:TieredStopAtLevel=1",
    );
    assert!(text.contains("flinkha.started"), "{text}");
    std::fs::write(&conf, &text).unwrap();
    let (p1, via1) = h.start(Role::TaskManager);
    let stamp = |pid: u32| {
        launched(pid)
            .0
            .into_iter()
            .find(|a| a.starts_with("-Dflinkha.started="))
            .unwrap_or_else(|| panic!("no -Dflinkha.started in {pid}'s command line"))
    };
    let s1 = stamp(p1);
    h.stop(Role::TaskManager);
    let (p2, via2) = h.start(Role::TaskManager);
    let s2 = stamp(p2);
    h.stop(Role::TaskManager);
    assert_eq!((via1.as_str(), via2.as_str()), ("scripts", "scripts"));
    assert_ne!(s1, s2, "the option was not evaluated again");

    // A flink-daemon.sh other than the one the launch replicates (here: 2.1.0's with one more
    // line): never recorded. The dist is a tree of links to 2.1.0's, with its own bin/.
    std::fs::write(&conf, text.replace("-Dflinkha.started=$(date +%s%N) ", "")).unwrap();
    let patched = root.join("flink-2.1.0-patched");
    let home = std::fs::canonicalize(root.join("flink-2.1.0")).unwrap();
    let st = std::process::Command::new("cp")
        .arg("-rs")
        .arg(&home)
        .arg(&patched)
        .status()
        .unwrap();
    assert!(st.success());
    let bin = patched.join("bin");
    std::fs::remove_dir_all(&bin).unwrap();
    let st = std::process::Command::new("cp")
        .arg("-r")
        .arg(home.join("bin"))
        .arg(&bin)
        .status()
        .unwrap();
    assert!(st.success());
    let daemon_sh = bin.join("flink-daemon.sh");
    let mut sh = std::fs::read_to_string(&daemon_sh).unwrap();
    sh.push_str("\n# patched by the operator\n");
    std::fs::write(&daemon_sh, sh).unwrap();
    let cur = root.join("current");
    std::fs::remove_file(&cur).unwrap();
    std::os::unix::fs::symlink("flink-2.1.0-patched", &cur).unwrap();
    for _ in 0..2 {
        let (_, via) = h.start(Role::TaskManager);
        h.stop(Role::TaskManager);
        assert_eq!(via, "scripts", "a patched flink-daemon.sh was replicated");
    }
}
