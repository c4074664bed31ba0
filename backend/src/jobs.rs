//! The one job primitive every worker uses: a lease on what it claimed (so a crashed
//! worker's job is retried when the lease runs out, and a stopping worker gives it back),
//! a recorded attempt with its error, and exponential backoff with jitter before the next.
//!
//! Each queue is a table whose repository claims due rows with [`Lease::until`] and records
//! failures at [`Backoff::next_at`]: relays (provisioning), invoices (BOLT11s, payment checks,
//! pulls) and the message outbox. [`Backoff`] is also how a whole worker pass waits after
//! it failed.

use std::time::Duration;

use rand::Rng;

/// Exponential backoff with jitter: `base × 2^attempts`, capped at `max`, then a random
/// point in the upper half, so retries of many jobs that failed together spread out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Backoff {
    pub const fn new(base: Duration, max: Duration) -> Self {
        Self { base, max }
    }

    pub const fn secs(base: u64, max: u64) -> Self {
        Self::new(Duration::from_secs(base), Duration::from_secs(max))
    }

    /// The wait after `previous_attempts` failures in a row (0: the first failure).
    pub fn delay(&self, previous_attempts: i64) -> Duration {
        let exp = previous_attempts.clamp(0, 30) as u32;
        let full = self
            .base
            .saturating_mul(2u32.saturating_pow(exp))
            .min(self.max);
        let half = full / 2;
        let spread = half.as_millis().max(1) as u64;
        half + Duration::from_millis(rand::thread_rng().gen_range(0..=spread))
    }

    /// When to try again (unix seconds, at least a second from `now`).
    pub fn next_at(&self, now: i64, previous_attempts: i64) -> i64 {
        now + self.delay(previous_attempts).as_secs().max(1) as i64
    }
}

/// How long a claimed job is held before another pass may take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease(pub Duration);

impl Lease {
    pub const fn secs(secs: u64) -> Self {
        Self(Duration::from_secs(secs))
    }

    /// The lease's end for a job claimed at `now` (unix seconds).
    pub fn until(&self, now: i64) -> i64 {
        now + self.0.as_secs() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_up_to_the_cap_within_its_upper_half() {
        let b = Backoff::secs(5, 900);
        for (attempts, full) in [(0, 5), (1, 10), (2, 20), (6, 320), (8, 900), (50, 900)] {
            let d = b.delay(attempts);
            assert!(
                d >= Duration::from_secs(full) / 2 && d <= Duration::from_secs(full),
                "{attempts}: {d:?}"
            );
        }
    }

    #[test]
    fn next_attempt_is_never_now() {
        let b = Backoff::new(Duration::from_millis(10), Duration::from_millis(10));
        assert_eq!(b.next_at(100, 0), 101);
    }
}
