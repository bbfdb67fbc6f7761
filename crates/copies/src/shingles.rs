//! A body's word shingles, as a sorted set of hashes.

use xxhash_rust::xxh3::xxh3_64;

use crate::Settings;

/// The distinct shingles of one body, hashed and sorted, and how many words it has.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shingles {
    hashes: Vec<u64>,
    words: usize,
}

impl Shingles {
    /// The shingles of `text`: every run of `settings.shingle` consecutive words, each word
    /// lower-cased, so that case, punctuation, whitespace and line breaks change nothing.
    ///
    /// A shingle's hash is xxh3 of its words' bytes, each word followed by a 0 byte (so that
    /// "ab c" and "a bc" differ). The index stores these hashes (`copy_band` keys): a change
    /// here is a format change.
    pub fn of(text: &str, settings: &Settings) -> Shingles {
        // Every word lower-cased, with its 0 byte, in one buffer: a shingle's bytes are one
        // slice of it, hashed in one call, where a `String` per word and a streaming hasher per
        // shingle cost most of shingling.
        let mut lowered: Vec<u8> = Vec::with_capacity(text.len() + text.len() / 4);
        let mut starts: Vec<usize> = Vec::new();
        for range in dateline_schema::words::words(text) {
            starts.push(lowered.len());
            let word = &text[range];
            if word.is_ascii() {
                lowered.extend(word.bytes().map(|b| b.to_ascii_lowercase()));
            } else {
                // Not char by char: a Greek final sigma lower-cases by its place in the word.
                lowered.extend_from_slice(word.to_lowercase().as_bytes());
            }
            lowered.push(0);
        }
        let words = starts.len();
        starts.push(lowered.len());
        let shingle = |first: usize, end: usize| xxh3_64(&lowered[starts[first]..starts[end]]);
        let size = settings.shingle.max(1);
        let mut hashes: Vec<u64> = if words < size {
            // A body shorter than a shingle is one shingle, so it still has a set.
            if words == 0 { Vec::new() } else { vec![shingle(0, words)] }
        } else {
            (0..=words - size).map(|first| shingle(first, first + size)).collect()
        };
        hashes.sort_unstable();
        hashes.dedup();
        Shingles { hashes, words }
    }

    /// The shingle hashes, sorted, each once.
    pub fn hashes(&self) -> &[u64] {
        &self.hashes
    }

    /// Words in the body.
    pub fn words(&self) -> usize {
        self.words
    }

    /// Whether the body is long enough to be fingerprinted ([`Settings::min_words`]).
    pub fn fingerprinted(&self, settings: &Settings) -> bool {
        self.words >= settings.min_words
    }

    /// The share of the smaller set's shingles that the larger holds, in `0.0..=1.0`; 0 when
    /// either is empty.
    pub fn containment(&self, other: &Shingles) -> f64 {
        containment(&self.hashes, &other.hashes)
    }
}

/// The share of the smaller sorted set's values that the larger holds; 0 when either is
/// empty.
pub(crate) fn containment<T: Ord>(a: &[T], b: &[T]) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < small.len() && j < large.len() {
        match small[i].cmp(&large[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared as f64 / small.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Settings = Settings::DEFAULT;

    #[test]
    fn case_punctuation_and_spacing_change_nothing() {
        let a = Shingles::of("Beijing and Washington agreed, on Tuesday, to resume talks.", &S);
        let b = Shingles::of("BEIJING and  Washington agreed on\nTuesday to resume talks", &S);
        assert_eq!(a, b);
        assert_eq!(a.words(), 9);
        assert_eq!(a.hashes().len(), 6);
    }

    #[test]
    fn containment_is_of_the_smaller_set() {
        let long = Shingles::of("one two three four five six seven eight nine ten eleven", &S);
        let head = Shingles::of("one two three four five six", &S);
        assert_eq!(head.containment(&long), 1.0);
        assert_eq!(long.containment(&head), 1.0);
        let other = Shingles::of("nine ten eleven twelve thirteen fourteen", &S);
        assert!(other.containment(&long) < 0.5);
        assert_eq!(Shingles::of("", &S).containment(&long), 0.0);
    }

    #[test]
    fn chinese_is_shingled_by_words() {
        let text = "中国和美国同意恢复禁毒合作。双方在北京举行会谈。";
        let shingles = Shingles::of(text, &S);
        assert!(shingles.words() > 8, "{}", shingles.words());
    }
}
