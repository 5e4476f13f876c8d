//! Kerberos (SASL GSSAPI) logins to ZooKeeper, as Flink's JobManagers log in.
//!
//! Where Flink takes a Kerberos login from (Flink 2.x source):
//! - `SecurityOptions`: `security.kerberos.login.keytab`, `security.kerberos.login.principal`,
//!   `security.kerberos.login.use-ticket-cache` (default `true`) and
//!   `security.kerberos.login.contexts`. `JaasModule` gives every context named in the last a
//!   `Krb5LoginModule` entry: a keytab login when keytab and principal are set, else a ticket
//!   cache login when `use-ticket-cache` is true, else none (the context is then as the JAAS
//!   file has it).
//! - A JAAS file context with a `Krb5LoginModule` entry (`useKeyTab`, `keyTab`, `principal`,
//!   `useTicketCache`), where the ZooKeeper client then logs in with GSSAPI: a subject with a
//!   Kerberos principal wins over a `DigestLoginModule` password (`ZooKeeperSaslClient`).
//! - The server's principal is `<service>/<host>`: the service is
//!   `zookeeper.sasl.service-name` (default `zookeeper`, which `ZooKeeperModule` sets as
//!   `zookeeper.sasl.client.username`), the host the one in the connect string; a JVM option
//!   `-Dzookeeper.server.principal=svc/host@REALM` names it whole.
//! - The Kerberos configuration: `-Djava.security.krb5.conf` in the JVM options, else the
//!   system's (`/etc/krb5.conf`).
//!
//! flinkha logs in through MIT's GSSAPI library, which reads its settings from the
//! environment: [`prepare_process`] sets `KRB5_CONFIG` (the local copy of the JVMs'
//! krb5.conf, when they are given one), and for a keytab login `KRB5_CLIENT_KTNAME` (the
//! keytab, or an in-memory copy holding only the configured principal, see [`super::keytab`])
//! and `KRB5CCNAME=MEMORY:...` (tickets stay in the process, the operator's own ticket cache
//! is not touched). A ticket cache login uses the cache of the user running flinkha (`kinit`
//! first), whose principal must be the JobManagers' when their znodes carry the `creator`
//! ACL. The server's host name is canonicalised as the local krb5.conf says
//! (`dns_canonicalize_hostname`, `rdns`), not by Java's
//! `zookeeper.sasl.client.canonicalize.hostname`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Serialize;

use super::jaas::JaasEntry;
use super::security::{LocalCopies, at, java_opts_properties, line_of};
use crate::flinkconf::{Finding, FlinkConfig};

/// `SecurityOptions.KERBEROS_LOGIN_KEYTAB`.
pub const KEYTAB: &str = "security.kerberos.login.keytab";
/// `SecurityOptions.KERBEROS_LOGIN_PRINCIPAL`.
pub const PRINCIPAL: &str = "security.kerberos.login.principal";
/// `SecurityOptions.KERBEROS_LOGIN_USETICKETCACHE` (default `true`).
pub const USE_TICKET_CACHE: &str = "security.kerberos.login.use-ticket-cache";
/// `SecurityOptions.ZOOKEEPER_SASL_SERVICE_NAME` (default `zookeeper`).
pub const SERVICE_NAME: &str = "zookeeper.sasl.service-name";
/// The JVM system property naming the Kerberos configuration file.
pub const KRB5_CONF_PROPERTY: &str = "java.security.krb5.conf";
/// The ZooKeeper client's system property naming the server principal whole
/// (`ZKClientConfig.ZOOKEEPER_SERVER_PRINCIPAL`).
pub const SERVER_PRINCIPAL_PROPERTY: &str = "zookeeper.server.principal";
/// The environment variables [`prepare_process`] may set (MIT Kerberos, "kerberos(7)").
pub const ENV_VARS: [&str; 3] = ["KRB5_CONFIG", "KRB5_CLIENT_KTNAME", "KRB5CCNAME"];

/// Where the login's credentials come from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Credentials {
    /// A keytab: the principal's keys.
    Keytab {
        /// The keytab read on this machine.
        keytab: PathBuf,
        /// The principal, as the keytab names it (`primary/instance@REALM`).
        principal: String,
    },
    /// The ticket cache of the user running flinkha (`KRB5CCNAME` or the default cache).
    TicketCache,
}

