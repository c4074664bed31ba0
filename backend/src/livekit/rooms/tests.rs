//! The room book's NIP-53 / NIP-09 / NIP-40 rules, on real signed events.

use nostr_sdk::{EventBuilder, Keys, Kind, Tag, TagKind, Timestamp};

use super::*;

fn tag(name: &str, values: &[&str]) -> Tag {
    Tag::custom(TagKind::custom(name), values.iter().copied())
}

fn room(keys: &Keys, d: &str, status: &str, at: u64, extra: Vec<Tag>) -> Room {
    let mut tags = vec![tag("d", &[d]), tag("status", &[status])];
    tags.extend(extra);
    let event = EventBuilder::new(ROOM_KIND, "")
        .tags(tags)
        .custom_created_at(Timestamp::from(at))
        .sign_with_keys(keys)
        .unwrap();
    Room::from_event(&event).unwrap()
}

fn deletion(keys: &Keys, tags: Vec<Tag>, at: u64) -> Event {
    EventBuilder::new(Kind::EventDeletion, "")
        .tags(tags)
        .custom_created_at(Timestamp::from(at))
        .sign_with_keys(keys)
        .unwrap()
}

#[test]
fn newer_versions_win_and_older_ones_are_ignored() {
    let host = Keys::generate();
    let mut book = Book::default();
    let open = room(&host, "a", "open", 100, vec![]);
    let address = open.address.clone();
    assert_eq!(book.apply_room(open, 1000), Change::Live(address.clone()));
    assert_eq!(
        book.apply_room(room(&host, "a", "closed", 90, vec![]), 1000),
        Change::Unchanged
    );
    assert_eq!(
        book.apply_room(room(&host, "a", "closed", 110, vec![]), 1000),
        Change::Gone(address.clone())
    );
    assert_eq!(book.live(1000).count(), 0);
}

#[test]
fn only_the_author_deletes_and_a_later_version_lives_again() {
    let (host, other) = (Keys::generate(), Keys::generate());
    let mut book = Book::default();
    let open = room(&host, "a", "open", 100, vec![]);
    let address = open.address.clone();
    book.apply_room(open.clone(), 1000);
    let a = tag("a", &[&address.to_string()]);
    assert!(
        book.apply_deletion(&deletion(&other, vec![a.clone()], 200))
            .is_empty()
    );
    assert_eq!(
        book.apply_deletion(&deletion(&host, vec![a], 200)),
        vec![Change::Gone(address.clone())]
    );
    assert!(book.is_deleted(&address));
    assert_eq!(
        book.apply_room(room(&host, "a", "open", 150, vec![]), 1000),
        Change::Unchanged
    );
    assert_eq!(
        book.apply_room(room(&host, "a", "open", 300, vec![]), 1000),
        Change::Live(address.clone())
    );
    let e = tag("e", &[&book.get(&address).unwrap().id.to_hex()]);
    assert_eq!(
        book.apply_deletion(&deletion(&host, vec![e], 100)),
        vec![Change::Gone(address)]
    );
}

#[test]
fn a_deletion_covers_versions_the_book_never_held() {
    // Relays drop a deleted room, so the book may only ever see the deletion.
    let (host, other) = (Keys::generate(), Keys::generate());
    let gone = room(&host, "a", "open", 100, vec![]);
    let by_id = tag("e", &[&gone.id.to_hex()]);
    let mut book = Book::default();
    book.apply_deletion(&deletion(&other, vec![by_id.clone()], 150));
    assert!(
        !book.deletes_version(&gone.address, &gone.id, 100),
        "only the room's author deletes it"
    );
    book.apply_deletion(&deletion(&host, vec![by_id.clone()], 200));
    book.apply_deletion(&deletion(&other, vec![by_id], 300));
    assert!(
        book.deletes_version(&gone.address, &gone.id, 100),
        "a stranger's later deletion does not hide the author's"
    );
    let a = tag("a", &[&gone.address.to_string()]);
    book.apply_deletion(&deletion(&host, vec![a], 400));
    let later = room(&host, "a", "open", 500, vec![]);
    assert!(book.deletes_version(&gone.address, &later.id, 400));
    assert!(!book.deletes_version(&later.address, &later.id, 500));
}

#[test]
fn expiry_ends_a_room_and_roles_decide_who_publishes() {
    let (host, speaker, listener) = (Keys::generate(), Keys::generate(), Keys::generate());
    let tags = vec![
        tag("expiration", &["500"]),
        tag("p", &[&speaker.public_key().to_hex(), "", "SPEAKER"]),
        tag("p", &[&listener.public_key().to_hex(), "", "Participant"]),
    ];
    let r = room(&host, "a", "private", 100, tags);
    assert!(r.is_live(499) && !r.is_live(500));
    let mut book = Book::default();
    book.apply_room(r.clone(), 100);
    assert_eq!(book.next_expiry(100), Some(500));
    let (host, speaker, listener) = (
        host.public_key(),
        speaker.public_key(),
        listener.public_key(),
    );
    assert!(r.may_publish(&host) && r.may_publish(&speaker) && !r.may_publish(&listener));
    assert!(r.admits(&listener) && !r.admits(&Keys::generate().public_key()));
}

#[test]
fn room_names_are_short_safe_and_distinct_per_relay() {
    let address = Address {
        author: Keys::generate().public_key(),
        d: "x".repeat(5000),
    };
    let one = livekit_room_name("alpha", &address);
    let two = livekit_room_name("beta", &address);
    assert_ne!(one, two);
    assert!(one.starts_with(&relay_room_prefix("alpha")) && one.len() <= 256);
    assert!(
        one.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == ':' || c == '_')
    );
    assert_eq!(parse_address(&address.to_string()), Some(address));
}
