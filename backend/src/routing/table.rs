//! The routing table: relay host → the node serving it and that node's upstream address,
//! held in memory so a lookup is answered at once (the proxy waits on it). Rebuilt in full
//! from the database at start-up, whenever the relays' routes may have changed, and every
//! 30 s as a backstop.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
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

/// Each relay's subdomain and the index of its node: a route costs its subdomain and two
/// bytes, so 200,000 relays fit in a few megabytes.
#[derive(Default)]
struct Table {
    /// `.<RELAY_DOMAIN>`, lower-case: what every relay host ends with.
    suffix: String,
    hosts: HashMap<Box<str>, u16>,
    /// The nodes relays are on, by index.
    nodes: Vec<(Arc<str>, SocketAddr)>,
    /// `<node>.nodes.internal` → the node's upstream.
    names: HashMap<String, SocketAddr>,
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
        let table = self.table.read();
        let subdomain = host.strip_suffix(table.suffix.as_str())?;
        let (node, upstream) = table.nodes.get(usize::from(*table.hosts.get(subdomain)?))?;
        Some(Route {
            node: node.clone(),
            upstream: *upstream,
        })
    }

    /// The upstream of the node named `<node>.nodes.internal`.
    pub fn node(&self, name: &str) -> Option<SocketAddr> {
        self.table.read().names.get(name).copied()
    }

    pub fn len(&self) -> usize {
        self.table.read().hosts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads every relay's route and swaps the table in one step. The rows are streamed, so
    /// the only copy besides the table in use is the one being built.
    pub async fn rebuild(&self, db: &SqlitePool, relay_domain: &str) -> sqlx::Result<usize> {
        let mut table = Table {
            suffix: format!(".{}", relay_domain.to_ascii_lowercase()),
            hosts: HashMap::with_capacity(self.len()),
            ..Table::default()
        };
        let mut index: HashMap<String, u16> = HashMap::new();
        for node in db::zooid_nodes::all(db).await? {
            let Ok(upstream) = node.upstream.parse::<SocketAddr>() else {
                continue;
            };
            let Ok(i) = u16::try_from(table.nodes.len()) else {
                break;
            };
            table.names.insert(node_name(&node.id), upstream);
            table.nodes.push((node.id.as_str().into(), upstream));
            index.insert(node.id, i);
        }
        let mut rows = db::relay_moves::routes(db);
        while let Some((subdomain, node)) = rows.try_next().await? {
            if let Some(i) = index.get(&node) {
                table.hosts.insert(subdomain.into_boxed_str(), *i);
            }
        }
        table.hosts.shrink_to_fit();
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
