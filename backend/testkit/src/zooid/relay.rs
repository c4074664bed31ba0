//! The Nostr relay behind the stand-in: an in-process `LocalRelay` demanding NIP-42 AUTH
//! (zooid sends AUTH on connect and serves nothing without it), shared by every relay
//! config. The relay's own events go straight into its database and out to subscribers,
//! as zooid stores the events it generates, rather than over a WebSocket AUTHed as each
//! relay key: that took ~50 ms per relay (a connection, an AUTH round trip) against
//! ~0.3 ms, and kept a connection open per relay.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use nostr_relay_builder::prelude::{
    Filter, LocalRelay, MemoryDatabase, MemoryDatabaseOptions, NostrDatabase, RateLimit,
    RelayBuilder, RelayBuilderNip42, RelayBuilderNip42Mode, WritePolicy,
};
use nostr_sdk::Event;

pub(super) struct Hub {
    relay: LocalRelay,
    database: Arc<MemoryDatabase>,
    addr: SocketAddr,
}

impl Hub {
    pub(super) async fn start(policy: impl WritePolicy + 'static) -> Self {
        let database = Arc::new(MemoryDatabase::with_opts(MemoryDatabaseOptions {
            events: true,
            max_events: None,
        }));
        let builder = RelayBuilder::default()
            .addr(IpAddr::V4(Ipv4Addr::LOCALHOST))
            .database(database.clone())
            .nip42(RelayBuilderNip42 {
                mode: RelayBuilderNip42Mode::Both,
            })
            // Tests seed relays in bursts; zooid has no such limit either.
            .rate_limit(RateLimit {
                max_reqs: 500,
                notes_per_minute: 100_000,
            })
            .write_policy(policy);
        let relay = LocalRelay::new(builder);
        relay.run().await.expect("the stand-in's relay runs");
        let addr = relay
            .url()
            .await
            .as_str()
            .trim_start_matches("ws://")
            .trim_end_matches('/')
            .parse()
            .expect("the local relay listens on an IP address");
        Self {
            relay,
            database,
            addr,
        }
    }

    /// Where the relay itself listens (the relay port forwards WebSockets here).
    pub(super) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stores one of the relay's own (signed) events and sends it to subscribers.
    pub(super) async fn publish(&self, event: &Event) {
        let status = self
            .database
            .save_event(event)
            .await
            .expect("the in-memory database saves");
        assert!(
            status.is_success(),
            "the stand-in's relay refused its own kind {} event: {status:?}",
            event.kind
        );
        self.relay.notify_event(event.clone());
    }

    /// Stores an event without telling subscribers (seeding).
    pub(super) async fn store(&self, event: &Event) {
        let _ = self.database.save_event(event).await;
    }

    /// Hard-deletes what matches `filter`, as zooid's ban does (no kind 5 is published).
    pub(super) async fn delete(&self, filter: Filter) {
        self.database
            .delete(filter)
            .await
            .expect("the in-memory database deletes");
    }
}
