//! The Flink-configuration side of an upgrade preflight: what changes when a conf dir written
//! for one Flink version is used by another.
//!
//! - [`compatibility`] says how two versions relate (same, patch, minor, major, downgrade);
//! - [`target_findings`] lists what the target version makes of the conf dir: the config file it
//!   no longer reads, keys it no longer reads, keys it reads only as deprecated fallbacks;
//! - [`migrate_legacy_config`] gives the `config.yaml` that Flink's `bin/migrate-config-file.sh`
//!   makes from a legacy `flink-conf.yaml`, for a plan to show as a diff.
//!
//! Which keys a version reads comes from the key lists generated from the real Flink jars
//! ([`classify_key`], `tools/flink-keys/`); which file it reads from [`select_config_file`]'s
//! rules. Nothing here touches the network; [`target_findings`] only checks whether the other
//! configuration file exists in the conf dir.
//!
//! [`select_config_file`]: super::select_config_file

use std::borrow::Cow;
use std::cmp::Ordering;
use std::path::Path;

use serde::Serialize;

use super::confdir::ConfDir;
use super::config::{CONFIG_YAML, ConfEntry, ConfFormat, ConfValue, FLINK_CONF_YAML, FlinkConfig};
use super::error::Finding;
use super::keys::{KeyStatus, classify_key};
use super::version::Version;
use super::yaml::{Plain, quote, resolve_plain};

/// How two Flink versions relate for an upgrade.
///
/// Only the version numbers decide (`major.minor.patch`, compared numerically). What each step
/// means for a cluster, per Flink's own documentation:
/// - a patch release is a bugfix release of the same `major.minor` line (Flink's release
///   policy: `x.y.z` releases carry fixes only);
/// - a minor upgrade keeps the major version: savepoints of the previous minor releases of the
///   same major version are restorable (the compatibility table of Flink's "Upgrading
///   Applications and Flink Versions" page), configuration keys may be deprecated or added;
/// - a major upgrade (1.x → 2.x) breaks compatibility: "State Compatibility is not guaranteed
///   between 1.x and 2.x", `flink-conf.yaml` is no longer read and deprecated options were
///   removed (Flink 2.0 release notes, "Misc" and "Configuration");
/// - a downgrade is not covered by any Flink compatibility guarantee (the compatibility table
///   lists only restoring in the same or a later version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compatibility {
    /// The same version.
    Same,
    /// Same `major.minor`, a later patch release (e.g. 2.2.0 → 2.2.1).
    Patch,
    /// Same major, a later minor release (e.g. 2.1.0 → 2.2.0).
    Minor,
    /// A later major release (e.g. 1.20.1 → 2.1.0).
    Major,
    /// An older version than the one running (e.g. 2.2.0 → 2.1.0).
    Downgrade,
}

impl Compatibility {
    /// The variant's name as serialized: `same`, `patch`, `minor`, `major` or `downgrade`.
    pub fn label(self) -> &'static str {
        match self {
            Compatibility::Same => "same",
            Compatibility::Patch => "patch",
            Compatibility::Minor => "minor",
            Compatibility::Major => "major",
            Compatibility::Downgrade => "downgrade",
        }
    }
}

/// from → to: [`Compatibility::Downgrade`] when `to` is older than `from` (numeric
/// `major.minor.patch` order), [`Compatibility::Same`] when equal, else the most significant
/// of major, minor and patch that differs.
pub fn compatibility(from: &Version, to: &Version) -> Compatibility {
    match to.cmp(from) {
        Ordering::Equal => Compatibility::Same,
        Ordering::Less => Compatibility::Downgrade,
        Ordering::Greater if to.major != from.major => Compatibility::Major,
        Ordering::Greater if to.minor != from.minor => Compatibility::Minor,
        Ordering::Greater => Compatibility::Patch,
    }
}

