//! Reading a hosted relay as the relay itself: the platform holds each relay's secret key,
//! so its clients sign NIP-42 AUTH as the relay, which zooid lets read everything.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use nostr_sdk::{Client, Event, Filter, Keys};
use parking_lot::Mutex;

use crate::db::livekit_relays::LivekitRelay;
use crate::vault::Vault;

/// How long one read may wait for the relay's EOSE.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a token request may wait to connect to a relay it holds no connection to.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// The relay's own keys, unsealed.
pub fn relay_keys(vault: &Vault, relay: &LivekitRelay) -> anyhow::Result<Keys> {
    crate::community::relay_keys(vault, &relay.id, &relay.secret_enc)
}

/// A connected client that signs as the relay, answering AUTH challenges automatically.
pub async fn connect(keys: Keys, url: &str) -> anyhow::Result<Client> {
    let client = Client::builder().signer(keys).build();
    client
        .add_relay(url)
        .await
        .with_context(|| format!("adding relay {url}"))?;
    client.connect().await;
    Ok(client)
}

/// One read-only client per relay, kept between token requests while its connection lasts.
#[derive(Default)]
pub struct Readers {
    clients: Mutex<HashMap<String, Reader>>,
    made: AtomicU64,
}

/// A kept client, with the URL it reads and a number that tells it from its successors.
#[derive(Clone)]
struct Reader {
    url: String,
    client: Client,
    serial: u64,
}

impl Readers {
    /// The relay's stored events matching `filter`, read as the relay. An error when the relay
    /// cannot be reached, refuses the read or does not finish it (EOSE) in time: an answer of
    /// no events always comes from the relay itself.
    pub async fn fetch(
        &self,
        vault: &Vault,
        relay: &LivekitRelay,
        url: &str,
        filter: Filter,
    ) -> anyhow::Result<Vec<Event>> {
        let reader = self.reader(vault, relay, url).await?;
        let read = crate::community::read::read_stored(&reader.client, url, filter, FETCH_TIMEOUT)
            .await
            .with_context(|| format!("reading from relay {url}"));
        if read.is_err() {
            // The next request starts from a fresh connection.
            self.forget(&relay.id, &reader).await;
        }
        read
    }

    /// The kept client if it is still connected; otherwise a new one, connected now. A relay
    /// that refuses the connection fails at once rather than after a timeout.
    async fn reader(
        &self,
        vault: &Vault,
        relay: &LivekitRelay,
        url: &str,
    ) -> anyhow::Result<Reader> {
        let kept = self.clients.lock().get(&relay.id).cloned();
        if let Some(reader) = kept {
            let connected = match reader.client.relay(url).await {
                Ok(r) => r.is_connected(),
                Err(_) => false,
            };
            if reader.url == url && connected {
                return Ok(reader);
            }
            self.forget(&relay.id, &reader).await;
        }
        let client = Client::builder().signer(relay_keys(vault, relay)?).build();
        client
            .add_relay(url)
            .await
            .with_context(|| format!("adding relay {url}"))?;
        if let Err(e) = client.try_connect_relay(url, CONNECT_TIMEOUT).await {
            client.shutdown().await;
            return Err(e).with_context(|| format!("connecting to relay {url}"));
        }
        let reader = Reader {
            url: url.to_string(),
            client,
            serial: self.made.fetch_add(1, Ordering::Relaxed),
        };
        // A client another request connected meanwhile is replaced; its reads finish first.
        self.clients.lock().insert(relay.id.clone(), reader.clone());
        Ok(reader)
    }

    /// Stops keeping `reader` (unless a newer one replaced it already) and shuts it down.
    async fn forget(&self, relay_id: &str, reader: &Reader) {
        {
            let mut clients = self.clients.lock();
            if clients
                .get(relay_id)
                .is_some_and(|kept| kept.serial == reader.serial)
            {
                clients.remove(relay_id);
            }
        }
        reader.client.shutdown().await;
    }

    pub async fn shutdown(&self) {
        let readers: Vec<Reader> = self.clients.lock().drain().map(|(_, r)| r).collect();
        for reader in readers {
            reader.client.shutdown().await;
        }
    }
}
