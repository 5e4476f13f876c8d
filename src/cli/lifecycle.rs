//! `flinkha start` and `flinkha stop` (also used by `flinkha zk start|stop`).

use clap::Args;
use serde::Serialize;

use super::{Context, Exit};
use crate::core::journal::{Journal, JournalData};
use crate::core::lock::OperatorLock;
use crate::core::model::Role;
use crate::core::ops::lifecycle::{self, InstanceAction, LifecycleReport, Selection};
use crate::core::plan::Plan;
use crate::output::{Format, prompt, table};

/// Which parts of the cluster.
#[derive(Debug, Args, Clone, Default)]
pub struct PartArgs {
    /// The ZooKeeper quorum.
    #[arg(long)]
    pub zk: bool,
    /// The JobManagers.
    #[arg(long)]
    pub jobmanagers: bool,
    /// The TaskManagers.
    #[arg(long)]
    pub taskmanagers: bool,
    /// Only these hosts (repeatable; `-H` without a name picks one at the terminal).
    #[arg(long, short = 'H', value_name = "HOST", num_args = 0..=1, default_missing_value = super::complete::HOST_PICK, add = clap_complete::engine::ArgValueCompleter::new(super::complete::hosts))]
    pub host: Vec<String>,
}

impl PartArgs {
    /// The selection (no role flag = every role).
    pub fn selection(&self) -> Selection {
        let mut roles = Vec::new();
        if self.zk {
            roles.push(Role::ZooKeeper);
        }
        if self.jobmanagers {
            roles.push(Role::JobManager);
        }
        if self.taskmanagers {
            roles.push(Role::TaskManager);
        }
        Selection {
            roles,
            hosts: self.host.clone(),
        }
    }
}

