//! Creating, reading, editing and turning relays off and on, with every validation rule.

mod common;

use common::TestApp;
use nostr_sdk::Keys;
use serde_json::json;

#[tokio::test]
async fn a_new_relay_is_pending_with_its_address_and_own_key() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let relay = app.as_user(&keys).post("/api/relays", json!({
        "name": "  Bitcoin Builders ", "subdomain": "Bitcoin-Builders", "icon": "https://example.com/i.png",
        "description": "We build.", "plan": "basic"
    })).await;
    assert_eq!(relay.status, 201, "{:?}", relay.body);
    let r = &relay.body;
    assert_eq!(r["name"], "Bitcoin Builders");
    assert_eq!(r["subdomain"], "bitcoin-builders");
    assert_eq!(r["host"], "bitcoin-builders.relays.test");
    assert_eq!(r["url"], "wss://bitcoin-builders.relays.test");
    assert_eq!(r["schema"], "bitcoin_builders");
    assert_eq!(r["status"], "pending");
    assert_eq!(r["plan"], "basic");
    assert_eq!(r["tenant"], keys.public_key().to_hex());
    assert_eq!(r["sync"]["state"], "pending");
    assert_eq!(r["pubkey"].as_str().unwrap().len(), 64);
    assert_ne!(
        r["pubkey"],
        keys.public_key().to_hex(),
        "each relay gets its own key"
    );
    assert!(r.get("secret").is_none() && r.get("secret_enc").is_none());

    // Creating a relay registered the tenant.
    let me = app.as_user(&keys).get("/api/identity").await;
    assert_eq!(me.body["tenant"]["relay_count"], 1);
}

#[tokio::test]
async fn the_relay_secret_is_encrypted_at_rest_and_never_returned() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let relay = app
        .as_user(&keys)
        .create_relay("secret-keeper", "free")
        .await;
    let id = relay["id"].as_str().unwrap();
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
        relay["pubkey"], derived,
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
    let listed = app.as_user(&keys).get("/api/relays").await;
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
            .as_user(&user)
            .post(
                "/api/relays",
                json!({ "name": "x", "subdomain": sub, "plan": "free" }),
            )
            .await;
        assert_eq!(reply.status, 422, "{sub}: {:?}", reply.body);
        assert_eq!(reply.code(), code, "{sub}");
        assert_eq!(reply.body["error"]["field"], "subdomain");
        let check = app
            .as_user(&user)
            .get(&format!(
                "/api/relays/availability?subdomain={}",
                urlencode(sub)
            ))
            .await;
        assert_eq!(check.body["available"], false, "{sub}");
        assert_eq!(check.body["code"], code, "{sub}");
    }
    assert_eq!(
        app.as_user(&user).get("/api/relays").await.body["total"],
        0,
        "nothing was half-written"
    );
}

#[tokio::test]
async fn names_icons_descriptions_and_plans_are_validated() {
    let app = TestApp::spawn().await;
    let user = app.as_user(&Keys::generate());
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
        let reply = user.post("/api/relays", body.clone()).await;
        assert_eq!(
            (reply.status, reply.code()),
            (status, code),
            "{body}: {:?}",
            reply.body
        );
    }
    let missing = user
        .post("/api/relays", json!({ "name": "x", "plan": "free" }))
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
    let user = app.as_user(&Keys::generate());
    let reply = user
        .post(
            "/api/relays",
            json!({ "name": "x", "subdomain": "paid-one", "plan": "basic" }),
        )
        .await;
    assert_eq!(
        (reply.status, reply.code()),
        (422, "billing/not-configured")
    );
    let plans = app.anonymous().get("/api/plans").await;
    let available: Vec<(String, bool)> = plans
        .body
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
    app.as_user(&a).create_relay("popular", "free").await;
    let reply = app
        .as_user(&b)
        .post(
            "/api/relays",
            json!({ "name": "x", "subdomain": "Popular", "plan": "free" }),
        )
        .await;
    assert_eq!((reply.status, reply.code()), (409, "relay/subdomain-taken"));
    let check = app
        .as_user(&b)
        .get("/api/relays/availability?subdomain=popular")
        .await;
    assert_eq!(check.body["available"], false);
    assert_eq!(check.body["code"], "relay/subdomain-taken");
    let free = app
        .as_user(&b)
        .get("/api/relays/availability?subdomain=Unpopular")
        .await;
    assert_eq!(
        free.body,
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
        let (ua, ub) = (app.as_user(&a), app.as_user(&b));
        let (ra, rb) = tokio::join!(
            ua.post("/api/relays", body.clone()),
            ub.post("/api/relays", body.clone())
        );
        let mut statuses = [ra.status, rb.status];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "{:?} {:?}", ra.body, rb.body);
    }
    assert_eq!(app.as_admin().get("/api/relays").await.body["total"], 5);
}

