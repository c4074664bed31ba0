//! The rules of a relay's community that hold whatever the caller: the switches an owner
//! sets (and which of them a plan includes), the roles they appoint, and when a relay is
//! full.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::status::status_enum;

status_enum! {
    /// A role the owner appoints on their relay. The owner is always an admin.
    RelayRole {
        /// A co-admin: manages members, invites and moderation (zooid `can_manage` and
        /// `can_invite`). Billing and the plan stay the owner's.
        Admin = "admin",
        /// May invite people (zooid `can_invite`).
        Inviter = "inviter",
    }
}

status_enum! {
    /// Whether an invite still admits anyone.
    InviteState {
        Active = "active",
        Expired = "expired",
        Revoked = "revoked",
        /// Used as many times as it allows.
        UsedUp = "used-up",
    }
}

/// How long an invite may be valid: an hour to 90 days (default a week).
pub const INVITE_VALID_HOURS: std::ops::RangeInclusive<i64> = 1..=2160;
pub const INVITE_DEFAULT_HOURS: i64 = 168;
/// How many joins one invite may admit, when limited.
pub const INVITE_MAX_USES: std::ops::RangeInclusive<i64> = 1..=10_000;

/// The switches of a relay, sent to zooid in its configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Policies {
    /// Anyone may join without an invite.
    pub public_join: bool,
    /// Every member may invite others (otherwise only the owner, co-admins and inviters).
    pub members_may_invite: bool,
    /// NIP-29 groups.
    pub groups: bool,
    /// NIP-9A push notifications.
    pub push: bool,
    /// Blossom media (plans with media).
    pub blossom: bool,
    /// Only members may download the relay's media.
    pub blossom_members_read: bool,
    /// LiveKit audio and video rooms (plans with LiveKit).
    pub livekit: bool,
    /// Serve events without their signatures to everyone but managers. Clients can then no
    /// longer check who wrote what: only for communities that accept that.
    pub strip_signatures: bool,
}

/// A feature only some plans include.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanFeature {
    Blossom,
    Livekit,
}

impl PlanFeature {
    pub const fn name(self) -> &'static str {
        match self {
            Self::Blossom => "Blossom media",
            Self::Livekit => "LiveKit audio and video",
        }
    }
}

/// What a plan includes, of the features above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Includes {
    pub blossom: bool,
    pub livekit: bool,
}

impl Includes {
    pub const fn has(self, feature: PlanFeature) -> bool {
        match feature {
            PlanFeature::Blossom => self.blossom,
            PlanFeature::Livekit => self.livekit,
        }
    }
}

impl Policies {
    /// What the relay gets: a switch for a feature its plan lacks reads as off (the owner's
    /// choice is kept, so an upgrade brings the feature back).
    pub fn within(self, plan: Includes) -> Self {
        Self {
            blossom: self.blossom && plan.blossom,
            blossom_members_read: self.blossom_members_read,
            livekit: self.livekit && plan.livekit,
            ..self
        }
    }

    /// The first feature `self` turns on (off in `current`) that `plan` does not include.
    /// Sending back a stored choice for such a feature is not turning it on.
    pub fn beyond(self, current: Self, plan: Includes) -> Option<PlanFeature> {
        [
            (self.blossom && !current.blossom, PlanFeature::Blossom),
            (self.livekit && !current.livekit, PlanFeature::Livekit),
        ]
        .into_iter()
        .find(|&(on, feature)| on && !plan.has(feature))
        .map(|(_, feature)| feature)
    }

    /// `wanted` as stored over `current`: a feature the plan lacks keeps its stored choice.
    pub fn merged(current: Self, wanted: Self, plan: Includes) -> Self {
        Self {
            blossom: if plan.blossom {
                wanted.blossom
            } else {
                current.blossom
            },
            livekit: if plan.livekit {
                wanted.livekit
            } else {
                current.livekit
            },
            ..wanted
        }
    }
}

/// Whether a relay with `members` (including its owner) is at or over `limit` (`None`:
/// unlimited). A full relay's joins are closed at zooid.
pub fn is_full(members: Option<i64>, limit: Option<i64>) -> bool {
    matches!((members, limit), (Some(n), Some(max)) if n >= max)
}

/// What to change among a relay's claims at zooid: `listed` is what zooid has, `wanted` the
/// codes of the invites that should be claims now. A full relay keeps no claim at all, its
/// members' own (zooid's per-inviter claims) included; an open one keeps theirs and loses
/// only the platform's that are no longer wanted (`ours` tells those apart).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ClaimChanges {
    pub create: Vec<String>,
    pub delete: Vec<String>,
}

pub fn claim_changes(
    listed: &[String],
    wanted: &[String],
    full: bool,
    ours: impl Fn(&str) -> bool,
) -> ClaimChanges {
    let wanted: &[String] = if full { &[] } else { wanted };
    ClaimChanges {
        create: wanted
            .iter()
            .filter(|w| !listed.contains(w))
            .cloned()
            .collect(),
        delete: listed
            .iter()
            .filter(|l| !wanted.contains(l) && (full || ours(l)))
            .cloned()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(on: bool) -> Policies {
        Policies {
            public_join: on,
            members_may_invite: on,
            groups: on,
            push: on,
            blossom: on,
            blossom_members_read: on,
            livekit: on,
            strip_signatures: on,
        }
    }

    const FREE: Includes = Includes {
        blossom: false,
        livekit: false,
    };
    const PAID: Includes = Includes {
        blossom: true,
        livekit: true,
    };

    #[test]
    fn a_plan_without_a_feature_reads_its_switch_as_off_and_keeps_the_choice() {
        let p = all(true);
        assert!(!p.within(FREE).blossom && !p.within(FREE).livekit);
        assert_eq!(p.within(PAID), p);
        let kept = Policies::merged(p, all(false), FREE);
        assert!(kept.blossom && kept.livekit && !kept.public_join);
    }

    #[test]
    fn turning_on_what_the_plan_lacks_names_the_feature() {
        assert_eq!(
            all(true).beyond(all(false), FREE),
            Some(PlanFeature::Blossom)
        );
        assert_eq!(all(false).beyond(all(false), FREE), None);
        assert_eq!(all(true).beyond(all(false), PAID), None);
        assert_eq!(
            all(true).beyond(all(true), FREE),
            None,
            "a stored choice sent back"
        );
    }

    #[test]
    fn a_relay_is_full_at_its_limit_and_never_without_one() {
        assert!(is_full(Some(10), Some(10)));
        assert!(is_full(Some(11), Some(10)));
        assert!(!is_full(Some(9), Some(10)));
        assert!(!is_full(Some(500), None));
        assert!(!is_full(None, Some(10)));
    }

    #[test]
    fn claims_follow_the_invites_and_a_full_relay_keeps_none() {
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let ours = |c: &str| c.starts_with("ours");
        let listed = v(&["ours-old", "ours-kept", "theirs"]);
        let wanted = v(&["ours-kept", "ours-new"]);
        assert_eq!(
            claim_changes(&listed, &wanted, false, ours),
            ClaimChanges {
                create: v(&["ours-new"]),
                delete: v(&["ours-old"]),
            },
            "an inviter's own claim stays while the relay has room"
        );
        assert_eq!(
            claim_changes(&listed, &wanted, true, ours),
            ClaimChanges {
                create: vec![],
                delete: listed.clone(),
            }
        );
        assert_eq!(
            claim_changes(&wanted, &wanted, false, ours),
            ClaimChanges::default()
        );
    }
}
