//! One hit per copy group or per story, in one pass over the matches: a collector that keeps
//! each group's best report and the best groups, so that a page of distinct texts costs one
//! ranking however many copies the best texts have. Ranking deeper and deeper and then
//! dropping the copies read, on a corpus where every text ran ten times, two rankings 28
//! and 112 deep a page.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use dateline_schema::names;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Weight;
use tantivy::{DateTime, DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::budget::Budget;
use crate::plan::Plan;
use crate::rank::CountUpTo;
use crate::search::Ranked;
use crate::{Index, MAX_COLLAPSE_DEPTH, Result, Sort};

/// A match as the order sees it: its date (date orders only), score, path ordinal in its
/// segment, document, and group (none: it stands alone).
#[derive(Clone, Copy)]
struct Entry {
    date: Option<DateTime>,
    score: Score,
    path: Option<u64>,
    doc: DocId,
    group: Option<u64>,
}

/// The order's key before the path: dates as the order asks, undated last, then score.
fn by_key(sort: Sort, a: &Entry, b: &Entry) -> Ordering {
    let dates = match (sort, a.date, b.date) {
        (Sort::Relevance, _, _) | (_, None, None) => Ordering::Equal,
        (_, Some(_), None) => Ordering::Less,
        (_, None, Some(_)) => Ordering::Greater,
        (Sort::Newest, Some(a), Some(b)) => b.cmp(&a),
        (Sort::Oldest, Some(a), Some(b)) => a.cmp(&b),
    };
    dates.then(b.score.total_cmp(&a.score))
}

/// The whole order within one segment, where path ordinals order as paths do.
fn within_segment(sort: Sort, a: &Entry, b: &Entry) -> Ordering {
    by_key(sort, a, b).then(a.path.cmp(&b.path)).then(a.doc.cmp(&b.doc))
}

/// The best `limit` groups of a search in `sort`'s order, each by its best report; ties by
/// path, then address, as [`crate::rank`] orders them.
pub(crate) struct TopDistinct {
    sort: Sort,
    /// The fast column naming a report's group.
    column: &'static str,
    limit: usize,
}

/// A segment's best report of each of its best groups.
pub(crate) struct SegmentTopDistinct {
    sort: Sort,
    limit: usize,
    groups: Option<Column<u64>>,
    dates: Option<Column<DateTime>>,
    paths: Option<StrColumn>,
    kept: Vec<Entry>,
    /// Where each kept group's report is in `kept`.
    slot: HashMap<u64, usize>,
    /// The worst kept since the last trim, once `limit` groups are kept: nothing not better
    /// can be among the best groups.
    worst: Option<Entry>,
}

impl SegmentTopDistinct {
    fn trim(&mut self) {
        let sort = self.sort;
        self.kept.sort_unstable_by(|a, b| within_segment(sort, a, b));
        self.kept.truncate(self.limit);
        self.slot = self
            .kept
            .iter()
            .enumerate()
            .filter_map(|(at, entry)| Some((entry.group?, at)))
            .collect();
        if self.kept.len() == self.limit {
            self.worst = self.kept.last().copied();
        }
    }

    /// The score below which no report can be kept any more; equal scores still can.
    fn threshold(&self) -> Score {
        self.worst.map_or(Score::MIN, |worst| worst.score.next_down())
    }
}

impl SegmentCollector for SegmentTopDistinct {
    type Fruit = Kept;

    fn collect(&mut self, doc: DocId, score: Score) {
        let entry = Entry {
            date: self.dates.as_ref().and_then(|dates| dates.first(doc)),
            score,
            path: self.paths.as_ref().and_then(|paths| paths.ords().first(doc)),
            doc,
            group: self.groups.as_ref().and_then(|groups| groups.first(doc)),
        };
        if self.worst.is_some_and(|worst| within_segment(self.sort, &entry, &worst).is_ge()) {
            return;
        }
        if let Some(at) = entry.group.and_then(|group| self.slot.get(&group).copied()) {
            if within_segment(self.sort, &entry, &self.kept[at]).is_lt() {
                self.kept[at] = entry;
            }
            return;
        }
        if let Some(group) = entry.group {
            self.slot.insert(group, self.kept.len());
        }
        self.kept.push(entry);
        if self.kept.len() >= self.limit.saturating_mul(2).max(64) {
            self.trim();
        }
    }

    fn harvest(mut self) -> Kept {
        self.trim();
        Kept { paths: self.paths, entries: self.kept }
    }
}

/// A segment's kept reports, their paths not read yet.
pub(crate) struct Kept {
    paths: Option<StrColumn>,
    entries: Vec<Entry>,
}

impl Collector for TopDistinct {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = SegmentTopDistinct;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let fast = reader.fast_fields();
        Ok(SegmentTopDistinct {
            sort: self.sort,
            limit: self.limit,
            groups: fast.u64(self.column).ok(),
            dates: match self.sort {
                Sort::Relevance => None,
                Sort::Newest | Sort::Oldest => fast.date(names::DATE).ok(),
            },
            paths: fast.str(names::PATH)?,
            kept: Vec::new(),
            slot: HashMap::new(),
            worst: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    /// By relevance, block-max WAND skips what cannot reach the kept groups, as tantivy's
    /// own top-k by score does; the threshold sits just below the worst kept score, so ties
    /// are all seen. A date order sees every match.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        ordinal: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Kept> {
        let mut child = self.for_segment(ordinal, reader)?;
        if self.limit == 0 {
            return Ok(child.harvest());
        }
        let alive = reader.alive_bitset();
        match self.sort {
            Sort::Relevance => weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    child.collect(doc, score);
                }
                child.threshold()
            })?,
            Sort::Newest | Sort::Oldest => weight.for_each(reader, &mut |doc, score| {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    child.collect(doc, score);
                }
            })?,
        }
        Ok(child.harvest())
    }

    /// Each group's best across segments, then the best groups. Paths are read only where
    /// they decide: for kept reports whose date and score equal those of one kept by another
    /// segment (within a segment the ordinals already order them).
    fn merge_fruits(&self, segments: Vec<Kept>) -> tantivy::Result<Self::Fruit> {
        let sort = self.sort;
        let mut all: Vec<(Entry, SegmentOrdinal)> = segments
            .iter()
            .enumerate()
            .flat_map(|(ord, kept)| kept.entries.iter().map(move |e| (*e, ord as SegmentOrdinal)))
            .collect();
        all.sort_by(|a, b| by_key(sort, &a.0, &b.0));
        // Everything after the key at which `limit` groups are reached is out, whatever its
        // path: those groups all have a report at that key or before.
        let mut seen = std::collections::HashSet::new();
        let mut groups = 0;
        let cut = all.iter().position(|(entry, _)| {
            if entry.group.is_none_or(|group| seen.insert(group)) {
                groups += 1;
            }
            groups == self.limit
        });
        if let Some(cut) = cut {
            let last = all[cut].0;
            all.retain(|(entry, _)| by_key(sort, entry, &last).is_le());
        }
        let mut needed: Vec<Vec<u64>> = vec![Vec::new(); segments.len()];
        for run in all.chunk_by(|a, b| by_key(sort, &a.0, &b.0).is_eq()) {
            if run.iter().any(|(_, segment)| *segment != run[0].1) {
                for (entry, segment) in run {
                    if let (Some(ord), Some(wanted)) =
                        (entry.path, needed.get_mut(*segment as usize))
                    {
                        wanted.push(ord);
                    }
                }
            }
        }
        let texts: Vec<Vec<(u64, String)>> = segments
            .iter()
            .zip(needed)
            .map(|(kept, ords)| path_texts(kept.paths.as_ref(), ords))
            .collect();
        let path = |(entry, segment): &(Entry, SegmentOrdinal)| -> Option<&str> {
            let texts = texts.get(*segment as usize)?;
            let at = texts.binary_search_by_key(&entry.path?, |(o, _)| *o).ok()?;
            Some(texts[at].1.as_str())
        };
        all.sort_by(|a, b| {
            let order = by_key(sort, &a.0, &b.0);
            let order = match a.1 == b.1 {
                true => order.then(a.0.path.cmp(&b.0.path)),
                false => order.then_with(|| path(a).cmp(&path(b))),
            };
            order.then(a.1.cmp(&b.1)).then(a.0.doc.cmp(&b.0.doc))
        });
        let mut seen = std::collections::HashSet::new();
        all.retain(|(entry, _)| entry.group.is_none_or(|group| seen.insert(group)));
        all.truncate(self.limit);
        Ok(all
            .into_iter()
            .map(|(entry, segment)| (entry.score, DocAddress::new(segment, entry.doc)))
            .collect())
    }
}

