//! Invoices: your own (admins: everyone's), each with its items.

use crate::api::json::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::access::{InvoiceAccess, list_scope};
use super::extract::{ApiQuery, non_empty, paging, status_filter, total_from_page};
use crate::auth::Caller;
use crate::db;
use crate::domain::status::InvoiceStatus;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct InvoiceView {
    pub id: String,
    pub tenant: String,
    /// `period` (the monthly invoice) or `prorated` (a relay created or upgraded mid-period).
    pub kind: String,
    pub period_start: i64,
    pub period_end: i64,
    pub amount_msat: i64,
    /// `open`, `paid` or `void`.
    pub status: InvoiceStatus,
    /// The Lightning invoice to pay, once issued.
    pub bolt11: Option<String>,
    pub payment_hash: Option<String>,
    /// When the current BOLT11 expires (a fresh one is issued after).
    pub expires_at: Option<i64>,
    /// After this, plus the grace period, unpaid relays are suspended.
    pub due_at: i64,
    pub paid_at: Option<i64>,
    pub created_at: i64,
    /// Why the platform could not get a Lightning invoice for it yet (it keeps trying).
    pub last_error: Option<String>,
    /// Present when reading one invoice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<ItemView>>,
}

#[derive(Serialize, ToSchema)]
pub struct ItemView {
    pub relay_id: Option<String>,
    pub plan: String,
    pub description: String,
    pub period_start: i64,
    pub period_end: i64,
    pub amount_msat: i64,
}

#[derive(Serialize, ToSchema)]
pub struct InvoiceList {
    pub items: Vec<InvoiceView>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

impl InvoiceView {
    pub fn new(i: db::invoices::Invoice, items: Option<Vec<db::invoices::Item>>) -> Self {
        let items = items.map(|list| {
            list.into_iter()
                .map(|it| ItemView {
                    relay_id: it.relay_id,
                    plan: it.plan,
                    description: it.description,
                    period_start: it.period_start,
                    period_end: it.period_end,
                    amount_msat: it.amount_msat,
                })
                .collect()
        });
        Self {
            id: i.id,
            tenant: i.tenant,
            kind: i.kind,
            period_start: i.period_start,
            period_end: i.period_end,
            amount_msat: i.amount_msat,
            status: i.status,
            bolt11: i.bolt11,
            payment_hash: i.payment_hash,
            expires_at: i.expires_at,
            due_at: i.due_at,
            paid_at: i.paid_at,
            created_at: i.created_at,
            last_error: i.issue_error,
            items,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvoiceQuery {
    /// Admins: only this tenant's invoices (hex or npub).
    pub tenant: Option<String>,
    /// Only invoices in this status.
    #[param(value_type = Option<InvoiceStatus>)]
    pub status: Option<String>,
    /// Only invoices with an item for this relay.
    pub relay: Option<String>,
    /// How many items to return (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// How many items to skip.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// Your invoices (admins: everyone's), newest first.
#[utoipa::path(get, path = "/invoices", operation_id = "listInvoices", tag = "invoices", security(("nip98" = [])), params(InvoiceQuery), responses(
    (status = 200, body = InvoiceList),
    (status = 400, body = ErrorBody),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody, description = "A tenant asked for another tenant's invoices"),
))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<InvoiceQuery>,
) -> ApiResult<Json<InvoiceList>> {
    let (limit, offset) = paging(query.limit, query.offset)?;
    let tenant = list_scope(&caller, non_empty(&query.tenant))?;
    let status = status_filter(&query.status, "status", InvoiceStatus::names)?;
    let filter = db::invoices::Filter {
        tenant: tenant.as_deref(),
        status,
        relay: non_empty(&query.relay),
        limit,
        offset,
    };
    let items = db::invoices::list(&state.db, &filter).await?;
    let total = match total_from_page(limit, offset, items.len()) {
        Some(total) => total,
        None => db::invoices::count(&state.db, &filter).await?,
    };
    Ok(Json(InvoiceList {
        items: items
            .into_iter()
            .map(|i| InvoiceView::new(i, None))
            .collect(),
        total,
        limit,
        offset,
    }))
}

/// One invoice with its items.
#[utoipa::path(get, path = "/invoices/{id}", operation_id = "getInvoice", tag = "invoices", security(("nip98" = [])), params(("id" = String, Path)), responses(
    (status = 200, body = InvoiceView),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
))]
pub async fn get(
    State(state): State<AppState>,
    access: InvoiceAccess,
) -> ApiResult<Json<InvoiceView>> {
    let items = db::invoices::items(&state.db, &access.invoice.id).await?;
    Ok(Json(InvoiceView::new(access.invoice, Some(items))))
}
