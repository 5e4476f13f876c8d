//! `conf/zoo.cfg`: the ZooKeeper quorum that Flink's `bin/start-zookeeper-quorum.sh` starts.
//!
//! The file is a Java properties file read by ZooKeeper's `QuorumPeerConfig.parse`
//! (`key=value`, values trimmed, `#`/`!` comment lines). Server lines follow the ZooKeeper
//! Administrator's Guide: `server.N=host:peerPort:leaderPort[:participant|observer][;[clientAddress:]clientPort]`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::config::header_block;
use super::error::{ConfError, read_text};

/// One `server.N=` line of `zoo.cfg`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZkServerEntry {
    /// The server id `N` (must match the peer's `myid` file).
    pub id: u32,
    /// Host name or address (IPv6 without brackets).
    pub host: String,
    /// Quorum (follower-to-leader) port, usually 2888.
    pub peer_port: u16,
    /// Leader-election port, usually 3888.
    pub leader_port: u16,
    /// `participant` or `observer`, when given.
    pub role: Option<String>,
    /// `;[clientAddress:]clientPort` (ZooKeeper ≥ 3.5), when given.
    pub client: Option<(Option<String>, u16)>,
    /// 1-based line.
    pub line: usize,
}

/// A parsed `zoo.cfg`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZooCfg {
    /// The file read.
    pub path: PathBuf,
    /// The `server.N` lines, in file order.
    pub servers: Vec<ZkServerEntry>,
    /// Every other property as `(key, value, line)`, in file order.
    pub props: Vec<(String, String, usize)>,
    /// The file's lines, kept to render in place.
    #[serde(skip)]
    lines: Vec<String>,
}

fn parse_port(s: &str, what: &str, path: &Path, n: usize, value: &str) -> Result<u16, ConfError> {
    match s.trim().parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(ConfError::parse(
            path,
            n,
            None,
            format!("`{value}`: {what} `{s}` is not a port number (1-65535)"),
            "write `server.N=host:2888:3888[;2181]`",
        )),
    }
}

/// Split a property line `key=value` / `key:value` / `key value` (java.util.Properties rules,
/// without escapes). `None` for blank and comment lines.
fn split_prop(line: &str) -> Option<(&str, &str)> {
    let t = line.trim_start();
    if t.is_empty() || t.starts_with('#') || t.starts_with('!') {
        return None;
    }
    let end = t
        .find(|c: char| c == '=' || c == ':' || c.is_whitespace())
        .unwrap_or(t.len());
    let key = &t[..end];
    let mut rest = t[end..].trim_start();
    if let Some(r) = rest.strip_prefix(['=', ':']) {
        rest = r;
    }
    Some((key, rest.trim()))
}

fn parse_server(id: u32, value: &str, path: &Path, n: usize) -> Result<ZkServerEntry, ConfError> {
    let bad = |msg: String| {
        ConfError::parse(
            path,
            n,
            None,
            msg,
            "write `server.N=host:2888:3888` (optionally `:observer` and `;2181` or `;address:2181`)",
        )
    };
    if value.contains('|') {
        return Err(bad(format!(
            "`{value}`: several addresses per server (`|`) are not supported by flinkha"
        )));
    }
    let (addr, client) = match value.split_once(';') {
        Some((a, c)) => (a.trim(), Some(c.trim())),
        None => (value.trim(), None),
    };
    let (host, rest) = if let Some(r) = addr.strip_prefix('[') {
        let (h, after) = r
            .split_once(']')
            .ok_or_else(|| bad(format!("`{value}`: `[` without a closing `]`")))?;
        (h, after.strip_prefix(':').unwrap_or(after))
    } else {
        addr.split_once(':')
            .ok_or_else(|| bad(format!("`{value}`: no ports after the host")))?
    };
    if host.is_empty() {
        return Err(bad(format!("`{value}`: the host is empty")));
    }
    let parts: Vec<&str> = rest.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(bad(format!(
            "`{value}`: expected host:peerPort:leaderPort[:role]"
        )));
    }
    let peer_port = parse_port(parts[0], "peer port", path, n, value)?;
    let leader_port = parse_port(parts[1], "leader-election port", path, n, value)?;
    let role = match parts.get(2).map(|r| r.trim().to_ascii_lowercase()) {
        None => None,
        Some(r) if r == "participant" || r == "observer" => Some(r),
        Some(r) => {
            return Err(bad(format!(
                "`{value}`: role `{r}` is neither `participant` nor `observer`"
            )));
        }
    };
    let client = match client {
        None => None,
        Some(c) => {
            let (caddr, cport) = match c.rsplit_once(':') {
                Some((a, p)) => (Some(a.trim_matches(['[', ']']).to_string()), p),
                None => (None, c),
            };
            Some((caddr, parse_port(cport, "client port", path, n, value)?))
        }
    };
    Ok(ZkServerEntry {
        id,
        host: host.to_string(),
        peer_port,
        leader_port,
        role,
        client,
        line: n,
    })
}

