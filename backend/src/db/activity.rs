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
    record_many(db, at, &[entry]).await
}

/// Records several entries in one statement, in order.
pub async fn record_many(
    db: impl SqliteExecutor<'_>,
    at: i64,
    entries: &[Entry<'_>],
) -> sqlx::Result<()> {
    #[derive(serde::Serialize)]
    struct Stored<'a> {
        actor: &'a str,
        action: &'a str,
        resource_type: &'a str,
        resource_id: &'a str,
        tenant: Option<&'a str>,
        details: String,
    }
    if entries.is_empty() {
        return Ok(());
    }
    let stored: Vec<Stored<'_>> = entries
        .iter()
        .map(|e| Stored {
            actor: e.actor,
            action: e.action,
            resource_type: e.resource_type,
            resource_id: e.resource_id,
            tenant: e.tenant,
            details: e.details.to_string(),
        })
        .collect();
    let rows = super::json_rows(&stored)?;
    sqlx::query!(
        "INSERT INTO activity (at, actor, action, resource_type, resource_id, tenant, details)
         SELECT ?1, value ->> 'actor', value ->> 'action', value ->> 'resource_type', value ->> 'resource_id',
                value ->> 'tenant', value ->> 'details'
         FROM json_each(?2) ORDER BY key",
        at,
        rows
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
