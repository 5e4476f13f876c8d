//! The core: cluster model, plans and operations. It never prints: results come back as
//! typed values and progress goes through [`reporter::Reporter`].
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod catalogue;
pub mod error;
pub mod hosts;
pub mod init;
pub mod inventory;
pub mod jobspec;
pub mod journal;
pub mod lock;
pub mod model;
pub mod ops;
pub mod plan;
pub mod render;
pub mod reporter;
pub mod statefile;

pub use error::{Error, ErrorKind, Result};

/// Quote `s` for a POSIX shell. A string with a NUL byte cannot be passed to a shell at all;
/// inventory values never hold one (YAML can't), so this becomes `''` defensively.
pub(crate) fn q(s: &str) -> String {
    crate::transport::command::quote(s)
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| "''".to_string())
}

/// An error and its causes as one line: `outer: cause: root cause`.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}
