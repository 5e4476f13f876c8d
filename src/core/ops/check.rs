//! `config check`: everything that can be known to be wrong before anything runs.
//!
//! Combines the conf dir's own checks ([`crate::flinkconf::check_conf_dir`]), what resolving
//! against the inventory found (hosts missing from it), and checks that need both: ports that
//! clash between instances sharing an address.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::core::model::{Cluster, Role};
use crate::flinkconf::{Finding, Severity, check_conf_dir};

/// A port one instance will bind.
#[derive(Debug, Clone)]
struct PortUse {
    host: String,
    role: Role,
    what: String,
    file: PathBuf,
    line: Option<usize>,
}

/// All findings, errors first, each naming file:line and what to do.
pub fn check(cluster: &Cluster) -> Vec<Finding> {
    let mut out: Vec<Finding> = cluster.conf.findings.clone();
    let derived_quorum = !cluster.zookeeper.is_empty();
    out.extend(check_conf_dir(&cluster.conf).into_iter().filter(|f| {
        // flinkha fills the quorum in from zoo.cfg (see `render::per_host_keys`).
        !(derived_quorum && f.id.as_deref() == Some("quorum-missing"))
    }));
    out.extend(cluster.findings.iter().cloned());
    out.extend(port_clashes(cluster));
    out.sort_by_key(|f| (f.severity != Severity::Error, f.file.clone(), f.line));
    out.dedup_by(|a, b| a.file == b.file && a.line == b.line && a.message == b.message);
    out
}

fn fixed_port(cluster: &Cluster, host: &str, key: &str) -> Option<(u16, Option<usize>)> {
    let h = cluster.hosts.iter().find(|h| h.name == host)?;
    if let Some((_, v)) = h.flink_overrides.iter().find(|(k, _)| k == key) {
        return v
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|p| *p != 0)
            .map(|p| (p, None));
    }
    let e = cluster.conf.config.get(key)?;
    e.value
        .to_string()
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|p| *p != 0)
        .map(|p| (p, Some(e.line)))
}

/// Whether the JobManager on `host` binds all interfaces (see
/// [`crate::core::render::JOBMANAGER_BIND_HOST`]) while its address is a loopback one, i.e.
/// several simulated hosts share this machine.
fn wildcard_on_loopback(cluster: &Cluster, host: &str) -> bool {
    let Some(h) = cluster.hosts.iter().find(|h| h.name == host) else {
        return false;
    };
    h.address.starts_with("127.")
        && crate::core::render::per_host_keys(cluster, h)
            .iter()
            .any(|(k, v)| k == "jobmanager.bind-host" && v == "0.0.0.0")
}

