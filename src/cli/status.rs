//! `flinkha status`.

use clap::Args;

use super::{Context, Exit};
use crate::core::ops::daemons::DaemonState;
use crate::core::ops::status::status;
use crate::output::{Format, table};

/// `status` arguments.
#[derive(Debug, Args)]
pub struct StatusArgs {}

/// The version `role` on `host` runs, from its process.
fn running_version(
    s: &crate::core::ops::status::ClusterStatus,
    host: &str,
    role: crate::core::model::Role,
) -> Option<String> {
    s.deployments
        .iter()
        .find(|(h, _)| h == host)
        .and_then(|(_, st)| st.running.iter().find(|(r, _)| *r == role))
        .map(|(_, v)| v.to_string())
}

/// Run `status`. Exit 0 when every daemon is up, the quorum serves and the leader answers;
/// 1 otherwise.
pub async fn run(ctx: &Context, _args: StatusArgs) -> anyhow::Result<Exit> {
    let c = ctx.cluster()?;
    let s = status(c, &ctx.sessions).await;
    let exit = if s.healthy() {
        Exit::Success
    } else {
        Exit::Failure
    };
    if ctx.printer.format == Format::Json {
        ctx.printer.json("status", &s);
        return Ok(exit);
    }
    let leader_host = s.leader.as_ref().and_then(|l| l.host.clone());
    let mut t = table::new(&[
        "role", "host", "address", "state", "pid", "ports", "RSS MiB", "up", "version",
    ]);
    for h in &s.hosts {
        let Some(p) = &h.probe else {
            t.add_row(vec![
                "-".into(),
                h.host.clone(),
                h.address.clone(),
                format!("UNREACHABLE: {}", h.error.clone().unwrap_or_default()),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
            ]);
            continue;
        };
        for d in &p.daemons {
            let ports = match d.role {
                crate::core::model::Role::ZooKeeper => c
                    .zk_peer_on(&h.host)
                    .map(|z| {
                        format!(
                            "{} (client), {}, {}",
                            z.client_port, z.peer_port, z.leader_port
                        )
                    })
                    .unwrap_or_default(),
                crate::core::model::Role::JobManager => c
                    .jobmanagers
                    .iter()
                    .find(|j| j.host == h.host)
                    .map(|j| format!("{} (REST)", j.rest_port))
                    .unwrap_or_default(),
                crate::core::model::Role::TaskManager => {
                    let tm = s
                        .taskmanagers
                        .iter()
                        .filter(|t| t.host() == Some(h.address.as_str()))
                        .map(|t| format!("{}/{} slots free", t.free_slots, t.slots_number))
                        .collect::<Vec<_>>();
                    if tm.is_empty() {
                        "not registered".into()
                    } else {
                        tm.join(", ")
                    }
                }
            };
            let mut state = match d.state {
                DaemonState::Up => "up".to_string(),
                DaemonState::Down => "DOWN".to_string(),
                DaemonState::Stale => "DOWN (stale pid file)".to_string(),
            };
            if d.role == crate::core::model::Role::JobManager && d.state == DaemonState::Up {
                state = if leader_host.as_deref() == Some(h.host.as_str()) {
                    "up, leader".into()
                } else {
                    "up, standby".into()
                };
            }
            if d.role == crate::core::model::Role::ZooKeeper
                && d.state == DaemonState::Up
                && let Some(m) = s
                    .quorum
                    .iter()
                    .find(|q| q.host == h.host)
                    .and_then(|q| q.status.as_ref())
                    .and_then(|st| st.mode_text.clone())
            {
                state = format!("up, {m}");
            }
            t.add_row(vec![
                d.role.label().to_string(),
                h.host.clone(),
                h.address.clone(),
                state,
                d.pid.map(|p| p.to_string()).unwrap_or_else(|| "-".into()),
                ports,
                d.rss_kib
                    .map(|k| format!("{:.0}", k as f64 / 1024.0))
                    .unwrap_or_else(|| "-".into()),
                d.uptime_s
                    .map(|u| {
                        humantime::format_duration(std::time::Duration::from_secs(u)).to_string()
                    })
                    .unwrap_or_else(|| "-".into()),
                running_version(&s, &h.host, d.role)
                    .map(|v| format!("{v} (process)"))
                    .or_else(|| p.current.clone())
                    .unwrap_or_else(|| "not installed".into()),
            ]);
        }
    }
    ctx.printer.data(&t.to_string());
    let mut lines = Vec::new();
    lines.push(format!(
        "quorum: {} ({})",
        if s.quorum_serving {
            "serving"
        } else {
            "NOT serving"
        },
        crate::core::ops::health::describe_quorum(&s.quorum)
    ));
    match (&s.leader, &s.leader_error) {
        (Some(l), _) => lines.push(format!(
            "leader: {} at {} (znodes under {})",
            l.host
                .clone()
                .unwrap_or_else(|| "(not in inventory)".into()),
            l.rest_url,
            s.ha_path
        )),
        (None, Some(e)) => lines.push(format!("leader: unknown: {e}")),
        (None, None) => lines.push(format!(
            "leader: none (no leader znodes under {})",
            s.ha_path
        )),
    }
    if let Some(o) = &s.overview {
        lines.push(format!(
            "TaskManagers: {} registered, slots {}/{} free; jobs running: {}; Flink {}",
            o.taskmanagers, o.slots_available, o.slots_total, o.jobs_running, o.flink_version
        ));
    } else if let Some(e) = &s.rest_error {
        lines.push(format!("REST: {e}"));
    }
    if s.deployment != crate::core::model::Deployment::PRIMARY || s.previous.is_some() {
        lines.push(format!(
            "active deployment: {} (cluster-id {})",
            s.deployment, s.cluster_id
        ));
    }
    if let Some(p) = &s.previous {
        let daemons: Vec<String> = p
            .hosts
            .iter()
            .flat_map(|h| match &h.probe {
                Some(pr) => pr
                    .daemons
                    .iter()
                    .map(|d| {
                        format!(
                            "{} on {} {}",
                            d.role,
                            h.host,
                            match d.state {
                                DaemonState::Up => "up",
                                _ => "down",
                            }
                        )
                    })
                    .collect::<Vec<_>>(),
                None => vec![format!("{} unreachable", h.host)],
            })
            .collect();
        let running = p
            .jobs
            .iter()
            .filter(|j| !crate::rest::jobs::JobDetails::is_terminal(&j.state))
            .count();
        lines.push(format!(
            "previous deployment: {} (Flink {}, cluster-id {}), {}: {}; {running} job(s) running{}",
            p.deployment,
            p.version,
            p.cluster_id,
            match p.state {
                crate::core::ops::deployment::PreviousState::Standby =>
                    "standby until `flinkha upgrade --finalize`",
                crate::core::ops::deployment::PreviousState::Stopped =>
                    "finalized (kept for `flinkha upgrade --rollback`)",
            },
            daemons.join(", "),
            p.leader_rest
                .as_ref()
                .map(|u| format!("; its leader at {u}"))
                .unwrap_or_default()
        ));
    }
    if let Some(h) = &s.lock {
        lines.push(format!("operator lock: held by {h}"));
    }
    if let Some((op, state, done, total)) = &s.unfinished {
        lines.push(format!(
            "{op}: {state}, {done} of {total} steps done: `flinkha upgrade --resume` goes on, `flinkha upgrade --rollback` goes back"
        ));
    }
    ctx.printer.data(&lines.join("\n"));
    if let Some(u) = &s.upgrade_pending {
        ctx.printer.warn(u);
    }
    if !s.jobs.is_empty() {
        let mut jt = table::new(&["job id", "name", "state", "running for"]);
        for j in &s.jobs {
            jt.add_row(vec![
                j.jid.clone(),
                j.name.clone(),
                j.state.clone(),
                humantime::format_duration(std::time::Duration::from_secs(
                    (j.duration.max(0) / 1000) as u64,
                ))
                .to_string(),
            ]);
        }
        ctx.printer.data(&jt.to_string());
    }
    Ok(exit)
}
