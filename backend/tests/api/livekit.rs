//! LiveKit join tokens: who gets one, for which rooms, what it grants, and every refusal.

use std::collections::HashSet;

use livekit_api::access_token::TokenVerifier;
use nostr_sdk::{EventBuilder, Keys, Kind};
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::livekit::{KEY, Rig, SECRET, claims, expiring_in, make_relay, tag};

#[tokio::test]
async fn members_get_verified_single_room_tokens_and_strangers_do_not() {
    let rig = Rig::start().await;
    let host = rig.owner.clone();
    rig.room(&host, "weekly", "open", vec![]).await;
    let member = Keys::generate();
    let stranger = Keys::generate();
    rig.members(&[&member]).await;
    let name = rig.livekit_name(&host, "weekly");

    let owner_reply = rig.token(&host, "weekly").await;
    assert_eq!(owner_reply.status, 200, "{:?}", owner_reply.body);
    let address = format!("30312:{}:weekly", host.public_key().to_hex());
    let member_reply = rig.token(&member, &address).await;
    assert_eq!(member_reply.status, 200, "{:?}", member_reply.body);
    let refused = rig.token(&stranger, "weekly").await;
    assert_eq!(
        (refused.status, refused.code()),
        (403, "livekit/not-a-member")
    );

    let verifier = TokenVerifier::with_api_key(KEY, SECRET);
    let mut jtis = HashSet::new();
    for (reply, who, publishes) in [(&owner_reply, &host, true), (&member_reply, &member, false)] {
        let body = &reply.body;
        assert_eq!(body["url"], rig.lk.url());
        assert_eq!(body["room"], name);
        let token = body["token"].as_str().unwrap();
        let verified = verifier
            .verify(token)
            .expect("LiveKit's verifier accepts the token");
        let hex = who.public_key().to_hex();
        assert!(verified.sub.starts_with(&format!("{hex}:")) && verified.sub.len() > 65);
        assert_eq!(body["identity"], verified.sub);
        assert_eq!(verified.video.room, name);
        assert!(verified.video.room_join);
        assert!(
            !verified.video.room_admin && !verified.video.room_create && !verified.video.room_list
        );
        assert_eq!(verified.video.can_publish(), publishes);
        assert!(verified.video.can_subscribe() && verified.video.can_publish_data());
        assert_eq!(verified.exp - verified.nbf, 180);
        let raw = claims(token);
        assert!(
            jtis.insert(raw["jti"].as_str().unwrap().to_string()),
            "every jti is unique"
        );
        assert!(!body.as_object().unwrap().contains_key("warning"));
    }
    // A second token for the same person is a new identity and a new jti.
    let again = rig.token(&member, "weekly").await;
    assert!(
        jtis.insert(
            claims(again.body["token"].as_str().unwrap())["jti"]
                .as_str()
                .unwrap()
                .into()
        )
    );
    assert_ne!(again.body["identity"], member_reply.body["identity"]);
    assert!(rig.lk.violations().is_empty(), "{:?}", rig.lk.violations());
}

#[tokio::test]
async fn rooms_must_exist_be_open_unexpired_and_undeleted() {
    let rig = Rig::start().await;
    let host = rig.owner.clone();
    let guest = Keys::generate();
    rig.members(&[&guest]).await;
    rig.room(&host, "closed", "closed", vec![]).await;
    // Relays refuse events that have already expired: this one expires in a moment.
    rig.room(&host, "expired", "open", vec![expiring_in(2)])
        .await;
    let deleted = rig.room(&host, "deleted", "open", vec![]).await;
    let deletion = EventBuilder::new(Kind::EventDeletion, "").tags([
        tag(
            "a",
            &[&format!("30312:{}:deleted", host.public_key().to_hex())],
        ),
        tag("k", &["30312"]),
    ]);
    rig.publish(&host, deletion).await;
    rig.room(
        &host,
        "invite-only",
        "private",
        vec![tag("p", &[&guest.public_key().to_hex(), "", "Speaker"])],
    )
    .await;
    let _ = deleted;

    // Polling the token endpoint would hit the rate limit: wait for the watcher instead.
    let expired_room = rig.livekit_name(&host, "expired");
    rig.until_room(&expired_room, true).await;
    rig.until_room(&expired_room, false).await;
    let reply = rig.token(&host, "expired").await;
    assert_eq!((reply.status, reply.code()), (410, "livekit/room-expired"));
    for (room, status, code) in [
        ("nowhere", 404, "livekit/room-not-found"),
        ("closed", 409, "livekit/room-closed"),
        ("deleted", 410, "livekit/room-deleted"),
        ("", 422, "livekit/invalid-room"),
        ("30312:nothex:x", 422, "livekit/invalid-room"),
    ] {
        let reply = rig.token(&host, room).await;
        assert_eq!(
            (reply.status, reply.code()),
            (status, code),
            "room {room:?}: {:?}",
            reply.body
        );
    }
    // Private: only the people it lists (its author always may).
    let other_member = Keys::generate();
    rig.members(&[&guest, &other_member]).await;
    let reply = rig.token(&other_member, "invite-only").await;
    assert_eq!((reply.status, reply.code()), (403, "livekit/room-private"));
    let reply = rig.token(&guest, "invite-only").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["can_publish"], true, "speakers publish");
}

