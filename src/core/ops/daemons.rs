//! Knowing, starting and stopping Flink and ZooKeeper daemons on a host.
//!
//! flinkha runs Flink's own scripts (`bin/zookeeper.sh`, `bin/jobmanager.sh`,
//! `bin/taskmanager.sh`) with `FLINK_CONF_DIR`, `FLINK_LOG_DIR`, `FLINK_PID_DIR` under the
//! host's install root and a per-host `FLINK_IDENT_STRING` (all honoured by Flink's
//! `bin/config.sh` / `bin/flink-daemon.sh`), so each instance has its own pid file
//! `<root>/run/flink-<cluster>-<host>-<daemon>.pid`. A daemon counts as running only when the
//! pid in that file is alive, not a zombie, and its command line names this host's conf dir:
//! never "the last pid in /tmp". Stopping sends SIGTERM to that pid and waits until the
//! process is gone, with SIGKILL after the stop timeout.
//!
//! The shell snippets are built by pure functions (unit-tested on exact output) and run in
//! one round trip per host.

use serde::Serialize;

use crate::core::model::{Cluster, Host, Role};
use crate::core::q;

/// State of one daemon instance on a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DaemonState {
    /// Running: pid alive and its command line names our conf dir.
    Up,
    /// Not running.
    Down,
    /// A pid file exists but names no live daemon of ours (crashed or killed).
    Stale,
}

/// What the probe saw of one daemon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DaemonProbe {
    /// Role.
    pub role: Role,
    /// State.
    pub state: DaemonState,
    /// Pid when up.
    pub pid: Option<u32>,
    /// Resident set size, KiB, when up.
    pub rss_kib: Option<u64>,
    /// Seconds since the process started, when up.
    pub uptime_s: Option<u64>,
}

/// What the probe saw on one host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostProbe {
    /// Target of `<root>/current` (e.g. `flink-2.1.0`), if installed.
    pub current: Option<String>,
    /// One entry per role on this host.
    pub daemons: Vec<DaemonProbe>,
}

impl HostProbe {
    /// The probe entry of `role`.
    pub fn daemon(&self, role: Role) -> Option<&DaemonProbe> {
        self.daemons.iter().find(|d| d.role == role)
    }
}

/// Shell function `ours PID`: true when PID is alive, not a zombie, and its command line
/// contains `$conf`.
const OURS_FN: &str = r#"ours() { kill -0 "$1" 2>/dev/null || return 1; [ "$(sed 's/.*) //' /proc/"$1"/stat 2>/dev/null | cut -c1)" != Z ] || return 1; tr '\0' '\n' < /proc/"$1"/cmdline 2>/dev/null | grep -qF -- "$conf"; }
livepid() { [ -f "$1" ] || return 1; for p in $(cat "$1"); do if ours "$p"; then echo "$p"; return 0; fi; done; return 1; }"#;

/// Script printing `current <target>` and one `daemon <name> <up|down|stale> <pid> <rss> <etimes>`
/// line per role.
pub fn probe_script(cluster: &Cluster, host: &Host, roles: &[Role]) -> String {
    let paths = host.paths();
    let mut s = format!("conf={}\n{OURS_FN}\n", q(&paths.conf()));
    s.push_str(&format!(
        "printf 'current %s\\n' \"$(readlink {} 2>/dev/null || echo -)\"\n",
        q(&paths.current())
    ));
    for role in roles {
        s.push_str(&format!(
            "f={pid}; if p=$(livepid \"$f\"); then echo \"daemon {d} up $p $(ps -o rss= -p $p | tr -d ' ') $(ps -o etimes= -p $p | tr -d ' ')\"; elif [ -f \"$f\" ]; then echo 'daemon {d} stale - - -'; else echo 'daemon {d} down - - -'; fi\n",
            pid = q(&cluster.pid_file(host, *role)),
            d = role.daemon(),
        ));
    }
    s
}

/// Probe `roles` on `host` in one round trip.
///
/// # Errors
/// Transport failure or a failing probe script.
pub fn probe(
    cluster: &Cluster,
    host: &Host,
    transport: &dyn crate::transport::Transport,
    roles: &[Role],
) -> crate::core::Result<HostProbe> {
    let out = crate::core::hosts::run(
        host,
        transport,
        "probe",
        &probe_script(cluster, host, roles),
    )?;
    Ok(parse_probe(&out, roles))
}

/// Parse the output of [`probe_script`].
pub fn parse_probe(output: &str, roles: &[Role]) -> HostProbe {
    let mut current = None;
    let mut daemons = Vec::new();
    for line in output.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["current", target] if *target != "-" => {
                current = Some(
                    target
                        .rsplit('/')
                        .next()
                        .unwrap_or(target)
                        .trim_end_matches('/')
                        .to_string(),
                )
            }
            ["daemon", name, state, pid, rss, et] => {
                let Some(role) = roles.iter().find(|r| r.daemon() == *name) else {
                    continue;
                };
                let state = match *state {
                    "up" => DaemonState::Up,
                    "stale" => DaemonState::Stale,
                    _ => DaemonState::Down,
                };
                daemons.push(DaemonProbe {
                    role: *role,
                    state,
                    pid: pid.parse().ok(),
                    rss_kib: rss.parse().ok(),
                    uptime_s: et.parse().ok(),
                });
            }
            _ => {}
        }
    }
    HostProbe { current, daemons }
}

