//! NIP-53 meeting spaces (kind 30312) as the platform sees them on one relay: parsing,
//! and the per-relay book that applies new versions, NIP-09 deletions by the author and
//! NIP-40 expiry, so the watcher and the token endpoint agree on which rooms are live.

use std::collections::{HashMap, HashSet};

use nostr_sdk::hashes::{Hash, sha256};
use nostr_sdk::{Event, EventId, Kind, PublicKey};

use crate::db::livekit_rooms::SeenRoom;

pub const ROOM_KIND: Kind = Kind::Custom(30312);
/// Every LiveKit room this platform creates starts with this, so cleanup never touches others.
pub const ROOM_PREFIX: &str = "caravel:";

/// `30312:<author>:<d>`, the room's NIP-01 address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Address {
    pub author: PublicKey,
    pub d: String,
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "30312:{}:{}", self.author.to_hex(), self.d)
    }
}

/// The LiveKit room for `address` on the relay with `schema`: `caravel:<schema>:<hash>`.
/// The schema keeps relays apart; the hash keeps any `d` short (well under LiveKit's 256
/// bytes) and within `[a-z0-9_:]`.
pub fn livekit_room_name(schema: &str, address: &Address) -> String {
    let digest = sha256::Hash::hash(address.to_string().as_bytes()).to_string();
    format!("{ROOM_PREFIX}{schema}:{}", &digest[..32])
}

/// The prefix of every LiveKit room of the relay with `schema`.
pub fn relay_room_prefix(schema: &str) -> String {
    format!("{ROOM_PREFIX}{schema}:")
}

/// Who may publish: hosts, moderators and speakers (NIP-53 `p` roles, any case).
const PUBLISHING_ROLES: [&str; 4] = ["host", "owner", "moderator", "speaker"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Private,
    Closed,
}

/// One version of a meeting space.
#[derive(Debug, Clone)]
pub struct Room {
    pub address: Address,
    pub id: EventId,
    pub created_at: u64,
    pub status: Status,
    pub name: String,
    pub expiration: Option<u64>,
    /// `p` tags: pubkey and role (lower-cased, empty when none).
    pub participants: Vec<(PublicKey, String)>,
}

impl Room {
    /// A verified kind 30312 event as a room; `None` if it is not one (no `d`).
    pub fn from_event(event: &Event) -> Option<Self> {
        if event.kind != ROOM_KIND {
            return None;
        }
        let mut d = None;
        let mut status = Status::Closed;
        let mut name = String::new();
        let mut expiration = None;
        let mut participants = Vec::new();
        for tag in event.tags.iter() {
            let values = tag.as_slice();
            let value = values.get(1).map(String::as_str).unwrap_or_default();
            match values.first().map(String::as_str) {
                Some("d") => d = Some(value.to_string()),
                Some("room") => name = value.to_string(),
                Some("status") => {
                    status = match value.to_ascii_lowercase().as_str() {
                        "open" => Status::Open,
                        "private" => Status::Private,
                        _ => Status::Closed,
                    }
                }
                Some("expiration") => expiration = value.parse().ok(),
                Some("p") => {
                    if let Ok(pk) = PublicKey::from_hex(value) {
                        let role = values
                            .get(3)
                            .map(|r| r.to_ascii_lowercase())
                            .unwrap_or_default();
                        participants.push((pk, role));
                    }
                }
                _ => {}
            }
        }
        Some(Self {
            address: Address {
                author: event.pubkey,
                d: d?,
            },
            id: event.id,
            created_at: event.created_at.as_secs(),
            status,
            name,
            expiration,
            participants,
        })
    }

    pub fn is_expired(&self, now: u64) -> bool {
        self.expiration.is_some_and(|at| at <= now)
    }

    /// Open, or private and `pubkey` is its author or listed in it.
    pub fn admits(&self, pubkey: &PublicKey) -> bool {
        match self.status {
            Status::Open => true,
            Status::Private => {
                *pubkey == self.address.author || self.participants.iter().any(|(p, _)| p == pubkey)
            }
            Status::Closed => false,
        }
    }

    /// Hosts, moderators and speakers publish; everyone else listens and sends data.
    pub fn may_publish(&self, pubkey: &PublicKey) -> bool {
        *pubkey == self.address.author
            || self
                .participants
                .iter()
                .any(|(p, role)| p == pubkey && PUBLISHING_ROLES.contains(&role.as_str()))
    }

    /// Whether a LiveKit room should exist for it at `now`.
    pub fn is_live(&self, now: u64) -> bool {
        self.status != Status::Closed && !self.is_expired(now)
    }
}

/// A room version the watcher saw, remembered after the relay stops serving it: enough to
/// tell whether a deletion names it and whether it has expired.
#[derive(Debug, Clone)]
pub struct Seen {
    pub address: Address,
    pub id: EventId,
    pub created_at: u64,
    pub expiration: Option<u64>,
}

impl Seen {
    /// A remembered row, or `None` if it does not parse (it was written from a valid event).
    pub fn from_row(row: &SeenRoom) -> Option<Self> {
        Some(Self {
            address: Address {
                author: PublicKey::from_hex(&row.author).ok()?,
                d: row.d.clone(),
            },
            id: EventId::from_hex(&row.event_id).ok()?,
            created_at: u64::try_from(row.created_at).ok()?,
            expiration: row.expires_at.and_then(|at| u64::try_from(at).ok()),
        })
    }

