//! Plans: every mutating operation is first a typed list of steps, rendered for `--dry-run` /
//! `--plan` and for the confirmation prompt, then executed by one runner
//! ([`crate::core::journal::run_plan`]) that journals each step before and after its side
//! effects. Pure: building and rendering a plan touches nothing.

use serde::{Deserialize, Serialize};

use super::catalogue::SavepointKind;
use super::jobspec::JobSpec;
use super::model::Role;
use crate::flinkconf::Version;
use crate::rest::jobs::SavepointFormat;

/// A job a plan moves: who it was and how to submit it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRef {
    /// Flink job name.
    pub name: String,
    /// Job id before the operation.
    pub job_id: String,
    /// The whole submission spec (jar, digest, entry class, args, parallelism, ...).
    pub spec: JobSpec,
}

/// What one step does. Every action is safe to execute again after a crash: it first looks
/// at what is really there (a job already stopped, a daemon already running, a job with the
/// pre-assigned id already submitted) and only does what is missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Action {
    /// Verify and unpack `version` beside the installed ones on every host; `current` is not
    /// moved (not downtime).
    Install {
        /// Version to install.
        version: Version,
        /// Host names; empty: every host (`flinkha install -H`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        hosts: Vec<String>,
        /// Point `current` at it where `current` does not exist yet (a first install:
        /// `flinkha install`); a plan that activates in a step of its own leaves it alone.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        link_if_unset: bool,
        /// Carry on past hosts that fail, their errors in the outcome (`flinkha install`); an
        /// upgrade stops at the first.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        best_effort: bool,
    },
    /// Flink's stop-with-savepoint of one job (canonical format), with a client-chosen
    /// trigger id: Flink ends the job only once the savepoint completed.
    StopJob {
        /// The job.
        job: JobRef,
        /// Trigger id (idempotency key of the savepoint).
        trigger_id: String,
        /// Savepoint target dir (`None`: the cluster's default).
        target_dir: Option<String>,
        /// The version the job runs on.
        version: Version,
    },
    /// Stop these roles' daemons on every host (TaskManagers → JobManagers → quorum order),
    /// waiting until each process is gone.
    StopDaemons {
        /// Version the daemons run (for the conf the scripts read).
        version: Version,
        /// Roles.
        roles: Vec<Role>,
        /// Host names; empty: every host of the roles.
        hosts: Vec<String>,
        /// Carry on past hosts that fail (`flinkha stop`); an upgrade stops at the first.
        #[serde(default)]
        best_effort: bool,
    },
    /// The HA store must hold no job that the next start would recover: jobs stopped by
    /// this plan (finished, with a savepoint) whose execution plan is still there are
    /// removed; any other is a refusal.
    ClearHaJobs {
        /// Job ids this plan stopped with a savepoint.
        stopped: Vec<String>,
        /// The deployment's version whose HA store it is (default: the one the operation
        /// started from).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<Version>,
    },
    /// Point `current` at `flink-<version>` on every host, record the active deployment on
    /// the hosts and locally, and sync the conf dir rendered for that version.
    Activate {
        /// Version to make active.
        version: Version,
    },
    /// Lay out the deployment `version` runs on beside the active one (a shadow copy):
    /// its `current` link at `flink-<version>` and its own conf dir, rendered with its keys
    /// (cluster-id, HA storage, ports). Records nothing as active.
    Prepare {
        /// Version of the new deployment.
        version: Version,
    },
    /// Upload each job's jar to `version`'s leading JobManager before any job stops, so the
    /// runs there do not upload inside their downtime.
    UploadJars {
        /// Version (deployment) the jobs will run on.
        version: Version,
        /// The jobs whose jars to upload.
        jobs: Vec<JobRef>,
    },
    /// Cancel a job that must not keep running (a failed move's run on the new deployment);
    /// a job that is gone or already ended is left as it is.
    CancelJob {
        /// The job (with the id it runs under there).
        job: JobRef,
        /// Version (deployment) it runs on.
        version: Version,
    },
    /// Record that the previous deployment (`version`) is stopped (`--finalize`): it stays
    /// installed, with its conf, for a rollback.
    Retire {
        /// Its version.
        version: Version,
    },
    /// Restart the quorum's servers on `version` one at a time, each waited on until the
    /// quorum serves again (a majority serves throughout).
    MoveQuorum {
        /// Version to run the servers from.
        version: Version,
    },
    /// Start these roles (health-gated, as `flinkha start`): the roles of one step are
    /// launched together, then each waited on until healthy.
    StartDaemons {
        /// Version.
        version: Version,
        /// Roles.
        roles: Vec<Role>,
        /// Host names; empty: every host of the roles.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        hosts: Vec<String>,
        /// The outcome is the report even when an instance failed (`flinkha start`), and a
        /// later start step after a failed one reports its instances skipped; an upgrade fails
        /// the step instead.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        best_effort: bool,
    },
    /// A savepoint of a running job (`flinkha savepoint`), or Flink's cancel-with-savepoint
    /// (`cancel -s`) or stop-with-savepoint (`stop JOB`) of it, with a client-chosen trigger
    /// id: Flink ends the job only once the savepoint completed.
    SavepointJob {
        /// Job id.
        job_id: String,
        /// Job name.
        job_name: String,
        /// What happens to the job: `savepoint` (keeps running), `cancel`, `stop`.
        kind: SavepointKind,
        /// Stop only: emit MAX_WATERMARK first.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        drain: bool,
        /// Savepoint format.
        format: SavepointFormat,
        /// Target dir (`None`: the cluster's default savepoint dir).
        target_dir: Option<String>,
        /// Trigger id (idempotency key of the savepoint).
        trigger_id: String,
        /// Version (deployment) it runs on.
        version: Version,
    },
    /// Submit a job (`flinkha run`) under a pre-assigned job id (a job with this id already
    /// there is adopted), wait until every vertex is RUNNING and, with a savepoint, verify
    /// `latest.restored.external_path` is that savepoint.
    SubmitJob {
        /// The whole submission spec.
        spec: JobSpec,
        /// Savepoint to restore from.
        savepoint: Option<String>,
        /// Pre-assigned job id (32 hex digits).
        job_id: String,
        /// Version (deployment) it runs on.
        version: Version,
    },
    /// Name a savepoint taken earlier (by another operation) so later steps read it like one
    /// this plan took: a rollback's pre-upgrade savepoints.
    UseSavepoint {
        /// Savepoint path.
        path: String,
    },
    /// Submit the job from the savepoint taken by step `savepoint_of` (claim mode NO_CLAIM,
    /// so that savepoint stays usable for a rollback), with a pre-assigned job id.
    RunJob {
        /// The job.
        job: JobRef,
        /// Pre-assigned new job id (idempotency key: a job with this id is adopted).
        new_job_id: String,
        /// Step id whose outcome holds the savepoint path.
        savepoint_of: String,
        /// Version it runs on.
        version: Version,
    },
    /// Prove the restore: restored path is the savepoint and `is_savepoint`, then
    /// `checkpoints` completed checkpoints after it with no restart and no new exception.
    VerifyJob {
        /// The job.
        job: JobRef,
        /// Its new job id.
        new_job_id: String,
        /// Step id whose outcome holds the savepoint path.
        savepoint_of: String,
        /// Completed checkpoints required after the restore.
        checkpoints: u32,
        /// Version it runs on.
        version: Version,
    },
}

