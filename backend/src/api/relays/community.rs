//! A relay's community: the owner's switches, the co-admins and inviters they appoint, and
//! the members, read from and managed at the relay itself (as the relay). Switches and roles
//! are the owner's ([`RelayAccess`]); members are also open to co-admins
//! ([`RelayManagement`]).

use crate::api::json::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::api::access::{RelayAccess, RelayManagement};
use crate::api::extract::ApiJson;
use crate::clock::unix_now;
use crate::community::AsRelay;
use crate::config::parse_public_key;
use crate::db::{self, relays::Relay};
use crate::domain::community::{Policies, RelayRole, is_full};
use crate::error::{ApiError, ApiResult, Code, ErrorBody};
use crate::lifecycle;
use crate::state::AppState;

pub(crate) fn pubkey(raw: &str) -> ApiResult<String> {
    parse_public_key(raw).map(|p| p.to_hex()).map_err(|_| {
        ApiError::new(
            Code::RelayInvalidPubkey,
            "Give a Nostr public key: 64 hex characters or an npub.",
        )
        .with_field("pubkey")
    })
}

/// The pubkey in the path after the relay's id.
pub struct Target(pub String);

impl axum::extract::FromRequestParts<AppState> for Target {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, ApiError> {
        let axum::extract::Path((_, raw)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::relay_not_found())?;
        pubkey(&raw).map(Target)
    }
}

#[utoipa::path(put, path = "/relays/{id}/policies", operation_id = "setRelayPolicies", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), request_body = Policies, responses(
    (status = 200, body = Policies, description = "The switches as stored"),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`relay/feature-not-in-plan`: a switch turned on for a feature the plan does not include"),
    (status = 422, body = ErrorBody),
))]
pub async fn set_policies(
    State(state): State<AppState>,
    access: RelayAccess,
    ApiJson(wanted): ApiJson<Policies>,
) -> ApiResult<Json<Policies>> {
    let mut tx = db::begin_write(&state.db).await?;
    let stored = lifecycle::community::set_policies(
        &mut tx,
        &access.caller.hex(),
        &access.relay,
        wanted,
        unix_now(),
    )
    .await?;
    tx.commit().await?;
    state.provisioner.kick();
    Ok(Json(stored))
}

/// Who holds which role on a relay.
#[derive(Serialize, ToSchema)]
pub struct RolesView {
    /// The owner (hex), always an admin.
    pub owner: String,
    pub items: Vec<RoleView>,
}

#[derive(Serialize, ToSchema)]
pub struct RoleView {
    pub pubkey: String,
    pub role: RelayRole,
    pub added_by: String,
    pub added_at: i64,
}

async fn roles_view(state: &AppState, relay: &Relay) -> ApiResult<RolesView> {
    let items = db::relay_roles::of_relay(&state.db, &relay.id)
        .await?
        .into_iter()
        .map(|a| RoleView {
            pubkey: a.pubkey,
            role: a.role,
            added_by: a.added_by,
            added_at: a.added_at,
        })
        .collect();
    Ok(RolesView {
        owner: relay.tenant.clone(),
        items,
    })
}

#[utoipa::path(get, path = "/relays/{id}/roles", operation_id = "listRelayRoles", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = RolesView),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
pub async fn list_roles(
    State(state): State<AppState>,
    access: RelayManagement,
) -> ApiResult<Json<RolesView>> {
    Ok(Json(roles_view(&state, &access.relay).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetRole {
    pub role: RelayRole,
}

#[utoipa::path(put, path = "/relays/{id}/roles/{pubkey}", operation_id = "setRelayRole", tag = "relays", security(("nip98" = [])), params(("id" = String, Path), ("pubkey" = String, Path, description = "hex or npub")), request_body = SetRole, responses(
    (status = 200, body = RolesView),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`relay/owner-is-admin`"),
    (status = 422, body = ErrorBody),
))]
pub async fn set_role(
    State(state): State<AppState>,
    access: RelayAccess,
    Target(who): Target,
    ApiJson(input): ApiJson<SetRole>,
) -> ApiResult<Json<RolesView>> {
    let mut tx = db::begin_write(&state.db).await?;
    lifecycle::community::appoint(
        &mut tx,
        &access.caller.hex(),
        &access.relay,
        &who,
        input.role,
        unix_now(),
    )
    .await?;
    tx.commit().await?;
    state.provisioner.kick();
    Ok(Json(roles_view(&state, &access.relay).await?))
}

