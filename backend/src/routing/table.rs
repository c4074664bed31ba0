//! The routing table: relay host → the node serving it and that node's upstream address,
//! held in memory so a lookup is answered at once (the proxy waits on it). Rebuilt in full
//! from the database at start-up, whenever the relays' routes may have changed, and every
//! 30 s as a backstop.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::RwLock;
use sqlx::SqlitePool;
use tokio::sync::watch;

use crate::db;
use crate::provision::Provisioner;

/// How often the table is rebuilt when nothing asked for it.
const BACKSTOP: Duration = Duration::from_secs(30);

/// The zone node names are answered in: `<node>.nodes.internal` (`.internal` is reserved for
/// private use, so it never clashes with a public name).
pub const NODE_ZONE: &str = "nodes.internal";

/// Where one host's traffic goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub node: Arc<str>,
    pub upstream: SocketAddr,
}

#[derive(Default)]
struct Table {
    hosts: HashMap<String, Route>,
    /// `<node>.nodes.internal` → the node's upstream.
    nodes: HashMap<String, SocketAddr>,
}

#[derive(Default)]
pub struct Routes {
    table: RwLock<Arc<Table>>,
}

impl Routes {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Where `host` (lower-case, no trailing dot) is served.
    pub fn lookup(&self, host: &str) -> Option<Route> {
        self.table.read().hosts.get(host).cloned()
    }

    /// The upstream of the node named `<node>.nodes.internal`.
    pub fn node(&self, name: &str) -> Option<SocketAddr> {
        self.table.read().nodes.get(name).copied()
    }

    pub fn len(&self) -> usize {
        self.table.read().hosts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads every relay's route and swaps the table in one step.
    pub async fn rebuild(&self, db: &SqlitePool, relay_domain: &str) -> sqlx::Result<usize> {
        let rows = db::relay_moves::routes(db).await?;
        let domain = relay_domain.to_ascii_lowercase();
        let mut table = Table {
            hosts: HashMap::with_capacity(rows.len()),
            nodes: HashMap::new(),
        };
        let mut names: HashMap<String, Arc<str>> = HashMap::new();
        for (subdomain, node, upstream) in rows {
            let Ok(upstream) = upstream.parse::<SocketAddr>() else {
                continue;
            };
            let node = names
                .entry(node)
                .or_insert_with_key(|n| n.as_str().into())
                .clone();
            table.nodes.insert(node_name(&node), upstream);
            table
                .hosts
                .insert(format!("{subdomain}.{domain}"), Route { node, upstream });
        }
        let n = table.hosts.len();
        *self.table.write() = Arc::new(table);
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

/// `<node>.nodes.internal`
pub fn node_name(node: &str) -> String {
    format!("{node}.{NODE_ZONE}")
}
