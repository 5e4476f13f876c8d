//! `flinkha init`: a new conf dir and inventory from an [`InitSpec`].
//!
//! [`render`] is a pure function from the operator's answers to the files to write:
//! `flinkha.yaml` (the inventory) and `conf/` with `masters`, `workers`, `zoo.cfg`,
//! `config.yaml` and Flink's shipped `log4j*.properties` (which the daemons' start scripts
//! point log4j at). [`stage`] writes them into a temporary directory beside the target and runs
//! the offline checks on it; [`Staged::commit`] then renames it into place, keeping a non-empty
//! target (only with `force`) as a backup. Nothing here prints.
//!
//! Defaults follow Flink's documentation and its shipped `config.yaml`: REST port 8081
//! (`rest.port`), `high-availability.jobmanager.port` 6123 (the default `jobmanager.rpc.port`),
//! ZooKeeper client/peer/leader-election ports 2181/2888/3888 (the ZooKeeper admin guide and
//! Flink's shipped `zoo.cfg`), memory sizes and slots of the shipped `config.yaml`.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::error::{Error, Result};
use super::model::Cluster;
use crate::flinkconf::{CONFIG_YAML, Finding, MASTERS, Version, WORKERS, ZOO_CFG};

/// The conf dir's name inside the written directory (`conf_dir:` of the inventory).
pub const CONF_DIR: &str = "conf";

/// Java options of Flink's shipped `config.yaml` (`env.java.opts.all`, Flink 1.18+): the
/// module exports and opens Flink needs on Java 17.
pub const JAVA17_OPTS: &str = "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED";

/// Flink's log4j configurations, as its distribution ships them in `conf/` (Apache License
/// 2.0): `bin/flink-daemon.sh` starts every daemon with
/// `-Dlog4j.configurationFile=file:$FLINK_CONF_DIR/log4j.properties`.
const LOG4J_FILES: &[(&str, &str)] = &[
    (
        "log4j.properties",
        include_str!("../../conf.example/conf/log4j.properties"),
    ),
    (
        "log4j-console.properties",
        include_str!("../../conf.example/conf/log4j-console.properties"),
    ),
    (
        "log4j-cli.properties",
        include_str!("../../conf.example/conf/log4j-cli.properties"),
    ),
    (
        "log4j-session.properties",
        include_str!("../../conf.example/conf/log4j-session.properties"),
    ),
];

/// Placeholder in [`InitSpec::install_root`] replaced by each host's name, for several
/// (simulated) hosts on one machine: `/var/tmp/demo/{host}`.
pub const HOST_PLACEHOLDER: &str = "{host}";

/// One host the operator named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InitHost {
    /// Inventory name (what `masters`, `workers` and `zoo.cfg` name).
    pub name: String,
    /// Address flinkha connects to and Flink daemons bind to and advertise.
    pub address: String,
    /// This host's SSH port, when not the default.
    pub ssh_port: Option<u16>,
}

impl InitHost {
    /// Parse `name=address[:ssh-port]` (IPv6: `name=[addr]:port`; a bare name means the name
    /// is also the address).
    ///
    /// # Errors
    /// [`Error::Usage`] naming `--host` and the expected form.
    pub fn parse(text: &str) -> Result<InitHost> {
        let bad = |why: &str| Error::Usage {
            message: format!(
                "--host `{text}`: {why}; write `name=address` or `name=address:ssh-port` (e.g. `flink-1=10.0.0.11:22`)"
            ),
        };
        let text = text.trim();
        let (name, rest) = text.split_once('=').unwrap_or((text, text));
        let (address, port) = if let Some(r) = rest.strip_prefix('[') {
            let (a, after) = r.split_once(']').ok_or_else(|| bad("unclosed `[`"))?;
            (a, after.strip_prefix(':'))
        } else if rest.matches(':').count() == 1 {
            let (a, p) = rest.split_once(':').unwrap_or((rest, ""));
            (a, Some(p))
        } else {
            (rest, None)
        };
        let ssh_port = match port {
            None => None,
            Some(p) => Some(
                p.parse::<u16>()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| bad(&format!("`{p}` is not a port (1-65535)")))?,
            ),
        };
        let h = InitHost {
            name: name.trim().to_string(),
            address: address.trim().to_string(),
            ssh_port,
        };
        check_name("--host", &h.name)?;
        if h.address.is_empty() || h.address.contains(char::is_whitespace) {
            return Err(bad("the address is empty or has a space"));
        }
        Ok(h)
    }
}

/// Where `flinkha install` gets the Flink distribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Distribution {
    /// A local tarball (absolute, so the inventory reads the same from anywhere).
    Path(PathBuf),
    /// An HTTP(S) URL.
    Url(String),
}

impl Distribution {
    /// `http://…`/`https://…` is a URL, anything else a local path (made absolute against the
    /// current directory).
    pub fn parse(text: &str) -> Distribution {
        let t = text.trim();
        if t.starts_with("http://") || t.starts_with("https://") {
            Distribution::Url(t.to_string())
        } else {
            let p = crate::core::inventory::expand_home(Path::new(t));
            Distribution::Path(std::path::absolute(&p).unwrap_or(p))
        }
    }

