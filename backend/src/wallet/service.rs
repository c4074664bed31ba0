//! A NIP-47 wallet service for tests and the benchmark, not for production: it answers
//! over a real relay, issues real signed BOLT11 invoices, and settles them on a shared
//! in-memory [`Ledger`] (a tiny Lightning network), notifying the payee's wallet.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use lightning_invoice::{Currency, InvoiceBuilder, PaymentSecret};
use nostr_sdk::hashes::{Hash, sha256};
use nostr_sdk::nips::nip47::{
    GetBalanceResponse, GetInfoResponse, LookupInvoiceResponse, MakeInvoiceResponse, Method,
    PayInvoiceResponse, Request, RequestParams, ResponseResult, TransactionState, TransactionType,
};
use nostr_sdk::nips::{nip04, nip44};
use nostr_sdk::secp256k1::{Secp256k1, SecretKey as NodeKey};
use nostr_sdk::{
    Client, Event, EventBuilder, Filter, JsonUtil, Keys, Kind, PublicKey, RelayPoolNotification,
    Tag, TagKind, Timestamp,
};
use parking_lot::Mutex;
use rand::RngCore;
use serde_json::{Value, json};
use tokio::sync::broadcast;

use super::{Code, Encryption};

/// Invoices known to every test wallet, so one can pay what another issued.
#[derive(Clone)]
pub struct Ledger {
    invoices: Arc<Mutex<HashMap<String, Entry>>>,
    settled: broadcast::Sender<(PublicKey, String)>,
}

