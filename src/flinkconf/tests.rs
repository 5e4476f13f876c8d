//! Tests of the conf-dir parsers, renderers and checks (fixtures under tests/fixtures/conf/).

use std::path::{Path, PathBuf};

use super::*;

const V21: Version = Version::new(2, 1, 0);
const V120: Version = Version::new(1, 20, 0);

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conf")
}

fn yaml(text: &str) -> Result<FlinkConfig, ConfError> {
    FlinkConfig::parse(text, Path::new("conf/config.yaml"), ConfFormat::Yaml)
}

fn legacy(text: &str) -> Result<FlinkConfig, ConfError> {
    FlinkConfig::parse(text, Path::new("conf/flink-conf.yaml"), ConfFormat::Legacy)
}

fn has(findings: &[Finding], file: &Path, line: Option<usize>, needle: &str) -> bool {
    findings
        .iter()
        .any(|f| f.file == file && f.line == line && f.message.contains(needle))
}

fn dump(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| f.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn kv(cfg: &FlinkConfig) -> Vec<(String, ConfValue)> {
    cfg.entries
        .iter()
        .map(|e| (e.key.clone(), e.value.clone()))
        .collect()
}

// ---------------------------------------------------------------- config.yaml parsing

#[test]
fn yaml_flattens_nested_and_flat_keys_with_lines() {
    let cfg = yaml(
        "# comment\njobmanager:\n  rpc:\n    address: jm1\n    port: 6123\nrest.port: 8081\n\
         taskmanager:\n  memory.process.size: 1728m\nlist: [a, 'b: c']\nblock:\n  - x\n  - y\n",
    )
    .unwrap();
    let got: Vec<(&str, usize)> = cfg
        .entries
        .iter()
        .map(|e| (e.key.as_str(), e.line))
        .collect();
    assert_eq!(
        got,
        vec![
            ("jobmanager.rpc.address", 4),
            ("jobmanager.rpc.port", 5),
            ("rest.port", 6),
            ("taskmanager.memory.process.size", 8),
            ("list", 9),
            ("block", 10),
        ]
    );
    assert_eq!(cfg.get_str("jobmanager.rpc.address"), Some("jm1"));
    assert_eq!(cfg.get_str("rest.port"), Some("8081"));
    assert_eq!(
        cfg.get("list").unwrap().value,
        ConfValue::List(vec!["a".into(), "b: c".into()])
    );
    assert_eq!(cfg.get("block").unwrap().value.to_string(), "[x, 'y']");
    assert_eq!(cfg.get_str("block"), None);
}

#[test]
fn yaml_scalars_read_as_flink_reads_them() {
    let cfg = yaml(
        "a: True\nb: 007\nc: '007'\nd: 0x10\ne: \"quoted # not comment\"\nf: x # comment\n\
         g: 1.50\nh: |\n  line1\n  line2\ni: !!str 12\n",
    )
    .unwrap();
    assert_eq!(cfg.get_str("a"), Some("true"));
    assert_eq!(cfg.get_str("b"), Some("7"));
    assert_eq!(cfg.get_str("c"), Some("007"));
    assert_eq!(cfg.get_str("d"), Some("16"));
    assert_eq!(cfg.get_str("e"), Some("quoted # not comment"));
    assert_eq!(cfg.get_str("f"), Some("x"));
    assert_eq!(cfg.get_str("g"), Some("1.50"));
    assert_eq!(cfg.get_str("h"), Some("line1\nline2\n"));
    assert_eq!(cfg.get_str("i"), Some("12"));
}

#[test]
fn yaml_duplicates_name_both_lines() {
    let err = yaml("rest:\n  port: 8081\nrest.port: 8082\n").unwrap_err();
    match &err {
        ConfError::Duplicate {
            key,
            first_line,
            line,
            ..
        } => {
            assert_eq!(key, "rest.port");
            assert_eq!((*first_line, *line), (2, 3));
        }
        other => panic!("{other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.starts_with(
            "conf/config.yaml:3: error: key `rest.port` is set twice (first at line 2)"
        ),
        "{msg}"
    );
    assert!(yaml("a: 1\nb: 2\na: 3\n").is_err());
}

#[test]
fn yaml_errors_name_file_line_column() {
    let err = yaml("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
    assert_eq!(err.file(), Path::new("conf/config.yaml"));
    assert!(err.line().is_some());
    assert!(err.to_string().contains("YAML syntax error"), "{err}");
    assert!(err.to_string().contains("hint:"), "{err}");

    let err = yaml("a: 1\nb:\n").unwrap_err();
    assert_eq!(err.line(), Some(2));
    assert!(err.to_string().contains("`b` has no value"), "{err}");
    let err = yaml("a: 1\nb: ~\n").unwrap_err();
    assert!(
        matches!(
            err,
            ConfError::Parse {
                line: 2,
                column: Some(4),
                ..
            }
        ),
        "{err:?}"
    );

    let err = yaml("a: 1\n---\nb: 2\n").unwrap_err();
    assert_eq!(err.line(), Some(2));
    assert!(err.to_string().contains("second YAML document"), "{err}");

    let err = yaml("- a\n- b\n").unwrap_err();
    assert!(err.to_string().contains("not a mapping"), "{err}");

    let err = yaml("a: &x 1\nb: *x\n").unwrap_err();
    assert!(err.to_string().contains("alias"), "{err}");

    let err = yaml("a: [[1]]\n").unwrap_err();
    assert!(err.to_string().contains("list holding"), "{err}");

    assert!(yaml("").unwrap().entries.is_empty());
    assert!(yaml("# only comments\n").unwrap().entries.is_empty());
    assert_eq!(yaml("---\na: 1\n...\n").unwrap().entries.len(), 1);
}

// ---------------------------------------------------------------- flink-conf.yaml parsing

#[test]
fn legacy_parses_like_flink_1x() {
    let cfg = legacy(
        "# header\njobmanager.rpc.address: jm1 # trailing\nenv.java.opts.all: -Da=b: c\n\
         weird:value\nempty: \n  indented.key  :   spaced value  \nurl: http://x#frag\n",
    )
    .unwrap();
    assert_eq!(
        kv(&cfg),
        vec![
            (
                "jobmanager.rpc.address".into(),
                ConfValue::Scalar("jm1".into())
            ),
            (
                "env.java.opts.all".into(),
                ConfValue::Scalar("-Da=b: c".into())
            ),
            (
                "indented.key".into(),
                ConfValue::Scalar("spaced value".into())
            ),
            ("url".into(), ConfValue::Scalar("http://x".into())),
        ]
    );
    assert_eq!(cfg.get("indented.key").unwrap().line, 6);
    // Lines Flink skips with a log warning become warnings at their line.
    let f = &cfg.findings;
    assert!(
        has(
            f,
            Path::new("conf/flink-conf.yaml"),
            Some(4),
            "not a `key: value` line"
        ),
        "{}",
        dump(f)
    );
    assert!(
        has(
            f,
            Path::new("conf/flink-conf.yaml"),
            Some(5),
            "not a `key: value` line"
        ),
        "{}",
        dump(f)
    );
    let err = legacy("a: 1\nb: 2\na: 3\n").unwrap_err();
    assert!(
        matches!(
            err,
            ConfError::Duplicate {
                first_line: 1,
                line: 3,
                ..
            }
        ),
        "{err:?}"
    );
}

// ---------------------------------------------------------------- rendering

fn overrides(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn yaml_render_replaces_in_place_appends_and_round_trips() {
    let src = "jobmanager:\n  rpc:\n    address: localhost\nrest.port: 8081\nlist: [a, 'x,y']\n\
               s: 'null'\nt: 'True'\nq: 'a: b'\n";
    let cfg = yaml(src).unwrap();
    let ov = overrides(&[
        ("jobmanager.rpc.address", "flink1"),
        ("new.empty", ""),
        ("new.hash", "a #b"),
        ("new.dash", "-Xmx1g"),
        ("new.null", "null"),
        ("new.bool", "TRUE"),
        ("new.brace", "{x}"),
        ("new.quote", "it's"),
        ("new.nl", "a\nb"),
        ("new.int", "8081"),
    ]);
    let out = cfg.render(&ov, "rendered by flinkha for host flink1\n\nsecond line");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "# rendered by flinkha for host flink1");
    assert_eq!(lines[1], "#");
    assert_eq!(lines[2], "# second line");
    assert_eq!(lines[3], "jobmanager.rpc.address: flink1");
    assert_eq!(lines[4], "rest.port: 8081");
    assert_eq!(lines[5], "list: [a, 'x,y']");
    assert_eq!(lines[6], "s: 'null'");
    assert!(out.contains("\nnew.int: 8081\n"), "{out}");
    let back = yaml(&out).unwrap();
    let mut want = kv(&cfg);
    want[0].1 = ConfValue::Scalar("flink1".into());
    for (k, v) in &ov[1..] {
        want.push((k.clone(), ConfValue::Scalar(v.clone())));
    }
    assert_eq!(kv(&back), want);
}

#[test]
fn shipped_flink_2_1_config_survives_render() {
    let path = fixtures().join("flink-2.1.0-config.yaml");
    let cfg = FlinkConfig::load(&path, ConfFormat::Yaml).unwrap();
    let opts = cfg.get_str("env.java.opts.all").unwrap();
    assert!(
        opts.starts_with("--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED "),
        "{opts}"
    );
    assert!(opts.ends_with("--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"));
    assert_eq!(cfg.get_str("taskmanager.numberOfTaskSlots"), Some("1"));
    assert_eq!(
        cfg.get_str("jobmanager.execution.failover-strategy"),
        Some("region")
    );
    let ov = overrides(&[("jobmanager.rpc.address", "flink1"), ("rest.port", "8081")]);
    let out = cfg.render(&ov, "rendered by flinkha for host flink1");
    let back = yaml(&out).unwrap();
    assert_eq!(back.get_str("env.java.opts.all"), Some(opts));
    assert_eq!(back.entries.len(), cfg.entries.len() + 1);
    for e in &cfg.entries {
        let want = match e.key.as_str() {
            "jobmanager.rpc.address" => ConfValue::Scalar("flink1".into()),
            _ => e.value.clone(),
        };
        assert_eq!(back.get(&e.key).unwrap().value, want, "{}", e.key);
    }
    // Every key of the shipped file is a Flink 2.1 key.
    let conf = ConfDir {
        dir: fixtures(),
        version: V21,
        config: cfg,
        masters: None,
        workers: None,
        zoo_cfg: None,
        other_files: vec![],
        findings: vec![],
    };
    let f = check_conf_dir(&conf);
    assert!(f.is_empty(), "{}", dump(&f));
}

#[test]
fn legacy_render_edits_lines_in_place() {
    let src = "# c\njobmanager.rpc.address: localhost  # the master\n  rest.port: 8081\nbad line\n";
    let cfg = legacy(src).unwrap();
    let out = cfg.render(
        &overrides(&[
            ("jobmanager.rpc.address", "flink1"),
            ("rest.port", "9000"),
            ("io.tmp.dirs", "/tmp/x"),
        ]),
        "rendered by flinkha",
    );
    assert_eq!(
        out,
        "# rendered by flinkha\n# c\njobmanager.rpc.address: flink1 # the master\n  rest.port: 9000\nbad line\nio.tmp.dirs: /tmp/x\n"
    );
    let back = legacy(&out).unwrap();
    assert_eq!(back.get_str("jobmanager.rpc.address"), Some("flink1"));
    assert_eq!(back.get_str("rest.port"), Some("9000"));
    assert_eq!(back.get_str("io.tmp.dirs"), Some("/tmp/x"));
    let bad = cfg.validate_overrides(&overrides(&[("a", "x#y")]));
    assert_eq!(bad.len(), 1);
    assert!(
        yaml("a: 1\n")
            .unwrap()
            .validate_overrides(&overrides(&[("a", "x#y")]))
            .is_empty()
    );
}

// ---------------------------------------------------------------- masters / workers

#[test]
fn masters_and_workers() {
    let p = Path::new("conf/masters");
    let m = parse_masters(
        "# c\n\nflink1:8081\n  flink2 # x\n[::1]:8082\n/rack1/flink3:8083\n",
        p,
    )
    .unwrap();
    assert_eq!(
        m,
        vec![
            MasterEntry {
                host: "flink1".into(),
                webui_port: Some(8081),
                line: 3
            },
            MasterEntry {
                host: "flink2".into(),
                webui_port: None,
                line: 4
            },
            MasterEntry {
                host: "::1".into(),
                webui_port: Some(8082),
                line: 5
            },
            MasterEntry {
                host: "flink3".into(),
                webui_port: Some(8083),
                line: 6
            },
        ]
    );
    let err = parse_masters("flink1:8081\nflink2:80x\n", p).unwrap_err();
    assert_eq!(err.line(), Some(2));
    assert!(
        err.to_string().starts_with("conf/masters:2: error:"),
        "{err}"
    );
    assert!(parse_masters("flink1:70000\n", p).is_err());
    assert!(parse_masters("a b\n", p).is_err());
    assert!(parse_masters("bad$host\n", p).is_err());

    let w = Path::new("conf/workers");
    let ws = parse_workers("flink1\n\n# x\nflink2\n", w).unwrap();
    assert_eq!(
        ws[1],
        WorkerEntry {
            host: "flink2".into(),
            line: 4
        }
    );
    let err = parse_workers("flink1\nflink2:6121\n", w).unwrap_err();
    assert_eq!(err.line(), Some(2));
}

// ---------------------------------------------------------------- zoo.cfg

#[test]
fn zoo_cfg_parses_servers_and_props() {
    let p = Path::new("conf/zoo.cfg");
    let z = ZooCfg::parse(
        "# c\ntickTime=2000\nclientPort = 2181\ndataDir=/var/zk\nserver.1=zk1:2888:3888\n\
         server.2=zk2:2888:3888:observer;2182\nserver.3=[fe80::1]:2888:3888;0.0.0.0:2183\n",
        p,
    )
    .unwrap();
    assert_eq!(z.client_port(), Some(2181));
    assert_eq!(z.data_dir(), Some("/var/zk"));
    assert_eq!(z.get("tickTime"), Some("2000"));
    assert_eq!(
        z.props[1],
        ("clientPort".to_string(), "2181".to_string(), 3)
    );
    assert_eq!(z.servers.len(), 3);
    assert_eq!(
        z.servers[1],
        ZkServerEntry {
            id: 2,
            host: "zk2".into(),
            peer_port: 2888,
            leader_port: 3888,
            role: Some("observer".into()),
            client: Some((None, 2182)),
            line: 6
        }
    );
    assert_eq!(z.servers[2].host, "fe80::1");
    assert_eq!(z.servers[2].client, Some((Some("0.0.0.0".into()), 2183)));
    for bad in [
        "server.x=zk1:2888:3888",
        "server.1=zk1:2888",
        "server.1=zk1:2888:99999",
        "server.1=zk1:2888:3888:leader",
        "server.1=zk1:2888:3888;abc",
    ] {
        let err = ZooCfg::parse(&format!("tickTime=2000\n{bad}\n"), p).unwrap_err();
        assert_eq!(err.line(), Some(2), "{bad}: {err}");
        assert!(
            err.to_string().starts_with("conf/zoo.cfg:2: error:"),
            "{err}"
        );
    }
    assert!(matches!(
        ZooCfg::parse("a=1\na=2\n", p).unwrap_err(),
        ConfError::Duplicate {
            first_line: 1,
            line: 2,
            ..
        }
    ));
}

#[test]
fn zoo_cfg_render() {
    let p = Path::new("conf/zoo.cfg");
    let z = ZooCfg::parse("# c\ndataDir=/old\nserver.1=zk1:2888:3888\n", p).unwrap();
    let out = z.render(
        &overrides(&[("dataDir", "/new"), ("clientPortAddress", "10.0.0.1")]),
        "rendered by flinkha",
    );
    assert_eq!(
        out,
        "# rendered by flinkha\n# c\ndataDir=/new\nserver.1=zk1:2888:3888\nclientPortAddress=10.0.0.1\n"
    );
    let back = ZooCfg::parse(&out, p).unwrap();
    assert_eq!(back.data_dir(), Some("/new"));
    assert_eq!(back.servers.len(), 1);
}

// ---------------------------------------------------------------- file selection

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(d.path().join(name), text).unwrap();
    }
    d
}

