//! One wallet connection: reads the wallet's kind 13194 info to pick NIP-44 v2 or NIP-04,
//! keeps one subscription open for the wallet's answers (so it exists before any request
//! is published), and matches each answer to its request by `e` tag and author — some
//! wallets send no `p` tag. Every answer's signature is checked before it is decrypted.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use nostr_sdk::nips::nip44::v2::ConversationKey;
use nostr_sdk::nips::nip47::{
    GetInfoResponse, LookupInvoiceRequest, LookupInvoiceResponse, MakeInvoiceRequest,
    MakeInvoiceResponse, Method, NostrWalletConnectURI, PayInvoiceRequest, PayInvoiceResponse,
    PaymentNotification, Request, Response, ResponseResult,
};
use nostr_sdk::nips::{nip04, nip44};
use nostr_sdk::{
    Client, Event, EventBuilder, EventId, Filter, JsonUtil, Keys, Kind, PublicKey,
    RelayPoolNotification, Tag, TagKind, TagStandard,
};
use parking_lot::Mutex;
use serde_json::Value;
use tokio::sync::{broadcast, oneshot};

use super::{Code, WalletError};
use crate::telemetry::metrics;

const NOTIFICATION_NIP44: u16 = 23197;

/// How requests are encrypted, as the wallet's info event offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encryption {
    Nip44,
    Nip04,
}

/// A connected wallet. Cheap to clone; requests may run concurrently.
#[derive(Clone)]
pub struct WalletClient {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    keys: Keys,
    wallet: PublicKey,
    encryption: Encryption,
    /// NIP-44's key for this pair, derived once (otherwise an ECDH each way per request).
    conversation: ConversationKey,
    timeout: Duration,
    pending: Mutex<HashMap<EventId, oneshot::Sender<Event>>>,
    payments: broadcast::Sender<PaymentNotification>,
}

impl std::fmt::Debug for WalletClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WalletClient")
            .field("wallet", &self.inner.wallet.to_hex())
            .field("encryption", &self.inner.encryption)
            .finish_non_exhaustive()
    }
}

impl WalletClient {
    /// Connects to the wallet's relays, subscribes for its answers, and reads its info event.
    pub async fn connect(
        uri: &NostrWalletConnectURI,
        timeout: Duration,
    ) -> Result<Self, WalletError> {
        let keys = Keys::new(uri.secret.clone());
        let client = Client::builder().signer(keys.clone()).build();
        for relay in &uri.relays {
            client
                .add_relay(relay.clone())
                .await
                .map_err(|e| WalletError::Unreachable(e.to_string()))?;
        }
        let connected = client.try_connect(timeout).await;
        if connected.success.is_empty() {
            let why = connected
                .failed
                .into_iter()
                .map(|(url, e)| format!("{url}: {e}"))
                .collect::<Vec<_>>()
                .join("; ");
            client.shutdown().await;
            return Err(WalletError::Unreachable(why));
        }
        let mut events = client.notifications();
        let answers = Filter::new().author(uri.public_key).kinds([
            Kind::WalletConnectResponse,
            Kind::WalletConnectNotification,
            Kind::Custom(NOTIFICATION_NIP44),
        ]);
        if let Err(e) = client.subscribe(answers, None).await {
            client.shutdown().await;
            return Err(WalletError::Unreachable(e.to_string()));
        }
        let info = Filter::new()
            .author(uri.public_key)
            .kind(Kind::WalletConnectInfo)
            .limit(1);
        let encryption = match client.fetch_events(info, timeout).await {
            Ok(found) => found
                .first_owned()
                .map(|e| offered(&e))
                .unwrap_or(Encryption::Nip04),
            Err(_) => Encryption::Nip04,
        };
        let (payments, _) = broadcast::channel(1024);
        let conversation = ConversationKey::derive(keys.secret_key(), &uri.public_key)
            .map_err(|e| WalletError::Protocol(e.to_string()))?;
        let inner = Arc::new(Inner {
            client,
            keys,
            wallet: uri.public_key,
            encryption,
            conversation,
            timeout,
            pending: Mutex::new(HashMap::new()),
            payments,
        });
        let weak = Arc::downgrade(&inner);
        tokio::spawn(async move {
            loop {
                let note = match events.recv().await {
                    Ok(n) => n,
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(missed = n, "wallet listener lagged");
                        continue;
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                };
                let Some(inner) = weak.upgrade() else { break };
                if let RelayPoolNotification::Event { event, .. } = note {
                    inner.route(*event);
                }
            }
        });
        Ok(Self { inner })
    }

