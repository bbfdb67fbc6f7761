//! A time budget and a cancel switch for one search.
//!
//! tantivy has no deadline of its own, so the query is wrapped: its scorers stop producing
//! documents once the budget is spent or the search is cancelled, and the search then
//! reports why it stopped instead of returning a partial answer as if it were whole.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::{Duration, Instant};

use tantivy::query::{BooleanQuery, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, TERMINATED};

use crate::Error;
use crate::skipping::SkippingUnion;

/// Stops a search from another thread: clone it into [`crate::Query::cancel_with`], then call
/// [`Cancel::cancel`]. A server cancels the search of a client that has gone away.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A switch that has not been thrown.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Stops every search that holds a clone of this switch, within a few thousand documents.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`Cancel::cancel`] has been called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

const RUNNING: u8 = 0;
const TIMED_OUT: u8 = 1;
const CANCELLED: u8 = 2;

/// How often (in documents) a scorer looks at the clock: often enough to stop within a
/// millisecond or so, rarely enough to cost nothing measurable.
const CHECK_EVERY: u32 = 256;

/// How often (in candidate documents) a phrase looks at the clock. A candidate costs a
/// phrase far more than a document costs a word (its positions are read and aligned), so
/// the clock is read more often, at the same share of the work.
const PHRASE_CHECK_EVERY: u32 = 32;

/// The limits of one search, shared by every scorer it creates.
#[derive(Debug)]
pub(crate) struct Budget {
    started: Instant,
    time: Duration,
    cancel: Option<Cancel>,
    state: AtomicU8,
}

impl Budget {
    pub fn new(time: Duration, cancel: Option<Cancel>) -> Arc<Budget> {
        Arc::new(Budget { started: Instant::now(), time, cancel, state: AtomicU8::new(RUNNING) })
    }

    /// Whether the search must stop now; records why, the first time.
    fn spent(&self) -> bool {
        if self.state.load(Ordering::Relaxed) != RUNNING {
            return true;
        }
        let why = if self.cancel.as_ref().is_some_and(Cancel::is_cancelled) {
            CANCELLED
        } else if self.started.elapsed() > self.time {
            TIMED_OUT
        } else {
            return false;
        };
        self.state.store(why, Ordering::Relaxed);
        true
    }

    /// An error if the search stopped early, or if it was cancelled before it got this far.
    pub fn check(&self) -> Result<(), Error> {
        self.spent();
        match self.state.load(Ordering::Relaxed) {
            RUNNING => Ok(()),
            TIMED_OUT => Err(Error::TimedOut { budget: self.time }),
            _ => Err(Error::Cancelled),
        }
    }

    /// `query`, stopping when this budget is spent.
    ///
    /// The phrases inside its boolean queries are wrapped too: tantivy's union of several
    /// clauses advances each of them over a window of thousands of documents at a time, so
    /// a phrase looked for in several fields (one per language) would otherwise be checked
    /// only once a window, and a costly phrase spends seconds in one. Words are left bare:
    /// they are cheap per document, and tantivy prunes unions of bare words (block-max WAND).
    pub fn wrap(self: &Arc<Budget>, query: Box<dyn Query>) -> Box<dyn Query> {
        Box::new(Budgeted {
            inner: self.wrap_phrases(query),
            budget: Arc::clone(self),
            stepped: false,
        })
    }

    fn wrap_phrases(self: &Arc<Budget>, query: Box<dyn Query>) -> Box<dyn Query> {
        if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
            let clauses = boolean
                .clauses()
                .iter()
                .map(|(occur, clause)| (*occur, self.wrap_phrases(clause.box_clone())))
                .collect();
            let mut rebuilt = BooleanQuery::new(clauses);
            rebuilt.set_minimum_number_should_match(boolean.get_minimum_number_should_match());
            return Box::new(rebuilt);
        }
        if let Some(union) = query.downcast_ref::<SkippingUnion>() {
            let clauses =
                union.clauses().iter().map(|clause| self.wrap_phrases(clause.box_clone()));
            return Box::new(SkippingUnion::new(clauses.collect()));
        }
        let mut positional = false;
        query.query_terms(&mut |_, needs_positions| positional |= needs_positions);
        match positional {
            true => Box::new(Budgeted { inner: query, budget: Arc::clone(self), stepped: true }),
            false => query,
        }
    }
}

