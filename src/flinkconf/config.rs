//! Flink's configuration file: `config.yaml` (standard YAML) or legacy `flink-conf.yaml`.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::error::{ConfError, Finding, read_text};
use super::version::Version;
use super::yaml::{Plain, flow_list, quote, resolve_plain};

/// File name of the standard-YAML configuration file (Flink ≥ 1.19;
/// `GlobalConfiguration.FLINK_CONF_FILENAME`).
pub const CONFIG_YAML: &str = "config.yaml";
/// File name of the legacy flat configuration file (Flink < 2.0;
/// `GlobalConfiguration.LEGACY_FLINK_CONF_FILENAME`).
pub const FLINK_CONF_YAML: &str = "flink-conf.yaml";

/// Which syntax a Flink configuration file is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConfFormat {
    /// `config.yaml`: standard YAML 1.2, nested mappings flattened to dotted keys
    /// (`GlobalConfiguration.loadYAMLResource`, Flink ≥ 1.19).
    Yaml,
    /// `flink-conf.yaml`: one `key: value` per line, `#` starts a comment anywhere
    /// (`GlobalConfiguration.loadLegacyYAMLResource`, Flink < 2.0).
    Legacy,
}

impl ConfFormat {
    /// The file name Flink reads for this format.
    pub fn file_name(self) -> &'static str {
        match self {
            ConfFormat::Yaml => CONFIG_YAML,
            ConfFormat::Legacy => FLINK_CONF_YAML,
        }
    }
}

