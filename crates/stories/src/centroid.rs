//! A story as the sum of its reports' vectors, and the days it spans.

use crate::Features;
use crate::keyed::KeyMap;

/// The most words and names a centroid keeps: when it grows past twice this, its weakest
/// terms go, so a story of thousands of reports costs no more than one of fifty.
const KEEP: usize = 200;

/// The centroid of a story's reports.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Centroid {
    words: Sum,
    names: Sum,
    title: Sum,
    members: u32,
    span: Option<(i32, i32)>,
}

impl Centroid {
    /// A centroid of no reports.
    pub fn new() -> Centroid {
        Centroid::default()
    }

    /// Adds a report's vectors and its day (days since the Unix epoch, `None` if undated).
    pub fn add(&mut self, features: &Features, day: Option<i32>) {
        self.words.add(&features.words);
        self.names.add(&features.names);
        self.title.add(&features.title);
        self.members += 1;
        if let Some(day) = day {
            self.span = Some(match self.span {
                Some((first, last)) => (first.min(day), last.max(day)),
                None => (day, day),
            });
        }
    }

    /// How many reports it is the centroid of.
    pub fn members(&self) -> u32 {
        self.members
    }

    /// The first and last day of its dated reports.
    pub fn span(&self) -> Option<(i32, i32)> {
        self.span
    }

    /// Whether any of `keys` is among the words this centroid keeps.
    pub fn holds_any_word(&self, keys: &[u64]) -> bool {
        keys.iter().any(|key| self.words.weights.contains_key(key))
    }

    /// The cosines of a report's word, name and headline vectors with this centroid's.
    pub fn cosines(&self, features: &Features) -> Cosines {
        Cosines {
            words: self.words.cosine(&features.words),
            names: self.names.cosine(&features.names),
            title: self.title.cosine(&features.title),
        }
    }
}

/// How alike a report and a story are, one cosine per kind of term.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cosines {
    /// Of the words (headline and body).
    pub words: f32,
    /// Of the names.
    pub names: f32,
    /// Of the headlines' words.
    pub title: f32,
}

/// A sum of unit vectors, and its squared length kept as it grows.
#[derive(Clone, Debug, Default, PartialEq)]
struct Sum {
    weights: KeyMap<f32>,
    squared: f32,
}

impl Sum {
    fn add(&mut self, vector: &[(u64, f32)]) {
        for &(key, weight) in vector {
            let sum = self.weights.entry(key).or_default();
            self.squared += 2.0 * *sum * weight + weight * weight;
            *sum += weight;
        }
        if self.weights.len() > 2 * KEEP {
            let mut weights: Vec<f32> = self.weights.values().copied().collect();
            weights.sort_by(|a, b| b.total_cmp(a));
            let floor = weights[KEEP];
            self.weights.retain(|_, w| *w > floor);
            self.squared = self.weights.values().map(|w| w * w).sum();
        }
    }

    /// The cosine of this sum with a unit vector.
    fn cosine(&self, vector: &[(u64, f32)]) -> f32 {
        if self.squared <= 0.0 || vector.is_empty() {
            return 0.0;
        }
        let dot: f32 =
            vector.iter().filter_map(|(key, w)| self.weights.get(key).map(|s| s * w)).sum();
        dot / self.squared.sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(words: &[(u64, f32)]) -> Features {
        Features { words: words.to_vec(), ..Features::default() }
    }

    #[test]
    fn a_report_is_closest_to_the_centroid_it_resembles() {
        let mut centroid = Centroid::new();
        centroid.add(&features(&[(1, 0.8), (2, 0.6)]), Some(10));
        centroid.add(&features(&[(1, 0.6), (3, 0.8)]), Some(12));
        let alike = centroid.cosines(&features(&[(1, 1.0)])).words;
        let unlike = centroid.cosines(&features(&[(4, 1.0)])).words;
        assert!(alike > 0.8 && unlike == 0.0, "{alike} {unlike}");
        assert_eq!(centroid.span(), Some((10, 12)));
        assert_eq!(centroid.members(), 2);
    }

    /// Two reactions to the October 1987 crash (Reuters-21578), from Tokyo and Washington:
    /// their bodies tell different places, their headlines the same stance; a seamen's strike
    /// of the same corpus shares neither.
    #[test]
    fn a_shared_headline_counts_apart_from_the_body() {
        let (tokyo, seamen, washington) = crate::test_reports::crash_and_strike();
        let (mut crash, mut strike) = (Centroid::new(), Centroid::new());
        crash.add(&tokyo, Some(0));
        strike.add(&seamen, Some(0));
        let same = crash.cosines(&washington);
        assert!(same.title > 0.5 && same.title > 1.5 * same.words, "{same:?}");
        assert_eq!(strike.cosines(&washington), Cosines::default());
    }
}
