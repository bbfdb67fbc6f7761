//! Choosing the passages that show why a report matched.
//!
//! A passage is a whole sentence, found with Unicode sentence boundaries within one line and
//! mended where an abbreviation ("U.S. Deputy") ended it too early. A sentence longer than
//! [`MAX_PASSAGE`] is cut to a window around its first match, at word boundaries. Sentences
//! are ranked by how many of the query's distinct words and phrases they contain, then by
//! how many matches, then by position.

use std::ops::Range;

use dateline_schema::{LineMap, OffsetMap, StoredReport, lines};
use unicode_segmentation::UnicodeSegmentation;

use crate::highlight::{Match, ranges};
use crate::hit::Passage;

/// Longest passage, in bytes.
pub(crate) const MAX_PASSAGE: usize = 400;

/// Where the body sits in the file, to turn body positions into file positions.
#[derive(Clone, Debug)]
pub(crate) struct BodyOrigin {
    /// File offsets of body offsets.
    pub offsets: OffsetMap,
    /// 1-based line of the body's first byte.
    pub line: u64,
    /// Lines of parts of the body whose line breaks are not the file's.
    pub lines: LineMap,
}

impl BodyOrigin {
    /// Where `report`'s body lies in its file.
    pub(crate) fn of(report: &StoredReport) -> BodyOrigin {
        BodyOrigin {
            offsets: report.body_offsets.clone(),
            line: report.body_line,
            lines: report.body_lines.clone(),
        }
    }

    /// The file line of body offset `at`; `line_starts` are the body's ([`lines::starts`]).
    pub(crate) fn line_at(&self, line_starts: &[usize], at: usize) -> u64 {
        self.lines.line_at(self.line, line_starts, at)
    }
}

struct Sentence {
    range: Range<usize>,
    line: u64,
}

/// Up to `n` passages of `body`, best first. `matches` must be sorted by start. When nothing
/// matched (a query on the headline or on filters only), the lead sentence is the passage.
pub(crate) fn passages(
    body: &str,
    origin: &BodyOrigin,
    matches: &[Match],
    n: usize,
) -> Vec<Passage> {
    if n == 0 {
        return Vec::new();
    }
    let line_starts = lines::starts(body);
    let sentences = sentences(body, origin, &line_starts, matches);
    let mut scored: Vec<(usize, usize, &Sentence, &[Match])> = Vec::new();
    let mut first = 0;
    for sentence in &sentences {
        while first < matches.len() && matches[first].range.start < sentence.range.start {
            first += 1;
        }
        let mut end = first;
        while end < matches.len() && matches[end].range.end <= sentence.range.end {
            end += 1;
        }
        let inside = &matches[first..end];
        if !inside.is_empty() {
            let mut units: Vec<usize> = inside.iter().map(|m| m.unit).collect();
            units.sort_unstable();
            units.dedup();
            scored.push((units.len(), inside.len(), sentence, inside));
        }
        first = end;
    }
    // Stable sort: equal scores keep document order.
    scored.sort_by_key(|&(units, count, _, _)| std::cmp::Reverse((units, count)));
    let mut chosen: Vec<Passage> = scored
        .into_iter()
        .take(n)
        .map(|(_, _, s, inside)| passage(body, origin, &line_starts, s, inside))
        .collect();
    if chosen.is_empty() {
        chosen.extend(sentences.first().map(|lead| passage(body, origin, &line_starts, lead, &[])));
    }
    chosen
}

fn passage(
    body: &str,
    origin: &BodyOrigin,
    line_starts: &[usize],
    sentence: &Sentence,
    matches: &[Match],
) -> Passage {
    let window = window(body, sentence.range.clone(), matches.first().map(|m| m.range.start));
    let highlights: Vec<Range<usize>> = ranges(matches)
        .into_iter()
        .filter(|r| r.start >= window.start && r.end <= window.end)
        .map(|r| r.start - window.start..r.end - window.start)
        .collect();
    let text = &body[window.clone()];
    // A window cut from a long sentence may start on a later line than the sentence.
    let line = match window.start == sentence.range.start {
        true => sentence.line,
        false => origin.line_at(line_starts, window.start),
    };
    // A sentence wrapped over several lines: the match may stand on a later one.
    let match_line = match highlights.first() {
        Some(first) => origin.line_at(line_starts, window.start + first.start),
        None => line,
    };
    let offset = origin.offsets.file_offset(window.start as u64);
    let length = origin.offsets.file_offset(window.end as u64) - offset;
    Passage { line, match_line, offset, length, text: text.to_string(), highlights }
}

