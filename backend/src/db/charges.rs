//! The charge ledger: what each relay cost or credited, per period, and on which invoice.

use sqlx::SqliteExecutor;

pub struct NewCharge<'a> {
    pub tenant: &'a str,
    pub relay_id: Option<&'a str>,
    pub plan: Option<&'a str>,
    pub reason: &'a str,
    pub period_start: i64,
    pub period_end: i64,
    pub from_at: i64,
    pub amount_msat: i64,
    pub description: &'a str,
    pub invoice_id: Option<&'a str>,
}

pub async fn insert(db: impl SqliteExecutor<'_>, c: &NewCharge<'_>, now: i64) -> sqlx::Result<i64> {
    let done = sqlx::query!(
        "INSERT INTO charges (tenant, relay_id, plan, reason, period_start, period_end, from_at, amount_msat,
                              description, invoice_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        c.tenant,
        c.relay_id,
        c.plan,
        c.reason,
        c.period_start,
        c.period_end,
        c.from_at,
        c.amount_msat,
        c.description,
        c.invoice_id,
        now
    )
    .execute(db)
    .await?;
    Ok(done.last_insert_rowid())
}

/// A relay's charge in one period, with whether its invoice is still unpaid.
pub struct RelayCharge {
    pub amount_msat: i64,
    pub from_at: i64,
    pub unpaid: bool,
}

/// The relay's charges in the period starting at `period_start`, except those on void invoices.
pub async fn of_relay(
    db: impl SqliteExecutor<'_>,
    relay_id: &str,
    period_start: i64,
) -> sqlx::Result<Vec<RelayCharge>> {
    sqlx::query_as!(
        RelayCharge,
        r#"SELECT c.amount_msat, c.from_at, (i.status IS NOT NULL AND i.status = 'open') AS "unpaid!: bool"
           FROM charges c LEFT JOIN invoices i ON i.id = c.invoice_id
           WHERE c.relay_id = ? AND c.period_start = ? AND (i.status IS NULL OR i.status <> 'void')"#,
        relay_id,
        period_start
    )
    .fetch_all(db)
    .await
}

/// The tenant's credits (and debts) not yet on an invoice, in msat.
pub async fn waiting(db: impl SqliteExecutor<'_>, tenant: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT coalesce(sum(amount_msat), 0) AS "n!: i64" FROM charges WHERE tenant = ? AND invoice_id IS NULL"#,
        tenant
    )
    .fetch_one(db)
    .await
}

/// Puts the tenant's waiting charges on `invoice_id`.
pub async fn attach_waiting(
    db: impl SqliteExecutor<'_>,
    tenant: &str,
    invoice_id: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE charges SET invoice_id = ? WHERE tenant = ? AND invoice_id IS NULL",
        invoice_id,
        tenant
    )
    .execute(db)
    .await?;
    Ok(())
}
