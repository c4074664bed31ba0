//! Billing's SQL: charges, invoices and their items, payment attempts.

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

pub async fn insert_charge(
    db: impl SqliteExecutor<'_>,
    c: &NewCharge<'_>,
    now: i64,
) -> sqlx::Result<i64> {
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

/// A relay's charges in one period, with whether their invoice is still unpaid.
pub struct RelayCharge {
    pub amount_msat: i64,
    pub from_at: i64,
    pub unpaid: bool,
}

/// The relay's charges in the period starting at `period_start`, except those on void invoices.
pub async fn relay_charges(
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

pub struct NewInvoice<'a> {
    pub id: &'a str,
    pub tenant: &'a str,
    pub kind: &'a str,
    pub period_start: i64,
    pub period_end: i64,
    pub amount_msat: i64,
    pub due_at: i64,
}

/// Inserts an invoice; `false` when a period invoice for that tenant and period exists.
pub async fn insert_invoice(
    db: impl SqliteExecutor<'_>,
    i: &NewInvoice<'_>,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "INSERT INTO invoices (id, tenant, kind, period_start, period_end, amount_msat, due_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tenant, period_start) WHERE kind = 'period' DO NOTHING",
        i.id,
        i.tenant,
        i.kind,
        i.period_start,
        i.period_end,
        i.amount_msat,
        i.due_at,
        now,
        now
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Copies the invoice's charges into its items (what the tenant sees).
pub async fn items_from_charges(db: impl SqliteExecutor<'_>, invoice_id: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO invoice_items (invoice_id, relay_id, plan, description, period_start, period_end, amount_msat)
         SELECT invoice_id, relay_id, coalesce(plan, 'free'), description, from_at, period_end, amount_msat
         FROM charges WHERE invoice_id = ? ORDER BY id",
        invoice_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Zero-amount invoices (fully covered by credit) are settled at once.
pub async fn settle_free(
    db: impl SqliteExecutor<'_>,
    invoice_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE invoices SET status = 'paid', paid_at = ?, updated_at = ? WHERE id = ? AND status = 'open' AND amount_msat = 0",
        now,
        now,
        invoice_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The open invoice with its current BOLT11 attempt, for payment checks.
#[derive(Debug, Clone)]
pub struct OpenAttempt {
    pub attempt_id: i64,
    pub invoice_id: String,
    pub payment_hash: String,
    pub bolt11: String,
    pub expires_at: i64,
    pub state: String,
}

pub async fn attempts_of(
    db: impl SqliteExecutor<'_>,
    invoice_id: &str,
) -> sqlx::Result<Vec<OpenAttempt>> {
    sqlx::query_as!(
        OpenAttempt,
        r#"SELECT id AS "attempt_id!", invoice_id, payment_hash, bolt11, expires_at, state
           FROM payment_attempts WHERE invoice_id = ? ORDER BY id DESC"#,
        invoice_id
    )
    .fetch_all(db)
    .await
}

pub async fn attempt_by_hash(
    db: impl SqliteExecutor<'_>,
    payment_hash: &str,
) -> sqlx::Result<Option<OpenAttempt>> {
    sqlx::query_as!(
        OpenAttempt,
        r#"SELECT id AS "attempt_id!", invoice_id, payment_hash, bolt11, expires_at, state
           FROM payment_attempts WHERE payment_hash = ?"#,
        payment_hash
    )
    .fetch_optional(db)
    .await
}
