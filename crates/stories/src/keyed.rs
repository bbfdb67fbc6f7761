//! Maps keyed by term hashes and story ids: both are already well-mixed 64-bit numbers, so
//! hashing them again (SipHash, the default) only costs time — most of placing a report.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map from an already-hashed `u64`.
pub(crate) type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// One multiplication of a `u64` key: enough to spread small keys (a replay's story numbers)
/// over the high bits hashbrown reads.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are used; any other input is folded in byte by byte.
        for &byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(byte)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}
