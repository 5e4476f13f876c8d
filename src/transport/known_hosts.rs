//! OpenSSH `known_hosts` helpers: fingerprints, entry lines, key types, atomic append.
//!
//! Matching a host against the file (including hashed `|1|...` entries) is left to
//! libssh2's `KnownHosts::check_port`; this module only does what libssh2 does not:
//! reading the file tolerantly, telling which key types are known for a host, formatting
//! fingerprints the way OpenSSH prints them, and appending an entry without losing lines
//! libssh2 cannot parse.

use std::io::{self, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with `=` padding.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// Decode standard base64 (padding optional). `None` on any invalid character.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes() {
        let v = B64.iter().position(|&x| x == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// OpenSSH-style SHA-256 fingerprint of a raw public key blob: `SHA256:` followed by
/// unpadded base64, exactly as `ssh-keygen -lf` prints it.
pub fn fingerprint_sha256(key_blob: &[u8]) -> String {
    let digest = Sha256::digest(key_blob);
    format!("SHA256:{}", base64_encode(&digest).trim_end_matches('='))
}

/// The key type name stored at the start of an SSH public key blob (`ssh-ed25519`,
/// `ssh-rsa`, `ecdsa-sha2-nistp256`, ...). `None` if the blob is malformed.
pub fn key_type_of_blob(blob: &[u8]) -> Option<String> {
    let len = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    let name = blob.get(4..4 + len)?;
    String::from_utf8(name.to_vec()).ok()
}

/// The host field OpenSSH writes for `address` and `port`: `addr` for port 22,
/// `[addr]:port` otherwise.
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

/// A host key entry as read from a `known_hosts` line (markers such as `@revoked` and
/// `@cert-authority` are skipped, as are comments and blank lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The line as found in the file (trimmed).
    pub line: String,
    /// Key type name (`ssh-ed25519`, ...).
    pub key_type: String,
    /// Raw key blob.
    pub key_blob: Vec<u8>,
}

/// Parse the plain host key entries of a `known_hosts` file's content. Lines that cannot be
/// parsed are skipped.
pub fn parse_entries(content: &str) -> Vec<Entry> {
    content
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with('@') {
                return None;
            }
            let mut fields = line.split_whitespace();
            let _hosts = fields.next()?;
            let key_type = fields.next()?;
            let key_blob = base64_decode(fields.next()?)?;
            if key_type_of_blob(&key_blob).as_deref() != Some(key_type) {
                return None;
            }
            Some(Entry {
                line: line.to_owned(),
                key_type: key_type.to_owned(),
                key_blob,
            })
        })
        .collect()
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

/// Append `line` to the `known_hosts` file at `path`, atomically: the current content plus
/// the new line is written to a temporary file in the same directory, synced, and renamed
/// over `path`. The directory is created (mode 0700) if missing; a new file gets mode 0600,
/// an existing file keeps its permission bits.
///
/// # Errors
/// I/O errors creating the directory, writing the temporary file or renaming it.
pub fn append_line_atomically(path: &Path, line: &str) -> io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};

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
    let mut content = read_file(path)?;
    let perms = match std::fs::metadata(path) {
        Ok(m) => m.permissions(),
        Err(_) => std::fs::Permissions::from_mode(0o600),
    };
    if !content.is_empty() && !content.ends_with('\n') {
        content.push('\n');
    }
    content.push_str(line);
    content.push('\n');

    let mut tmp = tempfile::Builder::new()
        .prefix(".known_hosts.")
        .tempfile_in(&dir)?;
    tmp.write_all(content.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.as_file().set_permissions(perms)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
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

    #[test]
    fn key_type_and_entry_line() {
        let blob = base64_decode(ED25519).unwrap();
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
    }

    #[test]
    fn fingerprint_format() {
        let blob = base64_decode(ED25519).unwrap();
        assert_eq!(
            fingerprint_sha256(&blob),
            "SHA256:7M4zYX+Ucs3ux7ZK3a463xe1l9RtumVrBzjq5vy5uv0"
        );
    }

    #[test]
    fn parse_skips_noise() {
        let content = format!(
            "# comment\n\n@cert-authority *.example ssh-ed25519 {ED25519}\n\
             |1|abc=|def= ssh-ed25519 {ED25519}\nbad line\nh ssh-rsa {ED25519}\n"
        );
        let entries = parse_entries(&content);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].key_type, "ssh-ed25519");
        assert!(entries[0].line.starts_with("|1|"));
    }

    #[test]
    fn append_creates_and_keeps_lines() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/known_hosts");
        append_line_atomically(&path, "a ssh-ed25519 X").unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        std::fs::write(&path, "unparsable but kept").unwrap();
        append_line_atomically(&path, "b ssh-ed25519 Y").unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "unparsable but kept\nb ssh-ed25519 Y\n"
        );
    }
}
