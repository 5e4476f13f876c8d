//! `flinkha config show|check`.

use clap::Subcommand;
use serde::Serialize;

use super::{Context, Exit};
use crate::core::model::Host;
use crate::core::ops::check::check;
use crate::core::render::{per_host_keys, zoo_cfg_overrides};
use crate::flinkconf::secrets::redact_value;
use crate::output::{Format, table};

/// `config` subcommands.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// The resolved view of what each host gets: roles, paths and per-host values.
    Show {
        /// Only this host (`-H` without a name picks one at the terminal).
        #[arg(long, short = 'H', value_name = "HOST", num_args = 0..=1, default_missing_value = super::complete::HOST_PICK, add = clap_complete::engine::ArgValueCompleter::new(super::complete::hosts))]
        host: Option<String>,
    },
    /// Validate inventory and conf dir before anything runs; each finding names file:line.
    Check,
}

#[derive(Serialize)]
struct HostView<'a> {
    host: &'a str,
    address: &'a str,
    install_root: &'a str,
    roles: Vec<&'static str>,
    flink_keys: Vec<(String, String)>,
    zoo_cfg: Vec<(String, String)>,
}

fn view<'a>(ctx: &'a Context, h: &'a Host) -> anyhow::Result<HostView<'a>> {
    let c = ctx.cluster()?;
    Ok(HostView {
        host: &h.name,
        address: &h.address,
        install_root: &h.install_root,
        roles: c.roles_on(&h.name).into_iter().map(|r| r.label()).collect(),
        // Shown, never written: secret values (Flink's sensitive keys) are hidden.
        flink_keys: per_host_keys(c, h)
            .into_iter()
            .map(|(k, v)| {
                let shown = redact_value(&k, &v).into_owned();
                (k, shown)
            })
            .collect(),
        zoo_cfg: if c.zk_peer_on(&h.name).is_some() {
            zoo_cfg_overrides(c, h)
        } else {
            Vec::new()
        },
    })
}

/// Run a `config` subcommand.
pub async fn run(ctx: &Context, cmd: ConfigCommand) -> anyhow::Result<Exit> {
    let c = ctx.cluster()?;
    match cmd {
        ConfigCommand::Show { host } => {
            let host = match host {
                Some(h) if h == super::complete::HOST_PICK => {
                    Some(super::complete::hosts_or_pick(ctx, &[h])?.remove(0))
                }
                h => h,
            };
            let hosts: Vec<&Host> = match &host {
                Some(h) => vec![c.host(h)?],
                None => c.hosts.iter().collect(),
            };
            let views = hosts
                .iter()
                .map(|h| view(ctx, h))
                .collect::<anyhow::Result<Vec<_>>>()?;
            if ctx.printer.format == Format::Json {
                #[derive(Serialize)]
                struct Doc<'a> {
                    cluster: &'a str,
                    flink_version: String,
                    config_file: String,
                    ha_path: String,
                    zookeeper_quorum: &'a str,
                    /// The SASL login and ACL mode (the password as `******`).
                    zookeeper_security: &'a crate::zk::ZkSecurity,
                    hosts: Vec<HostView<'a>>,
                }
                ctx.printer.json(
                    "config",
                    &Doc {
                        cluster: &c.name,
                        flink_version: c.version.to_string(),
                        config_file: c.conf.config.path.display().to_string(),
                        ha_path: c.ha.path(),
                        zookeeper_quorum: &c.ha.quorum,
                        zookeeper_security: &c.ha.security,
                        hosts: views,
                    },
                );
                return Ok(Exit::Success);
            }
            ctx.printer.data(&format!(
                "cluster {} · Flink {} · config {} · HA {} · quorum {}{}",
                c.name,
                c.version,
                c.conf.config.path.display(),
                if c.ha.enabled {
                    c.ha.path()
                } else {
                    "off".into()
                },
                c.ha.quorum,
                c.ha.security
                    .summary()
                    .map(|s| format!(" · {s}"))
                    .unwrap_or_default()
            ));
            for v in views {
                let mut t = table::new(&["key", "value"]);
                t.add_row(vec!["roles".to_string(), v.roles.join(", ")]);
                t.add_row(vec!["install root".to_string(), v.install_root.to_string()]);
                for (k, val) in &v.flink_keys {
                    t.add_row(vec![k.clone(), val.clone()]);
                }
                for (k, val) in &v.zoo_cfg {
                    t.add_row(vec![format!("zoo.cfg {k}"), val.clone()]);
                }
                ctx.printer
                    .data(&format!("\n{} ({})\n{t}", v.host, v.address));
            }
            Ok(Exit::Success)
        }
        ConfigCommand::Check => {
            let findings = check(c);
            let errors = findings.iter().filter(|f| f.is_error()).count();
            let warnings = findings.len() - errors;
            if ctx.printer.format == Format::Json {
                #[derive(Serialize)]
                struct Doc<'a> {
                    errors: usize,
                    warnings: usize,
                    findings: &'a [crate::flinkconf::Finding],
                }
                ctx.printer.json(
                    "config-check",
                    &Doc {
                        errors,
                        warnings,
                        findings: &findings,
                    },
                );
            } else {
                for f in &findings {
                    ctx.printer.data(&f.to_string());
                }
                ctx.printer.status(&format!(
                    "{}: {errors} error(s), {warnings} warning(s) in {} and {}",
                    if errors == 0 {
                        "ok"
                    } else {
                        "config check failed"
                    },
                    c.inventory_path.display(),
                    c.conf.dir.display()
                ));
            }
            Ok(if errors == 0 {
                Exit::Success
            } else {
                Exit::Failure
            })
        }
    }
}
