//! zooid's per-relay membership (NIP-43) and ban lists. Every change is announced the way
//! zooid does: a relay-signed kind 8000 (add) or 8001 (remove), then a fresh kind 13534
//! list, both protected (`["-"]`). Changes are serialised and each list is created at
//! least a second after the previous one, so the newest list is unambiguous.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::SocketAddr;
use std::sync::Arc;

use nostr_relay_builder::prelude::{BoxedFuture, PolicyResult, WritePolicy};
use nostr_sdk::{Event, EventBuilder, EventId, Filter, Keys, Kind, PublicKey, Tag, Timestamp};
use parking_lot::Mutex;
use serde_json::Value;
use tokio::sync::mpsc;

use super::relay::Hub;

pub(super) const MEMBER_ADDED: Kind = Kind::Custom(8000);
pub(super) const MEMBER_REMOVED: Kind = Kind::Custom(8001);
pub(super) const MEMBER_LIST: Kind = Kind::Custom(13534);
pub(super) const JOIN_REQUEST: Kind = Kind::Custom(28934);

#[derive(Debug, Default)]
struct Membership {
    /// In the order they joined, as zooid appends them to its list.
    members: Vec<PublicKey>,
    banned: BTreeMap<PublicKey, String>,
    banned_events: BTreeMap<EventId, String>,
    /// `created_at` of the last published 13534.
    last_list: u64,
    /// Invite claims (`createclaim`): reusable, never expiring, as zooid keeps them.
    claims: BTreeSet<String>,
    /// `policy.public_join` as last loaded: a join needs no claim.
    public_join: bool,
}

type State = Arc<Mutex<HashMap<String, Membership>>>;

/// Which relay each WebSocket opened by host name is on, by the address the relay sees it
/// from (the relay port forwards every connection to the one shared relay).
pub(super) type Peers = Arc<Mutex<HashMap<SocketAddr, String>>>;

/// A kind 28934 join the relay accepted: (relay id, who), for [`Community::admit_joins`].
type Joins = mpsc::UnboundedReceiver<(String, PublicKey)>;

pub(super) struct Community {
    pub(super) hub: Hub,
    pub(super) peers: Peers,
    state: State,
    /// One change at a time, events included, so lists reach the relay in order.
    lane: tokio::sync::Mutex<()>,
    joins: Mutex<Option<Joins>>,
}

impl Community {
    pub(super) async fn start() -> Self {
        let state = State::default();
        let peers = Peers::default();
        let (joined, joins) = mpsc::unbounded_channel();
        let guard = Guard {
            state: state.clone(),
            peers: peers.clone(),
            joined,
        };
        let hub = Hub::start(guard).await;
        Self {
            hub,
            peers,
            state,
            lane: tokio::sync::Mutex::default(),
            joins: Mutex::new(Some(joins)),
        }
    }

    /// The joins the relay accepted, to be added as members (zooid's `OnEphemeralEvent`):
    /// `keys_of` finds a relay's keys by its id. Runs until the stand-in is dropped.
    pub(super) fn admit_joins(
        shared: std::sync::Weak<super::Shared>,
        keys_of: fn(&super::Shared, &str) -> Option<Keys>,
    ) {
        let Some(mut joins) = shared
            .upgrade()
            .and_then(|s| s.community.joins.lock().take())
        else {
            return;
        };
        tokio::spawn(async move {
            while let Some((id, pubkey)) = joins.recv().await {
                let Some(shared) = shared.upgrade() else {
                    break;
                };
                if let Some(keys) = keys_of(&shared, &id) {
                    shared.community.add(&id, &keys, pubkey).await;
                }
            }
        });
    }

    /// `createclaim`: the claim admits joins from now on (again: nothing changes).
    pub(super) fn create_claim(&self, id: &str, claim: &str) {
        self.with(id, |m| m.claims.insert(claim.to_string()));
    }

    /// `deleteclaim`: the claim admits nobody from now on.
    pub(super) fn delete_claim(&self, id: &str, claim: &str) {
        self.with(id, |m| m.claims.remove(claim));
    }

    pub(super) fn claims(&self, id: &str) -> Vec<String> {
        self.with(id, |m| m.claims.iter().cloned().collect())
    }

    /// What a zooid (re)load does: the owner, every role's pubkeys and the relay key are
    /// made members and unbanned. Nobody is removed.
    pub(super) async fn reload(&self, id: &str, config: &Value) {
        let Some(keys) = relay_keys(config) else {
            return;
        };
        let public_join = config["policy"]["public_join"].as_bool() == Some(true);
        self.with(id, |m| m.public_join = public_join);
        if config["inactive"].as_bool() == Some(true) {
            return;
        }
        for pubkey in auto_members(config, &keys) {
            self.allow(id, &keys, pubkey).await;
        }
    }

