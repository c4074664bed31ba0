//! Provisioning over zooid's HTTP API, against a stand-in that enforces zooid's contract:
//! every relay change reaches zooid as the right request with the full config, failures
//! are visible and retried, and nothing is lost across outages, crashes and races.

use std::time::Duration;

use caravel_testkit::zooid::ZooidStandIn;
use nostr_sdk::Keys;
use serde_json::json;

use crate::helpers::{Relay, TestApp, eventually};

const LIVEKIT: [(&str, &str); 3] = [
    ("LIVEKIT_URL", "wss://livekit.example.com"),
    ("LIVEKIT_API_KEY", "lk-key"),
    ("LIVEKIT_API_SECRET", "lk-secret"),
];

/// A platform whose relays are provisioned through `zooid`'s API.
async fn platform(zooid: &ZooidStandIn, robot: &Keys, extra: &[(&str, &str)]) -> TestApp {
    let secret = robot.secret_key().to_secret_hex();
    let url = zooid.url();
    let mut vars = vec![
        ("ZOOID_API_URL", url.as_str()),
        ("ZOOID_API_SECRET", secret.as_str()),
    ];
    vars.extend_from_slice(&LIVEKIT);
    vars.extend_from_slice(extra);
    vars.push(("NWC_URL", crate::helpers::TEST_NWC_URL));
    TestApp::spawn_with(&vars).await
}

async fn setup() -> (ZooidStandIn, TestApp) {
    let robot = Keys::generate();
    let zooid = ZooidStandIn::start(&[robot.public_key()]).await;
    let app = platform(&zooid, &robot, &[]).await;
    (zooid, app)
}

/// Waits until the relay reports `synced` and returns it.
async fn synced(app: &TestApp, owner: &Keys, id: &str) -> Relay {
    eventually(10, "the relay to be in sync", || async {
        let r = app.as_tenant(owner).relay(id).await;
        (r.sync.state == "synced").then_some(r)
    })
    .await
}

#[tokio::test]
async fn a_new_relay_is_posted_with_its_full_config_and_goes_active() {
    let (zooid, app) = setup().await;
    let owner = Keys::generate();
    let relay: Relay = app.as_tenant(&owner).try_create_relay(json!({
        "name": "Builders", "subdomain": "builders", "icon": "https://example.com/i.png", "description": "We build.", "plan": "basic"
    })).await.expect(201);
    let id = relay.id;
    let now = synced(&app, &owner, &id).await;
    assert_eq!(
        now.status, "active",
        "pending until the first sync, then active"
    );

    let requests = zooid.requests_for(&id);
    assert_eq!(requests.len(), 1);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].status),
        ("POST", 201)
    );
    let config = zooid.config(&id).unwrap();
    let secret = config["secret"].as_str().unwrap().to_string();
    assert_eq!(
        Keys::parse(&secret).unwrap().public_key().to_hex(),
        relay.pubkey,
        "zooid gets the relay's own key"
    );
    let owner_hex = owner.public_key().to_hex();
    assert_eq!(
        config,
        json!({
            "host": "builders.relays.test",
            "schema": "builders",
            "secret": secret,
            "inactive": false,
            "info": { "name": "Builders", "icon": "https://example.com/i.png", "pubkey": owner_hex, "description": "We build." },
            "policy": { "public_join": false, "strip_signatures": false },
            "groups": { "enabled": true },
            "management": { "enabled": true },
            "push": { "enabled": false },
            "blossom": { "enabled": true, "authenticated_read": true },
            "livekit": { "server_url": "wss://livekit.example.com/", "api_key": "lk-key", "api_secret": "lk-secret" },
            "roles": {
                "admin": { "pubkeys": [owner_hex], "can_manage": true, "can_invite": true },
                "member": { "pubkeys": [], "can_manage": false, "can_invite": false },
            },
        })
    );
    assert!(zooid.crashes().is_empty());
}