/// `start` arguments.
#[derive(Debug, Args)]
pub struct StartArgs {
    /// Which parts.
    #[command(flatten)]
    pub parts: PartArgs,
    /// Show the plan (what starts where, what already runs); start nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `stop` arguments: cluster parts, or a job to stop with a savepoint.
#[derive(Debug, Args)]
pub struct StopArgs {
    /// Which parts.
    #[command(flatten)]
    pub parts: PartArgs,
    /// A job to stop with a savepoint instead.
    #[command(flatten)]
    pub job: super::jobs::StopJobArgs,
    /// Show the plan (what runs where, with pids; with JOB: the stop-with-savepoint); stop
    /// nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Stop every running job with a savepoint (Flink's stop-with-savepoint, to the
    /// cluster's savepoint dir, recorded in the catalogue) before any daemon is stopped; a
    /// savepoint that fails ends the plan with every daemon still up. Offered at a terminal
    /// when high availability is off (nothing would recover the jobs).
    #[arg(long, conflicts_with_all = ["job", "savepoint", "drain"])]
    pub with_savepoints: bool,
}

fn print_report(ctx: &Context, kind: &str, r: &LifecycleReport) -> Exit {
    if ctx.printer.format == Format::Json {
        ctx.printer.json(kind, r);
    } else {
        let mut t = table::new(&["role", "host", "result"]);
        for i in &r.instances {
            let text = match &i.action {
                InstanceAction::Started { pid } => format!("started, pid {pid}"),
                InstanceAction::AlreadyRunning { pid } => {
                    format!("already running, pid {pid}: nothing done")
                }
                InstanceAction::Stopped { pid } => format!("stopped, pid {pid}"),
                InstanceAction::Killed { pid } => {
                    format!("did not exit in time: SIGKILL, pid {pid}")
                }
                InstanceAction::NotRunning => "not running: nothing done".into(),
                InstanceAction::Failed { error } => format!("FAILED: {error}"),
                InstanceAction::Skipped { reason } => format!("skipped: {reason}"),
            };
            t.add_row(vec![i.role.label().to_string(), i.host.clone(), text]);
        }
        ctx.printer.data(&t.to_string());
        let secs = |ms: u64| ms as f64 / 1000.0;
        for (role, ms) in &r.role_ms {
            match r.launch_ms.iter().find(|(l, _)| l == role) {
                Some((_, launch)) => ctx.printer.status(&format!(
                    "{role}s: launched in {:.1} s, healthy at {:.1} s",
                    secs(*launch),
                    secs(*ms)
                )),
                None => ctx.printer.status(&format!("{role}s: {:.1} s", secs(*ms))),
            }
        }
        if let Some(l) = &r.leader {
            ctx.printer.status(&format!("leader REST endpoint: {l}"));
        }
        for e in &r.errors {
            ctx.printer.warn(e);
        }
    }
    let failed = r
        .instances
        .iter()
        .filter(|i| {
            matches!(
                i.action,
                InstanceAction::Failed { .. } | InstanceAction::Skipped { .. }
            )
        })
        .count();
    if r.failed() {
        if failed < r.instances.len() && r.errors.is_empty() {
            Exit::Partial
        } else {
            Exit::Failure
        }
    } else {
        Exit::Success
    }
}

/// Print `plan` for people (stderr, as `--dry-run`, `--plan` and the confirmation show it)
/// and, in a dry run with `--output json`, as the `<operation>-plan` document (the plan
/// itself: `operation`, `summary`, `steps`). True for a dry run: the caller stops there.
pub fn show_plan(ctx: &Context, plan: &Plan, dry_run: bool) -> bool {
    ctx.printer.status(plan.render().trim_end());
    if dry_run {
        if ctx.printer.format == Format::Json {
            ctx.printer.json(&plan.json_kind(), plan);
        }
        ctx.printer.status("dry run: nothing was changed");
    }
    dry_run
}

/// Merge the lifecycle reports of a plan's steps' outcomes into one.
fn merged_report(data: &JournalData) -> LifecycleReport {
    let mut report = LifecycleReport::default();
    for s in &data.plan.steps {
        if let Some(o) = data.outcome(&s.id)
            && let Ok(part) = serde_json::from_value::<LifecycleReport>(o.clone())
        {
            report.instances.extend(part.instances);
            report.role_ms.extend(part.role_ms);
            report.launch_ms.extend(part.launch_ms);
            report.errors.extend(part.errors);
            if part.leader.is_some() {
                report.leader = part.leader;
            }
        }
    }
    report
}

/// Run `start` for a selection: probe what runs (read-only), plan (quorum → JobManagers →
/// TaskManagers, each health-gated; what runs already is a no-op), then the plan's steps
/// through the journaled runner.
pub async fn start_selection(ctx: &Context, sel: Selection, dry_run: bool) -> anyhow::Result<Exit> {
    let c = ctx.valid_cluster()?;
    let probed = lifecycle::probe_start(c, &ctx.sessions, &sel).await?;
    for (h, e) in &probed.unreachable {
        ctx.printer.warn(&format!("{h}: not probed: {e}"));
    }
    let plan = lifecycle::start_steps(c, &sel, &probed);
    if show_plan(ctx, &plan, dry_run) {
        return Ok(Exit::Success);
    }
    let reporter = ctx.reporter();
    let mut j = Journal::new(c, JournalData::new(plan, serde_json::Value::Null), None);
    let r = ctx
        .run_plan(c, &mut j, Default::default(), &reporter, "flinkha start")
        .await;
    reporter.finish();
    r?;
    Ok(print_report(ctx, "start", &merged_report(&j.data)))
}

/// The operator lock for a mutating cluster command: refused when another flinkha holds it,
/// or when the quorum refuses flinkha's login (wrong SASL credentials, unusable security
/// settings: [`crate::zk::ZkError::is_login_failure`]); when ZooKeeper can't be reached (the
/// quorum is down) the command goes on without it.
pub async fn take_lock(
    ctx: &Context,
    c: &crate::core::model::Cluster,
    command: &str,
) -> anyhow::Result<Option<OperatorLock>> {
    if !c.ha.enabled {
        return Ok(None);
    }
    match OperatorLock::acquire(c, command).await {
        Ok(l) => Ok(Some(l)),
        Err(e @ crate::core::Error::Locked { .. }) => Err(e.into()),
        Err(e) if matches!(&e, crate::core::Error::Zk(z) if z.is_login_failure()) => Err(e.into()),
        Err(e) => {
            ctx.printer.warn(&format!(
                "no operator lock ({}): going on without it",
                crate::core::error_chain(&e)
            ));
            Ok(None)
        }
    }
}

/// Run `stop` for a selection: probe, plan, ask, then the plan's steps through the
/// journaled runner under the operator lock.
///
/// `with_savepoints`: every running job is first stopped with a savepoint (steps before the
/// daemons'); offered at a terminal when HA is off and jobs run.
/// What stopping the JobManagers does to `jobs`: with HA they are suspended and recovered by
/// the next start; without HA (`high-availability.type: none`) there is no store to recover
/// them from, so they are lost, and the message says how to stop them with a savepoint first.
fn running_jobs_warning(
    c: &crate::core::model::Cluster,
    jobs: &[crate::rest::JobSummary],
) -> String {
    let names = jobs
        .iter()
        .map(|j| format!("{} ({})", j.name, j.jid))
        .collect::<Vec<_>>()
        .join(", ");
    if c.ha.enabled {
        format!(
            "{} job(s) running: {names}. Stopping the JobManagers suspends them; the next `flinkha start` recovers them from the HA store (same cluster-id).",
            jobs.len()
        )
    } else {
        format!(
            "{} job(s) running: {names}. High availability is off ({}), so stopping the JobManagers LOSES these jobs: nothing recovers them. Stop them with a savepoint first (`flinkha stop --with-savepoints`, or `flinkha stop JOB` each), then `flinkha run JOB --from-savepoint latest` after the next start.",
            jobs.len(),
            c.conf.config.path.display()
        )
    }
}

pub async fn stop_selection(
    ctx: &Context,
    sel: Selection,
    dry_run: bool,
    mut with_savepoints: bool,
) -> anyhow::Result<Exit> {
    let c = ctx.valid_cluster()?;
    let probed = lifecycle::plan_stop(c, &ctx.sessions, &sel).await?;
    for (h, e) in &probed.unreachable {
        ctx.printer.warn(&format!("{h}: not probed: {e}"));
    }
    if probed.running.is_empty() {
        ctx.printer
            .status("nothing to stop: no selected daemon is running");
        if dry_run && ctx.printer.format == Format::Json {
            let plan = lifecycle::stop_steps(c, &probed);
            ctx.printer.json(&plan.json_kind(), &plan);
            return Ok(Exit::Success);
        }
        #[derive(Serialize)]
        struct Doc<'a> {
            plan: &'a lifecycle::StopPlan,
        }
        if ctx.printer.format == Format::Json {
            ctx.printer.json("stop", &Doc { plan: &probed });
        }
        return Ok(if probed.unreachable.is_empty() {
            Exit::Success
        } else {
            Exit::Partial
        });
    }
    if !probed.running_jobs.is_empty()
        && !c.ha.enabled
        && !with_savepoints
        && !ctx.global.yes
        && !dry_run
        && ctx.printer.format != Format::Json
        && prompt::can_pick()
    {
        with_savepoints = prompt::choose(
            &format!(
                "High availability is off: stopping the JobManagers loses the {} running job(s). Stop them with a savepoint first?",
                probed.running_jobs.len()
            ),
            &[
                "yes: stop each job with a savepoint, then the daemons",
                "no: lose the jobs",
            ],
        ) == Some(0);
    }
    let plan = if with_savepoints {
        lifecycle::with_job_savepoints(c, &probed, lifecycle::stop_steps(c, &probed))
    } else {
        lifecycle::stop_steps(c, &probed)
    };
    if !probed.running_jobs.is_empty() && !with_savepoints {
        ctx.printer
            .warn(&running_jobs_warning(c, &probed.running_jobs));
    }
    if show_plan(ctx, &plan, dry_run) {
        return Ok(Exit::Success);
    }
    let lock = take_lock(ctx, c, "stop").await?;
    if let Err(e) = prompt::confirm_plan(
        &ctx.printer,
        ctx.global.yes,
        "stop",
        &plan.render(),
        &format!("Stop {} daemon(s) as planned above?", probed.running.len()),
    ) {
        if let Some(l) = lock {
            l.release().await;
        }
        return Err(e.into());
    }
    let reporter = ctx.reporter();
    let mut j = Journal::new(
        c,
        JournalData::new(plan, serde_json::Value::Null),
        lock.as_ref(),
    );
    let r = ctx
        .run_plan(c, &mut j, Default::default(), &reporter, "flinkha stop")
        .await;
    reporter.finish();
    let data = j.data;
    if let Some(l) = lock {
        l.release().await;
    }
    r?;
    // One report from the steps' outcomes.
    let report = merged_report(&data);
    let exit = print_report(ctx, "stop", &report);
    Ok(if exit == Exit::Success && !probed.unreachable.is_empty() {
        Exit::Partial
    } else {
        exit
    })
}

