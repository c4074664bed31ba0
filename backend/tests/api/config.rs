//! Settings: everything has a default, and bad values are all reported at once, by name.

use std::collections::HashMap;

use caravel::config::Settings;

fn settings(vars: &[(&str, &str)]) -> Result<Settings, caravel::config::ConfigError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::from_lookup(|k| map.get(k).cloned())
}

#[test]
fn it_runs_with_no_configuration_at_all() {
    let s = settings(&[]).unwrap();
    assert_eq!(s.database_url, "sqlite://data/caravel.db");
    assert_eq!((s.host.as_str(), s.port), ("127.0.0.1", 3000));
    assert_eq!(s.relay_domain, "localhost");
    assert_eq!(s.zooid.config_dir, std::path::PathBuf::from("data/zooid"));
    assert!(
        s.admins.is_empty() && s.public_url.is_none() && s.nwc_url.is_none() && s.livekit.is_none()
    );
    assert!(!s.billing_enabled());
    assert_eq!(s.billing_grace_days, 7);
}

#[test]
fn every_problem_is_reported_with_its_variable() {
    let err = settings(&[
        ("PORT", "eighty"),
        ("ADMINS", "npub1nope"),
        ("PUBLIC_URL", "ftp://x"),
        ("NWC_URL", "https://wallet"),
        ("ZOOID_API_URL", "http://127.0.0.1:3334"),
        ("LIVEKIT_URL", "wss://lk.example.com"),
        ("ROBOT_OUTBOX_RELAYS", "relay.example.com, https://nope"),
        ("RELAY_DOMAIN", "bad domain"),
        ("DATABASE_URL", "sqlite::memory:"),
    ])
    .unwrap_err()
    .to_string();
    for name in [
        "PORT",
        "ADMINS",
        "PUBLIC_URL",
        "NWC_URL",
        "ZOOID_API_SECRET",
        "LIVEKIT_API_KEY",
        "ROBOT_OUTBOX_RELAYS",
        "RELAY_DOMAIN",
        "DATABASE_URL",
    ] {
        assert!(err.contains(name), "{name} is named in: {err}");
    }
}

#[test]
fn admins_take_hex_or_npub_and_relay_lists_get_a_scheme() {
    let s = settings(&[
        ("ADMINS", "npub1sg6plzptd64u62a878hep2kev88swjh3tw00gjsfl8f237lmu63q0uf63m, 79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
        ("ROBOT_MESSAGING_RELAYS", "relay.example.com,wss://b.example.com/"),
        ("PUBLIC_URL", "https://caravel.example.com/"),
    ])
    .unwrap();
    assert_eq!(s.admins.len(), 2);
    let urls: Vec<String> = s
        .robot
        .messaging_relays
        .iter()
        .map(|u| u.to_string())
        .collect();
    assert_eq!(
        urls,
        vec!["wss://relay.example.com/", "wss://b.example.com/"]
    );
    assert_eq!(
        s.public_url.unwrap().as_str(),
        "https://caravel.example.com/"
    );
}

#[test]
fn secrets_do_not_print() {
    let s = settings(&[
        ("NWC_URL", "nostr+walletconnect://b889ff5b1513b641e2a139f661a661364979c5beee91842f8f0ef42ab558e9d4?relay=wss%3A%2F%2Fr.example.com&secret=71a8c14c1407c113601079c4302dab36460f0ccd0ad506f1f2dc73b5100e4f3c"),
        ("ROBOT_SECRET", "71a8c14c1407c113601079c4302dab36460f0ccd0ad506f1f2dc73b5100e4f3d"),
        ("PLATFORM_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"),
    ])
    .unwrap();
    let shown = format!("{s:?}");
    for secret in [
        "71a8c14c1407c113601079c4302dab36460f0ccd0ad506f1f2dc73b5100e4f3c",
        "71a8c14c1407c113601079c4302dab36460f0ccd0ad506f1f2dc73b5100e4f3d",
        "00112233445566778899aabbccddeeff",
    ] {
        assert!(!shown.contains(secret));
    }
}

#[test]
fn billing_settings_are_validated() {
    let vars = |k: &str| match k {
        "LIGHTNING_NETWORK" => Some("litecoin".to_string()),
        "WORKER_TICK_SECS" => Some("0".to_string()),
        _ => None,
    };
    let err = caravel::config::Settings::from_lookup(vars)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("LIGHTNING_NETWORK must be bitcoin, testnet, signet or regtest"),
        "{err}"
    );
    assert!(err.contains("WORKER_TICK_SECS must be at least 1"), "{err}");
    let ok = caravel::config::Settings::from_lookup(|k| {
        (k == "LIGHTNING_NETWORK").then(|| "REGTEST".to_string())
    })
    .unwrap();
    assert_eq!(ok.lightning_network, "regtest");
    assert_eq!(
        (
            ok.invoice_expiry_secs,
            ok.nwc_timeout_secs,
            ok.billing_grace_days
        ),
        (86_400, 30, 7)
    );
}

#[test]
fn livekit_limits_and_the_relay_url_template_have_defaults_and_are_checked() {
    let s = settings(&[]).unwrap();
    let o = &s.livekit_options;
    assert_eq!(o.ttl.as_secs(), 180);
    assert_eq!((o.per_pubkey_per_minute, o.per_ip_per_minute), (10, 30));
    assert_eq!(s.relay_url("my-relay"), "wss://my-relay.localhost");

    let s = settings(&[
        ("LIVEKIT_TOKEN_TTL", "60"),
        ("LIVEKIT_RATE_PER_PUBKEY", "3"),
        ("RELAY_URL_TEMPLATE", "ws://127.0.0.1:3334"),
    ])
    .unwrap();
    assert_eq!(s.livekit_options.ttl.as_secs(), 60);
    assert_eq!(s.livekit_options.per_pubkey_per_minute, 3);
    assert_eq!(s.relay_url("anything"), "ws://127.0.0.1:3334");

    let err = settings(&[
        ("RELAY_URL_TEMPLATE", "https://{subdomain}.{domain}"),
        ("LIVEKIT_TOKEN_TTL", "soon"),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("RELAY_URL_TEMPLATE") && err.contains("LIVEKIT_TOKEN_TTL"),
        "{err}"
    );
}
