//! Token refusals whose cause the relay's current events do not show: a relay that cannot be
//! reached gets its own answer, not `not-a-member` or `room-not-found`.

use std::time::{Duration, Instant};

use nostr_sdk::Keys;
use serde_json::{Value, json};

use crate::helpers::livekit::Rig;
use crate::helpers::{TestApp, sign};

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