impl Action {
    /// An upgrade's install of `version` on every host, `current` not moved, stopping at the
    /// first host that fails.
    pub fn install(version: Version) -> Action {
        Action::Install {
            version,
            hosts: Vec::new(),
            link_if_unset: false,
            best_effort: false,
        }
    }

    /// An upgrade's health-gated start of `roles` on every host of theirs, failing the step
    /// when one does not come up.
    pub fn start_daemons(version: Version, roles: Vec<Role>) -> Action {
        Action::StartDaemons {
            version,
            roles,
            hosts: Vec::new(),
            best_effort: false,
        }
    }
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Stable id, unique in the plan (`stop-job/<name>`, `activate/2.2.0`, ...).
    pub id: String,
    /// One line for people.
    pub title: String,
    /// Jobs are down during this step.
    #[serde(default)]
    pub downtime: bool,
    /// What it does.
    #[serde(flatten)]
    pub action: Action,
}

/// A plan: what an operation will do, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The operation (`upgrade`, `rollback`, `stop`).
    pub operation: String,
    /// Lines shown above the steps (versions, jobs, warnings).
    pub summary: Vec<String>,
    /// Steps in order.
    pub steps: Vec<Step>,
}

impl Plan {
    /// The plan as numbered lines, for `--plan`, `--dry-run` and the confirmation prompt.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for s in &self.summary {
            out.push_str(s);
            out.push('\n');
        }
        for (i, s) in self.steps.iter().enumerate() {
            out.push_str(&format!(
                "{:>3}. {}{}\n",
                i + 1,
                s.title,
                if s.downtime { "   [jobs down]" } else { "" }
            ));
        }
        out
    }

    /// The `kind` of its `--output json` document in a dry run (`<operation>-plan`; the
    /// document is the plan itself: `operation`, `summary`, `steps`).
    pub fn json_kind(&self) -> String {
        format!("{}-plan", self.operation)
    }

    /// The step with id `id`.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_numbered_steps_and_round_trips() {
        let p = Plan {
            operation: "upgrade".into(),
            summary: vec!["Flink 2.1.0 → 2.2.0".into()],
            steps: vec![
                Step {
                    id: "install/2.2.0".into(),
                    title: "install flink-2.2.0 beside flink-2.1.0".into(),
                    downtime: false,
                    action: Action::Install {
                        version: Version::new(2, 2, 0),
                        hosts: vec![],
                        link_if_unset: false,
                        best_effort: false,
                    },
                },
                Step {
                    id: "activate/2.2.0".into(),
                    title: "point current at flink-2.2.0".into(),
                    downtime: true,
                    action: Action::Activate {
                        version: Version::new(2, 2, 0),
                    },
                },
            ],
        };
        assert_eq!(
            p.render(),
            "Flink 2.1.0 → 2.2.0\n  1. install flink-2.2.0 beside flink-2.1.0\n  2. point current at flink-2.2.0   [jobs down]\n"
        );
        let json = serde_json::to_string(&p).unwrap();
        assert!(json.contains(r#""action":"activate""#), "{json}");
        let back: Plan = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
        assert!(p.step("activate/2.2.0").is_some());
    }
}
