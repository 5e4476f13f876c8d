//! `flinkha leader show [--watch]`.

use clap::Subcommand;
use serde::Serialize;

use super::{Context, Exit};
use crate::core::model::Cluster;
use crate::core::ops::leader::jobmanager_at;
use crate::output::{Format, table};
use crate::zk::leader::{Layout, LeaderView, WatchEvent, host_port_of_address};

/// `leader` subcommands.
#[derive(Debug, Subcommand)]
pub enum LeaderCommand {
    /// The leading JobManager, its dispatcher / resource manager / REST addresses, the leader
    /// session id, the latch contenders in order and each job's leader, from the HA znodes.
    Show {
        /// Follow changes (failover) until interrupted, printing each with a timestamp.
        #[arg(long, short = 'w')]
        watch: bool,
    },
}

#[derive(Serialize)]
struct LeaderDoc<'a> {
    ha_path: &'a str,
    quorum: &'a str,
    leader_host: Option<String>,
    #[serde(flatten)]
    view: &'a LeaderView,
}

fn leader_host(c: &Cluster, view: &LeaderView) -> Option<String> {
    let rest = view.rest_server.as_ref()?;
    if let Some(j) = jobmanager_at(c, &rest.address) {
        return Some(j.host.clone());
    }
    // Fall back to the dispatcher's RPC host.
    let (h, _) = host_port_of_address(&view.dispatcher.as_ref()?.address)?;
    c.hosts
        .iter()
        .find(|x| x.address == h)
        .map(|x| x.name.clone())
}

fn render(c: &Cluster, view: &LeaderView) -> String {
    let mut out = String::new();
    match view.layout {
        Layout::Empty => {
            out.push_str(&format!(
                "no leader: nothing under {} (is the cluster started? is high-availability.cluster-id `{}` right?)\n",
                view.ha_path, c.ha.cluster_id
            ));
            return out;
        }
        Layout::Legacy => out.push_str(&format!(
            "{} uses the pre-1.15 per-component layout (leaderlatch/<component>, leader/<component>); found: {}\n",
            view.ha_path,
            view.legacy_components.join(", ")
        )),
        Layout::Modern => {}
    }
    let host = leader_host(c, view).unwrap_or_else(|| "(not in the inventory)".into());
    let mut t = table::new(&["component", "leader address", "leader session id"]);
    for (name, info) in [
        ("rest_server", &view.rest_server),
        ("dispatcher", &view.dispatcher),
        ("resource_manager", &view.resource_manager),
    ] {
        match info {
            Some(i) => t.add_row(vec![
                name.to_string(),
                i.address.clone(),
                i.session_id.clone(),
            ]),
            None => t.add_row(vec![name.to_string(), "(no leader)".into(), "-".into()]),
        };
    }
    for j in &view.jobs {
        t.add_row(vec![
            format!("job {}", j.job_id),
            j.info.address.clone(),
            j.info.session_id.clone(),
        ]);
    }
    out.push_str(&format!("leader: {host}  ({})\n{t}\n", view.ha_path));
    if !view.contenders.is_empty() {
        let mut ct = table::new(&["#", "latch znode", "zk session", "created"]);
        for (i, cont) in view.contenders.iter().enumerate() {
            let created = crate::time::rfc3339_ms(cont.created_ms.max(0).unsigned_abs());
            ct.add_row(vec![
                if i == 0 {
                    "1 (leader)".to_string()
                } else {
                    (i + 1).to_string()
                },
                cont.znode.clone(),
                format!("{:#x}", cont.session_id),
                created,
            ]);
        }
        out.push_str(&format!(
            "latch contenders (lowest sequence leads):\n{ct}\n"
        ));
    }
    for n in &view.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

/// Run a `leader` subcommand.
pub async fn run(ctx: &Context, cmd: LeaderCommand) -> anyhow::Result<Exit> {
    let c = ctx.cluster()?;
    let LeaderCommand::Show { watch } = cmd;
    if !c.ha.enabled {
        anyhow::bail!(
            "high availability is off in {} (high-availability.type is not `zookeeper`): there are no leader znodes",
            c.conf.config.path.display()
        );
    }
    let path = c.ha.path();
    if !watch {
        let view = crate::core::ops::leader::view(c).await?;
        let found = view.rest_server.is_some() || view.dispatcher.is_some();
        if ctx.printer.format == Format::Json {
            ctx.printer.json(
                "leader",
                &LeaderDoc {
                    ha_path: &path,
                    quorum: &c.ha.quorum,
                    leader_host: leader_host(c, &view),
                    view: &view,
                },
            );
        } else {
            ctx.printer.data(&render(c, &view));
        }
        return Ok(if found { Exit::Success } else { Exit::Failure });
    }
    let mut w = crate::core::ops::leader::watch(c).await?;
    ctx.printer.status(&format!(
        "watching {path} on {} (Ctrl-C to stop)",
        c.ha.quorum
    ));
    while let Some(ev) = w.next().await {
        let now = humantime::format_rfc3339_millis(std::time::SystemTime::now());
        if ctx.printer.format == Format::Json {
            #[derive(Serialize)]
            struct Ev<'a> {
                time: String,
                leader_host: Option<String>,
                #[serde(flatten)]
                event: &'a WatchEvent,
            }
            let leader_host = match &ev {
                WatchEvent::View(v) => leader_host(c, v),
                _ => None,
            };
            let line = serde_json::json!({"version": crate::output::JSON_VERSION, "kind": "leader-event", "event": serde_json::to_value(Ev { time: now.to_string(), leader_host, event: &ev }).unwrap_or_default()});
            ctx.printer.data(&line.to_string());
            continue;
        }
        match ev {
            WatchEvent::View(v) => {
                let who = leader_host(c, &v).unwrap_or_else(|| "none".into());
                ctx.printer
                    .data(&format!("[{now}] leader: {who}\n{}", render(c, &v)));
            }
            WatchEvent::Disconnected { reason } => ctx.printer.data(&format!(
                "[{now}] ZooKeeper connection lost: {reason}; retrying"
            )),
            WatchEvent::Reconnected { new_session } => ctx.printer.data(&format!(
                "[{now}] reconnected{}",
                if new_session { " (new session)" } else { "" }
            )),
        }
    }
    Ok(Exit::Success)
}