/// `range`, or a part of it at most [`MAX_PASSAGE`] bytes long around `focus`, cut at
/// whitespace where possible and always at character boundaries.
fn window(body: &str, range: Range<usize>, focus: Option<usize>) -> Range<usize> {
    if range.len() <= MAX_PASSAGE {
        return range;
    }
    let focus = focus.unwrap_or(range.start).clamp(range.start, range.end);
    let mut start = focus.saturating_sub(MAX_PASSAGE / 4).max(range.start);
    while !body.is_char_boundary(start) {
        start -= 1;
    }
    if start > range.start {
        // Start at the next word, unless the match is the word being cut.
        if let Some(space) = body[start..focus].find(char::is_whitespace) {
            start += space;
            start += body[start..].len() - body[start..].trim_start().len();
        }
    }
    let mut end = (start + MAX_PASSAGE).min(range.end);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    if end < range.end
        && let Some(space) = body[start..end].rfind(char::is_whitespace)
        && space > focus.saturating_sub(start)
    {
        end = start + space;
    }
    start..end
}

/// The sentences of `body` that hold a match (or, when nothing matched, of its first block
/// of text), trimmed, with the line each starts on.
///
/// Only the blocks of text between hard line breaks that hold a match are segmented: a
/// sentence never spans a hard break, and segmenting a long report whole for every hit
/// would cost more than the search.
fn sentences(
    body: &str,
    origin: &BodyOrigin,
    line_starts: &[usize],
    matches: &[Match],
) -> Vec<Sentence> {
    let flowed = flow(body);
    let line_of = |offset: usize| origin.line_at(line_starts, offset);
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut block_start = 0;
    for block in lines::split_inclusive(&flowed) {
        let block_range = block_start..block_start + block.len();
        block_start = block_range.end;
        let first_match = matches.partition_point(|m| m.range.start < block_range.start);
        let has_match = matches.get(first_match).is_some_and(|m| m.range.start < block_range.end);
        let lead = matches.is_empty() && ranges.is_empty();
        if !(has_match || lead) {
            continue;
        }
        for (start, piece) in block.split_sentence_bound_indices() {
            let trimmed = piece.trim();
            if trimmed.is_empty() {
                continue;
            }
            let start = block_range.start + start + (piece.len() - piece.trim_start().len());
            let range = start..start + trimmed.len();
            match ranges.last_mut() {
                // "U.S. Deputy" does not end a sentence.
                Some(previous)
                    if previous.end >= block_range.start
                        && ends_with_abbreviation(&flowed[previous.clone()]) =>
                {
                    previous.end = range.end;
                }
                _ => ranges.push(range),
            }
        }
    }
    ranges.into_iter().map(|range| Sentence { line: line_of(range.start), range }).collect()
}

/// `body` with each soft line break (a hard-wrapped sentence going on to the next line)
/// turned into spaces, so that sentence segmentation sees the whole sentence. A break is
/// soft when the line does not end a sentence, the next line is neither blank nor indented,
/// and either the line ends mid-phrase (a comma, a lower-case word) or the next one starts
/// in lower case or with a digit; headings and paragraphs keep their breaks. Only ASCII
/// bytes are replaced, one for one, so offsets into the result are offsets into `body`.
fn flow(body: &str) -> String {
    let mut bytes = body.as_bytes().to_vec();
    let mut at = 0;
    let mut lines = lines::split_inclusive(body).peekable();
    while let Some(line) = lines.next() {
        let content = lines::trim_break(line);
        at += line.len();
        let Some(next_line) = lines.peek() else { break };
        let text = content.trim_end();
        let ends_sentence = text.ends_with(['.', '!', '?', ':', ';', '"', '”']);
        // "…since early" + "January" goes on; a heading such as "Chinese Trade" does not.
        let last_word = text.rsplit(char::is_whitespace).next().unwrap_or("");
        let open_ended = text.ends_with(',') || last_word.starts_with(char::is_lowercase);
        let next = next_line.chars().next();
        let next_goes_on = next.is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
        let next_is_text = next.is_some_and(|c| !c.is_whitespace());
        if !text.is_empty() && !ends_sentence && next_is_text && (open_ended || next_goes_on) {
            bytes[at - (line.len() - content.len())..at].fill(b' ');
        }
    }
    String::from_utf8(bytes).expect("replacing ASCII bytes with spaces keeps UTF-8 valid")
}

