//! Transport: how flinkha runs commands on, and copies files to, a host.
//!
//! The interface is blocking on purpose: libssh2 sessions are blocking, so each host gets
//! one session driven from its own thread (`tokio::task::spawn_blocking` in the ops).
//!
//! - [`SshTransport`]: one SSH session (libssh2) per host, host keys checked against an
//!   OpenSSH `known_hosts` file.
//! - [`LocalTransport`]: the same interface on this machine (`sh -c`), for single-host
//!   setups and tests.
//! - [`command`]: pure builders for the shell command lines both of them run.

pub mod command;
pub mod known_hosts;
mod local;
#[cfg(test)]
mod proptests;
pub mod remote;
mod ssh;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use local::LocalTransport;
pub use ssh::SshTransport;

/// Boxed underlying error, used as `#[source]` where libssh2 and std errors meet.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Runs commands on, and copies files to, one host.
pub trait Transport: Send + Sync {
    /// Name of the host (inventory name), for errors and reports.
    fn host(&self) -> &str;

    /// Run `command` (a POSIX `sh` command line, already quoted, see [`command`]) and collect
    /// its output. `timeout` bounds the whole command; when it passes the command is
    /// abandoned and [`TransportError::Timeout`] is returned.
    ///
    /// A non-zero exit status is *not* an error here: look at [`ExecOutput`] or use
    /// [`Transport::exec_checked`].
    ///
    /// # Errors
    /// [`TransportError::Timeout`], [`TransportError::Exec`] when the command could not be
    /// started or its output not read.
    fn exec(&self, command: &str, timeout: Duration) -> Result<ExecOutput, TransportError>;

    /// [`Transport::exec`] with `input` written to the command's stdin, then end of file: a
    /// payload and the script that uses it in one round trip (sync sends its tar this way).
    /// The whole input is written before any output is read, so the command must read its
    /// stdin before writing much (more than the channel's window, ~2 MiB) to stdout or stderr.
    ///
    /// # Errors
    /// As [`Transport::exec`]; [`TransportError::Exec`] when the input cannot be written.
    fn exec_with_input(
        &self,
        command: &str,
        input: &[u8],
        timeout: Duration,
    ) -> Result<ExecOutput, TransportError>;

    /// Copy local file `local` to `remote` (absolute path) with permission bits `mode`
    /// (e.g. `0o644`), calling `progress(bytes_sent_so_far)` as it goes. Returns bytes sent.
    ///
    /// The file is written in place at exactly `remote` (write to a temporary name and
    /// rename it yourself if readers must never see a partial file). The parent directory
    /// must exist. `mode` applies to newly created files.
    ///
    /// # Errors
    /// [`TransportError::Io`] when `local` cannot be read, [`TransportError::Upload`] when
    /// the remote side refuses or fails the write, [`TransportError::Timeout`] when the
    /// transfer stalls for longer than the command timeout.
    fn upload_file(
        &self,
        local: &Path,
        remote: &str,
        mode: i32,
        progress: &dyn Fn(u64),
    ) -> Result<u64, TransportError>;

    /// Write `data` to `remote` (absolute path) with permission bits `mode`; same rules as
    /// [`Transport::upload_file`].
    ///
    /// # Errors
    /// As [`Transport::upload_file`].
    fn upload_bytes(&self, data: &[u8], remote: &str, mode: i32) -> Result<(), TransportError>;

    /// [`Transport::exec`], then [`ExecOutput::check`]: a non-zero exit status or a signal
    /// becomes [`TransportError::CommandFailed`].
    ///
    /// # Errors
    /// As [`Transport::exec`], plus [`TransportError::CommandFailed`].
    fn exec_checked(&self, command: &str, timeout: Duration) -> Result<ExecOutput, TransportError> {
        self.exec(command, timeout)?.check(self.host(), command)
    }
}

