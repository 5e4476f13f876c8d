//! A missing job or host argument, and dynamic shell completions.
//!
//! - Pickers: `flinkha savepoint`, `cancel -s`, `stop --drain|--savepoint DIR`, `jobs show`
//!   without JOB, and `-H` without a value, open a fuzzy picker (dialoguer's `FuzzySelect`)
//!   of the leader's jobs or the inventory's hosts when stdin and stderr are terminals;
//!   without a terminal they are usage errors (exit status 2) naming the argument.
//! - Completions: clap_complete's completion engine (`COMPLETE=bash flinkha`, answered by
//!   `CompleteEnv` in [`super::main`]): `-H/--host` completes inventory hosts, job arguments
//!   the leader's running jobs (names and ids, within [`JOB_COMPLETION_TIMEOUT`]),
//!   `run --from-savepoint` the catalogue's usable savepoint paths. A completer that fails
//!   (no inventory, no leader) completes nothing and prints nothing.

use std::ffi::{OsStr, OsString};
use std::time::Duration;

use clap_complete::engine::CompletionCandidate;

use super::Context;
use crate::core::catalogue::Catalogue;
use crate::core::model::Cluster;
use crate::core::ops::leader_rest::LeaderRest;
use crate::output::progress::ProgressReporter;
use crate::output::prompt::{self, PickError};
use crate::rest::JobSummary;
use crate::rest::jobs::JobDetails;

/// What to give instead of picking a job.
pub const GIVE_JOB: &str = "give a job id, id prefix or name";
/// What to give instead of picking a host.
pub const GIVE_HOST: &str = "give an inventory host name with -H NAME";

/// How long the job completer waits for the leader (ZooKeeper read, REST probe and
/// `GET /jobs/overview` together) before it completes nothing: 1 s, so a TAB never hangs on
/// a cluster that is down.
pub const JOB_COMPLETION_TIMEOUT: Duration = Duration::from_secs(1);

fn time_text(ms: i64) -> String {
    if ms <= 0 {
        return "-".into();
    }
    crate::time::rfc3339_ms(ms.unsigned_abs())
}

/// One picker line: name, id, state, start time (RFC 3339, UTC).
fn job_line(j: &JobSummary) -> String {
    format!(
        "{}  {}  {}  started {}",
        j.name,
        j.jid,
        j.state,
        time_text(j.start_time)
    )
}

/// The job JOB names: `given` resolved against the leader's jobs (id, unique id prefix or
/// name), or, without it, the one picked at the terminal from the leader's jobs (only those
/// not in a terminal state unless `any_state`), newest first. `reporter` is the one `api`
/// reports on; it is finished before the picker shows.
///
/// # Errors
/// [`PickError::NotATerminal`] without JOB and without a terminal (checked before the
/// leader is asked), [`PickError::Empty`] when no job is there to pick,
/// [`PickError::Cancelled`] on Escape; as [`crate::core::ops::jobs::find`].
pub async fn job_or_pick(
    api: &LeaderRest<'_>,
    reporter: &ProgressReporter,
    given: Option<&str>,
    any_state: bool,
) -> anyhow::Result<JobSummary> {
    if let Some(g) = given {
        return Ok(crate::core::ops::jobs::find(api, g).await?);
    }
    if !prompt::can_pick() {
        return Err(PickError::NotATerminal {
            arg: "JOB".into(),
            give: GIVE_JOB.into(),
        }
        .into());
    }
    let listed = api.call(|c| async move { c.jobs().await }).await;
    reporter.finish();
    let mut jobs: Vec<JobSummary> = listed?
        .into_iter()
        .filter(|j| any_state || !JobDetails::is_terminal(&j.state))
        .collect();
    jobs.sort_by_key(|j| std::cmp::Reverse(j.start_time));
    let lines: Vec<String> = jobs.iter().map(job_line).collect();
    let why = if any_state {
        "the leading JobManager knows no job"
    } else {
        "the leading JobManager runs no job"
    };
    let i = prompt::pick("JOB", GIVE_JOB, why, &lines)?;
    Ok(jobs.swap_remove(i))
}

/// One picker line of a host: name, address, roles.
fn host_line(c: &Cluster, name: &str, address: &str) -> String {
    let roles: Vec<&str> = c.roles_on(name).into_iter().map(|r| r.label()).collect();
    format!(
        "{name}  {address}  {}",
        if roles.is_empty() {
            "(no role)".to_string()
        } else {
            roles.join(", ")
        }
    )
}

/// Pick one inventory host at the terminal (name, address and roles shown).
///
/// # Errors
/// [`PickError`] as [`prompt::pick`].
pub fn pick_host(c: &Cluster) -> Result<String, PickError> {
    let lines: Vec<String> = c
        .hosts
        .iter()
        .map(|h| host_line(c, &h.name, &h.address))
        .collect();
    let i = prompt::pick("HOST", GIVE_HOST, "the inventory has no hosts", &lines)?;
    Ok(c.hosts[i].name.clone())
}

/// `-H` values with every empty one (`-H` given without a value, see [`HOST_PICK`]) replaced
/// by a host picked at the terminal.
///
/// # Errors
/// Inventory not loadable; [`PickError`] as [`pick_host`].
pub fn hosts_or_pick(ctx: &Context, hosts: &[String]) -> anyhow::Result<Vec<String>> {
    if !hosts.iter().any(|h| h.is_empty()) {
        return Ok(hosts.to_vec());
    }
    if !prompt::can_pick() {
        return Err(PickError::NotATerminal {
            arg: "HOST".into(),
            give: GIVE_HOST.into(),
        }
        .into());
    }
    let c = ctx.cluster()?;
    let mut out = Vec::with_capacity(hosts.len());
    for h in hosts {
        out.push(if h.is_empty() {
            pick_host(c)?
        } else {
            h.clone()
        });
    }
    Ok(out)
}

