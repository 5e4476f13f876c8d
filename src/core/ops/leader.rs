//! The leader as the HA znodes name it (`rest_server`, `dispatcher`, ... under the cluster's
//! HA path), matched to a JobManager of the inventory. "The znode says X" is not "X is
//! alive": for about a second after a leader dies every znode still names it.

use std::time::Duration;

use serde::Serialize;

use crate::core::model::{Cluster, JobManager};
use crate::zk::leader::{LeaderView, LeaderWatch, read_leader_view, watch_leader_view};
use crate::zk::{ConnectOptions, ZkError};

/// The leader as the znodes name it, matched to a JobManager of the inventory.
#[derive(Debug, Clone, Serialize)]
pub struct Leader {
    /// REST URL from the `rest_server` znode.
    pub rest_url: String,
    /// The JobManager of the inventory at that address, if any.
    pub host: Option<String>,
    /// The whole znode view.
    pub view: LeaderView,
}

/// Read the leader znodes of `cluster` (one ZooKeeper session, closed after the read).
///
/// # Errors
/// ZooKeeper connection or read failure.
pub async fn read_leader(cluster: &Cluster) -> Result<Option<Leader>, crate::zk::ZkError> {
    LeaderReader::default().read(cluster).await
}

/// Reads the leader znodes repeatedly over one ZooKeeper session (for polling loops), opening
/// a new session only after a failure.
#[derive(Default)]
pub struct LeaderReader {
    client: Option<crate::zk::Client>,
}

impl LeaderReader {
    /// The current leader, as the znodes name it.
    ///
    /// # Errors
    /// ZooKeeper connection or read failure (the session is dropped and reopened next time).
    pub async fn read(&mut self, cluster: &Cluster) -> Result<Option<Leader>, crate::zk::ZkError> {
        let client = match self.client.take() {
            Some(c) => c,
            None => {
                crate::zk::connect(
                    &cluster.ha.quorum,
                    cluster.ha.session_timeout.min(Duration::from_secs(10)),
                )
                .await?
            }
        };
        let view = read_leader_view(&client, &cluster.ha.path()).await?;
        self.client = Some(client);
        Ok(leader_from_view(cluster, view))
    }
}

/// Match a leader view to the inventory's JobManagers.
pub fn leader_from_view(cluster: &Cluster, view: LeaderView) -> Option<Leader> {
    let rest_url = view.rest_server.as_ref()?.address.clone();
    let host = jobmanager_at(cluster, &rest_url).map(|j| j.host.clone());
    Some(Leader {
        rest_url,
        host,
        view,
    })
}

/// The inventory JobManager whose REST URL is `url` (`http://host:port`).
pub fn jobmanager_at<'c>(cluster: &'c Cluster, url: &str) -> Option<&'c JobManager> {
    let url = url.trim_end_matches('/');
    cluster.jobmanagers.iter().find(|j| j.rest_url() == url)
}

/// Options of the sessions `leader show` opens: read-only servers accepted (a status command),
/// a 10 s session, a 5 s connect bound.
fn show_options() -> ConnectOptions {
    ConnectOptions {
        session_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(5),
        readonly: true,
    }
}

/// The whole leader view of `cluster` (latch contenders, every component's leader, job
/// leaders), in one read-only session.
///
/// # Errors
/// ZooKeeper connection or read failure.
pub async fn view(cluster: &Cluster) -> Result<LeaderView, ZkError> {
    let client = crate::zk::connect_with(&cluster.ha.quorum, &show_options()).await?;
    read_leader_view(&client, &cluster.ha.path()).await
}

/// Follow the leader view of `cluster` (a persistent recursive watch, re-added after every
/// reconnect).
///
/// # Errors
/// ZooKeeper connection failure.
pub async fn watch(cluster: &Cluster) -> Result<LeaderWatch, ZkError> {
    watch_leader_view(&cluster.ha.quorum, &show_options(), &cluster.ha.path()).await
}
