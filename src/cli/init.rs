//! `flinkha init [DIR]`: the wizard. Every question has a flag; only what was not given is
//! asked, and only at a terminal. Renders with [`crate::core::init`], shows the plan, asks,
//! writes atomically, and runs the offline checks on the result.

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use super::{Context, Exit};
use crate::core::Error;
use crate::core::init::{
    self, Distribution, InitHost, InitSpec, InitSsh, Ports, TargetState, default_cluster_id,
    default_jobmanagers, default_state_dirs, default_taskmanagers, default_zookeeper, to_uri,
};
use crate::flinkconf::{Finding, Version};
use crate::output::prompt::ConfirmError;
use crate::output::{Format, Printer, table};

/// `init` arguments: one flag per question.
#[derive(Debug, Clone, Args, Default)]
pub struct InitArgs {
    /// Directory to write `flinkha.yaml` and `conf/` into (created; must be empty or missing
    /// unless --force) [default: .].
    pub dir: Option<PathBuf>,
    /// A host: `name=address[:ssh-port]` (repeatable, in order; the first hosts get the
    /// ZooKeeper servers and JobManagers by default).
    #[arg(long = "host", value_name = "NAME=ADDR[:PORT]")]
    pub hosts: Vec<String>,
    /// ZooKeeper hosts, comma-separated [default: the first 3 hosts, or the first one with
    /// fewer than 3].
    #[arg(long, value_delimiter = ',', value_name = "H1,H2,H3")]
    pub zookeeper: Option<Vec<String>>,
    /// JobManager hosts, comma-separated [default: the first 2 hosts].
    #[arg(long, value_delimiter = ',', value_name = "H1,H2")]
    pub jobmanagers: Option<Vec<String>>,
    /// TaskManager hosts, comma-separated [default: every host].
    #[arg(long, value_delimiter = ',', value_name = "H1,H2,...")]
    pub taskmanagers: Option<Vec<String>>,
    /// Flink version, e.g. `2.1.0` (1.19 or later).
    #[arg(long, value_name = "VERSION")]
    pub flink_version: Option<String>,
    /// The Flink distribution tarball: a local path or an HTTP(S) URL [default: Apache's
    /// archive URL of flink-<version>-bin-scala_2.12.tgz].
    #[arg(long, value_name = "PATH|URL")]
    pub distribution: Option<String>,
    /// The tarball's SHA-512 (hex) [default: read from `<distribution>.sha512`].
    #[arg(long, value_name = "HEX")]
    pub sha512: Option<String>,
    /// `high-availability.storageDir`: an absolute URI on storage every JobManager reaches
    /// (`hdfs:///flink/ha`, `s3://bucket/flink/ha`, `file:///nfs/flink/ha`; an absolute path
    /// becomes `file://…`).
    #[arg(long, value_name = "URI")]
    pub ha_storage: Option<String>,
    /// Short cluster name (daemon ident strings, pid and log files) [default: flink].
    #[arg(long, value_name = "NAME")]
    pub cluster: Option<String>,
    /// `high-availability.cluster-id` [default: /<cluster>].
    #[arg(long, value_name = "PATH")]
    pub cluster_id: Option<String>,
    /// `execution.checkpointing.dir` [default: beside the HA storage dir, `…/checkpoints`].
    #[arg(long, value_name = "URI")]
    pub checkpoints: Option<String>,
    /// `execution.checkpointing.savepoint-dir` [default: beside the HA storage dir,
    /// `…/savepoints`].
    #[arg(long, value_name = "URI")]
    pub savepoints: Option<String>,
    /// Install root on every host; `{host}` is replaced by each host's name (several hosts
    /// on one machine) [default: /opt/flink].
    #[arg(long, value_name = "PATH")]
    pub root: Option<String>,
    /// SSH login user [default: the user running flinkha].
    #[arg(long, value_name = "USER")]
    pub ssh_user: Option<String>,
    /// SSH port of every host without its own `:port` [default: 22].
    #[arg(long, value_name = "PORT")]
    pub ssh_port: Option<u16>,
    /// SSH private key file [default: the agent only].
    #[arg(long, value_name = "FILE")]
    pub identity_file: Option<String>,
    /// known_hosts file [default: ~/.ssh/known_hosts].
    #[arg(long, value_name = "FILE")]
    pub known_hosts: Option<String>,
    /// `strict` (unknown host keys refused) or `accept-new` [default: strict].
    #[arg(long, value_name = "POLICY")]
    pub host_key_policy: Option<String>,
    /// Replace a non-empty DIR (it is kept as DIR.bak-<UTC time>).
    #[arg(long)]
    pub force: bool,
}

