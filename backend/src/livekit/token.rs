//! Issuing a join token: every rule checked in order, each refusal with its own code.
//! Relay state (membership, rooms, deletions, mute lists) is read from the relay itself,
//! as the relay, at request time; who is in the room comes from LiveKit.

use std::collections::HashSet;
use std::net::IpAddr;

use nostr_sdk::{Filter, PublicKey};
use rand::Rng;
use rand::distributions::Alphanumeric;

use super::Livekit;
use super::checks::{check_mutes, find_room, is_member, parse_room_ref, refuse};
use super::error::LivekitError;
use super::jwt::{self, Claims, VideoGrant};
use super::rooms;
use crate::clock::unix_now;
use crate::config::{ExposeSecret, Settings};
use crate::db;
use crate::domain::status::RelayStatus;
use crate::error::Code;
use crate::vault::Vault;

/// A token issued, and what the client needs with it.
pub struct Issued {
    pub token: String,
    pub url: String,
    pub room: String,
    pub identity: String,
    pub can_publish: bool,
    pub expires_at: i64,
    pub warning: Option<&'static str>,
}

/// What issuing reads: the relay's row, and the relay itself as the relay.
pub struct Deps<'a> {
    pub livekit: &'a Livekit,
    pub db: &'a sqlx::SqlitePool,
    pub vault: &'a Vault,
    pub settings: &'a Settings,
}

pub async fn issue(
    deps: Deps<'_>,
    requester: &PublicKey,
    ip: Option<IpAddr>,
    relay_ref: &str,
    room_ref: &str,
) -> Result<Issued, LivekitError> {
    let lk = deps.livekit;
    let service = lk
        .service
        .as_ref()
        .ok_or_else(LivekitError::not_configured)?;
    let opts = &lk.options;
    lk.limiter
        .check(&requester.to_hex(), ip)
        .map_err(LivekitError::rate_limited)?;
    let wanted = parse_room_ref(room_ref)?;
    let relay = db::livekit_relays::find(deps.db, relay_ref.trim())
        .await?
        .ok_or_else(|| refuse(Code::RelayNotFound, "There is no such relay."))?;
    if !relay.livekit {
        return Err(refuse(
            Code::LivekitPlanExcludesLivekit,
            "This relay's plan does not include LiveKit.",
        ));
    }
    if relay.status != RelayStatus::Active {
        return Err(refuse(
            Code::LivekitRelayInactive,
            "This relay is not active.",
        ));
    }
    let url = deps.settings.relay_url(&relay.subdomain);
    let read = |filter: Filter| {
        let relay = relay.clone();
        let url = url.clone();
        async move {
            lk.readers
                .fetch(deps.vault, &relay, &url, filter)
                .await
                .map_err(|e| {
                    LivekitError::unavailable(Code::LivekitRelayUnreachable, "The relay", e)
                })
        }
    };
    if !is_member(&relay, requester, &read).await? {
        return Err(refuse(
            Code::LivekitNotAMember,
            "Only members of this relay may join its rooms.",
        ));
    }
    let seen: Vec<rooms::Seen> = {
        let (d, author) = wanted.d_and_author();
        let author = author.map(|a| a.to_hex());
        db::livekit_rooms::seen(deps.db, &relay.id, d, author.as_deref())
            .await?
            .iter()
            .filter_map(rooms::Seen::from_row)
            .collect()
    };
    let room = find_room(&wanted, &seen, &read).await?;
    if !room.admits(requester) {
        return Err(refuse(
            Code::LivekitRoomPrivate,
            "This room is private and you are not invited.",
        ));
    }
    let name = rooms::livekit_room_name(&relay.schema, &room.address);
    let present = service
        .rooms
        .list_participants(&name)
        .await
        .map_err(|e| LivekitError::unavailable(Code::LivekitUnreachable, "LiveKit", e))?;
    let others: HashSet<PublicKey> = present
        .iter()
        .filter_map(|p| {
            p.identity
                .get(..64)
                .and_then(|hex| PublicKey::from_hex(hex).ok())
        })
        .filter(|p| p != requester)
        .collect();
    let warning = check_mutes(requester, &others, &read).await?;

    let now = unix_now();
    let suffix: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(12)
        .map(char::from)
        .collect();
    let identity = format!("{}:{suffix}", requester.to_hex());
    let can_publish = room.may_publish(requester);
    let expires_at = now + opts.ttl.as_secs() as i64;
    let claims = Claims {
        iss: service.settings.api_key.clone(),
        sub: identity.clone(),
        nbf: now,
        iat: Some(now),
        exp: expires_at,
        jti: Some(hex::encode(rand::random::<[u8; 16]>())),
        video: Some(VideoGrant {
            room_join: true,
            room: name.clone(),
            can_publish: Some(can_publish),
            can_subscribe: Some(true),
            can_publish_data: Some(true),
            ..VideoGrant::default()
        }),
        ..Claims::default()
    };
    let token = jwt::encode(&claims, service.settings.api_secret.expose_secret())
        .map_err(|e| LivekitError::internal(e.into()))?;
    tracing::info!(relay = %relay.id, room = %name, %identity, can_publish, "livekit: token issued");
    Ok(Issued {
        token,
        url: service
            .settings
            .url
            .as_str()
            .trim_end_matches('/')
            .to_string(),
        room: name,
        identity,
        can_publish,
        expires_at,
        warning,
    })
}
