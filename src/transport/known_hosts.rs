//! OpenSSH `known_hosts`: parsing, host matching, fingerprints and appending.
//!
//! Matching follows OpenSSH, not libssh2 (whose matcher knows neither markers nor
//! wildcards): the line format and its semantics are those of sshd(8), section
//! "SSH_KNOWN_HOSTS FILE FORMAT", and OpenSSH's `hostfile.c` / `match.c`:
//! - a host field is a comma-separated list of patterns (`*` and `?` wildcards, a leading `!`
//!   negates: a host matching a negated pattern is not covered by the line even if another
//!   pattern matches), or a hashed name `|1|<base64 salt>|<base64 HMAC-SHA1(salt, name)>`;
//! - the name looked up is `addr` for port 22 and `[addr]:port` for any other port, and only
//!   that name: a bare `addr` line says nothing about `[addr]:2222`;
//! - `@revoked` lines name keys that must never be accepted for the hosts they match;
//! - `@cert-authority` lines name a CA whose certificates the hosts they match present.
//!   libssh2 cannot verify host certificates, so such a host is refused rather than trusted
//!   on first use (see [`Verdict::CertAuthority`]).

use std::io::{self, Write};
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Standard base64 with `=` padding.
pub fn base64_encode(data: &[u8]) -> String {
    STANDARD.encode(data)
}

/// Decode standard base64 (padding optional). `None` on any invalid character or length.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    STANDARD_NO_PAD.decode(s.trim_end_matches('=')).ok()
}

/// OpenSSH-style SHA-256 fingerprint of a raw public key blob: `SHA256:` followed by
/// unpadded base64, exactly as `ssh-keygen -lf` prints it.
pub fn fingerprint_sha256(key_blob: &[u8]) -> String {
    format!(
        "SHA256:{}",
        STANDARD_NO_PAD.encode(Sha256::digest(key_blob))
    )
}

/// The key type name stored at the start of an SSH public key blob (`ssh-ed25519`,
/// `ssh-rsa`, `ecdsa-sha2-nistp256`, ...). `None` if the blob is malformed.
pub fn key_type_of_blob(blob: &[u8]) -> Option<String> {
    let len = usize::try_from(u32::from_be_bytes(blob.get(..4)?.try_into().ok()?)).ok()?;
    let name = blob.get(4..4usize.checked_add(len)?)?;
    String::from_utf8(name.to_vec()).ok()
}

/// The host field OpenSSH writes for `address` and `port`, which is also the one name
/// looked up for them: `addr` for port 22, `[addr]:port` otherwise.
pub fn host_pattern(address: &str, port: u16) -> String {
    if port == 22 {
        address.to_owned()
    } else {
        format!("[{address}]:{port}")
    }
}

/// One `known_hosts` line for `address`/`port` and the raw key blob (no trailing newline).
/// `None` if the blob is malformed.
pub fn entry_line(address: &str, port: u16, key_blob: &[u8]) -> Option<String> {
    let key_type = key_type_of_blob(key_blob)?;
    Some(format!(
        "{} {} {}",
        host_pattern(address, port),
        key_type,
        base64_encode(key_blob)
    ))
}

/// The marker a `known_hosts` line may start with (sshd(8)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// No marker: a host key.
    None,
    /// `@cert-authority`: the key is a CA that signs the matching hosts' certificates.
    CertAuthority,
    /// `@revoked`: the key must never be accepted for the matching hosts.
    Revoked,
}

/// A key line as read from a `known_hosts` file. Comments, blank lines, unknown markers and
/// lines whose key does not decode (or whose blob names another type) are skipped, as
/// OpenSSH skips them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line number in the file.
    pub line_no: usize,
    /// The line as found in the file (trimmed).
    pub line: String,
    /// The marker, if any.
    pub marker: Marker,
    /// The host field: patterns or a hashed name.
    pub hosts: String,
    /// Key type name (`ssh-ed25519`, ...).
    pub key_type: String,
    /// Raw key blob.
    pub key_blob: Vec<u8>,
}

impl Entry {
    /// Whether this line covers `name` (see the module doc for the rules).
    pub fn covers(&self, name: &str) -> bool {
        host_field_matches(&self.hosts, name)
    }
}

