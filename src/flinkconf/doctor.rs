//! Static checks of `flinkha doctor` beyond [`crate::flinkconf::check_conf_dir`]: the mistakes
//! public Flink HA walkthroughs make that Flink itself accepts silently or reports only at
//! runtime, on one host, in a log.
//!
//! [`doctor_checks`] is a pure function of the loaded [`ConfDir`] plus the files it names
//! (`yarn-site.xml`); every finding has a stable id ([`Finding::id`]), names `file:line` and
//! says what to do.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::checks::{QUORUM_KEY, URI_KEYS, parse_quorum, uri_problem};
use super::confdir::{ConfDir, MASTERS, WORKERS, ZOO_CFG};
use super::config::{CONFIG_YAML, FLINK_CONF_YAML};
use super::error::Finding;

/// Where to look for Hadoop's `yarn-site.xml` besides the conf dir itself: the directories
/// named by `HADOOP_CONF_DIR` / `YARN_CONF_DIR` on this machine (Flink's YARN client reads
/// them, as do `env.hadoop.conf.dir` / `env.yarn.conf.dir`, which [`doctor_checks`] reads from
/// the config itself).
#[derive(Debug, Clone, Default)]
pub struct DoctorEnv {
    /// Directories that may hold `yarn-site.xml`, in the order they are tried.
    pub hadoop_conf_dirs: Vec<PathBuf>,
    /// URIs Flink will be given from outside the conf dir (the inventory's job savepoint
    /// dirs), for the file-system support check.
    pub extra_uris: Vec<UriUse>,
}

/// A URI given to Flink from outside the conf dir.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UriUse {
    /// The file that names it (e.g. the inventory).
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What it is, for the message (e.g. "job `counter` savepoint_dir").
    pub what: String,
    /// The URI as written.
    pub uri: String,
}

impl DoctorEnv {
    /// From this process's `HADOOP_CONF_DIR` and `YARN_CONF_DIR`.
    pub fn from_process_env() -> DoctorEnv {
        DoctorEnv {
            hadoop_conf_dirs: ["HADOOP_CONF_DIR", "YARN_CONF_DIR"]
                .iter()
                .filter_map(std::env::var_os)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .collect(),
            extra_uris: Vec::new(),
        }
    }
}

/// The static doctor checks over `conf`, each finding with an id:
///
/// - `quorum-whitespace`, `quorum-duplicate`, `quorum-single`, `quorum-even`: the connect
///   string of `high-availability.zookeeper.quorum` checked as strictly as `zoo.cfg` (counts
///   only when there is no zoo.cfg with servers: then zoo.cfg's own count check applies);
/// - `uri-host-invalid`, `uri-port-invalid`, `uri-port-web`, `uri-host-loopback`,
///   `uri-bucket-missing`, `uri-bucket-invalid`, `uri-s3-endpoint`: HA storage, checkpoint and
///   savepoint URIs whose authority looks wrong;
/// - `fs-hadoop-needed`, `fs-plugin-needed`, `fs-scheme-unknown`: each URI scheme in use and
///   what the hosts need for it (see [`fs_support`]);
/// - `file-name-near-miss`: files Flink never reads because their name is a near miss of one
///   it does;
/// - `rest-port-masters`, `rest-bind-port`: `masters` web ports against `rest.port` and
///   `rest.bind-port`;
/// - `yarn-attempts-capped`, `yarn-site-unreadable`: `yarn.application-attempts` against the
///   ResourceManager's `yarn.resourcemanager.am.max-attempts`.
pub fn doctor_checks(conf: &ConfDir, env: &DoctorEnv) -> Vec<Finding> {
    let mut out = Vec::new();
    check_quorum_strict(conf, &mut out);
    check_uri_authorities(conf, &mut out);
    out.extend(fs_support(conf, &env.extra_uris));
    check_file_names(conf, &mut out);
    check_rest_ports(conf, &mut out);
    check_yarn(conf, env, &mut out);
    out
}

