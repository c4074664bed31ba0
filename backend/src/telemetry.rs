//! Logging and metrics. Logs: `RUST_LOG` filters (default `info`), `LOG_FORMAT=json` writes
//! one JSON object per line with the current span's fields. Metrics: see [`metrics`] for
//! every name and [`exporter`] for `METRICS_ADDR`.

pub mod exporter;
pub mod metrics;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Starts logging. Runs before the settings are read, so it loads `.env` itself; an
/// invalid `LOG_FORMAT` falls back to text here and is reported by the settings check.
pub fn init() {
    let _ = dotenvy::dotenv();
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let format = std::env::var("LOG_FORMAT")
        .ok()
        .and_then(|v| LogFormat::parse(&v).ok())
        .unwrap_or_default();
    match format {
        // Each line carries the current span's fields and the list of spans it sits in.
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}