/// Pick the configuration file of `dir` that Flink `version` reads, as
/// `GlobalConfiguration.loadConfiguration` does:
///
/// - before 1.19: `flink-conf.yaml` only;
/// - 1.19 and 1.20: `flink-conf.yaml` when it exists (and `config.yaml` is then ignored),
///   else `config.yaml` (Flink docs, "Flink Configuration File", migration section);
/// - 2.0 and later: `config.yaml` only (`flink-conf.yaml` is no longer read).
///
/// Returns the chosen file, its format, and warnings naming any file Flink will ignore (and,
/// on 1.19/1.20, that `flink-conf.yaml` is deprecated).
///
/// # Errors
/// [`ConfError::Missing`] when the file Flink would read does not exist, with a hint (e.g. to
/// run Flink's `bin/migrate-config-file.sh` when only `flink-conf.yaml` exists for 2.x).
pub fn select_config_file(
    dir: &Path,
    version: &Version,
) -> Result<(PathBuf, ConfFormat, Vec<Finding>), ConfError> {
    let yaml = dir.join(CONFIG_YAML);
    let legacy = dir.join(FLINK_CONF_YAML);
    let has_yaml = yaml.is_file();
    let has_legacy = legacy.is_file();
    let mut findings = Vec::new();
    if version.major >= 2 {
        if !has_yaml {
            return Err(ConfError::Missing {
                file: yaml,
                message: format!("Flink {version} reads only {CONFIG_YAML}, and it does not exist"),
                hint: if has_legacy {
                    format!(
                        "convert {} with Flink's `bin/migrate-config-file.sh` (Flink 1.19+ or 2.x), \
                         or start from the config.yaml shipped with Flink {version}",
                        legacy.display()
                    )
                } else {
                    format!("copy conf/{CONFIG_YAML} from the Flink {version} distribution")
                },
            });
        }
        if has_legacy {
            findings.push(Finding::warning(
                &legacy,
                None,
                format!(
                    "ignored: Flink {version} reads only {} ({FLINK_CONF_YAML} is no longer read since Flink 2.0)",
                    yaml.display()
                ),
                Some(format!(
                    "move every setting you still need into {CONFIG_YAML} and delete {FLINK_CONF_YAML}"
                )),
            )
.with_id("config-file-ignored"));
        }
        return Ok((yaml, ConfFormat::Yaml, findings));
    }
    if version.at_least(1, 19) {
        if has_legacy {
            if has_yaml {
                findings.push(Finding::warning(
                    &yaml,
                    None,
                    format!(
                        "ignored: {FLINK_CONF_YAML} exists in the same directory, and Flink {version} \
                         then reads {} and ignores {CONFIG_YAML}",
                        legacy.display()
                    ),
                    Some(format!(
                        "keep one file: delete {FLINK_CONF_YAML} to use {CONFIG_YAML}, or delete {CONFIG_YAML}"
                    )),
                )
.with_id("config-file-ignored"));
            } else {
                findings.push(Finding::warning(
                    &legacy,
                    None,
                    format!(
                        "{FLINK_CONF_YAML} is deprecated since Flink 1.19 and not read by Flink 2.x"
                    ),
                    Some(
                        "convert it to config.yaml with Flink's `bin/migrate-config-file.sh` before upgrading to 2.x"
                            .into(),
                    ),
                )
.with_id("flink-conf-deprecated"));
            }
            return Ok((legacy, ConfFormat::Legacy, findings));
        }
        if has_yaml {
            return Ok((yaml, ConfFormat::Yaml, findings));
        }
        return Err(ConfError::Missing {
            file: yaml,
            message: format!(
                "neither {CONFIG_YAML} nor {FLINK_CONF_YAML} exists; Flink {version} needs one"
            ),
            hint: format!("copy conf/{CONFIG_YAML} from the Flink {version} distribution"),
        });
    }
    if !has_legacy {
        return Err(ConfError::Missing {
            file: legacy,
            message: format!("Flink {version} reads only {FLINK_CONF_YAML}, and it does not exist"),
            hint: if has_yaml {
                format!(
                    "{CONFIG_YAML} is read only by Flink 1.19 and later: write the settings as flat \
                     `key: value` lines in {FLINK_CONF_YAML}"
                )
            } else {
                format!("copy conf/{FLINK_CONF_YAML} from the Flink {version} distribution")
            },
        });
    }
    if has_yaml {
        findings.push(Finding::warning(
            &yaml,
            None,
            format!(
                "ignored: Flink {version} reads only {} ({CONFIG_YAML} is read from Flink 1.19 on)",
                legacy.display()
            ),
            Some(format!(
                "delete {CONFIG_YAML}, or keep it only as a draft for an upgrade"
            )),
        )
.with_id("config-file-ignored"));
    }
    Ok((legacy, ConfFormat::Legacy, findings))
}

/// A configuration value as Flink reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ConfValue {
    /// A scalar, as the string Flink's `toString()` gives for it: quoted strings verbatim,
    /// plain integers in decimal (`007` → `7`, `0x1F` → `31`), booleans lower-case
    /// (`True` → `true`), other plain scalars (floats included) as written. Legacy files hold
    /// only scalars (the text after `: `, trimmed).
    Scalar(String),
    /// A YAML sequence of scalars (`[a, b]` or a block list), `config.yaml` only. Flink turns it
    /// into its YAML text (`GlobalConfiguration.flatten`) and list-typed options parse that.
    List(Vec<String>),
}

impl ConfValue {
    /// The scalar's string; `None` for a list.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            ConfValue::Scalar(s) => Some(s),
            ConfValue::List(_) => None,
        }
    }

    /// The value written for `config.yaml`: a safely quoted scalar or a flow sequence.
    pub fn to_yaml(&self) -> String {
        match self {
            ConfValue::Scalar(s) => quote(s, false).into_owned(),
            ConfValue::List(items) => flow_list(items),
        }
    }
}

impl fmt::Display for ConfValue {
    /// Scalars as their string; lists as a YAML flow sequence `[a, b]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfValue::Scalar(s) => f.write_str(s),
            ConfValue::List(items) => f.write_str(&flow_list(items)),
        }
    }
}

