//! Moderation and export, as the relay: reports made by members over WebSocket, banning
//! and removing at zooid through NIP-86 with the reason logged, and every event the relay
//! serves downloaded as JSON Lines.

use std::time::Duration;

use nostr_sdk::{Client, EventBuilder, Keys, Kind, Tag, Timestamp};
use serde_json::{Value, json};

use crate::community::{hex, setup};

/// `keys` publishes `builder` to the relay over WebSocket, answering AUTH.
async fn publish(url: &str, keys: &Keys, builder: EventBuilder) -> nostr_sdk::EventId {
    let client = Client::builder().signer(keys.clone()).build();
    client.add_relay(url).await.unwrap();
    client.connect().await;
    client.wait_for_connection(Duration::from_secs(5)).await;
    let sent = client.send_event_builder(builder).await.unwrap();
    assert!(
        !sent.success.is_empty(),
        "the relay took it: {:?}",
        sent.failed
    );
    client.shutdown().await;
    *sent.id()
}

#[tokio::test]
async fn admins_see_reports_ban_the_author_and_remove_the_event_with_reasons_logged() {
    let c = setup().await;
    let owner = Keys::generate();
    let relay = c.relay(&owner, "moderated", "free").await;
    let (reporter, spammer) = (Keys::generate(), Keys::generate());
    for k in [&reporter, &spammer] {
        c.zooid.join(k, &relay.id).await.unwrap();
    }
    let url = c.zooid.relay_url();
    let spam = publish(&url, &spammer, EventBuilder::text_note("buy now")).await;
    let report = EventBuilder::new(Kind::Reporting, "spam, again").tags([
        Tag::parse(["e", &spam.to_hex(), "spam"]).unwrap(),
        Tag::parse(["p", &hex(&spammer)]).unwrap(),
    ]);
    publish(&url, &reporter, report).await;

    let me = c.app.as_tenant(&owner);
    let reports: Value = me
        .get(&format!("/api/relays/{}/reports", relay.id))
        .await
        .ok();
    let r = &reports["items"][0];
    assert_eq!(
        (
            r["reporter"].as_str(),
            r["event"].as_str(),
            r["kind"].as_str()
        ),
        (
            Some(hex(&reporter).as_str()),
            Some(spam.to_hex().as_str()),
            Some("spam")
        )
    );
    assert_eq!(r["pubkey"], hex(&spammer));

    let bans: Value = me
        .post(
            &format!("/api/relays/{}/bans/events", relay.id),
            json!({ "event": spam.to_hex(), "reason": "spam" }),
        )
        .await
        .ok();
    assert_eq!(bans["events"][0]["id"], spam.to_hex());
    let bans: Value = me
        .post(
            &format!("/api/relays/{}/bans/pubkeys", relay.id),
            json!({ "pubkey": hex(&spammer), "reason": "repeated spam" }),
        )
        .await
        .ok();
    assert_eq!(
        (
            bans["pubkeys"][0]["id"].as_str(),
            bans["pubkeys"][0]["reason"].as_str()
        ),
        (Some(hex(&spammer).as_str()), Some("repeated spam"))
    );
    assert!(
        !c.zooid.members(&relay.id).contains(&hex(&spammer)),
        "a ban removes the member"
    );

    let lifted: Value = me
        .delete(&format!(
            "/api/relays/{}/bans/pubkeys/{}?reason=appealed",
            relay.id,
            hex(&spammer)
        ))
        .await
        .ok();
    assert!(lifted["pubkeys"].as_array().unwrap().is_empty());

    let log: Vec<(String, String, String)> = sqlx::query_as("SELECT actor, action, details FROM activity WHERE resource_id = ? AND action LIKE 'relay.%-%' AND actor <> 'system' ORDER BY id")
        .bind(&relay.id)
        .fetch_all(c.app.db())
        .await
        .unwrap();
    let actions: Vec<&str> = log
        .iter()
        .map(|(_, a, _)| a.as_str())
        .filter(|a| a.contains("ban") || a.contains("event"))
        .collect();
    assert_eq!(
        actions,
        [
            "relay.event-removed",
            "relay.pubkey-banned",
            "relay.pubkey-unbanned"
        ]
    );
    assert!(
        log.iter().all(|(actor, _, _)| *actor == hex(&owner)),
        "who did it"
    );
    assert!(
        log.iter().any(|(_, _, d)| d.contains("appealed")),
        "and why"
    );

    let owner_ban = me
        .post(
            &format!("/api/relays/{}/bans/pubkeys", relay.id),
            json!({ "pubkey": hex(&owner), "reason": "x" }),
        )
        .await;
    assert_eq!(
        (owner_ban.status, owner_ban.code()),
        (409, "relay/owner-is-admin")
    );
    let no_reason = me
        .post(
            &format!("/api/relays/{}/bans/events", relay.id),
            json!({ "event": spam.to_hex(), "reason": " " }),
        )
        .await;
    assert_eq!(
        (no_reason.status, no_reason.code()),
        (422, "moderation/invalid-reason")
    );
    let stranger = c.app.as_tenant(&Keys::generate());
    assert_eq!(
        stranger
            .get(&format!("/api/relays/{}/reports", relay.id))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_export_streams_every_event_once_across_pages_of_equal_timestamps() {
    let c = setup().await;
    let owner = Keys::generate();
    let relay = c.relay(&owner, "archive", "free").await;
    let author = Keys::generate();
    let base = Timestamp::now().as_secs() - 10_000;
    // 1,234 events, many sharing a second, so page boundaries fall inside runs of equal times.
    let events: Vec<_> = (0..1234u64)
        .map(|i| {
            EventBuilder::text_note(format!("note {i}"))
                .custom_created_at(Timestamp::from(base + i / 7))
                .sign_with_keys(&author)
                .unwrap()
        })
        .collect();
    c.zooid.store(&events).await;

    let reply = c
        .app
        .as_tenant(&owner)
        .get(&format!("/api/relays/{}/export", relay.id))
        .await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("archive-")
    );
    let text = reply.body.as_str().unwrap().to_string();
    let ids: std::collections::HashSet<String> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let lines = text.lines().count();
    for e in &events {
        assert!(ids.contains(&e.id.to_hex()), "every event");
    }
    assert_eq!(lines, ids.len(), "each once");
    assert!(
        lines >= 1234,
        "and the relay's own membership events too: {lines}"
    );
}