/// A Kerberos login to ZooKeeper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KerberosLogin {
    /// The client's credentials.
    pub credentials: Credentials,
    /// The service part of the server principal (`zookeeper`).
    pub service: String,
    /// The host part of the server principal when `-Dzookeeper.server.principal` fixes it;
    /// `None`: each server's host in the connect string.
    pub server_host: Option<String>,
    /// The local copy of the JVMs' krb5.conf; `None`: the system's.
    pub krb5_conf: Option<PathBuf>,
    /// The login context (`zookeeper.sasl.login-context-name`).
    pub context: String,
    /// Where the login was configured, for messages.
    pub origin: String,
}

impl KerberosLogin {
    /// `principal `flink/h1@EX.COM` from the keytab /etc/flink.keytab (security.kerberos.login.keytab ...)`.
    pub fn describe(&self) -> String {
        match &self.credentials {
            Credentials::Keytab { keytab, principal } => format!(
                "principal `{principal}` from the keytab {} ({})",
                keytab.display(),
                self.origin
            ),
            Credentials::TicketCache => format!(
                "the principal of the ticket cache of the user running flinkha ({})",
                self.origin
            ),
        }
    }
}

/// Whether every JobManager has a Kerberos principal (`principals`, one per JobManager) and
/// they differ at most in the instance (`flink/jm1@EX.COM`, `flink/jm2@EX.COM`): the per-host
/// principals of one service, one identity to a ZooKeeper with
/// `kerberos.removeHostFromPrincipal=true`.
pub fn same_primary(principals: &[Option<String>]) -> bool {
    let key = |p: &str| {
        let (name, realm) = p.split_once('@').unwrap_or((p, ""));
        (
            name.split('/').next().unwrap_or(name).to_string(),
            realm.to_string(),
        )
    };
    let mut keys = principals.iter().map(|p| p.as_deref().map(key));
    match keys.next() {
        Some(Some(first)) => keys.all(|k| k.as_ref() == Some(&first)),
        _ => false,
    }
}

/// An error and its `config check` finding (boxed: a `Finding` is large).
pub type Failure = Box<(String, Finding)>;

fn fail(file: &Path, line: Option<usize>, message: String, id: &str) -> Failure {
    let f = Finding::error(file, line, message.clone(), None).with_id(id);
    Box::new((message, f))
}

/// The login of `context` with `credentials` (configured where `origin` says), its server
/// principal's service and fixed host and its krb5.conf read from `cfg`.
fn login_with(
    cfg: &FlinkConfig,
    copies: &LocalCopies<'_>,
    credentials: Credentials,
    context: &str,
    origin: String,
) -> Result<KerberosLogin, Failure> {
    let props = java_opts_properties(cfg);
    let mut service = cfg
        .get_str(SERVICE_NAME)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("zookeeper")
        .to_string();
    let mut host = None;
    if let Some((p, _)) = props.get(SERVER_PRINCIPAL_PROPERTY) {
        let name = p.split('@').next().unwrap_or(p);
        match name.split_once('/') {
            Some((s, h)) if !s.is_empty() && !h.is_empty() => {
                service = s.to_string();
                host = Some(h.to_string());
            }
            _ => service = name.to_string(),
        }
    }
    let krb5 = match (copies.krb5_conf, props.get(KRB5_CONF_PROPERTY)) {
        (Some(p), _) => Some((
            p.to_path_buf(),
            "`zookeeper.krb5_conf` of the inventory".to_string(),
            None,
        )),
        (None, Some((v, key))) => {
            let (local, how) =
                super::tls::local_copy(Path::new(v.trim()), copies.placed, copies.conf_dir);
            let mut origin = format!("-D{KRB5_CONF_PROPERTY} in `{key}`");
            if let Some(h) = how {
                origin.push_str(&format!(", {h}"));
            }
            Some((local, origin, line_of(cfg, key)))
        }
        (None, None) => None,
    };
    let krb5_conf = match krb5 {
        None => None,
        Some((p, origin, line)) => {
            if !p.is_file() {
                return Err(fail(
                    &cfg.path,
                    line,
                    format!(
                        "the Kerberos configuration {} ({origin}) does not exist on this machine: \
                         flinkha needs it to log in to ZooKeeper. It is a path on the Flink \
                         hosts: put a copy at that path here, or name a local copy with \
                         `zookeeper.krb5_conf:` in the inventory",
                        p.display()
                    ),
                    "zk-kerberos-file-missing",
                ));
            }
            Some(p)
        }
    };
    Ok(KerberosLogin {
        credentials,
        service,
        server_host: host,
        krb5_conf,
        context: context.to_string(),
        origin,
    })
}

