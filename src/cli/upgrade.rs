//! `flinkha upgrade [--plan] [--resume] [--rollback]`: the in-place version upgrade, its
//! resume after a crash and its rollback. Thin: preflight and plans come from
//! [`crate::core::ops::upgrade`], steps run through the journaled runner.

use std::time::Duration;

use clap::{Args, ValueEnum};

use super::{Context, Exit};
use crate::core::catalogue::Catalogue;
use crate::core::journal::{self, Entry, Journal, JournalData, State};
use crate::core::lock::OperatorLock;
use crate::core::model::Cluster;
use crate::core::ops::deployment::{self, PreviousState};
use crate::core::ops::shadow;
use crate::core::ops::upgrade::{self, ROLLBACK, UPGRADE, UpgradeOptions, UpgradeParams};
use crate::core::plan::Action;
use crate::core::{Error, ErrorKind};
use crate::flinkconf::{Finding, Severity};
use crate::output::{Format, prompt, table};

/// What to do when a job's move fails (its run or its verification).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnFailure {
    /// Ask at a terminal; without one, stop.
    Ask,
    /// Roll back at once: every job back on the old version from its pre-upgrade savepoint.
    Rollback,
    /// Stop and leave everything as it is (resume with `--resume`, or `--rollback`). In a
    /// shadow upgrade the failed job first goes back to the old deployment.
    Stop,
    /// Shadow upgrade: move the failed job back to the old deployment and go on with the
    /// other jobs (the shadow is then not made the only active deployment).
    Continue,
}

/// `upgrade` arguments.
#[derive(Debug, Args)]
#[command(after_help = "\
Edit flink.version (and flink.distribution) in the inventory, then:
  flinkha upgrade --plan      the preflight findings and the numbered steps; changes nothing
  flinkha upgrade             the same, asks, then runs it (--yes for scripts)
  flinkha upgrade --resume    go on after a crash, Ctrl-C or lost connection, from the journal
  flinkha upgrade --rollback  back to the old version, every job from its pre-upgrade savepoint
  flinkha upgrade --shadow    a second deployment of the new version beside the running one;
                              each job moved to it on its own; the old one keeps running, empty
  flinkha upgrade --finalize  after --shadow: stop the old deployment (kept for --rollback)

Every job is stopped with a savepoint (Flink ends it only once the savepoint completed),
resubmitted on the new version from it with claim mode NO_CLAIM, and verified: restored from
exactly that savepoint, N completed checkpoints after it, no restart, no new exception.")]
pub struct UpgradeArgs {
    /// Show the preflight and the plan; change nothing.
    #[arg(long, visible_alias = "dry-run", conflicts_with_all = ["resume"])]
    pub plan: bool,
    /// Upgrade with a shadow copy: a second deployment of the new version on the same hosts
    /// (own cluster-id, ports, dirs; same quorum), each job moved to it one at a time; the
    /// old one keeps running, empty, until --finalize.
    #[arg(long, conflicts_with_all = ["resume", "rollback", "finalize"])]
    pub shadow: bool,
    /// Take the shadow's ports from LO-HI (default: the first free ones above the old
    /// deployment's).
    #[arg(long, value_name = "LO-HI", requires = "shadow")]
    pub shadow_ports: Option<String>,
    /// After a shadow upgrade: stop the old deployment (it stays installed, with its conf,
    /// for --rollback).
    #[arg(long, conflicts_with_all = ["resume", "rollback"])]
    pub finalize: bool,
    /// Continue the interrupted upgrade (or rollback) from its journal.
    #[arg(long)]
    pub resume: bool,
    /// Go back to the version before the last upgrade, every job from its pre-upgrade
    /// savepoint (also after the upgrade completed).
    #[arg(long)]
    pub rollback: bool,
    /// When a job's run or verification fails.
    #[arg(long, value_enum, default_value_t = OnFailure::Ask)]
    pub on_failure: OnFailure,
    /// Completed checkpoints each restored job must make before it counts as verified.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub checkpoints: u32,
    /// Bound of each job's verification (e.g. `5m`).
    #[arg(long, value_parser = humantime::parse_duration, default_value = "5m")]
    pub verify_timeout: Duration,
    /// Bound of each stop-with-savepoint.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "5m")]
    pub savepoint_timeout: Duration,
    /// Allow 1.x → 2.x (state compatibility is not guaranteed; jobs must be rebuilt).
    #[arg(long)]
    pub allow_major_upgrade: bool,
}

