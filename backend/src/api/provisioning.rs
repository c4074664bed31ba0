//! Provisioning, for admins: the sync backlog, and forcing a relay's sync now.

use crate::api::json::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::access::RelayAccess;
use super::relays::RelayView;
use crate::clock::unix_now;
use crate::db::{self, activity::Entry};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct ProvisioningStatus {
    /// Where configurations go: the zooid nodes, each listed with its health at `/api/nodes`.
    pub target: String,
    /// Whether the worker looped within the last 30 s.
    pub worker_alive: bool,
    /// Relays zooid does not have the latest configuration of.
    pub behind: i64,
    /// Of those, the ones whose last attempt failed (retrying with backoff).
    pub failing: i64,
}

/// The provisioning worker's state and backlog (admin only).
#[utoipa::path(get, path = "/provisioning", operation_id = "getProvisioning", tag = "provisioning", security(("nip98" = [])), responses(
    (status = 200, body = ProvisioningStatus),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody),
))]
pub async fn status(State(state): State<AppState>) -> ApiResult<Json<ProvisioningStatus>> {
    let backlog = db::relay_sync::backlog(&state.db).await?;
    Ok(Json(ProvisioningStatus {
        target: state.provisioner.target(),
        worker_alive: state.provisioner.is_alive(),
        behind: backlog.behind,
        failing: backlog.failing,
    }))
}

/// Sends the relay's full configuration to zooid now, even if it is believed in sync,
/// and skips any backoff wait (admin only).
#[utoipa::path(post, path = "/relays/{id}/sync", operation_id = "syncRelay", tag = "provisioning", security(("nip98" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = RelayView),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
pub async fn force_sync(
    State(state): State<AppState>,
    access: RelayAccess,
) -> ApiResult<Json<RelayView>> {
    let now = unix_now();
    let id = access.relay.id.as_str();
    let mut tx = db::begin_write(&state.db).await?;
    db::relay_sync::force(&mut *tx, id, now).await?;
    let entry = Entry {
        actor: &access.caller.hex(),
        action: "relay.sync-forced",
        resource_type: "relay",
        resource_id: id,
        tenant: Some(&access.relay.tenant),
        details: json!({}),
    };
    db::activity::record(&mut *tx, now, entry).await?;
    let relay = db::relays::get(&mut *tx, id)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("relay vanished")))?;
    tx.commit().await?;
    state.provisioner.kick();
    Ok(Json(RelayView::new(relay, &state.settings.relay_domain)))
}
