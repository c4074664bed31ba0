//! A database that runs out of room: writes fail while it is full, the service says it is not
//! ready, and once there is room again the next write succeeds without a restart.

mod common;

use common::TestApp;
use nostr_sdk::Keys;
use serde_json::json;

/// Caps every pooled connection's database at `pages` pages (SQLite's `max_page_count`), as a
/// full disk would. Connections opened later have no cap.
async fn cap_pages(app: &TestApp, pages: i64) {
    let mut conns = Vec::new();
    for _ in 0..8 {
        conns.push(app.db().acquire().await.unwrap());
    }
    for conn in &mut conns {
        sqlx::query(&format!("PRAGMA max_page_count = {pages}"))
            .execute(&mut **conn)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn after_the_disk_fills_and_frees_writes_succeed_again_and_ready_tells_the_truth() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let user = app.as_user(&keys);
    assert_eq!(user.post_empty("/api/tenants").await.status, 201);
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(app.db())
        .await
        .unwrap();
    cap_pages(&app, pages).await;

    let mut failed = false;
    for i in 0..200 {
        let name = "x".repeat(60);
        let reply = user
            .post(
                "/api/relays",
                json!({ "name": name, "subdomain": format!("full{i}"), "plan": "free" }),
            )
            .await;
        if reply.status == 500 {
            failed = true;
            break;
        }
    }
    assert!(failed, "the capped database never filled");
    let ready = app.anonymous().get("/api/ready").await;
    assert_eq!(ready.status, 503, "{:?}", ready.body);

    cap_pages(&app, 1_000_000).await;
    let reply = user
        .post(
            "/api/relays",
            json!({ "name": "After", "subdomain": "after-full", "plan": "free" }),
        )
        .await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    let ready = app.anonymous().get("/api/ready").await;
    assert_eq!(ready.body["checks"]["database"], "ok", "{:?}", ready.body);
}
