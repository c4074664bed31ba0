//! Who the signed-in caller is.

use crate::api::json::Json;
use axum::extract::State;
use nostr_sdk::ToBech32;
use serde::Serialize;
use utoipa::ToSchema;

use super::tenants::TenantView;
use crate::auth::Caller;
use crate::db;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Identity {
    pub pubkey: String,
    pub npub: String,
    pub is_admin: bool,
    /// `null` until the caller registers (or creates a relay).
    pub tenant: Option<TenantView>,
}

/// The caller's pubkey, admin flag and tenant record. No side effects.
#[utoipa::path(get, path = "/identity", operation_id = "getIdentity", tag = "identity", security(("nip98" = [])), responses(
    (status = 200, body = Identity),
    (status = 401, body = ErrorBody, description = "NIP-98 authentication failed"),
))]
pub async fn get(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Identity>> {
    let tenant = db::tenants::get(&state.db, &caller.hex())
        .await?
        .map(TenantView::from);
    Ok(Json(Identity {
        pubkey: caller.hex(),
        npub: caller.pubkey.to_bech32().unwrap_or_default(),
        is_admin: caller.is_admin,
        tenant,
    }))
}
