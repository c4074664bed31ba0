//! A fleet of zooid nodes (stand-ins enforcing zooid's API, each its own relay port):
//! placement by free capacity, draining, a node outage that holds back only its own relays
//! and is caught up on within seconds, durable moves that resume after a crash, and the
//! admin-only routes that manage all of it.

use caravel_testkit::zooid::ZooidStandIn;
use nostr_sdk::Keys;
use serde_json::{Value, json};

use crate::helpers::{Relay, TEST_NWC_URL, TestApp, eventually};

/// A platform whose settings define node `main` (stand-in `a`), and a second node `b`.
struct Fleet {
    a: ZooidStandIn,
    b: ZooidStandIn,
    key: Keys,
    app: TestApp,
}

impl Fleet {
    async fn start(main_capacity: i64, b_capacity: i64) -> Self {
        let key = Keys::generate();
        let a = ZooidStandIn::start(&[key.public_key()]).await;
        let b = ZooidStandIn::start(&[key.public_key()]).await;
        let (url, secret) = (a.url(), key.secret_key().to_secret_hex());
        let (upstream, capacity) = (a.relay_addr().to_string(), main_capacity.to_string());
        let app = TestApp::spawn_with(&[
            ("NWC_URL", TEST_NWC_URL),
            ("ZOOID_API_URL", url.as_str()),
            ("ZOOID_API_SECRET", secret.as_str()),
            ("ZOOID_UPSTREAM", upstream.as_str()),
            ("ZOOID_CAPACITY", capacity.as_str()),
            ("ROUTING_DNS_ADDR", "127.0.0.1:0"),
            ("NODE_PROBE_MAX_MS", "1000"),
        ])
        .await;
        let fleet = Self { a, b, key, app };
        fleet.add_b(b_capacity).await;
        fleet
    }

    async fn add_b(&self, capacity: i64) {
        let node = json!({
            "id": "b", "api_url": self.b.url(), "upstream": self.b.relay_addr().to_string(), "capacity": capacity
        });
        self.app
            .as_admin()
            .add_node(node)
            .await
            .expect::<Value>(201);
    }

    async fn node(&self, id: &str) -> Value {
        let nodes = self.app.as_admin().nodes().await;
        let list = nodes["nodes"].as_array().unwrap();
        list.iter()
            .find(|n| n["id"] == id)
            .cloned()
            .expect("node listed")
    }
}

async fn synced(app: &TestApp, owner: &Keys, id: &str) -> Relay {
    eventually(10, "the relay to be in sync", || async {
        let r = app.as_tenant(owner).relay(id).await;
        (r.sync.state == "synced").then_some(r)
    })
    .await
}

#[tokio::test]
async fn new_relays_go_to_the_active_node_with_most_room_and_are_refused_when_none_has_any() {
    let f = Fleet::start(3, 2).await;
    let owner = Keys::generate();
    let mut placed = Vec::new();
    for i in 0..5 {
        let r = f
            .app
            .as_tenant(&owner)
            .create_relay(&format!("club{i}"), "free")
            .await;
        placed.push((r.id.clone(), r.node.clone().unwrap()));
    }
    let nodes: Vec<&str> = placed.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        nodes,
        ["main", "b", "main", "b", "main"],
        "most free first; a tie goes to the smaller id"
    );
    for (id, node) in &placed {
        synced(&f.app, &owner, id).await;
        let (on, off) = if node == "main" {
            (&f.a, &f.b)
        } else {
            (&f.b, &f.a)
        };
        assert!(on.config(id).is_some(), "{id} is configured on {node}");
        assert!(off.config(id).is_none(), "{id} is on no other node");
    }

    let full = f
        .app
        .as_tenant(&owner)
        .try_create_relay(json!({
            "name": "One too many", "subdomain": "toomany", "plan": "free"
        }))
        .await;
    assert_eq!((full.status, full.code()), (503, "relay/no-capacity"));
    let nodes = f.app.as_admin().nodes().await;
    assert_eq!(nodes["refused_placements"], 1, "admins see the refusal");
    assert_eq!(
        (
            f.node("main").await["relays"].as_i64(),
            f.node("main").await["free"].as_i64()
        ),
        (Some(3), Some(0))
    );

    // A draining node takes nothing new, whatever its room.
    let admin = f.app.as_admin();
    admin
        .change_node("b", json!({ "state": "draining", "capacity": 100 }))
        .await
        .expect::<Value>(200);
    admin
        .change_node("main", json!({ "capacity": 4 }))
        .await
        .expect::<Value>(200);
    let next = f.app.as_tenant(&owner).create_relay("club5", "free").await;
    assert_eq!(next.node.as_deref(), Some("main"));
    let none = f
        .app
        .as_tenant(&owner)
        .try_create_relay(json!({
            "name": "Nowhere", "subdomain": "nowhere", "plan": "free"
        }))
        .await;
    assert_eq!(
        none.code(),
        "relay/no-capacity",
        "main is full again and b is draining"
    );
}

