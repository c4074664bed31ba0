//! The LiveKit endpoints' error: the API's error shape with a stable code, plus
//! `Retry-After` when rate-limited.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

#[derive(Debug)]
pub struct LivekitError {
    pub inner: ApiError,
    pub retry_after: Option<u64>,
}

impl LivekitError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            inner: ApiError::new(status, code, message),
            retry_after: None,
        }
    }

    pub fn not_configured() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "livekit/not-configured",
            "This platform does not offer LiveKit.",
        )
    }

    pub fn rate_limited(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "livekit/rate-limited",
                format!("Too many token requests; try again in {retry_after} s."),
            )
        }
    }

    /// A relay or LiveKit could not be reached: 503, with the cause logged, not returned.
    pub fn unavailable(code: &'static str, what: &str, cause: anyhow::Error) -> Self {
        tracing::warn!(
            error = format!("{cause:#}"),
            code,
            "livekit: a dependency failed"
        );
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            code,
            format!("{what} could not be reached; try again shortly."),
        )
    }
}

impl From<ApiError> for LivekitError {
    fn from(inner: ApiError) -> Self {
        Self {
            inner,
            retry_after: None,
        }
    }
}

impl From<sqlx::Error> for LivekitError {
    fn from(err: sqlx::Error) -> Self {
        ApiError::from(err).into()
    }
}

impl IntoResponse for LivekitError {
    fn into_response(self) -> Response {
        let mut response = self.inner.into_response();
        if let Some(secs) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}