/// The keytab login of `principal` from the keytab at `on_host` (a path on the JobManager
/// hosts), checked: the local copy exists, is a keytab and holds the principal.
fn keytab_credentials(
    on_host: &str,
    principal: &str,
    origin: &str,
    file: &Path,
    line: Option<usize>,
    copies: &LocalCopies<'_>,
) -> Result<Credentials, Failure> {
    let (local, described) = super::tls::locate(
        Path::new(on_host.trim()),
        copies.keytab,
        "zookeeper.keytab",
        origin,
        copies,
    );
    if !local.is_file() {
        return Err(fail(
            file,
            line,
            format!(
                "the keytab {described} does not exist on this machine: flinkha needs it to log \
                 in to ZooKeeper as the JobManagers do. It is a path on the Flink hosts: put a \
                 copy at that path here, or name a local copy with `zookeeper.keytab:` in the \
                 inventory"
            ),
            "zk-kerberos-file-missing",
        ));
    }
    let kt = std::fs::read(&local)
        .map_err(|e| e.to_string())
        .and_then(super::keytab::Keytab::parse)
        .map_err(|e| {
            fail(
                file,
                line,
                format!("the keytab {described}: {e}"),
                "zk-kerberos-invalid",
            )
        })?;
    let Some(found) = kt.find(principal) else {
        let held = kt.principals();
        return Err(fail(
            file,
            line,
            format!(
                "the keytab {described} has no key for the principal `{principal}` (it holds: {}): \
                 the JobManagers cannot log in with it either",
                if held.is_empty() {
                    "nothing".to_string()
                } else {
                    held.join(", ")
                }
            ),
            "zk-kerberos-invalid",
        ));
    };
    Ok(Credentials::Keytab {
        keytab: local,
        principal: found.to_string(),
    })
}

/// The login Flink's own settings give the ZooKeeper context `context` (it is named in
/// `security.kerberos.login.contexts`): keytab and principal, else the ticket cache when
/// `security.kerberos.login.use-ticket-cache` is true, else `Ok(None)` (Flink adds no
/// Kerberos entry; the JAAS file decides).
///
/// # Errors
/// A keytab without a principal (Flink refuses to start), or a keytab or krb5.conf that is
/// missing on this machine, unreadable or without the principal.
pub fn from_flink_settings(
    cfg: &FlinkConfig,
    context: &str,
    copies: &LocalCopies<'_>,
) -> Result<Option<KerberosLogin>, Failure> {
    let keytab = cfg.get_str(KEYTAB).map(str::trim).filter(|s| !s.is_empty());
    let principal = cfg
        .get_str(PRINCIPAL)
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let ticket_cache = cfg
        .get_str(USE_TICKET_CACHE)
        .is_none_or(|v| v.trim().eq_ignore_ascii_case("true"));
    let contexts_at = at(cfg, super::security::KERBEROS_CONTEXTS);
    let credentials = match (keytab, principal) {
        (Some(k), Some(p)) => {
            let origin = format!("{} and {}", at(cfg, KEYTAB), at(cfg, PRINCIPAL));
            keytab_credentials(k, p, &origin, &cfg.path, line_of(cfg, KEYTAB), copies)?
        }
        (Some(_), None) => {
            return Err(fail(
                &cfg.path,
                line_of(cfg, KEYTAB),
                format!(
                    "{} is set but `{PRINCIPAL}` is not: Flink refuses this login configuration \
                     (SecurityConfiguration: a keytab needs a principal)",
                    at(cfg, KEYTAB)
                ),
                "zk-kerberos-invalid",
            ));
        }
        (None, _) if ticket_cache => Credentials::TicketCache,
        (None, _) => return Ok(None),
    };
    let origin = match &credentials {
        Credentials::Keytab { .. } => {
            format!("{KEYTAB}, {PRINCIPAL} for context `{context}` named in {contexts_at}")
        }
        Credentials::TicketCache => {
            format!("{USE_TICKET_CACHE} for context `{context}` named in {contexts_at}")
        }
    };
    login_with(cfg, copies, credentials, context, origin).map(Some)
}

