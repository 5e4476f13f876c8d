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
//!
//! [`ZkServer::start_tls`] starts one that also serves TLS on a `secureClientPort` (Netty,
//! PEM stores, `ssl.clientAuth=need`), with a test CA, a server certificate for its address
//! and a client certificate made by `openssl` in its directory ([`TlsFiles`]).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const ZOOKEEPER_JAR: &str = "/usr/share/java/zookeeper.jar";
/// Netty's codecs (Debian's libnetty-java, a dependency of the zookeeper package).
const NETTY_CODEC_JAR: &str = "/usr/share/java/netty-codec.jar";
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
    secure_port: Option<u16>,
    jvm_args: Vec<String>,
}

/// The TLS files of a [`ZkServer::start_tls`] server, all in its directory.
pub struct TlsFiles {
    /// The test CA's certificate (PEM): the clients' trust store.
    pub ca_pem: PathBuf,
    /// A client certificate + key signed by the CA, in one PEM file (ZooKeeper's PEM key store).
    pub client_pem: PathBuf,
    /// The same client certificate, key and CA as PKCS#12 with password [`TLS_P12_PASSWORD`].
    pub client_p12: PathBuf,
    /// Another CA's certificate, which did not sign the server's.
    pub other_ca_pem: PathBuf,
}