impl UpgradeArgs {
    fn options(&self) -> UpgradeOptions {
        UpgradeOptions {
            checkpoints: self.checkpoints.max(1),
            savepoint_timeout: self.savepoint_timeout,
            verify_timeout: self.verify_timeout,
            allow_major: self.allow_major_upgrade,
            ..UpgradeOptions::default()
        }
    }
}

/// The unfinished journal of `operation`, if any.
async fn unfinished(c: &Cluster, operation: &str) -> anyhow::Result<Option<JournalData>> {
    Ok(journal::load(c, operation)
        .await?
        .filter(|j| !matches!(j.state, State::Completed | State::RolledBack)))
}

/// Refuse a new upgrade while an upgrade or a rollback is unfinished.
async fn refuse_unfinished(c: &Cluster) -> anyhow::Result<()> {
    if let Some(j) = unfinished(c, ROLLBACK).await? {
        return Err(Error::Journal {
            message: format!(
                "a rollback is {} (journal {}): finish it with `flinkha upgrade --resume` first",
                j.state.label(),
                journal::path_for(c, ROLLBACK).display()
            ),
        }
        .into());
    }
    if let Some(j) = unfinished(c, UPGRADE).await? {
        return Err(Error::Journal {
            message: format!(
                "an upgrade is already {} ({} of {} steps done; journal {}): continue it with `flinkha upgrade --resume` or go back with `flinkha upgrade --rollback`",
                j.state.label(),
                j.done_count(),
                j.plan.steps.len(),
                journal::path_for(c, UPGRADE).display()
            ),
        }
        .into());
    }
    Ok(())
}

/// Refuse a new upgrade while a shadow upgrade's old deployment still runs beside the active
/// one.
fn refuse_standby(c: &Cluster) -> anyhow::Result<()> {
    if let Some(rec) = deployment::load_local(c)?
        && let Some(prev) = &rec.previous
        && prev.state == PreviousState::Standby
    {
        return Err(Error::Refused {
            message: format!(
                "deployment {} (Flink {}) still runs beside the active {} (Flink {}): finish the shadow upgrade with `flinkha upgrade --finalize` (or go back with `flinkha upgrade --rollback`) first",
                prev.layout.name, prev.version, rec.layout.name, rec.version
            ),
        }
        .into());
    }
    Ok(())
}

