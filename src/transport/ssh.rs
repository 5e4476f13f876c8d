//! [`Transport`] over SSH with libssh2 (the `ssh2` crate): one blocking session per host.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::os::fd::{AsRawFd, RawFd};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use ssh2::{BlockDirections, ErrorCode, MethodType, Session};

use super::{
    BoxError, ExecOutput, HostKeyInfo, HostKeyPolicy, SshSettings, TimeoutPhase, Transport,
    TransportError, command,
};
use super::{known_hosts, remote};

/// Upload chunk size (bytes): progress is reported after each chunk. One buffer of this
/// size per concurrent upload (libssh2 sends at most 32 KiB per packet anyway). 64 KiB:
/// `benches/scale.sh` measured flinkha's peak RSS for an install to 30 hosts at 20.0 MB with
/// it and 25.4 MB with 256 KiB, and 3 × 300 MB installs at 14.1-16.8 s against 15.5-16.7 s.
const CHUNK: usize = 64 << 10;
/// Read buffer of a command's stdout and stderr, bytes: what flinkha's commands print is small
/// (states, probes, log tails), and one buffer is held per host at once (30 hosts: 0.5 MB at
/// 16 KiB, 1.9 MB at 64 KiB); a larger output only takes more reads.
const READ_CHUNK: usize = 16 << 10;
/// libssh2 error codes used here.
const LIBSSH2_ERROR_TIMEOUT: i32 = -9;
const LIBSSH2_ERROR_EAGAIN: i32 = -37;
/// How long cleanup after a timed-out command may block (ms).
const CLEANUP_TIMEOUT_MS: u32 = 2000;

/// A connected, authenticated SSH session to one host.
///
/// Operations take the session's lock for their whole duration, so calls from several
/// threads on one transport run one after the other. Drop closes the connection.
pub struct SshTransport {
    host: String,
    /// `address:port`, for messages.
    endpoint: String,
    command_timeout: Duration,
    inner: Mutex<Inner>,
}

struct Inner {
    session: Session,
    /// The socket the session uses (owned by the session), polled while waiting.
    fd: RawFd,
}

impl std::fmt::Debug for SshTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SshTransport")
            .field("host", &self.host)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

fn is_code(e: &ssh2::Error, code: i32) -> bool {
    matches!(e.code(), ErrorCode::Session(c) if c == code)
}

fn ms(d: Duration) -> u32 {
    // 0 would mean "no timeout" to libssh2: use at least 1 ms.
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX).max(1)
}

fn endpoint_of(address: &str, port: u16) -> String {
    if address.contains(':') {
        format!("[{address}]:{port}")
    } else {
        format!("{address}:{port}")
    }
}

