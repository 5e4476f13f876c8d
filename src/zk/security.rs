//! Secured quorums: SASL (DIGEST-MD5, Kerberos) logins and the `creator` ACL, read from the settings
//! Flink reads.
//!
//! How Flink authenticates to ZooKeeper (Flink 2.x source):
//! - `SecurityOptions`: `zookeeper.sasl.disable` (default `false`),
//!   `zookeeper.sasl.login-context-name` (default `Client`), `zookeeper.sasl.service-name`
//!   (default `zookeeper`; the Kerberos service principal, unused by DIGEST-MD5) and
//!   `security.kerberos.login.contexts` (login contexts that get Kerberos credentials).
//! - `ZooKeeperModule.install` turns them into the ZooKeeper client's system properties
//!   (`zookeeper.sasl.client`, `zookeeper.sasl.clientconfig`, `zookeeper.sasl.client.username`).
//! - The credentials come from the JVM's JAAS configuration: the file given with
//!   `-Djava.security.auth.login.config=PATH`, which `bin/config.sh` takes from
//!   `env.java.opts.all` (or the older `env.java.opts`) followed by `env.java.opts.jobmanager`
//!   for JobManagers (so a JobManager-specific `-D` wins: the JVM keeps the last one).
//!   `JaasModule` adds Kerberos (`Krb5LoginModule`) entries to every context named in
//!   `security.kerberos.login.contexts`.
//! - The ZooKeeper client (`ZooKeeperSaslClient`) logs in with the context's
//!   `DigestLoginModule` `username`/`password`. When the context is the default `Client` and
//!   the file has none, it connects without SASL; a context named explicitly and missing is
//!   an error.
//! - `HighAvailabilityOptions.ZOOKEEPER_CLIENT_ACL`
//!   (`high-availability.zookeeper.client.acl`, `open` or `creator`, default `open`):
//!   `ZooKeeperUtils.startCuratorFramework` gives every znode Flink creates
//!   `ZooDefs.Ids.CREATOR_ALL_ACL` with `creator` (its `SecureAclProvider`) and refuses
//!   `creator` when `zookeeper.sasl.disable` is true.
//!
//! Where the JAAS file is read from: the JVM reads it on the Flink hosts, flinkha runs on the
//! operator's machine. flinkha reads, in this order, the inventory's `zookeeper.jaas_file`
//! (relative to the inventory file); else, when the path of
//! `-Djava.security.auth.login.config` is one flinkha puts on the hosts (a conf dir file at
//! `<install_root>/conf/<name>`, an inventory `files:` entry), its local source; else that
//! path as given when absolute, or relative to the conf dir. A path that does not exist on
//! this machine is an error at connect time (and a `config check` finding) that says so.
//!
//! Supported: DIGEST-MD5, a `DigestLoginModule` entry with `username` and `password` (any
//! package: flink-dist shades ZooKeeper, so a Flink JVM needs
//! `org.apache.flink.shaded.zookeeper3.org.apache.zookeeper.server.auth.DigestLoginModule`,
//! while ZooKeeper's own tools use `org.apache.zookeeper.server.auth.DigestLoginModule`).
//! Kerberos (GSSAPI: a `Krb5LoginModule` entry, or a context named in
//! `security.kerberos.login.contexts` with Flink's keytab or ticket cache settings) is read
//! by [`super::kerberos`].
//! ZooKeeper client TLS (`-Dzookeeper.client.secure=true` in the JVM options) is read by
//! [`super::tls`] and combines with either login.

use std::path::{Path, PathBuf};

use serde::Serialize;
use zookeeper_client::Acls;

use super::jaas::{JaasError, JaasFile};
use crate::flinkconf::secrets::Secret;
use crate::flinkconf::{Finding, FlinkConfig};

/// The JVM system property naming the JAAS file.
pub const JAAS_PROPERTY: &str = "java.security.auth.login.config";
/// `SecurityOptions.ZOOKEEPER_SASL_DISABLE`.
pub const SASL_DISABLE: &str = "zookeeper.sasl.disable";
/// `SecurityOptions.ZOOKEEPER_SASL_LOGIN_CONTEXT_NAME`.
pub const LOGIN_CONTEXT: &str = "zookeeper.sasl.login-context-name";
/// The default of [`LOGIN_CONTEXT`].
pub const DEFAULT_LOGIN_CONTEXT: &str = "Client";
/// `SecurityOptions.KERBEROS_LOGIN_CONTEXTS`.
pub const KERBEROS_CONTEXTS: &str = "security.kerberos.login.contexts";
/// `HighAvailabilityOptions.ZOOKEEPER_CLIENT_ACL`.
pub const CLIENT_ACL: &str = "high-availability.zookeeper.client.acl";
/// The keys `bin/config.sh` builds a JobManager's JVM options from, in command-line order
/// (`env.java.opts` only when `env.java.opts.all` is unset).
pub const JAVA_OPTS_KEYS: [&str; 3] = [
    "env.java.opts.all",
    "env.java.opts",
    "env.java.opts.jobmanager",
];

/// The ACL of the znodes a client creates (`high-availability.zookeeper.client.acl`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AclMode {
    /// `world:anyone` all permissions (Flink's default, `open`).
    #[default]
    Open,
    /// Only the creating (authenticated) identity: ZooKeeper's `CREATOR_ALL_ACL`.
    Creator,
}

impl AclMode {
    /// The ACL for a znode created in this mode.
    pub fn acls(self) -> Acls<'static> {
        match self {
            AclMode::Open => Acls::anyone_all(),
            AclMode::Creator => Acls::creator_all(),
        }
    }
}

