//! A test cluster: conf.example copied into a temp dir with free ports, hosts on loopback
//! addresses reached through a dedicated sshd, each with its own install root.
//!
//! Needs what `scripts/prepare-test-env.sh` prepares (the Flink tarball); `scripts/test.sh`
//! runs it first. Dropping a `TestCluster` stops every daemon it may have started, by the pids
//! in its own pid files (never by name).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use super::sshd::Sshd;

/// Cache dir of `scripts/prepare-test-env.sh`.
pub fn cache() -> PathBuf {
    PathBuf::from(
        std::env::var("FLINKHA_CACHE").unwrap_or_else(|_| "/var/tmp/flinkha-cache".into()),
    )
}

/// The Flink 2.1.0 tarball packed by the prepare script.
pub fn flink_tgz() -> PathBuf {
    let p = std::env::var("FLINKHA_TEST_FLINK_TGZ_2_1_0")
        .map(PathBuf::from)
        .unwrap_or_else(|_| cache().join("dist/flink-2.1.0-bin-scala_2.12.tgz"));
    assert!(
        p.is_file(),
        "{} is missing: run scripts/prepare-test-env.sh (scripts/test.sh does)",
        p.display()
    );
    p
}

/// `n` distinct ports free on every address in `addrs` and on `0.0.0.0` (JobManagers bind
/// all interfaces: `core::render::JOBMANAGER_BIND_HOST`), picked at random below the kernel's
/// ephemeral range (`/proc/sys/net/ipv4/ip_local_port_range`), so that the local port of an
/// outgoing connection (sshd, ZooKeeper and REST clients) cannot take one between this
/// probe and the daemon's bind, as a port from `bind(0)` could.
pub fn free_ports(n: usize, addrs: &[&str]) -> Vec<u16> {
    let low = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|p| p.parse::<u16>().ok())
        })
        .unwrap_or(32768);
    // [10000, low): above the well-known and registered ports most services use.
    let span = u64::from(low.saturating_sub(10000).max(1000));
    let mut seed = {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        h.finish()
    };
    let mut out: Vec<u16> = Vec::new();
    let mut attempts = 0;
    while out.len() < n {
        attempts += 1;
        assert!(attempts < 5000, "no free ports found below {low}");
        // xorshift64: enough spread for picking ports.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let port = u16::try_from(10000 + seed % span).unwrap_or(10000);
        if out.contains(&port) {
            continue;
        }
        if TcpListener::bind(("0.0.0.0", port)).is_ok()
            && addrs.iter().all(|a| TcpListener::bind((*a, port)).is_ok())
        {
            out.push(port);
        }
    }
    out
}

/// The `flinkha` binary under test.
pub fn flinkha_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_flinkha"))
}

/// A conf dir + inventory for 3 hosts (`h1`..`h3`) on `addrs`.
pub struct TestCluster {
    /// Temp dir holding everything (conf, inventory, host roots).
    pub dir: tempfile::TempDir,
    /// Inventory file.
    pub inventory: PathBuf,
    /// The sshd serving every address.
    pub sshd: Sshd,
    /// Host addresses.
    pub addrs: Vec<String>,
    /// Install roots per host.
    pub roots: Vec<PathBuf>,
    /// The ports of the conf (`free_ports`): ZooKeeper peer, election, client, REST, HA RPC,
    /// h2's own HA RPC; new ones after [`TestCluster::start_retrying_lost_ports`] moved them.
    pub ports: std::sync::Mutex<Vec<u16>>,
}