/// Resolve `address` with `resolve` (`to_socket_addrs` outside tests) on a thread, waiting
/// at most `timeout`. An IP address is parsed here, without a thread. `None` when the
/// resolver did not answer in time; the thread is left to finish on its own (the system
/// resolver cannot be interrupted) and its late answer is dropped.
fn resolve_within(
    address: &str,
    port: u16,
    timeout: Duration,
    resolve: impl FnOnce(String, u16) -> io::Result<Vec<SocketAddr>> + Send + 'static,
) -> Option<io::Result<Vec<SocketAddr>>> {
    if let Ok(ip) = address.parse::<std::net::IpAddr>() {
        return Some(Ok(vec![SocketAddr::new(ip, port)]));
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = address.to_owned();
    let spawned = std::thread::Builder::new()
        .name("flinkha-resolve".into())
        .spawn(move || {
            let _ = tx.send(resolve(owned, port));
        });
    if let Err(e) = spawned {
        return Some(Err(e));
    }
    rx.recv_timeout(timeout).ok()
}

impl SshTransport {
    /// Connect to `address` (IP or DNS name) on `settings.port`, check the host key against
    /// `settings.known_hosts` and authenticate as `settings.user`. `host_name` is the
    /// inventory name used in errors.
    ///
    /// Host keys: the key types recorded for `address` (`[address]:port` for ports other
    /// than 22) are preferred in the handshake, so the server presents a key we can check.
    /// With [`HostKeyPolicy::AcceptNew`] an unknown key is appended to the file; a changed
    /// key is always refused.
    ///
    /// Authentication tries, in order: `identity_file`, the ssh-agent's identities (if
    /// `use_agent`), and, when no identity file is configured, `~/.ssh/id_ed25519`,
    /// `id_ecdsa` and `id_rsa`.
    ///
    /// Everything up to and including authentication, name resolution included, is bounded
    /// by `settings.connect_timeout`.
    ///
    /// # Errors
    /// [`TransportError::Connect`], [`TransportError::Timeout`] (phase `Connect`),
    /// [`TransportError::Handshake`], [`TransportError::UnknownHostKey`],
    /// [`TransportError::HostKeyChanged`], [`TransportError::Auth`], and
    /// [`TransportError::Io`] when `known_hosts` cannot be read or written.
    pub fn connect(
        host_name: &str,
        address: &str,
        settings: &SshSettings,
    ) -> Result<SshTransport, TransportError> {
        let started = Instant::now();
        let r = Self::connect_inner(host_name, address, settings);
        let ms = super::ms_since(started);
        match &r {
            Ok(t) => {
                tracing::debug!(host = %host_name, ms, address = %t.endpoint, user = %settings.user, "ssh connect")
            }
            Err(e) => tracing::debug!(host = %host_name, ms, error = %e, "ssh connect failed"),
        }
        r
    }

    fn connect_inner(
        host_name: &str,
        address: &str,
        settings: &SshSettings,
    ) -> Result<SshTransport, TransportError> {
        let port = settings.port;
        let endpoint = endpoint_of(address, port);
        let deadline = crate::time::deadline_after(settings.connect_timeout);
        let connect_timeout_err = |stage: &str| TransportError::Timeout {
            host: host_name.to_owned(),
            phase: TimeoutPhase::Connect,
            what: format!("{stage} {endpoint}"),
            timeout: settings.connect_timeout,
            hint: "is the host up and reachable? raise ssh.connect_timeout for slow networks",
        };
        let handshake_err = |source: BoxError| TransportError::Handshake {
            host: host_name.to_owned(),
            address: endpoint.clone(),
            source,
        };

        // DNS, within the connect timeout (getaddrinfo itself can block for many seconds
        // per unreachable name server), then TCP.
        let addrs = resolve_within(address, port, settings.connect_timeout, |a, p| {
            (a.as_str(), p).to_socket_addrs().map(Iterator::collect)
        })
        .ok_or_else(|| TransportError::Timeout {
            host: host_name.to_owned(),
            phase: TimeoutPhase::Connect,
            what: format!("resolving {address}"),
            timeout: settings.connect_timeout,
            hint: "is the name server reachable? write the host's IP address as its `address`, \
                   or raise ssh.connect_timeout",
        })?
        .map_err(|e| TransportError::Connect {
            host: host_name.to_owned(),
            address: endpoint.clone(),
            source: io::Error::new(e.kind(), format!("cannot resolve {address}: {e}")),
        })?;
        let mut stream = None;
        let mut last_err = None;
        let mut timed_out = false;
        for a in &addrs {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                timed_out = true;
                break;
            }
            match TcpStream::connect_timeout(a, left) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) if e.kind() == io::ErrorKind::TimedOut => timed_out = true,
                Err(e) => last_err = Some(e),
            }
        }
        let stream = match stream {
            Some(s) => s,
            None if timed_out && last_err.is_none() => {
                return Err(connect_timeout_err("TCP connect to"));
            }
            None => {
                return Err(TransportError::Connect {
                    host: host_name.to_owned(),
                    address: endpoint.clone(),
                    source: last_err.unwrap_or_else(|| {
                        io::Error::new(
                            io::ErrorKind::NotFound,
                            format!("{address} resolved to no address"),
                        )
                    }),
                });
            }
        };
        let _ = stream.set_nodelay(true);
        let fd = stream.as_raw_fd();

        // known_hosts
        let kh_path = &settings.known_hosts;
        let kh_content = known_hosts::read_file(kh_path).map_err(|e| TransportError::Io {
            host: host_name.to_owned(),
            what: format!("cannot read known_hosts file {}", kh_path.display()),
            source: e,
        })?;
        let entries = known_hosts::parse_entries(&kh_content);

        let mut session = Session::new().map_err(|e| handshake_err(e.into()))?;
        session.set_timeout(ms(deadline.saturating_duration_since(Instant::now())));
        let known_types = known_hosts::known_key_types(&entries, address, port);
        if !known_types.is_empty() {
            // Known types first, then the rest: a server that lost the known key type then
            // presents another one, which is reported as a changed key instead of failing
            // the handshake with "no matching host key type".
            let supported = session
                .supported_algs(MethodType::HostKey)
                .unwrap_or_default();
            let mut prefs: Vec<&str> = known_types
                .iter()
                .flat_map(|t| known_hosts::algorithms_for_key_type(t).iter().copied())
                .filter(|a| supported.contains(a))
                .collect();
            if !prefs.is_empty() {
                for a in &supported {
                    if !prefs.contains(a) {
                        prefs.push(a);
                    }
                }
                let prefs = prefs.join(",");
                tracing::trace!(host = %host_name, prefs, "host key preferences");
                session
                    .method_pref(MethodType::HostKey, &prefs)
                    .map_err(|e| handshake_err(e.into()))?;
            }
        }

        // SSH handshake
        session.set_tcp_stream(stream);
        session.handshake().map_err(|e| {
            if is_code(&e, LIBSSH2_ERROR_TIMEOUT) {
                connect_timeout_err("SSH handshake with")
            } else {
                handshake_err(e.into())
            }
        })?;

        // Host key
        let (key_blob, _) = session
            .host_key()
            .ok_or_else(|| handshake_err("the server sent no host key".into()))?;
        let key_blob = key_blob.to_vec();
        let key_type = known_hosts::key_type_of_blob(&key_blob).unwrap_or_else(|| "unknown".into());
        let fingerprint = known_hosts::fingerprint_sha256(&key_blob);
        let key_info = || {
            Box::new(HostKeyInfo {
                address: endpoint.clone(),
                ip: address.to_owned(),
                port,
                host_pattern: known_hosts::host_pattern(address, port),
                key_type: key_type.clone(),
                fingerprint: fingerprint.clone(),
                known_hosts: kh_path.clone(),
            })
        };
        match known_hosts::check(&entries, address, port, &key_blob) {
            known_hosts::Verdict::Match => {}
            known_hosts::Verdict::NotFound => match settings.host_key_policy {
                HostKeyPolicy::Strict => {
                    return Err(TransportError::UnknownHostKey {
                        host: host_name.to_owned(),
                        key: key_info(),
                    });
                }
                HostKeyPolicy::AcceptNew => {
                    let added = add_host_key(kh_path, address, port, &key_blob).map_err(|e| {
                        TransportError::Io {
                            host: host_name.to_owned(),
                            what: format!(
                                "cannot add the host key of {endpoint} to {}",
                                kh_path.display()
                            ),
                            source: e,
                        }
                    })?;
                    if added {
                        tracing::info!(
                            host = host_name,
                            address = %endpoint,
                            key_type,
                            fingerprint,
                            file = %kh_path.display(),
                            "added new host key to known_hosts"
                        );
                    }
                }
            },
            known_hosts::Verdict::Changed(_) => {
                return Err(TransportError::HostKeyChanged {
                    host: host_name.to_owned(),
                    key: key_info(),
                });
            }
            known_hosts::Verdict::Revoked(line) => {
                return Err(TransportError::HostKeyRevoked {
                    host: host_name.to_owned(),
                    key: key_info(),
                    line,
                });
            }
            known_hosts::Verdict::CertAuthority(line) => {
                return Err(TransportError::HostCertificateExpected {
                    host: host_name.to_owned(),
                    key: key_info(),
                    line,
                });
            }
        }

        // Authentication
        session.set_timeout(ms(deadline.saturating_duration_since(Instant::now())));
        let user = settings.user.as_str();
        let tried = authenticate(&session, settings).map_err(|e| {
            if is_code(&e, LIBSSH2_ERROR_TIMEOUT) {
                connect_timeout_err("authenticating with")
            } else {
                handshake_err(e.into())
            }
        })?;
        if !session.authenticated() {
            return Err(TransportError::Auth {
                host: host_name.to_owned(),
                address: endpoint.clone(),
                user: user.to_owned(),
                tried,
            });
        }

        let keepalive = u32::try_from(settings.keepalive_interval.as_secs()).unwrap_or(u32::MAX);
        if keepalive > 0 {
            session.set_keepalive(true, keepalive);
        }
        session.set_timeout(ms(settings.command_timeout));
        Ok(SshTransport {
            host: host_name.to_owned(),
            endpoint,
            command_timeout: settings.command_timeout,
            inner: Mutex::new(Inner { session, fd }),
        })
    }

    /// `address:port` this transport is connected to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        // libssh2 only sends when the interval has passed since the last one.
        if let Err(e) = inner.session.keepalive_send() {
            tracing::debug!(host = %self.host, error = %e, "keepalive failed");
        }
        inner
    }

    fn exec_err(&self, command: &str, source: impl Into<BoxError>) -> TransportError {
        TransportError::Exec {
            host: self.host.clone(),
            command: command::summarize(command, 160),
            source: source.into(),
        }
    }

    /// `killed`: `Some(true)` when the command's process group was stopped after the timeout,
    /// `Some(false)` when stopping it failed, `None` when it was not tried (no group known).
    fn command_timeout_err(
        &self,
        command: &str,
        timeout: Duration,
        killed: Option<bool>,
    ) -> TransportError {
        TransportError::Timeout {
            host: self.host.clone(),
            phase: TimeoutPhase::Command,
            what: format!("`{}`", command::summarize(command, 160)),
            timeout,
            hint: match killed {
                Some(true) => {
                    "the command and everything it started (its process group) were stopped \
                     (SIGTERM, then SIGKILL after 2 s); raise the timeout if it needs longer"
                }
                Some(false) => {
                    "stopping the command's process group failed: it may still be running on \
                     the host; raise the timeout if it needs longer"
                }
                None => {
                    "the command was abandoned (it may still be running on the host); \
                     raise the timeout if it needs longer"
                }
            },
        }
    }

    fn upload_timeout_err(&self, remote: &str) -> TransportError {
        TransportError::Timeout {
            host: self.host.clone(),
            phase: TimeoutPhase::Upload,
            what: remote.to_owned(),
            timeout: self.command_timeout,
            hint: "the transfer stalled; check the network and the host's disk, \
                   or raise ssh.command_timeout",
        }
    }

    /// Upload `size` bytes from `src` with scp.
    fn scp_upload(
        &self,
        mut src: impl Read,
        size: u64,
        remote: &str,
        mode: i32,
        progress: &dyn Fn(u64),
    ) -> Result<u64, TransportError> {
        let inner = self.lock();
        let sess = &inner.session;
        sess.set_blocking(true);
        sess.set_timeout(ms(self.command_timeout));
        let upload_err = |e: ssh2::Error| {
            if is_code(&e, LIBSSH2_ERROR_TIMEOUT) {
                self.upload_timeout_err(remote)
            } else {
                TransportError::Upload {
                    host: self.host.clone(),
                    remote: remote.to_owned(),
                    detail: e.message().trim().to_owned(),
                    source: Some(e.into()),
                }
            }
        };
        let io_upload_err = |e: io::Error| {
            if e.kind() == io::ErrorKind::TimedOut {
                self.upload_timeout_err(remote)
            } else {
                TransportError::Upload {
                    host: self.host.clone(),
                    remote: remote.to_owned(),
                    detail: String::new(),
                    source: Some(e.into()),
                }
            }
        };
        let mut ch = sess
            .scp_send(Path::new(remote), mode & 0o7777, size, None)
            .map_err(upload_err)?;

        let mut buf = vec![0u8; CHUNK];
        let mut sent = 0u64;
        while sent < size {
            let want = usize::try_from((size - sent).min(CHUNK as u64)).unwrap_or(CHUNK);
            let n = match src.read(&mut buf[..want]) {
                Ok(0) => {
                    return Err(TransportError::Io {
                        host: self.host.clone(),
                        what: format!(
                            "the data to upload to {remote} ended after {sent} of {size} bytes \
                             (was the file changed while uploading?)"
                        ),
                        source: io::ErrorKind::UnexpectedEof.into(),
                    });
                }
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(TransportError::Io {
                        host: self.host.clone(),
                        what: format!("cannot read the data to upload to {remote}"),
                        source: e,
                    });
                }
            };
            ch.write_all(&buf[..n]).map_err(io_upload_err)?;
            sent += n as u64;
            progress(sent);
        }
        // End of file: the scp protocol wants a NUL after the data, then the sink answers
        // with its own NUL (or \x01/\x02 and a message) once the file is written and closed.
        ch.write_all(&[0]).map_err(io_upload_err)?;
        ch.send_eof().map_err(upload_err)?;
        let mut reply = Vec::new();
        ch.read_to_end(&mut reply).map_err(io_upload_err)?;
        let mut stderr = Vec::new();
        let _ = ch.stderr().read_to_end(&mut stderr);
        ch.wait_eof().map_err(upload_err)?;
        ch.close().map_err(upload_err)?;
        ch.wait_close().map_err(upload_err)?;
        let status = ch.exit_status().unwrap_or(-1);
        let reply_ok = reply.first() == Some(&0);
        if !reply_ok || status != 0 {
            let mut detail = String::from_utf8_lossy(reply.get(1..).unwrap_or_default())
                .trim()
                .to_owned();
            let err_text = String::from_utf8_lossy(&stderr).trim().to_owned();
            if detail.is_empty() {
                detail = err_text;
            }
            if detail.is_empty() {
                detail = format!("scp exited with status {status}");
            }
            return Err(TransportError::Upload {
                host: self.host.clone(),
                remote: remote.to_owned(),
                detail,
                source: None,
            });
        }
        Ok(sent)
    }
}

