//! The operator's overview figures, each computed by one read over its table (see spec.md,
//! "Operator overview", for what every figure means). Nothing here writes.

use sqlx::SqliteExecutor;

use crate::domain::status::RelayStatus;

pub const WEEK: i64 = 7 * 24 * 3600;

pub struct TenantCounts {
    pub total: i64,
    pub active: i64,
}

pub async fn tenants(db: impl SqliteExecutor<'_>) -> sqlx::Result<TenantCounts> {
    sqlx::query_as!(
        TenantCounts,
        r#"SELECT count(*) AS "total!: i64", coalesce(sum(status = 'active'), 0) AS "active!: i64"
           FROM tenants"#
    )
    .fetch_one(db)
    .await
}

/// Sign-ups per week back from `now`: `(k, n)` = `n` tenants created in
/// `(now - (k+1) weeks, now - k weeks]`, for `k < weeks`; weeks without one are absent.
pub async fn new_tenants_per_week(
    db: impl SqliteExecutor<'_>,
    now: i64,
    weeks: i64,
) -> sqlx::Result<Vec<(i64, i64)>> {
    let rows = sqlx::query!(
        r#"SELECT (?1 - created_at) / ?2 AS "week!: i64", count(*) AS "n!: i64"
           FROM tenants WHERE created_at <= ?1 AND created_at > ?1 - ?2 * ?3
           GROUP BY 1"#,
        now,
        WEEK,
        weeks
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.week, r.n)).collect())
}

pub struct StatusCount {
    pub status: RelayStatus,
    pub n: i64,
}

pub async fn relays_by_status(db: impl SqliteExecutor<'_>) -> sqlx::Result<Vec<StatusCount>> {
    sqlx::query_as!(
        StatusCount,
        r#"SELECT status AS "status!: RelayStatus", n AS "n!: i64" FROM relay_counts WHERE n > 0"#
    )
    .fetch_all(db)
    .await
}

pub struct PlanCount {
    pub plan: String,
    pub name: String,
    pub price_sats: i64,
    pub total: i64,
    pub running: i64,
}

/// Every plan in display order, with how many relays are on it and how many of them run.
pub async fn relays_by_plan(db: impl SqliteExecutor<'_>) -> sqlx::Result<Vec<PlanCount>> {
    sqlx::query_as!(
        PlanCount,
        r#"SELECT p.id AS "plan!: String", p.name AS "name!: String", p.price_sats AS "price_sats!: i64",
                  count(r.id) AS "total!: i64",
                  coalesce(sum(r.status IN ('pending', 'active')), 0) AS "running!: i64"
           FROM plans p LEFT JOIN relays r ON r.plan = p.id
           GROUP BY p.id ORDER BY p.position"#
    )
    .fetch_all(db)
    .await
}

/// Monthly recurring revenue in sats at each of `points` instants `now - k * step`
/// (k = 0 first), rebuilt from the append-only activity trail: a relay counts at `t` if its
/// last running-state event at or before `t` left it running (created or reactivated, not
/// deactivated or suspended), at today's price of the plan its last plan event gave it.
pub async fn mrr_trend(
    db: impl SqliteExecutor<'_>,
    now: i64,
    step: i64,
    points: i64,
) -> sqlx::Result<Vec<(i64, i64)>> {
    let rows = sqlx::query!(
        r#"WITH RECURSIVE points(k, at) AS (
               SELECT 0, ?1 UNION ALL SELECT k + 1, at - ?2 FROM points WHERE k + 1 < ?3
           ),
           relays_then AS (
               SELECT p.at AS at, a.resource_id AS relay,
                      (SELECT e.action NOT IN ('relay.deactivated', 'relay.suspended') FROM activity e
                       WHERE e.resource_type = 'relay' AND e.resource_id = a.resource_id AND e.at <= p.at
                         AND e.action IN ('relay.created', 'relay.deactivated', 'relay.suspended', 'relay.reactivated')
                       ORDER BY e.id DESC LIMIT 1) AS running,
                      (SELECT coalesce(json_extract(e.details, '$.plan.to'), json_extract(e.details, '$.plan'))
                       FROM activity e
                       WHERE e.resource_type = 'relay' AND e.resource_id = a.resource_id AND e.at <= p.at
                         AND e.action IN ('relay.created', 'relay.plan-changed')
                       ORDER BY e.id DESC LIMIT 1) AS plan
               FROM points p JOIN activity a
                 ON a.resource_type = 'relay' AND a.action = 'relay.created' AND a.at <= p.at
           )
           SELECT p.k AS "k!: i64", coalesce(sum(CASE WHEN t.running THEN pl.price_sats END), 0) AS "sats!: i64"
           FROM points p LEFT JOIN relays_then t ON t.at = p.at LEFT JOIN plans pl ON pl.id = t.plan
           GROUP BY p.k ORDER BY p.k"#,
        now,
        step,
        points
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.k, r.sats)).collect())
}

