//! LiveKit's own JS server SDK (livekit-server-sdk) accepts our join tokens, and we accept
//! webhooks it signs: interoperability checked by an implementation that is not ours.

use std::path::Path;
use std::process::Command;

use nostr_sdk::Keys;
use serde_json::Value;

use crate::helpers::livekit::{KEY, Rig, SECRET};

/// Runs `tests/peers/livekit-peer.mjs`; `None` when it refuses.
fn livekit_js(mode: &str, arg: &str) -> Option<String> {
    let peers = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers");
    assert!(
        peers.join("node_modules/livekit-server-sdk").exists(),
        "run `npm ci --prefix backend/tests/peers` first (just test does)"
    );
    let out = Command::new("node")
        .arg(peers.join("livekit-peer.mjs"))
        .args([mode, KEY, SECRET, arg])
        .output()
        .expect("node runs");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).to_string())
}

#[tokio::test]
async fn livekits_js_verifier_accepts_our_tokens_and_we_accept_its_webhooks() {
    let rig = Rig::start().await;
    let listener = Keys::generate();
    rig.members(&[&listener]).await;
    rig.room(&rig.owner, "js", "open", vec![]).await;
    let reply = rig.token(&listener, "js").await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);

    let claims: Value = serde_json::from_str(
        &livekit_js("verify", reply.body["token"].as_str().unwrap())
            .expect("the JS verifier accepts the token"),
    )
    .unwrap();
    assert_eq!(claims["iss"], KEY);
    assert_eq!(claims["sub"], reply.body["identity"]);
    assert_eq!(claims["video"]["room"], reply.body["room"]);
    assert_eq!(claims["video"]["roomJoin"], true);
    assert_eq!(claims["video"]["canPublish"], false);
    assert_eq!(claims["video"]["canSubscribe"], true);
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["nbf"].as_i64().unwrap(),
        180
    );
    assert_eq!(claims["jti"].as_str().map(str::len), Some(32));
    let forged = format!("{}x", reply.body["token"].as_str().unwrap());
    assert!(
        livekit_js("verify", &forged).is_none(),
        "a tampered token is refused"
    );

    let body =
        r#"{"event":"room_started","room":{"name":"caravel:x:y"},"id":"EV_js","createdAt":"1"}"#;
    let auth = livekit_js("sign-webhook", body).unwrap();
    let url = format!("{}/api/livekit/webhook", rig.app.base);
    let send = |body: &'static str, auth: String| {
        let url = url.clone();
        async move {
            reqwest::Client::new()
                .post(url)
                .header("authorization", auth)
                .header("content-type", "application/webhook+json")
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(send(body, auth.clone()).await, 200);
    let altered =
        r#"{"event":"room_started","room":{"name":"caravel:x:z"},"id":"EV_js","createdAt":"1"}"#;
    assert_eq!(
        send(altered, auth).await,
        401,
        "the signature covers the body"
    );
}
