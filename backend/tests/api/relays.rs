//! Creating, reading, editing and turning relays off and on, with every validation rule.

use nostr_sdk::Keys;
use serde_json::json;

use crate::helpers::{Page, Relay, TestApp};

#[tokio::test]
async fn a_new_relay_is_pending_with_its_address_and_own_key() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let relay = app.as_tenant(&keys).try_create_relay(json!({
        "name": "  Bitcoin Builders ", "subdomain": "Bitcoin-Builders", "icon": "https://example.com/i.png",
        "description": "We build.", "plan": "basic"
    })).await;
    assert_eq!(relay.status, 201, "{:?}", relay.body);
    assert!(relay.body.get("secret").is_none() && relay.body.get("secret_enc").is_none());
    let r: Relay = relay.expect(201);
    assert_eq!(r.name, "Bitcoin Builders");
    assert_eq!(r.subdomain, "bitcoin-builders");
    assert_eq!(r.host, "bitcoin-builders.relays.test");
    assert_eq!(r.url, "wss://bitcoin-builders.relays.test");
    assert_eq!(r.schema, "bitcoin_builders");
    assert_eq!(r.status, "pending");
    assert_eq!(r.plan, "basic");
    assert_eq!(r.tenant, keys.public_key().to_hex());
    assert_eq!(r.sync.state, "pending");
    assert_eq!(r.pubkey.len(), 64);
    assert_ne!(
        r.pubkey,
        keys.public_key().to_hex(),
        "each relay gets its own key"
    );

    // Creating a relay registered the tenant.
    let me = app.as_tenant(&keys).identity().await;
    assert_eq!(me.tenant.unwrap().relay_count, 1);
}

#[tokio::test]
async fn the_relay_secret_is_encrypted_at_rest_and_never_returned() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let relay = app
        .as_tenant(&keys)
        .create_relay("secret-keeper", "free")
        .await;
    let id = &relay.id;
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT secret_enc FROM relays WHERE id = ?")
        .bind(id)
        .fetch_one(app.db())
        .await
        .unwrap();
    let vault = caravel::vault::Vault::open(None, app.dir.path()).unwrap();
    let secret = vault
        .open_sealed(&format!("relay-secret:{id}"), &sealed)
        .unwrap();
    let secret_hex = String::from_utf8(secret).unwrap();
    let derived = Keys::parse(&secret_hex).unwrap().public_key().to_hex();
    assert_eq!(
        relay.pubkey, derived,
        "the stored secret belongs to the relay's pubkey"
    );
    let db_file = std::fs::read(app.dir.path().join("caravel.db")).unwrap();
    let wal = std::fs::read(app.dir.path().join("caravel.db-wal")).unwrap_or_default();
    for bytes in [&db_file, &wal] {
        assert!(
            !bytes.windows(64).any(|w| w == secret_hex.as_bytes()),
            "the secret is not in the database in clear"
        );
    }
    let listed = app.as_tenant(&keys).find_relays("").await;
    assert!(!listed.body.to_string().contains(&secret_hex));
}

#[tokio::test]
async fn every_subdomain_rule_is_enforced_with_a_clear_message() {
    let app = TestApp::spawn().await;
    let user = Keys::generate();
    let cases = [
        ("ab", "relay/invalid-subdomain"),
        (&*"a".repeat(64), "relay/invalid-subdomain"),
        ("has_underscore", "relay/invalid-subdomain"),
        ("has.dot", "relay/invalid-subdomain"),
        ("9lives", "relay/invalid-subdomain"),
        ("-dash", "relay/invalid-subdomain"),
        ("dash-", "relay/invalid-subdomain"),
        ("two--dashes", "relay/invalid-subdomain"),
        ("ünïcode", "relay/invalid-subdomain"),
        ("www", "relay/subdomain-reserved"),
        ("admin", "relay/subdomain-reserved"),
        ("api", "relay/subdomain-reserved"),
    ];
    for (sub, code) in cases {
        let reply = app
            .as_tenant(&user)
            .try_create_relay(json!({ "name": "x", "subdomain": sub, "plan": "free" }))
            .await;
        assert_eq!(reply.status, 422, "{sub}: {:?}", reply.body);
        assert_eq!(reply.code(), code, "{sub}");
        assert_eq!(reply.body["error"]["field"], "subdomain");
        let check = app.as_tenant(&user).availability(sub).await;
        assert_eq!(check["available"], false, "{sub}");
        assert_eq!(check["code"], code, "{sub}");
    }
    assert_eq!(
        app.as_tenant(&user).relays().await.total,
        0,
        "nothing was half-written"
    );
}

