//! Relay traffic through the real Caddy in front of a fleet of two nodes. The platform puts
//! its one relay route into Caddy through the admin API, beside routes it does not manage;
//! each relay host then reaches the node serving it, a moved relay's host reaches its new
//! node, and WebSockets held open through the proxy survive relays being created and moved,
//! because routing changes are DNS answers and never a change to Caddy's configuration.

use std::time::Duration;

use caravel_testkit::caddy::Caddy;
use caravel_testkit::zooid::ZooidStandIn;
use futures::{SinkExt, StreamExt};
use nostr_sdk::Keys;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Message, http::HeaderValue};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::{TEST_NWC_URL, TestApp, eventually};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens a WebSocket through Caddy as a client of `host` would.
async fn connect(caddy: &Caddy, host: &str) -> Result<Socket, String> {
    let mut request = format!("ws://{}/", caddy.addr)
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("host", HeaderValue::from_str(host).unwrap());
    tokio_tungstenite::connect_async(request)
        .await
        .map(|(socket, _)| socket)
        .map_err(|e| e.to_string())
}

/// The socket still carries traffic both ways: a ping comes back as a pong.
async fn still_open(socket: &mut Socket) -> bool {
    if socket.send(Message::Ping(vec![7].into())).await.is_err() {
        return false;
    }
    let pong = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(message) = socket.next().await {
            match message {
                Ok(Message::Pong(_)) => return true,
                Ok(Message::Close(_)) | Err(_) => return false,
                Ok(_) => {}
            }
        }
        false
    });
    pong.await.unwrap_or(false)
}

/// A route the platform does not manage: a fixed answer for the operator's own host.
fn operators_route() -> Value {
    json!({
        "match": [{ "host": ["status.example.test"] }],
        "handle": [{ "handler": "static_response", "body": "all good" }],
    })
}

/// The relay route in Caddy's config, once the platform has put it there.
async fn relay_route_in(caddy: &Caddy) -> Value {
    eventually(15, "the platform to add its route to Caddy", || async {
        let config = caddy.config().await;
        let routes = config["apps"]["http"]["servers"]["relays"]["routes"]
            .as_array()?
            .clone();
        routes
            .iter()
            .find(|r| r["@id"] == "caravel-relays")
            .cloned()
    })
    .await
}

/// A platform with node `main` (`a`) and node `b`, keeping its route in `caddy`.
async fn platform(a: &ZooidStandIn, b: &ZooidStandIn, key: &Keys, caddy: &Caddy) -> TestApp {
    let (url, secret, upstream) = (
        a.url(),
        key.secret_key().to_secret_hex(),
        a.relay_addr().to_string(),
    );
    let admin_url = caddy.admin_url();
    // A fixed answerer address, so a restarted platform asks Caddy for the same route.
    let dns = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    let app = TestApp::spawn_with(&[
        ("NWC_URL", TEST_NWC_URL),
        ("ZOOID_API_URL", url.as_str()),
        ("ZOOID_API_SECRET", secret.as_str()),
        ("ZOOID_UPSTREAM", upstream.as_str()),
        ("ZOOID_CAPACITY", "100"),
        ("ROUTING_DNS_ADDR", dns.as_str()),
        ("CADDY_ADMIN_URL", admin_url.as_str()),
        ("CADDY_SERVER", "relays"),
    ])
    .await;
    let node_b = json!({ "id": "b", "api_url": b.url(), "upstream": b.relay_addr().to_string(), "capacity": 100 });
    app.as_admin().add_node(node_b).await.expect::<Value>(201);
    app
}

