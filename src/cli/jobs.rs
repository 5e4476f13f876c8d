//! Job commands: `jobs list|show`, `savepoint`, `cancel -s`, `stop <job>`, `run`,
//! `savepoints list`. Thin: resolve arguments, ask, call [`crate::core::ops::jobs`], print.

use std::time::Duration;

use clap::{Args, Subcommand};
use clap_complete::engine::ArgValueCompleter;
use serde::Serialize;

use super::{Context, Exit};
use crate::core::catalogue::{Catalogue, CatalogueData, SavepointKind};
use crate::core::jobspec::{JobSpec, SpecOverrides};
use crate::core::journal::{Journal, JournalData};
use crate::core::ops::jobs::{self, RunDone, SavepointAction, SavepointDone, SavepointOptions};
use crate::core::ops::leader_rest::LeaderRest;
use crate::core::ops::steps::{savepoint_plan, submit_plan};
use crate::core::ops::upgrade::UpgradeOptions;
use crate::output::{Format, docs, prompt, table};
use crate::rest::jobs::{ClaimMode, SavepointFormat, new_trigger_id};

fn time_text(ms: i64) -> String {
    if ms <= 0 {
        return "-".into();
    }
    crate::time::rfc3339_ms(ms.unsigned_abs())
}

fn duration_text(ms: i64) -> String {
    if ms < 0 {
        return "-".into();
    }
    humantime::format_duration(Duration::from_secs(ms as u64 / 1000)).to_string()
}

/// `jobs` subcommands.
#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Every job the leading JobManager knows: id, name, state, start time, duration, last
    /// completed checkpoint, restarts.
    List,
    /// One job: details, vertices and checkpoint statistics. JOB is an id, a unique id
    /// prefix, or a name; without it, pick one at the terminal.
    Show {
        /// Job id, unique id prefix, or name [default: picked at the terminal from the
        /// leader's jobs].
        #[arg(add = ArgValueCompleter::new(super::complete::jobs))]
        job: Option<String>,
    },
}

/// Run a `jobs` subcommand.
pub async fn jobs(ctx: &Context, cmd: JobsCommand) -> anyhow::Result<Exit> {
    let c = ctx.valid_cluster()?;
    let reporter = ctx.reporter();
    let api = LeaderRest::new(c, &reporter);
    match cmd {
        JobsCommand::List => {
            let rows = jobs::list(&api).await;
            reporter.finish();
            let rows = rows?;
            if ctx.printer.format == Format::Json {
                #[derive(Serialize)]
                struct Doc<'a> {
                    leader: String,
                    jobs: &'a [jobs::JobRow],
                }
                ctx.printer.json(
                    "jobs",
                    &Doc {
                        leader: api.url().await.unwrap_or_default(),
                        jobs: &rows,
                    },
                );
                return Ok(Exit::Success);
            }
            if rows.is_empty() {
                ctx.printer.status("no jobs");
                return Ok(Exit::Success);
            }
            let mut t = table::new(&[
                "id",
                "name",
                "state",
                "start time",
                "duration",
                "last checkpoint",
                "restarts",
            ]);
            for r in &rows {
                t.add_row(vec![
                    r.job.jid.clone(),
                    r.job.name.clone(),
                    r.job.state.clone(),
                    time_text(r.job.start_time),
                    duration_text(r.job.duration),
                    match (r.last_checkpoint_id, r.last_checkpoint_time) {
                        (Some(id), Some(t)) => format!("#{id} at {}", time_text(t)),
                        _ => "-".into(),
                    },
                    r.restarts
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| "-".into()),
                ]);
            }
            ctx.printer.data(&t.to_string());
            Ok(Exit::Success)
        }
        JobsCommand::Show { job } => {
            let view = async {
                let j = super::complete::job_or_pick(&api, &reporter, job.as_deref(), true).await?;
                Ok::<_, anyhow::Error>(jobs::show(&api, &j).await?)
            }
            .await;
            reporter.finish();
            let view = view?;
            if ctx.printer.format == Format::Json {
                ctx.printer.json("job", &view);
                return Ok(Exit::Success);
            }
            let d = &view.details;
            let mut out = format!(
                "{} ({})\nstate: {}   started: {}   duration: {}   restarts: {}\n",
                d.name,
                d.jid,
                d.state,
                time_text(d.start_time),
                duration_text(d.duration),
                view.restarts
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "-".into())
            );
            let mut t = table::new(&["vertex", "parallelism", "status"]);
            for v in &d.vertices {
                t.add_row(vec![
                    v.name.clone(),
                    v.parallelism.to_string(),
                    v.status.clone(),
                ]);
            }
            out.push_str(&format!("{t}\n"));
            if let Some(cp) = &view.checkpoints {
                let n = &cp.counts;
                out.push_str(&format!(
                    "checkpoints: {} completed, {} failed, {} in progress, {} restored\n",
                    n.completed, n.failed, n.in_progress, n.restored
                ));
                if let Some(l) = &cp.latest.completed {
                    out.push_str(&format!(
                        "last completed: #{} at {} {}\n",
                        l.id,
                        time_text(l.latest_ack_timestamp),
                        l.external_path.as_deref().unwrap_or("")
                    ));
                }
                if let Some(s) = &cp.latest.savepoint {
                    out.push_str(&format!(
                        "last savepoint: #{} {}\n",
                        s.id,
                        s.external_path.as_deref().unwrap_or("")
                    ));
                }
                if let Some(r) = &cp.latest.restored {
                    out.push_str(&format!(
                        "restored from: {} (#{}, {}) at {}\n",
                        r.external_path.as_deref().unwrap_or("?"),
                        r.id,
                        if r.is_savepoint {
                            "savepoint"
                        } else {
                            "checkpoint"
                        },
                        time_text(r.restore_timestamp)
                    ));
                }
            }
            ctx.printer.data(&out);
            Ok(Exit::Success)
        }
    }
}

