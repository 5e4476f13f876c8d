//! What one host tells the live checks, in one SSH round trip: the facts script (built per
//! host by [`script`], a pure function) and its parser ([`parse`]).
//!
//! Output lines, one fact each (a field that may hold spaces comes last):
//!
//! ```text
//! javarc <exit status> <java binary>     java -version's exit status (127: not found)
//! java <line>                            the first 3 lines of java -version (stderr)
//! current <link target | ->              readlink <deployment>/current
//! dist <jar>                             lib/flink-dist*.jar under current
//! conf <line>                            sync's state_script lines (`mode <octal> <path>`,
//!                                        `<sha256>  <path>`, `missing - <path>`)
//! listen <hex addr:port> <inode>         LISTEN sockets from /proc/net/tcp{,6}
//! daemon <daemon> <pid>                  the instance's own live pid (daemons' `livepid`)
//! sock <daemon> <inode>                  a socket that pid holds (/proc/<pid>/fd)
//! pid <daemon> <pid> ours|dead|other [cmdline]   each pid in the instance's pid file
//! zk <host:port> ok|fail                 a TCP connect to a quorum server (3 s bound)
//! zktools missing                        bash or timeout is missing (no `zk` line is valid)
//! df <label> <avail KiB> <size KiB> <path>   df -Pk of the dir (or its nearest existing parent)
//! plugin <dir>/<jar>                     jars under current/plugins/
//! lib <jar>                              jars under current/lib/
//! hadoop env|cmd                         HADOOP_CLASSPATH set / `hadoop` on PATH
//! probe written|unwritable|nodir         the HA storage probe file (writer host only)
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;

use crate::core::model::{Cluster, Host, Role};
use crate::core::ops::daemons::{OURS_FN, ours_args};
use crate::core::ops::sync::state_script;
use crate::core::q;
use crate::core::render::RenderedFile;

/// A directory whose free space the checks look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskDir {
    /// What it is (`log`, `tmp`, `zookeeper`).
    pub label: String,
    /// Absolute path on the host.
    pub path: String,
}

/// What [`script`] needs besides the cluster and host.
#[derive(Debug, Clone, Default)]
pub struct ScriptInput {
    /// The files sync renders for the host (their state is read, not their content).
    pub files: Vec<RenderedFile>,
    /// `env.java.home` as the host's conf sets it, if it does.
    pub java_home: Option<String>,
    /// Quorum servers (`host:port`) to connect to from this host (empty: none).
    pub quorum: Vec<String>,
    /// Directories to `df`.
    pub disks: Vec<DiskDir>,
    /// `(dir, file name, content)`: write the HA storage probe (the writer host only).
    pub probe: Option<(String, String, String)>,
    /// With `install.fetch: remote`, the distribution URL the host must download: the script
    /// says which tool it has and whether a HEAD request of the URL succeeds.
    pub fetch_url: Option<String>,
}

