//! Strict NIP-98: each way a header can be wrong is refused with its own code,
//! and honest callers get through.

use nostr_sdk::{JsonUtil, Keys, Kind, Timestamp};
use serde_json::json;

use crate::helpers::{TestApp, header_for, sign, sign_custom};

async fn refused_with(
    app: &TestApp,
    method: &str,
    path: &str,
    body: Option<&str>,
    auth: Option<&str>,
    code: &str,
) {
    let reply = app.raw(method, path, body, auth).await;
    assert_eq!(reply.status, 401, "{code}: {:?}", reply.body);
    assert_eq!(reply.code(), code, "{:?}", reply.body);
    assert!(
        !reply.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .is_empty(),
        "a person gets an explanation"
    );
}

#[tokio::test]
async fn a_missing_or_unreadable_header_is_refused() {
    let app = TestApp::spawn().await;
    refused_with(&app, "GET", "/api/identity", None, None, "auth/missing").await;
    refused_with(
        &app,
        "GET",
        "/api/identity",
        None,
        Some("Bearer abc"),
        "auth/malformed",
    )
    .await;
    refused_with(
        &app,
        "GET",
        "/api/identity",
        None,
        Some("Nostr !!!not-base64!!!"),
        "auth/malformed",
    )
    .await;
    refused_with(
        &app,
        "GET",
        "/api/identity",
        None,
        Some(&header_for("{\"kind\": 27235}")),
        "auth/malformed",
    )
    .await;
    let huge = format!("Nostr {}", "A".repeat(20 * 1024));
    refused_with(
        &app,
        "GET",
        "/api/identity",
        None,
        Some(&huge),
        "auth/too-large",
    )
    .await;
}

#[tokio::test]
async fn the_event_must_be_a_genuine_kind_27235() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let url = format!("{}/api/identity", app.url);
    let wrong_kind = sign_custom(&keys, &url, "GET", None, Kind::TextNote, Timestamp::now());
    refused_with(
        &app,
        "GET",
        "/api/identity",
        None,
        Some(&wrong_kind),
        "auth/wrong-kind",
    )
    .await;

    // Same event with a tampered tag: the id no longer matches.
    let good = sign(&keys, &url, "GET", None);
    let event = decode(&good);
    let mut tampered = event.clone();
    tampered["content"] = json!("changed");
    refused_with(
        &app,
        "GET",
        "/api/identity",
        None,
        Some(&header_for(&tampered.to_string())),
        "auth/bad-id",
    )
    .await;

    // A valid id with another key's pubkey: the signature fails.
    let mut forged = event.clone();
    let other = sign(&Keys::generate(), &url, "GET", None);
    forged["sig"] = decode(&other)["sig"].clone();
    refused_with(
        &app,
        "GET",
        "/api/identity",
        None,
        Some(&header_for(&forged.to_string())),
        "auth/bad-signature",
    )
    .await;
}

#[tokio::test]
async fn stale_and_future_events_are_refused() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let url = format!("{}/api/identity", app.url);
    let now = Timestamp::now().as_secs();
    for at in [now - 61, now + 61, now - 3600] {
        let header = sign_custom(
            &keys,
            &url,
            "GET",
            None,
            Kind::HttpAuth,
            Timestamp::from(at),
        );
        refused_with(
            &app,
            "GET",
            "/api/identity",
            None,
            Some(&header),
            "auth/expired",
        )
        .await;
    }
    for at in [now - 50, now + 50] {
        let header = sign_custom(
            &keys,
            &url,
            "GET",
            None,
            Kind::HttpAuth,
            Timestamp::from(at),
        );
        assert_eq!(
            app.raw("GET", "/api/identity", None, Some(&header))
                .await
                .status,
            200,
            "within ±60 s is fine"
        );
    }
}

#[tokio::test]
async fn the_url_must_match_exactly_including_the_query() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let base = &app.url;
    for signed_for in [
        format!("{base}/api/relays"),
        format!("{base}/api/relays?limit=6"),
        format!("{base}/api/relays/?limit=5"),
        "http://evil.example/api/relays?limit=5".to_string(),
    ] {
        let header = sign(&keys, &signed_for, "GET", None);
        refused_with(
            &app,
            "GET",
            "/api/relays?limit=5",
            None,
            Some(&header),
            "auth/url-mismatch",
        )
        .await;
    }
    let header = sign(&keys, &format!("{base}/api/relays?limit=5"), "GET", None);
    assert_eq!(
        app.raw("GET", "/api/relays?limit=5", None, Some(&header))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn the_method_must_match_in_any_case() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let url = format!("{}/api/tenants", app.url);
    let header = sign(&keys, &url, "GET", None);
    refused_with(
        &app,
        "POST",
        "/api/tenants",
        None,
        Some(&header),
        "auth/method-mismatch",
    )
    .await;
    let lower = sign(&keys, &url, "post", None);
    assert_eq!(
        app.raw("POST", "/api/tenants", None, Some(&lower))
            .await
            .status,
        201
    );
}