/// Asks at the terminal; `None` when nobody is there to ask.
#[derive(Clone, Copy)]
struct Asker {
    interactive: bool,
    /// `--yes`: questions that have a default are not asked.
    yes: bool,
}

fn cancelled() -> anyhow::Error {
    ConfirmError::Declined {
        what: "init".into(),
    }
    .into()
}

fn missing(flag: &str, what: &str) -> anyhow::Error {
    Error::Usage {
        message: format!(
            "{what} is needed: pass {flag} (stdin/stderr is not a terminal, so flinkha init can't ask)"
        ),
    }
    .into()
}

impl Asker {
    /// A question with a default: asked only at a terminal without --yes.
    fn ask_default(&self) -> bool {
        self.interactive && !self.yes
    }

    fn input(
        &self,
        prompt: &str,
        default: Option<String>,
        validate: impl Fn(&str) -> Result<(), String>,
    ) -> anyhow::Result<String> {
        let mut i = dialoguer::Input::<String>::new().with_prompt(prompt);
        if let Some(d) = default {
            i = i.default(d);
        }
        i.validate_with(|s: &String| validate(s))
            .interact_text()
            .map_err(|_| cancelled())
    }

    fn select_hosts(
        &self,
        prompt: &str,
        hosts: &[InitHost],
        defaults: &[String],
    ) -> anyhow::Result<Vec<String>> {
        let items: Vec<String> = hosts
            .iter()
            .map(|h| format!("{} ({})", h.name, h.address))
            .collect();
        let checked: Vec<bool> = hosts.iter().map(|h| defaults.contains(&h.name)).collect();
        loop {
            let picked = dialoguer::MultiSelect::new()
                .with_prompt(format!("{prompt} (space toggles, enter accepts)"))
                .items(&items)
                .defaults(&checked)
                .interact_opt()
                .map_err(|_| cancelled())?
                .ok_or_else(cancelled)?;
            if !picked.is_empty() {
                return Ok(picked.into_iter().map(|i| hosts[i].name.clone()).collect());
            }
            Printer {
                format: Format::Table,
                quiet: false,
                progress: false,
            }
            .warn("pick at least one host");
        }
    }

    fn confirm(&self, prompt: &str, default: bool) -> anyhow::Result<bool> {
        dialoguer::Confirm::new()
            .with_prompt(prompt)
            .default(default)
            .interact()
            .map_err(|_| cancelled())
    }
}

fn uri_validator(flag: &'static str) -> impl Fn(&str) -> Result<(), String> {
    move |s: &str| to_uri(flag, s).map(|_| ()).map_err(|e| e.to_string())
}

/// The newest Flink release flinkha has a key list for: the wizard's default version.
fn newest_known_version() -> Version {
    crate::flinkconf::key_list_version(&Version::new(u32::MAX, 0, 0))
}

fn parse_version(s: &str) -> Result<Version, String> {
    let v: Version = s
        .parse()
        .map_err(|e: crate::flinkconf::VersionParseError| format!("--flink-version: {e}"))?;
    if !v.at_least(1, 19) {
        return Err(format!(
            "--flink-version {v}: flinkha init writes config.yaml, which Flink reads from 1.19 on"
        ));
    }
    Ok(v)
}

