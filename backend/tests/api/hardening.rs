//! Slow, idle, oversized and numerous clients: the server's limits hold its sockets and memory.

use std::time::{Duration, Instant};

use crate::helpers::{TestApp, sign};
use nostr_sdk::Keys;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn limited() -> TestApp {
    TestApp::spawn_with(&[
        ("HTTP_HEADER_TIMEOUT_SECS", "1"),
        ("HTTP_REQUEST_TIMEOUT_SECS", "2"),
        ("HTTP_MAX_CONNECTIONS", "8"),
    ])
    .await
}

/// Reads until the server closes the connection (or `within` passes); returns what it sent.
async fn read_to_close(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut out = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok()
        .map(|_| String::from_utf8_lossy(&out).into_owned())
}

#[tokio::test]
async fn a_client_that_trickles_its_headers_is_cut_off() {
    let app = limited().await;
    let mut stream = TcpStream::connect(app.server.addr).await.unwrap();
    stream
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let answer = read_to_close(&mut stream, Duration::from_secs(5)).await;
    assert!(answer.is_some(), "the connection is still open after 5 s");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let app = limited().await;
    let mut stream = TcpStream::connect(app.server.addr).await.unwrap();
    stream
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let answer = read_to_close(&mut stream, Duration::from_secs(5)).await;
    let answer = answer.expect("the idle connection is closed within 5 s");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_declared_body_over_the_limit_is_refused_before_it_is_sent() {
    let app = limited().await;
    let keys = Keys::generate();
    let path = "/api/relays";
    let auth = sign(&keys, &format!("{}{path}", app.url), "POST", Some(b"{}"));
    let mut stream = TcpStream::connect(app.server.addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = read_to_close(&mut stream, Duration::from_secs(3))
        .await
        .expect("answered and closed at once");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("request/too-large"), "{answer}");
}

#[tokio::test]
async fn an_anonymous_body_is_refused_before_it_is_read() {
    let app = limited().await;
    let mut stream = TcpStream::connect(app.server.addr).await.unwrap();
    // A body is declared but none is sent: the answer cannot depend on reading it.
    let head = "POST /api/relays HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = read_to_close(&mut stream, Duration::from_secs(3))
        .await
        .expect("answered and closed at once");
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("auth/missing"), "{answer}");
}

#[tokio::test]
async fn a_signed_body_that_never_arrives_times_out_with_408() {
    let app = limited().await;
    let keys = Keys::generate();
    let path = "/api/relays";
    let body = br#"{"name":"Slow","subdomain":"slow","plan":"free"}"#;
    let auth = sign(&keys, &format!("{}{path}", app.url), "POST", Some(body));
    let mut stream = TcpStream::connect(app.server.addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body[..10]).await.unwrap();
    let started = Instant::now();
    let answer = read_to_close(&mut stream, Duration::from_secs(6))
        .await
        .expect("answered within 6 s");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request/timeout"), "{answer}");
    assert!(started.elapsed() >= Duration::from_millis(1500));
}

