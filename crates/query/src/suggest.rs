//! "Did you mean …": for a text query that matched nothing, the same query with its unknown
//! words replaced by near words from the index's own vocabulary.
//!
//! A query word is unknown when its stem is in no headline and no body. Its neighbours are
//! the indexed stems within a small edit distance (1 for words of up to 5 letters, 2 for
//! longer ones; a transposition counts 1), found with tantivy's Levenshtein automaton over
//! the term dictionary; the nearest wins, then the one in most reports. Each is shown as
//! reports write it (`Brexit`, `fentanyl`), not as its stem. Suggestions are offered, never
//! run in place of the query, and only those that would match something are offered.

use std::collections::BTreeMap;

use dateline_schema::StoredReport;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{FuzzyTermQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use crate::query::Source;
use crate::stop_words::is_stop_word;
use crate::{Index, Query};

/// Most suggestions offered for one query.
pub const MAX_SUGGESTIONS: usize = 3;
/// Neighbours considered for each unknown word.
const CANDIDATES_PER_WORD: usize = 3;
/// Words shorter than this (in characters) get no suggestion: too many words are near them.
const MIN_WORD_CHARS: usize = 3;
/// Words of up to this many characters may differ by one edit; longer ones by two.
const SHORT_WORD_CHARS: usize = 5;
/// Unknown words beyond this many in one query are left as they are.
const MAX_UNKNOWN_WORDS: usize = 4;

/// One word of the query text that is in no headline or body.
struct Unknown {
    /// Byte range of the word in the query text.
    range: std::ops::Range<usize>,
    /// Its neighbours as reports write them, best first.
    candidates: Vec<String>,
}

impl Index {
    /// Suggestions for `query`, which matched nothing; empty when it is not a text query or
    /// no near words would make it match.
    pub(crate) fn suggestions(&self, query: &Query, searcher: &Searcher) -> Vec<String> {
        let Source::Text(text) = &query.source else { return Vec::new() };
        let unknown = self.unknown_words(text, searcher);
        if unknown.iter().all(|word| word.candidates.is_empty()) {
            return Vec::new();
        }
        let mut offered = Vec::new();
        for candidate in variants(text, &unknown) {
            if offered.len() == MAX_SUGGESTIONS {
                break;
            }
            if offered.contains(&candidate) {
                continue;
            }
            let mut attempt = query.clone();
            attempt.source = Source::Text(candidate.clone());
            let matches = self
                .plan(&attempt, searcher)
                .ok()
                .and_then(|plan| searcher.search(plan.query.as_ref(), &Count).ok())
                .is_some_and(|count| count > 0);
            if matches {
                offered.push(candidate);
            }
        }
        offered
    }

    /// The words of `text` that no headline or body holds, with their neighbours.
    fn unknown_words(&self, text: &str, searcher: &Searcher) -> Vec<Unknown> {
        let mut analyzer = self.parser.exact_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut unknown = Vec::new();
        while stream.advance() && unknown.len() < MAX_UNKNOWN_WORDS {
            let token = stream.token();
            let range = token.offset_from..token.offset_to;
            if !is_plain_word(text, range.clone()) || is_stop_word(&token.text) {
                continue;
            }
            if token.text.chars().count() < MIN_WORD_CHARS {
                continue;
            }
            if self.doc_freq(searcher, &token.text) > 0 {
                continue;
            }
            let candidates = self.neighbours(searcher, &token.text);
            unknown.push(Unknown { range, candidates });
        }
        unknown
    }

    /// Reports whose headline or body holds `stem` (an upper bound: a report holding it in
    /// both counts twice, which does not matter for zero or for ranking neighbours).
    fn doc_freq(&self, searcher: &Searcher, stem: &str) -> u64 {
        [self.fields.title, self.fields.body]
            .into_iter()
            .map(|field| searcher.doc_freq(&Term::from_field_text(field, stem)).unwrap_or(0))
            .sum()
    }

    /// The indexed stems near `stem`, nearest then commonest first, as reports write them.
    fn neighbours(&self, searcher: &Searcher, stem: &str) -> Vec<String> {
        let distance = if stem.chars().count() <= SHORT_WORD_CHARS { 1 } else { 2 };
        // Stem → (edit distance, reports holding it).
        let mut found: BTreeMap<String, (u8, u64)> = BTreeMap::new();
        for field in [self.fields.title, self.fields.body] {
            let term = Term::from_field_text(field, stem);
            let Ok(automaton) = FuzzyTermQuery::new(term, distance, true).automaton() else {
                continue;
            };
            for segment in searcher.segment_readers() {
                let Ok(index) = segment.inverted_index(field) else { continue };
                let Ok(mut stream) = index.terms().search(&automaton).into_stream() else {
                    continue;
                };
                while stream.advance() {
                    let Ok(word) = std::str::from_utf8(stream.key()) else { continue };
                    let entry = found.entry(word.to_string()).or_insert((u8::MAX, 0));
                    entry.1 += u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut ranked: Vec<(String, u8, u64)> = found
            .into_iter()
            .map(|(word, (_, reports))| {
                let edits = strsim_edits(stem, &word);
                (word, edits, reports)
            })
            .filter(|(word, _, _)| word != stem)
            .collect();
        ranked.sort_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
        ranked
            .into_iter()
            .take(CANDIDATES_PER_WORD)
            .filter_map(|(word, _, _)| self.surface_form(searcher, &word))
            .collect()
    }

    /// `stem` as a report writes it: lower-case, unless every time it is seen in the first
    /// report holding it (headline, then body) it is capitalised.
    fn surface_form(&self, searcher: &Searcher, stem: &str) -> Option<String> {
        let analyzer = self.parser.exact_analyzer();
        for field in [self.fields.body, self.fields.title] {
            if let Some(form) = self.surface_in(searcher, field, stem, &analyzer) {
                return Some(form);
            }
        }
        None
    }

    fn surface_in(
        &self,
        searcher: &Searcher,
        field: Field,
        stem: &str,
        analyzer: &TextAnalyzer,
    ) -> Option<String> {
        let query = TermQuery::new(Term::from_field_text(field, stem), IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score()).ok()?;
        let (_, address) = top.first()?;
        let report = StoredReport::from_document(&self.doc(searcher, *address).ok()?, &self.fields);
        let text = if field == self.fields.body { &report.body } else { report.title.text() };
        let mut analyzer = analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        let mut first: Option<String> = None;
        while stream.advance() {
            let token = stream.token();
            if token.text != stem {
                continue;
            }
            let written = &text[token.offset_from..token.offset_to];
            if !written.chars().next().is_some_and(char::is_uppercase) {
                return Some(written.to_lowercase());
            }
            first.get_or_insert_with(|| written.to_string());
        }
        first
    }
}

/// Whether the word at `range` of the query text is a bare word to correct: not a field
/// name (`title:`), an operator, a prefix (`fent*`), an excluded word (`-China`), or a
/// number.
fn is_plain_word(text: &str, range: std::ops::Range<usize>) -> bool {
    let word = &text[range.clone()];
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    let operator = matches!(word, "OR" | "AND" | "NOT");
    let digits = word.chars().any(|c| c.is_ascii_digit());
    !operator
        && !digits
        && !matches!(after, Some(':' | '*' | '^' | '~'))
        && !matches!(before, Some('-' | ':'))
}

/// The query text with its unknown words replaced: first each by its best neighbour, then
/// with one word at a time taking its next neighbour.
fn variants(text: &str, unknown: &[Unknown]) -> Vec<String> {
    let best: Vec<Option<&str>> =
        unknown.iter().map(|word| word.candidates.first().map(String::as_str)).collect();
    let mut variants = vec![replace(text, unknown, &best)];
    for (i, word) in unknown.iter().enumerate() {
        for other in word.candidates.iter().skip(1) {
            let mut choice = best.clone();
            choice[i] = Some(other);
            variants.push(replace(text, unknown, &choice));
        }
    }
    variants
}

/// `text` with each unknown word that has a choice replaced by it.
fn replace(text: &str, unknown: &[Unknown], choice: &[Option<&str>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (word, chosen) in unknown.iter().zip(choice) {
        if let Some(chosen) = chosen {
            out.push_str(&text[at..word.range.start]);
            out.push_str(chosen);
            at = word.range.end;
        }
    }
    out.push_str(&text[at..]);
    out
}

/// Edit distance with adjacent transpositions counting one (optimal string alignment), as
/// the automaton measures it; capped at 255.
fn strsim_edits(a: &str, b: &str) -> u8 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    u8::try_from(d[a.len()][b.len()]).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpositions_count_one_edit() {
        assert_eq!(strsim_edits("brexti", "brexit"), 1);
        assert_eq!(strsim_edits("fentanil", "fentanyl"), 1);
        assert_eq!(strsim_edits("abc", "abc"), 0);
        assert_eq!(strsim_edits("abc", "xyz"), 3);
    }

    #[test]
    fn only_bare_words_are_corrected() {
        let plain = |text: &str, word: &str| {
            let start = text.find(word).unwrap();
            is_plain_word(text, start..start + word.len())
        };
        assert!(plain("Brexti vote", "Brexti"));
        assert!(!plain("title:Brexti", "title"));
        assert!(!plain("title:Brexti", "Brexti"));
        assert!(!plain("fent* talks", "fent"));
        assert!(!plain("talks -Chna", "Chna"));
        assert!(!plain("a OR b", "OR"));
    }

    #[test]
    fn unknown_words_are_replaced_in_place() {
        let unknown =
            [Unknown { range: 0..6, candidates: vec!["Brexit".into(), "Brexton".into()] }];
        assert_eq!(variants("Brexti vote", &unknown), ["Brexit vote", "Brexton vote"]);
    }
}
