//! The write-ahead journal of a mutating operation, and the one runner that executes plans.
//!
//! Before every step's side effects the runner writes an `intent` entry (the step carries its
//! idempotency keys: savepoint trigger ids, pre-assigned job ids), and after it a `done` entry
//! with the step's outcome (or `failed` with the error's kind). The journal is a local state
//! file (`<inventory dir>/.flinkha/<cluster>.<operation>.journal.json`, written atomically)
//! mirrored in ZooKeeper beside the operator lock (`<path.root>/flinkha/<cluster-id>/journal/
//! <operation>`), so an operation interrupted by a crash, a Ctrl-C or a lost connection is
//! resumed, from this machine or another, at the first step not done. Ctrl-C is looked at
//! only between steps.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use super::catalogue::now_ms;
use super::error::{Error, ErrorKind, Result};
use super::lock::OperatorLock;
use super::model::Cluster;
use super::plan::{Plan, Step};
use super::reporter::Reporter;
use super::statefile;

/// Version of the journal file format.
pub const FORMAT_VERSION: u32 = 1;

/// Bound of one write of the ZooKeeper mirror (a healthy quorum answers in milliseconds).
const MIRROR_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// Where an operation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Steps are being executed (or flinkha died while they were: resume).
    Running,
    /// Stopped between two steps by Ctrl-C.
    Interrupted,
    /// A step failed; resume retries it, rollback goes back.
    Failed,
    /// Every step done.
    Completed,
    /// Superseded by a rollback (the rollback has its own journal).
    RolledBack,
}

impl State {
    /// Lower-case label.
    pub fn label(self) -> &'static str {
        match self {
            State::Running => "running",
            State::Interrupted => "interrupted",
            State::Failed => "failed",
            State::Completed => "completed",
            State::RolledBack => "rolled-back",
        }
    }
}

/// One journal entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "kebab-case")]
pub enum Entry {
    /// About to execute the step (written before any side effect).
    Intent {
        /// Step id.
        step: String,
        /// When, ms since the epoch.
        at_ms: u64,
    },
    /// The step is done.
    Done {
        /// Step id.
        step: String,
        /// When, ms since the epoch.
        at_ms: u64,
        /// Its outcome (step-specific JSON: savepoint path, new job id, ...).
        outcome: serde_json::Value,
    },
    /// The step will not be done: a decision recorded after a failure (a shadow upgrade's
    /// job that could not move goes back instead; what follows it is not done).
    Skipped {
        /// Step id.
        step: String,
        /// When, ms since the epoch.
        at_ms: u64,
        /// Why.
        reason: String,
    },
    /// The step failed.
    Failed {
        /// Step id.
        step: String,
        /// When, ms since the epoch.
        at_ms: u64,
        /// The error's kind.
        kind: ErrorKind,
        /// The error chain.
        error: String,
    },
}

impl Entry {
    /// When it was written, ms since the epoch.
    pub fn at_ms(&self) -> u64 {
        match self {
            Entry::Intent { at_ms, .. }
            | Entry::Done { at_ms, .. }
            | Entry::Skipped { at_ms, .. }
            | Entry::Failed { at_ms, .. } => *at_ms,
        }
    }

    /// The step it is about.
    pub fn step(&self) -> &str {
        match self {
            Entry::Intent { step, .. }
            | Entry::Done { step, .. }
            | Entry::Skipped { step, .. }
            | Entry::Failed { step, .. } => step,
        }
    }
}

/// The journal's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalData {
    /// [`FORMAT_VERSION`].
    pub format: u32,
    /// Operation id (unique).
    pub id: String,
    /// The operation's plan.
    pub plan: Plan,
    /// Where it stands.
    pub state: State,
    /// Entries, oldest first.
    pub entries: Vec<Entry>,
    /// Started, ms since the epoch.
    pub started_ms: u64,
    /// Last written, ms since the epoch.
    pub updated_ms: u64,
    /// Operation-specific data fixed when the plan was made (versions, ...).
    #[serde(default)]
    pub params: serde_json::Value,
}

