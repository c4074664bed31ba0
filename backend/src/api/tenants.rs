//! Tenants: registration, the admin's tenant table, recurring-billing wallets, and
//! tenant-wide deactivation.

use crate::api::json::Json;
use axum::extract::State;
use axum::http::StatusCode;
use nostr_sdk::nips::nip47::NostrWalletConnectURI;
use nostr_sdk::{PublicKey, ToBech32};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::access::TenantAccess;
use super::extract::{ApiJson, ApiQuery, non_empty, paging, status_filter, total_from_page};
use crate::auth::Caller;
use crate::clock::unix_now;
use crate::db::{self, activity::Entry};
use crate::domain::status::TenantStatus;
use crate::error::{ApiError, ApiResult, Code, ErrorBody};
use crate::lifecycle;
use crate::state::AppState;
use crate::vault::tenant_nwc_context;

#[derive(Serialize, ToSchema)]
pub struct TenantView {
    pub pubkey: String,
    pub npub: String,
    pub status: TenantStatus,
    pub billing: BillingView,
    /// Start of the tenant's monthly billing period (unix seconds), once a paid relay exists.
    pub billing_anchor: Option<i64>,
    pub relay_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What may be shown of a tenant's wallet connection: never the URL or its secret.
#[derive(Serialize, ToSchema)]
pub struct BillingView {
    /// Whether invoices are paid automatically from the tenant's wallet.
    pub recurring: bool,
    pub wallet_pubkey: Option<String>,
    pub wallet_relays: Vec<String>,
    /// The last error the wallet gave, if any.
    pub last_error: Option<String>,
}

impl From<db::tenants::Tenant> for TenantView {
    fn from(t: db::tenants::Tenant) -> Self {
        let npub = PublicKey::from_hex(&t.pubkey)
            .ok()
            .and_then(|p| p.to_bech32().ok())
            .unwrap_or_default();
        let wallet_relays = t
            .wallet_relays
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok())
            .unwrap_or_default();
        Self {
            npub,
            status: t.status,
            billing: BillingView {
                recurring: t.wallet_pubkey.is_some(),
                wallet_pubkey: t.wallet_pubkey,
                wallet_relays,
                last_error: t.nwc_error,
            },
            billing_anchor: t.billing_anchor,
            relay_count: t.relay_count,
            created_at: t.created_at,
            updated_at: t.updated_at,
            pubkey: t.pubkey,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TenantList {
    pub items: Vec<TenantView>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// Registers the caller as a tenant: 201 the first time, 200 after that.
#[utoipa::path(post, path = "/tenants", operation_id = "registerTenant", tag = "tenants", security(("nip98" = [])), responses(
    (status = 201, body = TenantView, description = "Registered"),
    (status = 200, body = TenantView, description = "Already registered"),
    (status = 401, body = ErrorBody),
))]
pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<(StatusCode, Json<TenantView>)> {
    let now = unix_now();
    let me = caller.hex();
    let mut tx = db::begin_write(&state.db).await?;
    let created = lifecycle::tenant::register(&mut tx, &me, now).await?;
    let tenant = db::tenants::get(&mut *tx, &me)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("tenant vanished")))?;
    tx.commit().await?;
    Ok((
        if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        Json(tenant.into()),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TenantQuery {
    /// An npub, part of a hex pubkey, or part of the name or subdomain of one of the tenant's relays.
    pub q: Option<String>,
    /// Only tenants in this status.
    #[param(value_type = Option<TenantStatus>)]
    pub status: Option<String>,
    /// How many items to return (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// How many items to skip.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// Every tenant (admin only), newest first.
#[utoipa::path(get, path = "/tenants", operation_id = "listTenants", tag = "tenants", security(("nip98" = [])), params(TenantQuery), responses(
    (status = 200, body = TenantList),
    (status = 400, body = ErrorBody),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody, description = "Not an admin"),
))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<TenantQuery>,
) -> ApiResult<Json<TenantList>> {
    let (limit, offset) = paging(query.limit, query.offset)?;
    let status = status_filter(&query.status, "status", TenantStatus::names)?;
    // A whole npub searches for that key; anything else for text in keys and relay names.
    let search = non_empty(&query.q).map(|q| match PublicKey::parse(q) {
        Ok(key) if q.starts_with("npub1") => key.to_hex(),
        _ => q.to_lowercase(),
    });
    let filter = db::tenants::Filter {
        search: search.as_deref(),
        status,
        limit,
        offset,
    };
    let items = db::tenants::list(&state.db, &filter).await?;
    let total = match total_from_page(limit, offset, items.len()) {
        Some(total) => total,
        None => db::tenants::count(&state.db, &filter).await?,
    };
    Ok(Json(TenantList {
        items: items.into_iter().map(Into::into).collect(),
        total,
        limit,
        offset,
    }))
}

