//! [`Transport`] on this machine: commands through `sh -c`, uploads by copying.

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::{ExecOutput, TimeoutPhase, Transport, TransportError, command};

const CHUNK: usize = 1 << 20;

/// Runs commands on the local machine with `/bin/sh -c`.
///
/// Each command runs in its own process group with stdin from `/dev/null`; on timeout the
/// whole group is killed (SIGKILL). Environment variables starting with `FLINK_` are removed
/// from the child's environment so they cannot leak into Flink daemons started by it.
#[derive(Debug, Clone)]
pub struct LocalTransport {
    host: String,
}

impl LocalTransport {
    /// A local transport reporting itself as inventory host `host_name`.
    pub fn new(host_name: impl Into<String>) -> Self {
        LocalTransport {
            host: host_name.into(),
        }
    }

    fn exec_err(&self, command: &str, source: impl Into<super::BoxError>) -> TransportError {
        TransportError::Exec {
            host: self.host.clone(),
            command: command::summarize(command, 160),
            source: source.into(),
        }
    }

    fn write_file(
        &self,
        remote: &str,
        mode: i32,
        mut src: impl Read,
        progress: &dyn Fn(u64),
    ) -> Result<u64, TransportError> {
        let upload_err = |e: std::io::Error| TransportError::Upload {
            host: self.host.clone(),
            remote: remote.to_owned(),
            detail: e.to_string(),
            source: Some(Box::new(e)),
        };
        let mut dst = std::fs::File::create(remote).map_err(upload_err)?;
        let mut buf = vec![0u8; CHUNK];
        let mut sent = 0u64;
        loop {
            let n = match src.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(TransportError::Io {
                        host: self.host.clone(),
                        what: format!("cannot read the data to upload to {remote}"),
                        source: e,
                    });
                }
            };
            dst.write_all(&buf[..n]).map_err(upload_err)?;
            sent += n as u64;
            progress(sent);
        }
        dst.flush().map_err(upload_err)?;
        dst.set_permissions(std::fs::Permissions::from_mode((mode as u32) & 0o7777))
            .map_err(upload_err)?;
        Ok(sent)
    }
}

fn read_all(mut r: impl Read + Send + 'static, tx: mpsc::Sender<(bool, Vec<u8>)>, is_err: bool) {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        let _ = tx.send((is_err, buf));
    });
}

fn kill_group(pid: u32) {
    // The child is the leader of its own process group (process_group(0)), so -pid is the
    // group. Only that group is signalled.
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill(2) has no memory-safety preconditions.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}

fn signal_name(sig: i32) -> String {
    let name = match sig {
        libc::SIGHUP => "HUP",
        libc::SIGINT => "INT",
        libc::SIGQUIT => "QUIT",
        libc::SIGILL => "ILL",
        libc::SIGABRT => "ABRT",
        libc::SIGFPE => "FPE",
        libc::SIGKILL => "KILL",
        libc::SIGSEGV => "SEGV",
        libc::SIGPIPE => "PIPE",
        libc::SIGALRM => "ALRM",
        libc::SIGTERM => "TERM",
        libc::SIGUSR1 => "USR1",
        libc::SIGUSR2 => "USR2",
        libc::SIGBUS => "BUS",
        _ => return sig.to_string(),
    };
    name.to_owned()
}

impl Transport for LocalTransport {
    fn host(&self) -> &str {
        &self.host
    }

    fn exec(&self, command: &str, timeout: Duration) -> Result<ExecOutput, TransportError> {
        let started = Instant::now();
        let r = self.exec_inner(command, None, timeout);
        super::trace_exec("local", &self.host, command, 0, started, &r);
        r
    }

    fn exec_with_input(
        &self,
        command: &str,
        input: &[u8],
        timeout: Duration,
    ) -> Result<ExecOutput, TransportError> {
        let started = Instant::now();
        let r = self.exec_inner(command, Some(input.to_vec()), timeout);
        super::trace_exec("local", &self.host, command, input.len(), started, &r);
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
        let r = std::fs::File::open(local)
            .map_err(|e| TransportError::Io {
                host: self.host.clone(),
                what: format!("cannot open {} to upload it", local.display()),
                source: e,
            })
            .and_then(|src| self.write_file(remote, mode, src, progress));
        super::trace_upload("local", &self.host, remote, Some(local), started, &r);
        r
    }

