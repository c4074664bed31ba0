//! NIP-98 headers, signed here with the caller's keys.

use base64::Engine;
use nostr_sdk::hashes::{Hash, sha256};
use nostr_sdk::{EventBuilder, JsonUtil, Keys, Kind, Tag, TagKind, Timestamp};

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
