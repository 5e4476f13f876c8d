//! ZooKeeper access for Flink HA: sessions, the HA path layout, leader znodes and four-letter
//! words.
//!
//! - [`connect`] / [`connect_with`]: a `zookeeper_client::Client` that fails fast on a dead
//!   quorum.
//! - [`ha_path`]: where a Flink cluster keeps its HA znodes.
//! - [`leader`]: who leads what ([`leader::read_leader_view`], [`leader::watch_leader_view`]).
//! - [`connection_info`]: the Java-serialized leader information in `connection_info` znodes.
//! - [`four_letter`]: `srvr` / `ruok` over plain TCP.
//! - [`security`] / [`jaas`]: SASL (DIGEST-MD5) logins from Flink's JAAS file and the
//!   `creator` ACL, and [`tls`]: TLS from the JVMs' `zookeeper.ssl.*` properties, carried by
//!   [`ConnectOptions::security`] into every session.
//!
//! Nothing here prints; errors carry the connect string or znode path and a [`ZkError::hint`].

pub mod connection_info;
pub mod four_letter;
pub mod jaas;
pub mod kerberos;
pub mod keytab;
pub mod leader;
#[cfg(test)]
mod proptests;
pub mod security;
pub mod tls;

use std::time::Duration;

pub use security::{AclMode, Sasl, ZkSecurity};
pub use tls::Tls;
pub use zookeeper_client::Client;

/// Default of Flink's `high-availability.zookeeper.path.root` (`HighAvailabilityOptions`).
pub const DEFAULT_ROOT: &str = "/flink";
/// Default of Flink's `high-availability.cluster-id` (`HighAvailabilityOptions`).
pub const DEFAULT_CLUSTER_ID: &str = "/default";

/// Options for [`connect_with`]. For a cluster, start from
/// [`crate::core::model::HaSettings::connect_options`], which carries the cluster's
/// [`ZkSecurity`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectOptions {
    /// Session timeout to negotiate with the server (the server clamps it to
    /// `[2, 20] × tickTime`, ZooKeeper Administrator's Guide). Ephemeral znodes of this session
    /// (test leaders, locks) disappear this long after the process dies.
    pub session_timeout: Duration,
    /// Bound on the whole connect (every host of the connect string tried once).
    pub connect_timeout: Duration,
    /// Accept a session with a read-only server (a ZooKeeper server cut off from its quorum,
    /// `readonlymode.enabled`). Right for status commands; writes then fail with `NotReadOnly`.
    pub readonly: bool,
    /// The SASL login and the ACL of created znodes (default: no login, open ACL). The
    /// password is shown only as `******` (`Debug`, traces, errors).
    pub security: ZkSecurity,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            session_timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(10),
            readonly: true,
            security: ZkSecurity::default(),
        }
    }
}