impl TestCluster {
    /// Write the cluster files; nothing runs yet (but the sshd).
    pub fn new(addrs: &[&str]) -> TestCluster {
        let sshd = Sshd::start(addrs);
        let dir = tempfile::Builder::new()
            .prefix("flinkha-test-")
            .tempdir_in("/var/tmp")
            .unwrap();
        let root = dir.path();
        let conf = root.join("conf");
        std::fs::create_dir_all(&conf).unwrap();
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("conf.example/conf");
        for entry in std::fs::read_dir(&example).unwrap() {
            let e = entry.unwrap();
            std::fs::copy(e.path(), conf.join(e.file_name())).unwrap();
        }
        let p = free_ports(6, addrs);
        let names = ["h1", "h2", "h3"];
        let zoo = format!(
            "tickTime=2000\ninitLimit=10\nsyncLimit=5\nclientPort={}\n{}",
            p[2],
            names
                .iter()
                .enumerate()
                .map(|(i, n)| format!("server.{}={n}:{}:{}\n", i + 1, p[0], p[1]))
                .collect::<String>()
        );
        std::fs::write(conf.join("zoo.cfg"), zoo).unwrap();
        std::fs::write(conf.join("masters"), format!("h1:{0}\nh2:{0}\n", p[3])).unwrap();
        std::fs::write(conf.join("workers"), "h1\nh2\nh3\n").unwrap();
        let cfg = std::fs::read_to_string(conf.join("config.yaml"))
            .unwrap()
            .replace("    port: 6123", &format!("    port: {}", p[4]))
            // A test machine has 2 cores and runs up to 13 Flink JVMs: the C1 compiler alone
            // cuts the JIT work of every start-up (the jobs here are tiny; tests/cluster.rs
            // 168.9 s -> 139.6 s).
            .replace(
                "      all: --add-exports",
                "      all: -XX:TieredStopAtLevel=1 --add-exports",
            )
            .replace("/var/tmp/flinkha-demo", &root.display().to_string())
            .replace(
                "cluster-id: /flinkha-demo",
                &format!("cluster-id: /test-{}", std::process::id()),
            );
        std::fs::write(conf.join("config.yaml"), cfg).unwrap();
        let roots: Vec<PathBuf> = names.iter().map(|n| root.join("hosts").join(n)).collect();
        let hosts: String = names
            .iter()
            .zip(addrs)
            .zip(&roots)
            .map(|((n, a), r)| {
                // JobManagers bind all interfaces (see `core::render::JOBMANAGER_BIND_HOST`):
                // the second one on this machine needs its own HA RPC port.
                let own_port = if *n == "h2" {
                    format!(
                        "    flink:\n      high-availability.jobmanager.port: {}\n",
                        p[5]
                    )
                } else {
                    String::new()
                };
                format!(
                    "  {n}:\n    address: {a}\n    install_root: {}\n{own_port}",
                    r.display()
                )
            })
            .collect();
        let inventory = root.join("flinkha.yaml");
        std::fs::write(
            &inventory,
            format!(
                "cluster: t{pid}\nconf_dir: conf\nflink:\n  version: 2.1.0\n  distribution:\n    path: {tgz}\n\
                 ssh:\n  user: {user}\n  port: {port}\n  identity_file: {key}\n  agent: false\n  known_hosts: {kh}\n  connect_timeout: 5s\n\
                 hosts:\n{hosts}timeouts:\n  start: 150s\n  stop: 60s\n",
                pid = std::process::id(),
                tgz = flink_tgz().display(),
                user = sshd.user,
                port = sshd.port,
                key = sshd.client_key.display(),
                kh = sshd.known_hosts.display(),
            ),
        )
        .unwrap();
        TestCluster {
            dir,
            inventory,
            sshd,
            addrs: addrs.iter().map(|a| a.to_string()).collect(),
            roots,
            ports: std::sync::Mutex::new(p),
        }
    }

