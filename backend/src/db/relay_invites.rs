//! `relay_invites` and `relay_invite_uses`: invite links to a relay and who used them.

use sqlx::SqliteExecutor;

#[derive(Debug, Clone)]
pub struct Invite {
    pub id: String,
    pub relay_id: String,
    pub code: String,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub revoked_at: Option<i64>,
    /// Since when its code is also a claim at zooid.
    pub claimed_at: Option<i64>,
}

pub struct NewInvite<'a> {
    pub id: &'a str,
    pub relay_id: &'a str,
    pub code: &'a str,
    pub created_by: &'a str,
    pub expires_at: i64,
    pub max_uses: Option<i64>,
}

pub async fn insert(db: impl SqliteExecutor<'_>, i: &NewInvite<'_>, now: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO relay_invites (id, relay_id, code, created_by, created_at, expires_at, max_uses)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        i.id,
        i.relay_id,
        i.code,
        i.created_by,
        now,
        i.expires_at,
        i.max_uses
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A relay's invites, newest first.
pub async fn of_relay(db: impl SqliteExecutor<'_>, relay: &str) -> sqlx::Result<Vec<Invite>> {
    sqlx::query_as!(
        Invite,
        r#"SELECT id AS "id!", relay_id, code, created_by, created_at, expires_at, max_uses, uses, revoked_at, claimed_at
           FROM relay_invites WHERE relay_id = ? ORDER BY created_at DESC, id DESC"#,
        relay
    )
    .fetch_all(db)
    .await
}

pub async fn get(
    db: impl SqliteExecutor<'_>,
    relay: &str,
    id: &str,
) -> sqlx::Result<Option<Invite>> {
    sqlx::query_as!(
        Invite,
        r#"SELECT id AS "id!", relay_id, code, created_by, created_at, expires_at, max_uses, uses, revoked_at, claimed_at
           FROM relay_invites WHERE relay_id = ? AND id = ?"#,
        relay,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn by_code(db: impl SqliteExecutor<'_>, code: &str) -> sqlx::Result<Option<Invite>> {
    sqlx::query_as!(
        Invite,
        r#"SELECT id AS "id!", relay_id, code, created_by, created_at, expires_at, max_uses, uses, revoked_at, claimed_at
           FROM relay_invites WHERE code = ?"#,
        code
    )
    .fetch_optional(db)
    .await
}

/// Revokes an invite; whether it was still open to revoke.
pub async fn revoke(db: impl SqliteExecutor<'_>, id: &str, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE relay_invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes one use of an invite for `pubkey` if it is still usable at `now`: not revoked, not
/// expired, not used up, and not used by `pubkey` before. Whether it took one; on `false`
/// the caller rolls its transaction back.
pub async fn take_use(
    db: &mut sqlx::SqliteConnection,
    id: &str,
    pubkey: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let taken = sqlx::query!(
        "UPDATE relay_invites SET uses = uses + 1
         WHERE id = ? AND revoked_at IS NULL AND expires_at > ? AND (max_uses IS NULL OR uses < max_uses)",
        id,
        now
    )
    .execute(&mut *db)
    .await?;
    if taken.rows_affected() == 0 {
        return Ok(false);
    }
    let recorded = sqlx::query!(
        "INSERT INTO relay_invite_uses (invite_id, pubkey, used_at) VALUES (?, ?, ?)
         ON CONFLICT DO NOTHING",
        id,
        pubkey,
        now
    )
    .execute(&mut *db)
    .await?;
    Ok(recorded.rows_affected() == 1)
}

/// Gives a use back (the relay did not add the member after all).
pub async fn give_back(
    db: &mut sqlx::SqliteConnection,
    id: &str,
    pubkey: &str,
) -> sqlx::Result<()> {
    let removed = sqlx::query!(
        "DELETE FROM relay_invite_uses WHERE invite_id = ? AND pubkey = ?",
        id,
        pubkey
    )
    .execute(&mut *db)
    .await?;
    if removed.rows_affected() == 1 {
        sqlx::query!(
            "UPDATE relay_invites SET uses = uses - 1 WHERE id = ? AND uses > 0",
            id
        )
        .execute(&mut *db)
        .await?;
    }
    Ok(())
}

/// Records since when the invite's code is a claim at zooid (`None`: it is not one).
pub async fn set_claimed(
    db: impl SqliteExecutor<'_>,
    id: &str,
    since: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relay_invites SET claimed_at = ? WHERE id = ?",
        since,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}
