//! Tenants run their community: switches, co-admins and inviters reach zooid in the relay's
//! config; members are read from the relay's own list (over WebSocket, as the relay) and
//! managed through NIP-86 as the relay, within the plan's member limit. Against the zooid
//! stand-in, which keeps membership and answers NIP-86 as zooid does.

use caravel_testkit::zooid::ZooidStandIn;
use nostr_sdk::Keys;
use serde_json::{Value, json};

use crate::helpers::{Relay, TestApp, eventually};

pub struct Community {
    pub zooid: ZooidStandIn,
    pub app: TestApp,
}

pub async fn setup() -> Community {
    setup_recounting_every("1").await
}

/// A platform whose member watcher re-reads lists every `secs` seconds.
async fn setup_recounting_every(secs: &str) -> Community {
    let robot = Keys::generate();
    let zooid = ZooidStandIn::start(&[robot.public_key()]).await;
    let secret = robot.secret_key().to_secret_hex();
    let (api, relays) = (zooid.url(), zooid.relay_url());
    let app = TestApp::spawn_with(&[
        ("ZOOID_API_URL", api.as_str()),
        ("ZOOID_API_SECRET", secret.as_str()),
        ("RELAY_URL_TEMPLATE", relays.as_str()),
        ("MEMBERS_RECOUNT_SECS", secs),
        ("NWC_URL", crate::helpers::TEST_NWC_URL),
    ])
    .await;
    Community { zooid, app }
}

impl Community {
    /// A relay of `owner` on `plan`, served by zooid.
    pub async fn relay(&self, owner: &Keys, subdomain: &str, plan: &str) -> Relay {
        let relay = self
            .app
            .as_tenant(owner)
            .create_relay(subdomain, plan)
            .await;
        self.synced(owner, &relay.id).await
    }

    async fn synced(&self, owner: &Keys, id: &str) -> Relay {
        eventually(10, "the relay to be in sync", || async {
            let r = self.app.as_tenant(owner).relay(id).await;
            (r.sync.state == "synced" && r.status == "active").then_some(r)
        })
        .await
    }

    /// zooid's config once it has `check` true.
    async fn config_where(&self, id: &str, what: &str, check: impl Fn(&Value) -> bool) -> Value {
        eventually(10, what, || async {
            self.zooid.config(id).filter(|c| check(c))
        })
        .await
    }

    /// `n` people who joined at zooid, as if with an invite.
    pub async fn joined(&self, id: &str, n: usize) -> Vec<Keys> {
        let mut people = Vec::new();
        for _ in 0..n {
            let k = Keys::generate();
            self.zooid.join(&k, id).await.unwrap();
            people.push(k);
        }
        people
    }
}

pub fn hex(k: &Keys) -> String {
    k.public_key().to_hex()
}

