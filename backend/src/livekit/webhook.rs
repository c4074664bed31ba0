//! LiveKit's webhooks: signature check (a bare JWT whose `sha256` claim hashes the raw body),
//! de-duplication by event id, and the single-session rule. Webhooks can arrive late, twice
//! or out of order, so they are hints: the first session (participant `sid`) seen for an
//! identity is the one its token admitted, and any other session of that identity is removed
//! once `ListParticipants` confirms it is there.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine;
use nostr_sdk::hashes::{Hash, sha256};
use parking_lot::Mutex;
use serde::Deserialize;

use std::sync::Arc;

use super::{Livekit, jwt};

/// How long event ids and sessions are remembered: longer than any token lives.
const MEMORY_SECS: i64 = 6 * 3600;

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("the Authorization header is missing")]
    Missing,
    #[error("the signature does not verify: {0}")]
    Signature(#[from] jwt::JwtError),
    #[error("the body does not match the signed hash")]
    BodyMismatch,
    #[error("the body is not a LiveKit webhook event")]
    Body,
}

/// The fields of a `WebhookEvent` we use (camelCase as LiveKit sends, snake_case tolerated).
#[derive(Debug, Clone, Deserialize, Default)]
pub struct WebhookEvent {
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub room: Option<RoomInfo>,
    #[serde(default)]
    pub participant: Option<ParticipantInfo>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct RoomInfo {
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct ParticipantInfo {
    #[serde(default)]
    pub sid: String,
    #[serde(default)]
    pub identity: String,
}

/// Verifies and parses a webhook; `authorization` is the header as received.
pub fn verify(
    body: &[u8],
    authorization: Option<&str>,
    api_key: &str,
    api_secret: &str,
    now: i64,
) -> Result<WebhookEvent, WebhookError> {
    let header = authorization.ok_or(WebhookError::Missing)?.trim();
    let token = header.strip_prefix("Bearer ").unwrap_or(header);
    let claims = jwt::verify(token, api_key, api_secret, now)?;
    let digest = sha256::Hash::hash(body);
    let expected = base64::engine::general_purpose::STANDARD.encode(digest.as_byte_array());
    let signed = claims.sha256.unwrap_or_default();
    if !constant_time_eq(signed.as_bytes(), expected.as_bytes()) {
        return Err(WebhookError::BodyMismatch);
    }
    serde_json::from_slice(body).map_err(|_| WebhookError::Body)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Debug, Clone)]
struct Session {
    room: String,
    admitted_sid: String,
    seen_at: i64,
}

/// What the service should do after an event.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Seen before (same id): nothing to do.
    Duplicate,
    Noted,
    /// A second session of an identity: remove `identity` from `room` unless it is `admitted_sid`.
    SecondSession {
        room: String,
        identity: String,
        admitted_sid: String,
    },
}

/// Remembered webhook ids and admitted sessions.
#[derive(Default)]
pub struct Sessions {
    seen: Mutex<HashMap<String, i64>>,
    sessions: Mutex<HashMap<String, Session>>,
    /// Webhooks whose work is finished, a removal included (tests wait on it).
    passes: AtomicU64,
}

impl Sessions {
    /// How many webhooks have been handled to the end.
    pub fn passes(&self) -> u64 {
        self.passes.load(Ordering::Relaxed)
    }

    pub fn pass_done(&self) {
        self.passes.fetch_add(1, Ordering::Relaxed);
    }

    pub fn record(&self, event: &WebhookEvent, now: i64) -> Verdict {
        {
            let mut seen = self.seen.lock();
            seen.retain(|_, at| now - *at < MEMORY_SECS);
            if !event.id.is_empty() && seen.insert(event.id.clone(), now).is_some() {
                return Verdict::Duplicate;
            }
        }
        let (Some(room), Some(p)) = (&event.room, &event.participant) else {
            return Verdict::Noted;
        };
        if p.identity.is_empty() || p.sid.is_empty() || !event.event.starts_with("participant_") {
            return Verdict::Noted;
        }
        let mut sessions = self.sessions.lock();
        sessions.retain(|_, s| now - s.seen_at < MEMORY_SECS);
        let session = sessions
            .entry(p.identity.clone())
            .or_insert_with(|| Session {
                room: room.name.clone(),
                admitted_sid: p.sid.clone(),
                seen_at: now,
            });
        let is_other = session.admitted_sid != p.sid || session.room != room.name;
        if is_other && event.event == "participant_joined" {
            return Verdict::SecondSession {
                room: room.name.clone(),
                identity: p.identity.clone(),
                admitted_sid: session.admitted_sid.clone(),
            };
        }
        Verdict::Noted
    }
}

/// Removes `identity` from `room` if LiveKit shows a session of it other than the admitted one.
pub async fn remove_second_session(
    lk: Arc<Livekit>,
    room: String,
    identity: String,
    admitted_sid: String,
) {
    let _done = PassDone(&lk.sessions);
    let Some(service) = &lk.service else { return };
    let present = match service.rooms.list_participants(&room).await {
        Ok(present) => present,
        Err(e) => {
            tracing::warn!(
                error = format!("{e:#}"),
                "livekit: listing participants failed"
            );
            return;
        }
    };
    let second = present
        .iter()
        .any(|p| p.identity == identity && p.sid != admitted_sid);
    if !second {
        return;
    }
    tracing::info!(%room, %identity, "livekit: removing a second session of a single-use token");
    if let Err(e) = service.rooms.remove_participant(&room, &identity).await {
        tracing::warn!(
            error = format!("{e:#}"),
            "livekit: removing a participant failed"
        );
    }
}

/// Counts a webhook's work as finished when the removal check ends, however it ends.
struct PassDone<'a>(&'a Sessions);

impl Drop for PassDone<'_> {
    fn drop(&mut self) {
        self.0.pass_done();
    }
}
