//! The inventory file (`flinkha.yaml`): what Flink's own conf dir does not say.
//!
//! Flink's conf dir stays the source of truth for topology (`masters`, `workers`, `zoo.cfg`,
//! `config.yaml`). The inventory adds, per host: the address flinkha reaches it at, SSH
//! settings, the install root and per-host Flink keys; and, for the cluster: where the Flink
//! distribution comes from, its version, and extra files to distribute.
//!
//! Found, in order: `--config FILE`, `$FLINKHA_CONFIG`, `./flinkha.yaml`.
//! See `conf.example/flinkha.yaml` for a commented example.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::error::{Error, Result};

/// The file name flinkha looks for in the working directory.
pub const DEFAULT_FILE_NAME: &str = "flinkha.yaml";

/// The parsed inventory file, as written (before resolution against the conf dir).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    /// A short name for this cluster; used in daemon ident strings and log file names.
    /// Default: `flink`.
    #[serde(default = "default_cluster_name")]
    pub cluster: String,
    /// Flink conf dir (relative paths are relative to the inventory file).
    pub conf_dir: PathBuf,
    /// Flink version and distribution source.
    pub flink: FlinkSection,
    /// Default install root on every host (holds `flink-<version>/`, `current`, `conf/`,
    /// `log/`, `run/`, ...). Default: `/opt/flink`.
    #[serde(default = "default_install_root")]
    pub install_root: String,
    /// Default SSH settings for every host.
    #[serde(default)]
    pub ssh: SshSection,
    /// Hosts by name. Names (or addresses) are what `masters`, `workers` and `zoo.cfg` refer to.
    pub hosts: BTreeMap<String, HostSection>,
    /// Extra files (e.g. job jars) distributed by `flinkha sync`.
    #[serde(default)]
    pub files: Vec<ExtraFileSection>,
    /// Timeouts of the lifecycle operations.
    #[serde(default)]
    pub timeouts: TimeoutsSection,
    /// How `flinkha install` gets the distribution onto the hosts.
    #[serde(default)]
    pub install: InstallSection,
    /// TLS files of flinkha's REST client, for `security.ssl.rest.enabled: true`.
    #[serde(default)]
    pub rest: RestSection,
    /// Jobs by name, so `flinkha run <name>` knows how to (re)submit each one.
    #[serde(default)]
    pub jobs: BTreeMap<String, JobSection>,
    /// How flinkha logs in to a secured ZooKeeper quorum.
    #[serde(default)]
    pub zookeeper: ZookeeperSection,
    /// How many sync backups (`<root>/.flinkha/backups/<stamp>/`, which hold the replaced
    /// files, secrets included) to keep per host; older ones are removed after a successful
    /// sync. Default: 10.
    #[serde(default)]
    pub keep_backups: Option<usize>,
    /// How many replaced distributions (`flink-<v>.replaced-<stamp>`, a reinstall's previous
    /// unpack, about 300 MB each) to keep per host and version; older ones are removed after
    /// a successful install. Default: 1 (0: none).
    #[serde(default)]
    pub keep_replaced_distributions: Option<usize>,
}

/// `flink:` section.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlinkSection {
    /// Flink version, e.g. `2.1.0`. Decides which config file and keys apply.
    pub version: String,
    /// Where `flinkha install` gets the distribution tarball.
    #[serde(default)]
    pub distribution: Option<DistributionSection>,
}

/// `flink.distribution:` section: exactly one of `path` or `url`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistributionSection {
    /// A local tarball (`flink-<version>-bin-scala_2.12.tgz`), relative to the inventory file.
    pub path: Option<PathBuf>,
    /// An HTTP(S) URL of the tarball.
    pub url: Option<String>,
    /// The expected SHA-512 (hex). Default: read from `<path or url>.sha512`, the file Apache
    /// publishes beside each release (`<hex>  <file name>`).
    pub sha512: Option<String>,
}

/// SSH settings; every field optional so per-host sections can override single fields.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SshSection {
    /// Login user. Default: the current user.
    pub user: Option<String>,
    /// TCP port. Default: 22.
    pub port: Option<u16>,
    /// Private key file (`~` expanded). When unset, only the agent is used.
    pub identity_file: Option<PathBuf>,
    /// Try the SSH agent's identities. Default: true.
    pub agent: Option<bool>,
    /// known_hosts file. Default: `~/.ssh/known_hosts`.
    pub known_hosts: Option<PathBuf>,
    /// `strict` (default: unknown or changed host keys are refused) or `accept-new`
    /// (unknown keys are added; changed keys are still refused).
    pub host_key_policy: Option<String>,
    /// TCP connect + handshake timeout, e.g. `10s`.
    pub connect_timeout: Option<String>,
    /// Upper bound of one remote command, e.g. `120s`.
    pub command_timeout: Option<String>,
    /// Keepalive interval, e.g. `15s`.
    pub keepalive_interval: Option<String>,
    /// Hosts worked on at once (one thread and one SSH session each). Default: 32.
    pub parallelism: Option<usize>,
}

