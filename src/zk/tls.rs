//! ZooKeeper client TLS, read from the JVM system properties Flink's ZooKeeper client reads.
//!
//! Flink has no option of its own for TLS to ZooKeeper: its (shaded) ZooKeeper client reads
//! the JVM's system properties, given with `-D` in `env.java.opts.all` /
//! `env.java.opts.jobmanager` (ZooKeeper Administrator's Guide, "Encryption, Authentication,
//! Authorization Options", and ZooKeeper's `ZKClientConfig` / `ClientX509Util`):
//! - `zookeeper.client.secure=true` turns TLS on;
//! - `zookeeper.clientCnxnSocket` must then name the Netty socket
//!   (`org.apache.flink.shaded.zookeeper3.org.apache.zookeeper.ClientCnxnSocketNetty` in a
//!   Flink JVM): ZooKeeper's NIO socket has no TLS;
//! - `zookeeper.ssl.trustStore.{location,password,passwordPath,type}`: the CAs the server
//!   certificate must chain to (default: the JVM's own trust store);
//! - `zookeeper.ssl.keyStore.{location,password,passwordPath,type}`: the client certificate
//!   and key, for servers with `ssl.clientAuth=need` (the default);
//! - `zookeeper.ssl.hostnameVerification` (default `true`): the server certificate must name
//!   the host of the connect string.
//!
//! The store type is the `type` property (`PEM`, `PKCS12`, `JKS`, `BCFKS`, any case) or, as
//! ZooKeeper's `KeyStoreFileType.fromPropertyValueOrFileName` does, the file's extension
//! (`.pem`, `.p12` / `.pfx`, `.jks`, `.bcfks`). flinkha reads PEM (certificates and an
//! unencrypted PKCS#8, RSA or SEC1 key, as ZooKeeper's `PEMFileLoader` takes them in one
//! file) and PKCS#12; a JKS or BCFKS store is an error that says how to convert it. Where the
//! files are read from: as for the JAAS file ([`super::security`]), the inventory's
//! `zookeeper.truststore` / `zookeeper.keystore`, else the local source of a file flinkha
//! puts on the hosts at that path, else the path itself (relative to the conf dir).
//! Without a trust store flinkha trusts the system's CA certificates.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use super::security::{LocalCopies, java_opts_properties};
use crate::flinkconf::secrets::Secret;
use crate::flinkconf::{Finding, FlinkConfig};

/// ZooKeeper's client TLS switch (`ZKClientConfig.SECURE_CLIENT`).
pub const CLIENT_SECURE: &str = "zookeeper.client.secure";
/// The client socket class (`ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET`).
pub const CLIENT_CNXN_SOCKET: &str = "zookeeper.clientCnxnSocket";
/// The Netty socket as a Flink JVM names it (flink-dist shades ZooKeeper).
pub const FLINK_NETTY_SOCKET: &str =
    "org.apache.flink.shaded.zookeeper3.org.apache.zookeeper.ClientCnxnSocketNetty";
/// `ClientX509Util`'s hostname verification switch (default `true`).
pub const HOSTNAME_VERIFICATION: &str = "zookeeper.ssl.hostnameVerification";

/// Which of the two stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreRole {
    /// `zookeeper.ssl.trustStore.*`: the CAs.
    Truststore,
    /// `zookeeper.ssl.keyStore.*`: the client certificate and key.
    Keystore,
}

impl StoreRole {
    /// `zookeeper.ssl.trustStore.<what>` / `zookeeper.ssl.keyStore.<what>`.
    pub fn property(self, what: &str) -> String {
        match self {
            StoreRole::Truststore => format!("zookeeper.ssl.trustStore.{what}"),
            StoreRole::Keystore => format!("zookeeper.ssl.keyStore.{what}"),
        }
    }

    /// The inventory key that names a local copy: `zookeeper.truststore` / `zookeeper.keystore`.
    pub fn inventory_key(self) -> &'static str {
        match self {
            StoreRole::Truststore => "zookeeper.truststore",
            StoreRole::Keystore => "zookeeper.keystore",
        }
    }
}

