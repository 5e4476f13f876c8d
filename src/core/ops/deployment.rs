//! Which deployment is active on the hosts, and which version each daemon really runs.
//!
//! The inventory's `flink.version` + `distribution` is the *desired* version. What runs is
//! recorded, not inferred: activating a version (install `--activate`, an upgrade, a rollback)
//! writes `<root>/.flinkha/active.json` on every host and the cluster's local state file
//! (`<inventory dir>/.flinkha/<cluster>.deployment.json`). The version a daemon runs comes
//! from its own process: the `flink-dist-<version>.jar` on its class path
//! (`/proc/<pid>/cmdline`; flink-daemon.sh puts every `lib/*.jar` on it), never from the
//! `current` link, which may have moved since the daemon started.

use serde::{Deserialize, Serialize};

use crate::core::catalogue::now_ms;
use crate::core::error::{Error, Result};
use crate::core::hosts::{HostOutcome, Sessions, for_each_host, run};
use crate::core::model::{Cluster, Deployment, Host, Role};
use crate::core::q;
use crate::core::statefile;
use crate::flinkconf::Version;

/// The deployment name of the one at the install root itself.
pub const PRIMARY: &str = "primary";

/// A deployment made active on the hosts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveDeployment {
    /// Deployment name ([`PRIMARY`]).
    pub deployment: String,
    /// Flink version it runs.
    pub version: Version,
    /// `high-availability.cluster-id`.
    pub cluster_id: String,
    /// When it was made active, ms since the epoch.
    pub since_ms: u64,
    /// The operation that did it (`upgrade`, `rollback`, `install --activate`).
    pub by: String,
    /// Its layout and keys (records written before shadow copies existed: the primary).
    #[serde(default = "Deployment::primary")]
    pub layout: Deployment,
    /// The deployment that was active before a shadow upgrade, while it still exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Previous>,
}

/// The deployment a shadow upgrade moved the jobs away from: kept running, empty, until
/// `flinkha upgrade --finalize` stops it; its install and conf stay for a rollback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Previous {
    /// Its layout and keys.
    pub layout: Deployment,
    /// The Flink version it runs.
    pub version: Version,
    /// Its `high-availability.cluster-id`.
    pub cluster_id: String,
    /// `standby` (daemons running, no job) or `stopped` (finalized).
    pub state: PreviousState,
}

/// See [`Previous::state`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PreviousState {
    /// Its JobManagers and TaskManagers run, without jobs.
    Standby,
    /// Stopped by `--finalize`.
    Stopped,
}

impl ActiveDeployment {
    /// The deployment of `cluster` (its layout) on `version`, made active now by `by`.
    pub fn of(cluster: &Cluster, version: Version, by: &str) -> ActiveDeployment {
        ActiveDeployment {
            deployment: cluster.deployment.name.clone(),
            version,
            cluster_id: cluster.ha.cluster_id.clone(),
            since_ms: now_ms(),
            by: by.into(),
            layout: cluster.deployment.clone(),
            previous: None,
        }
    }
}

/// What one host says about its deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostState {
    /// `current` link target (`flink-2.1.0`), if any.
    pub current: Option<String>,
    /// Its `.flinkha/active.json`, if any.
    pub active: Option<ActiveDeployment>,
    /// The version each running daemon of this host runs (from its class path).
    pub running: Vec<(Role, Version)>,
}

impl HostState {
    /// The version of `current` (`flink-2.1.0` → 2.1.0).
    pub fn current_version(&self) -> Option<Version> {
        self.current
            .as_deref()
            .and_then(|c| c.strip_prefix("flink-"))
            .and_then(|v| v.parse().ok())
    }
}

/// The local record of the active deployment.
pub fn local_path(cluster: &Cluster) -> std::path::PathBuf {
    statefile::state_dir(cluster).join(format!("{}.deployment.json", cluster.name))
}