/// DIGEST-MD5 credentials from a JAAS file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DigestLogin {
    /// `username` of the `DigestLoginModule` entry.
    pub username: String,
    /// `password` of the entry (shown only as `******`).
    pub password: Secret,
    /// The JAAS file read on this machine.
    pub jaas_file: PathBuf,
    /// The login context (`zookeeper.sasl.login-context-name`).
    pub context: String,
}

impl DigestLogin {
    /// `context `Client` of /path/jaas.conf`, for messages.
    pub fn describe(&self) -> String {
        format!(
            "user `{}` of context `{}` in the JAAS file {}",
            self.username,
            self.context,
            self.jaas_file.display()
        )
    }
}

/// How flinkha authenticates to the quorum.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "mode")]
pub enum Sasl {
    /// No SASL login: no JAAS file is configured (or it has no `Client` context), as Flink's
    /// own client then connects.
    #[default]
    None,
    /// `zookeeper.sasl.disable: true`.
    Disabled,
    /// A DIGEST-MD5 login.
    DigestMd5(DigestLogin),
    /// A Kerberos (GSSAPI) login ([`super::kerberos`]).
    Kerberos(super::kerberos::KerberosLogin),
    /// Settings flinkha cannot log in with (a missing or malformed JAAS file, Kerberos, ...):
    /// connecting fails with this message, which names the setting or file and line.
    Unusable {
        /// What is wrong and what to do.
        message: String,
    },
}

/// The security settings of every ZooKeeper session flinkha opens for a cluster.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ZkSecurity {
    /// The SASL login.
    pub sasl: Sasl,
    /// The ACL of the znodes flinkha creates (the operator lock, the journal mirrors).
    pub acl: AclMode,
    /// TLS to the quorum (`-Dzookeeper.client.secure=true`, see [`super::tls`]).
    pub tls: super::tls::Tls,
}