#[tokio::test]
async fn editing_changes_fields_but_never_the_schema() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let user = app.as_user(&keys);
    let relay = user.create_relay("first-name", "free").await;
    let path = format!("/api/relays/{}", relay["id"].as_str().unwrap());
    let edited = user.put(&path, json!({ "name": "Renamed", "subdomain": "second-name", "plan": "growth", "description": "new" })).await;
    assert_eq!(edited.status, 200, "{:?}", edited.body);
    assert_eq!(edited.body["subdomain"], "second-name");
    assert_eq!(edited.body["host"], "second-name.relays.test");
    assert_eq!(
        edited.body["schema"], "first_name",
        "the schema is fixed at creation"
    );
    assert_eq!(edited.body["plan"], "growth");
    assert_eq!(edited.body["icon"], "", "fields left out keep their value");

    // The old subdomain is free again, but its schema is still held: a new relay there would collide in zooid.
    let reuse = user
        .post(
            "/api/relays",
            json!({ "name": "x", "subdomain": "first-name", "plan": "free" }),
        )
        .await;
    assert_eq!((reuse.status, reuse.code()), (409, "relay/subdomain-taken"));

    let other = user.create_relay("third-name", "free").await;
    let clash = user
        .put(
            &format!("/api/relays/{}", other["id"].as_str().unwrap()),
            json!({ "subdomain": "second-name" }),
        )
        .await;
    assert_eq!((clash.status, clash.code()), (409, "relay/subdomain-taken"));
    let bad = user.put(&path, json!({ "plan": "nope" })).await;
    assert_eq!((bad.status, bad.code()), (422, "plan/unknown"));

    let history: Vec<String> =
        sqlx::query_scalar("SELECT action FROM activity WHERE resource_id = ? AND action NOT LIKE 'relay.sync-%' ORDER BY id")
            .bind(relay["id"].as_str().unwrap())
            .fetch_all(app.db())
            .await
            .unwrap();
    assert_eq!(history, vec!["relay.created", "relay.plan-changed"]);
}

#[tokio::test]
async fn every_change_asks_for_a_new_sync_and_a_noop_does_not() {
    let app = TestApp::spawn().await;
    let user = app.as_user(&Keys::generate());
    let relay = user.create_relay("versioned", "free").await;
    let id = relay["id"].as_str().unwrap();
    let version = || async {
        sqlx::query_scalar::<_, i64>("SELECT desired_version FROM relays WHERE id = ?")
            .bind(id)
            .fetch_one(app.db())
            .await
            .unwrap()
    };
    assert_eq!(version().await, 1);
    user.put(
        &format!("/api/relays/{id}"),
        json!({ "name": "Relay versioned" }),
    )
    .await;
    assert_eq!(version().await, 1, "no change, no sync");
    user.put(&format!("/api/relays/{id}"), json!({ "name": "New" }))
        .await;
    assert_eq!(version().await, 2);
    user.post_empty(&format!("/api/relays/{id}/deactivate"))
        .await;
    user.post_empty(&format!("/api/relays/{id}/deactivate"))
        .await;
    assert_eq!(version().await, 3, "deactivating twice is one change");
    user.post_empty(&format!("/api/relays/{id}/reactivate"))
        .await;
    assert_eq!(version().await, 4);
}

#[tokio::test]
async fn deactivating_keeps_the_relay_and_reactivating_brings_it_back() {
    let app = TestApp::spawn_without_zooid().await;
    let owner = Keys::generate();
    let user = app.as_user(&owner);
    let relay = user.create_relay("on-off", "free").await;
    let path = format!("/api/relays/{}", relay["id"].as_str().unwrap());
    let off = user.post_empty(&format!("{path}/deactivate")).await;
    assert_eq!(
        (
            off.body["status"].as_str(),
            off.body["inactive_reason"].as_str()
        ),
        (Some("inactive"), Some("owner"))
    );
    let on = user.post_empty(&format!("{path}/reactivate")).await;
    assert_eq!(on.body["status"], "pending", "never synced yet, so pending");
    let by_admin = app
        .as_admin()
        .post_empty(&format!("{path}/deactivate"))
        .await;
    assert_eq!(by_admin.body["inactive_reason"], "admin");

    sqlx::query("UPDATE relays SET status = 'suspended', inactive_reason = NULL WHERE id = ?")
        .bind(relay["id"].as_str().unwrap())
        .execute(app.db())
        .await
        .unwrap();
    let refused = user.post_empty(&format!("{path}/reactivate")).await;
    assert_eq!((refused.status, refused.code()), (409, "relay/suspended"));
}

#[tokio::test]
async fn lists_search_filter_and_page() {
    let app = TestApp::spawn_without_zooid().await;
    let user = app.as_user(&Keys::generate());
    for i in 0..7 {
        user.create_relay(
            &format!("relay-{i}"),
            if i % 2 == 0 { "free" } else { "basic" },
        )
        .await;
    }
    user.put(
        &format!(
            "/api/relays/{}",
            user.get("/api/relays?q=relay-3").await.body["items"][0]["id"]
                .as_str()
                .unwrap()
        ),
        json!({ "name": "Special" }),
    )
    .await;
    let page = user.get("/api/relays?limit=3&offset=3").await;
    assert_eq!(
        (
            page.body["total"].as_i64(),
            page.body["items"].as_array().unwrap().len()
        ),
        (Some(7), 3)
    );
    assert_eq!(user.get("/api/relays?plan=basic").await.body["total"], 3);
    assert_eq!(
        user.get("/api/relays?q=special").await.body["items"][0]["subdomain"],
        "relay-3"
    );
    assert_eq!(
        user.get("/api/relays?q=%25").await.body["total"],
        0,
        "LIKE wildcards are literal"
    );
    assert_eq!(
        user.get("/api/relays?status=pending").await.body["total"],
        7,
        "not yet served by zooid"
    );
    assert_eq!(
        user.get("/api/relays?status=inactive").await.body["total"],
        0
    );
    for bad in [
        "limit=0",
        "limit=500",
        "offset=-1",
        "status=deleted",
        "limit=abc",
    ] {
        let reply = user.get(&format!("/api/relays?{bad}")).await;
        assert_eq!(
            (reply.status, reply.code()),
            (400, "request/invalid-query"),
            "{bad}"
        );
    }
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
