//! `flinkha doctor [--offline]` (minimal: the live-checks branch's stand-in, to be replaced by
//! the doctor command of the doctor work at merge; same JSON shape).

use clap::Args;

use super::{Context, Exit};
use crate::output::Format;

/// `doctor` arguments.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Only the checks that need no host.
    #[arg(long)]
    pub offline: bool,
}

/// Run `doctor`: exit 1 when any finding is an error.
pub async fn run(ctx: &Context, args: DoctorArgs) -> anyhow::Result<Exit> {
    let c = ctx.cluster()?;
    let report = crate::core::ops::doctor::run(c, &ctx.sessions, args.offline).await;
    let exit = if report.has_errors() {
        Exit::Failure
    } else {
        Exit::Success
    };
    if ctx.printer.format == Format::Json {
        ctx.printer.json("doctor", &report);
        return Ok(exit);
    }
    let mut text = String::new();
    for f in &report.findings {
        text.push_str(&format!(
            "[{}]{} {f}\n",
            f.id.as_deref().unwrap_or("-"),
            f.host
                .as_deref()
                .map(|h| format!(" {h}:"))
                .unwrap_or_default()
        ));
    }
    text.push_str(&format!(
        "{} finding(s){}\n",
        report.findings.len(),
        if report.live { "" } else { " (offline)" }
    ));
    ctx.printer.data(&text);
    Ok(exit)
}