#[test]
fn select_config_file_follows_flink() {
    let both = dir_with(&[("config.yaml", "a: 1\n"), ("flink-conf.yaml", "a: 1\n")]);
    let only_yaml = dir_with(&[("config.yaml", "a: 1\n")]);
    let only_legacy = dir_with(&[("flink-conf.yaml", "a: 1\n")]);
    let none = dir_with(&[]);
    let v = |s: &str| s.parse::<Version>().unwrap();

    // 2.x: config.yaml only.
    let (p, f, w) = select_config_file(both.path(), &v("2.1.0")).unwrap();
    assert_eq!(
        (p.file_name().unwrap().to_str().unwrap(), f),
        ("config.yaml", ConfFormat::Yaml)
    );
    assert_eq!(w.len(), 1);
    assert!(w[0].file.ends_with("flink-conf.yaml") && w[0].message.contains("ignored"));
    let err = select_config_file(only_legacy.path(), &v("2.0.0")).unwrap_err();
    assert!(err.to_string().contains("migrate-config-file.sh"), "{err}");

    // 1.19 / 1.20: flink-conf.yaml wins when it exists.
    for ver in ["1.19", "1.20.1"] {
        let (p, f, w) = select_config_file(both.path(), &v(ver)).unwrap();
        assert_eq!(p.file_name().unwrap(), "flink-conf.yaml");
        assert_eq!(f, ConfFormat::Legacy);
        assert!(w[0].file.ends_with("config.yaml") && w[0].message.contains("ignores config.yaml"));
        let (p, f, w) = select_config_file(only_yaml.path(), &v(ver)).unwrap();
        assert_eq!(
            (p.file_name().unwrap().to_str().unwrap(), f),
            ("config.yaml", ConfFormat::Yaml)
        );
        assert!(w.is_empty());
        let (_, f, w) = select_config_file(only_legacy.path(), &v(ver)).unwrap();
        assert_eq!(f, ConfFormat::Legacy);
        assert!(w[0].message.contains("deprecated"));
        assert!(select_config_file(none.path(), &v(ver)).is_err());
    }

    // Before 1.19: flink-conf.yaml only.
    let (p, f, w) = select_config_file(both.path(), &v("1.18.1")).unwrap();
    assert_eq!(
        (p.file_name().unwrap().to_str().unwrap(), f),
        ("flink-conf.yaml", ConfFormat::Legacy)
    );
    assert!(w[0].file.ends_with("config.yaml"));
    assert!(select_config_file(only_yaml.path(), &v("1.17")).is_err());
}

