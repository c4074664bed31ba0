//! What every request handler shares.

use std::ops::Deref;
use std::sync::Arc;

use sqlx::SqlitePool;

use crate::auth::replay::ReplayCache;
use crate::billing::Billing;
use crate::config::Settings;
use crate::db::Reader;
use crate::lifecycle;
use crate::livekit::Livekit;
use crate::provision::Provisioner;
use crate::robot::Robot;
use crate::vault::Vault;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub settings: Arc<Settings>,
    pub db: SqlitePool,
    /// Inline reads for the hot paths; see [`crate::db::reader`].
    pub reader: Reader,
    pub vault: Vault,
    pub replay: ReplayCache,
    /// `PUBLIC_URL` without a trailing slash: the prefix of every URL a client signs.
    pub public_base: String,
    pub provisioner: Arc<Provisioner>,
    pub billing: Billing,
    pub robot: Robot,
    pub livekit: Arc<Livekit>,
    /// What status transitions need (the billing clock, names for notices).
    pub life: lifecycle::Ctx,
}

impl AppState {
    /// Records member counts read from relays (see [`crate::community::Counter`]).
    pub fn counter(&self) -> crate::community::Counter {
        crate::community::Counter {
            db: self.db.clone(),
            life: self.life.clone(),
            provisioner: self.provisioner.clone(),
            outbox_wake: self.billing.outbox_wake.clone(),
        }
    }

    /// Everything handlers share; the server builds it once at start-up.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        settings: Arc<Settings>,
        db: SqlitePool,
        reader: Reader,
        vault: Vault,
        public_base: String,
        provisioner: Arc<Provisioner>,
        billing: Billing,
        robot: Robot,
        livekit: Arc<Livekit>,
    ) -> Self {
        let public_base = public_base.trim_end_matches('/').to_string();
        let replay = ReplayCache::default();
        let life = billing.life.clone();
        Self(Arc::new(Inner {
            settings,
            db,
            reader,
            vault,
            replay,
            public_base,
            provisioner,
            billing,
            robot,
            livekit,
            life,
        }))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
