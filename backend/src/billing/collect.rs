//! Detecting payment: the operator wallet's `payment_received` notifications, polling
//! `lookup_invoice` with backoff, and the dashboard's "I've paid" check. Every path ends in
//! [`lifecycle::invoice::settle`], which settles an invoice exactly once, brings back exactly
//! the relays suspended for non-payment, and queues the receipt.

use anyhow::Context;
use futures::StreamExt;
use nostr_sdk::nips::nip47::TransactionState;
use serde_json::json;

use super::Billing;
use crate::db::{self, payment_attempts::Attempt};
use crate::jobs::Backoff;
use crate::lifecycle;
use crate::telemetry::metrics;
use crate::wallet::{WalletClient, bolt11};

/// Between checks of an unpaid BOLT11: 10 s, doubling up to an hour.
const RECHECK: Backoff = Backoff::secs(10, 3600);

/// Asks the operator's wallet about one BOLT11; settles the invoice if it was paid.
/// Returns the wallet's state for it (`None`: the wallet does not know it).
pub async fn check_attempt(
    billing: &Billing,
    wallet: &WalletClient,
    a: &Attempt,
    actor: &str,
) -> anyhow::Result<Option<TransactionState>> {
    let found = match wallet.lookup_invoice(&a.payment_hash).await {
        Ok(f) => f,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e).context("lookup_invoice"),
    };
    let settled = found.state == Some(TransactionState::Settled)
        || (found.state.is_none() && found.settled_at.is_some());
    if settled {
        settle_by_hash(
            billing,
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
    billing: &Billing,
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
    let Some(a) = db::payment_attempts::by_hash(&billing.db, payment_hash).await? else {
        return Ok(false);
    };
    let mut tx = db::begin_write(&billing.db).await?;
    let paid = lifecycle::invoice::settle(
        &mut tx,
        &billing.life,
        &a.invoice_id,
        Some((a.attempt_id, preimage)),
        actor,
        json!({ "payment_hash": payment_hash, "via": via }),
    )
    .await?;
    tx.commit().await?;
    if paid {
        metrics::billing_payment(via);
        tracing::info!(invoice = %a.invoice_id, via, "invoice paid");
        billing.nudge();
    }
    Ok(paid)
}

/// Polls open BOLT11s whose check is due, backing off from 10 s to an hour.
pub async fn poll_due(billing: &Billing, wallet: &WalletClient) -> anyhow::Result<usize> {
    let now = billing.clock.now();
    let due = db::invoices::due_checks(&billing.db, now).await?;
    let n = due.len();
    let recorded: Vec<anyhow::Result<()>> = futures::stream::iter(due)
        .map(|due| async move {
            let a = &due.attempt;
            let outcome = check_attempt(billing, wallet, a, "system").await;
            if let Err(e) = &outcome {
                tracing::warn!(invoice = %a.invoice_id, error = format!("{e:#}"), "payment check failed");
            }
            if matches!(outcome, Ok(Some(TransactionState::Settled))) {
                return Ok(());
            }
            let next = RECHECK.next_at(now, due.check_attempts);
            db::invoices::record_check(&billing.db, &a.invoice_id, next)
                .await
                .context("recording a payment check")
        })
        .buffer_unordered(16)
        .collect()
        .await;
    recorded.into_iter().collect::<anyhow::Result<Vec<()>>>()?;
    Ok(n)
}

/// Listens for the operator wallet's payment notifications until it disconnects.
pub async fn listen(billing: Billing, wallet: WalletClient) {
    let mut payments = wallet.payments();
    loop {
        match payments.recv().await {
            Ok(p) => {
                let incoming =
                    p.transaction_type != Some(nostr_sdk::nips::nip47::TransactionType::Outgoing);
                if incoming
                    && let Err(e) = settle_by_hash(
                        &billing,
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
