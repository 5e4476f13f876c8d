//! A whole Flink conf dir: configuration file, `masters`, `workers`, `zoo.cfg` and the rest.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::config::{CONFIG_YAML, FLINK_CONF_YAML, FlinkConfig, select_config_file};
use super::error::{ConfError, Finding, read_text};
use super::hosts::{MasterEntry, WorkerEntry, parse_masters, parse_workers};
use super::version::Version;
use super::zoocfg::ZooCfg;

/// File name of the JobManager host list (`bin/config.sh` `readMasters`).
pub const MASTERS: &str = "masters";
/// File name of the TaskManager host list (`bin/config.sh` `readWorkers`, Flink ≥ 1.11).
pub const WORKERS: &str = "workers";
/// File name of the ZooKeeper quorum config (`bin/start-zookeeper-quorum.sh`).
pub const ZOO_CFG: &str = "zoo.cfg";

/// Flink's conf dir, parsed: the source of truth for the cluster's topology.
#[derive(Debug, Clone, Serialize)]
pub struct ConfDir {
    /// The directory.
    pub dir: PathBuf,
    /// The Flink version the files are read for (decides which config file is read).
    pub version: Version,
    /// The configuration file Flink reads (see [`select_config_file`]).
    pub config: FlinkConfig,
    /// `masters` (path, JobManager entries), when the file exists.
    pub masters: Option<(PathBuf, Vec<MasterEntry>)>,
    /// `workers` (path, TaskManager entries), when the file exists.
    pub workers: Option<(PathBuf, Vec<WorkerEntry>)>,
    /// `zoo.cfg`, when it exists.
    pub zoo_cfg: Option<ZooCfg>,
    /// Every other regular file of the directory (e.g. `log4j*.properties`, `logback*.xml`),
    /// sorted, to be copied to the hosts as-is. Excludes the files above, the configuration
    /// file Flink ignores, hidden files and editor backups (`*~`, `*.swp`, `*.bak`, `*.orig`).
    pub other_files: Vec<PathBuf>,
    /// Warnings made while loading: the config file Flink ignores, lines Flink's legacy parser
    /// skips, a `slaves` file. [`crate::flinkconf::check_conf_dir`] returns these too.
    pub findings: Vec<Finding>,
}

fn is_backup(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || [".swp", ".bak", ".orig", ".rej", ".tmp"]
            .iter()
            .any(|s| name.ends_with(s))
}

impl ConfDir {
    /// Load the conf dir `dir` as Flink `version` reads it.
    ///
    /// # Errors
    /// [`ConfError::Io`] when `dir` or a file can't be read; [`ConfError::Missing`] when the
    /// configuration file the version reads is missing; [`ConfError::Parse`] /
    /// [`ConfError::Duplicate`] (naming file:line) from the parsers of each file.
    pub fn load(dir: &Path, version: &Version) -> Result<ConfDir, ConfError> {
        if !dir.is_dir() {
            return Err(ConfError::Missing {
                file: dir.to_path_buf(),
                message: "the Flink conf dir does not exist or is not a directory".into(),
                hint: "point `conf_dir` at a copy of Flink's conf/ directory".into(),
            });
        }
        let (config_path, format, mut findings) = select_config_file(dir, version)?;
        let config = FlinkConfig::load(&config_path, format)?;
        findings.extend(config.findings.iter().cloned());

        let masters = match dir.join(MASTERS) {
            p if p.is_file() => {
                let entries = parse_masters(&read_text(&p)?, &p)?;
                Some((p, entries))
            }
            _ => None,
        };
        let workers = match dir.join(WORKERS) {
            p if p.is_file() => {
                let entries = parse_workers(&read_text(&p)?, &p)?;
                Some((p, entries))
            }
            _ => None,
        };
        let slaves = dir.join("slaves");
        if slaves.is_file() {
            findings.push(
                Finding::warning(
                    &slaves,
                    None,
                    "Flink reads `workers` (since 1.11), not `slaves`; this file is ignored"
                        .to_string(),
                    Some(if workers.is_none() {
                        format!("rename it to {}", dir.join(WORKERS).display())
                    } else {
                        "delete it; the workers file is read instead".into()
                    }),
                )
                .with_id("slaves-file"),
            );
        }
        let zoo_cfg = match dir.join(ZOO_CFG) {
            p if p.is_file() => Some(ZooCfg::load(&p)?),
            _ => None,
        };

        let skip: Vec<&str> = vec![
            CONFIG_YAML,
            FLINK_CONF_YAML,
            MASTERS,
            WORKERS,
            ZOO_CFG,
            "slaves",
        ];
        let mut other_files = Vec::new();
        let rd = std::fs::read_dir(dir).map_err(|e| ConfError::io(dir, e))?;
        for entry in rd {
            let entry = entry.map_err(|e| ConfError::io(dir, e))?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if skip.contains(&name.as_str()) || is_backup(&name) || !path.is_file() {
                continue;
            }
            other_files.push(path);
        }
        other_files.sort();

        Ok(ConfDir {
            dir: dir.to_path_buf(),
            version: *version,
            config,
            masters,
            workers,
            zoo_cfg,
            other_files,
            findings,
        })
    }
}
