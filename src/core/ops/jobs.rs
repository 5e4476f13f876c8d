//! Job operations through the leading JobManager's REST API: list and show jobs, savepoint,
//! cancel with savepoint, stop with savepoint, run a jar (optionally restoring from a
//! savepoint, verified). Every savepoint and run is recorded in the [`Catalogue`].
//!
//! Safety rules: a job is only ever cancelled or stopped *with* a savepoint, by Flink itself
//! once the savepoint completed (`cancel-job: true` / `POST /jobs/:id/stop`); if the savepoint
//! fails the job keeps running and the error carries Flink's failure cause. A restore is
//! verified against `latest.restored.external_path`.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;

use super::leader_rest::LeaderRest;
use crate::core::catalogue::{
    Catalogue, Outcome, RunRecord, RunState, SavepointKind, SavepointRecord, now_ms,
};
use crate::core::error::{Error, Result};
use crate::core::jobspec::JobSpec;
use crate::core::model::{Cluster, DeclaredJob};
use crate::rest::JobSummary;
use crate::rest::jobs::{
    CheckpointStats, JobDetails, Operation, RunRequest, SavepointFormat, SavepointRequest,
    StopRequest, new_trigger_id,
};

/// `name (id, STATE)`, for messages.
pub fn describe(j: &JobSummary) -> String {
    format!("{} ({}, {})", j.name, j.jid, j.state)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Find the job `given` names: a full id, a unique id prefix (4+ hex digits), or a name. Among
/// several jobs of one name (old runs are kept as FINISHED/CANCELED), the one that is not
/// terminal wins; with none running, the newest.
///
/// # Errors
/// [`Error::UnknownJob`] (with close matches) or [`Error::AmbiguousJob`].
pub fn resolve_job(jobs: &[JobSummary], given: &str) -> Result<JobSummary> {
    if let Some(j) = jobs.iter().find(|j| j.jid == given) {
        return Ok(j.clone());
    }
    let hex = given.len() >= 4 && given.chars().all(|c| c.is_ascii_hexdigit());
    if hex {
        let by_prefix: Vec<&JobSummary> = jobs
            .iter()
            .filter(|j| j.jid.starts_with(&given.to_ascii_lowercase()))
            .collect();
        match by_prefix.len() {
            1 => return Ok(by_prefix[0].clone()),
            0 => {}
            _ => {
                return Err(Error::AmbiguousJob {
                    given: given.into(),
                    matches: by_prefix.iter().map(|j| describe(j)).collect(),
                });
            }
        }
    }
    let mut named: Vec<&JobSummary> = jobs.iter().filter(|j| j.name == given).collect();
    if !named.is_empty() {
        let live: Vec<&JobSummary> = named
            .iter()
            .copied()
            .filter(|j| !JobDetails::is_terminal(&j.state))
            .collect();
        return match live.len() {
            1 => Ok(live[0].clone()),
            0 => {
                named.sort_by_key(|j| j.start_time);
                Ok(named[named.len() - 1].clone())
            }
            _ => Err(Error::AmbiguousJob {
                given: given.into(),
                matches: live.iter().map(|j| describe(j)).collect(),
            }),
        };
    }
    let lower = given.to_lowercase();
    let mut candidates: Vec<String> = jobs
        .iter()
        .filter(|j| {
            let n = j.name.to_lowercase();
            n.contains(&lower)
                || lower.contains(&n)
                || edit_distance(&n, &lower) <= (lower.len() / 3).max(2)
        })
        .map(describe)
        .collect();
    candidates.dedup();
    candidates.truncate(5);
    Err(Error::UnknownJob {
        given: given.into(),
        candidates,
    })
}

/// One row of `jobs list`.
#[derive(Debug, Clone, Serialize)]
pub struct JobRow {
    /// The overview entry.
    #[serde(flatten)]
    pub job: JobSummary,
    /// Latest completed checkpoint: id.
    pub last_checkpoint_id: Option<u64>,
    /// Latest completed checkpoint: time of its last acknowledgement, ms since the epoch.
    pub last_checkpoint_time: Option<i64>,
    /// `numRestarts`.
    pub restarts: Option<u64>,
}

/// All jobs the leader knows, newest first, with their last checkpoint and restarts.
///
/// # Errors
/// No leader; REST failure of the overview (per-job details that fail are left empty).
pub async fn list(api: &LeaderRest<'_>) -> Result<Vec<JobRow>> {
    let mut jobs = api.call(|c| async move { c.jobs().await }).await?;
    jobs.sort_by_key(|j| std::cmp::Reverse(j.start_time));
    let mut rows = Vec::new();
    for j in jobs {
        let id = j.jid.clone();
        let cp = api
            .call(|c| {
                let id = id.clone();
                async move { c.checkpoints(&id).await }
            })
            .await
            .ok();
        let restarts = if JobDetails::is_terminal(&j.state) {
            None
        } else {
            api.call(|c| {
                let id = id.clone();
                async move { c.restarts(&id).await }
            })
            .await
            .ok()
            .flatten()
        };
        let last = cp.and_then(|c| c.latest.completed);
        rows.push(JobRow {
            job: j,
            last_checkpoint_id: last.as_ref().map(|l| l.id),
            last_checkpoint_time: last.map(|l| l.latest_ack_timestamp),
            restarts,
        });
    }
    Ok(rows)
}

/// Everything `jobs show` prints.
#[derive(Debug, Clone, Serialize)]
pub struct JobView {
    /// `GET /jobs/:id`.
    pub details: JobDetails,
    /// `GET /jobs/:id/checkpoints`.
    pub checkpoints: Option<CheckpointStats>,
    /// `numRestarts`.
    pub restarts: Option<u64>,
    /// The REST URL that answered.
    pub leader: String,
}

/// The job `given` names (id, id prefix or name).
///
/// # Errors
/// As [`resolve_job`]; REST failures.
pub async fn find(api: &LeaderRest<'_>, given: &str) -> Result<JobSummary> {
    let jobs = api.call(|c| async move { c.jobs().await }).await?;
    resolve_job(&jobs, given)
}

/// Details, checkpoint statistics and restarts of one job.
///
/// # Errors
/// As [`find`].
pub async fn show(api: &LeaderRest<'_>, job: &JobSummary) -> Result<JobView> {
    let id = job.jid.clone();
    let details = api
        .call(|c| {
            let id = id.clone();
            async move { c.job(&id).await }
        })
        .await?;
    let checkpoints = api
        .call(|c| {
            let id = id.clone();
            async move { c.checkpoints(&id).await }
        })
        .await
        .ok();
    let restarts = api
        .call(|c| {
            let id = id.clone();
            async move { c.restarts(&id).await }
        })
        .await
        .ok()
        .flatten();
    Ok(JobView {
        details,
        checkpoints,
        restarts,
        leader: api.url().await?,
    })
}

/// What to do with the job around the savepoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavepointAction {
    /// Take a savepoint; the job keeps running.
    Savepoint,
    /// Cancel with savepoint (`flink cancel -s`).
    Cancel,
    /// Stop with savepoint (`flink stop`); `drain` emits MAX_WATERMARK first.
    Stop {
        /// Drain.
        drain: bool,
    },
}

impl SavepointAction {
    fn kind(self) -> SavepointKind {
        match self {
            SavepointAction::Savepoint => SavepointKind::Savepoint,
            SavepointAction::Cancel => SavepointKind::Cancel,
            SavepointAction::Stop { .. } => SavepointKind::Stop,
        }
    }

    fn what(self) -> &'static str {
        match self {
            SavepointAction::Savepoint => "savepoint",
            SavepointAction::Cancel => "cancel with savepoint",
            SavepointAction::Stop { .. } => "stop with savepoint",
        }
    }
}

/// Options of a savepoint operation.
#[derive(Debug, Clone)]
pub struct SavepointOptions {
    /// What happens to the job.
    pub action: SavepointAction,
    /// Target directory (a URI or path every JobManager and TaskManager can write); `None`:
    /// the cluster's default savepoint dir, which must then be configured.
    pub target_dir: Option<String>,
    /// Format.
    pub format: SavepointFormat,
    /// How long to wait for the savepoint (and, for cancel/stop, for the job to end).
    pub timeout: Duration,
    /// The trigger id to use (Flink's `triggerId`): chosen ahead by a plan so that a retry
    /// after a crash asks Flink for the same operation instead of a second savepoint.
    /// `None`: a new one.
    pub trigger_id: Option<String>,
}

/// A completed savepoint operation.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct SavepointDone {
    /// Job id.
    pub job_id: String,
    /// Job name.
    pub job_name: String,
    /// Kind.
    pub kind: SavepointKind,
    /// The trigger id used.
    pub trigger_id: String,
    /// Savepoint path as Flink reports it (`file:/...`).
    pub location: String,
    /// The job's state afterwards (`RUNNING`, `CANCELED`, `FINISHED`).
    pub job_state: String,
    /// Wall time of the operation, ms.
    pub elapsed_ms: u64,
    /// The REST URL that served it.
    pub leader: String,
    /// Savepoint directories of this job left without `_metadata` by an attempt that a
    /// failover interrupted (the savepoint was triggered again): reported, never deleted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partial_savepoints: Vec<String>,
    /// The operation's status was lost (a failover) and the job found ended as the operation
    /// ends it: `location` comes from the job's checkpoint statistics (`latest.savepoint`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recovered: bool,
}

/// Directories `savepoint-<first 6 chars of job_id>-*` directly under the local `target_dir`
/// (`file:` or absolute path; other file systems are not looked at) that have no `_metadata`,
/// are not `completed`, and were last modified at or after `since`: what an attempt
/// interrupted by a failover leaves behind.
pub fn partial_savepoint_dirs(
    target_dir: &str,
    job_id: &str,
    completed: &str,
    since: SystemTime,
) -> Vec<String> {
    let t = target_dir.trim();
    if !(t.starts_with("file:") || t.starts_with('/')) {
        return Vec::new();
    }
    let dir = PathBuf::from(normalize_path(t));
    let prefix = format!("savepoint-{}-", job_id.get(..6).unwrap_or(job_id));
    let completed = normalize_path(completed);
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<String> = rd
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .filter(|e| e.file_type().is_ok_and(|f| f.is_dir()))
        .map(|e| e.path())
        .filter(|p| !p.join("_metadata").exists())
        .filter(|p| normalize_path(&p.to_string_lossy()) != completed)
        .filter(|p| {
            std::fs::metadata(p)
                .and_then(|m| m.modified())
                .is_ok_and(|m| m >= since)
        })
        .map(|p| p.display().to_string())
        .collect();
    out.sort();
    out
}

