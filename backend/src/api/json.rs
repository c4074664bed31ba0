//! The API's JSON answers.
//!
//! axum's own `Json` serializes into a buffer that starts at 128 bytes and grows by copying,
//! and the allocator then frees that buffer after every answer; for a page of relays (tens of
//! kilobytes) that costs more than writing the JSON. Here an answer is serialized into a
//! buffer taken from a small pool, and the buffer goes back to the pool once the answer has
//! been sent.

use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use parking_lot::Mutex;
use serde::Serialize;

use crate::error::ApiError;

/// Buffers kept for reuse: about one per answer being sent at once.
const POOL_BUFFERS: usize = 64;
/// A buffer that grew past this is not kept, so one huge answer does not stay in memory.
const KEEP_BYTES: usize = 256 * 1024;

static POOL: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

/// A JSON answer (`application/json`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match to_bytes(&self.0) {
            Ok(body) => (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response(),
            Err(err) => {
                ApiError::internal(anyhow::Error::new(err).context("serializing an answer"))
                    .into_response()
            }
        }
    }
}

/// `value` as JSON, in a pooled buffer that returns to the pool when the body is dropped.
pub fn to_bytes<T: Serialize>(value: &T) -> serde_json::Result<Bytes> {
    let mut buf = Pooled(POOL.lock().pop().unwrap_or_default());
    serde_json::to_writer(&mut buf.0, value)?;
    Ok(Bytes::from_owner(buf))
}

/// A buffer on loan from [`POOL`], given back empty when dropped.
struct Pooled(Vec<u8>);

impl AsRef<[u8]> for Pooled {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        let mut buf = std::mem::take(&mut self.0);
        if buf.capacity() > KEEP_BYTES {
            return;
        }
        buf.clear();
        let mut pool = POOL.lock();
        if pool.len() < POOL_BUFFERS {
            pool.push(buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_exactly_the_json_of_the_value() {
        let small = to_bytes(&serde_json::json!({"a": 1})).unwrap();
        assert_eq!(&small[..], br#"{"a":1}"#);
        let big: Vec<String> = (0..10_000).map(|i| format!("relay-{i}")).collect();
        let body = to_bytes(&big).unwrap();
        assert_eq!(body, serde_json::to_vec(&big).unwrap());
        drop((small, body));
        let again = to_bytes(&serde_json::json!([])).unwrap();
        assert_eq!(
            &again[..],
            b"[]",
            "a reused buffer holds nothing of an earlier answer"
        );
    }
}
