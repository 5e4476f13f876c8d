//! The shell wrapper around every command run over SSH, and how its output is read back.
//!
//! libssh2 reports a missing `exit-status` message as status 0 (`libssh2_channel_get_exit_status`
//! returns 0 "if no exit status was returned"), and a command abandoned at its timeout keeps
//! running on the host. The wrapper fixes both without a fork on the hot path:
//! - before the command, it writes the process group of the shell to stderr when the shell
//!   leads it (OpenSSH's sshd runs each session's shell in a new session, RFC 4254 §6.5), so a
//!   timed-out command can be killed with everything it started;
//! - the command runs in a subshell (so its own `exit` or `exec` cannot skip what follows),
//!   then the wrapper writes `$?` to stderr. A status the server reports as 0 without that
//!   line was not really reported: it reads as unknown (`None`), which fails
//!   [`super::ExecOutput::check`].
//!
//! Both lines start with the ASCII unit separator (0x1f) and are removed from the stderr that
//! callers see.

const PGID_MARK: &[u8] = b"\x1fflinkha-pgid=";
const STATUS_MARK: &[u8] = b"\x1fflinkha-status=";

/// `command` wrapped for [`super::SshTransport`] (see the module doc). The command text is
/// inserted as is, on lines of its own, so here-documents and trailing comments keep working.
pub fn wrap(command: &str) -> String {
    format!(
        "read -r _ _ _ _ flinkha_pg _ </proc/$$/stat 2>/dev/null; \
         [ \"${{flinkha_pg:-}}\" = \"$$\" ] && printf '\\037flinkha-pgid=%s\\n' \"$$\" >&2\n\
         (\n{command}\n)\n\
         printf '\\037flinkha-status=%d\\n' \"$?\" >&2\n"
    )
}

/// What the wrapper's lines said, with those lines removed from `stderr`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unwrapped {
    /// The process group the command ran in, when its shell led it.
    pub pgid: Option<u32>,
    /// The command's exit status as the wrapper saw it; `None` when its line never came
    /// (the shell was killed, or the wrapper did not run).
    pub status: Option<i32>,
}

/// Remove the wrapper's lines from `stderr` (the first line for the process group, the last
/// for the status) and return what they said.
pub fn unwrap_stderr(stderr: &mut Vec<u8>) -> Unwrapped {
    let mut out = Unwrapped::default();
    if stderr.starts_with(PGID_MARK)
        && let Some(nl) = stderr.iter().position(|&b| b == b'\n')
    {
        out.pgid = std::str::from_utf8(&stderr[PGID_MARK.len()..nl])
            .ok()
            .and_then(|s| s.parse().ok());
        stderr.drain(..=nl);
    }
    if stderr.ends_with(b"\n")
        && let Some(at) = find_last(stderr, STATUS_MARK)
    {
        let value = &stderr[at + STATUS_MARK.len()..stderr.len() - 1];
        if let Some(status) = std::str::from_utf8(value)
            .ok()
            .and_then(|s| s.parse::<i32>().ok())
        {
            out.status = Some(status);
            stderr.truncate(at);
        }
    }
    out
}

/// The exit status to report: the server's, unless it says 0 (which libssh2 also says when
/// none came) and the wrapper's status line is missing, which is unknown; when both are
/// there and differ, the wrapper's (the command's own status).
pub fn resolve_status(server: Option<i32>, wrapper: Option<i32>) -> Option<i32> {
    match (server, wrapper) {
        (_, Some(w)) => Some(w),
        (Some(0) | None, None) => None,
        (Some(s), None) => Some(s),
    }
}

