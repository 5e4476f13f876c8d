//! `install`: put a Flink distribution on every host.
//!
//! The tarball (local path or HTTP(S) URL, downloaded once into a local cache) is verified
//! against its SHA-512 (Apache publishes `<tarball>.sha512` beside each release), uploaded to
//! `<root>/.flinkha/staging/`, checked again on the host (`sha512sum`), unpacked into a
//! staging dir and moved into place as `<root>/flink-<version>/` with a marker file holding
//! the digest. `<root>/current` is then pointed at it atomically (`ln -s` to a temp name +
//! `mv -T`). Hosts whose marker already holds this digest are skipped. A `flink-<version>/`
//! with another digest is moved aside as `flink-<version>.replaced-<UTC stamp, ns>-<pid>`;
//! only the newest such copy is kept.
//!
//! With `install.fetch: remote` ([`Payload::Remote`]) nothing of the tarball goes through
//! flinkha: each host downloads the URL itself into the same staging path (`curl`, else
//! `wget`; `remote_fetch_script`) and the same check, unpack and move follow.
//!
//! `current` is moved only when it does not exist yet or already points at this version,
//! unless `activate` is set: switching the version under running daemons is an upgrade.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha512};

use crate::core::error::{Error, Result};
use crate::core::hosts::{Sessions, for_each_host, run, run_with_input};
use crate::core::model::{Cluster, DistSource, Host};
use crate::core::q;
use crate::core::reporter::Reporter;

/// Marker written inside an installed distribution: holds the tarball's SHA-512.
pub const MARKER: &str = ".flinkha-installed";

/// A verified local tarball ready to upload.
#[derive(Debug, Clone, Serialize)]
pub struct VerifiedTarball {
    /// Local path.
    pub path: PathBuf,
    /// SHA-512, lowercase hex.
    pub sha512: String,
    /// Size, bytes.
    pub size: u64,
}

/// What `install` puts on the hosts (inventory `install.fetch`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case", tag = "fetch")]
pub enum Payload {
    /// `local`: a tarball verified here, uploaded to every host over SSH.
    Local(VerifiedTarball),
    /// `remote`: a URL every host downloads itself, checked there against `sha512`.
    Remote {
        /// HTTP(S) URL of the tarball (`flink.distribution.url`).
        url: String,
        /// SHA-512 it must have, lowercase hex: the inventory's, or the URL's `.sha512`
        /// fetched here.
        sha512: String,
    },
}

impl Payload {
    /// The SHA-512 every host checks before unpacking, lowercase hex.
    pub fn sha512(&self) -> &str {
        match self {
            Payload::Local(t) => &t.sha512,
            Payload::Remote { sha512, .. } => sha512,
        }
    }

    /// The tarball's size in bytes, when known here (a remote fetch learns it on the hosts).
    pub fn size(&self) -> Option<u64> {
        match self {
            Payload::Local(t) => Some(t.size),
            Payload::Remote { .. } => None,
        }
    }
}

/// What happened on one host.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", tag = "action")]
pub enum InstallAction {
    /// Uploaded (or, with `install.fetch: remote`, downloaded by the host) and unpacked;
    /// `activated` when `current` now points at it.
    Installed {
        /// Bytes uploaded, or downloaded by the host.
        bytes: u64,
        /// `current` switched to this version.
        activated: bool,
    },
    /// This version with this digest was already there.
    AlreadyInstalled {
        /// `current` switched to this version now.
        activated: bool,
    },
}

/// Where `current` pointed when it was left alone, if anywhere else.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct HostInstall {
    /// Action.
    #[serde(flatten)]
    pub action: InstallAction,
    /// `current`'s target when it was not switched (another version).
    pub current_left_at: Option<String>,
}

/// SHA-512 of a file, lowercase hex.
///
/// # Errors
/// [`Error::Io`].
pub fn sha512_file(path: &Path) -> Result<(String, u64)> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let mut h = Sha512::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        h.update(&buf[..n]);
    }
    Ok((hex::encode(h.finalize()), size))
}

/// Parse a `.sha512` file as Apache publishes it: `<hex>  <file>` (or the BSD form
/// `SHA512 (file) = <hex>`, or a bare digest). Returns the lowercase digest.
pub fn parse_sha512_file(text: &str) -> Option<String> {
    let t = text.trim();
    let candidate = if let Some((_, d)) = t.rsplit_once(" = ") {
        d.trim()
    } else {
        t.split_whitespace().next()?
    };
    crate::core::model::sha512_digest(candidate)
}

