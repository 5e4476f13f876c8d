//! `flinkha doctor`: everything `config check` reports, more static checks of the mistakes
//! public Flink HA walkthroughs make, and live checks on every host over SSH.
//!
//! Every finding carries a stable id ([`Finding::id`], e.g. `quorum-even`), a severity, the
//! file:line or host it is about ([`Finding::host`]) and the fix ([`Finding::hint`]).
//!
//! - [`offline`]: what needs no host (the conf dir, the inventory).
//! - [`live::checks`]: what needs the hosts (Java, version and conf drift, clocks, ports,
//!   quorum reachability, disk, shared storage, foreign contenders, orphaned HA jobs, pid
//!   files).

pub mod live;
pub mod offline;

use crate::core::hosts::Sessions;
use crate::core::model::Cluster;
use crate::flinkconf::{Finding, Severity};

/// All findings of a doctor run, errors first.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DoctorReport {
    /// Whether the live checks ran (`false` under `--offline`).
    pub live: bool,
    /// Every finding, errors first, then warnings; within a severity by id.
    pub findings: Vec<Finding>,
}

impl DoctorReport {
    /// True when any finding is an error (`flinkha doctor` then exits 1).
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }
}

/// Run the offline checks and, unless `offline_only`, the live checks over `sessions`.
pub async fn run(cluster: &Cluster, sessions: &Sessions, offline_only: bool) -> DoctorReport {
    let mut findings = offline::checks(cluster);
    if !offline_only {
        findings.extend(live::checks(cluster, sessions).await);
    }
    findings.sort_by(|a, b| {
        (
            a.severity != Severity::Error,
            &a.id,
            &a.host,
            &a.file,
            a.line,
        )
            .cmp(&(
                b.severity != Severity::Error,
                &b.id,
                &b.host,
                &b.file,
                b.line,
            ))
    });
    DoctorReport {
        live: !offline_only,
        findings,
    }
}

#[cfg(test)]
mod tests {
    /// Every check id used in the sources, from their `with_id("...")` calls and the ids
    /// given as struct fields.
    fn ids_in_sources() -> std::collections::BTreeSet<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![root.clone()];
        let mut ids = std::collections::BTreeSet::new();
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if p.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            // The argument of `with_id`, the value of a Finding's `id:` field, and the
            // `conf-…` ids of `ConfError::to_finding`.
            for (marker, prefix) in [
                ("with_id(\"", ""),
                ("id: Some(\"", ""),
                ("\"conf-", "conf-"),
            ] {
                if !prefix.is_empty() && !p.ends_with("flinkconf/error.rs") {
                    continue;
                }
                for (i, _) in text.match_indices(marker) {
                    let before = text[..i].chars().next_back().unwrap_or(' ');
                    if before.is_ascii_alphanumeric() || before == '_' {
                        continue; // `job_id: Some(...)`, not a Finding's id.
                    }
                    let id: String = text[i + marker.len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                        .collect();
                    if !id.is_empty() {
                        ids.insert(format!("{prefix}{id}"));
                    }
                }
            }
        }
        ids
    }

    #[test]
    fn every_check_id_is_listed_in_the_readme() {
        let readme = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"),
        )
        .unwrap();
        let ids = ids_in_sources();
        for must in [
            "quorum-even",
            "quorum-single",
            "port-clash",
            "host-not-in-inventory",
        ] {
            assert!(
                ids.contains(must),
                "{must} not found in the sources: {ids:?}"
            );
        }
        let missing: Vec<&String> = ids
            .iter()
            .filter(|id| !readme.contains(&format!("`{id}`")))
            .collect();
        assert!(
            missing.is_empty(),
            "check ids missing from README.md's doctor section: {missing:?}"
        );
    }
}
