//! Backups, for admins: the scheduled backups on disk, newest first, and the last failure.

use crate::api::json::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::backup;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct BackupsView {
    /// Where scheduled backups are written (`BACKUP_DIR`).
    pub dir: String,
    /// Seconds between scheduled backups; `null`: scheduled backups are off.
    pub interval_secs: Option<u64>,
    /// How many scheduled backups are kept.
    pub keep: u32,
    /// Scheduled backups on disk, newest first.
    pub backups: Vec<BackupView>,
    /// The latest scheduled attempt's error, when it failed.
    pub last_failure: Option<BackupFailure>,
    /// Where the key that decrypts relay keys and wallet URLs lives: `PLATFORM_KEY` or
    /// `DATA_DIR/platform.key`. It is not in the database, nor in any backup.
    pub platform_key_source: String,
}

#[derive(Serialize, ToSchema)]
pub struct BackupView {
    pub name: String,
    /// When it was written (unix seconds).
    pub taken_at: i64,
    pub bytes: u64,
}

#[derive(Serialize, ToSchema)]
pub struct BackupFailure {
    /// When it failed (unix seconds).
    pub at: i64,
    pub error: String,
}

/// The database's scheduled backups (admin only).
#[utoipa::path(get, path = "/backups", operation_id = "listBackups", tag = "backups", security(("nip98" = [])), responses(
    (status = 200, body = BackupsView),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody),
))]
pub async fn list(State(state): State<AppState>) -> ApiResult<Json<BackupsView>> {
    let settings = state.settings.clone();
    let dir = settings.backup.dir.clone();
    let (files, failure) =
        tokio::task::spawn_blocking(move || (backup::list(&dir), backup::last_failure(&dir)))
            .await
            .map_err(ApiError::internal)?;
    let backups = files?
        .into_iter()
        .map(|f| BackupView {
            name: f.name(),
            taken_at: f.taken_at,
            bytes: f.bytes,
        })
        .collect();
    let platform_key_source = if settings.platform_key.is_some() {
        "PLATFORM_KEY".to_string()
    } else {
        settings.data_dir.join("platform.key").display().to_string()
    };
    Ok(Json(BackupsView {
        dir: settings.backup.dir.display().to_string(),
        interval_secs: settings.backup.interval.map(|d| d.as_secs()),
        keep: settings.backup.keep,
        backups,
        last_failure: failure.map(|(at, error)| BackupFailure { at, error }),
        platform_key_source,
    }))
}
