//! A relay's lifecycle: created `pending`, `active` once zooid first serves it, `inactive`
//! when its owner, an admin or the account's deactivation turns it off, `suspended` while an
//! invoice is overdue, and back to `active` (or `pending` if it was never served) when turned
//! on or paid. Every transition bumps the desired version, so zooid follows.

use serde_json::{Map, Value, json};

use super::{Ctx, Refusal, Result};
use crate::billing::ledger;
use crate::db::{self, Tx, activity::Entry, relays::Brief};
use crate::domain::status::{InactiveReason, RelayStatus, TenantStatus};

fn entry<'a>(
    actor: &'a str,
    action: &'a str,
    id: &'a str,
    tenant: &'a str,
    details: Value,
) -> Entry<'a> {
    Entry {
        actor,
        action,
        resource_type: "relay",
        resource_id: id,
        tenant: Some(tenant),
        details,
    }
}

/// One status change: the status (with the reason when inactive), its activity entry, and
/// the re-price under `charge` when the change alters what the relay costs. Every transition
/// below is one of these; the status column itself bumps the desired version, so zooid follows.
struct Move<'a> {
    actor: &'a str,
    tenant: &'a str,
    id: &'a str,
    to: RelayStatus,
    reason: Option<InactiveReason>,
    action: &'a str,
    details: Value,
    /// The charge reason for the re-price (`deactivated`, `reactivated`), if any.
    charge: Option<&'a str>,
}

async fn apply(tx: &mut Tx<'_>, cx: &Ctx, m: Move<'_>, now: i64) -> Result<()> {
    db::relays::set_status(&mut **tx, m.id, m.to, m.reason, now).await?;
    db::activity::record(
        &mut **tx,
        now,
        entry(m.actor, m.action, m.id, m.tenant, m.details),
    )
    .await?;
    if let Some(charge) = m.charge {
        ledger::relay_changed(tx, cx, m.id, charge).await?;
    }
    Ok(())
}

/// The unique constraints a relay's subdomain is held by.
fn subdomain_taken(e: sqlx::Error, subdomain: &str) -> super::Error {
    match db::violated_unique(&e) {
        Some("relays.subdomain" | "relays.schema") => {
            Refusal::SubdomainTaken(subdomain.into()).into()
        }
        _ => e.into(),
    }
}

/// A new relay, `pending` until zooid serves it, priced from now, on the node placement
/// picks (`new.node` is ignored).
pub async fn create(
    tx: &mut Tx<'_>,
    cx: &Ctx,
    actor: &str,
    new: &db::relays::NewRelay<'_>,
    now: i64,
) -> Result<()> {
    if db::relays::is_taken(&mut **tx, new.subdomain, new.schema, None).await? {
        return Err(Refusal::SubdomainTaken(new.subdomain.into()).into());
    }
    let node = super::node::place(tx).await?;
    let new = &db::relays::NewRelay {
        node: Some(&node),
        ..*new
    };
    db::relays::insert(&mut **tx, new, now)
        .await
        .map_err(|e| subdomain_taken(e, new.subdomain))?;
    let details =
        json!({ "name": new.name, "subdomain": new.subdomain, "plan": new.plan, "node": node });
    db::activity::record(
        &mut **tx,
        now,
        entry(actor, "relay.created", new.id, new.tenant, details),
    )
    .await?;
    ledger::relay_changed(tx, cx, new.id, "created").await?;
    Ok(())
}

/// Changes the editable fields; `changes` is `{field: {from, to}}` for the activity log.
/// A plan change is re-priced from now.
pub async fn edit(
    tx: &mut Tx<'_>,
    cx: &Ctx,
    actor: &str,
    current: &db::relays::Relay,
    next: &db::relays::Fields<'_>,
    changes: Map<String, Value>,
    now: i64,
) -> Result<()> {
    if next.subdomain != current.subdomain
        && db::relays::is_taken(
            &mut **tx,
            next.subdomain,
            &crate::domain::subdomain::schema_for(next.subdomain),
            Some(&current.id),
        )
        .await?
    {
        return Err(Refusal::SubdomainTaken(next.subdomain.into()).into());
    }
    let plan_changed = next.plan != current.plan;
    if plan_changed {
        // A smaller plan must still hold the relay's members; nobody is removed for it.
        super::community::check_plan_fits(tx, current, next.plan).await?;
    }
    db::relays::update_fields(&mut **tx, &current.id, next, now)
        .await
        .map_err(|e| subdomain_taken(e, next.subdomain))?;
    let action = if plan_changed {
        "relay.plan-changed"
    } else {
        "relay.updated"
    };
    let details = Value::Object(changes);
    db::activity::record(
        &mut **tx,
        now,
        entry(actor, action, &current.id, &current.tenant, details),
    )
    .await?;
    if plan_changed {
        ledger::relay_changed(tx, cx, &current.id, "plan-change").await?;
        // Another limit may open or close the relay's joins: its claims are looked at.
        db::relay_claims::due_now(&mut **tx, &current.id, now).await?;
    }
    Ok(())
}

