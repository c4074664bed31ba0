//! zooid nodes: where each is reached, what it may hold, the state admins set, and its health
//! as the provisioning worker last saw it. The state is changed only by
//! [`crate::lifecycle::node`], through [`set_state`].

use sqlx::SqliteExecutor;

use crate::domain::status::NodeState;

/// The node the single-zooid settings define at start-up.
pub const SETTINGS_NODE: &str = "main";

#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    /// zooid's management API; `None`: the platform's local config directory.
    pub api_url: Option<String>,
    /// The node's own management key, sealed; `None`: the shared key.
    pub api_secret_enc: Option<Vec<u8>>,
    pub upstream: String,
    pub capacity: i64,
    pub state: NodeState,
    /// Consecutive failed requests; 0: healthy.
    pub failures: i64,
    pub last_success_at: Option<i64>,
    pub last_error: Option<String>,
    /// While failing, when the next probe is due.
    pub probe_at: Option<i64>,
    /// Relays placed on it, counting those moving to it.
    pub relays: i64,
}

impl Node {
    pub fn free(&self) -> i64 {
        (self.capacity - self.relays).max(0)
    }
}

pub struct NewNode<'a> {
    pub id: &'a str,
    pub api_url: Option<&'a str>,
    pub api_secret_enc: Option<&'a [u8]>,
    pub upstream: &'a str,
    pub capacity: i64,
    pub state: NodeState,
}

/// Every node with its relay count, by id.
pub async fn all(db: impl SqliteExecutor<'_>) -> sqlx::Result<Vec<Node>> {
    sqlx::query_as!(
        Node,
        r#"SELECT n.id, n.api_url, n.api_secret_enc, n.upstream, n.capacity, n.state AS "state: NodeState",
                  n.failures, n.last_success_at, n.last_error, n.probe_at,
                  n.relay_count AS relays
           FROM zooid_nodes n ORDER BY n.id"#
    )
    .fetch_all(db)
    .await
}

pub async fn get(db: impl SqliteExecutor<'_>, id: &str) -> sqlx::Result<Option<Node>> {
    sqlx::query_as!(
        Node,
        r#"SELECT n.id, n.api_url, n.api_secret_enc, n.upstream, n.capacity, n.state AS "state: NodeState",
                  n.failures, n.last_success_at, n.last_error, n.probe_at,
                  n.relay_count AS relays
           FROM zooid_nodes n WHERE n.id = ?"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn insert(db: impl SqliteExecutor<'_>, n: &NewNode<'_>, now: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO zooid_nodes (id, api_url, api_secret_enc, upstream, capacity, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        n.id,
        n.api_url,
        n.api_secret_enc,
        n.upstream,
        n.capacity,
        n.state,
        now,
        now
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Where a node is reached and what it may hold (its state is [`set_state`]'s).
pub struct Reach<'a> {
    pub api_url: Option<&'a str>,
    pub api_secret_enc: Option<&'a [u8]>,
    pub upstream: &'a str,
    pub capacity: i64,
}

pub async fn update(
    db: impl SqliteExecutor<'_>,
    id: &str,
    r: &Reach<'_>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE zooid_nodes SET api_url = ?, api_secret_enc = ?, upstream = ?, capacity = ?, updated_at = ?
         WHERE id = ?",
        r.api_url,
        r.api_secret_enc,
        r.upstream,
        r.capacity,
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn set_state(
    db: impl SqliteExecutor<'_>,
    id: &str,
    state: NodeState,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE zooid_nodes SET state = ?, updated_at = ? WHERE id = ?",
        state,
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The settings' node follows the settings (where it is reached); created with their
/// capacity the first time. Its capacity and state are the admins' afterwards.
pub async fn upsert_settings_node(
    db: impl SqliteExecutor<'_>,
    api_url: Option<&str>,
    upstream: &str,
    capacity: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO zooid_nodes (id, api_url, upstream, capacity, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (id) DO UPDATE SET api_url = ?2, upstream = ?3, updated_at = ?5
         WHERE api_url IS NOT ?2 OR upstream IS NOT ?3",
        SETTINGS_NODE,
        api_url,
        upstream,
        capacity,
        now
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The active node with the most free capacity (ties: the smallest id), if any has room.
pub async fn roomiest(db: impl SqliteExecutor<'_>) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        r#"SELECT id AS "id!: String" FROM zooid_nodes
           WHERE state = 'active' AND capacity > relay_count
           ORDER BY capacity - relay_count DESC, id LIMIT 1"#
    )
    .fetch_optional(db)
    .await
}

/// A request to the node failed as a node (unreachable): probe it from `probe_at` on. The
/// first failure starts the probing; later ones while probing change nothing.
pub async fn failed(
    db: impl SqliteExecutor<'_>,
    id: &str,
    error: &str,
    probe_at: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE zooid_nodes SET failures = 1, last_error = ?, probe_at = ? WHERE id = ? AND failures = 0",
        error,
        probe_at,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A probe failed too: the next one at `probe_at`.
pub async fn probe_failed(
    db: impl SqliteExecutor<'_>,
    id: &str,
    error: &str,
    probe_at: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE zooid_nodes SET failures = failures + 1, last_error = ?, probe_at = ? WHERE id = ?",
        error,
        probe_at,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The node answered: healthy. Writes at most once a second per node while healthy.
pub async fn answered(db: impl SqliteExecutor<'_>, id: &str, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE zooid_nodes SET failures = 0, last_error = NULL, probe_at = NULL, last_success_at = ?1
         WHERE id = ?2 AND (failures > 0 OR last_success_at IS NULL OR last_success_at < ?1)",
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A failing node claimed for one probe, with its failures so far.
#[derive(Debug, Clone)]
pub struct Probe {
    pub id: String,
    pub failures: i64,
}

/// Leases the failing nodes whose probe is due (moving `probe_at` to the lease's end).
pub async fn claim_probes(
    db: impl SqliteExecutor<'_>,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> sqlx::Result<Vec<Probe>> {
    sqlx::query_as!(
        Probe,
        r#"UPDATE zooid_nodes SET probe_at = ?2
           WHERE id IN (SELECT id FROM zooid_nodes
                        WHERE failures > 0 AND state != 'down' AND probe_at <= ?1 ORDER BY probe_at LIMIT ?3)
           RETURNING id AS "id!: String", failures"#,
        now,
        lease_until,
        limit
    )
    .fetch_all(db)
    .await
}

/// When the next probe of a failing node is due.
pub async fn next_probe(db: impl SqliteExecutor<'_>) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        r#"SELECT min(probe_at) AS "due: i64" FROM zooid_nodes WHERE failures > 0 AND state != 'down'"#
    )
    .fetch_one(db)
    .await
}