#[tokio::test]
async fn a_node_outage_holds_back_only_its_relays_which_catch_up_within_seconds_of_its_return() {
    let f = Fleet::start(3, 3).await;
    let owner = Keys::generate();
    let mut relays = Vec::new();
    for i in 0..6 {
        let r = f
            .app
            .as_tenant(&owner)
            .create_relay(&format!("team{i}"), "free")
            .await;
        synced(&f.app, &owner, &r.id).await;
        relays.push(r);
    }
    f.a.go_down().await;
    for r in &relays {
        f.app
            .as_tenant(&owner)
            .update_relay(&r.id, json!({ "name": "Renamed" }))
            .await
            .expect::<Value>(200);
    }
    let (on_a, on_b): (Vec<&Relay>, Vec<&Relay>) = relays
        .iter()
        .partition(|r| r.node.as_deref() == Some("main"));
    for r in &on_b {
        let now = synced(&f.app, &owner, &r.id).await;
        assert_eq!(
            f.b.config(&r.id).unwrap()["info"]["name"],
            "Renamed",
            "{} is not held back",
            now.id
        );
    }
    let main = eventually(10, "main to be seen unreachable", || async {
        let n = f.node("main").await;
        (n["health"]["failures"].as_i64() > Some(0)).then_some(n)
    })
    .await;
    assert!(
        main["health"]["last_error"]
            .as_str()
            .unwrap()
            .contains("unreachable"),
        "{main}"
    );
    for r in &on_a {
        let now = f.app.as_tenant(&owner).relay(&r.id).await;
        assert_ne!(now.sync.state, "synced", "waiting for its node");
        assert_eq!(f.a.config(&r.id).unwrap()["info"]["name"], r.name);
        assert_eq!(
            now.sync.attempts, 0,
            "a node's outage counts no attempts against its relays"
        );
    }

    f.a.come_back().await;
    for r in &on_a {
        eventually(6, "main's backlog to be sent once it answers", || async {
            let now = f.app.as_tenant(&owner).relay(&r.id).await;
            (now.sync.state == "synced").then_some(())
        })
        .await;
        assert_eq!(f.a.config(&r.id).unwrap()["info"]["name"], "Renamed");
    }
    assert_eq!(f.node("main").await["health"]["failures"], 0);
}

async fn moved(app: &TestApp, owner: &Keys, id: &str, to: &str) -> Relay {
    eventually(15, "the move to finish", || async {
        let r = app.as_tenant(owner).relay(id).await;
        (r.moving.is_none() && r.node.as_deref() == Some(to) && r.sync.state == "synced")
            .then_some(r)
    })
    .await
}

