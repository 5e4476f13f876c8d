//! Decoding (and, for tests, encoding) of the `connection_info` znodes Flink writes.
//!
//! Flink's `ZooKeeperUtils.writeLeaderInformationToZooKeeper` (used by
//! `ZooKeeperLeaderElectionDriver`, Flink 1.15+; the same bytes went to `leader/<component>_lock`
//! before 1.15) serializes the leader information with a `java.io.ObjectOutputStream`:
//!
//! ```text
//! oos.writeUTF(leaderAddress);      // block data record: u16 length + modified UTF-8
//! oos.writeObject(leaderSessionID); // a java.util.UUID object
//! ```
//!
//! Byte layout (Java Object Serialization Specification, chapter 6 "Object Serialization Stream
//! Protocol"), checked against bytes written by `ObjectOutputStream` on Java 17:
//!
//! ```text
//! AC ED 00 05                         STREAM_MAGIC, STREAM_VERSION
//! 77 LL | 7A LL LL LL LL              TC_BLOCKDATA (u8 len) or TC_BLOCKDATALONG (u32 len),
//!                                     repeated in chunks of at most 1024 bytes
//!   UU UU <modified UTF-8>            writeUTF: u16 byte length, then the bytes
//! 73                                  TC_OBJECT
//! 72 00 0E "java.util.UUID"           TC_CLASSDESC, class name
//! BC 99 03 F7 98 6D 85 2F             serialVersionUID
//! 02                                  flags: SC_SERIALIZABLE
//! 00 02                               field count
//! 4A 00 0C "leastSigBits"             'J' (long); fields are sorted by name, so
//! 4A 00 0B "mostSigBits"              leastSigBits comes before mostSigBits
//! 78                                  TC_ENDBLOCKDATA (no class annotations)
//! 70                                  TC_NULL (no serializable superclass)
//! <8 bytes leastSigBits> <8 bytes mostSigBits>   big-endian field values, in field order
//! ```
//!
//! For a short address the whole blob is `address.len() + 84` bytes.

use serde::Serialize;

/// Leader information stored in a `connection_info` znode (Flink's `LeaderInformation`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ConnectionInfo {
    /// The leader's address as Flink wrote it: a Pekko RPC URL such as
    /// `pekko.tcp://flink@host:6123/user/rpc/dispatcher_1` (`akka.tcp://` before Flink 1.18),
    /// or for the `rest_server` component the REST base URL, e.g. `http://host:8081`.
    pub address: String,
    /// The leader session id (`java.util.UUID`), canonical lowercase `8-4-4-4-12` form as
    /// `UUID.toString()` prints it.
    pub session_id: String,
}

/// Why a `connection_info` blob could not be decoded. Offsets are byte offsets into the blob.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The znode holds no data. Flink writes `null` data when the leader information is empty
    /// (`ZooKeeperUtils.writeLeaderInformationToZooKeeper`), i.e. leadership was revoked.
    #[error(
        "connection_info is empty: no leader information (leadership revoked or not yet written)"
    )]
    Empty,
    /// The blob ended before the expected item.
    #[error("truncated at byte {offset}: expected {expected}")]
    Truncated {
        /// Offset where the missing item should start.
        offset: usize,
        /// What was expected there.
        expected: &'static str,
    },
    /// A byte sequence other than the expected one was found.
    #[error("unexpected bytes at offset {offset}: expected {expected}, found {found}")]
    Unexpected {
        /// Offset of the unexpected bytes.
        offset: usize,
        /// What was expected there.
        expected: &'static str,
        /// What was found, as hex or text.
        found: String,
    },
    /// The address is not valid modified UTF-8 (as read by `DataInput.readUTF`).
    #[error("invalid modified UTF-8 in the address at offset {offset}")]
    InvalidUtf {
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// Bytes remain after the UUID object (Flink never writes any).
    #[error("{count} unexpected trailing bytes at offset {offset} after the UUID")]
    TrailingBytes {
        /// Offset of the first trailing byte.
        offset: usize,
        /// Number of trailing bytes.
        count: usize,
    },
}

