//! The cluster model: the inventory resolved against Flink's conf dir.
//!
//! [`Cluster::resolve`] is the one place where `masters`, `workers`, `zoo.cfg` and the
//! inventory's hosts meet. Everything after it works on typed hosts and instances.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use super::error::{Error, Result};
use super::inventory::{self, Inventory};
use crate::flinkconf::{ConfDir, Finding, Severity, Version};
use crate::rest::jobs::ClaimMode;
use crate::rest::{RestClient, RestError, TlsFiles};
use crate::transport::{HostKeyPolicy, SshSettings};

/// A daemon role, named as Flink's scripts name the daemon (`flink-daemon.sh`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A ZooKeeper quorum peer (`bin/zookeeper.sh`, daemon `zookeeper`).
    ZooKeeper,
    /// A JobManager (`bin/jobmanager.sh`, daemon `standalonesession`).
    JobManager,
    /// A TaskManager (`bin/taskmanager.sh`, daemon `taskexecutor`).
    TaskManager,
}

impl Role {
    /// The `$DAEMON` name flink-daemon.sh uses in pid and log file names.
    pub fn daemon(self) -> &'static str {
        match self {
            Role::ZooKeeper => "zookeeper",
            Role::JobManager => "standalonesession",
            Role::TaskManager => "taskexecutor",
        }
    }

    /// The script under `bin/` that starts this role.
    pub fn script(self) -> &'static str {
        match self {
            Role::ZooKeeper => "zookeeper.sh",
            Role::JobManager => "jobmanager.sh",
            Role::TaskManager => "taskmanager.sh",
        }
    }

    /// Operator-facing name.
    pub fn label(self) -> &'static str {
        match self {
            Role::ZooKeeper => "ZooKeeper",
            Role::JobManager => "JobManager",
            Role::TaskManager => "TaskManager",
        }
    }

    /// Roles in start order (stop is the reverse).
    pub const START_ORDER: [Role; 3] = [Role::ZooKeeper, Role::JobManager, Role::TaskManager];
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// How flinkha reaches a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TransportKind {
    /// SSH with the host's [`SshSettings`].
    Ssh,
    /// This machine, without SSH.
    Local,
}

/// One host of the inventory.
#[derive(Debug, Clone, Serialize)]
pub struct Host {
    /// Inventory name.
    pub name: String,
    /// Address to connect to and to bind/advertise Flink daemons on.
    pub address: String,
    /// Install root on the host.
    pub install_root: String,
    /// Transport.
    pub transport: TransportKind,
    /// SSH settings (defaults merged with per-host overrides).
    #[serde(skip)]
    pub ssh: SshSettings,
    /// Per-host Flink keys from the inventory, as flat `key`, `value` strings.
    pub flink_overrides: Vec<(String, String)>,
}

impl Host {
    /// This host with its SSH command timeout raised to at least `min`, for one command that
    /// is known to take long (an unpack, a download, a stop that waits for its own timeout).
    pub fn with_command_timeout_at_least(&self, min: Duration) -> Host {
        let mut h = self.clone();
        h.ssh.command_timeout = h.ssh.command_timeout.max(min);
        h
    }
}

/// One deployment of Flink on the hosts: the runtime layout its daemons use. The hosts,
/// roles, addresses and SSH settings are the cluster's topology; the deployment says where
/// its distribution link, conf dir, log, pid, tmp and ZooKeeper data dirs are, and which
/// `FLINK_IDENT_STRING` its daemons get (so their pid and log files are its own). The
/// primary deployment lives at the install root itself; another one (a shadow copy, on the
/// same hosts) lives under `deployments/<name>/`. Installed distributions
/// (`<root>/flink-<version>/`) and flinkha's state (`<root>/.flinkha/`) are shared by all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Deployment {
    /// [`Deployment::PRIMARY`] or a shadow's name.
    pub name: String,
    /// Its directory relative to the install root (`""` for the primary deployment).
    pub base: String,
    /// Flink keys this deployment sets on each host (by inventory host name), winning over
    /// the conf dir and the inventory's per-host `flink:` keys: what a shadow copy must have
    /// of its own (`high-availability.cluster-id`, `high-availability.storageDir`, REST, HA
    /// RPC, blob and TaskManager ports). Empty for the primary deployment.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub keys: BTreeMap<String, BTreeMap<String, String>>,
}

impl Deployment {
    /// The name of the deployment at the install root itself.
    pub const PRIMARY: &'static str = "primary";

    /// The deployment at the install root itself.
    pub fn primary() -> Deployment {
        Deployment {
            name: Self::PRIMARY.into(),
            base: String::new(),
            keys: BTreeMap::new(),
        }
    }

    /// The deployment at the install root itself (which also owns the ZooKeeper quorum's
    /// daemons: the quorum is the topology's, shared by every deployment).
    pub fn is_primary(&self) -> bool {
        self.base.is_empty()
    }

    /// A deployment under `deployments/<name>/` of every install root.
    pub fn named(name: &str) -> Deployment {
        Deployment {
            name: name.into(),
            base: format!("deployments/{name}"),
            keys: BTreeMap::new(),
        }
    }

    /// `rel` inside the deployment's directory, relative to the install root.
    pub fn rel(&self, rel: &str) -> String {
        if self.base.is_empty() {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.base)
        }
    }
}

/// Paths of one deployment under a host's install root. Layout (primary deployment):
/// `flink-<version>/` (unpacked distributions, shared), `current -> flink-<version>`, `conf/`
/// (`FLINK_CONF_DIR`), `log/` (`FLINK_LOG_DIR`), `run/` (`FLINK_PID_DIR`), `zookeeper/`
/// (ZooKeeper dataDir unless zoo.cfg sets one), `tmp/` (`io.tmp.dirs`), `files/` (extra
/// files), `.flinkha/` (staging, backups, active deployment; shared). Another deployment has
/// its own `current`, `conf/`, `log/`, `run/`, `zookeeper/` and `tmp/` under
/// `deployments/<name>/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostPaths {
    /// Install root.
    pub root: String,
    /// The deployment's directory relative to the root (`""`: the root itself).
    pub base: String,
}

impl HostPaths {
    /// `<root>/<rel>`.
    pub fn join(&self, rel: &str) -> String {
        format!("{}/{}", self.root.trim_end_matches('/'), rel)
    }
    /// `<root>/<deployment>/<rel>`.
    fn own(&self, rel: &str) -> String {
        if self.base.is_empty() {
            self.join(rel)
        } else {
            self.join(&format!("{}/{rel}", self.base))
        }
    }
    /// `<root>/flink-<version>` (shared by the deployments).
    pub fn dist(&self, version: &Version) -> String {
        self.join(&format!("flink-{version}"))
    }
    /// What the deployment's `current` link points at for `version`: `flink-<version>`
    /// relative to the link's directory (`../../flink-<version>` under `deployments/<name>/`).
    pub fn current_target(&self, version: &Version) -> String {
        let up = if self.base.is_empty() {
            0
        } else {
            self.base.split('/').count()
        };
        format!("{}flink-{version}", "../".repeat(up))
    }
    /// The deployment's `current` link, the stable path its daemons run from.
    pub fn current(&self) -> String {
        self.own("current")
    }
    /// The deployment's conf dir (FLINK_CONF_DIR).
    pub fn conf(&self) -> String {
        self.own("conf")
    }
    /// The deployment's log dir (FLINK_LOG_DIR).
    pub fn log(&self) -> String {
        self.own("log")
    }
    /// The deployment's pid dir (FLINK_PID_DIR).
    pub fn run(&self) -> String {
        self.own("run")
    }
    /// The deployment's `io.tmp.dirs`.
    pub fn tmp(&self) -> String {
        self.own("tmp")
    }
    /// The deployment's ZooKeeper dataDir (unless zoo.cfg sets one).
    pub fn zookeeper(&self) -> String {
        self.own("zookeeper")
    }
    /// `<root>/.flinkha` (shared).
    pub fn state(&self) -> String {
        self.join(".flinkha")
    }
}

