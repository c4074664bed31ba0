//! An invoice's lifecycle: issued `open` (a zero-amount one is settled at once), given a
//! BOLT11 (a fresh one when it expires unpaid), reminded before its grace period ends,
//! overdue after it (its running relays are suspended), and closed exactly once: `paid`
//! (by the operator's wallet, a pull from the tenant's wallet, or an admin) or `void`.
//! Settling brings back exactly the relays suspended for it and queues the receipt.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::{Ctx, Refusal, Result, relay};
use crate::billing::notices;
use crate::db::{self, Tx, activity::Entry, invoices::NewInvoice, outbox};

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
        resource_type: "invoice",
        resource_id: id,
        tenant: Some(tenant),
        details,
    }
}

/// Records a new open invoice; `false` if its period was invoiced already (nothing written).
pub async fn issue(tx: &mut Tx<'_>, new: &NewInvoice<'_>, now: i64) -> Result<bool> {
    Ok(!issue_many(tx, std::slice::from_ref(new), now)
        .await?
        .is_empty())
}

/// [`issue`] for several invoices at once; returns the ids of those recorded.
pub async fn issue_many(
    tx: &mut Tx<'_>,
    new: &[NewInvoice<'_>],
    now: i64,
) -> Result<HashSet<String>> {
    Ok(db::invoices::insert_many(&mut **tx, new, now)
        .await?
        .into_iter()
        .collect())
}

/// An invoice [`issue`]d whose charges are attached, for [`issued_many`].
pub struct Issued<'a> {
    pub id: &'a str,
    pub tenant: &'a str,
    pub details: Value,
}

/// After its charges are attached: its items, the activity entry, and settlement when
/// credit covered it all.
pub async fn issued(
    tx: &mut Tx<'_>,
    id: &str,
    tenant: &str,
    details: Value,
    now: i64,
) -> Result<()> {
    issued_many(
        tx,
        &[Issued {
            id,
            tenant,
            details,
        }],
        now,
    )
    .await
}

/// [`issued`] for several invoices at once.
pub async fn issued_many(tx: &mut Tx<'_>, invoices: &[Issued<'_>], now: i64) -> Result<()> {
    if invoices.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = invoices.iter().map(|i| i.id).collect();
    db::invoices::items_from_charges(&mut **tx, &ids).await?;
    db::invoices::set_paid_if_free(&mut **tx, &ids, now).await?;
    let entries: Vec<Entry<'_>> = invoices
        .iter()
        .map(|i| {
            entry(
                "system",
                "invoice.issued",
                i.id,
                i.tenant,
                i.details.clone(),
            )
        })
        .collect();
    db::activity::record_many(&mut **tx, now, &entries).await?;
    Ok(())
}

/// A checked BOLT11 for an invoice, replacing `previous` (expired) when there is one.
pub struct NewBolt11<'a> {
    pub attempt: db::payment_attempts::NewAttempt<'a>,
    pub previous: Option<i64>,
}

