//! The HTTP API under `/api`. The router's shape is the authorization policy:
//! `public` routes need nothing, every other route sits behind NIP-98 authentication,
//! and `admin` routes additionally behind the admin check. Per-resource ownership is
//! checked by the extractors in [`access`].

pub mod access;
pub mod backups;
pub mod extract;
pub mod guard;
pub mod identity;
pub mod invites;
pub mod invoice_actions;
pub mod invoices;
pub mod json;
pub mod livekit;
pub mod messages;
pub mod meta;
pub mod nodes;
pub mod plans;
pub mod platform;
pub mod provisioning;
pub mod refusals;
pub mod relays;
pub mod stats;
pub mod tenants;
pub mod tls;

use axum::Router;
use axum::http::Uri;
use axum::middleware::{from_fn, from_fn_with_state};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{authenticate, require_admin};
use crate::error::{ApiError, Code};
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Caravel", description = "Hosting control plane for Nostr community relays. Every route but health, readiness, plans, platform and this document needs a NIP-98 `Authorization: Nostr <base64 event>` header signed for the exact URL (with query), method and body."),
    modifiers(&Nip98Scheme),
    tags(
        (name = "meta"), (name = "plans"), (name = "identity"), (name = "tenants"), (name = "relays"), (name = "invoices"), (name = "provisioning"), (name = "messages"), (name = "livekit"),
    )
)]
struct ApiDoc;

struct Nip98Scheme;

impl Modify for Nip98Scheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = ApiKeyValue::with_description(
            "Authorization",
            "`Nostr <base64 kind-27235 event>` with `u` = exact URL, `method`, `payload` = sha256 of the raw body; fresh (±60 s) and used once.",
        );
        components.add_security_scheme("nip98", SecurityScheme::ApiKey(ApiKey::Header(scheme)));
    }
}

/// The `/api` router, with its OpenAPI document.
pub fn router(state: AppState) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let public = OpenApiRouter::new()
        .routes(routes!(meta::health))
        .routes(routes!(meta::ready))
        .routes(routes!(meta::openapi_json))
        .routes(routes!(plans::list))
        .routes(routes!(platform::get))
        .routes(routes!(livekit::webhook))
        .routes(routes!(invites::preview))
        .merge(tls::routes());

    let tenant = OpenApiRouter::new()
        .routes(routes!(identity::get))
        .routes(routes!(tenants::register))
        .routes(routes!(tenants::get))
        .routes(routes!(tenants::set_billing))
        .routes(routes!(relays::list, relays::create))
        .routes(routes!(relays::availability))
        .routes(routes!(relays::get, relays::update))
        .routes(routes!(relays::deactivate))
        .routes(routes!(relays::reactivate))
        .routes(routes!(relays::community::my_roles))
        .routes(routes!(relays::community::set_policies))
        .routes(routes!(relays::community::list_roles))
        .routes(routes!(
            relays::community::set_role,
            relays::community::remove_role
        ))
        .routes(routes!(
            relays::community::list_members,
            relays::community::add_member
        ))
        .routes(routes!(relays::community::remove_member))
        .routes(routes!(relays::invites::list, relays::invites::create))
        .routes(routes!(relays::invites::revoke))
        .routes(routes!(invites::join))
        .routes(routes!(relays::moderation::reports))
        .routes(routes!(relays::moderation::bans))
        .routes(routes!(relays::moderation::ban_pubkey))
        .routes(routes!(relays::moderation::unban_pubkey))
        .routes(routes!(relays::moderation::remove_event))
        .routes(routes!(relays::moderation::allow_event))
        .routes(routes!(relays::export::export))
        .routes(routes!(invoices::list))
        .routes(routes!(invoices::get))
        .routes(routes!(invoice_actions::check))
        .routes(routes!(livekit::issue_token));

    let admin = OpenApiRouter::new()
        .routes(routes!(tenants::list))
        .routes(routes!(tenants::deactivate))
        .routes(routes!(tenants::activate))
        .routes(routes!(provisioning::status))
        .routes(routes!(provisioning::force_sync))
        .routes(routes!(invoice_actions::mark_paid))
        .routes(routes!(invoice_actions::void))
        .routes(routes!(livekit::status))
        .routes(routes!(messages::list))
        .routes(routes!(stats::get))
        .routes(routes!(backups::list))
        .routes(routes!(nodes::list, nodes::add))
        .routes(routes!(nodes::change))
        .routes(routes!(nodes::move_relay))
        .route_layer(from_fn(require_admin));

    let private = tenant
        .merge(admin)
        .route_layer(from_fn_with_state(state, authenticate));

    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api", public.merge(private))
        .split_for_parts();
    refusals::document(&mut doc);
    let _ = meta::OPENAPI_JSON.set(doc.to_json().unwrap_or_default());
    let router = router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    (router, doc)
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::new(
        Code::RouteNotFound,
        format!("There is nothing at {}.", uri.path()),
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        Code::RouteMethodNotAllowed,
        "This route does not take that method.",
    )
}
