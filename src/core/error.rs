//! Errors of the core. Each names the file, line or host it is about and, where we know it,
//! what to do; causes are kept as `#[source]` so the CLI prints the whole chain once.

use std::path::PathBuf;

use crate::flinkconf::{ConfError, Finding};
use crate::rest::RestError;
use crate::transport::TransportError;
use crate::zk::ZkError;

/// Result with the core [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error of a core operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No inventory file where we looked.
    #[error(
        "no inventory file at {path}: pass --config FILE, set FLINKHA_CONFIG, or create ./flinkha.yaml (see conf.example/flinkha.yaml)"
    )]
    InventoryNotFound {
        /// Where we looked.
        path: PathBuf,
    },
    /// The inventory is malformed.
    #[error("{}: {message}", location(path, *line, *column))]
    Inventory {
        /// Inventory file.
        path: PathBuf,
        /// 1-based line, when known.
        line: Option<usize>,
        /// 1-based column, when known.
        column: Option<usize>,
        /// What is wrong and what to do.
        message: String,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Flink's conf dir could not be read or parsed.
    #[error(transparent)]
    Conf(#[from] ConfError),
    /// The configuration has errors (from `config check`); each finding names file:line.
    #[error("the configuration has {} error(s):\n{}", findings.len(), render_findings(findings))]
    Invalid {
        /// The error-level findings.
        findings: Vec<Finding>,
    },
    /// A host named on the command line is not in the inventory.
    #[error("host `{name}` is not in the inventory {inventory}; known hosts: {known}")]
    UnknownHost {
        /// The name given.
        name: String,
        /// Inventory file.
        inventory: PathBuf,
        /// Comma-separated known host names.
        known: String,
    },
    /// SSH / local transport failure.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// ZooKeeper failure.
    #[error(transparent)]
    Zk(#[from] ZkError),
    /// Flink REST failure.
    #[error(transparent)]
    Rest(#[from] RestError),
    /// A remote step failed on a host.
    #[error("{host}: {what} failed{}", detail_suffix(detail))]
    Remote {
        /// Host name.
        host: String,
        /// What was being done.
        what: String,
        /// Exit status / stderr tail.
        detail: String,
    },
    /// The distribution tarball does not match its checksum.
    #[error(
        "{file}: SHA-512 mismatch: expected {expected}, got {actual}; the download is corrupt or the checksum belongs to another file: fetch both again"
    )]
    Checksum {
        /// The tarball.
        file: String,
        /// Expected hex digest.
        expected: String,
        /// Actual hex digest.
        actual: String,
    },
    /// Something did not become healthy in time.
    #[error("timed out after {secs} s waiting for {what}{}", detail_suffix(detail))]
    Timeout {
        /// What we waited for.
        what: String,
        /// Seconds waited.
        secs: u64,
        /// Last observed state.
        detail: String,
    },
    /// A precondition for the operation is not met.
    #[error("{message}")]
    Refused {
        /// What is wrong and what to do.
        message: String,
    },
    /// No job matches what was given on the command line.
    #[error(
        "no job matches `{given}`{}; `flinkha jobs list` shows them all",
        suggest(candidates)
    )]
    UnknownJob {
        /// What was given (id, id prefix or name).
        given: String,
        /// Close matches (`name (id, STATE)`).
        candidates: Vec<String>,
    },
    /// `run` was given something that is neither a jar file nor a job declared in the
    /// inventory.
    #[error(
        "`{given}` is neither a jar file nor a job declared under `jobs:` in {}; {}",
        inventory.display(),
        if declared.is_empty() { "no jobs are declared there: give the path of the job's jar".to_string() } else { format!("declared jobs: {}", declared.join(", ")) }
    )]
    NotAJarOrJob {
        /// What was given.
        given: String,
        /// The inventory file.
        inventory: PathBuf,
        /// The declared job names.
        declared: Vec<String>,
    },
    /// Several jobs match what was given.
    #[error("`{given}` matches {} jobs: {}; give the job id (or a longer prefix)", matches.len(), matches.join(", "))]
    AmbiguousJob {
        /// What was given.
        given: String,
        /// The matches (`name (id, STATE)`).
        matches: Vec<String>,
    },
    /// The outcome of a savepoint operation can't be known: its status and the job were
    /// lost (a failover); it is recorded as timed-out with what is known.
    #[error("the outcome of {what} of job {job} is unknown: {detail}")]
    SavepointUnknown {
        /// `savepoint`, `cancel with savepoint`, `stop with savepoint`.
        what: String,
        /// `name (id)`.
        job: String,
        /// What is known, and what to check.
        detail: String,
    },
    /// Flink reported a savepoint (or stop / cancel with savepoint) as failed.
    #[error("{what} of job {job} failed; the job is {state}: {cause}")]
    SavepointFailed {
        /// `savepoint`, `cancel with savepoint`, `stop with savepoint`.
        what: String,
        /// Job name and id.
        job: String,
        /// The job's state after the failure (e.g. `still RUNNING`).
        state: String,
        /// Flink's failure cause.
        cause: String,
    },
    /// A job that was meant to restore from a savepoint did not (or from something else).
    #[error(
        "job {job} is running but did NOT restore from {expected}: latest.restored.external_path is {actual}; its state is not the savepoint's. Cancel it (`flinkha cancel -s`) and run again, checking the savepoint path"
    )]
    RestoreNotVerified {
        /// Job name and id.
        job: String,
        /// The savepoint asked for.
        expected: String,
        /// What Flink reports (or `nothing`).
        actual: String,
    },
    /// Downloading the distribution failed.
    #[error("downloading {url}: {message}")]
    Download {
        /// URL.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// Another flinkha holds the operator lock of this cluster.
    #[error(
        "another flinkha is working on this cluster: {holder}; wait for it to finish (`flinkha status` shows the lock). If that flinkha died on another machine, its lock goes away by itself when its ZooKeeper session expires (znode {path}); one that died on this machine is taken over at once"
    )]
    Locked {
        /// Who holds it (user@host pid, command, since).
        holder: String,
        /// The lock znode.
        path: String,
    },
    /// A bad combination of arguments found after parsing (exit status 2).
    #[error("{message}")]
    Usage {
        /// What is wrong and what to write instead.
        message: String,
    },
    /// An operation's journal says something that does not fit what was asked (nothing to
    /// resume, another operation under way, ...).
    #[error("{message}")]
    Journal {
        /// What is wrong and what to do.
        message: String,
    },
    /// The Ctrl-C of the operator: the plan stopped between two steps.
    #[error("interrupted after step {done} of {total}: resume with `{resume}`")]
    Interrupted {
        /// Steps done.
        done: usize,
        /// Steps in the plan.
        total: usize,
        /// The command that resumes.
        resume: String,
    },
}