impl JournalData {
    /// A new journal for `plan`.
    pub fn new(plan: Plan, params: serde_json::Value) -> JournalData {
        let now = now_ms();
        JournalData {
            format: FORMAT_VERSION,
            id: crate::rest::jobs::new_trigger_id(),
            plan,
            state: State::Running,
            entries: Vec::new(),
            started_ms: now,
            updated_ms: now,
            params,
        }
    }

    /// The outcome of `step` when it is done.
    pub fn outcome(&self, step: &str) -> Option<&serde_json::Value> {
        self.entries.iter().rev().find_map(|e| match e {
            Entry::Done {
                step: s, outcome, ..
            } if s == step => Some(outcome),
            _ => None,
        })
    }

    /// When `step`'s first intent was written (its first attempt: where a job's downtime
    /// starts even if a crash made the step run again).
    pub fn first_intent_ms(&self, step: &str) -> Option<u64> {
        self.entries.iter().find_map(|e| match e {
            Entry::Intent { step: s, at_ms } if s == step => Some(*at_ms),
            _ => None,
        })
    }

    /// When `step`'s latest intent was written.
    pub fn intent_ms(&self, step: &str) -> Option<u64> {
        self.entries.iter().rev().find_map(|e| match e {
            Entry::Intent { step: s, at_ms } if s == step => Some(*at_ms),
            _ => None,
        })
    }

    /// Whether `step` was skipped (see [`Entry::Skipped`]).
    pub fn skipped(&self, step: &str) -> bool {
        self.entries
            .iter()
            .any(|e| matches!(e, Entry::Skipped { step: s, .. } if s == step))
    }

    /// Index of the first step neither done nor skipped (`None`: all settled).
    pub fn next_step(&self) -> Option<usize> {
        self.plan
            .steps
            .iter()
            .position(|s| self.outcome(&s.id).is_none() && !self.skipped(&s.id))
    }

    /// Steps done.
    pub fn done_count(&self) -> usize {
        self.plan
            .steps
            .iter()
            .filter(|s| self.outcome(&s.id).is_some())
            .count()
    }

    /// The last failure, if the operation failed.
    pub fn last_failure(&self) -> Option<(&str, ErrorKind, &str)> {
        match self.entries.last() {
            Some(Entry::Failed {
                step, kind, error, ..
            }) => Some((step, *kind, error)),
            _ => None,
        }
    }
}

/// A journal file (and its ZooKeeper mirror, while the operator lock is held).
pub struct Journal<'l> {
    path: PathBuf,
    operation: String,
    /// The content.
    pub data: JournalData,
    lock: Option<&'l OperatorLock>,
    /// Cleared by the first failed or slow mirror write (e.g. after a step stopped the
    /// quorum): later writes go to the local file only, without waiting on ZooKeeper.
    mirror: bool,
}

/// The journal file of `operation` for `cluster`.
pub fn path_for(cluster: &Cluster, operation: &str) -> PathBuf {
    statefile::state_dir(cluster).join(format!("{}.{operation}.journal.json", cluster.name))
}

/// Load the journal of `operation`: the local file, or the ZooKeeper mirror when it is newer
/// (another operator machine went on with it) or the file is missing.
///
/// # Errors
/// [`Error::Journal`] for a damaged file; I/O.
pub async fn load(cluster: &Cluster, operation: &str) -> Result<Option<JournalData>> {
    let path = path_for(cluster, operation);
    let local = match statefile::read(&path)? {
        Some(text) => Some(
            serde_json::from_str::<JournalData>(&text).map_err(|e| Error::Journal {
                message: format!(
                    "{}: not a flinkha journal ({e}); nothing was changed. Move it aside to start over",
                    path.display()
                ),
            })?,
        ),
        None => None,
    };
    let mirror = if cluster.ha.enabled {
        super::lock::read_mirror(cluster, operation)
            .await
            .ok()
            .flatten()
            .and_then(|b| serde_json::from_slice::<JournalData>(&b).ok())
    } else {
        None
    };
    Ok(match (local, mirror) {
        (Some(l), Some(m)) if m.id == l.id && m.updated_ms > l.updated_ms => Some(m),
        (Some(l), Some(m)) if m.id != l.id && m.started_ms > l.started_ms => Some(m),
        (Some(l), _) => Some(l),
        (None, m) => m,
    })
}