fn n_hosts(conf: &ConfDir) -> usize {
    let mut hosts: Vec<String> = Vec::new();
    if let Some((_, m)) = &conf.masters {
        hosts.extend(m.iter().map(|m| m.host.to_ascii_lowercase()));
    }
    if let Some((_, w)) = &conf.workers {
        hosts.extend(w.iter().map(|w| w.host.to_ascii_lowercase()));
    }
    hosts.sort();
    hosts.dedup();
    hosts.len()
}

// ---------------------------------------------------------------- quorum

fn check_quorum_strict(conf: &ConfDir, out: &mut Vec<Finding>) {
    let cfg = &conf.config;
    let Some(entry) = cfg.get(QUORUM_KEY) else {
        return;
    };
    let Some(value) = entry.value.as_str() else {
        return; // A YAML list: reported by check_conf_dir (`quorum-list`).
    };
    let hosts = value.split('/').next().unwrap_or("");
    let padded: Vec<String> = hosts
        .split(',')
        .filter(|raw| raw.trim() != *raw && !raw.trim().is_empty())
        .map(|raw| format!("`{raw}`"))
        .collect();
    if !padded.is_empty() {
        let clean: Vec<&str> = hosts
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        out.push(
            Finding::warning(
                &cfg.path,
                Some(entry.line),
                format!(
                    "`{QUORUM_KEY}` has whitespace around {}: ZooKeeper's Java client (3.5+) trims \
                     it, but a client that does not (flinkha's own among them) looks up a host \
                     name with a space in it",
                    padded.join(", ")
                ),
                Some(format!(
                    "write `{QUORUM_KEY}: {}{}` without spaces, as in zoo.cfg",
                    clean.join(","),
                    value.find('/').map_or("", |i| &value[i..])
                )),
            )
            .with_id("quorum-whitespace"),
        );
    }
    let mut sink = Vec::new();
    let entries = parse_quorum(cfg, entry, &mut sink);
    let mut seen: HashMap<(String, u16), usize> = HashMap::new();
    let mut distinct = 0;
    for q in &entries {
        if let Some(first) = seen.insert((q.host.to_ascii_lowercase(), q.port), q.n) {
            out.push(
                Finding::warning(
                    &cfg.path,
                    Some(entry.line),
                    format!(
                        "`{QUORUM_KEY}`: entry {} `{}:{}` repeats entry {first}: the quorum has \
                         fewer servers than it lists",
                        q.n, q.host, q.port
                    ),
                    Some(
                        "list each ZooKeeper server once, as host:clientPort (zoo.cfg refuses \
                         the same host:port twice)"
                            .into(),
                    ),
                )
                .with_id("quorum-duplicate"),
            );
        } else {
            distinct += 1;
        }
    }
    let zoo_has_servers = conf.zoo_cfg.as_ref().is_some_and(|z| !z.servers.is_empty());
    if zoo_has_servers || entries.is_empty() {
        return;
    }
    if distinct == 1 {
        out.push(
            Finding::warning(
                &cfg.path,
                Some(entry.line),
                format!(
                    "`{QUORUM_KEY}` names a single ZooKeeper server: when it is down, no \
                     JobManager can be elected leader and every job stops"
                ),
                Some(
                    "run a quorum of 3 (tolerates 1 failure) or 5 (tolerates 2) servers and \
                     list them all"
                        .into(),
                ),
            )
            .with_id("quorum-single"),
        );
    } else if distinct % 2 == 0 {
        out.push(
            Finding::warning(
                &cfg.path,
                Some(entry.line),
                format!(
                    "`{QUORUM_KEY}` names {distinct} ZooKeeper servers: an even count tolerates \
                     no more failures than {} would (a majority of {distinct} is {})",
                    distinct - 1,
                    distinct / 2 + 1
                ),
                Some(format!(
                    "run {} or {} servers (or check that the list names every server of the \
                     ensemble)",
                    distinct - 1,
                    distinct + 1
                )),
            )
            .with_id("quorum-even"),
        );
    }
}

