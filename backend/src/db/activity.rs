//! The append-only audit trail. Written in the same transaction as the change it records.

use serde_json::Value;
use sqlx::SqliteExecutor;

/// One state change: who did what to which resource.
pub struct Entry<'a> {
    /// A pubkey (hex), or `system` for workers.
    pub actor: &'a str,
    /// Dotted verb such as `relay.created`.
    pub action: &'a str,
    pub resource_type: &'a str,
    pub resource_id: &'a str,
    pub tenant: Option<&'a str>,
    pub details: Value,
}

pub async fn record(db: impl SqliteExecutor<'_>, at: i64, entry: Entry<'_>) -> sqlx::Result<()> {
    let details = entry.details.to_string();
    sqlx::query!(
        "INSERT INTO activity (at, actor, action, resource_type, resource_id, tenant, details)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        at,
        entry.actor,
        entry.action,
        entry.resource_type,
        entry.resource_id,
        entry.tenant,
        details
    )
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Row {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    pub tenant: Option<String>,
    pub details: String,
}

/// The history of one resource, oldest first.
pub async fn for_resource(
    db: impl SqliteExecutor<'_>,
    resource_type: &str,
    resource_id: &str,
) -> sqlx::Result<Vec<Row>> {
    sqlx::query_as!(
        Row,
        r#"SELECT id AS "id!", at, actor, action, resource_type, resource_id, tenant, details
         FROM activity WHERE resource_type = ? AND resource_id = ? ORDER BY id"#,
        resource_type,
        resource_id
    )
    .fetch_all(db)
    .await
}

/// How many entries of `action` were recorded at or after `since`.
pub async fn count_since(
    db: impl SqliteExecutor<'_>,
    action: &str,
    since: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!: i64" FROM activity WHERE action = ? AND at >= ?"#,
        action,
        since
    )
    .fetch_one(db)
    .await
}
