//! Command-line layer: clap definitions and one thin module per subcommand. Handlers resolve
//! arguments, call the core, and print; the core never prints.

mod complete;
mod completions;
mod config;
mod context;
mod doctor;
mod drill;
mod init;
mod install;
mod jobs;
mod leader;
mod lifecycle;
mod status;
mod sync;
mod upgrade;
mod zk;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

pub use context::Context;

use crate::output::Format;

/// Exit statuses (documented in the README and `--help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked.
    Success = 0,
    /// The operation failed (or `config check` / `doctor` found errors).
    Failure = 1,
    /// Bad command line.
    Usage = 2,
    /// Some hosts failed while others succeeded.
    Partial = 3,
    /// Cancelled at a prompt or by Ctrl-C.
    Cancelled = 130,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

const AFTER_HELP: &str = "\
Exit status: 0 success, 1 failure (or `config check` / `doctor` found errors), 2 usage error,
3 partial (some hosts failed, the others succeeded), 130 cancelled.

The cluster: Flink's conf dir (masters, workers, zoo.cfg, config.yaml) plus an inventory
file (flinkha.yaml) with each host's address, SSH settings and install root.";

/// Run Apache Flink high-availability clusters (standalone + ZooKeeper HA) on your own
/// hosts over SSH.
#[derive(Debug, Parser)]
#[command(name = "flinkha", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// Options for every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options for every command.
#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Inventory file [default: ./flinkha.yaml].
    #[arg(
        long,
        short = 'c',
        global = true,
        env = "FLINKHA_CONFIG",
        value_name = "FILE"
    )]
    pub config: Option<PathBuf>,
    /// Output format of results.
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// Answer yes to confirmations (needed when not at a terminal).
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,
    /// Only errors and data; no status lines.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// No progress bars.
    #[arg(long, global = true)]
    pub no_progress: bool,
    /// Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its
    /// host and duration; -vv also whole commands, payload sizes and retries. Secret values
    /// are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`,
    /// replaces this filter.
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// flinkha's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a new conf dir (masters, workers, zoo.cfg, config.yaml) and flinkha.yaml:
    /// asks for hosts, roles, Flink version and distribution and HA storage at a terminal;
    /// every question also has a flag.
    Init(Box<init::InitArgs>),
    /// Show or check the resolved configuration.
    #[command(subcommand)]
    Config(config::ConfigCommand),
    /// Put the Flink distribution on every host (verified, versioned, `current` switched atomically).
    Install(install::InstallArgs),
    /// Distribute the conf dir (per-host values filled in) and extra files to every host.
    Sync(sync::SyncArgs),
    /// Everything `config check` reports, the mistakes HA walkthroughs make, and (unless
    /// --offline) live checks on every host over SSH; each finding with a stable id, where it
    /// is and the fix. Exit 1 when any finding is an error.
    Doctor(doctor::DoctorArgs),
    /// Start and stop the ZooKeeper quorum, or show its state.
    #[command(subcommand)]
    Zk(zk::ZkCommand),
    /// Start the cluster (quorum → JobManagers → TaskManagers), waiting until healthy.
    Start(lifecycle::StartArgs),
    /// Stop the cluster (TaskManagers → JobManagers → quorum), waiting until processes exit;
    /// or, given a JOB, stop that job with a savepoint (`flinkha stop JOB [--savepoint DIR]
    /// [--drain]`) and leave the cluster running.
    #[command(
        after_help = "Without JOB, `flinkha stop` stops cluster daemons (the role flags and -H select which).
