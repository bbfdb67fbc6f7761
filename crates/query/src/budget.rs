//! A time budget and a cancel switch for one search.
//!
//! tantivy has no deadline of its own, so the query is wrapped: its scorers stop producing
//! documents once the budget is spent or the search is cancelled, and the search then
//! reports why it stopped instead of returning a partial answer as if it were whole.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::{Duration, Instant};

use tantivy::query::{BooleanQuery, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

use crate::Error;

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
        Box::new(Budgeted { inner: self.wrap_phrases(query), budget: Arc::clone(self) })
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
        let mut positional = false;
        query.query_terms(&mut |_, needs_positions| positional |= needs_positions);
        match positional {
            true => Box::new(Budgeted { inner: query, budget: Arc::clone(self) }),
            false => query,
        }
    }
}

#[derive(Debug)]
struct Budgeted {
    inner: Box<dyn Query>,
    budget: Arc<Budget>,
}

impl Clone for Budgeted {
    fn clone(&self) -> Budgeted {
        Budgeted { inner: self.inner.box_clone(), budget: Arc::clone(&self.budget) }
    }
}

impl Query for Budgeted {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(BudgetedWeight {
            inner: self.inner.weight(scoring)?,
            budget: Arc::clone(&self.budget),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct BudgetedWeight {
    inner: Box<dyn Weight>,
    budget: Arc<Budget>,
}

impl Weight for BudgetedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if self.budget.spent() {
            return Ok(Box::new(tantivy::query::EmptyScorer));
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
