//! Slow clients: while hundreds of sockets trickle their request headers, or signed bodies, a
//! byte at a time, one other client sends authenticated `GET /api/relays` one after another and
//! measures its own latency. The server's limits (header and request timeouts, the body read
//! after authentication) should keep that client's p50/p99 near what it sees alone.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::bail;
use nostr_sdk::Keys;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

use crate::api::{ServerProcess, connect, seed_relays, sign};

/// Slow sockets held open at once (well under a default 1024 open-file limit).
const SLOW_CLIENTS: usize = 500;
/// How often each slow socket sends its next byte.
const TRICKLE: Duration = Duration::from_millis(100);
/// How long the measuring client sends requests in each phase: past the header timeout (10 s),
/// so slow header sockets are cut off and reconnect while it measures.
const WINDOW: Duration = Duration::from_secs(12);
/// The declared size of each slow body: far more than it sends in a phase.
const SLOW_BODY_BYTES: usize = 4096;

#[derive(Clone, Copy, PartialEq)]
enum Trickle {
    Headers,
    Bodies,
}

pub async fn run(binary: &str) -> anyhow::Result<()> {
    println!("== Slow clients ==");
    let server = ServerProcess::start(binary, None).await?;
    let keys = Keys::generate();
    seed_relays(&server, &keys, 10).await?;
    println!(
        "one client's authenticated GET /api/relays, back to back for {} s, while {SLOW_CLIENTS} sockets send a byte every {} ms:",
        WINDOW.as_secs(),
        TRICKLE.as_millis()
    );
    measure_warm_up(&server, &keys).await?;
    let alone = measure(&server, &keys).await?;
    report("alone", &alone, None);
    for (trickle, what) in [
        (Trickle::Headers, "trickling headers"),
        (Trickle::Bodies, "trickling signed bodies"),
    ] {
        let slow = SlowClients::start(&server.url, &keys, trickle).await;
        let figures = measure(&server, &keys).await;
        let cut = slow.stop().await;
        report(what, &figures?, Some(cut));
    }
    Ok(())
}

/// The measuring client's latencies over one window, in µs.
async fn measure(server: &ServerProcess, keys: &Keys) -> anyhow::Result<Vec<u64>> {
    let url = format!("{}/api/relays", server.url);
    let mut conn = connect(&server.url).await?;
    let mut latencies = Vec::new();
    let start = Instant::now();
    while start.elapsed() < WINDOW {
        // Signed between requests, outside the clock.
        let auth = sign(keys, &url, "GET", None);
        let t = Instant::now();
        let (status, _) = conn.send("GET", "/api/relays", Some(&auth), None).await?;
        if status != 200 {
            bail!("the measuring client's request answered {status}");
        }
        latencies.push(t.elapsed().as_micros() as u64);
    }
    latencies.sort_unstable();
    Ok(latencies)
}

/// A few hundred requests first, so the first phase does not pay for a cold server.
async fn measure_warm_up(server: &ServerProcess, keys: &Keys) -> anyhow::Result<()> {
    let url = format!("{}/api/relays", server.url);
    let mut conn = connect(&server.url).await?;
    for _ in 0..500 {
        conn.send(
            "GET",
            "/api/relays",
            Some(&sign(keys, &url, "GET", None)),
            None,
        )
        .await?;
    }
    Ok(())
}

fn report(what: &str, latencies: &[u64], cut: Option<usize>) {
    let pct = |p: f64| {
        latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)] as f64 / 1000.0
    };
    print!(
        "  {what:<28} p50 {:>7.2} ms   p99 {:>7.2} ms   ({} requests)",
        pct(0.50),
        pct(0.99),
        latencies.len()
    );
    match cut {
        Some(n) => println!("; the server closed {n} slow sockets"),
        None => println!(),
    }
}

/// The slow sockets of one phase, each reconnecting when the server closes it.
struct SlowClients {
    stop: Arc<AtomicBool>,
    closed: Arc<AtomicUsize>,
    tasks: Vec<JoinHandle<()>>,
}

impl SlowClients {
    async fn start(base: &str, keys: &Keys, trickle: Trickle) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let closed = Arc::new(AtomicUsize::new(0));
        let addr = base.trim_start_matches("http://").to_string();
        let url = format!("{base}/api/relays");
        let body = format!(
            r#"{{"name":"Slow","subdomain":"slow","plan":"free","description":"{}"}}"#,
            "x".repeat(SLOW_BODY_BYTES)
        );
        let tasks = (0..SLOW_CLIENTS)
            .map(|_| {
                let (stop, closed) = (stop.clone(), closed.clone());
                let (addr, url, body, keys) = (addr.clone(), url.clone(), body.clone(), keys.clone());
                tokio::spawn(async move {
                    while !stop.load(Ordering::Relaxed) {
                        // Each body request is signed anew: the server refuses a replayed header.
                        let (head, rest) = match trickle {
                            Trickle::Headers => (
                                "GET /api/relays HTTP/1.1\r\nHost: bench\r\nX-Slow: ".to_string(),
                                vec![b'a'; 1 << 20],
                            ),
                            Trickle::Bodies => (
                                format!(
                                    "POST /api/relays HTTP/1.1\r\nHost: bench\r\nAuthorization: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                                    sign(&keys, &url, "POST", Some(&body)),
                                    body.len()
                                ),
                                body.clone().into_bytes(),
                            ),
                        };
                        if trickle_one(&addr, head.as_bytes(), &rest, &stop).await {
                            closed.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                })
            })
            .collect();
        // Let every socket connect and start before the measuring begins.
        tokio::time::sleep(Duration::from_secs(1)).await;
        Self {
            stop,
            closed,
            tasks,
        }
    }

    /// Stops the phase; returns how many slow sockets the server closed during it.
    async fn stop(self) -> usize {
        self.stop.store(true, Ordering::Relaxed);
        for task in self.tasks {
            let _ = task.await;
        }
        self.closed.load(Ordering::Relaxed)
    }
}

/// Sends `head`, then `rest` a byte per [`TRICKLE`] until `stop` or the server closes the socket
/// (true when it did).
async fn trickle_one(addr: &str, head: &[u8], rest: &[u8], stop: &AtomicBool) -> bool {
    let Ok(mut stream) = TcpStream::connect(addr).await else {
        tokio::time::sleep(TRICKLE).await;
        return false;
    };
    if stream.write_all(head).await.is_err() {
        return true;
    }
    let mut answer = [0u8; 512];
    for byte in rest {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        tokio::select! {
            _ = tokio::time::sleep(TRICKLE) => {}
            // An answer (408, 431) or a close: the server is done with this socket.
            _ = stream.read(&mut answer) => return true,
        }
        if stream.write_all(std::slice::from_ref(byte)).await.is_err() {
            return true;
        }
    }
    false
}
