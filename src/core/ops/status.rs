//! `status`: every daemon on every host, the quorum, the leader, slots and jobs.

use serde::Serialize;

use super::daemons::{self, HostProbe};
use super::health::{self, PeerStatus};
use super::leader::{self, Leader};
use crate::core::hosts::{Sessions, for_each_host};
use crate::core::model::{Cluster, Host};
use crate::rest::{JobSummary, Overview, TaskManagerInfo};

/// One host's row group.
#[derive(Debug, Clone, Serialize)]
pub struct HostStatus {
    /// Host name.
    pub host: String,
    /// Address.
    pub address: String,
    /// What the probe saw, or why there is nothing.
    pub probe: Option<HostProbe>,
    /// Why the host could not be probed.
    pub error: Option<String>,
}

/// The whole picture.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterStatus {
    /// Cluster name.
    pub cluster: String,
    /// Configured Flink version.
    pub version: String,
    /// HA znode path.
    pub ha_path: String,
    /// Per host.
    pub hosts: Vec<HostStatus>,
    /// Per ZooKeeper peer.
    pub quorum: Vec<PeerStatus>,
    /// Quorum serving.
    pub quorum_serving: bool,
    /// The leader, when the znodes name one.
    pub leader: Option<Leader>,
    /// Why the leader could not be read.
    pub leader_error: Option<String>,
    /// `/overview` of the leader.
    pub overview: Option<Overview>,
    /// Registered TaskManagers.
    pub taskmanagers: Vec<TaskManagerInfo>,
    /// Jobs.
    pub jobs: Vec<JobSummary>,
    /// REST errors.
    pub rest_error: Option<String>,
    /// Per host: its `current` link, active deployment and the version each running daemon
    /// runs (from the daemon's own class path).
    pub deployments: Vec<(String, super::deployment::HostState)>,
    /// Who holds the operator lock, if anyone.
    pub lock: Option<crate::core::lock::Holder>,
    /// Set when a daemon runs another version than the inventory's `flink.version`.
    pub upgrade_pending: Option<String>,
    /// An upgrade or rollback that is not finished: (operation, state, steps done, steps).
    pub unfinished: Option<(String, String, usize, usize)>,
    /// The active deployment's name (`primary`, or a shadow's `v<version>`).
    pub deployment: String,
    /// Its `high-availability.cluster-id`.
    pub cluster_id: String,
    /// The deployment a shadow upgrade moved the jobs away from, while it exists.
    pub previous: Option<PreviousStatus>,
}

/// The previous deployment of a shadow upgrade: its daemons and jobs.
#[derive(Debug, Clone, Serialize)]
pub struct PreviousStatus {
    /// Its name.
    pub deployment: String,
    /// Its version.
    pub version: String,
    /// Its cluster-id.
    pub cluster_id: String,
    /// `standby` or `stopped` (as recorded).
    pub state: super::deployment::PreviousState,
    /// Its JobManagers and TaskManagers per host.
    pub hosts: Vec<HostStatus>,
    /// Its leader's REST URL, if one leads.
    pub leader_rest: Option<String>,
    /// Its jobs (it should run none).
    pub jobs: Vec<JobSummary>,
}

/// Probe every host's daemons in one round trip per host and, with `with_state`, read its
/// deployment state ([`super::deployment::state_script`]) in the same command: the two
/// scripts' lines do not overlap (both print the same `current` line) and each parser skips
/// the other's, so one SSH command and one barrier over the hosts serve both.
fn probe_hosts(
    cluster: &Cluster,
    sessions: &Sessions,
    skip_zk: bool,
    with_state: bool,
) -> (Vec<HostStatus>, Vec<(String, super::deployment::HostState)>) {
    let hosts: Vec<&Host> = cluster.hosts.iter().collect();
    let probes = tokio::task::block_in_place(|| {
        for_each_host(&hosts, cluster.parallelism, |h| {
            let all = cluster.roles_on(&h.name);
            let mut roles = all.clone();
            if skip_zk {
                roles.retain(|r| *r != crate::core::model::Role::ZooKeeper);
            }
            let mut script = daemons::probe_script(cluster, h, &roles);
            if with_state {
                script.push_str(&super::deployment::state_script(cluster, h, &all));
            }
            let out = crate::core::hosts::run(h, sessions.get(h)?.as_ref(), "probe", &script)?;
            Ok((
                daemons::parse_probe(&out, &roles),
                with_state.then(|| super::deployment::parse_state(&out)),
            ))
        })
    });
    let mut states = Vec::new();
    let hosts = probes
        .into_iter()
        .zip(&cluster.hosts)
        .map(|(o, h)| {
            let (probe, error) = match o.result {
                Ok((p, st)) => {
                    states.extend(st.map(|st| (h.name.clone(), st)));
                    (Some(p), None)
                }
                Err(e) => (None, Some(crate::core::error_chain(&e))),
            };
            HostStatus {
                host: h.name.clone(),
                address: h.address.clone(),
                probe,
                error,
            }
        })
        .collect();
    (hosts, states)
}