/// Run `flinkha upgrade`.
pub async fn run(ctx: &Context, a: UpgradeArgs) -> anyhow::Result<Exit> {
    let c = ctx.valid_cluster()?;
    if a.finalize {
        return finalize(ctx, c, &a).await;
    }
    if a.rollback && a.plan {
        return rollback(ctx, c, &a, true).await;
    }
    if a.rollback {
        return rollback(ctx, c, &a, false).await;
    }
    if a.resume {
        return resume(ctx, c, &a).await;
    }
    let range = a
        .shadow_ports
        .as_deref()
        .map(shadow::parse_range)
        .transpose()?;
    // The plan alone changes nothing and takes no lock; the upgrade holds the lock from
    // before it looks at the journals to its end, so two operators never both start one.
    let lock = if a.plan {
        None
    } else {
        Some(OperatorLock::acquire(c, "upgrade").await?)
    };
    if let Err(e) = refuse_unfinished(c).await.and_then(|()| refuse_standby(c)) {
        if let Some(l) = lock {
            l.release().await;
        }
        return Err(e);
    }
    let opts = a.options();
    let catalogue = Catalogue::for_cluster(c);
    let reporter = ctx.reporter();
    // The preflight, the plan, its findings and JSON document, the journal's parameters.
    let prepared = if a.shadow {
        let pre = shadow::preflight(c, &ctx.sessions, &reporter, &catalogue, &opts, range).await;
        reporter.finish();
        pre.map(|pre| {
            let plan = shadow::plan(c, &pre, &opts);
            let findings: Vec<Finding> = pre.findings().into_iter().cloned().collect();
            let to_id = pre
                .derived
                .layout
                .keys
                .values()
                .find_map(|k| k.get("high-availability.cluster-id"))
                .cloned()
                .unwrap_or_default();
            let params = UpgradeParams {
                from: pre.base.from,
                to: pre.base.to,
                from_layout: c.deployment.clone(),
                shadow: Some(pre.derived.layout.clone()),
                cluster_ids: Some((pre.from_cluster_id.clone(), to_id)),
            };
            let doc = serde_json::to_value(crate::output::docs::ShadowUpgradePlan {
                preflight: &pre,
                plan: &plan,
                ok: pre.errors().is_empty(),
            });
            (
                plan,
                findings,
                Vec::new(),
                params,
                doc,
                pre.base.jobs.len(),
                "shadow-upgrade-plan",
            )
        })
    } else {
        let pre = upgrade::preflight(c, &ctx.sessions, &reporter, &catalogue, &opts).await;
        reporter.finish();
        pre.map(|pre| {
            let plan = upgrade::upgrade_plan(c, &pre, &opts);
            let params = UpgradeParams {
                from: pre.from,
                to: pre.to,
                from_layout: c.deployment.clone(),
                shadow: None,
                cluster_ids: None,
            };
            let doc = serde_json::to_value(crate::output::docs::UpgradePlan {
                preflight: &pre,
                plan: &plan,
                ok: pre.errors().is_empty(),
            });
            (
                plan,
                pre.findings.clone(),
                pre.conf_diffs.clone(),
                params,
                doc,
                pre.jobs.len(),
                "upgrade-plan",
            )
        })
    };
    let (plan, findings, conf_diffs, params, doc, jobs, kind) = match prepared {
        Ok(p) => p,
        Err(e) => {
            if let Some(l) = lock {
                l.release().await;
            }
            return Err(e.into());
        }
    };
    let errors = findings.iter().filter(|f| f.is_error()).count();
    if ctx.printer.format == Format::Json && a.plan {
        ctx.printer.json(kind, &doc?);
    }
    for f in &findings {
        match f.severity {
            Severity::Error => ctx.printer.warn(&format!("preflight: {f}")),
            _ => ctx.printer.status(&format!("preflight: {f}")),
        }
    }
    if errors > 0 {
        if let Some(l) = lock {
            l.release().await;
        }
        return Err(Error::Refused {
            message: format!(
                "the upgrade preflight found {errors} problem(s) (listed above); nothing was changed"
            ),
        }
        .into());
    }
    if ctx.printer.format != Format::Json || !a.plan {
        ctx.printer.status(&plan.render());
        for (host, diff) in &conf_diffs {
            ctx.printer
                .status(&format!("conf on {host} for Flink {}:\n{diff}", params.to));
        }
    }
    let Some(lock) = lock else {
        return Ok(Exit::Success);
    };
    if let Err(e) = prompt::confirm(
        ctx.global.yes,
        "upgrade",
        &format!(
            "Upgrade Flink {} → {}{} with {jobs} job(s) as planned above?",
            params.from,
            params.to,
            if a.shadow { " with a shadow copy" } else { "" },
        ),
    ) {
        lock.release().await;
        return Err(e.into());
    }
    let mut j = Journal::new(
        c,
        JournalData::new(plan, serde_json::to_value(&params)?),
        Some(&lock),
    );
    j.save().await?;
    let exit = execute(ctx, c, &a, &mut j, &lock).await;
    lock.release().await;
    exit
}

/// What to do after a shadow upgrade's failed job move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AfterMoveBack {
    /// Stop once the job is back.
    Stop,
    /// Go on with the other jobs.
    Continue,
    /// Roll everything back.
    Rollback,
}