/// Fill in every answer: flags first, then questions at a terminal, then defaults.
fn build_spec(args: &InitArgs, ask: &Asker, printer: &Printer) -> anyhow::Result<InitSpec> {
    let cluster = match &args.cluster {
        Some(c) => c.clone(),
        None if ask.ask_default() => ask.input("Cluster name", Some("flink".into()), |s| {
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            {
                Ok(())
            } else {
                Err("use letters, digits, `.`, `_` and `-`".into())
            }
        })?,
        None => "flink".into(),
    };

    let mut hosts: Vec<InitHost> = args
        .hosts
        .iter()
        .map(|h| InitHost::parse(h))
        .collect::<Result<_, _>>()?;
    if hosts.is_empty() {
        if !ask.interactive {
            return Err(missing(
                "--host name=address[:ssh-port] (repeated)",
                "a host",
            ));
        }
        printer.status(
            "Hosts: one per line as name=address[:ssh-port]; an empty line when done. \
             The first 3 get the ZooKeeper servers, the first 2 the JobManagers (you can change that next).",
        );
        loop {
            let n = hosts.len() + 1;
            let taken: Vec<InitHost> = hosts.clone();
            let line = dialoguer::Input::<String>::new()
                .with_prompt(format!("Host {n}"))
                .allow_empty(true)
                .validate_with(|s: &String| -> Result<(), String> {
                    if s.trim().is_empty() {
                        return if taken.is_empty() {
                            Err("give at least one host".into())
                        } else {
                            Ok(())
                        };
                    }
                    let h = InitHost::parse(s).map_err(|e| e.to_string())?;
                    if taken.iter().any(|t| t.name == h.name) {
                        return Err(format!("`{}` is already a host", h.name));
                    }
                    Ok(())
                })
                .interact_text()
                .map_err(|_| cancelled())?;
            if line.trim().is_empty() {
                break;
            }
            hosts.push(InitHost::parse(&line)?);
        }
    }

    let zookeeper = match &args.zookeeper {
        Some(z) => z.clone(),
        None if ask.ask_default() => loop {
            let z = ask.select_hosts("ZooKeeper servers", &hosts, &default_zookeeper(&hosts))?;
            if z.len() >= 3 && z.len() % 2 == 1 {
                break z;
            }
            let why = if z.len() % 2 == 0 {
                format!(
                    "{} ZooKeeper servers tolerate no more failures than {} would",
                    z.len(),
                    z.len() - 1
                )
            } else {
                format!(
                    "{} ZooKeeper server(s): the quorum survives no server failure",
                    z.len()
                )
            };
            if ask.confirm(&format!("{why}. Keep these {}?", z.len()), false)? {
                break z;
            }
        },
        None => default_zookeeper(&hosts),
    };
    let jobmanagers = match &args.jobmanagers {
        Some(j) => j.clone(),
        None if ask.ask_default() => {
            ask.select_hosts("JobManagers", &hosts, &default_jobmanagers(&hosts))?
        }
        None => default_jobmanagers(&hosts),
    };
    let taskmanagers = match &args.taskmanagers {
        Some(t) => t.clone(),
        None if ask.ask_default() => {
            ask.select_hosts("TaskManagers", &hosts, &default_taskmanagers(&hosts))?
        }
        None => default_taskmanagers(&hosts),
    };

    let flink_version = match &args.flink_version {
        Some(v) => parse_version(v).map_err(|message| Error::Usage { message })?,
        None if ask.interactive => {
            let v = ask.input(
                "Flink version",
                Some(newest_known_version().to_string()),
                |s| parse_version(s).map(|_| ()),
            )?;
            parse_version(&v).map_err(|message| Error::Usage { message })?
        }
        None => return Err(missing("--flink-version", "the Flink version")),
    };
    let distribution = match &args.distribution {
        Some(d) => Distribution::parse(d),
        None if ask.ask_default() => Distribution::parse(&ask.input(
            "Flink distribution (tarball path or http(s) URL)",
            Some(Distribution::apache(&flink_version).to_string()),
            |_| Ok(()),
        )?),
        None => Distribution::apache(&flink_version),
    };
    let sha512 = match &args.sha512 {
        Some(s) => Some(s.trim().to_string()),
        None if ask.ask_default() => {
            let s = dialoguer::Input::<String>::new()
                .with_prompt(format!(
                    "SHA-512 of the tarball (empty: read {distribution}.sha512)"
                ))
                .allow_empty(true)
                .validate_with(|s: &String| -> Result<(), String> {
                    let s = s.trim();
                    if s.is_empty() || (s.len() == 128 && s.bytes().all(|b| b.is_ascii_hexdigit()))
                    {
                        Ok(())
                    } else {
                        Err("128 hex digits, or empty".into())
                    }
                })
                .interact_text()
                .map_err(|_| cancelled())?;
            Some(s.trim().to_string()).filter(|s| !s.is_empty())
        }
        None => None,
    };

    let ha_storage_dir = match &args.ha_storage {
        Some(s) => to_uri("--ha-storage", s)?,
        None if ask.interactive => to_uri(
            "--ha-storage",
            &ask.input(
                "HA storage dir (high-availability.storageDir; shared by every JobManager: hdfs://, s3://, or file:// on NFS)",
                None,
                uri_validator("--ha-storage"),
            )?,
        )?,
        None => return Err(missing("--ha-storage URI", "the HA storage dir")),
    };
    let cluster_id = match &args.cluster_id {
        Some(c) => c.clone(),
        None if ask.ask_default() => ask.input(
            "high-availability.cluster-id (unique per cluster on the quorum)",
            Some(default_cluster_id(&cluster)),
            |s| {
                if s.trim().is_empty() || s.contains(char::is_whitespace) {
                    Err("a ZooKeeper path such as /prod".into())
                } else {
                    Ok(())
                }
            },
        )?,
        None => default_cluster_id(&cluster),
    };
    let (default_cp, default_sp) = default_state_dirs(&ha_storage_dir);
    let checkpoints_dir = match &args.checkpoints {
        Some(s) => to_uri("--checkpoints", s)?,
        None if ask.ask_default() => to_uri(
            "--checkpoints",
            &ask.input(
                "Checkpoint dir (execution.checkpointing.dir)",
                Some(default_cp),
                uri_validator("--checkpoints"),
            )?,
        )?,
        None => default_cp,
    };
    let savepoints_dir = match &args.savepoints {
        Some(s) => to_uri("--savepoints", s)?,
        None if ask.ask_default() => to_uri(
            "--savepoints",
            &ask.input(
                "Savepoint dir (execution.checkpointing.savepoint-dir)",
                Some(default_sp),
                uri_validator("--savepoints"),
            )?,
        )?,
        None => default_sp,
    };
    let install_root = match &args.root {
        Some(r) => r.clone(),
        None if ask.ask_default() => ask.input(
            "Install root on every host ({host} = the host's name)",
            Some("/opt/flink".into()),
            |s| {
                if s.starts_with('/') {
                    Ok(())
                } else {
                    Err("an absolute path".into())
                }
            },
        )?,
        None => "/opt/flink".into(),
    };
    let ssh_user = match &args.ssh_user {
        Some(u) => Some(u.clone()),
        None if ask.ask_default() => {
            let me = std::env::var("USER").unwrap_or_default();
            let u = ask.input("SSH user", Some(me).filter(|m| !m.is_empty()), |s| {
                if s.trim().is_empty() || s.contains(char::is_whitespace) {
                    Err("a user name".into())
                } else {
                    Ok(())
                }
            })?;
            Some(u)
        }
        None => None,
    };
    Ok(InitSpec {
        cluster,
        hosts,
        zookeeper,
        jobmanagers,
        taskmanagers,
        flink_version,
        distribution,
        sha512,
        ha_storage_dir,
        cluster_id,
        checkpoints_dir,
        savepoints_dir,
        install_root,
        ssh: InitSsh {
            user: ssh_user,
            port: args.ssh_port,
            identity_file: args.identity_file.as_deref().map(absolute_file),
            known_hosts: args.known_hosts.as_deref().map(absolute_file),
            host_key_policy: args.host_key_policy.clone(),
        },
        ports: Ports::default(),
    })
}

