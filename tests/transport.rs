//! Transport tests against a real sshd on loopback addresses (127.0.1.1-3), plus the local
//! transport.

mod common;

use std::cell::Cell;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use common::sshd::{self, Sshd};
use flinkha::transport::{
    HostKeyPolicy, LocalTransport, SshSettings, SshTransport, TimeoutPhase, Transport,
    TransportError,
};

const A1: &str = "127.0.1.1";
const A2: &str = "127.0.1.2";
const A3: &str = "127.0.1.3";
const T: Duration = Duration::from_secs(30);

fn settings(sshd: &Sshd) -> SshSettings {
    SshSettings {
        user: sshd.user.clone(),
        port: sshd.port,
        identity_file: Some(sshd.client_key.clone()),
        use_agent: false,
        known_hosts: sshd.known_hosts.clone(),
        host_key_policy: HostKeyPolicy::Strict,
        connect_timeout: Duration::from_secs(10),
        command_timeout: Duration::from_secs(60),
        keepalive_interval: Duration::from_secs(15),
    }
}

fn connect(sshd: &Sshd, addr: &str) -> SshTransport {
    SshTransport::connect("node1", addr, &settings(sshd))
        .unwrap_or_else(|e| panic!("connect failed: {e:?}\nsshd log:\n{}", sshd.log()))
}

fn fingerprint_of(pub_line: &str, dir: &Path) -> String {
    let f = dir.join("fp.pub");
    fs::write(&f, pub_line).unwrap();
    let out = std::process::Command::new("ssh-keygen")
        .arg("-lf")
        .arg(&f)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_owned()
}

