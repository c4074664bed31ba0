//! The dashboard is served at `/` from `WEB_DIR`, client routes fall back to its
//! `index.html`, and unknown `/api/*` paths still answer the JSON 404.

use crate::helpers::TestApp;

async fn get(app: &TestApp, path: &str) -> (u16, String, String) {
    let (status, headers, body) = get_with_headers(app, path).await;
    let kind = header(&headers, "content-type");
    (status, kind, body)
}

async fn get_with_headers(app: &TestApp, path: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let res = reqwest::get(format!("{}{path}", app.base)).await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.text().await.unwrap())
}

fn header(headers: &reqwest::header::HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

fn built_dashboard() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<html>dashboard shell</html>",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("_app/immutable")).unwrap();
    std::fs::write(dir.path().join("_app/start.js"), "console.log('hi')").unwrap();
    std::fs::write(dir.path().join("_app/immutable/app.abc123.js"), "1").unwrap();
    dir
}

#[tokio::test]
async fn serves_the_built_app_with_an_index_fallback_for_client_routes() {
    let web = built_dashboard();
    let app = TestApp::spawn_with(&[("WEB_DIR", &web.path().display().to_string())]).await;

    let (status, kind, body) = get(&app, "/").await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(body.contains("dashboard shell"));

    let (status, kind, body) = get(&app, "/_app/start.js").await;
    assert_eq!(status, 200);
    assert!(kind.contains("javascript"), "{kind}");
    assert_eq!(body, "console.log('hi')");

    let (status, headers, _) = get_with_headers(&app, "/_app/immutable/app.abc123.js").await;
    assert_eq!(status, 200);
    assert!(header(&headers, "cache-control").contains("immutable"));
    let (_, headers, _) = get_with_headers(&app, "/relays").await;
    assert_eq!(header(&headers, "cache-control"), "no-cache");

    for route in ["/relays", "/relays/abc/edit", "/admin/tenants/npub1xyz"] {
        let (status, _, body) = get(&app, route).await;
        assert_eq!(status, 200, "{route}");
        assert!(body.contains("dashboard shell"), "{route}");
    }
}

#[tokio::test]
async fn unknown_api_paths_keep_the_json_not_found() {
    let web = built_dashboard();
    let app = TestApp::spawn_with(&[("WEB_DIR", &web.path().display().to_string())]).await;
    for path in ["/api/nope", "/api", "/api/relays/x/unknown-action"] {
        let r = app.anonymous().get(path).await;
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.code(), "route/not-found", "{path}");
    }
    let r = app.anonymous().get("/api/plans").await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn without_a_build_the_root_says_the_dashboard_is_not_built() {
    let empty = tempfile::tempdir().unwrap();
    let app = TestApp::spawn_with(&[("WEB_DIR", &empty.path().display().to_string())]).await;
    let (status, kind, body) = get(&app, "/").await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(body.contains("not built"));
    let r = app.anonymous().get("/api/nope").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.code(), "route/not-found");
}