/// A file named on the command line, absolute against the current directory (the inventory
/// resolves relative paths against its own directory); `~/…` is kept for the inventory to
/// expand on each use.
fn absolute_file(p: &str) -> String {
    if p.starts_with('~') {
        return p.to_string();
    }
    std::path::absolute(p)
        .map(|a| a.display().to_string())
        .unwrap_or_else(|_| p.to_string())
}

fn plan_text(spec: &InitSpec, target: &Path, files: &[init::InitFile]) -> String {
    let mut t = table::new(&["host", "address", "roles"]);
    for h in &spec.hosts {
        let mut roles = Vec::new();
        if let Some(i) = spec.zookeeper.iter().position(|z| *z == h.name) {
            roles.push(format!("ZooKeeper (server.{})", i + 1));
        }
        if spec.jobmanagers.contains(&h.name) {
            roles.push("JobManager".into());
        }
        if spec.taskmanagers.contains(&h.name) {
            roles.push("TaskManager".into());
        }
        let addr = match h.ssh_port {
            Some(p) => format!("{} (ssh port {p})", h.address),
            None => h.address.clone(),
        };
        t.add_row(vec![h.name.clone(), addr, roles.join(", ")]);
    }
    let mut s = format!(
        "cluster {} · Flink {} · {}\n{t}\n",
        spec.cluster,
        spec.flink_version,
        match &spec.sha512 {
            Some(_) => format!("{} (SHA-512 given)", spec.distribution),
            None => format!("{} (SHA-512 from {0}.sha512)", spec.distribution),
        }
    );
    for (k, v) in [
        ("high-availability.storageDir", &spec.ha_storage_dir),
        ("high-availability.cluster-id", &spec.cluster_id),
        ("execution.checkpointing.dir", &spec.checkpoints_dir),
        (
            "execution.checkpointing.savepoint-dir",
            &spec.savepoints_dir,
        ),
        ("install root", &spec.install_root),
    ] {
        s.push_str(&format!("  {k}: {v}\n"));
    }
    s.push_str(&format!("files to write under {}:\n", target.display()));
    for f in files {
        s.push_str(&format!(
            "  {} ({} bytes)\n",
            f.path.display(),
            f.content.len()
        ));
    }
    s
}

