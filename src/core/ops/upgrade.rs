//! Version upgrades in place, and their rollback, as plans run by the journaled runner.
//!
//! The procedure is Flink's own (docs/ops/upgrading.md, "Upgrading the Flink Framework
//! Version"): take a savepoint of every job and stop it, stop the cluster, switch the
//! installation, start the cluster on the new version, resume every job from its savepoint —
//! which the new version must read at the same absolute path. flinkha adds what the manual
//! procedure lacks: a preflight that refuses before any downtime, stop-with-savepoint (Flink
//! ends a job only once its savepoint completed), canonical savepoints (the format every
//! minor upgrade supports, docs/ops/state/checkpoints_vs_savepoints.md), claim mode NO_CLAIM
//! on restore (the pre-upgrade savepoint stays usable for a rollback), a restore that is
//! proved (restored path, `is_savepoint`, N new checkpoints, no restart, no new exception),
//! the quorum kept serving throughout (its servers move one at a time), and a journal from
//! which a crash resumes and a rollback goes back.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::deployment;
use super::jobs;
use super::leader_rest::LeaderRest;
use crate::core::catalogue::Catalogue;
use crate::core::error::{Error, Result};
use crate::core::hosts::Sessions;
use crate::core::jobspec::JobSpec;
use crate::core::journal::{JournalData, State};
use crate::core::model::{Cluster, Deployment, Host, Role};
use crate::core::plan::{Action, JobRef, Plan, Step};
use crate::core::reporter::Reporter;
use crate::flinkconf::upgrade::{Compatibility, compatibility, target_findings};
use crate::flinkconf::{Finding, Severity, Version};

/// Journal operation names.
pub const UPGRADE: &str = "upgrade";
/// See [`UPGRADE`].
pub const ROLLBACK: &str = "rollback";

/// Options of an upgrade (and its rollback).
#[derive(Debug, Clone)]
pub struct UpgradeOptions {
    /// Completed checkpoints required after each restore (default 2).
    pub checkpoints: u32,
    /// Bound of one stop-with-savepoint.
    pub savepoint_timeout: Duration,
    /// Bound of one job's run until every vertex is RUNNING.
    pub run_timeout: Duration,
    /// Bound of one job's verification (checkpoints after the restore).
    pub verify_timeout: Duration,
    /// Allow a 1.x → 2.x upgrade (Flink 2.0 does not guarantee state compatibility).
    pub allow_major: bool,
}

impl Default for UpgradeOptions {
    fn default() -> Self {
        UpgradeOptions {
            checkpoints: 2,
            savepoint_timeout: Duration::from_secs(300),
            run_timeout: Duration::from_secs(180),
            verify_timeout: Duration::from_secs(300),
            allow_major: false,
        }
    }
}

/// Parameters fixed when the upgrade plan is made (kept in the journal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpgradeParams {
    /// Version the cluster ran.
    pub from: Version,
    /// Version it is upgraded to.
    pub to: Version,
    /// The deployment that was active when the plan was made (the one `from` runs on; an
    /// in-place upgrade keeps it for `to`).
    #[serde(default = "Deployment::primary")]
    pub from_layout: Deployment,
    /// A shadow upgrade: the new deployment `to` runs on beside the old one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shadow: Option<Deployment>,
    /// A shadow upgrade: the old and the new deployment's cluster-ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_ids: Option<(String, String)>,
}

impl UpgradeParams {
    /// The deployment `version` runs on in this operation.
    pub fn layout_for(&self, version: &Version) -> &Deployment {
        match &self.shadow {
            Some(d) if *version == self.to => d,
            _ => &self.from_layout,
        }
    }
}

/// One job found running, with how it will be resubmitted.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedJob {
    /// The job.
    pub job: JobRef,
    /// Where its savepoint goes.
    pub target_dir: String,
    /// Where the spec came from (`recorded at submission`, `declared as jobs.X`).
    pub spec_source: String,
}

/// What the preflight found.
#[derive(Debug, Clone, Serialize)]
pub struct Preflight {
    /// Version the hosts run.
    pub from: Version,
    /// Version the inventory asks for.
    pub to: Version,
    /// How they relate.
    pub compatibility: Compatibility,
    /// Running jobs.
    pub jobs: Vec<PlannedJob>,
    /// Findings; any error blocks the upgrade.
    pub findings: Vec<Finding>,
    /// Per-file diffs of the conf the hosts get for the target version (from a dry-run
    /// sync), by host.
    pub conf_diffs: Vec<(String, String)>,
}