/// A ZooKeeper failure, with the connect string or znode path it concerns.
#[derive(Debug, thiserror::Error)]
pub enum ZkError {
    /// No session could be established.
    #[error("cannot connect to ZooKeeper at {connect_string}")]
    Connect {
        /// The connect string given (`host:port[,host:port...][/chroot]`).
        connect_string: String,
        /// The client's error (`NoHosts` when every host refused or failed, `Timeout`, ...).
        #[source]
        source: zookeeper_client::Error,
    },
    /// The connect did not finish within [`ConnectOptions::connect_timeout`].
    #[error("timed out after {timeout:?} connecting to ZooKeeper at {connect_string}")]
    ConnectTimeout {
        /// The connect string given.
        connect_string: String,
        /// The bound that expired.
        timeout: Duration,
    },
    /// The quorum refused the SASL login (DIGEST-MD5): wrong username or password, or a user
    /// the servers' JAAS `Server` context does not know.
    #[error(
        "ZooKeeper at {connect_string} refused the SASL (DIGEST-MD5) login of {login}: wrong username or password?"
    )]
    SaslRefused {
        /// The connect string given.
        connect_string: String,
        /// Who logged in: user, login context and JAAS file ([`security::DigestLogin::describe`]).
        login: String,
        /// The client's error (`AuthFailed`).
        #[source]
        source: zookeeper_client::Error,
    },
    /// The Kerberos (GSSAPI) login failed before or while the quorum was asked: no ticket, a
    /// KDC that cannot be reached, a key the KDC refuses, no server principal for the host.
    #[error("Kerberos login to ZooKeeper at {connect_string} as {login} failed: {reason}")]
    KerberosLogin {
        /// The connect string given.
        connect_string: String,
        /// Who logged in ([`kerberos::KerberosLogin::describe`]).
        login: String,
        /// The GSSAPI library's reason (its major and minor status messages).
        reason: String,
    },
    /// The cluster's ZooKeeper security settings cannot be used (a JAAS file missing on this
    /// machine or malformed, Kerberos): nothing was sent. The message names the setting or
    /// the file and line.
    #[error("cannot log in to ZooKeeper at {connect_string}: {message}")]
    Security {
        /// The connect string given.
        connect_string: String,
        /// What is wrong ([`Sasl::Unusable`]).
        message: String,
    },
    /// The TLS handshake with a server failed (`-Dzookeeper.client.secure=true`): an unknown
    /// issuer, a certificate that does not name the host, a client certificate the server
    /// refused, or a server that does not speak TLS on that port.
    #[error("TLS with ZooKeeper at {endpoint} failed: {reason}")]
    TlsHandshake {
        /// The connect string given.
        connect_string: String,
        /// The server whose handshake failed (`host:port`).
        endpoint: String,
        /// rustls's reason.
        reason: String,
    },
    /// A request on an established session failed.
    #[error("ZooKeeper {operation} {path} failed")]
    Request {
        /// What was attempted (`get data of`, `list children of`, `watch`, ...).
        operation: &'static str,
        /// The znode path, relative to the connect string's chroot if any.
        path: String,
        /// The client's error.
        #[source]
        source: zookeeper_client::Error,
    },
}

impl ZkError {
    pub(crate) fn request(
        operation: &'static str,
        path: &str,
        source: zookeeper_client::Error,
    ) -> Self {
        ZkError::Request {
            operation,
            path: path.to_owned(),
            source,
        }
    }

    /// The underlying client error, if any.
    pub fn client_error(&self) -> Option<&zookeeper_client::Error> {
        match self {
            ZkError::Connect { source, .. }
            | ZkError::Request { source, .. }
            | ZkError::SaslRefused { source, .. } => Some(source),
            ZkError::ConnectTimeout { .. }
            | ZkError::Security { .. }
            | ZkError::KerberosLogin { .. }
            | ZkError::TlsHandshake { .. } => None,
        }
    }

    /// True when the quorum will not accept this client's login however long one waits:
    /// [`ZkError::Security`] (unusable settings), [`ZkError::SaslRefused`] (wrong
    /// credentials), [`ZkError::KerberosLogin`], [`ZkError::TlsHandshake`] (certificates that do not fit), or `AuthFailed` at connect (a quorum that requires SASL, no login given).
    /// Health waits fail at once on these instead of at their timeout.
    pub fn is_login_failure(&self) -> bool {
        matches!(
            self,
            ZkError::Security { .. }
                | ZkError::SaslRefused { .. }
                | ZkError::KerberosLogin { .. }
                | ZkError::TlsHandshake { .. }
                | ZkError::Connect {
                    source: zookeeper_client::Error::AuthFailed,
                    ..
                }
        )
    }