    /// Lines of the daemons' logs (every `*.log` and `*.out` under the host roots) that say a
    /// port was taken: `BindException` / `Address already in use`.
    pub fn lost_port_lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack: Vec<PathBuf> = self.roots.clone();
        while let Some(d) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in rd.flatten() {
                let path = e.path();
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    // Logs are in `log/` (and a shadow's `deployments/<n>/log/`), never
                    // inside a distribution.
                    if !path
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("flink-"))
                    {
                        stack.push(path);
                    }
                } else if path.extension().is_some_and(|x| x == "log" || x == "out") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    out.extend(
                        text.lines()
                            .filter(|l| {
                                l.contains("Address already in use") || l.contains("BindException")
                            })
                            .map(|l| format!("{}: {l}", path.display())),
                    );
                }
            }
        }
        out
    }

    /// Move every port of the conf to new free ones (zoo.cfg, masters, config.yaml and h2's
    /// HA RPC port in the inventory): the old one was taken by another process.
    pub fn move_ports(&self) -> Vec<u16> {
        let mut ports = self.ports.lock().unwrap();
        let addrs: Vec<&str> = self.addrs.iter().map(String::as_str).collect();
        let fresh: Vec<u16> = loop {
            let f = free_ports(ports.len(), &addrs);
            if f.iter().all(|p| !ports.contains(p)) {
                break f;
            }
        };
        let conf = self.dir.path().join("conf");
        for (file, forms) in [
            (conf.join("zoo.cfg"), &[":{}", "={}\n"][..]),
            (conf.join("masters"), &[":{}\n"][..]),
            (conf.join("config.yaml"), &["port: {}\n"][..]),
            (self.inventory.clone(), &["port: {}\n"][..]),
        ] {
            let mut text = std::fs::read_to_string(&file).unwrap();
            for (old, new) in ports.iter().zip(&fresh) {
                for form in forms {
                    text = text.replace(
                        &form.replace("{}", &old.to_string()),
                        &form.replace("{}", &new.to_string()),
                    );
                }
            }
            std::fs::write(&file, text).unwrap();
        }
        *ports = fresh.clone();
        fresh
    }

    /// `flinkha start` of the whole cluster, expected to succeed; when it fails because a
    /// daemon lost one of its ports to another process between `free_ports` and its bind (a
    /// daemon log says so: [`TestCluster::lost_port_lines`]), stops what started, moves
    /// every port ([`TestCluster::move_ports`]), syncs the conf and starts again, up to
    /// twice. Any other failure fails the test at once. Returns `start`'s JSON and how many
    /// times the ports were moved.
    pub fn start_retrying_lost_ports(&self) -> (serde_json::Value, usize) {
        let mut moved = 0;
        loop {
            let (code, v) = self.json(&["start"]);
            if code == 0 {
                return (v, moved);
            }
            let lost = self.lost_port_lines();
            assert!(
                !lost.is_empty() && moved < 2,
                "flinkha start exited {code} (ports moved {moved} times; lost-port lines: {lost:?}): {v}"
            );
            #[allow(clippy::print_stderr)] // why the start is repeated goes to the test log
            {
                eprintln!("start lost a port, moving every port and starting again: {lost:?}");
            }
            let out = self.run(&["stop", "--yes"]);
            assert!(
                out.status.success(),
                "stop before the retry: {}",
                show(&out)
            );
            // The old logs would say "in use" again on the next check.
            for r in &self.roots {
                let _ = std::fs::remove_dir_all(r.join("log"));
            }
            self.move_ports();
            let out = self.run(&["sync", "--yes"]);
            assert!(
                out.status.success(),
                "sync before the retry: {}",
                show(&out)
            );
            moved += 1;
        }
    }

    /// `flinkha -c <inventory> args...` without a TTY (stdin null), colour and the caller's
    /// flinkha environment off.
    fn command(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(flinkha_bin());
        cmd.arg("-c")
            .arg(&self.inventory)
            .args(args)
            .env("NO_COLOR", "1")
            .env_remove("FLINKHA_CONFIG")
            .env_remove("FLINKHA_LOG")
            .env_remove("RUST_LOG")
            .stdin(std::process::Stdio::null());
        cmd
    }

    /// Run `flinkha -c <inventory> args...` without a TTY and return its output.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run flinkha")
    }

    /// Start `flinkha -c <inventory> args...` like [`TestCluster::run`], stdout and stderr
    /// piped, and return it running (for faults injected while it works).
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        self.command(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn flinkha")
    }

    /// Like [`TestCluster::run`] but with `--output json`, parsing stdout.
    pub fn json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let mut a = args.to_vec();
        a.extend(["--output", "json"]);
        let out = self.run(&a);
        let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "flinkha {args:?}: stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap_or(-1), v)
    }

    /// The savepoint catalogue flinkha keeps for this cluster (`.flinkha/<cluster>.catalogue.json`
    /// beside the inventory; the cluster is named `t<pid>`).
    pub fn catalogue_path(&self) -> PathBuf {
        self.dir
            .path()
            .join(format!(".flinkha/t{}.catalogue.json", std::process::id()))
    }

    /// Every pid in every pid file under the host roots (the primary deployment's `run/`
    /// and every shadow's `deployments/<name>/run/`).
    pub fn pids(&self) -> Vec<u32> {
        let mut out = Vec::new();
        let mut dirs: Vec<PathBuf> = self.roots.iter().map(|r| r.join("run")).collect();
        for r in &self.roots {
            if let Ok(rd) = std::fs::read_dir(r.join("deployments")) {
                dirs.extend(rd.flatten().map(|e| e.path().join("run")));
            }
        }
        for d in dirs {
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in rd.flatten() {
                if e.path().extension().is_some_and(|x| x == "pid") {
                    let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                    out.extend(text.lines().filter_map(|l| l.trim().parse::<u32>().ok()));
                }
            }
        }
        out
    }
}

/// Whether `pid` is a live (non-zombie) process.
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(s) => s
            .rsplit_once(") ")
            .map(|(_, rest)| !rest.starts_with('Z'))
            .unwrap_or(false),
        Err(_) => false,
    }
}

/// Send `signal` to `pid`.
pub fn kill(pid: u32, signal: &str) {
    let _ = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status();
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        let pids = self.pids();
        if pids.iter().any(|p| alive(*p)) {
            let _ = self.run(&["stop", "--yes"]);
        }
        // Safety net: anything still alive from our own pid files, by pid.
        for p in self.pids() {
            if alive(p) {
                kill(p, "KILL");
            }
        }
        self.sshd.stop();
    }
}

/// Run with `--output json` (before the args: `run` passes everything after `--` to the
/// job), expect success, parse stdout.
pub fn json_ok(c: &TestCluster, args: &[&str]) -> serde_json::Value {
    let mut a = vec!["--output", "json"];
    a.extend(args);
    let out = c.run(&a);
    assert!(out.status.success(), "flinkha {args:?}: {}", show(&out));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("flinkha {args:?}: stdout is not JSON ({e}): {}", show(&out)))
}