fn port_clashes(cluster: &Cluster) -> Vec<Finding> {
    let cfg_file = cluster.conf.config.path.clone();
    let mut uses: BTreeMap<(String, u16), Vec<PortUse>> = BTreeMap::new();
    let address_of = |host: &str| {
        cluster
            .hosts
            .iter()
            .find(|h| h.name == host)
            .map(|h| h.address.clone())
            .unwrap_or_default()
    };
    let mut add =
        |host: &str, role: Role, port: u16, what: &str, file: PathBuf, line: Option<usize>| {
            uses.entry((address_of(host), port))
                .or_default()
                .push(PortUse {
                    host: host.to_string(),
                    role,
                    what: what.to_string(),
                    file,
                    line,
                });
        };
    if let Some(zoo) = &cluster.conf.zoo_cfg {
        for z in &cluster.zookeeper {
            let line = zoo.servers.iter().find(|s| s.id == z.id).map(|s| s.line);
            add(
                &z.host,
                Role::ZooKeeper,
                z.client_port,
                "ZooKeeper client port",
                zoo.path.clone(),
                line,
            );
            add(
                &z.host,
                Role::ZooKeeper,
                z.peer_port,
                "ZooKeeper peer port",
                zoo.path.clone(),
                line,
            );
            add(
                &z.host,
                Role::ZooKeeper,
                z.leader_port,
                "ZooKeeper leader-election port",
                zoo.path.clone(),
                line,
            );
        }
    }
    let mut wildcard: BTreeMap<u16, Vec<PortUse>> = BTreeMap::new();
    let masters_file = cluster
        .conf
        .masters
        .as_ref()
        .map(|m| m.0.clone())
        .unwrap_or_default();
    for (i, j) in cluster.jobmanagers.iter().enumerate() {
        let line = cluster
            .conf
            .masters
            .as_ref()
            .and_then(|m| m.1.get(i))
            .map(|m| m.line);
        add(
            &j.host,
            Role::JobManager,
            j.rest_port,
            "JobManager REST port (rest.port)",
            masters_file.clone(),
            line,
        );
        for key in [
            "high-availability.jobmanager.port",
            "blob.server.port",
            "jobmanager.rpc.port",
        ] {
            if key == "jobmanager.rpc.port" && cluster.ha.enabled {
                continue; // In HA mode the RPC port comes from high-availability.jobmanager.port.
            }
            if let Some((p, line)) = fixed_port(cluster, &j.host, key) {
                if key != "jobmanager.rpc.port" && wildcard_on_loopback(cluster, &j.host) {
                    // Bound on all interfaces of this machine: clashes with any other
                    // JobManager simulated on a loopback address of it.
                    wildcard.entry(p).or_default().push(PortUse {
                        host: j.host.clone(),
                        role: Role::JobManager,
                        what: format!("{key}, bound on 0.0.0.0"),
                        file: cfg_file.clone(),
                        line,
                    });
                }
                add(&j.host, Role::JobManager, p, key, cfg_file.clone(), line);
            }
        }
    }
    for t in &cluster.taskmanagers {
        for key in ["taskmanager.rpc.port", "taskmanager.data.port"] {
            if let Some((p, line)) = fixed_port(cluster, &t.host, key) {
                add(&t.host, Role::TaskManager, p, key, cfg_file.clone(), line);
            }
        }
    }
    for (port, list) in wildcard {
        let hosts: std::collections::BTreeSet<&str> =
            list.iter().map(|u| u.host.as_str()).collect();
        if hosts.len() > 1 {
            uses.insert(
                ("0.0.0.0 (loopback hosts share this machine)".into(), port),
                list,
            );
        }
    }
    let mut out = Vec::new();
    for ((address, port), list) in uses {
        if list.len() < 2 {
            continue;
        }
        let first = &list[0];
        let others: Vec<String> = list[1..]
            .iter()
            .map(|u| format!("{} on {} ({})", u.role, u.host, u.what))
            .collect();
        out.push(Finding {
            severity: Severity::Error,
            file: first.file.clone(),
            line: first.line,
            message: format!(
                "port {port} on {address} is used by {} on {} ({}) and by {}",
                first.role,
                first.host,
                first.what,
                others.join(", ")
            ),
            hint: Some("give each instance that shares an address its own port (per host in the inventory's `flink:` section, or in masters/zoo.cfg)".into()),
            id: Some("port-clash".into()),
            host: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster(dir: &std::path::Path, h2_flink: &str) -> Cluster {
        let conf = dir.join("conf");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::write(
            conf.join("config.yaml"),
            "high-availability:\n  jobmanager:\n    port: 6123\n",
        )
        .unwrap();
        std::fs::write(conf.join("masters"), "h1:8081\nh2:8081\n").unwrap();
        std::fs::write(conf.join("workers"), "h1\n").unwrap();
        let inv = dir.join("flinkha.yaml");
        std::fs::write(
            &inv,
            format!(
                "cluster: t\nconf_dir: conf\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: 127.0.1.1\n  h2:\n    address: 127.0.1.2\n{h2_flink}"
            ),
        )
        .unwrap();
        Cluster::load(&inv).unwrap()
    }

    #[test]
    fn jobmanagers_bound_on_all_interfaces_of_one_machine_need_their_own_rpc_port() {
        let dir = tempfile::tempdir().unwrap();
        let found = port_clashes(&cluster(dir.path(), ""));
        assert!(
            found
                .iter()
                .any(|f| f.message.contains("port 6123 on 0.0.0.0")),
            "{found:?}"
        );
        let dir = tempfile::tempdir().unwrap();
        let found = port_clashes(&cluster(
            dir.path(),
            "    flink:\n      high-availability.jobmanager.port: 6124\n",
        ));
        assert!(found.is_empty(), "{found:?}");
    }
}
