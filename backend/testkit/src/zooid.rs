//! A zooid management API stand-in (`/relay/{id}` with POST, PUT, PATCH, DELETE).
//!
//! It enforces what zooid does (routes, status codes, whitelist, its validations, the
//! duplicate schema/host check, PATCH merge semantics) and is stricter where zooid is
//! lax, so our requests are held to the full rules: NIP-98 is checked in full (id,
//! signature, ±60 s, `u`, `method`, `payload`), and a config that would crash a real
//! zooid (unsafe schema, empty owner pubkey) is answered 500 and recorded as a crash.
//! It can be told to fail: a status, a delay, a hang, or going offline.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use nostr_sdk::hashes::{Hash, sha256};
use nostr_sdk::{Event, JsonUtil, Kind, PublicKey, Timestamp};
use parking_lot::Mutex;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// One request as received, and what was answered (0 while unanswered).
#[derive(Debug, Clone)]
pub struct Logged {
    pub method: String,
    pub id: String,
    pub body: Option<Value>,
    pub status: u16,
}

#[derive(Default)]
struct Behaviour {
    fail_with: Option<u16>,
    delay: Duration,
    hang: bool,
}

/// Stored configs, with who holds each schema and host (zooid scans its files for this).
#[derive(Default)]
struct Store {
    configs: BTreeMap<String, Value>,
    holders: HashMap<(&'static str, String), String>,
}

impl Store {
    fn unique_fields(config: &Value) -> [(&'static str, String); 2] {
        ["schema", "host"].map(|f| (f, config[f].as_str().unwrap_or_default().to_string()))
    }

    /// Another relay holding this config's schema or host, if any.
    fn clash(&self, id: &str, config: &Value) -> Option<(&'static str, String)> {
        Self::unique_fields(config).into_iter().find_map(|key| {
            self.holders
                .get(&key)
                .filter(|holder| holder.as_str() != id)
                .map(|holder| (key.0, holder.clone()))
        })
    }

    fn insert(&mut self, id: &str, config: Value) {
        self.remove(id);
        for key in Self::unique_fields(&config) {
            self.holders.insert(key, id.to_string());
        }
        self.configs.insert(id.to_string(), config);
    }

    fn remove(&mut self, id: &str) -> Option<Value> {
        let old = self.configs.remove(id)?;
        for key in Self::unique_fields(&old) {
            self.holders.remove(&key);
        }
        Some(old)
    }
}

#[derive(Default)]
struct Shared {
    whitelist: Vec<PublicKey>,
    configs: Mutex<Store>,
    log: Mutex<Vec<Logged>>,
    crashes: Mutex<Vec<String>>,
    behaviour: Mutex<Behaviour>,
}

pub struct ZooidStandIn {
    addr: SocketAddr,
    shared: Arc<Shared>,
    server: Mutex<Option<JoinHandle<()>>>,
}

impl ZooidStandIn {
    /// Starts on 127.0.0.1 with an ephemeral port; only `whitelist` may call it.
    pub async fn start(whitelist: &[PublicKey]) -> Self {
        let shared = Arc::new(Shared {
            whitelist: whitelist.to_vec(),
            ..Shared::default()
        });
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the zooid stand-in");
        let addr = listener.local_addr().expect("local addr");
        let this = Self {
            addr,
            shared,
            server: Mutex::new(None),
        };
        this.serve(listener);
        this
    }

