//! The SQLite database: connection, migrations, and one repository module per table. No
//! SQL lives outside this folder. Repository functions take any executor, so a lifecycle
//! transition or a handler can compose them in one transaction.

pub mod activity;
pub mod backup;
pub mod charges;
pub mod invoices;
pub mod livekit_relays;
pub mod outbox;
pub mod payment_attempts;
pub mod plans;
pub mod reader;
pub mod relay_reads;
pub mod relay_sync;
pub mod relays;
pub mod robot_published;
pub mod row;
pub mod tenants;
pub mod wallet_pulls;

pub use reader::Reader;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Sqlite>;

/// Opens (creating file and folder if needed) and migrates the database.
pub async fn connect(url: &str) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("DATABASE_URL {url:?} is not a sqlite:// URL"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let in_memory = is_in_memory(url);
    let folder = options
        .get_filename()
        .parent()
        .filter(|d| !in_memory && !d.as_os_str().is_empty());
    if let Some(dir) = folder {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the database folder {}", dir.display()))?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(if in_memory { 1 } else { 8 })
        .min_connections(1)
        // A file connection does not go stale; pinging it before every query costs a thread hop.
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .with_context(|| format!("opening the database {url}"))?;
    sqlx::migrate!("../migrations")
        .run(&pool)
        .await
        .context("applying database migrations")?;
    Ok(pool)
}

/// Whether `DATABASE_URL` names a database that lives only in this process's memory.
pub fn is_in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// `LIKE` pattern matching `text` anywhere, with the wildcards in `text` escaped (use `ESCAPE '\'`).
pub fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// A transaction that takes the write lock up front, so concurrent writers queue
/// (up to the busy timeout) instead of failing when a reader upgrades.
pub async fn begin_write(pool: &SqlitePool) -> sqlx::Result<Tx<'static>> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// The unique constraint a UNIQUE or PRIMARY KEY violation broke, as SQLite names it
/// (`relays.subdomain`); `None` for any other error.
pub fn violated_unique(err: &sqlx::Error) -> Option<&str> {
    let sqlx::Error::Database(db) = err else {
        return None;
    };
    if !db.is_unique_violation() {
        return None;
    }
    // SQLite: "UNIQUE constraint failed: relays.subdomain" (several columns: "t.a, t.b").
    db.message().rsplit_once(": ").map(|(_, name)| name)
}

/// Whether the database answers a query.
pub async fn ping(pool: &SqlitePool) -> sqlx::Result<()> {
    sqlx::query_scalar!("SELECT 1 AS one")
        .fetch_one(pool)
        .await?;
    Ok(())
}