/// Stdout and stderr of an output, for assertion messages.
pub fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Exclusive lock for tests that run real Flink daemons: only one real cluster at a time on
/// this (2-core) machine, across test binaries, benchmark runs and people. Held until dropped.
pub struct ClusterLock(#[allow(dead_code)] std::fs::File);

impl ClusterLock {
    /// Block until the lock `/var/tmp/flinkha-cluster.lock` is ours.
    pub fn acquire() -> ClusterLock {
        use std::os::fd::AsRawFd;
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open("/var/tmp/flinkha-cluster.lock")
            .expect("open lock file");
        // SAFETY: flock on a file descriptor we own; blocks until granted.
        let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
        assert_eq!(rc, 0, "flock failed");
        ClusterLock(f)
    }
}

impl TestCluster {
    /// Rewrite the inventory with `f`.
    pub fn edit_inventory(&self, f: impl FnOnce(String) -> String) {
        let text = std::fs::read_to_string(&self.inventory).unwrap();
        std::fs::write(&self.inventory, f(text)).unwrap();
    }

    /// Path of a file in the test cluster's conf dir.
    pub fn conf_file(&self, name: &str) -> PathBuf {
        self.dir.path().join("conf").join(name)
    }

    /// TaskManagers on `hosts` only (conf/workers), before anything starts: the upgrade tests
    /// run two, on h2 and h3, so each of their many cluster starts launches one JVM less on
    /// a 2-core machine (the jobs need 2 slots; each TaskManager has 2).
    pub fn set_workers(&self, hosts: &[&str]) {
        let text: String = hosts.iter().map(|h| format!("{h}\n")).collect();
        std::fs::write(self.conf_file("workers"), text).unwrap();
    }

    /// `install`, `sync` and `start` (until healthy, retrying a start that lost a port) of a
    /// [`Self::on_external_quorum`] cluster; then `leader show` and `status` must name h1 as
    /// the leader with one TaskManager. Returns their JSON and the install + sync and start
    /// times.
    pub fn bring_up_on_h1(&self) -> (serde_json::Value, serde_json::Value, Duration, Duration) {
        let t = Instant::now();
        json_ok(self, &["install"]);
        json_ok(self, &["sync"]);
        let install = t.elapsed();
        let t = Instant::now();
        let (_, moved) = self.start_retrying_lost_ports();
        let start = t.elapsed();
        #[allow(clippy::print_stderr)] // goes to the test log
        {
            eprintln!("start: ports moved {moved} times");
        }
        let lv = json_ok(self, &["leader", "show"]);
        assert_eq!(lv["leader_host"], "h1", "{lv}");
        assert_eq!(lv["layout"], "modern", "{lv}");
        let st = json_ok(self, &["status"]);
        assert_eq!(st["leader"]["host"], "h1", "{st}");
        assert_eq!(st["overview"]["taskmanagers"], 1, "{st}");
        (lv, st, install, start)
    }

    /// `stop --yes`, then every process of the cluster must be gone; returns its time.
    pub fn stop_all(&self) -> Duration {
        let t = Instant::now();
        json_ok(self, &["stop", "--yes"]);
        let stop = t.elapsed();
        for p in self.pids() {
            assert!(!alive(p), "pid {p} still alive after stop");
        }
        stop
    }

    /// One JobManager and one TaskManager on h1, HA through the external quorum `quorum`
    /// (no zoo.cfg: flinkha runs no ZooKeeper), the JVMs given `java_opts` first in
    /// `env.java.opts.all`, and `acl: creator` when `creator`. For the secured-quorum tests.
    pub fn on_external_quorum(&self, quorum: &str, java_opts: &str, creator: bool) {
        std::fs::remove_file(self.conf_file("zoo.cfg")).unwrap();
        let masters = std::fs::read_to_string(self.conf_file("masters")).unwrap();
        let first = masters.lines().next().unwrap().to_string();
        std::fs::write(self.conf_file("masters"), format!("{first}\n")).unwrap();
        self.set_workers(&["h1"]);
        let cfg = std::fs::read_to_string(self.conf_file("config.yaml")).unwrap();
        let mut cfg = super::zkserver::replace_once(
            &cfg,
            "      all: -XX:TieredStopAtLevel=1",
            &format!("      all: {java_opts} -XX:TieredStopAtLevel=1"),
        );
        cfg = super::zkserver::replace_once(
            &cfg,
            "    path:\n      root: /flink",
            &format!("    quorum: {quorum}\n    path:\n      root: /flink"),
        );
        if creator {
            cfg = super::zkserver::replace_once(
                &cfg,
                "      session-timeout: 6000\n",
                "      session-timeout: 6000\n      acl: creator\n",
            );
        }
        std::fs::write(self.conf_file("config.yaml"), cfg).unwrap();
    }
}
