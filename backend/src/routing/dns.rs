//! A small authoritative DNS answerer over UDP for the proxy's upstream lookups, from the
//! routing table, with a TTL of 1 s:
//!
//! - `SRV` for a relay host: the serving node as `<node>.nodes.internal` and its port (Caddy's
//!   `dynamic srv`; nodes may share an address and differ by port);
//! - `A`/`AAAA` for `<node>.nodes.internal`: the node's address (Caddy's transport resolver
//!   dialing that target), and for a relay host: its node's address (`dynamic a`, for nodes
//!   that differ by address and share a port).
//!
//! A name the table does not have is `NXDOMAIN`. It answers from memory and never waits,
//! because the proxy holds requests while a lookup is pending. Meant for loopback
//! (`ROUTING_DNS_ADDR`); anything that is not one plain question is refused or dropped.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use tokio::net::UdpSocket;
use tokio::sync::watch;

use super::Routes;
use super::table::{NODE_ZONE, node_name};

const TYPE_A: u16 = 1;
const TYPE_AAAA: u16 = 28;
const TYPE_SRV: u16 = 33;
const CLASS_IN: u16 = 1;
const TTL_SECS: u32 = 1;

const NOERROR: u8 = 0;
const FORMERR: u8 = 1;
const NXDOMAIN: u8 = 3;
const NOTIMP: u8 = 4;

/// Binds `addr` and answers until `shutdown`.
pub async fn serve(
    addr: SocketAddr,
    routes: Arc<Routes>,
    mut shutdown: watch::Receiver<bool>,
) -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let socket = UdpSocket::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("binding ROUTING_DNS_ADDR {addr}: {e}"))?;
    let bound = socket.local_addr()?;
    let task = tokio::spawn(async move {
        let mut buf = [0u8; 1500];
        loop {
            tokio::select! {
                received = socket.recv_from(&mut buf) => {
                    let Ok((n, peer)) = received else { continue };
                    if let Some(reply) = answer(&buf[..n], |name| find(&routes, name)) {
                        let _ = socket.send_to(&reply, peer).await;
                    }
                }
                _ = shutdown.changed() => break,
            }
        }
    });
    Ok((bound, task))
}

/// What a name is, in the routing table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A relay host, served by the node of that name at that address.
    Host { node: String, upstream: SocketAddr },
    /// A node (`<node>.nodes.internal`).
    Node(SocketAddr),
}

fn find(routes: &Routes, name: &str) -> Option<Found> {
    if name.ends_with(NODE_ZONE) {
        return routes.node(name).map(Found::Node);
    }
    routes.lookup(name).map(|r| Found::Host {
        node: r.node.to_string(),
        upstream: r.upstream,
    })
}

/// One question as asked: the name (lower-case, without the final dot), its type and class,
/// and where the question section ends.
struct Question {
    name: String,
    qtype: u16,
    qclass: u16,
    end: usize,
}

fn question(packet: &[u8]) -> Option<Question> {
    let mut at = 12;
    let mut labels: Vec<String> = Vec::new();
    let mut length = 0;
    loop {
        let len = *packet.get(at)? as usize;
        at += 1;
        if len == 0 {
            break;
        }
        // No compression in a question, labels of at most 63 bytes, names of at most 255.
        length += len + 1;
        if len > 63 || length > 255 {
            return None;
        }
        let label = packet.get(at..at + len)?;
        labels.push(String::from_utf8_lossy(label).to_ascii_lowercase());
        at += len;
    }
    let qtype = u16::from_be_bytes([*packet.get(at)?, *packet.get(at + 1)?]);
    let qclass = u16::from_be_bytes([*packet.get(at + 2)?, *packet.get(at + 3)?]);
    Some(Question {
        name: labels.join("."),
        qtype,
        qclass,
        end: at + 4,
    })
}

/// The reply to one query packet; `None` for what is not worth answering (a reply, or a
/// packet too short to carry an id).
pub fn answer(packet: &[u8], lookup: impl Fn(&str) -> Option<Found>) -> Option<Vec<u8>> {
    if packet.len() < 12 || packet[2] & 0x80 != 0 {
        return None;
    }
    let opcode = (packet[2] >> 3) & 0x0f;
    let qdcount = u16::from_be_bytes([packet[4], packet[5]]);
    let refuse = |rcode| Some(header(packet, rcode, 0, 0).to_vec());
    if opcode != 0 {
        return refuse(NOTIMP);
    }
    if qdcount != 1 {
        return refuse(FORMERR);
    }
    let Some(q) = question(packet) else {
        return refuse(FORMERR);
    };
    if q.qclass != CLASS_IN {
        return refuse(NOTIMP);
    }
    let Some(found) = lookup(&q.name) else {
        return Some(reply(packet, &q, NXDOMAIN, None));
    };
    let (ip, srv) = match &found {
        Found::Host { node, upstream } => (upstream.ip(), Some((node.as_str(), upstream.port()))),
        Found::Node(upstream) => (upstream.ip(), None),
    };
    let record = match (q.qtype, ip, srv) {
        (TYPE_A, IpAddr::V4(v4), _) => Some((TYPE_A, v4.octets().to_vec())),
        (TYPE_AAAA, IpAddr::V6(v6), _) => Some((TYPE_AAAA, v6.octets().to_vec())),
        (TYPE_SRV, _, Some((node, port))) => Some((TYPE_SRV, srv_data(node, port))),
        _ => None,
    };
    Some(reply(packet, &q, NOERROR, record))
}

