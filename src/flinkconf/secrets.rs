//! Which Flink keys hold secrets, and hiding their values wherever flinkha shows them
//! (`config show`, `sync --dry-run` diffs, `-v` traces). Files written to hosts are never
//! redacted: only what is displayed.
//!
//! The rule is Flink's own: `GlobalConfiguration.isSensitive(key)` is true when the
//! lower-cased key contains one of `GlobalConfiguration.SENSITIVE_KEYS`, and Flink shows such
//! values as `GlobalConfiguration.HIDDEN_CONTENT` (`******`). The list below was read from the
//! class files of flink-dist 2.1.0, 2.2.0 and 2.3.0 (`javap -c -constants
//! org.apache.flink.configuration.GlobalConfiguration`, static initializer): the same eleven
//! strings in all three.

use std::borrow::Cow;

/// Flink's `GlobalConfiguration.SENSITIVE_KEYS` (Flink 2.1.0–2.3.0): a key whose lower-cased
/// form contains one of these is a secret.
pub const SENSITIVE_KEYS: [&str; 11] = [
    "password",
    "secret",
    "fs.azure.account.key",
    "apikey",
    "api-key",
    "auth-params",
    "service-key",
    "token",
    "basic-auth",
    "jaas.config",
    "http-headers",
];

/// What a secret value is shown as: Flink's `GlobalConfiguration.HIDDEN_CONTENT`.
pub const HIDDEN: &str = "******";

/// True when Flink treats `key` as sensitive (`GlobalConfiguration.isSensitive`): its
/// lower-cased form contains one of [`SENSITIVE_KEYS`]. `key` is a flattened Flink key
/// (`security.ssl.rest.keystore-password`), but any name works (`-Dx.password`,
/// `SSL_PASSWORD`).
pub fn is_secret_key(key: &str) -> bool {
    let lower = key.to_lowercase();
    SENSITIVE_KEYS.iter().any(|s| lower.contains(s))
}

/// `value`, or [`HIDDEN`] when `key` is a secret ([`is_secret_key`]).
pub fn redact_value<'a>(key: &str, value: &'a str) -> Cow<'a, str> {
    if is_secret_key(key) {
        Cow::Borrowed(HIDDEN)
    } else {
        Cow::Borrowed(value)
    }
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Where a value ends, for [`redact_in`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Until {
    /// One shell word (quoted, or up to whitespace): command lines.
    Word,
    /// The rest of the line: file lines (`key: value with spaces`, `key = value`).
    Line,
}

/// Replace the value after every `<secret key>=` / `<secret key>:` in one line.
fn redact_in(line: &str, until: Until) -> Cow<'_, str> {
    let mut out = String::new();
    let mut done = 0; // bytes of `line` already copied to `out`
    let mut i = 0;
    let b = line.as_bytes();
    while i < b.len() {
        if !is_key_char(b[i] as char) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && is_key_char(b[i] as char) {
            i += 1;
        }
        let key = &line[start..i];
        let mut j = i;
        // `"password": "x"` (JSON) and `'key'=...`: a closing quote, then blanks.
        if j < b.len() && matches!(b[j], b'"' | b'\'') {
            j += 1;
        }
        while j < b.len() && matches!(b[j], b' ' | b'\t') {
            j += 1;
        }
        let sep = b.get(j).copied();
        // `:` only as a YAML separator (`key: v` or `key:` at the end), never `host:port`.
        let is_sep = match sep {
            Some(b'=') => true,
            Some(b':') => matches!(b.get(j + 1), None | Some(b' ' | b'\t' | b'"' | b'\'')),
            _ => false,
        };
        if !is_sep || !is_secret_key(key) {
            continue;
        }
        j += 1;
        while j < b.len() && matches!(b[j], b' ' | b'\t') {
            j += 1;
        }
        if j >= b.len() {
            i = j;
            continue;
        }
        let end = match (until, b[j]) {
            (_, q @ (b'"' | b'\'')) => line[j + 1..]
                .find(q as char)
                .map(|k| j + 1 + k + 1)
                .unwrap_or(b.len()),
            (Until::Line, _) => b.len(),
            (Until::Word, _) => line[j..]
                .find(char::is_whitespace)
                .map(|k| j + k)
                .unwrap_or(b.len()),
        };
        out.push_str(&line[done..j]);
        out.push_str(HIDDEN);
        done = end;
        i = end;
    }
    if done == 0 {
        Cow::Borrowed(line)
    } else {
        out.push_str(&line[done..]);
        Cow::Owned(out)
    }
}

