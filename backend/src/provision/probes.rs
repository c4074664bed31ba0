//! Probing unreachable nodes. While a node fails, its relays wait for it (they are not
//! claimed, and count no attempts); one probe at a time checks the node with backoff up to
//! `NODE_PROBE_MAX_MS`. When it answers, the node is healthy again and the provisioning
//! worker is woken to send its whole backlog at once.

use std::sync::Arc;
use std::time::Duration;

use sqlx::SqlitePool;

use super::fleet::Fleet;
use super::{Failure, Provisioner};
use crate::clock::unix_now;
use crate::db::{self, relay_sync::NodeRef, zooid_nodes::Probe};
use crate::jobs::{Backoff, Done, Lease, Policy, Queue};

pub struct Probes {
    pub db: SqlitePool,
    pub fleet: Arc<Fleet>,
    pub handle: Arc<Provisioner>,
    pub probe_max: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("{0}")]
    Unreachable(String),
    #[error("reading or recording the node: {0}")]
    Db(#[from] sqlx::Error),
}

impl Queue for Probes {
    type Job = Probe;
    type Error = ProbeError;
    const NAME: &'static str = "node-probes";

    fn policy(&self) -> Policy {
        Policy {
            lease: Lease::secs(60),
            backoff: Backoff::new(Duration::from_millis(500), self.probe_max),
            batch: 16,
            concurrency: 16,
        }
    }

    async fn claim(&self, now: i64, lease_until: i64, limit: i64) -> sqlx::Result<Vec<Probe>> {
        db::zooid_nodes::claim_probes(&self.db, now, lease_until, limit).await
    }

    fn key(job: &Probe) -> String {
        job.id.clone()
    }

    fn attempts(job: &Probe) -> i64 {
        job.failures
    }

    async fn run(&self, job: &Probe) -> Result<Done, ProbeError> {
        let Some(node) = db::zooid_nodes::get(&self.db, &job.id).await? else {
            return Ok(Done::Finished);
        };
        let node = NodeRef {
            id: node.id,
            api_url: node.api_url,
            secret_enc: node.api_secret_enc,
            state: node.state,
        };
        let probed = match self.fleet.target(&node) {
            Ok(target) => target.probe().await,
            Err(e) => Err(e),
        };
        match probed {
            Ok(()) => {
                db::zooid_nodes::answered(&self.db, &node.id, unix_now()).await?;
                tracing::info!(node = %node.id, "zooid node answers again; sending its backlog");
                self.handle.kick();
                Ok(Done::Finished)
            }
            Err(Failure { message, .. }) => Err(ProbeError::Unreachable(message)),
        }
    }

    async fn retry_at(
        &self,
        job: &Probe,
        error: Option<&ProbeError>,
        next_at: i64,
    ) -> sqlx::Result<()> {
        let message = error.map_or_else(String::new, ToString::to_string);
        db::zooid_nodes::probe_failed(&self.db, &job.id, &message, next_at).await
    }

    /// A probe's lease is its `probe_at`, which passes by itself.
    async fn release_all(&self) -> sqlx::Result<u64> {
        Ok(0)
    }
}
