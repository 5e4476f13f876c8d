//! `flinkha install`.

use clap::Args;
use serde::{Deserialize, Serialize};

use super::{Context, Exit, exit_for};
use crate::core::journal::{Journal, JournalData};
use crate::core::model::Host;
use crate::core::ops::install::{HostInstall, InstallAction, expected_sha512, install_states};
use crate::core::ops::lifecycle::Selection;
use crate::core::ops::steps::install_plan;
use crate::output::{Format, table};

/// `install` arguments.
#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Only these hosts (repeatable; `-H` without a name picks one at the terminal).
    #[arg(long, short = 'H', value_name = "HOST", num_args = 0..=1, default_missing_value = super::complete::HOST_PICK, add = clap_complete::engine::ArgValueCompleter::new(super::complete::hosts))]
    pub host: Vec<String>,
    /// Point `current` at this version even when it points at another one (an upgrade:
    /// running daemons keep their version until restarted).
    #[arg(long)]
    pub activate: bool,
    /// Show the plan (what each host has, where it would install); fetch, upload and change
    /// nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// One host's result in the install step's outcome (`{"host", "result": {"ok" | "error"}}`).
#[derive(Debug, Serialize, Deserialize)]
struct HostRow {
    host: String,
    result: RowResult,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RowResult {
    Ok(HostInstall),
    Error(String),
}

/// Run `install`: read what each host has (read-only), plan (install, then with
/// `--activate` the activation), ask for `--activate`, then the plan's steps through the
/// journaled runner (under the operator lock with `--activate`).
pub async fn run(ctx: &Context, args: InstallArgs) -> anyhow::Result<Exit> {
    let c = ctx.valid_cluster()?;
    let hosts: Vec<&Host> = Selection {
        roles: vec![],
        hosts: super::complete::hosts_or_pick(ctx, &args.host)?,
    }
    .hosts(c)?;
    let states = tokio::task::block_in_place(|| install_states(c, &ctx.sessions, &hosts));
    let states: Vec<(String, Option<_>)> = states
        .into_iter()
        .map(|o| match o.result {
            Ok(s) => (o.host, Some(s)),
            Err(e) => {
                ctx.printer.warn(&format!(
                    "{}: install state not read: {}",
                    o.host,
                    crate::core::error_chain(&e)
                ));
                (o.host, None)
            }
        })
        .collect();
    let plan = install_plan(
        c,
        &args.host,
        &states,
        expected_sha512(c).as_deref(),
        args.activate,
    );
    if super::lifecycle::show_plan(ctx, &plan, args.dry_run) {
        return Ok(Exit::Success);
    }
    // Activation moves `current` under running daemons: asked, journaled, under the lock.
    let lock = if args.activate {
        crate::output::prompt::confirm_plan(
            &ctx.printer,
            ctx.global.yes,
            "install --activate",
            &plan.render(),
            &format!(
                "Point `current` at flink-{} on every host as planned above? Daemons pick it up when restarted.",
                c.version
            ),
        )?;
        super::lifecycle::take_lock(ctx, c, "install --activate").await?
    } else {
        None
    };
    let reporter = ctx.reporter();
    let mut j = Journal::new(
        c,
        JournalData::new(plan, serde_json::Value::Null),
        lock.as_ref(),
    );
    let r = ctx
        .run_plan(c, &mut j, Default::default(), &reporter, "flinkha install")
        .await;
    let data = j.data;
    if let Some(l) = lock {
        l.release().await;
    }
    reporter.finish();
    let Some(installed) = data.outcome(&format!("install/{}", c.version)).cloned() else {
        // The install step itself failed (fetch or checksum): nothing was uploaded.
        r?;
        anyhow::bail!("the install step recorded no outcome");
    };
    let sha512 = installed["sha512"].as_str().unwrap_or_default().to_string();
    let fetch = installed["fetch"].as_str().unwrap_or("local").to_string();
    let outcomes: Vec<HostRow> = serde_json::from_value(installed["hosts"].clone())?;
    let failed = outcomes
        .iter()
        .filter(|o| matches!(o.result, RowResult::Error(_)))
        .count();
    if ctx.printer.format == Format::Json {
        #[derive(Serialize)]
        struct Doc<'a, T: Serialize> {
            version_installed: String,
            sha512: &'a str,
            /// `install.fetch`: `local` (uploaded from here) or `remote` (each host downloaded).
            fetch: &'a str,
            hosts: &'a T,
        }
        ctx.printer.json(
            "install",
            &Doc {
                version_installed: c.version.to_string(),
                sha512: &sha512,
                fetch: &fetch,
                hosts: &outcomes,
            },
        );
    } else {
        let mut t = table::new(&["host", "result", "current"]);
        for o in &outcomes {
            let (result, current) = match &o.result {
                RowResult::Ok(h) => (
                    match &h.action {
                        InstallAction::Installed { bytes, .. } if fetch == "remote" => {
                            format!("installed ({bytes} bytes downloaded by the host)")
                        }
                        InstallAction::Installed { bytes, .. } => {
                            format!("installed ({bytes} bytes sent)")
                        }
                        InstallAction::AlreadyInstalled { .. } => {
                            "already installed: skipped".into()
                        }
                    },
                    match (&h.current_left_at, args.activate && r.is_ok()) {
                        (Some(_), true) => format!("flink-{} (activated)", c.version),
                        (Some(cur), false) => format!("{cur} (not switched; --activate)"),
                        (None, _) => format!("flink-{}", c.version),
                    },
                ),
                RowResult::Error(e) => (format!("FAILED: {e}"), "-".into()),
            };
            t.add_row(vec![o.host.clone(), result, current]);
        }
        ctx.printer.data(&t.to_string());
    }
    // The activation's error (refused after a failed host, or its own), after the table.
    r?;
    Ok(exit_for(outcomes.len() - failed, failed))
}