/// Turns a relay off at its owner's or an admin's request. Doing it again changes nothing.
pub async fn deactivate(
    tx: &mut Tx<'_>,
    cx: &Ctx,
    actor: &str,
    id: &str,
    by: InactiveReason,
    now: i64,
) -> Result<()> {
    let current = db::relays::get(&mut **tx, id)
        .await?
        .ok_or(Refusal::RelayNotFound)?;
    if current.status == RelayStatus::Inactive {
        return Ok(());
    }
    let m = Move {
        actor,
        tenant: &current.tenant,
        id,
        to: RelayStatus::Inactive,
        reason: Some(by),
        action: "relay.deactivated",
        details: json!({ "from": current.status, "reason": by }),
        charge: Some("deactivated"),
    };
    apply(tx, cx, m, now).await
}

/// Turns an inactive relay back on. A suspended relay comes back only with payment, and
/// nothing comes back while the account is deactivated. Doing it again changes nothing.
pub async fn reactivate(tx: &mut Tx<'_>, cx: &Ctx, actor: &str, id: &str, now: i64) -> Result<()> {
    let current = db::relays::get(&mut **tx, id)
        .await?
        .ok_or(Refusal::RelayNotFound)?;
    match current.status {
        RelayStatus::Suspended => Err(Refusal::RelaySuspended.into()),
        RelayStatus::Inactive => {
            let tenant = db::tenants::get(&mut **tx, &current.tenant).await?;
            if tenant.is_some_and(|t| t.status == TenantStatus::Inactive) {
                return Err(Refusal::TenantInactive.into());
            }
            let to = RelayStatus::on_return(current.synced_version);
            let m = Move {
                actor,
                tenant: &current.tenant,
                id,
                to,
                reason: None,
                action: "relay.reactivated",
                details: json!({ "to": to }),
                charge: Some("reactivated"),
            };
            apply(tx, cx, m, now).await
        }
        RelayStatus::Pending | RelayStatus::Active => Ok(()),
    }
}

/// The account was deactivated: a running relay goes off with it.
pub(super) async fn off_with_tenant(
    tx: &mut Tx<'_>,
    cx: &Ctx,
    actor: &str,
    tenant: &str,
    r: &Brief,
    now: i64,
) -> Result<()> {
    let to = RelayStatus::Inactive;
    let m = Move {
        actor,
        tenant,
        id: &r.id,
        to,
        reason: Some(InactiveReason::Tenant),
        action: "relay.deactivated",
        details: json!({ "status": to, "cause": "tenant" }),
        charge: Some("deactivated"),
    };
    apply(tx, cx, m, now).await
}

/// The account was reactivated: a relay its deactivation turned off comes back.
pub(super) async fn back_with_tenant(
    tx: &mut Tx<'_>,
    cx: &Ctx,
    actor: &str,
    tenant: &str,
    r: &Brief,
    now: i64,
) -> Result<()> {
    let to = RelayStatus::on_return(r.synced_version);
    let m = Move {
        actor,
        tenant,
        id: &r.id,
        to,
        reason: None,
        action: "relay.reactivated",
        details: json!({ "status": to, "cause": "tenant" }),
        charge: Some("reactivated"),
    };
    apply(tx, cx, m, now).await
}

/// An invoice went overdue past the grace period: a running relay it bills is suspended
/// (zooid keeps its data, `inactive = true`). It stays billed as it was.
pub(super) async fn suspend_unpaid(
    tx: &mut Tx<'_>,
    cx: &Ctx,
    tenant: &str,
    r: &Brief,
    invoice_id: &str,
    now: i64,
) -> Result<()> {
    let m = Move {
        actor: "system",
        tenant,
        id: &r.id,
        to: RelayStatus::Suspended,
        reason: None,
        action: "relay.suspended",
        details: json!({ "from": r.status, "invoice": invoice_id }),
        charge: None,
    };
    apply(tx, cx, m, now).await
}

/// The invoice that held a suspended relay was paid: it comes back, priced from now.
pub(super) async fn resume_paid(
    tx: &mut Tx<'_>,
    cx: &Ctx,
    tenant: &str,
    r: &Brief,
    invoice_id: &str,
    now: i64,
) -> Result<()> {
    let to = RelayStatus::on_return(r.synced_version);
    let m = Move {
        actor: "system",
        tenant,
        id: &r.id,
        to,
        reason: None,
        action: "relay.reactivated",
        details: json!({ "to": to, "cause": "payment", "invoice": invoice_id }),
        charge: Some("reactivated"),
    };
    apply(tx, cx, m, now).await
}

/// zooid serves the relay's configuration at `version`: a `pending` relay whose live
/// configuration landed goes `active`. Returns whether it went live.
pub async fn synced(tx: &mut Tx<'_>, id: &str, version: i64, live: bool, now: i64) -> Result<bool> {
    db::relay_sync::mark_synced(&mut **tx, id, version, now).await?;
    let went_live = live && db::relays::set_live(&mut **tx, id).await?;
    Ok(went_live)
}
