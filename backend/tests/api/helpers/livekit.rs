//! A LiveKit test rig: the real server with LiveKit configured against the LiveKit stand-in,
//! an in-process Nostr relay that demands NIP-42 AUTH (standing in for every hosted relay),
//! and helpers to publish real signed NIP-53 / NIP-09 / NIP-43 / NIP-51 events.
#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicU64, Ordering};

use caravel::db::livekit_relays;
use caravel::livekit::{relay_link, rooms};
use caravel_testkit::livekit::LivekitStandIn;
use caravel_testkit::livekit_webhooks::WebhookSender;
use nostr_relay_builder::prelude::*;
use nostr_sdk::{Client, EventBuilder, Keys, Kind, Tag, TagKind, Timestamp};
use serde_json::Value;

use crate::helpers::{Reply, TEST_NWC_URL, TestApp, eventually};

pub const KEY: &str = "APIcaravelTest";
pub const SECRET: &str = "a-long-enough-livekit-secret-for-tests-0123456789";

pub struct Rig {
    pub app: TestApp,
    pub lk: LivekitStandIn,
    pub relay: LocalRelay,
    pub owner: Keys,
    /// The relay created for `owner` on the `basic` plan (LiveKit included).
    pub relay_id: String,
    pub schema: String,
    pub relay_keys: Keys,
    /// The last `created_at` given to a replaceable list, so each new one replaces the last.
    list_clock: AtomicU64,
}

impl Rig {
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    pub async fn start_with(extra: &[(&str, &str)]) -> Self {
        let lk = LivekitStandIn::start(KEY, SECRET).await;
        let builder = RelayBuilder::default()
            .addr(IpAddr::V4(Ipv4Addr::LOCALHOST))
            .nip42(RelayBuilderNip42 {
                mode: RelayBuilderNip42Mode::Both,
            });
        let relay = LocalRelay::new(builder);
        relay.run().await.expect("the test relay runs");
        let relay_url = relay.url().await.to_string();
        let lk_url = lk.url();
        let mut vars: Vec<(&str, &str)> = vec![
            ("NWC_URL", TEST_NWC_URL),
            ("LIVEKIT_URL", &lk_url),
            ("LIVEKIT_API_KEY", KEY),
            ("LIVEKIT_API_SECRET", SECRET),
            ("RELAY_URL_TEMPLATE", &relay_url),
            ("LIVEKIT_SWEEP_SECS", "1"),
        ];
        vars.extend_from_slice(extra);
        let app = TestApp::spawn_with(&vars).await;
        let owner = Keys::generate();
        let (relay_id, schema, relay_keys) =
            make_relay(&app, &owner, "livekit-room", "basic").await;
        Self {
            app,
            lk,
            relay,
            owner,
            relay_id,
            schema,
            relay_keys,
            list_clock: AtomicU64::new(0),
        }
    }

    /// Signs and stores an event on the relay, authenticated (NIP-42) as its author, since
    /// protected events (NIP-70 `-`) are only accepted from their author.
    pub async fn publish(&self, keys: &Keys, builder: EventBuilder) -> nostr_sdk::Event {
        let event = builder.sign_with_keys(keys).expect("sign");
        let client = Client::builder().signer(keys.clone()).build();
        client
            .add_relay(self.relay.url().await.to_string())
            .await
            .expect("add relay");
        client.connect().await;
        let sent = client.send_event(&event).await.expect("publish");
        client.shutdown().await;
        assert!(
            !sent.success.is_empty(),
            "the relay stored the kind {} event: {:?}",
            event.kind,
            sent.failed
        );
        event
    }

    /// A kind 30312 room by `host` with `status` and extra tags, created now.
    pub async fn room(
        &self,
        host: &Keys,
        d: &str,
        status: &str,
        extra: Vec<Tag>,
    ) -> nostr_sdk::Event {
        self.room_at(host, d, status, extra, 0).await
    }