/// Priority 0, weight 0, the port, and the node's name as the target.
fn srv_data(node: &str, port: u16) -> Vec<u8> {
    let mut data = vec![0, 0, 0, 0];
    data.extend_from_slice(&port.to_be_bytes());
    for label in node_name(node).split('.') {
        data.push(label.len() as u8);
        data.extend_from_slice(label.as_bytes());
    }
    data.push(0);
    data
}

fn header(query: &[u8], rcode: u8, qdcount: u16, ancount: u16) -> [u8; 12] {
    let rd = query[2] & 0x01;
    let mut h = [0u8; 12];
    h[0] = query[0];
    h[1] = query[1];
    // QR, opcode 0, AA, RD as asked; RA 0; the response code.
    h[2] = 0x80 | 0x04 | rd;
    h[3] = rcode & 0x0f;
    h[4..6].copy_from_slice(&qdcount.to_be_bytes());
    h[6..8].copy_from_slice(&ancount.to_be_bytes());
    h
}

fn reply(query: &[u8], q: &Question, rcode: u8, record: Option<(u16, Vec<u8>)>) -> Vec<u8> {
    let mut out = Vec::with_capacity(q.end + 32);
    out.extend_from_slice(&header(query, rcode, 1, u16::from(record.is_some())));
    out.extend_from_slice(&query[12..q.end]);
    if let Some((rtype, rdata)) = record {
        // The name is the question's, by pointer to offset 12.
        out.extend_from_slice(&[0xc0, 0x0c]);
        out.extend_from_slice(&rtype.to_be_bytes());
        out.extend_from_slice(&CLASS_IN.to_be_bytes());
        out.extend_from_slice(&TTL_SECS.to_be_bytes());
        out.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        out.extend_from_slice(&rdata);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(id: u16, name: &str, qtype: u16) -> Vec<u8> {
        let mut p = id.to_be_bytes().to_vec();
        p.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
        for label in name.trim_end_matches('.').split('.') {
            p.push(label.len() as u8);
            p.extend_from_slice(label.as_bytes());
        }
        p.push(0);
        p.extend_from_slice(&qtype.to_be_bytes());
        p.extend_from_slice(&CLASS_IN.to_be_bytes());
        p
    }

    fn table(name: &str) -> Option<Found> {
        let upstream: SocketAddr = "10.0.0.2:4001".parse().unwrap();
        match name {
            "club.relays.test" => Some(Found::Host {
                node: "east".into(),
                upstream,
            }),
            "east.nodes.internal" => Some(Found::Node(upstream)),
            _ => None,
        }
    }

    #[test]
    fn a_known_host_is_answered_with_its_node_address_whatever_its_case() {
        let r = answer(&query(7, "Club.Relays.Test.", TYPE_A), table).unwrap();
        assert_eq!(&r[..2], &7u16.to_be_bytes());
        assert_eq!(r[3] & 0x0f, NOERROR);
        assert_eq!(u16::from_be_bytes([r[6], r[7]]), 1);
        assert_eq!(&r[r.len() - 4..], &[10, 0, 0, 2]);
    }

    #[test]
    fn an_srv_question_names_the_node_and_its_port_and_the_node_name_has_its_address() {
        let r = answer(&query(3, "club.relays.test", TYPE_SRV), table).unwrap();
        assert_eq!(u16::from_be_bytes([r[6], r[7]]), 1);
        let mut target = vec![0, 0, 0, 0];
        target.extend_from_slice(&4001u16.to_be_bytes());
        target.extend_from_slice(b"\x04east\x05nodes\x08internal\x00");
        assert!(r.ends_with(&target));
        let r = answer(&query(4, "east.nodes.internal", TYPE_A), table).unwrap();
        assert_eq!(&r[r.len() - 4..], &[10, 0, 0, 2]);
    }

    #[test]
    fn an_unknown_host_is_nxdomain_and_an_aaaa_for_a_v4_node_is_empty() {
        let r = answer(&query(1, "other.relays.test", TYPE_A), table).unwrap();
        assert_eq!(r[3] & 0x0f, NXDOMAIN);
        let r = answer(&query(1, "club.relays.test", TYPE_AAAA), table).unwrap();
        assert_eq!((r[3] & 0x0f, r[7]), (NOERROR, 0));
    }

    #[test]
    fn malformed_packets_are_refused_or_dropped_without_panicking() {
        assert!(answer(&[0; 5], table).is_none());
        let mut truncated = query(1, "club.relays.test", TYPE_A);
        truncated.truncate(20);
        assert_eq!(answer(&truncated, table).unwrap()[3] & 0x0f, FORMERR);
        let mut long_label = query(1, "club.relays.test", TYPE_A);
        long_label[12] = 64;
        assert_eq!(answer(&long_label, table).unwrap()[3] & 0x0f, FORMERR);
        for len in 0..64 {
            let junk: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let _ = answer(&junk, table);
        }
    }
}
