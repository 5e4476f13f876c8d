//! The savepoint catalogue: every savepoint flinkha makes (and every job it runs), recorded in
//! a local JSON state file so `latest` means something and nothing is tracked by hand.
//!
//! The file is `<inventory dir>/.flinkha/<cluster>.catalogue.json`. Writes are atomic (a temp
//! file in the same directory, fsync, rename, fsync of the directory) and serialised between
//! flinkha processes with an advisory lock (`flock`) on a `.lock` file beside it, so a crash
//! leaves the old or the new file, never half of one, and two concurrent commands don't lose
//! each other's records.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::{Error, Result};
use super::jobspec::JobSpec;
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
    /// The jar the job was run from by flinkha, when known (kept for readers of older
    /// files; [`SavepointRecord::spec`] says it all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jar: Option<String>,
    /// When `savepoints prune` disposed of it, ms since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposed_ms: Option<u64>,
    /// The spec of the job it was taken of: copied from the newest [`RunRecord`] of that job
    /// id (`None` for jobs flinkha did not run, and in files of older flinkha versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<JobSpec>,
}

impl SavepointRecord {
    /// Completed, with a path, and not disposed of: usable for a restore.
    pub fn usable(&self) -> bool {
        self.outcome == Outcome::Completed && self.path.is_some() && self.disposed_ms.is_none()
    }
}

/// How far a run got, as far as flinkha saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunState {
    /// The JobManager accepted the submission; the job was not (yet) seen RUNNING (also what
    /// stays recorded when flinkha stopped waiting for it).
    Submitted,
    /// Every vertex was seen RUNNING; a requested restore is not verified (yet). Files of
    /// older flinkha versions, which recorded runs only once RUNNING, read as this.
    #[default]
    Running,
    /// Every check of `run` passed: every vertex RUNNING and, when restoring, the restore
    /// verified against `latest.restored` (then `restored_from` is set).
    Verified,
    /// The job went FAILED/CANCELED/FINISHED instead of RUNNING, or restored from something
    /// else than requested (`detail` says which).
    Failed,
}

impl RunState {
    /// Lower-case label, as in the file.
    pub fn label(self) -> &'static str {
        match self {
            RunState::Submitted => "submitted",
            RunState::Running => "running",
            RunState::Verified => "verified",
            RunState::Failed => "failed",
        }
    }
}

