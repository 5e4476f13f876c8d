//! Doctor checks that need the hosts, run over SSH (one session per host, hosts in parallel).
//!
//! Per host, one round trip runs the facts script ([`facts::script`]: Java, the Flink install
//! under `current`, the state of every file sync renders, LISTEN sockets, the daemons' pids
//! and sockets, pid files, TCP reachability of each quorum server, `df`, plugins and lib
//! jars, Hadoop) and three tiny ones read the clock. Then the HA storage probe is read from
//! the other JobManager hosts, and ZooKeeper is read from this machine (latch contenders,
//! leader addresses, the HA store's jobs).
//!
//! Check ids (README "flinkha doctor: live checks"): `host-unreachable`, `java-missing`,
//! `java-version`, `flink-not-installed`, `flink-version-drift`, `conf-drift`, `clock-skew`,
//! `port-in-use`, `port-held-by-other`, `port-not-listening`, `pid-file-foreign`,
//! `pid-file-stale`, `quorum-unreachable`, `disk-space`, `ha-storage-not-shared`,
//! `ha-storage-unchecked`, `fs-hadoop-missing`, `fs-plugin-missing`, `zk-unreachable`,
//! `foreign-contender`, `foreign-leader`, `leader-unreachable`, `ha-orphaned-job`.

pub mod facts;

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use facts::{DiskDir, Facts, PidState, ScriptInput};

use crate::core::hosts::{Sessions, for_each_host, run};
use crate::core::model::{Cluster, Host, Role};
use crate::core::ops::sync::{ChangeKind, changes};
use crate::core::ops::upgrade::finding;
use crate::core::q;
use crate::core::render::{RenderedFile, per_host_keys, render_host};
use crate::flinkconf::{Finding, Severity, Version};
use crate::zk::leader::{LeaderView, host_port_of_address};

/// Clock skew (ms) above which a host gets a warning: beyond it, logs and znode times of
/// different hosts no longer line up when reading a failover (NTP keeps hosts within a few
/// ms). Neither ZooKeeper nor Flink's HA needs synchronized clocks: their timeouts are
/// measured on each host's own clock.
pub const CLOCK_SKEW_WARN_MS: i64 = 1_000;
/// Clock skew (ms) above which it is an error: Kerberos rejects tickets beyond its default
/// `clockskew` of 300 s (MIT krb5.conf), and S3 rejects requests signed more than 15 min off
/// (`RequestTimeTooSkewed`), so Kerberized HDFS or S3 checkpoints fail.
pub const CLOCK_SKEW_ERROR_MS: i64 = 300_000;
/// Free space (KiB) of a log dir below which each daemon logging there gets a warning: Flink's
/// shipped `conf/log4j.properties` rolls the log at 100 MB and keeps 10 files
/// (`appender.main.policies.size.size`, `appender.main.strategy.max`), about 1 GiB a daemon.
pub const DISK_WARN_KIB_PER_DAEMON: u64 = 1 << 20;
/// Free space (KiB) below which any checked dir is an error (256 MiB).
pub const DISK_ERROR_KIB: u64 = 256 << 10;

/// One host's answers, or why there are none.
#[derive(Debug, Clone)]
pub struct HostFacts {
    /// Inventory host name.
    pub host: String,
    /// The facts, or the error chain of the failed connect or script.
    pub facts: Result<Facts, String>,
    /// Offset of the host's clock from this machine's, ms, and its uncertainty (half the
    /// shortest of 3 round trips), ms.
    pub clock: Option<(i64, i64)>,
    /// What sync renders for the host (empty when it could not be rendered).
    pub rendered: Vec<RenderedFile>,
}

