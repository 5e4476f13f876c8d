//! Knowing, starting and stopping Flink and ZooKeeper daemons on a host.
//!
//! flinkha runs Flink's own scripts (`bin/zookeeper.sh`, `bin/jobmanager.sh`,
//! `bin/taskmanager.sh`) with `FLINK_CONF_DIR`, `FLINK_LOG_DIR`, `FLINK_PID_DIR` under the
//! host's install root and a per-host `FLINK_IDENT_STRING` (all honoured by Flink's
//! `bin/config.sh` / `bin/flink-daemon.sh`), so each instance has its own pid file
//! `<root>/run/flink-<cluster>-<host>-<daemon>.pid`. A daemon counts as running only when the
//! pid in that file is alive, not a zombie, and its command line names this host's conf dir,
//! the role's Java main class and the instance's log file (`flink-<ident>-<daemon>-…`): never
//! "the last pid in /tmp", nor a pid the kernel reused for another daemon of the same install. Stopping sends SIGTERM to that pid and waits until the
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
    /// Running: pid alive and its command line names our conf dir, the role's main class and
    /// the instance's log file.
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

/// The Java main class flink-daemon.sh runs for `role` (`CLASS_TO_RUN` in Flink's
/// `bin/flink-daemon.sh`, the same from 1.x to 2.x).
pub fn main_class(role: Role) -> &'static str {
    match role {
        Role::ZooKeeper => "org.apache.flink.runtime.zookeeper.FlinkZooKeeperQuorumPeer",
        Role::JobManager => {
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"
        }
        Role::TaskManager => "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
    }
}

/// The start of the log file name flink-daemon.sh gives `role`'s instance on `host`
/// (`-Dlog.file=$FLINK_LOG_DIR/flink-$FLINK_IDENT_STRING-$DAEMON-$id-$HOSTNAME.log`):
/// `flink-<ident>-<daemon>-`.
pub fn log_name(cluster: &Cluster, host: &Host, role: Role) -> String {
    format!(
        "flink-{}-{}-",
        cluster.role_ident(host, role),
        role.daemon()
    )
}

/// ` CLASS LOGNAME`: the arguments of `ours` / `livepid` after the pid (file) for `role`.
pub(crate) fn ours_args(cluster: &Cluster, host: &Host, role: Role) -> String {
    format!(
        " {} {}",
        q(main_class(role)),
        q(&log_name(cluster, host, role))
    )
}

/// Shell function `ours PID CLASS LOGNAME`: true when PID is alive, not a zombie, and its
/// command line (`/proc/PID/cmdline`, one argument per line) has an argument containing
/// `$conf`, an argument that is exactly CLASS (the role's main class) and a
/// `-Dlog.file=.../LOGNAME...` argument (the instance's log file). A pid reused by another
/// role of the same install (a TaskManager naming the same conf dir), by another instance, or
/// by anything else is not ours. `livepid FILE CLASS LOGNAME` prints the first pid in FILE that
/// is ours.
pub(crate) const OURS_FN: &str = r#"ours() { kill -0 "$1" 2>/dev/null || return 1; [ "$(sed 's/.*) //' /proc/"$1"/stat 2>/dev/null | cut -c1)" != Z ] || return 1; _a=$(tr '\0' '\n' < /proc/"$1"/cmdline 2>/dev/null) || return 1; printf '%s\n' "$_a" | grep -qF -- "$conf" || return 1; printf '%s\n' "$_a" | grep -qxF -- "$2" || return 1; printf '%s\n' "$_a" | grep -- '^-Dlog\.file=' | grep -qF -- "/$3"; }
livepid() { [ -f "$1" ] || return 1; for p in $(cat "$1"); do if ours "$p" "$2" "$3"; then echo "$p"; return 0; fi; done; return 1; }"#;

