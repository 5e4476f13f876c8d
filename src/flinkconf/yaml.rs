//! YAML 1.2 scalar helpers: how Flink's YAML parser resolves a plain scalar, and how to write a
//! string so that it reads back as the same value.
//!
//! Flink 2.x (and 1.19+ with `config.yaml`) loads the file with snakeyaml-engine and its
//! YAML 1.2 *core schema* (`org.apache.flink.configuration.YamlParserUtils`), then hands each
//! leaf to `Configuration.setValueInternal`; options read it back through
//! `ConfigurationUtils.convertToString`/`convertValue`, i.e. `toString()` of the resolved Java
//! object. So a plain `8081` (an `Integer`) and a quoted `'8081'` (a `String`) are the same to
//! Flink, while a plain `True` becomes the string `true`, a plain `007` becomes `7` and a plain
//! `null` is no value at all.

use std::borrow::Cow;

/// What the YAML 1.2 core schema makes of a plain (unquoted) scalar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Plain {
    /// `~`, `null`, `Null`, `NULL` or nothing.
    Null,
    /// `true|True|TRUE|false|False|FALSE`; holds Java's `Boolean.toString()`.
    Bool(&'static str),
    /// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`; holds Java's `toString()` (decimal).
    Int(String),
    /// A float (`1.5`, `1e3`, `.inf`, `.nan`); the text as written.
    Float,
    /// Anything else: a string.
    Str,
}

fn all(s: &str, f: impl Fn(u8) -> bool) -> bool {
    !s.is_empty() && s.bytes().all(f)
}

/// Resolve a plain scalar with the YAML 1.2 core schema (snakeyaml-engine `CoreScalarResolver`).
pub(crate) fn resolve_plain(s: &str) -> Plain {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Plain::Null,
        "true" | "True" | "TRUE" => return Plain::Bool("true"),
        "false" | "False" | "FALSE" => return Plain::Bool("false"),
        _ => {}
    }
    if let Some(hex) = s.strip_prefix("0x")
        && all(hex, |b| b.is_ascii_hexdigit())
    {
        return Plain::Int(radix_to_decimal(hex, 16));
    }
    if let Some(oct) = s.strip_prefix("0o")
        && all(oct, |b| (b'0'..=b'7').contains(&b))
    {
        return Plain::Int(radix_to_decimal(oct, 8));
    }
    let (neg, digits) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if all(digits, |b| b.is_ascii_digit()) {
        let trimmed = digits.trim_start_matches('0');
        let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
        let sign = if neg && trimmed != "0" { "-" } else { "" };
        return Plain::Int(format!("{sign}{trimmed}"));
    }
    if is_float(s) {
        return Plain::Float;
    }
    Plain::Str
}

