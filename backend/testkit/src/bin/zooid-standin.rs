//! The zooid stand-in as a process, for the dashboard's end-to-end tests: it prints one JSON
//! line `{"api_url", "relay_url", "api_secret"}` (the platform signs zooid's API with
//! `api_secret`) and serves until its standard input closes.

use caravel_testkit::zooid::ZooidStandIn;
use nostr_sdk::Keys;
use tokio::io::AsyncReadExt;

#[tokio::main]
async fn main() {
    let platform = Keys::generate();
    let zooid = ZooidStandIn::start(&[platform.public_key()]).await;
    println!(
        "{}",
        serde_json::json!({
            "api_url": zooid.url(),
            "relay_url": zooid.relay_url(),
            "api_secret": platform.secret_key().to_secret_hex(),
        })
    );
    let mut sink = Vec::new();
    let _ = tokio::io::stdin().read_to_end(&mut sink).await;
}
