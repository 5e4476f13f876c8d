//! Health of the quorum, the JobManagers and the TaskManagers, as `start` waits on it and
//! `status` shows it. Every check is a real observation: ZooKeeper `srvr`, the leader znodes,
//! the JobManagers' REST endpoints. Never a fixed sleep.

use std::time::Duration;

use serde::Serialize;

use crate::core::model::Cluster;
use crate::rest::TaskManagerInfo;
use crate::zk::four_letter::{self, Mode, ServerStatus};

/// Timeout of one probe request (srvr, REST GET, ZooKeeper connect).
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// One ZooKeeper peer's `srvr` answer, or why there is none.
#[derive(Debug, Clone, Serialize)]
pub struct PeerStatus {
    /// `myid`.
    pub id: u32,
    /// Inventory host.
    pub host: String,
    /// `address:port` probed.
    pub endpoint: String,
    /// The answer.
    pub status: Option<ServerStatus>,
    /// Why there is no answer.
    pub error: Option<String>,
}

/// The servers to probe: the peers of zoo.cfg (run by flinkha), or, for an external quorum
/// flinkha only checks, the entries of `high-availability.zookeeper.quorum`.
/// Returns `(id, host, endpoint)`.
pub fn quorum_endpoints(cluster: &Cluster) -> Vec<(u32, String, String)> {
    if !cluster.zookeeper.is_empty() {
        return cluster
            .zookeeper
            .iter()
            .map(|p| {
                (
                    p.id,
                    p.host.clone(),
                    format!(
                        "{}:{}",
                        crate::core::model::bracket(&p.client_address),
                        p.client_port
                    ),
                )
            })
            .collect();
    }
    crate::zk::connect_string_endpoints(&cluster.ha.quorum)
        .into_iter()
        .enumerate()
        .map(|(i, endpoint)| {
            let host = endpoint
                .rsplit_once(':')
                .map(|(h, _)| h.to_string())
                .unwrap_or_default();
            (i as u32 + 1, host, endpoint)
        })
        .collect()
}

/// Ask every server of the quorum `srvr` (concurrently); see [`quorum_endpoints`]. An
/// external quorum reached over TLS (`-Dzookeeper.client.secure=true`) is asked over TLS on
/// the connect string's ports; the peers of zoo.cfg on their plain `clientPort`.
pub async fn quorum_status(cluster: &Cluster) -> Vec<PeerStatus> {
    let tls = match &cluster.ha.security.tls {
        crate::zk::Tls::On(t) if cluster.zookeeper.is_empty() => t.rustls_config().ok(),
        _ => None,
    };
    let futs = quorum_endpoints(cluster)
        .into_iter()
        .map(|(id, host, endpoint)| {
            let tls = tls.clone();
            async move {
                let r = four_letter::srvr_with(&endpoint, PROBE_TIMEOUT, tls).await;
                let (status, error) = match r {
                    Ok(s) => (Some(s), None),
                    Err(e) => (None, Some(crate::core::error_chain(&e))),
                };
                PeerStatus {
                    id,
                    host,
                    endpoint,
                    status,
                    error,
                }
            }
        });
    futures::future::join_all(futs).await
}

/// True when the quorum serves: a majority of peers are leader/follower (or the single peer
/// is standalone) and exactly one is leader.
pub fn quorum_serving(peers: &[PeerStatus]) -> bool {
    if peers.is_empty() {
        return false;
    }
    let modes: Vec<Mode> = peers
        .iter()
        .filter_map(|p| p.status.as_ref().map(|s| s.mode))
        .collect();
    if peers.len() == 1 {
        return matches!(modes.first(), Some(Mode::Standalone | Mode::Leader));
    }
    let serving = modes
        .iter()
        .filter(|m| matches!(m, Mode::Leader | Mode::Follower))
        .count();
    let leaders = modes.iter().filter(|m| matches!(m, Mode::Leader)).count();
    serving * 2 > peers.len() && leaders == 1
}

/// One line summarising peer modes, e.g. `1:leader 2:follower 3:down`.
pub fn describe_quorum(peers: &[PeerStatus]) -> String {
    peers
        .iter()
        .map(|p| {
            let m = match &p.status {
                Some(s) => s
                    .mode_text
                    .clone()
                    .unwrap_or_else(|| format!("{:?}", s.mode)),
                None => "down".to_string(),
            };
            format!("{}:{m}", p.id)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a JobManager's REST endpoint answers `/overview` (with the cluster's TLS files).
pub async fn rest_answers(cluster: &Cluster, url: &str) -> bool {
    rest_probe(cluster, url).await.is_ok()
}

/// `GET /overview` at `url` with the cluster's TLS files, within [`PROBE_TIMEOUT`].
///
/// # Errors
/// Why it did not answer: [`crate::rest::RestError::Untrusted`] for a TLS certificate problem
/// (naming the CA file), [`crate::rest::RestError::TlsFile`] for an unreadable TLS file, ...
pub async fn rest_probe(cluster: &Cluster, url: &str) -> Result<(), crate::rest::RestError> {
    cluster
        .rest_client(url, PROBE_TIMEOUT)?
        .overview()
        .await
        .map(|_| ())
}

/// TaskManagers registered at the leader.
///
/// # Errors
/// REST failure.
pub async fn registered_taskmanagers(
    cluster: &Cluster,
    leader_url: &str,
) -> Result<Vec<TaskManagerInfo>, crate::rest::RestError> {
    cluster
        .rest_client(leader_url, PROBE_TIMEOUT)?
        .taskmanagers()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(id: u32, mode: Option<Mode>) -> PeerStatus {
        PeerStatus {
            id,
            host: format!("h{id}"),
            endpoint: String::new(),
            status: mode.map(|m| ServerStatus {
                mode: m,
                ..four_letter::parse_srvr("Mode: follower\n").unwrap()
            }),
            error: None,
        }
    }

    #[test]
    fn quorum_needs_majority_and_one_leader() {
        assert!(quorum_serving(&[
            peer(1, Some(Mode::Leader)),
            peer(2, Some(Mode::Follower)),
            peer(3, None)
        ]));
        assert!(!quorum_serving(&[
            peer(1, Some(Mode::Follower)),
            peer(2, Some(Mode::Follower)),
            peer(3, None)
        ]));
        assert!(!quorum_serving(&[
            peer(1, Some(Mode::Leader)),
            peer(2, Some(Mode::NotServing)),
            peer(3, None)
        ]));
        assert!(quorum_serving(&[peer(1, Some(Mode::Standalone))]));
        assert!(!quorum_serving(&[]));
    }
}
