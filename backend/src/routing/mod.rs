//! Routing relay traffic to the node that serves each relay, through the proxy in front of
//! the fleet (Caddy) without touching the proxy's configuration. The proxy has one fixed
//! site for `*.<RELAY_DOMAIN>` whose upstream is looked up per connection by DNS (Caddy's
//! `reverse_proxy` `dynamic a`, refreshed every second); the platform answers those
//! lookups from its routing table ([`table`]) with the serving node's address ([`dns`]).
//! Creating or moving a relay changes an answer, never the proxy's configuration, so no
//! reload closes anyone's WebSocket. With `CADDY_ADMIN_URL` the platform also keeps that
//! one route in Caddy's config itself ([`caddy`]).

pub mod caddy;
pub mod dns;
pub mod table;

pub use table::Routes;
