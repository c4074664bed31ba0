//! Invite links to a relay, made and withdrawn by its owner and co-admins, and by inviters
//! (who see and withdraw only their own). Redeeming one is [`crate::api::invites`].

use crate::api::json::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::access::RelayInviting;
use crate::api::extract::ApiJson;
use crate::clock::unix_now;
use crate::db::{self, relay_invites::Invite};
use crate::domain::community::{
    INVITE_DEFAULT_HOURS, INVITE_MAX_USES, INVITE_VALID_HOURS, InviteState,
};
use crate::error::{ApiError, ApiResult, Code, ErrorBody};
use crate::lifecycle::{self, community::invite_state};
use crate::state::AppState;

/// An invite as its relay's admins see it.
#[derive(Serialize, ToSchema)]
pub struct InviteView {
    pub id: String,
    /// The secret part of the link.
    pub code: String,
    /// The page where the invitee signs in and joins.
    pub link: String,
    pub state: InviteState,
    pub expires_at: i64,
    /// `null`: as many joins as the relay has room for.
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub created_by: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    /// The invite's claim at the relay itself, while it is one: a Nostr client that speaks
    /// zooid's invites (kind 28934 with a `claim` tag) joins the relay with it directly. Only
    /// an invite without a use limit is one, and not while the relay is full.
    pub relay_claim: Option<String>,
}

impl InviteView {
    pub fn new(i: Invite, public_base: &str, now: i64) -> Self {
        let relay_claim = i.claimed_at.map(|_| i.code.clone());
        Self {
            link: format!("{public_base}/join/{}", i.code),
            state: invite_state(&i, now),
            id: i.id,
            code: i.code,
            expires_at: i.expires_at,
            max_uses: i.max_uses,
            uses: i.uses,
            created_by: i.created_by,
            created_at: i.created_at,
            revoked_at: i.revoked_at,
            relay_claim,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InviteList {
    pub items: Vec<InviteView>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvite {
    /// How long the link works, in hours (1–2160; default 168, a week).
    #[serde(default)]
    pub valid_hours: Option<i64>,
    /// How many people may join with it (1–10000); `null` or left out: no limit but the plan's.
    #[serde(default)]
    pub max_uses: Option<i64>,
}

#[utoipa::path(post, path = "/relays/{id}/invites", operation_id = "createRelayInvite", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), request_body = NewInvite, responses(
    (status = 201, body = InviteView),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody, description = "`invite/invalid-limits`"),
))]
pub async fn create(
    State(state): State<AppState>,
    access: RelayInviting,
    ApiJson(input): ApiJson<NewInvite>,
) -> ApiResult<(StatusCode, Json<InviteView>)> {
    let hours = input.valid_hours.unwrap_or(INVITE_DEFAULT_HOURS);
    if !INVITE_VALID_HOURS.contains(&hours) {
        return Err(ApiError::new(
            Code::InviteInvalidLimits,
            "An invite is valid for 1 to 2160 hours (90 days).",
        )
        .with_field("valid_hours"));
    }
    if input
        .max_uses
        .is_some_and(|n| !INVITE_MAX_USES.contains(&n))
    {
        return Err(ApiError::new(
            Code::InviteInvalidLimits,
            "An invite admits 1 to 10000 people, or leave it unlimited.",
        )
        .with_field("max_uses"));
    }
    let now = unix_now();
    let mut tx = db::begin_write(&state.db).await?;
    let invite = lifecycle::community::create_invite(
        &mut tx,
        &access.caller.hex(),
        &access.relay,
        hours * 3600,
        input.max_uses,
        now,
    )
    .await?;
    tx.commit().await?;
    state.provisioner.kick_claims();
    Ok((
        StatusCode::CREATED,
        Json(InviteView::new(invite, &state.public_base, now)),
    ))
}

#[utoipa::path(get, path = "/relays/{id}/invites", operation_id = "listRelayInvites", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = InviteList),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
pub async fn list(
    State(state): State<AppState>,
    access: RelayInviting,
) -> ApiResult<Json<InviteList>> {
    let now = unix_now();
    let me = access.caller.hex();
    let items = db::relay_invites::of_relay(&state.db, &access.relay.id)
        .await?
        .into_iter()
        .filter(|i| lifecycle::community::may_handle(access.manages, &me, i))
        .map(|i| InviteView::new(i, &state.public_base, now))
        .collect();
    Ok(Json(InviteList { items }))
}

#[utoipa::path(delete, path = "/relays/{id}/invites/{invite}", operation_id = "revokeRelayInvite", tag = "relays", security(("nip98" = [])), params(("id" = String, Path), ("invite" = String, Path)), responses(
    (status = 200, body = InviteView, description = "Withdrawn (again: unchanged)"),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody, description = "`relay/not-found`, `invite/not-found`"),
))]
pub async fn revoke(
    State(state): State<AppState>,
    access: RelayInviting,
    Path(ids): Path<(String, String)>,
) -> ApiResult<Json<InviteView>> {
    let invite = ids.1;
    let now = unix_now();
    let mut tx = db::begin_write(&state.db).await?;
    let revoked = lifecycle::community::revoke_invite(
        &mut tx,
        &access.caller.hex(),
        access.manages,
        &access.relay,
        &invite,
        now,
    )
    .await?;
    tx.commit().await?;
    state.provisioner.kick_claims();
    Ok(Json(InviteView::new(revoked, &state.public_base, now)))
}
