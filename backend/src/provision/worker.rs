//! The provisioning worker. It claims relays that are behind under a lease (so a crash
//! only delays them), syncs several at once, records every attempt in the activity log,
//! and backs off exponentially with jitter on failure, forever: no relay is stranded.
//!
//! Versions, not flags: the worker records the version it sent, so a change made while a
//! sync is in flight leaves the relay behind and it is synced again.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use sqlx::SqlitePool;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::fleet::Fleet;
use super::zooid_config::{Inputs, Livekit, ZooidConfig};
use super::{Failure, Provisioner};
use crate::clock::unix_now;
use crate::config::{ExposeSecret, Settings};
use crate::db::{
    self, activity::Entry, relay_roles::Appointed, relay_sync::Claimed, relay_sync::Desired,
};
use crate::domain::community::{Includes, RelayRole, is_full};
use crate::jobs::{self, Backoff, Done, Lease, Policy, Queue};
use crate::lifecycle;
use crate::telemetry::metrics::{self, Worker as Pass};
use crate::vault::{Vault, relay_secret_context};

/// The longest the worker sleeps when nothing is due, so it notices work without a kick.
const IDLE_POLL: Duration = Duration::from_secs(5);

pub struct Worker {
    pub db: SqlitePool,
    pub vault: Vault,
    pub settings: Arc<Settings>,
    pub fleet: Arc<Fleet>,
    pub handle: Arc<Provisioner>,
}

