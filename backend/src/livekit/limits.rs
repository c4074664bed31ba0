//! Sliding one-minute windows for the token endpoint: per pubkey and per client IP.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

const WINDOW: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct RateLimiter {
    by_pubkey: Mutex<HashMap<String, VecDeque<Instant>>>,
    by_ip: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

impl RateLimiter {
    /// Counts one request; `Err(seconds)` to wait when either window is full.
    pub fn check(
        &self,
        pubkey: &str,
        ip: Option<IpAddr>,
        per_pubkey: u32,
        per_ip: u32,
    ) -> Result<(), u64> {
        let now = Instant::now();
        let mut by_pubkey = self.by_pubkey.lock();
        let mut by_ip = self.by_ip.lock();
        if by_pubkey.len() > 10_000 {
            by_pubkey.retain(|_, hits| hits.back().is_some_and(|t| now - *t < WINDOW));
        }
        if by_ip.len() > 10_000 {
            by_ip.retain(|_, hits| hits.back().is_some_and(|t| now - *t < WINDOW));
        }
        let key_hits = by_pubkey.entry(pubkey.to_string()).or_default();
        let mut wait = full(key_hits, per_pubkey, now);
        if let Some(ip) = ip {
            let ip_hits = by_ip.entry(ip).or_default();
            wait = wait.max(full(ip_hits, per_ip, now));
            if wait.is_none() {
                ip_hits.push_back(now);
            }
        }
        match wait {
            Some(secs) => Err(secs),
            None => {
                key_hits.push_back(now);
                Ok(())
            }
        }
    }
}

/// Drops hits older than the window; when `limit` remain, the seconds until one expires.
fn full(hits: &mut VecDeque<Instant>, limit: u32, now: Instant) -> Option<u64> {
    while hits.front().is_some_and(|t| now - *t >= WINDOW) {
        hits.pop_front();
    }
    if hits.len() < limit as usize {
        return None;
    }
    let oldest = hits.front().copied().unwrap_or(now);
    Some((WINDOW - (now - oldest)).as_secs().max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_window_counts_on_its_own() {
        let limiter = RateLimiter::default();
        let ip: IpAddr = [127, 0, 0, 1].into();
        for _ in 0..3 {
            assert!(limiter.check("a", Some(ip), 3, 5).is_ok());
        }
        let wait = limiter.check("a", Some(ip), 3, 5).unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(limiter.check("b", Some(ip), 3, 5).is_ok());
        assert!(limiter.check("c", Some(ip), 3, 5).is_ok());
        assert!(
            limiter.check("d", Some(ip), 3, 5).is_err(),
            "the IP window is full"
        );
        assert!(limiter.check("d", None, 3, 5).is_ok());
    }
}