/// Savepoint options shared by `savepoint`, `cancel -s` and `stop <job>`.
#[derive(Debug, Args, Clone)]
pub struct SavepointFlags {
    /// Savepoint format.
    #[arg(long, value_enum, default_value_t = SavepointFormat::Canonical)]
    pub format: SavepointFormat,
    /// How long to wait for the savepoint to complete (e.g. `90s`, `10m`).
    #[arg(long, value_parser = humantime::parse_duration, default_value = "5m")]
    pub timeout: Duration,
}

/// `savepoint` arguments.
#[derive(Debug, Args)]
pub struct SavepointArgs {
    /// Job id, unique id prefix, or name [default: picked at the terminal from the leader's
    /// running jobs].
    #[arg(add = ArgValueCompleter::new(super::complete::jobs))]
    pub job: Option<String>,
    /// Target directory (every JobManager and TaskManager must be able to write it)
    /// [default: the declared job's savepoint_dir, else execution.checkpointing.savepoint-dir
    /// of config.yaml].
    #[arg(long, short = 'd', value_name = "DIR")]
    pub target_dir: Option<String>,
    /// Format and timeout.
    #[command(flatten)]
    pub flags: SavepointFlags,
    /// Show the plan (job, target dir, trigger id); trigger nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `cancel` arguments.
#[derive(Debug, Args)]
pub struct CancelArgs {
    /// Cancel with a savepoint (required: flinkha never cancels a job without one).
    #[arg(short = 's', long = "with-savepoint")]
    pub with_savepoint: bool,
    /// `[DIR] JOB`: optional savepoint target directory, then the job (id, unique id prefix,
    /// or name), as in `flink cancel -s [DIR] JOB` [default JOB: picked at the terminal from
    /// the leader's running jobs].
    #[arg(num_args = 0..=2, value_name = "[DIR] JOB", add = ArgValueCompleter::new(super::complete::jobs))]
    pub targets: Vec<String>,
    /// Format and timeout.
    #[command(flatten)]
    pub flags: SavepointFlags,
    /// Show the plan (job, target dir, trigger id); cancel nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Stop-with-savepoint options of `stop JOB`.
#[derive(Debug, Args, Clone, Default)]
pub struct StopJobArgs {
    /// With JOB: stop that job with a savepoint (Flink's stop-with-savepoint) instead of
    /// stopping the cluster. Id, unique id prefix, or name. The options below without JOB:
    /// pick the job at the terminal from the leader's running jobs.
    #[arg(value_name = "JOB", add = ArgValueCompleter::new(super::complete::jobs))]
    pub job: Option<String>,
    /// With JOB: savepoint target directory [default: the declared job's savepoint_dir, else
    /// execution.checkpointing.savepoint-dir].
    #[arg(long, value_name = "DIR")]
    pub savepoint: Option<String>,
    /// With JOB: emit MAX_WATERMARK before stopping (flushes event-time windows and timers).
    #[arg(long)]
    pub drain: bool,
    /// With JOB: savepoint format.
    #[arg(long, value_enum)]
    pub format: Option<SavepointFormat>,
    /// With JOB: how long to wait for the savepoint (e.g. `90s`).
    #[arg(long, value_parser = humantime::parse_duration)]
    pub timeout: Option<Duration>,
}

impl StopJobArgs {
    /// Whether this is the job form of `stop`: a JOB, or an option only the job form has
    /// (then a missing JOB is picked at the terminal, or is a usage error).
    pub fn is_job_form(&self) -> bool {
        self.job.is_some()
            || self.savepoint.is_some()
            || self.drain
            || self.format.is_some()
            || self.timeout.is_some()
    }
}

fn print_savepoint(ctx: &Context, kind: &str, d: &SavepointDone) {
    for p in &d.partial_savepoints {
        ctx.printer.warn(&format!(
            "an attempt interrupted by a leader change left a partial savepoint directory (no _metadata): {p}; flinkha did not delete it"
        ));
    }
    if ctx.printer.format == Format::Json {
        ctx.printer.json(kind, d);
        return;
    }
    ctx.printer.status(&format!(
        "{} of {} ({}) completed in {:.1} s; job is {}",
        d.kind.label(),
        d.job_name,
        d.job_id,
        d.elapsed_ms as f64 / 1000.0,
        d.job_state
    ));
    ctx.printer.data(&d.location);
}

async fn savepoint_op(
    ctx: &Context,
    job: Option<&str>,
    opts: SavepointOptions,
    confirm: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<Exit> {
    let c = ctx.valid_cluster()?;
    let reporter = ctx.reporter();
    let api = LeaderRest::new(c, &reporter);
    let catalogue = Catalogue::for_cluster(c);
    let j = super::complete::job_or_pick(&api, &reporter, job, false).await;
    let j = match j {
        Ok(j) => j,
        Err(e) => {
            reporter.finish();
            return Err(e);
        }
    };
    let mut opts = opts;
    if opts.target_dir.is_none() {
        let data = catalogue.load().ok();
        // The savepoint dir of the declared job it was run as, else found by jar or name.
        opts.target_dir = data
            .as_ref()
            .and_then(|d| d.spec_of(&j.jid))
            .and_then(|s| s.savepoint_dir.clone())
            .or_else(|| {
                let jar = data.as_ref().and_then(|d| d.jar_of(&j.jid));
                jobs::declared_savepoint_dir(c, &j.name, jar)
            });
    }
    reporter.finish();
    // One plan of one step, printed by --dry-run, shown at the prompt, run by the runner.
    let (kind, drain) = match opts.action {
        SavepointAction::Savepoint => (SavepointKind::Savepoint, false),
        SavepointAction::Cancel => (SavepointKind::Cancel, false),
        SavepointAction::Stop { drain } => (SavepointKind::Stop, drain),
    };
    let plan = savepoint_plan(
        c,
        &j,
        kind,
        drain,
        opts.format,
        opts.target_dir.clone(),
        opts.trigger_id.clone().unwrap_or_else(new_trigger_id),
    );
    if super::lifecycle::show_plan(ctx, &plan, dry_run) {
        return Ok(Exit::Success);
    }
    if let Some(verb) = confirm {
        prompt::confirm_plan(
            &ctx.printer,
            ctx.global.yes,
            verb,
            &plan.render(),
            &format!(
                "{verb} job {} ({}, {}) as planned above?",
                j.name, j.jid, j.state
            ),
        )?;
    }
    // Cancel and stop end a job: not while another flinkha works on the cluster.
    let lock = match confirm {
        Some(verb) => super::lifecycle::take_lock(ctx, c, verb).await?,
        None => None,
    };
    let step = plan.steps[0].id.clone();
    let resume = match kind {
        SavepointKind::Savepoint => format!("flinkha savepoint {}", j.jid),
        SavepointKind::Cancel => format!("flinkha cancel -s {}", j.jid),
        SavepointKind::Stop => format!("flinkha stop {}", j.jid),
    };
    let mut journal = Journal::new(
        c,
        JournalData::new(plan, serde_json::Value::Null),
        lock.as_ref(),
    );
    let reporter = ctx.reporter();
    let bounds = UpgradeOptions {
        savepoint_timeout: opts.timeout,
        ..Default::default()
    };
    let r = ctx
        .run_plan(c, &mut journal, bounds, &reporter, &resume)
        .await;
    reporter.finish();
    let data = journal.data;
    if let Some(l) = lock {
        l.release().await;
    }
    r?;
    let d: SavepointDone =
        serde_json::from_value(data.outcome(&step).cloned().unwrap_or_default())?;
    print_savepoint(ctx, d.kind.label(), &d);
    Ok(Exit::Success)
}

/// `flinkha savepoint`.
pub async fn savepoint(ctx: &Context, a: SavepointArgs) -> anyhow::Result<Exit> {
    let opts = SavepointOptions {
        action: SavepointAction::Savepoint,
        target_dir: a.target_dir,
        format: a.flags.format,
        timeout: a.flags.timeout,
        trigger_id: None,
    };
    savepoint_op(ctx, a.job.as_deref(), opts, None, a.dry_run).await
}

/// `flinkha cancel -s [DIR] JOB`.
pub async fn cancel(ctx: &Context, a: CancelArgs) -> anyhow::Result<Exit> {
    if !a.with_savepoint {
        anyhow::bail!(
            "flinkha cancels a job only with a savepoint, so no state is lost: use `flinkha cancel -s [DIR] <job>`"
        );
    }
    let (dir, job) = match a.targets.as_slice() {
        [] => (None, None),
        [job] => (None, Some(job.clone())),
        [dir, job] => (Some(dir.clone()), Some(job.clone())),
        _ => anyhow::bail!("give `[DIR] JOB`"),
    };
    let opts = SavepointOptions {
        action: SavepointAction::Cancel,
        target_dir: dir,
        format: a.flags.format,
        timeout: a.flags.timeout,
        trigger_id: None,
    };
    savepoint_op(ctx, job.as_deref(), opts, Some("cancel"), a.dry_run).await
}

/// `flinkha stop JOB [--savepoint DIR] [--drain]` (`job` `None`: picked at the terminal).
pub async fn stop_job(
    ctx: &Context,
    job: Option<&str>,
    a: &StopJobArgs,
    dry_run: bool,
) -> anyhow::Result<Exit> {
    let opts = SavepointOptions {
        action: SavepointAction::Stop { drain: a.drain },
        target_dir: a.savepoint.clone(),
        format: a.format.unwrap_or_default(),
        timeout: a.timeout.unwrap_or(Duration::from_secs(300)),
        trigger_id: None,
    };
    savepoint_op(ctx, job, opts, Some("stop"), dry_run).await
}

/// `run` arguments.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The job's jar (uploaded to the leading JobManager), or the name of a job declared
    /// under `jobs:` in the inventory (its jar, entry class, args, parallelism and claim mode;
    /// flags given here win).
    #[arg(value_name = "JAR|JOB")]
    pub target: String,
    /// Restore from this savepoint, or `latest`: the newest completed savepoint in the
    /// catalogue of a job flinkha ran with the same declared name, entry class and jar
    /// content (SHA-256). The restore is verified.
    #[arg(long, short = 's', value_name = "PATH|latest", add = ArgValueCompleter::new(super::complete::savepoints))]
    pub from_savepoint: Option<String>,
    /// What the restored job may do with the savepoint's files (claimMode on Flink ≥ 1.20,
    /// restoreMode before) [default: the declared job's claim_mode, else no-claim].
    #[arg(long, value_enum)]
    pub claim_mode: Option<ClaimMode>,
    /// Allow savepoint state that maps to no operator (hides missing operator uids: careful).
    #[arg(long, short = 'n')]
    pub allow_non_restored_state: bool,
    /// Job parallelism [default: the declared job's, else the cluster's parallelism.default].
    #[arg(long, short = 'p')]
    pub parallelism: Option<u32>,
    /// Main class [default: the declared job's, else from the jar's manifest].
    #[arg(long, short = 'e', value_name = "CLASS")]
    pub entry_class: Option<String>,
    /// How long to wait until every task is RUNNING.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "3m")]
    pub timeout: Duration,
    /// Program arguments (after `--`) [default: the declared job's args].
    #[arg(last = true)]
    pub args: Vec<String>,
    /// Show the plan (the resolved spec, savepoint, pre-assigned job id); upload and run
    /// nothing.
    #[arg(long)]
    pub dry_run: bool,
}

impl RunArgs {
    /// The flags that override a declared job's values.
    fn overrides(&self) -> SpecOverrides {
        SpecOverrides {
            entry_class: self.entry_class.clone(),
            args: self.args.clone(),
            parallelism: self.parallelism,
            claim_mode: self.claim_mode,
            allow_non_restored_state: self.allow_non_restored_state,
        }
    }
}

/// Why `--from-savepoint latest` found nothing for `spec`, with what comes close: savepoints
/// of the same declared job or jar path whose spec differs (another build of the jar, another
/// entry class), and usable savepoints recorded without a spec.
fn no_latest(catalogue: &Catalogue, data: &CatalogueData, spec: &JobSpec) -> String {
    let mut m = format!(
        "`--from-savepoint latest`: the catalogue {} has no completed savepoint of a job run with this spec ({}, SHA-256 {})",
        catalogue.path().display(),
        spec.describe(),
        spec.jar_sha256
    );
    let usable = || data.savepoints.iter().filter(|s| s.usable());
    let close: Vec<String> = usable()
        .filter_map(|s| s.spec.as_ref().map(|r| (s, r)))
        .filter(|(_, r)| {
            (spec.declared.is_some() && r.declared == spec.declared)
                || (spec.declared.is_none() && r.declared.is_none() && r.jar == spec.jar)
        })
        .map(|(s, r)| {
            let mut why = Vec::new();
            if r.jar_sha256 != spec.jar_sha256 {
                why.push(format!("jar SHA-256 {}", r.jar_sha256));
            }
            if r.entry_class != spec.entry_class {
                why.push(format!(
                    "entry class {}",
                    r.entry_class.as_deref().unwrap_or("from the manifest")
                ));
            }
            format!("{} ({})", s.path.as_deref().unwrap_or(""), why.join(", "))
        })
        .collect();
    if !close.is_empty() {
        m.push_str(&format!(
            "; savepoints of the same job with another spec: {}",
            close.join(", ")
        ));
    }
    let without = usable().filter(|s| s.spec.is_none()).count();
    if without > 0 {
        m.push_str(&format!(
            "; {without} savepoint(s) recorded without a job spec (jobs flinkha did not run, or recorded by an older flinkha) are never `latest`"
        ));
    }
    m.push_str("; give the savepoint path (`flinkha savepoints list` shows them)");
    m
}

/// `flinkha run`.
pub async fn run(ctx: &Context, a: RunArgs) -> anyhow::Result<Exit> {
    let c = ctx.valid_cluster()?;
    let catalogue = Catalogue::for_cluster(c);
    let target = jobs::resolve_run_target(c, &a.target)?;
    let spec = JobSpec::resolve(&target, &a.overrides())?;
    let savepoint = match a.from_savepoint.as_deref() {
        Some("latest") => {
            let data = catalogue.load()?;
            let rec = data
                .latest_for(&spec)?
                .ok_or_else(|| anyhow::anyhow!(no_latest(&catalogue, &data, &spec)))?;
            ctx.printer.status(&format!(
                "latest savepoint of {}: {} ({} of {})",
                rec.job_name,
                rec.path.as_deref().unwrap_or(""),
                rec.kind.label(),
                rec.job_id
            ));
            rec.path.clone()
        }
        Some(p) => Some(p.to_string()),
        None => None,
    };
    // One plan of one step (the job id pre-assigned: a retry adopts the job it submitted).
    let plan = submit_plan(c, &spec, savepoint, new_trigger_id());
    if super::lifecycle::show_plan(ctx, &plan, a.dry_run) {
        return Ok(Exit::Success);
    }
    let lock = super::lifecycle::take_lock(ctx, c, "run").await?;
    let step = plan.steps[0].id.clone();
    let mut journal = Journal::new(
        c,
        JournalData::new(plan, serde_json::Value::Null),
        lock.as_ref(),
    );
    let reporter = ctx.reporter();
    let bounds = UpgradeOptions {
        run_timeout: a.timeout,
        ..Default::default()
    };
    let r = ctx
        .run_plan(c, &mut journal, bounds, &reporter, "flinkha run")
        .await;
    reporter.finish();
    let data = journal.data;
    if let Some(l) = lock {
        l.release().await;
    }
    r?;
    let d: RunDone = serde_json::from_value(data.outcome(&step).cloned().unwrap_or_default())?;
    if ctx.printer.format == Format::Json {
        ctx.printer.json("run", &d);
    } else {
        ctx.printer.status(&format!(
            "{} RUNNING ({} vertices) in {:.1} s{}",
            d.job_name,
            d.vertices,
            d.elapsed_ms as f64 / 1000.0,
            d.restored_from
                .as_deref()
                .map(|p| format!("; restore from {p} verified"))
                .unwrap_or_default()
        ));
        ctx.printer.data(&d.job_id);
    }
    Ok(Exit::Success)
}

/// `savepoints` subcommands.
#[derive(Debug, Subcommand)]
pub enum SavepointsCommand {
    /// The savepoint catalogue (every savepoint flinkha made, with its outcome), oldest first.
    List {
        /// Only this job (id, id prefix or name).
        job: Option<String>,
    },
    /// Dispose of old savepoints through the JobManager (`POST /savepoint-disposal`): per
    /// job name, all but the newest --keep (at least 1 is always kept), optionally only those
    /// older than --older-than. Shows the plan and asks first; --dry-run only shows it.
    Prune {
        /// Keep the newest N usable savepoints of each job.
        #[arg(long, default_value_t = 3)]
        keep: usize,
        /// Only savepoints older than this (e.g. `7d`, `12h`).
        #[arg(long, value_parser = humantime::parse_duration)]
        older_than: Option<Duration>,
        /// Show what would be disposed of; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Run a `savepoints` subcommand.
pub async fn savepoints(ctx: &Context, cmd: SavepointsCommand) -> anyhow::Result<Exit> {
    let c = ctx.cluster()?;
    let catalogue = Catalogue::for_cluster(c);
    let job = match cmd {
        SavepointsCommand::List { job } => job,
        SavepointsCommand::Prune {
            keep,
            older_than,
            dry_run,
        } => return prune(ctx, &catalogue, keep, older_than, dry_run).await,
    };
    let data = catalogue.load()?;
    let recs: Vec<_> = data
        .savepoints
        .iter()
        .filter(|s| match &job {
            Some(j) => s.job_name == *j || s.job_id.starts_with(j.as_str()),
            None => true,
        })
        .collect();
    if ctx.printer.format == Format::Json {
        #[derive(Serialize)]
        struct Doc<'a> {
            catalogue: String,
            savepoints: Vec<&'a crate::core::catalogue::SavepointRecord>,
        }
        ctx.printer.json(
            "savepoints",
            &Doc {
                catalogue: catalogue.path().display().to_string(),
                savepoints: recs,
            },
        );
        return Ok(Exit::Success);
    }
    if recs.is_empty() {
        ctx.printer.status(&format!(
            "no savepoints recorded in {}",
            catalogue.path().display()
        ));
        return Ok(Exit::Success);
    }
    let mut t = table::new(&["time", "job", "kind", "outcome", "path / detail", "flink"]);
    for s in recs {
        t.add_row(vec![
            time_text(s.time_ms as i64),
            format!("{} ({})", s.job_name, &s.job_id[..s.job_id.len().min(8)]),
            s.kind.label().to_string(),
            match s.disposed_ms {
                Some(_) => format!("{} (disposed of)", s.outcome.label()),
                None => s.outcome.label().to_string(),
            },
            s.path
                .clone()
                .or_else(|| s.detail.clone())
                .unwrap_or_default(),
            s.flink_version.clone(),
        ]);
    }
    ctx.printer.data(&t.to_string());
    Ok(Exit::Success)
}

async fn prune(
    ctx: &Context,
    catalogue: &Catalogue,
    keep: usize,
    older_than: Option<Duration>,
    dry_run: bool,
) -> anyhow::Result<Exit> {
    let plan = jobs::plan_prune(catalogue, keep, older_than)?;
    if plan.is_empty() {
        ctx.printer.status("nothing to prune");
        if ctx.printer.format == Format::Json {
            ctx.printer.json(
                "prune",
                &docs::Prune {
                    dry_run,
                    plan: &[],
                    disposals: &[],
                },
            );
        }
        return Ok(Exit::Success);
    }
    ctx.printer.status("Plan:");
    for s in &plan {
        ctx.printer.status(&format!(
            "  dispose of {} ({} of {}, {})",
            s.path.as_deref().unwrap_or(""),
            s.kind.label(),
            s.job_name,
            time_text(s.time_ms as i64)
        ));
    }
    if dry_run {
        if ctx.printer.format == Format::Json {
            ctx.printer.json(
                "prune",
                &docs::Prune {
                    dry_run: true,
                    plan: &plan,
                    disposals: &[],
                },
            );
        }
        return Ok(Exit::Success);
    }
    prompt::confirm(
        ctx.global.yes,
        "prune",
        &format!("Dispose of {} savepoint(s)?", plan.len()),
    )?;
    let c = ctx.valid_cluster()?;
    let reporter = ctx.reporter();
    let api = LeaderRest::new(c, &reporter);
    let plan_copy = plan.clone();
    let r = jobs::prune(&api, catalogue, plan, Duration::from_secs(120)).await;
    reporter.finish();
    let done = r?;
    let failed = done.iter().filter(|d| !d.disposed).count();
    if ctx.printer.format == Format::Json {
        ctx.printer.json(
            "prune",
            &docs::Prune {
                dry_run: false,
                plan: &plan_copy,
                disposals: &done,
            },
        );
    } else {
        for d in &done {
            let p = d.savepoint.path.as_deref().unwrap_or("");
            match &d.error {
                None if d.already_gone => ctx.printer.status(&format!(
                    "{p} was already gone (Flink found nothing there): recorded as disposed of"
                )),
                None => ctx.printer.status(&format!("disposed of {p}")),
                Some(e) => ctx.printer.warn(&format!("{p}: {e}")),
            }
        }
    }
    Ok(super::exit_for(done.len() - failed, failed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::DeclaredJob;

    /// A JobManager's `start-time` past the year 9999 (humantime's formatter then fails, and
    /// `to_string` panics on a failing `Display`) is shown, not a crash.
    #[test]
    fn time_text_of_any_timestamp() {
        assert_eq!(time_text(0), "-");
        assert_eq!(time_text(-1), "-");
        assert_eq!(time_text(1_700_000_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(
            time_text(253_402_300_800_000),
            "253402300800000 ms after the epoch"
        );
        assert_eq!(
            time_text(i64::MAX),
            format!("{} ms after the epoch", i64::MAX)
        );
    }
    use crate::core::ops::jobs::RunTarget;
    use clap::Parser;

    #[derive(Parser)]
    struct T {
        #[command(flatten)]
        run: RunArgs,
    }

    fn args(a: &[&str]) -> RunArgs {
        T::try_parse_from(std::iter::once("run").chain(a.iter().copied()))
            .unwrap()
            .run
    }

    #[test]
    fn flags_on_the_command_line_win_over_the_declared_job() {
        let dir = tempfile::tempdir().unwrap();
        let jar = dir.path().join("c.jar");
        std::fs::write(&jar, b"PK").unwrap();
        let d = DeclaredJob {
            name: "counter".into(),
            jar,
            entry_class: Some("a.B".into()),
            args: vec!["--keys".into(), "4".into()],
            parallelism: Some(2),
            savepoint_dir: None,
            claim_mode: Some(ClaimMode::Claim),
            allow_non_restored_state: false,
        };
        let spec = |a: &[&str]| JobSpec::resolve(&RunTarget::Declared(&d), &args(a).overrides());
        let o = spec(&["counter"]).unwrap();
        assert_eq!(o.entry_class.as_deref(), Some("a.B"));
        assert_eq!(o.args, ["--keys", "4"]);
        assert_eq!(o.claim_mode, ClaimMode::Claim);
        let o = spec(&[
            "counter",
            "-p",
            "3",
            "-e",
            "x.Y",
            "--claim-mode",
            "no-claim",
            "-n",
            "--",
            "--keys",
            "9",
        ])
        .unwrap();
        assert_eq!(o.entry_class.as_deref(), Some("x.Y"));
        assert_eq!(o.args, ["--keys", "9"]);
        assert_eq!(o.parallelism, Some(3));
        assert_eq!(o.claim_mode, ClaimMode::NoClaim);
        assert!(o.allow_non_restored_state);
    }
}
