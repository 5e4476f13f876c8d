//! Property tests of the generated shell scripts (issue 10): whatever the install root and
//! cluster name (any characters but NUL), every script is valid `sh`, and the read-only and
//! not-installed paths of them run without executing any part of those values.

use std::path::Path;
use std::process::Command;

use proptest::prelude::*;

use super::{daemons, deployment, install, sync};
use crate::core::model::{Cluster, Role};
use crate::flinkconf::Version;
use crate::proptest_config as config;

/// A path segment made of what shells treat specially, plus command substitutions that would
/// leave a `PWNED` file behind if they ever ran.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z '\"$`\\\\;&|<>(){}*?!#~\t=%^-]{1,12}",
        1 => Just("$(touch PWNED)".to_string()),
        1 => Just("`touch PWNED`".to_string()),
        1 => Just("'; touch PWNED; '".to_string()),
        1 => Just("\"; touch PWNED; \"".to_string()),
        1 => Just("x\ntouch PWNED\n".to_string()),
        1 => Just("-rf".to_string()),
    ]
}

/// A cluster on this machine whose install root ends in `segment`.
fn cluster_at(dir: &Path, segment: &str, name: &str) -> Cluster {
    let conf = dir.join("conf-src");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(conf.join("config.yaml"), "parallelism:\n  default: 1\n").unwrap();
    std::fs::write(conf.join("masters"), "h1:8081\n").unwrap();
    std::fs::write(conf.join("workers"), "h1\n").unwrap();
    let root = format!("{}/{segment}", dir.display());
    let inv = dir.join("flinkha.yaml");
    std::fs::write(
        &inv,
        format!(
            "cluster: {}\nconf_dir: conf-src\ninstall_root: {}\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: 127.0.0.1\n",
            serde_json::to_string(name).unwrap(),
            serde_json::to_string(&root).unwrap(),
        ),
    )
    .unwrap();
    Cluster::load(&inv).unwrap()
}

/// Run `script` with sh in `dir`; its exit code.
fn run(dir: &Path, script: &str) -> Option<i32> {
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .output()
        .unwrap()
        .status
        .code()
}

/// `sh -n`: the script parses.
fn parses(script: &str) -> bool {
    Command::new("sh")
        .arg("-nc")
        .arg(script)
        .status()
        .unwrap()
        .success()
}

proptest! {
    // Each case starts about a dozen shells: 16 cases.
    #![proptest_config(ProptestConfig { cases: config().cases / 16, ..config() })]

    #[test]
    fn scripts_treat_values_as_data(segment in nasty(), name in "[a-z][a-z0-9_-]{0,8}") {
        let dir = tempfile::tempdir().unwrap();
        let c = cluster_at(dir.path(), &segment, &name);
        let host = &c.hosts[0];
        let v: Version = "2.1.0".parse().unwrap();
        let roles = [Role::JobManager, Role::TaskManager];
        let files = crate::core::render::render_host(&c, host).unwrap();
        let staging = format!("{}/.flinkha/staging", c.paths(host).root);
        // Valid sh, every one of them.
        for (what, s) in [
            ("stop", daemons::stop_script(&c, host, Role::JobManager, 1)),
            ("signal", daemons::signal_script(&c, host, Role::TaskManager, 999_999_999, "TERM")),
            ("activate", deployment::activate_script(&c, host, &v, None)),
            ("prune", sync::prune_script(&c.paths(host).root, 3)),
            ("install activate", install::activate_script(&c, host)),
            ("remote fetch", install::remote_fetch_script(&format!("{staging}/x.tgz"), std::time::Duration::from_secs(5))),
        ] {
            prop_assert!(parses(&s), "{what} script does not parse:\n{s}");
        }
        // Nothing installed: these run, read or refuse, and never run the root as code.
        for (what, s, want) in [
            ("probe", daemons::probe_script(&c, host, &roles), Some(0)),
            ("start", daemons::start_script(&c, host, Role::JobManager), Some(3)),
            ("stop", daemons::stop_script(&c, host, Role::JobManager, 1), Some(0)),
            ("log tail", daemons::log_tail_script(&c, host, Role::JobManager, 5), None),
            ("deployment state", deployment::state_script(&c, host, &roles), Some(0)),
            ("sync state", sync::state_script(host, &files), Some(0)),
            ("install state", install::state_script(&c, host), Some(0)),
            // No tarball: the digest check fails first, naming nothing but its message.
            ("unpack", install::unpack_script(&c, &c.paths(host), &"ab".repeat(64), &format!("{staging}/x.tgz"), &format!("{staging}/unpack"), &segment), Some(1)),
        ] {
            let code = run(dir.path(), &s);
            if want.is_some() {
                prop_assert_eq!(code, want, "{} script:\n{}", what, s);
            }
            prop_assert!(!dir.path().join("PWNED").exists(), "{what} ran part of the root:\n{s}");
        }
    }
}

/// Lines as the host scripts print them (a keyword, then fields), with any field values:
/// what a host with odd `ps`, `stat` or `sha256sum` output, or a tampered one, could send.
fn host_output() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("current".to_string()),
        Just("daemon".to_string()),
        Just("active".to_string()),
        Just("file".to_string()),
        "[a-z_]{1,12}",
    ];
    let field = prop_oneof![
        "[a-z]{1,15}",
        "-?[0-9]{1,22}",
        Just("-".to_string()),
        "[^\n]{0,30}",
    ];
    prop::collection::vec((word, prop::collection::vec(field, 0..7)), 0..10).prop_map(|lines| {
        lines
            .iter()
            .map(|(w, f)| format!("{w} {}\n", f.join(" ")))
            .collect()
    })
}

proptest! {
    #![proptest_config(config())]

    /// What the hosts print is parsed, never trusted to be well-formed: no panic on any text
    /// or on near-valid lines (the daemon probe, the sync state, the deployment state, the
    /// doctor's facts).
    #[test]
    fn host_output_parsers_never_panic(text in any::<String>(), near in host_output()) {
        let roles = [Role::ZooKeeper, Role::JobManager, Role::TaskManager];
        for t in [&text, &near] {
            let _ = daemons::parse_probe(t, &roles);
            let _ = sync::parse_state(t);
            let _ = deployment::parse_state(t);
            let _ = super::doctor::live::facts::parse(t);
        }
    }

    /// The JobManagers' JVM options are hand-written: any `env.java.opts.*` value gives some
    /// `-D` properties or none, never a panic; a `-Dname=value` among other words is found.
    #[test]
    fn java_opts_properties_never_panic(
        opts in any::<String>(),
        name in "[a-z][a-z0-9.]{0,20}",
        value in "[A-Za-z0-9/._:-]{0,20}",
        before in "(-X[a-z0-9:]{1,10} ){0,3}",
    ) {
        let dir = std::path::Path::new("/x");
        let parse = |yaml: &str| {
            crate::flinkconf::FlinkConfig::parse(yaml, &dir.join("config.yaml"), crate::flinkconf::ConfFormat::Yaml)
        };
        if let Ok(cfg) = parse(&format!("env.java.opts.all: {}\n", serde_json::to_string(&opts).unwrap())) {
            let _ = crate::zk::security::java_opts_properties(&cfg);
        }
        let cfg = parse(&format!("env.java.opts.all: \"{before}-D{name}={value} -Xss1m\"\n")).unwrap();
        let got = crate::zk::security::java_opts_properties(&cfg);
        prop_assert_eq!(got.get(&name).map(|(v, _)| v.as_str()), Some(value.as_str()));
    }
}
