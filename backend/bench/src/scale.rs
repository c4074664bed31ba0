//! `just bench scale`: how the platform's costs grow with its size. For 1,000, 10,000 and
//! 100,000 tenants with two relays each: bringing every relay into sync over 5 zooid node
//! stand-ins (10 ms per request), the release binary's start-up time and idle memory on that
//! database, and the admin's relay list and search at 64 connections (p99). The billing pass
//! at the same sizes is `caravel-bench-billing <tenants>` (the justfile runs both).

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use caravel::config::Settings;
use caravel::db::{self, zooid_nodes::NewNode};
use caravel::domain::status::NodeState;
use caravel::vault::Vault;
use caravel_testkit::zooid::ZooidStandIn;
use nostr_sdk::Keys;

use crate::api::{ServerProcess, connect, cpu_seconds_of, sign};
use crate::verdict;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// The sizes to measure: `SCALE_TENANTS` (comma-separated, e.g. `100000` to look at one size
/// while working on it), else [`SIZES`].
fn sizes() -> Vec<usize> {
    std::env::var("SCALE_TENANTS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| SIZES.to_vec())
}
const NODES: usize = 5;
const LATENCY: Duration = Duration::from_millis(10);
const CONNECTIONS: usize = 64;
const REQUESTS: usize = 3_000;

/// Requests per list figure: `SCALE_REQUESTS`, else [`REQUESTS`] (more gives a profiler time).
fn requests() -> usize {
    std::env::var("SCALE_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(REQUESTS)
}

struct Figures {
    relays: usize,
    sync: Duration,
    startup: Duration,
    idle_mib: f64,
    list_p99: Duration,
    search_p99: Duration,
}

pub async fn run(binary: &str) -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    println!(
        "== scale: tenants with two relays each, {NODES} zooid nodes answering after {} ms ==",
        LATENCY.as_millis()
    );
    println!(
        "  {:>8} {:>8} {:>10} {:>9} {:>9} {:>11} {:>12}",
        "tenants", "relays", "sync (s)", "start (s)", "idle MiB", "list p99 ms", "search p99 ms"
    );
    let mut all = Vec::new();
    for tenants in sizes() {
        let f = size(binary, tenants).await?;
        println!(
            "  {:>8} {:>8} {:>10.2} {:>9.2} {:>9.1} {:>11.2} {:>12.2}",
            tenants,
            f.relays,
            f.sync.as_secs_f64(),
            f.startup.as_secs_f64(),
            f.idle_mib,
            f.list_p99.as_secs_f64() * 1000.0,
            f.search_p99.as_secs_f64() * 1000.0
        );
        all.push(f);
    }
    println!("  growth per 10x tenants:");
    for pair in all.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        println!(
            "    {} → {} relays: sync {:.1}x, start-up {:.1}x, idle memory {:.1}x, list p99 {:.1}x, search p99 {:.1}x",
            a.relays,
            b.relays,
            b.sync.as_secs_f64() / a.sync.as_secs_f64(),
            b.startup.as_secs_f64() / a.startup.as_secs_f64(),
            b.idle_mib / a.idle_mib,
            b.list_p99.as_secs_f64() / a.list_p99.as_secs_f64(),
            b.search_p99.as_secs_f64() / a.search_p99.as_secs_f64()
        );
    }
    let last = all.last().expect("sizes");
    println!("targets (at {} relays):", last.relays);
    verdict(
        "admin list p99 under 20 ms",
        last.list_p99 < Duration::from_millis(20),
        format!("{:.2} ms", last.list_p99.as_secs_f64() * 1000.0),
    );
    verdict(
        "start-up under 2 s",
        last.startup < Duration::from_secs(2),
        format!("{:.2} s", last.startup.as_secs_f64()),
    );
    verdict(
        "idle memory under 100 MB",
        last.idle_mib < 100.0,
        format!("{:.1} MiB", last.idle_mib),
    );
    let linear = all
        .windows(2)
        .all(|p| p[1].sync.as_secs_f64() / p[0].sync.as_secs_f64() < 12.0);
    verdict(
        "provisioning grows no faster than linearly",
        linear,
        "see the growth factors".into(),
    );
    Ok(())
}

async fn size(binary: &str, tenants: usize) -> anyhow::Result<Figures> {
    let dir = tempfile::tempdir()?;
    let key = Keys::generate();
    let nodes = crate::seed::slow_nodes(&key, NODES, LATENCY).await;
    let database_url = format!("sqlite://{}/caravel.db", dir.path().display());
    let relays = seed(&database_url, dir.path(), tenants, &nodes).await?;
    let admin = Keys::generate();
    let vars: Vec<(&str, String)> = vec![
        ("DATA_DIR", dir.path().display().to_string()),
        ("DATABASE_URL", database_url.clone()),
        ("PORT", "0".into()),
        ("RELAY_DOMAIN", "relays.test".into()),
        ("ZOOID_API_URL", nodes[0].url()),
        ("ZOOID_API_SECRET", key.secret_key().to_secret_hex()),
        ("ZOOID_UPSTREAM", nodes[0].relay_addr().to_string()),
        ("ADMINS", admin.public_key().to_hex()),
        // The member watcher holds a connection per active relay; here it has nowhere to go
        // (see the note in the README), so the figures are the platform's own.
        ("RELAY_URL_TEMPLATE", "ws://127.0.0.1:9".into()),
        ("BACKUP_INTERVAL", "off".into()),
    ];
    let settings =
        Settings::from_lookup(|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    let started = Instant::now();
    let server = caravel::Server::start(settings).await?;
    // Asks only whether any relay is behind (one probe of the partial index), so watching does
    // not cost what counting a 200,000-relay backlog 20 times a second would.
    loop {
        let behind: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM relays WHERE synced_version < desired_version)",
        )
        .fetch_one(&server.state.db)
        .await?;
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(900),
            "relays still behind after 15 minutes"
        );
        if !behind {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sync = started.elapsed();
    server.stop().await?;

    // The release binary on that database: start-up, idle memory, the admin's lists.
    let extra: Vec<(&str, String)> = vars
        .iter()
        .filter(|(k, _)| !matches!(*k, "DATA_DIR" | "DATABASE_URL" | "PORT"))
        .cloned()
        .collect();
    let spawned = Instant::now();
    let process = ServerProcess::start_with(binary, None, &extra, dir).await?;
    let startup = spawned.elapsed();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let idle_mib = process.rss_kib()? as f64 / 1024.0;
    let list = p99(&process, &admin, "/api/relays?limit=50&offset=0").await?;
    let search = p99(&process, &admin, "/api/relays?q=bench-1217&limit=50").await?;
    drop(process);
    Ok(Figures {
        relays,
        sync,
        startup,
        idle_mib,
        list_p99: list,
        search_p99: search,
    })
}

