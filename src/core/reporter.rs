//! How operations tell the outside world what they are doing, without printing.
//!
//! The CLI implements [`Reporter`] with indicatif progress bars (or nothing, for
//! `--no-progress`/JSON); tests use [`NullReporter`] or a recording one.

/// Receives progress from core operations. Must be cheap and never block for long.
pub trait Reporter: Send + Sync {
    /// A phase of the operation begins, e.g. "Starting JobManagers".
    fn phase(&self, name: &str);
    /// Work on `host` begins: `what` is a short verb phrase ("uploading flink-2.1.0").
    fn host_started(&self, host: &str, what: &str);
    /// Byte progress on `host` (e.g. an upload): `done` of `total` bytes.
    fn host_bytes(&self, host: &str, done: u64, total: u64);
    /// Work on `host` finished; `ok` false for failures. `message` is one line.
    fn host_finished(&self, host: &str, ok: bool, message: &str);
    /// We are waiting on a condition; `detail` is the latest observed state.
    fn waiting(&self, what: &str, detail: &str);
    /// Something the operator should know that does not stop the operation (one line).
    fn warning(&self, _message: &str) {}
}

/// A reporter that drops everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct NullReporter;

impl Reporter for NullReporter {
    fn phase(&self, _: &str) {}
    fn host_started(&self, _: &str, _: &str) {}
    fn host_bytes(&self, _: &str, _: u64, _: u64) {}
    fn host_finished(&self, _: &str, _: bool, _: &str) {}
    fn waiting(&self, _: &str, _: &str) {}
}
