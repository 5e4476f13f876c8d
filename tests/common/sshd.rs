//! A dedicated OpenSSH server for tests: its own host key, client key, `authorized_keys`
//! and config in a temp dir, listening on one free port on each of the given loopback
//! addresses. Started as a child (`/usr/sbin/sshd -D`), stopped by pid on drop.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const SSHD: &str = "/usr/sbin/sshd";
/// How long to wait for the port to accept connections on every address.
const READY_WAIT: Duration = Duration::from_secs(10);
/// Grace period between SIGTERM and SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// A running test sshd. Dropping it stops the process.
pub struct Sshd {
    /// The port sshd listens on, on every address.
    pub port: u16,
    /// Temp dir holding keys, config, `authorized_keys` and `sshd.log`.
    pub dir: PathBuf,
    /// Private key authorized for `user` (its public half is `<client_key>.pub`).
    pub client_key: PathBuf,
    /// A `known_hosts` file with `[addr]:port <host key>` for each address.
    pub known_hosts: PathBuf,
    /// The user to log in as (the current user).
    pub user: String,
    /// The host's (first) public key, `type base64` (`ssh-ed25519 AAAA...`).
    pub host_key_pub: String,
    /// All host public keys, `type base64`, in the order of the key types asked for.
    pub host_keys_pub: Vec<String>,
    pid: u32,
    child: Option<Child>,
    _tmp: TempDir,
}

fn keygen(path: &Path, comment: &str) {
    keygen_type(path, "ed25519", comment)
}

fn keygen_type(path: &Path, key_type: &str, comment: &str) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-N", "", "-t", key_type, "-C", comment, "-f"])
        .arg(path)
        .stdin(Stdio::null())
        .status()
        .expect("running ssh-keygen (install openssh-client: scripts/prepare-test-env.sh)");
    assert!(status.success(), "ssh-keygen failed for {}", path.display());
}

/// Generate an ed25519 key pair at `path` (and `path.pub`); for tests that need a key the
/// server does not know.
pub fn generate_key(path: &Path) {
    keygen(path, "flinkha-test-extra");
}

fn current_user() -> String {
    let out = Command::new("id")
        .arg("-un")
        .output()
        .expect("running id -un");
    let name = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if name.is_empty() {
        std::env::var("USER").unwrap_or_else(|_| "root".to_owned())
    } else {
        name
    }
}

fn port_free_everywhere(addrs: &[&str], port: u16) -> bool {
    addrs.iter().all(|a| TcpListener::bind((*a, port)).is_ok())
}

fn pick_port(addrs: &[&str]) -> u16 {
    for _ in 0..20 {
        let port = TcpListener::bind((addrs[0], 0))
            .unwrap_or_else(|e| panic!("cannot bind {}:0: {e}", addrs[0]))
            .local_addr()
            .unwrap()
            .port();
        if port_free_everywhere(addrs, port) {
            return port;
        }
    }
    panic!("no free port on all of {addrs:?}");
}

impl Sshd {
    /// Start a dedicated sshd listening on each of `addrs` (loopback addresses like
    /// `"127.0.1.1"`) on one free port. Panics with the sshd log if it does not come up.
    pub fn start(addrs: &[&str]) -> Sshd {
        Sshd::start_with_host_key_types(addrs, &["ed25519"])
    }

    /// Like [`Sshd::start`], with one host key per `ssh-keygen -t` type in `key_types`
    /// (e.g. `["ecdsa", "ed25519"]`); `known_hosts` lists all of them for every address.
    pub fn start_with_host_key_types(addrs: &[&str], key_types: &[&str]) -> Sshd {
        assert!(!key_types.is_empty(), "at least one host key type");
        assert!(!addrs.is_empty(), "Sshd::start needs at least one address");
        if !Path::new(SSHD).exists() {
            panic!(
                "{SSHD} not found: the SSH tests need OpenSSH's server. \
                 Run scripts/prepare-test-env.sh (it installs openssh-server)"
            );
        }
        let tmp = tempfile::Builder::new()
            .prefix("flinkha-sshd.")
            .tempdir()
            .expect("creating sshd temp dir");
        let dir = tmp.path().to_path_buf();
        let mut host_key_files = Vec::new();
        let mut host_keys_pub = Vec::new();
        for t in key_types {
            let f = dir.join(format!("ssh_host_{t}_key"));
            keygen_type(&f, t, "flinkha-test-host");
            let line = fs::read_to_string(dir.join(format!("ssh_host_{t}_key.pub")))
                .unwrap()
                .split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" ");
            host_keys_pub.push(line);
            host_key_files.push(f);
        }
        let host_key_pub = host_keys_pub[0].clone();
        let client_key = dir.join("client_ed25519");
        keygen(&client_key, "flinkha-test-client");
        let client_pub = fs::read_to_string(dir.join("client_ed25519.pub")).unwrap();
        fs::write(dir.join("authorized_keys"), &client_pub).unwrap();

