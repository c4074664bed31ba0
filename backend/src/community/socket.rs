//! One light WebSocket to a hosted relay, signed in as the relay (NIP-42), for the member
//! watcher's long-lived subscriptions. A full nostr-sdk client per relay holds about 2.5 MB
//! (its pool, channels and caches); the platform keeps one such subscription per active
//! relay, so this speaks the three messages it needs (REQ, AUTH, and the relay's EVENT,
//! EOSE, CLOSED, AUTH) over small buffers, with nostr's own message types.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use nostr_sdk::{
    ClientMessage, Event, EventBuilder, Filter, JsonUtil, Keys, RelayMessage, RelayUrl,
    SubscriptionId,
};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::RelayError;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest message taken from a relay (a member list of tens of thousands fits).
const MAX_MESSAGE: usize = 4 << 20;

/// What the relay sent that the caller cares about.
#[derive(Debug)]
pub enum Incoming {
    Event(SubscriptionId, Box<Event>),
    EndOfStored(SubscriptionId),
}

pub struct Socket {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    keys: Keys,
    url: RelayUrl,
    /// The subscriptions open, to send again once AUTH is accepted.
    open: Vec<(SubscriptionId, Filter)>,
}

impl Socket {
    pub async fn connect(keys: Keys, url: &str) -> Result<Self, RelayError> {
        let unreachable = |e: String| RelayError::Unreachable(format!("{url}: {e}"));
        let relay_url = RelayUrl::parse(url).map_err(|e| unreachable(e.to_string()))?;
        let config = WebSocketConfig::default()
            .read_buffer_size(8 << 10)
            .write_buffer_size(0)
            .max_message_size(Some(MAX_MESSAGE))
            .max_frame_size(Some(MAX_MESSAGE));
        let connecting = tokio_tungstenite::connect_async_with_config(url, Some(config), false);
        let (ws, _) = tokio::time::timeout(CONNECT_TIMEOUT, connecting)
            .await
            .map_err(|_| unreachable("connecting timed out".into()))?
            .map_err(|e| unreachable(e.to_string()))?;
        Ok(Self {
            ws,
            keys,
            url: relay_url,
            open: Vec::new(),
        })
    }

    /// Opens (or replaces) subscription `id` with `filter`.
    pub async fn subscribe(&mut self, id: &str, filter: Filter) -> Result<(), RelayError> {
        let id = SubscriptionId::new(id);
        self.open.retain(|(open, _)| *open != id);
        self.open.push((id.clone(), filter.clone()));
        self.send(ClientMessage::req(id, filter)).await
    }

    /// The next event or end of stored events, answering AUTH on the way. `Err` when the
    /// connection ends or the relay refuses a subscription for another reason than AUTH.
    pub async fn next(&mut self) -> Result<Incoming, RelayError> {
        loop {
            let frame = self
                .ws
                .next()
                .await
                .ok_or_else(|| self.gone("the relay closed the connection"))?
                .map_err(|e| self.gone(&e.to_string()))?;
            let text = match frame {
                Message::Text(text) => text,
                Message::Close(_) => return Err(self.gone("the relay closed the connection")),
                _ => continue,
            };
            let Ok(message) = RelayMessage::from_json(text.as_str()) else {
                continue;
            };
            match message {
                RelayMessage::Event {
                    subscription_id,
                    event,
                } if event.verify().is_ok() => {
                    return Ok(Incoming::Event(
                        subscription_id.into_owned(),
                        Box::new(event.into_owned()),
                    ));
                }
                RelayMessage::EndOfStoredEvents(id) => {
                    return Ok(Incoming::EndOfStored(id.into_owned()));
                }
                RelayMessage::Auth { challenge } => self.authenticate(&challenge).await?,
                // `auth-required` is sent again once the AUTH is accepted (below).
                RelayMessage::Closed {
                    subscription_id,
                    message,
                } if !message.starts_with("auth-required") => {
                    return Err(RelayError::Refused(format!(
                        "{}: subscription {} closed: {message}",
                        self.url, subscription_id
                    )));
                }
                RelayMessage::Ok { status: true, .. } => {
                    // Our AUTH was accepted: what was refused for want of it goes again.
                    for (id, filter) in self.open.clone() {
                        self.send(ClientMessage::req(id, filter)).await?;
                    }
                }
                _ => {}
            }
        }
    }

    async fn authenticate(&mut self, challenge: &str) -> Result<(), RelayError> {
        let auth = EventBuilder::auth(challenge, self.url.clone())
            .sign_with_keys(&self.keys)
            .map_err(|e| RelayError::Refused(format!("signing AUTH: {e}")))?;
        self.send(ClientMessage::auth(auth)).await
    }

    async fn send(&mut self, message: ClientMessage<'_>) -> Result<(), RelayError> {
        let text = message.as_json();
        self.ws
            .send(Message::text(text))
            .await
            .map_err(|e| self.gone(&e.to_string()))
    }

    fn gone(&self, why: &str) -> RelayError {
        RelayError::Unreachable(format!("{}: {why}", self.url))
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}
