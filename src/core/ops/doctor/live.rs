//! Doctor checks that need the hosts, run over SSH (one session per host, hosts in parallel).

use crate::core::hosts::Sessions;
use crate::core::model::Cluster;
use crate::flinkconf::Finding;

/// Every live finding for `cluster`, each with an id and, where it is about one host, that
/// host. A host that cannot be reached is itself a finding (`host-unreachable`).
pub async fn checks(_cluster: &Cluster, _sessions: &Sessions) -> Vec<Finding> {
    Vec::new()
}
