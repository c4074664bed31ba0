//! Metrics: `GET /metrics` answers on `METRICS_ADDR` only, in Prometheus text that
//! independent tools accept (`promtool check metrics`, Python's `prometheus_client` parser),
//! and its series move as requests are answered, refused, and relays are provisioned.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::{self as common, TestApp, eventually};
use caravel::config::Settings;
use caravel_testkit::zooid::ZooidStandIn;
use nostr_sdk::Keys;
use serde_json::Value;

/// One sample: its name, labels and value, as the Python parser read it.
#[derive(Debug, Clone)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

struct Scrape(Vec<Sample>);

impl Scrape {
    /// The value of the sample `name` whose labels include `labels` (0 when absent).
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.0
            .iter()
            .filter(|s| s.name == name)
            .filter(|s| {
                labels
                    .iter()
                    .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
            })
            .map(|s| s.value)
            .sum()
    }

    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|s| s.name == name)
    }
}

/// Python with `prometheus_client`: Debian's (`python3-prometheus-client`) lives beside
/// /usr/bin/python3, which a python3 earlier on PATH may not see.
fn python() -> &'static str {
    if std::path::Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

const PARSE: &str = r#"
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        out.append({"name": s.name, "labels": s.labels, "value": s.value})
print(json.dumps(out))
"#;

