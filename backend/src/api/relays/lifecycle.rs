//! Turning a relay off and on. Its data is kept while off (zooid gets `inactive = true`).
//! A relay suspended for an unpaid invoice comes back only with payment.

use crate::api::json::Json;
use axum::extract::State;

use super::view::RelayView;
use crate::api::access::RelayAccess;
use crate::clock::unix_now;
use crate::db;
use crate::domain::status::InactiveReason;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::lifecycle;
use crate::state::AppState;

/// Turns a relay off. Doing it again changes nothing.
#[utoipa::path(post, path = "/relays/{id}/deactivate", operation_id = "deactivateRelay", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = RelayView),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
pub async fn deactivate(
    State(state): State<AppState>,
    access: RelayAccess,
) -> ApiResult<Json<RelayView>> {
    let RelayAccess { caller, relay } = access;
    let by = if caller.hex() == relay.tenant {
        InactiveReason::Owner
    } else {
        InactiveReason::Admin
    };
    let mut tx = db::begin_write(&state.db).await?;
    lifecycle::relay::deactivate(
        &mut tx,
        &state.life,
        &caller.hex(),
        &relay.id,
        by,
        unix_now(),
    )
    .await?;
    respond(&state, tx, &relay.id).await
}

/// Turns an inactive relay back on. Doing it again changes nothing.
#[utoipa::path(post, path = "/relays/{id}/reactivate", operation_id = "reactivateRelay", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = RelayView),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody, description = "The account is deactivated"),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "Suspended for an unpaid invoice"),
))]
pub async fn reactivate(
    State(state): State<AppState>,
    access: RelayAccess,
) -> ApiResult<Json<RelayView>> {
    let RelayAccess { caller, relay } = access;
    let mut tx = db::begin_write(&state.db).await?;
    lifecycle::relay::reactivate(&mut tx, &state.life, &caller.hex(), &relay.id, unix_now())
        .await?;
    respond(&state, tx, &relay.id).await
}

/// Commits a change, wakes the workers it gave work, and shows the relay as it now is.
async fn respond(state: &AppState, mut tx: db::Tx<'_>, id: &str) -> ApiResult<Json<RelayView>> {
    let relay = db::relays::get(&mut *tx, id)
        .await?
        .ok_or_else(ApiError::relay_not_found)?;
    tx.commit().await?;
    state.provisioner.kick();
    state.billing.nudge();
    Ok(Json(RelayView::new(relay, &state.settings.relay_domain)))
}