/// The login of a JAAS `Krb5LoginModule` entry of context `context` in `jaas_file`:
/// `useKeyTab=true` with `keyTab` and `principal`, else `useTicketCache=true`.
///
/// # Errors
/// An entry that logs in neither way (it would prompt, which a daemon cannot), a keytab
/// without a principal, or the files as for [`from_flink_settings`].
pub fn from_jaas_entry(
    entry: &JaasEntry,
    jaas_file: &Path,
    context: &str,
    cfg: &FlinkConfig,
    copies: &LocalCopies<'_>,
) -> Result<KerberosLogin, Failure> {
    let line = entry.line;
    let yes = |name: &str| {
        entry
            .option(name)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    };
    let origin = format!(
        "`{}` of context `{context}` at {}:{line}",
        entry.class,
        jaas_file.display()
    );
    let credentials = if yes("useKeyTab") {
        let (Some(k), Some(p)) = (entry.option("keyTab"), entry.option("principal")) else {
            return Err(fail(
                jaas_file,
                Some(line),
                format!(
                    "{origin}: `useKeyTab=true` needs `keyTab=\"...\"` and `principal=\"...\"`"
                ),
                "zk-kerberos-invalid",
            ));
        };
        keytab_credentials(k, p, &origin, jaas_file, Some(line), copies)?
    } else if yes("useTicketCache") {
        Credentials::TicketCache
    } else {
        return Err(fail(
            jaas_file,
            Some(line),
            format!(
                "{origin} sets neither `useKeyTab=true` nor `useTicketCache=true`: it would \
                 prompt for a password, which neither a JobManager nor flinkha can answer"
            ),
            "zk-kerberos-invalid",
        ));
    };
    login_with(cfg, copies, credentials, context, origin)
}

/// What [`prepare_process`] set up: `Ok` with the variables it set, or why it could not.
static PREPARED: OnceLock<Result<SetVars, String>> = OnceLock::new();
/// The variables [`prepare_process`] set, each with its value before (to give children).
type SetVars = Vec<(&'static str, Option<std::ffi::OsString>)>;
/// The in-memory keytab copy (kept open: its `/proc/self/fd/N` path is the keytab's name).
static KEYTAB_COPY: OnceLock<std::fs::File> = OnceLock::new();

/// Sets up this process's environment for `login` (see the module documentation), once;
/// later calls do nothing. Errors (an unreadable keytab, no memory file) are kept and
/// returned by [`prepared`], so the connect that needs the login reports them.
///
/// # Safety
/// It sets environment variables: no other thread may read or write the environment while
/// it runs. Call it before starting the async runtime or any other thread.
pub unsafe fn prepare_process(login: &KerberosLogin) {
    if PREPARED.get().is_some() {
        return;
    }
    let r = (|| -> Result<SetVars, String> {
        // Everything that can fail first: the environment is changed all at once or not at all.
        let client_keytab = match &login.credentials {
            Credentials::Keytab { keytab, principal } => {
                let kt = std::fs::read(keytab)
                    .map_err(|e| e.to_string())
                    .and_then(super::keytab::Keytab::parse)
                    .map_err(|e| format!("the keytab {}: {e}", keytab.display()))?;
                Some(if kt.principals().first() == Some(&principal.as_str()) {
                    format!("FILE:{}", keytab.display())
                } else {
                    format!("FILE:{}", memory_copy(&kt.only(principal))?)
                })
            }
            Credentials::TicketCache => None,
        };
        let mut set = Vec::new();
        let mut put = |name: &'static str, value: &std::ffi::OsStr| {
            set.push((name, std::env::var_os(name)));
            // SAFETY: the caller guarantees no other thread touches the environment.
            unsafe { std::env::set_var(name, value) };
        };
        if let Some(k) = &login.krb5_conf {
            put("KRB5_CONFIG", k.as_os_str());
        }
        if let Some(name) = client_keytab {
            put("KRB5_CLIENT_KTNAME", std::ffi::OsStr::new(&name));
            put(
                "KRB5CCNAME",
                std::ffi::OsStr::new(&format!("MEMORY:flinkha-{}", std::process::id())),
            );
        }
        Ok(set)
    })();
    let _ = PREPARED.set(r);
}

