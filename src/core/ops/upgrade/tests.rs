//! Plans and reports of upgrades and rollbacks, built from preflights and journals.

use super::*;
use crate::core::journal::{Entry, JournalData};
use crate::rest::jobs::ClaimMode;

fn cluster() -> Cluster {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("conf.example/flinkha.yaml");
    Cluster::load(&example).unwrap()
}

fn job(name: &str, id: &str) -> JobRef {
    JobRef {
        name: name.into(),
        job_id: id.into(),
        spec: JobSpec {
            declared: Some(name.into()),
            jar: "/jobs/c.jar".into(),
            jar_sha256: "ab".into(),
            entry_class: None,
            args: vec![],
            parallelism: None,
            claim_mode: ClaimMode::NoClaim,
            allow_non_restored_state: false,
            savepoint_dir: None,
        },
    }
}

fn preflight() -> Preflight {
    Preflight {
        from: Version::new(2, 1, 0),
        to: Version::new(2, 2, 0),
        compatibility: Compatibility::Minor,
        jobs: ["a", "b"]
            .iter()
            .enumerate()
            .map(|(i, n)| PlannedJob {
                job: job(n, &format!("{i}0000000000000000000000000000000")),
                target_dir: "file:///sp".into(),
                spec_source: "recorded".into(),
            })
            .collect(),
        findings: vec![],
        conf_diffs: vec![],
    }
}

fn ids(p: &Plan) -> Vec<String> {
    p.steps.iter().map(|s| s.id.clone()).collect()
}