/// Checked BOLT11s to pay from now on, each replacing its invoice's previous one, all in
/// a few statements. The first BOLT11 of an invoice is sent to the tenant unless their own
/// wallet pays automatically. Says for each whether it was kept: `false` when its invoice
/// was paid or voided meanwhile, and then nothing of it is written.
pub async fn attach_bolt11s(
    tx: &mut Tx<'_>,
    cx: &Ctx,
    new: &[NewBolt11<'_>],
    now: i64,
) -> Result<Vec<bool>> {
    let ids: Vec<&str> = new.iter().map(|n| n.attempt.invoice_id).collect();
    // Under the write lock, what is open now stays open until this transaction ends.
    let open: HashMap<String, db::invoices::Invoice> = db::invoices::open_among(&mut **tx, &ids)
        .await?
        .into_iter()
        .map(|i| (i.id.clone(), i))
        .collect();
    let kept: Vec<&NewBolt11<'_>> = new
        .iter()
        .filter(|n| open.contains_key(n.attempt.invoice_id))
        .collect();
    let answer = new
        .iter()
        .map(|n| open.contains_key(n.attempt.invoice_id))
        .collect();
    if kept.is_empty() {
        return Ok(answer);
    }
    let replaced: Vec<i64> = kept.iter().filter_map(|n| n.previous).collect();
    db::payment_attempts::expire_many(&mut **tx, &replaced).await?;
    let attempts: Vec<_> = kept.iter().map(|n| n.attempt).collect();
    let made: HashMap<String, i64> = db::payment_attempts::insert_many(&mut **tx, &attempts, now)
        .await?
        .into_iter()
        .collect();
    let set: Vec<db::invoices::Bolt11<'_>> = kept
        .iter()
        .map(|n| db::invoices::Bolt11 {
            invoice_id: n.attempt.invoice_id,
            bolt11: n.attempt.bolt11,
            payment_hash: n.attempt.payment_hash,
            expires_at: n.attempt.expires_at,
            attempt_id: made[n.attempt.invoice_id],
        })
        .collect();
    if db::invoices::set_bolt11_many(&mut **tx, &set, now).await? != set.len() as u64 {
        return Err(anyhow::anyhow!("an open invoice closed under the write lock").into());
    }
    // An invoice's first BOLT11 is sent, unless the tenant's wallet pays it.
    let first: Vec<(&db::invoices::Invoice, &str)> = kept
        .iter()
        .filter(|n| n.previous.is_none())
        .map(|n| (&open[n.attempt.invoice_id], n.attempt.bolt11))
        .collect();
    let tenants: Vec<&str> = first.iter().map(|(i, _)| i.tenant.as_str()).collect();
    let recurring: HashSet<String> = db::tenants::recurring_among(&mut **tx, &tenants)
        .await?
        .into_iter()
        .collect();
    let notes: Vec<(&str, String, String)> = first
        .into_iter()
        .filter(|(i, _)| !recurring.contains(&i.tenant))
        .map(|(i, bolt11)| {
            let body = notices::invoice(&cx.public_base, i, bolt11);
            (i.tenant.as_str(), format!("invoice:{}", i.id), body)
        })
        .collect();
    let messages: Vec<outbox::NewMessage<'_>> = notes
        .iter()
        .map(|(tenant, key, body)| outbox::NewMessage {
            recipient: tenant,
            topic: "invoice",
            dedupe_key: key,
            body,
        })
        .collect();
    outbox::enqueue_many(&mut **tx, &messages).await?;
    Ok(answer)
}

/// Settles `id` if still open. `attempt` is the BOLT11 that was paid (with its preimage
/// when known). Returns `false` when it was already paid or void.
pub async fn settle(
    tx: &mut Tx<'_>,
    cx: &Ctx,
    id: &str,
    attempt: Option<(i64, Option<&str>)>,
    actor: &str,
    details: Value,
) -> Result<bool> {
    let now = cx.clock.now();
    if !db::invoices::set_paid(&mut **tx, id, now).await? {
        return Ok(false);
    }
    if let Some((attempt_id, preimage)) = attempt {
        db::payment_attempts::settle(&mut **tx, attempt_id, preimage, now).await?;
    }
    let invoice = db::invoices::get(&mut **tx, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("invoice {id} vanished"))?;
    db::activity::record(
        &mut **tx,
        now,
        entry(actor, "invoice.paid", id, &invoice.tenant, details),
    )
    .await?;
    let mut back = Vec::new();
    for r in db::relays::released_by_payment(&mut **tx, id).await? {
        relay::resume_paid(tx, cx, &invoice.tenant, &r, id, now).await?;
        back.push(r.subdomain);
    }
    db::tenants::set_wallet_error(&mut **tx, &invoice.tenant, None).await?;
    if invoice.amount_msat > 0 {
        let body = notices::receipt(&cx.public_base, &invoice, &back);
        outbox::enqueue(
            &mut **tx,
            &invoice.tenant,
            "receipt",
            &format!("receipt:{id}"),
            &body,
        )
        .await?;
    }
    Ok(true)
}

/// An admin voids an open invoice: it is no longer owed and no longer counts.
pub async fn void(tx: &mut Tx<'_>, cx: &Ctx, id: &str, actor: &str, reason: &str) -> Result<()> {
    let now = cx.clock.now();
    let invoice = db::invoices::get(&mut **tx, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("invoice {id} vanished"))?;
    if !db::invoices::set_void(&mut **tx, id, now).await? {
        return Err(Refusal::InvoiceNotOpen(invoice.status).into());
    }
    let details = json!({ "reason": reason });
    db::activity::record(
        &mut **tx,
        now,
        entry(actor, "invoice.voided", id, &invoice.tenant, details),
    )
    .await?;
    Ok(())
}

/// The reminder before the grace period ends (once); `grace_end` is when relays are suspended.
pub async fn remind(
    tx: &mut Tx<'_>,
    cx: &Ctx,
    id: &str,
    grace_end_after_due: i64,
    now: i64,
) -> Result<()> {
    if !db::invoices::set_reminded(&mut **tx, id, now).await? {
        return Ok(());
    }
    if let Some(i) = db::invoices::get(&mut **tx, id).await? {
        let body = notices::reminder(
            &cx.public_base,
            &i,
            i.bolt11.as_deref(),
            i.due_at + grace_end_after_due,
        );
        outbox::enqueue(
            &mut **tx,
            &i.tenant,
            "reminder",
            &format!("reminder:{id}"),
            &body,
        )
        .await?;
    }
    Ok(())
}

/// The grace period ended unpaid (once): the running relays it bills are suspended and the
/// tenant is told. Returns the hosts suspended.
pub async fn overdue(tx: &mut Tx<'_>, cx: &Ctx, id: &str, now: i64) -> Result<Vec<String>> {
    let fresh = db::invoices::set_suspended(&mut **tx, id, now).await?;
    let Some(invoice) = db::invoices::get(&mut **tx, id).await? else {
        return Ok(Vec::new());
    };
    if !fresh {
        return Ok(Vec::new());
    }
    let mut names = Vec::new();
    for r in db::relays::running_on_invoice(&mut **tx, id).await? {
        relay::suspend_unpaid(tx, cx, &invoice.tenant, &r, id, now).await?;
        names.push(cx.host(&r.subdomain));
    }
    let details = json!({ "suspended": names });
    db::activity::record(
        &mut **tx,
        now,
        entry("system", "invoice.overdue", id, &invoice.tenant, details),
    )
    .await?;
    if !names.is_empty() {
        let body = notices::suspended(&cx.public_base, &invoice, &names);
        outbox::enqueue(
            &mut **tx,
            &invoice.tenant,
            "suspended",
            &format!("suspended:{id}"),
            &body,
        )
        .await?;
    }
    Ok(names)
}
