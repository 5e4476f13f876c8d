//! A tolerant parser for JAAS login configuration files (the file a JVM is given with
//! `-Djava.security.auth.login.config=PATH`), enough to find the ZooKeeper client's login
//! context and its `DigestLoginModule` credentials.
//!
//! The syntax is the JDK's (`javax.security.auth.login.Configuration`, default
//! implementation `sun.security.provider.ConfigFile`):
//!
//! ```text
//! // comment            /* comment */            # comment (accepted here too)
//! Client {
//!     org.apache.zookeeper.server.auth.DigestLoginModule required
//!         username="flink"
//!         password="secret";
//! };
//! ```
//!
//! A context is a name and a braced list of entries, each `<LoginModule class> <flag>
//! [option=value ...];`; values are double-quoted strings (backslash escapes) or bare words.
//! The `;` after a context's `}` is optional here. Errors name the file and the 1-based line.

use std::fmt;
use std::path::{Path, PathBuf};

/// One `name=value` option of a login module entry.
#[derive(Clone, PartialEq, Eq)]
pub struct JaasOption {
    /// Option name (`username`, `password`, `keyTab`, ...).
    pub name: String,
    /// Its value, unquoted.
    pub value: String,
}

impl fmt::Debug for JaasOption {
    /// The value is hidden when the name is a secret
    /// ([`crate::flinkconf::secrets::is_secret_key`], e.g. `password`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}={:?}",
            self.name,
            crate::flinkconf::secrets::redact_value(&self.name, &self.value)
        )
    }
}

/// One login module entry of a context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JaasEntry {
    /// The LoginModule class (`org.apache.zookeeper.server.auth.DigestLoginModule`).
    pub class: String,
    /// The control flag (`required`, `requisite`, `sufficient`, `optional`).
    pub flag: String,
    /// Options in file order.
    pub options: Vec<JaasOption>,
    /// 1-based line of the class name.
    pub line: usize,
}

impl JaasEntry {
    /// The value of option `name` (exact, case-sensitive as the JDK matches it).
    pub fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|o| o.name == name)
            .map(|o| o.value.as_str())
    }

    /// The class name after its last `.` (`DigestLoginModule`).
    pub fn simple_class(&self) -> &str {
        self.class.rsplit('.').next().unwrap_or(&self.class)
    }
}

/// One named login context (`Client { ... };`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JaasContext {
    /// The context name (`Client`, `Server`, `KafkaClient`, ...).
    pub name: String,
    /// Its entries.
    pub entries: Vec<JaasEntry>,
    /// 1-based line of the name.
    pub line: usize,
}

/// A parsed JAAS file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JaasFile {
    /// The file read.
    pub path: PathBuf,
    /// Contexts in file order.
    pub contexts: Vec<JaasContext>,
}

impl JaasFile {
    /// The context named `name` (exact match; a later one of the same name wins, as the JDK
    /// keeps the last).
    pub fn context(&self, name: &str) -> Option<&JaasContext> {
        self.contexts.iter().rev().find(|c| c.name == name)
    }

    /// Read and parse `path`.
    ///
    /// # Errors
    /// [`JaasError`] naming the file (and the line, for syntax errors).
    pub fn load(path: &Path) -> Result<JaasFile, JaasError> {
        let text = std::fs::read_to_string(path).map_err(|e| JaasError {
            path: path.to_path_buf(),
            line: None,
            message: format!("cannot read the JAAS file: {e}"),
        })?;
        parse(path, &text)
    }
}

/// A JAAS file that cannot be read or parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct JaasError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line, for syntax errors.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Quoted(String),
    Open,
    Close,
    Semi,
    Eq,
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Word(w) => write!(f, "`{w}`"),
            // Never echo a quoted value: it may be a password.
            Tok::Quoted(_) => f.write_str("a quoted string"),
            Tok::Open => f.write_str("`{`"),
            Tok::Close => f.write_str("`}`"),
            Tok::Semi => f.write_str("`;`"),
            Tok::Eq => f.write_str("`=`"),
        }
    }
}

fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '{' | '}' | ';' | '=' | '"')
}