// ---------------------------------------------------------------- conf dir + checks

#[test]
fn good_conf_dir_loads_and_checks_clean() {
    let dir = fixtures().join("good");
    let conf = ConfDir::load(&dir, &V21).unwrap();
    assert_eq!(conf.config.format, ConfFormat::Yaml);
    assert_eq!(
        conf.config.get_str("high-availability.cluster-id"),
        Some("/prod-cluster-a")
    );
    assert_eq!(
        conf.config
            .get("high-availability.zookeeper.path.root")
            .unwrap()
            .line,
        31
    );
    let (_, masters) = conf.masters.as_ref().unwrap();
    assert_eq!(masters.len(), 2);
    assert_eq!(conf.workers.as_ref().unwrap().1.len(), 3);
    let zoo = conf.zoo_cfg.as_ref().unwrap();
    assert_eq!(zoo.servers.len(), 3);
    assert_eq!(conf.other_files, vec![dir.join("log4j.properties")]);
    let f = check_conf_dir(&conf);
    assert!(f.is_empty(), "{}", dump(&f));
    // Serializes for --json.
    assert!(
        serde_json::to_string(&conf)
            .unwrap()
            .contains("\"version\":\"2.1.0\"")
    );
}

#[test]
fn bad_conf_dir_findings_name_file_and_line() {
    let dir = fixtures().join("bad");
    let conf = ConfDir::load(&dir, &V21).unwrap();
    let f = check_conf_dir(&conf);
    let all = dump(&f);
    let cfg = dir.join("config.yaml");
    let ok = |file: &Path, line: Option<usize>, needle: &str| {
        assert!(
            has(&f, file, line, needle),
            "missing {}:{line:?} {needle}\n{all}",
            file.display()
        );
    };
    // HA
    ok(&cfg, Some(1), "`high-availability.storageDir` is not set");
    ok(&cfg, Some(2), "is Flink's default");
    // quorum
    ok(&cfg, Some(3), "entry 2 is empty");
    ok(&cfg, Some(3), "`abc` is not a port number");
    ok(
        &cfg,
        Some(3),
        "entry 4 `flink9:2181` is not a ZooKeeper server",
    );
    ok(&cfg, Some(3), "server.2 `flink2:2181`");
    assert!(!all.contains("server.4 `flink1:2181`"), "{all}");
    // URIs
    ok(&cfg, Some(4), "has no URI scheme");
    ok(&cfg, Some(5), "file URIs need three slashes");
    // keys
    ok(
        &cfg,
        Some(6),
        "`taskmanager.numberOfTaskSlot` is not a configuration key",
    );
    assert!(
        all.contains("did you mean `taskmanager.numberOfTaskSlots`?"),
        "{all}"
    );
    ok(
        &cfg,
        Some(7),
        "`taskmanager.heap.size` was removed in Flink 2.0",
    );
    ok(&cfg, Some(8), "`state.backend` is deprecated");
    assert!(all.contains("rename it to `state.backend.type`"), "{all}");
    // zoo.cfg
    let zoo = dir.join("zoo.cfg");
    ok(&zoo, Some(5), "server id 2 is used twice (first at line 4)");
    ok(
        &zoo,
        Some(6),
        "`flink1:2888` (peer port of server.4) is already used by server.1 (line 3)",
    );
    ok(&zoo, Some(3), "4 voting ZooKeeper servers: an even count");
    // masters / workers
    let masters = dir.join("masters");
    ok(&masters, Some(2), "port 0");
    ok(
        &masters,
        Some(3),
        "JobManager `flink1` is listed twice (first at line 1)",
    );
    ok(
        &dir.join("workers"),
        Some(3),
        "TaskManager host `flink1` is listed twice",
    );
    // Every finding renders as file:line: severity: message + hint.
    for x in &f {
        assert!(x.hint.is_some(), "{x}");
        assert!(x.to_string().contains("\n  hint: "), "{x}");
    }
    let first = f
        .iter()
        .find(|x| x.line == Some(1) && x.file == cfg)
        .unwrap();
    assert!(
        first
            .to_string()
            .starts_with(&format!("{}:1: error: ", cfg.display())),
        "{first}"
    );
}

#[test]
fn legacy_conf_dir_on_1_20() {
    let dir = fixtures().join("legacy-1.20");
    let conf = ConfDir::load(&dir, &V120).unwrap();
    assert_eq!(conf.config.format, ConfFormat::Legacy);
    assert_eq!(conf.config.get_str("rest.port"), None);
    assert_eq!(
        conf.config.get_str("env.java.opts.all"),
        Some("-XX:+UseG1GC")
    );
    assert!(conf.other_files.is_empty(), "{:?}", conf.other_files);
    let f = check_conf_dir(&conf);
    let all = dump(&f);
    // config.yaml ignored because flink-conf.yaml exists; the skipped `rest.port:8081` line.
    assert!(has(&f, &dir.join("config.yaml"), None, "ignored"), "{all}");
    assert!(
        has(
            &f,
            &dir.join("flink-conf.yaml"),
            Some(8),
            "not a `key: value` line"
        ),
        "{all}"
    );
    // `high-availability` is deprecated but read by 1.20: HA is on.
    assert!(
        has(
            &f,
            &dir.join("flink-conf.yaml"),
            Some(4),
            "`high-availability` is deprecated"
        ),
        "{all}"
    );
    assert!(
        has(&f, &dir.join("masters"), Some(1), "only one JobManager"),
        "{all}"
    );
    assert!(!all.contains("storageDir` is not set"), "{all}");
}

#[test]
fn both_files_on_2_1() {
    let dir = fixtures().join("both-2.1");
    let conf = ConfDir::load(&dir, &V21).unwrap();
    assert_eq!(conf.config.get_str("rest.port"), Some("8081"));
    assert!(conf.other_files.is_empty(), "{:?}", conf.other_files);
    assert!(has(
        &conf.findings,
        &dir.join("flink-conf.yaml"),
        None,
        "ignored"
    ));
}

fn conf_with(yaml_text: &str, zoo: Option<&str>, masters: Option<&str>) -> ConfDir {
    let dir = PathBuf::from("conf");
    ConfDir {
        dir: dir.clone(),
        version: V21,
        config: FlinkConfig::parse(yaml_text, &dir.join("config.yaml"), ConfFormat::Yaml).unwrap(),
        masters: masters.map(|m| {
            let p = dir.join("masters");
            let e = parse_masters(m, &p).unwrap();
            (p, e)
        }),
        workers: None,
        zoo_cfg: zoo.map(|z| ZooCfg::parse(z, &dir.join("zoo.cfg")).unwrap()),
        other_files: vec![],
        findings: vec![],
    }
}

