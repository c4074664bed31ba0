//! Getting a BOLT11 for each open invoice from the operator's wallet (`make_invoice`),
//! checked before it is stored, and a fresh one when it expires unpaid. Every BOLT11 is
//! kept as a payment attempt. The first one is sent by DM unless the tenant's own wallet
//! pays automatically. Requests run concurrently, with a lease per invoice.

use anyhow::Context;
use futures::StreamExt;
use nostr_sdk::nips::nip47::TransactionState;

use super::{collect, notices, store};
use crate::db;
use crate::robot::outbox;
use crate::state::AppState;
use crate::wallet::{WalletClient, bolt11};

const LEASE_SECS: i64 = 300;
const CONCURRENCY: usize = 64;

struct Due {
    id: String,
    amount_msat: i64,
    period_start: i64,
    period_end: i64,
    attempt_id: Option<i64>,
}

/// Issues BOLT11s for every invoice that needs one; returns how many were issued.
pub async fn issue_due(state: &AppState, wallet: &WalletClient) -> anyhow::Result<usize> {
    let mut issued = 0;
    loop {
        let now = state.billing.clock.now();
        let lease = now + LEASE_SECS;
        let due = sqlx::query_as!(
            Due,
            r#"UPDATE invoices SET lease_until = ?1
               WHERE id IN (SELECT id FROM invoices
                            WHERE status = 'open' AND amount_msat > 0
                              AND (bolt11 IS NULL OR expires_at <= ?2 + 60)
                              AND coalesce(issue_next_at, 0) <= ?2 AND coalesce(lease_until, 0) < ?2
                            ORDER BY created_at LIMIT 512)
               RETURNING id AS "id!", amount_msat, period_start, period_end, attempt_id"#,
            lease,
            now
        )
        .fetch_all(&state.db)
        .await
        .context("claiming invoices that need a BOLT11")?;
        if due.is_empty() {
            break;
        }
        let results: Vec<bool> = futures::stream::iter(due)
            .map(|d| async move {
                match issue_one(state, wallet, &d).await {
                    Ok(done) => done,
                    Err(e) => {
                        let error = format!("{e:#}");
                        tracing::warn!(invoice = %d.id, error = %error, "could not issue a BOLT11");
                        let next = state.billing.clock.now() + 60;
                        let _ = sqlx::query!(
                            "UPDATE invoices SET issue_attempts = issue_attempts + 1, issue_error = ?,
                                    issue_next_at = ? + min(30 * (1 << min(issue_attempts, 7)), 3600), lease_until = NULL
                             WHERE id = ?",
                            error,
                            next,
                            d.id
                        )
                        .execute(&state.db)
                        .await;
                        false
                    }
                }
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        issued += results.iter().filter(|x| **x).count();
    }
    Ok(issued)
}

async fn issue_one(state: &AppState, wallet: &WalletClient, d: &Due) -> anyhow::Result<bool> {
    // A BOLT11 about to be replaced may have been paid at the last moment: look first.
    if let Some(previous) = d.attempt_id {
        let attempts = store::attempts_of(&state.db, &d.id).await?;
        if let Some(a) = attempts.iter().find(|a| a.attempt_id == previous)
            && collect::check_attempt(state, wallet, a, "system").await?
                == Some(TransactionState::Settled)
        {
            return Ok(false);
        }
    }
    let s = &state.settings;
    let description = format!(
        "{} relay hosting, {} to {}",
        state.settings.robot.name,
        chrono::DateTime::from_timestamp(d.period_start, 0)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        chrono::DateTime::from_timestamp(d.period_end, 0)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    );
    let amount = u64::try_from(d.amount_msat).context("negative amount")?;
    let made = wallet
        .make_invoice(amount, &description, u64::from(s.invoice_expiry_secs))
        .await
        .context("make_invoice")?;
    let checked = bolt11::check(
        &made.invoice,
        amount,
        &s.lightning_network,
        made.payment_hash.as_deref(),
    )
    .context("checking the wallet's BOLT11")?;
    let now = state.billing.clock.now();
    let mut tx = db::begin_write(&state.db).await?;
    if let Some(previous) = d.attempt_id {
        sqlx::query!(
            "UPDATE payment_attempts SET state = 'expired' WHERE id = ? AND state = 'open'",
            previous
        )
        .execute(&mut *tx)
        .await?;
    }
    let attempt = sqlx::query!(
        "INSERT INTO payment_attempts (invoice_id, bolt11, payment_hash, amount_msat, expires_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
        d.id,
        checked.bolt11,
        checked.payment_hash,
        d.amount_msat,
        checked.expires_at,
        now
    )
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    let updated = sqlx::query!(
        "UPDATE invoices SET bolt11 = ?, payment_hash = ?, expires_at = ?, attempt_id = ?, issue_attempts = 0,
                issue_error = NULL, issue_next_at = NULL, lease_until = NULL, check_attempts = 0, check_next_at = ? + 10,
                pull_next_at = coalesce(pull_next_at, ?), updated_at = ?
         WHERE id = ? AND status = 'open'",
        checked.bolt11,
        checked.payment_hash,
        checked.expires_at,
        attempt,
        now,
        now,
        now,
        d.id
    )
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        // Paid or voided meanwhile: keep nothing.
        tx.rollback().await?;
        return Ok(false);
    }
    let invoice = db::invoices::get(&mut *tx, &d.id)
        .await?
        .context("invoice vanished")?;
    let recurring = sqlx::query_scalar!(
        "SELECT wallet_pubkey IS NOT NULL AS \"r!: bool\" FROM tenants WHERE pubkey = ?",
        invoice.tenant
    )
    .fetch_one(&mut *tx)
    .await?;
    if d.attempt_id.is_none() && !recurring {
        let body = notices::invoice(&state.public_base, &invoice, &checked.bolt11);
        outbox::enqueue(
            &mut *tx,
            &invoice.tenant,
            "invoice",
            &format!("invoice:{}", d.id),
            &body,
        )
        .await?;
    }
    tx.commit().await?;
    state.billing.outbox_wake.notify_one();
    Ok(true)
}