// ---------------------------------------------------------------- URIs

/// Object-store schemes whose authority is a bucket (container) name.
const BUCKET_SCHEMES: &[&str] = &["s3", "s3a", "s3p", "gs", "oss"];

/// `(scheme in lower case, authority)` of a URI written as `scheme://authority/path`; `None`
/// when it has no `//` authority part.
fn split_uri(value: &str) -> Option<(String, &str)> {
    let (scheme, rest) = value.split_once(':')?;
    let after = rest.strip_prefix("//")?;
    let authority = after.split('/').next().unwrap_or("");
    Some((scheme.to_ascii_lowercase(), authority))
}

/// The URI-valued settings in use: `(key, value, line)` of the keys in `URI_KEYS` that hold a
/// scalar, then `fs.default-scheme`.
fn uris(conf: &ConfDir) -> Vec<(&'static str, String, usize)> {
    let mut out = Vec::new();
    for (key, _) in URI_KEYS.iter().chain(&[("fs.default-scheme", "")]) {
        if let Some(e) = conf.config.get(key)
            && let Some(v) = e.value.as_str()
        {
            out.push((*key, v.to_string(), e.line));
        }
    }
    out
}

fn check_uri_authorities(conf: &ConfDir, out: &mut Vec<Finding>) {
    let cfg = &conf.config;
    let several_hosts = n_hosts(conf) > 1;
    for (key, value, line) in uris(conf) {
        if uri_problem(&value).is_some() && key != "fs.default-scheme" {
            continue; // Reported by check_conf_dir (`uri-invalid`).
        }
        let Some((scheme, authority)) = split_uri(&value) else {
            continue;
        };
        if authority.is_empty() || scheme == "file" {
            if BUCKET_SCHEMES.contains(&scheme.as_str()) {
                out.push(
                    Finding::error(
                        &cfg.path,
                        Some(line),
                        format!(
                            "`{key}: {value}` names no bucket: the part after `{scheme}://` is \
                             the bucket"
                        ),
                        Some(format!("write `{key}: {scheme}://<bucket>/flink/...`")),
                    )
                    .with_id("uri-bucket-missing"),
                );
            }
            continue;
        }
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        let (host, port) = match authority.strip_prefix('[') {
            Some(v6) => match v6.split_once(']') {
                Some((h, rest)) => (&authority[..h.len() + 2], rest.strip_prefix(':')),
                None => (authority, None),
            },
            None => match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            },
        };
        if BUCKET_SCHEMES.contains(&scheme.as_str()) {
            if port.is_some() {
                out.push(
                    Finding::error(
                        &cfg.path,
                        Some(line),
                        format!(
                            "`{key}: {value}`: `{authority}` is where the bucket name goes; a \
                             `host:port` there is not an endpoint (S3-compatible stores such as \
                             MinIO are set with `s3.endpoint`)"
                        ),
                        Some(format!(
                            "write `{scheme}://<bucket>/...` and set `s3.endpoint: http://{authority}` \
                             (plus `s3.path.style.access: true` for MinIO)"
                        )),
                    )
                    .with_id("uri-s3-endpoint"),
                );
            } else if !valid_bucket(host, scheme == "gs") {
                out.push(
                    Finding::error(
                        &cfg.path,
                        Some(line),
                        format!(
                            "`{key}: {value}`: `{host}` is not a valid bucket name (3-63 \
                             characters: lower-case letters, digits, `.` and `-`)"
                        ),
                        Some("use the bucket's exact name as the object store shows it".into()),
                    )
                    .with_id("uri-bucket-invalid"),
                );
            }
            continue;
        }
        if host.contains('_') {
            out.push(
                Finding::error(
                    &cfg.path,
                    Some(line),
                    format!(
                        "`{key}: {value}`: host `{host}` contains `_`, which Java's URI parser \
                         does not accept in a host name, so Flink and Hadoop see no host \
                         (\"Incomplete HDFS URI, no host\")"
                    ),
                    Some(
                        "use a host name without `_` (a DNS alias), the address, or the HDFS \
                         nameservice id"
                            .into(),
                    ),
                )
                .with_id("uri-host-invalid"),
            );
        }
        if let Some(p) = port {
            match p.parse::<u32>() {
                Ok(n) if (1..=65535).contains(&n) => {
                    if scheme == "hdfs" && matches!(n, 50070 | 9870 | 50470 | 9871) {
                        out.push(
                            Finding::warning(
                                &cfg.path,
                                Some(line),
                                format!(
                                    "`{key}: {value}`: {n} is the NameNode's web UI (HTTP) \
                                     port; `hdfs://` talks to its RPC port"
                                ),
                                Some(
                                    "use the port of `fs.defaultFS` in core-site.xml (usually \
                                     8020 or 9000), or `webhdfs://` for the HTTP port"
                                        .into(),
                                ),
                            )
                            .with_id("uri-port-web"),
                        );
                    }
                }
                _ => out.push(
                    Finding::error(
                        &cfg.path,
                        Some(line),
                        format!("`{key}: {value}`: `{p}` is not a port number (1-65535)"),
                        Some(format!(
                            "write `{scheme}://{host}:<port>/...`, or leave the port out to use \
                             the file system's default"
                        )),
                    )
                    .with_id("uri-port-invalid"),
                ),
            }
        }
        let loopback =
            host.eq_ignore_ascii_case("localhost") || host.starts_with("127.") || host == "[::1]";
        if loopback && several_hosts {
            out.push(
                Finding::warning(
                    &cfg.path,
                    Some(line),
                    format!(
                        "`{key}: {value}` names `{host}`, which is a different machine on each \
                         host: the JobManagers and TaskManagers would not share this storage"
                    ),
                    Some(format!(
                        "write the NameNode's (or service's) real host name: `{scheme}://<namenode>{}/...`",
                        port.map(|p| format!(":{p}")).unwrap_or_default()
                    )),
                )
                .with_id("uri-host-loopback"),
            );
        }
    }
}