/// Every live finding for `cluster`, each with an id and, where it is about one host, that
/// host. A host that cannot be reached is itself a finding (`host-unreachable`).
pub async fn checks(cluster: &Cluster, sessions: &Sessions) -> Vec<Finding> {
    let nonce = format!(
        "{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    );
    let probe = storage_probe(cluster, &nonce);
    let gathered = tokio::task::block_in_place(|| gather(cluster, sessions, probe.as_ref()));
    let mut out = rules(cluster, &gathered);
    if let Some(p) = &probe {
        out.extend(tokio::task::block_in_place(|| {
            read_probe(cluster, sessions, &gathered, p)
        }));
    }
    if cluster.ha.enabled {
        out.extend(zk_checks(cluster, &gathered).await);
    }
    out
}

/// All host-local rules over `gathered` (pure; unit-tested on fixtures).
pub fn rules(cluster: &Cluster, gathered: &[HostFacts]) -> Vec<Finding> {
    let mut out = Vec::new();
    for g in gathered {
        if let Err(e) = &g.facts {
            out.push(
                finding(
                    cluster,
                    Severity::Error,
                    format!("{} could not be checked: {e}", g.host),
                    "check that the host is up and that `ssh` with the inventory's settings works; every other live check of this host was skipped",
                )
                .with_id("host-unreachable")
                .on_host(&g.host),
            );
        }
    }
    out.extend(java(cluster, gathered));
    out.extend(flink_version(cluster, gathered));
    out.extend(conf_drift(cluster, gathered));
    out.extend(clock_skew(cluster, gathered));
    for g in gathered {
        let (Ok(f), Some(host)) = (&g.facts, cluster.hosts.iter().find(|h| h.name == g.host))
        else {
            continue;
        };
        out.extend(ports(cluster, host, f));
        out.extend(pid_files(cluster, host, f));
        out.extend(quorum_reach(cluster, host, f));
        out.extend(disks(cluster, host, f));
        out.extend(filesystems(cluster, host, f));
        out.extend(fetch(cluster, host, f));
    }
    out
}

/// `install.fetch: remote`: the host needs `curl` or `wget` and must reach the URL (a HEAD
/// request from the host, 10 s at most). Warnings: only the next `install` needs them.
fn fetch(cluster: &Cluster, host: &Host, f: &Facts) -> Vec<Finding> {
    let Some((tool, result)) = &f.fetch else {
        return Vec::new();
    };
    let url = crate::flinkconf::secrets::redact_url(cluster.remote_fetch_url().unwrap_or_default());
    let finding = if tool == "none" {
        finding(
            cluster,
            Severity::Warning,
            format!(
                "{} has neither curl nor wget: with `install.fetch: remote` it cannot download the distribution",
                host.name
            ),
            "install curl (or wget) there, or set `install.fetch: local` to upload the tarball from this machine",
        )
        .with_id("install-fetch-tool")
    } else if result != "ok" {
        let status = result.strip_prefix("fail ").unwrap_or(result);
        let why = match (tool.as_str(), status) {
            ("curl", "22") | ("wget", "8") => "the server answered with an HTTP error",
            ("curl", "6" | "7") | ("wget", "4") => "cannot resolve or connect to the server",
            ("curl", "28") => "no answer within 10 s",
            _ => "see the tool's exit status",
        };
        finding(
            cluster,
            Severity::Warning,
            format!(
                "{} cannot fetch {url} ({tool} exit status {status}: {why}): `install.fetch: remote` would fail there",
                host.name
            ),
            "check that host's route (or proxy) to that server and the URL, or set `install.fetch: local`",
        )
        .with_id("install-fetch-unreachable")
    } else {
        return Vec::new();
    };
    vec![finding.on_host(&host.name)]
}

fn at(mut f: Finding, file: impl Into<PathBuf>) -> Finding {
    f.file = file.into();
    f
}

/// The value of Flink `key` on `host` as sync renders it: flinkha's per-host keys and the
/// inventory's (which win), else the conf dir.
pub fn value(cluster: &Cluster, host: &Host, key: &str) -> Option<String> {
    per_host_keys(cluster, host)
        .into_iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .or_else(|| cluster.conf.config.get_str(key).map(str::to_string))
}

/// The quorum servers of `high-availability.zookeeper.quorum` (`host:port,...[/chroot]`).
pub fn quorum_servers(connect_string: &str) -> Vec<String> {
    let servers = match connect_string.find('/') {
        Some(i) => &connect_string[..i],
        None => connect_string,
    };
    servers
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The dirs whose free space matters on `host`: its log dir, every `io.tmp.dirs` entry, and
/// the ZooKeeper dataDir on a ZooKeeper host.
pub fn disk_dirs(cluster: &Cluster, host: &Host) -> Vec<DiskDir> {
    let roles = cluster.roles_on(&host.name);
    let mut out = Vec::new();
    if roles.iter().any(|r| *r != Role::ZooKeeper) {
        out.push(DiskDir {
            label: "log".into(),
            path: cluster.paths(host).log(),
        });
        // Flink splits io.tmp.dirs at `,`, `|` and the path separator (`:`).
        for d in value(cluster, host, "io.tmp.dirs")
            .unwrap_or_default()
            .split([',', '|', ':'])
            .map(str::trim)
            .filter(|d| d.starts_with('/'))
        {
            out.push(DiskDir {
                label: "tmp".into(),
                path: d.to_string(),
            });
        }
    }
    if roles.contains(&Role::ZooKeeper) {
        let data = cluster
            .conf
            .zoo_cfg
            .as_ref()
            .and_then(|z| z.get("dataDir").map(str::to_string))
            .unwrap_or_else(|| cluster.role_paths(host, Role::ZooKeeper).zookeeper());
        out.push(DiskDir {
            label: "zookeeper".into(),
            path: data,
        });
        if !roles.contains(&Role::JobManager) && !roles.contains(&Role::TaskManager) {
            out.push(DiskDir {
                label: "log".into(),
                path: cluster.role_paths(host, Role::ZooKeeper).log(),
            });
        }
    }
    out
}

/// The local dir of a `file://` (or bare path) `high-availability.storageDir`, if HA is on.
pub fn local_storage_dir(cluster: &Cluster) -> Option<String> {
    if !cluster.ha.enabled {
        return None;
    }
    let uri = cluster
        .conf
        .config
        .get_str("high-availability.storageDir")?;
    match scheme(uri).as_str() {
        "file" => {
            let p = uri
                .strip_prefix("file://")
                .or_else(|| uri.strip_prefix("file:"))
                .unwrap_or(uri);
            Some(format!("/{}", p.trim_start_matches('/')))
        }
        _ => None,
    }
}

/// The HA storage probe: (writer host, dir, file name, content). The writer is the first
/// JobManager; the probe is read on the other JobManager hosts (a standby recovers the job
/// graphs and blobs from there).
fn storage_probe(cluster: &Cluster, nonce: &str) -> Option<(String, String, String, String)> {
    let dir = local_storage_dir(cluster)?;
    let writer = cluster.jobmanagers.first()?.host.clone();
    Some((
        writer,
        dir,
        format!(".flinkha-doctor-probe-{nonce}"),
        nonce.to_string(),
    ))
}

fn gather(
    cluster: &Cluster,
    sessions: &Sessions,
    probe: Option<&(String, String, String, String)>,
) -> Vec<HostFacts> {
    let hosts: Vec<&Host> = cluster.hosts.iter().collect();
    let quorum = quorum_servers(&cluster.ha.quorum);
    let outcomes = for_each_host(&hosts, cluster.parallelism, |h| {
        let rendered = render_host(cluster, h).unwrap_or_default();
        let roles = cluster.roles_on(&h.name);
        let input = ScriptInput {
            files: rendered.clone(),
            java_home: value(cluster, h, "env.java.home"),
            quorum: if cluster.ha.enabled
                && (roles.contains(&Role::JobManager) || roles.contains(&Role::TaskManager))
            {
                quorum.clone()
            } else {
                Vec::new()
            },
            disks: disk_dirs(cluster, h),
            probe: probe
                .filter(|p| p.0 == h.name)
                .map(|p| (p.1.clone(), p.2.clone(), p.3.clone())),
            fetch_url: cluster.remote_fetch_url().map(str::to_string),
        };
        let t = sessions.get(h)?;
        let clock = read_clock(h, t.as_ref());
        let text = run(
            h,
            t.as_ref(),
            "reading the doctor's facts",
            &facts::script(cluster, h, &input),
        )?;
        Ok((facts::parse(&text), clock, rendered))
    });
    outcomes
        .into_iter()
        .map(|o| match o.result {
            Ok((f, clock, rendered)) => HostFacts {
                host: o.host,
                facts: Ok(f),
                clock,
                rendered,
            },
            Err(e) => HostFacts {
                host: o.host,
                facts: Err(crate::core::error_chain(&e)),
                clock: None,
                rendered: Vec::new(),
            },
        })
        .collect()
}

fn now_ns() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0)
}

