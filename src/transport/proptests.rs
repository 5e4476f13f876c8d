//! Property tests of the transport's parsers and quoting (issue 10): `known_hosts` lines,
//! base64, and the POSIX shell quoting every generated script relies on.

use proptest::prelude::*;

use super::command::{CommandLine, quote, sh_join};
use super::known_hosts::{
    base64_decode, base64_encode, entry_line, key_type_of_blob, parse_entries,
};
use crate::proptest_config as config;

/// An SSH public key blob: `string key-type` then arbitrary key material.
fn key_blob() -> impl Strategy<Value = (String, Vec<u8>)> {
    (
        prop_oneof![
            Just("ssh-ed25519".to_string()),
            Just("ssh-rsa".to_string()),
            Just("ecdsa-sha2-nistp256".to_string()),
            "[a-z0-9@.-]{1,30}",
        ],
        prop::collection::vec(any::<u8>(), 0..80),
    )
        .prop_map(|(t, rest)| {
            let mut blob = (t.len() as u32).to_be_bytes().to_vec();
            blob.extend_from_slice(t.as_bytes());
            blob.extend_from_slice(&rest);
            (t, blob)
        })
}

const KNOWN_HOSTS_FRAGMENTS: &[&str] = &[
    "h1",
    "[h1]:2222",
    " ",
    "\t",
    "ssh-ed25519",
    "ssh-rsa",
    "AAAA",
    "AAAAC3NzaC1lZDI1NTE5",
    "=",
    "==",
    "+/",
    "#",
    "@revoked",
    "@cert-authority",
    "|1|",
    ",",
];

fn known_hosts_near_valid() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::collection::vec(
            prop_oneof![
                3 => prop::sample::select(KNOWN_HOSTS_FRAGMENTS).prop_map(str::to_string),
                1 => "[A-Za-z0-9+/=]{0,12}",
                1 => any::<String>(),
            ],
            0..8,
        )
        .prop_map(|p| p.concat()),
        0..6,
    )
    .prop_map(|l| l.join("\n"))
}

/// What `sh -c 'printf %s <word>'` prints: the string a POSIX shell makes of `word`.
fn through_sh(word: &str) -> String {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("printf %s {word}"))
        .output()
        .expect("sh runs");
    assert!(out.status.success(), "sh failed on {word:?}: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8 back")
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn base64_round_trips(data in prop::collection::vec(any::<u8>(), 0..100)) {
        let text = base64_encode(&data);
        prop_assert_eq!(text.len(), data.len().div_ceil(3) * 4);
        prop_assert_eq!(base64_decode(&text), Some(data.clone()));
        // Padding is optional on input.
        prop_assert_eq!(base64_decode(text.trim_end_matches('=')), Some(data));
    }

    #[test]
    fn base64_decode_never_panics(s in any::<String>(), b in "[A-Za-z0-9+/=]{0,40}") {
        let _ = base64_decode(&s);
        let _ = base64_decode(&b);
    }

    #[test]
    fn key_type_of_blob_never_panics(blob in prop::collection::vec(any::<u8>(), 0..40)) {
        let _ = key_type_of_blob(&blob);
    }

    #[test]
    fn known_hosts_never_panics(text in any::<String>(), near in known_hosts_near_valid()) {
        let _ = parse_entries(&text);
        let _ = parse_entries(&near);
    }

    #[test]
    fn known_hosts_entry_line_round_trips(
        address in "[a-z0-9.-]{1,20}|[0-9a-f:]{2,20}",
        port in any::<u16>(),
        (key_type, blob) in key_blob(),
        junk in known_hosts_near_valid(),
    ) {
        let line = entry_line(&address, port, &blob).expect("well-formed blob");
        let text = format!("{junk}\n{line}\n");
        let entries = parse_entries(&text);
        let last = entries.last().expect("the entry line parses");
        prop_assert_eq!(&last.line, &line);
        prop_assert_eq!(&last.key_type, &key_type);
        prop_assert_eq!(&last.key_blob, &blob);
    }

    #[test]
    fn shell_quote_rejects_nul(a in any::<String>(), b in any::<String>()) {
        let s = format!("{a}\0{b}");
        prop_assert!(quote(&s).is_err());
        prop_assert!(sh_join(&["echo", &s]).is_err());
        prop_assert!(CommandLine::new("echo").arg(s.clone()).render().is_err());
        prop_assert!(CommandLine::new("echo").env("V", s).render().is_err());
    }
}

proptest! {
    // Each case starts a shell: fewer of them.
    #![proptest_config(ProptestConfig { cases: config().cases / 4, ..config() })]

    /// Every word `quote` makes reads back, in a real POSIX shell, as the string quoted.
    #[test]
    fn shell_quote_round_trips_through_sh(
        s in prop_oneof![
            any::<String>(),
            "[ -~]{0,20}",
            prop::collection::vec(
                prop::sample::select(&["'", "\"", "\\", "$", "`", "$(id)", "!", "*", "~", "#", " ", "\n", "-", "a"][..]),
                0..8,
            ).prop_map(|p| p.concat()),
        ].prop_map(|s| s.replace('\0', "")),
    ) {
        let q = quote(&s).expect("no NUL");
        prop_assert_eq!(through_sh(&q), s);
    }
}
