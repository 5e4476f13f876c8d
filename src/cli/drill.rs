//! `flinkha failover drill`: kill the leading JobManager (or one ZooKeeper server), measure
//! the recovery, restart it; a table or `--output json` (kind `failover-drill`).

use std::time::Duration;

use clap::{Args, Subcommand};
use serde::Serialize;

use super::{Context, Exit};
use crate::core::ops::drill::{self, DrillOptions, DrillReport, DrillTarget};
use crate::output::{Format, prompt, table};

/// `failover` subcommands.
#[derive(Debug, Subcommand)]
pub enum FailoverCommand {
    /// Kill the leading JobManager (`kill -9`, or SIGTERM with --graceful) after confirmation,
    /// measure until a new leader is published, every TaskManager is registered again and
    /// each job is RUNNING again (and from which checkpoint), then restart the killed
    /// JobManager as a standby. `--zookeeper` does the same for one quorum server.
    #[command(
        after_help = "Refused (nothing killed) when the drill would not be survivable: HA off, the quorum not
serving, fewer than 2 JobManagers running, a job not fully RUNNING, a savepoint in
progress, or (--zookeeper) a quorum that would lose its majority. Takes the operator lock.
Every time is ms after the kill. Exit status 1 when the recovery failed or took longer
than --timeout; the killed daemon is restarted in every case (also after a first Ctrl-C)."
    )]
    Drill(DrillArgs),
}