/// What to set instead of keys that Flink 2.0 removed without naming a replacement key in the
/// 1.20 jars (the 1.20 `ConfigOption` fields are `@Deprecated` without fallback): the keys are in
/// the "List of removed configuration options" of the Flink 2.0 release notes; the
/// replacements are those of Flink's memory setup guide (`jobmanager.memory.*`,
/// `taskmanager.memory.*`, FLIP-49/FLIP-116) and SSL setup guide (`security.ssl.internal.*`,
/// `security.ssl.rest.*`).
///
/// Not listed on purpose: `web.port`, `web.address` and `taskmanager.network.memory.{fraction,
/// min,max}` are in that release-notes list too (their `ConfigOption` fields were removed), but
/// Flink 2.1–2.3 still read the keys as fallback keys of `rest.port`/`rest.bind-port`,
/// `rest.bind-address` and `taskmanager.memory.network.*` (the generated key lists; checked
/// with a `Configuration` holding `web.port` on the 2.1.0 and 2.3.0 jars), so they are
/// deprecated or current keys there, not removed ones.
const REMOVED_IN_2_HINTS: &[(&str, &str)] = &[
    (
        "jobmanager.heap.size",
        "set `jobmanager.memory.process.size` (the whole JobManager process) or \
         `jobmanager.memory.heap.size` (its JVM heap)",
    ),
    (
        "jobmanager.heap.mb",
        "set `jobmanager.memory.process.size` (the whole JobManager process) or \
         `jobmanager.memory.heap.size` (its JVM heap)",
    ),
    (
        "taskmanager.heap.size",
        "set `taskmanager.memory.process.size` (the whole TaskManager process) or \
         `taskmanager.memory.flink.size` (Flink's memory guide recommends it for standalone \
         clusters); see `taskmanager.memory.*`",
    ),
    (
        "taskmanager.heap.mb",
        "set `taskmanager.memory.process.size` (the whole TaskManager process) or \
         `taskmanager.memory.flink.size` (Flink's memory guide recommends it for standalone \
         clusters); see `taskmanager.memory.*`",
    ),
    (
        "security.ssl.enabled",
        "set `security.ssl.internal.enabled` (RPC, blob server, data exchange) and/or \
         `security.ssl.rest.enabled` (REST endpoint and web UI)",
    ),
];

fn removed_hint(key: &str, replacement: Option<&str>, release_notes: &str) -> String {
    if let Some(r) = replacement {
        return format!("use `{r}` instead");
    }
    match REMOVED_IN_2_HINTS.iter().find(|(k, _)| *k == key) {
        Some((_, hint)) => (*hint).to_string(),
        None => {
            format!("remove it; see the Flink {release_notes} release notes for what replaces it")
        }
    }
}

/// True when `version` reads `key` (a current or deprecated key, or a dynamic family).
fn reads(version: &Version, key: &str) -> bool {
    matches!(
        classify_key(version, key),
        KeyStatus::Known | KeyStatus::Deprecated { .. }
    )
}

/// Findings about the conf dir `conf` (loaded for `from`) when it is used by `to`:
/// every key set in the Flink config file that is removed in `to` (Severity::Error, with
/// the replacement in the hint), deprecated or renamed in `to` (Severity::Warning, naming the
/// new key), and — when crossing from 1.x to 2.x with a flink-conf.yaml — that the file is
/// not read by `to` (Severity::Error, hint: `bin/migrate-config-file.sh` or the migrated
/// text from `migrate_legacy_config`). Each finding names the file and line of the key.
///
/// In detail, the config file first, then one finding per key in file order:
/// - **the file**: Flink 2.x reads only `config.yaml` (Flink 2.0 release notes, FLINK-33677),
///   so a `flink-conf.yaml` is an error for a 2.x target (also naming a `config.yaml` next to it,
///   which `from` ignores today and `to` would read instead); likewise when `to` would read
///   another file than `from` (a 1.19/1.20 target reads a `flink-conf.yaml` next to
///   `config.yaml` first; before 1.19 only `flink-conf.yaml` is read — [`select_config_file`]'s
///   rules). For the 1.x → 2.x migration, each key that is also the prefix of another key
///   (`high-availability` next to `high-availability.storageDir`) is a warning: Flink's
///   `bin/migrate-config-file.sh` then fails with a `ClassCastException` or silently drops the
///   longer keys (seen with the `BashJavaUtils` of Flink 2.1.0, 2.2.0 and 2.3.0; which of the two
///   depends on Java's `HashMap` order), while [`migrate_legacy_config`] keeps every key;
/// - **removed keys** ([`KeyStatus::RemovedIn2`], [`KeyStatus::Removed`]): error; the hint
///   names the replacement the jars give, else the one of the Flink 2.0 release notes and
///   docs for the heap-size and `security.ssl.enabled` keys;
/// - **deprecated keys** ([`KeyStatus::Deprecated`], e.g. `state.checkpoints.dir` →
///   `execution.checkpointing.dir`, `high-availability` → `high-availability.type`): warning
///   naming the replacement key from the jars (or saying that Flink names none), and whether
///   the replacement is set too (then the deprecated key is ignored);
/// - **keys `from` reads and `to` does not know** (a downgrade below the release that added
///   them): error.
///
/// Keys that neither version knows are left to [`check_conf_dir`] (they are no upgrade
/// matter). Dynamic families (`metrics.reporter.*`, `env.java.opts.*`, ...) are never flagged.
///
/// [`select_config_file`]: super::select_config_file
/// [`check_conf_dir`]: super::check_conf_dir
pub fn target_findings(conf: &ConfDir, from: &Version, to: &Version) -> Vec<Finding> {
    let mut out = Vec::new();
    file_findings(conf, from, to, &mut out);
    let cfg = &conf.config;
    for e in &cfg.entries {
        if let Some(f) = key_finding(cfg, e, from, to) {
            out.push(f);
        }
    }
    out
}

