//! Invoices and their items (issued by billing; read here).

use sqlx::SqliteExecutor;

#[derive(Debug, Clone)]
pub struct Invoice {
    pub id: String,
    pub tenant: String,
    pub kind: String,
    pub period_start: i64,
    pub period_end: i64,
    pub amount_msat: i64,
    pub status: String,
    pub bolt11: Option<String>,
    pub payment_hash: Option<String>,
    pub expires_at: Option<i64>,
    pub due_at: i64,
    pub paid_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Why the last attempt to get a BOLT11 from the operator's wallet failed.
    pub issue_error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub id: i64,
    pub invoice_id: String,
    pub relay_id: Option<String>,
    pub plan: String,
    pub description: String,
    pub period_start: i64,
    pub period_end: i64,
    pub amount_msat: i64,
}

pub struct Filter<'a> {
    pub tenant: Option<&'a str>,
    pub status: Option<&'a str>,
    pub relay: Option<&'a str>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn get(db: impl SqliteExecutor<'_>, id: &str) -> sqlx::Result<Option<Invoice>> {
    sqlx::query_as!(
        Invoice,
        "SELECT id, tenant, kind, period_start, period_end, amount_msat, status, bolt11, payment_hash, expires_at,
                due_at, paid_at, created_at, updated_at, issue_error
         FROM invoices WHERE id = ?",
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn list(db: impl SqliteExecutor<'_>, f: &Filter<'_>) -> sqlx::Result<Vec<Invoice>> {
    sqlx::query_as!(
        Invoice,
        "SELECT id, tenant, kind, period_start, period_end, amount_msat, status, bolt11, payment_hash, expires_at,
                due_at, paid_at, created_at, updated_at, issue_error
         FROM invoices i
         WHERE (?1 IS NULL OR tenant = ?1) AND (?2 IS NULL OR status = ?2)
           AND (?3 IS NULL OR EXISTS (SELECT 1 FROM invoice_items it WHERE it.invoice_id = i.id AND it.relay_id = ?3))
         ORDER BY created_at DESC, id
         LIMIT ?4 OFFSET ?5",
        f.tenant,
        f.status,
        f.relay,
        f.limit,
        f.offset
    )
    .fetch_all(db)
    .await
}

pub async fn count(db: impl SqliteExecutor<'_>, f: &Filter<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!: i64" FROM invoices i
           WHERE (?1 IS NULL OR tenant = ?1) AND (?2 IS NULL OR status = ?2)
             AND (?3 IS NULL OR EXISTS (SELECT 1 FROM invoice_items it WHERE it.invoice_id = i.id AND it.relay_id = ?3))"#,
        f.tenant,
        f.status,
        f.relay
    )
    .fetch_one(db)
    .await
}

pub async fn items(db: impl SqliteExecutor<'_>, invoice_id: &str) -> sqlx::Result<Vec<Item>> {
    sqlx::query_as!(
        Item,
        r#"SELECT id AS "id!", invoice_id, relay_id, plan, description, period_start, period_end, amount_msat
         FROM invoice_items WHERE invoice_id = ? ORDER BY id"#,
        invoice_id
    )
    .fetch_all(db)
    .await
}