#[test]
fn ha_checks() {
    let cfg = Path::new("conf/config.yaml");
    // Cluster id missing; quorum missing with a zoo.cfg to suggest from; one master.
    let conf = conf_with(
        "high-availability.type: zookeeper\nhigh-availability.storageDir: hdfs:///ha\n",
        Some(
            "clientPort=2181\nserver.1=zk1:2888:3888\nserver.2=zk2:2888:3888\nserver.3=zk3:2888:3888\n",
        ),
        Some("jm1:8081\n"),
    );
    let f = check_conf_dir(&conf);
    let all = dump(&f);
    assert!(
        has(
            &f,
            cfg,
            Some(1),
            "`high-availability.cluster-id` is not set"
        ),
        "{all}"
    );
    assert!(
        has(
            &f,
            cfg,
            Some(1),
            "`high-availability.zookeeper.quorum` is not set"
        ),
        "{all}"
    );
    assert!(all.contains("zk1:2181,zk2:2181,zk3:2181"), "{all}");
    assert!(
        has(
            &f,
            Path::new("conf/masters"),
            Some(1),
            "only one JobManager"
        ),
        "{all}"
    );

    // HA off with two masters.
    let conf = conf_with("rest.port: 8081\n", None, Some("jm1\njm2\n"));
    let f = check_conf_dir(&conf);
    assert!(
        has(&f, Path::new("conf/masters"), Some(2), "HA is off"),
        "{}",
        dump(&f)
    );

    // Chroot, missing port, list-valued quorum, IPv6.
    let conf = conf_with(
        "high-availability.type: zookeeper\nhigh-availability.storageDir: hdfs:///ha\n\
         high-availability.cluster-id: /c\nhigh-availability.zookeeper.quorum: zk1,[::1]:2181/flink\n",
        None,
        Some("jm1\njm2\n"),
    );
    let f = check_conf_dir(&conf);
    let all = dump(&f);
    assert!(has(&f, cfg, Some(4), "chroot path `/flink`"), "{all}");
    assert!(has(&f, cfg, Some(4), "entry 1 `zk1` has no port"), "{all}");
    assert!(!all.contains("error"), "{all}");
    let conf = conf_with(
        "high-availability.type: zookeeper\nhigh-availability.zookeeper.quorum: [a:1, b:2]\n",
        None,
        None,
    );
    let f = check_conf_dir(&conf);
    assert!(has(&f, cfg, Some(2), "is a YAML list"), "{}", dump(&f));
}

#[test]
fn uri_checks() {
    let cfg = Path::new("conf/config.yaml");
    let conf = conf_with(
        "execution.checkpointing.dir: hdfs:///cp\nexecution.checkpointing.savepoint-dir: file:///sp\n\
         state.checkpoints.dir: s3:bucket\nhigh-availability.storageDir: ha/dir\n",
        None,
        Some("jm1\njm2\n"),
    );
    let f = check_conf_dir(&conf);
    let all = dump(&f);
    assert!(
        !has(&f, cfg, Some(1), "execution.checkpointing.dir"),
        "{all}"
    );
    assert!(
        has(
            &f,
            cfg,
            Some(2),
            "is a local path but the cluster has several hosts"
        ),
        "{all}"
    );
    assert!(has(&f, cfg, Some(3), "not a hierarchical URI"), "{all}");
    assert!(has(&f, cfg, Some(4), "has no URI scheme"), "{all}");
    assert!(all.contains("file:///path/to/ha/dir"), "{all}");
}

#[test]
fn zoo_cfg_checks() {
    let z = Path::new("conf/zoo.cfg");
    let conf = conf_with("a.b: 1\n", Some("server.1=zk1:2888:3888\n"), None);
    let f = check_conf_dir(&conf);
    let all = dump(&f);
    assert!(
        has(&f, z, Some(1), "only 1 voting ZooKeeper server"),
        "{all}"
    );
    assert!(has(&f, z, Some(1), "no `clientPort`"), "{all}");
    let conf = conf_with(
        "a.b: 1\n",
        Some(
            "clientPort=2181\nserver.1=zk1:2888:3888\nserver.2=zk2:2888:3888\nserver.3=zk3:2888:3888\nserver.4=zk4:2888:3888:observer\n",
        ),
        None,
    );
    let f = check_conf_dir(&conf);
    assert!(!dump(&f).contains("zoo.cfg"), "{}", dump(&f));
}

#[test]
fn key_checks_by_version() {
    let cfg = Path::new("conf/config.yaml");
    let conf = conf_with(
        "high-availability: zookeeper\nhigh-availability.type: zookeeper\njobmanager.heap.size: 1g\n\
         metrics.reporter.jmx.port: 8789\ncontainerized.master.env.X: y\n",
        None,
        None,
    );
    let f = check_conf_dir(&conf);
    let all = dump(&f);
    assert!(
        has(&f, cfg, Some(1), "is deprecated and ignored here"),
        "{all}"
    );
    assert!(has(&f, cfg, Some(3), "removed in Flink 2.0"), "{all}");
    assert!(!has(&f, cfg, Some(4), ""), "{all}");
    assert!(!has(&f, cfg, Some(5), ""), "{all}");
    let mut conf = conf;
    conf.version = V120;
    let f = check_conf_dir(&conf);
    assert!(
        has(&f, cfg, Some(3), "is deprecated in Flink 1.20.0"),
        "{}",
        dump(&f)
    );
}

#[test]
fn finding_display_and_json() {
    let f = Finding::error("conf/x", Some(3), "bad", Some("fix it".into()));
    assert_eq!(f.to_string(), "conf/x:3: error: bad\n  hint: fix it");
    let w = Finding::warning("conf/x", None, "meh", None);
    assert_eq!(w.to_string(), "conf/x: warning: meh");
    let j = serde_json::to_value(&f).unwrap();
    assert_eq!(j["severity"], "error");
    assert_eq!(j["line"], 3);
}

// ---------------------------------------------------------------- upgrade preflight

const V22: Version = Version::new(2, 2, 0);
const V23: Version = Version::new(2, 3, 0);

/// The first finding at `file:line` whose message contains `needle`.
fn at<'a>(findings: &'a [Finding], file: &Path, line: Option<usize>, needle: &str) -> &'a Finding {
    findings
        .iter()
        .find(|f| f.file == file && f.line == line && f.message.contains(needle))
        .unwrap_or_else(|| panic!("no {needle:?} at {file:?}:{line:?} in\n{}", dump(findings)))
}

#[test]
fn upgrade_removed_keys_are_errors_with_the_replacement() {
    let d = dir_with(&[(
        "config.yaml",
        "jobmanager.rpc.address: jm1\ntaskmanager:\n  heap.size: 1024m\n\
         security.ssl.enabled: true\nstate.backend.rocksdb.checkpointdir: /tmp/rocks\n\
         jobmanager.heap.size: 1g\n",
    )]);
    let file = d.path().join("config.yaml");
    // A 1.20 config.yaml (1.20 still reads all of these as deprecated keys) used by 2.x.
    let conf = ConfDir::load(d.path(), &V120).unwrap();
    for to in [V21, V22, V23] {
        let f = upgrade::target_findings(&conf, &V120, &to);
        let all = dump(&f);
        let e = at(
            &f,
            &file,
            Some(3),
            "`taskmanager.heap.size` was removed in Flink 2.0",
        );
        assert!(e.is_error(), "{all}");
        assert!(
            e.to_string()
                .contains(&format!("{}:3: error:", file.display())),
            "{e}"
        );
        let hint = e.hint.as_deref().unwrap();
        assert!(hint.contains("`taskmanager.memory.process.size`"), "{hint}");
        let e = at(&f, &file, Some(4), "`security.ssl.enabled` was removed");
        assert!(e.is_error());
        assert!(
            e.hint
                .as_deref()
                .unwrap()
                .contains("`security.ssl.internal.enabled`")
        );
        // The replacement named by the 1.20 jars, still a 2.x key.
        let e = at(
            &f,
            &file,
            Some(5),
            "`state.backend.rocksdb.checkpointdir` was removed",
        );
        assert_eq!(
            e.hint.as_deref(),
            Some("use `state.backend.rocksdb.localdir` instead")
        );
        let e = at(&f, &file, Some(6), "`jobmanager.heap.size` was removed");
        assert!(
            e.hint
                .as_deref()
                .unwrap()
                .contains("`jobmanager.memory.process.size`")
        );
        assert_eq!(f.iter().filter(|f| f.is_error()).count(), 4, "{all}");
        assert!(!all.contains("jobmanager.rpc.address"), "{all}");
    }
}

