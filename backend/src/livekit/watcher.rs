//! The room watcher: for every active relay whose plan includes LiveKit it subscribes, as
//! the relay, to kind 30312 and kind 5 events, and keeps one LiveKit room per live room
//! (created for `open`/`private`, deleted when closed, deleted by its author or expired).
//! Each sweep it re-reads the relays to watch, re-ensures live rooms (LiveKit closes idle
//! ones) and removes our rooms that no longer have a live event. All state is rebuilt from
//! the relays after a restart.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use parking_lot::Mutex;
use sqlx::SqlitePool;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::Livekit;
use super::relay_watch::RelayTask;
use super::rooms::ROOM_PREFIX;
use crate::config::Settings;
use crate::db::{self, livekit_relays::LivekitRelay};
use crate::telemetry::metrics::{self, Worker};
use crate::vault::Vault;

pub struct Watcher {
    pub db: SqlitePool,
    pub vault: Vault,
    pub settings: Arc<Settings>,
    pub livekit: Arc<Livekit>,
}

/// What the sweep needs to know of one relay's task.
struct Watched {
    url: String,
    schema: String,
    /// Stored rooms were read (EOSE): its `live` set is complete.
    synced: Arc<AtomicBool>,
    /// LiveKit room names that should exist.
    live: Arc<Mutex<HashSet<String>>>,
    task: JoinHandle<()>,
}

impl Watcher {
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        if self.livekit.service.is_none() {
            return;
        }
        let mut watched: HashMap<String, Watched> = HashMap::new();
        loop {
            let mut ok = true;
            match db::livekit_relays::watched(&self.db).await {
                Ok(relays) => self.follow(&mut watched, relays),
                Err(e) => {
                    ok = false;
                    tracing::warn!(error = %e, "livekit watcher: reading relays failed")
                }
            }
            if let Err(e) = self.cleanup(&watched).await {
                ok = false;
                tracing::warn!(error = format!("{e:#}"), "livekit watcher: cleanup failed");
            }
            if ok {
                metrics::worker_pass(Worker::Livekit);
            }
            tokio::select! {
                _ = tokio::time::sleep(self.livekit.options.sweep) => {}
                _ = stop.wait_for(|s| *s) => break,
            }
        }
        for (_, w) in watched.drain() {
            w.task.abort();
        }
        self.livekit.readers.shutdown().await;
    }

    /// Starts tasks for new relays (or moved URLs), stops those no longer watched.
    fn follow(&self, watched: &mut HashMap<String, Watched>, relays: Vec<LivekitRelay>) {
        let wanted: HashSet<String> = relays.iter().map(|r| r.id.clone()).collect();
        watched.retain(|id, w| {
            let keep = wanted.contains(id) && !w.task.is_finished();
            if !keep {
                w.task.abort();
                self.livekit.watch.lock().remove(id);
            }
            keep
        });
        for relay in relays {
            let url = self.settings.relay_url(&relay.subdomain);
            if watched.get(&relay.id).is_some_and(|w| w.url == url) {
                continue;
            }
            if let Some(old) = watched.remove(&relay.id) {
                old.task.abort();
            }
            let synced = Arc::new(AtomicBool::new(false));
            let live = Arc::new(Mutex::new(HashSet::new()));
            let task = RelayTask {
                relay: relay.clone(),
                db: self.db.clone(),
                url: url.clone(),
                vault: self.vault.clone(),
                livekit: self.livekit.clone(),
                synced: synced.clone(),
                live: live.clone(),
            };
            let task = tokio::spawn(task.run());
            watched.insert(
                relay.id.clone(),
                Watched {
                    url,
                    schema: relay.schema,
                    synced,
                    live,
                    task,
                },
            );
        }
    }

    /// Deletes our LiveKit rooms that belong to no watched relay, or to a relay whose
    /// stored rooms were read and which has no live event for them.
    async fn cleanup(&self, watched: &HashMap<String, Watched>) -> anyhow::Result<()> {
        let Some(service) = &self.livekit.service else {
            return Ok(());
        };
        let by_schema: HashMap<&str, &Watched> =
            watched.values().map(|w| (w.schema.as_str(), w)).collect();
        for name in service.rooms.list_rooms().await? {
            let Some(rest) = name.strip_prefix(ROOM_PREFIX) else {
                continue;
            };
            let schema = rest.split(':').next().unwrap_or_default();
            let stale = match by_schema.get(schema) {
                None => true,
                Some(w) => w.synced.load(Ordering::Acquire) && !w.live.lock().contains(&name),
            };
            if stale {
                tracing::info!(room = %name, "livekit watcher: removing a room without a live event");
                service.rooms.delete_room(&name).await?;
            }
        }
        Ok(())
    }
}
