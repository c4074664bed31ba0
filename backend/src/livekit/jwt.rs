//! LiveKit's JWTs: HS256 over JSON claims, keyed by the API secret. We build them ourselves
//! because LiveKit's Rust SDK cannot set a `jti`, and we verify webhook signatures with the
//! same code (constant-time MAC comparison, `exp`/`nbf` with a minute of leeway).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Clock skew tolerated when checking `exp` and `nbf`, as LiveKit's own verifier does.
pub const LEEWAY_SECS: i64 = 60;

/// The claims LiveKit reads. Fields left `None` are not sent.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    pub iss: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sub: String,
    pub nbf: i64,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<VideoGrant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// LiveKit's video grant (camelCase keys). Only what we grant is sent; LiveKit's defaults
/// for absent keys are `canPublish = canSubscribe = true`, so those two are always explicit.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VideoGrant {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub room_create: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub room_list: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub room_admin: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub room_join: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub room: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_publish: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_subscribe: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_publish_data: Option<bool>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum JwtError {
    #[error("not a JWT")]
    Malformed,
    #[error("not signed with HS256")]
    WrongAlgorithm,
    #[error("signed by an unknown API key")]
    UnknownKey,
    #[error("bad signature")]
    BadSignature,
    #[error("expired")]
    Expired,
    #[error("not valid yet")]
    NotYetValid,
}

/// Signs `claims` with `secret`.
pub fn encode(claims: &Claims, secret: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let signing_input = format!("{header}.{payload}");
    let signature = URL_SAFE_NO_PAD.encode(
        mac(secret, signing_input.as_bytes())
            .finalize()
            .into_bytes(),
    );
    format!("{signing_input}.{signature}")
}

/// Verifies a token signed by `api_key` with `secret` and valid at `now`.
pub fn verify(token: &str, api_key: &str, secret: &str, now: i64) -> Result<Claims, JwtError> {
    let mut parts = token.trim().split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let signing_input = format!("{header}.{payload}");
    let header: serde_json::Value = decode_json(header)?;
    if header["alg"] != "HS256" {
        return Err(JwtError::WrongAlgorithm);
    }
    let claims: Claims = decode_json(payload)?;
    if claims.iss != api_key {
        return Err(JwtError::UnknownKey);
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature.trim_end_matches('='))
        .map_err(|_| JwtError::Malformed)?;
    mac(secret, signing_input.as_bytes())
        .verify_slice(&signature)
        .map_err(|_| JwtError::BadSignature)?;
    if claims.exp + LEEWAY_SECS < now {
        return Err(JwtError::Expired);
    }
    if claims.nbf - LEEWAY_SECS > now {
        return Err(JwtError::NotYetValid);
    }
    Ok(claims)
}

fn mac(secret: &str, input: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length; this cannot fail.
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(input);
    mac
}

fn decode_json<T: serde::de::DeserializeOwned>(part: &str) -> Result<T, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|_| JwtError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| JwtError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(now: i64) -> Claims {
        Claims {
            iss: "key".into(),
            sub: "someone".into(),
            nbf: now,
            exp: now + 60,
            jti: Some("j".into()),
            ..Claims::default()
        }
    }

    #[test]
    fn a_token_verifies_only_with_its_key_secret_and_time() {
        let now = 1_700_000_000;
        let token = encode(&claims(now), "secret");
        assert_eq!(verify(&token, "key", "secret", now).unwrap(), claims(now));
        assert_eq!(
            verify(&token, "key", "other", now),
            Err(JwtError::BadSignature)
        );
        assert_eq!(
            verify(&token, "nope", "secret", now),
            Err(JwtError::UnknownKey)
        );
        assert_eq!(
            verify(&token, "key", "secret", now + 200),
            Err(JwtError::Expired)
        );
        assert_eq!(
            verify(&token, "key", "secret", now - 200),
            Err(JwtError::NotYetValid)
        );
        assert_eq!(
            verify("a.b", "key", "secret", now),
            Err(JwtError::Malformed)
        );
        let mut tampered = token.clone();
        tampered.insert(tampered.rfind('.').unwrap() - 1, 'x');
        assert!(verify(&tampered, "key", "secret", now).is_err());
    }
}
