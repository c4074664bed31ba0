//! LiveKit: join tokens for members (NIP-98), LiveKit's webhooks (signed by LiveKit, not
//! NIP-98), and the room watcher's state for admins.

use std::net::{IpAddr, SocketAddr};

use crate::api::json::Json;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::ApiJson;
use crate::auth::Caller;
use crate::clock::unix_now;
use crate::config::ExposeSecret;
use crate::error::{ApiError, ApiResult, Code, ErrorBody};
use crate::livekit::webhook::{self, Verdict};
use crate::livekit::{LivekitError, WatchState, token};
use crate::state::AppState;
use crate::telemetry::metrics;

/// The client's IP for rate limits: the TCP peer, or with `LIVEKIT_TRUST_FORWARDED_FOR` the
/// last `X-Forwarded-For` entry (the one the trusted proxy appended).
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.settings.livekit_options.trust_forwarded_for {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|ip| ip.trim().parse::<IpAddr>().ok())
                .next_back();
            if forwarded.is_some() {
                return Ok(Self(forwarded));
            }
        }
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>();
        Ok(Self(peer.map(|ConnectInfo(addr)| addr.ip())))
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// The relay's id or subdomain.
    pub relay: String,
    /// The room: its kind 30312 `d` tag, or its `30312:<pubkey>:<d>` address.
    pub room: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// The LiveKit access token (JWT). Valid for `LIVEKIT_TOKEN_TTL` seconds, one session.
    pub token: String,
    /// The LiveKit server to connect to.
    pub url: String,
    /// The LiveKit room name (`caravel:<schema>:<hash>`).
    pub room: String,
    /// The participant identity: `<hex pubkey>:<random suffix>`.
    pub identity: String,
    /// Whether this participant may publish audio and video (hosts, moderators, speakers).
    pub can_publish: bool,
    pub expires_at: i64,
    /// `blocked_user_present` when someone the caller mutes is in the room.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// A LiveKit token for a room on a hosted relay, for a member of that relay.
#[utoipa::path(post, path = "/livekit/token", operation_id = "issueLivekitToken", tag = "livekit", security(("nip98" = [])), request_body = TokenRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody, description = "`livekit/plan-excludes-livekit`, `livekit/not-a-member`, `livekit/room-private`, `livekit/blocked`"),
    (status = 404, body = ErrorBody, description = "`livekit/not-configured`, `relay/not-found`, `livekit/room-not-found`"),
    (status = 409, body = ErrorBody, description = "`livekit/relay-inactive`, `livekit/room-closed`, `livekit/room-ambiguous`"),
    (status = 410, body = ErrorBody, description = "`livekit/room-expired`, `livekit/room-deleted`"),
    (status = 422, body = ErrorBody),
    (status = 429, body = ErrorBody, description = "`livekit/rate-limited`, with `Retry-After`"),
    (status = 503, body = ErrorBody, description = "`livekit/relay-unreachable`, `livekit/unreachable`, with `Retry-After`"),
))]
pub async fn issue_token(
    State(state): State<AppState>,
    caller: Caller,
    ClientIp(ip): ClientIp,
    ApiJson(input): ApiJson<TokenRequest>,
) -> ApiResult<Json<TokenResponse>> {
    let deps = token::Deps {
        livekit: &state.livekit,
        db: &state.db,
        vault: &state.vault,
        settings: &state.settings,
    };
    let issued = token::issue(deps, &caller.pubkey, ip, &input.relay, &input.room).await;
    metrics::livekit_token(issued.as_ref().err().map(|e| e.code));
    let issued = issued?;
    Ok(Json(TokenResponse {
        token: issued.token,
        url: issued.url,
        room: issued.room,
        identity: issued.identity,
        can_publish: issued.can_publish,
        expires_at: issued.expires_at,
        warning: issued.warning.map(String::from),
    }))
}

/// LiveKit's webhook: signed by LiveKit (a JWT in `Authorization` whose `sha256` claim is the
/// body's hash). Enforces one session per token.
#[utoipa::path(post, path = "/livekit/webhook", operation_id = "livekitWebhook", tag = "livekit", request_body(content = String, content_type = "application/webhook+json"), responses(
    (status = 200, description = "Accepted (or a duplicate)"),
    (status = 401, body = ErrorBody, description = "`livekit/bad-signature`"),
    (status = 404, body = ErrorBody, description = "`livekit/not-configured`"),
))]
pub async fn webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let lk = state.livekit.clone();
    let service = lk
        .service
        .as_ref()
        .ok_or_else(LivekitError::not_configured)?;
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let now = unix_now();
    let settings = &service.settings;
    let event = webhook::verify(
        &body,
        auth,
        &settings.api_key,
        settings.api_secret.expose_secret(),
        now,
    )
    .map_err(|e| {
        metrics::livekit_webhook("bad-signature");
        ApiError::new(
            Code::LivekitBadSignature,
            format!("This is not a webhook from our LiveKit: {e}."),
        )
    })?;
    let verdict = lk.sessions.record(&event, now);
    let outcome = match &verdict {
        Verdict::Duplicate => "duplicate",
        Verdict::Noted => "accepted",
        Verdict::SecondSession { .. } => "second-session",
    };
    metrics::livekit_webhook(outcome);
    if let Verdict::SecondSession {
        room,
        identity,
        admitted_sid,
    } = verdict
    {
        // Answer LiveKit at once; the removal is checked against LiveKit's own list first.
        tokio::spawn(webhook::remove_second_session(
            lk,
            room,
            identity,
            admitted_sid,
        ));
    } else {
        lk.sessions.pass_done();
    }
    Ok(StatusCode::OK)
}

#[derive(Serialize, ToSchema)]
pub struct LivekitStatus {
    /// Whether LiveKit is configured.
    pub configured: bool,
    /// The watcher's connection to each relay with LiveKit.
    pub relays: Vec<WatchState>,
}

/// The room watcher's connection to each relay (admin only).
#[utoipa::path(get, path = "/livekit/status", operation_id = "getLivekitStatus", tag = "livekit", security(("nip98" = [])), responses(
    (status = 200, body = LivekitStatus),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody),
))]
pub async fn status(State(state): State<AppState>) -> ApiResult<Json<LivekitStatus>> {
    let relays = state.livekit.watch.lock().values().cloned().collect();
    Ok(Json(LivekitStatus {
        configured: state.livekit.service.is_some(),
        relays,
    }))
}
