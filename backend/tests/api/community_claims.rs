//! Invites as zooid's own claims: an invite without a use limit is also a claim at the relay,
//! so a member's Nostr client joins with it there (kind 28934 with a `claim` tag, over a
//! NIP-42-authenticated WebSocket opened to the relay's host). The platform withdraws the
//! claim when the invite is withdrawn or expires and while the relay is full, and leaves
//! invites to its own link on a zooid without claims.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use nostr_sdk::{EventBuilder, Keys, Kind, Tag};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Message, http::HeaderValue};

use crate::community::{Community, hex, member_keys, setup};
use crate::helpers::{Relay, eventually};

/// `keys` joins the relay as zooid's clients do, at the relay itself: a WebSocket to the
/// relay's host, AUTH when asked, then a kind 28934 naming `claim`. The relay's answer.
async fn join_at_relay(
    c: &Community,
    relay: &Relay,
    keys: &Keys,
    claim: &str,
) -> Result<(), String> {
    let mut request = format!("ws://{}/", c.zooid.relay_addr())
        .into_client_request()
        .unwrap();
    let host = HeaderValue::from_str(&relay.host).unwrap();
    request.headers_mut().insert("host", host);
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let join = EventBuilder::new(Kind::Custom(28934), "")
        .tag(Tag::parse(["claim", claim]).unwrap())
        .sign_with_keys(keys)
        .unwrap();
    let send = |v: Value| Message::Text(v.to_string().into());
    socket
        .send(send(json!(["EVENT", serde_json::to_value(&join).unwrap()])))
        .await
        .unwrap();
    let mut authed = false;
    let answer = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(Ok(Message::Text(text))) = socket.next().await {
            let message: Value = serde_json::from_str(&text).unwrap();
            match message[0].as_str() {
                Some("AUTH") => {
                    let auth = EventBuilder::auth(
                        message[1].as_str().unwrap(),
                        nostr_sdk::RelayUrl::parse(&format!("ws://{}", relay.host)).unwrap(),
                    )
                    .sign_with_keys(keys)
                    .unwrap();
                    socket
                        .send(send(json!(["AUTH", serde_json::to_value(&auth).unwrap()])))
                        .await
                        .unwrap();
                }
                Some("OK") if message[1] == join.id.to_hex() && !authed => {
                    // Refused for want of AUTH; sent again once authenticated.
                }
                Some("OK") if message[1] == join.id.to_hex() => {
                    return match message[2].as_bool() {
                        Some(true) => Ok(()),
                        _ => Err(message[3].as_str().unwrap_or_default().to_string()),
                    };
                }
                Some("OK") => {
                    authed = true;
                    socket
                        .send(send(json!(["EVENT", serde_json::to_value(&join).unwrap()])))
                        .await
                        .unwrap();
                }
                _ => {}
            }
        }
        Err("the relay closed the connection".to_string())
    })
    .await;
    answer.unwrap_or_else(|_| Err("no answer from the relay".into()))
}

async fn invite(c: &Community, owner: &Keys, relay: &Relay, body: Value) -> Value {
    c.app
        .as_tenant(owner)
        .post(&format!("/api/relays/{}/invites", relay.id), body)
        .await
        .expect(201)
}

/// The relay's invites as its owner sees them, once `check` holds.
async fn invites_where(
    c: &Community,
    owner: &Keys,
    relay: &Relay,
    what: &str,
    check: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    eventually(10, what, || async {
        let list: Value = c
            .app
            .as_tenant(owner)
            .get(&format!("/api/relays/{}/invites", relay.id))
            .await
            .ok();
        let items = list["items"].as_array().unwrap().clone();
        check(&items).then_some(items)
    })
    .await
}

async fn claims_become(c: &Community, relay: &Relay, want: &[&str], what: &str) {
    eventually(10, what, || async {
        (c.zooid.claims(&relay.id) == want).then_some(())
    })
    .await
}

