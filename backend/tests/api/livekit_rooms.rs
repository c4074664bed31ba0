//! LiveKit rooms follow their Nostr events (the watcher), webhooks enforce one session per
//! token, and admins see the watcher's state.

use nostr_sdk::{EventBuilder, Kind};

use crate::helpers::livekit::{Rig, expiring_in, tag};
use crate::helpers::{Worker, eventually};

#[tokio::test]
async fn rooms_are_created_closed_reopened_deleted_and_expired_with_their_events() {
    let rig = Rig::start().await;
    let host = rig.owner.clone();
    let name = rig.livekit_name(&host, "standup");
    rig.room_at(&host, "standup", "open", vec![], 300).await;
    rig.until_room(&name, true).await;
    let room = rig.lk.room(&name).unwrap();
    assert!(
        room.empty_timeout >= 3600,
        "an open room is kept while nobody is in it"
    );
    assert_eq!(
        room.metadata,
        format!("30312:{}:standup", host.public_key().to_hex())
    );

    // A newer version closes it; a newer one still reopens it (relays refuse older ones).
    rig.room_at(&host, "standup", "closed", vec![], 200).await;
    rig.until_room(&name, false).await;
    rig.room_at(&host, "standup", "open", vec![], 100).await;
    rig.until_room(&name, true).await;

    // A deletion by its author removes the room (relays refuse deletions by anyone else;
    // the watcher ignores them too, see the room book's unit tests).
    let address = format!("30312:{}:standup", host.public_key().to_hex());
    rig.publish(
        &host,
        EventBuilder::new(Kind::EventDeletion, "").tags([tag("a", &[&address])]),
    )
    .await;
    rig.until_room(&name, false).await;

    // An expiring room goes at its expiration, without any event.
    let brief = rig.livekit_name(&host, "brief");
    rig.room(&host, "brief", "open", vec![expiring_in(3)]).await;
    rig.until_room(&brief, true).await;
    rig.until_room(&brief, false).await;
    assert_eq!(
        rig.token(&host, "brief").await.code(),
        "livekit/room-expired"
    );
}

#[tokio::test]
async fn stale_rooms_are_cleaned_up_and_a_restart_rebuilds_from_the_relay() {
    let rig = Rig::start().await;
    let host = rig.owner.clone();
    let name = rig.livekit_name(&host, "kept");
    rig.room(&host, "kept", "open", vec![]).await;
    rig.until_room(&name, true).await;
    let stale = format!("caravel:{}:0123456789abcdef", rig.schema);
    let orphan = "caravel:gone_relay:0123456789abcdef";
    rig.lk.add_room(&stale);
    rig.lk.add_room(orphan);
    rig.lk.add_room("someone-elses-room");
    rig.until_room(&stale, false).await;
    rig.until_room(orphan, false).await;
    assert!(
        rig.lk.room("someone-elses-room").is_some(),
        "rooms without our prefix are left alone"
    );
    assert!(rig.lk.room(&name).is_some());

    // LiveKit lost the room while the platform was down: the restarted watcher rebuilds its
    // state from the relay and re-creates it.
    let crate::helpers::livekit::Rig { app, lk, relay, .. } = rig;
    lk.drop_room(&name);
    let app = app.crash_and_restart().await;
    let _ = &relay;
    eventually(
        10,
        "the restarted watcher to report the relay connected",
        || async {
            let status = app.as_admin().livekit_status().await.body;
            (status["relays"][0]["state"] == "connected" && status["relays"][0]["live_rooms"] == 1)
                .then_some(())
        },
    )
    .await;
    eventually(10, "the lost room to be re-created", || async {
        lk.room(&name).map(|_| ())
    })
    .await;
}

