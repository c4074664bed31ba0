//! The zooid fleet, for admins: the nodes relays are placed on, their state and health, and
//! moving a relay from one node to another.

use crate::api::json::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use nostr_sdk::SecretKey;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::access::RelayAccess;
use super::extract::ApiJson;
use super::relays::RelayView;
use crate::auth::Caller;
use crate::clock::unix_now;
use crate::db::{self, zooid_nodes::Node};
use crate::domain::status::NodeState;
use crate::error::{ApiError, ApiResult, Code, ErrorBody};
use crate::lifecycle::{self, Refusal};
use crate::state::AppState;
use crate::vault::node_secret_context;

/// Relays refused for lack of room are counted over this window.
const REFUSALS_WINDOW_SECS: i64 = 24 * 3600;

#[derive(Serialize, ToSchema)]
pub struct NodeView {
    pub id: String,
    /// zooid's management API; `null`: the platform's local config directory.
    pub api_url: Option<String>,
    /// Whether the node has its own API key (else the shared `ZOOID_API_SECRET`). The key
    /// itself is never shown.
    pub own_secret: bool,
    /// `ip:port` the proxy sends the node's relay traffic to.
    pub upstream: String,
    pub capacity: i64,
    pub state: NodeState,
    /// Relays placed on it (those moving to it included).
    pub relays: i64,
    pub free: i64,
    pub health: NodeHealth,
}

/// How the node answered the platform lately.
#[derive(Serialize, ToSchema)]
pub struct NodeHealth {
    /// Consecutive failed requests; 0: healthy. While failing, the node is probed and its
    /// relays wait for it.
    pub failures: i64,
    pub last_success_at: Option<i64>,
    pub last_error: Option<String>,
    pub next_probe_at: Option<i64>,
}

impl From<Node> for NodeView {
    fn from(n: Node) -> Self {
        let free = n.free();
        let healthy = n.failures == 0;
        Self {
            own_secret: n.api_secret_enc.is_some(),
            health: NodeHealth {
                failures: n.failures,
                last_success_at: n.last_success_at,
                last_error: if healthy { None } else { n.last_error },
                next_probe_at: if healthy { None } else { n.probe_at },
            },
            id: n.id,
            api_url: n.api_url,
            upstream: n.upstream,
            capacity: n.capacity,
            state: n.state,
            relays: n.relays,
            free,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NodeList {
    pub nodes: Vec<NodeView>,
    /// Relays refused in the last 24 hours because no active node had room.
    pub refused_placements: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNode {
    /// `[a-z][a-z0-9-]{0,31}`
    pub id: String,
    /// zooid's management API (`http(s)://…`); absent or `null`: the local config directory.
    #[serde(default)]
    pub api_url: Option<String>,
    /// The node's own API key (nsec or hex) whose pubkey is in its `API_WHITELIST`; absent:
    /// the shared `ZOOID_API_SECRET`.
    #[serde(default)]
    pub api_secret: Option<String>,
    /// `ip:port` the proxy sends relay traffic to.
    pub upstream: String,
    pub capacity: i64,
    #[serde(default)]
    pub state: Option<NodeState>,
}

/// Only the fields sent change; `api_url: null` makes it the local config directory and
/// `api_secret: null` returns it to the shared key.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeChanges {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub api_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub api_secret: Option<Option<String>>,
    pub upstream: Option<String>,
    pub capacity: Option<i64>,
    pub state: Option<NodeState>,
}

/// A field that is present, `null` included.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    /// The node to move the relay to.
    pub node: String,
}

fn invalid(field: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(Code::NodeInvalid, message).with_field(field)
}

fn node_id(id: &str) -> ApiResult<String> {
    let ok = (1..=32).contains(&id.len())
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(id.to_string())
    } else {
        Err(invalid(
            "id",
            "A node's id is 1–32 characters: a lower-case letter, then letters, digits or dashes.",
        ))
    }
}

fn api_url(url: Option<&str>) -> ApiResult<Option<String>> {
    let Some(url) = url else { return Ok(None) };
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
            Ok(Some(u.as_str().trim_end_matches('/').to_string()))
        }
        _ => Err(invalid(
            "api_url",
            "The API URL must be an http:// or https:// URL.",
        )),
    }
}

