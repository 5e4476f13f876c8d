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
    let client = crate::zk::connect(&cluster.ha.quorum, Duration::from_secs(10)).await?;
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
        let client = crate::zk::connect_with(
            &c.ha.quorum,
            &crate::zk::ConnectOptions {
                readonly: false,
                ..Default::default()
            },
        )
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
        let deadline = Instant::now() + self.opts.run_timeout;
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

    async fn start_daemons(&self, version: &Version, roles: &[Role]) -> Result<serde_json::Value> {
        let c = self.cluster(version)?;
        let report = lifecycle::start(
            c,
            self.sessions,
            self.reporter,
            &Selection {
                roles: roles.to_vec(),
                hosts: vec![],
            },
        )
        .await?;
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
        let deadline = Instant::now() + self.opts.verify_timeout;
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
            Action::Install { version } => {
                let c = self.cluster(version)?;
                let tarball = super::install::fetch_and_verify(c, self.reporter).await?;
                let hosts: Vec<&Host> = c.hosts.iter().collect();
                let outcomes = tokio::task::block_in_place(|| {
                    super::install::install_on_hosts(
                        c,
                        self.sessions,
                        self.reporter,
                        &hosts,
                        &tarball,
                        super::install::LinkCurrent::Never,
                    )
                });
                let mut installed = 0;
                for o in outcomes {
                    if matches!(
                        o.result?.action,
                        super::install::InstallAction::Installed { .. }
                    ) {
                        installed += 1;
                    }
                }
                serde_json::json!({ "version": version, "installed_on": installed })
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
            Action::StartDaemons { version, roles } => self.start_daemons(version, roles).await?,
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

/// An outcome struct as journal JSON.
fn json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}
