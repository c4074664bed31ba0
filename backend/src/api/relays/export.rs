//! Downloading a relay's events as JSON Lines, streamed as the relay reads them.

use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::community::as_relay;
use crate::api::access::RelayManagement;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

#[utoipa::path(get, path = "/relays/{id}/export", operation_id = "exportRelayEvents", tag = "relays", security(("nip98" = [])), params(("id" = String, Path)), responses(
    (status = 200, content_type = "application/x-ndjson", description = "Every event the relay serves, one JSON object per line, newest first; streamed"),
    (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody),
    (status = 503, body = ErrorBody),
))]
pub async fn export(State(state): State<AppState>, access: RelayManagement) -> ApiResult<Response> {
    let relay = &access.relay;
    let lines = as_relay(&state, relay).await?.export().await?;
    let stream = futures::stream::unfold(lines, |mut lines| async move {
        lines.recv().await.map(|chunk| (chunk, lines))
    });
    let day = chrono::Utc::now().format("%Y-%m-%d");
    let file = format!("attachment; filename=\"{}-{day}.jsonl\"", relay.subdomain);
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-ndjson".to_string()),
            (header::CONTENT_DISPOSITION, file),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
