//! Tenants: registration, identity, recurring-billing wallets, and what an admin can do.

mod common;

use common::TestApp;
use nostr_sdk::{Keys, ToBech32};
use serde_json::json;

#[tokio::test]
async fn identity_has_no_side_effects_and_registration_is_idempotent() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let user = app.as_user(&keys);
    let before = user.get("/api/identity").await;
    assert_eq!(before.body["pubkey"], keys.public_key().to_hex());
    assert_eq!(before.body["npub"], keys.public_key().to_bech32().unwrap());
    assert_eq!(before.body["is_admin"], false);
    assert!(before.body["tenant"].is_null());
    assert!(
        user.get("/api/identity").await.body["tenant"].is_null(),
        "asking twice registers nobody"
    );

    let first = user.post_empty("/api/tenants").await;
    assert_eq!(first.status, 201);
    assert_eq!(first.body["status"], "active");
    let again = user.post_empty("/api/tenants").await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["created_at"], first.body["created_at"]);
    assert_eq!(
        user.get("/api/identity").await.body["tenant"]["pubkey"],
        keys.public_key().to_hex()
    );
    assert_eq!(
        app.as_admin().get("/api/identity").await.body["is_admin"],
        true
    );
}

#[tokio::test]
async fn a_wallet_url_is_stored_encrypted_and_never_shown() {
    // The wallet must answer before it is saved: a real test wallet on a loopback relay.
    let net = common::billing::Net::start().await;
    let app = net.app().await;
    let wallet = net
        .tenant_wallet(caravel_testkit::wallet::Encryption::Nip44)
        .await;
    let wallet_url = wallet.uri();
    let wallet_secret: &str = wallet_url.split("secret=").nth(1).unwrap();
    let keys = Keys::generate();
    let user = app.as_user(&keys);
    user.post_empty("/api/tenants").await;
    let path = format!(
        "/api/tenants/{}/billing",
        keys.public_key().to_bech32().unwrap()
    );
    let saved = user.put(&path, json!({ "nwc_url": wallet_url })).await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    assert_eq!(saved.body["billing"]["recurring"], true);
    assert_eq!(saved.body["billing"]["wallet_pubkey"], wallet_url[22..86]);
    assert!(
        saved.body["billing"]["wallet_relays"][0]
            .as_str()
            .unwrap()
            .starts_with(net.url.trim_end_matches('/'))
    );
    assert!(!saved.body.to_string().contains(wallet_secret));
    let shown = user
        .get(&format!("/api/tenants/{}", keys.public_key().to_hex()))
        .await;
    assert!(!shown.body.to_string().contains(wallet_secret));

    let db_file = std::fs::read(app.dir.path().join("caravel.db")).unwrap();
    let wal = std::fs::read(app.dir.path().join("caravel.db-wal")).unwrap_or_default();
    for bytes in [&db_file, &wal] {
        assert!(
            !bytes
                .windows(wallet_secret.len())
                .any(|w| w == wallet_secret.as_bytes()),
            "the secret is not stored in clear"
        );
    }

    let cleared = user.put(&path, json!({ "nwc_url": null })).await;
    assert_eq!(cleared.body["billing"]["recurring"], false);
    assert!(cleared.body["billing"]["wallet_pubkey"].is_null());
}

#[tokio::test]
async fn a_bad_wallet_url_is_refused_and_the_old_one_kept() {
    let net = common::billing::Net::start().await;
    let app = net.app().await;
    let wallet = net
        .tenant_wallet(caravel_testkit::wallet::Encryption::Nip44)
        .await;
    let keys = Keys::generate();
    let user = app.as_user(&keys);
    user.post_empty("/api/tenants").await;
    let path = format!("/api/tenants/{}/billing", keys.public_key().to_hex());
    let saved = user.put(&path, json!({ "nwc_url": wallet.uri() })).await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    for bad in [
        "https://wallet.example.com",
        "nostr+walletconnect://nothex?relay=wss://r",
        "nostr+walletconnect://69effe7b49a6dd5cf525bd0905917a5005ffe480b58eeb8e861418cf3ae760d9",
    ] {
        let reply = user.put(&path, json!({ "nwc_url": bad })).await;
        assert_eq!(
            (reply.status, reply.code()),
            (422, "billing/invalid-nwc-url"),
            "{bad}"
        );
        assert_eq!(reply.body["error"]["field"], "nwc_url");
    }
    assert_eq!(
        user.get(&format!("/api/tenants/{}", keys.public_key().to_hex()))
            .await
            .body["billing"]["recurring"],
        true
    );
}

