//! A zooid stand-in: the management API (`/relay/{id}` with POST, PUT, PATCH, DELETE, and
//! `GET /relay/{id}/members`) on one port, and on a second port what zooid serves per relay
//! host: the relay itself over WebSocket (NIP-42 AUTH required) and NIP-86 on `POST /`.
//!
//! It enforces what zooid does (routes, status codes, whitelist, its validations, the
//! duplicate schema/host check, PATCH merge semantics) and is stricter where zooid is
//! lax, so our requests are held to the full rules: NIP-98 is checked in full (id,
//! signature, ±60 s, `u`, `method`, `payload`), and a config that would crash a real
//! zooid (unsafe schema, empty owner pubkey) is answered 500 and recorded as a crash.
//! Every stored config reloads its relay as zooid does: the owner, role pubkeys and the
//! relay key become members, announced with relay-signed 8000 and 13534 events.
//! It can be told to fail: a status, a delay, a hang, or going offline (both ports).
//!
//! All relays share the relay port, so `X-Relay-Id` stands in for zooid's Host routing on
//! NIP-86 calls not signed by the relay's own key (see `zooid/nip86.rs`).

mod api;
mod auth;
mod front;
mod members;
mod nip86;
mod relay;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use nostr_sdk::{Keys, PublicKey};
use parking_lot::Mutex;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use api::Store;
use members::{Community, relay_keys};
pub use nip86::{Nip86Call, RPC_CONTENT_TYPE};

/// One request as received, and what was answered (0 while unanswered).
#[derive(Debug, Clone)]
pub struct Logged {
    pub method: String,
    pub id: String,
    pub body: Option<Value>,
    pub status: u16,
}

#[derive(Default)]
struct Behaviour {
    fail_with: Option<u16>,
    delay: Duration,
    hang: bool,
}

struct Shared {
    whitelist: Vec<PublicKey>,
    configs: Mutex<Store>,
    log: Mutex<Vec<Logged>>,
    crashes: Mutex<Vec<String>>,
    behaviour: Mutex<Behaviour>,
    community: Community,
    nip86_log: Mutex<Vec<Nip86Call>>,
    /// Set while down, for requests on connections that were open before.
    down: AtomicBool,
    skip_reloads: AtomicBool,
    /// Whether NIP-86 offers `listclaims`, `createclaim` and `deleteclaim` (zooid since
    /// April 2026; not the commit the deploy stack pins).
    claims: AtomicBool,
    /// The relay host of every WebSocket opened by name (not by bare address), in order.
    ws_hosts: Mutex<Vec<String>>,
}

pub struct ZooidStandIn {
    addr: SocketAddr,
    relay_addr: SocketAddr,
    shared: Arc<Shared>,
    /// The management API, the relay port's accept loop and its HTTP side.
    servers: Mutex<Vec<JoinHandle<()>>>,
}

impl ZooidStandIn {
    /// Starts on 127.0.0.1 with two ephemeral ports (management API, relays); only
    /// `whitelist` may call the management API.
    pub async fn start(whitelist: &[PublicKey]) -> Self {
        Self::start_on(whitelist, [127, 0, 0, 1].into(), 0).await
    }

    /// Starts with both ports on `ip` (another loopback address, as a second machine
    /// would have its own), the relay port on `relay_port` (0: any free one).
    pub async fn start_on(whitelist: &[PublicKey], ip: std::net::IpAddr, relay_port: u16) -> Self {
        let shared = Arc::new(Shared {
            whitelist: whitelist.to_vec(),
            configs: Mutex::default(),
            log: Mutex::default(),
            crashes: Mutex::default(),
            behaviour: Mutex::default(),
            community: Community::start().await,
            nip86_log: Mutex::default(),
            down: AtomicBool::new(false),
            skip_reloads: AtomicBool::new(false),
            claims: AtomicBool::new(true),
            ws_hosts: Mutex::default(),
        });
        Community::admit_joins(Arc::downgrade(&shared), |shared, id| {
            relay_keys(shared.configs.lock().configs.get(id)?)
        });
        let listener = TcpListener::bind((ip, 0))
            .await
            .expect("bind the zooid stand-in");
        let relay_listener = TcpListener::bind((ip, relay_port))
            .await
            .expect("bind the zooid stand-in's relay port");
        let this = Self {
            addr: listener.local_addr().expect("local addr"),
            relay_addr: relay_listener.local_addr().expect("local addr"),
            shared,
            servers: Mutex::new(Vec::new()),
        };
        this.serve(listener, relay_listener);
        this
    }