#[test]
fn upgrade_key_removed_after_2_0() {
    // TraceOptions.REPORT_EVENTS_AS_SPANS: deprecated in 2.1.0, gone from 2.2.0 on.
    let d = dir_with(&[(
        "config.yaml",
        "rest.port: 8081\ntraces.report-events-as-spans: true\n",
    )]);
    let file = d.path().join("config.yaml");
    let conf = ConfDir::load(d.path(), &V21).unwrap();
    for to in [V22, V23] {
        let f = upgrade::target_findings(&conf, &V21, &to);
        let e = at(&f, &file, Some(2), "was removed in Flink 2.2:");
        assert!(e.is_error(), "{}", dump(&f));
        assert_eq!(f.len(), 1, "{}", dump(&f));
    }
    // Same version: only the deprecation.
    let f = upgrade::target_findings(&conf, &V21, &V21);
    assert!(!at(&f, &file, Some(2), "deprecated in Flink 2.1.0").is_error());
}

#[test]
fn upgrade_deprecated_keys_name_the_new_key() {
    let d = dir_with(&[(
        "config.yaml",
        "high-availability: zookeeper\nstate.checkpoints.dir: hdfs:///cp\n\
         state.savepoints.dir: hdfs:///sp\nexecution.checkpointing.savepoint-dir: hdfs:///sp2\n\
         execution.savepoint.path: hdfs:///sp/1\njobstore.type: File\n\
         web.port: 8082\nweb.address: 0.0.0.0\n",
    )]);
    let file = d.path().join("config.yaml");
    let conf = ConfDir::load(d.path(), &V22).unwrap();
    let f = upgrade::target_findings(&conf, &V22, &V23);
    let all = dump(&f);
    assert!(f.iter().all(|f| !f.is_error()), "{all}");
    let w = at(
        &f,
        &file,
        Some(1),
        "`high-availability` is deprecated in Flink 2.3.0: use `high-availability.type`",
    );
    assert_eq!(w.severity, Severity::Warning);
    assert!(
        w.hint
            .as_deref()
            .unwrap()
            .contains("rename it to `high-availability.type`")
    );
    at(&f, &file, Some(2), "use `execution.checkpointing.dir`");
    // The replacement is set too: the deprecated key is ignored.
    at(
        &f,
        &file,
        Some(3),
        "`execution.checkpointing.savepoint-dir` (line 4) is also set and wins",
    );
    at(&f, &file, Some(5), "use `execution.state-recovery.path`");
    // Renamed in 2.3.0 (a current key in 2.2.0).
    at(
        &f,
        &file,
        Some(6),
        "`jobstore.type` is deprecated in Flink 2.3.0 (Flink 2.2.0 reads it as a current key): use `completed-application-store.type`",
    );
    // web.port is in the 2.0 release notes' removed list, but 2.x still reads it as a deprecated
    // fallback key (of rest.port and rest.bind-port; the list names rest.bind-port); web.address
    // is a current fallback key of rest.bind-address.
    at(
        &f,
        &file,
        Some(7),
        "`web.port` is deprecated in Flink 2.3.0: use `rest.bind-port`",
    );
    assert!(!all.contains("web.address"), "{all}");
    assert_eq!(f.len(), 6, "{all}");
}

#[test]
fn upgrade_legacy_1_20_to_2_x_needs_config_yaml() {
    let dir = fixtures().join("legacy-1.20");
    let legacy = dir.join("flink-conf.yaml");
    let conf = ConfDir::load(&dir, &V120).unwrap();
    for to in [V21, V22, V23] {
        let f = upgrade::target_findings(&conf, &V120, &to);
        let all = dump(&f);
        let e = at(&f, &legacy, None, "does not read flink-conf.yaml");
        assert!(e.is_error(), "{all}");
        // The fixture's config.yaml (rest.port: 9999), ignored by 1.20, would be read by 2.x.
        assert!(
            e.message.contains(&format!(
                "it would read {} instead",
                dir.join("config.yaml").display()
            )),
            "{e}"
        );
        let hint = e.hint.as_deref().unwrap();
        assert!(hint.contains("bin/migrate-config-file.sh"), "{hint}");
        assert!(hint.contains("mishandles this file"), "{hint}");
        // `high-availability: zookeeper` + `high-availability.storageDir`: Flink's script fails.
        let w = at(
            &f,
            &legacy,
            Some(4),
            "is also the prefix of `high-availability.storageDir` (line 5)",
        );
        assert!(!w.is_error());
        assert!(
            w.hint
                .as_deref()
                .unwrap()
                .contains("rename `high-availability` to `high-availability.type`")
        );
        at(&f, &legacy, Some(4), "`high-availability` is deprecated");
        assert_eq!(f.iter().filter(|f| f.is_error()).count(), 1, "{all}");
    }
    // 1.20 → 1.20: nothing about the file.
    assert!(
        upgrade::target_findings(&conf, &V120, &V120)
            .iter()
            .all(|f| f.line.is_some())
    );
}

#[test]
fn upgrade_legacy_without_config_yaml() {
    let d = dir_with(&[("flink-conf.yaml", "rest.port: 8081\n")]);
    let conf = ConfDir::load(d.path(), &V120).unwrap();
    let f = upgrade::target_findings(&conf, &V120, &V21);
    assert_eq!(f.len(), 1, "{}", dump(&f));
    assert!(f[0].is_error());
    assert!(!f[0].message.contains("instead"), "{}", f[0]);
    assert!(!f[0].hint.as_deref().unwrap().contains("mishandles"));
    assert_eq!(
        upgrade::migrate_legacy_config(&conf).as_deref(),
        Some("rest:\n  port: '8081'\n")
    );
}

/// Sorted key/value pairs.
type Pairs = Vec<(String, ConfValue)>;

/// The legacy entries and the migrated config.yaml's entries, as sorted key/value pairs, and
/// the migrated text.
fn migrated_pairs(conf: &ConfDir) -> (Pairs, Pairs, String) {
    let text = upgrade::migrate_legacy_config(conf).expect("a flink-conf.yaml");
    let back = yaml(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let mut want = kv(&conf.config);
    let mut got = kv(&back);
    want.sort_by(|a, b| a.0.cmp(&b.0));
    got.sort_by(|a, b| a.0.cmp(&b.0));
    (want, got, text)
}

#[test]
fn migrate_legacy_config_parses_back_to_the_same_pairs() {
    let conf = ConfDir::load(&fixtures().join("legacy-1.20"), &V120).unwrap();
    let (want, got, text) = migrated_pairs(&conf);
    assert_eq!(got, want, "{text}");
    assert_eq!(
        text,
        "jobmanager:\n  rpc:\n    address: flink1\n\
         taskmanager:\n  numberOfTaskSlots: '2'\n\
         high-availability: zookeeper\n\
         high-availability.storageDir: hdfs:///flink/ha\n\
         high-availability.zookeeper.quorum: flink1:2181\n\
         high-availability.cluster-id: /legacy\n\
         env:\n  java:\n    opts:\n      all: '-XX:+UseG1GC'\n"
    );

    // Values Flink's legacy parser keeps verbatim, which plain YAML would read otherwise.
    let d = dir_with(&[(
        "flink-conf.yaml",
        "# comment\njobmanager.rpc.address: jm1   # trailing comment\njobmanager.rpc.port: 6123\n\
         parallelism.default: 007\nstate.backend.incremental: true\nstate.backend: rocksdb\n\
         state.backend.rocksdb.localdir: /tmp/r\nweird: 'quoted'\ncolon.value: a: b\n\
         nul: null\ntilde: ~\nyes.key: yes\nfloat.val: 1.50\nlist.val: [a, b]\n\
         env.java.opts.all: -Xss2m -Dfoo=bar\nmetrics.reporter.prom.port: 9249-9250\n\
         pipeline.jars: file:///a.jar;file:///b.jar\nbad line without colon\nempty.value: \n\
         true: x\n",
    )]);
    let conf = ConfDir::load(d.path(), &V120).unwrap();
    let (want, got, text) = migrated_pairs(&conf);
    assert_eq!(got, want, "{text}");
    assert!(
        want.iter()
            .any(|(k, v)| k == "weird" && v.as_str() == Some("'quoted'"))
    );
    assert!(text.contains("    port: '6123'\n"), "{text}");
    assert!(text.contains("  default: '007'\n"), "{text}");
    assert!(
        text.contains("  backend: rocksdb\n  backend.incremental: 'true'\n"),
        "{text}"
    );
    assert!(!text.contains('#'), "{text}");
    assert!(!text.contains("bad line"), "{text}");

    // Only for a conf dir read from flink-conf.yaml.
    let conf = ConfDir::load(&fixtures().join("good"), &V21).unwrap();
    assert_eq!(upgrade::migrate_legacy_config(&conf), None);
    let conf = ConfDir::load(&fixtures().join("both-2.1"), &V21).unwrap();
    assert_eq!(upgrade::migrate_legacy_config(&conf), None);
}

#[test]
fn upgrade_clean_2_1_conf_to_2_2_and_2_3() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("conf.example/conf");
    for dir in [fixtures().join("good"), example] {
        let conf = ConfDir::load(&dir, &V21).unwrap();
        for to in [V21, V22, V23, Version::new(2, 2, 1)] {
            let f = upgrade::target_findings(&conf, &V21, &to);
            assert!(f.is_empty(), "{} -> {to}:\n{}", dir.display(), dump(&f));
        }
    }
}