impl<'l> Journal<'l> {
    /// A journal for `data`, written to `cluster`'s state dir (and mirrored through `lock`).
    pub fn new(
        cluster: &Cluster,
        data: JournalData,
        lock: Option<&'l OperatorLock>,
    ) -> Journal<'l> {
        let operation = data.plan.operation.clone();
        Journal {
            path: path_for(cluster, &operation),
            operation,
            data,
            lock,
            mirror: true,
        }
    }

    /// The file.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Write the journal (atomically) and its mirror.
    ///
    /// # Errors
    /// I/O on the local file. A failed mirror write is not an error (the local file is the
    /// record); it makes a resume from another machine see an older state, which its
    /// reconciliation handles.
    pub async fn save(&mut self) -> Result<()> {
        self.data.updated_ms = now_ms();
        let bytes = serde_json::to_vec_pretty(&self.data).unwrap_or_default();
        {
            let _l = statefile::lock(&self.path)?;
            statefile::write_atomic(&self.path, &bytes)?;
        }
        // A disconnected session (the quorum restarting or stopped) is not waited on; the
        // next save after it reconnects mirrors the whole journal again.
        if let Some(lock) = self.lock
            && self.mirror
            && lock.connected()
        {
            let write = lock.mirror(&self.operation, &bytes);
            self.mirror = matches!(
                tokio::time::timeout(MIRROR_TIMEOUT, write).await,
                Ok(Ok(()))
            );
        }
        Ok(())
    }

    async fn push(&mut self, e: Entry) -> Result<()> {
        self.data.entries.push(e);
        self.save().await
    }
}

/// Executes the steps of plans.
#[allow(async_fn_in_trait)]
pub trait Executor {
    /// Execute `step` (reconciling with what is there first: it may have run before a
    /// crash), returning its outcome. `journal` holds the outcomes of earlier steps.
    async fn execute(&self, step: &Step, journal: &JournalData) -> Result<serde_json::Value>;
}

/// Set by the CLI's Ctrl-C handler while a plan runs: the runner stops before the next step.
pub static INTERRUPT: AtomicBool = AtomicBool::new(false);

/// True while [`run_plan`] executes steps (so the first Ctrl-C waits for the step to end).
pub static PLAN_RUNNING: AtomicBool = AtomicBool::new(false);

struct Running;

impl Running {
    fn start() -> Running {
        PLAN_RUNNING.store(true, Ordering::SeqCst);
        Running
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        PLAN_RUNNING.store(false, Ordering::SeqCst);
    }
}

