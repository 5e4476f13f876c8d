//! Flink's conf dir, read the way Flink reads it.
//!
//! The conf dir is the source of truth for the cluster's topology and settings:
//! - `config.yaml` (Flink ≥ 1.19, standard YAML, nested or flat dotted keys) or the legacy
//!   `flink-conf.yaml` (flat `key: value`) — which one a version reads is decided by
//!   [`select_config_file`] as `GlobalConfiguration.loadConfiguration` does;
//! - `masters` (JobManager `host:webui-port` per line) and `workers` (TaskManager hosts);
//! - `zoo.cfg` (the ZooKeeper quorum: `server.N=host:peer:leader[;[addr:]clientport]`).
//!
//! [`ConfDir::load`] parses everything (errors name `file:line:column`), [`check_conf_dir`]
//! reports problems as [`Finding`]s, and [`FlinkConfig::render`] / [`ZooCfg::render`] produce
//! the per-host files. [`classify_key`] says whether a key is known, deprecated, removed (in 2.0
//! or a later 2.x release) or unknown, from key lists generated from the real Flink jars
//! (`tools/flink-keys/`). [`upgrade`] says what another Flink version makes of the same conf
//! dir (removed and deprecated keys, the config file it reads, the legacy file migrated to
//! `config.yaml`). [`secrets`] says which keys hold secrets (Flink's `isSensitive`) and hides their
//! values for display. Nothing here prints or touches the network.

mod checks;
mod confdir;
mod config;
mod doctor;
mod error;
mod hosts;
mod keys;
pub mod secrets;
pub mod upgrade;
mod version;
mod yaml;
mod zoocfg;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use checks::check_conf_dir;
pub use confdir::{ConfDir, MASTERS, WORKERS, ZOO_CFG};
pub use config::{
    CONFIG_YAML, ConfEntry, ConfFormat, ConfValue, FLINK_CONF_YAML, FlinkConfig, select_config_file,
};
pub use doctor::{
    DoctorEnv, FLINK_CONF_FILES, FsSupport, UriUse, YARN_DEFAULT_AM_MAX_ATTEMPTS, doctor_checks,
    fs_support, fs_support_for, hadoop_property, near_miss, port_spec_contains,
};
pub use error::{ConfError, Finding, Severity};
pub use hosts::{MasterEntry, WorkerEntry, parse_masters, parse_workers};
pub use keys::{KeyStatus, classify_key, key_count, key_list_version};
pub use version::{Version, VersionParseError};
pub use zoocfg::{ZkServerEntry, ZooCfg};
