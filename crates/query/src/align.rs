//! Word-level local alignment (Smith–Waterman) of a claim against a report's words: where
//! the report carries the claim, verbatim or lightly edited (words changed, inserted or
//! dropped; punctuation and case never count, as words are compared lower-cased).
//!
//! A match scores [`MATCH`], a changed word [`MISMATCH`], an inserted or dropped word
//! [`GAP`]: an edit costs a match's worth less than half, so an edited sentence still
//! aligns whole, while two shared words far apart do not join into one span. Only the
//! stretches of the report around words of the claim are aligned, and at most
//! [`MAX_CELLS`] cells per report, so a huge report costs no more than a long one. The
//! best span is found in linear memory, then aligned again on its own to list its matches.

use std::collections::HashMap;
use std::ops::Range;

/// Score of a claim word aligned to the same word.
const MATCH: i32 = 2;
/// Score of a claim word aligned to another word.
const MISMATCH: i32 = -1;
/// Score of a word inserted into or dropped from the claim.
const GAP: i32 = -1;
/// Most cells (claim words × report words) aligned per report.
pub(crate) const MAX_CELLS: usize = 4_000_000;

/// The best local alignment of a claim in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Alignment {
    /// The text's words (indices into its word list) aligned to the same claim word, in order.
    pub matched: Vec<usize>,
}

/// Word ids shared by a claim and the texts it is aligned against: a claim's word keeps its
/// id, every other word is [`Words::OTHER`].
pub(crate) struct Words {
    ids: HashMap<String, u32>,
}

impl Words {
    /// Any word not in the claim.
    const OTHER: u32 = u32::MAX;

    /// The ids of `claim`'s words (lower-cased already), in order.
    pub(crate) fn of_claim(claim: &[String]) -> (Words, Vec<u32>) {
        let mut ids = HashMap::new();
        let sequence = claim
            .iter()
            .map(|word| {
                let next = ids.len() as u32;
                *ids.entry(word.clone()).or_insert(next)
            })
            .collect();
        (Words { ids }, sequence)
    }

    /// The id of `word` (lower-cased already).
    pub(crate) fn id(&self, word: &str) -> u32 {
        self.ids.get(word).copied().unwrap_or(Words::OTHER)
    }
}

/// The best local alignment of `claim` in `text` (both word ids, from one [`Words`]), or
/// `None` when no word of the claim is in the text.
pub(crate) fn align(claim: &[u32], text: &[u32]) -> Option<Alignment> {
    let m = claim.len();
    let mut best: Option<(i32, Range<usize>)> = None;
    let mut budget = MAX_CELLS;
    for window in windows(claim, text) {
        let cells = m * window.len();
        if cells > budget {
            break;
        }
        budget -= cells;
        if let Some((score, span)) = best_span(claim, &text[window.clone()])
            && best.as_ref().is_none_or(|(top, _)| score > *top)
        {
            best = Some((score, window.start + span.start..window.start + span.end));
        }
    }
    let (_, span) = best?;
    let matched = trace_back(claim, &text[span.clone()]);
    Some(Alignment { matched: matched.into_iter().map(|j| span.start + j).collect() })
}

/// The stretches of `text` around its claim words, merged where they overlap: an alignment
/// of the claim cannot reach further from a word it matches than the claim is long, with
/// half as many words again inserted.
fn windows(claim: &[u32], text: &[u32]) -> Vec<Range<usize>> {
    let reach = claim.len() + claim.len() / 2;
    let mut windows: Vec<Range<usize>> = Vec::new();
    for (at, &word) in text.iter().enumerate() {
        if word == Words::OTHER {
            continue;
        }
        let window = at.saturating_sub(reach)..(at + reach + 1).min(text.len());
        match windows.last_mut() {
            Some(last) if last.end >= window.start => last.end = window.end,
            _ => windows.push(window),
        }
    }
    windows
}