#[tokio::test]
async fn admins_search_and_filter_tenants() {
    let app = TestApp::spawn().await;
    let people: Vec<Keys> = (0..4).map(|_| Keys::generate()).collect();
    for k in &people {
        app.as_user(k).post_empty("/api/tenants").await;
    }
    app.as_admin()
        .post_empty(&format!(
            "/api/tenants/{}/deactivate",
            people[0].public_key().to_hex()
        ))
        .await;
    let all = app.as_admin().get("/api/tenants").await;
    assert_eq!(all.body["total"], 4);
    let inactive = app.as_admin().get("/api/tenants?status=inactive").await;
    assert_eq!(
        inactive.body["items"][0]["pubkey"],
        people[0].public_key().to_hex()
    );
    assert_eq!(inactive.body["total"], 1);
    let prefix = &people[2].public_key().to_hex()[..12];
    let found = app
        .as_admin()
        .get(&format!("/api/tenants?q={prefix}"))
        .await;
    assert_eq!(
        found.body["items"][0]["pubkey"],
        people[2].public_key().to_hex()
    );
    let page = app.as_admin().get("/api/tenants?limit=2&offset=2").await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 2);
    let bad = app.as_admin().get("/api/tenants?status=gone").await;
    assert_eq!((bad.status, bad.code()), (400, "request/invalid-query"));
}

#[tokio::test]
async fn deactivating_a_tenant_turns_off_its_relays_and_activation_brings_back_only_those() {
    let app = TestApp::spawn_without_zooid().await;
    let keys = Keys::generate();
    let owner = app.as_user(&keys);
    let running = owner.create_relay("running", "free").await;
    let switched_off = owner.create_relay("switched-off", "free").await;
    owner
        .post_empty(&format!(
            "/api/relays/{}/deactivate",
            switched_off["id"].as_str().unwrap()
        ))
        .await;
    let tenant = format!("/api/tenants/{}", keys.public_key().to_hex());

    let off = app
        .as_admin()
        .post_empty(&format!("{tenant}/deactivate"))
        .await;
    assert_eq!(off.body["status"], "inactive");
    let relay = |r: &serde_json::Value| format!("/api/relays/{}", r["id"].as_str().unwrap());
    let now = owner.get(&relay(&running)).await;
    assert_eq!(
        (
            now.body["status"].as_str(),
            now.body["inactive_reason"].as_str()
        ),
        (Some("inactive"), Some("tenant"))
    );

    // A deactivated tenant can look but not build.
    let create = owner
        .post(
            "/api/relays",
            json!({ "name": "x", "subdomain": "while-off", "plan": "free" }),
        )
        .await;
    assert_eq!((create.status, create.code()), (403, "tenant/inactive"));
    let reactivate = owner
        .post_empty(&format!("{}/reactivate", relay(&running)))
        .await;
    assert_eq!(
        (reactivate.status, reactivate.code()),
        (403, "tenant/inactive")
    );

    let on = app
        .as_admin()
        .post_empty(&format!("{tenant}/activate"))
        .await;
    assert_eq!(on.body["status"], "active");
    assert_eq!(owner.get(&relay(&running)).await.body["status"], "pending");
    let still_off = owner.get(&relay(&switched_off)).await;
    assert_eq!(
        (
            still_off.body["status"].as_str(),
            still_off.body["inactive_reason"].as_str()
        ),
        (Some("inactive"), Some("owner")),
        "the owner's choice stands"
    );

    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM activity WHERE tenant = ? AND action NOT LIKE 'relay.sync-%' ORDER BY id")
            .bind(keys.public_key().to_hex())
            .fetch_all(app.db())
            .await
            .unwrap();
    assert_eq!(
        actions,
        vec![
            "tenant.registered",
            "relay.created",
            "relay.created",
            "relay.deactivated",
            "tenant.deactivated",
            "relay.deactivated",
            "tenant.activated",
            "relay.reactivated"
        ]
    );
}

#[tokio::test]
async fn the_activity_log_cannot_be_rewritten() {
    let app = TestApp::spawn().await;
    app.as_user(&Keys::generate())
        .post_empty("/api/tenants")
        .await;
    let update = sqlx::query("UPDATE activity SET actor = 'someone'")
        .execute(app.db())
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM activity").execute(app.db()).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}