/// What a command left behind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecOutput {
    /// Exit status, when the command exited normally (`None` when it was killed by a signal
    /// or the status was not reported).
    pub exit_status: Option<i32>,
    /// Name of the signal that killed the command (`TERM`, `KILL`, ... without `SIG`).
    pub exit_signal: Option<String>,
    /// Everything the command wrote to stdout.
    pub stdout: Vec<u8>,
    /// Everything the command wrote to stderr.
    pub stderr: Vec<u8>,
}

/// How many trailing stderr lines [`ExecOutput::check`] keeps in its error.
pub const STDERR_TAIL_LINES: usize = 10;

impl ExecOutput {
    /// True when the command exited with status 0 (and no signal).
    pub fn success(&self) -> bool {
        self.exit_status == Some(0) && self.exit_signal.is_none()
    }

    /// stdout as text (invalid UTF-8 replaced).
    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// stderr as text (invalid UTF-8 replaced).
    pub fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// The last [`STDERR_TAIL_LINES`] lines of stderr (at most 4000 bytes), trimmed.
    pub fn stderr_tail(&self) -> String {
        tail_lines(&self.stderr_str(), STDERR_TAIL_LINES, 4000)
    }

    /// Return `self` if the command succeeded, else [`TransportError::CommandFailed`] naming
    /// `host`, a summary of `what` (usually the command line), the exit status or signal,
    /// and the last lines of stderr.
    ///
    /// # Errors
    /// [`TransportError::CommandFailed`] on a non-zero exit status, a signal, or no status.
    pub fn check(self, host: &str, what: &str) -> Result<ExecOutput, TransportError> {
        if self.success() {
            return Ok(self);
        }
        Err(TransportError::CommandFailed {
            host: host.to_owned(),
            command: command::summarize(what, 160),
            exit_status: self.exit_status,
            exit_signal: self.exit_signal.clone(),
            stderr_tail: self.stderr_tail(),
        })
    }
}

fn tail_lines(s: &str, lines: usize, max_bytes: usize) -> String {
    let trimmed = s.trim_end();
    let mut start = 0;
    let mut count = 0;
    for (i, _) in trimmed.rmatch_indices('\n') {
        count += 1;
        if count == lines {
            start = i + 1;
            break;
        }
    }
    let mut tail = &trimmed[start..];
    if tail.len() > max_bytes {
        let mut cut = tail.len() - max_bytes;
        while !tail.is_char_boundary(cut) {
            cut += 1;
        }
        tail = &tail[cut..];
    }
    tail.to_owned()
}