/// The texts of `ords` in a segment's path column, in one sorted pass; a path that cannot
/// be read is left out and sorts as none, so the order stays total.
fn path_texts(paths: Option<&StrColumn>, mut ords: Vec<u64>) -> Vec<(u64, String)> {
    ords.sort_unstable();
    ords.dedup();
    let mut texts = Vec::with_capacity(ords.len());
    if let Some(paths) = paths {
        let mut at = ords.iter();
        let _ = paths.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some(ord) = at.next() {
                texts.push((*ord, String::from_utf8_lossy(bytes).into_owned()));
            }
        });
    }
    texts
}

impl Index {
    /// As [`Index::ranked`], with only the best-ranked report of each group that the fast
    /// `column` names (a copy group, a story), `wanted` groups: the first tier in one pass.
    /// The second tier, searched when the first holds no more than `wanted` reports, is
    /// ranked deeper, four times as deep each round, until `wanted` groups are found, the
    /// ranking ends, or [`crate::MAX_COLLAPSE_DEPTH`] is reached.
    pub(crate) fn ranked_distinct(
        &self,
        query: &crate::Query,
        searcher: &Searcher,
        budget: &Arc<Budget>,
        plan: &Plan,
        wanted: usize,
        column: &'static str,
    ) -> Result<Ranked> {
        let sort = query.order();
        let first_query = budget.wrap(plan.query.box_clone());
        let top = TopDistinct { sort, column, limit: wanted };
        let hits = searcher.search(first_query.as_ref(), &top).map_err(|e| self.read_error(e))?;
        budget.check()?;
        // Ordered by date, every match is counted, as `rank` does.
        let limit = match sort {
            Sort::Relevance => query.count_up_to.max(wanted.saturating_add(1)),
            Sort::Newest | Sort::Oldest => usize::MAX,
        };
        let (total, undated, exact) = searcher
            .search(first_query.as_ref(), &CountUpTo::new(limit))
            .map_err(|e| self.read_error(e))?;
        budget.check()?;
        if plan.relaxed.is_none() || total > wanted {
            let hits = hits.into_iter().map(|(score, address)| (score, address, true)).collect();
            return Ok(Ranked { total, matched_every_word: total, undated, exact, hits });
        }
        let deepest = MAX_COLLAPSE_DEPTH.max(wanted).min(searcher.num_docs() as usize);
        let mut depth = wanted.saturating_mul(2).saturating_add(8);
        loop {
            let depth_now = depth.min(deepest);
            let mut ranked = self.ranked(query, searcher, budget, plan, wanted, depth_now)?;
            let reached = ranked.hits.len();
            ranked.hits = distinct(searcher, ranked.hits, column);
            if ranked.hits.len() >= wanted || reached < depth_now || depth_now >= deepest {
                ranked.hits.truncate(wanted);
                return Ok(ranked);
            }
            depth = depth.saturating_mul(4);
        }
    }
}

/// The first of `ranked` in each group of `column`, in order (a report without a group stands
/// alone).
fn distinct<T>(
    searcher: &Searcher,
    ranked: Vec<(Score, DocAddress, T)>,
    column: &str,
) -> Vec<(Score, DocAddress, T)> {
    let mut seen = std::collections::HashSet::new();
    // Each segment's column is opened once, when a ranked report first needs it.
    let mut columns = vec![None; searcher.segment_readers().len()];
    ranked
        .into_iter()
        .filter(|(_, address, _)| {
            let segment = address.segment_ord as usize;
            let opened = columns[segment].get_or_insert_with(|| {
                searcher.segment_reader(address.segment_ord).fast_fields().u64(column).ok()
            });
            let group = opened.as_ref().and_then(|c| c.first(address.doc_id));
            group.is_none_or(|group| seen.insert(group))
        })
        .collect()
}
