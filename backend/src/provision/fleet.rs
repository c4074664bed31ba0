//! The fleet as the workers reach it: one [`Target`] per node, built from the node's row
//! (its API URL and key, or the settings' config directory) and kept while the row's
//! address and key stay the same.

use std::collections::HashMap;
use std::sync::Arc;

use nostr_sdk::{Keys, SecretKey};
use parking_lot::Mutex;

use super::api_target::ZooidApi;
use super::{Failure, Target};
use crate::config::Settings;
use crate::db::relay_sync::NodeRef;
use crate::vault::{Vault, node_secret_context};

/// What a cached target was built from.
type Built = (Option<String>, Option<Vec<u8>>);

pub struct Fleet {
    settings: Arc<Settings>,
    vault: Vault,
    /// The settings' directory target, for the (one) node without an API URL; made on first use.
    directory: Mutex<Option<Arc<Target>>>,
    targets: Mutex<HashMap<String, (Built, Arc<Target>)>>,
}

impl Fleet {
    /// When the settings' node is the config directory, it is prepared now (created, its
    /// stale staging files removed), so a problem with it stops the start-up.
    pub fn new(settings: Arc<Settings>, vault: Vault) -> anyhow::Result<Self> {
        let fleet = Self {
            settings,
            vault,
            directory: Mutex::default(),
            targets: Mutex::default(),
        };
        if fleet.settings.zooid.api_url.is_none() {
            fleet.directory().map_err(|e| anyhow::anyhow!(e.message))?;
        }
        Ok(fleet)
    }

    fn directory(&self) -> Result<Arc<Target>, Failure> {
        let mut directory = self.directory.lock();
        if let Some(target) = &*directory {
            return Ok(target.clone());
        }
        let z = &self.settings.zooid;
        let dir = super::dir_target::ConfigDir::new(&z.config_dir, z.config_gid)
            .map_err(|e| Failure::node(format!("zooid config directory: {e:#}")))?;
        let target = Arc::new(Target::Dir(dir));
        *directory = Some(target.clone());
        Ok(target)
    }

    /// The target for `node`, built on first use and again when its address or key changed.
    pub fn target(&self, node: &NodeRef) -> Result<Arc<Target>, Failure> {
        let Some(url) = &node.api_url else {
            return self.directory();
        };
        // Every sync asks: compare in place, copy only when (re)building.
        if let Some(((was_url, was_secret), target)) = self.targets.lock().get(&node.id)
            && *was_url == node.api_url
            && *was_secret == node.secret_enc
        {
            return Ok(target.clone());
        }
        let keys = self.keys(node)?;
        let url = url::Url::parse(url)
            .map_err(|e| Failure::relay(format!("node {}: API URL {url:?}: {e}", node.id)))?;
        let api = ZooidApi::new(&url, keys, self.settings.sync.timeout)
            .map_err(|e| Failure::relay(format!("node {}: {e}", node.id)))?;
        let target = Arc::new(Target::Api(api));
        let built: Built = (node.api_url.clone(), node.secret_enc.clone());
        self.targets
            .lock()
            .insert(node.id.clone(), (built, target.clone()));
        Ok(target)
    }

    /// The node's own key, or the shared `ZOOID_API_SECRET`.
    fn keys(&self, node: &NodeRef) -> Result<Keys, Failure> {
        let Some(sealed) = &node.secret_enc else {
            return self.settings.zooid.api_keys().ok_or_else(|| {
                Failure::relay(format!(
                    "node {} has no API key of its own and ZOOID_API_SECRET is not set",
                    node.id
                ))
            });
        };
        let unsealed = self
            .vault
            .open_sealed(&node_secret_context(&node.id), sealed)
            .map_err(|_| {
                Failure::relay(format!(
                    "node {}'s API key does not decrypt under the platform key",
                    node.id
                ))
            })?;
        let hex = String::from_utf8(unsealed)
            .map_err(|_| Failure::relay(format!("node {}'s API key is corrupt", node.id)))?;
        SecretKey::parse(&hex)
            .map(Keys::new)
            .map_err(|_| Failure::relay(format!("node {}'s API key is corrupt", node.id)))
    }
}
