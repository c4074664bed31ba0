//! Provisioning: makes zooid match the database. Every relay change bumps the relay's
//! desired version in the same transaction; the [`worker`] converges zooid to it, over
//! zooid's HTTP API or its config directory, and keeps retrying until it has.

pub mod api_target;
pub mod dir_target;
pub mod fleet;
pub mod moves;
pub mod probes;
pub mod upkeep;
pub mod worker;
pub mod zooid_config;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

use crate::clock::unix_now;
use api_target::ZooidApi;
use dir_target::ConfigDir;
use zooid_config::ZooidConfig;

/// Where relay configurations go: one node's zooid.
pub enum Target {
    Api(ZooidApi),
    Dir(ConfigDir),
}

/// Why a request to a node did not go through.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub message: String,
    /// The node itself could not be reached (every relay on it would fail the same way), as
    /// opposed to this relay's request being refused.
    pub node_down: bool,
}

impl Failure {
    pub fn node(message: String) -> Self {
        Self {
            message,
            node_down: true,
        }
    }

    pub fn relay(message: String) -> Self {
        Self {
            message,
            node_down: false,
        }
    }
}

impl Target {
    /// Sends the whole configuration; `first` when zooid has never had this relay.
    pub async fn apply(&self, id: &str, config: &ZooidConfig, first: bool) -> Result<(), Failure> {
        match self {
            Self::Api(a) => a.apply(id, config, first).await,
            Self::Dir(d) => d.apply(id, config).await.map_err(Failure::relay),
        }
    }

    /// Removes the relay's configuration (gone already: done). Its events stay on the node.
    pub async fn delete(&self, id: &str) -> Result<(), Failure> {
        match self {
            Self::Api(a) => a.delete(id).await,
            Self::Dir(d) => d.delete(id).await.map_err(Failure::relay),
        }
    }

    /// Whether the node answers.
    pub async fn probe(&self) -> Result<(), Failure> {
        match self {
            Self::Api(a) => a.probe().await,
            Self::Dir(d) => d.probe().await.map_err(Failure::node),
        }
    }
}

/// How the rest of the service reaches the worker: wake it, and see that it is alive.
#[derive(Default)]
pub struct Provisioner {
    kick: Notify,
    /// Wakes the fleet's upkeep (moves to start, nodes to probe).
    upkeep: Notify,
    /// Wakes the routing table: a relay host or a node's upstream changed.
    reroute: Notify,
    /// Wakes the invite claims worker: a relay's invites or room changed.
    claims: Notify,
    heartbeat: AtomicI64,
    /// How many times the worker has gone round its loop (tests wait on it).
    passes: AtomicU64,
    target: parking_lot::Mutex<String>,
}

/// A worker that has not looped for this long is reported stalled.
pub const STALL_AFTER: Duration = Duration::from_secs(30);

impl Provisioner {
    /// Counts as alive from creation, until the worker stops looping.
    pub fn new() -> Arc<Self> {
        let this = Self::default();
        this.beat();
        Arc::new(this)
    }

    /// Something changed: look for due relays now rather than at the next poll.
    pub fn kick(&self) {
        self.kick.notify_one();
    }

    /// A move was started or a node changed: the fleet's upkeep looks now.
    pub fn kick_upkeep(&self) {
        self.upkeep.notify_one();
    }

    /// Where a relay host is served changed (a relay created, renamed or moved, a node's
    /// upstream edited): the routing table is rebuilt now.
    pub fn reroute(&self) {
        self.reroute.notify_one();
    }

    /// A relay's invites changed or its joins closed or opened: its claims at zooid are
    /// brought in line now ([`crate::community::claims`]).
    pub fn kick_claims(&self) {
        self.claims.notify_one();
    }

    /// Resolves at the next [`Self::kick_claims`].
    pub async fn claims_kicked(&self) {
        self.claims.notified().await;
    }

    /// Resolves at the next [`Self::reroute`].
    pub async fn rerouted(&self) {
        self.reroute.notified().await;
    }

    pub fn is_alive(&self) -> bool {
        let beat = self.heartbeat.load(Ordering::Relaxed);
        beat > 0 && unix_now() - beat <= STALL_AFTER.as_secs() as i64
    }

    /// How many times the worker has gone round its loop.
    pub fn passes(&self) -> u64 {
        self.passes.load(Ordering::Relaxed)
    }

    fn pass_done(&self) {
        self.passes.fetch_add(1, Ordering::Relaxed);
    }

    pub fn target(&self) -> String {
        self.target.lock().clone()
    }

    fn beat(&self) {
        self.heartbeat.store(unix_now(), Ordering::Relaxed);
    }

    fn stopped(&self) {
        self.heartbeat.store(0, Ordering::Relaxed);
    }
}
