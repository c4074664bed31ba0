//! The API figures, against the release binary in its own process:
//!
//! - one core's raw Schnorr verification rate (the ceiling of NIP-98 authentication per core);
//! - authenticated `GET /api/relays` throughput and p50/p99 latency at 64 connections,
//!   every request freshly signed before the clock starts;
//! - the idle server's resident memory;
//! - all of it twice, without and with `METRICS_ADDR`, and what recording metrics costs.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::verdict;
use base64::Engine;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use nostr_sdk::hashes::{Hash, sha256};
use nostr_sdk::{Event, EventBuilder, JsonUtil, Keys, Kind, Tag, TagKind};

const CONNECTIONS: usize = 64;
const REQUESTS: usize = 40_000;

pub async fn run(binary: &str) -> anyhow::Result<()> {
    println!("== API ==");
    let verify_rate = schnorr_verify_rate();
    println!("schnorr verify, one core:            {verify_rate:>10.0} /s");

    println!("-- metrics off --");
    let off = measure(binary, None).await?;
    println!("-- metrics on (METRICS_ADDR set, scraped after the run) --");
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let on = measure(binary, Some(port)).await?;
    let throughput_cost = 100.0 * (1.0 - on.rps / off.rps);
    let cpu_cost = 100.0 * (on.cpu_per_request_us / off.cpu_per_request_us - 1.0);
    println!("cost of recording metrics:");
    println!("  throughput                         {throughput_cost:>+10.1} %  (positive: slower)");
    println!("  server CPU per request             {cpu_cost:>+10.1} %");
    println!(
        "  latency p99                        {:>+10.2} ms",
        on.p99_ms - off.p99_ms
    );

    println!();
    println!("targets:");
    verdict(
        "throughput >= 50% of one core's verify rate",
        off.rps >= 0.5 * verify_rate,
        format!("{:.0}%", 100.0 * off.rps / verify_rate),
    );
    verdict(
        "p99 latency < 20 ms",
        off.p99_ms < 20.0,
        format!("{:.2} ms", off.p99_ms),
    );
    verdict(
        "idle memory < 40 MB",
        off.idle_kib < 40 * 1024,
        format!("{:.1} MB", off.idle_kib as f64 / 1024.0),
    );
    verdict(
        "no failed requests",
        off.failed + on.failed == 0,
        format!("{} failed", off.failed + on.failed),
    );
    // CPU per request is the direct price of recording; throughput at 64 connections is
    // noisier from run to run, so it is printed above but not judged.
    verdict(
        "metrics cost < 5% server CPU per request",
        cpu_cost < 5.0,
        format!("{cpu_cost:+.1}%"),
    );
    Ok(())
}

/// One run's figures.
struct Figures {
    rps: f64,
    p99_ms: f64,
    cpu_per_request_us: f64,
    idle_kib: u64,
    failed: usize,
}