/// S3's bucket naming rules (OSS's are stricter, GCS also allows `_`: `underscore`): 3-63
/// characters, lower-case letters, digits, `.` and `-`, starting and ending with a letter or
/// digit.
fn valid_bucket(name: &str, underscore: bool) -> bool {
    (3..=63).contains(&name.len())
        && name.chars().all(|c| {
            c.is_ascii_lowercase()
                || c.is_ascii_digit()
                || c == '.'
                || c == '-'
                || (underscore && c == '_')
        })
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric())
}

// ---------------------------------------------------------------- file system support

/// What a host needs to read and write URIs of one scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsSupport {
    /// Built into Flink (`file://`).
    Builtin,
    /// Hadoop's `FileSystem` on the classpath (`HADOOP_CLASSPATH`): Flink ships without Hadoop
    /// since 1.8 (Flink docs, "Hadoop Integration").
    Hadoop,
    /// A Flink file-system plugin: the jar `opt/<jar>-<version>.jar` copied to
    /// `plugins/<dir>/` (Flink docs, "File Systems" and "Plugins").
    Plugin {
        /// Directory under `plugins/`, e.g. `s3-fs-hadoop`.
        dir: &'static str,
        /// Jar name without `-<version>.jar`, e.g. `flink-s3-fs-hadoop`.
        jar: &'static str,
    },
}

