//! `flinkha zk start|stop|status`.

use clap::Subcommand;

use super::{Context, Exit};
use crate::core::model::Role;
use crate::core::ops::health;
use crate::core::ops::lifecycle::Selection;
use crate::output::{Format, table};

/// `zk` subcommands.
#[derive(Debug, Subcommand)]
pub enum ZkCommand {
    /// Start the quorum from zoo.cfg with Flink's bundled ZooKeeper; returns when it serves.
    Start {
        /// Show the plan (which servers start, which already run); start nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Stop the quorum; returns when the processes are gone.
    Stop {
        /// Show the plan (which servers stop, with pids); stop nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Per server: mode, zxid, connections, latency (four-letter word `srvr`).
    Status,
}

/// Run a `zk` subcommand.
pub async fn run(ctx: &Context, cmd: ZkCommand) -> anyhow::Result<Exit> {
    let sel = Selection {
        roles: vec![Role::ZooKeeper],
        hosts: Vec::new(),
    };
    match cmd {
        ZkCommand::Start { dry_run } => super::lifecycle::start_selection(ctx, sel, dry_run).await,
        ZkCommand::Stop { dry_run } => {
            super::lifecycle::stop_selection(ctx, sel, dry_run, false).await
        }
        ZkCommand::Status => {
            let c = ctx.cluster()?;
            if c.zookeeper.is_empty() {
                ctx.printer.status(&format!(
                    "no zoo.cfg servers: external quorum {}",
                    c.ha.quorum
                ));
            }
            let peers = health::quorum_status(c).await;
            let serving = health::quorum_serving(&peers);
            if ctx.printer.format == Format::Json {
                #[derive(serde::Serialize)]
                struct Doc<'a> {
                    serving: bool,
                    servers: &'a [health::PeerStatus],
                }
                ctx.printer.json(
                    "zk-status",
                    &Doc {
                        serving,
                        servers: &peers,
                    },
                );
            } else {
                ctx.printer.data(&peer_table(&peers).to_string());
                ctx.printer.status(if serving {
                    "quorum: serving"
                } else {
                    "quorum: NOT serving"
                });
            }
            Ok(if serving {
                Exit::Success
            } else {
                Exit::Failure
            })
        }
    }
}

/// Table of `srvr` answers.
pub fn peer_table(peers: &[health::PeerStatus]) -> comfy_table::Table {
    let mut t = table::new(&[
        "id",
        "host",
        "endpoint",
        "mode",
        "zxid",
        "connections",
        "latency min/avg/max ms",
        "version",
    ]);
    for p in peers {
        match &p.status {
            Some(s) => t.add_row(vec![
                p.id.to_string(),
                p.host.clone(),
                p.endpoint.clone(),
                s.mode_text
                    .clone()
                    .unwrap_or_else(|| format!("{:?}", s.mode).to_lowercase()),
                s.zxid
                    .map(|z| format!("{z:#x}"))
                    .unwrap_or_else(|| "-".into()),
                s.connections
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "-".into()),
                match (s.latency_min_ms, s.latency_avg_ms, s.latency_max_ms) {
                    (Some(a), Some(b), Some(c)) => format!("{a}/{b:.2}/{c}"),
                    _ => "-".into(),
                },
                s.version
                    .clone()
                    .unwrap_or_default()
                    .split('-')
                    .next()
                    .unwrap_or("")
                    .to_string(),
            ]),
            None => t.add_row(vec![
                p.id.to_string(),
                p.host.clone(),
                p.endpoint.clone(),
                "down".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                p.error.clone().unwrap_or_default(),
            ]),
        };
    }
    t
}