/// What kind of failure an [`Error`] is. Resume, rollback and exit statuses decide on the
/// kind, never on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// Bad command line or arguments (exit status 2).
    Usage,
    /// The inventory or conf dir is wrong.
    Config,
    /// A precondition is not met; nothing was done.
    Refused,
    /// A host, ZooKeeper or the REST API failed.
    Remote,
    /// Something did not happen in time.
    Timeout,
    /// Another operation holds the cluster, or the journal disagrees.
    Conflict,
    /// Flink refused or failed an operation on a job (savepoint, restore).
    Job,
    /// Stopped by the operator.
    Interrupted,
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Usage { .. } | Error::UnknownHost { .. } | Error::NotAJarOrJob { .. } => {
                ErrorKind::Usage
            }
            Error::InventoryNotFound { .. }
            | Error::Inventory { .. }
            | Error::Conf(_)
            | Error::Invalid { .. } => ErrorKind::Config,
            Error::Refused { .. }
            | Error::UnknownJob { .. }
            | Error::AmbiguousJob { .. }
            | Error::Checksum { .. } => ErrorKind::Refused,
            Error::Io { .. }
            | Error::Transport(_)
            | Error::Zk(_)
            | Error::Rest(_)
            | Error::Remote { .. }
            | Error::Download { .. } => ErrorKind::Remote,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Locked { .. } | Error::Journal { .. } => ErrorKind::Conflict,
            Error::SavepointFailed { .. }
            | Error::SavepointUnknown { .. }
            | Error::RestoreNotVerified { .. } => ErrorKind::Job,
            Error::Interrupted { .. } => ErrorKind::Interrupted,
        }
    }

    /// What to do about it, where one hint fits every instance of the kind.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Locked { .. } => Some(
                "`flinkha status` names the lock holder; a second operator must wait: the lock keeps two flinkha runs from stopping or upgrading one cluster at once",
            ),
            Error::Interrupted { .. } => Some(
                "every step so far is in the journal; `--resume` goes on from the next one and `--rollback` goes back",
            ),
            Error::RestoreNotVerified { .. } => Some(
                "the job's state does not come from the savepoint: do not trust its output; roll back or restore again",
            ),
            _ => None,
        }
    }
}

fn suggest(candidates: &[String]) -> String {
    if candidates.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", candidates.join(", or "))
    }
}

fn location(path: &std::path::Path, line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", path.display()),
        (Some(l), None) => format!("{}:{l}", path.display()),
        _ => path.display().to_string(),
    }
}

fn detail_suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}

fn render_findings(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("  {f}"))
        .collect::<Vec<_>>()
        .join("\n")
}
