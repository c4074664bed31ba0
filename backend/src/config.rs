//! Typed settings read from the environment (and `.env`), validated once at start-up.
//! Every key has a default, so the service runs with no configuration at all.
//!
//! Secrets are held as the text they were given, in `secrecy`'s `SecretString`: `Debug` shows
//! only that one is set, and the text is wiped when dropped. They are validated here at
//! start-up; the accessors that turn one into a key or a wallet URI parse it again when used.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use nostr_sdk::nips::nip47::NostrWalletConnectURI;
use nostr_sdk::{Keys, PublicKey, SecretKey};
pub use secrecy::{ExposeSecret, SecretBox, SecretString};
use url::Url;

mod parse;

pub use parse::{parse_public_key, parse_relay_list};

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
    pub platform_key: Option<SecretString>,
    pub zooid: ZooidSettings,
    pub fleet: FleetSettings,
    pub nwc_url: Option<SecretString>,
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
    /// How often the member watcher re-reads every relay's member list in full, besides
    /// following it live (`MEMBERS_RECOUNT_SECS`, default 600); also how soon it notices
    /// relays to start or stop watching (at most every 30 s).
    pub members_recount: Duration,
    /// Limits that keep slow or idle clients from holding the server's sockets and memory.
    pub http: HttpLimits,
    /// Where `GET /metrics` (Prometheus text) is served, apart from the public port
    /// (`METRICS_ADDR`, e.g. `127.0.0.1:9464`). `None`: no metrics are recorded or served.
    pub metrics_addr: Option<SocketAddr>,
    /// `LOG_FORMAT`: `text` (default) or `json`, one object per line.
    pub log_format: LogFormat,
    pub backup: BackupSettings,
}

/// The HTTP server's limits against clients that are slow, idle or too many.
#[derive(Debug, Clone)]
pub struct HttpLimits {
    /// Longest wait for a request's headers, on a new connection and between keep-alive
    /// requests alike: an idle keep-alive connection closes after it (`HTTP_HEADER_TIMEOUT_SECS`,
    /// default 10).
    pub header_timeout: Duration,
    /// Longest a request may take from its headers to its answer, body upload included
    /// (`HTTP_REQUEST_TIMEOUT_SECS`, default 30). A request past it is answered 408.
    pub request_timeout: Duration,
    /// Connections served at once; more are closed as soon as they are accepted
    /// (`HTTP_MAX_CONNECTIONS`, default 4096, lowered to fit the open-file limit).
    pub max_connections: usize,
    /// Largest request body (`HTTP_MAX_BODY_BYTES`, default 262144). A declared
    /// `Content-Length` above it is refused 413 before any of the body is read.
    pub max_body_bytes: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: 4096,
            max_body_bytes: 256 * 1024,
        }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl LogFormat {
    pub fn parse(value: &str) -> Result<Self, String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "text" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            other => Err(format!("must be text or json, got {other:?}")),
        }
    }
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
    pub api_secret: Option<SecretString>,
    pub config_dir: PathBuf,
    /// Numeric group id that may read the config directory (zooid's, when it runs as another
    /// user; `ZOOID_CONFIG_GID`). Unset: only the owner can read it.
    pub config_gid: Option<u32>,
    /// The node these settings define at start-up (`main`): where the proxy sends its relay
    /// traffic (`ZOOID_UPSTREAM`, an `ip:port`, default `127.0.0.1:3334`) and how many relays
    /// it may hold (`ZOOID_CAPACITY`, default 1000000). Admins add more nodes through the API.
    pub upstream: SocketAddr,
    pub capacity: i64,
}

/// How the fleet is watched and routed.
#[derive(Debug, Clone)]
pub struct FleetSettings {
    /// Longest wait between probes of an unreachable node (`NODE_PROBE_MAX_MS`, default 2000):
    /// how long at most a node's recovery goes unnoticed.
    pub probe_max: Duration,
    /// Where the platform answers the proxy's DNS lookups of relay hosts with the address of
    /// the node serving each (`ROUTING_DNS_ADDR`, e.g. `127.0.0.1:5353`). `None`: not served.
    pub dns_addr: Option<SocketAddr>,
    /// Caddy's admin API (`CADDY_ADMIN_URL`, e.g. `http://127.0.0.1:2019`): when set, the
    /// platform keeps its one relay route in Caddy's config (and touches nothing else).
    pub caddy_admin: Option<Url>,
    /// The Caddy server the route belongs to (`CADDY_SERVER`, default `srv0`, the name Caddy
    /// gives a Caddyfile's first server).
    pub caddy_server: String,
    /// Where Caddy reaches the DNS answerer (`CADDY_DNS_ADDR`; default: `ROUTING_DNS_ADDR`
    /// as bound).
    pub caddy_dns: Option<SocketAddr>,
}