#[tokio::test]
async fn names_icons_descriptions_and_plans_are_validated() {
    let app = TestApp::spawn().await;
    let user = app.as_tenant(&Keys::generate());
    let base = json!({ "name": "Good", "subdomain": "valid-one", "plan": "free" });
    let cases = [
        (json!({ "name": "   " }), 422, "relay/invalid-name"),
        (json!({ "name": "x".repeat(65) }), 422, "relay/invalid-name"),
        (
            json!({ "icon": "javascript:alert(1)" }),
            422,
            "relay/invalid-icon",
        ),
        (
            json!({ "description": "x".repeat(2001) }),
            422,
            "relay/invalid-description",
        ),
        (json!({ "plan": "platinum" }), 422, "plan/unknown"),
        (
            json!({ "owner": "someone-else" }),
            422,
            "request/invalid-body",
        ),
        (json!({ "name": 5 }), 422, "request/invalid-body"),
    ];
    for (patch, status, code) in cases {
        let mut body = base.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let reply = user.try_create_relay(body.clone()).await;
        assert_eq!(
            (reply.status, reply.code()),
            (status, code),
            "{body}: {:?}",
            reply.body
        );
    }
    let missing = user
        .try_create_relay(json!({ "name": "x", "plan": "free" }))
        .await;
    assert_eq!(
        (missing.status, missing.code()),
        (422, "request/invalid-body")
    );
    assert!(
        missing.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("subdomain")
    );
    let broken = user
        .send("POST", "/api/relays", Some("{not json".into()))
        .await;
    assert_eq!(
        (broken.status, broken.code()),
        (400, "request/invalid-json")
    );
    let empty = user.send("POST", "/api/relays", None).await;
    assert_eq!((empty.status, empty.code()), (400, "request/missing-body"));
}

#[tokio::test]
async fn paid_plans_are_refused_when_the_platform_takes_no_payments() {
    let app = TestApp::spawn_with(&[("NWC_URL", "")]).await;
    let user = app.as_tenant(&Keys::generate());
    let reply = user
        .try_create_relay(json!({ "name": "x", "subdomain": "paid-one", "plan": "basic" }))
        .await;
    assert_eq!(
        (reply.status, reply.code()),
        (422, "billing/not-configured")
    );
    let plans = app.anonymous().plans().await;
    let available: Vec<(String, bool)> = plans
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().into(),
                p["available"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        available,
        vec![
            ("free".into(), true),
            ("basic".into(), false),
            ("growth".into(), false)
        ]
    );
    user.create_relay("free-one", "free").await;
}

#[tokio::test]
async fn a_taken_subdomain_is_refused_and_reported_unavailable() {
    let app = TestApp::spawn().await;
    let (a, b) = (Keys::generate(), Keys::generate());
    app.as_tenant(&a).create_relay("popular", "free").await;
    let reply = app
        .as_tenant(&b)
        .try_create_relay(json!({ "name": "x", "subdomain": "Popular", "plan": "free" }))
        .await;
    assert_eq!((reply.status, reply.code()), (409, "relay/subdomain-taken"));
    let check = app.as_tenant(&b).availability("popular").await;
    assert_eq!(check["available"], false);
    assert_eq!(check["code"], "relay/subdomain-taken");
    let free = app.as_tenant(&b).availability("Unpopular").await;
    assert_eq!(
        free,
        json!({ "subdomain": "unpopular", "available": true, "reason": null, "code": null, "host": "unpopular.relays.test" })
    );
}

