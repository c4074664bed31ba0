//! The routing table: relay host → the address of the node serving it, held in memory so a
//! lookup is answered at once (the proxy waits on it). Rebuilt in full from the database at
//! start-up, whenever the relays' routes may have changed, and every 30 s as a backstop.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::RwLock;
use sqlx::SqlitePool;
use tokio::sync::watch;

use crate::db;
use crate::provision::Provisioner;

/// How often the table is rebuilt when nothing asked for it.
const BACKSTOP: Duration = Duration::from_secs(30);

#[derive(Default)]
pub struct Routes {
    table: RwLock<Arc<HashMap<String, IpAddr>>>,
    /// How many times the table was rebuilt (tests wait on it).
    builds: std::sync::atomic::AtomicU64,
}

impl Routes {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// The node address serving `host` (lower-case, no trailing dot).
    pub fn lookup(&self, host: &str) -> Option<IpAddr> {
        self.table.read().get(host).copied()
    }

    pub fn len(&self) -> usize {
        self.table.read().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn builds(&self) -> u64 {
        self.builds.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Reads every relay's route and swaps the table in one step.
    pub async fn rebuild(&self, db: &SqlitePool, relay_domain: &str) -> sqlx::Result<usize> {
        let rows = db::relay_moves::routes(db).await?;
        let domain = relay_domain.to_ascii_lowercase();
        let mut table = HashMap::with_capacity(rows.len());
        for (subdomain, upstream) in rows {
            if let Some(ip) = upstream_ip(&upstream) {
                table.insert(format!("{subdomain}.{domain}"), ip);
            }
        }
        let n = table.len();
        *self.table.write() = Arc::new(table);
        self.builds
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }

    /// Keeps the table in step until `shutdown`.
    pub async fn keep(
        self: Arc<Self>,
        db: SqlitePool,
        relay_domain: String,
        handle: Arc<Provisioner>,
        mut shutdown: watch::Receiver<bool>,
    ) {
        loop {
            let started = Instant::now();
            match self.rebuild(&db, &relay_domain).await {
                Ok(n) => tracing::debug!(
                    routes = n,
                    took_ms = started.elapsed().as_millis() as u64,
                    "routing table rebuilt"
                ),
                Err(e) => {
                    tracing::error!(error = %e, "rebuilding the routing table failed; the previous one stays")
                }
            }
            tokio::select! {
                _ = handle.rerouted() => {}
                _ = tokio::time::sleep(BACKSTOP) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                break;
            }
        }
    }
}

/// The address part of a node's `ip:port` upstream.
pub fn upstream_ip(upstream: &str) -> Option<IpAddr> {
    upstream
        .parse::<std::net::SocketAddr>()
        .map(|a| a.ip())
        .ok()
}
