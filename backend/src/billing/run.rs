//! The period run: at each tenant's period boundary, one consolidated invoice for the
//! coming period, one item per paid relay plus the credits waiting for it. Each tenant is
//! billed in a write transaction (a batch of tenants) that re-reads `billed_through` under the lock, and
//! the unique index on (tenant, period_start) backs that up: two runs at once, or a run
//! restarted half-way, create each invoice exactly once.

use anyhow::Context;
use serde_json::json;

use super::{Billing, MSAT, period};
use crate::db::{self, Tx, charges::NewCharge, invoices::NewInvoice};
use crate::lifecycle;

/// Bills every tenant whose period has begun; returns how many invoices it created.
pub async fn run_periods(billing: &Billing) -> anyhow::Result<usize> {
    let now = billing.clock.now();
    let mut created = 0;
    let mut after = String::new();
    loop {
        let due = db::tenants::due_for_billing(&billing.db, now, &after)
            .await
            .context("listing tenants due for billing")?;
        let Some(last) = due.last() else { break };
        after = last.clone();
        // A few hundred tenants per write transaction: each is re-read under the lock.
        for chunk in due.chunks(100) {
            let mut tx = db::begin_write(&billing.db).await?;
            for tenant in chunk {
                // A tenant several periods behind (the platform was down) gets each in turn.
                while bill_tenant(billing, &mut tx, tenant, now)
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
    billing: &Billing,
    tx: &mut Tx<'_>,
    tenant: &str,
    now: i64,
) -> anyhow::Result<bool> {
    let row = db::tenants::billing_state(&mut **tx, tenant).await?;
    let (Some(anchor), Some(start)) = (row.billing_anchor, row.billed_through) else {
        return Ok(false);
    };
    if start > now {
        return Ok(false);
    }
    let (_, end) = period::containing(anchor, start);
    let relays = db::relays::billable_of_tenant(&mut **tx, tenant).await?;
    let credit = db::charges::waiting(&mut **tx, tenant).await?;
    if relays.is_empty() {
        // No paid relay: billing pauses until the next one (credits stay for then).
        db::tenants::set_billed_through(&mut **tx, tenant, None).await?;
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
    let fresh = lifecycle::invoice::issue(tx, &invoice, now).await?;
    db::tenants::set_billed_through(&mut **tx, tenant, Some(end)).await?;
    if !fresh {
        return Ok(false);
    }
    // The credits waiting for this invoice.
    db::charges::attach_waiting(&mut **tx, tenant, &id).await?;
    let domain = &billing.settings.relay_domain;
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
        db::charges::insert(&mut **tx, &charge, now).await?;
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
        db::charges::insert(&mut **tx, &carry, now).await?;
        let left = NewCharge {
            amount_msat: total,
            invoice_id: None,
            ..carry
        };
        db::charges::insert(&mut **tx, &left, now).await?;
    }
    let details = json!({ "kind": "period", "amount_msat": total.max(0), "period_start": start, "period_end": end });
    lifecycle::invoice::issued(tx, &id, tenant, details, now).await?;
    Ok(true)
}
