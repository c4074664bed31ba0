//! The billing worker: one pass creates due period invoices, issues BOLT11s, checks
//! payments, pulls from tenants' wallets, and enforces grace. Each step is idempotent and
//! guarded by the database, so a pass may be interrupted anywhere and simply run again.
//! Steps that need the operator's wallet wait for it with backoff; the rest run anyway.

use std::time::Duration;

use anyhow::Context;
use rand::Rng;
use tokio::sync::watch;

use nostr_sdk::ToBech32;
use tokio::task::JoinHandle;

use super::{Billing, Clock, collect, grace, issue, pull, run};
use crate::config::Settings;
use crate::robot::{self, Robot, profile};
use crate::state::AppState;

/// The platform's identity and the billing handle, from settings (the robot key is
/// created in DATA_DIR on first start when ROBOT_SECRET is unset).
pub fn identity(settings: &Settings) -> anyhow::Result<(Billing, Robot)> {
    let keys = robot::load_keys(
        settings.robot.secret.as_ref().map(|s| s.expose()),
        &settings.data_dir,
    )?;
    let npub = keys.public_key().to_bech32().unwrap_or_default();
    tracing::info!(%npub, "the platform's Nostr identity");
    let robot = Robot::new(keys, settings.robot.clone());
    Ok((Billing::new(Clock::default(), robot.pubkey()), robot))
}

/// Starts the billing worker, the message worker and the profile publisher; they stop
/// when `shutdown` turns true.
pub fn start(state: &AppState, shutdown: &watch::Sender<bool>) -> Vec<JoinHandle<()>> {
    let tick = Duration::from_secs(u64::from(state.settings.worker_tick_secs));
    let profile = {
        let (robot, db) = (state.robot.clone(), state.db.clone());
        tokio::spawn(async move {
            match profile::publish_if_changed(&robot, &db).await {
                Ok(n) if n > 0 => {
                    tracing::info!(events = n, "published the robot's profile and relay lists")
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = format!("{e:#}"), "publishing the robot's profile")
                }
            }
            robot.profile_pass_done();
        })
    };
    let messages = tokio::spawn(robot::worker::run(
        state.robot.clone(),
        state.db.clone(),
        state.billing.outbox_wake.clone(),
        tick,
        shutdown.subscribe(),
    ));
    let billing = tokio::spawn(run(state.clone(), shutdown.subscribe()));
    vec![profile, messages, billing]
}

/// Runs until `stop` turns true.
pub async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    let tick = Duration::from_secs(u64::from(state.settings.worker_tick_secs));
    let mut failures = 0u32;
    loop {
        // A pass may be dropped mid-way on shutdown: every step is guarded by the database.
        let outcome = tokio::select! {
            r = pass(&state) => Some(r),
            _ = stop.wait_for(|s| *s) => None,
        };
        let Some(outcome) = outcome else {
            release_leases(&state).await;
            break;
        };
        match outcome {
            Ok(()) => failures = 0,
            Err(e) => {
                failures += 1;
                tracing::warn!(error = format!("{e:#}"), failures, "billing pass failed");
            }
        }
        state.billing.record_pass();
        let wait = if failures == 0 {
            tick
        } else {
            let base = 2u64
                .saturating_pow(failures.min(8))
                .min(tick.as_secs().max(1) * 10);
            Duration::from_millis(base * 1000 + rand::thread_rng().gen_range(0..1000))
        };
        tokio::select! {
            _ = stop.wait_for(|s| *s) => break,
            _ = state.billing.wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Gives back the invoices this process leased, so a restart need not wait for the leases
/// to expire. (Caravel runs one process per database.)
async fn release_leases(state: &AppState) {
    let released = sqlx::query!(
        "UPDATE invoices SET lease_until = NULL WHERE status = 'open' AND lease_until IS NOT NULL"
    )
    .execute(&state.db)
    .await;
    if let Err(e) = released {
        tracing::warn!(error = %e, "releasing invoice leases on shutdown");
    }
}

/// One full pass. Without `NWC_URL` there is nothing to bill.
pub async fn pass(state: &AppState) -> anyhow::Result<()> {
    let Some(uri) = state.settings.nwc_url.as_ref() else {
        return Ok(());
    };
    let created = run::run_periods(state).await.context("period run")?;
    let enforced = grace::enforce(state).await.context("grace and reminders")?;
    tracing::debug!(
        created,
        enforced,
        now = state.billing.clock.now(),
        "billing pass"
    );
    let timeout = Duration::from_secs(u64::from(state.settings.nwc_timeout_secs));
    let wallet = match state.billing.operator(uri.expose(), timeout).await {
        Ok(w) => w,
        Err(e) => return Err(e).context("connecting to the operator's wallet (NWC_URL)"),
    };
    if state.billing.take_fresh_listener() {
        tokio::spawn(collect::listen(state.clone(), wallet.clone()));
    }
    let steps = async {
        issue::issue_due(state, &wallet)
            .await
            .context("issuing BOLT11s")?;
        collect::poll_due(state, &wallet)
            .await
            .context("checking payments")?;
        pull::pull_due(state, &wallet)
            .await
            .context("recurring payments")?;
        anyhow::Ok(())
    };
    if let Err(e) = steps.await {
        if e.chain()
            .any(|c| c.to_string().contains("cannot be reached"))
        {
            state.billing.reset_operator().await;
        }
        return Err(e);
    }
    Ok(())
}