#[tokio::test]
async fn the_platform_adds_its_route_beside_the_operators_and_leaves_it_alone_once_in_place() {
    let key = Keys::generate();
    let a = ZooidStandIn::start(&[key.public_key()]).await;
    let b = ZooidStandIn::start(&[key.public_key()]).await;
    let caddy = Caddy::start(vec![operators_route()]).await;
    let app = platform(&a, &b, &key, &caddy).await;
    relay_route_in(&caddy).await;
    let config = caddy.config().await;
    let routes = config["apps"]["http"]["servers"]["relays"]["routes"]
        .as_array()
        .unwrap();
    assert_eq!(routes.len(), 2, "{routes:?}");
    assert_eq!(
        routes[0]["@id"], "caravel-relays",
        "first, for relay hosts only"
    );
    assert_eq!(
        routes[1],
        operators_route(),
        "the operator's route is kept as it was"
    );
    let status = reqwest::Client::new()
        .get(format!("http://{}/", caddy.addr))
        .header("host", "status.example.test")
        .send()
        .await
        .unwrap();
    assert_eq!(status.text().await.unwrap(), "all good");

    // Restarted, the platform finds its route in place and leaves Caddy alone.
    let first = app.server.caddy_route.clone().expect("Caddy is managed");
    assert_eq!(first.changes(), 1);
    let settled = caddy.config().await;
    let app = app.restart().await;
    let again = app.server.caddy_route.clone().unwrap();
    eventually(10, "the restarted platform to check its route", || async {
        (again.checks() >= 1).then_some(())
    })
    .await;
    assert_eq!(again.changes(), 0, "a route already in place is left alone");
    assert_eq!(caddy.config().await, settled);
}

#[tokio::test]
async fn caddy_sends_each_host_to_its_node_and_open_websockets_survive_creates_and_a_move() {
    let key = Keys::generate();
    let a = ZooidStandIn::start(&[key.public_key()]).await;
    let b = ZooidStandIn::start(&[key.public_key()]).await;
    let caddy = Caddy::start(vec![operators_route()]).await;
    let app = platform(&a, &b, &key, &caddy).await;
    let admin = app.as_admin();
    relay_route_in(&caddy).await;
    let config_before = caddy.config().await;

    let owner = Keys::generate();
    let tenant = app.as_tenant(&owner);
    let mut relays = Vec::new();
    for name in ["alpha", "bravo", "charlie"] {
        let r = tenant.create_relay(name, "free").await;
        eventually(10, "the relay to be live", || async {
            (tenant.relay(&r.id).await.sync.state == "synced").then_some(())
        })
        .await;
        relays.push(r);
    }
    let on = |r: &crate::helpers::Relay| r.node.clone().unwrap();
    assert_eq!(
        relays.iter().map(on).collect::<Vec<_>>(),
        ["b", "main", "b"]
    );

    // Each host reaches its own node, and only that one.
    let mut held = Vec::new();
    for r in &relays {
        let socket = eventually(10, "the host to route", || async {
            connect(&caddy, &r.host).await.ok()
        })
        .await;
        held.push(socket);
    }
    assert_eq!(a.ws_hosts(), ["bravo.relays.test"]);
    assert_eq!(b.ws_hosts(), ["alpha.relays.test", "charlie.relays.test"]);
    let unknown = connect(&caddy, "nobody.relays.test").await;
    assert!(unknown.is_err(), "a host no relay has is not served");

    // Creating relays and moving one changes DNS answers, not Caddy.
    for name in ["delta", "echo"] {
        tenant.create_relay(name, "free").await;
    }
    let charlie = &relays[2];
    admin
        .move_relay(&charlie.id, "main")
        .await
        .expect::<Value>(202);
    eventually(15, "charlie's move to finish", || async {
        let r = tenant.relay(&charlie.id).await;
        (r.moving.is_none() && r.node.as_deref() == Some("main") && r.sync.state == "synced")
            .then_some(())
    })
    .await;
    let mut moved = eventually(10, "charlie's host to reach main", || async {
        let socket = connect(&caddy, &charlie.host).await.ok()?;
        a.ws_hosts().contains(&charlie.host).then_some(socket)
    })
    .await;
    assert!(still_open(&mut moved).await);

    for (socket, r) in held.iter_mut().zip(&relays).take(2) {
        assert!(
            still_open(socket).await,
            "{}'s WebSocket was kept open",
            r.subdomain
        );
    }
    assert_eq!(
        caddy.config().await,
        config_before,
        "Caddy's configuration never changed"
    );
}