/// `bytes` in an anonymous memory file (never on disk, gone with the process): its
/// `/proc/self/fd/N` path.
fn memory_copy(bytes: &[u8]) -> Result<String, String> {
    use std::io::Write as _;
    use std::os::fd::{AsRawFd as _, FromRawFd as _};
    // SAFETY: a NUL-terminated name; the returned descriptor is checked and then owned.
    let fd = unsafe { libc::memfd_create(c"flinkha-keytab".as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return Err(format!(
            "cannot create an in-memory keytab copy: {}",
            std::io::Error::last_os_error()
        ));
    }
    // SAFETY: `fd` is a new descriptor nothing else owns.
    let mut f = unsafe { std::fs::File::from_raw_fd(fd) };
    f.write_all(bytes)
        .map_err(|e| format!("writing the in-memory keytab copy: {e}"))?;
    let path = format!("/proc/self/fd/{}", f.as_raw_fd());
    KEYTAB_COPY
        .set(f)
        .map_err(|_| "a keytab copy already exists".to_string())?;
    Ok(path)
}

/// Whether [`prepare_process`] was called: `None` when not, else `Ok` or why it failed.
pub fn prepared() -> Option<Result<(), &'static str>> {
    PREPARED
        .get()
        .map(|r| r.as_ref().map(|_| ()).map_err(String::as_str))
}

/// Gives a child the values [`prepare_process`] replaced (theirs, or none): the ones it set
/// name this process's memory ticket cache and keytab copy, which mean nothing to another
/// process.
pub fn scrub_child_env(cmd: &mut std::process::Command) {
    if let Some(Ok(vars)) = PREPARED.get() {
        for (name, before) in vars {
            match before {
                Some(v) => cmd.env(name, v),
                None => cmd.env_remove(name),
            };
        }
    }
}

/// Why a Kerberos login to the server `host` fails, found by doing its first GSSAPI step
/// here (credentials from the keytab or ticket cache, a service ticket for
/// `<service>/<host>` from the KDC): the library's major and minor status messages, `None`
/// when that step succeeds. The ZooKeeper client logs this reason and reports only "no
/// available hosts". Blocking (it talks to the KDC): call it off the async runtime.
pub fn diagnose(login: &KerberosLogin, host: &str) -> Option<String> {
    use libgssapi::context::{ClientCtx, CtxFlags};
    use libgssapi::credential::{Cred, CredUsage};
    use libgssapi::name::Name;
    use libgssapi::oid::{GSS_MECH_KRB5, GSS_NT_HOSTBASED_SERVICE, OidSet};
    let host = login.server_host.as_deref().unwrap_or(host);
    let service = format!("{}@{host}", login.service);
    let r = (|| {
        let target = Name::new(service.as_bytes(), Some(&GSS_NT_HOSTBASED_SERVICE))?;
        let mut mechs = OidSet::new()?;
        mechs.add(&GSS_MECH_KRB5)?;
        let cred = Cred::acquire(None, None, CredUsage::Initiate, Some(&mechs))?;
        let mut ctx = ClientCtx::new(
            Some(cred),
            target,
            CtxFlags::GSS_C_MUTUAL_FLAG,
            Some(&GSS_MECH_KRB5),
        );
        ctx.step(None, None).map(|_| ())
    })();
    r.err()
        .map(|e| format!("{e} (server principal {}/{host})", login.service))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_host_principals_of_one_service() {
        let p = |s: &str| Some(s.to_string());
        assert!(same_primary(&[
            p("flink/jm1@EX.TEST"),
            p("flink/jm2@EX.TEST")
        ]));
        assert!(!same_primary(&[
            p("flink/jm1@EX.TEST"),
            p("other/jm2@EX.TEST")
        ]));
        assert!(!same_primary(&[
            p("flink/jm1@EX.TEST"),
            p("flink/jm2@OTHER.TEST")
        ]));
        assert!(!same_primary(&[p("flink/jm1@EX.TEST"), None]));
        assert!(!same_primary(&[]));
    }
}
