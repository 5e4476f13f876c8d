//! Doctor checks that need no host: [`crate::core::ops::check::check`] plus the static checks
//! of walkthrough mistakes, each with a stable id.

use crate::core::model::Cluster;
use crate::flinkconf::Finding;

/// Every offline finding for `cluster`, each with an id.
pub fn checks(cluster: &Cluster) -> Vec<Finding> {
    crate::core::ops::check::check(cluster)
}
