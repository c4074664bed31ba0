//! Relays: each one's desired configuration and its sync state. Every change to what zooid
//! should serve bumps `desired_version` in the same statement. Status changes are made only
//! by [`crate::lifecycle::relay`], through the functions here.

use sqlx::SqliteExecutor;

use super::row::Columns;
use crate::domain::community::Policies;
use crate::domain::status::{InactiveReason, MoveStep, RelayStatus};

/// The columns of [`Relay`], in the order [`Relay::read`] maps them. Shared with the
/// query-only reads in [`super::relay_reads`].
macro_rules! relay_columns {
    () => {
        "id, tenant, name, subdomain, schema, icon, description, plan, status, inactive_reason, pubkey,
         desired_version, synced_version, sync_attempts, sync_error, sync_next_at, created_at, updated_at,
         public_join, members_may_invite, groups_enabled, push_enabled, blossom_enabled, blossom_members_read,
         livekit_enabled, strip_signatures, member_count, node, move_to, move_step"
    };
}
pub(crate) use relay_columns;

pub(crate) const ONE: &str = concat!("SELECT ", relay_columns!(), " FROM relays WHERE id = ?1");

#[derive(Debug, Clone)]
pub struct Relay {
    pub id: String,
    pub tenant: String,
    pub name: String,
    pub subdomain: String,
    pub schema: String,
    pub icon: String,
    pub description: String,
    pub plan: String,
    pub status: RelayStatus,
    pub inactive_reason: Option<InactiveReason>,
    pub pubkey: String,
    pub desired_version: i64,
    pub synced_version: i64,
    pub sync_attempts: i64,
    pub sync_error: Option<String>,
    pub sync_next_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The owner's switches as stored (see [`Policies::within`] for what the plan allows).
    pub policies: Policies,
    /// Members (the owner included) when the relay's member list was last read.
    pub member_count: Option<i64>,
    /// The zooid node serving it.
    pub node: Option<String>,
    /// A move in progress: the node it goes to and the step it is at.
    pub move_to: Option<String>,
    pub move_step: Option<MoveStep>,
}

impl Relay {
    /// Where a move under way takes the relay: the target until the switch, the relay's own
    /// node after it (while the source is retired). `None` when it is not moving.
    pub fn moving_to(&self) -> Option<&str> {
        self.move_step?;
        self.move_to.as_deref().or(self.node.as_deref())
    }

    /// The one mapping of a relay row ([`relay_columns`] order), for either driver.
    pub fn read<R: Columns>(r: &R) -> Result<Self, R::Error> {
        Ok(Self {
            id: r.text(0)?,
            tenant: r.text(1)?,
            name: r.text(2)?,
            subdomain: r.text(3)?,
            schema: r.text(4)?,
            icon: r.text(5)?,
            description: r.text(6)?,
            plan: r.text(7)?,
            status: r.parsed(8)?,
            inactive_reason: r.maybe_parsed(9)?,
            pubkey: r.text(10)?,
            desired_version: r.int(11)?,
            synced_version: r.int(12)?,
            sync_attempts: r.int(13)?,
            sync_error: r.maybe_text(14)?,
            sync_next_at: r.maybe_int(15)?,
            created_at: r.int(16)?,
            updated_at: r.int(17)?,
            policies: Policies {
                public_join: r.int(18)? != 0,
                members_may_invite: r.int(19)? != 0,
                groups: r.int(20)? != 0,
                push: r.int(21)? != 0,
                blossom: r.int(22)? != 0,
                blossom_members_read: r.int(23)? != 0,
                livekit: r.int(24)? != 0,
                strip_signatures: r.int(25)? != 0,
            },
            member_count: r.maybe_int(26)?,
            node: r.maybe_text(27)?,
            move_to: r.maybe_text(28)?,
            move_step: r.maybe_parsed(29)?,
        })
    }
}

#[derive(Clone, Copy)]
pub struct NewRelay<'a> {
    pub id: &'a str,
    pub tenant: &'a str,
    pub name: &'a str,
    pub subdomain: &'a str,
    pub schema: &'a str,
    pub icon: &'a str,
    pub description: &'a str,
    pub plan: &'a str,
    pub pubkey: &'a str,
    pub secret_enc: &'a [u8],
    /// The node it is placed on (`None`: placed on the settings' node at the next start).
    pub node: Option<&'a str>,
}

