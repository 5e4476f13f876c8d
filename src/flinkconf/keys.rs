//! Which configuration keys a Flink version knows.
//!
//! The lists are generated from the real Flink jars by `tools/flink-keys/DumpKeys.java` (every
//! public static `ConfigOption` field in `lib/*.jar` and `opt/*.jar`: the option's key, and its
//! fallback keys with `FallbackKey#isDeprecated()`; options whose field is `@Deprecated` are
//! listed as deprecated). One line per key: `key<TAB>current|deprecated<TAB>replacement`.
//! - `keys/flink-2.3.txt`: Flink 2.3.0, used for 2.3.x and every later version;
//! - `keys/flink-2.2.txt`: Flink 2.2.0, used for 2.2.x;
//! - `keys/flink-2.1.txt`: Flink 2.1.0, used for 2.1.x and 2.0.x (there is no 2.0 list);
//! - `keys/flink-1.20.txt`: Flink 1.20.5, used for every 1.x version (keys added after the
//!   configured 1.x release are therefore accepted too).
//!
//! A key that an older list has and the version's list lacks is reported as removed:
//! [`KeyStatus::RemovedIn2`] when the 2.x lists never had it (Flink 2.0 dropped it),
//! [`KeyStatus::Removed`] when an earlier 2.x list had it (e.g. `traces.report-events-as-spans`,
//! deprecated in 2.1.0 and gone from 2.2.0).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::version::Version;

const FLINK_2_3: &str = include_str!("keys/flink-2.3.txt");
const FLINK_2_2: &str = include_str!("keys/flink-2.2.txt");
const FLINK_2_1: &str = include_str!("keys/flink-2.1.txt");
const FLINK_1_20: &str = include_str!("keys/flink-1.20.txt");

/// The 2.x lists, oldest first: the release each was generated from, and its text.
const LISTS_2X: [(Version, &str); 3] = [
    (Version::new(2, 1, 0), FLINK_2_1),
    (Version::new(2, 2, 0), FLINK_2_2),
    (Version::new(2, 3, 0), FLINK_2_3),
];

/// What a Flink version makes of a configuration key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum KeyStatus {
    /// A current key of a `ConfigOption`, or a key of a family Flink reads dynamically
    /// (`metrics.reporter.<name>.*`, `s3.*`, ...), or a key read by `bin/config.sh`.
    Known,
    /// Still read, but deprecated: a deprecated fallback key of an option, or the key of an
    /// option deprecated as a whole (`replacement` then `None`: Flink names none).
    Deprecated {
        /// The key to use instead.
        replacement: Option<String>,
    },
    /// Known to Flink 1.20, no longer read by Flink 2.x (only returned for 2.x versions).
    RemovedIn2 {
        /// The 2.x key that replaces it, when 1.20 named one that 2.x still has.
        replacement: Option<String>,
    },
    /// Read by an earlier 2.x release, no longer read by this one: the key is in the list of
    /// an older 2.x release and not in this version's list (only returned for 2.2 and later).
    Removed {
        /// The first release whose list lacks the key (`2.2.0` for a key 2.1.0 still had).
        since: Version,
        /// The key that replaces it, when the last list that had the key named one that this
        /// version still reads.
        replacement: Option<String>,
    },
    /// Not a key this version reads.
    Unknown {
        /// The closest known key by edit distance, when one is close.
        suggestion: Option<String>,
    },
}

struct KeyList {
    /// key → (deprecated?, replacement or "").
    keys: HashMap<&'static str, (bool, &'static str)>,
    /// Current keys in file (sorted) order, for suggestions.
    current: Vec<&'static str>,
}

fn load(text: &'static str) -> KeyList {
    let mut keys = HashMap::new();
    let mut current = Vec::new();
    for line in text.lines() {
        let mut parts = line.split('\t');
        let (Some(key), Some(status)) = (parts.next(), parts.next()) else {
            continue;
        };
        let replacement = parts.next().unwrap_or("");
        let deprecated = status == "deprecated";
        if !deprecated {
            current.push(key);
        }
        keys.insert(key, (deprecated, replacement));
    }
    KeyList { keys, current }
}

/// The parsed 2.x lists, in the order of [`LISTS_2X`].
fn lists_2x() -> &'static [KeyList] {
    static L: OnceLock<Vec<KeyList>> = OnceLock::new();
    L.get_or_init(|| LISTS_2X.iter().map(|(_, text)| load(text)).collect())
}

fn list_1x() -> &'static KeyList {
    static L: OnceLock<KeyList> = OnceLock::new();
    L.get_or_init(|| load(FLINK_1_20))
}