/// `failover drill` arguments.
#[derive(Debug, Args)]
pub struct DrillArgs {
    /// Kill one ZooKeeper server instead of the leading JobManager (the quorum leader unless
    /// --host names another).
    #[arg(long)]
    pub zookeeper: bool,
    /// With --zookeeper: the host whose ZooKeeper server to kill.
    #[arg(long, short = 'H', requires = "zookeeper", value_name = "HOST")]
    pub host: Option<String>,
    /// SIGTERM (a clean stop) instead of SIGKILL (a crash).
    #[arg(long)]
    pub graceful: bool,
    /// The recovery must be complete this long after the kill (e.g. `90s`, `3m`).
    #[arg(long, value_parser = humantime::parse_duration, default_value = "2m")]
    pub timeout: Duration,
    /// Show the plan (what would be killed, what must recover); kill nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Run a `failover` subcommand.
pub async fn run(ctx: &Context, cmd: FailoverCommand) -> anyhow::Result<Exit> {
    match cmd {
        FailoverCommand::Drill(a) => run_drill(ctx, a).await,
    }
}

async fn run_drill(ctx: &Context, a: DrillArgs) -> anyhow::Result<Exit> {
    let c = ctx.valid_cluster()?;
    let opts = DrillOptions {
        target: if a.zookeeper {
            DrillTarget::ZooKeeper
        } else {
            DrillTarget::JobManager
        },
        host: a.host.clone(),
        graceful: a.graceful,
        timeout: a.timeout,
    };
    // Under the lock from the look at the cluster to the restart: nobody else moves it.
    let lock = if a.dry_run {
        None
    } else {
        super::lifecycle::take_lock(ctx, c, "failover drill").await?
    };
    let result = drill_locked(ctx, c, &opts, a.dry_run).await;
    if let Some(l) = lock {
        l.release().await;
    }
    result
}

async fn drill_locked(
    ctx: &Context,
    c: &crate::core::model::Cluster,
    opts: &DrillOptions,
    dry_run: bool,
) -> anyhow::Result<Exit> {
    let plan = drill::plan(c, &ctx.sessions, opts).await?;
    ctx.printer.status(plan.render().trim_end());
    if dry_run {
        if ctx.printer.format == Format::Json {
            ctx.printer.json("failover-drill-plan", &plan);
        }
        return Ok(if plan.refused() {
            Exit::Failure
        } else {
            Exit::Success
        });
    }
    if plan.refused() {
        anyhow::bail!(
            "failover drill refused, nothing was killed: {}",
            plan.refusals.join("; ")
        );
    }
    let v = plan
        .victim
        .as_ref()
        .expect("a plan that is not refused names a victim");
    prompt::confirm(
        ctx.global.yes,
        "failover drill",
        &format!(
            "Send {} to the {} on {} (pid {}) now?",
            v.signal, v.role, v.host, v.pid
        ),
    )?;
    let reporter = ctx.reporter();
    let r = drill::run(c, &ctx.sessions, &reporter, &plan).await;
    reporter.finish();
    let r = r?;
    print_report(ctx, &r);
    Ok(if r.interrupted {
        Exit::Cancelled
    } else if r.ok() {
        Exit::Success
    } else {
        Exit::Failure
    })
}

fn secs(ms: Option<u64>) -> String {
    match ms {
        Some(ms) => format!("{:.2} s", ms as f64 / 1000.0),
        None => "-".into(),
    }
}

fn print_report(ctx: &Context, r: &DrillReport) {
    if ctx.printer.format == Format::Json {
        #[derive(Serialize)]
        struct Doc<'a> {
            ok: bool,
            #[serde(flatten)]
            report: &'a DrillReport,
        }
        ctx.printer.json(
            "failover-drill",
            &Doc {
                ok: r.ok(),
                report: r,
            },
        );
        return;
    }
    let mut t = table::new(&["after the kill", "what", "detail"]);
    let k = &r.killed;
    t.add_row(vec![
        "0".into(),
        format!("{} sent", k.signal),
        format!(
            "{} on {} (pid {}); kill command round trip {} ms",
            k.role, k.host, k.pid, r.kill_command_ms
        ),
    ]);
    match r.target {
        DrillTarget::JobManager => {
            let nl = r
                .leader_after
                .as_ref()
                .map(|l| {
                    format!(
                        "{} {} (session {})",
                        l.host.as_deref().unwrap_or("?"),
                        l.rest_url,
                        l.session_id
                    )
                })
                .unwrap_or_else(|| "none".into());
            t.add_row(vec![
                secs(r.new_leader_ms),
                "new leader published".into(),
                nl,
            ]);
            t.add_row(vec![
                secs(r.leader_rest_ms),
                "new leader's REST answers".into(),
                String::new(),
            ]);
            t.add_row(vec![
                secs(r.taskmanagers_ms),
                "TaskManagers registered again".into(),
                format!(
                    "{} of {}",
                    r.taskmanagers_registered.unwrap_or(0),
                    r.taskmanagers_expected.unwrap_or(0)
                ),
            ]);
        }
        DrillTarget::ZooKeeper => {
            t.add_row(vec![
                secs(r.quorum_ms),
                "quorum serves again".into(),
                format!(
                    "leader: server {}; serving at every observation: {}",
                    r.quorum_leader
                        .map(|i| i.to_string())
                        .unwrap_or_else(|| "?".into()),
                    match r.quorum_serving_throughout {
                        Some(true) => "yes",
                        Some(false) => "no",
                        None => "?",
                    }
                ),
            ]);
            t.add_row(vec![
                "-".into(),
                "Flink leader".into(),
                if r.leader_changed {
                    format!(
                        "CHANGED to {}",
                        r.leader_after
                            .as_ref()
                            .map(|l| format!("{} (session {})", l.rest_url, l.session_id))
                            .unwrap_or_default()
                    )
                } else {
                    "unchanged".into()
                },
            ]);
        }
    }
    for j in &r.jobs {
        let restored = match &j.restored {
            Some(rc) => format!(
                "restored checkpoint {}{} {}",
                rc.id,
                if rc.is_savepoint {
                    " (a savepoint)"
                } else {
                    ""
                },
                rc.external_path.as_deref().unwrap_or("")
            ),
            None => "no restore".into(),
        };
        let what = match (r.target, j.restarted, j.running_ms) {
            (DrillTarget::ZooKeeper, false, None) => {
                format!("job {} stayed RUNNING", j.name)
            }
            _ => format!("job {} RUNNING again", j.name),
        };
        let before = j
            .checkpoint_before
            .map(|id| format!("; latest checkpoint before: {id}"))
            .unwrap_or_default();
        let detail = match &j.problem {
            Some(p) => format!("{restored}{before}; PROBLEM: {p}"),
            None => format!("{restored}{before}"),
        };
        t.add_row(vec![secs(j.running_ms), what, detail]);
    }
    if let Some(rs) = &r.restart {
        let what = match r.target {
            DrillTarget::JobManager => "killed JobManager back as standby",
            DrillTarget::ZooKeeper => "killed ZooKeeper server rejoined",
        };
        let detail = match (&rs.error, rs.pid) {
            (Some(e), _) => format!("FAILED: {e}"),
            (None, pid) => format!(
                "{}pid {}, start issued at {}",
                rs.mode
                    .as_ref()
                    .map(|m| format!("{m}, "))
                    .unwrap_or_default(),
                pid.map(|p| p.to_string()).unwrap_or_else(|| "?".into()),
                secs(Some(rs.started_ms))
            ),
        };
        t.add_row(vec![secs(rs.ready_ms), what.into(), detail]);
    }
    ctx.printer.data(&t.to_string());
    for p in &r.problems {
        ctx.printer.warn(p);
    }
    ctx.printer.status(&format!(
        "failover drill {}: {} s in all (timeout {} s)",
        if r.ok() { "passed" } else { "FAILED" },
        format_args!("{:.1}", r.total_ms as f64 / 1000.0),
        r.timeout_ms / 1000
    ));
}
