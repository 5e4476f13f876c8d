//! The executor of plan steps ([`crate::core::plan::Action`]): what upgrades, rollbacks and
//! cluster stops do on the hosts, in ZooKeeper and through the REST API. Every step first
//! looks at what is really there, so running it again after a crash does only what is
//! missing: a job already stopped is not stopped again (its savepoint is found in the
//! catalogue or in Flink's checkpoint statistics), a daemon already running is not started
//! again, a job already submitted under its pre-assigned id is adopted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::deployment::{self, ActiveDeployment, Previous, PreviousState};
use super::jobs::{self, RunOptions, SavepointAction, SavepointOptions};
use super::leader_rest::LeaderRest;
use super::lifecycle::{self, Selection};
use super::upgrade::{ROLLBACK, UPGRADE, UpgradeOptions, UpgradeParams, cluster_for};
use crate::core::catalogue::{
    Catalogue, Outcome as SpOutcome, SavepointKind, SavepointRecord, now_ms,
};
use crate::core::error::{Error, Result};
use crate::core::hosts::Sessions;
use crate::core::journal::{Executor, JournalData};
use crate::core::model::{Cluster, Deployment, Host, Role};
use crate::core::plan::{Action, JobRef, Step};
use crate::core::reporter::Reporter;
use crate::flinkconf::Version;
use crate::rest::jobs::{ClaimMode, SavepointFormat};

/// Job ids in the HA store's execution plans (`execution-plans/` in 2.x, `jobgraphs/` in
/// 1.x: Flink 2.0 release notes).
pub(crate) async fn ha_jobs(cluster: &Cluster) -> Result<Vec<String>> {
    let client = cluster
        .ha
        .connect(&crate::zk::ConnectOptions {
            session_timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(10),
            ..cluster.ha.connect_options()
        })
        .await?;
    let mut out = Vec::new();
    for dir in ["execution-plans", "jobgraphs"] {
        let path = crate::zk::join_path(&[&cluster.ha.path(), dir]);
        match crate::zk::list_children(&client, &path).await {
            Ok(c) => out.extend(c),
            Err(zookeeper_client::Error::NoNode) => {}
            Err(e) => {
                return Err(Error::Zk(crate::zk::ZkError::request(
                    "list children of",
                    &path,
                    e,
                )));
            }
        }
    }
    Ok(out)
}

/// Job ids in the HA store ([`ha_jobs`]) that are not among the non-terminal `jobs` the
/// leader's REST API lists: what the next leader would recover from its last checkpoint.
pub(crate) async fn orphaned_ha_jobs(
    cluster: &Cluster,
    jobs: &[crate::rest::JobSummary],
) -> Result<Vec<String>> {
    let live: Vec<&str> = jobs
        .iter()
        .filter(|j| !crate::rest::jobs::JobDetails::is_terminal(&j.state))
        .map(|j| j.jid.as_str())
        .collect();
    Ok(ha_jobs(cluster)
        .await?
        .into_iter()
        .filter(|id| !live.contains(&id.as_str()))
        .collect())
}

/// Outcome of a stop-with-savepoint step.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavepointTaken {
    /// Savepoint path (`file:/...`); empty when the step was skipped.
    pub path: String,
    /// The stop request (first intent), ms since the epoch: where the job's downtime starts.
    pub requested_ms: u64,
    /// The job's state afterwards.
    pub job_state: String,
    /// Not running any more before the step: nothing to stop.
    #[serde(default)]
    pub skipped: bool,
}

/// Outcome of a run step.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobRunning {
    /// Job id.
    pub job_id: String,
    /// All vertices RUNNING, ms since the epoch: where the job's downtime ends.
    pub running_ms: u64,
    /// The savepoint it restored from.
    pub restored_from: String,
    /// It had been submitted before a crash and was adopted.
    pub adopted: bool,
}

/// Outcome of a verification step.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Verified {
    /// `latest.restored.external_path`.
    pub restored_from: String,
    /// `latest.restored.is_savepoint`.
    pub is_savepoint: bool,
    /// The restored checkpoint id.
    pub restored_id: u64,
    /// Completed checkpoints seen after the restore.
    pub checkpoints: u64,
    /// Latest completed checkpoint id.
    pub latest_checkpoint: u64,
    /// `numRestarts`.
    pub restarts: u64,
}

/// Runs the steps of upgrade and rollback plans.
pub struct Engine<'a> {
    /// The inventory.
    pub inventory: PathBuf,
    /// Open SSH sessions.
    pub sessions: &'a Sessions,
    /// Progress.
    pub reporter: &'a dyn Reporter,
    /// The savepoint catalogue.
    pub catalogue: Catalogue,
    /// Bounds.
    pub opts: UpgradeOptions,
    /// The deployment of plans that name none (a cluster stop, `install --activate`): the
    /// active one.
    pub default_layout: Deployment,
    params: std::sync::Mutex<Option<UpgradeParams>>,
    clusters: std::sync::Mutex<BTreeMap<(String, Version), &'a Cluster>>,
}

