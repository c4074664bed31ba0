//! The zooid stand-in as a community relay: members announced by the relay, NIP-86 with
//! zooid's rules, and the members route, driven over loopback as the platform will.

mod helpers;

use base64::Engine;
use caravel_testkit::zooid::RPC_CONTENT_TYPE;
use nostr_sdk::hashes::{Hash, sha256};
use nostr_sdk::{Client, EventBuilder, Filter, JsonUtil, Keys, Kind, Timestamp};
use serde_json::{Value, json};

use helpers::{Community, MEMBER_ADDED, MEMBER_LIST, listed, nip98, tag};

#[tokio::test]
async fn a_stored_config_makes_owner_roles_and_relay_members_in_a_relay_signed_list() {
    let c = Community::start().await;
    let list = c.member_list(&c.owner).await;
    assert_eq!(list.pubkey, c.relay.public_key());
    assert_eq!(list.tags.first().unwrap().as_slice(), ["-"]);
    let members = listed(&list);
    for keys in [&c.owner, &c.co_admin, &c.inviter, &c.relay] {
        assert!(members.contains(&keys.public_key()));
    }
    let added = c
        .events_by(&c.owner, Filter::new().kind(MEMBER_ADDED))
        .await;
    assert_eq!(added.len(), 4, "one kind 8000 per member added");
    assert!(added.iter().all(|e| e.pubkey == c.relay.public_key()));
}

#[tokio::test]
async fn allowpubkey_by_the_relay_adds_a_member_and_publishes_a_newer_list() {
    let c = Community::start().await;
    let before = c.member_list(&c.relay).await;
    let newcomer = Keys::generate();
    let answer = c
        .nip86(
            &c.relay,
            "allowpubkey",
            json!([newcomer.public_key().to_hex(), "welcome"]),
            false,
        )
        .await;
    assert_eq!(answer, json!({ "result": true }));
    let after = c.member_list(&c.relay).await;
    assert!(after.created_at > before.created_at);
    assert!(listed(&after).contains(&newcomer.public_key()));
    assert!(
        c.zooid
            .members(&c.id)
            .contains(&newcomer.public_key().to_hex())
    );
    let call = c.zooid.nip86_requests().pop().unwrap();
    assert_eq!(call.method, "allowpubkey");
    assert_eq!(call.signer, Some(c.relay.public_key()));
    assert_eq!(call.relay.as_deref(), Some("community"));
}

#[tokio::test]
async fn only_managers_may_call_nip86() {
    let c = Community::start().await;
    let blocked = json!({ "error": "blocked: only relay admins can manage this relay." });
    let stranger = Keys::generate();
    for relay_id in [false, true] {
        let answer = c
            .nip86(&stranger, "listallowedpubkeys", json!([]), relay_id)
            .await;
        assert_eq!(answer, blocked);
    }
    let answer = c
        .nip86(&c.inviter, "listallowedpubkeys", json!([]), true)
        .await;
    assert_eq!(answer, blocked, "can_invite alone does not manage");
    let answer = c
        .nip86(&c.co_admin, "listallowedpubkeys", json!([]), true)
        .await;
    let listed = answer["result"].as_array().expect("the co-admin may list");
    assert_eq!(listed.len(), 4);
    assert_eq!(listed[0]["reason"], "relay member");
}