pub fn member_keys(view: &Value) -> Vec<String> {
    view["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["pubkey"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_owner_sees_the_members_the_relay_itself_lists() {
    let c = setup().await;
    let owner = Keys::generate();
    let relay = c.relay(&owner, "readers", "free").await;
    let me = c.app.as_tenant(&owner);

    let view: Value = me.members(&relay.id).await.ok();
    assert_eq!(
        member_keys(&view),
        vec![hex(&owner)],
        "the owner, and not the relay's own key"
    );
    assert_eq!(view["items"][0]["role"], "owner");
    assert_eq!(
        (view["count"].as_i64(), view["limit"].as_i64()),
        (Some(1), Some(10))
    );

    let alice = Keys::generate();
    c.zooid.join(&alice, &relay.id).await.unwrap();
    let view: Value = me.members(&relay.id).await.ok();
    assert!(member_keys(&view).contains(&hex(&alice)));
    let joined = view["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["pubkey"] == hex(&alice))
        .unwrap();
    assert!(
        joined["joined_at"].as_i64().is_some(),
        "when the relay added her"
    );
    assert_eq!(view["count"], 2);
    assert_eq!(
        me.relay(&relay.id).await.member_count,
        Some(2),
        "the count is kept with the relay"
    );
}

#[tokio::test]
async fn members_are_added_and_removed_at_the_relay_as_the_relay_and_logged() {
    let c = setup().await;
    let owner = Keys::generate();
    let relay = c.relay(&owner, "garden", "free").await;
    let me = c.app.as_tenant(&owner);
    let bob = Keys::generate();

    let added: Value = me
        .add_member(&relay.id, &bob.public_key().to_bech32_npub())
        .await
        .expect(201);
    assert!(member_keys(&added).contains(&hex(&bob)));
    assert!(
        c.zooid.members(&relay.id).contains(&hex(&bob)),
        "zooid has him"
    );
    let call = c
        .zooid
        .nip86_requests()
        .into_iter()
        .find(|r| r.method == "allowpubkey")
        .unwrap();
    assert_eq!(
        call.signer.map(|p| p.to_hex()),
        Some(relay.pubkey.clone()),
        "signed by the relay's own key"
    );
    let again = me.add_member(&relay.id, &hex(&bob)).await;
    assert_eq!(again.status, 200, "already a member");

    let removed: Value = me.remove_member(&relay.id, &hex(&bob)).await.ok();
    assert!(!member_keys(&removed).contains(&hex(&bob)));
    assert!(!c.zooid.members(&relay.id).contains(&hex(&bob)));

    let owner_stays = me.remove_member(&relay.id, &hex(&owner)).await;
    assert_eq!(
        (owner_stays.status, owner_stays.code()),
        (409, "relay/owner-is-admin")
    );
    let bad = me.add_member(&relay.id, "not-a-key").await;
    assert_eq!((bad.status, bad.code()), (422, "relay/invalid-pubkey"));

    let log = c.app.activity_actions(&relay.id).await;
    for action in ["relay.member-added", "relay.member-removed"] {
        assert!(log.iter().any(|a| a == action), "{action} in {log:?}");
    }
}

trait ToNpub {
    fn to_bech32_npub(&self) -> String;
}

impl ToNpub for nostr_sdk::PublicKey {
    fn to_bech32_npub(&self) -> String {
        use nostr_sdk::ToBech32;
        self.to_bech32().unwrap()
    }
}

#[tokio::test]
async fn the_plans_limit_refuses_one_more_member_and_closes_joins_until_one_leaves() {
    let c = setup().await;
    let owner = Keys::generate();
    let relay = c.relay(&owner, "tenfold", "free").await;
    let me = c.app.as_tenant(&owner);
    let open = json!({ "public_join": true, "members_may_invite": true, "groups": true, "push": false,
        "blossom": true, "blossom_members_read": true, "livekit": true, "strip_signatures": false });
    me.set_policies(&relay.id, open).await.ok::<Value>();
    c.config_where(&relay.id, "public join on", |c| {
        c["policy"]["public_join"] == true
    })
    .await;

    let people = c.joined(&relay.id, 8).await;
    let last = Keys::generate();
    let tenth: Value = me.add_member(&relay.id, &hex(&last)).await.expect(201);
    assert_eq!(
        (tenth["count"].as_i64(), tenth["full"].as_bool()),
        (Some(10), Some(true))
    );

    let refused = me.add_member(&relay.id, &hex(&Keys::generate())).await;
    assert_eq!(
        (refused.status, refused.code()),
        (409, "relay/member-limit")
    );
    let message = refused.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("10") && message.contains("Free") && message.contains("upgrade"),
        "{message}"
    );

    let closed = c
        .config_where(&relay.id, "joins closed at the limit", |c| {
            c["policy"]["public_join"] == false
        })
        .await;
    assert!(
        closed["roles"]
            .as_object()
            .unwrap()
            .values()
            .all(|r| r["can_invite"] == false),
        "nobody invites: {}",
        closed["roles"]
    );

    c.zooid.leave(&people[0], &relay.id).await.unwrap();
    let reopened = c
        .config_where(&relay.id, "joins open again below the limit", |c| {
            c["policy"]["public_join"] == true
        })
        .await;
    assert_eq!(reopened["roles"]["member"]["can_invite"], true);
    let log = c.app.activity_actions(&relay.id).await;
    assert!(
        log.iter().any(|a| a == "relay.joins-closed")
            && log.iter().any(|a| a == "relay.joins-opened"),
        "{log:?}"
    );
}

#[tokio::test]
async fn a_join_that_slips_past_the_limit_removes_nobody_and_tells_the_owner_once() {
    let c = setup().await;
    let owner = Keys::generate();
    let relay = c.relay(&owner, "crowded", "free").await;
    c.joined(&relay.id, 10).await;
    let me = c.app.as_tenant(&owner);
    eventually(10, "the watcher to count 11", || async {
        (me.relay(&relay.id).await.member_count == Some(11)).then_some(())
    })
    .await;
    assert_eq!(
        c.zooid.members(&relay.id).len(),
        12,
        "owner, relay key and ten: nobody removed"
    );
    let admin = c.app.as_admin();
    let notices: Value = eventually(10, "one over-limit notice", || async {
        let m: Value = admin
            .messages(&format!("recipient={}", hex(&owner)))
            .await
            .ok();
        let over: Vec<Value> = m["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["topic"] == "over-limit")
            .cloned()
            .collect();
        (!over.is_empty()).then_some(Value::Array(over))
    })
    .await;
    c.joined(&relay.id, 1).await;
    eventually(10, "the watcher to count 12", || async {
        (me.relay(&relay.id).await.member_count == Some(12)).then_some(())
    })
    .await;
    let m: Value = admin
        .messages(&format!("recipient={}", hex(&owner)))
        .await
        .ok();
    let over = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["topic"] == "over-limit")
        .count();
    assert_eq!(
        (notices.as_array().unwrap().len(), over),
        (1, 1),
        "told once while it stays over"
    );
}

#[tokio::test]
async fn a_plan_that_cannot_hold_the_members_is_refused() {
    let c = setup().await;
    let owner = Keys::generate();
    let relay = c.relay(&owner, "bigroom", "basic").await;
    c.joined(&relay.id, 11).await;
    let me = c.app.as_tenant(&owner);
    me.members(&relay.id).await.ok::<Value>();
    let refused = me.update_relay(&relay.id, json!({ "plan": "free" })).await;
    assert_eq!(
        (refused.status, refused.code()),
        (409, "relay/member-limit")
    );
    let message = refused.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("12") && message.contains("10"),
        "count and limit: {message}"
    );
    assert_eq!(me.relay(&relay.id).await.plan, "basic");
}

