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

impl Leader {
    /// The leader's REST URL, only when it is one of the inventory's JobManagers, with the
    /// scheme `security.ssl.rest.enabled` implies and that JobManager's `rest.port`.
    ///
    /// Flink's ZooKeeper ACL is open by default (`high-availability.zookeeper.client.acl:
    /// open`), so anyone who reaches the quorum can write the `rest_server` znode: a URL from
    /// it is not trusted with job calls, jar uploads or savepoint paths unless it names a
    /// JobManager of this cluster.
    pub fn trusted_url(&self) -> Option<&str> {
        self.host.as_ref().map(|_| self.rest_url.as_str())
    }
}

/// Why a `rest_server` znode naming `url` is refused.
pub fn untrusted_message(cluster: &Cluster, url: &str) -> String {
    let expected: Vec<String> = cluster.jobmanagers.iter().map(|j| j.rest_url()).collect();
    format!(
        "the rest_server leader znode under {} names {url}, which is not one of this \
         cluster's JobManagers ({}): refusing to send it job calls, jars or savepoint paths. \
         If another Flink cluster uses the same ZooKeeper path, give each its own \
         `high-availability.cluster-id`; if `security.ssl.rest.enabled` or `rest.port` \
         differs between the conf dir and the running JobManagers, run `flinkha sync` and \
         restart them; otherwise someone wrote that znode: check who can write to the quorum \
         (`high-availability.zookeeper.client.acl: creator`)",
        cluster.ha.path(),
        expected.join(", ")
    )
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
                let timeout = cluster.ha.session_timeout.min(Duration::from_secs(10));
                cluster
                    .ha
                    .connect(&ConnectOptions {
                        session_timeout: timeout,
                        connect_timeout: timeout,
                        ..cluster.ha.connect_options()
                    })
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
/// a 10 s session, a 5 s connect bound, the cluster's security settings.
fn show_options(cluster: &Cluster) -> ConnectOptions {
    ConnectOptions {
        session_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(5),
        readonly: true,
        ..cluster.ha.connect_options()
    }
}

/// The whole leader view of `cluster` (latch contenders, every component's leader, job
/// leaders), in one read-only session.
///
/// # Errors
/// ZooKeeper connection or read failure.
pub async fn view(cluster: &Cluster) -> Result<LeaderView, ZkError> {
    let client = cluster.ha.connect(&show_options(cluster)).await?;
    read_leader_view(&client, &cluster.ha.path()).await
}

/// Follow the leader view of `cluster` (a persistent recursive watch, re-added after every
/// reconnect).
///
/// # Errors
/// ZooKeeper connection failure.
pub async fn watch(cluster: &Cluster) -> Result<LeaderWatch, ZkError> {
    watch_leader_view(
        &cluster.ha.quorum,
        &show_options(cluster),
        &cluster.ha.path(),
    )
    .await
}
