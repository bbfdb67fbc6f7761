//! A body's sketch: the shingles an index looks up (its keys) and a sample to estimate
//! containment from, both chosen by the shingle's hash alone ("mod sampling").
//!
//! Choosing by hash alone, rather than by rank within the body as MinHash does, is what makes
//! the sketch follow containment: when a short reprint's shingles are all in a long original,
//! every shingle the reprint keeps is kept by the original too, however much longer it is.
//! A MinHash band, in contrast, is shared with a probability that falls with the Jaccard
//! similarity, which is small when one body is a fifth of the other: with 32 bands of 3 rows,
//! a reprint of the first two paragraphs of bundled report 000 (containment 0.88, Jaccard
//! about 0.17) shared no band with it.

use crate::{Settings, Shingles};

/// What an index keeps of a body to find its copies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sketch {
    keys: Vec<u64>,
    sample: Sample,
}

/// The part of a sketch containment is estimated from: what a holder of many sketches whose
/// keys it has indexed apart needs to keep of each ([`Sketch::into_parts`]), in as few bytes
/// as its values take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample(Box<[u32]>);

impl Sample {
    /// Containment estimated from two samples: the share of the smaller found in the larger.
    pub fn estimated_containment(&self, other: &Sample) -> f64 {
        crate::shingles::containment(&self.0, &other.0)
    }
}

impl Sketch {
    /// The sketch of `shingles`, or `None` when the body is too short
    /// ([`Settings::min_words`]) or keeps no key.
    pub fn of(shingles: &Shingles, settings: &Settings) -> Option<Sketch> {
        if !shingles.fingerprinted(settings) {
            return None;
        }
        let keys: Vec<u64> = shingles
            .hashes()
            .iter()
            .copied()
            .filter(|h| h.is_multiple_of(settings.key_rate))
            .collect();
        if keys.is_empty() {
            return None;
        }
        // The high half of the hash: the low bits chose the sample, so they are all alike.
        let mut sample: Vec<u32> = shingles
            .hashes()
            .iter()
            .filter(|h| h.is_multiple_of(settings.sample_rate))
            .map(|h| (h >> 32) as u32)
            .collect();
        sample.sort_unstable();
        sample.dedup();
        Some(Sketch { keys, sample: Sample(sample.into_boxed_slice()) })
    }

    /// The keys to store and look up: the shingle hashes divisible by
    /// [`Settings::key_rate`]. Two bodies are candidates when they share one.
    pub fn keys(&self) -> &[u64] {
        &self.keys
    }

    /// Containment estimated from the two samples: the share of the smaller sample found in
    /// the larger. Used where the bodies are not at hand (reports of the same run, not yet
    /// committed).
    pub fn estimated_containment(&self, other: &Sketch) -> f64 {
        self.sample.estimated_containment(&other.sample)
    }

    /// Its keys and its sample, apart.
    pub fn into_parts(self) -> (Vec<u64>, Sample) {
        (self.keys, self.sample)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Settings = Settings::DEFAULT;

    fn text(words: std::ops::Range<usize>) -> String {
        words.map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ")
    }

    fn sketch(text: &str) -> Option<Sketch> {
        Sketch::of(&Shingles::of(text, &S), &S)
    }

    #[test]
    fn short_bodies_have_no_sketch() {
        assert!(sketch(&text(0..19)).is_none());
        assert!(sketch("").is_none());
        assert!(!sketch(&text(0..200)).unwrap().keys().is_empty());
    }

    #[test]
    fn the_same_text_has_the_same_sketch() {
        let a = sketch(&text(0..300)).unwrap();
        assert_eq!(Some(&a), sketch(&text(0..300)).as_ref());
        assert_eq!(a.estimated_containment(&a), 1.0);
    }

    #[test]
    fn a_short_excerpt_keeps_only_keys_of_its_original() {
        let whole = sketch(&text(0..2000)).unwrap();
        let excerpt = sketch(&text(700..900)).unwrap();
        let stranger = sketch(&text(5000..5400)).unwrap();
        assert!(excerpt.keys().iter().all(|key| whole.keys().contains(key)));
        assert_eq!(excerpt.estimated_containment(&whole), 1.0);
        assert!(stranger.keys().iter().all(|key| !whole.keys().contains(key)));
        assert!(stranger.estimated_containment(&whole) < 0.05);
    }
}
