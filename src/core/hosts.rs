//! Working on many hosts at once: one transport per host, N hosts in parallel, each with its
//! own result, so one failed host never hides the others.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use super::error::{Error, Result};
use super::model::{Host, TransportKind};
use crate::transport::{LocalTransport, SshTransport, Transport};

/// Open a transport to `host` (SSH handshake, host key check and authentication happen here).
///
/// # Errors
/// [`Error::Transport`] naming the host.
pub fn connect(host: &Host) -> Result<Arc<dyn Transport>> {
    Ok(match host.transport {
        TransportKind::Local => Arc::new(LocalTransport::new(&host.name)),
        TransportKind::Ssh => {
            Arc::new(SshTransport::connect(&host.name, &host.address, &host.ssh)?)
        }
    })
}

/// The outcome of one host's work.
#[derive(Debug, Serialize)]
#[serde(bound(serialize = "T: Serialize"))]
pub struct HostOutcome<T> {
    /// Host name.
    pub host: String,
    /// Its result.
    #[serde(serialize_with = "ser_result")]
    pub result: Result<T>,
}

fn ser_result<T: Serialize, S: serde::Serializer>(
    r: &Result<T>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(1))?;
    match r {
        Ok(v) => m.serialize_entry("ok", v)?,
        Err(e) => m.serialize_entry("error", &crate::core::error_chain(e))?,
    }
    m.end()
}

/// Run `f` for each host on up to `parallelism` threads (blocking; call from
/// `spawn_blocking`/`block_in_place` in async code). Results come back in `hosts` order.
pub fn for_each_host<'h, T, F>(hosts: &[&'h Host], parallelism: usize, f: F) -> Vec<HostOutcome<T>>
where
    T: Send,
    F: Fn(&'h Host) -> Result<T> + Sync,
{
    let next = AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<Result<T>>>> =
        hosts.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let workers = parallelism.clamp(1, hosts.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= hosts.len() {
                        break;
                    }
                    let r = f(hosts[i]);
                    *slots[i].lock().expect("slot lock") = Some(r);
                }
            });
        }
    });
    hosts
        .iter()
        .zip(slots)
        .map(|(h, slot)| HostOutcome {
            host: h.name.clone(),
            result: slot.into_inner().expect("slot lock").unwrap_or_else(|| {
                Err(Error::Refused {
                    message: "worker did not run".into(),
                })
            }),
        })
        .collect()
}

/// Run `command` on `transport` with the host's command timeout and turn a non-zero exit or a
/// signal into [`Error::Remote`] carrying `what` and the stderr tail.
///
/// # Errors
/// Transport errors, or [`Error::Remote`].
pub fn run(host: &Host, transport: &dyn Transport, what: &str, command: &str) -> Result<String> {
    let out = transport.exec(command, host.ssh.command_timeout)?;
    checked(host, what, out)
}

/// [`run`] with `input` on the command's stdin ([`Transport::exec_with_input`]).
///
/// # Errors
/// As [`run`].
pub fn run_with_input(
    host: &Host,
    transport: &dyn Transport,
    what: &str,
    command: &str,
    input: &[u8],
) -> Result<String> {
    let out = transport.exec_with_input(command, input, host.ssh.command_timeout)?;
    checked(host, what, out)
}

fn checked(host: &Host, what: &str, out: crate::transport::ExecOutput) -> Result<String> {
    if out.success() {
        Ok(out.stdout_str())
    } else {
        let mut detail = match (&out.exit_status, &out.exit_signal) {
            (_, Some(sig)) => format!("killed by signal {sig}"),
            (Some(code), None) => format!("exit status {code}"),
            (None, None) => "no exit status".to_string(),
        };
        let err = out.stderr_str();
        let tail: Vec<&str> = err.lines().rev().take(5).collect();
        if !tail.is_empty() {
            detail.push_str("; stderr: ");
            detail.push_str(&tail.into_iter().rev().collect::<Vec<_>>().join(" | "));
        }
        Err(Error::Remote {
            host: host.name.clone(),
            what: what.to_string(),
            detail,
        })
    }
}

/// Transports opened lazily, one per host, reused across the phases of one operation.
pub struct Sessions {
    open: std::sync::Mutex<std::collections::HashMap<String, Arc<dyn Transport>>>,
}

impl Default for Sessions {
    fn default() -> Self {
        Self::new()
    }
}

impl Sessions {
    /// No sessions yet.
    pub fn new() -> Sessions {
        Sessions {
            open: std::sync::Mutex::new(std::collections::HashMap::new()),
        }
    }

    /// The transport to `host`, connecting on first use. A failed connect is not cached, so a
    /// later phase retries.
    ///
    /// # Errors
    /// As [`connect`].
    pub fn get(&self, host: &Host) -> Result<Arc<dyn Transport>> {
        if let Some(t) = self.open.lock().expect("sessions lock").get(&host.name) {
            return Ok(t.clone());
        }
        let t = connect(host)?;
        self.open
            .lock()
            .expect("sessions lock")
            .insert(host.name.clone(), t.clone());
        Ok(t)
    }
}