/// Script starting `role` on `host` unless it already runs. Prints `already <pid>` or
/// `started <pid>`; exits 3 with a message when Flink is not installed or the conf not synced.
///
/// After the start script returns, the new pid is polled for up to 3 s before the daemon is
/// declared dead: flink-daemon.sh records the pid of a child that may still be in `execve`,
/// when `/proc/<pid>/cmdline` can read empty (seen on a loaded 2-core machine). A daemon that
/// really died gets its `.out` and log tails in the error.
pub fn start_script(cluster: &Cluster, host: &Host, role: Role) -> String {
    let paths = host.paths();
    let conf_file = cluster
        .conf
        .config
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config.yaml".into());
    let script = format!("{}/bin/{}", paths.current(), role.script());
    let arg = match role {
        Role::ZooKeeper => cluster
            .zk_peer_on(&host.name)
            .map(|z| format!(" {}", z.id))
            .unwrap_or_default(),
        _ => String::new(),
    };
    format!(
        "conf={conf}\n{OURS_FN}\nf={pid}\n\
         if p=$(livepid \"$f\"); then echo \"already $p\"; exit 0; fi\n\
         rm -f \"$f\"\n\
         [ -x {script} ] || {{ echo 'no Flink distribution at {current}: run `flinkha install`' >&2; exit 3; }}\n\
         [ -f {conf}/{conf_file} ] || {{ echo 'no config at {conf_dir}: run `flinkha sync`' >&2; exit 3; }}\n\
         mkdir -p {log} {run} {tmp}\n\
         cd {root} && env FLINK_CONF_DIR={conf} FLINK_LOG_DIR={log} FLINK_PID_DIR={run} FLINK_IDENT_STRING={ident} {script} start{arg} > {run}/{daemon}.start.out 2>&1 < /dev/null || {{ cat {run}/{daemon}.start.out >&2; exit 1; }}\n\
         i=0; until p=$(livepid \"$f\"); do i=$((i+1)); if [ $i -gt 30 ]; then echo '{daemon} exited right after start' >&2; cat {run}/{daemon}.start.out >&2; for l in $(ls -t {log}/flink-{ident}-{daemon}-*.out {log}/flink-{ident}-{daemon}-*.log 2>/dev/null | head -n 2); do echo \"== $l\" >&2; tail -n 20 \"$l\" >&2; done; exit 1; fi; sleep 0.1; done\n\
         echo \"started $p\"\n",
        conf = q(&paths.conf()),
        conf_dir = paths.conf(),
        current = paths.current(),
        pid = q(&cluster.pid_file(host, role)),
        script = q(&script),
        log = q(&paths.log()),
        run = q(&paths.run()),
        tmp = q(&paths.join("tmp")),
        root = q(&paths.root),
        ident = q(&cluster.ident(host)),
        daemon = role.daemon(),
    )
}

/// Script stopping `role` on `host`: SIGTERM to the instance's own pid, wait until it is gone,
/// SIGKILL after `timeout_s`. Prints `not-running`, `stopped <pid>` or `killed <pid>`.
pub fn stop_script(cluster: &Cluster, host: &Host, role: Role, timeout_s: u64) -> String {
    format!(
        "conf={conf}\n{OURS_FN}\nf={pid}\n\
         p=$(livepid \"$f\") || {{ rm -f \"$f\"; echo not-running; exit 0; }}\n\
         kill -TERM \"$p\"\n\
         i=0; while ours \"$p\"; do i=$((i+1)); if [ $i -gt {ticks} ]; then kill -KILL \"$p\"; while ours \"$p\"; do sleep 0.1; done; rm -f \"$f\"; echo \"killed $p\"; exit 0; fi; sleep 0.1; done\n\
         rm -f \"$f\"; echo \"stopped $p\"\n",
        conf = q(&host.paths().conf()),
        pid = q(&cluster.pid_file(host, role)),
        ticks = timeout_s * 10,
    )
}

/// Script printing the last `lines` lines of `role`'s newest log file on `host`.
pub fn log_tail_script(cluster: &Cluster, host: &Host, role: Role, lines: u32) -> String {
    let paths = host.paths();
    format!(
        "f=$(ls -t {log}/flink-{ident}-{daemon}-*.log 2>/dev/null | head -n 1); [ -n \"$f\" ] && echo \"== $f\" && tail -n {lines} \"$f\"",
        log = q(&paths.log()),
        ident = q(&cluster.ident(host)),
        daemon = role.daemon(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_probe_output() {
        let out = "current /opt/flink/flink-2.1.0\ndaemon zookeeper up 1234 98304 17\ndaemon standalonesession stale - - -\ndaemon taskexecutor down - - -\n";
        let roles = [Role::ZooKeeper, Role::JobManager, Role::TaskManager];
        let p = parse_probe(out, &roles);
        assert_eq!(p.current.as_deref(), Some("flink-2.1.0"));
        assert_eq!(p.daemon(Role::ZooKeeper).unwrap().pid, Some(1234));
        assert_eq!(p.daemon(Role::ZooKeeper).unwrap().rss_kib, Some(98304));
        assert_eq!(
            p.daemon(Role::JobManager).unwrap().state,
            DaemonState::Stale
        );
        assert_eq!(
            p.daemon(Role::TaskManager).unwrap().state,
            DaemonState::Down
        );
    }

    #[test]
    fn probe_of_nothing_installed() {
        let p = parse_probe("current -\n", &[Role::TaskManager]);
        assert_eq!(p.current, None);
        assert!(p.daemons.is_empty());
    }
}