/// Run (or go on with) the plan of `j`, then print its report; on a failed job move, move
/// the job back (shadow) or roll back when asked to.
async fn execute(
    ctx: &Context,
    c: &Cluster,
    a: &UpgradeArgs,
    j: &mut Journal<'_>,
    lock: &OperatorLock,
) -> anyhow::Result<Exit> {
    let reporter = ctx.reporter();
    let r = ctx
        .run_plan(c, j, a.options(), &reporter, "flinkha upgrade --resume")
        .await;
    reporter.finish();
    match r {
        Ok(()) => {
            if j.data.plan.operation == ROLLBACK
                && let Some(mut up) = journal::load(c, UPGRADE).await?
            {
                up.state = State::RolledBack;
                Journal::new(c, up, Some(lock)).save().await?;
            }
            print_report(ctx, &upgrade::report(&j.data));
            Ok(Exit::Success)
        }
        Err(e @ Error::Interrupted { .. }) => {
            print_report(ctx, &upgrade::report(&j.data));
            ctx.printer.warn(&e.to_string());
            Ok(Exit::Cancelled)
        }
        Err(e) => {
            let failed_step = j.data.last_failure().map(|(s, _, _)| s.to_string());
            let job_move_failed = j.data.plan.operation == UPGRADE
                && failed_step
                    .as_deref()
                    .is_some_and(|s| s.starts_with("run-job/") || s.starts_with("verify-job/"))
                && matches!(
                    e.kind(),
                    ErrorKind::Job | ErrorKind::Refused | ErrorKind::Timeout
                );
            if !job_move_failed {
                print_report(ctx, &upgrade::report(&j.data));
                return Err(anyhow::Error::new(e).context(format!(
                    "the {} stopped at step {}; nothing after it was done. `flinkha upgrade --resume` retries it, `flinkha upgrade --rollback` goes back",
                    j.data.plan.operation,
                    failed_step.unwrap_or_default()
                )));
            }
            ctx.printer.warn(&crate::core::error_chain(&e));
            let shadow = serde_json::from_value::<UpgradeParams>(j.data.params.clone())
                .is_ok_and(|p| p.shadow.is_some());
            let decision = match a.on_failure {
                OnFailure::Rollback => AfterMoveBack::Rollback,
                OnFailure::Stop => AfterMoveBack::Stop,
                OnFailure::Continue if shadow => AfterMoveBack::Continue,
                OnFailure::Continue => AfterMoveBack::Stop,
                OnFailure::Ask if shadow => match prompt::choose(
                    "A job did not come back cleanly on the shadow. It goes back to the old deployment from the same savepoint; then:",
                    &[
                        "stop there (the jobs already moved stay on the shadow)",
                        "go on with the other jobs",
                        "roll back every job to the old deployment",
                    ],
                ) {
                    Some(1) => AfterMoveBack::Continue,
                    Some(2) => AfterMoveBack::Rollback,
                    _ => AfterMoveBack::Stop,
                },
                OnFailure::Ask => {
                    if crate::output::Printer::can_prompt()
                        && prompt::confirm(
                            false,
                            "rollback",
                            "A job did not come back cleanly on the new version. Roll back now (every job to the old version from its pre-upgrade savepoint)?",
                        )
                        .is_ok()
                    {
                        AfterMoveBack::Rollback
                    } else {
                        AfterMoveBack::Stop
                    }
                }
            };
            if shadow && decision != AfterMoveBack::Rollback {
                let failed = failed_step.unwrap_or_default();
                let name = shadow::amend_move_back(
                    &mut j.data,
                    &failed,
                    decision == AfterMoveBack::Continue,
                    a.checkpoints.max(1),
                )?;
                j.save().await?;
                ctx.printer.status(&format!(
                    "moving {name} back to the old deployment from the same savepoint"
                ));
                let reporter = ctx.reporter();
                let r = ctx
                    .run_plan(c, j, a.options(), &reporter, "flinkha upgrade --resume")
                    .await;
                reporter.finish();
                if r.is_ok() {
                    // Settled, but not an upgrade: a job stays on the old deployment.
                    j.data.state = State::Failed;
                    j.save().await?;
                }
                print_report(ctx, &upgrade::report(&j.data));
                r?;
                ctx.printer.warn(&format!(
                    "{name} runs on the old deployment again (verified); the upgrade did not complete. `flinkha upgrade --rollback` brings the moved jobs back too and stops the shadow"
                ));
                return Ok(Exit::Failure);
            }
            if decision != AfterMoveBack::Rollback {
                print_report(ctx, &upgrade::report(&j.data));
                ctx.printer.status(
                    "stopped; the journal keeps every step. `flinkha upgrade --rollback` goes back, `flinkha upgrade --resume` retries the failed step",
                );
                return Ok(Exit::Failure);
            }
            // One document in JSON: the rollback's report says where every job is.
            if ctx.printer.format != Format::Json {
                print_report(ctx, &upgrade::report(&j.data));
            }
            let plan = upgrade::rollback_plan(c, &j.data, &a.options())?;
            ctx.printer.status(&plan.render());
            let mut rb = Journal::new(c, JournalData::new(plan, j.data.params.clone()), Some(lock));
            rb.save().await?;
            let exit = Box::pin(execute(ctx, c, a, &mut rb, lock)).await?;
            // The upgrade failed either way; the rollback's own outcome is in its report.
            Ok(if exit == Exit::Success {
                Exit::Failure
            } else {
                exit
            })
        }
    }
}

