//! Property tests of the conf-dir parsers (issue 10): `zoo.cfg`, `masters`/`workers`,
//! `config.yaml` and the legacy `flink-conf.yaml`, and the YAML scalar quoting. Each parser
//! must not panic on arbitrary text nor on near-valid text assembled from its own syntax, and
//! parse ∘ render must give back what was rendered.

use std::path::Path;

use proptest::prelude::*;

use super::config::{ConfFormat, ConfValue, FlinkConfig};
use super::hosts::{parse_masters, parse_workers};
use super::yaml::{flow_list, quote};
use super::zoocfg::ZooCfg;

use crate::proptest_config as config;

/// Lines glued together from `fragments`, so that parsers see their own punctuation.
fn near_valid(fragments: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::collection::vec(
            prop_oneof![
                3 => prop::sample::select(fragments).prop_map(str::to_string),
                1 => "[a-z0-9]{1,6}",
                1 => any::<String>(),
            ],
            0..8,
        )
        .prop_map(|parts| parts.concat()),
        0..8,
    )
    .prop_map(|lines| lines.join("\n"))
}

const ZOO_FRAGMENTS: &[&str] = &[
    "server.",
    "1",
    "2",
    "4294967296",
    "=",
    ":",
    ";",
    "[",
    "]",
    "::1",
    "h1",
    "2888",
    "3888",
    "0",
    "65536",
    ":observer",
    ":participant",
    ":Observer",
    "|",
    "#",
    "!",
    " ",
    "\t",
    "\\",
    "clientPort",
    "dataDir=/d",
    "-1",
    "+2",
];

const HOSTS_FRAGMENTS: &[&str] = &[
    "jm1", ":", "8081", "0", "65536", "[", "]", "::1", "[::1]", "/rack/", "/", "#", " ", "\t", "é",
    "_", ".", "-", "-1",
];

const YAML_FRAGMENTS: &[&str] = &[
    "a",
    "b.c",
    ": ",
    ":",
    "\n  ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "'",
    "\"",
    "&x ",
    "*x",
    "!!str ",
    "---\n",
    "...\n",
    "#",
    "|\n  ",
    ">\n  ",
    "~",
    "null",
    "0x1F",
    "0o7",
    "007",
    "1e3",
    ".inf",
    "True",
    "? ",
    "%YAML 1.2\n",
    "\\",
    "\t",
];

const LEGACY_FRAGMENTS: &[&str] = &["a.b", ": ", ":", "#", " ", "\t", "x", "\\", "=", "é"];

/// Host names as `masters`, `workers` and `zoo.cfg` accept them.
fn host_name() -> impl Strategy<Value = String> {
    "[a-z0-9_][a-z0-9._-]{0,15}"
}

/// IPv6 literals (at least two colons), without brackets.
fn ipv6() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("::1".to_string()),
        Just("::".to_string()),
        "2001:db8(:[0-9a-f]{1,4}){0,3}::[0-9a-f]{1,4}",
        "fe80::[0-9a-f]{1,4}:[0-9a-f]{1,4}",
    ]
}

