//! Tracing a claim: every report that carries a sentence, verbatim or lightly edited, in
//! time order, the first named, with its aligned passage as evidence and how many
//! independent sources carry it.
//!
//! Candidates come from the index: the reports holding at least half of the claim's
//! [`MAX_QUERY_WORDS`] rarest words (as written, lower-cased: the exact body field), at most
//! [`MAX_CANDIDATES`] by BM25. Each candidate's body is then aligned word by word against
//! the claim ([`crate::align`]), and kept when its best aligned span matches at least
//! [`MIN_COVERAGE`] of the claim's words. Word-matching alone would keep independent reports
//! of the same story, which share the story's words but not its sentences.

use std::cmp::Ordering;
use std::ops::Range;

use dateline_schema::{StoredReport, languages, names};
use serde::Serialize;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use crate::align::{self, Words};
use crate::budget::Budget;
use crate::hit::{Attribution, Passage};
use crate::passage::BodyOrigin;
use crate::{Cancel, DEFAULT_TIME_BUDGET, Error, Index, Result};

/// Fewest words a claim may have: fewer would be carried by every report that uses them.
pub const MIN_CLAIM_WORDS: usize = 4;
/// Most words a claim may have: a sentence or a short paragraph.
pub const MAX_CLAIM_WORDS: usize = 200;
/// Share of the claim's words a report's aligned passage must match. Chosen on the bundled
/// reports (five independent reports of one story): no sentence of one aligns to another
/// at 0.5 or more (the most is 0.46), while each sentence with every fifth word changed
/// still aligns to its own report at 0.7 or more.
pub const MIN_COVERAGE: f64 = 0.6;
/// Most reports aligned per claim, best-matching first.
pub const MAX_CANDIDATES: usize = 500;
/// The claim's rarest words that find candidates.
const MAX_QUERY_WORDS: usize = 12;

/// A claim to trace: a sentence, and what its tracing may cost.
#[derive(Clone, Debug)]
pub struct Claim {
    text: String,
    time_budget: std::time::Duration,
    cancel: Option<Cancel>,
}

impl Claim {
    /// The claim `text`, with the [`DEFAULT_TIME_BUDGET`].
    pub fn new(text: impl Into<String>) -> Claim {
        Claim { text: text.into(), time_budget: DEFAULT_TIME_BUDGET, cancel: None }
    }

    /// Stops the trace with [`Error::TimedOut`] once it has run this long.
    pub fn time_budget(mut self, budget: std::time::Duration) -> Claim {
        self.time_budget = budget;
        self
    }

    /// Stops the trace with [`Error::Cancelled`] when `cancel` is thrown.
    pub fn cancel_with(mut self, cancel: Cancel) -> Claim {
        self.cancel = Some(cancel);
        self
    }
}

/// The reports carrying a claim, from [`Index::trace`].
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Trace {
    /// The claim as given.
    pub claim: String,
    /// Its words, as aligned.
    pub claim_words: usize,
    /// Reports aligned against it (those holding most of its rarest words).
    pub candidates: usize,
    /// The report that carried it first: the first of [`Trace::reports`] when that one is
    /// dated; `None` when no report carries it or none of those that do is dated.
    pub first: Option<String>,
    /// Other reports that cannot be told apart from the first by date: the same day with no
    /// time of day to compare, or the same moment.
    pub first_ties: usize,
    /// Reports carrying the claim without a date; they come last.
    pub undated: usize,
    /// Every report carrying the claim, in time order: by date, then by time of day where
    /// known (reports of that day without one after), undated last; ties by name.
    pub reports: Vec<Carrier>,
    /// How many independent sources carry it.
    pub corroboration: Corroboration,
}

/// A report carrying a claim.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Carrier {
    /// Which report, and how to cite it. In JSON its fields stand beside `coverage`.
    #[serde(flatten)]
    pub attribution: Attribution,
    /// The report's copy group (16 hex digits): reports of one group are one source.
    pub copy_group: String,
    /// Share of the claim's words its passage matches, 0 to 1.
    pub coverage: f64,
    /// The passage the claim aligns to, from its first to its last matched word; the
    /// matched words are highlighted.
    pub passage: Passage,
}

/// How many independent sources carry a claim.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct Corroboration {
    /// Copy groups among the reports carrying it: reprints of one text count once.
    pub independent: usize,
    /// The outlets of the copy groups' earliest reports (distinct publishers), in time
    /// order: a reprint's outlet is not a source of its own.
    pub outlets: Vec<String>,
    /// Copy groups whose earliest report names no outlet.
    pub unnamed: usize,
}

impl Corroboration {
    /// Tallies sources given in time order as (copy group, publisher): each copy group
    /// counts once, by its earliest report; a report without a group is a source of its own.
    /// Traces and stories both count this way, so they agree on what a source is.
    pub(crate) fn tally<'a, G: Eq + std::hash::Hash>(
        sources: impl IntoIterator<Item = (Option<G>, Option<&'a str>)>,
    ) -> Corroboration {
        let mut seen_groups = std::collections::HashSet::new();
        let mut tally = Corroboration::default();
        for (group, publisher) in sources {
            if let Some(group) = group
                && !seen_groups.insert(group)
            {
                continue;
            }
            tally.independent += 1;
            match publisher {
                Some(name) if !tally.outlets.iter().any(|outlet| outlet == name) => {
                    tally.outlets.push(name.to_string());
                }
                Some(_) => {}
                None => tally.unnamed += 1,
            }
        }
        tally
    }
}