impl Preflight {
    /// The blocking findings.
    pub fn errors(&self) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.is_error()).collect()
    }
}

/// A finding about the cluster as a whole, located at its inventory file (no hint when
/// `hint` is empty).
pub(crate) fn finding(
    cluster: &Cluster,
    severity: Severity,
    message: String,
    hint: &str,
) -> Finding {
    Finding {
        severity,
        file: cluster.inventory_path.clone(),
        line: None,
        message,
        hint: (!hint.is_empty()).then(|| hint.to_string()),
        id: None,
        host: None,
    }
}

/// The cluster resolved for `version` on deployment `layout` (same inventory and conf dir;
/// the inventory's distribution only when it is the inventory's version).
///
/// # Errors
/// As [`Cluster::load`].
pub fn cluster_for(inventory: &Path, version: &Version, layout: &Deployment) -> Result<Cluster> {
    Ok(Cluster::load_for_version(inventory, version)?.with_deployment(layout.clone()))
}

/// The version the hosts run now: the active deployment recorded on the hosts (or their
/// `current` link), which must agree on every host.
///
/// # Errors
/// [`Error::Refused`] when hosts disagree, none has Flink, or a host can't be read.
pub fn running_version(cluster: &Cluster, sessions: &Sessions) -> Result<Version> {
    let states = tokio::task::block_in_place(|| deployment::read_states(cluster, sessions));
    let mut seen: BTreeMap<Version, Vec<String>> = BTreeMap::new();
    for o in states {
        let st = o.result?;
        let v = st
            .active
            .as_ref()
            .map(|a| a.version)
            .or_else(|| st.current_version())
            .ok_or_else(|| Error::Refused {
                message: format!(
                    "{}: no Flink is active there (no `current` link): run `flinkha install` first",
                    o.host
                ),
            })?;
        seen.entry(v).or_default().push(o.host);
    }
    match seen.len() {
        1 => Ok(*seen.keys().next().expect("one")),
        0 => Err(Error::Refused {
            message: "the inventory has no hosts".into(),
        }),
        _ => Err(Error::Refused {
            message: format!(
                "the hosts do not run one version: {}; make them agree (`flinkha install --activate` on the odd ones, then restart them) before upgrading",
                seen.iter()
                    .map(|(v, h)| format!("{v} on {}", h.join(", ")))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }),
    }
}

/// Check everything the upgrade needs before any downtime, and what the hosts' conf
/// becomes for the target version in place (a dry-run sync: [`Preflight::conf_diffs`]).
///
/// # Errors
/// Only when the checks themselves can't run (hosts unreachable, no leader); what blocks the
/// upgrade is in [`Preflight::findings`].
pub async fn preflight(
    target: &Cluster,
    sessions: &Sessions,
    reporter: &dyn Reporter,
    catalogue: &Catalogue,
    opts: &UpgradeOptions,
) -> Result<Preflight> {
    let mut pre = checks(target, sessions, reporter, catalogue, opts).await?;
    // What the hosts' conf becomes: a dry-run sync rendered for the target version.
    let hosts: Vec<&Host> = target.hosts.iter().collect();
    let diffs = tokio::task::block_in_place(|| {
        super::sync::sync_hosts(target, sessions, reporter, &hosts, true)
    });
    for o in diffs {
        if let Ok(s) = o.result {
            let text: String = s
                .changes
                .iter()
                .filter_map(|c| c.diff.clone())
                .collect::<Vec<_>>()
                .join("");
            if !text.is_empty() {
                pre.conf_diffs.push((o.host, text));
            }
        }
    }
    Ok(pre)
}

/// The checks of [`preflight`] without the conf diffs (a shadow upgrade renders a new conf
/// dir of its own instead): version step, target conf and distribution, quorum, leader,
/// every job resubmittable and running, the HA store.
///
/// # Errors
/// As [`preflight`].
pub async fn checks(
    target: &Cluster,
    sessions: &Sessions,
    reporter: &dyn Reporter,
    catalogue: &Catalogue,
    opts: &UpgradeOptions,
) -> Result<Preflight> {
    let to = target.version;
    let from = running_version(target, sessions)?;
    let old = cluster_for(&target.inventory_path, &from, &target.deployment)?;
    let mut findings = Vec::new();
    let compat = compatibility(&from, &to);
    match compat {
        Compatibility::Same => findings.push(finding(
            target,
            Severity::Error,
            format!("the hosts already run Flink {to}, the inventory's flink.version: nothing to upgrade"),
            "set flink.version (and flink.distribution) to the version you want",
        )),
        Compatibility::Downgrade => findings.push(finding(
            target,
            Severity::Error,
            format!("Flink {from} → {to} is a downgrade: savepoints of a newer Flink are not guaranteed to restore on an older one"),
            "go back to the version before an upgrade with `flinkha upgrade --rollback`, which restores each job from its pre-upgrade savepoint",
        )),
        Compatibility::Major if !opts.allow_major => findings.push(finding(
            target,
            Severity::Error,
            format!("Flink {from} → {to} crosses a major version: the Flink 2.0 release notes do not guarantee state compatibility between 1.x and 2.x, and job jars must be rebuilt against 2.x"),
            "upgrade to 1.20 first and take canonical savepoints; pass --allow-major-upgrade only with jobs rebuilt for the target",
        )),
        _ => {}
    }
    // The conf dir as the target version reads it.
    for mut f in target_findings(&old.conf, &from, &to) {
        f.message = format!("for Flink {to}: {}", f.message);
        findings.push(f);
    }
    // The target distribution.
    match &target.distribution {
        None => findings.push(finding(
            target,
            Severity::Error,
            format!("flink.distribution is not set: flinkha can't install Flink {to}"),
            "set flink.distribution.path (or url) to the flink-<version>-bin-scala_2.12.tgz of the target version",
        )),
        Some((crate::core::model::DistSource::Path(p), _)) if !p.is_file() => {
            findings.push(finding(
                target,
                Severity::Error,
                format!("the target distribution {} does not exist", p.display()),
                "download flink-<version>-bin-scala_2.12.tgz and its .sha512, or fix flink.distribution.path",
            ))
        }
        _ => {}
    }
    // The quorum and the leader.
    if old.ha.enabled {
        let peers = super::health::quorum_status(&old).await;
        if !super::health::quorum_serving(&peers) {
            findings.push(finding(
                target,
                Severity::Error,
                format!(
                    "the ZooKeeper quorum is not serving ({})",
                    super::health::describe_quorum(&peers)
                ),
                "`flinkha zk status`; start the missing servers first",
            ));
        }
    }
    let api = LeaderRest::new(&old, reporter);
    let all = match api.call(|c| async move { c.jobs().await }).await {
        Ok(j) => j,
        Err(e) => {
            findings.push(finding(
                target,
                Severity::Error,
                format!(
                    "no JobManager leader answers: {}",
                    crate::core::error_chain(&e)
                ),
                "`flinkha status`; start the cluster (`flinkha start`) before upgrading it",
            ));
            Vec::new()
        }
    };
    let data = catalogue.load()?;
    let mut planned = Vec::new();
    for j in &all {
        if crate::rest::jobs::JobDetails::is_terminal(&j.state) {
            continue;
        }
        let who = format!("{} ({})", j.name, j.jid);
        let details = api
            .call(|c| {
                let id = j.jid.clone();
                async move { c.job(&id).await }
            })
            .await?;
        if !details.fully_running() {
            findings.push(finding(
                target,
                Severity::Error,
                format!(
                    "job {who} is {} with {}/{} vertices RUNNING: only running jobs can be stopped with a savepoint",
                    details.state,
                    details.vertices.iter().filter(|v| v.status == "RUNNING").count(),
                    details.vertices.len()
                ),
                "wait until it runs (`flinkha jobs show`), or stop it yourself (`flinkha stop JOB`) if it should not move",
            ));
            continue;
        }
        let in_progress = api
            .call(|c| {
                let id = j.jid.clone();
                async move { c.savepoints_in_progress(&id).await }
            })
            .await
            .unwrap_or(0);
        if in_progress > 0 {
            findings.push(finding(
                target,
                Severity::Error,
                format!("job {who} has a savepoint in progress"),
                "wait for it to complete, then run the upgrade again",
            ));
        }
        let (spec, source) = match data.spec_of(&j.jid) {
            Some(s) => (
                Some(s.clone()),
                "its spec as flinkha recorded it at submission".to_string(),
            ),
            None => match old.declared_job(&j.name) {
                Some(d) => match JobSpec::resolve(
                    &jobs::RunTarget::Declared(d),
                    &crate::core::jobspec::SpecOverrides::default(),
                ) {
                    Ok(s) => (Some(s), format!("its declaration jobs.{}", d.name)),
                    Err(e) => {
                        findings.push(finding(
                            target,
                            Severity::Error,
                            format!("job {who}: {}", crate::core::error_chain(&e)),
                            "",
                        ));
                        (None, String::new())
                    }
                },
                None => (None, String::new()),
            },
        };
        let Some(spec) = spec else {
            if !findings
                .iter()
                .any(|f| f.message.starts_with(&format!("job {who}:")))
            {
                findings.push(finding(
                    target,
                    Severity::Error,
                    format!("job {who} was not submitted by flinkha and no job named `{}` is declared under jobs:, so it can't be resubmitted after the upgrade", j.name),
                    &format!("declare it in {} (jobs.<name>: jar, entry_class, args, parallelism), or stop it first (`flinkha stop {}`)", target.inventory_path.display(), j.jid),
                ));
            }
            continue;
        };
        if let Err(e) = spec.check_jar() {
            findings.push(finding(
                target,
                Severity::Error,
                format!("job {who}: {}", crate::core::error_chain(&e)),
                "put the jar the job runs from back at that path, or declare the job with its jar",
            ));
        }
        let target_dir = spec
            .savepoint_dir
            .clone()
            .or_else(|| jobs::default_savepoint_dir(&old));
        let Some(target_dir) = target_dir else {
            findings.push(finding(
                target,
                Severity::Error,
                format!("job {who}: no savepoint directory"),
                "set execution.checkpointing.savepoint-dir in the Flink config, or savepoint_dir of the declared job",
            ));
            continue;
        };
        if !target_dir.contains(":/") && !target_dir.starts_with('/') {
            findings.push(finding(
                target,
                Severity::Error,
                format!("job {who}: savepoint directory `{target_dir}` is not an absolute path or URI: Flink {to} must read the savepoint at the same absolute path (Flink's upgrade guide)"),
                "use e.g. file:///shared/savepoints or hdfs:///flink/savepoints",
            ));
        }
        planned.push(PlannedJob {
            job: JobRef {
                name: j.name.clone(),
                job_id: j.jid.clone(),
                spec,
            },
            target_dir,
            spec_source: source,
        });
    }
    // Jobs in the HA store that no JobManager runs would be recovered by the new version
    // from their last checkpoint: a silent last-state restore, which this upgrade never does.
    if old.ha.enabled {
        match super::steps::orphaned_ha_jobs(&old, &all).await {
            Ok(orphaned) => {
                for id in &orphaned {
                    findings.push(finding(
                        target,
                        Severity::Error,
                        format!("the HA store {} holds job {id}, which no JobManager runs: the next start would recover it from its last checkpoint", old.ha.path()),
                        "find out what it is (`flinkha leader show`); remove it from the HA store only if it must not run again",
                    ));
                }
            }
            Err(e) => findings.push(finding(
                target,
                Severity::Warning,
                format!(
                    "could not read the HA store's jobs: {}",
                    crate::core::error_chain(&e)
                ),
                "",
            )),
        }
    }
    Ok(Preflight {
        from,
        to,
        compatibility: compat,
        jobs: planned,
        findings,
        conf_diffs: Vec::new(),
    })
}

/// The step stopping planned job `p` on `version` with a canonical savepoint (`on`: where,
/// for the title, e.g. ` on Flink 2.2.0`).
pub(crate) fn stop_job_step(p: &PlannedJob, version: Version, on: &str) -> Step {
    Step {
        id: format!("stop-job/{}", job_key(&p.job)),
        title: format!(
            "stop job {} ({}){on} with a canonical savepoint to {}",
            p.job.name, p.job.job_id, p.target_dir
        ),
        downtime: true,
        action: Action::StopJob {
            job: p.job.clone(),
            trigger_id: crate::rest::jobs::new_trigger_id(),
            target_dir: Some(p.target_dir.clone()),
            version,
        },
    }
}

/// A rollback's step stopping `job`, which runs as `new_id` on `to`, with a savepoint that
/// is kept, not restored (`on`: where, for the title, e.g. ` on the shadow`).
pub(crate) fn rollback_stop_step(
    target: &Cluster,
    job: &JobRef,
    new_id: &str,
    from: Version,
    to: Version,
    on: &str,
) -> Step {
    let on_new = JobRef {
        job_id: new_id.to_string(),
        ..job.clone()
    };
    Step {
        id: format!("stop-job/{}", job_key(&on_new)),
        title: format!(
            "stop {} ({new_id}){on} on Flink {to} with a savepoint (kept, not restored: a Flink {to} savepoint is not guaranteed to restore on {from})",
            job.name
        ),
        downtime: true,
        action: Action::StopJob {
            job: on_new,
            trigger_id: crate::rest::jobs::new_trigger_id(),
            target_dir: job
                .spec
                .savepoint_dir
                .clone()
                .or_else(|| jobs::default_savepoint_dir(target)),
            version: to,
        },
    }
}

pub(crate) fn job_key(j: &JobRef) -> String {
    format!("{}@{}", j.name, &j.job_id[..j.job_id.len().min(8)])
}

/// The two steps that bring `job` back on `version` from the savepoint step `savepoint_of`
/// names: run it (NO_CLAIM, a new pre-assigned job id) and verify the restore.
pub(crate) fn run_and_verify(
    job: &JobRef,
    savepoint_of: &str,
    version: Version,
    checkpoints: u32,
    from_what: &str,
) -> [Step; 2] {
    run_and_verify_as("", job, savepoint_of, version, checkpoints, from_what)
}

/// [`run_and_verify`] with step ids `run-job<suffix>/<job>`, `verify-job<suffix>/<job>`.
pub(crate) fn run_and_verify_as(
    suffix: &str,
    job: &JobRef,
    savepoint_of: &str,
    version: Version,
    checkpoints: u32,
    from_what: &str,
) -> [Step; 2] {
    let new_id = crate::rest::jobs::new_trigger_id();
    [
        Step {
            id: format!("run-job{suffix}/{}", job_key(job)),
            title: format!(
                "run {} on Flink {version} from {from_what} (claim mode NO_CLAIM, job id {new_id})",
                job.name
            ),
            downtime: true,
            action: Action::RunJob {
                job: job.clone(),
                new_job_id: new_id.clone(),
                savepoint_of: savepoint_of.to_string(),
                version,
            },
        },
        Step {
            id: format!("verify-job{suffix}/{}", job_key(job)),
            title: format!(
                "verify {}: restored from that savepoint, {checkpoints} checkpoints after it, no restart, no new exception",
                job.name
            ),
            downtime: false,
            action: Action::VerifyJob {
                job: job.clone(),
                new_job_id: new_id,
                savepoint_of: savepoint_of.to_string(),
                checkpoints,
                version,
            },
        },
    ]
}

/// The in-place upgrade plan for what `pre` found.
pub fn upgrade_plan(target: &Cluster, pre: &Preflight, opts: &UpgradeOptions) -> Plan {
    let (from, to) = (pre.from, pre.to);
    let mut steps = vec![Step {
        id: format!("install/{to}"),
        title: format!(
            "install flink-{to} beside flink-{from} on every host (verified; `current` not moved)"
        ),
        downtime: false,
        action: Action::install(to),
    }];
    for p in &pre.jobs {
        steps.push(stop_job_step(p, from, ""));
    }
    steps.push(Step {
        id: format!("stop-daemons/{from}"),
        title: format!(
            "stop the TaskManagers and JobManagers (Flink {from}); the quorum keeps serving"
        ),
        downtime: true,
        action: Action::StopDaemons {
            version: from,
            roles: vec![Role::TaskManager, Role::JobManager],
            hosts: vec![],
            best_effort: false,
        },
    });
    steps.push(Step {
        id: "clear-ha-jobs".into(),
        title: "check that the HA store holds no job the new version would recover".into(),
        downtime: true,
        action: Action::ClearHaJobs {
            version: None,
            stopped: pre.jobs.iter().map(|p| p.job.job_id.clone()).collect(),
        },
    });
    steps.push(Step {
        id: format!("activate/{to}"),
        title: format!(
            "point `current` at flink-{to} on every host and sync the conf rendered for {to}"
        ),
        downtime: true,
        action: Action::Activate { version: to },
    });
    // The quorum's servers run from the primary deployment's layout; on a shadow deployment
    // an in-place upgrade leaves them where they are.
    if !target.zookeeper.is_empty() && target.deployment.is_primary() {
        steps.push(Step {
            id: format!("move-quorum/{to}"),
            title: format!(
                "restart the {} ZooKeeper servers on flink-{to} one at a time (a majority serves throughout)",
                target.zookeeper.len()
            ),
            downtime: true,
            action: Action::MoveQuorum { version: to },
        });
    }
    steps.push(Step {
        id: format!("start-daemons/{to}"),
        title: format!("start the JobManagers and TaskManagers on Flink {to} (health-gated)"),
        downtime: true,
        action: Action::start_daemons(to, vec![Role::JobManager, Role::TaskManager]),
    });
    for p in &pre.jobs {
        let stop = format!("stop-job/{}", job_key(&p.job));
        steps.extend(run_and_verify(
            &p.job,
            &stop,
            to,
            opts.checkpoints,
            "its savepoint",
        ));
    }
    let mut summary = vec![format!(
        "Upgrade of cluster {} in place: Flink {from} → {to} ({} upgrade), {} job(s)",
        target.name,
        pre.compatibility.label(),
        pre.jobs.len()
    )];
    for p in &pre.jobs {
        summary.push(format!(
            "  job {} ({}): resubmitted from {}",
            p.job.name, p.job.job_id, p.spec_source
        ));
    }
    summary.push(
        "Each job is down from its stop-with-savepoint until it runs on the new version; the old installation stays for `flinkha upgrade --rollback`.".into(),
    );
    Plan {
        operation: UPGRADE.into(),
        summary,
        steps,
    }
}

/// The rollback plan of the upgrade recorded in `up`: back to the version before it, every
/// job from its pre-upgrade savepoint.
///
/// When the upgrade never reached its activation, the cluster still runs the old version:
/// only the jobs it had already stopped are run again there. Otherwise every job the new
/// version runs is stopped with a savepoint (kept, not used), the cluster goes back to the
/// old version and every job restarts from its pre-upgrade savepoint.
///
/// # Errors
/// [`Error::Journal`] when `up` is not an upgrade journal.
pub fn rollback_plan(target: &Cluster, up: &JournalData, opts: &UpgradeOptions) -> Result<Plan> {
    let params: UpgradeParams =
        serde_json::from_value(up.params.clone()).map_err(|e| Error::Journal {
            message: format!("the upgrade journal has no versions ({e}): nothing to roll back"),
        })?;
    if params.shadow.is_some() {
        return Ok(super::shadow::rollback_plan(target, up, &params, opts));
    }
    let (from, to) = (params.from, params.to);
    let activated = up
        .plan
        .steps
        .iter()
        .any(|s| matches!(s.action, Action::Activate { .. }) && up.intent_ms(&s.id).is_some());
    // Jobs with a pre-upgrade savepoint, and the id they run under on the new version.
    let mut moved = Vec::new();
    for s in &up.plan.steps {
        if let Action::StopJob { job, .. } = &s.action
            && let Some(o) = up.outcome(&s.id)
        {
            let new_id = up.plan.steps.iter().find_map(|r| match &r.action {
                Action::RunJob {
                    job: rj,
                    new_job_id,
                    ..
                } if rj.job_id == job.job_id && up.intent_ms(&r.id).is_some() => {
                    Some(new_job_id.clone())
                }
                _ => None,
            });
            let path = o
                .get("path")
                .and_then(|p| p.as_str())
                .unwrap_or_default()
                .to_string();
            moved.push((job.clone(), path, new_id));
        }
    }
    let mut steps = Vec::new();
    if activated {
        for (job, _, new_id) in &moved {
            if let Some(new_id) = new_id {
                steps.push(rollback_stop_step(target, job, new_id, from, to, ""));
            }
        }
        steps.push(Step {
            id: format!("stop-daemons/{to}"),
            title: format!("stop the TaskManagers and JobManagers (Flink {to})"),
            downtime: true,
            action: Action::StopDaemons {
                version: to,
                roles: vec![Role::TaskManager, Role::JobManager],
                hosts: vec![],
                best_effort: false,
            },
        });
        steps.push(Step {
            id: "clear-ha-jobs".into(),
            title: "check that the HA store holds no job the old version would recover".into(),
            downtime: true,
            action: Action::ClearHaJobs {
                version: None,
                stopped: moved
                    .iter()
                    .filter_map(|(_, _, n)| n.clone())
                    .chain(moved.iter().map(|(j, _, _)| j.job_id.clone()))
                    .collect(),
            },
        });
        steps.push(Step {
            id: format!("activate/{from}"),
            title: format!(
                "point `current` back at flink-{from} and sync the conf rendered for {from}"
            ),
            downtime: true,
            action: Action::Activate { version: from },
        });
        if !target.zookeeper.is_empty() && target.deployment.is_primary() {
            steps.push(Step {
                id: format!("move-quorum/{from}"),
                title: format!("restart the ZooKeeper servers on flink-{from} one at a time"),
                downtime: true,
                action: Action::MoveQuorum { version: from },
            });
        }
        steps.push(Step {
            id: format!("start-daemons/{from}"),
            title: format!("start the JobManagers and TaskManagers on Flink {from}"),
            downtime: true,
            action: Action::start_daemons(from, vec![Role::JobManager, Role::TaskManager]),
        });
    }
    for (job, path, _) in &moved {
        let sp = format!("savepoint/{}", job_key(job));
        // A step that only names the savepoint, so run and verify read it like in the upgrade.
        steps.push(Step {
            id: sp.clone(),
            title: format!("use the pre-upgrade savepoint of {}: {path}", job.name),
            downtime: true,
            action: Action::UseSavepoint { path: path.clone() },
        });
        steps.extend(run_and_verify(
            job,
            &sp,
            from,
            opts.checkpoints,
            "its pre-upgrade savepoint",
        ));
    }
    let mut summary = vec![format!(
        "Rollback of the upgrade {from} → {to} of cluster {} ({}): {} job(s) back to Flink {from} from their pre-upgrade savepoints",
        target.name,
        up.state.label(),
        moved.len()
    )];
    if !activated {
        summary.push(format!(
            "The upgrade stopped before switching versions: the cluster still runs Flink {from}; only the jobs it had stopped are run again."
        ));
    }
    summary.push(
        "Output the jobs produced since their pre-upgrade savepoint will be produced again (the state goes back to that savepoint).".into(),
    );
    Ok(Plan {
        operation: ROLLBACK.into(),
        summary,
        steps,
    })
}

/// One job's line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct JobReport {
    /// Job name.
    pub name: String,
    /// Job id before.
    pub old_job_id: String,
    /// Job id after (when it runs again).
    pub new_job_id: Option<String>,
    /// The cluster-id it ran under before (a shadow upgrade).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_cluster_id: Option<String>,
    /// The cluster-id it runs under now (a shadow upgrade).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_cluster_id: Option<String>,
    /// The savepoint it moved with.
    pub savepoint: Option<String>,
    /// From the stop request to every vertex RUNNING on the new version (or, moved back,
    /// on the old one again), ms.
    pub downtime_ms: Option<u64>,
    /// Restore verified (where it runs now).
    pub verified: bool,
    /// Its move to the shadow failed and it went back to the old deployment.
    pub moved_back: bool,
}

