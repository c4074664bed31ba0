//! Liveness, readiness and the OpenAPI document: public, no authentication.

use std::sync::OnceLock;

use crate::api::json::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// The OpenAPI document, rendered once when the first router is built.
pub(super) static OPENAPI_JSON: OnceLock<String> = OnceLock::new();

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the process is up; `ready` or `unavailable` for readiness.
    pub status: &'static str,
    /// Readiness of each dependency: `ok` or what is wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checks: Option<Checks>,
}

#[derive(Serialize, ToSchema)]
pub struct Checks {
    pub database: String,
    /// `ok`, or `stalled` when the provisioning worker has not looped for 30 s.
    pub provisioner: String,
    /// The billing worker: `ok` (a pass finished recently), `starting`, `stalled`, or `off`
    /// (no `NWC_URL`). Reported only; it does not make the service unready.
    pub billing: String,
    /// Only when LiveKit is configured: `ok` when an authenticated ListRooms succeeds,
    /// else `unreachable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub livekit: Option<String>,
}

/// The process is up.
#[utoipa::path(get, path = "/health", operation_id = "getHealth", tag = "meta", responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        checks: None,
    })
}

/// The service can serve requests: its database answers, its provisioning worker runs, and
/// LiveKit (when configured) answers.
#[utoipa::path(get, path = "/ready", operation_id = "getReady", tag = "meta", responses(
    (status = 200, body = Health, description = "Ready"),
    (status = 503, body = Health, description = "A dependency is down"),
))]
pub async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let database = match crate::db::ping(&state.db).await {
        Ok(_) => match crate::db::check_writable(&state.db).await {
            Ok(()) => "ok".to_string(),
            Err(e) => {
                tracing::warn!(error = %e, "readiness: the database does not take writes");
                "unwritable".to_string()
            }
        },
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database check failed");
            "unreachable".to_string()
        }
    };
    let provisioner = if state.provisioner.is_alive() {
        "ok"
    } else {
        "stalled"
    }
    .to_string();
    let tick = i64::from(state.settings.worker_tick_secs);
    let last = state.billing.last_pass();
    let billing = if !state.settings.billing_enabled() {
        "off"
    } else if last == 0 {
        "starting"
    } else if crate::clock::unix_now() - last <= 3 * tick + 60 {
        "ok"
    } else {
        "stalled"
    }
    .to_string();
    let livekit = match &state.livekit.service {
        None => None,
        Some(service) => Some(match service.rooms.list_rooms().await {
            Ok(_) => "ok".to_string(),
            Err(e) => {
                tracing::warn!(error = format!("{e:#}"), "readiness: LiveKit check failed");
                "unreachable".to_string()
            }
        }),
    };
    let ok =
        database == "ok" && provisioner == "ok" && livekit.as_deref().is_none_or(|l| l == "ok");
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = Health {
        status: if ok { "ready" } else { "unavailable" },
        checks: Some(Checks {
            database,
            provisioner,
            billing,
            livekit,
        }),
    };
    (status, Json(body))
}

/// This document: OpenAPI 3.1, generated from the code.
#[utoipa::path(get, path = "/openapi.json", operation_id = "getOpenapi", tag = "meta", responses((status = 200, description = "The OpenAPI document", content_type = "application/json")))]
pub async fn openapi_json() -> impl IntoResponse {
    let body = OPENAPI_JSON.get().cloned().unwrap_or_else(|| "{}".into());
    ([(header::CONTENT_TYPE, "application/json")], body)
}
