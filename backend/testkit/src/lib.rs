//! Stand-ins for the systems Caravel drives, each speaking its peer's real protocol over
//! loopback and enforcing its contract, so tests catch what the real peer would refuse.
//! Never part of the production server.

pub mod caddy;
pub mod livekit;
pub mod livekit_webhooks;
pub mod wallet;
pub mod zooid;