#[test]
fn upgrade_plan_stops_every_job_before_the_cluster_and_verifies_each() {
    let c = cluster();
    let p = upgrade_plan(&c, &preflight(), &UpgradeOptions::default());
    assert_eq!(
        ids(&p),
        [
            "install/2.2.0",
            "stop-job/a@00000000",
            "stop-job/b@10000000",
            "stop-daemons/2.1.0",
            "clear-ha-jobs",
            "activate/2.2.0",
            "move-quorum/2.2.0",
            "start-daemons/2.2.0",
            "run-job/a@00000000",
            "verify-job/a@00000000",
            "run-job/b@10000000",
            "verify-job/b@10000000",
        ]
    );
    // The cluster's daemons stop only after every job's stop-with-savepoint step; the quorum
    // is never in a stop step.
    for s in &p.steps {
        if let Action::StopDaemons { roles, .. } = &s.action {
            assert!(!roles.contains(&Role::ZooKeeper));
        }
    }
    // Idempotency keys are fixed in the plan: distinct trigger ids and new job ids.
    let mut keys: Vec<String> = p
        .steps
        .iter()
        .filter_map(|s| match &s.action {
            Action::StopJob { trigger_id, .. } => Some(trigger_id.clone()),
            Action::RunJob { new_job_id, .. } => Some(new_job_id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(keys.len(), 4);
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 4);
    // Run and verify read the same stop step, and the verification's job id is the run's.
    let (run_of, run_id) = p
        .steps
        .iter()
        .find_map(|s| match &s.action {
            Action::RunJob {
                savepoint_of,
                new_job_id,
                job,
                ..
            } if job.name == "a" => Some((savepoint_of.clone(), new_job_id.clone())),
            _ => None,
        })
        .unwrap();
    assert_eq!(run_of, "stop-job/a@00000000");
    assert!(p.steps.iter().any(|s| matches!(&s.action,
        Action::VerifyJob { new_job_id, savepoint_of, checkpoints: 2, .. }
            if *new_job_id == run_id && *savepoint_of == run_of)));
    let text = p.render();
    assert!(
        text.contains("Flink 2.1.0 → 2.2.0 (minor upgrade), 2 job(s)"),
        "{text}"
    );
    assert!(text.contains("[jobs down]"), "{text}");
}

fn journal_after(p: &Plan, done: usize) -> JournalData {
    let mut j = JournalData::new(
        p.clone(),
        serde_json::to_value(UpgradeParams {
            from: Version::new(2, 1, 0),
            to: Version::new(2, 2, 0),
            from_layout: crate::core::model::Deployment::primary(),
            shadow: None,
            cluster_ids: None,
        })
        .unwrap(),
    );
    for (i, s) in p.steps.iter().take(done).enumerate() {
        let t = 1_000 + i as u64 * 1_000;
        j.entries.push(Entry::Intent {
            step: s.id.clone(),
            at_ms: t,
        });
        let outcome = match &s.action {
            Action::StopJob { job, .. } => serde_json::json!({
                "path": format!("file:/sp/savepoint-{}", job.name),
                "requested_ms": t,
                "job_state": "FINISHED",
            }),
            Action::RunJob { new_job_id, .. } => serde_json::json!({
                "job_id": new_job_id,
                "running_ms": t + 500,
                "restored_from": "x",
                "adopted": false,
            }),
            _ => serde_json::json!({}),
        };
        j.entries.push(Entry::Done {
            step: s.id.clone(),
            at_ms: t + 500,
            outcome,
        });
    }
    j
}

#[test]
fn rollback_after_completion_goes_back_with_every_pre_upgrade_savepoint() {
    let c = cluster();
    let up = upgrade_plan(&c, &preflight(), &UpgradeOptions::default());
    let j = journal_after(&up, up.steps.len());
    let r = rollback_plan(&c, &j, &UpgradeOptions::default()).unwrap();
    let ids = ids(&r);
    assert_eq!(ids[0].split('@').next(), Some("stop-job/a"));
    assert!(ids.contains(&"stop-daemons/2.2.0".to_string()), "{ids:?}");
    assert!(ids.contains(&"activate/2.1.0".to_string()), "{ids:?}");
    assert!(ids.contains(&"start-daemons/2.1.0".to_string()), "{ids:?}");
    // The jobs restart from the savepoints the upgrade took, on 2.1.0, with new ids.
    let paths: Vec<String> = r
        .steps
        .iter()
        .filter_map(|s| match &s.action {
            Action::UseSavepoint { path } => Some(path.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(paths, ["file:/sp/savepoint-a", "file:/sp/savepoint-b"]);
    for s in &r.steps {
        if let Action::RunJob { version, job, .. } = &s.action {
            assert_eq!(*version, Version::new(2, 1, 0));
            assert!(job.job_id.starts_with('0') || job.job_id.starts_with('1'));
        }
    }
    assert!(
        r.render().contains("will be produced again"),
        "{}",
        r.render()
    );
    // The report of the completed upgrade: downtime from each stop request to RUNNING.
    let rep = report(&j);
    assert_eq!(rep.jobs.len(), 2);
    assert!(
        rep.jobs
            .iter()
            .all(|j| j.verified && j.downtime_ms.is_some())
    );
    assert_eq!(rep.from, Some(Version::new(2, 1, 0)));
}

#[test]
fn rollback_before_activation_only_reruns_the_stopped_jobs_on_the_old_version() {
    let c = cluster();
    let up = upgrade_plan(&c, &preflight(), &UpgradeOptions::default());
    // install and the first job's stop are done; flinkha died in the second job's stop.
    let mut j = journal_after(&up, 2);
    j.entries.push(Entry::Intent {
        step: up.steps[2].id.clone(),
        at_ms: 9_000,
    });
    let r = rollback_plan(&c, &j, &UpgradeOptions::default()).unwrap();
    assert_eq!(
        ids(&r),
        [
            "savepoint/a@00000000",
            "run-job/a@00000000",
            "verify-job/a@00000000"
        ]
    );
    assert!(
        r.render().contains("still runs Flink 2.1.0"),
        "{}",
        r.render()
    );
    let rep = report(&j);
    assert!(rep.jobs.iter().all(|j| !j.verified));
}

fn shadow_preflight(c: &Cluster) -> crate::core::ops::shadow::ShadowPreflight {
    use crate::core::ops::shadow::{HostFacts, ShadowPreflight, derive};
    let facts = c
        .hosts
        .iter()
        .map(|h| {
            (
                h.name.clone(),
                HostFacts {
                    boot_id: "one".into(),
                    mem_available: 64 << 30,
                    listening: Default::default(),
                    ephemeral: None,
                },
            )
        })
        .collect();
    let mut base = preflight();
    base.to = Version::new(2, 3, 0);
    base.from = Version::new(2, 2, 0);
    ShadowPreflight {
        derived: derive(c, &base.to, &facts, None),
        base,
        from_cluster_id: c.ha.cluster_id.clone(),
    }
}

fn shadow_journal(
    c: &Cluster,
    p: &Plan,
    pre: &crate::core::ops::shadow::ShadowPreflight,
) -> JournalData {
    JournalData::new(
        p.clone(),
        serde_json::to_value(UpgradeParams {
            from: pre.base.from,
            to: pre.base.to,
            from_layout: c.deployment.clone(),
            shadow: Some(pre.derived.layout.clone()),
            cluster_ids: Some((c.ha.cluster_id.clone(), "/new".into())),
        })
        .unwrap(),
    )
}

fn settle(j: &mut JournalData, upto: &str) {
    for s in j.plan.steps.clone() {
        if j.outcome(&s.id).is_some() || j.skipped(&s.id) {
            continue;
        }
        j.entries.push(Entry::Intent {
            step: s.id.clone(),
            at_ms: 1,
        });
        if s.id == upto {
            j.entries.push(Entry::Failed {
                step: s.id.clone(),
                at_ms: 2,
                kind: crate::core::ErrorKind::Refused,
                error: "it restarted".into(),
            });
            return;
        }
        let outcome = match &s.action {
            Action::StopJob { .. } => {
                serde_json::json!({"path": format!("file:/sp/{}", s.id), "requested_ms": 1, "job_state": "FINISHED"})
            }
            Action::RunJob { new_job_id, .. } => {
                serde_json::json!({"job_id": new_job_id, "running_ms": 5, "restored_from": "x", "adopted": false})
            }
            _ => serde_json::json!({}),
        };
        j.entries.push(Entry::Done {
            step: s.id.clone(),
            at_ms: 3,
            outcome,
        });
    }
}

#[test]
fn shadow_plan_moves_jobs_one_at_a_time_and_activates_last() {
    let c = cluster();
    let pre = shadow_preflight(&c);
    let p = crate::core::ops::shadow::plan(&c, &pre, &UpgradeOptions::default());
    let ids = ids(&p);
    assert_eq!(
        ids[..4],
        [
            "install/2.3.0",
            "prepare/v2.3.0",
            "start-daemons/2.3.0",
            "upload-jars/2.3.0"
        ]
    );
    // Each job: stop, run, verify, before the next one is stopped.
    assert!(
        ids[4].starts_with("stop-job/a@")
            && ids[5].starts_with("run-job/a@")
            && ids[6].starts_with("verify-job/a@")
    );
    assert!(ids[7].starts_with("stop-job/b@") && ids[9].starts_with("verify-job/b@"));
    assert_eq!(ids.last().unwrap(), "activate/2.3.0");
    // Only the stop and run of a job are downtime; the shadow's start is not.
    assert!(
        !p.steps[2].downtime && !p.steps[3].downtime && p.steps[4].downtime && !p.steps[6].downtime
    );
    assert!(
        p.render().contains("cluster-id /flinkha-demo-v2.3.0"),
        "{}",
        p.render()
    );
}

#[test]
fn a_failed_move_goes_back_and_stops_or_continues() {
    use crate::core::ops::shadow::amend_move_back;
    let c = cluster();
    let pre = shadow_preflight(&c);
    let p = crate::core::ops::shadow::plan(&c, &pre, &UpgradeOptions::default());
    let verify_a = p.steps[6].id.clone();
    // Stop: a goes back; b is not touched; the shadow is not activated.
    let mut j = shadow_journal(&c, &p, &pre);
    settle(&mut j, &verify_a);
    let name = amend_move_back(&mut j, &verify_a, false, 2).unwrap();
    assert_eq!(name, "a");
    let next: Vec<String> = j.plan.steps[j.next_step().unwrap()..]
        .iter()
        .filter(|s| j.outcome(&s.id).is_none() && !j.skipped(&s.id))
        .map(|s| s.id.clone())
        .collect();
    assert_eq!(next.len(), 3, "{next:?}");
    assert!(
        next[0].starts_with("cancel-job/a@")
            && next[1].starts_with("run-job-back/a@")
            && next[2].starts_with("verify-job-back/a@")
    );
    assert!(j.skipped(&verify_a) && j.skipped("activate/2.3.0"));
    match &j.plan.step(&next[1]).unwrap().action {
        Action::RunJob {
            version,
            savepoint_of,
            ..
        } => {
            assert_eq!(*version, Version::new(2, 2, 0));
            assert!(savepoint_of.starts_with("stop-job/a@"));
        }
        other => panic!("{other:?}"),
    }
    // The rollback of that journal skips a (already back) and has nothing of b to move.
    settle(&mut j, "");
    let rb = rollback_plan(&c, &j, &UpgradeOptions::default()).unwrap();
    assert!(
        !ids(&rb)
            .iter()
            .any(|s| s.contains("/a@") || s.contains("/b@")),
        "{:?}",
        ids(&rb)
    );
    // Continue: a goes back, b still moves, only the activation is skipped.
    let mut j = shadow_journal(&c, &p, &pre);
    settle(&mut j, &verify_a);
    amend_move_back(&mut j, &verify_a, true, 2).unwrap();
    assert!(j.skipped("activate/2.3.0"));
    assert!(
        !j.plan
            .steps
            .iter()
            .any(|s| s.id.starts_with("stop-job/b@") && j.skipped(&s.id))
    );
    settle(&mut j, "");
    assert_eq!(j.next_step(), None);
    // Rolling that back: b (moved) comes back, a (back already) is left alone.
    let rb = rollback_plan(&c, &j, &UpgradeOptions::default()).unwrap();
    let rb_ids = ids(&rb);
    assert_eq!(rb_ids[0], "start-daemons/2.2.0");
    assert!(
        rb_ids.iter().any(|s| s.starts_with("run-job/b@")),
        "{rb_ids:?}"
    );
    assert!(!rb_ids.iter().any(|s| s.contains("/a@")), "{rb_ids:?}");
    assert_eq!(rb_ids.last().unwrap(), "activate/2.2.0");
    let report = report(&j);
    let a = report.jobs.iter().find(|r| r.name == "a").unwrap();
    assert!(a.moved_back && a.verified, "{report:?}");
    let b = report.jobs.iter().find(|r| r.name == "b").unwrap();
    assert!(
        !b.moved_back && b.new_cluster_id.as_deref() == Some("/new"),
        "{report:?}"
    );
}
