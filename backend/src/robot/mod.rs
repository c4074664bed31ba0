//! The platform's Nostr identity: its key, its profile and relay lists, and the NIP-17
//! private messages it sends through a durable outbox.

pub mod inbox;
pub mod profile;
pub mod worker;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use nostr_sdk::{Client, Event, Keys, PublicKey, RelayUrl, SecretKey};

use crate::config::RobotSettings;

const KEY_FILE: &str = "robot.key";

/// The robot: its keys and one relay pool, shared by the profile publisher and the outbox
/// worker. The pool answers NIP-42 AUTH challenges with the robot's key.
#[derive(Clone)]
pub struct Robot {
    keys: Keys,
    client: Client,
    pub settings: Arc<RobotSettings>,
    pub inboxes: Arc<inbox::Cache>,
    /// How many times the profile publisher has finished (tests wait on it).
    profile_passes: Arc<AtomicU64>,
}

impl std::fmt::Debug for Robot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Robot")
            .field("pubkey", &self.keys.public_key().to_hex())
            .finish_non_exhaustive()
    }
}

impl Robot {
    pub fn new(keys: Keys, settings: RobotSettings) -> Self {
        let client = Client::builder().signer(keys.clone()).build();
        Self {
            keys,
            client,
            settings: Arc::new(settings),
            inboxes: Arc::new(inbox::Cache::default()),
            profile_passes: Arc::default(),
        }
    }

    pub fn pubkey(&self) -> PublicKey {
        self.keys.public_key()
    }

    /// How many times the profile publisher has finished.
    pub fn profile_passes(&self) -> u64 {
        self.profile_passes.load(Ordering::Relaxed)
    }

    pub fn profile_pass_done(&self) {
        self.profile_passes.fetch_add(1, Ordering::Relaxed);
    }

    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Adds and connects the relays not yet in the pool; returns those usable now.
    pub async fn ensure_relays(&self, urls: &[String]) -> Vec<RelayUrl> {
        let mut ready = Vec::new();
        for url in urls {
            let Ok(relay) = RelayUrl::parse(url) else {
                continue;
            };
            if self.client.add_relay(relay.clone()).await.is_err() {
                continue;
            }
            let connected = self
                .client
                .relay(relay.clone())
                .await
                .is_ok_and(|r| r.is_connected())
                || self
                    .client
                    .try_connect_relay(relay.clone(), Duration::from_secs(5))
                    .await
                    .is_ok();
            if connected {
                ready.push(relay);
            }
        }
        ready
    }

    /// Publishes `event` to `urls`; returns the relays that accepted it.
    pub async fn publish(&self, urls: &[String], event: &Event) -> anyhow::Result<Vec<String>> {
        let relays = self.ensure_relays(urls).await;
        if relays.is_empty() {
            anyhow::bail!("none of {} relay(s) could be reached", urls.len());
        }
        let out = self
            .client
            .send_event_to(relays, event)
            .await
            .context("publishing to relays")?;
        let mut accepted: Vec<String> = out.success.iter().map(|u| u.to_string()).collect();
        accepted.sort();
        if accepted.is_empty() {
            let why: Vec<String> = out
                .failed
                .iter()
                .map(|(u, e)| format!("{u}: {e}"))
                .collect();
            anyhow::bail!("no relay accepted it ({})", why.join("; "));
        }
        Ok(accepted)
    }

    pub async fn shutdown(&self) {
        self.client.shutdown().await;
    }
}

/// `ROBOT_SECRET`, or the key kept in `DATA_DIR/robot.key` (created with mode 0600).
pub fn load_keys(configured: Option<&SecretKey>, data_dir: &Path) -> anyhow::Result<Keys> {
    if let Some(secret) = configured {
        return Ok(Keys::new(secret.clone()));
    }
    let path = data_dir.join(KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let secret = SecretKey::from_hex(text.trim()).with_context(|| {
                format!(
                    "{} is not a 64-hex secret key; restore it or set ROBOT_SECRET",
                    path.display()
                )
            })?;
            Ok(Keys::new(secret))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(data_dir)
                .with_context(|| format!("creating {}", data_dir.display()))?;
            let keys = Keys::generate();
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options
                .open(&path)
                .with_context(|| format!("creating {}", path.display()))?;
            file.write_all(keys.secret_key().to_secret_hex().as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            Ok(keys)
        }
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}
