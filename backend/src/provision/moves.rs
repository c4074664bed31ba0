//! Moving a relay between nodes, one durable step at a time (see [`MoveStep`]): write its
//! configuration, inactive, on the target; turn it off on the source, then switch its node
//! (routing follows, and the provisioning worker sends the live configuration to the
//! target); delete it from the source. Each step is idempotent and recorded before the next
//! begins, so a crash repeats at most one step; the relay is never on for two nodes, and off
//! for none longer than the switch. A source that admins marked `down` is not contacted.
//! The relay's stored events are not copied: zooid offers no way to (the operator copies
//! the relay's tables, see the README).

use std::sync::Arc;

use serde_json::json;
use sqlx::SqlitePool;

use super::fleet::Fleet;
use super::worker::config_for;
use super::zooid_config::ZooidConfig;
use super::{Failure, Provisioner};
use crate::config::Settings;
use crate::db::{self, activity::Entry, relay_moves::Claimed, relay_sync::Desired};
use crate::domain::status::{MoveStep, NodeState};
use crate::jobs::{Backoff, Done, Lease, Policy, Queue};
use crate::vault::Vault;

pub struct Moves {
    pub db: SqlitePool,
    pub vault: Vault,
    pub settings: Arc<Settings>,
    pub fleet: Arc<Fleet>,
    pub handle: Arc<Provisioner>,
}

#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error("{0}")]
    Step(String),
    #[error("reading or recording the move: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<Failure> for MoveError {
    fn from(f: Failure) -> Self {
        Self::Step(f.message)
    }
}

impl Moves {
    /// The relay's configuration turned off, as the target gets it before the switch and the
    /// source at it.
    async fn off(&self, r: &Desired) -> Result<ZooidConfig, MoveError> {
        let roles = db::relay_roles::of_relay(&self.db, &r.id).await?;
        config_for(&self.settings, &self.vault, r, &roles, true).map_err(MoveError::Step)
    }

    async fn step(&self, r: &Desired, step: MoveStep) -> Result<Option<MoveStep>, MoveError> {
        let now = crate::clock::unix_now();
        let (next, action, details, mut tx) = match step {
            MoveStep::Preparing => {
                let to = r
                    .move_to
                    .as_ref()
                    .ok_or_else(|| MoveError::Step("the move has no target node".into()))?;
                let off = self.off(r).await?;
                self.fleet.target(to)?.apply(&r.id, &off, true).await?;
                let mut tx = db::begin_write(&self.db).await?;
                db::relay_moves::advance(&mut *tx, &r.id, step, MoveStep::Switching, now).await?;
                (
                    Some(MoveStep::Switching),
                    "relay.move-prepared",
                    json!({ "to": to.id }),
                    tx,
                )
            }
            MoveStep::Switching => {
                if r.node.state != NodeState::Down {
                    let off = self.off(r).await?;
                    self.fleet
                        .target(&r.node)?
                        .apply(&r.id, &off, false)
                        .await?;
                }
                let to = r
                    .move_to
                    .as_ref()
                    .map(|n| n.id.as_str())
                    .unwrap_or_default();
                let mut tx = db::begin_write(&self.db).await?;
                db::relay_moves::switch(&mut *tx, &r.id, now).await?;
                // The target node has the relay's events, not necessarily its claims.
                db::relay_claims::due_now(&mut *tx, &r.id, now).await?;
                let details = json!({ "from": r.node.id, "to": to });
                (Some(MoveStep::Retiring), "relay.move-switched", details, tx)
            }
            MoveStep::Retiring => {
                if let Some(from) = r.move_from.as_ref().filter(|n| n.state != NodeState::Down) {
                    self.fleet.target(from)?.delete(&r.id).await?;
                }
                let from = r
                    .move_from
                    .as_ref()
                    .map(|n| n.id.as_str())
                    .unwrap_or_default();
                let mut tx = db::begin_write(&self.db).await?;
                db::relay_moves::finish(&mut *tx, &r.id).await?;
                (
                    None,
                    "relay.moved",
                    json!({ "from": from, "to": r.node.id }),
                    tx,
                )
            }
        };
        record(&mut tx, r, action, details, now).await?;
        tx.commit().await?;
        if step == MoveStep::Switching {
            // Routing and the target's live configuration follow the switch.
            self.handle.kick();
            self.handle.reroute();
            self.handle.kick_claims();
        }
        Ok(next)
    }
}

async fn record(
    tx: &mut db::Tx<'_>,
    r: &Desired,
    action: &str,
    details: serde_json::Value,
    now: i64,
) -> sqlx::Result<()> {
    let entry = Entry {
        actor: "system",
        action,
        resource_type: "relay",
        resource_id: &r.id,
        tenant: Some(&r.tenant),
        details,
    };
    db::activity::record(&mut **tx, now, entry).await
}

/// Relays with a move in progress whose next step is due.
impl Queue for Moves {
    type Job = Claimed;
    type Error = MoveError;
    const NAME: &'static str = "relay-moves";

    fn policy(&self) -> Policy {
        let sync = &self.settings.sync;
        Policy {
            lease: Lease(sync.lease),
            backoff: Backoff::new(sync.retry_base, sync.retry_max),
            batch: 16,
            concurrency: 8,
        }
    }

    async fn claim(&self, now: i64, lease_until: i64, limit: i64) -> sqlx::Result<Vec<Claimed>> {
        db::relay_moves::claim_due(&self.db, now, lease_until, limit).await
    }

    fn key(job: &Claimed) -> String {
        job.id.clone()
    }

    fn attempts(job: &Claimed) -> i64 {
        job.attempts
    }

    /// Takes the move through every step it can now (each step re-reads the relay).
    async fn run(&self, job: &Claimed) -> Result<Done, MoveError> {
        loop {
            let Some(relay) = db::relay_sync::desired(&self.db, &job.id).await? else {
                return Ok(Done::Finished);
            };
            let Some(step) = relay.move_step else {
                return Ok(Done::Finished);
            };
            if self.step(&relay, step).await?.is_none() {
                return Ok(Done::Finished);
            }
        }
    }

    async fn retry_at(
        &self,
        job: &Claimed,
        error: Option<&MoveError>,
        next_at: i64,
    ) -> sqlx::Result<()> {
        let message = error.map_or_else(String::new, ToString::to_string);
        db::relay_moves::failed(&self.db, &job.id, &message, next_at).await
    }

    async fn release_all(&self) -> sqlx::Result<u64> {
        db::relay_moves::release_all(&self.db).await
    }
}
