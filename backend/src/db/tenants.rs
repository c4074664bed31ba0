//! Tenants: who signed up, their status and their (encrypted) billing wallet.

use sqlx::SqliteExecutor;

use crate::domain::status::TenantStatus;

#[derive(Debug, Clone)]
pub struct Tenant {
    pub pubkey: String,
    pub status: TenantStatus,
    pub wallet_pubkey: Option<String>,
    pub wallet_relays: Option<String>,
    pub nwc_error: Option<String>,
    pub billing_anchor: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub relay_count: i64,
}

pub async fn get(db: impl SqliteExecutor<'_>, pubkey: &str) -> sqlx::Result<Option<Tenant>> {
    sqlx::query_as!(
        Tenant,
        r#"SELECT t.pubkey, t.status AS "status: TenantStatus", t.wallet_pubkey, t.wallet_relays, t.nwc_error, t.billing_anchor,
                  t.created_at, t.updated_at,
                  (SELECT count(*) FROM relays r WHERE r.tenant = t.pubkey) AS "relay_count!: i64"
           FROM tenants t WHERE t.pubkey = ?"#,
        pubkey
    )
    .fetch_optional(db)
    .await
}

/// Registers `pubkey` if it is new; `true` when this call created it.
pub async fn ensure(db: impl SqliteExecutor<'_>, pubkey: &str, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "INSERT INTO tenants (pubkey, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (pubkey) DO NOTHING",
        pubkey,
        now,
        now
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct Filter<'a> {
    /// Part of a hex pubkey, or of the name or subdomain of one of the tenant's relays.
    pub search: Option<&'a str>,
    pub status: Option<TenantStatus>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list(db: impl SqliteExecutor<'_>, f: &Filter<'_>) -> sqlx::Result<Vec<Tenant>> {
    let pattern = f.search.map(super::contains_pattern);
    let status = f.status.map(TenantStatus::as_str);
    sqlx::query_as!(
        Tenant,
        r#"SELECT t.pubkey, t.status AS "status: TenantStatus", t.wallet_pubkey, t.wallet_relays, t.nwc_error, t.billing_anchor,
                  t.created_at, t.updated_at,
                  (SELECT count(*) FROM relays r WHERE r.tenant = t.pubkey) AS "relay_count!: i64"
           FROM tenants t
           WHERE (?1 IS NULL OR t.pubkey LIKE ?1 ESCAPE '\'
                  OR EXISTS (SELECT 1 FROM relays r WHERE r.tenant = t.pubkey
                             AND (r.name LIKE ?1 ESCAPE '\' OR r.subdomain LIKE ?1 ESCAPE '\')))
             AND (?2 IS NULL OR t.status = ?2)
           ORDER BY t.created_at DESC, t.pubkey
           LIMIT ?3 OFFSET ?4"#,
        pattern,
        status,
        f.limit,
        f.offset
    )
    .fetch_all(db)
    .await
}

pub async fn count(db: impl SqliteExecutor<'_>, f: &Filter<'_>) -> sqlx::Result<i64> {
    let pattern = f.search.map(super::contains_pattern);
    let status = f.status.map(TenantStatus::as_str);
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!: i64" FROM tenants t
           WHERE (?1 IS NULL OR t.pubkey LIKE ?1 ESCAPE '\'
                  OR EXISTS (SELECT 1 FROM relays r WHERE r.tenant = t.pubkey
                             AND (r.name LIKE ?1 ESCAPE '\' OR r.subdomain LIKE ?1 ESCAPE '\'))) AND (?2 IS NULL OR t.status = ?2)"#,
        pattern,
        status
    )
    .fetch_one(db)
    .await
}

/// Only [`crate::lifecycle::tenant`] calls this.
pub async fn set_status(
    db: impl SqliteExecutor<'_>,
    pubkey: &str,
    status: TenantStatus,
    now: i64,
) -> sqlx::Result<()> {
    let status = status.as_str();
    sqlx::query!(
        "UPDATE tenants SET status = ?, updated_at = ? WHERE pubkey = ?",
        status,
        now,
        pubkey
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The wallet parts to store: the sealed URL and what may be shown of it.
pub struct Wallet {
    pub nwc_url_enc: Vec<u8>,
    pub pubkey: String,
    pub relays_json: String,
}

/// Stores (or, with `None`, clears) the tenant's recurring-billing wallet.
pub async fn set_wallet(
    db: impl SqliteExecutor<'_>,
    pubkey: &str,
    wallet: Option<&Wallet>,
    now: i64,
) -> sqlx::Result<()> {
    let (enc, wallet_pubkey, relays) = match wallet {
        Some(w) => (Some(&w.nwc_url_enc), Some(&w.pubkey), Some(&w.relays_json)),
        None => (None, None, None),
    };
    sqlx::query!(
        "UPDATE tenants SET nwc_url_enc = ?, wallet_pubkey = ?, wallet_relays = ?, nwc_error = NULL, updated_at = ?
         WHERE pubkey = ?",
        enc,
        wallet_pubkey,
        relays,
        now,
        pubkey
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Where a tenant's billing stands: the anchor of its periods and how far it is billed.
pub struct BillingState {
    pub billing_anchor: Option<i64>,
    pub billed_through: Option<i64>,
}

pub async fn billing_state(
    db: impl SqliteExecutor<'_>,
    pubkey: &str,
) -> sqlx::Result<BillingState> {
    sqlx::query_as!(
        BillingState,
        "SELECT billing_anchor, billed_through FROM tenants WHERE pubkey = ?",
        pubkey
    )
    .fetch_one(db)
    .await
}

/// One tenant's [`BillingState`], read with others by [`billing_states`].
pub struct TenantBilling {
    pub pubkey: String,
    pub billing_anchor: Option<i64>,
    pub billed_through: Option<i64>,
}

/// Where each of `pubkeys`' billing stands, in one statement.
pub async fn billing_states(
    db: impl SqliteExecutor<'_>,
    pubkeys: &[&str],
) -> sqlx::Result<Vec<TenantBilling>> {
    let pubkeys = super::json_rows(pubkeys)?;
    sqlx::query_as!(
        TenantBilling,
        r#"SELECT pubkey AS "pubkey!", billing_anchor, billed_through FROM tenants
           WHERE pubkey IN (SELECT value FROM json_each(?))"#,
        pubkeys
    )
    .fetch_all(db)
    .await
}

pub async fn set_billing_anchor(
    db: impl SqliteExecutor<'_>,
    pubkey: &str,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE tenants SET billing_anchor = ? WHERE pubkey = ?",
        at,
        pubkey
    )
    .execute(db)
    .await?;
    Ok(())
}

/// How far the tenant is billed; `None` pauses billing until its next paid relay.
pub async fn set_billed_through(
    db: impl SqliteExecutor<'_>,
    pubkey: &str,
    through: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE tenants SET billed_through = ? WHERE pubkey = ?",
        through,
        pubkey
    )
    .execute(db)
    .await?;
    Ok(())
}

/// How far a tenant is billed, for [`set_billed_through_many`].
#[derive(serde::Serialize)]
pub struct BilledThrough<'a> {
    pub pubkey: &'a str,
    pub through: Option<i64>,
}

/// [`set_billed_through`] for several tenants in one statement.
pub async fn set_billed_through_many(
    db: impl SqliteExecutor<'_>,
    each: &[BilledThrough<'_>],
) -> sqlx::Result<()> {
    let rows = super::json_rows(each)?;
    sqlx::query!(
        "UPDATE tenants SET billed_through = b.value ->> 'through'
         FROM json_each(?) AS b WHERE tenants.pubkey = b.value ->> 'pubkey'",
        rows
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Tenants whose next period has begun, after `after` in pubkey order (500 at a time).
pub async fn due_for_billing(
    db: impl SqliteExecutor<'_>,
    now: i64,
    after: &str,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        "SELECT pubkey FROM tenants WHERE billed_through <= ? AND pubkey > ? ORDER BY pubkey LIMIT 500",
        now,
        after
    )
    .fetch_all(db)
    .await
}

/// Those of `pubkeys` who pay automatically from a saved wallet.
pub async fn recurring_among(
    db: impl SqliteExecutor<'_>,
    pubkeys: &[&str],
) -> sqlx::Result<Vec<String>> {
    let pubkeys = super::json_rows(pubkeys)?;
    sqlx::query_scalar!(
        "SELECT pubkey FROM tenants
         WHERE pubkey IN (SELECT value FROM json_each(?)) AND wallet_pubkey IS NOT NULL",
        pubkeys
    )
    .fetch_all(db)
    .await
}

/// The last error the tenant's wallet gave (`None` clears it).
pub async fn set_wallet_error(
    db: impl SqliteExecutor<'_>,
    pubkey: &str,
    error: Option<&str>,
) -> sqlx::Result<()> {
    match error {
        Some(e) => {
            sqlx::query!(
                "UPDATE tenants SET nwc_error = ? WHERE pubkey = ?",
                e,
                pubkey
            )
            .execute(db)
            .await?
        }
        None => {
            sqlx::query!(
                "UPDATE tenants SET nwc_error = NULL WHERE pubkey = ? AND nwc_error IS NOT NULL",
                pubkey
            )
            .execute(db)
            .await?
        }
    };
    Ok(())
}