#[tokio::test]
async fn co_admins_run_the_members_but_not_the_relay_its_plan_or_its_roles() {
    let c = setup().await;
    let owner = Keys::generate();
    let (alice, ivan, member, stranger) = (
        Keys::generate(),
        Keys::generate(),
        Keys::generate(),
        Keys::generate(),
    );
    let relay = c.relay(&owner, "cooperative", "free").await;
    let me = c.app.as_tenant(&owner);
    me.set_role(&relay.id, &hex(&alice), "admin")
        .await
        .ok::<Value>();
    me.set_role(&relay.id, &hex(&ivan), "inviter")
        .await
        .ok::<Value>();
    c.zooid.join(&member, &relay.id).await.unwrap();

    let config = c
        .config_where(&relay.id, "the roles at zooid", |c| {
            c["roles"]["inviter"].is_object()
        })
        .await;
    assert_eq!(
        config["roles"]["admin"]["pubkeys"],
        json!([hex(&owner), hex(&alice)])
    );
    assert_eq!(config["roles"]["admin"]["can_manage"], true);
    assert_eq!(
        config["roles"]["inviter"],
        json!({ "pubkeys": [hex(&ivan)], "can_manage": false, "can_invite": true })
    );
    assert!(
        c.zooid.members(&relay.id).contains(&hex(&alice)),
        "zooid makes role holders members"
    );

    let co = c.app.as_tenant(&alice);
    let held: Value = co.get("/api/relays/roles").await.ok();
    assert_eq!(
        held["items"],
        json!([{ "relay": relay.id, "name": relay.name, "host": relay.host, "role": "admin" }]),
        "where she helps"
    );
    let view: Value = co.members(&relay.id).await.ok();
    assert_eq!(
        view["relay_name"], relay.name,
        "a co-admin sees which relay, without the relay itself"
    );
    let role = |pk: &str| {
        view["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["pubkey"] == pk)
            .map(|m| m["role"].clone())
    };
    assert_eq!(
        (role(&hex(&alice)), role(&hex(&ivan))),
        (Some(json!("admin")), Some(json!("inviter")))
    );
    co.add_member(&relay.id, &hex(&Keys::generate()))
        .await
        .expect::<Value>(201);
    assert_eq!(
        co.try_relay(&relay.id).await.status,
        404,
        "the relay itself stays the owner's"
    );
    assert_eq!(
        co.update_relay(&relay.id, json!({ "plan": "basic" }))
            .await
            .status,
        404
    );
    assert_eq!(
        co.set_role(&relay.id, &hex(&member), "admin").await.status,
        404
    );
    for outsider in [&member, &stranger] {
        assert_eq!(
            c.app.as_tenant(outsider).members(&relay.id).await.status,
            404
        );
    }
    assert_eq!(c.app.anonymous().members(&relay.id).await.status, 401);
    assert_eq!(c.app.as_admin().members(&relay.id).await.status, 200);

    let demote = me.set_role(&relay.id, &hex(&owner), "inviter").await;
    assert_eq!(
        (demote.status, demote.code()),
        (409, "relay/owner-is-admin")
    );
    me.remove_role(&relay.id, &hex(&alice)).await.ok::<Value>();
    assert_eq!(
        co.members(&relay.id).await.status,
        404,
        "no longer a co-admin"
    );
    let gone = me.remove_role(&relay.id, &hex(&alice)).await;
    assert_eq!((gone.status, gone.code()), (404, "relay/role-not-found"));
}

#[tokio::test]
async fn switches_reach_zooid_within_what_the_plan_includes() {
    let c = setup().await;
    let owner = Keys::generate();
    let relay = c.relay(&owner, "switches", "free").await;
    let me = c.app.as_tenant(&owner);
    assert_eq!(relay.policies["groups"], true);
    let config = c.zooid.config(&relay.id).unwrap();
    assert_eq!(
        config["blossom"]["enabled"], false,
        "the free plan has no media"
    );

    let mut wanted = relay.policies.clone();
    wanted["public_join"] = json!(true);
    wanted["strip_signatures"] = json!(true);
    wanted["groups"] = json!(false);
    wanted["livekit"] = json!(false);
    let stored: Value = me.set_policies(&relay.id, wanted.clone()).await.ok();
    assert_eq!(stored["public_join"], true);
    assert_eq!(
        stored["livekit"], true,
        "a feature the plan lacks keeps its stored choice"
    );
    let config = c
        .config_where(&relay.id, "the switches at zooid", |c| {
            c["policy"]["public_join"] == true
        })
        .await;
    assert_eq!(
        (
            config["policy"]["strip_signatures"].clone(),
            config["groups"]["enabled"].clone()
        ),
        (json!(true), json!(false))
    );
    assert_eq!(
        config["livekit"]["api_key"], "",
        "no LiveKit on the free plan"
    );

    let mut off = relay.policies.clone();
    off["blossom"] = json!(false);
    let basic = c.relay(&owner, "switches-paid", "basic").await;
    me.set_policies(&basic.id, off.clone()).await.ok::<Value>();
    me.update_relay(&basic.id, json!({ "plan": "free" }))
        .await
        .ok::<Value>();
    off["blossom"] = json!(true);
    let refused = me.set_policies(&basic.id, off).await;
    assert_eq!(
        (refused.status, refused.code()),
        (409, "relay/feature-not-in-plan")
    );
    let message = refused.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("Blossom") && message.contains("Basic"),
        "names the plan that has it: {message}"
    );

    let unknown = me
        .set_policies(&relay.id, json!({ "public_join": true }))
        .await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (422, "request/invalid-body"),
        "every switch is required"
    );
    let log = c.app.activity_actions(&relay.id).await;
    assert!(log.iter().any(|a| a == "relay.policies-changed"));
}

