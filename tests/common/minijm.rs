//! A mock leading JobManager (wiremock, on 127.0.0.1) and a small non-HA inventory whose
//! `masters` names it: for CLI tests that only need the REST job listing (pickers,
//! completions, a confirmation before a REST call). No sshd, no ZooKeeper, no Flink; the real
//! REST paths are covered against a real cluster in tests/jobs.rs.

use std::path::PathBuf;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A job the mock JobManager lists: id, name, state, start time (ms since the epoch).
pub type MockJob = (&'static str, &'static str, &'static str, i64);

/// Two running jobs and a finished one.
pub const JOBS: [MockJob; 3] = [
    (
        "a1b2c3d4e5f60718293a4b5c6d7e8f90",
        "counter-job",
        "RUNNING",
        1_700_000_000_000,
    ),
    (
        "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "enricher",
        "RUNNING",
        1_700_000_100_000,
    ),
    (
        "ffffeeeeddddccccbbbbaaaa99998888",
        "old-batch",
        "FINISHED",
        1_600_000_000_000,
    ),
];

/// The inventory dir, its mock JobManager (none: a `masters` port nobody listens on).
pub struct MiniCluster {
    /// Temp dir with `flinkha.yaml` and `conf/`.
    pub dir: tempfile::TempDir,
    /// The inventory file.
    pub inventory: PathBuf,
    /// The mock JobManager, when started.
    pub jm: Option<MockServer>,
    /// Runs the mocks' setup (the server itself runs on wiremock's own thread).
    pub rt: tokio::runtime::Runtime,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl MiniCluster {
    /// Hosts `h1` (127.0.0.1: JobManager, TaskManager), `h2` (127.0.0.2: TaskManager);
    /// `masters` names the mock JobManager serving `jobs` when `with_jm`, else a free port.
    pub fn new(with_jm: bool, jobs: &[MockJob]) -> MiniCluster {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let jm = with_jm.then(|| rt.block_on(mock_jm(jobs)));
        let port = jm
            .as_ref()
            .map(|s| s.address().port())
            .unwrap_or_else(free_port);
        let dir = tempfile::tempdir().unwrap();
        let conf = dir.path().join("conf");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::write(conf.join("config.yaml"), "parallelism:\n  default: 1\n").unwrap();
        std::fs::write(conf.join("masters"), format!("h1:{port}\n")).unwrap();
        std::fs::write(conf.join("workers"), "h1\nh2\n").unwrap();
        let inventory = dir.path().join("flinkha.yaml");
        std::fs::write(
            &inventory,
            "cluster: mini\nconf_dir: conf\nflink:\n  version: 2.1.0\nhosts:\n  h1:\n    address: 127.0.0.1\n  h2:\n    address: 127.0.0.2\n",
        )
        .unwrap();
        MiniCluster {
            dir,
            inventory,
            jm,
            rt,
        }
    }

    /// Write the savepoint catalogue (`.flinkha/mini.catalogue.json`) with these completed
    /// savepoints of job `counter-job`: (path, time in ms since the epoch).
    pub fn write_catalogue(&self, savepoints: &[(&str, u64)]) -> PathBuf {
        let recs: Vec<serde_json::Value> = savepoints
            .iter()
            .enumerate()
            .map(|(i, (p, t))| {
                serde_json::json!({
                    "job_id": JOBS[0].0,
                    "job_name": JOBS[0].1,
                    "time_ms": t,
                    "path": p,
                    "flink_version": "2.1.0",
                    "kind": "savepoint",
                    "outcome": "completed",
                    "trigger_id": format!("t{i}"),
                })
            })
            .collect();
        let dir = self.dir.path().join(".flinkha");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("mini.catalogue.json");
        std::fs::write(
            &file,
            serde_json::to_string_pretty(
                &serde_json::json!({"version": 1, "savepoints": recs, "runs": []}),
            )
            .unwrap(),
        )
        .unwrap();
        file
    }

    /// Requests the mock JobManager received to `method path`.
    pub fn received(&self, m: &str, p: &str) -> usize {
        let Some(jm) = &self.jm else { return 0 };
        self.rt
            .block_on(jm.received_requests())
            .unwrap_or_default()
            .iter()
            .filter(|r| r.method.as_str() == m && r.url.path() == p)
            .count()
    }
}

/// `/overview`, `/jobs/overview` with `jobs`, `/jobs/<id>` for each, and a savepoint
/// disposal that completes at once.
async fn mock_jm(jobs: &[MockJob]) -> MockServer {
    let l = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let s = MockServer::builder().listener(l).start().await;
    Mock::given(path("/overview"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "taskmanagers": 1, "slots-total": 1, "slots-available": 0,
            "jobs-running": 2, "flink-version": "2.1.0"
        })))
        .mount(&s)
        .await;
    let list: Vec<serde_json::Value> = jobs
        .iter()
        .map(|(id, name, state, start)| {
            let running = u32::from(*state == "RUNNING");
            serde_json::json!({"jid": id, "name": name, "state": state, "start-time": start, "duration": 1000,
                "tasks": {"total": 1, "running": running}})
        })
        .collect();
    Mock::given(path("/jobs/overview"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"jobs": list})))
        .mount(&s)
        .await;
    for (id, name, state, start) in jobs {
        Mock::given(method("GET"))
            .and(path(format!("/jobs/{id}/status")))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(serde_json::json!({"status": state})),
            )
            .mount(&s)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/jobs/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "jid": id, "name": name, "state": state, "start-time": start, "duration": 1000,
                "vertices": [{"id": "v1", "name": format!("Source: {name}"), "parallelism": 1, "status": state}]
            })))
            .mount(&s)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/savepoint-disposal"))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(serde_json::json!({"request-id": "r1"})),
        )
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/savepoint-disposal/r1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"status": {"id": "COMPLETED"}})),
        )
        .mount(&s)
        .await;
    s
}
