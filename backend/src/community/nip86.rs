//! NIP-86 relay management, called as the relay: `POST` to the relay's root with
//! `application/nostr+json+rpc`, a NIP-98 header whose `payload` is the body's hash, and
//! `{"method", "params"}`. Answers are `{"result"}` or `{"error"}`; khatru sends errors both
//! as HTTP 200 with `error` and as a bare 401, so both are read.

use nostr_sdk::Keys;
use serde_json::{Value, json};

use super::{RELAY_TIMEOUT, RelayError};
use crate::auth::sign::nip98_header;

/// The HTTP client every management call shares.
pub fn http() -> &'static reqwest::Client {
    static HTTP: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    HTTP.get_or_init(reqwest::Client::new)
}

/// Calls `method` with `params` on the relay at `url` (its NIP-86 URL), signed by `keys`.
pub async fn call(
    http: &reqwest::Client,
    keys: &Keys,
    url: &str,
    method: &str,
    params: Value,
) -> Result<Value, RelayError> {
    let body = serde_json::to_vec(&json!({ "method": method, "params": params }))
        .map_err(|e| RelayError::Refused(e.to_string()))?;
    let auth = nip98_header(keys, url, "POST", &body)
        .map_err(|e| RelayError::Refused(format!("signing: {e}")))?;
    let answer = http
        .post(url)
        .header("content-type", "application/nostr+json+rpc")
        .header("authorization", auth)
        .body(body)
        .timeout(RELAY_TIMEOUT)
        .send()
        .await
        .map_err(|e| RelayError::Unreachable(format!("{method}: {e}")))?;
    let status = answer.status();
    let text = answer
        .text()
        .await
        .map_err(|e| RelayError::Unreachable(format!("{method}: reading the answer: {e}")))?;
    if status.is_server_error() {
        return Err(RelayError::Unreachable(format!("{method}: HTTP {status}")));
    }
    let parsed: Value = serde_json::from_str(&text).map_err(|_| {
        RelayError::Refused(format!(
            "{method}: HTTP {status}: {}",
            text.chars().take(200).collect::<String>()
        ))
    })?;
    match parsed.get("error").and_then(Value::as_str) {
        Some(error) if !error.is_empty() => Err(RelayError::Refused(format!("{method}: {error}"))),
        _ if !status.is_success() => Err(RelayError::Refused(format!("{method}: HTTP {status}"))),
        _ => Ok(parsed.get("result").cloned().unwrap_or(Value::Null)),
    }
}
