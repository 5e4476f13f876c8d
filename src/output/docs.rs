//! The JSON documents flinkha prints with `--output json`, for the commands whose shape is
//! not a core type printed as it is. Each is printed by [`super::Printer::json`] inside
//! `{"version": 1, "kind": ..., ...}`; one kind has one shape.

use serde::Serialize;

use crate::core::catalogue::SavepointRecord;
use crate::core::ops::jobs::Disposal;
use crate::core::ops::shadow::ShadowPreflight;
use crate::core::ops::upgrade::Preflight;
use crate::core::plan::Plan;

/// `savepoints prune` (kind `prune`): what was (or, with `dry_run`, would be) disposed of.
#[derive(Debug, Serialize)]
pub struct Prune<'a> {
    /// Only the plan was shown.
    pub dry_run: bool,
    /// The savepoints chosen, oldest first.
    pub plan: &'a [SavepointRecord],
    /// What happened to each (empty in a dry run).
    pub disposals: &'a [Disposal],
}

/// `upgrade --plan` (kind `upgrade-plan`).
#[derive(Debug, Serialize)]
pub struct UpgradePlan<'a> {
    /// What the preflight found.
    pub preflight: &'a Preflight,
    /// The steps.
    pub plan: &'a Plan,
    /// No blocking finding.
    pub ok: bool,
}

/// `upgrade --shadow --plan` (kind `shadow-upgrade-plan`).
#[derive(Debug, Serialize)]
pub struct ShadowUpgradePlan<'a> {
    /// What the preflight found, the derived deployment included.
    pub preflight: &'a ShadowPreflight,
    /// The steps.
    pub plan: &'a Plan,
    /// No blocking finding.
    pub ok: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_has_one_shape_whatever_happened() {
        let keys = |d: &Prune| {
            let v = serde_json::to_value(d).unwrap();
            let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        let empty = Prune {
            dry_run: false,
            plan: &[],
            disposals: &[],
        };
        let dry = Prune {
            dry_run: true,
            plan: &[],
            disposals: &[],
        };
        assert_eq!(keys(&empty), ["disposals", "dry_run", "plan"]);
        assert_eq!(keys(&empty), keys(&dry));
    }
}
