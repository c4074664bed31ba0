//! The operator's overview: tenants, relays, revenue, invoices, sync and message health in
//! one read for the admin dashboard. Each figure is defined in spec.md ("Operator overview").

use crate::api::json::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::stats::{self, WEEK};
use crate::domain::status::RelayStatus;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// How many weeks the sign-up and revenue series cover.
const WEEKS: i64 = 8;
/// The window of the payment success rate.
const WINDOW_DAYS: i64 = 30;

#[derive(Serialize, ToSchema)]
pub struct Stats {
    /// The instant the figures are for (unix seconds, billing clock).
    pub generated_at: i64,
    pub tenants: TenantStats,
    pub relays: RelayStats,
    pub revenue: Revenue,
    pub invoices: InvoiceStats,
    pub sync: SyncStats,
    pub messages: MessageStats,
}

#[derive(Serialize, ToSchema)]
pub struct TenantStats {
    pub total: i64,
    pub active: i64,
    /// Sign-ups in each of the last 8 weeks, oldest first; the last week ends now.
    pub new_per_week: Vec<WeekCount>,
}

#[derive(Serialize, ToSchema)]
pub struct WeekCount {
    /// The week is `(start, end]`.
    pub start: i64,
    pub end: i64,
    pub count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct RelayStats {
    pub total: i64,
    /// Every status, in lifecycle order, with its count (zero included).
    pub by_status: Vec<RelayStatusCount>,
    /// Every plan, in display order.
    pub by_plan: Vec<PlanCount>,
}

#[derive(Serialize, ToSchema)]
pub struct RelayStatusCount {
    pub status: RelayStatus,
    pub count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PlanCount {
    pub plan: String,
    pub name: String,
    /// The plan's monthly price today.
    pub price_sats: i64,
    /// Relays on this plan in any status.
    pub total: i64,
    /// Of those, `pending` or `active` (billed).
    pub running: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Revenue {
    /// Monthly recurring revenue: running relays at their plan's monthly price.
    pub mrr_sats: i64,
    /// MRR at the end of each of the last 8 weeks, oldest first; the last point is now.
    pub trend: Vec<MrrPoint>,
}

#[derive(Serialize, ToSchema)]
pub struct MrrPoint {
    pub at: i64,
    pub mrr_sats: i64,
}

#[derive(Serialize, ToSchema)]
pub struct InvoiceStats {
    /// Open invoices with something to pay.
    pub open: i64,
    pub open_sats: i64,
    /// Open invoices past their due date plus the grace period (BILLING_GRACE_DAYS).
    pub overdue: i64,
    pub overdue_sats: i64,
    /// Invoices paid in the last 30 days.
    pub paid_30d: i64,
    /// Invoices whose grace period ran out unpaid in the last 30 days (still open).
    pub lapsed_30d: i64,
    /// `paid_30d / (paid_30d + lapsed_30d)`; absent when both are zero.
    pub success_rate: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct SyncStats {
    /// zooid serves the relay's latest configuration.
    pub synced: i64,
    /// A change is on its way (no error yet).
    pub behind: i64,
    /// Retrying after an error.
    pub failing: i64,
}

#[derive(Serialize, ToSchema)]
pub struct MessageStats {
    pub sent: i64,
    /// Not tried yet, or waiting for its first try.
    pub pending: i64,
    /// Still pending after a failed delivery attempt.
    pub failing: i64,
}

/// The operator's overview figures, computed from the database at request time (admin only).
#[utoipa::path(get, path = "/stats", tag = "stats", operation_id = "getStats", security(("nip98" = [])), responses(
    (status = 200, body = Stats),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody),
))]
pub async fn get(State(state): State<AppState>) -> ApiResult<Json<Stats>> {
    let db = &state.db;
    let now = state.life.clock.now();
    let grace = i64::from(state.settings.billing_grace_days) * 24 * 3600;

    let tenants = stats::tenants(db).await?;
    let per_week = stats::new_tenants_per_week(db, now, WEEKS).await?;
    let new_per_week = (0..WEEKS)
        .rev()
        .map(|k| WeekCount {
            start: now - (k + 1) * WEEK,
            end: now - k * WEEK,
            count: per_week
                .iter()
                .find(|(w, _)| *w == k)
                .map_or(0, |(_, n)| *n),
        })
        .collect();

    let counts = stats::relays_by_status(db).await?;
    let by_status: Vec<_> = RelayStatus::ALL
        .iter()
        .map(|s| RelayStatusCount {
            status: *s,
            count: counts.iter().find(|c| c.status == *s).map_or(0, |c| c.n),
        })
        .collect();
    let by_plan = stats::relays_by_plan(db)
        .await?
        .into_iter()
        .map(|p| PlanCount {
            plan: p.plan,
            name: p.name,
            price_sats: p.price_sats,
            total: p.total,
            running: p.running,
        })
        .collect();

    let mrr_sats = stats::mrr(db).await?;
    let trend = stats::mrr_trend(db, now, WEEK, WEEKS)
        .await?
        .into_iter()
        .rev()
        .map(|(k, sats)| MrrPoint {
            at: now - k * WEEK,
            mrr_sats: sats,
        })
        .collect();

    let i = stats::invoices(db, now, grace, now - WINDOW_DAYS * 24 * 3600).await?;
    let decided = i.paid + i.lapsed;
    let invoices = InvoiceStats {
        open: i.open,
        open_sats: i.open_msat / 1000,
        overdue: i.overdue,
        overdue_sats: i.overdue_msat / 1000,
        paid_30d: i.paid,
        lapsed_30d: i.lapsed,
        success_rate: (decided > 0).then(|| i.paid as f64 / decided as f64),
    };

    let s = stats::sync(db).await?;
    let m = stats::messages(db).await?;
    Ok(Json(Stats {
        generated_at: now,
        tenants: TenantStats {
            total: tenants.total,
            active: tenants.active,
            new_per_week,
        },
        relays: RelayStats {
            total: by_status.iter().map(|c| c.count).sum(),
            by_status,
            by_plan,
        },
        revenue: Revenue { mrr_sats, trend },
        invoices,
        sync: SyncStats {
            synced: s.synced,
            behind: s.behind,
            failing: s.failing,
        },
        messages: MessageStats {
            sent: m.sent,
            pending: m.pending,
            failing: m.failing,
        },
    }))
}
