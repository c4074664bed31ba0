//! Someone calling the API, with the API's verbs: `app.as_tenant(&keys).create_relay(..)`.
//! Verbs that cannot fail in a test's story return the typed answer and assert the status;
//! the others return the [`Reply`] so a test can check the status and error code. `send`
//! and friends are the raw escape hatch for exact paths and bodies.

use nostr_sdk::{Keys, PublicKey};
use serde_json::{Value, json};

use super::views::{Identity, Invoice, Page, Relay, Tenant};
use super::{Reply, TestApp, nip98};

/// Someone calling the API: anonymous, or signing with `keys`.
pub struct Caller<'a> {
    app: &'a TestApp,
    keys: Option<Keys>,
}

impl<'a> Caller<'a> {
    pub(super) fn new(app: &'a TestApp, keys: Option<Keys>) -> Self {
        Self { app, keys }
    }

    /// Sends `method path` with `body` as its exact bytes, signed when the caller has keys.
    pub async fn send(&self, method: &str, path: &str, body: Option<String>) -> Reply {
        let auth = self.keys.as_ref().map(|k| {
            nip98::sign(
                k,
                &format!("{}{}", self.app.url, path),
                method,
                body.as_deref().map(str::as_bytes),
            )
        });
        self.app
            .raw(method, path, body.as_deref(), auth.as_deref())
            .await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send("POST", path, Some(body.to_string())).await
    }

    pub async fn post_empty(&self, path: &str) -> Reply {
        self.send("POST", path, None).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send("PUT", path, Some(body.to_string())).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send("DELETE", path, None).await
    }

    fn me(&self) -> PublicKey {
        self.keys.as_ref().expect("a signed-in caller").public_key()
    }

    // Public routes.

    pub async fn health(&self) -> Reply {
        self.get("/api/health").await
    }

    pub async fn ready(&self) -> Reply {
        self.get("/api/ready").await
    }

    pub async fn plans(&self) -> Value {
        self.get("/api/plans").await.ok()
    }

    pub async fn platform(&self) -> Value {
        self.get("/api/platform").await.ok()
    }

    pub async fn openapi(&self) -> Value {
        self.get("/api/openapi.json").await.ok()
    }

    // Identity and tenants.

    pub async fn identity(&self) -> Identity {
        self.get("/api/identity").await.ok()
    }

    /// Registers the caller as a tenant (201 the first time, 200 after).
    pub async fn register(&self) -> Reply {
        self.post_empty("/api/tenants").await
    }

    /// The tenant `pubkey` (hex or npub).
    pub async fn tenant(&self, pubkey: &str) -> Reply {
        self.get(&format!("/api/tenants/{pubkey}")).await
    }

    /// The caller's own tenant record.
    pub async fn my_tenant(&self) -> Tenant {
        self.tenant(&self.me().to_hex()).await.ok()
    }

    /// Lists tenants (admin); `query` is the query string, possibly empty.
    pub async fn tenants(&self, query: &str) -> Reply {
        self.get(&with_query("/api/tenants", query)).await
    }

    /// Sets (or with `None` clears) the caller's recurring-billing wallet.
    pub async fn set_billing(&self, nwc_url: Option<&str>) -> Reply {
        let path = format!("/api/tenants/{}/billing", self.me().to_hex());
        self.put(&path, json!({ "nwc_url": nwc_url })).await
    }

    pub async fn deactivate_tenant(&self, pubkey: &PublicKey) -> Reply {
        self.post_empty(&format!("/api/tenants/{}/deactivate", pubkey.to_hex()))
            .await
    }

    pub async fn activate_tenant(&self, pubkey: &PublicKey) -> Reply {
        self.post_empty(&format!("/api/tenants/{}/activate", pubkey.to_hex()))
            .await
    }

    // Relays.

    /// Creates a relay named "Relay {subdomain}", asserting 201.
    pub async fn create_relay(&self, subdomain: &str, plan: &str) -> Relay {
        let reply = self
            .try_create_relay(json!({ "name": format!("Relay {subdomain}"), "subdomain": subdomain, "plan": plan }))
            .await;
        assert_eq!(reply.status, 201, "creating {subdomain}: {:?}", reply.body);
        reply.expect(201)
    }

    /// Asks to create a relay from exactly `body`.
    pub async fn try_create_relay(&self, body: Value) -> Reply {
        self.post("/api/relays", body).await
    }

    /// The relay `id`, asserting the caller may see it.
    pub async fn relay(&self, id: &str) -> Relay {
        self.try_relay(id).await.ok()
    }

    pub async fn try_relay(&self, id: &str) -> Reply {
        self.get(&format!("/api/relays/{id}")).await
    }

    /// Every relay the caller sees (first page).
    pub async fn relays(&self) -> Page<Relay> {
        self.find_relays("").await.ok()
    }

