//! A real standalone ZooKeeper server for tests: Debian's ZooKeeper 3.8
//! (`/usr/share/java/zookeeper.jar`, whose manifest Class-Path names its dependencies in
//! /usr/share/java), started as `ZooKeeperServerMain <zoo.cfg>` on a free port, with every
//! four-letter word whitelisted and the AdminServer disabled. Stopped by pid on drop.
//!
//! [`ZkServer::start_sasl`] starts one that requires a SASL (DIGEST-MD5) login of every
//! client: `authProvider.1=...SASLAuthenticationProvider`, `sessionRequireClientSASLAuth=true`
//! (ZooKeeper 3.6+: sessions without a SASL login are closed), and the users of a JAAS
//! `Server` context (`user_<name>="<password>"`) given to the JVM with
//! `-Djava.security.auth.login.config`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const ZOOKEEPER_JAR: &str = "/usr/share/java/zookeeper.jar";
/// A logging backend for ZooKeeper's slf4j, writing to stderr (redirected to the log file).
const SLF4J_BINDINGS: &[&str] = &[
    "/usr/share/java/slf4j-simple.jar",
    "/usr/share/java/slf4j-nop.jar",
];
/// How long to wait for `zookeeper.jar` to appear (the package may be being installed).
const JAR_WAIT: Duration = Duration::from_secs(300);
/// How long to wait for the server to answer `ruok`.
const READY_WAIT: Duration = Duration::from_secs(30);
/// Grace period between SIGTERM and SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// A running standalone ZooKeeper server. Dropping it stops the process (by pid).
pub struct ZkServer {
    /// Client port.
    pub port: u16,
    /// `host:port` to connect to.
    pub addr: String,
    pid: u32,
    dir: TempDir,
    host: String,
    child: Option<Child>,
    sasl: bool,
}

impl ZkServer {
    /// Starts a server bound to `host` (e.g. `127.0.0.1`) on a free port and waits (bounded,
    /// 30 s) until it answers `ruok` with `imok` and `srvr` with a `Mode:` (serving). Panics with the server log on failure.
    pub fn start(host: &str) -> ZkServer {
        Self::start_opts(host, &[])
    }

    /// Like [`ZkServer::start`], but every client must log in with SASL DIGEST-MD5 as one of
    /// `users` (name, password).
    pub fn start_sasl(host: &str, users: &[(&str, &str)]) -> ZkServer {
        assert!(!users.is_empty());
        Self::start_opts(host, users)
    }

    fn start_opts(host: &str, users: &[(&str, &str)]) -> ZkServer {
        wait_for_jar();
        let dir = tempfile::Builder::new()
            .prefix("flinkha-zk-")
            .tempdir()
            .expect("temp dir for ZooKeeper");
        let sasl = !users.is_empty();
        if sasl {
            let entries: String = users
                .iter()
                .map(|(u, p)| format!("\n    user_{u}=\"{p}\""))
                .collect();
            std::fs::write(
                dir.path().join("server-jaas.conf"),
                format!(
                    "Server {{\n  org.apache.zookeeper.server.auth.DigestLoginModule required{entries};\n}};\n"
                ),
            )
            .expect("server JAAS file");
        }
        let mut last_err = String::new();
        // A free port can be taken between our probe and the server's bind: retry.
        for _ in 0..3 {
            let port = free_port(host);
            let addr = format!("{host}:{port}");
            let mut child = match spawn(host, port, dir.path(), sasl) {
                Ok(child) => child,
                Err(e) => {
                    last_err = e;
                    continue;
                }
            };
            match wait_ready(&mut child, &addr, dir.path()) {
                Ok(()) => {
                    return ZkServer {
                        port,
                        addr,
                        pid: child.id(),
                        dir,
                        host: host.to_owned(),
                        child: Some(child),
                        sasl,
                    };
                }
                Err(e) => {
                    last_err = e;
                    stop_child(child);
                }
            }
        }
        panic!("ZooKeeper did not start: {last_err}");
    }

    /// The connect string for this server, optionally with a chroot (`host:port/chroot`).
    pub fn connect_string(&self) -> String {
        self.addr.clone()
    }

    /// The server's data and log directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Stops the server: SIGTERM, then SIGKILL after 5 s. Idempotent.
    pub fn stop(&mut self) {
        if let Some(child) = self.child.take() {
            stop_child(child);
        }
    }

    /// Starts the server again on the same port and data directory (sessions and znodes
    /// survive if it comes back within their timeout).
    pub fn restart(&mut self) {
        self.stop();
        let child = spawn(&self.host, self.port, self.dir.path(), self.sasl)
            .unwrap_or_else(|e| panic!("restarting ZooKeeper: {e}"));
        self.pid = child.id();
        self.child = Some(child);
        let child = self.child.as_mut().expect("just set");
        if let Err(e) = wait_ready(child, &self.addr, self.dir.path()) {
            panic!("ZooKeeper did not restart: {e}");
        }
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        read_log(self.dir.path())
    }
}

impl Drop for ZkServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn read_log(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("zookeeper.log")).unwrap_or_default()
}

