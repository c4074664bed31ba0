//! zooid's management API: `POST` and `PUT /relay/{id}`, each request signed with NIP-98
//! (`u` = the exact URL, `method`, `payload`) by the key in zooid's `API_WHITELIST`.

use std::time::Duration;

use nostr_sdk::Keys;
use url::Url;

use super::Failure;
use super::zooid_config::ZooidConfig;
use crate::auth::sign::nip98_header as sign;

const BODY_EXCERPT: usize = 300;

pub struct ZooidApi {
    base: String,
    keys: Keys,
    http: reqwest::Client,
}

/// What zooid answered: only a 2xx status is success, whatever the body says.
struct Answer {
    status: u16,
    body: String,
}

impl ZooidApi {
    pub fn new(base: &Url, keys: Keys, timeout: Duration) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .build()?;
        Ok(Self {
            base: base.as_str().trim_end_matches('/').to_string(),
            keys,
            http,
        })
    }

    /// First sync creates (409: it exists, so replace); later syncs replace the whole
    /// config (404: zooid lost it, so create).
    pub async fn apply(&self, id: &str, config: &ZooidConfig, first: bool) -> Result<(), Failure> {
        let body = config.to_json();
        let order = if first {
            ["POST", "PUT"]
        } else {
            ["PUT", "POST"]
        };
        let answer = self.send(order[0], id, &body).await?;
        let fallback = matches!((order[0], answer.status), ("POST", 409) | ("PUT", 404));
        let answer = if fallback {
            self.send(order[1], id, &body).await?
        } else {
            answer
        };
        success(answer)
    }

    /// Deletes relay `id` (404: already gone, done).
    pub async fn delete(&self, id: &str) -> Result<(), Failure> {
        let answer = self.send("DELETE", id, b"").await?;
        if answer.status == 404 {
            return Ok(());
        }
        success(answer)
    }

    /// Whether zooid answers at all (it has no read route; any HTTP answer will do).
    pub async fn probe(&self) -> Result<(), Failure> {
        let url = format!("{}/relay/", self.base);
        let resp = self.http.get(&url).send().await;
        match resp {
            Ok(r) if is_node_status(r.status().as_u16()) => Err(Failure::node(format!(
                "zooid unreachable: GET {url} answered {}",
                r.status().as_u16()
            ))),
            Ok(_) => Ok(()),
            Err(e) => Err(Failure::node(describe_error(
                &reqwest::Method::GET,
                &url,
                &e,
            ))),
        }
    }

    async fn send(&self, method: &str, id: &str, body: &[u8]) -> Result<Answer, Failure> {
        let url = format!("{}/relay/{id}", self.base);
        let auth = sign(&self.keys, &url, method, body)
            .map_err(|e| Failure::relay(format!("signing the request: {e}")))?;
        let method = reqwest::Method::from_bytes(method.as_bytes())
            .map_err(|e| Failure::relay(e.to_string()))?;
        let mut req = self
            .http
            .request(method.clone(), &url)
            .header("authorization", auth);
        if !body.is_empty() {
            req = req
                .header("content-type", "application/json")
                .body(body.to_vec());
        }
        let resp = req
            .send()
            .await
            .map_err(|e| Failure::node(describe_error(&method, &url, &e)))?;
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        Ok(Answer {
            status,
            body: format!("{method} {url}: {}", excerpt(&text)),
        })
    }
}

/// A proxy in front of zooid that cannot reach it: the node, not the relay, is the trouble.
fn is_node_status(status: u16) -> bool {
    matches!(status, 502..=504)
}

fn success(answer: Answer) -> Result<(), Failure> {
    if (200..300).contains(&answer.status) {
        return Ok(());
    }
    let message = format!("zooid answered {} to {}", answer.status, answer.body);
    if is_node_status(answer.status) {
        Err(Failure::node(message))
    } else {
        Err(Failure::relay(message))
    }
}

fn describe_error(method: &reqwest::Method, url: &str, e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "failed"
    };
    let mut cause = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    format!(
        "zooid unreachable: {method} {url} {what}{}",
        if cause.is_empty() {
            String::new()
        } else {
            format!(" ({cause})")
        }
    )
}

fn excerpt(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= BODY_EXCERPT {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(BODY_EXCERPT).collect::<String>())
    }
}
