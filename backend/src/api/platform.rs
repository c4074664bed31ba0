//! The platform's public Nostr identity, so tenants can recognise who messages them.

use crate::api::json::Json;
use axum::extract::State;
use nostr_sdk::ToBech32;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct PlatformView {
    /// The robot's pubkey (hex): invoices, receipts and notices come from it as NIP-17 DMs.
    pub pubkey: String,
    pub npub: String,
    pub name: String,
    /// Where the robot receives messages (its kind 10050).
    pub messaging_relays: Vec<String>,
    /// Where the platform looks up profiles and relay lists (`ROBOT_INDEXER_RELAYS`); the
    /// dashboard reads the signed-in person's profile from them.
    pub indexer_relays: Vec<String>,
    /// Whether paid plans can be bought (the operator's wallet is configured).
    pub billing_enabled: bool,
    /// The Lightning network invoices are issued on.
    pub lightning_network: String,
    pub grace_days: u32,
    /// Relays live at `<subdomain>.<relay_domain>`.
    pub relay_domain: String,
}

/// Who the platform is on Nostr.
#[utoipa::path(get, path = "/platform", operation_id = "getPlatform", tag = "meta", responses((status = 200, body = PlatformView)))]
pub async fn get(State(state): State<AppState>) -> Json<PlatformView> {
    let pubkey = state.robot.pubkey();
    let s = &state.settings;
    Json(PlatformView {
        pubkey: pubkey.to_hex(),
        npub: pubkey.to_bech32().unwrap_or_default(),
        name: s.robot.name.clone(),
        messaging_relays: s
            .robot
            .messaging_relays
            .iter()
            .map(|u| u.to_string())
            .collect(),
        indexer_relays: s
            .robot
            .indexer_relays
            .iter()
            .map(|u| u.to_string())
            .collect(),
        billing_enabled: s.billing_enabled(),
        lightning_network: s.lightning_network.clone(),
        grace_days: s.billing_grace_days,
        relay_domain: s.relay_domain.clone(),
    })
}
