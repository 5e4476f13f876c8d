//! Checks over a loaded [`ConfDir`]: HA settings, URIs, the ZooKeeper quorum, host lists and keys.

use std::collections::HashMap;

use super::confdir::ConfDir;
use super::config::{ConfEntry, ConfValue, FlinkConfig};
use super::error::Finding;
use super::keys::{KeyStatus, classify_key};
use super::version::Version;

/// Keys that switch HA on, newest first (`HighAvailabilityOptions.HA_MODE` and its deprecated
/// fallback keys).
const HA_KEYS: &[&str] = &[
    "high-availability.type",
    "high-availability",
    "recovery.mode",
];
/// `HighAvailabilityOptions.HA_STORAGE_PATH` and its deprecated key.
const STORAGE_KEYS: &[&str] = &[
    "high-availability.storageDir",
    "high-availability.zookeeper.storageDir",
];
/// `HighAvailabilityOptions.HA_CLUSTER_ID` and its deprecated key.
const CLUSTER_ID_KEYS: &[&str] = &[
    "high-availability.cluster-id",
    "high-availability.zookeeper.path.namespace",
];
pub(super) const QUORUM_KEY: &str = "high-availability.zookeeper.quorum";
/// Directory options that must be URIs (`CheckpointingOptions`), with what they hold.
pub(super) const URI_KEYS: &[(&str, &str)] = &[
    ("high-availability.storageDir", "HA metadata"),
    ("high-availability.zookeeper.storageDir", "HA metadata"),
    ("execution.checkpointing.dir", "checkpoints"),
    ("state.checkpoints.dir", "checkpoints"),
    ("execution.checkpointing.savepoint-dir", "savepoints"),
    ("state.savepoints.dir", "savepoints"),
];

/// True when `version` reads `key` (a current or deprecated key).
fn is_read(version: &Version, key: &str) -> bool {
    matches!(
        classify_key(version, key),
        KeyStatus::Known | KeyStatus::Deprecated { .. }
    )
}

/// The first of `keys` that is set and read by the version.
pub(super) fn first_set<'a>(conf: &'a ConfDir, keys: &[&str]) -> Option<&'a ConfEntry> {
    keys.iter()
        .filter(|k| is_read(&conf.version, k))
        .find_map(|k| conf.config.get(k))
}

fn cfg_finding_err(cfg: &FlinkConfig, line: Option<usize>, msg: String, hint: String) -> Finding {
    Finding::error(&cfg.path, line, msg, Some(hint))
}

fn cfg_finding_warn(cfg: &FlinkConfig, line: Option<usize>, msg: String, hint: String) -> Finding {
    Finding::warning(&cfg.path, line, msg, Some(hint))
}

/// Run every check over `conf`. Pure: reads nothing from disk or network.
///
/// Returns `conf.findings` (made while loading) followed by:
/// - **keys** (per [`classify_key`]): unknown keys (warning, with the closest known key),
///   deprecated keys (warning, with the replacement), keys removed in Flink 2.0 or a later
///   2.x release (error), a deprecated key set together with its replacement (warning: Flink
///   ignores the deprecated one);
/// - **HA** (`high-availability.type: zookeeper`, or the deprecated `high-availability` /
///   `recovery.mode` the version still reads): `high-availability.storageDir` missing (error),
///   `high-availability.zookeeper.quorum` missing (error), `high-availability.cluster-id`
///   missing or `default`/`/default` (warning: two clusters on one quorum would share HA
///   state), fewer than two JobManagers in `masters` (warning); several masters with HA off
///   (warning); an HA type other than zookeeper/none (warning);
/// - **quorum** syntax: every comma-separated entry `host:port` with a port in 1-65535, no
///   empty entries, not a YAML list; a `/chroot` suffix (warning); consistency with `zoo.cfg`
///   (an entry that is no zoo.cfg server's client address: error; a zoo.cfg server missing
///   from the quorum: warning);
/// - **URIs** of HA storage, checkpoint and savepoint dirs: a scheme is required
///   (`file:///…`, `hdfs://…`, `s3://…`), `file://host/…` is flagged, `file://` on several
///   hosts is a warning (must be a shared mount);
/// - **zoo.cfg**: duplicate server ids, duplicate `host:port`, fewer than 3 voting servers
///   (warning), an even count (warning), no client port (error);
/// - **masters/workers**: duplicate entries, port 0, empty files.
///
/// Every finding names file:line (line omitted only when the problem is a missing key or file),
/// says what to do, and carries a stable id ([`Finding::id`]: `key-unknown`, `quorum-even`,
/// `ha-storage-missing`, ...; all listed in the README's doctor section).
pub fn check_conf_dir(conf: &ConfDir) -> Vec<Finding> {
    let mut out = conf.findings.clone();
    check_keys(conf, &mut out);
    check_ha(conf, &mut out);
    check_uris(conf, &mut out);
    check_zoo_cfg(conf, &mut out);
    check_hosts(conf, &mut out);
    out
}