/// Record `key_blob` for `address`/`port` in `path` unless an equal line is already there
/// (see [`known_hosts::append_line`]); returns whether it was added.
fn add_host_key(path: &Path, address: &str, port: u16, key_blob: &[u8]) -> io::Result<bool> {
    let line = known_hosts::entry_line(address, port, key_blob)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "malformed host key"))?;
    known_hosts::append_line(path, &line)
}

/// Try the configured authentication methods; returns what was tried (for the error).
fn authenticate(session: &Session, settings: &SshSettings) -> Result<Vec<String>, ssh2::Error> {
    let user = settings.user.as_str();
    let mut tried = Vec::new();

    let try_file = |file: &Path, tried: &mut Vec<String>| -> Result<bool, ssh2::Error> {
        if !file.exists() {
            tried.push(format!("identity file {} (not found)", file.display()));
            return Ok(false);
        }
        let pubkey = PathBuf::from(format!("{}.pub", file.display()));
        let pubkey = pubkey.exists().then_some(pubkey);
        match session.userauth_pubkey_file(user, pubkey.as_deref(), file, None) {
            Ok(()) => Ok(true),
            Err(e) if is_code(&e, LIBSSH2_ERROR_TIMEOUT) => Err(e),
            Err(e) => {
                tried.push(format!(
                    "identity file {} ({})",
                    file.display(),
                    e.message()
                ));
                Ok(false)
            }
        }
    };

    if let Some(file) = &settings.identity_file
        && try_file(file, &mut tried)?
    {
        return Ok(tried);
    }

    if settings.use_agent {
        if std::env::var_os("SSH_AUTH_SOCK").is_none() {
            tried.push("ssh-agent (SSH_AUTH_SOCK is not set)".to_owned());
        } else {
            match agent_auth(session, user, &mut tried) {
                Ok(true) => return Ok(tried),
                Ok(false) => {}
                Err(e) if is_code(&e, LIBSSH2_ERROR_TIMEOUT) => return Err(e),
                Err(e) => tried.push(format!("ssh-agent (unavailable: {})", e.message())),
            }
        }
    }

    if settings.identity_file.is_none()
        && let Some(home) = std::env::var_os("HOME")
    {
        for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
            let file = Path::new(&home).join(".ssh").join(name);
            if file.exists() && try_file(&file, &mut tried)? {
                return Ok(tried);
            }
        }
    }
    Ok(tried)
}

