//! The billing worker: one pass creates due period invoices, issues BOLT11s, checks
//! payments, pulls from tenants' wallets, and enforces grace. Each step is idempotent and
//! guarded by the database, so a pass may be interrupted anywhere and simply run again.
//! Steps that need the operator's wallet wait for it with backoff; the rest run anyway.

use std::time::Duration;

use anyhow::Context;
use tokio::sync::watch;

use super::{Billing, collect, grace, issue, pull, run};
use crate::jobs::Backoff;
use crate::telemetry::metrics::{self, Worker};

/// Runs until `stop` turns true.
pub async fn run(billing: Billing, mut stop: watch::Receiver<bool>) {
    let tick = Duration::from_secs(u64::from(billing.settings.worker_tick_secs));
    // After a failed pass: 1 s doubling, up to ten ticks.
    let retry = Backoff::new(
        Duration::from_secs(1),
        tick.max(Duration::from_secs(1)) * 10,
    );
    let mut failures = 0i64;
    loop {
        // A pass may be dropped mid-way on shutdown: every step is guarded by the database.
        let outcome = tokio::select! {
            r = pass(&billing) => Some(r),
            _ = stop.wait_for(|s| *s) => None,
        };
        let Some(outcome) = outcome else {
            release_leases(&billing).await;
            break;
        };
        match outcome {
            Ok(()) => {
                failures = 0;
                metrics::worker_pass(Worker::Billing);
            }
            Err(e) => {
                failures += 1;
                tracing::warn!(error = format!("{e:#}"), failures, "billing pass failed");
            }
        }
        billing.record_pass();
        let wait = if failures == 0 {
            tick
        } else {
            retry.delay(failures - 1)
        };
        tokio::select! {
            _ = stop.wait_for(|s| *s) => break,
            _ = billing.wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Gives back the invoices this process leased, so a restart need not wait for the leases
/// to expire. (Caravel runs one process per database.)
async fn release_leases(billing: &Billing) {
    if let Err(e) = issue::release(billing).await {
        tracing::warn!(error = %e, "releasing invoice leases on shutdown");
    }
}

/// One full pass. Without `NWC_URL` there is nothing to bill.
pub async fn pass(billing: &Billing) -> anyhow::Result<()> {
    let Some(uri) = billing.settings.nwc_uri() else {
        return Ok(());
    };
    let created = run::run_periods(billing).await.context("period run")?;
    let enforced = grace::enforce(billing)
        .await
        .context("grace and reminders")?;
    tracing::debug!(created, enforced, now = billing.clock.now(), "billing pass");
    let timeout = Duration::from_secs(u64::from(billing.settings.nwc_timeout_secs));
    let wallet = match billing.operator(&uri, timeout).await {
        Ok(w) => w,
        Err(e) => return Err(e).context("connecting to the operator's wallet (NWC_URL)"),
    };
    if billing.take_fresh_listener() {
        tokio::spawn(collect::listen(billing.clone(), wallet.clone()));
    }
    let issued = issue::issue_due(billing, &wallet)
        .await
        .context("issuing BOLT11s")?;
    if issued.halted {
        // The connection is made anew on the next pass.
        billing.reset_operator().await;
        anyhow::bail!("the operator's wallet cannot be reached");
    }
    collect::poll_due(billing, &wallet)
        .await
        .context("checking payments")?;
    pull::pull_due(billing, &wallet)
        .await
        .context("recurring payments")?;
    Ok(())
}
