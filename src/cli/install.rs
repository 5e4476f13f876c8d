//! `flinkha install`.

use clap::Args;
use serde::Serialize;

use super::{Context, Exit, exit_for};
use crate::core::model::Host;
use crate::core::ops::install::{InstallAction, fetch_and_verify, install_on_hosts};
use crate::output::{Format, table};

/// `install` arguments.
#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Only these hosts (repeatable).
    #[arg(long, short = 'H')]
    pub host: Vec<String>,
    /// Point `current` at this version even when it points at another one (an upgrade:
    /// running daemons keep their version until restarted).
    #[arg(long)]
    pub activate: bool,
}

/// Run `install`.
pub async fn run(ctx: &Context, args: InstallArgs) -> anyhow::Result<Exit> {
    let c = ctx.valid_cluster()?;
    let hosts: Vec<&Host> = if args.host.is_empty() {
        c.hosts.iter().collect()
    } else {
        args.host
            .iter()
            .map(|h| c.host(h))
            .collect::<Result<_, _>>()?
    };
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
    let outcomes = tokio::task::block_in_place(|| {
        install_on_hosts(c, &ctx.sessions, &reporter, &hosts, &tarball, args.activate)
    });
    reporter.finish();
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
                    h.current_left_at
                        .clone()
                        .map(|c| format!("{c} (not switched; --activate)"))
                        .unwrap_or_else(|| format!("flink-{}", c.version)),
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
