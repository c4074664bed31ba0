//! An account's lifecycle: registered on first use, deactivated and reactivated by an admin.
//! Deactivation turns off the account's running relays; reactivation brings back exactly
//! those. Relays their owner or an admin turned off, and suspended ones, stay as they are.

use serde_json::json;

use super::{Ctx, Result, relay};
use crate::db::{self, Tx, activity::Entry};
use crate::domain::status::TenantStatus;

/// Registers `pubkey` if it is new; `true` when this call created it.
pub async fn register(tx: &mut Tx<'_>, pubkey: &str, now: i64) -> Result<bool> {
    let created = db::tenants::ensure(&mut **tx, pubkey, now).await?;
    if created {
        let entry = Entry {
            actor: pubkey,
            action: "tenant.registered",
            resource_type: "tenant",
            resource_id: pubkey,
            tenant: Some(pubkey),
            details: json!({}),
        };
        db::activity::record(&mut **tx, now, entry).await?;
    }
    Ok(created)
}

/// Moves the account to `to`, with its relays. Doing it again changes nothing.
pub async fn set_status(
    tx: &mut Tx<'_>,
    cx: &Ctx,
    actor: &str,
    pubkey: &str,
    to: TenantStatus,
    now: i64,
) -> Result<()> {
    let Some(current) = db::tenants::get(&mut **tx, pubkey).await? else {
        return Ok(());
    };
    if current.status == to {
        return Ok(());
    }
    db::tenants::set_status(&mut **tx, pubkey, to, now).await?;
    let action = match to {
        TenantStatus::Active => "tenant.activated",
        TenantStatus::Inactive => "tenant.deactivated",
    };
    let entry = Entry {
        actor,
        action,
        resource_type: "tenant",
        resource_id: pubkey,
        tenant: Some(pubkey),
        details: json!({}),
    };
    db::activity::record(&mut **tx, now, entry).await?;
    match to {
        TenantStatus::Active => {
            for r in db::relays::off_with_tenant(&mut **tx, pubkey).await? {
                relay::back_with_tenant(tx, cx, actor, pubkey, &r, now).await?;
            }
        }
        TenantStatus::Inactive => {
            for r in db::relays::running_of_tenant(&mut **tx, pubkey).await? {
                relay::off_with_tenant(tx, cx, actor, pubkey, &r, now).await?;
            }
        }
    }
    Ok(())
}
