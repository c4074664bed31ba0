//! Request-wide guards in front of every route: a declared body over the limit or oversized
//! headers are refused before the body is read, and the bare answers of lower layers (request
//! timeout, body limit) get the API's JSON error body like every other error.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, Code};

/// Largest total size of a request's header names and values.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Refuses a request whose `Content-Length` is over `max` bytes (413) or whose headers are
/// over [`MAX_HEADER_BYTES`] (431), without reading its body.
pub async fn refuse_oversized(State(max): State<usize>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > max as u64) {
        return too_large(max).into_response();
    }
    let header_bytes: usize = req
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if header_bytes > MAX_HEADER_BYTES {
        return ApiError::new(
            Code::RequestHeadersTooLarge,
            format!(
                "The request's headers are larger than {} KiB.",
                MAX_HEADER_BYTES / 1024
            ),
        )
        .into_response();
    }
    next.run(req).await
}

/// The answer to a body over `max` bytes.
pub fn too_large(max: usize) -> ApiError {
    ApiError::new(
        Code::RequestTooLarge,
        format!("The request body is larger than {} KiB.", max / 1024),
    )
}

/// Gives an error answer without a body (from a layer such as the request timeout) the API's
/// JSON error body.
pub async fn json_errors(res: Response) -> Response {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error())
        || res.headers().contains_key(header::CONTENT_TYPE)
    {
        return res;
    }
    let error = match status {
        StatusCode::REQUEST_TIMEOUT => ApiError::new(
            Code::RequestTimeout,
            "The request took too long to arrive or to answer. Try again.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(Code::RequestTooLarge, "The request body is too large.")
        }
        _ => ApiError::refused(
            status,
            status
                .canonical_reason()
                .unwrap_or("The request was refused."),
        ),
    };
    error.into_response()
}
