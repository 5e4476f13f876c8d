//! Output for people and scripts: tables (comfy-table), JSON, progress (indicatif) and
//! prompts (dialoguer, only on a TTY). Data goes to stdout; everything else to stderr.

pub mod docs;
pub mod progress;
pub mod prompt;
pub mod table;
pub mod trace;

use std::io::{IsTerminal, Write};

use serde::Serialize;

/// Output format of data on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Tables and text for people.
    #[default]
    Table,
    /// One JSON document with a `"version"` field, for scripts.
    Json,
}

/// Version of flinkha's JSON output documents.
pub const JSON_VERSION: u32 = 1;

/// Where output goes and how much of it.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    /// Data format.
    pub format: Format,
    /// `-q`: no status lines.
    pub quiet: bool,
    /// Progress bars allowed (stderr is a TTY, not `--no-progress`, not JSON).
    pub progress: bool,
}

impl Printer {
    /// Print a status line to stderr (muted by `--quiet`).
    pub fn status(&self, line: &str) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr(), "{line}");
        }
    }

    /// Print a warning to stderr (never muted).
    pub fn warn(&self, line: &str) {
        let style = console::Style::new().yellow().bold();
        let _ = writeln!(std::io::stderr(), "{} {line}", style.apply_to("warning:"));
    }

    /// Print data text to stdout.
    pub fn data(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        if !text.ends_with('\n') {
            let _ = out.write_all(b"\n");
        }
    }

    /// Print `value` as a versioned JSON document to stdout: `{"version": 1, "kind": ..., ...}`.
    pub fn json<T: Serialize>(&self, kind: &str, value: &T) {
        let mut v = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
        let doc = match &mut v {
            serde_json::Value::Object(map) => {
                let mut m = serde_json::Map::new();
                m.insert("version".into(), JSON_VERSION.into());
                m.insert("kind".into(), kind.into());
                m.append(map);
                serde_json::Value::Object(m)
            }
            other => serde_json::json!({"version": JSON_VERSION, "kind": kind, "data": other}),
        };
        self.data(&serde_json::to_string_pretty(&doc).unwrap_or_default());
    }

    /// Whether a person is at the terminal (stdin and stderr are TTYs).
    pub fn can_prompt() -> bool {
        std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
    }
}
