//! The fleet figures: 10,000 relays created through the lifecycle (as the API does, one
//! transaction each) and placed over 5 zooid node stand-ins answering after 10 ms; how
//! evenly they land and how long they take to sync; the routing table rebuilt for 10,000
//! and 100,000 hosts; the DNS answerer's latency; and the time from starting a move until
//! the moved host is answered with its new node.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use caravel::config::Settings;
use caravel::db::{self, zooid_nodes::NewNode};
use caravel::domain::status::NodeState;
use caravel::lifecycle;
use caravel::vault::relay_secret_context;
use nostr_sdk::Keys;
use tokio::net::UdpSocket;

use crate::verdict;

const RELAYS: usize = 10_000;
const NODES: usize = 5;
const LATENCY: Duration = Duration::from_millis(10);

pub async fn run() -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    println!(
        "== fleet: {RELAYS} relays over {NODES} zooid nodes answering after {} ms ==",
        LATENCY.as_millis()
    );
    let dir = tempfile::tempdir()?;
    let key = Keys::generate();
    let nodes = crate::seed::slow_nodes(&key, NODES, LATENCY).await;
    let vars = [
        ("DATA_DIR", dir.path().display().to_string()),
        (
            "DATABASE_URL",
            format!("sqlite://{}/caravel.db", dir.path().display()),
        ),
        ("PORT", "0".into()),
        ("RELAY_DOMAIN", "relays.test".into()),
        ("ZOOID_API_URL", nodes[0].url()),
        ("ZOOID_API_SECRET", key.secret_key().to_secret_hex()),
        ("ZOOID_UPSTREAM", nodes[0].relay_addr().to_string()),
        ("ZOOID_CAPACITY", RELAYS.to_string()),
        ("ROUTING_DNS_ADDR", "127.0.0.1:0".into()),
    ];
    let settings =
        Settings::from_lookup(|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    let server = caravel::Server::start(settings).await?;
    let db = server.state.db.clone();
    for (i, n) in nodes.iter().enumerate().skip(1) {
        let (id, url, upstream) = (crate::seed::node_id(i), n.url(), n.relay_addr().to_string());
        let new = NewNode {
            id: &id,
            api_url: Some(&url),
            api_secret_enc: None,
            upstream: &upstream,
            capacity: RELAYS as i64,
            state: NodeState::Active,
        };
        let mut tx = db::begin_write(&db).await?;
        lifecycle::node::add(&mut tx, "bench", &new, 0).await?;
        tx.commit().await?;
    }

    // Placement: one creating transaction per relay, as the API runs it.
    let tenant = Keys::generate().public_key().to_hex();
    db::tenants::ensure(&db, &tenant, 0).await?;
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    for i in 0..RELAYS {
        let one = Instant::now();
        create(&server, &tenant, i).await?;
        slowest = slowest.max(one.elapsed());
    }
    let placing = started.elapsed();
    server.state.provisioner.kick();
    let counts: Vec<i64> = db::zooid_nodes::all(&db)
        .await?
        .iter()
        .map(|n| n.relays)
        .collect();
    let (min, max) = (
        counts.iter().min().copied().unwrap_or(0),
        counts.iter().max().copied().unwrap_or(0),
    );
    println!(
        "  placed {RELAYS} relays in {:.2} s ({:.0} µs each, slowest {:.1} ms); per node {counts:?}",
        placing.as_secs_f64(),
        placing.as_micros() as f64 / RELAYS as f64,
        slowest.as_secs_f64() * 1000.0
    );
    let sync_started = Instant::now();
    loop {
        let backlog = db::relay_sync::backlog(&db).await?;
        if backlog.behind == 0 || sync_started.elapsed() > Duration::from_secs(300) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Syncing runs while relays are still being created, so this is the tail after the last one.
    println!(
        "  in sync {:.2} s after the last was created",
        sync_started.elapsed().as_secs_f64()
    );

    let rebuild_10k = rebuild(&server).await?;
    let dns = server
        .dns_addr
        .ok_or_else(|| anyhow::anyhow!("no DNS answerer"))?;
    let (p50, p99) = dns_latency(dns, "relay-17.relays.test").await?;
    println!(
        "  routing table for {} hosts rebuilt in {:.1} ms; DNS answers p50 {:.0} µs, p99 {:.0} µs",
        server.routes.len(),
        rebuild_10k.as_secs_f64() * 1000.0,
        p50.as_secs_f64() * 1e6,
        p99.as_secs_f64() * 1e6
    );

    // One move: from starting it to the moved host answered with its new node.
    let relay = db::relays::get(&db, &format!("{:032x}", 0))
        .await?
        .ok_or_else(|| anyhow::anyhow!("relay 0"))?;
    let from = relay.node.clone().unwrap_or_default();
    let to = if from == "main" { "node-1" } else { "main" };
    let host = format!("{}.relays.test", relay.subdomain);
    let started = Instant::now();
    let mut tx = db::begin_write(&db).await?;
    lifecycle::node::start_move(&mut tx, "bench", &relay, to, caravel::clock::unix_now()).await?;
    tx.commit().await?;
    server.state.provisioner.kick_upkeep();
    while server.routes.lookup(&host).map(|r| r.node.to_string()) != Some(to.to_string()) {
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(60),
            "the move did not switch"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let switched = started.elapsed();
    println!(
        "  a move from {from} to {to}: its host answered with {to} {:.0} ms after the move started",
        switched.as_secs_f64() * 1000.0
    );

    // How a rebuild grows: 90,000 more hosts.
    seed_more(&server, &tenant, RELAYS, 100_000).await?;
    let rebuild_100k = rebuild(&server).await?;
    println!(
        "  routing table for {} hosts rebuilt in {:.1} ms ({:.1}x for 10x the hosts); no proxy change at any size",
        server.routes.len(),
        rebuild_100k.as_secs_f64() * 1000.0,
        rebuild_100k.as_secs_f64() / rebuild_10k.as_secs_f64()
    );
    println!("targets:");
    verdict(
        "placement even over the nodes (within 1 relay)",
        max - min <= 1,
        format!("{min}–{max} per node"),
    );
    verdict(
        "a moved host is routed to its new node within 2 s",
        switched < Duration::from_secs(2),
        format!("{:.0} ms", switched.as_secs_f64() * 1000.0),
    );
    server.stop().await?;
    Ok(())
}

async fn create(server: &caravel::Server, tenant: &str, i: usize) -> anyhow::Result<()> {
    let id = format!("{i:032x}");
    let keys = Keys::generate();
    let sealed = server.state.vault.seal(
        &relay_secret_context(&id),
        keys.secret_key().to_secret_hex().as_bytes(),
    );
    let (sub, schema, pubkey) = (
        format!("relay-{i}"),
        format!("relay_{i}"),
        keys.public_key().to_hex(),
    );
    let new = db::relays::NewRelay {
        id: &id,
        tenant,
        name: &sub,
        subdomain: &sub,
        schema: &schema,
        icon: "",
        description: "",
        plan: "free",
        pubkey: &pubkey,
        secret_enc: &sealed,
        node: None,
    };
    let mut tx = db::begin_write(&server.state.db).await?;
    lifecycle::relay::create(&mut tx, &server.state.life, tenant, &new, 0).await?;
    tx.commit().await?;
    Ok(())
}

/// The best of three full rebuilds.
async fn rebuild(server: &caravel::Server) -> anyhow::Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        server
            .routes
            .rebuild(&server.state.db, "relays.test")
            .await?;
        best = best.min(started.elapsed());
    }
    Ok(best)
}

