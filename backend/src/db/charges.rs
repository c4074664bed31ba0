//! The charge ledger: what each relay cost or credited, per period, and on which invoice.

use sqlx::SqliteExecutor;

#[derive(Clone, Copy, serde::Serialize)]
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

pub async fn insert(db: impl SqliteExecutor<'_>, c: &NewCharge<'_>, now: i64) -> sqlx::Result<()> {
    insert_many(db, &[*c], now).await
}

/// Records charges in one statement, in order.
pub async fn insert_many(
    db: impl SqliteExecutor<'_>,
    charges: &[NewCharge<'_>],
    now: i64,
) -> sqlx::Result<()> {
    if charges.is_empty() {
        return Ok(());
    }
    let rows = super::json_rows(charges)?;
    sqlx::query!(
        "INSERT INTO charges (tenant, relay_id, plan, reason, period_start, period_end, from_at, amount_msat,
                              description, invoice_id, created_at)
         SELECT value ->> 'tenant', value ->> 'relay_id', value ->> 'plan', value ->> 'reason',
                value ->> 'period_start', value ->> 'period_end', value ->> 'from_at', value ->> 'amount_msat',
                value ->> 'description', value ->> 'invoice_id', ?1
         FROM json_each(?2) ORDER BY key",
        now,
        rows
    )
    .execute(db)
    .await?;
    Ok(())
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

/// Each of `tenants`' credits (and debts) not yet on an invoice, in msat (tenants with
/// none are left out).
pub async fn waiting_of(
    db: impl SqliteExecutor<'_>,
    tenants: &[&str],
) -> sqlx::Result<Vec<(String, i64)>> {
    let tenants = super::json_rows(tenants)?;
    let rows = sqlx::query!(
        r#"SELECT tenant AS "tenant!", sum(amount_msat) AS "n!: i64" FROM charges
           WHERE tenant IN (SELECT value FROM json_each(?)) AND invoice_id IS NULL GROUP BY tenant"#,
        tenants
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.tenant, r.n)).collect())
}

/// The invoice a tenant's waiting charges go on, for [`attach_waiting_many`].
#[derive(serde::Serialize)]
pub struct WaitingFor<'a> {
    pub tenant: &'a str,
    pub invoice_id: &'a str,
}

/// Puts each tenant's waiting charges on its invoice, in one statement.
pub async fn attach_waiting_many(
    db: impl SqliteExecutor<'_>,
    each: &[WaitingFor<'_>],
) -> sqlx::Result<()> {
    if each.is_empty() {
        return Ok(());
    }
    let rows = super::json_rows(each)?;
    sqlx::query!(
        "UPDATE charges SET invoice_id = w.value ->> 'invoice_id'
         FROM json_each(?) AS w WHERE charges.tenant = w.value ->> 'tenant' AND charges.invoice_id IS NULL",
        rows
    )
    .execute(db)
    .await?;
    Ok(())
}
