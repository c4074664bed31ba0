//! A relay's members as the relay itself publishes them: the newest kind 13534 signed by the
//! relay's key lists them (`["member", <hex>]` tags), and each kind 8000 says when one was
//! added. Read over a connection that authenticates (NIP-42) as the relay.

use std::collections::HashMap;

use nostr_sdk::{Client, Filter, Keys, Kind, TagKind, Timestamp};

use super::{RELAY_TIMEOUT, RelayError};

const MEMBER_LIST: Kind = Kind::Custom(13534);
const MEMBER_ADDED: Kind = Kind::Custom(8000);

/// The members a kind 13534 lists, in order, without duplicates or the relay's own key.
pub fn listed(list: &nostr_sdk::Event, relay: &nostr_sdk::PublicKey) -> Vec<String> {
    let me = relay.to_hex();
    let mut seen = std::collections::HashSet::new();
    list.tags
        .iter()
        .filter(|t| t.kind() == TagKind::custom("member"))
        .filter_map(|t| t.as_slice().get(1).cloned())
        .filter(|hex| hex.len() == 64 && *hex != me && seen.insert(hex.clone()))
        .collect()
}

/// Of several lists, the one that counts: the newest, and on a tie the lowest id (NIP-01).
pub fn newest<'a>(
    lists: impl IntoIterator<Item = &'a nostr_sdk::Event>,
) -> Option<&'a nostr_sdk::Event> {
    lists
        .into_iter()
        .max_by(|a, b| a.created_at.cmp(&b.created_at).then(b.id.cmp(&a.id)))
}

/// The filter for a relay's member lists.
pub fn list_filter(relay: nostr_sdk::PublicKey) -> Filter {
    Filter::new().kind(MEMBER_LIST).author(relay).limit(1)
}

/// One member of a relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub pubkey: String,
    /// When the relay last added them, if it still has that record.
    pub joined_at: Option<i64>,
}

/// The members in the relay's newest list (the relay's own key left out), in its order.
pub async fn read(keys: &Keys, relay_url: &str) -> Result<Vec<Member>, RelayError> {
    let client = connected(keys, relay_url).await?;
    let outcome = read_with(&client, keys, relay_url).await;
    client.shutdown().await;
    outcome
}

/// A client signed as the relay, connected to it (NIP-42 AUTH is answered as it comes).
pub async fn connected(keys: &Keys, relay_url: &str) -> Result<Client, RelayError> {
    let client = Client::builder().signer(keys.clone()).build();
    match connect_to(&client, relay_url).await {
        Ok(()) => Ok(client),
        Err(e) => {
            client.shutdown().await;
            Err(e)
        }
    }
}

async fn connect_to(client: &Client, relay_url: &str) -> Result<(), RelayError> {
    let unreachable = |e: String| RelayError::Unreachable(format!("{relay_url}: {e}"));
    client
        .add_relay(relay_url)
        .await
        .map_err(|e| unreachable(e.to_string()))?;
    // A relay that refuses the connection fails at once, not after a timeout.
    client
        .try_connect_relay(relay_url, RELAY_TIMEOUT)
        .await
        .map_err(|e| unreachable(e.to_string()))
}

/// The stored events matching `filter`, read to the relay's end of stored events: a lost
/// connection or a timeout is an error, never a short answer.
pub async fn read_stored(
    client: &Client,
    relay_url: &str,
    filter: Filter,
    within: std::time::Duration,
) -> Result<Vec<nostr_sdk::Event>, RelayError> {
    super::read::read_stored(client, relay_url, filter, within)
        .await
        .map_err(|e| RelayError::Unreachable(format!("{relay_url}: {e:#}")))
}

async fn read_with(
    client: &Client,
    keys: &Keys,
    relay_url: &str,
) -> Result<Vec<Member>, RelayError> {
    let me = keys.public_key();
    let lists = read_stored(client, relay_url, list_filter(me), RELAY_TIMEOUT).await?;
    let Some(list) = newest(lists.iter()) else {
        return Ok(Vec::new());
    };
    let added_filter = Filter::new()
        .kind(MEMBER_ADDED)
        .author(me)
        .since(Timestamp::from(0))
        .limit(1000);
    let added = read_stored(client, relay_url, added_filter, RELAY_TIMEOUT).await?;
    let mut joined: HashMap<String, i64> = HashMap::new();
    for e in added.iter() {
        for p in e.tags.iter().filter(|t| t.kind() == TagKind::p()) {
            if let Some(hex) = p.content() {
                let at = e.created_at.as_secs() as i64;
                joined
                    .entry(hex.to_string())
                    .and_modify(|t| *t = (*t).max(at))
                    .or_insert(at);
            }
        }
    }
    Ok(listed(list, &me)
        .into_iter()
        .map(|pubkey| Member {
            joined_at: joined.get(&pubkey).copied(),
            pubkey,
        })
        .collect())
}