/// Starts the server (with `METRICS_ADDR` on `metrics_port` when given), loads it, prints
/// and returns the figures.
async fn measure(binary: &str, metrics_port: Option<u16>) -> anyhow::Result<Figures> {
    let server = ServerProcess::start(binary, metrics_port).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_kib = server.rss_kib()?;
    println!(
        "idle server resident memory:         {:>10.1} MB",
        idle_kib as f64 / 1024.0
    );

    let keys = Keys::generate();
    seed_relays(&server, &keys, 10).await?;
    let requests = presign(&server.url, &keys, REQUESTS);
    let cpu_before = server.cpu_seconds()?;
    let run = load(&server, requests).await?;
    let cpu_per_request_us = (server.cpu_seconds()? - cpu_before) * 1e6 / run.ok as f64;
    let mut lat = run.latencies_us;
    lat.sort_unstable();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)] as f64 / 1000.0;
    let rps = run.ok as f64 / run.elapsed.as_secs_f64();
    println!(
        "GET /api/relays, {CONNECTIONS} connections, {} requests ({} failed):",
        REQUESTS, run.failed
    );
    println!("  throughput                         {rps:>10.0} req/s");
    println!(
        "  latency p50                        {:>10.2} ms",
        pct(0.50)
    );
    println!(
        "  latency p99                        {:>10.2} ms",
        pct(0.99)
    );
    println!(
        "  server CPU per request             {cpu_per_request_us:>10.0} µs  (= {:.0} req/s per core)",
        1e6 / cpu_per_request_us
    );
    let busy_kib = server.rss_kib()?;
    println!(
        "server resident memory after load:   {:>10.1} MB",
        busy_kib as f64 / 1024.0
    );
    if let Some(port) = metrics_port {
        // The run was recorded: the scrape counts the load's requests by route template.
        let mut conn = connect(&format!("http://127.0.0.1:{port}")).await?;
        let (status, text) = conn.send("GET", "/metrics", None, None).await?;
        let text = String::from_utf8_lossy(&text);
        let counted = text.lines().find(|l| {
            l.starts_with("caravel_http_requests_total")
                && l.contains(r#"route="/api/relays""#)
                && l.contains(r#"method="GET""#)
                && l.contains(r#"status="2xx""#)
        });
        match (status, counted) {
            (200, Some(line)) => println!("  scraped: {line}"),
            _ => bail!("the metrics scrape ({status}) does not count the run"),
        }
    }
    Ok(Figures {
        rps,
        p99_ms: pct(0.99),
        cpu_per_request_us,
        idle_kib,
        failed: run.failed,
    })
}

fn schnorr_verify_rate() -> f64 {
    let keys = Keys::generate();
    let events: Vec<Event> = (0..512)
        .map(|i| {
            EventBuilder::text_note(format!("bench {i}"))
                .sign_with_keys(&keys)
                .unwrap()
        })
        .collect();
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < Duration::from_secs(2) {
        for e in &events {
            assert!(e.verify_signature());
        }
        n += events.len() as u64;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

pub(crate) struct ServerProcess {
    child: Child,
    pub(crate) url: String,
    _dir: tempfile::TempDir,
}

impl ServerProcess {
    pub(crate) async fn start(binary: &str, metrics_port: Option<u16>) -> anyhow::Result<Self> {
        Self::start_with(binary, metrics_port, &[], tempfile::tempdir()?).await
    }

    /// Starts the server with `extra` environment on the data in `dir`.
    pub(crate) async fn start_with(
        binary: &str,
        metrics_port: Option<u16>,
        extra: &[(&str, String)],
        dir: tempfile::TempDir,
    ) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let mut command = Command::new(binary);
        command
            .env_clear()
            .env("DATA_DIR", dir.path())
            .env(
                "DATABASE_URL",
                format!("sqlite://{}/caravel.db", dir.path().display()),
            )
            .env("PORT", port.to_string())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null());
        if let Some(port) = metrics_port {
            command.env("METRICS_ADDR", format!("127.0.0.1:{port}"));
        }
        for (key, value) in extra {
            command.env(key, value);
        }
        let child = command
            .spawn()
            .with_context(|| format!("starting {binary}"))?;
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if healthy(&url).await {
                break;
            }
            if Instant::now() > deadline {
                bail!("the server did not become healthy within 20 s");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(Self {
            child,
            url,
            _dir: dir,
        })
    }

    /// User plus system CPU time the server process has used.
    pub(crate) fn cpu_seconds(&self) -> anyhow::Result<f64> {
        cpu_seconds_of(&self.child.id().to_string())
    }

    pub(crate) fn rss_kib(&self) -> anyhow::Result<u64> {
        self.status_kib("VmRSS:")
    }

    /// The most resident memory the process has had.
    pub(crate) fn peak_kib(&self) -> anyhow::Result<u64> {
        self.status_kib("VmHWM:")
    }

    /// Stops the server and hands back its data.
    pub(crate) fn stop(mut self) -> tempfile::TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let placeholder = tempfile::tempdir().expect("a temporary directory");
        std::mem::replace(&mut self._dir, placeholder)
    }

    fn status_kib(&self, field: &str) -> anyhow::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let line = status
            .lines()
            .find(|l| l.starts_with(field))
            .with_context(|| format!("no {field}"))?;
        Ok(line
            .split_whitespace()
            .nth(1)
            .context("VmRSS value")?
            .parse()?)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn healthy(url: &str) -> bool {
    match connect(url).await {
        Ok(mut conn) => matches!(
            conn.send("GET", "/api/health", None, None).await,
            Ok((200, _))
        ),
        Err(_) => false,
    }
}

/// CPU time (user and system) a process has used so far: `pid`, or `self` for this one.
pub(crate) fn cpu_seconds_of(pid: &str) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let rest = stat.rsplit_once(')').context("malformed stat")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields[11].parse::<f64>()? + fields[12].parse::<f64>()?;
    Ok(ticks / 100.0)
}

pub(crate) struct Conn {
    sender: hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    host: String,
}

pub(crate) async fn connect(url: &str) -> anyhow::Result<Conn> {
    let host = url.trim_start_matches("http://").to_string();
    let stream = tokio::net::TcpStream::connect(&host).await?;
    stream.set_nodelay(true)?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    Ok(Conn { sender, host })
}

impl Conn {
    pub(crate) async fn send(
        &mut self,
        method: &str,
        path: &str,
        auth: Option<&str>,
        body: Option<String>,
    ) -> anyhow::Result<(u16, Bytes)> {
        let mut req = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.host);
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let body = body.map(Bytes::from).unwrap_or_default();
        if !body.is_empty() {
            req = req.header("content-type", "application/json");
        }
        self.sender.ready().await?;
        let resp = self.sender.send_request(req.body(Full::new(body))?).await?;
        let status = resp.status().as_u16();
        let bytes = resp.into_body().collect().await?.to_bytes();
        Ok((status, bytes))
    }
}

pub(crate) fn sign(keys: &Keys, url: &str, method: &str, body: Option<&str>) -> String {
    let mut tags = vec![
        Tag::custom(TagKind::custom("u"), [url]),
        Tag::custom(TagKind::custom("method"), [method]),
    ];
    if let Some(b) = body {
        tags.push(Tag::custom(
            TagKind::custom("payload"),
            [sha256::Hash::hash(b.as_bytes()).to_string()],
        ));
    }
    let event = EventBuilder::new(Kind::HttpAuth, "")
        .tags(tags)
        .sign_with_keys(keys)
        .expect("signing");
    format!(
        "Nostr {}",
        base64::engine::general_purpose::STANDARD.encode(event.as_json())
    )
}

pub(crate) async fn seed_relays(
    server: &ServerProcess,
    keys: &Keys,
    n: usize,
) -> anyhow::Result<()> {
    let mut conn = connect(&server.url).await?;
    for i in 0..n {
        let body = format!(r#"{{"name":"Bench {i}","subdomain":"bench-{i}","plan":"free"}}"#);
        let auth = sign(
            keys,
            &format!("{}/api/relays", server.url),
            "POST",
            Some(&body),
        );
        let (status, text) = conn
            .send("POST", "/api/relays", Some(&auth), Some(body))
            .await?;
        if status != 201 {
            bail!(
                "seeding relay {i} answered {status}: {}",
                String::from_utf8_lossy(&text)
            );
        }
    }
    Ok(())
}

fn presign(base: &str, keys: &Keys, n: usize) -> Vec<String> {
    let url = format!("{base}/api/relays");
    let start = Instant::now();
    let signed: Vec<String> = (0..n).map(|_| sign(keys, &url, "GET", None)).collect();
    println!(
        "(signed {n} requests in {:.1} s, before the clock starts)",
        start.elapsed().as_secs_f64()
    );
    signed
}

struct Run {
    ok: usize,
    failed: usize,
    elapsed: Duration,
    latencies_us: Vec<u64>,
}

async fn load(server: &ServerProcess, requests: Vec<String>) -> anyhow::Result<Run> {
    let requests = Arc::new(requests);
    let next = Arc::new(AtomicUsize::new(0));
    let mut conns = Vec::with_capacity(CONNECTIONS);
    for _ in 0..CONNECTIONS {
        conns.push(connect(&server.url).await?);
    }
    let start = Instant::now();
    let tasks: Vec<_> = conns
        .into_iter()
        .map(|mut conn| {
            let (requests, next) = (requests.clone(), next.clone());
            tokio::spawn(async move {
                let (mut lat, mut failed) = (Vec::new(), 0usize);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(auth) = requests.get(i) else { break };
                    let t = Instant::now();
                    match conn.send("GET", "/api/relays", Some(auth), None).await {
                        Ok((200, _)) => lat.push(t.elapsed().as_micros() as u64),
                        _ => failed += 1,
                    }
                }
                (lat, failed)
            })
        })
        .collect();
    let mut run = Run {
        ok: 0,
        failed: 0,
        elapsed: Duration::ZERO,
        latencies_us: Vec::new(),
    };
    for t in tasks {
        let (lat, failed) = t.await?;
        run.ok += lat.len();
        run.failed += failed;
        run.latencies_us.extend(lat);
    }
    run.elapsed = start.elapsed();
    if run.latencies_us.is_empty() {
        bail!("no request succeeded");
    }
    Ok(run)
}