#[tokio::test]
async fn a_move_configures_the_target_switches_and_retires_the_source() {
    let f = Fleet::start(10, 10).await;
    let owner = Keys::generate();
    let r = f.app.as_tenant(&owner).create_relay("movers", "free").await;
    assert_eq!(r.node.as_deref(), Some("b"));
    synced(&f.app, &owner, &r.id).await;

    let started: Relay = f.app.as_admin().move_relay(&r.id, "main").await.expect(202);
    assert_eq!(started.moving.unwrap()["to"], "main");
    moved(&f.app, &owner, &r.id, "main").await;
    let config = f.a.config(&r.id).expect("configured on the target");
    assert_eq!(config["inactive"], false, "live on the target");
    assert!(f.b.config(&r.id).is_none(), "deleted from the source");
    let writes_to_a: Vec<(String, bool)> =
        f.a.requests_for(&r.id)
            .into_iter()
            .map(|q| {
                (
                    q.method,
                    q.body.map(|b| b["inactive"] == true).unwrap_or(false),
                )
            })
            .collect();
    assert_eq!(
        writes_to_a.first(),
        Some(&("POST".to_string(), true)),
        "the target first gets the relay turned off: {writes_to_a:?}"
    );
    let source: Vec<String> =
        f.b.requests_for(&r.id)
            .into_iter()
            .map(|q| q.method)
            .collect();
    assert_eq!(
        source.last().map(String::as_str),
        Some("DELETE"),
        "{source:?}"
    );
    let actions = f.app.activity_actions(&r.id).await;
    let steps: Vec<&str> = actions
        .iter()
        .map(String::as_str)
        .filter(|a| a.starts_with("relay.move"))
        .collect();
    assert_eq!(
        steps,
        [
            "relay.move-started",
            "relay.move-prepared",
            "relay.move-switched",
            "relay.moved"
        ]
    );
    assert_eq!(f.node("b").await["relays"], 0);
}

#[tokio::test]
async fn a_crash_mid_move_resumes_at_the_step_it_stopped_at() {
    let f = Fleet::start(10, 10).await;
    let owner = Keys::generate();
    let r = f.app.as_tenant(&owner).create_relay("resume", "free").await;
    synced(&f.app, &owner, &r.id).await;
    // The source (b) refuses: the move stops after preparing the target.
    f.b.fail_with(Some(500));
    f.app
        .as_admin()
        .move_relay(&r.id, "main")
        .await
        .expect::<Value>(202);
    eventually(10, "the switch to fail at the source", || async {
        let now = f.app.as_tenant(&owner).relay(&r.id).await;
        let step = now.moving.as_ref().map(|m| m["step"].clone());
        (step == Some(json!("switching"))).then_some(())
    })
    .await;
    assert_eq!(
        f.a.config(&r.id).unwrap()["inactive"],
        true,
        "prepared, still off"
    );
    let Fleet { a, b, app, key } = f;
    let app = app.crash_and_restart().await;
    b.fail_with(None);
    let f = Fleet { a, b, app, key };
    moved(&f.app, &owner, &r.id, "main").await;
    assert_eq!(f.a.config(&r.id).unwrap()["inactive"], false);
    assert!(f.b.config(&r.id).is_none());
    let actions = f.app.activity_actions(&r.id).await;
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "relay.move-prepared")
            .count(),
        1,
        "no step done twice: {actions:?}"
    );
}

