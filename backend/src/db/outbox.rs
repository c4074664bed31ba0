//! The durable message outbox. A message is written in the same transaction as the change
//! that causes it; the message worker ([`crate::robot::worker`]) claims due messages with a
//! lease, builds each gift wrap once and stores it before the first send, so a resend
//! publishes the very same event id.

use sqlx::SqliteExecutor;

use crate::domain::status::MessageState;

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
    let one = NewMessage {
        recipient,
        topic,
        dedupe_key,
        body,
    };
    Ok(enqueue_many(db, &[one]).await? == 1)
}

/// A message to queue with [`enqueue_many`].
#[derive(serde::Serialize)]
pub struct NewMessage<'a> {
    pub recipient: &'a str,
    pub topic: &'a str,
    pub dedupe_key: &'a str,
    pub body: &'a str,
}

/// Queues several messages in one statement, as [`enqueue`] does each; returns how many
/// were new.
pub async fn enqueue_many(
    db: impl SqliteExecutor<'_>,
    messages: &[NewMessage<'_>],
) -> sqlx::Result<u64> {
    if messages.is_empty() {
        return Ok(0);
    }
    let now = crate::clock::unix_now();
    let rows = super::json_rows(messages)?;
    // `WHERE true` tells SQLite's parser that ON CONFLICT belongs to the INSERT.
    let done = sqlx::query!(
        "INSERT INTO outbox (recipient, topic, dedupe_key, body, next_at, created_at)
         SELECT value ->> 'recipient', value ->> 'topic', value ->> 'dedupe_key', value ->> 'body', ?1, ?1
         FROM json_each(?2) WHERE true
         ON CONFLICT (dedupe_key) DO NOTHING",
        now,
        rows
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
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

/// Gives back every message lease (start-up and shutdown: one process per database).
pub async fn release_all(db: impl SqliteExecutor<'_>) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "UPDATE outbox SET lease_until = NULL WHERE state = 'pending' AND lease_until IS NOT NULL"
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
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

/// A message as shown to admins: where it stands, never what it says.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: i64,
    pub recipient: String,
    pub topic: String,
    pub state: String,
    pub relay_source: Option<String>,
    pub accepted_by: Option<String>,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_at: i64,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// Which messages an admin lists: `state` is `pending`, `sent` or `failing` (pending after
/// a failed attempt).
pub struct Filter<'a> {
    pub recipient: Option<&'a str>,
    pub state: Option<MessageState>,
    pub limit: i64,
    pub offset: i64,
}

/// Newest first.
pub async fn list(db: impl SqliteExecutor<'_>, f: &Filter<'_>) -> sqlx::Result<Vec<Listed>> {
    let state = f.state.map(MessageState::as_str);
    sqlx::query_as!(
        Listed,
        r#"SELECT id AS "id!", recipient, topic, state, relay_source, accepted_by, attempts, last_error,
                  next_at, created_at, sent_at
           FROM outbox
           WHERE (?1 IS NULL OR recipient = ?1)
             AND (?2 IS NULL OR state = ?2 OR (?2 = 'failing' AND state = 'pending' AND last_error IS NOT NULL))
           ORDER BY id DESC
           LIMIT ?3 OFFSET ?4"#,
        f.recipient,
        state,
        f.limit,
        f.offset
    )
    .fetch_all(db)
    .await
}

pub async fn count(db: impl SqliteExecutor<'_>, f: &Filter<'_>) -> sqlx::Result<i64> {
    let state = f.state.map(MessageState::as_str);
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!: i64" FROM outbox
           WHERE (?1 IS NULL OR recipient = ?1)
             AND (?2 IS NULL OR state = ?2 OR (?2 = 'failing' AND state = 'pending' AND last_error IS NOT NULL))"#,
        f.recipient,
        state
    )
    .fetch_one(db)
    .await
}