fn check_keys(conf: &ConfDir, out: &mut Vec<Finding>) {
    let cfg = &conf.config;
    let v = &conf.version;
    for e in &cfg.entries {
        match classify_key(v, &e.key) {
            KeyStatus::Known => {}
            KeyStatus::Deprecated { replacement } => {
                let (msg, hint) = match &replacement {
                    Some(r) if cfg.get(r).is_some() => (
                        format!(
                            "`{}` is deprecated and ignored here: `{r}` (line {}) is also set and wins",
                            e.key,
                            cfg.get(r).map_or(0, |x| x.line)
                        ),
                        format!("delete `{}`", e.key),
                    ),
                    Some(r) => (
                        format!("`{}` is deprecated in Flink {v}", e.key),
                        format!("rename it to `{r}`"),
                    ),
                    None => (
                        format!(
                            "`{}` is deprecated in Flink {v} and has no replacement",
                            e.key
                        ),
                        "remove it unless you depend on it; see the Flink release notes".into(),
                    ),
                };
                out.push(cfg_finding_warn(cfg, Some(e.line), msg, hint).with_id("key-deprecated"));
            }
            KeyStatus::RemovedIn2 { replacement } => {
                let hint = match replacement {
                    Some(r) => format!("use `{r}`"),
                    None => {
                        "remove it; see the Flink 2.0 release notes for what replaces it".into()
                    }
                };
                out.push(
                    cfg_finding_err(
                        cfg,
                        Some(e.line),
                        format!(
                            "`{}` was removed in Flink 2.0: Flink {v} does not read it",
                            e.key
                        ),
                        hint,
                    )
                    .with_id("key-removed"),
                );
            }
            KeyStatus::Removed { since, replacement } => {
                let hint = match replacement {
                    Some(r) => format!("use `{r}`"),
                    None => format!(
                        "remove it; see the Flink {}.{} release notes for what replaces it",
                        since.major, since.minor
                    ),
                };
                out.push(
                    cfg_finding_err(
                        cfg,
                        Some(e.line),
                        format!(
                            "`{}` was removed in Flink {}.{}: Flink {v} does not read it",
                            e.key, since.major, since.minor
                        ),
                        hint,
                    )
                    .with_id("key-removed"),
                );
            }
            KeyStatus::Unknown { suggestion } => {
                let hint = match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "check the spelling against the Flink {}.{} configuration docs; \
                         connector or plugin options can be ignored",
                        v.major, v.minor
                    ),
                };
                out.push(
                    cfg_finding_warn(
                        cfg,
                        Some(e.line),
                        format!("`{}` is not a configuration key of Flink {v}", e.key),
                        hint,
                    )
                    .with_id("key-unknown"),
                );
            }
        }
    }
}

/// One `host:port` of a ZooKeeper connect string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct QuorumEntry {
    /// 1-based position in the connect string.
    pub(super) n: usize,
    pub(super) host: String,
    pub(super) port: u16,
}

