//! `flinkha failover drill`: the failover test of the HA walkthroughs as one command.
//!
//! JobManager drill: the leading JobManager (from the `rest_server` leader znode) is sent
//! SIGKILL (`kill -9`, a crash) or SIGTERM (`--graceful`, a clean stop); then, every time in
//! ms after the kill command returned: until the leader znode names a new leader (another
//! address or another leader session id), until that leader's REST endpoint answers, until
//! every TaskManager registered before the kill is registered at it again
//! (`GET /taskmanagers`, by ResourceID), and until each job that was RUNNING is RUNNING again
//! with all vertices (`GET /jobs/<id>`), with the checkpoint it restored from
//! (`GET /jobs/<id>/checkpoints` → `latest.restored`). Then the killed JobManager is started
//! again (Flink's `bin/jobmanager.sh`, as `flinkha start --jobmanagers --host H`) and waited
//! on until its REST endpoint answers while the new leader keeps leading: a standby.
//!
//! ZooKeeper drill (`--zookeeper`): one quorum server (the quorum leader by default, or the
//! one on `--host`) is killed; then the time until the remaining servers serve with one
//! leader again (`srvr`), whether Flink's leader changed (its `rest_server` leader session),
//! whether each job stayed RUNNING or was restored again, and the time until the killed server
//! has started again and rejoined (`srvr` mode leader or follower).
//!
//! Refused before anything is killed when the drill would not be survivable: HA off, the
//! quorum not serving, fewer than two JobManagers running, a job not fully RUNNING, a
//! savepoint in progress, or a quorum that would lose its majority. The drill never leaves
//! the cluster one daemon short: whatever happens after the kill (a timeout, a REST error,
//! a first Ctrl-C), the killed daemon is started again before the report.
//!
//! Facts used: Flink's "JobManager High Availability" and "ZooKeeper HA Services" pages
//! (leader election through the latch, the leader znodes, recovery of jobs from the
//! completed checkpoint store), the REST API reference, and ZooKeeper's Administrator's Guide
//! (a quorum of 2f+1 servers survives f failures; `srvr`).

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::daemons::{self, DaemonState};
use super::health::{self, PROBE_TIMEOUT, PeerStatus};
use super::leader::{self, LeaderReader};
use super::lifecycle::{self, InstanceAction, Selection};
use crate::core::error::{Error, Result};
use crate::core::hosts::{self, Sessions, for_each_host};
use crate::core::journal::{INTERRUPT, PLAN_RUNNING};
use crate::core::model::{Cluster, Role};
use crate::core::reporter::Reporter;
use crate::rest::jobs::RestoredCheckpoint;
use crate::zk::four_letter::Mode;

/// Poll interval while waiting for the leader znode or the quorum (ms matter there).
const FAST_POLL: Duration = Duration::from_millis(100);
/// Poll interval of REST observations.
const POLL: Duration = Duration::from_millis(250);

/// What a drill kills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DrillTarget {
    /// The leading JobManager.
    JobManager,
    /// One ZooKeeper quorum server.
    ZooKeeper,
}

/// Options of a drill.
#[derive(Debug, Clone)]
pub struct DrillOptions {
    /// What to kill.
    pub target: DrillTarget,
    /// For [`DrillTarget::ZooKeeper`]: the host whose server to kill (inventory name or
    /// address); `None`: the quorum leader.
    pub host: Option<String>,
    /// SIGTERM (a clean stop) instead of SIGKILL (a crash).
    pub graceful: bool,
    /// Recovery must be complete this long after the kill (the restart of the killed daemon
    /// comes after, bounded by the inventory's start timeout).
    pub timeout: Duration,
}

/// The daemon a drill kills.
#[derive(Debug, Clone, Serialize)]
pub struct Victim {
    /// Inventory host.
    pub host: String,
    /// Its address.
    pub address: String,
    /// Role.
    pub role: Role,
    /// Pid (from the instance's pid file, checked against its command line).
    pub pid: u32,
    /// `SIGKILL` or `SIGTERM`.
    pub signal: String,
    /// ZooKeeper `myid`, for a quorum server.
    pub zk_id: Option<u32>,
    /// Its quorum mode before the kill (`leader`, `follower`), for a quorum server.
    pub zk_mode: Option<String>,
}

/// A Flink leader as the `rest_server` leader znode names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeaderSeen {
    /// Inventory host of the JobManager at that address, if any.
    pub host: Option<String>,
    /// REST URL.
    pub rest_url: String,
    /// Leader session id (UUID).
    pub session_id: String,
}

/// A running JobManager that is not the leader.
#[derive(Debug, Clone, Serialize)]
pub struct Standby {
    /// Inventory host.
    pub host: String,
    /// Pid.
    pub pid: u32,
}

/// A TaskManager registered at the leader before the drill.
#[derive(Debug, Clone, Serialize)]
pub struct TaskManagerBefore {
    /// Its ResourceID (`GET /taskmanagers` → `id`; kept by the process across a JobManager
    /// failover).
    pub id: String,
    /// Host part of its RPC address.
    pub host: Option<String>,
}

/// A job RUNNING before the drill.
#[derive(Debug, Clone, Serialize)]
pub struct JobBefore {
    /// Job id.
    pub job_id: String,
    /// Job name.
    pub name: String,
    /// Id of its latest completed checkpoint (`latest.completed.id`), if any: a recovery must
    /// restore this one or a newer one.
    pub latest_checkpoint: Option<u64>,
    /// What it had restored from (`latest.restored`), to tell a new restore from the old one.
    pub restored: Option<RestoredCheckpoint>,
}

/// What a drill will do, computed (and checked) before anything is killed.
#[derive(Debug, Clone, Serialize)]
pub struct DrillPlan {
    /// What is killed.
    pub target: DrillTarget,
    /// Cluster name.
    pub cluster: String,
    /// The daemon to kill (none when refused before one was found).
    pub victim: Option<Victim>,
    /// The Flink leader before the kill.
    pub leader: Option<LeaderSeen>,
    /// JobManagers expected to take over (JobManager drill).
    pub standbys: Vec<Standby>,
    /// TaskManagers that must register again (JobManager drill).
    pub taskmanagers: Vec<TaskManagerBefore>,
    /// Jobs that must be RUNNING with all vertices again.
    pub jobs: Vec<JobBefore>,
    /// The quorum before the kill.
    pub quorum: Vec<PeerStatus>,
    /// `--timeout`, ms.
    pub timeout_ms: u64,
    /// Things the operator should know before saying yes.
    pub warnings: Vec<String>,
    /// Why the drill is not survivable now; non-empty means refused.
    pub refusals: Vec<String>,
}

impl DrillPlan {
    /// Whether the drill is refused.
    pub fn refused(&self) -> bool {
        !self.refusals.is_empty()
    }

