//! Pulls from tenants' wallets (`pay_invoice`), recorded before each request so an answer
//! lost in a crash or a timeout is never paid twice.

use sqlx::SqliteExecutor;

/// An earlier pull of this BOLT11 that never finished (crash, timeout) and did not pay.
pub async fn fail_unfinished(
    db: impl SqliteExecutor<'_>,
    attempt_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE wallet_pulls SET state = 'failed', error = coalesce(error, 'no answer; the invoice was not paid'), finished_at = ?
         WHERE attempt_id = ? AND state = 'sent'",
        now,
        attempt_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Records a pull about to be sent; its id.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    invoice_id: &str,
    attempt_id: i64,
    now: i64,
) -> sqlx::Result<i64> {
    let done = sqlx::query!(
        "INSERT INTO wallet_pulls (invoice_id, attempt_id, created_at) VALUES (?, ?, ?)",
        invoice_id,
        attempt_id,
        now
    )
    .execute(db)
    .await?;
    Ok(done.last_insert_rowid())
}

pub async fn mark_paid(db: impl SqliteExecutor<'_>, id: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE wallet_pulls SET state = 'paid', finished_at = ? WHERE id = ?",
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn mark_failed(
    db: impl SqliteExecutor<'_>,
    id: i64,
    error: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE wallet_pulls SET state = 'failed', error = ?, finished_at = ? WHERE id = ?",
        error,
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}
