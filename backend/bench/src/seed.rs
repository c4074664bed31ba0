//! Seeding a bench database directly through the repositories, the way the API would.

use std::time::Duration;

use anyhow::Context;
use caravel::db::{self, Tx};
use caravel::vault::{Vault, relay_secret_context};
use caravel_testkit::zooid::ZooidStandIn;
use nostr_sdk::Keys;

/// `n` zooid node stand-ins that take `key` and answer every request after `latency`,
/// without reloading (their config directory is not the point).
pub async fn slow_nodes(key: &Keys, n: usize, latency: Duration) -> Vec<ZooidStandIn> {
    let mut nodes = Vec::new();
    for _ in 0..n {
        let node = ZooidStandIn::start(&[key.public_key()]).await;
        node.delay(latency);
        node.skip_reloads(true);
        nodes.push(node);
    }
    nodes
}

/// The fleet name of stand-in `i`: the settings' node `main` first, then `node-<i>`.
pub fn node_id(i: usize) -> String {
    if i == 0 {
        db::zooid_nodes::SETTINGS_NODE.to_string()
    } else {
        format!("node-{i}")
    }
}

/// Relay number `i` of `tenant`, on the free plan, with its own sealed key.
pub async fn relay(tx: &mut Tx<'_>, vault: &Vault, tenant: &str, i: usize) -> anyhow::Result<()> {
    let id = format!("{i:032x}");
    let keys = Keys::generate();
    let sealed = vault.seal(
        &relay_secret_context(&id),
        keys.secret_key().to_secret_hex().as_bytes(),
    );
    let (sub, schema) = (format!("bench-{i}"), format!("bench_{i}"));
    let relay = db::relays::NewRelay {
        id: &id,
        tenant,
        name: &sub,
        subdomain: &sub,
        schema: &schema,
        icon: "",
        description: "",
        plan: "free",
        pubkey: &keys.public_key().to_hex(),
        secret_enc: &sealed,
        node: None,
    };
    db::relays::insert(&mut **tx, &relay, 0)
        .await
        .with_context(|| format!("seeding relay {i}"))
}
