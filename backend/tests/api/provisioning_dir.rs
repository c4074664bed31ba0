//! Provisioning into zooid's config directory (the default without ZOOID_API_URL): one
//! TOML file per relay, always whole, in the format zooid reads.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use nostr_sdk::Keys;
use serde_json::json;

use crate::helpers::{Relay, TestApp, eventually};

fn config_dir(app: &TestApp) -> PathBuf {
    app.dir.path().join("zooid")
}

async fn read_toml(app: &TestApp, id: &str, want: impl Fn(&toml::Value) -> bool) -> toml::Value {
    let path = config_dir(app).join(format!("{id}.toml"));
    eventually(10, "the config file", || async {
        let text = std::fs::read_to_string(&path).ok()?;
        let value: toml::Value = toml::from_str(&text).expect("the file is valid TOML");
        want(&value).then_some(value)
    })
    .await
}

#[tokio::test]
async fn each_relay_gets_a_zooid_toml_file_with_the_right_fields() {
    let app = TestApp::spawn_with(&[("NWC_URL", crate::helpers::TEST_NWC_URL)]).await;
    let keys = Keys::generate();
    let relay: Relay = app.as_tenant(&keys).try_create_relay(json!({ "name": "On Disk", "subdomain": "on-disk", "description": "Lines\nand \"quotes\"", "plan": "basic" })).await.expect(201);
    let id = relay.id.as_str();
    let config = read_toml(&app, id, |_| true).await;
    assert_eq!(config["host"].as_str(), Some("on-disk.relays.test"));
    assert_eq!(config["schema"].as_str(), Some("on_disk"));
    assert_eq!(config["inactive"].as_bool(), Some(false));
    assert_eq!(config["info"]["name"].as_str(), Some("On Disk"));
    assert_eq!(
        config["info"]["description"].as_str(),
        Some("Lines\nand \"quotes\"")
    );
    assert_eq!(
        config["info"]["pubkey"].as_str(),
        Some(keys.public_key().to_hex().as_str())
    );
    let secret = config["secret"].as_str().unwrap();
    assert_eq!(
        Keys::parse(secret).unwrap().public_key().to_hex(),
        relay.pubkey
    );
    assert_eq!(config["blossom"]["enabled"].as_bool(), Some(true));
    assert_eq!(config["groups"]["enabled"].as_bool(), Some(true));
    assert_eq!(config["management"]["enabled"].as_bool(), Some(true));
    assert_eq!(config["policy"]["public_join"].as_bool(), Some(false));
    assert_eq!(
        config["livekit"]["api_key"].as_str(),
        Some(""),
        "LiveKit is not configured on this platform"
    );
    let admins = config["roles"]["admin"]["pubkeys"].as_array().unwrap();
    assert_eq!(
        admins[0].as_str(),
        Some(keys.public_key().to_hex().as_str())
    );
    assert_eq!(config["roles"]["admin"]["can_manage"].as_bool(), Some(true));
    let state = eventually(10, "active", || async {
        let r = app.as_tenant(&keys).relay(id).await;
        (r.status == "active").then_some(r)
    })
    .await;
    assert_eq!(state.sync.state, "synced");
}

#[tokio::test]
async fn deactivation_keeps_the_file_with_inactive_true() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let id = app
        .as_tenant(&keys)
        .create_relay("kept-file", "free")
        .await
        .id;
    read_toml(&app, &id, |_| true).await;
    app.as_tenant(&keys).deactivate(&id).await;
    let config = read_toml(&app, &id, |c| c["inactive"].as_bool() == Some(true)).await;
    assert_eq!(
        config["schema"].as_str(),
        Some("kept_file"),
        "the file and its data stay"
    );
}

#[tokio::test]
async fn rewrites_are_atomic_and_no_stray_file_appears() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let id = app.as_tenant(&keys).create_relay("atomic", "free").await.id;
    read_toml(&app, &id, |_| true).await;

    // A reader watches the directory as zooid would while the relay is rewritten many times.
    let dir = config_dir(&app);
    let stop = Arc::new(AtomicBool::new(false));
    let expected = format!("{id}.toml");
    let reader = {
        let (dir, stop, expected) = (dir.clone(), stop.clone(), expected.clone());
        std::thread::spawn(move || {
            let mut reads = 0;
            while !stop.load(Ordering::Relaxed) {
                for entry in std::fs::read_dir(&dir).unwrap() {
                    let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                    assert_eq!(
                        name, expected,
                        "only the relay's own file ever appears in zooid's directory"
                    );
                    if let Ok(text) = std::fs::read_to_string(dir.join(&name)) {
                        let parsed: toml::Value =
                            toml::from_str(&text).expect("never a half-written file");
                        assert!(parsed["secret"].as_str().is_some_and(|s| s.len() == 64));
                        reads += 1;
                    }
                }
            }
            reads
        })
    };
    for i in 0..30 {
        let description = "x".repeat(i * 50);
        app.as_tenant(&keys)
            .update_relay(
                &id,
                json!({ "name": format!("Version {i}"), "description": description }),
            )
            .await;
    }
    read_toml(&app, &id, |c| {
        c["info"]["name"].as_str() == Some("Version 29")
    })
    .await;
    stop.store(true, Ordering::Relaxed);
    let reads = reader.join().expect("the reader saw only whole files");
    assert!(reads > 0);
}
