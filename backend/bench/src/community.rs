//! The community figures, against the release binary in its own process and the zooid
//! stand-in (a real Nostr relay over loopback):
//!
//! - member counting: 1,000 active relays, the member watcher following each relay's list
//!   as the relay; the time from start-up until every relay's count is recorded, how soon a
//!   join is counted, and the server's memory with 1,000 subscriptions;
//! - export: a relay holding 100,000 events downloaded as JSON Lines; the time, and the
//!   server's peak memory against an export of 10,000 (constant memory: the same peak).

use std::time::{Duration, Instant};

use anyhow::bail;
use caravel_testkit::zooid::ZooidStandIn;
use nostr_sdk::{EventBuilder, Keys, Timestamp};
use serde_json::Value;

use crate::api::{ServerProcess, connect, seed_relays, sign};
use crate::verdict;

const RELAYS: usize = 1_000;
const EVENTS: usize = 100_000;

pub async fn run(binary: &str) -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    println!("== community ==");
    let robot = Keys::generate();
    let zooid = ZooidStandIn::start(&[robot.public_key()]).await;
    let env = |recount: &str| {
        vec![
            ("ZOOID_API_URL", zooid.url()),
            ("ZOOID_API_SECRET", robot.secret_key().to_secret_hex()),
            ("RELAY_URL_TEMPLATE", zooid.relay_url()),
            ("MEMBERS_RECOUNT_SECS", recount.to_string()),
        ]
    };
    let owner = Keys::generate();

    // Seed and bring 1,000 relays live, then start afresh with no count recorded.
    let server = ServerProcess::start_with(binary, None, &env("600"), tempfile::tempdir()?).await?;
    seed_relays(&server, &owner, RELAYS).await?;
    wait_for(&server, &owner, "every relay active", |r| {
        r["status"] == "active"
    })
    .await?;
    let dir = server.stop();
    forget_counts(&dir).await?;
    let started = Instant::now();
    let server = ServerProcess::start_with(binary, None, &env("600"), dir).await?;
    let ids = wait_for(&server, &owner, "every relay counted", |r| {
        r["member_count"].as_i64().is_some()
    })
    .await?;
    let counted = started.elapsed();
    let rss = server.rss_kib()? as f64 / 1024.0;
    println!(
        "member counting, {RELAYS} relays:   {:>8.2} s from start-up to every count recorded",
        counted.as_secs_f64()
    );
    println!("  server resident memory, {RELAYS} subscriptions: {rss:>6.1} MB");
    let mut worst = Duration::ZERO;
    let mut total = Duration::ZERO;
    for id in ids.iter().step_by(RELAYS / 20) {
        let joined = Instant::now();
        zooid
            .join(&Keys::generate(), id)
            .await
            .map_err(anyhow::Error::msg)?;
        wait_for_one(&server, &owner, id, |r| r["member_count"] == 2).await?;
        let took = joined.elapsed();
        worst = worst.max(took);
        total += took;
    }
    println!(
        "  a join counted after:            {:>8.0} ms on average, {:.0} ms at worst (20 joins)",
        total.as_secs_f64() * 1000.0 / 20.0,
        worst.as_secs_f64() * 1000.0
    );

    // Export: 10,000 then 100,000 events in one relay.
    let relay = ids[0].clone();
    let author = Keys::generate();
    let base = Timestamp::now().as_secs() - 1_000_000;
    let mut exports = Vec::new();
    let mut stored = 0;
    for size in [10_000, EVENTS] {
        let events: Vec<_> = (stored..size)
            .map(|i| {
                EventBuilder::text_note(format!("event {i} of the export bench"))
                    .custom_created_at(Timestamp::from(base + (i / 3) as u64))
                    .sign_with_keys(&author)
                    .expect("signing")
            })
            .collect();
        zooid.store(&events).await;
        stored = size;
        let before = server.peak_kib()?;
        let started = Instant::now();
        let path = format!("/api/relays/{relay}/export");
        let auth = sign(&owner, &format!("{}{path}", server.url), "GET", None);
        let mut conn = connect(&server.url).await?;
        let (status, body) = conn.send("GET", &path, Some(&auth), None).await?;
        if status != 200 {
            bail!("export answered {status}");
        }
        let lines = body.iter().filter(|b| **b == b'\n').count();
        let took = started.elapsed();
        let peak = server.peak_kib()?;
        println!(
            "export of {size:>6} events:           {:>8.2} s, {lines} lines, {:.1} MB, server peak memory {:.1} MB (+{:.1} MB)",
            took.as_secs_f64(),
            body.len() as f64 / 1e6,
            peak as f64 / 1024.0,
            peak.saturating_sub(before) as f64 / 1024.0
        );
        exports.push((lines, took, peak));
    }
    println!("targets:");
    verdict(
        "1,000 relays counted within 30 s of start-up",
        counted < Duration::from_secs(30),
        format!("{:.1} s", counted.as_secs_f64()),
    );
    verdict(
        "a join is counted within 2 s",
        worst < Duration::from_secs(2),
        format!("{:.0} ms at worst", worst.as_secs_f64() * 1000.0),
    );
    let (small, large) = (&exports[0], &exports[1]);
    verdict(
        "exporting 100,000 events streams in constant memory (peak grows < 16 MB over a 10,000 export)",
        large.0 >= EVENTS && large.2.saturating_sub(small.2) < 16 * 1024,
        format!(
            "{} lines, peak {:.1} MB vs {:.1} MB",
            large.0,
            large.2 as f64 / 1024.0,
            small.2 as f64 / 1024.0
        ),
    );
    Ok(())
}

/// Clears every recorded member count (a platform that has never counted).
async fn forget_counts(dir: &tempfile::TempDir) -> anyhow::Result<()> {
    let url = format!("sqlite://{}/caravel.db", dir.path().display());
    let pool = sqlx::SqlitePool::connect(&url).await?;
    sqlx::query("UPDATE relays SET member_count = NULL, members_counted_at = NULL")
        .execute(&pool)
        .await?;
    pool.close().await;
    Ok(())
}

/// Pages through the owner's relays until `check` holds for all of them; their ids.
async fn wait_for(
    server: &ServerProcess,
    owner: &Keys,
    what: &str,
    check: impl Fn(&Value) -> bool,
) -> anyhow::Result<Vec<String>> {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let mut ids = Vec::new();
        let mut all = true;
        for offset in (0..RELAYS).step_by(200) {
            let path = format!("/api/relays?limit=200&offset={offset}");
            let page = get(server, owner, &path).await?;
            for r in page["items"].as_array().into_iter().flatten() {
                all &= check(r);
                ids.push(r["id"].as_str().unwrap_or_default().to_string());
            }
        }
        if all && ids.len() == RELAYS {
            return Ok(ids);
        }
        if Instant::now() > deadline {
            bail!("{what}: not within 300 s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_for_one(
    server: &ServerProcess,
    owner: &Keys,
    id: &str,
    check: impl Fn(&Value) -> bool,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if check(&get(server, owner, &format!("/api/relays/{id}")).await?) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("relay {id}: the join was not counted within 30 s");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn get(server: &ServerProcess, keys: &Keys, path: &str) -> anyhow::Result<Value> {
    let auth = sign(keys, &format!("{}{path}", server.url), "GET", None);
    let mut conn = connect(&server.url).await?;
    let (status, body) = conn.send("GET", path, Some(&auth), None).await?;
    if status != 200 {
        bail!("GET {path} answered {status}");
    }
    Ok(serde_json::from_slice(&body)?)
}
