//! Relays: listing, the subdomain availability check, reading one, and (in the
//! submodules) creating, editing and turning relays off and on.

pub mod community;
pub mod export;
pub mod invites;
mod lifecycle;
pub mod moderation;
mod view;
mod write;

use crate::api::json::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use lifecycle::{__path_deactivate, __path_reactivate, deactivate, reactivate};
pub use view::{RelayList, RelayView, SyncView};
pub use write::{__path_create, __path_update, CreateRelay, UpdateRelay, create, update};

use super::access::{RelayAccess, list_scope};
use super::extract::{ApiQuery, non_empty, paging, status_filter, total_from_page};
use crate::auth::Caller;
use crate::db;
use crate::domain::status::{RelayStatus, SyncState};
use crate::domain::subdomain;
use crate::error::{ApiResult, Code, ErrorBody};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RelayQuery {
    /// Admins: only this tenant's relays (hex or npub). Tenants always see only their own.
    pub tenant: Option<String>,
    /// Part of the name or subdomain.
    pub q: Option<String>,
    /// Only relays in this status.
    #[param(value_type = Option<RelayStatus>)]
    pub status: Option<String>,
    /// A plan id.
    pub plan: Option<String>,
    /// Only relays in this sync state.
    #[param(value_type = Option<SyncState>)]
    pub sync: Option<String>,
    /// `true`: only relays with more members than their plan allows (§17).
    pub over_limit: Option<bool>,
    /// How many items to return (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// How many items to skip.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// Your relays (admins: everyone's), newest first, searchable and filterable.
#[utoipa::path(get, path = "/relays", operation_id = "listRelays", tag = "relays", security(("nip98" = [])), params(RelayQuery), responses(
    (status = 200, body = RelayList),
    (status = 400, body = ErrorBody),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody, description = "A tenant asked for another tenant's relays"),
))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<RelayQuery>,
) -> ApiResult<Json<RelayList>> {
    let (limit, offset) = paging(query.limit, query.offset)?;
    let tenant = list_scope(&caller, non_empty(&query.tenant))?;
    let status = status_filter(&query.status, "status", RelayStatus::names)?;
    let sync = status_filter(&query.sync, "sync", SyncState::names)?;
    let filter = db::relay_reads::Filter {
        tenant,
        search: non_empty(&query.q).map(String::from),
        status,
        plan: non_empty(&query.plan).map(String::from),
        sync,
        over_limit: query.over_limit.unwrap_or(false),
        limit,
        offset,
    };
    let needs_count = move |len| total_from_page(limit, offset, len).is_none();
    let (items, counted) = if filter.is_bounded() {
        state
            .reader
            .read(|conn| db::relay_reads::page(conn, &filter, needs_count))?
    } else {
        state
            .reader
            .scan(move |conn| db::relay_reads::page(conn, &filter, needs_count))
            .await?
    };
    let total = counted
        .or_else(|| total_from_page(limit, offset, items.len()))
        .unwrap_or_default();
    let domain = &state.settings.relay_domain;
    Ok(Json(RelayList {
        items: items
            .into_iter()
            .map(|r| RelayView::new(r, domain))
            .collect(),
        total,
        limit,
        offset,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvailabilityQuery {
    /// The subdomain to check.
    pub subdomain: String,
}

#[derive(Serialize, ToSchema)]
pub struct Availability {
    /// The subdomain as it would be stored (trimmed, lower-case).
    pub subdomain: String,
    pub available: bool,
    /// Why not, for a person; `null` when available.
    pub reason: Option<String>,
    /// Why not, as a stable code: `relay/invalid-subdomain`, `relay/subdomain-reserved` or `relay/subdomain-taken`.
    pub code: Option<String>,
    /// The host the relay would get.
    pub host: Option<String>,
}

/// Whether a subdomain can be had, for the form's live check.
#[utoipa::path(get, path = "/relays/availability", operation_id = "checkSubdomain", tag = "relays", security(("nip98" = [])), params(AvailabilityQuery), responses(
    (status = 200, body = Availability),
    (status = 400, body = ErrorBody),
    (status = 401, body = ErrorBody),
))]
pub async fn availability(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(query): ApiQuery<AvailabilityQuery>,
) -> ApiResult<Json<Availability>> {
    let normalised = query.subdomain.trim().to_ascii_lowercase();
    let refuse = |code: &str, reason: String| Availability {
        subdomain: normalised.clone(),
        available: false,
        reason: Some(reason),
        code: Some(code.to_string()),
        host: None,
    };
    let sub = match subdomain::parse(&query.subdomain) {
        Ok(s) => s,
        Err(invalid) => return Ok(Json(refuse(invalid.code.as_str(), invalid.message))),
    };
    if db::relays::is_taken(&state.db, &sub, &subdomain::schema_for(&sub), None).await? {
        return Ok(Json(refuse(
            Code::RelaySubdomainTaken.as_str(),
            format!("{sub:?} is already taken."),
        )));
    }
    let host = Some(format!("{sub}.{}", state.settings.relay_domain));
    Ok(Json(Availability {
        subdomain: sub,
        available: true,
        reason: None,
        code: None,
        host,
    }))
}

/// One relay of yours (admins: any).
#[utoipa::path(get, path = "/relays/{id}", operation_id = "getRelay", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = RelayView),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
pub async fn get(State(state): State<AppState>, access: RelayAccess) -> Json<RelayView> {
    Json(RelayView::new(access.relay, &state.settings.relay_domain))
}
