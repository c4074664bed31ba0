//! The checks behind a join token that read the relay (as the relay): membership (NIP-43),
//! the room's newest version, its deletions (NIP-09) and expiry (NIP-40), and mute lists.

use std::collections::{HashMap, HashSet};

use nostr_sdk::{Alphabet, Event, Filter, Kind, PublicKey, SingleLetterTag};

use super::error::LivekitError;
use super::rooms::{self, Address, Book, ROOM_KIND, Room, Seen, Status};
use crate::clock::unix_now;
use crate::db::livekit_relays::LivekitRelay;
use crate::error::Code;

const MEMBER_LIST: Kind = Kind::Custom(13534);
const MUTE_LIST: Kind = Kind::Custom(10000);

pub(super) fn refuse(code: Code, message: &str) -> LivekitError {
    LivekitError::refuse(code, message)
}

/// What the client asked for: a `d`, or a full `30312:<pubkey>:<d>` address.
pub(super) enum Wanted {
    D(String),
    Address(Address),
}

impl Wanted {
    pub(super) fn d_and_author(&self) -> (&str, Option<&PublicKey>) {
        match self {
            Wanted::D(d) => (d, None),
            Wanted::Address(a) => (&a.d, Some(&a.author)),
        }
    }
}

pub(super) fn parse_room_ref(value: &str) -> Result<Wanted, LivekitError> {
    let invalid = || {
        refuse(
            Code::LivekitInvalidRoom,
            "`room` is a kind 30312 `d` tag or its `30312:<pubkey>:<d>` address.",
        )
    };
    if value.is_empty() || value.len() > 1024 {
        return Err(invalid());
    }
    if value.starts_with("30312:") {
        return rooms::parse_address(value)
            .map(Wanted::Address)
            .ok_or_else(invalid);
    }
    Ok(Wanted::D(value.to_string()))
}

pub(super) async fn is_member<F, Fut>(
    relay: &LivekitRelay,
    who: &PublicKey,
    read: &F,
) -> Result<bool, LivekitError>
where
    F: Fn(Filter) -> Fut,
    Fut: Future<Output = Result<Vec<Event>, LivekitError>>,
{
    let hex = who.to_hex();
    if hex == relay.tenant || hex == relay.pubkey {
        return Ok(true);
    }
    let Ok(relay_key) = PublicKey::from_hex(&relay.pubkey) else {
        return Ok(false);
    };
    let lists = read(Filter::new().kind(MEMBER_LIST).author(relay_key)).await?;
    let newest = lists
        .iter()
        .max_by_key(|e| (e.created_at, std::cmp::Reverse(e.id)));
    Ok(newest.is_some_and(|list| {
        list.tags.iter().any(|t| {
            let v = t.as_slice();
            v.first().map(String::as_str) == Some("member") && v.get(1) == Some(&hex)
        })
    }))
}

/// The room asked for, live, or the refusal that says why not. `seen` holds the versions of
/// rooms with this `d` that the watcher saw on the relay (its memory outlives the relay's:
/// relays stop serving a room once it expires or is deleted).
pub(super) async fn find_room<F, Fut>(
    wanted: &Wanted,
    seen: &[Seen],
    read: &F,
) -> Result<Room, LivekitError>
where
    F: Fn(Filter) -> Fut,
    Fut: Future<Output = Result<Vec<Event>, LivekitError>>,
{
    let (d, author) = wanted.d_and_author();
    let (d, author) = (d.to_string(), author.copied());
    let mut filter = Filter::new().kind(ROOM_KIND).identifier(d.clone());
    if let Some(author) = author {
        filter = filter.author(author);
    }
    let versions: Vec<Room> = read(filter)
        .await?
        .iter()
        .filter_map(Room::from_event)
        .filter(|r| r.address.d == d)
        .collect();
    let ambiguous = || {
        refuse(
            Code::LivekitRoomAmbiguous,
            "Several rooms on this relay share this `d`; ask with its full `30312:<pubkey>:<d>` address.",
        )
    };
    let served: HashSet<PublicKey> = versions.iter().map(|r| r.address.author).collect();
    if served.len() > 1 {
        return Err(ambiguous());
    }
    let remembered: HashSet<PublicKey> = seen
        .iter()
        .filter(|s| s.address.d == d)
        .map(|s| s.address.author)
        .collect();
    let author = match (author, served.iter().next()) {
        (Some(author), _) | (None, Some(&author)) => author,
        (None, None) if remembered.len() > 1 => return Err(ambiguous()),
        (None, None) => match remembered.into_iter().next() {
            Some(author) => author,
            // Never seen and not served: a deletion naming this `d` still tells a deleted
            // room from one that never existed.
            None if deleted_by_address(&d, read).await? => return Err(deleted()),
            None => return Err(not_found()),
        },
    };
    let address = Address { author, d };
    let now = unix_now() as u64;
    let mut book = Book::default();
    for room in &versions {
        book.apply_room(room.clone(), now);
    }
    for deletion in read(Filter::new().kind(Kind::EventDeletion).author(author)).await? {
        book.apply_deletion(&deletion);
    }
    if let Some(room) = book.get(&address) {
        if room.is_expired(now) {
            return Err(expired_refusal());
        }
        if room.status == Status::Closed {
            return Err(refuse(Code::LivekitRoomClosed, "This room is closed."));
        }
        return Ok(room.clone());
    }
    // Nothing live is served: the newest version known, served or remembered, says why.
    let newest = versions
        .iter()
        .map(Seen::from)
        .chain(seen.iter().filter(|s| s.address == address).cloned())
        .reduce(|a, b| if b.is_newer_than(&a) { b } else { a });
    Err(match newest {
        Some(v) if book.deletes_version(&address, &v.id, v.created_at) => deleted(),
        Some(v) if v.is_expired(now) => expired_refusal(),
        Some(_) => not_found(),
        None if book.is_deleted(&address) => deleted(),
        None => not_found(),
    })
}