/// The format of a store file (ZooKeeper's `KeyStoreFileType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum StoreType {
    /// PEM certificates (and, in a key store, one private key).
    Pem,
    /// PKCS#12 (`keytool`'s default since JDK 9).
    Pkcs12,
    /// Java KeyStore: not readable by flinkha.
    Jks,
    /// Bouncy Castle FIPS: not readable by flinkha.
    Bcfks,
}

impl StoreType {
    /// The type ZooKeeper uses: the `type` property when set, else from the file name's
    /// extension.
    ///
    /// # Errors
    /// An unknown type, or no type and an extension that says none (ZooKeeper: "Unable to
    /// auto-detect store file type").
    pub fn detect(value: Option<&str>, path: &Path) -> Result<StoreType, String> {
        if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
            return match v.to_ascii_uppercase().as_str() {
                "PEM" => Ok(StoreType::Pem),
                "PKCS12" => Ok(StoreType::Pkcs12),
                "JKS" => Ok(StoreType::Jks),
                "BCFKS" => Ok(StoreType::Bcfks),
                _ => Err(format!(
                    "`{v}` is not a store type ZooKeeper knows (PEM, PKCS12, JKS, BCFKS)"
                )),
            };
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("pem") => Ok(StoreType::Pem),
            Some("p12" | "pfx") => Ok(StoreType::Pkcs12),
            Some("jks") => Ok(StoreType::Jks),
            Some("bcfks") => Ok(StoreType::Bcfks),
            _ => Err(format!(
                "no type is set and the name {} does not say one (ZooKeeper cannot auto-detect \
                 it either): set the `type` property (PEM, PKCS12, ...)",
                path.display()
            )),
        }
    }
}

/// One store as the JVMs are given it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoreFile {
    /// The `location` property's value: a path on the Flink hosts.
    pub location: String,
    /// The file flinkha read on this machine.
    pub local: PathBuf,
    /// Its format.
    pub kind: StoreType,
}

/// The certificates and key read from the stores, as PEM text.
#[derive(Clone, PartialEq, Eq)]
pub struct TlsMaterial {
    /// The trusted CA certificates (the trust store's, or the system's).
    pub ca_pem: String,
    /// The client certificate chain and its private key (from the key store), when given.
    pub identity_pem: Option<Secret>,
}

impl std::fmt::Debug for TlsMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsMaterial")
            .field("ca_pem_bytes", &self.ca_pem.len())
            .field("identity", &self.identity_pem.as_ref().map(|_| "******"))
            .finish()
    }
}

/// TLS to the quorum as the JobManagers' JVMs do it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ZkTls {
    /// `zookeeper.ssl.trustStore.*`; `None`: the system's CA certificates.
    pub truststore: Option<StoreFile>,
    /// `zookeeper.ssl.keyStore.*`; `None`: no client certificate.
    pub keystore: Option<StoreFile>,
    /// `zookeeper.ssl.hostnameVerification`.
    pub hostname_verification: bool,
    /// What the stores hold.
    #[serde(skip)]
    pub material: TlsMaterial,
}

/// Whether and how sessions use TLS.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "mode")]
pub enum Tls {
    /// Plain TCP (`zookeeper.client.secure` unset or not `true`).
    #[default]
    Off,
    /// TLS with these stores.
    On(ZkTls),
    /// TLS is on but its settings cannot be used: connecting fails with this message, which
    /// names the property or file.
    Unusable {
        /// What is wrong and what to do.
        message: String,
    },
}

impl Tls {
    /// One line for `config show`, `None` when off.
    pub fn summary(&self) -> Option<String> {
        match self {
            Tls::Off => None,
            Tls::Unusable { message } => Some(format!("ZooKeeper TLS unusable: {message}")),
            Tls::On(t) => {
                let trust = t.truststore.as_ref().map_or_else(
                    || "the system's CAs".to_string(),
                    |s| format!("{:?} trust store {}", s.kind, s.local.display()),
                );
                let key = t.keystore.as_ref().map_or_else(
                    || "no client certificate".to_string(),
                    |s| format!("client certificate from {:?} {}", s.kind, s.local.display()),
                );
                let names = if t.hostname_verification {
                    ""
                } else {
                    ", host names not verified"
                };
                Some(format!("ZooKeeper TLS: {trust}, {key}{names}").replace("Pem", "PEM"))
            }
        }
    }
}

