//! What a relay change costs or credits. Called in the same transaction as the change:
//! compares what the relay should cost for the rest of the current period with what its
//! charge history still covers, and records the difference. A positive difference is
//! invoiced at once (prorated invoice); a negative one is a credit for the next period
//! invoice, given only for time that was paid for.

use anyhow::Context;
use serde_json::json;

use super::{MSAT, period};
use crate::db::{self, Tx, charges::NewCharge, invoices::NewInvoice};
use crate::lifecycle::{self, Ctx};

/// Re-prices `relay_id` from now. `reason` is the charge reason: `created`,
/// `plan-change`, `deactivated` or `reactivated`. Returns the prorated invoice created, if any.
/// Called by [`crate::lifecycle::relay`] transitions, in their transaction.
pub async fn relay_changed(
    tx: &mut Tx<'_>,
    cx: &Ctx,
    relay_id: &str,
    reason: &str,
) -> anyhow::Result<Option<String>> {
    let now = cx.clock.now();
    let relay = db::relays::get(&mut **tx, relay_id)
        .await?
        .context("relay vanished")?;
    let plan = db::plans::get(&mut **tx, &relay.plan)
        .await?
        .context("plan vanished")?;
    let billable = plan.is_paid() && relay.status.is_running();
    let tenant = relay.tenant.as_str();
    let row = db::tenants::billing_state(&mut **tx, tenant).await?;
    let anchor = match row.billing_anchor {
        Some(a) => a,
        None if billable => {
            db::tenants::set_billing_anchor(&mut **tx, tenant, now).await?;
            now
        }
        None => return Ok(None),
    };
    let (start, end) = period::containing(anchor, now);
    match row.billed_through {
        // The period run for this period has not happened yet: it will price the relay.
        Some(b) if b <= start && row.billing_anchor.is_some() => return Ok(None),
        Some(_) => {}
        None if !billable => return Ok(None),
        None => db::tenants::set_billed_through(&mut **tx, tenant, Some(end)).await?,
    }
    let charges = db::charges::of_relay(&mut **tx, relay_id, start).await?;
    let covered: i128 = charges
        .iter()
        .map(|c| period::remaining(c.amount_msat, c.from_at, end, now))
        .sum();
    let target = if billable {
        i128::from(period::prorate(plan.price_sats * MSAT, now, start, end))
    } else {
        0
    };
    let delta = period::whole_sats(target - covered);
    if delta == 0 || (delta < 0 && charges.iter().any(|c| c.unpaid)) {
        return Ok(None);
    }
    let description = if delta > 0 {
        format!(
            "{} plan for {}.{} (rest of period)",
            plan.name, relay.subdomain, cx.relay_domain
        )
    } else {
        format!(
            "Credit for {}.{}: unused time ({reason})",
            relay.subdomain, cx.relay_domain
        )
    };
    let invoice_id = (delta > 0).then(|| uuid::Uuid::now_v7().simple().to_string());
    if let Some(id) = &invoice_id {
        let invoice = NewInvoice {
            id,
            tenant,
            kind: "prorated",
            period_start: now,
            period_end: end,
            amount_msat: delta,
            due_at: now,
        };
        lifecycle::invoice::issue(tx, &invoice, now).await?;
    }
    let charge = NewCharge {
        tenant,
        relay_id: Some(relay_id),
        plan: Some(&relay.plan),
        reason,
        period_start: start,
        period_end: end,
        from_at: now,
        amount_msat: delta,
        description: &description,
        invoice_id: invoice_id.as_deref(),
    };
    db::charges::insert(&mut **tx, &charge, now).await?;
    if let Some(id) = &invoice_id {
        let details = json!({ "kind": "prorated", "amount_msat": delta, "relay": relay_id, "reason": reason });
        lifecycle::invoice::issued(tx, id, tenant, details, now).await?;
    }
    Ok(invoice_id)
}
