//! Online backups of the SQLite database, and restoring one.
//!
//! A backup is SQLite's online backup API run in one step: it reads the whole database inside
//! one read transaction, so in WAL mode writers carry on and the copy is the database as it was
//! when the step began (every transaction committed before it is in). Each copy is written
//! under a temporary name, turned into a self-contained rollback-journal file, checked with
//! `PRAGMA integrity_check`, fsynced and only then renamed into place.
//!
//! The platform key is not in the database: a backup restores relay keys and wallet URLs only
//! together with `PLATFORM_KEY` or `DATA_DIR/platform.key`.

use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;

/// The migrations this binary knows; a backup with any other is from a newer version.
static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// Scheduled backups are named `caravel-<UTC time>.db`; only those are pruned.
const PREFIX: &str = "caravel-";
const SUFFIX: &str = ".db";
/// Written by the scheduler when a backup fails, removed when one succeeds.
const FAILURE_FILE: &str = "last-failure.txt";

/// The database file `DATABASE_URL` names.
pub fn database_path(url: &str) -> anyhow::Result<PathBuf> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("DATABASE_URL {url:?} is not a sqlite:// URL"))?;
    Ok(options.get_filename().to_path_buf())
}

/// One backup file.
#[derive(Debug, Clone)]
pub struct BackupFile {
    pub path: PathBuf,
    /// When it was written (the file's modification time, unix seconds).
    pub taken_at: i64,
    pub bytes: u64,
}

impl BackupFile {
    fn stat(path: PathBuf) -> anyhow::Result<Self> {
        let meta = fs::metadata(&path).with_context(|| format!("reading {}", path.display()))?;
        let taken_at = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs() as i64);
        Ok(Self {
            path,
            taken_at,
            bytes: meta.len(),
        })
    }

    pub fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Copies the live database at `db` to `dest` without stopping writers. Blocking.
pub fn write(db: &Path, dest: &Path) -> anyhow::Result<BackupFile> {
    if !db.exists() {
        bail!("there is no database at {}", db.display());
    }
    copy_checked(db, dest)?;
    BackupFile::stat(dest.to_path_buf())
}

/// `src` copied to `dest` atomically: temporary name, integrity check, fsync, rename.
fn copy_checked(src: &Path, dest: &Path) -> anyhow::Result<()> {
    let name = dest
        .file_name()
        .with_context(|| format!("{} names no file", dest.display()))?
        .to_string_lossy();
    let folder = parent(dest);
    fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    let partial = folder.join(format!(".{name}.partial"));
    remove_with_sidecars(&partial)?;
    let result = (|| {
        let source = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .with_context(|| format!("opening {}", src.display()))?;
        source.busy_timeout(Duration::from_secs(10))?;
        source.pragma_update(None, "query_only", true)?;
        let mut copy = Connection::open(&partial)
            .with_context(|| format!("creating {}", partial.display()))?;
        copy_all(&source, &mut copy)?;
        drop(source);
        // The source's header says WAL; a backup should be one self-contained file.
        let mode: String = copy.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("delete") {
            bail!("could not switch the copy to rollback-journal mode (got {mode})");
        }
        check_integrity(&copy).context("checking the copy")?;
        copy.close().map_err(|(_, e)| e)?;
        File::open(&partial)?.sync_all()?;
        fs::rename(&partial, dest)?;
        sync_dir(folder)
    })();
    if result.is_err() {
        let _ = remove_with_sidecars(&partial);
    }
    result.with_context(|| format!("writing {}", dest.display()))
}

/// Runs the backup in one step, so it reads one snapshot; retries while the source is busy
/// (a WAL recovery, or another process holding an exclusive lock).
fn copy_all(source: &Connection, copy: &mut Connection) -> anyhow::Result<()> {
    let backup = Backup::new(source, copy)?;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More | StepResult::Busy | StepResult::Locked => {
                if Instant::now() > deadline {
                    bail!("the database stayed locked for 60 s");
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            _ => bail!("unexpected backup step result"),
        }
    }
}

/// `PRAGMA integrity_check` answers one row, `ok`, or the problems it found.
fn check_integrity(conn: &Connection) -> anyhow::Result<()> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if rows != ["ok"] {
        bail!("integrity check failed: {}", rows.join("; "));
    }
    Ok(())
}

fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Makes a rename in `dir` durable.
fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("syncing the folder {}", dir.display()))
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_with_sidecars(path: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let file = sidecar(path, suffix);
        match fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("removing {}", file.display()));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The scheduled backups in `dir`, newest first.
