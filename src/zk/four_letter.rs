//! ZooKeeper four-letter words (`srvr`, `ruok`) over plain TCP, or TLS on a secure client port
//! ([`send_with`]).
//!
//! The client sends the four ASCII letters on the client port; the server writes its answer
//! and closes the connection (ZooKeeper Administrator's Guide, "ZooKeeper Commands: The Four
//! Letter Words"). Since ZooKeeper 3.5.3 each word must be listed in `4lw.commands.whitelist`
//! (whose default holds only `srvr`), otherwise the server answers
//! `<cmd> is not executed because it is not in the whitelist.`

use std::time::Duration;

use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Answers are small (`srvr` < 1 KiB); read at most this many bytes.
const MAX_RESPONSE: u64 = 64 * 1024;

/// The server's role, from the `Mode:` line of `srvr`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Quorum leader.
    Leader,
    /// Quorum follower.
    Follower,
    /// A single server without a quorum configuration.
    Standalone,
    /// Non-voting member.
    Observer,
    /// Cut off from its quorum but serving reads (`readonlymode.enabled=true`).
    ReadOnly,
    /// Running but not serving requests (e.g. a quorum member without a quorum): the whole
    /// answer is `This ZooKeeper instance is not currently serving requests`.
    NotServing,
    /// A `Mode:` value this code does not know.
    Other,
}

/// Parsed answer to `srvr`. Every field but [`ServerStatus::mode`] is `None` when the server
/// is not serving ([`Mode::NotServing`]) or the line is missing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServerStatus {
    /// The server's role.
    pub mode: Mode,
    /// The raw `Mode:` value (e.g. `leader`).
    pub mode_text: Option<String>,
    /// Version, e.g. `3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f` (text before `, built on`).
    pub version: Option<String>,
    /// Build date text after `built on`, e.g. `2022-02-25 08:49 UTC`.
    pub built_on: Option<String>,
    /// Request latency minimum, in milliseconds.
    pub latency_min_ms: Option<f64>,
    /// Request latency average, in milliseconds.
    pub latency_avg_ms: Option<f64>,
    /// Request latency maximum, in milliseconds.
    pub latency_max_ms: Option<f64>,
    /// Packets received since start (or the last `srst`).
    pub received: Option<u64>,
    /// Packets sent since start (or the last `srst`).
    pub sent: Option<u64>,
    /// Open client connections.
    pub connections: Option<u64>,
    /// Queued requests.
    pub outstanding: Option<u64>,
    /// Last processed transaction id (`Zxid: 0x100000002`): epoch in the high 32 bits, counter
    /// in the low 32 bits.
    pub zxid: Option<u64>,
    /// Number of znodes.
    pub node_count: Option<u64>,
}

impl ServerStatus {
    /// The epoch (high 32 bits) of [`ServerStatus::zxid`].
    pub fn zxid_epoch(&self) -> Option<u32> {
        self.zxid.map(|z| (z >> 32) as u32)
    }
}

/// A four-letter-word failure, naming the server address and the command.
#[derive(Debug, thiserror::Error)]
pub enum FourLetterError {
    /// TCP connect failed (nothing listening, unreachable, bad address).
    #[error("cannot connect to ZooKeeper {addr} for `{command}`")]
    Connect {
        /// `host:port` given.
        addr: String,
        /// The four-letter word.
        command: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// No complete answer within the timeout.
    #[error("ZooKeeper {addr} did not answer `{command}` within {timeout:?}")]
    Timeout {
        /// `host:port` given.
        addr: String,
        /// The four-letter word.
        command: &'static str,
        /// The bound that expired.
        timeout: Duration,
    },
    /// Sending or reading failed after the connect.
    #[error("I/O error talking to ZooKeeper {addr} (`{command}`)")]
    Io {
        /// `host:port` given.
        addr: String,
        /// The four-letter word.
        command: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The server refused the word (`4lw.commands.whitelist`).
    #[error("ZooKeeper {addr} refused `{command}`: it is not in 4lw.commands.whitelist")]
    NotWhitelisted {
        /// `host:port` given.
        addr: String,
        /// The four-letter word.
        command: &'static str,
    },
    /// The answer could not be understood.
    #[error("unexpected answer to `{command}` from ZooKeeper {addr}: {what}")]
    Parse {
        /// `host:port` given.
        addr: String,
        /// The four-letter word.
        command: &'static str,
        /// What was wrong, with the offending text.
        what: String,
    },
}

impl FourLetterError {
    /// A one-line suggestion for the user.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            FourLetterError::NotWhitelisted { .. } => Some(
                "add `4lw.commands.whitelist=srvr,ruok,mntr` to zoo.cfg (Flink: conf/zoo.cfg) \
                 and restart ZooKeeper",
            ),
            FourLetterError::Connect { .. } => {
                Some("is ZooKeeper running there? check clientPort in zoo.cfg and the address")
            }
            _ => None,
        }
    }
}

