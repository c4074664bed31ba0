//! LiveKit's JWTs: HS256 over JSON claims, keyed by the API secret, signed and checked with
//! `jsonwebtoken`. We set the claims ourselves because LiveKit's Rust SDK cannot set a `jti`;
//! webhook signatures are checked here too (`exp`/`nbf` against the caller's clock, with a
//! minute of leeway as LiveKit's own verifier allows).

use std::sync::Once;

use hmac::{Hmac, Mac};
use jsonwebtoken::crypto::{CryptoProvider, JwkUtils, JwtSigner, JwtVerifier};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::signature::{self, Signer, Verifier};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
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
    #[error("could not sign the token: {0}")]
    Signing(String),
}

/// Signs `claims` with `secret`.
pub fn encode(claims: &Claims, secret: &str) -> Result<String, JwtError> {
    install_hs256();
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .map_err(|e| JwtError::Signing(e.to_string()))
}

/// Verifies a token signed by `api_key` with `secret` and valid at `now`.
pub fn verify(token: &str, api_key: &str, secret: &str, now: i64) -> Result<Claims, JwtError> {
    install_hs256();
    let mut validation = Validation::new(Algorithm::HS256);
    // Time is checked below against `now`, and our `Claims` make `iss`, `nbf` and `exp`
    // required numbers, so a claim of the wrong type fails to decode rather than being skipped.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.set_required_spec_claims(&["iss", "nbf", "exp"]);
    validation.set_issuer(&[api_key]);
    let claims = jsonwebtoken::decode::<Claims>(
        token.trim(),
        &DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    )
    .map_err(|e| match e.kind() {
        ErrorKind::InvalidAlgorithm => JwtError::WrongAlgorithm,
        ErrorKind::InvalidSignature => JwtError::BadSignature,
        ErrorKind::InvalidIssuer => JwtError::UnknownKey,
        _ => JwtError::Malformed,
    })?
    .claims;
    if claims.exp + LEEWAY_SECS < now {
        return Err(JwtError::Expired);
    }
    if claims.nbf - LEEWAY_SECS > now {
        return Err(JwtError::NotYetValid);
    }
    Ok(claims)
}

/// `jsonwebtoken` finds its signing code through a process-wide provider. Its `rust_crypto`
/// bundle would link RSA, ECDSA and EdDSA we never use (and `rsa`'s open timing advisory), so
/// we register HS256 alone, on the `hmac` and `sha2` crates. The LiveKit SDK used in tests
/// registers its own HMAC provider the same way; whichever comes first serves both.
fn install_hs256() {
    static HS256_ONLY: CryptoProvider = CryptoProvider {
        signer_factory: |alg, key| match alg {
            Algorithm::HS256 => Ok(Box::new(Hs256(mac_from(key.try_get_hmac_secret()?)?))),
            _ => Err(ErrorKind::InvalidAlgorithm.into()),
        },
        verifier_factory: |alg, key| match alg {
            Algorithm::HS256 => Ok(Box::new(Hs256(mac_from(key.try_get_hmac_secret()?)?))),
            _ => Err(ErrorKind::InvalidAlgorithm.into()),
        },
        jwk_utils: JwkUtils::new_unimplemented(),
    };
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = HS256_ONLY.install_default();
    });
}

fn mac_from(secret: &[u8]) -> jsonwebtoken::errors::Result<HmacSha256> {
    HmacSha256::new_from_slice(secret).map_err(|_| ErrorKind::InvalidKeyFormat.into())
}

/// HMAC-SHA256 keyed with the API secret, as a `jsonwebtoken` signer and verifier.
struct Hs256(HmacSha256);

impl Signer<Vec<u8>> for Hs256 {
    fn try_sign(&self, msg: &[u8]) -> Result<Vec<u8>, signature::Error> {
        let mut mac = self.0.clone();
        mac.update(msg);
        Ok(mac.finalize().into_bytes().to_vec())
    }
}

impl Verifier<Vec<u8>> for Hs256 {
    fn verify(&self, msg: &[u8], signature: &Vec<u8>) -> Result<(), signature::Error> {
        let mut mac = self.0.clone();
        mac.update(msg);
        // Constant-time comparison.
        mac.verify_slice(signature)
            .map_err(|_| signature::Error::new())
    }
}

impl JwtSigner for Hs256 {
    fn algorithm(&self) -> Algorithm {
        Algorithm::HS256
    }
}

impl JwtVerifier for Hs256 {
    fn algorithm(&self) -> Algorithm {
        Algorithm::HS256
    }
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
        let token = encode(&claims(now), "secret").unwrap();
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

    /// Hand-made tokens: `header` and `payload` are JSON, signed with "secret" when `signed`.
    fn forge(header: &str, payload: &str, signed: bool) -> String {
        use base64::Engine;
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let input = format!("{}.{}", b64(header), b64(payload));
        let mut mac = HmacSha256::new_from_slice(b"secret").unwrap();
        mac.update(input.as_bytes());
        let sig = if signed {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        } else {
            String::new()
        };
        format!("{input}.{sig}")
    }

    #[test]
    fn only_hs256_with_numeric_times_is_accepted() {
        let now = 1_700_000_000;
        let none = forge(
            r#"{"alg":"none"}"#,
            &format!(r#"{{"iss":"key","nbf":{now},"exp":{}}}"#, now + 60),
            false,
        );
        assert!(verify(&none, "key", "secret", now).is_err());
        let hs512 = forge(
            r#"{"alg":"HS512","typ":"JWT"}"#,
            &format!(r#"{{"iss":"key","nbf":{now},"exp":{}}}"#, now + 60),
            true,
        );
        assert_eq!(
            verify(&hs512, "key", "secret", now),
            Err(JwtError::WrongAlgorithm)
        );
        let later = forge(
            r#"{"alg":"HS256","typ":"JWT"}"#,
            &format!(
                r#"{{"iss":"key","nbf":"{}","exp":{}}}"#,
                now + 3600,
                now + 7200
            ),
            true,
        );
        assert_eq!(
            verify(&later, "key", "secret", now),
            Err(JwtError::Malformed),
            "a time given as a string is refused, not skipped"
        );
    }
}
