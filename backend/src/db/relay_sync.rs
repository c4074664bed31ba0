//! The provisioning worker's view of `relays`: claiming due syncs under a lease, reading
//! the desired configuration as one consistent row, and recording each outcome.

use sqlx::SqliteExecutor;

use crate::domain::community::Policies;
use crate::domain::status::{MoveStep, NodeState, RelayStatus};

/// A node as the worker reaches it.
#[derive(Debug, Clone)]
pub struct NodeRef {
    pub id: String,
    /// `None`: the local config directory.
    pub api_url: Option<String>,
    /// The node's own key, sealed; `None`: the shared key.
    pub secret_enc: Option<Vec<u8>>,
    pub state: NodeState,
}

fn node_ref(
    id: Option<String>,
    api_url: Option<String>,
    secret_enc: Option<Vec<u8>>,
    state: Option<NodeState>,
) -> Option<NodeRef> {
    Some(NodeRef {
        id: id?,
        api_url,
        secret_enc,
        state: state?,
    })
}

/// Everything zooid needs for one relay, read in one statement so it matches `desired_version`.
#[derive(Debug, Clone)]
pub struct Desired {
    pub id: String,
    pub tenant: String,
    pub name: String,
    pub subdomain: String,
    pub schema: String,
    pub icon: String,
    pub description: String,
    pub status: RelayStatus,
    pub secret_enc: Vec<u8>,
    /// The plan includes Blossom / LiveKit.
    pub blossom: bool,
    pub livekit: bool,
    pub max_members: Option<i64>,
    pub policies: Policies,
    pub member_count: Option<i64>,
    pub desired_version: i64,
    pub synced_version: i64,
    pub sync_attempts: i64,
    /// The node serving it.
    pub node: NodeRef,
    /// A move in progress: its step, the node it goes to (until the switch) and the node it
    /// left (after it).
    pub move_step: Option<MoveStep>,
    pub move_to: Option<NodeRef>,
    pub move_from: Option<NodeRef>,
}

/// A relay claimed for a sync, with its failed attempts so far.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: String,
    pub attempts: i64,
}

/// Leases up to `limit` relays that are behind and due, oldest due first. Relays on a node
/// that is failing (being probed) or down wait for it, as do relays in the first steps of a
/// move (which owns their configuration until the switch).
pub async fn claim_due(
    db: impl SqliteExecutor<'_>,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> sqlx::Result<Vec<Claimed>> {
    sqlx::query_as!(
        Claimed,
        r#"UPDATE relays SET sync_lease_until = ?2
           WHERE id IN (
               SELECT r.id FROM relays r JOIN zooid_nodes n ON n.id = r.node
               WHERE r.synced_version < r.desired_version
                 AND (r.sync_next_at IS NULL OR r.sync_next_at <= ?1)
                 AND (r.sync_lease_until IS NULL OR r.sync_lease_until <= ?1)
                 AND n.failures = 0 AND n.state != 'down'
                 AND (r.move_step IS NULL OR r.move_step = 'retiring')
               ORDER BY r.sync_next_at, r.id
               LIMIT ?3)
           RETURNING id AS "id!: String", sync_attempts AS attempts"#,
        now,
        lease_until,
        limit
    )
    .fetch_all(db)
    .await
}

