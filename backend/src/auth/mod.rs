//! Who is calling, proven by NIP-98, and the layers that make the router's structure
//! enforce it: everything behind [`authenticate`] has a [`Caller`], everything behind
//! [`require_admin`] has an admin one.

pub mod nip98;
pub mod replay;
pub mod sign;

use axum::body::Body;
use axum::extract::{FromRequestParts, OriginalUri, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use nostr_sdk::PublicKey;

use crate::error::{ApiError, Code};
use crate::state::AppState;
use crate::telemetry::metrics;
use nip98::{AuthError, RequestFacts};

/// The authenticated caller of this request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub pubkey: PublicKey,
    pub is_admin: bool,
}

impl Caller {
    pub fn hex(&self) -> String {
        self.pubkey.to_hex()
    }
}

impl From<AuthError> for ApiError {
    fn from(err: AuthError) -> Self {
        metrics::auth_refused(err.code());
        ApiError::new(err.code(), err.to_string())
    }
}

/// Verifies the NIP-98 header against the exact public URL and method and refuses replays,
/// all before reading the body; then reads the body (up to the limit), checks its hash against
/// the `payload` tag, and hands it on untouched with the [`Caller`] attached.
pub async fn authenticate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let verified = match verify_header(&state, &parts) {
        Ok(verified) => verified,
        Err(err) => return ApiError::from(err).into_response(),
    };
    let max = state.settings.http.max_body_bytes;
    // A header refused for its body was not used: it may be sent again with the right body.
    let body = match axum::body::to_bytes(body, max).await {
        Ok(bytes) => bytes,
        Err(err) => {
            state.replay.forget(&verified.signature);
            return unreadable(err, max).into_response();
        }
    };
    if let Err(err) = nip98::check_payload(verified.payload.as_deref(), &body) {
        state.replay.forget(&verified.signature);
        return ApiError::from(err).into_response();
    }
    let is_admin = state.settings.is_admin(&verified.pubkey);
    parts.extensions.insert(Caller {
        pubkey: verified.pubkey,
        is_admin,
    });
    next.run(Request::from_parts(parts, Body::from(body))).await
}

/// Why a body could not be read: over the limit (413), or cut off or too slow (400).
pub(crate) fn unreadable(err: axum::Error, max: usize) -> ApiError {
    let inner = err.into_inner();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(inner.as_ref());
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return crate::api::guard::too_large(max);
        }
        source = e.source();
    }
    ApiError::new(
        Code::RequestUnreadableBody,
        "The request body could not be read.",
    )
}

fn verify_header(state: &AppState, parts: &Parts) -> Result<nip98::Verified, AuthError> {
    let mut headers = parts.headers.get_all(AUTHORIZATION).iter();
    let header = headers.next().map(|h| h.as_bytes());
    if headers.next().is_some() {
        return Err(AuthError::Malformed(
            "send exactly one Authorization header".into(),
        ));
    }
    // Inside a nested router the URI is stripped of its prefix; the client signed the original.
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map(|o| &o.0)
        .unwrap_or(&parts.uri);
    let path = uri.path_and_query().map(|pq| pq.as_str()).unwrap_or("/");
    let url = format!("{}{}", state.public_base, path);
    let now = crate::clock::unix_now();
    let facts = RequestFacts {
        url: &url,
        method: parts.method.as_str(),
        now,
    };
    let verified = nip98::verify(header, &facts)?;
    if !state
        .replay
        .first_use(&verified.signature, verified.created_at, now)
    {
        return Err(AuthError::Replayed);
    }
    Ok(verified)
}

/// Lets only admins through. Mounted on the admin routes, after [`authenticate`].
pub async fn require_admin(caller: Caller, req: Request, next: Next) -> Response {
    if caller.is_admin {
        next.run(req).await
    } else {
        metrics::auth_refused(Code::AuthAdminOnly);
        ApiError::new(
            Code::AuthAdminOnly,
            "Only platform administrators may do this.",
        )
        .into_response()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    /// Fails closed: a handler mounted outside [`authenticate`] never sees a caller.
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| AuthError::Missing.into())
    }
}
