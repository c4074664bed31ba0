//! The relay port: one loopback port serving WebSockets and HTTP, as zooid does per host.
//! A WebSocket upgrade is forwarded byte for byte to the in-process relay; anything else
//! goes to an axum router (the NIP-86 endpoint). As zooid, a request whose `Host` names no
//! relay this node has, or an inactive one, is answered 404; a bare address (tests that
//! connect to the port directly) reaches the relay.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// Longest request head read before deciding where a connection goes.
const MAX_HEAD: usize = 16 * 1024;

/// Accepts on `listener` until aborted; aborting also drops every forwarded WebSocket.
pub(super) async fn accept_loop(
    listener: TcpListener,
    relay: SocketAddr,
    http: mpsc::Sender<(Replayed, SocketAddr)>,
    shared: std::sync::Arc<super::Shared>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else { continue };
                let http = http.clone();
                let shared = shared.clone();
                connections.spawn(async move {
                    let _ = route(stream, peer, relay, http, &shared).await;
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn route(
    mut stream: TcpStream,
    peer: SocketAddr,
    relay: SocketAddr,
    http: mpsc::Sender<(Replayed, SocketAddr)>,
    shared: &super::Shared,
) -> io::Result<()> {
    let head = tokio::time::timeout(Duration::from_secs(10), read_head(&mut stream))
        .await
        .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
    let host = host_of(&head);
    let bare = host.parse::<std::net::IpAddr>().is_ok() || host == "localhost" || host.is_empty();
    if !bare {
        let serves = shared.configs.lock().serves(&host);
        if serves != Some(true) {
            stream
                .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\ncontent-length: 9\r\nconnection: close\r\n\r\nNot Found")
                .await?;
            return Ok(());
        }
        if is_websocket_upgrade(&head) {
            shared.ws_hosts.lock().push(host.clone());
        }
    }
    if is_websocket_upgrade(&head) {
        let mut upstream = TcpStream::connect(relay).await?;
        // The relay sees the connection from this address: its joins are judged by the
        // relay the host names.
        let seen_from = upstream.local_addr()?;
        let relay_id = (!bare)
            .then(|| shared.configs.lock().id_of(&host))
            .flatten();
        if let Some(id) = relay_id {
            shared.community.peers.lock().insert(seen_from, id);
        }
        upstream.write_all(&head).await?;
        let copied = tokio::io::copy_bidirectional(&mut stream, &mut upstream).await;
        shared.community.peers.lock().remove(&seen_from);
        copied?;
    } else {
        let replayed = Replayed {
            head,
            read: 0,
            stream,
        };
        let _ = http.send((replayed, peer)).await;
    }
    Ok(())
}

/// Reads until the end of the request head (or what arrived before EOF or the cap).
async fn read_head(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_HEAD {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&chunk[..n]);
    }
    Ok(head)
}

/// The request's `Host`, lower-case, without its port.
fn host_of(head: &[u8]) -> String {
    let text = String::from_utf8_lossy(head);
    let value = text.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("host")
            .then(|| value.trim().to_ascii_lowercase())
    });
    let value = value.unwrap_or_default();
    match value.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default().to_string(),
        None => value.split(':').next().unwrap_or_default().to_string(),
    }
}

fn is_websocket_upgrade(head: &[u8]) -> bool {
    String::from_utf8_lossy(head).lines().any(|line| {
        line.split_once(':').is_some_and(|(name, value)| {
            name.trim().eq_ignore_ascii_case("upgrade")
                && value.trim().eq_ignore_ascii_case("websocket")
        })
    })
}

/// A connection whose first bytes were already read: they are read again first.
pub(super) struct Replayed {
    head: Vec<u8>,
    read: usize,
    stream: TcpStream,
}

impl AsyncRead for Replayed {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.read < this.head.len() {
            let rest = &this.head[this.read..];
            let n = rest.len().min(buf.remaining());
            buf.put_slice(&rest[..n]);
            this.read += n;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Replayed {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// The HTTP side of the relay port, as an axum listener fed by [`accept_loop`].
pub(super) struct HttpSide(pub(super) mpsc::Receiver<(Replayed, SocketAddr)>);

impl axum::serve::Listener for HttpSide {
    type Io = Replayed;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.0.recv().await {
            Some(connection) => connection,
            // The accept loop is gone (the stand-in is down): nothing more will come.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Err(io::Error::other(
            "the relay port's HTTP side has no address",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upgrade_header_is_found_in_any_case() {
        let head =
            b"GET / HTTP/1.1\r\nHost: x\r\nupgrade: WebSocket\r\nConnection: Upgrade\r\n\r\n";
        assert!(is_websocket_upgrade(head));
        assert!(!is_websocket_upgrade(
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/nostr+json+rpc\r\n\r\n"
        ));
    }
}