fn ms_since(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Trace one finished command for `-v` (DEBUG: `host`, `ms`, `exit` and the first line of the
/// command, at most 120 characters) or `-vv` (TRACE: also `out_bytes`/`err_bytes` and the
/// whole command). `kind` is `ssh` or `local`. Secret values in the command are hidden
/// ([`crate::flinkconf::secrets::redact_command`]).
pub(crate) fn trace_exec(
    kind: &'static str,
    host: &str,
    command: &str,
    in_bytes: usize,
    started: Instant,
    result: &Result<ExecOutput, TransportError>,
) {
    use tracing::Level;
    if !tracing::enabled!(Level::DEBUG) {
        return;
    }
    let ms = ms_since(started);
    let exit = match result {
        Ok(o) => match (&o.exit_status, &o.exit_signal) {
            (_, Some(sig)) => format!("SIG{sig}"),
            (Some(code), None) => code.to_string(),
            (None, None) => "none".to_owned(),
        },
        Err(e) if e.is_timeout() => "timeout".to_owned(),
        Err(_) => "error".to_owned(),
    };
    let error = result.as_ref().err().map(tracing::field::display);
    let shown = crate::flinkconf::secrets::redact_command(command);
    if tracing::enabled!(Level::TRACE) {
        let (out_bytes, err_bytes) = match result {
            Ok(o) => (o.stdout.len(), o.stderr.len()),
            Err(_) => (0, 0),
        };
        tracing::trace!(host = %host, ms, exit = %exit, in_bytes, out_bytes, err_bytes, error, cmd = ?shown, "{kind} exec");
    } else {
        let short = command::summarize(&shown, 120);
        tracing::debug!(host = %host, ms, exit = %exit, error, cmd = %short, "{kind} exec");
    }
}

/// Trace one finished upload for `-v` (DEBUG: `host`, `remote` path, `ms`) or `-vv` (TRACE:
/// also `bytes` and the `local` file). `kind` is `scp` or `local`.
pub(crate) fn trace_upload(
    kind: &'static str,
    host: &str,
    remote: &str,
    local: Option<&Path>,
    started: Instant,
    result: &Result<u64, TransportError>,
) {
    use tracing::Level;
    let ms = ms_since(started);
    let error = result.as_ref().err().map(tracing::field::display);
    if tracing::enabled!(Level::TRACE) {
        let bytes = result.as_ref().ok().copied();
        let local = local.map(|p| tracing::field::display(p.display()));
        tracing::trace!(host = %host, ms, bytes, remote = %remote, local, error, "{kind} upload");
    } else {
        tracing::debug!(host = %host, ms, remote = %remote, error, "{kind} upload");
    }
}

/// A host key that failed verification, for [`TransportError::UnknownHostKey`] and
/// [`TransportError::HostKeyChanged`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostKeyInfo {
    /// `address:port` connected to.
    pub address: String,
    /// The address alone (for the `ssh-keyscan` hint).
    pub ip: String,
    /// The port.
    pub port: u16,
    /// The host field as written in `known_hosts` (`addr` for port 22, else `[addr]:port`).
    pub host_pattern: String,
    /// Key type the host presented (`ssh-ed25519`, ...).
    pub key_type: String,
    /// `SHA256:...` fingerprint of the presented key, as OpenSSH prints it.
    pub fingerprint: String,
    /// The `known_hosts` file that was checked.
    pub known_hosts: PathBuf,
}

/// Which phase of the work ran out of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// TCP connect, SSH handshake or authentication (`ssh.connect_timeout`).
    Connect,
    /// A command (`timeout` passed to [`Transport::exec`]).
    Command,
    /// A file transfer stalled (`ssh.command_timeout` per write).
    Upload,
}

impl std::fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "connecting",
            TimeoutPhase::Command => "running command",
            TimeoutPhase::Upload => "uploading",
        })
    }
}

fn fmt_status(status: &Option<i32>, signal: &Option<String>) -> String {
    match (status, signal) {
        (_, Some(sig)) => format!("was killed by signal {sig}"),
        (Some(code), None) => format!("exited with status {code}"),
        (None, None) => "ended without an exit status".to_owned(),
    }
}

fn fmt_stderr(tail: &str) -> String {
    if tail.is_empty() {
        " (no stderr output)".to_owned()
    } else {
        format!("; stderr ends with:\n{tail}")
    }
}