/// Local cache for downloaded tarballs: `$XDG_CACHE_HOME/flinkha/dist` or
/// `~/.cache/flinkha/dist`.
pub fn cache_dir() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("flinkha")
        .join("dist")
}

/// Resolve and verify the cluster's distribution tarball, downloading it first when it is a
/// URL (resumes nothing: a partial download is discarded).
///
/// # Errors
/// No distribution configured, download failure, missing checksum, or [`Error::Checksum`].
pub async fn fetch_and_verify(
    cluster: &Cluster,
    reporter: &dyn Reporter,
) -> Result<VerifiedTarball> {
    let Some((source, sha)) = &cluster.distribution else {
        return Err(Error::Refused {
            message: format!(
                "no distribution configured: add `flink.distribution.path:` or `url:` to {}",
                cluster.inventory_path.display()
            ),
        });
    };
    let (path, expected) = match source {
        DistSource::Path(p) => {
            let expected = match sha {
                Some(s) => s.clone(),
                None => {
                    let side = PathBuf::from(format!("{}.sha512", p.display()));
                    let text = std::fs::read_to_string(&side).map_err(|source| Error::Io {
                        path: side.clone(),
                        source,
                    })?;
                    parse_sha512_file(&text).ok_or_else(|| Error::Refused {
                        message: format!(
                            "{}: no SHA-512 digest in it (expected `<128 hex digits>  <file>`)",
                            side.display()
                        ),
                    })?
                }
            };
            (p.clone(), expected)
        }
        DistSource::Url(url) => {
            let client = download_client(cluster.download_stall)?;
            let expected = url_sha512(cluster, &client, url, sha.as_deref(), reporter).await?;
            let name = url.rsplit('/').next().unwrap_or("flink.tgz").to_string();
            let dest = cache_dir().join(&expected[..16]).join(&name);
            if !dest.is_file() {
                reporter.phase(&format!("Downloading {url}"));
                download_file(&client, url, &dest, cluster.download_stall, reporter).await?;
            }
            (dest, expected)
        }
    };
    reporter.phase(&format!("Verifying {}", path.display()));
    let p2 = path.clone();
    let (actual, size) = tokio::task::spawn_blocking(move || sha512_file(&p2))
        .await
        .map_err(|e| Error::Refused {
            message: format!("hashing task failed: {e}"),
        })??;
    if actual != expected {
        if matches!(source, DistSource::Url(_)) {
            let _ = std::fs::remove_file(&path);
        }
        return Err(Error::Checksum {
            file: path.display().to_string(),
            expected,
            actual,
        });
    }
    Ok(VerifiedTarball {
        path,
        sha512: actual,
        size,
    })
}

/// The SHA-512 a distribution URL must have: `inventory` (the inventory's `sha512`) when
/// given, else the digest in `<url>.sha512`, downloaded with `client` (with a warning when
/// that is plain HTTP: the same unauthenticated origin as the tarball).
///
/// # Errors
/// The `.sha512` cannot be downloaded or holds no digest ([`Error::Download`]).
async fn url_sha512(
    cluster: &Cluster,
    client: &reqwest::Client,
    url: &str,
    inventory: Option<&str>,
    reporter: &dyn Reporter,
) -> Result<String> {
    if let Some(s) = inventory {
        return Ok(s.to_string());
    }
    let side = format!("{url}.sha512");
    if !url.starts_with("https://") {
        reporter.warning(&format!(
            "the SHA-512 comes from {side}, the same unauthenticated origin as the tarball: it \
             proves the download is complete, not that it is Apache's. Set \
             `flink.distribution.sha512` in {} from https://downloads.apache.org or use an \
             https:// URL",
            cluster.inventory_path.display()
        ));
    }
    let text = download_text(client, &side, cluster.download_stall).await?;
    parse_sha512_file(&text).ok_or_else(|| Error::Download {
        url: side.clone(),
        message: "no SHA-512 digest in it".into(),
    })
}

