//! Where to deliver a recipient's private messages. NIP-17 says: their kind 10050 relays.
//! They are looked up on the indexer relays and on the recipient's own kind 10002 write
//! relays, and cached for five minutes. Fallback policy when no 10050 exists: the
//! recipient's kind 10002 read relays, then the platform's messaging relays. The source
//! used is recorded with every message.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use nostr_sdk::{Event, Filter, Kind, PublicKey};
use parking_lot::Mutex;

use super::Robot;

const TTL: Duration = Duration::from_secs(300);
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// Relays to deliver to, and which rule chose them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbox {
    pub relays: Vec<String>,
    /// `10050`, `10002-read` or `platform`.
    pub source: &'static str,
}

#[derive(Default)]
pub struct Cache {
    entries: Mutex<HashMap<PublicKey, (Instant, Inbox)>>,
}

impl Cache {
    /// Forgets a recipient, so the next message looks their relays up again.
    pub fn forget(&self, who: &PublicKey) {
        self.entries.lock().remove(who);
    }
}

/// The recipient's inbox relays, from the cache or looked up now.
pub async fn resolve(robot: &Robot, who: PublicKey) -> anyhow::Result<Inbox> {
    if let Some((at, inbox)) = robot.inboxes.entries.lock().get(&who)
        && at.elapsed() < TTL
    {
        return Ok(inbox.clone());
    }
    let inbox = look_up(robot, who).await?;
    robot
        .inboxes
        .entries
        .lock()
        .insert(who, (Instant::now(), inbox.clone()));
    Ok(inbox)
}

async fn look_up(robot: &Robot, who: PublicKey) -> anyhow::Result<Inbox> {
    let indexers: Vec<String> = robot
        .settings
        .indexer_relays
        .iter()
        .map(|u| u.to_string())
        .collect();
    let lists = Filter::new()
        .author(who)
        .kinds([Kind::RelayList, Kind::InboxRelays]);
    let mut found = fetch(robot, &indexers, lists.clone()).await;
    let outbox = newest(&found, Kind::RelayList);
    if newest(&found, Kind::InboxRelays).is_none()
        && let Some(list) = &outbox
    {
        let writes = relay_tags(list, "r", Some("write"));
        found.extend(fetch(robot, &writes, lists).await);
    }
    if let Some(inbox) = newest(&found, Kind::InboxRelays) {
        let relays = relay_tags(&inbox, "relay", None);
        if !relays.is_empty() {
            return Ok(Inbox {
                relays,
                source: "10050",
            });
        }
    }
    if let Some(list) = newest(&found, Kind::RelayList) {
        let reads = relay_tags(&list, "r", Some("read"));
        if !reads.is_empty() {
            return Ok(Inbox {
                relays: reads,
                source: "10002-read",
            });
        }
    }
    let platform: Vec<String> = robot
        .settings
        .messaging_relays
        .iter()
        .map(|u| u.to_string())
        .collect();
    if platform.is_empty() {
        anyhow::bail!(
            "the recipient publishes no inbox relays and ROBOT_MESSAGING_RELAYS is empty"
        );
    }
    Ok(Inbox {
        relays: platform,
        source: "platform",
    })
}

async fn fetch(robot: &Robot, urls: &[String], filter: Filter) -> Vec<Event> {
    let relays = robot.ensure_relays(urls).await;
    if relays.is_empty() {
        return Vec::new();
    }
    match robot
        .client()
        .fetch_events_from(relays, filter, FETCH_TIMEOUT)
        .await
    {
        Ok(events) => events.into_iter().filter(|e| e.verify().is_ok()).collect(),
        Err(e) => {
            tracing::debug!(error = %e, "relay list lookup failed");
            Vec::new()
        }
    }
}

/// The newest event of `kind` (ties: lowest id).
fn newest(events: &[Event], kind: Kind) -> Option<Event> {
    events
        .iter()
        .filter(|e| e.kind == kind)
        .max_by(|a, b| a.created_at.cmp(&b.created_at).then(b.id.cmp(&a.id)))
        .cloned()
}

/// Relay URLs from `name` tags; with `marker`, only unmarked ones or those so marked.
fn relay_tags(event: &Event, name: &str, marker: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = event
        .tags
        .iter()
        .filter_map(|t| {
            let parts = t.as_slice();
            if parts.first().map(String::as_str) != Some(name) {
                return None;
            }
            let url = parts.get(1)?;
            let ok = match (marker, parts.get(2)) {
                (Some(want), Some(have)) => have == want,
                _ => true,
            };
            ok.then(|| url.clone())
        })
        .filter(|u| u.starts_with("wss://") || u.starts_with("ws://"))
        .collect();
    out.dedup();
    out.truncate(5);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use nostr_sdk::{EventBuilder, Keys, Tag, TagKind};

    #[test]
    fn read_and_write_markers_are_honoured() {
        let keys = Keys::generate();
        let tags = [
            Tag::custom(TagKind::custom("r"), ["wss://both.example"]),
            Tag::custom(TagKind::custom("r"), ["wss://read.example", "read"]),
            Tag::custom(TagKind::custom("r"), ["wss://write.example", "write"]),
        ];
        let e = EventBuilder::new(Kind::RelayList, "")
            .tags(tags)
            .sign_with_keys(&keys)
            .unwrap();
        assert_eq!(
            relay_tags(&e, "r", Some("read")),
            vec!["wss://both.example", "wss://read.example"]
        );
        assert_eq!(
            relay_tags(&e, "r", Some("write")),
            vec!["wss://both.example", "wss://write.example"]
        );
    }
}
