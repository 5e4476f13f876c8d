//! `flinkha install`.

use clap::Args;
use serde::Serialize;

use super::{Context, Exit, exit_for};
use crate::core::journal::{Journal, JournalData};
use crate::core::model::Host;
use crate::core::ops::install::{InstallAction, fetch_and_verify, install_on_hosts};
use crate::core::ops::lifecycle::Selection;
use crate::core::plan::{Action, Plan, Step};
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
}

/// Run `install`.
pub async fn run(ctx: &Context, args: InstallArgs) -> anyhow::Result<Exit> {
    let c = ctx.valid_cluster()?;
    let hosts: Vec<&Host> = Selection {
        roles: vec![],
        hosts: super::complete::hosts_or_pick(ctx, &args.host)?,
    }
    .hosts(c)?;
    if args.activate {
        crate::output::prompt::confirm(
            ctx.global.yes,
            "install --activate",
            &format!(
                "Point `current` at flink-{} on {} host(s)? Daemons pick it up when restarted.",
                c.version,
                hosts.len()
            ),
        )?;
    }
    let reporter = ctx.reporter();
    let tarball = fetch_and_verify(c, &reporter).await?;
    crate::core::reporter::Reporter::phase(
        &reporter,
        &format!(
            "Installing flink-{} ({} bytes, sha512 {}…)",
            c.version,
            tarball.size,
            &tarball.sha512[..16]
        ),
    );
    // Install without moving `current`; activation is a step of the runner (journaled,
    // under the operator lock, recorded on the hosts as the active deployment).
    let lock = if args.activate {
        super::lifecycle::take_lock(ctx, c, "install --activate").await?
    } else {
        None
    };
    let outcomes = tokio::task::block_in_place(|| {
        install_on_hosts(
            c,
            &ctx.sessions,
            &reporter,
            &hosts,
            &tarball,
            crate::core::ops::install::LinkCurrent::IfUnset,
        )
    });
    let mut activation = None;
    if args.activate && outcomes.iter().all(|o| o.result.is_ok()) {
        let plan = Plan {
            operation: "install".into(),
            summary: vec![],
            steps: vec![Step {
                id: format!("activate/{}", c.version),
                title: format!(
                    "point `current` at flink-{} on every host and sync the conf rendered for it",
                    c.version
                ),
                downtime: false,
                action: Action::Activate { version: c.version },
            }],
        };
        let mut j = Journal::new(
            c,
            JournalData::new(plan, serde_json::Value::Null),
            lock.as_ref(),
        );
        activation = Some(
            ctx.run_plan(
                c,
                &mut j,
                Default::default(),
                &reporter,
                "flinkha install --activate",
            )
            .await,
        );
    }
    if let Some(l) = lock {
        l.release().await;
    }
    reporter.finish();
    if let Some(r) = activation {
        r?;
    }
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    if ctx.printer.format == Format::Json {
        #[derive(Serialize)]
        struct Doc<'a, T: Serialize> {
            version_installed: String,
            sha512: &'a str,
            hosts: &'a T,
        }
        ctx.printer.json(
            "install",
            &Doc {
                version_installed: c.version.to_string(),
                sha512: &tarball.sha512,
                hosts: &outcomes,
            },
        );
    } else {
        let mut t = table::new(&["host", "result", "current"]);
        for o in &outcomes {
            let (result, current) = match &o.result {
                Ok(h) => (
                    match &h.action {
                        InstallAction::Installed { bytes, .. } => {
                            format!("installed ({bytes} bytes sent)")
                        }
                        InstallAction::AlreadyInstalled { .. } => {
                            "already installed: skipped".into()
                        }
                    },
                    match (&h.current_left_at, args.activate) {
                        (Some(_), true) => format!("flink-{} (activated)", c.version),
                        (Some(cur), false) => format!("{cur} (not switched; --activate)"),
                        (None, _) => format!("flink-{}", c.version),
                    },
                ),
                Err(e) => (
                    format!("FAILED: {}", crate::core::error_chain(e)),
                    "-".into(),
                ),
            };
            t.add_row(vec![o.host.clone(), result, current]);
        }
        ctx.printer.data(&t.to_string());
    }
    Ok(exit_for(outcomes.len() - failed, failed))
}