/// What `scheme` (lower case) needs on the hosts; `None` for a scheme Flink has no file
/// system for (neither built in, nor a Hadoop one, nor a plugin Flink ships).
pub fn fs_support_for(scheme: &str) -> Option<FsSupport> {
    Some(match scheme {
        "file" => FsSupport::Builtin,
        "hdfs" | "webhdfs" | "swebhdfs" | "viewfs" | "har" => FsSupport::Hadoop,
        "s3" | "s3a" => FsSupport::Plugin {
            dir: "s3-fs-hadoop",
            jar: "flink-s3-fs-hadoop",
        },
        "s3p" => FsSupport::Plugin {
            dir: "s3-fs-presto",
            jar: "flink-s3-fs-presto",
        },
        "gs" => FsSupport::Plugin {
            dir: "gs-fs-hadoop",
            jar: "flink-gs-fs-hadoop",
        },
        "oss" => FsSupport::Plugin {
            dir: "oss-fs-hadoop",
            jar: "flink-oss-fs-hadoop",
        },
        "abfs" | "abfss" | "wasb" | "wasbs" => FsSupport::Plugin {
            dir: "azure-fs-hadoop",
            jar: "flink-azure-fs-hadoop",
        },
        _ => return None,
    })
}

const KNOWN_SCHEMES: &[&str] = &[
    "file", "hdfs", "webhdfs", "swebhdfs", "viewfs", "har", "s3", "s3a", "s3p", "gs", "oss",
    "abfs", "abfss", "wasb", "wasbs",
];

/// One finding per URI scheme in use that the hosts need something for (`fs-hadoop-needed`,
/// `fs-plugin-needed`, warnings: offline, flinkha cannot see the hosts) or that Flink has no
/// file system for (`fs-scheme-unknown`, warning: it may be a custom plugin; with the closest
/// known scheme).
///
/// The URIs are those of the conf dir (HA storage, checkpoint and savepoint dirs,
/// `fs.default-scheme`) plus `extra`: `(file, line, what, uri)` from elsewhere (the
/// inventory's job savepoint dirs). Each finding names the first place the scheme is used.
/// [`doctor_checks`] calls it with [`DoctorEnv::extra_uris`].
pub fn fs_support(conf: &ConfDir, extra: &[UriUse]) -> Vec<Finding> {
    let mut uses: Vec<(PathBuf, Option<usize>, String, String)> = uris(conf)
        .into_iter()
        .map(|(k, v, l)| (conf.config.path.clone(), Some(l), format!("`{k}`"), v))
        .collect();
    uses.extend(
        extra
            .iter()
            .map(|u| (u.file.clone(), u.line, u.what.clone(), u.uri.clone())),
    );
    let mut by_scheme: BTreeMap<String, Vec<(PathBuf, Option<usize>, String)>> = BTreeMap::new();
    for (file, line, what, v) in uses {
        let Some((scheme, _)) = v.split_once(':') else {
            continue;
        };
        let scheme = scheme.to_ascii_lowercase();
        if scheme.len() < 2
            || !scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            continue; // Not a URI: reported by check_conf_dir.
        }
        by_scheme
            .entry(scheme)
            .or_default()
            .push((file, line, what));
    }
    let v = conf.version;
    let mut out = Vec::new();
    for (scheme, places) in by_scheme {
        let (file, line, _) = &places[0];
        let whats: Vec<&str> = places.iter().map(|(_, _, w)| w.as_str()).collect();
        let used_by = whats.join(", ");
        match fs_support_for(&scheme) {
            Some(FsSupport::Builtin) => {}
            Some(FsSupport::Hadoop) => out.push(
                Finding::warning(
                    file,
                    *line,
                    format!(
                        "`{scheme}://` ({used_by}) needs Hadoop's HDFS client on every host's \
                         classpath: Flink ships without Hadoop since 1.8, and without it the \
                         JobManagers fail to start (\"Could not find a file system implementation \
                         for scheme '{scheme}'\")"
                    ),
                    Some(
                        "on every host, have `HADOOP_CLASSPATH` set for Flink's scripts (`export \
                         HADOOP_CLASSPATH=$(hadoop classpath)`, e.g. in the shell profile of \
                         the SSH user); `flinkha doctor` without --offline checks each host"
                            .into(),
                    ),
                )
                .with_id("fs-hadoop-needed"),
            ),
            Some(FsSupport::Plugin { dir, jar }) => out.push(
                Finding::warning(
                    file,
                    *line,
                    format!(
                        "`{scheme}://` ({used_by}) needs Flink's `{jar}` plugin under \
                         `plugins/{dir}/` on every host; Flink does not load it by default"
                    ),
                    Some(format!(
                        "on every host: `mkdir -p plugins/{dir} && cp opt/{jar}-{v}.jar \
                         plugins/{dir}/` in the Flink directory (Flink docs, File Systems); \
                         `flinkha doctor` without --offline checks each host"
                    )),
                )
                .with_id("fs-plugin-needed"),
            ),
            None => {
                let closest = KNOWN_SCHEMES
                    .iter()
                    .map(|k| (strsim::damerau_levenshtein(&scheme, k), *k))
                    .min()
                    .filter(|(d, _)| *d <= 2)
                    .map(|(_, k)| k);
                out.push(
                    Finding::warning(
                        file,
                        *line,
                        format!(
                            "`{scheme}://` ({used_by}) is no file system Flink knows: \
                             neither built in, nor Hadoop's, nor a plugin Flink ships"
                        ),
                        Some(match closest {
                            Some(k) => format!("did you mean `{k}://`?"),
                            None => "check the scheme; a custom file system needs its plugin \
                                     under plugins/ on every host"
                                .into(),
                        }),
                    )
                    .with_id("fs-scheme-unknown"),
                );
            }
        }
    }
    out
}