fn bracketed(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

// --- zoo.cfg ---

#[derive(Debug, Clone)]
struct Server {
    id: u32,
    host: String,
    peer: u16,
    leader: u16,
    role: Option<&'static str>,
    client: Option<(Option<String>, u16)>,
}

fn server() -> impl Strategy<Value = Server> {
    (
        any::<u32>(),
        prop_oneof![host_name(), ipv6()],
        1..=u16::MAX,
        1..=u16::MAX,
        prop::option::of(prop::sample::select(&["participant", "observer"][..])),
        prop::option::of((
            prop::option::of(prop_oneof![
                host_name(),
                ipv6(),
                Just("0.0.0.0".to_string())
            ]),
            1..=u16::MAX,
        )),
    )
        .prop_map(|(id, host, peer, leader, role, client)| Server {
            id,
            host,
            peer,
            leader,
            role,
            client,
        })
}

fn render_server(s: &Server) -> String {
    let mut line = format!(
        "server.{}={}:{}:{}",
        s.id,
        bracketed(&s.host),
        s.peer,
        s.leader
    );
    if let Some(r) = s.role {
        line.push(':');
        line.push_str(r);
    }
    if let Some((addr, port)) = &s.client {
        line.push(';');
        if let Some(a) = addr {
            line.push_str(&bracketed(a));
            line.push(':');
        }
        line.push_str(&port.to_string());
    }
    line
}

/// A property key ZooKeeper would read: no separator, not `server.N`, not a comment.
fn zoo_key() -> impl Strategy<Value = String> {
    "[a-zA-Z][a-zA-Z0-9._]{0,15}".prop_filter("not a server line", |k| !k.starts_with("server."))
}

/// A property value as it reads back: trimmed, one line, no trailing `\`.
fn zoo_value() -> impl Strategy<Value = String> {
    // No trailing `\` (a line continuation, refused) nor space: strip both together, since
    // stripping one after the other leaves a `\` that stood before a space (`"\ \"`).
    "[ -~]{0,20}".prop_map(|v| {
        v.trim()
            .trim_end_matches(|c: char| c == '\\' || c.is_whitespace())
            .to_string()
    })
}

fn zoo_props() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::btree_map(zoo_key(), zoo_value(), 0..6).prop_map(|m| m.into_iter().collect())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn zoo_cfg_never_panics(text in any::<String>()) {
        let _ = ZooCfg::parse(&text, Path::new("zoo.cfg"));
    }

    #[test]
    fn zoo_cfg_near_valid_never_panics(text in near_valid(ZOO_FRAGMENTS)) {
        if let Ok(cfg) = ZooCfg::parse(&text, Path::new("zoo.cfg")) {
            // Rendering and re-reading what parsed never fails nor changes it.
            let out = cfg.render(&[], "");
            let again = ZooCfg::parse(&out, Path::new("zoo.cfg"))
                .map_err(|e| TestCaseError::fail(format!("{e} in\n{out}")))?;
            prop_assert_eq!(again.servers, cfg.servers);
        }
    }

    #[test]
    fn zoo_cfg_servers_and_props_round_trip(
        servers in prop::collection::vec(server(), 0..5),
        props in zoo_props(),
    ) {
        let mut text = String::from("# generated\n");
        for (k, v) in &props {
            text.push_str(&format!("{k}={v}\n"));
        }
        for s in &servers {
            text.push_str(&render_server(s));
            text.push('\n');
        }
        let cfg = ZooCfg::parse(&text, Path::new("zoo.cfg")).map_err(|e| {
            TestCaseError::fail(format!("{e} in\n{text}"))
        })?;
        prop_assert_eq!(cfg.servers.len(), servers.len());
        for (got, want) in cfg.servers.iter().zip(&servers) {
            prop_assert_eq!(got.id, want.id);
            prop_assert_eq!(&got.host, &want.host);
            prop_assert_eq!(got.peer_port, want.peer);
            prop_assert_eq!(got.leader_port, want.leader);
            prop_assert_eq!(got.role.as_deref(), want.role);
            prop_assert_eq!(&got.client, &want.client);
        }
        let got: Vec<(String, String)> =
            cfg.props.iter().map(|(k, v, _)| (k.clone(), v.clone())).collect();
        prop_assert_eq!(got, props);
    }

    #[test]
    fn zoo_cfg_render_applies_overrides(
        props in zoo_props(),
        overrides in zoo_props(),
    ) {
        let text: String = props.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        let cfg = ZooCfg::parse(&text, Path::new("zoo.cfg")).expect("valid");
        let out = cfg.render(&overrides, "header line\n\nsecond");
        let back = ZooCfg::parse(&out, Path::new("zoo.cfg")).map_err(|e| {
            TestCaseError::fail(format!("{e} in\n{out}"))
        })?;
        for (k, v) in &overrides {
            prop_assert_eq!(back.get(k), Some(v.as_str()));
        }
        for (k, v) in &props {
            if !overrides.iter().any(|(ok, _)| ok == k) {
                prop_assert_eq!(back.get(k), Some(v.as_str()));
            }
        }
        prop_assert_eq!(back.props.len(), {
            let mut keys: Vec<&String> = props.iter().chain(&overrides).map(|(k, _)| k).collect();
            keys.sort();
            keys.dedup();
            keys.len()
        });
    }
}

