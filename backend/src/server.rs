//! Building the application from settings and serving it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::api::guard;
use crate::billing::{self, Billing, Clock};
use crate::config::{ExposeSecret, Settings};
use crate::livekit::{self, Livekit};
use crate::provision::{self, Provisioner, fleet::Fleet, moves::Moves, probes::Probes};
use crate::robot::{self, Robot};
use crate::routing::{self, Routes, caddy::CaddyRoute};
use crate::state::AppState;
use crate::telemetry::exporter;
use crate::vault::Vault;
use crate::{api, db, lifecycle, web};

/// The whole application for `state`: API, middleware, fallbacks.
pub fn app(state: AppState) -> Router {
    let (api, _doc) = api::router(state.clone());
    let limits = &state.settings.http;
    let mut router = web::with_dashboard(api, &state.settings.web_dir);
    if state.settings.metrics_addr.is_some() {
        router = router.layer(axum::middleware::from_fn(exporter::track_http));
    }
    router
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .layer(guard::Guard {
            max_body: limits.max_body_bytes,
        })
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
    /// Where `/metrics` is served (`METRICS_ADDR`), if anywhere.
    pub metrics_addr: Option<SocketAddr>,
    /// Where the proxy's relay host lookups are answered (`ROUTING_DNS_ADDR`), if anywhere.
    pub dns_addr: Option<SocketAddr>,
    /// Which node serves each relay host.
    pub routes: Arc<Routes>,
    /// The keeper of Caddy's relay route (`CADDY_ADMIN_URL`), if Caddy is managed.
    pub caddy_route: Option<Arc<CaddyRoute>>,
    pub public_url: String,
    pub state: AppState,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    /// Held while serving, so `caravel restore` refuses to swap the database underneath.
    _lock: db::backup::DatabaseLock,
}

impl Server {
    /// Opens the database, binds `HOST:PORT` (0 picks a free port), starts the workers
    /// and serves in the background.
    pub async fn start(settings: Settings) -> anyhow::Result<Self> {
        // reqwest is built without a default TLS provider; ring is the only one in the tree.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let settings = Arc::new(settings);
        db::refuse_lost_database(&settings.database_url, &settings.data_dir)?;
        let db_path = db::backup::database_path(&settings.database_url)?;
        let lock = db::backup::DatabaseLock::acquire(&db_path)?;
        let db = db::connect(&settings.database_url).await?;
        let reader = db::Reader::open(&settings.database_url)?;
        let key = settings.platform_key_bytes();
        let vault = Vault::open(key.as_ref().map(|k| k.expose_secret()), &settings.data_dir)?;
        {
            let mut tx = db::begin_write(&db).await?;
            lifecycle::node::bootstrap(&mut tx, &settings, crate::clock::unix_now())
                .await
                .map_err(|e| anyhow::anyhow!("defining the settings' zooid node: {e}"))?;
            tx.commit().await?;
        }
        if let Some(keys) = settings.zooid.api_keys() {
            // Nodes whitelist this pubkey in zooid's API_WHITELIST.
            tracing::info!(pubkey = %keys.public_key().to_hex(), "zooid API key");
        }
        let fleet = Arc::new(Fleet::new(settings.clone(), vault.clone())?);
        let max_connections = crate::listen::fit_open_files(settings.http.max_connections);
        let (host, port) = (settings.host.as_str(), settings.port);
        let listener = TcpListener::bind((host, port)).await.with_context(|| {
            format!("binding {host}:{port} (is another process using the port? set PORT)")
        })?;
        let addr = listener.local_addr()?;
        let public_url = match &settings.public_url {
            Some(url) => url.as_str().trim_end_matches('/').to_string(),
            None => format!("http://{addr}"),
        };
        let robot = robot_identity(&settings)?;
        let life = lifecycle::Ctx::new(&settings, Clock::default(), &public_url);
        let billing = Billing::new(db.clone(), vault.clone(), settings.clone(), life);
        let provisioner = Provisioner::new();
        let livekit = Livekit::new(&settings)?;
        let state = AppState::new(
            settings.clone(),
            db.clone(),
            reader,
            vault.clone(),
            public_url.clone(),
            provisioner.clone(),
            billing,
            robot,
            livekit.clone(),
        );
        let (shutdown, stop) = watch::channel(false);
        let metrics = match settings.metrics_addr {
            Some(addr) => Some(exporter::serve(addr, db.clone(), stop.clone()).await?),
            None => None,
        };

        let watcher = livekit::watcher::Watcher {
            db: db.clone(),
            vault: vault.clone(),
            settings: settings.clone(),
            livekit,
        };
        let watcher = tokio::spawn(watcher.run(stop.clone()));
        let members = crate::community::watcher::Watcher {
            db: db.clone(),
            vault: vault.clone(),
            settings: settings.clone(),
            counter: state.counter(),
        };
        let members = tokio::spawn(members.run(stop.clone()));
        let claims = crate::community::claims::Claims {
            db: db.clone(),
            vault: vault.clone(),
            settings: settings.clone(),
            handle: provisioner.clone(),
        };
        let claims = tokio::spawn(claims.run(stop.clone()));
        let upkeep = provision::upkeep::run(
            Probes {
                db: db.clone(),
                fleet: fleet.clone(),
                handle: provisioner.clone(),
                probe_max: settings.fleet.probe_max,
            },
            Moves {
                db: db.clone(),
                vault: vault.clone(),
                settings: settings.clone(),
                fleet: fleet.clone(),
                handle: provisioner.clone(),
            },
            stop.clone(),
        );
        let routes = Routes::new();
        let keep_routes = routes.clone().keep(
            db.clone(),
            settings.relay_domain.clone(),
            provisioner.clone(),
            stop.clone(),
        );
        let worker = provision::worker::Worker {
            db,
            vault,
            settings: settings.clone(),
            fleet,
            handle: provisioner,
        };
        let mut tasks = vec![
            tokio::spawn(worker.run(stop.clone())),
            tokio::spawn(upkeep),
            tokio::spawn(keep_routes),
            watcher,
            members,
            claims,
        ];
        let dns_addr = match settings.fleet.dns_addr {
            Some(addr) => {
                let (bound, task) = routing::dns::serve(addr, routes.clone(), stop.clone()).await?;
                tasks.push(task);
                tracing::info!(%bound, "answering the proxy's relay host lookups");
                Some(bound)
            }
            None => None,
        };
        let caddy_route = match (
            &settings.fleet.caddy_admin,
            settings.fleet.caddy_dns.or(dns_addr),
        ) {
            (Some(admin), Some(dns)) => {
                let route = routing::caddy::relay_route(&settings.relay_domain, dns);
                let keeper = CaddyRoute::new(admin, &settings.fleet.caddy_server, route)?;
                tasks.push(tokio::spawn(keeper.clone().keep(stop.clone())));
                Some(keeper)
            }
            _ => None,
        };
        let metrics_addr = metrics.map(|(addr, task)| {
            tasks.push(task);
            addr
        });
        tasks.extend(start_robot(&state, &stop));
        if let Some(interval) = state.settings.backup.interval {
            let schedule = db::backup::Schedule {
                db: db_path,
                dir: state.settings.backup.dir.clone(),
                interval,
                keep: state.settings.backup.keep as usize,
            };
            tasks.push(tokio::spawn(schedule.run(stop.clone())));
        }
        tasks.push(tokio::spawn(billing::worker::run(
            state.billing.clone(),
            stop.clone(),
        )));
        let router = app(state.clone());
        let limits = state.settings.http.clone();
        let serve = tokio::spawn(async move {
            crate::listen::serve(listener, router, &limits, max_connections, stop).await;
        });
        tasks.push(serve);
        tracing::info!(%addr, %public_url, zooid = %state.provisioner.target(), "caravel is serving");
        Ok(Self {
            addr,
            metrics_addr,
            dns_addr,
            routes,
            caddy_route,
            public_url,
            state,
            shutdown,
            tasks,
            _lock: lock,
        })
    }

