//! Sends queued messages: claim with a lease, wrap once (NIP-17: kind 14 rumor, kind 13
//! seal, kind 1059 gift wrap under a fresh key, timestamps tweaked into the past), deliver
//! to the recipient's inbox relays, mark sent with the relays that accepted it. Failures
//! back off exponentially with jitter and stay visible with their error.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use nostr_sdk::{EventBuilder, JsonUtil, PublicKey};
use sqlx::SqlitePool;
use tokio::sync::{Notify, watch};

use super::{Robot, inbox};
use crate::clock::unix_now;
use crate::db::outbox;
use crate::jobs::{self, Backoff, Done, Lease, Policy, Queue};
use crate::telemetry::metrics::{self, Worker};

const LEASE: Lease = Lease::secs(120);
const BATCH: i64 = 32;
/// Between delivery attempts: 10 s, doubling up to an hour.
const RETRY: Backoff = Backoff::secs(10, 3600);

/// Runs until `stop` turns true; `wake` asks for an immediate pass.
pub async fn run(
    robot: Robot,
    db: SqlitePool,
    wake: Arc<Notify>,
    tick: Duration,
    stop: watch::Receiver<bool>,
) {
    let outbox = Outbox { robot, db };
    let wake = &wake;
    let passed = || metrics::worker_pass(Worker::Messages);
    jobs::serve(&outbox, || wake.notified(), tick, stop, passed).await;
}

/// The message outbox as a job queue.
struct Outbox {
    robot: Robot,
    db: SqlitePool,
}

impl Queue for Outbox {
    type Job = outbox::Message;
    type Error = Undelivered;
    const NAME: &'static str = "messages";

    fn policy(&self) -> Policy {
        Policy {
            lease: LEASE,
            backoff: RETRY,
            batch: BATCH,
            concurrency: 8,
        }
    }

    async fn claim(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> sqlx::Result<Vec<outbox::Message>> {
        outbox::claim(&self.db, now, lease_until, limit).await
    }

    fn key(m: &outbox::Message) -> String {
        format!("{} ({})", m.id, m.topic)
    }

    /// The claim counted this attempt already.
    fn attempts(m: &outbox::Message) -> i64 {
        m.attempts - 1
    }

    async fn run(&self, m: &outbox::Message) -> Result<Done, Undelivered> {
        let delivered = deliver(&self.robot, &self.db, m).await;
        metrics::outbox_delivery(delivered.is_ok());
        delivered.map(|()| Done::Finished)
    }

    async fn retry_at(
        &self,
        m: &outbox::Message,
        error: Option<&Undelivered>,
        next_at: i64,
    ) -> sqlx::Result<()> {
        let text = error.map_or_else(String::new, ToString::to_string);
        let source = error.and_then(|e| e.source);
        outbox::mark_failed(&self.db, m.id, &text, source, next_at).await
    }

    async fn release_all(&self) -> sqlx::Result<u64> {
        outbox::release_all(&self.db).await
    }
}

/// Why a message is not delivered yet, and where its inbox was found if it got that far.
#[derive(Debug)]
struct Undelivered {
    source: Option<&'static str>,
    error: anyhow::Error,
}

impl std::fmt::Display for Undelivered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#}", self.error)
    }
}

impl From<anyhow::Error> for Undelivered {
    fn from(error: anyhow::Error) -> Self {
        Self {
            source: None,
            error,
        }
    }
}

async fn deliver(robot: &Robot, db: &SqlitePool, m: &outbox::Message) -> Result<(), Undelivered> {
    let recipient = PublicKey::from_hex(&m.recipient).context("recipient pubkey")?;
    let wrap = match &m.wrap {
        Some(w) => w.clone(),
        None => {
            let event = EventBuilder::private_msg(robot.keys(), recipient, m.body.clone(), [])
                .await
                .context("wrapping the message")?;
            outbox::store_wrap(db, m.id, &event.as_json(), &event.id.to_hex())
                .await
                .context("storing the gift wrap")?
        }
    };
    let event = nostr_sdk::Event::from_json(&wrap).context("reading the stored gift wrap")?;
    let inbox = inbox::resolve(robot, recipient)
        .await
        .context("finding the recipient's inbox relays")?;
    let accepted = match robot.publish(&inbox.relays, &event).await {
        Ok(a) => a,
        Err(e) => {
            robot.inboxes.forget(&recipient);
            return Err(Undelivered {
                source: Some(inbox.source),
                error: e.context(format!("via {} relays", inbox.source)),
            });
        }
    };
    outbox::mark_sent(
        db,
        m.id,
        inbox.source,
        &serde_json::to_string(&inbox.relays).context("listing the inbox relays")?,
        &serde_json::to_string(&accepted).context("listing the accepting relays")?,
        unix_now(),
    )
    .await
    .context("marking the message sent")?;
    tracing::info!(message = m.id, topic = %m.topic, source = inbox.source, relays = accepted.len(), "message delivered");
    Ok(())
}