/// Read the local record.
///
/// # Errors
/// I/O; a damaged file.
pub fn load_local(cluster: &Cluster) -> Result<Option<ActiveDeployment>> {
    let p = local_path(cluster);
    match statefile::read(&p)? {
        None => Ok(None),
        Some(t) => serde_json::from_str(&t)
            .map(Some)
            .map_err(|e| Error::Journal {
                message: format!("{}: not a deployment record ({e})", p.display()),
            }),
    }
}

/// Write the local record.
///
/// # Errors
/// I/O.
pub fn save_local(cluster: &Cluster, d: &ActiveDeployment) -> Result<()> {
    let p = local_path(cluster);
    let _l = statefile::lock(&p)?;
    statefile::write_atomic(&p, &serde_json::to_vec_pretty(d).unwrap_or_default())
}

/// Script printing `current <target|->`, `active <json|->` and `running <daemon> <version>`
/// per live daemon of `roles`.
pub fn state_script(cluster: &Cluster, host: &Host, roles: &[Role]) -> String {
    let p = cluster.paths(host);
    let mut s = format!(
        "printf 'current %s\\n' \"$(readlink {cur} 2>/dev/null || echo -)\"\n\
         printf 'active %s\\n' \"$(tr -d '\\n' < {act} 2>/dev/null || echo -)\"\n",
        cur = q(&p.current()),
        act = q(&format!("{}/active.json", p.state())),
    );
    for r in roles {
        s.push_str(&format!(
            "for p in $(cat {pid} 2>/dev/null); do v=$(tr '\\0' '\\n' < /proc/$p/cmdline 2>/dev/null | tr ':' '\\n' | sed -n 's|.*/flink-dist-\\([0-9][0-9.]*\\)\\.jar$|\\1|p' | head -n 1); [ -n \"$v\" ] && echo \"running {d} $v\"; done\n",
            pid = q(&cluster.pid_file(host, *r)),
            d = r.daemon(),
        ));
    }
    s
}

/// Parse [`state_script`]'s output.
pub fn parse_state(out: &str) -> HostState {
    let mut st = HostState {
        current: None,
        active: None,
        running: Vec::new(),
    };
    for line in out.lines() {
        if let Some(c) = line.strip_prefix("current ") {
            let c = c.trim().trim_end_matches('/');
            if c != "-" && !c.is_empty() {
                st.current = Some(c.rsplit('/').next().unwrap_or(c).to_string());
            }
        } else if let Some(a) = line.strip_prefix("active ") {
            st.active = serde_json::from_str(a.trim()).ok();
        } else if let Some(r) = line.strip_prefix("running ") {
            let mut it = r.split_whitespace();
            let role = it.next().and_then(|d| {
                Role::START_ORDER
                    .into_iter()
                    .find(|role| role.daemon() == d)
            });
            let v = it.next().and_then(|v| v.parse().ok());
            if let (Some(role), Some(v)) = (role, v) {
                st.running.push((role, v));
            }
        }
    }
    st
}

/// Read every host's state in one round trip per host.
pub fn read_states(cluster: &Cluster, sessions: &Sessions) -> Vec<HostOutcome<HostState>> {
    let hosts: Vec<&Host> = cluster.hosts.iter().collect();
    for_each_host(&hosts, cluster.parallelism, |h| {
        let roles = cluster.roles_on(&h.name);
        let out = run(
            h,
            sessions.get(h)?.as_ref(),
            "reading the deployment",
            &state_script(cluster, h, &roles),
        )?;
        Ok(parse_state(&out))
    })
}

/// Script pointing the deployment's `current` at `flink-<version>` (which must be installed)
/// atomically and, with a `record`, writing it to `.flinkha/active.json` (temp + rename).
pub fn activate_script(
    cluster: &Cluster,
    host: &Host,
    version: &Version,
    record: Option<&ActiveDeployment>,
) -> String {
    let p = cluster.paths(host);
    let write_record = match record {
        Some(r) => format!(
            "mkdir -p .flinkha && printf '%s\\n' {json} > .flinkha/active.json.tmp && mv -f .flinkha/active.json.tmp .flinkha/active.json\n",
            json = q(&serde_json::to_string(r).unwrap_or_default())
        ),
        None => String::new(),
    };
    format!(
        "cd {root} || exit 3\n\
         [ -f {marker} ] || {{ printf '%s\\n' {missing} >&2; exit 3; }}\n\
         mkdir -p \"$(dirname {cur})\" && ln -sfn {dist} {cur}.tmp && mv -Tf {cur}.tmp {cur} || exit 1\n\
         {write_record}echo activated\n",
        root = q(&p.root),
        marker = q(&format!("flink-{version}/{}", super::install::MARKER)),
        missing = q(&format!(
            "flink-{version} is not installed here: run `flinkha install`"
        )),
        dist = q(&p.current_target(version)),
        cur = q(&p.current()),
    )
}

