//! The savepoint catalogue: every savepoint flinkha makes (and every job it runs), recorded in
//! a local JSON state file so `latest` means something and nothing is tracked by hand.
//!
//! The file is `<inventory dir>/.flinkha/<cluster>.catalogue.json`. Writes are atomic (a temp
//! file in the same directory, fsync, rename, fsync of the directory) and serialised between
//! flinkha processes with an advisory lock (`flock`) on a `.lock` file beside it, so a crash
//! leaves the old or the new file, never half of one, and two concurrent commands don't lose
//! each other's records.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::{Error, Result};
use super::model::Cluster;

/// Version of the catalogue file format.
pub const FORMAT_VERSION: u32 = 1;

/// How a savepoint was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SavepointKind {
    /// `flinkha savepoint`: the job keeps running.
    Savepoint,
    /// `flinkha cancel -s`: cancel with savepoint.
    Cancel,
    /// `flinkha stop <job>`: stop with savepoint.
    Stop,
}

impl SavepointKind {
    /// Lower-case label.
    pub fn label(self) -> &'static str {
        match self {
            SavepointKind::Savepoint => "savepoint",
            SavepointKind::Cancel => "cancel",
            SavepointKind::Stop => "stop",
        }
    }
}

/// How a savepoint operation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Completed: the path is usable.
    Completed,
    /// Flink reported a failure (cause in `detail`).
    Failed,
    /// flinkha stopped waiting; it may still complete on the JobManager.
    TimedOut,
}

impl Outcome {
    /// Lower-case label, as in the file.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Completed => "completed",
            Outcome::Failed => "failed",
            Outcome::TimedOut => "timed-out",
        }
    }
}

/// One savepoint operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavepointRecord {
    /// Job id.
    pub job_id: String,
    /// Job name.
    pub job_name: String,
    /// When it ended, ms since the epoch.
    pub time_ms: u64,
    /// Savepoint path as Flink reports it (`file:/...`), when completed.
    pub path: Option<String>,
    /// Flink version of the cluster.
    pub flink_version: String,
    /// How it was taken.
    pub kind: SavepointKind,
    /// How it ended.
    pub outcome: Outcome,
    /// The trigger id used.
    pub trigger_id: String,
    /// Failure cause or other detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The jar the job was run from by flinkha, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jar: Option<String>,
    /// When `savepoints prune` disposed of it, ms since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposed_ms: Option<u64>,
}

impl SavepointRecord {
    /// Completed, with a path, and not disposed of: usable for a restore.
    pub fn usable(&self) -> bool {
        self.outcome == Outcome::Completed && self.path.is_some() && self.disposed_ms.is_none()
    }
}

/// One job started by `flinkha run`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Job id.
    pub job_id: String,
    /// Job name.
    pub job_name: String,
    /// Absolute path of the local jar.
    pub jar: String,
    /// When it was running, ms since the epoch.
    pub time_ms: u64,
    /// The savepoint it restored from (verified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_from: Option<String>,
}

/// The file's content.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogueData {
    /// [`FORMAT_VERSION`].
    #[serde(default)]
    pub version: u32,
    /// Savepoints, oldest first.
    #[serde(default)]
    pub savepoints: Vec<SavepointRecord>,
    /// Runs, oldest first.
    #[serde(default)]
    pub runs: Vec<RunRecord>,
}

