//! `just bench backup`: an online backup of a database with 10,000 tenants and 20,000 relays,
//! its time and size, and the time to restore it.

use std::time::Instant;

use caravel::db::{self, backup};
use caravel::vault::Vault;
use nostr_sdk::Keys;

const TENANTS: usize = 10_000;
const RELAYS_PER_TENANT: usize = 2;

pub async fn run() -> anyhow::Result<()> {
    println!(
        "backup — {TENANTS} tenants, {} relays",
        TENANTS * RELAYS_PER_TENANT
    );
    let dir = tempfile::tempdir()?;
    let database_url = format!("sqlite://{}/caravel.db", dir.path().display());
    let seeded = Instant::now();
    seed(&database_url, dir.path()).await?;
    println!("  seeded in {:.1} s", seeded.elapsed().as_secs_f64());
    let live = dir.path().join("caravel.db");
    let file = dir.path().join("backups").join("bench.db");
    let started = Instant::now();
    let written = {
        let (live, file) = (live.clone(), file.clone());
        tokio::task::spawn_blocking(move || backup::write(&live, &file)).await??
    };
    let took = started.elapsed();
    let live_bytes = std::fs::metadata(&live)?.len()
        + std::fs::metadata(dir.path().join("caravel.db-wal")).map_or(0, |m| m.len());
    crate::verdict(
        "online backup (copy, integrity check, fsync)",
        took.as_secs() < 10,
        format!(
            "{:.0} ms, {:.1} MiB (live database {:.1} MiB with WAL)",
            took.as_secs_f64() * 1000.0,
            written.bytes as f64 / 1048576.0,
            live_bytes as f64 / 1048576.0
        ),
    );
    let started = Instant::now();
    backup::restore(&database_url, &file).await?;
    crate::verdict(
        "restore (check, copy, swap, open and migrate)",
        started.elapsed().as_secs() < 10,
        format!("{:.0} ms", started.elapsed().as_secs_f64() * 1000.0),
    );
    Ok(())
}

/// TENANTS tenants with RELAYS_PER_TENANT relays each, written as the API would.
async fn seed(database_url: &str, data_dir: &std::path::Path) -> anyhow::Result<()> {
    let pool = db::connect(database_url).await?;
    let vault = Vault::open(None, data_dir)?;
    let mut tx = db::begin_write(&pool).await?;
    for t in 0..TENANTS {
        let tenant = Keys::generate().public_key().to_hex();
        db::tenants::ensure(&mut *tx, &tenant, 0).await?;
        for r in 0..RELAYS_PER_TENANT {
            let i = t * RELAYS_PER_TENANT + r;
            crate::seed::relay(&mut tx, &vault, &tenant, i).await?;
        }
    }
    tx.commit().await?;
    pool.close().await;
    Ok(())
}
