//! Job operations of the Flink REST API: jar upload and run, job details, checkpoint
//! statistics, savepoints (trigger, stop-with-savepoint, status, disposal).
//!
//! Reference: Flink docs, "REST API": `POST /jars/upload`, `POST /jars/:jarid/run`,
//! `GET /jobs/:jobid`, `GET /jobs/:jobid/checkpoints`, `GET /jobs/:jobid/metrics`,
//! `POST /jobs/:jobid/savepoints`, `POST /jobs/:jobid/stop`,
//! `GET /jobs/:jobid/savepoints/:triggerid`, `POST /savepoint-disposal`,
//! `GET /savepoint-disposal/:triggerid`. Field names are Flink's.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{RestClient, RestError, strip_stack};

/// How a restored job treats the savepoint's files (`claimMode` since Flink 1.20,
/// `restoreMode` before; same values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, Default)]
pub enum ClaimMode {
    /// The job never deletes the savepoint's files (Flink's default).
    #[default]
    #[serde(rename = "NO_CLAIM")]
    NoClaim,
    /// The job takes ownership of the savepoint (may delete it once subsumed).
    #[serde(rename = "CLAIM")]
    Claim,
    /// Legacy behaviour (deprecated in Flink).
    #[serde(rename = "LEGACY")]
    Legacy,
}

/// Savepoint format (`formatType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, Default)]
pub enum SavepointFormat {
    /// Portable across state backends (Flink's default).
    #[default]
    #[serde(rename = "CANONICAL")]
    Canonical,
    /// The state backend's own format: faster, tied to the backend.
    #[serde(rename = "NATIVE")]
    Native,
}

/// Body of `POST /jars/:jarid/run`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunRequest {
    /// Main class, when the jar's manifest names none (or another one is wanted).
    #[serde(rename = "entryClass", skip_serializing_if = "Option::is_none")]
    pub entry_class: Option<String>,
    /// Program arguments, one element per argument.
    #[serde(rename = "programArgsList", skip_serializing_if = "Vec::is_empty")]
    pub program_args: Vec<String>,
    /// Job parallelism.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<u32>,
    /// Savepoint (or retained checkpoint) to restore from.
    #[serde(rename = "savepointPath", skip_serializing_if = "Option::is_none")]
    pub savepoint_path: Option<String>,
    /// Allow savepoint state that maps to no operator.
    #[serde(
        rename = "allowNonRestoredState",
        skip_serializing_if = "Option::is_none"
    )]
    pub allow_non_restored_state: Option<bool>,
    /// Claim mode (Flink ≥ 1.20).
    #[serde(rename = "claimMode", skip_serializing_if = "Option::is_none")]
    pub claim_mode: Option<ClaimMode>,
    /// Restore mode (Flink < 1.20: same values as `claimMode`).
    #[serde(rename = "restoreMode", skip_serializing_if = "Option::is_none")]
    pub restore_mode: Option<ClaimMode>,
    /// Client-chosen job id (32 hex digits): a repeated submission with the same id is refused
    /// by Flink (`DuplicateJobSubmissionException`) instead of running the job twice.
    #[serde(rename = "jobId", skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
}

impl RunRequest {
    /// Put `mode` in `claimMode` (Flink ≥ 1.20) or `restoreMode` (before), by `major.minor`.
    pub fn set_claim_mode(&mut self, mode: ClaimMode, flink_major: u32, flink_minor: u32) {
        if (flink_major, flink_minor) >= (1, 20) {
            self.claim_mode = Some(mode);
            self.restore_mode = None;
        } else {
            self.restore_mode = Some(mode);
            self.claim_mode = None;
        }
    }
}

/// One vertex of `GET /jobs/:jobid`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Vertex {
    /// Vertex id.
    pub id: String,
    /// Name (operator chain).
    pub name: String,
    /// Parallelism.
    pub parallelism: u32,
    /// Execution state (`CREATED`, `SCHEDULED`, `DEPLOYING`, `INITIALIZING`, `RUNNING`, ...).
    pub status: String,
    /// Duration, ms.
    #[serde(default)]
    pub duration: i64,
}