#[tokio::test]
async fn past_the_connection_cap_new_sockets_are_closed_and_others_served_once_slots_free() {
    let app = limited().await;
    let mut silent = Vec::new();
    for _ in 0..8 {
        silent.push(TcpStream::connect(app.server.addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut extra = TcpStream::connect(app.server.addr).await.unwrap();
    let _ = extra
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let answer = read_to_close(&mut extra, Duration::from_secs(1))
        .await
        .expect("the connection over the cap is closed at once");
    assert!(answer.is_empty(), "{answer}");
    // The silent sockets time out after the header timeout; then the server answers again.
    crate::helpers::eventually(
        5,
        "the server to answer once the silent sockets are gone",
        || async {
            let reply = reqwest::get(format!("{}/api/health", app.base))
                .await
                .ok()?;
            (reply.status() == 200).then_some(())
        },
    )
    .await;
    drop(silent);
}

#[tokio::test]
async fn oversized_headers_and_non_json_bodies_get_json_errors() {
    let app = limited().await;
    let big = "a".repeat(100 * 1024);
    let reply = reqwest::Client::new()
        .get(format!("{}/api/health", app.base))
        .header("x-filler", big)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 431);
    let body: serde_json::Value = reply.json().await.unwrap();
    assert_eq!(body["error"]["code"], "request/headers-too-large");

    let keys = Keys::generate();
    let path = "/api/relays";
    let payload = br#"{"name":"Plain","subdomain":"plain","plan":"free"}"#;
    let auth = sign(&keys, &format!("{}{path}", app.url), "POST", Some(payload));
    let reply = reqwest::Client::new()
        .post(format!("{}{path}", app.base))
        .header("authorization", auth)
        .header("content-type", "text/plain")
        .body(&payload[..])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 415);
    let body: serde_json::Value = reply.json().await.unwrap();
    assert_eq!(body["error"]["code"], "request/unsupported-media-type");
}

/// Sends `request` while reading the answer (the server may answer, and close, before it has
/// read all of it); returns what the server sent before closing.
async fn answer_to(app: &TestApp, request: Vec<u8>) -> String {
    let stream = TcpStream::connect(app.server.addr).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let sender = tokio::spawn(async move {
        let _ = write.write_all(&request).await;
        write
    });
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        let mut buf = [0u8; 4096];
        loop {
            match read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    drop(sender.await);
    String::from_utf8_lossy(&out).into_owned()
}

/// The status, lower-cased head and JSON body of an HTTP/1.1 answer.
fn parse_answer(answer: &str) -> (u16, String, serde_json::Value) {
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"));
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}"));
    (status, head.to_ascii_lowercase(), body)
}

#[tokio::test]
async fn heads_hyper_refuses_itself_get_json_errors_too() {
    let app = limited().await;
    // Past hyper's own read buffer (about 400 KiB), where the 64 KiB check never runs.
    let mut huge = b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Filler: ".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 1024 * 1024));
    huge.extend_from_slice(b"\r\n\r\n");
    let (status, head, body) = parse_answer(&answer_to(&app, huge).await);
    assert_eq!(status, 431);
    assert!(head.contains("content-type: application/json"), "{head}");
    assert_eq!(body["error"]["code"], "request/headers-too-large");

    let malformed = b"GET /api/health HTTP/1.1\r\nHost x\r\n\r\n".to_vec();
    let (status, head, body) = parse_answer(&answer_to(&app, malformed).await);
    assert_eq!(status, 400);
    assert!(head.contains("content-type: application/json"), "{head}");
    assert_eq!(body["error"]["code"], "request/refused");

    // The server goes on answering.
    let reply = reqwest::get(format!("{}/api/health", app.base))
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
}

/// The resident memory of process `pid`, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Hundreds of anonymous clients each sending most of a maximum-size body: the server answers
/// each 401 from the headers alone and never buffers the bodies. Buffered, 300 × 250 KiB would
/// be 73 MiB; the bound, 24 MiB, leaves room for each connection's read buffer and task (a few
/// tens of KiB) and the allocator's slack, and is far below what buffering would cost.
#[tokio::test]
async fn anonymous_slow_bodies_leave_the_servers_memory_bounded() {
    if !std::path::Path::new("/proc/self/status").exists() {
        return; // RSS is read from /proc
    }
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_caravel"))
        .env("DATA_DIR", dir.path())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("caravel.db").display()),
        )
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .env("WEB_DIR", dir.path().join("none"))
        .env("RUST_LOG", "warn")
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();
    crate::helpers::eventually(20, "the server to answer", || async {
        let mut s = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
        s.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .ok()?;
        let answer = read_to_close(&mut s, Duration::from_secs(2)).await?;
        answer.starts_with("HTTP/1.1 200").then_some(())
    })
    .await;
    let before = rss_kib(pid);
    let chunk = vec![b'x'; 250 * 1024];
    let mut clients = Vec::new();
    for _ in 0..300 {
        let chunk = chunk.clone();
        clients.push(tokio::spawn(async move {
            let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)).await else {
                return;
            };
            let head = "POST /api/relays HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 262144\r\n\r\n";
            let _ = s.write_all(head.as_bytes()).await;
            let _ = s.write_all(&chunk).await;
            // Hold the socket open, as a slow client would.
            tokio::time::sleep(Duration::from_secs(2)).await;
        }));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let during = rss_kib(pid);
    for c in clients {
        let _ = c.await;
    }
    let after = rss_kib(pid);
    let _ = child.kill().await;
    let growth = during.max(after).saturating_sub(before);
    eprintln!("RSS before {before} KiB, during {during} KiB, after {after} KiB");
    assert!(
        growth < 24 * 1024,
        "RSS grew by {growth} KiB (before {before}, during {during}, after {after})"
    );
}

#[tokio::test]
async fn an_empty_billing_body_is_refused_and_null_clears_the_wallet() {
    let app = TestApp::spawn().await;
    let keys = Keys::generate();
    let user = app.as_tenant(&keys);
    assert_eq!(user.post_empty("/api/tenants").await.status, 201);
    let path = format!("/api/tenants/{}/billing", keys.public_key().to_hex());
    let reply = user.put(&path, serde_json::json!({})).await;
    assert_eq!(reply.status, 422, "{:?}", reply.body);
    let reply = user
        .put(&path, serde_json::json!({ "nwc_url": null }))
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
}