impl<'a> Engine<'a> {
    /// An engine for the cluster at `inventory`.
    pub fn new(
        inventory: &Path,
        sessions: &'a Sessions,
        reporter: &'a dyn Reporter,
        catalogue: Catalogue,
        opts: UpgradeOptions,
        default_layout: Deployment,
    ) -> Engine<'a> {
        Engine {
            inventory: inventory.to_path_buf(),
            sessions,
            reporter,
            catalogue,
            opts,
            default_layout,
            params: std::sync::Mutex::new(None),
            clusters: std::sync::Mutex::new(BTreeMap::new()),
        }
    }

    /// The cluster resolved for `version` on the deployment it runs on in this plan (the
    /// journal's [`UpgradeParams::layout_for`], else [`Engine::default_layout`]); cached for
    /// the engine's life.
    fn cluster(&self, version: &Version) -> Result<&'a Cluster> {
        let layout = self
            .params
            .lock()
            .expect("params")
            .as_ref()
            .map(|p| p.layout_for(version).clone())
            .unwrap_or_else(|| self.default_layout.clone());
        let mut m = self.clusters.lock().expect("clusters");
        let key = (layout.name.clone(), *version);
        if let Some(c) = m.get(&key) {
            return Ok(c);
        }
        let c: &'a Cluster = Box::leak(Box::new(cluster_for(&self.inventory, version, &layout)?));
        m.insert(key, c);
        Ok(c)
    }

    async fn stop_job(
        &self,
        step: &Step,
        journal: &JournalData,
        job: &JobRef,
        trigger_id: &str,
        target_dir: &Option<String>,
        version: &Version,
    ) -> Result<SavepointTaken> {
        let c = self.cluster(version)?;
        let requested_ms = journal.first_intent_ms(&step.id).unwrap_or_else(now_ms);
        // Done before a crash and recorded: use it.
        let data = self.catalogue.load()?;
        if let Some(r) = data
            .savepoints
            .iter()
            .rev()
            .find(|s| s.trigger_id == trigger_id && s.usable())
        {
            return Ok(SavepointTaken {
                path: r.path.clone().unwrap_or_default(),
                requested_ms,
                job_state: "FINISHED".into(),
                skipped: false,
            });
        }
        let api = LeaderRest::new(c, self.reporter);
        let details = match api
            .call(|cl| {
                let id = job.job_id.clone();
                async move { cl.job(&id).await }
            })
            .await
        {
            Ok(d) => Some(d),
            Err(Error::Rest(e)) if e.status() == Some(404) => None,
            Err(e) => return Err(e),
        };
        let state = details.as_ref().map(|d| d.state.clone());
        if journal.plan.operation == ROLLBACK {
            return self
                .stop_for_rollback(
                    &api,
                    job,
                    details.as_ref(),
                    trigger_id,
                    target_dir,
                    requested_ms,
                )
                .await;
        }
        match state.as_deref() {
            Some("FINISHED") | Some("CANCELED") => {
                // Stopped before a crash, its savepoint never recorded: Flink ends a job with
                // stop-with-savepoint only after the savepoint completed, and reports it.
                let cp = api
                    .call(|cl| {
                        let id = job.job_id.clone();
                        async move { cl.checkpoints(&id).await }
                    })
                    .await?;
                let sp = cp.latest.savepoint.filter(|s| {
                    s.external_path.is_some()
                        && (s.latest_ack_timestamp <= 0
                            || s.latest_ack_timestamp as u64 + 1000 >= requested_ms)
                });
                let Some(sp) = sp else {
                    return Err(Error::Refused {
                        message: format!(
                            "job {} ({}) is {} but no savepoint of this upgrade is known: flinkha can't prove its state was saved; find its last savepoint in {} and restore it by hand (`flinkha run ... --from-savepoint PATH`)",
                            job.name,
                            job.job_id,
                            state.unwrap_or_default(),
                            target_dir.clone().unwrap_or_default()
                        ),
                    });
                };
                let path = sp.external_path.unwrap_or_default();
                self.catalogue.record_savepoint(SavepointRecord {
                    job_id: job.job_id.clone(),
                    job_name: job.name.clone(),
                    time_ms: now_ms(),
                    path: Some(path.clone()),
                    flink_version: version.to_string(),
                    kind: SavepointKind::Stop,
                    outcome: SpOutcome::Completed,
                    trigger_id: trigger_id.to_string(),
                    detail: Some(
                        "recovered after a crash from the job's checkpoint statistics".into(),
                    ),
                    jar: Some(job.spec.jar.clone()),
                    disposed_ms: None,
                    spec: Some(job.spec.clone()),
                })?;
                Ok(SavepointTaken {
                    path,
                    requested_ms,
                    job_state: state.unwrap_or_default(),
                    skipped: false,
                })
            }
            None => Err(Error::Refused {
                message: format!(
                    "job {} ({}) is not known to the leader: it is not running, and flinkha has no savepoint of it from this upgrade",
                    job.name, job.job_id
                ),
            }),
            Some(_) => {
                let summary = crate::rest::JobSummary {
                    jid: job.job_id.clone(),
                    name: job.name.clone(),
                    state: state.clone().unwrap_or_default(),
                    start_time: 0,
                    duration: 0,
                    tasks: Default::default(),
                };
                let done = jobs::savepoint(
                    &api,
                    &self.catalogue,
                    &summary,
                    &self.stop_options(trigger_id, target_dir),
                )
                .await?;
                Ok(SavepointTaken {
                    path: done.location,
                    requested_ms,
                    job_state: done.job_state,
                    skipped: false,
                })
            }
        }
    }

    /// Stop-with-savepoint in the canonical format (the one every minor upgrade restores,
    /// docs/ops/state/checkpoints_vs_savepoints.md) with the plan's trigger id.
    fn stop_options(&self, trigger_id: &str, target_dir: &Option<String>) -> SavepointOptions {
        SavepointOptions {
            action: SavepointAction::Stop { drain: false },
            target_dir: target_dir.clone(),
            format: SavepointFormat::Canonical,
            timeout: self.opts.savepoint_timeout,
            trigger_id: Some(trigger_id.to_string()),
        }
    }

    /// A rollback's stop of a job on the new version. Its state is in its pre-upgrade
    /// savepoint (the rollback restores that one), so a job that is gone or not running
    /// cleanly there is cancelled instead of blocking the way back; a running one is stopped
    /// with a savepoint first (kept, in case), and cancelled if that savepoint fails.
    async fn stop_for_rollback(
        &self,
        api: &LeaderRest<'_>,
        job: &JobRef,
        details: Option<&crate::rest::jobs::JobDetails>,
        trigger_id: &str,
        target_dir: &Option<String>,
        requested_ms: u64,
    ) -> Result<SavepointTaken> {
        let skipped = |job_state: String| SavepointTaken {
            path: String::new(),
            requested_ms,
            job_state,
            skipped: true,
        };
        let Some(d) = details else {
            return Ok(skipped("not known to the leader".into()));
        };
        if crate::rest::jobs::JobDetails::is_terminal(&d.state) {
            return Ok(skipped(d.state.clone()));
        }
        let cancel = async || {
            api.call(|cl| {
                let id = job.job_id.clone();
                async move { cl.cancel_job(&id).await }
            })
            .await
        };
        if !d.fully_running() {
            cancel().await?;
            return Ok(skipped(format!("{}: cancelled", d.state)));
        }
        let summary = crate::rest::JobSummary {
            jid: job.job_id.clone(),
            name: job.name.clone(),
            state: d.state.clone(),
            start_time: 0,
            duration: 0,
            tasks: Default::default(),
        };
        match jobs::savepoint(
            api,
            &self.catalogue,
            &summary,
            &self.stop_options(trigger_id, target_dir),
        )
        .await
        {
            Ok(done) => Ok(SavepointTaken {
                path: done.location,
                requested_ms,
                job_state: done.job_state,
                skipped: false,
            }),
            Err(e) => {
                cancel().await?;
                Ok(skipped(format!(
                    "stop-with-savepoint failed ({}): cancelled",
                    crate::core::error_chain(&e)
                )))
            }
        }
    }

    /// Stop the selected daemons; the report's instances are the outcome. Without
    /// `best_effort` any failed instance fails the step.
    async fn stop_daemons(
        &self,
        version: &Version,
        roles: &[Role],
        hosts: &[String],
        best_effort: bool,
    ) -> Result<serde_json::Value> {
        let c = self.cluster(version)?;
        let sel = Selection {
            roles: roles.to_vec(),
            hosts: hosts.to_vec(),
        };
        let plan = lifecycle::plan_stop(c, self.sessions, &sel).await?;
        if !best_effort && let Some((h, e)) = plan.unreachable.first() {
            return Err(Error::Remote {
                host: h.clone(),
                what: "probing daemons".into(),
                detail: e.clone(),
            });
        }
        let report = lifecycle::stop(c, self.sessions, self.reporter, &plan).await?;
        if !best_effort
            && let Some((host, error)) = report.instances.iter().find_map(|i| match &i.action {
                lifecycle::InstanceAction::Failed { error } => {
                    Some((i.host.clone(), error.clone()))
                }
                _ => None,
            })
        {
            return Err(Error::Remote {
                host,
                what: "stopping daemons".into(),
                detail: error,
            });
        }
        Ok(json(&report))
    }

    async fn clear_ha_jobs(
        &self,
        journal: &JournalData,
        stopped: &[String],
        version: Option<&Version>,
    ) -> Result<serde_json::Value> {
        let params = self.params(journal)?;
        let c = self.cluster(version.unwrap_or(&params.from))?;
        if !c.ha.enabled {
            return Ok(serde_json::json!({ "removed": [] }));
        }
        // Flink removes a finished job's execution plan itself, asynchronously.
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut left = ha_jobs(c).await?;
        while !left.is_empty() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(500)).await;
            left = ha_jobs(c).await?;
        }
        let foreign: Vec<&String> = left.iter().filter(|id| !stopped.contains(id)).collect();
        if !foreign.is_empty() {
            return Err(Error::Refused {
                message: format!(
                    "the HA store {} holds job(s) {} that this operation did not stop with a savepoint: the next start would recover them from their last checkpoint",
                    c.ha.path(),
                    foreign
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        // Ours: finished with a savepoint, but their execution plan is still there; the next
        // start must not run them again.
        let client =
            c.ha.connect(&crate::zk::ConnectOptions {
                readonly: false,
                ..c.ha.connect_options()
            })
            .await?;
        for id in &left {
            for dir in ["execution-plans", "jobgraphs"] {
                let path = crate::zk::join_path(&[&c.ha.path(), dir, id]);
                delete_recursive(&client, &path).await?;
            }
        }
        Ok(serde_json::json!({ "removed": left }))
    }

    fn params(&self, journal: &JournalData) -> Result<UpgradeParams> {
        serde_json::from_value(journal.params.clone()).map_err(|e| Error::Journal {
            message: format!("the journal has no versions ({e})"),
        })
    }

    async fn activate(
        &self,
        journal: &JournalData,
        version: &Version,
    ) -> Result<serde_json::Value> {
        let c = self.cluster(version)?;
        // `install --activate`: `current` moves only where the install step got it there.
        if let Some(failed) = failed_installs(journal) {
            return Err(Error::Refused {
                message: format!(
                    "`current` not moved to flink-{version}: the install failed on {} (above); run `flinkha install --activate` again",
                    failed.join(", ")
                ),
            });
        }
        let mut record = ActiveDeployment::of(c, *version, &journal.plan.operation);
        if let Ok(p) = self.params(journal)
            && p.shadow.is_some()
            && *version == p.to
        {
            let old = self.cluster(&p.from)?;
            record.previous = Some(Previous {
                layout: old.deployment.clone(),
                version: p.from,
                cluster_id: old.ha.cluster_id.clone(),
                state: PreviousState::Standby,
            });
        }
        let changed = self.link_and_sync(c, version, Some(&record))?;
        deployment::save_local(c, &record)?;
        Ok(serde_json::json!({ "version": version, "conf_files_changed": changed }))
    }

    /// Point `c`'s deployment at `version` on every host (recording `record` as active when
    /// given), then sync its conf; the number of conf files changed.
    fn link_and_sync(
        &self,
        c: &Cluster,
        version: &Version,
        record: Option<&ActiveDeployment>,
    ) -> Result<usize> {
        let hosts: Vec<&Host> = c.hosts.iter().collect();
        let outcomes = tokio::task::block_in_place(|| match record {
            Some(r) => deployment::activate(c, self.sessions, &hosts, r),
            None => deployment::link(c, self.sessions, &hosts, version),
        });
        for o in outcomes {
            o.result?;
        }
        let synced = tokio::task::block_in_place(|| {
            super::sync::sync_hosts(c, self.sessions, self.reporter, &hosts, false)
        });
        let mut changed = 0;
        for o in synced {
            changed += o.result?.changes.len();
        }
        Ok(changed)
    }

    /// Lay out `version`'s deployment beside the active one: link and conf, no record.
    async fn prepare(&self, version: &Version) -> Result<serde_json::Value> {
        let c = self.cluster(version)?;
        let changed = self.link_and_sync(c, version, None)?;
        Ok(serde_json::json!({
            "deployment": c.deployment.name,
            "version": version,
            "cluster_id": c.ha.cluster_id,
            "conf_files_changed": changed,
        }))
    }

    /// Upload each job's jar to `version`'s leader: `{"jars": {<job id>: UploadedJar}}`.
    async fn upload_jars(&self, version: &Version, list: &[JobRef]) -> Result<serde_json::Value> {
        let c = self.cluster(version)?;
        let api = LeaderRest::new(c, self.reporter);
        let mut jars = serde_json::Map::new();
        for job in list {
            job.spec.check_jar()?;
            let jar = PathBuf::from(&job.spec.jar);
            let up = api
                .call(|cl| {
                    let jar = jar.clone();
                    async move {
                        let id = cl.upload_jar(&jar).await?;
                        Ok(jobs::UploadedJar {
                            rest_url: cl.base().to_string(),
                            jar_id: id,
                        })
                    }
                })
                .await?;
            jars.insert(job.job_id.clone(), json(&up));
        }
        Ok(serde_json::json!({ "jars": jars }))
    }

    /// The jar of `job` uploaded by the plan's upload step for `version`, if any.
    fn uploaded(
        journal: &JournalData,
        job: &JobRef,
        version: &Version,
    ) -> Option<jobs::UploadedJar> {
        journal.plan.steps.iter().find_map(|s| match &s.action {
            Action::UploadJars { version: v, .. } if v == version => journal
                .outcome(&s.id)
                .and_then(|o| o.get("jars"))
                .and_then(|j| j.get(&job.job_id))
                .and_then(|u| serde_json::from_value(u.clone()).ok()),
            _ => None,
        })
    }

    /// Cancel `job` on `version`'s deployment unless it is gone or ended; wait until it ended.
    async fn cancel_job(&self, job: &JobRef, version: &Version) -> Result<serde_json::Value> {
        let c = self.cluster(version)?;
        let api = LeaderRest::new(c, self.reporter);
        let state = async || match api
            .call(|cl| {
                let id = job.job_id.clone();
                async move { cl.job(&id).await }
            })
            .await
        {
            Ok(d) => Ok(Some(d.state)),
            Err(Error::Rest(e)) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        };
        let before = state().await?;
        match before.as_deref() {
            None => return Ok(serde_json::json!({ "cancelled": false, "state": "unknown" })),
            Some(s) if crate::rest::jobs::JobDetails::is_terminal(s) => {
                return Ok(serde_json::json!({ "cancelled": false, "state": s }));
            }
            _ => {}
        }
        api.call(|cl| {
            let id = job.job_id.clone();
            async move { cl.cancel_job(&id).await }
        })
        .await?;
        let deadline = crate::time::deadline_after(self.opts.run_timeout);
        loop {
            match state().await? {
                None => break,
                Some(s) if crate::rest::jobs::JobDetails::is_terminal(&s) => break,
                Some(s) if Instant::now() >= deadline => {
                    return Err(Error::Timeout {
                        what: format!("the cancellation of {} ({})", job.name, job.job_id),
                        secs: self.opts.run_timeout.as_secs(),
                        detail: format!("it is still {s}"),
                    });
                }
                Some(_) => tokio::time::sleep(Duration::from_millis(300)).await,
            }
        }
        Ok(serde_json::json!({ "cancelled": true, "state": "CANCELED" }))
    }

    /// Record the previous deployment (`version`) as stopped, on the hosts and locally.
    async fn retire(&self, journal: &JournalData, version: &Version) -> Result<serde_json::Value> {
        let p = self.params(journal)?;
        let active = self.cluster(&p.to)?;
        let mut record = deployment::load_local(active)?
            .unwrap_or_else(|| ActiveDeployment::of(active, p.to, UPGRADE));
        let old = self.cluster(version)?;
        record.previous = Some(Previous {
            layout: old.deployment.clone(),
            version: *version,
            cluster_id: old.ha.cluster_id.clone(),
            state: PreviousState::Stopped,
        });
        let hosts: Vec<&Host> = active.hosts.iter().collect();
        let outcomes = tokio::task::block_in_place(|| {
            deployment::activate(active, self.sessions, &hosts, &record)
        });
        for o in outcomes {
            o.result?;
        }
        deployment::save_local(active, &record)?;
        Ok(serde_json::json!({ "stopped": old.deployment.name, "version": version }))
    }

    async fn move_quorum(&self, version: &Version) -> Result<serde_json::Value> {
        let c = self.cluster(version)?;
        let mut moved = Vec::new();
        let mut already = Vec::new();
        for peer in &c.zookeeper {
            let host = c.host(&peer.host)?;
            let out = tokio::task::block_in_place(|| {
                crate::core::hosts::run(
                    host,
                    self.sessions.get(host)?.as_ref(),
                    "reading the ZooKeeper version",
                    &deployment::state_script(c, host, &[Role::ZooKeeper]),
                )
            })?;
            let st = deployment::parse_state(&out);
            if st
                .running
                .iter()
                .any(|(r, v)| *r == Role::ZooKeeper && v == version)
            {
                already.push(peer.host.clone());
                continue;
            }
            self.stop_daemons(
                version,
                &[Role::ZooKeeper],
                std::slice::from_ref(&peer.host),
                false,
            )
            .await?;
            let report = lifecycle::start(
                c,
                self.sessions,
                self.reporter,
                &Selection {
                    roles: vec![Role::ZooKeeper],
                    hosts: vec![peer.host.clone()],
                },
            )
            .await?;
            if report.failed() {
                return Err(Error::Remote {
                    host: peer.host.clone(),
                    what: format!("restarting ZooKeeper on flink-{version}"),
                    detail: report.errors.join("; "),
                });
            }
            moved.push(peer.host.clone());
        }
        Ok(serde_json::json!({ "moved": moved, "already": already }))
    }

    /// Start `sel` on `version`. Best effort (`flinkha start`): the report is the outcome
    /// whatever happened, and when an earlier start step of the plan failed nothing is
    /// started (every instance reported skipped, as [`lifecycle::start`] skips later roles).
    async fn start_daemons(
        &self,
        step: &Step,
        journal: &JournalData,
        version: &Version,
        sel: &Selection,
        best_effort: bool,
    ) -> Result<serde_json::Value> {
        let c = self.cluster(version)?;
        if best_effort && let Some(prev) = failed_start_before(journal, &step.id) {
            return Ok(json(&lifecycle::skipped_start(c, sel, prev)));
        }
        let report = lifecycle::start(c, self.sessions, self.reporter, sel).await?;
        if best_effort {
            return Ok(json(&report));
        }
        if report.failed() {
            let mut detail = report.errors.clone();
            detail.extend(report.instances.iter().filter_map(|i| match &i.action {
                lifecycle::InstanceAction::Failed { error } => {
                    Some(format!("{} on {}: {error}", i.role, i.host))
                }
                _ => None,
            }));
            return Err(Error::Remote {
                host: "cluster".into(),
                what: format!("starting Flink {version}"),
                detail: detail.join("; "),
            });
        }
        Ok(serde_json::json!({ "leader": report.leader }))
    }

    /// Install `version` (verified here first, or with `install.fetch: remote` downloaded and
    /// verified by each host) on `hosts` (empty: every host). Not
    /// best effort: the first failed host fails the step, the outcome counts the hosts it
    /// was installed on. Best effort: the outcome holds every host's result
    /// (`{"hosts": [{"host", "result": {"ok": HostInstall} | {"error": "..."}}]}`).
    async fn install(
        &self,
        version: &Version,
        hosts: &[String],
        link_if_unset: bool,
        best_effort: bool,
    ) -> Result<serde_json::Value> {
        let c = self.cluster(version)?;
        let hosts = Selection {
            roles: vec![],
            hosts: hosts.to_vec(),
        }
        .hosts(c)?;
        let payload = super::install::prepare_payload(c, self.reporter).await?;
        let digest = payload.sha512().get(..16).unwrap_or_default();
        self.reporter.phase(&match &payload {
            super::install::Payload::Local(t) => format!(
                "Installing flink-{version} ({} bytes, sha512 {digest}…)",
                t.size
            ),
            super::install::Payload::Remote { url, .. } => format!(
                "Installing flink-{version}: each host downloads {} (sha512 {digest}…)",
                crate::flinkconf::secrets::redact_url(url)
            ),
        });
        let link = if link_if_unset {
            super::install::LinkCurrent::IfUnset
        } else {
            super::install::LinkCurrent::Never
        };
        let outcomes = tokio::task::block_in_place(|| {
            super::install::install_on_hosts(
                c,
                self.sessions,
                self.reporter,
                &hosts,
                &payload,
                link,
            )
        });
        let installed = outcomes
            .iter()
            .filter(|o| {
                matches!(
                    o.result.as_ref().map(|h| &h.action),
                    Ok(super::install::InstallAction::Installed { .. })
                )
            })
            .count();
        if best_effort {
            return Ok(serde_json::json!({
                "version": version,
                "installed_on": installed,
                "sha512": payload.sha512(),
                "bytes": payload.size(),
                "fetch": c.install_fetch,
                "hosts": outcomes,
            }));
        }
        for o in outcomes {
            o.result?;
        }
        Ok(serde_json::json!({ "version": version, "installed_on": installed }))
    }

    /// A savepoint of the job `job_id` (and its cancel or stop, per `opts`) with the plan's
    /// trigger id; one recorded completed under that trigger id before (a crash) is the
    /// outcome as it is.
    async fn savepoint_job(
        &self,
        job_id: &str,
        job_name: &str,
        opts: &SavepointOptions,
        version: &Version,
    ) -> Result<jobs::SavepointDone> {
        let c = self.cluster(version)?;
        let trigger_id = opts.trigger_id.clone().unwrap_or_default();
        if let Some(r) = self
            .catalogue
            .load()?
            .savepoints
            .iter()
            .rev()
            .find(|s| s.trigger_id == trigger_id && s.usable())
        {
            return Ok(jobs::SavepointDone {
                job_id: r.job_id.clone(),
                job_name: r.job_name.clone(),
                kind: r.kind,
                trigger_id,
                location: r.path.clone().unwrap_or_default(),
                job_state: "(recorded before)".into(),
                elapsed_ms: 0,
                leader: String::new(),
                partial_savepoints: Vec::new(),
                recovered: false,
            });
        }
        let api = LeaderRest::new(c, self.reporter);
        let summary = crate::rest::JobSummary {
            jid: job_id.to_string(),
            name: job_name.to_string(),
            state: String::new(),
            start_time: 0,
            duration: 0,
            tasks: Default::default(),
        };
        jobs::savepoint(&api, &self.catalogue, &summary, opts).await
    }

    fn savepoint_path(journal: &JournalData, step: &str) -> Result<String> {
        journal
            .outcome(step)
            .and_then(|o| o.get("path"))
            .and_then(|p| p.as_str())
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .ok_or_else(|| Error::Journal {
                message: format!("step {step} recorded no savepoint path: nothing to restore from"),
            })
    }

    async fn run_job(
        &self,
        journal: &JournalData,
        job: &JobRef,
        new_job_id: &str,
        savepoint_of: &str,
        version: &Version,
    ) -> Result<JobRunning> {
        let c = self.cluster(version)?;
        let path = Self::savepoint_path(journal, savepoint_of)?;
        let api = LeaderRest::new(c, self.reporter);
        let mut spec = job.spec.clone();
        spec.claim_mode = ClaimMode::NoClaim;
        let done = jobs::run(
            &api,
            &self.catalogue,
            &RunOptions {
                spec,
                savepoint: Some(path.clone()),
                job_id: Some(new_job_id.to_string()),
                timeout: self.opts.run_timeout,
                uploaded: Self::uploaded(journal, job, version),
            },
        )
        .await?;
        Ok(JobRunning {
            job_id: done.job_id,
            running_ms: now_ms(),
            restored_from: done.restored_from.unwrap_or(path),
            adopted: done.adopted,
        })
    }

    async fn verify_job(
        &self,
        journal: &JournalData,
        job: &JobRef,
        new_job_id: &str,
        savepoint_of: &str,
        checkpoints: u32,
        version: &Version,
    ) -> Result<Verified> {
        let c = self.cluster(version)?;
        let expected = Self::savepoint_path(journal, savepoint_of)?;
        let api = LeaderRest::new(c, self.reporter);
        let who = format!("{} ({new_job_id})", job.name);
        let deadline = crate::time::deadline_after(self.opts.verify_timeout);
        loop {
            let id = new_job_id.to_string();
            let cp = api
                .call(|cl| {
                    let id = id.clone();
                    async move { cl.checkpoints(&id).await }
                })
                .await?;
            let restored = cp
                .latest
                .restored
                .clone()
                .ok_or_else(|| Error::RestoreNotVerified {
                    job: who.clone(),
                    expected: expected.clone(),
                    actual: "empty (no restore)".into(),
                })?;
            let actual = restored.external_path.clone().unwrap_or_default();
            if jobs::normalize_path(&actual) != jobs::normalize_path(&expected) {
                return Err(Error::RestoreNotVerified {
                    job: who,
                    expected,
                    actual,
                });
            }
            if !restored.is_savepoint {
                return Err(Error::RestoreNotVerified {
                    job: who,
                    expected,
                    actual: format!("{actual} (a checkpoint, not a savepoint)"),
                });
            }
            let restarts = api
                .call(|cl| {
                    let id = id.clone();
                    async move { cl.restarts(&id).await }
                })
                .await?
                .unwrap_or(0);
            let exceptions = api
                .call(|cl| {
                    let id = id.clone();
                    async move { cl.exceptions(&id).await }
                })
                .await?;
            if restarts > 0 || !exceptions.is_empty() {
                return Err(Error::Refused {
                    message: format!(
                        "verification of {who} failed: it restarted {restarts} time(s) after the restore{}; its state came from {expected} but it does not run cleanly on Flink {version}",
                        exceptions
                            .first()
                            .map(|e| format!(" (latest exception: {})", e.name))
                            .unwrap_or_default()
                    ),
                });
            }
            let latest = cp.latest.completed.as_ref().map(|l| l.id).unwrap_or(0);
            let state = api
                .call(|cl| {
                    let id = id.clone();
                    async move { cl.job(&id).await }
                })
                .await?;
            if !state.fully_running() {
                return Err(Error::Refused {
                    message: format!(
                        "verification of {who} failed: it is {} after the restore",
                        state.state
                    ),
                });
            }
            if cp.counts.completed >= u64::from(checkpoints) && latest > restored.id {
                return Ok(Verified {
                    restored_from: actual,
                    is_savepoint: true,
                    restored_id: restored.id,
                    checkpoints: cp.counts.completed,
                    latest_checkpoint: latest,
                    restarts,
                });
            }
            if Instant::now() >= deadline {
                return Err(Error::Timeout {
                    what: format!("{checkpoints} completed checkpoints of {who} after its restore"),
                    secs: self.opts.verify_timeout.as_secs(),
                    detail: format!(
                        "{} completed so far; is checkpointing enabled (execution.checkpointing.interval)?",
                        cp.counts.completed
                    ),
                });
            }
            self.reporter.waiting(
                &format!("checkpoints of {}", job.name),
                &format!(
                    "{}/{checkpoints} completed after the restore",
                    cp.counts.completed
                ),
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}

async fn delete_recursive(client: &zookeeper_client::Client, path: &str) -> Result<()> {
    let mut stack = vec![path.to_string()];
    let mut order = Vec::new();
    while let Some(p) = stack.pop() {
        match crate::zk::list_children(client, &p).await {
            Ok(children) => {
                for c in children {
                    stack.push(format!("{p}/{c}"));
                }
                order.push(p);
            }
            Err(zookeeper_client::Error::NoNode) => {}
            Err(e) => {
                return Err(Error::Zk(crate::zk::ZkError::request(
                    "list children of",
                    &p,
                    e,
                )));
            }
        }
    }
    for p in order.iter().rev() {
        match client.delete(p, None).await {
            Ok(()) | Err(zookeeper_client::Error::NoNode) => {}
            Err(e) => return Err(Error::Zk(crate::zk::ZkError::request("delete", p, e))),
        }
    }
    Ok(())
}

impl Executor for Engine<'_> {
    async fn execute(&self, step: &Step, journal: &JournalData) -> Result<serde_json::Value> {
        *self.params.lock().expect("params") = serde_json::from_value(journal.params.clone()).ok();
        Ok(match &step.action {
            Action::Prepare { version } => self.prepare(version).await?,
            Action::CancelJob { job, version } => self.cancel_job(job, version).await?,
            Action::UploadJars { version, jobs } => self.upload_jars(version, jobs).await?,
            Action::Retire { version } => self.retire(journal, version).await?,
            Action::Install {
                version,
                hosts,
                link_if_unset,
                best_effort,
            } => {
                self.install(version, hosts, *link_if_unset, *best_effort)
                    .await?
            }
            Action::SavepointJob {
                job_id,
                job_name,
                kind,
                drain,
                format,
                target_dir,
                trigger_id,
                version,
            } => {
                let action = match kind {
                    SavepointKind::Cancel => SavepointAction::Cancel,
                    SavepointKind::Stop => SavepointAction::Stop { drain: *drain },
                    SavepointKind::Savepoint => SavepointAction::Savepoint,
                };
                let opts = SavepointOptions {
                    action,
                    target_dir: target_dir.clone(),
                    format: *format,
                    timeout: self.opts.savepoint_timeout,
                    trigger_id: Some(trigger_id.clone()),
                };
                json(&self.savepoint_job(job_id, job_name, &opts, version).await?)
            }
            Action::SubmitJob {
                spec,
                savepoint,
                job_id,
                version,
            } => {
                let c = self.cluster(version)?;
                let api = LeaderRest::new(c, self.reporter);
                json(
                    &jobs::run(
                        &api,
                        &self.catalogue,
                        &RunOptions {
                            spec: spec.clone(),
                            savepoint: savepoint.clone(),
                            job_id: Some(job_id.clone()),
                            timeout: self.opts.run_timeout,
                            uploaded: None,
                        },
                    )
                    .await?,
                )
            }
            Action::StopJob {
                job,
                trigger_id,
                target_dir,
                version,
            } => json(
                &self
                    .stop_job(step, journal, job, trigger_id, target_dir, version)
                    .await?,
            ),
            Action::StopDaemons {
                version,
                roles,
                hosts,
                best_effort,
            } => {
                self.stop_daemons(version, roles, hosts, *best_effort)
                    .await?
            }
            Action::ClearHaJobs { stopped, version } => {
                self.clear_ha_jobs(journal, stopped, version.as_ref())
                    .await?
            }
            Action::Activate { version } => self.activate(journal, version).await?,
            Action::MoveQuorum { version } => self.move_quorum(version).await?,
            Action::StartDaemons {
                version,
                roles,
                hosts,
                best_effort,
            } => {
                let sel = Selection {
                    roles: roles.clone(),
                    hosts: hosts.clone(),
                };
                self.start_daemons(step, journal, version, &sel, *best_effort)
                    .await?
            }
            Action::UseSavepoint { path } => serde_json::json!({ "path": path }),
            Action::RunJob {
                job,
                new_job_id,
                savepoint_of,
                version,
            } => json(
                &self
                    .run_job(journal, job, new_job_id, savepoint_of, version)
                    .await?,
            ),
            Action::VerifyJob {
                job,
                new_job_id,
                savepoint_of,
                checkpoints,
                version,
            } => json(
                &self
                    .verify_job(
                        journal,
                        job,
                        new_job_id,
                        savepoint_of,
                        *checkpoints,
                        version,
                    )
                    .await?,
            ),
        })
    }
}

/// The role whose start failed in a best-effort start step before `step` (its outcome's
/// first failed instance, else the step's first role when a health wait failed).
fn failed_start_before(journal: &JournalData, step: &str) -> Option<Role> {
    for s in &journal.plan.steps {
        if s.id == step {
            return None;
        }
        let Action::StartDaemons {
            roles,
            best_effort: true,
            ..
        } = &s.action
        else {
            continue;
        };
        let Some(report) = journal
            .outcome(&s.id)
            .and_then(|o| serde_json::from_value::<lifecycle::LifecycleReport>(o.clone()).ok())
        else {
            continue;
        };
        if report.failed() {
            return report
                .instances
                .iter()
                .find(|i| matches!(i.action, lifecycle::InstanceAction::Failed { .. }))
                .map(|i| i.role)
                .or_else(|| roles.first().copied());
        }
    }
    None
}

/// The serde name of a unit enum value (`NO_CLAIM`, `CANONICAL`): Flink's own term.
fn term<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The plan of `flinkha install [--activate]` (journal operation `install`): the verified
/// install on `hosts` (names; empty: every host) carrying on past failed hosts, then with
/// `activate` the step pointing `current` at it everywhere. `states` is what each selected
/// host has ([`super::install::install_states`]; `None`: not read), `expected` the
/// distribution's SHA-512 when known without fetching it: a host whose installed digest is
/// that one is a no-op. Pure.
pub fn install_plan(
    cluster: &Cluster,
    hosts: &[String],
    states: &[(String, Option<super::install::InstallState>)],
    expected: Option<&str>,
    activate: bool,
) -> crate::core::plan::Plan {
    use crate::core::plan::Plan;
    let v = cluster.version;
    let source = match &cluster.distribution {
        Some((crate::core::model::DistSource::Path(p), _)) => p.display().to_string(),
        Some((crate::core::model::DistSource::Url(u), _)) => {
            crate::flinkconf::secrets::redact_url(u).to_string()
        }
        None => "(no distribution configured)".into(),
    };
    let remote = cluster.remote_fetch_url().is_some();
    let mut install = Vec::new();
    let mut noop = Vec::new();
    let mut summary = vec![format!(
        "Install flink-{v} from {source} on {} host(s) of cluster {}:",
        states.len(),
        cluster.name
    )];
    for (host, st) in states {
        let line = match st {
            None => {
                install.push(host.as_str());
                "not read: installed unless it has this version".to_string()
            }
            Some(st) => {
                let current = st
                    .current
                    .as_deref()
                    .map(|c| format!("`current` -> {c}"))
                    .unwrap_or_else(|| "no `current`".into());
                match (&st.installed_sha512, expected) {
                    (Some(have), Some(want)) if have.eq_ignore_ascii_case(want) => {
                        noop.push(host.as_str());
                        format!("flink-{v} already installed (same SHA-512): no-op; {current}")
                    }
                    (Some(_), Some(_)) => {
                        install.push(host.as_str());
                        format!(
                            "flink-{v} there with another SHA-512: installed again (the old one moved aside); {current}"
                        )
                    }
                    (Some(_), None) => {
                        install.push(host.as_str());
                        format!(
                            "flink-{v} there: skipped if its SHA-512 is the verified one; {current}"
                        )
                    }
                    (None, _) => {
                        install.push(host.as_str());
                        format!("flink-{v} not installed; {current}")
                    }
                }
            }
        };
        summary.push(format!("  {host}: {line}"));
    }
    let mut title = if remote {
        String::new()
    } else {
        format!("verify {source} against its SHA-512, then ")
    };
    if install.is_empty() {
        title.push_str(&format!("install flink-{v} nowhere"));
    } else if remote {
        title.push_str(&format!(
            "install flink-{v} on {}, each downloading {source} itself (install.fetch: remote) and checking its SHA-512 before unpacking",
            install.join(", ")
        ));
    } else {
        title.push_str(&format!("install flink-{v} on {}", install.join(", ")));
    }
    if !noop.is_empty() {
        title.push_str(&format!(" [already installed, no-op: {}]", noop.join(", ")));
    }
    if !activate {
        title.push_str(&format!(
            "; `current` -> flink-{v} only where it does not exist yet"
        ));
    }
    let mut steps = vec![Step {
        id: format!("install/{v}"),
        title,
        downtime: false,
        action: Action::Install {
            version: v,
            hosts: hosts.to_vec(),
            link_if_unset: true,
            best_effort: true,
        },
    }];
    if activate {
        steps.push(Step {
            id: format!("activate/{v}"),
            title: format!(
                "point `current` at flink-{v} on every host and sync the conf rendered for it (running daemons keep their version until restarted)"
            ),
            downtime: false,
            action: Action::Activate { version: v },
        });
    }
    Plan {
        operation: "install".into(),
        summary,
        steps,
    }
}

/// The one-step plan of `flinkha savepoint` (operation `savepoint`), `cancel -s` (`cancel`)
/// or `stop JOB` (`stop-job`) of `job`, with its trigger id fixed here. `target_dir` is the
/// one the request names (`None`: the cluster's `execution.checkpointing.savepoint-dir`,
/// shown). Pure.
#[allow(clippy::too_many_arguments)]
pub fn savepoint_plan(
    cluster: &Cluster,
    job: &crate::rest::JobSummary,
    kind: SavepointKind,
    drain: bool,
    format: SavepointFormat,
    target_dir: Option<String>,
    trigger_id: String,
) -> crate::core::plan::Plan {
    use crate::core::plan::Plan;
    let dir = target_dir
        .clone()
        .or_else(|| jobs::default_savepoint_dir(cluster))
        .unwrap_or_else(|| "(no savepoint dir configured: refused)".into());
    let who = format!("job {} ({})", job.name, job.jid);
    let how = format!("{} format, trigger id {trigger_id}", term(&format));
    let (operation, title) = match kind {
        SavepointKind::Savepoint => (
            "savepoint",
            format!("take a savepoint of {who} to {dir} ({how}); the job keeps running"),
        ),
        SavepointKind::Cancel => (
            "cancel",
            format!(
                "cancel {who} with a savepoint to {dir} ({how}): Flink cancels it only once the savepoint completed"
            ),
        ),
        SavepointKind::Stop => (
            "stop-job",
            format!(
                "stop {who} with a savepoint to {dir} ({how}{}): it ends FINISHED only once the savepoint completed",
                if drain {
                    ", draining: MAX_WATERMARK first"
                } else {
                    ""
                }
            ),
        ),
    };
    Plan {
        operation: operation.into(),
        summary: vec![format!("{who} is {}", job.state)],
        steps: vec![Step {
            id: format!("{}/{}", kind.label(), job.jid),
            title,
            downtime: kind != SavepointKind::Savepoint,
            action: Action::SavepointJob {
                job_id: job.jid.clone(),
                job_name: job.name.clone(),
                kind,
                drain,
                format,
                target_dir,
                trigger_id,
                version: cluster.version,
            },
        }],
    }
}

/// The one-step plan of `flinkha run` (operation `run`): submit `spec` under the
/// pre-assigned `job_id`, from `savepoint` if any, wait until RUNNING, verify the restore.
/// Pure.
pub fn submit_plan(
    cluster: &Cluster,
    spec: &crate::core::jobspec::JobSpec,
    savepoint: Option<String>,
    job_id: String,
) -> crate::core::plan::Plan {
    use crate::core::plan::Plan;
    let parallelism = spec
        .parallelism
        .map(|p| format!("parallelism {p}"))
        .unwrap_or_else(|| "the cluster's parallelism.default".into());
    let title = match &savepoint {
        Some(p) => format!(
            "run {} ({parallelism}) as job {job_id} from savepoint {p} (claim mode {}{}), wait until every vertex is RUNNING, then verify it restored from {p}",
            spec.describe(),
            term(&spec.claim_mode),
            if spec.allow_non_restored_state {
                ", non-restored state allowed"
            } else {
                ""
            }
        ),
        None => format!(
            "run {} ({parallelism}) as job {job_id} without a savepoint (empty state), wait until every vertex is RUNNING",
            spec.describe()
        ),
    };
    let mut summary = vec![format!("jar SHA-256 {}", spec.jar_sha256)];
    if !spec.args.is_empty() {
        summary.push(format!("program arguments: {}", spec.args.join(" ")));
    }
    Plan {
        operation: "run".into(),
        summary,
        steps: vec![Step {
            id: format!("run/{job_id}"),
            title,
            downtime: false,
            action: Action::SubmitJob {
                spec: spec.clone(),
                savepoint,
                job_id,
                version: cluster.version,
            },
        }],
    }
}

/// Hosts whose install failed in a best-effort install step of the plan, if any.
fn failed_installs(journal: &JournalData) -> Option<Vec<String>> {
    let failed: Vec<String> = journal
        .plan
        .steps
        .iter()
        .filter(|s| {
            matches!(
                s.action,
                Action::Install {
                    best_effort: true,
                    ..
                }
            )
        })
        .filter_map(|s| journal.outcome(&s.id)?.get("hosts")?.as_array().cloned())
        .flatten()
        .filter(|h| h["result"].get("error").is_some())
        .filter_map(|h| h["host"].as_str().map(str::to_string))
        .collect();
    (!failed.is_empty()).then_some(failed)
}

/// An outcome struct as journal JSON.
fn json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::jobspec::JobSpec;
    use crate::core::ops::install::InstallState;
    use crate::core::plan::Plan;

    fn cluster() -> Cluster {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("conf.example/flinkha.yaml");
        Cluster::load(&example).unwrap()
    }

    fn state(sha: Option<&str>, current: Option<&str>) -> Option<InstallState> {
        Some(InstallState {
            installed_sha512: sha.map(str::to_string),
            current: current.map(str::to_string),
        })
    }

    /// The JSON a dry run prints is the plan the runner executes: it reads back equal.
    fn round_trips(p: &Plan) {
        let back: Plan = serde_json::from_value(serde_json::to_value(p).unwrap()).unwrap();
        assert_eq!(&back, p);
    }

    #[test]
    fn install_plan_says_which_hosts_are_a_no_op_and_activates_last() {
        let c = cluster();
        let states = vec![
            (
                "flink-1".to_string(),
                state(Some("AB12"), Some("flink-2.1.0")),
            ),
            (
                "flink-2".to_string(),
                state(Some("ffff"), Some("flink-2.0.0")),
            ),
            ("flink-3".to_string(), state(None, None)),
        ];
        let p = install_plan(&c, &[], &states, Some("ab12"), false);
        assert_eq!(p.operation, "install");
        assert_eq!(p.json_kind(), "install-plan");
        assert_eq!(p.steps.len(), 1);
        let t = &p.steps[0].title;
        assert!(t.contains("install flink-2.1.0 on flink-2, flink-3"), "{t}");
        assert!(t.contains("[already installed, no-op: flink-1]"), "{t}");
        assert!(t.contains("only where it does not exist yet"), "{t}");
        let r = p.render();
        assert!(r.contains("flink-1: flink-2.1.0 already installed (same SHA-512): no-op; `current` -> flink-2.1.0"), "{r}");
        assert!(
            r.contains("flink-2: flink-2.1.0 there with another SHA-512"),
            "{r}"
        );
        assert!(
            r.contains("flink-3: flink-2.1.0 not installed; no `current`"),
            "{r}"
        );
        assert!(matches!(
            &p.steps[0].action,
            Action::Install { hosts, link_if_unset: true, best_effort: true, .. } if hosts.is_empty()
        ));
        round_trips(&p);

        // Digest unknown without fetching (a URL): nothing is claimed a no-op.
        let p = install_plan(&c, &["flink-1".into()], &states[..1], None, true);
        assert!(!p.steps[0].title.contains("no-op"), "{}", p.steps[0].title);
        assert!(
            p.render()
                .contains("skipped if its SHA-512 is the verified one")
        );
        let ids: Vec<&str> = p.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["install/2.1.0", "activate/2.1.0"]);
        assert!(
            matches!(&p.steps[0].action, Action::Install { hosts, .. } if hosts == &["flink-1"])
        );
        round_trips(&p);
    }

    #[test]
    fn job_plans_are_one_step_with_their_idempotency_key() {
        let c = cluster();
        let job = crate::rest::JobSummary {
            jid: "a".repeat(32),
            name: "counter".into(),
            state: "RUNNING".into(),
            start_time: 0,
            duration: 0,
            tasks: Default::default(),
        };
        let sp = |kind, drain, dir: Option<&str>| {
            savepoint_plan(
                &c,
                &job,
                kind,
                drain,
                SavepointFormat::Native,
                dir.map(str::to_string),
                "t".repeat(32),
            )
        };
        let p = sp(SavepointKind::Savepoint, false, Some("file:///sp"));
        assert_eq!((p.operation.as_str(), p.steps.len()), ("savepoint", 1));
        assert!(!p.steps[0].downtime);
        let t = &p.steps[0].title;
        assert!(
            t.contains("savepoint of job counter (aaaa")
                && t.contains("to file:///sp (NATIVE format, trigger id tttt"),
            "{t}"
        );
        round_trips(&p);
        let p = sp(SavepointKind::Cancel, false, None);
        assert_eq!(p.operation, "cancel");
        assert!(p.steps[0].downtime);
        // No dir given: the cluster's default is shown, the request names none.
        let default = jobs::default_savepoint_dir(&c).unwrap();
        assert!(p.steps[0].title.contains(&default), "{}", p.steps[0].title);
        assert!(matches!(
            &p.steps[0].action,
            Action::SavepointJob {
                target_dir: None,
                kind: SavepointKind::Cancel,
                ..
            }
        ));
        let p = sp(SavepointKind::Stop, true, None);
        assert_eq!(p.json_kind(), "stop-job-plan");
        assert!(
            p.steps[0].title.contains("draining"),
            "{}",
            p.steps[0].title
        );
        assert!(
            matches!(&p.steps[0].action, Action::SavepointJob { drain: true, trigger_id, .. } if trigger_id == &"t".repeat(32))
        );
        round_trips(&p);

        let spec = JobSpec {
            declared: Some("counter".into()),
            jar: "/jobs/c.jar".into(),
            jar_sha256: "cd".into(),
            entry_class: Some("a.B".into()),
            args: vec!["--keys".into(), "4".into()],
            parallelism: Some(2),
            claim_mode: crate::rest::jobs::ClaimMode::Claim,
            allow_non_restored_state: false,
            savepoint_dir: None,
        };
        let p = submit_plan(&c, &spec, Some("file:/sp/s-1".into()), "b".repeat(32));
        assert_eq!(p.operation, "run");
        let t = &p.steps[0].title;
        assert!(
            t.contains("declared job counter (/jobs/c.jar), entry class a.B (parallelism 2)"),
            "{t}"
        );
        assert!(
            t.contains("from savepoint file:/sp/s-1 (claim mode CLAIM)"),
            "{t}"
        );
        assert!(t.contains("verify it restored from file:/sp/s-1"), "{t}");
        assert!(p.render().contains("program arguments: --keys 4"));
        round_trips(&p);
        let p = submit_plan(&c, &spec, None, "b".repeat(32));
        assert!(
            p.steps[0].title.contains("without a savepoint"),
            "{}",
            p.steps[0].title
        );
    }

    /// A best-effort start step after a failed one starts nothing; a failed install keeps
    /// `install --activate` from moving `current`.
    #[test]
    fn later_steps_read_earlier_failures_from_the_journal() {
        use crate::core::journal::{Entry, JournalData};
        use crate::core::ops::lifecycle::{InstanceAction, InstanceOutcome, LifecycleReport};
        let c = cluster();
        let probe = lifecycle::StartProbe {
            to_start: vec![
                (Role::ZooKeeper, "flink-1".into()),
                (Role::JobManager, "flink-1".into()),
            ],
            ..Default::default()
        };
        // Two start steps (the quorum, then the JobManagers), as a resumed upgrade has them.
        let only = |role| Selection {
            roles: vec![role],
            ..Default::default()
        };
        let mut plan = lifecycle::start_steps(&c, &only(Role::ZooKeeper), &probe);
        plan.steps
            .extend(lifecycle::start_steps(&c, &only(Role::JobManager), &probe).steps);
        let mut j = JournalData::new(plan, serde_json::Value::Null);
        let (zk, jm) = (j.plan.steps[0].id.clone(), j.plan.steps[1].id.clone());
        assert_eq!(failed_start_before(&j, &jm), None);
        let report = LifecycleReport {
            instances: vec![InstanceOutcome {
                host: "flink-1".into(),
                role: Role::ZooKeeper,
                action: InstanceAction::Failed { error: "x".into() },
            }],
            ..Default::default()
        };
        j.entries.push(Entry::Done {
            step: zk.clone(),
            at_ms: 1,
            outcome: json(&report),
        });
        assert_eq!(failed_start_before(&j, &jm), Some(Role::ZooKeeper));
        assert_eq!(failed_start_before(&j, &zk), None);

        let states = vec![("flink-1".to_string(), state(None, None))];
        let mut j = JournalData::new(
            install_plan(&c, &[], &states, None, true),
            serde_json::Value::Null,
        );
        assert_eq!(failed_installs(&j), None);
        j.entries.push(Entry::Done {
            step: "install/2.1.0".into(),
            at_ms: 1,
            outcome: serde_json::json!({"hosts": [
                {"host": "flink-1", "result": {"ok": {"action": "installed", "bytes": 1, "activated": false, "current_left_at": null}}},
                {"host": "flink-3", "result": {"error": "host flink-3: no space left"}},
            ]}),
        });
        assert_eq!(failed_installs(&j), Some(vec!["flink-3".to_string()]));
    }
}
