//! How the test wallet answers each request and announces payments.

use std::sync::atomic::Ordering;
use std::time::Duration;

use lightning_invoice::{InvoiceBuilder, PaymentSecret};
use nostr_sdk::hashes::{Hash, sha256};
use nostr_sdk::nips::nip47::{
    GetBalanceResponse, GetInfoResponse, LookupInvoiceResponse, MakeInvoiceResponse, Method,
    PayInvoiceResponse, Request, RequestParams, ResponseResult, TransactionState, TransactionType,
};
use nostr_sdk::nips::{nip04, nip44};
use nostr_sdk::secp256k1::Secp256k1;
use nostr_sdk::{Client, Event, EventBuilder, JsonUtil, Keys, Kind, PublicKey, Tag, Timestamp};
use rand::RngCore;
use serde_json::{Value, json};

use super::Encryption;
use super::{Entry, PayMode, State};

pub(super) async fn answer(me: &Keys, st: &State, client: &Client, event: Event) {
    if event.verify().is_err() {
        return;
    }
    st.requests.fetch_add(1, Ordering::SeqCst);
    let nip04_content = event.content.contains("?iv=");
    let wants_nip44 = event.tags.iter().any(|t| {
        t.as_slice().first().map(String::as_str) == Some("encryption")
            && t.as_slice().get(1).is_some_and(|v| v.contains("nip44_v2"))
    });
    let scheme = if nip04_content {
        Encryption::Nip04
    } else {
        Encryption::Nip44
    };
    let plain = match scheme {
        Encryption::Nip04 => nip04::decrypt(me.secret_key(), &event.pubkey, &event.content).ok(),
        Encryption::Nip44 => nip44::decrypt(me.secret_key(), &event.pubkey, &event.content).ok(),
    };
    let supported = scheme == st.opts.encryption && (wants_nip44 == (scheme == Encryption::Nip44));
    let body = match plain.and_then(|p| Request::from_json(p).ok()) {
        _ if !supported => error_json(
            "get_info",
            "UNSUPPORTED_ENCRYPTION",
            "use the scheme in my info event",
        ),
        None => error_json("get_info", "OTHER", "unreadable request"),
        Some(request) => {
            tokio::time::sleep(st.opts.latency).await;
            match handle(me, st, request) {
                Some(v) => v,
                None => return,
            }
        }
    };
    let content = match scheme {
        Encryption::Nip04 => nip04::encrypt(me.secret_key(), &event.pubkey, body.to_string()).ok(),
        Encryption::Nip44 => nip44::encrypt(
            me.secret_key(),
            &event.pubkey,
            body.to_string(),
            nip44::Version::V2,
        )
        .ok(),
    };
    let Some(content) = content else { return };
    let mut tags = vec![Tag::event(event.id)];
    if st.opts.p_tag {
        tags.push(Tag::public_key(event.pubkey));
    }
    if let Ok(reply) = EventBuilder::new(Kind::WalletConnectResponse, content)
        .tags(tags)
        .sign_with_keys(me)
    {
        let _ = client.send_event(&reply).await;
    }
}

fn error_json(method: &str, code: &str, message: &str) -> Value {
    json!({ "result_type": method, "error": { "code": code, "message": message }, "result": null })
}

fn ok_json(method: Method, result: ResponseResult) -> Value {
    json!({ "result_type": method.as_str(), "error": null, "result": result })
}

/// The answer to one request, or `None` to stay silent.
fn handle(me: &Keys, st: &State, request: Request) -> Option<Value> {
    let now = (st.opts.now)();
    let method = request.method;
    Some(match request.params {
        RequestParams::GetInfo => ok_json(
            method,
            ResponseResult::GetInfo(GetInfoResponse {
                alias: Some("test wallet".into()),
                color: None,
                pubkey: Some(me.public_key().to_hex()),
                network: Some("regtest".into()),
                block_height: Some(1),
                block_hash: None,
                methods: vec![
                    Method::PayInvoice,
                    Method::MakeInvoice,
                    Method::LookupInvoice,
                    Method::GetInfo,
                    Method::GetBalance,
                ],
                notifications: vec!["payment_received".into()],
            }),
        ),
        RequestParams::GetBalance => ok_json(
            method,
            ResponseResult::GetBalance(GetBalanceResponse {
                balance: *st.balance.lock(),
            }),
        ),
        RequestParams::MakeInvoice(p) => {
            let expiry = p.expiry.unwrap_or(3600);
            let description = p.description.unwrap_or_default();
            match issue(me, st, p.amount, &description, expiry, now) {
                Ok(r) => ok_json(method, ResponseResult::MakeInvoice(r)),
                Err(e) => error_json(method.as_str(), "INTERNAL", &e),
            }
        }
        RequestParams::LookupInvoice(p) => {
            let hash = p.payment_hash.unwrap_or_default();
            let found = st.ledger.invoices.lock().get(&hash).cloned();
            match found {
                Some(e) => ok_json(
                    method,
                    ResponseResult::LookupInvoice(lookup(&e, &hash, now)),
                ),
                None => error_json(method.as_str(), "NOT_FOUND", "no such invoice"),
            }
        }
        RequestParams::PayInvoice(p) => {
            let mode = st.pay_mode.lock().clone();
            if let PayMode::Refuse(code, message) = mode {
                return Some(error_json(method.as_str(), code, &message));
            }
            let parsed: Option<lightning_invoice::Bolt11Invoice> = p.invoice.parse().ok();
            let Some(invoice) = parsed else {
                return Some(error_json(method.as_str(), "OTHER", "not a bolt11"));
            };
            let hash = invoice.payment_hash().to_string();
            let amount = invoice.amount_milli_satoshis().unwrap_or_default();
            {
                let mut balance = st.balance.lock();
                if *balance < amount {
                    return Some(error_json(
                        method.as_str(),
                        "INSUFFICIENT_BALANCE",
                        "not enough sats",
                    ));
                }
                let Some(preimage) = st.ledger.settle(&hash, now) else {
                    return Some(error_json(
                        method.as_str(),
                        "PAYMENT_FAILED",
                        "no route, or already paid",
                    ));
                };
                *balance -= amount;
                st.pay_calls.fetch_add(1, Ordering::SeqCst);
                if matches!(mode, PayMode::PayWithoutAnswer) {
                    return None;
                }
                ok_json(
                    method,
                    ResponseResult::PayInvoice(PayInvoiceResponse {
                        preimage,
                        fees_paid: Some(0),
                    }),
                )
            }
        }
        _ => error_json(method.as_str(), "NOT_IMPLEMENTED", "not here"),
    })
}

