//! Caravel's integration tests, one binary (linked once): each module drives the real server
//! over HTTP, with real protocol peers on loopback, as the behaviour it is named for.

mod helpers;

mod access;
mod auth;
mod backup;
mod billing;
mod billing_periods;
mod community;
mod community_claims;
mod community_invites;
mod community_moderation;
mod config;
mod fleet;
mod fleet_routing;
mod full_disk;
mod hardening;
mod interop;
mod livekit;
mod livekit_causes;
mod livekit_interop;
mod livekit_rooms;
mod messages;
mod meta;
mod metrics;
mod provisioning;
mod provisioning_dir;
mod relays;
mod stats;
mod tenants;
mod tls_ask;
mod web;
