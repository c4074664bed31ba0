//! Every metric Caravel exports, in one place: its name, kind and help text, and the
//! one-line recorders the code calls where the thing happens. Without `METRICS_ADDR` no
//! recorder is installed and each call is a no-op.
//!
//! Names carry the `caravel_` prefix and their unit (`_seconds`, `_total`); labels take
//! values from closed sets (route templates, error codes, outcomes), never raw input.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use metrics::{Counter, Histogram, counter, gauge, histogram};

use crate::error::Code;

pub const BUILD_INFO: &str = "caravel_build_info";
pub const HTTP_REQUESTS: &str = "caravel_http_requests_total";
pub const HTTP_DURATION: &str = "caravel_http_request_duration_seconds";
pub const AUTH_REFUSALS: &str = "caravel_auth_refusals_total";
pub const PROVISIONING_BEHIND: &str = "caravel_provisioning_relays_behind";
pub const PROVISIONING_FAILING: &str = "caravel_provisioning_relays_failing";
pub const PROVISIONING_SYNCS: &str = "caravel_provisioning_syncs_total";
pub const PROVISIONING_DURATION: &str = "caravel_provisioning_sync_duration_seconds";
pub const INVOICES: &str = "caravel_invoices";
pub const BILLING_PULLS: &str = "caravel_billing_pulls_total";
pub const BILLING_PAYMENTS: &str = "caravel_billing_payments_total";
pub const WALLET_REQUESTS: &str = "caravel_wallet_requests_total";
pub const WALLET_DURATION: &str = "caravel_wallet_request_duration_seconds";
pub const OUTBOX_PENDING: &str = "caravel_outbox_messages_pending";
pub const OUTBOX_FAILING: &str = "caravel_outbox_messages_failing";
pub const OUTBOX_DELIVERIES: &str = "caravel_outbox_deliveries_total";
pub const LIVEKIT_TOKENS_ISSUED: &str = "caravel_livekit_tokens_issued_total";
pub const LIVEKIT_TOKENS_REFUSED: &str = "caravel_livekit_tokens_refused_total";
pub const LIVEKIT_WEBHOOKS: &str = "caravel_livekit_webhooks_total";
pub const WORKER_LAST_PASS: &str = "caravel_worker_last_pass_timestamp_seconds";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Counter,
    Gauge,
    Histogram,
}

/// Every metric with its kind and help text; spec.md's "Metrics" section lists the same.
pub const CATALOGUE: &[(&str, Kind, &str)] = &[
    (
        BUILD_INFO,
        Kind::Gauge,
        "Always 1; the labels say which build is running (version, git_sha when known).",
    ),
    (
        HTTP_REQUESTS,
        Kind::Counter,
        "HTTP requests answered, by method, route template and status class.",
    ),
    (
        HTTP_DURATION,
        Kind::Histogram,
        "Time to answer an HTTP request, by method and route template.",
    ),
    (
        AUTH_REFUSALS,
        Kind::Counter,
        "Requests refused by NIP-98 authentication or the admin check, by error code.",
    ),
    (
        PROVISIONING_BEHIND,
        Kind::Gauge,
        "Relays whose latest change zooid has not applied yet.",
    ),
    (
        PROVISIONING_FAILING,
        Kind::Gauge,
        "Relays behind whose last sync attempt failed.",
    ),
    (
        PROVISIONING_SYNCS,
        Kind::Counter,
        "Sync attempts against zooid, by outcome (succeeded, failed).",
    ),
    (
        PROVISIONING_DURATION,
        Kind::Histogram,
        "Time of one sync against zooid, by outcome.",
    ),
    (INVOICES, Kind::Gauge, "Invoices by status."),
    (
        BILLING_PULLS,
        Kind::Counter,
        "Recurring payments asked of tenants' wallets, by outcome (paid, failed).",
    ),
    (
        BILLING_PAYMENTS,
        Kind::Counter,
        "Invoices settled, by how the payment was seen (notification, lookup, recurring, admin).",
    ),
    (
        WALLET_REQUESTS,
        Kind::Counter,
        "NIP-47 requests to wallets, by method and outcome (ok, refused, timeout, unreachable, protocol).",
    ),
    (
        WALLET_DURATION,
        Kind::Histogram,
        "Time from a NIP-47 request to its answer (or failure), by method.",
    ),
    (
        OUTBOX_PENDING,
        Kind::Gauge,
        "Messages to tenants not delivered yet.",
    ),
    (
        OUTBOX_FAILING,
        Kind::Gauge,
        "Undelivered messages whose last delivery attempt failed.",
    ),
    (
        OUTBOX_DELIVERIES,
        Kind::Counter,
        "Message delivery attempts, by outcome (delivered, failed).",
    ),
    (
        LIVEKIT_TOKENS_ISSUED,
        Kind::Counter,
        "LiveKit join tokens issued.",
    ),
    (
        LIVEKIT_TOKENS_REFUSED,
        Kind::Counter,
        "LiveKit join tokens refused, by error code.",
    ),
    (
        LIVEKIT_WEBHOOKS,
        Kind::Counter,
        "LiveKit webhooks received, by outcome (accepted, duplicate, second-session, bad-signature).",
    ),
    (
        WORKER_LAST_PASS,
        Kind::Gauge,
        "Unix time of each worker's last successful pass (provisioning, billing, messages, livekit).",
    ),
];