    /// A one-line suggestion for the user, for the CLI to print after the error chain.
    pub fn hint(&self) -> Option<&'static str> {
        use zookeeper_client::Error as E;
        match self {
            ZkError::SaslRefused { .. } => {
                return Some(
                    "check the username and password of that JAAS context against the servers' \
                     `Server` context (`user_<name>=\"<password>\"`)",
                );
            }
            ZkError::Security { .. } => {
                return Some("see the README, \"Secured ZooKeeper\", for what flinkha reads");
            }
            ZkError::KerberosLogin { .. } => {
                return Some(
                    "the keytab must hold the principal's current keys (`klist -kt`), the KDC of \
                     its realm must be reachable as the krb5.conf (-Djava.security.krb5.conf) \
                     says, and the servers' principal `<service>/<host>` must exist; with a \
                     ticket cache login, `kinit` first",
                );
            }
            ZkError::TlsHandshake { .. } => {
                return Some(
                    "the trust store (`-Dzookeeper.ssl.trustStore.location`) must hold the CA \
                     that signed the server's certificate, which must name the host of the \
                     connect string (or `-Dzookeeper.ssl.hostnameVerification=false`); servers \
                     with `ssl.clientAuth=need` also want the key store's client certificate",
                );
            }
            _ => {}
        }
        if let ZkError::ConnectTimeout { .. } = self {
            return Some(
                "no ZooKeeper server answered in time: check `high-availability.zookeeper.quorum`, \
                 that the servers run (`srvr` four-letter word) and that no firewall drops packets",
            );
        }
        Some(match self.client_error()? {
            E::NoHosts => {
                "no server of the connect string accepted a session: check \
                 `high-availability.zookeeper.quorum` and that ZooKeeper is running there"
            }
            E::Timeout => {
                "no session within the session timeout: the servers may be up but without a \
                 quorum (check `srvr` on each: Mode leader/follower)"
            }
            E::ConnectionLoss => {
                "the connection to ZooKeeper was lost: the server may have stopped or lost its \
                 quorum; retry once the quorum is healthy"
            }
            E::SessionExpired => "the ZooKeeper session expired: reconnect and retry",
            E::NoNode => {
                "the znode does not exist: check `high-availability.zookeeper.path.root` and \
                 `high-availability.cluster-id` (has a JobManager of this cluster started?)"
            }
            E::NoAuth => {
                "not authorized: the znodes may have been created with \
                 `high-availability.zookeeper.client.acl: creator` (SASL): flinkha needs the same \
                 login as Flink (the JAAS file of `-Djava.security.auth.login.config` in \
                 `env.java.opts.all`, or `zookeeper.jaas_file` in the inventory; with Kerberos, \
                 the JobManagers' `security.kerberos.login.principal`)"
            }
            E::AuthFailed => {
                "authentication failed: the quorum may require a SASL login \
                 (`sessionRequireClientSASLAuth`): give flinkha the JAAS file Flink uses \
                 (`-Djava.security.auth.login.config` in `env.java.opts.all`, or \
                 `zookeeper.jaas_file` in the inventory)"
            }
            E::InvalidAcl => {
                "the server refused the ACL: `high-availability.zookeeper.client.acl: creator` \
                 needs a SASL login (a JAAS file with a DigestLoginModule `Client` context)"
            }
            E::NotReadOnly => {
                "the server is in read-only mode (cut off from its quorum): writes need a quorum"
            }
            E::BadArguments(_) => {
                "check the connect string (`host:port[,host:port...][/chroot]`) and the znode path"
            }
            _ => return None,
        })
    }
}

/// Connects with [`ConnectOptions::default`] but the given session timeout (also used as the
/// connect bound) and read-only sessions allowed: what status commands need.
///
/// `connect_string` is ZooKeeper's `host:port[,host:port...][/chroot]` (Flink's
/// `high-availability.zookeeper.quorum`).
///
/// # Errors
/// [`ZkError::Connect`] (e.g. `NoHosts` when nothing listens: every host is tried once, then
/// the connect fails instead of retrying forever) or [`ZkError::ConnectTimeout`].
pub async fn connect(connect_string: &str, session_timeout: Duration) -> Result<Client, ZkError> {
    connect_with(
        connect_string,
        &ConnectOptions {
            session_timeout,
            connect_timeout: session_timeout,
            readonly: true,
            security: ZkSecurity::default(),
        },
    )
    .await
}

