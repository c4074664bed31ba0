//! Request extractors whose rejections use the API's error format, and paging.

use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, Code};

/// A JSON body. A body sent as another media type answers 415, syntax errors 400,
/// well-formed bodies of the wrong shape 422, each with serde's description of the problem
/// (unknown fields are refused).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let media_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap_or("").to_string());
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(Code::RequestTooLarge, "The request body is too large.")
                } else {
                    ApiError::new(
                        Code::RequestUnreadableBody,
                        "The request body could not be read.",
                    )
                }
            })?;
        let is_json = media_type.as_deref().is_some_and(is_json_media_type);
        if !is_json && (media_type.is_some() || !bytes.is_empty()) {
            return Err(ApiError::new(
                Code::RequestUnsupportedMediaType,
                "Send the body as JSON, with `Content-Type: application/json`.",
            ));
        }
        if bytes.is_empty() {
            return Err(ApiError::new(
                Code::RequestMissingBody,
                "This request needs a JSON body.",
            ));
        }
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| {
            if e.is_data() {
                ApiError::new(
                    Code::RequestInvalidBody,
                    format!("The JSON body does not fit: {e}."),
                )
            } else {
                ApiError::new(
                    Code::RequestInvalidJson,
                    format!("The body is not valid JSON: {e}."),
                )
            }
        })
    }
}

/// `application/json`, with or without parameters such as `charset`, or any `+json` type.
fn is_json_media_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence.to_ascii_lowercase().ends_with("+json")
}

/// Query parameters, refused with 400 and the parser's explanation.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(q)| ApiQuery(q))
            .map_err(|e| {
                ApiError::new(
                    Code::RequestInvalidQuery,
                    format!("The query string does not fit: {}.", e.body_text()),
                )
            })
    }
}

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

/// Checks `limit` (1–200, default 50) and `offset` (0 or more) of a list request.
pub fn paging(limit: Option<i64>, offset: Option<i64>) -> Result<(i64, i64), ApiError> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    let offset = offset.unwrap_or(0);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::new(
            Code::RequestInvalidQuery,
            format!("limit must be between 1 and {MAX_LIMIT}."),
        ));
    }
    if offset < 0 {
        return Err(ApiError::new(
            Code::RequestInvalidQuery,
            "offset cannot be negative.",
        ));
    }
    Ok((limit, offset))
}

/// The total number of matches, when one page already tells it: a page that is neither
/// full nor empty past the start ends the list. `None`: a count query is needed.
pub fn total_from_page(limit: i64, offset: i64, len: usize) -> Option<i64> {
    let len = len as i64;
    (len < limit && (len > 0 || offset == 0)).then_some(offset + len)
}

/// Treats `?q=` (empty) as absent.
pub fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A query filter that names one value of a status (`?status=active`); any other text is
/// refused with the values it may take.
pub fn status_filter<T: std::str::FromStr>(
    value: &Option<String>,
    name: &str,
    names: fn() -> String,
) -> Result<Option<T>, ApiError> {
    non_empty(value)
        .map(|s| s.parse::<T>())
        .transpose()
        .map_err(|_| {
            ApiError::new(
                Code::RequestInvalidQuery,
                format!("{name} is one of {}.", names()),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::total_from_page;

    #[test]
    fn a_short_page_tells_the_total_and_a_full_one_does_not() {
        assert_eq!(total_from_page(50, 0, 10), Some(10));
        assert_eq!(total_from_page(50, 0, 0), Some(0));
        assert_eq!(total_from_page(50, 100, 7), Some(107));
        assert_eq!(total_from_page(50, 0, 50), None, "there may be more");
        assert_eq!(
            total_from_page(50, 100, 0),
            None,
            "past the end: the total is unknown"
        );
    }
}