#[derive(Debug)]
struct Budgeted {
    inner: Box<dyn Query>,
    budget: Arc<Budget>,
    /// Whether its scorers are driven one candidate at a time ([`SteppedScorer`]): set
    /// for phrases, whose own `advance` can spend a whole segment out of the budget's reach.
    stepped: bool,
}

impl Clone for Budgeted {
    fn clone(&self) -> Budgeted {
        Budgeted {
            inner: self.inner.box_clone(),
            budget: Arc::clone(&self.budget),
            stepped: self.stepped,
        }
    }
}

impl Query for Budgeted {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(BudgetedWeight {
            inner: self.inner.weight(scoring)?,
            budget: Arc::clone(&self.budget),
            stepped: self.stepped,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct BudgetedWeight {
    inner: Box<dyn Weight>,
    budget: Arc<Budget>,
    stepped: bool,
}

impl Weight for BudgetedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if self.budget.spent() {
            return Ok(Box::new(tantivy::query::EmptyScorer));
        }
        if self.stepped {
            // `scorer_danger` does not look for the first match: a phrase's `scorer` would,
            // through the whole segment if the phrase is rare.
            let (first, inner) = self.inner.scorer_danger(reader, 0, boost)?;
            return Ok(Box::new(SteppedScorer::new(inner, first, Arc::clone(&self.budget))));
        }
        Ok(Box::new(BudgetedScorer {
            inner: self.inner.scorer(reader, boost)?,
            budget: Arc::clone(&self.budget),
            steps: 0,
            stopped: false,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    // Kept so that the inner query's own pruning (block-max WAND) still applies: once the
    // budget is spent, an unreachable threshold makes every remaining document
    // non-competitive, and the inner scorer skips to the end.
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        if self.budget.spent() {
            return Ok(());
        }
        if self.stepped {
            // A phrase has no pruning of its own (tantivy's default walks its scorer), so the
            // stepped scorer is walked instead.
            let mut scorer = self.scorer(reader, 1.0)?;
            let mut threshold = threshold;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                let score = scorer.score();
                if score > threshold {
                    threshold = callback(doc, score);
                }
                doc = scorer.advance();
            }
            return Ok(());
        }
        let mut steps = 0u32;
        let budget = &self.budget;
        self.inner.for_each_pruning(threshold, reader, &mut |doc, score| {
            let threshold = callback(doc, score);
            steps = steps.wrapping_add(1);
            if steps.is_multiple_of(CHECK_EVERY) && budget.spent() {
                return Score::INFINITY;
            }
            threshold
        })
    }
}

struct BudgetedScorer {
    inner: Box<dyn Scorer>,
    budget: Arc<Budget>,
    steps: u32,
    stopped: bool,
}

impl BudgetedScorer {
    fn must_stop(&mut self) -> bool {
        self.steps = self.steps.wrapping_add(1);
        if self.steps.is_multiple_of(CHECK_EVERY) && self.budget.spent() {
            self.stopped = true;
        }
        self.stopped
    }
}

impl DocSet for BudgetedScorer {
    fn advance(&mut self) -> DocId {
        if self.must_stop() {
            return TERMINATED;
        }
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.must_stop() {
            return TERMINATED;
        }
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        if self.stopped { TERMINATED } else { self.inner.doc() }
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for BudgetedScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

/// A phrase's scorer, driven one candidate document at a time.
///
/// tantivy's phrase scorer `advance`s by looping over every document that holds all the
/// phrase's words until one holds them in order: a phrase whose words are common but
/// rarely together (sixteen of one word within a slop of 20, say) spends a whole segment
/// in one call, out of the budget's reach. `seek_danger` looks at one candidate and
/// returns, so the budget is checked between candidates.
struct SteppedScorer {
    inner: Box<dyn Scorer>,
    budget: Arc<Budget>,
    /// The document the scorer is on. `inner.doc()` is not kept while it is between
    /// candidates (the state `seek_danger` leaves it in on a miss).
    doc: DocId,
    steps: u32,
}

impl SteppedScorer {
    /// `inner` as [`Weight::scorer_danger`] returns it for target 0, with its `first` result.
    fn new(inner: Box<dyn Scorer>, first: SeekDangerResult, budget: Arc<Budget>) -> SteppedScorer {
        let mut scorer = SteppedScorer { inner, budget, doc: 0, steps: 0 };
        if let SeekDangerResult::SeekLowerBound(target) = first {
            scorer.step_from(target);
        }
        scorer
    }

    /// Moves to the first match at or after `target`, or to the end if there is none or
    /// the budget is spent.
    fn step_from(&mut self, mut target: DocId) -> DocId {
        while target < TERMINATED {
            self.steps = self.steps.wrapping_add(1);
            if self.steps.is_multiple_of(PHRASE_CHECK_EVERY) && self.budget.spent() {
                target = TERMINATED;
                break;
            }
            match self.inner.seek_danger(target) {
                SeekDangerResult::Found => break,
                SeekDangerResult::SeekLowerBound(next) => target = next,
            }
        }
        self.doc = target.min(TERMINATED);
        self.doc
    }
}

impl DocSet for SteppedScorer {
    fn advance(&mut self) -> DocId {
        match self.doc {
            TERMINATED => TERMINATED,
            doc => self.step_from(doc + 1),
        }
    }

    fn seek(&mut self, target: DocId) -> DocId {
        match target <= self.doc {
            true => self.doc,
            false => self.step_from(target),
        }
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for SteppedScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{PhraseQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{IndexWriter, Searcher, Term, doc};

    use super::*;

    /// One segment of 5,000 documents that all hold `alpha` and `beta`, in order only in
    /// the first and the last: every document is a candidate of the phrase, two match it.
    fn rare_phrase() -> (Searcher, PhraseQuery, TermQuery) {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = tantivy::Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000).unwrap();
        for n in 0..5000 {
            let text = if n == 0 || n == 4999 { "alpha beta" } else { "beta gamma alpha" };
            writer.add_document(doc!(body => text)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let word = |w| Term::from_field_text(body, w);
        let phrase = PhraseQuery::new(vec![word("alpha"), word("beta")]);
        let gamma = TermQuery::new(word("gamma"), IndexRecordOption::WithFreqs);
        (searcher, phrase, gamma)
    }

    #[test]
    fn a_cancelled_phrase_stops_between_candidates_not_at_its_next_match() {
        let (searcher, phrase, _) = rare_phrase();
        let cancel = Cancel::new();
        let budget = Budget::new(Duration::from_secs(3600), Some(cancel.clone()));
        let query = budget.wrap(Box::new(phrase));
        let weight = query.weight(EnableScoring::disabled_from_searcher(&searcher)).unwrap();
        let mut scorer = weight.scorer(searcher.segment_reader(0), 1.0).unwrap();
        assert_eq!(scorer.doc(), 0);
        cancel.cancel();
        // Unstepped, tantivy's phrase scorer would run through 4,998 candidates to the
        // last document before the budget was looked at again.
        assert_eq!(scorer.advance(), TERMINATED);
        assert!(matches!(budget.check(), Err(Error::Cancelled)));
    }

    #[test]
    fn a_budgeted_phrase_finds_and_scores_what_the_bare_one_does() {
        let (searcher, phrase, gamma) = rare_phrase();
        let union = BooleanQuery::union(vec![Box::new(phrase.clone()), Box::new(gamma)]);
        for bare in [Box::new(phrase) as Box<dyn Query>, Box::new(union)] {
            let budget = Budget::new(Duration::from_secs(3600), None);
            let wrapped = budget.wrap(bare.box_clone());
            let top = TopDocs::with_limit(10).order_by_score();
            let expected = searcher.search(bare.as_ref(), &top).unwrap();
            assert_eq!(searcher.search(wrapped.as_ref(), &top).unwrap(), expected);
            let count = searcher.search(bare.as_ref(), &Count).unwrap();
            assert_eq!(searcher.search(wrapped.as_ref(), &Count).unwrap(), count);
            assert!(budget.check().is_ok());
        }
        let (searcher, phrase, _) = rare_phrase();
        assert_eq!(searcher.search(&phrase, &Count).unwrap(), 2);
    }
}
