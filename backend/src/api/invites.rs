//! Redeeming an invite link: anyone may look at what it invites to; a signed-in person joins
//! with it. The platform checks the invite (expiry, uses, withdrawal), the relay's ban list
//! and the plan's member limit, then adds the member at the relay as the relay.

use crate::api::json::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::clock::unix_now;
use crate::db::{self, relays::Relay};
use crate::domain::community::InviteState;
use crate::error::{ApiResult, ErrorBody};
use crate::lifecycle::{self, Refusal, community::invite_state};
use crate::state::AppState;

/// What an invite link invites to.
#[derive(Serialize, ToSchema)]
pub struct InvitePreview {
    pub relay_name: String,
    pub relay_icon: String,
    pub relay_description: String,
    /// The relay's WebSocket URL.
    pub relay_url: String,
    pub state: InviteState,
    pub expires_at: i64,
}

/// A join through an invite.
#[derive(Serialize, ToSchema)]
pub struct Joined {
    /// The relay's WebSocket URL, to add to a Nostr client.
    pub relay_url: String,
    /// `false`: already a member, nothing changed.
    pub joined: bool,
}

async fn load(state: &AppState, code: &str) -> ApiResult<(db::relay_invites::Invite, Relay)> {
    let not_found = || lifecycle::Error::from(Refusal::InviteNotFound);
    let valid = code.len() == 32 && code.bytes().all(|b| b.is_ascii_hexdigit());
    if !valid {
        return Err(not_found().into());
    }
    let invite = db::relay_invites::by_code(&state.db, code)
        .await?
        .ok_or_else(not_found)?;
    let relay = db::relays::get(&state.db, &invite.relay_id)
        .await?
        .ok_or_else(not_found)?;
    Ok((invite, relay))
}

fn relay_url(relay: &Relay, state: &AppState) -> String {
    format!("wss://{}", state.life.host(&relay.subdomain))
}

#[utoipa::path(get, path = "/invites/{code}", operation_id = "getInvite", tag = "relays", params(("code" = String, Path)), responses(
    (status = 200, body = InvitePreview),
    (status = 404, body = ErrorBody, description = "`invite/not-found`"),
))]
pub async fn preview(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<InvitePreview>> {
    let (invite, relay) = load(&state, &code).await?;
    Ok(Json(InvitePreview {
        relay_url: relay_url(&relay, &state),
        relay_name: relay.name,
        relay_icon: relay.icon,
        relay_description: relay.description,
        state: invite_state(&invite, unix_now()),
        expires_at: invite.expires_at,
    }))
}

#[utoipa::path(post, path = "/invites/{code}/join", operation_id = "joinWithInvite", tag = "relays", security(("nip98" = [])), params(("code" = String, Path)), responses(
    (status = 200, body = Joined),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody, description = "`relay/banned`"),
    (status = 404, body = ErrorBody, description = "`invite/not-found`"),
    (status = 409, body = ErrorBody, description = "`relay/member-limit`, `invite/already-used`, `invite/relay-unavailable`"),
    (status = 410, body = ErrorBody, description = "`invite/expired`, `invite/revoked`, `invite/used-up`"),
    (status = 502, body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
pub async fn join(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<Joined>> {
    let (invite, relay) = load(&state, &code).await?;
    let me = caller.hex();
    let url = relay_url(&relay, &state);
    if !relay.status.is_running() {
        return Err(lifecycle::Error::from(Refusal::InviteRelayUnavailable).into());
    }
    let at = crate::api::relays::community::as_relay(&state, &relay).await?;
    let members = at.members().await?;
    if members.iter().any(|m| m.pubkey == me) {
        return Ok(Json(Joined {
            relay_url: url,
            joined: false,
        }));
    }
    let banned = at.manage("listbannedpubkeys", json!([])).await?;
    let is_banned = banned
        .as_array()
        .is_some_and(|list| list.iter().any(|b| b["pubkey"] == me.as_str()));
    if is_banned {
        return Err(lifecycle::Error::from(Refusal::Banned).into());
    }
    let now = unix_now();
    let mut tx = db::begin_write(&state.db).await?;
    lifecycle::community::redeem(&mut tx, &relay, &invite, &me, members.len() as i64, now).await?;
    tx.commit().await?;
    if let Err(e) = at
        .manage(
            "allowpubkey",
            json!([me, format!("joined with invite {}", invite.id)]),
        )
        .await
    {
        let mut tx = db::begin_write(&state.db).await?;
        db::relay_invites::give_back(&mut tx, &invite.id, &me).await?;
        tx.commit().await?;
        return Err(e.into());
    }
    state
        .counter()
        .record(&relay.id, members.len() as i64 + 1)
        .await?;
    Ok(Json(Joined {
        relay_url: url,
        joined: true,
    }))
}
