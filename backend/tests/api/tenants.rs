//! Tenants: registration, identity, recurring-billing wallets, and what an admin can do.

use nostr_sdk::{Keys, ToBech32};
use serde_json::json;

use crate::helpers::{Page, Relay, Tenant, TestApp};

#[tokio::test]
async fn identity_has_no_side_effects_and_registration_is_idempotent() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let user = app.as_tenant(&keys);
    let before = user.identity().await;
    assert_eq!(before.pubkey, keys.public_key().to_hex());
    assert_eq!(before.npub, keys.public_key().to_bech32().unwrap());
    assert!(!before.is_admin);
    assert!(before.tenant.is_none());
    assert!(
        user.identity().await.tenant.is_none(),
        "asking twice registers nobody"
    );

    let first: Tenant = user.register().await.expect(201);
    assert_eq!(first.status, "active");
    let again: Tenant = user.register().await.expect(200);
    assert_eq!(again.created_at, first.created_at);
    assert_eq!(
        user.identity().await.tenant.unwrap().pubkey,
        keys.public_key().to_hex()
    );
    assert!(app.as_admin().identity().await.is_admin);
}

#[tokio::test]
async fn a_wallet_url_is_stored_encrypted_and_never_shown() {
    // The wallet must answer before it is saved: a real test wallet on a loopback relay.
    let net = crate::helpers::billing::Net::start().await;
    let app = net.app().await;
    let wallet = net
        .tenant_wallet(caravel_testkit::wallet::Encryption::Nip44)
        .await;
    let wallet_url = wallet.uri();
    let wallet_secret: &str = wallet_url.split("secret=").nth(1).unwrap();
    let keys = Keys::generate();
    let user = app.as_tenant(&keys);
    user.register().await;
    // The tenant may be named by npub as well as by hex.
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
    let shown = user.tenant(&keys.public_key().to_hex()).await;
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

    let cleared: Tenant = user.set_billing(None).await.ok();
    assert!(!cleared.billing.recurring);
    assert!(cleared.billing.wallet_pubkey.is_none());
}

#[tokio::test]
async fn a_bad_wallet_url_is_refused_and_the_old_one_kept() {
    let net = crate::helpers::billing::Net::start().await;
    let app = net.app().await;
    let wallet = net
        .tenant_wallet(caravel_testkit::wallet::Encryption::Nip44)
        .await;
    let keys = Keys::generate();
    let user = app.as_tenant(&keys);
    user.register().await;
    let saved = user.set_billing(Some(&wallet.uri())).await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    for bad in [
        "https://wallet.example.com",
        "nostr+walletconnect://nothex?relay=wss://r",
        "nostr+walletconnect://69effe7b49a6dd5cf525bd0905917a5005ffe480b58eeb8e861418cf3ae760d9",
    ] {
        let reply = user.set_billing(Some(bad)).await;
        assert_eq!(
            (reply.status, reply.code()),
            (422, "billing/invalid-nwc-url"),
            "{bad}"
        );
        assert_eq!(reply.body["error"]["field"], "nwc_url");
    }
    assert!(user.my_tenant().await.billing.recurring);
}

#[tokio::test]
async fn admins_search_and_filter_tenants() {
    let app = TestApp::spawn().await;
    let people: Vec<Keys> = (0..4).map(|_| Keys::generate()).collect();
    for k in &people {
        app.as_tenant(k).register().await;
    }
    let admin = app.as_admin();
    admin.deactivate_tenant(&people[0].public_key()).await;
    let find = |query: String| {
        let admin = &admin;
        async move { admin.tenants(&query).await.ok::<Page<Tenant>>() }
    };
    assert_eq!(find(String::new()).await.total, 4);
    let inactive = find("status=inactive".into()).await;
    assert_eq!(inactive.items[0].pubkey, people[0].public_key().to_hex());
    assert_eq!(inactive.total, 1);
    let prefix = &people[2].public_key().to_hex()[..12];
    let found = find(format!("q={prefix}")).await;
    assert_eq!(found.items[0].pubkey, people[2].public_key().to_hex());
    let page = find("limit=2&offset=2".into()).await;
    assert_eq!(page.items.len(), 2);
    let bad = admin.tenants("status=gone").await;
    assert_eq!((bad.status, bad.code()), (400, "request/invalid-query"));
}

#[tokio::test]
async fn deactivating_a_tenant_turns_off_its_relays_and_activation_brings_back_only_those() {
    let app = TestApp::spawn_without_zooid().await;
    let keys = Keys::generate();
    let owner = app.as_tenant(&keys);
    let running = owner.create_relay("running", "free").await;
    let switched_off = owner.create_relay("switched-off", "free").await;
    owner.deactivate(&switched_off.id).await;

    let off: Tenant = app
        .as_admin()
        .deactivate_tenant(&keys.public_key())
        .await
        .ok();
    assert_eq!(off.status, "inactive");
    let now = owner.relay(&running.id).await;
    assert_eq!(
        (now.status.as_str(), now.inactive_reason.as_deref()),
        ("inactive", Some("tenant"))
    );

    // A deactivated tenant can look but not build.
    let create = owner
        .try_create_relay(json!({ "name": "x", "subdomain": "while-off", "plan": "free" }))
        .await;
    assert_eq!((create.status, create.code()), (403, "tenant/inactive"));
    let reactivate = owner.reactivate(&running.id).await;
    assert_eq!(
        (reactivate.status, reactivate.code()),
        (403, "tenant/inactive")
    );

    let on: Tenant = app
        .as_admin()
        .activate_tenant(&keys.public_key())
        .await
        .ok();
    assert_eq!(on.status, "active");
    assert_eq!(owner.relay(&running.id).await.status, "pending");
    let still_off: Relay = owner.relay(&switched_off.id).await;
    assert_eq!(
        (
            still_off.status.as_str(),
            still_off.inactive_reason.as_deref()
        ),
        ("inactive", Some("owner")),
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
    app.as_tenant(&Keys::generate()).register().await;
    let update = sqlx::query("UPDATE activity SET actor = 'someone'")
        .execute(app.db())
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM activity").execute(app.db()).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}