/// The local copy of the host path `p`: the source of a file flinkha places there, else `p`
/// (relative: against `conf_dir`). The second value says which, for messages.
pub(crate) fn local_copy(
    p: &Path,
    placed: &[(PathBuf, PathBuf)],
    conf_dir: &Path,
) -> (PathBuf, Option<String>) {
    match placed.iter().find(|(on_host, _)| on_host == p) {
        Some((_, src)) => (
            src.clone(),
            Some(format!(
                "which flinkha puts on the hosts from {}",
                src.display()
            )),
        ),
        None if p.is_absolute() => (p.to_path_buf(), None),
        None => (conf_dir.join(p), None),
    }
}

/// Where the file the JobManagers are given at the host path `on_host` is read here: the
/// inventory's local copy `inventory_copy` (key `inventory_key`) when given, else
/// [`local_copy`]. Also the path described for messages, `origin` being where the host path
/// was set: `/local/path (origin)` or `/local/path (origin, how it was found)`.
pub(crate) fn locate(
    on_host: &Path,
    inventory_copy: Option<&Path>,
    inventory_key: &str,
    origin: &str,
    copies: &LocalCopies<'_>,
) -> (PathBuf, String) {
    let (local, how) = match inventory_copy {
        Some(p) => (
            p.to_path_buf(),
            Some(format!("`{inventory_key}` of the inventory")),
        ),
        None => local_copy(on_host, copies.placed, copies.conf_dir),
    };
    let described = match how {
        Some(h) => format!("{} ({origin}, {h})", local.display()),
        None => format!("{} ({origin})", local.display()),
    };
    (local, described)
}

/// Read the TLS settings of `cfg` (the JobManagers' JVM options). Never fails: what cannot be
/// used becomes [`Tls::Unusable`], and the findings say what `config check` should report
/// (`zk-tls-no-netty`, `zk-tls-file-missing`, `zk-tls-invalid`).
pub fn from_flink_config(cfg: &FlinkConfig, src: &LocalCopies<'_>) -> (Tls, Vec<Finding>) {
    let props = java_opts_properties(cfg);
    let mut findings = Vec::new();
    let Some((secure, secure_key)) = props.get(CLIENT_SECURE) else {
        return (Tls::Off, findings);
    };
    if !secure.trim().eq_ignore_ascii_case("true") {
        return (Tls::Off, findings);
    }
    let file = cfg.path.clone();
    let line = |key: &str| super::security::line_of(cfg, key);
    let netty = props
        .get(CLIENT_CNXN_SOCKET)
        .is_some_and(|(v, _)| v.trim().ends_with(".ClientCnxnSocketNetty"));
    if !netty {
        findings.push(
            Finding::warning(
                &file,
                line(secure_key),
                format!(
                    "-D{CLIENT_SECURE}=true without -D{CLIENT_CNXN_SOCKET}=...ClientCnxnSocketNetty: \
                     ZooKeeper's default (NIO) client socket has no TLS, so the JVMs cannot reach a TLS port"
                ),
                Some(format!(
                    "add -D{CLIENT_CNXN_SOCKET}={FLINK_NETTY_SOCKET} to `{secure_key}`"
                )),
            )
            .with_id("zk-tls-no-netty"),
        );
    }
    let hostname_verification = props
        .get(HOSTNAME_VERIFICATION)
        .is_none_or(|(v, _)| v.trim().eq_ignore_ascii_case("true"));
    let mut stores = Vec::new();
    for role in [StoreRole::Truststore, StoreRole::Keystore] {
        match read_store(cfg, &props, role, src) {
            Ok(s) => stores.push(s),
            Err((message, f)) => {
                findings.push(f);
                return (Tls::Unusable { message }, findings);
            }
        }
    }
    let keystore = stores.pop().flatten();
    let truststore = stores.pop().flatten();
    let ca_pem = match &truststore {
        Some((_, pem)) => pem.expose().to_string(),
        None => match system_ca_pem() {
            Ok(p) => p,
            Err(why) => {
                let message = format!(
                    "no -D{} is set, so the system's CA certificates are trusted, but {why}",
                    StoreRole::Truststore.property("location")
                );
                findings.push(
                    Finding::error(&file, line(secure_key), message.clone(), None)
                        .with_id("zk-tls-invalid"),
                );
                return (Tls::Unusable { message }, findings);
            }
        },
    };
    let tls = ZkTls {
        truststore: truststore.as_ref().map(|(s, _)| s.clone()),
        keystore: keystore.as_ref().map(|(s, _)| s.clone()),
        hostname_verification,
        material: TlsMaterial {
            ca_pem,
            identity_pem: keystore.map(|(_, pem)| pem),
        },
    };
    (Tls::On(tls), findings)
}

