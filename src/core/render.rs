//! What each host gets: the conf dir with per-host values filled in, plus extra files.
//!
//! Per-host keys (so nobody edits them by hand on each node), unless the host's
//! inventory `flink:` section sets them:
//! - always from the host's address: `jobmanager.rpc.address` (a JobManager host's own
//!   address; on other hosts the first JobManager's), `rest.address`, `taskmanager.host`;
//! - bind addresses `rest.bind-address`, `taskmanager.bind-host`: the host's address, and
//!   `jobmanager.bind-host`: `0.0.0.0` (see [`JOBMANAGER_BIND_HOST`] for why), unless the conf
//!   dir sets a non-loopback value (the shipped config.yaml binds to `localhost`, which breaks
//!   any multi-host cluster);
//! - `rest.port` of a JobManager host from its `masters` line;
//! - `high-availability.zookeeper.quorum` from `zoo.cfg` when the conf dir does not set it;
//! - `io.tmp.dirs` under the install root when unset.
//!
//! `zoo.cfg` gets a per-host `dataDir` (unless set), `clientPortAddress`, the four-letter
//! words flinkha's status needs, and the AdminServer disabled (unless set), since its default
//! port 8080 clashes easily.

use std::path::PathBuf;

use serde::Serialize;

use super::error::{Error, Result};
use super::model::{Cluster, Host, Role};

/// One file as it should be on a host.
#[derive(Debug, Clone, Serialize)]
pub struct RenderedFile {
    /// Path relative to the install root, e.g. `conf/config.yaml`.
    pub rel_path: String,
    /// Content.
    #[serde(skip)]
    pub content: Vec<u8>,
    /// Permission bits (e.g. 0o644).
    pub mode: u32,
    /// Where it came from (for messages).
    pub source: PathBuf,
}

const LOOPBACK: [&str; 4] = ["localhost", "127.0.0.1", "::1", ""];

/// What flinkha renders for `jobmanager.bind-host` on a JobManager host: all interfaces.
///
/// Why not the host's own address, as for the REST and TaskManager bind addresses: Flink 2.x
/// runs a jar submitted through REST (`POST /jars/<id>/run`) with its `EmbeddedExecutor`,
/// which uploads the job's artifacts to the BlobServer at the *dispatcher gateway's* hostname,
/// and for the in-process gateway that is `localhost`. The BlobServer binds to
/// `jobmanager.bind-host`; bound to the host's address only, every jar run fails with
/// "Could not connect to BlobServer at address localhost/127.0.0.1:PORT".
///
/// `0.0.0.0` is what Flink's own documentation of `jobmanager.bind-host` recommends for a
/// JobManager that must be reachable from other machines; the address the JobManager
/// *advertises* stays the host's own (`jobmanager.rpc.address`, rendered per host), so
/// TaskManagers and the HA znodes still name the right host. The alternative (a JVM hosts
/// file mapping `localhost` to the host's address via `-Djdk.net.hosts.file`) changes every
/// name lookup of the JobManager JVM, which no operator wants on a real host.
///
/// The cost: two JobManagers on one machine (only in a simulation with several loopback
/// addresses) both bind all interfaces, so each needs its own
/// `high-availability.jobmanager.port` (and `blob.server.port`, if fixed), set per host in the
/// inventory's `flink:` section (conf.example and the test cluster do). An operator who wants
/// a narrower bind sets `jobmanager.bind-host` in config.yaml or per host; that wins.
pub const JOBMANAGER_BIND_HOST: &str = "0.0.0.0";