/// A command line (or script) as it may be shown in a trace: the value after every
/// `<secret key>=` (one shell word: `-Dsecurity.ssl.rest.keystore-password=x`,
/// `SSL_PASSWORD='a b'`) and after every `<secret key>: ` (the rest of that line, as in a
/// config file embedded in a script) replaced by [`HIDDEN`]. Lines without a secret are
/// returned as they are.
pub fn redact_command(command: &str) -> Cow<'_, str> {
    if !SENSITIVE_KEYS
        .iter()
        .any(|s| command.to_lowercase().contains(s))
    {
        return Cow::Borrowed(command);
    }
    let mut out = String::with_capacity(command.len());
    for (n, line) in command.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        // `key: value` lines: everything after the separator; `key=word`: one word.
        let colon = redact_in(line, Until::Line);
        let line = if colon != line && !line.contains('=') {
            colon
        } else {
            redact_in(line, Until::Word)
        };
        out.push_str(&line);
    }
    Cow::Owned(out)
}

/// A URL for display: credentials in it (`https://user:token@host/...`) become
/// `******@`, and secret query parameters (`?token=...`) are hidden as in [`redact_command`].
pub fn redact_url(url: &str) -> Cow<'_, str> {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let authority_end = url[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after_scheme + i);
    let stripped = match url[after_scheme..authority_end].rfind('@') {
        Some(at) => Cow::Owned(format!(
            "{}{HIDDEN}{}",
            &url[..after_scheme],
            &url[after_scheme + at..]
        )),
        None => Cow::Borrowed(url),
    };
    match redact_command(&stripped) {
        Cow::Borrowed(_) => stripped,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// One line of a text file that is not a Flink config file (JAAS, properties, extra files)
/// for display: the rest of the line after any `<secret key>=` or `<secret key>: ` hidden.
pub fn redact_text_line(line: &str) -> Cow<'_, str> {
    redact_in(line, Until::Line)
}

/// The lines of a Flink configuration file (`config.yaml`, nested or flat, or the legacy
/// `flink-conf.yaml`) for display, one output line per input line (split on `\n`, so the
/// line numbers of a diff stay right): the value of every key whose flattened name is a
/// secret ([`is_secret_key`]) is [`HIDDEN`], including the lines of a block value (a list or
/// `|` text under a secret key). A flow mapping naming a secret (`ssl: {key-password: x}`)
/// is hidden whole. Comment lines are treated like text lines ([`redact_text_line`]), so a
/// commented-out secret stays hidden too. Works line by line and never fails, so a file that
/// does not parse (a hand-edited one on a host) is still redacted.
pub fn redact_flink_conf_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // (indent, key) of the enclosing mappings.
    let mut stack: Vec<(usize, String)> = Vec::new();
    // Lines deeper than this indent belong to a secret's block value.
    let mut hide_deeper: Option<usize> = None;
    // Lines deeper than this indent belong to a non-secret block scalar (`|`, `>`).
    let mut text_deeper: Option<usize> = None;
    for line in text.split('\n') {
        let content = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - content.len();
        let blank = content.trim().is_empty();
        let is_item = content == "-" || content.starts_with("- ");
        if let Some(ki) = hide_deeper {
            if blank || indent > ki || (indent == ki && is_item) {
                out.push(if blank {
                    line.to_string()
                } else if is_item {
                    format!("{}- {HIDDEN}", &line[..indent])
                } else {
                    format!("{}{HIDDEN}", &line[..indent])
                });
                continue;
            }
            hide_deeper = None;
        }
        if let Some(ti) = text_deeper {
            if blank || indent > ti {
                out.push(redact_text_line(line).into_owned());
                continue;
            }
            text_deeper = None;
        }
        if blank {
            out.push(line.to_string());
            continue;
        }
        if content.starts_with('#') || is_item {
            out.push(redact_text_line(line).into_owned());
            continue;
        }
        let Some((key, key_end)) = yaml_key(content) else {
            out.push(redact_text_line(line).into_owned());
            continue;
        };
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let full = stack
            .iter()
            .map(|(_, k)| k.as_str())
            .chain(std::iter::once(key.as_str()))
            .collect::<Vec<_>>()
            .join(".");
        let secret = is_secret_key(&full);
        let after = &content[key_end + 1..];
        let value = after.trim();
        let head = &line[..indent + key_end + 1];
        if value.is_empty() || value.starts_with('#') {
            stack.push((indent, key));
            if secret {
                hide_deeper = Some(indent);
            }
            out.push(line.to_string());
        } else if value.starts_with('|') || value.starts_with('>') {
            if secret {
                hide_deeper = Some(indent);
                out.push(format!("{head} {HIDDEN}"));
            } else {
                text_deeper = Some(indent);
                out.push(line.to_string());
            }
        } else if secret || (value.starts_with('{') && is_secret_key(value)) {
            out.push(format!("{head} {HIDDEN}"));
        } else {
            out.push(line.to_string());
        }
    }
    out
}