/// One setting of a Flink configuration file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfEntry {
    /// The flattened, dot-separated key (`jobmanager.rpc.address`), as Flink sees it.
    pub key: String,
    /// The value.
    pub value: ConfValue,
    /// 1-based line of the key in the file.
    pub line: usize,
}

/// A parsed Flink configuration file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlinkConfig {
    /// The file read.
    pub path: PathBuf,
    /// Its syntax.
    pub format: ConfFormat,
    /// The settings, in file order (for `config.yaml`, nested mappings flattened depth-first).
    pub entries: Vec<ConfEntry>,
    /// Warnings made while parsing: lines Flink's legacy parser skips (with only a log
    /// warning) are reported here instead of failing.
    pub findings: Vec<Finding>,
    /// The file's lines (legacy format only), kept to render in place.
    #[serde(skip)]
    lines: Vec<String>,
}

impl FlinkConfig {
    /// Read and parse `path` with `format`.
    ///
    /// # Errors
    /// [`ConfError::Io`] when the file can't be read; otherwise as [`FlinkConfig::parse`].
    pub fn load(path: &Path, format: ConfFormat) -> Result<FlinkConfig, ConfError> {
        let text = read_text(path)?;
        FlinkConfig::parse(&text, path, format)
    }

    /// Parse `text` (the content of `path`) with `format`.
    ///
    /// `config.yaml`: one YAML document whose top level is a mapping; nested mappings are
    /// flattened to dotted keys (Flink's `GlobalConfiguration.flatten`); sequences of scalars
    /// become [`ConfValue::List`].
    ///
    /// `flink-conf.yaml`: Flink 1.x's line parser: everything after the first `#` is a comment
    /// (Flink has no escape for `#` in values), the first `": "` separates key and value, both
    /// trimmed. Lines Flink skips (no `": "`, empty key or value) become warnings in
    /// [`FlinkConfig::findings`].
    ///
    /// # Errors
    /// [`ConfError::Parse`] naming `file:line:column` for YAML syntax errors, null values
    /// (Flink fails on them), aliases, non-scalar keys, nested collections inside a list, or
    /// more than one document, a key or value holding a NUL byte; [`ConfError::Duplicate`]
    /// naming both lines when a flattened key is set twice (e.g. `rest.port` and
    /// `rest: {port: ...}`).
    pub fn parse(text: &str, path: &Path, format: ConfFormat) -> Result<FlinkConfig, ConfError> {
        let mut config = FlinkConfig {
            path: path.to_path_buf(),
            format,
            entries: Vec::new(),
            findings: Vec::new(),
            lines: Vec::new(),
        };
        match format {
            ConfFormat::Yaml => {
                let mut flat = Flattener {
                    path,
                    parser: Parser::new_from_str(text),
                    entries: Vec::new(),
                    seen: HashMap::new(),
                };
                flat.document()?;
                config.entries = flat.entries;
            }
            ConfFormat::Legacy => {
                config.lines = text.lines().map(str::to_string).collect();
                parse_legacy(&mut config)?;
            }
        }
        for e in &config.entries {
            let items: Vec<&str> = match &e.value {
                ConfValue::Scalar(v) => vec![v],
                ConfValue::List(v) => v.iter().map(String::as_str).collect(),
            };
            if e.key.contains('\0') || items.iter().any(|v| v.contains('\0')) {
                return Err(ConfError::parse(
                    path,
                    e.line,
                    None,
                    format!(
                        "`{}` holds a NUL byte (`\\0`), which no path, host name or shell \
                         command can carry",
                        e.key.escape_debug()
                    ),
                    "remove it",
                ));
            }
        }
        Ok(config)
    }

