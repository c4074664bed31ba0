//! Typed settings read from the environment (and `.env`), validated once at start-up.
//! Every key has a default, so the service runs with no configuration at all.

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use nostr_sdk::nips::nip47::NostrWalletConnectURI;
use nostr_sdk::{Keys, PublicKey, SecretKey};
use url::Url;

mod parse;

pub use parse::{parse_public_key, parse_relay_list};

/// A value that must never be printed: `Debug` shows only that it is set.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(**redacted**)")
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub data_dir: PathBuf,
    pub host: String,
    pub port: u16,
    /// Base URL that NIP-98 `u` tags are checked against. `None`: derived from the bound address.
    pub public_url: Option<Url>,
    pub admins: BTreeSet<PublicKey>,
    pub allow_origins: Vec<String>,
    pub relay_domain: String,
    /// 64-hex key that encrypts secrets at rest; `None`: kept in `DATA_DIR/platform.key`.
    pub platform_key: Option<Secret<[u8; 32]>>,
    pub zooid: ZooidSettings,
    pub nwc_url: Option<Secret<NostrWalletConnectURI>>,
    pub robot: RobotSettings,
    pub livekit: Option<LivekitSettings>,
    /// Token lifetime, rate limits and the room watcher's pace.
    pub livekit_options: LivekitOptions,
    /// How the platform reaches a hosted relay: `{subdomain}` and `{domain}` are filled in
    /// (`RELAY_URL_TEMPLATE`, default `wss://{subdomain}.{domain}`).
    pub relay_url_template: String,
    pub billing_grace_days: u32,
    pub sync: SyncSettings,
    /// The built dashboard served at `/` (`frontend/build` by default).
    pub web_dir: PathBuf,
    /// The Lightning network BOLT11 invoices must be for: `bitcoin`, `testnet`, `signet` or `regtest`.
    pub lightning_network: String,
    /// How long each BOLT11 stays payable; a fresh one is issued after it expires.
    pub invoice_expiry_secs: u32,
    /// How long to wait for a wallet's answer to one NIP-47 request.
    pub nwc_timeout_secs: u32,
    /// How often the billing and message workers look for work when nothing wakes them.
    pub worker_tick_secs: u32,
    pub backup: BackupSettings,
}

/// Scheduled online backups of the database.
#[derive(Debug, Clone)]
pub struct BackupSettings {
    /// Where scheduled backups go (`BACKUP_DIR`, default `DATA_DIR/backups`).
    pub dir: PathBuf,
    /// How often (`BACKUP_INTERVAL`, default `24h`); `None`: scheduled backups are off.
    pub interval: Option<Duration>,
    /// How many scheduled backups to keep (`BACKUP_KEEP`, default 7).
    pub keep: u32,
}

/// How the provisioning worker talks to zooid and retries.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    /// Syncs in flight at once (`SYNC_CONCURRENCY`, default 64).
    pub concurrency: usize,
    /// First retry delay after a failure, doubling each time (`SYNC_RETRY_BASE_MS`, default 5000).
    pub retry_base: Duration,
    /// Longest retry delay (`SYNC_RETRY_MAX_SECS`, default 900).
    pub retry_max: Duration,
    /// Timeout of one request to zooid (`ZOOID_TIMEOUT_MS`, default 15000).
    pub timeout: Duration,
    /// How long a claimed sync is reserved before another run may take it over.
    pub lease: Duration,
}

impl Default for SyncSettings {
    fn default() -> Self {
        Self::new(64, 5000, 900, 15_000)
    }
}

