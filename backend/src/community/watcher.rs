//! The member watcher: it records the count in every active relay's own member list (kind
//! 13534, read as the relay). Reaching the plan's limit closes the relay's joins at zooid,
//! dropping below reopens them ([`super::Counter`]).
//!
//! A relay that admits members without the platform (open joining, members who may invite,
//! co-admins or inviters, invites that are claims at zooid) is followed live, over a socket of its own, and re-read in full
//! every `MEMBERS_RECOUNT_SECS`. Every other relay only gains members through the platform,
//! which counts them as it adds them, or through its owner at zooid directly: those are
//! re-read once every `MEMBERS_RECOUNT_SECS` by a paced sweep ([`super::sweep`]), so idle
//! relays cost no socket and no task.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use nostr_sdk::{EventId, Keys, Timestamp};
use sqlx::SqlitePool;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;

use super::socket::{Incoming, Socket};
use super::{Counter, RelayError, members, relay_keys};
use crate::config::Settings;
use crate::db::{self, relays::Watched};
use crate::vault::Vault;

const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// Connections being opened at once. Each resolves a host name on the blocking thread pool,
/// which the server's reads share: a thousand relays whose names do not resolve must not
/// starve it.
const CONNECTING_AT_ONCE: usize = 16;
const SUBSCRIPTION: &str = "members";
/// The longest between two looks at which relays to watch.
const MAX_SWEEP: Duration = Duration::from_secs(30);

pub struct Watcher {
    pub db: SqlitePool,
    pub vault: Vault,
    pub settings: Arc<Settings>,
    pub counter: Counter,
}

struct Following {
    url: String,
    task: JoinHandle<()>,
}

impl Watcher {
    pub async fn run(self, stop: watch::Receiver<bool>) {
        tokio::join!(self.follow_live(stop.clone()), self.sweep(stop));
    }

    async fn follow_live(&self, mut stop: watch::Receiver<bool>) {
        let mut following: HashMap<String, Following> = HashMap::new();
        let connecting = Arc::new(Semaphore::new(CONNECTING_AT_ONCE));
        let sweep = self.settings.members_recount.min(MAX_SWEEP);
        loop {
            match db::relays::watched(&self.db).await {
                Ok(relays) => self.follow(&mut following, relays, &connecting),
                Err(e) => tracing::warn!(error = %e, "member watcher: reading relays failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(sweep) => {}
                _ = stop.wait_for(|s| *s) => break,
            }
        }
        for (_, f) in following.drain() {
            f.task.abort();
        }
    }

    fn follow(
        &self,
        following: &mut HashMap<String, Following>,
        relays: Vec<Watched>,
        connecting: &Arc<Semaphore>,
    ) {
        let wanted: HashMap<&str, &Watched> = relays.iter().map(|r| (r.id.as_str(), r)).collect();
        following.retain(|id, f| {
            let keep = wanted.contains_key(id.as_str()) && !f.task.is_finished();
            if !keep {
                f.task.abort();
            }
            keep
        });
        for relay in &relays {
            let url = self.settings.relay_url(&relay.subdomain);
            if following.get(&relay.id).is_some_and(|f| f.url == url) {
                continue;
            }
            if let Some(old) = following.remove(&relay.id) {
                old.task.abort();
            }
            let keys = match relay_keys(&self.vault, &relay.id, &relay.secret_enc) {
                Ok(k) => k,
                Err(e) => {
                    tracing::error!(relay = %relay.id, error = format!("{e:#}"), "member watcher: the relay's key does not open");
                    continue;
                }
            };
            let task = RelayMembers {
                id: relay.id.clone(),
                url: url.clone(),
                keys,
                counter: self.counter.clone(),
                recount: self.settings.members_recount,
                connecting: connecting.clone(),
            };
            let task = tokio::spawn(task.run());
            following.insert(relay.id.clone(), Following { url, task });
        }
    }
}

/// One relay's member list, followed.
struct RelayMembers {
    id: String,
    url: String,
    keys: Keys,
    counter: Counter,
    recount: Duration,
    connecting: Arc<Semaphore>,
}

impl RelayMembers {
    async fn run(self) {
        let mut backoff = Duration::from_secs(1);
        loop {
            let started = tokio::time::Instant::now();
            // Boxed: a task that waits (for its turn, or to retry) holds only its own few
            // fields, not the space a connection's future needs.
            let connected = {
                let _turn = self.connecting.acquire().await;
                Box::pin(Socket::connect(self.keys.clone(), &self.url)).await
            };
            let error = match connected {
                Ok(socket) => Box::pin(self.follow(socket)).await,
                Err(e) => e,
            };
            tracing::debug!(relay = %self.id, error = %error, "member watcher: following stopped; retrying");
            if started.elapsed() > MAX_BACKOFF {
                backoff = Duration::from_secs(1);
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    /// Follows the relay's member list until the connection fails; returns why. The one
    /// subscription brings the newest list, then every new one; asking again every
    /// `recount` re-reads the list in full.
    async fn follow(&self, mut socket: Socket) -> RelayError {
        let me = self.keys.public_key();
        loop {
            if let Err(e) = socket
                .subscribe(SUBSCRIPTION, members::list_filter(me))
                .await
            {
                return e;
            }
            // A full re-read is recorded even if it is the list seen before.
            let mut newest: Option<(Timestamp, EventId)> = None;
            let deadline = tokio::time::Instant::now() + self.recount;
            loop {
                let incoming = tokio::select! {
                    i = socket.next() => i,
                    _ = tokio::time::sleep_until(deadline) => break,
                };
                match incoming {
                    Ok(Incoming::Event(_, event)) if event.pubkey == me => {
                        self.consider(&event, &mut newest).await;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        socket.close().await;
                        return e;
                    }
                }
            }
        }
    }

    /// Records `list` unless a newer one was recorded already.
    async fn consider(&self, list: &nostr_sdk::Event, newest: &mut Option<(Timestamp, EventId)>) {
        let key = (list.created_at, list.id);
        let newer = newest.is_none_or(|(at, id)| key.0 > at || (key.0 == at && key.1 < id));
        if !newer {
            return;
        }
        *newest = Some(key);
        let count = members::listed(list, &self.keys.public_key()).len() as i64;
        if let Err(e) = self.counter.record(&self.id, count).await {
            tracing::warn!(relay = %self.id, error = %e, "member watcher: recording the count failed");
        }
    }
}
