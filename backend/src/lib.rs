//! Caravel: a hosting control plane for Nostr community relays.
//!
//! Tenants sign in with a Nostr key (NIP-98), create relays on a plan, and the platform
//! runs them as virtual relays on a zooid server.

pub mod api;
pub mod auth;
pub mod billing;
pub mod cli;
pub mod clock;
pub mod community;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod jobs;
pub mod lifecycle;
pub mod listen;
pub mod livekit;
pub mod provision;
pub mod robot;
pub mod routing;
pub mod server;
pub mod state;
pub mod telemetry;
pub mod vault;
pub mod wallet;
pub mod web;

pub use server::{Server, app};