type Props = std::collections::BTreeMap<String, (String, &'static str)>;

/// One store: `Ok(None)` when its location is not set.
#[allow(clippy::result_large_err)]
fn read_store(
    cfg: &FlinkConfig,
    props: &Props,
    role: StoreRole,
    src: &LocalCopies<'_>,
) -> Result<Option<(StoreFile, Secret)>, (String, Finding)> {
    let location_prop = role.property("location");
    let Some((location, key)) = props
        .get(&location_prop)
        .filter(|(v, _)| !v.trim().is_empty())
    else {
        return Ok(None);
    };
    let file = &cfg.path;
    let line = cfg.get(key).map(|e| e.line).filter(|l| *l > 0);
    let origin = format!("-D{location_prop} in `{key}`");
    let fail = |message: String, id: &str| {
        let f = Finding::error(file, line, message.clone(), None).with_id(id);
        (message, f)
    };
    let override_ = match role {
        StoreRole::Truststore => src.truststore,
        StoreRole::Keystore => src.keystore,
    };
    let (local, described) = locate(
        Path::new(location.trim()),
        override_,
        role.inventory_key(),
        &origin,
        src,
    );
    let kind = StoreType::detect(
        props.get(&role.property("type")).map(|(v, _)| v.as_str()),
        &local,
    )
    .map_err(|why| fail(format!("the {role:?} {described}: {why}"), "zk-tls-invalid"))?;
    if !local.is_file() {
        return Err(fail(
            format!(
                "the {} {described} does not exist on this machine: flinkha needs it to talk TLS \
                 to ZooKeeper. It is a path on the Flink hosts: put a copy at that path here, or \
                 name a local copy with `{}:` in the inventory",
                role_name(role),
                role.inventory_key()
            ),
            "zk-tls-file-missing",
        ));
    }
    let password = match props.get(&role.property("password")) {
        Some((p, _)) => Some(p.clone()),
        None => match props.get(&role.property("passwordPath")) {
            Some((p, _)) => {
                let (pp, _) = local_copy(Path::new(p.trim()), src.placed, src.conf_dir);
                let text = std::fs::read_to_string(&pp).map_err(|e| {
                    fail(
                        format!(
                            "-D{}={p}: cannot read {} on this machine: {e}",
                            role.property("passwordPath"),
                            pp.display()
                        ),
                        "zk-tls-file-missing",
                    )
                })?;
                Some(text.trim_end_matches(['\r', '\n']).to_string())
            }
            None => None,
        },
    };
    let bytes = std::fs::read(&local).map_err(|e| {
        fail(
            format!("the {} {described}: {e}", role_name(role)),
            "zk-tls-invalid",
        )
    })?;
    let pem = load_store(kind, &bytes, password.as_deref(), role).map_err(|why| {
        fail(
            format!("the {} {described}: {why}", role_name(role)),
            "zk-tls-invalid",
        )
    })?;
    Ok(Some((
        StoreFile {
            location: location.clone(),
            local,
            kind,
        },
        Secret::new(pem),
    )))
}

fn role_name(role: StoreRole) -> &'static str {
    match role {
        StoreRole::Truststore => "trust store",
        StoreRole::Keystore => "key store",
    }
}

