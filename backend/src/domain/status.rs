//! Every status the platform stores or shows, as a closed set. Each enum is the database
//! column's type (`TEXT`, checked by the schema), the JSON value, and an OpenAPI enum, so the
//! dashboard's generated types are unions rather than `string`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! status_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, sqlx::Type)]
        #[serde(rename_all = "kebab-case")]
        #[sqlx(rename_all = "kebab-case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            /// The values, for a message such as "status is one of …".
            pub fn names() -> String {
                Self::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::status::UnknownStatus;
            fn from_str(s: &str) -> Result<Self, $crate::domain::status::UnknownStatus> {
                match s {
                    $($text => Ok(Self::$variant),)+
                    _ => Err($crate::domain::status::UnknownStatus),
                }
            }
        }
    };
}

pub(crate) use status_enum;

/// A text that names no value of the status it was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownStatus;

status_enum! {
    /// Where a relay stands. Only [`crate::lifecycle::relay`] moves it.
    RelayStatus {
        /// Created, not yet served by zooid.
        Pending = "pending",
        Active = "active",
        /// Turned off for an unpaid invoice; payment brings it back.
        Suspended = "suspended",
        /// Turned off by its owner, an admin, or the account's deactivation.
        Inactive = "inactive",
    }
}

impl RelayStatus {
    /// Running relays are billed and served; the others are kept with `inactive = true`.
    pub fn is_running(self) -> bool {
        matches!(self, Self::Pending | Self::Active)
    }

    /// Where a relay goes when it is turned back on: `active` if zooid ever served it,
    /// else `pending` until its first successful sync.
    pub fn on_return(synced_version: i64) -> Self {
        if synced_version > 0 {
            Self::Active
        } else {
            Self::Pending
        }
    }
}

status_enum! {
    /// Who turned an inactive relay off.
    InactiveReason {
        Owner = "owner",
        Admin = "admin",
        /// The whole account was deactivated.
        Tenant = "tenant",
    }
}

status_enum! {
    /// Whether zooid serves a relay's latest configuration (derived from its versions).
    SyncState {
        Synced = "synced",
        /// A change is on its way.
        Pending = "pending",
        /// Retrying after an error.
        Failing = "failing",
    }
}

impl SyncState {
    pub fn of(synced_version: i64, desired_version: i64, has_error: bool) -> Self {
        if synced_version >= desired_version {
            Self::Synced
        } else if has_error {
            Self::Failing
        } else {
            Self::Pending
        }
    }
}

status_enum! {
    /// Where an invoice stands. Only [`crate::lifecycle::invoice`] moves it.
    InvoiceStatus {
        Open = "open",
        Paid = "paid",
        /// No longer owed.
        Void = "void",
    }
}

status_enum! {
    /// Whether an account is in use.
    TenantStatus {
        Active = "active",
        Inactive = "inactive",
    }
}

status_enum! {
    /// Where a platform message stands, as admins see it.
    MessageState {
        Pending = "pending",
        Sent = "sent",
        /// Still pending after a failed delivery attempt.
        Failing = "failing",
    }
}

status_enum! {
    /// Whether a zooid node takes relays, as admins set it. Only [`crate::lifecycle::node`]
    /// changes it.
    NodeState {
        /// Serves its relays and takes new ones.
        Active = "active",
        /// Serves its relays, takes no new ones: relays leave it by moves.
        Draining = "draining",
        /// Out of service: takes nothing, and nothing is sent to it.
        Down = "down",
    }
}

impl NodeState {
    /// Whether new relays (and moves) may be placed on it.
    pub const fn accepts(self) -> bool {
        matches!(self, Self::Active)
    }
}

status_enum! {
    /// The step a relay's move between nodes is at; each step is idempotent, so a crash
    /// repeats the step it was in.
    MoveStep {
        /// Writing the relay's configuration, inactive, on the target node.
        Preparing = "preparing",
        /// Turning the relay off on the source, then routing it to the target.
        Switching = "switching",
        /// Served by the target; deleting its configuration from the source.
        Retiring = "retiring",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_for_every_value() {
        for s in RelayStatus::ALL {
            assert_eq!(s.as_str().parse::<RelayStatus>(), Ok(*s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for s in InvoiceStatus::ALL {
            assert_eq!(s.as_str().parse::<InvoiceStatus>(), Ok(*s));
        }
        assert!("Active".parse::<TenantStatus>().is_err());
    }

    #[test]
    fn a_relay_returns_active_only_if_it_was_ever_served() {
        assert_eq!(RelayStatus::on_return(0), RelayStatus::Pending);
        assert_eq!(RelayStatus::on_return(3), RelayStatus::Active);
    }
}