/// The previous deployment's status, when the local record names one.
async fn previous_status(cluster: &Cluster, sessions: &Sessions) -> Option<PreviousStatus> {
    let prev = super::deployment::load_local(cluster).ok()??.previous?;
    let old =
        super::upgrade::cluster_for(&cluster.inventory_path, &prev.version, &prev.layout).ok()?;
    let (hosts, _) = probe_hosts(&old, sessions, true, false);
    let leader_rest = match leader::read_leader(&old).await {
        Ok(Some(l)) => l.trusted_url().map(str::to_string),
        _ => None,
    };
    let mut jobs = Vec::new();
    if let Some(url) = &leader_rest
        && let Ok(c) = old.rest_client(url, health::PROBE_TIMEOUT)
    {
        jobs = c.jobs().await.unwrap_or_default();
    }
    Some(PreviousStatus {
        deployment: prev.layout.name.clone(),
        version: prev.version.to_string(),
        cluster_id: prev.cluster_id.clone(),
        state: prev.state,
        hosts,
        leader_rest,
        jobs,
    })
}

impl ClusterStatus {
    /// Whether every expected daemon is up and the leader answers.
    pub fn healthy(&self) -> bool {
        self.hosts.iter().all(|h| {
            h.probe.as_ref().is_some_and(|p| {
                p.daemons
                    .iter()
                    .all(|d| d.state == daemons::DaemonState::Up)
            })
        }) && (self.quorum.is_empty() || self.quorum_serving)
            && self.overview.is_some()
    }
}

