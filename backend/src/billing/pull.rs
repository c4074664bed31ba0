//! Recurring billing: paying an invoice from the tenant's own wallet (`pay_invoice`).
//! Order per invoice: ask the operator's wallet whether it was paid already; record the
//! pull durably; then ask the tenant's wallet to pay. On a timeout or an ambiguous answer
//! the operator's wallet is asked again instead of paying twice. A failed pull is retried
//! at most daily; the tenant is told why, and the manual path stays open.

use std::time::Duration;

use nostr_sdk::nips::nip47::{NostrWalletConnectURI, TransactionState};
use serde_json::json;

use super::{Billing, DAY, collect, notices};
use crate::db::{self, invoices::DuePull, outbox, payment_attempts::Attempt};
use crate::jobs::{self, Backoff, Done, Lease, Policy, Queue};
use crate::lifecycle;
use crate::telemetry::metrics;
use crate::vault::tenant_nwc_context;
use crate::wallet::{WalletClient, WalletError, bolt11};

/// Why a recurring payment step stopped before its outcome was recorded. (A payment the
/// tenant's wallet refused is an outcome: recorded, told to the tenant, retried in a day.)
#[derive(Debug, thiserror::Error)]
pub enum PullError {
    #[error("asking the operator's wallet first: {0}")]
    Check(#[from] collect::CheckError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Lifecycle(#[from] lifecycle::Error),
}

struct Due {
    invoice_id: String,
    tenant: String,
    enc: Vec<u8>,
    attempt: Attempt,
}

impl From<DuePull> for Due {
    fn from(r: DuePull) -> Self {
        Self {
            invoice_id: r.id.clone(),
            tenant: r.tenant,
            enc: r.enc,
            attempt: Attempt {
                attempt_id: r.attempt_id,
                invoice_id: r.id,
                payment_hash: r.payment_hash,
                bolt11: r.bolt11,
                expires_at: r.expires_at,
                state: r.state,
            },
        }
    }
}

/// Pulls every invoice whose tenant pays automatically and whose pull is due.
pub async fn pull_due(billing: &Billing, operator: &WalletClient) -> sqlx::Result<jobs::Drained> {
    jobs::drain(&Pulls { billing, operator }).await
}

/// Invoices to pull from their tenant's wallet, as a job queue, one at a time. A pull's
/// lease is durable: its `wallet_pulls` row and the next pull a day later are committed
/// before the tenant's wallet is asked, so no claim can pay twice.
struct Pulls<'a> {
    billing: &'a Billing,
    operator: &'a WalletClient,
}

impl Queue for Pulls<'_> {
    type Job = Due;
    type Error = PullError;
    const NAME: &'static str = "pulls";

    fn policy(&self) -> Policy {
        Policy {
            lease: Lease::secs(DAY as u64),
            // A step that failed before its outcome was recorded: try again within minutes.
            backoff: Backoff::secs(60, 3600),
            batch: 200,
            concurrency: 1,
        }
    }

    fn now(&self) -> i64 {
        self.billing.clock.now()
    }

    async fn claim(&self, now: i64, _lease_until: i64, limit: i64) -> sqlx::Result<Vec<Due>> {
        let rows = db::invoices::due_pulls(&self.billing.db, now, limit).await?;
        Ok(rows.into_iter().map(Due::from).collect())
    }

    fn key(d: &Due) -> String {
        d.invoice_id.clone()
    }

    fn attempts(_: &Due) -> i64 {
        0
    }

    async fn run(&self, d: &Due) -> Result<Done, PullError> {
        pull_one(self.billing, self.operator, d).await?;
        Ok(Done::Finished)
    }

    async fn retry_at(&self, d: &Due, _: Option<&PullError>, next_at: i64) -> sqlx::Result<()> {
        db::invoices::postpone_pull(&self.billing.db, &d.invoice_id, next_at).await
    }

    async fn release_all(&self) -> sqlx::Result<u64> {
        Ok(0)
    }
}