#[test]
fn upgrade_downgrades_and_file_switches() {
    // A key added in 2.3.0 (ClusterOptions.CLUSTER_ID) is lost on 2.2.
    let d = dir_with(&[("config.yaml", "rest.port: 8081\ncluster.id: c1\n")]);
    let file = d.path().join("config.yaml");
    let conf = ConfDir::load(d.path(), &V23).unwrap();
    assert!(upgrade::target_findings(&conf, &V23, &V23).is_empty());
    let f = upgrade::target_findings(&conf, &V23, &V22);
    assert!(
        at(
            &f,
            &file,
            Some(2),
            "read by Flink 2.3.0 but is not a configuration key of Flink 2.2.0"
        )
        .is_error()
    );
    assert_eq!(f.len(), 1, "{}", dump(&f));

    // 2.1 with a stray flink-conf.yaml: 1.20 would read that one instead.
    let dir = fixtures().join("both-2.1");
    let conf = ConfDir::load(&dir, &V21).unwrap();
    let f = upgrade::target_findings(&conf, &V21, &V120);
    assert!(
        at(&f, &dir.join("flink-conf.yaml"), None, "reads").is_error(),
        "{}",
        dump(&f)
    );
    // Before 1.19 config.yaml is not read at all.
    let f = upgrade::target_findings(&conf, &V21, &Version::new(1, 18, 1));
    assert!(
        at(
            &f,
            &dir.join("config.yaml"),
            None,
            "does not read config.yaml"
        )
        .is_error()
    );
}

// ---------------------------------------------------------------- doctor checks

/// The findings with id `id`.
fn with_id<'a>(findings: &'a [Finding], id: &str) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| f.id.as_deref() == Some(id))
        .collect()
}

fn no_env() -> DoctorEnv {
    DoctorEnv::default()
}

#[test]
fn every_config_check_finding_has_an_id() {
    for (name, v) in [("bad", V21), ("good", V21), ("legacy-1.20", V120)] {
        let conf = ConfDir::load(&fixtures().join(name), &v).unwrap();
        let f = check_conf_dir(&conf);
        let missing: Vec<_> = f.iter().filter(|x| x.id.is_none()).collect();
        assert!(missing.is_empty(), "{name}: {missing:?}");
    }
    let conf = ConfDir::load(&fixtures().join("bad"), &V21).unwrap();
    let f = check_conf_dir(&conf);
    let zoo = fixtures().join("bad/zoo.cfg");
    assert_eq!(with_id(&f, "quorum-even")[0].file, zoo);
    assert_eq!(with_id(&f, "zoo-server-id-duplicate")[0].line, Some(5));
    assert_eq!(with_id(&f, "ha-storage-missing").len(), 1);
    assert_eq!(with_id(&f, "cluster-id-default").len(), 1);
    assert_eq!(with_id(&f, "key-unknown")[0].line, Some(6));
    assert_eq!(with_id(&f, "key-removed")[0].line, Some(7));
    assert_eq!(with_id(&f, "key-deprecated")[0].line, Some(8));
    assert_eq!(with_id(&f, "masters-duplicate")[0].line, Some(3));
    // A single zoo.cfg server is `quorum-single`, two are `quorum-even`.
    let one = conf_with(
        "a.b: 1\n",
        Some("clientPort=2181\nserver.1=zk1:2888:3888\n"),
        None,
    );
    assert_eq!(with_id(&check_conf_dir(&one), "quorum-single").len(), 1);
    let two = conf_with(
        "a.b: 1\n",
        Some("clientPort=2181\nserver.1=zk1:2888:3888\nserver.2=zk2:2888:3888\n"),
        None,
    );
    assert_eq!(with_id(&check_conf_dir(&two), "quorum-even").len(), 1);
    // Parse findings: the legacy line Flink skips, the config file it ignores.
    let legacy = ConfDir::load(&fixtures().join("legacy-1.20"), &V120).unwrap();
    assert_eq!(
        with_id(&legacy.findings, "legacy-line-skipped")[0].line,
        Some(8)
    );
    assert_eq!(with_id(&legacy.findings, "config-file-ignored").len(), 1);
}

#[test]
fn conf_errors_become_findings_with_ids() {
    let err = yaml("a: [\n").unwrap_err();
    let f = err.to_finding();
    assert_eq!(f.id.as_deref(), Some("conf-parse"));
    assert!(f.is_error() && f.line.is_some(), "{f}");
    let err = yaml("a.b: 1\na:\n  b: 2\n").unwrap_err();
    let f = err.to_finding();
    assert_eq!(f.id.as_deref(), Some("conf-duplicate-key"));
    assert_eq!(f.line, Some(3));
    let empty = dir_with(&[]);
    let err = ConfDir::load(empty.path(), &V21).unwrap_err();
    assert_eq!(err.to_finding().id.as_deref(), Some("conf-missing"));
}

const HA: &str = "high-availability.type: zookeeper\nhigh-availability.storageDir: hdfs:///ha\n\
                  high-availability.cluster-id: /c\n";

#[test]
fn quorum_key_is_checked_as_strictly_as_zoo_cfg() {
    let check = |quorum: &str| {
        let conf = conf_with(
            &format!("{HA}high-availability.zookeeper.quorum: \"{quorum}\"\n"),
            None,
            Some("jm1\njm2\n"),
        );
        doctor_checks(&conf, &no_env())
    };
    let f = check("zk1:2181,zk2:2181,zk3:2181");
    assert!(
        f.iter()
            .all(|x| !x.id.as_deref().unwrap().starts_with("quorum")),
        "{}",
        dump(&f)
    );

    let f = check("zk1:2181, zk2:2181 ,zk3:2181");
    let w = with_id(&f, "quorum-whitespace");
    assert_eq!(w.len(), 1, "{}", dump(&f));
    assert_eq!(w[0].line, Some(4));
    assert!(w[0].message.contains("` zk2:2181 `"), "{}", w[0]);
    assert!(
        w[0].hint
            .as_ref()
            .unwrap()
            .contains("zk1:2181,zk2:2181,zk3:2181`")
    );

    let f = check("zk1:2181");
    assert_eq!(with_id(&f, "quorum-single").len(), 1, "{}", dump(&f));
    let f = check("zk1:2181,zk2:2181,zk3:2181,zk4:2181");
    assert_eq!(with_id(&f, "quorum-even").len(), 1, "{}", dump(&f));
    // A duplicate is one server: three entries, two servers (even), and the repeat named.
    let f = check("zk1:2181,ZK1:2181,zk2:2181");
    let d = with_id(&f, "quorum-duplicate");
    assert_eq!(d.len(), 1, "{}", dump(&f));
    assert!(
        d[0].message.contains("entry 2 `ZK1:2181` repeats entry 1"),
        "{}",
        d[0]
    );
    assert_eq!(with_id(&f, "quorum-even").len(), 1, "{}", dump(&f));
    // `zk1` means port 2181: a duplicate of `zk1:2181`; and the missing port is reported
    // (by config check) with its own id.
    let f = check("zk1,zk1:2181,zk2:2181,zk3:2181");
    assert_eq!(with_id(&f, "quorum-duplicate").len(), 1, "{}", dump(&f));
    let conf = conf_with(
        &format!("{HA}high-availability.zookeeper.quorum: zk1,zk2:2181,zk3:2181\n"),
        None,
        Some("jm1\njm2\n"),
    );
    assert_eq!(
        with_id(&check_conf_dir(&conf), "quorum-port-missing").len(),
        1
    );
    // With a zoo.cfg, its server count is the one checked (by config check), not the key's.
    let conf = conf_with(
        &format!("{HA}high-availability.zookeeper.quorum: zk1:2181,zk2:2181\n"),
        Some("clientPort=2181\nserver.1=zk1:2888:3888\nserver.2=zk2:2888:3888\n"),
        Some("jm1\njm2\n"),
    );
    assert!(with_id(&doctor_checks(&conf, &no_env()), "quorum-even").is_empty());
}