/// The per-host Flink keys flinkha sets on `host`, in order, before the inventory's own
/// per-host overrides (which win).
pub fn per_host_keys(cluster: &Cluster, host: &Host) -> Vec<(String, String)> {
    let cfg = &cluster.conf.config;
    let mut keys = Vec::new();
    let roles = cluster.roles_on(&host.name);
    let jm_address = if roles.contains(&Role::JobManager) {
        host.address.clone()
    } else {
        cluster
            .jobmanagers
            .first()
            .map(|j| j.address.clone())
            .unwrap_or_else(|| host.address.clone())
    };
    keys.push(("jobmanager.rpc.address".to_string(), jm_address));
    keys.push(("rest.address".to_string(), host.address.clone()));
    keys.push(("taskmanager.host".to_string(), host.address.clone()));
    for bind in [
        "jobmanager.bind-host",
        "rest.bind-address",
        "taskmanager.bind-host",
    ] {
        let current = cfg.get_str(bind).unwrap_or("");
        if LOOPBACK.contains(&current) {
            let value = if bind == "jobmanager.bind-host" && roles.contains(&Role::JobManager) {
                JOBMANAGER_BIND_HOST.to_string()
            } else {
                host.address.clone()
            };
            keys.push((bind.to_string(), value));
        }
    }
    if let Some(jm) = cluster.jobmanagers.iter().find(|j| j.host == host.name) {
        keys.push(("rest.port".to_string(), jm.rest_port.to_string()));
    }
    if cfg.get_str("high-availability.zookeeper.quorum").is_none() && !cluster.ha.quorum.is_empty()
    {
        keys.push((
            "high-availability.zookeeper.quorum".to_string(),
            cluster.ha.quorum.clone(),
        ));
    }
    if cfg.get_str("io.tmp.dirs").is_none() {
        keys.push(("io.tmp.dirs".to_string(), cluster.paths(host).tmp()));
    }
    for (k, v) in &host.flink_overrides {
        keys.retain(|(key, _)| key != k);
        keys.push((k.clone(), v.clone()));
    }
    keys
}

/// The `zoo.cfg` properties flinkha sets on `host`.
pub fn zoo_cfg_overrides(cluster: &Cluster, host: &Host) -> Vec<(String, String)> {
    let Some(zoo) = &cluster.conf.zoo_cfg else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if zoo.get("dataDir").is_none() {
        out.push((
            "dataDir".to_string(),
            cluster.role_paths(host, Role::ZooKeeper).zookeeper(),
        ));
    }
    if let Some(peer) = cluster.zk_peer_on(&host.name)
        && zoo.get("clientPortAddress").is_none()
    {
        out.push(("clientPortAddress".to_string(), peer.client_address.clone()));
        if zoo.get("clientPort").is_none() {
            out.push(("clientPort".to_string(), peer.client_port.to_string()));
        }
    }
    if zoo.get("4lw.commands.whitelist").is_none() {
        out.push((
            "4lw.commands.whitelist".to_string(),
            "srvr,ruok,mntr,stat".to_string(),
        ));
    }
    if zoo.get("admin.enableServer").is_none() {
        out.push(("admin.enableServer".to_string(), "false".to_string()));
    }
    out
}

/// Everything `host` should have: the rendered conf dir and its extra files.
///
/// # Errors
/// [`Error::Io`] when a local source file can't be read.
pub fn render_host(cluster: &Cluster, host: &Host) -> Result<Vec<RenderedFile>> {
    let conf = &cluster.conf;
    let header = format!(
        "Rendered by flinkha for host `{}` ({}) from {}.\nEdit the source and run `flinkha sync`; changes made here are overwritten.",
        host.name,
        host.address,
        conf.config.path.display()
    );
    let mut files = Vec::new();
    let config_name = conf
        .config
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config.yaml".into());
    files.push(RenderedFile {
        rel_path: cluster.deployment.rel(&format!("conf/{config_name}")),
        content: conf
            .config
            .render(&per_host_keys(cluster, host), &header)
            .into_bytes(),
        mode: local_mode(&conf.config.path).unwrap_or(0o644),
        source: conf.config.path.clone(),
    });
    if let Some(zoo) = &conf.zoo_cfg {
        let zheader = header.replace(
            &conf.config.path.display().to_string(),
            &zoo.path.display().to_string(),
        );
        let rendered = zoo.render(&zoo_cfg_overrides(cluster, host), &zheader);
        files.push(RenderedFile {
            rel_path: cluster.deployment.rel("conf/zoo.cfg"),
            content: resolve_server_hosts(cluster, &rendered).into_bytes(),
            mode: local_mode(&zoo.path).unwrap_or(0o644),
            source: zoo.path.clone(),
        });
    }
    let mut plain: Vec<PathBuf> = conf.other_files.clone();
    for p in [
        conf.masters.as_ref().map(|m| m.0.clone()),
        conf.workers.as_ref().map(|w| w.0.clone()),
    ]
    .into_iter()
    .flatten()
    {
        plain.push(p);
    }
    plain.sort();
    for p in plain {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push(read_plain(
            &p,
            cluster.deployment.rel(&format!("conf/{name}")),
        )?);
    }
    for f in &cluster.files {
        if f.hosts.iter().any(|h| h == &host.name) {
            files.push(read_plain(&f.src, f.dest.clone())?);
        }
    }
    for f in &mut files {
        f.mode = host_mode(&f.rel_path, &f.content, f.mode);
    }
    Ok(files)
}

