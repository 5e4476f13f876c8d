//! A real MIT Kerberos KDC for tests (Debian's krb5-kdc and krb5-admin-server): a new realm
//! [`REALM`] in a temporary directory, its database made with `kdb5_util create`, principals
//! and keytabs with `kadmin.local`, and `krb5kdc -n` (in the foreground, stopped by pid on
//! drop) listening on 127.0.0.1 only, on a free port, UDP and TCP. The krb5.conf it writes
//! ([`Kdc::krb5_conf`]) names only that KDC, prefers TCP and turns off DNS lookups and host
//! name canonicalisation, for MIT's library and Java alike.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The test realm.
pub const REALM: &str = "FLINKHA.TEST";

/// A running KDC. Dropping it stops the process (by pid).
pub struct Kdc {
    /// The KDC's port on 127.0.0.1 (UDP and TCP).
    pub port: u16,
    dir: TempDir,
    child: Option<Child>,
}

fn sbin(name: &str) -> String {
    for d in ["/usr/sbin", "/usr/bin", "/sbin"] {
        let p = format!("{d}/{name}");
        if Path::new(&p).exists() {
            return p;
        }
    }
    panic!(
        "{name} not found: install krb5-kdc and krb5-admin-server (scripts/prepare-test-env.sh does)"
    );
}

impl Kdc {
    /// Creates the realm and starts its KDC; waits (bounded, 20 s) until it accepts TCP
    /// connections. Panics with the KDC's log on failure.
    pub fn start() -> Kdc {
        let dir = tempfile::Builder::new()
            .prefix("flinkha-kdc-")
            .tempdir()
            .expect("temp dir for the KDC");
        let d = dir.path();
        let mut last = String::new();
        for _ in 0..3 {
            let port = super::zkserver::free_port("127.0.0.1");
            std::fs::write(
                d.join("kdc.conf"),
                format!(
                    "[kdcdefaults]\n kdc_listen = 127.0.0.1:{port}\n kdc_tcp_listen = 127.0.0.1:{port}\n\
                     [realms]\n {REALM} = {{\n  database_name = {d}/principal\n  key_stash_file = {d}/stash\n  \
                     acl_file = {d}/kadm5.acl\n  max_life = 1h\n  \
                     supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal\n }}\n\
                     [logging]\n kdc = FILE:{d}/kdc.log\n admin_server = FILE:{d}/kadmin.log\n",
                    d = d.display()
                ),
            )
            .unwrap();
            std::fs::write(
                d.join("krb5.conf"),
                format!(
                    "[libdefaults]\n default_realm = {REALM}\n dns_lookup_realm = false\n dns_lookup_kdc = false\n \
                     dns_canonicalize_hostname = false\n rdns = false\n udp_preference_limit = 1\n \
                     ticket_lifetime = 1h\n forwardable = false\n\
                     [realms]\n {REALM} = {{\n  kdc = 127.0.0.1:{port}\n }}\n\
                     [domain_realm]\n localhost = {REALM}\n"
                ),
            )
            .unwrap();
            std::fs::write(d.join("kadm5.acl"), "").unwrap();
            if !d.join("principal").exists() {
                run(
                    d,
                    Command::new(sbin("kdb5_util")).args([
                        "create",
                        "-s",
                        "-r",
                        REALM,
                        "-P",
                        "kdc-master-pw",
                    ]),
                );
            }
            let log = std::fs::File::create(d.join("krb5kdc.out")).unwrap();
            let mut child = Command::new(sbin("krb5kdc"))
                .args(["-n", "-r", REALM])
                .envs(env(d))
                .stdin(Stdio::null())
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .expect("spawning krb5kdc");
            let deadline = Instant::now() + Duration::from_secs(20);
            let up = loop {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    break true;
                }
                if child.try_wait().ok().flatten().is_some() || Instant::now() > deadline {
                    break false;
                }
                std::thread::sleep(Duration::from_millis(50));
            };
            if up {
                return Kdc {
                    port,
                    dir,
                    child: Some(child),
                };
            }
            let _ = child.kill();
            let _ = child.wait();
            last = format!(
                "{}{}",
                std::fs::read_to_string(d.join("krb5kdc.out")).unwrap_or_default(),
                std::fs::read_to_string(d.join("kdc.log")).unwrap_or_default()
            );
        }
        panic!("krb5kdc did not start: {last}");
    }

    /// The krb5.conf naming this KDC.
    pub fn krb5_conf(&self) -> PathBuf {
        self.dir.path().join("krb5.conf")
    }

    /// Adds `name` (`primary/instance`, in [`REALM`]) with a random key.
    pub fn add_principal(&self, name: &str) {
        self.kadmin(&format!("addprinc -randkey {name}"));
    }

    /// Writes a keytab at `path` with the current keys of `names` (in that order), without
    /// changing them (`ktadd -norandkey`).
    pub fn keytab(&self, path: &Path, names: &[&str]) {
        self.kadmin(&format!(
            "ktadd -k {} -norandkey {}",
            path.display(),
            names.join(" ")
        ));
    }

    /// Gives `name` a new random key (its older keytabs then no longer work).
    pub fn change_key(&self, name: &str) {
        self.kadmin(&format!("cpw -randkey {name}"));
    }

    fn kadmin(&self, query: &str) {
        run(
            self.dir.path(),
            Command::new(sbin("kadmin.local")).args(["-r", REALM, "-q", query]),
        );
    }

    /// The KDC's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("kdc.log")).unwrap_or_default()
    }
}

/// The environment of the KDC tools: only this realm's files.
fn env(d: &Path) -> [(&'static str, PathBuf); 2] {
    [
        ("KRB5_CONFIG", d.join("krb5.conf")),
        ("KRB5_KDC_PROFILE", d.join("kdc.conf")),
    ]
}

fn run(d: &Path, cmd: &mut Command) {
    let o = cmd
        .envs(env(d))
        .stdin(Stdio::null())
        .output()
        .expect("running a KDC tool");
    assert!(
        o.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

impl Drop for Kdc {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
