//! The operator lock: one ephemeral znode per cluster that names the flinkha holding it, so two
//! operators never stop, upgrade or move jobs of one cluster at once.
//!
//! flinkha's znodes sit beside Flink's, never inside the cluster-id node that Flink owns and
//! may clean up: `<path.root>/flinkha/<cluster-id>/lock` (ephemeral) and
//! `<path.root>/flinkha/<cluster-id>/journal/<operation>` (persistent: the mirror of the
//! operation journals, so `--resume` works from another operator machine). They get the ACL
//! Flink gives its own znodes (`high-availability.zookeeper.client.acl`, Flink's
//! HighAvailabilityOptions): open by default, `CREATOR_ALL_ACL` (only flinkha's SASL
//! identity, which is Flink's) with `creator`. The session logs in as
//! [`crate::zk::security`] says.
//!
//! An ephemeral znode disappears when its ZooKeeper session ends: a flinkha that crashed (or
//! was SIGKILLed) frees the lock once its session expires, after the session timeout
//! (`high-availability.zookeeper.client.session-timeout`; ZooKeeper Programmer's Guide,
//! "Ephemeral Nodes"). A flinkha of the same machine does not wait for that: when the pid the
//! lock names is gone, it deletes that exact version of the znode and takes the lock (a pid
//! reused by another process counts as alive: then it waits, as for another machine's).

use std::time::Duration;

use serde::{Deserialize, Serialize};
use zookeeper_client::{Client, CreateMode};

use super::error::{Error, Result};
use super::model::Cluster;
use crate::zk::{ConnectOptions, ZkError};

/// Who holds the lock (the data of the lock znode, JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// Login name of the operator.
    pub user: String,
    /// Host name of the machine flinkha runs on.
    pub host: String,
    /// flinkha's pid there.
    pub pid: u32,
    /// The command, e.g. `upgrade`.
    pub command: String,
    /// When it took the lock, ms since the epoch.
    pub since_ms: u64,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let since = crate::time::rfc3339_ms(self.since_ms);
        write!(
            f,
            "{}@{} (pid {}) running `flinkha {}` since {since}",
            self.user, self.host, self.pid, self.command
        )
    }
}

impl Holder {
    /// This process, running `command`.
    pub fn me(command: &str) -> Holder {
        Holder {
            user: std::env::var("USER")
                .or_else(|_| std::env::var("LOGNAME"))
                .unwrap_or_else(|_| format!("uid{}", unsafe { libc::getuid() })),
            host: hostname(),
            pid: std::process::id(),
            command: command.to_string(),
            since_ms: super::catalogue::now_ms(),
        }
    }

    /// Whether the holder is a process of this machine that is gone.
    fn is_dead_local(&self) -> bool {
        self.host == hostname() && !std::path::Path::new(&format!("/proc/{}", self.pid)).exists()
    }
}

/// This machine's host name.
pub fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most buf.len() bytes into buf.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return "unknown".into();
    }
    let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

/// `<path.root>/flinkha/<cluster-id>`: flinkha's znodes of this cluster, under the conf
/// dir's cluster-id (the topology's: the same whichever deployment is active).
pub fn base_path(cluster: &Cluster) -> String {
    crate::zk::join_path(&[&cluster.ha.root, "flinkha", &cluster.ha.base_cluster_id])
}

/// The lock znode.
pub fn lock_path(cluster: &Cluster) -> String {
    format!("{}/lock", base_path(cluster))
}

/// The journal mirror of `operation`.
pub fn journal_path(cluster: &Cluster, operation: &str) -> String {
    format!("{}/journal/{operation}", base_path(cluster))
}

fn req<'p>(op: &'static str, path: &'p str) -> impl FnOnce(zookeeper_client::Error) -> Error + 'p {
    move |source| Error::Zk(ZkError::request(op, path, source))
}

async fn session(cluster: &Cluster) -> Result<Client> {
    let timeout = cluster.ha.session_timeout.max(Duration::from_secs(4));
    Ok(cluster
        .ha
        .connect(&ConnectOptions {
            session_timeout: timeout,
            connect_timeout: Duration::from_secs(10),
            readonly: false,
            ..cluster.ha.connect_options()
        })
        .await?)
}

/// The operator lock, held while this value lives (its ZooKeeper session holds the znode).
/// Dropped without [`OperatorLock::release`] (an error path), it deletes the znode from a
/// background task, so the next command does not wait for the session to expire.
pub struct OperatorLock {
    client: Client,
    path: String,
    base: String,
    acl: crate::zk::AclMode,
    released: bool,
    /// Who we are.
    pub holder: Holder,
}

impl Drop for OperatorLock {
    fn drop(&mut self) {
        if self.released {
            return;
        }
        let (client, path) = (self.client.clone(), self.path.clone());
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                let _ = client.delete(&path, None).await;
            });
        }
    }
}