/// What `install` will put on the hosts, per `install.fetch`: `local` downloads (when a
/// URL) and verifies the tarball here ([`fetch_and_verify`]); `remote` only settles the
/// SHA-512 the hosts will check (the inventory's, or the URL's `.sha512`), downloading
/// nothing of the tarball here.
///
/// # Errors
/// As [`fetch_and_verify`]; `remote` without a URL (refused when the inventory is loaded).
pub async fn prepare_payload(cluster: &Cluster, reporter: &dyn Reporter) -> Result<Payload> {
    let Some(url) = cluster.remote_fetch_url() else {
        return fetch_and_verify(cluster, reporter)
            .await
            .map(Payload::Local);
    };
    let client = download_client(cluster.download_stall)?;
    let pinned = cluster
        .distribution
        .as_ref()
        .and_then(|(_, s)| s.as_deref());
    let sha512 = url_sha512(cluster, &client, url, pinned, reporter).await?;
    Ok(Payload::Remote {
        url: url.to_string(),
        sha512,
    })
}

/// Script run on a host once the tarball is at `remote_tgz` (uploaded or downloaded there):
/// checks its SHA-512 (`mismatch` is the message when it differs), unpacks it into
/// `unpack`, marks the tree with the digest, moves an existing `<root>/flink-<version>` of
/// another digest aside as `.replaced-<stamp>` and the new tree into its place, and keeps
/// the newest [`Cluster::keep_replaced`] replaced copies. Nothing outside staging changes
/// before the final `mv`s.
pub(crate) fn unpack_script(
    cluster: &Cluster,
    p: &crate::core::model::HostPaths,
    sha512: &str,
    remote_tgz: &str,
    unpack: &str,
    mismatch: &str,
) -> String {
    let version = cluster.version.to_string();
    let dist_dir_name = format!("flink-{version}");
    format!(
        "set -e\n\
         printf '%s  %s\\n' {sha} {tgz} | sha512sum -c --status - || {{ printf '%s\\n' {mismatch} >&2; exit 1; }}\n\
         rm -rf {unpack}; mkdir -p {unpack}\n\
         tar xzf {tgz} -C {unpack} || {{ printf '%s\\n' {untar_failed} >&2; exit 1; }}\n\
         [ -x {unpack}/{name}/bin/config.sh ] || {{ printf '%s\\n' {no_flink} >&2; exit 1; }}\n\
         printf '%s\\n' {sha} > {unpack}/{name}/{marker}\n\
         if [ -e {dest} ]; then mv {dest} {dest}.replaced-$(date -u +%Y-%m-%dT%H%M%S.%NZ)-$$; fi\n\
         mv {unpack}/{name} {dest}\n\
         rm -rf {unpack} {tgz}\n\
         ls -1d {dest}.replaced-* 2>/dev/null | LC_ALL=C sort | head -n -{keep} | while IFS= read -r d; do rm -rf -- \"$d\"; done\n",
        keep = cluster.keep_replaced,
        sha = q(sha512),
        mismatch = q(mismatch),
        tgz = q(remote_tgz),
        unpack = q(unpack),
        untar_failed = q(
            "the tarball has the right SHA-512 but tar could not unpack it (tar's message above): it is no gzip'd tar archive, or the disk is full"
        ),
        name = q(&dist_dir_name),
        no_flink = q(&format!(
            "the tarball has no {dist_dir_name}/bin/config.sh: not a Flink {version} distribution"
        )),
        marker = q(MARKER),
        dest = q(&p.dist(&cluster.version)),
    )
}

/// Script run on a host for `install.fetch: remote`: reads the URL from stdin (so it is in
/// no command line flinkha traces), downloads it to `dest` with `curl` (else `wget`),
/// following redirects, HTTP(S) only; `stall` is the connect timeout and the longest time
/// without data (curl `--speed-time`, wget `--timeout`). Prints the size in bytes.
pub(crate) fn remote_fetch_script(dest: &str, stall: std::time::Duration) -> String {
    let secs = stall.as_secs().max(1).to_string();
    r#"set -e
IFS= read -r url
out=DEST
if command -v curl >/dev/null 2>&1; then
  curl -fsSL --proto =http,https --connect-timeout SECS --speed-limit 1 --speed-time SECS -o "$out" "$url" || { rc=$?; case $rc in
    22) why="the server answered with an HTTP error";;
    6|7) why="this host cannot resolve or connect to the URL's server (set install.fetch: local to upload the tarball from flinkha's machine instead)";;
    28) why="no data for SECS s (timeouts.download_stall): the server stalled";;
    *) why="see curl's message above";;
  esac; echo "the download on this host failed (curl exit status $rc): $why" >&2; exit 1; }
elif command -v wget >/dev/null 2>&1; then
  wget -q --timeout=SECS --tries=1 -O "$out" "$url" || { rc=$?; echo "the download on this host failed (wget exit status $rc; 4: network failure, 8: an HTTP error)" >&2; exit 1; }
