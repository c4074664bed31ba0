//! A small client for LiveKit's RoomService over Twirp with JSON bodies. Every call carries
//! its own short-lived service token with only the grant that call needs (`roomAdmin` calls
//! name their room, as LiveKit requires).

use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use serde::Deserialize;
use serde_json::{Value, json};

use super::jwt::{self, Claims, VideoGrant};
use crate::clock::unix_now;
use crate::config::{ExposeSecret, LivekitSettings, SecretString};

/// Lifetime of a service token: one request.
const SERVICE_TOKEN_SECS: i64 = 60;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct RoomService {
    base: String,
    api_key: String,
    api_secret: SecretString,
    http: reqwest::Client,
}

impl std::fmt::Debug for RoomService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RoomService({})", self.base)
    }
}

/// A participant as `ListParticipants` reports it.
#[derive(Debug, Clone, Deserialize)]
pub struct Participant {
    #[serde(default)]
    pub sid: String,
    #[serde(default)]
    pub identity: String,
    #[serde(default)]
    pub state: Value,
}

impl RoomService {
    pub fn new(settings: &LivekitSettings) -> anyhow::Result<Self> {
        let mut base = settings.url.clone();
        let scheme = match base.scheme() {
            "wss" => "https",
            "ws" => "http",
            other => other,
        }
        .to_string();
        base.set_scheme(&scheme)
            .map_err(|_| anyhow!("LIVEKIT_URL cannot be turned into an HTTP URL"))?;
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .build()
            .context("building the LiveKit HTTP client")?;
        Ok(Self {
            base: base.as_str().trim_end_matches('/').to_string(),
            api_key: settings.api_key.clone(),
            api_secret: settings.api_secret.clone(),
            http,
        })
    }

    fn service_token(&self, grant: VideoGrant) -> Result<String, jwt::JwtError> {
        let now = unix_now();
        let claims = Claims {
            iss: self.api_key.clone(),
            nbf: now,
            exp: now + SERVICE_TOKEN_SECS,
            video: Some(grant),
            ..Claims::default()
        };
        jwt::encode(&claims, self.api_secret.expose_secret())
    }

    async fn call(
        &self,
        method: &str,
        grant: VideoGrant,
        body: Value,
    ) -> anyhow::Result<Option<Value>> {
        let url = format!("{}/twirp/livekit.RoomService/{method}", self.base);
        let resp = self
            .http
            .post(&url)
            .bearer_auth(self.service_token(grant)?)
            .json(&body)
            .send()
            .await
            .with_context(|| format!("calling LiveKit {method}"))?;
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        if status.is_success() {
            let value = serde_json::from_str(&text)
                .with_context(|| format!("LiveKit {method} answered something that is not JSON"))?;
            return Ok(Some(value));
        }
        let code = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v["code"].as_str().map(String::from));
        if code.as_deref() == Some("not_found") {
            return Ok(None);
        }
        let excerpt: String = text.chars().take(200).collect();
        bail!("LiveKit {method} answered {status}: {excerpt}")
    }

    /// Creates the room, or finds it if it exists. `empty_timeout` keeps an unjoined room open.
    pub async fn create_room(
        &self,
        name: &str,
        empty_timeout: u32,
        metadata: &str,
    ) -> anyhow::Result<()> {
        let grant = VideoGrant {
            room_create: true,
            ..VideoGrant::default()
        };
        let body = json!({ "name": name, "empty_timeout": empty_timeout, "metadata": metadata });
        self.call("CreateRoom", grant, body).await?;
        Ok(())
    }

    /// Deletes the room; a room LiveKit does not have counts as deleted.
    pub async fn delete_room(&self, name: &str) -> anyhow::Result<()> {
        let grant = VideoGrant {
            room_create: true,
            ..VideoGrant::default()
        };
        self.call("DeleteRoom", grant, json!({ "room": name }))
            .await?;
        Ok(())
    }

    /// The names of every active room.
    pub async fn list_rooms(&self) -> anyhow::Result<Vec<String>> {
        let grant = VideoGrant {
            room_list: true,
            ..VideoGrant::default()
        };
        let value = self
            .call("ListRooms", grant, json!({}))
            .await?
            .unwrap_or_default();
        Ok(value["rooms"]
            .as_array()
            .map(|rooms| {
                rooms
                    .iter()
                    .filter_map(|r| r["name"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Who is in the room now; an unknown room has nobody.
    pub async fn list_participants(&self, room: &str) -> anyhow::Result<Vec<Participant>> {
        let grant = VideoGrant {
            room_admin: true,
            room: room.to_string(),
            ..VideoGrant::default()
        };
        let Some(value) = self
            .call("ListParticipants", grant, json!({ "room": room }))
            .await?
        else {
            return Ok(Vec::new());
        };
        let list = value
            .get("participants")
            .cloned()
            .unwrap_or(Value::Array(Vec::new()));
        serde_json::from_value(list).context("reading LiveKit's participant list")
    }

    /// Disconnects a participant; one already gone counts as removed.
    pub async fn remove_participant(&self, room: &str, identity: &str) -> anyhow::Result<()> {
        let grant = VideoGrant {
            room_admin: true,
            room: room.to_string(),
            ..VideoGrant::default()
        };
        self.call(
            "RemoveParticipant",
            grant,
            json!({ "room": room, "identity": identity }),
        )
        .await?;
        Ok(())
    }
}
