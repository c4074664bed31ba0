//! Invites as zooid's own claims. An invite without a use limit is also a claim at zooid
//! (NIP-86 `createclaim` as the relay), so a member's client joins with it at the relay itself
//! (kind 28934 with a `claim` tag). zooid's claims never expire and are reusable, so the
//! platform withdraws each one (`deleteclaim`) when its invite is withdrawn or expires, and
//! every claim the relay has, its inviters' own included, when the relay reaches its plan's
//! limit; they come back when it has room again.
//!
//! The work is a queue of relays (`relay_claims`): one look lists the relay's claims
//! (`listclaims`), brings them in line with its invites, records which invites are claims and
//! schedules the next look at the earliest expiry. Every step is idempotent, so a look cut
//! short is simply run again. A zooid without the claim methods (before April 2026) leaves
//! every invite to the platform's own link.

use std::sync::Arc;
use std::time::Duration;

use sqlx::SqlitePool;
use tokio::sync::watch;

use super::{AsRelay, RelayError};
use crate::config::Settings;
use crate::db::{self, relay_claims::Due, relay_invites::Invite};
use crate::domain::community::{claim_changes, is_full};
use crate::jobs::{self, Backoff, Done, Lease, Policy, Queue};
use crate::lifecycle::community::is_claim;
use crate::provision::Provisioner;
use crate::vault::Vault;

const LEASE: Lease = Lease::secs(60);
/// Between failed looks: 5 s, doubling up to 10 minutes.
const RETRY: Backoff = Backoff::secs(5, 600);
/// The longest between two passes when nothing wakes the worker (expiries fall due).
const TICK: Duration = Duration::from_secs(5);