#[derive(Serialize)]
struct Doc<'a> {
    dir: &'a Path,
    inventory: &'a Path,
    backup: Option<&'a Path>,
    files: Vec<PathBuf>,
    spec: &'a InitSpec,
    errors: usize,
    warnings: usize,
    findings: &'a [Finding],
}

/// Run `init`.
pub async fn run(ctx: &Context, args: InitArgs) -> anyhow::Result<Exit> {
    let printer = ctx.printer;
    let ask = Asker {
        interactive: Printer::can_prompt(),
        yes: ctx.global.yes,
    };
    let target = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    // Refuse a non-empty target before asking anything.
    if let TargetState::NonEmpty { entries } = init::target_state(&target)?
        && !args.force
    {
        return Err(init::refuse_non_empty(&target, entries).into());
    }
    // The questions block on the terminal: off the async runtime's thread, so Ctrl-C (which
    // the prompts turn into SIGINT) reaches the interrupt handler of `cli::main`.
    let spec = {
        let args = args.clone();
        tokio::task::spawn_blocking(move || build_spec(&args, &ask, &printer)).await??
    };
    let files = init::render(&spec)?;
    let staged = init::stage(&target, &files)?;
    let errors: Vec<Finding> = staged
        .findings
        .iter()
        .filter(|f| f.is_error())
        .cloned()
        .collect();
    if !errors.is_empty() {
        // `doctor --offline` would call this an error: nothing is written.
        return Err(Error::Invalid { findings: errors }.into());
    }
    let target_abs = staged.target().to_path_buf();
    if printer.format == Format::Table {
        printer.data(&plan_text(&spec, &target_abs, &files));
        for f in &staged.findings {
            printer.data(&f.to_string());
        }
    }
    let replacing = matches!(
        init::target_state(&target_abs)?,
        TargetState::NonEmpty { .. }
    );
    crate::output::prompt::confirm(
        ctx.global.yes,
        "init",
        &format!(
            "Write {} files to {}{}?",
            files.len(),
            target_abs.display(),
            if replacing {
                " (the directory there now is kept as a backup)"
            } else {
                ""
            }
        ),
    )?;
    let done = staged.commit(args.force)?;

    // The offline checks again, on the files where they now are.
    let cluster = crate::core::model::Cluster::load(&done.inventory)?;
    let findings = crate::core::ops::doctor::offline::checks(&cluster);
    let n_err = findings.iter().filter(|f| f.is_error()).count();
    let n_warn = findings.len() - n_err;
    if printer.format == Format::Json {
        printer.json(
            "init",
            &Doc {
                dir: &done.target,
                inventory: &done.inventory,
                backup: done.backup.as_deref(),
                files: files.iter().map(|f| f.path.clone()).collect(),
                spec: &spec,
                errors: n_err,
                warnings: n_warn,
                findings: &findings,
            },
        );
    } else {
        if let Some(b) = &done.backup {
            printer.status(&format!("kept the previous directory as {}", b.display()));
        }
        printer.status(&format!(
            "wrote {} ({} files); offline checks: {n_err} error(s), {n_warn} warning(s)",
            done.target.display(),
            files.len()
        ));
        let c = done.inventory.display();
        printer.status(&format!(
            "next: flinkha -c {c} config check, then install, sync, zk start, start"
        ));
    }
    Ok(if n_err == 0 {
        Exit::Success
    } else {
        Exit::Failure
    })
}
