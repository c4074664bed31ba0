//! The one job primitive every worker uses. A queue is a table of rows that are due at
//! some time; its [`Queue`] implementation says how to claim due rows under a [`Lease`] (so
//! a crashed worker's job is retried when the lease runs out, and a stopping worker gives it
//! back), how to run one, and how to record a failed attempt with its error and when to try
//! again. The driver ([`drain`], [`attempt`]) does the rest the same way for every queue:
//! exponential [`Backoff`] with jitter from the job's attempt count, a tracing span naming
//! the job, concurrency, and the stop on an error that halts the whole pass.
//!
//! Queues: relays behind their desired version (provisioning), invoices needing a BOLT11,
//! BOLT11s whose payment check is due, invoices to pull from a tenant's wallet (billing),
//! relays whose invite claims at zooid are due, and the message outbox. [`Backoff`] is also how a whole worker pass waits after it failed.

use std::fmt::Display;
use std::future::Future;
use std::time::Duration;

use futures::StreamExt;
use rand::Rng;
use tracing::Instrument;

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

/// How a queue is worked: its lease, its backoff, how many jobs a claim takes and how many
/// run at once.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub lease: Lease,
    pub backoff: Backoff,
    pub batch: i64,
    pub concurrency: usize,
}

/// What running a job came to, short of an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    /// Nothing more to do for it.
    Finished,
    /// Not finished, and nothing went wrong: look again after the backoff (a BOLT11 that is
    /// still unpaid).
    Later,
}

/// A durable queue. Implementations are the narrow workers: each holds only what its jobs
/// use, and its statements live in the table's repository.
pub trait Queue: Sync {
    type Job: Send + Sync;
    /// Why a job failed, as a typed enum the queue matches by variant.
    type Error: Display + Send;

    /// How the queue is named in logs and spans.
    const NAME: &'static str;

    fn policy(&self) -> Policy;

    /// The queue's clock (unix seconds): billing runs on the billing clock.
    fn now(&self) -> i64 {
        crate::clock::unix_now()
    }

    /// Claims up to `limit` due jobs, leased until `lease_until`.
    fn claim(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> impl Future<Output = sqlx::Result<Vec<Self::Job>>> + Send;

    /// Which job this is, for the span and the logs (a relay id, an invoice id).
    fn key(job: &Self::Job) -> String;

    /// Failed (or unfinished) attempts before this one: the backoff's exponent.
    fn attempts(job: &Self::Job) -> i64;

    fn run(&self, job: &Self::Job) -> impl Future<Output = Result<Done, Self::Error>> + Send;

    /// Records an attempt that did not finish (`error` says why, `None` for [`Done::Later`]),
    /// when to try again, and gives back the lease.
    fn retry_at(
        &self,
        job: &Self::Job,
        error: Option<&Self::Error>,
        next_at: i64,
    ) -> impl Future<Output = sqlx::Result<()>> + Send;

    /// Gives back every lease the queue holds. One process works a database, so at start-up
    /// (leases left by a process that died) and at shutdown every lease is this process's.
    fn release_all(&self) -> impl Future<Output = sqlx::Result<u64>> + Send;

    /// An error that makes trying the rest of the queue now pointless (the wallet every job
    /// needs cannot be reached): the pass stops after the jobs already claimed.
    fn halts(_error: &Self::Error) -> bool {
        false
    }
}

/// What one [`drain`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Drained {
    pub claimed: usize,
    pub finished: usize,
    pub later: usize,
    pub failed: usize,
    /// A job failed with an error that [`Queue::halts`] the pass.
    pub halted: bool,
}

/// The outcome of one [`attempt`], already recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempted {
    Done(Done),
    Failed { halts: bool },
}

/// Runs one claimed job inside a span that names it, and records the outcome if it did not
/// finish. `Err` only when recording failed (the lease then expires and it runs again).
pub async fn attempt<Q: Queue>(queue: &Q, job: &Q::Job) -> sqlx::Result<Attempted> {
    let key = Q::key(job);
    let span = tracing::info_span!("job", queue = Q::NAME, job = %key);
    async {
        let outcome = queue.run(job).await;
        let backoff = queue.policy().backoff;
        let next = backoff.next_at(queue.now(), Q::attempts(job));
        match outcome {
            Ok(Done::Finished) => Ok(Attempted::Done(Done::Finished)),
            Ok(Done::Later) => {
                queue.retry_at(job, None, next).await?;
                Ok(Attempted::Done(Done::Later))
            }
            Err(e) => {
                tracing::warn!(error = %e, attempt = Q::attempts(job) + 1, next_at = next, "job failed");
                queue.retry_at(job, Some(&e), next).await?;
                Ok(Attempted::Failed { halts: Q::halts(&e) })
            }
        }
    }
    .instrument(span)
    .await
}

/// Gives back the queue's leases (start-up, shutdown), saying so in the log.
pub async fn release<Q: Queue>(queue: &Q) {
    match queue.release_all().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(queue = Q::NAME, released = n, "gave back job leases"),
        Err(e) => {
            tracing::warn!(queue = Q::NAME, error = %e, "giving back job leases failed; they expire by themselves")
        }
    }
}

/// Works a queue until `stop` turns true: gives back the leases a dead process left, then
/// drains it, again at each `wake` and at least every `tick`. `passed` hears of each pass
/// that finished without error. A pass is finished, not dropped, on shutdown: every job it
/// claimed is either done or recorded as failed.
pub async fn serve<Q: Queue, W: Future<Output = ()>>(
    queue: &Q,
    mut wake: impl FnMut() -> W,
    tick: Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
    mut passed: impl FnMut(),
) {
    release(queue).await;
    loop {
        match drain(queue).await {
            Ok(_) => passed(),
            Err(e) => tracing::warn!(queue = Q::NAME, error = %e, "queue pass failed"),
        }
        tokio::select! {
            _ = stop.wait_for(|s| *s) => break,
            _ = wake() => {}
            _ = tokio::time::sleep(tick) => {}
        }
    }
}

/// Claims and runs due jobs, batch after batch, until none is due or an error halts the
/// pass. `Err` when claiming or recording failed.
pub async fn drain<Q: Queue>(queue: &Q) -> sqlx::Result<Drained> {
    let policy = queue.policy();
    let mut drained = Drained::default();
    loop {
        let now = queue.now();
        let jobs = queue
            .claim(now, policy.lease.until(now), policy.batch)
            .await?;
        let full = jobs.len() as i64 >= policy.batch;
        drained.claimed += jobs.len();
        // The futures are made up front (none runs until polled), so the stream's type
        // holds no closure over borrowed jobs, which would not be `Send` for every lifetime.
        let attempts: Vec<_> = jobs.iter().map(|job| attempt(queue, job)).collect();
        let outcomes: Vec<sqlx::Result<Attempted>> = futures::stream::iter(attempts)
            .buffer_unordered(policy.concurrency.max(1))
            .collect()
            .await;
        for outcome in outcomes {
            match outcome? {
                Attempted::Done(Done::Finished) => drained.finished += 1,
                Attempted::Done(Done::Later) => drained.later += 1,
                Attempted::Failed { halts } => {
                    drained.failed += 1;
                    drained.halted |= halts;
                }
            }
        }
        if !full || drained.halted {
            return Ok(drained);
        }
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