    /// The row that remembers it.
    pub fn to_row(&self) -> SeenRoom {
        SeenRoom {
            author: self.address.author.to_hex(),
            d: self.address.d.clone(),
            event_id: self.id.to_hex(),
            created_at: self.created_at as i64,
            expires_at: self.expiration.map(|at| at as i64),
        }
    }

    pub fn is_expired(&self, now: u64) -> bool {
        self.expiration.is_some_and(|at| at <= now)
    }

    /// Whether this version is newer than `other` (later, ties to the lower id, as NIP-01).
    pub fn is_newer_than(&self, other: &Seen) -> bool {
        (self.created_at, std::cmp::Reverse(self.id))
            > (other.created_at, std::cmp::Reverse(other.id))
    }
}

impl From<&Room> for Seen {
    fn from(room: &Room) -> Self {
        Self {
            address: room.address.clone(),
            id: room.id,
            created_at: room.created_at,
            expiration: room.expiration,
        }
    }
}

/// The rooms of one relay: the newest version of each address, and deletions by authors.
#[derive(Debug, Default)]
pub struct Book {
    rooms: HashMap<Address, Room>,
    /// Newest `created_at` of an `a` deletion per address (deletes versions at or before it).
    deleted_at: HashMap<Address, u64>,
    /// Event ids named by `e` deletions, each with the deletion's author (a stranger's
    /// deletion must not hide the author's).
    deleted_ids: HashSet<(EventId, PublicKey)>,
}

/// What became of an address after an update.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    Unchanged,
    Live(Address),
    Gone(Address),
}

impl Book {
    /// Applies a new version; older versions, and versions already deleted, are ignored.
    pub fn apply_room(&mut self, room: Room, now: u64) -> Change {
        if let Some(current) = self.rooms.get(&room.address) {
            let newer = (room.created_at, std::cmp::Reverse(room.id))
                > (current.created_at, std::cmp::Reverse(current.id));
            if !newer {
                return Change::Unchanged;
            }
        }
        if self.deletes_version(&room.address, &room.id, room.created_at) {
            return Change::Unchanged;
        }
        let address = room.address.clone();
        let live = room.is_live(now);
        self.rooms.insert(address.clone(), room);
        if live {
            Change::Live(address)
        } else {
            Change::Gone(address)
        }
    }

    /// Applies a kind 5 deletion request; only its author's rooms are affected.
    pub fn apply_deletion(&mut self, deletion: &Event) -> Vec<Change> {
        let at = deletion.created_at.as_secs();
        let mut changes = Vec::new();
        for tag in deletion.tags.iter() {
            let values = tag.as_slice();
            let value = values.get(1).map(String::as_str).unwrap_or_default();
            match values.first().map(String::as_str) {
                Some("a") => {
                    let Some(address) = parse_address(value) else {
                        continue;
                    };
                    if address.author != deletion.pubkey {
                        continue;
                    }
                    let entry = self.deleted_at.entry(address.clone()).or_insert(at);
                    *entry = (*entry).max(at);
                    if self.rooms.get(&address).is_some_and(|r| r.created_at <= at) {
                        self.rooms.remove(&address);
                        changes.push(Change::Gone(address));
                    }
                }
                Some("e") => {
                    let Ok(id) = EventId::from_hex(value) else {
                        continue;
                    };
                    self.deleted_ids.insert((id, deletion.pubkey));
                    let hit = self
                        .rooms
                        .iter()
                        .find(|(a, r)| r.id == id && a.author == deletion.pubkey)
                        .map(|(a, _)| a.clone());
                    if let Some(address) = hit {
                        self.rooms.remove(&address);
                        changes.push(Change::Gone(address));
                    }
                }
                _ => {}
            }
        }
        changes
    }

    pub fn get(&self, address: &Address) -> Option<&Room> {
        self.rooms.get(address)
    }

    /// Whether the address was deleted (its current version or by `a` at or after it).
    pub fn is_deleted(&self, address: &Address) -> bool {
        self.deleted_at.contains_key(address) && !self.rooms.contains_key(address)
    }

    /// Whether the deletions applied cover the version `id` of `address` made at `created_at`:
    /// an `a` deletion at or after it, or an `e` deletion of that id, by the room's author.
    pub fn deletes_version(&self, address: &Address, id: &EventId, created_at: u64) -> bool {
        self.deleted_at
            .get(address)
            .is_some_and(|at| *at >= created_at)
            || self.deleted_ids.contains(&(*id, address.author))
    }

    /// Rooms that should have a LiveKit room at `now`.
    pub fn live(&self, now: u64) -> impl Iterator<Item = &Room> {
        self.rooms.values().filter(move |r| r.is_live(now))
    }

    /// The earliest future expiration among live rooms, for the watcher's timer.
    pub fn next_expiry(&self, now: u64) -> Option<u64> {
        self.live(now).filter_map(|r| r.expiration).min()
    }
}

/// `30312:<hex>:<d>` (the `d` may contain colons).
pub fn parse_address(value: &str) -> Option<Address> {
    let mut parts = value.splitn(3, ':');
    let (kind, author, d) = (parts.next()?, parts.next()?, parts.next()?);
    if kind != "30312" {
        return None;
    }
    Some(Address {
        author: PublicKey::from_hex(author).ok()?,
        d: d.to_string(),
    })
}

#[cfg(test)]
mod tests;