pub async fn desired(db: impl SqliteExecutor<'_>, id: &str) -> sqlx::Result<Option<Desired>> {
    let row = sqlx::query!(
        r#"SELECT r.id, r.tenant, r.name, r.subdomain, r.schema, r.icon, r.description, r.status AS "status: RelayStatus", r.secret_enc,
                  p.blossom AS "blossom: bool", p.livekit AS "livekit: bool", p.max_members,
                  r.public_join AS "public_join: bool", r.members_may_invite AS "members_may_invite: bool",
                  r.groups_enabled AS "groups_enabled: bool", r.push_enabled AS "push_enabled: bool",
                  r.blossom_enabled AS "blossom_enabled: bool", r.blossom_members_read AS "blossom_members_read: bool",
                  r.livekit_enabled AS "livekit_enabled: bool", r.strip_signatures AS "strip_signatures: bool",
                  r.member_count, r.desired_version, r.synced_version, r.sync_attempts,
                  n.id AS node_id, n.api_url AS node_api_url, n.api_secret_enc AS node_secret, n.state AS "node_state: NodeState",
                  r.move_step AS "move_step: MoveStep",
                  t.id AS "to_id?", t.api_url AS "to_api_url?", t.api_secret_enc AS "to_secret?", t.state AS "to_state?: NodeState",
                  f.id AS "from_id?", f.api_url AS "from_api_url?", f.api_secret_enc AS "from_secret?", f.state AS "from_state?: NodeState"
           FROM relays r JOIN plans p ON p.id = r.plan JOIN zooid_nodes n ON n.id = r.node
           LEFT JOIN zooid_nodes t ON t.id = r.move_to LEFT JOIN zooid_nodes f ON f.id = r.move_from
           WHERE r.id = ?"#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Desired {
        id: r.id,
        tenant: r.tenant,
        name: r.name,
        subdomain: r.subdomain,
        schema: r.schema,
        icon: r.icon,
        description: r.description,
        status: r.status,
        secret_enc: r.secret_enc,
        blossom: r.blossom,
        livekit: r.livekit,
        max_members: r.max_members,
        policies: Policies {
            public_join: r.public_join,
            members_may_invite: r.members_may_invite,
            groups: r.groups_enabled,
            push: r.push_enabled,
            blossom: r.blossom_enabled,
            blossom_members_read: r.blossom_members_read,
            livekit: r.livekit_enabled,
            strip_signatures: r.strip_signatures,
        },
        member_count: r.member_count,
        desired_version: r.desired_version,
        synced_version: r.synced_version,
        sync_attempts: r.sync_attempts,
        node: NodeRef {
            id: r.node_id,
            api_url: r.node_api_url,
            secret_enc: r.node_secret,
            state: r.node_state,
        },
        move_step: r.move_step,
        move_to: node_ref(r.to_id, r.to_api_url, r.to_secret, r.to_state),
        move_from: node_ref(r.from_id, r.from_api_url, r.from_secret, r.from_state),
    }))
}

/// Records that zooid has `version`. A newer change made meanwhile stays due at once.
/// (A `pending` relay going `active` is [`crate::lifecycle::relay::synced`]'s part.)
pub async fn mark_synced(
    db: impl SqliteExecutor<'_>,
    id: &str,
    version: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relays SET
             synced_version = MAX(synced_version, ?2),
             sync_attempts = 0, sync_error = NULL, sync_lease_until = NULL,
             sync_next_at = CASE WHEN desired_version > ?2 THEN ?3 ELSE NULL END
         WHERE id = ?1",
        id,
        version,
        now
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The relay's node could not be reached: the relay waits for the node (no attempt is
/// counted against it, and it is due again as soon as the node answers).
pub async fn wait_for_node(db: impl SqliteExecutor<'_>, id: &str, error: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relays SET sync_error = ?, sync_lease_until = NULL WHERE id = ?",
        error,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Records a failed attempt and when to try again.
pub async fn mark_failed(
    db: impl SqliteExecutor<'_>,
    id: &str,
    error: &str,
    next_at: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relays SET sync_attempts = sync_attempts + 1, sync_error = ?, sync_next_at = ?, sync_lease_until = NULL
         WHERE id = ?",
        error,
        next_at,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Gives back every sync lease: one process works a database, so at start-up (leases left
/// by a process that died) and at shutdown every lease is this process's.
pub async fn release_all(db: impl SqliteExecutor<'_>) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "UPDATE relays SET sync_lease_until = NULL WHERE sync_lease_until IS NOT NULL"
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Re-sends a relay's configuration now, even if zooid is believed to have it.
pub async fn force(db: impl SqliteExecutor<'_>, id: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relays SET desired_version = desired_version + 1, sync_next_at = ? WHERE id = ?",
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// When the next behind relay that can be sent is due, if any is waiting.
pub async fn next_due(db: impl SqliteExecutor<'_>) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        r#"SELECT r.sync_next_at AS "due: i64" FROM relays r JOIN zooid_nodes n ON n.id = r.node
           WHERE r.synced_version < r.desired_version AND n.failures = 0 AND n.state != 'down'
             AND (r.move_step IS NULL OR r.move_step = 'retiring')
           ORDER BY r.sync_next_at, r.id LIMIT 1"#
    )
    .fetch_optional(db)
    .await
    .map(Option::flatten)
}

#[derive(Debug, Clone, Copy)]
pub struct Backlog {
    /// Relays zooid does not have the latest configuration of.
    pub behind: i64,
    /// Of those, the ones whose last attempt failed.
    pub failing: i64,
}

pub async fn backlog(db: impl SqliteExecutor<'_>) -> sqlx::Result<Backlog> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "behind!: i64", count(sync_error) AS "failing!: i64"
           FROM relays WHERE synced_version < desired_version"#
    )
    .fetch_one(db)
    .await?;
    Ok(Backlog {
        behind: row.behind,
        failing: row.failing,
    })
}