// --- masters / workers ---

#[derive(Debug, Clone)]
struct HostLine {
    host: String,
    port: Option<u16>,
    rack: Option<String>,
    comment: Option<String>,
}

fn host_line(with_port: bool) -> impl Strategy<Value = HostLine> {
    (
        prop_oneof![host_name(), ipv6()],
        prop::option::of(any::<u16>()),
        prop::option::of("/[a-z0-9]{1,5}(/[a-z0-9]{1,5})?/"),
        prop::option::of("[ -~]{0,10}"),
    )
        .prop_map(move |(host, port, rack, comment)| HostLine {
            host,
            port: port.filter(|_| with_port),
            rack,
            comment,
        })
}

fn render_host_line(l: &HostLine) -> String {
    // A bare IPv6 literal can only be written without brackets when no port follows.
    let host = match l.port {
        Some(_) => bracketed(&l.host),
        None => l.host.clone(),
    };
    let mut s = format!("{}{host}", l.rack.as_deref().unwrap_or(""));
    if let Some(p) = l.port {
        s.push_str(&format!(":{p}"));
    }
    if let Some(c) = &l.comment {
        s.push_str(&format!("  #{c}"));
    }
    s
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn masters_and_workers_never_panic(text in any::<String>()) {
        let _ = parse_masters(&text, Path::new("masters"));
        let _ = parse_workers(&text, Path::new("workers"));
    }

    #[test]
    fn masters_and_workers_near_valid_never_panic(text in near_valid(HOSTS_FRAGMENTS)) {
        let _ = parse_masters(&text, Path::new("masters"));
        let _ = parse_workers(&text, Path::new("workers"));
    }

    #[test]
    fn masters_round_trip(
        lines in prop::collection::vec(
            prop_oneof![
                4 => host_line(true).prop_map(Some),
                1 => Just(None),
            ],
            0..8,
        ),
    ) {
        let text: String = lines
            .iter()
            .map(|l| l.as_ref().map(render_host_line).unwrap_or_else(|| "# comment".into()) + "\n")
            .collect();
        let parsed = parse_masters(&text, Path::new("masters")).map_err(|e| {
            TestCaseError::fail(format!("{e} in\n{text}"))
        })?;
        let want: Vec<(usize, &HostLine)> = lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| l.as_ref().map(|l| (i + 1, l)))
            .collect();
        prop_assert_eq!(parsed.len(), want.len());
        for (got, (line, l)) in parsed.iter().zip(want) {
            prop_assert_eq!(&got.host, &l.host);
            prop_assert_eq!(got.webui_port, l.port);
            prop_assert_eq!(got.line, line);
        }
    }

    #[test]
    fn workers_round_trip(lines in prop::collection::vec(host_line(false), 0..8)) {
        let text: String = lines.iter().map(|l| render_host_line(l) + "\n").collect();
        let parsed = parse_workers(&text, Path::new("workers")).map_err(|e| {
            TestCaseError::fail(format!("{e} in\n{text}"))
        })?;
        let hosts: Vec<&String> = parsed.iter().map(|w| &w.host).collect();
        let want: Vec<&String> = lines.iter().map(|l| &l.host).collect();
        prop_assert_eq!(hosts, want);
    }
}

// --- config.yaml / flink-conf.yaml ---

