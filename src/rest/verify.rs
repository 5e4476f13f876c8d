//! REST calls that prove a restore: the exception history and savepoints still in progress.
//! Shapes from the Flink REST API reference (`/jobs/:jobid/exceptions`,
//! `/jobs/:jobid/checkpoints` → `history[]`) of Flink 1.15+ and 2.x.

use serde::Deserialize;

use super::{RestClient, RestError};

#[derive(Deserialize)]
struct Exceptions {
    #[serde(rename = "exceptionHistory", default)]
    history: Option<ExceptionHistory>,
}

#[derive(Deserialize)]
struct ExceptionHistory {
    #[serde(default)]
    entries: Vec<ExceptionEntry>,
}

/// One entry of `exceptionHistory.entries`.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
pub struct ExceptionEntry {
    /// Exception class name.
    #[serde(rename = "exceptionName", default)]
    pub name: String,
    /// When, ms since the epoch.
    #[serde(default)]
    pub timestamp: i64,
}

#[derive(Deserialize)]
struct History {
    #[serde(default)]
    history: Vec<HistoryEntry>,
}

#[derive(Deserialize)]
struct HistoryEntry {
    #[serde(default)]
    status: String,
    #[serde(default)]
    is_savepoint: bool,
}

impl RestClient {
    /// `GET /jobs/:jobid/exceptions`: the job's exception history, newest first.
    ///
    /// # Errors
    /// As any call.
    pub async fn exceptions(&self, job_id: &str) -> Result<Vec<ExceptionEntry>, RestError> {
        let e: Exceptions = self
            .get(&format!("/jobs/{job_id}/exceptions?maxExceptions=20"))
            .await?;
        Ok(e.history.map(|h| h.entries).unwrap_or_default())
    }

    /// How many savepoints of the job are `IN_PROGRESS` (from the checkpoint history).
    ///
    /// # Errors
    /// As any call.
    pub async fn savepoints_in_progress(&self, job_id: &str) -> Result<usize, RestError> {
        let h: History = self.get(&format!("/jobs/{job_id}/checkpoints")).await?;
        Ok(h.history
            .iter()
            .filter(|e| e.is_savepoint && e.status == "IN_PROGRESS")
            .count())
    }
}

impl RestClient {
    /// `PATCH /jobs/:jobid?mode=cancel`: cancel without a savepoint. flinkha uses it only
    /// where the job's state is already in a completed savepoint (a rollback's jobs on the new
    /// version, which restart from their pre-upgrade savepoint).
    ///
    /// # Errors
    /// As any call.
    pub async fn cancel_job(&self, job_id: &str) -> Result<(), RestError> {
        let url = format!("{}/jobs/{job_id}?mode=cancel", self.base());
        let req = self.http().patch(&url);
        let _: serde_json::Value = self.send("PATCH", url, req).await.or_else(|e| match e {
            // Flink answers 202 with an empty body.
            RestError::Malformed { .. } => Ok(serde_json::Value::Null),
            e => Err(e),
        })?;
        Ok(())
    }
}