/// PEM text of `label` (`CERTIFICATE`, `PRIVATE KEY`) around `der`, 64 columns.
fn pem_block(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The store's certificates (and, for a key store, its key) as PEM text, checked.
///
/// # Errors
/// What is wrong with the file: unreadable, no certificate, no or an encrypted key, a wrong
/// PKCS#12 password, a JKS / BCFKS store (with the `keytool` command that converts it).
pub fn load_store(
    kind: StoreType,
    bytes: &[u8],
    password: Option<&str>,
    role: StoreRole,
) -> Result<String, String> {
    let pem = match kind {
        StoreType::Jks | StoreType::Bcfks => {
            return Err(format!(
                "a {kind:?} store, which flinkha cannot read: convert it to PKCS#12 (`keytool \
                 -importkeystore -srckeystore <file> -destkeystore <file>.p12 -deststoretype \
                 PKCS12`), which ZooKeeper reads too, or give flinkha a PEM or PKCS#12 copy with \
                 `{}:` in the inventory",
                role.inventory_key()
            )
            .replace("Jks", "JKS")
            .replace("Bcfks", "BCFKS"));
        }
        StoreType::Pem => {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| "not PEM text (it is not UTF-8)".to_string())?;
            if text.contains("ENCRYPTED PRIVATE KEY") {
                return Err(
                    "its private key is encrypted, which flinkha cannot read: give it an \
                     unencrypted key (file mode 0600) or use a PKCS#12 key store"
                        .into(),
                );
            }
            text.to_string()
        }
        StoreType::Pkcs12 => {
            let ks = p12_keystore::KeyStore::from_pkcs12(
                bytes,
                password.unwrap_or(""),
                p12_keystore::Pkcs12ImportPolicy::Relaxed,
            )
            .map_err(|e| {
                format!(
                    "cannot read it as PKCS#12 with the password given (`password` property): {e}"
                )
            })?;
            let mut out = String::new();
            match role {
                StoreRole::Truststore => {
                    for (_, e) in ks.entries() {
                        match e {
                            p12_keystore::KeyStoreEntry::Certificate(c) => {
                                out.push_str(&pem_block("CERTIFICATE", c.as_der()));
                            }
                            p12_keystore::KeyStoreEntry::PrivateKeyChain(ch) => {
                                for c in ch.certs() {
                                    out.push_str(&pem_block("CERTIFICATE", c.as_der()));
                                }
                            }
                            p12_keystore::KeyStoreEntry::Secret(_) => {}
                        }
                    }
                }
                StoreRole::Keystore => {
                    let Some((_, chain)) = ks.private_key_chain() else {
                        return Err("it holds no private key with a certificate".into());
                    };
                    for c in chain.certs() {
                        out.push_str(&pem_block("CERTIFICATE", c.as_der()));
                    }
                    out.push_str(&pem_block("PRIVATE KEY", chain.key().as_der()));
                }
            }
            out
        }
    };
    check_pem(&pem, role)?;
    Ok(pem)
}

/// The PEM holds what the role needs: certificates, and for a key store one private key.
fn check_pem(pem: &str, role: StoreRole) -> Result<(), String> {
    use rustls_pki_types::pem::PemObject as _;
    let certs: Vec<_> = rustls_pki_types::CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("a certificate in it cannot be read: {e}"))?;
    if certs.is_empty() {
        return Err("it holds no certificate".into());
    }
    if role == StoreRole::Keystore {
        rustls_pki_types::PrivateKeyDer::from_pem_slice(pem.as_bytes()).map_err(|e| {
            format!("no private key can be read from it (PKCS#8, RSA or SEC1): {e}")
        })?;
    }
    Ok(())
}

/// The system's CA certificates as PEM (what flinkha trusts without a trust store).
fn system_ca_pem() -> Result<String, String> {
    let found = rustls_native_certs::load_native_certs();
    if found.certs.is_empty() {
        return Err(match found.errors.first() {
            Some(e) => format!("none could be loaded: {e}"),
            None => "this machine has none".into(),
        });
    }
    Ok(found
        .certs
        .iter()
        .map(|c| pem_block("CERTIFICATE", c.as_ref()))
        .collect())
}

impl ZkTls {
    /// The options of the ZooKeeper client's TLS sessions.
    ///
    /// # Errors
    /// The client's refusal of the certificates or key, as text.
    pub fn client_options(&self) -> Result<zookeeper_client::TlsOptions, String> {
        let mut o = zookeeper_client::TlsOptions::new()
            .with_pem_ca(&self.material.ca_pem)
            .map_err(|e| format!("the trusted CA certificates: {e}"))?;
        if let Some(id) = &self.material.identity_pem {
            o = o
                .with_pem_identity(id.expose(), id.expose())
                .map_err(|e| format!("the client certificate and key: {e}"))?;
        }
        if !self.hostname_verification {
            // SAFETY (of meaning, not memory): the operator turned host name checks off for
            // the JVMs with `zookeeper.ssl.hostnameVerification=false`; flinkha does the same.
            o = unsafe { o.with_no_hostname_verification() };
        }
        Ok(o)
    }

