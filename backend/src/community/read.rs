//! Reading a hosted relay's stored events as the relay, to the relay's end of stored events
//! (EOSE): a lost connection, a refusal or a timeout is an error, never a short answer. The
//! member list, reports, the export and LiveKit's checks all read this way.

use std::time::Duration;

use nostr_sdk::pool::RelayNotification;
use nostr_sdk::{
    Client, Event, Filter, RelayMessage, RelayStatus, SubscribeOptions, SubscriptionId,
};
use tokio::sync::broadcast::error::RecvError;

/// Reads the stored events matching `filter` with a subscription of our own, so that the
/// relay's end of stored events (EOSE) is told apart from a timeout or a lost connection
/// (a bounded fetch reports all three as "no more events").
pub async fn read_stored(
    client: &Client,
    url: &str,
    filter: Filter,
    within: Duration,
) -> anyhow::Result<Vec<Event>> {
    let relay = client.relay(url).await?;
    // Listening starts before the request, so no answer can be missed.
    let mut notifications = relay.notifications();
    let id = SubscriptionId::generate();
    relay
        .subscribe_with_id(id.clone(), filter, SubscribeOptions::default())
        .await?;
    let read = tokio::time::timeout(within, async {
        let mut events = Vec::new();
        loop {
            let notification = match notifications.recv().await {
                Ok(n) => n,
                Err(RecvError::Lagged(n)) => anyhow::bail!("missed {n} messages from the relay"),
                Err(RecvError::Closed) => anyhow::bail!("the connection was shut down"),
            };
            match notification {
                RelayNotification::Message { message } => match message {
                    RelayMessage::Event {
                        subscription_id,
                        event,
                    } if *subscription_id == id => events.push(event.into_owned()),
                    RelayMessage::EndOfStoredEvents(sub) if *sub == id => return Ok(events),
                    // `auth-required` is answered by the client, which then asks again.
                    RelayMessage::Closed {
                        subscription_id,
                        message,
                    } if *subscription_id == id && !message.starts_with("auth-required") => {
                        anyhow::bail!("the relay refused the read: {message}")
                    }
                    _ => {}
                },
                RelayNotification::RelayStatus { status } if is_down(status) => {
                    anyhow::bail!("the connection was lost ({status})")
                }
                RelayNotification::AuthenticationFailed => {
                    anyhow::bail!("the relay did not accept our authentication")
                }
                RelayNotification::Shutdown => anyhow::bail!("the connection was shut down"),
                _ => {}
            }
        }
    })
    .await;
    let _ = relay.unsubscribe(&id).await;
    match read {
        Ok(read) => read,
        Err(_) => anyhow::bail!(
            "the relay did not finish answering within {} s",
            within.as_secs()
        ),
    }
}

fn is_down(status: RelayStatus) -> bool {
    matches!(
        status,
        RelayStatus::Disconnected | RelayStatus::Terminated | RelayStatus::Banned
    )
}