/// The host's clock offset from ours and its uncertainty, ms: `date +%s%N` 3 times, the
/// sample with the shortest round trip kept; the remote read happened somewhere inside it.
fn read_clock(host: &Host, t: &dyn crate::transport::Transport) -> Option<(i64, i64)> {
    let mut best: Option<(i128, i128)> = None;
    for _ in 0..3 {
        let before = now_ns();
        let out = t
            .exec(
                "date +%s%N",
                host.ssh.command_timeout.min(Duration::from_secs(10)),
            )
            .ok()?;
        let after = now_ns();
        let remote: i128 = out.stdout_str().trim().parse().ok()?;
        let rtt = after - before;
        let offset = remote - (before + rtt / 2);
        if best.is_none_or(|(_, r)| rtt < r) {
            best = Some((offset, rtt));
        }
    }
    best.map(|(o, r)| ((o / 1_000_000) as i64, (r / 2_000_000) as i64))
}

fn reachable(gathered: &[HostFacts]) -> impl Iterator<Item = (&str, &Facts)> {
    gathered
        .iter()
        .filter_map(|g| g.facts.as_ref().ok().map(|f| (g.host.as_str(), f)))
}

/// The Java feature versions Flink `v` runs on, per the Flink docs' "Java compatibility" page
/// (deployment/java_compatibility): 1.x on 8 (deprecated since 1.15) and 11, 17 from 1.18,
/// 21 from 1.19 (experimental); 2.x dropped Java 8 (Flink 2.0 release notes) and runs on 11,
/// 17 and 21. `Err((severity, why))` otherwise.
pub fn java_supported(v: &Version, major: u32) -> Result<(), (Severity, String)> {
    let (min, max) = if v.major >= 2 {
        (11, 21)
    } else if v.minor >= 19 {
        (8, 21)
    } else if v.minor >= 18 {
        (8, 17)
    } else {
        (8, 11)
    };
    if major < min {
        Err((
            Severity::Error,
            format!("Flink {v} needs Java {min} or newer"),
        ))
    } else if major > max {
        Err((
            Severity::Warning,
            format!("Flink {v} is documented to run on Java {min} to {max}, not {major}"),
        ))
    } else {
        Ok(())
    }
}

fn java(cluster: &Cluster, gathered: &[HostFacts]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (host, f) in reachable(gathered) {
        if cluster.roles_on(host).is_empty() {
            continue;
        }
        let bin = f
            .java_rc
            .as_ref()
            .map(|(_, b)| b.as_str())
            .unwrap_or("java");
        let major = f.java_major();
        match (f.java_rc.as_ref().map(|r| r.0), major) {
            (Some(0), Some(m)) => {
                if let Err((sev, why)) = java_supported(&cluster.version, m) {
                    out.push(
                        finding(
                            cluster,
                            sev,
                            format!("{host} runs Java {m} (`{bin} -version`): {why}"),
                            "install a supported JDK and put it first on the PATH of non-interactive SSH sessions, or set env.java.home",
                        )
                        .with_id("java-version")
                        .on_host(host),
                    );
                }
            }
            (rc, _) => out.push(
                finding(
                    cluster,
                    Severity::Error,
                    format!(
                        "no working Java on {host}: `{bin} -version` {} ({})",
                        rc.map(|r| format!("exited {r}"))
                            .unwrap_or_else(|| "did not run".into()),
                        f.java.first().map(String::as_str).unwrap_or("no output")
                    ),
                    "install a JDK the Flink version supports and put it on the PATH of non-interactive SSH sessions (Flink's scripts use $JAVA_HOME, else env.java.home, else `java`)",
                )
                .with_id("java-missing")
                .on_host(host),
            ),
        }
    }
    out
}