        // Privilege separation directory (Debian's package creates it at boot only).
        fs::create_dir_all("/run/sshd").ok();

        let user = current_user();
        let log = dir.join("sshd.log");
        let mut last_log = String::new();
        for _attempt in 0..3 {
            let port = pick_port(addrs);
            let mut cfg = format!("Port {port}\n");
            for a in addrs {
                cfg.push_str(&format!("ListenAddress {a}:{port}\n"));
            }
            for hk in &host_key_files {
                cfg.push_str(&format!("HostKey {}\n", hk.display()));
            }
            cfg.push_str(&format!(
                "PidFile {dir}/sshd.pid\n\
                 UsePAM no\n\
                 PasswordAuthentication no\n\
                 KbdInteractiveAuthentication no\n\
                 PubkeyAuthentication yes\n\
                 AuthorizedKeysFile {dir}/authorized_keys\n\
                 PermitRootLogin prohibit-password\n\
                 StrictModes no\n\
                 Subsystem sftp internal-sftp\n\
                 LogLevel VERBOSE\n\
                 MaxStartups 100:30:200\n\
                 MaxSessions 100\n",
                dir = dir.display(),
            ));
            let cfg_path = dir.join("sshd_config");
            fs::write(&cfg_path, cfg).unwrap();
            let _ = fs::remove_file(&log);

            let mut child = Command::new(SSHD)
                .arg("-D")
                .arg("-f")
                .arg(&cfg_path)
                .arg("-E")
                .arg(&log)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {SSHD}: {e}"));
            let pid = child.id();

            let deadline = Instant::now() + READY_WAIT;
            let mut exited = false;
            loop {
                if addrs.iter().all(|a| {
                    TcpStream::connect_timeout(
                        &format!("{a}:{port}").parse().unwrap(),
                        Duration::from_millis(200),
                    )
                    .is_ok()
                }) {
                    let mut known = String::new();
                    for a in addrs {
                        for k in &host_keys_pub {
                            known.push_str(&format!("[{a}]:{port} {k}\n"));
                        }
                    }
                    let known_hosts = dir.join("known_hosts");
                    fs::write(&known_hosts, known).unwrap();
                    return Sshd {
                        port,
                        dir,
                        client_key,
                        known_hosts,
                        user,
                        host_key_pub,
                        host_keys_pub,
                        pid,
                        child: Some(child),
                        _tmp: tmp,
                    };
                }
                if let Ok(Some(_)) = child.try_wait() {
                    exited = true;
                    break;
                }
                if Instant::now() >= deadline {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            last_log = fs::read_to_string(&log).unwrap_or_default();
            if !exited {
                // Not listening in time: stop this one by pid before giving up or retrying.
                stop_pid(pid, &mut Some(child));
            }
            // A port grabbed by someone else between the check and sshd's bind: retry.
            if !last_log.contains("Address already in use") {
                break;
            }
        }
        panic!(
            "sshd did not accept connections on {addrs:?} within {READY_WAIT:?}; sshd.log:\n{last_log}"
        );
    }

    /// Process id of the sshd listener.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// `[addr]:port host-key` line for `addr` and the first host key, as in `known_hosts`.
    pub fn known_hosts_line(&self, addr: &str) -> String {
        format!("[{addr}]:{} {}", self.port, self.host_key_pub)
    }

    /// The sshd log so far (for assertion messages).
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.join("sshd.log")).unwrap_or_default()
    }

    /// Stop sshd: SIGTERM by pid, wait until it is gone (SIGKILL after 5 s). Idempotent.
    pub fn stop(&mut self) {
        if self.child.is_some() {
            stop_pid(self.pid, &mut self.child);
        }
    }
}

fn stop_pid(pid: u32, child: &mut Option<Child>) {
    let Some(mut c) = child.take() else { return };
    if let Ok(Some(_)) = c.try_wait() {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .stderr(Stdio::null())
        .status();
    let deadline = Instant::now() + STOP_GRACE;
    loop {
        if let Ok(Some(_)) = c.try_wait() {
            return;
        }
        if Instant::now() >= deadline {
            let _ = c.kill(); // SIGKILL to this pid only
            let _ = c.wait();
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        self.stop()
    }
}