impl SyncSettings {
    fn new(concurrency: usize, retry_base_ms: u64, retry_max_secs: u64, timeout_ms: u64) -> Self {
        let timeout = Duration::from_millis(timeout_ms);
        Self {
            concurrency: concurrency.max(1),
            retry_base: Duration::from_millis(retry_base_ms.max(1)),
            retry_max: Duration::from_secs(retry_max_secs.max(1)),
            timeout,
            // Two requests (POST then PUT) and the bookkeeping must fit in the lease.
            lease: timeout * 2 + Duration::from_secs(30),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ZooidSettings {
    pub api_url: Option<Url>,
    pub api_secret: Option<Secret<SecretKey>>,
    pub config_dir: PathBuf,
}

#[derive(Debug, Clone)]
pub struct RobotSettings {
    pub secret: Option<Secret<SecretKey>>,
    pub name: String,
    pub description: String,
    pub picture: Option<Url>,
    pub outbox_relays: Vec<Url>,
    pub indexer_relays: Vec<Url>,
    pub messaging_relays: Vec<Url>,
}

#[derive(Debug, Clone)]
pub struct LivekitSettings {
    pub url: Url,
    pub api_key: String,
    pub api_secret: Secret<String>,
}

/// The LiveKit service's limits and pace.
#[derive(Debug, Clone)]
pub struct LivekitOptions {
    /// Lifetime of an issued token (`LIVEKIT_TOKEN_TTL` seconds, default 180).
    pub ttl: Duration,
    /// Token requests allowed per pubkey per minute (`LIVEKIT_RATE_PER_PUBKEY`, default 10).
    pub per_pubkey_per_minute: u32,
    /// Token requests allowed per client IP per minute (`LIVEKIT_RATE_PER_IP`, default 30).
    pub per_ip_per_minute: u32,
    /// How often the room watcher reconciles: relays to watch, rooms to keep, stale rooms to
    /// remove (`LIVEKIT_SWEEP_SECS`, default 30).
    pub sweep: Duration,
    /// Take the client IP for rate limits from the last `X-Forwarded-For` entry, as appended
    /// by a reverse proxy in front (`LIVEKIT_TRUST_FORWARDED_FOR`, default false: the TCP peer).
    pub trust_forwarded_for: bool,
}

impl Default for LivekitOptions {
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(180),
            per_pubkey_per_minute: 10,
            per_ip_per_minute: 30,
            sweep: Duration::from_secs(30),
            trust_forwarded_for: false,
        }
    }
}

/// Every problem found in the environment, each naming its variable.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration:\n  - {}", .0.join("\n  - "))]
pub struct ConfigError(pub Vec<String>);

impl Settings {
    /// Reads the process environment, after loading `.env` if there is one.
    pub fn from_env() -> Result<Self, ConfigError> {
        let _ = dotenvy::dotenv();
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads settings through `lookup`; blank values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut r = parse::Reader::new(lookup);
        let data_dir = PathBuf::from(r.string("DATA_DIR", "data"));
        let database_url = r.string(
            "DATABASE_URL",
            &format!("sqlite://{}/caravel.db", data_dir.display()),
        );
        if crate::db::is_in_memory(&database_url) {
            r.problem("DATABASE_URL must name a file: an in-memory database would lose every relay and invoice on restart");
        }
        let host = r.string("HOST", "127.0.0.1");
        let port = r.parsed("PORT", 3000u16);
        let public_url = r.optional("PUBLIC_URL", parse::base_url);
        let admins = r
            .optional("ADMINS", |v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(parse_public_key)
                    .collect()
            })
            .unwrap_or_default();
        let allow_origins = r.list("ALLOW_ORIGINS");
        let relay_domain = r.checked("RELAY_DOMAIN", "localhost", parse::domain);
        let platform_key = r.optional("PLATFORM_KEY", parse::key32).map(Secret::new);
        let zooid = ZooidSettings {
            api_url: r.optional("ZOOID_API_URL", parse::http_url),
            api_secret: r
                .optional("ZOOID_API_SECRET", parse::secret_key)
                .map(Secret::new),
            config_dir: r
                .optional("ZOOID_CONFIG_DIR", |v| Ok(PathBuf::from(v)))
                .unwrap_or_else(|| data_dir.join("zooid")),
        };
        if zooid.api_url.is_some() && zooid.api_secret.is_none() {
            r.problem("ZOOID_API_SECRET is required when ZOOID_API_URL is set (the key whose pubkey is in zooid's API_WHITELIST)");
        }
        let nwc_url = r
            .optional("NWC_URL", |v| {
                NostrWalletConnectURI::parse(v).map_err(|_| {
                    "is not a nostr+walletconnect:// URI with a relay and a secret".to_string()
                })
            })
            .map(Secret::new);
        let robot = RobotSettings {
            secret: r
                .optional("ROBOT_SECRET", parse::secret_key)
                .map(Secret::new),
            name: r.string("ROBOT_NAME", "Caravel"),
            description: r.string(
                "ROBOT_DESCRIPTION",
                "Notices from your relay host: invoices, receipts and relay status.",
            ),
            picture: r.optional("ROBOT_PICTURE", parse::http_url),
            outbox_relays: r
                .optional("ROBOT_OUTBOX_RELAYS", parse_relay_list)
                .unwrap_or_default(),
            indexer_relays: r
                .optional("ROBOT_INDEXER_RELAYS", parse_relay_list)
                .unwrap_or_default(),
            messaging_relays: r
                .optional("ROBOT_MESSAGING_RELAYS", parse_relay_list)
                .unwrap_or_default(),
        };
        let livekit_url = r.optional("LIVEKIT_URL", parse::livekit_url);
        let livekit_key = r.optional("LIVEKIT_API_KEY", |v| Ok(v.to_string()));
        let livekit_secret = r.optional("LIVEKIT_API_SECRET", |v| Ok(v.to_string()));
        let livekit = match (livekit_url, livekit_key, livekit_secret) {
            (Some(url), Some(api_key), Some(secret)) => Some(LivekitSettings {
                url,
                api_key,
                api_secret: Secret::new(secret),
            }),
            (None, None, None) => None,
            _ => {
                r.problem("LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be set together (or none of them)");
                None
            }
        };
        let livekit_options = LivekitOptions {
            ttl: Duration::from_secs(r.parsed("LIVEKIT_TOKEN_TTL", 180u64).clamp(10, 86_400)),
            per_pubkey_per_minute: r.parsed("LIVEKIT_RATE_PER_PUBKEY", 10u32).max(1),
            per_ip_per_minute: r.parsed("LIVEKIT_RATE_PER_IP", 30u32).max(1),
            sweep: Duration::from_secs(r.parsed("LIVEKIT_SWEEP_SECS", 30u64).max(1)),
            trust_forwarded_for: r
                .optional("LIVEKIT_TRUST_FORWARDED_FOR", parse::boolean)
                .unwrap_or(false),
        };
        let relay_url_template = r.checked(
            "RELAY_URL_TEMPLATE",
            "wss://{subdomain}.{domain}",
            parse::relay_url_template,
        );
        let billing_grace_days = r.parsed("BILLING_GRACE_DAYS", 7u32);
        let sync = SyncSettings::new(
            r.parsed("SYNC_CONCURRENCY", 64usize),
            r.parsed("SYNC_RETRY_BASE_MS", 5000u64),
            r.parsed("SYNC_RETRY_MAX_SECS", 900u64),
            r.parsed("ZOOID_TIMEOUT_MS", 15_000u64),
        );
        let web_dir = PathBuf::from(r.string("WEB_DIR", "frontend/build"));
        let lightning_network = r.checked("LIGHTNING_NETWORK", "bitcoin", |v| {
            let v = v.to_ascii_lowercase();
            match v.as_str() {
                "bitcoin" | "mainnet" => Ok("bitcoin".to_string()),
                "testnet" | "signet" | "regtest" => Ok(v),
                _ => Err(format!(
                    "must be bitcoin, testnet, signet or regtest, got {v:?}"
                )),
            }
        });
        let invoice_expiry_secs = r.parsed("BILLING_INVOICE_EXPIRY_SECS", 86_400u32);
        let nwc_timeout_secs = r.parsed("NWC_TIMEOUT_SECS", 30u32);
        let worker_tick_secs = r.parsed("WORKER_TICK_SECS", 30u32);
        let backup = BackupSettings {
            dir: r
                .optional("BACKUP_DIR", |v| Ok(PathBuf::from(v)))
                .unwrap_or_else(|| data_dir.join("backups")),
            interval: r
                .optional("BACKUP_INTERVAL", parse::interval)
                .unwrap_or(Some(Duration::from_secs(24 * 3600))),
            keep: r.parsed("BACKUP_KEEP", 7u32),
        };
        for (key, value) in [
            ("BACKUP_KEEP", backup.keep),
            ("BILLING_INVOICE_EXPIRY_SECS", invoice_expiry_secs),
            ("NWC_TIMEOUT_SECS", nwc_timeout_secs),
            ("WORKER_TICK_SECS", worker_tick_secs),
        ] {
            if value == 0 {
                r.problem(format!("{key} must be at least 1"));
            }
        }
        r.finish(Settings {
            database_url,
            data_dir,
            host,
            port,
            public_url,
            admins,
            allow_origins,
            relay_domain,
            platform_key,
            zooid,
            nwc_url,
            robot,
            livekit,
            livekit_options,
            relay_url_template,
            billing_grace_days,
            sync,
            web_dir,
            lightning_network,
            invoice_expiry_secs,
            nwc_timeout_secs,
            worker_tick_secs,
            backup,
        })
    }

    /// The platform's own key for the robot, when one was configured.
    pub fn robot_keys(&self) -> Option<Keys> {
        self.robot
            .secret
            .as_ref()
            .map(|s| Keys::new(s.expose().clone()))
    }

    /// Whether paid plans can be sold: billing needs the operator's wallet.
    pub fn billing_enabled(&self) -> bool {
        self.nwc_url.is_some()
    }

    /// The WebSocket URL at which the platform reaches the relay on `subdomain`.
    pub fn relay_url(&self, subdomain: &str) -> String {
        self.relay_url_template
            .replace("{subdomain}", subdomain)
            .replace("{domain}", &self.relay_domain)
    }

    pub fn is_admin(&self, pubkey: &PublicKey) -> bool {
        self.admins.contains(pubkey)
    }
}