/// Parse a ZooKeeper connect string as Flink passes it to Curator (`ZooKeeperUtils`), pushing
/// findings for malformed entries. Returns the well-formed entries.
pub(super) fn parse_quorum(
    cfg: &FlinkConfig,
    entry: &ConfEntry,
    out: &mut Vec<Finding>,
) -> Vec<QuorumEntry> {
    let line = Some(entry.line);
    let value =
        match &entry.value {
            ConfValue::Scalar(s) => s.as_str(),
            ConfValue::List(items) => {
                out.push(cfg_finding_err(
                cfg,
                line,
                format!("`{QUORUM_KEY}` is a YAML list; Flink expects one comma-separated string"),
                format!("write `{QUORUM_KEY}: {}`", items.join(",")),
            )
.with_id("quorum-list"));
                return Vec::new();
            }
        };
    let (hosts, chroot) = match value.find('/') {
        Some(i) => (&value[..i], Some(&value[i..])),
        None => (value, None),
    };
    if let Some(chroot) = chroot {
        out.push(cfg_finding_warn(
            cfg,
            line,
            format!("`{QUORUM_KEY}` ends with a chroot path `{chroot}`"),
            format!(
                "remove it from the quorum and set `high-availability.zookeeper.path.root: {chroot}` \
                 (Flink's documented way to place its znodes)"
            ),
        )
.with_id("quorum-chroot"));
    }
    let example = "write `zk1:2181,zk2:2181,zk3:2181`";
    let mut entries = Vec::new();
    for (i, raw) in hosts.split(',').enumerate() {
        let n = i + 1;
        let item = raw.trim();
        if item.is_empty() {
            out.push(
                cfg_finding_err(
                    cfg,
                    line,
                    format!("`{QUORUM_KEY}`: entry {n} is empty (a doubled or trailing comma)"),
                    example.into(),
                )
                .with_id("quorum-entry-empty"),
            );
            continue;
        }
        let (host, port) = if let Some(rest) = item.strip_prefix('[') {
            match rest.split_once(']') {
                Some((h, after)) => (h, after.strip_prefix(':')),
                None => (item, None),
            }
        } else if item.matches(':').count() > 1 {
            out.push(
                cfg_finding_err(
                    cfg,
                    line,
                    format!("`{QUORUM_KEY}`: entry {n} `{item}` has several `:`"),
                    "write IPv6 addresses in brackets: `[2001:db8::1]:2181`".into(),
                )
                .with_id("quorum-entry-ipv6"),
            );
            continue;
        } else {
            match item.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (item, None),
            }
        };
        if host.is_empty() || host.contains(char::is_whitespace) {
            out.push(
                cfg_finding_err(
                    cfg,
                    line,
                    format!("`{QUORUM_KEY}`: entry {n} `{item}` has no valid host"),
                    example.into(),
                )
                .with_id("quorum-entry-host"),
            );
            continue;
        }
        let port = match port {
            None => {
                out.push(cfg_finding_warn(
                    cfg,
                    line,
                    format!(
                        "`{QUORUM_KEY}`: entry {n} `{item}` has no port (ZooKeeper then uses 2181)"
                    ),
                    format!("write `{item}:2181` (or the server's clientPort) explicitly"),
                )
.with_id("quorum-port-missing"));
                2181
            }
            Some(p) => match p.parse::<u16>() {
                Ok(p) if p > 0 => p,
                _ => {
                    out.push(cfg_finding_err(
                        cfg,
                        line,
                        format!(
                            "`{QUORUM_KEY}`: entry {n} `{item}`: `{p}` is not a port number (1-65535)"
                        ),
                        example.into(),
                    )
.with_id("quorum-port-invalid"));
                    continue;
                }
            },
        };
        entries.push(QuorumEntry {
            n,
            host: host.to_string(),
            port,
        });
    }
    entries
}

