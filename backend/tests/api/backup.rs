//! Restore drill: back up a live server while it takes writes, wipe the database, restore
//! the backup, and find every row, every secret and every acknowledged write again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::helpers::{self as common, TestApp, eventually};
use caravel::Server;
use caravel::db::backup;
use caravel_testkit::zooid::ZooidStandIn;
use nostr_sdk::Keys;
use rusqlite::Connection;

/// Every row of every table, as text, per table.
fn dump(db: &Path) -> BTreeMap<String, Vec<String>> {
    let conn = Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let n = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    (0..n)
                        .map(|i| r.get_ref(i).map(|v| format!("{v:?}")))
                        .collect::<Result<Vec<_>, _>>()
                        .map(|v| v.join("|"))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows.sort();
            (t, rows)
        })
        .collect()
}

fn count(db: &Path, sql: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_under_writes_restores_every_row_and_secret() {
    let robot = Keys::generate();
    let zooid = ZooidStandIn::start(&[robot.public_key()]).await;
    let secret = robot.secret_key().to_secret_hex();
    let zooid_url = zooid.url();
    let app = TestApp::spawn_with(&[
        ("ZOOID_API_URL", zooid_url.as_str()),
        ("ZOOID_API_SECRET", secret.as_str()),
        ("NWC_URL", common::TEST_NWC_URL),
    ])
    .await;
    let db = app.dir.path().join("caravel.db");

    // Seed: tenants with free and paid relays (paid ones are invoiced).
    let mut relays = Vec::new();
    for i in 0..6 {
        let tenant = Keys::generate();
        let plan = if i % 2 == 0 { "free" } else { "basic" };
        let relay = app
            .as_tenant(&tenant)
            .create_relay(&format!("seed-{i}"), plan)
            .await;
        relays.push((tenant, relay.id));
    }
    for (_, id) in &relays {
        eventually(10, "zooid to have every seeded relay", || async {
            zooid.config(id).map(|_| ())
        })
        .await;
    }

    // Writes keep coming while the backup runs; one is acknowledged before it starts.
    let writer_keys = Keys::generate();
    let acknowledged = app
        .as_tenant(&writer_keys)
        .create_relay("acked-before", "free")
        .await
        .id;
    let app = Arc::new(app);
    let running = Arc::new(AtomicBool::new(true));
    let writer = {
        let (app, running, keys) = (app.clone(), running.clone(), Keys::generate());
        tokio::spawn(async move {
            let mut n = 0;
            while running.load(Ordering::SeqCst) {
                app.as_tenant(&keys)
                    .create_relay(&format!("during-{n}"), "free")
                    .await;
                n += 1;
            }
            n
        })
    };
    // Let the writer get going, so the backup overlaps it.
    eventually(10, "writes under way", || async {
        (count(
            &db,
            "SELECT count(*) FROM relays WHERE subdomain LIKE 'during-%'",
        ) >= 2)
            .then_some(())
    })
    .await;
    let file: PathBuf = app.dir.path().join("drill.db");
    let written = {
        let (db, file) = (db.clone(), file.clone());
        tokio::task::spawn_blocking(move || backup::write(&db, &file))
            .await
            .unwrap()
            .expect("a backup under writes succeeds")
    };
    running.store(false, Ordering::SeqCst);
    let during = writer.await.unwrap();
    assert!(during >= 2, "the writer wrote while the backup ran");
    assert!(written.bytes > 0);
    let in_backup = dump(&file);
    assert_eq!(
        count(
            &file,
            &format!("SELECT count(*) FROM relays WHERE id = '{acknowledged}'")
        ),
        1,
        "a write acknowledged before the backup started is in it"
    );
    for table in ["tenants", "relays", "invoices", "activity"] {
        assert!(
            in_backup.get(table).is_some_and(|rows| !rows.is_empty()),
            "the drill seeds {table}"
        );
    }

    // While the server runs, a restore is refused and changes nothing.
    let url = format!("sqlite://{}", db.display());
    let refused = backup::restore(&url, &file).await.unwrap_err().to_string();
    assert!(refused.contains("another Caravel process"), "{refused}");

    // Stop, wipe, restore.
    let app = Arc::try_unwrap(app)
        .ok()
        .expect("no other handle to the app");
    let TestApp {
        server, dir, admin, ..
    } = app;
    let settings = (*server.state.settings).clone();
    server.stop().await.unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let restored = backup::restore(&url, &file).await.expect("restore");
    assert!(
        restored.kept_aside.is_none(),
        "the wiped database left nothing to keep"
    );
    assert_eq!(dump(&db), in_backup, "every row is back");

    // Restoring again keeps the current database aside.
    let again = backup::restore(&url, &file).await.expect("second restore");
    assert!(again.kept_aside.as_ref().is_some_and(|p| p.exists()));

    // The restored server serves the rows, and its vault opens every secret: a forced sync
    // sends zooid each relay's configuration again.
    let server = Server::start(settings)
        .await
        .expect("restored server starts");
    let state = &server.state;
    let rows = state
        .reader
        .read(|c| {
            c.prepare("SELECT id, secret_enc FROM relays")?
                .query_map([], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .unwrap();
    assert!(rows.len() > relays.len());
    for (id, sealed) in &rows {
        state
            .vault
            .open_sealed(&caravel::vault::relay_secret_context(id), sealed)
            .expect("every relay secret decrypts with the platform key");
    }
    let base = format!("http://{}", server.addr);
    let http = reqwest::Client::new();
    for (tenant, id) in &relays {
        zooid.forget(id);
        let path = format!("/api/relays/{id}/sync");
        let auth = common::sign(
            &admin,
            &format!("{}{path}", server.public_url),
            "POST",
            None,
        );
        let reply = http
            .post(format!("{base}{path}"))
            .header("authorization", auth)
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 200);
        let path = format!("/api/relays/{id}");
        let auth = common::sign(tenant, &format!("{}{path}", server.public_url), "GET", None);
        let relay: serde_json::Value = http
            .get(format!("{base}{path}"))
            .header("authorization", auth)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            relay["id"],
            id.as_str(),
            "the owner sees the restored relay"
        );
    }
    for (_, id) in &relays {
        eventually(10, "zooid to receive the restored relay", || async {
            zooid.config(id).map(|_| ())
        })
        .await;
    }
    server.stop().await.unwrap();
    drop(dir);
}

#[tokio::test]
async fn a_backup_from_a_newer_version_or_a_damaged_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caravel.db");
    let url = format!("sqlite://{}", db.display());
    caravel::db::connect(&url).await.unwrap().close().await;
    let newer = dir.path().join("newer.db");
    backup::write(&db, &newer).unwrap();
    Connection::open(&newer)
        .unwrap()
        .execute_batch(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (99991231000000, 'from the future', 1, x'00', 0)",
        )
        .unwrap();
    let err = format!("{:#}", backup::restore(&url, &newer).await.unwrap_err());
    assert!(err.contains("newer Caravel"), "{err}");

    let damaged = dir.path().join("damaged.db");
    std::fs::write(&damaged, b"not a database at all").unwrap();
    assert!(backup::restore(&url, &damaged).await.is_err());
    // The database in place is untouched by both refusals.
    assert!(count(&db, "SELECT count(*) FROM plans") > 0);
}