/// The savepoint dir configured in the cluster's config (`execution.checkpointing.savepoint-dir`,
/// or the pre-2.0 `state.savepoints.dir`).
pub fn default_savepoint_dir(cluster: &Cluster) -> Option<String> {
    let cfg = &cluster.conf.config;
    cfg.get_str("execution.checkpointing.savepoint-dir")
        .or_else(|| cfg.get_str("state.savepoints.dir"))
        .map(str::to_string)
        .filter(|s| !s.trim().is_empty())
}

/// Take a savepoint of `job` (and cancel or stop it afterwards, per `opts.action`), with a
/// client-chosen trigger id, polling until Flink reports it completed; record the outcome
/// (completed, failed or timed out) in `catalogue`, with the job's spec when flinkha ran it.
///
/// Once the trigger may have been accepted, every way out records what is known. When the
/// status can't be read (HTTP 404 after a failover: a new leader that never saw the trigger;
/// other REST errors) the job is asked: RUNNING after a 404 means trigger again with the same
/// id (once); ended as the operation ends it (FINISHED for stop, CANCELED for cancel: the old
/// leader completed the savepoint and ended the job before it died) means the savepoint is
/// taken from the job's `latest.savepoint` and recorded completed
/// ([`SavepointDone::recovered`]); anything else is recorded timed-out with what is known.
///
/// # Errors
/// [`Error::Refused`] when the job is not RUNNING or no target dir is known (nothing done);
/// [`Error::Rest`] when the leader refused the trigger (nothing done);
/// [`Error::SavepointFailed`] with Flink's cause and the job's state;
/// [`Error::Timeout`] when it did not complete within `opts.timeout`;
/// [`Error::SavepointUnknown`] when its outcome can't be known (status and job lost).
pub async fn savepoint(
    api: &LeaderRest<'_>,
    catalogue: &Catalogue,
    job: &JobSummary,
    opts: &SavepointOptions,
) -> Result<SavepointDone> {
    let started = Instant::now();
    // File times have a coarser clock on some file systems: allow a second.
    let started_wall = SystemTime::now() - Duration::from_secs(1);
    let reporter = api.reporter();
    let what = opts.action.what();
    let who = format!("{} ({})", job.name, job.jid);
    let id = job.jid.clone();
    let running_deadline = started + opts.timeout.min(Duration::from_secs(90));
    wait_running(api, &id, &who, what, running_deadline).await?;
    if opts.target_dir.is_none() && default_savepoint_dir(api.cluster()).is_none() {
        return Err(Error::Refused {
            message: format!(
                "no savepoint target directory: pass one (--target-dir, or `cancel -s DIR`, `stop --savepoint DIR`) or set execution.checkpointing.savepoint-dir in {}",
                api.cluster().conf.config.path.display()
            ),
        });
    }
    let trigger_id = opts.trigger_id.clone().unwrap_or_else(new_trigger_id);
    let trigger = || {
        let id = id.clone();
        let trigger_id = trigger_id.clone();
        let target = opts.target_dir.clone();
        let action = opts.action;
        let format = opts.format;
        api.call(move |c| {
            let id = id.clone();
            let trigger_id = trigger_id.clone();
            let target = target.clone();
            async move {
                match action {
                    SavepointAction::Stop { drain } => {
                        c.stop_with_savepoint(
                            &id,
                            &StopRequest {
                                target_directory: target,
                                drain,
                                format,
                                trigger_id,
                            },
                        )
                        .await
                    }
                    _ => {
                        c.trigger_savepoint(
                            &id,
                            &SavepointRequest {
                                target_directory: target,
                                cancel_job: action == SavepointAction::Cancel,
                                format,
                                trigger_id,
                            },
                        )
                        .await
                    }
                }
            }
        })
    };
    // What the catalogue knows of the job, read once: its jar and spec go into the record,
    // and the savepoint paths already recorded tell an older savepoint from this one's.
    let known = catalogue.load().ok();
    let jar = known
        .as_ref()
        .and_then(|d| d.jar_of(&job.jid).map(str::to_string));
    let spec = known.as_ref().and_then(|d| d.spec_of(&job.jid).cloned());
    let recorded: Vec<String> = known
        .as_ref()
        .map(|d| {
            d.savepoints
                .iter()
                .filter_map(|s| s.path.as_deref())
                .map(normalize_path)
                .collect()
        })
        .unwrap_or_default();
    let record = |outcome: Outcome, path: Option<String>, detail: Option<String>| {
        catalogue.record_savepoint(SavepointRecord {
            job_id: job.jid.clone(),
            job_name: job.name.clone(),
            time_ms: now_ms(),
            path,
            flink_version: api.cluster().version.to_string(),
            kind: opts.action.kind(),
            outcome,
            trigger_id: trigger_id.clone(),
            detail,
            jar: jar.clone(),
            disposed_ms: None,
            spec: spec.clone(),
        })
    };
    reporter.phase(&format!("{what} of {who}"));
    let since_ms = now_ms();
    let deadline = crate::time::after(started, opts.timeout);
    let mut retriggered = false;
    // From here on every way out records what is known: the trigger may have been accepted.
    let end = 'op: {
        // Why the operation's status can't be read (then: find out from the job).
        let mut lost: Option<Error> = None;
        match trigger().await {
            Ok(_) => {}
            // Refused outright by the leader (e.g. the job is not running): nothing started.
            // 404 and 503 are not final: a new leader that does not know the job yet.
            Err(Error::Rest(e)) if e.status().is_some_and(|s| s != 404 && s != 503) => {
                return Err(Error::Rest(e));
            }
            // No answer: the trigger may or may not have got through; its status tells.
            Err(e) => reporter.waiting(
                what,
                &format!(
                    "the trigger got no answer ({}): asking for its status",
                    crate::core::error_chain(&e)
                ),
            ),
        }
        let mut poll = crate::time::Backoff::flink_operation();
        loop {
            if let Some(e) = lost.take() {
                let cause = crate::core::error_chain(&e);
                let unknown_trigger = matches!(&e, Error::Rest(r) if r.status() == Some(404));
                match settle(api, &id, opts.action, since_ms, &recorded, deadline).await {
                    // The leader does not know the trigger but the job runs: a new leader took
                    // over before it saw it. Trigger again with the same id (once).
                    Settled::Running if unknown_trigger && !retriggered => {
                        retriggered = true;
                        reporter.waiting(
                            what,
                            "the leader does not know the trigger: triggering again",
                        );
                        if let Err(e) = trigger().await {
                            break 'op End::Unknown {
                                detail: format!(
                                    "the leader did not know the trigger and triggering again failed: {}",
                                    crate::core::error_chain(&e)
                                ),
                            };
                        }
                    }
                    Settled::Running => {
                        break 'op End::Unknown {
                            detail: format!(
                                "its status can't be read ({cause}){}; the job is RUNNING",
                                if retriggered {
                                    ", also after triggering it again"
                                } else {
                                    ""
                                }
                            ),
                        };
                    }
                    Settled::Ended { location, state } => {
                        break 'op End::Recovered {
                            location,
                            state,
                            cause,
                        };
                    }
                    Settled::Unknown(why) => {
                        break 'op End::Unknown {
                            detail: format!("its status can't be read ({cause}); {why}"),
                        };
                    }
                }
            } else {
                let status = api
                    .call(|c| {
                        let id = id.clone();
                        let t = trigger_id.clone();
                        async move { c.savepoint_status(&id, &t).await }
                    })
                    .await;
                match status {
                    Ok(Operation::Completed { location }) => {
                        break 'op End::Completed {
                            location: location.unwrap_or_default(),
                        };
                    }
                    Ok(Operation::Failed { cause }) => break 'op End::Failed { cause },
                    Ok(Operation::InProgress) => {}
                    // A leader change that the single retry of `call` did not ride out (e.g.
                    // an election still under way): keep polling until the deadline.
                    Err(Error::Rest(e)) if e.leadership_moved() => {
                        reporter.waiting(what, &format!("leader changing: {e}"));
                    }
                    Err(e) => {
                        lost = Some(e);
                        continue;
                    }
                }
            }
            if Instant::now() >= deadline {
                break 'op End::TimedOut;
            }
            reporter.waiting(
                what,
                &format!("in progress, {:.1} s", started.elapsed().as_secs_f64()),
            );
            poll.sleep().await;
        }
    };
    let partial = |location: &str| {
        if retriggered {
            opts.target_dir
                .clone()
                .or_else(|| default_savepoint_dir(api.cluster()))
                .map(|d| partial_savepoint_dirs(&d, &job.jid, location, started_wall))
                .unwrap_or_default()
        } else {
            Vec::new()
        }
    };
    let done = |location: String, job_state: String, recovered: bool| SavepointDone {
        job_id: job.jid.clone(),
        job_name: job.name.clone(),
        kind: opts.action.kind(),
        trigger_id: trigger_id.clone(),
        partial_savepoints: partial(&location),
        location,
        job_state,
        elapsed_ms: started.elapsed().as_millis() as u64,
        leader: String::new(),
        recovered,
    };
    let leader = || async { api.url().await.unwrap_or_default() };
    match end {
        End::Completed { location } => {
            record(Outcome::Completed, Some(location.clone()), None)?;
            let job_state = match opts.action {
                SavepointAction::Savepoint => {
                    job_state(api, &id).await.unwrap_or_else(|_| "?".into())
                }
                _ => {
                    wait_terminal(
                        api,
                        &id,
                        deadline.max(Instant::now() + Duration::from_secs(30)),
                    )
                    .await?
                }
            };
            Ok(SavepointDone {
                leader: leader().await,
                ..done(location, job_state, false)
            })
        }
        End::Recovered {
            location,
            state,
            cause,
        } => {
            record(
                Outcome::Completed,
                Some(location.clone()),
                Some(format!(
                    "the operation's status could not be read ({cause}); the job was found {state} and the path taken from its checkpoint statistics (latest.savepoint)"
                )),
            )?;
            Ok(SavepointDone {
                leader: leader().await,
                ..done(location, state, true)
            })
        }
        End::Failed { cause } => {
            let state = match job_state(api, &id).await {
                Ok(s) if JobDetails::is_terminal(&s) => s,
                Ok(s) => format!("still {s}"),
                Err(e) => format!("in an unknown state ({e})"),
            };
            record(Outcome::Failed, None, Some(cause.clone()))?;
            Err(Error::SavepointFailed {
                what: what.into(),
                job: who,
                state,
                cause,
            })
        }
        End::TimedOut => {
            let detail = format!(
                "trigger id {trigger_id}: the JobManager may still complete it (and, for cancel/stop, end the job); the job was left as it is. Check `flinkha jobs show {}` and the savepoint dir before retrying",
                job.jid
            );
            record(Outcome::TimedOut, None, Some(detail.clone()))?;
            Err(Error::Timeout {
                what: format!("{what} of {who}"),
                secs: opts.timeout.as_secs(),
                detail,
            })
        }
        End::Unknown { detail } => {
            let detail = format!(
                "trigger id {trigger_id}: {detail}. The JobManager may have completed it (and, for cancel/stop, ended the job); recorded as timed-out. Check `flinkha jobs show {}` and the savepoint dir before retrying",
                job.jid
            );
            record(Outcome::TimedOut, None, Some(detail.clone()))?;
            Err(Error::SavepointUnknown {
                what: what.into(),
                job: who,
                detail,
            })
        }
    }
}