fn radix_to_decimal(digits: &str, radix: u32) -> String {
    match u128::from_str_radix(digits, radix) {
        Ok(v) => v.to_string(),
        // Beyond u128: keep the text; Flink would use a BigInteger. Never seen in a config.
        Err(_) => digits.to_string(),
    }
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?\.(inf|Inf|INF)`,
/// `\.(nan|NaN|NAN)`.
fn is_float(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if matches!(body, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    if matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => all(frac, |b| b.is_ascii_digit()),
        Some((int, frac)) => {
            all(int, |b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit())
        }
        None => all(mantissa, |b| b.is_ascii_digit()),
    };
    let exp_ok = match exp {
        None => true,
        Some(e) => all(e.strip_prefix(['-', '+']).unwrap_or(e), |b| {
            b.is_ascii_digit()
        }),
    };
    mantissa_ok && exp_ok
}

/// True when a float's text is what Java's `Double.toString` prints for it, so that writing it
/// plain gives Flink the same string back (`0.4`, `12.5`, `3.0`).
fn is_canonical_float(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    let Some((int, frac)) = body.split_once('.') else {
        return false;
    };
    let int_ok = int == "0" || (all(int, |b| b.is_ascii_digit()) && !int.starts_with('0'));
    let frac_ok = all(frac, |b| b.is_ascii_digit()) && (frac == "0" || !frac.ends_with('0'));
    // Double.toString switches to scientific notation outside [1e-3, 1e7).
    let magnitude_ok = if int == "0" {
        frac == "0" || !frac.starts_with("000")
    } else {
        int.len() <= 7
    };
    int_ok && frac_ok && magnitude_ok && int.len() + frac.len() <= 15
}

/// True when `s` written as a plain scalar reads back, through Flink's core-schema parser and
/// `toString()`, as exactly `s`.
fn plain_round_trips(s: &str) -> bool {
    match resolve_plain(s) {
        Plain::Null => false,
        Plain::Bool(b) => b == s,
        Plain::Int(i) => i == s,
        Plain::Float => is_canonical_float(s),
        // YAML 1.1 booleans are strings in YAML 1.2, but other tools (and people) read them
        // as booleans: quote them.
        Plain::Str => !matches!(
            s.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off"
        ),
    }
}

/// True when `s` can be written as a plain scalar in block (`flow == false`) or flow context.
fn plain_allowed(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) {
        return false;
    }
    if s.chars().any(|c| c.is_control() || c == '\u{feff}') {
        return false;
    }
    // c-indicator characters may not start a plain scalar (`-`, `?` and `:` may when followed
    // by a non-space, but quoting them too is simpler and always safe).
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || s.starts_with("...") {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    if flow && s.contains([',', '[', ']', '{', '}']) {
        return false;
    }
    plain_round_trips(s)
}

/// Write `s` as a YAML 1.2 scalar that Flink's parser reads back as the string `s` (or as a
/// number/boolean whose `toString()` is `s`): plain when safe, else single-quoted, or
/// double-quoted with escapes when it holds control characters or line breaks.
/// `flow` is true inside a flow sequence `[...]`.
pub(crate) fn quote(s: &str, flow: bool) -> Cow<'_, str> {
    if plain_allowed(s, flow) {
        return Cow::Borrowed(s);
    }
    if !s.chars().any(|c| c.is_control() || c == '\u{feff}') {
        return Cow::Owned(format!("'{}'", s.replace('\'', "''")));
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || c == '\u{feff}' => {
                let v = c as u32;
                if v <= 0xff {
                    out.push_str(&format!("\\x{v:02x}"));
                } else {
                    out.push_str(&format!("\\u{v:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    Cow::Owned(out)
}

/// A flow sequence `[a, 'b: c']` of strings.
pub(crate) fn flow_list(items: &[String]) -> String {
    let parts: Vec<Cow<'_, str>> = items.iter().map(|i| quote(i, true)).collect();
    format!("[{}]", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_core_schema() {
        assert_eq!(resolve_plain(""), Plain::Null);
        assert_eq!(resolve_plain("~"), Plain::Null);
        assert_eq!(resolve_plain("NULL"), Plain::Null);
        assert_eq!(resolve_plain("True"), Plain::Bool("true"));
        assert_eq!(resolve_plain("007"), Plain::Int("7".into()));
        assert_eq!(resolve_plain("+5"), Plain::Int("5".into()));
        assert_eq!(resolve_plain("-0"), Plain::Int("0".into()));
        assert_eq!(resolve_plain("0x1F"), Plain::Int("31".into()));
        assert_eq!(resolve_plain("0o17"), Plain::Int("15".into()));
        assert_eq!(resolve_plain("1.5"), Plain::Float);
        assert_eq!(resolve_plain("1e3"), Plain::Float);
        assert_eq!(resolve_plain(".5"), Plain::Float);
        assert_eq!(resolve_plain("-.inf"), Plain::Float);
        assert_eq!(resolve_plain(".NaN"), Plain::Float);
        assert_eq!(resolve_plain("1.2.3"), Plain::Str);
        assert_eq!(resolve_plain("yes"), Plain::Str);
        assert_eq!(resolve_plain("1024m"), Plain::Str);
        assert_eq!(resolve_plain("0x"), Plain::Str);
    }

    #[test]
    fn quotes_what_must_be_quoted() {
        for plain in [
            "localhost",
            "8081",
            "true",
            "0.4",
            "1024m",
            "hdfs:///flink/ha",
            "file:///tmp/x",
            "a#b",
            "h1:2181,h2:2181",
        ] {
            assert_eq!(quote(plain, false), plain, "{plain}");
        }
        for (s, q) in [
            ("", "''"),
            ("null", "'null'"),
            ("~", "'~'"),
            ("True", "'True'"),
            ("007", "'007'"),
            ("1e3", "'1e3'"),
            ("0.40", "'0.40'"),
            ("yes", "'yes'"),
            ("a: b", "'a: b'"),
            ("a #b", "'a #b'"),
            ("-Xmx1g", "'-Xmx1g'"),
            ("*x", "'*x'"),
            ("&x", "'&x'"),
            ("!x", "'!x'"),
            ("[x", "'[x'"),
            ("{x", "'{x'"),
            ("'x'", "'''x'''"),
            ("\"x", "'\"x'"),
            (" x", "' x'"),
            ("key:", "'key:'"),
            ("%x", "'%x'"),
            ("a\nb", "\"a\\nb\""),
        ] {
            assert_eq!(quote(s, false), q, "{s:?}");
        }
        assert_eq!(quote("a,b", true), "'a,b'");
        assert_eq!(quote("a,b", false), "a,b");
        assert_eq!(
            flow_list(&["a".into(), "b: c".into(), "x,y".into()]),
            "[a, 'b: c', 'x,y']"
        );
        assert_eq!(flow_list(&[]), "[]");
    }
}
