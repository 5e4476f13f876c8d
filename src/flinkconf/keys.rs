//! Which configuration keys a Flink version knows.
//!
//! The lists are generated from the real Flink jars by `tools/flink-keys/DumpKeys.java` (every
//! public static `ConfigOption` field in `lib/*.jar` and `opt/*.jar`: the option's key, and its
//! fallback keys with `FallbackKey#isDeprecated()`; options whose field is `@Deprecated` are
//! listed as deprecated). One line per key: `key<TAB>current|deprecated<TAB>replacement`.
//! - `keys/flink-2.1.txt`: Flink 2.1.0, used for every 2.x version;
//! - `keys/flink-1.20.txt`: Flink 1.20.5, used for every 1.x version (keys added after the
//!   configured 1.x release are therefore accepted too).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::version::Version;

const FLINK_2_1: &str = include_str!("keys/flink-2.1.txt");
const FLINK_1_20: &str = include_str!("keys/flink-1.20.txt");

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

fn list_2x() -> &'static KeyList {
    static L: OnceLock<KeyList> = OnceLock::new();
    L.get_or_init(|| load(FLINK_2_1))
}

fn list_1x() -> &'static KeyList {
    static L: OnceLock<KeyList> = OnceLock::new();
    L.get_or_init(|| load(FLINK_1_20))
}

/// Number of keys in the list used for `version` (current + deprecated).
pub fn key_count(version: &Version) -> usize {
    if version.major >= 2 {
        list_2x().keys.len()
    } else {
        list_1x().keys.len()
    }
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

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest current key to `key`, if within a few edits (case-insensitive).
fn suggest(list: &KeyList, key: &str) -> Option<String> {
    let lower = key.to_ascii_lowercase();
    let limit = (key.chars().count() / 5).clamp(2, 6);
    list.current
        .iter()
        .map(|k| (levenshtein(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, k)| (*d, k.len()))
        .map(|(_, k)| k.to_string())
}

/// Classify `key` for Flink `version`: 2.x versions use the Flink 2.1 list (and report keys of
/// the 1.20 list that 2.x dropped as [`KeyStatus::RemovedIn2`]); 1.x versions use the 1.20 list.
/// Dynamic families (`metrics.reporter.*`, `env.java.opts.*`, `containerized.*.env.*`, `s3.*`,
/// `fs.*`, `kubernetes.*`, `pipeline.global-job-parameters.*`, `plugin.*`, script-only keys such
/// as `env.java.home`, ...) are [`KeyStatus::Known`].
pub fn classify_key(version: &Version, key: &str) -> KeyStatus {
    let list = if version.major >= 2 {
        list_2x()
    } else {
        list_1x()
    };
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
    if version.major >= 2
        && let Some((_, replacement)) = list_1x().keys.get(key)
    {
        let replacement = (!replacement.is_empty() && list.keys.contains_key(replacement))
            .then(|| replacement.to_string());
        return KeyStatus::RemovedIn2 { replacement };
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
        for text in [FLINK_2_1, FLINK_1_20] {
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
}