/// `GET /jobs/:jobid`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct JobDetails {
    /// Job id.
    pub jid: String,
    /// Job name.
    pub name: String,
    /// Job status.
    pub state: String,
    /// Start time, ms since the epoch.
    #[serde(rename = "start-time", default)]
    pub start_time: i64,
    /// End time, ms since the epoch (-1 while running).
    #[serde(rename = "end-time", default)]
    pub end_time: i64,
    /// Duration, ms.
    #[serde(default)]
    pub duration: i64,
    /// Whether the job can be stopped (stop-with-savepoint).
    #[serde(rename = "isStoppable", default)]
    pub is_stoppable: bool,
    /// Vertices.
    #[serde(default)]
    pub vertices: Vec<Vertex>,
}

impl JobDetails {
    /// True when the job is RUNNING and so is every vertex (tasks deployed and running).
    pub fn fully_running(&self) -> bool {
        self.state == "RUNNING"
            && !self.vertices.is_empty()
            && self.vertices.iter().all(|v| v.status == "RUNNING")
    }

    /// Whether `state` is terminal (the job will not run again in this cluster).
    pub fn is_terminal(state: &str) -> bool {
        matches!(state, "FINISHED" | "CANCELED" | "FAILED")
    }
}

/// `counts` of `GET /jobs/:jobid/checkpoints`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct CheckpointCounts {
    /// Restores.
    #[serde(default)]
    pub restored: u64,
    /// Triggered.
    #[serde(default)]
    pub total: u64,
    /// In progress.
    #[serde(default)]
    pub in_progress: u64,
    /// Completed.
    #[serde(default)]
    pub completed: u64,
    /// Failed.
    #[serde(default)]
    pub failed: u64,
}

/// `latest.completed` (also `latest.savepoint`) of `GET /jobs/:jobid/checkpoints`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct CompletedCheckpoint {
    /// Checkpoint id.
    pub id: u64,
    /// `COMPLETED` (the other `CheckpointStatsStatus` values don't appear under `latest`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Time it was triggered, ms since the epoch (the JobManager's clock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_timestamp: Option<i64>,
    /// Whether its files were discarded (subsumed, or disposed of).
    #[serde(default)]
    pub discarded: bool,
    /// Whether it was a savepoint.
    #[serde(default)]
    pub is_savepoint: bool,
    /// Time the last acknowledgement arrived, ms since the epoch.
    #[serde(default)]
    pub latest_ack_timestamp: i64,
    /// Where it was written (`file:/...`), or `<checkpoint-not-externally-addressable>`.
    #[serde(default)]
    pub external_path: Option<String>,
}

/// `latest.restored` of `GET /jobs/:jobid/checkpoints`: what the job restored from.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct RestoredCheckpoint {
    /// Checkpoint id.
    pub id: u64,
    /// Restore time, ms since the epoch.
    #[serde(default)]
    pub restore_timestamp: i64,
    /// Whether it was a savepoint.
    #[serde(default)]
    pub is_savepoint: bool,
    /// Path restored from (`file:/...`).
    #[serde(default)]
    pub external_path: Option<String>,
}

/// `latest` of `GET /jobs/:jobid/checkpoints`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct LatestCheckpoints {
    /// Latest completed checkpoint.
    #[serde(default)]
    pub completed: Option<CompletedCheckpoint>,
    /// Latest savepoint.
    #[serde(default)]
    pub savepoint: Option<CompletedCheckpoint>,
    /// What the job restored from.
    #[serde(default)]
    pub restored: Option<RestoredCheckpoint>,
}

