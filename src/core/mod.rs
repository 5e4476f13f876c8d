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
#[cfg(test)]
mod proptests;
pub mod render;
pub mod reporter;
pub mod statefile;

pub use error::{Error, ErrorKind, Result};

/// Quote `s` for a POSIX shell, as one word.
///
/// A string with a NUL byte cannot be passed to a shell at all. Every value that reaches a
/// script comes from the inventory or the conf dir, whose loaders reject NUL bytes with an
/// error naming the file, line and key ([`inventory::Inventory::parse`],
/// [`crate::flinkconf::FlinkConfig::parse`], [`crate::flinkconf::ZooCfg::parse`]), or from
/// file names, command-line arguments and flinkha itself, which can't hold one. So a NUL here
/// is a bug in flinkha: it panics naming the value rather than change it (it used to become
/// `''`, which turned e.g. `rm -rf <root>/x` into `rm -rf ''/x`).
///
/// # Panics
/// When `s` contains a NUL byte.
pub(crate) fn q(s: &str) -> String {
    match crate::transport::command::quote(s) {
        Ok(c) => c.into_owned(),
        Err(e) => panic!("internal error, please report: {e} (its loader should have rejected it)"),
    }
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

#[cfg(test)]
mod tests {
    #[test]
    fn q_quotes_and_never_changes_a_value() {
        assert_eq!(super::q("/opt/flink"), "/opt/flink");
        assert_eq!(super::q("it's"), "\"it's\"");
        assert_eq!(super::q(""), "''");
        let nul = std::panic::catch_unwind(|| super::q("/opt/\0x")).unwrap_err();
        let msg = nul.downcast_ref::<String>().unwrap();
        assert!(msg.contains("NUL") && msg.contains("/opt/\\0x"), "{msg}");
    }
}