/// One tenant: yourself, or anyone for an admin.
#[utoipa::path(get, path = "/tenants/{pubkey}", operation_id = "getTenant", tag = "tenants", security(("nip98" = [])),
    params(("pubkey" = String, Path, description = "Hex pubkey or npub")),
    responses((status = 200, body = TenantView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(access: TenantAccess) -> Json<TenantView> {
    Json(access.tenant.into())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BillingInput {
    /// A `nostr+walletconnect://` URI for recurring billing, or `null` to turn it off. Required:
    /// a body without it (`{}`) is refused 422 rather than read as clearing the wallet.
    #[serde(deserialize_with = "present_or_null")]
    #[schema(required = true)]
    pub nwc_url: Option<String>,
}

/// A field that must be sent, though it may be `null` (serde makes absent `Option`s `None`).
fn present_or_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::deserialize(d)
}

/// Stores (encrypted) or clears the tenant's wallet for recurring billing.
#[utoipa::path(put, path = "/tenants/{pubkey}/billing", operation_id = "setTenantBilling", tag = "tenants", security(("nip98" = [])),
    params(("pubkey" = String, Path, description = "Hex pubkey or npub")),
    request_body = BillingInput,
    responses((status = 200, body = TenantView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_billing(
    State(state): State<AppState>,
    access: TenantAccess,
    ApiJson(input): ApiJson<BillingInput>,
) -> ApiResult<Json<TenantView>> {
    let pubkey = access.tenant.pubkey.clone();
    let wallet = match input
        .nwc_url
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(raw) => {
            let uri = NostrWalletConnectURI::parse(raw).map_err(|_| {
                ApiError::new(Code::BillingInvalidNwcUrl,
                    "That is not a wallet connection URL. It starts with nostr+walletconnect:// and carries a relay and a secret; copy it from your wallet's app connections.",
                )
                .with_field("nwc_url")
            })?;
            check_wallet(&state, &uri).await?;
            let relays: Vec<String> = uri.relays.iter().map(|r| r.to_string()).collect();
            Some(db::tenants::Wallet {
                nwc_url_enc: state
                    .vault
                    .seal(&tenant_nwc_context(&pubkey), raw.as_bytes()),
                pubkey: uri.public_key.to_hex(),
                relays_json: serde_json::to_string(&relays).map_err(ApiError::internal)?,
            })
        }
    };
    let now = unix_now();
    let mut tx = db::begin_write(&state.db).await?;
    db::tenants::set_wallet(&mut *tx, &pubkey, wallet.as_ref(), now).await?;
    let action = if wallet.is_some() {
        "tenant.billing-wallet-set"
    } else {
        "tenant.billing-wallet-cleared"
    };
    let details = json!({ "wallet_pubkey": wallet.as_ref().map(|w| &w.pubkey) });
    let entry = Entry {
        actor: &access.caller.hex(),
        action,
        resource_type: "tenant",
        resource_id: &pubkey,
        tenant: Some(&pubkey),
        details,
    };
    db::activity::record(&mut *tx, now, entry).await?;
    let tenant = db::tenants::get(&mut *tx, &pubkey)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("tenant vanished")))?;
    tx.commit().await?;
    Ok(Json(tenant.into()))
}

/// Asks the wallet to answer (get_info, or get_balance) before it is saved. On failure the
/// previous wallet is kept and the wallet's own message is shown. Never logs the URL.
async fn check_wallet(state: &AppState, uri: &NostrWalletConnectURI) -> ApiResult<()> {
    let timeout = std::time::Duration::from_secs(u64::from(state.settings.nwc_timeout_secs));
    crate::billing::pull::validate(uri, timeout)
        .await
        .map_err(|e| {
            let message = match &e {
                crate::wallet::WalletError::Refused { message, .. } => {
                    format!("Your wallet refused the connection: {message}. Check the connection's permissions (pay_invoice) and budget.")
                }
                other => format!("Your wallet did not answer ({other}). Check that it is online and that the URL is current."),
            };
            ApiError::new(Code::BillingWalletUnreachable, message).with_field("nwc_url")
        })
}

/// Deactivates a tenant and every relay of theirs that is running (admin only).
#[utoipa::path(post, path = "/tenants/{pubkey}/deactivate", operation_id = "deactivateTenant", tag = "tenants", security(("nip98" = [])),
    params(("pubkey" = String, Path, description = "Hex pubkey or npub")),
    responses((status = 200, body = TenantView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn deactivate(
    State(state): State<AppState>,
    access: TenantAccess,
) -> ApiResult<Json<TenantView>> {
    set_tenant_status(&state, &access, false).await.map(Json)
}

/// Reactivates a tenant and the relays its deactivation turned off (admin only).
#[utoipa::path(post, path = "/tenants/{pubkey}/activate", operation_id = "activateTenant", tag = "tenants", security(("nip98" = [])),
    params(("pubkey" = String, Path, description = "Hex pubkey or npub")),
    responses((status = 200, body = TenantView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn activate(
    State(state): State<AppState>,
    access: TenantAccess,
) -> ApiResult<Json<TenantView>> {
    set_tenant_status(&state, &access, true).await.map(Json)
}

/// One transaction: the tenant's status and its relays (see [`lifecycle::tenant`]).
async fn set_tenant_status(
    state: &AppState,
    access: &TenantAccess,
    active: bool,
) -> ApiResult<TenantView> {
    let to = if active {
        TenantStatus::Active
    } else {
        TenantStatus::Inactive
    };
    let pubkey = access.tenant.pubkey.as_str();
    let mut tx = db::begin_write(&state.db).await?;
    lifecycle::tenant::set_status(
        &mut tx,
        &state.life,
        &access.caller.hex(),
        pubkey,
        to,
        unix_now(),
    )
    .await?;
    let tenant = db::tenants::get(&mut *tx, pubkey)
        .await?
        .ok_or_else(|| ApiError::new(Code::TenantNotFound, "There is no such tenant."))?;
    tx.commit().await?;
    state.provisioner.kick();
    state.billing.nudge();
    Ok(tenant.into())
}