impl CatalogueData {
    /// Usable savepoints to dispose of: per job name, all but the newest `keep` (at least 1
    /// is always kept), and of those only the ones older than `older_than_ms` when given.
    /// Returns indexes into [`CatalogueData::savepoints`], oldest first.
    pub fn prune_candidates(
        &self,
        keep: usize,
        older_than_ms: Option<u64>,
        now_ms: u64,
    ) -> Vec<usize> {
        let keep = keep.max(1);
        let mut out = Vec::new();
        let mut names: Vec<&str> = self
            .savepoints
            .iter()
            .map(|s| s.job_name.as_str())
            .collect();
        names.sort();
        names.dedup();
        for name in names {
            let idx: Vec<usize> = (0..self.savepoints.len())
                .filter(|i| self.savepoints[*i].job_name == name && self.savepoints[*i].usable())
                .collect();
            let n = idx.len().saturating_sub(keep);
            for i in &idx[..n] {
                let s = &self.savepoints[*i];
                if older_than_ms.is_none_or(|age| s.time_ms + age < now_ms) {
                    out.push(*i);
                }
            }
        }
        out.sort();
        out
    }

    /// The jar flinkha ran `job_id` from, if it did.
    pub fn jar_of(&self, job_id: &str) -> Option<&str> {
        self.runs
            .iter()
            .rev()
            .find(|r| r.job_id == job_id)
            .map(|r| r.jar.as_str())
    }

    /// The newest completed savepoint of a job run from `jar` (or, failing that, of a job
    /// named `job_name`).
    pub fn latest_completed(
        &self,
        jar: Option<&str>,
        job_name: Option<&str>,
    ) -> Option<&SavepointRecord> {
        let done = || self.savepoints.iter().rev().filter(|s| s.usable());
        if let Some(jar) = jar
            && let Some(s) = done().find(|s| s.jar.as_deref() == Some(jar))
        {
            return Some(s);
        }
        job_name.and_then(|n| done().find(|s| s.job_name == n))
    }
}

/// The catalogue of one cluster.
#[derive(Debug, Clone)]
pub struct Catalogue {
    path: PathBuf,
}