/// Relays `from..to` written straight to the database on node `main` (for the table's size).
async fn seed_more(
    server: &caravel::Server,
    tenant: &str,
    from: usize,
    to: usize,
) -> anyhow::Result<()> {
    let db = &server.state.db;
    let mut tx = db::begin_write(db).await?;
    for i in from..to {
        crate::seed::relay(&mut tx, &server.state.vault, tenant, i).await?;
    }
    tx.commit().await?;
    sqlx::query(
        "UPDATE relays SET node = 'main', synced_version = desired_version WHERE node IS NULL",
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Sequential SRV questions for `host`: p50 and p99 of the answer's round trip.
async fn dns_latency(dns: SocketAddr, host: &str) -> anyhow::Result<(Duration, Duration)> {
    let socket = UdpSocket::bind("127.0.0.1:0").await?;
    socket.connect(dns).await?;
    let mut query = vec![0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    for label in host.split('.') {
        query.push(label.len() as u8);
        query.extend_from_slice(label.as_bytes());
    }
    query.extend_from_slice(&[0, 0, 33, 0, 1]);
    let mut times = Vec::with_capacity(10_000);
    let mut buf = [0u8; 512];
    for _ in 0..10_000 {
        let started = Instant::now();
        socket.send(&query).await?;
        let n = tokio::time::timeout(Duration::from_secs(1), socket.recv(&mut buf)).await??;
        anyhow::ensure!(
            n > query.len() && buf[3] & 0x0f == 0,
            "the answerer did not answer the SRV question"
        );
        times.push(started.elapsed());
    }
    times.sort();
    Ok((times[times.len() / 2], times[times.len() * 99 / 100]))
}
