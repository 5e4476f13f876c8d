//! Who leads a Flink HA cluster, read from its znodes.
//!
//! Layout since Flink 1.15 (`ZooKeeperLeaderElectionDriver`, `ZooKeeperUtils`), under the HA
//! path (see [`super::ha_path`]):
//!
//! ```text
//! leader/latch/_c_<uuid>-latch-<seq>        ephemeral sequential, one per JobManager
//!                                           (Curator LeaderLatch: the lowest <seq> leads)
//! leader/dispatcher/connection_info         ephemeral, Java-serialized (address, UUID)
//! leader/resource_manager/connection_info
//! leader/rest_server/connection_info        address is the REST URL, http://host:port
//! leader/job-<jobid>/connection_info        one per running job (2.x; <jobid> alone in 1.15-1.x)
//! ```
//!
//! Before 1.15 (`ZooKeeperHaServices`) each component had its own latch and the data sat in
//! the leader znode itself: `leaderlatch/<component>_lock/...`, `leader/dispatcher_lock`,
//! `leader/resource_manager_lock`, `leader/rest_server_lock`, `leader/<jobid>/job_manager_lock`.
//!
//! The view is read with one request per znode: it is not an atomic snapshot. During a
//! failover, and for about a second after a leader dies, znodes may still name the dead
//! JobManager ("the znode says X" is not "X is alive").

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use zookeeper_client::{AddWatchMode, Client, EventType, SessionState};

use super::connection_info::{self, ConnectionInfo, DecodeError};
use super::{ConnectOptions, ZkError, join_path};

/// Which znode layout the HA path uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// Flink 1.15+: `leader/latch` and `leader/<component>/connection_info`.
    Modern,
    /// Before Flink 1.15: `leaderlatch/<component>_lock` and `leader/<component>_lock`.
    Legacy,
    /// The HA path or its leader znodes do not exist (no JobManager of this cluster-id ran
    /// since the path was created or cleaned).
    Empty,
}

/// One JobManager competing for leadership: a child of `leader/latch`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LatchContender {
    /// The child's name, `_c_<uuid>-latch-<seq>`.
    pub znode: String,
    /// The 10-digit sequence suffix ZooKeeper appended; the lowest leads.
    pub sequence: u64,
    /// ZooKeeper session id of the JobManager that created it (the znode's ephemeral owner,
    /// from its stat); 0 if the znode is not ephemeral.
    pub session_id: i64,
    /// Creation time (stat `ctime`), milliseconds since the Unix epoch.
    pub created_ms: i64,
}

/// The leader of one job's JobMaster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JobLeader {
    /// The Flink job id, 32 lowercase hex digits.
    pub job_id: String,
    /// What `leader/job-<jobid>/connection_info` holds.
    pub info: ConnectionInfo,
}

/// Everything the leader znodes of one HA path say.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LeaderView {
    /// The HA path read, normalized (`/flink/default`).
    pub ha_path: String,
    /// The layout found.
    pub layout: Layout,
    /// Dispatcher leader (`leader/dispatcher/connection_info`), if written.
    pub dispatcher: Option<ConnectionInfo>,
    /// ResourceManager leader (`leader/resource_manager/connection_info`), if written.
    pub resource_manager: Option<ConnectionInfo>,
    /// REST endpoint leader (`leader/rest_server/connection_info`), if written.
    pub rest_server: Option<ConnectionInfo>,
    /// Latch children sorted by sequence; the first holds leadership. Empty on the legacy
    /// layout (one latch per component there; see `legacy_components`).
    pub contenders: Vec<LatchContender>,
    /// Per-job leaders, sorted by job id.
    pub jobs: Vec<JobLeader>,
    /// Znodes of the pre-1.15 layout found, relative to the HA path
    /// (e.g. `leader/dispatcher_lock`, `leaderlatch/dispatcher_lock (2 contenders)`).
    pub legacy_components: Vec<String>,
    /// Anything odd, one sentence each, for the CLI to print (undecodable znode, leader info
    /// owned by a session that holds no latch, unknown children...).
    pub notes: Vec<String>,
}

