//! Finding copies of a report: the same text published again (a wire reprint, trimmed,
//! retitled, with a local intro or another byline) as opposed to the same event reported
//! independently.
//!
//! A body becomes a set of word shingles ([`Shingles`]: every run of
//! [`Settings::shingle`] consecutive words, lower-cased, hashed), from which a [`Sketch`] is
//! drawn. Its keys ([`Sketch::keys`]) are what an index stores and looks up: two bodies
//! sharing a key are candidates. A candidate is confirmed by
//! **containment**, the share of the shorter body's shingles found in the longer, rather than
//! by Jaccard similarity, because a reprint with its last paragraphs cut is half the original
//! yet wholly contained in it.
//!
//! Words are split by the index's own splitter ([`dateline_schema::words`]), so Chinese,
//! Japanese and Thai bodies are shingled by their words, as every other language is.
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

mod shingles;
mod sketch;

pub use shingles::Shingles;
pub use sketch::{Sample, Sketch};

/// How bodies are fingerprinted and compared. [`Settings::DEFAULT`] is what the index uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// Words per shingle.
    pub shingle: usize,
    /// One shingle in this many (by hash) is a key ([`Sketch::keys`]).
    pub key_rate: u64,
    /// One shingle in this many (by hash) is in the sample containment is estimated from;
    /// a divisor of `key_rate`, so every key is in the sample.
    pub sample_rate: u64,
    /// Fewest words a body needs to be fingerprinted at all: below it, a body is its own
    /// group (a one-line brief shares too much with too many others to call it a copy).
    pub min_words: usize,
    /// Containment at or above which two bodies are copies.
    pub threshold: f64,
}

impl Settings {
    /// The settings of every Dateline index, chosen on the evaluation set (BENCHMARKS.md,
    /// "Copies"). Changing one changes the band keys an index holds: a format change.
    pub const DEFAULT: Settings =
        Settings { shingle: 4, key_rate: 8, sample_rate: 4, min_words: 20, threshold: 0.6 };
}

impl Default for Settings {
    fn default() -> Settings {
        Settings::DEFAULT
    }
}

/// Whether `a` and `b` are copies of one text, compared exactly: their shingle sets'
/// containment reaches the threshold. Bodies too short to fingerprint are never copies
/// (exact duplicates among them included: a one-line "Markets closed" is not a reprint).
pub fn are_copies(a: &str, b: &str, settings: &Settings) -> bool {
    let (a, b) = (Shingles::of(a, settings), Shingles::of(b, settings));
    a.fingerprinted(settings)
        && b.fingerprinted(settings)
        && a.containment(&b) >= settings.threshold
}
