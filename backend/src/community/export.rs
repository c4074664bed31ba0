//! A relay's events as JSON Lines, read as the relay, newest first, page by page: each page
//! asks for events up to the oldest time seen so far, and the ids already sent at that very
//! second are skipped, so events sharing a timestamp across a page boundary are neither lost
//! nor repeated. Pages go through a small bounded channel, so memory stays constant however
//! many events the relay holds, and a client that stops reading stops the export.

use std::collections::HashSet;
use std::time::Duration;

use bytes::Bytes;
use nostr_sdk::{EventId, Filter, JsonUtil, Keys, Timestamp};
use tokio::sync::mpsc;

use super::{RelayError, members};

/// Events asked for per request (zooid answers at most 1,000).
const PAGE: usize = 500;
const PAGE_TIMEOUT: Duration = Duration::from_secs(15);

/// Starts the export; the receiver yields lines (each event's JSON and `\n`) in chunks, and
/// an error if the relay fails part-way.
pub async fn start(
    keys: Keys,
    relay_url: String,
) -> Result<mpsc::Receiver<Result<Bytes, std::io::Error>>, RelayError> {
    let client = members::connected(&keys, &relay_url).await?;
    let (tx, rx) = mpsc::channel(4);
    tokio::spawn(async move {
        if let Err(e) = pages(&client, &relay_url, &tx).await {
            let _ = tx.send(Err(std::io::Error::other(e))).await;
        }
        client.shutdown().await;
    });
    Ok(rx)
}

async fn pages(
    client: &nostr_sdk::Client,
    relay_url: &str,
    tx: &mpsc::Sender<Result<Bytes, std::io::Error>>,
) -> Result<(), String> {
    let mut until: Option<Timestamp> = None;
    // Ids sent whose time is `until`: the next page starts at that second again.
    let mut at_boundary: HashSet<EventId> = HashSet::new();
    loop {
        let mut filter = Filter::new().limit(PAGE);
        if let Some(u) = until {
            filter = filter.until(u);
        }
        let events = members::read_stored(client, relay_url, filter, PAGE_TIMEOUT)
            .await
            .map_err(|e| format!("reading the relay: {e}"))?;
        let mut page: Vec<_> = events.into_iter().collect();
        page.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        let full = page.len() >= PAGE;
        let mut chunk = String::new();
        let mut fresh = 0;
        for event in &page {
            if Some(event.created_at) == until && at_boundary.contains(&event.id) {
                continue;
            }
            if Some(event.created_at) != until {
                // Older than every event sent so far: a new boundary.
                until = Some(event.created_at);
                at_boundary.clear();
            }
            at_boundary.insert(event.id);
            chunk.push_str(&event.as_json());
            chunk.push('\n');
            fresh += 1;
        }
        if !chunk.is_empty() && tx.send(Ok(Bytes::from(chunk))).await.is_err() {
            return Ok(()); // The client went away.
        }
        if !full {
            return Ok(());
        }
        if fresh == 0 {
            // A whole page at one second, all sent: go on from the second before (more than a
            // page of events in one second cannot be told apart by time).
            until = until.map(|u| Timestamp::from(u.as_secs().saturating_sub(1)));
            at_boundary.clear();
            if until == Some(Timestamp::from(0)) {
                return Ok(());
            }
        }
    }
}
