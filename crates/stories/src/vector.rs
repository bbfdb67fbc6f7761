//! Terms as weighted, normalised sparse vectors.

use crate::Terms;
use crate::keyed::KeyMap;
use crate::terms::TermCounts;

/// The most words and names a report's vector keeps: its strongest, by weight.
const MAX_WORDS: usize = 100;
const MAX_NAMES: usize = 30;

/// A report's words and names as unit-length tf-idf vectors: `(term key, weight)`, sorted by
/// weight, strongest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Features {
    /// The words' vector.
    pub words: Vec<(u64, f32)>,
    /// The names' vector.
    pub names: Vec<(u64, f32)>,
    /// The headline's words' vector, weighed as the body's words are.
    pub title: Vec<(u64, f32)>,
    /// The strongest words themselves, strongest first (for looking up candidate stories in
    /// an index).
    pub top_words: Vec<String>,
    /// What a report cast in a template is about: the keys of its headline's distinctive
    /// words (see `DISTINCT_RATIO` below) when its body has none, else empty.
    /// Earnings tables ("Shr 77 cts vs 84 cts / Net 17 mln vs 19 mln") share every word of
    /// their bodies, and differ only in the company their headline names.
    pub subject: Vec<u64>,
}

/// A word is distinctive when at most one report in this many holds it (a company, a
/// person, a place), as the document frequencies the weigher is given count them. Chosen on
/// the tuning half of the labelled stories (BENCHMARKS.md, "Stories"); below this many
/// reports no word is distinctive, so a small index is grouped by the cosines alone.
pub const DISTINCT_RATIO: f32 = 300.0;

/// Weighs terms by tf-idf: `(1 + ln tf) · (1 + ln((N + 1) / (df + 1)))`. Document
/// frequencies are those of the reports this weigher has seen plus what the caller adds for
/// each word (the index's, for the reports it held before).
#[derive(Debug, Default)]
pub struct Weigher {
    docs: u64,
    words: KeyMap<u32>,
    names: KeyMap<u32>,
}

impl Weigher {
    /// A weigher that has seen nothing.
    pub fn new() -> Weigher {
        Weigher::default()
    }

    /// Counts `terms` as one more report seen, then weighs them (see [`Weigher::features`]).
    pub fn weigh(
        &mut self,
        terms: &Terms,
        earlier_docs: u64,
        earlier_df: impl Fn(&str) -> u64,
    ) -> Features {
        // Each term's key is hashed once, for counting it and for weighing it.
        let (words, names) = (keyed(&terms.words), keyed(&terms.names));
        self.docs += 1;
        for &(key, _, _) in &words {
            *self.words.entry(key).or_default() += 1;
        }
        for &(key, _, _) in &names {
            *self.names.entry(key).or_default() += 1;
        }
        self.weighed(words, names, terms, earlier_docs, &earlier_df)
    }

    /// Weighs `terms` without counting them: `earlier_docs` is how many reports the
    /// caller's index holds, `earlier_df(word)` how many of them hold `word`.
    pub fn features(
        &self,
        terms: &Terms,
        earlier_docs: u64,
        earlier_df: impl Fn(&str) -> u64,
    ) -> Features {
        self.weighed(keyed(&terms.words), keyed(&terms.names), terms, earlier_docs, &earlier_df)
    }