impl Index {
    /// Every report that carries `claim` (a sentence, verbatim or lightly edited), in time
    /// order. A claim of fewer than [`MIN_CLAIM_WORDS`] or more than [`MAX_CLAIM_WORDS`]
    /// words is an [`Error::Claim`].
    #[tracing::instrument(level = "debug", skip_all)]
    pub fn trace(&self, claim: &Claim) -> Result<Trace> {
        let budget = Budget::new(claim.time_budget, claim.cancel.clone());
        let claim = claim.text.as_str();
        let words: Vec<String> = analysed(claim).into_iter().map(|(_, word)| word).collect();
        let wrong = |reason: String| Error::Claim { claim: claim.to_string(), reason };
        if words.len() < MIN_CLAIM_WORDS {
            return Err(wrong(format!(
                "a claim needs at least {MIN_CLAIM_WORDS} words (it has {}); to find a few words, search for them",
                words.len()
            )));
        }
        if words.len() > MAX_CLAIM_WORDS {
            return Err(wrong(format!(
                "a claim may have at most {MAX_CLAIM_WORDS} words (it has {}); trace one sentence of it",
                words.len()
            )));
        }
        let searcher = self.reader.searcher();
        let candidates = self.candidates(&searcher, &words)?;
        budget.check()?;
        let (ids, sequence) = Words::of_claim(&words);
        let mut reports = Vec::new();
        for &address in &candidates {
            budget.check()?;
            let doc = self.doc(&searcher, address)?;
            let report = StoredReport::from_document(&doc, &self.fields);
            let Some((coverage, passage)) = carried(&report, &ids, &sequence) else { continue };
            let group = copy_group(&searcher, address).map_err(|e| self.read_error(e))?;
            reports.push(Carrier {
                attribution: Attribution::of(&report, self.name_of(&report), Vec::new()),
                copy_group: format!("{group:016x}"),
                coverage,
                passage,
            });
        }
        reports.sort_by(in_time_order);
        let first = reports.first().filter(|r| r.attribution.date.is_some());
        let first_ties = first.map_or(0, |first| {
            reports[1..]
                .iter()
                .filter(|other| time_key(other) == time_key(first) || untimed_tie(first, other))
                .count()
        });
        Ok(Trace {
            claim: claim.to_string(),
            claim_words: words.len(),
            candidates: candidates.len(),
            first: first.map(|first| first.attribution.name.clone()),
            first_ties,
            undated: reports.iter().filter(|r| r.attribution.date.is_none()).count(),
            corroboration: corroboration(&reports),
            reports,
        })
    }