/// Whether a kind 5 deletion by a room's author names a room with this `d` by address.
async fn deleted_by_address<F, Fut>(d: &str, read: &F) -> Result<bool, LivekitError>
where
    F: Fn(Filter) -> Fut,
    Fut: Future<Output = Result<Vec<Event>, LivekitError>>,
{
    let deletions = read(
        Filter::new()
            .kind(Kind::EventDeletion)
            .custom_tag(SingleLetterTag::lowercase(Alphabet::K), "30312"),
    )
    .await?;
    let suffix = format!(":{d}");
    Ok(deletions.iter().any(|e| {
        e.tags.iter().any(|t| {
            let v = t.as_slice();
            v.first().map(String::as_str) == Some("a")
                && v.get(1).is_some_and(|a| {
                    a.ends_with(&suffix)
                        && rooms::parse_address(a).is_some_and(|x| x.author == e.pubkey && x.d == d)
                })
        })
    }))
}

fn deleted() -> LivekitError {
    refuse(
        Code::LivekitRoomDeleted,
        "This room was deleted by its author.",
    )
}

fn expired_refusal() -> LivekitError {
    refuse(Code::LivekitRoomExpired, "This room has expired.")
}

fn not_found() -> LivekitError {
    refuse(
        Code::LivekitRoomNotFound,
        "There is no such room on this relay.",
    )
}

/// Refuses when someone in the room mutes the requester; warns when the requester mutes
/// someone in it. Only public mute lists (kind 10000 `p` tags) are read.
pub(super) async fn check_mutes<F, Fut>(
    requester: &PublicKey,
    others: &HashSet<PublicKey>,
    read: &F,
) -> Result<Option<&'static str>, LivekitError>
where
    F: Fn(Filter) -> Fut,
    Fut: Future<Output = Result<Vec<Event>, LivekitError>>,
{
    let mut authors: Vec<PublicKey> = others.iter().copied().collect();
    authors.push(*requester);
    let mut newest: HashMap<PublicKey, Event> = HashMap::new();
    for list in read(Filter::new().kind(MUTE_LIST).authors(authors)).await? {
        let keep = newest.get(&list.pubkey).is_none_or(|old| {
            (list.created_at, std::cmp::Reverse(list.id))
                > (old.created_at, std::cmp::Reverse(old.id))
        });
        if keep {
            newest.insert(list.pubkey, list);
        }
    }
    let muted = |list: &Event| -> HashSet<String> {
        list.tags
            .iter()
            .filter_map(|t| {
                let v = t.as_slice();
                (v.first().map(String::as_str) == Some("p"))
                    .then(|| v.get(1).cloned())
                    .flatten()
            })
            .collect()
    };
    let me = requester.to_hex();
    if others
        .iter()
        .any(|p| newest.get(p).is_some_and(|l| muted(l).contains(&me)))
    {
        return Err(refuse(
            Code::LivekitBlocked,
            "Someone in this room has muted you.",
        ));
    }
    let mine = newest.get(requester).map(muted).unwrap_or_default();
    Ok(others
        .iter()
        .any(|p| mine.contains(&p.to_hex()))
        .then_some("blocked_user_present"))
}
