//! A relay's move from one zooid node to another, as durable steps on the relay's row: the
//! step it is at, and the move's own lease and backoff (apart from the relay's syncs).
//! Started and advanced only by [`crate::lifecycle::node`] and the move queue.

use futures::TryStreamExt;
use sqlx::SqliteExecutor;

use crate::domain::status::MoveStep;

/// A move claimed for one attempt, with its failed attempts so far.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: String,
    pub attempts: i64,
}

/// Starts a move to `to` unless one is in progress; whether it started.
pub async fn start(
    db: impl SqliteExecutor<'_>,
    id: &str,
    to: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE relays SET move_to = ?, move_step = 'preparing', move_attempts = 0, move_error = NULL,
                           move_next_at = ?, move_lease_until = NULL
         WHERE id = ? AND move_step IS NULL",
        to,
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Leases up to `limit` moves that are due.
pub async fn claim_due(
    db: impl SqliteExecutor<'_>,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> sqlx::Result<Vec<Claimed>> {
    sqlx::query_as!(
        Claimed,
        r#"UPDATE relays SET move_lease_until = ?2
           WHERE id IN (
               SELECT id FROM relays
               WHERE move_step IS NOT NULL AND move_next_at <= ?1
                 AND (move_lease_until IS NULL OR move_lease_until <= ?1)
               ORDER BY move_next_at, id LIMIT ?3)
           RETURNING id AS "id!: String", move_attempts AS attempts"#,
        now,
        lease_until,
        limit
    )
    .fetch_all(db)
    .await
}

/// The step after `from` is next, at once.
pub async fn advance(
    db: impl SqliteExecutor<'_>,
    id: &str,
    from: MoveStep,
    to: MoveStep,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relays SET move_step = ?, move_attempts = 0, move_error = NULL, move_next_at = ?
         WHERE id = ? AND move_step = ?",
        to,
        now,
        id,
        from
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The switch: the relay is routed to and served by the target from now on (its desired
/// version bumps, so the target gets the live configuration), and the source is retired next.
pub async fn switch(db: impl SqliteExecutor<'_>, id: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relays SET move_from = node, node = move_to, move_to = NULL, move_step = 'retiring',
                           move_attempts = 0, move_error = NULL, move_next_at = ?1,
                           desired_version = desired_version + 1, sync_next_at = ?1, updated_at = ?1
         WHERE id = ?2 AND move_step = 'switching'",
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The move is over.
pub async fn finish(db: impl SqliteExecutor<'_>, id: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relays SET move_from = NULL, move_step = NULL, move_attempts = 0, move_error = NULL,
                           move_next_at = NULL, move_lease_until = NULL
         WHERE id = ? AND move_step = 'retiring'",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Records a failed attempt at the current step and when to try again.
pub async fn failed(
    db: impl SqliteExecutor<'_>,
    id: &str,
    error: &str,
    next_at: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relays SET move_attempts = move_attempts + 1, move_error = ?, move_next_at = ?, move_lease_until = NULL
         WHERE id = ?",
        error,
        next_at,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Gives back every move lease (one process works a database).
pub async fn release_all(db: impl SqliteExecutor<'_>) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "UPDATE relays SET move_lease_until = NULL WHERE move_lease_until IS NOT NULL"
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// When the next move step is due.
pub async fn next_due(db: impl SqliteExecutor<'_>) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        r#"SELECT min(move_next_at) AS "due: i64" FROM relays WHERE move_step IS NOT NULL"#
    )
    .fetch_one(db)
    .await
}

/// Relays without a node (from before nodes existed) are placed on `node`.
pub async fn place_unplaced(db: impl SqliteExecutor<'_>, node: &str) -> sqlx::Result<u64> {
    let done = sqlx::query!("UPDATE relays SET node = ? WHERE node IS NULL", node)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// Every placed relay's `(subdomain, node)`, streamed.
pub fn routes<'e>(
    db: impl SqliteExecutor<'e> + 'e,
) -> futures::stream::BoxStream<'e, sqlx::Result<(String, String)>> {
    Box::pin(
        sqlx::query!(r#"SELECT subdomain, node AS "node!" FROM relays WHERE node IS NOT NULL"#)
            .fetch(db)
            .map_ok(|r| (r.subdomain, r.node)),
    )
}
