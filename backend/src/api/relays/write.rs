//! Creating and editing relays. Each write is one transaction: the relay row (with its
//! desired version bumped), the activity entry, and the tenant row when it is new.

use crate::api::json::Json;
use axum::extract::State;
use axum::http::StatusCode;
use nostr_sdk::Keys;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::view::RelayView;
use crate::api::access::RelayAccess;
use crate::api::extract::ApiJson;
use crate::auth::Caller;
use crate::clock::unix_now;
use crate::db::{self, Tx};
use crate::domain::status::TenantStatus;
use crate::domain::{relay_fields, subdomain};
use crate::error::{ApiError, ApiResult, Code, ErrorBody};
use crate::lifecycle;
use crate::state::AppState;
use crate::vault::relay_secret_context;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRelay {
    pub name: String,
    /// Lower-case DNS label, 3–63 characters of a-z, 0-9 and `-`, starting with a letter.
    pub subdomain: String,
    /// An https:// image URL.
    #[serde(default)]
    pub icon: String,
    #[serde(default)]
    pub description: String,
    /// A plan id from `GET /api/plans`.
    pub plan: String,
}

/// Fields to change; those left out keep their value.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRelay {
    pub name: Option<String>,
    pub subdomain: Option<String>,
    pub icon: Option<String>,
    pub description: Option<String>,
    pub plan: Option<String>,
}

/// The plan must exist, and a paid one needs billing configured.
async fn check_plan(state: &AppState, tx: &mut Tx<'_>, plan: &str) -> ApiResult<()> {
    let found = db::plans::get(&mut **tx, plan).await?;
    let plan = found.ok_or_else(|| {
        ApiError::new(
            Code::PlanUnknown,
            format!("There is no plan {plan:?}; see GET /api/plans."),
        )
        .with_field("plan")
    })?;
    if plan.is_paid() && !state.settings.billing_enabled() {
        return Err(ApiError::new(Code::BillingNotConfigured,
            format!("The {} plan is unavailable: this platform takes no payments yet. Choose the free plan.", plan.name),
        )
        .with_field("plan"));
    }
    Ok(())
}

async fn require_active_tenant(tx: &mut Tx<'_>, caller: &Caller, tenant: &str) -> ApiResult<()> {
    let status = db::tenants::get(&mut **tx, tenant).await?.map(|t| t.status);
    if status == Some(TenantStatus::Inactive) && !caller.is_admin {
        return Err(ApiError::new(
            Code::TenantInactive,
            "This account is deactivated; contact the operator.",
        ));
    }
    Ok(())
}

/// Creates a relay on a plan, registering the caller as a tenant if needed.
/// It starts `pending` and goes `active` once zooid serves it.
#[utoipa::path(post, path = "/relays", operation_id = "createRelay", tag = "relays", security(("nip98" = [])), request_body = CreateRelay, responses(
    (status = 201, body = RelayView),
    (status = 400, body = ErrorBody),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody, description = "The account is deactivated"),
    (status = 409, body = ErrorBody, description = "The subdomain is taken"),
    (status = 422, body = ErrorBody, description = "A field is invalid, or the plan is unknown or unavailable"),
    (status = 503, body = ErrorBody, description = "`relay/no-capacity`: no zooid node has room for a new relay"),
))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<CreateRelay>,
) -> ApiResult<(StatusCode, Json<RelayView>)> {
    let name = relay_fields::name(&input.name)?;
    let sub = subdomain::parse(&input.subdomain)?;
    let icon = relay_fields::icon(&input.icon)?;
    let description = relay_fields::description(&input.description)?;
    let schema = subdomain::schema_for(&sub);

    let id = uuid::Uuid::now_v7().simple().to_string();
    let keys = Keys::generate();
    let secret_enc = state.vault.seal(
        &relay_secret_context(&id),
        keys.secret_key().to_secret_hex().as_bytes(),
    );
    let me = caller.hex();
    let now = unix_now();

    let mut tx = db::begin_write(&state.db).await?;
    check_plan(&state, &mut tx, &input.plan).await?;
    lifecycle::tenant::register(&mut tx, &me, now).await?;
    require_active_tenant(&mut tx, &caller, &me).await?;
    let new = db::relays::NewRelay {
        id: &id,
        tenant: &me,
        name: &name,
        subdomain: &sub,
        schema: &schema,
        icon: &icon,
        description: &description,
        plan: &input.plan,
        pubkey: &keys.public_key().to_hex(),
        secret_enc: &secret_enc,
        node: None,
    };
    if let Err(refused) = lifecycle::relay::create(&mut tx, &state.life, &me, &new, now).await {
        if matches!(
            refused,
            lifecycle::Error::Refused(lifecycle::Refusal::NoCapacity)
        ) {
            // The creating transaction is rolled back; the refusal is recorded on its own.
            drop(tx);
            tracing::warn!(subdomain = %sub, "no zooid node has room for a new relay");
            lifecycle::node::placement_refused(&state.db, &me, &sub, now).await?;
        }
        return Err(refused.into());
    }
    let relay = db::relays::get(&mut *tx, &id)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("relay vanished")))?;
    tx.commit().await?;
    state.provisioner.kick();
    state.provisioner.reroute();
    state.billing.nudge();
    tracing::info!(relay = %id, subdomain = %sub, plan = %input.plan, node = ?relay.node, "relay created");
    Ok((
        StatusCode::CREATED,
        Json(RelayView::new(relay, &state.settings.relay_domain)),
    ))
}

