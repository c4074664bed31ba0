//! Admins see every message the platform sends a tenant: delivered where, or failing with
//! which error, and never what it says.

use nostr_sdk::ToBech32;
use serde_json::Value;

use crate::helpers::billing::{Net, Recipient, robot};
use crate::helpers::eventually;

/// A loopback address nothing listens on.
fn dead_relay() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("ws://{}", listener.local_addr().unwrap())
}

fn only(list: &Value) -> &Value {
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{list}");
    &items[0]
}

#[tokio::test]
async fn admins_see_delivered_and_failing_messages_without_their_text() {
    let net = Net::start().await;
    let app = net.app().await;
    let reachable = Recipient::with_inbox(&net.url, &net.url).await;
    let unreachable = Recipient::with_inbox(&net.url, &dead_relay()).await;
    app.as_tenant(&reachable.keys)
        .create_relay("reachable", "basic")
        .await;
    app.as_tenant(&unreachable.keys)
        .create_relay("unreachable", "basic")
        .await;
    reachable.wait_for(robot(&app), "New invoice").await;

    let admin = app.as_admin();
    let failing = eventually(20, "the unreachable tenant's invoice to fail", || async {
        let list = admin.messages("state=failing").await.body;
        (list["total"] == 1).then_some(list)
    })
    .await;
    let message = only(&failing);
    assert_eq!(message["recipient"], unreachable.keys.public_key().to_hex());
    assert_eq!(message["topic"], "invoice");
    assert_eq!(message["state"], "failing");
    assert!(message["attempts"].as_i64().unwrap() >= 1, "{message}");
    assert!(!message["last_error"].as_str().unwrap().is_empty());
    assert!(message["next_attempt_at"].is_i64(), "it is retried");
    assert_eq!(
        message["relay_source"], "10050",
        "where the inbox was found"
    );

    let npub = reachable.keys.public_key().to_bech32().unwrap();
    let sent = admin
        .messages(&format!("state=sent&recipient={npub}"))
        .await
        .body;
    let message = only(&sent);
    assert_eq!(message["topic"], "invoice");
    assert!(message["sent_at"].is_i64());
    assert!(message["last_error"].is_null() && message["next_attempt_at"].is_null());
    assert_eq!(
        message["accepted_by"][0]
            .as_str()
            .map(|r| r.trim_end_matches('/')),
        Some(net.url.trim_end_matches('/'))
    );

    let all = admin.messages("").await.body;
    assert_eq!(all["total"], 2);
    let text = all.to_string();
    assert!(
        !text.contains("New invoice") && !text.contains("lnbcrt"),
        "the text stays between the platform and the tenant: {text}"
    );

    let refused = admin.messages("state=lost").await;
    assert_eq!(
        (refused.status, refused.code()),
        (400, "request/invalid-query")
    );
}