impl ZooidSettings {
    /// The key zooid's API knows the platform by (`ZOOID_API_SECRET`), when one was configured.
    pub fn api_keys(&self) -> Option<Keys> {
        secret_key(self.api_secret.as_ref()?).map(Keys::new)
    }
}

#[derive(Debug, Clone)]
pub struct RobotSettings {
    pub secret: Option<SecretString>,
    pub name: String,
    pub description: String,
    pub picture: Option<Url>,
    pub outbox_relays: Vec<Url>,
    pub indexer_relays: Vec<Url>,
    pub messaging_relays: Vec<Url>,
}

impl RobotSettings {
    /// The robot's configured key (`ROBOT_SECRET`).
    pub fn secret_key(&self) -> Option<SecretKey> {
        secret_key(self.secret.as_ref()?)
    }
}

#[derive(Debug, Clone)]
pub struct LivekitSettings {
    pub url: Url,
    pub api_key: String,
    pub api_secret: SecretString,
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
        let platform_key = r.optional("PLATFORM_KEY", |v| secret_if(v, parse::key32));
        let zooid = ZooidSettings {
            api_url: r.optional("ZOOID_API_URL", parse::http_url),
            api_secret: r.optional("ZOOID_API_SECRET", |v| secret_if(v, parse::secret_key)),
            config_dir: r
                .optional("ZOOID_CONFIG_DIR", |v| Ok(PathBuf::from(v)))
                .unwrap_or_else(|| data_dir.join("zooid")),
            config_gid: r.optional("ZOOID_CONFIG_GID", |v| {
                v.parse()
                    .map_err(|_| format!("must be a numeric group id, got {v:?}"))
            }),
            upstream: r
                .optional("ZOOID_UPSTREAM", parse::socket_addr)
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3334))),
            capacity: r.parsed("ZOOID_CAPACITY", 1_000_000i64),
        };
        if zooid.api_url.is_some() && zooid.api_secret.is_none() {
            r.problem("ZOOID_API_SECRET is required when ZOOID_API_URL is set (the key whose pubkey is in zooid's API_WHITELIST)");
        }
        let nwc_url = r.optional("NWC_URL", |v| secret_if(v, parse_nwc));
        let robot = RobotSettings {
            secret: r.optional("ROBOT_SECRET", |v| secret_if(v, parse::secret_key)),
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
        let livekit_secret = r.optional("LIVEKIT_API_SECRET", |v| Ok(SecretString::from(v)));
        let livekit = match (livekit_url, livekit_key, livekit_secret) {
            (Some(url), Some(api_key), Some(secret)) => Some(LivekitSettings {
                url,
                api_key,
                api_secret: secret,
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
        let members_recount = r.parsed("MEMBERS_RECOUNT_SECS", 600u32);
        let defaults = HttpLimits::default();
        let http = HttpLimits {
            header_timeout: Duration::from_secs(r.parsed(
                "HTTP_HEADER_TIMEOUT_SECS",
                defaults.header_timeout.as_secs(),
            )),
            request_timeout: Duration::from_secs(r.parsed(
                "HTTP_REQUEST_TIMEOUT_SECS",
                defaults.request_timeout.as_secs(),
            )),
            max_connections: r.parsed("HTTP_MAX_CONNECTIONS", defaults.max_connections),
            max_body_bytes: r.parsed("HTTP_MAX_BODY_BYTES", defaults.max_body_bytes),
        };
        if http.max_body_bytes < 1024 {
            r.problem("HTTP_MAX_BODY_BYTES must be at least 1024");
        }
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
            ("MEMBERS_RECOUNT_SECS", members_recount),
            (
                "HTTP_HEADER_TIMEOUT_SECS",
                http.header_timeout.as_secs() as u32,
            ),
            (
                "HTTP_REQUEST_TIMEOUT_SECS",
                http.request_timeout.as_secs() as u32,
            ),
            ("HTTP_MAX_CONNECTIONS", http.max_connections.min(1) as u32),
        ] {
            if value == 0 {
                r.problem(format!("{key} must be at least 1"));
            }
        }
        let metrics_addr = r.optional("METRICS_ADDR", |v| {
            v.parse::<SocketAddr>()
                .map_err(|_| format!("must be an address and port like 127.0.0.1:9464, got {v:?}"))
        });
        if let Some(m) = metrics_addr
            && m.port() != 0
            && m.port() == port
        {
            r.problem("METRICS_ADDR must use another port than PORT: metrics are never served on the public port");
        }
        let fleet = FleetSettings {
            probe_max: Duration::from_millis(r.parsed("NODE_PROBE_MAX_MS", 2000u64).max(1000)),
            dns_addr: r.optional("ROUTING_DNS_ADDR", parse::socket_addr),
            caddy_admin: r.optional("CADDY_ADMIN_URL", parse::http_url),
            caddy_server: r.string("CADDY_SERVER", "srv0"),
            caddy_dns: r.optional("CADDY_DNS_ADDR", parse::socket_addr),
        };
        if fleet.caddy_admin.is_some() && fleet.dns_addr.is_none() {
            r.problem("CADDY_ADMIN_URL needs ROUTING_DNS_ADDR: Caddy's relay route asks that DNS answerer which node serves each host");
        }
        let log_format = r
            .optional("LOG_FORMAT", LogFormat::parse)
            .unwrap_or_default();
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
            fleet,
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
            members_recount: Duration::from_secs(u64::from(members_recount)),
            http,
            metrics_addr,
            log_format,
            backup,
        })
    }

    /// The platform's own key for the robot, when one was configured.
    pub fn robot_keys(&self) -> Option<Keys> {
        self.robot.secret_key().map(Keys::new)
    }

    /// The key that encrypts secrets at rest (`PLATFORM_KEY`), when one was configured.
    pub fn platform_key_bytes(&self) -> Option<SecretBox<[u8; 32]>> {
        let text = self.platform_key.as_ref()?;
        SecretBox::try_init_with(|| parse::key32(text.expose_secret())).ok()
    }

    /// The operator's wallet (`NWC_URL`), when one was configured.
    pub fn nwc_uri(&self) -> Option<NostrWalletConnectURI> {
        parse_nwc(self.nwc_url.as_ref()?.expose_secret()).ok()
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

/// Keeps `value` as a secret once `check` accepts it.
fn secret_if<T>(
    value: &str,
    check: impl FnOnce(&str) -> Result<T, String>,
) -> Result<SecretString, String> {
    check(value).map(|_| SecretString::from(value))
}

/// A secret validated at start-up parses the same way again.
fn secret_key(text: &SecretString) -> Option<SecretKey> {
    parse::secret_key(text.expose_secret()).ok()
}

fn parse_nwc(value: &str) -> Result<NostrWalletConnectURI, String> {
    NostrWalletConnectURI::parse(value)
        .map_err(|_| "is not a nostr+walletconnect:// URI with a relay and a secret".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_secrets_come_back_as_keys_and_a_wallet_but_never_print() {
        let robot = Keys::generate();
        let zooid = Keys::generate();
        let wallet = Keys::generate();
        let nwc = format!(
            "nostr+walletconnect://{}?relay=wss%3A%2F%2Fr.example.com&secret={}",
            wallet.public_key().to_hex(),
            robot.secret_key().to_secret_hex()
        );
        let platform = "ab".repeat(32);
        let zooid_nsec = nostr_sdk::ToBech32::to_bech32(zooid.secret_key()).unwrap();
        let vars = [
            ("PLATFORM_KEY", platform.as_str()),
            ("ROBOT_SECRET", &robot.secret_key().to_secret_hex()),
            ("ZOOID_API_URL", "http://127.0.0.1:3334"),
            ("ZOOID_API_SECRET", zooid_nsec.as_str()),
            ("NWC_URL", nwc.as_str()),
            ("LIVEKIT_URL", "wss://lk.example.com"),
            ("LIVEKIT_API_KEY", "key"),
            ("LIVEKIT_API_SECRET", "lk-secret-text"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()));
        let s = Settings::from_lookup(|k| {
            vars.iter()
                .find(|(name, _)| name == k)
                .map(|(_, v)| v.clone())
        })
        .unwrap();
        assert_eq!(s.platform_key_bytes().unwrap().expose_secret(), &[0xab; 32]);
        assert_eq!(s.robot_keys().unwrap().public_key(), robot.public_key());
        assert_eq!(s.zooid.api_keys().unwrap().public_key(), zooid.public_key());
        assert_eq!(s.nwc_uri().unwrap().public_key, wallet.public_key());
        let shown = format!("{s:?}");
        for secret in [
            platform,
            robot.secret_key().to_secret_hex(),
            zooid_nsec,
            "lk-secret-text".to_string(),
        ] {
            assert!(!shown.contains(&secret), "{shown}");
        }
    }
}
