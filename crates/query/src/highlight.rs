//! Finding the query's words and phrases in a text, the way the index found them.
//!
//! The text is run through the same analyzer as at index time, so "chemicals" in a report
//! matches the query word "chemical". A phrase matches only where its words stand in order,
//! and is marked as one range; its words are not marked where they stand alone.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use tantivy::tokenizer::TextAnalyzer;

/// Something the query looks for, already analyzed into index terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Term(String),
    Prefix(String),
    Phrase(Vec<String>),
}

/// A match of one [`Unit`] in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Match {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// Index of the unit in the matcher's list.
    pub unit: usize,
}

/// Most matches of the query looked for in one report text. Passages are chosen among them,
/// so a report of millions of matching words costs no more in matches than one of a thousand.
pub const MAX_MATCHES: usize = 1_000;

/// Finds [`Unit`]s in texts.
#[derive(Clone)]
pub(crate) struct Matcher {
    analyzer: TextAnalyzer,
    units: Vec<Unit>,
    terms: HashMap<String, usize>,
}

struct Token {
    range: Range<usize>,
    text: String,
    position: usize,
}

impl Matcher {
    pub fn new(analyzer: TextAnalyzer, units: Vec<Unit>) -> Matcher {
        let terms = units
            .iter()
            .enumerate()
            .filter_map(|(i, unit)| match unit {
                Unit::Term(term) => Some((term.clone(), i)),
                _ => None,
            })
            .collect();
        Matcher { analyzer, units, terms }
    }

    /// The matches in `text`, sorted by start, at most [`MAX_MATCHES`] of them (the first
    /// ones); phrases win over the words inside them.
    ///
    /// The text is read as a stream through a window as long as the longest phrase, so
    /// a report of millions of words costs no more memory than one of a hundred.
    pub fn find(&mut self, text: &str) -> Vec<Match> {
        let mut matches = Vec::new();
        if self.units.is_empty() {
            return matches;
        }
        let longest = self
            .units
            .iter()
            .map(|unit| match unit {
                Unit::Phrase(words) => words.len(),
                _ => 1,
            })
            .max()
            .unwrap_or(1);
        let mut window: VecDeque<Token> = VecDeque::with_capacity(longest);
        let mut covered_until = 0;
        let mut stream = self.analyzer.token_stream(text);
        loop {
            let more = stream.advance();
            if more {
                let token = stream.token();
                window.push_back(Token {
                    range: token.offset_from..token.offset_to,
                    text: token.text.clone(),
                    position: token.position,
                });
            }
            // While reading, the window's first token is decided once the window is full;
            // at the end, every token left is.
            while window.len() == longest || (!more && !window.is_empty()) {
                let tokens = window.make_contiguous();
                if let Some(found) = match_at(&self.units, &self.terms, tokens, covered_until) {
                    if found.range.end > tokens[0].range.end {
                        covered_until = found.range.end;
                    }
                    matches.push(found);
                    if matches.len() == MAX_MATCHES {
                        return matches;
                    }
                }
                window.pop_front();
                if more {
                    break;
                }
            }
            if !more {
                return matches;
            }
        }
    }
}

/// The match starting at `tokens[0]`, if any: a phrase, or else a word not already inside
/// a phrase (which ends at `covered_until`).
fn match_at(
    units: &[Unit],
    terms: &HashMap<String, usize>,
    tokens: &[Token],
    covered_until: usize,
) -> Option<Match> {
    if let Some(found) = phrase_at(units, tokens) {
        return Some(found);
    }
    let token = &tokens[0];
    if token.range.start < covered_until {
        return None;
    }
    let unit = terms.get(&token.text).copied().or_else(|| {
        units.iter().position(
            |unit| matches!(unit, Unit::Prefix(prefix) if token.text.starts_with(prefix.as_str())),
        )
    })?;
    Some(Match { range: token.range.clone(), unit })
}

/// The phrase starting at `tokens[0]`, if one does.
fn phrase_at(units: &[Unit], tokens: &[Token]) -> Option<Match> {
    units.iter().enumerate().find_map(|(unit, candidate)| {
        let Unit::Phrase(words) = candidate else { return None };
        let window = tokens.get(..words.len())?;
        let first = window[0].position;
        let found = window
            .iter()
            .zip(words)
            .enumerate()
            .all(|(j, (token, word))| token.position == first + j && token.text == *word);
        found.then(|| Match {
            range: window[0].range.start..window[window.len() - 1].range.end,
            unit,
        })
    })
}

/// Merges the ranges of `matches` into sorted, disjoint ranges.
pub(crate) fn ranges(matches: &[Match]) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::with_capacity(matches.len());
    for found in matches {
        match ranges.last_mut() {
            Some(last) if found.range.start <= last.end => last.end = last.end.max(found.range.end),
            _ => ranges.push(found.range.clone()),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en_stem() -> TextAnalyzer {
        tantivy::tokenizer::TokenizerManager::default().get("en_stem").unwrap()
    }

    fn marked(text: &str, units: Vec<Unit>) -> Vec<&str> {
        let mut matcher = Matcher::new(en_stem(), units);
        ranges(&matcher.find(text)).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn stemmed_terms_match_inflected_words() {
        let text = "efforts to institute precursor chemical controls; fentanyl precursors";
        let units = vec![Unit::Term("precursor".into()), Unit::Term("chemic".into())];
        assert_eq!(marked(text, units), ["precursor", "chemical", "precursors"]);
    }

    #[test]
    fn a_phrase_is_one_range_and_only_where_its_words_are_adjacent() {
        let text = "precursor chemicals here, but precursor and chemicals apart";
        let units = vec![Unit::Phrase(vec!["precursor".into(), "chemic".into()])];
        assert_eq!(marked(text, units), ["precursor chemicals"]);
    }

    #[test]
    fn prefixes_and_multibyte_text() {
        let text = "“Fentanyl’s” reach — fentanyl-related";
        assert_eq!(marked(text, vec![Unit::Prefix("fent".into())]), ["Fentanyl", "fentanyl"]);
    }
}