fn key_finding(cfg: &FlinkConfig, e: &ConfEntry, from: &Version, to: &Version) -> Option<Finding> {
    let key = e.key.as_str();
    let line = Some(e.line);
    Some(match classify_key(to, key) {
        KeyStatus::Known => return None,
        KeyStatus::Deprecated { replacement } => {
            let newly = if matches!(classify_key(from, key), KeyStatus::Known) {
                format!(" (Flink {from} reads it as a current key)")
            } else {
                String::new()
            };
            let (message, hint) = match replacement.as_deref() {
                Some(r) => match cfg.get(r) {
                    Some(set) => (
                        format!(
                            "`{key}` is deprecated in Flink {to}{newly}: its replacement `{r}` \
                             (line {}) is also set and wins",
                            set.line
                        ),
                        format!("delete `{key}`"),
                    ),
                    None => (
                        format!("`{key}` is deprecated in Flink {to}{newly}: use `{r}`"),
                        format!(
                            "rename it to `{r}` (Flink {to} still reads `{key}` as a deprecated \
                             fallback of `{r}`)"
                        ),
                    ),
                },
                None => (
                    format!(
                        "`{key}` is deprecated in Flink {to}{newly}, and Flink names no replacement key"
                    ),
                    format!(
                        "check the Flink {}.{} release notes and configuration docs before relying on it",
                        to.major, to.minor
                    ),
                ),
            };
            Finding::warning(&cfg.path, line, message, Some(hint))
        }
        KeyStatus::RemovedIn2 { replacement } => Finding::error(
            &cfg.path,
            line,
            format!(
                "`{key}` was removed in Flink 2.0: Flink {to} does not read it, so the setting \
                 would be silently lost"
            ),
            Some(removed_hint(key, replacement.as_deref(), "2.0")),
        ),
        KeyStatus::Removed { since, replacement } => {
            let release = format!("{}.{}", since.major, since.minor);
            Finding::error(
                &cfg.path,
                line,
                format!(
                    "`{key}` was removed in Flink {release}: Flink {to} does not read it, so the \
                     setting would be silently lost"
                ),
                Some(removed_hint(key, replacement.as_deref(), &release)),
            )
        }
        KeyStatus::Unknown { .. } if reads(from, key) => Finding::error(
            &cfg.path,
            line,
            format!(
                "`{key}` is read by Flink {from} but is not a configuration key of Flink {to}: \
                 the setting would be silently lost"
            ),
            Some(format!(
                "remove it for Flink {to} (the option was added after that release), or stay on Flink {from}"
            )),
        ),
        KeyStatus::Unknown { .. } => return None,
    })
}

/// The migration hint for a legacy file (mentions the script's prefix bug when it applies).
fn migrate_hint(legacy: &Path, conflicts: bool) -> String {
    let mut hint = format!(
        "convert {} to {CONFIG_YAML}: with Flink's `bin/migrate-config-file.sh` (Flink 1.19+; it \
         reads conf/{FLINK_CONF_YAML} of the distribution it runs from and overwrites \
         conf/{CONFIG_YAML} there), or take the {CONFIG_YAML} flinkha derives from it (same keys \
         and values, nested, values as strings); neither renames a key, so the key findings \
         below still apply",
        legacy.display()
    );
    if conflicts {
        hint.push_str(
            "; the script mishandles this file (keys that are also prefixes of other keys, see \
             the warnings below): use flinkha's text, or rename those keys first",
        );
    }
    hint
}

/// Keys that are set and are also the prefix of another set key: (entry, the other entry).
fn prefix_conflicts(cfg: &FlinkConfig) -> Vec<(&ConfEntry, &ConfEntry)> {
    cfg.entries
        .iter()
        .filter_map(|e| {
            let prefix = format!("{}.", e.key);
            cfg.entries
                .iter()
                .find(|o| o.key.starts_with(&prefix))
                .map(|o| (e, o))
        })
        .collect()
}

