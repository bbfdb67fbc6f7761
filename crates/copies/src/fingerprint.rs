//! A MinHash signature of a body's shingles, and its LSH band keys.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::{Settings, Shingles};

/// A body's MinHash signature: for each of [`Settings::signature_len`] hash functions, the
/// least value over its shingles. Two bodies agree on a value with probability equal to
/// their Jaccard similarity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    signature: Vec<u32>,
    shingles: usize,
}

impl Fingerprint {
    /// The fingerprint of `shingles`, or `None` when the body is too short
    /// ([`Settings::min_words`]).
    pub fn of(shingles: &Shingles, settings: &Settings) -> Option<Fingerprint> {
        if !shingles.fingerprinted(settings) || shingles.hashes().is_empty() {
            return None;
        }
        let functions = functions(settings.signature_len());
        let mut signature = vec![u32::MAX; functions.len()];
        // The shingle hashes are already uniform (xxh3): one multiply-add per function,
        // keeping the high half, makes the family; it vectorises, so fingerprinting costs
        // little next to splitting the words.
        for &hash in shingles.hashes() {
            for (least, &(a, b)) in signature.iter_mut().zip(&functions) {
                let value = (hash.wrapping_mul(a).wrapping_add(b) >> 32) as u32;
                *least = (*least).min(value);
            }
        }
        Some(Fingerprint { signature, shingles: shingles.hashes().len() })
    }

    /// The band keys: one per band, a hash of the band's index and its rows. Two bodies
    /// whose Jaccard similarity is `j` share at least one with probability
    /// `1 - (1 - j^rows)^bands`.
    pub fn bands(&self, settings: &Settings) -> Vec<u64> {
        self.signature
            .chunks(settings.rows.max(1))
            .enumerate()
            .map(|(band, rows)| {
                let mut bytes = Vec::with_capacity(rows.len() * 4);
                for row in rows {
                    bytes.extend_from_slice(&row.to_le_bytes());
                }
                xxh3_64_with_seed(&bytes, band as u64)
            })
            .collect()
    }

    /// Containment estimated from the two signatures and the sizes of the two shingle sets:
    /// the Jaccard estimate `j` gives the shared shingles as `j (|A| + |B|) / (1 + j)`.
    /// Used where the bodies are not at hand (reports of the same run, not yet committed).
    pub fn estimated_containment(&self, other: &Fingerprint) -> f64 {
        let agree = self.signature.iter().zip(&other.signature).filter(|(a, b)| a == b).count();
        let jaccard = agree as f64 / self.signature.len().max(1) as f64;
        let (a, b) = (self.shingles as f64, other.shingles as f64);
        let shared = jaccard * (a + b) / (1.0 + jaccard);
        (shared / a.min(b)).min(1.0)
    }
}

/// The multipliers (odd) and offsets of the hash family, fixed forever: they define the
/// band keys stored in every index.
fn functions(n: usize) -> Vec<(u64, u64)> {
    let mut state = 0x6a09_e667_f3bc_c908_u64;
    let mut next = || {
        // splitmix64
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    (0..n).map(|_| (next() | 1, next())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Settings = Settings::DEFAULT;

    fn text(words: std::ops::Range<usize>) -> String {
        words.map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ")
    }

    fn print(text: &str) -> Option<Fingerprint> {
        Fingerprint::of(&Shingles::of(text, &S), &S)
    }

    #[test]
    fn short_bodies_have_no_fingerprint() {
        assert!(print(&text(0..19)).is_none());
        assert!(print("").is_none());
        let long = print(&text(0..20)).unwrap();
        assert_eq!(long.bands(&S).len(), S.bands);
    }

    #[test]
    fn the_same_text_has_the_same_bands() {
        let a = print(&text(0..300)).unwrap();
        let b = print(&text(0..300)).unwrap();
        assert_eq!(a.bands(&S), b.bands(&S));
        assert_eq!(a.estimated_containment(&b), 1.0);
    }

    #[test]
    fn a_trimmed_copy_is_estimated_contained_and_a_stranger_is_not() {
        let whole = print(&text(0..400)).unwrap();
        let trimmed = print(&text(0..200)).unwrap();
        let stranger = print(&text(1000..1400)).unwrap();
        let estimate = trimmed.estimated_containment(&whole);
        assert!(estimate > 0.75, "{estimate}");
        assert!(stranger.estimated_containment(&whole) < 0.1);
        let shared = |x: &Fingerprint| {
            let theirs = x.bands(&S);
            whole.bands(&S).iter().filter(|band| theirs.contains(band)).count()
        };
        assert!(shared(&trimmed) > 0);
        assert_eq!(shared(&stranger), 0);
    }
}
