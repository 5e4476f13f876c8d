//! Property tests of the inventory (`flinkha.yaml`, hand-written) and of the duration values
//! read from it and from the conf dir (issue 10): no panic on any text, a NUL byte anywhere in
//! a value is an error naming it, and huge durations saturate.

use std::path::Path;

use proptest::prelude::*;

use super::inventory::{Inventory, parse_duration};
use super::model::parse_flink_duration_ms;
use crate::proptest_config as config;

const INVENTORY_FRAGMENTS: &[&str] = &[
    "conf_dir: conf\n",
    "flink:\n  version: 2.1.0\n",
    "hosts:\n",
    "  h1:\n    address: 127.0.1.1\n",
    "    install_root: /opt/f\n",
    "    flink:\n      rest.port: 8081\n",
    "timeouts:\n  start: ",
    "ssh:\n  connect_timeout: ",
    "jobs:\n  j:\n    jar: a.jar\n    args: [",
    "\"\\0\"",
    "'",
    "\n",
    "  ",
    ": ",
    "- ",
    "584000000000y",
    "1ms",
    "&a ",
    "*a",
    "{",
    "}",
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn inventory_never_panics(text in any::<String>()) {
        let _ = Inventory::parse(&text, Path::new("flinkha.yaml"));
    }

    #[test]
    fn inventory_near_valid_never_panics(
        parts in prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(INVENTORY_FRAGMENTS).prop_map(str::to_string),
                1 => any::<String>(),
            ],
            0..16,
        ),
    ) {
        let _ = Inventory::parse(&parts.concat(), Path::new("flinkha.yaml"));
    }

    /// Wherever a string value sits, a NUL in it is an error naming the file and line.
    #[test]
    fn inventory_nul_values_are_rejected(
        slot in 0usize..4,
        before in "[a-z/._-]{0,8}",
        after in "[a-z/._-]{0,8}",
        escape in prop::sample::select(&["\\0", "\\x00", "\\u0000"][..]),
    ) {
        let bad = format!("\"{before}{escape}{after}\"");
        let mut values = ["conf".to_string(), "/opt/f".into(), "127.0.1.1".into(), "x".into()];
        values[slot] = bad;
        let text = format!(
            "conf_dir: {}\ninstall_root: {}\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: {}\n    flink:\n      k: {}\n",
            values[0], values[1], values[2], values[3],
        );
        let line = [1, 2, 7, 9][slot];
        let err = Inventory::parse(&text, Path::new("inv.yaml"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        prop_assert!(err.contains(&format!("inv.yaml:{line}")) && err.contains("NUL"), "{err}\n{text}");
    }

    #[test]
    fn durations_never_panic(text in any::<String>(), n in any::<u64>(), unit in prop::sample::select(
        &["", "ms", "s", "sec", "min", "m", "h", "hours", "d", "y", "years", "ns"][..],
    )) {
        let _ = parse_flink_duration_ms(&text);
        let _ = parse_duration(Path::new("f"), "k", &text);
        for t in [format!("{n}{unit}"), format!("{n} {unit}")] {
            let ms = parse_flink_duration_ms(&t);
            if let Some(ms) = ms {
                // Never less than the number itself in ms: saturating, not wrapping.
                prop_assert!(ms >= n, "{t} -> {ms}");
            }
            if let Ok(d) = parse_duration(Path::new("f"), "k", &t) {
                let _ = crate::time::deadline_after(d);
                let _ = crate::time::millis(d);
            }
        }
    }
}