#[utoipa::path(delete, path = "/relays/{id}/roles/{pubkey}", operation_id = "removeRelayRole", tag = "relays", security(("nip98" = [])), params(("id" = String, Path), ("pubkey" = String, Path, description = "hex or npub")), responses(
    (status = 200, body = RolesView),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody, description = "`relay/not-found`, `relay/role-not-found`"),
    (status = 409, body = ErrorBody, description = "`relay/owner-is-admin`"),
    (status = 422, body = ErrorBody, description = "`relay/invalid-pubkey`"),
))]
pub async fn remove_role(
    State(state): State<AppState>,
    access: RelayAccess,
    Target(who): Target,
) -> ApiResult<Json<RolesView>> {
    let mut tx = db::begin_write(&state.db).await?;
    lifecycle::community::dismiss(
        &mut tx,
        &access.caller.hex(),
        &access.relay,
        &who,
        unix_now(),
    )
    .await?;
    tx.commit().await?;
    state.provisioner.kick();
    Ok(Json(roles_view(&state, &access.relay).await?))
}

/// The relays on which the caller holds a role (co-admin or inviter).
#[derive(Serialize, ToSchema)]
pub struct HeldRoles {
    pub items: Vec<HeldRole>,
}

#[derive(Serialize, ToSchema)]
pub struct HeldRole {
    pub relay: String,
    pub name: String,
    /// `<subdomain>.<RELAY_DOMAIN>`
    pub host: String,
    pub role: RelayRole,
}

#[utoipa::path(get, path = "/relays/roles", operation_id = "listMyRelayRoles", tag = "relays", security(("nip98" = [])), responses(
    (status = 200, body = HeldRoles),
    (status = 401, body = ErrorBody),
))]
pub async fn my_roles(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
) -> ApiResult<Json<HeldRoles>> {
    let items = db::relay_roles::held_by(&state.db, &caller.hex())
        .await?
        .into_iter()
        .map(|h| HeldRole {
            host: state.life.host(&h.subdomain),
            relay: h.relay_id,
            name: h.name,
            role: h.role,
        })
        .collect();
    Ok(Json(HeldRoles { items }))
}

/// A relay's members, read from the relay's own member list just now.
#[derive(Serialize, ToSchema)]
pub struct MembersView {
    /// The relay's name and host, for a co-admin (who cannot read the relay itself).
    pub relay_name: String,
    pub relay_host: String,
    pub items: Vec<MemberView>,
    /// Members, the owner included.
    pub count: i64,
    /// The plan's `max_members`; `null`: unlimited.
    pub limit: Option<i64>,
    /// At the limit: joins are closed at the relay until it drops below.
    pub full: bool,
}

#[derive(Serialize, ToSchema)]
pub struct MemberView {
    pub pubkey: String,
    /// `owner`, `admin` or `inviter`; none for a plain member.
    pub role: Option<String>,
    /// When the relay added them, if it still has that record.
    pub joined_at: Option<i64>,
}

/// The relay, spoken to as itself at its URL.
pub(crate) async fn as_relay(state: &AppState, relay: &Relay) -> ApiResult<AsRelay> {
    let url = state.settings.relay_url(&relay.subdomain);
    Ok(AsRelay::open(&state.db, &state.vault, &relay.id, url).await?)
}

/// Reads the members at the relay and shows them ([`view_of`]).
pub(crate) async fn members_view(state: &AppState, relay: &Relay) -> ApiResult<MembersView> {
    let members = as_relay(state, relay).await?.members().await?;
    view_of(state, relay, members).await
}

/// Records the count of `members` just read from the relay (closing or opening joins at the
/// limit) and shows them.
async fn view_of(
    state: &AppState,
    relay: &Relay,
    members: Vec<crate::community::members::Member>,
) -> ApiResult<MembersView> {
    let count = members.len() as i64;
    state.counter().record(&relay.id, count).await?;
    let plan = db::plans::get(&state.db, &relay.plan).await?;
    let roles = db::relay_roles::of_relay(&state.db, &relay.id).await?;
    let limit = plan.and_then(|p| p.max_members);
    let role_of = |pk: &str| {
        if pk == relay.tenant {
            Some("owner".to_string())
        } else {
            roles
                .iter()
                .find(|a| a.pubkey == pk)
                .map(|a| a.role.to_string())
        }
    };
    Ok(MembersView {
        relay_name: relay.name.clone(),
        relay_host: state.life.host(&relay.subdomain),
        items: members
            .into_iter()
            .map(|m| MemberView {
                role: role_of(&m.pubkey),
                pubkey: m.pubkey,
                joined_at: m.joined_at,
            })
            .collect(),
        count,
        limit,
        full: is_full(Some(count), limit),
    })
}