pub async fn insert(db: impl SqliteExecutor<'_>, r: &NewRelay<'_>, now: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO relays (id, tenant, name, subdomain, schema, icon, description, plan, pubkey, secret_enc,
                             node, sync_next_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        r.id,
        r.tenant,
        r.name,
        r.subdomain,
        r.schema,
        r.icon,
        r.description,
        r.plan,
        r.pubkey,
        r.secret_enc,
        r.node,
        now,
        now,
        now
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The relay with this id. (Its statement is checked against the schema by the tests of
/// [`super::relay_reads`], with the reader's.)
pub async fn get(db: impl SqliteExecutor<'_>, id: &str) -> sqlx::Result<Option<Relay>> {
    sqlx::query(ONE)
        .bind(id)
        .try_map(|row: sqlx::sqlite::SqliteRow| Relay::read(&row))
        .fetch_optional(db)
        .await
}

/// Whether a subdomain (or the schema derived from it) is held by a relay other than `except`.
pub async fn is_taken(
    db: impl SqliteExecutor<'_>,
    subdomain: &str,
    schema: &str,
    except: Option<&str>,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM relays WHERE (subdomain = ?1 OR schema = ?2) AND (?3 IS NULL OR id <> ?3)) AS "taken!: bool""#,
        subdomain,
        schema,
        except
    )
    .fetch_one(db)
    .await
}

/// The editable fields, all at once.
pub struct Fields<'a> {
    pub name: &'a str,
    pub subdomain: &'a str,
    pub icon: &'a str,
    pub description: &'a str,
    pub plan: &'a str,
}