/// `tenants` tenants with two relays each, placed round-robin over the nodes, all behind.
async fn seed(
    database_url: &str,
    data_dir: &std::path::Path,
    tenants: usize,
    nodes: &[ZooidStandIn],
) -> anyhow::Result<usize> {
    let pool = db::connect(database_url).await?;
    let vault = Vault::open(None, data_dir)?;
    let mut tx = db::begin_write(&pool).await?;
    for (i, n) in nodes.iter().enumerate() {
        let (id, url, upstream) = (crate::seed::node_id(i), n.url(), n.relay_addr().to_string());
        let new = NewNode {
            id: &id,
            api_url: Some(&url),
            api_secret_enc: None,
            upstream: &upstream,
            capacity: 1_000_000,
            state: NodeState::Active,
        };
        db::zooid_nodes::insert(&mut *tx, &new, 0).await?;
    }
    for t in 0..tenants {
        let tenant = format!("{t:064x}");
        db::tenants::ensure(&mut *tx, &tenant, 0).await?;
        for r in 0..2 {
            let i = t * 2 + r;
            crate::seed::relay(&mut tx, &vault, &tenant, i).await?;
        }
    }
    tx.commit().await?;
    // Round-robin placement, as placement by free capacity ends up with equal nodes.
    sqlx::query(
        "UPDATE relays SET node = CASE (rowid % 5) WHEN 0 THEN 'main' ELSE 'node-' || (rowid % 5) END",
    )
    .execute(&pool)
    .await?;
    pool.close().await;
    Ok(tenants * 2)
}

/// How long a header signed before the run is used; later requests are signed as they go.
const PRESIGNED_FOR: Duration = Duration::from_secs(45);

/// p99 of `REQUESTS` signed admin `GET path`s over `CONNECTIONS` connections; only the round
/// trip is timed. Every header is signed before the first request is sent, so the load
/// generator's signing does not compete with the server for the machine's cores while it is
/// measured (a client's signing happens on the client's machine). A run slow enough to near
/// the headers' 60 s window signs its remaining requests as it sends them.
async fn p99(server: &ServerProcess, admin: &Keys, path: &str) -> anyhow::Result<Duration> {
    let requests = requests();
    let url = format!("{}{path}", server.url);
    let headers: Arc<Vec<String>> = Arc::new(
        (0..requests)
            .map(|_| sign(admin, &url, "GET", None))
            .collect(),
    );
    let signed_at = Instant::now();
    let cpu_before = server.cpu_seconds()?;
    let own_before = cpu_seconds_of("self")?;
    let bytes = Arc::new(AtomicUsize::new(0));
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let mut conn = connect(&server.url).await?;
        let (next, path, headers) = (next.clone(), path.to_string(), headers.clone());
        let (url, admin, bytes) = (url.clone(), admin.clone(), bytes.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(presigned) = headers.get(i) else {
                    break;
                };
                let auth = if signed_at.elapsed() < PRESIGNED_FOR {
                    Cow::Borrowed(presigned.as_str())
                } else {
                    Cow::Owned(sign(&admin, &url, "GET", None))
                };
                let t = Instant::now();
                match conn.send("GET", &path, Some(&auth), None).await {
                    Ok((200, body)) => {
                        times.push(t.elapsed());
                        bytes.fetch_add(body.len(), Ordering::Relaxed);
                    }
                    other => {
                        return Err(anyhow::anyhow!("GET {path}: {:?}", other.map(|(s, _)| s)));
                    }
                }
            }
            Ok(times)
        }));
    }
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await??);
    }
    times.sort();
    let per_request = |seconds: f64| seconds / requests as f64 * 1e6;
    let ms = |q: usize| times[times.len() * q / 100].as_secs_f64() * 1e3;
    println!(
        "    {path}: {:.0} µs of server CPU and {:.0} µs of load generator CPU per request, {} bytes per response; p50 {:.2} ms, p90 {:.2} ms",
        per_request(server.cpu_seconds()? - cpu_before),
        per_request(cpu_seconds_of("self")? - own_before),
        bytes.load(Ordering::Relaxed) / requests,
        ms(50),
        ms(90),
    );
    Ok(times[times.len() * 99 / 100])
}
