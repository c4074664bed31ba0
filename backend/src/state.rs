//! What every request handler shares.

use std::ops::Deref;
use std::sync::Arc;

use sqlx::SqlitePool;

use crate::auth::replay::ReplayCache;
use crate::billing::Billing;
use crate::config::Settings;
use crate::robot::Robot;
use crate::vault::Vault;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub settings: Settings,
    pub db: SqlitePool,
    pub vault: Vault,
    pub replay: ReplayCache,
    /// `PUBLIC_URL` without a trailing slash: the prefix of every URL a client signs.
    pub public_base: String,
    pub billing: Billing,
    pub robot: Robot,
}

impl AppState {
    pub fn new(
        settings: Settings,
        db: SqlitePool,
        vault: Vault,
        public_base: String,
        billing: Billing,
        robot: Robot,
    ) -> Self {
        let public_base = public_base.trim_end_matches('/').to_string();
        Self(Arc::new(Inner {
            settings,
            db,
            vault,
            replay: ReplayCache::default(),
            public_base,
            billing,
            robot,
        }))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