/// The facts script for `host` (see the module doc for its output).
pub fn script(cluster: &Cluster, host: &Host, input: &ScriptInput) -> String {
    let paths = cluster.paths(host);
    let current = paths.current();
    let mut s = format!("{OURS_FN}\n");
    // Java as Flink's bin/config.sh picks it: $JAVA_HOME, else env.java.home, else `java`.
    s.push_str(&format!(
        "jh=\"$JAVA_HOME\"; [ -n \"$jh\" ] || jh={jh}; if [ -n \"$jh\" ] && [ -d \"$jh\" ]; then j=\"$jh/bin/java\"; else j=java; fi\n\
         v=$(\"$j\" -version 2>&1); echo \"javarc $? $j\"; printf '%s\\n' \"$v\" | head -n 3 | sed 's/^/java /'\n",
        jh = q(input.java_home.as_deref().unwrap_or("")),
    ));
    s.push_str(&format!(
        "printf 'current %s\\n' \"$(readlink {c} 2>/dev/null || echo -)\"\n\
         for f in {c}/lib/flink-dist*.jar; do [ -e \"$f\" ] && echo \"dist ${{f##*/}}\"; done\n",
        c = q(&current)
    ));
    s.push_str(&format!(
        "( {} ) | sed 's/^/conf /'\n",
        state_script(host, &input.files).trim_end()
    ));
    s.push_str(
        "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == \"0A\" { print \"listen \" $2 \" \" $10 }'\n",
    );
    for role in Role::START_ORDER {
        let d = role.daemon();
        s.push_str(&format!(
            "conf={conf}; f={pid}\n\
             if p=$(livepid \"$f\"{args}); then echo \"daemon {d} $p\"; ls -l /proc/$p/fd 2>/dev/null | sed -n 's/.*socket:\\[\\([0-9]*\\)\\].*/sock {d} \\1/p'; fi\n\
             if [ -f \"$f\" ]; then for p in $(cat \"$f\"); do case $p in *[!0-9]*) continue;; esac; \
             if ours \"$p\"{args}; then echo \"pid {d} $p ours\"; \
             elif [ -r /proc/$p/cmdline ] && [ \"$(sed 's/.*) //' /proc/$p/stat 2>/dev/null | cut -c1)\" != Z ]; then echo \"pid {d} $p other $(tr '\\0\\n' '  ' < /proc/$p/cmdline | cut -c1-200)\"; \
             else echo \"pid {d} $p dead\"; fi; done; fi\n",
            conf = q(&cluster.role_paths(host, role).conf()),
            pid = q(&cluster.pid_file(host, role)),
            args = ours_args(cluster, host, role),
        ));
    }
    if !input.quorum.is_empty() {
        s.push_str("command -v bash >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1 || echo 'zktools missing'\n");
    }
    for hp in &input.quorum {
        let (h, p) = split_host_port(hp);
        s.push_str(&format!(
            "if timeout 3 bash -c 'exec 3<>\"/dev/tcp/$0/$1\"' {h} {p} 2>/dev/null; then printf '%s\\n' {ok}; else printf '%s\\n' {fail}; fi\n",
            h = q(&h),
            p = q(&p),
            ok = q(&format!("zk {hp} ok")),
            fail = q(&format!("zk {hp} fail")),
        ));
    }
    for d in &input.disks {
        s.push_str(&format!(
            "d={p}; while [ ! -d \"$d\" ] && [ \"$d\" != / ]; do d=$(dirname \"$d\"); done; df -Pk \"$d\" 2>/dev/null | L={l} P={p} awk 'NR == 2 {{ print \"df \" ENVIRON[\"L\"] \" \" $4 \" \" $2 \" \" ENVIRON[\"P\"] }}'\n",
            p = q(&d.path),
            l = q(&d.label),
        ));
    }
    s.push_str(&format!(
        "ls -d {c}/plugins/*/*.jar 2>/dev/null | sed 's|.*/plugins/|plugin |'\n\
         ls {c}/lib 2>/dev/null | grep '\\.jar$' | sed 's/^/lib /'\n\
         [ -n \"$HADOOP_CLASSPATH\" ] && echo 'hadoop env'; command -v hadoop >/dev/null 2>&1 && echo 'hadoop cmd'\n",
        c = q(&current)
    ));
    if let Some((dir, name, content)) = &input.probe {
        s.push_str(&format!(
            "if [ -d {d} ]; then if printf '%s' {c} > {f} 2>/dev/null; then echo 'probe written'; else echo 'probe unwritable'; fi; else echo 'probe nodir'; fi\n",
            d = q(dir),
            c = q(content),
            f = q(&format!("{}/{name}", dir.trim_end_matches('/'))),
        ));
    }
    if let Some(url) = &input.fetch_url {
        s.push_str(&format!(
            "u={u}\n\
             if command -v curl >/dev/null 2>&1; then if curl -fsSIL --proto =http,https --max-time 10 -o /dev/null \"$u\" 2>/dev/null; then echo 'fetch curl ok'; else echo \"fetch curl fail $?\"; fi\n\
             elif command -v wget >/dev/null 2>&1; then if wget -q --spider --timeout=10 --tries=1 \"$u\" 2>/dev/null; then echo 'fetch wget ok'; else echo \"fetch wget fail $?\"; fi\n\
             else echo 'fetch none'; fi\n",
            u = q(url),
        ));
    }
    s.push_str("exit 0\n");
    s
}

/// `host:port` or `[v6]:port` split into host (without brackets) and port text.
pub fn split_host_port(hp: &str) -> (String, String) {
    if let Some(rest) = hp.strip_prefix('[')
        && let Some((h, p)) = rest.split_once("]:")
    {
        return (h.to_string(), p.to_string());
    }
    match hp.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.to_string()),
        None => (hp.to_string(), "2181".to_string()),
    }
}

/// A LISTEN socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    /// Local address (IPv4-mapped IPv6 addresses as IPv4).
    pub addr: IpAddr,
    /// Local port.
    pub port: u16,
    /// Socket inode (matches `socket:[inode]` in `/proc/<pid>/fd`).
    pub inode: u64,
}