/// Errors from a [`Transport`]. Every variant names the inventory host; underlying errors
/// are attached as `source` (print the chain to see them).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The TCP connection could not be made.
    #[error(
        "cannot connect to {host} at {address}: is sshd running on {host}? \
         check ssh.port and the host's address in the inventory"
    )]
    Connect {
        /// Inventory host name.
        host: String,
        /// `address:port` tried.
        address: String,
        /// The connect error.
        #[source]
        source: std::io::Error,
    },

    /// The SSH handshake or session setup failed (not an SSH server, no common algorithms,
    /// connection dropped).
    #[error("SSH handshake with {host} at {address} failed: is it an SSH server? check ssh.port")]
    Handshake {
        /// Inventory host name.
        host: String,
        /// `address:port`.
        address: String,
        /// The libssh2 error.
        #[source]
        source: BoxError,
    },

    /// Something took longer than allowed.
    #[error("timed out after {} {phase} on {host} ({what}); {hint}", humanize(*.timeout))]
    Timeout {
        /// Inventory host name.
        host: String,
        /// Connect, command or upload.
        phase: TimeoutPhase,
        /// What was going on: `address:port`, a command summary or a remote path.
        what: String,
        /// The limit that was exceeded.
        timeout: Duration,
        /// What to do about it.
        hint: &'static str,
    },

    /// The host presented a key that is not in `known_hosts` (strict host key policy).
    #[error(
        "unknown SSH host key for {host} at {}: {} {} is not in {}.\n\
         Verify the fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_{}_key.pub), then add it with\n  \
         ssh-keyscan -p {} {} >> {}\n\
         or set `ssh.host_key_policy: accept-new` in the inventory (or pass --accept-new-host-keys) \
         to trust keys on first connect",
        key.address, key.key_type, key.fingerprint, key.known_hosts.display(),
        key_file_stem(&key.key_type), key.port, key.ip, key.known_hosts.display()
    )]
    UnknownHostKey {
        /// Inventory host name.
        host: String,
        /// The presented key and where it was looked up.
        key: Box<HostKeyInfo>,
    },

    /// The host presented a key different from the one recorded in `known_hosts`.
    #[error(
        "SSH HOST KEY FOR {host} AT {} HAS CHANGED: it presented {} {}, \
         which does not match {}. Someone could be intercepting the connection \
         (man-in-the-middle attack), or the host was reinstalled. Do not continue until you \
         know why. Only if the change is expected, remove the old line for {} with\n  \
         ssh-keygen -R '{}' -f {}\n\
         and connect again. flinkha never replaces a changed key by itself",
        key.address, key.key_type, key.fingerprint, key.known_hosts.display(),
        key.host_pattern, key.host_pattern, key.known_hosts.display()
    )]
    HostKeyChanged {
        /// Inventory host name.
        host: String,
        /// The presented key and where it was looked up.
        key: Box<HostKeyInfo>,
    },

    /// The host presented a key that a `@revoked` line of `known_hosts` covers. Refused under
    /// every host key policy (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT").
    #[error(
        "SSH HOST KEY FOR {host} AT {} IS REVOKED: it presented {} {}, which line {line} of {} \
         marks @revoked. Do not connect until the host has a new key; then record that key \
         (ssh-keyscan -p {} {}) after verifying its fingerprint on the host",
        key.address, key.key_type, key.fingerprint, key.known_hosts.display(), key.port, key.ip
    )]
    HostKeyRevoked {
        /// Inventory host name.
        host: String,
        /// The presented key and where it was looked up.
        key: Box<HostKeyInfo>,
        /// 1-based line number of the `@revoked` line.
        line: usize,
    },

    /// No plain `known_hosts` line covers the host but a `@cert-authority` line does: the host
    /// is meant to present a certificate signed by that CA, which libssh2 cannot verify.
    /// Refused rather than trusted on first use.
    #[error(
        "{host} at {} is covered by the @cert-authority line {line} of {}, but flinkha (libssh2) \
         cannot verify SSH host certificates, and will not trust the plain {} key {} it \
         presented on first use instead. Verify that fingerprint on the host \
         (ssh-keygen -lf /etc/ssh/ssh_host_{}_key.pub), then record the key with\n  \
         ssh-keyscan -p {} {} >> {}",
        key.address, key.known_hosts.display(), key.key_type, key.fingerprint,
        key_file_stem(&key.key_type), key.port, key.ip, key.known_hosts.display()
    )]
    HostCertificateExpected {
        /// Inventory host name.
        host: String,
        /// The presented key and where it was looked up.
        key: Box<HostKeyInfo>,
        /// 1-based line number of the `@cert-authority` line.
        line: usize,
    },

    /// No authentication method worked.
    #[error(
        "SSH authentication as {user} on {host} at {address} failed; tried: {}. \
         Check ssh.user and ssh.identity_file in the inventory, that the public key is in \
         ~{user}/.ssh/authorized_keys on {host}, or load the key into ssh-agent",
        if tried.is_empty() { "nothing (no identity file and no agent)".to_owned() } else { tried.join(", ") }
    )]
    Auth {
        /// Inventory host name.
        host: String,
        /// `address:port`.
        address: String,
        /// Remote user.
        user: String,
        /// Each method tried with its outcome (`identity file /root/.ssh/id_ed25519`,
        /// `agent identity user@laptop`, `agent (unavailable: ...)`).
        tried: Vec<String>,
    },

    /// A command could not be run or its output could not be read.
    #[error("cannot run `{command}` on {host}")]
    Exec {
        /// Inventory host name.
        host: String,
        /// Command summary.
        command: String,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// A command ran but failed (from [`ExecOutput::check`]).
    #[error(
        "`{command}` on {host} {}{}",
        fmt_status(exit_status, exit_signal),
        fmt_stderr(stderr_tail)
    )]
    CommandFailed {
        /// Inventory host name.
        host: String,
        /// Command (or description) summary.
        command: String,
        /// Exit status, if it exited.
        exit_status: Option<i32>,
        /// Signal name, if it was killed.
        exit_signal: Option<String>,
        /// The last lines of stderr.
        stderr_tail: String,
    },

    /// A file could not be written on the host.
    #[error(
        "cannot upload to {remote} on {host}: check that the directory exists and is writable \
         by the SSH user, and that the disk is not full{}",
        if detail.is_empty() { String::new() } else { format!(" (remote said: {detail})") }
    )]
    Upload {
        /// Inventory host name.
        host: String,
        /// Remote path.
        remote: String,
        /// What the remote side reported, if anything.
        detail: String,
        /// The underlying error, if any.
        #[source]
        source: Option<BoxError>,
    },

    /// A local I/O error (reading a file to upload, reading or writing `known_hosts`).
    #[error("{what} (for host {host})")]
    Io {
        /// Inventory host name.
        host: String,
        /// What flinkha was doing, with the path.
        what: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

impl TransportError {
    /// The inventory host name the error is about.
    pub fn host(&self) -> &str {
        match self {
            TransportError::Connect { host, .. }
            | TransportError::Handshake { host, .. }
            | TransportError::Timeout { host, .. }
            | TransportError::UnknownHostKey { host, .. }
            | TransportError::HostKeyChanged { host, .. }
            | TransportError::HostKeyRevoked { host, .. }
            | TransportError::HostCertificateExpected { host, .. }
            | TransportError::Auth { host, .. }
            | TransportError::Exec { host, .. }
            | TransportError::CommandFailed { host, .. }
            | TransportError::Upload { host, .. }
            | TransportError::Io { host, .. } => host,
        }
    }

    /// True for [`TransportError::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, TransportError::Timeout { .. })
    }
}