/// SIGTERM by pid, then SIGKILL after [`STOP_GRACE`]; reaps the process.
fn stop_child(mut child: Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .stderr(Stdio::null())
        .status();
    let deadline = Instant::now() + STOP_GRACE;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill(); // SIGKILL to this very pid
    let _ = child.wait();
}

fn wait_ready(child: &mut Child, addr: &str, dir: &Path) -> Result<(), String> {
    let deadline = Instant::now() + READY_WAIT;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("exited with {status}\n{}", read_log(dir)));
        }
        // `ruok` answers `imok` ~0.5 s before the server accepts sessions (measured with
        // 3.8.0); `srvr` says "not currently serving requests" until it does.
        if ruok(addr) && four_letter(addr, b"srvr").contains("Mode:") {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "no `imok` from {addr} within {READY_WAIT:?}\n{}",
                read_log(dir)
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn wait_for_jar() {
    let deadline = Instant::now() + JAR_WAIT;
    while !Path::new(ZOOKEEPER_JAR).exists() {
        assert!(
            Instant::now() < deadline,
            "{ZOOKEEPER_JAR} missing: install Debian's `zookeeper` package"
        );
        std::thread::sleep(Duration::from_secs(2));
    }
}

fn free_port(host: &str) -> u16 {
    TcpListener::bind((host, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port on {host}: {e}"))
}

fn spawn(host: &str, port: u16, dir: &Path, sasl: bool) -> Result<Child, String> {
    let data = dir.join("data");
    std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
    let cfg = dir.join("zoo.cfg");
    std::fs::write(
        &cfg,
        format!(
            "tickTime=500\n\
             minSessionTimeout=1000\n\
             maxSessionTimeout=60000\n\
             dataDir={}\n\
             clientPort={port}\n\
             clientPortAddress={host}\n\
             4lw.commands.whitelist=*\n\
             admin.enableServer=false\n{}",
            data.display(),
            if sasl {
                "authProvider.1=org.apache.zookeeper.server.auth.SASLAuthenticationProvider\n\
                 sessionRequireClientSASLAuth=true\n"
            } else {
                ""
            }
        ),
    )
    .map_err(|e| format!("{}: {e}", cfg.display()))?;
    let mut classpath: Vec<PathBuf> = vec![ZOOKEEPER_JAR.into()];
    if let Some(binding) = SLF4J_BINDINGS.iter().find(|p| Path::new(p).exists()) {
        classpath.push(binding.into());
    }
    let classpath = std::env::join_paths(classpath).map_err(|e| e.to_string())?;
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("zookeeper.log"))
        .map_err(|e| format!("log file: {e}"))?;
    let log2 = log.try_clone().map_err(|e| e.to_string())?;
    let mut cmd = Command::new("java");
    cmd.args(["-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"])
        .arg("-Dzookeeper.admin.enableServer=false");
    if sasl {
        cmd.arg(format!(
            "-Djava.security.auth.login.config={}",
            dir.join("server-jaas.conf").display()
        ));
    }
    cmd.arg("-cp")
        .arg(classpath)
        .arg("org.apache.zookeeper.server.ZooKeeperServerMain")
        .arg(&cfg)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log2)
        .spawn()
        .map_err(|e| format!("spawning java: {e}"))
}

/// `ruok` over a blocking socket: true when the server answers `imok`.
pub fn ruok(addr: &str) -> bool {
    four_letter(addr, b"ruok").trim() == "imok"
}

/// Sends a four-letter word over a blocking socket; the answer, or "" on any failure.
pub fn four_letter(addr: &str, word: &[u8; 4]) -> String {
    let Ok(sock_addr) = addr.parse() else {
        return String::new();
    };
    let Ok(mut s) = TcpStream::connect_timeout(&sock_addr, Duration::from_secs(1)) else {
        return String::new();
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(word).is_err() {
        return String::new();
    }
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer
}

/// A conf dir + inventory in `dir` for one JobManager h1 at 127.0.0.1:`jm_port`, HA through
/// `zk` under `/flink/<cluster_id>`; `prefix` is YAML put before the `high-availability`
/// block, `zookeeper_extra` lines inside `high-availability.zookeeper` (4-space indented).
/// Returns the inventory path.
pub fn ha_inventory(
    dir: &std::path::Path,
    zk: &ZkServer,
    cluster_id: &str,
    jm_port: u16,
    prefix: &str,
    zookeeper_extra: &str,
) -> std::path::PathBuf {
    let conf = dir.join("conf");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(
        conf.join("config.yaml"),
        format!(
            "{prefix}high-availability:\n  type: zookeeper\n  storageDir: file://{}/ha\n  cluster-id: /{cluster_id}\n  zookeeper:\n    quorum: {}\n{zookeeper_extra}    path:\n      root: /flink\n",
            dir.display(),
            zk.connect_string()
        ),
    )
    .unwrap();
    std::fs::write(conf.join("masters"), format!("h1:{jm_port}\n")).unwrap();
    std::fs::write(conf.join("workers"), "h1\n").unwrap();
    let inv = dir.join("flinkha.yaml");
    std::fs::write(
        &inv,
        "conf_dir: conf\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: 127.0.0.1\n",
    )
    .unwrap();
    inv
}
