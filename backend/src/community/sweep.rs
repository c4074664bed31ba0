//! The member watcher's sweep: the active relays that only admit members through the
//! platform or their owner are re-read one page at a time, a few at once, each over a
//! short-lived socket, paced so that a pass over every active relay takes about
//! `MEMBERS_RECOUNT_SECS`. Nothing is held between two reads of a relay.

use futures::StreamExt;
use nostr_sdk::Keys;
use tokio::sync::watch;

use super::socket::{Incoming, Socket};
use super::watcher::Watcher;
use super::{RELAY_TIMEOUT, RelayError, members, relay_keys};
use crate::db::{self, relays::Watched};

/// Relays read from the database at a time.
const PAGE: i64 = 256;
/// Relays being read at once.
const AT_ONCE: usize = 8;
const SUBSCRIPTION: &str = "count";

impl Watcher {
    pub(super) async fn sweep(&self, mut stop: watch::Receiver<bool>) {
        let pass = self.settings.members_recount;
        let mut after = String::new();
        loop {
            let started = tokio::time::Instant::now();
            let page = match db::relays::swept(&self.db, &after, PAGE).await {
                Ok(page) => page,
                Err(e) => {
                    tracing::warn!(error = %e, "member sweep: reading relays failed");
                    Vec::new()
                }
            };
            let read = page.len();
            after = match page.last() {
                Some(last) if read as i64 == PAGE => last.id.clone(),
                _ => String::new(),
            };
            let reading =
                futures::stream::iter(page).for_each_concurrent(AT_ONCE, |relay| async move {
                    self.recount(relay).await;
                });
            tokio::select! {
                () = reading => {}
                _ = stop.wait_for(|s| *s) => return,
            }
            // This page's share of a pass over every active relay.
            let active = db::relays::active_count(&self.db).await.unwrap_or(0).max(1);
            let share = if read == 0 {
                pass
            } else {
                pass.mul_f64(read as f64 / active as f64)
            };
            tokio::select! {
                () = tokio::time::sleep(share.saturating_sub(started.elapsed())) => {}
                _ = stop.wait_for(|s| *s) => return,
            }
        }
    }

    async fn recount(&self, relay: Watched) {
        let keys = match relay_keys(&self.vault, &relay.id, &relay.secret_enc) {
            Ok(k) => k,
            Err(e) => {
                tracing::error!(relay = %relay.id, error = format!("{e:#}"), "member sweep: the relay's key does not open");
                return;
            }
        };
        let url = self.settings.relay_url(&relay.subdomain);
        let count = match tokio::time::timeout(RELAY_TIMEOUT, listed_once(keys, &url)).await {
            Ok(Ok(Some(count))) => count,
            // No list yet: nothing to record.
            Ok(Ok(None)) => return,
            Ok(Err(e)) => {
                tracing::debug!(relay = %relay.id, error = %e, "member sweep: reading the list failed");
                return;
            }
            Err(_) => {
                tracing::debug!(relay = %relay.id, "member sweep: reading the list timed out");
                return;
            }
        };
        if let Err(e) = self.counter.record(&relay.id, count).await {
            tracing::warn!(relay = %relay.id, error = %e, "member sweep: recording the count failed");
        }
    }
}

/// How many members the relay's newest list names, read once up to the end of stored events;
/// `None` when it has no list.
async fn listed_once(keys: Keys, url: &str) -> Result<Option<i64>, RelayError> {
    let me = keys.public_key();
    let mut socket = Socket::connect(keys, url).await?;
    socket
        .subscribe(SUBSCRIPTION, members::list_filter(me))
        .await?;
    let mut lists = Vec::new();
    loop {
        match socket.next().await? {
            Incoming::Event(_, event) if event.pubkey == me => lists.push(*event),
            Incoming::EndOfStored(_) => break,
            Incoming::Event(..) => {}
        }
    }
    socket.close().await;
    Ok(members::newest(lists.iter()).map(|list| members::listed(list, &me).len() as i64))
}
