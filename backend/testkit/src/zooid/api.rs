//! The management API: `/relay/{id}` with POST, PUT, PATCH and DELETE as zooid answers
//! them, and `GET /relay/{id}/members` as newer zooid does.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{Logged, Shared, auth, sorted_hex};

/// Stored configs, with who holds each schema and host (zooid scans its files for this).
#[derive(Default)]
pub(super) struct Store {
    pub(super) configs: BTreeMap<String, Value>,
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

    /// The relay served on `host`: `Some(true)` when it is active, `Some(false)` when its
    /// config says `inactive`; `None` when no config has that host.
    pub(super) fn serves(&self, host: &str) -> Option<bool> {
        let id = self.holders.get(&("host", host.to_string()))?;
        let config = self.configs.get(id)?;
        Some(!config["inactive"].as_bool().unwrap_or(false))
    }

    /// The id of the relay whose config has `host`.
    pub(super) fn id_of(&self, host: &str) -> Option<String> {
        self.holders.get(&("host", host.to_string())).cloned()
    }

    pub(super) fn remove(&mut self, id: &str) -> Option<Value> {
        let old = self.configs.remove(id)?;
        for key in Self::unique_fields(&old) {
            self.holders.remove(&key);
        }
        Some(old)
    }
}

pub(super) async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().strip_prefix("/relay/");
    let members_of = path.and_then(|p| p.strip_suffix("/members"));
    let id = members_of.or(path).map(str::to_string);
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
    let (status, body) = match members_of {
        Some(id) => members(&shared, &method, &uri, &headers, &body, id).await,
        None => {
            let (status, message) =
                answer(&shared, &method, &uri, &headers, &body, id.as_deref()).await;
            let key = if status.is_success() {
                "message"
            } else {
                "error"
            };
            (status, json!({ key: message }))
        }
    };
    shared.log.lock()[index].status = status.as_u16();
    (status, axum::Json(body)).into_response()
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
    if let Err(refused) = admit(shared, method, uri, headers, body).await {
        return refused;
    }
    let (status, message, written) = write(shared, method, id, body);
    // zooid's file watcher reloads the relay after a write; the stand-in does it before
    // answering, so tests see the members as soon as the write is acknowledged.
    if let Some(config) = written
        && !shared.skip_reloads.load(Ordering::SeqCst)
    {
        shared.community.reload(id, &config).await;
    }
    (status, message)
}

/// Applies a POST, PUT, PATCH or DELETE to the stored configs: the answer, and the config
/// written, if one was.
fn write(
    shared: &Shared,
    method: &Method,
    id: &str,
    body: &[u8],
) -> (StatusCode, String, Option<Value>) {
    let refuse = |status, message: String| (status, message, None);
    let mut configs = shared.configs.lock();
    let exists = configs.configs.contains_key(id);
    let next = match *method {
        Method::DELETE => {
            return match configs.remove(id) {
                Some(_) => refuse(StatusCode::OK, "relay deleted successfully".into()),
                None => refuse(StatusCode::NOT_FOUND, "relay not found".into()),
            };
        }
        Method::POST if exists => {
            return refuse(StatusCode::CONFLICT, "relay already exists".into());
        }
        Method::PUT | Method::PATCH if !exists => {
            return refuse(StatusCode::NOT_FOUND, "relay not found".into());
        }
        _ => match serde_json::from_slice::<Value>(body) {
            Ok(v) if *method == Method::PATCH => merge(configs.configs[id].clone(), v),
            Ok(v) => v,
            Err(e) => return refuse(StatusCode::BAD_REQUEST, format!("invalid JSON: {e}")),
        },
    };
    if let Err(why) = validate(&next) {
        return refuse(StatusCode::BAD_REQUEST, why);
    }
    if let Some((field, other)) = configs.clash(id, &next) {
        return refuse(
            StatusCode::CONFLICT,
            format!("{field} already used by relay {other}"),
        );
    }
    if let Some(crash) = would_crash(&next) {
        shared.crashes.lock().push(format!("{id}: {crash}"));
        return refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("zooid would have crashed: {crash}"),
        );
    }
    configs.insert(id, next.clone());
    let message = match *method {
        Method::POST => (StatusCode::CREATED, "relay created successfully"),
        Method::PUT => (StatusCode::OK, "relay updated successfully"),
        _ => (StatusCode::OK, "relay patched successfully"),
    };
    (message.0, message.1.into(), Some(next))
}

/// `GET /relay/{id}/members` (newer zooid): the members of the relay's newest list, sorted.
async fn members(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    id: &str,
) -> (StatusCode, Value) {
    if *method != Method::GET {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            json!({ "error": "method not allowed" }),
        );
    }
    if let Err((status, message)) = admit(shared, method, uri, headers, body).await {
        return (status, json!({ "error": message }));
    }
    if !shared.configs.lock().configs.contains_key(id) {
        return (StatusCode::NOT_FOUND, json!({ "error": "relay not found" }));
    }
    (
        StatusCode::OK,
        json!({ "members": sorted_hex(shared.community.members(id)) }),
    )
}

/// What every management route checks: NIP-98, the whitelist, then injected failures.
async fn admit(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), (StatusCode, String)> {
    let pubkey = auth::management_api(headers, method, uri, body)
        .map_err(|why| (StatusCode::UNAUTHORIZED, why))?;
    if !shared.whitelist.contains(&pubkey) {
        return Err((StatusCode::FORBIDDEN, "pubkey not in whitelist".into()));
    }
    match fault(shared).await {
        Some(failure) => Err(failure),
        None => Ok(()),
    }
}

/// The injected behaviour: hang, delay, then the failure status if one is set.
pub(super) async fn fault(shared: &Shared) -> Option<(StatusCode, String)> {
    let (fail, delay, hang) = {
        let b = shared.behaviour.lock();
        (b.fail_with, b.delay, b.hang)
    };
    if hang {
        std::future::pending::<()>().await;
    }
    tokio::time::sleep(delay).await;
    fail.map(|code| {
        (
            StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "injected failure".into(),
        )
    })
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
