//! The Prometheus exporter: the process-wide recorder, the `/metrics` listener on
//! `METRICS_ADDR` (never the public port), and the HTTP layer that times every request by
//! its route template.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sqlx::SqlitePool;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::metrics;
use crate::db;
use crate::domain::status::{InvoiceStatus, MessageState};

/// Latency buckets (seconds) for every `_seconds` histogram: 1 ms to 30 s.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Installs the recorder once per process and returns its handle. Later servers in the
/// same process (tests) share it.
pub fn install() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new();
            let builder = builder
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
                .unwrap_or_else(|_| PrometheusBuilder::new());
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            if let Err(e) = ::metrics::set_global_recorder(recorder) {
                tracing::warn!(error = %e, "another metrics recorder is installed; /metrics will be empty");
            }
            metrics::describe();
            handle
        })
        .clone()
}

#[derive(Clone)]
struct Scrape {
    handle: PrometheusHandle,
    db: SqlitePool,
}

/// Binds `addr` and serves `GET /metrics` until `stop`; returns the bound address.
pub async fn serve(
    addr: SocketAddr,
    db: SqlitePool,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<(SocketAddr, JoinHandle<()>)> {
    let handle = install();
    let listener = TcpListener::bind(addr).await.with_context(|| {
        format!("binding METRICS_ADDR {addr} (is another process using the port?)")
    })?;
    let bound = listener.local_addr()?;
    let router = Router::new()
        .route("/metrics", get(scrape))
        .with_state(Scrape {
            handle: handle.clone(),
            db,
        });
    let task = tokio::spawn(async move {
        // Histograms are drained into their buckets here as well as at each scrape, so
        // memory stays bounded when nobody scrapes.
        let upkeep = async {
            loop {
                tokio::time::sleep(Duration::from_secs(5)).await;
                handle.run_upkeep();
            }
        };
        let graceful = async move {
            let _ = stop.wait_for(|s| *s).await;
        };
        tokio::select! {
            served = axum::serve(listener, router).with_graceful_shutdown(graceful) => {
                if let Err(e) = served {
                    tracing::error!(error = %e, "the metrics listener failed");
                }
            }
            _ = upkeep => {}
        }
    });
    tracing::info!(addr = %bound, "metrics are served at /metrics");
    Ok((bound, task))
}

/// Reads the backlogs from the database, then renders every metric.
async fn scrape(State(s): State<Scrape>) -> Response {
    if let Err(e) = read_backlogs(&s.db).await {
        tracing::warn!(error = %e, "metrics: reading backlogs failed; serving the last values");
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        s.handle.render(),
    )
        .into_response()
}

async fn read_backlogs(db: &SqlitePool) -> sqlx::Result<()> {
    let relays = db::relay_sync::backlog(db).await?;
    metrics::provisioning_backlog(relays.behind, relays.failing);
    for &status in InvoiceStatus::ALL {
        let filter = db::invoices::Filter {
            tenant: None,
            status: Some(status),
            relay: None,
            limit: 0,
            offset: 0,
        };
        metrics::invoices(status.as_str(), db::invoices::count(db, &filter).await?);
    }
    let messages = |state| db::outbox::Filter {
        recipient: None,
        state: Some(state),
        limit: 0,
        offset: 0,
    };
    let pending = db::outbox::count(db, &messages(MessageState::Pending)).await?;
    let failing = db::outbox::count(db, &messages(MessageState::Failing)).await?;
    metrics::outbox_backlog(pending, failing);
    Ok(())
}

/// Times a request and counts it by method, route template and status class. Mounted with
/// `Router::layer`, so it runs after routing and sees the matched template; requests no
/// route matched (the dashboard's files, unknown paths) count as `fallback`.
pub async fn track_http(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let method = req.method().clone();
    let response = next.run(req).await;
    let route = route.as_ref().map_or("fallback", MatchedPath::as_str);
    metrics::http_request(
        method.as_str(),
        route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}