    fn upload_bytes(&self, data: &[u8], remote: &str, mode: i32) -> Result<(), TransportError> {
        let started = Instant::now();
        let r = self.write_file(remote, mode, data, &|_| {});
        super::trace_upload("local", &self.host, remote, None, started, &r);
        r.map(|_| ())
    }
}

impl LocalTransport {
    fn exec_inner(
        &self,
        command: &str,
        input: Option<Vec<u8>>,
        timeout: Duration,
    ) -> Result<ExecOutput, TransportError> {
        let deadline = crate::time::deadline_after(timeout);
        let mut cmd = Command::new("/bin/sh");
        cmd.arg("-c")
            .arg(command)
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("FLINK_") {
                cmd.env_remove(&key);
            }
        }
        crate::zk::kerberos::scrub_child_env(&mut cmd);
        let mut child = cmd.spawn().map_err(|e| self.exec_err(command, e))?;
        let pid = child.id();
        if let (Some(data), Some(mut stdin)) = (input, child.stdin.take()) {
            // On its own thread, so a command that writes before reading cannot deadlock us;
            // a command that exits without reading it all just ends the write (EPIPE).
            thread::spawn(move || {
                let _ = stdin.write_all(&data);
            });
        }
        let (tx, rx) = mpsc::channel();
        if let Some(out) = child.stdout.take() {
            read_all(out, tx.clone(), false);
        }
        if let Some(err) = child.stderr.take() {
            read_all(err, tx.clone(), true);
        }
        drop(tx);

        let timed_out = |child: &mut std::process::Child| {
            kill_group(pid);
            let _ = child.wait();
            TransportError::Timeout {
                host: self.host.clone(),
                phase: TimeoutPhase::Command,
                what: format!("`{}`", command::summarize(command, 160)),
                timeout,
                hint: "the command was killed; raise the timeout if it needs longer",
            }
        };

        // Wait for the process to exit.
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) => {}
                Err(e) => {
                    kill_group(pid);
                    let _ = child.wait();
                    return Err(self.exec_err(command, e));
                }
            }
            if Instant::now() >= deadline {
                return Err(timed_out(&mut child));
            }
            thread::sleep(Duration::from_millis(5));
        };

        // Collect the output; background processes that still hold the pipes keep them
        // open, so this is bounded by the deadline too.
        let mut output = ExecOutput::default();
        for _ in 0..2 {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok((false, data)) => output.stdout = data,
                Ok((true, data)) => output.stderr = data,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => return Err(timed_out(&mut child)),
            }
        }
        output.exit_status = status.code();
        output.exit_signal = status.signal().map(signal_name);
        Ok(output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The input reaches the command's stdin whole; a command that never reads it (and
    /// output larger than a pipe buffer) neither hangs nor fails the call.
    #[test]
    fn input_goes_to_stdin() {
        let t = LocalTransport::new("h1");
        let data: Vec<u8> = (0..3 << 20).map(|i| (i % 251) as u8).collect();
        let out = t
            .exec_with_input("sha256sum", &data, Duration::from_secs(30))
            .unwrap();
        let want = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&data));
        assert!(out.stdout_str().starts_with(&want), "{out:?}");
        let out = t
            .exec_with_input(
                "head -c 2000000 /dev/zero; exit 4",
                &data,
                Duration::from_secs(30),
            )
            .unwrap();
        assert_eq!((out.exit_status, out.stdout.len()), (Some(4), 2_000_000));
    }

    /// A timeout too large for a deadline (`--timeout 584000000000y` parses) waits, without
    /// panicking on `Instant + Duration`.
    #[test]
    fn a_huge_timeout_does_not_overflow() {
        let t = LocalTransport::new("h1");
        let out = t.exec("echo ok", Duration::MAX).unwrap();
        assert_eq!(out.stdout, b"ok\n");
    }

    #[test]
    fn signal_names() {
        assert_eq!(signal_name(libc::SIGTERM), "TERM");
        assert_eq!(signal_name(libc::SIGKILL), "KILL");
        assert_eq!(signal_name(63), "63");
    }
}
