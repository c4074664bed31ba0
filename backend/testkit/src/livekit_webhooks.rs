//! LiveKit's webhooks as LiveKit sends them: protojson bodies (camelCase, int64 as strings),
//! signed by a JWT made with LiveKit's own token builder whose `sha256` claim is the body's
//! base64 SHA-256, sent bare in `Authorization` as `application/webhook+json`.

use serde_json::json;

use crate::livekit::now;

/// Sends webhooks as LiveKit does: the body's base64 SHA-256 in the `sha256` claim of a JWT
/// made with LiveKit's own token builder, sent bare in `Authorization`.
pub struct WebhookSender {
    api_key: String,
    api_secret: String,
    url: String,
    http: reqwest::Client,
}

impl WebhookSender {
    pub fn new(api_key: &str, api_secret: &str, url: &str) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Self {
            api_key: api_key.to_string(),
            api_secret: api_secret.to_string(),
            url: url.to_string(),
            http: reqwest::Client::new(),
        }
    }

    /// Signs `body` exactly as sent and posts it; returns the HTTP status.
    pub async fn send_raw(&self, body: &str, secret: Option<&str>) -> u16 {
        use base64::Engine;
        use nostr_sdk::hashes::{Hash, sha256};
        let digest = sha256::Hash::hash(body.as_bytes());
        let hash = base64::engine::general_purpose::STANDARD.encode(digest.as_byte_array());
        let jwt = livekit_api::access_token::AccessToken::with_api_key(
            &self.api_key,
            secret.unwrap_or(&self.api_secret),
        )
        .with_ttl(std::time::Duration::from_secs(300))
        .with_sha256(&hash)
        .to_jwt()
        .expect("sign a webhook");
        let resp = self
            .http
            .post(&self.url)
            .header("authorization", jwt)
            .header("content-type", "application/webhook+json")
            .header("user-agent", "LiveKit")
            .body(body.to_string())
            .send()
            .await
            .expect("webhook reaches the server");
        resp.status().as_u16()
    }

    /// A participant event (`participant_joined`, `participant_left`) as LiveKit's protojson.
    pub async fn participant(
        &self,
        id: &str,
        event: &str,
        room: &str,
        identity: &str,
        sid: &str,
    ) -> u16 {
        let body = json!({
            "event": event,
            "room": { "sid": "RM_x", "name": room },
            "participant": { "sid": sid, "identity": identity, "state": "ACTIVE", "joinedAt": now().to_string() },
            "id": id,
            "createdAt": now().to_string(),
        });
        self.send_raw(&body.to_string(), None).await
    }
}