#[derive(Clone)]
struct Entry {
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
#[derive(Debug, Clone)]
pub enum PayMode {
    Pay,
    /// Pays, then never answers (the client times out).
    PayWithoutAnswer,
    Refuse(Code, String),
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

async fn answer(me: &Keys, st: &State, client: &Client, event: Event) {
    if event.verify().is_err() {
        return;
    }
    st.requests.fetch_add(1, Ordering::SeqCst);
    let nip04_content = event.content.contains("?iv=");
    let wants_nip44 = event.tags.iter().any(|t| {
        t.as_slice().first().map(String::as_str) == Some("encryption")
            && t.as_slice().get(1).is_some_and(|v| v.contains("nip44_v2"))
    });
    let scheme = if nip04_content {
        Encryption::Nip04
    } else {
        Encryption::Nip44
    };
    let plain = match scheme {
        Encryption::Nip04 => nip04::decrypt(me.secret_key(), &event.pubkey, &event.content).ok(),
        Encryption::Nip44 => nip44::decrypt(me.secret_key(), &event.pubkey, &event.content).ok(),
    };
    let supported = scheme == st.opts.encryption && (wants_nip44 == (scheme == Encryption::Nip44));
    let body = match plain.and_then(|p| Request::from_json(p).ok()) {
        _ if !supported => error_json(
            "get_info",
            "UNSUPPORTED_ENCRYPTION",
            "use the scheme in my info event",
        ),
        None => error_json("get_info", "OTHER", "unreadable request"),
        Some(request) => {
            tokio::time::sleep(st.opts.latency).await;
            match handle(me, st, request) {
                Some(v) => v,
                None => return,
            }
        }
    };
    let content = match scheme {
        Encryption::Nip04 => nip04::encrypt(me.secret_key(), &event.pubkey, body.to_string()).ok(),
        Encryption::Nip44 => nip44::encrypt(
            me.secret_key(),
            &event.pubkey,
            body.to_string(),
            nip44::Version::V2,
        )
        .ok(),
    };
    let Some(content) = content else { return };
    let mut tags = vec![Tag::event(event.id)];
    if st.opts.p_tag {
        tags.push(Tag::public_key(event.pubkey));
    }
    if let Ok(reply) = EventBuilder::new(Kind::WalletConnectResponse, content)
        .tags(tags)
        .sign_with_keys(me)
    {
        let _ = client.send_event(&reply).await;
    }
}

fn error_json(method: &str, code: &str, message: &str) -> Value {
    json!({ "result_type": method, "error": { "code": code, "message": message }, "result": null })
}

fn ok_json(method: Method, result: ResponseResult) -> Value {
    json!({ "result_type": method.as_str(), "error": null, "result": result })
}

/// The answer to one request, or `None` to stay silent.
fn handle(me: &Keys, st: &State, request: Request) -> Option<Value> {
    let now = (st.opts.now)();
    let method = request.method;
    Some(match request.params {
        RequestParams::GetInfo => ok_json(
            method,
            ResponseResult::GetInfo(GetInfoResponse {
                alias: Some("test wallet".into()),
                color: None,
                pubkey: Some(me.public_key().to_hex()),
                network: Some("regtest".into()),
                block_height: Some(1),
                block_hash: None,
                methods: vec![
                    Method::PayInvoice,
                    Method::MakeInvoice,
                    Method::LookupInvoice,
                    Method::GetInfo,
                    Method::GetBalance,
                ],
                notifications: vec!["payment_received".into()],
            }),
        ),
        RequestParams::GetBalance => ok_json(
            method,
            ResponseResult::GetBalance(GetBalanceResponse {
                balance: *st.balance.lock(),
            }),
        ),
        RequestParams::MakeInvoice(p) => {
            let expiry = p.expiry.unwrap_or(3600);
            let description = p.description.unwrap_or_default();
            match issue(me, st, p.amount, &description, expiry, now) {
                Ok(r) => ok_json(method, ResponseResult::MakeInvoice(r)),
                Err(e) => error_json(method.as_str(), "INTERNAL", &e),
            }
        }
        RequestParams::LookupInvoice(p) => {
            let hash = p.payment_hash.unwrap_or_default();
            let found = st.ledger.invoices.lock().get(&hash).cloned();
            match found {
                Some(e) => ok_json(
                    method,
                    ResponseResult::LookupInvoice(lookup(&e, &hash, now)),
                ),
                None => error_json(method.as_str(), "NOT_FOUND", "no such invoice"),
            }
        }
        RequestParams::PayInvoice(p) => {
            let mode = st.pay_mode.lock().clone();
            if let PayMode::Refuse(code, message) = mode {
                let code = code.to_nip47().and_then(|c| serde_json::to_value(c).ok());
                let code = code
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or("UNSUPPORTED_ENCRYPTION".into());
                return Some(error_json(method.as_str(), &code, &message));
            }
            let parsed: Option<lightning_invoice::Bolt11Invoice> = p.invoice.parse().ok();
            let Some(invoice) = parsed else {
                return Some(error_json(method.as_str(), "OTHER", "not a bolt11"));
            };
            let hash = invoice.payment_hash().to_string();
            let amount = invoice.amount_milli_satoshis().unwrap_or_default();
            {
                let mut balance = st.balance.lock();
                if *balance < amount {
                    return Some(error_json(
                        method.as_str(),
                        "INSUFFICIENT_BALANCE",
                        "not enough sats",
                    ));
                }
                let Some(preimage) = st.ledger.settle(&hash, now) else {
                    return Some(error_json(
                        method.as_str(),
                        "PAYMENT_FAILED",
                        "no route, or already paid",
                    ));
                };
                *balance -= amount;
                st.pay_calls.fetch_add(1, Ordering::SeqCst);
                if matches!(mode, PayMode::PayWithoutAnswer) {
                    return None;
                }
                ok_json(
                    method,
                    ResponseResult::PayInvoice(PayInvoiceResponse {
                        preimage,
                        fees_paid: Some(0),
                    }),
                )
            }
        }
        _ => error_json(method.as_str(), "NOT_IMPLEMENTED", "not here"),
    })
}

fn issue(
    me: &Keys,
    st: &State,
    amount: u64,
    description: &str,
    expiry: u64,
    now: u64,
) -> Result<MakeInvoiceResponse, String> {
    let mut preimage = [0u8; 32];
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut preimage);
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let hash = sha256::Hash::hash(&preimage);
    let secp = Secp256k1::new();
    let invoice = InvoiceBuilder::new(st.opts.network.clone())
        .description(description.to_string())
        .payment_hash(hash)
        .payment_secret(PaymentSecret(secret))
        .amount_milli_satoshis(amount)
        .expiry_time(Duration::from_secs(expiry))
        .duration_since_epoch(Duration::from_secs(now))
        .min_final_cltv_expiry_delta(144)
        .build_signed(|m| secp.sign_ecdsa_recoverable(m, &st.node))
        .map_err(|e| e.to_string())?;
    let bolt11 = invoice.to_string();
    let entry = Entry {
        issuer: me.public_key(),
        bolt11: bolt11.clone(),
        description: description.to_string(),
        amount_msat: amount,
        preimage: hex::encode(preimage),
        created_at: now,
        expires_at: now + expiry,
        settled_at: None,
    };
    st.ledger.invoices.lock().insert(hash.to_string(), entry);
    Ok(MakeInvoiceResponse {
        invoice: bolt11,
        payment_hash: Some(hash.to_string()),
        description: Some(description.to_string()),
        description_hash: None,
        preimage: None,
        amount: Some(amount),
        created_at: Some(Timestamp::from(now)),
        expires_at: Some(Timestamp::from(now + expiry)),
    })
}

fn lookup(e: &Entry, hash: &str, now: u64) -> LookupInvoiceResponse {
    let state = match e.settled_at {
        Some(_) => TransactionState::Settled,
        None if e.expires_at <= now => TransactionState::Expired,
        None => TransactionState::Pending,
    };
    LookupInvoiceResponse {
        transaction_type: Some(TransactionType::Incoming),
        state: Some(state),
        invoice: Some(e.bolt11.clone()),
        description: Some(e.description.clone()),
        description_hash: None,
        preimage: e.settled_at.map(|_| e.preimage.clone()),
        payment_hash: hash.to_string(),
        amount: e.amount_msat,
        fees_paid: 0,
        created_at: Timestamp::from(e.created_at),
        expires_at: Some(Timestamp::from(e.expires_at)),
        settled_at: e.settled_at.map(Timestamp::from),
        metadata: None,
    }
}

async fn notify(me: &Keys, client_pk: PublicKey, st: &State, client: &Client, hash: &str) {
    let Some(e) = st.ledger.invoices.lock().get(hash).cloned() else {
        return;
    };
    let l = lookup(&e, hash, (st.opts.now)());
    let body = json!({ "notification_type": "payment_received", "notification": {
        "type": "incoming", "state": "settled", "invoice": l.invoice, "description": l.description,
        "preimage": l.preimage, "payment_hash": hash, "amount": l.amount, "fees_paid": 0,
        "created_at": l.created_at, "expires_at": l.expires_at, "settled_at": l.settled_at,
    }});
    let (kind, content) = match st.opts.encryption {
        Encryption::Nip44 => (
            Kind::Custom(23197),
            nip44::encrypt(
                me.secret_key(),
                &client_pk,
                body.to_string(),
                nip44::Version::V2,
            )
            .ok(),
        ),
        Encryption::Nip04 => (
            Kind::WalletConnectNotification,
            nip04::encrypt(me.secret_key(), &client_pk, body.to_string()).ok(),
        ),
    };
    let Some(content) = content else { return };
    if let Ok(event) = EventBuilder::new(kind, content)
        .tag(Tag::public_key(client_pk))
        .sign_with_keys(me)
    {
        let _ = client.send_event(&event).await;
    }
}