/// Connects to ZooKeeper with explicit [`ConnectOptions`]. Uses `Client::connector()` with
/// `with_fail_eagerly()`, so a dead quorum is an error after each host was tried once. With
/// [`Sasl::DigestMd5`] in [`ConnectOptions::security`] the session logs in with SASL
/// DIGEST-MD5 first (as Flink's ZooKeeper client does with a JAAS `DigestLoginModule`).
///
/// # Errors
/// As [`connect`]; also [`ZkError::Security`] for [`Sasl::Unusable`] settings (nothing is
/// sent) and [`ZkError::SaslRefused`] when the quorum refuses the login.
pub async fn connect_with(
    connect_string: &str,
    options: &ConnectOptions,
) -> Result<Client, ZkError> {
    let mut connector = Client::connector()
        .with_session_timeout(options.session_timeout)
        .with_readonly(options.readonly)
        .with_fail_eagerly();
    let mut kerberos = None;
    let login = match &options.security.sasl {
        Sasl::DigestMd5(login) => {
            connector = connector.with_sasl(zookeeper_client::SaslOptions::digest_md5(
                login.username.clone(),
                login.password.expose().to_owned(),
            ));
            Some(login)
        }
        Sasl::Kerberos(k) => {
            match kerberos::prepared() {
                Some(Ok(())) => {}
                Some(Err(why)) => {
                    return Err(ZkError::Security {
                        connect_string: connect_string.to_owned(),
                        message: format!("Kerberos: {why}"),
                    });
                }
                None => {
                    return Err(ZkError::Security {
                        connect_string: connect_string.to_owned(),
                        message: "Kerberos: the process environment was not prepared \
                                  (zk::kerberos::prepare_process was not called)"
                            .into(),
                    });
                }
            }
            let mut o = zookeeper_client::SaslOptions::gssapi().with_username(k.service.clone());
            if let Some(h) = &k.server_host {
                o = o.with_hostname(h.clone());
            }
            connector = connector.with_sasl(o);
            kerberos = Some(k);
            None
        }
        Sasl::Unusable { message } => {
            return Err(ZkError::Security {
                connect_string: connect_string.to_owned(),
                message: message.clone(),
            });
        }
        Sasl::None | Sasl::Disabled => None,
    };
    let tls = match &options.security.tls {
        Tls::Off => None,
        Tls::Unusable { message } => {
            return Err(ZkError::Security {
                connect_string: connect_string.to_owned(),
                message: message.clone(),
            });
        }
        Tls::On(t) => {
            crate::rest::ensure_crypto_provider();
            let o = t.client_options().map_err(|message| ZkError::Security {
                connect_string: connect_string.to_owned(),
                message: format!("ZooKeeper TLS: {message}"),
            })?;
            connector = connector.with_tls(o);
            Some(t)
        }
    };
    let sasl = login
        .map(|l| l.username.as_str())
        .or(kerberos.map(|_| "gssapi"));
    let started = std::time::Instant::now();
    let session = async {
        if tls.is_some() {
            connector.secure_connect(connect_string).await
        } else {
            connector.connect(connect_string).await
        }
    };
    let r = tokio::time::timeout(options.connect_timeout, session).await;
    let ms = ms_since(started);
    match &r {
        Ok(Ok(c)) => {
            tracing::debug!(quorum = %connect_string, ms, sasl, tls = tls.is_some(), session = %c.session_id(), "zk connect")
        }
        Ok(Err(e)) => {
            tracing::debug!(quorum = %connect_string, ms, sasl, error = %e, "zk connect failed")
        }
        Err(_) => tracing::debug!(quorum = %connect_string, ms, sasl, "zk connect timed out"),
    }
    match r {
        Ok(Ok(client)) => Ok(client),
        Ok(Err(source @ zookeeper_client::Error::AuthFailed)) if login.is_some() => {
            Err(ZkError::SaslRefused {
                connect_string: connect_string.to_owned(),
                login: login.map(|l| l.describe()).unwrap_or_default(),
                source,
            })
        }
        Ok(Err(source)) => {
            if let Some(e) = kerberos_failure(connect_string, kerberos).await {
                return Err(e);
            }
            if let Some(e) = tls_failure(connect_string, tls).await {
                return Err(e);
            }
            Err(ZkError::Connect {
                connect_string: connect_string.to_owned(),
                source,
            })
        }
        Err(_) => Err(ZkError::ConnectTimeout {
            connect_string: connect_string.to_owned(),
            timeout: options.connect_timeout,
        }),
    }
}

/// After a failed Kerberos connect: why, when the GSSAPI step fails for a server here too.
/// The client reports that failure as "no available hosts" (and only logs the reason), so
/// the step is redone ([`kerberos::diagnose`], off the runtime: it talks to the KDC). `None`
/// without a Kerberos login, or when the step works (the connect error says more).
async fn kerberos_failure(
    connect_string: &str,
    login: Option<&kerberos::KerberosLogin>,
) -> Option<ZkError> {
    let k = login?.clone();
    let hosts: Vec<String> = connect_string_endpoints(connect_string)
        .into_iter()
        .map(|e| e.rsplit_once(':').map(|(h, _)| h.to_string()).unwrap_or(e))
        .collect();
    let reason =
        tokio::task::spawn_blocking(move || hosts.iter().find_map(|h| kerberos::diagnose(&k, h)))
            .await
            .ok()
            .flatten()?;
    Some(ZkError::KerberosLogin {
        connect_string: connect_string.to_owned(),
        login: login?.describe(),
        reason,
    })
}