/// `GET /jobs/:jobid/checkpoints` (the parts flinkha uses).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct CheckpointStats {
    /// Counts.
    #[serde(default)]
    pub counts: CheckpointCounts,
    /// Latest completed / savepoint / restored.
    #[serde(default)]
    pub latest: LatestCheckpoints,
}

/// Body of `POST /jobs/:jobid/savepoints`.
#[derive(Debug, Clone, Serialize)]
pub struct SavepointRequest {
    /// Target directory; `None`: the cluster's `execution.checkpointing.savepoint-dir`.
    #[serde(rename = "target-directory", skip_serializing_if = "Option::is_none")]
    pub target_directory: Option<String>,
    /// Cancel the job once the savepoint completed (`flink cancel -s`).
    #[serde(rename = "cancel-job")]
    pub cancel_job: bool,
    /// Format.
    #[serde(rename = "formatType")]
    pub format: SavepointFormat,
    /// Client-chosen trigger id (32 hex digits): a retry with the same id does not make a
    /// second savepoint while the JobManager still knows the first.
    #[serde(rename = "triggerId")]
    pub trigger_id: String,
}

/// Body of `POST /jobs/:jobid/stop`.
#[derive(Debug, Clone, Serialize)]
pub struct StopRequest {
    /// Target directory; `None`: the cluster's default savepoint dir.
    #[serde(rename = "targetDirectory", skip_serializing_if = "Option::is_none")]
    pub target_directory: Option<String>,
    /// Emit MAX_WATERMARK before stopping (flush event-time timers and windows).
    pub drain: bool,
    /// Format.
    #[serde(rename = "formatType")]
    pub format: SavepointFormat,
    /// Client-chosen trigger id, as in [`SavepointRequest::trigger_id`].
    #[serde(rename = "triggerId")]
    pub trigger_id: String,
}

/// State of an asynchronous operation (savepoint, stop, disposal).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum Operation {
    /// Still running.
    InProgress,
    /// Done; `location` is the savepoint path (`file:/...`), absent for disposals.
    Completed {
        /// Savepoint path.
        location: Option<String>,
    },
    /// Failed; `cause` is Flink's failure cause without stack frames.
    Failed {
        /// The cause, e.g. `java.util.concurrent.CompletionException: ... | Caused by: ...`.
        cause: String,
    },
}

#[derive(Deserialize)]
struct OperationBody {
    status: OperationStatus,
    #[serde(default)]
    operation: Option<OperationResult>,
}

#[derive(Deserialize)]
struct OperationStatus {
    id: String,
}

#[derive(Deserialize)]
struct OperationResult {
    #[serde(default)]
    location: Option<String>,
    #[serde(rename = "failure-cause", default)]
    failure_cause: Option<FailureCause>,
}

#[derive(Deserialize)]
struct FailureCause {
    #[serde(default)]
    class: Option<String>,
    #[serde(rename = "stack-trace", default)]
    stack_trace: Option<String>,
}

impl FailureCause {
    fn summary(&self) -> String {
        match (&self.stack_trace, &self.class) {
            (Some(t), _) if !t.trim().is_empty() => strip_stack(t),
            (_, Some(c)) => c.clone(),
            _ => "no failure cause given".into(),
        }
    }
}

impl OperationBody {
    fn into_operation(self) -> Operation {
        match self.status.id.as_str() {
            "COMPLETED" => match self.operation {
                Some(OperationResult {
                    failure_cause: Some(f),
                    ..
                }) => Operation::Failed { cause: f.summary() },
                Some(o) => Operation::Completed {
                    location: o.location,
                },
                None => Operation::Completed { location: None },
            },
            _ => Operation::InProgress,
        }
    }
}

#[derive(Deserialize)]
struct RequestId {
    #[serde(rename = "request-id")]
    request_id: String,
}

#[derive(Deserialize)]
struct UploadAnswer {
    filename: String,
}

#[derive(Deserialize)]
struct RunAnswer {
    jobid: String,
}