fn agent_auth(session: &Session, user: &str, tried: &mut Vec<String>) -> Result<bool, ssh2::Error> {
    let mut agent = session.agent()?;
    agent.connect()?;
    agent.list_identities()?;
    let identities = agent.identities()?;
    if identities.is_empty() {
        tried.push("ssh-agent (no identities loaded)".to_owned());
    }
    for id in identities {
        match agent.userauth(user, &id) {
            Ok(()) => {
                let _ = agent.disconnect();
                return Ok(true);
            }
            Err(e) if is_code(&e, LIBSSH2_ERROR_TIMEOUT) => return Err(e),
            Err(_) => tried.push(format!("agent identity {}", id.comment())),
        }
    }
    let _ = agent.disconnect();
    Ok(false)
}

/// Wait until the session's socket is ready in the direction libssh2 is blocked on, at most
/// until `deadline` (and at most 1 s, so callers re-check their state).
fn wait_socket(session: &Session, fd: RawFd, deadline: Instant) {
    let left = deadline.saturating_duration_since(Instant::now());
    let (events, cap) = match session.block_directions() {
        BlockDirections::Inbound => (libc::POLLIN, 1000),
        BlockDirections::Outbound => (libc::POLLOUT, 1000),
        BlockDirections::Both => (libc::POLLIN | libc::POLLOUT, 1000),
        BlockDirections::None => (libc::POLLIN, 10),
    };
    let timeout = i32::try_from(left.as_millis().min(cap)).unwrap_or(cap as i32);
    let mut pfd = libc::pollfd {
        fd,
        events,
        revents: 0,
    };
    // SAFETY: one valid pollfd, count 1; the fd stays open while the session lives.
    unsafe {
        libc::poll(&mut pfd, 1, timeout);
    }
}

