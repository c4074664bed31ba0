//! Reading a hosted relay as the relay itself: the platform holds each relay's secret key,
//! so its clients sign NIP-42 AUTH as the relay, which zooid lets read everything.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Context;
use nostr_sdk::{Client, Event, Filter, Keys};
use parking_lot::Mutex;

use crate::db::livekit_relays::LivekitRelay;
use crate::vault::Vault;

/// How long one read may wait for the relay's EOSE.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

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

/// One read-only client per relay, kept between token requests.
#[derive(Default)]
pub struct Readers {
    clients: Mutex<HashMap<String, (String, Client)>>,
}

impl Readers {
    /// Events matching `filter` on the relay, read as the relay.
    pub async fn fetch(
        &self,
        vault: &Vault,
        relay: &LivekitRelay,
        url: &str,
        filter: Filter,
    ) -> anyhow::Result<Vec<Event>> {
        let client = self.client(vault, relay, url).await?;
        let events = client
            .fetch_events(filter, FETCH_TIMEOUT)
            .await
            .with_context(|| format!("reading from relay {url}"))?;
        Ok(events.into_iter().collect())
    }

    async fn client(
        &self,
        vault: &Vault,
        relay: &LivekitRelay,
        url: &str,
    ) -> anyhow::Result<Client> {
        let existing = self.clients.lock().get(&relay.id).cloned();
        if let Some((known_url, client)) = existing {
            if known_url == url {
                return Ok(client);
            }
            client.shutdown().await;
        }
        let client = connect(relay_keys(vault, relay)?, url).await?;
        client.wait_for_connection(FETCH_TIMEOUT).await;
        self.clients
            .lock()
            .insert(relay.id.clone(), (url.to_string(), client.clone()));
        Ok(client)
    }

    pub async fn shutdown(&self) {
        let clients: Vec<Client> = self.clients.lock().drain().map(|(_, (_, c))| c).collect();
        for client in clients {
            client.shutdown().await;
        }
    }
}
