//! Property tests of what ZooKeeper hands back (issue 10): `connection_info` znode data and
//! four-letter-word answers. Neither decoder may panic, whatever the bytes; `decode ∘ encode`
//! is the identity.

use proptest::prelude::*;

use super::connection_info::{decode, encode, format_uuid, parse_uuid};
use super::four_letter::{Mode, parse_srvr};
use crate::proptest_config as config;

/// Addresses as Flink writes them, plus any string (NUL and supplementary characters
/// included: modified UTF-8 encodes both specially).
fn address() -> impl Strategy<Value = String> {
    prop_oneof![
        "pekko\\.tcp://flink@[a-z0-9.-]{1,20}:[0-9]{1,5}/user/rpc/[a-z_0-9]{1,20}",
        "https?://[a-z0-9.-]{1,20}:[0-9]{1,5}",
        any::<String>(),
        // Past one 1024-byte block record.
        "[a-z\u{0}-\u{7f}\u{80}-\u{7ff}\u{800}-\u{ffff}\u{10000}-\u{10ffff}]{300,1200}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn connection_info_decode_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode(&bytes);
    }

    #[test]
    fn connection_info_round_trips(address in address(), msb in any::<u64>(), lsb in any::<u64>()) {
        let id = format_uuid(msb, lsb);
        prop_assert_eq!(parse_uuid(&id), Some((msb, lsb)));
        let bytes = encode(&address, &id).expect("encodable");
        let info = decode(&bytes).expect("decodes");
        prop_assert_eq!(info.address, address);
        prop_assert_eq!(info.session_id, id);
    }

    /// Near-valid blobs: a real encoding cut short or with one byte changed.
    #[test]
    fn connection_info_damaged_never_panics(
        address in address(),
        msb in any::<u64>(),
        cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let bytes = encode(&address, &format_uuid(msb, !msb)).expect("encodable");
        let short = &bytes[..cut.index(bytes.len())];
        prop_assert!(decode(short).is_err());
        let mut changed = bytes.clone();
        let i = flip.index(changed.len());
        changed[i] = byte;
        let _ = decode(&changed);
    }

    #[test]
    fn parse_uuid_never_panics(s in any::<String>(), t in "[0-9a-fA-F-]{30,40}") {
        let _ = parse_uuid(&s);
        if let Some((m, l)) = parse_uuid(&t) {
            prop_assert_eq!(format_uuid(m, l), t.to_ascii_lowercase());
        }
    }
}

const SRVR_KEYS: &[&str] = &[
    "Zookeeper version",
    "Latency min/avg/max",
    "Received",
    "Sent",
    "Connections",
    "Outstanding",
    "Zxid",
    "Mode",
    "Node count",
    "Proposal sizes last/min/max",
];