enum ReadOutcome {
    Done,
    TimedOut,
}

impl Transport for SshTransport {
    fn host(&self) -> &str {
        &self.host
    }

    fn exec(&self, command: &str, timeout: Duration) -> Result<ExecOutput, TransportError> {
        let started = Instant::now();
        let r = self.exec_inner(command, None, timeout);
        super::trace_exec("ssh", &self.host, command, 0, started, &r);
        r
    }

    fn exec_with_input(
        &self,
        command: &str,
        input: &[u8],
        timeout: Duration,
    ) -> Result<ExecOutput, TransportError> {
        let started = Instant::now();
        let r = self.exec_inner(command, Some(input), timeout);
        super::trace_exec("ssh", &self.host, command, input.len(), started, &r);
        r
    }

    fn upload_file(
        &self,
        local: &Path,
        remote: &str,
        mode: i32,
        progress: &dyn Fn(u64),
    ) -> Result<u64, TransportError> {
        let started = Instant::now();
        let r = self.upload_file_inner(local, remote, mode, progress);
        super::trace_upload("scp", &self.host, remote, Some(local), started, &r);
        r
    }

    fn upload_bytes(&self, data: &[u8], remote: &str, mode: i32) -> Result<(), TransportError> {
        let started = Instant::now();
        let r = self.scp_upload(data, data.len() as u64, remote, mode, &|_| {});
        super::trace_upload("scp", &self.host, remote, None, started, &r);
        r.map(|_| ())
    }
}