fn check_ha(conf: &ConfDir, out: &mut Vec<Finding>) {
    let cfg = &conf.config;
    let ha = first_set(conf, HA_KEYS);
    let ha_value = ha
        .and_then(|e| e.value.as_str())
        .unwrap_or("NONE")
        .to_string();
    let ha_on = ha_value.eq_ignore_ascii_case("zookeeper");
    let ha_line = ha.map(|e| e.line);
    let ha_key = ha.map_or("high-availability.type", |e| e.key.as_str());

    let quorum_entry = cfg.get(QUORUM_KEY);
    let quorum = quorum_entry.map(|e| parse_quorum(cfg, e, out));

    let n_masters = conf.masters.as_ref().map(|(_, m)| m.len());
    if let Some(e) = ha
        && !ha_on
        && !ha_value.eq_ignore_ascii_case("none")
    {
        out.push(
            cfg_finding_warn(
                cfg,
                Some(e.line),
                format!("`{}: {ha_value}`: flinkha runs ZooKeeper HA only", e.key),
                "set `high-availability.type: zookeeper` (or `none` for no HA)".into(),
            )
            .with_id("ha-type-unsupported"),
        );
    }
    if !ha_on {
        if let (Some((path, masters)), Some(n)) = (&conf.masters, n_masters)
            && n > 1
        {
            out.push(Finding::warning(
                path,
                masters.get(1).map(|m| m.line),
                format!(
                    "{n} JobManagers are listed but HA is off: Flink's start-cluster.sh then starts \
                     a single JobManager and the others are never used"
                ),
                Some("set `high-availability.type: zookeeper` (with storageDir, quorum and cluster-id), or list one master".into()),
            )
.with_id("ha-off-several-masters"));
        }
        return;
    }

    if first_set(conf, STORAGE_KEYS).is_none() {
        out.push(cfg_finding_err(
            cfg,
            ha_line,
            format!(
                "`{ha_key}: zookeeper` but `high-availability.storageDir` is not set: JobManagers \
                 can't persist job graphs and checkpoint metadata, and Flink fails to start"
            ),
            "add `high-availability.storageDir: hdfs:///flink/ha` (or s3://…, or file:///… on a \
             mount shared by all JobManager hosts)"
                .into(),
        )
.with_id("ha-storage-missing"));
    }
    match first_set(conf, CLUSTER_ID_KEYS) {
        None => out.push(cfg_finding_warn(
            cfg,
            ha_line,
            "HA is on but `high-availability.cluster-id` is not set: it defaults to `/default`, so \
             a second cluster on the same ZooKeeper quorum would share (and recover) this \
             cluster's HA state"
                .into(),
            "add `high-availability.cluster-id: /<unique-cluster-name>`".into(),
        )
.with_id("cluster-id-missing")),
        Some(e) => {
            let v = e.value.as_str().unwrap_or("");
            if v.trim_matches('/') == "default" || v.trim_matches('/').is_empty() {
                out.push(cfg_finding_warn(
                    cfg,
                    Some(e.line),
                    format!(
                        "`{}: {v}` is Flink's default: a second cluster on the same ZooKeeper \
                         quorum would share (and recover) this cluster's HA state",
                        e.key
                    ),
                    format!("set `{}: /<unique-cluster-name>`", e.key),
                )
.with_id("cluster-id-default"));
            }
        }
    }
    if quorum_entry.is_none() {
        let hint = match &conf.zoo_cfg {
            Some(z) if !z.servers.is_empty() => format!(
                "add `{QUORUM_KEY}: {}` (from {})",
                z.servers
                    .iter()
                    .map(|s| format!("{}:{}", bracket(&s.host), z.server_client_port(s)))
                    .collect::<Vec<_>>()
                    .join(","),
                z.path.display()
            ),
            _ => format!("add `{QUORUM_KEY}: zk1:2181,zk2:2181,zk3:2181`"),
        };
        out.push(
            cfg_finding_err(
                cfg,
                ha_line,
                format!("HA is on but `{QUORUM_KEY}` is not set: Flink can't reach ZooKeeper"),
                hint,
            )
            .with_id("quorum-missing"),
        );
    }
    match (&conf.masters, n_masters) {
        (Some((path, _)), Some(0)) => out.push(
            Finding::error(
                path,
                None,
                "the masters file lists no JobManager",
                Some("add one `host:port` line per JobManager (two or more for HA)".into()),
            )
            .with_id("masters-empty"),
        ),
        (Some((path, m)), Some(1)) => out.push(
            Finding::warning(
                path,
                Some(m[0].line),
                "HA is on but only one JobManager is listed: there is no standby to fail over to",
                Some("add a second JobManager host".into()),
            )
            .with_id("ha-single-jobmanager"),
        ),
        (None, _) => out.push(
            cfg_finding_warn(
                cfg,
                ha_line,
                format!("HA is on but {} has no masters file", conf.dir.display()),
                "create conf/masters with one `host:port` line per JobManager".into(),
            )
            .with_id("masters-missing"),
        ),
        _ => {}
    }

    if let (Some(quorum), Some(qe), Some(zoo)) = (&quorum, quorum_entry, &conf.zoo_cfg)
        && !zoo.servers.is_empty()
    {
        let mut known: Vec<(String, u16, usize)> = Vec::new();
        for s in &zoo.servers {
            let port = zoo.server_client_port(s);
            known.push((s.host.to_ascii_lowercase(), port, s.id as usize));
            if let Some((Some(addr), _)) = &s.client
                && addr != "0.0.0.0"
            {
                known.push((addr.to_ascii_lowercase(), port, s.id as usize));
            }
        }
        let mut used = std::collections::HashSet::new();
        for q in quorum {
            let h = q.host.to_ascii_lowercase();
            let matching: Vec<usize> = known
                .iter()
                .filter(|(kh, kp, _)| *kh == h && *kp == q.port)
                .map(|(_, _, id)| *id)
                .collect();
            if matching.is_empty() {
                out.push(cfg_finding_err(
                    cfg,
                    Some(qe.line),
                    format!(
                        "`{QUORUM_KEY}` entry {} `{}:{}` is not a ZooKeeper server of {} ({})",
                        q.n,
                        q.host,
                        q.port,
                        zoo.path.display(),
                        zoo.servers
                            .iter()
                            .map(|s| format!(
                                "server.{}={}:{}",
                                s.id,
                                s.host,
                                zoo.server_client_port(s)
                            ))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    "make the quorum list each zoo.cfg server as host:clientPort, or fix zoo.cfg"
                        .into(),
                )
.with_id("quorum-not-in-zoo-cfg"));
            }
            used.extend(matching);
        }
        for s in &zoo.servers {
            if s.role.as_deref() != Some("observer") && !used.contains(&(s.id as usize)) {
                out.push(cfg_finding_warn(
                    cfg,
                    Some(qe.line),
                    format!(
                        "ZooKeeper server.{} `{}:{}` ({}:{}) is not in `{QUORUM_KEY}`: Flink won't \
                         connect to it when the others are down",
                        s.id,
                        s.host,
                        zoo.server_client_port(s),
                        zoo.path.display(),
                        s.line
                    ),
                    format!(
                        "add `{}:{}` to the quorum",
                        bracket(&s.host),
                        zoo.server_client_port(s)
                    ),
                )
.with_id("quorum-server-missing"));
            }
        }
    }
}

fn bracket(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// Problems with a directory URI as Flink's `Path`/`FileSystem` reads it; `None` when fine.
pub(super) fn uri_problem(value: &str) -> Option<(String, String)> {
    if value.is_empty() || value.chars().any(char::is_whitespace) {
        return Some((
            "is empty or contains whitespace".into(),
            "write a URI such as `hdfs:///flink/ha` or `file:///data/flink/ha`".into(),
        ));
    }
    let scheme_end = value.find(':');
    let scheme = scheme_end.map(|i| &value[..i]).filter(|s| {
        let mut c = s.chars();
        c.next().is_some_and(|f| f.is_ascii_alphabetic())
            && c.all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '+' | '-' | '.'))
    });
    let Some(scheme) = scheme else {
        let abs = if value.starts_with('/') {
            format!("file://{value}")
        } else {
            format!("file:///path/to/{value}")
        };
        return Some((
            "has no URI scheme, so each process resolves it against its own local file system \
             (fs.default-scheme)"
                .into(),
            format!(
                "write `{abs}` for a directory mounted at the same path on every host, or a \
                 shared file system such as `hdfs:///flink/…` or `s3://bucket/…`"
            ),
        ));
    };
    let rest = &value[scheme.len() + 1..];
    if scheme.len() == 1 {
        return Some((
            "looks like a Windows drive path".into(),
            "write a URI such as `file:///data/flink/…`".into(),
        ));
    }
    if scheme.eq_ignore_ascii_case("file") {
        if let Some(after) = rest.strip_prefix("//") {
            let authority = after.split('/').next().unwrap_or("");
            if !authority.is_empty() && authority != "localhost" {
                return Some((
                    format!(
                        "names host `{authority}` (`file://{after}`): file URIs need three slashes"
                    ),
                    format!("write `file:///{after}`"),
                ));
            }
        } else if !rest.starts_with('/') {
            return Some((
                "is a relative file path".into(),
                "write an absolute URI such as `file:///data/flink/…`".into(),
            ));
        }
    } else if !rest.starts_with('/') {
        return Some((
            format!("is not a hierarchical URI (`{scheme}:` must be followed by `/` or `//`)"),
            format!("write `{scheme}://authority/path` or `{scheme}:///path`"),
        ));
    }
    None
}