    /// The same, created `ago` seconds in the past (versions of one room need distinct times).
    pub async fn room_at(
        &self,
        host: &Keys,
        d: &str,
        status: &str,
        extra: Vec<Tag>,
        ago: u64,
    ) -> nostr_sdk::Event {
        let mut tags = vec![
            tag("d", &[d]),
            tag("room", &["Test room"]),
            tag("status", &[status]),
            tag("service", &["https://meet.example"]),
            tag("p", &[&host.public_key().to_hex(), "", "Host"]),
        ];
        tags.extend(extra);
        let at = Timestamp::from(Timestamp::now().as_secs() - ago);
        let builder = EventBuilder::new(Kind::Custom(30312), "")
            .tags(tags)
            .custom_created_at(at);
        self.publish(host, builder).await
    }

    /// The relay's NIP-43 member list (kind 13534), signed by the relay's own key.
    pub async fn members(&self, members: &[&Keys]) {
        let mut tags = vec![tag("-", &[])];
        tags.extend(
            members
                .iter()
                .map(|k| tag("member", &[&k.public_key().to_hex()])),
        );
        let builder = EventBuilder::new(Kind::Custom(13534), "").tags(tags);
        self.publish(
            &self.relay_keys,
            builder.custom_created_at(self.list_time()),
        )
        .await;
    }

    /// `who`'s public mute list (kind 10000).
    pub async fn mutes(&self, who: &Keys, muted: &[&Keys]) {
        let tags: Vec<Tag> = muted
            .iter()
            .map(|k| tag("p", &[&k.public_key().to_hex()]))
            .collect();
        let builder = EventBuilder::new(Kind::MuteList, "").tags(tags);
        self.publish(who, builder.custom_created_at(self.list_time()))
            .await;
    }

    /// Now, or a second after the previous list if that was not earlier: each list replaces
    /// the last (replaceable events of the same second are decided by id).
    fn list_time(&self) -> Timestamp {
        let now = Timestamp::now().as_secs();
        let update = |last: u64| Some(now.max(last + 1));
        let last = self
            .list_clock
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, update)
            .unwrap_or_default();
        Timestamp::from(now.max(last + 1))
    }

    pub fn livekit_name(&self, host: &Keys, d: &str) -> String {
        let address = rooms::Address {
            author: host.public_key(),
            d: d.to_string(),
        };
        rooms::livekit_room_name(&self.schema, &address)
    }

    pub async fn token(&self, who: &Keys, room: &str) -> Reply {
        self.app
            .as_tenant(who)
            .livekit_token(&self.relay_id, room)
            .await
    }

    pub fn webhooks(&self) -> WebhookSender {
        WebhookSender::new(
            KEY,
            SECRET,
            &format!("{}/api/livekit/webhook", self.app.base),
        )
    }

    /// Waits until LiveKit has (or lacks) the room.
    pub async fn until_room(&self, name: &str, present: bool) {
        let what = format!(
            "LiveKit room {name} to be {}",
            if present { "created" } else { "deleted" }
        );
        eventually(10, &what, || async {
            (self.lk.room(name).is_some() == present).then_some(())
        })
        .await;
    }
}

pub fn tag(name: &str, values: &[&str]) -> Tag {
    Tag::custom(TagKind::custom(name), values.iter().copied())
}

pub fn expiring_in(secs: i64) -> Tag {
    let at = Timestamp::now().as_secs() as i64 + secs;
    tag("expiration", &[&at.to_string()])
}

/// Creates an active relay for `owner`; returns its id, schema and own keys.
pub async fn make_relay(
    app: &TestApp,
    owner: &Keys,
    subdomain: &str,
    plan: &str,
) -> (String, String, Keys) {
    let id = app.as_tenant(owner).create_relay(subdomain, plan).await.id;
    eventually(10, "the relay to become active", || async {
        (app.as_tenant(owner).relay(&id).await.status == "active").then_some(())
    })
    .await;
    let row = livekit_relays::find(app.db(), &id).await.unwrap().unwrap();
    let keys = relay_link::relay_keys(&app.server.state.vault, &row).unwrap();
    (id, row.schema, keys)
}

/// The claims of a JWT, unverified (verification is done separately).
pub fn claims(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}
