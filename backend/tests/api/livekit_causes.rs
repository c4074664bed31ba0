//! Token refusals whose cause the relay's current events do not show: a relay that cannot be
//! reached, a room its author deleted by event id, a room that expired while the platform was
//! down. Each gets its own answer, not `not-a-member` or `room-not-found`.

use std::time::{Duration, Instant};

use nostr_sdk::{EventBuilder, Keys, Kind, Timestamp};
use serde_json::{Value, json};

use crate::helpers::livekit::{Rig, tag};
use crate::helpers::{TestApp, eventually, sign};

/// A token request: status, error code and `Retry-After`.
async fn token_answer(
    app: &TestApp,
    who: &Keys,
    relay: &str,
    room: &str,
) -> (u16, String, Option<u64>) {
    let body = json!({ "relay": relay, "room": room }).to_string();
    let url = format!("{}/api/livekit/token", app.url);
    let auth = sign(who, &url, "POST", Some(body.as_bytes()));
    let resp = reqwest::Client::new()
        .post(format!("{}/api/livekit/token", app.base))
        .header("authorization", auth)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let retry = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok()?.parse().ok());
    let body: Value = resp.json().await.unwrap_or_default();
    let code = body["error"]["code"].as_str().unwrap_or("").to_string();
    (status, code, retry)
}

#[tokio::test]
async fn a_relay_that_refuses_connections_answers_503_at_once() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("ws://127.0.0.1:{closed}");
    let rig = Rig::start_with(&[("RELAY_URL_TEMPLATE", &url)]).await;
    let member = Keys::generate();
    let started = Instant::now();
    let (status, code, retry) = token_answer(&rig.app, &member, &rig.relay_id, "call").await;
    assert_eq!(
        (status, code.as_str()),
        (503, "livekit/relay-unreachable"),
        "not a verdict on membership"
    );
    assert_eq!(retry, Some(5), "Retry-After says when to try again");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "answered in {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_relay_that_goes_away_answers_503_not_a_membership_refusal() {
    let rig = Rig::start().await;
    let member = Keys::generate();
    rig.members(&[&member]).await;
    rig.room(&rig.owner, "call", "open", vec![]).await;
    let reply = rig.token(&member, "call").await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);

    rig.relay.shutdown();
    let started = Instant::now();
    let (status, code, retry) = token_answer(&rig.app, &member, &rig.relay_id, "call").await;
    assert_eq!((status, code.as_str()), (503, "livekit/relay-unreachable"));
    assert_eq!(retry, Some(5));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "answered in {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_room_deleted_by_its_event_id_is_gone_also_after_a_restart() {
    let rig = Rig::start().await;
    let host = rig.owner.clone();
    let room = rig.room(&host, "by-id", "open", vec![]).await;
    let name = rig.livekit_name(&host, "by-id");
    rig.until_room(&name, true).await;
    // NIP-09 by event id alone: no `a` tag and no `k` tag (a SHOULD that not every client sends).
    let deletion =
        EventBuilder::new(Kind::EventDeletion, "").tags([tag("e", &[&room.id.to_hex()])]);
    rig.publish(&host, deletion).await;
    rig.until_room(&name, false).await;
    let address = format!("30312:{}:by-id", host.public_key().to_hex());
    for asked in ["by-id", address.as_str()] {
        let reply = rig.token(&host, asked).await;
        assert_eq!(
            (reply.status, reply.code()),
            (410, "livekit/room-deleted"),
            "asked as {asked}"
        );
    }

    // The relay dropped the room; after a restart only its deletion is served, naming an id.
    let Rig {
        app,
        relay,
        relay_id,
        ..
    } = rig;
    let app = app.crash_and_restart().await;
    let reply = app.as_tenant(&host).livekit_token(&relay_id, "by-id").await;
    assert_eq!((reply.status, reply.code()), (410, "livekit/room-deleted"));
    drop(relay);
}

#[tokio::test]
async fn a_room_that_expired_while_the_platform_was_down_is_gone_not_missing() {
    let rig = Rig::start().await;
    let host = rig.owner.clone();
    let expires_at = Timestamp::now().as_secs() + 3;
    let expiration = tag("expiration", &[&expires_at.to_string()]);
    rig.room(&host, "brief", "open", vec![expiration]).await;
    let name = rig.livekit_name(&host, "brief");
    rig.until_room(&name, true).await;

    let Rig {
        app,
        lk,
        relay,
        relay_id,
        ..
    } = rig;
    let down = app.crash().await;
    eventually(10, "the room's expiration to pass", || async {
        (Timestamp::now().as_secs() > expires_at).then_some(())
    })
    .await;
    // The restarted platform never sees the room live: relays stop serving expired events.
    let app = down.start().await;
    let reply = app.as_tenant(&host).livekit_token(&relay_id, "brief").await;
    assert_eq!((reply.status, reply.code()), (410, "livekit/room-expired"));
    eventually(10, "LiveKit's room to be removed", || async {
        lk.room(&name).is_none().then_some(())
    })
    .await;
    drop(relay);
}