    /// A rustls client configuration with the same trust, identity and host name check, for
    /// the four-letter words on a TLS port and for naming a handshake failure.
    ///
    /// # Errors
    /// A certificate or key rustls refuses, as text.
    pub fn rustls_config(&self) -> Result<Arc<rustls::ClientConfig>, String> {
        use rustls_pki_types::pem::PemObject as _;
        crate::rest::ensure_crypto_provider();
        let mut roots = rustls::RootCertStore::empty();
        for c in rustls_pki_types::CertificateDer::pem_slice_iter(self.material.ca_pem.as_bytes())
            .flatten()
        {
            let _ = roots.add(c);
        }
        let verifier = rustls::client::WebPkiServerVerifier::builder(Arc::new(roots))
            .build()
            .map_err(|e| format!("the trusted CA certificates: {e}"))?;
        let builder = rustls::ClientConfig::builder();
        let builder = if self.hostname_verification {
            builder.with_webpki_verifier(verifier)
        } else {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyName(verifier)))
        };
        match &self.material.identity_pem {
            None => Ok(Arc::new(builder.with_no_client_auth())),
            Some(id) => {
                let certs: Vec<_> =
                    rustls_pki_types::CertificateDer::pem_slice_iter(id.expose().as_bytes())
                        .flatten()
                        .collect();
                let key = rustls_pki_types::PrivateKeyDer::from_pem_slice(id.expose().as_bytes())
                    .map_err(|e| format!("the client key: {e}"))?;
                builder
                    .with_client_auth_cert(certs, key)
                    .map(Arc::new)
                    .map_err(|e| format!("the client certificate and key: {e}"))
            }
        }
    }
}

/// Verifies the chain as WebPKI does but accepts any name
/// (`zookeeper.ssl.hostnameVerification=false`).
#[derive(Debug)]
struct AnyName(Arc<rustls::client::WebPkiServerVerifier>);

impl rustls::client::danger::ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &rustls_pki_types::CertificateDer<'_>,
        intermediates: &[rustls_pki_types::CertificateDer<'_>],
        server_name: &rustls_pki_types::ServerName<'_>,
        ocsp_response: &[u8],
        now: rustls_pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        use rustls::CertificateError as C;
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                C::NotValidForName | C::NotValidForNameContext { .. },
            )) => Ok(rustls::client::danger::ServerCertVerified::assertion()),
            r => r,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls_pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls_pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// Open a TLS stream to `addr` (`host:port`) with `config`: for the four-letter words on a