/// Gather the status (probes over SSH in parallel, ZooKeeper and REST).
pub async fn status(cluster: &Cluster, sessions: &Sessions) -> ClusterStatus {
    let (hosts, deployments) = probe_hosts(cluster, sessions, false, true);
    let quorum = health::quorum_status(cluster).await;
    let quorum_serving = health::quorum_serving(&quorum);
    let (leader, leader_error) = if cluster.ha.enabled {
        match leader::read_leader(cluster).await {
            Ok(l) => (l, None),
            Err(e) => (None, Some(crate::core::error_chain(&e))),
        }
    } else {
        (
            None,
            Some("high availability is off (high-availability.type)".into()),
        )
    };
    let (mut overview, mut taskmanagers, mut jobs, mut rest_error) =
        (None, Vec::new(), Vec::new(), None);
    // Only an inventory JobManager is asked (see `Leader::trusted_url`).
    let rest_url = match &leader {
        Some(l) if l.trusted_url().is_none() => {
            rest_error = Some(leader::untrusted_message(cluster, &l.rest_url));
            None
        }
        Some(l) => Some(l.rest_url.clone()),
        None => (!cluster.ha.enabled)
            .then(|| cluster.jobmanagers.first().map(|j| j.rest_url()))
            .flatten(),
    };
    if let Some(url) = rest_url {
        let answer = async {
            let c = cluster.rest_client(&url, health::PROBE_TIMEOUT)?;
            Ok::<_, crate::rest::RestError>((c.overview().await?, c))
        };
        match answer.await {
            Ok((o, c)) => {
                overview = Some(o);
                taskmanagers = c.taskmanagers().await.unwrap_or_default();
                jobs = c.jobs().await.unwrap_or_default();
            }
            Err(e) => rest_error = Some(crate::core::error_chain(&e)),
        }
    }
    let mut others: Vec<String> = deployments
        .iter()
        // The quorum's servers run from the primary deployment's layout: on a shadow
        // deployment their version is not the deployment's.
        .flat_map(|(_, st)| {
            st.running
                .iter()
                .filter(|(r, _)| {
                    cluster.deployment.is_primary() || *r != crate::core::model::Role::ZooKeeper
                })
                .map(|(_, v)| *v)
        })
        .filter(|v| *v != cluster.version)
        .map(|v| v.to_string())
        .collect();
    others.sort();
    others.dedup();
    let upgrade_pending = (!others.is_empty()).then(|| {
        format!(
            "daemons run Flink {} but the inventory's flink.version is {}: run `flinkha upgrade --plan`",
            others.join(", "),
            cluster.version
        )
    });
    let lock = if cluster.ha.enabled && quorum_serving {
        crate::core::lock::holder(cluster).await.ok().flatten()
    } else {
        None
    };
    let mut unfinished = None;
    for op in [
        super::upgrade::ROLLBACK,
        super::shadow::FINALIZE,
        super::upgrade::UPGRADE,
    ] {
        if let Ok(Some(j)) = crate::core::journal::load(cluster, op).await
            && !matches!(
                j.state,
                crate::core::journal::State::Completed | crate::core::journal::State::RolledBack
            )
        {
            unfinished = Some((
                op.to_string(),
                j.state.label().to_string(),
                j.done_count(),
                j.plan.steps.len(),
            ));
            break;
        }
    }
    let previous = previous_status(cluster, sessions).await;
    ClusterStatus {
        deployment: cluster.deployment.name.clone(),
        cluster_id: cluster.ha.cluster_id.clone(),
        previous,
        deployments,
        lock,
        upgrade_pending,
        unfinished,
        cluster: cluster.name.clone(),
        version: cluster.version.to_string(),
        ha_path: cluster.ha.path(),
        hosts,
        quorum,
        quorum_serving,
        leader,
        leader_error,
        overview,
        taskmanagers,
        jobs,
        rest_error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::Deployment;
    use crate::core::ops::deployment::{ActiveDeployment, PRIMARY};

    /// The probe and the deployment state come from one command (run by a real `sh` here):
    /// each parser reads its own lines of the combined output and nothing of the other's.
    #[tokio::test(flavor = "multi_thread")]
    async fn one_command_per_host_gives_probe_and_deployment_state() {
        let dir = tempfile::tempdir().unwrap();
        let c = crate::core::ops::sync::tests::local_cluster(
            dir.path(),
            "parallelism:\n  default: 1\n",
            "",
        );
        let root = dir.path().join("root");
        let h = &c.hosts[0];
        std::fs::create_dir_all(root.join("flink-2.1.0")).unwrap();
        std::os::unix::fs::symlink("flink-2.1.0", c.paths(h).current()).unwrap();
        let rec = ActiveDeployment {
            deployment: PRIMARY.into(),
            version: crate::flinkconf::Version::new(2, 1, 0),
            cluster_id: "/t".into(),
            since_ms: 5,
            by: "test".into(),
            layout: Deployment::primary(),
            previous: None,
        };
        let state_dir = c.paths(h).state();
        std::fs::create_dir_all(&state_dir).unwrap();
        std::fs::write(
            format!("{state_dir}/active.json"),
            serde_json::to_string(&rec).unwrap(),
        )
        .unwrap();
        let sessions = Sessions::new();

        let (hosts, states) = probe_hosts(&c, &sessions, false, true);
        assert_eq!(hosts.len(), 1);
        assert!(hosts[0].error.is_none(), "{:?}", hosts[0].error);
        let probe = hosts[0].probe.as_ref().unwrap();
        assert_eq!(probe.current.as_deref(), Some("flink-2.1.0"));
        assert_eq!(probe.daemons.len(), 2, "{probe:?}");
        assert!(
            probe
                .daemons
                .iter()
                .all(|d| d.state == daemons::DaemonState::Down),
            "{probe:?}"
        );
        assert_eq!(states.len(), 1);
        assert_eq!(states[0].0, "h1");
        assert_eq!(states[0].1.current.as_deref(), Some("flink-2.1.0"));
        assert_eq!(states[0].1.active.as_ref(), Some(&rec));
        assert!(states[0].1.running.is_empty(), "{:?}", states[0].1);

        // Without the state: the same probe, no state read.
        let (hosts, states) = probe_hosts(&c, &sessions, false, false);
        assert_eq!(
            hosts[0].probe.as_ref().unwrap().current.as_deref(),
            Some("flink-2.1.0")
        );
        assert!(states.is_empty());
    }
}
