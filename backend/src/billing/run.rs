//! The period run: at each tenant's period boundary, one consolidated invoice for the
//! coming period, one item per paid relay plus the credits waiting for it. Each tenant is
//! billed in a write transaction (a batch of tenants) that re-reads `billed_through` under the lock, and
//! the unique index on (tenant, period_start) backs that up: two runs at once, or a run
//! restarted half-way, create each invoice exactly once.

use anyhow::Context;
use serde_json::json;

use super::store::{self, NewCharge, NewInvoice};
use super::{MSAT, period};
use crate::db::{self, Tx, activity::Entry};
use crate::state::AppState;

/// Bills every tenant whose period has begun; returns how many invoices it created.
pub async fn run_periods(state: &AppState) -> anyhow::Result<usize> {
    let now = state.billing.clock.now();
    let mut created = 0;
    let mut after = String::new();
    loop {
        let due = sqlx::query_scalar!(
            "SELECT pubkey FROM tenants WHERE billed_through <= ? AND pubkey > ? ORDER BY pubkey LIMIT 500",
            now,
            after
        )
        .fetch_all(&state.db)
        .await
        .context("listing tenants due for billing")?;
        let Some(last) = due.last() else { break };
        after = last.clone();
        // A few hundred tenants per write transaction: each is re-read under the lock.
        for chunk in due.chunks(100) {
            let mut tx = db::begin_write(&state.db).await?;
            for tenant in chunk {
                // A tenant several periods behind (the platform was down) gets each in turn.
                while bill_tenant(state, &mut tx, tenant, now)
                    .await
                    .with_context(|| format!("billing tenant {tenant}"))?
                {
                    created += 1;
                }
            }
            tx.commit().await.context("committing a billing batch")?;
        }
    }
    Ok(created)
}

/// Bills the tenant's next period if it has begun; `true` if an invoice was created.
async fn bill_tenant(
    state: &AppState,
    tx: &mut Tx<'_>,
    tenant: &str,
    now: i64,
) -> anyhow::Result<bool> {
    let row = sqlx::query!(
        "SELECT billing_anchor, billed_through FROM tenants WHERE pubkey = ?",
        tenant
    )
    .fetch_one(&mut **tx)
    .await?;
    let (Some(anchor), Some(start)) = (row.billing_anchor, row.billed_through) else {
        return Ok(false);
    };
    if start > now {
        return Ok(false);
    }
    let (_, end) = period::containing(anchor, start);
    let relays = sqlx::query!(
        r#"SELECT r.id, r.plan, r.subdomain, p.name AS plan_name, p.price_sats
           FROM relays r JOIN plans p ON p.id = r.plan
           WHERE r.tenant = ? AND r.status IN ('pending', 'active') AND p.price_sats > 0
           ORDER BY r.created_at, r.id"#,
        tenant
    )
    .fetch_all(&mut **tx)
    .await?;
    let credit: i64 = sqlx::query_scalar!(
        r#"SELECT coalesce(sum(amount_msat), 0) AS "n!: i64" FROM charges WHERE tenant = ? AND invoice_id IS NULL"#,
        tenant
    )
    .fetch_one(&mut **tx)
    .await?;
    if relays.is_empty() {
        // No paid relay: billing pauses until the next one (credits stay for then).
        sqlx::query!(
            "UPDATE tenants SET billed_through = NULL WHERE pubkey = ?",
            tenant
        )
        .execute(&mut **tx)
        .await?;
        return Ok(false);
    }
    let total: i64 = relays.iter().map(|r| r.price_sats * MSAT).sum::<i64>() + credit;
    let id = uuid::Uuid::now_v7().simple().to_string();
    let invoice = NewInvoice {
        id: &id,
        tenant,
        kind: "period",
        period_start: start,
        period_end: end,
        amount_msat: total.max(0),
        due_at: start,
    };
    let fresh = store::insert_invoice(&mut **tx, &invoice, now).await?;
    sqlx::query!(
        "UPDATE tenants SET billed_through = ? WHERE pubkey = ?",
        end,
        tenant
    )
    .execute(&mut **tx)
    .await?;
    if !fresh {
        return Ok(false);
    }
    // The credits waiting for this invoice.
    sqlx::query!(
        "UPDATE charges SET invoice_id = ? WHERE tenant = ? AND invoice_id IS NULL",
        id,
        tenant
    )
    .execute(&mut **tx)
    .await?;
    let domain = &state.settings.relay_domain;
    for r in &relays {
        let description = format!("{} plan for {}.{domain}", r.plan_name, r.subdomain);
        let charge = NewCharge {
            tenant,
            relay_id: Some(&r.id),
            plan: Some(&r.plan),
            reason: "period",
            period_start: start,
            period_end: end,
            from_at: start,
            amount_msat: r.price_sats * MSAT,
            description: &description,
            invoice_id: Some(&id),
        };
        store::insert_charge(&mut **tx, &charge, now).await?;
    }
    if total < 0 {
        // More credit than charges: the rest carries over to the next period.
        let carry = NewCharge {
            tenant,
            relay_id: None,
            plan: None,
            reason: "carried-over",
            period_start: start,
            period_end: end,
            from_at: start,
            amount_msat: -total,
            description: "Credit carried over to the next period",
            invoice_id: Some(&id),
        };
        store::insert_charge(&mut **tx, &carry, now).await?;
        let left = NewCharge {
            amount_msat: total,
            invoice_id: None,
            ..carry
        };
        store::insert_charge(&mut **tx, &left, now).await?;
    }
    store::items_from_charges(&mut **tx, &id).await?;
    store::settle_free(&mut **tx, &id, now).await?;
    let entry = Entry {
        actor: "system",
        action: "invoice.issued",
        resource_type: "invoice",
        resource_id: &id,
        tenant: Some(tenant),
        details: json!({ "kind": "period", "amount_msat": total.max(0), "period_start": start, "period_end": end }),
    };
    db::activity::record(&mut **tx, now, entry).await?;
    Ok(true)
}