/// `srvr` answers made of its own lines with arbitrary or number-like values.
fn srvr_near_valid() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(SRVR_KEYS),
            prop_oneof![
                "[0-9]{1,25}",
                "0[xX][0-9a-fA-F]{0,20}",
                "[0-9.eE+-]{1,8}(/[0-9.eE+-]{0,8}){0,3}",
                any::<String>(),
                Just("NaN/inf/-0".to_string()),
            ],
        ),
        0..12,
    )
    .prop_map(|lines| {
        lines
            .iter()
            .map(|(k, v)| format!("{k}: {v}\n"))
            .collect::<String>()
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn srvr_never_panics(text in any::<String>()) {
        let _ = parse_srvr(&text);
    }

    #[test]
    fn srvr_near_valid_never_panics(text in srvr_near_valid()) {
        let _ = parse_srvr(&text);
    }

    #[test]
    fn srvr_fields_round_trip(
        version in "3\\.[0-9]\\.[0-9]{1,2}-[0-9a-f]{40}",
        lat in (0u32..10_000, 0u32..10_000, 0u32..10_000),
        counts in any::<(u64, u64, u64, u64, u64)>(),
        zxid in any::<u64>(),
        mode in prop::sample::select(&["leader", "follower", "standalone", "observer", "read-only", "weird"][..]),
    ) {
        let text = format!(
            "Zookeeper version: {version}, built on 2024-01-01 00:00 UTC\n\
             Latency min/avg/max: {}/{}.5/{}\nReceived: {}\nSent: {}\nConnections: {}\n\
             Outstanding: {}\nZxid: 0x{zxid:x}\nMode: {mode}\nNode count: {}\n",
            lat.0, lat.1, lat.2, counts.0, counts.1, counts.2, counts.3, counts.4,
        );
        let s = parse_srvr(&text).map_err(TestCaseError::fail)?;
        prop_assert_eq!(s.version.as_deref(), Some(version.as_str()));
        prop_assert_eq!(s.built_on.as_deref(), Some("2024-01-01 00:00 UTC"));
        prop_assert_eq!(s.latency_min_ms, Some(f64::from(lat.0)));
        prop_assert_eq!(s.latency_avg_ms, Some(f64::from(lat.1) + 0.5));
        prop_assert_eq!(s.latency_max_ms, Some(f64::from(lat.2)));
        prop_assert_eq!(
            (s.received, s.sent, s.connections, s.outstanding, s.node_count),
            (Some(counts.0), Some(counts.1), Some(counts.2), Some(counts.3), Some(counts.4))
        );
        prop_assert_eq!(s.zxid, Some(zxid));
        prop_assert_eq!(s.zxid_epoch(), Some((zxid >> 32) as u32));
        prop_assert_eq!(s.mode_text.as_deref(), Some(mode));
        prop_assert_eq!(s.mode == Mode::Other, mode == "weird");
    }
}

proptest! {
    #![proptest_config(config())]

    /// The leader address read from a znode: any text is fine, and real addresses give back
    /// their host and port.
    #[test]
    fn leader_address_host_port(
        text in any::<String>(),
        host in "[a-z0-9][a-z0-9.-]{0,20}|[0-9a-f]{1,4}(:[0-9a-f]{0,4}){2,6}",
        port in any::<u16>(),
        form in 0usize..4,
    ) {
        let _ = super::leader::host_port_of_address(&text);
        let shown = if host.contains(':') { format!("[{host}]") } else { host.clone() };
        let address = match form {
            0 => format!("pekko.tcp://flink@{shown}:{port}/user/rpc/dispatcher_1"),
            1 => format!("akka.ssl.tcp://flink@{shown}:{port}/user/rpc/resourcemanager_0"),
            2 => format!("http://{shown}:{port}"),
            _ => format!("https://{shown}:{port}/?x#y"),
        };
        prop_assert_eq!(super::leader::host_port_of_address(&address), Some((host, port)));
    }
}

/// One JAAS option value as files hold them: no quote or backslash (those round-trip only
/// through the file's escapes).
fn jaas_value() -> impl Strategy<Value = String> {
    "[A-Za-z0-9 ./_:@${}-]{0,24}"
}

/// JAAS files made of contexts, entries and options, as text and as what they say.
#[allow(clippy::type_complexity)]
fn jaas_file() -> impl Strategy<Value = Vec<(String, Vec<(String, String, Vec<(String, String)>)>)>>
{
    let entry = (
        "[a-z]{1,8}(\\.[a-z]{1,8}){0,3}\\.[A-Z][A-Za-z0-9]{0,15}",
        prop::sample::select(&["required", "requisite", "sufficient", "optional"][..])
            .prop_map(str::to_string),
        prop::collection::vec(("[a-zA-Z][a-zA-Z0-9_.]{0,12}", jaas_value()), 0..4),
    );
    prop::collection::vec(
        (
            "[A-Z][A-Za-z0-9_]{0,12}",
            prop::collection::vec(entry, 1..3),
        ),
        0..4,
    )
}

proptest! {
    #![proptest_config(config())]

    /// The JAAS file is hand-written: any text is an answer (a file or an error with a line),
    /// never a panic.
    #[test]
    fn jaas_parse_never_panics(text in any::<String>(), near in "[A-Za-z{};=\" \n/*#.-]{0,200}") {
        let p = std::path::Path::new("/x/jaas.conf");
        let _ = super::jaas::parse(p, &text);
        let _ = super::jaas::parse(p, &near);
    }

    /// parse ∘ render: contexts, classes, flags and options come back in order, with their
    /// lines.
    #[test]
    fn jaas_round_trips(contexts in jaas_file()) {
        let mut text = String::from("// flinkha test\n");
        for (name, entries) in &contexts {
            text.push_str(&format!("{name} {{\n"));
            for (class, flag, options) in entries {
                text.push_str(&format!("  {class} {flag}"));
                for (k, v) in options {
                    text.push_str(&format!("\n    {k}=\"{v}\""));
                }
                text.push_str(";\n");
            }
            text.push_str("};\n");
        }
        let f = super::jaas::parse(std::path::Path::new("/x/jaas.conf"), &text)
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        // A name given twice: the JDK keeps both entries lists merged; compare by position.
        prop_assert_eq!(f.contexts.len(), contexts.len(), "{}", text);
        for (got, (name, entries)) in f.contexts.iter().zip(&contexts) {
            prop_assert_eq!(&got.name, name);
            prop_assert_eq!(got.entries.len(), entries.len());
            for (e, (class, flag, options)) in got.entries.iter().zip(entries) {
                prop_assert_eq!(&e.class, class);
                prop_assert_eq!(&e.flag, flag);
                let opts: Vec<(String, String)> =
                    e.options.iter().map(|o| (o.name.clone(), o.value.clone())).collect();
                prop_assert_eq!(&opts, options);
            }
        }
    }

    /// `${...}` expansion of hand-written values: never a panic; without `${` the value as is.
    #[test]
    fn jaas_property_expansion_never_panics(value in any::<String>(), plain in "[^$]{0,40}") {
        let lookup = |n: &str| n.len().is_multiple_of(2).then(|| n.to_uppercase());
        let _ = super::security::expand_properties(&value, &lookup);
        if !plain.is_empty() {
            prop_assert_eq!(super::security::expand_properties(&plain, &lookup), Ok(plain.clone()));
        }
    }

    /// A `.sha512` file comes from the network: any text is a digest or none, never a panic;
    /// the formats of sha512sum and of BSD / OpenSSL give the digest back.
    #[test]
    fn sha512_file_never_panics_and_reads_both_formats(
        text in any::<String>(),
        digest in "[0-9a-fA-F]{128}",
        name in "[A-Za-z0-9._-]{1,30}",
    ) {
        let _ = crate::core::ops::install::parse_sha512_file(&text);
        let want = Some(digest.to_ascii_lowercase());
        prop_assert_eq!(crate::core::ops::install::parse_sha512_file(&format!("{digest}  {name}\n")), want.clone());
        prop_assert_eq!(crate::core::ops::install::parse_sha512_file(&format!("SHA512 ({name}) = {digest}\n")), want.clone());
        prop_assert_eq!(crate::core::ops::install::parse_sha512_file(&format!("{digest}\n")), want);
        prop_assert_eq!(crate::core::ops::install::parse_sha512_file(&format!("{}  {name}\n", &digest[1..])), None);
    }
}