#[tokio::test]
async fn a_body_needs_a_payload_hash_of_its_exact_bytes() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let url = format!("{}/api/relays", app.url);
    let body = r#"{"name":"A","subdomain":"payload-test","plan":"free"}"#;
    let no_payload = sign(&keys, &url, "POST", None);
    refused_with(
        &app,
        "POST",
        "/api/relays",
        Some(body),
        Some(&no_payload),
        "auth/payload-mismatch",
    )
    .await;
    // Same JSON, re-serialised with a space: different bytes, different hash.
    let other_bytes = sign(
        &keys,
        &url,
        "POST",
        Some(br#"{"name": "A","subdomain":"payload-test","plan":"free"}"#),
    );
    refused_with(
        &app,
        "POST",
        "/api/relays",
        Some(body),
        Some(&other_bytes),
        "auth/payload-mismatch",
    )
    .await;
    let right = sign(&keys, &url, "POST", Some(body.as_bytes()));
    assert_eq!(
        app.raw("POST", "/api/relays", Some(body), Some(&right))
            .await
            .status,
        201
    );
}

#[tokio::test]
async fn a_header_is_accepted_once_but_identical_honest_requests_both_pass() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let url = format!("{}/api/identity", app.url);
    let header = sign(&keys, &url, "GET", None);
    assert_eq!(
        app.raw("GET", "/api/identity", None, Some(&header))
            .await
            .status,
        200
    );
    refused_with(
        &app,
        "GET",
        "/api/identity",
        None,
        Some(&header),
        "auth/replayed",
    )
    .await;

    // Two requests signed in the same second share an event id, not a signature.
    let at = Timestamp::now();
    let a = sign_custom(&keys, &url, "GET", None, Kind::HttpAuth, at);
    let b = sign_custom(&keys, &url, "GET", None, Kind::HttpAuth, at);
    assert_eq!(decode(&a)["id"], decode(&b)["id"]);
    assert_ne!(decode(&a)["sig"], decode(&b)["sig"]);
    assert_eq!(
        app.raw("GET", "/api/identity", None, Some(&a)).await.status,
        200
    );
    assert_eq!(
        app.raw("GET", "/api/identity", None, Some(&b)).await.status,
        200
    );
}

#[tokio::test]
async fn a_refused_header_can_be_retried_after_fixing_nothing_but_the_request() {
    // A header refused for a wrong body was not "used": the replay cache holds only accepted ones.
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let url = format!("{}/api/tenants", app.url);
    let header = sign(&keys, &url, "POST", None);
    refused_with(
        &app,
        "POST",
        "/api/tenants",
        Some("{}"),
        Some(&header),
        "auth/payload-mismatch",
    )
    .await;
    assert_eq!(
        app.raw("POST", "/api/tenants", None, Some(&header))
            .await
            .status,
        201
    );
}

#[tokio::test]
async fn behind_a_proxy_urls_are_checked_against_public_url() {
    let app = TestApp::spawn_with(&[("PUBLIC_URL", "https://caravel.example.com/")]).await;
    let keys = Keys::generate();
    let direct = sign(&keys, &format!("{}/api/identity", app.base), "GET", None);
    refused_with(
        &app,
        "GET",
        "/api/identity",
        None,
        Some(&direct),
        "auth/url-mismatch",
    )
    .await;
    let public = sign(
        &keys,
        "https://caravel.example.com/api/identity",
        "GET",
        None,
    );
    assert_eq!(
        app.raw("GET", "/api/identity", None, Some(&public))
            .await
            .status,
        200
    );
}

fn decode(header: &str) -> serde_json::Value {
    use base64::Engine;
    let b64 = header.strip_prefix("Nostr ").unwrap();
    let json = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let event = nostr_sdk::Event::from_json(&json).unwrap();
    serde_json::from_str(&event.as_json()).unwrap()
}
