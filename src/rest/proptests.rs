//! Property tests of the JobManager's REST answers as flinkha reads them (issue 10): the
//! serde structs must read back what they write, take any JSON without panicking, and the
//! helpers that pick answers apart (`TaskManagerInfo::host`, `error_text`, `strip_stack`)
//! must not panic on any text.

use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::jobs::{
    CheckpointCounts, CheckpointStats, CompletedCheckpoint, JobDetails, LatestCheckpoints,
    RestoredCheckpoint, Vertex,
};
use super::verify::ExceptionEntry;
use super::{JobSummary, Overview, TaskManagerInfo, error_text, strip_stack};
use crate::proptest_config as config;

/// Arbitrary JSON values, nested a few levels.
fn json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            prop::collection::btree_map(field_name(), inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Field names of the answers flinkha reads, so that objects come near the real shapes.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(&[
            "taskmanagers", "slots-total", "slots-available", "jobs-running", "flink-version",
            "id", "path", "slotsNumber", "freeSlots", "jid", "name", "state", "start-time",
            "end-time", "duration", "isStoppable", "vertices", "parallelism", "status",
            "counts", "latest", "completed", "savepoint", "restored", "external_path",
            "trigger_timestamp", "errors", "jobs", "exceptionHistory", "entries",
            "exceptionName", "timestamp", "operation", "failure-cause", "stack-trace",
        ][..]).prop_map(str::to_string),
        1 => any::<String>(),
    ]
}

fn read_any<T: DeserializeOwned>(text: &str) {
    let _ = serde_json::from_str::<T>(text);
}

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    v: &T,
) -> Result<(), TestCaseError> {
    let text = serde_json::to_string(v).expect("serializes");
    let back: T = serde_json::from_str(&text)
        .map_err(|e| TestCaseError::fail(format!("{e} reading back {text}")))?;
    prop_assert_eq!(&back, v);
    Ok(())
}

fn vertex() -> impl Strategy<Value = Vertex> {
    (
        any::<String>(),
        any::<String>(),
        any::<u32>(),
        any::<String>(),
        any::<i64>(),
    )
        .prop_map(|(id, name, parallelism, status, duration)| Vertex {
            id,
            name,
            parallelism,
            status,
            duration,
        })
}

fn job_details() -> impl Strategy<Value = JobDetails> {
    (
        (any::<String>(), any::<String>(), any::<String>()),
        any::<(i64, i64, i64, bool)>(),
        prop::collection::vec(vertex(), 0..4),
    )
        .prop_map(
            |((jid, name, state), (start_time, end_time, duration, is_stoppable), vertices)| {
                JobDetails {
                    jid,
                    name,
                    state,
                    start_time,
                    end_time,
                    duration,
                    is_stoppable,
                    vertices,
                }
            },
        )
}

fn completed() -> impl Strategy<Value = CompletedCheckpoint> {
    (
        any::<u64>(),
        prop::option::of(any::<String>()),
        prop::option::of(any::<i64>()),
        any::<(bool, bool, i64)>(),
        prop::option::of(any::<String>()),
    )
        .prop_map(
            |(
                id,
                status,
                trigger_timestamp,
                (discarded, is_savepoint, latest_ack_timestamp),
                external_path,
            )| {
                CompletedCheckpoint {
                    id,
                    status,
                    trigger_timestamp,
                    discarded,
                    is_savepoint,
                    latest_ack_timestamp,
                    external_path,
                }
            },
        )
}

fn checkpoint_stats() -> impl Strategy<Value = CheckpointStats> {
    (
        any::<(u64, u64, u64, u64, u64)>(),
        prop::option::of(completed()),
        prop::option::of(completed()),
        prop::option::of((
            any::<u64>(),
            any::<i64>(),
            any::<bool>(),
            prop::option::of(any::<String>()),
        )),
    )
        .prop_map(
            |((restored, total, in_progress, done, failed), completed, savepoint, r)| {
                CheckpointStats {
                    counts: CheckpointCounts {
                        restored,
                        total,
                        in_progress,
                        completed: done,
                        failed,
                    },
                    latest: LatestCheckpoints {
                        completed,
                        savepoint,
                        restored: r.map(|(id, restore_timestamp, is_savepoint, external_path)| {
                            RestoredCheckpoint {
                                id,
                                restore_timestamp,
                                is_savepoint,
                                external_path,
                            }
                        }),
                    },
                }
            },
        )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn answers_from_any_json_never_panic(v in json(), text in any::<String>()) {
        let v = v.to_string();
        for t in [v.as_str(), text.as_str()] {
            read_any::<Overview>(t);
            read_any::<TaskManagerInfo>(t);
            read_any::<JobSummary>(t);
            read_any::<JobDetails>(t);
            read_any::<CheckpointStats>(t);
            read_any::<ExceptionEntry>(t);
            let _ = error_text(t);
        }
    }

    #[test]
    fn error_text_and_strip_stack_never_panic(
        errors in prop::collection::vec(any::<String>(), 0..4),
        text in any::<String>(),
    ) {
        let body = serde_json::json!({ "errors": errors }).to_string();
        let _ = error_text(&body);
        let _ = error_text(&text);
        let _ = strip_stack(&text);
    }

    #[test]
    fn overview_round_trips(n in any::<[u32; 7]>(), version in any::<String>()) {
        round_trip(&Overview {
            taskmanagers: n[0],
            slots_total: n[1],
            slots_available: n[2],
            jobs_running: n[3],
            jobs_finished: n[4],
            jobs_cancelled: n[5],
            jobs_failed: n[6],
            flink_version: version,
        })?;
    }

    #[test]
    fn taskmanager_host_never_panics(path in any::<String>()) {
        let tm = TaskManagerInfo { id: String::new(), path, slots_number: 1, free_slots: 0 };
        let _ = tm.host();
        round_trip(&tm)?;
    }

    #[test]
    fn taskmanager_host_of_rpc_address(
        host in "[a-z0-9][a-z0-9.-]{0,20}|[0-9a-f]{1,4}(:[0-9a-f]{0,4}){2,6}",
        port in any::<u16>(),
        scheme in prop::sample::select(&["pekko.tcp", "akka.tcp", "pekko.ssl.tcp"][..]),
    ) {
        let shown = if host.contains(':') { format!("[{host}]") } else { host.clone() };
        let tm = TaskManagerInfo {
            id: "tm".into(),
            path: format!("{scheme}://flink@{shown}:{port}/user/rpc/taskmanager_0"),
            slots_number: 1,
            free_slots: 0,
        };
        prop_assert_eq!(tm.host(), Some(host.as_str()));
    }
}

proptest! {
    // Many long strings per case: the slowest of the property tests, so fewer cases.
    #![proptest_config(ProptestConfig { cases: config().cases / 4, ..config() })]

    #[test]
    fn job_answers_round_trip(
        d in job_details(),
        c in checkpoint_stats(),
        s in (any::<String>(), any::<String>(), any::<String>(), any::<(i64, i64)>()),
        e in (any::<String>(), any::<i64>()),
        n in any::<[u32; 2]>(),
    ) {
        round_trip(&d)?;
        round_trip(&c)?;
        round_trip(&JobSummary { jid: s.0, name: s.1, state: s.2, start_time: s.3.0, duration: s.3.1, tasks: crate::rest::TaskCounts { total: n[0], running: n[1] } })?;
        round_trip(&ExceptionEntry { name: e.0, timestamp: e.1 })?;
        let _ = d.fully_running();
    }
}