#[tokio::test]
async fn a_relay_that_does_not_answer_is_a_clear_503() {
    let c = setup().await;
    let owner = Keys::generate();
    let relay = c.relay(&owner, "sleepy", "free").await;
    c.zooid.go_down().await;
    let reply = c.app.as_tenant(&owner).members(&relay.id).await;
    assert_eq!((reply.status, reply.code()), (503, "relay/unreachable"));
    assert!(reply.headers.get("retry-after").is_some());
}

/// Who may call each community route. "Runs it" is the owner, a co-admin or a platform
/// admin; "owns it" the owner or a platform admin. Everyone else learns nothing (404), and
/// nobody unsigned gets anything (401). What an allowed call then answers is checked by the
/// tests above; here only that it got past the door.
#[tokio::test]
async fn every_community_route_admits_exactly_who_it_should() {
    let c = setup().await;
    let (owner, co_admin, member, stranger) = (
        Keys::generate(),
        Keys::generate(),
        Keys::generate(),
        Keys::generate(),
    );
    let relay = c.relay(&owner, "doors", "basic").await;
    let id = relay.id.clone();
    c.app
        .as_tenant(&owner)
        .set_role(&id, &hex(&co_admin), "admin")
        .await
        .ok::<Value>();
    c.zooid.join(&member, &id).await.unwrap();
    let invite: Value = c
        .app
        .as_tenant(&owner)
        .post(&format!("/api/relays/{id}/invites"), json!({}))
        .await
        .expect(201);
    let (invite_id, code) = (
        invite["id"].as_str().unwrap().to_string(),
        invite["code"].as_str().unwrap().to_string(),
    );
    let target = hex(&Keys::generate());
    let event = "ab".repeat(32);

    // [anonymous, stranger, member, co-admin, owner, admin]: true = let through.
    const RUNS_IT: [bool; 6] = [false, false, false, true, true, true];
    const OWNS_IT: [bool; 6] = [false, false, false, false, true, true];
    const SIGNED_IN: [bool; 6] = [false, true, true, true, true, true];
    const PUBLIC: [bool; 6] = [true; 6];
    let cases: Vec<(&str, String, Option<Value>, [bool; 6])> = vec![
        (
            "PUT",
            format!("/api/relays/{id}/policies"),
            Some(relay.policies.clone()),
            OWNS_IT,
        ),
        ("GET", format!("/api/relays/{id}/roles"), None, RUNS_IT),
        (
            "PUT",
            format!("/api/relays/{id}/roles/{target}"),
            Some(json!({ "role": "inviter" })),
            OWNS_IT,
        ),
        (
            "DELETE",
            format!("/api/relays/{id}/roles/{target}"),
            None,
            OWNS_IT,
        ),
        ("GET", format!("/api/relays/{id}/members"), None, RUNS_IT),
        (
            "POST",
            format!("/api/relays/{id}/members"),
            Some(json!({ "pubkey": target })),
            RUNS_IT,
        ),
        (
            "DELETE",
            format!("/api/relays/{id}/members/{target}"),
            None,
            RUNS_IT,
        ),
        ("GET", format!("/api/relays/{id}/invites"), None, RUNS_IT),
        (
            "POST",
            format!("/api/relays/{id}/invites"),
            Some(json!({})),
            RUNS_IT,
        ),
        (
            "DELETE",
            format!("/api/relays/{id}/invites/{invite_id}"),
            None,
            RUNS_IT,
        ),
        ("GET", format!("/api/relays/{id}/reports"), None, RUNS_IT),
        ("GET", format!("/api/relays/{id}/bans"), None, RUNS_IT),
        (
            "POST",
            format!("/api/relays/{id}/bans/pubkeys"),
            Some(json!({ "pubkey": target, "reason": "test" })),
            RUNS_IT,
        ),
        (
            "DELETE",
            format!("/api/relays/{id}/bans/pubkeys/{target}?reason=test"),
            None,
            RUNS_IT,
        ),
        (
            "POST",
            format!("/api/relays/{id}/bans/events"),
            Some(json!({ "event": event, "reason": "test" })),
            RUNS_IT,
        ),
        (
            "DELETE",
            format!("/api/relays/{id}/bans/events/{event}?reason=test"),
            None,
            RUNS_IT,
        ),
        ("GET", format!("/api/relays/{id}/export"), None, RUNS_IT),
        ("GET", format!("/api/invites/{code}"), None, PUBLIC),
        ("GET", "/api/relays/roles".to_string(), None, SIGNED_IN),
        ("POST", format!("/api/invites/{code}/join"), None, SIGNED_IN),
    ];
    let callers = [
        c.app.anonymous(),
        c.app.as_tenant(&stranger),
        c.app.as_tenant(&member),
        c.app.as_tenant(&co_admin),
        c.app.as_tenant(&owner),
        c.app.as_admin(),
    ];
    let names = [
        "anonymous",
        "stranger",
        "member",
        "co-admin",
        "owner",
        "admin",
    ];
    for (method, path, body, admits) in &cases {
        for (i, caller) in callers.iter().enumerate() {
            let reply = caller
                .send(method, path, body.as_ref().map(Value::to_string))
                .await;
            let turned_away =
                reply.status == 401 || (reply.status == 404 && reply.code() == "relay/not-found");
            assert!(
                reply.status < 500,
                "{method} {path} as {}: {} {:?}",
                names[i],
                reply.status,
                reply.body
            );
            assert_eq!(
                !turned_away, admits[i],
                "{method} {path} as {}: {} {:?}",
                names[i], reply.status, reply.body
            );
        }
    }
}