/// `flinkha start`.
pub async fn start(ctx: &Context, args: StartArgs) -> anyhow::Result<Exit> {
    let mut sel = args.parts.selection();
    sel.hosts = super::complete::hosts_or_pick(ctx, &sel.hosts)?;
    start_selection(ctx, sel, args.dry_run).await
}

/// `flinkha stop`: the cluster, or with a JOB argument that job (stop-with-savepoint).
pub async fn stop(ctx: &Context, args: StopArgs) -> anyhow::Result<Exit> {
    if args.job.is_job_form() {
        let p = &args.parts;
        if p.zk || p.jobmanagers || p.taskmanagers || !p.host.is_empty() {
            anyhow::bail!(
                "`flinkha stop {}` stops a job; --zk/--jobmanagers/--taskmanagers/-H select cluster daemons: use one form or the other",
                args.job.job.as_deref().unwrap_or("JOB")
            );
        }
        return super::jobs::stop_job(ctx, args.job.job.as_deref(), &args.job, args.dry_run).await;
    }
    let mut sel = args.parts.selection();
    sel.hosts = super::complete::hosts_or_pick(ctx, &sel.hosts)?;
    stop_selection(ctx, sel, args.dry_run, args.with_savepoints).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::sync::tests::local_cluster;

    /// Without HA, stopping the JobManagers with jobs running says the jobs are lost and how
    /// to keep them; with HA, that the next start recovers them.
    #[test]
    fn stopping_running_jobs_without_ha_says_they_are_lost() {
        let jobs: Vec<crate::rest::JobSummary> = serde_json::from_str(
            r#"[{"jid":"0123456789abcdef0123456789abcdef","name":"counter","state":"RUNNING","start-time":1,"duration":2}]"#,
        )
        .unwrap();
        let d = tempfile::tempdir().unwrap();
        let off = local_cluster(d.path(), "parallelism.default: 1\n", "");
        assert!(!off.ha.enabled);
        let w = running_jobs_warning(&off, &jobs);
        assert!(
            w.contains("counter (0123456789abcdef0123456789abcdef)")
                && w.contains("High availability is off")
                && w.contains("LOSES these jobs")
                && w.contains("--with-savepoints")
                && w.contains("config.yaml")
                && !w.contains("recovers them from the HA store"),
            "{w}"
        );
        let d = tempfile::tempdir().unwrap();
        let on = local_cluster(
            d.path(),
            "high-availability.type: zookeeper\nhigh-availability.storageDir: file:///tmp/ha\nhigh-availability.zookeeper.quorum: 127.0.0.1:2181\n",
            "",
        );
        assert!(on.ha.enabled);
        let w = running_jobs_warning(&on, &jobs);
        assert!(
            w.contains("recovers them from the HA store") && !w.contains("LOSES"),
            "{w}"
        );
    }
}
