//! `sync`: distribute the rendered conf dir (and extra files) to every host.
//!
//! Per host, two round trips. The first reads the mode and SHA-256 of every target file (one
//! `stat`, one `sha256sum`); only files whose content or mode differ are sent. The second
//! sends them in one tar on the stdin of the script that unpacks it into a staging dir,
//! copies each previous version to `<root>/.flinkha/backups/<UTC timestamp>/<path>`, then
//! moves each new file to a temp name beside its target, fsyncs it and renames it into place
//! (atomic on one filesystem). A mode-only change is a chmod.

use std::collections::HashMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::core::hosts::{HostOutcome, Sessions, for_each_host, run, run_with_input};
use crate::core::model::{Cluster, Host};
use crate::core::q;
use crate::core::render::{RenderedFile, render_host};
use crate::core::reporter::Reporter;
use crate::flinkconf::secrets;

/// How a file differs on the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Not on the host yet.
    Added,
    /// Content differs.
    Modified,
    /// Only the permission bits differ.
    ModeChanged,
}

/// One file to change on a host.
#[derive(Debug, Clone, Serialize)]
pub struct FileChange {
    /// Path relative to the install root.
    pub path: String,
    /// Kind of change.
    pub kind: ChangeKind,
    /// Size of the new content, bytes.
    pub bytes: u64,
    /// Mode on the host before (octal text), if present.
    pub old_mode: Option<String>,
    /// Mode after (octal text).
    pub new_mode: String,
    /// Unified diff (dry run, text files under 1 MiB only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// What sync did (or would do) on one host.
#[derive(Debug, Clone, Serialize)]
pub struct HostSync {
    /// Files that differ.
    pub changes: Vec<FileChange>,
    /// Files already up to date.
    pub unchanged: usize,
    /// Bytes uploaded (0 on a dry run).
    pub bytes_sent: u64,
    /// Where the previous versions were backed up, when anything was replaced.
    pub backup_dir: Option<String>,
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Script reading the state of `files` under the host's install root in one `stat` and one
/// `sha256sum` (no process per file): `mode <octal> <path>` and `<sha256>  <path>` per file
/// present, `missing - <path>` per file absent. Reads only.
pub fn state_script(host: &Host, files: &[RenderedFile]) -> String {
    let mut s = format!(
        "cd {} 2>/dev/null || exit 0\nset --\nfor f in",
        q(&host.install_root)
    );
    for f in files {
        s.push(' ');
        s.push_str(&q(&f.rel_path));
    }
    s.push_str(
        "; do if [ -f \"$f\" ]; then set -- \"$@\" \"$f\"; else printf 'missing - %s\\n' \"$f\"; fi; done\n\
         [ $# -eq 0 ] || { stat -c 'mode %a %n' -- \"$@\"; sha256sum -- \"$@\"; }\n",
    );
    s
}

/// Parse [`state_script`] output into path → (mode, sha256). A file with only one of the two
/// (a name `sha256sum` had to escape: a backslash or newline in it) is left out: it reads as
/// missing, so it is sent again, never wrongly taken as up to date.
pub fn parse_state(out: &str) -> HashMap<String, (String, String)> {
    let mut modes: HashMap<&str, &str> = HashMap::new();
    let mut hashes: HashMap<&str, &str> = HashMap::new();
    for l in out.lines() {
        if l.starts_with("missing ") {
            continue;
        }
        if let Some(rest) = l.strip_prefix("mode ") {
            if let Some((mode, path)) = rest.split_once(' ') {
                modes.insert(path, mode);
            }
        } else if let Some((hash, path)) = l.split_once("  ")
            && hash.len() == 64
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
        {
            hashes.insert(path, hash);
        }
    }
    modes
        .into_iter()
        .filter_map(|(path, mode)| {
            let hash = hashes.get(path)?;
            Some((path.to_string(), (mode.to_string(), hash.to_string())))
        })
        .collect()
}

/// Compare the rendered files with the host's state.
pub fn changes(
    files: &[RenderedFile],
    state: &HashMap<String, (String, String)>,
) -> Vec<FileChange> {
    files
        .iter()
        .filter_map(|f| {
            let new_mode = format!("{:o}", f.mode);
            let kind = match state.get(&f.rel_path) {
                None => ChangeKind::Added,
                Some((_, h)) if *h != sha256_hex(&f.content) => ChangeKind::Modified,
                Some((m, _)) if *m != new_mode => ChangeKind::ModeChanged,
                Some(_) => return None,
            };
            Some(FileChange {
                path: f.rel_path.clone(),
                kind,
                bytes: f.content.len() as u64,
                old_mode: state.get(&f.rel_path).map(|(m, _)| m.clone()),
                new_mode,
                diff: None,
            })
        })
        .collect()
}

/// A unified diff (2 lines of context) of `old` (on the host) and `new` (rendered) for
/// display: computed on the real text, so a changed secret is still a change, but every line
/// is shown through [`secrets::redact_file_lines`] (a secret's value is `******` on both
/// sides). Empty when the texts are equal.
fn unified_diff(old: &str, new: &str, path: &str) -> String {
    use similar::ChangeTag;
    let old_shown = secrets::redact_file_lines(path, old);
    let new_shown = secrets::redact_file_lines(path, new);
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = String::new();
    for hunk in diff.unified_diff().context_radius(2).iter_hunks() {
        if out.is_empty() {
            out.push_str(&format!("--- {path} (on host)\n+++ {path} (rendered)\n"));
        }
        out.push_str(&format!("{}\n", hunk.header()));
        for ch in hunk.iter_changes() {
            let (sign, shown) = match ch.tag() {
                ChangeTag::Equal => (' ', ch.old_index().and_then(|i| old_shown.get(i))),
                ChangeTag::Delete => ('-', ch.old_index().and_then(|i| old_shown.get(i))),
                ChangeTag::Insert => ('+', ch.new_index().and_then(|i| new_shown.get(i))),
            };
            out.push(sign);
            out.push_str(shown.map_or(secrets::HIDDEN, String::as_str));
            out.push('\n');
            if ch.missing_newline() {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// Sync (or with `dry_run`, only compare and diff) every given host.
pub fn sync_hosts(
    cluster: &Cluster,
    sessions: &Sessions,
    reporter: &dyn Reporter,
    hosts: &[&Host],
    dry_run: bool,
) -> Vec<HostOutcome<HostSync>> {
    let stamp = backup_stamp();
    for_each_host(hosts, cluster.parallelism, |h| {
        reporter.host_started(&h.name, "comparing");
        let files = render_host(cluster, h)?;
        let t = sessions.get(h)?;
        // A real sync creates the staging dir with the state read (one round trip fewer).
        let prepare = if dry_run {
            String::new()
        } else {
            format!(
                "mkdir -p {} || exit 1\n",
                q(&format!("{}/.flinkha/staging", h.install_root))
            )
        };
        let state = parse_state(&run(
            h,
            t.as_ref(),
            "reading file state",
            &format!("{prepare}{}", state_script(h, &files)),
        )?);
        let mut changes = changes(&files, &state);
        let unchanged = files.len() - changes.len();
        let by_path: HashMap<&str, &RenderedFile> =
            files.iter().map(|f| (f.rel_path.as_str(), f)).collect();
        let root = h.install_root.clone();
        if dry_run {
            for c in &mut changes {
                let f = by_path[c.path.as_str()];
                let Ok(new) = std::str::from_utf8(&f.content) else {
                    continue;
                };
                if f.content.len() > 1 << 20 {
                    continue;
                }
                let old = if c.kind == ChangeKind::Modified {
                    run(
                        h,
                        t.as_ref(),
                        "reading a file",
                        &format!("cat -- {}", q(&format!("{root}/{}", c.path))),
                    )?
                } else {
                    String::new()
                };
                if c.kind != ChangeKind::ModeChanged {
                    c.diff = Some(unified_diff(&old, new, &c.path));
                }
            }
            reporter.host_finished(&h.name, true, &summary(&changes, unchanged, true));
            return Ok(HostSync {
                changes,
                unchanged,
                bytes_sent: 0,
                backup_dir: None,
            });
        }
        let backup_dir = format!("{root}/.flinkha/backups/{stamp}");
        let staging = format!("{root}/.flinkha/staging/sync-{stamp}");
        let content: Vec<&RenderedFile> = changes
            .iter()
            .filter(|c| c.kind != ChangeKind::ModeChanged)
            .map(|c| by_path[c.path.as_str()])
            .collect();
        // Every changed file in one tar (modes kept), sent on the stdin of the script that
        // unpacks it into the staging dir and puts the files in place: one round trip. A
        // tar cut short (a dropped connection) fails its unpack, so `set -e` stops the script
        // before anything live is touched.
        let archive = if content.is_empty() {
            Vec::new()
        } else {
            tar_of(&content).map_err(|source| crate::core::Error::Io {
                path: std::path::PathBuf::from(format!("{staging}.tar")),
                source,
            })?
        };
        let sent = archive.len() as u64;
        let mut backed_up = false;
        let mut script = format!(
            "set -e\ncd {root_q}\nst={st}\n{extract}",
            root_q = q(&root),
            st = q(&staging),
            extract = if content.is_empty() {
                String::new()
            } else {
                "umask 077\nmkdir -p \"$st\"\ntar -xpf - -C \"$st\"\numask 022\n".to_string()
            },
        );
        // Every backup first, each command on its own line so `set -e` stops the script at
        // the first one that fails: then nothing has been replaced yet.
        for c in changes.iter().filter(|c| c.kind == ChangeKind::Modified) {
            let (dir, _) = c.path.rsplit_once('/').unwrap_or((".", c.path.as_str()));
            let bdir = q(&format!("{backup_dir}/{dir}"));
            script.push_str(&format!("mkdir -p {bdir}\ncp -p {} {bdir}/\n", q(&c.path)));
            backed_up = true;
        }
        // Each new file is moved beside its target, given its mode, fsynced, then renamed
        // over it: atomic even when staging is on another filesystem than the target's
        // directory. Every file is staged before the first rename, and the commands are
        // batched (one mkdir, one chmod per mode, one sync): the process count per host stays
        // flat in the number of files.
        let mut dirs: Vec<String> = Vec::new();
        let mut by_mode: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        let mut staged: Vec<(String, String)> = Vec::new();
        let mut mode_only = String::new();
        let mut moves = String::new();
        for c in &changes {
            let f = by_path[c.path.as_str()];
            let (dir, name) = c.path.rsplit_once('/').unwrap_or((".", c.path.as_str()));
            let mode = format!("{:o}", f.mode);
            let target = q(&c.path);
            if c.kind == ChangeKind::ModeChanged {
                mode_only.push_str(&format!("chmod {mode} {target}\n"));
                continue;
            }
            let tmp = q(&format!("{dir}/.{name}.flinkha-tmp"));
            if !dirs.contains(&q(dir)) {
                dirs.push(q(dir));
            }
            moves.push_str(&format!("mv -f \"$st\"/{} {tmp}\n", q(&c.path)));
            by_mode.entry(mode).or_default().push(tmp.clone());
            staged.push((tmp, target));
        }
        if !staged.is_empty() {
            script.push_str(&format!("mkdir -p {}\n{moves}", dirs.join(" ")));
            for (mode, tmps) in &by_mode {
                script.push_str(&format!("chmod {mode} {}\n", tmps.join(" ")));
            }
            let tmps: Vec<&str> = staged.iter().map(|(t, _)| t.as_str()).collect();
            script.push_str(&format!("sync -- {} 2>/dev/null || true\n", tmps.join(" ")));
            for (tmp, target) in &staged {
                script.push_str(&format!("mv -f {tmp} {target}\n"));
            }
        }
        script.push_str(&mode_only);
        if !content.is_empty() {
            script.push_str("rm -rf \"$st\"\n");
        }
        script.push_str(&prune_script(&root, cluster.keep_backups));
        if !changes.is_empty() {
            run_with_input(h, t.as_ref(), "replacing files", &script, &archive)?;
            reporter.host_bytes(&h.name, sent, sent);
        }
        reporter.host_finished(&h.name, true, &summary(&changes, unchanged, false));
        Ok(HostSync {
            changes,
            unchanged,
            bytes_sent: sent,
            backup_dir: backed_up.then_some(backup_dir),
        })
    })
}

/// A backup / staging stamp that sorts by time and does not collide: UTC to the millisecond
/// plus flinkha's pid, e.g. `2026-12-01T164012.345Z-4242`.
pub fn backup_stamp() -> String {
    format!(
        "{}-{}",
        humantime::format_rfc3339_millis(std::time::SystemTime::now())
            .to_string()
            .replace(':', ""),
        std::process::id()
    )
}

/// Shell lines run after a successful sync on a host (in its install root): keep the newest
/// `keep` backups under `.flinkha/backups/` and remove staging dirs of earlier syncs that
/// failed half-way (`.flinkha/staging/sync-*` older than an hour). Backup names are stamps
/// ([`backup_stamp`], older second-resolution ones too) and sort by time.
pub fn prune_script(root: &str, keep: usize) -> String {
    format!(
        "b={b}\n\
         if [ -d \"$b\" ]; then ls -1 \"$b\" | LC_ALL=C sort | head -n -{keep} | while IFS= read -r d; do rm -rf -- \"$b/$d\"; done; fi\n\
         find {s} -maxdepth 1 -name 'sync-*' -mmin +60 -exec rm -rf -- {{}} + 2>/dev/null || true\n",
        b = q(&format!("{root}/.flinkha/backups")),
        s = q(&format!("{root}/.flinkha/staging")),
    )
}

/// A tar archive holding `files` at their relative paths with their modes.
fn tar_of(files: &[&RenderedFile]) -> std::io::Result<Vec<u8>> {
    let mut b = tar::Builder::new(Vec::new());
    let mtime = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    for f in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(f.content.len() as u64);
        header.set_mode(f.mode);
        header.set_mtime(mtime);
        header.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut header, &f.rel_path, f.content.as_slice())?;
    }
    b.into_inner()
}

/// One line: `3 files changed (12.1 KiB), 4 up to date` or `up to date (7 files)`.
pub fn summary(changes: &[FileChange], unchanged: usize, dry_run: bool) -> String {
    if changes.is_empty() {
        return format!("up to date ({unchanged} files)");
    }
    let bytes: u64 = changes.iter().map(|c| c.bytes).sum();
    format!(
        "{} file(s) {} ({} bytes), {unchanged} up to date",
        changes.len(),
        if dry_run { "would change" } else { "changed" },
        bytes
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn file(path: &str, content: &str, mode: u32) -> RenderedFile {
        RenderedFile {
            rel_path: path.into(),
            content: content.as_bytes().to_vec(),
            mode,
            source: path.into(),
        }
    }

    /// The state script run by a real shell on real files, names with spaces and quotes
    /// included: parsed back to each file's mode and SHA-256; an absent file is missing.
    #[test]
    fn the_state_script_reads_modes_and_digests_in_one_pass() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir_all(root.join("conf")).unwrap();
        let files = vec![
            file("conf/config.yaml", "a: 1\n", 0o644),
            file("conf/it's a name", "x", 0o600),
            file("conf/absent", "y", 0o644),
        ];
        std::fs::write(root.join("conf/config.yaml"), "a: 1\n").unwrap();
        std::fs::write(root.join("conf/it's a name"), "old").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            root.join("conf/it's a name"),
            std::fs::Permissions::from_mode(0o640),
        )
        .unwrap();
        let host = Host {
            install_root: root.display().to_string(),
            ..local_cluster(dir.path(), "", "").hosts[0].clone()
        };
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(state_script(&host, &files))
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let state = parse_state(&String::from_utf8_lossy(&out.stdout));
        assert_eq!(
            state.get("conf/config.yaml"),
            Some(&("644".to_string(), sha256_hex(b"a: 1\n")))
        );
        assert_eq!(
            state.get("conf/it's a name"),
            Some(&("640".to_string(), sha256_hex(b"old")))
        );
        assert_eq!(state.len(), 2, "{state:?}");
        let kinds: Vec<ChangeKind> = changes(&files, &state).iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [ChangeKind::Modified, ChangeKind::Added]);
    }

    #[test]
    fn detects_added_modified_mode_and_unchanged() {
        let files = vec![
            file("conf/a", "A", 0o644),
            file("conf/b", "B", 0o644),
            file("conf/c", "C", 0o755),
            file("conf/d", "D", 0o644),
        ];
        let out = format!(
            "missing - conf/a\nmode 644 conf/b\nmode 644 conf/c\nmode 644 conf/d\n{}  conf/b\n{}  conf/c\n{}  conf/d\n",
            sha256_hex(b"old"),
            sha256_hex(b"C"),
            sha256_hex(b"D"),
        );
        let state = parse_state(&out);
        let ch = changes(&files, &state);
        let kinds: Vec<(&str, ChangeKind)> = ch.iter().map(|c| (c.path.as_str(), c.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("conf/a", ChangeKind::Added),
                ("conf/b", ChangeKind::Modified),
                ("conf/c", ChangeKind::ModeChanged)
            ]
        );
    }

    /// A one-host cluster whose host is this machine (`transport: local`), install root
    /// `<dir>/root`, conf dir `<dir>/conf` with `config.yaml` = `config`.
    pub(crate) fn local_cluster(dir: &std::path::Path, config: &str, extra: &str) -> Cluster {
        let conf = dir.join("conf");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::write(conf.join("config.yaml"), config).unwrap();
        std::fs::write(conf.join("masters"), "h1:8081\n").unwrap();
        std::fs::write(conf.join("workers"), "h1\n").unwrap();
        let inv = dir.join("flinkha.yaml");
        std::fs::write(
            &inv,
            format!(
                "conf_dir: conf\ninstall_root: {}\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: 127.0.0.1\n    transport: local\n{extra}",
                dir.join("root").display()
            ),
        )
        .unwrap();
        Cluster::load(&inv).unwrap()
    }

    fn sync(c: &Cluster) -> crate::core::Result<HostSync> {
        let hosts: Vec<&Host> = c.hosts.iter().collect();
        let out = sync_hosts(
            c,
            &Sessions::new(),
            &crate::core::reporter::NullReporter,
            &hosts,
            false,
        );
        out.into_iter().next().unwrap().result
    }

    /// A backup that cannot be made fails the host's sync before any file is replaced (it
    /// used to be skipped silently: `mkdir -p dir && cp` does not stop a `set -e` script).
    #[test]
    fn a_failed_backup_fails_the_sync_before_anything_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let c = local_cluster(dir.path(), "parallelism:\n  default: 1\n", "");
        sync(&c).unwrap();
        let live = dir.path().join("root/conf/config.yaml");
        let before = std::fs::read(&live).unwrap();
        // The backups dir cannot be created: a file stands where it should be.
        let backups = dir.path().join("root/.flinkha/backups");
        std::fs::remove_dir_all(&backups).ok();
        std::fs::write(&backups, b"in the way").unwrap();
        std::fs::write(
            dir.path().join("conf/config.yaml"),
            "parallelism:\n  default: 2\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("conf/workers"), "h1\n# changed\n").unwrap();
        let c = Cluster::load(&dir.path().join("flinkha.yaml")).unwrap();
        let e = sync(&c).unwrap_err();
        assert!(crate::core::error_chain(&e).contains("backups"), "{e}");
        assert_eq!(std::fs::read(&live).unwrap(), before, "a file was replaced");
        // With the obstacle gone the sync completes and keeps the old file.
        std::fs::remove_file(&backups).unwrap();
        let done = sync(&c).unwrap();
        let b = done.backup_dir.expect("a backup");
        assert_eq!(
            std::fs::read(format!("{b}/conf/config.yaml")).unwrap(),
            before
        );
        assert!(
            std::fs::read_to_string(&live)
                .unwrap()
                .contains("default: 2")
        );
    }

    /// After a successful sync only the newest `keep_backups` backups remain.
    #[test]
    fn old_backups_are_pruned_after_a_sync() {
        let dir = tempfile::tempdir().unwrap();
        let c = local_cluster(
            dir.path(),
            "parallelism:\n  default: 1\n",
            "keep_backups: 3\n",
        );
        sync(&c).unwrap();
        let backups = dir.path().join("root/.flinkha/backups");
        // Older, second-resolution stamps as earlier flinkha versions wrote them.
        for s in [
            "2026-01-01T000000Z",
            "2026-01-02T000000Z",
            "2026-01-03T000000Z",
            "2026-01-04T000000Z",
        ] {
            std::fs::create_dir_all(backups.join(s).join("conf")).unwrap();
        }
        // Staging dirs of syncs that failed: one two hours old (removed), one fresh (a sync
        // that may still be running: kept).
        let staging = dir.path().join("root/.flinkha/staging");
        for d in ["sync-old", "sync-fresh"] {
            std::fs::create_dir_all(staging.join(d).join("conf")).unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        std::fs::File::open(staging.join("sync-old"))
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
        std::fs::write(
            dir.path().join("conf/config.yaml"),
            "parallelism:\n  default: 3\n",
        )
        .unwrap();
        let c = Cluster::load(&dir.path().join("flinkha.yaml")).unwrap();
        let done = sync(&c).unwrap();
        assert!(
            !staging.join("sync-old").exists(),
            "a failed sync's old staging dir was kept"
        );
        assert!(
            staging.join("sync-fresh").exists(),
            "a fresh staging dir was removed"
        );
        let newest = done.backup_dir.unwrap();
        let mut left: Vec<String> = std::fs::read_dir(&backups)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left.len(), 3, "{left:?}");
        assert_eq!(&left[..2], ["2026-01-03T000000Z", "2026-01-04T000000Z"]);
        assert!(newest.ends_with(&left[2]), "{newest} vs {left:?}");
    }

    #[test]
    fn stamps_sort_by_time_and_differ() {
        let a = backup_stamp();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = backup_stamp();
        assert!(a < b, "{a} {b}");
        assert!(!a.contains(':'));
    }

    #[test]
    fn diff_shows_both_sides() {
        let d = unified_diff("a: 1\nb: 2\n", "a: 1\nb: 3\n", "conf/config.yaml");
        assert!(d.contains("-b: 2") && d.contains("+b: 3"), "{d}");
        assert!(d.starts_with("--- conf/config.yaml (on host)\n+++ conf/config.yaml (rendered)\n@@ -1,2 +1,2 @@\n a: 1\n"), "{d}");
        assert_eq!(unified_diff("a: 1\n", "a: 1\n", "conf/config.yaml"), "");
    }

    #[test]
    fn diff_hides_secrets_but_shows_the_change() {
        let old =
            "rest.port: 8081\nsecurity:\n  ssl:\n    rest:\n      keystore-password: old-pw\n";
        let new = "rest.port: 8081\nsecurity.ssl.rest.keystore-password: new-pw\n";
        let d = unified_diff(old, new, "conf/config.yaml");
        assert!(!d.contains("old-pw") && !d.contains("new-pw"), "{d}");
        assert!(d.contains("-      keystore-password: ******"), "{d}");
        assert!(
            d.contains("+security.ssl.rest.keystore-password: ******"),
            "{d}"
        );
        // Only the secret's value changed: the diff still has the line, hidden on both sides.
        let d = unified_diff(
            "a: 1\ns3.secret-key: x1\n",
            "a: 1\ns3.secret-key: x2\n",
            "conf/config.yaml",
        );
        assert!(
            d.contains("-s3.secret-key: ******\n+s3.secret-key: ******\n"),
            "{d}"
        );
        assert!(!d.contains("x1") && !d.contains("x2"), "{d}");
        // Other text files: key=value lines.
        let d = unified_diff("password=\"a\";\n", "password=\"b\";\n", "conf/jaas.conf");
        assert!(
            d.contains("-password=******;") && d.contains("+password=******;"),
            "{d}"
        );
    }
}
