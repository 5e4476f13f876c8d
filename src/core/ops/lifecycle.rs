//! `start` and `stop`: the quorum, then JobManagers, then TaskManagers (stop in reverse),
//! every role waited on until really healthy (start) or really gone (stop).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::daemons::{self, DaemonState};
use super::{health, leader};
use crate::core::error::{Error, Result};
use crate::core::hosts::{Sessions, for_each_host, run};
use crate::core::model::{Cluster, Host, Role};
use crate::core::reporter::Reporter;
use crate::rest::JobSummary;

/// Which instances an operation covers.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Roles; empty means all.
    pub roles: Vec<Role>,
    /// Host names; empty means all.
    pub hosts: Vec<String>,
}

impl Selection {
    /// Whether `host` is selected (by name or address; no names: every host).
    pub fn picks(&self, host: &Host) -> bool {
        self.hosts.is_empty()
            || self
                .hosts
                .iter()
                .any(|n| *n == host.name || *n == host.address)
    }

    /// Whether `role` is selected.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.is_empty() || self.roles.contains(&role)
    }

    /// Hosts running `role` that are selected.
    pub fn hosts_for<'c>(&self, cluster: &'c Cluster, role: Role) -> Vec<&'c Host> {
        if !self.has_role(role) {
            return Vec::new();
        }
        cluster
            .hosts_with(role)
            .into_iter()
            .filter(|h| self.picks(h))
            .collect()
    }

    /// The selected hosts (every host when none is named), in inventory order.
    ///
    /// # Errors
    /// [`Error::UnknownHost`] for a name that is not in the inventory.
    pub fn hosts<'c>(&self, cluster: &'c Cluster) -> Result<Vec<&'c Host>> {
        self.validate(cluster)?;
        Ok(cluster.hosts.iter().filter(|h| self.picks(h)).collect())
    }

    /// Check the host names against the cluster.
    ///
    /// # Errors
    /// [`Error::UnknownHost`].
    pub fn validate(&self, cluster: &Cluster) -> Result<()> {
        for h in &self.hosts {
            cluster.host(h)?;
        }
        Ok(())
    }
}

/// What happened to one instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum InstanceAction {
    /// Started now.
    Started {
        /// New pid.
        pid: u32,
    },
    /// Was already running: nothing done.
    AlreadyRunning {
        /// Its pid.
        pid: u32,
    },
    /// Stopped by SIGTERM.
    Stopped {
        /// Its pid.
        pid: u32,
    },
    /// Did not exit within the stop timeout: SIGKILLed.
    Killed {
        /// Its pid.
        pid: u32,
    },
    /// Was not running: nothing done.
    NotRunning,
    /// Failed.
    Failed {
        /// Why (error chain).
        error: String,
    },
    /// Not attempted because an earlier role failed.
    Skipped {
        /// Why.
        reason: String,
    },
}

/// One instance's outcome.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceOutcome {
    /// Host name.
    pub host: String,
    /// Role.
    pub role: Role,
    /// What happened.
    #[serde(flatten)]
    pub action: InstanceAction,
}

/// Result of `start` or `stop`.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct LifecycleReport {
    /// Every instance touched, in order.
    pub instances: Vec<InstanceOutcome>,
    /// Per role: ms from the start of the operation until the role was healthy (start), or
    /// how long until its processes were gone (stop).
    pub role_ms: Vec<(Role, u64)>,
    /// Per role (start): ms its launch took (the start script on every host at once).
    #[serde(default)]
    pub launch_ms: Vec<(Role, u64)>,
    /// The leader's REST URL once known (start).
    pub leader: Option<String>,
    /// Role-level failures (health waits that timed out, ...).
    pub errors: Vec<String>,
}

impl LifecycleReport {
    /// True when any instance or wait failed.
    pub fn failed(&self) -> bool {
        !self.errors.is_empty()
            || self
                .instances
                .iter()
                .any(|i| matches!(i.action, InstanceAction::Failed { .. }))
    }
}

/// The roles `start` launches together, then waits on one after the other (in this order).
/// All three at once: a JobManager retries its ZooKeeper connection until the quorum serves
/// (Curator, `high-availability.zookeeper.client.connection-timeout` and `retry-wait`), a
/// TaskManager retries the ResourceManager until a leader is elected
/// (`taskmanager.registration.timeout`, 5 min), so neither needs the previous role healthy to
/// be launched; their JVM start-ups overlap with the quorum's. The health waits are as strict
/// as ever: the quorum serves, then a leader answers, then every TaskManager registered.
pub const START_GROUPS: [&[Role]; 1] = [&[Role::ZooKeeper, Role::JobManager, Role::TaskManager]];