/// How a savepoint operation ended, before it is recorded.
enum End {
    /// Flink reported it completed.
    Completed { location: String },
    /// Its status was lost, but the job ended as the operation ends it and its checkpoint
    /// statistics name this operation's savepoint.
    Recovered {
        location: String,
        state: String,
        cause: String,
    },
    /// Flink reported it failed.
    Failed { cause: String },
    /// Still in progress at the deadline.
    TimedOut,
    /// Its outcome can't be known (what is known in `detail`).
    Unknown { detail: String },
}

/// What the job says about a savepoint operation whose status can't be read.
enum Settled {
    /// Every vertex RUNNING (so a savepoint can be triggered again).
    Running,
    /// Ended; `location` is this operation's savepoint, from `latest.savepoint`.
    Ended { location: String, state: String },
    /// Neither: why.
    Unknown(String),
}

/// How long a job may stay unknown to the leader (HTTP 404) before it is taken as gone: a
/// new leader recovers running jobs within seconds, but never knows jobs that ended under
/// the old one.
const UNKNOWN_JOB_GRACE: Duration = Duration::from_secs(60);

/// Accepted clock difference between this machine and the JobManager when telling this
/// operation's savepoint (`trigger_timestamp`) from older ones.
const CLOCK_SLACK_MS: u64 = 60_000;

/// The status of a savepoint operation on job `id` can't be read: find out from the job.
/// Waits (until `deadline`) while it is being (re)deployed or not known to a new leader yet.
async fn settle(
    api: &LeaderRest<'_>,
    id: &str,
    action: SavepointAction,
    since_ms: u64,
    recorded: &[String],
    deadline: Instant,
) -> Settled {
    let unknown_until = (Instant::now() + UNKNOWN_JOB_GRACE).min(deadline);
    let mut poll = crate::time::Backoff::flink_operation();
    loop {
        match job_state_with_tasks(api, id).await {
            Ok(s) if s == "RUNNING" => return Settled::Running,
            Ok(s) if JobDetails::is_terminal(&s) => {
                return recover(api, id, action, &s, since_ms, recorded).await;
            }
            Ok(s) if Instant::now() >= deadline => {
                return Settled::Unknown(format!("the job is {s}"));
            }
            Ok(s) => api.reporter().waiting("the job to run", &s),
            Err(Error::Rest(e)) if e.status() == Some(404) => {
                if Instant::now() >= unknown_until {
                    return Settled::Unknown(format!(
                        "the leader does not know the job (any more): it may have ended under the JobManager that led before ({} completes the savepoint before ending the job), in which case the savepoint is in the target directory",
                        action.what()
                    ));
                }
                api.reporter().waiting("the job to run", "not known yet");
            }
            Err(Error::Rest(e)) if e.leadership_moved() && Instant::now() < deadline => {
                api.reporter()
                    .waiting("the job to run", &format!("leader changing: {e}"));
            }
            Err(e) => {
                return Settled::Unknown(format!(
                    "the job's state can't be read either: {}",
                    crate::core::error_chain(&e)
                ));
            }
        }
        poll.sleep().await;
    }
}

/// Job `id` is `state` (terminal) and the operation's status is lost: when the job ended as
/// the operation ends it (FINISHED for stop, CANCELED for cancel; any end for a plain
/// savepoint), its `latest.savepoint` that completed, was triggered after `since_ms` and is
/// not a savepoint recorded before is this operation's.
async fn recover(
    api: &LeaderRest<'_>,
    id: &str,
    action: SavepointAction,
    state: &str,
    since_ms: u64,
    recorded: &[String],
) -> Settled {
    let expected = match action {
        SavepointAction::Stop { .. } => state == "FINISHED",
        SavepointAction::Cancel => state == "CANCELED",
        SavepointAction::Savepoint => true,
    };
    if !expected {
        return Settled::Unknown(format!(
            "the job is {state}, which {} does not end it as",
            action.what()
        ));
    }
    let cp = api
        .call(|c| {
            let id = id.to_string();
            async move { c.checkpoints(&id).await }
        })
        .await;
    let sp = match cp {
        Ok(cp) => cp.latest.savepoint,
        Err(e) => {
            return Settled::Unknown(format!(
                "the job is {state}, and its checkpoint statistics can't be read: {}",
                crate::core::error_chain(&e)
            ));
        }
    };
    let Some(sp) = sp else {
        return Settled::Unknown(format!(
            "the job is {state}, and its checkpoint statistics show no savepoint"
        ));
    };
    let path = sp.external_path.clone().unwrap_or_default();
    let completed = sp.status.as_deref() == Some("COMPLETED") && !sp.discarded;
    let recent = sp
        .trigger_timestamp
        .is_some_and(|t| t.max(0) as u64 + CLOCK_SLACK_MS >= since_ms);
    let new = !recorded.contains(&normalize_path(&path));
    if completed && recent && new && !path.is_empty() {
        return Settled::Ended {
            location: path,
            state: state.to_string(),
        };
    }
    Settled::Unknown(format!(
        "the job is {state}, but its latest savepoint (#{} {}, {}, triggered at {} ms) is not this operation's",
        sp.id,
        if path.is_empty() {
            "without a path"
        } else {
            &path
        },
        sp.status.as_deref().unwrap_or("status unknown"),
        sp.trigger_timestamp.unwrap_or(0)
    ))
}

/// Wait until the job and every one of its vertices are RUNNING: a job being (re)deployed
/// (`INITIALIZING`, `CREATED`, `RESTARTING`, `RECONCILING`, or RUNNING with tasks still
/// deploying, e.g. after a failover) is waited for until `deadline`; a terminal or suspended
/// one is refused at once. Flink refuses to trigger a checkpoint or savepoint while any task
/// is not running ("Not all required tasks are currently running"), so a trigger must not
/// come earlier.
async fn wait_running(
    api: &LeaderRest<'_>,
    id: &str,
    who: &str,
    what: &str,
    deadline: Instant,
) -> Result<()> {
    let started = Instant::now();
    let mut poll = crate::time::Backoff::flink_operation();
    loop {
        let state = match job_state_with_tasks(api, id).await {
            Ok(s) => s,
            // Not (yet) known to a new leader that is still recovering its jobs.
            Err(Error::Rest(e)) if e.status() == Some(404) && Instant::now() < deadline => {
                "not known yet".to_string()
            }
            Err(e) => return Err(e),
        };
        if state == "RUNNING" {
            return Ok(());
        }
        let transient = matches!(
            state.as_str(),
            "INITIALIZING" | "CREATED" | "RESTARTING" | "RECONCILING" | "not known yet"
        ) || state.starts_with("RUNNING, ");
        if !transient || Instant::now() >= deadline {
            let waited = if transient {
                format!(" (waited {:.0} s)", started.elapsed().as_secs_f64())
            } else {
                String::new()
            };
            return Err(Error::Refused {
                message: format!(
                    "job {who} is {state}, not RUNNING{waited}: {what} needs a running job; nothing done"
                ),
            });
        }
        api.reporter().waiting("the job to run", &state);
        poll.sleep().await;
    }
}

/// The job's state, with `RUNNING, n/m tasks running` while some of its tasks are not RUNNING.
async fn job_state_with_tasks(api: &LeaderRest<'_>, id: &str) -> Result<String> {
    // Both reads are answered by the JobMaster now (not the REST endpoint's cached details,
    // which can still say RUNNING for up to `web.refresh-interval` after a job ended).
    let state = job_state(api, id).await?;
    if state != "RUNNING" {
        return Ok(state);
    }
    if let Some(j) = live_summary(api, id).await?
        && j.tasks.total > 0
        && j.tasks.running < j.tasks.total
    {
        return Ok(format!(
            "RUNNING, {}/{} tasks running",
            j.tasks.running, j.tasks.total
        ));
    }
    Ok(state)
}

/// Job `id`'s entry in `GET /jobs/overview` (state and task counts as the JobMaster has them
/// now), or None when the overview does not list it.
async fn live_summary(api: &LeaderRest<'_>, id: &str) -> Result<Option<JobSummary>> {
    let jobs = api.call(|c| async move { c.jobs().await }).await?;
    Ok(jobs.into_iter().find(|j| j.jid == id))
}

/// The job's status now (`GET /jobs/:jobid/status`, not the REST endpoint's cached job
/// details: a job that ended shows as ended at once, not up to `web.refresh-interval` later).
/// When it says "not found" the details are asked too: that endpoint answers an unknown job
/// with an HTTP 500 naming `FlinkJobNotFoundException` ([`crate::rest::RestError::is_not_found`]),
/// a JobManager without it with a 404. A job unknown to both is the details' 404, which the
/// callers treat as "not known (yet, or any more)".
async fn job_state(api: &LeaderRest<'_>, id: &str) -> Result<String> {
    let id = id.to_string();
    let status = api
        .call(|c| {
            let id = id.clone();
            async move { c.job_status(&id).await }
        })
        .await;
    match status {
        Err(Error::Rest(e)) if e.is_not_found() => Ok(api
            .call(|c| {
                let id = id.clone();
                async move { c.job(&id).await }
            })
            .await?
            .state),
        other => other,
    }
}

async fn wait_terminal(api: &LeaderRest<'_>, id: &str, deadline: Instant) -> Result<String> {
    let mut poll = crate::time::Backoff::flink_operation();
    loop {
        let s = match job_state(api, id).await {
            Ok(s) => s,
            // A leader that took over after the job ended does not know it.
            Err(Error::Rest(e)) if e.status() == Some(404) => {
                return Ok("UNKNOWN (ended; no longer known to the leader)".into());
            }
            Err(e) => return Err(e),
        };
        if JobDetails::is_terminal(&s) {
            return Ok(s);
        }
        if Instant::now() >= deadline {
            return Err(Error::Timeout {
                what: format!("job {id} to end after its savepoint completed"),
                secs: 30,
                detail: format!("it is {s}; the savepoint is recorded"),
            });
        }
        api.reporter().waiting("the job to end", &s);
        poll.sleep().await;
    }
}

