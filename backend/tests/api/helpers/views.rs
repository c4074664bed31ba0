//! What the API answers, as the tests read it. The server's view types only serialize; these
//! mirror the fields the tests look at (serde ignores the rest).

use serde::Deserialize;

/// One page of a list.
#[derive(Debug, Clone, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Relay {
    pub id: String,
    pub tenant: String,
    pub name: String,
    pub subdomain: String,
    pub host: String,
    pub url: String,
    pub schema: String,
    pub icon: String,
    pub description: String,
    pub plan: String,
    pub status: String,
    pub inactive_reason: Option<String>,
    pub pubkey: String,
    pub sync: Sync,
    pub policies: serde_json::Value,
    pub member_count: Option<i64>,
    /// The zooid node serving it.
    pub node: Option<String>,
    /// A move under way: `{to, step}`.
    #[serde(rename = "move")]
    pub moving: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Sync {
    pub attempts: i64,
    pub state: String,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Invoice {
    pub id: String,
    pub kind: String,
    pub period_start: i64,
    pub period_end: i64,
    pub amount_msat: i64,
    pub status: String,
    pub bolt11: Option<String>,
    pub payment_hash: Option<String>,
    pub expires_at: Option<i64>,
    pub last_error: Option<String>,
    /// Present when reading one invoice.
    #[serde(default)]
    pub items: Vec<InvoiceItem>,
}

impl Invoice {
    /// The sum of its items (an invoice read on its own).
    pub fn items_total(&self) -> i64 {
        self.items.iter().map(|i| i.amount_msat).sum()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct InvoiceItem {
    pub relay_id: Option<String>,
    pub description: String,
    pub amount_msat: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Tenant {
    pub pubkey: String,
    pub status: String,
    pub billing: TenantBilling,
    pub relay_count: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TenantBilling {
    pub recurring: bool,
    pub wallet_pubkey: Option<String>,
    pub wallet_relays: Vec<String>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Identity {
    pub pubkey: String,
    pub npub: String,
    pub is_admin: bool,
    pub tenant: Option<Tenant>,
}