    /// The plan as lines for the confirmation prompt and `--dry-run`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let what = match self.target {
            DrillTarget::JobManager => "the leading JobManager",
            DrillTarget::ZooKeeper => "one ZooKeeper server",
        };
        out.push_str(&format!(
            "Failover drill of cluster {}: kill {what}, measure the recovery, restart it.\n",
            self.cluster
        ));
        if let Some(v) = &self.victim {
            let how = if v.signal == "SIGKILL" {
                "kill -9 (SIGKILL)"
            } else {
                "kill -15 (SIGTERM)"
            };
            match self.target {
                DrillTarget::JobManager => {
                    out.push_str(&format!(
                        "  1. {how} the leading JobManager on {} ({}, pid {})",
                        v.host, v.address, v.pid
                    ));
                    if let Some(l) = &self.leader {
                        out.push_str(&format!(
                            "; leader session {}, REST {}",
                            l.session_id, l.rest_url
                        ));
                    }
                    out.push('\n');
                    let sb: Vec<String> = self
                        .standbys
                        .iter()
                        .map(|s| format!("{} (pid {})", s.host, s.pid))
                        .collect();
                    out.push_str(&format!(
                        "  2. wait for a new leader in the leader znode; standby JobManager(s): {}\n",
                        if sb.is_empty() { "none".into() } else { sb.join(", ") }
                    ));
                    let tms: BTreeSet<&str> = self
                        .taskmanagers
                        .iter()
                        .filter_map(|t| t.host.as_deref())
                        .collect();
                    out.push_str(&format!(
                        "  3. wait until all {} TaskManager(s) are registered at it again ({})\n",
                        self.taskmanagers.len(),
                        tms.into_iter().collect::<Vec<_>>().join(", ")
                    ));
                }
                DrillTarget::ZooKeeper => {
                    out.push_str(&format!(
                        "  1. {how} ZooKeeper server {} on {} ({}, pid {}), now {}\n",
                        v.zk_id.unwrap_or(0),
                        v.host,
                        v.address,
                        v.pid,
                        v.zk_mode.as_deref().unwrap_or("?")
                    ));
                    out.push_str(&format!(
                        "  2. wait until the other {} server(s) serve with one leader; watch Flink's leader ({})\n",
                        self.quorum.len().saturating_sub(1),
                        self.leader
                            .as_ref()
                            .map(|l| l.rest_url.as_str())
                            .unwrap_or("none")
                    ));
                    out.push_str("  3. watch every job (RUNNING throughout, or restored again)\n");
                }
            }
            if self.jobs.is_empty() {
                out.push_str("  4. no job is running: nothing to recover\n");
            } else {
                out.push_str("  4. wait until each job is RUNNING with all vertices again:\n");
                for j in &self.jobs {
                    let from = match j.latest_checkpoint {
                        Some(id) => format!("from checkpoint {id} or newer"),
                        None => "with EMPTY state (no completed checkpoint yet)".into(),
                    };
                    out.push_str(&format!("       {} ({}) {from}\n", j.name, j.job_id));
                }
            }
            out.push_str(&format!(
                "  5. start the {} on {} again{} and wait until it {}\n",
                v.role,
                v.host,
                if self.target == DrillTarget::JobManager {
                    " (a standby)"
                } else {
                    ""
                },
                if self.target == DrillTarget::JobManager {
                    "answers on REST"
                } else {
                    "rejoined the quorum"
                }
            ));
            out.push_str(&format!(
                "Recovery (steps 2-4) must complete within {} s of the kill (--timeout).\n",
                self.timeout_ms / 1000
            ));
        }
        for w in &self.warnings {
            out.push_str(&format!("warning: {w}\n"));
        }
        for r in &self.refusals {
            out.push_str(&format!("refused: {r}\n"));
        }
        out
    }
}

fn block<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

/// `(host, pid)` of instances up, and `(host, error)` of hosts not probed.
type RoleProbe = (Vec<(String, u32)>, Vec<(String, String)>);

/// Probe `role` on every host that has it: (host, pid) of the instances that are up, and the
/// hosts that could not be probed (host, error).
fn probe_role(cluster: &Cluster, sessions: &Sessions, role: Role) -> RoleProbe {
    let hosts = cluster.hosts_with(role);
    let out = block(|| {
        for_each_host(&hosts, cluster.parallelism, |h| {
            daemons::probe(cluster, h, sessions.get(h)?.as_ref(), &[role])
        })
    });
    let mut up = Vec::new();
    let mut failed = Vec::new();
    for o in out {
        match o.result {
            Ok(p) => {
                if let Some(d) = p.daemon(role)
                    && d.state == DaemonState::Up
                    && let Some(pid) = d.pid
                {
                    up.push((o.host, pid));
                }
            }
            Err(e) => failed.push((o.host, crate::core::error_chain(&e))),
        }
    }
    up.sort();
    (up, failed)
}

/// The leader `l` names. `None` when no `rest_server` znode exists, or when it names no
/// JobManager of the cluster (a tampered or foreign znode: the drill sends it nothing, see
/// [`untrusted`]).
fn seen(l: &leader::Leader) -> Option<LeaderSeen> {
    let r = l.view.rest_server.as_ref()?;
    l.trusted_url()?;
    Some(LeaderSeen {
        host: l.host.clone(),
        rest_url: l.rest_url.clone(),
        session_id: r.session_id.clone(),
    })
}

/// Why `l`'s `rest_server` znode is not used, when it names no JobManager of `cluster`.
fn untrusted(cluster: &Cluster, l: &leader::Leader) -> Option<String> {
    (l.view.rest_server.is_some() && l.trusted_url().is_none())
        .then(|| leader::untrusted_message(cluster, &l.rest_url))
}

fn mode_name(p: &PeerStatus) -> String {
    match &p.status {
        Some(s) => s
            .mode_text
            .clone()
            .unwrap_or_else(|| format!("{:?}", s.mode).to_lowercase()),
        None => "down".into(),
    }
}

fn serving_mode(p: &PeerStatus) -> bool {
    p.status
        .as_ref()
        .is_some_and(|s| matches!(s.mode, Mode::Leader | Mode::Follower | Mode::Standalone))
}

