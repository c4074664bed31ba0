//! Reads that answer API requests on the calling thread.
//!
//! sqlx drives each SQLite connection from a thread of its own and streams rows back over a
//! channel, copying every value; for the small indexed reads behind the dashboard that hand-off
//! costs more than the query and than the request's signature check (measured with `just bench
//! api`: about 100 µs of CPU per relay-list request, against about 50 µs for all the rest).
//! The [`Reader`] keeps a few query-only connections to the same file and runs a read where it
//! is asked for. In WAL mode a reader never waits for a writer and sees every transaction
//! committed before it starts, so these reads are exactly as fresh as the pool's.
//!
//! Writes, and reads inside a write transaction, stay on the sqlx pool with checked queries.
//! The statements here are prepared against the migrated schema by this module's tests.
//!
//! [`Reader::read`] runs inline, for reads bounded by an index (one row by key, one tenant's
//! rows). [`Reader::scan`] runs on tokio's blocking pool, for reads that may walk a table.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use parking_lot::Mutex;
use rusqlite::{Connection, OpenFlags};
use sqlx::sqlite::SqliteConnectOptions;
use tokio::sync::Semaphore;

/// Idle connections kept; more are opened while more threads read at once.
const KEEP_IDLE: usize = 8;
/// Scans that run at once; more wait for a turn. Without a bound, 64 concurrent searches ran
/// on 64 blocking threads, and all but the kept connections were opened (schema read,
/// statements prepared) and closed again for each one: 6.6 ms of CPU per search of 200,000
/// relays where the query itself takes under 2 ms.
const SCANS_AT_ONCE: usize = 4;

#[derive(Clone)]
pub struct Reader {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    scans: Arc<Semaphore>,
}

impl Reader {
    /// Opens the database named by `DATABASE_URL` for reading (after [`super::connect`] made
    /// and migrated it).
    pub fn open(url: &str) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("DATABASE_URL {url:?} is not a sqlite:// URL"))?;
        let path = options.get_filename().to_path_buf();
        if super::is_in_memory(url) {
            bail!(
                "DATABASE_URL {url:?} is an in-memory database; name a file, so nothing is lost on restart"
            );
        }
        let reader = Self {
            inner: Arc::new(Inner {
                path,
                idle: Mutex::new(Vec::new()),
                scans: Arc::new(Semaphore::new(SCANS_AT_ONCE)),
            }),
        };
        let first = reader.connect()?;
        reader.inner.idle.lock().push(first);
        Ok(reader)
    }

    /// Runs `query` on this thread. Only for reads an index bounds.
    pub fn read<T>(
        &self,
        query: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> anyhow::Result<T> {
        let conn = match self.inner.idle.lock().pop() {
            Some(conn) => conn,
            None => self.connect()?,
        };
        let result = query(&conn).context("reading the database");
        let mut idle = self.inner.idle.lock();
        if idle.len() < KEEP_IDLE {
            idle.push(conn);
        }
        result
    }

    /// Runs `query` on tokio's blocking pool, for reads that may scan a table, when one of the
    /// [`SCANS_AT_ONCE`] turns is free.
    pub async fn scan<T: Send + 'static>(
        &self,
        query: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        // The turn goes with the read, which runs on even if the request is dropped.
        let turn = Arc::clone(&self.inner.scans)
            .acquire_owned()
            .await
            .context("the reader is closed")?;
        let reader = self.clone();
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            reader.read(query)
        })
        .await
        .context("a database read panicked")?
    }

    fn connect(&self) -> anyhow::Result<Connection> {
        open_query_only(&self.inner.path)
            .with_context(|| format!("opening {} for reading", self.inner.path.display()))
    }
}

/// Runs `reads` in one read transaction: its statements see one snapshot, and the
/// database's shared locks are taken and released once rather than per statement.
pub fn snapshot<T>(
    conn: &Connection,
    reads: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    conn.prepare_cached("BEGIN")?.execute([])?;
    let result = reads(conn);
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    conn.prepare_cached(end)?.execute([])?;
    result
}

fn open_query_only(path: &Path) -> rusqlite::Result<Connection> {
    // Opened read-write so it can share the WAL index with the writer; `query_only` refuses
    // any statement that would change the file.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "query_only", true)?;
    conn.set_prepared_statement_cache_capacity(32);
    Ok(conn)
}

/// A migrated database in a temporary folder, with its pool and a reader, for unit tests.
#[cfg(test)]
pub(crate) async fn scratch() -> (tempfile::TempDir, sqlx::SqlitePool, Reader) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/t.db", dir.path().display());
    let pool = super::connect(&url).await.unwrap();
    let reader = Reader::open(&url).unwrap();
    (dir, pool, reader)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_see_committed_writes_and_cannot_write() {
        let (_dir, pool, reader) = scratch().await;
        let plans =
            |c: &Connection| c.query_row("SELECT count(*) FROM plans", [], |r| r.get::<_, i64>(0));
        assert_eq!(reader.read(plans).unwrap(), 3);
        sqlx::query("INSERT INTO plans (id, name, price_sats, max_members, blossom, livekit, position) VALUES ('x', 'X', 0, 1, 0, 0, 9)")
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(
            reader.scan(plans).await.unwrap(),
            4,
            "a committed write is visible at once"
        );
        let refused = reader.read(|c| c.execute("DELETE FROM plans WHERE id = 'x'", []));
        assert!(refused.is_err(), "the reader is query-only");
    }

    #[test]
    fn an_in_memory_database_is_refused() {
        let err = Reader::open("sqlite::memory:").err().unwrap();
        assert!(err.to_string().contains("name a file"), "{err}");
    }
}
