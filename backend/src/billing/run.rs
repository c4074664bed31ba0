//! The period run: at each tenant's period boundary, one consolidated invoice for the
//! coming period, one item per paid relay plus the credits waiting for it. Tenants are
//! billed a hundred at a time, in one write transaction and a few statements for them all,
//! which re-read `billed_through` under the lock, and
//! the unique index on (tenant, period_start) backs that up: two runs at once, or a run
//! restarted half-way, create each invoice exactly once.

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use serde_json::json;

use super::{Billing, MSAT, period};
use crate::db::charges::{NewCharge, WaitingFor};
use crate::db::relays::Billable;
use crate::db::tenants::BilledThrough;
use crate::db::{self, Tx, invoices::NewInvoice};
use crate::lifecycle::{self, invoice::Issued};

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
        // A hundred tenants per write transaction, billed together: each is re-read under the lock.
        for chunk in due.chunks(100) {
            let mut tx = db::begin_write(&billing.db).await?;
            let mut behind: Vec<&str> = chunk.iter().map(String::as_str).collect();
            // A tenant several periods behind (the platform was down) gets each in turn.
            while !behind.is_empty() {
                let billed = bill_tenants(billing, &mut tx, &behind, now)
                    .await
                    .with_context(|| format!("billing tenants from {}", behind[0]))?;
                created += billed.len();
                behind.retain(|t| billed.contains(*t));
            }
            tx.commit().await.context("committing a billing batch")?;
        }
    }
    Ok(created)
}

/// A tenant's next period, about to be invoiced.
struct Due<'a> {
    tenant: &'a str,
    start: i64,
    end: i64,
    id: String,
    relays: Vec<Billable>,
    /// Credits (negative) and debts waiting for this invoice.
    credit: i64,
}

impl Due<'_> {
    fn total(&self) -> i64 {
        self.relays.iter().map(|r| r.price_sats * MSAT).sum::<i64>() + self.credit
    }
}

/// Bills the next period of each of `tenants` whose period has begun, in a few statements
/// for them all; returns the tenants that got a new invoice.
async fn bill_tenants<'t>(
    billing: &Billing,
    tx: &mut Tx<'_>,
    tenants: &[&'t str],
    now: i64,
) -> anyhow::Result<HashSet<&'t str>> {
    let states = db::tenants::billing_states(&mut **tx, tenants).await?;
    let begun: Vec<(&'t str, i64, i64)> = states
        .iter()
        .filter_map(|s| {
            let (Some(anchor), Some(start)) = (s.billing_anchor, s.billed_through) else {
                return None;
            };
            let (_, end) = period::containing(anchor, start);
            let tenant = tenants.iter().find(|t| **t == s.pubkey)?;
            (start <= now).then_some((*tenant, start, end))
        })
        .collect();
    if begun.is_empty() {
        return Ok(HashSet::new());
    }
    let names: Vec<&str> = begun.iter().map(|b| b.0).collect();
    let mut relays: HashMap<String, Vec<Billable>> = HashMap::new();
    for r in db::relays::billable_of_tenants(&mut **tx, &names).await? {
        relays.entry(r.tenant.clone()).or_default().push(r);
    }
    let credits: HashMap<String, i64> = db::charges::waiting_of(&mut **tx, &names)
        .await?
        .into_iter()
        .collect();
    let mut through = Vec::with_capacity(begun.len());
    let mut due = Vec::with_capacity(begun.len());
    for (tenant, start, end) in begun {
        match relays.remove(tenant) {
            // No paid relay: billing pauses until the next one (credits stay for then).
            None => through.push(BilledThrough {
                pubkey: tenant,
                through: None,
            }),
            Some(relays) => due.push(Due {
                tenant,
                start,
                end,
                id: uuid::Uuid::now_v7().simple().to_string(),
                relays,
                credit: credits.get(tenant).copied().unwrap_or(0),
            }),
        }
    }
    let invoices: Vec<NewInvoice<'_>> = due
        .iter()
        .map(|d| NewInvoice {
            id: &d.id,
            tenant: d.tenant,
            kind: "period",
            period_start: d.start,
            period_end: d.end,
            amount_msat: d.total().max(0),
            due_at: d.start,
        })
        .collect();
    let fresh = lifecycle::invoice::issue_many(tx, &invoices, now).await?;
    through.extend(due.iter().map(|d| BilledThrough {
        pubkey: d.tenant,
        through: Some(d.end),
    }));
    db::tenants::set_billed_through_many(&mut **tx, &through).await?;
    // An invoice that existed already keeps what it has.
    due.retain(|d| fresh.contains(&d.id));
    let waiting: Vec<WaitingFor<'_>> = due
        .iter()
        .map(|d| WaitingFor {
            tenant: d.tenant,
            invoice_id: &d.id,
        })
        .collect();
    db::charges::attach_waiting_many(&mut **tx, &waiting).await?;
    let domain = &billing.settings.relay_domain;
    let descriptions: Vec<Vec<String>> = due
        .iter()
        .map(|d| {
            d.relays
                .iter()
                .map(|r| format!("{} plan for {}.{domain}", r.plan_name, r.subdomain))
                .collect()
        })
        .collect();
    let mut charges = Vec::new();
    for (d, descriptions) in due.iter().zip(&descriptions) {
        charges.extend(charges_of(d, descriptions));
    }
    db::charges::insert_many(&mut **tx, &charges, now).await?;
    let issued: Vec<Issued<'_>> = due
        .iter()
        .map(|d| {
            let (total, start, end) = (d.total().max(0), d.start, d.end);
            Issued {
                id: &d.id,
                tenant: d.tenant,
                details: json!({ "kind": "period", "amount_msat": total, "period_start": start, "period_end": end }),
            }
        })
        .collect();
    lifecycle::invoice::issued_many(tx, &issued, now).await?;
    Ok(due.iter().map(|d| d.tenant).collect())
}

/// The charges a new period invoice carries: one per paid relay, and when credit exceeds
/// them, the rest carried over to the next period (on this invoice, and waiting for the next).
fn charges_of<'a>(d: &'a Due<'_>, descriptions: &'a [String]) -> Vec<NewCharge<'a>> {
    let mut charges: Vec<NewCharge<'a>> = d
        .relays
        .iter()
        .zip(descriptions)
        .map(|(r, description)| NewCharge {
            tenant: d.tenant,
            relay_id: Some(&r.id),
            plan: Some(&r.plan),
            reason: "period",
            period_start: d.start,
            period_end: d.end,
            from_at: d.start,
            amount_msat: r.price_sats * MSAT,
            description,
            invoice_id: Some(&d.id),
        })
        .collect();
    let total = d.total();
    if total < 0 {
        let carry = NewCharge {
            tenant: d.tenant,
            relay_id: None,
            plan: None,
            reason: "carried-over",
            period_start: d.start,
            period_end: d.end,
            from_at: d.start,
            amount_msat: -total,
            description: "Credit carried over to the next period",
            invoice_id: Some(&d.id),
        };
        charges.push(carry);
        charges.push(NewCharge {
            amount_msat: total,
            invoice_id: None,
            ..carry
        });
    }
    charges
}
