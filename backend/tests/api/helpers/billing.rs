//! Real protocol peers for billing tests, all on loopback: an in-process Nostr relay, test
//! wallets answering NIP-47 over it with real regtest BOLT11s, and recipients that fetch
//! and unwrap the robot's gift wraps with their own keys.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use super::views::Invoice;
use super::{TestApp, eventually};
use caravel_testkit::wallet::Encryption;
use caravel_testkit::wallet::{Ledger, Options, WalletService};
use nostr_relay_builder::LocalRelay;
use nostr_relay_builder::builder::{RateLimit, RelayBuilder};
use nostr_sdk::nips::nip59::UnwrappedGift;
use nostr_sdk::{Client, EventBuilder, Filter, Keys, Kind, PublicKey, Tag, TagKind, Timestamp};

pub async fn local_relay() -> (LocalRelay, String) {
    serve(RelayBuilder::default()).await
}

/// A relay that demands NIP-42 AUTH before accepting any event.
pub async fn auth_relay() -> (LocalRelay, String) {
    let nip42 = nostr_relay_builder::builder::RelayBuilderNip42 {
        mode: nostr_relay_builder::builder::RelayBuilderNip42Mode::Write,
    };
    serve(RelayBuilder::default().nip42(nip42)).await
}

async fn serve(builder: RelayBuilder) -> (LocalRelay, String) {
    let builder = builder
        .addr("127.0.0.1".parse().unwrap())
        .rate_limit(RateLimit {
            max_reqs: 1000,
            notes_per_minute: 1_000_000,
        });
    let relay = LocalRelay::new(builder);
    relay.run().await.expect("relay runs");
    let url = relay.url().await.to_string();
    (relay, url)
}

/// A relay, a ledger (the "Lightning network"), the operator's wallet, and a clock shared
/// with the wallets so moving the billing clock moves theirs.
pub struct Net {
    pub relay: LocalRelay,
    pub url: String,
    pub ledger: Ledger,
    pub operator: WalletService,
    pub offset: Arc<AtomicI64>,
}

impl Net {
    pub async fn start() -> Self {
        Self::start_with(Encryption::Nip44).await
    }

    pub async fn start_with(encryption: Encryption) -> Self {
        Self::start_full(encryption, lightning_invoice::Currency::Regtest).await
    }

    /// An operator wallet issuing invoices on `network` (to play out a misconfigured wallet).
    pub async fn start_full(encryption: Encryption, network: lightning_invoice::Currency) -> Self {
        Self::start_options(encryption, |o| Options { network, ..o }).await
    }

    /// An operator wallet that gives every invoice the same payment hash.
    pub async fn start_reusing_payment_hash() -> Self {
        Self::start_options(Encryption::Nip44, |o| Options {
            reuse_preimage: true,
            ..o
        })
        .await
    }

    async fn start_options(encryption: Encryption, tweak: impl FnOnce(Options) -> Options) -> Self {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| "off".into()),
            )
            .with_test_writer()
            .try_init();
        let (relay, url) = local_relay().await;
        let ledger = Ledger::default();
        let offset = Arc::new(AtomicI64::new(0));
        let options = tweak(Self::options_for(&offset, encryption));
        let operator = WalletService::start(&url, ledger.clone(), options)
            .await
            .expect("operator wallet starts");
        Self {
            relay,
            url,
            ledger,
            operator,
            offset,
        }
    }

    fn options_for(offset: &Arc<AtomicI64>, encryption: Encryption) -> Options {
        let o = offset.clone();
        Options {
            encryption,
            now: Arc::new(move || {
                (Timestamp::now().as_secs() as i64 + o.load(Ordering::SeqCst)) as u64
            }),
            ..Options::default()
        }
    }

    /// A tenant's own wallet on the same network.
    pub async fn tenant_wallet(&self, encryption: Encryption) -> WalletService {
        WalletService::start(
            &self.url,
            self.ledger.clone(),
            Self::options_for(&self.offset, encryption),
        )
        .await
        .expect("tenant wallet starts")
    }

    /// The server, configured to bill through the operator wallet and talk on this relay.
    pub async fn app(&self) -> TestApp {
        self.app_with(&[]).await
    }

    pub async fn app_with(&self, extra: &[(&str, &str)]) -> TestApp {
        let uri = self.operator.uri();
        let mut vars: Vec<(&str, &str)> = vec![
            ("NWC_URL", &uri),
            ("LIGHTNING_NETWORK", "regtest"),
            ("NWC_TIMEOUT_SECS", "2"),
            ("WORKER_TICK_SECS", "1"),
            ("ROBOT_INDEXER_RELAYS", &self.url),
            ("ROBOT_OUTBOX_RELAYS", &self.url),
            ("ROBOT_MESSAGING_RELAYS", &self.url),
        ];
        vars.extend_from_slice(extra);
        let app = TestApp::spawn_with(&vars).await;
        app.server
            .state
            .billing
            .clock
            .advance(self.offset.load(Ordering::SeqCst));
        app
    }

    /// Restarts the server on the same data, its billing clock set to the shared one.
    pub async fn restart(&self, app: TestApp) -> TestApp {
        let app = app.restart().await;
        app.server
            .state
            .billing
            .clock
            .advance(self.offset.load(Ordering::SeqCst));
        app.server.state.billing.nudge();
        app
    }

    /// Unix seconds on the shared (moved) clock.
    pub fn offset_now(&self) -> u64 {
        (Timestamp::now().as_secs() as i64 + self.offset.load(Ordering::SeqCst)) as u64
    }

    /// Moves the app's billing clock and the wallets' clocks forward, and wakes the worker.
    pub fn advance(&self, app: &TestApp, secs: i64) {
        self.offset.fetch_add(secs, Ordering::SeqCst);
        app.server.state.billing.clock.advance(secs);
        app.server.state.billing.nudge();
    }
}