/// `hosts.<name>:` section.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostSection {
    /// Address flinkha connects to and that Flink daemons on this host bind to and advertise
    /// (`jobmanager.rpc.address`, `taskmanager.host`, ... are filled from it).
    pub address: String,
    /// This host's install root, overriding the top-level `install_root`.
    pub install_root: Option<String>,
    /// Per-host SSH overrides.
    #[serde(default)]
    pub ssh: SshSection,
    /// `ssh` (default) or `local` (run on this machine without SSH).
    pub transport: Option<String>,
    /// Per-host Flink keys, winning over the conf dir (flat dotted keys).
    #[serde(default)]
    pub flink: BTreeMap<String, yaml_serde::Value>,
}

/// `files:` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraFileSection {
    /// Local file, relative to the inventory file.
    pub src: PathBuf,
    /// Destination relative to the host's install root. Default: `files/<file name>`.
    pub dest: Option<String>,
    /// Only these hosts. Default: every host.
    pub hosts: Option<Vec<String>>,
}

/// `timeouts:` section (durations like `90s`, `2m`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeoutsSection {
    /// How long `start` waits for a role to become healthy. Default: 180s.
    pub start: Option<String>,
    /// How long `stop` waits after SIGTERM before SIGKILL. Default: 60s.
    pub stop: Option<String>,
    /// How long a distribution download may receive nothing before it is abandoned (also the
    /// connect timeout). Default: 60s.
    pub download_stall: Option<String>,
}

/// `install:` section.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstallSection {
    /// Who downloads a `flink.distribution.url`. Default: `local`.
    pub fetch: Option<FetchMode>,
}

/// `install.fetch:` who downloads the distribution tarball.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FetchMode {
    /// flinkha downloads it once (into its local cache), verifies it and uploads it to every
    /// host over SSH. The only mode for a `flink.distribution.path`.
    #[default]
    Local,
    /// Every host downloads the URL itself (`curl`, else `wget`, on the host) and checks it
    /// against the SHA-512 before unpacking: nothing of the tarball goes through flinkha or
    /// SSH. For hosts that reach the URL (a mirror or artifact store near them).
    Remote,
}

/// `rest:` section: how flinkha's REST client trusts (and, with mutual TLS, authenticates to)
/// JobManagers serving HTTPS. All files PEM, relative to the inventory file (`~` expanded).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestSection {
    /// CA certificate(s) that signed the JobManagers' REST certificate (e.g. exported from
    /// the `security.ssl.rest.truststore`). Default: the system's trusted roots.
    pub ca_file: Option<PathBuf>,
    /// Client certificate, for `security.ssl.rest.authentication-enabled: true`.
    pub client_cert: Option<PathBuf>,
    /// The client certificate's private key (PKCS#8, RSA or SEC1).
    pub client_key: Option<PathBuf>,
}

/// `zookeeper:` section: flinkha's own view of a secured quorum (see [`crate::zk::security`]).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZookeeperSection {
    /// A local copy of the JAAS file the Flink JVMs are given with
    /// `-Djava.security.auth.login.config` (a path on the hosts), relative to the inventory
    /// file (`~` expanded). Default: that path itself (relative paths against the conf dir).
    pub jaas_file: Option<PathBuf>,
    /// A local copy (PEM or PKCS#12) of the trust store the JVMs are given with
    /// `-Dzookeeper.ssl.trustStore.location` (a path on the hosts), relative to the inventory
    /// file. Default: that path itself. See [`crate::zk::tls`].
    pub truststore: Option<PathBuf>,
    /// A local copy of the key store of `-Dzookeeper.ssl.keyStore.location`, likewise.
    pub keystore: Option<PathBuf>,
    /// A local copy of the Kerberos keytab the JobManagers log in with
    /// (`security.kerberos.login.keytab` or a JAAS `Krb5LoginModule` `keyTab`), likewise.
    /// See [`crate::zk::kerberos`].
    pub keytab: Option<PathBuf>,
    /// A local copy of the krb5.conf of `-Djava.security.krb5.conf`, likewise. Default: that
    /// path itself; without `-D`, this machine's own (`/etc/krb5.conf`, `KRB5_CONFIG`).
    pub krb5_conf: Option<PathBuf>,
}

