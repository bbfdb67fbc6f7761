//! Ranking by score with equal scores ordered by path, as a collector of its own: tantivy's
//! `SortByString` turns every kept hit's path ordinal into its text with one dictionary
//! lookup each (a dictionary block read per hit; zstd-compressed when this was measured), which cost a collapsed search on a corpus
//! of copies, where every score is tied, a third of its time. Here each segment keeps its
//! best by (score, path ordinal), and paths are read, in one sorted pass a segment, only
//! to order equal scores of different segments.

use dateline_schema::names;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// The best `limit` documents by score, then path, then address.
pub(crate) struct ScoreThenPath {
    pub(crate) limit: usize,
}

/// A segment's kept documents: score, path ordinal (none first, as tantivy orders them), document.
pub(crate) struct SegmentScoreThenPath {
    limit: usize,
    segment: SegmentOrdinal,
    paths: Option<StrColumn>,
    kept: Vec<(Score, Option<u64>, DocId)>,
    /// The worst kept since the last trim: anything not better is not kept.
    worst: Option<(Score, Option<u64>, DocId)>,
}

fn better(a: &(Score, Option<u64>, DocId), b: &(Score, Option<u64>, DocId)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
}

impl SegmentScoreThenPath {
    /// Keeps the best `limit`, and remembers the worst of them.
    fn trim(&mut self) {
        self.kept.sort_unstable_by(better);
        self.kept.truncate(self.limit);
        if self.kept.len() == self.limit {
            self.worst = self.kept.last().copied();
        }
    }

    /// The score below which no document can be kept any more; equal scores still can.
    fn threshold(&self) -> Score {
        self.worst.map_or(Score::MIN, |(score, _, _)| score.next_down())
    }
}

/// A segment's kept documents, their paths not read yet.
pub(crate) struct Kept {
    paths: Option<StrColumn>,
    docs: Vec<(Score, Option<u64>, DocAddress)>,
}

impl Collector for ScoreThenPath {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = SegmentScoreThenPath;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(SegmentScoreThenPath {
            limit: self.limit,
            segment,
            paths: reader.fast_fields().str(names::PATH)?,
            kept: Vec::new(),
            worst: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    /// Block-max WAND skips what cannot score above the threshold, as tantivy's own top-k by
    /// score does; the threshold sits just below the worst kept score, so ties are all seen.
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
        weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                child.collect(doc, score);
            }
            child.threshold()
        })?;
        Ok(child.harvest())
    }

    /// Paths are read only where they decide: for the kept documents whose score equals that
    /// of one kept by another segment (within a segment the ordinals already order them).
    fn merge_fruits(&self, segments: Vec<Kept>) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<(Score, Option<u64>, DocAddress)> =
            segments.iter().flat_map(|kept| kept.docs.iter().copied()).collect();
        all.sort_by(|a, b| b.0.total_cmp(&a.0));
        let cut = all.get(self.limit.saturating_sub(1)).map(|d| d.0);
        // Everything scoring below the page's last score is out, whatever its path.
        all.retain(|d| cut.is_none_or(|cut| d.0 >= cut));
        let mut needed: Vec<Vec<u64>> = vec![Vec::new(); segments.len()];
        for run in all.chunk_by(|a, b| a.0 == b.0) {
            let first = run[0].2.segment_ord;
            if run.iter().any(|d| d.2.segment_ord != first) {
                for (_, ord, address) in run {
                    if let (Some(ord), Some(wanted)) =
                        (ord, needed.get_mut(address.segment_ord as usize))
                    {
                        wanted.push(*ord);
                    }
                }
            }
        }
        let texts: Vec<Vec<(u64, String)>> = segments
            .iter()
            .zip(needed)
            .map(|(kept, mut ords)| {
                ords.sort_unstable();
                ords.dedup();
                let mut texts = Vec::with_capacity(ords.len());
                if let Some(paths) = &kept.paths {
                    let mut at = ords.iter();
                    // A path that cannot be read sorts as empty: the order stays total.
                    let _ = paths.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                        if let Some(ord) = at.next() {
                            texts.push((*ord, String::from_utf8_lossy(bytes).into_owned()));
                        }
                    });
                }
                texts
            })
            .collect();
        let path = |(_, ord, address): &(Score, Option<u64>, DocAddress)| -> Option<&str> {
            let texts = texts.get(address.segment_ord as usize)?;
            let at = texts.binary_search_by_key(&(*ord)?, |(o, _)| *o).ok()?;
            Some(texts[at].1.as_str())
        };
        all.sort_by(|a, b| {
            let order = b.0.total_cmp(&a.0);
            let order = match a.2.segment_ord == b.2.segment_ord {
                true => order.then(a.1.cmp(&b.1)),
                false => order.then_with(|| path(a).cmp(&path(b))),
            };
            order.then(a.2.cmp(&b.2))
        });
        all.truncate(self.limit);
        Ok(all.into_iter().map(|(score, _, address)| (score, address)).collect())
    }
}

impl SegmentCollector for SegmentScoreThenPath {
    type Fruit = Kept;

    fn collect(&mut self, doc: DocId, score: Score) {
        let ord = self.paths.as_ref().and_then(|p| p.ords().first(doc));
        let candidate = (score, ord, doc);
        if self.worst.is_some_and(|worst| better(&candidate, &worst).is_ge()) {
            return;
        }
        self.kept.push(candidate);
        if self.kept.len() >= self.limit.saturating_mul(2).max(64) {
            self.trim();
        }
    }

    fn harvest(mut self) -> Kept {
        self.trim();
        let segment = self.segment;
        let docs = self
            .kept
            .into_iter()
            .map(|(score, ord, doc)| (score, ord, DocAddress::new(segment, doc)))
            .collect();
        Kept { paths: self.paths, docs }
    }
}