/// What `flinkha run <target>` names: a jar file, or a job declared in the inventory.
#[derive(Debug, Clone, PartialEq)]
pub enum RunTarget<'c> {
    /// A path that exists as a file.
    Jar(PathBuf),
    /// A job declared under `jobs:`.
    Declared(&'c DeclaredJob),
}

/// Resolve `given`: a path that exists as a file is a jar; otherwise the job declared under
/// that name. A given path that looks like a jar (ends in `.jar` or contains `/`) and names no
/// declared job is reported as a missing jar.
///
/// # Errors
/// [`Error::Refused`] for a jar path that does not exist; [`Error::NotAJarOrJob`] (listing the
/// declared names) for anything else.
pub fn resolve_run_target<'c>(cluster: &'c Cluster, given: &str) -> Result<RunTarget<'c>> {
    let p = PathBuf::from(given);
    if p.is_file() {
        return Ok(RunTarget::Jar(p));
    }
    if let Some(j) = cluster.declared_job(given) {
        return Ok(RunTarget::Declared(j));
    }
    if given.ends_with(".jar") || given.contains('/') {
        return Err(Error::Refused {
            message: format!(
                "jar {given} does not exist (or is not a file): give the path of the job's jar{}",
                if cluster.jobs.is_empty() {
                    String::new()
                } else {
                    format!(
                        " or a declared job ({})",
                        cluster
                            .jobs
                            .iter()
                            .map(|j| j.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            ),
        });
    }
    Err(Error::NotAJarOrJob {
        given: given.to_string(),
        inventory: cluster.inventory_path.clone(),
        declared: cluster.jobs.iter().map(|j| j.name.clone()).collect(),
    })
}

/// The savepoint target dir for a job named `job_name`: the `savepoint_dir` of the declared
/// job whose jar the catalogue says it was run from, or else of a declared job of the same
/// name; `None` when neither declares one.
pub fn declared_savepoint_dir(
    cluster: &Cluster,
    job_name: &str,
    jar: Option<&str>,
) -> Option<String> {
    let by_jar = jar.and_then(|jar| {
        cluster.jobs.iter().find(|d| {
            std::fs::canonicalize(&d.jar)
                .map(|p| p.display().to_string() == jar)
                .unwrap_or(false)
        })
    });
    by_jar
        .or_else(|| cluster.declared_job(job_name))
        .and_then(|d| d.savepoint_dir.clone())
}

/// Options of `run`.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// What to submit (jar, entry class, args, parallelism, claim mode, ...).
    pub spec: JobSpec,
    /// Savepoint path to restore from (already resolved: no `latest`).
    pub savepoint: Option<String>,
    /// A pre-assigned job id (32 hex digits, like [`new_trigger_id`]); `None`: a fresh one.
    /// With one, `run` reconciles: a job with that id already at the leader is adopted (not
    /// submitted again) and waited for and verified like a new one.
    pub job_id: Option<String>,
    /// How long to wait for every vertex to be RUNNING (and the restore to show).
    pub timeout: Duration,
    /// The jar, uploaded beforehand (a shadow upgrade uploads every job's jar before the
    /// downtime starts): used when that JobManager still leads; otherwise, or when it no
    /// longer has the jar, it is uploaded again.
    pub uploaded: Option<UploadedJar>,
}

/// A jar uploaded to a JobManager (`POST /jars/upload`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct UploadedJar {
    /// The REST URL of the JobManager that has it (jars live in its `web.upload.dir`).
    pub rest_url: String,
    /// Its jar id.
    pub jar_id: String,
}

/// A job started (or adopted) by `run`.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct RunDone {
    /// Job id (chosen by flinkha, or the pre-assigned one).
    pub job_id: String,
    /// Job name.
    pub job_name: String,
    /// Jar id at the JobManager (empty when adopted: nothing was uploaded).
    pub jar_id: String,
    /// The savepoint it verifiably restored from.
    pub restored_from: Option<String>,
    /// Vertices, all RUNNING.
    pub vertices: usize,
    /// Wall time from upload until RUNNING (and verified), ms.
    pub elapsed_ms: u64,
    /// The REST URL that served it.
    pub leader: String,
    /// The job was already at the leader (a pre-assigned id found there, or Flink refused the
    /// submission as a duplicate): nothing was submitted by this call.
    pub adopted: bool,
}

/// A savepoint path in one spelling (`file:/a`, `file:///a` and `/a` are the same).
pub fn normalize_path(p: &str) -> String {
    let p = p.trim();
    let rest = p
        .strip_prefix("file://")
        .or_else(|| p.strip_prefix("file:"))
        .map(|r| format!("/{}", r.trim_start_matches('/')));
    let s = rest.unwrap_or_else(|| p.to_string());
    let t = s.trim_end_matches('/');
    if t.is_empty() {
        "/".into()
    } else {
        t.to_string()
    }
}

/// Whether Flink refused a submission because a job with its id was already submitted
/// (`DuplicateJobSubmissionException`, "Job has already been submitted.": also said for a
/// job of that id that already ended).
fn is_duplicate(e: &crate::rest::RestError) -> bool {
    let t = e.to_string();
    t.contains("DuplicateJobSubmission") || t.contains("has already been submitted")
}