pub fn list(dir: &Path) -> anyhow::Result<Vec<BackupFile>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("listing {}", dir.display())),
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(PREFIX) && n.ends_with(SUFFIX))
        .collect();
    // The UTC time in the name sorts as text.
    names.sort_unstable_by(|a, b| b.cmp(a));
    names
        .into_iter()
        .map(|n| BackupFile::stat(dir.join(n)))
        .collect()
}

/// The scheduler's last failure in `dir`, if the latest attempt failed: (unix time, error).
pub fn last_failure(dir: &Path) -> Option<(i64, String)> {
    let file = BackupFile::stat(dir.join(FAILURE_FILE)).ok()?;
    let text = fs::read_to_string(&file.path).ok()?;
    Some((file.taken_at, text.trim().to_string()))
}

/// Writes a scheduled backup into `dir` and, once it is checked and in place, prunes all but
/// the newest `keep`. Blocking.
pub fn take_scheduled(db: &Path, dir: &Path, keep: usize) -> anyhow::Result<BackupFile> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let written = write(db, &dir.join(format!("{PREFIX}{stamp}{SUFFIX}")))?;
    for old in list(dir)?.into_iter().skip(keep.max(1)) {
        fs::remove_file(&old.path).with_context(|| format!("pruning {}", old.path.display()))?;
    }
    Ok(written)
}

/// The scheduled backups' settings.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub db: PathBuf,
    pub dir: PathBuf,
    pub interval: Duration,
    pub keep: usize,
}

/// The wait before the first scheduled backup after start, so a restart loop does not
/// copy the database each time and start-up is not slowed.
const FIRST_DELAY: Duration = Duration::from_secs(60);

impl Schedule {
    /// Backs up every `interval` (the first one `interval` after the newest backup on disk)
    /// until `stop` turns true. A failure is logged, written to `last-failure.txt` for the
    /// admin area, and retried after a tenth of the interval.
    pub async fn run(self, mut stop: tokio::sync::watch::Receiver<bool>) {
        let mut wait = self.first_wait();
        loop {
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.wait_for(|s| *s) => return,
            }
            let job = self.clone();
            let started = Instant::now();
            let result =
                tokio::task::spawn_blocking(move || take_scheduled(&job.db, &job.dir, job.keep))
                    .await
                    .map_err(anyhow::Error::from)
                    .and_then(|r| r);
            let failure = self.dir.join(FAILURE_FILE);
            match result {
                Ok(file) => {
                    let _ = fs::remove_file(&failure);
                    tracing::info!(
                        file = %file.path.display(),
                        bytes = file.bytes,
                        ms = started.elapsed().as_millis() as u64,
                        "backed up the database"
                    );
                    wait = self.interval;
                }
                Err(e) => {
                    let error = format!("{e:#}");
                    tracing::error!(%error, "scheduled backup failed");
                    let _ = fs::create_dir_all(&self.dir);
                    let _ = fs::write(&failure, &error);
                    wait = (self.interval / 10).max(Duration::from_secs(60));
                }
            }
        }
    }

    fn first_wait(&self) -> Duration {
        let newest = list(&self.dir).ok().and_then(|l| l.first().cloned());
        let since = newest
            .and_then(|b| {
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .ok()
                    .map(|now| (b, now))
            })
            .map(|(b, now)| now.saturating_sub(Duration::from_secs(b.taken_at.max(0) as u64)));
        let due = match since {
            Some(age) => self.interval.saturating_sub(age),
            None => Duration::ZERO,
        };
        due.max(FIRST_DELAY.min(self.interval))
    }
}

/// An exclusive advisory lock on `<database>.lock`, held for as long as a server uses the
/// database. The kernel releases it when the process ends, even by a crash, so it never
/// goes stale.
#[derive(Debug)]
pub struct DatabaseLock {
    _file: File,
}

impl DatabaseLock {
    pub fn acquire(db: &Path) -> anyhow::Result<Self> {
        let path = sidecar(db, ".lock");
        fs::create_dir_all(parent(&path))
            .with_context(|| format!("creating the folder of {}", path.display()))?;
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("opening the lock file {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => bail!(
                "another Caravel process is using the database {} (it holds {}); stop it first",
                db.display(),
                path.display()
            ),
            Err(TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("locking {}", path.display()))
            }
        }
    }
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    /// The newest migration in the backup, and the one it was brought up to.
    pub from_version: i64,
    pub to_version: i64,
    /// Where the database that was in place went (`None`: there was none).
    pub kept_aside: Option<PathBuf>,
}