#[tokio::test]
async fn two_creates_of_the_same_subdomain_at_once_one_wins() {
    let app = TestApp::spawn().await;
    for round in 0..5 {
        let (a, b) = (Keys::generate(), Keys::generate());
        let sub = format!("race-{round}");
        let body = json!({ "name": "x", "subdomain": sub, "plan": "free" });
        let (ua, ub) = (app.as_tenant(&a), app.as_tenant(&b));
        let (ra, rb) = tokio::join!(
            ua.try_create_relay(body.clone()),
            ub.try_create_relay(body.clone())
        );
        let mut statuses = [ra.status, rb.status];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "{:?} {:?}", ra.body, rb.body);
    }
    assert_eq!(app.as_admin().relays().await.total, 5);
}

#[tokio::test]
async fn editing_changes_fields_but_never_the_schema() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let user = app.as_tenant(&keys);
    let relay = user.create_relay("first-name", "free").await;
    let edited: Relay = user.update_relay(&relay.id, json!({ "name": "Renamed", "subdomain": "second-name", "plan": "growth", "description": "new" })).await.ok();
    assert_eq!(edited.subdomain, "second-name");
    assert_eq!(edited.host, "second-name.relays.test");
    assert_eq!(
        edited.schema, "first_name",
        "the schema is fixed at creation"
    );
    assert_eq!(edited.plan, "growth");
    assert_eq!(edited.icon, "", "fields left out keep their value");

    // The old subdomain is free again, but its schema is still held: a new relay there would collide in zooid.
    let reuse = user
        .try_create_relay(json!({ "name": "x", "subdomain": "first-name", "plan": "free" }))
        .await;
    assert_eq!((reuse.status, reuse.code()), (409, "relay/subdomain-taken"));

    let other = user.create_relay("third-name", "free").await;
    let clash = user
        .update_relay(&other.id, json!({ "subdomain": "second-name" }))
        .await;
    assert_eq!((clash.status, clash.code()), (409, "relay/subdomain-taken"));
    let bad = user
        .update_relay(&relay.id, json!({ "plan": "nope" }))
        .await;
    assert_eq!((bad.status, bad.code()), (422, "plan/unknown"));

    let history: Vec<String> =
        sqlx::query_scalar("SELECT action FROM activity WHERE resource_id = ? AND action NOT LIKE 'relay.sync-%' ORDER BY id")
            .bind(&relay.id)
            .fetch_all(app.db())
            .await
            .unwrap();
    assert_eq!(history, vec!["relay.created", "relay.plan-changed"]);
}

#[tokio::test]
async fn every_change_asks_for_a_new_sync_and_a_noop_does_not() {
    let app = TestApp::spawn().await;
    let user = app.as_tenant(&Keys::generate());
    let relay = user.create_relay("versioned", "free").await;
    let id = relay.id.as_str();
    let version = || async {
        sqlx::query_scalar::<_, i64>("SELECT desired_version FROM relays WHERE id = ?")
            .bind(id)
            .fetch_one(app.db())
            .await
            .unwrap()
    };
    assert_eq!(version().await, 1);
    user.update_relay(id, json!({ "name": "Relay versioned" }))
        .await;
    assert_eq!(version().await, 1, "no change, no sync");
    user.update_relay(id, json!({ "name": "New" })).await;
    assert_eq!(version().await, 2);
    user.deactivate(id).await;
    user.deactivate(id).await;
    assert_eq!(version().await, 3, "deactivating twice is one change");
    user.reactivate(id).await;
    assert_eq!(version().await, 4);
}

