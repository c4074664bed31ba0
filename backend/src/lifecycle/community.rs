//! A relay's community settings: the owner's switches, the roles they appoint, and the
//! member count the platform reads from the relay. Each change writes its row, its activity
//! entry and the provisioning bump (zooid gets the switches and roles in the relay's
//! configuration) in the caller's transaction.

use serde_json::{Value, json};

use super::{Refusal, Result};
use crate::db::relay_invites::{Invite, NewInvite};
use crate::db::{self, Tx, activity::Entry, plans::Plan, relays::Relay};
use crate::domain::community::{self, Includes, InviteState, Policies, RelayRole};

fn entry<'a>(actor: &'a str, action: &'a str, r: &'a Relay, details: Value) -> Entry<'a> {
    Entry {
        actor,
        action,
        resource_type: "relay",
        resource_id: &r.id,
        tenant: Some(&r.tenant),
        details,
    }
}

pub fn includes(plan: &Plan) -> Includes {
    Includes {
        blossom: plan.blossom,
        livekit: plan.livekit,
    }
}

async fn plan_of(tx: &mut Tx<'_>, r: &Relay) -> Result<Plan> {
    db::plans::get(&mut **tx, &r.plan)
        .await?
        .ok_or_else(|| anyhow::anyhow!("relay {} has unknown plan {}", r.id, r.plan).into())
}

/// The cheapest plan that includes `feature`, for the refusal's advice.
async fn upgrade_for(tx: &mut Tx<'_>, feature: community::PlanFeature) -> Result<Option<String>> {
    let plans = db::plans::list(&mut **tx).await?;
    Ok(plans
        .into_iter()
        .filter(|p| includes(p).has(feature))
        .min_by_key(|p| p.price_sats)
        .map(|p| p.name))
}

/// Sets the owner's switches. Turning on a feature the plan lacks is refused; a switch for
/// such a feature keeps its stored choice whatever is sent, so an upgrade brings it back.
/// Returns the switches as stored.
pub async fn set_policies(
    tx: &mut Tx<'_>,
    actor: &str,
    r: &Relay,
    wanted: Policies,
    now: i64,
) -> Result<Policies> {
    let plan = plan_of(tx, r).await?;
    let allowed = includes(&plan);
    if let Some(feature) = wanted.beyond(r.policies, allowed) {
        let upgrade = upgrade_for(tx, feature).await?;
        return Err(Refusal::FeatureNotInPlan {
            feature,
            plan: plan.name,
            upgrade,
        }
        .into());
    }
    let stored = Policies::merged(r.policies, wanted, allowed);
    if stored == r.policies {
        return Ok(stored);
    }
    db::relays::set_policies(&mut **tx, &r.id, &stored, now).await?;
    let details = json!({ "from": r.policies, "to": stored });
    db::activity::record(
        &mut **tx,
        now,
        entry(actor, "relay.policies-changed", r, details),
    )
    .await?;
    Ok(stored)
}

/// Appoints `pubkey` as `role` (or changes their role). The owner's role is fixed.
pub async fn appoint(
    tx: &mut Tx<'_>,
    actor: &str,
    r: &Relay,
    pubkey: &str,
    role: RelayRole,
    now: i64,
) -> Result<()> {
    if pubkey == r.tenant {
        return Err(Refusal::OwnerIsAdmin.into());
    }
    let before = db::relay_roles::set(tx, &r.id, pubkey, role, actor, now).await?;
    if before == Some(role) {
        return Ok(());
    }
    db::relays::bump(&mut **tx, &r.id, now).await?;
    let details = json!({ "pubkey": pubkey, "role": role, "from": before });
    db::activity::record(&mut **tx, now, entry(actor, "relay.role-set", r, details)).await?;
    Ok(())
}

/// Takes `pubkey`'s role away (they stay a member).
pub async fn dismiss(
    tx: &mut Tx<'_>,
    actor: &str,
    r: &Relay,
    pubkey: &str,
    now: i64,
) -> Result<()> {
    if pubkey == r.tenant {
        return Err(Refusal::OwnerIsAdmin.into());
    }
    let Some(before) = db::relay_roles::role_of(&mut **tx, &r.id, pubkey).await? else {
        return Err(Refusal::RoleNotFound.into());
    };
    db::relay_roles::remove(&mut **tx, &r.id, pubkey).await?;
    db::relays::bump(&mut **tx, &r.id, now).await?;
    let details = json!({ "pubkey": pubkey, "role": before });
    db::activity::record(
        &mut **tx,
        now,
        entry(actor, "relay.role-removed", r, details),
    )
    .await?;
    Ok(())
}

