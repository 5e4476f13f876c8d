//! Pure helpers that build POSIX `sh` command lines for a remote (or local) shell.
//!
//! Everything flinkha sends to a shell goes through these helpers, so quoting lives in one
//! place and is unit-tested on exact strings (the deploy-rs `build_activate_command` pattern).

use std::borrow::Cow;
use std::fmt;

/// A string could not be quoted for a POSIX shell.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuoteError {
    /// The string contains a NUL byte, which no shell word can hold.
    #[error("cannot pass a string containing a NUL byte to a shell: {0:?}")]
    Nul(String),
    /// An environment variable name is not a valid shell name (`[A-Za-z_][A-Za-z0-9_]*`).
    #[error("invalid environment variable name {0:?}: use letters, digits and '_' only")]
    InvalidEnvName(String),
}

/// Quote `s` as one POSIX `sh` word.
///
/// Strings made only of safe characters are returned unchanged (`/opt/flink` stays as is);
/// anything else is quoted by `shlex` (`a b` becomes `'a b'`, `it's` becomes `"it's"`), the
/// empty string becomes `''`.
///
/// # Errors
/// [`QuoteError::Nul`] when `s` contains a NUL byte.
pub fn quote(s: &str) -> Result<Cow<'_, str>, QuoteError> {
    shlex::try_quote(s).map_err(|_| QuoteError::Nul(s.to_owned()))
}

/// Quote each word with [`quote`] and join them with single spaces.
///
/// # Errors
/// [`QuoteError::Nul`] when a word contains a NUL byte.
pub fn sh_join(words: &[&str]) -> Result<String, QuoteError> {
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&quote(w)?);
    }
    Ok(out)
}

/// Builder for one simple command: `env K='v' program 'arg' ...`.
///
/// Environment variables are passed through `env(1)` so the line works the same in any
/// POSIX shell and in front of any program. Arguments containing a NUL byte are rejected
/// when the line is rendered ([`CommandLine::render`]); `to_string()` (via `Display`)
/// renders NUL bytes as `\0` escapes instead of failing, so use `render` for anything that
/// is executed.
///
/// ```
/// use flinkha::transport::command::CommandLine;
/// let cmd = CommandLine::new("bin/jobmanager.sh")
///     .arg("start")
///     .env("FLINK_CONF_DIR", "/etc/flink conf");
/// assert_eq!(cmd.to_string(), "env FLINK_CONF_DIR='/etc/flink conf' bin/jobmanager.sh start");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLine {
    program: String,
    args: Vec<String>,
    env: Vec<(String, String)>,
}

impl CommandLine {
    /// Start a command line running `program` (quoted like any argument).
    pub fn new(program: impl Into<String>) -> Self {
        CommandLine {
            program: program.into(),
            args: Vec::new(),
            env: Vec::new(),
        }
    }

    /// Append one argument.
    #[must_use]
    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Append several arguments.
    #[must_use]
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Set environment variable `key` to `value` for this command (later calls with the same
    /// key override earlier ones).
    ///
    /// `key` must be a valid shell variable name (`[A-Za-z_][A-Za-z0-9_]*`); this is checked
    /// by [`CommandLine::render`].
    #[must_use]
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let key = key.into();
        let value = value.into();
        if let Some(slot) = self.env.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        } else {
            self.env.push((key, value));
        }
        self
    }

    /// Render the command line.
    ///
    /// # Errors
    /// [`QuoteError::Nul`] when the program, an argument or a value contains a NUL byte;
    /// [`QuoteError::InvalidEnvName`] when an environment variable name is not a shell name.
    pub fn render(&self) -> Result<String, QuoteError> {
        let mut out = String::new();
        if !self.env.is_empty() {
            out.push_str("env");
            for (k, v) in &self.env {
                if !is_valid_env_name(k) {
                    return Err(QuoteError::InvalidEnvName(k.clone()));
                }
                out.push(' ');
                out.push_str(k);
                out.push('=');
                out.push_str(&quote(v)?);
            }
            out.push(' ');
        }
        out.push_str(&quote(&self.program)?);
        for a in &self.args {
            out.push(' ');
            out.push_str(&quote(a)?);
        }
        Ok(out)
    }
}

impl fmt::Display for CommandLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.render() {
            Ok(s) => f.write_str(&s),
            Err(_) => {
                // Only reachable with NUL bytes or bad names: show something readable instead.
                let escaped = CommandLine {
                    program: self.program.replace('\0', "\\0"),
                    args: self.args.iter().map(|a| a.replace('\0', "\\0")).collect(),
                    env: self
                        .env
                        .iter()
                        .map(|(k, v)| (k.replace('\0', "\\0"), v.replace('\0', "\\0")))
                        .collect(),
                };
                match escaped.render() {
                    Ok(s) => f.write_str(&s),
                    Err(_) => write!(f, "{:?}", self),
                }
            }
        }
    }
}

