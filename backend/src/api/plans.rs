//! The plan catalogue, public so the marketing page can show it.

use crate::api::json::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db;
use crate::error::ApiResult;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct PlanView {
    pub id: String,
    pub name: String,
    pub price_sats: i64,
    /// The monthly price in millisatoshis.
    pub price_msat: i64,
    /// Members a relay on this plan may have; `null` for unlimited.
    pub max_members: Option<i64>,
    pub blossom: bool,
    pub livekit: bool,
    /// Whether the plan can be chosen now: paid plans need the operator's Lightning wallet.
    pub available: bool,
}

impl PlanView {
    pub fn new(p: db::plans::Plan, billing_enabled: bool) -> Self {
        Self {
            available: !p.is_paid() || billing_enabled,
            price_msat: p.price_sats * 1000,
            id: p.id,
            name: p.name,
            price_sats: p.price_sats,
            max_members: p.max_members,
            blossom: p.blossom,
            livekit: p.livekit,
        }
    }
}

/// Every plan, cheapest first.
#[utoipa::path(get, path = "/plans", operation_id = "listPlans", tag = "plans", responses((status = 200, body = Vec<PlanView>)))]
pub async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<PlanView>>> {
    let billing = state.settings.billing_enabled();
    let plans = db::plans::list(&state.db).await?;
    Ok(Json(
        plans
            .into_iter()
            .map(|p| PlanView::new(p, billing))
            .collect(),
    ))
}