/// Milliseconds since the epoch, now.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Catalogue {
    /// The catalogue file of `cluster` (beside its inventory).
    pub fn for_cluster(cluster: &Cluster) -> Catalogue {
        let dir = cluster
            .inventory_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
            .join(".flinkha");
        Catalogue::at(dir.join(format!("{}.catalogue.json", cluster.name)))
    }

    /// A catalogue at `path`.
    pub fn at(path: PathBuf) -> Catalogue {
        Catalogue { path }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read the catalogue (empty when the file does not exist yet).
    ///
    /// # Errors
    /// [`Error::Io`] when unreadable; [`Error::Refused`] when it is not a catalogue (a
    /// damaged file is never overwritten silently).
    pub fn load(&self) -> Result<CatalogueData> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(CatalogueData {
                    version: FORMAT_VERSION,
                    ..CatalogueData::default()
                });
            }
            Err(e) => return Err(io(&self.path)(e)),
        };
        serde_json::from_str(&text).map_err(|e| Error::Refused {
            message: format!(
                "{}: not a flinkha savepoint catalogue ({e}); move it aside (flinkha starts a new one) or repair it",
                self.path.display()
            ),
        })
    }

    /// Apply `f` to the catalogue under the lock and write it back atomically.
    ///
    /// # Errors
    /// As [`Catalogue::load`], or [`Error::Io`] when the directory or file can't be written.
    pub fn update(&self, f: impl FnOnce(&mut CatalogueData)) -> Result<()> {
        use std::os::fd::AsRawFd;
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let lock_path = self.path.with_extension("json.lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io(&lock_path))?;
        // SAFETY: flock on a descriptor we own; released when `lock` is closed.
        if unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) } != 0 {
            return Err(io(&lock_path)(std::io::Error::last_os_error()));
        }
        let mut data = self.load()?;
        data.version = FORMAT_VERSION;
        f(&mut data);
        let text = serde_json::to_string_pretty(&data).unwrap_or_default();
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io(dir))?;
        tmp.write_all(text.as_bytes()).map_err(io(tmp.path()))?;
        tmp.as_file().sync_all().map_err(io(&self.path))?;
        tmp.persist(&self.path)
            .map_err(|e| io(&self.path)(e.error))?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        drop(lock);
        Ok(())
    }

    /// Append a savepoint record.
    ///
    /// # Errors
    /// As [`Catalogue::update`].
    pub fn record_savepoint(&self, rec: SavepointRecord) -> Result<()> {
        self.update(|d| d.savepoints.push(rec))
    }

    /// Append a run record.
    ///
    /// # Errors
    /// As [`Catalogue::update`].
    pub fn record_run(&self, rec: RunRecord) -> Result<()> {
        self.update(|d| d.runs.push(rec))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(job: &str, jar: Option<&str>, outcome: Outcome, path: &str) -> SavepointRecord {
        SavepointRecord {
            job_id: job.into(),
            job_name: "counter".into(),
            time_ms: now_ms(),
            path: Some(path.into()),
            flink_version: "2.1.0".into(),
            kind: SavepointKind::Savepoint,
            outcome,
            trigger_id: "t".into(),
            detail: None,
            jar: jar.map(str::to_string),
            disposed_ms: None,
        }
    }

    #[test]
    fn records_survive_and_latest_skips_failures() {
        let dir = tempfile::tempdir().unwrap();
        let c = Catalogue::at(dir.path().join("sub/x.catalogue.json"));
        assert!(c.load().unwrap().savepoints.is_empty());
        c.record_savepoint(sp("j1", Some("/a.jar"), Outcome::Completed, "file:/sp/1"))
            .unwrap();
        c.record_savepoint(sp("j1", Some("/a.jar"), Outcome::Failed, "file:/sp/2"))
            .unwrap();
        c.record_savepoint(sp("j2", Some("/b.jar"), Outcome::Completed, "file:/sp/3"))
            .unwrap();
        let d = c.load().unwrap();
        assert_eq!(d.savepoints.len(), 3);
        assert_eq!(
            d.latest_completed(Some("/a.jar"), None)
                .unwrap()
                .path
                .as_deref(),
            Some("file:/sp/1")
        );
        assert_eq!(
            d.latest_completed(None, Some("counter"))
                .unwrap()
                .path
                .as_deref(),
            Some("file:/sp/3")
        );
        assert!(d.latest_completed(Some("/c.jar"), Some("other")).is_none());
        // No temp files left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| n.starts_with("x.catalogue.json")),
            "{names:?}"
        );
    }

    #[test]
    fn prune_keeps_the_newest_per_job_and_respects_age() {
        let mut d = CatalogueData::default();
        for (i, name) in ["a", "a", "b", "a", "b"].iter().enumerate() {
            let mut r = sp("j", None, Outcome::Completed, &format!("file:/sp/{i}"));
            r.job_name = name.to_string();
            r.time_ms = i as u64 * 1000;
            d.savepoints.push(r);
        }
        d.savepoints[1].outcome = Outcome::Failed;
        assert_eq!(d.prune_candidates(1, None, 10_000), vec![0, 2]);
        assert_eq!(d.prune_candidates(0, None, 10_000), vec![0, 2]);
        assert_eq!(d.prune_candidates(2, None, 10_000), Vec::<usize>::new());
        // Only older than 8.5 s at t=10 s: index 0 (t=0) and 2 (t=2 s) both qualify; with
        // 9.5 s only index 0.
        assert_eq!(d.prune_candidates(1, Some(9_500), 10_000), vec![0]);
        d.savepoints[0].disposed_ms = Some(1);
        assert_eq!(d.prune_candidates(1, None, 10_000), vec![2]);
    }

    #[test]
    fn a_damaged_file_is_refused_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.json");
        std::fs::write(&p, "{not json").unwrap();
        let c = Catalogue::at(p.clone());
        let e = c.record_run(RunRecord {
            job_id: "j".into(),
            job_name: "n".into(),
            jar: "/a.jar".into(),
            time_ms: 0,
            restored_from: None,
        });
        assert!(e.unwrap_err().to_string().contains("move it aside"));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "{not json");
    }
}
