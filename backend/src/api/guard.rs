//! Request-wide guards in front of every route: a declared body over the limit or oversized
//! headers are refused before the body is read, and the bare answers of lower layers (request
//! timeout, body limit) get the API's JSON error body like every other error.

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, Code};

/// Largest total size of a request's header names and values.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// The guard in front of every route, as one tower layer (no boxing per request): a
/// request whose `Content-Length` is over `max_body` bytes is refused 413, one whose headers
/// are over [`MAX_HEADER_BYTES`] 431, both without reading the body; and the bare error
/// answers of the layers inside it get the API's JSON error body ([`json_errors`]).
#[derive(Debug, Clone, Copy)]
pub struct Guard {
    pub max_body: usize,
}

impl<S> tower::Layer<S> for Guard {
    type Service = Guarded<S>;

    fn layer(&self, inner: S) -> Guarded<S> {
        Guarded {
            inner,
            max_body: self.max_body,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Guarded<S> {
    inner: S,
    max_body: usize,
}

impl<S> tower::Service<Request> for Guarded<S>
where
    S: tower::Service<Request, Response = Response, Error = std::convert::Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = futures::future::Either<
        std::future::Ready<Result<Response, std::convert::Infallible>>,
        futures::future::MapOk<S::Future, fn(Response) -> Response>,
    >;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        use futures::TryFutureExt;
        match refusal(&req, self.max_body) {
            Some(refused) => futures::future::Either::Left(std::future::ready(Ok(refused))),
            None => futures::future::Either::Right(
                self.inner
                    .call(req)
                    .map_ok(json_errors as fn(Response) -> Response),
            ),
        }
    }
}

/// The answer to a request refused before its body is read, if it is.
fn refusal(req: &Request, max: usize) -> Option<Response> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > max as u64) {
        return Some(too_large(max).into_response());
    }
    let header_bytes: usize = req
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if header_bytes > MAX_HEADER_BYTES {
        return Some(
            ApiError::new(
                Code::RequestHeadersTooLarge,
                format!(
                    "The request's headers are larger than {} KiB.",
                    MAX_HEADER_BYTES / 1024
                ),
            )
            .into_response(),
        );
    }
    None
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
pub fn json_errors(res: Response) -> Response {
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
