//! Two-word pairs: each pair of neighbouring words of a headline or body, as its language's
//! fields hold them and stop words aside, indexed as one term of its own (`title_pairs`,
//! `body_pairs`).
//!
//! A phrase of two words is then one term to look up, whose postings block-max WAND can
//! skip through, where a phrase query visits every report holding both words and reads
//! their positions (Elasticsearch's `index_phrases` does the same). A phrase with a stop
//! word (`"in Beijing"`) is still matched by positions, in the language fields.
//!
//! The pairs fields serve every language with one tokenizer, [`PairTokenizer`]: the text it
//! is given names its language slot first ([`input`]), and each pair it makes starts with
//! that slot's suffix, so a pair is only ever matched by a query analysed the same way: an
//! English query's `net loss` never meets a German report's.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, Stemmer, StopWordFilter, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

use std::sync::OnceLock;

use crate::languages::{self, MAX_WORD_BYTES, SLOTS, STEMMED};
use crate::words::WordTokenizer;

/// The tokenizer of the pairs fields.
pub const PAIRS_TOKENIZER: &str = "dateline_pairs";

/// Between a slot's suffix and the text in a pairs field's input, and between the suffix
/// and the words in a pair. Never inside a word: words are runs of letters, digits and marks.
const SEPARATOR: char = ':';

/// The text a pairs field is given for `text` in language slot `slot`.
pub fn input(slot: usize, text: &str) -> String {
    let suffix = languages::slot_suffix(slot);
    let mut input = String::with_capacity(suffix.len() + 1 + text.len());
    input.push_str(suffix);
    input.push(SEPARATOR);
    input.push_str(text);
    input
}

/// The pairs of `text` in `slot`, as the index holds them: what a query looks up.
pub fn pairs(slot: usize, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut analyzer = analyzers()[slot].clone();
    push_pairs(&mut analyzer, languages::slot_suffix(slot), text, &mut found);
    found.into_iter().map(|pair| pair.text).collect()
}

/// Each slot's analyzer of the words pairs are made of, built once: a stop-word list is a
/// hash set of a few hundred words.
fn analyzers() -> &'static [TextAnalyzer] {
    static ANALYZERS: OnceLock<Vec<TextAnalyzer>> = OnceLock::new();
    ANALYZERS.get_or_init(|| (0..SLOTS).map(analyzer).collect())
}

/// The words of `slot` that pairs are made of: its language fields' terms
/// ([`languages::analyzer`]), less those spelled as one of the language's stop words
/// (tantivy's lists, where it has one). Such a word leaves a gap no pair spans: pairs such
/// as "of the" would be the most frequent terms of all, most of the pairs fields' postings
/// and of their cost to index, for phrases no one searches for alone.
///
/// The test is on the term, after stemming and folding, never on the word as written:
/// whether a word makes pairs then depends on its term alone, so a query's two terms are
/// either both pairable, and every report holding them side by side holds their pair, or
/// not, and the phrase is matched by positions. (Tested on the word as written, "it"
/// would be left out and "its", whose term is the same, kept: `"its shares"` would miss
/// "it shares".)
fn analyzer(slot: usize) -> TextAnalyzer {
    let words = TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .dynamic();
    let Some((_, language)) = STEMMED.get(slot) else {
        return words.filter_dynamic(AsciiFoldingFilter).build();
    };
    let terms = words.filter_dynamic(Stemmer::new(*language)).filter_dynamic(AsciiFoldingFilter);
    match StopWordFilter::new(*language) {
        Some(stop_words) => terms.filter_dynamic(stop_words).build(),
        None => terms.build(),
    }
}

/// Appends to `pairs` the pairs of neighbouring words `analyzer` finds in `text`, each
/// named by `suffix`, numbered on from the last.
fn push_pairs(analyzer: &mut TextAnalyzer, suffix: &str, text: &str, pairs: &mut Vec<Token>) {
    let mut words = analyzer.token_stream(text);
    // The last word's position and start, and its text (one buffer for the whole text).
    let mut last: Option<(usize, usize)> = None;
    let mut previous = String::new();
    while words.advance() {
        let word = words.token();
        if let Some((position, from)) = last
            && word.position == position + 1
        {
            let mut text =
                String::with_capacity(suffix.len() + previous.len() + word.text.len() + 2);
            text.push_str(suffix);
            text.push(SEPARATOR);
            text.push_str(&previous);
            text.push(' ');
            text.push_str(&word.text);
            pairs.push(Token {
                offset_from: from,
                offset_to: word.offset_to,
                position: pairs.len(),
                text,
                position_length: 1,
            });
        }
        last = Some((word.position, word.offset_from));
        previous.clear();
        previous.push_str(&word.text);
    }
}

