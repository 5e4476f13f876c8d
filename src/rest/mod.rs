//! A small client of the Flink REST API (the JobManager's web endpoint).
//!
//! Reference: Flink docs, "REST API" (`/overview`, `/taskmanagers`, `/jobs/overview`,
//! `/config`). The lifecycle's calls live here; job operations (jars, jobs, checkpoints,
//! savepoints) are in [`jobs`].

pub mod jobs;

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

/// A REST client bound to one JobManager base URL (e.g. `http://127.0.1.1:8081`).
#[derive(Debug, Clone)]
pub struct RestClient {
    base: String,
    http: reqwest::Client,
}

impl RestClient {
    /// Client for `base` with a per-request `timeout`.
    pub fn new(base: &str, timeout: Duration) -> RestClient {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .no_proxy()
            .build()
            .expect("reqwest client with static settings");
        RestClient {
            base: base.trim_end_matches('/').to_string(),
            http,
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
    pub(crate) async fn send<T: for<'de> Deserialize<'de>>(
        &self,
        method: &'static str,
        url: String,
        req: reqwest::RequestBuilder,
    ) -> Result<T, RestError> {
        let resp = req.send().await.map_err(|source| RestError::Unreachable {
            method,
            url: url.clone(),
            source,
        })?;
        let status = resp.status();
        let text = resp.text().await.map_err(|source| RestError::Unreachable {
            method,
            url: url.clone(),
            source,
        })?;
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

    /// `GET /jobs/overview`.
    ///
    /// # Errors
    /// As [`RestClient::overview`].
    pub async fn jobs(&self) -> Result<Vec<JobSummary>, RestError> {
        Ok(self.get::<JobsOverview>("/jobs/overview").await?.jobs)
    }
}

#[cfg(test)]
mod tests {
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
}