/// Parse the key lines of a `known_hosts` file's content.
pub fn parse_entries(content: &str) -> Vec<Entry> {
    content
        .lines()
        .enumerate()
        .filter_map(|(i, raw)| {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let mut fields = line.split_whitespace();
            let mut first = fields.next()?;
            let marker = match first {
                "@cert-authority" => Marker::CertAuthority,
                "@revoked" => Marker::Revoked,
                m if m.starts_with('@') => return None,
                _ => Marker::None,
            };
            if marker != Marker::None {
                first = fields.next()?;
            }
            let key_type = fields.next()?;
            let key_blob = base64_decode(fields.next()?)?;
            if key_type_of_blob(&key_blob).as_deref() != Some(key_type) {
                return None;
            }
            Some(Entry {
                line_no: i + 1,
                line: line.to_owned(),
                marker,
                hosts: first.to_owned(),
                key_type: key_type.to_owned(),
                key_blob,
            })
        })
        .collect()
}

/// What a `known_hosts` file says about the key a host presented, in OpenSSH's order of
/// precedence: a revoked key is refused whatever else the file says; then a recorded equal
/// key is a match and a recorded other key a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A plain line covering the host records this key.
    Match,
    /// A `@revoked` line covering the host names this key (its 1-based line number).
    Revoked(usize),
    /// Plain lines cover the host but none records this key (the first such line).
    Changed(usize),
    /// No plain line covers the host, but a `@cert-authority` line does (its line number):
    /// the host is meant to be verified by certificate, which libssh2 cannot do.
    CertAuthority(usize),
    /// Nothing covers the host.
    NotFound,
}

/// Check the key `key_blob` presented by `address`:`port` against `entries`.
pub fn check(entries: &[Entry], address: &str, port: u16, key_blob: &[u8]) -> Verdict {
    let name = host_pattern(address, port);
    let name = name.as_str();
    let covering = |m: Marker| {
        entries
            .iter()
            .filter(move |e| e.marker == m && e.covers(name))
    };
    if let Some(e) = covering(Marker::Revoked).find(|e| e.key_blob == key_blob) {
        return Verdict::Revoked(e.line_no);
    }
    let mut plain = covering(Marker::None).peekable();
    if let Some(first) = plain.peek().map(|e| e.line_no) {
        if plain.any(|e| e.key_blob == key_blob) {
            return Verdict::Match;
        }
        return Verdict::Changed(first);
    }
    match covering(Marker::CertAuthority).next() {
        Some(e) => Verdict::CertAuthority(e.line_no),
        None => Verdict::NotFound,
    }
}

/// Key types recorded for `address`:`port` by plain lines, in file order, without repeats.
pub fn known_key_types(entries: &[Entry], address: &str, port: u16) -> Vec<String> {
    let name = host_pattern(address, port);
    let mut types: Vec<String> = Vec::new();
    for e in entries
        .iter()
        .filter(|e| e.marker == Marker::None && e.covers(&name))
    {
        if !types.contains(&e.key_type) {
            types.push(e.key_type.clone());
        }
    }
    types
}

/// OpenSSH's `match_hostname`: `name` (lower-cased) against a comma-separated pattern list
/// (lower-cased); any negated match wins, else any positive match. A hashed field
/// (`|1|salt|hash`) matches when HMAC-SHA1 of `name` keyed by the salt equals the hash.
fn host_field_matches(field: &str, name: &str) -> bool {
    if let Some(rest) = field.strip_prefix("|1|") {
        return hashed_matches(rest, name);
    }
    let name = name.to_ascii_lowercase();
    let mut positive = false;
    for pattern in field.split(',') {
        let pattern = pattern.to_ascii_lowercase();
        let (negated, pattern) = match pattern.strip_prefix('!') {
            Some(p) => (true, p.to_owned()),
            None => (false, pattern),
        };
        if glob_match(pattern.as_bytes(), name.as_bytes()) {
            if negated {
                return false;
            }
            positive = true;
        }
    }
    positive
}