/// The report of an upgrade or rollback journal.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `upgrade` or `rollback`.
    pub operation: String,
    /// Journal state.
    pub state: State,
    /// Versions.
    pub from: Option<Version>,
    /// See `from`.
    pub to: Option<Version>,
    /// A shadow upgrade.
    pub shadow: bool,
    /// Per job.
    pub jobs: Vec<JobReport>,
    /// Steps done / in the plan.
    pub steps_done: usize,
    /// See `steps_done`.
    pub steps: usize,
    /// From the first intent to the last entry, ms.
    pub total_ms: u64,
    /// A shadow upgrade: since when (ms since the epoch) the old and the new deployment run
    /// side by side (its start step done), until `--finalize` stops the old one.
    pub side_by_side_since_ms: Option<u64>,
    /// The failed step and its error, if any.
    pub failure: Option<(String, String)>,
}

fn done_ms(j: &JournalData, step: &str) -> Option<u64> {
    j.entries.iter().rev().find_map(|e| match e {
        crate::core::journal::Entry::Done { step: s, at_ms, .. } if s == step => Some(*at_ms),
        _ => None,
    })
}

/// The report of `j`.
pub fn report(j: &JournalData) -> Report {
    let params: Option<UpgradeParams> = serde_json::from_value(j.params.clone()).ok();
    let ids = params.as_ref().and_then(|p| p.cluster_ids.clone());
    let mut jobs: Vec<JobReport> = Vec::new();
    for s in &j.plan.steps {
        let Action::RunJob {
            job,
            new_job_id,
            savepoint_of,
            version,
        } = &s.action
        else {
            continue;
        };
        let key = job_key(job);
        let back = s.id.starts_with("run-job-back/");
        let sp = j.outcome(savepoint_of);
        let run = j
            .outcome(&s.id)
            .and_then(|o| serde_json::from_value::<super::steps::JobRunning>(o.clone()).ok());
        let requested = sp
            .and_then(|o| o.get("requested_ms"))
            .and_then(|v| v.as_u64())
            .or_else(|| {
                // A rollback's savepoint step: downtime from the rollback's first stop.
                j.plan
                    .steps
                    .iter()
                    .find(|s| {
                        matches!(
                            s.action,
                            Action::StopJob { .. } | Action::StopDaemons { .. }
                        )
                    })
                    .and_then(|s| j.first_intent_ms(&s.id))
            });
        let cluster_id = |v: &Version| {
            ids.as_ref().map(|(old, new)| {
                if params.as_ref().is_some_and(|p| p.from == *v) {
                    old.clone()
                } else {
                    new.clone()
                }
            })
        };
        let line = JobReport {
            name: job.name.clone(),
            old_job_id: job.job_id.clone(),
            new_job_id: run.as_ref().map(|_| new_job_id.clone()),
            old_cluster_id: ids.as_ref().map(|(old, _)| old.clone()),
            new_cluster_id: run.as_ref().and_then(|_| cluster_id(version)),
            savepoint: sp
                .and_then(|o| o.get("path"))
                .and_then(|p| p.as_str())
                .map(str::to_string),
            downtime_ms: match (&run, requested) {
                (Some(r), Some(t)) => Some(r.running_ms.saturating_sub(t)),
                _ => None,
            },
            verified: j
                .outcome(&format!(
                    "verify-job{}/{key}",
                    if back { "-back" } else { "" }
                ))
                .is_some(),
            moved_back: back,
        };
        match jobs.iter_mut().find(|r| r.old_job_id == job.job_id) {
            Some(r) if back => *r = line,
            Some(_) => {}
            None => jobs.push(line),
        }
    }
    let first = j.entries.first().map(crate::core::journal::Entry::at_ms);
    let (from, to) = match (&params, j.plan.operation.as_str()) {
        (Some(p), ROLLBACK) => (Some(p.to), Some(p.from)),
        (Some(p), _) => (Some(p.from), Some(p.to)),
        _ => (None, None),
    };
    let shadow = params.as_ref().is_some_and(|p| p.shadow.is_some());
    Report {
        operation: j.plan.operation.clone(),
        state: j.state,
        from,
        to,
        shadow,
        jobs,
        steps_done: j.done_count(),
        steps: j.plan.steps.len(),
        total_ms: first.map(|f| j.updated_ms.saturating_sub(f)).unwrap_or(0),
        side_by_side_since_ms: match (&params, j.plan.operation.as_str()) {
            (Some(p), UPGRADE) if shadow => done_ms(j, &format!("start-daemons/{}", p.to)),
            _ => None,
        },
        failure: j
            .last_failure()
            .map(|(s, _, e)| (s.to_string(), e.to_string())),
    }
}

#[cfg(test)]
mod tests;