/// Why [`encode`] refused its input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The session id is not a canonical `8-4-4-4-12` hex UUID.
    #[error("invalid UUID {0:?}: expected 8-4-4-4-12 hex digits")]
    InvalidUuid(String),
    /// `writeUTF` accepts at most 65535 bytes of modified UTF-8.
    #[error("address is {0} bytes of modified UTF-8; writeUTF allows at most 65535")]
    AddressTooLong(usize),
}

const STREAM_MAGIC: [u8; 4] = [0xAC, 0xED, 0x00, 0x05];
const TC_NULL: u8 = 0x70;
const TC_CLASSDESC: u8 = 0x72;
const TC_OBJECT: u8 = 0x73;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_BLOCKDATALONG: u8 = 0x7A;
const SC_SERIALIZABLE: u8 = 0x02;
const UUID_CLASS: &str = "java.util.UUID";
/// `java.util.UUID`'s `serialVersionUID` (-4856846361193249489L).
const UUID_SUID: u64 = 0xbc99_03f7_986d_852f;
/// `ObjectOutputStream`'s block data buffer size: longer block data is split in records of
/// this size (`ObjectOutputStream.BlockDataOutputStream.MAX_BLOCK_SIZE`).
const MAX_BLOCK_SIZE: usize = 1024;

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, expected: &'static str) -> Result<&'a [u8], DecodeError> {
        match self.buf.get(self.pos..self.pos.saturating_add(n)) {
            Some(s) if self.pos.checked_add(n).is_some() => {
                self.pos += n;
                Ok(s)
            }
            _ => Err(DecodeError::Truncated {
                offset: self.pos,
                expected,
            }),
        }
    }

    fn u8(&mut self, expected: &'static str) -> Result<u8, DecodeError> {
        Ok(self.take(1, expected)?[0])
    }

    fn u16(&mut self, expected: &'static str) -> Result<u16, DecodeError> {
        let b = self.take(2, expected)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u64(&mut self, expected: &'static str) -> Result<u64, DecodeError> {
        let b = self.take(8, expected)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }

    fn expect_byte(&mut self, want: u8, expected: &'static str) -> Result<(), DecodeError> {
        let offset = self.pos;
        let got = self.u8(expected)?;
        if got == want {
            Ok(())
        } else {
            Err(DecodeError::Unexpected {
                offset,
                expected,
                found: format!("0x{got:02x}"),
            })
        }
    }

    /// A `writeUTF` string outside block data (class and field names).
    fn utf(&mut self, expected: &'static str) -> Result<String, DecodeError> {
        let len = usize::from(self.u16(expected)?);
        let start = self.pos;
        let bytes = self.take(len, expected)?;
        decode_modified_utf8(bytes, start)
    }
}

