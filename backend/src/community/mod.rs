//! Running a relay's community as the relay itself. The platform holds each relay's secret
//! key, and zooid lets the relay's own key do everything: read the relay's member list
//! (NIP-43 kind 13534, over a NIP-42-authenticated connection) and manage members through
//! NIP-86. The rules (limits, roles, who may ask) are the platform's: see
//! [`crate::lifecycle::community`].

pub mod claims;
pub mod export;
pub mod members;
pub mod moderation;
pub mod nip86;
pub mod read;
pub mod socket;
mod sweep;
pub mod watcher;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use nostr_sdk::{Keys, SecretKey};
use url::Url;

use crate::lifecycle::{self, community::Counted};
use crate::provision::Provisioner;
use crate::vault::{Vault, relay_secret_context};

/// How long one call to a relay may take.
pub const RELAY_TIMEOUT: Duration = Duration::from_secs(5);

/// The relay's own keys, unsealed.
pub fn relay_keys(vault: &Vault, relay_id: &str, sealed: &[u8]) -> anyhow::Result<Keys> {
    let secret = vault.open_sealed(&relay_secret_context(relay_id), sealed)?;
    let secret = std::str::from_utf8(&secret)
        .ok()
        .and_then(|hex| SecretKey::from_hex(hex.trim()).ok())
        .with_context(|| format!("the stored secret key of relay {relay_id} is not a key"))?;
    Ok(Keys::new(secret))
}

/// A relay's NIP-86 URL: its WebSocket URL over HTTP, at the root (`wss://h/` → `https://h/`).
pub fn management_url(relay_url: &str) -> anyhow::Result<String> {
    let mut url = Url::parse(relay_url).with_context(|| format!("relay URL {relay_url}"))?;
    let scheme = match url.scheme() {
        "wss" => "https",
        "ws" => "http",
        other => other,
    }
    .to_string();
    url.set_scheme(&scheme)
        .map_err(|()| anyhow::anyhow!("relay URL {relay_url} has no HTTP form"))?;
    url.set_path("/");
    url.set_query(None);
    Ok(url.to_string())
}

/// A relay, spoken to as itself.
pub struct AsRelay {
    keys: Keys,
    relay_url: String,
    management_url: String,
}

impl AsRelay {
    /// The relay `id` at `relay_url`, with its sealed key from the database.
    pub async fn open(
        db: &sqlx::SqlitePool,
        vault: &Vault,
        id: &str,
        relay_url: String,
    ) -> anyhow::Result<Self> {
        let sealed = crate::db::relays::sealed_secret(db, id)
            .await?
            .with_context(|| format!("relay {id} has no stored key"))?;
        Ok(Self {
            keys: relay_keys(vault, id, &sealed)?,
            management_url: management_url(&relay_url)?,
            relay_url,
        })
    }

    /// The relay's members, from its own newest list.
    pub async fn members(&self) -> Result<Vec<members::Member>, RelayError> {
        members::read(&self.keys, &self.relay_url).await
    }

    /// Up to `limit` reports made on the relay, newest first.
    pub async fn reports(
        &self,
        limit: usize,
        until: Option<i64>,
    ) -> Result<Vec<moderation::Report>, RelayError> {
        moderation::reports(&self.keys, &self.relay_url, limit, until).await
    }

    /// Every event the relay serves, as JSON Lines (see [`export`]).
    pub async fn export(
        &self,
    ) -> Result<tokio::sync::mpsc::Receiver<Result<bytes::Bytes, std::io::Error>>, RelayError> {
        export::start(self.keys.clone(), self.relay_url.clone()).await
    }

    /// Calls a NIP-86 method as the relay.
    pub async fn manage(
        &self,
        method: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, RelayError> {
        nip86::call(
            nip86::http(),
            &self.keys,
            &self.management_url,
            method,
            params,
        )
        .await
    }
}

/// Records member counts read from relays, wherever they were read (the watcher, the
/// members page): the count, the joins closing or opening at the limit (a sync), and the
/// owner's notice when a relay goes over its limit.
#[derive(Clone)]
pub struct Counter {
    pub db: sqlx::SqlitePool,
    pub life: lifecycle::Ctx,
    pub provisioner: Arc<Provisioner>,
    pub outbox_wake: Arc<tokio::sync::Notify>,
}

impl Counter {
    pub async fn record(&self, relay_id: &str, members: i64) -> Result<Counted, lifecycle::Error> {
        let mut tx = crate::db::begin_write(&self.db).await?;
        let Some(relay) = crate::db::relays::get(&mut *tx, relay_id).await? else {
            return Err(lifecycle::Refusal::RelayNotFound.into());
        };
        if relay.member_count == Some(members) {
            tx.rollback().await?;
            return Ok(Counted {
                doors_changed: false,
                went_over: false,
            });
        }
        let host = self.life.host(&relay.subdomain);
        let link = format!("{}/relays/{}", self.life.public_base, relay.id);
        let notice = |n: i64, max: i64| {
            format!(
                "Your relay {host} has {n} members and its plan allows {max}. Nobody was removed, \
                 but nobody new can join until you upgrade the plan or remove members: {link}"
            )
        };
        let now = crate::clock::unix_now();
        let counted = lifecycle::community::counted(&mut tx, &relay, members, notice, now).await?;
        tx.commit().await?;
        if counted.doors_changed {
            self.provisioner.kick();
            self.provisioner.kick_claims();
        }
        if counted.went_over {
            self.outbox_wake.notify_one();
        }
        Ok(counted)
    }
}

/// Why a relay did not do what the platform asked.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// It could not be reached or did not answer in time.
    #[error("the relay cannot be reached: {0}")]
    Unreachable(String),
    /// It answered with an error.
    #[error("the relay refused: {0}")]
    Refused(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_management_url_is_the_relay_over_http_at_its_root() {
        assert_eq!(
            management_url("wss://my-relay.example.com").unwrap(),
            "https://my-relay.example.com/"
        );
        assert_eq!(
            management_url("ws://127.0.0.1:7000/some/path?x=1").unwrap(),
            "http://127.0.0.1:7000/"
        );
    }
}
