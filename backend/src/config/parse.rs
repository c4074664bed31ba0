//! Parsing of single environment values, collecting every problem instead of stopping at the first.

use std::str::FromStr;
use std::time::Duration;

use nostr_sdk::nips::nip19::FromBech32;
use nostr_sdk::{PublicKey, SecretKey};
use url::Url;

use super::ConfigError;

pub(super) struct Reader<F> {
    lookup: F,
    problems: Vec<String>,
}

impl<F: Fn(&str) -> Option<String>> Reader<F> {
    pub(super) fn new(lookup: F) -> Self {
        Self {
            lookup,
            problems: Vec::new(),
        }
    }

    fn raw(&self, key: &str) -> Option<String> {
        (self.lookup)(key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    pub(super) fn problem(&mut self, message: impl Into<String>) {
        self.problems.push(message.into());
    }

    pub(super) fn string(&self, key: &str, default: &str) -> String {
        self.raw(key).unwrap_or_else(|| default.to_string())
    }

    pub(super) fn list(&self, key: &str) -> Vec<String> {
        self.raw(key)
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(super) fn optional<T>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let value = self.raw(key)?;
        match parse(&value) {
            Ok(v) => Some(v),
            Err(why) => {
                self.problems.push(format!("{key} {why}"));
                None
            }
        }
    }

    pub(super) fn checked(
        &mut self,
        key: &str,
        default: &str,
        parse: impl FnOnce(&str) -> Result<String, String>,
    ) -> String {
        self.optional(key, parse)
            .unwrap_or_else(|| default.to_string())
    }

    pub(super) fn parsed<T: FromStr + ToString>(&mut self, key: &str, default: T) -> T {
        let shown = default.to_string();
        self.optional(key, |v| {
            v.parse()
                .map_err(|_| format!("must be a whole number like {shown}, got {v:?}"))
        })
        .unwrap_or(default)
    }

    pub(super) fn finish<T>(self, value: T) -> Result<T, ConfigError> {
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(ConfigError(self.problems))
        }
    }
}

/// A pubkey as 64 hex characters or an `npub`.
pub fn parse_public_key(value: &str) -> Result<PublicKey, String> {
    let value = value.trim();
    let parsed = if value.starts_with("npub1") {
        PublicKey::from_bech32(value).ok()
    } else if value.len() == 64 {
        PublicKey::from_hex(&value.to_ascii_lowercase()).ok()
    } else {
        None
    };
    parsed.ok_or_else(|| {
        format!("has {value:?}, which is not a public key (64 hex characters or npub1…)")
    })
}

pub(super) fn secret_key(value: &str) -> Result<SecretKey, String> {
    let parsed = if value.starts_with("nsec1") {
        SecretKey::from_bech32(value).ok()
    } else if value.len() == 64 {
        SecretKey::from_hex(value).ok()
    } else {
        None
    };
    parsed.ok_or_else(|| "is not a secret key (64 hex characters or nsec1…)".to_string())
}

pub(super) fn key32(value: &str) -> Result<[u8; 32], String> {
    let mut key = [0u8; 32];
    hex::decode_to_slice(value, &mut key)
        .map_err(|_| "must be 64 hex characters (32 bytes)".to_string())?;
    Ok(key)
}

pub(super) fn http_url(value: &str) -> Result<Url, String> {
    let url = Url::parse(value).map_err(|e| format!("is not a URL ({e})"))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(format!(
            "must be an http:// or https:// URL, not {other}://"
        )),
    }
}

/// The public base URL: http(s), no query or fragment, no trailing slash in the path.
pub(super) fn base_url(value: &str) -> Result<Url, String> {
    let url = http_url(value.trim_end_matches('/'))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err("must not carry a query or a fragment".to_string());
    }
    Ok(url)
}

pub(super) fn livekit_url(value: &str) -> Result<Url, String> {
    let url = Url::parse(value).map_err(|e| format!("is not a URL ({e})"))?;
    match url.scheme() {
        "ws" | "wss" | "http" | "https" => Ok(url),
        other => Err(format!(
            "must be a wss:// (or https://) URL, not {other}://"
        )),
    }
}

pub(super) fn boolean(value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(format!("must be true or false, got {value:?}")),
    }
}

/// A backup interval: `off` (or `0`), or a number with a unit, `s`, `m`, `h` or `d` (`24h`).
pub(super) fn interval(value: &str) -> Result<Option<Duration>, String> {
    let v = value.trim().to_ascii_lowercase();
    if v == "off" || v == "0" {
        return Ok(None);
    }
    let unit = match v.chars().last() {
        Some('s') => 1,
        Some('m') => 60,
        Some('h') => 3600,
        Some('d') => 86_400,
        _ => {
            return Err(format!(
                "must be off or a number with a unit (s, m, h, d) like 24h, got {value:?}"
            ));
        }
    };
    let n: u64 = v[..v.len() - 1].trim().parse().map_err(|_| {
        format!("must be off or a number with a unit (s, m, h, d) like 24h, got {value:?}")
    })?;
    match n.checked_mul(unit) {
        Some(secs) if secs >= 60 => Ok(Some(Duration::from_secs(secs))),
        _ => Err(format!(
            "must be at least one minute (or off), got {value:?}"
        )),
    }
}

/// A relay URL pattern: ws(s):// once `{subdomain}` and `{domain}` are filled in.
pub(super) fn relay_url_template(value: &str) -> Result<String, String> {
    let sample = value
        .replace("{subdomain}", "sample")
        .replace("{domain}", "example.com");
    let url = Url::parse(&sample).map_err(|e| format!("does not make a URL ({e})"))?;
    match url.scheme() {
        "ws" | "wss" => Ok(value.to_string()),
        other => Err(format!("must make ws:// or wss:// URLs, not {other}://")),
    }
}

/// A DNS name under which relays get their subdomains.
pub(super) fn domain(value: &str) -> Result<String, String> {
    let value = value.trim_end_matches('.').to_ascii_lowercase();
    let host = value.split(':').next().unwrap_or_default();
    let valid = !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if valid {
        Ok(value)
    } else {
        Err(format!(
            "is not a domain name like relays.example.com, got {value:?}"
        ))
    }
}

/// Comma-separated relay URLs; `wss://` is prepended where a scheme is missing.
pub fn parse_relay_list(value: &str) -> Result<Vec<Url>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let full = if s.contains("://") {
                s.to_string()
            } else {
                format!("wss://{s}")
            };
            let url = Url::parse(&full)
                .map_err(|e| format!("has {s:?}, which is not a relay URL ({e})"))?;
            match url.scheme() {
                "ws" | "wss" => Ok(url),
                other => Err(format!(
                    "has {s:?}: relay URLs are wss:// (or ws://), not {other}://"
                )),
            }
        })
        .collect()
}

/// An address and port such as `127.0.0.1:5353`.
pub(super) fn socket_addr(value: &str) -> Result<std::net::SocketAddr, String> {
    value
        .parse()
        .map_err(|_| format!("must be an address and port like 127.0.0.1:5353, got {value:?}"))
}