fn tokenize(path: &Path, text: &str) -> Result<Vec<(Tok, usize)>, JaasError> {
    let err = |line: usize, message: String| JaasError {
        path: path.to_path_buf(),
        line: Some(line),
        message,
    };
    let mut out = Vec::new();
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            c if c.is_whitespace() => {}
            '#' => {
                while chars.peek().is_some_and(|c| *c != '\n') {
                    chars.next();
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                while chars.peek().is_some_and(|c| *c != '\n') {
                    chars.next();
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                let start = line;
                chars.next();
                let mut prev = ' ';
                loop {
                    match chars.next() {
                        None => return Err(err(start, "unterminated `/*` comment".into())),
                        Some('/') if prev == '*' => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            prev = c;
                        }
                    }
                }
            }
            '{' => out.push((Tok::Open, line)),
            '}' => out.push((Tok::Close, line)),
            ';' => out.push((Tok::Semi, line)),
            '=' => out.push((Tok::Eq, line)),
            '"' => {
                let start = line;
                let mut s = String::new();
                loop {
                    match chars.next() {
                        None => return Err(err(start, "unterminated quoted string".into())),
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            None => return Err(err(start, "unterminated quoted string".into())),
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some(c) => {
                                if c == '\n' {
                                    line += 1;
                                }
                                s.push(c)
                            }
                        },
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            s.push(c)
                        }
                    }
                }
                out.push((Tok::Quoted(s), start));
            }
            c => {
                let mut w = String::from(c);
                while let Some(&n) = chars.peek() {
                    // `a//b` inside a word is a word; a comment must start a token.
                    if !is_word_char(n) {
                        break;
                    }
                    w.push(n);
                    chars.next();
                }
                out.push((Tok::Word(w), line));
            }
        }
    }
    Ok(out)
}