else
  echo 'neither curl nor wget is installed on this host: install one, or set `install.fetch: local` to upload the tarball from here' >&2; exit 1
fi
wc -c < "$out"
"#
    .replace("SECS", &secs)
    .replace("DEST", &q(dest))
}

/// The HTTP client of downloads: `stall` is both the connect timeout and the longest wait
/// for the next bytes (reqwest's per-read timeout), so a stalled server fails the download
/// instead of hanging `install`; a slow but moving one is not cut off.
fn download_client(stall: std::time::Duration) -> Result<reqwest::Client> {
    crate::rest::ensure_crypto_provider();
    reqwest::Client::builder()
        .connect_timeout(stall)
        .read_timeout(stall)
        .build()
        .map_err(|e| Error::Refused {
            message: format!("cannot build the HTTP client: {e}"),
        })
}

/// `e` as a download error message, naming the stall timeout when it was one.
fn download_error(e: &reqwest::Error, stall: std::time::Duration) -> String {
    if e.is_timeout() {
        format!(
            "no data for {} (timeouts.download_stall): the server stalled; run install again or \
             raise timeouts.download_stall",
            humantime::format_duration(stall)
        )
    } else if e.is_connect() {
        format!("cannot connect: {e}")
    } else {
        e.to_string()
    }
}

async fn download_text(
    client: &reqwest::Client,
    url: &str,
    stall: std::time::Duration,
) -> Result<String> {
    let err = |message: String| Error::Download {
        url: url.to_string(),
        message,
    };
    let started = std::time::Instant::now();
    let resp = client
        .get(url)
        .send()
        .await
        .map_err(|e| err(download_error(&e, stall)))?;
    if !resp.status().is_success() {
        return Err(err(format!("HTTP {}", resp.status())));
    }
    let text = resp
        .text()
        .await
        .map_err(|e| err(download_error(&e, stall)));
    tracing::debug!(
        url = %crate::flinkconf::secrets::redact_url(url),
        ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        bytes = text.as_ref().ok().map(String::len),
        "download"
    );
    text
}

/// Download `url` to `dest` through `dest.part`, renamed into place only when complete (a
/// short body, i.e. fewer bytes than Content-Length, is an error). Reports bytes as host
/// "download".
async fn download_file(
    client: &reqwest::Client,
    url: &str,
    dest: &Path,
    stall: std::time::Duration,
    reporter: &dyn Reporter,
) -> Result<()> {
    use futures::StreamExt;
    use tokio::io::AsyncWriteExt;
    let err = |message: String| Error::Download {
        url: url.to_string(),
        message,
    };
    let io = |source| Error::Io {
        path: dest.to_path_buf(),
        source,
    };
    if let Some(dir) = dest.parent() {
        tokio::fs::create_dir_all(dir).await.map_err(io)?;
    }
    let started = std::time::Instant::now();
    let resp = client
        .get(url)
        .send()
        .await
        .map_err(|e| err(download_error(&e, stall)))?;
    if !resp.status().is_success() {
        return Err(err(format!("HTTP {}", resp.status())));
    }
    let total = resp.content_length().unwrap_or(0);
    let part = dest.with_extension("part");
    let mut f = tokio::fs::File::create(&part).await.map_err(io)?;
    let mut stream = resp.bytes_stream();
    let mut done = 0u64;
    let result: Result<()> = async {
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| err(download_error(&e, stall)))?;
            f.write_all(&chunk).await.map_err(io)?;
            done += chunk.len() as u64;
            reporter.host_bytes("download", done, total);
        }
        if total > 0 && done != total {
            return Err(err(format!(
                "the server sent {done} of {total} bytes; run install again"
            )));
        }
        f.sync_all().await.map_err(io)
    }
    .await;
    if let Err(e) = result {
        let _ = tokio::fs::remove_file(&part).await;
        return Err(e);
    }
    tokio::fs::rename(&part, dest).await.map_err(io)?;
    tracing::debug!(
        url = %crate::flinkconf::secrets::redact_url(url),
        ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        bytes = done,
        "download"
    );
    Ok(())
}

/// Script printing the marker's digest of `<root>/flink-<version>` (or `-`) and the target
/// of `current` (or `-`).
pub(crate) fn state_script(cluster: &Cluster, host: &Host) -> String {
    let p = cluster.paths(host);
    format!(
        "cat {m} 2>/dev/null || echo -; readlink {c} 2>/dev/null || echo -",
        m = q(&format!("{}/{MARKER}", p.dist(&cluster.version))),
        c = q(&p.current()),
    )
}