fn flink_version(cluster: &Cluster, gathered: &[HostFacts]) -> Vec<Finding> {
    let expected = format!("flink-{}", cluster.version);
    let mut out = Vec::new();
    let hosts: Vec<(&str, &Facts)> = reachable(gathered)
        .filter(|(h, _)| !cluster.roles_on(h).is_empty())
        .collect();
    let currents: std::collections::BTreeSet<&str> = hosts
        .iter()
        .filter_map(|(_, f)| f.current.as_deref())
        .collect();
    let all_same = currents.len() == 1 && hosts.iter().all(|(_, f)| f.current.is_some());
    for (host, f) in &hosts {
        let Some(cur) = f.current.as_deref() else {
            out.push(
                finding(
                    cluster,
                    Severity::Error,
                    format!("no Flink is installed for this deployment on {host}: its `current` link is missing"),
                    "`flinkha install --activate`",
                )
                .with_id("flink-not-installed")
                .on_host(*host),
            );
            continue;
        };
        if cur != expected {
            let (sev, msg, hint) = if all_same {
                (
                    Severity::Warning,
                    format!(
                        "every host runs {cur}, but the inventory's flink.version is {}",
                        cluster.version
                    ),
                    "an upgrade is pending: `flinkha upgrade --plan`",
                )
            } else {
                (
                    Severity::Error,
                    format!(
                        "{host} has {cur} under `current`, the inventory's flink.version is {} (hosts have {})",
                        cluster.version,
                        currents.iter().copied().collect::<Vec<_>>().join(", ")
                    ),
                    "`flinkha install --activate` puts the inventory's version on every host",
                )
            };
            out.push(
                finding(cluster, sev, msg, hint)
                    .with_id("flink-version-drift")
                    .on_host(*host),
            );
        }
        let want_jar = format!("flink-dist-{}.jar", cur.trim_start_matches("flink-"));
        if !f.dist.is_empty() && !f.dist.contains(&want_jar) {
            out.push(
                finding(
                    cluster,
                    Severity::Error,
                    format!(
                        "{host}'s {cur} holds {} in lib/, not {want_jar}: the install was changed by hand",
                        f.dist.join(", ")
                    ),
                    "remove that directory on the host and `flinkha install` it again",
                )
                .with_id("flink-version-drift")
                .on_host(*host),
            );
        }
    }
    out
}

fn conf_drift(cluster: &Cluster, gathered: &[HostFacts]) -> Vec<Finding> {
    // path → hosts that have a change, and how many hosts render it.
    // (host, kind, path on the host)
    type Changed = Vec<(String, ChangeKind, String)>;
    let mut per_file: BTreeMap<String, (usize, Changed)> = BTreeMap::new();
    for g in gathered {
        let Ok(f) = &g.facts else { continue };
        let root = cluster
            .hosts
            .iter()
            .find(|h| h.name == g.host)
            .map(|h| h.install_root.trim_end_matches('/').to_string())
            .unwrap_or_default();
        for r in &g.rendered {
            per_file.entry(r.rel_path.clone()).or_default().0 += 1;
        }
        for c in changes(&g.rendered, &f.conf_state()) {
            let path = format!("{root}/{}", c.path);
            per_file
                .entry(c.path.clone())
                .or_default()
                .1
                .push((g.host.clone(), c.kind, path));
        }
    }
    let mut out = Vec::new();
    for (rel, (rendered_on, changed)) in per_file {
        let everywhere = changed.len() == rendered_on && rendered_on > 1;
        for (host, kind, path) in changed {
            let (sev, what) = match kind {
                ChangeKind::Added => (Severity::Error, "is missing"),
                ChangeKind::Modified => {
                    (Severity::Error, "differs from what `flinkha sync` renders")
                }
                ChangeKind::ModeChanged => (
                    Severity::Warning,
                    "has other permission bits than the source",
                ),
            };
            let (sev, msg) = if everywhere {
                (
                    Severity::Warning,
                    format!("{rel} {what} on every host: the conf dir changed since the last sync"),
                )
            } else {
                (
                    sev,
                    format!("{rel} on {host} {what}: hosts run different configurations"),
                )
            };
            out.push(
                at(
                    finding(
                        cluster,
                        sev,
                        msg,
                        "`flinkha sync --dry-run` shows the difference; `flinkha sync` puts the rendered file back (edit the conf dir, not the hosts)",
                    ),
                    path,
                )
                .with_id("conf-drift")
                .on_host(host),
            );
        }
    }
    out
}

