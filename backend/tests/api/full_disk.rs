//! A database that runs out of room: writes fail while it is full, the service says it is not
//! ready, and once there is room again the next write succeeds without a restart.

use crate::helpers::TestApp;
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
    let user = app.as_tenant(&keys);
    assert_eq!(user.post_empty("/api/tenants").await.status, 201);
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(app.db())
        .await
        .unwrap();

    // The cap is per connection, and the pool replaces a connection that a failed write left
    // broken (by a request or a background worker) with a fresh, uncapped one; so every pooled
    // connection is capped again before each write, as a disk that stays full would be.
    let mut failed = false;
    for i in 0..200 {
        cap_pages(&app, pages).await;
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
    // Still full: readiness says the database does not take writes.
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(app.db())
        .await
        .unwrap();
    cap_pages(&app, pages).await;
    let ready = app.anonymous().get("/api/ready").await;
    assert_eq!(ready.status, 503, "{:?}", ready.body);
    assert_eq!(
        ready.body["checks"]["database"], "unwritable",
        "{:?}",
        ready.body
    );

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

#[tokio::test]
async fn an_emptied_database_beside_the_platforms_keys_is_refused_at_start() {
    let app = TestApp::spawn().await;
    let dir = app.dir.path().to_path_buf();
    assert!(dir.join("platform.key").exists());
    let app_dir = app.dir;
    app.server.stop().await.unwrap();
    for f in ["caravel.db-wal", "caravel.db-shm"] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    std::fs::write(dir.join("caravel.db"), b"").unwrap();
    let url = format!("sqlite://{}/caravel.db", dir.display());
    let data_dir = dir.display().to_string();
    let settings = caravel::config::Settings::from_lookup(|k| match k {
        "DATA_DIR" => Some(data_dir.clone()),
        "DATABASE_URL" => Some(url.clone()),
        "PORT" => Some("0".into()),
        _ => None,
    })
    .unwrap();
    let err = caravel::Server::start(settings)
        .await
        .err()
        .expect("start-up refuses");
    let message = format!("{err:#}");
    assert!(
        message.contains("Restore the database from a backup"),
        "{message}"
    );
    drop(app_dir);
}

#[cfg(unix)]
#[tokio::test]
async fn zooid_config_files_are_for_the_owner_only_and_stale_staging_files_go() {
    use std::os::unix::fs::PermissionsExt;
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let user = app.as_tenant(&keys);
    assert_eq!(user.post_empty("/api/tenants").await.status, 201);
    let relay = user.create_relay("private", "free").await;
    let id = relay.id.clone();
    let dir = app.dir.path().join("zooid");
    let file = dir.join(format!("{id}.toml"));
    crate::helpers::eventually(10, "the relay's config file", || async {
        file.exists().then_some(())
    })
    .await;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(&dir), 0o700);
    let staging = app.dir.path().join(".zooid-staging");
    std::fs::write(staging.join("left.1234.tmp"), b"secret").unwrap();
    let app = app.restart().await;
    assert!(!staging.join("left.1234.tmp").exists());
    drop(app);
}
