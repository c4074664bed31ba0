//! zooid's NIP-86 endpoint (`POST /` with `application/nostr+json+rpc` on the relay port),
//! with khatru's checks and answers (every refusal, auth included, is HTTP 200
//! `{"error": …}`) and zooid's manager gate and side effects.
//!
//! Every relay shares the port, so the stand-in finds the addressed relay from the signer
//! when it is a relay's own key, or from the header `X-Relay-Id: <config id>` (a stand-in
//! convention standing in for zooid's Host routing), which any other manager must send.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use nostr_sdk::{EventId, Keys, PublicKey};
use serde_json::{Value, json};

use super::api::fault;
use super::members::relay_keys;
use super::{Shared, auth};

pub const RPC_CONTENT_TYPE: &str = "application/nostr+json+rpc";

const SUPPORTED: [&str; 16] = [
    "supportedmethods",
    "listclaims",
    "createclaim",
    "deleteclaim",
    "banpubkey",
    "unbanpubkey",
    "allowpubkey",
    "unallowpubkey",
    "listbannedpubkeys",
    "listallowedpubkeys",
    "banevent",
    "allowevent",
    "listbannedevents",
    "changerelayname",
    "changerelaydescription",
    "changerelayicon",
];

/// One NIP-86 call as received; `signer` and `relay` once known, `error` once refused.
#[derive(Debug, Clone)]
pub struct Nip86Call {
    pub method: String,
    pub params: Value,
    pub signer: Option<PublicKey>,
    pub relay: Option<String>,
    pub error: Option<String>,
}

enum Answer {
    Result(Value),
    Error(String),
    /// Not even khatru's handler answered (the relay is unknown, zooid is failing).
    Status(StatusCode, String),
}

pub(super) async fn handle(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: Value = serde_json::from_slice(&body).unwrap_or_default();
    let index = {
        let mut log = shared.nip86_log.lock();
        log.push(Nip86Call {
            method: request["method"].as_str().unwrap_or_default().to_string(),
            params: request["params"].clone(),
            signer: None,
            relay: None,
            error: None,
        });
        log.len() - 1
    };
    let answer = answer(&shared, &headers, &body, index).await;
    let (status, body) = match answer {
        Answer::Result(result) => (StatusCode::OK, json!({ "result": result })),
        Answer::Error(error) => (StatusCode::OK, json!({ "error": error })),
        Answer::Status(status, error) => (status, json!({ "error": error })),
    };
    shared.nip86_log.lock()[index].error = body["error"].as_str().map(str::to_string);
    (
        status,
        [(header::CONTENT_TYPE, RPC_CONTENT_TYPE)],
        body.to_string(),
    )
        .into_response()
}

async fn answer(shared: &Shared, headers: &HeaderMap, body: &[u8], index: usize) -> Answer {
    if shared.down.load(Ordering::SeqCst) {
        return Answer::Status(StatusCode::SERVICE_UNAVAILABLE, "zooid is down".into());
    }
    if let Some((status, message)) = fault(shared).await {
        return Answer::Status(status, message);
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if content_type != Some(RPC_CONTENT_TYPE) {
        return Answer::Status(StatusCode::NOT_FOUND, "not found".into());
    }
    let signer = match auth::nip86(headers, body) {
        Ok(signer) => signer,
        Err(why) => return Answer::Error(why),
    };
    shared.nip86_log.lock()[index].signer = Some(signer);
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return Answer::Error("invalid json body".into());
    };
    let method = request["method"].as_str().unwrap_or_default();
    let params = request["params"].as_array().cloned().unwrap_or_default();
    let claims = shared.claims.load(Ordering::SeqCst);
    let call = match Call::decode(method, &params, claims) {
        Ok(call) => call,
        Err(why) => return Answer::Error(format!("invalid params: {why}")),
    };
    let (id, config) = match addressed(shared, headers, &signer) {
        Ok(Some(found)) => found,
        Ok(None) => return Answer::Error(NOT_A_MANAGER.into()),
        Err(status) => return Answer::Status(status, "relay not found".into()),
    };
    shared.nip86_log.lock()[index].relay = Some(id.clone());
    if config["management"]["enabled"].as_bool() != Some(true) {
        return Answer::Error(format!("method {method} not supported"));
    }
    let Some(keys) = relay_keys(&config) else {
        return Answer::Status(StatusCode::NOT_FOUND, "relay not found".into());
    };
    if !can_manage(&config, &keys, &signer) {
        return Answer::Error(NOT_A_MANAGER.into());
    }
    Answer::Result(call.run(shared, &id, &keys).await)
}

const NOT_A_MANAGER: &str = "blocked: only relay admins can manage this relay.";

/// The relay addressed: `X-Relay-Id` if sent (unknown or inactive ⇒ 404, as zooid answers
/// an unknown host), else the one whose key signed; `None` if neither.
fn addressed(
    shared: &Shared,
    headers: &HeaderMap,
    signer: &PublicKey,
) -> Result<Option<(String, Value)>, StatusCode> {
    let store = shared.configs.lock();
    let serving = |config: &Value| config["inactive"].as_bool() != Some(true);
    if let Some(id) = headers.get("x-relay-id").and_then(|v| v.to_str().ok()) {
        return match store.configs.get(id) {
            Some(config) if serving(config) => Ok(Some((id.to_string(), config.clone()))),
            _ => Err(StatusCode::NOT_FOUND),
        };
    }
    Ok(store
        .configs
        .iter()
        .filter(|(_, config)| serving(config))
        .find(|(_, config)| relay_keys(config).is_some_and(|k| k.public_key() == *signer))
        .map(|(id, config)| (id.clone(), config.clone())))
}

