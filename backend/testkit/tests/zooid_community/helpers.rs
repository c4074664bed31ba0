//! A stand-in with one community relay, and the requests the platform will make to it.

use std::time::Duration;

use base64::Engine;
use caravel_testkit::zooid::{RPC_CONTENT_TYPE, ZooidStandIn};
use nostr_sdk::hashes::{Hash, sha256};
use nostr_sdk::{Client, Event, EventBuilder, Filter, JsonUtil, Keys, Kind, PublicKey, Tag};
use serde_json::{Value, json};

pub const MEMBER_LIST: Kind = Kind::Custom(13534);
pub const MEMBER_ADDED: Kind = Kind::Custom(8000);

pub struct Community {
    pub zooid: ZooidStandIn,
    pub robot: Keys,
    pub http: reqwest::Client,
    pub id: String,
    pub owner: Keys,
    pub relay: Keys,
    pub co_admin: Keys,
    pub inviter: Keys,
}

impl Community {
    /// A stand-in with one relay stored through the management API: an owner, a co-admin
    /// (`can_manage`) and an inviter (`can_invite` only).
    pub async fn start() -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let robot = Keys::generate();
        let zooid = ZooidStandIn::start(&[robot.public_key()]).await;
        let [owner, relay, co_admin, inviter] = [(); 4].map(|_| Keys::generate());
        let this = Self {
            zooid,
            robot,
            http: reqwest::Client::new(),
            id: "community".into(),
            owner,
            relay,
            co_admin,
            inviter,
        };
        let config = json!({
            "host": "community.example",
            "schema": "community",
            "secret": this.relay.secret_key().to_secret_hex(),
            "info": { "name": "Community", "pubkey": this.owner.public_key().to_hex() },
            "management": { "enabled": true },
            "roles": {
                "admin": { "pubkeys": [this.co_admin.public_key().to_hex()], "can_manage": true, "can_invite": true },
                "inviter": { "pubkeys": [this.inviter.public_key().to_hex()], "can_invite": true },
            },
        });
        let url = format!("{}/relay/{}", this.zooid.url(), this.id);
        let body = config.to_string();
        let sent = this
            .http
            .post(&url)
            .header(
                "authorization",
                nip98(&this.robot, &url, "POST", Some(&body)),
            )
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("the management API answers");
        assert_eq!(sent.status(), 201);
        this
    }

    pub fn nip86_url(&self) -> String {
        format!(
            "{}/",
            self.zooid.relay_url().replacen("ws://", "http://", 1)
        )
    }

    /// A NIP-86 call signed by `signer`, optionally addressed with `X-Relay-Id`.
    pub async fn nip86(&self, signer: &Keys, method: &str, params: Value, relay_id: bool) -> Value {
        let body = json!({ "method": method, "params": params }).to_string();
        let auth = nip98(signer, &self.nip86_url(), "POST", Some(&body));
        self.rpc(auth, body, relay_id).await
    }

    pub async fn rpc(&self, auth: String, body: String, relay_id: bool) -> Value {
        let mut request = self
            .http
            .post(self.nip86_url())
            .header("authorization", auth)
            .header("content-type", RPC_CONTENT_TYPE);
        if relay_id {
            request = request.header("x-relay-id", &self.id);
        }
        let answer = request.body(body).send().await.expect("NIP-86 answers");
        assert_eq!(answer.status(), 200, "khatru answers NIP-86 with 200");
        answer.json().await.expect("a JSON answer")
    }

    /// The relay's newest member list, read over WebSocket by a client AUTHed as `reader`.
    pub async fn member_list(&self, reader: &Keys) -> Event {
        let client = Client::builder().signer(reader.clone()).build();
        client.add_relay(self.zooid.relay_url()).await.unwrap();
        client.connect().await;
        let filter = Filter::new()
            .kind(MEMBER_LIST)
            .author(self.relay.public_key());
        let events = client
            .fetch_events(filter, Duration::from_secs(5))
            .await
            .expect("the relay answers an AUTHed REQ");
        client.shutdown().await;
        events
            .first_owned()
            .expect("the relay published a member list")
    }

    pub async fn events_by(&self, reader: &Keys, filter: Filter) -> Vec<Event> {
        let client = Client::builder().signer(reader.clone()).build();
        client.add_relay(self.zooid.relay_url()).await.unwrap();
        client.connect().await;
        let events = client
            .fetch_events(filter, Duration::from_secs(5))
            .await
            .expect("the relay answers an AUTHed REQ");
        client.shutdown().await;
        events.into_iter().collect()
    }
}

/// A NIP-98 `Authorization` header; `payload` only when a body is given.
pub fn nip98(keys: &Keys, url: &str, method: &str, body: Option<&str>) -> String {
    let mut tags = vec![tag(&["u", url]), tag(&["method", method])];
    if let Some(body) = body {
        let hash = sha256::Hash::hash(body.as_bytes()).to_string();
        tags.push(tag(&["payload", &hash]));
    }
    let event = EventBuilder::new(Kind::HttpAuth, "")
        .tags(tags)
        .sign_with_keys(keys)
        .unwrap();
    let token = base64::engine::general_purpose::STANDARD.encode(event.as_json());
    format!("Nostr {token}")
}

pub fn tag(values: &[&str]) -> Tag {
    Tag::parse(values.iter().map(|v| v.to_string())).unwrap()
}

pub fn listed(list: &Event) -> Vec<PublicKey> {
    list.tags
        .iter()
        .map(|t| t.as_slice())
        .filter(|t| t[0] == "member")
        .map(|t| PublicKey::from_hex(&t[1]).unwrap())
        .collect()
}