    /// `allowpubkey`: unban, then add if not a member.
    pub(super) async fn allow(&self, id: &str, keys: &Keys, pubkey: PublicKey) {
        self.with(id, |m| m.banned.remove(&pubkey));
        self.change(id, keys, pubkey, true).await;
    }

    /// Adds `pubkey` (8000 + 13534) unless it is a member already; `false` if it was.
    pub(super) async fn add(&self, id: &str, keys: &Keys, pubkey: PublicKey) -> bool {
        self.change(id, keys, pubkey, true).await
    }

    /// Removes `pubkey` (8001 + 13534) if it is a member; `false` if it was not.
    pub(super) async fn remove(&self, id: &str, keys: &Keys, pubkey: PublicKey) -> bool {
        self.change(id, keys, pubkey, false).await
    }

    /// `banpubkey`: remove the member, list the ban, hard-delete every event they wrote.
    pub(super) async fn ban(&self, id: &str, keys: &Keys, pubkey: PublicKey, reason: &str) {
        self.change(id, keys, pubkey, false).await;
        self.with(id, |m| m.banned.insert(pubkey, reason.to_string()));
        self.hub.delete(Filter::new().author(pubkey)).await;
    }

    /// `unbanpubkey`: the ban list only; membership and deleted events stay gone.
    pub(super) fn unban(&self, id: &str, pubkey: &PublicKey) {
        self.with(id, |m| m.banned.remove(pubkey));
    }

    /// `banevent`: hard-delete the event and list it, so it cannot come back.
    pub(super) async fn ban_event(&self, id: &str, event: EventId, reason: &str) {
        self.with(id, |m| m.banned_events.insert(event, reason.to_string()));
        self.hub.delete(Filter::new().id(event)).await;
    }

    /// `allowevent`: the ban list only (the event stays deleted).
    pub(super) fn allow_event(&self, id: &str, event: &EventId) {
        self.with(id, |m| m.banned_events.remove(event));
    }

    pub(super) fn members(&self, id: &str) -> Vec<PublicKey> {
        self.with(id, |m| m.members.clone())
    }

    pub(super) fn is_banned(&self, id: &str, pubkey: &PublicKey) -> bool {
        self.with(id, |m| m.banned.contains_key(pubkey))
    }

    pub(super) fn banned(&self, id: &str) -> Vec<(PublicKey, String)> {
        self.with(id, |m| m.banned.clone().into_iter().collect())
    }

    pub(super) fn banned_events(&self, id: &str) -> Vec<(EventId, String)> {
        self.with(id, |m| m.banned_events.clone().into_iter().collect())
    }

    fn with<T>(&self, id: &str, f: impl FnOnce(&mut Membership) -> T) -> T {
        f(self.state.lock().entry(id.to_string()).or_default())
    }

    async fn change(&self, id: &str, keys: &Keys, pubkey: PublicKey, add: bool) -> bool {
        let _lane = self.lane.lock().await;
        let events = self.with(id, |m| {
            if m.members.contains(&pubkey) == add {
                return None;
            }
            if add {
                m.members.push(pubkey);
            } else {
                m.members.retain(|p| *p != pubkey);
            }
            m.last_list = Timestamp::now().as_secs().max(m.last_list + 1);
            Some(announce(keys, pubkey, add, &m.members, m.last_list))
        });
        let Some(events) = events else {
            return false;
        };
        for event in &events {
            self.hub.publish(event).await;
        }
        true
    }
}

/// The relay's keys, from its config's `secret`.
pub(super) fn relay_keys(config: &Value) -> Option<Keys> {
    Keys::parse(config["secret"].as_str()?).ok()
}

/// Owner, every `roles.*.pubkeys` entry, and the relay key, in that order, once each.
fn auto_members(config: &Value, keys: &Keys) -> Vec<PublicKey> {
    let owner = config["info"]["pubkey"].as_str().into_iter();
    let roles = config["roles"]
        .as_object()
        .into_iter()
        .flat_map(|roles| roles.values())
        .filter_map(|role| role["pubkeys"].as_array())
        .flatten()
        .filter_map(Value::as_str);
    let mut all: Vec<PublicKey> = owner
        .chain(roles)
        .filter_map(|hex| PublicKey::from_hex(hex).ok())
        .collect();
    all.push(keys.public_key());
    let mut seen = Vec::with_capacity(all.len());
    all.retain(|pk| {
        let first = !seen.contains(pk);
        seen.push(*pk);
        first
    });
    all
}

