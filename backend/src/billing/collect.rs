//! Detecting payment: the operator wallet's `payment_received` notifications, polling
//! `lookup_invoice` with backoff, and the dashboard's "I've paid" check. Every path ends in
//! [`mark_paid`], which settles an invoice exactly once, brings back exactly the relays
//! suspended for non-payment, and queues the receipt.

use anyhow::Context;
use nostr_sdk::nips::nip47::TransactionState;
use serde_json::json;

use super::notices;
use super::store::{self, OpenAttempt};
use crate::db::{self, Tx, activity::Entry};
use crate::robot::outbox;
use crate::state::AppState;
use crate::wallet::{WalletClient, bolt11};

/// Settles `invoice_id` if still open. `attempt` is the BOLT11 that was paid (with its
/// preimage when known). Returns `false` when it was already paid or void.
pub async fn mark_paid(
    state: &AppState,
    tx: &mut Tx<'_>,
    invoice_id: &str,
    attempt: Option<(i64, Option<&str>)>,
    actor: &str,
    details: serde_json::Value,
) -> anyhow::Result<bool> {
    let now = state.billing.clock.now();
    let done = sqlx::query!(
        "UPDATE invoices SET status = 'paid', paid_at = ?, lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'open'",
        now,
        now,
        invoice_id
    )
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    if let Some((attempt_id, preimage)) = attempt {
        sqlx::query!(
            "UPDATE payment_attempts SET state = 'settled', preimage = ?, settled_at = ? WHERE id = ? AND state <> 'settled'",
            preimage,
            now,
            attempt_id
        )
        .execute(&mut **tx)
        .await?;
    }
    let invoice = db::invoices::get(&mut **tx, invoice_id)
        .await?
        .context("invoice vanished")?;
    let entry = Entry {
        actor,
        action: "invoice.paid",
        resource_type: "invoice",
        resource_id: invoice_id,
        tenant: Some(&invoice.tenant),
        details,
    };
    db::activity::record(&mut **tx, now, entry).await?;
    // Relays suspended for non-payment that no other overdue invoice still holds.
    let suspended = sqlx::query!(
        r#"SELECT DISTINCT r.id, r.subdomain, r.synced_version FROM invoice_items it JOIN relays r ON r.id = it.relay_id
           WHERE it.invoice_id = ?1 AND r.status = 'suspended'
             AND NOT EXISTS (SELECT 1 FROM invoice_items o JOIN invoices oi ON oi.id = o.invoice_id
                             WHERE o.relay_id = r.id AND oi.status = 'open' AND oi.suspended_at IS NOT NULL AND oi.id <> ?1)"#,
        invoice_id
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut back = Vec::new();
    for r in suspended {
        let status = if r.synced_version > 0 {
            "active"
        } else {
            "pending"
        };
        db::relays::set_status(&mut **tx, &r.id, status, None, now).await?;
        let entry = Entry {
            actor: "system",
            action: "relay.reactivated",
            resource_type: "relay",
            resource_id: &r.id,
            tenant: Some(&invoice.tenant),
            details: json!({ "to": status, "cause": "payment", "invoice": invoice_id }),
        };
        db::activity::record(&mut **tx, now, entry).await?;
        super::relay_changed(state, tx, &r.id, "reactivated").await?;
        back.push(r.subdomain);
    }
    sqlx::query!(
        "UPDATE tenants SET nwc_error = NULL WHERE pubkey = ? AND nwc_error IS NOT NULL",
        invoice.tenant
    )
    .execute(&mut **tx)
    .await?;
    if invoice.amount_msat > 0 {
        let body = notices::receipt(&state.public_base, &invoice, &back);
        outbox::enqueue(
            &mut **tx,
            &invoice.tenant,
            "receipt",
            &format!("receipt:{invoice_id}"),
            &body,
        )
        .await?;
    }
    Ok(true)
}

/// Asks the operator's wallet about one BOLT11; settles the invoice if it was paid.
/// Returns the wallet's state for it.
pub async fn check_attempt(
    state: &AppState,
    wallet: &WalletClient,
    a: &OpenAttempt,
    actor: &str,
) -> anyhow::Result<Option<TransactionState>> {
    let found = match wallet.lookup_invoice(&a.payment_hash).await {
        Ok(f) => f,
        Err(e) if e.code() == "wallet/not-found" => return Ok(None),
        Err(e) => return Err(e).context("lookup_invoice"),
    };
    let settled = found.state == Some(TransactionState::Settled)
        || (found.state.is_none() && found.settled_at.is_some());
    if settled {
        settle_by_hash(
            state,
            &a.payment_hash,
            found.preimage.as_deref(),
            actor,
            "lookup",
        )
        .await?;
        return Ok(Some(TransactionState::Settled));
    }
    Ok(found.state)
}

/// Settles whichever invoice `payment_hash` belongs to, after checking the preimage.
pub async fn settle_by_hash(
    state: &AppState,
    payment_hash: &str,
    preimage: Option<&str>,
    actor: &str,
    via: &str,
) -> anyhow::Result<bool> {
    if let Some(p) = preimage
        && !bolt11::preimage_matches(p, payment_hash)
    {
        tracing::warn!(
            payment_hash,
            "a wallet reported a payment whose preimage does not match; ignored"
        );
        return Ok(false);
    }
    let Some(a) = store::attempt_by_hash(&state.db, payment_hash).await? else {
        return Ok(false);
    };
    let mut tx = db::begin_write(&state.db).await?;
    let paid = mark_paid(
        state,
        &mut tx,
        &a.invoice_id,
        Some((a.attempt_id, preimage)),
        actor,
        json!({ "payment_hash": payment_hash, "via": via }),
    )
    .await?;
    tx.commit().await?;
    if paid {
        tracing::info!(invoice = %a.invoice_id, via, "invoice paid");
        state.billing.nudge();
    }
    Ok(paid)
}

/// Polls open BOLT11s whose check is due, backing off from 10 s to an hour.
pub async fn poll_due(state: &AppState, wallet: &WalletClient) -> anyhow::Result<usize> {
    let now = state.billing.clock.now();
    let due = sqlx::query_as!(
        OpenAttempt,
        r#"SELECT a.id AS "attempt_id!", a.invoice_id, a.payment_hash, a.bolt11, a.expires_at, a.state
           FROM invoices i JOIN payment_attempts a ON a.id = i.attempt_id
           WHERE i.status = 'open' AND a.state = 'open' AND coalesce(i.check_next_at, 0) <= ?
           LIMIT 500"#,
        now
    )
    .fetch_all(&state.db)
    .await?;
    let n = due.len();
    use futures::StreamExt;
    futures::stream::iter(due)
        .for_each_concurrent(16, |a| async move {
            let outcome = check_attempt(state, wallet, &a, "system").await;
            if let Err(e) = &outcome {
                tracing::warn!(invoice = %a.invoice_id, error = format!("{e:#}"), "payment check failed");
            }
            if !matches!(outcome, Ok(Some(TransactionState::Settled))) {
                let _ = sqlx::query!(
                    "UPDATE invoices SET check_attempts = check_attempts + 1,
                            check_next_at = ? + min(10 * (1 << min(check_attempts, 9)), 3600)
                     WHERE id = ? AND status = 'open'",
                    now,
                    a.invoice_id
                )
                .execute(&state.db)
                .await;
            }
        })
        .await;
    Ok(n)
}

/// Listens for the operator wallet's payment notifications until it disconnects.
pub async fn listen(state: AppState, wallet: WalletClient) {
    let mut payments = wallet.payments();
    loop {
        match payments.recv().await {
            Ok(p) => {
                let incoming =
                    p.transaction_type != Some(nostr_sdk::nips::nip47::TransactionType::Outgoing);
                if incoming
                    && let Err(e) = settle_by_hash(
                        &state,
                        &p.payment_hash,
                        Some(&p.preimage),
                        "system",
                        "notification",
                    )
                    .await
                {
                    tracing::warn!(error = format!("{e:#}"), "handling a payment notification");
                }
            }
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
            Err(_) => break,
        }
    }
}