    /// Stops accepting connections and work, lets requests in flight finish, releases
    /// the worker's leases, closes the database.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            task.await.context("joining a server task")?;
        }
        self.state.robot.shutdown().await;
        self.state.billing.reset_operator().await;
        self.state.db.close().await;
        Ok(())
    }

    /// Stops everything at once, as a crash would: nothing is released or finished in the
    /// database; only the process's connections close, as they do when a process dies.
    pub async fn abort(self) {
        for task in &self.tasks {
            task.abort();
        }
        for task in self.tasks {
            let _ = task.await;
        }
        self.state.robot.shutdown().await;
        self.state.billing.reset_operator().await;
        self.state.db.close().await;
    }
}

/// The platform's identity (the robot key is created in DATA_DIR on first start when
/// ROBOT_SECRET is unset).
fn robot_identity(settings: &Settings) -> anyhow::Result<Robot> {
    use nostr_sdk::ToBech32;
    let keys = robot::load_keys(settings.robot.secret_key().as_ref(), &settings.data_dir)?;
    let npub = keys.public_key().to_bech32().unwrap_or_default();
    tracing::info!(%npub, "the platform's Nostr identity");
    Ok(Robot::new(keys, settings.robot.clone()))
}

/// The robot's profile publisher (once) and its message worker.
fn start_robot(state: &AppState, stop: &watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
    let tick = Duration::from_secs(u64::from(state.settings.worker_tick_secs));
    let profile = {
        let (robot, db) = (state.robot.clone(), state.db.clone());
        tokio::spawn(async move {
            match robot::profile::publish_if_changed(&robot, &db).await {
                Ok(n) if n > 0 => {
                    tracing::info!(events = n, "published the robot's profile and relay lists")
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = format!("{e:#}"), "publishing the robot's profile")
                }
            }
            robot.profile_pass_done();
        })
    };
    let messages = tokio::spawn(robot::worker::run(
        state.robot.clone(),
        state.db.clone(),
        state.billing.outbox_wake.clone(),
        tick,
        stop.clone(),
    ));
    vec![profile, messages]
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