/// Point `cluster`'s deployment's `current` at `flink-<version>` on `hosts`, recording
/// nothing as active (a shadow copy being laid out).
pub fn link(
    cluster: &Cluster,
    sessions: &Sessions,
    hosts: &[&Host],
    version: &Version,
) -> Vec<HostOutcome<()>> {
    apply(cluster, sessions, hosts, version, None)
}

/// Make `version` the active deployment on `hosts` (see [`activate_script`]).
pub fn activate(
    cluster: &Cluster,
    sessions: &Sessions,
    hosts: &[&Host],
    record: &ActiveDeployment,
) -> Vec<HostOutcome<()>> {
    apply(cluster, sessions, hosts, &record.version, Some(record))
}

fn apply(
    cluster: &Cluster,
    sessions: &Sessions,
    hosts: &[&Host],
    version: &Version,
    record: Option<&ActiveDeployment>,
) -> Vec<HostOutcome<()>> {
    for_each_host(hosts, cluster.parallelism, |h| {
        let what = match record {
            Some(_) => format!("activating flink-{version}"),
            None => format!("linking {} at flink-{version}", cluster.paths(h).current()),
        };
        let out = run(
            h,
            sessions.get(h)?.as_ref(),
            &what,
            &activate_script(cluster, h, version, record),
        )?;
        if out.contains("activated") {
            Ok(())
        } else {
            Err(Error::Remote {
                host: h.name.clone(),
                what,
                detail: out,
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_host_state() {
        let rec = ActiveDeployment {
            deployment: PRIMARY.into(),
            version: Version::new(2, 2, 0),
            cluster_id: "/c".into(),
            since_ms: 5,
            by: "upgrade".into(),
            layout: Deployment::primary(),
            previous: None,
        };
        // A record written before shadow copies existed reads as the primary deployment.
        let old: ActiveDeployment = serde_json::from_str(
            r#"{"deployment":"primary","version":"2.2.0","cluster_id":"/c","since_ms":5,"by":"upgrade"}"#,
        )
        .unwrap();
        assert_eq!(old, rec);
        let out = format!(
            "current /r/flink-2.2.0\nactive {}\nrunning standalonesession 2.1.0\nrunning zookeeper 2.2.0\nrunning bogus 1.0\n",
            serde_json::to_string(&rec).unwrap()
        );
        let s = parse_state(&out);
        assert_eq!(s.current.as_deref(), Some("flink-2.2.0"));
        assert_eq!(s.current_version(), Some(Version::new(2, 2, 0)));
        assert_eq!(s.active, Some(rec));
        assert_eq!(
            s.running,
            [
                (Role::JobManager, Version::new(2, 1, 0)),
                (Role::ZooKeeper, Version::new(2, 2, 0))
            ]
        );
        let none = parse_state("current -\nactive -\n");
        assert_eq!(none.current, None);
        assert_eq!(none.active, None);
    }

    #[test]
    fn version_of_a_daemon_comes_from_its_class_path() {
        // The sed of state_script, run by a real shell on a real cmdline-like input.
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg("printf 'java\\0-classpath\\0/r/current/lib/flink-cep-2.1.0.jar:/r/current/lib/flink-dist-2.1.0.jar:/r/x.jar\\0Main\\0' | tr '\\0' '\\n' | tr ':' '\\n' | sed -n 's|.*/flink-dist-\\([0-9][0-9.]*\\)\\.jar$|\\1|p' | head -n 1")
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "2.1.0");
    }
}
