//! One relay's watch: a subscription (as the relay) to its kind 30312 and kind 5 events, the
//! room book they build, and the LiveKit rooms that follow the book.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use nostr_sdk::{Client, Filter, Kind, RelayMessage, RelayPoolNotification};
use parking_lot::Mutex;
use sqlx::SqlitePool;

use super::rooms::{self, Book, Change, ROOM_KIND, Room, Seen};
use super::{Livekit, WatchState, relay_link};
use crate::clock::unix_now;
use crate::db::{self, livekit_relays::LivekitRelay};
use crate::vault::Vault;

/// A room nobody joined stays this long before LiveKit closes it; each sweep re-creates it.
const EMPTY_TIMEOUT_SECS: u32 = 24 * 3600;
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// One relay's subscription and the LiveKit rooms that follow it.
pub(super) struct RelayTask {
    pub relay: LivekitRelay,
    pub db: SqlitePool,
    pub url: String,
    pub vault: Vault,
    pub livekit: Arc<Livekit>,
    pub synced: Arc<AtomicBool>,
    pub live: Arc<Mutex<HashSet<String>>>,
}

impl RelayTask {
    pub async fn run(self) {
        let mut backoff = Duration::from_secs(1);
        loop {
            self.report("connecting", None, 0);
            let error = match self.watch().await {
                Ok(()) => None,
                Err(e) => Some(format!("{e:#}")),
            };
            self.synced.store(false, Ordering::Release);
            self.report("disconnected", error, 0);
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    fn report(&self, state: &str, last_error: Option<String>, live_rooms: usize) {
        self.livekit.set_watch(WatchState {
            relay: self.relay.id.clone(),
            url: self.url.clone(),
            state: state.to_string(),
            live_rooms,
            last_error,
            since: unix_now(),
        });
    }

    async fn watch(&self) -> anyhow::Result<()> {
        let keys = relay_link::relay_keys(&self.vault, &self.relay)?;
        let client = relay_link::connect(keys, &self.url).await?;
        let result = self.follow(&client).await;
        client.shutdown().await;
        result
    }

    async fn follow(&self, client: &Client) -> anyhow::Result<()> {
        let mut notifications = client.notifications();
        let filter = Filter::new().kinds([ROOM_KIND, Kind::EventDeletion]);
        let subscription = client.subscribe(filter, None).await?.val;
        let mut book = Book::default();
        let sweep = self.livekit.options.sweep;
        loop {
            let now = unix_now() as u64;
            let wait = book
                .next_expiry(now)
                .map(|at| Duration::from_secs(at.saturating_sub(now)).min(sweep))
                .unwrap_or(sweep);
            let notification = tokio::select! {
                n = notifications.recv() => n?,
                _ = tokio::time::sleep(wait + Duration::from_millis(50)) => {
                    let connected = match client.relay(self.url.as_str()).await {
                        Ok(relay) => relay.is_connected(),
                        Err(_) => false,
                    };
                    if !connected {
                        // The client reconnects and re-subscribes by itself; until the relay's
                        // stored events are read again, cleanup leaves this relay's rooms alone.
                        self.synced.store(false, Ordering::Release);
                        let why = "the connection to the relay dropped; reconnecting".to_string();
                        self.report("disconnected", Some(why), 0);
                    } else if self.synced.load(Ordering::Acquire) {
                        self.reconcile(&book, true).await;
                    }
                    continue;
                }
            };
            match notification {
                RelayPoolNotification::Event {
                    event,
                    subscription_id,
                    ..
                } if subscription_id == subscription => {
                    let change = if event.kind == Kind::EventDeletion {
                        book.apply_deletion(&event)
                            .into_iter()
                            .any(|c| c != Change::Unchanged)
                    } else if let Some(room) = Room::from_event(&event) {
                        self.remember(&room).await;
                        book.apply_room(room, unix_now() as u64) != Change::Unchanged
                    } else {
                        false
                    };
                    if change && self.synced.load(Ordering::Acquire) {
                        self.reconcile(&book, false).await;
                    }
                }
                RelayPoolNotification::Message {
                    message: RelayMessage::EndOfStoredEvents(id),
                    ..
                } if *id == subscription => {
                    self.synced.store(true, Ordering::Release);
                    self.reconcile(&book, true).await;
                }
                RelayPoolNotification::Message {
                    message:
                        RelayMessage::Closed {
                            subscription_id,
                            message,
                        },
                    ..
                } if subscription_id.as_ref() == &subscription
                    && !message.starts_with("auth-required") =>
                {
                    // `auth-required` is retried by the client once it has authenticated.
                    anyhow::bail!("the relay closed the subscription: {message}");
                }
                RelayPoolNotification::Shutdown => anyhow::bail!("the client shut down"),
                _ => {}
            }
        }
    }

    /// Remembers a room version, so a token request can still tell it expired or was deleted
    /// once the relay no longer serves it (after a restart too).
    async fn remember(&self, room: &Room) {
        let row = Seen::from(room).to_row();
        if let Err(e) = db::livekit_rooms::remember(&self.db, &self.relay.id, &row).await {
            tracing::warn!(relay = %self.relay.id, error = %e, "livekit watcher: remembering a room failed");
        }
    }

    /// Makes LiveKit hold exactly the live rooms; `force` re-creates all (idempotent).
    async fn reconcile(&self, book: &Book, force: bool) {
        let Some(service) = &self.livekit.service else {
            return;
        };
        let now = unix_now() as u64;
        let desired: HashMap<String, String> = book
            .live(now)
            .map(|room| {
                (
                    rooms::livekit_room_name(&self.relay.schema, &room.address),
                    room.address.to_string(),
                )
            })
            .collect();
        let (to_create, to_delete) = {
            let mut live = self.live.lock();
            let create: Vec<(String, String)> = desired
                .iter()
                .filter(|(name, _)| force || !live.contains(*name))
                .map(|(n, a)| (n.clone(), a.clone()))
                .collect();
            let delete: Vec<String> = live
                .iter()
                .filter(|n| !desired.contains_key(*n))
                .cloned()
                .collect();
            // Marked before the calls, so a concurrent cleanup never removes a room being made.
            live.extend(desired.keys().cloned());
            (create, delete)
        };
        let mut error = None;
        for (name, address) in to_create {
            if let Err(e) = service
                .rooms
                .create_room(&name, EMPTY_TIMEOUT_SECS, &address)
                .await
            {
                error = Some(format!("{e:#}"));
            }
        }
        for name in to_delete {
            match service.rooms.delete_room(&name).await {
                Ok(()) => {
                    self.live.lock().remove(&name);
                }
                Err(e) => error = Some(format!("{e:#}")),
            }
        }
        if let Some(e) = &error {
            tracing::warn!(relay = %self.relay.id, error = %e, "livekit watcher: LiveKit call failed");
        }
        self.report("connected", error, desired.len());
    }
}
