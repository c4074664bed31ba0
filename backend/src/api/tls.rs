//! The question a TLS-terminating proxy asks before it obtains a certificate on demand (Caddy's
//! `on_demand_tls { ask … }`): is this host one the platform serves? Public and cheap, so
//! a stranger sending made-up server names cannot make the proxy request certificates for
//! them, and limited per client address, so asking cannot be used to load the database.

use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::api::json::Json;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::ApiQuery;
use super::livekit::ClientIp;
use crate::db::relay_reads;
use crate::error::{ApiError, Code, ErrorBody};
use crate::state::AppState;

/// Questions a second, per client address, once its burst is spent. A proxy asks once per
/// new host it sees, so a legitimate one stays far below this.
const PER_SECOND: NonZeroU32 = NonZeroU32::new(10).unwrap();
const BURST: NonZeroU32 = NonZeroU32::new(60).unwrap();
/// Addresses remembered before the ones with a full allowance again are dropped.
const MAX_TRACKED: usize = 10_000;

/// This route with its own limiter (one per router, so each server counts on its own).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(allowed))
        .layer(Extension(Arc::new(AskLimiter::new())))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AllowedQuery {
    /// The host a certificate is wanted for, e.g. `my-relay.relays.example.com`.
    pub domain: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AllowedHost {
    /// The host, lower-cased.
    pub domain: String,
    /// What the platform serves there: `relay` or `dashboard`.
    pub serves: &'static str,
}

/// Whether a TLS certificate may be obtained for `domain`: 200 for an `active` relay's host
/// (`<subdomain>.<RELAY_DOMAIN>`) and for the dashboard's host (`PUBLIC_URL`), 404 for
/// anything else. For Caddy's `on_demand_tls { ask <url> }`.
#[utoipa::path(get, path = "/tls/allowed", operation_id = "tlsAllowed", tag = "meta", params(AllowedQuery), responses(
    (status = 200, body = AllowedHost, description = "A host the platform serves: a certificate may be obtained"),
    (status = 400, body = ErrorBody, description = "`tls/domain-missing`: no `domain` given"),
    (status = 404, body = ErrorBody, description = "`tls/not-served`: no active relay, nor the dashboard, is at this host"),
    (status = 429, body = ErrorBody, description = "`tls/rate-limited`: too many questions from this address; see `Retry-After`"),
))]
pub async fn allowed(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<AskLimiter>>,
    ClientIp(ip): ClientIp,
    ApiQuery(query): ApiQuery<AllowedQuery>,
) -> Result<Json<AllowedHost>, Response> {
    limiter
        .check(ip.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
        .map_err(rate_limited)?;
    let domain = query
        .domain
        .map(|d| d.trim().trim_end_matches('.').to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .ok_or_else(|| {
            ApiError::new(Code::TlsDomainMissing, "Say which host: ?domain=<host>.")
                .with_field("domain")
                .into_response()
        })?;
    let settings = &state.settings;
    let dashboard = settings.public_url.as_ref().and_then(|u| u.host_str());
    if dashboard.is_some_and(|host| host.eq_ignore_ascii_case(&domain)) {
        return Ok(Json(AllowedHost {
            domain,
            serves: "dashboard",
        }));
    }
    let label = domain
        .strip_suffix(settings.relay_domain.as_str())
        .and_then(|rest| rest.strip_suffix('.'))
        .filter(|label| could_be_subdomain(label));
    let active = match label {
        Some(label) => state
            .reader
            .read(|conn| relay_reads::is_active_subdomain(conn, label))
            .map_err(|e| ApiError::internal(e).into_response())?,
        None => false,
    };
    if !active {
        return Err(ApiError::new(
            Code::TlsNotServed,
            format!("No active relay is served at {domain}."),
        )
        .into_response());
    }
    Ok(Json(AllowedHost {
        domain,
        serves: "relay",
    }))
}

/// A cheap shape check that spares the database names no relay can have.
fn could_be_subdomain(label: &str) -> bool {
    (3..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn rate_limited(wait: Duration) -> Response {
    let secs = wait.as_secs().max(1);
    ApiError::new(
        Code::TlsRateLimited,
        format!("Too many questions from this address; try again in {secs} s."),
    )
    .with_retry_after(secs)
    .into_response()
}

/// A token bucket per client address.
pub struct AskLimiter(DefaultKeyedRateLimiter<IpAddr>);

impl AskLimiter {
    fn new() -> Self {
        Self(DefaultKeyedRateLimiter::keyed(
            Quota::per_second(PER_SECOND).allow_burst(BURST),
        ))
    }

    /// Counts one question from `ip`; `Err` with the time until the next is allowed.
    fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        if self.0.len() > MAX_TRACKED {
            self.0.retain_recent();
        }
        self.0
            .check_key(&ip)
            .map_err(|not_until| not_until.wait_time_from(self.0.clock().now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_a_relay_can_have_reach_the_database() {
        assert!(could_be_subdomain("my-relay"));
        assert!(!could_be_subdomain("ab"));
        assert!(!could_be_subdomain("a.b.c"));
        assert!(!could_be_subdomain("under_score"));
        assert!(!could_be_subdomain(&"a".repeat(64)));
    }

    #[test]
    fn each_address_has_its_own_burst() {
        let limiter = AskLimiter::new();
        let a: IpAddr = [192, 0, 2, 1].into();
        let b: IpAddr = [192, 0, 2, 2].into();
        for _ in 0..BURST.get() {
            assert!(limiter.check(a).is_ok());
        }
        let wait = limiter.check(a).unwrap_err();
        assert!(wait <= Duration::from_secs(1), "one token comes back soon");
        assert!(limiter.check(b).is_ok(), "another address is not held back");
    }
}