fn issue(
    me: &Keys,
    st: &State,
    amount: u64,
    description: &str,
    expiry: u64,
    now: u64,
) -> Result<MakeInvoiceResponse, String> {
    let mut preimage = [0u8; 32];
    let mut secret = [0u8; 32];
    if !st.opts.reuse_preimage {
        rand::rngs::OsRng.fill_bytes(&mut preimage);
    }
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let hash = sha256::Hash::hash(&preimage);
    let secp = Secp256k1::new();
    let invoice = InvoiceBuilder::new(st.opts.network.clone())
        .description(description.to_string())
        .payment_hash(hash)
        .payment_secret(PaymentSecret(secret))
        .amount_milli_satoshis(amount)
        .expiry_time(Duration::from_secs(expiry))
        .duration_since_epoch(Duration::from_secs(now))
        .min_final_cltv_expiry_delta(144)
        .build_signed(|m| secp.sign_ecdsa_recoverable(m, &st.node))
        .map_err(|e| e.to_string())?;
    let bolt11 = invoice.to_string();
    let entry = Entry {
        issuer: me.public_key(),
        bolt11: bolt11.clone(),
        description: description.to_string(),
        amount_msat: amount,
        preimage: hex::encode(preimage),
        created_at: now,
        expires_at: now + expiry,
        settled_at: None,
    };
    st.ledger.invoices.lock().insert(hash.to_string(), entry);
    Ok(MakeInvoiceResponse {
        invoice: bolt11,
        payment_hash: Some(hash.to_string()),
        description: Some(description.to_string()),
        description_hash: None,
        preimage: None,
        amount: Some(amount),
        created_at: Some(Timestamp::from(now)),
        expires_at: Some(Timestamp::from(now + expiry)),
    })
}

fn lookup(e: &Entry, hash: &str, now: u64) -> LookupInvoiceResponse {
    let state = match e.settled_at {
        Some(_) => TransactionState::Settled,
        None if e.expires_at <= now => TransactionState::Expired,
        None => TransactionState::Pending,
    };
    LookupInvoiceResponse {
        transaction_type: Some(TransactionType::Incoming),
        state: Some(state),
        invoice: Some(e.bolt11.clone()),
        description: Some(e.description.clone()),
        description_hash: None,
        preimage: e.settled_at.map(|_| e.preimage.clone()),
        payment_hash: hash.to_string(),
        amount: e.amount_msat,
        fees_paid: 0,
        created_at: Timestamp::from(e.created_at),
        expires_at: Some(Timestamp::from(e.expires_at)),
        settled_at: e.settled_at.map(Timestamp::from),
        metadata: None,
    }
}

pub(super) async fn notify(
    me: &Keys,
    client_pk: PublicKey,
    st: &State,
    client: &Client,
    hash: &str,
) {
    let Some(e) = st.ledger.invoices.lock().get(hash).cloned() else {
        return;
    };
    let l = lookup(&e, hash, (st.opts.now)());
    let body = json!({ "notification_type": "payment_received", "notification": {
        "type": "incoming", "state": "settled", "invoice": l.invoice, "description": l.description,
        "preimage": l.preimage, "payment_hash": hash, "amount": l.amount, "fees_paid": 0,
        "created_at": l.created_at, "expires_at": l.expires_at, "settled_at": l.settled_at,
    }});
    let (kind, content) = match st.opts.encryption {
        Encryption::Nip44 => (
            Kind::Custom(23197),
            nip44::encrypt(
                me.secret_key(),
                &client_pk,
                body.to_string(),
                nip44::Version::V2,
            )
            .ok(),
        ),
        Encryption::Nip04 => (
            Kind::WalletConnectNotification,
            nip04::encrypt(me.secret_key(), &client_pk, body.to_string()).ok(),
        ),
    };
    let Some(content) = content else { return };
    if let Ok(event) = EventBuilder::new(kind, content)
        .tag(Tag::public_key(client_pk))
        .sign_with_keys(me)
    {
        let _ = client.send_event(&event).await;
    }
}
