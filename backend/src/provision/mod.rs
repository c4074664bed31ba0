//! Provisioning: makes zooid match the database. Every relay change bumps the relay's
//! desired version in the same transaction; the [`worker`] converges zooid to it, over
//! zooid's HTTP API or its config directory, and keeps retrying until it has.

pub mod api_target;
pub mod dir_target;
pub mod worker;
pub mod zooid_config;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

use crate::clock::unix_now;
use crate::config::Settings;
use api_target::ZooidApi;
use dir_target::ConfigDir;
use zooid_config::ZooidConfig;

/// Where relay configurations go.
pub enum Target {
    Api(ZooidApi),
    Dir(ConfigDir),
}

impl Target {
    /// The zooid API when `ZOOID_API_URL` is set, else the config directory.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let z = &settings.zooid;
        match (&z.api_url, z.api_keys()) {
            (Some(url), Some(keys)) => {
                Ok(Self::Api(ZooidApi::new(url, keys, settings.sync.timeout)?))
            }
            _ => Ok(Self::Dir(ConfigDir::new(&z.config_dir, z.config_gid)?)),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Api(a) => a.describe(),
            Self::Dir(d) => d.describe(),
        }
    }

    /// Sends the whole configuration; `first` when zooid has never had this relay.
    pub async fn apply(&self, id: &str, config: &ZooidConfig, first: bool) -> Result<(), String> {
        match self {
            Self::Api(a) => a.apply(id, config, first).await,
            Self::Dir(d) => d.apply(id, config).await,
        }
    }
}

/// How the rest of the service reaches the worker: wake it, and see that it is alive.
#[derive(Default)]
pub struct Provisioner {
    kick: Notify,
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
