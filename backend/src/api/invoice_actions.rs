//! Acting on one invoice: the dashboard's "I've paid" check (owner or admin), and an
//! admin marking it paid or void with a reason kept in the activity log.

use std::time::Duration;

use crate::api::json::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::access::InvoiceAccess;
use super::extract::ApiJson;
use super::invoices::InvoiceView;
use crate::billing::collect;
use crate::db;
use crate::domain::status::InvoiceStatus;
use crate::error::{ApiError, ApiResult, Code, ErrorBody};
use crate::lifecycle;
use crate::state::AppState;
use crate::telemetry::metrics;

async fn view(state: &AppState, id: &str) -> ApiResult<Json<InvoiceView>> {
    let invoice = db::invoices::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::new(Code::InvoiceNotFound, "There is no such invoice."))?;
    let items = db::invoices::items(&state.db, id).await?;
    Ok(Json(InvoiceView::new(invoice, Some(items))))
}

/// Asks the operator's wallet now whether any BOLT11 of this invoice was paid.
#[utoipa::path(post, path = "/invoices/{id}/check", operation_id = "checkInvoice", tag = "invoices", security(("nip98" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = InvoiceView, description = "The invoice, paid if the wallet says so"),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 503, body = ErrorBody, description = "The operator's wallet did not answer"),
))]
pub async fn check(
    State(state): State<AppState>,
    access: InvoiceAccess,
) -> ApiResult<Json<InvoiceView>> {
    let id = access.invoice.id.clone();
    if access.invoice.status == InvoiceStatus::Open
        && let Some(uri) = state.settings.nwc_uri()
    {
        let timeout = Duration::from_secs(u64::from(state.settings.nwc_timeout_secs));
        let wallet = state
            .billing
            .operator(&uri, timeout)
            .await
            .map_err(unavailable)?;
        for attempt in db::payment_attempts::of_invoice(&state.db, &id).await? {
            match collect::check_attempt(&state.billing, &wallet, &attempt, &access.caller.hex())
                .await
            {
                Ok(Some(nostr_sdk::nips::nip47::TransactionState::Settled)) => break,
                Ok(_) => {}
                Err(collect::CheckError::Wallet(e)) => return Err(unavailable(e)),
                Err(collect::CheckError::Settle(e)) => return Err(e.into()),
            }
        }
    }
    view(&state, &id).await
}

fn unavailable(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        Code::BillingWalletUnavailable,
        format!("The platform's wallet did not answer ({e}); try again in a minute."),
    )
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Why, for the activity log (1–500 characters).
    pub reason: String,
}

fn reason(input: &Reason) -> ApiResult<String> {
    let r = input.reason.trim();
    if r.is_empty() || r.chars().count() > 500 {
        return Err(ApiError::new(
            Code::InvoiceInvalidReason,
            "Give a reason of 1 to 500 characters.",
        )
        .with_field("reason"));
    }
    Ok(r.to_string())
}

/// Marks an open invoice paid (admin only), e.g. for a payment made outside Lightning.
#[utoipa::path(post, path = "/invoices/{id}/mark-paid", operation_id = "markInvoicePaid", tag = "invoices", security(("nip98" = [])), params(("id" = String, Path)), request_body = Reason, responses(
    (status = 200, body = InvoiceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn mark_paid(
    State(state): State<AppState>,
    access: InvoiceAccess,
    ApiJson(input): ApiJson<Reason>,
) -> ApiResult<Json<InvoiceView>> {
    let why = reason(&input)?;
    let id = access.invoice.id.clone();
    let mut tx = db::begin_write(&state.db).await?;
    let paid = lifecycle::invoice::settle(
        &mut tx,
        &state.life,
        &id,
        None,
        &access.caller.hex(),
        json!({ "via": "admin", "reason": why }),
    )
    .await?;
    if !paid {
        let current = db::invoices::get(&mut *tx, &id)
            .await?
            .map_or(access.invoice.status, |i| i.status);
        return Err(lifecycle::Error::Refused(lifecycle::Refusal::InvoiceNotOpen(current)).into());
    }
    tx.commit().await?;
    metrics::billing_payment("admin");
    state.billing.nudge();
    view(&state, &id).await
}

/// Voids an open invoice (admin only): it is no longer owed and no longer counts.
#[utoipa::path(post, path = "/invoices/{id}/void", operation_id = "voidInvoice", tag = "invoices", security(("nip98" = [])), params(("id" = String, Path)), request_body = Reason, responses(
    (status = 200, body = InvoiceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn void(
    State(state): State<AppState>,
    access: InvoiceAccess,
    ApiJson(input): ApiJson<Reason>,
) -> ApiResult<Json<InvoiceView>> {
    let why = reason(&input)?;
    let id = access.invoice.id.clone();
    let mut tx = db::begin_write(&state.db).await?;
    lifecycle::invoice::void(&mut tx, &state.life, &id, &access.caller.hex(), &why).await?;
    tx.commit().await?;
    view(&state, &id).await
}