/// `jobs.<name>:` entry: how to submit one job.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobSection {
    /// The job's jar, relative to the inventory file (`~` expanded).
    pub jar: PathBuf,
    /// Main class. Default: from the jar's manifest.
    pub entry_class: Option<String>,
    /// Program arguments, one list item per argument.
    #[serde(default)]
    pub args: Vec<String>,
    /// Job parallelism. Default: the cluster's `parallelism.default`.
    pub parallelism: Option<u32>,
    /// Savepoint target directory of this job (a URI or path every JobManager and TaskManager
    /// can write). Default: `execution.checkpointing.savepoint-dir` of the Flink config.
    pub savepoint_dir: Option<String>,
    /// `no-claim` (default), `claim` or `legacy`: what a restored job may do with the
    /// savepoint's files.
    pub claim_mode: Option<String>,
    /// Allow savepoint state that maps to no operator. Default: false.
    #[serde(default)]
    pub allow_non_restored_state: bool,
}

fn default_cluster_name() -> String {
    "flink".to_string()
}

fn default_install_root() -> String {
    "/opt/flink".to_string()
}

/// Where the inventory file is: `explicit` (from `--config` or `$FLINKHA_CONFIG`), else
/// `./flinkha.yaml`.
///
/// # Errors
/// [`Error::InventoryNotFound`] when no file exists there.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => PathBuf::from(DEFAULT_FILE_NAME),
    };
    if path.is_file() {
        // Absolute (without resolving symlinks), so the conf dir and everything rendered
        // from it read the same whatever directory flinkha runs in.
        Ok(std::path::absolute(&path).unwrap_or(path))
    } else {
        Err(Error::InventoryNotFound { path })
    }
}

impl Inventory {
    /// Read and parse the inventory at `path`.
    ///
    /// # Errors
    /// [`Error::Io`] when it can't be read; [`Error::Inventory`] with file:line:column when it
    /// is not valid YAML or has unknown/missing fields.
    pub fn load(path: &Path) -> Result<Inventory> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parse inventory text; `path` is used in error messages only.
    ///
    /// # Errors
    /// [`Error::Inventory`] naming file:line:column.
    /// A value holding a NUL byte (`"\0"`, `"\x00"`, `"\u0000"` in YAML) is an error naming its
    /// key: no path, host name or shell word can carry one.
    pub fn parse(text: &str, path: &Path) -> Result<Inventory> {
        let inventory: Inventory = yaml_serde::from_str(text).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (Some(l.line()), Some(l.column())))
                .unwrap_or((None, None));
            Error::Inventory {
                path: path.to_path_buf(),
                line,
                column,
                message: e.to_string(),
            }
        })?;
        reject_nul(text, path)?;
        Ok(inventory)
    }
}

/// One open collection while walking the inventory's YAML events.
enum Frame {
    /// A mapping: the key being read (`None` while the next scalar is a key).
    Map(Option<String>),
    /// A sequence: the index of the next item.
    Seq(usize),
}