#[test]
fn uris_whose_host_or_port_look_wrong() {
    let check = |key: &str, uri: &str| {
        let conf = conf_with(&format!("{key}: {uri}\n"), None, Some("jm1\njm2\n"));
        doctor_checks(&conf, &no_env())
    };
    let ids = |f: &[Finding]| -> Vec<String> {
        f.iter()
            .filter_map(|x| x.id.clone())
            .filter(|i| i.starts_with("uri-"))
            .collect()
    };
    let sd = "high-availability.storageDir";
    assert!(ids(&check(sd, "hdfs://nn1:8020/flink/ha")).is_empty());
    assert!(ids(&check(sd, "hdfs:///flink/ha")).is_empty());
    assert!(ids(&check(sd, "hdfs://[2001:db8::1]:8020/ha")).is_empty());
    assert!(ids(&check(sd, "s3://my-bucket/flink/ha")).is_empty());
    assert!(ids(&check(sd, "file:///data/ha")).is_empty());
    assert_eq!(
        ids(&check(sd, "hdfs://name_node:8020/ha")),
        ["uri-host-invalid"]
    );
    assert_eq!(ids(&check(sd, "hdfs://nn1:50070/ha")), ["uri-port-web"]);
    assert_eq!(ids(&check(sd, "hdfs://nn1:9870/ha")), ["uri-port-web"]);
    assert!(ids(&check(sd, "webhdfs://nn1:9870/ha")).is_empty());
    assert_eq!(ids(&check(sd, "hdfs://nn1:80800/ha")), ["uri-port-invalid"]);
    assert_eq!(ids(&check(sd, "hdfs://nn1:/ha")), ["uri-port-invalid"]);
    assert_eq!(
        ids(&check(sd, "hdfs://localhost:9000/ha")),
        ["uri-host-loopback"]
    );
    assert_eq!(
        ids(&check(sd, "hdfs://[::1]:9000/ha")),
        ["uri-host-loopback"]
    );
    let cp = "execution.checkpointing.dir";
    assert_eq!(ids(&check(cp, "s3://minio:9000/cp")), ["uri-s3-endpoint"]);
    assert_eq!(ids(&check(cp, "s3:///cp")), ["uri-bucket-missing"]);
    assert_eq!(
        ids(&check(cp, "s3a://My_Bucket/cp")),
        ["uri-bucket-invalid"]
    );
    assert_eq!(ids(&check(cp, "s3://my_bucket/cp")), ["uri-bucket-invalid"]);
    assert!(ids(&check(cp, "gs://my_bucket/cp")).is_empty());
    let f = check(cp, "s3://minio:9000/cp");
    assert!(
        f[0].hint
            .as_ref()
            .unwrap()
            .contains("s3.endpoint: http://minio:9000"),
        "{}",
        f[0]
    );
    // One host: localhost is that host.
    let conf = conf_with(
        &format!("{sd}: hdfs://localhost:9000/ha\n"),
        None,
        Some("jm1\n"),
    );
    assert!(with_id(&doctor_checks(&conf, &no_env()), "uri-host-loopback").is_empty());
}

#[test]
fn each_uri_scheme_names_what_the_hosts_need() {
    let conf = conf_with(
        "high-availability.storageDir: hdfs:///ha\nexecution.checkpointing.dir: s3://b-1/cp\n\
         state.checkpoints.dir: s3://b-1/cp2\nexecution.checkpointing.savepoint-dir: hfds:///sp\n\
         fs.default-scheme: gs://bucket-x/\n",
        None,
        Some("jm1\njm2\n"),
    );
    let extra = vec![UriUse {
        file: PathBuf::from("flinkha.yaml"),
        line: None,
        what: "`jobs.counter.savepoint_dir`".into(),
        uri: "abfss://c@acct.dfs.core.windows.net/sp".into(),
    }];
    let f = fs_support(&conf, &extra);
    let all = dump(&f);
    let h = with_id(&f, "fs-hadoop-needed");
    assert_eq!(h.len(), 1, "{all}");
    assert_eq!(h[0].line, Some(1));
    assert!(
        h[0].hint.as_ref().unwrap().contains("HADOOP_CLASSPATH"),
        "{all}"
    );
    let p = with_id(&f, "fs-plugin-needed");
    assert_eq!(p.len(), 3, "{all}"); // s3 (one finding for both keys), gs, abfss
    let s3 = p.iter().find(|x| x.message.starts_with("`s3://`")).unwrap();
    assert_eq!(s3.line, Some(2));
    assert!(
        s3.message
            .contains("`execution.checkpointing.dir`, `state.checkpoints.dir`"),
        "{s3}"
    );
    assert!(
        s3.hint
            .as_ref()
            .unwrap()
            .contains("cp opt/flink-s3-fs-hadoop-2.1.0.jar plugins/s3-fs-hadoop/"),
        "{s3}"
    );
    assert!(all.contains("plugins/gs-fs-hadoop/"), "{all}");
    let az = p
        .iter()
        .find(|x| x.message.starts_with("`abfss://`"))
        .unwrap();
    assert_eq!(az.file, PathBuf::from("flinkha.yaml"));
    assert!(az.message.contains("jobs.counter.savepoint_dir"), "{az}");
    let u = with_id(&f, "fs-scheme-unknown");
    assert_eq!(u.len(), 1, "{all}");
    assert_eq!(u[0].hint.as_deref(), Some("did you mean `hdfs://`?"));
    // file:// needs nothing.
    let conf = conf_with("high-availability.storageDir: file:///ha\n", None, None);
    assert!(fs_support(&conf, &[]).is_empty());
    assert_eq!(
        fs_support_for("s3p"),
        Some(FsSupport::Plugin {
            dir: "s3-fs-presto",
            jar: "flink-s3-fs-presto"
        })
    );
}

#[test]
fn near_miss_file_names_name_the_file_flink_reads() {
    for (name, target) in [
        ("flink-conf.yml", "flink-conf.yaml"),
        ("config.yml", "config.yaml"),
        ("master", "masters"),
        ("Workers", "workers"),
        ("slave", "workers"),
        ("masters.txt", "masters"),
        ("zoo.conf", "zoo.cfg"),
        ("log4j2.properties", "log4j.properties"),
        ("log4j.xml", "log4j.properties"),
        ("log4j-consle.properties", "log4j-console.properties"),
        ("logback-console.xm", "logback-console.xml"),
    ] {
        assert_eq!(near_miss(name), Some(target), "{name}");
    }
    for name in [
        "masters",
        "log4j-cli.properties",
        "zoo.cfg.dynamic.100000000",
        "masters.bak",
        "config.yaml.template",
        "yarn-site.xml",
        "core-site.xml",
        "sql-client-defaults.yaml",
        "README",
        "job.jar",
    ] {
        assert_eq!(near_miss(name), None, "{name}");
    }
    // In a conf dir: the config-file near miss names the file this version reads; an existing
    // target is to be merged into, a missing one renamed to.
    let d = dir_with(&[
        ("config.yaml", "a.b: 1\n"),
        ("flink-conf.yml", "a.b: 2\n"),
        ("masters.txt", "jm1\n"),
        ("log4j.properties", "x=1\n"),
        ("log4j2.properties", "x=2\n"),
    ]);
    let conf = ConfDir::load(d.path(), &V21).unwrap();
    let f = doctor_checks(&conf, &no_env());
    let n = with_id(&f, "file-name-near-miss");
    assert_eq!(n.len(), 3, "{}", dump(&f));
    let yml = n
        .iter()
        .find(|x| x.file.ends_with("flink-conf.yml"))
        .unwrap();
    assert!(yml.message.contains("it reads `config.yaml`"), "{yml}");
    assert!(
        yml.hint.as_ref().unwrap().starts_with("move what you need"),
        "{yml}"
    );
    let m = n.iter().find(|x| x.file.ends_with("masters.txt")).unwrap();
    assert!(m.hint.as_ref().unwrap().starts_with("rename it to"), "{m}");
    let legacy = ConfDir::load(d.path(), &V120).unwrap();
    let f = doctor_checks(&legacy, &no_env());
    // 1.20 reads config.yaml here too (there is no flink-conf.yaml).
    assert!(dump(&f).contains("it reads `config.yaml`"), "{}", dump(&f));
}