/// Sends a four-letter word and returns the whole answer (the server closes the connection
/// after answering). `addr` is `host:port`; `timeout` bounds connect + send + read.
///
/// # Errors
/// [`FourLetterError::Connect`], [`FourLetterError::Timeout`], [`FourLetterError::Io`],
/// [`FourLetterError::NotWhitelisted`].
pub async fn send(
    addr: &str,
    command: &'static str,
    timeout: Duration,
) -> Result<String, FourLetterError> {
    send_with(addr, command, timeout, None).await
}

/// [`send`], over TLS with `tls` when given: a ZooKeeper `secureClientPort` (its Netty server
/// answers four-letter words after the handshake). A handshake failure is
/// [`FourLetterError::Connect`] with rustls's reason.
///
/// # Errors
/// As [`send`].
pub async fn send_with(
    addr: &str,
    command: &'static str,
    timeout: Duration,
    tls: Option<std::sync::Arc<rustls::ClientConfig>>,
) -> Result<String, FourLetterError> {
    let work = async {
        let connect = |source| FourLetterError::Connect {
            addr: addr.to_owned(),
            command,
            source,
        };
        let io = |source| FourLetterError::Io {
            addr: addr.to_owned(),
            command,
            source,
        };
        match tls {
            None => {
                let stream = TcpStream::connect(addr).await.map_err(connect)?;
                exchange(stream, command).await.map_err(io)
            }
            Some(config) => {
                let stream = super::tls::handshake(addr, config).await.map_err(connect)?;
                exchange(stream, command).await.map_err(io)
            }
        }
    };
    let started = std::time::Instant::now();
    let text = tokio::time::timeout(timeout, work)
        .await
        .map_err(|_| FourLetterError::Timeout {
            addr: addr.to_owned(),
            command,
            timeout,
        })
        .and_then(|r| r);
    let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let error = text.as_ref().err().map(tracing::field::display);
    if tracing::enabled!(tracing::Level::TRACE) {
        let bytes = text.as_ref().ok().map(String::len);
        tracing::trace!(host = %addr, ms, bytes, error, "zk {command}");
    } else {
        tracing::debug!(host = %addr, ms, error, "zk {command}");
    }
    let text = text?;
    if text.contains("is not executed because it is not in the whitelist") {
        return Err(FourLetterError::NotWhitelisted {
            addr: addr.to_owned(),
            command,
        });
    }
    Ok(text)
}