/// The whole of [`redact_flink_conf_lines`] joined again.
pub fn redact_flink_conf(text: &str) -> String {
    redact_flink_conf_lines(text).join("\n")
}

/// The key of a YAML mapping line and the byte offset of its `:` in `content`: a plain key
/// up to the first `:` followed by a blank or the end, or a quoted key.
fn yaml_key(content: &str) -> Option<(String, usize)> {
    let b = content.as_bytes();
    if let Some(q @ (b'"' | b'\'')) = b.first().copied() {
        let close = content[1..].find(q as char)? + 1;
        let rest = &content[close + 1..];
        let colon = rest.find(|c: char| c != ' ' && c != '\t')?;
        if rest.as_bytes()[colon] != b':' {
            return None;
        }
        return Some((content[1..close].to_string(), close + 1 + colon));
    }
    let mut from = 0;
    loop {
        let k = content[from..].find(':')? + from;
        if matches!(b.get(k + 1), None | Some(b' ' | b'\t')) {
            let key = content[..k].trim_end();
            if key.is_empty() || key.contains(" #") {
                return None;
            }
            return Some((key.to_string(), k));
        }
        from = k + 1;
    }
}

/// True when `path` (a relative path or file name) is a Flink configuration file, whose
/// display goes through [`redact_flink_conf_lines`].
pub fn is_flink_conf_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == super::CONFIG_YAML || name == super::FLINK_CONF_YAML
}

/// The lines of a file's text for display, split on `\n`: [`redact_flink_conf_lines`] for a
/// Flink configuration file ([`is_flink_conf_file`]), else [`redact_text_line`] per line.
pub fn redact_file_lines(path: &str, text: &str) -> Vec<String> {
    if is_flink_conf_file(path) {
        redact_flink_conf_lines(text)
    } else {
        text.split('\n')
            .map(|l| redact_text_line(l).into_owned())
            .collect()
    }
}