impl OperatorLock {
    /// Take the lock for `command`. When the znode names a flinkha of this machine that is no
    /// longer running (crashed, SIGKILLed: its pid is gone), the lock is taken over at once:
    /// that znode (exactly that version of it) is deleted instead of waiting up to the
    /// session timeout (60 s by default) for ZooKeeper to expire the dead session.
    ///
    /// # Errors
    /// [`Error::Locked`] naming the holder; ZooKeeper failures.
    pub async fn acquire(cluster: &Cluster, command: &str) -> Result<OperatorLock> {
        let client = session(cluster).await?;
        let path = lock_path(cluster);
        let base = base_path(cluster);
        let holder = Holder::me(command);
        let data = serde_json::to_vec(&holder).unwrap_or_default();
        let acl = cluster.ha.security.acl;
        let persistent = CreateMode::Persistent.with_acls(acl.acls());
        client
            .mkdir(&format!("{base}/journal"), &persistent)
            .await
            .or_else(|e| match e {
                zookeeper_client::Error::NodeExists => Ok(()),
                e => Err(e),
            })
            .map_err(req("create", &base))?;
        // A few rounds: a takeover can race with another flinkha taking it first.
        for _ in 0..20 {
            match client
                .create(&path, &data, &CreateMode::Ephemeral.with_acls(acl.acls()))
                .await
            {
                Ok(_) => {
                    return Ok(OperatorLock {
                        client,
                        path,
                        base,
                        acl,
                        released: false,
                        holder,
                    });
                }
                Err(zookeeper_client::Error::NodeExists) => {}
                Err(e) => return Err(req("create", &path)(e)),
            }
            let (current, version) = match crate::zk::get_data(&client, &path).await {
                Ok((bytes, stat)) => (serde_json::from_slice::<Holder>(&bytes).ok(), stat.version),
                Err(zookeeper_client::Error::NoNode) => continue,
                Err(e) => return Err(req("get data of", &path)(e)),
            };
            let text = current
                .as_ref()
                .map(|h| h.to_string())
                .unwrap_or_else(|| "an unreadable holder".into());
            if !current.as_ref().is_some_and(Holder::is_dead_local) {
                return Err(Error::Locked { holder: text, path });
            }
            match client.delete(&path, Some(version)).await {
                Ok(())
                | Err(zookeeper_client::Error::NoNode)
                | Err(zookeeper_client::Error::BadVersion) => {}
                Err(e) => return Err(req("delete", &path)(e)),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(Error::Locked {
            holder: "another flinkha, taking it at the same time".into(),
            path,
        })
    }

    /// Whether the lock's session is connected now (false once the quorum is gone, e.g.
    /// after `flinkha stop` stopped it: then nothing needs to wait on it).
    pub fn connected(&self) -> bool {
        self.client.state() == zookeeper_client::SessionState::SyncConnected
    }

    /// Write the journal mirror of `operation` (persistent znode, created when missing).
    ///
    /// # Errors
    /// ZooKeeper failures (the caller decides whether a stale mirror is fatal).
    pub async fn mirror(&self, operation: &str, data: &[u8]) -> Result<()> {
        let path = format!("{}/journal/{operation}", self.base);
        match self.client.set_data(&path, data, None).await {
            Ok(_) => Ok(()),
            Err(zookeeper_client::Error::NoNode) => self
                .client
                .create(
                    &path,
                    data,
                    &CreateMode::Persistent.with_acls(self.acl.acls()),
                )
                .await
                .map(|_| ())
                .map_err(req("create", &path)),
            Err(e) => Err(req("set data of", &path)(e)),
        }
    }

    /// Release the lock (delete the znode and close the session).
    pub async fn release(mut self) {
        // Not when disconnected (after `flinkha stop` stopped the quorum there is nobody to
        // answer; the znode goes with the session), and bounded otherwise.
        if self.connected() {
            let delete = self.client.delete(&self.path, None);
            let _ = tokio::time::timeout(Duration::from_secs(2), delete).await;
        }
        self.released = true;
    }
}

/// Who holds the lock of `cluster` now (`None`: free).
///
/// # Errors
/// ZooKeeper failures.
pub async fn holder(cluster: &Cluster) -> Result<Option<Holder>> {
    let client = session(cluster).await?;
    let path = lock_path(cluster);
    match crate::zk::get_data(&client, &path).await {
        Ok((bytes, _)) => Ok(serde_json::from_slice(&bytes).ok()),
        Err(zookeeper_client::Error::NoNode) => Ok(None),
        Err(e) => Err(req("get data of", &path)(e)),
    }
}

/// The journal mirror of `operation` in ZooKeeper, if any.
///
/// # Errors
/// ZooKeeper failures.
pub async fn read_mirror(cluster: &Cluster, operation: &str) -> Result<Option<Vec<u8>>> {
    let client = session(cluster).await?;
    let path = journal_path(cluster, operation);
    match crate::zk::get_data(&client, &path).await {
        Ok((bytes, _)) => Ok(Some(bytes)),
        Err(zookeeper_client::Error::NoNode) => Ok(None),
        Err(e) => Err(req("get data of", &path)(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holder_text_names_everything() {
        let h = Holder {
            user: "ops".into(),
            host: "bastion".into(),
            pid: 42,
            command: "upgrade".into(),
            since_ms: 0,
        };
        assert_eq!(
            h.to_string(),
            "ops@bastion (pid 42) running `flinkha upgrade` since 1970-01-01T00:00:00Z"
        );
        let back: Holder = serde_json::from_slice(&serde_json::to_vec(&h).unwrap()).unwrap();
        assert_eq!(back, h);
        assert!(!h.is_dead_local() || hostname() == "bastion");
    }
}
