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
pub mod transport;
pub mod zk;