/// Why a relay's sync did not go through.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// zooid refused, or the configuration could not be built.
    #[error("{message}")]
    NotApplied {
        tenant: String,
        version: i64,
        message: String,
    },
    /// The relay's node could not be reached: the relay waits for the node.
    #[error("{message}")]
    NodeDown {
        node: String,
        tenant: String,
        version: i64,
        message: String,
    },
    #[error("reading or recording the relay: {0}")]
    Db(#[from] sqlx::Error),
    #[error("recording the sync: {0}")]
    Lifecycle(#[from] lifecycle::Error),
}

impl Worker {
    /// Runs until `shutdown` turns true; in-flight syncs are then abandoned and their leases released.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let this = Arc::new(self);
        *this.handle.target.lock() = "zooid nodes (see /api/nodes)".to_string();
        jobs::release(&*this).await;
        let sync = this.settings.sync.clone();
        let mut in_flight: JoinSet<()> = JoinSet::new();
        loop {
            this.handle.beat();
            if *shutdown.borrow() {
                break;
            }
            // Refill in batches (when half the slots are free), so claiming costs one
            // statement per batch rather than one per finished sync.
            if in_flight.len() <= sync.concurrency / 2 {
                let free = sync.concurrency - in_flight.len();
                for job in this.claim_free(free).await {
                    let this = this.clone();
                    in_flight.spawn(async move {
                        if let Err(e) = jobs::attempt(&*this, &job).await {
                            tracing::error!(relay = %job.id, error = %e, "recording a sync failed; the lease will expire and it will be retried");
                        }
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
                    Some(_) = in_flight.join_next() => {}
                    _ = this.handle.kick.notified() => {}
                    _ = tokio::time::sleep(IDLE_POLL) => {}
                    _ = shutdown.changed() => {}
                }
            }
            this.handle.pass_done();
        }
        in_flight.abort_all();
        jobs::release(&*this).await;
        this.handle.stopped();
        tracing::info!("provisioning worker stopped");
    }

    async fn claim_free(&self, free: usize) -> Vec<Claimed> {
        let now = self.now();
        let lease_until = self.policy().lease.until(now);
        match self.claim(now, lease_until, free as i64).await {
            Ok(jobs) => {
                metrics::worker_pass(Pass::Provisioning);
                jobs
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

    /// One transaction: the synced version (a `pending` relay goes live) and its activity entry.
    async fn record_synced(&self, r: &Desired, live: bool) -> Result<(), SyncError> {
        let now = unix_now();
        let mut tx = db::begin_write(&self.db).await?;
        let went_live =
            lifecycle::relay::synced(&mut tx, &r.id, r.desired_version, live, now).await?;
        db::zooid_nodes::answered(&mut *tx, &r.node.id, now).await?;
        let entry = Entry {
            actor: "system",
            action: "relay.sync-succeeded",
            resource_type: "relay",
            resource_id: &r.id,
            tenant: Some(&r.tenant),
            details: json!({ "version": r.desired_version, "went_live": went_live }),
        };
        db::activity::record(&mut *tx, now, entry).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Relays whose desired version is ahead of what zooid has.
impl Queue for Worker {
    type Job = Claimed;
    type Error = SyncError;
    const NAME: &'static str = "provisioning";

    fn policy(&self) -> Policy {
        let sync = &self.settings.sync;
        Policy {
            lease: Lease(sync.lease),
            backoff: Backoff::new(sync.retry_base, sync.retry_max),
            batch: sync.concurrency as i64,
            concurrency: sync.concurrency,
        }
    }

    async fn claim(&self, now: i64, lease_until: i64, limit: i64) -> sqlx::Result<Vec<Claimed>> {
        db::relay_sync::claim_due(&self.db, now, lease_until, limit).await
    }

    fn key(job: &Claimed) -> String {
        job.id.clone()
    }

    fn attempts(job: &Claimed) -> i64 {
        job.attempts
    }

    async fn run(&self, job: &Claimed) -> Result<Done, SyncError> {
        let Some(relay) = db::relay_sync::desired(&self.db, &job.id).await? else {
            return Ok(Done::Finished);
        };
        let roles = db::relay_roles::of_relay(&self.db, &job.id).await?;
        let started = std::time::Instant::now();
        let applied = match config_for(&self.settings, &self.vault, &relay, &roles, false) {
            Ok(config) => match self.fleet.target(&relay.node) {
                Ok(target) => target
                    .apply(&job.id, &config, relay.synced_version == 0)
                    .await
                    .map(|()| !config.inactive),
                Err(e) => Err(e),
            },
            Err(e) => Err(Failure::relay(e)),
        };
        metrics::provisioning_sync(applied.is_ok(), started.elapsed());
        match applied {
            Ok(live) => {
                self.record_synced(&relay, live).await?;
                Ok(Done::Finished)
            }
            Err(Failure {
                message,
                node_down: true,
            }) => Err(SyncError::NodeDown {
                node: relay.node.id,
                tenant: relay.tenant,
                version: relay.desired_version,
                message,
            }),
            Err(Failure { message, .. }) => Err(SyncError::NotApplied {
                tenant: relay.tenant,
                version: relay.desired_version,
                message,
            }),
        }
    }

    /// One transaction: the failed attempt on the relay and its activity entry.
    async fn retry_at(
        &self,
        job: &Claimed,
        error: Option<&SyncError>,
        next_at: i64,
    ) -> sqlx::Result<()> {
        let message = error.map_or_else(String::new, ToString::to_string);
        let (tenant, version) = match error {
            Some(
                SyncError::NotApplied {
                    tenant, version, ..
                }
                | SyncError::NodeDown {
                    tenant, version, ..
                },
            ) => (Some(tenant.as_str()), Some(*version)),
            _ => (None, None),
        };
        let now = unix_now();
        let mut tx = db::begin_write(&self.db).await?;
        let details = if let Some(SyncError::NodeDown { node, .. }) = error {
            // The node is probed from now on; the relay is sent as soon as it answers.
            db::zooid_nodes::failed(&mut *tx, node, &message, now + 1).await?;
            db::relay_sync::wait_for_node(&mut *tx, &job.id, &message).await?;
            self.handle.kick_upkeep();
            json!({ "version": version, "error": message, "waiting_for_node": node })
        } else {
            db::relay_sync::mark_failed(&mut *tx, &job.id, &message, next_at).await?;
            json!({ "version": version, "attempt": job.attempts + 1, "error": message, "next_attempt_at": next_at })
        };
        let entry = Entry {
            actor: "system",
            action: "relay.sync-failed",
            resource_type: "relay",
            resource_id: &job.id,
            tenant,
            details,
        };
        db::activity::record(&mut *tx, now, entry).await?;
        tx.commit().await
    }

    async fn release_all(&self) -> sqlx::Result<u64> {
        db::relay_sync::release_all(&self.db).await
    }
}

/// The configuration zooid should have for `r`; `inactive` forces it off (a move's
/// target before the switch, its source at it).
pub(super) fn config_for(
    settings: &Settings,
    vault: &Vault,
    r: &Desired,
    roles: &[Appointed],
    inactive: bool,
) -> Result<ZooidConfig, String> {
    let secret = vault
        .open_sealed(&relay_secret_context(&r.id), &r.secret_enc)
        .map_err(|_| "the relay's secret key does not decrypt under the platform key (was PLATFORM_KEY changed?)".to_string())?;
    let secret_hex =
        String::from_utf8(secret).map_err(|_| "the relay's secret key is corrupt".to_string())?;
    let plan = Includes {
        blossom: r.blossom,
        livekit: r.livekit,
    };
    let policies = r.policies.within(plan);
    let livekit = settings
        .livekit
        .as_ref()
        .filter(|_| policies.livekit)
        .map(|lk| Livekit {
            server_url: lk.url.to_string(),
            api_key: lk.api_key.clone(),
            api_secret: lk.api_secret.expose_secret().to_string(),
        });
    let (admins, inviters): (Vec<_>, Vec<_>) =
        roles.iter().partition(|a| a.role == RelayRole::Admin);
    ZooidConfig::build(Inputs {
        subdomain: &r.subdomain,
        relay_domain: &settings.relay_domain,
        schema: &r.schema,
        secret_hex: &secret_hex,
        inactive: inactive || !r.status.is_running(),
        name: &r.name,
        icon: &r.icon,
        description: &r.description,
        tenant: &r.tenant,
        policies,
        livekit,
        admins: admins.into_iter().map(|a| a.pubkey.clone()).collect(),
        inviters: inviters.into_iter().map(|a| a.pubkey.clone()).collect(),
        full: is_full(r.member_count, r.max_members),
    })
}