// ---------------------------------------------------------------- file names

/// The files Flink reads from its conf dir: the configuration file (one of two, by version),
/// the host lists, zoo.cfg, and the logging configurations its scripts pass to the JVMs
/// (`bin/flink-daemon.sh`, `flink-console.sh`, `flink`, `yarn-session.sh`: log4j2 via
/// `-Dlog4j.configurationFile`, or logback).
pub const FLINK_CONF_FILES: &[&str] = &[
    CONFIG_YAML,
    FLINK_CONF_YAML,
    MASTERS,
    WORKERS,
    ZOO_CFG,
    "log4j.properties",
    "log4j-console.properties",
    "log4j-cli.properties",
    "log4j-session.properties",
    "logback.xml",
    "logback-console.xml",
    "logback-session.xml",
];

/// Extensions that mark a file as a deliberate copy, not a near miss.
const COPY_SUFFIXES: &[&str] = &[
    ".old",
    ".orig",
    ".bak",
    ".dist",
    ".sample",
    ".template",
    ".example",
    ".default",
];

/// The Flink file `name` is a near miss of, if any: the same name in another case, within
/// Damerau-Levenshtein distance 2 (`flink-conf.yml`, `master`, `log4j2.properties`), or the
/// same stem with another extension (`masters.txt`, `zoo.conf`, `log4j.xml`); `slave` is
/// one of `workers`.
pub fn near_miss(name: &str) -> Option<&'static str> {
    if FLINK_CONF_FILES.contains(&name) {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    if COPY_SUFFIXES.iter().any(|s| lower.ends_with(s))
        || FLINK_CONF_FILES
            .iter()
            .any(|f| f.contains('.') && lower.starts_with(&format!("{f}.")))
    {
        // zoo.cfg.dynamic.100000000, config.yaml.template, masters.bak: not meant to be read.
        return None;
    }
    // `slaves`, read before Flink 1.11, is reported by ConfDir::load; a near miss of it is
    // one of `workers`.
    if strsim::damerau_levenshtein(&lower, "slaves") <= 1 {
        return Some(WORKERS);
    }
    let best = FLINK_CONF_FILES
        .iter()
        .map(|f| (strsim::damerau_levenshtein(&lower, f), *f))
        .min()?;
    if best.0 <= 2 {
        return Some(best.1);
    }
    let stem = lower.split('.').next().unwrap_or("");
    FLINK_CONF_FILES
        .iter()
        .find(|f| f.split('.').next() == Some(stem) && !stem.is_empty())
        .copied()
}

