//! Detecting payment: the operator wallet's `payment_received` notifications, polling
//! `lookup_invoice` with backoff, and the dashboard's "I've paid" check. Every path ends in
//! [`lifecycle::invoice::settle`], which settles an invoice exactly once, brings back exactly
//! the relays suspended for non-payment, and queues the receipt.

use nostr_sdk::nips::nip47::TransactionState;
use serde_json::json;

use super::Billing;
use crate::db::{self, invoices::DueCheck, payment_attempts::Attempt};
use crate::jobs::{self, Backoff, Done, Lease, Policy, Queue};
use crate::lifecycle;
use crate::telemetry::metrics;
use crate::wallet::{WalletClient, WalletError, bolt11};

/// Between checks of an unpaid BOLT11: 10 s, doubling up to an hour.
const RECHECK: Backoff = Backoff::secs(10, 3600);

/// Why a payment check came to nothing.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The operator's wallet did not answer `lookup_invoice`.
    #[error("lookup_invoice: {0}")]
    Wallet(#[from] WalletError),
    /// It was paid, and settling the invoice failed (it is settled on the next check).
    #[error("settling the paid invoice: {0:#}")]
    Settle(#[from] anyhow::Error),
}

/// Asks the operator's wallet about one BOLT11; settles the invoice if it was paid.
/// Returns the wallet's state for it (`None`: the wallet does not know it).
pub async fn check_attempt(
    billing: &Billing,
    wallet: &WalletClient,
    a: &Attempt,
    actor: &str,
) -> Result<Option<TransactionState>, CheckError> {
    let found = match wallet.lookup_invoice(&a.payment_hash).await {
        Ok(f) => f,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e.into()),
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
pub async fn poll_due(billing: &Billing, wallet: &WalletClient) -> sqlx::Result<jobs::Drained> {
    jobs::drain(&Checks { billing, wallet }).await
}

/// Open BOLT11s whose payment check is due, as a job queue. Checks run inside the one
/// billing pass and only read the wallet (settling is idempotent), so they take no lease.
struct Checks<'a> {
    billing: &'a Billing,
    wallet: &'a WalletClient,
}

impl Queue for Checks<'_> {
    type Job = DueCheck;
    type Error = CheckError;
    const NAME: &'static str = "payment-checks";

    fn policy(&self) -> Policy {
        Policy {
            lease: Lease::secs(0),
            backoff: RECHECK,
            batch: 500,
            concurrency: 16,
        }
    }

    fn now(&self) -> i64 {
        self.billing.clock.now()
    }

    async fn claim(&self, now: i64, _lease_until: i64, limit: i64) -> sqlx::Result<Vec<DueCheck>> {
        db::invoices::due_checks(&self.billing.db, now, limit).await
    }

    fn key(due: &DueCheck) -> String {
        due.attempt.invoice_id.clone()
    }

    fn attempts(due: &DueCheck) -> i64 {
        due.check_attempts
    }

    async fn run(&self, due: &DueCheck) -> Result<Done, CheckError> {
        match check_attempt(self.billing, self.wallet, &due.attempt, "system").await? {
            Some(TransactionState::Settled) => Ok(Done::Finished),
            _ => Ok(Done::Later),
        }
    }

    async fn retry_at(
        &self,
        due: &DueCheck,
        _error: Option<&CheckError>,
        next_at: i64,
    ) -> sqlx::Result<()> {
        db::invoices::record_check(&self.billing.db, &due.attempt.invoice_id, next_at).await
    }

    async fn release_all(&self) -> sqlx::Result<u64> {
        Ok(0)
    }
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
