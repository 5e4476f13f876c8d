//! `flinkha doctor [--offline]`.

use clap::Args;
use serde::Serialize;

use super::{Context, Exit};
use crate::core::ops::doctor::{self, DoctorReport};
use crate::flinkconf::{Finding, Severity};
use crate::output::{Format, table};

/// `doctor` options.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Only the checks that need no host (conf dir and inventory); no SSH.
    #[arg(long)]
    pub offline: bool,
}

/// Counts of findings by severity, for the JSON document.
#[derive(Debug, Serialize)]
struct Counts {
    error: usize,
    warning: usize,
}

/// The JSON document (`"kind": "doctor"`).
#[derive(Serialize)]
struct Doc<'a> {
    live: bool,
    counts: Counts,
    findings: &'a [Finding],
}

/// The `where` column: the host, the `file:line`, or both.
fn place(f: &Finding) -> String {
    let file = (!f.file.as_os_str().is_empty()).then(|| f.location());
    match (&f.host, file) {
        (Some(h), Some(l)) => format!("{h}: {l}"),
        (Some(h), None) => h.clone(),
        (None, Some(l)) => l,
        (None, None) => String::new(),
    }
}

/// The report for a cluster that did not even load: its inventory or conf dir error as the
/// one finding, when it is one (`conf-*`, `inventory-invalid`); `None` for other errors.
fn load_failure(e: &anyhow::Error) -> Option<DoctorReport> {
    let finding = e.chain().find_map(|c| {
        if let Some(conf) = c.downcast_ref::<crate::flinkconf::ConfError>() {
            return Some(conf.to_finding());
        }
        match c.downcast_ref::<crate::core::Error>()? {
            crate::core::Error::Conf(conf) => Some(conf.to_finding()),
            crate::core::Error::Inventory {
                path,
                line,
                message,
                ..
            } => Some(
                Finding::error(
                    path,
                    *line,
                    message.clone(),
                    Some("fix the inventory (see conf.example/flinkha.yaml)".into()),
                )
                .with_id("inventory-invalid"),
            ),
            _ => None,
        }
    })?;
    Some(DoctorReport {
        live: false,
        findings: vec![finding],
    })
}

/// Run `flinkha doctor`: exit 0 when no finding is an error, 1 otherwise.
pub async fn run(ctx: &Context, args: DoctorArgs) -> anyhow::Result<Exit> {
    let report = match ctx.cluster() {
        Ok(c) => {
            if !args.offline {
                ctx.printer.status(&format!(
                    "==> Checking the conf dir, the inventory and {} host(s) over SSH",
                    c.hosts.len()
                ));
            }
            doctor::run(c, &ctx.sessions, args.offline).await
        }
        Err(e) => match load_failure(&e) {
            Some(r) => r,
            None => return Err(e),
        },
    };
    let errors = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = report.findings.len() - errors;
    if ctx.printer.format == Format::Json {
        ctx.printer.json(
            "doctor",
            &Doc {
                live: report.live,
                counts: Counts {
                    error: errors,
                    warning: warnings,
                },
                findings: &report.findings,
            },
        );
    } else {
        if !report.findings.is_empty() {
            let mut t = table::new(&["id", "severity", "where", "what", "fix"]);
            for f in &report.findings {
                t.add_row(vec![
                    f.id.clone().unwrap_or_default(),
                    f.severity.to_string(),
                    place(f),
                    f.message.clone(),
                    f.hint.clone().unwrap_or_default(),
                ]);
            }
            ctx.printer.data(&t.to_string());
        }
        ctx.printer.status(&format!(
            "{}: {errors} error(s), {warnings} warning(s){}",
            if errors == 0 {
                "ok"
            } else {
                "doctor found errors"
            },
            if report.live {
                ""
            } else {
                " (offline checks only)"
            }
        ));
    }
    Ok(if errors == 0 {
        Exit::Success
    } else {
        Exit::Failure
    })
}
