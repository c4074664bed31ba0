//! Getting a BOLT11 for each open invoice from the operator's wallet (`make_invoice`),
//! checked before it is stored, and a fresh one when it expires unpaid. Every BOLT11 is
//! kept as a payment attempt. The first one is sent by DM unless the tenant's own wallet
//! pays automatically. Requests run concurrently, with a lease per invoice; the BOLT11s
//! they bring back are stored by one writer, as many per transaction as are waiting.

use nostr_sdk::nips::nip47::TransactionState;
use tokio::sync::{mpsc, oneshot};

use super::{Billing, collect};
use crate::db::{self, invoices::NeedsBolt11, payment_attempts::NewAttempt};
use crate::jobs::{self, Backoff, Done, Lease, Policy, Queue};
use crate::lifecycle::{self, invoice::NewBolt11};
use crate::wallet::{WalletClient, WalletError, bolt11};

const LEASE: Lease = Lease::secs(300);
/// After a failure: a minute, doubling up to an hour.
const RETRY: Backoff = Backoff::secs(60, 3600);
const CONCURRENCY: usize = 128;
/// The most BOLT11s stored in one write transaction.
const STORE_BATCH: usize = 256;

/// Why one invoice got no BOLT11 this time.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("make_invoice: {0}")]
    Wallet(#[from] WalletError),
    #[error("checking the wallet's BOLT11: {0}")]
    BadBolt11(#[from] bolt11::Bolt11Error),
    #[error("checking the BOLT11 it replaces: {0}")]
    Check(#[from] collect::CheckError),
    #[error(transparent)]
    Lifecycle(#[from] lifecycle::Error),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("storing the BOLT11: {0}")]
    Store(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Issues BOLT11s for every invoice that needs one. `halted`: the operator's wallet could
/// not be reached, so the rest wait for the next pass.
pub async fn issue_due(billing: &Billing, wallet: &WalletClient) -> sqlx::Result<jobs::Drained> {
    let (store, arrivals) = mpsc::channel(CONCURRENCY);
    let writer = tokio::spawn(store_arrivals(billing.clone(), arrivals));
    let drained = jobs::drain(&Issuing {
        billing,
        wallet,
        store,
    })
    .await;
    // The queue (and its sender) is gone: the writer stores what is left and ends.
    if let Err(e) = writer.await {
        tracing::warn!(error = %e, "the BOLT11 writer ended abnormally");
    }
    drained
}

/// Gives back the invoices this process leased (shutdown).
pub async fn release(billing: &Billing) -> sqlx::Result<u64> {
    db::invoices::release_leases(&billing.db).await
}

/// Open invoices without a BOLT11 (or whose BOLT11 is about to expire), as a job queue.
struct Issuing<'a> {
    billing: &'a Billing,
    wallet: &'a WalletClient,
    store: mpsc::Sender<ToStore>,
}

/// A checked BOLT11 on its way to the writer, and the issuer waiting to hear whether it
/// was kept.
struct ToStore {
    invoice: String,
    previous: Option<i64>,
    amount_msat: i64,
    checked: bolt11::Checked,
    kept: oneshot::Sender<Result<bool, String>>,
}

impl Queue for Issuing<'_> {
    type Job = NeedsBolt11;
    type Error = IssueError;
    const NAME: &'static str = "bolt11";

    fn policy(&self) -> Policy {
        Policy {
            lease: LEASE,
            backoff: RETRY,
            batch: 512,
            concurrency: CONCURRENCY,
        }
    }

    fn now(&self) -> i64 {
        self.billing.clock.now()
    }

    async fn claim(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> sqlx::Result<Vec<NeedsBolt11>> {
        db::invoices::claim_needing_bolt11(&self.billing.db, now, lease_until, limit).await
    }

    fn key(d: &NeedsBolt11) -> String {
        d.id.clone()
    }

    fn attempts(d: &NeedsBolt11) -> i64 {
        d.issue_attempts
    }

    async fn run(&self, d: &NeedsBolt11) -> Result<Done, IssueError> {
        issue_one(self.billing, self.wallet, &self.store, d).await?;
        Ok(Done::Finished)
    }

    /// Records the failed attempt and its error on the invoice, and gives back the lease.
    async fn retry_at(
        &self,
        d: &NeedsBolt11,
        error: Option<&IssueError>,
        next_at: i64,
    ) -> sqlx::Result<()> {
        let error = error.map_or_else(String::new, ToString::to_string);
        db::invoices::record_issue_failure(&self.billing.db, &d.id, &error, next_at).await
    }

    async fn release_all(&self) -> sqlx::Result<u64> {
        release(self.billing).await
    }

    /// Every invoice needs the same wallet.
    fn halts(e: &IssueError) -> bool {
        matches!(e, IssueError::Wallet(w) if w.is_unreachable())
    }
}

/// Gets and stores one BOLT11; `false` when the invoice no longer needs it (paid meanwhile).
async fn issue_one(
    billing: &Billing,
    wallet: &WalletClient,
    store: &mpsc::Sender<ToStore>,
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
    let (kept, outcome) = oneshot::channel();
    let sent = store.send(ToStore {
        invoice: d.id.clone(),
        previous: d.attempt_id,
        amount_msat: d.amount_msat,
        checked,
        kept,
    });
    let gone = || IssueError::Store("the writer stopped".into());
    sent.await.map_err(|_| gone())?;
    outcome
        .await
        .map_err(|_| gone())?
        .map_err(IssueError::Store)
}

/// The writer: stores the BOLT11s that arrive, every one waiting when a transaction
/// begins in that transaction (up to [`STORE_BATCH`]), so the issuers neither queue for
/// SQLite's write lock one by one nor pay a commit each. When a batch's transaction fails,
/// each of its BOLT11s is tried alone, so one bad BOLT11 (a payment hash seen before, say)
/// fails only its own invoice, which records the failure and is retried later.
async fn store_arrivals(billing: Billing, mut arrivals: mpsc::Receiver<ToStore>) {
    let mut batch = Vec::with_capacity(STORE_BATCH);
    while arrivals.recv_many(&mut batch, STORE_BATCH).await > 0 {
        let outcomes = match store_batch(&billing, &batch).await {
            Ok(kept) => kept.into_iter().map(Ok).collect(),
            Err(e) if batch.len() == 1 => vec![Err(e.to_string())],
            Err(_) => {
                let mut outcomes = Vec::with_capacity(batch.len());
                for one in batch.chunks(1) {
                    outcomes.push(match store_batch(&billing, one).await {
                        Ok(kept) => Ok(kept[0]),
                        Err(e) => Err(e.to_string()),
                    });
                }
                outcomes
            }
        };
        if outcomes.iter().any(|o| matches!(o, Ok(true))) {
            billing.outbox_wake.notify_one();
        }
        for (one, outcome) in batch.drain(..).zip(outcomes) {
            let _ = one.kept.send(outcome);
        }
    }
}

/// One write transaction for a batch; whether each BOLT11 was kept (`false`: its invoice
/// was paid or voided meanwhile, and nothing of it is written).
async fn store_batch(billing: &Billing, batch: &[ToStore]) -> Result<Vec<bool>, IssueError> {
    let new: Vec<NewBolt11<'_>> = batch
        .iter()
        .map(|one| NewBolt11 {
            attempt: NewAttempt {
                invoice_id: &one.invoice,
                bolt11: &one.checked.bolt11,
                payment_hash: &one.checked.payment_hash,
                amount_msat: one.amount_msat,
                expires_at: one.checked.expires_at,
            },
            previous: one.previous,
        })
        .collect();
    let now = billing.clock.now();
    let mut tx = db::begin_write(&billing.db).await?;
    let kept = lifecycle::invoice::attach_bolt11s(&mut tx, &billing.life, &new, now).await?;
    tx.commit().await?;
    Ok(kept)
}