/// Execute the steps of `journal`'s plan that are not done yet, in order, journaling each
/// (intent before, outcome after). Stops at the first failure (state `failed`) or between
/// steps when [`INTERRUPT`] is set (state `interrupted`).
///
/// # Errors
/// The failing step's error; [`Error::Interrupted`]; journal I/O.
pub async fn run_plan<E: Executor>(
    journal: &mut Journal<'_>,
    exec: &E,
    reporter: &dyn Reporter,
    resume_command: &str,
) -> Result<()> {
    let _running = Running::start();
    journal.data.state = State::Running;
    journal.save().await?;
    let total = journal.data.plan.steps.len();
    while let Some(i) = journal.data.next_step() {
        if INTERRUPT.load(Ordering::SeqCst) {
            journal.data.state = State::Interrupted;
            journal.save().await?;
            return Err(Error::Interrupted {
                done: journal.data.done_count(),
                total,
                resume: resume_command.to_string(),
            });
        }
        let step = journal.data.plan.steps[i].clone();
        reporter.phase(&format!("[{}/{total}] {}", i + 1, step.title));
        journal
            .push(Entry::Intent {
                step: step.id.clone(),
                at_ms: now_ms(),
            })
            .await?;
        match exec.execute(&step, &journal.data).await {
            Ok(outcome) => {
                journal
                    .push(Entry::Done {
                        step: step.id.clone(),
                        at_ms: now_ms(),
                        outcome,
                    })
                    .await?;
            }
            Err(e) => {
                journal.data.state = State::Failed;
                journal
                    .push(Entry::Failed {
                        step: step.id.clone(),
                        at_ms: now_ms(),
                        kind: e.kind(),
                        error: super::error_chain(&e),
                    })
                    .await?;
                return Err(e);
            }
        }
    }
    journal.data.state = State::Completed;
    journal.save().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::core::plan::{Action, Plan, Step};
    use crate::core::reporter::NullReporter;
    use crate::flinkconf::Version;

    fn plan(n: usize) -> Plan {
        Plan {
            operation: "test".into(),
            summary: vec![],
            steps: (0..n)
                .map(|i| Step {
                    id: format!("s{i}"),
                    title: format!("step {i}"),
                    downtime: false,
                    action: Action::install(Version::new(2, 1, i as u32)),
                })
                .collect(),
        }
    }

    struct Exec {
        fail_at: Option<&'static str>,
        ran: Mutex<Vec<String>>,
        interrupt_after: Option<&'static str>,
    }

    impl Executor for Exec {
        async fn execute(&self, step: &Step, j: &JournalData) -> Result<serde_json::Value> {
            // The intent is journaled before the side effect.
            assert!(j.intent_ms(&step.id).is_some());
            self.ran.lock().unwrap().push(step.id.clone());
            if self.interrupt_after == Some(step.id.as_str()) {
                INTERRUPT.store(true, Ordering::SeqCst);
            }
            if self.fail_at == Some(step.id.as_str()) {
                return Err(Error::Timeout {
                    what: "x".into(),
                    secs: 1,
                    detail: String::new(),
                });
            }
            Ok(serde_json::json!({ "did": step.id }))
        }
    }

    fn cluster(dir: &std::path::Path) -> Cluster {
        let conf = dir.join("conf");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::write(conf.join("config.yaml"), "parallelism:\n  default: 1\n").unwrap();
        let inv = dir.join("flinkha.yaml");
        std::fs::write(
            &inv,
            "conf_dir: conf\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: 127.0.0.1\n",
        )
        .unwrap();
        Cluster::load(&inv).unwrap()
    }

    /// One test for the whole runner (INTERRUPT is process-global): failure, resume from the
    /// failed step, interrupt between steps, resume to completion; the file always holds what
    /// was done.
    #[tokio::test]
    async fn runs_fails_resumes_and_stops_between_steps() {
        let d = tempfile::tempdir().unwrap();
        let c = cluster(d.path());
        let mut j = Journal::new(&c, JournalData::new(plan(4), serde_json::Value::Null), None);
        let e = Exec {
            fail_at: Some("s1"),
            ran: Mutex::new(vec![]),
            interrupt_after: None,
        };
        let err = run_plan(&mut j, &e, &NullReporter, "resume")
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Timeout);
        assert_eq!(j.data.state, State::Failed);
        assert_eq!(j.data.last_failure().unwrap().0, "s1");
        assert_eq!(*e.ran.lock().unwrap(), ["s0", "s1"]);

        // From the file, as a new process would see it.
        let back = load(&c, "test").await.unwrap().unwrap();
        assert_eq!(back, j.data);
        assert_eq!(back.next_step(), Some(1));
        let mut j = Journal::new(&c, back, None);
        let e = Exec {
            fail_at: None,
            ran: Mutex::new(vec![]),
            interrupt_after: Some("s1"),
        };
        let err = run_plan(&mut j, &e, &NullReporter, "flinkha x --resume")
            .await
            .unwrap_err();
        INTERRUPT.store(false, Ordering::SeqCst);
        assert!(
            matches!(
                err,
                Error::Interrupted {
                    done: 2,
                    total: 4,
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(j.data.state, State::Interrupted);
        assert_eq!(*e.ran.lock().unwrap(), ["s1"]);

        let mut j = Journal::new(&c, load(&c, "test").await.unwrap().unwrap(), None);
        let e = Exec {
            fail_at: None,
            ran: Mutex::new(vec![]),
            interrupt_after: None,
        };
        run_plan(&mut j, &e, &NullReporter, "resume").await.unwrap();
        assert_eq!(*e.ran.lock().unwrap(), ["s2", "s3"]);
        assert_eq!(j.data.state, State::Completed);
        assert_eq!(j.data.done_count(), 4);
        assert_eq!(j.data.outcome("s3").unwrap()["did"], "s3");
        assert_eq!(
            load(&c, "test").await.unwrap().unwrap().state,
            State::Completed
        );
    }
}
