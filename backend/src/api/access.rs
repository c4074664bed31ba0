//! Loading a resource *is* the authorization check: these extractors return a tenant,
//! relay or invoice only to its owner or an admin, and answer 404 to everyone else,
//! so a handler cannot forget the check and a stranger learns nothing.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use crate::auth::Caller;
use crate::config::parse_public_key;
use crate::db;
use crate::domain::community::RelayRole;
use crate::error::{ApiError, Code};
use crate::state::AppState;

fn relay_not_found() -> ApiError {
    ApiError::relay_not_found()
}

fn tenant_not_found() -> ApiError {
    ApiError::new(Code::TenantNotFound, "There is no such tenant.")
}

fn invoice_not_found() -> ApiError {
    ApiError::new(Code::InvoiceNotFound, "There is no such invoice.")
}

/// The `index`th path parameter (routes such as `/relays/{id}/members/{pubkey}` have two).
async fn path_param_at(
    parts: &mut Parts,
    state: &AppState,
    index: usize,
    missing: fn() -> ApiError,
) -> Result<String, ApiError> {
    let Path(values) = Path::<Vec<String>>::from_request_parts(parts, state)
        .await
        .map_err(|_| missing())?;
    values.into_iter().nth(index).ok_or_else(missing)
}

async fn path_param(
    parts: &mut Parts,
    state: &AppState,
    missing: fn() -> ApiError,
) -> Result<String, ApiError> {
    path_param_at(parts, state, 0, missing).await
}

/// The caller and the relay at `{id}`, before anyone's right to it is checked.
async fn relay_at(
    parts: &mut Parts,
    state: &AppState,
) -> Result<(Caller, db::relays::Relay), ApiError> {
    let caller = Caller::from_request_parts(parts, state).await?;
    let id = path_param(parts, state, relay_not_found).await?;
    let relay = state
        .reader
        .read(|conn| db::relay_reads::get(conn, &id))?
        .ok_or_else(relay_not_found)?;
    Ok((caller, relay))
}

/// The caller's role in the relay's community: `Admin` for its owner and platform admins
/// (no read needed), else the role the owner appointed them to, if any.
async fn role_in(
    state: &AppState,
    caller: &Caller,
    relay: &db::relays::Relay,
) -> Result<Option<RelayRole>, ApiError> {
    if caller.is_admin || relay.tenant == caller.hex() {
        return Ok(Some(RelayRole::Admin));
    }
    Ok(db::relay_roles::role_of(&state.db, &relay.id, &caller.hex()).await?)
}

/// A relay at `{id}` that the caller owns (or any relay, for an admin).
pub struct RelayAccess {
    pub caller: Caller,
    pub relay: db::relays::Relay,
}

impl FromRequestParts<AppState> for RelayAccess {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (caller, relay) = relay_at(parts, state).await?;
        if !(caller.is_admin || relay.tenant == caller.hex()) {
            return Err(relay_not_found());
        }
        Ok(Self { caller, relay })
    }
}

/// A relay at `{id}` whose community the caller runs: its owner, a co-admin the owner
/// appointed, or a platform admin. Members, invites and moderation take this; billing, the
/// plan, switches and roles stay with [`RelayAccess`].
pub struct RelayManagement {
    pub caller: Caller,
    pub relay: db::relays::Relay,
}

impl FromRequestParts<AppState> for RelayManagement {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (caller, relay) = relay_at(parts, state).await?;
        if role_in(state, &caller, &relay).await? != Some(RelayRole::Admin) {
            return Err(relay_not_found());
        }
        Ok(Self { caller, relay })
    }
}

/// A relay at `{id}` whose invites the caller may make: anyone who runs its community
/// ([`RelayManagement`]), or an inviter the owner appointed. An inviter handles only the
/// invites they made ([`crate::lifecycle::community::may_handle`]).
pub struct RelayInviting {
    pub caller: Caller,
    pub relay: db::relays::Relay,
    /// Runs the community (owner, co-admin, platform admin), rather than only inviting.
    pub manages: bool,
}

impl FromRequestParts<AppState> for RelayInviting {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (caller, relay) = relay_at(parts, state).await?;
        match role_in(state, &caller, &relay).await? {
            Some(role) => Ok(Self {
                manages: role == RelayRole::Admin,
                caller,
                relay,
            }),
            None => Err(relay_not_found()),
        }
    }
}

/// The tenant at `{pubkey}` (hex or npub), when it is the caller or the caller is an admin.
pub struct TenantAccess {
    pub caller: Caller,
    pub tenant: db::tenants::Tenant,
}

impl FromRequestParts<AppState> for TenantAccess {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let raw = path_param(parts, state, tenant_not_found).await?;
        let pubkey = parse_public_key(&raw).map_err(|_| tenant_not_found())?;
        if !caller.is_admin && pubkey != caller.pubkey {
            return Err(tenant_not_found());
        }
        let tenant = db::tenants::get(&state.db, &pubkey.to_hex())
            .await?
            .ok_or_else(tenant_not_found)?;
        Ok(Self { caller, tenant })
    }
}

/// An invoice at `{id}` of the caller's (or any, for an admin).
pub struct InvoiceAccess {
    pub caller: Caller,
    pub invoice: db::invoices::Invoice,
}

impl FromRequestParts<AppState> for InvoiceAccess {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let id = path_param(parts, state, invoice_not_found).await?;
        let invoice = db::invoices::get(&state.db, &id)
            .await?
            .filter(|i| caller.is_admin || i.tenant == caller.hex())
            .ok_or_else(invoice_not_found)?;
        Ok(Self { caller, invoice })
    }
}

/// Whose items a list may show: an admin sees everyone's (or one tenant's with `?tenant=`),
/// a tenant only their own. Asking for someone else's answers 404.
pub fn list_scope(caller: &Caller, requested: Option<&str>) -> Result<Option<String>, ApiError> {
    let requested = requested
        .map(parse_public_key)
        .transpose()
        .map_err(|_| tenant_not_found())?;
    match (caller.is_admin, requested) {
        (true, wanted) => Ok(wanted.map(|p| p.to_hex())),
        (false, Some(p)) if p != caller.pubkey => Err(tenant_not_found()),
        (false, _) => Ok(Some(caller.hex())),
    }
}