/// Index in [`LISTS_2X`] of the list used for a 2.x (or later) `version`: the newest list
/// generated from a release at or before `version.major.minor`, the oldest list for versions
/// older than every list (2.0.x), the newest for versions newer than every list.
fn index_2x(version: &Version) -> usize {
    LISTS_2X
        .iter()
        .rposition(|(v, _)| version.at_least(v.major, v.minor))
        .unwrap_or(0)
}

/// The list used for `version`, and its index in [`LISTS_2X`] (`None` for 1.x).
fn list_for(version: &Version) -> (&'static KeyList, Option<usize>) {
    if version.major >= 2 {
        let i = index_2x(version);
        (&lists_2x()[i], Some(i))
    } else {
        (list_1x(), None)
    }
}

/// The Flink release whose key list [`classify_key`] uses for `version`: `2.3.0` for 2.3.x and
/// later, `2.2.0` for 2.2.x, `2.1.0` for 2.0.x and 2.1.x, `1.20.5` for 1.x.
pub fn key_list_version(version: &Version) -> Version {
    if version.major >= 2 {
        LISTS_2X[index_2x(version)].0
    } else {
        Version::new(1, 20, 5)
    }
}

/// Number of keys in the list used for `version` (current + deprecated).
pub fn key_count(version: &Version) -> usize {
    list_for(version).0.keys.len()
}

/// Key prefixes Flink reads without a `ConfigOption` per key: plugin and reporter families,
/// file-system plugin options (forwarded to Hadoop/Presto configs), map-typed options written as
/// `option.<map-key>` (`ConfigurationUtils` prefix maps), per-endpoint SQL gateway options.
const DYNAMIC_PREFIXES: &[&str] = &[
    "metrics.reporter.",
    "traces.reporter.",
    "events.reporter.",
    "env.java.opts.",
    "env.java.default-opts.",
    "s3.",
    "s3a.",
    "s3n.",
    "fs.",
    "gs.",
    "oss.",
    "presto.",
    "flink.hadoop.",
    "flink.yarn.",
    "kubernetes.",
    "pipeline.global-job-parameters.",
    "plugin.",
    "external-resource.",
    "sql-gateway.endpoint.",
    "$internal.",
];

/// Keys read only by Flink's shell scripts (`bin/config.sh`, `bin/bash-java-utils.sh`).
const SCRIPT_KEYS: &[&str] = &[
    "env.java.home",
    "env.pid.dir",
    "env.log.dir",
    "env.log.max",
    "env.log.level",
    "env.ssh.opts",
    "env.hadoop.conf.dir",
    "env.yarn.conf.dir",
    "env.hbase.conf.dir",
    "env.stdout-err.redirect-to-file",
    "zookeeper.heap.mb",
    "taskmanager.compute.numa",
];

fn is_dynamic(key: &str) -> bool {
    if SCRIPT_KEYS.contains(&key) || DYNAMIC_PREFIXES.iter().any(|p| key.starts_with(p)) {
        return true;
    }
    // containerized.master.env.FOO / containerized.taskmanager.env.FOO
    key.starts_with("containerized.") && key.contains(".env.")
}

