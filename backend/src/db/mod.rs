//! The SQLite database: connection, migrations, and one repository module per table. No
//! SQL lives outside this folder. Repository functions take any executor, so a lifecycle
//! transition or a handler can compose them in one transaction.

pub mod activity;
pub mod backup;
pub mod charges;
pub mod invoices;
pub mod livekit_relays;
pub mod livekit_rooms;
pub mod outbox;
pub mod payment_attempts;
pub mod plans;
pub mod reader;
pub mod relay_claims;
pub mod relay_invites;
pub mod relay_moves;
pub mod relay_reads;
pub mod relay_roles;
pub mod relay_sync;
pub mod relays;
pub mod robot_published;
pub mod row;
pub mod stats;
pub mod tenants;
pub mod wallet_pulls;
pub mod zooid_nodes;

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
        // A commit or rollback that failed (a full disk, say) can leave the connection inside a
        // transaction that SQLite already ended; reused, every write on it would fail until a
        // restart. Such a connection is closed instead and the pool opens a fresh one.
        .after_release(|conn, _| {
            let broken = sqlx::Connection::is_in_transaction(conn);
            if broken {
                tracing::warn!("closing a database connection left inside a failed transaction");
            }
            Box::pin(async move { Ok(!broken) })
        })
        .connect_with(options)
        .await
        .with_context(|| format!("opening the database {url}"))?;
    sqlx::migrate!("../migrations")
        .run(&pool)
        .await
        .context("applying database migrations")?;
    Ok(pool)
}

/// Refuses to start on a missing or empty database file when the platform's key files in
/// `data_dir` show that data existed: that is a lost or truncated database, not a fresh install,
/// and starting would silently serve a platform with no tenants.
pub fn refuse_lost_database(url: &str, data_dir: &std::path::Path) -> anyhow::Result<()> {
    if is_in_memory(url) {
        return Ok(());
    }
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("DATABASE_URL {url:?} is not a sqlite:// URL"))?;
    let file = options.get_filename();
    let empty = std::fs::metadata(file).map_or(true, |m| m.len() == 0);
    let keys: Vec<_> = ["platform.key", "robot.key"]
        .into_iter()
        .map(|name| data_dir.join(name))
        .filter(|path| path.exists())
        .collect();
    if empty && !keys.is_empty() {
        let shown: Vec<String> = keys.iter().map(|p| p.display().to_string()).collect();
        anyhow::bail!(
            "the database {} is missing or empty, but {} show that this platform had data. \
             Restore the database from a backup; or, to start anew with no data, remove {}.",
            file.display(),
            shown.join(" and "),
            shown.join(" and ")
        );
    }
    Ok(())
}

/// Whether `DATABASE_URL` names a database that lives only in this process's memory.
pub fn is_in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// Whether the database takes writes: a write transaction that needs a fresh page and must
/// reach the disk at commit, and leaves nothing behind (its pages go to the free list and are
/// reused by the next probe).
pub async fn check_writable(pool: &SqlitePool) -> sqlx::Result<()> {
    let mut tx = begin_write(pool).await?;
    for statement in [
        "CREATE TABLE IF NOT EXISTS caravel_write_probe (b BLOB)",
        "INSERT INTO caravel_write_probe VALUES (zeroblob(4096))",
        "DROP TABLE caravel_write_probe",
    ] {
        sqlx::query(statement).execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// Rows (or values) bound as one JSON array parameter, which a statement reads with
/// `json_each(?)`: a batch of any size in one statement.
pub fn json_rows<T: serde::Serialize + ?Sized>(rows: &T) -> sqlx::Result<String> {
    serde_json::to_string(rows).map_err(|e| sqlx::Error::Encode(e.into()))
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
