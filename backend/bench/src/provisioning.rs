//! The provisioning figures: 10,000 new relays brought into sync against a zooid stand-in
//! that answers each request after 10 ms, first with zooid up, then with zooid down for
//! the first 30 s. The relays are written to the database before the server starts, so
//! the worker's start-up reconciliation does all the work.

use std::time::{Duration, Instant};

use caravel::config::Settings;
use caravel::db;
use caravel::vault::Vault;
use caravel_testkit::zooid::ZooidStandIn;
use nostr_sdk::Keys;

use crate::verdict;

const RELAYS: usize = 10_000;
const LATENCY: Duration = Duration::from_millis(10);
const OUTAGE: Duration = Duration::from_secs(30);

pub async fn run() -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    println!(
        "== provisioning: {RELAYS} new relays, zooid answering after {} ms ==",
        LATENCY.as_millis()
    );
    let up = scenario(None).await?;
    println!(
        "  zooid up:                    {:>8.2} s to sync all, {} left unsynced",
        up.elapsed.as_secs_f64(),
        up.unsynced
    );
    let down = scenario(Some(OUTAGE)).await?;
    let after_return = down.elapsed.saturating_sub(OUTAGE);
    println!(
        "  zooid down for the first {} s: {:>8.2} s to sync all ({:.2} s after zooid returned), {} left unsynced ({} failed attempts)",
        OUTAGE.as_secs(),
        down.elapsed.as_secs_f64(),
        after_return.as_secs_f64(),
        down.unsynced,
        down.failed_attempts
    );
    println!("targets:");
    verdict(
        "10,000 relays in sync in under 10 s",
        up.elapsed < Duration::from_secs(10) && up.unsynced == 0,
        format!("{:.2} s", up.elapsed.as_secs_f64()),
    );
    verdict(
        "no relay left unsynced after the outage",
        down.unsynced == 0,
        format!("{} unsynced", down.unsynced),
    );
    verdict(
        "all in sync within 10 s of zooid's return",
        after_return < Duration::from_secs(10) && down.unsynced == 0,
        format!("{:.2} s", after_return.as_secs_f64()),
    );
    verdict(
        "far fewer failed attempts than the 34,000 before nodes waited as one",
        down.failed_attempts < 1_000,
        format!("{}", down.failed_attempts),
    );
    Ok(())
}

struct Outcome {
    elapsed: Duration,
    unsynced: i64,
    failed_attempts: i64,
}

async fn scenario(outage: Option<Duration>) -> anyhow::Result<Outcome> {
    let dir = tempfile::tempdir()?;
    let robot = Keys::generate();
    let zooid = ZooidStandIn::start(&[robot.public_key()]).await;
    zooid.delay(LATENCY);
    // The figures are the platform's: the stand-in's relay stays out of the way.
    zooid.skip_reloads(true);
    let database_url = format!("sqlite://{}/caravel.db", dir.path().display());
    seed(&database_url, dir.path()).await?;
    if outage.is_some() {
        zooid.go_down().await;
    }
    let vars = [
        ("DATA_DIR", dir.path().display().to_string()),
        ("DATABASE_URL", database_url),
        ("PORT", "0".into()),
        ("ZOOID_API_URL", zooid.url()),
        ("ZOOID_API_SECRET", robot.secret_key().to_secret_hex()),
    ];
    let settings = Settings::from_lookup(|k| {
        vars.iter()
            .find(|(name, _)| *name == k)
            .map(|(_, v)| v.clone())
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let started = Instant::now();
    let server = caravel::Server::start(settings).await?;
    if let Some(outage) = outage {
        tokio::time::sleep(outage).await;
        zooid.come_back().await;
    }
    let deadline = started + Duration::from_secs(300);
    let db = server.state.db.clone();
    let unsynced = loop {
        let backlog = db::relay_sync::backlog(&db).await?;
        if backlog.behind == 0 || Instant::now() > deadline {
            break backlog.behind;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let elapsed = started.elapsed();
    let failed_attempts: i64 =
        sqlx::query_scalar("SELECT count(*) FROM activity WHERE action = 'relay.sync-failed'")
            .fetch_one(&db)
            .await?;
    anyhow::ensure!(
        zooid.config_count() == RELAYS - unsynced as usize,
        "zooid holds {} configs",
        zooid.config_count()
    );
    server.stop().await?;
    Ok(Outcome {
        elapsed,
        unsynced,
        failed_attempts,
    })
}

/// One tenant with RELAYS new relays, written as the API would.
async fn seed(database_url: &str, data_dir: &std::path::Path) -> anyhow::Result<()> {
    let pool = db::connect(database_url).await?;
    let vault = Vault::open(None, data_dir)?;
    let tenant = Keys::generate().public_key().to_hex();
    let mut tx = db::begin_write(&pool).await?;
    db::tenants::ensure(&mut *tx, &tenant, 0).await?;
    for i in 0..RELAYS {
        crate::seed::relay(&mut tx, &vault, &tenant, i).await?;
    }
    tx.commit().await?;
    pool.close().await;
    Ok(())
}
