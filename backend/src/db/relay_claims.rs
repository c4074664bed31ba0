//! `relay_claims`: relays whose claims at zooid are due to be brought in line with their
//! invites (see `crate::community::claims`).

use sqlx::SqliteExecutor;

/// A relay whose claims are due, as claimed under a lease.
#[derive(Debug, Clone)]
pub struct Due {
    pub relay_id: String,
    /// The calls for a look counted when it was claimed.
    pub generation: i64,
    /// Counting this one.
    pub attempts: i64,
}

/// Asks for a look at the relay's claims now (or keeps an earlier time).
pub async fn due_now(db: impl SqliteExecutor<'_>, relay: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO relay_claims (relay_id, due_at, generation) VALUES (?1, ?2, 1)
         ON CONFLICT (relay_id) DO UPDATE SET
             due_at = min(coalesce(due_at, ?2), ?2), generation = generation + 1",
        relay,
        now
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Claims up to `limit` relays due at `now` whose relay zooid serves (an inactive relay's
/// claims wait for it to come back).
pub async fn claim(
    db: impl SqliteExecutor<'_>,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> sqlx::Result<Vec<Due>> {
    sqlx::query_as!(
        Due,
        r#"UPDATE relay_claims SET lease_until = ?1, attempts = attempts + 1
           WHERE relay_id IN (
               SELECT c.relay_id FROM relay_claims c JOIN relays r ON r.id = c.relay_id
               WHERE c.due_at <= ?2 AND (c.lease_until IS NULL OR c.lease_until < ?2)
                 AND r.status = 'active'
               ORDER BY c.due_at LIMIT ?3)
           RETURNING relay_id AS "relay_id!", generation, attempts"#,
        lease_until,
        now,
        limit
    )
    .fetch_all(db)
    .await
}

/// The relay's claims are in line: look again at `next` (a claimed invite's expiry), or not
/// at all, unless a look was asked for since the claim.
pub async fn done(db: impl SqliteExecutor<'_>, job: &Due, next: Option<i64>) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relay_claims SET lease_until = NULL, attempts = 0, last_error = NULL,
             due_at = CASE WHEN generation = ?2 THEN ?3 ELSE due_at END
         WHERE relay_id = ?1",
        job.relay_id,
        job.generation,
        next
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A look that failed: why, and when to try again.
pub async fn failed(
    db: impl SqliteExecutor<'_>,
    relay: &str,
    error: &str,
    next_at: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relay_claims SET lease_until = NULL, last_error = ?, due_at = ? WHERE relay_id = ?",
        error,
        next_at,
        relay
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Gives back every lease (start-up and shutdown: one process per database).
pub async fn release_all(db: impl SqliteExecutor<'_>) -> sqlx::Result<u64> {
    let done =
        sqlx::query!("UPDATE relay_claims SET lease_until = NULL WHERE lease_until IS NOT NULL")
            .execute(db)
            .await?;
    Ok(done.rows_affected())
}
