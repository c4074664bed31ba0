//! Public routes, the OpenAPI document, and answers for routes that do not exist.

use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn health_ready_and_plans_are_public() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.anonymous().health().await.body,
        json!({ "status": "ok" })
    );
    let ready = app.anonymous().ready().await;
    assert_eq!(ready.body["status"], "ready");
    assert_eq!(ready.body["checks"]["database"], "ok");
    assert_eq!(ready.body["checks"]["provisioner"], "ok");
    assert!(
        ["starting", "ok", "stalled"].contains(&ready.body["checks"]["billing"].as_str().unwrap()),
        "billing worker liveness is reported: {:?}",
        ready.body
    );
    let plans = app.anonymous().plans().await;
    assert_eq!(
        plans[0],
        json!({ "id": "free", "name": "Free", "price_sats": 0, "price_msat": 0, "max_members": 10, "blossom": false, "livekit": false, "available": true })
    );
    assert_eq!(plans[1]["price_msat"], 10_000_000);
    assert_eq!(
        (
            plans[1]["max_members"].as_i64(),
            plans[1]["blossom"].as_bool(),
            plans[1]["livekit"].as_bool()
        ),
        (Some(100), Some(true), Some(true))
    );
    assert_eq!(
        (
            plans[2]["id"].as_str(),
            plans[2]["price_sats"].as_i64(),
            plans[2]["max_members"].is_null()
        ),
        (Some("growth"), Some(50_000), true)
    );
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    app.db().close().await;
    let ready = app.anonymous().ready().await;
    assert_eq!(ready.status, 503);
    assert_eq!(ready.body["status"], "unavailable");
}

#[tokio::test]
async fn the_openapi_document_covers_every_route() {
    let app = TestApp::spawn().await;
    let doc = app.anonymous().openapi().await;
    assert_eq!(
        doc["openapi"].as_str().map(|v| v.starts_with("3.1")),
        Some(true)
    );
    let expected = [
        ("/api/health", "get"),
        ("/api/ready", "get"),
        ("/api/openapi.json", "get"),
        ("/api/plans", "get"),
        ("/api/identity", "get"),
        ("/api/tenants", "get"),
        ("/api/tenants", "post"),
        ("/api/tenants/{pubkey}", "get"),
        ("/api/tenants/{pubkey}/billing", "put"),
        ("/api/tenants/{pubkey}/deactivate", "post"),
        ("/api/tenants/{pubkey}/activate", "post"),
        ("/api/relays", "get"),
        ("/api/relays", "post"),
        ("/api/relays/availability", "get"),
        ("/api/relays/{id}", "get"),
        ("/api/relays/{id}", "put"),
        ("/api/relays/{id}/deactivate", "post"),
        ("/api/relays/{id}/reactivate", "post"),
        ("/api/invoices", "get"),
        ("/api/invoices/{id}", "get"),
        ("/api/provisioning", "get"),
        ("/api/relays/{id}/sync", "post"),
        ("/api/platform", "get"),
        ("/api/invoices/{id}/check", "post"),
        ("/api/invoices/{id}/mark-paid", "post"),
        ("/api/invoices/{id}/void", "post"),
        ("/api/livekit/token", "post"),
        ("/api/livekit/webhook", "post"),
        ("/api/livekit/status", "get"),
        ("/api/messages", "get"),
        ("/api/stats", "get"),
        ("/api/backups", "get"),
        ("/api/tls/allowed", "get"),
        ("/api/relays/{id}/policies", "put"),
        ("/api/relays/{id}/roles", "get"),
        ("/api/relays/{id}/roles/{pubkey}", "put"),
        ("/api/relays/{id}/roles/{pubkey}", "delete"),
        ("/api/relays/{id}/members", "get"),
        ("/api/relays/{id}/members", "post"),
        ("/api/relays/{id}/members/{pubkey}", "delete"),
        ("/api/relays/{id}/invites", "get"),
        ("/api/relays/{id}/invites", "post"),
        ("/api/relays/{id}/invites/{invite}", "delete"),
        ("/api/invites/{code}", "get"),
        ("/api/invites/{code}/join", "post"),
        ("/api/relays/{id}/reports", "get"),
        ("/api/relays/{id}/bans", "get"),
        ("/api/relays/{id}/bans/pubkeys", "post"),
        ("/api/relays/{id}/bans/pubkeys/{pubkey}", "delete"),
        ("/api/relays/{id}/bans/events", "post"),
        ("/api/relays/{id}/bans/events/{event}", "delete"),
        ("/api/relays/{id}/export", "get"),
        ("/api/relays/roles", "get"),
        ("/api/nodes", "get"),
        ("/api/nodes", "post"),
        ("/api/nodes/{id}", "patch"),
        ("/api/relays/{id}/move", "post"),
    ];
    for (path, method) in expected {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} is documented"
        );
    }
    let documented: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|p| p.as_object().unwrap().len())
        .sum();
    assert_eq!(
        documented,
        expected.len(),
        "no undocumented extras, no missing routes"
    );
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["components"]["securitySchemes"]["nip98"].is_object());
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_the_api_error_format() {
    let app = TestApp::spawn().await;
    let missing = app.anonymous().get("/api/nothing-here").await;
    assert_eq!((missing.status, missing.code()), (404, "route/not-found"));
    let wrong = app.raw("DELETE", "/api/plans", None, None).await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (405, "route/method-not-allowed")
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = TestApp::spawn().await;
    let keys = nostr_sdk::Keys::generate();
    let body = json!({ "name": "x", "subdomain": "big-body", "plan": "free", "description": "x".repeat(300 * 1024) });
    let reply = app.as_tenant(&keys).try_create_relay(body).await;
    assert_eq!((reply.status, reply.code()), (413, "request/too-large"));
}
