//! An invoice's lifecycle: issued `open` (a zero-amount one is settled at once), given a
//! BOLT11 (a fresh one when it expires unpaid), reminded before its grace period ends,
//! overdue after it (its running relays are suspended), and closed exactly once: `paid`
//! (by the operator's wallet, a pull from the tenant's wallet, or an admin) or `void`.
//! Settling brings back exactly the relays suspended for it and queues the receipt.

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
    Ok(db::invoices::insert(&mut **tx, new, now).await?)
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
    db::invoices::items_from_charges(&mut **tx, id).await?;
    db::invoices::set_paid_if_free(&mut **tx, id, now).await?;
    db::activity::record(
        &mut **tx,
        now,
        entry("system", "invoice.issued", id, tenant, details),
    )
    .await?;
    Ok(())
}

/// A checked BOLT11 to pay from now on (replacing the previous one, which is expired).
/// The first one is sent to the tenant unless their own wallet pays automatically.
/// `false` when the invoice was paid or voided meanwhile (nothing is kept).
pub async fn attach_bolt11(
    tx: &mut Tx<'_>,
    cx: &Ctx,
    id: &str,
    previous: Option<i64>,
    attempt: &db::payment_attempts::NewAttempt<'_>,
    now: i64,
) -> Result<bool> {
    if let Some(previous) = previous {
        db::payment_attempts::expire(&mut **tx, previous).await?;
    }
    let attempt_id = db::payment_attempts::insert(&mut **tx, attempt, now).await?;
    let bolt11 = db::invoices::Bolt11 {
        bolt11: attempt.bolt11,
        payment_hash: attempt.payment_hash,
        expires_at: attempt.expires_at,
        attempt_id,
    };
    if !db::invoices::set_bolt11(&mut **tx, id, &bolt11, now).await? {
        return Ok(false);
    }
    let invoice = db::invoices::get(&mut **tx, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("invoice {id} vanished"))?;
    if previous.is_none() && !db::tenants::is_recurring(&mut **tx, &invoice.tenant).await? {
        let body = notices::invoice(&cx.public_base, &invoice, attempt.bolt11);
        outbox::enqueue(
            &mut **tx,
            &invoice.tenant,
            "invoice",
            &format!("invoice:{id}"),
            &body,
        )
        .await?;
    }
    Ok(true)
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