#[tokio::test]
async fn nip86_auth_needs_the_payload_hash_the_relay_url_and_a_fresh_event() {
    let c = Community::start().await;
    let body =
        json!({ "method": "allowpubkey", "params": [Keys::generate().public_key().to_hex(), ""] })
            .to_string();
    let no_payload = nip98(&c.relay, &c.nip86_url(), "POST", None);
    let answer = c.rpc(no_payload, body.clone(), false).await;
    assert_eq!(
        answer,
        json!({ "error": "invalid auth event payload hash" })
    );
    let no_slash = nip98(
        &c.relay,
        c.nip86_url().trim_end_matches('/'),
        "POST",
        Some(&body),
    );
    let answer = c.rpc(no_slash, body.clone(), false).await;
    assert_eq!(answer, json!({ "error": "invalid 'u' tag" }));
    let hash = sha256::Hash::hash(body.as_bytes()).to_string();
    let old = EventBuilder::new(Kind::HttpAuth, "")
        .tags([
            tag(&["u", &c.nip86_url()]),
            tag(&["method", "POST"]),
            tag(&["payload", &hash]),
        ])
        .custom_created_at(Timestamp::from(Timestamp::now().as_secs() - 31))
        .sign_with_keys(&c.relay)
        .unwrap();
    let token = base64::engine::general_purpose::STANDARD.encode(old.as_json());
    let answer = c.rpc(format!("Nostr {token}"), body, false).await;
    assert_eq!(answer, json!({ "error": "auth event is too old" }));
    assert_eq!(c.zooid.members(&c.id).len(), 4, "nothing changed");
    let answer = c.nip86(&c.relay, "stats", json!([]), false).await;
    assert!(answer["error"].as_str().unwrap().contains("unknown method"));
}

#[tokio::test]
async fn the_members_route_lists_sorted_members_or_404() {
    let c = Community::start().await;
    let get = |id: &str| {
        let url = format!("{}/relay/{id}/members", c.zooid.url());
        let auth = nip98(&c.robot, &url, "GET", None);
        let request = c.http.get(url).header("authorization", auth);
        async move {
            let answer = request.send().await.unwrap();
            (
                answer.status().as_u16(),
                answer.json::<Value>().await.unwrap(),
            )
        }
    };
    let (status, body) = get("community").await;
    assert_eq!(status, 200);
    let mut expected: Vec<String> = [&c.owner, &c.co_admin, &c.inviter, &c.relay]
        .iter()
        .map(|k| k.public_key().to_hex())
        .collect();
    expected.sort();
    assert_eq!(body, json!({ "members": expected }));
    assert_eq!(
        get("nobody").await,
        (404, json!({ "error": "relay not found" }))
    );
}

#[tokio::test]
async fn a_ban_removes_the_member_and_their_events_and_keeps_them_out() {
    let c = Community::start().await;
    let member = Keys::generate();
    c.zooid.join(&member, &c.id).await.unwrap();
    let note = EventBuilder::text_note("hello")
        .sign_with_keys(&member)
        .unwrap();
    let client = Client::builder().signer(member.clone()).build();
    client.add_relay(c.zooid.relay_url()).await.unwrap();
    client.connect().await;
    let sent = client.send_event(&note).await.unwrap();
    assert!(
        !sent.success.is_empty(),
        "the member posts: {:?}",
        sent.failed
    );

    let pk = member.public_key().to_hex();
    let answer = c
        .nip86(&c.relay, "banpubkey", json!([pk, "spam"]), false)
        .await;
    assert_eq!(answer, json!({ "result": true }));
    assert!(!c.zooid.members(&c.id).contains(&pk));
    assert_eq!(
        c.zooid.banned(&c.id),
        vec![(pk.clone(), "spam".to_string())]
    );
    let theirs = c
        .events_by(&c.relay, Filter::new().author(member.public_key()))
        .await;
    assert!(theirs.is_empty(), "a ban deletes every event by the pubkey");
    let again = EventBuilder::text_note("still here")
        .sign_with_keys(&member)
        .unwrap();
    let sent = client.send_event(&again).await.unwrap();
    let refusal = sent
        .failed
        .values()
        .next()
        .expect("a banned pubkey cannot write");
    assert!(refusal.contains("banned"), "{refusal}");
    client.shutdown().await;
    assert!(c.zooid.join(&member, &c.id).await.is_err());

    let answer = c
        .nip86(&c.relay, "unbanpubkey", json!([pk, ""]), false)
        .await;
    assert_eq!(answer, json!({ "result": true }));
    assert!(c.zooid.banned(&c.id).is_empty());
    assert!(
        !c.zooid.members(&c.id).contains(&pk),
        "unban does not restore membership"
    );
}