fn clock_skew(cluster: &Cluster, gathered: &[HostFacts]) -> Vec<Finding> {
    let clocks: Vec<(&str, i64, i64)> = gathered
        .iter()
        .filter_map(|g| g.clock.map(|(o, u)| (g.host.as_str(), o, u)))
        .collect();
    if clocks.len() < 2 {
        return Vec::new();
    }
    let mut offsets: Vec<i64> = clocks.iter().map(|c| c.1).collect();
    offsets.sort_unstable();
    let median = offsets[offsets.len() / 2];
    let mut out = Vec::new();
    for (host, offset, uncertainty) in clocks {
        let skew = (offset - median).abs() - uncertainty;
        let sev = if skew > CLOCK_SKEW_ERROR_MS {
            Severity::Error
        } else if skew > CLOCK_SKEW_WARN_MS {
            Severity::Warning
        } else {
            continue;
        };
        out.push(
            finding(
                cluster,
                sev,
                format!(
                    "{host}'s clock is {:.1} s {} the other hosts' (±{uncertainty} ms)",
                    (offset - median).abs() as f64 / 1000.0,
                    if offset > median { "ahead of" } else { "behind" }
                ),
                "run NTP (chrony, systemd-timesyncd) on every host; beyond 300 s Kerberos and S3 requests fail",
            )
            .with_id("clock-skew")
            .on_host(host),
        );
    }
    out
}

/// A port an instance on a host binds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedPort {
    /// The role whose daemon binds it.
    pub role: Role,
    /// What it is (`rest.port`, `clientPort`, ...).
    pub what: String,
    /// The port.
    pub port: u16,
    /// The address it binds (`0.0.0.0`: all).
    pub bind: String,
}

/// The fixed ports `host`'s instances bind: a ZooKeeper server's client port and election port
/// (the quorum port only listens on the leader), a JobManager's `rest.port` and its
/// `high-availability.jobmanager.port` and `blob.server.port` when fixed, a TaskManager's
/// `taskmanager.rpc.port` and `taskmanager.data.port` when fixed (`0` and ranges: Flink picks).
pub fn expected_ports(cluster: &Cluster, host: &Host) -> Vec<ExpectedPort> {
    let mut out = Vec::new();
    let fixed = |k: &str| {
        value(cluster, host, k)
            .and_then(|v| v.trim().parse::<u16>().ok())
            .filter(|p| *p != 0)
    };
    let roles = cluster.roles_on(&host.name);
    if let Some(z) = cluster.zk_peer_on(&host.name) {
        out.push(ExpectedPort {
            role: Role::ZooKeeper,
            what: "ZooKeeper clientPort".into(),
            port: z.client_port,
            bind: z.client_address.clone(),
        });
        out.push(ExpectedPort {
            role: Role::ZooKeeper,
            what: "ZooKeeper election port".into(),
            port: z.leader_port,
            bind: host.address.clone(),
        });
    }
    if roles.contains(&Role::JobManager) {
        if let Some(jm) = cluster.jobmanagers.iter().find(|j| j.host == host.name) {
            out.push(ExpectedPort {
                role: Role::JobManager,
                what: "rest.port".into(),
                port: jm.rest_port,
                bind: value(cluster, host, "rest.bind-address").unwrap_or_else(|| "0.0.0.0".into()),
            });
        }
        let bind = value(cluster, host, "jobmanager.bind-host").unwrap_or_else(|| "0.0.0.0".into());
        for k in ["high-availability.jobmanager.port", "blob.server.port"] {
            if let Some(p) = fixed(k) {
                out.push(ExpectedPort {
                    role: Role::JobManager,
                    what: k.into(),
                    port: p,
                    bind: bind.clone(),
                });
            }
        }
    }
    if roles.contains(&Role::TaskManager) {
        let bind =
            value(cluster, host, "taskmanager.bind-host").unwrap_or_else(|| "0.0.0.0".into());
        for k in ["taskmanager.rpc.port", "taskmanager.data.port"] {
            if let Some(p) = fixed(k) {
                out.push(ExpectedPort {
                    role: Role::TaskManager,
                    what: k.into(),
                    port: p,
                    bind: bind.clone(),
                });
            }
        }
    }
    out
}

/// Whether a socket bound to `bind` (an address or a name) and one listening on `addr` clash:
/// either is a wildcard, or they are the same address (a name clashes with anything).
fn clashes(bind: &str, addr: &IpAddr) -> bool {
    match bind.trim_matches(['[', ']']).parse::<IpAddr>() {
        Ok(b) => b.is_unspecified() || addr.is_unspecified() || b == *addr,
        Err(_) => true,
    }
}

fn ports(cluster: &Cluster, host: &Host, f: &Facts) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in expected_ports(cluster, host) {
        let d = e.role.daemon();
        let holders: Vec<_> = f
            .listening
            .iter()
            .filter(|l| l.port == e.port && clashes(&e.bind, &l.addr))
            .collect();
        match f.daemons.get(d) {
            Some(pid) => {
                let Some(socks) = f.sockets.get(d) else {
                    continue; // its fds are not readable: nothing to compare
                };
                if holders.is_empty() {
                    out.push(
                        finding(
                            cluster,
                            Severity::Warning,
                            format!("{} on {} (pid {pid}) does not listen on {} {} ({})", e.role, host.name, e.what, e.port, e.bind),
                            "the daemon may still be starting, or runs with another configuration than the one synced: check its log, `flinkha sync --dry-run`",
                        )
                        .with_id("port-not-listening")
                        .on_host(&host.name),
                    );
                } else if let Some(l) = holders.iter().find(|l| !socks.contains(&l.inode)) {
                    out.push(
                        finding(
                            cluster,
                            Severity::Error,
                            format!("{} {} on {} is held by another process ({}:{}), not by the {} (pid {pid})", e.what, e.port, host.name, l.addr, l.port, e.role),
                            "find it with `ss -ltnp 'sport = :PORT'` on the host and stop it, or give this instance another port",
                        )
                        .with_id("port-held-by-other")
                        .on_host(&host.name),
                    );
                }
            }
            None => {
                if let Some(l) = holders.first() {
                    out.push(
                        finding(
                            cluster,
                            Severity::Error,
                            format!("{} {} on {} is already taken ({}:{}) while the {} is not running: it would fail to start (address already in use)", e.what, e.port, host.name, l.addr, l.port, e.role),
                            "find the process with `ss -ltnp 'sport = :PORT'` on the host and stop it, or give this instance another port",
                        )
                        .with_id("port-in-use")
                        .on_host(&host.name),
                    );
                }
            }
        }
    }
    out
}