With JOB (an id, unique id prefix or name), it is Flink's stop-with-savepoint of that job:
the job ends FINISHED once the savepoint completed; if the savepoint fails the job keeps
running. The two forms don't mix: role flags are refused with a JOB."
    )]
    Stop(lifecycle::StopArgs),
    /// Every daemon on every host, the quorum, the leader, slots and jobs.
    Status(status::StatusArgs),
    /// Which JobManager leads, from the HA znodes.
    #[command(subcommand)]
    Leader(leader::LeaderCommand),
    /// List jobs, or show one (through the leading JobManager's REST API).
    #[command(subcommand)]
    Jobs(jobs::JobsCommand),
    /// Take a savepoint of a running job (client-chosen trigger id, so a retry never makes
    /// two), wait for it, print its path and record it in the catalogue.
    Savepoint(jobs::SavepointArgs),
    /// Cancel a job with a savepoint (`flinkha cancel -s [DIR] JOB`): the job is cancelled by
    /// Flink only once the savepoint completed; if it fails, the job keeps running.
    Cancel(jobs::CancelArgs),
    /// Upload a jar to the leading JobManager and run it, waiting until RUNNING; with
    /// --from-savepoint, verify the job restored from exactly that savepoint.
    Run(jobs::RunArgs),
    /// The savepoint catalogue (every savepoint flinkha made).
    #[command(subcommand)]
    Savepoints(jobs::SavepointsCommand),
    /// Upgrade Flink to the inventory's flink.version, in place (every job stopped with a
    /// savepoint, the cluster restarted, every job restored and verified) or with a shadow
    /// copy (`--shadow`: a second deployment beside the running one, jobs moved one at a
    /// time, the old one kept until `--finalize`); resumable (`--resume`) and reversible
    /// (`--rollback`). `--plan` shows what it would do.
    Upgrade(upgrade::UpgradeArgs),
    /// Failover drills: kill the leading JobManager (or a ZooKeeper server) and measure the
    /// recovery.
    #[command(subcommand)]
    Failover(drill::FailoverCommand),
    /// Print shell completions.
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff) to stdout.
    Man,
}

/// Entry point used by `main.rs`: parse, run, print the error chain once, map to an exit code.
pub fn main() -> ExitCode {
    // `COMPLETE=bash flinkha` prints the dynamic completion script; the shell then calls
    // `COMPLETE=bash flinkha -- <words>` on TAB, answered here before anything else runs.
    clap_complete::CompleteEnv::with_factory(|| {
        use clap::CommandFactory;
        Cli::command()
    })
    .complete();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Usage.into()
            } else {
                Exit::Success.into()
            };
        }
    };
    let tracing = crate::output::trace::init(cli.global.verbose);
    let mut ctx = Context::new(cli.global.clone());
    // Trace lines and redrawn progress bars would garble each other: with tracing on, the
    // status lines are printed plainly instead (one line each, in order with the trace).
    if tracing.active {
        ctx.printer.progress = false;
    }
    if let Some(w) = &tracing.warning {
        ctx.printer.warn(w);
    }
    // The cluster is loaded (once: the context keeps it) before the runtime starts, because
    // Kerberos logins to ZooKeeper read MIT's settings from the environment, which can only be
    // set safely while this is the process's one thread. A cluster that does not load is
    // loaded again, and its error reported, by the command.
    if !matches!(
        cli.command,
        Command::Init(_) | Command::Completions(_) | Command::Man
    ) && let Ok(c) = ctx.cluster()
        && let crate::zk::Sasl::Kerberos(k) = &c.ha.security.sasl
    {
        // SAFETY: no other thread exists yet (the runtime starts below; tracing starts none).
        unsafe { crate::zk::kerberos::prepare_process(k) };
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(4)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            print_error(&anyhow::Error::new(e).context("starting the async runtime"));
            return Exit::Failure.into();
        }
    };
    let result = rt.block_on(async {
        let work = run(&ctx, cli.command);
        tokio::pin!(work);
        loop {
            tokio::select! {
                r = &mut work => break r,
                _ = tokio::signal::ctrl_c() => {
                    use std::sync::atomic::Ordering::SeqCst;
                    use crate::core::journal::{INTERRUPT, PLAN_RUNNING};
                    // A plan stops between two steps, so its journal stays exact; a second
                    // Ctrl-C stops at once (the journal's intent entry then tells resume
                    // which step to reconcile).
                    if PLAN_RUNNING.load(SeqCst) && !INTERRUPT.swap(true, SeqCst) {
                        ctx.printer.warn("interrupted: stopping after the current step (Ctrl-C again to stop at once)");
                        continue;
                    }
                    ctx.printer.warn("interrupted");
                    break Ok(Exit::Cancelled);
                }
            }
        }
    });
    rt.shutdown_timeout(std::time::Duration::from_millis(200));
    match result {
        Ok(code) => code.into(),
        Err(e) => {
            print_error(&e);
            exit_for_error(&e).into()
        }
    }
}

