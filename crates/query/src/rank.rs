//! Ranking: which documents a search shows, in which order, as addresses and scores only,
//! so that a page or an export of every hit holds no document it has not reached yet.

use std::sync::atomic::{AtomicUsize, Ordering};

use dateline_schema::names;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{Query, Weight};
use tantivy::{
    DateTime, DocAddress, DocId, DocSet, Order, Score, Searcher, SegmentOrdinal, SegmentReader,
    TERMINATED,
};

use crate::Sort;
use crate::ties::ScoreThenPath;

/// The `wanted` first documents of a search in its order, and how many matched.
pub(crate) struct Ranking {
    /// Documents that matched.
    pub total: usize,
    /// Of those, the ones without a date.
    pub undated: usize,
    /// Whether every match was counted (see [`crate::Query::count_up_to`]).
    pub exact: bool,
    /// The first `wanted`, in order, with their scores.
    pub hits: Vec<(Score, DocAddress)>,
}

/// Ranks the documents `query` matches by `sort`; ties go by path. Counts matches exactly up
/// to `count_up_to` (and always past `wanted`, so that a page can tell it reached the end).
pub(crate) fn rank(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    wanted: usize,
    count_up_to: usize,
) -> tantivy::Result<Ranking> {
    let limit = count_up_to.max(wanted.saturating_add(1));
    if wanted == 0 {
        let (total, undated, exact) = searcher.search(query, &CountUpTo::new(limit))?;
        return Ok(Ranking { total, undated, exact, hits: Vec::new() });
    }
    let by_date = |order| {
        TopDocs::with_limit(wanted).order_by((
            (SortByStaticFastValue::<DateTime>::for_field(names::DATE), order),
            (SortBySimilarityScore, Order::Desc),
            (SortByString::for_field(names::PATH), Order::Asc),
        ))
    };
    let dated = |top: Vec<(DateKey, DocAddress)>| {
        top.into_iter().map(|((_, score, _), address)| (score, address)).collect()
    };
    let (total, undated, exact, hits) = match sort {
        Sort::Newest => {
            let (total, undated, top) =
                searcher.search(query, &(Count, Undated, by_date(Order::Desc)))?;
            (total, undated, true, dated(top))
        }
        Sort::Oldest => {
            let (total, undated, top) =
                searcher.search(query, &(Count, Undated, by_date(Order::Asc)))?;
            (total, undated, true, dated(top))
        }
        Sort::Relevance => {
            // Ranking by score alone lets tantivy skip work; one extra hit tells whether a
            // tie straddles the cut. Only a tie calls for the slower collector that breaks
            // ties by path.
            let by_score = TopDocs::with_limit(wanted + 1).order_by_score();
            let (total, undated, exact, mut top) = if limit == usize::MAX {
                let (total, undated, top) = searcher.search(query, &(Count, Undated, by_score))?;
                (total, undated, true, top)
            } else {
                // Ranked alone, tantivy skips the blocks of a word's reports that cannot
                // reach the page (block-max WAND), which counting every match rules out.
                let top = searcher.search(query, &by_score)?;
                let (total, undated, exact) = match top.len() > wanted {
                    true => searcher.search(query, &CountUpTo::new(limit))?,
                    false => {
                        let (_, undated, exact) = searcher.search(query, &CountUpTo::new(limit))?;
                        (top.len(), undated, exact)
                    }
                };
                (total, undated, exact, top)
            };
            if top.windows(2).any(|pair| pair[0].0 == pair[1].0) {
                top = searcher.search(query, &ScoreThenPath { limit: wanted })?;
            }
            top.truncate(wanted);
            (total, undated, exact, top)
        }
    };
    Ok(Ranking { total, undated, exact, hits })
}

/// The key of a date order: the date, then the score, then the path.
type DateKey = (Option<DateTime>, Score, Option<String>);

/// Counts the matching documents without a date.
struct Undated;

struct SegmentUndated {
    dates: Option<Column<DateTime>>,
    count: usize,
}

impl Collector for Undated {
    type Fruit = usize;
    type Child = SegmentUndated;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(SegmentUndated { dates: segment.fast_fields().column_opt(names::DATE)?, count: 0 })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<usize>) -> tantivy::Result<usize> {
        Ok(segments.into_iter().sum())
    }
}

impl SegmentCollector for SegmentUndated {
    type Fruit = usize;

    fn collect(&mut self, doc: DocId, _: Score) {
        if self.dates.as_ref().and_then(|dates| dates.first(doc)).is_none() {
            self.count += 1;
        }
    }

    fn harvest(self) -> usize {
        self.count
    }
}

/// Counts the matching documents, and those without a date, up to `limit` in all: past it
/// counting stops, and the counts are lower bounds.
pub(crate) struct CountUpTo {
    limit: usize,
    /// Matches counted in the segments done.
    counted: AtomicUsize,
}

impl CountUpTo {
    pub(crate) fn new(limit: usize) -> CountUpTo {
        CountUpTo { limit, counted: AtomicUsize::new(0) }
    }
}

pub(crate) struct SegmentCountUpTo {
    dates: Option<Column<DateTime>>,
    matched: usize,
    undated: usize,
}

impl Collector for CountUpTo {
    /// Matches, undated matches, and whether every match was counted.
    type Fruit = (usize, usize, bool);
    type Child = SegmentCountUpTo;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let dates = segment.fast_fields().column_opt(names::DATE)?;
        Ok(SegmentCountUpTo { dates, matched: 0, undated: 0 })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    /// A count that stopped says the limit ("10,000+"), whatever other segments counted.
    fn merge_fruits(&self, segments: Vec<(usize, usize, bool)>) -> tantivy::Result<Self::Fruit> {
        let (total, undated, exact) =
            segments.into_iter().fold((0, 0, true), |(total, undated, exact), segment| {
                (total + segment.0, undated + segment.1, exact && segment.2)
            });
        Ok(match exact {
            true => (total, undated, true),
            false => (self.limit, undated.min(self.limit), false),
        })
    }

    /// tantivy's loop, stopped at the limit: a collector cannot stop it otherwise.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        ordinal: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Fruit> {
        let mut child = self.for_segment(ordinal, segment)?;
        let mut scorer = weight.scorer(segment, 1.0)?;
        let alive = segment.alive_bitset();
        let room = self.limit.saturating_sub(self.counted.load(Ordering::Relaxed));
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                if child.matched == room {
                    self.counted.fetch_add(child.matched, Ordering::Relaxed);
                    return Ok((child.matched, child.undated, false));
                }
                child.collect(doc, 0.0);
            }
            doc = scorer.advance();
        }
        self.counted.fetch_add(child.matched, Ordering::Relaxed);
        Ok(child.harvest())
    }
}

impl SegmentCollector for SegmentCountUpTo {
    type Fruit = (usize, usize, bool);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.matched += 1;
        if self.dates.as_ref().and_then(|dates| dates.first(doc)).is_none() {
            self.undated += 1;
        }
    }

    fn harvest(self) -> (usize, usize, bool) {
        (self.matched, self.undated, true)
    }
}