#[tokio::test]
async fn relays_must_be_active_on_a_livekit_plan_on_a_configured_platform() {
    let rig = Rig::start().await;
    let owner = rig.owner.clone();
    let (free_id, _, _) = make_relay(&rig.app, &owner, "free-relay", "free").await;
    let reply = rig.app.as_tenant(&owner).livekit_token(&free_id, "x").await;
    assert_eq!(
        (reply.status, reply.code()),
        (403, "livekit/plan-excludes-livekit")
    );
    let reply = rig
        .app
        .as_tenant(&owner)
        .livekit_token("no-such-relay", "x")
        .await;
    assert_eq!((reply.status, reply.code()), (404, "relay/not-found"));
    let reply = rig
        .app
        .as_tenant(&owner)
        .livekit_token("livekit-room", "x")
        .await;
    assert_eq!(
        reply.code(),
        "livekit/room-not-found",
        "the subdomain names the relay too"
    );
    assert_eq!(
        rig.app
            .as_tenant(&owner)
            .deactivate(&rig.relay_id)
            .await
            .status,
        200
    );
    let reply = rig.token(&owner, "x").await;
    assert_eq!(
        (reply.status, reply.code()),
        (409, "livekit/relay-inactive")
    );

    let bare = TestApp::spawn().await;
    let reply = bare.as_tenant(&owner).livekit_token("x", "x").await;
    assert_eq!(
        (reply.status, reply.code()),
        (404, "livekit/not-configured")
    );
    let unsigned = bare.anonymous().livekit_token("x", "x").await;
    assert_eq!(unsigned.status, 401);
}

#[tokio::test]
async fn people_muted_by_someone_in_the_room_are_refused() {
    let rig = Rig::start().await;
    let host = rig.owner.clone();
    let (alice, bob, carol) = (Keys::generate(), Keys::generate(), Keys::generate());
    rig.members(&[&alice, &bob, &carol]).await;
    rig.room(&host, "talk", "open", vec![]).await;
    let name = rig.livekit_name(&host, "talk");
    rig.until_room(&name, true).await;
    rig.lk
        .join(&name, &format!("{}:abc", alice.public_key().to_hex()));
    rig.mutes(&alice, &[&bob]).await;
    rig.mutes(&carol, &[&alice]).await;

    let reply = rig.token(&bob, "talk").await;
    assert_eq!((reply.status, reply.code()), (403, "livekit/blocked"));
    let reply = rig.token(&carol, "talk").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["warning"], "blocked_user_present");
    let reply = rig.token(&host, "talk").await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.get("warning").is_none());
}

#[tokio::test]
async fn token_requests_are_rate_limited_per_pubkey_and_per_ip() {
    let rig = Rig::start_with(&[
        ("LIVEKIT_RATE_PER_PUBKEY", "2"),
        ("LIVEKIT_RATE_PER_IP", "3"),
    ])
    .await;
    let host = rig.owner.clone();
    rig.room(&host, "busy", "open", vec![]).await;
    for _ in 0..2 {
        assert_eq!(rig.token(&host, "busy").await.status, 200);
    }
    let limited = rig.token(&host, "busy").await;
    assert_eq!(
        (limited.status, limited.code()),
        (429, "livekit/rate-limited")
    );
    let other = Keys::generate();
    assert_eq!(
        rig.token(&other, "busy").await.code(),
        "livekit/not-a-member",
        "another pubkey still counts"
    );
    let by_ip = rig.token(&Keys::generate(), "busy").await;
    assert_eq!(
        (by_ip.status, by_ip.code()),
        (429, "livekit/rate-limited"),
        "the IP's window is full"
    );
}

#[tokio::test]
async fn rate_limited_answers_say_when_to_retry() {
    let rig = Rig::start_with(&[("LIVEKIT_RATE_PER_PUBKEY", "1")]).await;
    let host = rig.owner.clone();
    let _ = rig.token(&host, "x").await;
    let body = json!({ "relay": rig.relay_id, "room": "x" }).to_string();
    let url = format!("{}/api/livekit/token", rig.app.url);
    let auth = crate::helpers::sign(&host, &url, "POST", Some(body.as_bytes()));
    let resp = reqwest::Client::new()
        .post(format!("{}/api/livekit/token", rig.app.base))
        .header("authorization", auth)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
}

/// A signed token request with extra headers; returns the status.
async fn token_from(rig: &Rig, who: &Keys, headers: &[(&str, &str)]) -> u16 {
    let body = json!({ "relay": rig.relay_id, "room": "x" }).to_string();
    let url = format!("{}/api/livekit/token", rig.app.url);
    let auth = crate::helpers::sign(who, &url, "POST", Some(body.as_bytes()));
    let mut req = reqwest::Client::new()
        .post(format!("{}/api/livekit/token", rig.app.base))
        .header("authorization", auth)
        .header("content-type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.body(body).send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_client_ip_is_limited() {
    let rig = Rig::start_with(&[
        ("LIVEKIT_RATE_PER_IP", "1"),
        ("LIVEKIT_TRUST_FORWARDED_FOR", "true"),
    ])
    .await;
    let owner = rig.owner.clone();
    let first = [("x-forwarded-for", "203.0.113.9, 198.51.100.1")];
    let second = [("x-forwarded-for", "203.0.113.9, 198.51.100.2")];
    assert_eq!(
        token_from(&rig, &owner, &first).await,
        404,
        "room-not-found: counted, not limited"
    );
    assert_eq!(
        token_from(&rig, &Keys::generate(), &second).await,
        403,
        "another client"
    );
    assert_eq!(
        token_from(&rig, &Keys::generate(), &first).await,
        429,
        "the same client again"
    );
}