async fn resume(ctx: &Context, c: &Cluster, a: &UpgradeArgs) -> anyhow::Result<Exit> {
    let lock = OperatorLock::acquire(c, "upgrade --resume").await?;
    let data = match unfinished(c, ROLLBACK).await? {
        Some(j) => Some(j),
        None => match unfinished(c, shadow::FINALIZE).await? {
            Some(j) => Some(j),
            None => unfinished(c, UPGRADE).await?,
        },
    };
    let Some(data) = data else {
        lock.release().await;
        return Err(Error::Journal {
            message: format!(
                "nothing to resume: no unfinished upgrade or rollback in {} (or its ZooKeeper mirror)",
                journal::path_for(c, UPGRADE).display()
            ),
        }
        .into());
    };
    if data.next_step().is_none() {
        lock.release().await;
        return Err(Error::Journal {
            message: format!(
                "the {} ended {} with nothing left to do (a job could not move and went back to the old deployment): `flinkha upgrade --rollback` brings every job back to Flink {}",
                data.plan.operation,
                data.state.label(),
                serde_json::from_value::<UpgradeParams>(data.params.clone())
                    .map(|p| p.from.to_string())
                    .unwrap_or_default()
            ),
        }
        .into());
    }
    ctx.printer.status(&format!(
        "resuming the {} ({}): {} of {} steps done",
        data.plan.operation,
        data.state.label(),
        data.done_count(),
        data.plan.steps.len()
    ));
    let mut j = Journal::new(c, data, Some(&lock));
    let exit = execute(ctx, c, a, &mut j, &lock).await;
    lock.release().await;
    exit
}

async fn rollback(
    ctx: &Context,
    c: &Cluster,
    a: &UpgradeArgs,
    plan_only: bool,
) -> anyhow::Result<Exit> {
    if let Some(j) = unfinished(c, ROLLBACK).await? {
        return Err(Error::Journal {
            message: format!(
                "a rollback is already {} ({} of {} steps done): continue it with `flinkha upgrade --resume`",
                j.state.label(),
                j.done_count(),
                j.plan.steps.len()
            ),
        }
        .into());
    }
    let Some(up) = journal::load(c, UPGRADE).await? else {
        return Err(Error::Journal {
            message: format!(
                "no upgrade to roll back: {} does not exist",
                journal::path_for(c, UPGRADE).display()
            ),
        }
        .into());
    };
    if up.state == State::RolledBack {
        return Err(Error::Journal {
            message: "the last upgrade was rolled back already".into(),
        }
        .into());
    }
    let plan = upgrade::rollback_plan(c, &up, &a.options())?;
    if ctx.printer.format == Format::Json && plan_only {
        ctx.printer.json("rollback-plan", &plan);
    } else {
        ctx.printer.status(&plan.render());
    }
    if plan_only {
        return Ok(Exit::Success);
    }
    let lock = OperatorLock::acquire(c, "upgrade --rollback").await?;
    if let Err(e) = prompt::confirm(ctx.global.yes, "rollback", "Roll back as planned above?") {
        lock.release().await;
        return Err(e.into());
    }
    let mut j = Journal::new(c, JournalData::new(plan, up.params.clone()), Some(&lock));
    j.save().await?;
    let exit = execute(ctx, c, a, &mut j, &lock).await;
    lock.release().await;
    exit
}

