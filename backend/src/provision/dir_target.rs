//! zooid's config directory, for a zooid on the same machine: one `<id>.toml` per relay.
//!
//! zooid reloads a relay on create and write events but ignores renames inside its
//! directory, so each file is written in a staging folder beside it and moved in whole:
//! a reader never sees half a file, and no temporary name is ever loaded as a relay.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::zooid_config::ZooidConfig;

pub struct ConfigDir {
    dir: PathBuf,
    staging: PathBuf,
}

impl ConfigDir {
    pub fn new(dir: &Path) -> anyhow::Result<Self> {
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
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            staging,
        })
    }

    pub fn describe(&self) -> String {
        format!("zooid config directory {}", self.dir.display())
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
        tokio::task::spawn_blocking(move || write_atomically(&temp, &target, &dir, text.as_bytes()))
            .await
            .map_err(|e| format!("writing config: {e}"))?
    }
}

fn write_atomically(temp: &Path, target: &Path, dir: &Path, bytes: &[u8]) -> Result<(), String> {
    let result = (|| {
        let mut file = std::fs::File::create(temp)?;
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