    pub fn encryption(&self) -> Encryption {
        self.inner.encryption
    }

    pub fn wallet_pubkey(&self) -> PublicKey {
        self.inner.wallet
    }

    /// `payment_received` and `payment_sent` notifications, as the wallet sends them.
    pub fn payments(&self) -> broadcast::Receiver<PaymentNotification> {
        self.inner.payments.subscribe()
    }

    pub async fn get_info(&self) -> Result<GetInfoResponse, WalletError> {
        match self.request(Request::get_info()).await? {
            ResponseResult::GetInfo(r) => Ok(r),
            _ => Err(unexpected()),
        }
    }

    pub async fn get_balance(&self) -> Result<u64, WalletError> {
        match self.request(Request::get_balance()).await? {
            ResponseResult::GetBalance(r) => Ok(r.balance),
            _ => Err(unexpected()),
        }
    }

    pub async fn make_invoice(
        &self,
        amount_msat: u64,
        description: &str,
        expiry_secs: u64,
    ) -> Result<MakeInvoiceResponse, WalletError> {
        let params = MakeInvoiceRequest {
            amount: amount_msat,
            description: Some(description.to_string()),
            description_hash: None,
            expiry: Some(expiry_secs),
        };
        match self.request(Request::make_invoice(params)).await? {
            ResponseResult::MakeInvoice(r) => Ok(r),
            _ => Err(unexpected()),
        }
    }

    pub async fn lookup_invoice(
        &self,
        payment_hash: &str,
    ) -> Result<LookupInvoiceResponse, WalletError> {
        let params = LookupInvoiceRequest {
            payment_hash: Some(payment_hash.to_string()),
            invoice: None,
        };
        match self.request(Request::lookup_invoice(params)).await? {
            ResponseResult::LookupInvoice(r) => Ok(r),
            _ => Err(unexpected()),
        }
    }

    pub async fn pay_invoice(&self, bolt11: &str) -> Result<PayInvoiceResponse, WalletError> {
        let params = PayInvoiceRequest::new(bolt11);
        match self.request(Request::pay_invoice(params)).await? {
            ResponseResult::PayInvoice(r) => Ok(r),
            _ => Err(unexpected()),
        }
    }

    /// Sends one request and waits for its answer (or the timeout).
    pub async fn request(&self, request: Request) -> Result<ResponseResult, WalletError> {
        let (method, started) = (request.method.to_string(), std::time::Instant::now());
        let result = self.send(request).await;
        metrics::wallet_request(method, outcome(&result), started.elapsed());
        result
    }

    async fn send(&self, request: Request) -> Result<ResponseResult, WalletError> {
        let inner = &self.inner;
        let method = request.method;
        let json = request.as_json();
        let (content, tag) = match inner.encryption {
            Encryption::Nip44 => (
                nip44::v2::encrypt_to_bytes(&inner.conversation, json.as_bytes())
                    .map(|sealed| STANDARD.encode(sealed))
                    .map_err(|e| WalletError::Protocol(e.to_string()))?,
                Some("nip44_v2"),
            ),
            Encryption::Nip04 => (
                nip04::encrypt(inner.keys.secret_key(), &inner.wallet, json)
                    .map_err(|e| WalletError::Protocol(e.to_string()))?,
                None,
            ),
        };
        let mut tags = vec![Tag::public_key(inner.wallet)];
        if let Some(scheme) = tag {
            tags.push(Tag::custom(TagKind::custom("encryption"), [scheme]));
        }
        let expiration = nostr_sdk::Timestamp::now() + inner.timeout;
        tags.push(Tag::from_standardized_without_cell(
            TagStandard::Expiration(expiration),
        ));
        let event = EventBuilder::new(Kind::WalletConnectRequest, content)
            .tags(tags)
            .sign_with_keys(&inner.keys)
            .map_err(|e| WalletError::Protocol(e.to_string()))?;
        let (tx, rx) = oneshot::channel();
        inner.pending.lock().insert(event.id, tx);
        let secs = inner.timeout.as_secs();
        let answer = async {
            let sent = inner
                .client
                .send_event(&event)
                .await
                .map_err(|e| WalletError::Unreachable(e.to_string()))?;
            if sent.success.is_empty() {
                let why = sent.failed.into_values().collect::<Vec<_>>().join("; ");
                return Err(WalletError::Unreachable(why));
            }
            rx.await.map_err(|_| WalletError::Timeout(secs))
        };
        let outcome = tokio::time::timeout(inner.timeout, answer).await;
        inner.pending.lock().remove(&event.id);
        let response = outcome.map_err(|_| WalletError::Timeout(secs))??;
        inner.read_response(method, &response)
    }

