//! Moderating a relay, by its owner and co-admins: the reports its members made, and
//! banning or unbanning a pubkey and removing or restoring an event through NIP-86 as the
//! relay. Every action is in the activity log with who did it and why.

use crate::api::json::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::community::{Target, as_relay, clear_for_removal, pubkey};
use crate::api::access::RelayManagement;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::clock::unix_now;
use crate::community::AsRelay;
use crate::db;
use crate::error::{ApiError, ApiResult, Code, ErrorBody};
use crate::lifecycle;
use crate::state::AppState;

/// A report made on the relay (kind 1984).
#[derive(Serialize, ToSchema)]
pub struct ReportView {
    pub id: String,
    pub reporter: String,
    pub pubkey: Option<String>,
    pub event: Option<String>,
    /// `nudity`, `malware`, `profanity`, `illegal`, `spam`, `impersonation` or `other`.
    pub kind: Option<String>,
    pub content: String,
    pub created_at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ReportList {
    pub items: Vec<ReportView>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Reports made before this time (the oldest `created_at` of the previous page).
    pub until: Option<i64>,
    /// 1–200, default 50.
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/relays/{id}/reports", operation_id = "listRelayReports", tag = "relays", security(("nip98" = [])), params(("id" = String, Path), ReportQuery), responses(
    (status = 400, body = ErrorBody, description = "`request/invalid-query`"),
    (status = 200, body = ReportList),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
pub async fn reports(
    State(state): State<AppState>,
    access: RelayManagement,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> ApiResult<Json<ReportList>> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(
            ApiError::new(Code::RequestInvalidQuery, "limit is 1 to 200.").with_field("limit"),
        );
    }
    let at = as_relay(&state, &access.relay).await?;
    let items = at
        .reports(limit as usize, q.until)
        .await?
        .into_iter()
        .map(|r| ReportView {
            id: r.id,
            reporter: r.reporter,
            pubkey: r.pubkey,
            event: r.event,
            kind: r.kind,
            content: r.content,
            created_at: r.created_at,
        })
        .collect();
    Ok(Json(ReportList { items }))
}

/// What the relay has banned.
#[derive(Serialize, ToSchema)]
pub struct Bans {
    pub pubkeys: Vec<Banned>,
    pub events: Vec<Banned>,
}

#[derive(Serialize, ToSchema)]
pub struct Banned {
    /// A pubkey or an event id (hex).
    pub id: String,
    pub reason: String,
}

fn banned_list(value: &Value, key: &str) -> Vec<Banned> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|b| {
                    Some(Banned {
                        id: b[key].as_str()?.to_string(),
                        reason: b["reason"].as_str().unwrap_or_default().to_string(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn bans_of(at: &AsRelay) -> ApiResult<Bans> {
    let pubkeys = at.manage("listbannedpubkeys", json!([])).await?;
    let events = at.manage("listbannedevents", json!([])).await?;
    Ok(Bans {
        pubkeys: banned_list(&pubkeys, "pubkey"),
        events: banned_list(&events, "id"),
    })
}

#[utoipa::path(get, path = "/relays/{id}/bans", operation_id = "listRelayBans", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = Bans),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 502, body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
pub async fn bans(State(state): State<AppState>, access: RelayManagement) -> ApiResult<Json<Bans>> {
    let at = as_relay(&state, &access.relay).await?;
    Ok(Json(bans_of(&at).await?))
}

fn reason(raw: &str) -> ApiResult<String> {
    let r = raw.trim();
    if r.is_empty() || r.chars().count() > 500 || r.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ApiError::new(
            Code::ModerationInvalidReason,
            "Say why, in 1 to 500 characters.",
        )
        .with_field("reason"));
    }
    Ok(r.to_string())
}

fn event_id(raw: &str) -> ApiResult<String> {
    let id = raw.trim().to_ascii_lowercase();
    if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::new(
            Code::ModerationInvalidEvent,
            "Give the event's id: 64 hex characters.",
        )
        .with_field("event"));
    }
    Ok(id)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BanPubkey {
    /// hex or npub
    pub pubkey: String,
    /// Why (1–500 characters), for the log and the relay's ban list.
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveEvent {
    /// The event's id (hex).
    pub event: String,
    pub reason: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Why {
    /// Why (1–500 characters), for the log.
    pub reason: String,
}

/// Runs a moderation call at the relay and logs it with who did it and why.
async fn act(
    state: &AppState,
    access: &RelayManagement,
    at: &AsRelay,
    (method, action): (&str, &str),
    target: (&str, &str),
    why: &str,
) -> ApiResult<()> {
    at.manage(method, json!([target.1, why])).await?;
    let mut tx = db::begin_write(&state.db).await?;
    lifecycle::community::acted(
        &mut tx,
        &access.caller.hex(),
        &access.relay,
        action,
        json!({ target.0: target.1, "reason": why }),
        unix_now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[utoipa::path(post, path = "/relays/{id}/bans/pubkeys", operation_id = "banRelayPubkey", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), request_body = BanPubkey, responses(
    (status = 200, body = Bans, description = "Banned: removed from the members, and every event of theirs deleted by the relay"),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`relay/owner-is-admin`"),
    (status = 422, body = ErrorBody),
    (status = 502, body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
pub async fn ban_pubkey(
    State(state): State<AppState>,
    access: RelayManagement,
    ApiJson(input): ApiJson<BanPubkey>,
) -> ApiResult<Json<Bans>> {
    let who = pubkey(&input.pubkey)?;
    let why = reason(&input.reason)?;
    // zooid would also lift the ban of a role holder on its next reload.
    clear_for_removal(&state, &access, &who).await?;
    let at = as_relay(&state, &access.relay).await?;
    act(
        &state,
        &access,
        &at,
        ("banpubkey", "relay.pubkey-banned"),
        ("pubkey", &who),
        &why,
    )
    .await?;
    Ok(Json(bans_of(&at).await?))
}

#[utoipa::path(delete, path = "/relays/{id}/bans/pubkeys/{pubkey}", operation_id = "unbanRelayPubkey", tag = "relays", security(("nip98" = [])), params(("id" = String, Path), ("pubkey" = String, Path), Why), responses(
    (status = 400, body = ErrorBody, description = "`request/invalid-query`"),
    (status = 200, body = Bans, description = "No longer banned (not a member again: add them or send an invite)"),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody),
    (status = 502, body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
pub async fn unban_pubkey(
    State(state): State<AppState>,
    access: RelayManagement,
    Target(who): Target,
    ApiQuery(q): ApiQuery<Why>,
) -> ApiResult<Json<Bans>> {
    let why = reason(&q.reason)?;
    let at = as_relay(&state, &access.relay).await?;
    act(
        &state,
        &access,
        &at,
        ("unbanpubkey", "relay.pubkey-unbanned"),
        ("pubkey", &who),
        &why,
    )
    .await?;
    Ok(Json(bans_of(&at).await?))
}

#[utoipa::path(post, path = "/relays/{id}/bans/events", operation_id = "removeRelayEvent", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), request_body = RemoveEvent, responses(
    (status = 200, body = Bans, description = "Removed: deleted by the relay, and refused if sent again"),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody),
    (status = 502, body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
pub async fn remove_event(
    State(state): State<AppState>,
    access: RelayManagement,
    ApiJson(input): ApiJson<RemoveEvent>,
) -> ApiResult<Json<Bans>> {
    let id = event_id(&input.event)?;
    let why = reason(&input.reason)?;
    let at = as_relay(&state, &access.relay).await?;
    act(
        &state,
        &access,
        &at,
        ("banevent", "relay.event-removed"),
        ("event", &id),
        &why,
    )
    .await?;
    Ok(Json(bans_of(&at).await?))
}

#[utoipa::path(delete, path = "/relays/{id}/bans/events/{event}", operation_id = "allowRelayEvent", tag = "relays", security(("nip98" = [])), params(("id" = String, Path), ("event" = String, Path), Why), responses(
    (status = 400, body = ErrorBody, description = "`request/invalid-query`"),
    (status = 200, body = Bans, description = "No longer refused (the relay does not bring the deleted event back)"),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody),
    (status = 502, body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
pub async fn allow_event(
    State(state): State<AppState>,
    access: RelayManagement,
    axum::extract::Path(ids): axum::extract::Path<(String, String)>,
    ApiQuery(q): ApiQuery<Why>,
) -> ApiResult<Json<Bans>> {
    let id = event_id(&ids.1)?;
    let why = reason(&q.reason)?;
    let at = as_relay(&state, &access.relay).await?;
    act(
        &state,
        &access,
        &at,
        ("allowevent", "relay.event-allowed"),
        ("event", &id),
        &why,
    )
    .await?;
    Ok(Json(bans_of(&at).await?))
}
