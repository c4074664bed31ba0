//! A NIP-47 wallet service for tests and the benchmark, not for production: it answers
//! over a real relay, issues real signed BOLT11 invoices, and settles them on a shared
//! in-memory [`Ledger`] (a tiny Lightning network), notifying the payee's wallet.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use lightning_invoice::Currency;
use nostr_sdk::secp256k1::SecretKey as NodeKey;
use nostr_sdk::{
    Client, EventBuilder, Filter, Keys, Kind, PublicKey, RelayPoolNotification, Tag, TagKind,
    Timestamp,
};
use parking_lot::Mutex;
use rand::RngCore;
use tokio::sync::broadcast;

mod answer;
use answer::{answer, notify};

/// Invoices known to every test wallet, so one can pay what another issued.
#[derive(Clone)]
pub struct Ledger {
    invoices: Arc<Mutex<HashMap<String, Entry>>>,
    settled: broadcast::Sender<(PublicKey, String)>,
}

#[derive(Clone)]
pub(super) struct Entry {
    issuer: PublicKey,
    bolt11: String,
    description: String,
    amount_msat: u64,
    preimage: String,
    created_at: u64,
    expires_at: u64,
    settled_at: Option<u64>,
}

impl Default for Ledger {
    fn default() -> Self {
        Self {
            invoices: Arc::default(),
            settled: broadcast::channel(4096).0,
        }
    }
}

impl Ledger {
    /// Pays an invoice from outside any test wallet (a tenant paying by hand).
    pub fn pay_externally(&self, payment_hash: &str, now: u64) -> bool {
        self.settle(payment_hash, now).is_some()
    }

    /// How many times invoices were settled, by payment hash.
    pub fn is_settled(&self, payment_hash: &str) -> bool {
        self.invoices
            .lock()
            .get(payment_hash)
            .is_some_and(|e| e.settled_at.is_some())
    }

    fn settle(&self, payment_hash: &str, now: u64) -> Option<String> {
        let mut all = self.invoices.lock();
        let entry = all.get_mut(payment_hash)?;
        if entry.settled_at.is_some() || entry.expires_at <= now {
            return None;
        }
        entry.settled_at = Some(now);
        let _ = self.settled.send((entry.issuer, payment_hash.to_string()));
        Some(entry.preimage.clone())
    }
}

/// How `pay_invoice` behaves, to play out failures.
/// Which NIP-47 encryption the wallet offers and answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encryption {
    Nip44,
    Nip04,
}

#[derive(Debug, Clone)]
pub enum PayMode {
    Pay,
    /// Pays, then never answers (the client times out).
    PayWithoutAnswer,
    /// Answers with this NIP-47 error code (e.g. `QUOTA_EXCEEDED`) and message.
    Refuse(&'static str, String),
}

/// What the test wallet does.
pub struct Options {
    pub encryption: Encryption,
    /// Delay before each answer.
    pub latency: Duration,
    pub network: Currency,
    pub balance_msat: u64,
    /// Whether answers carry a `p` tag (some wallets send only `e`).
    pub p_tag: bool,
    /// A broken wallet: every invoice has the same preimage, so the same payment hash.
    pub reuse_preimage: bool,
    /// The wallet's clock, in unix seconds (tests move it through months).
    pub now: Arc<dyn Fn() -> u64 + Send + Sync>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            encryption: Encryption::Nip44,
            latency: Duration::ZERO,
            network: Currency::Regtest,
            balance_msat: 1_000_000_000,
            p_tag: true,
            reuse_preimage: false,
            now: Arc::new(|| Timestamp::now().as_secs()),
        }
    }
}

/// A running wallet service with one client connection.
pub struct WalletService {
    keys: Keys,
    client_keys: Keys,
    relay: String,
    state: Arc<State>,
    client: Client,
}

struct State {
    opts: Options,
    node: NodeKey,
    ledger: Ledger,
    balance: Mutex<u64>,
    pay_mode: Mutex<PayMode>,
    pay_calls: AtomicUsize,
    requests: AtomicUsize,
}

impl WalletService {
    pub async fn start(relay: &str, ledger: Ledger, opts: Options) -> anyhow::Result<Self> {
        let keys = Keys::generate();
        let client_keys = Keys::generate();
        let client = Client::new(keys.clone());
        client.add_relay(relay).await?;
        client.try_connect(Duration::from_secs(5)).await;
        let mut node_bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut node_bytes);
        let state = Arc::new(State {
            balance: Mutex::new(opts.balance_msat),
            opts,
            node: NodeKey::from_slice(&node_bytes)?,
            ledger: ledger.clone(),
            pay_mode: Mutex::new(PayMode::Pay),
            pay_calls: AtomicUsize::new(0),
            requests: AtomicUsize::new(0),
        });
        let scheme = match state.opts.encryption {
            Encryption::Nip44 => "nip44_v2",
            Encryption::Nip04 => "nip04",
        };
        let info = EventBuilder::new(
            Kind::WalletConnectInfo,
            "pay_invoice get_balance make_invoice lookup_invoice get_info notifications",
        )
        .tags([
            Tag::custom(TagKind::custom("encryption"), [scheme]),
            Tag::custom(TagKind::custom("notifications"), ["payment_received"]),
        ])
        .sign_with_keys(&keys)?;
        client.send_event(&info).await?;
        let mut events = client.notifications();
        let filter = Filter::new()
            .kind(Kind::WalletConnectRequest)
            .pubkey(keys.public_key());
        client.subscribe(filter, None).await?;
        let mut settled = ledger.settled.subscribe();
        let service = Self {
            keys,
            client_keys,
            relay: relay.to_string(),
            state,
            client,
        };
        let (me, them, st, cl) = (
            service.keys.clone(),
            service.client_keys.public_key(),
            service.state.clone(),
            service.client.clone(),
        );
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    note = events.recv() => match note {
                        Ok(RelayPoolNotification::Event { event, .. }) => {
                            let (me, st, cl) = (me.clone(), st.clone(), cl.clone());
                            tokio::spawn(async move { answer(&me, &st, &cl, *event).await });
                        }
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(_) => break,
                    },
                    paid = settled.recv() => match paid {
                        Ok((issuer, hash)) if issuer == me.public_key() => {
                            notify(&me, them, &st, &cl, &hash).await;
                        }
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(_) => break,
                    },
                }
            }
        });
        Ok(service)
    }

    /// The connection URI a client (the platform or a tenant) uses for this wallet.
    pub fn uri(&self) -> String {
        format!(
            "nostr+walletconnect://{}?relay={}&secret={}",
            self.keys.public_key().to_hex(),
            url::form_urlencoded::byte_serialize(self.relay.as_bytes()).collect::<String>(),
            self.client_keys.secret_key().to_secret_hex()
        )
    }

    pub fn set_pay_mode(&self, mode: PayMode) {
        *self.state.pay_mode.lock() = mode;
    }

    /// How many `pay_invoice` requests actually moved money.
    pub fn payments_made(&self) -> usize {
        self.state.pay_calls.load(Ordering::SeqCst)
    }

    /// How many requests the wallet answered (or received, for unanswered ones).
    pub fn requests_seen(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }

    pub async fn stop(&self) {
        self.client.shutdown().await;
    }
}