    /// Closes the relay connections.
    pub async fn shutdown(&self) {
        self.inner.client.shutdown().await;
    }
}

impl Inner {
    fn route(&self, event: Event) {
        if event.pubkey != self.wallet || event.verify().is_err() {
            return;
        }
        if event.kind == Kind::WalletConnectResponse {
            let request = event.tags.iter().find_map(|t| match t.as_standardized() {
                Some(TagStandard::Event { event_id, .. }) => Some(*event_id),
                _ => None,
            });
            if let Some(id) = request
                && let Some(waiter) = self.pending.lock().remove(&id)
            {
                let _ = waiter.send(event);
            }
        } else if let Ok(text) = self.decrypt(&event.content) {
            let note = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| nostr_sdk::nips::nip47::Notification::from_value(v).ok());
            if let Some(note) = note
                && let Ok(payment) = note.to_pay_notification()
            {
                let _ = self.payments.send(payment);
            }
        }
    }

    fn decrypt(&self, content: &str) -> Result<String, WalletError> {
        let plain = if content.contains("?iv=") {
            nip04::decrypt(self.keys.secret_key(), &self.wallet, content).map_err(|e| e.to_string())
        } else {
            open_nip44(&self.conversation, content)
        };
        plain.map_err(WalletError::Protocol)
    }

    fn read_response(&self, method: Method, event: &Event) -> Result<ResponseResult, WalletError> {
        let text = self.decrypt(&event.content)?;
        let mut value: Value =
            serde_json::from_str(&text).map_err(|e| WalletError::Protocol(e.to_string()))?;
        if let Some(error) = value.get("error").filter(|e| !e.is_null()) {
            let code = error.get("code").and_then(Value::as_str).unwrap_or("OTHER");
            let message = error
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .chars()
                .take(300)
                .collect();
            return Err(WalletError::Refused {
                code: Code::parse(code),
                message,
            });
        }
        if let Some(obj) = value.as_object_mut() {
            obj.remove("error");
        }
        let response =
            Response::from_value(value).map_err(|e| WalletError::Protocol(e.to_string()))?;
        if response.result_type != method {
            return Err(unexpected());
        }
        response.result.ok_or_else(unexpected)
    }
}

/// The encryption a wallet's info event offers: NIP-44 v2 when listed, else NIP-04.
fn offered(info: &Event) -> Encryption {
    let listed = info.tags.iter().any(|t| {
        let parts = t.as_slice();
        parts.first().map(String::as_str) == Some("encryption")
            && parts
                .get(1)
                .is_some_and(|v| v.split_whitespace().any(|s| s == "nip44_v2"))
    });
    if listed {
        Encryption::Nip44
    } else {
        Encryption::Nip04
    }
}

/// The `outcome` label of a request's result.
fn outcome<T>(result: &Result<T, WalletError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(WalletError::Refused { .. }) => "refused",
        Err(WalletError::Timeout(_)) => "timeout",
        Err(WalletError::Unreachable(_)) => "unreachable",
        Err(WalletError::Protocol(_)) => "protocol",
    }
}

fn unexpected() -> WalletError {
    WalletError::Protocol("the answer does not match the request".into())
}

/// A NIP-44 v2 payload opened with the pair's conversation key.
fn open_nip44(key: &ConversationKey, content: &str) -> Result<String, String> {
    let payload = STANDARD.decode(content).map_err(|e| e.to_string())?;
    if payload.first() != Some(&2) {
        return Err("not a NIP-44 version 2 payload".into());
    }
    let plain = nip44::v2::decrypt_to_bytes(key, &payload).map_err(|e| e.to_string())?;
    String::from_utf8(plain).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_sealed_by_the_wallet_opens_with_the_cached_conversation_key() {
        let (me, wallet) = (Keys::generate(), Keys::generate());
        let sealed = nip44::encrypt(
            wallet.secret_key(),
            &me.public_key(),
            "{\"result_type\":\"get_info\"}",
            nip44::Version::V2,
        )
        .unwrap();
        let key = ConversationKey::derive(me.secret_key(), &wallet.public_key()).unwrap();
        assert_eq!(
            open_nip44(&key, &sealed).unwrap(),
            "{\"result_type\":\"get_info\"}"
        );
        assert!(open_nip44(&key, "#not-base64").is_err());
        let other =
            ConversationKey::derive(me.secret_key(), &Keys::generate().public_key()).unwrap();
        assert!(open_nip44(&other, &sealed).is_err());
    }
}