#[tokio::test]
async fn an_open_ended_invite_is_a_claim_the_relays_own_clients_join_with_until_it_is_withdrawn() {
    let c = setup().await;
    let owner = Keys::generate();
    let relay = c.relay(&owner, "claims", "free").await;
    let open = invite(&c, &owner, &relay, json!({})).await;
    let counted = invite(&c, &owner, &relay, json!({ "max_uses": 3 })).await;
    let code = open["code"].as_str().unwrap();
    claims_become(
        &c,
        &relay,
        &[code],
        "the open-ended invite to be a claim at zooid",
    )
    .await;
    let items = invites_where(
        &c,
        &owner,
        &relay,
        "the invite to show its claim",
        |items| items.iter().any(|i| i["relay_claim"] == code),
    )
    .await;
    let limited = items.iter().find(|i| i["id"] == counted["id"]).unwrap();
    assert_eq!(
        limited["relay_claim"],
        Value::Null,
        "zooid cannot count a claim's uses"
    );

    let friend = Keys::generate();
    join_at_relay(&c, &relay, &friend, code).await.unwrap();
    eventually(10, "the friend to be a member at zooid", || async {
        c.zooid
            .members(&relay.id)
            .contains(&hex(&friend))
            .then_some(())
    })
    .await;
    let members: Value = c.app.as_tenant(&owner).members(&relay.id).await.ok();
    assert!(member_keys(&members).contains(&hex(&friend)));

    c.app
        .as_tenant(&owner)
        .delete(&format!(
            "/api/relays/{}/invites/{}",
            relay.id,
            open["id"].as_str().unwrap()
        ))
        .await
        .ok::<Value>();
    claims_become(
        &c,
        &relay,
        &[],
        "the withdrawn invite's claim to be deleted",
    )
    .await;
    let late = join_at_relay(&c, &relay, &Keys::generate(), code).await;
    assert!(
        late.as_ref()
            .is_err_and(|why| why.contains("failed to validate invite code")),
        "{late:?}"
    );
    let items = invites_where(&c, &owner, &relay, "the invite to show no claim", |items| {
        items.iter().all(|i| i["relay_claim"].is_null())
    })
    .await;
    assert_eq!(items.len(), 2);
}

#[tokio::test]
async fn a_claim_is_withdrawn_when_its_invite_expires_and_while_the_relay_is_full() {
    let c = setup().await;
    let owner = Keys::generate();
    let me = c.app.as_tenant(&owner);
    let relay = c.relay(&owner, "expiring", "free").await;
    let open = invite(&c, &owner, &relay, json!({ "valid_hours": 2 })).await;
    let code = open["code"].as_str().unwrap();
    claims_become(&c, &relay, &[code], "the invite to be a claim").await;

    // Full at the plan's limit (10): every claim goes, the relay's members' own included.
    c.zooid.join(&Keys::generate(), &relay.id).await.unwrap();
    let people = c.joined(&relay.id, 8).await;
    let _: Value = me.members(&relay.id).await.ok();
    claims_become(&c, &relay, &[], "a full relay to keep no claim").await;
    let refused = join_at_relay(&c, &relay, &Keys::generate(), code).await;
    assert!(
        refused
            .as_ref()
            .is_err_and(|why| why.contains("failed to validate invite code")),
        "nobody joins a full relay through zooid: {refused:?}"
    );

    c.zooid.leave(&people[0], &relay.id).await.unwrap();
    let _: Value = me.members(&relay.id).await.ok();
    claims_become(&c, &relay, &[code], "the claim to come back with room").await;

    // The next look is scheduled at the invite's expiry; there, the claim goes.
    let due: Option<i64> = sqlx::query_scalar("SELECT due_at FROM relay_claims WHERE relay_id = ?")
        .bind(&relay.id)
        .fetch_one(c.app.db())
        .await
        .unwrap();
    assert_eq!(due, open["expires_at"].as_i64());
    let now = nostr_sdk::Timestamp::now().as_secs() as i64;
    sqlx::query("UPDATE relay_invites SET expires_at = ? WHERE id = ?")
        .bind(now - 1)
        .bind(open["id"].as_str().unwrap())
        .execute(c.app.db())
        .await
        .unwrap();
    sqlx::query("UPDATE relay_claims SET due_at = ? WHERE relay_id = ?")
        .bind(now - 1)
        .bind(&relay.id)
        .execute(c.app.db())
        .await
        .unwrap();
    claims_become(&c, &relay, &[], "the expired invite's claim to be deleted").await;
    let late = join_at_relay(&c, &relay, &Keys::generate(), code).await;
    assert!(
        late.as_ref()
            .is_err_and(|why| why.contains("failed to validate invite code")),
        "an expired invite admits nobody at the relay: {late:?}"
    );
}

#[tokio::test]
async fn on_a_zooid_without_claims_invites_go_through_the_platform_only() {
    let c = setup().await;
    c.zooid.without_claims();
    let owner = Keys::generate();
    let relay = c.relay(&owner, "older", "free").await;
    let open = invite(&c, &owner, &relay, json!({})).await;
    eventually(10, "the look at the relay's claims to finish", || async {
        let row: Option<(Option<i64>, Option<String>)> =
            sqlx::query_as("SELECT due_at, last_error FROM relay_claims WHERE relay_id = ?")
                .bind(&relay.id)
                .fetch_optional(c.app.db())
                .await
                .unwrap();
        (row == Some((None, None))).then_some(())
    })
    .await;
    assert!(c.zooid.claims(&relay.id).is_empty());
    let list: Value = c
        .app
        .as_tenant(&owner)
        .get(&format!("/api/relays/{}/invites", relay.id))
        .await
        .ok();
    assert_eq!(list["items"][0]["relay_claim"], Value::Null);
    let friend = Keys::generate();
    let joined: Value = c
        .app
        .as_tenant(&friend)
        .post_empty(&format!(
            "/api/invites/{}/join",
            open["code"].as_str().unwrap()
        ))
        .await
        .ok();
    assert_eq!(joined["joined"], true, "the platform's link still admits");
}