/// After a failed TLS connect: why, when a server's handshake (or its first answer, where a
/// TLS 1.3 server refuses a client certificate) fails with a TLS error. `None` when TLS is
/// off, or no server was reachable (the connect error says more), or every handshake worked.
async fn tls_failure(connect_string: &str, tls: Option<&tls::ZkTls>) -> Option<ZkError> {
    let config = tls?.rustls_config().ok()?;
    for endpoint in connect_string_endpoints(connect_string) {
        let probe = async {
            let mut s = tls::handshake(&endpoint, config.clone()).await?;
            use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
            s.write_all(b"srvr").await?;
            let mut buf = [0u8; 64];
            s.read(&mut buf).await.map(|_| ())
        };
        let Ok(Err(e)) = tokio::time::timeout(Duration::from_secs(2), probe).await else {
            continue;
        };
        if let Some(tls_error) = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
            let mut reason = tls_error.to_string();
            let no_identity = tls.is_some_and(|t| t.material.identity_pem.is_none());
            if no_identity && matches!(tls_error, rustls::Error::AlertReceived(_)) {
                reason.push_str(
                    " (flinkha presented no client certificate: the JVM options set no \
                     -Dzookeeper.ssl.keyStore.location)",
                );
            }
            return Some(ZkError::TlsHandshake {
                connect_string: connect_string.to_owned(),
                endpoint,
                reason,
            });
        }
    }
    None
}

/// The servers of a connect string (`host:port[,host:port...][/chroot]`, ports default 2181,
/// `tcp://` / `tcp+tls://` prefixes dropped), as `host:port`.
pub fn connect_string_endpoints(connect_string: &str) -> Vec<String> {
    let hosts = connect_string.split('/').next().unwrap_or("");
    let hosts = connect_string
        .strip_prefix("tcp://")
        .or_else(|| connect_string.strip_prefix("tcp+tls://"))
        .map_or(hosts, |rest| rest.split('/').next().unwrap_or(""));
    hosts
        .split(',')
        .map(str::trim)
        .map(|e| {
            e.strip_prefix("tcp+tls://")
                .or_else(|| e.strip_prefix("tcp://"))
                .unwrap_or(e)
        })
        .filter(|e| !e.is_empty())
        .map(|e| {
            let has_port = e.rsplit_once(':').is_some_and(|(h, p)| {
                p.parse::<u16>().is_ok() && (!h.contains(':') || h.ends_with(']'))
            });
            if has_port {
                e.to_string()
            } else {
                format!("{e}:2181")
            }
        })
        .collect()
}