fn check_file_names(conf: &ConfDir, out: &mut Vec<Finding>) {
    let read_config = conf
        .config
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| CONFIG_YAML.into());
    for path in &conf.other_files {
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        let Some(target) = near_miss(&name) else {
            continue;
        };
        // A near miss of either configuration file: name the one this version reads.
        let target = if target == CONFIG_YAML || target == FLINK_CONF_YAML {
            read_config.as_str()
        } else {
            target
        };
        let exists = conf.dir.join(target).is_file();
        out.push(
            Finding::warning(
                path,
                None,
                format!(
                    "Flink never reads `{name}` (it reads `{target}`): whatever this file says \
                     is silently ignored"
                ),
                Some(if exists {
                    format!(
                        "move what you need from it into {} and delete it",
                        conf.dir.join(target).display()
                    )
                } else {
                    format!("rename it to {}", conf.dir.join(target).display())
                }),
            )
            .with_id("file-name-near-miss"),
        );
    }
}

// ---------------------------------------------------------------- rest ports

/// Whether Flink's port spec `spec` (`8081`, `50100-50200`, `50100,50101`, a mix) contains
/// `port`; `None` when it does not parse.
pub fn port_spec_contains(spec: &str, port: u16) -> Option<bool> {
    let mut hit = false;
    for part in spec.split(',') {
        let part = part.trim();
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u16, u16) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
                hit |= (a..=b).contains(&port);
            }
            None => hit |= part.parse::<u16>().ok()? == port,
        }
    }
    Some(hit)
}

fn check_rest_ports(conf: &ConfDir, out: &mut Vec<Finding>) {
    let cfg = &conf.config;
    let Some((mpath, masters)) = &conf.masters else {
        return;
    };
    let rest_port = cfg.get("rest.port").and_then(|e| {
        e.value
            .as_str()
            .and_then(|v| v.trim().parse::<u16>().ok())
            .map(|p| (p, e.line))
    });
    let bind = cfg
        .get("rest.bind-port")
        .and_then(|e| e.value.as_str().map(|v| (v.trim().to_string(), e.line)));
    for m in masters {
        let web = m.webui_port.filter(|p| *p != 0);
        if let (Some(w), Some((r, rline))) = (web, rest_port)
            && w != r
        {
            out.push(
                Finding::warning(
                    mpath,
                    Some(m.line),
                    format!(
                        "masters gives `{}` web port {w} but `rest.port` is {r} ({}:{rline}): \
                         the JobManager listens on {w} (the masters port wins), clients that \
                         read `rest.port` look at {r}",
                        m.host,
                        cfg.path.display()
                    ),
                    Some(format!(
                        "make them agree: write `{}:{r}` in masters, or `rest.port: {w}`",
                        m.host
                    )),
                )
                .with_id("rest-port-masters"),
            );
        }
        let expected = web.or(rest_port.map(|r| r.0)).unwrap_or(8081);
        if let Some((spec, bline)) = &bind
            && port_spec_contains(spec, expected) == Some(false)
        {
            out.push(
                Finding::error(
                    &cfg.path,
                    Some(*bline),
                    format!(
                        "`rest.bind-port: {spec}` does not contain {expected}, the web port of \
                         `{}` ({}:{}): Flink binds `rest.bind-port` and ignores the masters port \
                         and `rest.port` for binding, so nothing answers on {expected}",
                        m.host,
                        mpath.display(),
                        m.line
                    ),
                    Some(format!(
                        "remove `rest.bind-port` (it then follows rest.port / masters) or make \
                         it `{expected}`"
                    )),
                )
                .with_id("rest-bind-port"),
            );
        }
    }
}

