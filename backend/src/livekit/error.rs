//! Why LiveKit refused or failed, as a code from the API's catalogue, a message, and for a
//! rate limit the seconds to wait. The API turns it into its error answer; nothing here
//! knows HTTP.

use crate::error::Code;

/// Seconds a client is asked to wait (`Retry-After`) when a relay or LiveKit did not answer:
/// about what a relay restart or a dropped connection takes to come back.
pub const UNAVAILABLE_RETRY_SECS: u64 = 5;

#[derive(Debug)]
pub struct LivekitError {
    pub code: Code,
    pub message: String,
    pub retry_after: Option<u64>,
    /// A fault behind an `internal` answer, logged by the API, never returned.
    pub source: Option<anyhow::Error>,
}

impl LivekitError {
    pub fn refuse(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            retry_after: None,
            source: None,
        }
    }

    pub fn not_configured() -> Self {
        Self::refuse(
            Code::LivekitNotConfigured,
            "This platform does not offer LiveKit.",
        )
    }

    pub fn rate_limited(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::refuse(
                Code::LivekitRateLimited,
                format!("Too many token requests; try again in {retry_after} s."),
            )
        }
    }

    /// A relay or LiveKit could not be reached, with the cause logged, not returned, and
    /// `Retry-After` [`UNAVAILABLE_RETRY_SECS`].
    pub fn unavailable(code: Code, what: &str, cause: anyhow::Error) -> Self {
        tracing::warn!(error = format!("{cause:#}"), %code, "livekit: a dependency failed");
        Self {
            retry_after: Some(UNAVAILABLE_RETRY_SECS),
            ..Self::refuse(
                code,
                format!("{what} could not be reached; try again shortly."),
            )
        }
    }
}

impl LivekitError {
    /// A fault on our side: answered as `internal`, the cause logged by the API.
    pub fn internal(cause: anyhow::Error) -> Self {
        Self {
            source: Some(cause),
            ..Self::refuse(Code::Internal, "Something went wrong on our side.")
        }
    }
}

impl From<sqlx::Error> for LivekitError {
    fn from(err: sqlx::Error) -> Self {
        Self::internal(err.into())
    }
}