/// Any string, with extra weight on what YAML treats specially.
fn yaml_string() -> impl Strategy<Value = String> {
    yaml_string_with_nul().prop_map(|s| s.replace('\0', ""))
}

fn yaml_string_with_nul() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => any::<String>(),
        2 => prop::collection::vec(prop::sample::select(YAML_FRAGMENTS), 0..6)
            .prop_map(|p| p.concat()),
        1 => "[-+]?[0-9]{1,20}(\\.[0-9]{0,5})?([eE][-+]?[0-9]{1,3})?",
        1 => prop::sample::select(&[
            "y", "No", "on", "OFF", "true", "False", "null", "~", "", " ", "0x", "0o", "-",
            ".nan", "-.inf", "0.4", "3.0", "1e7", "0.0001", "12345678.5",
        ][..]).prop_map(str::to_string),
    ]
}

fn yaml_key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z][a-z0-9-]{0,6}(\\.[a-z][a-z0-9-]{0,6}){0,3}",
        1 => yaml_string().prop_filter("a key", |k| !k.is_empty()),
    ]
}

fn parse_yaml(text: &str) -> Result<FlinkConfig, TestCaseError> {
    FlinkConfig::parse(text, Path::new("config.yaml"), ConfFormat::Yaml)
        .map_err(|e| TestCaseError::fail(format!("{e} in\n{text}")))
}

fn parse_legacy(text: &str) -> Result<FlinkConfig, TestCaseError> {
    FlinkConfig::parse(text, Path::new("flink-conf.yaml"), ConfFormat::Legacy)
        .map_err(|e| TestCaseError::fail(format!("{e} in\n{text}")))
}

/// Keys the legacy format can hold ([`FlinkConfig::validate_overrides`]'s rule).
fn legacy_key() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9._-]{0,12}[a-z0-9]"
}

