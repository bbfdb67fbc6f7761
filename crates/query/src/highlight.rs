//! Finding the query's words and phrases in a text, the way the index found them.
//!
//! The text and the query's words are run through the analyzer of the report's language, as
//! at index time, so "chemicals" in an English report matches the query word "chemical" and
//! `Koln` marks "Köln". A phrase matches only where its words stand in order, and is marked
//! as one range; its words are not marked where they stand alone. A query word the analyzer
//! cuts into several (Chinese `改革开放`) is a phrase, as the search took it.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use dateline_schema::languages;
use tantivy::tokenizer::TextAnalyzer;

/// Something the query looks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    /// A word or a phrase as the query wrote it, analysed by the matcher.
    Words(String),
    /// A term already analysed (by the report's language analyzer), matched as is.
    Term(String),
    /// The start of words, lower-cased.
    Prefix(String),
}

/// A [`Unit`] as the matcher's analyzer sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Sought {
    Term(String),
    Prefix(String),
    Phrase(Vec<String>),
    /// Words that analyse to nothing (all too long, say): matched nowhere.
    Nothing,
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
    units: Vec<Sought>,
    terms: HashMap<String, usize>,
}

struct Token {
    range: Range<usize>,
    text: String,
    position: usize,
}

impl Matcher {
    pub fn new(mut analyzer: TextAnalyzer, units: Vec<Unit>) -> Matcher {
        let mut analyse = |text: &str| {
            let mut stream = analyzer.token_stream(text);
            let mut words = Vec::new();
            while stream.advance() {
                words.push(stream.token().text.clone());
            }
            words
        };
        let units: Vec<Sought> = units
            .into_iter()
            .map(|unit| match unit {
                Unit::Term(term) => Sought::Term(term),
                Unit::Words(text) => {
                    let mut words = analyse(&text);
                    match words.len() {
                        0 => Sought::Nothing,
                        1 => Sought::Term(words.remove(0)),
                        _ => Sought::Phrase(words),
                    }
                }
                // Folded (and, harmlessly, stemmed) as the report's words are.
                Unit::Prefix(prefix) => match analyse(&prefix).as_slice() {
                    [one] => Sought::Prefix(one.clone()),
                    _ => Sought::Prefix(prefix),
                },
            })
            .collect();
        let terms = units
            .iter()
            .enumerate()
            .filter_map(|(i, unit)| match unit {
                Sought::Term(term) => Some((term.clone(), i)),
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
                Sought::Phrase(words) => words.len(),
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
    units: &[Sought],
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
            |unit| matches!(unit, Sought::Prefix(prefix) if token.text.starts_with(prefix.as_str())),
        )
    })?;
    Some(Match { range: token.range.clone(), unit })
}

/// The phrase starting at `tokens[0]`, if one does.
fn phrase_at(units: &[Sought], tokens: &[Token]) -> Option<Match> {
    units.iter().enumerate().find_map(|(unit, candidate)| {
        let Sought::Phrase(words) = candidate else { return None };
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

/// The title and body matchers of one query, a pair for each language its hits are in,
/// built when a hit in that language first needs them.
pub(crate) struct Highlighter {
    title_units: Vec<Unit>,
    body_units: Vec<Unit>,
    built: HashMap<usize, (Matcher, Matcher)>,
}

impl Highlighter {
    pub fn new(title_units: Vec<Unit>, body_units: Vec<Unit>) -> Highlighter {
        Highlighter { title_units, body_units, built: HashMap::new() }
    }

    /// The (title, body) matchers of a report in `language`.
    pub fn matchers(&mut self, language: Option<&str>) -> &mut (Matcher, Matcher) {
        let slot = languages::slot(language);
        self.built.entry(slot).or_insert_with(|| {
            let analyzer = languages::analyzer(slot);
            (
                Matcher::new(analyzer.clone(), self.title_units.clone()),
                Matcher::new(analyzer, self.body_units.clone()),
            )
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

    fn marked_in<'t>(language: &str, text: &'t str, units: Vec<Unit>) -> Vec<&'t str> {
        let analyzer = languages::analyzer(languages::slot(Some(language)));
        let mut matcher = Matcher::new(analyzer, units);
        ranges(&matcher.find(text)).into_iter().map(|r| &text[r]).collect()
    }

    fn marked(text: &str, units: Vec<Unit>) -> Vec<&str> {
        marked_in("en", text, units)
    }

    #[test]
    fn words_are_analysed_in_the_reports_language() {
        let text = "Die Verhandlungen in Köln und Koln";
        let units = vec![Unit::Words("Verhandlung".into()), Unit::Words("Koln".into())];
        assert_eq!(marked_in("de", text, units), ["Verhandlungen", "Köln", "Koln"]);
    }

    #[test]
    fn a_chinese_query_word_marks_exactly_its_characters() {
        let text = "中国坚持改革开放。开放的市场";
        let units = vec![Unit::Words("改革开放".into())];
        assert_eq!(marked_in("zh", text, units), ["改革开放"]);
    }

    #[test]
    fn stemmed_terms_match_inflected_words() {
        let text = "efforts to institute precursor chemical controls; fentanyl precursors";
        let units = vec![Unit::Words("precursors".into()), Unit::Term("chemic".into())];
        assert_eq!(marked(text, units), ["precursor", "chemical", "precursors"]);
    }

    #[test]
    fn a_phrase_is_one_range_and_only_where_its_words_are_adjacent() {
        let text = "precursor chemicals here, but precursor and chemicals apart";
        let units = vec![Unit::Words("Precursor chemical".into())];
        assert_eq!(marked(text, units), ["precursor chemicals"]);
    }

    #[test]
    fn prefixes_and_multibyte_text() {
        let text = "“Fentanyl’s” reach — fentanyl-related";
        assert_eq!(marked(text, vec![Unit::Prefix("fent".into())]), ["Fentanyl", "fentanyl"]);
    }
}