/// The dotted path of the value the next event is (`hosts.h1.address`, `args[2]`).
fn key_path(stack: &[Frame]) -> String {
    let mut out = String::new();
    for f in stack {
        match f {
            Frame::Map(Some(k)) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Frame::Map(None) => {}
            Frame::Seq(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The value (or key) at `stack`'s top is done: the parent expects its next key or item.
fn advance(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map(k)) => *k = None,
        Some(Frame::Seq(i)) => *i += 1,
        None => {}
    }
}

/// Error on the first key or value of `text` (valid YAML) that holds a NUL byte, naming its
/// key path and `file:line:column`.
fn reject_nul(text: &str, path: &Path) -> Result<()> {
    use yaml_rust2::parser::{Event, Parser};
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    while let Ok((event, mark)) = parser.next_token() {
        match event {
            Event::StreamEnd => break,
            Event::MappingStart(..) => stack.push(Frame::Map(None)),
            Event::SequenceStart(..) => stack.push(Frame::Seq(0)),
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                advance(&mut stack);
            }
            Event::Scalar(value, ..) => {
                let is_key = matches!(stack.last(), Some(Frame::Map(None)));
                if value.contains('\0') {
                    let mut at = key_path(&stack);
                    if is_key {
                        at = if at.is_empty() {
                            value.clone()
                        } else {
                            format!("{at}.{value}")
                        };
                    }
                    return Err(Error::Inventory {
                        path: path.to_path_buf(),
                        line: Some(mark.line().max(1)),
                        column: Some(mark.col() + 1),
                        message: format!(
                            "`{}`: the {} holds a NUL byte (`\\0`), which no path, host name or \
                             shell command can carry; remove it",
                            at.escape_debug(),
                            if is_key { "key" } else { "value" },
                        ),
                    });
                }
                match stack.last_mut() {
                    Some(Frame::Map(k @ None)) => *k = Some(value),
                    _ => advance(&mut stack),
                }
            }
            Event::Alias(_) => advance(&mut stack),
            _ => {}
        }
    }
    Ok(())
}

/// Parse a duration such as `10s`, `1500ms`, `2m` (humantime syntax).
///
/// # Errors
/// [`Error::Inventory`] naming `what` (the key) when the text does not parse.
pub fn parse_duration(path: &Path, what: &str, text: &str) -> Result<Duration> {
    humantime::parse_duration(text).map_err(|e| Error::Inventory {
        path: path.to_path_buf(),
        line: None,
        column: None,
        message: format!("{what}: `{text}` is not a duration ({e}); write e.g. `10s` or `2m`"),
    })
}

/// Expand a leading `~/` with `$HOME`.
pub fn expand_home(p: &Path) -> PathBuf {
    match p.strip_prefix("~") {
        Ok(rest) => std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join(rest))
            .unwrap_or_else(|| p.to_path_buf()),
        Err(_) => p.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_minimal_inventory() {
        let inv = Inventory::parse(
            "conf_dir: conf\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: 127.0.1.1\n",
            Path::new("flinkha.yaml"),
        )
        .unwrap();
        assert_eq!(inv.cluster, "flink");
        assert_eq!(inv.install_root, "/opt/flink");
        assert_eq!(inv.hosts["h1"].address, "127.0.1.1");
    }

    /// A NUL byte can't be part of a path, host name or shell word: a value holding one is an
    /// error naming where it is, never turned into something else.
    #[test]
    fn a_nul_byte_in_a_value_is_an_error_naming_it() {
        for (text, key, line) in [
            (
                "conf_dir: conf\ninstall_root: \"/opt/fl\\0ink\"\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: 127.0.1.1\n",
                "install_root",
                2,
            ),
            (
                "conf_dir: conf\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: \"127.0.1.1\\x00\"\n",
                "hosts.h1.address",
                6,
            ),
            (
                "conf_dir: conf\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: h1\n    flink:\n      env.java.opts.all: [-Xmx1g, \"-Da=\\u0000\"]\n",
                "hosts.h1.flink.env.java.opts.all[1]",
                8,
            ),
        ] {
            let err = Inventory::parse(text, Path::new("inv.yaml")).unwrap_err();
            let msg = err.to_string();
            assert!(
                msg.contains(&format!("`{key}`")) && msg.contains("NUL"),
                "{msg}"
            );
            assert!(msg.contains(&format!("inv.yaml:{line}")), "{msg}");
        }
    }

    #[test]
    fn unknown_field_names_file_and_line() {
        let err = Inventory::parse(
            "conf_dir: conf\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    adress: 127.0.1.1\n",
            Path::new("inv.yaml"),
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("inv.yaml:6:"), "{msg}");
        assert!(msg.contains("adress"), "{msg}");
    }

    #[test]
    fn parses_declared_jobs() {
        let inv = Inventory::parse(
            "conf_dir: conf\nflink:\n  version: 2.1.0\nhosts: {}\njobs:\n  counter:\n    jar: jobs/c.jar\n    entry_class: a.B\n    args: [--rate, 40, true]\n    parallelism: 2\n    savepoint_dir: file:///sp\n    claim_mode: claim\n",
            Path::new("flinkha.yaml"),
        )
        .unwrap();
        let j = &inv.jobs["counter"];
        assert_eq!(j.jar, PathBuf::from("jobs/c.jar"));
        assert_eq!(j.args, ["--rate", "40", "true"]);
        assert_eq!(j.parallelism, Some(2));
        assert_eq!(j.claim_mode.as_deref(), Some("claim"));
        assert!(!j.allow_non_restored_state);
        let err = Inventory::parse(
            "conf_dir: conf\nflink:\n  version: 2.1.0\nhosts: {}\njobs:\n  c:\n    jar: c.jar\n    entry: x\n",
            Path::new("inv.yaml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("inv.yaml:8:"), "{err}");
        assert!(err.contains("entry_class"), "{err}");
    }

    #[test]
    fn durations() {
        let p = Path::new("x");
        assert_eq!(
            parse_duration(p, "k", "1500ms").unwrap(),
            Duration::from_millis(1500)
        );
        assert!(
            parse_duration(p, "ssh.connect_timeout", "ten")
                .unwrap_err()
                .to_string()
                .contains("ssh.connect_timeout")
        );
    }
}
