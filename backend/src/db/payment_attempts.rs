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

#[derive(Clone, Copy, serde::Serialize)]
pub struct NewAttempt<'a> {
    pub invoice_id: &'a str,
    pub bolt11: &'a str,
    pub payment_hash: &'a str,
    pub amount_msat: i64,
    pub expires_at: i64,
}

/// Records BOLT11s in one statement; returns each new attempt's id with its invoice.
pub async fn insert_many(
    db: impl SqliteExecutor<'_>,
    attempts: &[NewAttempt<'_>],
    now: i64,
) -> sqlx::Result<Vec<(String, i64)>> {
    let rows = super::json_rows(attempts)?;
    let made = sqlx::query!(
        r#"INSERT INTO payment_attempts (invoice_id, bolt11, payment_hash, amount_msat, expires_at, created_at)
           SELECT value ->> 'invoice_id', value ->> 'bolt11', value ->> 'payment_hash',
                  value ->> 'amount_msat', value ->> 'expires_at', ?1
           FROM json_each(?2)
           RETURNING id AS "id!", invoice_id AS "invoice_id!""#,
        now,
        rows
    )
    .fetch_all(db)
    .await?;
    Ok(made.into_iter().map(|r| (r.invoice_id, r.id)).collect())
}

/// Open BOLT11s replaced by fresh ones.
pub async fn expire_many(db: impl SqliteExecutor<'_>, ids: &[i64]) -> sqlx::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let ids = super::json_rows(ids)?;
    sqlx::query!(
        "UPDATE payment_attempts SET state = 'expired'
         WHERE id IN (SELECT value FROM json_each(?)) AND state = 'open'",
        ids
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
