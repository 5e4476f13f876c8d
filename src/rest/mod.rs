//! A small client of the Flink REST API (the JobManager's web endpoint).
//!
//! Reference: Flink docs, "REST API" (`/overview`, `/taskmanagers`, `/jobs/overview`,
//! `/config`). The lifecycle's calls live here; job operations (jars, jobs, checkpoints,
//! savepoints) are in [`jobs`].

pub mod jobs;
#[cfg(test)]
mod proptests;
pub mod verify;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Errors talking to a JobManager's REST endpoint.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RestError {
    /// The request did not get an HTTP answer (refused, timed out, TLS...).
    #[error("{method} {url}: no answer from the JobManager REST endpoint{}", if source.is_timeout() { " (timed out)" } else { "" })]
    Unreachable {
        /// HTTP method.
        method: &'static str,
        /// Full URL.
        url: String,
        /// Underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The TLS handshake failed over certificates: the JobManager's certificate is not signed
    /// by a trusted CA, or (mutual TLS) the JobManager refused our client certificate.
    #[error("{method} {url}: TLS handshake failed ({detail}): {advice}")]
    Untrusted {
        /// HTTP method.
        method: &'static str,
        /// Full URL.
        url: String,
        /// The TLS library's message (e.g. `invalid peer certificate: UnknownIssuer`).
        detail: String,
        /// What to check, naming the CA file or the inventory keys to set.
        advice: String,
        /// Underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// A TLS file of the inventory's `rest:` section could not be read or is not PEM.
    #[error("{} (inventory `rest.{key}`): {message}", path.display())]
    TlsFile {
        /// The inventory key (`ca_file`, `client_cert`, `client_key`).
        key: &'static str,
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// HTTP status other than 2xx; `body` is Flink's `{"errors": [...]}` text when present.
    #[error("{method} {url}: HTTP {status}: {body}")]
    Status {
        /// HTTP method.
        method: &'static str,
        /// Full URL.
        url: String,
        /// Status code.
        status: u16,
        /// Flink's error messages, joined.
        body: String,
    },
    /// The body was not the JSON we expected.
    #[error("{url}: unexpected response body")]
    Decode {
        /// Full URL.
        url: String,
        /// Underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The body was not the JSON we expected; `head` is its start, for the message.
    #[error(
        "{url}: malformed response body from the JobManager (is this a Flink REST endpoint?): {head}"
    )]
    Malformed {
        /// Full URL.
        url: String,
        /// The first 200 characters of the body.
        head: String,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// A local file to send (a jar) could not be read.
    #[error("{}: cannot read the file to upload", path.display())]
    File {
        /// The file.
        path: std::path::PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

impl RestError {
    /// True when the failure says the JobManager answering is not (or no longer) the leader,
    /// so the same call against the current leader may succeed: no connection (refused,
    /// reset: the JobManager died), or HTTP 503 during a leader election (Flink's
    /// `LeaderRetrievalHandler` answers "Service temporarily unavailable due to an ongoing
    /// leader election").
    pub fn leadership_moved(&self) -> bool {
        match self {
            RestError::Unreachable { source, .. } => source.is_connect() || source.is_request(),
            RestError::Status { status, body, .. } => {
                *status == 503
                    || body.contains("leader election")
                    || body.contains("leader changed")
            }
            _ => false,
        }
    }

    /// Whether the request certainly did nothing: the connection was refused (nothing was
    /// sent), or the JobManager answered 503 during a leader election (Flink's
    /// `LeaderRetrievalHandler` refuses before any handler runs). Only then may a request
    /// that is not idempotent be sent again. A timeout or a connection reset after sending is
    /// not such a case: the JobManager may have acted.
    pub fn certainly_not_acted_on(&self) -> bool {
        match self {
            RestError::Unreachable { source, .. } => source.is_connect(),
            RestError::Status { status, body, .. } => {
                *status == 503 || body.contains("leader election")
            }
            _ => false,
        }
    }

    /// True when the JobManager says it does not know the job (or the jar, or the trigger):
    /// HTTP 404, or an HTTP 500 whose errors name `FlinkJobNotFoundException`. The second is
    /// what `GET /jobs/:jobid/status` answers for a job the Dispatcher does not know:
    /// `JobStatusHandler` passes `Dispatcher#requestJobStatus`'s exception through unmapped,
    /// while the execution-graph handlers (`GET /jobs/:jobid`) map it to 404 (Flink
    /// `flink-runtime` `rest.handler.job`, 2.1.0; seen on a real 2.1.0 JobManager).
    pub fn is_not_found(&self) -> bool {
        match self {
            RestError::Status { status, body, .. } => {
                *status == 404 || (*status == 500 && body.contains("FlinkJobNotFoundException"))
            }
            _ => false,
        }
    }

    /// HTTP status, when the JobManager answered with one.
    pub fn status(&self) -> Option<u16> {
        match self {
            RestError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// `GET /overview`: cluster totals. Field names as Flink sends them.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Overview {
    /// Registered TaskManagers.
    pub taskmanagers: u32,
    /// Total task slots.
    #[serde(rename = "slots-total")]
    pub slots_total: u32,
    /// Free task slots.
    #[serde(rename = "slots-available")]
    pub slots_available: u32,
    /// Running jobs.
    #[serde(rename = "jobs-running")]
    pub jobs_running: u32,
    /// Finished jobs.
    #[serde(rename = "jobs-finished", default)]
    pub jobs_finished: u32,
    /// Cancelled jobs.
    #[serde(rename = "jobs-cancelled", default)]
    pub jobs_cancelled: u32,
    /// Failed jobs.
    #[serde(rename = "jobs-failed", default)]
    pub jobs_failed: u32,
    /// Flink version of the JobManager.
    #[serde(rename = "flink-version", default)]
    pub flink_version: String,
}

/// One entry of `GET /taskmanagers`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct TaskManagerInfo {
    /// ResourceID.
    pub id: String,
    /// RPC address, e.g. `pekko.tcp://flink@127.0.1.3:40123/user/rpc/taskmanager_0`.
    pub path: String,
    /// Number of slots.
    #[serde(rename = "slotsNumber")]
    pub slots_number: u32,
    /// Free slots.
    #[serde(rename = "freeSlots")]
    pub free_slots: u32,
}

impl TaskManagerInfo {
    /// The host part of [`TaskManagerInfo::path`].
    pub fn host(&self) -> Option<&str> {
        let rest = self.path.split_once('@')?.1;
        let hostport = rest.split('/').next()?;
        let host = match hostport.rsplit_once(':') {
            Some((h, _)) => h,
            None => hostport,
        };
        Some(host.trim_start_matches('[').trim_end_matches(']'))
    }
}

#[derive(Deserialize)]
struct TaskManagers {
    taskmanagers: Vec<TaskManagerInfo>,
}

/// One entry of `GET /jobs/overview`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct JobSummary {
    /// Job id (32 hex chars).
    pub jid: String,
    /// Job name.
    pub name: String,
    /// Job status (`RUNNING`, `FINISHED`, `CANCELED`, `FAILED`, ...).
    pub state: String,
    /// Start time, ms since the epoch.
    #[serde(rename = "start-time")]
    pub start_time: i64,
    /// Duration, ms.
    pub duration: i64,
    /// Task (subtask) counts by state.
    #[serde(default)]
    pub tasks: TaskCounts,
}

/// `tasks` of a `GET /jobs/overview` entry: subtasks by execution state (the fields flinkha
/// reads; Flink sends one per state).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct TaskCounts {
    /// All subtasks.
    #[serde(default)]
    pub total: u32,
    /// Subtasks RUNNING.
    #[serde(default)]
    pub running: u32,
}

impl JobSummary {
    /// True when the job is RUNNING and so is every one of its subtasks.
    pub fn fully_running(&self) -> bool {
        self.state == "RUNNING" && self.tasks.total > 0 && self.tasks.running == self.tasks.total
    }
}

#[derive(Deserialize)]
struct JobsOverview {
    jobs: Vec<JobSummary>,
}

#[derive(Deserialize)]
struct ErrorBody {
    errors: Vec<String>,
}

/// Flink's `{"errors": [...]}` as one line per message, without Java stack frames; the raw
/// text when it is not that shape.
pub fn error_text(text: &str) -> String {
    match serde_json::from_str::<ErrorBody>(text) {
        Ok(b) => b
            .errors
            .iter()
            .map(|e| strip_stack(e))
            .filter(|e| !e.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
        Err(_) => text.chars().take(500).collect(),
    }
}

/// A Java exception text without its `at ...` frames and `... N more` lines: the message and
/// each `Caused by:` line.
pub fn strip_stack(text: &str) -> String {
    let noise = |l: &str| {
        l.is_empty()
            || l.starts_with("at ")
            || (l.starts_with("...") && l.ends_with("more"))
            || l == "<Exception on server side:"
            || l == "End of exception on server side>"
    };
    text.lines()
        .map(str::trim)
        .filter(|l| !noise(l))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// TLS files of the REST client, for JobManagers serving HTTPS (`security.ssl.rest.enabled`).
/// All PEM. Paths as given in the inventory's `rest:` section, resolved against its directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TlsFiles {
    /// CA certificate(s) that sign the JobManagers' REST certificates; when set, only these
    /// are trusted (not the system's roots).
    pub ca_file: Option<PathBuf>,
    /// Client certificate (chain) for mutual TLS (`security.ssl.rest.authentication-enabled`).
    pub client_cert: Option<PathBuf>,
    /// The client certificate's private key (PKCS#8, RSA or SEC1).
    pub client_key: Option<PathBuf>,
}

/// Install rustls' `ring` crypto provider as the process default, once, before any
/// reqwest client is built (reqwest is built with `rustls-no-provider`). A provider
/// installed earlier by someone else is kept.
pub fn ensure_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

fn read_tls_file(key: &'static str, path: &Path) -> Result<Vec<u8>, RestError> {
    std::fs::read(path).map_err(|e| RestError::TlsFile {
        key,
        path: path.to_path_buf(),
        message: format!("cannot read it: {e}"),
    })
}

/// A reqwest error's whole chain in one line (the TLS library's reason is at the end).
fn chain_text(e: &reqwest::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = std::error::Error::source(e);
    while let Some(s) = cur {
        parts.push(s.to_string());
        cur = s.source();
    }
    parts.dedup();
    parts.join(": ")
}

/// Trace one REST call (see [`RestClient::send`]).
fn trace_call(
    method: &'static str,
    url: &str,
    started: std::time::Instant,
    req_bytes: Option<u64>,
    answer: &Result<(reqwest::StatusCode, String), RestError>,
) {
    use tracing::Level;
    if !tracing::enabled!(Level::DEBUG) {
        return;
    }
    let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    // `http://127.0.1.1:8081/jobs` → `127.0.1.1:8081`, the JobManager asked.
    let host = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.split('/').next().unwrap_or(rest));
    let status = answer.as_ref().ok().map(|(s, _)| s.as_u16());
    let error = answer
        .as_ref()
        .err()
        .map(|e| tracing::field::display(crate::core::error_chain(e)));
    if tracing::enabled!(Level::TRACE) {
        let resp_bytes = answer.as_ref().ok().map(|(_, t)| t.len());
        tracing::trace!(host = %host, ms, status, req_bytes, resp_bytes, error, "{method} {url}");
    } else {
        tracing::debug!(host = %host, ms, status, error, "{method} {url}");
    }
}

/// A REST client bound to one JobManager base URL (e.g. `http://127.0.1.1:8081`).
#[derive(Debug, Clone)]
pub struct RestClient {
    base: String,
    http: reqwest::Client,
    tls: TlsFiles,
}

impl RestClient {
    /// Client for `base` with a per-request `timeout`; HTTPS is checked against the system's
    /// trusted roots.
    pub fn new(base: &str, timeout: Duration) -> RestClient {
        Self::with_tls(base, timeout, &TlsFiles::default())
            .expect("reqwest client with static settings")
    }

    /// Client for `base` with a per-request `timeout` and the TLS `files`: HTTPS certificates
    /// are checked against `files.ca_file` only (when set) and `files.client_cert` +
    /// `files.client_key` are presented for mutual TLS (both or neither).
    ///
    /// # Errors
    /// [`RestError::TlsFile`] naming the file when one can't be read or is not PEM, or only
    /// one of client cert and key is given.
    pub fn with_tls(
        base: &str,
        timeout: Duration,
        files: &TlsFiles,
    ) -> Result<RestClient, RestError> {
        ensure_crypto_provider();
        let mut b = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .no_proxy();
        if let Some(ca) = &files.ca_file {
            let pem = read_tls_file("ca_file", ca)?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .ok()
                .filter(|c| !c.is_empty())
                .ok_or_else(|| RestError::TlsFile {
                    key: "ca_file",
                    path: ca.clone(),
                    message: "no PEM certificate in it (want `-----BEGIN CERTIFICATE-----` blocks)"
                        .into(),
                })?;
            b = b.tls_certs_only(certs);
        }
        match (&files.client_cert, &files.client_key) {
            (None, None) => {}
            (Some(cert), Some(key)) => {
                let mut pem = read_tls_file("client_cert", cert)?;
                pem.push(b'\n');
                pem.extend(read_tls_file("client_key", key)?);
                let id = reqwest::Identity::from_pem(&pem).map_err(|e| RestError::TlsFile {
                    key: "client_key",
                    path: key.clone(),
                    message: format!(
                        "with {} not a PEM certificate + private key pair: {}",
                        cert.display(),
                        chain_text(&e)
                    ),
                })?;
                b = b.identity(id);
            }
            (Some(p), None) | (None, Some(p)) => {
                return Err(RestError::TlsFile {
                    key: if files.client_cert.is_some() {
                        "client_cert"
                    } else {
                        "client_key"
                    },
                    path: p.clone(),
                    message: "mutual TLS needs both `rest.client_cert` and `rest.client_key`"
                        .into(),
                });
            }
        }
        let http = b.build().map_err(|e| RestError::TlsFile {
            key: "ca_file",
            path: files.ca_file.clone().unwrap_or_default(),
            message: format!("the TLS settings were refused: {}", chain_text(&e)),
        })?;
        Ok(RestClient {
            base: base.trim_end_matches('/').to_string(),
            http,
            tls: files.clone(),
        })
    }

    /// A send failure as a [`RestError`]: [`RestError::Untrusted`] when the TLS handshake
    /// failed over certificates, else [`RestError::Unreachable`].
    fn unreachable(&self, method: &'static str, url: String, source: reqwest::Error) -> RestError {
        let detail = chain_text(&source);
        let lower = detail.to_ascii_lowercase();
        if url.starts_with("https:")
            && (lower.contains("certificate")
                || lower.contains("unknownissuer")
                || lower.contains("handshake"))
        {
            let detail = detail
                .rsplit(": ")
                .take(2)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join(": ");
            let ca = match &self.tls.ca_file {
                Some(p) => format!("the CA file {} (inventory `rest.ca_file`)", p.display()),
                None => "the system's trusted roots (set `rest.ca_file` in the inventory to the cluster's CA certificate, PEM)".into(),
            };
            // A fatal alert is the JobManager refusing us (mutual TLS); anything else is us
            // refusing its certificate.
            let advice = if lower.contains("alert") {
                match &self.tls.client_cert {
                    Some(p) => format!(
                        "the JobManager refused the connection: its REST truststore must trust the client certificate {} (inventory `rest.client_cert`)",
                        p.display()
                    ),
                    None => "the JobManager refused the connection: with mutual TLS (security.ssl.rest.authentication-enabled) set `rest.client_cert` and `rest.client_key` in the inventory".into(),
                }
            } else {
                format!("the JobManager's REST certificate must be signed by a CA in {ca}")
            };
            return RestError::Untrusted {
                method,
                url,
                detail,
                advice,
                source,
            };
        }
        RestError::Unreachable {
            method,
            url,
            source,
        }
    }

    /// The base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    async fn get<T: for<'de> Deserialize<'de>>(&self, path: &str) -> Result<T, RestError> {
        let url = format!("{}{}", self.base, path);
        let req = self.http.get(&url);
        self.send("GET", url, req).await
    }

    /// Send `req` (to `url`, for messages) and decode a 2xx JSON answer; anything else is a
    /// [`RestError`] carrying Flink's error messages.
    ///
    /// Traced for `-v` (DEBUG: `method`, `url`, HTTP `status`, `ms`) and `-vv` (TRACE: also
    /// `req_bytes`, the body sent, and `resp_bytes`, the body received).
    pub(crate) async fn send<T: for<'de> Deserialize<'de>>(
        &self,
        method: &'static str,
        url: String,
        req: reqwest::RequestBuilder,
    ) -> Result<T, RestError> {
        let started = std::time::Instant::now();
        let (client, built) = req.build_split();
        let req_bytes = built.as_ref().ok().and_then(|r| {
            r.body()
                .and_then(|b| b.as_bytes())
                .map(|b| b.len() as u64)
                .or_else(|| {
                    r.headers()
                        .get(reqwest::header::CONTENT_LENGTH)
                        .and_then(|v| v.to_str().ok()?.parse().ok())
                })
        });
        let answer = async {
            let resp = client
                .execute(built.map_err(|source| self.unreachable(method, url.clone(), source))?)
                .await
                .map_err(|source| self.unreachable(method, url.clone(), source))?;
            let status = resp.status();
            let text = resp.text().await.map_err(|source| RestError::Unreachable {
                method,
                url: url.clone(),
                source,
            })?;
            Ok::<_, RestError>((status, text))
        }
        .await;
        trace_call(method, &url, started, req_bytes, &answer);
        let (status, text) = answer?;
        if !status.is_success() {
            return Err(RestError::Status {
                method,
                url,
                status: status.as_u16(),
                body: error_text(&text),
            });
        }
        serde_json::from_str::<T>(&text).map_err(|source| RestError::Malformed {
            url,
            head: text.chars().take(200).collect(),
            source,
        })
    }

    /// The underlying HTTP client.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// `GET /overview`.
    ///
    /// # Errors
    /// [`RestError`] when unreachable, non-2xx or undecodable.
    pub async fn overview(&self) -> Result<Overview, RestError> {
        self.get("/overview").await
    }

    /// `GET /taskmanagers`.
    ///
    /// # Errors
    /// As [`RestClient::overview`].
    pub async fn taskmanagers(&self) -> Result<Vec<TaskManagerInfo>, RestError> {
        Ok(self
            .get::<TaskManagers>("/taskmanagers")
            .await?
            .taskmanagers)
    }

    /// `GET /jobs/overview`. Answered by the Dispatcher from every JobMaster at the time of
    /// the request (`JobsOverviewHandler` → `requestMultipleJobDetails`), unlike `GET
    /// /jobs/:jobid`, which is served from the REST endpoint's execution-graph cache, up to
    /// `web.refresh-interval` (3 s by default) old.
    ///
    /// # Errors
    /// As [`RestClient::overview`].
    pub async fn jobs(&self) -> Result<Vec<JobSummary>, RestError> {
        Ok(self.get::<JobsOverview>("/jobs/overview").await?.jobs)
    }

    /// `GET /jobs/:jobid/status`: the job's status as its JobMaster has it now
    /// (`JobStatusHandler` → `requestJobStatus`; not cached, unlike `GET /jobs/:jobid`).
    ///
    /// # Errors
    /// As any call; an unknown job is HTTP 500 naming `FlinkJobNotFoundException` (not 404:
    /// see [`RestError::is_not_found`]).
    pub async fn job_status(&self, job_id: &str) -> Result<String, RestError> {
        #[derive(Deserialize)]
        struct Status {
            status: String,
        }
        Ok(self
            .get::<Status>(&format!("/jobs/{job_id}/status"))
            .await?
            .status)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn taskmanager_host_from_pekko_path() {
        let tm = TaskManagerInfo {
            id: "x".into(),
            path: "pekko.tcp://flink@127.0.1.3:40123/user/rpc/taskmanager_0".into(),
            slots_number: 2,
            free_slots: 2,
        };
        assert_eq!(tm.host(), Some("127.0.1.3"));
    }

    #[tokio::test]
    async fn error_body_is_reported() {
        use wiremock::matchers::path;
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        Mock::given(path("/overview"))
            .respond_with(
                ResponseTemplate::new(503)
                    .set_body_string(r#"{"errors":["Service temporarily unavailable due to an ongoing leader election. Please refresh."]}"#),
            )
            .mount(&server)
            .await;
        let c = RestClient::new(&server.uri(), Duration::from_secs(2));
        let err = c.overview().await.unwrap_err().to_string();
        assert!(err.contains("HTTP 503"), "{err}");
        assert!(err.contains("ongoing leader election"), "{err}");
    }

    #[tokio::test]
    async fn decodes_overview() {
        use wiremock::matchers::path;
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        Mock::given(path("/overview"))
            .respond_with(ResponseTemplate::new(200).set_body_string(
                r#"{"taskmanagers":3,"slots-total":6,"slots-available":6,"jobs-running":0,"jobs-finished":0,"jobs-cancelled":0,"jobs-failed":0,"flink-version":"2.1.0","flink-commit":"abc"}"#,
            ))
            .mount(&server)
            .await;
        let c = RestClient::new(&server.uri(), Duration::from_secs(2));
        let o = c.overview().await.unwrap();
        assert_eq!(o.slots_total, 6);
        assert_eq!(o.flink_version, "2.1.0");
    }

    /// `-v` traces each call with method, URL, host, status and ms; `-vv` adds body sizes.
    #[tokio::test]
    async fn calls_are_traced() {
        use std::sync::{Arc, Mutex};
        use wiremock::matchers::path;
        use wiremock::{Mock, MockServer, ResponseTemplate};
        #[derive(Clone, Default)]
        struct Captured(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Captured {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let body = r#"{"taskmanagers":3,"slots-total":6,"slots-available":6,"jobs-running":0,"flink-version":"2.1.0"}"#;
        let server = MockServer::start().await;
        Mock::given(path("/overview"))
            .respond_with(ResponseTemplate::new(200).set_body_string(body))
            .mount(&server)
            .await;
        let c = RestClient::new(&server.uri(), Duration::from_secs(2));
        let hostport = server.address().to_string();
        for (filter, sizes) in [("flinkha=debug", false), ("flinkha=trace", true)] {
            let out = Captured::default();
            let w = out.clone();
            let subscriber = tracing_subscriber::fmt()
                .compact()
                .with_ansi(false)
                .with_writer(move || w.clone())
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .finish();
            let guard = tracing::subscriber::set_default(subscriber);
            c.overview().await.unwrap();
            // A refused connection is traced too, with the error.
            let _ = RestClient::new("http://127.0.0.1:1", Duration::from_secs(2))
                .overview()
                .await;
            drop(guard);
            let text = String::from_utf8_lossy(&out.0.lock().unwrap()).into_owned();
            let ok = text
                .lines()
                .find(|l| l.contains(&format!("GET http://{hostport}/overview")))
                .unwrap_or_else(|| panic!("{filter}: {text}"))
                .to_string();
            assert!(ok.contains(&format!("host={hostport} ")), "{ok}");
            assert!(ok.contains(" ms=") && ok.contains(" status=200"), "{ok}");
            assert_eq!(
                ok.contains(&format!(" resp_bytes={}", body.len())),
                sizes,
                "{ok}"
            );
            let refused = text
                .lines()
                .find(|l| l.contains("GET http://127.0.0.1:1/overview"))
                .unwrap_or_else(|| panic!("{filter}: {text}"));
            assert!(
                refused.contains(" error=") && !refused.contains("status="),
                "{refused}"
            );
        }
    }

    /// A tiny HTTPS server for TLS tests: answers every request with a Flink `/overview`.
    /// Certificates are made with the `openssl` CLI in `dir`.
    pub(crate) mod tls_server {
        use std::path::{Path, PathBuf};
        use std::sync::Arc;

        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        use tokio_rustls::rustls;
        use tokio_rustls::rustls::pki_types::pem::PemObject;
        use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

        pub(crate) const OVERVIEW: &str = r#"{"taskmanagers":1,"slots-total":2,"slots-available":2,"jobs-running":0,"flink-version":"2.1.0"}"#;

        fn openssl(dir: &Path, args: &[&str]) {
            let out = std::process::Command::new("openssl")
                .args(args)
                .current_dir(dir)
                .output()
                .expect("openssl CLI");
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }

        /// A CA `<name>.pem`/`<name>.key` in `dir`.
        pub(crate) fn ca(dir: &Path, name: &str) -> PathBuf {
            let (key, pem) = (format!("{name}.key"), format!("{name}.pem"));
            openssl(
                dir,
                &[
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                    "-nodes",
                    "-keyout",
                    &key,
                    "-out",
                    &pem,
                    "-days",
                    "2",
                    "-subj",
                    &format!("/CN={name}"),
                    "-addext",
                    "basicConstraints=critical,CA:TRUE",
                    "-addext",
                    "keyUsage=critical,keyCertSign",
                ],
            );
            dir.join(pem)
        }

        /// A leaf `<name>.pem`/`<name>.key` signed by CA `ca`, for IP 127.0.0.1.
        pub(crate) fn leaf(dir: &Path, ca: &str, name: &str) -> (PathBuf, PathBuf) {
            let (key, csr, pem) = (
                format!("{name}.key"),
                format!("{name}.csr"),
                format!("{name}.pem"),
            );
            openssl(
                dir,
                &[
                    "req",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                    "-nodes",
                    "-keyout",
                    &key,
                    "-out",
                    &csr,
                    "-subj",
                    &format!("/CN={name}"),
                ],
            );
            std::fs::write(
                dir.join(format!("{name}.ext")),
                "subjectAltName=IP:127.0.0.1\n",
            )
            .unwrap();
            openssl(
                dir,
                &[
                    "x509",
                    "-req",
                    "-in",
                    &csr,
                    "-CA",
                    &format!("{ca}.pem"),
                    "-CAkey",
                    &format!("{ca}.key"),
                    "-CAcreateserial",
                    "-out",
                    &pem,
                    "-days",
                    "2",
                    "-extfile",
                    &format!("{name}.ext"),
                ],
            );
            (dir.join(pem), dir.join(key))
        }

        /// Serve HTTPS on 127.0.0.1 with `cert`/`key`; with `client_ca`, require a client
        /// certificate signed by it. Returns the base URL `https://127.0.0.1:PORT`.
        pub(crate) async fn start(cert: &Path, key: &Path, client_ca: Option<&Path>) -> String {
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
                .with_safe_default_protocol_versions()
                .unwrap();
            let builder = match client_ca {
                None => builder.with_no_client_auth(),
                Some(ca) => {
                    let mut roots = rustls::RootCertStore::empty();
                    for c in CertificateDer::pem_file_iter(ca).unwrap() {
                        roots.add(c.unwrap()).unwrap();
                    }
                    let v = rustls::server::WebPkiClientVerifier::builder_with_provider(
                        Arc::new(roots),
                        provider,
                    )
                    .build()
                    .unwrap();
                    builder.with_client_cert_verifier(v)
                }
            };
            let certs = CertificateDer::pem_file_iter(cert)
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            let cfg = builder
                .with_single_cert(certs, PrivateKeyDer::from_pem_file(key).unwrap())
                .unwrap();
            let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(cfg));
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let port = listener.local_addr().unwrap().port();
            tokio::spawn(async move {
                loop {
                    let Ok((tcp, _)) = listener.accept().await else {
                        return;
                    };
                    let acceptor = acceptor.clone();
                    tokio::spawn(async move {
                        let Ok(mut tls) = acceptor.accept(tcp).await else {
                            return;
                        };
                        let mut buf = vec![0u8; 4096];
                        let _ = tls.read(&mut buf).await;
                        let resp = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{OVERVIEW}",
                            OVERVIEW.len()
                        );
                        let _ = tls.write_all(resp.as_bytes()).await;
                        let _ = tls.shutdown().await;
                    });
                }
            });
            format!("https://127.0.0.1:{port}")
        }
    }

    #[tokio::test]
    async fn https_trusts_the_ca_file_only() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let ca = tls_server::ca(d, "cluster-ca");
        let other = tls_server::ca(d, "other-ca");
        let (cert, key) = tls_server::leaf(d, "cluster-ca", "jm");
        let url = tls_server::start(&cert, &key, None).await;
        let t = Duration::from_secs(5);

        // The cluster's CA: the JobManager's certificate is trusted.
        let files = TlsFiles {
            ca_file: Some(ca.clone()),
            ..TlsFiles::default()
        };
        let o = RestClient::with_tls(&url, t, &files)
            .unwrap()
            .overview()
            .await
            .unwrap();
        assert_eq!(o.slots_total, 2);

        // Another CA: refused, and the error names the CA file and the TLS reason.
        let files = TlsFiles {
            ca_file: Some(other.clone()),
            ..TlsFiles::default()
        };
        let e = RestClient::with_tls(&url, t, &files)
            .unwrap()
            .overview()
            .await
            .unwrap_err();
        assert!(matches!(e, RestError::Untrusted { .. }), "{e:?}");
        assert!(!e.leadership_moved(), "{e}");
        let msg = e.to_string();
        assert!(
            msg.contains(&format!("the CA file {}", other.display())),
            "{msg}"
        );
        assert!(msg.contains("UnknownIssuer"), "{msg}");

        // No CA file: the system's roots do not know a private CA; the error says what to set.
        let e = RestClient::new(&url, t)
            .overview()
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("set `rest.ca_file`"), "{e}");

        // A CA file that is missing or not PEM is named.
        let missing = d.join("missing.pem");
        let e = RestClient::with_tls(
            &url,
            t,
            &TlsFiles {
                ca_file: Some(missing.clone()),
                ..TlsFiles::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with(&format!(
                "{} (inventory `rest.ca_file`): cannot read it",
                missing.display()
            )),
            "{e}"
        );
        let e = RestClient::with_tls(
            &url,
            t,
            &TlsFiles {
                ca_file: Some(d.join("jm.csr")),
                ..TlsFiles::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("jm.csr (inventory `rest.ca_file`): no PEM certificate"),
            "{e}"
        );
    }

    #[tokio::test]
    async fn mutual_tls_presents_the_client_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let ca = tls_server::ca(d, "cluster-ca");
        let (cert, key) = tls_server::leaf(d, "cluster-ca", "jm");
        let (ccert, ckey) = tls_server::leaf(d, "cluster-ca", "flinkha");
        let url = tls_server::start(&cert, &key, Some(&ca)).await;
        let t = Duration::from_secs(5);
        let files = TlsFiles {
            ca_file: Some(ca.clone()),
            client_cert: Some(ccert.clone()),
            client_key: Some(ckey.clone()),
        };
        let o = RestClient::with_tls(&url, t, &files)
            .unwrap()
            .overview()
            .await
            .unwrap();
        assert_eq!(o.flink_version, "2.1.0");

        // Without a client certificate the JobManager refuses; the error says what to set.
        let files = TlsFiles {
            ca_file: Some(ca),
            ..TlsFiles::default()
        };
        let e = RestClient::with_tls(&url, t, &files)
            .unwrap()
            .overview()
            .await
            .unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("`rest.client_cert`"), "{msg}");

        // Half a pair is refused up front.
        let e = RestClient::with_tls(
            &url,
            t,
            &TlsFiles {
                client_cert: Some(ccert),
                ..TlsFiles::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("needs both `rest.client_cert` and `rest.client_key`"),
            "{e}"
        );
    }
}