/// Registers the help texts and the build's identity with the installed recorder.
pub fn describe() {
    for &(name, kind, help) in CATALOGUE {
        match kind {
            Kind::Counter => metrics::describe_counter!(name, help),
            Kind::Gauge => metrics::describe_gauge!(name, help),
            Kind::Histogram => metrics::describe_histogram!(name, help),
        }
    }
    let version = env!("CARGO_PKG_VERSION");
    match option_env!("CARAVEL_GIT_SHA") {
        Some(sha) => gauge!(BUILD_INFO, "version" => version, "git_sha" => sha).set(1.0),
        None => gauge!(BUILD_INFO, "version" => version).set(1.0),
    }
}

/// One answered HTTP request. `route` is the matched template (`/api/relays/{id}`).
const METHODS: [&str; 8] = [
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other",
];
const CLASSES: [&str; 5] = ["1xx", "2xx", "3xx", "4xx", "5xx"];

/// One route's series, by method and status class, looked up once per thread: registering a
/// labelled series allocates and hashes its labels, which would cost every request.
#[derive(Default)]
struct RouteSeries {
    requests: [[Option<Counter>; 5]; 8],
    durations: [Option<Histogram>; 8],
}

thread_local! {
    static HTTP_SERIES: RefCell<HashMap<Box<str>, RouteSeries>> = RefCell::new(HashMap::new());
}

pub fn http_request(method: &str, route: &str, status: u16, elapsed: Duration) {
    let class = match status {
        100..=199 => 0,
        200..=299 => 1,
        300..=399 => 2,
        400..=499 => 3,
        _ => 4,
    };
    // Only the methods the API routes; anything else is one bucket, whatever a client sends.
    let m = METHODS[..7].iter().position(|k| *k == method).unwrap_or(7);
    HTTP_SERIES.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.contains_key(route) {
            cache.insert(route.into(), RouteSeries::default());
        }
        let series = cache.get_mut(route).expect("inserted above");
        let method = METHODS[m];
        series.requests[m][class]
            .get_or_insert_with(|| {
                counter!(HTTP_REQUESTS, "method" => method, "route" => route.to_owned(), "status" => CLASSES[class])
            })
            .increment(1);
        series.durations[m]
            .get_or_insert_with(|| {
                histogram!(HTTP_DURATION, "method" => method, "route" => route.to_owned())
            })
            .record(elapsed);
    });
}

pub fn auth_refused(code: Code) {
    counter!(AUTH_REFUSALS, "code" => code.as_str()).increment(1);
}

pub fn provisioning_sync(succeeded: bool, elapsed: Duration) {
    let outcome = if succeeded { "succeeded" } else { "failed" };
    counter!(PROVISIONING_SYNCS, "outcome" => outcome).increment(1);
    histogram!(PROVISIONING_DURATION, "outcome" => outcome).record(elapsed);
}

/// The provisioning backlog, read at scrape time.
pub fn provisioning_backlog(behind: i64, failing: i64) {
    gauge!(PROVISIONING_BEHIND).set(behind as f64);
    gauge!(PROVISIONING_FAILING).set(failing as f64);
}

pub fn invoices(status: &'static str, count: i64) {
    gauge!(INVOICES, "status" => status).set(count as f64);
}

pub fn billing_pull(paid: bool) {
    let outcome = if paid { "paid" } else { "failed" };
    counter!(BILLING_PULLS, "outcome" => outcome).increment(1);
}

/// An invoice settled; `via` is how the payment was seen.
pub fn billing_payment(via: &str) {
    counter!(BILLING_PAYMENTS, "via" => via.to_owned()).increment(1);
}

pub fn wallet_request(method: String, outcome: &'static str, elapsed: Duration) {
    counter!(WALLET_REQUESTS, "method" => method.clone(), "outcome" => outcome).increment(1);
    histogram!(WALLET_DURATION, "method" => method).record(elapsed);
}

/// The message outbox, read at scrape time.
pub fn outbox_backlog(pending: i64, failing: i64) {
    gauge!(OUTBOX_PENDING).set(pending as f64);
    gauge!(OUTBOX_FAILING).set(failing as f64);
}

pub fn outbox_delivery(delivered: bool) {
    let outcome = if delivered { "delivered" } else { "failed" };
    counter!(OUTBOX_DELIVERIES, "outcome" => outcome).increment(1);
}

/// A token request's result: issued, or refused with `code`.
pub fn livekit_token(refused: Option<Code>) {
    match refused {
        None => counter!(LIVEKIT_TOKENS_ISSUED).increment(1),
        Some(code) => counter!(LIVEKIT_TOKENS_REFUSED, "code" => code.as_str()).increment(1),
    }
}

pub fn livekit_webhook(outcome: &'static str) {
    counter!(LIVEKIT_WEBHOOKS, "outcome" => outcome).increment(1);
}

/// The background workers whose liveness is exported.
#[derive(Debug, Clone, Copy)]
pub enum Worker {
    Provisioning,
    Billing,
    Messages,
    Livekit,
}

/// `worker` finished a pass without error just now.
pub fn worker_pass(worker: Worker) {
    let name = match worker {
        Worker::Provisioning => "provisioning",
        Worker::Billing => "billing",
        Worker::Messages => "messages",
        Worker::Livekit => "livekit",
    };
    gauge!(WORKER_LAST_PASS, "worker" => name).set(crate::clock::unix_now() as f64);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_prefixed_and_in_the_spec() {
        let spec = include_str!("../../../spec.md");
        let mut names: Vec<&str> = CATALOGUE.iter().map(|(n, ..)| *n).collect();
        for name in &names {
            assert!(name.starts_with("caravel_"), "{name}");
            assert!(spec.contains(&format!("`{name}`")), "spec.md lists {name}");
        }
        for &(name, kind, _) in CATALOGUE {
            let counter = name.ends_with("_total");
            assert_eq!(
                counter,
                kind == Kind::Counter,
                "{name}: counters end in _total"
            );
        }
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n);
    }
}
