//! LiveKit for hosted communities: join tokens for NIP-53 rooms held on hosted relays,
//! LiveKit's webhooks (single-use sessions), and the watcher that keeps LiveKit's rooms in
//! step with the rooms' Nostr events.

pub mod checks;
pub mod error;
pub mod jwt;
pub mod limits;
pub mod relay_link;
pub mod relay_watch;
pub mod rooms;
pub mod token;
pub mod twirp;
pub mod watcher;
pub mod webhook;

use std::collections::BTreeMap;
use std::sync::Arc;

use parking_lot::Mutex;
use serde::Serialize;
use utoipa::ToSchema;

use crate::config::{LivekitOptions, LivekitSettings, Settings};
pub use error::LivekitError;

/// The LiveKit side of the platform, shared by the API and the watcher.
pub struct Livekit {
    /// `None` when LiveKit is not configured.
    pub service: Option<Configured>,
    pub options: LivekitOptions,
    pub limiter: limits::RateLimiter,
    pub sessions: webhook::Sessions,
    pub readers: relay_link::Readers,
    /// The watcher's connection to each relay, by relay id.
    pub watch: Mutex<BTreeMap<String, WatchState>>,
}

/// What is needed to talk to a configured LiveKit server.
pub struct Configured {
    pub settings: LivekitSettings,
    pub rooms: twirp::RoomService,
}

/// The watcher's view of one relay, for admins.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WatchState {
    pub relay: String,
    pub url: String,
    /// `connecting`, `connected` (subscribed, stored rooms read) or `disconnected`.
    pub state: String,
    /// Rooms with a live event, each with a LiveKit room.
    pub live_rooms: usize,
    pub last_error: Option<String>,
    /// When the state last changed (unix seconds).
    pub since: i64,
}

impl Livekit {
    pub fn new(settings: &Settings) -> anyhow::Result<Arc<Self>> {
        let service = match &settings.livekit {
            Some(lk) => Some(Configured {
                settings: lk.clone(),
                rooms: twirp::RoomService::new(lk)?,
            }),
            None => None,
        };
        Ok(Arc::new(Self {
            service,
            options: settings.livekit_options.clone(),
            limiter: limits::RateLimiter::new(&settings.livekit_options),
            sessions: webhook::Sessions::default(),
            readers: relay_link::Readers::default(),
            watch: Mutex::new(BTreeMap::new()),
        }))
    }

    /// Records a relay's watch state; `since` moves only when the state itself changes.
    pub fn set_watch(&self, mut state: WatchState) {
        let mut watch = self.watch.lock();
        if let Some(old) = watch.get(&state.relay)
            && old.state == state.state
        {
            state.since = old.since;
        }
        watch.insert(state.relay.clone(), state);
    }
}