/// A ZooKeeper peer from `zoo.cfg` (`server.N=host:peer:leader[;[addr:]client]`).
#[derive(Debug, Clone, Serialize)]
pub struct ZkPeer {
    /// `myid`.
    pub id: u32,
    /// Inventory host name.
    pub host: String,
    /// Address clients connect to.
    pub client_address: String,
    /// Client port.
    pub client_port: u16,
    /// Quorum (peer) port.
    pub peer_port: u16,
    /// Leader election port.
    pub leader_port: u16,
}

/// A JobManager from `masters` (`host[:webui-port]`).
#[derive(Debug, Clone, Serialize)]
pub struct JobManager {
    /// Inventory host name.
    pub host: String,
    /// Address.
    pub address: String,
    /// REST / web UI port (`rest.port`), from `masters` or config (default 8081).
    pub rest_port: u16,
    /// The REST endpoint serves HTTPS (`security.ssl.rest.enabled: true`).
    pub https: bool,
}

impl JobManager {
    /// `http://address:port`, or `https://...` when [`JobManager::https`].
    pub fn rest_url(&self) -> String {
        format!(
            "{}://{}:{}",
            if self.https { "https" } else { "http" },
            bracket(&self.address),
            self.rest_port
        )
    }
}

/// A TaskManager from `workers`.
#[derive(Debug, Clone, Serialize)]
pub struct TaskManager {
    /// Inventory host name.
    pub host: String,
    /// Address.
    pub address: String,
}

/// ZooKeeper HA settings, read from the Flink config.
#[derive(Debug, Clone, Serialize)]
pub struct HaSettings {
    /// `high-availability.type` is `zookeeper`.
    pub enabled: bool,
    /// Connect string (`high-availability.zookeeper.quorum`, or derived from zoo.cfg).
    pub quorum: String,
    /// `high-availability.zookeeper.path.root` (default `/flink`).
    pub root: String,
    /// `high-availability.cluster-id` (default `/default`) of the deployment this cluster
    /// value is for.
    pub cluster_id: String,
    /// The cluster-id the conf dir sets: the topology's, the same for every deployment
    /// (flinkha's own znodes, the lock and journal mirrors, live under it).
    pub base_cluster_id: String,
    /// `high-availability.zookeeper.client.session-timeout` (default 60000 ms).
    pub session_timeout: Duration,
    /// The SASL login and ACL mode of every session flinkha opens to the quorum (from the
    /// Flink configuration and the inventory's `zookeeper:`; see [`crate::zk::security`]).
    pub security: crate::zk::ZkSecurity,
}

impl HaSettings {
    /// [`crate::zk::ConnectOptions`] with their default timeouts and this cluster's
    /// [`HaSettings::security`]: every ZooKeeper session for a cluster starts from here
    /// (override the timeouts or `readonly` with `..ha.connect_options()`).
    pub fn connect_options(&self) -> crate::zk::ConnectOptions {
        crate::zk::ConnectOptions {
            security: self.security.clone(),
            ..Default::default()
        }
    }

    /// Connect to [`HaSettings::quorum`] with the timeouts and `readonly` of `options` and
    /// always this cluster's [`HaSettings::security`] (whatever `options.security` says).
    ///
    /// # Errors
    /// As [`crate::zk::connect_with`].
    pub async fn connect(
        &self,
        options: &crate::zk::ConnectOptions,
    ) -> Result<crate::zk::Client, crate::zk::ZkError> {
        let options = crate::zk::ConnectOptions {
            security: self.security.clone(),
            ..options.clone()
        };
        crate::zk::connect_with(&self.quorum, &options).await
    }

    /// The HA znode path, `<root>/<cluster-id>` (Flink's ZooKeeperUtils joins them this way).
    pub fn path(&self) -> String {
        crate::zk::ha_path(&self.root, &self.cluster_id)
    }
}

/// An extra file to distribute.
#[derive(Debug, Clone, Serialize)]
pub struct ExtraFile {
    /// Local path.
    pub src: PathBuf,
    /// Path relative to the install root.
    pub dest: String,
    /// Hosts it goes to.
    pub hosts: Vec<String>,
}

/// A job declared in the inventory (`jobs.<name>`): what `flinkha run <name>` submits.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DeclaredJob {
    /// The name under `jobs:` (not necessarily the Flink job name).
    pub name: String,
    /// The jar, resolved against the inventory file's directory (may not exist yet: checked
    /// when the job is run).
    pub jar: PathBuf,
    /// Main class (`None`: the jar's manifest).
    pub entry_class: Option<String>,
    /// Program arguments.
    pub args: Vec<String>,
    /// Parallelism (`None`: the cluster's `parallelism.default`).
    pub parallelism: Option<u32>,
    /// Savepoint target directory (`None`: `execution.checkpointing.savepoint-dir`).
    pub savepoint_dir: Option<String>,
    /// Claim mode on restore (`None`: Flink's default, no-claim).
    pub claim_mode: Option<ClaimMode>,
    /// Allow savepoint state that maps to no operator.
    pub allow_non_restored_state: bool,
}

/// Distribution source.
#[derive(Debug, Clone, Serialize)]
pub enum DistSource {
    /// Local tarball.
    Path(PathBuf),
    /// HTTP(S) URL.
    Url(String),
}

/// The resolved cluster.
#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    /// Cluster name (inventory `cluster`).
    pub name: String,
    /// The inventory file.
    pub inventory_path: PathBuf,
    /// Flink version.
    pub version: Version,
    /// The deployment whose daemons this cluster value starts, stops and probes.
    pub deployment: Deployment,
    /// The loaded conf dir.
    #[serde(skip)]
    pub conf: ConfDir,
    /// Distribution source and expected SHA-512, when configured.
    pub distribution: Option<(DistSource, Option<String>)>,
    /// Hosts in inventory order (sorted by name).
    pub hosts: Vec<Host>,
    /// ZooKeeper peers managed by flinkha (empty: external quorum).
    pub zookeeper: Vec<ZkPeer>,
    /// JobManagers.
    pub jobmanagers: Vec<JobManager>,
    /// TaskManagers.
    pub taskmanagers: Vec<TaskManager>,
    /// HA settings.
    pub ha: HaSettings,
    /// Extra files.
    pub files: Vec<ExtraFile>,
    /// Hosts worked on at once.
    pub parallelism: usize,
    /// How long start waits for each role to become healthy.
    pub start_timeout: Duration,
    /// How long stop waits after SIGTERM before SIGKILL.
    pub stop_timeout: Duration,
    /// Sync backups kept per host (inventory `keep_backups`, default 10).
    pub keep_backups: usize,
    /// Replaced distributions kept per host and version (inventory
    /// `keep_replaced_distributions`, default 1).
    pub keep_replaced: usize,
    /// How long a distribution download may receive nothing (inventory
    /// `timeouts.download_stall`, default 60 s); also its connect timeout.
    pub download_stall: Duration,
    /// Who downloads a distribution URL (inventory `install.fetch`, default local).
    pub install_fetch: inventory::FetchMode,
    /// TLS files of the REST client (inventory `rest:`).
    pub rest_tls: TlsFiles,
    /// Jobs declared in the inventory, by name.
    pub jobs: Vec<DeclaredJob>,
    /// Findings made while resolving (hosts missing from the inventory, ...).
    pub findings: Vec<Finding>,
}