#[tokio::test]
async fn join_and_leave_announce_membership_changes() {
    let c = Community::start().await;
    let member = Keys::generate();
    c.zooid.join(&member, &c.id).await.unwrap();
    assert!(listed(&c.member_list(&c.relay).await).contains(&member.public_key()));
    c.zooid.leave(&member, &c.id).await.unwrap();
    assert!(!listed(&c.member_list(&c.relay).await).contains(&member.public_key()));
    let removed = c
        .events_by(&c.relay, Filter::new().kind(Kind::Custom(8001)))
        .await;
    assert_eq!(removed.len(), 1);
}

#[tokio::test]
async fn nip86_follows_the_stand_ins_failures() {
    let c = Community::start().await;
    c.zooid.fail_with(Some(503));
    let body = json!({ "method": "supportedmethods", "params": [] }).to_string();
    let answer = c
        .http
        .post(c.nip86_url())
        .header(
            "authorization",
            nip98(&c.relay, &c.nip86_url(), "POST", Some(&body)),
        )
        .header("content-type", RPC_CONTENT_TYPE)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 503);
    c.zooid.fail_with(None);

    c.zooid.go_down().await;
    let refused = reqwest::Client::new().post(c.nip86_url()).send().await;
    assert!(
        refused.is_err(),
        "the relay port refuses connections while down"
    );
    c.zooid.come_back().await;
    let answer = c
        .nip86(&c.relay, "supportedmethods", json!([]), false)
        .await;
    assert!(
        answer["result"]
            .as_array()
            .unwrap()
            .contains(&json!("banevent"))
    );
}

#[tokio::test]
async fn clients_cannot_write_membership_kinds() {
    let c = Community::start().await;
    let forged = EventBuilder::new(MEMBER_LIST, "")
        .tags([
            tag(&["-"]),
            tag(&["member", &Keys::generate().public_key().to_hex()]),
        ])
        .sign_with_keys(&c.relay)
        .unwrap();
    let client = Client::builder().signer(c.relay.clone()).build();
    client.add_relay(c.zooid.relay_url()).await.unwrap();
    client.connect().await;
    let sent = client.send_event(&forged).await.unwrap();
    client.shutdown().await;
    assert!(
        sent.success.is_empty(),
        "13534 is read-only, even for the relay key"
    );
    assert_eq!(listed(&c.member_list(&c.owner).await).len(), 4);
}

#[tokio::test]
async fn banevent_deletes_the_event_and_keeps_it_out() {
    let c = Community::start().await;
    let note = EventBuilder::text_note("off topic")
        .sign_with_keys(&c.inviter)
        .unwrap();
    let client = Client::builder().signer(c.inviter.clone()).build();
    client.add_relay(c.zooid.relay_url()).await.unwrap();
    client.connect().await;
    assert!(!client.send_event(&note).await.unwrap().success.is_empty());

    let id = note.id.to_hex();
    let answer = c
        .nip86(&c.co_admin, "banevent", json!([id, "off topic"]), true)
        .await;
    assert_eq!(answer, json!({ "result": true }));
    let left = c.events_by(&c.owner, Filter::new().id(note.id)).await;
    assert!(left.is_empty(), "banevent hard-deletes");
    let listed = c
        .nip86(&c.relay, "listbannedevents", json!([]), false)
        .await;
    assert_eq!(
        listed,
        json!({ "result": [{ "id": id, "reason": "off topic" }] })
    );
    let again = client.send_event(&note).await.unwrap();
    client.shutdown().await;
    assert!(again.success.is_empty(), "a banned event cannot come back");
    assert!(
        c.zooid
            .members(&c.id)
            .contains(&c.inviter.public_key().to_hex())
    );
}