fn ms_since(started: std::time::Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// `client.get_data(path)`, traced for `-v` (DEBUG: `path`, `ms`, `error` when it failed, e.g.
/// `NoNode`) and `-vv` (TRACE: also `bytes`, the data's size).
///
/// # Errors
/// The client's error, unchanged.
pub async fn get_data(
    client: &Client,
    path: &str,
) -> Result<(Vec<u8>, zookeeper_client::Stat), zookeeper_client::Error> {
    let started = std::time::Instant::now();
    let r = client.get_data(path).await;
    let ms = ms_since(started);
    let error = r.as_ref().err().map(tracing::field::display);
    if tracing::enabled!(tracing::Level::TRACE) {
        let bytes = r.as_ref().ok().map(|(d, _)| d.len());
        tracing::trace!(path = %path, ms, bytes, error, "zk get");
    } else {
        tracing::debug!(path = %path, ms, error, "zk get");
    }
    r
}

/// `client.list_children(path)`, traced for `-v` (DEBUG: `path`, `ms`, `children` count,
/// `error` when it failed).
///
/// # Errors
/// The client's error, unchanged.
pub async fn list_children(
    client: &Client,
    path: &str,
) -> Result<Vec<String>, zookeeper_client::Error> {
    let started = std::time::Instant::now();
    let r = client.list_children(path).await;
    let ms = ms_since(started);
    let error = r.as_ref().err().map(tracing::field::display);
    let children = r.as_ref().ok().map(Vec::len);
    tracing::debug!(path = %path, ms, children, error, "zk ls");
    r
}

/// The HA path of a Flink cluster: `high-availability.zookeeper.path.root` (default
/// [`DEFAULT_ROOT`]) joined with `high-availability.cluster-id` (default
/// [`DEFAULT_CLUSTER_ID`]) as Flink's `ZooKeeperUtils.generateZookeeperPath` does: leading and
/// trailing slashes of each part trimmed, empty parts dropped, joined with `/` behind a
/// leading `/`.
///
/// `ha_path("/flink", "/default") == "/flink/default"`, `ha_path("flink/", "//a/b/") ==
/// "/flink/a/b"`, `ha_path("", "") == "/"`.
pub fn ha_path(root: &str, cluster_id: &str) -> String {
    join_path(&[root, cluster_id])
}

/// Joins znode path parts like Flink's `ZooKeeperUtils.generateZookeeperPath`.
pub(crate) fn join_path(parts: &[&str]) -> String {
    let joined: Vec<&str> = parts
        .iter()
        .map(|p| p.trim_matches('/'))
        .filter(|p| !p.is_empty())
        .collect();
    format!("/{}", joined.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ha_path_like_flink() {
        assert_eq!(ha_path(DEFAULT_ROOT, DEFAULT_CLUSTER_ID), "/flink/default");
        assert_eq!(ha_path("/flink", "my-cluster"), "/flink/my-cluster");
        assert_eq!(ha_path("flink/", "//a/b/"), "/flink/a/b");
        assert_eq!(ha_path("/", "/x"), "/x");
        assert_eq!(ha_path("", ""), "/");
        assert_eq!(
            join_path(&["/flink/default", "leader", "latch"]),
            "/flink/default/leader/latch"
        );
        assert_eq!(join_path(&["/", "leader"]), "/leader");
    }

    #[test]
    fn hints() {
        let e = ZkError::Connect {
            connect_string: "h:1".into(),
            source: zookeeper_client::Error::NoHosts,
        };
        assert_eq!(e.to_string(), "cannot connect to ZooKeeper at h:1");
        assert!(
            e.hint()
                .unwrap()
                .contains("high-availability.zookeeper.quorum")
        );
        let e = ZkError::request("get data of", "/flink/x", zookeeper_client::Error::NoNode);
        assert_eq!(e.to_string(), "ZooKeeper get data of /flink/x failed");
        assert!(e.hint().unwrap().contains("cluster-id"));
    }

    #[test]
    fn sasl_errors_and_options_never_show_the_password() {
        let login = security::DigestLogin {
            username: "flink".into(),
            password: crate::flinkconf::secrets::Secret::new("pw-123"),
            jaas_file: "/etc/flink/jaas.conf".into(),
            context: "Client".into(),
        };
        let e = ZkError::SaslRefused {
            connect_string: "zk1:2181".into(),
            login: login.describe(),
            source: zookeeper_client::Error::AuthFailed,
        };
        assert_eq!(
            e.to_string(),
            "ZooKeeper at zk1:2181 refused the SASL (DIGEST-MD5) login of user `flink` of \
             context `Client` in the JAAS file /etc/flink/jaas.conf: wrong username or password?"
        );
        assert!(e.hint().unwrap().contains("`Server` context"));
        assert!(e.is_login_failure());
        assert!(!ZkError::request("get", "/x", zookeeper_client::Error::NoNode).is_login_failure());
        let options = ConnectOptions {
            security: ZkSecurity {
                sasl: Sasl::DigestMd5(login),
                acl: AclMode::Creator,
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(!format!("{options:?}").contains("pw-123"));
        let e = ZkError::request(
            "create",
            "/flink/flinkha/x/lock",
            zookeeper_client::Error::InvalidAcl,
        );
        assert!(e.hint().unwrap().contains("needs a SASL login"));
    }

    #[tokio::test]
    async fn unusable_settings_fail_before_connecting() {
        // Nothing listens on port 1: the error must be the settings', not a connect failure.
        let options = ConnectOptions {
            security: ZkSecurity {
                sasl: Sasl::Unusable {
                    message: "the JAAS file /x does not exist on this machine".into(),
                },
                acl: AclMode::Open,
                ..Default::default()
            },
            ..Default::default()
        };
        let e = connect_with("127.0.0.1:1", &options).await.unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot log in to ZooKeeper at 127.0.0.1:1: the JAAS file /x does not exist on this machine"
        );
    }
}