/// A freshly generated key in `dir` as known_hosts writes it: `<type> <base64>`.
fn another_key(dir: &Path) -> String {
    let other = dir.join("other_key");
    sshd::generate_key(&other);
    let other_pub = fs::read_to_string(dir.join("other_key.pub")).unwrap();
    let fields: Vec<&str> = other_pub.split_whitespace().take(2).collect();
    fields.join(" ")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind((A1, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn exec_stdout_stderr_status_signal() {
    let sshd = Sshd::start(&[A1]);
    let t = connect(&sshd, A1);
    assert_eq!(t.host(), "node1");

    let out = t.exec("echo hello; echo oops >&2; exit 3", T).unwrap();
    assert_eq!(out.stdout_str(), "hello\n");
    assert_eq!(out.stderr_str(), "oops\n");
    assert_eq!(out.exit_status, Some(3));
    assert_eq!(out.exit_signal, None);
    assert!(!out.success());
    let err = out.check("node1", "the test command").unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("node1") && msg.contains("status 3") && msg.contains("oops"),
        "{msg}"
    );

    let out = t.exec("kill -TERM $$", T).unwrap();
    assert_eq!(out.exit_signal.as_deref(), Some("TERM"));
    assert_eq!(out.exit_status, None);
    let err = t.exec_checked("kill -TERM $$", T).unwrap_err();
    assert!(err.to_string().contains("signal TERM"), "{err}");

    let out = t.exec_checked("true", T).unwrap();
    assert!(out.success() && out.stdout.is_empty() && out.stderr.is_empty());

    // Quoting round trip through the remote shell.
    let weird = "it's a \"test\" $HOME `x` \\ ;|&";
    let cmd = flinkha::transport::command::sh_join(&["printf", "%s", weird]).unwrap();
    assert_eq!(t.exec_checked(&cmd, T).unwrap().stdout_str(), weird);
}

#[test]
fn exec_large_interleaved_output_does_not_deadlock() {
    let sshd = Sshd::start(&[A1]);
    let t = connect(&sshd, A1);
    // 8 MiB on each stream, written alternately, far more than the channel window.
    let cmd = "i=0; while [ $i -lt 128 ]; do head -c 65536 /dev/zero | tr '\\0' o; \
               head -c 65536 /dev/zero | tr '\\0' e >&2; i=$((i+1)); done";
    let out = t.exec_checked(cmd, T).unwrap();
    assert_eq!(out.stdout.len(), 8 << 20);
    assert_eq!(out.stderr.len(), 8 << 20);
    assert!(out.stdout.iter().all(|&b| b == b'o'));
    assert!(out.stderr.iter().all(|&b| b == b'e'));
    // The session is still usable afterwards.
    assert_eq!(t.exec_checked("echo ok", T).unwrap().stdout_str(), "ok\n");
}

#[test]
fn exec_timeout_is_quick_and_session_survives() {
    let sshd = Sshd::start(&[A1]);
    let t = connect(&sshd, A1);
    let start = Instant::now();
    let err = t.exec("sleep 30", Duration::from_secs(1)).unwrap_err();
    let took = start.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    match &err {
        TransportError::Timeout {
            host,
            phase,
            timeout,
            ..
        } => {
            assert_eq!(host, "node1");
            assert_eq!(*phase, TimeoutPhase::Command);
            assert_eq!(*timeout, Duration::from_secs(1));
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
    assert!(err.to_string().contains("sleep 30"), "{err}");
    assert_eq!(
        t.exec_checked("echo after", T).unwrap().stdout_str(),
        "after\n"
    );
}

#[test]
fn upload_file_20mib_and_bytes() {
    let sshd = Sshd::start(&[A1]);
    let t = connect(&sshd, A1);
    let local_dir = tempfile::tempdir().unwrap();
    let remote_dir = tempfile::tempdir().unwrap();

    let size: usize = 20 << 20;
    let data: Vec<u8> = (0..size)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let local = local_dir.path().join("big.bin");
    fs::write(&local, &data).unwrap();
    let remote = remote_dir.path().join("big copy.bin");
    let remote_s = remote.to_str().unwrap();

    let last = Cell::new(0u64);
    let calls = Cell::new(0u32);
    let start = Instant::now();
    let sent = t
        .upload_file(&local, remote_s, 0o640, &|n| {
            assert!(n >= last.get());
            last.set(n);
            calls.set(calls.get() + 1);
        })
        .unwrap();
    let took = start.elapsed();
    let mbps = size as f64 / (1024.0 * 1024.0) / took.as_secs_f64();
    // Shown with --nocapture; the number is for the report, not asserted.
    std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("upload_file: 20 MiB in {took:?} = {mbps:.1} MiB/s\n").as_bytes(),
    )
    .unwrap();
    assert_eq!(sent, size as u64);
    assert_eq!(last.get(), size as u64);
    assert!(calls.get() >= 20, "progress called {} times", calls.get());
    assert_eq!(fs::read(&remote).unwrap(), data);
    assert_eq!(
        fs::metadata(&remote).unwrap().permissions().mode() & 0o777,
        0o640
    );

    let small = remote_dir.path().join("conf.yaml");
    t.upload_bytes(b"a: 1\n", small.to_str().unwrap(), 0o600)
        .unwrap();
    assert_eq!(fs::read(&small).unwrap(), b"a: 1\n");
    assert_eq!(
        fs::metadata(&small).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let empty = remote_dir.path().join("empty");
    t.upload_bytes(b"", empty.to_str().unwrap(), 0o755).unwrap();
    assert_eq!(fs::read(&empty).unwrap(), b"");
    assert_eq!(
        fs::metadata(&empty).unwrap().permissions().mode() & 0o777,
        0o755
    );

    // Missing directory: an Upload error naming the path; the session stays usable.
    let err = t
        .upload_bytes(b"x", "/nonexistent-dir-flinkha/x", 0o644)
        .unwrap_err();
    assert!(matches!(err, TransportError::Upload { .. }), "{err:?}");
    assert!(
        err.to_string().contains("/nonexistent-dir-flinkha/x"),
        "{err}"
    );
    assert_eq!(
        t.exec_checked("echo still", T).unwrap().stdout_str(),
        "still\n"
    );

    // Missing local file: Io error.
    let err = t
        .upload_file(Path::new("/nonexistent/local"), remote_s, 0o644, &|_| {})
        .unwrap_err();
    assert!(matches!(err, TransportError::Io { .. }), "{err:?}");
}

#[test]
fn unknown_host_key_refused_in_strict_mode() {
    let sshd = Sshd::start(&[A1]);
    let dir = tempfile::tempdir().unwrap();
    let kh = dir.path().join("known_hosts"); // does not exist: empty
    let mut s = settings(&sshd);
    s.known_hosts = kh.clone();
    let err = SshTransport::connect("jm1", A1, &s).unwrap_err();
    let fp = fingerprint_of(&sshd.host_key_pub, dir.path());
    match &err {
        TransportError::UnknownHostKey { host, key } => {
            assert_eq!(host, "jm1");
            assert_eq!(key.address, format!("{A1}:{}", sshd.port));
            assert_eq!(key.key_type, "ssh-ed25519");
            assert_eq!(key.fingerprint, fp);
            assert_eq!(key.known_hosts, kh);
        }
        other => panic!("expected UnknownHostKey, got {other:?}"),
    }
    let msg = err.to_string();
    for needle in [
        "jm1",
        &format!("{A1}:{}", sshd.port),
        &fp,
        kh.to_str().unwrap(),
        &format!("ssh-keyscan -p {} {A1} >> {}", sshd.port, kh.display()),
        "accept-new",
    ] {
        assert!(msg.contains(needle), "{needle:?} not in: {msg}");
    }
    assert!(!kh.exists(), "strict mode must not write known_hosts");
}

#[test]
fn changed_host_key_refused_even_with_accept_new() {
    let sshd = Sshd::start(&[A1]);
    let dir = tempfile::tempdir().unwrap();
    let other_key = another_key(dir.path());
    let kh = dir.path().join("known_hosts");
    let original = format!("# keep me\n[{A1}]:{} {other_key}\n", sshd.port);
    fs::write(&kh, &original).unwrap();

    for policy in [HostKeyPolicy::Strict, HostKeyPolicy::AcceptNew] {
        let mut s = settings(&sshd);
        s.known_hosts = kh.clone();
        s.host_key_policy = policy;
        let err = SshTransport::connect("tm2", A1, &s).unwrap_err();
        match &err {
            TransportError::HostKeyChanged { host, key } => {
                assert_eq!(host, "tm2");
                assert_eq!(
                    key.fingerprint,
                    fingerprint_of(&sshd.host_key_pub, dir.path())
                );
                assert_eq!(key.host_pattern, format!("[{A1}]:{}", sshd.port));
            }
            other => panic!("expected HostKeyChanged, got {other:?}"),
        }
        let msg = err.to_string();
        assert!(msg.contains("man-in-the-middle"), "{msg}");
        assert!(msg.contains(kh.to_str().unwrap()), "{msg}");
        assert_eq!(
            fs::read_to_string(&kh).unwrap(),
            original,
            "file must not change"
        );
    }
}

#[test]
fn accept_new_adds_entry_then_strict_succeeds() {
    let sshd = Sshd::start(&[A1, A2]);
    let dir = tempfile::tempdir().unwrap();
    let kh = dir.path().join("ssh/known_hosts");
    let mut s = settings(&sshd);
    s.known_hosts = kh.clone();
    s.host_key_policy = HostKeyPolicy::AcceptNew;
    let t = SshTransport::connect("jm1", A1, &s).unwrap();
    assert_eq!(t.exec_checked("echo hi", T).unwrap().stdout_str(), "hi\n");
    drop(t);
    let content = fs::read_to_string(&kh).unwrap();
    assert_eq!(content, format!("{}\n", sshd.known_hosts_line(A1)));
    assert_eq!(
        fs::metadata(&kh).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // Strict now works for A1 ...
    s.host_key_policy = HostKeyPolicy::Strict;
    SshTransport::connect("jm1", A1, &s).unwrap();
    // ... but not yet for A2, which was never accepted.
    assert!(matches!(
        SshTransport::connect("jm2", A2, &s),
        Err(TransportError::UnknownHostKey { .. })
    ));
    // A second accept-new for A2 appends, keeping the first line.
    s.host_key_policy = HostKeyPolicy::AcceptNew;
    SshTransport::connect("jm2", A2, &s).unwrap();
    assert_eq!(
        fs::read_to_string(&kh).unwrap(),
        format!(
            "{}\n{}\n",
            sshd.known_hosts_line(A1),
            sshd.known_hosts_line(A2)
        )
    );
}

/// The server has ECDSA and Ed25519 host keys; known_hosts knows only one of them. The
/// client must ask for the known type (libssh2 alone would pick ECDSA first).
#[test]
fn known_key_type_is_preferred_in_handshake() {
    let sshd = Sshd::start_with_host_key_types(&[A1], &["ecdsa", "ed25519"]);
    assert!(sshd.host_keys_pub[0].starts_with("ecdsa-sha2-nistp256 "));
    assert!(sshd.host_keys_pub[1].starts_with("ssh-ed25519 "));
    let dir = tempfile::tempdir().unwrap();
    for known in &sshd.host_keys_pub {
        let kh = dir.path().join("known_hosts");
        // An unrelated host first, so the file has more than one line.
        fs::write(
            &kh,
            format!(
                "[10.9.9.9]:22 {}\n[{A1}]:{} {known}\n",
                sshd.host_keys_pub[0], sshd.port
            ),
        )
        .unwrap();
        let mut s = settings(&sshd);
        s.known_hosts = kh.clone();
        let t =
            SshTransport::connect("jm1", A1, &s).unwrap_or_else(|e| panic!("known {known}: {e}"));
        assert_eq!(t.exec_checked("echo ok", T).unwrap().stdout_str(), "ok\n");

        // Hashed entries (HashKnownHosts yes, Debian's default) work as well.
        let st = std::process::Command::new("ssh-keygen")
            .args(["-q", "-H", "-f"])
            .arg(&kh)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(st.success());
        let hashed = fs::read_to_string(&kh).unwrap();
        assert!(
            hashed.starts_with("|1|") && !hashed.contains(A1),
            "{hashed}"
        );
        SshTransport::connect("jm1", A1, &s).unwrap_or_else(|e| panic!("hashed {known}: {e}"));
    }
}

/// known_hosts has a key type the server does not have (any more): reported as a changed
/// key, not as an obscure handshake failure.
#[test]
fn known_key_type_missing_on_server_is_host_key_changed() {
    let sshd = Sshd::start(&[A1]); // ed25519 only
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("ecdsa_key");
    std::process::Command::new("ssh-keygen")
        .args(["-q", "-N", "", "-t", "ecdsa", "-f"])
        .arg(&other)
        .status()
        .unwrap();
    let pub_line = fs::read_to_string(dir.path().join("ecdsa_key.pub")).unwrap();
    let pub_line: Vec<&str> = pub_line.split_whitespace().take(2).collect();
    let kh = dir.path().join("known_hosts");
    fs::write(
        &kh,
        format!("[{A1}]:{} {} {}\n", sshd.port, pub_line[0], pub_line[1]),
    )
    .unwrap();
    let mut s = settings(&sshd);
    s.known_hosts = kh;
    let err = SshTransport::connect("jm1", A1, &s).unwrap_err();
    assert!(
        matches!(err, TransportError::HostKeyChanged { .. }),
        "{err:?}"
    );
}

#[test]
fn not_an_ssh_server_is_handshake_error_and_silence_is_timeout() {
    use std::io::Write;
    let listener = std::net::TcpListener::bind((A1, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        // 1st connection: talk HTTP and hang up. 2nd: accept and say nothing.
        let (mut c, _) = listener.accept().unwrap();
        let _ = c.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n");
        drop(c);
        let (c, _) = listener.accept().unwrap();
        std::thread::sleep(Duration::from_secs(3));
        drop(c);
    });
    let s = SshSettings {
        port,
        use_agent: false,
        connect_timeout: Duration::from_secs(1),
        ..SshSettings::default()
    };
    let err = SshTransport::connect("web", A1, &s).unwrap_err();
    assert!(matches!(err, TransportError::Handshake { .. }), "{err:?}");
    assert!(err.to_string().contains("web"), "{err}");

    let start = Instant::now();
    let err = SshTransport::connect("mute", A1, &s).unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    match &err {
        TransportError::Timeout { host, phase, .. } => {
            assert_eq!(host, "mute");
            assert_eq!(*phase, TimeoutPhase::Connect);
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
    server.join().unwrap();
}

#[test]
fn wrong_client_key_is_auth_error() {
    let sshd = Sshd::start(&[A1]);
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("stranger");
    sshd::generate_key(&key);
    let mut s = settings(&sshd);
    s.identity_file = Some(key.clone());
    let err = SshTransport::connect("tm1", A1, &s).unwrap_err();
    match &err {
        TransportError::Auth {
            host, user, tried, ..
        } => {
            assert_eq!(host, "tm1");
            assert_eq!(user, &sshd.user);
            assert!(
                tried.iter().any(|t| t.contains(key.to_str().unwrap())),
                "{tried:?}"
            );
        }
        other => panic!("expected Auth, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains(key.to_str().unwrap()) && msg.contains("authorized_keys"),
        "{msg}"
    );
}

#[test]
fn nothing_listening_is_connect_error() {
    let port = free_port();
    let s = SshSettings {
        port,
        use_agent: false,
        connect_timeout: Duration::from_secs(3),
        ..SshSettings::default()
    };
    let err = SshTransport::connect("zk3", A1, &s).unwrap_err();
    match &err {
        TransportError::Connect {
            host,
            address,
            source,
        } => {
            assert_eq!(host, "zk3");
            assert_eq!(address, &format!("{A1}:{port}"));
            assert_eq!(source.kind(), std::io::ErrorKind::ConnectionRefused);
        }
        other => panic!("expected Connect, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains("zk3") && msg.contains("ssh.port"), "{msg}");
}

#[test]
fn parallel_hosts_each_get_their_own_result() {
    let sshd = Sshd::start(&[A1, A2, A3]);
    let dead_port = free_port();
    let hosts = [
        ("h1", A1, sshd.port),
        ("h2", A2, sshd.port),
        ("h3", A3, dead_port),
    ];
    let results: Vec<(String, Result<String, TransportError>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = hosts
            .iter()
            .map(|&(name, addr, port)| {
                let mut s = settings(&sshd);
                s.port = port;
                scope.spawn(move || {
                    let r = SshTransport::connect(name, addr, &s).and_then(|t| {
                        t.exec_checked(
                            "sleep 0.2; hostname -I >/dev/null 2>&1; echo $SSH_CONNECTION",
                            T,
                        )
                        .map(|o| o.stdout_str())
                    });
                    (name.to_owned(), r)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (name, r) in &results {
        match name.as_str() {
            "h1" | "h2" => {
                let addr = if name == "h1" { A1 } else { A2 };
                let out = r.as_ref().unwrap_or_else(|e| panic!("{name}: {e}"));
                // SSH_CONNECTION = client_ip client_port server_ip server_port
                let fields: Vec<&str> = out.split_whitespace().collect();
                assert_eq!(fields[2], addr, "{name}: {out}");
            }
            "h3" => match r {
                Err(e @ TransportError::Connect { .. }) => assert_eq!(e.host(), "h3"),
                other => panic!("h3: expected Connect error, got {other:?}"),
            },
            _ => unreachable!(),
        }
    }
}

#[test]
fn transport_is_usable_from_several_threads() {
    let sshd = Sshd::start(&[A1]);
    let t = connect(&sshd, A1);
    std::thread::scope(|scope| {
        for i in 0..4 {
            let t = &t;
            scope.spawn(move || {
                let out = t.exec_checked(&format!("echo {i}"), T).unwrap();
                assert_eq!(out.stdout_str(), format!("{i}\n"));
            });
        }
    });
}

// ---- LocalTransport ----

#[test]
fn local_exec_basics() {
    let t = LocalTransport::new("localhost");
    assert_eq!(t.host(), "localhost");
    let out = t.exec("echo out; echo err >&2; exit 4", T).unwrap();
    assert_eq!(out.stdout_str(), "out\n");
    assert_eq!(out.stderr_str(), "err\n");
    assert_eq!(out.exit_status, Some(4));
    let out = t.exec("kill -TERM $$", T).unwrap();
    assert_eq!(out.exit_signal.as_deref(), Some("TERM"));
    assert_eq!(out.exit_status, None);
    let err = t.exec_checked("echo bad >&2; false", T).unwrap_err();
    assert!(matches!(err, TransportError::CommandFailed { .. }));
    assert!(err.to_string().contains("bad"), "{err}");
    // Big output on both streams.
    let out = t
        .exec_checked(
            "head -c 3000000 /dev/zero; head -c 3000000 /dev/zero >&2",
            T,
        )
        .unwrap();
    assert_eq!((out.stdout.len(), out.stderr.len()), (3_000_000, 3_000_000));
}

#[test]
fn local_exec_timeout_kills_the_process_group() {
    let t = LocalTransport::new("localhost");
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("marker");
    let cmd = format!("sleep 30; touch {}", marker.display());
    let start = Instant::now();
    let err = t
        .exec(&format!("({cmd}) & wait"), Duration::from_millis(500))
        .unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.host(), "localhost");
    std::thread::sleep(Duration::from_millis(100));
    // The background subshell was in the command's process group, so it is gone too.
    let needle = marker.to_str().unwrap().as_bytes().to_vec();
    let me = std::process::id().to_string();
    let survivors: Vec<String> = fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy() != me)
        .filter_map(|e| fs::read(e.path().join("cmdline")).ok().map(|c| (e, c)))
        .filter(|(_, c)| c.windows(needle.len()).any(|w| w == needle.as_slice()))
        .map(|(e, c)| format!("{:?}: {}", e.file_name(), String::from_utf8_lossy(&c)))
        .collect();
    assert!(survivors.is_empty(), "still running: {survivors:?}");
}

#[test]
fn local_quoting_round_trips_through_sh() {
    let t = LocalTransport::new("localhost");
    let words = [
        "",
        "plain",
        "a b",
        "it's",
        "a\"b",
        "$HOME",
        "`id`",
        "$(id)",
        "a\\0",
        "x\ny",
        "~",
        "*",
        "-n",
        "a;b|c&d",
        "{a,b}",
        "!x",
        "tab\there",
        "\u{e9}t\u{e9}",
        "'",
        "\"",
        "\\",
    ];
    for w in words {
        let cmd = flinkha::transport::command::sh_join(&["printf", "%s", w]).unwrap();
        let out = t.exec_checked(&cmd, T).unwrap();
        assert_eq!(out.stdout_str(), w, "command: {cmd}");
    }
    let cmd = flinkha::transport::command::CommandLine::new("sh")
        .args(["-c", "printf '%s|%s' \"$A\" \"$1\"", "zero", "it's $x"])
        .env("A", "v a'l\"ue")
        .render()
        .unwrap();
    assert_eq!(
        t.exec_checked(&cmd, T).unwrap().stdout_str(),
        "v a'l\"ue|it's $x"
    );
}

#[test]
fn local_exec_clears_flink_env() {
    // SAFETY: this test binary's other tests do not read these variables.
    unsafe {
        std::env::set_var("FLINK_CONF_DIR", "/leak");
        std::env::set_var("FLINKHA_TEST_KEEP", "kept");
    }
    let t = LocalTransport::new("localhost");
    let out = t
        .exec_checked(
            "echo \"[${FLINK_CONF_DIR:-unset}] [${FLINKHA_TEST_KEEP:-unset}]\"",
            T,
        )
        .unwrap();
    assert_eq!(out.stdout_str(), "[unset] [kept]\n");
}

#[test]
fn local_uploads() {
    let t = LocalTransport::new("localhost");
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src.bin");
    let data = vec![7u8; (3 << 20) + 5];
    fs::write(&src, &data).unwrap();
    let dst = dir.path().join("dst.bin");
    let last = Cell::new(0);
    let n = t
        .upload_file(&src, dst.to_str().unwrap(), 0o751, &|n| last.set(n))
        .unwrap();
    assert_eq!(n, data.len() as u64);
    assert_eq!(last.get(), data.len() as u64);
    assert_eq!(fs::read(&dst).unwrap(), data);
    assert_eq!(
        fs::metadata(&dst).unwrap().permissions().mode() & 0o777,
        0o751
    );
    // Overwrite: content replaced and mode applied.
    t.upload_bytes(b"small", dst.to_str().unwrap(), 0o600)
        .unwrap();
    assert_eq!(fs::read(&dst).unwrap(), b"small");
    assert_eq!(
        fs::metadata(&dst).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let err = t
        .upload_bytes(b"x", "/nonexistent-dir-flinkha/x", 0o644)
        .unwrap_err();
    assert!(matches!(err, TransportError::Upload { .. }), "{err:?}");
}

/// known_hosts lines libssh2 alone misreads, against a real sshd under `accept-new`: a
/// `@revoked` key is refused, a wildcard line counts as known (a different key is a change),
/// a negated host is not covered, a bare-host line says nothing about a non-22 port, and a
/// `@cert-authority` host is refused instead of trusted on first use. Only the cases that
/// must add a line change the file.
#[test]
fn known_hosts_markers_patterns_and_ports_under_accept_new() {
    let sshd = Sshd::start(&[A1]);
    let dir = tempfile::tempdir().unwrap();
    let other_key = another_key(dir.path());
    let line = sshd.known_hosts_line(A1);
    let server_key = line
        .split_whitespace()
        .skip(1)
        .collect::<Vec<_>>()
        .join(" ");
    let port = sshd.port;
    let kh = dir.path().join("known_hosts");
    let connect_with = |content: &str| {
        fs::write(&kh, content).unwrap();
        let mut s = settings(&sshd);
        s.known_hosts = kh.clone();
        s.host_key_policy = HostKeyPolicy::AcceptNew;
        let r = SshTransport::connect("tm1", A1, &s).map(drop);
        (r, fs::read_to_string(&kh).unwrap())
    };

    // Revoked: refused although a plain line records the same key; file unchanged.
    let content = format!("[{A1}]:{port} {server_key}\n@revoked * {server_key}\n");
    let (r, after) = connect_with(&content);
    match r {
        Err(TransportError::HostKeyRevoked { host, line, .. }) => {
            assert_eq!((host.as_str(), line), ("tm1", 2));
        }
        other => panic!("expected HostKeyRevoked, got {other:?}"),
    }
    assert_eq!(after, content);

    // A wildcard line with another key: a changed key, not a new host.
    let content = format!("[127.0.1.*]:* {other_key}\n");
    let (r, after) = connect_with(&content);
    assert!(
        matches!(r, Err(TransportError::HostKeyChanged { .. })),
        "{r:?}"
    );
    assert_eq!(after, content);
    // ... and with the server's key: known, nothing appended.
    let content = format!("[127.0.1.*]:{port} {server_key}\n");
    let (r, after) = connect_with(&content);
    r.unwrap();
    assert_eq!(after, content);

    // Negated: the wildcard line does not cover A1, so its key is new and appended.
    let content = format!("![{A1}]:*,[127.0.1.*]:* {other_key}\n");
    let (r, after) = connect_with(&content);
    r.unwrap();
    assert_eq!(after, format!("{content}{line}\n"));

    // A bare-host line (port 22) with another key says nothing about [A1]:port.
    let content = format!("{A1} {other_key}");
    let (r, after) = connect_with(&content);
    r.unwrap();
    assert_eq!(after, format!("{content}\n{line}\n"));

    // A CA covers the host: refused, naming the line; file unchanged.
    let content = format!("# ca\n@cert-authority [127.0.1.*]:* {other_key}\n");
    let (r, after) = connect_with(&content);
    match &r {
        Err(e @ TransportError::HostCertificateExpected { line, .. }) => {
            assert_eq!(*line, 2);
            assert!(
                e.to_string()
                    .contains("cannot verify SSH host certificates"),
                "{e}"
            );
        }
        other => panic!("expected HostCertificateExpected, got {other:?}"),
    }
    assert_eq!(after, content);
}

/// A command that times out is not left running on the host: its process group (the command
/// and what it started in the background) is stopped before the timeout is reported. The exit
/// status is the command's own, whatever it does (`exit`, `exec`), and the wrapper that
/// reports it leaves no trace in stderr.
#[test]
fn exec_timeout_stops_the_remote_process_group_and_statuses_are_the_commands() {
    let sshd = Sshd::start(&[A1]);
    let t = connect(&sshd, A1);
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let cmd = format!(
        "sleep 300 & echo $! > {p}; (sleep 301 & echo $! >> {p}; wait) & sleep 30",
        p = pids.display()
    );
    let err = t.exec(&cmd, Duration::from_secs(1)).unwrap_err();
    match &err {
        TransportError::Timeout { phase, hint, .. } => {
            assert_eq!(*phase, TimeoutPhase::Command);
            assert!(hint.contains("were stopped"), "{hint}");
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
    let started: Vec<i32> = fs::read_to_string(&pids)
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    assert_eq!(started.len(), 2, "both background sleeps started");
    for pid in started {
        // SAFETY: signal 0 only checks that the pid exists.
        let alive = unsafe { libc::kill(pid, 0) } == 0;
        let zombie_or_gone = !alive
            || fs::read_to_string(format!("/proc/{pid}/stat"))
                .map(|s| s.contains(") Z "))
                .unwrap_or(true);
        assert!(zombie_or_gone, "pid {pid} still runs after the timeout");
    }
    // The session still works; statuses are the command's.
    for (cmd, want) in [("exit 3", 3), ("exec false", 1), ("true", 0)] {
        let out = t.exec(cmd, T).unwrap();
        assert_eq!(out.exit_status, Some(want), "{cmd}");
        assert!(out.stderr.is_empty(), "{cmd}: {:?}", out.stderr_str());
    }
    let out = t.exec("echo e >&2; exit 2", T).unwrap();
    assert_eq!(
        (out.exit_status, out.stderr_str().as_str()),
        (Some(2), "e\n")
    );
}