/// What a pid in a pid file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PidState {
    /// The instance itself (daemons' `ours`).
    Ours,
    /// No such live process.
    Dead,
    /// A live process that is not the instance; its command line (NULs as spaces, ≤ 200 chars).
    Other(String),
}

/// A `df` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disk {
    /// Label of [`DiskDir`].
    pub label: String,
    /// Path of [`DiskDir`].
    pub path: String,
    /// Available to unprivileged users, KiB.
    pub avail_kib: u64,
    /// Filesystem size, KiB.
    pub size_kib: u64,
}

/// Everything the facts script printed, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// java -version's exit status and the binary run.
    pub java_rc: Option<(i32, String)>,
    /// The first lines of java -version.
    pub java: Vec<String>,
    /// Target of `current`.
    pub current: Option<String>,
    /// `flink-dist*.jar` names under current/lib.
    pub dist: Vec<String>,
    /// Lines of sync's state script.
    pub conf: String,
    /// LISTEN sockets.
    pub listening: Vec<Listener>,
    /// Daemon name → its own live pid.
    pub daemons: BTreeMap<String, u32>,
    /// Daemon name → socket inodes its pid holds.
    pub sockets: BTreeMap<String, BTreeSet<u64>>,
    /// Daemon name → each pid of its pid file.
    pub pid_files: BTreeMap<String, Vec<(u32, PidState)>>,
    /// Quorum server → reachable.
    pub zk: Vec<(String, bool)>,
    /// `bash` or `timeout` is missing, so the `zk` lines mean nothing.
    pub zk_tools_missing: bool,
    /// `df` of each dir.
    pub disks: Vec<Disk>,
    /// `<dir>/<jar>` under plugins/.
    pub plugins: Vec<String>,
    /// Jar names under lib/.
    pub lib: Vec<String>,
    /// HADOOP_CLASSPATH set or `hadoop` on PATH.
    pub hadoop: bool,
    /// The probe write: `written`, `unwritable`, `nodir`.
    pub probe: Option<String>,
    /// `install.fetch: remote` only: the download tool found (`curl`, `wget`; `none`) and the
    /// result of a HEAD request of the URL with it (`ok`, or `fail <exit status>`).
    pub fetch: Option<(String, String)>,
}

impl Facts {
    /// The Java feature version (`1.8.0_392` → 8, `17.0.9` → 17), from the `version "…"` line.
    pub fn java_major(&self) -> Option<u32> {
        self.java.iter().find_map(|l| java_major_of(l))
    }

    /// The path → (mode, sha256) map of the conf files, as sync's `parse_state` reads it.
    pub fn conf_state(&self) -> HashMap<String, (String, String)> {
        crate::core::ops::sync::parse_state(&self.conf)
    }
}

/// The feature version in one line of `java -version`: the quoted version (`"1.8.0_392"` → 8,
/// `"17.0.9"` → 17, `"21"` → 21; JEP 223 version strings, and 1.x before Java 9).
pub fn java_major_of(line: &str) -> Option<u32> {
    let start = line.find(" version \"")? + " version \"".len();
    let v = &line[start..];
    let v = &v[..v.find('"')?];
    let mut parts = v.split(['.', '_', '-', '+']);
    let first: u32 = parts.next()?.parse().ok()?;
    if first == 1 {
        parts.next()?.parse().ok()
    } else {
        Some(first)
    }
}

/// `0102007F:1F90` (little-endian words, as /proc/net/tcp prints) → address and port.
pub fn parse_proc_addr(text: &str) -> Option<(IpAddr, u16)> {
    let (a, p) = text.split_once(':')?;
    let port = u16::from_str_radix(p, 16).ok()?;
    let word = |s: &str| u32::from_str_radix(s, 16).ok().map(u32::to_le_bytes);
    let addr = match a.len() {
        8 => IpAddr::from(word(a)?),
        32 => {
            let mut b = [0u8; 16];
            for i in 0..4 {
                b[i * 4..i * 4 + 4].copy_from_slice(&word(&a[i * 8..i * 8 + 8])?);
            }
            let v6 = std::net::Ipv6Addr::from(b);
            match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(v6),
            }
        }
        _ => return None,
    };
    Some((addr, port))
}

