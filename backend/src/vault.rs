//! Encryption of secrets at rest (relay keys, tenants' wallet URLs) under the platform key.
//! The key lives outside the database, so a leaked database file alone reveals none of them.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;

const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const KEY_FILE: &str = "platform.key";

/// XChaCha20-Poly1305 with a random nonce per value. Each value is bound to a context
/// string (such as `relay-secret:<id>`), so a ciphertext copied to another row does not decrypt.
#[derive(Clone)]
pub struct Vault {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(**redacted**)")
    }
}

impl Vault {
    pub fn new(key: &[u8; 32]) -> Self {
        Self {
            cipher: XChaCha20Poly1305::new(key.into()),
        }
    }

    /// The configured key, or the one kept in `data_dir`, created (mode 0600) on first start.
    pub fn open(configured: Option<&[u8; 32]>, data_dir: &Path) -> anyhow::Result<Self> {
        if let Some(key) = configured {
            return Ok(Self::new(key));
        }
        let path = data_dir.join(KEY_FILE);
        let key = match std::fs::read_to_string(&path) {
            Ok(text) => {
                let mut key = [0u8; 32];
                hex::decode_to_slice(text.trim(), &mut key).with_context(|| {
                    format!(
                        "{} is not 64 hex characters; restore it from a backup or set PLATFORM_KEY",
                        path.display()
                    )
                })?;
                key
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create_key_file(&path)?,
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        Ok(Self::new(&key))
    }

    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    pub fn open_sealed(&self, context: &str, sealed: &[u8]) -> anyhow::Result<Vec<u8>> {
        if sealed.len() < 1 + NONCE_LEN || sealed[0] != VERSION {
            bail!("sealed value for {context} has an unknown format");
        }
        let (nonce, body) = sealed[1..].split_at(NONCE_LEN);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| {
                anyhow::anyhow!(
                    "sealed value for {context} does not decrypt under the platform key"
                )
            })
    }
}

/// The context a relay's sealed secret key is bound to.
pub fn relay_secret_context(relay_id: &str) -> String {
    format!("relay-secret:{relay_id}")
}

/// The context a zooid node's sealed management key is bound to.
pub fn node_secret_context(node_id: &str) -> String {
    format!("node-secret:{node_id}")
}

/// The context a tenant's sealed wallet-connection URL is bound to.
pub fn tenant_nwc_context(pubkey: &str) -> String {
    format!("tenant-nwc:{pubkey}")
}

fn create_key_file(path: &Path) -> anyhow::Result<[u8; 32]> {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(hex::encode(key).as_bytes())?;
    file.sync_all()?;
    tracing::info!(path = %path.display(), "generated a new platform key; back it up with the database");
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_in_its_own_context() {
        let vault = Vault::new(&[7u8; 32]);
        let sealed = vault.seal("relay-secret:a", b"hello");
        assert_eq!(
            vault.open_sealed("relay-secret:a", &sealed).unwrap(),
            b"hello"
        );
        assert!(vault.open_sealed("relay-secret:b", &sealed).is_err());
        assert!(
            Vault::new(&[8u8; 32])
                .open_sealed("relay-secret:a", &sealed)
                .is_err()
        );
    }

    #[test]
    fn the_key_file_is_created_once_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let first = Vault::open(None, dir.path()).unwrap();
        let sealed = first.seal("x", b"secret");
        let second = Vault::open(None, dir.path()).unwrap();
        assert_eq!(second.open_sealed("x", &sealed).unwrap(), b"secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
