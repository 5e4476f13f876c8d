//! CLI behaviour against a real sshd on 3 loopback hosts, without Flink daemons: per-host
//! failures, host keys, sync diffs and backups, config check findings, install from a URL,
//! and generated files that must not go stale.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
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
}

impl HttpServer {
    fn serve(dir: &Path) -> HttpServer {
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
            .stderr(Stdio::null())
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
        HttpServer { child, port }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A small tarball shaped like a Flink distribution (`flink-2.1.0/bin/config.sh`), so the URL
/// path is tested without moving 300 MB (the real tarball goes through tests/cluster.rs).
fn fake_distribution(dir: &Path) -> String {
    let tree = dir.join("tree/flink-2.1.0/bin");
    std::fs::create_dir_all(&tree).unwrap();
    std::fs::write(tree.join("config.sh"), "#!/bin/sh\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        tree.join("config.sh"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let www = dir.join("www");
    std::fs::create_dir_all(&www).unwrap();
    let tgz = www.join("flink-2.1.0-bin-scala_2.12.tgz");
    let st = Command::new("tar")
        .arg("czf")
        .arg(&tgz)
        .arg("-C")
        .arg(dir.join("tree"))
        .arg("flink-2.1.0")
        .status()
        .unwrap();
    assert!(st.success());
    let out = Command::new("sha512sum").arg(&tgz).output().unwrap();
    let digest = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    std::fs::write(
        www.join("flink-2.1.0-bin-scala_2.12.tgz.sha512"),
        format!("{digest}  flink-2.1.0-bin-scala_2.12.tgz\n"),
    )
    .unwrap();
    digest
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
    let run = |args: &[&str]| {
        Command::new(common::cluster::flinkha_bin())
            .arg("-c")
            .arg(&c.inventory)
            .args(args)
            .env("XDG_CACHE_HOME", &cache)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
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
    let mut out = Vec::new();
    let mut stack: Vec<std::path::PathBuf> = c.roots.clone();
    while let Some(d) = stack.pop() {
        out.push(d.display().to_string());
        if let Ok(rd) = std::fs::read_dir(&d) {
            stack.extend(rd.flatten().map(|e| e.path()));
        }
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

    // start / zk start: quorum, then JobManagers and TaskManagers together, health-gated.
    let (err, v) = plan(&["start", "--dry-run"], "start-plan");
    assert!(err.contains("start ZooKeepers on h1, h2, h3"), "{err}");
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2, "{v}");
    assert_eq!(steps[0]["id"], "start-daemons/zookeeper");
    assert_eq!(steps[0]["action"], "start-daemons");
    assert_eq!(
        steps[1]["roles"],
        serde_json::json!(["jobmanager", "taskmanager"])
    );
    assert!(
        steps[1]["title"]
            .as_str()
            .unwrap()
            .contains("JobManagers on h1, h2 and TaskManagers on h1, h2, h3"),
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