/// Today's monthly recurring revenue in sats: running relays at their plan's price.
pub async fn mrr(db: impl SqliteExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT coalesce(sum(p.price_sats), 0) AS "sats!: i64"
           FROM relays r JOIN plans p ON p.id = r.plan WHERE r.status IN ('pending', 'active')"#
    )
    .fetch_one(db)
    .await
}

pub struct InvoiceCounts {
    pub open: i64,
    pub open_msat: i64,
    pub overdue: i64,
    pub overdue_msat: i64,
    /// Paid in the window.
    pub paid: i64,
    /// Went past due + grace in the window and are still open.
    pub lapsed: i64,
}

/// Open and overdue invoices now (overdue: open, not free, past `due_at + grace`), and the
/// window's outcomes since `since`: invoices paid, and invoices whose grace ran out unpaid.
pub async fn invoices(
    db: impl SqliteExecutor<'_>,
    now: i64,
    grace: i64,
    since: i64,
) -> sqlx::Result<InvoiceCounts> {
    sqlx::query_as!(
        InvoiceCounts,
        r#"SELECT
             coalesce(sum(status = 'open' AND amount_msat > 0), 0) AS "open!: i64",
             coalesce(sum(CASE WHEN status = 'open' THEN amount_msat END), 0) AS "open_msat!: i64",
             coalesce(sum(status = 'open' AND amount_msat > 0 AND due_at + ?2 <= ?1), 0) AS "overdue!: i64",
             coalesce(sum(CASE WHEN status = 'open' AND amount_msat > 0 AND due_at + ?2 <= ?1 THEN amount_msat END), 0) AS "overdue_msat!: i64",
             coalesce(sum(status = 'paid' AND amount_msat > 0 AND paid_at > ?3 AND paid_at <= ?1), 0) AS "paid!: i64",
             coalesce(sum(status = 'open' AND amount_msat > 0 AND due_at + ?2 > ?3 AND due_at + ?2 <= ?1), 0) AS "lapsed!: i64"
           FROM invoices"#,
        now,
        grace,
        since
    )
    .fetch_one(db)
    .await
}

pub struct SyncCounts {
    pub synced: i64,
    pub behind: i64,
    pub failing: i64,
}

/// Relays whose zooid configuration is current, on its way, or retrying after an error.
pub async fn sync(db: impl SqliteExecutor<'_>) -> sqlx::Result<SyncCounts> {
    sqlx::query_as!(
        SyncCounts,
        r#"SELECT
             coalesce(sum(synced_version >= desired_version), 0) AS "synced!: i64",
             coalesce(sum(synced_version < desired_version AND sync_error IS NULL), 0) AS "behind!: i64",
             coalesce(sum(synced_version < desired_version AND sync_error IS NOT NULL), 0) AS "failing!: i64"
           FROM relays"#
    )
    .fetch_one(db)
    .await
}

pub struct MessageCounts {
    pub sent: i64,
    pub pending: i64,
    pub failing: i64,
}

/// Outbox messages delivered, waiting for their first try, and retrying after an error.
pub async fn messages(db: impl SqliteExecutor<'_>) -> sqlx::Result<MessageCounts> {
    sqlx::query_as!(
        MessageCounts,
        r#"SELECT
             coalesce(sum(state = 'sent'), 0) AS "sent!: i64",
             coalesce(sum(state = 'pending' AND last_error IS NULL), 0) AS "pending!: i64",
             coalesce(sum(state = 'pending' AND last_error IS NOT NULL), 0) AS "failing!: i64"
           FROM outbox"#
    )
    .fetch_one(db)
    .await
}
