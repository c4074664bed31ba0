//! The accept loop: hyper's HTTP/1 server with the limits of [`HttpLimits`], so slow, idle or
//! numerous clients cannot hold the server's sockets. axum's own `serve` sets no timeouts.
//! Heads hyper cannot parse get the API's JSON error too (see [`parse_refusals`]).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tower::Service;

use crate::config::HttpLimits;

mod parse_refusals;

use parse_refusals::JsonParseRefusals;

/// File descriptors kept free for the database, outgoing connections and files.
const RESERVED_FILES: u64 = 256;

/// Raises the soft open-file limit to the hard one (each connection holds a descriptor) and
/// returns how many connections fit under it: `wanted`, or fewer when the limit is lower.
pub fn fit_open_files(wanted: usize) -> usize {
    let limit = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(e) => {
            tracing::warn!(error = %e, "could not read or raise the open-file limit");
            return wanted;
        }
    };
    let room = limit.saturating_sub(RESERVED_FILES).max(16);
    if (wanted as u64) > room {
        tracing::warn!(
            open_files = limit,
            connections = room,
            "HTTP_MAX_CONNECTIONS is more than the open-file limit allows; serving at most {room} connections (raise `ulimit -n` to serve more)"
        );
        room as usize
    } else {
        wanted
    }
}

/// Serves `router` on `listener` until `stop` turns true, then lets requests in flight finish.
///
/// Each connection waits at most `header_timeout` for a request's headers, which also closes a
/// keep-alive connection idle that long. Past `max_connections`, a new connection is closed at
/// once: the listener keeps accepting, so the server keeps answering others as slots free up.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: &HttpLimits,
    max_connections: usize,
    mut stop: watch::Receiver<bool>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let slots = Arc::new(Semaphore::new(max_connections));
    let graceful = GracefulShutdown::new();
    let refused = AtomicU64::new(0);
    // Connection info gives the LiveKit token endpoint the client's IP for rate limits.
    let mut make = router.into_make_service_with_connect_info::<SocketAddr>();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of descriptors or a connection reset before accept: pause briefly
                    // rather than spin, then go on accepting.
                    tracing::error!(error = %e, "accept error");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stopped(&mut stop) => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            let n = refused.fetch_add(1, Ordering::Relaxed);
            if n.is_multiple_of(1000) {
                tracing::warn!(
                    %peer,
                    max_connections,
                    refused = n + 1,
                    "connection limit reached; closing new connections"
                );
            }
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = match make.call(peer).await {
            Ok(service) => service,
            Err(never) => match never {},
        };
        let io = TokioIo::new(JsonParseRefusals::new(stream));
        let conn = http.serve_connection(io, TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}
