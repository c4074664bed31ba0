//! The durable message outbox. A message is written in the same transaction as the change
//! that causes it; the worker claims due messages with a lease, builds each gift wrap once
//! and stores it before the first send, so a resend publishes the very same event id.

use sqlx::SqliteExecutor;

/// Queues a private message to `recipient` (hex). `dedupe_key` makes this idempotent:
/// enqueueing the same key twice keeps the first message. Returns whether it was new.
/// Delivery runs on real time, not the billing clock.
pub async fn enqueue(
    db: impl SqliteExecutor<'_>,
    recipient: &str,
    topic: &str,
    dedupe_key: &str,
    body: &str,
) -> sqlx::Result<bool> {
    let now = crate::clock::unix_now();
    let done = sqlx::query!(
        "INSERT INTO outbox (recipient, topic, dedupe_key, body, next_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING",
        recipient,
        topic,
        dedupe_key,
        body,
        now,
        now
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone)]
pub struct Message {
    pub id: i64,
    pub recipient: String,
    pub topic: String,
    pub body: String,
    pub wrap: Option<String>,
    pub attempts: i64,
}

/// Leases up to `limit` due messages until `lease_until`.
pub async fn claim(
    db: impl SqliteExecutor<'_>,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> sqlx::Result<Vec<Message>> {
    sqlx::query_as!(
        Message,
        r#"UPDATE outbox SET lease_until = ?1, attempts = attempts + 1
           WHERE id IN (SELECT id FROM outbox
                        WHERE state = 'pending' AND next_at <= ?2 AND (lease_until IS NULL OR lease_until < ?2)
                        ORDER BY next_at, id LIMIT ?3)
           RETURNING id AS "id!", recipient, topic, body, wrap, attempts"#,
        lease_until,
        now,
        limit
    )
    .fetch_all(db)
    .await
}

/// Stores the gift wrap unless one is stored already; returns the one to publish.
pub async fn store_wrap(
    db: impl SqliteExecutor<'_> + Copy,
    id: i64,
    wrap: &str,
    wrap_id: &str,
) -> sqlx::Result<String> {
    sqlx::query!(
        "UPDATE outbox SET wrap = ?, wrap_id = ? WHERE id = ? AND wrap IS NULL",
        wrap,
        wrap_id,
        id
    )
    .execute(db)
    .await?;
    let stored = sqlx::query_scalar!(r#"SELECT wrap AS "wrap!" FROM outbox WHERE id = ?"#, id)
        .fetch_one(db)
        .await?;
    Ok(stored)
}

pub async fn mark_sent(
    db: impl SqliteExecutor<'_>,
    id: i64,
    source: &str,
    relays: &str,
    accepted: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE outbox SET state = 'sent', relay_source = ?, relays = ?, accepted_by = ?, sent_at = ?,
                last_error = NULL, lease_until = NULL
         WHERE id = ? AND state = 'pending'",
        source,
        relays,
        accepted,
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
    source: Option<&str>,
    next_at: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE outbox SET last_error = ?, relay_source = coalesce(?, relay_source), next_at = ?, lease_until = NULL
         WHERE id = ? AND state = 'pending'",
        error,
        source,
        next_at,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A message as shown to admins and tests.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: i64,
    pub recipient: String,
    pub topic: String,
    pub dedupe_key: String,
    pub state: String,
    pub wrap_id: Option<String>,
    pub relay_source: Option<String>,
    pub accepted_by: Option<String>,
    pub attempts: i64,
    pub last_error: Option<String>,
}

pub async fn for_recipient(db: impl SqliteExecutor<'_>, recipient: &str) -> sqlx::Result<Vec<Row>> {
    sqlx::query_as!(
        Row,
        r#"SELECT id AS "id!", recipient, topic, dedupe_key, state, wrap_id, relay_source, accepted_by, attempts, last_error
           FROM outbox WHERE recipient = ? ORDER BY id"#,
        recipient
    )
    .fetch_all(db)
    .await
}
