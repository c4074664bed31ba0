//! Getting a BOLT11 for each open invoice from the operator's wallet (`make_invoice`),
//! checked before it is stored, and a fresh one when it expires unpaid. Every BOLT11 is
//! kept as a payment attempt. The first one is sent by DM unless the tenant's own wallet
//! pays automatically. Requests run concurrently, with a lease per invoice.

use futures::StreamExt;
use nostr_sdk::nips::nip47::TransactionState;

use super::{Billing, collect};
use crate::db::{self, invoices::NeedsBolt11, payment_attempts::NewAttempt};
use crate::jobs::{Backoff, Lease};
use crate::lifecycle;
use crate::wallet::{WalletClient, WalletError, bolt11};

const LEASE: Lease = Lease::secs(300);
/// After a failure: a minute, doubling up to an hour.
const RETRY: Backoff = Backoff::secs(60, 3600);
const CONCURRENCY: usize = 64;

/// Why one invoice got no BOLT11 this time.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("make_invoice: {0}")]
    Wallet(#[from] WalletError),
    #[error("checking the wallet's BOLT11: {0}")]
    BadBolt11(#[from] bolt11::Bolt11Error),
    #[error(transparent)]
    Lifecycle(#[from] lifecycle::Error),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// What a round of issuing did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Issued {
    pub issued: usize,
    /// Some request found the operator's wallet unreachable.
    pub unreachable: bool,
}

/// Issues BOLT11s for every invoice that needs one.
pub async fn issue_due(billing: &Billing, wallet: &WalletClient) -> anyhow::Result<Issued> {
    let mut done = Issued::default();
    loop {
        let now = billing.clock.now();
        let due = db::invoices::claim_needing_bolt11(&billing.db, now, LEASE.until(now)).await?;
        if due.is_empty() {
            break;
        }
        let results: Vec<Result<bool, IssueError>> = futures::stream::iter(due)
            .map(|d| async move {
                let outcome = issue_one(billing, wallet, &d).await;
                if let Err(e) = &outcome {
                    record_failure(billing, &d, e).await?;
                }
                outcome
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        for r in results {
            match r {
                Ok(true) => done.issued += 1,
                Ok(false) => {}
                Err(IssueError::Wallet(w)) if w.is_unreachable() => done.unreachable = true,
                Err(IssueError::Db(e)) => return Err(e.into()),
                Err(_) => {}
            }
        }
        if done.unreachable {
            break;
        }
    }
    Ok(done)
}

/// Records the failed attempt and its error on the invoice, and when to try again.
async fn record_failure(
    billing: &Billing,
    d: &NeedsBolt11,
    e: &IssueError,
) -> Result<(), IssueError> {
    let error = e.to_string();
    tracing::warn!(invoice = %d.id, error = %error, "could not issue a BOLT11");
    let next = RETRY.next_at(billing.clock.now(), d.issue_attempts);
    db::invoices::record_issue_failure(&billing.db, &d.id, &error, next).await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(invoice = %d.id))]
async fn issue_one(
    billing: &Billing,
    wallet: &WalletClient,
    d: &NeedsBolt11,
) -> Result<bool, IssueError> {
    // A BOLT11 about to be replaced may have been paid at the last moment: look first.
    if let Some(previous) = d.attempt_id {
        let attempts = db::payment_attempts::of_invoice(&billing.db, &d.id).await?;
        if let Some(a) = attempts.iter().find(|a| a.attempt_id == previous)
            && collect::check_attempt(billing, wallet, a, "system").await?
                == Some(TransactionState::Settled)
        {
            return Ok(false);
        }
    }
    let s = &billing.settings;
    let day = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    let description = format!(
        "{} relay hosting, {} to {}",
        s.robot.name,
        day(d.period_start),
        day(d.period_end)
    );
    let amount = u64::try_from(d.amount_msat).map_err(|_| anyhow::anyhow!("negative amount"))?;
    let made = wallet
        .make_invoice(amount, &description, u64::from(s.invoice_expiry_secs))
        .await?;
    let checked = bolt11::check(
        &made.invoice,
        amount,
        &s.lightning_network,
        made.payment_hash.as_deref(),
    )?;
    let now = billing.clock.now();
    let mut tx = db::begin_write(&billing.db).await?;
    let attempt = NewAttempt {
        invoice_id: &d.id,
        bolt11: &checked.bolt11,
        payment_hash: &checked.payment_hash,
        amount_msat: d.amount_msat,
        expires_at: checked.expires_at,
    };
    let kept = lifecycle::invoice::attach_bolt11(
        &mut tx,
        &billing.life,
        &d.id,
        d.attempt_id,
        &attempt,
        now,
    )
    .await?;
    if !kept {
        // Paid or voided meanwhile: keep nothing.
        tx.rollback().await?;
        return Ok(false);
    }
    tx.commit().await?;
    billing.outbox_wake.notify_one();
    Ok(true)
}