/// What one host has of the cluster's version (read-only, for a plan).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct InstallState {
    /// SHA-512 in `<root>/flink-<version>/.flinkha-installed`, if that is there.
    pub installed_sha512: Option<String>,
    /// The target of `current` (`flink-2.1.0`), if the link exists.
    pub current: Option<String>,
}

/// Read each host's [`InstallState`] (one small SSH command each; changes nothing).
pub fn install_states(
    cluster: &Cluster,
    sessions: &Sessions,
    hosts: &[&Host],
) -> Vec<crate::core::hosts::HostOutcome<InstallState>> {
    for_each_host(hosts, cluster.parallelism, |h| {
        let t = sessions.get(h)?;
        let out = run(
            h,
            t.as_ref(),
            "reading install state",
            &state_script(cluster, h),
        )?;
        let mut lines = out.lines().map(str::trim);
        let some = |l: Option<&str>| l.filter(|l| !l.is_empty() && *l != "-").map(str::to_string);
        Ok(InstallState {
            installed_sha512: some(lines.next()),
            current: some(lines.next()).map(|c| {
                c.trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string()
            }),
        })
    })
}

/// The SHA-512 the distribution must have, when known without fetching it: the inventory's
/// `sha512`, else the `.sha512` file beside a local tarball (a URL's is fetched by
/// [`fetch_and_verify`]).
pub fn expected_sha512(cluster: &Cluster) -> Option<String> {
    match cluster.distribution.as_ref()? {
        (_, Some(s)) => Some(s.to_ascii_lowercase()),
        (DistSource::Path(p), None) => std::fs::read_to_string(format!("{}.sha512", p.display()))
            .ok()
            .and_then(|t| parse_sha512_file(&t)),
        (DistSource::Url(_), None) => None,
    }
}

pub(crate) fn activate_script(cluster: &Cluster, host: &Host) -> String {
    let p = cluster.paths(host);
    let cur = q(&p.current());
    format!(
        "ln -sfn {dist} {cur}.tmp && mv -Tf {cur}.tmp {cur}",
        dist = q(&p.current_target(&cluster.version)),
    )
}

/// Whether an install points the deployment's `current` at what it installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkCurrent {
    /// Never (a plan's install step: activation is a step of its own).
    Never,
    /// Only where `current` does not exist yet (a first install).
    IfUnset,
}