/// The password of [`TlsFiles::client_p12`].
pub const TLS_P12_PASSWORD: &str = "p12-pw-4d1e";

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

    /// Like [`ZkServer::start`], plus TLS on a second, secure client port ([`Self::secure_addr`])
    /// that requires a client certificate signed by the test CA ([`Self::tls_files`]).
    pub fn start_tls(host: &str) -> ZkServer {
        Self::start_opts_tls(host, &[], true)
    }

    /// `host:secureClientPort` of a [`ZkServer::start_tls`] server.
    pub fn secure_addr(&self) -> String {
        format!("{}:{}", self.host, self.secure_port.expect("a TLS server"))
    }

    /// The TLS files of a [`ZkServer::start_tls`] server.
    pub fn tls_files(&self) -> TlsFiles {
        let d = self.dir.path();
        TlsFiles {
            ca_pem: d.join("ca.pem"),
            client_pem: d.join("client.pem"),
            client_p12: d.join("client.p12"),
            other_ca_pem: d.join("other-ca.pem"),
        }
    }

    /// Like [`ZkServer::start`], but every client must log in with SASL, as the JAAS
    /// `Server` context `server_jaas` (a whole JAAS file) lets them; `jvm_args` go to the
    /// server's JVM (e.g. `-Djava.security.krb5.conf=...` for a Kerberos `Server` context).
    pub fn start_sasl_jaas(host: &str, server_jaas: &str, jvm_args: &[String]) -> ZkServer {
        Self::start_full(host, Some(server_jaas.to_string()), false, jvm_args)
    }

    fn start_opts(host: &str, users: &[(&str, &str)]) -> ZkServer {
        Self::start_opts_tls(host, users, false)
    }

    fn start_opts_tls(host: &str, users: &[(&str, &str)], tls: bool) -> ZkServer {
        let jaas = (!users.is_empty()).then(|| {
            let entries: String = users
                .iter()
                .map(|(u, p)| format!("\n    user_{u}=\"{p}\""))
                .collect();
            format!(
                "Server {{\n  org.apache.zookeeper.server.auth.DigestLoginModule required{entries};\n}};\n"
            )
        });
        Self::start_full(host, jaas, tls, &[])
    }

    fn start_full(
        host: &str,
        server_jaas: Option<String>,
        tls: bool,
        jvm_args: &[String],
    ) -> ZkServer {
        wait_for_jar();
        let dir = tempfile::Builder::new()
            .prefix("flinkha-zk-")
            .tempdir()
            .expect("temp dir for ZooKeeper");
        if tls {
            make_tls_files(dir.path(), host);
        }
        let sasl = server_jaas.is_some();
        if let Some(text) = &server_jaas {
            std::fs::write(dir.path().join("server-jaas.conf"), text).expect("server JAAS file");
        }
        let mut last_err = String::new();
        // A free port can be taken between our probe and the server's bind: retry.
        for _ in 0..3 {
            let port = free_port(host);
            let secure_port = tls.then(|| free_port(host));
            let addr = format!("{host}:{port}");
            let mut child = match spawn(host, port, dir.path(), sasl, secure_port, jvm_args) {
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
                        secure_port,
                        jvm_args: jvm_args.to_vec(),
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
        let child = spawn(
            &self.host,
            self.port,
            self.dir.path(),
            self.sasl,
            self.secure_port,
            &self.jvm_args,
        )
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

pub fn free_port(host: &str) -> u16 {
    TcpListener::bind((host, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port on {host}: {e}"))
}

/// The test CA (`ca.pem`), a server certificate for `host` (`server.pem`, cert + key), a
/// client certificate (`client.pem`, `client.p12`) and another CA (`other-ca.pem`), by
/// `openssl`. X.509 v3 throughout (rustls refuses v1).
fn make_tls_files(dir: &Path, host: &str) {
    let run = |args: &str| {
        let o = Command::new("openssl")
            .args(args.split_whitespace())
            .current_dir(dir)
            .output()
            .expect("run openssl (Debian's `openssl` package)");
        assert!(o.status.success(), "openssl {args}: {o:?}");
    };
    let ec = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
    for ca in ["ca", "other-ca"] {
        run(&format!(
            "req -x509 {ec} -keyout {ca}.key -out {ca}.pem -days 2 -subj /CN={ca}"
        ));
    }
    std::fs::write(
        dir.join("server.cnf"),
        format!("subjectAltName=IP:{host}\nextendedKeyUsage=serverAuth\n"),
    )
    .unwrap();
    std::fs::write(dir.join("client.cnf"), "extendedKeyUsage=clientAuth\n").unwrap();
    for (name, cn) in [("server", "zookeeper"), ("client", "flink")] {
        run(&format!(
            "req {ec} -keyout {name}.key -out {name}.csr -subj /CN={cn}"
        ));
        run(&format!(
            "x509 -req -in {name}.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out {name}.crt -days 2 -extfile {name}.cnf"
        ));
        let mut both = std::fs::read_to_string(dir.join(format!("{name}.crt"))).unwrap();
        both.push_str(&std::fs::read_to_string(dir.join(format!("{name}.key"))).unwrap());
        std::fs::write(dir.join(format!("{name}.pem")), both).unwrap();
    }
    run(&format!(
        "pkcs12 -export -in client.crt -inkey client.key -certfile ca.pem -out client.p12 -passout pass:{TLS_P12_PASSWORD}"
    ));
}

fn spawn(
    host: &str,
    port: u16,
    dir: &Path,
    sasl: bool,
    secure_port: Option<u16>,
    jvm_args: &[String],
) -> Result<Child, String> {
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
             admin.enableServer=false\n{}{}",
            data.display(),
            if sasl {
                "authProvider.1=org.apache.zookeeper.server.auth.SASLAuthenticationProvider\n\
                 sessionRequireClientSASLAuth=true\n"
            } else {
                ""
            },
            match secure_port {
                // ZooKeeper Administrator's Guide, "Quorum TLS" / "Client-Server mutual
                // authentication": the Netty factory serves TLS on secureClientPort.
                Some(sp) => format!(
                    "secureClientPort={sp}\n\
                     secureClientPortAddress={host}\n\
                     serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory\n\
                     ssl.keyStore.location={d}/server.pem\n\
                     ssl.keyStore.type=PEM\n\
                     ssl.trustStore.location={d}/ca.pem\n\
                     ssl.trustStore.type=PEM\n\
                     ssl.clientAuth=need\n",
                    d = dir.display()
                ),
                None => String::new(),
            }
        ),
    )
    .map_err(|e| format!("{}: {e}", cfg.display()))?;
    let mut classpath: Vec<PathBuf> = vec![ZOOKEEPER_JAR.into()];
    if let Some(binding) = SLF4J_BINDINGS.iter().find(|p| Path::new(p).exists()) {
        classpath.push(binding.into());
    }
    if secure_port.is_some() {
        // Netty's SslHandler needs netty-codec, which zookeeper.jar's Class-Path leaves out
        // (Debian's libnetty-java has it).
        classpath.push(NETTY_CODEC_JAR.into());
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
    cmd.args(jvm_args);
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

/// `flinkha -c <inv> args...` without a TTY (stdin null), colour and the caller's log
/// settings off.
pub fn flinkha(inv: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_flinkha"))
        .arg("-c")
        .arg(inv)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .env_remove("FLINKHA_LOG")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// `text` with its one occurrence of `from` replaced by `to` (asserts there is exactly one).
pub fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "`{from}` in config.yaml");
    text.replacen(from, to, 1)
}

/// `flinkha -c <inv> leader show --output json`, which must succeed (`what` names the case
/// when it does not) and name `url` as the REST leader; its JSON.
pub fn leader_show_names(inv: &Path, url: &str, what: &str) -> serde_json::Value {
    let o = flinkha(inv, &["leader", "show", "--output", "json"]);
    assert!(o.status.success(), "{what}: {}", super::cluster::show(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["rest_server"]["address"], url, "{what}: {v}");
    v
}