fn pid_files(cluster: &Cluster, host: &Host, f: &Facts) -> Vec<Finding> {
    let mut out = Vec::new();
    for role in Role::START_ORDER {
        let Some(pids) = f.pid_files.get(role.daemon()) else {
            continue;
        };
        let file = cluster.pid_file(host, role);
        for (pid, state) in pids {
            match state {
                PidState::Ours => {}
                PidState::Other(cmd) => out.push(
                    at(
                        finding(
                            cluster,
                            Severity::Error,
                            format!("the {role} pid file on {} names pid {pid}, which is not this instance but `{cmd}`", host.name),
                            &format!("remove it (`rm {}`): Flink's own bin/{} stop would kill pid {pid}; flinkha never signals a pid that is not its daemon", q(&file), role.script()),
                        ),
                        &file,
                    )
                    .with_id("pid-file-foreign")
                    .on_host(&host.name),
                ),
                PidState::Dead if !f.daemons.contains_key(role.daemon()) => out.push(
                    at(
                        finding(
                            cluster,
                            Severity::Warning,
                            format!("the {role} pid file on {} names pid {pid}, which is not running: the daemon died (killed or crashed)", host.name),
                            "read its log (`flinkha status`, the log dir), then `flinkha start` (which removes the stale pid file)",
                        ),
                        &file,
                    )
                    .with_id("pid-file-stale")
                    .on_host(&host.name),
                ),
                PidState::Dead => {}
            }
        }
    }
    out
}

fn quorum_reach(cluster: &Cluster, host: &Host, f: &Facts) -> Vec<Finding> {
    if f.zk_tools_missing {
        return vec![
            finding(
                cluster,
                Severity::Warning,
                format!("whether {} reaches the ZooKeeper quorum was not checked: it lacks bash or timeout", host.name),
                "install bash and coreutils on the host",
            )
            .with_id("quorum-unreachable")
            .on_host(&host.name),
        ];
    }
    f.zk
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(server, _)| {
            finding(
                cluster,
                Severity::Error,
                format!("{} can't open a TCP connection to ZooKeeper server {server} within 3 s: its JobManager or TaskManager loses HA there", host.name),
                "check the server runs (`flinkha zk status`), the address in high-availability.zookeeper.quorum, and firewalls between the hosts (bash and timeout must be installed for this check)",
            )
            .with_id("quorum-unreachable")
            .on_host(&host.name)
        })
        .collect()
}

fn disks(cluster: &Cluster, host: &Host, f: &Facts) -> Vec<Finding> {
    let daemons = cluster
        .roles_on(&host.name)
        .iter()
        .filter(|r| **r != Role::ZooKeeper)
        .count()
        .max(1) as u64;
    let mut out = Vec::new();
    for d in &f.disks {
        let warn = if d.label == "log" {
            DISK_WARN_KIB_PER_DAEMON * daemons
        } else {
            DISK_WARN_KIB_PER_DAEMON
        };
        let sev = if d.avail_kib < DISK_ERROR_KIB {
            Severity::Error
        } else if d.avail_kib < warn {
            Severity::Warning
        } else {
            continue;
        };
        out.push(
            at(
                finding(
                    cluster,
                    sev,
                    format!(
                        "{} dir {} on {} has {} MiB free of {} MiB (wanted: {} MiB)",
                        d.label,
                        d.path,
                        host.name,
                        d.avail_kib / 1024,
                        d.size_kib / 1024,
                        warn / 1024
                    ),
                    "free space there (old logs, dumps), or move the dir to a larger filesystem; a full disk stops ZooKeeper and fails checkpoints and blob downloads",
                ),
                &d.path,
            )
            .with_id("disk-space")
            .on_host(&host.name),
        );
    }
    out
}

/// The scheme of a Flink path (`hdfs:///x` → `hdfs`, `/x` and `file:/x` → `file`).
pub fn scheme(uri: &str) -> String {
    match uri.split_once(':') {
        Some((s, _))
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            s.to_ascii_lowercase()
        }
        _ => "file".into(),
    }
}

/// The plugin jar prefixes that serve `scheme` (Flink docs, deployment/filesystems: S3, GCS,
/// Azure, OSS), `None` for a scheme served by Hadoop (`hdfs`, `viewfs`) or built in.
pub fn plugin_for(scheme: &str) -> Option<&'static [&'static str]> {
    Some(match scheme {
        "s3" => &["flink-s3-fs-hadoop", "flink-s3-fs-presto"],
        "s3a" => &["flink-s3-fs-hadoop"],
        "s3p" => &["flink-s3-fs-presto"],
        "gs" => &["flink-gs-fs-hadoop"],
        "abfs" | "abfss" | "wasb" | "wasbs" => &["flink-azure-fs-hadoop"],
        "oss" => &["flink-oss-fs-hadoop"],
        _ => return None,
    })
}