/// Install `payload` on `hosts`: uploaded from here, or downloaded by each host itself
/// (`install.fetch: remote`); either way checked against its SHA-512 on the host before it
/// is unpacked into staging, and moved into place only when complete.
pub fn install_on_hosts(
    cluster: &Cluster,
    sessions: &Sessions,
    reporter: &dyn Reporter,
    hosts: &[&Host],
    payload: &Payload,
    link: LinkCurrent,
) -> Vec<crate::core::hosts::HostOutcome<HostInstall>> {
    let version = cluster.version.to_string();
    let dist_dir_name = format!("flink-{version}");
    for_each_host(hosts, cluster.parallelism, |h| {
        let t = sessions.get(h)?;
        let p = cluster.paths(h);
        let state = run(
            h,
            t.as_ref(),
            "reading install state",
            &state_script(cluster, h),
        )?;
        let mut lines = state.lines();
        let marker = lines.next().unwrap_or("-").trim().to_string();
        let current = lines
            .next()
            .map(|l| {
                l.trim()
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("-")
                    .to_string()
            })
            .unwrap_or_else(|| "-".into());
        let may_activate = match link {
            LinkCurrent::Never => false,
            LinkCurrent::IfUnset => current == "-" || current == dist_dir_name,
        };
        let finish = |installed: Option<u64>| -> Result<HostInstall> {
            let activated = if may_activate && current != dist_dir_name {
                run(
                    h,
                    t.as_ref(),
                    "switching `current`",
                    &activate_script(cluster, h),
                )?;
                true
            } else {
                false
            };
            let current_left_at = (!may_activate).then(|| current.clone());
            let action = match installed {
                Some(bytes) => InstallAction::Installed { bytes, activated },
                None => InstallAction::AlreadyInstalled { activated },
            };
            Ok(HostInstall {
                action,
                current_left_at,
            })
        };
        if marker == payload.sha512() {
            let r = finish(None);
            if r.is_ok() {
                reporter.host_finished(
                    &h.name,
                    true,
                    &format!("flink-{version} already installed"),
                );
            }
            return r;
        }
        let staging = p.join(".flinkha/staging");
        let remote_tgz = format!("{staging}/{dist_dir_name}-bin.tgz");
        let unpack = format!("{staging}/unpack");
        // What an attempt leaves in staging (the tarball, the unpack dir) is removed before
        // the upload (an earlier attempt cut off with its connection left them: free that
        // space first) and after a failure (a full disk must not stay full of a partial
        // tarball). Nothing outside staging is touched until the final `mv`.
        let clean = format!("rm -rf {} {}", q(&remote_tgz), q(&unpack));
        run(
            h,
            t.as_ref(),
            "creating the staging dir",
            &format!("mkdir -p {} && {clean}", q(&staging)),
        )?;
        let cleanup_after = |e: Error| {
            if let Err(c) = t.exec(&clean, std::time::Duration::from_secs(30)) {
                tracing::debug!(host = %h.name, error = %c, "could not clean the install staging dir");
            }
            e
        };
        let bytes = match payload {
            Payload::Local(tarball) => {
                reporter.host_started(&h.name, &format!("uploading flink-{version}"));
                t.upload_file(&tarball.path, &remote_tgz, 0o644, &|done| {
                    reporter.host_bytes(&h.name, done, tarball.size)
                })
                .map_err(|e| cleanup_after(e.into()))?
            }
            Payload::Remote { url, .. } => {
                reporter.host_started(
                    &h.name,
                    &format!(
                        "downloading flink-{version} on the host from {}",
                        crate::flinkconf::secrets::redact_url(url)
                    ),
                );
                // A stalled server is cut off by the stall timeout on the host; the command
                // timeout only bounds a slow but moving download.
                let out = run_with_input(
                    &h.with_command_timeout_at_least(std::time::Duration::from_secs(3600)),
                    t.as_ref(),
                    &format!("downloading flink-{version} on the host"),
                    &remote_fetch_script(&remote_tgz, cluster.download_stall),
                    format!("{url}\n").as_bytes(),
                )
                .map_err(cleanup_after)?;
                out.trim().parse::<u64>().map_err(|_| {
                    cleanup_after(Error::Remote {
                        host: h.name.clone(),
                        what: format!("downloading flink-{version} on the host"),
                        detail: format!("no size after the download: {:?}", out.trim()),
                    })
                })?
            }
        };
        reporter.host_started(&h.name, &format!("unpacking flink-{version}"));
        let mismatch = match payload {
            Payload::Local(_) => "the uploaded tarball does not match its SHA-512: the transfer was corrupted; run install again".to_string(),
            Payload::Remote { .. } => format!(
                "the tarball this host downloaded does not match the SHA-512 {}…: the URL serves other bytes than the digest names (a wrong version or a tampered mirror); nothing was unpacked",
                payload.sha512().get(..16).unwrap_or_default()
            ),
        };
        let script = unpack_script(
            cluster,
            &p,
            payload.sha512(),
            &remote_tgz,
            &unpack,
            &mismatch,
        );
        run(
            &h.with_command_timeout_at_least(std::time::Duration::from_secs(600)),
            t.as_ref(),
            &format!("unpacking flink-{version}"),
            &script,
        )
        .map_err(cleanup_after)?;
        let r = finish(Some(bytes));
        match &r {
            Ok(hi) => reporter.host_finished(
                &h.name,
                true,
                &match &hi.current_left_at {
                    Some(c) => {
                        format!("flink-{version} installed; `current` left at {c} (use --activate)")
                    }
                    None => format!("flink-{version} installed and active"),
                },
            ),
            Err(e) => reporter.host_finished(&h.name, false, &crate::core::error_chain(e)),
        }
        r
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An HTTP server on 127.0.0.1 that answers every request with `Content-Length: len`,
    /// sends `sent` bytes of body, then either holds the connection open (`hold`) or closes
    /// it. Returns its base URL.
    async fn partial_server(len: usize, sent: usize, hold: bool) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", l.local_addr().unwrap());
        tokio::spawn(async move {
            while let Ok((mut s, _)) = l.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0u8; 4096];
                    let _ = s.read(&mut buf).await;
                    let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {len}\r\n\r\n");
                    let _ = s.write_all(head.as_bytes()).await;
                    let _ = s.write_all(&vec![b'x'; sent]).await;
                    let _ = s.flush().await;
                    if hold {
                        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
                    }
                });
            }
        });
        url
    }

    #[derive(Default)]
    struct Recorder(std::sync::Mutex<Vec<String>>);
    impl Reporter for Recorder {
        fn phase(&self, _: &str) {}
        fn host_started(&self, _: &str, _: &str) {}
        fn host_bytes(&self, _: &str, _: u64, _: u64) {}
        fn host_finished(&self, _: &str, _: bool, _: &str) {}
        fn waiting(&self, _: &str, _: &str) {}
        fn warning(&self, m: &str) {
            self.0.lock().unwrap().push(m.to_string());
        }
    }

    /// Runs [`remote_fetch_script`] with `/bin/sh`, the URL on stdin and PATH holding only
    /// `tools` (linked from the system's), as on a host that has just those.
    fn fetch_on_host(url: &str, tools: &[&str], stall_ms: u64) -> (bool, String, String, Vec<u8>) {
        use std::io::Write;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let bin = dir.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        for t in tools.iter().chain(&["wc"]) {
            let real = ["/usr/bin", "/bin"]
                .iter()
                .map(|d| Path::new(d).join(t))
                .find(|p| p.exists())
                .unwrap_or_else(|| panic!("{t} is not installed here"));
            std::os::unix::fs::symlink(real, bin.join(t)).unwrap();
        }
        let dest = dir.join("flink.tgz");
        let script = remote_fetch_script(
            dest.to_str().unwrap(),
            std::time::Duration::from_millis(stall_ms),
        );
        let mut child = std::process::Command::new("/bin/sh")
            .arg("-c")
            .arg(script)
            .env("PATH", &bin)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{url}\n").as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).trim().to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
            std::fs::read(&dest).unwrap_or_default(),
        )
    }

    /// [`fetch_on_host`] off the async runtime's threads (the test server runs on them).
    async fn fetch_on_host_async(
        url: String,
        tools: &'static [&'static str],
        stall_ms: u64,
    ) -> (bool, String, String, Vec<u8>) {
        tokio::task::spawn_blocking(move || fetch_on_host(&url, tools, stall_ms))
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_host_fetch_uses_curl_else_wget_and_names_what_is_missing() {
        use wiremock::matchers::path;
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        let body = vec![7u8; 100_000];
        Mock::given(path("/flink.tgz"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(body.clone()))
            .mount(&server)
            .await;
        let url = format!("{}/flink.tgz", server.uri());
        for tools in [&["curl"][..], &["wget"][..]] {
            let (ok, stdout, stderr, got) = fetch_on_host_async(url.clone(), tools, 5000).await;
            assert!(ok, "{tools:?}: {stderr}");
            assert_eq!(stdout, "100000", "{tools:?}");
            assert_eq!(got, body, "{tools:?}");
        }
        let missing = format!("{}/missing.tgz", server.uri());
        let (ok, _, stderr, _) = fetch_on_host_async(missing, &["curl"], 5000).await;
        assert!(!ok);
        assert!(
            stderr.contains("curl exit status 22") && stderr.contains("HTTP error"),
            "{stderr}"
        );
        let (ok, _, stderr, _) = fetch_on_host_async(url, &[], 5000).await;
        assert!(!ok);
        assert!(
            stderr.contains("neither curl nor wget") && stderr.contains("install.fetch: local"),
            "{stderr}"
        );
    }

    #[tokio::test]
    async fn a_host_fetch_from_a_stalled_server_ends_at_the_stall_timeout() {
        let url = partial_server(1_000_000, 1000, true).await;
        let t0 = std::time::Instant::now();
        let (ok, _, stderr, _) =
            fetch_on_host_async(format!("{url}/flink.tgz"), &["curl"], 1000).await;
        assert!(!ok);
        assert!(
            stderr.contains("exit status 28") && stderr.contains("stalled"),
            "{stderr}"
        );
        assert!(
            t0.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            t0.elapsed()
        );
    }

    #[tokio::test]
    async fn a_stalled_download_fails_after_the_stall_timeout_and_leaves_nothing() {
        let url = partial_server(1_000_000, 1000, true).await;
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("flink.tgz");
        let stall = std::time::Duration::from_millis(500);
        let client = download_client(stall).unwrap();
        let t0 = std::time::Instant::now();
        let e = download_file(
            &client,
            &format!("{url}/flink.tgz"),
            &dest,
            stall,
            &Recorder::default(),
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(
            t0.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            t0.elapsed()
        );
        assert!(
            e.contains("stalled") && e.contains("timeouts.download_stall"),
            "{e}"
        );
        assert!(!dest.exists() && !dest.with_extension("part").exists());
    }

    #[tokio::test]
    async fn a_short_body_is_an_error_not_a_cached_tarball() {
        let url = partial_server(5000, 100, false).await;
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("flink.tgz");
        let stall = std::time::Duration::from_secs(5);
        let client = download_client(stall).unwrap();
        download_file(
            &client,
            &format!("{url}/flink.tgz"),
            &dest,
            stall,
            &Recorder::default(),
        )
        .await
        .unwrap_err();
        assert!(!dest.exists() && !dest.with_extension("part").exists());
    }

    #[tokio::test]
    async fn checksum_from_the_same_plain_http_origin_is_warned_about() {
        use wiremock::matchers::path;
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        let body = b"not really a tarball".to_vec();
        let digest = {
            use sha2::Digest;
            hex::encode(sha2::Sha512::digest(&body))
        };
        Mock::given(path("/flink.tgz"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(body.clone()))
            .mount(&server)
            .await;
        Mock::given(path("/flink.tgz.sha512"))
            .respond_with(
                ResponseTemplate::new(200).set_body_string(format!("{digest}  flink.tgz\n")),
            )
            .mount(&server)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        // SAFETY: tests in this module that read XDG_CACHE_HOME run in this one test only.
        unsafe { std::env::set_var("XDG_CACHE_HOME", &cache) };
        let conf = dir.path().join("conf");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::write(conf.join("config.yaml"), "parallelism:\n  default: 1\n").unwrap();
        std::fs::write(conf.join("masters"), "h1:8081\n").unwrap();
        std::fs::write(conf.join("workers"), "h1\n").unwrap();
        let inv = dir.path().join("flinkha.yaml");
        std::fs::write(
            &inv,
            format!(
                "conf_dir: conf\nflink:\n  version: 2.1.0\n  distribution:\n    url: {}/flink.tgz\nhosts:\n  h1:\n    address: 127.0.0.1\n",
                server.uri()
            ),
        )
        .unwrap();
        let cluster = Cluster::load(&inv).unwrap();
        let rec = Recorder::default();
        let t = fetch_and_verify(&cluster, &rec).await.unwrap();
        assert_eq!(t.sha512, digest);
        let warnings = rec.0.lock().unwrap().clone();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("same unauthenticated origin")
                && warnings[0].contains("flink.distribution.sha512"),
            "{warnings:?}"
        );
        // With the digest pinned in the inventory there is nothing to warn about.
        let text = std::fs::read_to_string(&inv).unwrap();
        std::fs::write(
            &inv,
            text.replace(
                "    url:",
                &format!("    sha512: {}\n    url:", digest.to_uppercase()),
            ),
        )
        .unwrap();
        let cluster = Cluster::load(&inv).unwrap();
        let rec = Recorder::default();
        fetch_and_verify(&cluster, &rec).await.unwrap();
        assert!(rec.0.lock().unwrap().is_empty());
        // A digest that is not one is refused at load, naming the key (it used to panic).
        for bad in ["abc", "ééééééééééééééééé", &"g".repeat(128)] {
            std::fs::write(
                &inv,
                text.replace("    url:", &format!("    sha512: \"{bad}\"\n    url:")),
            )
            .unwrap();
            let e = Cluster::load(&inv).unwrap_err().to_string();
            assert!(
                e.contains("flink.distribution.sha512") && e.contains("not a SHA-512"),
                "{e}"
            );
        }
    }

    #[test]
    fn sha512_file_formats() {
        let d = "a".repeat(128);
        assert_eq!(
            parse_sha512_file(&format!("{d}  flink-2.1.0-bin-scala_2.12.tgz\n")),
            Some(d.clone())
        );
        assert_eq!(
            parse_sha512_file(&format!("SHA512 (flink.tgz) = {}", d.to_uppercase())),
            Some(d.clone())
        );
        assert_eq!(parse_sha512_file(&d), Some(d.clone()));
        assert_eq!(parse_sha512_file("not a digest"), None);
    }

    #[test]
    fn hashes_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("x");
        std::fs::write(&f, b"abc").unwrap();
        let (h, size) = sha512_file(&f).unwrap();
        assert_eq!(size, 3);
        assert!(h.starts_with("ddaf35a193617aba"), "{h}");
    }
}
