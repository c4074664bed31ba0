//! The fleet's rules: the settings' node at start-up, where a new relay goes, a node's state
//! as admins set it, and starting a relay's move. Each writes its activity entry in the
//! caller's transaction.

use serde_json::{Value, json};

use super::{Refusal, Result};
use crate::config::Settings;
use crate::db::{self, Tx, activity::Entry, relays::Relay, zooid_nodes::Node};
use crate::domain::status::NodeState;

fn entry<'a>(actor: &'a str, action: &'a str, node: &'a str, details: Value) -> Entry<'a> {
    Entry {
        actor,
        action,
        resource_type: "node",
        resource_id: node,
        tenant: None,
        details,
    }
}

/// The single-zooid settings define the `main` node (created with their capacity, its
/// address following them), and relays from before nodes existed are placed on it.
pub async fn bootstrap(tx: &mut Tx<'_>, settings: &Settings, now: i64) -> Result<()> {
    let z = &settings.zooid;
    let api_url = z
        .api_url
        .as_ref()
        .map(|u| u.as_str().trim_end_matches('/').to_string());
    let upstream = z.upstream.to_string();
    db::zooid_nodes::upsert_settings_node(
        &mut **tx,
        api_url.as_deref(),
        &upstream,
        z.capacity,
        now,
    )
    .await?;
    let placed = db::relay_moves::place_unplaced(&mut **tx, db::zooid_nodes::SETTINGS_NODE).await?;
    if placed > 0 {
        tracing::info!(
            relays = placed,
            node = db::zooid_nodes::SETTINGS_NODE,
            "placed relays from before nodes existed"
        );
    }
    Ok(())
}

/// The node a new relay goes to: the active one with the most free capacity. None has room:
/// refused, and the refusal is in the activity log for admins (in its own transaction, as the
/// caller's rolls back).
pub async fn place(tx: &mut Tx<'_>) -> Result<String> {
    match db::zooid_nodes::roomiest(&mut **tx).await? {
        Some(node) => Ok(node),
        None => Err(Refusal::NoCapacity.into()),
    }
}

/// Records a refused placement where admins see it (`relay.placement-refused`).
pub async fn placement_refused(
    db: &sqlx::SqlitePool,
    actor: &str,
    subdomain: &str,
    now: i64,
) -> Result<()> {
    let mut tx = db::begin_write(db).await?;
    let entry = Entry {
        actor,
        action: "relay.placement-refused",
        resource_type: "relay",
        resource_id: subdomain,
        tenant: Some(actor),
        details: json!({ "subdomain": subdomain, "why": "no active node has free capacity" }),
    };
    db::activity::record(&mut *tx, now, entry).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add(
    tx: &mut Tx<'_>,
    actor: &str,
    new: &db::zooid_nodes::NewNode<'_>,
    now: i64,
) -> Result<()> {
    if db::zooid_nodes::get(&mut **tx, new.id).await?.is_some() {
        return Err(Refusal::NodeExists(new.id.into()).into());
    }
    db::zooid_nodes::insert(&mut **tx, new, now)
        .await
        .map_err(one_directory)?;
    let details = json!({ "api_url": new.api_url, "upstream": new.upstream, "capacity": new.capacity, "state": new.state, "own_secret": new.api_secret_enc.is_some() });
    db::activity::record(&mut **tx, now, entry(actor, "node.added", new.id, details)).await?;
    Ok(())
}

/// Changes where a node is reached, what it holds and its state; `changes` is
/// `{field: {from, to}}` for the activity log.
pub async fn change(
    tx: &mut Tx<'_>,
    actor: &str,
    node: &Node,
    reach: &db::zooid_nodes::Reach<'_>,
    state: NodeState,
    changes: serde_json::Map<String, Value>,
    now: i64,
) -> Result<()> {
    db::zooid_nodes::update(&mut **tx, &node.id, reach, now)
        .await
        .map_err(one_directory)?;
    if state != node.state {
        db::zooid_nodes::set_state(&mut **tx, &node.id, state, now).await?;
    }
    db::activity::record(
        &mut **tx,
        now,
        entry(actor, "node.changed", &node.id, Value::Object(changes)),
    )
    .await?;
    Ok(())
}

/// Starts moving `relay` to node `to`. Refused while another move is under way, onto the
/// node it is on, and onto a node that is not active or has no room.
pub async fn start_move(
    tx: &mut Tx<'_>,
    actor: &str,
    relay: &Relay,
    to: &str,
    now: i64,
) -> Result<()> {
    if let Some(to) = relay.moving_to() {
        return Err(Refusal::MoveInProgress { to: to.into() }.into());
    }
    let Some(target) = db::zooid_nodes::get(&mut **tx, to).await? else {
        return Err(Refusal::NodeNotFound.into());
    };
    if relay.node.as_deref() == Some(to) {
        return Err(Refusal::AlreadyOnNode(to.into()).into());
    }
    let why = if !target.state.accepts() {
        Some(if target.state == NodeState::Draining {
            "it is draining"
        } else {
            "it is down"
        })
    } else if target.free() == 0 {
        Some("it is full")
    } else {
        None
    };
    if let Some(why) = why {
        return Err(Refusal::NodeNotAccepting {
            node: to.into(),
            why,
        }
        .into());
    }
    db::relay_moves::start(&mut **tx, &relay.id, to, now).await?;
    let details = json!({ "from": relay.node, "to": to });
    let e = Entry {
        actor,
        action: "relay.move-started",
        resource_type: "relay",
        resource_id: &relay.id,
        tenant: Some(&relay.tenant),
        details,
    };
    db::activity::record(&mut **tx, now, e).await?;
    Ok(())
}

/// Only one node may be the local config directory (no API URL).
fn one_directory(e: sqlx::Error) -> super::Error {
    match db::violated_unique(&e) {
        Some(_) => Refusal::OneDirectory.into(),
        None => e.into(),
    }
}
