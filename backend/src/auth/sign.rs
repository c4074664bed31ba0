//! NIP-98 the other way round: the header the platform signs when it calls zooid's API or a
//! relay's NIP-86 API, as itself or as a relay.

use base64::Engine;
use nostr_sdk::hashes::{Hash, sha256};
use nostr_sdk::{EventBuilder, JsonUtil, Keys, Kind, Tag, TagKind};

/// `Nostr <base64 kind 27235>` for `method` on exactly `url`, with the body's hash in
/// `payload`. Built by hand so any method can be signed (nostr-sdk's `HttpMethod` has no
/// DELETE).
pub fn nip98_header(
    keys: &Keys,
    url: &str,
    method: &str,
    body: &[u8],
) -> Result<String, nostr_sdk::event::builder::Error> {
    let tags = [
        Tag::custom(TagKind::custom("u"), [url]),
        Tag::custom(TagKind::custom("method"), [method]),
        Tag::custom(
            TagKind::custom("payload"),
            [sha256::Hash::hash(body).to_string()],
        ),
    ];
    let event = EventBuilder::new(Kind::HttpAuth, "")
        .tags(tags)
        .sign_with_keys(keys)?;
    Ok(format!(
        "Nostr {}",
        base64::engine::general_purpose::STANDARD.encode(event.as_json())
    ))
}