/// Values the legacy format can hold: one line, no `#`, not blank, trimmed.
fn legacy_value() -> impl Strategy<Value = String> {
    "[^#\n\r\x00]{1,20}"
        .prop_map(|v| v.trim().to_string())
        .prop_filter("not blank", |v| !v.is_empty())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn config_yaml_never_panics(text in any::<String>()) {
        let _ = FlinkConfig::parse(&text, Path::new("config.yaml"), ConfFormat::Yaml);
    }

    #[test]
    fn config_yaml_near_valid_never_panics(text in near_valid(YAML_FRAGMENTS)) {
        if let Ok(cfg) = FlinkConfig::parse(&text, Path::new("config.yaml"), ConfFormat::Yaml) {
            // What parsed renders to a file that parses to the same settings.
            let back = parse_yaml(&cfg.render(&[], ""))?;
            let got: Vec<_> = back.entries.iter().map(|e| (&e.key, &e.value)).collect();
            let want: Vec<_> = cfg.entries.iter().map(|e| (&e.key, &e.value)).collect();
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn legacy_never_panics(text in any::<String>()) {
        let _ = FlinkConfig::parse(&text, Path::new("flink-conf.yaml"), ConfFormat::Legacy);
    }

    #[test]
    fn legacy_near_valid_never_panics(text in near_valid(LEGACY_FRAGMENTS)) {
        if let Ok(cfg) = FlinkConfig::parse(&text, Path::new("f"), ConfFormat::Legacy) {
            let back = parse_legacy(&cfg.render(&[], ""))?;
            prop_assert_eq!(back.entries, cfg.entries);
        }
    }

    /// The core promise of `quote`: whatever the string, Flink reads it back unchanged.
    #[test]
    fn yaml_quote_round_trips(s in yaml_string()) {
        let text = format!("k: {}\n", quote(&s, false));
        let cfg = parse_yaml(&text)?;
        prop_assert_eq!(cfg.get("k").map(|e| &e.value), Some(&ConfValue::Scalar(s)));
    }

    /// A NUL byte can't reach a shell script: every loader refuses it, naming the line.
    #[test]
    fn nul_bytes_are_rejected(
        a in yaml_string(),
        b in yaml_string(),
        key in legacy_key(),
        escape in prop::sample::select(&["\\0", "\\x00", "\\u0000"][..]),
    ) {
        let yaml = format!("x: 1\n{key}: \"{}{escape}{}\"\n", a.escape_default(), b.escape_default());
        let err = FlinkConfig::parse(&yaml, Path::new("c.yaml"), ConfFormat::Yaml);
        prop_assert!(err.as_ref().is_err_and(|e| e.to_string().contains("c.yaml:2")), "{:?}", err);
        let text = format!("x: 1\n{key}: {}\0{}\n", a.replace(['\n', '\r', '#'], ""), b.replace(['\n', '\r', '#'], ""));
        let err = FlinkConfig::parse(&text, Path::new("f.yaml"), ConfFormat::Legacy);
        prop_assert!(err.as_ref().is_err_and(|e| e.to_string().contains("f.yaml:2")), "{:?}", err);
        let err = ZooCfg::parse(&text.replace(": ", "="), Path::new("zoo.cfg"));
        prop_assert!(err.as_ref().is_err_and(|e| e.to_string().contains("zoo.cfg:2")), "{:?}", err);
    }

    #[test]
    fn yaml_flow_list_round_trips(items in prop::collection::vec(yaml_string(), 1..5)) {
        let text = format!("k: {}\n", flow_list(&items));
        let cfg = parse_yaml(&text)?;
        prop_assert_eq!(cfg.get("k").map(|e| &e.value), Some(&ConfValue::List(items)));
    }

    #[test]
    fn config_yaml_render_round_trips(
        base in prop::collection::btree_map(yaml_key(), yaml_string(), 0..6),
        overrides in prop::collection::btree_map(yaml_key(), yaml_string(), 0..6),
    ) {
        let base: Vec<(String, String)> = base.into_iter().collect();
        let overrides: Vec<(String, String)> = overrides.into_iter().collect();
        let first = parse_yaml("")?.render(&base, "");
        let cfg = parse_yaml(&first)?;
        let out = cfg.render(&overrides, "per-host values\nfor h1");
        let back = parse_yaml(&out)?;
        let mut want: Vec<(String, String)> = base
            .iter()
            .map(|(k, v)| {
                let v = overrides.iter().find(|(ok, _)| ok == k).map_or(v, |(_, ov)| ov);
                (k.clone(), v.clone())
            })
            .collect();
        want.extend(overrides.iter().filter(|(k, _)| !base.iter().any(|(bk, _)| bk == k)).cloned());
        let got: Vec<(String, String)> = back
            .entries
            .iter()
            .map(|e| (e.key.clone(), e.value.to_string()))
            .collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn legacy_render_round_trips(
        base in prop::collection::btree_map(legacy_key(), legacy_value(), 0..6),
        overrides in prop::collection::btree_map(legacy_key(), legacy_value(), 0..6),
        comments in any::<bool>(),
    ) {
        let mut text = String::new();
        for (k, v) in &base {
            text.push_str(&format!("  {k}: {v}"));
            text.push_str(if comments { " # note\n# a comment line\n" } else { "\n" });
        }
        let overrides: Vec<(String, String)> = overrides.into_iter().collect();
        let cfg = parse_legacy(&text)?;
        prop_assert!(cfg.validate_overrides(&overrides).is_empty());
        let back = parse_legacy(&cfg.render(&overrides, "header"))?;
        for (k, v) in &base {
            let want = overrides.iter().find(|(ok, _)| ok == k).map_or(v, |(_, ov)| ov);
            prop_assert_eq!(back.get_str(k), Some(want.as_str()));
        }
        for (k, v) in &overrides {
            prop_assert_eq!(back.get_str(k), Some(v.as_str()));
        }
    }
}
