//! Keeping Caddy's one relay route in place, through Caddy's admin API (`CADDY_ADMIN_URL`).
//! The route (`@id caravel-relays`) matches `*.<RELAY_DOMAIN>` and proxies to the upstream the
//! platform's DNS answerer names per connection, so it is the same for every fleet and never
//! changes as relays come and go. The reconciler reads it at start-up and every minute; when
//! it is missing it is inserted first in the server's routes, when it differs it is replaced,
//! and nothing else in Caddy's config is touched. Caddy reloads only on such a change (the
//! first start, or a changed answerer address), never per relay. Failures retry with backoff
//! from the one job driver.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use parking_lot::Mutex;
use serde_json::{Value, json};
use tokio::sync::watch;
use url::Url;

use crate::jobs::{self, Backoff, Done, Lease, Policy, Queue};

/// The route's id in Caddy's config.
pub const ROUTE_ID: &str = "caravel-relays";

/// How often a route that is in place is checked again.
const RECHECK: Duration = Duration::from_secs(60);

/// The relay route: every `*.<relay_domain>` host to the node the answerer at `dns` names.
pub fn relay_route(relay_domain: &str, dns: std::net::SocketAddr) -> Value {
    let resolver = json!({ "addresses": [format!("udp/{dns}")] });
    json!({
        "@id": ROUTE_ID,
        "match": [{ "host": [format!("*.{}", relay_domain.to_ascii_lowercase())] }],
        "handle": [{
            "handler": "reverse_proxy",
            "dynamic_upstreams": {
                "source": "srv",
                "name": "{http.request.host}.",
                "refresh": "1s",
                "resolver": resolver,
            },
            "transport": { "protocol": "http", "resolver": resolver },
        }],
        "terminal": true,
    })
}

pub struct CaddyRoute {
    http: reqwest::Client,
    admin: String,
    server: String,
    desired: Value,
    /// The check's own schedule: failed attempts so far and when it is next due.
    due: Mutex<(i64, i64)>,
    changes: AtomicU64,
    checks: AtomicU64,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CaddyError(String);

impl CaddyRoute {
    pub fn new(admin: &Url, server: &str, desired: Value) -> anyhow::Result<Arc<Self>> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Arc::new(Self {
            http,
            admin: admin.as_str().trim_end_matches('/').to_string(),
            server: server.to_string(),
            desired,
            due: Mutex::new((0, 0)),
            changes: AtomicU64::new(0),
            checks: AtomicU64::new(0),
        }))
    }

    /// Changes this keeper made to Caddy's config.
    pub fn changes(&self) -> u64 {
        self.changes.load(Ordering::Relaxed)
    }

    /// Checks that found the route in place (after any change).
    pub fn checks(&self) -> u64 {
        self.checks.load(Ordering::Relaxed)
    }

    /// Checks now, then every minute (sooner after a failure) until `shutdown`.
    pub async fn keep(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        loop {
            if let Err(e) = jobs::drain(&*self).await {
                tracing::error!(error = %e, "keeping Caddy's relay route");
            }
            let wait = (self.due.lock().1 - self.now()).clamp(1, RECHECK.as_secs() as i64);
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(wait as u64)) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                break;
            }
        }
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(u16, String), CaddyError> {
        let url = format!("{}{path}", self.admin);
        let mut req = self.http.request(method.clone(), &url);
        if let Some(body) = body {
            req = req.json(body);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| CaddyError(format!("Caddy's admin API at {url}: {e}")))?;
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        Ok((status, text))
    }

    async fn change(&self, method: reqwest::Method, path: &str) -> Result<(), CaddyError> {
        let (status, text) = self.send(method.clone(), path, Some(&self.desired)).await?;
        if !(200..300).contains(&status) {
            return Err(CaddyError(format!(
                "Caddy answered {status} to {method} {path}: {}",
                text.trim()
            )));
        }
        self.changes.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// One job: the route's check, due when its schedule says.
impl Queue for CaddyRoute {
    type Job = i64;
    type Error = CaddyError;
    const NAME: &'static str = "caddy-route";

    fn policy(&self) -> Policy {
        Policy {
            lease: Lease::secs(60),
            backoff: Backoff::secs(1, 60),
            batch: 1,
            concurrency: 1,
        }
    }

    async fn claim(&self, now: i64, _lease_until: i64, _limit: i64) -> sqlx::Result<Vec<i64>> {
        let (attempts, due) = *self.due.lock();
        Ok(if due <= now {
            vec![attempts]
        } else {
            Vec::new()
        })
    }

    fn key(_job: &i64) -> String {
        ROUTE_ID.to_string()
    }

    fn attempts(job: &i64) -> i64 {
        *job
    }

    async fn run(&self, _job: &i64) -> Result<Done, CaddyError> {
        let (status, text) = self
            .send(reqwest::Method::GET, &format!("/id/{ROUTE_ID}"), None)
            .await?;
        let current: Option<Value> = (status == 200)
            .then(|| serde_json::from_str(&text).ok())
            .flatten();
        match current {
            Some(route) if route == self.desired => {}
            Some(_) => {
                self.change(reqwest::Method::PATCH, &format!("/id/{ROUTE_ID}"))
                    .await?;
                tracing::info!("replaced Caddy's relay route");
            }
            None => {
                let routes = format!("/config/apps/http/servers/{}/routes/0", self.server);
                self.change(reqwest::Method::PUT, &routes).await?;
                tracing::info!(server = %self.server, "added the relay route to Caddy");
            }
        }
        self.checks.fetch_add(1, Ordering::Relaxed);
        *self.due.lock() = (0, self.now() + RECHECK.as_secs() as i64);
        Ok(Done::Finished)
    }

    async fn retry_at(
        &self,
        job: &i64,
        _error: Option<&CaddyError>,
        next_at: i64,
    ) -> sqlx::Result<()> {
        *self.due.lock() = (job + 1, next_at);
        Ok(())
    }

    async fn release_all(&self) -> sqlx::Result<u64> {
        Ok(0)
    }
}