/// Parse [`script`]'s output.
pub fn parse(out: &str) -> Facts {
    let mut f = Facts::default();
    for line in out.lines() {
        let (tag, rest) = line.split_once(' ').unwrap_or((line, ""));
        let mut w = rest.split_whitespace();
        match tag {
            "javarc" => {
                if let (Some(rc), Some(bin)) = (w.next().and_then(|r| r.parse().ok()), w.next()) {
                    f.java_rc = Some((rc, bin.to_string()));
                }
            }
            "java" => f.java.push(rest.to_string()),
            "current" if rest != "-" && !rest.is_empty() => {
                f.current = Some(
                    rest.trim_end_matches('/')
                        .rsplit('/')
                        .next()
                        .unwrap_or(rest)
                        .to_string(),
                )
            }
            "dist" => f.dist.push(rest.to_string()),
            "conf" => {
                f.conf.push_str(rest);
                f.conf.push('\n');
            }
            "listen" => {
                if let (Some((addr, port)), Some(inode)) = (
                    w.next().and_then(parse_proc_addr),
                    w.next().and_then(|i| i.parse().ok()),
                ) {
                    f.listening.push(Listener { addr, port, inode });
                }
            }
            "daemon" => {
                if let (Some(d), Some(p)) = (w.next(), w.next().and_then(|p| p.parse().ok())) {
                    f.daemons.insert(d.to_string(), p);
                }
            }
            "sock" => {
                if let (Some(d), Some(i)) = (w.next(), w.next().and_then(|i| i.parse().ok())) {
                    f.sockets.entry(d.to_string()).or_default().insert(i);
                }
            }
            "pid" => {
                let (Some(d), Some(p), Some(state)) =
                    (w.next(), w.next().and_then(|p| p.parse().ok()), w.next())
                else {
                    continue;
                };
                let state = match state {
                    "ours" => PidState::Ours,
                    "other" => {
                        let cmd = rest.splitn(4, ' ').nth(3).unwrap_or("").trim();
                        PidState::Other(cmd.to_string())
                    }
                    _ => PidState::Dead,
                };
                f.pid_files
                    .entry(d.to_string())
                    .or_default()
                    .push((p, state));
            }
            "zktools" => f.zk_tools_missing = true,
            "zk" => {
                if let (Some(hp), Some(r)) = (w.next(), w.next()) {
                    f.zk.push((hp.to_string(), r == "ok"));
                }
            }
            "df" => {
                let mut it = rest.splitn(4, ' ');
                if let (Some(l), Some(a), Some(s), Some(p)) =
                    (it.next(), it.next(), it.next(), it.next())
                    && let (Ok(a), Ok(s)) = (a.parse(), s.parse())
                {
                    f.disks.push(Disk {
                        label: l.to_string(),
                        path: p.to_string(),
                        avail_kib: a,
                        size_kib: s,
                    });
                }
            }
            "plugin" => f.plugins.push(rest.to_string()),
            "lib" => f.lib.push(rest.to_string()),
            "hadoop" => f.hadoop = true,
            "probe" => f.probe = Some(rest.to_string()),
            "fetch" => {
                let (tool, result) = rest.split_once(' ').unwrap_or((rest, ""));
                f.fetch = Some((tool.to_string(), result.to_string()));
            }
            _ => {}
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "\
javarc 0 java
java openjdk version \"17.0.15\" 2025-04-15
java OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)
current flink-2.1.0
dist flink-dist-2.1.0.jar
conf missing - conf/zoo.cfg
conf mode 644 conf/config.yaml
conf 0123abcd0123abcd0123abcd0123abcd0123abcd0123abcd0123abcd0123abcd  conf/config.yaml
listen 0102007F:1F90 4711
listen 00000000000000000000000000000000:18EB 4712
listen 0000000000000000FFFF00000302007F:0050 4713
daemon standalonesession 1234
sock standalonesession 4711
sock standalonesession 99
pid standalonesession 1234 ours
pid taskexecutor 77 other sleep 600 
pid zookeeper 88 dead
zk 127.0.2.1:2181 ok
zk [::1]:2181 fail
df log 1048576 2097152 /var/tmp/a b/log
plugin s3-fs-hadoop/flink-s3-fs-hadoop-2.1.0.jar
lib flink-dist-2.1.0.jar
hadoop cmd
probe written
";

    #[test]
    fn parses_every_fact() {
        let f = parse(OUT);
        assert_eq!(f.java_rc, Some((0, "java".into())));
        assert_eq!(f.java_major(), Some(17));
        assert_eq!(f.current.as_deref(), Some("flink-2.1.0"));
        assert_eq!(f.dist, ["flink-dist-2.1.0.jar"]);
        let st = f.conf_state();
        assert_eq!(
            st.get("conf/config.yaml"),
            Some(&("644".into(), "0123abcd".repeat(8)))
        );
        assert!(!st.contains_key("conf/zoo.cfg"));
        assert_eq!(
            f.listening[0],
            Listener {
                addr: "127.0.2.1".parse().unwrap(),
                port: 8080,
                inode: 4711
            }
        );
        assert_eq!(f.listening[1].addr, "::".parse::<IpAddr>().unwrap());
        assert_eq!(f.listening[1].port, 6379);
        assert_eq!(f.listening[2].addr, "127.0.2.3".parse::<IpAddr>().unwrap());
        assert_eq!(f.daemons.get("standalonesession"), Some(&1234));
        assert_eq!(
            f.sockets["standalonesession"],
            [99, 4711].into_iter().collect()
        );
        assert_eq!(f.pid_files["standalonesession"], [(1234, PidState::Ours)]);
        assert_eq!(
            f.pid_files["taskexecutor"],
            [(77, PidState::Other("sleep 600".into()))]
        );
        assert_eq!(f.pid_files["zookeeper"], [(88, PidState::Dead)]);
        assert_eq!(
            f.zk,
            [
                ("127.0.2.1:2181".into(), true),
                ("[::1]:2181".into(), false)
            ]
        );
        assert_eq!(f.disks[0].path, "/var/tmp/a b/log");
        assert_eq!(f.disks[0].avail_kib, 1 << 20);
        assert_eq!(f.plugins, ["s3-fs-hadoop/flink-s3-fs-hadoop-2.1.0.jar"]);
        assert!(f.hadoop);
        assert_eq!(f.probe.as_deref(), Some("written"));
    }

    #[test]
    fn java_versions() {
        assert_eq!(java_major_of("java version \"1.8.0_392\""), Some(8));
        assert_eq!(
            java_major_of("openjdk version \"11.0.21\" 2023-10-17"),
            Some(11)
        );
        assert_eq!(java_major_of("openjdk version \"21\" 2023-09-19"), Some(21));
        assert_eq!(java_major_of("openjdk version \"17-ea\""), Some(17));
        assert_eq!(java_major_of("sh: 1: java: not found"), None);
    }

    #[test]
    fn host_ports() {
        assert_eq!(
            split_host_port("127.0.2.1:2181"),
            ("127.0.2.1".into(), "2181".into())
        );
        assert_eq!(split_host_port("[::1]:2182"), ("::1".into(), "2182".into()));
        assert_eq!(split_host_port("zk1"), ("zk1".into(), "2181".into()));
    }

    /// The script runs under sh on this machine and its output parses: a port this test
    /// listens on is seen with the address it is bound to, java answers.
    #[test]
    fn the_script_runs_here() {
        let dir = tempfile::tempdir().unwrap();
        let inv =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conf.example/flinkha.yaml");
        let c = Cluster::load(&inv).unwrap();
        let h = &c.hosts[0];
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let log = c.paths(h).log();
        let input = ScriptInput {
            files: crate::core::render::render_host(&c, h).unwrap(),
            disks: vec![
                DiskDir {
                    label: "log".into(),
                    path: log.clone(),
                },
                // `awk -v` would turn `\t` into a tab: the path must come back as it is.
                DiskDir {
                    label: "tmp".into(),
                    path: format!("{}/it's a \\tmp dir", dir.path().display()),
                },
            ],
            quorum: vec![format!("127.0.0.1:{port}")],
            probe: Some((
                dir.path().display().to_string(),
                "probe".into(),
                "n0nce".into(),
            )),
            ..ScriptInput::default()
        };
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(script(&c, h, &input))
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let f = parse(&String::from_utf8_lossy(&out.stdout));
        assert!(
            f.listening
                .iter()
                .any(|x| x.port == port && x.addr == IpAddr::from([127, 0, 0, 1])),
            "{port} not in {:?}",
            f.listening
        );
        assert!(f.java_rc.is_some());
        assert_eq!(f.disks.len(), 2, "{f:?}");
        assert_eq!(f.disks[0].path, log);
        assert_eq!(
            f.disks[1].path,
            format!("{}/it's a \\tmp dir", dir.path().display())
        );
        assert!(f.disks[0].avail_kib > 0);
        assert_eq!(f.zk, [(format!("127.0.0.1:{port}"), true)]);
        assert_eq!(f.probe.as_deref(), Some("written"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("probe")).unwrap(),
            "n0nce"
        );
    }
}
