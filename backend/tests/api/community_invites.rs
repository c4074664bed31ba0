//! Invite links: made by the owner or a co-admin, redeemed by a signed-in person through the
//! platform, which enforces expiry, the use limit, withdrawal, bans and the plan's limit
//! (zooid's own claims never expire and cannot be counted).

use nostr_sdk::Keys;
use serde_json::{Value, json};

use crate::community::{hex, member_keys, setup};

#[tokio::test]
async fn an_invite_admits_people_until_its_uses_run_out_and_shows_its_uses() {
    let c = setup().await;
    let owner = Keys::generate();
    let relay = c.relay(&owner, "invited", "free").await;
    let me = c.app.as_tenant(&owner);
    let invite: Value = me
        .post(
            &format!("/api/relays/{}/invites", relay.id),
            json!({ "valid_hours": 24, "max_uses": 2 }),
        )
        .await
        .expect(201);
    let code = invite["code"].as_str().unwrap().to_string();
    assert!(
        invite["link"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/join/{code}"))
    );
    assert_eq!(
        (invite["state"].clone(), invite["uses"].clone()),
        (json!("active"), json!(0))
    );

    let preview: Value = c
        .app
        .anonymous()
        .get(&format!("/api/invites/{code}"))
        .await
        .ok();
    assert_eq!(preview["relay_name"], relay.name);
    assert_eq!(preview["state"], "active");

    let (ann, ben, cat) = (Keys::generate(), Keys::generate(), Keys::generate());
    let join = |k: &Keys| {
        let caller = c.app.as_tenant(k);
        let path = format!("/api/invites/{code}/join");
        async move { caller.post_empty(&path).await }
    };
    let joined: Value = join(&ann).await.ok();
    assert_eq!(joined["joined"], true);
    assert!(
        c.zooid.members(&relay.id).contains(&hex(&ann)),
        "added at the relay"
    );
    let again: Value = join(&ann).await.ok();
    assert_eq!(again["joined"], false, "a member already: nothing used");
    join(&ben).await.ok::<Value>();
    let used_up = join(&cat).await;
    assert_eq!((used_up.status, used_up.code()), (410, "invite/used-up"));
    assert!(!c.zooid.members(&relay.id).contains(&hex(&cat)));

    let list: Value = me
        .get(&format!("/api/relays/{}/invites", relay.id))
        .await
        .ok();
    assert_eq!(
        (
            list["items"][0]["uses"].clone(),
            list["items"][0]["state"].clone()
        ),
        (json!(2), json!("used-up"))
    );
    let log = c.app.activity_actions(&relay.id).await;
    assert_eq!(
        log.iter().filter(|a| *a == "relay.member-joined").count(),
        2
    );
}

#[tokio::test]
async fn a_withdrawn_or_expired_invite_admits_nobody() {
    let c = setup().await;
    let owner = Keys::generate();
    let relay = c.relay(&owner, "withdrawn", "free").await;
    let me = c.app.as_tenant(&owner);
    let invite: Value = me
        .post(&format!("/api/relays/{}/invites", relay.id), json!({}))
        .await
        .expect(201);
    let (id, code) = (
        invite["id"].as_str().unwrap(),
        invite["code"].as_str().unwrap(),
    );
    let week = invite["expires_at"].as_i64().unwrap() - invite["created_at"].as_i64().unwrap();
    assert_eq!(week, 7 * 24 * 3600, "a week by default");
    let revoked: Value = me
        .delete(&format!("/api/relays/{}/invites/{id}", relay.id))
        .await
        .ok();
    assert_eq!(revoked["state"], "revoked");
    let refused = c
        .app
        .as_tenant(&Keys::generate())
        .post_empty(&format!("/api/invites/{code}/join"))
        .await;
    assert_eq!((refused.status, refused.code()), (410, "invite/revoked"));

    let expired: Value = me
        .post(
            &format!("/api/relays/{}/invites", relay.id),
            json!({ "valid_hours": 1 }),
        )
        .await
        .expect(201);
    sqlx::query("UPDATE relay_invites SET expires_at = 1 WHERE id = ?")
        .bind(expired["id"].as_str().unwrap())
        .execute(c.app.db())
        .await
        .unwrap();
    let late = c
        .app
        .as_tenant(&Keys::generate())
        .post_empty(&format!(
            "/api/invites/{}/join",
            expired["code"].as_str().unwrap()
        ))
        .await;
    assert_eq!((late.status, late.code()), (410, "invite/expired"));

    let bad = me
        .post(
            &format!("/api/relays/{}/invites", relay.id),
            json!({ "valid_hours": 0 }),
        )
        .await;
    assert_eq!(
        (bad.status, bad.code(), bad.body["error"]["field"].as_str()),
        (422, "invite/invalid-limits", Some("valid_hours"))
    );
    let unknown = c
        .app
        .anonymous()
        .get(&format!("/api/invites/{}", "0".repeat(32)))
        .await;
    assert_eq!((unknown.status, unknown.code()), (404, "invite/not-found"));
}

#[tokio::test]
async fn an_invite_respects_the_plans_limit_and_the_relays_bans() {
    let c = setup().await;
    let owner = Keys::generate();
    let relay = c.relay(&owner, "capped", "free").await;
    let me = c.app.as_tenant(&owner);
    let invite: Value = me
        .post(&format!("/api/relays/{}/invites", relay.id), json!({}))
        .await
        .expect(201);
    let code = invite["code"].as_str().unwrap();

    let troll = Keys::generate();
    c.zooid.join(&troll, &relay.id).await.unwrap();
    me.post(
        &format!("/api/relays/{}/bans/pubkeys", relay.id),
        json!({ "pubkey": hex(&troll), "reason": "spam" }),
    )
    .await
    .ok::<Value>();
    let banned = c
        .app
        .as_tenant(&troll)
        .post_empty(&format!("/api/invites/{code}/join"))
        .await;
    assert_eq!((banned.status, banned.code()), (403, "relay/banned"));

    c.joined(&relay.id, 9).await;
    let full = c
        .app
        .as_tenant(&Keys::generate())
        .post_empty(&format!("/api/invites/{code}/join"))
        .await;
    assert_eq!((full.status, full.code()), (409, "relay/member-limit"));
    let view: Value = me.members(&relay.id).await.ok();
    assert_eq!(member_keys(&view).len(), 10, "nobody got in");
    let list: Value = me
        .get(&format!("/api/relays/{}/invites", relay.id))
        .await
        .ok();
    assert_eq!(list["items"][0]["uses"], 0, "a refused join uses nothing");
}

#[tokio::test]
async fn co_admins_make_invites_and_strangers_see_none() {
    let c = setup().await;
    let owner = Keys::generate();
    let alice = Keys::generate();
    let relay = c.relay(&owner, "shared-doors", "free").await;
    c.app
        .as_tenant(&owner)
        .set_role(&relay.id, &hex(&alice), "admin")
        .await
        .ok::<Value>();
    let path = format!("/api/relays/{}/invites", relay.id);
    c.app
        .as_tenant(&alice)
        .post(&path, json!({}))
        .await
        .expect::<Value>(201);
    let stranger = c.app.as_tenant(&Keys::generate());
    assert_eq!(stranger.get(&path).await.status, 404);
    assert_eq!(stranger.post(&path, json!({})).await.status, 404);
    assert_eq!(
        c.app
            .anonymous()
            .post_empty("/api/invites/00/join")
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn an_inviter_makes_and_withdraws_their_own_invites_and_nothing_else() {
    let c = setup().await;
    let owner = Keys::generate();
    let relay = c.relay(&owner, "inviters", "free").await;
    let inviter = Keys::generate();
    let owner_api = c.app.as_tenant(&owner);
    owner_api
        .put(
            &format!("/api/relays/{}/roles/{}", relay.id, hex(&inviter)),
            json!({ "role": "inviter" }),
        )
        .await
        .expect::<Value>(200);
    let owners: Value = owner_api
        .post(&format!("/api/relays/{}/invites", relay.id), json!({}))
        .await
        .expect(201);

    let me = c.app.as_tenant(&inviter);
    let mine: Value = me
        .post(
            &format!("/api/relays/{}/invites", relay.id),
            json!({ "max_uses": 3 }),
        )
        .await
        .expect(201);
    assert_eq!(mine["created_by"], hex(&inviter));
    let listed: Value = me
        .get(&format!("/api/relays/{}/invites", relay.id))
        .await
        .ok();
    let ids: Vec<&Value> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["id"])
        .collect();
    assert_eq!(ids, [&mine["id"]], "an inviter sees only their own invites");
    let theirs = me
        .delete(&format!(
            "/api/relays/{}/invites/{}",
            relay.id,
            owners["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!((theirs.status, theirs.code()), (404, "invite/not-found"));
    let withdrawn: Value = me
        .delete(&format!(
            "/api/relays/{}/invites/{}",
            relay.id,
            mine["id"].as_str().unwrap()
        ))
        .await
        .ok();
    assert_eq!(withdrawn["state"], "revoked");
    let all: Value = owner_api
        .get(&format!("/api/relays/{}/invites", relay.id))
        .await
        .ok();
    assert_eq!(
        all["items"].as_array().unwrap().len(),
        2,
        "the owner sees every invite"
    );

    for path in ["members", "reports", "bans", "roles"] {
        let reply = me.get(&format!("/api/relays/{}/{path}", relay.id)).await;
        assert_eq!(
            reply.status, 404,
            "an inviter does not run the community: {path}"
        );
    }
}
