//! Test harness: a real server on 127.0.0.1:0 with its own temporary database, and
//! callers that sign real NIP-98 headers.
#![allow(dead_code)]

pub mod billing;

use std::collections::HashMap;

use base64::Engine;
use caravel::Server;
use caravel::config::Settings;
use nostr_sdk::hashes::{Hash, sha256};
use nostr_sdk::{EventBuilder, JsonUtil, Keys, Kind, Tag, TagKind, Timestamp};
use serde_json::Value;

pub const TEST_NWC_URL: &str = "nostr+walletconnect://b889ff5b1513b641e2a139f661a661364979c5beee91842f8f0ef42ab558e9d4?relay=ws%3A%2F%2F127.0.0.1%3A9&secret=71a8c14c1407c113601079c4302dab36460f0ccd0ad506f1f2dc73b5100e4f3c";

pub struct TestApp {
    pub server: Server,
    vars: HashMap<String, String>,
    /// The public URL clients sign for (`PUBLIC_URL`, or the bound address).
    pub url: String,
    /// Where requests are actually sent: the bound address.
    pub base: String,
    pub admin: Keys,
    pub dir: tempfile::TempDir,
    http: reqwest::Client,
}

/// What the server answered.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

impl TestApp {
    /// A server with billing configured (so paid plans can be chosen) and one admin.
    pub async fn spawn() -> Self {
        Self::spawn_with(&[("NWC_URL", TEST_NWC_URL)]).await
    }

    /// A server whose zooid never answers: relays stay "never synced" (`pending`).
    pub async fn spawn_without_zooid() -> Self {
        let secret = "1".repeat(64);
        Self::spawn_with(&[
            ("NWC_URL", TEST_NWC_URL),
            ("ZOOID_API_URL", "http://127.0.0.1:9"),
            ("ZOOID_API_SECRET", &secret),
        ])
        .await
    }

    pub async fn spawn_with(extra: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let admin = Keys::generate();
        // A zooid config directory inside the test's own folder, unless a test points elsewhere.
        let zooid_dir = dir.path().join("zooid");
        let mut vars: HashMap<String, String> = HashMap::from([
            ("DATA_DIR".into(), dir.path().display().to_string()),
            (
                "DATABASE_URL".into(),
                format!("sqlite://{}/caravel.db", dir.path().display()),
            ),
            ("HOST".into(), "127.0.0.1".into()),
            ("PORT".into(), "0".into()),
            ("ADMINS".into(), admin.public_key().to_hex()),
            ("RELAY_DOMAIN".into(), "relays.test".into()),
            ("ZOOID_CONFIG_DIR".into(), zooid_dir.display().to_string()),
            ("SYNC_RETRY_BASE_MS".into(), "200".into()),
            ("SYNC_RETRY_MAX_SECS".into(), "2".into()),
        ]);
        for (k, v) in extra {
            vars.insert(k.to_string(), v.to_string());
        }
        Self::start(dir, admin, vars).await
    }

    /// Stops this server and starts another on the same data (a restart, as far as the
    /// database and DATA_DIR can tell).
    pub async fn restart(self) -> Self {
        let Self {
            server,
            dir,
            admin,
            vars,
            ..
        } = self;
        server.stop().await.expect("server stops");
        Self::start(dir, admin, vars).await
    }

    /// Kills the server as a crash would (nothing released or finished) and starts another
    /// on the same data directory and database.
    pub async fn crash_and_restart(self) -> Self {
        let Self {
            server,
            dir,
            admin,
            vars,
            ..
        } = self;
        server.abort().await;
        Self::start(dir, admin, vars).await
    }

    async fn start(dir: tempfile::TempDir, admin: Keys, vars: HashMap<String, String>) -> Self {
        let settings =
            Settings::from_lookup(|k| vars.get(k).cloned()).expect("test settings are valid");
        let server = Server::start(settings).await.expect("server starts");
        let url = server.public_url.clone();
        let base = format!("http://{}", server.addr);
        let http = reqwest::Client::builder().build().unwrap();
        Self {
            url,
            base,
            server,
            vars,
            admin,
            dir,
            http,
        }
    }

    pub fn anonymous(&self) -> Caller<'_> {
        Caller {
            app: self,
            keys: None,
        }
    }

    pub fn as_user(&self, keys: &Keys) -> Caller<'_> {
        Caller {
            app: self,
            keys: Some(keys.clone()),
        }
    }

    pub fn as_admin(&self) -> Caller<'_> {
        self.as_user(&self.admin)
    }

    /// Sends a request with exactly the given Authorization header (or none).
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        authorization: Option<&str>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(a) = authorization {
            req = req.header("authorization", a);
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let resp = req.send().await.expect("request reaches the server");
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply { status, body }
    }

    pub fn db(&self) -> &sqlx::SqlitePool {
        &self.server.state.db
    }
}

/// Polls `check` until it returns `Some`, failing the test after `secs` seconds.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out after {secs} s waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

/// Someone calling the API: anonymous, or signing with `keys`.
pub struct Caller<'a> {
    app: &'a TestApp,
    keys: Option<Keys>,
}

impl Caller<'_> {
    pub async fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send("POST", path, Some(body.to_string())).await
    }
    pub async fn post_empty(&self, path: &str) -> Reply {
        self.send("POST", path, None).await
    }
    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send("PUT", path, Some(body.to_string())).await
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<String>) -> Reply {
        let auth = self.keys.as_ref().map(|k| {
            sign(
                k,
                &format!("{}{}", self.app.url, path),
                method,
                body.as_deref().map(str::as_bytes),
            )
        });
        self.app
            .raw(method, path, body.as_deref(), auth.as_deref())
            .await
    }

    /// Creates a relay and returns its JSON, asserting 201.
    pub async fn create_relay(&self, subdomain: &str, plan: &str) -> Value {
        let reply = self.post("/api/relays", serde_json::json!({ "name": format!("Relay {subdomain}"), "subdomain": subdomain, "plan": plan })).await;
        assert_eq!(reply.status, 201, "creating {subdomain}: {:?}", reply.body);
        reply.body
    }
}

/// A NIP-98 header for `url` and `method`, with the payload tag when there is a body.
pub fn sign(keys: &Keys, url: &str, method: &str, body: Option<&[u8]>) -> String {
    sign_custom(
        keys,
        url,
        method,
        body.map(|b| sha256::Hash::hash(b).to_string()),
        Kind::HttpAuth,
        Timestamp::now(),
    )
}

pub fn sign_custom(
    keys: &Keys,
    url: &str,
    method: &str,
    payload: Option<String>,
    kind: Kind,
    at: Timestamp,
) -> String {
    let mut tags = vec![
        Tag::custom(TagKind::custom("u"), [url]),
        Tag::custom(TagKind::custom("method"), [method]),
    ];
    if let Some(p) = payload {
        tags.push(Tag::custom(TagKind::custom("payload"), [p]));
    }
    let event = EventBuilder::new(kind, "")
        .tags(tags)
        .custom_created_at(at)
        .sign_with_keys(keys)
        .unwrap();
    header_for(&event.as_json())
}

pub fn header_for(event_json: &str) -> String {
    format!(
        "Nostr {}",
        base64::engine::general_purpose::STANDARD.encode(event_json)
    )
}