/// The best score of a local alignment of `claim` in `text`, and the span of `text` it
/// covers, in linear memory: each cell carries where its alignment started.
fn best_span(claim: &[u32], text: &[u32]) -> Option<(i32, Range<usize>)> {
    let n = text.len();
    // (score, start in text) of the previous and current claim word's row.
    let mut previous = vec![(0i32, 0usize); n + 1];
    let mut current = vec![(0i32, 0usize); n + 1];
    let mut best: Option<(i32, Range<usize>)> = None;
    for &word in claim {
        current[0] = (0, 0);
        for j in 1..=n {
            let step = if text[j - 1] == word { MATCH } else { MISMATCH };
            let (diagonal, up, left) = (previous[j - 1], previous[j], current[j - 1]);
            let mut cell = (0, j);
            for (score, start) in [
                (diagonal.0 + step, if diagonal.0 == 0 { j - 1 } else { diagonal.1 }),
                (up.0 + GAP, up.1),
                (left.0 + GAP, left.1),
            ] {
                if score > cell.0 {
                    cell = (score, start);
                }
            }
            current[j] = cell;
            if cell.0 > 0 && best.as_ref().is_none_or(|(top, _)| cell.0 > *top) {
                best = Some((cell.0, cell.1..j));
            }
        }
        std::mem::swap(&mut previous, &mut current);
    }
    best
}

/// The words of `text` matched by the best local alignment of `claim`, from the full score
/// matrix (`text` is one span, about the claim's length).
fn trace_back(claim: &[u32], text: &[u32]) -> Vec<usize> {
    let (m, n) = (claim.len(), text.len());
    let mut score = vec![vec![0i32; n + 1]; m + 1];
    let mut end = (0, 0, 0);
    for i in 1..=m {
        for j in 1..=n {
            let step = if claim[i - 1] == text[j - 1] { MATCH } else { MISMATCH };
            let cell = (score[i - 1][j - 1] + step)
                .max(score[i - 1][j] + GAP)
                .max(score[i][j - 1] + GAP)
                .max(0);
            score[i][j] = cell;
            if cell > end.0 {
                end = (cell, i, j);
            }
        }
    }
    let (_, mut i, mut j) = end;
    let mut matched = Vec::new();
    while i > 0 && j > 0 && score[i][j] > 0 {
        let same = claim[i - 1] == text[j - 1];
        let step = if same { MATCH } else { MISMATCH };
        if score[i][j] == score[i - 1][j - 1] + step {
            if same {
                matched.push(j - 1);
            }
            (i, j) = (i - 1, j - 1);
        } else if score[i][j] == score[i - 1][j] + GAP {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    matched.reverse();
    matched
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_lowercase).collect()
    }

    /// The text's words the claim aligns to.
    fn aligned(claim: &str, text: &str) -> Vec<String> {
        let (ids, claim) = Words::of_claim(&words(claim));
        let text = words(text);
        let sequence: Vec<u32> = text.iter().map(|word| ids.id(word)).collect();
        align(&claim, &sequence)
            .map(|found| found.matched.iter().map(|&j| text[j].clone()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn an_edited_claim_aligns_to_its_passage_not_to_scattered_words() {
        let text = "the minister said on monday that the talks would resume in beijing next week \
                    after a pause of two years while the talks on trade stay stalled";
        assert_eq!(
            aligned("talks would resume in beijing next week", text),
            words("talks would resume in beijing next week")
        );
        // A word changed, one dropped, one inserted.
        assert_eq!(
            aligned("the talks will resume in beijing soon next week", text),
            words("the talks resume in beijing next week")
        );
        // Shared words far apart do not make one span.
        assert_eq!(aligned("minister stalled", text).len(), 1);
        assert!(aligned("nothing shared here", text).is_empty());
    }

    #[test]
    fn the_best_of_several_stretches_is_chosen() {
        let filler = "filler ".repeat(500);
        let text = format!("talks resume {filler} talks would resume in beijing {filler} beijing");
        assert_eq!(
            aligned("talks would resume in beijing", &text),
            words("talks would resume in beijing")
        );
    }

    proptest::proptest! {
        /// The linear-memory pass and the full matrix agree on the best score's span, and
        /// every matched word is the claim's.
        #[test]
        fn matches_are_claim_words_in_order(
            claim in proptest::collection::vec(0u32..6, 1..12),
            text in proptest::collection::vec(0u32..9, 0..60),
        ) {
            let text: Vec<u32> = text.into_iter().map(|w| if w >= 6 { Words::OTHER } else { w }).collect();
            if let Some(found) = align(&claim, &text) {
                proptest::prop_assert!(!found.matched.is_empty());
                proptest::prop_assert!(found.matched.windows(2).all(|pair| pair[0] < pair[1]));
                proptest::prop_assert!(found.matched.iter().all(|&j| claim.contains(&text[j])));
            } else {
                proptest::prop_assert!(text.iter().all(|w| !claim.contains(w)));
            }
        }
    }
}