impl Cluster {
    /// The URL every host downloads itself with `install.fetch: remote`; `None` with
    /// `install.fetch: local` or without a distribution URL (a `path:` with `remote` is
    /// refused when the inventory is loaded).
    pub fn remote_fetch_url(&self) -> Option<&str> {
        match (&self.install_fetch, &self.distribution) {
            (inventory::FetchMode::Remote, Some((DistSource::Url(u), _))) => Some(u),
            _ => None,
        }
    }

    /// Load the inventory at `path` and the conf dir it names, and resolve them.
    ///
    /// Hosts referred to by `masters`, `workers` or `zoo.cfg` that are not in the inventory
    /// (by name or address) become error findings in [`Cluster::findings`], not hard errors,
    /// so `config check` can list them all.
    ///
    /// # Errors
    /// Inventory or conf dir unreadable or malformed.
    pub fn load(path: &Path) -> Result<Cluster> {
        let inv = Inventory::load(path)?;
        Self::resolve(path, &inv)
    }

    /// Load the cluster as it is (or was) on Flink `version`: the same inventory and conf
    /// dir, the conf read with that version's rules. The inventory's distribution is kept
    /// only when `version` is the inventory's `flink.version` (the desired one); an older
    /// version is already installed on the hosts.
    ///
    /// # Errors
    /// As [`Cluster::load`].
    pub fn load_for_version(path: &Path, version: &Version) -> Result<Cluster> {
        let mut inv = Inventory::load(path)?;
        if inv.flink.version.parse::<Version>().ok() != Some(*version) {
            inv.flink.version = version.to_string();
            inv.flink.distribution = None;
        }
        Self::resolve(path, &inv)
    }

    /// Resolve a parsed inventory (see [`Cluster::load`]).
    ///
    /// # Errors
    /// As [`Cluster::load`].
    pub fn resolve(path: &Path, inv: &Inventory) -> Result<Cluster> {
        let base = path.parent().unwrap_or(Path::new("."));
        let base = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base
        };
        let version: Version = inv.flink.version.parse().map_err(|e| Error::Inventory {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: format!(
                "flink.version: `{}` is not a Flink version ({e}); write e.g. `2.1.0`",
                inv.flink.version
            ),
        })?;
        let conf_dir = base.join(&inv.conf_dir);
        let conf = ConfDir::load(&conf_dir, &version)?;
        let mut findings = Vec::new();

        let defaults = ssh_settings(path, &SshSettings::default(), &inv.ssh)?;
        let parallelism = inv.ssh.parallelism.unwrap_or(32).max(1);
        let mut hosts = Vec::new();
        for (name, h) in &inv.hosts {
            let ssh = ssh_settings(path, &defaults, &h.ssh)?;
            let transport = match h.transport.as_deref() {
                None | Some("ssh") => TransportKind::Ssh,
                Some("local") => TransportKind::Local,
                Some(other) => {
                    return Err(Error::Inventory {
                        path: path.to_path_buf(),
                        line: None,
                        column: None,
                        message: format!(
                            "hosts.{name}.transport: `{other}` is not a transport; write `ssh` or `local`"
                        ),
                    });
                }
            };
            let flink_overrides = h
                .flink
                .iter()
                .map(|(k, v)| (k.clone(), yaml_scalar_string(v)))
                .collect();
            hosts.push(Host {
                name: name.clone(),
                address: h.address.clone(),
                install_root: h
                    .install_root
                    .clone()
                    .unwrap_or_else(|| inv.install_root.clone()),
                transport,
                ssh,
                flink_overrides,
            });
        }

        let lookup = |needle: &str| -> Option<&Host> {
            hosts
                .iter()
                .find(|h| h.name == needle)
                .or_else(|| hosts.iter().find(|h| h.address == needle))
        };
        let missing = |file: &Path, line: usize, who: &str, host: &str| Finding {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line: Some(line),
            message: format!("{who} host `{host}` is not in the inventory"),
            hint: Some(format!(
                "add `{host}:` with its `address:` under `hosts:` in {}",
                path.display()
            )),
            id: Some("host-not-in-inventory".into()),
            host: None,
        };

        let default_rest_port = conf
            .config
            .get_str("rest.port")
            .and_then(|p| p.parse().ok())
            .unwrap_or(8081);
        let rest_https = conf
            .config
            .get_str("security.ssl.rest.enabled")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let mut jobmanagers = Vec::new();
        if let Some((file, entries)) = &conf.masters {
            for m in entries {
                match lookup(&m.host) {
                    Some(h) => jobmanagers.push(JobManager {
                        host: h.name.clone(),
                        address: h.address.clone(),
                        rest_port: m.webui_port.unwrap_or(default_rest_port),
                        https: rest_https,
                    }),
                    None => findings.push(missing(file, m.line, "JobManager", &m.host)),
                }
            }
        }
        let mut taskmanagers = Vec::new();
        if let Some((file, entries)) = &conf.workers {
            for w in entries {
                match lookup(&w.host) {
                    Some(h) => taskmanagers.push(TaskManager {
                        host: h.name.clone(),
                        address: h.address.clone(),
                    }),
                    None => findings.push(missing(file, w.line, "TaskManager", &w.host)),
                }
            }
        }
        let mut zookeeper = Vec::new();
        if let Some(zoo) = &conf.zoo_cfg {
            let default_client_port = zoo.client_port().unwrap_or(2181);
            for s in &zoo.servers {
                match lookup(&s.host) {
                    Some(h) => {
                        let (client_address, client_port) = match &s.client {
                            Some((Some(addr), port)) if addr != "0.0.0.0" => (addr.clone(), *port),
                            Some((_, port)) => (h.address.clone(), *port),
                            None => (h.address.clone(), default_client_port),
                        };
                        // A client address naming an inventory host resolves to its address.
                        let client_address: String = match lookup(&client_address) {
                            Some(named) => named.address.clone(),
                            None => client_address.to_string(),
                        };
                        zookeeper.push(ZkPeer {
                            id: s.id,
                            host: h.name.clone(),
                            client_address,
                            client_port,
                            peer_port: s.peer_port,
                            leader_port: s.leader_port,
                        })
                    }
                    None => findings.push(missing(&zoo.path, s.line, "ZooKeeper", &s.host)),
                }
            }
        }

        let cfg = &conf.config;
        let ha_type = cfg
            .get_str("high-availability.type")
            .or_else(|| cfg.get_str("high-availability"))
            .unwrap_or("NONE")
            .to_ascii_lowercase();
        let quorum = cfg
            .get_str("high-availability.zookeeper.quorum")
            .map(str::to_string)
            .unwrap_or_else(|| {
                zookeeper
                    .iter()
                    .map(|z| format!("{}:{}", bracket(&z.client_address), z.client_port))
                    .collect::<Vec<_>>()
                    .join(",")
            });
        let session_timeout_ms = cfg
            .get_str("high-availability.zookeeper.client.session-timeout")
            .and_then(parse_flink_duration_ms)
            .unwrap_or(60_000);
        let ha = HaSettings {
            enabled: ha_type == "zookeeper",
            quorum,
            root: cfg
                .get_str("high-availability.zookeeper.path.root")
                .unwrap_or("/flink")
                .to_string(),
            cluster_id: cfg
                .get_str("high-availability.cluster-id")
                .unwrap_or("/default")
                .to_string(),
            base_cluster_id: cfg
                .get_str("high-availability.cluster-id")
                .unwrap_or("/default")
                .to_string(),
            session_timeout: Duration::from_millis(session_timeout_ms),
            // Below, once the extra files are known.
            security: crate::zk::ZkSecurity::default(),
        };
        let mut ha = ha;

