//! Test harness: a real server on 127.0.0.1:0 with its own temporary database, callers
//! that sign real NIP-98 headers and speak the API's verbs, one `eventually`, and waits on
//! the workers' pass counters for "nothing happened".
#![allow(dead_code)]

pub mod billing;
pub mod client;
pub mod livekit;
pub mod nip98;
pub mod views;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use caravel::Server;
use caravel::config::Settings;
use nostr_sdk::Keys;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use client::Caller;
pub use nip98::{header_for, sign, sign_custom};
pub use views::{Invoice, Page, Relay, Tenant};

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
    pub headers: reqwest::header::HeaderMap,
}

impl Reply {
    /// The stable error code of an error answer (`""` otherwise).
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// The body as `T`, after checking the status was `status`.
    pub fn expect<T: DeserializeOwned>(self, status: u16) -> T {
        assert_eq!(self.status, status, "{:?}", self.body);
        serde_json::from_value(self.body.clone())
            .unwrap_or_else(|e| panic!("unexpected body ({e}): {}", self.body))
    }

    /// The body as `T`, after checking the answer was 200.
    pub fn ok<T: DeserializeOwned>(self) -> T {
        self.expect(200)
    }
}

/// A background worker whose finished passes tests can wait for.
#[derive(Debug, Clone, Copy)]
pub enum Worker {
    /// The billing worker (periods, BOLT11s, payments, pulls, grace).
    Billing,
    /// The provisioning worker (relay configs to zooid).
    Provisioning,
    /// The robot's profile publisher (once per start).
    RobotProfile,
    /// LiveKit webhooks, counted when their work (a removal included) is finished.
    LivekitWebhooks,
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
        self.crash().await.start().await
    }

    /// Kills the server as a crash would; its data stays, to start again later.
    pub async fn crash(self) -> Stopped {
        let Self {
            server,
            dir,
            admin,
            vars,
            ..
        } = self;
        server.abort().await;
        Stopped { dir, admin, vars }
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

    /// Someone who does not sign their requests.
    pub fn anonymous(&self) -> Caller<'_> {
        Caller::new(self, None)
    }

    /// A tenant (or anyone) signing with `keys`.
    pub fn as_tenant(&self, keys: &Keys) -> Caller<'_> {
        Caller::new(self, Some(keys.clone()))
    }

    /// The platform's admin.
    pub fn as_admin(&self) -> Caller<'_> {
        self.as_tenant(&self.admin)
    }

    /// How many passes `worker` has finished in this server.
    pub fn passes(&self, worker: Worker) -> u64 {
        let state = &self.server.state;
        match worker {
            Worker::Billing => state.billing.passes(),
            Worker::Provisioning => state.provisioner.passes(),
            Worker::RobotProfile => state.robot.profile_passes(),
            Worker::LivekitWebhooks => state.livekit.sessions.passes(),
        }
    }

    /// Waits until `worker` has finished `n` more passes than it had now: with n = 2, at least
    /// one whole pass began after this call, so whatever it would do has been done.
    pub async fn wait_for_passes(&self, worker: Worker, n: u64) {
        let target = self.passes(worker) + n;
        self.wait_until_passes(worker, target).await;
    }

    /// Waits until `worker` has finished `total` passes since the server started.
    pub async fn wait_until_passes(&self, worker: Worker, total: u64) {
        eventually(
            30,
            &format!("{worker:?} to finish {total} passes"),
            || async { (self.passes(worker) >= total).then_some(()) },
        )
        .await;
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
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            body,
            headers,
        }
    }

    pub fn db(&self) -> &sqlx::SqlitePool {
        &self.server.state.db
    }

    /// The actions in a resource's activity log, oldest first.
    pub async fn activity_actions(&self, resource_id: &str) -> Vec<String> {
        sqlx::query_scalar("SELECT action FROM activity WHERE resource_id = ? ORDER BY id")
            .bind(resource_id)
            .fetch_all(self.db())
            .await
            .unwrap()
    }
}

/// A server that is down, with its data directory, database and settings kept.
pub struct Stopped {
    dir: tempfile::TempDir,
    admin: Keys,
    vars: HashMap<String, String>,
}

impl Stopped {
    /// Starts a server on the kept data.
    pub async fn start(self) -> TestApp {
        TestApp::start(self.dir, self.admin, self.vars).await
    }
}

/// Polls `check` until it returns `Some`, failing the test after `secs` seconds.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {secs} s waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
