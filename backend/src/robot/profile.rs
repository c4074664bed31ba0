//! Publishes the robot's kind 0 profile (marked `bot`), kind 10002 outbox relays and kind
//! 10050 messaging relays at start-up, each only when it differs from what was last published.

use anyhow::Context;
use nostr_sdk::hashes::{Hash, sha256};
use nostr_sdk::{EventBuilder, Kind, Tag};
use serde_json::json;
use sqlx::SqlitePool;

use super::Robot;
use crate::clock::unix_now;

/// What each list event should say now: (kind, content, tags).
fn wanted(robot: &Robot) -> Vec<(Kind, String, Vec<Vec<String>>)> {
    let s = &robot.settings;
    let mut profile = json!({ "name": s.name, "about": s.description, "bot": true });
    if let Some(p) = &s.picture {
        profile["picture"] = json!(p.to_string());
    }
    let outbox = s
        .outbox_relays
        .iter()
        .map(|u| vec!["r".to_string(), u.to_string()])
        .collect();
    let inbox = s
        .messaging_relays
        .iter()
        .map(|u| vec!["relay".to_string(), u.to_string()])
        .collect();
    vec![
        (Kind::Metadata, profile.to_string(), Vec::new()),
        (Kind::RelayList, String::new(), outbox),
        (Kind::InboxRelays, String::new(), inbox),
    ]
}

/// Publishes what changed to the outbox, indexer and messaging relays. Without any
/// relays configured there is nowhere to publish, and nothing is done.
pub async fn publish_if_changed(robot: &Robot, db: &SqlitePool) -> anyhow::Result<usize> {
    let s = &robot.settings;
    let mut targets: Vec<String> = s
        .outbox_relays
        .iter()
        .chain(&s.indexer_relays)
        .chain(&s.messaging_relays)
        .map(|u| u.to_string())
        .collect();
    targets.sort();
    targets.dedup();
    if targets.is_empty() {
        return Ok(0);
    }
    let mut published = 0;
    for (kind, content, tags) in wanted(robot) {
        let digest =
            sha256::Hash::hash(json!([kind.as_u16(), content, tags]).to_string().as_bytes())
                .to_string();
        let k = i64::from(kind.as_u16());
        let last = crate::db::robot_published::digest(db, k).await?;
        if last.as_deref() == Some(digest.as_str()) {
            continue;
        }
        let event = EventBuilder::new(kind, content)
            .tags(
                tags.into_iter()
                    .filter_map(|t| Tag::parse(t).ok())
                    .collect::<Vec<_>>(),
            )
            .sign_with_keys(robot.keys())
            .context("signing the robot's profile")?;
        robot
            .publish(&targets, &event)
            .await
            .with_context(|| format!("publishing the robot's kind {k}"))?;
        let id = event.id.to_hex();
        let now = unix_now();
        crate::db::robot_published::record(db, k, &digest, &id, now).await?;
        published += 1;
    }
    Ok(published)
}
