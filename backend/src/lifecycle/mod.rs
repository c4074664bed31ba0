//! The owners of every status. A relay's, an invoice's and a tenant's status change only
//! here: each transition writes the status, its activity entry, the billing re-price and
//! the provisioning bump (a new desired version) in the caller's transaction, so handlers
//! and workers call transitions and never write a status column themselves.

pub mod community;
pub mod invoice;
pub mod node;
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
    /// A switch turned on for a feature the relay's plan lacks; `upgrade` names the
    /// cheapest plan that has it.
    FeatureNotInPlan {
        feature: crate::domain::community::PlanFeature,
        plan: String,
        upgrade: Option<String>,
    },
    /// More members than `plan` allows (adding one, or moving to a smaller plan).
    MemberLimit {
        members: i64,
        limit: i64,
        plan: String,
    },
    /// The owner's role is fixed.
    OwnerIsAdmin,
    RoleNotFound,
    InviteNotFound,
    InviteExpired,
    InviteRevoked,
    InviteUsedUp,
    /// This pubkey used the invite before.
    InviteAlreadyUsed,
    /// The relay is not running, so nobody can join it now.
    InviteRelayUnavailable,
    /// Banned from the relay.
    Banned,
    /// No active node has room for a new relay.
    NoCapacity,
    NodeNotFound,
    NodeExists(String),
    /// The node is draining or down, or full.
    NodeNotAccepting {
        node: String,
        why: &'static str,
    },
    /// A move of this relay is under way.
    MoveInProgress {
        to: String,
    },
    AlreadyOnNode(String),
    /// Another node already is the local config directory.
    OneDirectory,
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                    .unwrap()
                    .display()
                    .to_string();
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }

    fn all_sources() -> Vec<(String, String)> {
        let mut out = Vec::new();
        sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
        out
    }

    /// The house rules this folder exists for, checked over the whole server: SQL only in
    /// `db/`, and the repository functions that write a status called only from here.
    #[test]
    fn sql_lives_in_db_and_statuses_change_only_in_lifecycle() {
        let writers = [
            "db::relays::set_status",
            "db::relays::set_live",
            "db::invoices::set_paid",
            "db::invoices::set_void",
            "db::tenants::set_status",
            "db::zooid_nodes::set_state",
            "db::relay_moves::start",
        ];
        let sql = ["sqlx", "::query"].concat();
        for (file, text) in all_sources() {
            if !file.starts_with("src/db/") {
                assert!(!text.contains(&sql), "{file} runs SQL outside db/");
            }
            if !file.starts_with("src/lifecycle/") {
                for w in writers {
                    assert!(!text.contains(w), "{file} changes a status with {w}");
                }
            }
        }
    }
}
