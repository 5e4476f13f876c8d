//! CLI behaviour against a real sshd on 3 loopback hosts, without Flink daemons: per-host
//! failures, host keys, sync diffs and backups, config check findings, install from a URL,
//! and generated files that must not go stale.

mod common;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::cluster::{TestCluster, free_ports, show};

const ADDRS: [&str; 3] = ["127.0.3.1", "127.0.3.2", "127.0.3.3"];

fn host_results(v: &serde_json::Value) -> Vec<(String, bool, String)> {
    v["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["host"].as_str().unwrap().to_string(),
                h["result"].get("ok").is_some(),
                h["result"]["error"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_host_whose_sshd_is_down_fails_alone() {
    let c = TestCluster::new(&ADDRS);
    let dead = free_ports(1, &["127.0.3.3"])[0];
    c.edit_inventory(|s| {
        s.replace(
            "  h3:\n    address: 127.0.3.3\n",
            &format!("  h3:\n    address: 127.0.3.3\n    ssh:\n      port: {dead}\n"),
        )
    });
    let (code, v) = c.json(&["sync"]);
    assert_eq!(code, 3, "partial failure exit code: {v}");
    let r = host_results(&v);
    assert!(r[0].1 && r[1].1, "{v}");
    assert_eq!(r[2].0, "h3");
    assert!(!r[2].1);
    assert!(
        r[2].2.contains("h3") && r[2].2.contains(&format!("127.0.3.3:{dead}")),
        "{}",
        r[2].2
    );
    // The hosts that answered got their files.
    assert!(c.roots[0].join("conf/config.yaml").is_file());
    assert!(c.roots[1].join("conf/config.yaml").is_file());
    assert!(!c.roots[2].join("conf").exists());

    // Table output names the failed host too, and the exit code is the same.
    let out = c.run(&["sync"]);
    assert_eq!(out.status.code(), Some(3), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAILED"));
}

#[test]
fn unknown_host_keys_are_refused_unless_accept_new() {
    let c = TestCluster::new(&ADDRS);
    let empty = c.dir.path().join("empty_known_hosts");
    std::fs::write(&empty, "").unwrap();
    let kh = c.sshd.known_hosts.display().to_string();
    c.edit_inventory(|s| s.replace(&kh, &empty.display().to_string()));
    let (code, v) = c.json(&["sync"]);
    assert_eq!(code, 1, "{v}");
    for (host, ok, err) in host_results(&v) {
        assert!(!ok);
        assert!(err.contains(&host), "{err}");
        assert!(err.contains("SHA256:"), "fingerprint missing: {err}");
        assert!(err.contains("accept-new"), "no hint: {err}");
    }
    assert!(!c.roots[0].join("conf").exists(), "nothing may be written");

    // With accept-new the keys are recorded and the next strict run works.
    c.edit_inventory(|s| {
        s.replace(
            "  connect_timeout: 5s\n",
            "  connect_timeout: 5s\n  host_key_policy: accept-new\n",
        )
    });
    let (code, v) = c.json(&["sync"]);
    assert_eq!(code, 0, "{v}");
    let recorded = std::fs::read_to_string(&empty).unwrap();
    assert_eq!(recorded.lines().count(), 3, "{recorded}");
    c.edit_inventory(|s| s.replace("  host_key_policy: accept-new\n", ""));
    let (code, v) = c.json(&["sync"]);
    assert_eq!(code, 0, "{v}");
}

#[test]
fn sync_sends_only_changes_keeps_backups_and_dry_run_diffs() {
    let c = TestCluster::new(&ADDRS);
    // An extra file (e.g. a job jar) for two hosts only, with its mode kept.
    let jar = c.dir.path().join("job.jar");
    std::fs::write(&jar, vec![7u8; 300_000]).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&jar, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    c.edit_inventory(|s| {
        s.replace(
            "timeouts:\n",
            "files:\n  - src: job.jar\n    dest: jobs/job.jar\n    hosts: [h1, h2]\ntimeouts:\n",
        )
    });
    let (code, v) = c.json(&["sync"]);
    assert_eq!(code, 0, "{v}");
    let first: u64 = v["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["result"]["ok"]["bytes_sent"].as_u64().unwrap())
        .sum();
    assert!(first > 0);
    // Per-host values are rendered in.
    for (i, root) in c.roots.iter().enumerate() {
        let cfg = std::fs::read_to_string(root.join("conf/config.yaml")).unwrap();
        assert!(
            cfg.contains(&format!("taskmanager.host: {}", ADDRS[i])),
            "{cfg}"
        );
        let zoo = std::fs::read_to_string(root.join("conf/zoo.cfg")).unwrap();
        assert!(
            zoo.contains(&format!("clientPortAddress={}", ADDRS[i])),
            "{zoo}"
        );
        assert!(zoo.contains(&format!("server.1={}:", ADDRS[0])), "{zoo}");
    }

    for root in &c.roots[..2] {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(root.join("jobs/job.jar")).unwrap();
        assert_eq!(meta.len(), 300_000);
        assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    }
    assert!(!c.roots[2].join("jobs/job.jar").exists());

    // Nothing changed: nothing sent.
    let (code, v) = c.json(&["sync"]);
    assert_eq!(code, 0);
    for h in v["hosts"].as_array().unwrap() {
        assert_eq!(h["result"]["ok"]["bytes_sent"], 0, "{h}");
        assert_eq!(h["result"]["ok"]["changes"].as_array().unwrap().len(), 0);
    }

    // A change: the dry run shows a diff and changes nothing.
    let cfg = c.conf_file("config.yaml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, text.replace("  default: 1\n", "  default: 2\n")).unwrap();
    let before = std::fs::read_to_string(c.roots[0].join("conf/config.yaml")).unwrap();
    let out = c.run(&["sync", "--dry-run"]);
    assert!(out.status.success(), "{}", show(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("-parallelism.default: 1"), "{stdout}");
    assert!(stdout.contains("+parallelism.default: 2"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(c.roots[0].join("conf/config.yaml")).unwrap(),
        before
    );

    // The real sync replaces only config.yaml, atomically, and keeps the old one.
    let (code, v) = c.json(&["sync"]);
    assert_eq!(code, 0, "{v}");
    for (i, h) in v["hosts"].as_array().unwrap().iter().enumerate() {
        let changes = h["result"]["ok"]["changes"].as_array().unwrap();
        assert_eq!(changes.len(), 1, "{h}");
        assert_eq!(changes[0]["path"], "conf/config.yaml");
        assert_eq!(changes[0]["kind"], "modified");
        let backup = h["result"]["ok"]["backup_dir"].as_str().unwrap();
        let old = std::fs::read_to_string(Path::new(backup).join("conf/config.yaml")).unwrap();
        assert!(old.contains("parallelism.default: 1"), "{old}");
        let now = std::fs::read_to_string(c.roots[i].join("conf/config.yaml")).unwrap();
        assert!(now.contains("parallelism.default: 2"));
        let leftovers: Vec<_> = std::fs::read_dir(c.roots[i].join("conf"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains("flinkha-tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    // A mode change alone is a chmod.
    use std::os::unix::fs::PermissionsExt;
    let log4j = c.conf_file("log4j.properties");
    std::fs::set_permissions(&log4j, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (code, v) = c.json(&["sync"]);
    assert_eq!(code, 0);
    assert_eq!(
        v["hosts"][0]["result"]["ok"]["changes"][0]["kind"], "mode-changed",
        "{v}"
    );
    let mode = std::fs::metadata(c.roots[0].join("conf/log4j.properties"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn config_check_names_file_and_line() {
    let c = TestCluster::new(&ADDRS);
    let out = c.run(&["config", "check"]);
    assert!(out.status.success(), "{}", show(&out));

    std::fs::write(c.conf_file("masters"), "h1:8081\nh2:8081\nh9:8081\n").unwrap();
    let cfg = std::fs::read_to_string(c.conf_file("config.yaml")).unwrap();
    let cfg = cfg.replace("  storageDir: file://", "  # storageDir: file://");
    let cfg = format!("{cfg}\n# removed in Flink 2.0\njobmanager.heap.size: 1024m\n");
    std::fs::write(c.conf_file("config.yaml"), cfg).unwrap();
    let out = c.run(&["config", "check"]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let masters = c.conf_file("masters").display().to_string();
    assert!(
        stdout.contains(&format!(
            "{masters}:3: error: JobManager host `h9` is not in the inventory"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("storageDir"), "{stdout}");
    let heap_line = std::fs::read_to_string(c.conf_file("config.yaml"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("jobmanager.heap.size"))
        .unwrap()
        + 1;
    let config = c.conf_file("config.yaml").display().to_string();
    assert!(
        stdout.contains(&format!("{config}:{heap_line}: error:"))
            && stdout.contains("jobmanager.heap.size"),
        "{stdout}"
    );
    // Every finding says what to do.
    assert!(stdout.matches("hint:").count() >= 3, "{stdout}");

    // JSON has the same findings with file and line.
    let (code, v) = c.json(&["config", "check"]);
    assert_eq!(code, 1);
    assert!(v["errors"].as_u64().unwrap() >= 3, "{v}");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["line"] == 3 && f["file"] == masters.as_str())
    );

    // Commands that would act refuse to start with such errors.
    let out = c.run(&["sync"]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("h9"));
}

struct HttpServer {
    child: Child,
    port: u16,
    /// The server's request log (`python3 -m http.server` writes one line per request to
    /// stderr).
    log: tempfile::NamedTempFile,
}

impl HttpServer {
    fn serve(dir: &Path) -> HttpServer {
        let log = tempfile::NamedTempFile::new().unwrap();
        let port = free_ports(1, &["127.0.0.1"])[0];
        let child = Command::new("python3")
            .args([
                "-m",
                "http.server",
                "--bind",
                "127.0.0.1",
                &port.to_string(),
                "--directory",
            ])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap();
        let t0 = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "http server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        HttpServer { child, port, log }
    }

    /// The GET requests logged so far for `path`, and with which status.
    fn requests(&self, path: &str) -> Vec<String> {
        self.requests_of("GET", path)
    }

    /// The `method` requests logged so far for `path` (`"HEAD /path HTTP/1.1" 200 -`).
    fn requests_of(&self, method: &str, path: &str) -> Vec<String> {
        let needle = format!("\"{method} {path} ");
        std::fs::read_to_string(self.log.path())
            .unwrap()
            .lines()
            .filter(|l| l.contains(&needle))
            .map(str::to_string)
            .collect()
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `root/flink-2.1.0/bin/config.sh` (executable): what `install` checks a distribution has.
fn flink_tree(root: &Path) {
    let bin = root.join("flink-2.1.0/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(bin.join("config.sh"), "#!/bin/sh\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        bin.join("config.sh"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
}

/// The SHA-512 of `path` as `sha512sum` prints it.
fn sha512_of(path: &Path) -> String {
    let out = Command::new("sha512sum").arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

/// `root/flink-2.1.0` packed as `tgz`, with its `.sha512` beside it as Apache publishes it;
/// returns the digest.
fn pack_distribution(root: &Path, tgz: &Path) -> String {
    let st = Command::new("tar")
        .arg("czf")
        .arg(tgz)
        .arg("-C")
        .arg(root)
        .arg("flink-2.1.0")
        .status()
        .unwrap();
    assert!(st.success());
    let digest = sha512_of(tgz);
    let name = tgz.file_name().unwrap().to_string_lossy();
    std::fs::write(
        tgz.with_file_name(format!("{name}.sha512")),
        format!("{digest}  {name}\n"),
    )
    .unwrap();
    digest
}

/// A small tarball shaped like a Flink distribution (`flink-2.1.0/bin/config.sh`) at
/// `dir/www/flink-2.1.0-bin-scala_2.12.tgz`, so the URL path is tested without moving 300 MB
/// (the real tarball goes through tests/cluster.rs). Returns its digest.
fn fake_distribution(dir: &Path) -> String {
    flink_tree(&dir.join("tree"));
    let www = dir.join("www");
    std::fs::create_dir_all(&www).unwrap();
    pack_distribution(
        &dir.join("tree"),
        &www.join("flink-2.1.0-bin-scala_2.12.tgz"),
    )
}

/// `flinkha -c <inventory> args...` with `cache` as its XDG_CACHE_HOME (where a downloaded
/// distribution is kept) and no stdin.
fn run_with_cache(c: &TestCluster, cache: &Path, args: &[&str]) -> Output {
    Command::new(common::cluster::flinkha_bin())
        .arg("-c")
        .arg(&c.inventory)
        .args(args)
        .env("XDG_CACHE_HOME", cache)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// A `flink-2.1.0` tarball at `dir/<which>.tgz` holding `bin/config.sh` and a `which` file
/// with `which` in it, with its `.sha512` beside it; returns (path, digest).
fn tagged_distribution(dir: &Path, which: &str) -> (std::path::PathBuf, String) {
    let root = dir.join(format!("tree-{which}"));
    flink_tree(&root);
    std::fs::write(root.join("flink-2.1.0/which"), which).unwrap();
    let tgz = dir.join(format!("{which}.tgz"));
    let digest = pack_distribution(&root, &tgz);
    (tgz, digest)
}

/// Reinstalling a version with another tarball moves the old directory aside under a stamp
/// that does not collide within a second, and keeps only the newest such copy.
#[test]
fn replaced_distributions_keep_the_newest_ones() {
    let c = TestCluster::new(&ADDRS);
    let work = tempfile::tempdir().unwrap();
    let tgz = common::cluster::flink_tgz().display().to_string();
    let mut current = tgz.clone();
    for which in ["a", "b", "c"] {
        let (path, digest) = tagged_distribution(work.path(), which);
        let path = path.display().to_string();
        c.edit_inventory(|s| {
            s.replace(
                &format!("    path: {current}\n"),
                &format!("    path: {path}\n"),
            )
        });
        current = path;
        let out = c.run(&["install", "-H", "h1", "-o", "json"]);
        assert!(out.status.success(), "install {which}: {}", show(&out));
        let marker =
            std::fs::read_to_string(c.roots[0].join("flink-2.1.0/.flinkha-installed")).unwrap();
        assert_eq!(marker.trim(), digest, "install {which}");
    }
    // Which distributions the replaced copies on h1 hold, sorted.
    let replaced = || {
        let mut which: Vec<String> = std::fs::read_dir(&c.roots[0])
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("flink-2.1.0.replaced-")
            })
            .map(|p| std::fs::read_to_string(p.join("which")).unwrap())
            .collect();
        which.sort();
        which
    };
    // Three installs within a few seconds: b replaced a, c replaced b; only b's copy is kept.
    assert_eq!(replaced(), ["b"]);
    assert_eq!(
        std::fs::read_to_string(c.roots[0].join("flink-2.1.0/which")).unwrap(),
        "c"
    );
    // `keep_replaced_distributions: 2`: installing d keeps b's and c's copies.
    let (path, _) = tagged_distribution(work.path(), "d");
    let path = path.display().to_string();
    c.edit_inventory(|s| {
        format!(
            "{}keep_replaced_distributions: 2\n",
            s.replace(
                &format!("    path: {current}\n"),
                &format!("    path: {path}\n")
            )
        )
    });
    let out = c.run(&["install", "-H", "h1", "-o", "json"]);
    assert!(out.status.success(), "install d: {}", show(&out));
    assert_eq!(replaced(), ["b", "c"]);
}

#[test]
fn install_from_an_http_url_verifies_and_skips() {
    let c = TestCluster::new(&ADDRS);
    let work = tempfile::tempdir().unwrap();
    let digest = fake_distribution(work.path());
    let server = HttpServer::serve(&work.path().join("www"));
    let url = format!(
        "http://127.0.0.1:{}/flink-2.1.0-bin-scala_2.12.tgz",
        server.port
    );
    let tgz = common::cluster::flink_tgz().display().to_string();
    c.edit_inventory(|s| s.replace(&format!("    path: {tgz}\n"), &format!("    url: {url}\n")));
    let cache = work.path().join("cache");
    let run = |args: &[&str]| run_with_cache(&c, &cache, args);
    let out = run(&["install", "-o", "json"]);
    assert!(out.status.success(), "{}", show(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["sha512"], digest.as_str());
    for (i, root) in c.roots.iter().enumerate() {
        assert_eq!(v["hosts"][i]["result"]["ok"]["action"], "installed", "{v}");
        assert_eq!(
            std::fs::read_link(root.join("current")).unwrap().to_str(),
            Some("flink-2.1.0")
        );
        let marker = std::fs::read_to_string(root.join("flink-2.1.0/.flinkha-installed")).unwrap();
        assert_eq!(marker.trim(), digest);
        assert!(
            !root.join(".flinkha/staging/flink-2.1.0-bin.tgz").exists(),
            "staging not cleaned"
        );
    }
    // The download is cached locally and hosts that have it are skipped.
    let out = run(&["install", "-o", "json"]);
    assert!(out.status.success(), "{}", show(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for i in 0..3 {
        assert_eq!(
            v["hosts"][i]["result"]["ok"]["action"], "already-installed",
            "{v}"
        );
    }

    // A wrong checksum stops everything before any upload.
    c.edit_inventory(|s| {
        s.replace(
            &format!("    url: {url}\n"),
            &format!("    url: {url}\n    sha512: {}\n", "0".repeat(128)),
        )
    });
    std::fs::remove_dir_all(&cache).unwrap();
    std::fs::remove_dir_all(c.roots[0].join("flink-2.1.0")).unwrap();
    let out = run(&["install"]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("SHA-512 mismatch") && err.contains(&digest),
        "{err}"
    );
    assert!(!c.roots[0].join("flink-2.1.0").exists());
}

/// `install.fetch: remote`: every host downloads the URL itself (the HTTP server's log shows
/// one GET of the tarball per host, and nothing is downloaded into flinkha's local cache),
/// checks it against the SHA-512 before unpacking, and a wrong digest or a missing file fails
/// each host with a clear error and leaves it as it was.
#[test]
fn install_fetch_remote_makes_every_host_download_and_verify() {
    let c = TestCluster::new(&ADDRS);
    let work = tempfile::tempdir().unwrap();
    let digest = fake_distribution(work.path());
    let www = work.path().join("www");
    let size = std::fs::metadata(www.join("flink-2.1.0-bin-scala_2.12.tgz"))
        .unwrap()
        .len();
    let server = HttpServer::serve(&www);
    let tgz_path = "/flink-2.1.0-bin-scala_2.12.tgz";
    let url = format!("http://127.0.0.1:{}{tgz_path}", server.port);
    let tgz = common::cluster::flink_tgz().display().to_string();
    c.edit_inventory(|s| {
        format!(
            "{}\ninstall:\n  fetch: remote\n",
            s.replace(&format!("    path: {tgz}\n"), &format!("    url: {url}\n"))
        )
    });
    let cache = work.path().join("cache");
    let run = |args: &[&str]| run_with_cache(&c, &cache, args);

    // The plan says who downloads.
    let out = run(&["install", "--dry-run"]);
    assert!(out.status.success(), "{}", show(&out));
    let plan = show(&out);
    assert!(
        plan.contains("each downloading") && plan.contains("install.fetch: remote"),
        "{plan}"
    );
    assert!(server.requests(tgz_path).is_empty(), "a dry run downloaded");

    let out = run(&["install", "-o", "json"]);
    assert!(out.status.success(), "{}", show(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["sha512"], digest.as_str(), "{v}");
    assert_eq!(v["fetch"], "remote", "{v}");
    for (i, root) in c.roots.iter().enumerate() {
        let ok = &v["hosts"][i]["result"]["ok"];
        assert_eq!(ok["action"], "installed", "{v}");
        assert_eq!(ok["bytes"], size, "{v}");
        assert_eq!(
            std::fs::read_link(root.join("current")).unwrap().to_str(),
            Some("flink-2.1.0")
        );
        let marker = std::fs::read_to_string(root.join("flink-2.1.0/.flinkha-installed")).unwrap();
        assert_eq!(marker.trim(), digest);
        assert!(root.join("flink-2.1.0/bin/config.sh").is_file());
        assert!(
            walk(&root.join(".flinkha/staging")).is_empty(),
            "staging not cleaned on {}",
            root.display()
        );
    }
    let gets = server.requests(tgz_path);
    assert_eq!(gets.len(), 3, "one download per host: {gets:?}");
    assert!(gets.iter().all(|l| l.contains("\" 200 ")), "{gets:?}");
    // flinkha itself read only the .sha512 (its warning: same plain-HTTP origin).
    assert_eq!(server.requests(&format!("{tgz_path}.sha512")).len(), 1);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unauthenticated origin"),
        "{}",
        show(&out)
    );
    assert!(!cache.join("flinkha/dist").exists(), "downloaded locally");

    // Hosts that have it are skipped: no further download.
    let out = run(&["install", "-o", "json"]);
    assert!(out.status.success(), "{}", show(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for i in 0..3 {
        assert_eq!(v["hosts"][i]["result"]["ok"]["action"], "already-installed");
    }
    assert_eq!(server.requests(tgz_path).len(), 3);

    // An install that fails (exit 1): its JSON, and h1's error.
    let failed_install = || {
        let out = run(&["install", "-o", "json"]);
        assert_eq!(out.status.code(), Some(1), "{}", show(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let err = v["hosts"][0]["result"]["error"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        (v, err)
    };

    // A digest that the served bytes do not have: h1 downloads, refuses to unpack, and is left
    // as it was (no distribution, nothing in staging); the hosts that have it are untouched.
    let wrong = "0".repeat(128);
    c.edit_inventory(|s| {
        s.replace(
            &format!("    url: {url}\n"),
            &format!("    url: {url}\n    sha512: {wrong}\n"),
        )
    });
    std::fs::remove_dir_all(c.roots[0].join("flink-2.1.0")).unwrap();
    let (v, err) = failed_install();
    assert!(
        err.contains("h1") && err.contains("does not match the SHA-512 0000000000000000"),
        "{v}"
    );
    assert_eq!(
        server.requests(tgz_path).len(),
        6,
        "no host holds this digest: each downloads again"
    );
    assert!(!c.roots[0].join("flink-2.1.0").exists());
    assert!(walk(&c.roots[0].join(".flinkha/staging")).is_empty());
    // The other two hold the old digest, not this one: they download and refuse too, and keep
    // what they had.
    for i in 1..3 {
        assert!(v["hosts"][i]["result"]["error"].is_string(), "{v}");
        let marker =
            std::fs::read_to_string(c.roots[i].join("flink-2.1.0/.flinkha-installed")).unwrap();
        assert_eq!(marker.trim(), digest);
    }

    // A URL the server does not have: the host's curl error, named per host.
    let missing = format!("http://127.0.0.1:{}/flink-9.9.9.tgz", server.port);
    c.edit_inventory(|s| {
        s.replace(
            &format!("    url: {url}\n"),
            &format!("    url: {missing}\n"),
        )
    });
    let (v, err) = failed_install();
    assert!(
        err.contains("downloading flink-2.1.0 on the host") && err.contains("404"),
        "{v}"
    );
    assert_eq!(
        server.requests("/flink-9.9.9.tgz").len(),
        3,
        "one try per host"
    );
    assert!(!c.roots[0].join("flink-2.1.0").exists());
    assert!(walk(&c.roots[0].join(".flinkha/staging")).is_empty());

    // `doctor` asks each host for the URL (a HEAD request from the host): the missing one is
    // a finding per host, the served one none.
    let fetch_findings = |out: Output| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("doctor: {e}: {}", show(&out)));
        let mut got: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| {
                f["id"]
                    .as_str()
                    .is_some_and(|i| i.starts_with("install-fetch"))
            })
            .map(|f| {
                format!(
                    "{} {}",
                    f["id"].as_str().unwrap(),
                    f["host"].as_str().unwrap_or("-")
                )
            })
            .collect();
        got.sort();
        got
    };
    assert_eq!(
        fetch_findings(run(&["doctor", "-o", "json"])),
        ["h1", "h2", "h3"].map(|h| format!("install-fetch-unreachable {h}")),
        "a HEAD of the missing URL from every host"
    );
    assert_eq!(server.requests_of("HEAD", "/flink-9.9.9.tgz").len(), 3);
    c.edit_inventory(|s| {
        s.replace(
            &format!("    url: {missing}\n"),
            &format!("    url: {url}\n"),
        )
    });
    assert_eq!(
        fetch_findings(run(&["doctor", "-o", "json"])),
        Vec::<String>::new()
    );
    assert_eq!(server.requests_of("HEAD", tgz_path).len(), 3);

    // Bytes with the digest the inventory names but no tarball: tar's failure, after the
    // digest check, and nothing installed.
    let junk = www.join("junk.tgz");
    std::fs::write(&junk, vec![7u8; 50_000]).unwrap();
    let junk_sha = sha512_of(&junk);
    let junk_url = format!("http://127.0.0.1:{}/junk.tgz", server.port);
    c.edit_inventory(|s| {
        s.replace(
            &format!("    url: {url}\n    sha512: {wrong}\n"),
            &format!("    url: {junk_url}\n    sha512: {junk_sha}\n"),
        )
    });
    let (v, err) = failed_install();
    assert!(
        err.contains("right SHA-512 but tar could not unpack it") && err.contains("gzip"),
        "{v}"
    );
    assert!(!c.roots[0].join("flink-2.1.0").exists());
    assert!(walk(&c.roots[0].join(".flinkha/staging")).is_empty());
}

#[test]
fn completions_and_man_page_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in [
        ("bash", "flinkha.bash"),
        ("zsh", "_flinkha"),
        ("fish", "flinkha.fish"),
        ("elvish", "flinkha.elv"),
        ("powershell", "_flinkha.ps1"),
    ] {
        let out = Command::new(common::cluster::flinkha_bin())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        let committed = std::fs::read(dir.join(file)).unwrap_or_default();
        assert!(
            committed == out.stdout,
            "completions/{file} is stale: run `scripts/gen-completions.sh` and commit"
        );
    }
    let out = Command::new(common::cluster::flinkha_bin())
        .arg("man")
        .output()
        .unwrap();
    let committed = std::fs::read(dir.join("flinkha.1")).unwrap_or_default();
    assert!(
        committed == out.stdout,
        "completions/flinkha.1 is stale: run `scripts/gen-completions.sh` and commit"
    );
}

#[test]
fn missing_inventory_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(common::cluster::flinkha_bin())
        .current_dir(dir.path())
        .env_remove("FLINKHA_CONFIG")
        .args(["status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("flinkha.yaml") && err.contains("--config"),
        "{err}"
    );
    let out = Command::new(common::cluster::flinkha_bin())
        .args(["start", "--bogus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "usage errors exit 2");
}

/// `flinkha -c <inventory> doctor --offline ...`, without a HADOOP_CONF_DIR of this machine.
fn doctor(inventory: &Path, args: &[&str]) -> std::process::Output {
    Command::new(common::cluster::flinkha_bin())
        .arg("-c")
        .arg(inventory)
        .args(["doctor", "--offline"])
        .args(args)
        .env_remove("HADOOP_CONF_DIR")
        .env_remove("YARN_CONF_DIR")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// An inventory beside a copy of tests/fixtures/conf/walkthrough (mistakes of public Flink HA
/// walkthroughs), its four hosts on loopback addresses (never contacted: offline).
fn walkthrough_cluster(dir: &Path) -> std::path::PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conf/walkthrough");
    let conf = dir.join("conf");
    std::fs::create_dir_all(&conf).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), conf.join(e.file_name())).unwrap();
    }
    let inv = dir.join("flinkha.yaml");
    std::fs::write(
        &inv,
        "cluster: walk\nconf_dir: conf\nflink:\n  version: 2.1.0\nhosts:\n  jm1:\n    address: 127.0.3.1\n  \
         jm2:\n    address: 127.0.3.2\n    flink:\n      rest.port: 9000\n  tm1:\n    address: 127.0.3.3\n  \
         tm2:\n    address: 127.0.3.4\n",
    )
    .unwrap();
    inv
}

#[test]
fn doctor_offline_finds_the_walkthrough_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let inv = walkthrough_cluster(dir.path());
    let out = doctor(&inv, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for id in [
        "quorum-whitespace",
        "quorum-duplicate",
        "quorum-even",
        "uri-host-invalid",
        "uri-port-web",
        "uri-s3-endpoint",
        "fs-hadoop-needed",
        "fs-plugin-needed",
        "fs-scheme-unknown",
        "file-name-near-miss",
        "rest-port-masters",
        "yarn-attempts-capped",
        "rest-port-override",
    ] {
        assert!(stdout.contains(id), "{id} missing:\n{}", show(&out));
    }
    for column in ["id", "severity", "where", "what", "fix"] {
        assert!(stdout.contains(column), "{stdout}");
    }
    let config = dir.path().join("conf/config.yaml").display().to_string();
    assert!(stdout.contains(&format!("{config}:4")), "{stdout}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("(offline checks only)"),
        "{}",
        show(&out)
    );

    let out = doctor(&inv, &["-o", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "doctor");
    assert_eq!(v["version"], 1);
    assert_eq!(v["live"], false);
    let findings = v["findings"].as_array().unwrap();
    let errors = findings.iter().filter(|f| f["severity"] == "error").count();
    let warnings = findings
        .iter()
        .filter(|f| f["severity"] == "warning")
        .count();
    assert!(errors >= 4, "{v}");
    assert_eq!(v["counts"]["error"], errors);
    assert_eq!(v["counts"]["warning"], warnings);
    // Errors first; every finding has an id and a fix.
    let first_warning = findings.iter().position(|f| f["severity"] == "warning");
    assert!(
        findings[first_warning.unwrap_or(findings.len())..]
            .iter()
            .all(|f| f["severity"] == "warning")
    );
    for f in findings {
        assert!(f["id"].is_string() && f["hint"].is_string(), "{f}");
    }
    // Located: the YARN setting at its line, jm2's per-host rest.port at its host.
    let yarn = findings
        .iter()
        .find(|f| f["id"] == "yarn-attempts-capped")
        .unwrap();
    assert_eq!(yarn["file"], config.as_str());
    assert_eq!(yarn["line"], 9);
    let over = findings
        .iter()
        .find(|f| f["id"] == "rest-port-override")
        .unwrap();
    assert_eq!(over["host"], "jm2", "{over}");
    assert_eq!(over["severity"], "error");

    // A conf dir that does not load is the one finding, not a crash.
    std::fs::write(dir.path().join("conf/config.yaml"), "rest.port: [\n").unwrap();
    let out = doctor(&inv, &["-o", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["id"], "conf-parse", "{v}");
    assert_eq!(v["findings"][0]["file"], config.as_str());
}

#[test]
fn doctor_offline_on_the_shipped_example_exits_0() {
    let inv = Path::new(env!("CARGO_MANIFEST_DIR")).join("conf.example/flinkha.yaml");
    let out = doctor(&inv, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ok: 0 error(s)"),
        "{}",
        show(&out)
    );
    let out = doctor(&inv, &["-o", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["counts"]["error"], 0, "{v}");
}

/// `-v`/`-vv` trace the SSH commands and uploads on stderr (host, duration; sizes at -vv),
/// nothing without `-v`; secrets are hidden in traces, `config show` and dry-run diffs, but
/// the files written to the hosts hold the real values.
#[test]
fn verbose_traces_and_secrets_are_hidden() {
    let c = TestCluster::new(&ADDRS);
    let cfg = c.conf_file("config.yaml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        format!("{text}security.ssl.rest.keystore-password: conf-pw-1\n"),
    )
    .unwrap();
    c.edit_inventory(|s| {
        s.replace(
            "  h1:\n    address: 127.0.3.1\n",
            "  h1:\n    address: 127.0.3.1\n    flink:\n      s3.secret-key: inv-secret\n",
        )
    });
    let text_of = |o: &std::process::Output| {
        (
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };

    // config show, table and JSON: the key is there, its value is not.
    let out = c.run(&["config", "show", "-H", "h1"]);
    assert!(out.status.success(), "{}", show(&out));
    let (stdout, _) = text_of(&out);
    assert!(stdout.contains("s3.secret-key"), "{stdout}");
    assert!(stdout.contains("******"), "{stdout}");
    assert!(!stdout.contains("inv-secret"), "{stdout}");
    let (code, v) = c.json(&["config", "show"]);
    assert_eq!(code, 0, "{v}");
    let doc = v.to_string();
    assert!(!doc.contains("inv-secret"), "{doc}");
    assert!(
        v["hosts"][0]["flink_keys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|kv| kv[0] == "s3.secret-key" && kv[1] == "******"),
        "{v}"
    );

    // No -v: no trace.
    let out = c.run(&["sync", "--dry-run"]);
    assert!(out.status.success(), "{}", show(&out));
    let (_, stderr) = text_of(&out);
    assert!(!stderr.contains("ssh exec"), "{stderr}");

    // -v: each SSH command with its host, exit status and duration; each upload.
    let out = c.run(&["-v", "sync"]);
    assert!(out.status.success(), "{}", show(&out));
    let (_, stderr) = text_of(&out);
    for h in ["h1", "h2", "h3"] {
        let exec = stderr
            .lines()
            .find(|l| l.contains("ssh exec") && l.contains(&format!("host={h} ")))
            .unwrap_or_else(|| panic!("no ssh exec line for {h}:\n{stderr}"));
        assert!(exec.contains(" exit=0") && exec.contains(" cmd="), "{exec}");
        let ms: u64 = exec
            .split(" ms=")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no ms= in {exec}"));
        assert!(ms < 60_000, "{exec}");
        assert!(
            stderr.lines().any(|l| l.contains("ssh connect")
                && l.contains(&format!("host={h} "))
                && l.contains(" ms=")),
            "{stderr}"
        );
        // Two round trips per host: the state read, then the script that gets the files as
        // a tar on its stdin and puts them in place; no separate upload.
        let execs: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains("ssh exec") && l.contains(&format!("host={h} ")))
            .collect();
        assert_eq!(execs.len(), 2, "{execs:?}");
        assert!(execs[1].contains(" exit=0 cmd=set -e"), "{execs:?}");
        assert!(
            !stderr
                .lines()
                .any(|l| l.contains("scp upload") && l.contains(&format!("host={h} "))),
            "{stderr}"
        );
    }
    assert!(!stderr.contains("conf-pw-1") && !stderr.contains("inv-secret"));
    // The hosts got the real values.
    let written = std::fs::read_to_string(c.roots[0].join("conf/config.yaml")).unwrap();
    assert!(
        written.contains("security.ssl.rest.keystore-password: conf-pw-1"),
        "{written}"
    );
    assert!(written.contains("s3.secret-key: inv-secret"), "{written}");

    // A changed secret: the dry-run diff shows the line as changed, value hidden.
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, text.replace("conf-pw-1", "conf-pw-2")).unwrap();
    let out = c.run(&["-vv", "sync", "--dry-run"]);
    assert!(out.status.success(), "{}", show(&out));
    let (stdout, stderr) = text_of(&out);
    assert!(
        stdout.contains(
            "-security.ssl.rest.keystore-password: ******\n+security.ssl.rest.keystore-password: ******\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("modified"), "{stdout}");
    for secret in ["conf-pw-1", "conf-pw-2", "inv-secret"] {
        assert!(!stdout.contains(secret), "{secret} in stdout:\n{stdout}");
        assert!(!stderr.contains(secret), "{secret} in stderr:\n{stderr}");
    }
    // -vv: payload sizes and whole commands.
    let exec = stderr
        .lines()
        .find(|l| l.contains("ssh exec") && l.contains("host=h1 "))
        .unwrap_or_else(|| panic!("no ssh exec line:\n{stderr}"));
    assert!(
        exec.contains(" out_bytes=") && exec.contains(" err_bytes="),
        "{exec}"
    );
    assert!(exec.contains("sha256sum"), "whole command at -vv: {exec}");

    // -vv on a real sync: the tar sent on the apply script's stdin, with its size.
    let out = c.run(&["-vv", "sync", "-H", "h1"]);
    assert!(out.status.success(), "{}", show(&out));
    let (_, stderr) = text_of(&out);
    let upload = stderr
        .lines()
        .find(|l| l.contains("ssh exec") && l.contains("host=h1 ") && l.contains("tar -xpf -"))
        .unwrap_or_else(|| panic!("no exec unpacking a tar:\n{stderr}"));
    let bytes: u64 = upload
        .split(" in_bytes=")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no in_bytes= in {upload}"));
    assert!(
        bytes > 0 && bytes.is_multiple_of(512),
        "a tar archive: {upload}"
    );
    let written = std::fs::read_to_string(c.roots[0].join("conf/config.yaml")).unwrap();
    assert!(
        written.contains("security.ssl.rest.keystore-password: conf-pw-2"),
        "{written}"
    );
    // A file holding a secret is not readable by group or others on the host (issue 10),
    // whatever the local file's mode.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(c.roots[0].join("conf/config.yaml"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(
        mode & 0o077,
        0,
        "config.yaml with a password has mode {mode:o}"
    );
}

/// Ask the completion entry point (clap_complete's engine, bash protocol) to complete the
/// last of `words` on `flinkha -c <inventory> words...`: the candidates, stderr, exit code.
fn complete(inventory: &Path, words: &[&str]) -> (Vec<String>, String, Option<i32>) {
    let out = Command::new(common::cluster::flinkha_bin())
        .env("COMPLETE", "bash")
        // Index of the word being completed, among `flinkha -c <inventory> words...`.
        .env("_CLAP_COMPLETE_INDEX", (words.len() + 2).to_string())
        .env_remove("FLINKHA_CONFIG")
        .args(["--", "flinkha", "-c"])
        .arg(inventory)
        .args(words)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let candidates = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    (
        candidates,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn dynamic_completion_of_hosts_jobs_and_savepoints() {
    use common::minijm::{JOBS, MiniCluster};
    let m = MiniCluster::new(true, &JOBS);
    let inv = &m.inventory;

    // The registration script for `source <(COMPLETE=bash flinkha)`.
    let out = Command::new(common::cluster::flinkha_bin())
        .env("COMPLETE", "bash")
        .output()
        .unwrap();
    let script = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        script.contains(
            "complete -o nospace -o bashdefault -o nosort -F _clap_complete_flinkha flinkha"
        ),
        "{script}"
    );

    // Hosts, from the inventory, filtered by what is typed.
    let (c, err, code) = complete(inv, &["config", "show", "--host", ""]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(&c[..2], ["h1", "h2"], "{c:?}");
    let (c, ..) = complete(inv, &["start", "-H", "h2"]);
    assert_eq!(c, ["h2"]);
    let (c, ..) = complete(inv, &["sync", "-H", "h"]);
    assert_eq!(c, ["h1", "h2"]);

    // Jobs: names and ids of the leader's running jobs, newest first; a finished one is not
    // offered.
    let (c, err, code) = complete(inv, &["savepoint", ""]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        &c[..4],
        [JOBS[1].1, JOBS[0].1, JOBS[1].0, JOBS[0].0],
        "{c:?}"
    );
    assert!(!c.iter().any(|x| x == JOBS[2].1 || x == JOBS[2].0), "{c:?}");
    let (c, ..) = complete(inv, &["stop", "cou"]);
    assert_eq!(c, [JOBS[0].1]);
    let (c, ..) = complete(inv, &["cancel", "-s", "0f1"]);
    assert_eq!(c, [JOBS[1].0]);
    let (c, ..) = complete(inv, &["jobs", "show", "a1b2"]);
    assert_eq!(c, [JOBS[0].0]);

    // --from-savepoint: `latest` and the catalogue's usable paths, newest first.
    let old = "file:/var/tmp/sp/savepoint-a1b2c3-000000000001";
    let new = "file:/var/tmp/sp/savepoint-a1b2c3-000000000002";
    m.write_catalogue(&[(old, 1_700_000_000_000), (new, 1_700_000_500_000)]);
    let (c, err, code) = complete(inv, &["run", "job.jar", "--from-savepoint", ""]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(c, ["latest", new, old]);
    let (c, ..) = complete(
        inv,
        &[
            "run",
            "job.jar",
            "-s",
            "file:/var/tmp/sp/savepoint-a1b2c3-0000000000",
        ],
    );
    assert_eq!(c, [new, old]);
    let (c, ..) = complete(inv, &["run", "job.jar", "--from-savepoint", "la"]);
    assert_eq!(c, ["latest"]);
}

#[test]
fn job_completion_is_silently_empty_when_no_leader_answers() {
    use common::minijm::MiniCluster;
    // Nothing listens on the JobManager's port: refused at once.
    let m = MiniCluster::new(false, &[]);
    let (c, err, code) = complete(&m.inventory, &["savepoint", "x"]);
    assert_eq!(code, Some(0));
    assert!(c.is_empty(), "{c:?}");
    assert!(err.is_empty(), "{err}");

    // Two JobManagers that accept connections but never answer: each REST probe would wait
    // its 2 s; the completer gives up after 1 s, completes nothing and prints nothing.
    let a = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let b = std::net::TcpListener::bind(("127.0.0.2", 0)).unwrap();
    std::fs::write(
        m.dir.path().join("conf/masters"),
        format!(
            "h1:{}\nh2:{}\n",
            a.local_addr().unwrap().port(),
            b.local_addr().unwrap().port()
        ),
    )
    .unwrap();
    let t0 = Instant::now();
    let (c, err, code) = complete(&m.inventory, &["savepoint", "x"]);
    let took = t0.elapsed();
    assert_eq!(code, Some(0));
    assert!(c.is_empty(), "{c:?}");
    assert!(err.is_empty(), "{err}");
    // Without the 1 s limit this takes 4 s (two 2 s probes).
    assert!(took < Duration::from_secs(3), "took {took:?}");

    // No inventory at all: nothing either, and no error text in the shell.
    let (c, err, code) = complete(Path::new("/nonexistent/flinkha.yaml"), &["sync", "-H", ""]);
    assert_eq!(code, Some(0));
    assert!(c.iter().all(|x| x.starts_with('-')), "{c:?}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn a_missing_job_or_host_without_a_terminal_is_a_usage_error_naming_it() {
    use common::minijm::{JOBS, MiniCluster};
    let m = MiniCluster::new(true, &JOBS);
    let run = |args: &[&str]| {
        Command::new(common::cluster::flinkha_bin())
            .arg("-c")
            .arg(&m.inventory)
            .args(args)
            .env_remove("FLINKHA_CONFIG")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    for args in [
        &["savepoint"][..],
        &["cancel", "-s"],
        &["stop", "--drain"],
        &["stop", "--savepoint", "/var/tmp/sp"],
        &["jobs", "show"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", show(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(
                "missing JOB: give a job id, id prefix or name (no terminal to pick from)"
            ),
            "{args:?}: {err}"
        );
    }
    // Refused before the leader is asked.
    assert_eq!(m.received("GET", "/jobs/overview"), 0);
    for args in [
        &["config", "show", "-H"][..],
        &["sync", "-H"],
        &["start", "-H"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", show(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(
                "missing HOST: give an inventory host name with -H NAME (no terminal to pick from)"
            ),
            "{args:?}: {err}"
        );
    }
}

/// `flinkha init --yes` with every answer as a flag, without a TTY.
fn init_cmd(dir: &Path, extra: &[&str]) -> Output {
    Command::new(common::cluster::flinkha_bin())
        .arg("init")
        .arg(dir)
        .args(extra)
        .env("NO_COLOR", "1")
        .env_remove("FLINKHA_CONFIG")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn flinkha_c(inventory: &Path, args: &[&str]) -> Output {
    Command::new(common::cluster::flinkha_bin())
        .arg("-c")
        .arg(inventory)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("FLINKHA_CONFIG")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn init_from_flags_writes_a_dir_that_config_check_passes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("prod");
    let out = init_cmd(
        &dir,
        &[
            "--host",
            "flink-1=10.20.0.11",
            "--host",
            "flink-2=10.20.0.12",
            "--host",
            "flink-3=10.20.0.13:2222",
            "--host",
            "flink-4=10.20.0.14",
            "--flink-version",
            "2.1.0",
            "--ha-storage",
            "hdfs:///flink/prod/ha",
            "--cluster",
            "prod",
            "--ssh-user",
            "flink",
            "--yes",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("0 error(s)"), "{stderr}");
    let conf = dir.join("conf");
    let read = |f: &str| std::fs::read_to_string(conf.join(f)).unwrap();
    assert!(
        read("zoo.cfg").contains(
            "server.1=flink-1:2888:3888\nserver.2=flink-2:2888:3888\nserver.3=flink-3:2888:3888\n"
        ),
        "{}",
        read("zoo.cfg")
    );
    assert!(read("masters").ends_with("flink-1:8081\nflink-2:8081\n"));
    assert!(read("workers").ends_with("flink-1\nflink-2\nflink-3\nflink-4\n"));
    let cfg = read("config.yaml");
    assert!(cfg.contains("storageDir: hdfs:///flink/prod/ha"), "{cfg}");
    assert!(cfg.contains("cluster-id: /prod"), "{cfg}");
    assert!(cfg.contains("dir: hdfs:///flink/prod/checkpoints"), "{cfg}");
    assert!(conf.join("log4j.properties").is_file());
    // No staging dir left beside it.
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["prod"]);

    let inv = dir.join("flinkha.yaml");
    let check = flinkha_c(&inv, &["config", "check"]);
    assert_eq!(check.status.code(), Some(0), "{}", show(&check));
    let (code, v) = {
        let o = flinkha_c(&inv, &["config", "show", "--output", "json"]);
        (
            o.status.code(),
            serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap(),
        )
    };
    assert_eq!(code, Some(0));
    assert_eq!(v["cluster"], "prod");
    assert_eq!(v["flink_version"], "2.1.0");
    assert_eq!(
        v["zookeeper_quorum"],
        "10.20.0.11:2181,10.20.0.12:2181,10.20.0.13:2181"
    );
    let hosts = v["hosts"].as_array().unwrap();
    assert_eq!(hosts.len(), 4);
    let roles = |i: usize| -> Vec<&str> {
        hosts[i]["roles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect()
    };
    assert_eq!(roles(0), ["ZooKeeper", "JobManager", "TaskManager"]);
    assert_eq!(roles(2), ["ZooKeeper", "TaskManager"]);
    assert_eq!(roles(3), ["TaskManager"]);
    assert_eq!(hosts[3]["address"], "10.20.0.14");
    // `doctor --offline`, once it exists on this build.
    let doctor = flinkha_c(&inv, &["doctor", "--offline"]);
    if doctor.status.code() != Some(2) {
        assert_eq!(doctor.status.code(), Some(0), "{}", show(&doctor));
    }
}

#[test]
fn init_refuses_a_non_empty_dir_and_force_keeps_a_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let args = [
        "--host",
        "a=10.0.0.1",
        "--flink-version",
        "2.2.0",
        "--ha-storage",
        "/nfs/flink/ha",
        "--yes",
    ];
    let out = init_cmd(&dir, &args);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is not empty") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(!dir.join("flinkha.yaml").exists());

    let mut forced = args.to_vec();
    forced.push("--force");
    let out = init_cmd(&dir, &forced);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(dir.join("flinkha.yaml").is_file());
    assert!(!dir.join("notes.txt").exists());
    let backup = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("c.bak-")
        })
        .expect("a backup dir");
    assert_eq!(
        std::fs::read_to_string(backup.join("notes.txt")).unwrap(),
        "mine"
    );
    // One host: an absolute path became a file:// URI, and the single ZooKeeper server and
    // JobManager are warnings, not errors.
    let cfg = std::fs::read_to_string(dir.join("conf/config.yaml")).unwrap();
    assert!(cfg.contains("storageDir: file:///nfs/flink/ha"), "{cfg}");
    let check = flinkha_c(&dir.join("flinkha.yaml"), &["config", "check"]);
    assert_eq!(check.status.code(), Some(0), "{}", show(&check));
    assert!(String::from_utf8_lossy(&check.stdout).contains("warning"));
}

#[test]
fn init_without_a_tty_names_the_missing_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    let out = init_cmd(&dir, &["--flink-version", "2.1.0", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--host"), "{err}");
    let out = init_cmd(&dir, &["--host", "a=10.0.0.1", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--flink-version"));
    let out = init_cmd(
        &dir,
        &["--host", "a=10.0.0.1", "--flink-version", "2.1.0", "--yes"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--ha-storage"));
    // A role naming an unknown host, and a relative storage dir: usage errors naming the flag.
    let out = init_cmd(
        &dir,
        &[
            "--host",
            "a=10.0.0.1",
            "--jobmanagers",
            "a,b",
            "--flink-version",
            "2.1.0",
            "--ha-storage",
            "ha",
            "--yes",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--ha-storage `ha`"));
    // Every answer but no --yes: the confirmation needs --yes without a terminal.
    let out = init_cmd(
        &dir,
        &[
            "--host",
            "a=10.0.0.1",
            "--flink-version",
            "2.1.0",
            "--ha-storage",
            "s3://flink-ha/ha",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert!(!dir.exists(), "nothing is written when refused");
}

#[test]
fn init_inventory_drives_a_real_sync_dry_run() {
    let addrs = ["127.0.3.1", "127.0.3.2", "127.0.3.3"];
    let sshd = common::sshd::Sshd::start(&addrs);
    let tmp = tempfile::Builder::new()
        .prefix("flinkha-init-")
        .tempdir_in("/var/tmp")
        .unwrap();
    let dir = tmp.path().join("cluster");
    let root = format!("{}/hosts/{{host}}", tmp.path().display());
    let port = sshd.port.to_string();
    let hosts: Vec<String> = ["h1", "h2", "h3"]
        .iter()
        .zip(addrs)
        .map(|(n, a)| format!("{n}={a}"))
        .collect();
    let mut args: Vec<&str> = Vec::new();
    for h in &hosts {
        args.extend(["--host", h]);
    }
    let key = sshd.client_key.display().to_string();
    let kh = sshd.known_hosts.display().to_string();
    args.extend([
        "--flink-version",
        "2.1.0",
        "--ha-storage",
        "file:///var/tmp/flinkha-init-test/ha",
        "--root",
        &root,
        "--ssh-user",
        &sshd.user,
        "--ssh-port",
        &port,
        "--identity-file",
        &key,
        "--known-hosts",
        &kh,
        "--yes",
    ]);
    let out = init_cmd(&dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let out = flinkha_c(
        &dir.join("flinkha.yaml"),
        &["sync", "--dry-run", "--output", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = host_results(&v);
    assert_eq!(r.len(), 3, "{v}");
    assert!(r.iter().all(|(_, ok, _)| *ok), "{v}");
    // A dry run wrote nothing on the hosts.
    assert!(!tmp.path().join("hosts/h1/conf").exists());
}

/// Files under the inventory's state dir (`.flinkha/`: journals, the catalogue, locks).
fn state_files(c: &TestCluster) -> Vec<String> {
    std::fs::read_dir(c.dir.path().join(".flinkha"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Every host's install root, as a sorted list of paths (what a dry run must leave alone).
fn tree(c: &TestCluster) -> Vec<String> {
    let mut out: Vec<String> = c
        .roots
        .iter()
        .flat_map(|r| paths_under(r))
        .map(|p| p.display().to_string())
        .collect();
    out.sort();
    out
}

/// `dir` and every path below it (directories followed, symlinks too), sorted.
fn paths_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        if let Ok(rd) = std::fs::read_dir(&d) {
            stack.extend(rd.flatten().map(|e| e.path()));
        }
        out.push(d);
    }
    out.sort();
    out
}

/// `--dry-run` of every mutating command that needs no running Flink: the plan on stderr and
/// as the `<operation>-plan` JSON document (the runner's steps), exit 0, and nothing changed:
/// no install, no `current`, no daemon, no journal, no catalogue.
#[test]
fn dry_runs_print_the_plan_and_change_nothing() {
    let c = TestCluster::new(&ADDRS);
    let before = tree(&c);
    let plan = |args: &[&str], kind: &str| {
        let out = c.run(args);
        assert!(out.status.success(), "{args:?}: {}", show(&out));
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            err.contains("dry run: nothing was changed"),
            "{args:?}: {err}"
        );
        let (code, v) = c.json(args);
        assert_eq!(code, 0, "{args:?}: {v}");
        assert_eq!(v["kind"], kind, "{v}");
        assert_eq!(v["version"], 1, "{v}");
        (err, v)
    };

    // install: every host lacks flink-2.1.0; the install step carries on past failed hosts.
    let (err, v) = plan(&["install", "--dry-run"], "install-plan");
    assert!(err.contains("install flink-2.1.0 on h1, h2, h3"), "{err}");
    assert!(
        err.contains("h2: flink-2.1.0 not installed; no `current`"),
        "{err}"
    );
    assert_eq!(v["operation"], "install");
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "{v}");
    assert_eq!(steps[0]["action"], "install");
    assert_eq!(steps[0]["best_effort"], true);
    assert_eq!(steps[0]["link_if_unset"], true);
    let (_, v) = plan(
        &["install", "--activate", "-H", "h1", "--dry-run"],
        "install-plan",
    );
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2, "{v}");
    assert_eq!(steps[0]["hosts"], serde_json::json!(["h1"]));
    assert_eq!(steps[1]["action"], "activate");
    assert_eq!(steps[1]["id"], "activate/2.1.0");

    // start / zk start: every role launched together, then health-gated in order.
    let (err, v) = plan(&["start", "--dry-run"], "start-plan");
    assert!(err.contains("start ZooKeepers on h1, h2, h3"), "{err}");
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "{v}");
    assert_eq!(
        steps[0]["id"],
        "start-daemons/zookeeper+standalonesession+taskexecutor"
    );
    assert_eq!(steps[0]["action"], "start-daemons");
    assert_eq!(
        steps[0]["roles"],
        serde_json::json!(["zookeeper", "jobmanager", "taskmanager"])
    );
    assert!(
        steps[0]["title"].as_str().unwrap().contains(
            "and JobManagers on h1, h2 and TaskManagers on h1, h2, h3 (launched together), then wait until the quorum serves and"
        ),
        "{v}"
    );
    let (_, v) = plan(&["zk", "start", "--dry-run"], "start-plan");
    assert_eq!(v["steps"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["steps"][0]["roles"], serde_json::json!(["zookeeper"]));

    // stop / zk stop with nothing running: an empty plan.
    for args in [&["stop", "--dry-run"][..], &["zk", "stop", "--dry-run"][..]] {
        let (code, v) = c.json(args);
        assert_eq!(code, 0, "{v}");
        assert_eq!(v["kind"], "stop-plan", "{v}");
        assert_eq!(v["steps"].as_array().unwrap().len(), 0, "{v}");
    }

    // run: the resolved spec and a pre-assigned job id, without asking any JobManager.
    let jar = c.dir.path().join("job.jar");
    std::fs::write(&jar, b"PK\x03\x04 not really a jar").unwrap();
    let jar = jar.display().to_string();
    let args = [
        "run",
        "--dry-run",
        "-p",
        "2",
        "-s",
        "file:/sp/savepoint-1",
        &jar,
        "--",
        "--keys",
        "4",
    ];
    let out = c.run(&args);
    assert!(out.status.success(), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("from savepoint file:/sp/savepoint-1 (claim mode NO_CLAIM)"),
        "{err}"
    );
    let v = common::cluster::json_ok(&c, &args);
    assert_eq!(v["kind"], "run-plan", "{v}");
    let step = &v["steps"][0];
    assert_eq!(step["action"], "submit-job", "{v}");
    assert_eq!(step["savepoint"], "file:/sp/savepoint-1");
    assert_eq!(step["spec"]["parallelism"], 2);
    assert_eq!(step["spec"]["args"], serde_json::json!(["--keys", "4"]));
    let id = step["job_id"].as_str().unwrap();
    assert!(
        id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()),
        "{id}"
    );

    // Nothing changed anywhere.
    assert_eq!(tree(&c), before, "a dry run changed an install root");
    assert!(c.pids().is_empty());
    let state = state_files(&c);
    assert!(
        state
            .iter()
            .all(|f| !f.contains("journal") && !f.contains("catalogue")),
        "{state:?}"
    );
}

/// The per-connection sshd processes of `sshd` (children of its listener), killed with
/// SIGKILL: every SSH connection to it drops at once, as when a host's network or sshd dies.
fn kill_ssh_connections(sshd: &common::sshd::Sshd) -> usize {
    let mut killed = 0;
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let ppid = stat
            .rsplit_once(") ")
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(sshd.pid()) {
            common::cluster::kill(pid, "KILL");
            killed += 1;
        }
    }
    killed
}

/// Waits (up to 120 s) until some file under `<root>/.flinkha/staging/<entry>` of any root,
/// for an entry whose name starts with `prefix`, holds more than `bytes`: the upload is under
/// way. (A sync's staging entries are `sync-<stamp>`, an install's `flink-<v>-bin.tgz` and
/// `unpack`; a killed sync's partial staging stays until it is an hour old.)
fn wait_for_staging(
    roots: &[std::path::PathBuf],
    prefix: &str,
    bytes: u64,
    child: &mut std::process::Child,
) {
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        let big = roots.iter().any(|r| {
            let staging = r.join(".flinkha/staging");
            walk(&staging).iter().any(|f| {
                f.strip_prefix(&staging)
                    .is_ok_and(|rel| rel.to_string_lossy().starts_with(prefix))
                    && std::fs::metadata(f).is_ok_and(|m| m.len() > bytes)
            })
        });
        if big {
            return;
        }
        if let Ok(Some(st)) = child.try_wait() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut err);
            }
            panic!("flinkha ended ({st}) before the upload was seen under way: {err}");
        }
        assert!(std::time::Instant::now() < deadline, "no upload seen");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits (up to 120 s) until a host's install unpacks under
/// `<root>/.flinkha/staging/unpack` (a file there over 1 MiB): true, or false when flinkha
/// ended first.
fn wait_for_unpack(roots: &[std::path::PathBuf], child: &mut std::process::Child) -> bool {
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        let unpacking = roots.iter().any(|r| {
            walk(&r.join(".flinkha/staging/unpack"))
                .iter()
                .any(|f| std::fs::metadata(f).is_ok_and(|m| m.len() > 1 << 20))
        });
        if unpacking {
            return true;
        }
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        assert!(std::time::Instant::now() < deadline, "no unpack seen");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Whether a process's command line names `root` (a host's script still running there).
fn process_mentions(root: &std::path::Path) -> bool {
    let needle = root.display().to_string();
    std::fs::read_dir("/proc").unwrap().flatten().any(|e| {
        e.file_name().to_string_lossy().parse::<u32>().is_ok()
            && std::fs::read(e.path().join("cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&needle))
    })
}

/// The files (not directories) under `dir`, sorted.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    paths_under(dir)
        .into_iter()
        .filter(|p| p.is_file())
        .collect()
}

/// A distribution tarball (`flink-2.1.0/bin/config.sh` and `lib/filler.bin`, `mb` MiB of
/// random bytes, so the `.tgz` is as large) and its `.sha512` under `dir`; returns its path.
fn fake_incompressible_distribution(dir: &Path, mb: usize) -> String {
    let tree = dir.join("bigdist/flink-2.1.0");
    std::fs::create_dir_all(tree.join("bin")).unwrap();
    std::fs::create_dir_all(tree.join("lib")).unwrap();
    std::fs::write(tree.join("bin/config.sh"), "#!/bin/sh\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        tree.join("bin/config.sh"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let mut f = std::fs::File::open("/dev/urandom").unwrap();
    let mut bytes = vec![0u8; mb << 20];
    std::io::Read::read_exact(&mut f, &mut bytes).unwrap();
    std::fs::write(tree.join("lib/filler.bin"), bytes).unwrap();
    let tgz = dir.join("bigdist/flink-2.1.0-bin-scala_2.12.tgz");
    let st = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "tar cf - -C {d} flink-2.1.0 | gzip -1 > {t} && cd {d} && \
             sha512sum flink-2.1.0-bin-scala_2.12.tgz > flink-2.1.0-bin-scala_2.12.tgz.sha512",
            d = dir.join("bigdist").display(),
            t = tgz.display()
        ))
        .status()
        .unwrap();
    assert!(st.success());
    tgz.display().to_string()
}

/// A tmpfs of `size_mb` MiB mounted at a new dir, unmounted on drop (also when a test panics).
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size_mb: u32) -> Tmpfs {
        std::fs::create_dir_all(at).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size_mb}m"), "tmpfs"])
            .arg(at)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "mounting a tmpfs (needs root / CAP_SYS_ADMIN, as the README's test command has): {}",
            show(&out)
        );
        Tmpfs(at.to_path_buf())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Faults in the middle of the work, chained on one set of hosts: every SSH connection killed
/// during a sync and during an install, then a host whose disk is full for an install and a
/// sync. Each time no partial file is live, earlier backups are intact, the failing host is
/// named with the cause, and a rerun completes.
#[test]
#[allow(clippy::print_stderr)] // which outcome each host had goes to the test log
fn killed_connections_and_a_full_disk_leave_hosts_as_they_were() {
    let c = TestCluster::new(&ADDRS);
    let cfg_path = c.conf_file("config.yaml");
    let set_marker = |v: &str| {
        let cfg = std::fs::read_to_string(&cfg_path).unwrap();
        let cfg = match cfg.find("\nfault-test.marker: ") {
            Some(i) => cfg[..i + 1].to_string(),
            None => format!("{}\n", cfg.trim_end()),
        };
        std::fs::write(&cfg_path, format!("{cfg}fault-test.marker: {v}\n")).unwrap();
    };
    let live_cfg = |i: usize| std::fs::read_to_string(c.roots[i].join("conf/config.yaml")).unwrap();

    // v1, then v2: the v2 sync keeps a backup of v1.
    set_marker("v1");
    assert_eq!(c.json(&["sync"]).0, 0);
    set_marker("v2");
    assert_eq!(c.json(&["sync"]).0, 0);
    let backups = |i: usize| -> Vec<(std::path::PathBuf, Vec<u8>)> {
        walk(&c.roots[i].join(".flinkha/backups"))
            .into_iter()
            .map(|p| {
                let b = std::fs::read(&p).unwrap();
                (p, b)
            })
            .collect()
    };
    let backups_before: Vec<_> = (0..3).map(backups).collect();
    for (i, b) in backups_before.iter().enumerate() {
        assert!(
            b.iter().any(|(p, text)| p.ends_with("conf/config.yaml")
                && String::from_utf8_lossy(text).contains("fault-test.marker: v1")),
            "host {i}: no backup of v1: {b:?}"
        );
        assert!(live_cfg(i).contains("fault-test.marker: v2"));
    }

    // v3 with a large extra file, so the upload takes long enough to be cut.
    let big = c.dir.path().join("big.bin");
    std::fs::write(&big, vec![0x5a; 40 << 20]).unwrap();
    c.edit_inventory(|s| {
        s.replace(
            "timeouts:\n",
            "files:\n  - src: big.bin\n    dest: jobs/big.bin\ntimeouts:\n",
        )
    });
    set_marker("v3");
    let mut child = c.spawn(&["sync", "-o", "json"]);
    wait_for_staging(&c.roots, "sync-", 1 << 20, &mut child);
    assert!(kill_ssh_connections(&c.sshd) > 0);
    let out = child.wait_with_output().unwrap();
    assert_ne!(out.status.code(), Some(0), "{}", show(&out));
    for (i, before) in backups_before.iter().enumerate() {
        let live = live_cfg(i);
        assert!(
            live.contains("fault-test.marker: v2") && !live.contains("v3"),
            "host {i}: a partial sync went live:\n{live}"
        );
        assert!(!c.roots[i].join("jobs/big.bin").exists(), "host {i}");
        let after = backups(i);
        for (p, text) in before {
            let now = after.iter().find(|(q, _)| q == p);
            assert_eq!(
                now.map(|(_, t)| t),
                Some(text),
                "host {i}: backup {p:?} changed"
            );
        }
    }
    let (code, v) = c.json(&["sync"]);
    assert_eq!(code, 0, "rerun: {v}");
    for i in 0..3 {
        assert!(live_cfg(i).contains("fault-test.marker: v3"));
        assert_eq!(
            std::fs::metadata(c.roots[i].join("jobs/big.bin"))
                .unwrap()
                .len(),
            40 << 20
        );
    }
    std::fs::remove_file(&big).unwrap();
    c.edit_inventory(|s| s.replace("files:\n  - src: big.bin\n    dest: jobs/big.bin\n", ""));

    // Install of a 40 MiB distribution (incompressible, so the tarball is as large), cut in
    // the middle of the tarball's upload.
    let tgz = fake_incompressible_distribution(c.dir.path(), 40);
    let real = common::cluster::flink_tgz().display().to_string();
    c.edit_inventory(|s| {
        s.replace(
            &format!("    path: {real}\n"),
            &format!("    path: {tgz}\n"),
        )
    });
    let mut child = c.spawn(&["install", "-o", "json"]);
    wait_for_staging(&c.roots, "flink-", 4 << 20, &mut child);
    assert!(kill_ssh_connections(&c.sshd) > 0);
    let out = child.wait_with_output().unwrap();
    assert_ne!(out.status.code(), Some(0), "{}", show(&out));
    for (i, root) in c.roots.iter().enumerate() {
        let dist = root.join("flink-2.1.0");
        assert!(
            !dist.exists() || dist.join(".flinkha-installed").exists(),
            "host {i}: an unfinished distribution is in place"
        );
        assert!(
            !dist.exists() || std::fs::read_link(root.join("current")).is_ok(),
            "host {i}"
        );
    }
    let (code, v) = c.json(&["install"]);
    assert_eq!(code, 0, "rerun: {v}");
    for root in &c.roots {
        assert_eq!(
            std::fs::read_link(root.join("current")).unwrap().to_str(),
            Some("flink-2.1.0")
        );
    }

    // A reinstall over that install (another 40 MiB distribution, another digest), its
    // connections cut while the hosts unpack it: every host keeps a whole, active
    // distribution (the old one, or the new one where the host's script got to finish on
    // its own), and a rerun installs the new one everywhere. The unpack takes a fraction of
    // a second: a try that did not see it under way is made again with another digest.
    let digest_of = |tgz: &str| {
        std::fs::read_to_string(format!("{tgz}.sha512"))
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_string()
    };
    let installed = |root: &std::path::Path| {
        std::fs::read_to_string(root.join("flink-2.1.0/.flinkha-installed"))
            .map(|m| m.trim().to_string())
            .unwrap_or_default()
    };
    let mut old = digest_of(&tgz);
    assert!(c.roots.iter().all(|r| installed(r) == old));
    let mut current = tgz.clone();
    let mut cut = false;
    for attempt in 0..4 {
        let next = fake_incompressible_distribution(&c.dir.path().join(format!("re{attempt}")), 40);
        c.edit_inventory(|s| {
            s.replace(
                &format!("    path: {current}\n"),
                &format!("    path: {next}\n"),
            )
        });
        current = next;
        let mut child = c.spawn(&["install", "-o", "json"]);
        if !wait_for_unpack(&c.roots, &mut child) {
            let out = child.wait_with_output().unwrap();
            assert_eq!(out.status.code(), Some(0), "{}", show(&out));
            old = digest_of(&current);
            continue;
        }
        assert!(kill_ssh_connections(&c.sshd) > 0);
        let out = child.wait_with_output().unwrap();
        eprintln!(
            "reinstall cut during the unpack (try {attempt}): flinkha exit {:?}",
            out.status.code()
        );
        cut = true;
        break;
    }
    assert!(cut, "no try saw an unpack under way");
    // The hosts' scripts may go on after their connection died: wait until none runs.
    let deadline = Instant::now() + Duration::from_secs(60);
    while c.roots.iter().any(|r| process_mentions(r)) {
        assert!(
            Instant::now() < deadline,
            "install scripts still running after 60 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let new = digest_of(&current);
    for (i, root) in c.roots.iter().enumerate() {
        let has = installed(root);
        eprintln!(
            "host {i} after the cut: {}",
            if has == new {
                "the new distribution"
            } else {
                "the old distribution"
            }
        );
        assert!(
            has == old || has == new,
            "host {i}: the active distribution is neither the old ({old}) nor the new ({new}) one: {has:?}"
        );
        assert_eq!(
            std::fs::read_link(root.join("current")).unwrap().to_str(),
            Some("flink-2.1.0"),
            "host {i}"
        );
        assert_eq!(
            std::fs::metadata(root.join("flink-2.1.0/lib/filler.bin"))
                .unwrap()
                .len(),
            40 << 20,
            "host {i}: the active distribution is whole"
        );
    }
    let (code, v) = c.json(&["install"]);
    assert_eq!(code, 0, "rerun after the cut reinstall: {v}");
    assert!(c.roots.iter().all(|r| installed(r) == new), "{v}");

    // Host h3 moves to a 60 MiB file system: a sync fits, and the 40 MiB tarball, but not
    // the tarball and its unpacked 40 MiB.
    let small = c.dir.path().join("small-root");
    let _tmpfs = Tmpfs::mount(&small, 60);
    let old_root = c.roots[2].display().to_string();
    c.edit_inventory(|s| s.replace(&old_root, &small.display().to_string()));
    assert_eq!(c.json(&["sync"]).0, 0);
    let tree_before = walk(&small);
    let (code, v) = c.json(&["install"]);
    assert_ne!(code, 0, "{v}");
    let hosts = host_results(&v);
    let h3 = hosts.iter().find(|(h, _, _)| h == "h3").unwrap();
    assert!(!h3.1, "{v}");
    assert!(
        h3.2.contains("No space left on device"),
        "the cause is named: {}",
        h3.2
    );
    assert!(
        hosts
            .iter()
            .filter(|(h, ..)| h != "h3")
            .all(|(_, ok, _)| *ok),
        "{v}"
    );
    assert!(!small.join("flink-2.1.0").exists());
    assert!(std::fs::read_link(small.join("current")).is_err());
    assert_eq!(
        walk(&small),
        tree_before,
        "h3 left as it was (staging removed)"
    );

    // Now fill it up: a sync that needs space fails on h3 and leaves its files alone.
    let filler = small.join("filler");
    let _ = Command::new("dd")
        .args(["if=/dev/zero", "bs=1M"])
        .arg(format!("of={}", filler.display()))
        .output()
        .unwrap();
    let before = std::fs::read_to_string(small.join("conf/config.yaml")).unwrap();
    set_marker("v4");
    let (code, v) = c.json(&["sync"]);
    assert_ne!(code, 0, "{v}");
    let hosts = host_results(&v);
    let h3 = hosts.iter().find(|(h, _, _)| h == "h3").unwrap();
    assert!(!h3.1 && h3.2.contains("No space left on device"), "{v}");
    assert_eq!(
        std::fs::read_to_string(small.join("conf/config.yaml")).unwrap(),
        before
    );
    assert!(live_cfg(0).contains("fault-test.marker: v4"));
}
