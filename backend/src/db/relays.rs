//! Relays: each one's desired configuration and its sync state. Every change to what zooid
//! should serve bumps `desired_version` in the same statement.

use sqlx::SqliteExecutor;

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
    pub status: String,
    pub inactive_reason: Option<String>,
    pub pubkey: String,
    pub desired_version: i64,
    pub synced_version: i64,
    pub sync_attempts: i64,
    pub sync_error: Option<String>,
    pub sync_next_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

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
}

pub async fn insert(db: impl SqliteExecutor<'_>, r: &NewRelay<'_>, now: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO relays (id, tenant, name, subdomain, schema, icon, description, plan, pubkey, secret_enc,
                             sync_next_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        now,
        now,
        now
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn get(db: impl SqliteExecutor<'_>, id: &str) -> sqlx::Result<Option<Relay>> {
    sqlx::query_as!(
        Relay,
        "SELECT id, tenant, name, subdomain, schema, icon, description, plan, status, inactive_reason, pubkey,
                desired_version, synced_version, sync_attempts, sync_error, sync_next_at, created_at, updated_at
         FROM relays WHERE id = ?",
        id
    )
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

/// Moves a relay to `status` (with `inactive_reason` when inactive) and asks for a sync.
pub async fn set_status(
    db: impl SqliteExecutor<'_>,
    id: &str,
    status: &str,
    inactive_reason: Option<&str>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE relays SET status = ?, inactive_reason = ?, desired_version = desired_version + 1,
                sync_next_at = ?, updated_at = ?
         WHERE id = ?",
        status,
        inactive_reason,
        now,
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A tenant's relays in one of the given statuses, for tenant-wide changes.
pub async fn ids_of_tenant(
    db: impl SqliteExecutor<'_>,
    tenant: &str,
    statuses: &[&str],
) -> sqlx::Result<Vec<(String, String)>> {
    let statuses = serde_json::to_string(statuses).unwrap_or_else(|_| "[]".into());
    let rows = sqlx::query!(
        "SELECT id, status FROM relays WHERE tenant = ? AND status IN (SELECT value FROM json_each(?)) ORDER BY id",
        tenant,
        statuses
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.status)).collect())
}

/// Relays made inactive by their tenant's deactivation, to bring back with the tenant.
pub async fn ids_off_with_tenant(
    db: impl SqliteExecutor<'_>,
    tenant: &str,
) -> sqlx::Result<Vec<(String, i64)>> {
    let rows = sqlx::query!(
        "SELECT id, synced_version FROM relays WHERE tenant = ? AND status = 'inactive' AND inactive_reason = 'tenant' ORDER BY id",
        tenant
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.synced_version)).collect())
}