#[tokio::test]
async fn a_relay_open_to_joins_is_counted_as_people_join_and_a_closed_one_at_the_next_sweep() {
    let c = setup_recounting_every("600").await;
    let owner = Keys::generate();
    let me = c.app.as_tenant(&owner);
    let open = c.relay(&owner, "open-door", "free").await;
    let closed = c.relay(&owner, "closed-door", "free").await;
    let policies = json!({ "public_join": true, "members_may_invite": false, "groups": true,
        "push": false, "blossom": true, "blossom_members_read": true, "livekit": true,
        "strip_signatures": false });
    me.set_policies(&open.id, policies).await.ok::<Value>();
    c.config_where(&open.id, "public join on", |c| {
        c["policy"]["public_join"] == true
    })
    .await;
    c.joined(&closed.id, 2).await;
    c.joined(&open.id, 2).await;
    // The watcher looks for relays to follow at least every 30 s; once it follows one, every
    // join shows at once.
    eventually(45, "the open relay's joins counted live", || async {
        (me.relay(&open.id).await.member_count == Some(3)).then_some(())
    })
    .await;
    c.joined(&open.id, 1).await;
    eventually(5, "the next join counted as it happens", || async {
        (me.relay(&open.id).await.member_count == Some(4)).then_some(())
    })
    .await;
    assert_ne!(
        me.relay(&closed.id).await.member_count,
        Some(3),
        "a relay only the platform admits to waits for the sweep (every 600 s here)"
    );
}