/// Look at the cluster and decide what the drill will do, or why it must not run. Touches
/// nothing.
///
/// # Errors
/// Only an unknown `--host`; every other problem is a refusal in the plan.
pub async fn plan(
    cluster: &Cluster,
    sessions: &Sessions,
    opts: &DrillOptions,
) -> Result<DrillPlan> {
    let mut p = DrillPlan {
        target: opts.target,
        cluster: cluster.name.clone(),
        victim: None,
        leader: None,
        standbys: Vec::new(),
        taskmanagers: Vec::new(),
        jobs: Vec::new(),
        quorum: Vec::new(),
        timeout_ms: crate::time::millis(opts.timeout),
        warnings: Vec::new(),
        refusals: Vec::new(),
    };
    let zk_host = match &opts.host {
        Some(h) => Some(cluster.host(h)?.name.clone()),
        None => None,
    };
    let signal = if opts.graceful { "SIGTERM" } else { "SIGKILL" };
    if !cluster.ha.enabled {
        p.refusals.push(format!(
            "high availability is off ({} does not set high-availability.type: zookeeper): without HA a JobManager failover ends every job and nothing takes over",
            cluster.conf.config.path.display()
        ));
        return Ok(p);
    }
    p.quorum = health::quorum_status(cluster).await;
    if !health::quorum_serving(&p.quorum) {
        p.refusals.push(format!(
            "the ZooKeeper quorum is not serving ({}): fix it first (`flinkha zk status`)",
            health::describe_quorum(&p.quorum)
        ));
        return Ok(p);
    }
    let l = match leader::read_leader(cluster).await {
        Ok(Some(l)) => l,
        Ok(None) => {
            p.refusals.push(format!(
                "no leader znode under {}: no JobManager leads (`flinkha leader show`)",
                cluster.ha.path()
            ));
            return Ok(p);
        }
        Err(e) => {
            p.refusals.push(format!(
                "reading the leader znodes: {}",
                crate::core::error_chain(&e)
            ));
            return Ok(p);
        }
    };
    p.leader = seen(&l);
    let Some(leader_host) = l.host.clone() else {
        p.refusals.push(format!(
            "the rest_server leader znode names {}, which is no JobManager of {} (masters): not this cluster's leader",
            l.rest_url,
            cluster.inventory_path.display()
        ));
        return Ok(p);
    };
    let rest = match cluster.rest_client(&l.rest_url, PROBE_TIMEOUT) {
        Ok(r) => r,
        Err(e) => {
            p.refusals.push(crate::core::error_chain(&e));
            return Ok(p);
        }
    };
    match rest.taskmanagers().await {
        Ok(tms) => {
            p.taskmanagers = tms
                .iter()
                .map(|t| TaskManagerBefore {
                    id: t.id.clone(),
                    host: t.host().map(str::to_string),
                })
                .collect();
        }
        Err(e) => {
            p.refusals.push(format!(
                "the leader's REST endpoint {} does not answer: {}",
                l.rest_url,
                crate::core::error_chain(&e)
            ));
            return Ok(p);
        }
    }
    if p.taskmanagers.len() < cluster.taskmanagers.len() {
        p.warnings.push(format!(
            "only {} of the {} TaskManagers in workers are registered now; the drill waits for these {} only",
            p.taskmanagers.len(),
            cluster.taskmanagers.len(),
            p.taskmanagers.len()
        ));
    }
    let jobs = match rest.jobs().await {
        Ok(j) => j,
        Err(e) => {
            p.refusals
                .push(format!("listing jobs: {}", crate::core::error_chain(&e)));
            return Ok(p);
        }
    };
    for j in jobs {
        if crate::rest::jobs::JobDetails::is_terminal(&j.state) {
            continue;
        }
        let who = format!("{} ({})", j.name, j.jid);
        if j.state != "RUNNING" {
            p.refusals.push(format!(
                "job {who} is {}, not RUNNING: a drill now would measure nothing; wait until it runs (`flinkha jobs show {}`)",
                j.state, j.jid
            ));
            continue;
        }
        match rest.job(&j.jid).await {
            Ok(d) if d.fully_running() => {}
            Ok(d) => {
                let not: Vec<String> = d
                    .vertices
                    .iter()
                    .filter(|v| v.status != "RUNNING")
                    .map(|v| format!("{} {}", v.name, v.status))
                    .collect();
                p.refusals.push(format!(
                    "job {who} is RUNNING but not every vertex is ({}): wait until it runs fully",
                    not.join(", ")
                ));
                continue;
            }
            Err(e) => {
                p.refusals
                    .push(format!("job {who}: {}", crate::core::error_chain(&e)));
                continue;
            }
        }
        match rest.savepoints_in_progress(&j.jid).await {
            Ok(0) => {}
            Ok(n) => p.refusals.push(format!(
                "job {who} has {n} savepoint(s) in progress: a failover would fail it; wait until it completed"
            )),
            Err(e) => p.refusals.push(format!(
                "job {who}: reading its checkpoints: {}",
                crate::core::error_chain(&e)
            )),
        }
        let stats = rest.checkpoints(&j.jid).await.unwrap_or_default();
        let latest = stats.latest.completed.as_ref().map(|c| c.id);
        if latest.is_none() {
            p.warnings.push(format!(
                "job {who} has no completed checkpoint: it recovers with empty state (is checkpointing enabled?)"
            ));
        }
        p.jobs.push(JobBefore {
            job_id: j.jid,
            name: j.name,
            latest_checkpoint: latest,
            restored: stats.latest.restored,
        });
    }
    match opts.target {
        DrillTarget::JobManager => {
            let (up, unprobed) = probe_role(cluster, sessions, Role::JobManager);
            for (h, e) in &unprobed {
                p.warnings.push(format!("{h}: not probed: {e}"));
            }
            if up.len() < 2 {
                p.refusals.push(format!(
                    "{} JobManager(s) running ({}): killing the leader would leave none to take over; start a standby first (`flinkha start --jobmanagers`)",
                    up.len(),
                    up.iter().map(|(h, _)| h.as_str()).collect::<Vec<_>>().join(", ")
                ));
            }
            let Some((_, pid)) = up.iter().find(|(h, _)| *h == leader_host) else {
                p.refusals.push(format!(
                    "the leader znode names the JobManager on {leader_host}, but no JobManager of ours runs there (it may have just died: the znode outlives it by up to the ZooKeeper session timeout)"
                ));
                return Ok(p);
            };
            let h = cluster.host(&leader_host)?;
            p.victim = Some(Victim {
                host: h.name.clone(),
                address: h.address.clone(),
                role: Role::JobManager,
                pid: *pid,
                signal: signal.into(),
                zk_id: None,
                zk_mode: None,
            });
            p.standbys = up
                .iter()
                .filter(|(h, _)| *h != leader_host)
                .map(|(h, pid)| Standby {
                    host: h.clone(),
                    pid: *pid,
                })
                .collect();
        }
        DrillTarget::ZooKeeper => {
            if cluster.zookeeper.is_empty() {
                p.refusals.push(format!(
                    "the quorum is external (no zoo.cfg in {}): flinkha does not run its servers, so it cannot kill or restart one",
                    cluster.conf.dir.display()
                ));
                return Ok(p);
            }
            let target = match &zk_host {
                Some(h) => match cluster.zk_peer_on(h) {
                    Some(z) => z,
                    None => {
                        p.refusals.push(format!(
                            "{h} runs no ZooKeeper server (zoo.cfg); servers: {}",
                            cluster
                                .zookeeper
                                .iter()
                                .map(|z| z.host.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                        return Ok(p);
                    }
                },
                None => {
                    let lead = p
                        .quorum
                        .iter()
                        .find(|s| s.status.as_ref().is_some_and(|s| s.mode == Mode::Leader));
                    match lead.and_then(|s| cluster.zookeeper.iter().find(|z| z.id == s.id)) {
                        Some(z) => z,
                        None => {
                            p.refusals.push(format!(
                                "no quorum leader found ({})",
                                health::describe_quorum(&p.quorum)
                            ));
                            return Ok(p);
                        }
                    }
                }
            };
            let n = p.quorum.len();
            let serving_after = p
                .quorum
                .iter()
                .filter(|s| s.id != target.id && serving_mode(s))
                .count();
            if serving_after * 2 <= n {
                p.refusals.push(format!(
                    "killing ZooKeeper server {} on {} leaves {serving_after} of {n} serving ({}): the quorum would lose its majority and stop serving",
                    target.id,
                    target.host,
                    health::describe_quorum(&p.quorum)
                ));
            }
            let (up, _) = probe_role(cluster, sessions, Role::ZooKeeper);
            let Some((_, pid)) = up.iter().find(|(h, _)| *h == target.host) else {
                p.refusals.push(format!(
                    "no ZooKeeper server of ours runs on {} (its pid file names no live server)",
                    target.host
                ));
                return Ok(p);
            };
            let h = cluster.host(&target.host)?;
            let mode = p.quorum.iter().find(|s| s.id == target.id).map(mode_name);
            if mode.as_deref() == Some("leader") {
                p.warnings.push(
                    "this kills the quorum leader: the other servers elect a new one and every ZooKeeper client is disconnected meanwhile; with Flink's default high-availability.zookeeper.client.tolerate-suspended-connections: false, a JobManager whose connection is suspended gives up its leadership and its jobs restart from their latest checkpoint".into(),
                );
            } else {
                p.warnings.push(
                    "the clients connected to this server (perhaps Flink's leader) are disconnected and reconnect to another; with Flink's default high-availability.zookeeper.client.tolerate-suspended-connections: false a suspended leader gives up its leadership".into(),
                );
            }
            p.victim = Some(Victim {
                host: h.name.clone(),
                address: h.address.clone(),
                role: Role::ZooKeeper,
                pid: *pid,
                signal: signal.into(),
                zk_id: Some(target.id),
                zk_mode: mode,
            });
        }
    }
    Ok(p)
}

/// How a job came through the drill.
#[derive(Debug, Clone, Serialize)]
pub struct JobRecovery {
    /// Job id.
    pub job_id: String,
    /// Job name.
    pub name: String,
    /// Latest completed checkpoint before the kill.
    pub checkpoint_before: Option<u64>,
    /// ms from the kill until it was RUNNING with all vertices again (JobManager drill), or,
    /// in a ZooKeeper drill, until it was again after an observation that it was not
    /// (`None` there: it was seen RUNNING at every observation).
    pub running_ms: Option<u64>,
    /// What it restored from (`latest.restored` at the leader after the drill).
    pub restored: Option<RestoredCheckpoint>,
    /// Whether it was restored during the drill (a new `latest.restored`).
    pub restarted: bool,
    /// RUNNING with all vertices at the end of the drill.
    pub running_after: bool,
    /// What is wrong, if anything.
    pub problem: Option<String>,
}

/// The restart of the killed daemon.
#[derive(Debug, Clone, Serialize)]
pub struct Restart {
    /// Host.
    pub host: String,
    /// New pid.
    pub pid: Option<u32>,
    /// ms from the kill until the start was issued.
    pub started_ms: u64,
    /// ms from the kill until it was ready: REST answering (JobManager) or rejoined (ZooKeeper).
    pub ready_ms: Option<u64>,
    /// JobManager: it runs, answers, and another JobManager leads.
    pub standby: Option<bool>,
    /// ZooKeeper: its `srvr` mode after rejoining.
    pub mode: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

/// The result of a drill. Every `*_ms` is ms after the kill command returned (the signal was
/// sent by then).
#[derive(Debug, Clone, Serialize)]
pub struct DrillReport {
    /// What was killed.
    pub target: DrillTarget,
    /// Cluster name.
    pub cluster: String,
    /// The killed daemon.
    pub killed: Victim,
    /// When the kill command returned, ms since the epoch.
    pub killed_at_ms: u64,
    /// Round trip of the kill command (SSH), ms: the uncertainty of every time below.
    pub kill_command_ms: u64,
    /// Flink's leader before.
    pub leader_before: Option<LeaderSeen>,
    /// Flink's leader after (the leader znode at the end).
    pub leader_after: Option<LeaderSeen>,
    /// Whether Flink's leader changed (another address or leader session).
    pub leader_changed: bool,
    /// JobManager drill: until the leader znode named the new leader.
    pub new_leader_ms: Option<u64>,
    /// JobManager drill: until the new leader's REST endpoint answered.
    pub leader_rest_ms: Option<u64>,
    /// JobManager drill: TaskManagers that had to register again.
    pub taskmanagers_expected: Option<usize>,
    /// JobManager drill: of those, registered at the new leader at the end.
    pub taskmanagers_registered: Option<usize>,
    /// Until all of them were registered at the new leader.
    pub taskmanagers_ms: Option<u64>,
    /// Until the last job was RUNNING with all vertices again.
    pub jobs_ms: Option<u64>,
    /// Per job.
    pub jobs: Vec<JobRecovery>,
    /// ZooKeeper drill: until the remaining servers served with one leader.
    pub quorum_ms: Option<u64>,
    /// ZooKeeper drill: the quorum leader's `myid` after.
    pub quorum_leader: Option<u32>,
    /// ZooKeeper drill: every observation (every 100 ms) found the quorum serving.
    pub quorum_serving_throughout: Option<bool>,
    /// The restart of the killed daemon.
    pub restart: Option<Restart>,
    /// From the kill until the end of the drill (restart included), ms.
    pub total_ms: u64,
    /// `--timeout`, ms.
    pub timeout_ms: u64,
    /// Stopped early by Ctrl-C (the killed daemon was restarted all the same).
    pub interrupted: bool,
    /// What failed or took too long; empty when the cluster recovered in time.
    pub problems: Vec<String>,
}

impl DrillReport {
    /// True when everything recovered within the timeout and the killed daemon is back.
    pub fn ok(&self) -> bool {
        self.problems.is_empty() && !self.interrupted
    }
}

/// Sets [`PLAN_RUNNING`] while a drill runs, so the CLI's first Ctrl-C only sets
/// [`INTERRUPT`] (the drill then stops waiting and restarts the killed daemon) instead of
/// dropping the drill with the daemon dead.
struct Guard;

impl Guard {
    fn new() -> Guard {
        INTERRUPT.store(false, Ordering::SeqCst);
        PLAN_RUNNING.store(true, Ordering::SeqCst);
        Guard
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        PLAN_RUNNING.store(false, Ordering::SeqCst);
    }
}

fn interrupted() -> bool {
    INTERRUPT.load(Ordering::SeqCst)
}

fn ms(t0: Instant) -> u64 {
    t0.elapsed().as_millis() as u64
}

/// Run the drill `plan` describes (it must not be refused).
///
/// # Errors
/// [`Error::Refused`] for a refused plan or when the kill could not be sent (then nothing
/// was killed); after the kill, every failure is in the report's `problems`.
pub async fn run(
    cluster: &Cluster,
    sessions: &Sessions,
    reporter: &dyn Reporter,
    plan: &DrillPlan,
) -> Result<DrillReport> {
    if plan.refused() {
        return Err(Error::Refused {
            message: format!("failover drill refused: {}", plan.refusals.join("; ")),
        });
    }
    let Some(victim) = plan.victim.clone() else {
        return Err(Error::Refused {
            message: "failover drill: nothing to kill".into(),
        });
    };
    let _guard = Guard::new();
    let host = cluster.host(&victim.host)?.clone();
    let sig = victim.signal.trim_start_matches("SIG").to_string();
    reporter.phase(&format!(
        "Sending {} to the {} on {} (pid {})",
        victim.signal, victim.role, victim.host, victim.pid
    ));
    let sent = Instant::now();
    let out = block(|| {
        let t = sessions.get(&host)?;
        hosts::run(
            &host,
            t.as_ref(),
            &format!("signalling the {}", victim.role),
            &daemons::signal_script(cluster, &host, victim.role, victim.pid, &sig),
        )
    })?;
    if !out.contains("signalled") {
        return Err(Error::Refused {
            message: format!(
                "pid {} on {} is no longer the {} (it exited, or the pid now belongs to another process): nothing was killed; run the drill again",
                victim.pid, victim.host, victim.role
            ),
        });
    }
    let t0 = Instant::now();
    let killed_at_ms = crate::core::catalogue::now_ms();
    reporter.host_finished(
        &victim.host,
        true,
        &format!(
            "{} sent to {} (pid {})",
            victim.signal, victim.role, victim.pid
        ),
    );
    let mut r = DrillReport {
        target: plan.target,
        cluster: plan.cluster.clone(),
        killed: victim.clone(),
        killed_at_ms,
        kill_command_ms: (t0 - sent).as_millis() as u64,
        leader_before: plan.leader.clone(),
        leader_after: None,
        leader_changed: false,
        new_leader_ms: None,
        leader_rest_ms: None,
        taskmanagers_expected: (plan.target == DrillTarget::JobManager)
            .then_some(plan.taskmanagers.len()),
        taskmanagers_registered: (plan.target == DrillTarget::JobManager).then_some(0),
        taskmanagers_ms: None,
        jobs_ms: None,
        jobs: plan
            .jobs
            .iter()
            .map(|j| JobRecovery {
                job_id: j.job_id.clone(),
                name: j.name.clone(),
                checkpoint_before: j.latest_checkpoint,
                running_ms: None,
                restored: None,
                restarted: false,
                running_after: false,
                problem: None,
            })
            .collect(),
        quorum_ms: None,
        quorum_leader: None,
        quorum_serving_throughout: None,
        restart: None,
        total_ms: 0,
        timeout_ms: plan.timeout_ms,
        interrupted: false,
        problems: Vec::new(),
    };
    let deadline = crate::time::after(t0, Duration::from_millis(plan.timeout_ms));
    match plan.target {
        DrillTarget::JobManager => {
            watch_jobmanager_failover(cluster, reporter, plan, &mut r, t0, deadline).await;
            restart_jobmanager(cluster, sessions, reporter, &mut r, t0).await;
        }
        DrillTarget::ZooKeeper => {
            watch_quorum_failover(cluster, reporter, plan, &mut r, t0, deadline).await;
            restart_zookeeper(cluster, sessions, reporter, &mut r, t0).await;
            final_flink_check(cluster, plan, &mut r).await;
        }
    }
    r.interrupted = interrupted();
    if r.interrupted {
        r.problems
            .push("interrupted (Ctrl-C): the measurements stop where they were".into());
    }
    r.total_ms = ms(t0);
    Ok(r)
}

fn leader_changed(before: &Option<LeaderSeen>, now: &LeaderSeen) -> bool {
    match before {
        Some(b) => b.rest_url != now.rest_url || b.session_id != now.session_id,
        None => true,
    }
}

/// Whether `a` is another restore than `b` (id, time or path differ).
fn new_restore(before: Option<&RestoredCheckpoint>, now: Option<&RestoredCheckpoint>) -> bool {
    match (before, now) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(b), Some(n)) => {
            b.id != n.id
                || b.restore_timestamp != n.restore_timestamp
                || b.external_path != n.external_path
        }
    }
}

/// A problem with what a job restored from, judged against its latest completed checkpoint
/// before the kill.
fn restore_problem(before: Option<u64>, restored: Option<&RestoredCheckpoint>) -> Option<String> {
    match (before, restored) {
        (Some(b), None) => Some(format!(
            "restored no checkpoint although checkpoint {b} was completed before the kill: its state is lost"
        )),
        (Some(b), Some(r)) if r.id < b => Some(format!(
            "restored checkpoint {} although checkpoint {b} was completed before the kill: it went back further than its latest checkpoint",
            r.id
        )),
        _ => None,
    }
}

async fn watch_jobmanager_failover(
    cluster: &Cluster,
    reporter: &dyn Reporter,
    plan: &DrillPlan,
    r: &mut DrillReport,
    t0: Instant,
    deadline: Instant,
) {
    let mut reader = LeaderReader::default();
    let want: BTreeSet<&str> = plan.taskmanagers.iter().map(|t| t.id.as_str()).collect();
    let killed_url = plan.leader.as_ref().map(|l| l.rest_url.clone());
    reporter.phase("Waiting for a new leader in the leader znode");
    let mut last = String::new();
    let mut running: Vec<bool> = vec![false; r.jobs.len()];
    let mut restored_seen: Vec<bool> = vec![false; r.jobs.len()];
    loop {
        if interrupted() {
            return;
        }
        if Instant::now() > deadline {
            r.problems.push(format!(
                "recovery not complete {} s after the kill (--timeout): {last}",
                plan.timeout_ms / 1000
            ));
            return;
        }
        let now = match reader.read(cluster).await {
            Ok(Some(l)) => {
                if let Some(why) = untrusted(cluster, &l) {
                    last = why;
                }
                seen(&l)
            }
            Ok(None) => None,
            Err(e) => {
                last = format!("ZooKeeper: {}", crate::core::error_chain(&e));
                None
            }
        };
        if let Some(now) = now
            && leader_changed(&plan.leader, &now)
        {
            if r.new_leader_ms.is_none() {
                r.new_leader_ms = Some(ms(t0));
                reporter.phase(&format!(
                    "New leader after {} ms: {} ({}); waiting for its REST endpoint, the TaskManagers and the jobs",
                    ms(t0),
                    now.host.as_deref().unwrap_or("?"),
                    now.rest_url
                ));
            } else if r.leader_after.as_ref() != Some(&now) {
                reporter.waiting(
                    "the leader",
                    &format!("leader moved again: {}", now.rest_url),
                );
            }
            if killed_url.as_deref() == Some(now.rest_url.as_str()) {
                last = format!(
                    "the killed JobManager's address {} leads again (new session {}): was it restarted by something else?",
                    now.rest_url, now.session_id
                );
            }
            r.leader_after = Some(now);
        }
        let Some(l) = r.leader_after.clone() else {
            if last.is_empty()
                || !(last.starts_with("ZooKeeper")
                    || last.starts_with("the rest_server leader znode"))
            {
                last = "the leader znode still names the killed JobManager".into();
            }
            reporter.waiting("a new leader", &last);
            tokio::time::sleep(FAST_POLL).await;
            continue;
        };
        let Ok(rest) = cluster.rest_client(&l.rest_url, PROBE_TIMEOUT) else {
            last = format!("no REST client for {}", l.rest_url);
            tokio::time::sleep(POLL).await;
            continue;
        };
        if r.taskmanagers_ms.is_none() {
            match rest.taskmanagers().await {
                Ok(tms) => {
                    r.leader_rest_ms.get_or_insert(ms(t0));
                    let have: BTreeSet<&str> = tms.iter().map(|t| t.id.as_str()).collect();
                    let n = want.intersection(&have).count();
                    r.taskmanagers_registered = Some(n);
                    if n == want.len() {
                        r.taskmanagers_ms = Some(ms(t0));
                    } else {
                        last = format!(
                            "{n} of {} TaskManagers registered at {}",
                            want.len(),
                            l.rest_url
                        );
                    }
                }
                Err(e) => last = format!("{}: {}", l.rest_url, crate::core::error_chain(&e)),
            }
        }
        if r.leader_rest_ms.is_some() {
            for (i, j) in r.jobs.iter_mut().enumerate() {
                if !running[i] {
                    match rest.job(&j.job_id).await {
                        Ok(d) if d.fully_running() => {
                            running[i] = true;
                            j.running_ms = Some(ms(t0));
                            j.running_after = true;
                        }
                        Ok(d) => last = format!("job {} is {}", j.name, d.state),
                        Err(e) => {
                            last = format!("job {}: {}", j.name, crate::core::error_chain(&e))
                        }
                    }
                }
                // `latest.restored` may lag RUNNING (the REST checkpoint statistics cache,
                // `rest.cache.checkpoint-statistics.timeout`): poll until it is there.
                if running[i] && !restored_seen[i] {
                    if let Ok(s) = rest.checkpoints(&j.job_id).await
                        && let Some(rc) = s.latest.restored
                    {
                        j.restored = Some(rc);
                        j.restarted = true;
                        restored_seen[i] = true;
                    } else if j.checkpoint_before.is_none() {
                        // Nothing to restore: no restore will show up.
                        restored_seen[i] = true;
                    } else {
                        last =
                            format!("job {} runs; its restored checkpoint not shown yet", j.name);
                    }
                }
            }
        }
        if running.iter().all(|x| *x) && restored_seen.iter().all(|x| *x) {
            r.jobs_ms = r.jobs.iter().filter_map(|j| j.running_ms).max();
        }
        if r.taskmanagers_ms.is_some()
            && running.iter().all(|x| *x)
            && restored_seen.iter().all(|x| *x)
        {
            break;
        }
        reporter.waiting("the recovery", &last);
        tokio::time::sleep(POLL).await;
    }
    if r.jobs.is_empty() {
        r.jobs_ms = None;
    }
    for j in &mut r.jobs {
        j.problem = restore_problem(j.checkpoint_before, j.restored.as_ref());
        if let Some(p) = &j.problem {
            r.problems
                .push(format!("job {} ({}): {p}", j.name, j.job_id));
        }
    }
    r.leader_changed = r
        .leader_after
        .as_ref()
        .is_some_and(|a| leader_changed(&plan.leader, a));
}

/// Record the unfinished parts of a JobManager recovery as problems (after a timeout or
/// Ctrl-C).
fn missing_parts(r: &mut DrillReport) {
    if r.target != DrillTarget::JobManager {
        return;
    }
    if r.new_leader_ms.is_none() {
        r.problems.push("no new leader was published".into());
    }
    if r.taskmanagers_ms.is_none() {
        r.problems.push(format!(
            "{} of {} TaskManagers registered again",
            r.taskmanagers_registered.unwrap_or(0),
            r.taskmanagers_expected.unwrap_or(0)
        ));
    }
    for j in &r.jobs {
        if j.running_ms.is_none() {
            r.problems.push(format!(
                "job {} ({}) not RUNNING with all vertices again",
                j.name, j.job_id
            ));
        }
    }
}

async fn restart_jobmanager(
    cluster: &Cluster,
    sessions: &Sessions,
    reporter: &dyn Reporter,
    r: &mut DrillReport,
    t0: Instant,
) {
    missing_parts(r);
    let host = r.killed.host.clone();
    // A SIGTERMed JobManager may still be shutting down: its start would be a no-op.
    wait_gone(cluster, sessions, reporter, &r.killed).await;
    reporter.phase(&format!(
        "Starting the JobManager on {host} again (as a standby)"
    ));
    let started_ms = ms(t0);
    let sel = Selection {
        roles: vec![Role::JobManager],
        hosts: vec![host.clone()],
    };
    let mut restart = Restart {
        host: host.clone(),
        pid: None,
        started_ms,
        ready_ms: None,
        standby: None,
        mode: None,
        error: None,
    };
    match lifecycle::start(cluster, sessions, reporter, &sel).await {
        Ok(lr) => {
            for i in &lr.instances {
                match &i.action {
                    InstanceAction::Started { pid } | InstanceAction::AlreadyRunning { pid } => {
                        restart.pid = Some(*pid)
                    }
                    InstanceAction::Failed { error } => restart.error = Some(error.clone()),
                    _ => {}
                }
            }
            if let Some(e) = lr.errors.first() {
                restart.error.get_or_insert(e.clone());
            }
            if restart.error.is_none() {
                restart.ready_ms = Some(ms(t0));
            }
        }
        Err(e) => restart.error = Some(crate::core::error_chain(&e)),
    }
    if restart.error.is_none() {
        let url = cluster
            .jobmanagers
            .iter()
            .find(|j| j.host == host)
            .map(|j| j.rest_url());
        let lead = leader::read_leader(cluster).await.ok().flatten();
        let answers = match &url {
            Some(u) => health::rest_answers(cluster, u).await,
            None => false,
        };
        let standby = answers
            && lead
                .as_ref()
                .is_some_and(|l| Some(&l.rest_url) != url.as_ref());
        restart.standby = Some(standby);
        if let Some(l) = lead.as_ref().and_then(seen) {
            r.leader_after = Some(l);
        }
        if !standby {
            restart.error = Some(format!(
                "the restarted JobManager on {host} is not a standby: {}",
                if answers {
                    "it leads (the leader znode names it)"
                } else {
                    "its REST endpoint does not answer"
                }
            ));
        }
    }
    if let Some(e) = &restart.error {
        r.problems.push(format!(
            "restarting the JobManager on {host}: {e}; start it with `flinkha start --jobmanagers --host {host}`"
        ));
    }
    r.restart = Some(restart);
}

/// Wait (up to the stop timeout) until the killed process is gone.
async fn wait_gone(cluster: &Cluster, sessions: &Sessions, reporter: &dyn Reporter, v: &Victim) {
    let Ok(host) = cluster.host(&v.host) else {
        return;
    };
    let until = crate::time::deadline_after(cluster.stop_timeout);
    while Instant::now() < until {
        let p = block(|| daemons::probe(cluster, host, sessions.get(host)?.as_ref(), &[v.role]));
        match p {
            Ok(p)
                if p.daemon(v.role)
                    .is_some_and(|d| d.state == DaemonState::Up && d.pid == Some(v.pid)) =>
            {
                reporter.waiting(
                    &format!("pid {} to exit", v.pid),
                    &format!("{} after {}", v.role, v.signal),
                );
            }
            _ => return,
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn watch_quorum_failover(
    cluster: &Cluster,
    reporter: &dyn Reporter,
    plan: &DrillPlan,
    r: &mut DrillReport,
    t0: Instant,
    deadline: Instant,
) {
    reporter.phase("Waiting until the remaining ZooKeeper servers serve with one leader");
    let mut throughout = true;
    loop {
        if interrupted() {
            r.quorum_serving_throughout = Some(throughout);
            return;
        }
        let peers = health::quorum_status(cluster).await;
        if health::quorum_serving(&peers) {
            r.quorum_ms = Some(ms(t0));
            r.quorum_leader = peers
                .iter()
                .find(|p| p.status.as_ref().is_some_and(|s| s.mode == Mode::Leader))
                .map(|p| p.id);
            break;
        }
        throughout = false;
        if Instant::now() > deadline {
            r.quorum_serving_throughout = Some(false);
            r.problems.push(format!(
                "the quorum did not serve again within {} s of the kill ({})",
                plan.timeout_ms / 1000,
                health::describe_quorum(&peers)
            ));
            return;
        }
        reporter.waiting("the quorum", &health::describe_quorum(&peers));
        tokio::time::sleep(FAST_POLL).await;
    }
    // Flink: a connection suspended by the kill revokes leadership within moments; watch
    // for at least the ZooKeeper session timeout, then until the leader answers and every
    // job runs fully.
    reporter.phase("Watching Flink's leader and jobs");
    let settle = cluster.ha.session_timeout.max(Duration::from_secs(2));
    let mut reader = LeaderReader::default();
    let mut down: Vec<bool> = vec![false; r.jobs.len()];
    loop {
        if interrupted() {
            break;
        }
        let peers = health::quorum_status(cluster).await;
        if !health::quorum_serving(&peers) {
            throughout = false;
        }
        let read = reader.read(cluster).await;
        let lead = match &read {
            Ok(Some(l)) => seen(l),
            _ => None,
        };
        let mut healthy = lead.is_some();
        let mut detail = match &read {
            Ok(Some(l)) => untrusted(cluster, l).unwrap_or_default(),
            _ => String::new(),
        };
        if let Some(l) = &lead {
            r.leader_changed |= leader_changed(&plan.leader, l);
            r.leader_after = Some(l.clone());
            match cluster.rest_client(&l.rest_url, PROBE_TIMEOUT) {
                Ok(rest) => {
                    for (i, j) in r.jobs.iter_mut().enumerate() {
                        let ok = matches!(rest.job(&j.job_id).await, Ok(d) if d.fully_running());
                        if !ok {
                            healthy = false;
                            down[i] = true;
                            j.running_ms = None;
                            detail = format!("job {} not fully RUNNING", j.name);
                        } else if down[i] && j.running_ms.is_none() {
                            j.running_ms = Some(ms(t0));
                        }
                    }
                }
                Err(_) => healthy = false,
            }
        } else if detail.is_empty() {
            detail = "no Flink leader in the leader znode".into();
        }
        if healthy && t0.elapsed() >= settle {
            break;
        }
        if Instant::now() > deadline {
            r.problems.push(format!(
                "Flink did not recover within {} s of the kill: {detail}",
                plan.timeout_ms / 1000
            ));
            break;
        }
        reporter.waiting("Flink's leader and jobs", &detail);
        tokio::time::sleep(POLL).await;
    }
    r.jobs_ms = r.jobs.iter().filter_map(|j| j.running_ms).max();
    r.quorum_serving_throughout = Some(throughout);
}

async fn restart_zookeeper(
    cluster: &Cluster,
    sessions: &Sessions,
    reporter: &dyn Reporter,
    r: &mut DrillReport,
    t0: Instant,
) {
    let host = r.killed.host.clone();
    wait_gone(cluster, sessions, reporter, &r.killed).await;
    reporter.phase(&format!("Starting the ZooKeeper server on {host} again"));
    let mut restart = Restart {
        host: host.clone(),
        pid: None,
        started_ms: ms(t0),
        ready_ms: None,
        standby: None,
        mode: None,
        error: None,
    };
    let sel = Selection {
        roles: vec![Role::ZooKeeper],
        hosts: vec![host.clone()],
    };
    match lifecycle::start(cluster, sessions, reporter, &sel).await {
        Ok(lr) => {
            for i in &lr.instances {
                match &i.action {
                    InstanceAction::Started { pid } | InstanceAction::AlreadyRunning { pid } => {
                        restart.pid = Some(*pid)
                    }
                    InstanceAction::Failed { error } => restart.error = Some(error.clone()),
                    _ => {}
                }
            }
            if let Some(e) = lr.errors.first() {
                restart.error.get_or_insert(e.clone());
            }
        }
        Err(e) => restart.error = Some(crate::core::error_chain(&e)),
    }
    if restart.error.is_none() {
        // The quorum already serves without it: wait until it is a member again.
        let id = r.killed.zk_id;
        let until = crate::time::deadline_after(cluster.start_timeout);
        loop {
            let peers = health::quorum_status(cluster).await;
            let me = peers.iter().find(|p| Some(p.id) == id);
            if let Some(p) = me
                && serving_mode(p)
            {
                restart.mode = Some(mode_name(p));
                restart.ready_ms = Some(ms(t0));
                break;
            }
            if Instant::now() > until {
                restart.error = Some(format!(
                    "not back in the quorum {} s after its start ({})",
                    cluster.start_timeout.as_secs(),
                    health::describe_quorum(&peers)
                ));
                break;
            }
            reporter.waiting(
                &format!("ZooKeeper server {} to rejoin", id.unwrap_or(0)),
                &health::describe_quorum(&peers),
            );
            tokio::time::sleep(POLL).await;
        }
    }
    if let Some(e) = &restart.error {
        r.problems.push(format!(
            "restarting the ZooKeeper server on {host}: {e}; start it with `flinkha start --zk --host {host}`"
        ));
    }
    r.restart = Some(restart);
}

/// After a ZooKeeper drill: each job RUNNING with all vertices, and whether it restored again.
async fn final_flink_check(cluster: &Cluster, plan: &DrillPlan, r: &mut DrillReport) {
    // Only a leader that is one of the cluster's JobManagers is asked (see `seen`).
    let lead = leader::read_leader(cluster)
        .await
        .ok()
        .flatten()
        .filter(|l| l.trusted_url().is_some());
    if let Some(l) = lead.as_ref().and_then(seen) {
        r.leader_changed = r.leader_changed || leader_changed(&plan.leader, &l);
        r.leader_after = Some(l);
    }
    let rest = lead
        .as_ref()
        .and_then(|l| cluster.rest_client(&l.rest_url, PROBE_TIMEOUT).ok());
    for (j, before) in r.jobs.iter_mut().zip(&plan.jobs) {
        if let Some(rest) = &rest {
            j.running_after = matches!(rest.job(&j.job_id).await, Ok(d) if d.fully_running());
            if let Ok(s) = rest.checkpoints(&j.job_id).await {
                j.restarted = new_restore(before.restored.as_ref(), s.latest.restored.as_ref());
                j.restored = s.latest.restored;
            }
        }
        if j.restarted {
            j.problem = restore_problem(j.checkpoint_before, j.restored.as_ref());
        }
        if !j.running_after {
            j.problem
                .get_or_insert_with(|| "not RUNNING with all vertices after the drill".into());
        }
        if let Some(p) = &j.problem {
            r.problems
                .push(format!("job {} ({}): {p}", j.name, j.job_id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rc(id: u64, ts: i64) -> RestoredCheckpoint {
        RestoredCheckpoint {
            id,
            restore_timestamp: ts,
            is_savepoint: false,
            external_path: Some(format!("file:/cp/chk-{id}")),
        }
    }

    #[test]
    fn restore_judged_against_the_latest_checkpoint() {
        assert_eq!(restore_problem(None, None), None);
        assert_eq!(restore_problem(Some(5), Some(&rc(5, 1))), None);
        assert_eq!(restore_problem(Some(5), Some(&rc(6, 1))), None);
        let e = restore_problem(Some(5), Some(&rc(4, 1))).unwrap();
        assert!(
            e.contains("restored checkpoint 4") && e.contains("checkpoint 5"),
            "{e}"
        );
        let e = restore_problem(Some(5), None).unwrap();
        assert!(e.contains("state is lost"), "{e}");
    }

    #[test]
    fn a_new_restore_is_told_from_the_old_one() {
        assert!(!new_restore(None, None));
        assert!(new_restore(None, Some(&rc(3, 10))));
        assert!(!new_restore(Some(&rc(3, 10)), Some(&rc(3, 10))));
        assert!(new_restore(Some(&rc(3, 10)), Some(&rc(3, 11))));
        assert!(new_restore(Some(&rc(3, 10)), Some(&rc(4, 10))));
    }

    #[test]
    fn leader_change_is_address_or_session() {
        let a = LeaderSeen {
            host: Some("h1".into()),
            rest_url: "http://a:1".into(),
            session_id: "s1".into(),
        };
        let mut b = a.clone();
        assert!(!leader_changed(&Some(a.clone()), &b));
        b.session_id = "s2".into();
        assert!(leader_changed(&Some(a.clone()), &b));
        let mut c = a.clone();
        c.rest_url = "http://b:1".into();
        assert!(leader_changed(&Some(a), &c));
        assert!(leader_changed(&None, &c));
    }

    /// Without HA there is nothing to fail over to: refused before anything is looked at
    /// or killed, naming the config file.
    #[tokio::test(flavor = "multi_thread")]
    async fn a_cluster_without_ha_is_refused() {
        let a = crate::core::ops::leader_rest::tests::jm("127.0.0.1", "aaaa").await;
        let b = crate::core::ops::leader_rest::tests::jm("127.0.0.2", "bbbb").await;
        let dir = tempfile::tempdir().unwrap();
        let c = crate::core::ops::leader_rest::tests::cluster(dir.path(), &a, &b);
        let opts = DrillOptions {
            target: DrillTarget::JobManager,
            host: None,
            graceful: false,
            timeout: Duration::from_secs(60),
        };
        let p = plan(&c, &Sessions::new(), &opts).await.unwrap();
        assert!(p.refused());
        assert!(p.victim.is_none());
        assert!(
            p.refusals[0].contains("high availability is off"),
            "{:?}",
            p.refusals
        );
        assert!(p.refusals[0].contains("config.yaml"), "{:?}", p.refusals);
        let e = run(
            &c,
            &Sessions::new(),
            &crate::core::reporter::NullReporter,
            &p,
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(e.contains("refused"), "{e}");
    }

    /// After the kill the drill follows only a leader that is one of the cluster's
    /// JobManagers: a tampered `rest_server` znode is not probed and says why.
    #[tokio::test(flavor = "multi_thread")]
    async fn an_untrusted_leader_after_the_kill_is_not_followed() {
        let a = crate::core::ops::leader_rest::tests::jm("127.0.0.1", "aaaa").await;
        let b = crate::core::ops::leader_rest::tests::jm("127.0.0.2", "bbbb").await;
        let dir = tempfile::tempdir().unwrap();
        let c = crate::core::ops::leader_rest::tests::cluster(dir.path(), &a, &b);
        let mut view = crate::zk::leader::LeaderView::new(
            "/flink/x".into(),
            crate::zk::leader::Layout::Modern,
        );
        view.rest_server = Some(crate::zk::connection_info::ConnectionInfo {
            address: "http://203.0.113.9:8081".into(),
            session_id: "00000000-0000-0001-0000-000000000009".into(),
        });
        let foreign = leader::Leader {
            rest_url: "http://203.0.113.9:8081".into(),
            host: None,
            view: view.clone(),
        };
        assert_eq!(seen(&foreign), None);
        let why = untrusted(&c, &foreign).expect("refused");
        assert!(
            why.contains("http://203.0.113.9:8081") && why.contains("refusing"),
            "{why}"
        );
        let jm = &c.jobmanagers[0];
        let ours = leader::Leader {
            rest_url: jm.rest_url(),
            host: Some(jm.host.clone()),
            view,
        };
        assert_eq!(untrusted(&c, &ours), None);
        assert_eq!(seen(&ours).map(|s| s.rest_url), Some(jm.rest_url()));
    }

    #[test]
    fn plan_names_victim_signal_and_jobs() {
        let p = DrillPlan {
            target: DrillTarget::JobManager,
            cluster: "prod".into(),
            victim: Some(Victim {
                host: "h1".into(),
                address: "10.0.0.1".into(),
                role: Role::JobManager,
                pid: 4242,
                signal: "SIGKILL".into(),
                zk_id: None,
                zk_mode: None,
            }),
            leader: Some(LeaderSeen {
                host: Some("h1".into()),
                rest_url: "http://10.0.0.1:8081".into(),
                session_id: "abc".into(),
            }),
            standbys: vec![Standby {
                host: "h2".into(),
                pid: 77,
            }],
            taskmanagers: vec![TaskManagerBefore {
                id: "tm1".into(),
                host: Some("10.0.0.3".into()),
            }],
            jobs: vec![
                JobBefore {
                    job_id: "j1".into(),
                    name: "counter".into(),
                    latest_checkpoint: Some(12),
                    restored: None,
                },
                JobBefore {
                    job_id: "j2".into(),
                    name: "fresh".into(),
                    latest_checkpoint: None,
                    restored: None,
                },
            ],
            quorum: vec![],
            timeout_ms: 120_000,
            warnings: vec![],
            refusals: vec![],
        };
        let t = p.render();
        assert!(
            t.contains("kill -9 (SIGKILL) the leading JobManager on h1 (10.0.0.1, pid 4242)"),
            "{t}"
        );
        assert!(t.contains("h2 (pid 77)"), "{t}");
        assert!(
            t.contains("counter (j1) from checkpoint 12 or newer"),
            "{t}"
        );
        assert!(t.contains("fresh (j2) with EMPTY state"), "{t}");
        assert!(t.contains("within 120 s"), "{t}");
        assert!(!p.refused());
    }
}
