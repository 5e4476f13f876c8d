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