/// Upload the spec's jar to the leader, run it with a client-chosen (or the pre-assigned)
/// job id, wait until every vertex is RUNNING, and, when restoring, verify
/// `latest.restored.external_path` is the requested savepoint.
///
/// The run is recorded in `catalogue` (with its spec) as `submitted` as soon as the
/// JobManager accepted it, then updated to `verified` (every check passed: RUNNING and, when
/// restoring, the restore verified; `running` in between) or `failed`; a job flinkha
/// stopped waiting for stays `submitted`.
///
/// With a pre-assigned `opts.job_id` it reconciles: when the leader already knows a job of
/// that id (`GET /jobs/<id>` answers), or refuses the submission as a duplicate, the job is
/// adopted ([`RunDone::adopted`]) instead of submitted, and waited for and verified the same.
///
/// # Errors
/// [`Error::Refused`] for a malformed job id, a missing jar or one whose digest is not the
/// spec's; [`Error::Rest`] with Flink's messages when the run is refused; [`Error::Timeout`] /
/// [`Error::Refused`] when the job does not reach RUNNING (or fails);
/// [`Error::RestoreNotVerified`] when it restored from something else or nothing.
pub async fn run(
    api: &LeaderRest<'_>,
    catalogue: &Catalogue,
    opts: &RunOptions,
) -> Result<RunDone> {
    let started = Instant::now();
    let reporter = api.reporter();
    let spec = &opts.spec;
    let job_id = match &opts.job_id {
        Some(id) if id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()) => {
            id.to_ascii_lowercase()
        }
        Some(id) => {
            return Err(Error::Refused {
                message: format!("job id `{id}` is not a Flink job id (32 hex digits)"),
            });
        }
        None => new_trigger_id(),
    };
    let get_job = || {
        api.call(|c| {
            let id = job_id.clone();
            async move { c.job(&id).await }
        })
    };
    // Reconcile: with a pre-assigned id, an earlier attempt may have got through.
    let mut adopted = false;
    if opts.job_id.is_some() {
        match get_job().await {
            Ok(_) => adopted = true,
            Err(Error::Rest(e)) if e.status() == Some(404) => {}
            Err(e) => return Err(e),
        }
    }
    let mut jar_id = String::new();
    let mut refused_as_duplicate = false;
    if adopted {
        reporter.phase(&format!(
            "job {job_id} is already at the leader: adopting it"
        ));
    } else {
        spec.check_jar()?;
        let mut req = RunRequest {
            entry_class: spec.entry_class.clone(),
            program_args: spec.args.clone(),
            parallelism: spec.parallelism,
            savepoint_path: opts.savepoint.clone(),
            allow_non_restored_state: spec.allow_non_restored_state.then_some(true),
            job_id: Some(job_id.clone()),
            ..RunRequest::default()
        };
        if opts.savepoint.is_some() {
            let v = &api.cluster().version;
            req.set_claim_mode(spec.claim_mode, v.major, v.minor);
        }
        reporter.phase(&format!("running {}", spec.jar));
        let jar = PathBuf::from(&spec.jar);
        let attempt = std::sync::atomic::AtomicU32::new(0);
        let (id, duplicate_at) = api
            .call(|c| {
                let jar = jar.clone();
                let req = req.clone();
                let n = attempt.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let pre = opts
                    .uploaded
                    .as_ref()
                    .filter(|u| {
                        n == 0 && u.rest_url.trim_end_matches('/') == c.base().trim_end_matches('/')
                    })
                    .map(|u| u.jar_id.clone());
                async move {
                    // Jars live in the receiving JobManager's web.tmpdir: upload each attempt
                    // (but the first, when this JobManager has it already).
                    let was_pre = pre.is_some();
                    let jar_id = match pre {
                        Some(id) => id,
                        None => c.upload_jar(&jar).await?,
                    };
                    let (jar_id, ran) = match c.run_jar(&jar_id, &req).await {
                        Err(e) if was_pre && e.status() == Some(404) => {
                            // The pre-uploaded jar is gone (the JobManager restarted).
                            let id = c.upload_jar(&jar).await?;
                            let r = c.run_jar(&id, &req).await;
                            (id, r)
                        }
                        r => (jar_id, r),
                    };
                    match ran {
                        Ok(_) => Ok((jar_id, None)),
                        // A job of this id is there already: a retry after a leader change
                        // whose first submission got through (n > 0), or one submitted before.
                        Err(e) if is_duplicate(&e) => Ok((jar_id, Some(n))),
                        Err(e) => Err(e),
                    }
                }
            })
            .await?;
        jar_id = id;
        if duplicate_at == Some(0) {
            adopted = true;
            refused_as_duplicate = true;
            reporter.waiting(
                "the job to run",
                "Flink already has a job of this id: adopting it",
            );
        }
    }
    // Recorded as soon as the JobManager has it, before waiting: a job flinkha stops waiting
    // for is still known (with its spec) to the savepoints taken of it later.
    let existing = catalogue
        .load()
        .ok()
        .and_then(|d| d.run_of(&job_id).cloned());
    if !(adopted && existing.is_some()) {
        catalogue.record_run(RunRecord {
            job_id: job_id.clone(),
            job_name: String::new(),
            jar: spec.jar.clone(),
            time_ms: now_ms(),
            restored_from: None,
            spec: Some(spec.clone()),
            state: RunState::Submitted,
            detail: None,
        })?;
    }
    let deadline = crate::time::after(started, opts.timeout);
    let mut seen_name: Option<String> = None;
    let mut poll = crate::time::Backoff::flink_operation();
    // Polled through `GET /jobs/overview` (answered from the JobMaster now), not the job's
    // details (cached by the REST endpoint for `web.refresh-interval`, 3 s by default: a job
    // running for 2.9 s would still show INITIALIZING). Observed: (name, state, tasks
    // running, tasks in all), or None while not known; a JobManager whose overview lacks the
    // job (or has no overview) is asked for its details.
    let observe = || async {
        match live_summary(api, &job_id).await {
            Ok(Some(d)) => {
                return Ok(Some((
                    d.name,
                    d.state,
                    d.tasks.running as usize,
                    d.tasks.total as usize,
                )));
            }
            Ok(None) => {}
            Err(Error::Rest(e)) if e.status() == Some(404) => {}
            Err(e) => return Err(e),
        }
        match get_job().await {
            Ok(d) => Ok(Some((
                d.name,
                d.state,
                d.vertices.iter().filter(|v| v.status == "RUNNING").count(),
                d.vertices.len(),
            ))),
            Err(Error::Rest(e)) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    };
    loop {
        match observe().await {
            Ok(Some((_, state, running, total)))
                if state == "RUNNING" && total > 0 && running == total =>
            {
                break;
            }
            Ok(Some((name, state, ..))) if JobDetails::is_terminal(&state) => {
                let detail = format!("went {state} instead of RUNNING");
                catalogue.update_run(&job_id, |r| {
                    r.state = RunState::Failed;
                    r.job_name = name.clone();
                    r.detail = Some(detail);
                })?;
                return Err(Error::Refused {
                    message: format!(
                        "job {name} ({job_id}) went {state} instead of RUNNING: see `flinkha jobs show {job_id}` and the JobManager log"
                    ),
                });
            }
            Ok(Some((name, state, running, total))) => {
                reporter.waiting(
                    "the job to run",
                    &format!("{state}, {running}/{total} tasks RUNNING"),
                );
                seen_name = Some(name);
            }
            Ok(None) => reporter.waiting("the job to run", "not known yet"),
            Err(e) => return Err(e),
        }
        if Instant::now() >= deadline {
            let secs = opts.timeout.as_secs();
            catalogue.update_run(&job_id, |r| {
                if let Some(n) = seen_name.clone() {
                    r.job_name = n;
                }
                r.detail = Some(format!(
                    "flinkha stopped waiting for it to run after {secs} s"
                ));
            })?;
            let mut detail = "it was submitted (the catalogue records it as submitted) and left as it is; `flinkha jobs show` tells more".to_string();
            if refused_as_duplicate && seen_name.is_none() {
                detail.push_str(&format!(
                    "; Flink refused the submission as a duplicate of job {job_id}, which it never showed: it may have ended already (Flink refuses an ended job's id the same way)"
                ));
            }
            return Err(Error::Timeout {
                what: format!("job {job_id} to run"),
                secs,
                detail,
            });
        }
        poll.sleep().await;
    }
    let details = get_job().await?;
    let who = format!("{} ({job_id})", details.name);
    let mut restored_from = None;
    if let Some(expected) = &opts.savepoint {
        catalogue.update_run(&job_id, |r| {
            r.state = RunState::Running;
            r.job_name = details.name.clone();
            r.detail = None;
        })?;
        // An adopted job verified before (and restarted from a checkpoint since, which then
        // shows as latest.restored) is not verified again.
        let verified_before = adopted
            && existing.as_ref().is_some_and(|r| {
                r.state == RunState::Verified
                    && r.restored_from
                        .as_deref()
                        .is_some_and(|p| normalize_path(p) == normalize_path(expected))
            });
        let actual = if verified_before {
            existing.as_ref().and_then(|r| r.restored_from.clone())
        } else {
            // The restore is reported with the job's initialisation; allow a few polls.
            let verify_deadline = Instant::now() + Duration::from_secs(10);
            let mut poll = crate::time::Backoff::flink_operation();
            loop {
                let cp = api
                    .call(|c| {
                        let id = job_id.clone();
                        async move { c.checkpoints(&id).await }
                    })
                    .await?;
                let actual = cp.latest.restored.and_then(|r| r.external_path);
                if actual.is_some() || Instant::now() >= verify_deadline {
                    break actual;
                }
                reporter.waiting("the restore to show", "latest.restored is empty");
                poll.sleep().await;
            }
        };
        match &actual {
            Some(a) if normalize_path(a) == normalize_path(expected) => {
                restored_from = Some(a.clone());
            }
            _ => {
                let actual = actual.unwrap_or_else(|| "empty (no restore)".into());
                catalogue.update_run(&job_id, |r| {
                    r.state = RunState::Failed;
                    r.detail = Some(format!(
                        "restore not verified: expected {expected}, latest.restored is {actual}"
                    ));
                })?;
                return Err(Error::RestoreNotVerified {
                    job: who,
                    expected: expected.clone(),
                    actual,
                });
            }
        }
    }
    catalogue.update_run(&job_id, |r| {
        r.state = RunState::Verified;
        r.job_name = details.name.clone();
        r.restored_from = restored_from.clone();
        r.detail = None;
    })?;
    Ok(RunDone {
        job_id,
        job_name: details.name.clone(),
        jar_id,
        restored_from,
        vertices: details.vertices.len(),
        elapsed_ms: started.elapsed().as_millis() as u64,
        leader: api.url().await.unwrap_or_default(),
        adopted,
    })
}

/// One savepoint `savepoints prune` disposes of (or would).
#[derive(Debug, Clone, Serialize)]
pub struct Disposal {
    /// The catalogue record.
    pub savepoint: SavepointRecord,
    /// Disposed of (false in a dry run or on failure); also true when it was already gone.
    pub disposed: bool,
    /// Flink found nothing at the path (`Cannot find checkpoint or savepoint ...`): already
    /// disposed of, e.g. by an earlier attempt whose answer was lost. Recorded as disposed.
    pub already_gone: bool,
    /// Why it could not be disposed of.
    pub error: Option<String>,
}

/// The savepoints `savepoints prune` would dispose of: per job name all but the newest
/// `keep` usable ones (at least one is always kept), optionally only those older than
/// `older_than`.
///
/// # Errors
/// The catalogue can't be read.
pub fn plan_prune(
    catalogue: &Catalogue,
    keep: usize,
    older_than: Option<Duration>,
) -> Result<Vec<SavepointRecord>> {
    let d = catalogue.load()?;
    Ok(
        d.prune_candidates(keep, older_than.map(crate::time::millis), now_ms())
            .into_iter()
            .map(|i| d.savepoints[i].clone())
            .collect(),
    )
}

/// Dispose of `plan` through the leader's `POST /savepoint-disposal`, one at a time, marking
/// each disposed one in the catalogue. Failures are reported per savepoint; the rest go on.
///
/// # Errors
/// No leader, or the catalogue can't be written.
pub async fn prune(
    api: &LeaderRest<'_>,
    catalogue: &Catalogue,
    plan: Vec<SavepointRecord>,
    timeout: Duration,
) -> Result<Vec<Disposal>> {
    let mut out = Vec::new();
    for rec in plan {
        let path = rec.path.clone().unwrap_or_default();
        api.reporter().waiting("disposing of", &path);
        let r = dispose_one(api, &path, timeout).await;
        let already_gone = matches!(r, Ok(Disposed::AlreadyGone));
        if r.is_ok() {
            let (p, t) = (rec.path.clone(), rec.trigger_id.clone());
            catalogue.update(|d| {
                for s in d.savepoints.iter_mut() {
                    if s.path == p && s.trigger_id == t {
                        s.disposed_ms = Some(now_ms());
                    }
                }
            })?;
        }
        out.push(Disposal {
            savepoint: rec,
            disposed: r.is_ok(),
            already_gone,
            error: r.err().map(|e| crate::core::error_chain(&e)),
        });
    }
    Ok(out)
}

/// Flink's cause when the path names nothing (`AbstractFsCheckpointStorageAccess.
/// resolveCheckpointPointer` throws `FileNotFoundException` with this text): the savepoint is
/// already gone, e.g. disposed of by an attempt whose answer was lost.
const SAVEPOINT_NOT_FOUND: &str = "Cannot find checkpoint or savepoint file/directory";

/// How one disposal ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Disposed {
    /// The JobManager deleted it.
    Now,
    /// It was already gone (Flink found nothing at the path).
    AlreadyGone,
}

