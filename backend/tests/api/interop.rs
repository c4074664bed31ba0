//! Independent implementations: headers signed by nostr-tools (as the dashboard and most
//! web clients sign them) are accepted and their replays refused; an @getalby/sdk wallet
//! service works as the operator's wallet.

use std::path::Path;
use std::process::Command;

use nostr_sdk::Keys;
use serde_json::Value;

use crate::helpers::{Invoice, TestApp};

/// Runs `tests/peers/nip98-sign.mjs`; returns (authorization, exact body text).
fn nostr_tools_sign(
    keys: &Keys,
    url: &str,
    method: &str,
    body: Option<&str>,
) -> (String, Option<String>) {
    let peers = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers");
    assert!(
        peers.join("node_modules/nostr-tools").exists(),
        "run `npm ci --prefix backend/tests/peers` first (just test does)"
    );
    let mut cmd = Command::new("node");
    cmd.arg(peers.join("nip98-sign.mjs"))
        .arg(keys.secret_key().to_secret_hex())
        .arg(url)
        .arg(method);
    if let Some(b) = body {
        cmd.arg(b);
    }
    let out = cmd.output().expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        v["authorization"].as_str().unwrap().to_string(),
        v["body"].as_str().map(String::from),
    )
}

#[tokio::test]
async fn nostr_tools_headers_are_accepted_for_reads_and_writes() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let (auth, _) = nostr_tools_sign(&keys, &format!("{}/api/identity", app.url), "get", None);
    let me = app.raw("GET", "/api/identity", None, Some(&auth)).await;
    assert_eq!(me.status, 200, "{:?}", me.body);
    assert_eq!(me.body["pubkey"], keys.public_key().to_hex());

    let (auth, body) = nostr_tools_sign(
        &keys,
        &format!("{}/api/relays", app.url),
        "post",
        Some(r#"{"name":"From JS","subdomain":"from-js","plan":"free"}"#),
    );
    let created = app
        .raw("POST", "/api/relays", body.as_deref(), Some(&auth))
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["tenant"], keys.public_key().to_hex());

    let replay = app
        .raw("POST", "/api/relays", body.as_deref(), Some(&auth))
        .await;
    assert_eq!((replay.status, replay.code()), (401, "auth/replayed"));

    let (auth, _) = nostr_tools_sign(
        &keys,
        &format!("{}/api/relays?q=from", app.url),
        "get",
        None,
    );
    let listed = app
        .raw("GET", "/api/relays?q=from", None, Some(&auth))
        .await;
    assert_eq!(listed.body["total"], 1);
}

/// The operator's wallet is @getalby/sdk's NWCWalletService, an independent NIP-47
/// implementation whose answers carry only an `e` tag: Caravel still gets a BOLT11 it
/// checks, and sees the payment when the wallet reports it settled.
// Multi-threaded: the peer's stdout is read with blocking calls while the relay serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alby_wallet_service_issues_and_settles_invoices() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;

    let (_relay, relay_url) = crate::helpers::billing::local_relay().await;
    let peers = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers");
    assert!(
        peers.join("node_modules/@getalby/sdk").exists(),
        "run `npm ci --prefix backend/tests/peers` first (just test does)"
    );
    let mut child = Command::new("node")
        .arg(peers.join("alby-wallet.mjs"))
        .arg(&relay_url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map(KillOnDrop)
        .expect("node runs");
    let mut out = BufReader::new(child.0.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).expect("the Alby wallet starts");
    let uri = serde_json::from_str::<Value>(&line).unwrap()["uri"]
        .as_str()
        .unwrap()
        .to_string();

    let app = TestApp::spawn_with(&[
        ("NWC_URL", uri.as_str()),
        ("LIGHTNING_NETWORK", "regtest"),
        ("NWC_TIMEOUT_SECS", "5"),
        ("WORKER_TICK_SECS", "1"),
        ("ROBOT_MESSAGING_RELAYS", relay_url.as_str()),
    ])
    .await;
    let keys = Keys::generate();
    app.as_tenant(&keys)
        .create_relay("alby-paid", "basic")
        .await;
    let invoice =
        crate::helpers::billing::wait_invoice(&app, &keys, "a BOLT11 from the Alby wallet", |i| {
            i.bolt11.is_some()
        })
        .await;
    let bolt11 = invoice.bolt11.as_deref().unwrap();
    assert!(bolt11.starts_with("lnbcrt100u"), "{bolt11}");
    let hash = invoice.payment_hash.as_deref().unwrap();

    let mut stdin = child.0.stdin.take().unwrap();
    writeln!(stdin, "pay {hash}").unwrap();
    line.clear();
    out.read_line(&mut line).unwrap();
    assert_eq!(line.trim(), format!("paid {hash}"));
    let checked: Invoice = app.as_tenant(&keys).check_invoice(&invoice.id).await.ok();
    assert_eq!(checked.status, "paid");
}

/// A peer process that is stopped when the test ends, however it ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
