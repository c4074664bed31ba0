//! Strict NIP-98 verification of one `Authorization` header against the request it came with.
//!
//! Cheap checks run before the signature, so a junk header costs no Schnorr verification.
//!
//! Written here rather than using nostr-sdk's `nip98::verify_auth_header`, because the API's
//! contract (spec.md §2) differs from it: the `u` tag must equal the URL byte for byte (it
//! compares parsed, normalised URLs), any method is accepted (its `HttpMethod` has no DELETE),
//! the clock window is ±60 s (it allows 30 s ahead), unpadded and URL-safe base64 are
//! tolerated, a `payload` tag sent without a body must hash the empty body, and each refusal
//! has its own stable code where it folds URL and method into one error and id and signature
//! into another. Clients rely on those codes to tell a wrong clock from a wrong URL.
//!
//! Everything but the payload hash is checked from the header alone, before the body is read:
//! an anonymous client cannot make the server buffer a body.

use crate::error::Code;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use nostr_sdk::hashes::{Hash, sha256};
use nostr_sdk::{Event, JsonUtil, Kind, PublicKey};

/// Largest header accepted, before any decoding.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// How far `created_at` may be from now, either way.
pub const WINDOW_SECS: i64 = 60;

/// Why a header was refused; each cause has its own stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("This request needs an `Authorization: Nostr <base64 event>` header (NIP-98).")]
    Missing,
    #[error("The Authorization header is larger than {MAX_HEADER_BYTES} bytes.")]
    TooLarge,
    #[error("The Authorization header is not a NIP-98 event: {0}.")]
    Malformed(String),
    #[error("The auth event must be kind 27235 (NIP-98 HTTP auth).")]
    WrongKind,
    #[error("The auth event's id does not match its content.")]
    BadId,
    #[error("The auth event's signature does not verify.")]
    BadSignature,
    #[error(
        "The auth event was signed at {created_at}, more than {WINDOW_SECS} s from the server's clock ({now}). Check your clock and sign a fresh one."
    )]
    Expired { created_at: i64, now: i64 },
    #[error("The auth event's `u` tag must be exactly {expected}, got {got}.")]
    UrlMismatch { expected: String, got: String },
    #[error("The auth event's `method` tag must be {expected}, got {got}.")]
    MethodMismatch { expected: String, got: String },
    #[error("{0}")]
    PayloadMismatch(&'static str),
    #[error("This Authorization header was already used. Sign a new event for every request.")]
    Replayed,
}

impl AuthError {
    pub fn code(&self) -> Code {
        match self {
            Self::Missing => Code::AuthMissing,
            Self::TooLarge => Code::AuthTooLarge,
            Self::Malformed(_) => Code::AuthMalformed,
            Self::WrongKind => Code::AuthWrongKind,
            Self::BadId => Code::AuthBadId,
            Self::BadSignature => Code::AuthBadSignature,
            Self::Expired { .. } => Code::AuthExpired,
            Self::UrlMismatch { .. } => Code::AuthUrlMismatch,
            Self::MethodMismatch { .. } => Code::AuthMethodMismatch,
            Self::PayloadMismatch(_) => Code::AuthPayloadMismatch,
            Self::Replayed => Code::AuthReplayed,
        }
    }
}

/// What a valid header proves: who signed, and the signature that the replay cache remembers.
#[derive(Debug, Clone)]
pub struct Verified {
    pub pubkey: PublicKey,
    pub signature: [u8; 64],
    pub created_at: i64,
    /// The `payload` tag, checked against the body by [`check_payload`] once it is read.
    pub payload: Option<String>,
}

/// The request as the verifier needs to see it.
pub struct RequestFacts<'a> {
    /// `PUBLIC_URL` + path + `?query`, exactly as the client must have signed it.
    pub url: &'a str,
    pub method: &'a str,
    pub now: i64,
}

/// Checks everything but replay (see [`super::replay`]) and the body's hash ([`check_payload`]).
pub fn verify(header: Option<&[u8]>, req: &RequestFacts<'_>) -> Result<Verified, AuthError> {
    let header = header.ok_or(AuthError::Missing)?;
    if header.len() > MAX_HEADER_BYTES {
        return Err(AuthError::TooLarge);
    }
    let header = std::str::from_utf8(header).map_err(|_| malformed("the header is not text"))?;
    let (scheme, token) = header
        .trim()
        .split_once(' ')
        .ok_or_else(|| malformed("expected `Nostr <base64>`"))?;
    if !scheme.eq_ignore_ascii_case("nostr") {
        return Err(malformed("the scheme must be `Nostr`"));
    }
    let json = decode_base64(token.trim()).ok_or_else(|| malformed("the token is not base64"))?;
    let event = Event::from_json(&json)
        .map_err(|e| AuthError::Malformed(format!("the token is not a Nostr event ({e})")))?;

    if event.kind != Kind::HttpAuth {
        return Err(AuthError::WrongKind);
    }
    let created_at = event.created_at.as_secs() as i64;
    if (req.now - created_at).abs() > WINDOW_SECS {
        return Err(AuthError::Expired {
            created_at,
            now: req.now,
        });
    }
    let got_url = first_tag(&event, "u").unwrap_or("(none)");
    if got_url != req.url {
        return Err(AuthError::UrlMismatch {
            expected: req.url.to_string(),
            got: got_url.to_string(),
        });
    }
    let got_method = first_tag(&event, "method").unwrap_or("(none)");
    if !got_method.eq_ignore_ascii_case(req.method) {
        return Err(AuthError::MethodMismatch {
            expected: req.method.to_string(),
            got: got_method.to_string(),
        });
    }
    let payload = first_tag(&event, "payload").map(String::from);

    if !event.verify_id() {
        return Err(AuthError::BadId);
    }
    if !event.verify_signature() {
        return Err(AuthError::BadSignature);
    }
    Ok(Verified {
        pubkey: event.pubkey,
        signature: event.sig.serialize(),
        created_at,
        payload,
    })
}

/// A body requires a `payload` tag equal to the hex SHA-256 of its raw bytes;
/// a tag sent without a body must hash the empty body.
pub fn check_payload(tag: Option<&str>, body: &[u8]) -> Result<(), AuthError> {
    match tag {
        None if body.is_empty() => Ok(()),
        None => Err(AuthError::PayloadMismatch(
            "A request with a body must carry a `payload` tag: the hex SHA-256 of the exact body bytes.",
        )),
        Some(claimed) => {
            let actual = sha256::Hash::hash(body).to_string();
            if claimed.eq_ignore_ascii_case(&actual) {
                Ok(())
            } else {
                Err(AuthError::PayloadMismatch(
                    "The `payload` tag is not the SHA-256 of the body that was sent. Hash the exact bytes you send.",
                ))
            }
        }
    }
}

fn first_tag<'e>(event: &'e Event, name: &str) -> Option<&'e str> {
    event
        .tags
        .iter()
        .map(|t| t.as_slice())
        .find(|t| t.first().map(String::as_str) == Some(name))
        .and_then(|t| t.get(1))
        .map(String::as_str)
}

/// Standard padded base64 is canonical; unpadded and URL-safe forms are tolerated.
fn decode_base64(token: &str) -> Option<Vec<u8>> {
    [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD]
        .into_iter()
        .find_map(|engine| engine.decode(token).ok())
}

fn malformed(why: &str) -> AuthError {
    AuthError::Malformed(why.to_string())
}
