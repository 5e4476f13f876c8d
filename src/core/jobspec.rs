//! Job specs: everything needed to (re)submit one job exactly as it was submitted (jar and its
//! digest, entry class, args, parallelism, claim mode, ...), merged from a run target (a jar
//! path or a job declared in the inventory) and the command line's flags. The catalogue
//! records the spec of every run and copies it into the savepoints of that job, so `latest`
//! matches savepoints by what the job *is* (declared name, entry class, jar digest), not by a
//! jar path or a Flink job name.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::core::error::{Error, Result};
use crate::core::ops::jobs::RunTarget;
use crate::rest::jobs::ClaimMode;

/// Everything needed to (re)submit one job exactly as it was submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSpec {
    /// The inventory's `jobs.<name>` it came from, if any.
    pub declared: Option<String>,
    /// Absolute (canonical) path of the local jar.
    pub jar: String,
    /// SHA-256 (hex) of the jar when submitted.
    pub jar_sha256: String,
    /// Main class (`None`: the jar's manifest).
    pub entry_class: Option<String>,
    /// Program arguments.
    pub args: Vec<String>,
    /// Parallelism (`None`: the cluster's `parallelism.default`).
    pub parallelism: Option<u32>,
    /// Claim mode on restore.
    pub claim_mode: ClaimMode,
    /// Allow savepoint state that maps to no operator.
    pub allow_non_restored_state: bool,
    /// Savepoint target dir of this job (declared `savepoint_dir`), if any.
    pub savepoint_dir: Option<String>,
}

/// Flags given on the command line that override a declared job (all optional).
#[derive(Debug, Clone, Default)]
pub struct SpecOverrides {
    /// `--entry-class`.
    pub entry_class: Option<String>,
    /// Program arguments (after `--`); empty = keep the declared job's.
    pub args: Vec<String>,
    /// `--parallelism`.
    pub parallelism: Option<u32>,
    /// `--claim-mode`.
    pub claim_mode: Option<ClaimMode>,
    /// `--allow-non-restored-state` (only ever turns it on).
    pub allow_non_restored_state: bool,
}

/// SHA-256 of the file at `path`, as lower-case hex.
///
/// # Errors
/// [`Error::Io`] when it can't be read.
pub fn sha256_file(path: &Path) -> Result<String> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io(e)),
        }
    }
    Ok(hex::encode(h.finalize()))
}

/// The canonical path and digest of `jar`, or [`Error::Refused`] naming it.
fn hash_jar(jar: &Path) -> Result<(String, String)> {
    if !jar.is_file() {
        return Err(Error::Refused {
            message: format!(
                "jar {} does not exist (or is not a file): give the path of the job's jar",
                jar.display()
            ),
        });
    }
    let unreadable = |e: &dyn std::error::Error| Error::Refused {
        message: format!(
            "jar {} can't be read: {}",
            jar.display(),
            crate::core::error_chain(e)
        ),
    };
    let abs = std::fs::canonicalize(jar).map_err(|e| unreadable(&e))?;
    let digest = sha256_file(&abs).map_err(|e| unreadable(&e))?;
    Ok((abs.display().to_string(), digest))
}

impl JobSpec {
    /// Merge a run target (jar path or declared job) with CLI overrides; hashes the jar.
    /// Flags win over the declared job's values; args given replace the declared ones.
    ///
    /// # Errors
    /// Missing/unreadable jar ([`Error::Refused`] naming the path).
    pub fn resolve(target: &RunTarget<'_>, overrides: &SpecOverrides) -> Result<JobSpec> {
        let (declared, jar) = match target {
            RunTarget::Jar(p) => (None, p.as_path()),
            RunTarget::Declared(d) => (Some(*d), d.jar.as_path()),
        };
        let (jar, jar_sha256) = hash_jar(jar)?;
        let o = overrides;
        Ok(JobSpec {
            declared: declared.map(|d| d.name.clone()),
            jar,
            jar_sha256,
            entry_class: o
                .entry_class
                .clone()
                .or_else(|| declared.and_then(|d| d.entry_class.clone())),
            args: if o.args.is_empty() {
                declared.map(|d| d.args.clone()).unwrap_or_default()
            } else {
                o.args.clone()
            },
            parallelism: o
                .parallelism
                .or_else(|| declared.and_then(|d| d.parallelism)),
            claim_mode: o
                .claim_mode
                .or_else(|| declared.and_then(|d| d.claim_mode))
                .unwrap_or_default(),
            allow_non_restored_state: o.allow_non_restored_state
                || declared.is_some_and(|d| d.allow_non_restored_state),
            savepoint_dir: declared.and_then(|d| d.savepoint_dir.clone()),
        })
    }

