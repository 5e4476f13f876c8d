//! Findings (what a check found) and [`ConfError`] (a file that could not be read or parsed).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a [`Finding`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The cluster would not start, would lose HA state or would silently run with a setting
    /// other than the one written. flinkha refuses to go on.
    Error,
    /// Legal, but probably not what was meant (an unknown key, a deprecated key, an even
    /// ZooKeeper quorum, ...).
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem found in Flink's conf dir, located at `file:line`.
///
/// Displays as `file:line: error: message` followed, when there is a hint, by a second line
/// `  hint: what to do`. Serializes with the same field names (for `--json` output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// The file the finding is about.
    pub file: PathBuf,
    /// 1-based line in `file`, when the finding is about one line.
    pub line: Option<usize>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// Stable identifier of the check that found it (`quorum-even`, `jm-version-drift`, ...),
    /// for `flinkha doctor`'s table and JSON and for scripts that match on it. `None` for
    /// findings made before checks had ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The inventory host the finding is about, for live checks (`file` is then the file on
    /// that host, or the conf dir the host's value came from).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

impl Finding {
    /// An error-level finding.
    pub fn error(
        file: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Finding {
        Finding {
            severity: Severity::Error,
            file: file.into(),
            line,
            message: message.into(),
            hint,
            id: None,
            host: None,
        }
    }

    /// A warning-level finding.
    pub fn warning(
        file: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Finding {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(file, line, message, hint)
        }
    }

    /// `file:line` (or just `file` when there is no line).
    pub fn location(&self) -> String {
        location(&self.file, self.line, None)
    }

    /// The same finding with the stable check id `id`.
    pub fn with_id(mut self, id: impl Into<String>) -> Finding {
        self.id = Some(id.into());
        self
    }

    /// The same finding, about inventory host `host`.
    pub fn on_host(mut self, host: impl Into<String>) -> Finding {
        self.host = Some(host.into());
        self
    }

    /// True for [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.location(),
            self.severity,
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// `file`, `file:line` or `file:line:column`.
pub(crate) fn location(file: &Path, line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", file.display()),
        (Some(l), None) => format!("{}:{l}", file.display()),
        _ => file.display().to_string(),
    }
}

fn hint_suffix(hint: &str) -> String {
    if hint.is_empty() {
        String::new()
    } else {
        format!("\n  hint: {hint}")
    }
}

/// A file of Flink's conf dir that could not be read or parsed.
///
/// Every variant names the file, and the line (1-based) and column (1-based) where known.
#[derive(Debug, thiserror::Error)]
pub enum ConfError {
    /// The file or directory could not be read.
    #[error("{}: cannot read: {source}", file.display())]
    Io {
        /// The file or directory.
        file: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A required file is missing (e.g. neither `config.yaml` nor `flink-conf.yaml`).
    #[error("{}: {message}{}", file.display(), hint_suffix(hint))]
    Missing {
        /// The file that should exist.
        file: PathBuf,
        /// What is missing.
        message: String,
        /// What to do.
        hint: String,
    },
    /// The file does not parse.
    #[error("{}: error: {message}{}", location(file, Some(*line), *column), hint_suffix(hint))]
    Parse {
        /// The file.
        file: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column, when known.
        column: Option<usize>,
        /// What is wrong.
        message: String,
        /// What to do.
        hint: String,
    },
    /// The same (flattened) key is set twice.
    #[error(
        "{}:{line}: error: key `{key}` is set twice (first at line {first_line}){}",
        file.display(),
        hint_suffix(hint)
    )]
    Duplicate {
        /// The file.
        file: PathBuf,
        /// The flattened key.
        key: String,
        /// 1-based line of the first occurrence.
        first_line: usize,
        /// 1-based line of the second occurrence.
        line: usize,
        /// What to do.
        hint: String,
    },
}

impl ConfError {
    /// The file the error is about.
    pub fn file(&self) -> &Path {
        match self {
            ConfError::Io { file, .. }
            | ConfError::Missing { file, .. }
            | ConfError::Parse { file, .. }
            | ConfError::Duplicate { file, .. } => file,
        }
    }

    /// The 1-based line the error is about, when it is about one line.
    pub fn line(&self) -> Option<usize> {
        match self {
            ConfError::Parse { line, .. } | ConfError::Duplicate { line, .. } => Some(*line),
            ConfError::Io { .. } | ConfError::Missing { .. } => None,
        }
    }

    /// The error as an error-level [`Finding`] with a stable id (`conf-unreadable`,
    /// `conf-missing`, `conf-parse`, `conf-duplicate-key`), for `flinkha doctor`, which
    /// reports a conf dir it cannot load instead of stopping at it.
    pub fn to_finding(&self) -> Finding {
        let (id, line, message, hint) = match self {
            ConfError::Io { source, .. } => (
                "conf-unreadable",
                None,
                format!("cannot read: {source}"),
                "check that the file exists and is readable by this user".to_string(),
            ),
            ConfError::Missing { message, hint, .. } => {
                ("conf-missing", None, message.clone(), hint.clone())
            }
            ConfError::Parse {
                line,
                column,
                message,
                hint,
                ..
            } => (
                "conf-parse",
                Some(*line),
                match column {
                    Some(c) => format!("{message} (column {c})"),
                    None => message.clone(),
                },
                hint.clone(),
            ),
            ConfError::Duplicate {
                key,
                first_line,
                line,
                hint,
                ..
            } => (
                "conf-duplicate-key",
                Some(*line),
                format!("key `{key}` is set twice (first at line {first_line})"),
                hint.clone(),
            ),
        };
        Finding::error(
            self.file(),
            line,
            message,
            (!hint.is_empty()).then_some(hint),
        )
        .with_id(id)
    }

    /// A [`ConfError::Parse`].
    pub(crate) fn parse(
        file: &Path,
        line: usize,
        column: Option<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> ConfError {
        ConfError::Parse {
            file: file.to_path_buf(),
            line,
            column,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// A [`ConfError::Io`].
    pub(crate) fn io(file: &Path, source: std::io::Error) -> ConfError {
        ConfError::Io {
            file: file.to_path_buf(),
            source,
        }
    }
}

/// Read a whole text file, mapping errors to [`ConfError::Io`] / [`ConfError::Parse`] (not UTF-8).
pub(crate) fn read_text(path: &Path) -> Result<String, ConfError> {
    let bytes = std::fs::read(path).map_err(|e| ConfError::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        ConfError::parse(
            path,
            line,
            None,
            "the file is not valid UTF-8",
            "save the file as UTF-8 (Flink reads its conf files as UTF-8)",
        )
    })
}
