//! The owners of every status. A relay's, an invoice's and a tenant's status change only
//! here: each transition writes the status, its activity entry, the billing re-price and
//! the provisioning bump (a new desired version) in the caller's transaction, so handlers
//! and workers call transitions and never write a status column themselves.

pub mod invoice;
pub mod relay;
pub mod tenant;

use std::sync::Arc;

use crate::billing::Clock;
use crate::config::Settings;

/// What transitions need beyond the transaction: the billing clock (prices and due dates
/// run on it, so tests can move through months) and the names that go into notices.
#[derive(Clone)]
pub struct Ctx {
    pub clock: Clock,
    /// `RELAY_DOMAIN`: relays' hosts are `<subdomain>.<relay_domain>`.
    pub relay_domain: Arc<str>,
    /// `PUBLIC_URL` without a trailing slash, for links in notices.
    pub public_base: Arc<str>,
}

impl Ctx {
    pub fn new(settings: &Settings, clock: Clock, public_base: &str) -> Self {
        Self {
            clock,
            relay_domain: settings.relay_domain.as_str().into(),
            public_base: public_base.trim_end_matches('/').into(),
        }
    }

    /// `<subdomain>.<RELAY_DOMAIN>`
    pub fn host(&self, subdomain: &str) -> String {
        format!("{subdomain}.{}", self.relay_domain)
    }
}

/// Why a transition was refused: the caller asked for something the rules do not allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    RelayNotFound,
    /// Suspended for an unpaid invoice: only payment brings it back.
    RelaySuspended,
    /// The account is deactivated.
    TenantInactive,
    SubdomainTaken(String),
    /// The invoice is no longer open (it is paid or void).
    InvoiceNotOpen(crate::domain::status::InvoiceStatus),
}

/// A transition's failure: a refusal for the caller, or a fault.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Self::Failed(e.into())
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        Self::Refused(r)
    }
}

pub type Result<T> = std::result::Result<T, Error>;