fn key_file_stem(key_type: &str) -> &'static str {
    match key_type {
        "ssh-rsa" => "rsa",
        "ssh-dss" => "dsa",
        t if t.starts_with("ecdsa-") => "ecdsa",
        _ => "ed25519",
    }
}

fn humanize(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}

/// What to do when a host's key is not in `known_hosts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HostKeyPolicy {
    /// Refuse unknown keys ([`TransportError::UnknownHostKey`]).
    #[default]
    Strict,
    /// Trust an unknown key on first connect and record it in `known_hosts`. A *changed*
    /// key is still refused.
    AcceptNew,
}

/// SSH connection settings for one host (the inventory code fills this in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshSettings {
    /// Remote user name.
    pub user: String,
    /// sshd port.
    pub port: u16,
    /// Private key file; its public half is read from `<file>.pub` when present. When
    /// `None`, `~/.ssh/id_ed25519`, `id_ecdsa` and `id_rsa` are tried (after the agent).
    pub identity_file: Option<PathBuf>,
    /// Try the identities of the running ssh-agent (`SSH_AUTH_SOCK`).
    pub use_agent: bool,
    /// OpenSSH `known_hosts` file to check host keys against (a missing file is empty).
    pub known_hosts: PathBuf,
    /// What to do with unknown host keys.
    pub host_key_policy: HostKeyPolicy,
    /// Bound on TCP connect, handshake and authentication.
    pub connect_timeout: Duration,
    /// Default bound for commands run by callers, and the stall bound for each write of an
    /// upload.
    pub command_timeout: Duration,
    /// Send an SSH keepalive when the session was idle this long (whole seconds; zero
    /// disables keepalives).
    pub keepalive_interval: Duration,
}