    fn serve(&self, listener: TcpListener) {
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(self.shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        *self.server.lock() = Some(task);
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops listening: connections are refused until [`Self::come_back`].
    pub async fn go_down(&self) {
        let task = self.server.lock().take();
        if let Some(task) = task {
            task.abort();
            let _ = task.await;
        }
    }

    /// Listens again on the same port, with the configs it had.
    pub async fn come_back(&self) {
        let listener = loop {
            match TcpListener::bind(self.addr).await {
                Ok(l) => break l,
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        };
        self.serve(listener);
    }

    /// Answer every request with this status (`None`: behave).
    pub fn fail_with(&self, status: Option<u16>) {
        self.shared.behaviour.lock().fail_with = status;
    }

    /// Wait this long before answering each request.
    pub fn delay(&self, delay: Duration) {
        self.shared.behaviour.lock().delay = delay;
    }

    /// Never answer (until turned off): clients time out.
    pub fn hang(&self, hang: bool) {
        self.shared.behaviour.lock().hang = hang;
    }

    /// The stored config of relay `id`, as zooid would have it on disk.
    pub fn config(&self, id: &str) -> Option<Value> {
        self.shared.configs.lock().configs.get(id).cloned()
    }

    pub fn config_count(&self) -> usize {
        self.shared.configs.lock().configs.len()
    }

    /// Drops a config as if zooid's directory lost it.
    pub fn forget(&self, id: &str) {
        self.shared.configs.lock().remove(id);
    }

    pub fn requests(&self) -> Vec<Logged> {
        self.shared.log.lock().clone()
    }

    pub fn requests_for(&self, id: &str) -> Vec<Logged> {
        self.requests().into_iter().filter(|r| r.id == id).collect()
    }

    /// Configs that would have crashed a real zooid process.
    pub fn crashes(&self) -> Vec<String> {
        self.shared.crashes.lock().clone()
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let id = uri.path().strip_prefix("/relay/").map(str::to_string);
    // Logged on arrival (status 0 until answered), so a hung request is visible too.
    let entry = Logged {
        method: method.to_string(),
        id: id.clone().unwrap_or_default(),
        body: serde_json::from_slice::<Value>(&body).ok(),
        status: 0,
    };
    let index = {
        let mut log = shared.log.lock();
        log.push(entry);
        log.len() - 1
    };
    let (status, message) = answer(&shared, &method, &uri, &headers, &body, id.as_deref()).await;
    shared.log.lock()[index].status = status.as_u16();
    let key = if status.is_success() {
        "message"
    } else {
        "error"
    };
    (status, axum::Json(json!({ key: message }))).into_response()
}

async fn answer(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    id: Option<&str>,
) -> (StatusCode, String) {
    let Some(id) = id else {
        return (StatusCode::NOT_FOUND, "not found".into());
    };
    if id.is_empty() {
        return (StatusCode::BAD_REQUEST, "relay id is required".into());
    }
    if ![Method::POST, Method::PUT, Method::PATCH, Method::DELETE].contains(method) {
        return (StatusCode::METHOD_NOT_ALLOWED, "method not allowed".into());
    }
    let pubkey = match check_auth(headers, method, uri, body) {
        Ok(pk) => pk,
        Err(why) => return (StatusCode::UNAUTHORIZED, why),
    };
    if !shared.whitelist.contains(&pubkey) {
        return (StatusCode::FORBIDDEN, "pubkey not in whitelist".into());
    }
    let (fail, delay, hang) = {
        let b = shared.behaviour.lock();
        (b.fail_with, b.delay, b.hang)
    };
    if hang {
        std::future::pending::<()>().await;
    }
    tokio::time::sleep(delay).await;
    if let Some(code) = fail {
        return (
            StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "injected failure".into(),
        );
    }
    let mut configs = shared.configs.lock();
    let exists = configs.configs.contains_key(id);
    let next = match *method {
        Method::DELETE => {
            return match configs.remove(id) {
                Some(_) => (StatusCode::OK, "relay deleted successfully".into()),
                None => (StatusCode::NOT_FOUND, "relay not found".into()),
            };
        }
        Method::POST if exists => return (StatusCode::CONFLICT, "relay already exists".into()),
        Method::PUT | Method::PATCH if !exists => {
            return (StatusCode::NOT_FOUND, "relay not found".into());
        }
        _ => match serde_json::from_slice::<Value>(body) {
            Ok(v) if *method == Method::PATCH => merge(configs.configs[id].clone(), v),
            Ok(v) => v,
            Err(e) => return (StatusCode::BAD_REQUEST, format!("invalid JSON: {e}")),
        },
    };
    if let Err(why) = validate(&next) {
        return (StatusCode::BAD_REQUEST, why);
    }
    if let Some((field, other)) = configs.clash(id, &next) {
        return (
            StatusCode::CONFLICT,
            format!("{field} already used by relay {other}"),
        );
    }
    if let Some(crash) = would_crash(&next) {
        shared.crashes.lock().push(format!("{id}: {crash}"));
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("zooid would have crashed: {crash}"),
        );
    }
    configs.insert(id, next);
    match *method {
        Method::POST => (StatusCode::CREATED, "relay created successfully".into()),
        Method::PUT => (StatusCode::OK, "relay updated successfully".into()),
        _ => (StatusCode::OK, "relay patched successfully".into()),
    }
}

/// NIP-98 in full: scheme, base64, kind, id, signature, ±60 s, `u` (zooid's way:
/// `http://` + Host + path), `method`, and `payload` when sent.
fn check_auth(
    headers: &HeaderMap,
    method: &Method,
    uri: &Uri,
    body: &[u8],
) -> Result<PublicKey, String> {
    let header = headers
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .ok_or("missing authorization")?;
    let (scheme, token) = header.split_once(' ').ok_or("malformed authorization")?;
    if !scheme.eq_ignore_ascii_case("nostr") {
        return Err("authorization scheme is not Nostr".into());
    }
    let json = base64::engine::general_purpose::STANDARD
        .decode(token)
        .map_err(|_| "token is not base64")?;
    let event = Event::from_json(&json).map_err(|e| format!("token is not an event: {e}"))?;
    if event.kind != Kind::HttpAuth {
        return Err("wrong kind".into());
    }
    event.verify().map_err(|e| format!("invalid event: {e}"))?;
    let skew = Timestamp::now().as_secs() as i64 - event.created_at.as_secs() as i64;
    if skew.abs() > 60 {
        return Err("event too old or in the future".into());
    }
    let tag = |name: &str| {
        event
            .tags
            .iter()
            .map(|t| t.as_slice())
            .find(|t| t.first().map(String::as_str) == Some(name))
            .and_then(|t| t.get(1).cloned())
    };
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let expected = format!("http://{host}{}", uri.path());
    if tag("u").as_deref() != Some(expected.as_str()) {
        return Err(format!("u tag does not match {expected}"));
    }
    if tag("method").map(|m| m.to_uppercase()).as_deref() != Some(method.as_str()) {
        return Err("method tag does not match".into());
    }
    if tag("payload").is_some_and(|p| p != sha256::Hash::hash(body).to_string()) {
        return Err("payload tag does not match the body".into());
    }
    Ok(event.pubkey)
}

/// zooid's own checks (`validatePatchedConfig`).
fn validate(config: &Value) -> Result<(), String> {
    let text = |path: &[&str]| {
        path.iter()
            .fold(config, |v, k| &v[*k])
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    if text(&["host"]).is_empty() {
        return Err("host is required".into());
    }
    if text(&["schema"]).is_empty() {
        return Err("schema is required".into());
    }
    if !is_hex64(&text(&["secret"])) {
        return Err("secret must be a 64-character hex key".into());
    }
    let owner = text(&["info", "pubkey"]);
    if !owner.is_empty() && !is_hex64(&owner) {
        return Err("info.pubkey must be a 64-character hex key".into());
    }
    Ok(())
}

/// What passes zooid's checks yet takes the whole process down when loaded.
fn would_crash(config: &Value) -> Option<String> {
    let schema = config["schema"].as_str().unwrap_or_default();
    let safe = schema.starts_with(|c: char| c.is_ascii_lowercase())
        && schema
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !safe {
        return Some(format!("schema {schema:?} is not a bare SQL identifier"));
    }
    if config["info"]["pubkey"]
        .as_str()
        .unwrap_or_default()
        .is_empty()
    {
        return Some("empty info.pubkey".into());
    }
    None
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// zooid's PATCH: objects merge key by key, scalars and arrays replace, `null` deletes.
fn merge(mut base: Value, patch: Value) -> Value {
    match (base.as_object_mut(), patch) {
        (Some(target), Value::Object(patch)) => {
            for (k, v) in patch {
                if v.is_null() {
                    target.remove(&k);
                } else {
                    let current = target.remove(&k).unwrap_or(Value::Null);
                    target.insert(k, merge(current, v));
                }
            }
            base
        }
        (_, patch) => patch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_merges_objects_replaces_scalars_and_deletes_nulls() {
        let base = json!({ "a": 1, "o": { "x": 1, "y": 2 }, "l": [1, 2] });
        let merged = merge(
            base,
            json!({ "a": 2, "o": { "y": null, "z": 3 }, "l": [3] }),
        );
        assert_eq!(merged, json!({ "a": 2, "o": { "x": 1, "z": 3 }, "l": [3] }));
    }
}