/// `-H` without a value: clap's `default_missing_value`, which [`hosts_or_pick`] replaces by
/// a picked host.
pub const HOST_PICK: &str = "";

/// The inventory the command line being completed names (`-c FILE`, `--config FILE`,
/// `--config=FILE`, `-cFILE`), else `FLINKHA_CONFIG`, else `./flinkha.yaml`, loaded as the
/// command itself would; `None` when it can't be.
fn completion_context() -> Option<Context> {
    // CompleteEnv runs us as `flinkha -- flinkha <words...>`.
    let args: Vec<OsString> = std::env::args_os().collect();
    let words = match args.iter().position(|a| a == "--") {
        Some(i) => &args[i + 1..],
        None => &args[..],
    };
    let mut config: Option<OsString> = None;
    let mut it = words.iter();
    while let Some(w) = it.next() {
        let s = w.to_string_lossy();
        if s == "-c" || s == "--config" {
            config = it.next().cloned();
        } else if let Some(v) = s.strip_prefix("--config=") {
            config = Some(v.into());
        } else if let Some(v) = s.strip_prefix("-c")
            && !v.is_empty()
            && !s.starts_with("--")
        {
            config = Some(v.into());
        }
    }
    let mut argv: Vec<OsString> = vec!["flinkha".into()];
    if let Some(c) = config {
        argv.push("--config".into());
        argv.push(c);
    }
    argv.push("man".into());
    // Parse the global options the way the command does (FLINKHA_CONFIG included).
    use clap::Parser;
    let cli = super::Cli::try_parse_from(argv).ok()?;
    let mut global = cli.global;
    global.quiet = true;
    global.no_progress = true;
    let ctx = Context::new(global);
    ctx.cluster().ok()?;
    Some(ctx)
}

/// Completes `-H/--host`: inventory host names starting with what is typed, each with its
/// address and roles as help.
pub fn hosts(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(ctx) = completion_context() else {
        return Vec::new();
    };
    let Ok(c) = ctx.cluster() else {
        return Vec::new();
    };
    let typed = current.to_string_lossy();
    c.hosts
        .iter()
        .filter(|h| h.name.starts_with(typed.as_ref()))
        .map(|h| {
            let line = host_line(c, &h.name, &h.address);
            let help = line[h.name.len()..].trim_start().to_string();
            CompletionCandidate::new(h.name.clone()).help(Some(help.into()))
        })
        .collect()
}

/// The jobs the leader runs (not in a terminal state), within [`JOB_COMPLETION_TIMEOUT`];
/// empty on any error or timeout.
fn running_jobs(c: &Cluster) -> Vec<JobSummary> {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return Vec::new();
    };
    let jobs = rt.block_on(async {
        let reporter = crate::core::reporter::NullReporter;
        let api = LeaderRest::new(c, &reporter);
        tokio::time::timeout(
            JOB_COMPLETION_TIMEOUT,
            api.call(|c| async move { c.jobs().await }),
        )
        .await
    });
    // Whatever is still connecting (ZooKeeper, HTTP) is dropped, not waited for.
    rt.shutdown_background();
    match jobs {
        Ok(Ok(jobs)) => jobs
            .into_iter()
            .filter(|j| !JobDetails::is_terminal(&j.state))
            .collect(),
        _ => Vec::new(),
    }
}

/// Completes a job argument: ids and names of the leader's running jobs that start with
/// what is typed (an id's help is its name and state, a name's its id and state); nothing
/// when no leader answers within [`JOB_COMPLETION_TIMEOUT`].
pub fn jobs(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(ctx) = completion_context() else {
        return Vec::new();
    };
    let Ok(c) = ctx.cluster() else {
        return Vec::new();
    };
    let typed = current.to_string_lossy();
    let mut jobs = running_jobs(c);
    jobs.sort_by_key(|j| std::cmp::Reverse(j.start_time));
    let mut out: Vec<CompletionCandidate> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for j in &jobs {
        if j.name.starts_with(typed.as_ref()) && !names.contains(&j.name.as_str()) {
            names.push(&j.name);
            out.push(
                CompletionCandidate::new(j.name.clone())
                    .help(Some(format!("{} {}", j.jid, j.state).into())),
            );
        }
    }
    for j in &jobs {
        if j.jid.starts_with(typed.as_ref()) {
            out.push(
                CompletionCandidate::new(j.jid.clone())
                    .help(Some(format!("{} {}", j.name, j.state).into())),
            );
        }
    }
    out
}

/// Completes `run --from-savepoint`: `latest` and the usable savepoint paths of the
/// catalogue (`.flinkha/<cluster>.catalogue.json` beside the inventory), newest first, each
/// with its job, kind and time as help.
pub fn savepoints(current: &OsStr) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    let mut out = Vec::new();
    if "latest".starts_with(typed.as_ref()) {
        out.push(CompletionCandidate::new("latest").help(Some(
            "the newest savepoint of a job run with the same name, entry class and jar".into(),
        )));
    }
    let Some(ctx) = completion_context() else {
        return out;
    };
    let Ok(c) = ctx.cluster() else {
        return out;
    };
    let Ok(data) = Catalogue::for_cluster(c).load() else {
        return out;
    };
    for s in data.savepoints.iter().rev().filter(|s| s.usable()) {
        let Some(p) = &s.path else { continue };
        if p.starts_with(typed.as_ref()) {
            out.push(
                CompletionCandidate::new(p.clone()).help(Some(
                    format!(
                        "{} of {} at {}",
                        s.kind.label(),
                        s.job_name,
                        time_text(s.time_ms as i64)
                    )
                    .into(),
                )),
            );
        }
    }
    out
}
