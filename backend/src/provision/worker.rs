//! The provisioning worker. It claims relays that are behind under a lease (so a crash
//! only delays them), syncs several at once, records every attempt in the activity log,
//! and backs off exponentially with jitter on failure, forever: no relay is stranded.
//!
//! Versions, not flags: the worker records the version it sent, so a change made while a
//! sync is in flight leaves the relay behind and it is synced again.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use serde_json::json;
use sqlx::SqlitePool;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::zooid_config::{Inputs, Livekit, ZooidConfig};
use super::{Provisioner, Target};
use crate::clock::unix_now;
use crate::config::{ExposeSecret, Settings};
use crate::db::{self, activity::Entry, relay_sync::Desired};
use crate::jobs::{Backoff, Lease};
use crate::lifecycle;
use crate::telemetry::metrics::{self, Worker as Pass};
use crate::vault::{Vault, relay_secret_context};

/// The longest the worker sleeps when nothing is due, so it notices work without a kick.
const IDLE_POLL: Duration = Duration::from_secs(5);

pub struct Worker {
    pub db: SqlitePool,
    pub vault: Vault,
    pub settings: Arc<Settings>,
    pub target: Arc<Target>,
    pub handle: Arc<Provisioner>,
}

impl Worker {
    /// Runs until `shutdown` turns true; in-flight syncs are then abandoned and their leases released.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let this = Arc::new(self);
        *this.handle.target.lock() = this.target.describe();
        match db::relay_sync::release_all(&this.db).await {
            Ok(n) if n > 0 => {
                tracing::info!(released = n, "released sync leases left by an earlier run")
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "could not release old sync leases"),
        }
        let sync = this.settings.sync.clone();
        let mut in_flight: JoinSet<String> = JoinSet::new();
        let mut claimed: std::collections::HashSet<String> = Default::default();
        loop {
            this.handle.beat();
            if *shutdown.borrow() {
                break;
            }
            // Refill in batches (when half the slots are free), so claiming costs one
            // statement per batch rather than one per finished sync.
            if in_flight.len() <= sync.concurrency / 2 {
                let free = sync.concurrency - in_flight.len();
                for id in this.claim(free).await {
                    claimed.insert(id.clone());
                    let this = this.clone();
                    in_flight.spawn(async move {
                        this.sync_one(&id).await;
                        id
                    });
                }
            }
            if in_flight.is_empty() {
                let wait = this.idle_wait().await;
                tokio::select! {
                    _ = this.handle.kick.notified() => {}
                    _ = tokio::time::sleep(wait) => {}
                    _ = shutdown.changed() => {}
                }
            } else {
                tokio::select! {
                    Some(done) = in_flight.join_next() => {
                        if let Ok(id) = done { claimed.remove(&id); }
                    }
                    _ = this.handle.kick.notified() => {}
                    _ = tokio::time::sleep(IDLE_POLL) => {}
                    _ = shutdown.changed() => {}
                }
            }
            this.handle.pass_done();
        }
        in_flight.abort_all();
        for id in claimed {
            if let Err(e) = db::relay_sync::release(&this.db, &id).await {
                tracing::warn!(relay = %id, error = %e, "releasing a sync lease on shutdown; it expires by itself");
            }
        }
        this.handle.stopped();
        tracing::info!("provisioning worker stopped");
    }

    async fn claim(&self, free: usize) -> Vec<String> {
        let now = unix_now();
        let lease_until = Lease(self.settings.sync.lease).until(now);
        match db::relay_sync::claim_due(&self.db, now, lease_until, free as i64).await {
            Ok(ids) => {
                metrics::worker_pass(Pass::Provisioning);
                ids
            }
            Err(e) => {
                tracing::error!(error = %e, "claiming due relays failed");
                Vec::new()
            }
        }
    }

    /// Until the next relay is due (at most [`IDLE_POLL`]).
    async fn idle_wait(&self) -> Duration {
        match db::relay_sync::next_due(&self.db).await {
            Ok(Some(due)) => {
                Duration::from_secs((due - unix_now()).clamp(0, IDLE_POLL.as_secs() as i64) as u64)
                    .max(Duration::from_millis(200))
            }
            _ => IDLE_POLL,
        }
    }

    #[tracing::instrument(skip(self))]
    async fn sync_one(&self, id: &str) {
        if let Err(e) = self.try_sync(id).await {
            tracing::error!(relay = %id, error = format!("{e:#}"), "recording a sync failed; the lease will expire and it will be retried");
        }
    }

    async fn try_sync(&self, id: &str) -> anyhow::Result<()> {
        let Some(relay) = db::relay_sync::desired(&self.db, id)
            .await
            .context("reading the relay")?
        else {
            return Ok(());
        };
        let started = std::time::Instant::now();
        let outcome = match self.config_for(&relay) {
            Ok(config) => {
                let first = relay.synced_version == 0;
                self.target
                    .apply(id, &config, first)
                    .await
                    .map(|()| !config.inactive)
            }
            Err(e) => Err(e),
        };
        metrics::provisioning_sync(outcome.is_ok(), started.elapsed());
        self.record(&relay, outcome)
            .await
            .with_context(|| format!("recording the sync of relay {id}"))
    }

    fn config_for(&self, r: &Desired) -> Result<ZooidConfig, String> {
        let secret = self
            .vault
            .open_sealed(&relay_secret_context(&r.id), &r.secret_enc)
            .map_err(|_| "the relay's secret key does not decrypt under the platform key (was PLATFORM_KEY changed?)".to_string())?;
        let secret_hex = String::from_utf8(secret)
            .map_err(|_| "the relay's secret key is corrupt".to_string())?;
        let livekit = self
            .settings
            .livekit
            .as_ref()
            .filter(|_| r.livekit)
            .map(|lk| Livekit {
                server_url: lk.url.to_string(),
                api_key: lk.api_key.clone(),
                api_secret: lk.api_secret.expose_secret().to_string(),
            });
        ZooidConfig::build(Inputs {
            subdomain: &r.subdomain,
            relay_domain: &self.settings.relay_domain,
            schema: &r.schema,
            secret_hex: &secret_hex,
            inactive: !r.status.is_running(),
            name: &r.name,
            icon: &r.icon,
            description: &r.description,
            tenant: &r.tenant,
            blossom: r.blossom,
            livekit,
        })
    }

    /// One transaction: the outcome on the relay and its activity entry.
    async fn record(&self, r: &Desired, outcome: Result<bool, String>) -> anyhow::Result<()> {
        let now = unix_now();
        let mut tx = db::begin_write(&self.db).await?;
        let (action, details) = match &outcome {
            Ok(live) => {
                let went_live =
                    lifecycle::relay::synced(&mut tx, &r.id, r.desired_version, *live, now).await?;
                (
                    "relay.sync-succeeded",
                    json!({ "version": r.desired_version, "went_live": went_live }),
                )
            }
            Err(error) => {
                let retry =
                    Backoff::new(self.settings.sync.retry_base, self.settings.sync.retry_max);
                let delay = retry.delay(r.sync_attempts);
                let next = now + delay.as_secs().max(1) as i64;
                db::relay_sync::mark_failed(&mut *tx, &r.id, error, next).await?;
                tracing::warn!(relay = %r.id, attempt = r.sync_attempts + 1, retry_in_s = delay.as_secs(), %error, "relay sync failed");
                (
                    "relay.sync-failed",
                    json!({ "version": r.desired_version, "attempt": r.sync_attempts + 1, "error": error, "next_attempt_at": next }),
                )
            }
        };
        let entry = Entry {
            actor: "system",
            action,
            resource_type: "relay",
            resource_id: &r.id,
            tenant: Some(&r.tenant),
            details,
        };
        db::activity::record(&mut *tx, now, entry).await?;
        tx.commit().await?;
        Ok(())
    }
}
