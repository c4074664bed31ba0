//! Turning a relay off and on. Its data is kept while off (zooid gets `inactive = true`).
//! A relay suspended for an unpaid invoice comes back only with payment.

use axum::Json;
use axum::extract::State;
use serde_json::json;

use super::view::RelayView;
use crate::api::access::RelayAccess;
use crate::clock::unix_now;
use crate::db::{self, activity::Entry};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// Turns a relay off. Doing it again changes nothing.
#[utoipa::path(post, path = "/relays/{id}/deactivate", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = RelayView),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
pub async fn deactivate(
    State(state): State<AppState>,
    access: RelayAccess,
) -> ApiResult<Json<RelayView>> {
    let RelayAccess { caller, relay } = access;
    let now = unix_now();
    let mut tx = db::begin_write(&state.db).await?;
    let current = db::relays::get(&mut *tx, &relay.id)
        .await?
        .ok_or_else(not_found)?;
    if current.status != "inactive" {
        let reason = if caller.hex() == current.tenant {
            "owner"
        } else {
            "admin"
        };
        db::relays::set_status(&mut *tx, &current.id, "inactive", Some(reason), now).await?;
        let details = json!({ "from": current.status, "reason": reason });
        let entry = Entry {
            actor: &caller.hex(),
            action: "relay.deactivated",
            resource_type: "relay",
            resource_id: &current.id,
            tenant: Some(&current.tenant),
            details,
        };
        db::activity::record(&mut *tx, now, entry).await?;
        crate::billing::relay_changed(&state, &mut tx, &current.id, "deactivated").await?;
    }
    let relay = db::relays::get(&mut *tx, &relay.id)
        .await?
        .ok_or_else(not_found)?;
    tx.commit().await?;
    state.provisioner.kick();
    state.billing.nudge();
    Ok(Json(RelayView::new(relay, &state.settings.relay_domain)))
}

/// Turns an inactive relay back on. Doing it again changes nothing.
#[utoipa::path(post, path = "/relays/{id}/reactivate", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), responses(
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
    let now = unix_now();
    let mut tx = db::begin_write(&state.db).await?;
    let current = db::relays::get(&mut *tx, &relay.id)
        .await?
        .ok_or_else(not_found)?;
    match current.status.as_str() {
        "suspended" => {
            return Err(ApiError::conflict(
                "relay/suspended",
                "This relay is suspended for an unpaid invoice; paying the invoice brings it back.",
            ));
        }
        "inactive" => {
            let tenant = db::tenants::get(&mut *tx, &current.tenant).await?;
            if tenant.is_some_and(|t| t.status == "inactive") {
                return Err(ApiError::forbidden(
                    "tenant/inactive",
                    "This account is deactivated; its relays stay off until it is reactivated.",
                ));
            }
            let status = if current.synced_version > 0 {
                "active"
            } else {
                "pending"
            };
            db::relays::set_status(&mut *tx, &current.id, status, None, now).await?;
            let details = json!({ "to": status });
            let entry = Entry {
                actor: &caller.hex(),
                action: "relay.reactivated",
                resource_type: "relay",
                resource_id: &current.id,
                tenant: Some(&current.tenant),
                details,
            };
            db::activity::record(&mut *tx, now, entry).await?;
            crate::billing::relay_changed(&state, &mut tx, &current.id, "reactivated").await?;
        }
        _ => {}
    }
    let relay = db::relays::get(&mut *tx, &relay.id)
        .await?
        .ok_or_else(not_found)?;
    tx.commit().await?;
    state.provisioner.kick();
    state.billing.nudge();
    Ok(Json(RelayView::new(relay, &state.settings.relay_domain)))
}

fn not_found() -> ApiError {
    ApiError::not_found("relay/not-found", "There is no such relay.")
}
