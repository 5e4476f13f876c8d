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
