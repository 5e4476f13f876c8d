//! `flinkha upgrade [--plan] [--resume] [--rollback]`: the in-place version upgrade, its
//! resume after a crash and its rollback. Thin: preflight and plans come from
//! [`crate::core::ops::upgrade`], steps run through the journaled runner.

use std::time::Duration;

use clap::{Args, ValueEnum};

use super::{Context, Exit};
use crate::core::catalogue::Catalogue;
use crate::core::journal::{self, Journal, JournalData, State};
use crate::core::lock::OperatorLock;
use crate::core::model::Cluster;
use crate::core::ops::upgrade::{self, ROLLBACK, UPGRADE, UpgradeOptions, UpgradeParams};
use crate::core::{Error, ErrorKind};
use crate::flinkconf::Severity;
use crate::output::{Format, prompt, table};

/// What to do when a job's move fails (its run or its verification).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnFailure {
    /// Ask at a terminal; without one, stop.
    Ask,
    /// Roll back at once: every job back on the old version from its pre-upgrade savepoint.
    Rollback,
    /// Stop and leave everything as it is (resume with `--resume`, or `--rollback`).
    Stop,
}

/// `upgrade` arguments.
#[derive(Debug, Args)]
#[command(after_help = "\
Edit flink.version (and flink.distribution) in the inventory, then:
  flinkha upgrade --plan      the preflight findings and the numbered steps; changes nothing
  flinkha upgrade             the same, asks, then runs it (--yes for scripts)
  flinkha upgrade --resume    go on after a crash, Ctrl-C or lost connection, from the journal
  flinkha upgrade --rollback  back to the old version, every job from its pre-upgrade savepoint

Every job is stopped with a savepoint (Flink ends it only once the savepoint completed),
resubmitted on the new version from it with claim mode NO_CLAIM, and verified: restored from
exactly that savepoint, N completed checkpoints after it, no restart, no new exception.")]
pub struct UpgradeArgs {
    /// Show the preflight and the plan; change nothing.
    #[arg(long, visible_alias = "dry-run", conflicts_with_all = ["resume"])]
    pub plan: bool,
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

/// Run `flinkha upgrade`.
pub async fn run(ctx: &Context, a: UpgradeArgs) -> anyhow::Result<Exit> {
    let c = ctx.valid_cluster()?;
    if a.rollback && a.plan {
        return rollback(ctx, c, &a, true).await;
    }
    if a.rollback {
        return rollback(ctx, c, &a, false).await;
    }
    if a.resume {
        return resume(ctx, c, &a).await;
    }
    // The plan alone changes nothing and takes no lock; the upgrade holds the lock from
    // before it looks at the journals to its end, so two operators never both start one.
    let lock = if a.plan {
        None
    } else {
        Some(OperatorLock::acquire(c, "upgrade").await?)
    };
    if let Err(e) = refuse_unfinished(c).await {
        if let Some(l) = lock {
            l.release().await;
        }
        return Err(e);
    }
    let opts = a.options();
    let catalogue = Catalogue::for_cluster(c);
    let reporter = ctx.reporter();
    let pre = upgrade::preflight(c, &ctx.sessions, &reporter, &catalogue, &opts).await;
    reporter.finish();
    let pre = pre?;
    let plan = upgrade::upgrade_plan(c, &pre, &opts);
    let errors = pre.errors().len();
    if ctx.printer.format == Format::Json && a.plan {
        ctx.printer.json(
            "upgrade-plan",
            &crate::output::docs::UpgradePlan {
                preflight: &pre,
                plan: &plan,
                ok: errors == 0,
            },
        );
    }
    for f in &pre.findings {
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
        for (host, diff) in &pre.conf_diffs {
            ctx.printer
                .status(&format!("conf on {host} for Flink {}:\n{diff}", pre.to));
        }
    }
    let Some(lock) = lock else {
        return Ok(Exit::Success);
    };
    if let Err(e) = prompt::confirm(
        ctx.global.yes,
        "upgrade",
        &format!(
            "Upgrade Flink {} → {} with {} job(s) as planned above?",
            pre.from,
            pre.to,
            pre.jobs.len()
        ),
    ) {
        lock.release().await;
        return Err(e.into());
    }
    let params = serde_json::to_value(UpgradeParams {
        from: pre.from,
        to: pre.to,
    })?;
    let mut j = Journal::new(c, JournalData::new(plan, params), Some(&lock));
    j.save().await?;
    let exit = execute(ctx, c, &a, &mut j, &lock).await;
    lock.release().await;
    exit
}

/// Run (or go on with) the plan of `j`, then print its report; on a failed job move, roll
/// back when asked to.
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
    let report = upgrade::report(&j.data);
    print_report(ctx, &report);
    match r {
        Ok(()) => {
            if j.data.plan.operation == ROLLBACK
                && let Some(mut up) = journal::load(c, UPGRADE).await?
            {
                up.state = State::RolledBack;
                Journal::new(c, up, Some(lock)).save().await?;
            }
            Ok(Exit::Success)
        }
        Err(e @ Error::Interrupted { .. }) => {
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
                return Err(anyhow::Error::new(e).context(format!(
                    "the {} stopped at step {}; nothing after it was done. `flinkha upgrade --resume` retries it, `flinkha upgrade --rollback` goes back",
                    j.data.plan.operation,
                    failed_step.unwrap_or_default()
                )));
            }
            ctx.printer.warn(&crate::core::error_chain(&e));
            let go_back = match a.on_failure {
                OnFailure::Rollback => true,
                OnFailure::Stop => false,
                OnFailure::Ask => {
                    crate::output::Printer::can_prompt()
                        && prompt::confirm(
                            false,
                            "rollback",
                            "A job did not come back cleanly on the new version. Roll back now (every job to the old version from its pre-upgrade savepoint)?",
                        )
                        .is_ok()
                }
            };
            if !go_back {
                ctx.printer.status(
                    "stopped; the journal keeps every step. `flinkha upgrade --rollback` goes back, `flinkha upgrade --resume` retries the failed step",
                );
                return Ok(Exit::Failure);
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
        None => unfinished(c, UPGRADE).await?,
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
    let mut t = table::new(&["job", "job id", "savepoint", "downtime", "verified"]);
    for jr in &r.jobs {
        t.add_row(vec![
            jr.name.clone(),
            format!(
                "{} → {}",
                jr.old_job_id,
                jr.new_job_id.as_deref().unwrap_or("-")
            ),
            jr.savepoint.clone().unwrap_or_else(|| "-".into()),
            ms_text(jr.downtime_ms),
            if jr.verified { "yes" } else { "no" }.into(),
        ]);
    }
    if !r.jobs.is_empty() {
        ctx.printer.data(&t.to_string());
    }
    ctx.printer.status(&format!(
        "{} {}: {} of {} steps, Flink {} → {}, {}",
        r.operation,
        r.state.label(),
        r.steps_done,
        r.steps,
        r.from.map(|v| v.to_string()).unwrap_or_default(),
        r.to.map(|v| v.to_string()).unwrap_or_default(),
        ms_text(Some(r.total_ms))
    ));
}
