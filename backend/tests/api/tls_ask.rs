//! The TLS proxy's question (`GET /api/tls/allowed?domain=`): a certificate only for the hosts
//! of active relays and the dashboard, and a limit on how often one address may ask.

use serde_json::Value;

use crate::helpers::{Reply, TestApp, eventually};

const PUBLIC_URL: &str = "https://dash.example.com";

async fn app() -> TestApp {
    TestApp::spawn_with(&[("PUBLIC_URL", PUBLIC_URL)]).await
}

async fn ask(app: &TestApp, domain: &str) -> Reply {
    app.anonymous()
        .get(&format!("/api/tls/allowed?domain={domain}"))
        .await
}

/// Creates a relay and waits until zooid has it, so it is `active`.
async fn active_relay(app: &TestApp, owner: &nostr_sdk::Keys, subdomain: &str) -> String {
    let id = app
        .as_tenant(owner)
        .create_relay(subdomain, "free")
        .await
        .id;
    eventually(10, "the relay active", || async {
        let r = app.as_tenant(owner).try_relay(&id).await;
        (r.body["status"] == "active").then_some(())
    })
    .await;
    id
}

async fn set_status(app: &TestApp, id: &str, status: &str) {
    sqlx::query("UPDATE relays SET status = ? WHERE id = ?")
        .bind(status)
        .bind(id)
        .execute(app.db())
        .await
        .unwrap();
}

#[tokio::test]
async fn only_active_relays_and_the_dashboard_get_certificates() {
    let app = app().await;
    let owner = nostr_sdk::Keys::generate();

    let live = active_relay(&app, &owner, "live-one").await;
    let yes = ask(&app, "live-one.relays.test").await;
    assert_eq!(yes.status, 200, "{:?}", yes.body);
    assert_eq!(yes.body["serves"], "relay");
    assert_eq!(
        ask(&app, "LIVE-ONE.relays.test.").await.status,
        200,
        "SNI names are case-insensitive and may end in a dot"
    );
    assert_eq!(
        ask(&app, "dash.example.com").await.body["serves"],
        "dashboard"
    );

    // Turned off by its owner: no certificate.
    let off = app.as_tenant(&owner).deactivate(&live).await;
    assert_eq!(off.status, 200, "{:?}", off.body);
    let refused = ask(&app, "live-one.relays.test").await;
    assert_eq!((refused.status, refused.code()), (404, "tls/not-served"));

    // Suspended for non-payment, or not yet on zooid: no certificate.
    let unpaid = active_relay(&app, &owner, "unpaid").await;
    set_status(&app, &unpaid, "suspended").await;
    let waiting = active_relay(&app, &owner, "waiting").await;
    set_status(&app, &waiting, "pending").await;
    for domain in [
        "unpaid.relays.test",
        "waiting.relays.test",
        "nobody-here.relays.test",
        "relays.test",
        "a.b.relays.test",
        "live-one.relays.test.evil.example",
        "evil.example",
        "unpaid.relays.test:443",
    ] {
        let reply = ask(&app, domain).await;
        assert_eq!(
            (reply.status, reply.code()),
            (404, "tls/not-served"),
            "{domain}: {:?}",
            reply.body
        );
    }

    let missing = app.anonymous().get("/api/tls/allowed").await;
    assert_eq!(
        (missing.status, missing.code()),
        (400, "tls/domain-missing")
    );
}

#[tokio::test]
async fn one_address_asking_too_often_is_told_to_wait() {
    let app = app().await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/tls/allowed?domain=nothing.relays.test", app.base);
    let mut answers = Vec::new();
    let limited = loop {
        let resp = http.get(&url).send().await.unwrap();
        if resp.status() == 429 {
            break resp;
        }
        answers.push(resp.status().as_u16());
        assert!(answers.len() < 500, "never limited");
    };
    assert!(
        answers.len() >= 60 && answers.iter().all(|s| *s == 404),
        "a burst of 60 is answered first: {} answers",
        answers.len()
    );
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after));
    let body: Value = limited.json().await.unwrap();
    assert_eq!(body["error"]["code"], "tls/rate-limited");
}
