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

#[cfg(test)]
mod tests {
    use super::*;

    /// A cluster of two JobManager hosts (masters `h1:8081`, `h2:8081`) with `h2_flink` as
    /// h2's per-host keys and `jobs` as the inventory's jobs section.
    fn cluster(dir: &std::path::Path, h2_flink: &str, jobs: &str) -> Cluster {
        let conf = dir.join("conf");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::write(
            conf.join("config.yaml"),
            "high-availability:\n  type: zookeeper\n  storageDir: file:///ha\n  cluster-id: /t\n  \
             zookeeper.quorum: zk1:2181,zk2:2181,zk3:2181\n",
        )
        .unwrap();
        std::fs::write(conf.join("masters"), "h1:8081\nh2:8081\n").unwrap();
        std::fs::write(conf.join("workers"), "h1\n").unwrap();
        let inv = dir.join("flinkha.yaml");
        std::fs::write(
            &inv,
            format!(
                "cluster: t\nconf_dir: conf\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: 10.0.0.1\n  h2:\n    address: 10.0.0.2\n{h2_flink}{jobs}"
            ),
        )
        .unwrap();
        Cluster::load(&inv).unwrap()
    }

    fn ids(f: &[Finding], id: &str) -> Vec<Finding> {
        f.iter()
            .filter(|x| x.id.as_deref() == Some(id))
            .cloned()
            .collect()
    }

    #[test]
    fn per_host_rest_ports_must_match_masters() {
        let dir = tempfile::tempdir().unwrap();
        let f = checks_with(&cluster(dir.path(), "", ""), DoctorEnv::default());
        assert!(ids(&f, "rest-port-override").is_empty(), "{f:?}");
        assert!(f.iter().all(|x| x.id.is_some()), "{f:?}");

        let dir = tempfile::tempdir().unwrap();
        let c = cluster(
            dir.path(),
            "    flink:\n      rest.port: 9000\n      rest.bind-port: 9000-9010\n",
            "",
        );
        let f = checks_with(&c, DoctorEnv::default());
        let o = ids(&f, "rest-port-override");
        assert_eq!(o.len(), 1, "{f:?}");
        assert_eq!(o[0].host.as_deref(), Some("h2"));
        assert_eq!(o[0].file, c.inventory_path);
        assert!(o[0].message.contains("says 8081"), "{}", o[0]);
        assert!(o[0].message.contains("masters:2"), "{}", o[0]);
        let b = ids(&f, "rest-bind-port");
        assert_eq!(b.len(), 1, "{f:?}");
        assert!(
            b[0].is_error() && b[0].host.as_deref() == Some("h2"),
            "{}",
            b[0]
        );

        // The same port as masters, and a bind range containing it: nothing.
        let dir = tempfile::tempdir().unwrap();
        let c = cluster(
            dir.path(),
            "    flink:\n      rest.port: 8081\n      rest.bind-port: 8080-8090\n",
            "",
        );
        let f = checks_with(&c, DoctorEnv::default());
        assert!(ids(&f, "rest-port-override").is_empty(), "{f:?}");
        assert!(ids(&f, "rest-bind-port").is_empty(), "{f:?}");
    }

    #[test]
    fn job_savepoint_dirs_need_file_system_support_too() {
        let dir = tempfile::tempdir().unwrap();
        let c = cluster(
            dir.path(),
            "",
            "jobs:\n  counter:\n    jar: job.jar\n    savepoint_dir: s3://sp-bucket/counter\n",
        );
        let f = checks_with(&c, DoctorEnv::default());
        let p = ids(&f, "fs-plugin-needed");
        assert_eq!(p.len(), 1, "{f:?}");
        assert_eq!(p[0].file, c.inventory_path);
        assert!(
            p[0].message.contains("`jobs.counter.savepoint_dir`"),
            "{}",
            p[0]
        );
    }
}