fn upstream(value: &str) -> ApiResult<String> {
    value
        .parse::<std::net::SocketAddr>()
        .map(|a| a.to_string())
        .map_err(|_| invalid("upstream", "The upstream is the address and port the proxy reaches the node's relays on, like 10.0.0.2:3334."))
}

fn capacity(value: i64) -> ApiResult<i64> {
    if (0..=10_000_000).contains(&value) {
        Ok(value)
    } else {
        Err(invalid(
            "capacity",
            "The capacity is a number of relays from 0 to 10000000.",
        ))
    }
}

/// The node's own key, sealed.
fn sealed_secret(state: &AppState, id: &str, secret: Option<&str>) -> ApiResult<Option<Vec<u8>>> {
    let Some(secret) = secret else {
        return Ok(None);
    };
    let key = SecretKey::parse(secret.trim()).map_err(|_| {
        invalid(
            "api_secret",
            "The API key must be an nsec or 64 hex characters.",
        )
    })?;
    Ok(Some(state.vault.seal(
        &node_secret_context(id),
        key.to_secret_hex().as_bytes(),
    )))
}

/// Every node, with its relays, room and health (admin only).
#[utoipa::path(get, path = "/nodes", operation_id = "listNodes", tag = "fleet", security(("nip98" = [])), responses(
    (status = 200, body = NodeList),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody),
))]
pub async fn list(State(state): State<AppState>) -> ApiResult<Json<NodeList>> {
    let nodes = db::zooid_nodes::all(&state.db).await?;
    let since = unix_now() - REFUSALS_WINDOW_SECS;
    let refused = db::activity::count_since(&state.db, "relay.placement-refused", since).await?;
    Ok(Json(NodeList {
        nodes: nodes.into_iter().map(NodeView::from).collect(),
        refused_placements: refused,
    }))
}

/// Adds a zooid node; new relays may be placed on it once it is `active` (admin only).
#[utoipa::path(post, path = "/nodes", operation_id = "addNode", tag = "fleet", security(("nip98" = [])), request_body = NewNode, responses(
    (status = 201, body = NodeView),
    (status = 400, body = ErrorBody),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody),
    (status = 409, body = ErrorBody, description = "`node/exists`, or another node already is the local config directory"),
    (status = 422, body = ErrorBody, description = "`node/invalid`: a field is invalid"),
))]
pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NewNode>,
) -> ApiResult<(StatusCode, Json<NodeView>)> {
    let id = node_id(&input.id)?;
    let url = api_url(input.api_url.as_deref())?;
    let up = upstream(&input.upstream)?;
    let cap = capacity(input.capacity)?;
    let secret = sealed_secret(&state, &id, input.api_secret.as_deref())?;
    let now = unix_now();
    let mut tx = db::begin_write(&state.db).await?;
    let new = db::zooid_nodes::NewNode {
        id: &id,
        api_url: url.as_deref(),
        api_secret_enc: secret.as_deref(),
        upstream: &up,
        capacity: cap,
        state: input.state.unwrap_or(NodeState::Active),
    };
    lifecycle::node::add(&mut tx, &caller.hex(), &new, now).await?;
    let node = db::zooid_nodes::get(&mut *tx, &id)
        .await?
        .ok_or_else(node_not_found)?;
    tx.commit().await?;
    state.provisioner.kick_upkeep();
    tracing::info!(node = %id, "zooid node added");
    Ok((StatusCode::CREATED, Json(node.into())))
}

fn node_not_found() -> ApiError {
    ApiError::from(lifecycle::Error::from(Refusal::NodeNotFound))
}