/// Splits a pairs field's [`input`] into the pairs of neighbouring words its slot's analyzer
/// finds. A word the analyzer drops (longer than [`languages::MAX_WORD_BYTES`], or a stop
/// word) leaves a gap that no pair spans; a phrase query would match any word in it, so a
/// phrase with such a word is never looked up as a pair.
#[derive(Clone)]
pub struct PairTokenizer {
    /// Each slot's analyzer, cloned on first use: tantivy clones a tokenizer for every
    /// query literal it analyses, and most indexes hold a language or two.
    analyzers: Vec<Option<TextAnalyzer>>,
    pairs: Vec<Token>,
}

impl Default for PairTokenizer {
    fn default() -> PairTokenizer {
        PairTokenizer { analyzers: vec![None; SLOTS], pairs: Vec::new() }
    }
}

/// The pairs of one input, handed out in order.
pub struct PairStream<'a> {
    pairs: &'a mut [Token],
    /// One past the pair handed out last.
    next: usize,
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = PairStream<'a>;

    fn token_stream<'a>(&'a mut self, input: &'a str) -> PairStream<'a> {
        self.pairs.clear();
        let slot = input.split_once(SEPARATOR).and_then(|(suffix, text)| {
            (0..SLOTS).find(|&slot| languages::slot_suffix(slot) == suffix).map(|s| (s, text))
        });
        // An input without a slot is not one `input` made: it has no pairs.
        if let Some((slot, text)) = slot {
            let analyzer = self.analyzers[slot].get_or_insert_with(|| analyzers()[slot].clone());
            push_pairs(analyzer, languages::slot_suffix(slot), text, &mut self.pairs);
        }
        PairStream { pairs: &mut self.pairs, next: 0 }
    }
}

impl TokenStream for PairStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.pairs.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.pairs[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.pairs[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::languages::slot;

    #[test]
    fn pairs_are_neighbouring_words_as_the_language_fields_hold_them() {
        let en = slot(Some("en"));
        assert_eq!(pairs(en, "Net losses widened."), ["en:net loss", "en:loss widen"]);
        let de = slot(Some("de"));
        assert_eq!(
            pairs(de, "Zinsen steigen, Köln meldet Verluste"),
            ["de:zins steig", "de:steig koln", "de:koln meld", "de:meld verlust"]
        );
        let ja = slot(Some("ja"));
        assert_eq!(pairs(ja, "株価が下落"), ["folded:株価 が", "folded:が 下落"]);
        assert!(pairs(en, "alone").is_empty());
        assert!(pairs(en, "").is_empty());
    }

    #[test]
    fn a_stop_word_leaves_a_gap_no_pair_spans() {
        let en = slot(Some("en"));
        assert_eq!(pairs(en, "Net losses of the bank widened"), ["en:net loss", "en:bank widen"]);
        let de = slot(Some("de"));
        assert_eq!(pairs(de, "Die Verhandlungen in Köln"), Vec::<String>::new());
        // A language tantivy has no list for keeps every pair.
        let tr = slot(Some("tr"));
        assert_eq!(pairs(tr, "ve bu").len(), 1);
    }

    #[test]
    fn a_dropped_word_leaves_a_gap_no_pair_spans() {
        let long = "x".repeat(languages::MAX_WORD_BYTES + 1);
        let en = slot(Some("en"));
        assert_eq!(pairs(en, &format!("interest {long} rates")), Vec::<String>::new());
    }

    #[test]
    fn an_input_without_a_known_slot_has_no_pairs() {
        let mut tokenizer = PairTokenizer::default();
        for text in ["net loss", "xx:net loss", ":net loss"] {
            let mut stream = tokenizer.token_stream(text);
            assert!(!stream.advance(), "{text}");
        }
    }
}