/// zooid's `CanManage`: the relay key, the owner, or a role with `can_manage` that lists
/// the pubkey or is the special `member` role (which applies to everyone).
fn can_manage(config: &Value, keys: &Keys, pubkey: &PublicKey) -> bool {
    let hex = pubkey.to_hex();
    *pubkey == keys.public_key()
        || config["info"]["pubkey"].as_str() == Some(hex.as_str())
        || config["roles"].as_object().is_some_and(|roles| {
            roles.iter().any(|(name, role)| {
                role["can_manage"].as_bool() == Some(true)
                    && (name == "member"
                        || role["pubkeys"]
                            .as_array()
                            .is_some_and(|pks| pks.iter().any(|p| p.as_str() == Some(&hex))))
            })
        })
}

/// A decoded request (go-nostr's `DecodeRequest`): parameters are checked before the
/// manager gate, so a malformed call is refused for anyone.
enum Call {
    Pubkey(&'static str, PublicKey, String),
    Event(&'static str, EventId, String),
    List(&'static str),
    Info(&'static str, String),
    Claim(&'static str, String),
    Supported(bool),
}

/// The claim methods, which zooid offers since April 2026.
fn is_claim_method(name: &str) -> bool {
    name.ends_with("claim") || name == "listclaims"
}

impl Call {
    fn decode(method: &str, params: &[Value], claims: bool) -> Result<Self, String> {
        let offered = |m: &&&str| **m == method && (claims || !is_claim_method(m));
        let Some(&name) = SUPPORTED.iter().find(offered) else {
            return Err(format!("unknown method '{method}'"));
        };
        let text = |i: usize| params.get(i).and_then(Value::as_str);
        let reason = text(1).unwrap_or_default().to_string();
        match name {
            "supportedmethods" => Ok(Self::Supported(claims)),
            "createclaim" | "deleteclaim" => text(0)
                .filter(|claim| !claim.is_empty())
                .map(|claim| Self::Claim(name, claim.to_string()))
                .ok_or(format!("invalid claim param for '{name}'")),
            "banpubkey" | "unbanpubkey" | "allowpubkey" | "unallowpubkey" => text(0)
                .and_then(|pk| PublicKey::from_hex(pk).ok())
                .map(|pk| Self::Pubkey(name, pk, reason))
                .ok_or(format!("invalid pubkey param for '{name}'")),
            "banevent" | "allowevent" => text(0)
                .and_then(|id| EventId::from_hex(id).ok())
                .map(|id| Self::Event(name, id, reason))
                .ok_or(format!("invalid id param for '{name}'")),
            "changerelayname" | "changerelaydescription" | "changerelayicon" => text(0)
                .map(|value| Self::Info(name, value.to_string()))
                .ok_or(format!("invalid param for '{name}'")),
            _ => Ok(Self::List(name)),
        }
    }

    async fn run(self, shared: &Shared, id: &str, keys: &Keys) -> Value {
        let community = &shared.community;
        match self {
            Self::Supported(claims) => {
                let offered = SUPPORTED.iter().filter(|m| claims || !is_claim_method(m));
                return json!(offered.copied().collect::<Vec<_>>());
            }
            Self::Claim("createclaim", claim) => community.create_claim(id, &claim),
            Self::Claim(_, claim) => community.delete_claim(id, &claim),
            Self::List("listclaims") => return json!(community.claims(id)),
            Self::Pubkey("banpubkey", pk, reason) => community.ban(id, keys, pk, &reason).await,
            Self::Pubkey("unbanpubkey", pk, _) => community.unban(id, &pk),
            Self::Pubkey("allowpubkey", pk, _) => community.allow(id, keys, pk).await,
            Self::Pubkey(_, pk, _) => {
                community.remove(id, keys, pk).await;
            }
            Self::Event("banevent", event, reason) => community.ban_event(id, event, &reason).await,
            Self::Event(_, event, _) => community.allow_event(id, &event),
            Self::List("listallowedpubkeys") => {
                let members = community.members(id).into_iter();
                return members
                    .map(|pk| json!({ "pubkey": pk.to_hex(), "reason": "relay member" }))
                    .collect();
            }
            Self::List("listbannedpubkeys") => {
                let banned = community.banned(id).into_iter();
                return banned
                    .map(|(pk, reason)| json!({ "pubkey": pk.to_hex(), "reason": reason }))
                    .collect();
            }
            Self::List(_) => {
                let banned = community.banned_events(id).into_iter();
                return banned
                    .map(|(event, reason)| json!({ "id": event.to_hex(), "reason": reason }))
                    .collect();
            }
            Self::Info(name, value) => {
                let field = name.trim_start_matches("changerelay");
                let config = {
                    let mut store = shared.configs.lock();
                    let config = store.configs.get_mut(id).expect("the relay was found");
                    config["info"][field] = json!(value);
                    config.clone()
                };
                // Rewriting the config file makes zooid reload the relay.
                community.reload(id, &config).await;
            }
        }
        json!(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_are_the_relay_the_owner_and_can_manage_roles() {
        let [relay, owner, admin, inviter] = [(); 4].map(|_| Keys::generate());
        let config = json!({
            "info": { "pubkey": owner.public_key().to_hex() },
            "roles": {
                "admin": { "pubkeys": [admin.public_key().to_hex()], "can_manage": true },
                "inviter": { "pubkeys": [inviter.public_key().to_hex()], "can_invite": true },
            },
        });
        for keys in [&relay, &owner, &admin] {
            assert!(can_manage(&config, &relay, &keys.public_key()));
        }
        assert!(!can_manage(&config, &relay, &inviter.public_key()));
        let everyone = json!({ "roles": { "member": { "can_manage": true } } });
        assert!(can_manage(&everyone, &relay, &inviter.public_key()));
    }
}
