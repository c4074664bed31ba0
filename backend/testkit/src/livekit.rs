//! A LiveKit server stand-in: RoomService over Twirp with JSON bodies (CreateRoom, DeleteRoom,
//! ListRooms, ListParticipants, RemoveParticipant). Its webhooks are sent by
//! [`crate::livekit_webhooks::WebhookSender`].
//!
//! Every call's `Authorization: Bearer <jwt>` is verified with LiveKit's own Rust verifier
//! (HS256, `iss` = the API key, `exp`/`nbf`), and the grant each method needs is checked as
//! LiveKit does: `roomCreate` to create or delete, `roomList` to list, `roomAdmin` for the
//! very room named in the request. Auth-middleware failures answer 401 in plain text, grant
//! failures a Twirp `unauthenticated` error, unknown rooms a Twirp `not_found`. Responses use
//! snake_case keys, every field present, int64 values as strings, like LiveKit's JSON.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use livekit_api::access_token::{Claims, TokenVerifier};
use parking_lot::Mutex;
use serde_json::{Value, json};
use tokio::net::TcpListener;

/// Longest lifetime LiveKit's docs suggest for a service token; longer ones are flagged.
pub const MAX_SERVICE_TOKEN_SECS: usize = 600;

#[derive(Debug, Clone)]
pub struct Room {
    pub name: String,
    pub sid: String,
    pub empty_timeout: u64,
    pub metadata: String,
    pub created_at: u64,
    pub participants: Vec<Participant>,
}

#[derive(Debug, Clone)]
pub struct Participant {
    pub sid: String,
    pub identity: String,
}

/// One call as received: method, the room or name it named, and the HTTP status answered.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub room: String,
    pub status: u16,
}

#[derive(Default)]
struct Shared {
    api_key: String,
    api_secret: String,
    rooms: Mutex<BTreeMap<String, Room>>,
    calls: Mutex<Vec<Call>>,
    /// Service tokens that lived longer than [`MAX_SERVICE_TOKEN_SECS`] or lacked `exp`.
    violations: Mutex<Vec<String>>,
    down: AtomicBool,
    next_sid: AtomicU64,
}

pub struct LivekitStandIn {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl LivekitStandIn {
    /// Starts on 127.0.0.1 with an ephemeral port, accepting tokens signed by this key pair.
    pub async fn start(api_key: &str, api_secret: &str) -> Self {
        let shared = Arc::new(Shared {
            api_key: api_key.to_string(),
            api_secret: api_secret.to_string(),
            ..Shared::default()
        });
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the LiveKit stand-in");
        let addr = listener.local_addr().expect("local addr");
        let app = axum::Router::new()
            .route(
                "/twirp/livekit.RoomService/{method}",
                axum::routing::post(handle),
            )
            .with_state(shared.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, shared }
    }

    /// The URL clients are given (`ws://`, as LIVEKIT_URL would be).
    pub fn url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    pub fn room_names(&self) -> Vec<String> {
        self.shared.rooms.lock().keys().cloned().collect()
    }

    pub fn room(&self, name: &str) -> Option<Room> {
        self.shared.rooms.lock().get(name).cloned()
    }

    /// A room LiveKit has that was not made through the API (as `auto_create` would).
    pub fn add_room(&self, name: &str) {
        let room = self.new_room(name, 300, "");
        self.shared.rooms.lock().insert(name.to_string(), room);
    }

    /// LiveKit loses a room (closed when idle, or restarted).
    pub fn drop_room(&self, name: &str) {
        self.shared.rooms.lock().remove(name);
    }

    /// A participant connects; returns its session id (`sid`). Creates the room if needed.
    pub fn join(&self, room: &str, identity: &str) -> String {
        let sid = format!(
            "PA_{}",
            self.shared.next_sid.fetch_add(1, Ordering::Relaxed)
        );
        let mut rooms = self.shared.rooms.lock();
        let entry = rooms
            .entry(room.to_string())
            .or_insert_with(|| self.new_room(room, 300, ""));
        // LiveKit disconnects an older session of the same identity.
        entry.participants.retain(|p| p.identity != identity);
        entry.participants.push(Participant {
            sid: sid.clone(),
            identity: identity.to_string(),
        });
        sid
    }

    pub fn leave(&self, room: &str, identity: &str) {
        if let Some(r) = self.shared.rooms.lock().get_mut(room) {
            r.participants.retain(|p| p.identity != identity);
        }
    }

    pub fn participants(&self, room: &str) -> Vec<Participant> {
        self.room(room).map(|r| r.participants).unwrap_or_default()
    }

    pub fn calls(&self) -> Vec<Call> {
        self.shared.calls.lock().clone()
    }

    pub fn calls_to(&self, method: &str) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.method == method)
            .collect()
    }

    pub fn violations(&self) -> Vec<String> {
        self.shared.violations.lock().clone()
    }

    /// While down, every call answers 503 (as a LiveKit behind a proxy that lost it).
    pub fn set_down(&self, down: bool) {
        self.shared.down.store(down, Ordering::Relaxed);
    }

    fn new_room(&self, name: &str, empty_timeout: u64, metadata: &str) -> Room {
        let n = self.shared.next_sid.fetch_add(1, Ordering::Relaxed);
        Room {
            name: name.to_string(),
            sid: format!("RM_{n}"),
            empty_timeout,
            metadata: metadata.to_string(),
            created_at: now(),
            participants: Vec::new(),
        }
    }
}

