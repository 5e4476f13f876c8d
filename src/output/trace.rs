//! `-v` / `-vv`: what flinkha does on the wire, as `tracing` events on stderr
//! (tracing-subscriber's compact format, colours only when stderr is a terminal and
//! `NO_COLOR` is unset).
//!
//! The events come from the transport and client layers (`transport::ssh`,
//! `transport::local`, `rest`, `zk`, `core::ops::leader_rest`): `-v` (DEBUG) gives each SSH
//! or local command (first line), upload, REST call and ZooKeeper read with its host and
//! duration (`ms=`); `-vv` (TRACE) gives the same events with the whole command, payload
//! sizes (`bytes=`, `out_bytes=`, `req_bytes=`, `resp_bytes=`) and leader-following retries.
//! Secret values (Flink's sensitive keys, [`crate::flinkconf::secrets`]) are hidden in them.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Environment variable with a `tracing` filter (`EnvFilter` syntax, e.g. `flinkha=trace` or
/// `debug`) that replaces the one `-v` sets; `RUST_LOG` is read when it is unset.
pub const LOG_ENV: &str = "FLINKHA_LOG";

/// The filter for `-v` repeated `verbose` times: none for 0, `flinkha=debug` for 1,
/// `flinkha=trace` for 2, and from 3 on also the libraries' own DEBUG events.
pub fn filter_for(verbose: u8) -> Option<&'static str> {
    match verbose {
        0 => None,
        1 => Some("flinkha=debug"),
        2 => Some("flinkha=trace"),
        _ => Some("debug,flinkha=trace"),
    }
}

/// What [`init`] did.
#[derive(Debug, Default)]
pub struct Tracing {
    /// A subscriber is installed: events may be written to stderr (progress bars are then
    /// turned off so the two never garble each other's lines).
    pub active: bool,
    /// A problem to show as a warning (an unparsable `FLINKHA_LOG` / `RUST_LOG`).
    pub warning: Option<String>,
}

/// Install the global subscriber for `-v` repeated `verbose` times, unless `FLINKHA_LOG` or
/// `RUST_LOG` (non-empty) gives the filter. With neither and no `-v` nothing is installed
/// and nothing is printed.
pub fn init(verbose: u8) -> Tracing {
    let mut out = Tracing::default();
    let from_env = [LOG_ENV, "RUST_LOG"].into_iter().find_map(|name| {
        std::env::var(name)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(|v| (name, v))
    });
    let filter = match from_env {
        Some((name, spec)) => match EnvFilter::try_new(&spec) {
            Ok(f) => Some((f, true)),
            Err(e) => {
                out.warning = Some(format!(
                    "ignoring {name}={spec:?}: {e} (want a tracing filter such as `flinkha=debug`)"
                ));
                None
            }
        },
        None => None,
    };
    let filter = match filter {
        Some(f) => f,
        None => match filter_for(verbose) {
            Some(spec) => (EnvFilter::new(spec), verbose >= 3),
            None => return out,
        },
    };
    let (filter, show_target) = filter;
    let ansi = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    out.active = tracing_subscriber::fmt()
        .compact()
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(show_target)
        .with_env_filter(filter)
        .try_init()
        .is_ok();
    out
}