fn block<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

/// Start the selected instances: the ZooKeepers, JobManagers and TaskManagers launched one
/// role after the other without waiting in between ([`START_GROUPS`]), then each role waited
/// on until healthy, in that order: the quorum serves; a leader is elected and every started
/// JobManager's REST endpoint answers; every started TaskManager registered at the leader. A
/// role whose launch fails stops the sequence: later roles are reported as skipped. A role
/// that fails its health wait leaves the later roles, already launched, running: they are
/// reported as started, not waited on.
///
/// # Errors
/// Only for errors before any work; per-instance failures are in the report.
pub async fn start(
    cluster: &Cluster,
    sessions: &Sessions,
    reporter: &dyn Reporter,
    sel: &Selection,
) -> Result<LifecycleReport> {
    sel.validate(cluster)?;
    let began = Instant::now();
    let mut report = LifecycleReport::default();
    let mut failed_role: Option<Role> = None;
    for group in START_GROUPS {
        // Launch every role of the group, then wait on each.
        let mut launched: Vec<(Role, Vec<&Host>)> = Vec::new();
        for &role in group {
            let hosts = sel.hosts_for(cluster, role);
            if hosts.is_empty() {
                continue;
            }
            if let Some(prev) = failed_role {
                skip(&mut report, &hosts, role, prev);
                continue;
            }
            reporter.phase(&format!("Starting {role}s"));
            let t0 = Instant::now();
            if launch(cluster, sessions, reporter, &hosts, role, &mut report) {
                failed_role = Some(role);
            }
            report
                .launch_ms
                .push((role, crate::time::millis(t0.elapsed())));
            launched.push((role, hosts));
        }
        for (role, hosts) in launched {
            if let Some(prev) = failed_role
                && prev != role
                && group.iter().position(|r| *r == prev) < group.iter().position(|r| *r == role)
            {
                report.errors.push(format!(
                    "{role}s were launched but not waited on: the {prev}s did not become healthy"
                ));
                continue;
            }
            if failed_role == Some(role) {
                continue;
            }
            let wait = match role {
                Role::ZooKeeper => wait_quorum(cluster, sessions, reporter, &hosts).await,
                Role::JobManager => wait_jobmanagers(cluster, sessions, reporter, &hosts).await,
                Role::TaskManager => wait_taskmanagers(cluster, sessions, reporter, &hosts).await,
            };
            match wait {
                Ok(leader) => {
                    if leader.is_some() {
                        report.leader = leader;
                    }
                    report
                        .role_ms
                        .push((role, crate::time::millis(began.elapsed())));
                }
                Err(e) => {
                    report.errors.push(crate::core::error_chain(&e));
                    failed_role.get_or_insert(role);
                }
            }
        }
    }
    Ok(report)
}

fn skip(report: &mut LifecycleReport, hosts: &[&Host], role: Role, prev: Role) {
    for h in hosts {
        report.instances.push(InstanceOutcome {
            host: h.name.clone(),
            role,
            action: InstanceAction::Skipped {
                reason: format!("{prev}s did not start"),
            },
        });
    }
}

/// Run `role`'s start script on `hosts`, recording each instance; true when one failed.
fn launch(
    cluster: &Cluster,
    sessions: &Sessions,
    reporter: &dyn Reporter,
    hosts: &[&Host],
    role: Role,
    report: &mut LifecycleReport,
) -> bool {
    let outcomes = block(|| {
        for_each_host(hosts, cluster.parallelism, |h| {
            reporter.host_started(&h.name, &format!("starting {role}"));
            let t = sessions.get(h)?;
            let out = run(
                h,
                t.as_ref(),
                &format!("starting {role}"),
                &daemons::start_script(cluster, h, role),
            );
            let action = match out {
                Ok(text) => parse_start(&text),
                Err(e) => Err(e),
            };
            match &action {
                Ok(InstanceAction::Started { pid }) => {
                    reporter.host_finished(&h.name, true, &format!("{role} started (pid {pid})"))
                }
                Ok(InstanceAction::AlreadyRunning { pid }) => reporter.host_finished(
                    &h.name,
                    true,
                    &format!("{role} already running (pid {pid})"),
                ),
                Ok(_) => {}
                Err(e) => reporter.host_finished(&h.name, false, &crate::core::error_chain(e)),
            }
            action
        })
    });
    let mut failed = false;
    for o in outcomes {
        let action = match o.result {
            Ok(a) => a,
            Err(e) => {
                failed = true;
                InstanceAction::Failed {
                    error: crate::core::error_chain(&e),
                }
            }
        };
        report.instances.push(InstanceOutcome {
            host: o.host,
            role,
            action,
        });
    }
    failed
}