/// The closest current key to `key`, if within a few edits (case-insensitive).
fn suggest(list: &KeyList, key: &str) -> Option<String> {
    let lower = key.to_ascii_lowercase();
    let limit = (key.chars().count() / 5).clamp(2, 6);
    list.current
        .iter()
        .map(|k| (strsim::levenshtein(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, k)| (*d, k.len()))
        .map(|(_, k)| k.to_string())
}

/// Classify `key` for Flink `version`, with the list of [`key_list_version`]: 2.3.x and later use
/// the Flink 2.3 list, 2.2.x the 2.2 list, 2.0.x and 2.1.x the 2.1 list, 1.x the 1.20 list. For
/// 2.x versions, a key of an older 2.x list missing from the version's list is
/// [`KeyStatus::Removed`], and a key of the 1.20 list that no 2.x list up to the version's has is
/// [`KeyStatus::RemovedIn2`].
/// Dynamic families (`metrics.reporter.*`, `env.java.opts.*`, `containerized.*.env.*`, `s3.*`,
/// `fs.*`, `kubernetes.*`, `pipeline.global-job-parameters.*`, `plugin.*`, script-only keys such
/// as `env.java.home`, ...) are [`KeyStatus::Known`].
pub fn classify_key(version: &Version, key: &str) -> KeyStatus {
    let (list, index) = list_for(version);
    if let Some((deprecated, replacement)) = list.keys.get(key) {
        return if *deprecated {
            KeyStatus::Deprecated {
                replacement: (!replacement.is_empty()).then(|| replacement.to_string()),
            }
        } else {
            KeyStatus::Known
        };
    }
    if is_dynamic(key) {
        return KeyStatus::Known;
    }
    let replacement_in = |replacement: &str| {
        (!replacement.is_empty() && list.keys.contains_key(replacement))
            .then(|| replacement.to_string())
    };
    if let Some(index) = index {
        // The newest older 2.x list that still has the key: removed in the list after it.
        let older = &lists_2x()[..index];
        if let Some(last) = older.iter().rposition(|l| l.keys.contains_key(key)) {
            let (_, replacement) = older[last].keys[key];
            return KeyStatus::Removed {
                since: LISTS_2X[last + 1].0,
                replacement: replacement_in(replacement),
            };
        }
    }
    if version.major >= 2
        && let Some((_, replacement)) = list_1x().keys.get(key)
    {
        return KeyStatus::RemovedIn2 {
            replacement: replacement_in(replacement),
        };
    }
    KeyStatus::Unknown {
        suggestion: suggest(list, key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V2: Version = Version::new(2, 1, 0);
    const V1: Version = Version::new(1, 20, 0);

    #[test]
    fn lists_are_big_and_well_formed() {
        assert!(key_count(&V2) > 1000, "{}", key_count(&V2));
        assert!(key_count(&V1) > 1000, "{}", key_count(&V1));
        for text in [FLINK_2_3, FLINK_2_2, FLINK_2_1, FLINK_1_20] {
            for line in text.lines() {
                let parts: Vec<&str> = line.split('\t').collect();
                assert_eq!(parts.len(), 3, "{line:?}");
                assert!(matches!(parts[1], "current" | "deprecated"), "{line:?}");
            }
        }
    }

    #[test]
    fn classifies() {
        for k in [
            "high-availability.type",
            "high-availability.storageDir",
            "high-availability.zookeeper.quorum",
            "jobmanager.rpc.address",
            "rest.port",
            "taskmanager.numberOfTaskSlots",
            "env.java.opts.all",
            "execution.checkpointing.dir",
        ] {
            assert_eq!(classify_key(&V2, k), KeyStatus::Known, "{k}");
            assert_eq!(classify_key(&V1, k), KeyStatus::Known, "{k}");
        }
        // Still read by 2.1 as deprecated fallback keys (HighAvailabilityOptions.HA_MODE,
        // StateBackendOptions.STATE_BACKEND, CheckpointingOptions).
        assert_eq!(
            classify_key(&V2, "high-availability"),
            KeyStatus::Deprecated {
                replacement: Some("high-availability.type".into())
            }
        );
        assert_eq!(
            classify_key(&V2, "state.backend"),
            KeyStatus::Deprecated {
                replacement: Some("state.backend.type".into())
            }
        );
        assert_eq!(
            classify_key(&V1, "state.checkpoints.dir"),
            KeyStatus::Deprecated {
                replacement: Some("execution.checkpointing.dir".into())
            }
        );
        assert!(matches!(
            classify_key(&V2, "taskmanager.heap.size"),
            KeyStatus::RemovedIn2 { .. }
        ));
        assert!(matches!(
            classify_key(&V1, "taskmanager.heap.size"),
            KeyStatus::Deprecated { .. }
        ));
        assert_eq!(
            classify_key(&V2, "state.backend.rocksdb.checkpointdir"),
            KeyStatus::RemovedIn2 {
                replacement: Some("state.backend.rocksdb.localdir".into())
            }
        );
        assert_eq!(
            classify_key(&V2, "taskmanager.numberOfTaskSlot"),
            KeyStatus::Unknown {
                suggestion: Some("taskmanager.numberOfTaskSlots".into())
            }
        );
        assert_eq!(
            classify_key(&V2, "high-availability.storagedir"),
            KeyStatus::Unknown {
                suggestion: Some("high-availability.storageDir".into())
            }
        );
        assert_eq!(
            classify_key(&V2, "completely.made.up.thing"),
            KeyStatus::Unknown { suggestion: None }
        );
        for k in [
            "metrics.reporter.prom.factory.class",
            "metrics.reporter.prom.port",
            "containerized.master.env.JAVA_HOME",
            "containerized.taskmanager.env.FOO",
            "s3.access-key",
            "fs.s3a.endpoint",
            "env.java.home",
            "env.pid.dir",
            "pipeline.global-job-parameters.foo",
            "zookeeper.heap.mb",
        ] {
            assert_eq!(classify_key(&V2, k), KeyStatus::Known, "{k}");
        }
    }

    const V22: Version = Version::new(2, 2, 0);
    const V23: Version = Version::new(2, 3, 0);

    #[test]
    fn picks_the_list_per_version() {
        for (v, list) in [
            ("1.18.1", "1.20.5"),
            ("1.20.3", "1.20.5"),
            ("2.0.0", "2.1.0"),
            ("2.1.1", "2.1.0"),
            ("2.2.0", "2.2.0"),
            ("2.2.1", "2.2.0"),
            ("2.3.0", "2.3.0"),
            ("2.3.2", "2.3.0"),
            ("2.4.0", "2.3.0"),
            ("3.0.0", "2.3.0"),
        ] {
            let v: Version = v.parse().unwrap();
            assert_eq!(key_list_version(&v).to_string(), list, "{v}");
        }
        // The counts of tools/flink-keys/README.md.
        assert_eq!(key_count(&V1), 1160);
        assert_eq!(key_count(&V2), 1213);
        assert_eq!(key_count(&Version::new(2, 0, 1)), 1213);
        assert_eq!(key_count(&V22), 1235);
        assert_eq!(key_count(&Version::new(2, 2, 3)), 1235);
        assert_eq!(key_count(&V23), 1268);
        assert_eq!(key_count(&Version::new(2, 5, 0)), 1268);
    }

    #[test]
    fn classifies_per_2x_release() {
        // ClusterOptions.CLUSTER_ID: new in 2.3.0.
        assert!(matches!(
            classify_key(&V2, "cluster.id"),
            KeyStatus::Unknown { .. }
        ));
        assert!(matches!(
            classify_key(&V22, "cluster.id"),
            KeyStatus::Unknown { .. }
        ));
        assert_eq!(classify_key(&V23, "cluster.id"), KeyStatus::Known);
        // New in 2.2.0.
        let k = "high-availability.zookeeper.client.max-retry-wait";
        assert!(matches!(classify_key(&V2, k), KeyStatus::Unknown { .. }));
        assert_eq!(classify_key(&V22, k), KeyStatus::Known);
        assert_eq!(classify_key(&V23, k), KeyStatus::Known);
        // TraceOptions.REPORT_EVENTS_AS_SPANS: deprecated in 1.20 and 2.1.0, gone in 2.2.0.
        let k = "traces.report-events-as-spans";
        assert_eq!(
            classify_key(&V1, k),
            KeyStatus::Deprecated { replacement: None }
        );
        assert_eq!(
            classify_key(&V2, k),
            KeyStatus::Deprecated { replacement: None }
        );
        for v in [V22, V23, Version::new(2, 4, 0)] {
            assert_eq!(
                classify_key(&v, k),
                KeyStatus::Removed {
                    since: V22,
                    replacement: None
                },
                "{v}"
            );
        }
        // Renamed in 2.2.0 (deprecated fallback key of the new option).
        let k = "table.exec.async-scalar.buffer-capacity";
        assert_eq!(classify_key(&V2, k), KeyStatus::Known);
        assert_eq!(
            classify_key(&V22, k),
            KeyStatus::Deprecated {
                replacement: Some("table.exec.async-scalar.max-concurrent-operations".into())
            }
        );
        // Renamed in 2.3.0: jobstore.* → completed-application-store.*.
        assert_eq!(classify_key(&V22, "jobstore.type"), KeyStatus::Known);
        assert_eq!(
            classify_key(&V23, "jobstore.type"),
            KeyStatus::Deprecated {
                replacement: Some("completed-application-store.type".into())
            }
        );
        // Deprecated as a whole in 2.3.0 (the field is @Deprecated; Flink names no key).
        assert_eq!(
            classify_key(&V22, "security.ssl.verify-hostname"),
            KeyStatus::Known
        );
        assert_eq!(
            classify_key(&V23, "security.ssl.verify-hostname"),
            KeyStatus::Deprecated { replacement: None }
        );
        // Removed in 2.0 stays RemovedIn2 on every 2.x list.
        for v in [V2, V22, V23] {
            assert_eq!(
                classify_key(&v, "security.ssl.enabled"),
                KeyStatus::RemovedIn2 { replacement: None },
                "{v}"
            );
        }
        let json =
            serde_json::to_string(&classify_key(&V23, "traces.report-events-as-spans")).unwrap();
        assert_eq!(
            json,
            r#"{"status":"removed","since":"2.2.0","replacement":null}"#
        );
    }
}
