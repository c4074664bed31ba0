//! Remembers every accepted NIP-98 signature until its event leaves the time window.
//!
//! Keyed on the signature, not the event id: two honest identical requests signed in the
//! same second share an id but never a signature (BIP-340 signing is randomised), while a
//! replayed header repeats the signature byte for byte.

use std::collections::HashMap;

use parking_lot::Mutex;

use super::nip98::WINDOW_SECS;

const SHARDS: usize = 32;
/// Inserts into one shard between sweeps of its expired entries.
const SWEEP_EVERY: u32 = 1024;

pub struct ReplayCache {
    shards: Vec<Mutex<Shard>>,
}

#[derive(Default)]
struct Shard {
    seen: HashMap<[u8; 64], i64>,
    inserts: u32,
}

impl Default for ReplayCache {
    fn default() -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
        }
    }
}

impl ReplayCache {
    /// Records `signature` as used; `false` if it was already used within the window.
    pub fn first_use(&self, signature: &[u8; 64], created_at: i64, now: i64) -> bool {
        // The event is acceptable until created_at + WINDOW_SECS by our clock; keep one second more.
        let expires = created_at + WINDOW_SECS + 1;
        let mut shard = self.shards[signature[0] as usize % SHARDS].lock();
        shard.inserts += 1;
        if shard.inserts >= SWEEP_EVERY {
            shard.inserts = 0;
            shard.seen.retain(|_, exp| *exp > now);
        }
        match shard.seen.get(signature) {
            Some(exp) if *exp > now => false,
            _ => {
                shard.seen.insert(*signature, expires);
                true
            }
        }
    }

    /// Gives back a signature claimed by [`Self::first_use`] for a request that was refused
    /// after all (its body did not match), so the header can be sent again with the right body.
    pub fn forget(&self, signature: &[u8; 64]) {
        self.shards[signature[0] as usize % SHARDS]
            .lock()
            .seen
            .remove(signature);
    }

    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.lock().seen.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_is_accepted_once_within_the_window() {
        let cache = ReplayCache::default();
        let sig = [3u8; 64];
        assert!(cache.first_use(&sig, 1000, 1000));
        assert!(!cache.first_use(&sig, 1000, 1030));
        assert!(
            cache.first_use(&[4u8; 64], 1000, 1000),
            "another signature is another request"
        );
    }

    #[test]
    fn expired_entries_are_swept() {
        let cache = ReplayCache::default();
        for i in 0..(SWEEP_EVERY as usize * SHARDS) {
            let mut sig = [0u8; 64];
            sig[..8].copy_from_slice(&(i as u64).to_le_bytes());
            cache.first_use(&sig, 0, 0);
        }
        let before = cache.len();
        for i in 0..(SWEEP_EVERY as usize * SHARDS) {
            let mut sig = [1u8; 64];
            sig[..8].copy_from_slice(&(i as u64).to_le_bytes());
            cache.first_use(&sig, 10_000, 10_000);
        }
        assert!(cache.len() < before * 2, "old entries were swept");
    }
}