impl SshTransport {
    fn exec_inner(
        &self,
        command: &str,
        input: Option<&[u8]>,
        timeout: Duration,
    ) -> Result<ExecOutput, TransportError> {
        let deadline = crate::time::deadline_after(timeout);
        let inner = self.lock();
        let sess = &inner.session;
        sess.set_blocking(true);
        sess.set_timeout(ms(timeout));
        let start_err = |e: ssh2::Error| {
            if is_code(&e, LIBSSH2_ERROR_TIMEOUT) {
                self.command_timeout_err(command, timeout, None)
            } else {
                self.exec_err(command, e)
            }
        };
        let mut ch = sess.channel_session().map_err(start_err)?;
        ch.exec(&remote::wrap(command)).map_err(start_err)?;
        if let Some(data) = input {
            // Blocking, under the session timeout set above.
            ch.write_all(data).map_err(|e| self.exec_err(command, e))?;
            ch.send_eof().map_err(start_err)?;
        }

        // Read stdout and stderr together without blocking on either, so a command that
        // fills one stream while we wait on the other cannot deadlock.
        let mut out = ExecOutput::default();
        let mut stdout = ch.stream(0);
        let mut stderr = ch.stderr();
        let mut buf = vec![0u8; READ_CHUNK];
        sess.set_blocking(false);
        let outcome = (|| -> Result<ReadOutcome, TransportError> {
            let mut out_done = false;
            let mut err_done = false;
            while !(out_done && err_done) {
                let mut progressed = false;
                for (stream, dst, done) in [
                    (&mut stdout, &mut out.stdout, &mut out_done),
                    (&mut stderr, &mut out.stderr, &mut err_done),
                ] {
                    while !*done {
                        match stream.read(&mut buf) {
                            Ok(0) => *done = true,
                            Ok(n) => {
                                dst.extend_from_slice(&buf[..n]);
                                progressed = true;
                            }
                            Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                            Err(e) => return Err(self.exec_err(command, e)),
                        }
                    }
                }
                if Instant::now() >= deadline {
                    return Ok(ReadOutcome::TimedOut);
                }
                if !(progressed || out_done && err_done) {
                    let _ = sess.keepalive_send();
                    wait_socket(sess, inner.fd, deadline);
                }
            }
            loop {
                match ch.wait_close() {
                    Ok(()) => return Ok(ReadOutcome::Done),
                    Err(e) if is_code(&e, LIBSSH2_ERROR_EAGAIN) => {
                        if Instant::now() >= deadline {
                            return Ok(ReadOutcome::TimedOut);
                        }
                        wait_socket(sess, inner.fd, deadline);
                    }
                    Err(e) => return Err(self.exec_err(command, e)),
                }
            }
        })();
        sess.set_blocking(true);
        match outcome {
            Ok(ReadOutcome::Done) => {}
            Ok(ReadOutcome::TimedOut) => {
                // sshd answers our close only once the command has exited, so do not wait
                // for it: send EOF + close without blocking and let libssh2 forget the
                // channel when the answer comes (or when the session ends).
                sess.set_blocking(false);
                let _ = ch.close();
                drop((stdout, stderr, ch));
                sess.set_blocking(true);
                // Then stop what it left running: its process group, on a new channel.
                let killed = remote::unwrap_stderr(&mut out.stderr)
                    .pgid
                    .and_then(remote::kill_group_command)
                    .map(|kill| self.run_cleanup(sess, &kill));
                return Err(self.command_timeout_err(command, timeout, killed));
            }
            Err(e) => return Err(e),
        }
        let wrapper = remote::unwrap_stderr(&mut out.stderr);
        let signal = ch.exit_signal().ok().and_then(|s| s.exit_signal);
        out.exit_status = if signal.is_some() {
            None
        } else {
            remote::resolve_status(ch.exit_status().ok(), wrapper.status)
        };
        if out.exit_status.is_none() && signal.is_none() {
            tracing::debug!(host = %self.host, "the SSH server reported no exit status");
        }
        out.exit_signal = signal;
        Ok(out)
    }