#[utoipa::path(get, path = "/relays/{id}/members", operation_id = "listRelayMembers", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = MembersView),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 502, body = ErrorBody, description = "`relay/refused`"),
    (status = 503, body = ErrorBody, description = "`relay/unreachable`, with `Retry-After`"),
))]
pub async fn list_members(
    State(state): State<AppState>,
    access: RelayManagement,
) -> ApiResult<Json<MembersView>> {
    Ok(Json(members_view(&state, &access.relay).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMember {
    /// hex or npub
    pub pubkey: String,
}

#[utoipa::path(post, path = "/relays/{id}/members", operation_id = "addRelayMember", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), request_body = AddMember, responses(
    (status = 201, body = MembersView),
    (status = 200, body = MembersView, description = "Already a member"),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`relay/member-limit`: the plan's limit is reached"),
    (status = 422, body = ErrorBody),
    (status = 502, body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
pub async fn add_member(
    State(state): State<AppState>,
    access: RelayManagement,
    ApiJson(input): ApiJson<AddMember>,
) -> ApiResult<(StatusCode, Json<MembersView>)> {
    let who = pubkey(&input.pubkey)?;
    let relay = &access.relay;
    let at = as_relay(&state, relay).await?;
    let members = at.members().await?;
    if members.iter().any(|m| m.pubkey == who) {
        return Ok((StatusCode::OK, Json(view_of(&state, relay, members).await?)));
    }
    let mut tx = db::begin_write(&state.db).await?;
    lifecycle::community::check_room_for_one(&mut tx, relay, members.len() as i64).await?;
    tx.rollback().await?;
    at.manage("allowpubkey", json!([who, "added from the dashboard"]))
        .await?;
    record_member_change(&state, &access, "relay.member-added", &who).await?;
    Ok((
        StatusCode::CREATED,
        Json(members_view(&state, relay).await?),
    ))
}

#[utoipa::path(delete, path = "/relays/{id}/members/{pubkey}", operation_id = "removeRelayMember", tag = "relays", security(("nip98" = [])), params(("id" = String, Path), ("pubkey" = String, Path, description = "hex or npub")), responses(
    (status = 200, body = MembersView),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`relay/owner-is-admin`: the owner stays a member"),
    (status = 502, body = ErrorBody),
    (status = 503, body = ErrorBody),
    (status = 422, body = ErrorBody, description = "`relay/invalid-pubkey`"),
))]
pub async fn remove_member(
    State(state): State<AppState>,
    access: RelayManagement,
    Target(who): Target,
) -> ApiResult<Json<MembersView>> {
    let relay = &access.relay;
    clear_for_removal(&state, &access, &who).await?;
    let at = as_relay(&state, relay).await?;
    at.manage("unallowpubkey", json!([who, "removed from the dashboard"]))
        .await?;
    record_member_change(&state, &access, "relay.member-removed", &who).await?;
    Ok(Json(members_view(&state, relay).await?))
}

async fn record_member_change(
    state: &AppState,
    access: &RelayManagement,
    action: &str,
    who: &str,
) -> ApiResult<()> {
    let mut tx = db::begin_write(&state.db).await?;
    lifecycle::community::acted(
        &mut tx,
        &access.caller.hex(),
        &access.relay,
        action,
        json!({ "pubkey": who }),
        unix_now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Before a member is removed or banned: the owner cannot be, and a role holder loses the
/// role first (see [`lifecycle::community::clear_for_removal`]); zooid is then sent the
/// configuration without it.
pub(crate) async fn clear_for_removal(
    state: &AppState,
    access: &RelayManagement,
    who: &str,
) -> ApiResult<()> {
    let mut tx = db::begin_write(&state.db).await?;
    let dismissed = lifecycle::community::clear_for_removal(
        &mut tx,
        &access.caller.hex(),
        &access.relay,
        who,
        unix_now(),
    )
    .await?;
    tx.commit().await?;
    if dismissed {
        state.provisioner.kick();
    }
    Ok(())
}
