//! zooid's config directory, for a zooid on the same machine: one `<id>.toml` per relay.
//!
//! zooid reloads a relay on create and write events but ignores renames inside its
//! directory, so each file is written in a staging folder beside it and moved in whole:
//! a reader never sees half a file, and no temporary name is ever loaded as a relay.
//! The files hold relay secrets: only the owner (and zooid's group, when configured) may read
//! them, and staging files a crash left behind are removed at start-up.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::zooid_config::ZooidConfig;

pub struct ConfigDir {
    dir: PathBuf,
    staging: PathBuf,
    gid: Option<u32>,
}

impl ConfigDir {
    /// Opens (creating) the directory and its staging folder, readable by the owner and, with
    /// `gid`, by that group; removes staging files left by a crash.
    pub fn new(dir: &Path, gid: Option<u32>) -> anyhow::Result<Self> {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "zooid".into());
        let staging = dir
            .parent()
            .unwrap_or(Path::new("."))
            .join(format!(".{name}-staging"));
        for d in [dir, staging.as_path()] {
            std::fs::create_dir_all(d)
                .map_err(|e| anyhow::anyhow!("creating {}: {e}", d.display()))?;
            restrict(d, gid, true)
                .map_err(|e| anyhow::anyhow!("restricting access to {}: {e}", d.display()))?;
        }
        for entry in std::fs::read_dir(&staging)?.flatten() {
            let path = entry.path();
            if path.is_file() {
                match std::fs::remove_file(&path) {
                    Ok(()) => {
                        tracing::info!(path = %path.display(), "removed a stale staging file")
                    }
                    Err(e) => {
                        tracing::warn!(path = %path.display(), error = %e, "could not remove a stale staging file")
                    }
                }
            }
        }
        // Files written before access was restricted.
        for entry in std::fs::read_dir(dir)?.flatten() {
            if entry.path().extension().is_some_and(|e| e == "toml") {
                restrict(&entry.path(), gid, false)?;
            }
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            staging,
            gid,
        })
    }

    pub fn path_of(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.toml"))
    }

    pub async fn apply(&self, id: &str, config: &ZooidConfig) -> Result<(), String> {
        let text = config.to_toml()?;
        let target = self.path_of(id);
        let temp = self
            .staging
            .join(format!("{id}.{}.tmp", uuid::Uuid::now_v7().simple()));
        let dir = self.dir.clone();
        let gid = self.gid;
        tokio::task::spawn_blocking(move || {
            write_atomically(&temp, &target, &dir, gid, text.as_bytes())
        })
        .await
        .map_err(|e| format!("writing config: {e}"))?
    }

    /// Removes relay `id`'s file (already gone: done).
    pub async fn delete(&self, id: &str) -> Result<(), String> {
        match tokio::fs::remove_file(self.path_of(id)).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(format!("removing {}: {e}", self.path_of(id).display())),
        }
    }

    /// The directory is there to write to.
    pub async fn probe(&self) -> Result<(), String> {
        tokio::fs::metadata(&self.dir)
            .await
            .map(|_| ())
            .map_err(|e| format!("zooid config directory {}: {e}", self.dir.display()))
    }
}

/// Owner-only access (0700 folders, 0600 files), or with `gid` that group's read access too
/// (0750, 0640).
fn restrict(path: &Path, gid: Option<u32>, folder: bool) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match (folder, gid.is_some()) {
            (true, false) => 0o700,
            (true, true) => 0o750,
            (false, false) => 0o600,
            (false, true) => 0o640,
        };
        if let Some(gid) = gid {
            std::os::unix::fs::chown(path, None, Some(gid))?;
        }
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (path, gid, folder);
    Ok(())
}

fn write_atomically(
    temp: &Path,
    target: &Path,
    dir: &Path,
    gid: Option<u32>,
    bytes: &[u8],
) -> Result<(), String> {
    let result = (|| {
        let mut file = std::fs::File::create(temp)?;
        restrict(temp, gid, false)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(temp, target)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(temp);
        format!("writing {}: {e}", target.display())
    })
}