        let all_hosts: Vec<String> = hosts.iter().map(|h| h.name.clone()).collect();
        let mut files = Vec::new();
        for f in &inv.files {
            let src = base.join(&f.src);
            let dest = f.dest.clone().unwrap_or_else(|| {
                format!(
                    "files/{}",
                    f.src
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                )
            });
            let hosts_for = match &f.hosts {
                Some(list) => {
                    for h in list {
                        if lookup(h).is_none() {
                            return Err(Error::Inventory {
                                path: path.to_path_buf(),
                                line: None,
                                column: None,
                                message: format!(
                                    "files: `{}` names host `{h}` which is not under `hosts:`",
                                    f.src.display()
                                ),
                            });
                        }
                    }
                    list.clone()
                }
                None => all_hosts.clone(),
            };
            files.push(ExtraFile {
                src,
                dest,
                hosts: hosts_for,
            });
        }

        let distribution = match &inv.flink.distribution {
            None => None,
            Some(d) => {
                let source = match (&d.path, &d.url) {
                    (Some(p), None) => DistSource::Path(base.join(inventory::expand_home(p))),
                    (None, Some(u)) => DistSource::Url(u.clone()),
                    _ => {
                        return Err(Error::Inventory {
                            path: path.to_path_buf(),
                            line: None,
                            column: None,
                            message: "flink.distribution: give exactly one of `path:` or `url:`"
                                .into(),
                        });
                    }
                };
                let sha512 = match &d.sha512 {
                    None => None,
                    Some(s) => Some(sha512_digest(s).ok_or_else(|| Error::Inventory {
                        path: path.to_path_buf(),
                        line: None,
                        column: None,
                        message: format!(
                            "flink.distribution.sha512: {:?} is not a SHA-512 digest (128 hex \
                             digits, as in the `.sha512` file Apache publishes beside the tarball)",
                            truncate(s, 40)
                        ),
                    })?),
                };
                Some((source, sha512))
            }
        };

        let start_timeout = match &inv.timeouts.start {
            Some(t) => inventory::parse_duration(path, "timeouts.start", t)?,
            None => Duration::from_secs(180),
        };
        let stop_timeout = match &inv.timeouts.stop {
            Some(t) => inventory::parse_duration(path, "timeouts.stop", t)?,
            None => Duration::from_secs(60),
        };

        let download_stall = match &inv.timeouts.download_stall {
            Some(t) => inventory::parse_duration(path, "timeouts.download_stall", t)?,
            None => Duration::from_secs(60),
        };
        let install_fetch = inv.install.fetch.unwrap_or_default();
        if install_fetch == inventory::FetchMode::Remote
            && matches!(distribution, Some((DistSource::Path(_), _)))
        {
            return Err(Error::Inventory {
                path: path.to_path_buf(),
                line: None,
                column: None,
                message:
                    "install.fetch: remote makes every host download `flink.distribution.url` \
                          itself, but the distribution is a local `path:`: give its `url:`, or \
                          use `install.fetch: local` (the default) to upload the file"
                        .into(),
            });
        }

        ha.security = {
            let local =
                |p: &Option<PathBuf>| p.as_ref().map(|p| base.join(inventory::expand_home(p)));
            let jaas = local(&inv.zookeeper.jaas_file);
            let truststore = local(&inv.zookeeper.truststore);
            let keystore = local(&inv.zookeeper.keystore);
            let keytab = local(&inv.zookeeper.keytab);
            let krb5_conf = local(&inv.zookeeper.krb5_conf);
            // Files flinkha itself puts on the hosts, by their path there: the conf dir's
            // other files (`<root>/conf/<name>`) and the inventory's `files:`.
            let mut placed: Vec<(PathBuf, PathBuf)> = Vec::new();
            for h in &hosts {
                let p = HostPaths {
                    root: h.install_root.clone(),
                    base: String::new(),
                };
                for f in &conf.other_files {
                    if let Some(name) = f.file_name() {
                        placed.push((PathBuf::from(p.conf()).join(name), conf.dir.join(name)));
                    }
                }
                for f in files.iter().filter(|f| f.hosts.contains(&h.name)) {
                    placed.push((PathBuf::from(p.join(&f.dest)), f.src.clone()));
                }
            }
            jobmanagers_login(
                &JobManagerLogin {
                    cfg,
                    copies: crate::zk::security::LocalCopies {
                        conf_dir: &conf.dir,
                        placed: &placed,
                        jaas: jaas.as_deref(),
                        truststore: truststore.as_deref(),
                        keystore: keystore.as_deref(),
                        keytab: keytab.as_deref(),
                        krb5_conf: krb5_conf.as_deref(),
                    },
                    inventory: path,
                },
                &hosts,
                &jobmanagers,
                &mut findings,
            )
        };

        let jobs = declared_jobs(path, base, inv)?;
        let tls_path =
            |p: &Option<PathBuf>| p.as_ref().map(|p| base.join(inventory::expand_home(p)));
        let rest_tls = TlsFiles {
            ca_file: tls_path(&inv.rest.ca_file),
            client_cert: tls_path(&inv.rest.client_cert),
            client_key: tls_path(&inv.rest.client_key),
        };
        // A warning, not an error: only REST calls need them (sync and install still work).
        for (key, file) in [
            ("ca_file", &rest_tls.ca_file),
            ("client_cert", &rest_tls.client_cert),
            ("client_key", &rest_tls.client_key),
        ] {
            if let Some(f) = file.as_ref().filter(|f| !f.is_file()) {
                findings.push(
                    Finding::warning(
                        path,
                        None,
                        format!(
                            "the REST TLS file {} (inventory `rest.{key}`) does not exist",
                            f.display()
                        ),
                        Some(
                            "every call to the JobManagers' REST API (jobs, savepoints, status) \
                             fails until it does: fix the path (relative paths are from the \
                             inventory's dir) or create the file"
                                .into(),
                        ),
                    )
                    .with_id("rest-tls-missing"),
                );
            }
        }