/// The audit event (8000 or 8001) and the new 13534 list, both created at `at`.
fn announce(
    keys: &Keys,
    pubkey: PublicKey,
    add: bool,
    members: &[PublicKey],
    at: u64,
) -> [Event; 2] {
    let at = Timestamp::from(at);
    let sign = |kind: Kind, tags: Vec<Tag>| {
        EventBuilder::new(kind, "")
            .tags(tags)
            .custom_created_at(at)
            .sign_with_keys(keys)
            .expect("signing with a secret key cannot fail")
    };
    let audit_kind = if add { MEMBER_ADDED } else { MEMBER_REMOVED };
    let audit = sign(audit_kind, vec![Tag::protected(), Tag::public_key(pubkey)]);
    let list = std::iter::once(Tag::protected())
        .chain(members.iter().map(member_tag))
        .collect();
    [audit, sign(MEMBER_LIST, list)]
}

fn member_tag(pubkey: &PublicKey) -> Tag {
    Tag::parse(["member".to_string(), pubkey.to_hex()]).expect("a two-value tag parses")
}

/// What zooid refuses on write, as far as one relay shared by every config can tell:
/// banned events and authors (on any relay), and the membership kinds, which only the
/// relay writes (its own events do not come through here). A join (kind 28934) is judged
/// by the relay its connection was opened to, as zooid's `ValidateJoinRequest` does.
#[derive(Debug)]
struct Guard {
    state: State,
    peers: Peers,
    joined: mpsc::UnboundedSender<(String, PublicKey)>,
}

impl Guard {
    fn verdict(&self, event: &Event, addr: &SocketAddr) -> PolicyResult {
        if event.kind == JOIN_REQUEST {
            return self.join(event, addr);
        }
        let state = self.state.lock();
        let relays = || state.values();
        if relays().any(|m| m.banned_events.contains_key(&event.id)) {
            return PolicyResult::Reject("this event has been banned from this relay".into());
        }
        if relays().any(|m| m.banned.contains_key(&event.pubkey)) {
            return PolicyResult::Reject("you have been banned from this relay".into());
        }
        if [MEMBER_ADDED, MEMBER_REMOVED, MEMBER_LIST].contains(&event.kind) {
            return PolicyResult::Reject(format!(
                "kind {} is written by the relay only",
                event.kind
            ));
        }
        PolicyResult::Accept
    }

    /// A member already: accepted, nothing changes. Banned: refused. Open joining, or a
    /// `claim` tag naming one of the relay's claims: accepted, and the member is added.
    fn join(&self, event: &Event, addr: &SocketAddr) -> PolicyResult {
        let Some(id) = self.peers.lock().get(addr).cloned() else {
            return PolicyResult::Reject("restricted: connect to a relay by its host".into());
        };
        let state = self.state.lock();
        let Some(relay) = state.get(&id) else {
            return PolicyResult::Reject("invalid: failed to validate invite code".into());
        };
        if relay.members.contains(&event.pubkey) {
            return PolicyResult::Accept;
        }
        if relay.banned.contains_key(&event.pubkey) {
            return PolicyResult::Reject("invalid: you have been banned from this relay".into());
        }
        if !relay.public_join {
            let claim = event.tags.iter().find(|t| t.kind().as_str() == "claim");
            let Some(claim) = claim.and_then(|t| t.content()) else {
                return PolicyResult::Reject("invalid: no claim tag".into());
            };
            if !relay.claims.contains(claim) {
                return PolicyResult::Reject("invalid: failed to validate invite code".into());
            }
        }
        let _ = self.joined.send((id, event.pubkey));
        PolicyResult::Accept
    }
}

impl WritePolicy for Guard {
    fn admit_event<'a>(
        &'a self,
        event: &'a Event,
        addr: &'a SocketAddr,
    ) -> BoxedFuture<'a, PolicyResult> {
        let verdict = self.verdict(event, addr);
        Box::pin(async move { verdict })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn auto_members_are_owner_roles_and_relay_key_once_each() {
        let [owner, admin, relay] = [Keys::generate(), Keys::generate(), Keys::generate()];
        let config = json!({
            "info": { "pubkey": owner.public_key().to_hex() },
            "roles": {
                "admin": { "pubkeys": [owner.public_key().to_hex(), admin.public_key().to_hex()] },
                "member": { "can_invite": true },
            },
        });
        assert_eq!(
            auto_members(&config, &relay),
            vec![owner.public_key(), admin.public_key(), relay.public_key()]
        );
    }

    #[test]
    fn a_list_is_protected_and_names_every_member() {
        let relay = Keys::generate();
        let members = [Keys::generate().public_key(), Keys::generate().public_key()];
        let [audit, list] = announce(&relay, members[1], true, &members, 1_000);
        assert_eq!(audit.kind, MEMBER_ADDED);
        assert_eq!(list.kind, MEMBER_LIST);
        assert_eq!(list.tags.first().unwrap().as_slice(), ["-"]);
        let named: Vec<_> = list
            .tags
            .iter()
            .skip(1)
            .map(|t| t.as_slice()[1].clone())
            .collect();
        assert_eq!(named, members.map(|pk| pk.to_hex()));
        assert_eq!(list.pubkey, relay.public_key());
    }
}