    /// The reports holding at least half of the claim's rarest words, best first.
    fn candidates(&self, searcher: &Searcher, words: &[String]) -> Result<Vec<DocAddress>> {
        let mut rare: Vec<(u64, &String)> = Vec::new();
        for word in words {
            if rare.iter().any(|(_, seen)| *seen == word) {
                continue;
            }
            let term = Term::from_field_text(self.fields.body, word);
            let found = searcher.doc_freq(&term).map_err(|e| self.read_error(e))?;
            // A word no report holds (an edit, a typo) cannot find one.
            if found > 0 {
                rare.push((found, word));
            }
        }
        rare.sort();
        rare.truncate(MAX_QUERY_WORDS);
        if rare.is_empty() {
            return Ok(Vec::new());
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = rare
            .iter()
            .map(|(_, word)| {
                let term = Term::from_field_text(self.fields.body, word);
                let query: Box<dyn Query> =
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                (Occur::Should, query)
            })
            .collect();
        let query = BooleanQuery::with_minimum_required_clauses(clauses, rare.len().div_ceil(2));
        let wanted = MAX_CANDIDATES.min(searcher.num_docs() as usize).max(1);
        let top = tantivy::collector::TopDocs::with_limit(wanted).order_by_score();
        let found = searcher.search(&query, &top).map_err(|e| self.read_error(e))?;
        Ok(found.into_iter().map(|(_, address)| address).collect())
    }
}

/// The words of `text` as the exact body field holds them, with their byte ranges.
fn analysed(text: &str) -> Vec<(Range<usize>, String)> {
    let mut analyzer = languages::exact_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while stream.advance() {
        let token = stream.token();
        words.push((token.offset_from..token.offset_to, token.text.clone()));
    }
    words
}

/// The share of the claim `report` carries and the passage it carries it in, when that
/// share reaches [`MIN_COVERAGE`].
fn carried(report: &StoredReport, ids: &Words, claim: &[u32]) -> Option<(f64, Passage)> {
    let words = analysed(&report.body);
    let sequence: Vec<u32> = words.iter().map(|(_, word)| ids.id(word)).collect();
    let alignment = align::align(claim, &sequence)?;
    let coverage = alignment.matched.len() as f64 / claim.len() as f64;
    if coverage < MIN_COVERAGE {
        return None;
    }
    let (&first, &last) = (alignment.matched.first()?, alignment.matched.last()?);
    let span = words[first].0.start..words[last].0.end;
    // Matched words next to each other are one highlight, as a phrase is in a search.
    let mut highlights: Vec<Range<usize>> = Vec::new();
    let mut previous = None;
    for &j in &alignment.matched {
        let range = words[j].0.start - span.start..words[j].0.end - span.start;
        match highlights.last_mut() {
            Some(last) if previous.is_some_and(|p: usize| p + 1 == j) => last.end = range.end,
            _ => highlights.push(range),
        }
        previous = Some(j);
    }
    let origin = BodyOrigin::of(report);
    let line_starts = dateline_schema::lines::starts(&report.body);
    let line = origin.line_at(&line_starts, span.start);
    let offset = origin.offsets.file_offset(span.start as u64);
    let length = origin.offsets.file_offset(span.end as u64) - offset;
    let passage = Passage {
        line,
        match_line: line,
        offset,
        length,
        text: report.body[span].to_string(),
        highlights,
    };
    Some((coverage, passage))
}

/// The copy group of the report at `address`, from its fast column (0 for a document
/// written without one).
fn copy_group(searcher: &Searcher, address: DocAddress) -> tantivy::Result<u64> {
    let segment = searcher.segment_reader(address.segment_ord);
    let column = segment.fast_fields().u64(names::COPY_GROUP)?;
    Ok(column.first(address.doc_id).unwrap_or(0))
}

/// Date, then time of day where known (a report of the day without one after those with
/// one), undated last; ties by name.
fn in_time_order(a: &Carrier, b: &Carrier) -> Ordering {
    time_key(a).cmp(&time_key(b)).then_with(|| a.attribution.name.cmp(&b.attribution.name))
}

type TimeKey = (bool, Option<jiff::civil::Date>, bool, Option<jiff::Timestamp>);

fn time_key(carrier: &Carrier) -> TimeKey {
    let a = &carrier.attribution;
    (a.date.is_none(), a.date, a.published_at.is_none(), a.published_at)
}

/// Whether `other` is of the first report's day and either lacks a time of day: which came
/// first cannot be told.
fn untimed_tie(first: &Carrier, other: &Carrier) -> bool {
    let (a, b) = (&first.attribution, &other.attribution);
    a.date == b.date && (a.published_at.is_none() || b.published_at.is_none())
}

fn corroboration(reports: &[Carrier]) -> Corroboration {
    Corroboration::tally(
        reports.iter().map(|r| (Some(r.copy_group.as_str()), r.attribution.publisher.as_deref())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_group_counts_once_by_its_earliest_reports_outlet() {
        let tally = Corroboration::tally([
            (Some(1), Some("Reuters")),
            (Some(1), Some("Daily Reprint")),
            (None, Some("Reuters")),
            (Some(2), None),
            (Some(2), Some("Weekly Echo")),
        ]);
        assert_eq!((tally.independent, tally.unnamed), (3, 1));
        assert_eq!(tally.outlets, ["Reuters"]);
    }

    fn coverage(claim: &[String], text: &str) -> f64 {
        let (ids, claim) = Words::of_claim(claim);
        let text: Vec<u32> = analysed(text).iter().map(|(_, word)| ids.id(word)).collect();
        align::align(&claim, &text)
            .map_or(0.0, |found| found.matched.len() as f64 / claim.len() as f64)
    }

    /// [`MIN_COVERAGE`] separates, on the bundled reports, a sentence of one report lightly
    /// edited (every fifth word changed) from the other four, independent reports of its
    /// story, with a margin either side.
    #[test]
    fn the_threshold_separates_edited_copies_from_independent_reports() {
        let texts: Vec<String> = dateline_fixtures::bundled_reports()
            .iter()
            .map(|path| std::fs::read_to_string(path).unwrap())
            .collect();
        let (mut sentences, mut independent, mut edited) = (0, 0.0f64, 1.0f64);
        for (i, text) in texts.iter().enumerate() {
            for sentence in text.split(['.', '\n']) {
                let words: Vec<String> = analysed(sentence).into_iter().map(|(_, w)| w).collect();
                if words.len() < 8 {
                    continue;
                }
                sentences += 1;
                for (j, other) in texts.iter().enumerate() {
                    if i != j {
                        independent = independent.max(coverage(&words, other));
                    }
                }
                let changed: Vec<String> = words
                    .iter()
                    .enumerate()
                    .map(|(k, w)| if k % 5 == 2 { format!("{w}x") } else { w.clone() })
                    .collect();
                edited = edited.min(coverage(&changed, text));
            }
        }
        assert!(sentences > 60, "{sentences} sentences");
        assert!(independent < MIN_COVERAGE - 0.1, "an independent report aligns at {independent}");
        assert!(edited >= MIN_COVERAGE + 0.1, "an edited sentence aligns at only {edited}");
    }
}