fn check_uris(conf: &ConfDir, out: &mut Vec<Finding>) {
    let cfg = &conf.config;
    let hosts = conf.masters.as_ref().map_or(0, |(_, m)| m.len())
        + conf.workers.as_ref().map_or(0, |(_, w)| w.len());
    for (key, what) in URI_KEYS {
        let Some(e) = cfg.get(key) else { continue };
        let Some(value) = e.value.as_str() else {
            out.push(
                cfg_finding_err(
                    cfg,
                    Some(e.line),
                    format!("`{key}` is a list; it must be one directory URI"),
                    format!("write `{key}: hdfs:///flink/{what}`"),
                )
                .with_id("uri-list"),
            );
            continue;
        };
        if let Some((problem, hint)) = uri_problem(value) {
            out.push(
                cfg_finding_err(
                    cfg,
                    Some(e.line),
                    format!("`{key}: {value}` (where {what} go) {problem}"),
                    hint,
                )
                .with_id("uri-invalid"),
            );
        } else if value.to_ascii_lowercase().starts_with("file:") && hosts > 1 {
            out.push(cfg_finding_warn(
                cfg,
                Some(e.line),
                format!(
                    "`{key}: {value}` is a local path but the cluster has several hosts: {what} \
                     must be readable by every JobManager and TaskManager"
                ),
                "use a shared file system (HDFS, S3, …) or make sure this path is the same \
                 shared mount (e.g. NFS) on every host"
                    .into(),
            )
.with_id("uri-local-path"));
        }
    }
}

