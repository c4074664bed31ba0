//! What the relay's members reported (kind 1984, NIP-56), read as the relay.

use nostr_sdk::{Event, Filter, Keys, Kind, TagKind, Timestamp};

use super::{RELAY_TIMEOUT, RelayError, members};

/// One report made on the relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: String,
    /// Who reported.
    pub reporter: String,
    /// The pubkey reported (`p`), with its report type when given.
    pub pubkey: Option<String>,
    /// The event reported (`e`), if any.
    pub event: Option<String>,
    /// `nudity`, `malware`, `profanity`, `illegal`, `spam`, `impersonation` or `other`.
    pub kind: Option<String>,
    pub content: String,
    pub created_at: i64,
}

impl Report {
    fn from_event(e: &Event) -> Self {
        let tag = |kind: TagKind| e.tags.iter().find(|t| t.kind() == kind);
        let e_tag = tag(TagKind::e());
        let p_tag = tag(TagKind::p());
        let kind = e_tag
            .and_then(|t| t.as_slice().get(2))
            .or_else(|| p_tag.and_then(|t| t.as_slice().get(2)))
            .cloned();
        Self {
            id: e.id.to_hex(),
            reporter: e.pubkey.to_hex(),
            pubkey: p_tag.and_then(|t| t.content()).map(str::to_string),
            event: e_tag.and_then(|t| t.content()).map(str::to_string),
            kind,
            content: e.content.chars().take(2000).collect(),
            created_at: e.created_at.as_secs() as i64,
        }
    }
}

/// Up to `limit` reports, newest first, made before `until` (if given).
pub async fn reports(
    keys: &Keys,
    relay_url: &str,
    limit: usize,
    until: Option<i64>,
) -> Result<Vec<Report>, RelayError> {
    let client = members::connected(keys, relay_url).await?;
    let mut filter = Filter::new().kind(Kind::Reporting).limit(limit);
    if let Some(until) = until {
        filter = filter.until(Timestamp::from(until.max(0) as u64));
    }
    let fetched = members::read_stored(&client, relay_url, filter, RELAY_TIMEOUT).await;
    client.shutdown().await;
    let events = fetched?;
    let mut reports: Vec<Report> = events.iter().map(Report::from_event).collect();
    reports.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
    reports.truncate(limit);
    Ok(reports)
}
