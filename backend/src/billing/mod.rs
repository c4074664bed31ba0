//! Lightning billing: monthly invoices paid in advance on a per-tenant anchor, prorated
//! changes from the charge history, BOLT11s from the operator's wallet (NIP-47), payment
//! detection without anyone watching, pulls from tenants' wallets, grace and suspension.

pub mod clock;
pub mod collect;
pub mod grace;
pub mod issue;
pub mod ledger;
pub mod notices;
pub mod period;
pub mod pull;
pub mod run;
pub mod worker;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use sqlx::SqlitePool;
use tokio::sync::Notify;

pub use clock::Clock;

use crate::config::Settings;
use crate::lifecycle;
use crate::vault::Vault;
use crate::wallet::WalletClient;

/// Billing as the rest of the service and its own workers see it: exactly what billing
/// uses (the database, the vault for tenants' wallets, the settings, the lifecycle
/// context with the billing clock), the wake-up signals and the operator's wallet connection.
#[derive(Clone)]
pub struct Billing(Arc<Inner>);

pub struct Inner {
    pub db: SqlitePool,
    pub vault: Vault,
    pub settings: Arc<Settings>,
    /// The lifecycle context; its clock is the billing clock.
    pub life: lifecycle::Ctx,
    pub clock: Clock,
    /// Wakes the billing worker (a relay changed, an invoice was created).
    pub wake: Notify,
    /// Wakes the message worker (a message was queued).
    pub outbox_wake: Arc<Notify>,
    operator: tokio::sync::Mutex<Option<WalletClient>>,
    /// Billing-clock time of the worker's last finished pass (0: never).
    last_pass: AtomicI64,
    /// How many passes the worker has finished (tests wait on it to see that nothing happened).
    passes: AtomicU64,
    /// Set when a new operator connection needs its notification listener.
    fresh: AtomicBool,
}

impl std::ops::Deref for Billing {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl Billing {
    pub fn new(
        db: SqlitePool,
        vault: Vault,
        settings: Arc<Settings>,
        life: lifecycle::Ctx,
    ) -> Self {
        Self(Arc::new(Inner {
            db,
            vault,
            settings,
            clock: life.clock.clone(),
            life,
            wake: Notify::new(),
            outbox_wake: Arc::new(Notify::new()),
            operator: tokio::sync::Mutex::new(None),
            last_pass: AtomicI64::new(0),
            passes: AtomicU64::new(0),
            fresh: AtomicBool::new(false),
        }))
    }

    /// Asks both workers for a pass now (after a commit that gave them work).
    pub fn nudge(&self) {
        self.wake.notify_one();
        self.outbox_wake.notify_one();
    }

    pub fn last_pass(&self) -> i64 {
        self.last_pass.load(Ordering::Relaxed)
    }

    /// How many passes the worker has finished.
    pub fn passes(&self) -> u64 {
        self.passes.load(Ordering::Relaxed)
    }

    fn record_pass(&self) {
        self.last_pass
            .store(crate::clock::unix_now(), Ordering::Relaxed);
        self.passes.fetch_add(1, Ordering::Relaxed);
    }

    /// The operator's wallet, connected on first use (and again after a failure).
    pub async fn operator(
        &self,
        uri: &nostr_sdk::nips::nip47::NostrWalletConnectURI,
        timeout: Duration,
    ) -> Result<WalletClient, crate::wallet::WalletError> {
        let mut slot = self.operator.lock().await;
        if let Some(w) = slot.as_ref() {
            return Ok(w.clone());
        }
        let wallet = WalletClient::connect(uri, timeout).await?;
        *slot = Some(wallet.clone());
        self.fresh.store(true, Ordering::SeqCst);
        Ok(wallet)
    }

    fn take_fresh_listener(&self) -> bool {
        self.fresh.swap(false, Ordering::SeqCst)
    }

    /// Drops the operator connection so the next use reconnects.
    pub async fn reset_operator(&self) {
        if let Some(w) = self.operator.lock().await.take() {
            w.shutdown().await;
        }
    }
}

/// Millisatoshis in a satoshi.
pub const MSAT: i64 = 1000;
/// Seconds in a day.
pub const DAY: i64 = 86_400;