fn check_zoo_cfg(conf: &ConfDir, out: &mut Vec<Finding>) {
    let Some(zoo) = &conf.zoo_cfg else { return };
    let path = &zoo.path;
    let mut ids: HashMap<u32, usize> = HashMap::new();
    let mut addrs: HashMap<(String, u16), (u32, usize)> = HashMap::new();
    for s in &zoo.servers {
        if let Some(first) = ids.insert(s.id, s.line) {
            out.push(
                Finding::error(
                    path,
                    Some(s.line),
                    format!("server id {} is used twice (first at line {first})", s.id),
                    Some("give each server a unique id matching its myid file".into()),
                )
                .with_id("zoo-server-id-duplicate"),
            );
        }
        let host = s.host.to_ascii_lowercase();
        let mut ports = vec![(s.peer_port, "peer"), (s.leader_port, "leader-election")];
        if let Some((addr, cp)) = &s.client
            && addr
                .as_deref()
                .is_none_or(|a| a.eq_ignore_ascii_case(&s.host))
        {
            ports.push((*cp, "client"));
        }
        for (port, what) in ports {
            if let Some((other, line)) = addrs.insert((host.clone(), port), (s.id, s.line))
                && (other != s.id || line != s.line)
            {
                out.push(Finding::error(
                    path,
                    Some(s.line),
                    format!(
                        "`{}:{port}` ({what} port of server.{}) is already used by server.{other} (line {line})",
                        s.host, s.id
                    ),
                    Some("servers on the same host need distinct peer, leader-election and client ports".into()),
                )
.with_id("zoo-port-duplicate"));
            }
        }
    }
    let voters = zoo
        .servers
        .iter()
        .filter(|s| s.role.as_deref() != Some("observer"))
        .count();
    let first_line = zoo.servers.first().map(|s| s.line);
    if zoo.servers.is_empty() {
        out.push(
            Finding::warning(
                path,
                None,
                "no `server.N=` lines: ZooKeeper would run as a single standalone server",
                Some(
                    "add `server.1=zk1:2888:3888` … one line per ZooKeeper host (3 or 5 for HA)"
                        .into(),
                ),
            )
            .with_id("zoo-no-servers"),
        );
    } else if voters < 3 {
        out.push(Finding::warning(
            path,
            first_line,
            format!(
                "only {voters} voting ZooKeeper server(s): the quorum survives no server failure"
            ),
            Some("run 3 (tolerates 1 failure) or 5 (tolerates 2) servers".into()),
        )
.with_id(if voters == 1 { "quorum-single" } else { "quorum-even" }));
    } else if voters % 2 == 0 {
        out.push(Finding::warning(
            path,
            first_line,
            format!(
                "{voters} voting ZooKeeper servers: an even count tolerates no more failures than {} servers would",
                voters - 1
            ),
            Some(format!("use {} or {} servers", voters - 1, voters + 1)),
        )
.with_id("quorum-even"));
    }
    if zoo.client_port().is_none() {
        if let Some(line) = zoo.line_of("clientPort") {
            out.push(
                Finding::error(
                    path,
                    Some(line),
                    "`clientPort` is not a port number",
                    Some("write `clientPort=2181`".into()),
                )
                .with_id("zoo-client-port-invalid"),
            );
        } else if let Some(s) = zoo.servers.iter().find(|s| s.client.is_none()) {
            out.push(Finding::error(
                path,
                Some(s.line),
                format!(
                    "no `clientPort` and server.{} has no `;clientPort`: clients (Flink) can't connect",
                    s.id
                ),
                Some("add `clientPort=2181`".into()),
            )
.with_id("zoo-client-port-missing"));
        }
    }
}