#[tokio::test]
async fn deactivating_keeps_the_relay_and_reactivating_brings_it_back() {
    let app = TestApp::spawn_without_zooid().await;
    let owner = Keys::generate();
    let user = app.as_tenant(&owner);
    let relay = user.create_relay("on-off", "free").await;
    let off: Relay = user.deactivate(&relay.id).await.ok();
    assert_eq!(
        (off.status.as_str(), off.inactive_reason.as_deref()),
        ("inactive", Some("owner"))
    );
    let on: Relay = user.reactivate(&relay.id).await.ok();
    assert_eq!(on.status, "pending", "never synced yet, so pending");
    let by_admin: Relay = app.as_admin().deactivate(&relay.id).await.ok();
    assert_eq!(by_admin.inactive_reason.as_deref(), Some("admin"));

    sqlx::query("UPDATE relays SET status = 'suspended', inactive_reason = NULL WHERE id = ?")
        .bind(&relay.id)
        .execute(app.db())
        .await
        .unwrap();
    let refused = user.reactivate(&relay.id).await;
    assert_eq!((refused.status, refused.code()), (409, "relay/suspended"));
}

#[tokio::test]
async fn lists_search_filter_and_page() {
    let app = TestApp::spawn_without_zooid().await;
    let user = app.as_tenant(&Keys::generate());
    for i in 0..7 {
        user.create_relay(
            &format!("relay-{i}"),
            if i % 2 == 0 { "free" } else { "basic" },
        )
        .await;
    }
    let find = |query: &'static str| {
        let user = &user;
        async move { user.find_relays(query).await.ok::<Page<Relay>>() }
    };
    let third = find("q=relay-3").await.items.remove(0);
    user.update_relay(&third.id, json!({ "name": "Special" }))
        .await;
    let page = find("limit=3&offset=3").await;
    assert_eq!((page.total, page.items.len()), (7, 3));
    assert_eq!(find("plan=basic").await.total, 3);
    assert_eq!(find("q=special").await.items[0].subdomain, "relay-3");
    assert_eq!(find("q=%25").await.total, 0, "LIKE wildcards are literal");
    let longest = "n".repeat(64);
    let fifth = find("q=relay-5").await.items.remove(0);
    user.update_relay(&fifth.id, json!({ "name": longest }))
        .await;
    let (whole, longer) = (format!("q={longest}"), format!("q={longest}n"));
    let admin = app.as_admin();
    for (query, total) in [
        (whole.as_str(), 1),
        (longer.as_str(), 0),
        ("q=SPECIAL", 1),
        ("q=relay-", 7),
        ("q=pe", 1),
        ("q=%22ial", 0),
        ("q=lay-3", 1),
    ] {
        let found: Page<Relay> = admin.find_relays(query).await.ok();
        assert_eq!(
            (found.total, found.items.len() as i64),
            (total, total),
            "an admin's search of everyone's relays ({query}) sees the renamed relay by its new name and its subdomain"
        );
    }
    assert_eq!(
        find("status=pending").await.total,
        7,
        "not yet served by zooid"
    );
    assert_eq!(find("status=inactive").await.total, 0);
    for bad in [
        "limit=0",
        "limit=500",
        "offset=-1",
        "status=deleted",
        "limit=abc",
    ] {
        let reply = user.find_relays(bad).await;
        assert_eq!(
            (reply.status, reply.code()),
            (400, "request/invalid-query"),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn the_admins_totals_follow_creations_and_status_changes() {
    let app = TestApp::spawn_without_zooid().await;
    let user = app.as_tenant(&Keys::generate());
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(user.create_relay(&format!("count-{i}"), "free").await.id);
    }
    assert_eq!(user.deactivate(&ids[0]).await.status, 200);
    let admin = app.as_admin();
    let total = |query: &'static str| {
        let admin = &admin;
        async move { admin.find_relays(query).await.ok::<Page<Relay>>().total }
    };
    assert_eq!(total("limit=1").await, 4);
    assert_eq!(total("status=pending").await, 3);
    assert_eq!(total("status=inactive&limit=1").await, 1);
    assert_eq!(total("status=active").await, 0);
    let overview = admin.get("/api/stats").await;
    let by_status = &overview.body["relays"]["by_status"];
    let count = |status: &str| {
        by_status
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["status"] == status)
            .map(|c| c["count"].clone())
    };
    assert_eq!(count("pending"), Some(json!(3)), "{by_status}");
    assert_eq!(count("inactive"), Some(json!(1)), "{by_status}");
}