/// Parse the text of a JAAS file (`path` names it in errors).
///
/// # Errors
/// [`JaasError`] with the line of the first syntax error.
pub fn parse(path: &Path, text: &str) -> Result<JaasFile, JaasError> {
    let toks = tokenize(path, text)?;
    let last_line = text.lines().count().max(1);
    let err = |line: usize, message: String| JaasError {
        path: path.to_path_buf(),
        line: Some(line),
        message,
    };
    let mut i = 0;
    let mut contexts = Vec::new();
    let name_of = |t: &Tok| match t {
        Tok::Word(w) | Tok::Quoted(w) => Some(w.clone()),
        _ => None,
    };
    while i < toks.len() {
        let (t, line) = &toks[i];
        let Some(name) = name_of(t) else {
            return Err(err(
                *line,
                format!("expected a login context name, found {t}"),
            ));
        };
        let ctx_line = *line;
        i += 1;
        match toks.get(i) {
            Some((Tok::Open, _)) => i += 1,
            Some((t, l)) => {
                return Err(err(*l, format!("expected `{{` after `{name}`, found {t}")));
            }
            None => return Err(err(last_line, format!("expected `{{` after `{name}`"))),
        }
        let mut entries = Vec::new();
        loop {
            let Some((t, line)) = toks.get(i) else {
                return Err(err(
                    last_line,
                    format!("context `{name}` (line {ctx_line}) has no closing `}}`"),
                ));
            };
            let line = *line;
            if *t == Tok::Close {
                i += 1;
                break;
            }
            let Tok::Word(class) = t else {
                return Err(err(
                    line,
                    format!("expected a LoginModule class in context `{name}`, found {t}"),
                ));
            };
            let class = class.clone();
            i += 1;
            let flag = match toks.get(i) {
                Some((Tok::Word(f), _))
                    if ["required", "requisite", "sufficient", "optional"]
                        .contains(&f.to_ascii_lowercase().as_str()) =>
                {
                    i += 1;
                    f.to_ascii_lowercase()
                }
                Some((t, l)) => {
                    return Err(err(
                        *l,
                        format!(
                            "expected a control flag (required, requisite, sufficient, optional) after `{class}`, found {t}"
                        ),
                    ));
                }
                None => return Err(err(line, format!("`{class}` has no control flag"))),
            };
            let mut options = Vec::new();
            loop {
                match toks.get(i) {
                    Some((Tok::Semi, _)) => {
                        i += 1;
                        break;
                    }
                    Some((Tok::Word(opt), l)) => {
                        let l = *l;
                        let opt = opt.clone();
                        match (toks.get(i + 1), toks.get(i + 2)) {
                            (Some((Tok::Eq, _)), Some((Tok::Word(v) | Tok::Quoted(v), _))) => {
                                options.push(JaasOption {
                                    name: opt,
                                    value: v.clone(),
                                });
                                i += 3;
                            }
                            _ => {
                                return Err(err(
                                    l,
                                    format!("expected `{opt}=value` in the options of `{class}`"),
                                ));
                            }
                        }
                    }
                    Some((t, l)) => {
                        return Err(err(
                            *l,
                            format!(
                                "expected an option or `;` after the options of `{class}`, found {t}"
                            ),
                        ));
                    }
                    None => {
                        return Err(err(
                            last_line,
                            format!("the entry `{class}` (line {line}) has no closing `;`"),
                        ));
                    }
                }
            }
            entries.push(JaasEntry {
                class,
                flag,
                options,
                line,
            });
        }
        if matches!(toks.get(i), Some((Tok::Semi, _))) {
            i += 1;
        }
        contexts.push(JaasContext {
            name,
            entries,
            line: ctx_line,
        });
    }
    Ok(JaasFile {
        path: path.to_path_buf(),
        contexts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<JaasFile, JaasError> {
        parse(Path::new("/etc/jaas.conf"), text)
    }

    #[test]
    fn zookeeper_client_and_server_contexts() {
        let f = p("// ZooKeeper\n\
                   Server {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n    user_flink=\"s3cret\"\n    user_other=\"x\";\n};\n\
                   /* the client,\n   Flink's */\n\
                   Client {\n  org.apache.zookeeper.server.auth.DigestLoginModule required username=\"flink\" password=\"a \\\"q\\\" b\";\n};\n")
            .unwrap();
        assert_eq!(f.contexts.len(), 2);
        let c = f.context("Client").unwrap();
        assert_eq!(c.line, 9);
        assert_eq!(c.entries.len(), 1);
        let e = &c.entries[0];
        assert_eq!(e.line, 10);
        assert_eq!(e.flag, "required");
        assert_eq!(e.simple_class(), "DigestLoginModule");
        assert_eq!(e.option("username"), Some("flink"));
        assert_eq!(e.option("password"), Some("a \"q\" b"));
        assert_eq!(
            f.context("Server").unwrap().entries[0].option("user_flink"),
            Some("s3cret")
        );
        assert!(f.context("client").is_none(), "names are case-sensitive");
        // Debug output never shows a password.
        let dbg = format!("{f:?}");
        assert!(
            !dbg.contains("a \\\"q\\\" b") && !dbg.contains("q\\\""),
            "{dbg}"
        );
        assert!(dbg.contains("password=\"******\""), "{dbg}");
    }

    #[test]
    fn tolerant_forms() {
        // Bare values, `#` comments, no `;` after `}`, several entries, quoted name, flags in
        // any case, everything on one line.
        let f = p("# hash comment\n\"Client\"{com.sun.security.auth.module.Krb5LoginModule OPTIONAL useKeyTab=true keyTab=/k.keytab;org.x.DigestLoginModule sufficient username=u password=p;}\nOther { a.B required; }")
            .unwrap();
        let c = f.context("Client").unwrap();
        assert_eq!(c.entries.len(), 2);
        assert_eq!(c.entries[0].flag, "optional");
        assert_eq!(c.entries[0].option("keyTab"), Some("/k.keytab"));
        assert_eq!(c.entries[1].option("password"), Some("p"));
        assert!(f.context("Other").unwrap().entries[0].options.is_empty());
        assert!(p("").unwrap().contexts.is_empty());
        assert!(p("Empty {\n};\n").unwrap().contexts[0].entries.is_empty());
        // A later context of the same name wins.
        let f = p("C { a.A required x=1; }; C { b.B required x=2; };").unwrap();
        assert_eq!(f.context("C").unwrap().entries[0].option("x"), Some("2"));
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = p("Client {\n  a.DigestLoginModule required\n    username=\"u\"\n    password=\"p\"\n};\n")
            .unwrap_err();
        // The `}` on line 5 is where the missing `;` is noticed.
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.to_string().starts_with("/etc/jaas.conf:5: "), "{e}");
        assert!(!e.to_string().contains("\"p\""), "{e}");

        let e = p("Client {\n  a.B requird;\n};").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("control flag"), "{e}");

        let e = p("Client {\n  a.B required password=\"unterminated;\n};").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("unterminated"), "{e}");

        let e = p("Client\n  a.B required;\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("expected `{`"), "{e}");

        let e = p("Client {\n  a.B required;\n").unwrap_err();
        assert!(e.message.contains("no closing `}`"), "{e}");

        let e = p("Client {\n a.B required user;\n};").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("`user=value`"), "{e}");

        let e = p("/* open\n\n").unwrap_err();
        assert_eq!(e.line, Some(1));

        let e = JaasFile::load(Path::new("/nonexistent/jaas.conf")).unwrap_err();
        assert_eq!(e.line, None);
        assert!(
            e.to_string()
                .starts_with("/nonexistent/jaas.conf: cannot read")
        );
    }
}
