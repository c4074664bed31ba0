//! `just bench`, billing part: 10,000 tenants with two paid relays each reach their period
//! boundary; time to create every period invoice and get each its BOLT11 from a wallet that
//! answers every NIP-47 request after 20 ms, and how many invoices an immediate second
//! run creates (must be 0). Everything runs in-process on loopback: an in-process relay, the
//! test wallet service, the real billing code against a temporary SQLite database.
//!
//! Usage: caravel-bench-billing [tenants]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::Context;
use caravel::billing::{Billing, Clock, issue, run};
use caravel::config::Settings;
use caravel::lifecycle;
use caravel::vault::Vault;
use caravel::wallet::WalletClient;
use caravel_testkit::wallet::{Ledger, Options, WalletService};
use nostr_relay_builder::LocalRelay;
use nostr_relay_builder::builder::{RateLimit, RelayBuilder};
use nostr_sdk::nips::nip47::NostrWalletConnectURI;

/// 10,000 tenants in a minute; 100,000 and more in three (the scale target).
fn target_secs(tenants: usize) -> f64 {
    if tenants >= 100_000 { 180.0 } else { 60.0 }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let tenants: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()
        .context("usage: caravel-bench-billing [tenants]")?
        .unwrap_or(10_000);
    let relay = LocalRelay::new(
        RelayBuilder::default()
            .addr("127.0.0.1".parse()?)
            .rate_limit(RateLimit {
                max_reqs: 10_000,
                notes_per_minute: u32::MAX,
            }),
    );
    relay.run().await?;
    let url = relay.url().await.to_string();
    let options = Options {
        latency: Duration::from_millis(20),
        ..Options::default()
    };
    let wallet = WalletService::start(&url, Ledger::default(), options).await?;

    let dir = tempfile::tempdir()?;
    let vars: HashMap<&str, String> = HashMap::from([
        ("DATA_DIR", dir.path().display().to_string()),
        (
            "DATABASE_URL",
            format!("sqlite://{}/bench.db", dir.path().display()),
        ),
        ("NWC_URL", wallet.uri()),
        ("LIGHTNING_NETWORK", "regtest".into()),
        ("NWC_TIMEOUT_SECS", "30".into()),
    ]);
    let settings = Settings::from_lookup(|k| vars.get(k).cloned())?;
    let db = caravel::db::connect(&settings.database_url).await?;
    let settings = std::sync::Arc::new(settings);
    let life = lifecycle::Ctx::new(&settings, Clock::default(), "http://127.0.0.1");
    let billing = Billing::new(db, Vault::new(&[7; 32]), settings, life);
    let boundary = billing.clock.now() - 60;
    seed(&billing, tenants, boundary).await?;
    let uri = NostrWalletConnectURI::parse(wallet.uri())?;
    let client = WalletClient::connect(&uri, Duration::from_secs(30)).await?;

    println!("caravel billing bench — {tenants} tenants × 2 paid relays, wallet latency 20 ms");
    let started = Instant::now();
    let created = run::run_periods(&billing).await?;
    let invoiced = started.elapsed();
    let issued = issue::issue_due(&billing, &client).await?.finished;
    let total = started.elapsed();
    println!("period invoices created:             {created:>10}");
    println!(
        "  time to create them                {:>10.2} s",
        invoiced.as_secs_f64()
    );
    println!("BOLT11s issued (make_invoice, 20 ms): {issued:>9}");
    println!(
        "  time to issue every period invoice {:>10.2} s",
        total.as_secs_f64()
    );
    let again = run::run_periods(&billing).await?;
    let reissued = issue::issue_due(&billing, &client).await?.finished;
    println!("invoices created by a second run:    {again:>10}");
    println!("BOLT11s issued by a second run:      {reissued:>10}");
    let ok = created == tenants && issued == tenants && again == 0 && reissued == 0;
    let target = target_secs(tenants);
    let fast = total.as_secs_f64() < target;
    println!();
    println!(
        "[{}] every tenant invoiced once, every invoice with a BOLT11",
        if ok { "ok" } else { "FAIL" }
    );
    println!(
        "[{}] under {target:.0} s ({:.1} s)",
        if fast { "ok" } else { "FAIL" },
        total.as_secs_f64()
    );
    client.shutdown().await;
    wallet.stop().await;
    if !(ok && fast) {
        std::process::exit(1);
    }
    Ok(())
}

/// Tenants whose period began a minute ago, each with two active Basic relays.
async fn seed(billing: &Billing, tenants: usize, boundary: i64) -> anyhow::Result<()> {
    let anchor = boundary - 30 * 86_400;
    let mut tx = billing.db.begin().await?;
    for t in 0..tenants {
        let pubkey = format!("{t:064x}");
        sqlx::query!(
            "INSERT INTO tenants (pubkey, billing_anchor, billed_through, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            pubkey,
            anchor,
            boundary,
            anchor,
            anchor
        )
        .execute(&mut *tx)
        .await?;
        for r in 0..2 {
            let id = format!("bench{t}x{r}");
            let sub = format!("b{t}x{r}");
            let key = format!("{:064x}", t * 2 + r + 1);
            let secret = [0u8; 8].to_vec();
            sqlx::query!(
                "INSERT INTO relays (id, tenant, name, subdomain, schema, plan, status, pubkey, secret_enc, synced_version,
                                     created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, 'basic', 'active', ?, ?, 1, ?, ?)",
                id,
                pubkey,
                sub,
                sub,
                sub,
                key,
                secret,
                anchor,
                anchor
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