#[derive(Deserialize)]
struct Metric {
    id: String,
    #[serde(default)]
    value: Option<String>,
}

/// A fresh trigger id: 16 random bytes as 32 hex digits (Flink's `TriggerId` format).
pub fn new_trigger_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::with_capacity(32);
    for salt in 0..2u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(salt);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        h.write_u32(std::process::id());
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

impl RestClient {
    async fn post_json<B: Serialize, T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, RestError> {
        let url = format!("{}{}", self.base(), path);
        let req = self.http().post(&url).json(body);
        self.send("POST", url, req).await
    }

    /// `POST /jars/upload` (multipart field `jarfile`): upload `jar`; returns the jar id the
    /// JobManager gives it (the basename of the returned `filename`). Uploaded jars live in
    /// that JobManager's `web.tmpdir` and are gone after a failover: upload right before
    /// running.
    ///
    /// # Errors
    /// [`RestError::File`] when `jar` can't be read; otherwise as any call.
    pub async fn upload_jar(&self, jar: &Path) -> Result<String, RestError> {
        let bytes = tokio::fs::read(jar)
            .await
            .map_err(|source| RestError::File {
                path: jar.to_path_buf(),
                source,
            })?;
        let name = jar
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "job.jar".into());
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name)
            .mime_str("application/x-java-archive")
            .expect("static mime type");
        let form = reqwest::multipart::Form::new().part("jarfile", part);
        let url = format!("{}/jars/upload", self.base());
        let req = self.http().post(&url).multipart(form);
        let a: UploadAnswer = self.send("POST", url, req).await?;
        Ok(a.filename
            .rsplit('/')
            .next()
            .unwrap_or(&a.filename)
            .to_string())
    }

    /// `POST /jars/:jarid/run`: start a job from an uploaded jar; returns the job id.
    ///
    /// # Errors
    /// As any call; a failing `main()` or a savepoint that can't be restored is an HTTP 400
    /// or 500 with Flink's messages in [`RestError::Status`].
    pub async fn run_jar(&self, jar_id: &str, req: &RunRequest) -> Result<String, RestError> {
        let a: RunAnswer = self.post_json(&format!("/jars/{jar_id}/run"), req).await?;
        Ok(a.jobid)
    }

    /// `GET /jobs/:jobid`.
    ///
    /// # Errors
    /// As any call; an unknown job is HTTP 404.
    pub async fn job(&self, job_id: &str) -> Result<JobDetails, RestError> {
        self.get(&format!("/jobs/{job_id}")).await
    }

    /// `GET /jobs/:jobid/checkpoints`.
    ///
    /// # Errors
    /// As [`RestClient::job`].
    pub async fn checkpoints(&self, job_id: &str) -> Result<CheckpointStats, RestError> {
        self.get(&format!("/jobs/{job_id}/checkpoints")).await
    }

    /// The job's `numRestarts` metric (`GET /jobs/:jobid/metrics?get=numRestarts`); `None`
    /// when the metric is not (yet) reported.
    ///
    /// # Errors
    /// As [`RestClient::job`].
    pub async fn restarts(&self, job_id: &str) -> Result<Option<u64>, RestError> {
        let m: Vec<Metric> = self
            .get(&format!("/jobs/{job_id}/metrics?get=numRestarts"))
            .await?;
        Ok(m.into_iter()
            .find(|m| m.id == "numRestarts")
            .and_then(|m| m.value)
            .and_then(|v| v.parse().ok()))
    }

    /// `POST /jobs/:jobid/savepoints`: trigger a savepoint (and cancel the job after it when
    /// `cancel_job`); returns the trigger id to poll with [`RestClient::savepoint_status`].
    ///
    /// # Errors
    /// As [`RestClient::job`]; a job that is not running is HTTP 409 or 400.
    pub async fn trigger_savepoint(
        &self,
        job_id: &str,
        req: &SavepointRequest,
    ) -> Result<String, RestError> {
        let a: RequestId = self
            .post_json(&format!("/jobs/{job_id}/savepoints"), req)
            .await?;
        Ok(a.request_id)
    }

    /// `POST /jobs/:jobid/stop`: stop-with-savepoint; returns the trigger id to poll with
    /// [`RestClient::savepoint_status`].
    ///
    /// # Errors
    /// As [`RestClient::trigger_savepoint`].
    pub async fn stop_with_savepoint(
        &self,
        job_id: &str,
        req: &StopRequest,
    ) -> Result<String, RestError> {
        let a: RequestId = self.post_json(&format!("/jobs/{job_id}/stop"), req).await?;
        Ok(a.request_id)
    }

    /// `GET /jobs/:jobid/savepoints/:triggerid`: state of a savepoint / stop operation.
    ///
    /// # Errors
    /// As any call; a trigger id this JobManager does not know (e.g. after a failover) is
    /// HTTP 404.
    pub async fn savepoint_status(
        &self,
        job_id: &str,
        trigger_id: &str,
    ) -> Result<Operation, RestError> {
        let b: OperationBody = self
            .get(&format!("/jobs/{job_id}/savepoints/{trigger_id}"))
            .await?;
        Ok(b.into_operation())
    }

    /// `POST /savepoint-disposal`: delete a savepoint's files through the JobManager; returns
    /// the trigger id to poll with [`RestClient::disposal_status`].
    ///
    /// # Errors
    /// As any call.
    pub async fn dispose_savepoint(&self, path: &str) -> Result<String, RestError> {
        let a: RequestId = self
            .post_json(
                "/savepoint-disposal",
                &serde_json::json!({ "savepoint-path": path }),
            )
            .await?;
        Ok(a.request_id)
    }

    /// `GET /savepoint-disposal/:triggerid`.
    ///
    /// # Errors
    /// As any call.
    pub async fn disposal_status(&self, trigger_id: &str) -> Result<Operation, RestError> {
        let b: OperationBody = self
            .get(&format!("/savepoint-disposal/{trigger_id}"))
            .await?;
        Ok(b.into_operation())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use wiremock::matchers::{body_partial_json, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;

    const JOB: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    async fn server() -> (MockServer, RestClient) {
        let s = MockServer::start().await;
        let c = RestClient::new(&s.uri(), Duration::from_millis(800));
        (s, c)
    }

    #[tokio::test]
    async fn savepoint_failure_cause_is_reported_without_stack_frames() {
        let (s, c) = server().await;
        Mock::given(method("GET"))
            .and(path(format!("/jobs/{JOB}/savepoints/t1")))
            .respond_with(ResponseTemplate::new(200).set_body_string(
                r#"{"status":{"id":"COMPLETED"},"operation":{"failure-cause":{"class":"java.util.concurrent.CompletionException","stack-trace":"java.util.concurrent.CompletionException: org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint was declined.\n\tat java.base/java.util.concurrent.CompletableFuture.encodeThrowable(CompletableFuture.java:332)\nCaused by: java.io.IOException: Target directory /nope is not writable\n\t... 12 more\n","serialized-throwable":"rO0AB"}}}"#,
            ))
            .mount(&s)
            .await;
        let op = c.savepoint_status(JOB, "t1").await.unwrap();
        let Operation::Failed { cause } = op else {
            panic!("{op:?}")
        };
        assert!(cause.contains("Checkpoint was declined"), "{cause}");
        assert!(
            cause.contains("Caused by: java.io.IOException: Target directory /nope"),
            "{cause}"
        );
        assert!(!cause.contains("CompletableFuture.java"), "{cause}");
        assert!(!cause.contains("more"), "{cause}");
    }

    #[tokio::test]
    async fn savepoint_in_progress_then_completed() {
        let (s, c) = server().await;
        Mock::given(path(format!("/jobs/{JOB}/savepoints/t2")))
            .respond_with(
                ResponseTemplate::new(200).set_body_string(r#"{"status":{"id":"IN_PROGRESS"}}"#),
            )
            .up_to_n_times(1)
            .mount(&s)
            .await;
        Mock::given(path(format!("/jobs/{JOB}/savepoints/t2")))
            .respond_with(ResponseTemplate::new(200).set_body_string(
                r#"{"status":{"id":"COMPLETED"},"operation":{"location":"file:/sp/savepoint-a1b2c3-0123"}}"#,
            ))
            .mount(&s)
            .await;
        assert_eq!(
            c.savepoint_status(JOB, "t2").await.unwrap(),
            Operation::InProgress
        );
        assert_eq!(
            c.savepoint_status(JOB, "t2").await.unwrap(),
            Operation::Completed {
                location: Some("file:/sp/savepoint-a1b2c3-0123".into())
            }
        );
    }

    #[tokio::test]
    async fn unknown_job_is_a_404_with_flinks_message() {
        let (s, c) = server().await;
        Mock::given(path(format!("/jobs/{JOB}")))
            .respond_with(ResponseTemplate::new(404).set_body_string(
                r#"{"errors":["org.apache.flink.runtime.rest.handler.RestHandlerException: Job a1b2 not found\n\tat org.apache.flink.runtime.rest.handler.job.AbstractExecutionGraphHandler.lambda$handleRequest$1(AbstractExecutionGraphHandler.java:99)"]}"#,
            ))
            .mount(&s)
            .await;
        let e = c.job(JOB).await.unwrap_err();
        assert_eq!(e.status(), Some(404));
        let text = e.to_string();
        assert!(
            text.contains("HTTP 404") && text.contains("Job a1b2 not found"),
            "{text}"
        );
        assert!(!text.contains("AbstractExecutionGraphHandler"), "{text}");
        assert!(!e.leadership_moved());
    }

    #[tokio::test]
    async fn timeout_is_unreachable_and_says_so() {
        let (s, c) = server().await;
        Mock::given(path(format!("/jobs/{JOB}/checkpoints")))
            .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
            .mount(&s)
            .await;
        let e = c.checkpoints(JOB).await.unwrap_err();
        assert!(matches!(e, RestError::Unreachable { .. }), "{e:?}");
        assert!(e.to_string().contains("timed out"), "{e}");
    }

    #[tokio::test]
    async fn malformed_json_names_the_body() {
        let (s, c) = server().await;
        Mock::given(path(format!("/jobs/{JOB}/checkpoints")))
            .respond_with(ResponseTemplate::new(200).set_body_string("<html>proxy error</html>"))
            .mount(&s)
            .await;
        let e = c.checkpoints(JOB).await.unwrap_err();
        assert!(matches!(e, RestError::Malformed { .. }), "{e:?}");
        assert!(e.to_string().contains("<html>proxy error"), "{e}");
    }

    #[tokio::test]
    async fn leader_election_503_and_refused_connection_mean_leadership_moved() {
        let (s, c) = server().await;
        Mock::given(path("/jobs/overview"))
            .respond_with(ResponseTemplate::new(503).set_body_string(
                r#"{"errors":["Service temporarily unavailable due to an ongoing leader election. Please refresh."]}"#,
            ))
            .mount(&s)
            .await;
        assert!(c.jobs().await.unwrap_err().leadership_moved());
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let dead = RestClient::new(&format!("http://127.0.0.1:{port}"), Duration::from_secs(1));
        let e = dead.jobs().await.unwrap_err();
        assert!(e.leadership_moved(), "{e:?}");
    }

    #[tokio::test]
    async fn trigger_sends_the_client_trigger_id_and_format() {
        let (s, c) = server().await;
        Mock::given(method("POST"))
            .and(path(format!("/jobs/{JOB}/savepoints")))
            .and(body_partial_json(serde_json::json!({
                "target-directory": "file:///sp", "cancel-job": true,
                "formatType": "NATIVE", "triggerId": "00112233445566778899aabbccddeeff"
            })))
            .respond_with(
                ResponseTemplate::new(202)
                    .set_body_string(r#"{"request-id":"00112233445566778899aabbccddeeff"}"#),
            )
            .mount(&s)
            .await;
        let id = c
            .trigger_savepoint(
                JOB,
                &SavepointRequest {
                    target_directory: Some("file:///sp".into()),
                    cancel_job: true,
                    format: SavepointFormat::Native,
                    trigger_id: "00112233445566778899aabbccddeeff".into(),
                },
            )
            .await
            .unwrap();
        assert_eq!(id, "00112233445566778899aabbccddeeff");
    }

    #[tokio::test]
    async fn upload_returns_the_jar_id_and_run_sends_claim_mode() {
        let (s, c) = server().await;
        Mock::given(method("POST"))
            .and(path("/jars/upload"))
            .respond_with(ResponseTemplate::new(200).set_body_string(
                r#"{"filename":"/tmp/flink-web-x/flink-web-upload/5f0e_job.jar","status":"success"}"#,
            ))
            .mount(&s)
            .await;
        Mock::given(method("POST"))
            .and(path("/jars/5f0e_job.jar/run"))
            .and(body_partial_json(serde_json::json!({
                "savepointPath": "file:/sp/savepoint-1", "claimMode": "NO_CLAIM",
                "programArgsList": ["--rate", "5"], "parallelism": 2
            })))
            .respond_with(
                ResponseTemplate::new(200).set_body_string(format!(r#"{{"jobid":"{JOB}"}}"#)),
            )
            .mount(&s)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let jar = dir.path().join("job.jar");
        std::fs::write(&jar, b"PK\x03\x04").unwrap();
        let id = c.upload_jar(&jar).await.unwrap();
        assert_eq!(id, "5f0e_job.jar");
        let mut req = RunRequest {
            program_args: vec!["--rate".into(), "5".into()],
            parallelism: Some(2),
            savepoint_path: Some("file:/sp/savepoint-1".into()),
            ..RunRequest::default()
        };
        req.set_claim_mode(ClaimMode::NoClaim, 2, 1);
        assert_eq!(c.run_jar(&id, &req).await.unwrap(), JOB);
        let missing = c
            .upload_jar(&dir.path().join("nope.jar"))
            .await
            .unwrap_err();
        assert!(matches!(missing, RestError::File { .. }), "{missing:?}");
    }

    #[test]
    fn restore_mode_before_1_20() {
        let mut r = RunRequest::default();
        r.set_claim_mode(ClaimMode::Claim, 1, 19);
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["restoreMode"], "CLAIM");
        assert!(v.get("claimMode").is_none());
    }

    #[tokio::test]
    async fn run_failure_body_is_the_error() {
        let (s, c) = server().await;
        Mock::given(method("POST"))
            .and(path("/jars/x.jar/run"))
            .respond_with(ResponseTemplate::new(500).set_body_string(
                r#"{"errors":["Internal server error.","<Exception on server side:\norg.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\n\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.lambda$handleRequest$1(JarRunHandler.java:114)\nCaused by: java.util.concurrent.CompletionException: java.lang.IllegalStateException: Failed to rollback to checkpoint/savepoint file:/sp/nope. Cannot map checkpoint/savepoint state for operator 1 to the new program\n\t... 2 more\n\nEnd of exception on server side>"]}"#,
            ))
            .mount(&s)
            .await;
        let e = c
            .run_jar("x.jar", &RunRequest::default())
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("Could not execute application"), "{e}");
        assert!(e.contains("Cannot map checkpoint/savepoint state"), "{e}");
        assert!(!e.contains("JarRunHandler.java"), "{e}");
    }

    #[test]
    fn trigger_ids_are_32_hex_and_distinct() {
        let a = new_trigger_id();
        let b = new_trigger_id();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