/// Script printing `current <target>` and one `daemon <name> <up|down|stale> <pid> <rss> <etimes>`
/// line per role.
pub fn probe_script(cluster: &Cluster, host: &Host, roles: &[Role]) -> String {
    let paths = cluster.paths(host);
    let mut s = format!("{OURS_FN}\n");
    s.push_str(&format!(
        "printf 'current %s\\n' \"$(readlink {} 2>/dev/null || echo -)\"\n",
        q(&paths.current())
    ));
    for role in roles {
        s.push_str(&format!(
            "conf={conf}; f={pid}; if p=$(livepid \"$f\"{args}); then echo \"daemon {d} up $p $(ps -o rss= -p $p | tr -d ' ') $(ps -o etimes= -p $p | tr -d ' ')\"; elif [ -f \"$f\" ]; then echo 'daemon {d} stale - - -'; else echo 'daemon {d} down - - -'; fi\n",
            conf = q(&cluster.role_paths(host, *role).conf()),
            pid = q(&cluster.pid_file(host, *role)),
            args = ours_args(cluster, host, *role),
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

/// Bash run by the start script to launch a daemon, from its launch record or through
/// Flink's scripts (see [`start_script`]). Arguments: the role's Flink script
/// (`bin/jobmanager.sh`, ...), its extra argument (the ZooKeeper peer id, or empty), the
/// daemon name (`standalonesession`, ...), the config file, the `current` link, the run dir.
/// Prints `via recorded` or `via scripts`.
///
/// The record's key is a SHA-256 of everything Flink's scripts read to build the daemon's
/// command line (bin/config.sh, bin/flink-daemon.sh and the role's script of the version):
/// the config file, the scripts themselves, the listings of `lib/`, `plugins/` and `opt/`
/// (the classpath; without `ls`'s `total` lines: a directory's allocated blocks change after
/// an unpack while the file system settles its delayed allocations, which made the first
/// restart after every install miss its record), the `java` binary, `hostname`, whether
/// `numactl` exists, and the whole
/// environment except what differs per SSH session (`SSH_*`, `XDG_SESSION_ID`, `SHLVL`,
/// `OLDPWD`, `_`). A config file with a `$` or a backtick outside whole-line comments, or such
/// a `FLINK_*` / `JVM_ARGS` variable, is never recorded: flink-daemon.sh `eval`s the Java
/// options at every start.
///
/// Records are used only with the `bin/flink-daemon.sh` whose start this replicates: the one
/// of Flink 2.1.0, 2.2.0 and 2.3.0 (byte for byte the same file, SHA-256
/// [`FLINK_DAEMON_SH_SHA256`]). With any other (an older or newer Flink's, or a patched one)
/// a daemon always goes through the scripts.
pub const LAUNCH_SH: &str = r#"set -u
script=$1 arg=$2 daemon=$3 conffile=$4 cur=$5 run=$6
lr=$run/launch/$daemon
dist=$(readlink -f "$cur")
java=$(command -v java || true)
key=$({ printf '%s\0' flinkha-launch-2 "$daemon" "$arg" "$dist" "$(hostname)" "$(command -v numactl || true)" "${JAVA_HOME:-}"; ls -lL --time-style=+%s "$java" "${JAVA_HOME:-/nonexistent}/bin/java" 2>/dev/null; env -0 | grep -zv '^\(SSH_[A-Z_]*\|XDG_SESSION_ID\|_\|SHLVL\|OLDPWD\)=' | sort -z; cat "$conffile" "$dist"/bin/*.sh; ls -lL --time-style=+%s "$dist"/lib "$dist"/plugins "$dist"/opt 2>/dev/null | grep -v '^total '; } | sha256sum | cut -c1-64)
evals=0
if grep -v '^[[:space:]]*#' "$conffile" | grep -q '[$`]' || env | grep -q '^\(FLINK_[A-Z_]*\|JVM_ARGS\)=.*[$`]'; then evals=1; fi
case $(sha256sum < "$dist/bin/flink-daemon.sh" 2>/dev/null | cut -c1-64) in
  FLINK_DAEMON_SH_SHA256) ;;
  *) evals=1 ;;
esac
mkdir -p "$run/launch"
if [ "$evals" = 0 ] && [ "$(cat "$lr.key" 2>/dev/null)" = "$key" ] && [ -s "$lr.argv" ] && [ -f "$lr.env" ] && [ -s "$lr.out" ]; then
  mapfile -d '' -t e < "$lr.env"
  mapfile -d '' -t a < "$lr.argv"
  out=$(cat "$lr.out")
  exec 200<"$FLINK_PID_DIR"
  flock 200
  env "${e[@]}" "${a[@]}" > "$out" 200<&- 2>&1 < /dev/null &
  echo $! >> "$FLINK_PID_DIR/flink-$FLINK_IDENT_STRING-$daemon.pid"
  echo 'via recorded'
  exit 0
fi
rm -f "$lr.key"
if [ "$evals" = 0 ]; then printf '%s' "$key" > "$lr.want"; env -0 > "$lr.base"; else rm -f "$lr.want"; fi
"$script" start $arg > "$run/$daemon.start.out" 2>&1 < /dev/null || { cat "$run/$daemon.start.out" >&2; exit 1; }
echo 'via scripts'
"#;

/// SHA-256 of the `bin/flink-daemon.sh` of Flink 2.1.0, 2.2.0 and 2.3.0 (the same file), whose
/// start [`LAUNCH_SH`] replicates.
pub const FLINK_DAEMON_SH_SHA256: &str =
    "b4e7f8f2e5c83ae01e4ac03dae83acf1525b31908464d2fcbccd35aa3678914a";

/// Bash run by the start script once a daemon started through Flink's scripts runs (pid
/// `$3`): records its command line (`/proc/<pid>/cmdline`), what the scripts added to or
/// changed in the environment (`/proc/<pid>/environ` against the environment they were run
/// with), always with the daemon's `SHLVL` and `_` (bash adjusts both for the command it runs,
/// so the recorded launch sets them through `env`), and its `.out` file, under the key
/// [`LAUNCH_SH`] computed.
/// Not recorded: a daemon whose pid file has several lines (NUMA: one TaskManager per node),
/// or whose environment lacks a variable the scripts were given (the record can only add).
/// Arguments: run dir, daemon name, pid.
pub const RECORD_SH: &str = r#"set -u
run=$1 daemon=$2 p=$3
lr=$run/launch/$daemon
[ -f "$lr.want" ] && [ -f "$lr.base" ] || exit 0
[ "$(wc -l < "$FLINK_PID_DIR/flink-$FLINK_IDENT_STRING-$daemon.pid")" = 1 ] || exit 0
sort -z "$lr.base" > "$lr.b" && sort -z /proc/"$p"/environ > "$lr.d" || exit 0
names() { tr '\0' '\n' | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' | sort -u; }
gone=$(comm -z -23 "$lr.b" "$lr.d" | names | grep -vx _)
added=$(comm -z -13 "$lr.b" "$lr.d" | names)
if [ -n "$gone" ] && [ -n "$(printf '%s\n' "$gone" | grep -vxF -f <(printf '%s\n' "$added"))" ]; then rm -f "$lr.b" "$lr.d"; exit 0; fi
{ comm -z -13 "$lr.b" "$lr.d"; comm -z -12 "$lr.b" "$lr.d" | grep -z '^\(SHLVL\|_\)='; } > "$lr.env.tmp"
cat /proc/"$p"/cmdline > "$lr.argv.tmp"
log=$(tr '\0' '\n' < "$lr.argv.tmp" | sed -n 's/^-Dlog\.file=//p' | head -n 1)
rm -f "$lr.b" "$lr.d"
[ -n "$log" ] && [ -s "$lr.argv.tmp" ] || exit 0
printf '%s' "${log%.log}.out" > "$lr.out.tmp"
mv -f "$lr.env.tmp" "$lr.env" && mv -f "$lr.argv.tmp" "$lr.argv" && mv -f "$lr.out.tmp" "$lr.out" && mv -f "$lr.want" "$lr.key"
rm -f "$lr.base"
"#;

/// Script starting `role` on `host` unless it already runs. Prints `already <pid>` or
/// `started <pid> <via>` (`recorded` or `scripts`); exits 3 with a message when Flink is not
/// installed or the conf not synced.
///
/// **Launch records.** Flink's scripts run several JVMs before the daemon's own (bin/config.sh
/// flattens the config with `BashJavaUtils` and asks `java -XshowSettings`, and runs again
/// under flink-daemon.sh; jobmanager.sh / taskmanager.sh compute the memory settings with
/// another `BashJavaUtils`): per JobManager about 2.7 s, 4.3 s of CPU, on this machine, idle. The
/// first start of a daemon goes through the scripts, and then records the command line and
/// environment they produced (`<run>/launch/<daemon>.*`, see [`RECORD_SH`]); a later start
/// whose inputs are the same (the key in [`LAUNCH_SH`]) launches that command line with that
/// environment directly, as flink-daemon.sh does (under its `flock` of the pid dir, appending
/// the pid). `tests/launch.rs` compares `/proc/<pid>/cmdline` and `environ` of both for Flink
/// 2.1, 2.2 and 2.3. A daemon launched from a record that dies at once has the record removed
/// (the next start goes through the scripts again).
///
/// After the start script returns, the new pid is polled for up to 3 s before the daemon is
/// declared dead: flink-daemon.sh records the pid of a child that may still be in `execve`,
/// when `/proc/<pid>/cmdline` can read empty (seen on a loaded 2-core machine). A daemon that
/// really died gets its `.out` and log tails in the error.
pub fn start_script(cluster: &Cluster, host: &Host, role: Role) -> String {
    let paths = cluster.role_paths(host, role);
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
    let arg = q(arg.trim());
    format!(
        "conf={conf}\n{OURS_FN}\nf={pid}\n\
         if p=$(livepid \"$f\"{args}); then echo \"already $p\"; exit 0; fi\n\
         rm -f \"$f\"\n\
         [ -x {script} ] || {{ printf '%s\\n' {no_dist} >&2; exit 3; }}\n\
         [ -f {conf}/{conf_file} ] || {{ printf '%s\\n' {no_conf} >&2; exit 3; }}\n\
         mkdir -p {log} {run} {tmp}\n\
         cd {root} || exit 3\n\
         export FLINK_CONF_DIR={conf} FLINK_LOG_DIR={log} FLINK_PID_DIR={run} FLINK_IDENT_STRING={ident}\n\
         via=$(bash -c {launch} flinkha-launch {script} {arg} {daemon} {conf}/{conf_file} {current} {run}) || exit 1\n\
         via=${{via##*via }}\n\
         i=0; until p=$(livepid \"$f\"{args}); do i=$((i+1)); if [ $i -gt 30 ]; then [ \"$via\" = recorded ] && rm -f {run}/launch/{daemon}.key; [ -f {run}/{daemon}.start.out ] && [ \"$via\" = scripts ] && cat {run}/{daemon}.start.out >&2; for l in $(ls -t {log}/flink-{ident}-{daemon}-*.out {log}/flink-{ident}-{daemon}-*.log 2>/dev/null | head -n 2); do echo \"== $l\" >&2; tail -n 20 \"$l\" >&2; done; if [ \"$via\" = recorded ]; then echo '{daemon} exited right after start (its log tail is above); it was launched from its launch record, now removed: the next start goes through Flink'\\''s scripts' >&2; else echo '{daemon} exited right after start (its log tail is above)' >&2; fi; exit 1; fi; sleep 0.1; done\n\
         [ \"$via\" = scripts ] && bash -c {record} flinkha-record {run} {daemon} \"$p\"\n\
         echo \"started $p $via\"\n",
        conf = q(&paths.conf()),
        no_dist = q(&format!(
            "no Flink distribution at {}: run `flinkha install`",
            paths.current()
        )),
        no_conf = q(&format!(
            "no config at {}: run `flinkha sync`",
            paths.conf()
        )),
        conf_file = q(&conf_file),
        pid = q(&cluster.pid_file(host, role)),
        script = q(&script),
        log = q(&paths.log()),
        run = q(&paths.run()),
        tmp = q(&paths.tmp()),
        root = q(&paths.root),
        ident = q(&cluster.role_ident(host, role)),
        daemon = role.daemon(),
        args = ours_args(cluster, host, role),
        launch = q(&LAUNCH_SH.replace("FLINK_DAEMON_SH_SHA256", FLINK_DAEMON_SH_SHA256)),
        record = q(RECORD_SH),
        current = q(&paths.current()),
    )
}

/// How long the stop script waits for a process to disappear after SIGKILL (s). A process
/// still there after that is stuck in the kernel (state `D`, uninterruptible I/O: a hung disk
/// or NFS mount) and is reported, not waited for.
pub const KILL_WAIT_S: u64 = 10;

/// Script stopping `role` on `host`: SIGTERM to the instance's own pid, wait until it is gone,
/// SIGKILL at `timeout_s` after the SIGTERM by the host's wall clock, then wait at most
/// [`KILL_WAIT_S`]. Prints `not-running`, `stopped <pid>`, `killed <pid>` or
/// `unkillable <pid> <state>` (the `/proc/<pid>/stat` state letter). Ends by itself within
/// `timeout_s + KILL_WAIT_S` (+ one poll), so it never outlives flinkha's own deadline.
/// `timeout_s` is capped at [`crate::time::MAX_WAIT`] (the script's millisecond arithmetic
/// must not overflow into a deadline in the past).
pub fn stop_script(cluster: &Cluster, host: &Host, role: Role, timeout_s: u64) -> String {
    stop_script_waiting(cluster, host, role, timeout_s, KILL_WAIT_S)
}

/// [`stop_script`] waiting `kill_wait_s` (not [`KILL_WAIT_S`]) after SIGKILL.
fn stop_script_waiting(
    cluster: &Cluster,
    host: &Host,
    role: Role,
    timeout_s: u64,
    kill_wait_s: u64,
) -> String {
    let timeout_s = timeout_s.min(crate::time::MAX_WAIT.as_secs());
    format!(
        "conf={conf}\n{OURS_FN}\nf={pid}\n\
         p=$(livepid \"$f\"{args}) || {{ rm -f \"$f\"; echo not-running; exit 0; }}\n\
         ms() {{ echo $(( $(date +%s%N) / 1000000 )); }}\n\
         kill -TERM \"$p\"\n\
         end=$(( $(ms) + {timeout_s} * 1000 ))\n\
         while ours \"$p\"{args}; do\n\
         \x20 if [ \"$(ms)\" -ge \"$end\" ]; then\n\
         \x20   kill -KILL \"$p\" 2>/dev/null\n\
         \x20   kend=$(( $(ms) + {kill_wait_s} * 1000 ))\n\
         \x20   while ours \"$p\"{args}; do\n\
         \x20     if [ \"$(ms)\" -ge \"$kend\" ]; then st=$(sed 's/.*) //' /proc/\"$p\"/stat 2>/dev/null | cut -d' ' -f1); echo \"unkillable $p ${{st:-?}}\"; exit 0; fi\n\
         \x20     sleep 0.1\n\
         \x20   done\n\
         \x20   rm -f \"$f\"; echo \"killed $p\"; exit 0\n\
         \x20 fi\n\
         \x20 sleep 0.1\n\
         done\n\
         rm -f \"$f\"; echo \"stopped $p\"\n",
        conf = q(&cluster.role_paths(host, role).conf()),
        pid = q(&cluster.pid_file(host, role)),
        args = ours_args(cluster, host, role),
    )
}

/// Script sending `signal` (`KILL`, `TERM`) to `pid`, only if it still is `role`'s instance
/// on `host` (the same test as the probe: alive, not a zombie, our conf dir, main class and
/// log file). Prints `signalled <pid>`, or `not-ours <pid>` (and sends nothing) when the pid
/// is gone or now belongs to something else. Does not wait for the process to exit.
pub fn signal_script(cluster: &Cluster, host: &Host, role: Role, pid: u32, signal: &str) -> String {
    format!(
        "conf={conf}\n{OURS_FN}\n\
         ours {pid}{args} || {{ echo 'not-ours {pid}'; exit 0; }}\n\
         kill -{signal} {pid} && echo 'signalled {pid}'\n",
        conf = q(&cluster.role_paths(host, role).conf()),
        args = ours_args(cluster, host, role),
    )
}

/// Script printing the last `lines` lines of `role`'s newest log file on `host`.
pub fn log_tail_script(cluster: &Cluster, host: &Host, role: Role, lines: u32) -> String {
    let paths = cluster.role_paths(host, role);
    format!(
        "f=$(ls -t {log}/flink-{ident}-{daemon}-*.log 2>/dev/null | head -n 1); [ -n \"$f\" ] && echo \"== $f\" && tail -n {lines} \"$f\"",
        log = q(&paths.log()),
        ident = q(&cluster.role_ident(host, role)),
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
    /// A process we spawn for a pid file; SIGKILLed and reaped when dropped (every path).
    struct Fake(std::process::Child);

    impl Drop for Fake {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    impl Fake {
        fn alive(&mut self) -> bool {
            self.0.try_wait().unwrap().is_none()
        }
    }

    /// `sh -c 'read -r x' fake-java ARGS...`: blocks on its stdin (a pipe we hold), ARGS in
    /// its `/proc/<pid>/cmdline` one per argument, no children.
    fn fake(args: &[&str]) -> Fake {
        fake_running("read -r x", args)
    }

    /// [`fake`] running `script` instead of a bare `read`.
    fn fake_running(script: &str, args: &[&str]) -> Fake {
        let child = std::process::Command::new("sh")
            .args(["-c", script, "fake-java"])
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let f = Fake(child);
        // A fresh child may still be in execve: wait until its cmdline reads.
        let cmdline = format!("/proc/{}/cmdline", f.0.id());
        for _ in 0..250 {
            if std::fs::read(&cmdline).is_ok_and(|b| b.windows(9).any(|w| w == b"fake-java")) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        f
    }

    /// A fake JobManager of `host` (its real arguments) that ignores SIGTERM, in its pid file.
    fn jobmanager_ignoring_sigterm(c: &Cluster, host: &Host) -> Fake {
        std::fs::create_dir_all(c.paths(host).run()).unwrap();
        let args = daemon_args(c, host, Role::JobManager, &c.ident(host));
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let p = fake_running("trap '' TERM; read -r x", &a);
        std::fs::write(
            c.pid_file(host, Role::JobManager),
            format!("{}\n", p.0.id()),
        )
        .unwrap();
        p
    }

    fn local_cluster(root: &std::path::Path) -> Cluster {
        let conf = root.join("conf-src");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::write(conf.join("config.yaml"), "parallelism:\n  default: 1\n").unwrap();
        std::fs::write(conf.join("masters"), "h1:8081\n").unwrap();
        std::fs::write(conf.join("workers"), "h1\n").unwrap();
        let inv = root.join("flinkha.yaml");
        std::fs::write(
            &inv,
            format!(
                "cluster: t\nconf_dir: conf-src\ninstall_root: {}\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: 127.0.0.1\n",
                root.join("inst").display()
            ),
        )
        .unwrap();
        Cluster::load(&inv).unwrap()
    }

    /// The arguments a daemon of `role` has, as flink-daemon.sh starts it, with the log file
    /// of instance `ident`.
    fn daemon_args(c: &Cluster, host: &Host, role: Role, ident: &str) -> Vec<String> {
        let p = c.paths(host);
        let conf = p.conf();
        vec![
            "-Xmx1g".into(),
            format!(
                "-Dlog.file={}/flink-{ident}-{}-0-myhost.log",
                p.log(),
                role.daemon()
            ),
            format!("-Dlog4j.configurationFile=file:{conf}/log4j.properties"),
            "-classpath".into(),
            format!("{}/lib/flink-dist.jar", c.name),
            main_class(role).into(),
            "--configDir".into(),
            conf,
        ]
    }

    fn probe_jm(c: &Cluster, host: &Host) -> DaemonState {
        let t = crate::transport::LocalTransport::new("h1");
        probe(c, host, &t, &[Role::JobManager])
            .unwrap()
            .daemon(Role::JobManager)
            .unwrap()
            .state
    }

    fn stop_jm(c: &Cluster, host: &Host) -> String {
        let t = crate::transport::LocalTransport::new("h1");
        crate::core::hosts::run(host, &t, "stop", &stop_script(c, host, Role::JobManager, 5))
            .unwrap()
    }

    /// After a JobManager died, its pid may be reused by a TaskManager of the same install
    /// (whose command line names the same conf dir): that is not the JobManager, for the probe
    /// nor for stop. Nor is a JobManager of another instance (another ident's log file).
    #[test]
    fn a_pid_reused_by_another_role_or_instance_is_not_the_daemon() {
        let dir = tempfile::tempdir().unwrap();
        let c = local_cluster(dir.path());
        let host = c.hosts.iter().find(|h| h.name == "h1").unwrap();
        std::fs::create_dir_all(c.paths(host).run()).unwrap();
        let ident = c.ident(host);
        let pid_file = c.pid_file(host, Role::JobManager);
        let strs = |v: &[String]| {
            v.iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join("\u{1}")
        };
        for (what, args) in [
            (
                "a TaskManager",
                daemon_args(&c, host, Role::TaskManager, &ident),
            ),
            (
                "another instance's JobManager",
                daemon_args(&c, host, Role::JobManager, "other-h1"),
            ),
            (
                "a JobManager of an ident that ends like ours",
                daemon_args(&c, host, Role::JobManager, &format!("x{ident}")),
            ),
        ] {
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut p = fake(&a);
            std::fs::write(&pid_file, format!("{}\n", p.0.id())).unwrap();
            assert_eq!(
                probe_jm(&c, host),
                DaemonState::Stale,
                "{what} taken for the JobManager: {}",
                strs(&args)
            );
            assert_eq!(stop_jm(&c, host).trim(), "not-running", "{what}");
            assert!(p.alive(), "stop killed {what}");
            assert!(!std::path::Path::new(&pid_file).exists());
        }
    }

    /// A daemon that ignores SIGTERM is SIGKILLed once the stop timeout has passed on the
    /// host's clock, and the script ends by itself.
    #[test]
    fn a_daemon_ignoring_sigterm_is_killed_at_the_deadline() {
        let dir = tempfile::tempdir().unwrap();
        let c = local_cluster(dir.path());
        let host = c.hosts.iter().find(|h| h.name == "h1").unwrap();
        let mut p = jobmanager_ignoring_sigterm(&c, host);
        let t = crate::transport::LocalTransport::new("h1");
        let t0 = std::time::Instant::now();
        // Every poll made slow (a `sed` that takes 0.3 s, as on a loaded host): a stop that
        // counted 30 polls of 0.1 s for its 3 s would take 30 x 0.4 s = 12 s; one that reads
        // the wall clock kills at 3 s, plus one slow poll before and two after.
        let slow = dir.path().join("slow-bin");
        std::fs::create_dir_all(&slow).unwrap();
        let sed = slow.join("sed");
        std::fs::write(&sed, "#!/bin/sh\nsleep 0.3\nexec /bin/sed \"$@\"\n").unwrap();
        std::fs::set_permissions(&sed, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let script = format!(
            "PATH={}:$PATH\n{}",
            q(&slow.display().to_string()),
            stop_script(&c, host, Role::JobManager, 3)
        );
        let out = crate::core::hosts::run(host, &t, "stop", &script).unwrap();
        let took = t0.elapsed();
        assert_eq!(out.trim(), format!("killed {}", p.0.id()));
        assert!(!p.alive());
        // SIGKILL came at the 3 s stop timeout by the wall clock: not before it, and far from
        // the 12 s of a count of polls.
        assert!(took >= std::time::Duration::from_millis(2900), "{took:?}");
        assert!(took < std::time::Duration::from_secs(6), "{took:?}");
    }

    /// A process that SIGKILL does not end (frozen by the cgroup v1 freezer, as a process in
    /// uninterruptible I/O on a hung disk would be): reported as `unkillable <pid> <state>`
    /// once the wait after SIGKILL is over, not waited for, and its pid file kept; stop's
    /// parser makes that an error naming the pid.
    #[test]
    fn a_process_that_will_not_die_is_reported() {
        let freezer = std::path::Path::new("/sys/fs/cgroup/freezer");
        assert!(
            freezer.join("freezer.state").exists() || freezer.join("tasks").exists(),
            "this test needs the cgroup v1 freezer at {}",
            freezer.display()
        );
        let dir = tempfile::tempdir().unwrap();
        let c = local_cluster(dir.path());
        let host = c.hosts.iter().find(|h| h.name == "h1").unwrap();
        let mut p = jobmanager_ignoring_sigterm(&c, host);
        let group = freezer.join(format!("flinkha-test-{}", std::process::id()));
        std::fs::create_dir_all(&group).unwrap();
        struct Thaw(std::path::PathBuf);
        impl Drop for Thaw {
            fn drop(&mut self) {
                let _ = std::fs::write(self.0.join("freezer.state"), "THAWED");
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
                while std::fs::remove_dir(&self.0).is_err() && std::time::Instant::now() < deadline
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
            }
        }
        let thaw = Thaw(group.clone());
        std::fs::write(group.join("tasks"), p.0.id().to_string()).unwrap();
        std::fs::write(group.join("freezer.state"), "FROZEN").unwrap();
        let t = crate::transport::LocalTransport::new("h1");
        let t0 = std::time::Instant::now();
        let out = crate::core::hosts::run(
            host,
            &t,
            "stop",
            &stop_script_waiting(&c, host, Role::JobManager, 1, 1),
        )
        .unwrap();
        let took = t0.elapsed();
        let pid = p.0.id();
        assert!(
            out.trim().starts_with(&format!("unkillable {pid} ")),
            "{out}"
        );
        // 1 s to SIGKILL, 1 s of waiting after it, and no more.
        assert!(took >= std::time::Duration::from_millis(1900), "{took:?}");
        assert!(took < std::time::Duration::from_secs(5), "{took:?}");
        assert!(std::path::Path::new(&c.pid_file(host, Role::JobManager)).exists());
        assert!(p.alive(), "frozen, it cannot have died");
        let e = crate::core::ops::lifecycle::parse_stop(&out)
            .unwrap_err()
            .to_string();
        assert!(e.contains(&format!("pid {pid} is still there")), "{e}");
        // Thawed, the SIGKILL already sent ends it.
        drop(thaw);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while p.alive() {
            assert!(
                std::time::Instant::now() < deadline,
                "not dead after the thaw"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// A huge stop timeout (`timeouts.stop: 584000000000y` reads as u64-range seconds) means
    /// "wait", not "SIGKILL at once": `s * 1000` in the script's arithmetic used to overflow
    /// the shell's 64 bits into a deadline in the past.
    #[test]
    fn a_huge_stop_timeout_does_not_kill_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let c = local_cluster(dir.path());
        let host = c.hosts.iter().find(|h| h.name == "h1").unwrap();
        let mut p = jobmanager_ignoring_sigterm(&c, host);
        let secs = std::time::Duration::from_secs(584_000_000_000 * 31_557_600 / 1000 * 1000);
        let script = stop_script(&c, host, Role::JobManager, secs.as_secs());
        let stop = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stop = Fake(stop);
        // Broken, the script SIGKILLs and ends within its first poll (0.1 s); fixed, it
        // never ends by itself: this wait can't make the test flaky, only less sensitive.
        std::thread::sleep(std::time::Duration::from_millis(700));
        assert!(stop.alive(), "the stop script ended at once");
        assert!(p.alive(), "the daemon was killed at once");
    }

    #[test]
    fn the_daemon_itself_is_up_and_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let c = local_cluster(dir.path());
        let host = c.hosts.iter().find(|h| h.name == "h1").unwrap();
        std::fs::create_dir_all(c.paths(host).run()).unwrap();
        let args = daemon_args(&c, host, Role::JobManager, &c.ident(host));
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut p = fake(&a);
        let pid_file = c.pid_file(host, Role::JobManager);
        // flink-daemon.sh appends one line per start: a dead pid before ours is skipped.
        std::fs::write(&pid_file, format!("999999999\n{}\n", p.0.id())).unwrap();
        assert_eq!(probe_jm(&c, host), DaemonState::Up);
        let t = crate::transport::LocalTransport::new("h1");
        let out =
            crate::core::hosts::run(host, &t, "start", &start_script(&c, host, Role::JobManager))
                .unwrap();
        assert_eq!(out.trim(), format!("already {}", p.0.id()));
        assert_eq!(stop_jm(&c, host).trim(), format!("stopped {}", p.0.id()));
        assert!(!p.alive());
        assert_eq!(probe_jm(&c, host), DaemonState::Down);
    }

    /// The start script's messages name paths with any characters: an install root with a
    /// quote and a command substitution is printed as it is, never run.
    #[test]
    fn start_script_messages_quote_the_paths() {
        let dir = tempfile::tempdir().unwrap();
        let c = local_cluster(dir.path());
        let pwned = dir.path().join("PWNED");
        let root = dir
            .path()
            .join(format!("it's $(touch {}) \\n x", pwned.display()));
        let inv = dir.path().join("flinkha.yaml");
        let text = std::fs::read_to_string(&inv).unwrap().replace(
            &format!("install_root: {}", dir.path().join("inst").display()),
            &format!("install_root: \"{}\"", root.display()),
        );
        std::fs::write(&inv, text).unwrap();
        let c2 = Cluster::load(&inv).unwrap();
        assert_ne!(c2.paths(&c2.hosts[0]).root, c.paths(&c.hosts[0]).root);
        let host = &c2.hosts[0];
        let paths = c2.paths(host);
        let run = |want: &str| {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(start_script(&c2, host, Role::JobManager))
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(3), "{out:?}");
            assert_eq!(String::from_utf8_lossy(&out.stderr), want);
            assert!(!pwned.exists(), "the path was run as a command");
        };
        run(&format!(
            "no Flink distribution at {}: run `flinkha install`\n",
            paths.current()
        ));
        let bin = std::path::Path::new(&paths.current()).join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let script = bin.join(Role::JobManager.script());
        std::fs::write(&script, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        run(&format!(
            "no config at {}: run `flinkha sync`\n",
            paths.conf()
        ));
    }

    #[test]
    fn main_classes_are_flink_daemon_sh_ones() {
        // bin/flink-daemon.sh of Flink 2.1 (CLASS_TO_RUN per $DAEMON).
        assert_eq!(
            main_class(Role::JobManager),
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"
        );
        assert_eq!(
            main_class(Role::TaskManager),
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner"
        );
        assert_eq!(
            main_class(Role::ZooKeeper),
            "org.apache.flink.runtime.zookeeper.FlinkZooKeeperQuorumPeer"
        );
        let dir = tempfile::tempdir().unwrap();
        let c = local_cluster(dir.path());
        let host = &c.hosts[0];
        let s = stop_script(&c, host, Role::TaskManager, 1);
        assert!(
            s.contains(
                "livepid \"$f\" org.apache.flink.runtime.taskexecutor.TaskManagerRunner flink-t-h1-taskexecutor-"
            ),
            "{s}"
        );
    }
}