fn parse_start(text: &str) -> Result<InstanceAction> {
    for line in text.lines() {
        let mut it = line.split_whitespace();
        match (it.next(), it.next().and_then(|p| p.parse().ok())) {
            (Some("started"), Some(pid)) => return Ok(InstanceAction::Started { pid }),
            (Some("already"), Some(pid)) => return Ok(InstanceAction::AlreadyRunning { pid }),
            _ => {}
        }
    }
    Err(Error::Refused {
        message: format!("unexpected answer from the start script: {text}"),
    })
}

fn timeout_error(what: &str, secs: u64, detail: String) -> Error {
    Error::Timeout {
        what: what.to_string(),
        secs,
        detail,
    }
}

const POLL: Duration = Duration::from_millis(250);

/// One observation of a health wait: done (with a value) or still waiting (with the latest
/// observed state, shown while waiting and in the timeout error).
enum Observed<T> {
    Ready(T),
    Waiting(String),
    /// Waiting cannot help (a ZooKeeper login that the quorum refuses): fail the wait now.
    Failed(Error),
}

/// Poll `observe` every [`POLL`] until it is ready or the start timeout passes. Every 3 s the
/// `role` instances just started on `hosts` are checked to be alive, so a daemon that died
/// right after start fails the wait at once, with its log tail, instead of at the timeout;
/// and once more when `observe` is ready, so a role is never reported healthy with one of its
/// instances dead (a quorum of 2 of 3 serves while the third died at start).
async fn wait_until<T>(
    cluster: &Cluster,
    sessions: &Sessions,
    reporter: &dyn Reporter,
    (hosts, role): (&[&Host], Role),
    (label, timeout_what): (&str, &str),
    mut observe: impl AsyncFnMut() -> Observed<T>,
) -> Result<T> {
    let deadline = crate::time::deadline_after(cluster.start_timeout);
    let mut last_alive_check = Instant::now();
    loop {
        let detail = match observe().await {
            Observed::Ready(v) => {
                block(|| check_alive(cluster, sessions, hosts, role))?;
                return Ok(v);
            }
            Observed::Waiting(d) => d,
            Observed::Failed(e) => return Err(e),
        };
        reporter.waiting(label, &detail);
        if last_alive_check.elapsed() > Duration::from_secs(3) {
            block(|| check_alive(cluster, sessions, hosts, role))?;
            last_alive_check = Instant::now();
        }
        if Instant::now() > deadline {
            return Err(timeout_error(
                timeout_what,
                cluster.start_timeout.as_secs(),
                detail,
            ));
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn wait_quorum(
    cluster: &Cluster,
    sessions: &Sessions,
    reporter: &dyn Reporter,
    hosts: &[&Host],
) -> Result<Option<String>> {
    wait_until(
        cluster,
        sessions,
        reporter,
        (hosts, Role::ZooKeeper),
        ("ZooKeeper quorum", "the ZooKeeper quorum to serve"),
        async || {
            let peers = health::quorum_status(cluster).await;
            if health::quorum_serving(&peers) {
                Observed::Ready(None)
            } else {
                Observed::Waiting(format!("peer modes: {}", health::describe_quorum(&peers)))
            }
        },
    )
    .await
}

/// Fail fast when an instance we just started has died: return its log tail.
fn check_alive(cluster: &Cluster, sessions: &Sessions, hosts: &[&Host], role: Role) -> Result<()> {
    for h in hosts {
        let t = sessions.get(h)?;
        let probe = daemons::probe(cluster, h, t.as_ref(), &[role])?;
        if probe.daemon(role).map(|d| d.state) != Some(DaemonState::Up) {
            let tail = run(
                h,
                t.as_ref(),
                "reading the log",
                &daemons::log_tail_script(cluster, h, role, 15),
            )
            .unwrap_or_default();
            return Err(Error::Remote {
                host: h.name.clone(),
                what: format!("{role}"),
                detail: format!("the process exited after start; last log lines:\n{tail}"),
            });
        }
    }
    Ok(())
}

async fn wait_jobmanagers(
    cluster: &Cluster,
    sessions: &Sessions,
    reporter: &dyn Reporter,
    hosts: &[&Host],
) -> Result<Option<String>> {
    let mut reader = leader::LeaderReader::default();
    wait_until(
        cluster,
        sessions,
        reporter,
        (hosts, Role::JobManager),
        (
            "JobManager leader",
            "a JobManager leader with its REST endpoint answering",
        ),
        async || {
            let url = if cluster.ha.enabled {
                match reader.read(cluster).await {
                    Ok(Some(l)) if l.host.is_some() => l.rest_url,
                    Ok(Some(l)) => {
                        return Observed::Waiting(format!(
                            "rest_server znode names {} (not in the inventory)",
                            l.rest_url
                        ));
                    }
                    Ok(None) => return Observed::Waiting("no leader znode yet".into()),
                    Err(e) if e.is_login_failure() => return Observed::Failed(Error::Zk(e)),
                    Err(e) => return Observed::Waiting(crate::core::error_chain(&e)),
                }
            } else {
                match cluster.jobmanagers.first() {
                    Some(j) => j.rest_url(),
                    None => return Observed::Waiting("no JobManager in masters".into()),
                }
            };
            if let Err(e) = health::rest_probe(cluster, &url).await {
                return Observed::Waiting(format!(
                    "leader {url} elected; REST not answering yet ({})",
                    crate::core::error_chain(&e)
                ));
            }
            for h in hosts {
                if let Some(jm) = cluster.jobmanagers.iter().find(|j| j.host == h.name)
                    && !health::rest_answers(cluster, &jm.rest_url()).await
                {
                    return Observed::Waiting(format!(
                        "leader {url}; waiting for {}'s REST endpoint",
                        h.name
                    ));
                }
            }
            Observed::Ready(Some(url))
        },
    )
    .await
}

async fn current_leader_url(
    cluster: &Cluster,
    reader: &mut leader::LeaderReader,
) -> Option<String> {
    if cluster.ha.enabled {
        reader
            .read(cluster)
            .await
            .ok()
            .flatten()
            .filter(|l| l.trusted_url().is_some())
            .map(|l| l.rest_url)
    } else {
        cluster.jobmanagers.first().map(|j| j.rest_url())
    }
}

async fn wait_taskmanagers(
    cluster: &Cluster,
    sessions: &Sessions,
    reporter: &dyn Reporter,
    hosts: &[&Host],
) -> Result<Option<String>> {
    let mut reader = leader::LeaderReader::default();
    let want: BTreeSet<&str> = hosts.iter().map(|h| h.address.as_str()).collect();
    wait_until(
        cluster,
        sessions,
        reporter,
        (hosts, Role::TaskManager),
        (
            "TaskManagers to register",
            "every TaskManager to register at the leader",
        ),
        async || {
            let Some(url) = current_leader_url(cluster, &mut reader).await else {
                return Observed::Waiting("no JobManager leader".into());
            };
            match health::registered_taskmanagers(cluster, &url).await {
                Ok(tms) => {
                    let have: BTreeSet<&str> = tms.iter().filter_map(|t| t.host()).collect();
                    let missing: Vec<&str> = want.difference(&have).copied().collect();
                    if missing.is_empty() {
                        Observed::Ready(None)
                    } else {
                        Observed::Waiting(format!(
                            "{} registered; waiting for {}",
                            tms.len(),
                            missing.join(", ")
                        ))
                    }
                }
                Err(e) => Observed::Waiting(crate::core::error_chain(&e)),
            }
        },
    )
    .await
}

/// What `stop` will do, computed before asking.
#[derive(Debug, Clone, Serialize)]
pub struct StopPlan {
    /// Instances that are up and will be stopped, in stop order (role, host, pid).
    pub running: Vec<(Role, String, u32)>,
    /// Selected instances already down.
    pub already_down: Vec<(Role, String)>,
    /// Hosts that could not be probed (host, error).
    pub unreachable: Vec<(String, String)>,
    /// Jobs running on the cluster while JobManagers are to be stopped. They are suspended
    /// and recovered by the next start (same cluster-id).
    pub running_jobs: Vec<JobSummary>,
}

/// One probed instance: role, host, state, pid.
type ProbedRow = (Role, String, DaemonState, Option<u32>);

/// Probed instances, and the hosts that could not be probed (host, error).
type Probed = (Vec<ProbedRow>, Vec<(String, String)>);

/// Probe every selected instance (read-only: pid files and `/proc` over SSH), in inventory
/// host order; hosts that could not be probed come back with their error.
fn probe_selected(cluster: &Cluster, sessions: &Sessions, sel: &Selection) -> Result<Probed> {
    let hosts = sel.hosts(cluster)?;
    let probes = block(|| {
        for_each_host(&hosts, cluster.parallelism, |h| {
            let roles: Vec<Role> = cluster
                .roles_on(&h.name)
                .into_iter()
                .filter(|r| sel.has_role(*r))
                .collect();
            daemons::probe(cluster, h, sessions.get(h)?.as_ref(), &roles)
        })
    });
    let mut rows = Vec::new();
    let mut unreachable = Vec::new();
    for o in probes {
        match o.result {
            Ok(p) => {
                for d in p.daemons {
                    rows.push((d.role, o.host.clone(), d.state, d.pid));
                }
            }
            Err(e) => unreachable.push((o.host, crate::core::error_chain(&e))),
        }
    }
    Ok((rows, unreachable))
}

/// What `start` finds before it starts anything (read-only), for its plan.
#[derive(Debug, Clone, Serialize, Default)]
pub struct StartProbe {
    /// Selected instances already up (role, host, pid): starting them is a no-op.
    pub running: Vec<(Role, String, u32)>,
    /// Selected instances that are not up (down, stale pid file, or on a host that could not
    /// be probed) and will be started (role, host).
    pub to_start: Vec<(Role, String)>,
    /// Hosts that could not be probed (host, error).
    pub unreachable: Vec<(String, String)>,
}

/// Probe the instances `start` would start.
///
/// # Errors
/// Only for an invalid selection.
pub async fn probe_start(
    cluster: &Cluster,
    sessions: &Sessions,
    sel: &Selection,
) -> Result<StartProbe> {
    sel.validate(cluster)?;
    let (rows, unreachable) = probe_selected(cluster, sessions, sel)?;
    let mut probe = StartProbe {
        unreachable,
        ..StartProbe::default()
    };
    for role in Role::START_ORDER {
        for h in sel.hosts_for(cluster, role) {
            match rows
                .iter()
                .find(|(r, host, _, _)| *r == role && *host == h.name)
            {
                Some((_, _, DaemonState::Up, Some(pid))) => {
                    probe.running.push((role, h.name.clone(), *pid))
                }
                _ => probe.to_start.push((role, h.name.clone())),
            }
        }
    }
    Ok(probe)
}

/// What a start step of `roles` waits for before it is done.
fn start_gate(role: Role) -> &'static str {
    match role {
        Role::ZooKeeper => "the quorum serves",
        Role::JobManager => "a leader is elected and each JobManager's REST endpoint answers",
        Role::TaskManager => "every TaskManager registered at the leader",
    }
}

/// The runner's plan for `start` (journal operation `start`), from what `probed` found: one
/// step launching the selected roles together and waiting on each until healthy, in order
/// (as [`start`]). A role whose every instance runs is
/// still a step (a no-op that says so, health-gated like the others). Pure.
pub fn start_steps(
    cluster: &Cluster,
    sel: &Selection,
    probed: &StartProbe,
) -> crate::core::plan::Plan {
    use crate::core::plan::{Action, Plan, Step};
    let mut steps = Vec::new();
    for group in START_GROUPS {
        let roles: Vec<Role> = group
            .iter()
            .copied()
            .filter(|r| !sel.hosts_for(cluster, *r).is_empty())
            .collect();
        if roles.is_empty() {
            continue;
        }
        let mut parts = Vec::new();
        for &role in &roles {
            let start: Vec<&str> = probed
                .to_start
                .iter()
                .filter(|(r, _)| *r == role)
                .map(|(_, h)| h.as_str())
                .collect();
            let running: Vec<String> = probed
                .running
                .iter()
                .filter(|(r, _, _)| *r == role)
                .map(|(_, h, p)| format!("{h} (pid {p})"))
                .collect();
            let mut part = if start.is_empty() {
                format!("{role}s")
            } else {
                format!("{role}s on {}", start.join(", "))
            };
            if !running.is_empty() {
                part.push_str(&format!(
                    " [already running, no-op: {}]",
                    running.join(", ")
                ));
            }
            parts.push(part);
        }
        let gates: Vec<&str> = roles.iter().map(|r| start_gate(*r)).collect();
        let together = if roles.len() > 1 {
            " (launched together)"
        } else {
            ""
        };
        steps.push(Step {
            id: format!(
                "start-daemons/{}",
                roles
                    .iter()
                    .map(|r| r.daemon())
                    .collect::<Vec<_>>()
                    .join("+")
            ),
            title: format!(
                "start {}{together}, then wait until {}",
                parts.join(" and "),
                gates.join(" and ")
            ),
            downtime: false,
            action: Action::StartDaemons {
                version: cluster.version,
                roles,
                hosts: sel.hosts.clone(),
                best_effort: true,
            },
        });
    }
    let mut summary = vec![format!(
        "Start {} daemon(s) of cluster {} (launched together, then waited on until healthy: quorum → JobManagers → TaskManagers, up to {} s):",
        probed.to_start.len(),
        cluster.name,
        cluster.start_timeout.as_secs()
    )];
    if !probed.running.is_empty() {
        summary.push(format!(
            "{} already running: starting them is a no-op",
            probed.running.len()
        ));
    }
    Plan {
        operation: "start".into(),
        summary,
        steps,
    }
}

/// The report of a start step not attempted because an earlier step's `prev`s did not
/// start: every selected instance skipped (as [`start`] reports later roles).
pub fn skipped_start(cluster: &Cluster, sel: &Selection, prev: Role) -> LifecycleReport {
    let mut report = LifecycleReport::default();
    for role in Role::START_ORDER {
        let hosts = sel.hosts_for(cluster, role);
        skip(&mut report, &hosts, role, prev);
    }
    report
}

/// Probe the selected instances and the running jobs.
///
/// # Errors
/// Only for an invalid selection.
pub async fn plan_stop(
    cluster: &Cluster,
    sessions: &Sessions,
    sel: &Selection,
) -> Result<StopPlan> {
    sel.validate(cluster)?;
    let mut plan = StopPlan {
        running: Vec::new(),
        already_down: Vec::new(),
        unreachable: Vec::new(),
        running_jobs: Vec::new(),
    };
    let (mut rows, unreachable) = probe_selected(cluster, sessions, sel)?;
    plan.unreachable = unreachable;
    rows.sort_by_key(|(role, host, _, _)| (std::cmp::Reverse(*role), host.clone()));
    for (role, host, state, pid) in rows {
        match (state, pid) {
            (DaemonState::Up, Some(pid)) => plan.running.push((role, host, pid)),
            _ => plan.already_down.push((role, host)),
        }
    }
    if plan.running.iter().any(|(r, _, _)| *r == Role::JobManager)
        && let Some(url) = current_leader_url(cluster, &mut leader::LeaderReader::default()).await
        && let Ok(c) = cluster.rest_client(&url, health::PROBE_TIMEOUT)
        && let Ok(jobs) = c.jobs().await
    {
        plan.running_jobs = jobs.into_iter().filter(|j| j.state == "RUNNING").collect();
    }
    Ok(plan)
}

/// `plan` (a stop plan) with a stop-with-savepoint step for each of `probed.running_jobs`
/// first, each with its own trigger id, to the cluster's default savepoint dir, in the
/// canonical format: `flinkha stop --with-savepoints`. Pure but for the trigger ids.
pub fn with_job_savepoints(
    cluster: &Cluster,
    probed: &StopPlan,
    mut plan: crate::core::plan::Plan,
) -> crate::core::plan::Plan {
    let mut steps = Vec::new();
    for job in &probed.running_jobs {
        let sp = super::steps::savepoint_plan(
            cluster,
            job,
            crate::core::catalogue::SavepointKind::Stop,
            false,
            crate::rest::jobs::SavepointFormat::default(),
            None,
            crate::rest::jobs::new_trigger_id(),
        );
        steps.extend(sp.steps);
    }
    plan.summary.push(format!(
        "First stop {} running job(s) with a savepoint each; a failed savepoint ends the plan before any daemon is stopped.",
        probed.running_jobs.len()
    ));
    steps.append(&mut plan.steps);
    plan.steps = steps;
    plan
}

/// The runner's plan for `stop` (journal operation `stop`): one step per role, in stop order,
/// over the hosts where `probed` found it running; each carries on past failed hosts.
pub fn stop_steps(cluster: &Cluster, probed: &StopPlan) -> crate::core::plan::Plan {
    use crate::core::plan::{Action, Plan, Step};
    let mut steps = Vec::new();
    for role in Role::START_ORDER.iter().rev().copied() {
        let hosts: Vec<String> = probed
            .running
            .iter()
            .filter(|(r, _, _)| *r == role)
            .map(|(_, h, _)| h.clone())
            .collect();
        if hosts.is_empty() {
            continue;
        }
        let pids: Vec<String> = probed
            .running
            .iter()
            .filter(|(r, _, _)| *r == role)
            .map(|(_, h, p)| format!("{h} (pid {p})"))
            .collect();
        steps.push(Step {
            id: format!("stop-daemons/{}", role.daemon()),
            title: format!("stop {role}s on {}", pids.join(", ")),
            downtime: role != Role::TaskManager || probed.running_jobs.is_empty(),
            action: Action::StopDaemons {
                version: cluster.version,
                roles: vec![role],
                hosts,
                best_effort: true,
            },
        });
    }
    Plan {
        operation: "stop".into(),
        summary: vec![format!(
            "Stop {} daemon(s) of cluster {} (SIGTERM, SIGKILL after {} s), waiting until each process is gone:",
            probed.running.len(),
            cluster.name,
            cluster.stop_timeout.as_secs()
        )],
        steps,
    }
}

/// Stop what `plan` lists, TaskManagers → JobManagers → quorum, waiting until each process
/// has exited (SIGTERM, SIGKILL after the stop timeout). Carries on past failed hosts.
///
/// # Errors
/// None before work; failures are in the report.
pub async fn stop(
    cluster: &Cluster,
    sessions: &Sessions,
    reporter: &dyn Reporter,
    plan: &StopPlan,
) -> Result<LifecycleReport> {
    let mut report = LifecycleReport::default();
    for role in Role::START_ORDER.iter().rev().copied() {
        let names: Vec<&String> = plan
            .running
            .iter()
            .filter(|(r, _, _)| *r == role)
            .map(|(_, h, _)| h)
            .collect();
        if names.is_empty() {
            continue;
        }
        reporter.phase(&format!("Stopping {role}s"));
        let hosts: Vec<&Host> = cluster
            .hosts
            .iter()
            .filter(|h| names.contains(&&h.name))
            .collect();
        let t0 = Instant::now();
        let secs = cluster.stop_timeout.as_secs().max(1);
        let outcomes = block(|| {
            for_each_host(&hosts, cluster.parallelism, |h| {
                reporter.host_started(&h.name, &format!("stopping {role}"));
                let t = sessions.get(h)?;
                // The stop script itself waits up to the stop timeout.
                let host = h.with_command_timeout_at_least(
                    cluster.stop_timeout.saturating_add(Duration::from_secs(30)),
                );
                let out = run(
                    &host,
                    t.as_ref(),
                    &format!("stopping {role}"),
                    &daemons::stop_script(cluster, h, role, secs),
                );
                let action = out.and_then(|text| parse_stop(&text));
                match &action {
                    Ok(a) => reporter.host_finished(&h.name, true, &describe(role, a)),
                    Err(e) => reporter.host_finished(&h.name, false, &crate::core::error_chain(e)),
                }
                action
            })
        });
        for o in outcomes {
            report.instances.push(InstanceOutcome {
                host: o.host,
                role,
                action: o.result.unwrap_or_else(|e| InstanceAction::Failed {
                    error: crate::core::error_chain(&e),
                }),
            });
        }
        report.role_ms.push((role, t0.elapsed().as_millis() as u64));
    }
    Ok(report)
}

pub(crate) fn parse_stop(text: &str) -> Result<InstanceAction> {
    for line in text.lines() {
        let mut it = line.split_whitespace();
        match (it.next(), it.next().and_then(|p| p.parse().ok())) {
            (Some("stopped"), Some(pid)) => return Ok(InstanceAction::Stopped { pid }),
            (Some("killed"), Some(pid)) => return Ok(InstanceAction::Killed { pid }),
            (Some("not-running"), _) => return Ok(InstanceAction::NotRunning),
            (Some("unkillable"), Some(pid)) => {
                let state = line.split_whitespace().nth(2).unwrap_or("?");
                return Err(Error::Refused {
                    message: format!(
                        "pid {pid} is still there {}s after SIGKILL (process state {state}{}); \
                         it exits when the kernel lets it: look at /proc/{pid}/stack and the \
                         disks and mounts it uses, then run stop again",
                        daemons::KILL_WAIT_S,
                        if state == "D" {
                            ": uninterruptible I/O, usually a hung disk or NFS mount"
                        } else {
                            ""
                        }
                    ),
                });
            }
            _ => {}
        }
    }
    Err(Error::Refused {
        message: format!("unexpected answer from the stop script: {text}"),
    })
}

/// One line for an instance action, e.g. `JobManager stopped (pid 123)`.
pub fn describe(role: Role, a: &InstanceAction) -> String {
    match a {
        InstanceAction::Started { pid } => format!("{role} started (pid {pid})"),
        InstanceAction::AlreadyRunning { pid } => format!("{role} already running (pid {pid})"),
        InstanceAction::Stopped { pid } => format!("{role} stopped (pid {pid})"),
        InstanceAction::Killed { pid } => {
            format!("{role} did not exit in time: killed with SIGKILL (pid {pid})")
        }
        InstanceAction::NotRunning => format!("{role} was not running"),
        InstanceAction::Failed { error } => format!("{role} failed: {error}"),
        InstanceAction::Skipped { reason } => format!("{role} skipped: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_script_answers() {
        assert!(matches!(
            parse_start("started 42\n").unwrap(),
            InstanceAction::Started { pid: 42 }
        ));
        assert!(matches!(
            parse_start("already 7").unwrap(),
            InstanceAction::AlreadyRunning { pid: 7 }
        ));
        assert!(parse_start("garbage").is_err());
        assert!(matches!(
            parse_stop("killed 9").unwrap(),
            InstanceAction::Killed { pid: 9 }
        ));
        assert!(matches!(
            parse_stop("not-running").unwrap(),
            InstanceAction::NotRunning
        ));
        let e = parse_stop("unkillable 77 D\n").unwrap_err().to_string();
        assert!(
            e.contains("pid 77") && e.contains("uninterruptible I/O"),
            "{e}"
        );
    }
}

#[cfg(test)]
mod plan_tests {
    use super::*;
    use crate::core::plan::Action;

    fn cluster() -> Cluster {
        let example =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conf.example/flinkha.yaml");
        Cluster::load(&example).unwrap()
    }

    #[test]
    fn start_plan_launches_all_roles_then_gates_the_quorum_first_and_names_what_already_runs() {
        let c = cluster();
        let sel = Selection::default();
        let probe = StartProbe {
            running: vec![
                (Role::ZooKeeper, "flink-1".into(), 11),
                (Role::ZooKeeper, "flink-2".into(), 12),
                (Role::ZooKeeper, "flink-3".into(), 13),
                (Role::TaskManager, "flink-3".into(), 33),
            ],
            to_start: vec![
                (Role::JobManager, "flink-1".into()),
                (Role::JobManager, "flink-2".into()),
                (Role::TaskManager, "flink-1".into()),
                (Role::TaskManager, "flink-2".into()),
            ],
            unreachable: vec![],
        };
        let p = start_steps(&c, &sel, &probe);
        assert_eq!(p.operation, "start");
        let ids: Vec<&str> = p.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            ["start-daemons/zookeeper+standalonesession+taskexecutor"]
        );
        let t = &p.steps[0].title;
        assert!(
            t.starts_with("start ZooKeepers [already running, no-op: flink-1 (pid 11), flink-2 (pid 12), flink-3 (pid 13)] and JobManagers on flink-1, flink-2 and TaskManagers on flink-1, flink-2 [already running, no-op: flink-3 (pid 33)] (launched together), then wait until the quorum serves and a leader"),
            "{t}"
        );
        assert!(
            p.render()
                .contains("4 already running: starting them is a no-op")
        );
        assert!(p.steps.iter().all(|s| matches!(
            &s.action,
            Action::StartDaemons { best_effort: true, hosts, .. } if hosts.is_empty()
        )));

        // Only TaskManagers on one host: one step, that host.
        let sel = Selection {
            roles: vec![Role::TaskManager],
            hosts: vec!["flink-3".into()],
        };
        let p = start_steps(
            &c,
            &sel,
            &StartProbe {
                to_start: vec![(Role::TaskManager, "flink-3".into())],
                ..Default::default()
            },
        );
        assert_eq!(p.steps.len(), 1);
        assert!(matches!(
            &p.steps[0].action,
            Action::StartDaemons { roles, hosts, .. } if roles == &[Role::TaskManager] && hosts == &["flink-3"]
        ));
        // What an earlier failed step leaves: every selected instance skipped.
        let r = skipped_start(&c, &sel, Role::ZooKeeper);
        assert_eq!(r.instances.len(), 1);
        assert!(
            matches!(&r.instances[0].action, InstanceAction::Skipped { reason } if reason == "ZooKeepers did not start")
        );
    }
}