fn file_findings(conf: &ConfDir, from: &Version, to: &Version, out: &mut Vec<Finding>) {
    let cfg = &conf.config;
    let yaml = conf.dir.join(CONFIG_YAML);
    let legacy = conf.dir.join(FLINK_CONF_YAML);
    match cfg.format {
        ConfFormat::Legacy if to.major >= 2 => {
            let instead = if yaml.is_file() {
                format!(
                    "; it would read {} instead, which Flink {from} ignores today",
                    yaml.display()
                )
            } else {
                String::new()
            };
            let conflicts = prefix_conflicts(cfg);
            out.push(Finding::error(
                &cfg.path,
                None,
                format!(
                    "Flink {to} does not read {FLINK_CONF_YAML}: since Flink 2.0 {CONFIG_YAML} is \
                     the only configuration file{instead}"
                ),
                Some(migrate_hint(&cfg.path, !conflicts.is_empty())),
            ));
            for (e, other) in conflicts {
                out.push(Finding::warning(
                    &cfg.path,
                    Some(e.line),
                    format!(
                        "`{}` is set and is also the prefix of `{}` (line {}): Flink's \
                         bin/migrate-config-file.sh (2.1.0-2.3.0) then fails with a \
                         ClassCastException or silently drops the longer keys",
                        e.key, other.key, other.line
                    ),
                    Some(match classify_key(to, &e.key) {
                        KeyStatus::Deprecated {
                            replacement: Some(r),
                        } => format!(
                            "rename `{}` to `{r}` before running the script, or use the config.yaml flinkha derives",
                            e.key
                        ),
                        _ => "use the config.yaml flinkha derives (it writes such keys flat)".into(),
                    }),
                ));
            }
        }
        ConfFormat::Yaml if !to.at_least(1, 19) => out.push(Finding::error(
            &cfg.path,
            None,
            format!(
                "Flink {to} does not read {CONFIG_YAML} (read from Flink 1.19 on): it reads only {}",
                legacy.display()
            ),
            Some(format!(
                "write the settings as flat `key: value` lines in {FLINK_CONF_YAML}, or target Flink 1.19 or later"
            )),
        )),
        ConfFormat::Yaml if to.major < 2 && legacy.is_file() => out.push(Finding::error(
            &legacy,
            None,
            format!(
                "Flink {to} reads {} instead of {} (Flink 1.19 and 1.20 prefer {FLINK_CONF_YAML} \
                 when it exists; Flink {from} ignores it)",
                legacy.display(),
                cfg.path.display()
            ),
            Some(format!(
                "delete {} before switching to Flink {to}",
                legacy.display()
            )),
        )),
        _ => {}
    }
}

/// A YAML scalar that Flink reads back as the string `s`: plain when that is a string in
/// YAML 1.2's core schema, single-quoted when plain would be a number, boolean or null (as
/// Flink's migration writes `'6123'`, `'true'`).
fn yaml_string(s: &str) -> Cow<'_, str> {
    match resolve_plain(s) {
        Plain::Str => quote(s, false),
        _ => Cow::Owned(format!("'{}'", s.replace('\'', "''"))),
    }
}

fn yaml_value(v: &ConfValue) -> Cow<'_, str> {
    match v {
        ConfValue::Scalar(s) => yaml_string(s),
        ConfValue::List(_) => Cow::Owned(v.to_yaml()),
    }
}

/// One level of the nested mapping built from dotted keys, children in first-seen order.
#[derive(Default)]
struct Node<'a> {
    value: Option<&'a ConfValue>,
    children: Vec<(&'a str, Node<'a>)>,
}

