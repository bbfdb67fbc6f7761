//! Ranking: which documents a search shows, in which order, as addresses and scores only,
//! so that a page or an export of every hit holds no document it has not reached yet.

use dateline_schema::names;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DateTime, DocAddress, DocId, Order, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::Sort;

/// The `wanted` first documents of a search in its order, and how many matched.
pub(crate) struct Ranking {
    /// Documents that matched.
    pub total: usize,
    /// Of those, the ones without a date.
    pub undated: usize,
    /// The first `wanted`, in order, with their scores.
    pub hits: Vec<(Score, DocAddress)>,
}

/// Ranks the documents `query` matches by `sort`; ties go by path.
pub(crate) fn rank(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    wanted: usize,
) -> tantivy::Result<Ranking> {
    if wanted == 0 {
        let (total, undated) = searcher.search(query, &(Count, Undated))?;
        return Ok(Ranking { total, undated, hits: Vec::new() });
    }
    let by_date = |order| {
        TopDocs::with_limit(wanted).order_by((
            (SortByStaticFastValue::<DateTime>::for_field(names::DATE), order),
            (SortBySimilarityScore, Order::Desc),
            (SortByString::for_field(names::PATH), Order::Asc),
        ))
    };
    let dated = |top: Vec<((Option<DateTime>, Score, Option<String>), DocAddress)>| {
        top.into_iter().map(|((_, score, _), address)| (score, address)).collect()
    };
    let (total, undated, hits) = match sort {
        Sort::Newest => {
            let (total, undated, top) =
                searcher.search(query, &(Count, Undated, by_date(Order::Desc)))?;
            (total, undated, dated(top))
        }
        Sort::Oldest => {
            let (total, undated, top) =
                searcher.search(query, &(Count, Undated, by_date(Order::Asc)))?;
            (total, undated, dated(top))
        }
        Sort::Relevance => {
            // Ranking by score alone lets tantivy skip work; one extra hit tells whether a
            // tie straddles the cut. Only a tie calls for the slower collector that breaks
            // ties by path.
            let by_score = TopDocs::with_limit(wanted + 1).order_by_score();
            let (total, undated, mut top) = searcher.search(query, &(Count, Undated, by_score))?;
            if top.windows(2).any(|pair| pair[0].0 == pair[1].0) {
                let by_score_then_path = TopDocs::with_limit(wanted).order_by((
                    (SortBySimilarityScore, Order::Desc),
                    (SortByString::for_field(names::PATH), Order::Asc),
                ));
                top = searcher
                    .search(query, &by_score_then_path)?
                    .into_iter()
                    .map(|((score, _path), address)| (score, address))
                    .collect();
            }
            top.truncate(wanted);
            (total, undated, top)
        }
    };
    Ok(Ranking { total, undated, hits })
}

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