/// TLS port, and to name why a session's handshake failed.
///
/// # Errors
/// The TCP connect's or the handshake's error (rustls says why: an unknown issuer, a name
/// the certificate does not cover, a refused client certificate, ...).
pub async fn handshake(
    addr: &str,
    config: Arc<rustls::ClientConfig>,
) -> std::io::Result<tokio_rustls::client::TlsStream<tokio::net::TcpStream>> {
    let tcp = tokio::net::TcpStream::connect(addr).await?;
    let host = addr
        .rsplit_once(':')
        .map_or(addr, |(h, _)| h)
        .trim_start_matches('[')
        .trim_end_matches(']');
    let name = rustls_pki_types::ServerName::try_from(host.to_string())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    tokio_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(dir: &Path, opts: &str) -> FlinkConfig {
        let p = dir.join("config.yaml");
        FlinkConfig::parse(
            &format!("env:\n  java:\n    opts:\n      all: \"{opts}\"\n"),
            &p,
            crate::flinkconf::ConfFormat::Yaml,
        )
        .unwrap()
    }

    fn sources(dir: &Path) -> LocalCopies<'_> {
        LocalCopies::at(dir)
    }

    /// A self-signed CA and a certificate + key it signed, made by `openssl`, as PEM files
    /// `ca.pem` and `client.pem` (cert + key) in `dir`, and `client.p12` with password `pw`.
    fn make_certs(dir: &Path) {
        let run = |args: &str| {
            let o = std::process::Command::new("openssl")
                .args(args.split_whitespace())
                .current_dir(dir)
                .output()
                .unwrap();
            assert!(o.status.success(), "openssl {args}: {o:?}");
        };
        let ec = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
        run(&format!(
            "req -x509 {ec} -keyout ca.key -out ca.pem -days 2 -subj /CN=test-ca"
        ));
        run(&format!(
            "req {ec} -keyout client.key -out client.csr -subj /CN=flink"
        ));
        // X.509 v3 (extensions): rustls (webpki) refuses v1 certificates.
        std::fs::write(
            dir.join("ext.cnf"),
            "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=clientAuth,serverAuth\n",
        )
        .unwrap();
        run(
            "x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.crt -days 2 -extfile ext.cnf",
        );
        let mut both = std::fs::read_to_string(dir.join("client.crt")).unwrap();
        both.push_str(&std::fs::read_to_string(dir.join("client.key")).unwrap());
        std::fs::write(dir.join("client.pem"), both).unwrap();
        run(
            "pkcs12 -export -in client.crt -inkey client.key -certfile ca.pem -out client.p12 -passout pass:pw",
        );
    }

    #[test]
    fn off_unless_client_secure_is_true() {
        let d = tempfile::tempdir().unwrap();
        for opts in ["-Xss1m", "-Dzookeeper.client.secure=false"] {
            let (t, f) = from_flink_config(&cfg(d.path(), opts), &sources(d.path()));
            assert_eq!(t, Tls::Off, "{opts}");
            assert!(f.is_empty());
        }
    }

    #[test]
    fn pem_and_pkcs12_stores_and_their_errors() {
        let d = tempfile::tempdir().unwrap();
        make_certs(d.path());
        let netty = format!("-D{CLIENT_CNXN_SOCKET}={FLINK_NETTY_SOCKET}");
        // PEM trust store + PEM key store (relative to the conf dir), hostname checks off.
        let c = cfg(
            d.path(),
            &format!(
                "-Dzookeeper.client.secure=true {netty} -Dzookeeper.ssl.trustStore.location=ca.pem -Dzookeeper.ssl.keyStore.location=client.pem -Dzookeeper.ssl.hostnameVerification=false"
            ),
        );
        let (t, f) = from_flink_config(&c, &sources(d.path()));
        assert!(f.is_empty(), "{f:?}");
        let Tls::On(z) = &t else { panic!("{t:?}") };
        assert!(!z.hostname_verification);
        assert_eq!(z.truststore.as_ref().unwrap().kind, StoreType::Pem);
        assert_eq!(
            z.keystore.as_ref().unwrap().local,
            d.path().join("client.pem")
        );
        z.client_options().unwrap();
        z.rustls_config().unwrap();
        let shown = format!("{t:?}");
        assert!(!shown.contains("PRIVATE KEY"), "{shown}");
        assert!(t.summary().unwrap().contains("host names not verified"));

        // PKCS12 key store with its password (type by extension); the chain and key come out.
        let c = cfg(
            d.path(),
            &format!(
                "-Dzookeeper.client.secure=true {netty} -Dzookeeper.ssl.trustStore.location=ca.pem -Dzookeeper.ssl.keyStore.location=client.p12 -Dzookeeper.ssl.keyStore.password=pw"
            ),
        );
        let (t, f) = from_flink_config(&c, &sources(d.path()));
        assert!(f.is_empty(), "{f:?}");
        let Tls::On(z) = &t else { panic!("{t:?}") };
        assert!(z.hostname_verification);
        assert_eq!(z.keystore.as_ref().unwrap().kind, StoreType::Pkcs12);
        let id = z.material.identity_pem.as_ref().unwrap().expose();
        assert_eq!(id.matches("BEGIN CERTIFICATE").count(), 2, "{id}");
        assert!(id.contains("BEGIN PRIVATE KEY"));
        z.rustls_config().unwrap();
        // As a trust store, the PKCS12 file gives its certificates.
        let pem = load_store(
            StoreType::Pkcs12,
            &std::fs::read(d.path().join("client.p12")).unwrap(),
            Some("pw"),
            StoreRole::Truststore,
        )
        .unwrap();
        assert_eq!(pem.matches("BEGIN CERTIFICATE").count(), 2);

        // Each error names the property or file and what to do; nothing is sent.
        let cases: [(String, &str, &str); 6] = [
            (
                "-Dzookeeper.ssl.keyStore.location=client.p12 -Dzookeeper.ssl.keyStore.password=wrong".into(),
                "zk-tls-invalid",
                "PKCS#12 with the password given",
            ),
            (
                "-Dzookeeper.ssl.trustStore.location=/no/such/ca.pem".into(),
                "zk-tls-file-missing",
                "`zookeeper.truststore:` in the inventory",
            ),
            (
                "-Dzookeeper.ssl.trustStore.location=ca.jks".into(),
                "zk-tls-invalid",
                "keytool -importkeystore",
            ),
            (
                "-Dzookeeper.ssl.trustStore.location=ca.crt.bin".into(),
                "zk-tls-invalid",
                "cannot auto-detect",
            ),
            (
                "-Dzookeeper.ssl.keyStore.location=ca.pem".into(),
                "zk-tls-invalid",
                "no private key",
            ),
            (
                "-Dzookeeper.ssl.trustStore.location=client.key -Dzookeeper.ssl.trustStore.type=pem".into(),
                "zk-tls-invalid",
                "no certificate",
            ),
        ];
        std::fs::write(d.path().join("ca.jks"), b"\xfe\xed\xfe\xed").unwrap();
        std::fs::write(d.path().join("ca.crt.bin"), b"x").unwrap();
        for (extra, id, want) in cases {
            let c = cfg(
                d.path(),
                &format!("-Dzookeeper.client.secure=true {netty} {extra}"),
            );
            let (t, f) = from_flink_config(&c, &sources(d.path()));
            let Tls::Unusable { message } = &t else {
                panic!("{extra}: {t:?}")
            };
            assert!(message.contains(want), "{extra}: {message}");
            assert_eq!(f.len(), 1, "{extra}: {f:?}");
            assert_eq!(f[0].id.as_deref(), Some(id), "{extra}");
            assert!(
                !message.contains("wrong"),
                "the password is shown: {message}"
            );
        }

        // An encrypted PEM key.
        let o = std::process::Command::new("openssl")
            .args([
                "pkcs8",
                "-topk8",
                "-in",
                "client.key",
                "-out",
                "enc.pem",
                "-passout",
                "pass:x",
            ])
            .current_dir(d.path())
            .output()
            .unwrap();
        assert!(o.status.success());
        let e = load_store(
            StoreType::Pem,
            &std::fs::read(d.path().join("enc.pem")).unwrap(),
            Some("x"),
            StoreRole::Keystore,
        )
        .unwrap_err();
        assert!(e.contains("encrypted"), "{e}");

        // The inventory's local copy wins over the host path; a missing Netty socket warns.
        let c = cfg(
            d.path(),
            "-Dzookeeper.client.secure=true -Dzookeeper.ssl.trustStore.location=/etc/zk/ca.pem",
        );
        let ca = d.path().join("ca.pem");
        let (t, f) = from_flink_config(
            &c,
            &LocalCopies {
                truststore: Some(&ca),
                ..sources(d.path())
            },
        );
        let Tls::On(z) = &t else { panic!("{t:?}") };
        assert_eq!(z.truststore.as_ref().unwrap().local, ca);
        assert_eq!(z.truststore.as_ref().unwrap().location, "/etc/zk/ca.pem");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].id.as_deref(), Some("zk-tls-no-netty"));
        assert!(f[0].hint.as_deref().unwrap().contains(FLINK_NETTY_SOCKET));
    }

    #[test]
    fn store_type_like_zookeeper() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(StoreType::detect(None, &p("a.PEM")), Ok(StoreType::Pem));
        assert_eq!(StoreType::detect(None, &p("a.pfx")), Ok(StoreType::Pkcs12));
        assert_eq!(
            StoreType::detect(Some("pkcs12"), &p("a.pem")),
            Ok(StoreType::Pkcs12)
        );
        assert_eq!(
            StoreType::detect(Some(" JKS "), &p("a")),
            Ok(StoreType::Jks)
        );
        assert!(StoreType::detect(Some("PKCS11"), &p("a.pem")).is_err());
        assert!(StoreType::detect(None, &p("truststore")).is_err());
    }
}