    /// The same spec with the jar re-hashed now: [`Error::Refused`] when the jar is missing or
    /// its digest changed since `self` was recorded (message names the jar and both digests).
    ///
    /// # Errors
    /// As described.
    pub fn check_jar(&self) -> Result<()> {
        let jar = Path::new(&self.jar);
        if !jar.is_file() {
            return Err(Error::Refused {
                message: format!(
                    "jar {} does not exist (or is not a file) any more: the job was submitted from it with SHA-256 {}; put it back",
                    self.jar, self.jar_sha256
                ),
            });
        }
        let (_, now) = hash_jar(jar)?;
        if now != self.jar_sha256 {
            return Err(Error::Refused {
                message: format!(
                    "jar {} changed since the job was submitted from it: SHA-256 was {}, is now {}; put the original jar back (or submit the new one as a new job)",
                    self.jar, self.jar_sha256, now
                ),
            });
        }
        Ok(())
    }

    /// What `latest` matches on: (declared name, entry class, jar digest).
    pub fn identity(&self) -> (Option<&str>, Option<&str>, &str) {
        (
            self.declared.as_deref(),
            self.entry_class.as_deref(),
            &self.jar_sha256,
        )
    }

    /// `declared job counter` or `jar /a/b.jar`, with the entry class when set, for messages.
    pub fn describe(&self) -> String {
        let what = match &self.declared {
            Some(d) => format!("declared job {d} ({})", self.jar),
            None => format!("jar {}", self.jar),
        };
        match &self.entry_class {
            Some(e) => format!("{what}, entry class {e}"),
            None => what,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::DeclaredJob;

    fn declared(jar: &Path) -> DeclaredJob {
        DeclaredJob {
            name: "counter".into(),
            jar: jar.to_path_buf(),
            entry_class: Some("a.B".into()),
            args: vec!["--keys".into(), "4".into()],
            parallelism: Some(2),
            savepoint_dir: Some("file:///sp/counter".into()),
            claim_mode: Some(ClaimMode::Claim),
            allow_non_restored_state: false,
        }
    }

    #[test]
    fn flags_win_over_the_declared_job() {
        let dir = tempfile::tempdir().unwrap();
        let jar = dir.path().join("c.jar");
        std::fs::write(&jar, b"PK").unwrap();
        let d = declared(&jar);
        let o = JobSpec::resolve(&RunTarget::Declared(&d), &SpecOverrides::default()).unwrap();
        assert_eq!(o.declared.as_deref(), Some("counter"));
        assert_eq!(
            o.jar,
            std::fs::canonicalize(&jar).unwrap().display().to_string()
        );
        // `printf PK | sha256sum`
        assert_eq!(
            o.jar_sha256,
            "fcab7fcc2b4cffd9bb45003bfc2e468a04ef6f77ca8200a7341f027631584d25"
        );
        assert_eq!(o.entry_class.as_deref(), Some("a.B"));
        assert_eq!(o.args, ["--keys", "4"]);
        assert_eq!(o.parallelism, Some(2));
        assert_eq!(o.claim_mode, ClaimMode::Claim);
        assert!(!o.allow_non_restored_state);
        assert_eq!(o.savepoint_dir.as_deref(), Some("file:///sp/counter"));
        let o = JobSpec::resolve(
            &RunTarget::Declared(&d),
            &SpecOverrides {
                entry_class: Some("x.Y".into()),
                args: vec!["--keys".into(), "9".into()],
                parallelism: Some(3),
                claim_mode: Some(ClaimMode::NoClaim),
                allow_non_restored_state: true,
            },
        )
        .unwrap();
        assert_eq!(o.entry_class.as_deref(), Some("x.Y"));
        assert_eq!(o.args, ["--keys", "9"]);
        assert_eq!(o.parallelism, Some(3));
        assert_eq!(o.claim_mode, ClaimMode::NoClaim);
        assert!(o.allow_non_restored_state);
        let o = JobSpec::resolve(&RunTarget::Jar(jar.clone()), &SpecOverrides::default()).unwrap();
        assert_eq!(o.declared, None);
        assert_eq!(o.claim_mode, ClaimMode::NoClaim);
        assert_eq!(o.parallelism, None);
        assert_eq!(o.savepoint_dir, None);
        assert!(o.args.is_empty());
        assert_eq!(o.identity(), (None, None, o.jar_sha256.as_str()));
        o.check_jar().unwrap();
        std::fs::write(&jar, b"PK2").unwrap();
        let e = o.check_jar().unwrap_err().to_string();
        assert!(e.contains("changed since the job was submitted"), "{e}");
        assert!(
            e.contains(&o.jar_sha256) && e.contains(&sha256_file(&jar).unwrap()),
            "{e}"
        );
        std::fs::remove_file(&jar).unwrap();
        let e = o.check_jar().unwrap_err().to_string();
        assert!(e.contains(&format!("jar {} does not exist", o.jar)), "{e}");
        let e = JobSpec::resolve(&RunTarget::Jar(jar), &SpecOverrides::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("does not exist"), "{e}");
    }
}
