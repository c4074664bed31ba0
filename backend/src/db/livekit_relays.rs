//! The LiveKit service's view of `relays`: which relays it serves, with what it needs to
//! act as each relay (its sealed secret key) and to name its rooms (its schema).

use sqlx::SqliteExecutor;

use crate::domain::status::RelayStatus;

/// A relay as the LiveKit service sees it.
#[derive(Debug, Clone)]
pub struct LivekitRelay {
    pub id: String,
    pub tenant: String,
    pub subdomain: String,
    pub schema: String,
    pub status: RelayStatus,
    pub pubkey: String,
    pub secret_enc: Vec<u8>,
    /// Whether the relay's plan includes LiveKit.
    pub livekit: bool,
}

/// The relay with this id or, failing that, this subdomain.
pub async fn find(
    db: impl SqliteExecutor<'_>,
    id_or_subdomain: &str,
) -> sqlx::Result<Option<LivekitRelay>> {
    sqlx::query_as!(
        LivekitRelay,
        r#"SELECT r.id, r.tenant, r.subdomain, r.schema, r.status AS "status: RelayStatus", r.pubkey, r.secret_enc,
                  p.livekit AS "livekit: bool"
           FROM relays r JOIN plans p ON p.id = r.plan
           WHERE r.id = ?1 OR r.subdomain = ?1
           ORDER BY r.id = ?1 DESC
           LIMIT 1"#,
        id_or_subdomain
    )
    .fetch_optional(db)
    .await
}

/// Every active relay whose plan includes LiveKit: the ones whose rooms are watched.
pub async fn watched(db: impl SqliteExecutor<'_>) -> sqlx::Result<Vec<LivekitRelay>> {
    sqlx::query_as!(
        LivekitRelay,
        r#"SELECT r.id, r.tenant, r.subdomain, r.schema, r.status AS "status: RelayStatus", r.pubkey, r.secret_enc,
                  p.livekit AS "livekit: bool"
           FROM relays r JOIN plans p ON p.id = r.plan
           WHERE r.status = 'active' AND p.livekit = 1
           ORDER BY r.id"#
    )
    .fetch_all(db)
    .await
}