    /// The entry for `key` (flattened, exact match).
    pub fn get(&self, key: &str) -> Option<&ConfEntry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// The scalar value of `key`; `None` when unset or a list.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|e| e.value.as_str())
    }

    /// Problems with `overrides` that [`FlinkConfig::render`] cannot express in this format:
    /// in `flink-conf.yaml` a value may not contain `#` (Flink 1.x cuts the line there) nor
    /// a line break, and no key or value may be empty. Each finding names this file.
    pub fn validate_overrides(&self, overrides: &[(String, String)]) -> Vec<Finding> {
        let mut out = Vec::new();
        for (k, v) in overrides {
            let bad_key = k.trim().is_empty() || k.trim() != k || k.contains(['\n', '#', ':']);
            if bad_key {
                out.push(
                    Finding::error(
                        &self.path,
                        None,
                        format!("override key `{k}` cannot be written as a Flink key"),
                        Some("use a dotted key such as `rest.port`".into()),
                    )
                    .with_id("override-invalid"),
                );
            }
            if self.format == ConfFormat::Legacy
                && (v.contains('#') || v.contains('\n') || v.trim().is_empty())
            {
                out.push(Finding::error(
                    &self.path,
                    self.get(k).map(|e| e.line),
                    format!(
                        "value `{}` for `{k}` cannot be written to {FLINK_CONF_YAML}: Flink 1.x \
                         treats `#` as a comment, reads one line per key and skips empty values",
                        super::secrets::redact_value(k, v)
                    ),
                    Some(format!(
                        "use {CONFIG_YAML} (Flink 1.19+) or change the value"
                    )),
                )
.with_id("override-invalid"));
            }
        }
        out
    }

    /// Render the file for one host: the `header` as a `#` comment block, then the settings with
    /// `overrides` applied (a `(key, value)` replaces the value of an existing key in place;
    /// new keys are appended at the end, in the order given; a later override of the same key
    /// wins).
    ///
    /// `config.yaml`: one flattened `key: value` line per entry in the original order, values
    /// quoted for YAML 1.2 where needed so that Flink reads back the same string (comments of
    /// the source file are not kept). `flink-conf.yaml`: the source lines, comments included,
    /// with the value on each overridden key's line replaced. Check overrides with
    /// [`FlinkConfig::validate_overrides`] first: a legacy value with `#` can't be expressed.
    pub fn render(&self, overrides: &[(String, String)], header: &str) -> String {
        let mut out = header_block(header);
        let mut pending: Vec<(&str, &str)> = Vec::new();
        for (k, v) in overrides {
            match pending.iter_mut().find(|(pk, _)| *pk == k.as_str()) {
                Some(slot) => slot.1 = v.as_str(),
                None => pending.push((k.as_str(), v.as_str())),
            }
        }
        let take = |pending: &mut Vec<(&str, &str)>, key: &str| -> Option<String> {
            let i = pending.iter().position(|(k, _)| *k == key)?;
            Some(pending.remove(i).1.to_string())
        };
        match self.format {
            ConfFormat::Yaml => {
                for e in &self.entries {
                    let value = match take(&mut pending, &e.key) {
                        Some(v) => quote(&v, false).into_owned(),
                        None => e.value.to_yaml(),
                    };
                    out.push_str(&format!("{}: {value}\n", quote(&e.key, false)));
                }
                for (k, v) in pending {
                    out.push_str(&format!("{}: {}\n", quote(k, false), quote(v, false)));
                }
            }
            ConfFormat::Legacy => {
                let by_line: HashMap<usize, &str> = self
                    .entries
                    .iter()
                    .map(|e| (e.line, e.key.as_str()))
                    .collect();
                for (i, line) in self.lines.iter().enumerate() {
                    let replaced = by_line
                        .get(&(i + 1))
                        .and_then(|key| take(&mut pending, key).map(|v| (*key, v)));
                    match replaced {
                        Some((key, v)) => {
                            let indent = &line[..line.len() - line.trim_start().len()];
                            let comment = line.split_once('#').map(|(_, c)| c);
                            out.push_str(&format!("{indent}{key}: {v}"));
                            if let Some(c) = comment {
                                out.push_str(&format!(" #{c}"));
                            }
                        }
                        None => out.push_str(line),
                    }
                    out.push('\n');
                }
                for (k, v) in pending {
                    out.push_str(&format!("{k}: {v}\n"));
                }
            }
        }
        out
    }
}