// ---------------------------------------------------------------- YARN

/// YARN's default `yarn.resourcemanager.am.max-attempts` (Hadoop docs, yarn-default.xml).
pub const YARN_DEFAULT_AM_MAX_ATTEMPTS: u32 = 2;

/// The value and 1-based line of property `name` in a Hadoop `*-site.xml` text.
///
/// # Errors
/// The XML parser's message and 1-based line when the text is not well-formed XML.
pub fn hadoop_property(text: &str, name: &str) -> Result<Option<(String, usize)>, (String, usize)> {
    let doc =
        roxmltree::Document::parse(text).map_err(|e| (e.to_string(), e.pos().row as usize))?;
    for prop in doc.descendants().filter(|n| n.has_tag_name("property")) {
        let child = |tag: &str| {
            prop.children()
                .find(|c| c.has_tag_name(tag))
                .map(|c| c.text().unwrap_or("").trim().to_string())
        };
        if child("name").as_deref() == Some(name) {
            let line = doc.text_pos_at(prop.range().start).row as usize;
            return Ok(child("value").map(|v| (v, line)));
        }
    }
    Ok(None)
}

fn check_yarn(conf: &ConfDir, env: &DoctorEnv, out: &mut Vec<Finding>) {
    let cfg = &conf.config;
    let Some(attempts) = cfg.get("yarn.application-attempts") else {
        return;
    };
    let Some(n) = attempts
        .value
        .as_str()
        .and_then(|v| v.trim().parse::<u32>().ok())
    else {
        return;
    };
    let mut dirs = vec![conf.dir.clone()];
    for key in ["env.yarn.conf.dir", "env.hadoop.conf.dir"] {
        if let Some(d) = cfg.get_str(key) {
            dirs.push(PathBuf::from(d));
        }
    }
    dirs.extend(env.hadoop_conf_dirs.iter().cloned());
    let Some(site) = dirs
        .iter()
        .map(|d| d.join("yarn-site.xml"))
        .find(|p| p.is_file())
    else {
        return; // Not used for YARN sessions (or flinkha can't see the file).
    };
    let text = match std::fs::read_to_string(&site) {
        Ok(t) => t,
        Err(e) => {
            out.push(yarn_unreadable(&site, None, &e.to_string()));
            return;
        }
    };
    let (max, place) = match hadoop_property(&text, "yarn.resourcemanager.am.max-attempts") {
        Err((msg, line)) => {
            out.push(yarn_unreadable(&site, Some(line), &msg));
            return;
        }
        Ok(Some((v, line))) => match v.parse::<u32>() {
            Ok(m) => (m, format!("{}:{line}", site.display())),
            Err(_) => return,
        },
        Ok(None) => (
            YARN_DEFAULT_AM_MAX_ATTEMPTS,
            format!("YARN's default, not set in {}", site.display()),
        ),
    };
    if n > max {
        out.push(
            Finding::error(
                &cfg.path,
                Some(attempts.line),
                format!(
                    "`yarn.application-attempts: {n}` is above what the ResourceManager allows: \
                     `yarn.resourcemanager.am.max-attempts` is {max} ({place}), so YARN ends \
                     the session after {max} JobManager attempts, not {n}"
                ),
                Some(format!(
                    "set `yarn.application-attempts: {max}`, or raise \
                     `yarn.resourcemanager.am.max-attempts` in the ResourceManager's \
                     yarn-site.xml (and restart it)"
                )),
            )
            .with_id("yarn-attempts-capped"),
        );
    }
}

fn yarn_unreadable(site: &Path, line: Option<usize>, msg: &str) -> Finding {
    Finding::warning(
        site,
        line,
        format!("cannot read the YARN settings: {msg}"),
        Some("fix the XML (Hadoop reads `<configuration><property><name>…</name><value>…</value></property>`)".into()),
    )
    .with_id("yarn-site-unreadable")
}