#[tokio::test]
async fn a_token_admits_one_session_whatever_order_webhooks_arrive_in() {
    let rig = Rig::start().await;
    let host = rig.owner.clone();
    rig.room(&host, "once", "open", vec![]).await;
    let reply = rig.token(&host, "once").await;
    let (room, identity) = (
        reply.body["room"].as_str().unwrap().to_string(),
        reply.body["identity"].as_str().unwrap().to_string(),
    );
    rig.until_room(&room, true).await;
    let hooks = rig.webhooks();

    // The first session: `left` arrives before `joined`, and `joined` twice.
    let handled = rig.app.passes(Worker::LivekitWebhooks);
    let first = rig.lk.join(&room, &identity);
    assert_eq!(
        hooks
            .participant("ev-2", "participant_left", &room, &identity, &first)
            .await,
        200
    );
    assert_eq!(
        hooks
            .participant("ev-1", "participant_joined", &room, &identity, &first)
            .await,
        200
    );
    assert_eq!(
        hooks
            .participant("ev-1", "participant_joined", &room, &identity, &first)
            .await,
        200
    );
    // All three handled to the end, any removal they started included.
    rig.app
        .wait_until_passes(Worker::LivekitWebhooks, handled + 3)
        .await;
    assert!(
        rig.lk.calls_to("RemoveParticipant").is_empty(),
        "the admitted session is never removed"
    );
    rig.lk.leave(&room, &identity);

    // The same token used again: a new session of the same identity is removed.
    let second = rig.lk.join(&room, &identity);
    assert_ne!(first, second);
    assert_eq!(
        hooks
            .participant("ev-3", "participant_joined", &room, &identity, &second)
            .await,
        200
    );
    eventually(10, "the second session to be removed", || async {
        rig.lk.participants(&room).is_empty().then_some(())
    })
    .await;
    assert_eq!(rig.lk.calls_to("RemoveParticipant").len(), 1);

    // Webhooks not signed by our LiveKit are refused.
    let body = r#"{"event":"participant_joined","id":"ev-x"}"#;
    assert_eq!(hooks.send_raw(body, Some("not-the-secret")).await, 401);
    let unsigned = rig
        .app
        .raw("POST", "/api/livekit/webhook", Some(body), None)
        .await;
    assert_eq!(
        (unsigned.status, unsigned.code()),
        (401, "livekit/bad-signature")
    );
}

#[tokio::test]
async fn readiness_includes_livekit_and_admins_see_the_watcher() {
    let rig = Rig::start().await;
    let ready = rig.app.anonymous().ready().await;
    assert_eq!(
        (ready.status, ready.body["checks"]["livekit"].as_str()),
        (200, Some("ok"))
    );
    rig.lk.set_down(true);
    let ready = rig.app.anonymous().ready().await;
    assert_eq!(
        (ready.status, ready.body["checks"]["livekit"].as_str()),
        (503, Some("unreachable"))
    );
    rig.lk.set_down(false);

    let status = eventually(10, "the watcher to connect", || async {
        let body = rig.app.as_admin().livekit_status().await.body;
        (body["relays"][0]["state"] == "connected").then_some(body)
    })
    .await;
    assert_eq!(status["configured"], true);
    assert_eq!(status["relays"][0]["relay"], rig.relay_id);
    let tenant = rig.app.as_tenant(&rig.owner).livekit_status().await;
    assert_eq!((tenant.status, tenant.code()), (403, "auth/admin-only"));
}

#[tokio::test]
async fn the_same_room_on_two_relays_gets_two_livekit_rooms() {
    // Both relays are served here by the one test relay, so each watcher sees the same event.
    let rig = Rig::start().await;
    let other_owner = nostr_sdk::Keys::generate();
    let (_, other_schema, _) =
        crate::helpers::livekit::make_relay(&rig.app, &other_owner, "second-relay", "growth").await;
    rig.room(&rig.owner, "shared", "open", vec![]).await;
    let address = caravel::livekit::rooms::Address {
        author: rig.owner.public_key(),
        d: "shared".into(),
    };
    let mine = rig.livekit_name(&rig.owner, "shared");
    let theirs = caravel::livekit::rooms::livekit_room_name(&other_schema, &address);
    assert_ne!(mine, theirs);
    rig.until_room(&mine, true).await;
    rig.until_room(&theirs, true).await;
}

#[tokio::test]
async fn the_watcher_reports_a_lost_relay_and_follows_it_again_when_it_returns() {
    use nostr_relay_builder::prelude::*;
    let rig = Rig::start().await;
    let status = |state: &'static str| {
        let app = &rig.app;
        async move {
            let body = app.as_admin().livekit_status().await.body;
            (body["relays"][0]["state"] == state).then_some(())
        }
    };
    eventually(10, "the watcher to connect", || status("connected")).await;
    let url = rig.relay.url().await;
    let port = url
        .as_str()
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .parse::<u16>()
        .unwrap();
    rig.relay.shutdown();
    eventually(10, "the watcher to see the relay gone", || {
        status("disconnected")
    })
    .await;

    let builder = RelayBuilder::default()
        .addr(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST))
        .port(port)
        .nip42(RelayBuilderNip42 {
            mode: RelayBuilderNip42Mode::Both,
        });
    let back = LocalRelay::new(builder);
    eventually(10, "the relay's port to be free again", || async {
        back.run().await.ok()
    })
    .await;
    rig.room(&rig.owner, "after", "open", vec![]).await;
    let name = rig.livekit_name(&rig.owner, "after");
    eventually(
        60,
        "the watcher to re-subscribe and create the room",
        || async { rig.lk.room(&name).map(|_| ()) },
    )
    .await;
    eventually(10, "the watcher to report connected", || {
        status("connected")
    })
    .await;
}
