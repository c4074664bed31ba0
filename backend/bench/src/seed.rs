//! Seeding a bench database directly through the repositories, the way the API would.

use anyhow::Context;
use caravel::db::{self, Tx};
use caravel::vault::{Vault, relay_secret_context};
use nostr_sdk::Keys;

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
