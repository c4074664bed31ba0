//! NIP-98 as zooid's management API checks it (its own lenient check, held here to the
//! full rules).

use axum::http::{HeaderMap, Method, Uri};
use base64::Engine;
use nostr_sdk::hashes::{Hash, sha256};
use nostr_sdk::{Event, JsonUtil, Kind, PublicKey, Timestamp};

/// NIP-98 in full: scheme, base64, kind, id, signature, ±60 s, `u` (zooid's way:
/// `http://` + Host + path), `method`, and `payload` when sent.
pub(super) fn management_api(
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