/// A command that stops process group `pgid`: SIGTERM, up to 2 s for it to go, then SIGKILL.
/// Exits 0 whether or not anything was left to stop. `None` for a group that must not be
/// signalled (0 or 1).
pub fn kill_group_command(pgid: u32) -> Option<String> {
    (pgid > 1).then(|| {
        format!(
            "kill -TERM -{pgid} 2>/dev/null || exit 0; i=0; \
             while kill -0 -{pgid} 2>/dev/null; do \
             i=$((i+1)); if [ $i -ge 20 ]; then kill -KILL -{pgid} 2>/dev/null; exit 0; fi; \
             sleep 0.1; done; exit 0"
        )
    })
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> (Option<i32>, Vec<u8>, Vec<u8>) {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(script)
            .output()
            .unwrap();
        (out.status.code(), out.stdout, out.stderr)
    }

    #[test]
    fn wrapper_reports_the_commands_status_whatever_it_does() {
        for (cmd, want, want_stderr) in [
            ("echo out; echo err >&2", 0, "err\n"),
            ("exit 3", 3, ""),
            ("exec false", 1, ""),
            ("set -e; false; echo never", 1, ""),
            ("cat <<'X'\nheredoc )\nX", 0, ""),
            ("printf 'no newline' >&2 # comment", 0, "no newline"),
        ] {
            let (code, stdout, mut stderr) = sh(&wrap(cmd));
            assert_eq!(code, Some(0), "{cmd}");
            let u = unwrap_stderr(&mut stderr);
            assert_eq!(u.status, Some(want), "{cmd}");
            assert_eq!(String::from_utf8_lossy(&stderr), want_stderr, "{cmd}");
            if cmd.starts_with("cat") {
                assert_eq!(stdout, b"heredoc )\n");
            }
        }
    }

    #[test]
    fn process_group_is_reported_only_when_the_shell_leads_it() {
        // `setsid` makes the shell a group leader, as sshd's session does.
        let out = std::process::Command::new("setsid")
            .args(["sh", "-c", &wrap("true")])
            .output()
            .unwrap();
        let mut stderr = out.stderr;
        let u = unwrap_stderr(&mut stderr);
        assert!(u.pgid.is_some_and(|p| p > 1), "{u:?}");
        assert!(stderr.is_empty(), "{stderr:?}");
        // Under a parent's group (this test's), no group is reported, so none is killed.
        let (_, _, mut stderr) = sh(&wrap("true"));
        assert_eq!(unwrap_stderr(&mut stderr).pgid, None);
    }

    #[test]
    fn unwrap_leaves_foreign_lines_and_unknown_status() {
        let mut s = b"plain\n".to_vec();
        assert_eq!(unwrap_stderr(&mut s), Unwrapped::default());
        assert_eq!(s, b"plain\n");
        // A status line not at the end (something wrote after it) is not the wrapper's.
        let mut s = b"\x1fflinkha-status=0\nlater\n".to_vec();
        assert_eq!(unwrap_stderr(&mut s).status, None);
        let mut s = b"\x1fflinkha-pgid=77\nx\x1fflinkha-status=5\n".to_vec();
        assert_eq!(
            unwrap_stderr(&mut s),
            Unwrapped {
                pgid: Some(77),
                status: Some(5)
            }
        );
        assert_eq!(s, b"x");
    }

    #[test]
    fn status_resolution() {
        assert_eq!(resolve_status(Some(0), Some(0)), Some(0));
        assert_eq!(
            resolve_status(Some(0), None),
            None,
            "0 without the line: unknown"
        );
        assert_eq!(resolve_status(None, None), None);
        assert_eq!(resolve_status(Some(2), None), Some(2));
        assert_eq!(resolve_status(Some(0), Some(4)), Some(4));
    }

    #[test]
    fn kill_group_command_refuses_groups_0_and_1_and_stops_a_group() {
        assert_eq!(kill_group_command(0), None);
        assert_eq!(kill_group_command(1), None);
        let mut child = std::process::Command::new("setsid")
            .args(["sh", "-c", "sleep 30 & sleep 30; wait"])
            .spawn()
            .unwrap();
        let pid = child.id();
        std::thread::sleep(std::time::Duration::from_millis(200));
        let (code, _, _) = sh(&kill_group_command(pid).unwrap());
        assert_eq!(code, Some(0));
        let status = child.wait().unwrap();
        assert!(!status.success());
        // Nothing of the group is left running. (`kill -0 -PGID` also counts zombies: the
        // orphaned `sleep` is reaped by init, which on some machines does so late.)
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let live = live_in_group(pid);
            if live.is_empty() {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "still running in group {pid}: {live:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Pids of the processes in process group `pgid` that are not zombies (from `/proc/<pid>/stat`:
    /// the state is the field after the `)` of the command name, the group the third after it).
    fn live_in_group(pgid: u32) -> Vec<u32> {
        let mut out = Vec::new();
        for e in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            let Some((_, rest)) = stat.rsplit_once(") ") else {
                continue;
            };
            let f: Vec<&str> = rest.split_whitespace().collect();
            if f.len() > 2 && f[2] == pgid.to_string() && f[0] != "Z" && f[0] != "X" {
                out.push(pid);
            }
        }
        out
    }
}
