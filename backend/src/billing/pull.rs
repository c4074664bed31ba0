//! Recurring billing: paying an invoice from the tenant's own wallet (`pay_invoice`).
//! Order per invoice: ask the operator's wallet whether it was paid already; record the
//! pull durably; then ask the tenant's wallet to pay. On a timeout or an ambiguous answer
//! the operator's wallet is asked again instead of paying twice. A failed pull is retried
//! at most daily; the tenant is told why, and the manual path stays open.

use std::time::Duration;

use nostr_sdk::nips::nip47::{NostrWalletConnectURI, TransactionState};
use serde_json::json;

use super::store::OpenAttempt;
use super::{DAY, collect, notices};
use crate::db;
use crate::robot::outbox;
use crate::state::AppState;
use crate::vault::tenant_nwc_context;
use crate::wallet::{WalletClient, WalletError, bolt11};

struct Due {
    invoice_id: String,
    tenant: String,
    enc: Vec<u8>,
    attempt: OpenAttempt,
}

/// Pulls every invoice whose tenant pays automatically and whose pull is due.
pub async fn pull_due(state: &AppState, operator: &WalletClient) -> anyhow::Result<usize> {
    let now = state.billing.clock.now();
    let rows = sqlx::query!(
        r#"SELECT i.id, i.tenant, t.nwc_url_enc AS "enc!", a.id AS "attempt_id!", a.payment_hash, a.bolt11, a.expires_at, a.state
           FROM invoices i JOIN tenants t ON t.pubkey = i.tenant JOIN payment_attempts a ON a.id = i.attempt_id
           WHERE i.status = 'open' AND t.nwc_url_enc IS NOT NULL AND a.state = 'open' AND a.expires_at > ?1 + 60
             AND i.pull_next_at IS NOT NULL AND i.pull_next_at <= ?1
           LIMIT 200"#,
        now
    )
    .fetch_all(&state.db)
    .await?;
    let mut n = 0;
    for r in rows {
        let due = Due {
            invoice_id: r.id.clone(),
            tenant: r.tenant,
            enc: r.enc,
            attempt: OpenAttempt {
                attempt_id: r.attempt_id,
                invoice_id: r.id,
                payment_hash: r.payment_hash,
                bolt11: r.bolt11,
                expires_at: r.expires_at,
                state: r.state,
            },
        };
        if let Err(e) = pull_one(state, operator, &due).await {
            tracing::warn!(invoice = %due.invoice_id, error = format!("{e:#}"), "recurring payment step failed");
        }
        n += 1;
    }
    Ok(n)
}

async fn pull_one(state: &AppState, operator: &WalletClient, d: &Due) -> anyhow::Result<()> {
    // Paid out of band (or by an earlier pull whose answer was lost)?
    if collect::check_attempt(state, operator, &d.attempt, "system").await?
        == Some(TransactionState::Settled)
    {
        return Ok(());
    }
    let now = state.billing.clock.now();
    let mut tx = db::begin_write(&state.db).await?;
    // An earlier pull of this BOLT11 that never finished (crash, timeout) and did not pay.
    sqlx::query!(
        "UPDATE wallet_pulls SET state = 'failed', error = coalesce(error, 'no answer; the invoice was not paid'), finished_at = ?
         WHERE attempt_id = ? AND state = 'sent'",
        now,
        d.attempt.attempt_id
    )
    .execute(&mut *tx)
    .await?;
    let pull = sqlx::query!(
        "INSERT INTO wallet_pulls (invoice_id, attempt_id, created_at) VALUES (?, ?, ?)",
        d.invoice_id,
        d.attempt.attempt_id,
        now
    )
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    let next = now + DAY;
    sqlx::query!(
        "UPDATE invoices SET pull_next_at = ? WHERE id = ?",
        next,
        d.invoice_id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;

    let outcome = pay(state, d).await;
    let result = match outcome {
        Ok(preimage) if bolt11::preimage_matches(&preimage, &d.attempt.payment_hash) => {
            Ok(Some(preimage))
        }
        Ok(_) => Err("the wallet reported a payment with a wrong preimage".to_string()),
        Err(e) if e.is_ambiguous() => {
            // It may have paid: the operator's wallet knows.
            match collect::check_attempt(state, operator, &d.attempt, "system").await {
                Ok(Some(TransactionState::Settled)) => Ok(None),
                _ => Err(e.to_string()),
            }
        }
        Err(e) => Err(e.to_string()),
    };
    let now = state.billing.clock.now();
    let mut tx = db::begin_write(&state.db).await?;
    match result {
        Ok(preimage) => {
            sqlx::query!(
                "UPDATE wallet_pulls SET state = 'paid', finished_at = ? WHERE id = ?",
                now,
                pull
            )
            .execute(&mut *tx)
            .await?;
            let details = json!({ "payment_hash": d.attempt.payment_hash, "via": "recurring" });
            collect::mark_paid(
                state,
                &mut tx,
                &d.invoice_id,
                Some((d.attempt.attempt_id, preimage.as_deref())),
                "system",
                details,
            )
            .await?;
        }
        Err(why) => {
            sqlx::query!(
                "UPDATE wallet_pulls SET state = 'failed', error = ?, finished_at = ? WHERE id = ?",
                why,
                now,
                pull
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                "UPDATE tenants SET nwc_error = ? WHERE pubkey = ?",
                why,
                d.tenant
            )
            .execute(&mut *tx)
            .await?;
            if let Some(invoice) = db::invoices::get(&mut *tx, &d.invoice_id).await? {
                let body =
                    notices::pull_failed(&state.public_base, &invoice, &why, &d.attempt.bolt11);
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
    state.billing.nudge();
    Ok(())
}

/// Opens the tenant's sealed wallet URL and asks it to pay; returns the preimage.
async fn pay(state: &AppState, d: &Due) -> Result<String, WalletError> {
    let plain = state
        .vault
        .open_sealed(&tenant_nwc_context(&d.tenant), &d.enc)
        .map_err(|_| WalletError::Protocol("the saved wallet URL cannot be read".into()))?;
    let text =
        String::from_utf8(plain).map_err(|_| WalletError::Protocol("bad wallet URL".into()))?;
    let uri = NostrWalletConnectURI::parse(&text)
        .map_err(|_| WalletError::Protocol("bad wallet URL".into()))?;
    let timeout = Duration::from_secs(u64::from(state.settings.nwc_timeout_secs));
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