    /// Run `command` on a new channel of `sess`, blocking at most [`CLEANUP_TIMEOUT_MS`] plus
    /// the command's own bound; returns whether it exited 0.
    fn run_cleanup(&self, sess: &Session, command: &str) -> bool {
        sess.set_timeout(CLEANUP_TIMEOUT_MS + 3000);
        let r = (|| -> Result<i32, ssh2::Error> {
            let mut ch = sess.channel_session()?;
            ch.exec(command)?;
            let mut sink = Vec::new();
            let _ = ch.read_to_end(&mut sink);
            ch.wait_close()?;
            ch.exit_status()
        })();
        tracing::debug!(host = %self.host, result = ?r, "killed the timed-out command's process group");
        matches!(r, Ok(0))
    }

    fn upload_file_inner(
        &self,
        local: &Path,
        remote: &str,
        mode: i32,
        progress: &dyn Fn(u64),
    ) -> Result<u64, TransportError> {
        let io_err = |e| TransportError::Io {
            host: self.host.clone(),
            what: format!("cannot open {} to upload it", local.display()),
            source: e,
        };
        let file = std::fs::File::open(local).map_err(io_err)?;
        let size = file.metadata().map_err(io_err)?.len();
        // Read straight into the upload's own chunk buffer: a BufReader would hold a second
        // copy per concurrent upload.
        self.scp_upload(file, size, remote, mode, progress)
    }
}