    fn serve(&self, listener: TcpListener, relay_listener: TcpListener) {
        let api = axum::Router::new()
            .fallback(api::handle)
            .with_state(self.shared.clone());
        let rpc = axum::Router::new()
            .route("/", axum::routing::post(nip86::handle))
            .with_state(self.shared.clone());
        let (http, requests) = tokio::sync::mpsc::channel(64);
        let relay = self.shared.community.hub.addr();
        let tasks = [
            tokio::spawn(async move {
                let _ = axum::serve(listener, api).await;
            }),
            tokio::spawn(front::accept_loop(
                relay_listener,
                relay,
                http,
                self.shared.clone(),
            )),
            tokio::spawn(async move {
                let _ = axum::serve(front::HttpSide(requests), rpc).await;
            }),
        ];
        self.shared.down.store(false, Ordering::SeqCst);
        *self.servers.lock() = tasks.into();
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The URL every relay is served on (`ws://127.0.0.1:PORT`); NIP-86 is `POST` to
    /// `http://127.0.0.1:PORT/`.
    pub fn relay_url(&self) -> String {
        format!("ws://{}", self.relay_addr)
    }

    /// Stops listening on both ports and drops relay connections: connections are refused
    /// (NIP-86 on a connection kept alive from before answers 503) until [`Self::come_back`].
    pub async fn go_down(&self) {
        self.shared.down.store(true, Ordering::SeqCst);
        let tasks = std::mem::take(&mut *self.servers.lock());
        for task in tasks {
            task.abort();
            let _ = task.await;
        }
    }

    /// Listens again on the same ports, with the configs and members it had.
    pub async fn come_back(&self) {
        let bind = |addr| async move {
            loop {
                match TcpListener::bind(addr).await {
                    Ok(l) => break l,
                    Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                }
            }
        };
        let listener = bind(self.addr).await;
        let relay_listener = bind(self.relay_addr).await;
        self.serve(listener, relay_listener);
    }

    /// Answer every request with this status (`None`: behave); on the relay port, NIP-86
    /// calls (WebSockets are not affected: [`Self::go_down`] takes the relays down).
    pub fn fail_with(&self, status: Option<u16>) {
        self.shared.behaviour.lock().fail_with = status;
    }

    /// Wait this long before answering each request (NIP-86 calls too).
    pub fn delay(&self, delay: Duration) {
        self.shared.behaviour.lock().delay = delay;
    }

    /// Never answer (until turned off): clients time out. NIP-86 calls too.
    pub fn hang(&self, hang: bool) {
        self.shared.behaviour.lock().hang = hang;
    }

    /// The stored config of relay `id`, as zooid would have it on disk.
    pub fn config(&self, id: &str) -> Option<Value> {
        self.shared.configs.lock().configs.get(id).cloned()
    }

    pub fn config_count(&self) -> usize {
        self.shared.configs.lock().configs.len()
    }

    /// Drops a config as if zooid's directory lost it.
    pub fn forget(&self, id: &str) {
        self.shared.configs.lock().remove(id);
    }

    pub fn requests(&self) -> Vec<Logged> {
        self.shared.log.lock().clone()
    }

    pub fn requests_for(&self, id: &str) -> Vec<Logged> {
        self.requests().into_iter().filter(|r| r.id == id).collect()
    }

    /// Configs that would have crashed a real zooid process.
    pub fn crashes(&self) -> Vec<String> {
        self.shared.crashes.lock().clone()
    }

    /// Config writes stop (or resume) reloading relays: no auto-members and no events.
    /// For benchmarks that measure the platform's side, not the stand-in's relay.
    pub fn skip_reloads(&self, skip: bool) {
        self.shared.skip_reloads.store(skip, Ordering::SeqCst);
    }

    /// Relay `id`'s members (hex, sorted), as its newest kind 13534 lists them.
    pub fn members(&self, id: &str) -> Vec<String> {
        sorted_hex(self.shared.community.members(id))
    }

    /// Relay `id`'s banned pubkeys (hex) with the reasons given, sorted by pubkey.
    pub fn banned(&self, id: &str) -> Vec<(String, String)> {
        let banned = self.shared.community.banned(id).into_iter();
        banned.map(|(pk, reason)| (pk.to_hex(), reason)).collect()
    }

    /// Relay `id`'s banned event ids (hex) with the reasons given, sorted by id.
    pub fn banned_events(&self, id: &str) -> Vec<(String, String)> {
        let banned = self.shared.community.banned_events(id).into_iter();
        banned.map(|(ev, reason)| (ev.to_hex(), reason)).collect()
    }

    /// Stores events as if their authors had published them (for seeding many at once;
    /// a test that checks writes goes over a WebSocket instead).
    pub async fn store(&self, events: &[nostr_sdk::Event]) {
        for event in events {
            self.shared.community.hub.store(event).await;
        }
    }

    /// `keys` joins relay `id` as an accepted kind 28934 would (public join or a valid
    /// claim): added, announced with 8000 and 13534. A member already: nothing happens.
    /// Refused as zooid refuses it when banned.
    pub async fn join(&self, keys: &Keys, id: &str) -> Result<(), String> {
        let relay = self.relay_keys(id)?;
        let community = &self.shared.community;
        if community.is_banned(id, &keys.public_key()) {
            return Err("invalid: you have been banned from this relay".into());
        }
        community.add(id, &relay, keys.public_key()).await;
        Ok(())
    }

    /// `keys` leaves relay `id` as with kind 28936: removed, announced with 8001 and 13534.
    pub async fn leave(&self, keys: &Keys, id: &str) -> Result<(), String> {
        let relay = self.relay_keys(id)?;
        self.shared
            .community
            .remove(id, &relay, keys.public_key())
            .await;
        Ok(())
    }

    /// Behave as a zooid without the claim methods (the commit the deploy stack pins):
    /// `listclaims`, `createclaim` and `deleteclaim` are unknown methods.
    pub fn without_claims(&self) {
        self.shared.claims.store(false, Ordering::SeqCst);
    }

    /// Relay `id`'s invite claims (sorted).
    pub fn claims(&self, id: &str) -> Vec<String> {
        self.shared.community.claims(id)
    }

    /// The relay port's address.
    pub fn relay_addr(&self) -> SocketAddr {
        self.relay_addr
    }

    /// The relay host of every WebSocket opened by name on this node, in order.
    pub fn ws_hosts(&self) -> Vec<String> {
        self.shared.ws_hosts.lock().clone()
    }

    /// Every NIP-86 call received on the relay port, in order.
    pub fn nip86_requests(&self) -> Vec<Nip86Call> {
        self.shared.nip86_log.lock().clone()
    }

    fn relay_keys(&self, id: &str) -> Result<Keys, String> {
        let configs = self.shared.configs.lock();
        let config = configs.configs.get(id).ok_or("relay not found")?;
        relay_keys(config).ok_or_else(|| "relay has no valid secret".into())
    }
}

impl Drop for ZooidStandIn {
    fn drop(&mut self) {
        for task in self.servers.lock().drain(..) {
            task.abort();
        }
    }
}

fn sorted_hex(pubkeys: Vec<PublicKey>) -> Vec<String> {
    let mut hex: Vec<String> = pubkeys.iter().map(PublicKey::to_hex).collect();
    hex.sort();
    hex.dedup();
    hex
}
