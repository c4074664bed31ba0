//! NIP-98 as each of zooid's two HTTP surfaces checks it: its management API (its own
//! lenient check, held here to the full rules) and NIP-86 (khatru's check).

use axum::http::{HeaderMap, Method, Uri, header};
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

/// NIP-98 as newer khatru checks it for NIP-86, in its order and with its messages, plus
/// the kind and `method` tag (khatru skips those; we hold our client to them).
pub(super) fn nip86(headers: &HeaderMap, body: &[u8]) -> Result<PublicKey, String> {
    let header = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let [_, token] = header.split("Nostr ").collect::<Vec<_>>()[..] else {
        return Err("missing auth".into());
    };
    let json = base64::engine::general_purpose::STANDARD
        .decode(token)
        .map_err(|_| "invalid base64 auth")?;
    let event = Event::from_json(&json).map_err(|_| "invalid auth event json")?;
    event.verify().map_err(|_| "invalid auth event")?;
    if event.kind != Kind::HttpAuth {
        return Err("invalid auth event kind".into());
    }
    let values = |name: &str| -> Vec<String> {
        event
            .tags
            .iter()
            .map(|t| t.as_slice())
            .filter(|t| t.first().map(String::as_str) == Some(name))
            .filter_map(|t| t.get(1).cloned())
            .collect()
    };
    if values("u").first() != Some(&base_url(headers)) {
        return Err("invalid 'u' tag".into());
    }
    let hash = sha256::Hash::hash(body).to_string();
    if !values("payload").contains(&hash) {
        return Err("invalid auth event payload hash".into());
    }
    if event.created_at.as_secs() + 30 < Timestamp::now().as_secs() {
        return Err("auth event is too old".into());
    }
    if values("method")
        .first()
        .map(|m| m.to_uppercase())
        .as_deref()
        != Some("POST")
    {
        return Err("invalid 'method' tag".into());
    }
    Ok(event.pubkey)
}

/// khatru's idea of the URL it serves: forwarded proto and host if given, `http` for a
/// host with a port, and the request path (always `/` here).
fn base_url(headers: &HeaderMap) -> String {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let host = get("x-forwarded-host").or(get("host")).unwrap_or_default();
    let proto = get("x-forwarded-proto").unwrap_or(if host.contains(':') || host == "localhost" {
        "http"
    } else {
        "https"
    });
    format!("{proto}://{host}/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_url_is_http_for_a_host_with_a_port_unless_forwarded() {
        let mut headers = HeaderMap::new();
        headers.insert("host", "127.0.0.1:4000".parse().unwrap());
        assert_eq!(base_url(&headers), "http://127.0.0.1:4000/");
        headers.insert("x-forwarded-proto", "https".parse().unwrap());
        headers.insert("x-forwarded-host", "r.example".parse().unwrap());
        assert_eq!(base_url(&headers), "https://r.example/");
    }
}