impl Drop for SshTransport {
    fn drop(&mut self) {
        let inner = self.inner.get_mut().unwrap_or_else(|p| p.into_inner());
        inner.session.set_blocking(true);
        inner.session.set_timeout(CLEANUP_TIMEOUT_MS);
        let _ = inner.session.disconnect(
            Some(ssh2::DisconnectCode::ByApplication),
            "flinkha done",
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        assert_eq!(endpoint_of("10.0.0.1", 22), "10.0.0.1:22");
        assert_eq!(endpoint_of("::1", 2222), "[::1]:2222");
    }

    #[test]
    fn name_resolution_is_bounded_by_the_connect_timeout() {
        // A resolver that hangs (as getaddrinfo does with an unreachable name server).
        let started = Instant::now();
        let r = resolve_within("flink-1.example", 22, Duration::from_millis(100), |_, _| {
            std::thread::sleep(Duration::from_secs(5));
            Ok(Vec::new())
        });
        assert!(r.is_none());
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        // The error names the host, what was resolved and the timeout.
        let settings = SshSettings {
            connect_timeout: Duration::from_millis(1),
            ..SshSettings::default()
        };
        // `.invalid` never resolves (RFC 6761); a 1 ms budget ends before any answer.
        match SshTransport::connect("h1", "flinkha-test.invalid", &settings) {
            Err(e @ TransportError::Timeout { .. }) => {
                let msg = e.to_string();
                assert!(
                    msg.contains("on h1") && msg.contains("resolving flinkha-test.invalid"),
                    "{msg}"
                );
            }
            // A resolver faster than 1 ms (a local cache) answers "no such name" instead.
            Err(TransportError::Connect { source, .. }) => {
                assert!(source.to_string().contains("cannot resolve"), "{source}");
            }
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("connected to an .invalid name"),
        }
    }

    #[test]
    fn name_resolution_answers_and_ip_addresses_skip_it() {
        let r = resolve_within("127.0.0.1", 2222, Duration::ZERO, |_, _| unreachable!());
        assert_eq!(r.unwrap().unwrap(), vec!["127.0.0.1:2222".parse().unwrap()]);
        let r = resolve_within("::1", 22, Duration::ZERO, |_, _| unreachable!());
        assert_eq!(r.unwrap().unwrap(), vec!["[::1]:22".parse().unwrap()]);
        let r = resolve_within("localhost", 22, Duration::from_secs(10), |a, p| {
            (a.as_str(), p).to_socket_addrs().map(Iterator::collect)
        });
        assert!(r.unwrap().unwrap().iter().all(|a| a.port() == 22));
    }

    #[test]
    fn ms_never_zero() {
        assert_eq!(ms(Duration::ZERO), 1);
        assert_eq!(ms(Duration::from_secs(2)), 2000);
        assert_eq!(ms(Duration::from_secs(u64::MAX)), u32::MAX);
    }
}
