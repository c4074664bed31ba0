//! Building the application from settings and serving it.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, header};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

use crate::auth::MAX_BODY_BYTES;
use crate::config::Settings;
use crate::state::AppState;
use crate::vault::Vault;
use crate::{api, db};

/// The whole application for `state`: API, middleware, fallbacks.
pub fn app(state: AppState) -> Router {
    let (api, _doc) = api::router(state.clone());
    api.layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors(&state.settings.allow_origins))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("x-requested-with"),
        ])
        .max_age(Duration::from_secs(600))
}

/// A running server: where it listens, and how to stop it.
pub struct Server {
    pub addr: SocketAddr,
    pub public_url: String,
    pub state: AppState,
    shutdown: watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl Server {
    /// Opens the database, binds `HOST:PORT` (0 picks a free port) and serves in the background.
    pub async fn start(settings: Settings) -> anyhow::Result<Self> {
        let db = db::connect(&settings.database_url).await?;
        let vault = Vault::open(
            settings.platform_key.as_ref().map(|k| k.expose()),
            &settings.data_dir,
        )?;
        let listener = TcpListener::bind((settings.host.as_str(), settings.port))
            .await
            .with_context(|| {
                format!(
                    "binding {}:{} (is another process using the port? set PORT)",
                    settings.host, settings.port
                )
            })?;
        let addr = listener.local_addr()?;
        let public_url = match &settings.public_url {
            Some(url) => url.as_str().trim_end_matches('/').to_string(),
            None => format!("http://{addr}"),
        };
        let (billing, robot) = crate::billing::worker::identity(&settings)?;
        let state = AppState::new(settings, db, vault, public_url.clone(), billing, robot);
        let router = app(state.clone());
        let (shutdown, mut stop) = watch::channel(false);
        let workers = crate::billing::worker::start(&state, &shutdown);
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|s| *s).await;
                })
                .await
        });
        tracing::info!(%addr, %public_url, "caravel is serving");
        Ok(Self {
            addr,
            public_url,
            state,
            shutdown,
            task,
            workers,
        })
    }

    /// Stops accepting connections, lets requests in flight finish, closes the database.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        self.task.await.context("server task")?.context("serving")?;
        for worker in self.workers {
            let _ = worker.await;
        }
        self.state.robot.shutdown().await;
        self.state.billing.reset_operator().await;
        self.state.db.close().await;
        Ok(())
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