    /// Lists relays with `query` (`q=..&plan=..&limit=..`).
    pub async fn find_relays(&self, query: &str) -> Reply {
        self.get(&with_query("/api/relays", query)).await
    }

    pub async fn availability(&self, subdomain: &str) -> Value {
        let q: String = url::form_urlencoded::byte_serialize(subdomain.as_bytes()).collect();
        self.get(&format!("/api/relays/availability?subdomain={q}"))
            .await
            .ok()
    }

    /// Edits the relay with `patch` (fields left out keep their value).
    pub async fn update_relay(&self, id: &str, patch: Value) -> Reply {
        self.put(&format!("/api/relays/{id}"), patch).await
    }

    pub async fn deactivate(&self, id: &str) -> Reply {
        self.post_empty(&format!("/api/relays/{id}/deactivate"))
            .await
    }

    pub async fn reactivate(&self, id: &str) -> Reply {
        self.post_empty(&format!("/api/relays/{id}/reactivate"))
            .await
    }

    /// Forces a sync of the relay (admin).
    pub async fn sync_relay(&self, id: &str) -> Reply {
        self.post_empty(&format!("/api/relays/{id}/sync")).await
    }

    // The fleet (admin).

    /// `{nodes, refused_placements}`
    pub async fn nodes(&self) -> Value {
        self.get("/api/nodes").await.ok()
    }

    pub async fn add_node(&self, node: Value) -> Reply {
        self.post("/api/nodes", node).await
    }

    pub async fn change_node(&self, id: &str, changes: Value) -> Reply {
        self.send(
            "PATCH",
            &format!("/api/nodes/{id}"),
            Some(changes.to_string()),
        )
        .await
    }

    pub async fn move_relay(&self, id: &str, node: &str) -> Reply {
        self.post(&format!("/api/relays/{id}/move"), json!({ "node": node }))
            .await
    }

    /// The provisioning backlog (admin).
    pub async fn provisioning(&self) -> Value {
        self.get("/api/provisioning").await.ok()
    }

    // Invoices.

    /// The caller's invoices, newest first.
    pub async fn invoices(&self) -> Vec<Invoice> {
        self.find_invoices("").await.ok::<Page<Invoice>>().items
    }

    pub async fn find_invoices(&self, query: &str) -> Reply {
        self.get(&with_query("/api/invoices", query)).await
    }

    /// One invoice with its items.
    pub async fn invoice(&self, id: &str) -> Invoice {
        self.get(&format!("/api/invoices/{id}")).await.ok()
    }

    /// The dashboard's "I've paid": checks the payment now.
    pub async fn check_invoice(&self, id: &str) -> Reply {
        self.post_empty(&format!("/api/invoices/{id}/check")).await
    }

    pub async fn void_invoice(&self, id: &str, reason: &str) -> Reply {
        self.post(
            &format!("/api/invoices/{id}/void"),
            json!({ "reason": reason }),
        )
        .await
    }

    pub async fn mark_paid(&self, id: &str, reason: &str) -> Reply {
        self.post(
            &format!("/api/invoices/{id}/mark-paid"),
            json!({ "reason": reason }),
        )
        .await
    }

    // Messages and LiveKit.

    /// The platform's messages (admin), with `query`.
    pub async fn messages(&self, query: &str) -> Reply {
        self.get(&with_query("/api/messages", query)).await
    }

    pub async fn livekit_token(&self, relay: &str, room: &str) -> Reply {
        self.post(
            "/api/livekit/token",
            json!({ "relay": relay, "room": room }),
        )
        .await
    }

    pub async fn livekit_status(&self) -> Reply {
        self.get("/api/livekit/status").await
    }

    // A relay's community.

    pub async fn set_policies(&self, id: &str, policies: Value) -> Reply {
        self.put(&format!("/api/relays/{id}/policies"), policies)
            .await
    }

    pub async fn roles(&self, id: &str) -> Reply {
        self.get(&format!("/api/relays/{id}/roles")).await
    }

    pub async fn set_role(&self, id: &str, pubkey: &str, role: &str) -> Reply {
        self.put(
            &format!("/api/relays/{id}/roles/{pubkey}"),
            json!({ "role": role }),
        )
        .await
    }

    pub async fn remove_role(&self, id: &str, pubkey: &str) -> Reply {
        self.delete(&format!("/api/relays/{id}/roles/{pubkey}"))
            .await
    }

    pub async fn members(&self, id: &str) -> Reply {
        self.get(&format!("/api/relays/{id}/members")).await
    }

    pub async fn add_member(&self, id: &str, pubkey: &str) -> Reply {
        self.post(
            &format!("/api/relays/{id}/members"),
            json!({ "pubkey": pubkey }),
        )
        .await
    }

    pub async fn remove_member(&self, id: &str, pubkey: &str) -> Reply {
        self.delete(&format!("/api/relays/{id}/members/{pubkey}"))
            .await
    }
}

fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}