/// Changes a relay's name, subdomain, icon, description or plan. The zooid schema
/// stays what it was at creation, even when the subdomain changes.
#[utoipa::path(put, path = "/relays/{id}", operation_id = "updateRelay", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), request_body = UpdateRelay, responses(
    (status = 200, body = RelayView),
    (status = 400, body = ErrorBody),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody, description = "The account is deactivated"),
    (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "The new subdomain is taken"),
    (status = 422, body = ErrorBody),
))]
pub async fn update(
    State(state): State<AppState>,
    access: RelayAccess,
    ApiJson(input): ApiJson<UpdateRelay>,
) -> ApiResult<Json<RelayView>> {
    let id = access.relay.id.clone();
    let name = input.name.as_deref().map(relay_fields::name).transpose()?;
    let sub = input
        .subdomain
        .as_deref()
        .map(subdomain::parse)
        .transpose()?;
    let icon = input.icon.as_deref().map(relay_fields::icon).transpose()?;
    let description = input
        .description
        .as_deref()
        .map(relay_fields::description)
        .transpose()?;
    let now = unix_now();

    let mut tx = db::begin_write(&state.db).await?;
    let current = db::relays::get(&mut *tx, &id)
        .await?
        .ok_or_else(ApiError::relay_not_found)?;
    require_active_tenant(&mut tx, &access.caller, &current.tenant).await?;
    let current_subdomain = current.subdomain.clone();
    let next = db::relays::Fields {
        name: name.as_deref().unwrap_or(&current.name),
        subdomain: sub.as_deref().unwrap_or(&current.subdomain),
        icon: icon.as_deref().unwrap_or(&current.icon),
        description: description.as_deref().unwrap_or(&current.description),
        plan: input.plan.as_deref().unwrap_or(&current.plan),
    };
    let changes = changed_fields(&current, &next);
    if !changes.is_empty() {
        if next.plan != current.plan {
            check_plan(&state, &mut tx, next.plan).await?;
        }
        lifecycle::relay::edit(
            &mut tx,
            &state.life,
            &access.caller.hex(),
            &current,
            &next,
            changes,
            now,
        )
        .await?;
    }
    let relay = db::relays::get(&mut *tx, &id)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("relay vanished")))?;
    tx.commit().await?;
    state.provisioner.kick();
    state.provisioner.kick_claims();
    if relay.subdomain != current_subdomain {
        state.provisioner.reroute();
    }
    state.billing.nudge();
    Ok(Json(RelayView::new(relay, &state.settings.relay_domain)))
}

/// `{field: {from, to}}` for each field that differs.
fn changed_fields(
    current: &db::relays::Relay,
    next: &db::relays::Fields<'_>,
) -> Map<String, Value> {
    let pairs = [
        ("name", current.name.as_str(), next.name),
        ("subdomain", &current.subdomain, next.subdomain),
        ("icon", &current.icon, next.icon),
        ("description", &current.description, next.description),
        ("plan", &current.plan, next.plan),
    ];
    pairs
        .into_iter()
        .filter(|(_, from, to)| from != to)
        .map(|(field, from, to)| (field.to_string(), json!({ "from": from, "to": to })))
        .collect()
}