/// The caller's header as `# ` comment lines (lines already starting with `#` kept).
pub(crate) fn header_block(header: &str) -> String {
    let mut out = String::new();
    for l in header.lines() {
        if l.starts_with('#') {
            out.push_str(l);
        } else if l.is_empty() {
            out.push('#');
        } else {
            out.push_str("# ");
            out.push_str(l);
        }
        out.push('\n');
    }
    out
}

fn parse_legacy(config: &mut FlinkConfig) -> Result<(), ConfError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, raw) in config.lines.iter().enumerate() {
        let n = i + 1;
        let conf = raw.split('#').next().unwrap_or("").trim();
        if conf.is_empty() {
            continue;
        }
        let Some((k, v)) = conf.split_once(": ") else {
            config.findings.push(Finding::warning(
                &config.path,
                Some(n),
                format!("`{conf}` is not a `key: value` line; Flink skips it"),
                Some(
                    "write `key: value` with a space after the colon (Flink 1.x requires \": \")"
                        .into(),
                ),
            )
.with_id("legacy-line-skipped"));
            continue;
        };
        let (key, value) = (k.trim(), v.trim());
        if key.is_empty() || value.is_empty() {
            config.findings.push(
                Finding::warning(
                    &config.path,
                    Some(n),
                    format!("`{conf}` has an empty key or value; Flink skips it"),
                    Some("give a value or delete the line".into()),
                )
                .with_id("legacy-line-skipped"),
            );
            continue;
        }
        if let Some(first) = seen.insert(key.to_string(), n) {
            return Err(ConfError::Duplicate {
                file: config.path.clone(),
                key: key.to_string(),
                first_line: first,
                line: n,
                hint: "keep one of the two lines (Flink 1.x silently uses the last one)".into(),
            });
        }
        config.entries.push(ConfEntry {
            key: key.to_string(),
            value: ConfValue::Scalar(value.to_string()),
            line: n,
        });
    }
    Ok(())
}

/// Walks the YAML events and flattens mappings into dotted keys.
struct Flattener<'a> {
    path: &'a Path,
    parser: Parser<std::str::Chars<'a>>,
    entries: Vec<ConfEntry>,
    seen: HashMap<String, usize>,
}

const YAML_HINT: &str = "fix the YAML syntax (Flink 2.x reads config.yaml as standard YAML 1.2; \
                         indent nested keys with spaces, not tabs)";

