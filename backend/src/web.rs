//! Serves the dashboard: the single-page app built into `WEB_DIR` at `/`, with `index.html`
//! answering every client route, while unknown `/api/*` paths keep their JSON 404.

use std::convert::Infallible;
use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::{ApiError, Code};

const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Caravel</title></head>\
<body><h1>Caravel</h1><p>The dashboard is not built. Run <code>just run</code> (or \
<code>npm ci &amp;&amp; npm run build</code> in <code>frontend/</code>), or point <code>WEB_DIR</code> at a built copy. \
The API is served under <a href=\"/api/openapi.json\">/api</a>.</p></body></html>";

/// `router` with the dashboard in `dir` as its fallback for every path outside `/api`.
pub fn with_dashboard<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    dir: &Path,
) -> Router<S> {
    let index = dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(dir = %dir.display(), "the dashboard is not built; `/` explains how to build it");
        return router.fallback(|req: Request<Body>| async move {
            match api_path(req.uri().path()) {
                true => api_not_found(req.uri().path()),
                false => (StatusCode::OK, Html(NOT_BUILT)).into_response(),
            }
        });
    }
    let files = ServeDir::new(dir)
        .append_index_html_on_directories(true)
        .fallback(ServeFile::new(index));
    let files = tower::ServiceBuilder::new()
        .layer(CompressionLayer::new())
        .service(files);
    router.fallback_service(tower::service_fn(move |req: Request<Body>| {
        let files = files.clone();
        async move {
            let path = req.uri().path().to_owned();
            if api_path(&path) {
                return Ok::<_, Infallible>(api_not_found(&path));
            }
            let mut res = match files.oneshot(req).await {
                Ok(res) => res.map(Body::new),
                Err(never) => match never {},
            };
            // Built assets have content hashes in their names: cache them for good. Everything
            // else (index.html for every client route) is revalidated so a deploy shows at once.
            let cache = if path.starts_with("/_app/immutable/") && res.status().is_success() {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            Ok(res)
        }
    }))
}

/// Paths the dashboard never answers: the API's, and `/metrics`, which is served only on
/// `METRICS_ADDR` (a scraper pointed at the public port gets a 404, not the app's page).
fn api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path == "/metrics"
}

fn api_not_found(path: &str) -> Response {
    ApiError::new(Code::RouteNotFound, format!("There is nothing at {path}.")).into_response()
}