impl LeaderView {
    pub(crate) fn new(ha_path: String, layout: Layout) -> Self {
        LeaderView {
            ha_path,
            layout,
            dispatcher: None,
            resource_manager: None,
            rest_server: None,
            contenders: Vec::new(),
            jobs: Vec::new(),
            legacy_components: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The leading REST endpoint's base URL as Flink wrote it (e.g. `http://127.0.1.1:8081`),
    /// from `rest_server`.
    pub fn leader_rest_url(&self) -> Option<&str> {
        self.rest_server.as_ref().map(|i| i.address.as_str())
    }

    /// `host:port` of the leading dispatcher's RPC endpoint, from its Pekko/Akka address.
    pub fn leader_rpc_host_port(&self) -> Option<(String, u16)> {
        self.dispatcher
            .as_ref()
            .and_then(|i| host_port_of_address(&i.address))
    }
}

/// Extracts `(host, port)` from a Flink leader address: a Pekko/Akka RPC URL
/// (`pekko.tcp://flink@host:port/user/rpc/dispatcher_1`, `akka.tcp://...` before Flink 1.18,
/// `pekko.ssl.tcp://...`, `pekko://flink@host:port/...`) or an HTTP(S) URL
/// (`http://host:port`, the `rest_server` address). IPv6 hosts come back without brackets.
/// Returns `None` when there is no host with a numeric port (e.g. Pekko's local
/// `pekko://flink/user/...`).
pub fn host_port_of_address(address: &str) -> Option<(String, u16)> {
    let (scheme, rest) = address.split_once("://")?;
    if scheme.is_empty() {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    // `system@host:port` for Pekko/Akka, `user@host:port` is also URL syntax.
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        (host, after.strip_prefix(':')?)
    } else {
        hostport.rsplit_once(':')?
    };
    if host.is_empty() {
        return None;
    }
    Some((host.to_owned(), port.parse().ok()?))
}

const LEADER: &str = "leader";
const LATCH: &str = "latch";
const LEGACY_LATCH: &str = "leaderlatch";
const CONNECTION_INFO: &str = "connection_info";

fn is_job_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Latch child name `..-latch-<seq>` → seq (Curator `LeaderLatch`'s `LOCK_NAME` + sequence).
fn latch_sequence(name: &str) -> Option<u64> {
    let (_, seq) = name.rsplit_once("-latch-")?;
    if seq.is_empty() || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    seq.parse().ok()
}

async fn children(client: &Client, path: &str) -> Result<Option<Vec<String>>, ZkError> {
    match super::list_children(client, path).await {
        Ok(mut c) => {
            c.sort();
            Ok(Some(c))
        }
        Err(zookeeper_client::Error::NoNode) => Ok(None),
        Err(e) => Err(ZkError::request("list children of", path, e)),
    }
}

async fn data(
    client: &Client,
    path: &str,
) -> Result<Option<(Vec<u8>, zookeeper_client::Stat)>, ZkError> {
    match super::get_data(client, path).await {
        Ok(d) => Ok(Some(d)),
        Err(zookeeper_client::Error::NoNode) => Ok(None),
        Err(e) => Err(ZkError::request("get data of", path, e)),
    }
}

/// Decodes a leader znode, turning oddities into notes. `rel` is the path shown in notes.
fn decode_into_notes(rel: &str, bytes: &[u8], notes: &mut Vec<String>) -> Option<ConnectionInfo> {
    match connection_info::decode(bytes) {
        Ok(info) => Some(info),
        Err(DecodeError::Empty) => {
            notes.push(format!(
                "{rel} is empty: the leader information was cleared (leadership revoked)"
            ));
            None
        }
        Err(e) => {
            notes.push(format!("{rel} could not be decoded: {e}"));
            None
        }
    }
}

/// Reads the leader znodes under `ha_path` (e.g. `/flink/default`, see [`super::ha_path`];
/// relative to the client's chroot, if any).
///
/// Missing znodes are not errors: a missing HA path or leader znode gives [`Layout::Empty`],
/// a missing `connection_info` gives `None` for that component, undecodable data a note.
///
/// # Errors
/// [`ZkError::Request`] when ZooKeeper fails a request (connection loss, no auth, ...).
pub async fn read_leader_view(client: &Client, ha_path: &str) -> Result<LeaderView, ZkError> {
    let ha = join_path(&[ha_path]);
    let Some(top) = children(client, &ha).await? else {
        let mut v = LeaderView::new(ha.clone(), Layout::Empty);
        v.notes.push(format!(
            "{ha} does not exist: no JobManager with this cluster-id has used this ZooKeeper"
        ));
        return Ok(v);
    };
    let leader_path = join_path(&[&ha, LEADER]);
    let leader_children = if top.iter().any(|c| c == LEADER) {
        children(client, &leader_path).await?.unwrap_or_default()
    } else {
        Vec::new()
    };
    let legacy_latches = if top.iter().any(|c| c == LEGACY_LATCH) {
        children(client, &join_path(&[&ha, LEGACY_LATCH]))
            .await?
            .unwrap_or_default()
    } else {
        Vec::new()
    };

    let is_modern_child = |c: &str| {
        c == LATCH
            || matches!(c, "dispatcher" | "resource_manager" | "rest_server")
            || c.strip_prefix("job-").is_some_and(is_job_id)
    };
    let is_legacy_child = |c: &str| c.ends_with("_lock");
    let modern = leader_children.iter().any(|c| is_modern_child(c));
    let legacy = !legacy_latches.is_empty() || leader_children.iter().any(|c| is_legacy_child(c));

    let layout = if modern {
        Layout::Modern
    } else if legacy {
        Layout::Legacy
    } else {
        Layout::Empty
    };
    let mut view = LeaderView::new(ha.clone(), layout);

    if legacy {
        read_legacy(client, &ha, &leader_children, &legacy_latches, &mut view).await?;
        if modern {
            view.notes.push(
                "znodes of the pre-1.15 layout are also present (an older Flink cluster used \
                 this cluster-id); they were ignored"
                    .to_owned(),
            );
            view.dispatcher = None;
            view.resource_manager = None;
            view.rest_server = None;
            view.jobs.clear();
        }
    }
    if modern {
        read_modern(client, &ha, &leader_children, &mut view).await?;
    }
    if layout == Layout::Empty {
        view.notes.push(if top.iter().any(|c| c == LEADER) {
            format!("{leader_path} holds no leader znodes: no JobManager is running")
        } else {
            format!("{ha} has no leader znode: no JobManager with this cluster-id has run")
        });
    }
    Ok(view)
}

async fn read_modern(
    client: &Client,
    ha: &str,
    leader_children: &[String],
    view: &mut LeaderView,
) -> Result<(), ZkError> {
    let latch_path = join_path(&[ha, LEADER, LATCH]);
    let latch_children = children(client, &latch_path).await?.unwrap_or_default();
    for name in latch_children {
        let Some(sequence) = latch_sequence(&name) else {
            view.notes.push(format!(
                "leader/latch/{name} is not a latch node (`<prefix>-latch-<seq>`)"
            ));
            continue;
        };
        // A contender that vanished since the listing just lost its place: skip it.
        let Some((_, stat)) = data(client, &join_path(&[&latch_path, &name])).await? else {
            continue;
        };
        if stat.ephemeral_owner == 0 {
            view.notes.push(format!(
                "leader/latch/{name} is not ephemeral (no owning session)"
            ));
        }
        view.contenders.push(LatchContender {
            znode: name,
            sequence,
            session_id: stat.ephemeral_owner,
            created_ms: stat.ctime,
        });
    }
    view.contenders
        .sort_by(|a, b| a.sequence.cmp(&b.sequence).then(a.znode.cmp(&b.znode)));
    let leader_session = view.contenders.first().map(|c| c.session_id);

    for component in leader_children {
        if component == LATCH || component.ends_with("_lock") {
            continue;
        }
        let job_id = component
            .strip_prefix("job-")
            .filter(|j| is_job_id(j))
            .or_else(|| is_job_id(component).then_some(component.as_str()));
        let known = job_id.is_some()
            || matches!(
                component.as_str(),
                "dispatcher" | "resource_manager" | "rest_server"
            );
        let rel = format!("leader/{component}/{CONNECTION_INFO}");
        let path = join_path(&[ha, LEADER, component, CONNECTION_INFO]);
        let Some((bytes, stat)) = data(client, &path).await? else {
            if !known {
                view.notes
                    .push(format!("leader/{component} is not a known Flink component"));
            }
            continue;
        };
        if !known {
            view.notes.push(format!(
                "leader/{component} is not a known Flink component (ignored)"
            ));
            continue;
        }
        let Some(info) = decode_into_notes(&rel, &bytes, &mut view.notes) else {
            continue;
        };
        if stat.ephemeral_owner == 0 {
            view.notes.push(format!(
                "{rel} is not ephemeral: it was not written by a Flink leader election"
            ));
        } else if let Some(leader) = leader_session
            && leader != stat.ephemeral_owner
        {
            let holds_latch = view
                .contenders
                .iter()
                .any(|c| c.session_id == stat.ephemeral_owner);
            view.notes.push(format!(
                "{rel} was written by session 0x{:x}, which {} (leader latch: 0x{leader:x}): \
                 leadership is changing",
                stat.ephemeral_owner,
                if holds_latch {
                    "is not the latch leader"
                } else {
                    "holds no latch node"
                }
            ));
        }
        match (job_id, component.as_str()) {
            (Some(job_id), _) => view.jobs.push(JobLeader {
                job_id: job_id.to_ascii_lowercase(),
                info,
            }),
            (None, "dispatcher") => view.dispatcher = Some(info),
            (None, "resource_manager") => view.resource_manager = Some(info),
            (None, _) => view.rest_server = Some(info),
        }
    }
    view.jobs.sort_by(|a, b| a.job_id.cmp(&b.job_id));
    let any_leader = view.dispatcher.is_some()
        || view.resource_manager.is_some()
        || view.rest_server.is_some()
        || !view.jobs.is_empty();
    if view.contenders.is_empty() {
        view.notes.push(if any_leader {
            "leader information is present but no JobManager holds a latch node".to_owned()
        } else {
            "no JobManager holds a latch node: none is running".to_owned()
        });
    }
    Ok(())
}

async fn read_legacy(
    client: &Client,
    ha: &str,
    leader_children: &[String],
    legacy_latches: &[String],
    view: &mut LeaderView,
) -> Result<(), ZkError> {
    for latch in legacy_latches {
        let n = children(client, &join_path(&[ha, LEGACY_LATCH, latch]))
            .await?
            .map_or(0, |c| c.len());
        view.legacy_components.push(format!(
            "{LEGACY_LATCH}/{latch} ({n} contender{})",
            if n == 1 { "" } else { "s" }
        ));
    }
    for child in leader_children {
        if let Some(component) = child.strip_suffix("_lock") {
            let rel = format!("{LEADER}/{child}");
            view.legacy_components.push(rel.clone());
            let Some((bytes, _)) = data(client, &join_path(&[ha, LEADER, child])).await? else {
                continue;
            };
            let info = decode_into_notes(&rel, &bytes, &mut view.notes);
            match component {
                "dispatcher" => view.dispatcher = info,
                "resource_manager" => view.resource_manager = info,
                "rest_server" => view.rest_server = info,
                _ => {}
            }
        } else if is_job_id(child) {
            let rel = format!("{LEADER}/{child}/job_manager_lock");
            let Some((bytes, _)) =
                data(client, &join_path(&[ha, LEADER, child, "job_manager_lock"])).await?
            else {
                continue;
            };
            view.legacy_components.push(rel.clone());
            if let Some(info) = decode_into_notes(&rel, &bytes, &mut view.notes) {
                view.jobs.push(JobLeader {
                    job_id: child.to_ascii_lowercase(),
                    info,
                });
            }
        }
    }
    view.jobs.sort_by(|a, b| a.job_id.cmp(&b.job_id));
    if view.layout == Layout::Legacy {
        view.notes.push(
            "this HA path uses the pre-1.15 znode layout (Flink < 1.15): one latch per component, \
             no leader/latch"
                .to_owned(),
        );
    }
    Ok(())
}

/// What [`LeaderWatch`] reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum WatchEvent {
    /// The leader view, first as read at start, then each time it differs from the last one
    /// reported (changes that cancel out between two reads are not seen).
    View(Box<LeaderView>),
    /// The connection or session was lost; the watch retries until it is dropped. Reported
    /// once per outage.
    Disconnected {
        /// Why, as text (client error or session state).
        reason: String,
    },
    /// Connected again after [`WatchEvent::Disconnected`]; a [`WatchEvent::View`] follows if
    /// the leaders changed meanwhile.
    Reconnected {
        /// Whether a new session had to be created (the old one expired).
        new_session: bool,
    },
}

/// Follows the leader znodes of an HA path; see [`watch_leader_view`]. Dropping it stops the
/// background task and closes its ZooKeeper session.
#[derive(Debug)]
pub struct LeaderWatch {
    rx: mpsc::Receiver<WatchEvent>,
    task: JoinHandle<()>,
}

impl LeaderWatch {
    /// The next event; never `None` while the watch runs (the task retries forever).
    pub async fn next(&mut self) -> Option<WatchEvent> {
        self.rx.recv().await
    }
}

impl Drop for LeaderWatch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl futures::Stream for LeaderWatch {
    type Item = WatchEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<WatchEvent>> {
        self.rx.poll_recv(cx)
    }
}

/// Coalesces bursts of znode events (a failover deletes and creates several znodes).
const DEBOUNCE: Duration = Duration::from_millis(100);
/// Retry delays after a failure: doubles from the first to the second.
const BACKOFF: (Duration, Duration) = (Duration::from_millis(250), Duration::from_secs(5));

/// Connects, reads the leader view of `ha_path` and keeps following it: the returned
/// [`LeaderWatch`] yields [`WatchEvent::View`] first with the current view, then whenever the
/// view changes, until dropped.
///
/// Uses a persistent recursive watch (ZooKeeper 3.6+, `addWatch`) on the HA path, so it works
/// before the path exists. On connection loss it reports [`WatchEvent::Disconnected`]; the
/// client reconnects within the session, or on session expiry the watch creates a new session
/// (retrying with backoff up to 5 s). After a reconnect the view is re-read, since events
/// during the outage can be lost (ZOOKEEPER-4698).
///
/// # Errors
/// Only at start: [`ZkError`] from the first connect, watch or read.
pub async fn watch_leader_view(
    connect_string: &str,
    options: &ConnectOptions,
    ha_path: &str,
) -> Result<LeaderWatch, ZkError> {
    let ha = join_path(&[ha_path]);
    let client = super::connect_with(connect_string, options).await?;
    let watcher = client
        .watch(&ha, AddWatchMode::PersistentRecursive)
        .await
        .map_err(|e| ZkError::request("watch", &ha, e))?;
    let view = read_leader_view(&client, &ha).await?;
    let (tx, rx) = mpsc::channel(64);
    // Capacity 64 and nothing sent yet: cannot fail.
    let _ = tx.try_send(WatchEvent::View(Box::new(view.clone())));
    let state = WatchState {
        connect_string: connect_string.to_owned(),
        options: options.clone(),
        ha,
        tx,
        last: Some(view),
    };
    let task = tokio::spawn(state.run(client, watcher));
    Ok(LeaderWatch { rx, task })
}

struct WatchState {
    connect_string: String,
    options: ConnectOptions,
    ha: String,
    tx: mpsc::Sender<WatchEvent>,
    last: Option<LeaderView>,
}

/// Why the inner loop stopped.
enum Stop {
    /// The receiver was dropped.
    Closed,
    /// The session is gone: a new one is needed.
    SessionLost(String),
}

impl WatchState {
    fn relevant(&self, path: &str) -> bool {
        // leader/..., leaderlatch/... and the HA path itself (created or deleted).
        path == self.ha
            || path
                .strip_prefix(self.ha.as_str())
                .map(|rest| rest.trim_start_matches('/'))
                .is_some_and(|rest| rest.starts_with(LEADER))
    }

    async fn emit(&mut self, event: WatchEvent) -> bool {
        self.tx.send(event).await.is_ok()
    }

    async fn emit_view(&mut self, view: LeaderView) -> bool {
        if self.last.as_ref() == Some(&view) {
            return true;
        }
        self.last = Some(view.clone());
        self.emit(WatchEvent::View(Box::new(view))).await
    }

    async fn run(mut self, mut client: Client, mut watcher: zookeeper_client::PersistentWatcher) {
        loop {
            match self.follow(&client, &mut watcher).await {
                Stop::Closed => return,
                Stop::SessionLost(reason) => {
                    if !self.emit(WatchEvent::Disconnected { reason }).await {
                        return;
                    }
                }
            }
            drop(watcher);
            drop(client);
            // New session, with backoff.
            let mut delay = BACKOFF.0;
            (client, watcher) = loop {
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    _ = self.tx.closed() => return,
                }
                delay = (delay * 2).min(BACKOFF.1);
                let Ok(c) = super::connect_with(&self.connect_string, &self.options).await else {
                    continue;
                };
                if let Ok(w) = c.watch(&self.ha, AddWatchMode::PersistentRecursive).await {
                    break (c, w);
                }
            };
            if !self
                .emit(WatchEvent::Reconnected { new_session: true })
                .await
            {
                return;
            }
        }
    }

    /// Follows events on one session until it ends or the receiver goes away.
    async fn follow(
        &mut self,
        client: &Client,
        watcher: &mut zookeeper_client::PersistentWatcher,
    ) -> Stop {
        let mut dirty = true; // re-read at once: the watch may be new
        let mut deadline = tokio::time::Instant::now();
        let mut disconnected = false;
        let mut retry_delay = BACKOFF.0;
        loop {
            tokio::select! {
                event = watcher.changed() => {
                    if event.event_type == EventType::Session {
                        match event.session_state {
                            SessionState::Disconnected => {
                                if !disconnected {
                                    disconnected = true;
                                    let reason = "connection to ZooKeeper lost".to_owned();
                                    if !self.emit(WatchEvent::Disconnected { reason }).await {
                                        return Stop::Closed;
                                    }
                                }
                            }
                            SessionState::SyncConnected | SessionState::ConnectedReadOnly => {
                                if disconnected {
                                    disconnected = false;
                                    // zookeeper-client 0.11.2 does not re-register persistent
                                    // watches on reconnect (its `resend_watches` never selects
                                    // SetWatches2), so the server forgot ours: add it again,
                                    // new watcher first so dropping the old one removes nothing
                                    // on the server.
                                    match client.watch(&self.ha, AddWatchMode::PersistentRecursive).await {
                                        Ok(new) => *watcher = new,
                                        Err(e) => {
                                            return Stop::SessionLost(
                                                ZkError::request("watch", &self.ha, e).to_string(),
                                            );
                                        }
                                    }
                                    if !self.emit(WatchEvent::Reconnected { new_session: false }).await {
                                        return Stop::Closed;
                                    }
                                }
                                dirty = true;
                                deadline = tokio::time::Instant::now();
                            }
                            // Terminal: the watcher must not be polled again (it panics).
                            state => return Stop::SessionLost(format!("ZooKeeper session {state:?}")),
                        }
                    } else if self.relevant(&event.path) && !dirty {
                        dirty = true;
                        deadline = tokio::time::Instant::now() + DEBOUNCE;
                    }
                }
                _ = tokio::time::sleep_until(deadline), if dirty && !disconnected => {
                    match read_leader_view(client, &self.ha).await {
                        Ok(view) => {
                            dirty = false;
                            retry_delay = BACKOFF.0;
                            if !self.emit_view(view).await {
                                return Stop::Closed;
                            }
                        }
                        Err(e) => {
                            let source = e.client_error().cloned();
                            if matches!(
                                source,
                                Some(zookeeper_client::Error::SessionExpired
                                    | zookeeper_client::Error::ClientClosed
                                    | zookeeper_client::Error::AuthFailed)
                            ) {
                                return Stop::SessionLost(e.to_string());
                            }
                            // Transient (connection loss...): retry later; the session event
                            // stream tells us when it is back.
                            deadline = tokio::time::Instant::now() + retry_delay;
                            retry_delay = (retry_delay * 2).min(BACKOFF.1);
                        }
                    }
                }
                _ = self.tx.closed() => return Stop::Closed,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_from_addresses() {
        let hp = |s: &str| host_port_of_address(s);
        assert_eq!(
            hp("pekko.tcp://flink@127.0.1.1:6123/user/rpc/dispatcher_1"),
            Some(("127.0.1.1".to_owned(), 6123))
        );
        assert_eq!(
            hp("akka.tcp://flink@jm-1.example.com:50010/user/rpc/resourcemanager_0"),
            Some(("jm-1.example.com".to_owned(), 50010))
        );
        assert_eq!(
            hp("pekko.ssl.tcp://flink@[::1]:6123/user/rpc/dispatcher_1"),
            Some(("::1".to_owned(), 6123))
        );
        assert_eq!(
            hp("http://127.0.1.1:8081"),
            Some(("127.0.1.1".to_owned(), 8081))
        );
        assert_eq!(hp("https://jm:8443/"), Some(("jm".to_owned(), 8443)));
        assert_eq!(hp("pekko://flink/user/rpc/dispatcher_1"), None);
        assert_eq!(hp("http://host"), None);
        assert_eq!(hp("http://host:99999"), None);
        assert_eq!(hp("127.0.0.1:6123"), None);
        assert_eq!(hp(""), None);
    }

    #[test]
    fn latch_sequences() {
        assert_eq!(
            latch_sequence("_c_0f6a1b7e-2d3c-4b5a-9e8f-7a6b5c4d3e2f-latch-0000000003"),
            Some(3)
        );
        assert_eq!(latch_sequence("latch-0000000003"), None);
        assert_eq!(latch_sequence("_c_x-latch-"), None);
        assert_eq!(latch_sequence("_c_x-latch-12a"), None);
        assert_eq!(latch_sequence("_c_x-latch-99999999999999999999999"), None);
    }

    #[test]
    fn rest_url_and_json_shape() {
        let mut v = LeaderView::new("/flink/default".into(), Layout::Modern);
        assert_eq!(v.leader_rest_url(), None);
        v.rest_server = Some(ConnectionInfo {
            address: "http://127.0.1.1:8081".into(),
            session_id: "01234567-89ab-cdef-fedc-ba9876543210".into(),
        });
        assert_eq!(v.leader_rest_url(), Some("http://127.0.1.1:8081"));
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["layout"], "modern");
        assert_eq!(json["rest_server"]["address"], "http://127.0.1.1:8081");
        let e = serde_json::to_value(WatchEvent::Reconnected { new_session: true }).unwrap();
        assert_eq!(e["event"], "reconnected");
    }
}