/// A secret value (a JAAS password, ...) that shows itself only as [`HIDDEN`]: in `Debug`,
/// `Display` and `Serialize` (so `config show`, JSON output, `-v` traces and error messages
/// that format it never carry it). [`Secret::expose`] is the only way to the value.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wrap `value`.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the one place that must send it (a login).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(HIDDEN)
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(HIDDEN)
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(HIDDEN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flinks_rule() {
        for k in [
            "security.ssl.rest.keystore-password",
            "security.ssl.internal.key-password",
            "s3.secret-key",
            "fs.azure.account.key.myaccount.blob.core.windows.net",
            "metrics.reporter.dghttp.apikey",
            "metrics.reporter.x.api-key",
            "pulsar.client.auth-params",
            "x.service-key",
            "security.delegation.token.provider.hadoopfs.enabled",
            "rest.basic-auth.x",
            "security.kerberos.jaas.config",
            "metrics.reporter.otel.http-headers",
            "Security.SSL.REST.KEYSTORE-PASSWORD",
            "SSL_PASSWORD",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        for k in [
            "rest.port",
            "security.ssl.rest.keystore",
            "security.ssl.rest.enabled",
            "high-availability.zookeeper.quorum",
            "fs.azure.account.auth.type",
            "s3.access-key",
        ] {
            assert!(!is_secret_key(k), "{k}");
        }
        assert_eq!(redact_value("s3.secret-key", "abc"), "******");
        assert_eq!(redact_value("rest.port", "8081"), "8081");
    }

    #[test]
    fn nested_and_flat_config() {
        let text = "\
# header
security:
  ssl:
    rest:
      enabled: true
      keystore-password: hunter2   # the store
      keystore: /etc/ks.jks
s3.secret-key: 'a b: c'
s3.access-key: AKIA
jobmanager:
  rpc:
    address: h1
metrics.reporter.otel.http-headers:
  - 'Authorization: Bearer abc'
  - x
rest.port: 8081
# s3.secret-key: old-value
\"x.password\": q
pw:
  password: |
    line1
    line2
  other: keep
tls: {key-password: zz, x: 1}
";
        let got = redact_flink_conf(text);
        let want = "\
# header
security:
  ssl:
    rest:
      enabled: true
      keystore-password: ******
      keystore: /etc/ks.jks
s3.secret-key: ******
s3.access-key: AKIA
jobmanager:
  rpc:
    address: h1
metrics.reporter.otel.http-headers:
  - ******
  - ******
rest.port: 8081
# s3.secret-key: ******
\"x.password\": ******
pw:
  password: ******
    ******
    ******
  other: keep
tls: ******
";
        assert_eq!(got, want);
        // One output line per input line.
        assert_eq!(
            redact_flink_conf_lines(text).len(),
            text.split('\n').count()
        );
        for secret in ["hunter2", "a b: c", "Bearer", "old-value", "line1", "zz"] {
            assert!(!got.contains(secret), "{secret} leaked:\n{got}");
        }
    }

    #[test]
    fn legacy_flink_conf() {
        let text = "security.ssl.rest.truststore-password: s3cr3t # x\nrest.port: 8081\n";
        assert_eq!(
            redact_flink_conf(text),
            "security.ssl.rest.truststore-password: ******\nrest.port: 8081\n"
        );
    }

    #[test]
    fn commands() {
        assert_eq!(
            redact_command("java -Dsecurity.ssl.rest.keystore-password=abc -Drest.port=1 x"),
            "java -Dsecurity.ssl.rest.keystore-password=****** -Drest.port=1 x"
        );
        assert_eq!(
            redact_command("env SSL_PASSWORD='a b' FOO=bar cmd"),
            "env SSL_PASSWORD=****** FOO=bar cmd"
        );
        assert_eq!(
            redact_command("cat > f <<'EOF'\ns3.secret-key: a b c\nrest.port: 1\nEOF"),
            "cat > f <<'EOF'\ns3.secret-key: ******\nrest.port: 1\nEOF"
        );
        assert_eq!(
            redact_command(r#"{"password": "x y", "a": 1}"#),
            r#"{"password": ******, "a": 1}"#
        );
        // host:port and keys merely mentioned stay.
        let plain = "ls /tmp/password-files; nc h:2181; grep token.x f";
        assert_eq!(redact_command(plain), plain);
        let plain = "mkdir -p /opt/flink && cat conf/config.yaml";
        assert!(matches!(redact_command(plain), Cow::Borrowed(_)));
    }

    #[test]
    fn urls() {
        assert_eq!(
            redact_url("https://me:tok@repo.example/flink.tgz"),
            "https://******@repo.example/flink.tgz"
        );
        assert_eq!(
            redact_url("https://repo.example/f.tgz?token=abc"),
            "https://repo.example/f.tgz?token=******"
        );
        let plain = "http://127.0.0.1:8000/flink-2.1.0-bin-scala_2.12.tgz";
        assert_eq!(redact_url(plain), plain);
    }

    #[test]
    fn text_files() {
        let jaas = "Client {\n  org.x.PlainLoginModule required\n  username=\"u\"\n  password=\"p w\";\n};";
        let got = redact_file_lines("conf/jaas.conf", jaas).join("\n");
        assert!(got.contains("password=******"), "{got}");
        assert!(!got.contains("p w"), "{got}");
        assert!(got.contains("username=\"u\""), "{got}");
        assert!(is_flink_conf_file("conf/config.yaml"));
        assert!(is_flink_conf_file("flink-conf.yaml"));
        assert!(!is_flink_conf_file("conf/zoo.cfg"));
    }

    #[test]
    fn secret_never_shows_itself() {
        let s = Secret::new("hunter2");
        assert_eq!(s.expose(), "hunter2");
        assert_eq!(format!("{s} {s:?}"), "****** ******");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"******\"");
    }
}
