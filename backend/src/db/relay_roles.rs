//! `relay_roles`: the co-admins and inviters an owner appointed on a relay.

use sqlx::SqliteExecutor;

use crate::domain::community::RelayRole;

#[derive(Debug, Clone)]
pub struct Appointed {
    pub pubkey: String,
    pub role: RelayRole,
    pub added_by: String,
    pub added_at: i64,
}

/// The relay's appointed roles, oldest first.
pub async fn of_relay(db: impl SqliteExecutor<'_>, relay: &str) -> sqlx::Result<Vec<Appointed>> {
    sqlx::query_as!(
        Appointed,
        r#"SELECT pubkey, role AS "role: RelayRole", added_by, added_at
           FROM relay_roles WHERE relay_id = ? ORDER BY added_at, pubkey"#,
        relay
    )
    .fetch_all(db)
    .await
}

/// The role `pubkey` holds on the relay, if any.
pub async fn role_of(
    db: impl SqliteExecutor<'_>,
    relay: &str,
    pubkey: &str,
) -> sqlx::Result<Option<RelayRole>> {
    sqlx::query_scalar!(
        r#"SELECT role AS "role: RelayRole" FROM relay_roles WHERE relay_id = ? AND pubkey = ?"#,
        relay,
        pubkey
    )
    .fetch_optional(db)
    .await
}

/// Appoints `pubkey` (or changes their role). Returns the role they held before.
pub async fn set(
    db: &mut sqlx::SqliteConnection,
    relay: &str,
    pubkey: &str,
    role: RelayRole,
    by: &str,
    now: i64,
) -> sqlx::Result<Option<RelayRole>> {
    let before = role_of(&mut *db, relay, pubkey).await?;
    let role_text = role.as_str();
    sqlx::query!(
        "INSERT INTO relay_roles (relay_id, pubkey, role, added_by, added_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (relay_id, pubkey) DO UPDATE SET role = excluded.role, added_by = excluded.added_by,
             added_at = excluded.added_at",
        relay,
        pubkey,
        role_text,
        by,
        now
    )
    .execute(db)
    .await?;
    Ok(before)
}

/// Takes `pubkey`'s role away; whether they had one.
pub async fn remove(db: impl SqliteExecutor<'_>, relay: &str, pubkey: &str) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "DELETE FROM relay_roles WHERE relay_id = ? AND pubkey = ?",
        relay,
        pubkey
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A relay on which `pubkey` holds a role.
#[derive(Debug, Clone)]
pub struct Held {
    pub relay_id: String,
    pub name: String,
    pub subdomain: String,
    pub role: RelayRole,
}

/// The relays on which `pubkey` holds a role, by name.
pub async fn held_by(db: impl SqliteExecutor<'_>, pubkey: &str) -> sqlx::Result<Vec<Held>> {
    sqlx::query_as!(
        Held,
        r#"SELECT r.id AS relay_id, r.name, r.subdomain, rr.role AS "role: RelayRole"
           FROM relay_roles rr JOIN relays r ON r.id = rr.relay_id
           WHERE rr.pubkey = ? ORDER BY r.name, r.id"#,
        pubkey
    )
    .fetch_all(db)
    .await
}