impl ZkSecurity {
    /// One line for `config show`, `None` for the default (no login, open ACL):
    /// `ZooKeeper login: SASL DIGEST-MD5, user `flink` of context `Client` in the JAAS file
    /// /etc/jaas.conf · ACL creator`. Never the password.
    pub fn summary(&self) -> Option<String> {
        let login = match &self.sasl {
            Sasl::None => None,
            Sasl::Disabled => Some("ZooKeeper SASL disabled".to_string()),
            Sasl::DigestMd5(l) => Some(format!(
                "ZooKeeper login: SASL DIGEST-MD5, {}",
                l.describe()
            )),
            Sasl::Kerberos(l) => Some(format!(
                "ZooKeeper login: SASL GSSAPI (Kerberos), {}, server principal {}/{}",
                l.describe(),
                l.service,
                l.server_host.as_deref().unwrap_or("<host>")
            )),
            Sasl::Unusable { message } => Some(format!("ZooKeeper login unusable: {message}")),
        };
        let acl = (self.acl == AclMode::Creator).then(|| "ACL creator".to_string());
        let parts: Vec<String> = [login, acl, self.tls.summary()]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

/// Where the files the JobManagers read on their hosts (the JAAS file, TLS stores, keytab,
/// krb5.conf) are read on this machine: the inventory's `zookeeper.*` local copy, else the
/// local source of a file flinkha places at that path, else the path itself (relative: against
/// the conf dir).
#[derive(Clone, Copy, Debug)]
pub struct LocalCopies<'a> {
    /// The conf dir (relative locations are read against it).
    pub conf_dir: &'a Path,
    /// Files flinkha puts on the hosts: (path on a host, local source).
    pub placed: &'a [(PathBuf, PathBuf)],
    /// The inventory's `zookeeper.jaas_file`, resolved.
    pub jaas: Option<&'a Path>,
    /// The inventory's `zookeeper.truststore`, resolved.
    pub truststore: Option<&'a Path>,
    /// The inventory's `zookeeper.keystore`, resolved.
    pub keystore: Option<&'a Path>,
    /// The inventory's `zookeeper.keytab`, resolved.
    pub keytab: Option<&'a Path>,
    /// The inventory's `zookeeper.krb5_conf`, resolved.
    pub krb5_conf: Option<&'a Path>,
}

impl<'a> LocalCopies<'a> {
    /// Only the conf dir: no inventory copies, nothing placed.
    pub fn at(conf_dir: &'a Path) -> LocalCopies<'a> {
        LocalCopies {
            conf_dir,
            placed: &[],
            jaas: None,
            truststore: None,
            keystore: None,
            keytab: None,
            krb5_conf: None,
        }
    }
}

/// The line of `key` in `cfg`'s file; `None` when unset or a per-host value (line 0).
pub(super) fn line_of(cfg: &FlinkConfig, key: &str) -> Option<usize> {
    cfg.get(key).map(|e| e.line).filter(|l| *l > 0)
}

/// Where a setting was read, for messages: `env.java.opts.all (/conf/config.yaml:12)`; an
/// entry of line 0 is a per-host value of the inventory ([`for_host`]).
pub(super) fn at(cfg: &FlinkConfig, key: &str) -> String {
    match cfg.get(key) {
        Some(e) if e.line == 0 => format!("`{key}` (per host in {})", cfg.path.display()),
        Some(e) => format!("`{key}` ({}:{})", cfg.path.display(), e.line),
        None => format!("`{key}`"),
    }
}

/// Whether the per-host Flink key `key` changes how a JVM logs in to ZooKeeper: its JVM
/// options ([`JAVA_OPTS_KEYS`]), `zookeeper.sasl.*`, the Kerberos login
/// (`security.kerberos.login.*`: a per-host principal is common), the client ACL.
pub fn is_security_key(key: &str) -> bool {
    JAVA_OPTS_KEYS.contains(&key)
        || key.starts_with("zookeeper.sasl.")
        || key.starts_with("security.kerberos.login.")
        || key == CLIENT_ACL
}

/// `cfg` as one host sees it with its per-host `overrides` (the inventory's `hosts.<h>.flink`)
/// of [`is_security_key`] keys applied, `None` when it has none. The overridden entries have
/// line 0 and the copy is named `inventory` (messages then say "per host in" and the inventory path).
pub fn for_host(
    cfg: &FlinkConfig,
    overrides: &[(String, String)],
    inventory: &Path,
) -> Option<FlinkConfig> {
    let relevant: Vec<&(String, String)> = overrides
        .iter()
        .filter(|(k, _)| is_security_key(k))
        .collect();
    if relevant.is_empty() {
        return None;
    }
    let mut c = cfg.clone();
    c.path = inventory.to_path_buf();
    for (k, v) in relevant {
        c.entries.retain(|e| e.key != *k);
        c.entries.push(crate::flinkconf::ConfEntry {
            key: k.clone(),
            value: crate::flinkconf::ConfValue::Scalar(v.clone()),
            line: 0,
        });
    }
    Some(c)
}

fn bool_setting(cfg: &FlinkConfig, key: &str) -> bool {
    cfg.get_str(key)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The value of the JVM system property `name` a JobManager is given: the last
/// `-D<name>=VALUE` in [`JAVA_OPTS_KEYS`] order (the JVM keeps the last), with the key it
/// came from. Words are split as a shell would (`bin/config.sh` passes them unquoted).
pub fn java_opts_property(cfg: &FlinkConfig, name: &str) -> Option<(String, &'static str)> {
    java_opts_properties(cfg).remove(name)
}

/// Every JVM system property a JobManager is given with `-DNAME=VALUE` in its
/// [`JAVA_OPTS_KEYS`], by name: the last value (the JVM keeps the last) and the key it came
/// from. `-DNAME` without `=` is the empty string, as the JVM sets it.
pub fn java_opts_properties(
    cfg: &FlinkConfig,
) -> std::collections::BTreeMap<String, (String, &'static str)> {
    let mut found = std::collections::BTreeMap::new();
    for key in JAVA_OPTS_KEYS {
        if key == "env.java.opts" && cfg.get_str("env.java.opts.all").is_some() {
            continue;
        }
        let Some(opts) = cfg.get_str(key) else {
            continue;
        };
        let words = shlex::split(opts)
            .unwrap_or_else(|| opts.split_whitespace().map(str::to_string).collect());
        for w in words {
            if let Some(d) = w.strip_prefix("-D").filter(|d| !d.is_empty()) {
                let (name, value) = d.split_once('=').unwrap_or((d, ""));
                found.insert(name.to_string(), (value.to_string(), key));
            }
        }
    }
    found
}

/// JVM properties whose value only the JobManager's JVM on its host knows (no `-D` sets them).
const HOST_ONLY_PROPERTIES: [&str; 6] = [
    "user.home",
    "user.name",
    "user.dir",
    "java.home",
    "java.io.tmpdir",
    "java.version",
];

/// Expand `${name}` in a JAAS option value as the JDK's `ConfigFile` does
/// (`sun.security.util.PropertyExpander`): `${/}` is `/`, `${name}` the system property
/// `name` (`lookup`: here, the `-D` properties of the JobManagers' JVM options), `${{...}}`
/// and an unterminated `${` are kept as written. A property `lookup` does not know is an
/// error (the JDK's "unable to expand property"), as is a value that expands to nothing.
///
/// # Errors
/// The message names the property and why flinkha cannot resolve it.
pub fn expand_properties(
    value: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    if !value.contains("${") {
        return Ok(value.to_string());
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(p) = rest.find("${") {
        out.push_str(&rest[..p]);
        let after = &rest[p + 2..];
        if let Some(inner) = after.strip_prefix('{') {
            // `${{...}}`: kept verbatim (JDK: "protocol" syntax of policy files).
            match inner.find("}}") {
                Some(e) => {
                    out.push_str(&rest[p..p + 3 + e + 2]);
                    rest = &rest[p + 3 + e + 2..];
                    continue;
                }
                None => {
                    out.push_str(&rest[p..]);
                    return Ok(out);
                }
            }
        }
        let Some(e) = after.find('}') else {
            out.push_str(&rest[p..]);
            return Ok(out);
        };
        let name = &after[..e];
        if name == "/" {
            out.push('/');
        } else {
            match lookup(name) {
                Some(v) => out.push_str(&v),
                None if HOST_ONLY_PROPERTIES.contains(&name) => {
                    return Err(format!(
                        "`${{{name}}}` is the JobManager JVM's own `{name}` on each host, which \
                         flinkha cannot know here"
                    ));
                }
                None => {
                    return Err(format!(
                        "`${{{name}}}`: no `-D{name}=...` in the JobManagers' JVM options \
                         (env.java.opts.all / env.java.opts.jobmanager), so the JVM cannot \
                         expand it either (\"unable to expand property {name}\")"
                    ));
                }
            }
        }
        rest = &after[e + 1..];
    }
    out.push_str(rest);
    if out.is_empty() {
        return Err("it expands to an empty value, which the JDK refuses".into());
    }
    Ok(out)
}

/// The JAAS file the JobManagers' JVM is given: [`java_opts_property`] of
/// [`JAAS_PROPERTY`], a leading `=` (the JDK's `==` "only this file" form) dropped.
pub fn jaas_from_java_opts(cfg: &FlinkConfig) -> Option<(String, &'static str)> {
    java_opts_property(cfg, JAAS_PROPERTY)
        .map(|(v, key)| (v.strip_prefix('=').map(str::to_string).unwrap_or(v), key))
}

/// Read the security settings of `cfg` (the conf dir `conf_dir`'s Flink configuration):
/// [`from_flink_config_with`] without local copies of the TLS stores.
pub fn from_flink_config(
    cfg: &FlinkConfig,
    conf_dir: &Path,
    jaas_override: Option<&Path>,
    placed: &[(PathBuf, PathBuf)],
) -> (ZkSecurity, Vec<Finding>) {
    from_flink_config_with(
        cfg,
        &LocalCopies {
            placed,
            jaas: jaas_override,
            ..LocalCopies::at(conf_dir)
        },
    )
}

/// Read the security settings of `cfg`: the SASL login and ACL (below) and TLS
/// ([`super::tls::from_flink_config`], reading the stores as `tls` says).
/// `copies` says where the files the JobManagers are given are read here (the inventory's
/// local copies, the files flinkha itself puts on the hosts). Never fails: what flinkha cannot use becomes [`Sasl::Unusable`] or
/// [`super::tls::Tls::Unusable`] (an error when connecting), and the findings say what
/// `config check` should report.
pub fn from_flink_config_with(
    cfg: &FlinkConfig,
    copies: &LocalCopies<'_>,
) -> (ZkSecurity, Vec<Finding>) {
    let (t, mut findings) = super::tls::from_flink_config(cfg, copies);
    let (mut security, found) = sasl_and_acl(cfg, copies);
    findings.extend(found);
    security.tls = t;
    (security, findings)
}

/// The SASL login and the ACL of `cfg` (TLS left off).
fn sasl_and_acl(cfg: &FlinkConfig, copies: &LocalCopies<'_>) -> (ZkSecurity, Vec<Finding>) {
    let (conf_dir, jaas_override, placed) = (copies.conf_dir, copies.jaas, copies.placed);
    let mut findings = Vec::new();
    let file = cfg.path.clone();
    let line = |key: &str| line_of(cfg, key);
    let acl = match cfg
        .get_str(CLIENT_ACL)
        .map(|v| v.trim().to_ascii_lowercase())
    {
        None => AclMode::Open,
        Some(v) if v == "open" => AclMode::Open,
        Some(v) if v == "creator" => AclMode::Creator,
        Some(v) => {
            findings.push(
                Finding::error(
                    &file,
                    line(CLIENT_ACL),
                    format!("`{CLIENT_ACL}: {v}` is neither `open` nor `creator`"),
                    Some(
                        "Flink's ZkClientACLMode accepts `open` (the default) and `creator`".into(),
                    ),
                )
                .with_id("zk-acl-invalid"),
            );
            AclMode::Open
        }
    };
    let disabled = bool_setting(cfg, SASL_DISABLE);
    if disabled {
        if acl == AclMode::Creator {
            findings.push(
                Finding::error(
                    &file,
                    line(CLIENT_ACL),
                    format!(
                        "`{CLIENT_ACL}: creator` with `{SASL_DISABLE}: true`: Flink refuses to start (ZooKeeperUtils: the creator ACL needs a SASL login)"
                    ),
                    Some(format!("remove `{SASL_DISABLE}` or use `{CLIENT_ACL}: open`")),
                )
                .with_id("zk-acl-without-sasl"),
            );
        }
        return (
            ZkSecurity {
                sasl: Sasl::Disabled,
                acl,
                ..Default::default()
            },
            findings,
        );
    }
    let context = cfg
        .get_str(LOGIN_CONTEXT)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(DEFAULT_LOGIN_CONTEXT)
        .to_string();
    let unusable = |message: String, findings: &mut Vec<Finding>, f: Finding| {
        findings.push(f);
        Sasl::Unusable { message }
    };
    let done = |sasl: Sasl, findings: Vec<Finding>| {
        (
            ZkSecurity {
                sasl,
                acl,
                ..Default::default()
            },
            findings,
        )
    };
    // A context named in `security.kerberos.login.contexts` gets Flink's own Kerberos entry
    // (keytab, else ticket cache), which wins over what the JAAS file has for it.
    let kerberos = cfg
        .get_str(KERBEROS_CONTEXTS)
        .is_some_and(|v| v.split(',').any(|c| c.trim() == context));
    if kerberos {
        match super::kerberos::from_flink_settings(cfg, &context, copies) {
            Ok(Some(login)) => return done(Sasl::Kerberos(login), findings),
            Ok(None) => {}
            Err(failure) => {
                let (message, f) = *failure;
                let sasl = unusable(message, &mut findings, f);
                return done(sasl, findings);
            }
        }
    }
    let from_opts = jaas_from_java_opts(cfg);
    let (path, origin, origin_line, origin_file) = match (jaas_override, &from_opts) {
        (Some(p), _) => (
            p.to_path_buf(),
            "`zookeeper.jaas_file` of the inventory".to_string(),
            None,
            p.to_path_buf(),
        ),
        (None, Some((p, key))) => {
            let p = Path::new(p);
            let mut origin = format!("-D{JAAS_PROPERTY} in {}", at(cfg, key));
            let (local, how) = super::tls::local_copy(p, placed, conf_dir);
            if let Some(h) = how {
                origin.push_str(&format!(", {h}"));
            }
            (local, origin, line(key), file.clone())
        }
        (None, None) => {
            if acl == AclMode::Creator {
                findings.push(
                    Finding::warning(
                        &file,
                        line(CLIENT_ACL),
                        format!(
                            "`{CLIENT_ACL}: creator` but no JAAS file (-D{JAAS_PROPERTY} in `env.java.opts.all`): Flink's znodes can only be created by an authenticated (SASL) client"
                        ),
                        Some(format!(
                            "give the JVMs a JAAS file with a `{context}` context (see the README, \"Secured ZooKeeper\")"
                        )),
                    )
                    .with_id("zk-acl-without-sasl"),
                );
            }
            return (
                ZkSecurity {
                    sasl: Sasl::None,
                    acl,
                    ..Default::default()
                },
                findings,
            );
        }
    };
    if !path.is_file() {
        let message = format!(
            "the JAAS file {} ({origin}) does not exist on this machine: flinkha needs it to \
             log in to ZooKeeper. It is a path on the Flink hosts: put a copy at that path \
             here, or name a local copy with `zookeeper.jaas_file:` in the inventory",
            path.display()
        );
        let f = Finding::error(
            &origin_file,
            origin_line,
            format!(
                "the JAAS file {} ({origin}) does not exist on this machine",
                path.display()
            ),
            Some(
                "flinkha reads the ZooKeeper credentials from it: copy it here or set `zookeeper.jaas_file:` in the inventory"
                    .into(),
            ),
        )
        .with_id("zk-jaas-missing");
        let sasl = unusable(message, &mut findings, f);
        return (
            ZkSecurity {
                sasl,
                acl,
                ..Default::default()
            },
            findings,
        );
    }
    let sasl = match JaasFile::load(&path) {
        Err(e) => {
            let f = jaas_finding(&e);
            unusable(
                format!("the JAAS file ({origin}) is not readable: {e}"),
                &mut findings,
                f,
            )
        }
        Ok(jaas) => match login_from(&jaas, &context, cfg, copies) {
            Ok(Some(login)) => login,
            Ok(None) => {
                let mut f = Finding::warning(
                    &path,
                    None,
                    format!(
                        "the JAAS file has no `{context}` context: Flink (and flinkha) connect to ZooKeeper without SASL"
                    ),
                    Some(format!(
                        "add `{context} {{ org.apache.zookeeper.server.auth.DigestLoginModule required username=\"...\" password=\"...\"; }};` if the quorum requires SASL"
                    )),
                )
                .with_id("zk-jaas-no-context");
                if acl == AclMode::Creator {
                    f.severity = crate::flinkconf::Severity::Error;
                    f.message.push_str(
                        ", but `high-availability.zookeeper.client.acl: creator` needs a SASL login",
                    );
                }
                findings.push(f);
                Sasl::None
            }
            Err((message, f)) => unusable(message, &mut findings, f),
        },
    };
    (
        ZkSecurity {
            sasl,
            acl,
            ..Default::default()
        },
        findings,
    )
}

fn jaas_finding(e: &JaasError) -> Finding {
    Finding::error(&e.path, e.line, e.message.clone(), None).with_id("zk-jaas-invalid")
}

/// The login of `context` in `jaas`: Kerberos when it has a `Krb5LoginModule` entry, else
/// DIGEST-MD5; `Ok(None)` when the default context is missing (the ZooKeeper client then
/// connects without SASL).
#[allow(clippy::result_large_err)]
fn login_from(
    jaas: &JaasFile,
    context: &str,
    cfg: &FlinkConfig,
    copies: &LocalCopies<'_>,
) -> Result<Option<Sasl>, (String, Finding)> {
    let file = &jaas.path;
    let Some(ctx) = jaas.context(context) else {
        if context == DEFAULT_LOGIN_CONTEXT {
            return Ok(None);
        }
        let message = format!(
            "the JAAS file {} has no login context `{context}` ({})",
            file.display(),
            at(cfg, LOGIN_CONTEXT)
        );
        let f = Finding::error(file, None, message.clone(), None).with_id("zk-jaas-no-context");
        return Err((message, f));
    };
    if let Some(e) = ctx
        .entries
        .iter()
        .find(|e| e.simple_class() == "Krb5LoginModule")
    {
        return super::kerberos::from_jaas_entry(e, file, context, cfg, copies)
            .map(|l| Some(Sasl::Kerberos(l)))
            .map_err(|failure| *failure);
    }
    let Some(e) = ctx
        .entries
        .iter()
        .find(|e| e.simple_class() == "DigestLoginModule")
    else {
        let classes: Vec<&str> = ctx.entries.iter().map(|e| e.class.as_str()).collect();
        let message = format!(
            "{}:{}: context `{context}` has no `org.apache.zookeeper.server.auth.DigestLoginModule` entry (it has: {}): flinkha supports only DIGEST-MD5 logins",
            file.display(),
            ctx.line,
            if classes.is_empty() {
                "none".to_string()
            } else {
                classes.join(", ")
            }
        );
        let f = Finding::error(file, Some(ctx.line), message.clone(), None)
            .with_id("zk-sasl-unsupported");
        return Err((message, f));
    };
    let (Some(username), Some(password)) = (e.option("username"), e.option("password")) else {
        let message = format!(
            "{}:{}: the DigestLoginModule of context `{context}` needs `username=\"...\"` and `password=\"...\"`",
            file.display(),
            e.line
        );
        let f =
            Finding::error(file, Some(e.line), message.clone(), None).with_id("zk-jaas-invalid");
        return Err((message, f));
    };
    // `${property}` in a value, as the JDK expands it, from the JobManagers' `-D` options.
    let props = java_opts_properties(cfg);
    let lookup = |name: &str| props.get(name).map(|(v, _)| v.clone());
    let expand = |option: &str, value: &str| {
        expand_properties(value, &lookup).map_err(|why| {
            let message = format!(
                "{}:{}: `{option}` of the DigestLoginModule of context `{context}`: {why}",
                file.display(),
                e.line
            );
            let f = Finding::error(
                file,
                Some(e.line),
                message.clone(),
                Some(
                    "set the property with -D in `env.java.opts.all`, or give flinkha a copy with the value written out (`zookeeper.jaas_file:` in the inventory)"
                        .into(),
                ),
            )
            .with_id("zk-jaas-invalid");
            (message, f)
        })
    };
    let username = expand("username", username)?;
    let password = expand("password", password)?;
    Ok(Some(Sasl::DigestMd5(DigestLogin {
        username,
        password: Secret::new(password),
        jaas_file: file.clone(),
        context: context.to_string(),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(dir: &Path, text: &str) -> FlinkConfig {
        let p = dir.join("config.yaml");
        FlinkConfig::parse(text, &p, crate::flinkconf::ConfFormat::Yaml).unwrap()
    }

    const CLIENT: &str = "Client {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n    username=\"flink\"\n    password=\"s3cret\";\n};\n";

    #[test]
    fn java_opts_order_and_forms() {
        let d = tempfile::tempdir().unwrap();
        let c = cfg(
            d.path(),
            "env:\n  java:\n    opts:\n      all: -Xss1m -Djava.security.auth.login.config=/a.conf\n      jobmanager: \"-Djava.security.auth.login.config==/jm.conf -Dx=1\"\n",
        );
        assert_eq!(
            jaas_from_java_opts(&c),
            Some(("/jm.conf".into(), "env.java.opts.jobmanager"))
        );
        // `env.java.opts` is read only when `env.java.opts.all` is unset (bin/config.sh).
        let c = cfg(
            d.path(),
            "env.java.opts.all: -Dy=2\nenv.java.opts: -Djava.security.auth.login.config=/old.conf\n",
        );
        assert_eq!(jaas_from_java_opts(&c), None);
        let c = cfg(
            d.path(),
            "env.java.opts: '-Djava.security.auth.login.config=\"/with space.conf\"'\n",
        );
        assert_eq!(
            jaas_from_java_opts(&c),
            Some(("/with space.conf".into(), "env.java.opts"))
        );
    }

    #[test]
    fn digest_login_relative_to_the_conf_dir_and_redacted() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("jaas.conf"), CLIENT).unwrap();
        let c = cfg(
            d.path(),
            "env.java.opts.all: -Djava.security.auth.login.config=jaas.conf\nhigh-availability.zookeeper.client.acl: Creator\n",
        );
        let (s, findings) = from_flink_config(&c, d.path(), None, &[]);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(s.acl, AclMode::Creator);
        let Sasl::DigestMd5(login) = &s.sasl else {
            panic!("{s:?}")
        };
        assert_eq!(login.username, "flink");
        assert_eq!(login.password.expose(), "s3cret");
        assert_eq!(login.context, "Client");
        assert_eq!(login.jaas_file, d.path().join("jaas.conf"));
        for shown in [format!("{s:?}"), serde_json::to_string(&s).unwrap()] {
            assert!(!shown.contains("s3cret"), "{shown}");
        }
    }

    #[test]
    fn property_expansion_as_the_jdk_does_it() {
        let props = |n: &str| match n {
            "zk.user" => Some("flink".to_string()),
            "zk.pw" => Some("s3cret".to_string()),
            "empty" => Some(String::new()),
            _ => None,
        };
        let x = |v: &str| expand_properties(v, &props);
        assert_eq!(x("plain").unwrap(), "plain");
        assert_eq!(x("${zk.user}").unwrap(), "flink");
        assert_eq!(x("a-${zk.user}-${zk.pw}-b").unwrap(), "a-flink-s3cret-b");
        assert_eq!(x("${/}etc${/}x").unwrap(), "/etc/x");
        // Kept as written: `${{...}}` and an unterminated `${`.
        assert_eq!(x("${{self}}/x").unwrap(), "${{self}}/x");
        assert_eq!(x("ab${zk.user").unwrap(), "ab${zk.user");
        assert_eq!(x("${{open").unwrap(), "${{open");
        let e = x("${zk.nope}").unwrap_err();
        assert!(
            e.contains("-Dzk.nope=") && e.contains("unable to expand"),
            "{e}"
        );
        let e = x("${user.home}/pw").unwrap_err();
        assert!(e.contains("user.home") && e.contains("cannot know"), "{e}");
        assert!(x("${empty}").unwrap_err().contains("empty"));
    }

    #[test]
    fn jaas_values_expand_from_the_jobmanager_java_opts() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("jaas.conf"),
            "Client {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n    username=\"${zk.user}\"\n    password=\"${zk.pw}\";\n};\n",
        )
        .unwrap();
        // Both keys are read, the JobManager's last: zk.pw from `.jobmanager` wins.
        let c = cfg(
            d.path(),
            "env.java.opts.all: -Djava.security.auth.login.config=jaas.conf -Dzk.user=flink -Dzk.pw=old\nenv.java.opts.jobmanager: \"-Dzk.pw='s3 cret'\"\n",
        );
        let (s, findings) = from_flink_config(&c, d.path(), None, &[]);
        assert!(findings.is_empty(), "{findings:?}");
        let Sasl::DigestMd5(login) = &s.sasl else {
            panic!("{s:?}")
        };
        assert_eq!(login.username, "flink");
        assert_eq!(login.password.expose(), "s3 cret");
        // A property nobody sets: unusable, and the finding names file, line and property.
        let c = cfg(
            d.path(),
            "env.java.opts.all: -Djava.security.auth.login.config=jaas.conf -Dzk.user=flink\n",
        );
        let (s, findings) = from_flink_config(&c, d.path(), None, &[]);
        let Sasl::Unusable { message } = &s.sasl else {
            panic!("{s:?}")
        };
        assert!(
            message.contains("zk.pw") && message.contains("jaas.conf:2"),
            "{message}"
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].id.as_deref(), Some("zk-jaas-invalid"));
        assert_eq!(findings[0].line, Some(2));
    }

    #[test]
    fn context_name_disable_and_override() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("jaas.conf"),
            CLIENT.replace("Client", "ZkLogin"),
        )
        .unwrap();
        let jaas = d.path().join("jaas.conf");
        let c = cfg(
            d.path(),
            "env.java.opts.all: -Djava.security.auth.login.config=/on/the/hosts.conf\nzookeeper.sasl.login-context-name: ZkLogin\n",
        );
        // The host path does not exist here: unusable, with a finding naming the setting.
        let (s, f) = from_flink_config(&c, d.path(), None, &[]);
        let Sasl::Unusable { message } = &s.sasl else {
            panic!("{s:?}")
        };
        assert!(message.contains("/on/the/hosts.conf"), "{message}");
        assert!(message.contains("env.java.opts.all"), "{message}");
        assert!(message.contains("zookeeper.jaas_file"), "{message}");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].id.as_deref(), Some("zk-jaas-missing"));
        assert_eq!(f[0].line, Some(1));
        // A file flinkha distributes there is read from its local source.
        let placed = [(PathBuf::from("/on/the/hosts.conf"), jaas.clone())];
        let (s, f) = from_flink_config(&c, d.path(), None, &placed);
        assert!(f.is_empty(), "{f:?}");
        assert!(
            matches!(&s.sasl, Sasl::DigestMd5(l) if l.jaas_file == jaas),
            "{s:?}"
        );
        // The inventory's local copy wins.
        let (s, f) = from_flink_config(&c, d.path(), Some(&jaas), &[]);
        assert!(f.is_empty(), "{f:?}");
        assert!(matches!(&s.sasl, Sasl::DigestMd5(l) if l.context == "ZkLogin"));
        // An explicit context missing from the file is an error; the default one missing
        // means "no SASL", as for ZooKeeper's client.
        let c = cfg(
            d.path(),
            "zookeeper.sasl.login-context-name: Nope\nenv.java.opts.all: -Djava.security.auth.login.config=jaas.conf\n",
        );
        let (s, _) = from_flink_config(&c, d.path(), None, &[]);
        assert!(
            matches!(&s.sasl, Sasl::Unusable { message } if message.contains("no login context `Nope`")),
            "{s:?}"
        );
        let c = cfg(
            d.path(),
            "env.java.opts.all: -Djava.security.auth.login.config=jaas.conf\n",
        );
        let (s, f) = from_flink_config(&c, d.path(), None, &[]);
        assert_eq!(s.sasl, Sasl::None);
        assert_eq!(f[0].id.as_deref(), Some("zk-jaas-no-context"));
        // Disabled.
        let c = cfg(
            d.path(),
            "zookeeper.sasl.disable: true\nhigh-availability.zookeeper.client.acl: creator\nenv.java.opts.all: -Djava.security.auth.login.config=jaas.conf\n",
        );
        let (s, f) = from_flink_config(&c, d.path(), None, &[]);
        assert_eq!(s.sasl, Sasl::Disabled);
        assert_eq!(f[0].id.as_deref(), Some("zk-acl-without-sasl"));
        assert!(f[0].is_error());
        // Nothing configured: open, as today.
        let c = cfg(d.path(), "rest.port: 1\n");
        assert_eq!(
            from_flink_config(&c, d.path(), None, &[]),
            (ZkSecurity::default(), vec![])
        );
    }

    #[test]
    fn kerberos_and_malformed_files_are_clear_errors() {
        use super::super::kerberos::{Credentials, KerberosLogin};
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("jaas.conf"), CLIENT).unwrap();
        std::fs::write(
            d.path().join("flink.keytab"),
            super::super::keytab::test_keytab(&["other/h1@EX.TEST", "flink/h1@EX.TEST"]),
        )
        .unwrap();
        let kerberos = |s: &ZkSecurity| -> KerberosLogin {
            match &s.sasl {
                Sasl::Kerberos(k) => k.clone(),
                other => panic!("{other:?}"),
            }
        };
        let unusable = |s: &ZkSecurity| -> String {
            match &s.sasl {
                Sasl::Unusable { message } => message.clone(),
                other => panic!("{other:?}"),
            }
        };
        // A context named in `security.kerberos.login.contexts` gets Flink's own Kerberos
        // login, which wins over the JAAS file's DigestLoginModule: the ticket cache by default.
        let c = cfg(
            d.path(),
            "env.java.opts.all: -Djava.security.auth.login.config=jaas.conf\nsecurity.kerberos.login.contexts: KafkaClient,Client\n",
        );
        let (s, f) = from_flink_config(&c, d.path(), None, &[]);
        assert!(f.is_empty(), "{f:?}");
        let k = kerberos(&s);
        assert_eq!(k.credentials, Credentials::TicketCache);
        assert_eq!(
            (k.service.as_str(), k.server_host.as_deref()),
            ("zookeeper", None)
        );
        assert!(k.origin.contains("config.yaml:2"), "{}", k.origin);
        // No ticket cache and no keytab: Flink adds no Kerberos entry, the JAAS file decides.
        let c = cfg(
            d.path(),
            "env.java.opts.all: -Djava.security.auth.login.config=jaas.conf\nsecurity.kerberos.login.contexts: Client\nsecurity.kerberos.login.use-ticket-cache: false\n",
        );
        let (s, _) = from_flink_config(&c, d.path(), None, &[]);
        assert!(
            matches!(&s.sasl, Sasl::DigestMd5(l) if l.username == "flink"),
            "{s:?}"
        );
        // Keytab and principal (the realm left off matches the keytab's), the service name and
        // a server principal fixed by -Dzookeeper.server.principal.
        let c = cfg(
            d.path(),
            "security.kerberos.login.contexts: Client\nsecurity.kerberos.login.keytab: flink.keytab\nsecurity.kerberos.login.principal: flink/h1\nzookeeper.sasl.service-name: zk\nenv.java.opts.all: -Dzookeeper.server.principal=zkserver/zk1.ex.test@EX.TEST\n",
        );
        let (s, f) = from_flink_config(&c, d.path(), None, &[]);
        assert!(f.is_empty(), "{f:?}");
        let k = kerberos(&s);
        assert_eq!(
            k.credentials,
            Credentials::Keytab {
                keytab: d.path().join("flink.keytab"),
                principal: "flink/h1@EX.TEST".into()
            }
        );
        assert_eq!(
            (k.service.as_str(), k.server_host.as_deref()),
            ("zkserver", Some("zk1.ex.test"))
        );
        assert!(
            s.summary().unwrap().contains("SASL GSSAPI (Kerberos)"),
            "{:?}",
            s.summary()
        );
        // A principal the keytab lacks, a keytab without a principal, a missing krb5.conf.
        for (text, id, says) in [
            (
                "security.kerberos.login.contexts: Client\nsecurity.kerberos.login.keytab: flink.keytab\nsecurity.kerberos.login.principal: flink/h2@EX.TEST\n",
                "zk-kerberos-invalid",
                "has no key for the principal `flink/h2@EX.TEST` (it holds: other/h1@EX.TEST, flink/h1@EX.TEST)",
            ),
            (
                "security.kerberos.login.contexts: Client\nsecurity.kerberos.login.keytab: flink.keytab\n",
                "zk-kerberos-invalid",
                "a keytab needs a principal",
            ),
            (
                "security.kerberos.login.contexts: Client\nsecurity.kerberos.login.keytab: /etc/nope.keytab\nsecurity.kerberos.login.principal: flink/h1\n",
                "zk-kerberos-file-missing",
                "/etc/nope.keytab",
            ),
            (
                "security.kerberos.login.contexts: Client\nenv.java.opts.all: -Djava.security.krb5.conf=/etc/nope-krb5.conf\n",
                "zk-kerberos-file-missing",
                "`zookeeper.krb5_conf:`",
            ),
        ] {
            let (s, f) = from_flink_config(&cfg(d.path(), text), d.path(), None, &[]);
            let m = unusable(&s);
            assert!(m.contains(says), "{m}");
            assert_eq!(f[0].id.as_deref(), Some(id), "{f:?}");
            assert!(f[0].line.is_some(), "{f:?}");
        }
        // A JAAS Krb5LoginModule: keytab (relative to the conf dir) and principal; errors name
        // the file and line.
        let c = cfg(
            d.path(),
            "env.java.opts.all: -Djava.security.auth.login.config=jaas.conf\n",
        );
        for (jaas, expect) in [
            (
                "Client {\n  com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true keyTab=\"flink.keytab\" principal=\"other/h1@EX.TEST\";\n};\n",
                Ok(Credentials::Keytab {
                    keytab: d.path().join("flink.keytab"),
                    principal: "other/h1@EX.TEST".into(),
                }),
            ),
            (
                "Client {\n  com.sun.security.auth.module.Krb5LoginModule required useTicketCache=true;\n};\n",
                Ok(Credentials::TicketCache),
            ),
            (
                "Client {\n  com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true keyTab=\"/k\";\n};\n",
                Err("jaas.conf:2: `useKeyTab=true` needs"),
            ),
            (
                "Client {\n  com.sun.security.auth.module.Krb5LoginModule required;\n};\n",
                Err("would prompt for a password"),
            ),
        ] {
            std::fs::write(d.path().join("jaas.conf"), jaas).unwrap();
            let (s, _) = from_flink_config(&c, d.path(), None, &[]);
            match expect {
                Ok(cred) => assert_eq!(kerberos(&s).credentials, cred),
                Err(says) => {
                    let m = unusable(&s);
                    assert!(m.contains(says), "{m}");
                }
            }
        }

        std::fs::write(
            d.path().join("jaas.conf"),
            "Client {\n  a.DigestLoginModule required username=\"u\" password=\"hunter2\"\n};\n",
        )
        .unwrap();
        let (s, f) = from_flink_config(&c, d.path(), None, &[]);
        let Sasl::Unusable { message } = &s.sasl else {
            panic!("{s:?}")
        };
        assert!(message.contains("jaas.conf:3"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
        assert_eq!(f[0].id.as_deref(), Some("zk-jaas-invalid"));
        assert_eq!(f[0].line, Some(3));

        std::fs::write(
            d.path().join("jaas.conf"),
            "Client {\n  a.DigestLoginModule required username=\"u\";\n};\n",
        )
        .unwrap();
        let (s, _) = from_flink_config(&c, d.path(), None, &[]);
        assert!(
            matches!(&s.sasl, Sasl::Unusable { message } if message.contains("needs `username")),
            "{s:?}"
        );

        // ZooKeeper client TLS is read beside the SASL login (see zk::tls for the stores).
        std::fs::write(d.path().join("jaas.conf"), CLIENT).unwrap();
        let c = cfg(
            d.path(),
            "env.java.opts.all: -Djava.security.auth.login.config=jaas.conf -Dzookeeper.client.secure=true -Dzookeeper.clientCnxnSocket=org.apache.zookeeper.ClientCnxnSocketNetty -Dzookeeper.ssl.trustStore.location=missing.pem\n",
        );
        let (s, f) = from_flink_config(&c, d.path(), None, &[]);
        assert!(
            matches!(&s.sasl, Sasl::DigestMd5(l) if l.username == "flink"),
            "{s:?}"
        );
        assert!(
            matches!(&s.tls, super::super::tls::Tls::Unusable { message } if message.contains("missing.pem")),
            "{s:?}"
        );
        assert_eq!(f[0].id.as_deref(), Some("zk-tls-file-missing"));
    }
}
