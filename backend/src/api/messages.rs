//! The platform's private messages, for admins: which were delivered, where, and which keep
//! failing with what error. Never their text (it stays between the platform and the tenant).

use crate::api::json::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::access::list_scope;
use super::extract::{ApiQuery, non_empty, paging, status_filter, total_from_page};
use crate::auth::Caller;
use crate::db::outbox::{self, Listed};
use crate::domain::status::MessageState;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageQuery {
    /// Only messages to this pubkey (hex or npub).
    pub recipient: Option<String>,
    /// `pending` (not delivered yet), `sent`, or `failing` (pending after a failed attempt).
    #[param(value_type = Option<MessageState>)]
    pub state: Option<String>,
    /// How many items to return (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// How many items to skip.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct MessageView {
    pub id: i64,
    /// The tenant it is for (hex).
    pub recipient: String,
    /// What it is about: `invoice`, `reminder`, `receipt`, `pull-failed` or `suspended`.
    pub topic: String,
    /// `sent`, `pending` (on its way) or `failing` (retrying after an error).
    pub state: MessageState,
    pub attempts: i64,
    /// The last delivery error, while the message is not delivered.
    pub last_error: Option<String>,
    /// When delivery is tried again, while the message is not delivered.
    pub next_attempt_at: Option<i64>,
    /// Where the recipient's inbox relays came from: `10050`, `10002-read` or `platform`.
    pub relay_source: Option<String>,
    /// The relays that accepted the gift wrap.
    pub accepted_by: Vec<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct MessageList {
    pub items: Vec<MessageView>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

impl From<Listed> for MessageView {
    fn from(m: Listed) -> Self {
        let sent = m.state == "sent";
        let state = match (sent, &m.last_error) {
            (true, _) => MessageState::Sent,
            (false, Some(_)) => MessageState::Failing,
            (false, None) => MessageState::Pending,
        };
        let accepted_by = m
            .accepted_by
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default();
        Self {
            id: m.id,
            recipient: m.recipient,
            topic: m.topic,
            state,
            attempts: m.attempts,
            last_error: if sent { None } else { m.last_error },
            next_attempt_at: (!sent).then_some(m.next_at),
            relay_source: m.relay_source,
            accepted_by,
            created_at: m.created_at,
            sent_at: m.sent_at,
        }
    }
}

/// The platform's NIP-17 messages, newest first, with their delivery state (admin only).
#[utoipa::path(get, path = "/messages", operation_id = "listMessages", tag = "messages", security(("nip98" = [])), params(MessageQuery), responses(
    (status = 200, body = MessageList),
    (status = 400, body = ErrorBody),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody, description = "The recipient is not a valid pubkey"),
))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<MessageQuery>,
) -> ApiResult<Json<MessageList>> {
    let (limit, offset) = paging(query.limit, query.offset)?;
    let recipient = list_scope(&caller, non_empty(&query.recipient))?;
    let wanted = status_filter(&query.state, "state", MessageState::names)?;
    let filter = outbox::Filter {
        recipient: recipient.as_deref(),
        state: wanted,
        limit,
        offset,
    };
    let items = outbox::list(&state.db, &filter).await?;
    let total = match total_from_page(limit, offset, items.len()) {
        Some(total) => total,
        None => outbox::count(&state.db, &filter).await?,
    };
    Ok(Json(MessageList {
        items: items.into_iter().map(MessageView::from).collect(),
        total,
        limit,
        offset,
    }))
}