fn ms_text(ms: Option<u64>) -> String {
    ms.map(|m| format!("{:.1} s", m as f64 / 1000.0))
        .unwrap_or_else(|| "-".into())
}

fn print_report(ctx: &Context, r: &upgrade::Report) {
    if ctx.printer.format == Format::Json {
        ctx.printer.json(&r.operation, r);
        return;
    }
    let mut head = vec!["job", "job id"];
    if r.shadow {
        head.push("cluster-id");
    }
    head.extend(["savepoint", "downtime", "verified"]);
    let mut t = table::new(&head);
    for jr in &r.jobs {
        let mut row = vec![
            jr.name.clone(),
            format!(
                "{} → {}",
                jr.old_job_id,
                jr.new_job_id.as_deref().unwrap_or("-")
            ),
        ];
        if r.shadow {
            row.push(if jr.moved_back {
                format!(
                    "{} (moved back: its move failed)",
                    jr.old_cluster_id.as_deref().unwrap_or("-")
                )
            } else {
                format!(
                    "{} → {}",
                    jr.old_cluster_id.as_deref().unwrap_or("-"),
                    jr.new_cluster_id.as_deref().unwrap_or("-")
                )
            });
        }
        row.extend([
            jr.savepoint.clone().unwrap_or_else(|| "-".into()),
            ms_text(jr.downtime_ms),
            if jr.verified { "yes" } else { "no" }.into(),
        ]);
        t.add_row(row);
    }
    if !r.jobs.is_empty() {
        ctx.printer.data(&t.to_string());
    }
    let side = r
        .side_by_side_since_ms
        .map(|s| {
            format!(
                "; old and new deployments side by side for {} so far (until --finalize)",
                ms_text(Some(crate::core::catalogue::now_ms().saturating_sub(s)))
            )
        })
        .unwrap_or_default();
    ctx.printer.status(&format!(
        "{} {}: {} of {} steps, Flink {} → {}, {}{side}",
        r.operation,
        r.state.label(),
        r.steps_done,
        r.steps,
        r.from.map(|v| v.to_string()).unwrap_or_default(),
        r.to.map(|v| v.to_string()).unwrap_or_default(),
        ms_text(Some(r.total_ms))
    ));
}

/// `flinkha upgrade --finalize`: stop the old deployment of a completed shadow upgrade.
async fn finalize(ctx: &Context, c: &Cluster, a: &UpgradeArgs) -> anyhow::Result<Exit> {
    let lock = if a.plan {
        None
    } else {
        Some(OperatorLock::acquire(c, "upgrade --finalize").await?)
    };
    let planned = finalize_plan(ctx, c).await;
    let (plan, up) = match planned {
        Ok(p) => p,
        Err(e) => {
            if let Some(l) = lock {
                l.release().await;
            }
            return Err(e);
        }
    };
    if ctx.printer.format == Format::Json && a.plan {
        ctx.printer.json("finalize-plan", &plan);
    } else {
        ctx.printer.status(&plan.render());
    }
    let Some(lock) = lock else {
        return Ok(Exit::Success);
    };
    if let Err(e) = prompt::confirm(ctx.global.yes, "finalize", "Finalize as planned above?") {
        lock.release().await;
        return Err(e.into());
    }
    let mut j = Journal::new(c, JournalData::new(plan, up.params.clone()), Some(&lock));
    j.save().await?;
    let reporter = ctx.reporter();
    let r = ctx
        .run_plan(
            c,
            &mut j,
            a.options(),
            &reporter,
            "flinkha upgrade --resume",
        )
        .await;
    reporter.finish();
    let data = j.data.clone();
    drop(j);
    lock.release().await;
    let params: UpgradeParams = serde_json::from_value(up.params.clone())?;
    let side_by_side_ms = match (
        upgrade::report(&up).side_by_side_since_ms,
        data.entries.iter().rev().find_map(|e| match e {
            Entry::Done { step, at_ms, .. } if step.starts_with("stop-daemons/") => Some(*at_ms),
            _ => None,
        }),
    ) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a)),
        _ => None,
    };
    let doc = serde_json::json!({
        "state": data.state,
        "stopped": params.from_layout.name,
        "stopped_version": params.from,
        "active": params.shadow.as_ref().map(|d| d.name.clone()),
        "active_version": params.to,
        "side_by_side_ms": side_by_side_ms,
    });
    if ctx.printer.format == Format::Json {
        ctx.printer.json("finalize", &doc);
    }
    r?;
    ctx.printer.status(&format!(
        "finalized: deployment {} (Flink {}) stopped, kept installed for `flinkha upgrade --rollback`; {} (Flink {}) is the active one; the two ran side by side for {}",
        params.from_layout.name,
        params.from,
        params.shadow.as_ref().map(|d| d.name.as_str()).unwrap_or_default(),
        params.to,
        ms_text(side_by_side_ms)
    ));
    Ok(Exit::Success)
}

