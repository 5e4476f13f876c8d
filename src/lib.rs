//! flinkha: run Apache Flink high-availability clusters (standalone mode with ZooKeeper HA)
//! on your own hosts over SSH.
//!
//! Layers, from the outside in:
//! - [`cli`]: clap definitions and one thin module per subcommand; the only layer that prints.
//! - [`core`]: the cluster model, plans and operations. Never prints; reports through
//!   [`core::reporter::Reporter`].
//! - Adapters behind small interfaces: [`transport`] (SSH / local), [`zk`] (ZooKeeper znodes
//!   and four-letter words), [`rest`] (Flink REST API), [`flinkconf`] (Flink's conf dir files).
//! - [`output`]: tables, JSON, progress bars and prompts for the CLI.

pub mod cli;
pub mod core;
pub mod flinkconf;
pub mod output;
pub mod rest;
pub mod time;
pub mod transport;
pub mod zk;

/// The settings of the property tests (`proptest`): 256 cases each unless `PROPTEST_CASES`
/// says otherwise (a longer hunt: `PROPTEST_CASES=20000 cargo test --lib proptests`), and no
/// `proptest-regressions/` files: a failure's minimal input becomes a named unit test.
#[cfg(test)]
pub(crate) fn proptest_config() -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(256),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}