/// Decodes the data of a Flink `connection_info` znode (or of a pre-1.15 `leader/<x>_lock`
/// znode, which holds the same bytes).
///
/// Never panics, whatever the input.
///
/// # Errors
/// [`DecodeError::Empty`] for empty data (Flink's "no leader information"), otherwise a
/// [`DecodeError`] naming the byte offset and what was expected there.
pub fn decode(bytes: &[u8]) -> Result<ConnectionInfo, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let mut r = Reader { buf: bytes, pos: 0 };
    let magic = r.take(4, "stream header AC ED 00 05")?;
    if magic != STREAM_MAGIC {
        return Err(DecodeError::Unexpected {
            offset: 0,
            expected: "stream header AC ED 00 05 (Java serialization)",
            found: hex::encode(magic),
        });
    }

    // Block data: one or more TC_BLOCKDATA / TC_BLOCKDATALONG records holding writeUTF.
    let mut block = Vec::new();
    // Offsets in `bytes` of the block-data payload, to report errors at the right place.
    let mut block_offsets: Vec<(usize, usize)> = Vec::new(); // (offset in block, offset in bytes)
    loop {
        let offset = r.pos;
        let tag = r.u8("TC_BLOCKDATA (0x77) holding the address")?;
        let len = match tag {
            TC_BLOCKDATA => usize::from(r.u8("block data length")?),
            TC_BLOCKDATALONG => {
                let b = r.take(4, "block data length (4 bytes)")?;
                usize::try_from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])).unwrap_or(usize::MAX)
            }
            _ if block.is_empty() => {
                return Err(DecodeError::Unexpected {
                    offset,
                    expected: "TC_BLOCKDATA (0x77) holding the address",
                    found: format!("0x{tag:02x}"),
                });
            }
            _ => {
                r.pos = offset;
                break;
            }
        };
        block_offsets.push((block.len(), r.pos));
        block.extend_from_slice(r.take(len, "block data bytes")?);
        // Enough for the writeUTF? Then the next record is the UUID object.
        if block.len() >= 2 {
            let utf_len = usize::from(u16::from_be_bytes([block[0], block[1]]));
            if block.len() >= utf_len + 2 {
                break;
            }
        }
    }
    let to_stream_offset = |block_off: usize| {
        block_offsets
            .iter()
            .rev()
            .find(|(b, _)| *b <= block_off)
            .map_or(0, |(b, s)| s + (block_off - b))
    };
    if block.len() < 2 {
        return Err(DecodeError::Truncated {
            offset: r.pos,
            expected: "writeUTF length (2 bytes) in block data",
        });
    }
    let utf_len = usize::from(u16::from_be_bytes([block[0], block[1]]));
    if block.len() < utf_len + 2 {
        return Err(DecodeError::Truncated {
            offset: r.pos,
            expected: "the rest of the address in block data",
        });
    }
    if block.len() > utf_len + 2 {
        return Err(DecodeError::Unexpected {
            offset: to_stream_offset(utf_len + 2),
            expected: "end of block data after the address",
            found: format!("{} more bytes", block.len() - utf_len - 2),
        });
    }
    let address = decode_modified_utf8(&block[2..], 0).map_err(|e| match e {
        DecodeError::InvalidUtf { offset } => DecodeError::InvalidUtf {
            offset: to_stream_offset(offset + 2),
        },
        other => other,
    })?;

    // The java.util.UUID object.
    r.expect_byte(TC_OBJECT, "TC_OBJECT (0x73) for the UUID")?;
    r.expect_byte(TC_CLASSDESC, "TC_CLASSDESC (0x72) for java.util.UUID")?;
    let name_offset = r.pos;
    let class = r.utf("class name")?;
    if class != UUID_CLASS {
        return Err(DecodeError::Unexpected {
            offset: name_offset,
            expected: "class name java.util.UUID",
            found: class,
        });
    }
    let suid_offset = r.pos;
    let suid = r.u64("serialVersionUID")?;
    if suid != UUID_SUID {
        return Err(DecodeError::Unexpected {
            offset: suid_offset,
            expected: "java.util.UUID serialVersionUID bc9903f7986d852f",
            found: format!("{suid:016x}"),
        });
    }
    r.expect_byte(SC_SERIALIZABLE, "class flags SC_SERIALIZABLE (0x02)")?;
    let count_offset = r.pos;
    let count = r.u16("field count")?;
    if count != 2 {
        return Err(DecodeError::Unexpected {
            offset: count_offset,
            expected: "2 fields (leastSigBits, mostSigBits)",
            found: count.to_string(),
        });
    }
    let mut order = [false; 2]; // true = mostSigBits
    let mut seen = [false; 2];
    for slot in &mut order {
        r.expect_byte(b'J', "field type 'J' (long)")?;
        let offset = r.pos;
        let name = r.utf("field name")?;
        let most = match name.as_str() {
            "leastSigBits" => false,
            "mostSigBits" => true,
            _ => {
                return Err(DecodeError::Unexpected {
                    offset,
                    expected: "field leastSigBits or mostSigBits",
                    found: name,
                });
            }
        };
        if seen[usize::from(most)] {
            return Err(DecodeError::Unexpected {
                offset,
                expected: "each UUID field once",
                found: name,
            });
        }
        seen[usize::from(most)] = true;
        *slot = most;
    }
    r.expect_byte(TC_ENDBLOCKDATA, "TC_ENDBLOCKDATA (0x78) after the fields")?;
    r.expect_byte(TC_NULL, "TC_NULL (0x70): no superclass")?;
    let (mut msb, mut lsb) = (0u64, 0u64);
    for most in order {
        let v = r.u64(if most {
            "mostSigBits (8 bytes)"
        } else {
            "leastSigBits (8 bytes)"
        })?;
        if most {
            msb = v;
        } else {
            lsb = v;
        }
    }
    if r.pos != bytes.len() {
        return Err(DecodeError::TrailingBytes {
            offset: r.pos,
            count: bytes.len() - r.pos,
        });
    }
    Ok(ConnectionInfo {
        address,
        session_id: format_uuid(msb, lsb),
    })
}

