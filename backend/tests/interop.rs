//! Headers signed by an independent NIP-98 implementation (nostr-tools, as the dashboard
//! and most web clients use) are accepted, and its replays refused.

mod common;

use std::path::Path;
use std::process::Command;

use common::TestApp;
use nostr_sdk::Keys;
use serde_json::Value;

/// Runs `tests/peers/nip98-sign.mjs`; returns (authorization, exact body text).
fn nostr_tools_sign(
    keys: &Keys,
    url: &str,
    method: &str,
    body: Option<&str>,
) -> (String, Option<String>) {
    let peers = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers");
    assert!(
        peers.join("node_modules/nostr-tools").exists(),
        "run `npm ci --prefix backend/tests/peers` first (just test does)"
    );
    let mut cmd = Command::new("node");
    cmd.arg(peers.join("nip98-sign.mjs"))
        .arg(keys.secret_key().to_secret_hex())
        .arg(url)
        .arg(method);
    if let Some(b) = body {
        cmd.arg(b);
    }
    let out = cmd.output().expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        v["authorization"].as_str().unwrap().to_string(),
        v["body"].as_str().map(String::from),
    )
}

#[tokio::test]
async fn nostr_tools_headers_are_accepted_for_reads_and_writes() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let (auth, _) = nostr_tools_sign(&keys, &format!("{}/api/identity", app.url), "get", None);
    let me = app.raw("GET", "/api/identity", None, Some(&auth)).await;
    assert_eq!(me.status, 200, "{:?}", me.body);
    assert_eq!(me.body["pubkey"], keys.public_key().to_hex());

    let (auth, body) = nostr_tools_sign(
        &keys,
        &format!("{}/api/relays", app.url),
        "post",
        Some(r#"{"name":"From JS","subdomain":"from-js","plan":"free"}"#),
    );
    let created = app
        .raw("POST", "/api/relays", body.as_deref(), Some(&auth))
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["tenant"], keys.public_key().to_hex());

    let replay = app
        .raw("POST", "/api/relays", body.as_deref(), Some(&auth))
        .await;
    assert_eq!((replay.status, replay.code()), (401, "auth/replayed"));

    let (auth, _) = nostr_tools_sign(
        &keys,
        &format!("{}/api/relays?q=from", app.url),
        "get",
        None,
    );
    let listed = app
        .raw("GET", "/api/relays?q=from", None, Some(&auth))
        .await;
    assert_eq!(listed.body["total"], 1);
}
