//! Every BOLT11 issued for an invoice, with its state: `open`, `settled` or `expired`.

use sqlx::SqliteExecutor;

/// One BOLT11 of an invoice.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub attempt_id: i64,
    pub invoice_id: String,
    pub payment_hash: String,
    pub bolt11: String,
    pub expires_at: i64,
    pub state: String,
}

pub struct NewAttempt<'a> {
    pub invoice_id: &'a str,
    pub bolt11: &'a str,
    pub payment_hash: &'a str,
    pub amount_msat: i64,
    pub expires_at: i64,
}

pub async fn insert(
    db: impl SqliteExecutor<'_>,
    a: &NewAttempt<'_>,
    now: i64,
) -> sqlx::Result<i64> {
    let done = sqlx::query!(
        "INSERT INTO payment_attempts (invoice_id, bolt11, payment_hash, amount_msat, expires_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
        a.invoice_id,
        a.bolt11,
        a.payment_hash,
        a.amount_msat,
        a.expires_at,
        now
    )
    .execute(db)
    .await?;
    Ok(done.last_insert_rowid())
}

/// An open BOLT11 replaced by a fresh one.
pub async fn expire(db: impl SqliteExecutor<'_>, id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE payment_attempts SET state = 'expired' WHERE id = ? AND state = 'open'",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The BOLT11 that paid its invoice, with the preimage when known.
pub async fn settle(
    db: impl SqliteExecutor<'_>,
    id: i64,
    preimage: Option<&str>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE payment_attempts SET state = 'settled', preimage = ?, settled_at = ? WHERE id = ? AND state <> 'settled'",
        preimage,
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// An invoice's BOLT11s, newest first.
pub async fn of_invoice(
    db: impl SqliteExecutor<'_>,
    invoice_id: &str,
) -> sqlx::Result<Vec<Attempt>> {
    sqlx::query_as!(
        Attempt,
        r#"SELECT id AS "attempt_id!", invoice_id, payment_hash, bolt11, expires_at, state
           FROM payment_attempts WHERE invoice_id = ? ORDER BY id DESC"#,
        invoice_id
    )
    .fetch_all(db)
    .await
}

pub async fn by_hash(
    db: impl SqliteExecutor<'_>,
    payment_hash: &str,
) -> sqlx::Result<Option<Attempt>> {
    sqlx::query_as!(
        Attempt,
        r#"SELECT id AS "attempt_id!", invoice_id, payment_hash, bolt11, expires_at, state
           FROM payment_attempts WHERE payment_hash = ?"#,
        payment_hash
    )
    .fetch_optional(db)
    .await
}
