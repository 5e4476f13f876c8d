//! `flinkha sync`.

use clap::Args;

use super::{Context, Exit, exit_for};
use crate::core::model::Host;
use crate::core::ops::lifecycle::Selection;
use crate::core::ops::sync::{ChangeKind, sync_hosts};
use crate::output::{Format, table};

/// `sync` arguments.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Show a per-host diff of what would change; change nothing.
    #[arg(long, short = 'n')]
    pub dry_run: bool,
    /// Only these hosts (repeatable; `-H` without a name picks one at the terminal).
    #[arg(long, short = 'H', value_name = "HOST", num_args = 0..=1, default_missing_value = super::complete::HOST_PICK, add = clap_complete::engine::ArgValueCompleter::new(super::complete::hosts))]
    pub host: Vec<String>,
}

/// Run `sync`.
pub async fn run(ctx: &Context, args: SyncArgs) -> anyhow::Result<Exit> {
    let c = ctx.valid_cluster()?;
    let hosts: Vec<&Host> = Selection {
        roles: vec![],
        hosts: super::complete::hosts_or_pick(ctx, &args.host)?,
    }
    .hosts(c)?;
    let reporter = ctx.reporter();
    crate::core::reporter::Reporter::phase(
        &reporter,
        &format!(
            "{} {} to {} host(s)",
            if args.dry_run { "Comparing" } else { "Syncing" },
            c.conf.dir.display(),
            hosts.len()
        ),
    );
    let outcomes = tokio::task::block_in_place(|| {
        sync_hosts(c, &ctx.sessions, &reporter, &hosts, args.dry_run)
    });
    reporter.finish();
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    if ctx.printer.format == Format::Json {
        #[derive(serde::Serialize)]
        struct Doc<'a, T: serde::Serialize> {
            dry_run: bool,
            hosts: &'a T,
        }
        ctx.printer.json(
            "sync",
            &Doc {
                dry_run: args.dry_run,
                hosts: &outcomes,
            },
        );
        return Ok(exit_for(outcomes.len() - failed, failed));
    }
    let mut t = table::new(&["host", "file", "change", "bytes"]);
    let mut changed = 0usize;
    let mut sent = 0u64;
    for o in &outcomes {
        match &o.result {
            Ok(s) => {
                sent += s.bytes_sent;
                if s.changes.is_empty() {
                    t.add_row(vec![
                        o.host.clone(),
                        "-".into(),
                        format!("up to date ({} files)", s.unchanged),
                        "0".into(),
                    ]);
                }
                for ch in &s.changes {
                    changed += 1;
                    let kind = match ch.kind {
                        ChangeKind::Added => "added".to_string(),
                        ChangeKind::Modified => "modified".to_string(),
                        ChangeKind::ModeChanged => format!(
                            "mode {} → {}",
                            ch.old_mode.clone().unwrap_or_default(),
                            ch.new_mode
                        ),
                    };
                    t.add_row(vec![
                        o.host.clone(),
                        ch.path.clone(),
                        kind,
                        ch.bytes.to_string(),
                    ]);
                    if let Some(d) = &ch.diff {
                        ctx.printer.data(&format!("--- {} ---\n{d}", o.host));
                    }
                }
            }
            Err(e) => {
                t.add_row(vec![
                    o.host.clone(),
                    "-".into(),
                    format!("FAILED: {}", crate::core::error_chain(e)),
                    "-".into(),
                ]);
            }
        }
    }
    ctx.printer.data(&t.to_string());
    if changed == 0 && failed == 0 {
        ctx.printer
            .status("every host is up to date: nothing transferred");
    } else if args.dry_run {
        ctx.printer.status(&format!(
            "dry run: {changed} file change(s) would be made; nothing was changed"
        ));
    } else {
        let backups: Vec<String> = outcomes
            .iter()
            .filter_map(|o| {
                o.result
                    .as_ref()
                    .ok()?
                    .backup_dir
                    .as_ref()
                    .map(|b| format!("{}:{b}", o.host))
            })
            .collect();
        ctx.printer
            .status(&format!("{changed} file change(s), {sent} bytes sent"));
        if !backups.is_empty() {
            ctx.printer
                .status(&format!("previous versions kept in {}", backups.join(", ")));
        }
    }
    Ok(exit_for(outcomes.len() - failed, failed))
}
