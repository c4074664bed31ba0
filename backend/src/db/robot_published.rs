//! What the robot last published of each replaceable kind (profile, relay lists), so it
//! publishes again only when the content changed.

use sqlx::SqliteExecutor;

/// The digest of what was last published of `kind`.
pub async fn digest(db: impl SqliteExecutor<'_>, kind: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("SELECT digest FROM robot_published WHERE kind = ?", kind)
        .fetch_optional(db)
        .await
}

pub async fn record(
    db: impl SqliteExecutor<'_>,
    kind: i64,
    digest: &str,
    event_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO robot_published (kind, digest, event_id, published_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (kind) DO UPDATE SET digest = excluded.digest, event_id = excluded.event_id,
                                          published_at = excluded.published_at",
        kind,
        digest,
        event_id,
        now
    )
    .execute(db)
    .await?;
    Ok(())
}