impl<'a> Node<'a> {
    fn insert(&mut self, segments: &[&'a str], value: &'a ConfValue) {
        let Some((first, rest)) = segments.split_first() else {
            self.value = Some(value);
            return;
        };
        let i = match self.children.iter().position(|(name, _)| name == first) {
            Some(i) => i,
            None => {
                self.children.push((first, Node::default()));
                self.children.len() - 1
            }
        };
        self.children[i].1.insert(rest, value);
    }

    fn render(&self, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        for (name, child) in &self.children {
            let key = yaml_string(name);
            match child.value {
                Some(v) => out.push_str(&format!("{pad}{key}: {}\n", yaml_value(v))),
                None => out.push_str(&format!("{pad}{key}:\n")),
            }
            if child.value.is_none() {
                child.render(indent + 2, out);
            } else {
                // Both a value and a prefix: a mapping can't be both, so the longer keys are
                // written flat (`name.rest: value`) at this level.
                child.render_flat(name, &pad, out);
            }
        }
    }

    fn render_flat(&self, prefix: &str, pad: &str, out: &mut String) {
        for (name, child) in &self.children {
            let key = format!("{prefix}.{name}");
            if let Some(v) = child.value {
                out.push_str(&format!("{pad}{}: {}\n", yaml_string(&key), yaml_value(v)));
            }
            child.render_flat(&key, pad, out);
        }
    }
}

/// The config.yaml text that Flink's bin/migrate-config-file.sh would make from a legacy
/// flink-conf.yaml (flat `key: value` lines → nested YAML; comments dropped; values as
/// strings), so a plan can show it as a diff. None when `conf` has no flink-conf.yaml.
///
/// "Has a flink-conf.yaml" means: the configuration file `conf` was loaded from is the legacy
/// `flink-conf.yaml` (a 1.x `from`); a 2.x conf dir's stray `flink-conf.yaml` is ignored by
/// Flink and not converted. The settings are those Flink's legacy parser reads
/// ([`FlinkConfig::parse`]; lines it skips are dropped, as the script drops them).
///
/// Like Flink's migration (`BashJavaUtils MIGRATE_LEGACY_FLINK_CONFIGURATION_TO_STANDARD_YAML`,
/// i.e. `ConfigurationUtils.convertConfigToWritableLines` → `YamlParserUtils`, run on the 2.1.0,
/// 2.2.0 and 2.3.0 jars to compare): keys are split at `.` into nested mappings, every value is
/// a string (quoted where plain YAML would read a number, boolean or null: `'6123'`, `'true'`),
/// no key is renamed, comments and blank lines are gone. Differences, on purpose: settings keep
/// the file's order (Flink's follows Java `HashMap` iteration), and a key that is also the
/// prefix of another key (`high-availability: zookeeper` with `high-availability.storageDir`)
/// is written with its longer keys flat (`high-availability.storageDir: …` next to
/// `high-availability: zookeeper`) where Flink's script fails or silently drops keys. The
/// result parses back (with Flink's or flinkha's YAML reader) to exactly the legacy file's
/// key/value pairs.
pub fn migrate_legacy_config(conf: &ConfDir) -> Option<String> {
    if conf.config.format != ConfFormat::Legacy {
        return None;
    }
    let mut root = Node::default();
    for e in &conf.config.entries {
        let segments: Vec<&str> = e.key.split('.').collect();
        root.insert(&segments, &e.value);
    }
    let mut out = String::new();
    root.render(0, &mut out);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compatibility_of_versions() {
        let v = |s: &str| s.parse::<Version>().unwrap();
        for (from, to, c) in [
            ("2.1.0", "2.2.0", Compatibility::Minor),
            ("2.2.0", "2.2.1", Compatibility::Patch),
            ("1.20.1", "2.1.0", Compatibility::Major),
            ("2.2.0", "2.1.0", Compatibility::Downgrade),
            ("2.2.1", "2.2.0", Compatibility::Downgrade),
            ("2.0.0", "1.20.5", Compatibility::Downgrade),
            ("2.1.0", "2.1.0", Compatibility::Same),
            ("1.19.2", "1.20.0", Compatibility::Minor),
            ("1.9.0", "1.19.0", Compatibility::Minor),
            ("2.1.3", "2.3.0", Compatibility::Minor),
        ] {
            assert_eq!(compatibility(&v(from), &v(to)), c, "{from} -> {to}");
        }
        assert_eq!(Compatibility::Major.label(), "major");
        for c in [
            Compatibility::Same,
            Compatibility::Patch,
            Compatibility::Minor,
            Compatibility::Major,
            Compatibility::Downgrade,
        ] {
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.label())
            );
        }
    }

    #[test]
    fn yaml_strings_read_back_as_strings() {
        assert_eq!(yaml_string("jm1"), "jm1");
        assert_eq!(yaml_string("6123"), "'6123'");
        assert_eq!(yaml_string("true"), "'true'");
        assert_eq!(yaml_string("null"), "'null'");
        assert_eq!(yaml_string("1.50"), "'1.50'");
        assert_eq!(yaml_string("0.4"), "'0.4'");
        assert_eq!(yaml_string("a: b"), "'a: b'");
        assert_eq!(yaml_string("'x'"), "'''x'''");
        assert_eq!(yaml_string("hdfs:///flink/ha"), "hdfs:///flink/ha");
    }
}