/// Someone receiving the robot's messages with their own keys.
pub struct Recipient {
    pub keys: Keys,
    client: Client,
    pub inbox: String,
}

impl Recipient {
    /// Publishes a kind 10050 naming `inbox`, on `indexer`.
    pub async fn with_inbox(indexer: &str, inbox: &str) -> Self {
        let keys = Keys::generate();
        let r = Self::connect(keys, indexer, inbox).await;
        let list = EventBuilder::new(Kind::InboxRelays, "")
            .tag(Tag::custom(TagKind::custom("relay"), [inbox]))
            .sign_with_keys(&r.keys)
            .unwrap();
        r.client.send_event_to([indexer], &list).await.unwrap();
        r
    }

    /// Publishes only a kind 10002 whose read relay is `read`, on `indexer`.
    pub async fn with_read_relay_only(indexer: &str, read: &str) -> Self {
        let keys = Keys::generate();
        let r = Self::connect(keys, indexer, read).await;
        let list = EventBuilder::new(Kind::RelayList, "")
            .tag(Tag::custom(TagKind::custom("r"), [read, "read"]))
            .sign_with_keys(&r.keys)
            .unwrap();
        r.client.send_event_to([indexer], &list).await.unwrap();
        r
    }

    async fn connect(keys: Keys, indexer: &str, inbox: &str) -> Self {
        let client = Client::new(keys.clone());
        client.add_relay(indexer).await.unwrap();
        client.add_relay(inbox).await.unwrap();
        client.try_connect(Duration::from_secs(5)).await;
        Self {
            keys,
            client,
            inbox: inbox.to_string(),
        }
    }

    /// Every gift wrap addressed to me on my inbox: (wrap id, sender, text).
    pub async fn messages(&self) -> Vec<(String, PublicKey, String)> {
        let filter = Filter::new()
            .kind(Kind::GiftWrap)
            .pubkey(self.keys.public_key());
        let events = self
            .client
            .fetch_events_from([self.inbox.as_str()], filter, Duration::from_secs(3))
            .await
            .unwrap_or_default();
        let mut out = Vec::new();
        for e in events {
            if let Ok(gift) = UnwrappedGift::from_gift_wrap(&self.keys, &e).await {
                out.push((e.id.to_hex(), gift.sender, gift.rumor.content));
            }
        }
        out
    }

    /// Waits for a message from `robot` containing `needle`; returns its text.
    pub async fn wait_for(&self, robot: PublicKey, needle: &str) -> String {
        eventually(20, &format!("a DM containing {needle:?}"), || async {
            self.messages()
                .await
                .into_iter()
                .find(|(_, from, text)| *from == robot && text.contains(needle))
                .map(|(_, _, text)| text)
        })
        .await
    }

    pub fn tenant(&self) -> TestTenant<'_> {
        TestTenant { keys: &self.keys }
    }
}

pub struct TestTenant<'a> {
    pub keys: &'a Keys,
}

/// The tenant's invoices, newest first.
pub async fn invoices(app: &TestApp, keys: &Keys) -> Vec<Invoice> {
    app.as_tenant(keys).invoices().await
}

/// Waits until the tenant has an invoice matching `pred`.
pub async fn wait_invoice(
    app: &TestApp,
    keys: &Keys,
    what: &str,
    pred: impl Fn(&Invoice) -> bool,
) -> Invoice {
    eventually(20, what, || async {
        invoices(app, keys).await.into_iter().find(|i| pred(i))
    })
    .await
}

/// The invoice once its current BOLT11 is payable (a fresh one replaces an expired one).
pub async fn payable(net: &Net, app: &TestApp, keys: &Keys, id: &str) -> Invoice {
    eventually(20, "a payable BOLT11", || async {
        let v = app.as_tenant(keys).invoice(id).await;
        let fresh = v
            .expires_at
            .is_some_and(|e| e > net.offset_now() as i64 + 60);
        fresh.then_some(v)
    })
    .await
}

/// Pays the invoice's current BOLT11 from outside the platform.
pub async fn pay_externally(net: &Net, app: &TestApp, keys: &Keys, id: &str) {
    let v = payable(net, app, keys, id).await;
    let hash = v.payment_hash.as_deref().expect("a payment hash");
    assert!(
        net.ledger.pay_externally(hash, net.offset_now()),
        "the BOLT11 could be paid"
    );
}

pub fn robot(app: &TestApp) -> PublicKey {
    app.server.state.robot.pubkey()
}

pub const DAY: i64 = 86_400;