#[tokio::test]
async fn edits_plan_changes_and_status_changes_each_send_the_full_config() {
    let (zooid, app) = setup().await;
    let keys = Keys::generate();
    let owner = app.as_tenant(&keys);
    let id = owner.create_relay("changing", "basic").await.id;
    synced(&app, &keys, &id).await;

    owner
        .update_relay(
            &id,
            json!({ "name": "Renamed", "description": "new words", "subdomain": "changed" }),
        )
        .await;
    synced(&app, &keys, &id).await;
    let c = zooid.config(&id).unwrap();
    assert_eq!(
        (
            c["info"]["name"].as_str(),
            c["info"]["description"].as_str()
        ),
        (Some("Renamed"), Some("new words"))
    );
    assert_eq!(
        (c["host"].as_str(), c["schema"].as_str()),
        (Some("changed.relays.test"), Some("changing")),
        "host follows, schema stays"
    );
    assert_eq!(zooid.requests_for(&id).last().unwrap().method, "PUT");

    owner.update_relay(&id, json!({ "plan": "free" })).await;
    synced(&app, &keys, &id).await;
    let c = zooid.config(&id).unwrap();
    assert_eq!(
        c["blossom"]["enabled"], false,
        "the free plan has no Blossom"
    );
    assert_eq!(
        c["livekit"],
        json!({ "server_url": "", "api_key": "", "api_secret": "" }),
        "nor LiveKit"
    );
    owner.update_relay(&id, json!({ "plan": "growth" })).await;
    synced(&app, &keys, &id).await;
    assert_eq!(zooid.config(&id).unwrap()["livekit"]["api_key"], "lk-key");

    owner.deactivate(&id).await;
    synced(&app, &keys, &id).await;
    assert_eq!(
        zooid.config(&id).unwrap()["inactive"],
        true,
        "turned off, data kept"
    );
    owner.reactivate(&id).await;
    let back = synced(&app, &keys, &id).await;
    assert_eq!(
        (
            zooid.config(&id).unwrap()["inactive"].as_bool(),
            back.status.as_str()
        ),
        (Some(false), "active")
    );

    // Suspension (billing) reaches zooid the same way.
    sqlx::query("UPDATE relays SET status = 'suspended', desired_version = desired_version + 1, sync_next_at = 0 WHERE id = ?").bind(&id).execute(app.db()).await.unwrap();
    synced(&app, &keys, &id).await;
    assert_eq!(zooid.config(&id).unwrap()["inactive"], true);
    assert!(zooid.crashes().is_empty());
}

#[tokio::test]
async fn deactivating_a_tenant_turns_off_every_relay_in_zooid() {
    let (zooid, app) = setup().await;
    let keys = Keys::generate();
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(
            app.as_tenant(&keys)
                .create_relay(&format!("tenant-relay-{i}"), "free")
                .await
                .id,
        );
    }
    for id in &ids {
        synced(&app, &keys, id).await;
    }
    app.as_admin().deactivate_tenant(&keys.public_key()).await;
    for id in &ids {
        synced(&app, &keys, id).await;
        assert_eq!(zooid.config(id).unwrap()["inactive"], true);
    }
}

#[tokio::test]
async fn while_zooid_is_down_the_relay_shows_failing_then_converges_with_no_lost_update() {
    let (zooid, app) = setup().await;
    let keys = Keys::generate();
    zooid.go_down().await;
    let id = app.as_tenant(&keys).create_relay("outage", "free").await.id;
    let failing = eventually(10, "a failed attempt", || async {
        let r = app.as_tenant(&keys).relay(&id).await;
        (r.sync.state == "failing").then_some(r)
    })
    .await;
    assert!(
        failing
            .sync
            .last_error
            .as_deref()
            .unwrap()
            .contains("could not connect"),
        "{failing:?}"
    );
    assert!(failing.sync.next_attempt_at.is_some());
    assert_eq!(failing.status, "pending");
    let ready = app.as_admin().provisioning().await;
    assert_eq!(
        (
            ready["behind"].as_i64(),
            ready["failing"].as_i64(),
            ready["worker_alive"].as_bool()
        ),
        (Some(1), Some(1), Some(true))
    );

    // An edit made during the outage is what zooid ends up with.
    app.as_tenant(&keys)
        .update_relay(&id, json!({ "name": "Edited while down" }))
        .await;
    zooid.come_back().await;
    let after = synced(&app, &keys, &id).await;
    assert_eq!(after.status, "active");
    assert_eq!(
        zooid.config(&id).unwrap()["info"]["name"],
        "Edited while down"
    );
    assert_eq!(app.as_admin().provisioning().await["behind"], 0);
}

#[tokio::test]
async fn error_answers_and_timeouts_are_recorded_and_retried() {
    let robot = Keys::generate();
    let zooid = ZooidStandIn::start(&[robot.public_key()]).await;
    let app = platform(&zooid, &robot, &[("ZOOID_TIMEOUT_MS", "300")]).await;
    let keys = Keys::generate();
    zooid.fail_with(Some(500));
    let id = app.as_tenant(&keys).create_relay("flaky", "free").await.id;
    let error = last_error(&app, &keys, &id, "500").await;
    assert!(
        error.contains("injected failure"),
        "the body is kept: {error}"
    );
    zooid.fail_with(None);
    zooid.hang(true);
    last_error(&app, &keys, &id, "timed out").await;
    zooid.hang(false);
    synced(&app, &keys, &id).await;

    let history: Vec<String> = sqlx::query_scalar("SELECT action FROM activity WHERE resource_id = ? AND action LIKE 'relay.sync%' ORDER BY id")
        .bind(&id)
        .fetch_all(app.db())
        .await
        .unwrap();
    assert!(
        history.len() >= 3 && history.last().unwrap() == "relay.sync-succeeded",
        "{history:?}"
    );
    assert!(
        history[..history.len() - 1]
            .iter()
            .all(|a| a == "relay.sync-failed")
    );
}

async fn last_error(app: &TestApp, keys: &Keys, id: &str, needle: &str) -> String {
    eventually(10, needle, || async {
        let r = app.as_tenant(keys).relay(id).await;
        r.sync.last_error.filter(|e| e.contains(needle))
    })
    .await
}