/// Replaces the database `url` names with the backup `file`: refuses while a server uses
/// the database, checks the backup's integrity and migrations, keeps the current database
/// aside as `<name>.before-restore-<time>`, and puts it back if the restored one does not
/// open and migrate.
pub async fn restore(url: &str, file: &Path) -> anyhow::Result<Restored> {
    let db = database_path(url)?;
    let _lock = DatabaseLock::acquire(&db)?;
    let (staged, from_version, to_version) = {
        let (db, file) = (db.clone(), file.to_path_buf());
        tokio::task::spawn_blocking(move || stage(&db, &file)).await??
    };
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let aside = sidecar(&db, &format!(".before-restore-{stamp}"));
    let kept_aside = move_with_sidecars(&db, &aside)?.then_some(aside);
    let opened = async {
        fs::rename(&staged, &db)
            .with_context(|| format!("moving the restored database to {}", db.display()))?;
        sync_dir(parent(&db))?;
        let pool = super::connect(url)
            .await
            .context("opening the restored database")?;
        pool.close().await;
        anyhow::Ok(())
    }
    .await;
    if let Err(e) = opened {
        let _ = remove_with_sidecars(&db);
        let _ = remove_with_sidecars(&staged);
        if let Some(aside) = &kept_aside {
            move_with_sidecars(aside, &db)
                .context("putting the previous database back after a failed restore")?;
        }
        return Err(e);
    }
    Ok(Restored {
        from_version,
        to_version,
        kept_aside,
    })
}

/// Checks the backup and copies it next to the database; returns the copy and the
/// backup's and this binary's newest migration.
fn stage(db: &Path, file: &Path) -> anyhow::Result<(PathBuf, i64, i64)> {
    if !file.is_file() {
        bail!("there is no backup file at {}", file.display());
    }
    let backup = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("opening {}", file.display()))?;
    check_integrity(&backup).with_context(|| format!("checking {}", file.display()))?;
    let applied = applied_migrations(&backup)
        .with_context(|| format!("{} is not a Caravel database", file.display()))?;
    drop(backup);
    let known: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
    if let Some(unknown) = applied.iter().find(|v| !known.contains(v)) {
        bail!(
            "{} is from a newer Caravel (it has migration {unknown}, this binary knows up to {}); restore it with that version",
            file.display(),
            known.iter().max().copied().unwrap_or(0)
        );
    }
    let staged = sidecar(db, ".restoring");
    copy_checked(file, &staged)?;
    let from = applied.iter().max().copied().unwrap_or(0);
    let to = known.iter().max().copied().unwrap_or(0);
    Ok((staged, from, to))
}

fn applied_migrations(conn: &Connection) -> anyhow::Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT version FROM _sqlx_migrations WHERE success = 1")?;
    let versions = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(versions)
}

/// Renames the database `from` and its WAL files to `to`; `false` when there was none.
fn move_with_sidecars(from: &Path, to: &Path) -> anyhow::Result<bool> {
    if !from.exists() {
        return Ok(false);
    }
    // The WAL may hold committed transactions: it moves with its database, same suffix.
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let (a, b) = (sidecar(from, suffix), sidecar(to, suffix));
        if a.exists() {
            fs::rename(&a, &b)
                .with_context(|| format!("renaming {} to {}", a.display(), b.display()))?;
        }
    }
    sync_dir(parent(from))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_is_exclusive_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caravel.db");
        let held = DatabaseLock::acquire(&db).unwrap();
        let err = DatabaseLock::acquire(&db).unwrap_err().to_string();
        assert!(err.contains("another Caravel process"), "{err}");
        drop(held);
        DatabaseLock::acquire(&db).unwrap();
    }

    #[test]
    fn scheduled_backups_are_checked_and_pruned_to_keep() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("live.db");
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch("PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
        let backups = dir.path().join("backups");
        for i in 0..3 {
            let old = backups.join(format!("{PREFIX}2020010{i}T000000Z{SUFFIX}"));
            write(&db, &old).unwrap();
        }
        let newest = take_scheduled(&db, &backups, 2).unwrap();
        let kept = list(&backups).unwrap();
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].path, newest.path);
        assert!(kept[1].name().contains("20200102"));
        let copy = Connection::open(&newest.path).unwrap();
        let x: i64 = copy.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(x, 1);
        let mode: String = copy
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
    }
}