impl ZooCfg {
    /// Read and parse `path`.
    ///
    /// # Errors
    /// [`ConfError::Io`] when it can't be read; otherwise as [`ZooCfg::parse`].
    pub fn load(path: &Path) -> Result<ZooCfg, ConfError> {
        ZooCfg::parse(&read_text(path)?, path)
    }

    /// Parse the text of a `zoo.cfg`.
    ///
    /// # Errors
    /// [`ConfError::Parse`] naming `path:line` for a malformed `server.N` line (id not a number,
    /// missing or bad ports, unknown role, `|` multi-address), a line continuation (`\` at the
    /// end), a NUL byte, or a non-server key set twice ([`ConfError::Duplicate`]; ZooKeeper silently uses
    /// the last). Duplicate server ids are left to [`crate::flinkconf::check_conf_dir`].
    pub fn parse(text: &str, path: &Path) -> Result<ZooCfg, ConfError> {
        let mut cfg = ZooCfg {
            path: path.to_path_buf(),
            servers: Vec::new(),
            props: Vec::new(),
            lines: text.lines().map(str::to_string).collect(),
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let Some((key, value)) = split_prop(line) else {
                continue;
            };
            if line.contains('\0') {
                return Err(ConfError::parse(
                    path,
                    n,
                    None,
                    format!(
                        "`{}` holds a NUL byte (`\\0`), which no path, host name or shell \
                         command can carry",
                        key.escape_debug()
                    ),
                    "remove it",
                ));
            }
            if line.trim_end().ends_with('\\') {
                return Err(ConfError::parse(
                    path,
                    n,
                    None,
                    "line continuation (`\\` at the end of the line)",
                    "join the value onto one line",
                ));
            }
            if let Some(id) = key.strip_prefix("server.") {
                let id: u32 = id.parse().map_err(|_| {
                    ConfError::parse(
                        path,
                        n,
                        None,
                        format!("`{key}`: the server id `{id}` is not a number"),
                        "write `server.N=...` with N a whole number matching the peer's myid file",
                    )
                })?;
                cfg.servers.push(parse_server(id, value, path, n)?);
                continue;
            }
            if let Some(first) = seen.insert(key.to_string(), n) {
                return Err(ConfError::Duplicate {
                    file: path.to_path_buf(),
                    key: key.to_string(),
                    first_line: first,
                    line: n,
                    hint: "keep one of the two lines (ZooKeeper silently uses the last one)".into(),
                });
            }
            cfg.props.push((key.to_string(), value.to_string(), n));
        }
        Ok(cfg)
    }

    /// The value of property `key` (not `server.N`).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, _)| v.as_str())
    }

    /// The line of property `key`.
    pub fn line_of(&self, key: &str) -> Option<usize> {
        self.props
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, _, l)| *l)
    }

    /// `clientPort`, when set and a valid port.
    pub fn client_port(&self) -> Option<u16> {
        self.get("clientPort").and_then(|p| p.parse().ok())
    }

    /// `dataDir`, when set.
    pub fn data_dir(&self) -> Option<&str> {
        self.get("dataDir")
    }

    /// The client port of `server`: its `;port` if given, else `clientPort`, else 2181
    /// (ZooKeeper's documented default in the sample config).
    pub fn server_client_port(&self, server: &ZkServerEntry) -> u16 {
        server
            .client
            .as_ref()
            .map(|(_, p)| *p)
            .or_else(|| self.client_port())
            .unwrap_or(2181)
    }

    /// Render the file for one host: `header` as `#` comment lines, then the source lines with
    /// each overridden property's line rewritten as `key=value` in place (comments and
    /// `server.N` lines kept) and new properties appended as `key=value` in the order given.
    pub fn render(&self, overrides: &[(String, String)], header: &str) -> String {
        let mut out = header_block(header);
        let mut pending: Vec<(&str, &str)> = Vec::new();
        for (k, v) in overrides {
            match pending.iter_mut().find(|(pk, _)| *pk == k.as_str()) {
                Some(slot) => slot.1 = v.as_str(),
                None => pending.push((k.as_str(), v.as_str())),
            }
        }
        let mut by_line: HashMap<usize, &str> = self
            .props
            .iter()
            .map(|(k, _, l)| (*l, k.as_str()))
            .collect();
        for (i, line) in self.lines.iter().enumerate() {
            if let Some(key) = by_line.remove(&(i + 1))
                && let Some(pos) = pending.iter().position(|(k, _)| *k == key)
            {
                let (k, v) = pending.remove(pos);
                out.push_str(&format!("{k}={v}\n"));
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
        for (k, v) in pending {
            out.push_str(&format!("{k}={v}\n"));
        }
        out
    }
}