#[test]
fn masters_web_ports_against_rest_port_and_bind_port() {
    let f = doctor_checks(
        &conf_with("rest.port: 8082\n", None, Some("jm1:8081\njm2\n")),
        &no_env(),
    );
    let r = with_id(&f, "rest-port-masters");
    assert_eq!(r.len(), 1, "{}", dump(&f));
    assert_eq!(
        (r[0].file.as_path(), r[0].line),
        (Path::new("conf/masters"), Some(1))
    );
    assert!(
        r[0].message
            .contains("web port 8081 but `rest.port` is 8082 (conf/config.yaml:1)"),
        "{}",
        r[0]
    );
    let f = doctor_checks(
        &conf_with("rest.port: 8081\n", None, Some("jm1:8081\njm2\n")),
        &no_env(),
    );
    assert!(f.is_empty(), "{}", dump(&f));
    let f = doctor_checks(
        &conf_with("rest.bind-port: 50100-50200\n", None, Some("jm1:8081\n")),
        &no_env(),
    );
    let b = with_id(&f, "rest-bind-port");
    assert_eq!(b.len(), 1, "{}", dump(&f));
    assert!(b[0].is_error() && b[0].line == Some(1), "{}", b[0]);
    let f = doctor_checks(
        &conf_with("rest.bind-port: 8080-8090\n", None, Some("jm1:8081\n")),
        &no_env(),
    );
    assert!(f.is_empty(), "{}", dump(&f));
    assert_eq!(port_spec_contains("8081", 8081), Some(true));
    assert_eq!(port_spec_contains("50100,50101-50105", 50103), Some(true));
    assert_eq!(port_spec_contains("50100,50101-50105", 8081), Some(false));
    assert_eq!(port_spec_contains("x", 8081), None);
}

#[test]
fn yarn_attempts_above_the_resource_managers_maximum() {
    let site = |max: Option<&str>| {
        let prop = max.map_or(String::new(), |m| {
            format!(
                "  <property>\n    <name>yarn.resourcemanager.am.max-attempts</name>\n    <value>{m}</value>\n  </property>\n"
            )
        });
        format!("<?xml version=\"1.0\"?>\n<configuration>\n{prop}</configuration>\n")
    };
    let d = dir_with(&[
        ("config.yaml", "yarn.application-attempts: 5\n"),
        ("yarn-site.xml", &site(Some("4"))),
    ]);
    let f = doctor_checks(&ConfDir::load(d.path(), &V21).unwrap(), &no_env());
    let y = with_id(&f, "yarn-attempts-capped");
    assert_eq!(y.len(), 1, "{}", dump(&f));
    assert_eq!(y[0].line, Some(1));
    assert!(y[0].message.contains("is 4 ("), "{}", y[0]);
    assert!(y[0].message.contains("yarn-site.xml:3)"), "{}", y[0]);
    // Within the maximum: nothing.
    std::fs::write(d.path().join("yarn-site.xml"), site(Some("8"))).unwrap();
    let f = doctor_checks(&ConfDir::load(d.path(), &V21).unwrap(), &no_env());
    assert!(
        with_id(&f, "yarn-attempts-capped").is_empty(),
        "{}",
        dump(&f)
    );
    // Not set: YARN's default of 2.
    std::fs::write(d.path().join("yarn-site.xml"), site(None)).unwrap();
    let f = doctor_checks(&ConfDir::load(d.path(), &V21).unwrap(), &no_env());
    assert!(
        with_id(&f, "yarn-attempts-capped")[0]
            .message
            .contains("is 2 (YARN's default"),
        "{}",
        dump(&f)
    );
    // yarn-site.xml found through HADOOP_CONF_DIR instead of the conf dir.
    let hadoop = dir_with(&[("yarn-site.xml", &site(Some("3")))]);
    std::fs::remove_file(d.path().join("yarn-site.xml")).unwrap();
    let conf = ConfDir::load(d.path(), &V21).unwrap();
    assert!(doctor_checks(&conf, &no_env()).is_empty());
    let env = DoctorEnv {
        hadoop_conf_dirs: vec![hadoop.path().to_path_buf()],
        ..DoctorEnv::default()
    };
    let f = doctor_checks(&conf, &env);
    assert!(
        with_id(&f, "yarn-attempts-capped")[0]
            .message
            .contains("is 3 ("),
        "{}",
        dump(&f)
    );
    // Malformed XML is reported with its line.
    std::fs::write(
        hadoop.path().join("yarn-site.xml"),
        "<configuration>\n<property>\n</configuration>\n",
    )
    .unwrap();
    let f = doctor_checks(&conf, &env);
    let u = with_id(&f, "yarn-site-unreadable");
    assert_eq!(u.len(), 1, "{}", dump(&f));
    assert!(u[0].line.is_some(), "{}", u[0]);
}

#[test]
fn walkthrough_fixture_mistakes_are_all_found() {
    let dir = fixtures().join("walkthrough");
    let conf = ConfDir::load(&dir, &V21).unwrap();
    let f = doctor_checks(&conf, &no_env());
    let all = dump(&f);
    let cfg = dir.join("config.yaml");
    for (id, file, line) in [
        ("uri-host-invalid", cfg.clone(), Some(3)),
        ("uri-port-web", cfg.clone(), Some(3)),
        ("fs-hadoop-needed", cfg.clone(), Some(3)),
        ("quorum-whitespace", cfg.clone(), Some(4)),
        ("quorum-duplicate", cfg.clone(), Some(4)),
        ("quorum-even", cfg.clone(), Some(4)),
        ("uri-s3-endpoint", cfg.clone(), Some(6)),
        ("fs-plugin-needed", cfg.clone(), Some(6)),
        ("fs-scheme-unknown", cfg.clone(), Some(7)),
        ("yarn-attempts-capped", cfg.clone(), Some(9)),
        ("rest-port-masters", dir.join("masters"), Some(1)),
        ("rest-port-masters", dir.join("masters"), Some(2)),
        ("file-name-near-miss", dir.join("flink-conf.yml"), None),
        ("file-name-near-miss", dir.join("log4j2.properties"), None),
    ] {
        assert!(
            f.iter()
                .any(|x| x.id.as_deref() == Some(id) && x.file == file && x.line == line),
            "missing {id} at {}:{line:?}\n{all}",
            file.display()
        );
    }
    // config check alone finds none of them.
    let base: Vec<_> = check_conf_dir(&conf)
        .into_iter()
        .filter_map(|x| x.id)
        .collect();
    assert!(base.is_empty(), "{base:?}");
}

/// `env.java.home`, `io.tmp.dirs`, `dataDir`… go into shell scripts: a NUL byte in any of
/// them is an error naming the file, line and key, never a value changed behind the
/// operator's back.
#[test]
fn a_nul_byte_in_a_value_is_an_error_naming_it() {
    let cases: [(Result<(), ConfError>, &str, &str); 4] = [
        (
            yaml("rest.port: 8081\nenv:\n  java:\n    home: \"/usr/lib/jvm\\0\"\n").map(|_| ()),
            "conf/config.yaml:4",
            "`env.java.home`",
        ),
        (
            yaml("io.tmp.dirs: [/a, \"/b\\x00\"]\n").map(|_| ()),
            "conf/config.yaml:1",
            "`io.tmp.dirs`",
        ),
        (
            legacy("rest.port: 8081\nenv.java.home: /usr/lib/jvm\0x\n").map(|_| ()),
            "conf/flink-conf.yaml:2",
            "`env.java.home`",
        ),
        (
            ZooCfg::parse(
                "clientPort=2181\ndataDir=/var/zk\0\n",
                Path::new("conf/zoo.cfg"),
            )
            .map(|_| ()),
            "conf/zoo.cfg:2",
            "`dataDir`",
        ),
    ];
    for (r, at, key) in cases {
        let msg = r.unwrap_err().to_string();
        assert!(
            msg.contains(at) && msg.contains(key) && msg.contains("NUL"),
            "{msg}"
        );
    }
    let server = ZooCfg::parse("server.1=h\0:2888:3888\n", Path::new("zoo.cfg")).unwrap_err();
    assert!(server.to_string().contains("zoo.cfg:1"), "{server}");
}