#[tokio::test]
async fn moves_and_nodes_are_refused_with_clear_codes_and_only_admins_manage_them() {
    let f = Fleet::start(10, 10).await;
    let owner = Keys::generate();
    let r = f
        .app
        .as_tenant(&owner)
        .create_relay("refusals", "free")
        .await;
    let admin = f.app.as_admin();
    let on = r.node.clone().unwrap();
    assert_eq!(
        admin.move_relay(&r.id, &on).await.code(),
        "relay/already-on-node"
    );
    assert_eq!(
        admin.move_relay(&r.id, "nowhere").await.code(),
        "node/not-found"
    );
    let other = if on == "main" { "b" } else { "main" };
    admin
        .change_node(other, json!({ "state": "draining" }))
        .await
        .expect::<Value>(200);
    let draining = admin.move_relay(&r.id, other).await;
    assert_eq!(
        (draining.status, draining.code()),
        (409, "node/not-accepting")
    );
    admin
        .change_node(other, json!({ "state": "active" }))
        .await
        .expect::<Value>(200);
    // A move that cannot get past its first step is still a move in progress.
    let target = if other == "main" { &f.a } else { &f.b };
    target.fail_with(Some(400));
    admin.move_relay(&r.id, other).await.expect::<Value>(202);
    assert_eq!(
        admin.move_relay(&r.id, other).await.code(),
        "relay/move-in-progress"
    );

    let bad = admin.add_node(json!({ "id": "Bad Name", "upstream": "10.0.0.1:3334", "capacity": 1, "api_url": "http://10.0.0.1:1" })).await;
    assert_eq!((bad.status, bad.code()), (422, "node/invalid"));
    let bad = admin.add_node(json!({ "id": "c", "upstream": "nowhere", "capacity": 1, "api_url": "http://10.0.0.1:1" })).await;
    assert_eq!(bad.code(), "node/invalid");
    let dup = admin.add_node(json!({ "id": "b", "upstream": "10.0.0.1:3334", "capacity": 1, "api_url": "http://10.0.0.1:1" })).await;
    assert_eq!((dup.status, dup.code()), (409, "node/exists"));
    let first_dir = admin
        .add_node(json!({ "id": "c", "upstream": "10.0.0.1:3334", "capacity": 0 }))
        .await;
    assert_eq!(
        first_dir.status, 201,
        "main is reached by its API; one node may be the local directory"
    );
    let third_dir = admin
        .add_node(json!({ "id": "d", "upstream": "10.0.0.1:3334", "capacity": 1 }))
        .await;
    assert_eq!(
        third_dir.code(),
        "node/exists",
        "only one node may be the local directory"
    );
    let secret = admin.add_node(json!({ "id": "e", "upstream": "10.0.0.1:3334", "capacity": 1, "api_url": "http://10.0.0.1:1", "api_secret": "not a key" })).await;
    assert_eq!(secret.code(), "node/invalid");

    let tenant = f.app.as_tenant(&owner);
    assert_eq!(tenant.get("/api/nodes").await.status, 403);
    assert_eq!(tenant.move_relay(&r.id, "main").await.status, 403);
    assert_eq!(
        tenant
            .change_node("main", json!({ "capacity": 1 }))
            .await
            .status,
        403
    );
    assert_eq!(f.app.anonymous().get("/api/nodes").await.status, 401);
    let listed = f.app.as_admin().nodes().await;
    assert!(
        !listed
            .to_string()
            .contains(&f.key.secret_key().to_secret_hex()),
        "keys are never shown"
    );
}

#[tokio::test]
async fn a_node_with_its_own_key_is_reached_with_it_and_the_key_is_never_shown() {
    let f = Fleet::start(0, 0).await;
    let own = Keys::generate();
    let c = ZooidStandIn::start(&[own.public_key()]).await;
    let node = json!({
        "id": "c", "api_url": c.url(), "upstream": c.relay_addr().to_string(), "capacity": 5,
        "api_secret": nostr_sdk::ToBech32::to_bech32(own.secret_key()).unwrap(),
    });
    let view: Value = f.app.as_admin().add_node(node).await.expect(201);
    assert_eq!(view["own_secret"], true);
    assert!(!view.to_string().contains(&own.secret_key().to_secret_hex()));
    let owner = Keys::generate();
    let r = f.app.as_tenant(&owner).create_relay("ownkey", "free").await;
    assert_eq!(r.node.as_deref(), Some("c"));
    synced(&f.app, &owner, &r.id).await;
    assert!(
        c.config(&r.id).is_some(),
        "signed with c's own key, which only c whitelists"
    );
}