fn is_valid_env_name(k: &str) -> bool {
    let mut chars = k.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Shorten a command line for error messages: the first line, at most `max` characters,
/// with `…` when cut, secret values hidden ([`crate::flinkconf::secrets::redact_command`]).
pub fn summarize(command: &str, max: usize) -> String {
    let command = crate::flinkconf::secrets::redact_command(command);
    let first = command.lines().next().unwrap_or("");
    let multi = command.lines().nth(1).is_some();
    if first.chars().count() > max {
        let cut: String = first.chars().take(max).collect();
        format!("{cut}…")
    } else if multi {
        format!("{first} …")
    } else {
        first.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_safe_words_unchanged() {
        assert_eq!(quote("/opt/flink-1.20/bin").unwrap(), "/opt/flink-1.20/bin");
        assert_eq!(quote("a.b-c_d/e+f").unwrap(), "a.b-c_d/e+f");
        assert_eq!(quote("host:2181").unwrap(), "host:2181");
        assert_eq!(quote("a=b,c").unwrap(), "'a=b,c'");
    }

    #[test]
    fn quote_special_words() {
        assert_eq!(quote("").unwrap(), "''");
        assert_eq!(quote("a b").unwrap(), "'a b'");
        // shlex switches to double quotes (escaping `$`, backquote, `\\` and `"`) for single quotes.
        assert_eq!(quote("it's").unwrap(), "\"it's\"");
        assert_eq!(quote("a\\0").unwrap(), "\"a\\\\0\"");
        assert_eq!(quote("a\"b").unwrap(), "'a\"b'");
        assert_eq!(quote("$HOME").unwrap(), "'$HOME'");
        assert_eq!(quote("a;rm -rf /").unwrap(), "'a;rm -rf /'");
        assert_eq!(quote("`x`").unwrap(), "'`x`'");
        assert_eq!(quote("x\ny").unwrap(), "'x\ny'");
        assert_eq!(quote("~").unwrap(), "'~'");
        assert_eq!(quote("*.jar").unwrap(), "'*.jar'");
    }

    #[test]
    fn quote_rejects_nul() {
        assert!(matches!(quote("a\0b"), Err(QuoteError::Nul(_))));
        assert!(sh_join(&["ok", "a\0b"]).is_err());
    }

    #[test]
    fn sh_join_words() {
        assert_eq!(
            sh_join(&["mkdir", "-p", "/opt/my dir", "it's"]).unwrap(),
            "mkdir -p '/opt/my dir' \"it's\""
        );
        assert_eq!(sh_join(&[]).unwrap(), "");
        assert_eq!(sh_join(&[""]).unwrap(), "''");
    }

    #[test]
    fn command_line_plain() {
        let c = CommandLine::new("ls").arg("-l").args(["/tmp", "a b"]);
        assert_eq!(c.to_string(), "ls -l /tmp 'a b'");
        assert_eq!(c.render().unwrap(), "ls -l /tmp 'a b'");
    }

    #[test]
    fn command_line_env() {
        let c = CommandLine::new("/opt/flink/bin/jobmanager.sh")
            .env("FLINK_CONF_DIR", "/etc/flink")
            .env("JVM_ARGS", "-Xmx1g -Dx='y'")
            .arg("start")
            .env("FLINK_CONF_DIR", "/etc/flink2");
        assert_eq!(
            c.to_string(),
            "env FLINK_CONF_DIR=/etc/flink2 JVM_ARGS=\"-Xmx1g -Dx='y'\" \
             /opt/flink/bin/jobmanager.sh start"
        );
    }

    #[test]
    fn command_line_quotes_program_and_empty_args() {
        let c = CommandLine::new("/opt/my flink/bin/x").arg("");
        assert_eq!(c.to_string(), "'/opt/my flink/bin/x' ''");
    }

    #[test]
    fn command_line_rejects_bad_input() {
        assert!(CommandLine::new("x").arg("a\0").render().is_err());
        assert_eq!(
            CommandLine::new("x").env("A-B", "1").render(),
            Err(QuoteError::InvalidEnvName("A-B".into()))
        );
        assert!(CommandLine::new("x").env("1A", "1").render().is_err());
        assert!(CommandLine::new("x").env("A", "\0").render().is_err());
        // Display never panics and never produces a NUL.
        assert_eq!(CommandLine::new("x").arg("a\0").to_string(), "x \"a\\\\0\"");
    }

    #[test]
    fn summarize_cuts() {
        assert_eq!(summarize("echo hi", 20), "echo hi");
        assert_eq!(summarize("abcdef", 3), "abc…");
        assert_eq!(summarize("line1\nline2", 20), "line1 …");
        assert_eq!(summarize("", 20), "");
        assert_eq!(
            summarize("java -Dx.key-password=pw -cp a", 80),
            "java -Dx.key-password=****** -cp a"
        );
    }
}
