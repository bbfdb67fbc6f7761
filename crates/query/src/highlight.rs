//! Finding the query's words and phrases in a text, the way the index found them.
//!
//! The text is run through the same analyzer as at index time, so "chemicals" in a report
//! matches the query word "chemical". A phrase matches only where its words stand in order,
//! and is marked as one range; its words are not marked where they stand alone.

use std::collections::HashMap;
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

    /// All matches in `text`, sorted by start; phrases win over the words inside them.
    pub fn find(&mut self, text: &str) -> Vec<Match> {
        if self.units.is_empty() {
            return Vec::new();
        }
        let mut tokens = Vec::new();
        {
            let mut stream = self.analyzer.token_stream(text);
            while stream.advance() {
                let token = stream.token();
                tokens.push(Token {
                    range: token.offset_from..token.offset_to,
                    text: token.text.clone(),
                    position: token.position,
                });
            }
        }
        let mut matches = Vec::new();
        let mut covered_until = 0;
        for (i, token) in tokens.iter().enumerate() {
            if let Some(found) = self.phrase_at(&tokens, i) {
                covered_until = found.range.end;
                matches.push(found);
                continue;
            }
            if token.range.start < covered_until {
                continue;
            }
            let unit = self.terms.get(&token.text).copied().or_else(|| {
                self.units.iter().position(
                    |unit| matches!(unit, Unit::Prefix(prefix) if token.text.starts_with(prefix.as_str())),
                )
            });
            if let Some(unit) = unit {
                matches.push(Match { range: token.range.clone(), unit });
            }
        }
        matches
    }

    fn phrase_at(&self, tokens: &[Token], start: usize) -> Option<Match> {
        self.units.iter().enumerate().find_map(|(unit, candidate)| {
            let Unit::Phrase(words) = candidate else { return None };
            let window = tokens.get(start..start + words.len())?;
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