fn run_with_stdin(program: &str, args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("running {program} (apt-get install prometheus python3-prometheus-client): {e}")
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Scrapes `/metrics`, has promtool check the text, and reads it with Python's parser.
async fn scrape(app: &TestApp) -> Scrape {
    let addr = app.server.metrics_addr.expect("METRICS_ADDR is set");
    let resp = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .expect("the metrics listener answers");
    assert_eq!(resp.status(), 200);
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let text = resp.text().await.unwrap();

    let checked = run_with_stdin("promtool", &["check", "metrics"], &text);
    assert!(
        checked.status.success(),
        "promtool check metrics: {}{}\n---\n{text}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );

    let parsed = run_with_stdin(python(), &["-c", PARSE], &text);
    assert!(
        parsed.status.success(),
        "prometheus_client could not parse the scrape: {}\n---\n{text}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let samples: Vec<Value> = serde_json::from_slice(&parsed.stdout).unwrap();
    Scrape(
        samples
            .into_iter()
            .map(|s| Sample {
                name: s["name"].as_str().unwrap().to_string(),
                labels: serde_json::from_value(s["labels"].clone()).unwrap(),
                value: s["value"].as_f64().unwrap(),
            })
            .collect(),
    )
}

/// A platform provisioning through `zooid`, with metrics on a free loopback port.
async fn platform(zooid: &ZooidStandIn, robot: &Keys) -> TestApp {
    let secret = robot.secret_key().to_secret_hex();
    let url = zooid.url();
    TestApp::spawn_with(&[
        ("ZOOID_API_URL", url.as_str()),
        ("ZOOID_API_SECRET", secret.as_str()),
        ("NWC_URL", common::TEST_NWC_URL),
        ("METRICS_ADDR", "127.0.0.1:0"),
    ])
    .await
}

#[tokio::test]
async fn requests_refusals_and_provisioning_move_their_series() {
    let robot = Keys::generate();
    let zooid = ZooidStandIn::start(&[robot.public_key()]).await;
    let app = platform(&zooid, &robot).await;
    let before = scrape(&app).await;
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        before.value("caravel_build_info", &[("version", version)]),
        1.0
    );

    let owner = Keys::generate();
    let relay = app.as_tenant(&owner).create_relay("gauges", "basic").await;
    let id = relay.id.clone();
    eventually(10, "the relay to be in sync", || async {
        let r = app
            .as_tenant(&owner)
            .get(&format!("/api/relays/{id}"))
            .await
            .body;
        (r["sync"]["state"] == "synced").then_some(())
    })
    .await;
    let refused = app
        .raw("GET", "/api/relays", None, Some("Nostr not-base64!"))
        .await;
    assert_eq!((refused.status, refused.code()), (401, "auth/malformed"));

    let after = scrape(&app).await;
    let moved = |name: &str, labels: &[(&str, &str)]| {
        after.value(name, labels) - before.value(name, labels)
    };
    // Requests by route template, never the raw path (which holds the relay's id).
    let created = [
        ("method", "POST"),
        ("route", "/api/relays"),
        ("status", "2xx"),
    ];
    assert!(moved("caravel_http_requests_total", &created) >= 1.0);
    let read = [
        ("method", "GET"),
        ("route", "/api/relays/{id}"),
        ("status", "2xx"),
    ];
    assert!(moved("caravel_http_requests_total", &read) >= 1.0);
    assert!(
        !after
            .0
            .iter()
            .any(|s| s.labels.get("route").is_some_and(|r| r.contains(&id))),
        "no series is labelled with a raw path"
    );
    let timed = [("method", "POST"), ("route", "/api/relays")];
    assert!(moved("caravel_http_request_duration_seconds_count", &timed) >= 1.0);
    assert!(after.has("caravel_http_request_duration_seconds_bucket"));
    // The refused header, by its code (and counted as a 4xx of its route).
    assert!(moved("caravel_auth_refusals_total", &[("code", "auth/malformed")]) >= 1.0);
    let refused = [
        ("method", "GET"),
        ("route", "/api/relays"),
        ("status", "4xx"),
    ];
    assert!(moved("caravel_http_requests_total", &refused) >= 1.0);
    // The relay's sync against the zooid stand-in, and the worker's heartbeat.
    let synced = [("outcome", "succeeded")];
    assert!(moved("caravel_provisioning_syncs_total", &synced) >= 1.0);
    assert!(moved("caravel_provisioning_sync_duration_seconds_count", &synced) >= 1.0);
    let now = caravel::clock::unix_now() as f64;
    let last_pass = after.value(
        "caravel_worker_last_pass_timestamp_seconds",
        &[("worker", "provisioning")],
    );
    assert!(
        now - last_pass < 30.0,
        "provisioning passed at {last_pass}, now {now}"
    );
    // Backlogs read at scrape time.
    assert!(after.has("caravel_provisioning_relays_behind"));
    assert!(after.has("caravel_provisioning_relays_failing"));
    assert!(after.has("caravel_outbox_messages_pending"));
    for status in ["open", "paid", "void"] {
        assert!(
            after
                .0
                .iter()
                .any(|s| s.name == "caravel_invoices" && s.labels["status"] == status),
            "caravel_invoices{{status={status:?}}}"
        );
    }
}

#[tokio::test]
async fn metrics_are_not_served_on_the_public_port() {
    let app = TestApp::spawn_with(&[("METRICS_ADDR", "127.0.0.1:0")]).await;
    let public = app.anonymous().get("/metrics").await;
    assert_eq!((public.status, public.code()), (404, "route/not-found"));
    let private = app.server.metrics_addr.unwrap();
    assert_ne!(private.port(), app.server.addr.port());
    assert!(scrape(&app).await.has("caravel_build_info"));
}

#[tokio::test]
async fn without_metrics_addr_nothing_listens() {
    let app = TestApp::spawn_with(&[]).await;
    assert!(app.server.metrics_addr.is_none());
    assert_eq!(app.anonymous().get("/metrics").await.status, 404);
}

#[test]
fn metrics_addr_and_log_format_are_checked() {
    let settings = |vars: &[(&str, &str)]| {
        let vars: BTreeMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| vars.get(k).cloned())
    };
    let defaults = settings(&[]).unwrap();
    assert!(
        defaults.metrics_addr.is_none(),
        "metrics are off by default"
    );
    let on = settings(&[("METRICS_ADDR", "127.0.0.1:9464"), ("LOG_FORMAT", "JSON")]).unwrap();
    assert_eq!(on.metrics_addr, Some("127.0.0.1:9464".parse().unwrap()));
    assert_eq!(on.log_format, caravel::config::LogFormat::Json);
    let err = settings(&[("METRICS_ADDR", "localhost"), ("LOG_FORMAT", "xml")])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("METRICS_ADDR") && err.contains("LOG_FORMAT"),
        "{err}"
    );
    let same = settings(&[("PORT", "9464"), ("METRICS_ADDR", "0.0.0.0:9464")])
        .unwrap_err()
        .to_string();
    assert!(
        same.contains("METRICS_ADDR must use another port"),
        "{same}"
    );
}