/// File names of key material that is secret whatever its content (keystores, private keys,
/// Kerberos keytabs, JAAS files).
const SECRET_FILE_SUFFIXES: &[&str] = &[
    ".jks",
    ".p12",
    ".pfx",
    ".keystore",
    ".truststore",
    ".key",
    ".keytab",
    ".jaas",
    "jaas.conf",
];

/// The mode a rendered file gets on the hosts: its local mode, except that a file holding a
/// secret (a Flink key that is secret by Flink's own rule, [`crate::flinkconf::secrets`], with
/// a value; a `password=`-style line; or key material by its name) loses every group and
/// other bit (e.g. 0644 becomes 0600), whatever the local mode. The value is never in a
/// world-readable file on a host even when the operator's copy is.
pub fn host_mode(rel_path: &str, content: &[u8], local_mode: u32) -> u32 {
    let name = rel_path
        .rsplit('/')
        .next()
        .unwrap_or(rel_path)
        .to_ascii_lowercase();
    let secret = SECRET_FILE_SUFFIXES.iter().any(|s| name.ends_with(s))
        || std::str::from_utf8(content).is_ok_and(|text| {
            crate::flinkconf::secrets::redact_file_lines(rel_path, text)
                .iter()
                .zip(text.split('\n'))
                .any(|(shown, real)| shown != real)
        });
    if secret {
        local_mode & 0o7700
    } else {
        local_mode
    }
}

/// Rewrite `server.N=<inventory name>:...` lines of a rendered zoo.cfg with the host's address,
/// so ZooKeeper peers need no DNS entry for inventory names.
fn resolve_server_hosts(cluster: &Cluster, text: &str) -> String {
    let Some(zoo) = &cluster.conf.zoo_cfg else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut l = line.to_string();
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("server.")
            && let Some((id, _)) = rest.split_once('=')
            && let Ok(id) = id.trim().parse::<u32>()
            && let Some(entry) = zoo.servers.iter().find(|s| s.id == id)
            && let Some(h) = cluster
                .hosts
                .iter()
                .find(|h| h.name == entry.host && h.address != entry.host)
        {
            l = l
                .replacen(&format!("={}:", entry.host), &format!("={}:", h.address), 1)
                .replacen(&format!(";{}:", entry.host), &format!(";{}:", h.address), 1);
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

fn read_plain(path: &std::path::Path, rel_path: String) -> Result<RenderedFile> {
    let content = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(RenderedFile {
        rel_path,
        content,
        mode: local_mode(path).unwrap_or(0o644),
        source: path.to_path_buf(),
    })
}

fn local_mode(path: &std::path::Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o7777)
}

#[cfg(test)]
mod tests {
    use super::host_mode;

    #[test]
    fn files_with_secrets_lose_group_and_other_bits() {
        let secret = b"rest:\n  port: 8081\nsecurity.ssl.rest.keystore-password: s3cret\n";
        assert_eq!(host_mode("conf/config.yaml", secret, 0o644), 0o600);
        assert_eq!(host_mode("conf/config.yaml", secret, 0o755), 0o700);
        assert_eq!(
            host_mode("conf/config.yaml", b"rest:\n  port: 8081\n", 0o644),
            0o644
        );
        assert_eq!(host_mode("conf/masters", b"h1:8081\n", 0o664), 0o664);
        assert_eq!(
            host_mode("files/rest.keystore.jks", b"\xfe\xed\xfe\xed", 0o644),
            0o600
        );
        assert_eq!(host_mode("files/flink.keytab", b"\x05\x02", 0o640), 0o600);
        assert_eq!(
            host_mode(
                "files/zk-client.conf",
                b"Client {\n  password=\"pw\";\n};\n",
                0o644
            ),
            0o600
        );
    }
}