#[tokio::test]
async fn a_key_zooid_does_not_whitelist_is_reported() {
    let zooid = ZooidStandIn::start(&[Keys::generate().public_key()]).await;
    let app = platform(&zooid, &Keys::generate(), &[]).await;
    let keys = Keys::generate();
    let id = app
        .as_tenant(&keys)
        .create_relay("unlisted", "free")
        .await
        .id;
    let error = last_error(&app, &keys, &id, "403").await;
    assert!(error.contains("whitelist"), "{error}");
}

#[tokio::test]
async fn a_crash_mid_sync_loses_nothing_after_restart() {
    let (zooid, app) = setup().await;
    let keys = Keys::generate();
    zooid.hang(true);
    let id = app.as_tenant(&keys).create_relay("crashy", "free").await.id;
    eventually(10, "the sync to be in flight", || async {
        (!zooid.requests_for(&id).is_empty()).then_some(())
    })
    .await;
    let app = app.crash_and_restart().await;
    zooid.hang(false);
    let relay = synced(&app, &keys, &id).await;
    assert_eq!(relay.status, "active");
    assert_eq!(zooid.config(&id).unwrap()["info"]["name"], "Relay crashy");
}

#[tokio::test]
async fn edits_during_a_sync_end_with_zooid_holding_the_last_one() {
    let (zooid, app) = setup().await;
    let keys = Keys::generate();
    let id = app.as_tenant(&keys).create_relay("racing", "free").await.id;
    synced(&app, &keys, &id).await;
    zooid.delay(Duration::from_millis(150));
    for i in 0..8 {
        app.as_tenant(&keys)
            .update_relay(&id, json!({ "name": format!("Edit {i}") }))
            .await;
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    let relay = synced(&app, &keys, &id).await;
    assert_eq!(relay.name, "Edit 7");
    assert_eq!(zooid.config(&id).unwrap()["info"]["name"], "Edit 7");
}

#[tokio::test]
async fn when_zooid_lost_or_already_has_a_config_the_sync_still_lands() {
    let (zooid, app) = setup().await;
    let keys = Keys::generate();
    let id = app
        .as_tenant(&keys)
        .create_relay("resilient", "free")
        .await
        .id;
    synced(&app, &keys, &id).await;

    zooid.forget(&id);
    app.as_tenant(&keys)
        .update_relay(&id, json!({ "name": "After loss" }))
        .await;
    synced(&app, &keys, &id).await;
    let methods: Vec<(String, u16)> = zooid
        .requests_for(&id)
        .iter()
        .map(|r| (r.method.clone(), r.status))
        .collect();
    assert_eq!(
        &methods[1..],
        &[("PUT".into(), 404), ("POST".into(), 201)],
        "PUT 404 falls back to POST"
    );

    // The platform lost track (synced_version 0) but zooid has it: POST 409, then PUT.
    sqlx::query("UPDATE relays SET synced_version = 0 WHERE id = ?")
        .bind(&id)
        .execute(app.db())
        .await
        .unwrap();
    app.as_admin().sync_relay(&id).await;
    synced(&app, &keys, &id).await;
    let tail: Vec<(String, u16)> = zooid
        .requests_for(&id)
        .iter()
        .rev()
        .take(2)
        .rev()
        .map(|r| (r.method.clone(), r.status))
        .collect();
    assert_eq!(tail, vec![("POST".into(), 409), ("PUT".into(), 200)]);
}

#[tokio::test]
async fn an_admin_can_force_a_sync_and_only_an_admin() {
    let (zooid, app) = setup().await;
    let keys = Keys::generate();
    let id = app.as_tenant(&keys).create_relay("forced", "free").await.id;
    synced(&app, &keys, &id).await;
    let denied = app.as_tenant(&keys).sync_relay(&id).await;
    assert_eq!(denied.status, 403);
    let before = zooid.requests_for(&id).len();
    let forced = app.as_admin().sync_relay(&id).await;
    assert_eq!(forced.status, 200);
    synced(&app, &keys, &id).await;
    assert_eq!(
        zooid.requests_for(&id).len(),
        before + 1,
        "the config was sent again"
    );
    let ready = app.anonymous().ready().await.body;
    assert_eq!(ready["checks"]["provisioner"], "ok");
}

#[tokio::test]
async fn many_relays_sync_concurrently_and_all_converge() {
    let (zooid, app) = setup().await;
    zooid.delay(Duration::from_millis(100));
    let keys = Keys::generate();
    let started = std::time::Instant::now();
    for i in 0..40 {
        app.as_tenant(&keys)
            .create_relay(&format!("bulk-{i}"), "free")
            .await;
    }
    eventually(20, "all relays in sync", || async {
        (zooid.config_count() == 40).then_some(())
    })
    .await;
    // 40 syncs at 100 ms each would take 4 s one after another.
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "syncs ran concurrently: {:?}",
        started.elapsed()
    );
    eventually(10, "an empty backlog", || async {
        (app.as_admin().provisioning().await["behind"] == 0).then_some(())
    })
    .await;
}