/// Why a look at a relay's claims did not finish.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    #[error(transparent)]
    Relay(#[from] RelayError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("{0:#}")]
    Setup(#[from] anyhow::Error),
}

pub struct Claims {
    pub db: SqlitePool,
    pub vault: Vault,
    pub settings: Arc<Settings>,
    pub handle: Arc<Provisioner>,
}

impl Claims {
    /// Runs until `stop` turns true; [`Provisioner::kick_claims`] asks for a pass now.
    pub async fn run(self, stop: watch::Receiver<bool>) {
        let wake = || self.handle.claims_kicked();
        jobs::serve(&self, wake, TICK, stop, || {}).await;
    }

    async fn bring_in_line(&self, job: &Due) -> Result<Done, ClaimError> {
        let Some(relay) = db::relays::get(&self.db, &job.relay_id).await? else {
            return Ok(Done::Finished);
        };
        let limit = db::plans::get(&self.db, &relay.plan)
            .await?
            .and_then(|p| p.max_members);
        let full = is_full(relay.member_count, limit);
        let now = crate::clock::unix_now();
        let invites = db::relay_invites::of_relay(&self.db, &relay.id).await?;
        let url = self.settings.relay_url(&relay.subdomain);
        let at = AsRelay::open(&self.db, &self.vault, &relay.id, url).await?;
        let listed = match at.manage("listclaims", serde_json::json!([])).await {
            Ok(listed) => claims_in(&listed),
            Err(RelayError::Refused(why)) if lacks_claims(&why) => {
                tracing::debug!(relay = %relay.id, "zooid has no claims: invites go through the platform only");
                self.record(job, &invites, &[], now).await?;
                return Ok(Done::Finished);
            }
            Err(e) => return Err(e.into()),
        };
        let claimed: Vec<&Invite> = invites
            .iter()
            .filter(|i| !full && is_claim(i, now))
            .collect();
        let codes: Vec<String> = claimed.iter().map(|i| i.code.clone()).collect();
        let ours = |code: &str| invites.iter().any(|i| i.code == code);
        let changes = claim_changes(&listed, &codes, full, ours);
        for code in &changes.delete {
            at.manage("deleteclaim", serde_json::json!([code])).await?;
        }
        for code in &changes.create {
            at.manage("createclaim", serde_json::json!([code])).await?;
        }
        self.record(job, &invites, &claimed, now).await?;
        if !changes.create.is_empty() || !changes.delete.is_empty() {
            tracing::info!(relay = %relay.id, created = changes.create.len(), deleted = changes.delete.len(), full, "invite claims brought in line at zooid");
        }
        Ok(Done::Finished)
    }

    /// Records which of the relay's `invites` are claims at zooid now (`claimed`, since
    /// `now` unless they were already) and schedules the next look at the earliest expiry
    /// among them, in one transaction.
    async fn record(
        &self,
        job: &Due,
        invites: &[Invite],
        claimed: &[&Invite],
        now: i64,
    ) -> sqlx::Result<()> {
        let mut tx = db::begin_write(&self.db).await?;
        for invite in invites {
            let is_claim = claimed.iter().any(|c| c.id == invite.id);
            match (is_claim, invite.claimed_at) {
                (true, None) => {
                    db::relay_invites::set_claimed(&mut *tx, &invite.id, Some(now)).await?
                }
                (false, Some(_)) => {
                    db::relay_invites::set_claimed(&mut *tx, &invite.id, None).await?
                }
                _ => {}
            }
        }
        let next = claimed.iter().map(|i| i.expires_at).min();
        db::relay_claims::done(&mut *tx, job, next).await?;
        tx.commit().await
    }
}

/// The claim codes in a `listclaims` answer: strings, or objects with a `claim` field.
fn claims_in(listed: &serde_json::Value) -> Vec<String> {
    let items = listed.as_array().map(Vec::as_slice).unwrap_or_default();
    items
        .iter()
        .filter_map(|item| item.as_str().or_else(|| item["claim"].as_str()))
        .map(str::to_string)
        .collect()
}

/// Whether zooid refused because it does not know the claim methods at all.
fn lacks_claims(why: &str) -> bool {
    let why = why.to_ascii_lowercase();
    ["unknown method", "not known", "not supported"]
        .iter()
        .any(|m| why.contains(m))
}

impl Queue for Claims {
    type Job = Due;
    type Error = ClaimError;
    const NAME: &'static str = "invite-claims";

    fn policy(&self) -> Policy {
        Policy {
            lease: LEASE,
            backoff: RETRY,
            batch: 32,
            concurrency: 4,
        }
    }

    async fn claim(&self, now: i64, lease_until: i64, limit: i64) -> sqlx::Result<Vec<Due>> {
        db::relay_claims::claim(&self.db, now, lease_until, limit).await
    }

    fn key(job: &Due) -> String {
        job.relay_id.clone()
    }

    /// The claim counted this attempt already.
    fn attempts(job: &Due) -> i64 {
        job.attempts - 1
    }

    async fn run(&self, job: &Due) -> Result<Done, ClaimError> {
        self.bring_in_line(job).await
    }

    async fn retry_at(
        &self,
        job: &Due,
        error: Option<&ClaimError>,
        next_at: i64,
    ) -> sqlx::Result<()> {
        let text = error.map_or_else(String::new, ToString::to_string);
        db::relay_claims::failed(&self.db, &job.relay_id, &text, next_at).await
    }

    async fn release_all(&self) -> sqlx::Result<u64> {
        db::relay_claims::release_all(&self.db).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_claim_list_is_read_as_strings_or_objects() {
        assert_eq!(claims_in(&json!(["a", "b"])), ["a", "b"]);
        assert_eq!(claims_in(&json!([{ "claim": "c" }, 7])), ["c"]);
        assert!(claims_in(&json!(null)).is_empty());
    }

    #[test]
    fn only_an_unknown_method_means_zooid_lacks_claims() {
        assert!(lacks_claims(
            "listclaims: invalid params: unknown method 'listclaims'"
        ));
        assert!(lacks_claims("listclaims: method 'listclaims' not known"));
        assert!(!lacks_claims(
            "listclaims: blocked: only relay admins can manage this relay."
        ));
    }
}