/// Write `command`, read the answer until the server closes (at most [`MAX_RESPONSE`] bytes).
/// A TLS peer that closes without `close_notify` after answering still gives its answer.
async fn exchange<S: AsyncReadExt + AsyncWriteExt + Unpin>(
    mut stream: S,
    command: &str,
) -> std::io::Result<String> {
    stream.write_all(command.as_bytes()).await?;
    stream.flush().await?;
    let mut buf = Vec::new();
    match (&mut stream).take(MAX_RESPONSE).read_to_end(&mut buf).await {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !buf.is_empty() => {}
        Err(e) => return Err(e),
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// `srvr`: the server's version, role, counters and last zxid.
///
/// # Errors
/// As [`send`], plus [`FourLetterError::Parse`] when the answer has no `Mode:` line and is not
/// the "not currently serving requests" answer.
pub async fn srvr(addr: &str, timeout: Duration) -> Result<ServerStatus, FourLetterError> {
    srvr_with(addr, timeout, None).await
}

/// [`srvr`], over TLS with `tls` when given ([`send_with`]).
///
/// # Errors
/// As [`srvr`].
pub async fn srvr_with(
    addr: &str,
    timeout: Duration,
    tls: Option<std::sync::Arc<rustls::ClientConfig>>,
) -> Result<ServerStatus, FourLetterError> {
    let text = send_with(addr, "srvr", timeout, tls).await?;
    parse_srvr(&text).map_err(|what| FourLetterError::Parse {
        addr: addr.to_owned(),
        command: "srvr",
        what,
    })
}

/// `ruok`: `Ok(true)` when the server answers `imok` (it is running in a non-error state);
/// `Ok(false)` when it closes the connection without answering, as the ZooKeeper docs say it
/// does otherwise.
///
/// `imok` does not mean "accepts sessions": a starting ZooKeeper 3.8.0 standalone server
/// answered `imok` about 0.5 s before it accepted sessions (measured here; `srvr` said "not
/// currently serving requests" meanwhile). To wait for readiness, use [`srvr`] and check
/// for a [`Mode`] other than [`Mode::NotServing`].
///
/// # Errors
/// As [`send`], plus [`FourLetterError::Parse`] for any answer other than `imok` or nothing.
pub async fn ruok(addr: &str, timeout: Duration) -> Result<bool, FourLetterError> {
    let text = send(addr, "ruok", timeout).await?;
    match text.trim() {
        "imok" => Ok(true),
        "" => Ok(false),
        other => Err(FourLetterError::Parse {
            addr: addr.to_owned(),
            command: "ruok",
            what: format!("expected `imok`, got {other:?}"),
        }),
    }
}

/// Parses the text of a `srvr` answer. Unknown lines are ignored; a line whose value does not
/// parse is an error naming it.
///
/// # Errors
/// A message when there is no `Mode:` line (and it is not the not-serving answer) or a known
/// line has an unparsable value.
pub fn parse_srvr(text: &str) -> Result<ServerStatus, String> {
    let mut s = ServerStatus {
        mode: Mode::Other,
        mode_text: None,
        version: None,
        built_on: None,
        latency_min_ms: None,
        latency_avg_ms: None,
        latency_max_ms: None,
        received: None,
        sent: None,
        connections: None,
        outstanding: None,
        zxid: None,
        node_count: None,
    };
    if text.contains("not currently serving requests") {
        s.mode = Mode::NotServing;
        return Ok(s);
    }
    let count = |key: &str, v: &str| {
        v.parse::<u64>()
            .map_err(|_| format!("`{key}: {v}` is not a count"))
    };
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "Zookeeper version" => {
                let (v, b) = match value.split_once(", built on ") {
                    Some((v, b)) => (v, Some(b.trim().to_owned())),
                    None => (value, None),
                };
                s.version = Some(v.trim().to_owned());
                s.built_on = b;
            }
            "Latency min/avg/max" => {
                let parts: Vec<f64> = value
                    .split('/')
                    .map(|p| p.trim().parse::<f64>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| format!("`Latency min/avg/max: {value}` is not 3 numbers"))?;
                let [min, avg, max] = parts[..] else {
                    return Err(format!("`Latency min/avg/max: {value}` is not 3 numbers"));
                };
                (s.latency_min_ms, s.latency_avg_ms, s.latency_max_ms) =
                    (Some(min), Some(avg), Some(max));
            }
            "Received" => s.received = Some(count("Received", value)?),
            "Sent" => s.sent = Some(count("Sent", value)?),
            "Connections" => s.connections = Some(count("Connections", value)?),
            "Outstanding" => s.outstanding = Some(count("Outstanding", value)?),
            "Node count" => s.node_count = Some(count("Node count", value)?),
            "Zxid" => {
                let hex = value
                    .strip_prefix("0x")
                    .or_else(|| value.strip_prefix("0X"))
                    .unwrap_or(value);
                s.zxid = Some(
                    u64::from_str_radix(hex, 16)
                        .map_err(|_| format!("`Zxid: {value}` is not a hex number"))?,
                );
            }
            "Mode" => {
                s.mode = match value {
                    "leader" => Mode::Leader,
                    "follower" => Mode::Follower,
                    "standalone" => Mode::Standalone,
                    "observer" => Mode::Observer,
                    "read-only" => Mode::ReadOnly,
                    _ => Mode::Other,
                };
                s.mode_text = Some(value.to_owned());
            }
            _ => {}
        }
    }
    if s.mode_text.is_none() {
        let first = text.lines().next().unwrap_or("").trim();
        return Err(if first.is_empty() {
            "empty answer (is this a ZooKeeper client port?)".to_owned()
        } else {
            format!("no `Mode:` line; answer starts with {first:?}")
        });
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STANDALONE_38: &str = "Zookeeper version: 3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f, built on 2022-02-25 08:49 UTC
Latency min/avg/max: 0/0.4545/3
Received: 12
Sent: 11
Connections: 1
Outstanding: 0
Zxid: 0x100000002
Mode: standalone
Node count: 5
";

    const LEADER_37: &str = "Zookeeper version: 3.7.2-8b1b6d6b1e47b5b0b4e1f2a2c1d3e4f5a6b7c8d9, built on 2023-10-05 12:00 UTC
Latency min/avg/max: 0/1.25/17
Received: 1043
Sent: 1044
Connections: 3
Outstanding: 0
Zxid: 0x30000004f
Mode: leader
Node count: 42
Proposal sizes last/min/max: 92/36/610
";

    const OLD_34: &str = "Zookeeper version: 3.4.14-4c25d480e66aadd371de8bd2fd8da255ac140bcf, built on 03/06/2019 16:18 GMT
Latency min/avg/max: 0/0/0
Received: 2
Sent: 1
Connections: 1
Outstanding: 0
Zxid: 0x0
Mode: follower
Node count: 4
";

    #[test]
    fn parses_standalone() {
        let s = parse_srvr(STANDALONE_38).unwrap();
        assert_eq!(s.mode, Mode::Standalone);
        assert_eq!(
            s.version.as_deref(),
            Some("3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f")
        );
        assert_eq!(s.built_on.as_deref(), Some("2022-02-25 08:49 UTC"));
        assert_eq!(s.latency_avg_ms, Some(0.4545));
        assert_eq!(s.latency_max_ms, Some(3.0));
        assert_eq!(
            (s.received, s.sent, s.connections, s.outstanding),
            (Some(12), Some(11), Some(1), Some(0))
        );
        assert_eq!(s.zxid, Some(0x1_0000_0002));
        assert_eq!(s.zxid_epoch(), Some(1));
        assert_eq!(s.node_count, Some(5));
    }

    #[test]
    fn parses_leader_follower_and_old_versions() {
        let s = parse_srvr(LEADER_37).unwrap();
        assert_eq!(s.mode, Mode::Leader);
        assert_eq!(s.zxid_epoch(), Some(3));
        assert_eq!(s.node_count, Some(42));
        let s = parse_srvr(OLD_34).unwrap();
        assert_eq!(s.mode, Mode::Follower);
        assert_eq!(s.built_on.as_deref(), Some("03/06/2019 16:18 GMT"));
        assert_eq!(s.latency_avg_ms, Some(0.0));
        for (text, mode) in [
            ("Mode: observer\n", Mode::Observer),
            ("Mode: read-only\n", Mode::ReadOnly),
            ("Mode: something\n", Mode::Other),
        ] {
            assert_eq!(parse_srvr(text).unwrap().mode, mode);
        }
    }

    #[test]
    fn not_serving_and_garbage() {
        let s = parse_srvr("This ZooKeeper instance is not currently serving requests\n").unwrap();
        assert_eq!(s.mode, Mode::NotServing);
        assert_eq!(s.zxid, None);
        assert!(parse_srvr("").unwrap_err().contains("empty answer"));
        assert!(parse_srvr("HTTP/1.1 400 Bad Request\r\n").is_err());
        assert!(
            parse_srvr("Zxid: zz\nMode: leader\n")
                .unwrap_err()
                .contains("Zxid")
        );
        assert!(parse_srvr("Latency min/avg/max: 1/2\nMode: leader\n").is_err());
    }

    #[tokio::test]
    async fn whitelist_refusal_and_connect_errors() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        tokio::spawn(async move {
            let (mut sock, _) = listener.accept().await.unwrap();
            let mut cmd = [0u8; 4];
            sock.read_exact(&mut cmd).await.unwrap();
            sock.write_all(b"srvr is not executed because it is not in the whitelist.\n")
                .await
                .unwrap();
        });
        let err = srvr(&addr, Duration::from_secs(5)).await.unwrap_err();
        assert!(
            matches!(err, FourLetterError::NotWhitelisted { .. }),
            "{err:?}"
        );
        assert!(
            err.hint()
                .unwrap()
                .contains("4lw.commands.whitelist=srvr,ruok,mntr")
        );

        // Nothing listening on a port we just released.
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().to_string()
        };
        let err = ruok(&closed, Duration::from_secs(5)).await.unwrap_err();
        assert!(matches!(err, FourLetterError::Connect { .. }), "{err:?}");
        assert!(err.to_string().contains(&closed));
    }

    #[tokio::test]
    async fn silent_server_times_out() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let keep = tokio::spawn(async move {
            let (sock, _) = listener.accept().await.unwrap();
            tokio::time::sleep(Duration::from_secs(5)).await;
            drop(sock);
        });
        let err = srvr(&addr, Duration::from_millis(200)).await.unwrap_err();
        assert!(matches!(err, FourLetterError::Timeout { .. }), "{err:?}");
        keep.abort();
    }
}