async fn dispose_one(api: &LeaderRest<'_>, path: &str, timeout: Duration) -> Result<Disposed> {
    let started = Instant::now();
    let p = path.to_string();
    // Not idempotent (Flink takes no client-chosen id here): sent again only when the first
    // attempt certainly did nothing. After a timeout the disposal may have happened; it is
    // reported, not repeated, and a later prune finds the path gone and records it.
    let trigger = api
        .call_not_idempotent(|c| {
            let p = p.clone();
            async move { c.dispose_savepoint(&p).await }
        })
        .await
        .map_err(|e| match e {
            Error::Rest(r) if !r.certainly_not_acted_on() => Error::Refused {
                message: format!(
                    "disposal of {path}: {}; the JobManager may have disposed of it, so it \
                     was not sent again: run `flinkha savepoints prune` again to find out \
                     (a savepoint already gone is recorded as disposed of)",
                    crate::core::error_chain(&r)
                ),
            },
            e => e,
        })?;
    let mut poll = crate::time::Backoff::flink_operation();
    loop {
        let t = trigger.clone();
        match api
            .call(|c| {
                let t = t.clone();
                async move { c.disposal_status(&t).await }
            })
            .await?
        {
            Operation::Completed { .. } => return Ok(Disposed::Now),
            Operation::Failed { cause } if cause.contains(SAVEPOINT_NOT_FOUND) => {
                return Ok(Disposed::AlreadyGone);
            }
            Operation::Failed { cause } => {
                return Err(Error::Refused {
                    message: format!("disposal of {path} failed: {cause}"),
                });
            }
            Operation::InProgress => {}
        }
        if started.elapsed() >= timeout {
            return Err(Error::Timeout {
                what: format!("disposal of {path}"),
                secs: timeout.as_secs(),
                detail: format!("trigger id {trigger}; it may still complete"),
            });
        }
        poll.sleep().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    mod disposal {
        use super::*;
        use crate::core::ops::leader_rest::tests::{cluster, jm};
        use crate::core::reporter::NullReporter;
        use wiremock::matchers::{method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};

        async fn posts(s: &MockServer) -> usize {
            s.received_requests()
                .await
                .unwrap_or_default()
                .iter()
                .filter(|r| r.method.as_str() == "POST")
                .count()
        }

        async fn answers(s: &MockServer, delay: Duration, cause: Option<&str>) {
            Mock::given(method("POST"))
                .and(path("/savepoint-disposal"))
                .respond_with(
                    ResponseTemplate::new(202)
                        .set_delay(delay)
                        .set_body_string(r#"{"request-id":"d1"}"#),
                )
                .mount(s)
                .await;
            let body = match cause {
                Some(c) => format!(
                    r#"{{"status":{{"id":"COMPLETED"}},"operation":{{"failure-cause":{{"class":"java.io.FileNotFoundException","stack-trace":"{c}"}}}}}}"#
                ),
                None => r#"{"status":{"id":"COMPLETED"},"operation":{}}"#.into(),
            };
            Mock::given(method("GET"))
                .and(path("/savepoint-disposal/d1"))
                .respond_with(ResponseTemplate::new(200).set_body_string(body))
                .mount(s)
                .await;
        }

        /// A disposal whose answer never came (timeout) is not sent again, neither to the
        /// same JobManager nor to the other one: it may have happened.
        #[tokio::test]
        async fn a_timed_out_disposal_is_not_sent_again() {
            let a = jm("127.0.0.1", "aaaa").await;
            let b = jm("127.0.0.2", "bbbb").await;
            answers(&a, Duration::from_secs(5), None).await;
            answers(&b, Duration::ZERO, None).await;
            let dir = tempfile::tempdir().unwrap();
            let c = cluster(dir.path(), &a, &b);
            let api =
                LeaderRest::new(&c, &NullReporter).with_call_timeout(Duration::from_millis(500));
            let err = dispose_one(&api, "file:/sp/savepoint-1", Duration::from_secs(5))
                .await
                .unwrap_err();
            let msg = crate::core::error_chain(&err);
            assert!(msg.contains("may have disposed of it"), "{msg}");
            assert_eq!((posts(&a).await, posts(&b).await), (1, 0));
        }

        /// One the JobManager certainly did not act on (503 during a leader election, which
        /// Flink's `LeaderRetrievalHandler` answers before any handler runs) is sent again. (A
        /// connection refused is the other such case; with the client's pooled keep-alive
        /// connection a dead leader shows as a reset, which is rightly not resent: the
        /// request may have been read.)
        #[tokio::test]
        async fn a_disposal_refused_during_a_leader_election_is_sent_again() {
            let a = jm("127.0.0.1", "aaaa").await;
            let b = jm("127.0.0.2", "bbbb").await;
            Mock::given(method("POST"))
                .and(path("/savepoint-disposal"))
                .respond_with(ResponseTemplate::new(503).set_body_string(
                    "Service temporarily unavailable due to an ongoing leader election. Please refresh.",
                ))
                .up_to_n_times(1)
                .with_priority(1)
                .mount(&a)
                .await;
            answers(&a, Duration::ZERO, None).await;
            let dir = tempfile::tempdir().unwrap();
            let c = cluster(dir.path(), &a, &b);
            let api = LeaderRest::new(&c, &NullReporter);
            let r = dispose_one(&api, "file:/sp/savepoint-1", Duration::from_secs(5)).await;
            assert_eq!(r.unwrap(), Disposed::Now);
            assert_eq!((posts(&a).await, posts(&b).await), (2, 0));
        }

        /// Flink finding nothing at the path means it is already gone: recorded, not failed.
        /// Any other failure stays a failure.
        #[tokio::test]
        async fn a_savepoint_already_gone_counts_as_disposed_of() {
            let a = jm("127.0.0.1", "aaaa").await;
            let b = jm("127.0.0.2", "bbbb").await;
            answers(
                &a,
                Duration::ZERO,
                Some("java.io.FileNotFoundException: Cannot find checkpoint or savepoint file/directory 'file:/sp/savepoint-1' on file system 'file'."),
            )
            .await;
            let dir = tempfile::tempdir().unwrap();
            let c = cluster(dir.path(), &a, &b);
            let api = LeaderRest::new(&c, &NullReporter);
            let r = dispose_one(&api, "file:/sp/savepoint-1", Duration::from_secs(5)).await;
            assert_eq!(r.unwrap(), Disposed::AlreadyGone);

            let a = jm("127.0.0.1", "aaaa").await;
            answers(
                &a,
                Duration::ZERO,
                Some("java.io.IOException: Permission denied"),
            )
            .await;
            let c = cluster(dir.path(), &a, &b);
            let api = LeaderRest::new(&c, &NullReporter);
            let err = dispose_one(&api, "file:/sp/savepoint-1", Duration::from_secs(5))
                .await
                .unwrap_err();
            assert!(crate::core::error_chain(&err).contains("Permission denied"));
        }
    }

    #[test]
    fn partial_savepoint_dirs_of_an_interrupted_attempt_are_found() {
        let d = tempfile::tempdir().unwrap();
        let jid = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
        let mk = |name: &str, metadata: bool| {
            let p = d.path().join(name);
            std::fs::create_dir_all(&p).unwrap();
            if metadata {
                std::fs::write(p.join("_metadata"), b"x").unwrap();
            }
            p
        };
        let since = SystemTime::now() - Duration::from_secs(1);
        let partial = mk("savepoint-a1b2c3-111111111111", false);
        let done = mk("savepoint-a1b2c3-222222222222", true);
        mk("savepoint-a1b2c3-333333333333", true); // another completed one
        mk("savepoint-ffffff-444444444444", false); // another job's
        std::fs::write(d.path().join("savepoint-a1b2c3-555555555555"), b"").unwrap(); // a file
        let target = format!("file://{}", d.path().display());
        let completed = format!("file:{}", done.display());
        let found = partial_savepoint_dirs(&target, jid, &completed, since);
        assert_eq!(found, [partial.display().to_string()]);
        // A plain path works the same; the completed one is never reported even without
        // `_metadata` (Flink reported it complete).
        std::fs::remove_file(done.join("_metadata")).unwrap();
        let plain = d.path().display().to_string();
        assert_eq!(
            partial_savepoint_dirs(&plain, jid, &completed, since),
            [partial.display().to_string()]
        );
        // Older than the operation: not this operation's leftover.
        let later = SystemTime::now() + Duration::from_secs(3600);
        assert!(partial_savepoint_dirs(&target, jid, &completed, later).is_empty());
        // Other file systems and missing dirs: nothing (never an error).
        assert!(partial_savepoint_dirs("hdfs:///sp", jid, &completed, since).is_empty());
        assert!(partial_savepoint_dirs("/nonexistent/sp", jid, &completed, since).is_empty());
        // Nothing was deleted.
        assert!(partial.is_dir() && done.is_dir());
    }

    fn cluster_with_jobs(dir: &std::path::Path, jobs: &str) -> Cluster {
        let conf = dir.join("conf");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::write(conf.join("config.yaml"), "parallelism:\n  default: 1\n").unwrap();
        std::fs::write(conf.join("masters"), "h1:8081\n").unwrap();
        std::fs::write(conf.join("workers"), "h1\n").unwrap();
        let inv = dir.join("flinkha.yaml");
        std::fs::write(
            &inv,
            format!("conf_dir: conf\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: 127.0.0.1\n{jobs}"),
        )
        .unwrap();
        Cluster::load(&inv).unwrap()
    }

    #[test]
    fn run_target_is_a_jar_file_or_a_declared_job() {
        let dir = tempfile::tempdir().unwrap();
        let c = cluster_with_jobs(
            dir.path(),
            "jobs:\n  counter:\n    jar: c.jar\n    savepoint_dir: file:///sp/counter\n  other:\n    jar: o.jar\n",
        );
        let jar = dir.path().join("x.jar");
        std::fs::write(&jar, b"PK").unwrap();
        let given = jar.to_str().unwrap();
        assert_eq!(
            resolve_run_target(&c, given).unwrap(),
            RunTarget::Jar(jar.clone())
        );
        match resolve_run_target(&c, "counter").unwrap() {
            RunTarget::Declared(d) => assert_eq!(d.jar, dir.path().join("c.jar")),
            t => panic!("{t:?}"),
        }
        let e = resolve_run_target(&c, "countr").unwrap_err().to_string();
        assert!(
            e.contains("`countr` is neither a jar file nor a job declared"),
            "{e}"
        );
        assert!(e.contains("declared jobs: counter, other"), "{e}");
        let e = resolve_run_target(&c, "/nonexistent/job.jar")
            .unwrap_err()
            .to_string();
        assert!(e.contains("jar /nonexistent/job.jar does not exist"), "{e}");
        assert!(e.contains("counter, other"), "{e}");
        assert_eq!(
            declared_savepoint_dir(&c, "counter", None).as_deref(),
            Some("file:///sp/counter")
        );
        assert_eq!(
            declared_savepoint_dir(&c, "flinkha-counter-job", None),
            None
        );
        // Found by the jar the job was run from, whatever the Flink job name.
        std::fs::write(dir.path().join("c.jar"), b"PK").unwrap();
        let run_from = std::fs::canonicalize(dir.path().join("c.jar")).unwrap();
        assert_eq!(
            declared_savepoint_dir(&c, "flinkha-counter-job", run_from.to_str()).as_deref(),
            Some("file:///sp/counter")
        );
        let none = cluster_with_jobs(dir.path(), "");
        let e = resolve_run_target(&none, "counter")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no jobs are declared there"), "{e}");
    }

    fn job(jid: &str, name: &str, state: &str, start: i64) -> JobSummary {
        JobSummary {
            jid: jid.into(),
            name: name.into(),
            state: state.into(),
            start_time: start,
            duration: 0,
            tasks: Default::default(),
        }
    }

    fn jobs() -> Vec<JobSummary> {
        vec![
            job("aaaa1111000000000000000000000000", "counter", "CANCELED", 1),
            job("aaaa2222000000000000000000000000", "counter", "RUNNING", 2),
            job(
                "bbbb0000000000000000000000000000",
                "wordcount",
                "FINISHED",
                3,
            ),
        ]
    }

    #[test]
    fn by_id_prefix_and_name() {
        let js = jobs();
        assert_eq!(resolve_job(&js, "bbbb").unwrap().name, "wordcount");
        assert_eq!(
            resolve_job(&js, "aaaa1111000000000000000000000000")
                .unwrap()
                .state,
            "CANCELED"
        );
        // The running one of two with the same name.
        assert_eq!(resolve_job(&js, "counter").unwrap().state, "RUNNING");
        let e = resolve_job(&js, "aaaa").unwrap_err().to_string();
        assert!(e.contains("matches 2 jobs"), "{e}");
    }

    #[test]
    fn unknown_job_suggests_close_names() {
        let e = resolve_job(&jobs(), "countr").unwrap_err().to_string();
        assert!(e.contains("no job matches `countr`"), "{e}");
        assert!(e.contains("did you mean counter"), "{e}");
        let e = resolve_job(&jobs(), "zzzzzzzzzz").unwrap_err().to_string();
        assert!(!e.contains("did you mean"), "{e}");
    }

    use crate::core::ops::leader_rest::tests::{cluster, jm};
    use crate::core::reporter::NullReporter;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    const JOB: &str = "aaaa";

    async fn mock_job(s: &wiremock::MockServer) {
        Mock::given(method("GET"))
            .and(path(format!("/jobs/{JOB}")))
            .respond_with(
                ResponseTemplate::new(200).set_body_string(
                    r#"{"jid":"aaaa","name":"n","state":"RUNNING","vertices":[]}"#,
                ),
            )
            .mount(s)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("/jobs/{JOB}/savepoints")))
            .respond_with(ResponseTemplate::new(202).set_body_string(r#"{"request-id":"t"}"#))
            .mount(s)
            .await;
    }

    /// `GET /jobs/:jobid/status` answers a job the Dispatcher does not know (at that moment:
    /// CI saw it right after a ZooKeeper failover) with an HTTP 500, Flink's body below; the
    /// state is then the details', and a job unknown to those too is their 404.
    #[tokio::test]
    async fn a_status_500_job_not_found_falls_back_to_the_details() {
        let a = jm("127.0.0.1", JOB).await;
        let b = jm("127.0.0.2", JOB).await;
        Mock::given(method("GET"))
            .and(path(format!("/jobs/{JOB}/status")))
            .respond_with(ResponseTemplate::new(500).set_body_string(format!(
                r#"{{"errors":["Internal server error.","<Exception on server side:\norg.apache.flink.runtime.messages.FlinkJobNotFoundException: Could not find Flink job ({JOB})\n\tat org.apache.flink.runtime.dispatcher.Dispatcher.lambda$requestJobStatus$0(Dispatcher.java:1)\n\nEnd of exception on server side>"]}}"#
            )))
            .mount(&a)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let c = cluster(dir.path(), &a, &b);
        let api = LeaderRest::new(&c, &NullReporter);
        match job_state(&api, JOB).await {
            Err(Error::Rest(e)) => assert_eq!(e.status(), Some(404), "{e}"),
            other => panic!("expected the details' 404, got {other:?}"),
        }
        mock_job(&a).await;
        assert_eq!(job_state(&api, JOB).await.unwrap(), "RUNNING");
    }

    fn opts(timeout_ms: u64) -> SavepointOptions {
        SavepointOptions {
            action: SavepointAction::Cancel,
            target_dir: Some("file:///sp".into()),
            format: SavepointFormat::Canonical,
            timeout: Duration::from_millis(timeout_ms),
            trigger_id: None,
        }
    }

    #[tokio::test]
    async fn a_failed_savepoint_says_why_and_that_the_job_still_runs() {
        let a = jm("127.0.0.1", JOB).await;
        let b = jm("127.0.0.2", JOB).await;
        mock_job(&a).await;
        Mock::given(path_regex_savepoint())
            .respond_with(ResponseTemplate::new(200).set_body_string(
                r#"{"status":{"id":"COMPLETED"},"operation":{"failure-cause":{"class":"x","stack-trace":"org.apache.flink.runtime.checkpoint.CheckpointException: Task has failed.\n\tat a.b(C.java:1)"}}}"#,
            ))
            .mount(&a)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let c = cluster(dir.path(), &a, &b);
        let api = LeaderRest::new(&c, &NullReporter);
        let cat = Catalogue::at(dir.path().join("cat.json"));
        let j = find(&api, JOB).await.unwrap();
        let e = savepoint(&api, &cat, &j, &opts(5000))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("cancel with savepoint of job n (aaaa) failed"),
            "{e}"
        );
        assert!(e.contains("still RUNNING"), "{e}");
        assert!(e.contains("Task has failed"), "{e}");
        let d = cat.load().unwrap();
        assert_eq!(d.savepoints.len(), 1);
        assert_eq!(d.savepoints[0].outcome, Outcome::Failed);
    }

    #[tokio::test]
    async fn a_savepoint_that_never_completes_times_out_and_is_recorded() {
        let a = jm("127.0.0.1", JOB).await;
        let b = jm("127.0.0.2", JOB).await;
        mock_job(&a).await;
        Mock::given(path_regex_savepoint())
            .respond_with(
                ResponseTemplate::new(200).set_body_string(r#"{"status":{"id":"IN_PROGRESS"}}"#),
            )
            .mount(&a)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let c = cluster(dir.path(), &a, &b);
        let api = LeaderRest::new(&c, &NullReporter);
        let cat = Catalogue::at(dir.path().join("cat.json"));
        let j = find(&api, JOB).await.unwrap();
        let e = savepoint(&api, &cat, &j, &opts(600))
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("timed out"), "{e}");
        assert!(e.contains("trigger id"), "{e}");
        assert_eq!(cat.load().unwrap().savepoints[0].outcome, Outcome::TimedOut);
    }

    fn path_regex_savepoint() -> wiremock::matchers::PathRegexMatcher {
        wiremock::matchers::path_regex(format!("^/jobs/{JOB}/savepoints/[0-9a-f]{{32}}$"))
    }

    #[test]
    fn paths_compare_in_one_spelling() {
        assert_eq!(normalize_path("file:/sp/savepoint-1"), "/sp/savepoint-1");
        assert_eq!(normalize_path("file:///sp/savepoint-1/"), "/sp/savepoint-1");
        assert_eq!(normalize_path("/sp/savepoint-1"), "/sp/savepoint-1");
        assert_eq!(normalize_path("s3://b/sp/"), "s3://b/sp");
        assert_ne!(normalize_path("file:/sp/a"), normalize_path("file:/sp/b"));
    }
    fn a_spec(dir: &std::path::Path) -> JobSpec {
        let jar = dir.join("job.jar");
        std::fs::write(&jar, b"PK").unwrap();
        JobSpec::resolve(
            &RunTarget::Jar(jar),
            &crate::core::jobspec::SpecOverrides::default(),
        )
        .unwrap()
    }

    async fn mock_upload(s: &wiremock::MockServer, run_status: u16, run_body: &str) {
        Mock::given(method("POST"))
            .and(path("/jars/upload"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_string(r#"{"filename":"/tmp/x/abc_job.jar","status":"success"}"#),
            )
            .mount(s)
            .await;
        Mock::given(method("POST"))
            .and(path("/jars/abc_job.jar/run"))
            .respond_with(ResponseTemplate::new(run_status).set_body_string(run_body))
            .mount(s)
            .await;
    }

    fn job_body(id: &str, state: &str) -> String {
        let v = if state == "RUNNING" {
            "RUNNING"
        } else {
            "CREATED"
        };
        format!(
            r#"{{"jid":"{id}","name":"counter","state":"{state}","vertices":[{{"id":"v","name":"src","parallelism":1,"status":"{v}"}}]}}"#
        )
    }

    /// (a) A run that times out before RUNNING is in the catalogue, with its spec, as
    /// submitted; a savepoint of it later carries that spec.
    #[tokio::test]
    async fn a_run_that_times_out_before_running_is_recorded_as_submitted() {
        let a = jm("127.0.0.1", JOB).await;
        let b = jm("127.0.0.2", JOB).await;
        mock_upload(&a, 200, r#"{"jobid":"x"}"#).await;
        Mock::given(method("GET"))
            .and(wiremock::matchers::path_regex("^/jobs/[0-9a-f]{32}$"))
            .respond_with(ResponseTemplate::new(200).set_body_string(job_body("x", "CREATED")))
            .mount(&a)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let c = cluster(dir.path(), &a, &b);
        let api = LeaderRest::new(&c, &NullReporter);
        let cat = Catalogue::at(dir.path().join("cat.json"));
        let spec = a_spec(dir.path());
        let e = run(
            &api,
            &cat,
            &RunOptions {
                spec: spec.clone(),
                savepoint: None,
                job_id: None,
                timeout: Duration::from_millis(600),
                uploaded: None,
            },
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(e.contains("timed out"), "{e}");
        assert!(e.contains("records it as submitted"), "{e}");
        let d = cat.load().unwrap();
        assert_eq!(d.runs.len(), 1, "{d:?}");
        let r = &d.runs[0];
        assert_eq!(r.state, RunState::Submitted);
        assert_eq!(r.spec.as_ref(), Some(&spec));
        assert_eq!(r.job_name, "counter");
        assert_eq!(d.spec_of(&r.job_id), Some(&spec));
    }

    /// The wait for RUNNING reads `/jobs/overview` (answered by the JobMaster now), not the job
    /// details that the REST endpoint caches for `web.refresh-interval`: details stuck at
    /// INITIALIZING (a stale cache entry) do not hold a job that runs.
    #[tokio::test]
    async fn the_wait_for_running_reads_the_live_overview_not_the_cached_details() {
        let id = "0123456789abcdef0123456789abcdef";
        let a = jm("127.0.0.1", JOB).await;
        let b = jm("127.0.0.2", JOB).await;
        Mock::given(method("GET"))
            .and(path(format!("/jobs/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_string(job_body(id, "INITIALIZING")))
            .mount(&a)
            .await;
        Mock::given(method("GET"))
            .and(path("/jobs/overview"))
            .respond_with(ResponseTemplate::new(200).set_body_string(format!(
                r#"{{"jobs":[{{"jid":"{id}","name":"counter","state":"RUNNING","start-time":1,"duration":5,"tasks":{{"total":2,"running":2}}}}]}}"#
            )))
            .with_priority(1)
            .mount(&a)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let c = cluster(dir.path(), &a, &b);
        let api = LeaderRest::new(&c, &NullReporter);
        let cat = Catalogue::at(dir.path().join("cat.json"));
        let opts = RunOptions {
            spec: a_spec(dir.path()),
            savepoint: None,
            job_id: Some(id.into()),
            timeout: Duration::from_secs(2),
            uploaded: None,
        };
        let done = run(&api, &cat, &opts).await.unwrap();
        assert_eq!(done.job_id, id);
        assert_eq!(cat.load().unwrap().runs[0].state, RunState::Verified);
    }

    #[tokio::test]
    async fn a_pre_assigned_job_id_already_at_the_leader_is_adopted_not_submitted() {
        let id = "0123456789abcdef0123456789abcdef";
        let a = jm("127.0.0.1", JOB).await;
        let b = jm("127.0.0.2", JOB).await;
        Mock::given(method("POST"))
            .and(path("/jars/upload"))
            .respond_with(ResponseTemplate::new(500))
            .expect(0)
            .mount(&a)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/jobs/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_string(job_body(id, "RUNNING")))
            .mount(&a)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let c = cluster(dir.path(), &a, &b);
        let api = LeaderRest::new(&c, &NullReporter);
        let cat = Catalogue::at(dir.path().join("cat.json"));
        let spec = a_spec(dir.path());
        // Even with the jar gone: nothing is uploaded.
        std::fs::remove_file(&spec.jar).unwrap();
        let opts = RunOptions {
            spec: spec.clone(),
            savepoint: None,
            job_id: Some(id.to_ascii_uppercase()),
            timeout: Duration::from_secs(5),
            uploaded: None,
        };
        let done = run(&api, &cat, &opts).await.unwrap();
        assert!(done.adopted);
        assert_eq!(done.job_id, id);
        assert_eq!(done.jar_id, "");
        let d = cat.load().unwrap();
        assert_eq!(d.runs.len(), 1);
        assert_eq!(d.runs[0].state, RunState::Verified);
        assert_eq!(d.runs[0].spec.as_ref(), Some(&spec));
        // Not a job id.
        let e = run(
            &api,
            &cat,
            &RunOptions {
                job_id: Some("xyz".into()),
                ..opts
            },
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(e.contains("not a Flink job id"), "{e}");
    }

    #[tokio::test]
    async fn a_duplicate_submission_is_adopted_and_a_changed_jar_refused() {
        let id = "0123456789abcdef0123456789abcdef";
        let a = jm("127.0.0.1", JOB).await;
        let b = jm("127.0.0.2", JOB).await;
        mock_upload(
            &a,
            500,
            r#"{"errors":["Internal server error.","<Exception on server side:\norg.apache.flink.client.program.ProgramInvocationException: The main method caused an error: Failed to execute job 'counter'.\nCaused by: org.apache.flink.runtime.client.DuplicateJobSubmissionException: Job has already been submitted.\n\tat x.y(Z.java:1)\n\nEnd of exception on server side>"]}"#,
        )
        .await;
        // Not known at first (a leader still recovering it), then running.
        Mock::given(method("GET"))
            .and(path(format!("/jobs/{id}")))
            .respond_with(
                ResponseTemplate::new(404).set_body_string(r#"{"errors":["Job not found"]}"#),
            )
            .up_to_n_times(2)
            .with_priority(1)
            .mount(&a)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/jobs/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_string(job_body(id, "RUNNING")))
            .mount(&a)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let c = cluster(dir.path(), &a, &b);
        let api = LeaderRest::new(&c, &NullReporter);
        let cat = Catalogue::at(dir.path().join("cat.json"));
        let spec = a_spec(dir.path());
        let opts = RunOptions {
            spec: spec.clone(),
            savepoint: None,
            job_id: Some(id.into()),
            timeout: Duration::from_secs(5),
            uploaded: None,
        };
        let done = run(&api, &cat, &opts).await.unwrap();
        assert!(done.adopted, "{done:?}");
        assert_eq!(cat.load().unwrap().runs[0].state, RunState::Verified);
        // The jar changed since the spec was made: refused, naming both digests.
        std::fs::write(&spec.jar, b"PK2").unwrap();
        let e = run(
            &api,
            &cat,
            &RunOptions {
                job_id: None,
                ..opts
            },
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(e.contains("changed since the job was submitted"), "{e}");
        assert!(e.contains(&spec.jar_sha256), "{e}");
    }

    fn stop_opts(timeout_ms: u64) -> SavepointOptions {
        SavepointOptions {
            action: SavepointAction::Stop { drain: false },
            target_dir: Some("file:///sp".into()),
            format: SavepointFormat::Canonical,
            timeout: Duration::from_millis(timeout_ms),
            trigger_id: None,
        }
    }

    const RUNNING_JOB: &str = r#"{"jid":"aaaa","name":"n","state":"RUNNING","vertices":[]}"#;

    /// After a failover the new leader does not know the trigger (404): with the job running
    /// again, it is triggered again with the same trigger id, and completes.
    #[tokio::test]
    async fn a_trigger_the_leader_lost_is_triggered_again_with_the_same_id() {
        let a = jm("127.0.0.1", JOB).await;
        let b = jm("127.0.0.2", JOB).await;
        mock_job(&a).await;
        Mock::given(path_regex_savepoint())
            .respond_with(
                ResponseTemplate::new(404).set_body_string(r#"{"errors":["Operation not found"]}"#),
            )
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&a)
            .await;
        Mock::given(path_regex_savepoint())
            .respond_with(ResponseTemplate::new(200).set_body_string(
                r#"{"status":{"id":"COMPLETED"},"operation":{"location":"file:/sp/savepoint-aaaa-1"}}"#,
            ))
            .mount(&a)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let c = cluster(dir.path(), &a, &b);
        let api = LeaderRest::new(&c, &NullReporter);
        let cat = Catalogue::at(dir.path().join("cat.json"));
        let j = find(&api, JOB).await.unwrap();
        let mut o = opts(5000);
        o.action = SavepointAction::Savepoint;
        let done = savepoint(&api, &cat, &j, &o).await.unwrap();
        assert_eq!(done.location, "file:/sp/savepoint-aaaa-1");
        assert!(!done.recovered);
        let reqs = a.received_requests().await.unwrap();
        let triggers: Vec<String> = reqs
            .iter()
            .filter(|r| r.method.as_str() == "POST" && r.url.path() == "/jobs/aaaa/savepoints")
            .map(|r| {
                let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
                v["triggerId"].as_str().unwrap().to_string()
            })
            .collect();
        assert_eq!(triggers.len(), 2, "{triggers:?}");
        assert_eq!(triggers[0], triggers[1]);
        assert_eq!(triggers[0], done.trigger_id);
        let polled: Vec<String> = reqs
            .iter()
            .filter(|r| {
                r.method.as_str() == "GET" && r.url.path().starts_with("/jobs/aaaa/savepoints/")
            })
            .map(|r| r.url.path().rsplit('/').next().unwrap().to_string())
            .collect();
        assert!(
            polled.len() >= 2 && polled.iter().all(|t| *t == done.trigger_id),
            "{polled:?}"
        );
        let d = cat.load().unwrap();
        assert_eq!(d.savepoints.len(), 1);
        assert_eq!(d.savepoints[0].outcome, Outcome::Completed);
        assert_eq!(d.savepoints[0].trigger_id, done.trigger_id);
    }

    /// The status can't be read, but the job is FINISHED (the old leader completed the stop's
    /// savepoint and ended the job before it died): the path comes from latest.savepoint and
    /// is recorded completed.
    async fn stopped_meanwhile(
        status: ResponseTemplate,
        latest: &str,
    ) -> (Result<SavepointDone>, crate::core::catalogue::CatalogueData) {
        let a = jm("127.0.0.1", JOB).await;
        let b = jm("127.0.0.2", JOB).await;
        Mock::given(method("GET"))
            .and(path(format!("/jobs/{JOB}")))
            .respond_with(ResponseTemplate::new(200).set_body_string(RUNNING_JOB))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&a)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/jobs/{JOB}")))
            .respond_with(
                ResponseTemplate::new(200).set_body_string(
                    r#"{"jid":"aaaa","name":"n","state":"FINISHED","vertices":[]}"#,
                ),
            )
            .mount(&a)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("/jobs/{JOB}/stop")))
            .respond_with(ResponseTemplate::new(202).set_body_string(r#"{"request-id":"t"}"#))
            .expect(1)
            .mount(&a)
            .await;
        Mock::given(path_regex_savepoint())
            .respond_with(status)
            .mount(&a)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/jobs/{JOB}/checkpoints")))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_string(latest.replace("NOW", &now_ms().to_string())),
            )
            .mount(&a)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let c = cluster(dir.path(), &a, &b);
        let api = LeaderRest::new(&c, &NullReporter);
        let cat = Catalogue::at(dir.path().join("cat.json"));
        let j = find(&api, JOB).await.unwrap();
        let r = savepoint(&api, &cat, &j, &stop_opts(3000)).await;
        (r, cat.load().unwrap())
    }

    const LATEST_SP: &str = r#"{"counts":{},"latest":{"savepoint":{"className":"completed","id":7,"status":"COMPLETED","is_savepoint":true,"trigger_timestamp":NOW,"latest_ack_timestamp":NOW,"external_path":"file:/sp/savepoint-aaaa-7","discarded":false,"checkpoint_type":"SYNC_SAVEPOINT"}}}"#;

    #[tokio::test]
    async fn a_poll_error_with_the_job_finished_recovers_the_savepoint_from_latest() {
        for status in [
            ResponseTemplate::new(500).set_body_string(r#"{"errors":["Internal server error."]}"#),
            ResponseTemplate::new(404).set_body_string(r#"{"errors":["Operation not found"]}"#),
        ] {
            let (r, d) = stopped_meanwhile(status, LATEST_SP).await;
            let done = r.unwrap();
            assert_eq!(done.location, "file:/sp/savepoint-aaaa-7");
            assert_eq!(done.job_state, "FINISHED");
            assert!(done.recovered);
            assert_eq!(d.savepoints.len(), 1);
            let rec = &d.savepoints[0];
            assert_eq!(rec.outcome, Outcome::Completed);
            assert_eq!(rec.path.as_deref(), Some("file:/sp/savepoint-aaaa-7"));
            assert_eq!(rec.kind, SavepointKind::Stop);
            assert!(
                rec.detail.as_deref().unwrap().contains("latest.savepoint"),
                "{rec:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_lost_status_with_an_older_savepoint_is_recorded_unknown_not_nothing_done() {
        // latest.savepoint is from long before the operation: not this one's.
        let old = LATEST_SP.replace("NOW", "1000");
        let (r, d) = stopped_meanwhile(
            ResponseTemplate::new(500).set_body_string(r#"{"errors":["Internal server error."]}"#),
            &old,
        )
        .await;
        let e = r.unwrap_err().to_string();
        assert!(
            e.contains("outcome of stop with savepoint of job n (aaaa) is unknown"),
            "{e}"
        );
        assert!(e.contains("the job is FINISHED"), "{e}");
        assert!(
            !e.contains("nothing done") && !e.contains("still RUNNING"),
            "{e}"
        );
        assert_eq!(d.savepoints.len(), 1);
        assert_eq!(d.savepoints[0].outcome, Outcome::TimedOut);
        assert!(
            d.savepoints[0]
                .detail
                .as_deref()
                .unwrap()
                .contains("FINISHED")
        );
    }
}