impl Flattener<'_> {
    fn next(&mut self) -> Result<(Event, Marker), ConfError> {
        self.parser.next_token().map_err(|e| {
            let m = e.marker();
            ConfError::parse(
                self.path,
                m.line().max(1),
                Some(m.col() + 1),
                format!("YAML syntax error: {}", e.info()),
                YAML_HINT,
            )
        })
    }

    fn err(&self, m: Marker, message: impl Into<String>, hint: impl Into<String>) -> ConfError {
        ConfError::parse(self.path, m.line().max(1), Some(m.col() + 1), message, hint)
    }

    fn document(&mut self) -> Result<(), ConfError> {
        let mut documents = 0;
        loop {
            let (ev, m) = self.next()?;
            match ev {
                Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
                Event::StreamEnd => return Ok(()),
                Event::DocumentStart => {
                    documents += 1;
                    if documents > 1 {
                        return Err(self.err(
                            m,
                            "a second YAML document (`---`) in the file",
                            "Flink reads a single document: remove the `---` line and merge the settings",
                        ));
                    }
                }
                Event::MappingStart(..) => self.mapping("")?,
                Event::Scalar(ref s, TScalarStyle::Plain, _, _) if s.is_empty() || s == "~" => {}
                _ => {
                    return Err(self.err(
                        m,
                        "the top level of the file is not a mapping of keys to values",
                        "write one `key: value` per line, e.g. `rest.port: 8081`",
                    ));
                }
            }
        }
    }

    fn mapping(&mut self, prefix: &str) -> Result<(), ConfError> {
        loop {
            let (ev, m) = self.next()?;
            let key = match ev {
                Event::MappingEnd => return Ok(()),
                Event::Scalar(s, ..) => s,
                Event::Alias(_) => {
                    return Err(self.err(
                        m,
                        "YAML alias used as a key",
                        "write the key out in full",
                    ));
                }
                _ => {
                    return Err(self.err(
                        m,
                        "a key that is not a plain string (a `?` complex key, list or mapping)",
                        "keys are dotted names such as `rest.port`",
                    ));
                }
            };
            let full = format!("{prefix}{key}");
            let (ev, vm) = self.next()?;
            match ev {
                Event::MappingStart(..) => self.mapping(&format!("{full}."))?,
                Event::SequenceStart(..) => {
                    let items = self.sequence(&full)?;
                    self.push(full, ConfValue::List(items), m)?;
                }
                Event::Scalar(s, style, _, tag) => {
                    // An empty value's marker is on the next line: report the key's line then.
                    let at = if vm.line() == m.line() { vm } else { m };
                    let value = self.scalar(&full, s, style, tag.as_ref(), at)?;
                    self.push(full, ConfValue::Scalar(value), m)?;
                }
                Event::Alias(_) => {
                    return Err(self.err(
                        vm,
                        format!("`{full}` uses a YAML alias (`*name`)"),
                        "write the value out in full; flinkha renders one flat file per host",
                    ));
                }
                _ => return Err(self.err(vm, format!("unexpected YAML in `{full}`"), YAML_HINT)),
            }
        }
    }

    fn sequence(&mut self, key: &str) -> Result<Vec<String>, ConfError> {
        let mut items = Vec::new();
        loop {
            let (ev, m) = self.next()?;
            match ev {
                Event::SequenceEnd => return Ok(items),
                Event::Scalar(s, style, _, tag) => {
                    items.push(self.scalar(key, s, style, tag.as_ref(), m)?)
                }
                _ => {
                    return Err(self.err(
                        m,
                        format!("`{key}` is a list holding a list, mapping or alias"),
                        "flinkha supports lists of plain values only; write the item as a quoted string",
                    ));
                }
            }
        }
    }

    fn scalar(
        &self,
        key: &str,
        s: String,
        style: TScalarStyle,
        tag: Option<&yaml_rust2::parser::Tag>,
        m: Marker,
    ) -> Result<String, ConfError> {
        let is_str_tag = tag.is_some_and(|t| t.suffix == "str" || t.suffix.ends_with(":str"));
        if style != TScalarStyle::Plain || is_str_tag {
            return Ok(s);
        }
        Ok(match resolve_plain(&s) {
            Plain::Null => {
                return Err(self.err(
                    m,
                    format!("`{key}` has no value (YAML null)"),
                    "give a value, quote it (`''` for an empty string) or delete the key: \
                     Flink fails to start on a null value (\"Value must not be null\")",
                ));
            }
            Plain::Bool(b) => b.to_string(),
            Plain::Int(i) => i,
            Plain::Float | Plain::Str => s,
        })
    }

    fn push(&mut self, key: String, value: ConfValue, m: Marker) -> Result<(), ConfError> {
        let line = m.line().max(1);
        if let Some(first) = self.seen.insert(key.clone(), line) {
            return Err(ConfError::Duplicate {
                file: self.path.to_path_buf(),
                key,
                first_line: first,
                line,
                hint:
                    "keep one of the two (a nested `a: {b: ...}` and a flat `a.b` are the same key)"
                        .into(),
            });
        }
        self.entries.push(ConfEntry { key, value, line });
        Ok(())
    }
}