/// The Flink keys holding a path whose filesystem every JobManager and TaskManager uses.
const PATH_KEYS: [&str; 5] = [
    "high-availability.storageDir",
    "execution.checkpointing.dir",
    "execution.checkpointing.savepoint-dir",
    "state.checkpoints.dir",
    "state.savepoints.dir",
];

fn filesystems(cluster: &Cluster, host: &Host, f: &Facts) -> Vec<Finding> {
    let roles = cluster.roles_on(&host.name);
    if !roles.contains(&Role::JobManager) && !roles.contains(&Role::TaskManager) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for key in PATH_KEYS {
        let Some(uri) = value(cluster, host, key) else {
            continue;
        };
        let s = scheme(&uri);
        if !seen.insert(s.clone()) {
            continue;
        }
        if let Some(prefixes) = plugin_for(&s) {
            let has = f.plugins.iter().any(|p| {
                let jar = p.rsplit('/').next().unwrap_or(p);
                prefixes.iter().any(|x| jar.starts_with(x))
            });
            if !has {
                out.push(
                    finding(
                        cluster,
                        Severity::Error,
                        format!("{key} is {uri}, but {}'s Flink has no {} plugin under plugins/: `{s}://` paths fail there", host.name, prefixes.join(" or ")),
                        &format!("on every host: `mkdir plugins/{d} && cp opt/{p}-*.jar plugins/{d}/` in the Flink dir (Flink docs: filesystems, plugins)", d = prefixes[0].trim_start_matches("flink-"), p = prefixes[0]),
                    )
                    .with_id("fs-plugin-missing")
                    .on_host(&host.name),
                );
            }
        } else if matches!(s.as_str(), "hdfs" | "viewfs" | "har")
            && !f.hadoop
            && !f.lib.iter().any(|j| j.contains("hadoop"))
        {
            out.push(
                finding(
                    cluster,
                    Severity::Error,
                    format!("{key} is {uri}, but {} has no Hadoop for Flink: HADOOP_CLASSPATH is unset, no `hadoop` command, no Hadoop jar in lib/", host.name),
                    "install Hadoop and set `export HADOOP_CLASSPATH=$(hadoop classpath)` in the environment of non-interactive SSH sessions (Flink docs: deployment/resource-providers, Hadoop integration)",
                )
                .with_id("fs-hadoop-missing")
                .on_host(&host.name),
            );
        }
    }
    out
}

/// Read the probe on every other JobManager host, then remove it on the writer.
fn read_probe(
    cluster: &Cluster,
    sessions: &Sessions,
    gathered: &[HostFacts],
    (writer, dir, name, content): &(String, String, String, String),
) -> Vec<Finding> {
    let file = format!("{}/{name}", dir.trim_end_matches('/'));
    let written = gathered
        .iter()
        .find(|g| &g.host == writer)
        .and_then(|g| g.facts.as_ref().ok())
        .and_then(|f| f.probe.clone());
    if written.as_deref() != Some("written") {
        let why = match written.as_deref() {
            Some("nodir") => format!(
                "{dir} does not exist on {writer} (the first JobManager creates it when it starts)"
            ),
            Some("unwritable") => format!("{writer} can't write into {dir}"),
            _ => format!("{writer} could not be reached"),
        };
        return vec![
            finding(
                cluster,
                Severity::Warning,
                format!("whether the file:// high-availability.storageDir is shared by the JobManagers was not checked: {why}"),
                "run `flinkha doctor` again once the JobManagers ran; the directory must be one shared mount (NFS) on every JobManager host",
            )
            .with_id("ha-storage-unchecked")
            .on_host(writer),
        ];
    }
    let readers: Vec<&Host> = cluster
        .jobmanagers
        .iter()
        .filter(|j| &j.host != writer)
        .filter_map(|j| cluster.hosts.iter().find(|h| h.name == j.host))
        .collect();
    let seen = for_each_host(&readers, cluster.parallelism, |h| {
        let t = sessions.get(h)?;
        run(
            h,
            t.as_ref(),
            "reading the HA storage probe",
            &format!("cat {} 2>/dev/null; exit 0", q(&file)),
        )
    });
    if let Some(h) = cluster.hosts.iter().find(|h| &h.name == writer)
        && let Ok(t) = sessions.get(h)
    {
        let _ = run(
            h,
            t.as_ref(),
            "removing the HA storage probe",
            &format!("rm -f {}", q(&file)),
        );
    }
    seen.into_iter()
        .filter_map(|o| match o.result {
            Ok(text) if text.trim() == content => None,
            Ok(_) => Some(
                at(
                    finding(
                        cluster,
                        Severity::Error,
                        format!("high-availability.storageDir {dir} is not shared: a file {writer} wrote there is not there on {}; a JobManager taking over there finds no job graphs or blobs", o.host),
                        "mount the same shared filesystem (NFS) at that path on every JobManager host, or use a distributed filesystem (hdfs://, s3://)",
                    ),
                    dir.as_str(),
                )
                .with_id("ha-storage-not-shared")
                .on_host(&o.host),
            ),
            Err(_) => None, // unreachable hosts are reported by host-unreachable
        })
        .collect()
}