    /// Apache's archive URL of the binary release `version` (the Scala 2.12 build, the one
    /// Flink 1.15+ and 2.x publish).
    pub fn apache(version: &Version) -> Distribution {
        Distribution::Url(format!(
            "https://archive.apache.org/dist/flink/flink-{version}/flink-{version}-bin-scala_2.12.tgz"
        ))
    }
}

impl std::fmt::Display for Distribution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Distribution::Path(p) => write!(f, "{}", p.display()),
            Distribution::Url(u) => f.write_str(u),
        }
    }
}

/// Ports written into the conf dir; [`Ports::default`] is Flink's and ZooKeeper's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ports {
    /// JobManager REST / web UI port (`rest.port`, in `masters`). Default 8081.
    pub rest: u16,
    /// JobManager RPC port in HA mode (`high-availability.jobmanager.port`). Default 6123.
    pub jobmanager_rpc: u16,
    /// ZooKeeper `clientPort`. Default 2181.
    pub zk_client: u16,
    /// ZooKeeper quorum (peer) port of `server.N`. Default 2888.
    pub zk_peer: u16,
    /// ZooKeeper leader-election port of `server.N`. Default 3888.
    pub zk_leader: u16,
}

impl Default for Ports {
    fn default() -> Ports {
        Ports {
            rest: 8081,
            jobmanager_rpc: 6123,
            zk_client: 2181,
            zk_peer: 2888,
            zk_leader: 3888,
        }
    }
}

/// SSH settings written as the inventory's `ssh:` section (unset: flinkha's defaults).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InitSsh {
    /// Login user (default: the user running flinkha).
    pub user: Option<String>,
    /// Port of every host without its own (default 22).
    pub port: Option<u16>,
    /// Private key file.
    pub identity_file: Option<String>,
    /// known_hosts file.
    pub known_hosts: Option<String>,
    /// `strict` or `accept-new`.
    pub host_key_policy: Option<String>,
}

/// Everything `flinkha init` asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InitSpec {
    /// Short cluster name (daemon ident strings, pid and log file names): `[A-Za-z0-9._-]+`.
    pub cluster: String,
    /// The hosts, in the order given.
    pub hosts: Vec<InitHost>,
    /// Hosts running a ZooKeeper server (`server.1`… in this order).
    pub zookeeper: Vec<String>,
    /// Hosts running a JobManager (`masters`).
    pub jobmanagers: Vec<String>,
    /// Hosts running a TaskManager (`workers`).
    pub taskmanagers: Vec<String>,
    /// Flink version (1.19 or later: they read `config.yaml`).
    pub flink_version: Version,
    /// Where the tarball comes from.
    pub distribution: Distribution,
    /// Its SHA-512 (hex), when not read from `<distribution>.sha512`.
    pub sha512: Option<String>,
    /// `high-availability.storageDir` (an absolute URI).
    pub ha_storage_dir: String,
    /// `high-availability.cluster-id`.
    pub cluster_id: String,
    /// `execution.checkpointing.dir` (an absolute URI).
    pub checkpoints_dir: String,
    /// `execution.checkpointing.savepoint-dir` (an absolute URI).
    pub savepoints_dir: String,
    /// Install root on every host; may hold [`HOST_PLACEHOLDER`].
    pub install_root: String,
    /// SSH settings.
    pub ssh: InitSsh,
    /// Ports.
    pub ports: Ports,
}

/// Default ZooKeeper hosts: the first 3 of `hosts` when there are 3 or more (a quorum that
/// survives one failure), else the first one (a single server: no failure tolerated; `config
/// check` warns). Two servers would tolerate no more failures than one.
pub fn default_zookeeper(hosts: &[InitHost]) -> Vec<String> {
    let n = if hosts.len() >= 3 { 3 } else { 1 };
    hosts.iter().take(n).map(|h| h.name.clone()).collect()
}

/// Default JobManager hosts: the first 2 (a leader and a standby), or the one host.
pub fn default_jobmanagers(hosts: &[InitHost]) -> Vec<String> {
    hosts.iter().take(2).map(|h| h.name.clone()).collect()
}

/// Default TaskManager hosts: every host.
pub fn default_taskmanagers(hosts: &[InitHost]) -> Vec<String> {
    hosts.iter().map(|h| h.name.clone()).collect()
}

/// Default `high-availability.cluster-id`: `/<cluster>` (never Flink's `/default`, which two
/// clusters on one quorum would share).
pub fn default_cluster_id(cluster: &str) -> String {
    format!("/{cluster}")
}

/// Default checkpoint and savepoint dirs beside the HA storage dir: `<base>/checkpoints` and
/// `<base>/savepoints`, where `<base>` is the storage dir without a last `/ha` segment.
pub fn default_state_dirs(ha_storage_dir: &str) -> (String, String) {
    let s = ha_storage_dir.trim_end_matches('/');
    let base = s.strip_suffix("/ha").unwrap_or(s);
    (format!("{base}/checkpoints"), format!("{base}/savepoints"))
}