    /// The features of `terms`, whose words and names are `words` and `names` with their keys.
    fn weighed<'t>(
        &self,
        words: Vec<(u64, u32, &'t str)>,
        names: Vec<(u64, u32, &'t str)>,
        terms: &'t Terms,
        earlier_docs: u64,
        earlier_df: &impl Fn(&str) -> u64,
    ) -> Features {
        let docs = self.docs + earlier_docs;
        let seen = |counts: &KeyMap<u32>, key| u64::from(counts.get(&key).copied().unwrap_or(0));
        let mut words = self.weigh_words(words, docs, earlier_df);
        let mut names: Vec<(u64, f32, &str)> = names
            .into_iter()
            .map(|(key, tf, name)| (key, weight(tf, seen(&self.names, key), self.docs), name))
            .collect();
        // A headline's words are weighed as the body's: one vocabulary, one document frequency.
        let title = self.weigh_words(keyed(&terms.title), docs, earlier_df);
        let subject = self.subject(terms, &title, docs, earlier_df);
        let top_words = strongest(&mut words, MAX_WORDS);
        strongest(&mut names, MAX_NAMES);
        Features {
            words: unit(&words),
            names: unit(&names),
            title: unit(&title),
            top_words: top_words.into_iter().take(12).map(str::to_string).collect(),
            subject,
        }
    }

    /// The keys of the headline's distinctive words (`title`, weighed) when the body holds
    /// no distinctive word of its own: see [`Features::subject`].
    fn subject(
        &self,
        terms: &Terms,
        title: &[(u64, f32, &str)],
        docs: u64,
        earlier_df: &impl Fn(&str) -> u64,
    ) -> Vec<u64> {
        let distinct = |word: &str| {
            let df = u64::from(self.words.get(&key(word)).copied().unwrap_or(0)) + earlier_df(word);
            (docs as f32 + 1.0) / (df as f32 + 1.0) >= DISTINCT_RATIO
        };
        // A word the body holds is counted more often in `words` than in `title`.
        let in_body = |word: &str, tf: u32| tf > terms.title.get(word).copied().unwrap_or(0);
        if terms.words.iter().any(|(word, &tf)| in_body(word, tf) && distinct(word)) {
            return Vec::new();
        }
        title.iter().filter(|t| distinct(t.2)).map(|t| t.0).collect()
    }

    /// Each of `words` with its key and tf-idf weight among `docs` reports.
    fn weigh_words<'t>(
        &self,
        words: Vec<(u64, u32, &'t str)>,
        docs: u64,
        earlier_df: &impl Fn(&str) -> u64,
    ) -> Vec<(u64, f32, &'t str)> {
        words
            .into_iter()
            .map(|(key, tf, word)| {
                let df = u64::from(self.words.get(&key).copied().unwrap_or(0)) + earlier_df(word);
                (key, weight(tf, df, docs), word)
            })
            .collect()
    }
}

/// Each of `counts`' terms with its key and count.
fn keyed(counts: &TermCounts) -> Vec<(u64, u32, &str)> {
    counts.iter().map(|(term, &tf)| (key(term), tf, term.as_str())).collect()
}

/// The key of a term: a 64-bit hash, so vectors hold no strings.
fn key(term: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(term.as_bytes())
}

fn weight(tf: u32, df: u64, docs: u64) -> f32 {
    let idf = 1.0 + ((docs as f32 + 1.0) / (df as f32 + 1.0)).ln();
    (1.0 + (tf as f32).ln()) * idf
}

/// Sorts by weight (ties by key, so the order never depends on a hash map's), keeps `max`,
/// and returns the terms kept.
fn strongest<'a>(terms: &mut Vec<(u64, f32, &'a str)>, max: usize) -> Vec<&'a str> {
    // A total order (keys differ), so choosing the first `max` before sorting them keeps
    // what sorting all of them kept: sorting a long report's every word cost more.
    let order =
        |a: &(u64, f32, &str), b: &(u64, f32, &str)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if terms.len() > max {
        terms.select_nth_unstable_by(max, order);
        terms.truncate(max);
    }
    terms.sort_unstable_by(order);
    terms.iter().map(|t| t.2).collect()
}

fn unit(terms: &[(u64, f32, &str)]) -> Vec<(u64, f32)> {
    let norm = terms.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
    if norm == 0.0 {
        return Vec::new();
    }
    terms.iter().map(|t| (t.0, t.1 / norm)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::terms;

    #[test]
    fn rare_words_weigh_more_and_vectors_are_unit_length() {
        let mut weigher = Weigher::new();
        // "crude" is in every earlier report, "pipeline" in none.
        let features = weigher
            .weigh(&terms("", "crude pipeline"), 100, |w| if w == "crude" { 100 } else { 0 });
        assert_eq!(features.top_words, ["pipeline", "crude"]);
        let norm: f32 = features.words.iter().map(|w| w.1 * w.1).sum();
        assert!((norm - 1.0).abs() < 1e-5);
        assert!(features.words[0].1 > 2.0 * features.words[1].1);
    }
}
