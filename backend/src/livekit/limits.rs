//! Limits on the token endpoint, per pubkey and per client IP, kept by `governor`.
//!
//! Each key gets a bucket of a minute's allowance (`LIVEKIT_RATE_PER_PUBKEY`,
//! `LIVEKIT_RATE_PER_IP`) that refills evenly over the minute (GCRA): at 10 a minute, ten
//! requests pass at once and then one more every 6 s, rather than the whole ten again when
//! the first falls out of a 60 s window. The pubkey's limit is checked first; a request it
//! refuses does not count against the IP's, but one the IP's limit refuses has spent its
//! pubkey's turn (a bucket cannot be tested without being drawn on).

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, NotUntil, Quota};

use crate::config::LivekitOptions;

/// Keys beyond which buckets that have refilled are forgotten.
const MAX_KEYS: usize = 10_000;

pub struct RateLimiter {
    by_pubkey: DefaultKeyedRateLimiter<String>,
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl RateLimiter {
    pub fn new(options: &LivekitOptions) -> Self {
        Self {
            by_pubkey: DefaultKeyedRateLimiter::keyed(per_minute(options.per_pubkey_per_minute)),
            by_ip: DefaultKeyedRateLimiter::keyed(per_minute(options.per_ip_per_minute)),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one request; `Err(seconds)` to wait when a limit is reached.
    pub fn check(&self, pubkey: &str, ip: Option<IpAddr>) -> Result<(), u64> {
        forget_idle(&self.by_pubkey);
        self.by_pubkey
            .check_key(&pubkey.to_string())
            .map_err(|refused| self.seconds_until(&refused))?;
        if let Some(ip) = ip {
            forget_idle(&self.by_ip);
            self.by_ip
                .check_key(&ip)
                .map_err(|refused| self.seconds_until(&refused))?;
        }
        Ok(())
    }

    /// Whole seconds until the refused key has a turn again, at least 1 (for `Retry-After`).
    fn seconds_until(&self, refused: &NotUntil<<DefaultClock as Clock>::Instant>) -> u64 {
        let wait = refused.wait_time_from(self.clock.now());
        (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
    }
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

fn forget_idle<K: std::hash::Hash + Eq + Clone>(limiter: &DefaultKeyedRateLimiter<K>) {
    if limiter.len() > MAX_KEYS {
        limiter.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_pubkey: u32, per_ip: u32) -> RateLimiter {
        RateLimiter::new(&LivekitOptions {
            per_pubkey_per_minute: per_pubkey,
            per_ip_per_minute: per_ip,
            ..LivekitOptions::default()
        })
    }

    #[test]
    fn each_limit_counts_on_its_own() {
        let limiter = limiter(3, 5);
        let ip: IpAddr = [127, 0, 0, 1].into();
        for _ in 0..3 {
            assert!(limiter.check("a", Some(ip)).is_ok());
        }
        let wait = limiter.check("a", Some(ip)).unwrap_err();
        assert!((1..=20).contains(&wait), "one turn comes back every 20 s");
        assert!(limiter.check("b", Some(ip)).is_ok());
        assert!(limiter.check("c", Some(ip)).is_ok());
        assert!(
            limiter.check("d", Some(ip)).is_err(),
            "the IP's allowance is spent"
        );
        assert!(limiter.check("d", None).is_ok());
    }

    #[test]
    fn a_single_request_a_minute_waits_the_minute() {
        let limiter = limiter(1, 30);
        assert!(limiter.check("a", None).is_ok());
        let wait = limiter.check("a", None).unwrap_err();
        assert!((59..=60).contains(&wait), "{wait}");
    }
}
