//! `livekit_rooms`: the newest version of each meeting space the watcher has seen on a relay,
//! so a room a relay no longer serves can still be told apart from one that never existed.

use sqlx::SqliteExecutor;

/// A room version as remembered: who published it, its id and when, and its NIP-40 expiry.
#[derive(Debug, Clone)]
pub struct SeenRoom {
    pub author: String,
    pub d: String,
    pub event_id: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
}

/// Remembers `room` on `relay_id` unless a newer version (later `created_at`, ties to the
/// lower id, as NIP-01 replaces) is already remembered.
pub async fn remember(
    db: impl SqliteExecutor<'_>,
    relay_id: &str,
    room: &SeenRoom,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO livekit_rooms (relay_id, author, d, event_id, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (relay_id, d, author) DO UPDATE
            SET event_id = excluded.event_id, created_at = excluded.created_at,
                expires_at = excluded.expires_at
          WHERE excluded.created_at > livekit_rooms.created_at
             OR (excluded.created_at = livekit_rooms.created_at
                 AND excluded.event_id < livekit_rooms.event_id)",
        relay_id,
        room.author,
        room.d,
        room.event_id,
        room.created_at,
        room.expires_at
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The remembered rooms on `relay_id` with this `d`, by any author, or by `author` only.
pub async fn seen(
    db: impl SqliteExecutor<'_>,
    relay_id: &str,
    d: &str,
    author: Option<&str>,
) -> sqlx::Result<Vec<SeenRoom>> {
    sqlx::query_as!(
        SeenRoom,
        "SELECT author, d, event_id, created_at, expires_at FROM livekit_rooms
          WHERE relay_id = ?1 AND d = ?2 AND (?3 IS NULL OR author = ?3)
          ORDER BY author",
        relay_id,
        d,
        author
    )
    .fetch_all(db)
    .await
}
