//! flinkha's local state files (beside the inventory, under `.flinkha/`): written atomically
//! (temp file in the same directory, fsync, rename, fsync of the directory), so a crash leaves
//! the old or the new file, never half of one, and serialised between flinkha processes by an
//! advisory `flock` on a `.lock` file beside each.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::{Error, Result};
use super::model::Cluster;

/// `<inventory dir>/.flinkha`: where the catalogue, journals and deployment state live.
pub fn state_dir(cluster: &Cluster) -> PathBuf {
    cluster
        .inventory_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
        .join(".flinkha")
}

/// An [`Error::Io`] for `path`.
pub fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An exclusive advisory lock on `<path>.lock`, held until dropped.
pub struct FileLock(#[allow(dead_code)] std::fs::File);

/// Take the exclusive lock of the state file `path` (blocks while another flinkha holds it).
///
/// # Errors
/// [`Error::Io`] when the lock file can't be created.
pub fn lock(path: &Path) -> Result<FileLock> {
    use std::os::fd::AsRawFd;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    let lock_path = PathBuf::from(name);
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(io(&lock_path))?;
    // SAFETY: flock on a descriptor we own; released when the file is closed.
    if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) } != 0 {
        return Err(io(&lock_path)(std::io::Error::last_os_error()));
    }
    Ok(FileLock(f))
}

/// Replace `path` with `bytes` atomically (temp file beside it, fsync, rename, fsync of the
/// directory).
///
/// # Errors
/// [`Error::Io`] naming the file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io(dir))?;
    tmp.write_all(bytes).map_err(io(tmp.path()))?;
    tmp.as_file().sync_all().map_err(io(path))?;
    tmp.persist(path).map_err(|e| io(path)(e.error))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Read `path`, `None` when it does not exist.
///
/// # Errors
/// [`Error::Io`] for any other read failure.
pub fn read(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path)(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_reads_back() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("sub/state.json");
        assert_eq!(read(&p).unwrap(), None);
        let _l = lock(&p).unwrap();
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(read(&p).unwrap().as_deref(), Some("two"));
        let leftovers: Vec<_> = std::fs::read_dir(p.parent().unwrap())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}"); // the file and its .lock
    }
}