/// `value` as an absolute directory URI: an absolute path becomes `file://<path>`; a value
/// with a scheme is kept.
///
/// # Errors
/// [`Error::Usage`] naming `flag` when it is neither.
pub fn to_uri(flag: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.starts_with('/') {
        return Ok(format!("file://{v}"));
    }
    let scheme_ok = v.split_once(':').is_some_and(|(s, rest)| {
        s.len() > 1
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && rest.starts_with('/')
    });
    if scheme_ok && !v.contains(char::is_whitespace) {
        Ok(v.to_string())
    } else {
        Err(Error::Usage {
            message: format!(
                "{flag} `{v}` is not an absolute directory URI: write e.g. `hdfs:///flink/ha`, `s3://bucket/flink/ha` or `file:///shared/flink/ha` (a mount every host sees)"
            ),
        })
    }
}

fn check_name(flag: &str, name: &str) -> Result<()> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(Error::Usage {
            message: format!(
                "{flag}: `{name}` is not a valid name: use letters, digits, `.`, `_` and `-`"
            ),
        });
    }
    Ok(())
}

fn usage(message: String) -> Error {
    Error::Usage { message }
}

/// Check `spec` for what no conf dir could fix: names, roles naming unknown hosts, duplicates,
/// empty roles, an unsupported version, relative URIs.
///
/// # Errors
/// [`Error::Usage`] naming the flag (`--host`, `--zookeeper`, …) and what to write.
pub fn validate(spec: &InitSpec) -> Result<()> {
    check_name("--cluster", &spec.cluster)?;
    if spec.hosts.is_empty() {
        return Err(usage(
            "no hosts: give each with `--host name=address[:ssh-port]`".into(),
        ));
    }
    for (i, h) in spec.hosts.iter().enumerate() {
        check_name("--host", &h.name)?;
        if let Some(o) = spec.hosts[..i].iter().find(|o| o.name == h.name) {
            return Err(usage(format!(
                "--host: `{}` is given twice ({} and {})",
                h.name, o.address, h.address
            )));
        }
        if let Some(o) = spec.hosts[..i]
            .iter()
            .find(|o| o.address == h.address && o.ssh_port == h.ssh_port)
        {
            return Err(usage(format!(
                "--host: `{}` and `{}` have the same address {}: one machine is one host",
                o.name, h.name, h.address
            )));
        }
    }
    for (flag, list) in [
        ("--zookeeper", &spec.zookeeper),
        ("--jobmanagers", &spec.jobmanagers),
        ("--taskmanagers", &spec.taskmanagers),
    ] {
        if list.is_empty() {
            return Err(usage(format!("{flag}: name at least one host")));
        }
        for (i, n) in list.iter().enumerate() {
            if !spec.hosts.iter().any(|h| &h.name == n) {
                return Err(usage(format!(
                    "{flag}: `{n}` is not one of the hosts ({}); add it with `--host {n}=address`",
                    spec.hosts
                        .iter()
                        .map(|h| h.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            if list[..i].contains(n) {
                return Err(usage(format!("{flag}: `{n}` is named twice")));
            }
        }
    }
    if !spec.flink_version.at_least(1, 19) {
        return Err(usage(format!(
            "--flink-version {}: flinkha init writes config.yaml, which Flink reads from 1.19 on; for an older Flink write flink-conf.yaml by hand",
            spec.flink_version
        )));
    }
    for (flag, v) in [
        ("--ha-storage", &spec.ha_storage_dir),
        ("--checkpoints", &spec.checkpoints_dir),
        ("--savepoints", &spec.savepoints_dir),
    ] {
        to_uri(flag, v)?;
    }
    let id = spec.cluster_id.trim();
    if id.is_empty() || id.contains(char::is_whitespace) {
        return Err(usage(format!(
            "--cluster-id `{id}`: write a ZooKeeper path such as `/{}`",
            spec.cluster
        )));
    }
    if let Some(s) = &spec.sha512
        && (s.len() != 128 || !s.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(usage(format!(
            "--sha512: `{s}` is not a SHA-512 (128 hex digits); leave it out to read `<distribution>.sha512`"
        )));
    }
    if let Some(p) = &spec.ssh.host_key_policy
        && p != "strict"
        && p != "accept-new"
    {
        return Err(usage(format!(
            "--host-key-policy `{p}`: write `strict` or `accept-new`"
        )));
    }
    Ok(())
}

/// One file [`render`] produces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InitFile {
    /// Path relative to the directory written, e.g. `conf/zoo.cfg`.
    pub path: PathBuf,
    /// Content.
    #[serde(skip)]
    pub content: String,
}

/// A YAML scalar for `s`: plain when YAML reads it back as the same string, quoted otherwise.
fn yaml_str(s: &str) -> String {
    let plain = !s.is_empty()
        && yaml_serde::from_str::<yaml_serde::Value>(s).ok()
            == Some(yaml_serde::Value::String(s.to_string()))
        && !s.contains(['#', '\n'])
        && !s.starts_with([' ', '&', '*', '!', '|', '>', '%', '@', '`', '"', '\''])
        && !s.ends_with(' ');
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

fn is_loopback(address: &str) -> bool {
    address.starts_with("127.") || address == "::1" || address == "localhost"
}

/// The files for `spec`: `flinkha.yaml` and `conf/{config.yaml, masters, workers, zoo.cfg,
/// log4j*.properties}`, in that order. Pure.
///
/// JobManagers on loopback addresses (several simulated hosts on one machine) bind all
/// interfaces (see [`crate::core::render::JOBMANAGER_BIND_HOST`]), so each gets its own
/// `high-availability.jobmanager.port` (6123, 6124, …) in its inventory `flink:` section.
///
/// # Errors
/// [`validate`]'s.
pub fn render(spec: &InitSpec) -> Result<Vec<InitFile>> {
    validate(spec)?;
    let p = spec.ports;
    let host = |n: &str| spec.hosts.iter().find(|h| h.name == n);
    let mut files = Vec::new();

    // The inventory.
    let mut inv = String::new();
    inv.push_str(&format!(
        "# flinkha inventory of cluster `{}`, written by `flinkha init`. Topology is in\n\
         # {CONF_DIR}/masters, {CONF_DIR}/workers and {CONF_DIR}/zoo.cfg; this file says how to reach each\n\
         # host and where Flink lives there. See conf.example/flinkha.yaml for every setting.\n\n",
        spec.cluster
    ));
    inv.push_str(&format!("cluster: {}\n\n", yaml_str(&spec.cluster)));
    inv.push_str("# Flink's conf dir (relative to this file).\n");
    inv.push_str(&format!("conf_dir: {CONF_DIR}\n\n"));
    inv.push_str(&format!(
        "flink:\n  version: {}\n  distribution:\n",
        spec.flink_version
    ));
    match &spec.distribution {
        Distribution::Path(path) => inv.push_str(&format!(
            "    path: {}\n",
            yaml_str(&path.display().to_string())
        )),
        Distribution::Url(u) => inv.push_str(&format!("    url: {}\n", yaml_str(u))),
    }
    match &spec.sha512 {
        Some(s) => inv.push_str(&format!("    sha512: {}\n", s.to_ascii_lowercase())),
        None => inv.push_str(
            "    # The SHA-512 is read from `<tarball>.sha512` (as Apache publishes it); or set `sha512:`.\n",
        ),
    }
    let per_host_root = spec.install_root.contains(HOST_PLACEHOLDER);
    if !per_host_root {
        inv.push_str(&format!(
            "\n# Install root on every host: flink-<version>/, current, conf/, log/, run/, zookeeper/, tmp/.\n\
             install_root: {}\n",
            yaml_str(&spec.install_root)
        ));
    }
    let ssh = &spec.ssh;
    let mut ssh_lines = Vec::new();
    if let Some(u) = &ssh.user {
        ssh_lines.push(format!("  user: {}", yaml_str(u)));
    }
    if let Some(port) = ssh.port {
        ssh_lines.push(format!("  port: {port}"));
    }
    if let Some(f) = &ssh.identity_file {
        ssh_lines.push(format!("  identity_file: {}", yaml_str(f)));
    }
    if let Some(f) = &ssh.known_hosts {
        ssh_lines.push(format!("  known_hosts: {}", yaml_str(f)));
    }
    if let Some(pol) = &ssh.host_key_policy {
        ssh_lines.push(format!("  host_key_policy: {pol}"));
    }
    if ssh_lines.is_empty() {
        inv.push_str("\n# SSH: the current user, port 22, the agent and ~/.ssh/known_hosts (strict).\nssh: {}\n");
    } else {
        inv.push_str("\nssh:\n");
        for l in ssh_lines {
            inv.push_str(&l);
            inv.push('\n');
        }
    }
    inv.push_str("\n# Each host: its address (SSH target; Flink daemons bind to and advertise it).\nhosts:\n");
    let loopback_jms: Vec<&str> = spec
        .jobmanagers
        .iter()
        .filter(|n| host(n).is_some_and(|h| is_loopback(&h.address)))
        .map(String::as_str)
        .collect();
    for h in &spec.hosts {
        inv.push_str(&format!(
            "  {}:\n    address: {}\n",
            yaml_str(&h.name),
            yaml_str(&h.address)
        ));
        if per_host_root {
            inv.push_str(&format!(
                "    install_root: {}\n",
                yaml_str(&spec.install_root.replace(HOST_PLACEHOLDER, &h.name))
            ));
        }
        if let Some(port) = h.ssh_port {
            inv.push_str(&format!("    ssh:\n      port: {port}\n"));
        }
        if loopback_jms.len() > 1
            && let Some(i) = loopback_jms.iter().position(|n| *n == h.name)
            && i > 0
        {
            inv.push_str(&format!(
                "    # JobManagers bind all interfaces: two on one machine need their own RPC port.\n    \
                 flink:\n      high-availability.jobmanager.port: {}\n",
                u32::from(p.jobmanager_rpc) + i as u32
            ));
        }
    }
    files.push(InitFile {
        path: PathBuf::from("flinkha.yaml"),
        content: inv,
    });

    // config.yaml (standard YAML, read by Flink 1.19+ and the only file 2.x reads).
    let mut cfg = format!(
        "# Flink {v} configuration of cluster `{c}`, written by `flinkha init`. Everything here goes\n\
         # to every host. Per-host values (jobmanager.rpc.address, rest.address, taskmanager.host,\n\
         # bind addresses, rest.port from `masters`, high-availability.zookeeper.quorum from\n\
         # zoo.cfg, io.tmp.dirs) are filled in by `flinkha sync` from flinkha.yaml: do not set them here.\n\n",
        v = spec.flink_version,
        c = spec.cluster
    );
    cfg.push_str(&format!(
        "env:\n  java:\n    opts:\n      # From Flink's shipped config.yaml: Java 17 needs these.\n      all: {JAVA17_OPTS}\n\n"
    ));
    cfg.push_str(&format!(
        "high-availability:\n  type: zookeeper\n  \
         # JobManager metadata (job graphs, checkpoint pointers): a file system every JobManager\n  \
         # reads and writes (HDFS, S3, or an NFS mount at the same path on every host).\n  \
         storageDir: {}\n  \
         # One cluster-id per cluster: two clusters with the same id on one quorum share HA state.\n  \
         cluster-id: {}\n  zookeeper:\n    path:\n      root: /flink\n  \
         # JobManager RPC port in HA mode (a port or a range).\n  jobmanager:\n    port: {}\n\n",
        yaml_str(&spec.ha_storage_dir),
        yaml_str(&spec.cluster_id),
        p.jobmanager_rpc
    ));
    cfg.push_str(
        "jobmanager:\n  memory:\n    process:\n      size: 1600m\n  execution:\n    failover-strategy: region\n\n\
         taskmanager:\n  numberOfTaskSlots: 1\n  memory:\n    process:\n      size: 1728m\n\n\
         parallelism:\n  default: 1\n\n",
    );
    cfg.push_str(&format!(
        "execution:\n  checkpointing:\n    \
         # Checkpoints and savepoints: like storageDir, on storage every JobManager and TaskManager reaches.\n    \
         dir: {}\n    savepoint-dir: {}\n    \
         # Checkpointing is off until an interval is set (here or by the job), e.g.:\n    \
         # interval: 1min\n",
        yaml_str(&spec.checkpoints_dir),
        yaml_str(&spec.savepoints_dir)
    ));
    files.push(InitFile {
        path: Path::new(CONF_DIR).join(CONFIG_YAML),
        content: cfg,
    });

    let mut masters = String::from("# JobManager hosts and their REST / web UI port.\n");
    for n in &spec.jobmanagers {
        masters.push_str(&format!("{n}:{}\n", p.rest));
    }
    files.push(InitFile {
        path: Path::new(CONF_DIR).join(MASTERS),
        content: masters,
    });
    let mut workers = String::from("# TaskManager hosts.\n");
    for n in &spec.taskmanagers {
        workers.push_str(&format!("{n}\n"));
    }
    files.push(InitFile {
        path: Path::new(CONF_DIR).join(WORKERS),
        content: workers,
    });
    let mut zoo = format!(
        "# ZooKeeper quorum, run with Flink's bundled ZooKeeper (bin/zookeeper.sh).\n\
         # flinkha fills in per host: dataDir (under the install root, unless set here),\n\
         # clientPortAddress, 4lw.commands.whitelist and admin.enableServer=false (unless set here).\n\
         tickTime=2000\ninitLimit=10\nsyncLimit=5\nclientPort={}\n",
        p.zk_client
    );
    for (i, n) in spec.zookeeper.iter().enumerate() {
        zoo.push_str(&format!(
            "server.{}={n}:{}:{}\n",
            i + 1,
            p.zk_peer,
            p.zk_leader
        ));
    }
    files.push(InitFile {
        path: Path::new(CONF_DIR).join(ZOO_CFG),
        content: zoo,
    });
    for (name, text) in LOG4J_FILES {
        files.push(InitFile {
            path: Path::new(CONF_DIR).join(name),
            content: (*text).to_string(),
        });
    }
    Ok(files)
}

/// What is at the target directory now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetState {
    /// Nothing: it will be created.
    Missing,
    /// An empty directory: it will be filled.
    Empty,
    /// A directory with `entries` entries (or a file, `entries` 1): refused without force.
    NonEmpty {
        /// Number of entries.
        entries: usize,
    },
}

/// What is at `target`.
///
/// # Errors
/// [`Error::Io`] when it can't be read.
pub fn target_state(target: &Path) -> Result<TargetState> {
    let io = |source| Error::Io {
        path: target.to_path_buf(),
        source,
    };
    match std::fs::symlink_metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(TargetState::Missing),
        Err(e) => Err(io(e)),
        Ok(m) if !m.is_dir() => Ok(TargetState::NonEmpty { entries: 1 }),
        Ok(_) => {
            let entries = std::fs::read_dir(target).map_err(io)?.count();
            Ok(if entries == 0 {
                TargetState::Empty
            } else {
                TargetState::NonEmpty { entries }
            })
        }
    }
}

/// The refusal for a non-empty `target` without force.
pub fn refuse_non_empty(target: &Path, entries: usize) -> Error {
    Error::Refused {
        message: format!(
            "{} is not empty ({entries} entr{}): flinkha init writes a new directory and does not mix its files with others; choose another directory, or pass --force to replace it (the old one is kept as {}.bak-<UTC time>)",
            target.display(),
            if entries == 1 { "y" } else { "ies" },
            target.display()
        ),
    }
}

/// The files written into a temporary directory beside the target, with what the offline
/// checks found there (paths already pointing at the target).
#[derive(Debug)]
pub struct Staged {
    dir: tempfile::TempDir,
    target: PathBuf,
    /// Offline findings ([`crate::core::ops::doctor::offline::checks`]) of the staged dir.
    pub findings: Vec<Finding>,
}

/// Where [`Staged::commit`] put things.
#[derive(Debug, Clone, Serialize)]
pub struct Committed {
    /// The directory written (absolute).
    pub target: PathBuf,
    /// The inventory file in it.
    pub inventory: PathBuf,
    /// Where the replaced directory went (only with force and a non-empty target).
    pub backup: Option<PathBuf>,
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Write `files` into a new temporary directory beside `target` (same file system, so the
/// final rename is atomic) and run the offline checks on it. Nothing at `target` changes.
///
/// # Errors
/// [`Error::Io`] naming the path; [`Error::Conf`]/[`Error::Inventory`] when the written files
/// do not load (a bug of [`render`]).
pub fn stage(target: &Path, files: &[InitFile]) -> Result<Staged> {
    let target = absolute(target);
    let parent = target.parent().unwrap_or(Path::new("/")).to_path_buf();
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let dir = tempfile::Builder::new()
        .prefix(".flinkha-init-")
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    for f in files {
        let path = dir.path().join(&f.path);
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).map_err(io(d))?;
        }
        std::fs::write(&path, &f.content).map_err(io(&path))?;
    }
    // A directory the operator can read; tempdir_in makes it 0700.
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .map_err(io(dir.path()))?;
    }
    let cluster = Cluster::load(&dir.path().join("flinkha.yaml"))?;
    let mut findings = crate::core::ops::doctor::offline::checks(&cluster);
    for f in &mut findings {
        if let Ok(rel) = f.file.strip_prefix(dir.path()) {
            f.file = target.join(rel);
        }
        let staged = dir.path().display().to_string();
        let real = target.display().to_string();
        f.message = f.message.replace(&staged, &real);
        if let Some(h) = &mut f.hint {
            *h = h.replace(&staged, &real);
        }
    }
    Ok(Staged {
        dir,
        target,
        findings,
    })
}

fn utc_stamp() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now())
        .to_string()
        .replace([':', '-'], "")
}