async fn run(ctx: &Context, command: Command) -> anyhow::Result<Exit> {
    match command {
        Command::Init(a) => init::run(ctx, *a).await,
        Command::Config(c) => config::run(ctx, c).await,
        Command::Install(a) => install::run(ctx, a).await,
        Command::Sync(a) => sync::run(ctx, a).await,
        Command::Doctor(a) => doctor::run(ctx, a).await,
        Command::Zk(c) => zk::run(ctx, c).await,
        Command::Start(a) => lifecycle::start(ctx, a).await,
        Command::Stop(a) => lifecycle::stop(ctx, a).await,
        Command::Status(a) => status::run(ctx, a).await,
        Command::Leader(c) => leader::run(ctx, c).await,
        Command::Jobs(c) => jobs::jobs(ctx, c).await,
        Command::Savepoint(a) => jobs::savepoint(ctx, a).await,
        Command::Cancel(a) => jobs::cancel(ctx, a).await,
        Command::Run(a) => jobs::run(ctx, a).await,
        Command::Savepoints(c) => jobs::savepoints(ctx, c).await,
        Command::Upgrade(a) => upgrade::run(ctx, a).await,
        Command::Failover(c) => drill::run(ctx, c).await,
        Command::Completions(a) => completions::run(a),
        Command::Man => completions::man(),
    }
}

/// The exit status of a failed command, decided on the error's kind, never its text.
fn exit_for_error(e: &anyhow::Error) -> Exit {
    if e.downcast_ref::<crate::output::prompt::ConfirmError>()
        .is_some_and(|c| matches!(c, crate::output::prompt::ConfirmError::Declined { .. }))
    {
        return Exit::Cancelled;
    }
    match e.downcast_ref::<crate::output::prompt::PickError>() {
        Some(crate::output::prompt::PickError::NotATerminal { .. }) => return Exit::Usage,
        Some(crate::output::prompt::PickError::Cancelled { .. }) => return Exit::Cancelled,
        _ => {}
    }
    match e
        .chain()
        .find_map(|c| c.downcast_ref::<crate::core::Error>())
        .map(crate::core::Error::kind)
    {
        Some(crate::core::ErrorKind::Usage) => Exit::Usage,
        Some(crate::core::ErrorKind::Interrupted) => Exit::Cancelled,
        _ => Exit::Failure,
    }
}

/// Print `error:` and each cause once, then hints from known error types.
fn print_error(e: &anyhow::Error) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let red = console::Style::new().red().bold();
    let _ = writeln!(err, "{} {e}", red.apply_to("error:"));
    let mut seen = e.to_string();
    for cause in e.chain().skip(1) {
        let text = cause.to_string();
        if seen.contains(&text) {
            continue;
        }
        let _ = writeln!(err, "  caused by: {text}");
        seen.push_str(&text);
    }
    for cause in e.chain() {
        let hint = cause
            .downcast_ref::<crate::zk::ZkError>()
            .and_then(|z| z.hint())
            .or_else(|| {
                cause
                    .downcast_ref::<crate::core::Error>()
                    .and_then(|c| c.hint())
            });
        if let Some(h) = hint {
            let _ = writeln!(err, "  hint: {h}");
        }
    }
}

/// Exit code for a set of per-host results: all ok → success, all failed → failure, else partial.
pub fn exit_for(ok: usize, failed: usize) -> Exit {
    match (ok, failed) {
        (_, 0) => Exit::Success,
        (0, _) => Exit::Failure,
        _ => Exit::Partial,
    }
}