async fn pull_one(billing: &Billing, operator: &WalletClient, d: &Due) -> Result<(), PullError> {
    // Paid out of band (or by an earlier pull whose answer was lost)?
    if collect::check_attempt(billing, operator, &d.attempt, "system").await?
        == Some(TransactionState::Settled)
    {
        return Ok(());
    }
    let now = billing.clock.now();
    let mut tx = db::begin_write(&billing.db).await?;
    // An earlier pull of this BOLT11 that never finished (crash, timeout) and did not pay.
    db::wallet_pulls::fail_unfinished(&mut *tx, d.attempt.attempt_id, now).await?;
    let pull = db::wallet_pulls::insert(&mut *tx, &d.invoice_id, d.attempt.attempt_id, now).await?;
    db::invoices::set_pull_next(&mut *tx, &d.invoice_id, now + DAY).await?;
    tx.commit().await?;

    let outcome = pay(billing, d).await;
    let result = match outcome {
        Ok(preimage) if bolt11::preimage_matches(&preimage, &d.attempt.payment_hash) => {
            Ok(Some(preimage))
        }
        Ok(_) => Err("the wallet reported a payment with a wrong preimage".to_string()),
        Err(e) if e.is_ambiguous() => {
            // It may have paid: the operator's wallet knows.
            match collect::check_attempt(billing, operator, &d.attempt, "system").await {
                Ok(Some(TransactionState::Settled)) => Ok(None),
                _ => Err(e.to_string()),
            }
        }
        Err(e) => Err(e.to_string()),
    };
    let now = billing.clock.now();
    let mut tx = db::begin_write(&billing.db).await?;
    let paid = result.is_ok();
    let mut settled = false;
    match result {
        Ok(preimage) => {
            db::wallet_pulls::mark_paid(&mut *tx, pull, now).await?;
            let details = json!({ "payment_hash": d.attempt.payment_hash, "via": "recurring" });
            settled = lifecycle::invoice::settle(
                &mut tx,
                &billing.life,
                &d.invoice_id,
                Some((d.attempt.attempt_id, preimage.as_deref())),
                "system",
                details,
            )
            .await?;
        }
        Err(why) => {
            db::wallet_pulls::mark_failed(&mut *tx, pull, &why, now).await?;
            db::tenants::set_wallet_error(&mut *tx, &d.tenant, Some(&why)).await?;
            if let Some(invoice) = db::invoices::get(&mut *tx, &d.invoice_id).await? {
                let body = notices::pull_failed(
                    &billing.life.public_base,
                    &invoice,
                    &why,
                    &d.attempt.bolt11,
                );
                outbox::enqueue(
                    &mut *tx,
                    &d.tenant,
                    "pull-failed",
                    &format!("pull-failed:{pull}"),
                    &body,
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    metrics::billing_pull(paid);
    if settled {
        metrics::billing_payment("recurring");
    }
    billing.nudge();
    Ok(())
}

/// Opens the tenant's sealed wallet URL and asks it to pay; returns the preimage.
async fn pay(billing: &Billing, d: &Due) -> Result<String, WalletError> {
    let plain = billing
        .vault
        .open_sealed(&tenant_nwc_context(&d.tenant), &d.enc)
        .map_err(|_| WalletError::Protocol("the saved wallet URL cannot be read".into()))?;
    let text =
        String::from_utf8(plain).map_err(|_| WalletError::Protocol("bad wallet URL".into()))?;
    let uri = NostrWalletConnectURI::parse(&text)
        .map_err(|_| WalletError::Protocol("bad wallet URL".into()))?;
    let timeout = Duration::from_secs(u64::from(billing.settings.nwc_timeout_secs));
    let wallet = WalletClient::connect(&uri, timeout).await?;
    let paid = wallet.pay_invoice(&d.attempt.bolt11).await;
    wallet.shutdown().await;
    paid.map(|r| r.preimage)
}

/// Checks a tenant's wallet URL by asking it for `get_info` (or `get_balance`).
pub async fn validate(uri: &NostrWalletConnectURI, timeout: Duration) -> Result<(), WalletError> {
    let wallet = WalletClient::connect(uri, timeout).await?;
    let info = wallet.get_info().await;
    let result = match info {
        Ok(_) => Ok(()),
        Err(WalletError::Refused { .. }) => wallet.get_balance().await.map(|_| ()),
        Err(e) => Err(e),
    };
    wallet.shutdown().await;
    result
}