pub async fn update_fields(
    db: impl SqliteExecutor<'_>,
    id: &str,
    f: &Fields<'_>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relays SET name = ?, subdomain = ?, icon = ?, description = ?, plan = ?,
                desired_version = desired_version + 1, sync_next_at = ?, updated_at = ?
         WHERE id = ?",
        f.name,
        f.subdomain,
        f.icon,
        f.description,
        f.plan,
        now,
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The relay's sealed secret key (see [`crate::vault`]).
pub async fn sealed_secret(db: impl SqliteExecutor<'_>, id: &str) -> sqlx::Result<Option<Vec<u8>>> {
    sqlx::query_scalar!("SELECT secret_enc FROM relays WHERE id = ?", id)
        .fetch_optional(db)
        .await
}

/// A relay whose members the platform counts.
#[derive(Debug, Clone)]
pub struct Watched {
    pub id: String,
    pub subdomain: String,
    pub secret_enc: Vec<u8>,
}

/// The relays zooid serves now that admit members without the platform (see the
/// `relays_counted` view), whose member lists it follows live.
pub async fn watched(db: impl SqliteExecutor<'_>) -> sqlx::Result<Vec<Watched>> {
    sqlx::query_as!(
        Watched,
        r#"SELECT id AS "id!", subdomain AS "subdomain!", secret_enc AS "secret_enc!"
           FROM relays_counted WHERE live ORDER BY id"#
    )
    .fetch_all(db)
    .await
}

/// How many relays zooid serves now (kept by triggers, so it costs one row).
pub async fn active_count(db: impl SqliteExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"SELECT n AS "n!: i64" FROM relay_counts WHERE status = 'active'"#)
        .fetch_one(db)
        .await
}

/// The next `limit` relays after `after` (by id) that zooid serves now and that only admit
/// members through the platform or their owner: their lists are re-read now and then.
pub async fn swept(
    db: impl SqliteExecutor<'_>,
    after: &str,
    limit: i64,
) -> sqlx::Result<Vec<Watched>> {
    sqlx::query_as!(
        Watched,
        r#"SELECT id AS "id!", subdomain AS "subdomain!", secret_enc AS "secret_enc!"
           FROM relays_counted WHERE id > ? AND NOT live ORDER BY id LIMIT ?"#,
        after,
        limit
    )
    .fetch_all(db)
    .await
}

/// Stores the owner's switches and asks for a sync.
pub async fn set_policies(
    db: impl SqliteExecutor<'_>,
    id: &str,
    p: &Policies,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relays SET public_join = ?, members_may_invite = ?, groups_enabled = ?, push_enabled = ?,
                blossom_enabled = ?, blossom_members_read = ?, livekit_enabled = ?, strip_signatures = ?,
                desired_version = desired_version + 1, sync_next_at = ?, updated_at = ?
         WHERE id = ?",
        p.public_join,
        p.members_may_invite,
        p.groups,
        p.push,
        p.blossom,
        p.blossom_members_read,
        p.livekit,
        p.strip_signatures,
        now,
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Asks for a sync of a relay whose configuration changed elsewhere (its roles).
pub async fn bump(db: impl SqliteExecutor<'_>, id: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relays SET desired_version = desired_version + 1, sync_next_at = ?, updated_at = ? WHERE id = ?",
        now,
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Records the member count read from the relay.
pub async fn set_member_count(
    db: impl SqliteExecutor<'_>,
    id: &str,
    count: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relays SET member_count = ?, members_counted_at = ? WHERE id = ?",
        count,
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Moves a relay to `status` (with `inactive_reason` when inactive) and asks for a sync.
/// Only [`crate::lifecycle::relay`] calls this.
pub async fn set_status(
    db: impl SqliteExecutor<'_>,
    id: &str,
    status: RelayStatus,
    inactive_reason: Option<InactiveReason>,
    now: i64,
) -> sqlx::Result<()> {
    let (status, reason) = (status.as_str(), inactive_reason.map(InactiveReason::as_str));
    sqlx::query!(
        "UPDATE relays SET status = ?, inactive_reason = ?, desired_version = desired_version + 1,
                sync_next_at = ?, updated_at = ?
         WHERE id = ?",
        status,
        reason,
        now,
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A `pending` relay that zooid now serves becomes `active` (no new sync: zooid has it).
/// Only [`crate::lifecycle::relay`] calls this.
pub async fn set_live(db: impl SqliteExecutor<'_>, id: &str) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE relays SET status = 'active' WHERE id = ? AND status = 'pending'",
        id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A relay's id with its status, for changes that touch several relays at once.
#[derive(Debug, Clone)]
pub struct Brief {
    pub id: String,
    pub subdomain: String,
    pub status: RelayStatus,
    pub synced_version: i64,
}

/// A tenant's running relays (`pending` or `active`), for tenant-wide deactivation.
pub async fn running_of_tenant(
    db: impl SqliteExecutor<'_>,
    tenant: &str,
) -> sqlx::Result<Vec<Brief>> {
    sqlx::query_as!(
        Brief,
        r#"SELECT id, subdomain, status AS "status: RelayStatus", synced_version FROM relays
           WHERE tenant = ? AND status IN ('pending', 'active') ORDER BY id"#,
        tenant
    )
    .fetch_all(db)
    .await
}

/// Relays made inactive by their tenant's deactivation, to bring back with the tenant.
pub async fn off_with_tenant(
    db: impl SqliteExecutor<'_>,
    tenant: &str,
) -> sqlx::Result<Vec<Brief>> {
    sqlx::query_as!(
        Brief,
        r#"SELECT id, subdomain, status AS "status: RelayStatus", synced_version FROM relays
           WHERE tenant = ? AND status = 'inactive' AND inactive_reason = 'tenant' ORDER BY id"#,
        tenant
    )
    .fetch_all(db)
    .await
}

/// The running relays an invoice bills, to suspend when it is overdue.
pub async fn running_on_invoice(
    db: impl SqliteExecutor<'_>,
    invoice_id: &str,
) -> sqlx::Result<Vec<Brief>> {
    sqlx::query_as!(
        Brief,
        r#"SELECT DISTINCT r.id, r.subdomain, r.status AS "status: RelayStatus", r.synced_version
           FROM invoice_items it JOIN relays r ON r.id = it.relay_id
           WHERE it.invoice_id = ? AND r.status IN ('pending', 'active')"#,
        invoice_id
    )
    .fetch_all(db)
    .await
}

/// Relays suspended for this invoice that no other overdue invoice still holds.
pub async fn released_by_payment(
    db: impl SqliteExecutor<'_>,
    invoice_id: &str,
) -> sqlx::Result<Vec<Brief>> {
    sqlx::query_as!(
        Brief,
        r#"SELECT DISTINCT r.id, r.subdomain, r.status AS "status: RelayStatus", r.synced_version
           FROM invoice_items it JOIN relays r ON r.id = it.relay_id
           WHERE it.invoice_id = ?1 AND r.status = 'suspended'
             AND NOT EXISTS (SELECT 1 FROM invoice_items o JOIN invoices oi ON oi.id = o.invoice_id
                             WHERE o.relay_id = r.id AND oi.status = 'open' AND oi.suspended_at IS NOT NULL AND oi.id <> ?1)"#,
        invoice_id
    )
    .fetch_all(db)
    .await
}

/// A running paid relay of a tenant, as the period run prices it.
#[derive(Debug, Clone)]
pub struct Billable {
    pub tenant: String,
    pub id: String,
    pub plan: String,
    pub subdomain: String,
    pub plan_name: String,
    pub price_sats: i64,
}

/// The running relays on paid plans of each of `tenants`, oldest first.
pub async fn billable_of_tenants(
    db: impl SqliteExecutor<'_>,
    tenants: &[&str],
) -> sqlx::Result<Vec<Billable>> {
    let tenants = super::json_rows(tenants)?;
    sqlx::query_as!(
        Billable,
        r#"SELECT r.tenant, r.id, r.plan, r.subdomain, p.name AS plan_name, p.price_sats
           FROM relays r JOIN plans p ON p.id = r.plan
           WHERE r.tenant IN (SELECT value FROM json_each(?)) AND r.status IN ('pending', 'active') AND p.price_sats > 0
           ORDER BY r.created_at, r.id"#,
        tenants
    )
    .fetch_all(db)
    .await
}
