//! The principals of a Kerberos keytab file, and a copy that holds only one of them.
//!
//! MIT's GSSAPI library, given a client keytab (`KRB5_CLIENT_KTNAME`) and no ticket, logs in
//! as the *first* principal of that keytab (MIT Kerberos documentation, "gssapi: Initiator
//! credentials"), while Flink logs in as `security.kerberos.login.principal`. When that
//! principal is not the first, flinkha hands the library a copy holding only its entries.
//!
//! Format: MIT's keytab file format, version `0x0502` (big-endian; "Keytab file format",
//! MIT Kerberos developer documentation): two bytes `05 02`, then records, each a signed
//! 32-bit length (negative: a hole of that many bytes, left by a deleted entry) followed by
//! the entry: component count (u16), realm and components (u16 length + bytes each), name
//! type (u32), timestamp (u32), 8-bit key version, key block (u16 type, u16 length + key),
//! and an optional 32-bit key version. Version `0x0501` (native byte order, 1990s) is refused.

/// One entry of a keytab: its principal and where its record lies in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// `primary[/instance...]@REALM`.
    pub principal: String,
    /// The record, length prefix included (offset, length in bytes).
    record: (usize, usize),
}

/// A parsed keytab: its bytes and entries in file order.
#[derive(Clone, Debug)]
pub struct Keytab {
    bytes: Vec<u8>,
    /// The entries, holes left out.
    pub entries: Vec<Entry>,
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// A counted octet string at `at` within `entry`: (text, the offset after it).
fn counted(entry: &[u8], at: usize) -> Option<(String, usize)> {
    let n = usize::from(be16(entry, at)?);
    let s = entry.get(at + 2..at + 2 + n)?;
    Some((String::from_utf8_lossy(s).into_owned(), at + 2 + n))
}

impl Keytab {
    /// Parses keytab bytes.
    ///
    /// # Errors
    /// Not a version-2 keytab, or a record that runs past the end of the file or past its
    /// own length; the message says which byte offset.
    pub fn parse(bytes: Vec<u8>) -> Result<Keytab, String> {
        match bytes.get(..2) {
            Some([5, 2]) => {}
            Some([5, 1]) => {
                return Err("a version 1 keytab (0x0501), which flinkha does not read: \
                            rewrite it with `ktutil` (rkt, then wkt)"
                    .into());
            }
            _ => return Err("not a Kerberos keytab (it does not start with 0x0502)".into()),
        }
        let mut entries = Vec::new();
        let mut at = 2;
        while at < bytes.len() {
            let Some(len) = be32(&bytes, at).map(|v| v as i32) else {
                return Err(format!("truncated record length at byte {at}"));
            };
            if len == 0 {
                break;
            }
            let size = len.unsigned_abs() as usize;
            let body = at + 4;
            let Some(entry) = bytes.get(body..body + size) else {
                return Err(format!(
                    "the record at byte {at} is {size} bytes long, past the end of the file"
                ));
            };
            if len > 0 {
                let principal = principal_of(entry)
                    .ok_or_else(|| format!("the record at byte {at} is malformed"))?;
                entries.push(Entry {
                    principal,
                    record: (at, 4 + size),
                });
            }
            at = body + size;
        }
        Ok(Keytab { bytes, entries })
    }

    /// The distinct principals, in file order.
    pub fn principals(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for e in &self.entries {
            if !out.contains(&e.principal.as_str()) {
                out.push(&e.principal);
            }
        }
        out
    }

    /// The keytab's principal that `wanted` names: equal, or, when `wanted` has no `@REALM`,
    /// equal up to the realm (Java then appends the default realm). `None` when none does.
    pub fn find(&self, wanted: &str) -> Option<&str> {
        self.principals().into_iter().find(|p| {
            *p == wanted
                || (!wanted.contains('@') && p.split_once('@').is_some_and(|(n, _)| n == wanted))
        })
    }