/// Contenders, leader addresses and the HA store's jobs, from ZooKeeper.
async fn zk_checks(cluster: &Cluster, gathered: &[HostFacts]) -> Vec<Finding> {
    let opts = crate::zk::ConnectOptions {
        session_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(5),
        readonly: true,
        ..cluster.ha.connect_options()
    };
    let view = async {
        let client = cluster.ha.connect(&opts).await?;
        crate::zk::leader::read_leader_view(&client, &cluster.ha.path()).await
    };
    let view = match view.await {
        Ok(v) => v,
        Err(e) => {
            return vec![
                finding(
                    cluster,
                    Severity::Error,
                    format!(
                        "the HA znodes could not be read: {}",
                        crate::core::error_chain(&e)
                    ),
                    e.hint().unwrap_or("`flinkha zk status`"),
                )
                .with_id("zk-unreachable"),
            ];
        }
    };
    let mut out = leader_rules(cluster, gathered, &view);
    // Jobs in the HA store that no JobManager runs.
    let Some(url) = view
        .leader_rest_url()
        .filter(|u| super::super::leader::jobmanager_at(cluster, u).is_some())
    else {
        return out;
    };
    let jobs = async {
        cluster
            .rest_client(url, crate::core::ops::health::PROBE_TIMEOUT)?
            .jobs()
            .await
    };
    match jobs.await {
        Ok(jobs) => match crate::core::ops::steps::orphaned_ha_jobs(cluster, &jobs).await {
            Ok(ids) => {
                for id in ids {
                    out.push(
                        finding(
                            cluster,
                            Severity::Error,
                            format!("the HA store {} holds job {id}, which no JobManager runs: the next leader would recover it from its last checkpoint", cluster.ha.path()),
                            "find out what it is (`flinkha leader show`); remove it from the HA store only if it must not run again",
                        )
                        .with_id("ha-orphaned-job"),
                    );
                }
            }
            Err(e) => out.push(
                finding(
                    cluster,
                    Severity::Warning,
                    format!("the HA store's jobs could not be read: {}", crate::core::error_chain(&e)),
                    "",
                )
                .with_id("zk-unreachable"),
            ),
        },
        Err(e) => out.push(
            finding(
                cluster,
                Severity::Warning,
                format!("the leader at {url} does not answer, so the HA store's jobs were not compared with the running ones: {}", crate::core::error_chain(&e)),
                "`flinkha status`",
            )
            .with_id("leader-unreachable"),
        ),
    }
    out
}

/// Rules over the leader view: latch contenders beyond this cluster's running JobManagers, and
/// leader addresses that are none of its JobManagers (another cluster shares the cluster-id).
pub fn leader_rules(cluster: &Cluster, gathered: &[HostFacts], view: &LeaderView) -> Vec<Finding> {
    let mut out = Vec::new();
    let jm_hosts: Vec<&str> = cluster
        .jobmanagers
        .iter()
        .map(|j| j.host.as_str())
        .collect();
    let mut up = 0;
    let mut unknown = 0;
    for g in gathered
        .iter()
        .filter(|g| jm_hosts.contains(&g.host.as_str()))
    {
        match &g.facts {
            Ok(f) if f.daemons.contains_key(Role::JobManager.daemon()) => up += 1,
            Ok(f) if f.pid_files.contains_key(Role::JobManager.daemon()) => unknown += 1,
            Ok(_) => {}
            Err(_) => unknown += 1,
        }
    }
    if view.contenders.len() > up {
        let sev = if unknown == 0 {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.push(
            finding(
                cluster,
                sev,
                format!(
                    "{} latch contenders under {}/leader/latch, but {up} JobManager(s) of this cluster run{}: another cluster (or a JobManager not in `masters`) uses cluster-id `{}`",
                    view.contenders.len(),
                    view.ha_path,
                    if unknown > 0 { format!(" ({unknown} unknown: unreachable, or died less than the ZooKeeper session timeout ago, leaving its latch for a while)") } else { String::new() },
                    cluster.ha.cluster_id
                ),
                "give every Flink cluster its own high-availability.cluster-id (`flinkha leader show` lists the contenders and their sessions); two clusters under one id steal each other's leadership and jobs",
            )
            .with_id("foreign-contender"),
        );
    }
    let ours_rpc = |addr: &str| {
        host_port_of_address(addr)
            .is_none_or(|(h, _)| cluster.jobmanagers.iter().any(|j| j.address == h))
    };
    for (component, info) in [
        ("rest_server", &view.rest_server),
        ("dispatcher", &view.dispatcher),
        ("resource_manager", &view.resource_manager),
    ] {
        let Some(info) = info else { continue };
        let ours = if component == "rest_server" {
            super::super::leader::jobmanager_at(cluster, &info.address).is_some()
        } else {
            ours_rpc(&info.address)
        };
        if !ours {
            out.push(
                finding(
                    cluster,
                    Severity::Error,
                    format!(
                        "the {component} leader under {} is {}, which is none of this cluster's JobManagers: another cluster uses cluster-id `{}`",
                        view.ha_path, info.address, cluster.ha.cluster_id
                    ),
                    "give every Flink cluster its own high-availability.cluster-id; `flinkha leader show` shows who leads",
                )
                .with_id("foreign-leader"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests;