/// "U.S." or "Mr." ends a sentence by Unicode's rules but rarely ends one in news text.
fn ends_with_abbreviation(sentence: &str) -> bool {
    const TITLES: [&str; 14] = [
        "Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Sen.", "Rep.", "Gov.", "Gen.", "Lt.", "Col.", "No.",
        "Prof.", "Jr.",
    ];
    let Some(word) = sentence.split_whitespace().next_back() else { return false };
    let word = word.trim_start_matches(['(', '"', '“', '‘']);
    let initials = word.len() >= 2
        && word.split_terminator('.').all(|part| part.chars().count() == 1)
        && word.ends_with('.')
        && word.chars().next().is_some_and(char::is_uppercase);
    initials || TITLES.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> BodyOrigin {
        BodyOrigin { offsets: OffsetMap::identity(100), line: 3, lines: LineMap::default() }
    }

    /// Every sentence: a match in each block makes every block count.
    fn all_sentences(body: &str, first_line: u64) -> Vec<Sentence> {
        let every_block: Vec<Match> =
            (0..body.len()).map(|i| Match { range: i..i, unit: 0 }).collect();
        let origin = BodyOrigin {
            offsets: OffsetMap::identity(0),
            line: first_line,
            lines: LineMap::default(),
        };
        sentences(body, &origin, &lines::starts(body), &every_block)
    }

    fn texts(body: &str) -> Vec<&str> {
        all_sentences(body, 1).into_iter().map(|s| &body[s.range]).collect()
    }

    #[test]
    fn sentences_survive_abbreviations() {
        let body =
            "The talks, led by U.S. Deputy Adviser Jen Daskal, began. China agreed.\r\nNext line";
        assert_eq!(
            texts(body),
            [
                "The talks, led by U.S. Deputy Adviser Jen Daskal, began.",
                "China agreed.",
                "Next line"
            ]
        );
    }

    #[test]
    fn hard_wrapped_sentences_are_one_passage_but_headings_are_not() {
        let body = "Showers continued throughout the week in\r\nthe Bahia cocoa zone since early\nJanuary.\r\n    Farmers met.\nLifting Sanctions\nThe meeting began.";
        assert_eq!(
            texts(body),
            [
                "Showers continued throughout the week in\r\nthe Bahia cocoa zone since early\nJanuary.",
                "Farmers met.",
                "Lifting Sanctions",
                "The meeting began."
            ]
        );
        let lines: Vec<u64> = all_sentences(body, 7).iter().map(|s| s.line).collect();
        assert_eq!(lines, [7, 10, 11, 12]);
    }

    #[test]
    fn best_sentence_first_with_file_offsets_and_lines() {
        let body =
            "Fentanyl is an opioid.\n\nTalks on fentanyl precursors resumed. Nothing here.\n";
        let matches = vec![
            Match { range: 0..8, unit: 0 },
            Match { range: 33..41, unit: 0 },
            Match { range: 42..52, unit: 1 },
        ];
        let found = passages(body, &origin(), &matches, 3);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].text, "Talks on fentanyl precursors resumed.");
        assert_eq!((found[0].line, found[0].offset), (5, 124));
        assert_eq!(found[0].highlights, [9..17, 18..28]);
        assert_eq!(found[1].text, "Fentanyl is an opioid.");
        assert_eq!((found[1].line, found[1].offset), (3, 100));
    }

    #[test]
    fn lead_sentence_when_nothing_matched() {
        let found = passages("  First one. Second one.", &origin(), &[], 2);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].text.as_str(), found[0].offset), ("First one.", 102));
        assert!(passages("", &origin(), &[], 2).is_empty());
    }

    #[test]
    fn long_sentences_are_cut_around_the_match_at_word_boundaries() {
        let body = format!("{}needle {}", "word ".repeat(300), "more ".repeat(300));
        let at = body.find("needle").unwrap();
        let found = passages(&body, &origin(), &[Match { range: at..at + 6, unit: 0 }], 1);
        let passage = &found[0];
        assert!(passage.text.len() <= MAX_PASSAGE);
        assert!(passage.text.starts_with("word ") && passage.text.ends_with("more"));
        let h = passage.highlights[0].clone();
        assert_eq!(&passage.text[h], "needle");
        assert_eq!(&body[(passage.offset - 100) as usize..][..passage.text.len()], passage.text);
    }

    proptest::proptest! {
        #[test]
        fn passages_are_slices_of_the_body(body in "\\PC{0,600}", n in 0usize..4) {
            let mut matcher = crate::highlight::Matcher::new(
                tantivy::tokenizer::TokenizerManager::default().get("en_stem").unwrap(),
                vec![crate::highlight::Unit::Term("a".into())],
            );
            let matches = matcher.find(&body);
            for p in passages(&body, &BodyOrigin { offsets: OffsetMap::identity(0), line: 1, lines: LineMap::default() }, &matches, n) {
                let start = p.offset as usize;
                proptest::prop_assert_eq!(&body[start..start + p.text.len()], p.text.as_str());
                for h in &p.highlights {
                    proptest::prop_assert!(p.text.is_char_boundary(h.start) && p.text.is_char_boundary(h.end));
                }
            }
        }
    }
}