/// The finalize plan of the completed shadow upgrade, and that upgrade's journal; refused
/// when there is none, or the old deployment still runs a job.
async fn finalize_plan(
    ctx: &Context,
    c: &Cluster,
) -> anyhow::Result<(crate::core::plan::Plan, JournalData)> {
    if let Some(j) = unfinished(c, shadow::FINALIZE).await? {
        return Err(Error::Journal {
            message: format!(
                "a finalize is already {}: continue it with `flinkha upgrade --resume`",
                j.state.label()
            ),
        }
        .into());
    }
    let up = journal::load(c, UPGRADE).await?;
    let params = up
        .as_ref()
        .and_then(|j| serde_json::from_value::<UpgradeParams>(j.params.clone()).ok());
    let (Some(up), Some(params)) = (up, params) else {
        return Err(Error::Refused {
            message: "nothing to finalize: no shadow upgrade on record".into(),
        }
        .into());
    };
    if params.shadow.is_none() || up.state == State::RolledBack {
        return Err(Error::Refused {
            message: "nothing to finalize: the last upgrade was not a shadow upgrade, or it was rolled back".into(),
        }
        .into());
    }
    if up.state != State::Completed {
        return Err(Error::Refused {
            message: format!(
                "the shadow upgrade is {} ({} of {} steps): complete it (`flinkha upgrade --resume`) or roll it back (`flinkha upgrade --rollback`) before finalizing",
                up.state.label(),
                up.done_count(),
                up.plan.steps.len()
            ),
        }
        .into());
    }
    if let Some(rec) = deployment::load_local(c)?
        && rec
            .previous
            .as_ref()
            .is_some_and(|p| p.state == PreviousState::Stopped)
    {
        return Err(Error::Refused {
            message: format!(
                "deployment {} was finalized already",
                params.from_layout.name
            ),
        }
        .into());
    }
    // The old deployment must be empty: a job someone started there since would be lost.
    let old = upgrade::cluster_for(&c.inventory_path, &params.from, &params.from_layout)?;
    let reporter = ctx.reporter();
    let api = crate::core::ops::leader_rest::LeaderRest::new(&old, &reporter);
    let jobs = api.call(|cl| async move { cl.jobs().await }).await;
    reporter.finish();
    let mut known: Vec<String> = up
        .plan
        .steps
        .iter()
        .filter_map(|s| match &s.action {
            Action::StopJob { job, .. } => Some(job.job_id.clone()),
            Action::RunJob { new_job_id, .. } => Some(new_job_id.clone()),
            _ => None,
        })
        .collect();
    match jobs {
        Ok(list) => {
            let running: Vec<String> = list
                .iter()
                .filter(|j| !crate::rest::jobs::JobDetails::is_terminal(&j.state))
                .map(|j| format!("{} ({}, {})", j.name, j.jid, j.state))
                .collect();
            if !running.is_empty() {
                return Err(Error::Refused {
                    message: format!(
                        "the old deployment {} still runs job(s) {}: move or stop them first (`flinkha stop JOB` against it), then finalize",
                        params.from_layout.name,
                        running.join(", ")
                    ),
                }
                .into());
            }
            known.extend(list.into_iter().map(|j| j.jid));
        }
        Err(e) => ctx.printer.warn(&format!(
            "the old deployment's JobManagers do not answer ({}); finalizing stops what is left of it",
            crate::core::error_chain(&e)
        )),
    }
    Ok((shadow::finalize_plan(c, &params, known), up))
}
