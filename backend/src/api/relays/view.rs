//! How a relay is shown: its configuration, address, and sync state. Never its secret key.

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::relays::Relay;
use crate::domain::community::Policies;
use crate::domain::status::{InactiveReason, MoveStep, RelayStatus, SyncState};

#[derive(Serialize, ToSchema)]
pub struct RelayView {
    pub id: String,
    /// Owner's pubkey (hex).
    pub tenant: String,
    pub name: String,
    pub subdomain: String,
    /// `<subdomain>.<RELAY_DOMAIN>`
    pub host: String,
    /// The WebSocket URL clients connect to.
    pub url: String,
    /// zooid's table prefix, fixed at creation.
    pub schema: String,
    pub icon: String,
    pub description: String,
    pub plan: String,
    /// `pending` (not yet live), `active`, `suspended` (unpaid), or `inactive` (turned off).
    pub status: RelayStatus,
    /// Who turned an inactive relay off: `owner`, `admin` or `tenant` (the whole account).
    pub inactive_reason: Option<InactiveReason>,
    /// The relay's own Nostr identity (NIP-11 `self`).
    pub pubkey: String,
    pub sync: SyncView,
    /// The owner's switches as stored. A feature the plan does not include (Blossom, LiveKit)
    /// stays off whatever its switch says, and comes back with a plan that includes it.
    pub policies: Policies,
    /// Members (the owner included) when the relay's member list was last read; `null`
    /// before the first read. The plan's `max_members` is the limit.
    pub member_count: Option<i64>,
    /// The zooid node serving it.
    pub node: Option<String>,
    /// A move to another node under way (admins start them).
    #[serde(rename = "move")]
    pub moving: Option<MoveView>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A relay's move between nodes, as far as it has got.
#[derive(Serialize, ToSchema)]
pub struct MoveView {
    /// The node it goes to (after the switch: the node it is on).
    pub to: String,
    pub step: MoveStep,
}

/// Whether zooid serves the latest configuration.
#[derive(Serialize, ToSchema)]
pub struct SyncView {
    /// `synced`, `pending` (a change is on its way) or `failing` (retrying after an error).
    pub state: SyncState,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct RelayList {
    pub items: Vec<RelayView>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

impl RelayView {
    pub fn new(r: Relay, relay_domain: &str) -> Self {
        let host = [r.subdomain.as_str(), ".", relay_domain].concat();
        let state = SyncState::of(r.synced_version, r.desired_version, r.sync_error.is_some());
        let in_sync = state == SyncState::Synced;
        let moving = r.move_step.map(|step| MoveView {
            to: r.moving_to().unwrap_or_default().to_string(),
            step,
        });
        Self {
            url: ["wss://", host.as_str()].concat(),
            host,
            sync: SyncView {
                state,
                attempts: r.sync_attempts,
                last_error: if in_sync { None } else { r.sync_error },
                next_attempt_at: if in_sync { None } else { r.sync_next_at },
            },
            id: r.id,
            tenant: r.tenant,
            name: r.name,
            subdomain: r.subdomain,
            schema: r.schema,
            icon: r.icon,
            description: r.description,
            plan: r.plan,
            status: r.status,
            inactive_reason: r.inactive_reason,
            pubkey: r.pubkey,
            policies: r.policies,
            member_count: r.member_count,
            moving,
            node: r.node,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}