/// One job submitted by `flinkha run`: recorded as soon as the JobManager accepted it, and
/// updated (same job id) as `run` learns more.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Job id.
    pub job_id: String,
    /// Job name (empty until Flink reported it).
    pub job_name: String,
    /// Absolute path of the local jar.
    pub jar: String,
    /// When it reached `state`, ms since the epoch.
    pub time_ms: u64,
    /// The savepoint it restored from (verified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_from: Option<String>,
    /// What was submitted (`None` in files of older flinkha versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<JobSpec>,
    /// How far it got.
    #[serde(default)]
    pub state: RunState,
    /// Why it failed, or what is not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Why `--from-savepoint latest` has no single answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LatestError {
    /// Usable savepoints of the same job spec come from Flink jobs of different names: which
    /// one is meant is not for flinkha to guess.
    #[error(
        "`latest` is ambiguous: the usable savepoints of jobs with this spec come from {} differently named Flink jobs ({}); pass the savepoint path instead (--from-savepoint PATH), newest first: {}",
        names.len(),
        names.join(", "),
        paths.join(", ")
    )]
    Ambiguous {
        /// The distinct Flink job names, newest first.
        names: Vec<String>,
        /// The candidates' paths, newest first.
        paths: Vec<String>,
    },
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

    /// The newest run record of `job_id`.
    pub fn run_of(&self, job_id: &str) -> Option<&RunRecord> {
        self.runs.iter().rev().find(|r| r.job_id == job_id)
    }

    /// The spec `job_id` was submitted with: of the newest run record of that job id that
    /// has one.
    pub fn spec_of(&self, job_id: &str) -> Option<&JobSpec> {
        self.runs
            .iter()
            .rev()
            .filter(|r| r.job_id == job_id)
            .find_map(|r| r.spec.as_ref())
    }

    /// What `--from-savepoint latest` means for `spec`: the newest usable savepoint whose
    /// recorded spec has the same [`JobSpec::identity`] (declared name, entry class, jar
    /// digest). Savepoints recorded without a spec (jobs flinkha did not run, files of older
    /// versions) never match.
    ///
    /// # Errors
    /// [`LatestError::Ambiguous`] when the candidates come from more than one Flink job name.
    pub fn latest_for(&self, spec: &JobSpec) -> Result<Option<&SavepointRecord>, LatestError> {
        let id = spec.identity();
        let candidates: Vec<&SavepointRecord> = self
            .savepoints
            .iter()
            .rev()
            .filter(|s| s.usable())
            .filter(|s| s.spec.as_ref().is_some_and(|r| r.identity() == id))
            .collect();
        let mut names: Vec<String> = Vec::new();
        for s in &candidates {
            if !names.contains(&s.job_name) {
                names.push(s.job_name.clone());
            }
        }
        if names.len() > 1 {
            return Err(LatestError::Ambiguous {
                names,
                paths: candidates.iter().filter_map(|s| s.path.clone()).collect(),
            });
        }
        Ok(candidates.first().copied())
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

impl Catalogue {
    /// The catalogue file of `cluster` (beside its inventory).
    pub fn for_cluster(cluster: &Cluster) -> Catalogue {
        Catalogue::at(
            super::statefile::state_dir(cluster).join(format!("{}.catalogue.json", cluster.name)),
        )
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
        let Some(text) = super::statefile::read(&self.path)? else {
            return Ok(CatalogueData {
                version: FORMAT_VERSION,
                ..CatalogueData::default()
            });
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
        let _lock = super::statefile::lock(&self.path)?;
        let mut data = self.load()?;
        data.version = FORMAT_VERSION;
        f(&mut data);
        let text = serde_json::to_string_pretty(&data).unwrap_or_default();
        super::statefile::write_atomic(&self.path, text.as_bytes())
    }

    /// Append a savepoint record.
    ///
    /// # Errors
    /// As [`Catalogue::update`].
    pub fn record_savepoint(&self, rec: SavepointRecord) -> Result<()> {
        self.update(|d| d.savepoints.push(rec))
    }

    /// Record a run: replaces the newest record of the same job id (a job id is submitted
    /// once: Flink refuses a second submission), else appends.
    ///
    /// # Errors
    /// As [`Catalogue::update`].
    pub fn record_run(&self, rec: RunRecord) -> Result<()> {
        self.update(
            |d| match d.runs.iter_mut().rev().find(|r| r.job_id == rec.job_id) {
                Some(r) => *r = rec,
                None => d.runs.push(rec),
            },
        )
    }

    /// Apply `f` to the newest run record of `job_id` (nothing when there is none), and set
    /// its `time_ms` to now.
    ///
    /// # Errors
    /// As [`Catalogue::update`].
    pub fn update_run(&self, job_id: &str, f: impl FnOnce(&mut RunRecord)) -> Result<()> {
        self.update(|d| {
            if let Some(r) = d.runs.iter_mut().rev().find(|r| r.job_id == job_id) {
                f(r);
                r.time_ms = now_ms();
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rest::jobs::ClaimMode;

    fn spec(declared: Option<&str>, entry: Option<&str>, sha: &str) -> JobSpec {
        JobSpec {
            declared: declared.map(str::to_string),
            jar: "/jobs/a.jar".into(),
            jar_sha256: sha.into(),
            entry_class: entry.map(str::to_string),
            args: vec![],
            parallelism: None,
            claim_mode: ClaimMode::NoClaim,
            allow_non_restored_state: false,
            savepoint_dir: None,
        }
    }

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
            spec: None,
        }
    }

    fn run(job: &str, spec: Option<JobSpec>, state: RunState) -> RunRecord {
        RunRecord {
            job_id: job.into(),
            job_name: String::new(),
            jar: "/jobs/a.jar".into(),
            time_ms: now_ms(),
            restored_from: None,
            spec,
            state,
            detail: None,
        }
    }

    /// A savepoint record of `job` as `savepoint` makes it: spec from the catalogue.
    fn sp_of(d: &CatalogueData, job: &str, name: &str, path: &str) -> SavepointRecord {
        let mut r = sp(job, d.jar_of(job), Outcome::Completed, path);
        r.job_name = name.into();
        r.spec = d.spec_of(job).cloned();
        r
    }

    #[test]
    fn records_survive_and_latest_skips_failures() {
        let dir = tempfile::tempdir().unwrap();
        let c = Catalogue::at(dir.path().join("sub/x.catalogue.json"));
        assert!(c.load().unwrap().savepoints.is_empty());
        let a = spec(None, None, "aa");
        let rec = |job, s: &JobSpec, outcome, path| {
            let mut r = sp(job, Some("/jobs/a.jar"), outcome, path);
            r.spec = Some(s.clone());
            c.record_savepoint(r).unwrap();
        };
        rec("j1", &a, Outcome::Completed, "file:/sp/1");
        rec("j1", &a, Outcome::Failed, "file:/sp/2");
        rec(
            "j2",
            &spec(None, None, "bb"),
            Outcome::Completed,
            "file:/sp/3",
        );
        let d = c.load().unwrap();
        assert_eq!(d.savepoints.len(), 3);
        let latest = d.latest_for(&a).unwrap().unwrap();
        assert_eq!(latest.path.as_deref(), Some("file:/sp/1"));
        assert!(d.latest_for(&spec(None, None, "cc")).unwrap().is_none());
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

    /// (a) A previous run of the same jar that timed out before RUNNING is recorded only as
    /// submitted: its savepoints still carry the spec, and `latest` finds them.
    #[test]
    fn savepoints_of_a_run_recorded_only_as_submitted_carry_its_spec() {
        let s = spec(Some("counter"), None, "aa");
        let mut d = CatalogueData::default();
        d.runs.push(run("j1", Some(s.clone()), RunState::Submitted));
        let rec = sp_of(&d, "j1", "flinkha-counter-job", "file:/sp/1");
        assert_eq!(rec.spec.as_ref(), Some(&s));
        assert_eq!(rec.jar.as_deref(), Some("/jobs/a.jar"));
        d.savepoints.push(rec);
        assert_eq!(
            d.latest_for(&s).unwrap().and_then(|r| r.path.as_deref()),
            Some("file:/sp/1")
        );
    }

    /// (b) Two declared jobs sharing one jar, with different entry classes or declared names:
    /// `latest` for one never returns the other's savepoint.
    #[test]
    fn latest_never_crosses_jobs_that_share_a_jar() {
        let a = spec(Some("a"), Some("x.A"), "aa");
        let b_class = spec(Some("a"), Some("x.B"), "aa");
        let b_name = spec(Some("b"), Some("x.A"), "aa");
        let mut d = CatalogueData::default();
        d.runs.push(run("ja", Some(a.clone()), RunState::Verified));
        d.runs
            .push(run("jb", Some(b_class.clone()), RunState::Verified));
        d.runs
            .push(run("jc", Some(b_name.clone()), RunState::Verified));
        let r = sp_of(&d, "ja", "job-a", "file:/sp/a");
        d.savepoints.push(r);
        let r = sp_of(&d, "jb", "job-b", "file:/sp/b");
        d.savepoints.push(r);
        let r = sp_of(&d, "jc", "job-c", "file:/sp/c");
        d.savepoints.push(r);
        // All three carry the same jar path: that alone no longer decides.
        assert!(
            d.savepoints
                .iter()
                .all(|s| s.jar.as_deref() == Some("/jobs/a.jar"))
        );
        let path = |s: &JobSpec| d.latest_for(s).unwrap().and_then(|r| r.path.clone());
        assert_eq!(path(&a).as_deref(), Some("file:/sp/a"));
        assert_eq!(path(&b_class).as_deref(), Some("file:/sp/b"));
        assert_eq!(path(&b_name).as_deref(), Some("file:/sp/c"));
        // Another build of the jar (other digest) is another job.
        assert_eq!(path(&spec(Some("a"), Some("x.A"), "zz")), None);
    }

    /// (c) A savepoint recorded with no job (no spec) is never returned by `latest`, even with
    /// the same job name and jar path.
    #[test]
    fn a_savepoint_without_a_spec_is_never_latest() {
        let s = spec(None, None, "aa");
        let mut d = CatalogueData::default();
        d.savepoints.push(sp(
            "j9",
            Some("/jobs/a.jar"),
            Outcome::Completed,
            "file:/sp/9",
        ));
        assert_eq!(d.latest_for(&s).unwrap(), None);
    }

    #[test]
    fn latest_refuses_to_choose_between_job_names() {
        let s = spec(Some("counter"), None, "aa");
        let mut d = CatalogueData::default();
        d.runs.push(run("j1", Some(s.clone()), RunState::Verified));
        d.runs.push(run("j2", Some(s.clone()), RunState::Verified));
        let r = sp_of(&d, "j1", "counter-eu", "file:/sp/1");
        d.savepoints.push(r);
        let r = sp_of(&d, "j2", "counter-us", "file:/sp/2");
        d.savepoints.push(r);
        let e = d.latest_for(&s).unwrap_err();
        assert_eq!(
            e,
            LatestError::Ambiguous {
                names: vec!["counter-us".into(), "counter-eu".into()],
                paths: vec!["file:/sp/2".into(), "file:/sp/1".into()],
            }
        );
        let m = e.to_string();
        assert!(m.contains("pass the savepoint path"), "{m}");
        assert!(m.contains("file:/sp/2, file:/sp/1"), "{m}");
        // Disposed of: no longer a candidate, no longer ambiguous.
        d.savepoints[1].disposed_ms = Some(1);
        let r = d.latest_for(&s).unwrap().unwrap();
        assert_eq!(r.path.as_deref(), Some("file:/sp/1"));
    }

    #[test]
    fn runs_are_updated_in_place_and_old_files_load() {
        let dir = tempfile::tempdir().unwrap();
        let c = Catalogue::at(dir.path().join("c.json"));
        let s = spec(None, None, "aa");
        c.record_run(run("j1", Some(s.clone()), RunState::Submitted))
            .unwrap();
        c.record_run(run("j2", None, RunState::Submitted)).unwrap();
        c.update_run("j1", |r| {
            r.state = RunState::Verified;
            r.job_name = "n".into();
        })
        .unwrap();
        c.record_run(run("j2", Some(s.clone()), RunState::Failed))
            .unwrap();
        let d = c.load().unwrap();
        assert_eq!(d.runs.len(), 2);
        assert_eq!(d.runs[0].state, RunState::Verified);
        assert_eq!(d.runs[0].job_name, "n");
        assert_eq!(d.runs[1].state, RunState::Failed);
        assert_eq!(d.spec_of("j2"), Some(&s));
        assert_eq!(d.spec_of("j3"), None);
        // A file written before specs and run states existed.
        let old = r#"{"version":1,"savepoints":[{"job_id":"j","job_name":"n","time_ms":1,"path":"file:/sp/1","flink_version":"2.1.0","kind":"cancel","outcome":"completed","trigger_id":"t","jar":"/a.jar"}],"runs":[{"job_id":"j","job_name":"n","jar":"/a.jar","time_ms":1}]}"#;
        std::fs::write(c.path(), old).unwrap();
        let d = c.load().unwrap();
        assert_eq!(d.runs[0].state, RunState::Running);
        assert_eq!(d.runs[0].spec, None);
        assert_eq!(d.savepoints[0].spec, None);
        assert_eq!(d.jar_of("j"), Some("/a.jar"));
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
        let e = c.record_run(run("j", None, RunState::Submitted));
        assert!(e.unwrap_err().to_string().contains("move it aside"));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "{not json");
    }
}
