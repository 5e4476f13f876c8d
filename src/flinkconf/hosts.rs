//! `conf/masters` and `conf/workers`: the JobManager and TaskManager hosts.
//!
//! Format as read by Flink's `bin/config.sh` (`readMasters`, `readWorkers`,
//! `extractHostName`): one host per line; `#` starts a comment; blank lines are skipped; a
//! network-topology prefix `/rack/host` keeps the last part; masters lines may end in
//! `:webui-port`. IPv6 literals may be written in brackets (`[::1]:8081`).

use std::path::Path;

use serde::Serialize;

use super::error::ConfError;

/// One line of `conf/masters`: a JobManager host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MasterEntry {
    /// Host name or address (IPv6 without brackets).
    pub host: String,
    /// The web UI / REST port after `:`; `None` when not given (Flink then uses `rest.port`).
    /// Flink's scripts pass it to `jobmanager.sh start <host> <port>`; `0` means "not set".
    pub webui_port: Option<u16>,
    /// 1-based line.
    pub line: usize,
}

/// One line of `conf/workers`: a TaskManager host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkerEntry {
    /// Host name or address (IPv6 without brackets).
    pub host: String,
    /// 1-based line.
    pub line: usize,
}

/// The meaningful part of a line: before `#`, trimmed, topology prefix removed; `None` when
/// empty. Errors when more than one word remains.
fn token<'a>(
    line: &'a str,
    path: &Path,
    n: usize,
    what: &str,
) -> Result<Option<&'a str>, ConfError> {
    let text = line.split('#').next().unwrap_or("").trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.split_whitespace().count() > 1 {
        return Err(ConfError::parse(
            path,
            n,
            None,
            format!("`{text}` holds more than one word"),
            format!("write one {what} per line (Flink's scripts read only the first word)"),
        ));
    }
    let text = if text.starts_with('[') {
        text
    } else {
        text.rsplit('/').next().unwrap_or(text)
    };
    Ok(Some(text))
}

fn check_host(host: &str, path: &Path, n: usize) -> Result<(), ConfError> {
    let ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'));
    if ok {
        Ok(())
    } else {
        Err(ConfError::parse(
            path,
            n,
            None,
            format!("`{host}` is not a host name or IP address"),
            "write a host name (`jm1.example.com`), an IPv4 address or a bracketed IPv6 address",
        ))
    }
}

/// Split `host[:port]` / `[v6][:port]` into host and port text.
fn split_host_port<'a>(
    text: &'a str,
    path: &Path,
    n: usize,
) -> Result<(&'a str, Option<&'a str>), ConfError> {
    if let Some(rest) = text.strip_prefix('[') {
        let Some((host, after)) = rest.split_once(']') else {
            return Err(ConfError::parse(
                path,
                n,
                None,
                format!("`{text}`: `[` without a closing `]`"),
                "write IPv6 addresses as `[2001:db8::1]:8081`",
            ));
        };
        return match after {
            "" => Ok((host, None)),
            p => match p.strip_prefix(':') {
                Some(port) => Ok((host, Some(port))),
                None => Err(ConfError::parse(
                    path,
                    n,
                    None,
                    format!("`{text}`: unexpected `{p}` after `]`"),
                    "write `[address]:port`",
                )),
            },
        };
    }
    match text.matches(':').count() {
        0 => Ok((text, None)),
        1 => {
            let (h, p) = text.split_once(':').unwrap_or((text, ""));
            Ok((h, Some(p)))
        }
        // A bare IPv6 literal: no port can be given without brackets.
        _ => Ok((text, None)),
    }
}

fn parse_port(port: &str, text: &str, path: &Path, n: usize) -> Result<u16, ConfError> {
    port.parse::<u16>().map_err(|_| {
        ConfError::parse(
            path,
            n,
            None,
            format!("`{text}`: `{port}` is not a port number (0-65535)"),
            "write `host:port` with a numeric port, e.g. `jm1:8081`, or just `host`",
        )
    })
}

/// Parse `conf/masters` (the JobManager hosts, `host[:webui-port]` per line).
///
/// # Errors
/// [`ConfError::Parse`] naming `path:line` for a line with several words, a host that is not a
/// host name or address, or a port that is not a number in 0-65535.
pub fn parse_masters(text: &str, path: &Path) -> Result<Vec<MasterEntry>, ConfError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let Some(tok) = token(line, path, n, "JobManager host")? else {
            continue;
        };
        let (host, port) = split_host_port(tok, path, n)?;
        check_host(host, path, n)?;
        let webui_port = match port {
            None => None,
            Some(p) => Some(parse_port(p, tok, path, n)?),
        };
        out.push(MasterEntry {
            host: host.to_string(),
            webui_port,
            line: n,
        });
    }
    Ok(out)
}

/// Parse `conf/workers` (the TaskManager hosts, one per line).
///
/// # Errors
/// [`ConfError::Parse`] naming `path:line` for a line with several words, a host that is not a
/// host name or address, or a `host:port` (Flink's workers file takes no port).
pub fn parse_workers(text: &str, path: &Path) -> Result<Vec<WorkerEntry>, ConfError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let Some(tok) = token(line, path, n, "TaskManager host")? else {
            continue;
        };
        let (host, port) = split_host_port(tok, path, n)?;
        if port.is_some() {
            return Err(ConfError::parse(
                path,
                n,
                None,
                format!("`{tok}`: the workers file takes host names only, not `host:port`"),
                "remove the port; TaskManager ports are set with taskmanager.rpc.port",
            ));
        }
        check_host(host, path, n)?;
        out.push(WorkerEntry {
            host: host.to_string(),
            line: n,
        });
    }
    Ok(out)
}
