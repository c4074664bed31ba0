//! The configuration zooid gets for one relay: the same object is sent as JSON to zooid's
//! API and written as TOML in config-directory mode. zooid validates little and can crash
//! on a bad `schema` or an empty `info.pubkey`, so it is checked here before it leaves.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::domain::community::Policies;
use crate::domain::subdomain::is_valid_schema;

#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct ZooidConfig {
    pub host: String,
    pub schema: String,
    pub secret: String,
    pub inactive: bool,
    pub info: Info,
    pub policy: Policy,
    pub groups: Toggle,
    pub management: Toggle,
    pub push: Toggle,
    pub blossom: Blossom,
    pub livekit: Livekit,
    pub roles: BTreeMap<String, Role>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Info {
    pub name: String,
    pub icon: String,
    pub pubkey: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub public_join: bool,
    pub strip_signatures: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Toggle {
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blossom {
    pub enabled: bool,
    /// Only members may download (zooid versions without the key always require it).
    pub authenticated_read: bool,
}

/// Empty strings turn LiveKit off (zooid answers 404 on its LiveKit routes).
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Livekit {
    pub server_url: String,
    pub api_key: String,
    pub api_secret: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub pubkeys: Vec<String>,
    pub can_manage: bool,
    pub can_invite: bool,
}

impl fmt::Debug for ZooidConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZooidConfig")
            .field("host", &self.host)
            .field("schema", &self.schema)
            .field("secret", &"**redacted**")
            .field("inactive", &self.inactive)
            .field("info", &self.info)
            .field("blossom", &self.blossom.enabled)
            .field("roles", &self.roles)
            .field("livekit", &self.livekit)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Livekit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Livekit")
            .field("server_url", &self.server_url)
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

/// What the database says a relay should be; see [`super::store::Desired`].
pub struct Inputs<'a> {
    pub subdomain: &'a str,
    pub relay_domain: &'a str,
    pub schema: &'a str,
    pub secret_hex: &'a str,
    pub inactive: bool,
    pub name: &'a str,
    pub icon: &'a str,
    pub description: &'a str,
    pub tenant: &'a str,
    /// The owner's switches, within what the plan includes.
    pub policies: Policies,
    /// `Some` when the relay gets LiveKit (plan and switch) and the platform has it configured.
    pub livekit: Option<Livekit>,
    /// Co-admins (`can_manage`) besides the owner, and inviters.
    pub admins: Vec<String>,
    pub inviters: Vec<String>,
    /// At the plan's member limit: no public join and no invites until it drops below.
    pub full: bool,
}

/// zooid's roles: `admin` (the owner first, then co-admins), `inviter`, and `member`, whose
/// flags apply to everyone. A full relay invites nobody (the owner still can: zooid lets
/// its owner do everything).
fn roles(i: &Inputs<'_>) -> BTreeMap<String, Role> {
    let invite = !i.full;
    let mut admins = vec![i.tenant.to_string()];
    admins.extend(i.admins.iter().filter(|p| *p != i.tenant).cloned());
    let mut roles = BTreeMap::from([
        (
            "admin".to_string(),
            Role {
                pubkeys: admins,
                can_manage: true,
                can_invite: invite,
            },
        ),
        (
            "member".to_string(),
            Role {
                pubkeys: Vec::new(),
                can_manage: false,
                can_invite: invite && i.policies.members_may_invite,
            },
        ),
    ]);
    if !i.inviters.is_empty() {
        roles.insert(
            "inviter".to_string(),
            Role {
                pubkeys: i.inviters.clone(),
                can_manage: false,
                can_invite: invite,
            },
        );
    }
    roles
}

impl ZooidConfig {
    pub fn build(i: Inputs<'_>) -> Result<Self, String> {
        let roles = roles(&i);
        let config = Self {
            host: format!("{}.{}", i.subdomain, i.relay_domain).to_ascii_lowercase(),
            schema: i.schema.to_string(),
            secret: i.secret_hex.to_string(),
            inactive: i.inactive,
            info: Info {
                name: i.name.to_string(),
                icon: i.icon.to_string(),
                pubkey: i.tenant.to_string(),
                description: i.description.to_string(),
            },
            policy: Policy {
                public_join: i.policies.public_join && !i.full,
                strip_signatures: i.policies.strip_signatures,
            },
            groups: Toggle {
                enabled: i.policies.groups,
            },
            // Always on: the platform manages members and moderation through NIP-86.
            management: Toggle { enabled: true },
            push: Toggle {
                enabled: i.policies.push,
            },
            blossom: Blossom {
                enabled: i.policies.blossom,
                authenticated_read: i.policies.blossom_members_read,
            },
            livekit: i.livekit.unwrap_or_default(),
            roles,
        };
        config.check()?;
        Ok(config)
    }

    /// Refuses what would crash or corrupt zooid, so it never leaves the platform.
    fn check(&self) -> Result<(), String> {
        let hex64 = |s: &str| {
            s.len() == 64
                && s.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        };
        if !is_valid_schema(&self.schema) {
            return Err(format!(
                "refusing to send schema {:?}: not a safe SQL identifier",
                self.schema
            ));
        }
        if !hex64(&self.secret) {
            return Err("refusing to send a relay secret that is not 64 hex characters".into());
        }
        if !hex64(&self.info.pubkey) {
            return Err(format!(
                "refusing to send owner pubkey {:?}: not 64 hex characters",
                self.info.pubkey
            ));
        }
        if self.host.is_empty() || self.host.contains(char::is_whitespace) {
            return Err(format!("refusing to send host {:?}", self.host));
        }
        Ok(())
    }

    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn to_toml(&self) -> Result<String, String> {
        toml::to_string(self).map_err(|e| format!("encoding TOML: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs<'a>(schema: &'a str, tenant: &'a str) -> Inputs<'a> {
        Inputs {
            subdomain: "my-relay",
            relay_domain: "Relays.Example.com",
            schema,
            secret_hex: "11".repeat(32).leak(),
            inactive: false,
            name: "My relay",
            icon: "",
            description: "",
            tenant,
            policies: Policies {
                public_join: false,
                members_may_invite: false,
                groups: true,
                push: false,
                blossom: false,
                blossom_members_read: true,
                livekit: false,
                strip_signatures: false,
            },
            livekit: None,
            admins: Vec::new(),
            inviters: Vec::new(),
            full: false,
        }
    }

    #[test]
    fn a_valid_relay_maps_to_a_lower_case_host_and_its_owner_as_admin() {
        let owner = "ab".repeat(32);
        let config = ZooidConfig::build(inputs("my_relay", &owner)).unwrap();
        assert_eq!(config.host, "my-relay.relays.example.com");
        assert_eq!(config.roles["admin"].pubkeys, vec![owner.clone()]);
        assert_eq!(config.info.pubkey, owner);
        assert_eq!(config.livekit, Livekit::default());
        let toml: toml::Value = toml::from_str(&config.to_toml().unwrap()).unwrap();
        assert_eq!(toml["schema"].as_str(), Some("my_relay"));
    }

    #[test]
    fn co_admins_and_inviters_get_their_rights_and_a_full_relay_invites_nobody() {
        let owner = "ab".repeat(32);
        let mut i = inputs("ok", &owner);
        i.admins = vec!["cd".repeat(32)];
        i.inviters = vec!["ef".repeat(32)];
        i.policies.public_join = true;
        i.policies.members_may_invite = true;
        let open = ZooidConfig::build(i).unwrap();
        assert_eq!(
            open.roles["admin"].pubkeys,
            vec![owner.clone(), "cd".repeat(32)]
        );
        assert!(open.roles["admin"].can_manage && open.roles["admin"].can_invite);
        assert!(open.roles["inviter"].can_invite && !open.roles["inviter"].can_manage);
        assert!(open.roles["member"].can_invite && !open.roles["member"].can_manage);
        assert!(open.policy.public_join);

        let mut i = inputs("ok", &owner);
        i.inviters = vec!["ef".repeat(32)];
        i.policies.public_join = true;
        i.policies.members_may_invite = true;
        i.full = true;
        let full = ZooidConfig::build(i).unwrap();
        assert!(!full.policy.public_join);
        assert!(full.roles.values().all(|r| !r.can_invite));
        assert!(full.roles["admin"].can_manage, "co-admins still manage");
    }

    #[test]
    fn what_would_crash_zooid_never_leaves() {
        let owner = "ab".repeat(32);
        for schema in ["my-relay", "1relay", "my__relay", "relay_", "", "Relay"] {
            assert!(
                ZooidConfig::build(inputs(schema, &owner)).is_err(),
                "{schema:?}"
            );
        }
        assert!(
            ZooidConfig::build(inputs("ok", "")).is_err(),
            "an empty owner crashes zooid"
        );
        assert!(ZooidConfig::build(inputs("ok", "xyz")).is_err());
    }

    #[test]
    fn debug_output_hides_the_secrets() {
        let mut i = inputs("ok", "ab".repeat(32).leak());
        i.livekit = Some(Livekit {
            server_url: "wss://lk".into(),
            api_key: "key".into(),
            api_secret: "lk-secret".into(),
        });
        let shown = format!("{:?}", ZooidConfig::build(i).unwrap());
        assert!(!shown.contains(&"11".repeat(32)) && !shown.contains("lk-secret"));
    }
}