/// Serializes `address` and `session_id` exactly as Flink's
/// `ZooKeeperUtils.writeLeaderInformationToZooKeeper` does (`ObjectOutputStream`:
/// `writeUTF(address)`, `writeObject(UUID.fromString(session_id))`, `close()`), including the
/// split of long block data into 1024-byte records. Used by tests to create znodes.
///
/// # Errors
/// [`EncodeError::InvalidUuid`] unless `session_id` is `8-4-4-4-12` hex;
/// [`EncodeError::AddressTooLong`] beyond writeUTF's 65535 bytes.
pub fn encode(address: &str, session_id: &str) -> Result<Vec<u8>, EncodeError> {
    let (msb, lsb) =
        parse_uuid(session_id).ok_or_else(|| EncodeError::InvalidUuid(session_id.to_owned()))?;
    let utf = encode_modified_utf8(address);
    let utf_len = u16::try_from(utf.len()).map_err(|_| EncodeError::AddressTooLong(utf.len()))?;
    let mut payload = Vec::with_capacity(utf.len() + 2);
    payload.extend_from_slice(&utf_len.to_be_bytes());
    payload.extend_from_slice(&utf);

    let mut out = Vec::with_capacity(payload.len() + 96);
    out.extend_from_slice(&STREAM_MAGIC);
    for chunk in payload.chunks(MAX_BLOCK_SIZE) {
        match u8::try_from(chunk.len()) {
            Ok(n) => out.extend_from_slice(&[TC_BLOCKDATA, n]),
            Err(_) => {
                out.push(TC_BLOCKDATALONG);
                // chunk.len() <= 1024
                out.extend_from_slice(&(chunk.len() as u32).to_be_bytes());
            }
        }
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&[TC_OBJECT, TC_CLASSDESC]);
    out.extend_from_slice(&(UUID_CLASS.len() as u16).to_be_bytes());
    out.extend_from_slice(UUID_CLASS.as_bytes());
    out.extend_from_slice(&UUID_SUID.to_be_bytes());
    out.push(SC_SERIALIZABLE);
    out.extend_from_slice(&2u16.to_be_bytes());
    for name in ["leastSigBits", "mostSigBits"] {
        out.push(b'J');
        out.extend_from_slice(&(name.len() as u16).to_be_bytes());
        out.extend_from_slice(name.as_bytes());
    }
    out.extend_from_slice(&[TC_ENDBLOCKDATA, TC_NULL]);
    out.extend_from_slice(&lsb.to_be_bytes());
    out.extend_from_slice(&msb.to_be_bytes());
    Ok(out)
}

/// Parses a canonical `8-4-4-4-12` hex UUID (either case) into `(mostSigBits, leastSigBits)`.
/// Returns `None` for anything else.
pub fn parse_uuid(s: &str) -> Option<(u64, u64)> {
    let b = s.as_bytes();
    if b.len() != 36 || [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
        return None;
    }
    let hex: String = s.chars().filter(|&c| c != '-').collect();
    if hex.len() != 32 || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let v = u128::from_str_radix(&hex, 16).ok()?;
    Some(((v >> 64) as u64, v as u64))
}

