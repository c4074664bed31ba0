//! Plans: prices and features, seeded by migration.

use sqlx::SqliteExecutor;

#[derive(Debug, Clone)]
pub struct Plan {
    pub id: String,
    pub name: String,
    pub price_sats: i64,
    pub max_members: Option<i64>,
    pub blossom: bool,
    pub livekit: bool,
}

impl Plan {
    pub fn is_paid(&self) -> bool {
        self.price_sats > 0
    }
}

pub async fn list(db: impl SqliteExecutor<'_>) -> sqlx::Result<Vec<Plan>> {
    sqlx::query_as!(
        Plan,
        r#"SELECT id, name, price_sats, max_members, blossom AS "blossom: bool", livekit AS "livekit: bool"
           FROM plans ORDER BY position"#
    )
    .fetch_all(db)
    .await
}

pub async fn get(db: impl SqliteExecutor<'_>, id: &str) -> sqlx::Result<Option<Plan>> {
    sqlx::query_as!(
        Plan,
        r#"SELECT id, name, price_sats, max_members, blossom AS "blossom: bool", livekit AS "livekit: bool"
           FROM plans WHERE id = ?"#,
        id
    )
    .fetch_optional(db)
    .await
}
