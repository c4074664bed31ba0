//! Sends queued messages: claim with a lease, wrap once (NIP-17: kind 14 rumor, kind 13
//! seal, kind 1059 gift wrap under a fresh key, timestamps tweaked into the past), deliver
//! to the recipient's inbox relays, mark sent with the relays that accepted it. Failures
//! back off exponentially with jitter and stay visible with their error.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use futures::StreamExt;
use nostr_sdk::{EventBuilder, JsonUtil, PublicKey};
use sqlx::SqlitePool;
use tokio::sync::{Notify, watch};

use super::{Robot, inbox};
use crate::clock::unix_now;
use crate::db::outbox;
use crate::jobs::{Backoff, Lease};
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
    mut stop: watch::Receiver<bool>,
) {
    loop {
        // A pass is finished, not dropped, on shutdown: an abandoned lease would hold its
        // messages back for the lease's length after a restart.
        let passed = pass(&robot, &db).await;
        if passed.is_ok() {
            metrics::worker_pass(Worker::Messages);
        }
        match passed {
            Ok(n) if n as i64 == BATCH => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = format!("{e:#}"), "message outbox pass failed"),
        }
        tokio::select! {
            _ = stop.wait_for(|s| *s) => break,
            _ = wake.notified() => {}
            _ = tokio::time::sleep(tick) => {}
        }
    }
}

/// One pass over due messages; returns how many were claimed.
pub async fn pass(robot: &Robot, db: &SqlitePool) -> anyhow::Result<usize> {
    let now = unix_now();
    let due = outbox::claim(db, now, LEASE.until(now), BATCH)
        .await
        .context("claiming due messages")?;
    let n = due.len();
    futures::stream::iter(due)
        .for_each_concurrent(8, |m| async move {
            let delivered = deliver(robot, db, &m).await;
            metrics::outbox_delivery(delivered.is_ok());
            if let Err(failed) = delivered {
                let error = format!("{:#}", failed.error);
                tracing::warn!(message = m.id, topic = %m.topic, error = %error, "message not delivered yet");
                // `attempts` counts this one: the claim recorded it.
                let next = RETRY.next_at(unix_now(), m.attempts - 1);
                let recorded = outbox::mark_failed(db, m.id, &error, failed.source, next).await;
                if let Err(e) = recorded {
                    tracing::error!(error = %e, "recording a delivery failure");
                }
            }
        })
        .await;
    Ok(n)
}

/// Why a message is not delivered yet, and where its inbox was found if it got that far.
struct Undelivered {
    source: Option<&'static str>,
    error: anyhow::Error,
}

impl From<anyhow::Error> for Undelivered {
    fn from(error: anyhow::Error) -> Self {
        Self {
            source: None,
            error,
        }
    }
}

#[tracing::instrument(skip_all, fields(message = m.id, topic = %m.topic))]
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
