//! The HTTP layer's error: a stable machine code from one catalogue ([`Code`]), the status
//! that code answers with, and a message a person can act on. Server faults answer an
//! opaque message and are logged once, inside the request's span.

use crate::api::json::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

macro_rules! catalogue {
    ($($(#[$meta:meta])* $variant:ident = $code:literal => $status:ident,)+) => {
        /// Every error code the API answers with, and its status. spec.md lists the same
        /// codes (a test keeps the two in step).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$meta])* $variant,)+
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)+
                }
            }

            pub fn status(self) -> StatusCode {
                match self {
                    $(Code::$variant => StatusCode::$status,)+
                }
            }
        }
    };
}

catalogue! {
    RequestInvalidJson = "request/invalid-json" => BAD_REQUEST,
    RequestMissingBody = "request/missing-body" => BAD_REQUEST,
    RequestUnreadableBody = "request/unreadable-body" => BAD_REQUEST,
    RequestInvalidQuery = "request/invalid-query" => BAD_REQUEST,
    TlsDomainMissing = "tls/domain-missing" => BAD_REQUEST,
    AuthMissing = "auth/missing" => UNAUTHORIZED,
    AuthTooLarge = "auth/too-large" => UNAUTHORIZED,
    AuthMalformed = "auth/malformed" => UNAUTHORIZED,
    AuthWrongKind = "auth/wrong-kind" => UNAUTHORIZED,
    AuthExpired = "auth/expired" => UNAUTHORIZED,
    AuthUrlMismatch = "auth/url-mismatch" => UNAUTHORIZED,
    AuthMethodMismatch = "auth/method-mismatch" => UNAUTHORIZED,
    AuthPayloadMismatch = "auth/payload-mismatch" => UNAUTHORIZED,
    AuthBadId = "auth/bad-id" => UNAUTHORIZED,
    AuthBadSignature = "auth/bad-signature" => UNAUTHORIZED,
    AuthReplayed = "auth/replayed" => UNAUTHORIZED,
    LivekitBadSignature = "livekit/bad-signature" => UNAUTHORIZED,
    AuthAdminOnly = "auth/admin-only" => FORBIDDEN,
    RelayBanned = "relay/banned" => FORBIDDEN,
    TenantInactive = "tenant/inactive" => FORBIDDEN,
    LivekitPlanExcludesLivekit = "livekit/plan-excludes-livekit" => FORBIDDEN,
    LivekitNotAMember = "livekit/not-a-member" => FORBIDDEN,
    LivekitRoomPrivate = "livekit/room-private" => FORBIDDEN,
    LivekitBlocked = "livekit/blocked" => FORBIDDEN,
    RouteNotFound = "route/not-found" => NOT_FOUND,
    TenantNotFound = "tenant/not-found" => NOT_FOUND,
    RelayNotFound = "relay/not-found" => NOT_FOUND,
    InvoiceNotFound = "invoice/not-found" => NOT_FOUND,
    LivekitNotConfigured = "livekit/not-configured" => NOT_FOUND,
    LivekitRoomNotFound = "livekit/room-not-found" => NOT_FOUND,
    TlsNotServed = "tls/not-served" => NOT_FOUND,
    RelayRoleNotFound = "relay/role-not-found" => NOT_FOUND,
    InviteNotFound = "invite/not-found" => NOT_FOUND,
    NodeNotFound = "node/not-found" => NOT_FOUND,
    RouteMethodNotAllowed = "route/method-not-allowed" => METHOD_NOT_ALLOWED,
    RelaySubdomainTaken = "relay/subdomain-taken" => CONFLICT,
    RelaySuspended = "relay/suspended" => CONFLICT,
    InvoiceNotOpen = "invoice/not-open" => CONFLICT,
    RelayFeatureNotInPlan = "relay/feature-not-in-plan" => CONFLICT,
    RelayMemberLimit = "relay/member-limit" => CONFLICT,
    RelayOwnerIsAdmin = "relay/owner-is-admin" => CONFLICT,
    InviteAlreadyUsed = "invite/already-used" => CONFLICT,
    NodeExists = "node/exists" => CONFLICT,
    NodeNotAccepting = "node/not-accepting" => CONFLICT,
    NodeInvalid = "node/invalid" => UNPROCESSABLE_ENTITY,
    RelayMoveInProgress = "relay/move-in-progress" => CONFLICT,
    RelayAlreadyOnNode = "relay/already-on-node" => CONFLICT,
    InviteRelayUnavailable = "invite/relay-unavailable" => CONFLICT,
    LivekitRelayInactive = "livekit/relay-inactive" => CONFLICT,
    LivekitRoomClosed = "livekit/room-closed" => CONFLICT,
    LivekitRoomAmbiguous = "livekit/room-ambiguous" => CONFLICT,
    LivekitRoomExpired = "livekit/room-expired" => GONE,
    InviteExpired = "invite/expired" => GONE,
    InviteRevoked = "invite/revoked" => GONE,
    InviteUsedUp = "invite/used-up" => GONE,
    LivekitRoomDeleted = "livekit/room-deleted" => GONE,
    /// Any other refusal from below the API (its status is kept): see [`ApiError::refused`].
    RequestRefused = "request/refused" => BAD_REQUEST,
    RequestTimeout = "request/timeout" => REQUEST_TIMEOUT,
    RequestTooLarge = "request/too-large" => PAYLOAD_TOO_LARGE,
    RequestUnsupportedMediaType = "request/unsupported-media-type" => UNSUPPORTED_MEDIA_TYPE,
    RequestHeadersTooLarge = "request/headers-too-large" => REQUEST_HEADER_FIELDS_TOO_LARGE,
    RequestInvalidBody = "request/invalid-body" => UNPROCESSABLE_ENTITY,
    RelayInvalidName = "relay/invalid-name" => UNPROCESSABLE_ENTITY,
    RelayInvalidSubdomain = "relay/invalid-subdomain" => UNPROCESSABLE_ENTITY,
    RelaySubdomainReserved = "relay/subdomain-reserved" => UNPROCESSABLE_ENTITY,
    RelayInvalidIcon = "relay/invalid-icon" => UNPROCESSABLE_ENTITY,
    RelayInvalidDescription = "relay/invalid-description" => UNPROCESSABLE_ENTITY,
    RelayInvalidPubkey = "relay/invalid-pubkey" => UNPROCESSABLE_ENTITY,
    InviteInvalidLimits = "invite/invalid-limits" => UNPROCESSABLE_ENTITY,
    ModerationInvalidReason = "moderation/invalid-reason" => UNPROCESSABLE_ENTITY,
    ModerationInvalidEvent = "moderation/invalid-event" => UNPROCESSABLE_ENTITY,
    PlanUnknown = "plan/unknown" => UNPROCESSABLE_ENTITY,
    BillingNotConfigured = "billing/not-configured" => UNPROCESSABLE_ENTITY,
    BillingInvalidNwcUrl = "billing/invalid-nwc-url" => UNPROCESSABLE_ENTITY,
    BillingWalletUnreachable = "billing/wallet-unreachable" => UNPROCESSABLE_ENTITY,
    InvoiceInvalidReason = "invoice/invalid-reason" => UNPROCESSABLE_ENTITY,
    LivekitInvalidRoom = "livekit/invalid-room" => UNPROCESSABLE_ENTITY,
    LivekitRateLimited = "livekit/rate-limited" => TOO_MANY_REQUESTS,
    TlsRateLimited = "tls/rate-limited" => TOO_MANY_REQUESTS,
    Internal = "internal" => INTERNAL_SERVER_ERROR,
    RelayRefused = "relay/refused" => BAD_GATEWAY,
    BillingWalletUnavailable = "billing/wallet-unavailable" => SERVICE_UNAVAILABLE,
    LivekitRelayUnreachable = "livekit/relay-unreachable" => SERVICE_UNAVAILABLE,
    RelayUnreachable = "relay/unreachable" => SERVICE_UNAVAILABLE,
    RelayNoCapacity = "relay/no-capacity" => SERVICE_UNAVAILABLE,
    LivekitUnreachable = "livekit/unreachable" => SERVICE_UNAVAILABLE,
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug)]
pub struct ApiError {
    pub code: Code,
    pub message: String,
    /// The request field at fault, so a form can show the message next to it.
    pub field: Option<&'static str>,
    /// Seconds to wait before trying again (`Retry-After`), for rate limits.
    pub retry_after: Option<u64>,
    /// The status of a refusal made below the API (`request/refused`), kept as it was.
    status: Option<StatusCode>,
    source: Option<anyhow::Error>,
}

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, such as `relay/subdomain-taken`.
    #[schema(example = "relay/subdomain-taken")]
    pub code: String,
    /// What went wrong, for a person.
    pub message: String,
    /// The request field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            retry_after: None,
            status: None,
            source: None,
        }
    }

    /// A refusal a lower layer answered with `status` and no body of ours.
    pub fn refused(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status: Some(status),
            ..Self::new(Code::RequestRefused, message)
        }
    }

    pub fn with_field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status.unwrap_or_else(|| self.code.status())
    }

    /// A dependency (a relay, LiveKit, a wallet) did not answer: 503 with `code`, the cause
    /// logged once, never returned.
    pub fn unavailable(code: Code, what: &str, cause: impl Into<anyhow::Error>) -> Self {
        let cause = cause.into();
        tracing::warn!(error = format!("{cause:#}"), %code, "a dependency failed");
        Self::new(
            code,
            format!("{what} could not be reached; try again shortly."),
        )
    }

    pub fn internal(source: impl Into<anyhow::Error>) -> Self {
        Self {
            source: Some(source.into()),
            ..Self::new(
                Code::Internal,
                "Something went wrong on our side. Please try again; if it keeps happening, contact the operator.",
            )
        }
    }

    pub fn relay_not_found() -> Self {
        Self::new(Code::RelayNotFound, "There is no such relay.")
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> Self {
        Self::internal(err)
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        Self::internal(err)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(source) = &self.source {
            tracing::error!(error = format!("{source:#}"), "request failed");
        }
        let status = self.status();
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.as_str().to_string(),
                message: self.message,
                field: self.field.map(String::from),
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if status == StatusCode::UNAUTHORIZED && self.code.as_str().starts_with("auth/") {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Nostr"));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// A lifecycle transition's refusal, as the API answers it.
impl From<crate::lifecycle::Error> for ApiError {
    fn from(e: crate::lifecycle::Error) -> Self {
        use crate::lifecycle::{Error, Refusal};
        match e {
            Error::Failed(e) => Self::internal(e),
            Error::Refused(r) => match r {
                Refusal::RelayNotFound => Self::relay_not_found(),
                Refusal::RelaySuspended => Self::new(
                    Code::RelaySuspended,
                    "This relay is suspended for an unpaid invoice; paying the invoice brings it back.",
                ),
                Refusal::TenantInactive => Self::new(
                    Code::TenantInactive,
                    "This account is deactivated; its relays stay off until it is reactivated.",
                ),
                Refusal::SubdomainTaken(sub) => Self::new(
                    Code::RelaySubdomainTaken,
                    format!("{sub:?} is already taken; pick another subdomain."),
                )
                .with_field("subdomain"),
                Refusal::InvoiceNotOpen(status) => Self::new(
                    Code::InvoiceNotOpen,
                    format!("This invoice is already {status}."),
                ),
                Refusal::FeatureNotInPlan { feature, plan, upgrade } => Self::new(
                    Code::RelayFeatureNotInPlan,
                    match upgrade {
                        Some(up) => format!("The {plan} plan does not include {}; the {up} plan does.", feature.name()),
                        None => format!("The {plan} plan does not include {}.", feature.name()),
                    },
                ),
                Refusal::MemberLimit { members, limit, plan } => Self::new(
                    Code::RelayMemberLimit,
                    format!("The {plan} plan allows {limit} members and this relay has {members}: upgrade the plan or remove members."),
                ),
                Refusal::OwnerIsAdmin => Self::new(
                    Code::RelayOwnerIsAdmin,
                    "The owner is always the relay's admin and member; their role cannot be changed or removed.",
                )
                .with_field("pubkey"),
                Refusal::InviteNotFound => {
                    Self::new(Code::InviteNotFound, "There is no such invite.")
                }
                Refusal::InviteExpired => Self::new(
                    Code::InviteExpired,
                    "This invite has expired; ask for a new one.",
                ),
                Refusal::InviteRevoked => Self::new(
                    Code::InviteRevoked,
                    "This invite was withdrawn; ask for a new one.",
                ),
                Refusal::InviteUsedUp => Self::new(
                    Code::InviteUsedUp,
                    "This invite has been used as many times as it allows; ask for a new one.",
                ),
                Refusal::InviteAlreadyUsed => Self::new(
                    Code::InviteAlreadyUsed,
                    "You have used this invite before; ask for a new one.",
                ),
                Refusal::InviteRelayUnavailable => Self::new(
                    Code::InviteRelayUnavailable,
                    "This relay is not running right now, so nobody can join it; try again later.",
                ),
                Refusal::Banned => Self::new(Code::RelayBanned, "You are banned from this relay."),
                Refusal::NoCapacity => Self::new(
                    Code::RelayNoCapacity,
                    "The platform has no room for a new relay right now; the operators have been told. Try again later.",
                ),
                Refusal::NodeNotFound => Self::new(Code::NodeNotFound, "There is no such node."),
                Refusal::NodeExists(id) => Self::new(
                    Code::NodeExists,
                    format!("A node named {id:?} already exists."),
                )
                .with_field("id"),
                Refusal::NodeNotAccepting { node, why } => Self::new(
                    Code::NodeNotAccepting,
                    format!("Node {node:?} takes no relays now: {why}."),
                )
                .with_field("node"),
                Refusal::MoveInProgress { to } => Self::new(
                    Code::RelayMoveInProgress,
                    format!("This relay is already moving to node {to:?}; wait for that move to finish."),
                ),
                Refusal::OneDirectory => Self::new(
                    Code::NodeExists,
                    "Another node already is the local config directory; give this node an API URL.",
                )
                .with_field("api_url"),
                Refusal::AlreadyOnNode(node) => Self::new(
                    Code::RelayAlreadyOnNode,
                    format!("This relay is already on node {node:?}."),
                )
                .with_field("node"),
                Refusal::RoleNotFound => Self::new(
                    Code::RelayRoleNotFound,
                    "That pubkey holds no role on this relay.",
                ),
            },
        }
    }
}

/// A hosted relay's failure to do what the platform asked, as the API answers it.
impl From<crate::community::RelayError> for ApiError {
    fn from(e: crate::community::RelayError) -> Self {
        use crate::community::RelayError;
        match e {
            RelayError::Unreachable(why) => {
                tracing::warn!(error = %why, "relay unreachable");
                Self::new(
                    Code::RelayUnreachable,
                    "The relay did not answer; try again in a minute.",
                )
                .with_retry_after(30)
            }
            RelayError::Refused(why) => {
                tracing::warn!(error = %why, "relay refused a management call");
                Self::new(
                    Code::RelayRefused,
                    format!("The relay refused the change ({why})."),
                )
            }
        }
    }
}

/// LiveKit's refusal or fault, as the API answers it.
impl From<crate::livekit::LivekitError> for ApiError {
    fn from(e: crate::livekit::LivekitError) -> Self {
        if let Some(source) = e.source {
            return Self::internal(source);
        }
        let mut err = Self::new(e.code, e.message);
        err.retry_after = e.retry_after;
        err
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// spec.md documents exactly the codes the API answers with.
    #[test]
    fn every_code_is_documented_in_the_spec_and_every_documented_code_exists() {
        let spec = include_str!("../../spec.md");
        let section = spec
            .split("### Errors")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .expect("spec.md has an Errors section");
        let mut documented: Vec<&str> = section
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|t| t.contains('/') || *t == "internal")
            .filter(|t| !t.contains('*') && !t.contains(' '))
            .collect();
        // `auth/*` in that table points at §2, which lists each auth code.
        let auth = spec
            .split("## 2. Authentication")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .expect("spec.md has an Authentication section");
        documented.extend(
            auth.split('`')
                .skip(1)
                .step_by(2)
                .filter(|t| t.starts_with("auth/")),
        );
        documented.sort_unstable();
        documented.dedup();
        let mut known: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        known.sort_unstable();
        let undocumented: Vec<_> = known.iter().filter(|c| !documented.contains(c)).collect();
        let unknown: Vec<_> = documented.iter().filter(|c| !known.contains(c)).collect();
        assert!(
            undocumented.is_empty(),
            "codes missing from spec.md: {undocumented:?}"
        );
        assert!(
            unknown.is_empty(),
            "spec.md documents codes the API never answers: {unknown:?}"
        );
    }

    #[test]
    fn codes_are_unique() {
        let mut all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n);
    }
}