fn check_hosts(conf: &ConfDir, out: &mut Vec<Finding>) {
    if let Some((path, masters)) = &conf.masters {
        let mut seen: HashMap<(String, Option<u16>), usize> = HashMap::new();
        for m in masters {
            if m.webui_port == Some(0) {
                out.push(
                    Finding::warning(
                        path,
                        Some(m.line),
                        format!(
                            "`{}:0`: port 0 means \"not set\" (rest.port is used)",
                            m.host
                        ),
                        Some(format!("write `{}` or `{}:8081`", m.host, m.host)),
                    )
                    .with_id("masters-port-zero"),
                );
            }
            let port = m.webui_port.filter(|p| *p != 0);
            if let Some(first) = seen.insert((m.host.to_ascii_lowercase(), port), m.line) {
                out.push(Finding::error(
                    path,
                    Some(m.line),
                    format!(
                        "JobManager `{}` is listed twice (first at line {first}): both would bind the same ports",
                        m.host
                    ),
                    Some("delete one line, or give them different web UI ports".into()),
                )
.with_id("masters-duplicate"));
            }
        }
    }
    if let Some((path, workers)) = &conf.workers {
        if workers.is_empty() {
            out.push(
                Finding::warning(
                    path,
                    None,
                    "the workers file lists no TaskManager: jobs get no task slots",
                    Some("add one TaskManager host per line".into()),
                )
                .with_id("workers-empty"),
            );
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        for w in workers {
            if let Some(first) = seen.insert(w.host.to_ascii_lowercase(), w.line) {
                out.push(Finding::warning(
                    path,
                    Some(w.line),
                    format!(
                        "TaskManager host `{}` is listed twice (first at line {first}): Flink starts \
                         one TaskManager per line, so this host gets two",
                        w.host
                    ),
                    Some("delete the line unless you want two TaskManagers there".into()),
                )
.with_id("workers-duplicate"));
            }
        }
    }
}