pub(crate) fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

fn twirp_error(status: StatusCode, code: &str, msg: &str) -> Response {
    (
        status,
        Json(json!({ "code": code, "msg": msg, "meta": {} })),
    )
        .into_response()
}

fn room_json(r: &Room) -> Value {
    json!({
        "sid": r.sid, "name": r.name, "empty_timeout": r.empty_timeout, "departure_timeout": 20,
        "max_participants": 0, "creation_time": r.created_at.to_string(),
        "creation_time_ms": (r.created_at * 1000).to_string(), "turn_password": "",
        "enabled_codecs": [], "metadata": r.metadata, "num_participants": r.participants.len(),
        "num_publishers": 0, "active_recording": false, "version": null,
    })
}

fn participant_json(p: &Participant) -> Value {
    json!({
        "sid": p.sid, "identity": p.identity, "state": "ACTIVE", "tracks": [], "metadata": "",
        "joined_at": now().to_string(), "joined_at_ms": (now() * 1000).to_string(), "name": "",
        "version": 1, "permission": null, "region": "", "is_publisher": false, "kind": "STANDARD",
        "attributes": {}, "disconnect_reason": "UNKNOWN_REASON",
    })
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    Path(method): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let named = ["room", "name"]
        .iter()
        .find_map(|k| request[*k].as_str())
        .unwrap_or_default()
        .to_string();
    let response = answer(&shared, &method, &headers, &request, &named);
    shared.calls.lock().push(Call {
        method,
        room: named,
        status: response.status().as_u16(),
    });
    response
}

fn answer(
    shared: &Shared,
    method: &str,
    headers: &HeaderMap,
    request: &Value,
    named: &str,
) -> Response {
    if shared.down.load(Ordering::Relaxed) {
        return (StatusCode::SERVICE_UNAVAILABLE, "unavailable").into_response();
    }
    let claims = match authenticate(shared, headers) {
        Ok(c) => c,
        Err(why) => return (StatusCode::UNAUTHORIZED, why).into_response(),
    };
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json_body || request.is_null() {
        return twirp_error(StatusCode::BAD_REQUEST, "malformed", "the body is not JSON");
    }
    let v = &claims.video;
    let allowed = match method {
        "CreateRoom" | "DeleteRoom" => v.room_create,
        "ListRooms" => v.room_list,
        "ListParticipants" | "RemoveParticipant" => v.room_admin && v.room == named,
        _ => return twirp_error(StatusCode::NOT_FOUND, "bad_route", "no such method"),
    };
    if !allowed {
        return twirp_error(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "permissions denied",
        );
    }
    let mut rooms = shared.rooms.lock();
    let no_room = || {
        twirp_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "requested room does not exist",
        )
    };
    match method {
        "CreateRoom" => {
            if named.is_empty() || named.len() > 256 {
                return twirp_error(StatusCode::BAD_REQUEST, "invalid_argument", "invalid room name");
            }
            let n = shared.next_sid.fetch_add(1, Ordering::Relaxed);
            let room = rooms.entry(named.to_string()).or_insert_with(|| Room {
                name: named.to_string(),
                sid: format!("RM_{n}"),
                empty_timeout: request["empty_timeout"].as_u64().unwrap_or(300),
                metadata: request["metadata"].as_str().unwrap_or_default().to_string(),
                created_at: now(),
                participants: Vec::new(),
            });
            Json(room_json(room)).into_response()
        }
        "DeleteRoom" => match rooms.remove(named) {
            Some(_) => Json(json!({})).into_response(),
            None => no_room(),
        },
        "ListRooms" => {
            let names: Vec<&str> = request["names"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            let list: Vec<Value> = rooms.values().filter(|r| names.is_empty() || names.contains(&r.name.as_str())).map(room_json).collect();
            Json(json!({ "rooms": list })).into_response()
        }
        "ListParticipants" => match rooms.get(named) {
            Some(r) => Json(json!({ "participants": r.participants.iter().map(participant_json).collect::<Vec<_>>() })).into_response(),
            None => no_room(),
        },
        _ => {
            let identity = request["identity"].as_str().unwrap_or_default();
            let Some(room) = rooms.get_mut(named) else { return no_room() };
            let before = room.participants.len();
            room.participants.retain(|p| p.identity != identity);
            if room.participants.len() == before {
                return twirp_error(StatusCode::NOT_FOUND, "not_found", "participant not found");
            }
            Json(json!({})).into_response()
        }
    }
}

fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<Claims, &'static str> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or("authorization header missing")?;
    let token = value
        .strip_prefix("Bearer ")
        .ok_or("invalid authorization header. Must start with Bearer")?;
    let claims = TokenVerifier::with_api_key(&shared.api_key, &shared.api_secret)
        .verify(token)
        .map_err(|_| "invalid token")?;
    if claims.exp.saturating_sub(claims.nbf) > MAX_SERVICE_TOKEN_SECS {
        shared.violations.lock().push(format!(
            "a service token lives {} s",
            claims.exp - claims.nbf
        ));
    }
    Ok(claims)
}