    /// A keytab of this one's entries for `principal` only (as the file holds them, in
    /// order): what MIT's library then logs in as.
    pub fn only(&self, principal: &str) -> Vec<u8> {
        let mut out = vec![5, 2];
        for e in self.entries.iter().filter(|e| e.principal == principal) {
            let (at, n) = e.record;
            out.extend_from_slice(&self.bytes[at..at + n]);
        }
        out
    }
}

/// `primary/instance@REALM` of one entry (its bytes after the length).
fn principal_of(entry: &[u8]) -> Option<String> {
    let n = be16(entry, 0)?;
    let (realm, mut at) = counted(entry, 2)?;
    let mut parts = Vec::with_capacity(usize::from(n));
    for _ in 0..n {
        let (c, next) = counted(entry, at)?;
        parts.push(c);
        at = next;
    }
    // Name type (u32), timestamp (u32), key version (u8), key type (u16), key.
    be32(entry, at)?;
    be32(entry, at + 4)?;
    entry.get(at + 8)?;
    be16(entry, at + 9)?;
    counted(entry, at + 11)?;
    Some(format!("{}@{realm}", parts.join("/")))
}

/// A keytab holding one key of each of `principals` (`primary/instance@REALM`), for tests.
#[cfg(test)]
pub(crate) fn test_keytab(principals: &[&str]) -> Vec<u8> {
    let mut kt = vec![5, 2];
    for p in principals {
        let (name, realm) = p.split_once('@').expect("principal@REALM");
        let parts: Vec<&str> = name.split('/').collect();
        kt.extend(tests::record(&parts, realm, 1));
    }
    kt
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One record of `primary/instance@realm` with a 16-byte key of type 17.
    pub(super) fn record(components: &[&str], realm: &str, kvno: u8) -> Vec<u8> {
        let mut e = Vec::new();
        e.extend_from_slice(&(components.len() as u16).to_be_bytes());
        for s in std::iter::once(&realm).chain(components) {
            e.extend_from_slice(&(s.len() as u16).to_be_bytes());
            e.extend_from_slice(s.as_bytes());
        }
        e.extend_from_slice(&1u32.to_be_bytes()); // KRB5_NT_PRINCIPAL
        e.extend_from_slice(&1_700_000_000u32.to_be_bytes());
        e.push(kvno);
        e.extend_from_slice(&17u16.to_be_bytes());
        e.extend_from_slice(&16u16.to_be_bytes());
        e.extend_from_slice(&[0xAB; 16]);
        e.extend_from_slice(&u32::from(kvno).to_be_bytes());
        let mut r = (e.len() as i32).to_be_bytes().to_vec();
        r.extend(e);
        r
    }

    #[test]
    fn principals_holes_and_a_copy_of_one() {
        let mut kt = vec![5, 2];
        kt.extend(record(&["other", "h1"], "EX.TEST", 1));
        // A hole of 7 bytes (a deleted entry).
        kt.extend((-7i32).to_be_bytes());
        kt.extend([0u8; 7]);
        kt.extend(record(&["flink", "h1"], "EX.TEST", 2));
        kt.extend(record(&["flink", "h1"], "EX.TEST", 3));
        let k = Keytab::parse(kt).unwrap();
        assert_eq!(k.principals(), ["other/h1@EX.TEST", "flink/h1@EX.TEST"]);
        assert_eq!(k.find("flink/h1"), Some("flink/h1@EX.TEST"));
        assert_eq!(k.find("flink/h1@EX.TEST"), Some("flink/h1@EX.TEST"));
        assert_eq!(k.find("flink/h1@OTHER.TEST"), None);
        assert_eq!(k.find("flink"), None);
        let only = Keytab::parse(k.only("flink/h1@EX.TEST")).unwrap();
        assert_eq!(only.principals(), ["flink/h1@EX.TEST"]);
        assert_eq!(only.entries.len(), 2);
        let mut expected = vec![5, 2];
        expected.extend(record(&["flink", "h1"], "EX.TEST", 2));
        expected.extend(record(&["flink", "h1"], "EX.TEST", 3));
        assert_eq!(k.only("flink/h1@EX.TEST"), expected);
    }

    #[test]
    fn malformed_keytabs_are_errors() {
        assert!(
            Keytab::parse(b"Client {".to_vec())
                .unwrap_err()
                .contains("not a Kerberos keytab")
        );
        assert!(
            Keytab::parse(vec![5, 1, 0, 0])
                .unwrap_err()
                .contains("version 1")
        );
        let mut kt = vec![5, 2];
        kt.extend(record(&["flink"], "EX.TEST", 1));
        kt.truncate(kt.len() - 3);
        assert!(Keytab::parse(kt).unwrap_err().contains("past the end"));
        // A record whose length is right but whose realm length runs past it.
        let mut kt = vec![5, 2, 0, 0, 0, 4, 0, 1, 0, 9];
        kt.extend([0u8; 0]);
        assert!(Keytab::parse(kt).unwrap_err().contains("malformed"));
        // Empty keytab (header only) and a zero length (end) are fine.
        assert!(Keytab::parse(vec![5, 2]).unwrap().entries.is_empty());
        assert!(
            Keytab::parse(vec![5, 2, 0, 0, 0, 0, 9, 9])
                .unwrap()
                .entries
                .is_empty()
        );
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(tail in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let mut kt = vec![5, 2];
            kt.extend(tail);
            let _ = Keytab::parse(kt);
        }
    }
}