fn hashed_matches(salt_and_hash: &str, name: &str) -> bool {
    let Some((salt, hash)) = salt_and_hash.split_once('|') else {
        return false;
    };
    let (Some(salt), Some(hash)) = (base64_decode(salt), base64_decode(hash)) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(&salt) else {
        return false;
    };
    mac.update(name.as_bytes());
    mac.verify_slice(&hash).is_ok()
}

/// OpenSSH's `match_pattern`: `*` matches any run of bytes, `?` any one byte.
fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    // Iterative with one backtrack point: linear in practice, no recursion depth to exhaust.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// Read a `known_hosts` file; a missing file reads as empty.
///
/// # Errors
/// Any I/O error other than "not found".
pub fn read_file(path: &Path) -> io::Result<String> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(e),
    }
}

/// Host key algorithm names (for `method_pref(HostKey, ..)`) that can verify a key of
/// `key_type`, best first.
pub fn algorithms_for_key_type(key_type: &str) -> &'static [&'static str] {
    match key_type {
        "ssh-rsa" => &["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"],
        "ssh-ed25519" => &["ssh-ed25519"],
        "ecdsa-sha2-nistp256" => &["ecdsa-sha2-nistp256"],
        "ecdsa-sha2-nistp384" => &["ecdsa-sha2-nistp384"],
        "ecdsa-sha2-nistp521" => &["ecdsa-sha2-nistp521"],
        "ssh-dss" => &["ssh-dss"],
        _ => &[],
    }
}