        Ok(Cluster {
            name: inv.cluster.clone(),
            inventory_path: path.to_path_buf(),
            version,
            deployment: Deployment::primary(),
            conf,
            distribution,
            hosts,
            zookeeper,
            jobmanagers,
            taskmanagers,
            ha,
            files,
            parallelism,
            start_timeout,
            stop_timeout,
            download_stall,
            install_fetch,
            keep_backups: inv.keep_backups.unwrap_or(10).max(1),
            keep_replaced: inv.keep_replaced_distributions.unwrap_or(1),
            rest_tls,
            jobs,
            findings,
        })
    }

    /// The host named `name`.
    ///
    /// # Errors
    /// [`Error::UnknownHost`] listing the known names.
    pub fn host(&self, name: &str) -> Result<&Host> {
        self.hosts
            .iter()
            .find(|h| h.name == name || h.address == name)
            .ok_or_else(|| Error::UnknownHost {
                name: name.to_string(),
                inventory: self.inventory_path.clone(),
                known: self
                    .hosts
                    .iter()
                    .map(|h| h.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Roles that run on `host`, in start order.
    pub fn roles_on(&self, host: &str) -> Vec<Role> {
        let mut roles = Vec::new();
        if self.zookeeper.iter().any(|z| z.host == host) {
            roles.push(Role::ZooKeeper);
        }
        if self.jobmanagers.iter().any(|j| j.host == host) {
            roles.push(Role::JobManager);
        }
        if self.taskmanagers.iter().any(|t| t.host == host) {
            roles.push(Role::TaskManager);
        }
        roles
    }

    /// Hosts that run `role`, in inventory order.
    pub fn hosts_with(&self, role: Role) -> Vec<&Host> {
        self.hosts
            .iter()
            .filter(|h| self.roles_on(&h.name).contains(&role))
            .collect()
    }

    /// The deployment's paths under `host`'s install root.
    /// This cluster on deployment `d`: its keys applied to each host's per-host Flink keys
    /// (so they are rendered into its conf), its REST ports and cluster-id taken over.
    pub fn with_deployment(mut self, d: Deployment) -> Cluster {
        for h in &mut self.hosts {
            if let Some(keys) = d.keys.get(&h.name) {
                for (k, v) in keys {
                    h.flink_overrides.retain(|(x, _)| x != k);
                    h.flink_overrides.push((k.clone(), v.clone()));
                }
            }
        }
        for jm in &mut self.jobmanagers {
            if let Some(p) = d
                .keys
                .get(&jm.host)
                .and_then(|k| k.get("rest.port"))
                .and_then(|p| p.parse().ok())
            {
                jm.rest_port = p;
            }
        }
        if let Some(id) = d
            .keys
            .values()
            .find_map(|k| k.get("high-availability.cluster-id"))
        {
            self.ha.cluster_id = id.clone();
        }
        self.deployment = d;
        self
    }

    /// The paths `role`'s daemon uses on `host`: the deployment's, except for ZooKeeper,
    /// whose servers belong to the topology and always run from the primary deployment's
    /// layout (a shadow copy shares the quorum).
    pub fn role_paths(&self, host: &Host, role: Role) -> HostPaths {
        if role == Role::ZooKeeper {
            HostPaths {
                root: host.install_root.clone(),
                base: String::new(),
            }
        } else {
            self.paths(host)
        }
    }

    /// `FLINK_IDENT_STRING` of `role`'s daemon on `host` (see [`Cluster::role_paths`]).
    pub fn role_ident(&self, host: &Host, role: Role) -> String {
        if role == Role::ZooKeeper || self.deployment.is_primary() {
            format!("{}-{}", self.name, host.name)
        } else {
            format!("{}-{}-{}", self.name, self.deployment.name, host.name)
        }
    }

    pub fn paths(&self, host: &Host) -> HostPaths {
        HostPaths {
            root: host.install_root.clone(),
            base: self.deployment.base.clone(),
        }
    }

    /// `FLINK_IDENT_STRING` for this deployment's daemons on `host`: it names pid and log
    /// files (`<cluster>-<host>` for the primary deployment, `<cluster>-<deployment>-<host>`
    /// for another).
    pub fn ident(&self, host: &Host) -> String {
        if self.deployment.name == Deployment::PRIMARY {
            format!("{}-{}", self.name, host.name)
        } else {
            format!("{}-{}-{}", self.name, self.deployment.name, host.name)
        }
    }

    /// Per-instance pid file, as flink-daemon.sh writes it:
    /// `$FLINK_PID_DIR/flink-$FLINK_IDENT_STRING-$DAEMON.pid`.
    pub fn pid_file(&self, host: &Host, role: Role) -> String {
        format!(
            "{}/flink-{}-{}.pid",
            self.role_paths(host, role).run(),
            self.role_ident(host, role),
            role.daemon()
        )
    }

    /// ZooKeeper peer on `host`, if any.
    pub fn zk_peer_on(&self, host: &str) -> Option<&ZkPeer> {
        self.zookeeper.iter().find(|z| z.host == host)
    }

    /// A REST client for the JobManager at `url` (from the `rest_server` znode or
    /// [`JobManager::rest_url`]) with the inventory's TLS files and a per-request `timeout`.
    ///
    /// # Errors
    /// [`RestError::TlsFile`] naming the file when a TLS file can't be read or is not PEM.
    pub fn rest_client(&self, url: &str, timeout: Duration) -> Result<RestClient, RestError> {
        RestClient::with_tls(url, timeout, &self.rest_tls)
    }

    /// The job declared under `jobs:` as `name`, if any.
    pub fn declared_job(&self, name: &str) -> Option<&DeclaredJob> {
        self.jobs.iter().find(|j| j.name == name)
    }

    /// The error-level findings of resolution.
    pub fn errors(&self) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.is_error()).collect()
    }
}

/// Put IPv6 literals in brackets for `host:port` forms.
pub fn bracket(address: &str) -> String {
    if address.contains(':') && !address.starts_with('[') {
        format!("[{address}]")
    } else {
        address.to_string()
    }
}

/// Parse a Flink duration value (`6000` = ms, or `6 s`, `6000 ms`, `1 min`) into ms.
/// Flink's TimeUtils accepts a number with an optional unit; a bare number is milliseconds.
/// Values beyond `u64::MAX` ms saturate there.
pub fn parse_flink_duration_ms(text: &str) -> Option<u64> {
    let t = text.trim();
    if let Ok(n) = t.parse::<u64>() {
        return Some(n);
    }
    let split = t.find(|c: char| !c.is_ascii_digit())?;
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().ok()?;
    let ms = match unit.trim() {
        "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => n,
        "s" | "sec" | "secs" | "second" | "seconds" => n.saturating_mul(1000),
        "min" | "m" | "minute" | "minutes" => n.saturating_mul(60_000),
        "h" | "hour" | "hours" => n.saturating_mul(3_600_000),
        _ => return None,
    };
    Some(ms)
}

/// Resolve the inventory's `jobs:`: jars against `base` (the inventory's directory), claim
/// modes parsed.
///
/// # Errors
/// [`Error::Inventory`] for an unknown claim mode or a parallelism of 0.
fn declared_jobs(path: &Path, base: &Path, inv: &Inventory) -> Result<Vec<DeclaredJob>> {
    let bad = |message: String| Error::Inventory {
        path: path.to_path_buf(),
        line: None,
        column: None,
        message,
    };
    let mut out = Vec::new();
    for (name, j) in &inv.jobs {
        let claim_mode = match j.claim_mode.as_deref() {
            None => None,
            Some(m) => Some(<ClaimMode as clap::ValueEnum>::from_str(m, true).map_err(|_| {
                bad(format!(
                    "jobs.{name}.claim_mode: `{m}` is not a claim mode; write `no-claim`, `claim` or `legacy`"
                ))
            })?),
        };
        if j.parallelism == Some(0) {
            return Err(bad(format!(
                "jobs.{name}.parallelism: 0 is not a parallelism; write 1 or more, or leave it out"
            )));
        }
        out.push(DeclaredJob {
            name: name.clone(),
            jar: base.join(inventory::expand_home(&j.jar)),
            entry_class: j.entry_class.clone(),
            args: j.args.clone(),
            parallelism: j.parallelism,
            savepoint_dir: j.savepoint_dir.clone(),
            claim_mode,
            allow_non_restored_state: j.allow_non_restored_state,
        });
    }
    Ok(out)
}

fn yaml_scalar_string(v: &yaml_serde::Value) -> String {
    match v {
        yaml_serde::Value::String(s) => s.clone(),
        yaml_serde::Value::Bool(b) => b.to_string(),
        yaml_serde::Value::Number(n) => n.to_string(),
        yaml_serde::Value::Null => String::new(),
        other => yaml_serde::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

fn ssh_settings(path: &Path, base: &SshSettings, s: &inventory::SshSection) -> Result<SshSettings> {
    let mut out = base.clone();
    if let Some(u) = &s.user {
        out.user = u.clone();
    }
    if let Some(p) = s.port {
        out.port = p;
    }
    if let Some(f) = &s.identity_file {
        let f = inventory::expand_home(f);
        let base_dir = path.parent().unwrap_or(Path::new("."));
        out.identity_file = Some(if f.is_absolute() { f } else { base_dir.join(f) });
    }
    if let Some(a) = s.agent {
        out.use_agent = a;
    }
    if let Some(k) = &s.known_hosts {
        let k = inventory::expand_home(k);
        let base_dir = path.parent().unwrap_or(Path::new("."));
        out.known_hosts = if k.is_absolute() { k } else { base_dir.join(k) };
    }
    if let Some(p) = &s.host_key_policy {
        out.host_key_policy = match p.as_str() {
            "strict" => HostKeyPolicy::Strict,
            "accept-new" => HostKeyPolicy::AcceptNew,
            other => {
                return Err(Error::Inventory {
                    path: path.to_path_buf(),
                    line: None,
                    column: None,
                    message: format!(
                        "ssh.host_key_policy: `{other}` is not a policy; write `strict` or `accept-new`"
                    ),
                });
            }
        };
    }
    if let Some(t) = &s.connect_timeout {
        out.connect_timeout = inventory::parse_duration(path, "ssh.connect_timeout", t)?;
    }
    if let Some(t) = &s.command_timeout {
        out.command_timeout = inventory::parse_duration(path, "ssh.command_timeout", t)?;
    }
    if let Some(t) = &s.keepalive_interval {
        out.keepalive_interval = inventory::parse_duration(path, "ssh.keepalive_interval", t)?;
    }
    Ok(out)
}

/// `s` as a lowercase SHA-512 hex digest, if it is one (128 hex digits, surrounding
/// whitespace ignored).
pub(crate) fn sha512_digest(s: &str) -> Option<String> {
    let d = s.trim().to_ascii_lowercase();
    (d.len() == 128 && d.bytes().all(|b| b.is_ascii_hexdigit())).then_some(d)
}

/// What [`jobmanagers_login`] reads a login from: the conf dir's Flink config, where the
/// files it names are read here (the inventory's `zookeeper.*` copies, the files flinkha
/// places) and the inventory file.
struct JobManagerLogin<'a> {
    cfg: &'a crate::flinkconf::FlinkConfig,
    copies: crate::zk::security::LocalCopies<'a>,
    inventory: &'a Path,
}

/// The ZooKeeper login flinkha uses: as the JobManagers log in. The conf dir's config gives
/// it ([`crate::zk::security::from_flink_config`], its findings added to `findings`); a
/// JobManager host whose inventory `flink:` keys change its JVM options or SASL settings
/// ([`crate::zk::security::for_host`]) logs in as those say. When the JobManagers differ,
/// the first of `masters` wins and `zk-login-differs` is added to `findings` (an error with
/// the creator ACL); findings of a per-host login name the host.
fn jobmanagers_login(
    at: &JobManagerLogin<'_>,
    hosts: &[Host],
    jobmanagers: &[JobManager],
    findings: &mut Vec<Finding>,
) -> crate::zk::security::ZkSecurity {
    let (security, found) = crate::zk::security::from_flink_config_with(at.cfg, &at.copies);
    findings.extend(found);
    // Per JobManager host: its login, and its Kerberos principal as configured
    // (`security.kerberos.login.principal`), also where the local keytab copy lacks it.
    let mut per_jm: Vec<(String, crate::zk::security::ZkSecurity, Option<String>)> = Vec::new();
    let principal_of = |cfg: &crate::flinkconf::FlinkConfig,
                        s: &crate::zk::security::ZkSecurity| {
        use crate::zk::kerberos::{Credentials, KerberosLogin, PRINCIPAL};
        match &s.sasl {
            crate::zk::Sasl::Kerberos(KerberosLogin {
                credentials: Credentials::Keytab { principal, .. },
                ..
            }) => Some(principal.clone()),
            crate::zk::Sasl::Unusable { .. } => {
                cfg.get_str(PRINCIPAL).map(|p| p.trim().to_string())
            }
            _ => None,
        }
    };
    for jm in jobmanagers {
        if per_jm.iter().any(|(h, _, _)| *h == jm.host) {
            continue;
        }
        let Some(h) = hosts.iter().find(|h| h.name == jm.host) else {
            continue;
        };
        let (own, principal) = match crate::zk::security::for_host(
            at.cfg,
            &h.flink_overrides,
            at.inventory,
        ) {
            None => (security.clone(), principal_of(at.cfg, &security)),
            Some(c) => {
                let (s, found) = crate::zk::security::from_flink_config_with(&c, &at.copies);
                let first = per_jm.is_empty();
                findings.extend(found.into_iter().map(|mut f| {
                    f.message = format!("hosts.{}.flink: {}", h.name, f.message);
                    f.host = Some(h.name.clone());
                    // Per-host keytabs: flinkha logs in as the first JobManager only, so the
                    // local copy need not hold the other hosts' principals.
                    if !first && f.id.as_deref().is_some_and(|i| i.starts_with("zk-kerberos-")) {
                        f.severity = Severity::Warning;
                        f.message.push_str(" (flinkha logs in as the first JobManager of `masters` does, so this does not stop it)");
                    }
                    f
                }));
                let principal = principal_of(&c, &s);
                (s, principal)
            }
        };
        per_jm.push((h.name.clone(), own, principal));
    }
    match per_jm.split_first() {
        None => security,
        Some(((first, s, _), rest)) => {
            let differ: Vec<&(String, crate::zk::security::ZkSecurity, Option<String>)> =
                rest.iter().filter(|(_, o, _)| o != s).collect();
            if !differ.is_empty() {
                let creator = per_jm
                    .iter()
                    .any(|(_, o, _)| o.acl == crate::zk::security::AclMode::Creator);
                let describe = |o: &crate::zk::security::ZkSecurity| {
                    o.summary()
                        .unwrap_or_else(|| "no SASL login, open ACL".into())
                };
                let mut f = Finding::warning(
                    at.inventory,
                    None,
                    format!(
                        "the JobManagers log in to ZooKeeper differently ({first}: {}; {}): flinkha logs in as {first}'s",
                        describe(s),
                        differ
                            .iter()
                            .map(|(h, o, _)| format!("{h}: {}", describe(o)))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                    Some(
                        "give every JobManager the same JVM options and SASL settings (remove the per-host keys from hosts.<name>.flink in the inventory)"
                            .into(),
                    ),
                )
                .with_id("zk-login-differs");
                // Per-host Kerberos principals of one service (`flink/jm1@R`, `flink/jm2@R`)
                // are one identity to servers with `kerberos.removeHostFromPrincipal=true`.
                let principals: Vec<Option<String>> =
                    per_jm.iter().map(|(_, _, p)| p.clone()).collect();
                let same_primary = crate::zk::kerberos::same_primary(&principals);
                if creator && same_primary {
                    f.message.push_str(
                        ": per-host principals of one service; with the creator ACL the servers need `kerberos.removeHostFromPrincipal=true` (zoo.cfg) for every JobManager to manage the others' znodes",
                    );
                } else if creator {
                    f.severity = Severity::Error;
                    f.message.push_str(
                        ": with the creator ACL one JobManager cannot manage the znodes the other created, so a failover fails",
                    );
                }
                findings.push(f);
            }
            s.clone()
        }
    }
}

/// The first `max` characters of `s`, with `...` when cut (char-safe).
fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flink_durations() {
        assert_eq!(parse_flink_duration_ms("6000"), Some(6000));
        assert_eq!(parse_flink_duration_ms("6 s"), Some(6000));
        assert_eq!(parse_flink_duration_ms("2min"), Some(120_000));
        assert_eq!(parse_flink_duration_ms("soon"), None);
        // Saturates instead of overflowing (a panic in debug builds, a wrap in release).
        assert_eq!(
            parse_flink_duration_ms("18446744073709551615 s"),
            Some(u64::MAX)
        );
        assert_eq!(
            parse_flink_duration_ms("307445734561825861 min"),
            Some(u64::MAX)
        );
        assert_eq!(
            parse_flink_duration_ms("5124095576030432 h"),
            Some(u64::MAX)
        );
    }

    fn load(jobs: &str) -> Result<Cluster> {
        load_with_distribution("", jobs)
    }

    /// [`load`] with `dist` (indented lines) as `flink.distribution:`, when not empty.
    fn load_with_distribution(dist: &str, jobs: &str) -> Result<Cluster> {
        let dir = tempfile::tempdir().unwrap();
        let conf = dir.path().join("conf");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::write(conf.join("config.yaml"), "parallelism:\n  default: 1\n").unwrap();
        std::fs::write(conf.join("masters"), "h1:8081\n").unwrap();
        std::fs::write(conf.join("workers"), "h1\n").unwrap();
        let inv = dir.path().join("flinkha.yaml");
        std::fs::write(
            &inv,
            format!(
                "conf_dir: conf\nflink:\n  version: 2.1.0\n{}hosts:\n  h1:\n    address: 127.0.0.1\n{jobs}",
                if dist.is_empty() { String::new() } else { format!("  distribution:\n{dist}") }
            ),
        )
        .unwrap();
        Cluster::load(&inv)
    }

    /// Two JobManagers (h1, h2); `sections(dir)` gives the lines each host's inventory
    /// section adds (the JAAS files are in `dir`). The conf dir's JVM options name
    /// `dir/jaas-a.conf` (user `a`); `dir/jaas-b.conf` (user `b`) is there too. `acl` is a
    /// line for the conf dir's config.yaml.
    fn load_two_jobmanagers(sections: impl Fn(&Path) -> (String, String), acl: &str) -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let conf = d.join("conf");
        std::fs::create_dir_all(&conf).unwrap();
        for u in ["a", "b"] {
            std::fs::write(
                d.join(format!("jaas-{u}.conf")),
                format!("Client {{\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n    username=\"{u}\"\n    password=\"pw-{u}\";\n}};\n"),
            )
            .unwrap();
        }
        std::fs::write(
            conf.join("config.yaml"),
            format!(
                "env.java.opts.all: -Djava.security.auth.login.config={}\n{acl}",
                d.join("jaas-a.conf").display()
            ),
        )
        .unwrap();
        std::fs::write(conf.join("masters"), "h1:8081\nh2:8081\n").unwrap();
        std::fs::write(conf.join("workers"), "h1\n").unwrap();
        let (h1, h2) = sections(d);
        let inv = d.join("flinkha.yaml");
        std::fs::write(
            &inv,
            format!("conf_dir: conf\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: 127.0.0.1\n{h1}  h2:\n    address: 127.0.0.2\n{h2}"),
        )
        .unwrap();
        Cluster::load(&inv).unwrap()
    }

    #[test]
    fn per_host_kerberos_principals_of_one_service() {
        use crate::zk::kerberos::Credentials;
        use crate::zk::security::Sasl;
        for both in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let d = dir.path();
            let conf = d.join("conf");
            std::fs::create_dir_all(&conf).unwrap();
            let held: &[&str] = if both {
                &["flink/h1@EX.TEST", "flink/h2@EX.TEST"]
            } else {
                &["flink/h1@EX.TEST"]
            };
            std::fs::write(d.join("flink.keytab"), crate::zk::keytab::test_keytab(held)).unwrap();
            std::fs::write(
                conf.join("config.yaml"),
                format!(
                    "security.kerberos.login.contexts: Client\nsecurity.kerberos.login.keytab: {}\nsecurity.kerberos.login.principal: flink/h1@EX.TEST\nhigh-availability.zookeeper.client.acl: creator\n",
                    d.join("flink.keytab").display()
                ),
            )
            .unwrap();
            std::fs::write(conf.join("masters"), "h1:8081\nh2:8081\n").unwrap();
            std::fs::write(conf.join("workers"), "h1\n").unwrap();
            let inv = d.join("flinkha.yaml");
            std::fs::write(
                &inv,
                "conf_dir: conf\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: 127.0.0.1\n  h2:\n    address: 127.0.0.2\n    flink:\n      security.kerberos.login.principal: flink/h2@EX.TEST\n",
            )
            .unwrap();
            let c = Cluster::load(&inv).unwrap();
            // flinkha logs in as h1, the first JobManager.
            let Sasl::Kerberos(k) = &c.ha.security.sasl else {
                panic!("{:?}", c.ha.security.sasl)
            };
            assert!(
                matches!(&k.credentials, Credentials::Keytab { principal, .. } if principal == "flink/h1@EX.TEST")
            );
            let differs: Vec<_> = c
                .findings
                .iter()
                .filter(|f| f.id.as_deref() == Some("zk-login-differs"))
                .collect();
            assert_eq!(differs.len(), 1, "{:?}", c.findings);
            if both {
                // One service's per-host principals: a warning that names the server setting.
                assert_eq!(differs[0].severity, Severity::Warning, "{differs:?}");
                assert!(
                    differs[0]
                        .message
                        .contains("kerberos.removeHostFromPrincipal"),
                    "{differs:?}"
                );
            } else {
                // The local keytab lacks h2's principal: said, as a warning (flinkha does not
                // log in as h2).
                let missing: Vec<_> = c
                    .findings
                    .iter()
                    .filter(|f| f.id.as_deref() == Some("zk-kerberos-invalid"))
                    .collect();
                assert_eq!(missing.len(), 1, "{:?}", c.findings);
                assert_eq!(missing[0].severity, Severity::Warning);
                assert_eq!(missing[0].host.as_deref(), Some("h2"));
                assert!(
                    missing[0].message.contains("flink/h2@EX.TEST"),
                    "{missing:?}"
                );
            }
        }
    }

    #[test]
    fn the_zookeeper_login_follows_the_jobmanagers_per_host_jvm_options() {
        use crate::zk::security::Sasl;
        let user = |c: &Cluster| match &c.ha.security.sasl {
            Sasl::DigestMd5(l) => l.username.clone(),
            other => panic!("{other:?}"),
        };
        let differs = |c: &Cluster| {
            c.findings
                .iter()
                .filter(|f| f.id.as_deref() == Some("zk-login-differs"))
                .cloned()
                .collect::<Vec<_>>()
        };
        let jaas_b = |d: &Path| {
            format!(
                "    flink:\n      env.java.opts.all: -Djava.security.auth.login.config={}\n",
                d.join("jaas-b.conf").display()
            )
        };
        // No per-host keys: the conf dir's login.
        let c = load_two_jobmanagers(|_| (String::new(), String::new()), "");
        assert_eq!(user(&c), "a");
        assert!(differs(&c).is_empty());
        // Both JobManagers get jaas-b.conf per host: flinkha logs in as they do.
        let c = load_two_jobmanagers(|d| (jaas_b(d), jaas_b(d)), "");
        assert_eq!(user(&c), "b");
        assert!(differs(&c).is_empty(), "{:?}", c.findings);
        // Only h2: they differ; flinkha logs in as h1 (the first in masters) and warns, naming
        // both logins.
        let c = load_two_jobmanagers(|d| (String::new(), jaas_b(d)), "");
        assert_eq!(user(&c), "a");
        let f = differs(&c);
        assert_eq!(f.len(), 1, "{:?}", c.findings);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message.contains("jaas-a.conf")
                && f[0].message.contains("h2:")
                && f[0].message.contains("jaas-b.conf"),
            "{}",
            f[0].message
        );
        // With the creator ACL that is an error: a failover could not manage the znodes.
        let c = load_two_jobmanagers(
            |d| (String::new(), jaas_b(d)),
            "high-availability.zookeeper.client.acl: creator\n",
        );
        let f = differs(&c);
        assert_eq!(f[0].severity, Severity::Error, "{f:?}");
        assert!(f[0].message.contains("failover"), "{}", f[0].message);
        // A per-host JAAS path that is missing here: a finding naming the host and the key's
        // origin (the inventory), not a line of config.yaml.
        let c = load_two_jobmanagers(
            |d| {
                let missing = format!(
                    "    flink:\n      env.java.opts.all: -Djava.security.auth.login.config={}\n",
                    d.join("nope.conf").display()
                );
                (missing.clone(), missing)
            },
            "",
        );
        let f: Vec<_> = c
            .findings
            .iter()
            .filter(|f| f.id.as_deref() == Some("zk-jaas-missing"))
            .collect();
        assert_eq!(f.len(), 2, "{:?}", c.findings);
        assert_eq!(f[0].host.as_deref(), Some("h1"));
        assert!(
            f[0].message.starts_with("hosts.h1.flink: "),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].file, c.inventory_path);
        assert_eq!(f[0].line, None);
        assert!(matches!(c.ha.security.sasl, Sasl::Unusable { .. }));
    }

    #[test]
    fn install_fetch_remote_needs_a_url() {
        let c = load("install:\n  fetch: remote\n").unwrap();
        assert_eq!(c.install_fetch, inventory::FetchMode::Remote);
        assert_eq!(load("").unwrap().install_fetch, inventory::FetchMode::Local);
        let with = |dist: &str, fetch: &str| {
            load_with_distribution(dist, &format!("install:\n  fetch: {fetch}\n"))
        };
        let e = with("    path: flink.tgz\n", "remote")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("install.fetch: remote") && e.contains("url:"),
            "{e}"
        );
        with("    path: flink.tgz\n", "local").unwrap();
        let c = with("    url: https://example.org/flink.tgz\n", "remote").unwrap();
        assert!(matches!(c.distribution, Some((DistSource::Url(_), None))));
        let e = load("install:\n  fetch: sometimes\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("sometimes") || e.contains("fetch"), "{e}");
    }

    #[test]
    fn declared_jobs_resolve_against_the_inventory_dir() {
        let c = load(
            "jobs:\n  counter:\n    jar: jobs/c.jar\n    args: [--keys, '4']\n    claim_mode: claim\n    allow_non_restored_state: true\n  abs:\n    jar: /srv/a.jar\n",
        )
        .unwrap();
        let j = c.declared_job("counter").unwrap();
        let base = c.inventory_path.parent().unwrap();
        assert_eq!(j.jar, base.join("jobs/c.jar"));
        assert_eq!(j.args, ["--keys", "4"]);
        assert_eq!(j.claim_mode, Some(ClaimMode::Claim));
        assert!(j.allow_non_restored_state);
        assert_eq!(j.parallelism, None);
        assert_eq!(
            c.declared_job("abs").unwrap().jar,
            PathBuf::from("/srv/a.jar")
        );
        assert!(c.declared_job("nope").is_none());
        assert!(load("").unwrap().jobs.is_empty());
    }

    /// conf.example/flinkha.yaml parses as shipped (with the demo's job) and with its
    /// `rest:` example uncommented.
    #[test]
    fn the_example_inventory_and_its_examples_parse() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("conf.example");
        let c = Cluster::load(&example.join("flinkha.yaml")).unwrap();
        let j = c.declared_job("counter").unwrap();
        assert_eq!(
            j.jar,
            PathBuf::from("/var/tmp/flinkha-cache/jobs/flinkha-counter-job.jar")
        );
        assert_eq!(j.args, ["--rate", "40", "--keys", "4", "--tag", "demo"]);
        assert_eq!(j.parallelism, Some(1));
        assert_eq!(j.claim_mode, Some(ClaimMode::NoClaim));
        let text = std::fs::read_to_string(example.join("flinkha.yaml")).unwrap();
        let mut uncommented = String::new();
        let mut in_rest = false;
        for line in text.lines() {
            in_rest = in_rest || line == "# rest:";
            if line.is_empty() {
                in_rest = false;
            }
            match line.strip_prefix("# ") {
                Some(l) if in_rest => uncommented.push_str(l),
                _ => uncommented.push_str(line),
            }
            uncommented.push('\n');
        }
        let dir = tempfile::tempdir().unwrap();
        let inv = dir.path().join("flinkha.yaml");
        std::fs::write(
            &inv,
            uncommented.replace(
                "conf_dir: conf",
                &format!("conf_dir: {}", example.join("conf").display()),
            ),
        )
        .unwrap();
        let c = Cluster::load(&inv).unwrap();
        assert_eq!(c.rest_tls.ca_file, Some(dir.path().join("tls/rest-ca.pem")));
        assert_eq!(
            c.rest_tls.client_key,
            Some(dir.path().join("tls/flinkha-client.key"))
        );
        // None of the three files exists: a warning each, naming the key; no error.
        let missing: Vec<&str> = c
            .findings
            .iter()
            .filter(|f| f.id.as_deref() == Some("rest-tls-missing"))
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(missing.len(), 3, "{:?}", c.findings);
        assert!(missing[0].contains("`rest.ca_file`"), "{missing:?}");
        assert!(c.errors().is_empty(), "{:?}", c.errors());
        std::fs::create_dir_all(dir.path().join("tls")).unwrap();
        for f in ["rest-ca.pem", "flinkha-client.pem", "flinkha-client.key"] {
            std::fs::write(dir.path().join("tls").join(f), "x").unwrap();
        }
        let c = Cluster::load(&inv).unwrap();
        let left: Vec<_> = c
            .findings
            .iter()
            .filter(|f| f.id.as_deref() == Some("rest-tls-missing"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn declared_job_errors_name_the_key() {
        let e = load("jobs:\n  c:\n    jar: c.jar\n    claim_mode: grab\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("jobs.c.claim_mode: `grab`"), "{e}");
        let e = load("jobs:\n  c:\n    jar: c.jar\n    parallelism: 0\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("jobs.c.parallelism"), "{e}");
    }

    #[test]
    fn deployments_have_their_own_runtime_dirs_and_share_installs() {
        let c = load("").unwrap();
        let h = &c.hosts[0];
        let p = c.paths(h);
        let root = h.install_root.trim_end_matches('/').to_string();
        assert_eq!(p.conf(), format!("{root}/conf"));
        assert_eq!(p.current(), format!("{root}/current"));
        assert_eq!(c.ident(h), "flink-h1");
        let mut shadow = c.clone();
        shadow.deployment = Deployment::named("v2-3-0");
        let s = shadow.paths(h);
        assert_eq!(s.conf(), format!("{root}/deployments/v2-3-0/conf"));
        assert_eq!(s.run(), format!("{root}/deployments/v2-3-0/run"));
        assert_eq!(s.tmp(), format!("{root}/deployments/v2-3-0/tmp"));
        assert_eq!(
            s.dist(&Version::new(2, 3, 0)),
            format!("{root}/flink-2.3.0")
        );
        assert_eq!(s.state(), p.state());
        assert_eq!(p.current_target(&Version::new(2, 2, 0)), "flink-2.2.0");
        assert_eq!(
            s.current_target(&Version::new(2, 3, 0)),
            "../../flink-2.3.0"
        );
        assert_eq!(shadow.ident(h), "flink-v2-3-0-h1");
        assert_ne!(
            shadow.pid_file(h, Role::JobManager),
            c.pid_file(h, Role::JobManager)
        );
        assert_eq!(
            shadow.deployment.rel("conf/zoo.cfg"),
            "deployments/v2-3-0/conf/zoo.cfg"
        );
        assert_eq!(c.deployment.rel("conf/zoo.cfg"), "conf/zoo.cfg");
    }

    #[test]
    fn brackets_ipv6_only() {
        assert_eq!(bracket("127.0.0.1"), "127.0.0.1");
        assert_eq!(bracket("::1"), "[::1]");
    }
}
