//! Doctor checks that need no host: [`crate::core::ops::check::check`] plus the static checks
//! of walkthrough mistakes ([`crate::flinkconf::doctor_checks`]) and those that need the
//! inventory, each with a stable id.

use crate::core::model::Cluster;
use crate::core::render::per_host_keys;
use crate::flinkconf::{DoctorEnv, Finding, UriUse, doctor_checks, port_spec_contains};

/// Every offline finding for `cluster`, each with an id; `yarn-site.xml` is also looked for in
/// this process's `HADOOP_CONF_DIR` / `YARN_CONF_DIR` (see [`DoctorEnv::from_process_env`]).
pub fn checks(cluster: &Cluster) -> Vec<Finding> {
    checks_with(cluster, DoctorEnv::from_process_env())
}

/// As [`checks`], with the environment given (for tests).
pub fn checks_with(cluster: &Cluster, mut env: DoctorEnv) -> Vec<Finding> {
    let mut out = crate::core::ops::check::check(cluster);
    env.extra_uris.extend(job_savepoint_dirs(cluster));
    out.extend(doctor_checks(&cluster.conf, &env));
    out.extend(rest_port_overrides(cluster));
    out
}

/// The inventory's `jobs.<name>.savepoint_dir`s: Flink writes savepoints there, so their
/// schemes need file-system support on the hosts like the conf dir's.
fn job_savepoint_dirs(cluster: &Cluster) -> Vec<UriUse> {
    cluster
        .jobs
        .iter()
        .filter_map(|j| {
            j.savepoint_dir.as_ref().map(|d| UriUse {
                file: cluster.inventory_path.clone(),
                line: None,
                what: format!("`jobs.{}.savepoint_dir`", j.name),
                uri: d.clone(),
            })
        })
        .collect()
}

/// `rest-port-override` and `rest-bind-port` for per-host keys of the inventory: the port a
/// JobManager really binds (its rendered `rest.bind-port`, else `rest.port`; see
/// [`per_host_keys`], where the inventory's values win) against the port flinkha and the
/// `masters` file say it serves on ([`crate::core::model::JobManager::rest_port`]).
fn rest_port_overrides(cluster: &Cluster) -> Vec<Finding> {
    let mut out = Vec::new();
    let inv = &cluster.inventory_path;
    let masters_line = |i: usize| {
        cluster
            .conf
            .masters
            .as_ref()
            .and_then(|(p, m)| m.get(i).map(|e| format!("{}:{}", p.display(), e.line)))
            .unwrap_or_else(|| "masters".into())
    };
    for (i, jm) in cluster.jobmanagers.iter().enumerate() {
        let Some(host) = cluster.hosts.iter().find(|h| h.name == jm.host) else {
            continue;
        };
        let own = |key: &str| {
            host.flink_overrides
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim().to_string())
        };
        let expected = jm.rest_port;
        if let Some(p) = own("rest.port") {
            let rendered = per_host_keys(cluster, host)
                .into_iter()
                .find(|(k, _)| k == "rest.port")
                .map(|(_, v)| v);
            if rendered.as_deref() != Some(&expected.to_string()) {
                out.push(
                    Finding::error(
                        inv,
                        None,
                        format!(
                            "hosts.{}.flink sets `rest.port: {p}`, but the masters line for it \
                             ({}) says {expected}: the JobManager would listen on {p} while \
                             flinkha (start, status, jobs) looks for it on {expected}",
                            host.name,
                            masters_line(i)
                        ),
                        Some(format!(
                            "remove `rest.port` from hosts.{}.flink and write the port in \
                             masters (`{}:{p}`)",
                            host.name, host.name
                        )),
                    )
                    .with_id("rest-port-override")
                    .on_host(&host.name),
                );
            }
        }
        if let Some(spec) = own("rest.bind-port")
            && port_spec_contains(&spec, expected) == Some(false)
        {
            out.push(
                Finding::error(
                    inv,
                    None,
                    format!(
                        "hosts.{}.flink sets `rest.bind-port: {spec}`, which does not contain \
                         {expected}, the JobManager's web port ({}): Flink binds \
                         `rest.bind-port`, so nothing answers on {expected}",
                        host.name,
                        masters_line(i)
                    ),
                    Some(format!(
                        "remove `rest.bind-port` from hosts.{}.flink, or make it `{expected}`",
                        host.name
                    )),
                )
                .with_id("rest-bind-port")
                .on_host(&host.name),
            );
        }
    }
    out
}