/// Readies `pubkey` for removal or a ban: the owner cannot be removed, and a role holder
/// loses the role first (zooid makes role holders members again, unbanned, on every reload).
/// Whether a role was taken away (the relay then has a new configuration to sync).
pub async fn clear_for_removal(
    tx: &mut Tx<'_>,
    actor: &str,
    r: &Relay,
    pubkey: &str,
    now: i64,
) -> Result<bool> {
    if pubkey == r.tenant {
        return Err(Refusal::OwnerIsAdmin.into());
    }
    if db::relay_roles::role_of(&mut **tx, &r.id, pubkey)
        .await?
        .is_none()
    {
        return Ok(false);
    }
    dismiss(tx, actor, r, pubkey, now).await?;
    Ok(true)
}

/// Refuses a plan for a relay with more members than the plan allows.
pub async fn check_plan_fits(tx: &mut Tx<'_>, r: &Relay, plan: &str) -> Result<()> {
    let Some(plan) = db::plans::get(&mut **tx, plan).await? else {
        return Ok(());
    };
    match (r.member_count, plan.max_members) {
        (Some(members), Some(limit)) if members > limit => Err(Refusal::MemberLimit {
            members,
            limit,
            plan: plan.name,
        }
        .into()),
        _ => Ok(()),
    }
}

/// Refuses one more member past the plan's limit.
pub async fn check_room_for_one(tx: &mut Tx<'_>, r: &Relay, members: i64) -> Result<()> {
    let plan = plan_of(tx, r).await?;
    match plan.max_members {
        Some(limit) if members >= limit => Err(Refusal::MemberLimit {
            members,
            limit,
            plan: plan.name,
        }
        .into()),
        _ => Ok(()),
    }
}

/// What recording a member count changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    /// The relay became full or stopped being full: its joins close or open at zooid (its
    /// config and its claims).
    pub doors_changed: bool,
    /// It went over its limit (a join slipped in while it was full): the owner is told once.
    pub went_over: bool,
}

/// Records the member count read from the relay (the owner included). Reaching the plan's
/// limit closes the relay's joins at zooid, dropping below it reopens them; going over it
/// queues one notice to the owner. Nobody is removed.
pub async fn counted(
    tx: &mut Tx<'_>,
    r: &Relay,
    members: i64,
    notice: impl FnOnce(i64, i64) -> String,
    now: i64,
) -> Result<Counted> {
    let plan = plan_of(tx, r).await?;
    let limit = plan.max_members;
    let was_full = community::is_full(r.member_count, limit);
    let full = community::is_full(Some(members), limit);
    let was_over = matches!((r.member_count, limit), (Some(n), Some(max)) if n > max);
    let over = matches!(limit, Some(max) if members > max);
    db::relays::set_member_count(&mut **tx, &r.id, members, now).await?;
    let doors_changed = was_full != full;
    if doors_changed {
        db::relays::bump(&mut **tx, &r.id, now).await?;
        db::relay_claims::due_now(&mut **tx, &r.id, now).await?;
        let action = if full {
            "relay.joins-closed"
        } else {
            "relay.joins-opened"
        };
        let details = json!({ "members": members, "limit": limit });
        db::activity::record(&mut **tx, now, entry("system", action, r, details)).await?;
    }
    let went_over = over && !was_over;
    if let (true, Some(max)) = (went_over, limit) {
        let key = format!("over-limit:{}:{now}", r.id);
        db::outbox::enqueue(
            &mut **tx,
            &r.tenant,
            "over-limit",
            &key,
            &notice(members, max),
        )
        .await?;
    }
    Ok(Counted {
        doors_changed,
        went_over,
    })
}

/// What an invite is now.
pub fn invite_state(i: &Invite, now: i64) -> InviteState {
    if i.revoked_at.is_some() {
        InviteState::Revoked
    } else if i.expires_at <= now {
        InviteState::Expired
    } else if i.max_uses.is_some_and(|max| i.uses >= max) {
        InviteState::UsedUp
    } else {
        InviteState::Active
    }
}

/// Whether the invite is one zooid could hold as a claim: only one without a use limit, since
/// zooid does not say which claim a join used. A change to such an invite calls for a look at
/// the relay's claims ([`crate::community::claims`]).
pub fn may_be_claim(i: &Invite) -> bool {
    i.max_uses.is_none()
}

/// Whether the invite is a claim at zooid while the relay has room: one that may be, and
/// still admits people.
pub fn is_claim(i: &Invite, now: i64) -> bool {
    may_be_claim(i) && invite_state(i, now) == InviteState::Active
}