/// Append `line` to the `known_hosts` file at `path` unless an equal line is already there,
/// the way OpenSSH adds a key: opened with `O_APPEND` (so a symlinked file stays a symlink
/// and lines other writers append meanwhile are kept) and written with one `write`, then
/// synced. The check and the append happen under an exclusive `flock` of the file's
/// directory, so two flinkha processes (or threads) cannot both add the line. The directory
/// is created (mode 0700) if missing; a new file gets mode 0600. A newline is written first
/// when the file does not end with one. Returns whether the line was added.
///
/// # Errors
/// I/O errors creating the directory, locking it, reading or writing the file.
pub fn append_line(path: &Path, line: &str) -> io::Result<bool> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};

    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)?;
    }
    let dir_handle = std::fs::File::open(&dir)?;
    // SAFETY: flock on a descriptor we own for the whole call; released when it is closed.
    if unsafe { libc::flock(dir_handle.as_raw_fd(), libc::LOCK_EX) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let current = read_file(path)?;
    if current.lines().any(|l| l.trim() == line) {
        return Ok(false);
    }
    let mut text = String::with_capacity(line.len() + 2);
    if !current.is_empty() && !current.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(line);
    text.push('\n');
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    drop(dir_handle);
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_roundtrip() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(plain.as_bytes()), enc);
            assert_eq!(base64_decode(enc).unwrap(), plain.as_bytes());
        }
        assert!(base64_decode("a*b").is_none());
    }

    // A real ed25519 public key and the fingerprint `ssh-keygen -lf` printed for it.
    const ED25519: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIPm4W6byn4osDsDX5qbOCdx74xzyR77/J4gWLOHDhKug";
    // Another ed25519 key (from `ssh-keygen -t ed25519`).
    const OTHER: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIJueGBck0KQLPll2ggvfTtsTXpi+5gTSEhvpddM3xGCk";

    fn blob(k: &str) -> Vec<u8> {
        base64_decode(k).unwrap()
    }

    #[test]
    fn key_type_and_entry_line() {
        let blob = blob(ED25519);
        assert_eq!(key_type_of_blob(&blob).as_deref(), Some("ssh-ed25519"));
        assert_eq!(
            entry_line("10.0.0.1", 22, &blob).unwrap(),
            format!("10.0.0.1 ssh-ed25519 {ED25519}")
        );
        assert_eq!(
            entry_line("10.0.0.1", 2222, &blob).unwrap(),
            format!("[10.0.0.1]:2222 ssh-ed25519 {ED25519}")
        );
        assert!(key_type_of_blob(&[0, 0, 0, 9, b'x']).is_none());
        assert!(key_type_of_blob(&[0xff, 0xff, 0xff, 0xff, b'x']).is_none());
    }

    #[test]
    fn fingerprint_format() {
        assert_eq!(
            fingerprint_sha256(&blob(ED25519)),
            "SHA256:7M4zYX+Ucs3ux7ZK3a463xe1l9RtumVrBzjq5vy5uv0"
        );
    }

    #[test]
    fn parse_reads_markers_and_skips_noise() {
        let content = format!(
            "# comment\n\n@cert-authority *.example ssh-ed25519 {ED25519}\n\
             |1|abc=|def= ssh-ed25519 {ED25519}\nbad line\nh ssh-rsa {ED25519}\n\
             @revoked * ssh-ed25519 {OTHER}\n@unknown h ssh-ed25519 {ED25519}\n"
        );
        let entries = parse_entries(&content);
        let got: Vec<(usize, Marker, &str)> = entries
            .iter()
            .map(|e| (e.line_no, e.marker, e.hosts.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, Marker::CertAuthority, "*.example"),
                (4, Marker::None, "|1|abc=|def="),
                (7, Marker::Revoked, "*"),
            ]
        );
    }

    #[test]
    fn patterns_match_like_openssh() {
        for (field, name, want) in [
            ("10.0.0.1", "10.0.0.1", true),
            ("10.0.0.1", "10.0.0.10", false),
            ("10.0.0.*", "10.0.0.10", true),
            ("10.0.0.?", "10.0.0.10", false),
            ("10.0.0.?", "10.0.0.7", true),
            ("*.Example.COM", "db.example.com", true),
            ("!10.0.0.5,10.0.0.*", "10.0.0.5", false),
            ("!10.0.0.5,10.0.0.*", "10.0.0.6", true),
            ("10.0.0.*,!10.0.0.5", "10.0.0.5", false),
            ("!10.0.0.5", "10.0.0.6", false),
            ("[10.0.0.1]:2222", "[10.0.0.1]:2222", true),
            ("[10.0.0.*]:*", "[10.0.0.1]:2222", true),
            ("10.0.0.1", "[10.0.0.1]:2222", false),
            ("*", "anything", true),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "axxbyy", false),
            ("", "h", false),
        ] {
            assert_eq!(host_field_matches(field, name), want, "{field} vs {name}");
        }
    }

    #[test]
    fn hashed_names_match_what_ssh_keygen_wrote() {
        // Written by `ssh-keygen -H` for `[127.0.0.5]:2222` and `10.1.2.3`.
        let content = format!(
            "|1|6EQPXrLeOyXaTY5YmCY44HHjZ3U=|AZ1jB7FnypAS2lMxD9W51fkSgos= ssh-ed25519 {ED25519}\n\
             |1|KMJVTNo+YXiBLuN3UnldLkRyvI8=|TaE+Bh9cNuFv9lzf4M+Ag2c/7Qc= ssh-ed25519 {ED25519}\n"
        );
        let entries = parse_entries(&content);
        let key = blob(ED25519);
        assert_eq!(check(&entries, "127.0.0.5", 2222, &key), Verdict::Match);
        assert_eq!(check(&entries, "10.1.2.3", 22, &key), Verdict::Match);
        assert_eq!(check(&entries, "10.1.2.3", 2222, &key), Verdict::NotFound);
        assert_eq!(check(&entries, "127.0.0.5", 22, &key), Verdict::NotFound);
        assert_eq!(
            check(&entries, "10.1.2.3", 22, &blob(OTHER)),
            Verdict::Changed(2)
        );
        assert!(!host_field_matches("|1|not base64|x", "10.1.2.3"));
        assert!(!host_field_matches("|1|nosep", "10.1.2.3"));
    }

    #[test]
    fn verdicts_in_openssh_precedence() {
        let key = blob(ED25519);
        let other = blob(OTHER);
        let parse = |s: String| parse_entries(&s);

        // A revoked key is refused even when a plain line records it.
        let e = parse(format!(
            "h1 ssh-ed25519 {ED25519}\n@revoked h* ssh-ed25519 {ED25519}\n"
        ));
        assert_eq!(check(&e, "h1", 22, &key), Verdict::Revoked(2));
        // ... but only for the hosts the @revoked line covers, and only that key.
        let e = parse(format!(
            "h1 ssh-ed25519 {ED25519}\n@revoked !h1,* ssh-ed25519 {ED25519}\n"
        ));
        assert_eq!(check(&e, "h1", 22, &key), Verdict::Match);
        let e = parse(format!("@revoked * ssh-ed25519 {OTHER}\n"));
        assert_eq!(check(&e, "h1", 22, &key), Verdict::NotFound);

        // A wildcard line counts as known: same key matches, another is a change.
        let e = parse(format!("10.0.0.* ssh-ed25519 {ED25519}\n"));
        assert_eq!(check(&e, "10.0.0.3", 22, &key), Verdict::Match);
        assert_eq!(check(&e, "10.0.0.3", 22, &other), Verdict::Changed(1));
        // A negated host is not covered.
        let e = parse(format!("!10.0.0.3,10.0.0.* ssh-ed25519 {ED25519}\n"));
        assert_eq!(check(&e, "10.0.0.3", 22, &other), Verdict::NotFound);

        // A bare-host line says nothing about another port (libssh2 calls this a mismatch).
        let e = parse(format!("127.0.0.9 ssh-ed25519 {ED25519}\n"));
        assert_eq!(check(&e, "127.0.0.9", 2222, &other), Verdict::NotFound);
        assert_eq!(check(&e, "127.0.0.9", 22, &other), Verdict::Changed(1));

        // Any recorded key of the host matches, whichever line.
        let e = parse(format!(
            "h1 ssh-ed25519 {OTHER}\nh1,h2 ssh-ed25519 {ED25519}\n"
        ));
        assert_eq!(check(&e, "h1", 22, &key), Verdict::Match);

        // A CA line alone: the host wants certificates; a plain line takes precedence.
        let e = parse(format!("@cert-authority *.prod ssh-ed25519 {OTHER}\n"));
        assert_eq!(check(&e, "db.prod", 22, &key), Verdict::CertAuthority(1));
        assert_eq!(check(&e, "db.test", 22, &key), Verdict::NotFound);
        let e = parse(format!(
            "@cert-authority *.prod ssh-ed25519 {OTHER}\ndb.prod ssh-ed25519 {ED25519}\n"
        ));
        assert_eq!(check(&e, "db.prod", 22, &key), Verdict::Match);

        // Known key types: plain lines only, file order, no repeats.
        let e = parse(format!(
            "@revoked h1 ssh-ed25519 {OTHER}\nh1 ssh-ed25519 {ED25519}\nh* ssh-ed25519 {OTHER}\n"
        ));
        assert_eq!(known_key_types(&e, "h1", 22), ["ssh-ed25519"]);
        assert!(known_key_types(&e, "x", 22).is_empty());
    }

    #[test]
    fn append_creates_keeps_lines_and_does_not_repeat() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/known_hosts");
        assert!(append_line(&path, "a ssh-ed25519 X").unwrap());
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        std::fs::write(&path, "unparsable but kept").unwrap();
        assert!(append_line(&path, "b ssh-ed25519 Y").unwrap());
        assert!(!append_line(&path, "b ssh-ed25519 Y").unwrap());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "unparsable but kept\nb ssh-ed25519 Y\n"
        );
    }

    #[test]
    fn append_keeps_a_symlink_a_symlink_and_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("shared_known_hosts");
        std::fs::write(&real, "x ssh-ed25519 A\n").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o644)).unwrap();
        let link = dir.path().join("known_hosts");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert!(append_line(&link, "y ssh-ed25519 B").unwrap());
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(&real).unwrap(),
            "x ssh-ed25519 A\ny ssh-ed25519 B\n"
        );
        assert_eq!(
            std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o644
        );
    }

    #[test]
    fn concurrent_appends_of_the_same_line_write_it_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("known_hosts");
        let added: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|i| {
                    let path = &path;
                    s.spawn(move || {
                        usize::from(append_line(path, "h ssh-ed25519 K").unwrap())
                            + usize::from(
                                append_line(path, &format!("h{i} ssh-ed25519 K")).unwrap(),
                            )
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(added, 9);
        assert_eq!(text.lines().filter(|l| *l == "h ssh-ed25519 K").count(), 1);
        assert_eq!(text.lines().count(), 9);
    }
}