impl Default for SshSettings {
    fn default() -> Self {
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/root"));
        SshSettings {
            user: std::env::var("USER")
                .ok()
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| "root".to_owned()),
            port: 22,
            identity_file: None,
            use_agent: true,
            known_hosts: home.join(".ssh").join("known_hosts"),
            host_key_policy: HostKeyPolicy::Strict,
            connect_timeout: Duration::from_secs(10),
            command_timeout: Duration::from_secs(120),
            keepalive_interval: Duration::from_secs(15),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(status: Option<i32>, signal: Option<&str>, stderr: &str) -> ExecOutput {
        ExecOutput {
            exit_status: status,
            exit_signal: signal.map(str::to_owned),
            stdout: b"out".to_vec(),
            stderr: stderr.as_bytes().to_vec(),
        }
    }

    #[test]
    fn success_and_strings() {
        let o = out(Some(0), None, "e\u{e9}");
        assert!(o.success());
        assert_eq!(o.stdout_str(), "out");
        assert_eq!(o.stderr_str(), "e\u{e9}");
        assert!(!out(Some(1), None, "").success());
        assert!(!out(None, Some("TERM"), "").success());
        assert!(!out(None, None, "").success());
        let bad = ExecOutput {
            stdout: vec![0xff, b'a'],
            ..Default::default()
        };
        assert_eq!(bad.stdout_str(), "\u{fffd}a");
    }

    #[test]
    fn check_builds_error() {
        let stderr: String = (1..=15).map(|i| format!("line {i}\n")).collect();
        let err = out(Some(3), None, &stderr)
            .check("jm1", "systemctl start flink")
            .unwrap_err();
        let msg = err.to_string();
        assert_eq!(err.host(), "jm1");
        assert!(msg.starts_with(
            "`systemctl start flink` on jm1 exited with status 3; stderr ends with:\nline 6\n"
        ));
        assert!(msg.ends_with("line 15"));
        assert!(!msg.contains("line 5\n"));

        let err = out(None, Some("KILL"), "").check("tm1", "x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`x` on tm1 was killed by signal KILL (no stderr output)"
        );
        assert!(out(Some(0), None, "warn").check("h", "x").is_ok());
    }

    #[test]
    fn tail_limits() {
        assert_eq!(tail_lines("a\nb\nc\n", 2, 100), "b\nc");
        assert_eq!(tail_lines("a\nb\nc", 5, 100), "a\nb\nc");
        assert_eq!(tail_lines("abcdef", 5, 3), "def");
        assert_eq!(tail_lines("", 5, 3), "");
    }

    #[test]
    fn timeout_message() {
        let e = TransportError::Timeout {
            host: "h".into(),
            phase: TimeoutPhase::Command,
            what: "`sleep 30`".into(),
            timeout: Duration::from_millis(1500),
            hint: "raise the timeout",
        };
        assert_eq!(
            e.to_string(),
            "timed out after 1500 ms running command on h (`sleep 30`); raise the timeout"
        );
        assert!(e.is_timeout());
    }

    #[test]
    fn defaults() {
        let s = SshSettings::default();
        assert_eq!(s.port, 22);
        assert!(s.use_agent);
        assert_eq!(s.host_key_policy, HostKeyPolicy::Strict);
        assert_eq!(s.connect_timeout, Duration::from_secs(10));
        assert_eq!(s.command_timeout, Duration::from_secs(120));
        assert_eq!(s.keepalive_interval, Duration::from_secs(15));
        assert!(s.known_hosts.ends_with(".ssh/known_hosts"));
        assert!(!s.user.is_empty());
    }
}