/// Formats a UUID as `java.util.UUID.toString()` does: lowercase `8-4-4-4-12`.
pub fn format_uuid(msb: u64, lsb: u64) -> String {
    let h = format!("{msb:016x}{lsb:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Decodes Java's modified UTF-8 (`DataInput.readUTF`): `0x00` as `C0 80`, supplementary
/// characters as two 3-byte surrogates. `base` is added to error offsets.
fn decode_modified_utf8(bytes: &[u8], base: usize) -> Result<String, DecodeError> {
    let mut units: Vec<u16> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let bad = |offset: usize| DecodeError::InvalidUtf {
        offset: base + offset,
    };
    let cont = |i: usize| -> Result<u16, DecodeError> {
        match bytes.get(i) {
            Some(&b) if b & 0xC0 == 0x80 => Ok(u16::from(b & 0x3F)),
            _ => Err(bad(i)),
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        match b >> 4 {
            0..=7 => {
                units.push(u16::from(b));
                i += 1;
            }
            12 | 13 => {
                units.push((u16::from(b & 0x1F) << 6) | cont(i + 1)?);
                i += 2;
            }
            14 => {
                units.push((u16::from(b & 0x0F) << 12) | (cont(i + 1)? << 6) | cont(i + 2)?);
                i += 3;
            }
            _ => return Err(bad(i)),
        }
    }
    String::from_utf16(&units).map_err(|_| bad(0))
}

/// Encodes a string as Java's modified UTF-8 (`DataOutput.writeUTF`, without the length).
fn encode_modified_utf8(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for unit in s.encode_utf16() {
        match unit {
            0x0001..=0x007F => out.push(unit as u8),
            0x0000 | 0x0080..=0x07FF => {
                out.push(0xC0 | ((unit >> 6) & 0x1F) as u8);
                out.push(0x80 | (unit & 0x3F) as u8);
            }
            _ => {
                out.push(0xE0 | ((unit >> 12) & 0x0F) as u8);
                out.push(0x80 | ((unit >> 6) & 0x3F) as u8);
                out.push(0x80 | (unit & 0x3F) as u8);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written by `ObjectOutputStream` on OpenJDK 17.0.15 (`writeUTF` of the address,
    /// `writeObject(UUID.fromString("01234567-89ab-cdef-fedc-ba9876543210"))`, `close()`),
    /// hex-dumped by a throwaway Java program.
    const JAVA_DISPATCHER: &str = "aced00057738003670656b6b6f2e7463703a2f2f666c696e6b403132372e302e\
312e313a363132332f757365722f7270632f646973706174636865725f31737200\
0e6a6176612e7574696c2e55554944bc9903f7986d852f0200024a000c6c6561\
7374536967426974734a000b6d6f7374536967426974737870fedcba98765432\
100123456789abcdef";

    /// Same, address `é€😀x` (2-byte, 3-byte and surrogate-pair modified UTF-8).
    const JAVA_UNICODE: &str = "aced0005770e000cc3a9e282aceda0bdedb880787372000e6a6176612e7574696c\
2e55554944bc9903f7986d852f0200024a000c6c65617374536967426974734a000b6d6f73745369674269747378\
70fedcba98765432100123456789abcdef";

    const UUID: &str = "01234567-89ab-cdef-fedc-ba9876543210";
    const ADDR: &str = "pekko.tcp://flink@127.0.1.1:6123/user/rpc/dispatcher_1";

    fn blob() -> Vec<u8> {
        hex::decode(JAVA_DISPATCHER).unwrap()
    }

    /// Real znode data captured from a Flink 2.1.0 HA cluster, see
    /// tests/fixtures/znodes/README.md: (file bytes, address, leader session id).
    const FLINK_2_1_0: &[(&[u8], &str, &str)] = &[
        (
            include_bytes!("../../tests/fixtures/znodes/dispatcher.connection_info.bin"),
            "pekko.tcp://flink@127.0.1.1:60419/user/rpc/dispatcher_1",
            "fcd75773-1da0-4152-905b-b628e454e6e1",
        ),
        (
            include_bytes!("../../tests/fixtures/znodes/resource_manager.connection_info.bin"),
            "pekko.tcp://flink@127.0.1.1:60419/user/rpc/resourcemanager_0",
            "fcd75773-1da0-4152-905b-b628e454e6e1",
        ),
        (
            include_bytes!("../../tests/fixtures/znodes/rest_server.connection_info.bin"),
            "http://127.0.1.1:51531",
            "fcd75773-1da0-4152-905b-b628e454e6e1",
        ),
        (
            include_bytes!("../../tests/fixtures/znodes/job.connection_info.bin"),
            "pekko.tcp://flink@127.0.1.1:60419/user/rpc/jobmanager_2",
            "fcd75773-1da0-4152-905b-b628e454e6e1",
        ),
        (
            include_bytes!(
                "../../tests/fixtures/znodes/after-failover/dispatcher.connection_info.bin"
            ),
            "pekko.tcp://flink@127.0.1.2:57757/user/rpc/dispatcher_1",
            "1b38f1f0-a5ea-4b50-b88e-5dac59a8c9c5",
        ),
        (
            include_bytes!(
                "../../tests/fixtures/znodes/after-failover/resource_manager.connection_info.bin"
            ),
            "pekko.tcp://flink@127.0.1.2:57757/user/rpc/resourcemanager_0",
            "1b38f1f0-a5ea-4b50-b88e-5dac59a8c9c5",
        ),
        (
            include_bytes!(
                "../../tests/fixtures/znodes/after-failover/rest_server.connection_info.bin"
            ),
            "http://127.0.1.2:57669",
            "1b38f1f0-a5ea-4b50-b88e-5dac59a8c9c5",
        ),
        (
            include_bytes!("../../tests/fixtures/znodes/after-failover/job.connection_info.bin"),
            "pekko.tcp://flink@127.0.1.2:57757/user/rpc/jobmanager_2",
            "1b38f1f0-a5ea-4b50-b88e-5dac59a8c9c5",
        ),
    ];

    #[test]
    fn decodes_real_flink_2_1_0_znodes() {
        for (bytes, address, session) in FLINK_2_1_0 {
            let info = decode(bytes).unwrap_or_else(|e| panic!("{address}: {e}"));
            assert_eq!(info.address, *address);
            assert_eq!(info.session_id, *session);
            assert_eq!(bytes.len(), address.len() + 84);
            // The encoder writes byte-for-byte what Flink wrote.
            assert_eq!(encode(address, session).unwrap(), *bytes, "{address}");
        }
    }

    #[test]
    fn truncations_of_real_znodes_are_errors() {
        for (bytes, ..) in FLINK_2_1_0 {
            for n in 0..bytes.len() {
                assert!(decode(&bytes[..n]).is_err(), "prefix of {n} bytes");
            }
        }
    }

    #[test]
    fn decodes_java_bytes() {
        let b = blob();
        assert_eq!(b.len(), ADDR.len() + 84);
        let info = decode(&b).unwrap();
        assert_eq!(info.address, ADDR);
        assert_eq!(info.session_id, UUID);
    }

    #[test]
    fn decodes_java_modified_utf8() {
        let info = decode(&hex::decode(JAVA_UNICODE).unwrap()).unwrap();
        assert_eq!(info.address, "é€😀x");
        assert_eq!(info.session_id, UUID);
    }

    #[test]
    fn encode_matches_java_bytes() {
        assert_eq!(encode(ADDR, UUID).unwrap(), blob());
        assert_eq!(
            encode("é€😀x", UUID).unwrap(),
            hex::decode(JAVA_UNICODE).unwrap()
        );
    }

    #[test]
    fn long_addresses_use_blockdatalong_records() {
        // Java: 300 chars -> 7A 0000012E (302 bytes); 2000 -> 7A 00000400 + 7A 000003D2.
        let a300 = "a".repeat(300);
        let e = encode(&a300, UUID).unwrap();
        assert_eq!(&e[4..9], &[0x7A, 0, 0, 0x01, 0x2E]);
        assert_eq!(decode(&e).unwrap().address, a300);
        let a2000 = "a".repeat(2000);
        let e = encode(&a2000, UUID).unwrap();
        assert_eq!(&e[4..9], &[0x7A, 0, 0, 0x04, 0x00]);
        assert_eq!(
            &e[4 + 5 + 1024..4 + 5 + 1024 + 5],
            &[0x7A, 0, 0, 0x03, 0xD2]
        );
        assert_eq!(decode(&e).unwrap().address, a2000);
        assert_eq!(
            encode(&"a".repeat(70_000), UUID),
            Err(EncodeError::AddressTooLong(70_000))
        );
    }

    #[test]
    fn every_truncation_is_a_precise_error() {
        let b = blob();
        assert_eq!(decode(&[]), Err(DecodeError::Empty));
        for n in 1..b.len() {
            match decode(&b[..n]) {
                Err(DecodeError::Truncated { offset, .. }) => assert!(offset <= n, "{n}"),
                other => panic!("truncated to {n}: {other:?}"),
            }
        }
    }

    #[test]
    fn trailing_and_corrupt_bytes() {
        let mut b = blob();
        b.push(0);
        assert_eq!(
            decode(&b),
            Err(DecodeError::TrailingBytes {
                offset: b.len() - 1,
                count: 1
            })
        );
        let mut b = blob();
        b[0] = 0x7B;
        assert!(matches!(
            decode(&b),
            Err(DecodeError::Unexpected { offset: 0, .. })
        ));
        // Corrupt serialVersionUID.
        let mut b = blob();
        let at = 4 + 2 + 56 + 2 + 2 + 14;
        b[at] ^= 0xFF;
        assert!(matches!(decode(&b), Err(DecodeError::Unexpected { offset, .. }) if offset == at));
        // Invalid UTF-8 continuation in the address.
        let mut b = blob();
        b[10] = 0xC3;
        // Byte 11 (`k`) is not the continuation byte 0xC3 needs.
        assert_eq!(decode(&b), Err(DecodeError::InvalidUtf { offset: 11 }));
        // ASCII text (what `locks/<uuid>` znodes hold) is not connection_info.
        assert!(decode(b"127.0.0.1:6123").is_err());
    }

    #[test]
    fn never_panics_on_random_or_mutated_bytes() {
        // xorshift: deterministic, no extra dependency.
        let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        let base = blob();
        for _ in 0..20_000 {
            let len = (next() % 200) as usize;
            let random: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            let _ = decode(&random);
            let mut prefixed = STREAM_MAGIC.to_vec();
            prefixed.extend_from_slice(&random);
            let _ = decode(&prefixed);
            let mut mutated = base.clone();
            for _ in 0..3 {
                let i = (next() as usize) % mutated.len();
                mutated[i] = next() as u8;
            }
            let _ = decode(&mutated);
        }
    }

    #[test]
    fn uuid_parse_and_format() {
        assert_eq!(
            parse_uuid(UUID),
            Some((0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210))
        );
        assert_eq!(
            format_uuid(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210),
            UUID
        );
        assert!(parse_uuid("01234567-89AB-CDEF-FEDC-BA9876543210").is_some());
        for bad in [
            "",
            "0123456789abcdeffedcba9876543210",
            "01234567-89ab-cdef-fedc-ba987654321g",
            "+1234567-89ab-cdef-fedc-ba9876543210",
        ] {
            assert_eq!(parse_uuid(bad), None, "{bad}");
        }
    }
}