impl Staged {
    /// The target directory (absolute).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Put the staged directory at the target: a missing target with one rename; into an
    /// empty one (kept, it may be the working directory) `conf/` first and `flinkha.yaml`
    /// last, one rename each; a non-empty one is refused unless `force`, and then first
    /// renamed to `<target>.bak-<UTC time>` (kept) before the one rename.
    ///
    /// # Errors
    /// [`Error::Refused`] for a non-empty target without `force`; [`Error::Io`].
    pub fn commit(self, force: bool) -> Result<Committed> {
        let target = self.target.clone();
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Io { path, source }
        };
        let mut backup = None;
        match target_state(&target)? {
            TargetState::Missing => {}
            TargetState::Empty => {
                // Keep the directory itself (it may be the operator's working directory):
                // move conf/ in, then the inventory last, so flinkha.yaml only appears once
                // the conf dir it names is complete.
                let staged = self.dir.path();
                let mut names: Vec<_> = std::fs::read_dir(staged)
                    .map_err(io(staged))?
                    .map(|e| e.map(|e| e.file_name()))
                    .collect::<std::io::Result<_>>()
                    .map_err(io(staged))?;
                names.sort_by_key(|n| n == "flinkha.yaml");
                for n in names {
                    let to = target.join(&n);
                    std::fs::rename(staged.join(&n), &to).map_err(io(&to))?;
                }
                if let Ok(d) = std::fs::File::open(&target) {
                    let _ = d.sync_all();
                }
                return Ok(Committed {
                    inventory: target.join("flinkha.yaml"),
                    target,
                    backup: None,
                });
            }
            TargetState::NonEmpty { entries } => {
                if !force {
                    return Err(refuse_non_empty(&target, entries));
                }
                let name = target
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "flinkha".into());
                let b = target.with_file_name(format!("{name}.bak-{}", utc_stamp()));
                std::fs::rename(&target, &b).map_err(io(&target))?;
                backup = Some(b);
            }
        }
        let staged = self.dir.keep();
        std::fs::rename(&staged, &target).map_err(io(&target))?;
        if let Some(parent) = target.parent()
            && let Ok(d) = std::fs::File::open(parent)
        {
            let _ = d.sync_all();
        }
        Ok(Committed {
            inventory: target.join("flinkha.yaml"),
            target,
            backup,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(n: usize) -> Vec<InitHost> {
        (1..=n)
            .map(|i| InitHost {
                name: format!("flink-{i}"),
                address: format!("10.0.0.{i}"),
                ssh_port: None,
            })
            .collect()
    }

    fn spec(n: usize) -> InitSpec {
        let hosts = hosts(n);
        let (checkpoints_dir, savepoints_dir) = default_state_dirs("hdfs:///flink/ha");
        InitSpec {
            cluster: "prod".into(),
            zookeeper: default_zookeeper(&hosts),
            jobmanagers: default_jobmanagers(&hosts),
            taskmanagers: default_taskmanagers(&hosts),
            hosts,
            flink_version: Version::new(2, 1, 0),
            distribution: Distribution::apache(&Version::new(2, 1, 0)),
            sha512: None,
            ha_storage_dir: "hdfs:///flink/ha".into(),
            cluster_id: default_cluster_id("prod"),
            checkpoints_dir,
            savepoints_dir,
            install_root: "/opt/flink".into(),
            ssh: InitSsh::default(),
            ports: Ports::default(),
        }
    }

    fn file<'a>(files: &'a [InitFile], p: &str) -> &'a str {
        &files
            .iter()
            .find(|f| f.path == Path::new(p))
            .unwrap_or_else(|| panic!("{p} not rendered"))
            .content
    }

    #[test]
    fn defaults_are_a_three_server_quorum_and_two_jobmanagers() {
        let h = hosts(5);
        assert_eq!(default_zookeeper(&h), ["flink-1", "flink-2", "flink-3"]);
        assert_eq!(default_jobmanagers(&h), ["flink-1", "flink-2"]);
        assert_eq!(default_taskmanagers(&h).len(), 5);
        assert_eq!(default_zookeeper(&hosts(2)), ["flink-1"]);
        assert_eq!(default_jobmanagers(&hosts(1)), ["flink-1"]);
        assert_eq!(
            default_state_dirs("s3://b/flink/ha/"),
            (
                "s3://b/flink/checkpoints".to_string(),
                "s3://b/flink/savepoints".to_string()
            )
        );
        assert_eq!(default_cluster_id("prod"), "/prod");
    }

    #[test]
    fn renders_topology_files_with_flinks_default_ports() {
        let files = render(&spec(3)).unwrap();
        let zoo = file(&files, "conf/zoo.cfg");
        assert!(zoo.contains("clientPort=2181\n"), "{zoo}");
        assert!(zoo.contains("server.1=flink-1:2888:3888\nserver.2=flink-2:2888:3888\nserver.3=flink-3:2888:3888\n"), "{zoo}");
        assert!(
            file(&files, "conf/masters").ends_with("flink-1:8081\nflink-2:8081\n"),
            "{files:?}"
        );
        assert!(file(&files, "conf/workers").ends_with("flink-1\nflink-2\nflink-3\n"));
        assert!(file(&files, "conf/log4j.properties").contains("appender.main"));
    }

    #[test]
    fn config_yaml_reads_back_with_ha_keys() {
        let files = render(&spec(3)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.yaml");
        std::fs::write(&p, file(&files, "conf/config.yaml")).unwrap();
        let cfg =
            crate::flinkconf::FlinkConfig::load(&p, crate::flinkconf::ConfFormat::Yaml).unwrap();
        let get = |k: &str| cfg.get_str(k).map(str::to_string);
        assert_eq!(get("high-availability.type").as_deref(), Some("zookeeper"));
        assert_eq!(
            get("high-availability.storageDir").as_deref(),
            Some("hdfs:///flink/ha")
        );
        assert_eq!(
            get("high-availability.cluster-id").as_deref(),
            Some("/prod")
        );
        assert_eq!(
            get("execution.checkpointing.dir").as_deref(),
            Some("hdfs:///flink/checkpoints")
        );
        assert_eq!(
            get("execution.checkpointing.savepoint-dir").as_deref(),
            Some("hdfs:///flink/savepoints")
        );
        assert_eq!(
            get("high-availability.jobmanager.port").as_deref(),
            Some("6123")
        );
        assert!(get("env.java.opts.all").unwrap().contains("--add-opens"));
    }

    #[test]
    fn inventory_parses_and_carries_ssh_roots_and_distribution() {
        let mut s = spec(3);
        s.hosts[2].ssh_port = Some(2222);
        s.ssh.user = Some("flink".into());
        s.install_root = "/srv/{host}/flink".into();
        s.sha512 = Some("AB".repeat(64));
        s.distribution = Distribution::Path("/dist/flink 2.1.0.tgz".into());
        let files = render(&s).unwrap();
        let inv = crate::core::inventory::Inventory::parse(
            file(&files, "flinkha.yaml"),
            Path::new("flinkha.yaml"),
        )
        .unwrap();
        assert_eq!(inv.cluster, "prod");
        assert_eq!(inv.conf_dir, Path::new("conf"));
        assert_eq!(inv.ssh.user.as_deref(), Some("flink"));
        assert_eq!(inv.hosts["flink-3"].ssh.port, Some(2222));
        assert_eq!(
            inv.hosts["flink-2"].install_root.as_deref(),
            Some("/srv/flink-2/flink")
        );
        let d = inv.flink.distribution.unwrap();
        assert_eq!(d.path.as_deref(), Some(Path::new("/dist/flink 2.1.0.tgz")));
        assert_eq!(d.sha512.unwrap(), "ab".repeat(64));
    }

    #[test]
    fn jobmanagers_on_one_machine_get_their_own_rpc_port() {
        let mut s = spec(3);
        for (i, h) in s.hosts.iter_mut().enumerate() {
            h.address = format!("127.0.1.{}", i + 1);
        }
        let files = render(&s).unwrap();
        let inv = crate::core::inventory::Inventory::parse(
            file(&files, "flinkha.yaml"),
            Path::new("flinkha.yaml"),
        )
        .unwrap();
        assert!(inv.hosts["flink-1"].flink.is_empty());
        assert_eq!(
            inv.hosts["flink-2"].flink["high-availability.jobmanager.port"],
            yaml_serde::Value::from(6124)
        );
        assert!(
            render(&spec(3)).unwrap()[0]
                .content
                .find("high-availability.jobmanager.port")
                .is_none()
        );
    }

    #[test]
    fn refuses_specs_naming_the_flag() {
        let msg = |s: InitSpec| render(&s).unwrap_err().to_string();
        let mut s = spec(3);
        s.zookeeper.push("nope".into());
        assert!(msg(s).starts_with("--zookeeper: `nope` is not one of the hosts"));
        let mut s = spec(3);
        s.jobmanagers.clear();
        assert!(msg(s).starts_with("--jobmanagers:"));
        let mut s = spec(3);
        s.ha_storage_dir = "flink/ha".into();
        assert!(msg(s).starts_with("--ha-storage `flink/ha`"));
        let mut s = spec(3);
        s.flink_version = Version::new(1, 18, 1);
        assert!(msg(s).contains("1.19"));
        let mut s = spec(3);
        s.hosts[1].address = "10.0.0.1".into();
        assert!(msg(s).contains("same address"));
        let mut s = spec(1);
        s.sha512 = Some("abc".into());
        assert!(msg(s).starts_with("--sha512"));
        assert!(matches!(
            render(&InitSpec {
                hosts: vec![],
                ..spec(1)
            }),
            Err(Error::Usage { .. })
        ));
    }

    #[test]
    fn parses_host_flags() {
        let h = InitHost::parse("flink-1=10.0.0.1:2222").unwrap();
        assert_eq!(
            (h.name.as_str(), h.address.as_str(), h.ssh_port),
            ("flink-1", "10.0.0.1", Some(2222))
        );
        let h = InitHost::parse("zk=[2001:db8::1]:22").unwrap();
        assert_eq!((h.address.as_str(), h.ssh_port), ("2001:db8::1", Some(22)));
        let h = InitHost::parse("db1.example.com").unwrap();
        assert_eq!(h.address, "db1.example.com");
        assert!(InitHost::parse("a=b:0").is_err());
        assert!(InitHost::parse("a b=c").is_err());
        assert_eq!(to_uri("--x", "/data/ha").unwrap(), "file:///data/ha");
        assert!(to_uri("--x", "c:/x").is_err());
        assert_eq!(to_uri("--x", "s3://b/ha").unwrap(), "s3://b/ha");
    }

    #[test]
    fn yaml_scalars_are_quoted_only_when_needed() {
        assert_eq!(yaml_str("hdfs:///flink/ha"), "hdfs:///flink/ha");
        assert_eq!(yaml_str("/prod"), "/prod");
        assert_eq!(yaml_str("true"), "\"true\"");
        assert_eq!(yaml_str("a: b"), "\"a: b\"");
        assert_eq!(yaml_str("x #y"), "\"x #y\"");
        assert_eq!(yaml_str("123"), "\"123\"");
    }

    #[test]
    fn staged_dir_passes_the_offline_checks_and_commit_keeps_a_backup() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("cluster");
        let files = render(&spec(3)).unwrap();
        let staged = stage(&target, &files).unwrap();
        let errors: Vec<_> = staged.findings.iter().filter(|f| f.is_error()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            staged.findings.iter().all(|f| f.file.starts_with(&target)),
            "{:?}",
            staged.findings
        );
        assert!(!target.exists(), "staging must not touch the target");
        let done = staged.commit(false).unwrap();
        assert!(done.backup.is_none());
        assert!(target.join("conf/zoo.cfg").is_file());
        // Non-empty now: refused without force, replaced with a backup with it.
        let staged = stage(&target, &files).unwrap();
        assert!(matches!(staged.commit(false), Err(Error::Refused { .. })));
        std::fs::write(target.join("conf/marker"), "old").unwrap();
        let done = stage(&target, &files).unwrap().commit(true).unwrap();
        let backup = done.backup.unwrap();
        assert_eq!(
            std::fs::read_to_string(backup.join("conf/marker")).unwrap(),
            "old"
        );
        assert!(!target.join("conf/marker").exists());
        // An empty target (say the working directory) is filled, not replaced.
        let empty = root.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let ino = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
        let before = ino(&empty);
        stage(&empty, &files).unwrap().commit(false).unwrap();
        assert_eq!(ino(&empty), before);
        assert!(empty.join("flinkha.yaml").is_file() && empty.join("conf/masters").is_file());
        // No temp dirs left behind.
        let left: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".flinkha-init-"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
