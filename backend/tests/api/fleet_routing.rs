//! Relay traffic through the real Caddy in front of a fleet of two nodes: each relay host
//! reaches the node serving it, a moved relay's host reaches its new node, and WebSockets
//! held open through the proxy survive relays being created and moved, because routing
//! changes are DNS answers and never a change to Caddy's configuration.

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

#[tokio::test]
async fn caddy_sends_each_host_to_its_node_and_open_websockets_survive_creates_and_a_move() {
    let key = Keys::generate();
    let a = ZooidStandIn::start(&[key.public_key()]).await;
    let b = ZooidStandIn::start(&[key.public_key()]).await;
    let (url, secret, upstream) = (
        a.url(),
        key.secret_key().to_secret_hex(),
        a.relay_addr().to_string(),
    );
    let app = TestApp::spawn_with(&[
        ("NWC_URL", TEST_NWC_URL),
        ("ZOOID_API_URL", url.as_str()),
        ("ZOOID_API_SECRET", secret.as_str()),
        ("ZOOID_UPSTREAM", upstream.as_str()),
        ("ZOOID_CAPACITY", "100"),
        ("ROUTING_DNS_ADDR", "127.0.0.1:0"),
    ])
    .await;
    let admin = app.as_admin();
    let node_b = json!({ "id": "b", "api_url": b.url(), "upstream": b.relay_addr().to_string(), "capacity": 100 });
    admin.add_node(node_b).await.expect::<Value>(201);
    let caddy = Caddy::start(app.server.dns_addr.expect("the DNS answerer is on")).await;
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