/// A new invite to the relay, valid for `valid_for` seconds and `max_uses` joins.
pub async fn create_invite(
    tx: &mut Tx<'_>,
    actor: &str,
    r: &Relay,
    valid_for: i64,
    max_uses: Option<i64>,
    now: i64,
) -> Result<Invite> {
    let mut code = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut code);
    let code = hex::encode(code);
    let id = uuid::Uuid::now_v7().simple().to_string();
    let new = NewInvite {
        id: &id,
        relay_id: &r.id,
        code: &code,
        created_by: actor,
        expires_at: now + valid_for,
        max_uses,
    };
    db::relay_invites::insert(&mut **tx, &new, now).await?;
    let details = json!({ "invite": id, "expires_at": now + valid_for, "max_uses": max_uses });
    db::activity::record(
        &mut **tx,
        now,
        entry(actor, "relay.invite-created", r, details),
    )
    .await?;
    let invite = db::relay_invites::get(&mut **tx, &r.id, &id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("invite {id} vanished"))?;
    if may_be_claim(&invite) {
        db::relay_claims::due_now(&mut **tx, &r.id, now).await?;
    }
    Ok(invite)
}

/// Withdraws an invite: it admits nobody from now on.
/// Whether `caller` may see and withdraw `invite`: those who run the community handle every
/// invite; an inviter only the ones they made.
pub fn may_handle(manages: bool, caller: &str, invite: &Invite) -> bool {
    manages || invite.created_by == caller
}

/// Withdraws an invite; `manages` as in [`may_handle`] (an inviter's reach is their own invites).
pub async fn revoke_invite(
    tx: &mut Tx<'_>,
    actor: &str,
    manages: bool,
    r: &Relay,
    id: &str,
    now: i64,
) -> Result<Invite> {
    let Some(invite) = db::relay_invites::get(&mut **tx, &r.id, id)
        .await?
        .filter(|i| may_handle(manages, actor, i))
    else {
        return Err(Refusal::InviteNotFound.into());
    };
    if db::relay_invites::revoke(&mut **tx, id, now).await? {
        if may_be_claim(&invite) {
            db::relay_claims::due_now(&mut **tx, &r.id, now).await?;
        }
        let details = json!({ "invite": id });
        db::activity::record(
            &mut **tx,
            now,
            entry(actor, "relay.invite-revoked", r, details),
        )
        .await?;
    }
    Ok(db::relay_invites::get(&mut **tx, &r.id, id)
        .await?
        .unwrap_or(invite))
}

/// Takes a use of `invite` for `pubkey` joining a relay that has `members` now: refused when
/// the invite no longer admits anyone, `pubkey` used it before, or the relay is full. The
/// caller adds the member at the relay, and gives the use back if that fails.
pub async fn redeem(
    tx: &mut Tx<'_>,
    r: &Relay,
    invite: &Invite,
    pubkey: &str,
    members: i64,
    now: i64,
) -> Result<()> {
    match invite_state(invite, now) {
        InviteState::Active => {}
        InviteState::Expired => return Err(Refusal::InviteExpired.into()),
        InviteState::Revoked => return Err(Refusal::InviteRevoked.into()),
        InviteState::UsedUp => return Err(Refusal::InviteUsedUp.into()),
    }
    check_room_for_one(tx, r, members).await?;
    if !db::relay_invites::take_use(tx, &invite.id, pubkey, now).await? {
        // Raced to used up, or this pubkey's second use.
        let again = db::relay_invites::get(&mut **tx, &r.id, &invite.id).await?;
        return Err(match again.map(|i| invite_state(&i, now)) {
            Some(InviteState::Active) | None => Refusal::InviteAlreadyUsed,
            Some(InviteState::UsedUp) => Refusal::InviteUsedUp,
            Some(InviteState::Expired) => Refusal::InviteExpired,
            Some(InviteState::Revoked) => Refusal::InviteRevoked,
        }
        .into());
    }
    let details = json!({ "pubkey": pubkey, "invite": invite.id });
    db::activity::record(
        &mut **tx,
        now,
        entry("system", "relay.member-joined", r, details),
    )
    .await?;
    Ok(())
}

/// Records an action taken at the relay as the relay (`relay.member-added`,
/// `relay.pubkey-banned`, …) with who took it, on whom and why (in `details`).
pub async fn acted(
    tx: &mut Tx<'_>,
    actor: &str,
    r: &Relay,
    action: &str,
    details: Value,
    now: i64,
) -> Result<()> {
    db::activity::record(&mut **tx, now, entry(actor, action, r, details)).await?;
    Ok(())
}