/// Changes a node's address, key, upstream, capacity or state (admin only). `draining`
/// takes no new relays; `down` also stops sending anything to it.
#[utoipa::path(patch, path = "/nodes/{id}", operation_id = "changeNode", tag = "fleet", security(("nip98" = [])), params(("id" = String, Path)), request_body = NodeChanges, responses(
    (status = 200, body = NodeView),
    (status = 400, body = ErrorBody),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody, description = "`node/not-found`"),
    (status = 409, body = ErrorBody, description = "Another node already is the local config directory"),
    (status = 422, body = ErrorBody, description = "`node/invalid`: a field is invalid"),
))]
pub async fn change(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NodeChanges>,
) -> ApiResult<Json<NodeView>> {
    let now = unix_now();
    let mut tx = db::begin_write(&state.db).await?;
    let node = db::zooid_nodes::get(&mut *tx, &id)
        .await?
        .ok_or_else(node_not_found)?;
    let url = match &input.api_url {
        Some(url) => api_url(url.as_deref())?,
        None => node.api_url.clone(),
    };
    let secret = match &input.api_secret {
        Some(secret) => sealed_secret(&state, &id, secret.as_deref())?,
        None => node.api_secret_enc.clone(),
    };
    let up = input
        .upstream
        .as_deref()
        .map(upstream)
        .transpose()?
        .unwrap_or_else(|| node.upstream.clone());
    let cap = input
        .capacity
        .map(capacity)
        .transpose()?
        .unwrap_or(node.capacity);
    let next_state = input.state.unwrap_or(node.state);
    let mut changes = Map::new();
    let mut note = |field: &str, from: Value, to: Value| {
        if from != to {
            changes.insert(field.into(), json!({ "from": from, "to": to }));
        }
    };
    note("api_url", json!(node.api_url), json!(url));
    note(
        "own_secret",
        json!(node.api_secret_enc.is_some()),
        json!(secret.is_some()),
    );
    note("upstream", json!(node.upstream), json!(up));
    note("capacity", json!(node.capacity), json!(cap));
    note("state", json!(node.state), json!(next_state));
    if input.api_secret.as_ref().is_some_and(Option::is_some) {
        changes.insert("api_secret".into(), json!("replaced"));
    }
    let reach = db::zooid_nodes::Reach {
        api_url: url.as_deref(),
        api_secret_enc: secret.as_deref(),
        upstream: &up,
        capacity: cap,
    };
    lifecycle::node::change(
        &mut tx,
        &caller.hex(),
        &node,
        &reach,
        next_state,
        changes,
        now,
    )
    .await?;
    let node = db::zooid_nodes::get(&mut *tx, &id)
        .await?
        .ok_or_else(node_not_found)?;
    tx.commit().await?;
    state.provisioner.kick();
    state.provisioner.kick_upkeep();
    state.provisioner.reroute();
    Ok(Json(node.into()))
}

/// Moves a relay to another node (admin only), as durable steps that resume after a crash:
/// its configuration is written, off, on the target; it is turned off on the source, routed
/// to the target and turned on there; then deleted from the source. Clients reconnect once.
/// Its stored events are not copied (the operator copies them; see the README).
#[utoipa::path(post, path = "/relays/{id}/move", operation_id = "moveRelay", tag = "fleet", security(("nip98" = [])), params(("id" = String, Path)), request_body = MoveRequest, responses(
    (status = 202, body = RelayView, description = "The move has started; `move` shows its step"),
    (status = 400, body = ErrorBody),
    (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody, description = "`relay/not-found` or `node/not-found`"),
    (status = 409, body = ErrorBody, description = "`relay/move-in-progress`, `relay/already-on-node`, or `node/not-accepting` (draining, down or full)"),
    (status = 422, body = ErrorBody),
))]
pub async fn move_relay(
    State(state): State<AppState>,
    access: RelayAccess,
    ApiJson(input): ApiJson<MoveRequest>,
) -> ApiResult<(StatusCode, Json<RelayView>)> {
    let now = unix_now();
    let mut tx = db::begin_write(&state.db).await?;
    let relay = db::relays::get(&mut *tx, &access.relay.id)
        .await?
        .ok_or_else(ApiError::relay_not_found)?;
    lifecycle::node::start_move(&mut tx, &access.caller.hex(), &relay, &input.node, now).await?;
    let relay = db::relays::get(&mut *tx, &relay.id)
        .await?
        .ok_or_else(ApiError::relay_not_found)?;
    tx.commit().await?;
    state.provisioner.kick_upkeep();
    Ok((
        StatusCode::ACCEPTED,
        Json(RelayView::new(relay, &state.settings.relay_domain)),
    ))
}
