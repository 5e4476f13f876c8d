//! `status`: every daemon on every host, the quorum, the leader, slots and jobs.

use serde::Serialize;

use super::daemons::{self, HostProbe};
use super::health::{self, Leader, PeerStatus};
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
    let hosts: Vec<&Host> = cluster.hosts.iter().collect();
    let probes = tokio::task::block_in_place(|| {
        for_each_host(&hosts, cluster.parallelism, |h| {
            let roles = cluster.roles_on(&h.name);
            daemons::probe(cluster, h, sessions.get(h)?.as_ref(), &roles)
        })
    });
    let hosts = probes
        .into_iter()
        .zip(&cluster.hosts)
        .map(|(o, h)| {
            let (probe, error) = match o.result {
                Ok(p) => (Some(p), None),
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
    let quorum = health::quorum_status(cluster).await;
    let quorum_serving = health::quorum_serving(&quorum);
    let (leader, leader_error) = if cluster.ha.enabled {
        match health::read_leader(cluster).await {
            Ok(l) => (l, None),
            Err(e) => (None, Some(crate::core::error_chain(&e))),
        }
    } else {
        (
            None,
            Some("high availability is off (high-availability.type)".into()),
        )
    };
    let rest_url = leader.as_ref().map(|l| l.rest_url.clone()).or_else(|| {
        (!cluster.ha.enabled)
            .then(|| cluster.jobmanagers.first().map(|j| j.rest_url()))
            .flatten()
    });
    let (mut overview, mut taskmanagers, mut jobs, mut rest_error) =
        (None, Vec::new(), Vec::new(), None);
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
    ClusterStatus {
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
