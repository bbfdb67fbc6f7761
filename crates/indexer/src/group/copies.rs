//! Which copy group a new report joins: the group of an earlier report whose body holds
//! most of its own (or most of whose body it holds), else a group of its own.
//!
//! Candidates come from sketch keys ([`dateline_copies::Sketch::keys`]): those of the last
//! commit, looked up as terms of the `copy_band` field, and those of the reports this run
//! added before, kept in a map. Either lookup reads a bounded number of postings per key, so
//! a key shared by a million reports (a spam group, a boilerplate notice) costs a report no
//! more than any other key. A candidate of the last commit is confirmed exactly, on its
//! stored body; one of this run, whose body is not readable until the commit, by the
//! containment its sketch's sample estimates.

use std::sync::Arc;

use dateline_copies::{Sample, Settings, Shingles, Sketch};
use dateline_schema::{Fields, StoredReport};
use rustc_hash::FxHashMap;
use tantivy::index::InvertedIndexReader;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, ReloadPolicy, Searcher, TERMINATED, TantivyDocument, Term};

const SETTINGS: Settings = Settings::DEFAULT;
/// Postings read per key: enough to meet every member of an ordinary group, few enough
/// that a huge group costs a bounded lookup.
const POSTINGS_PER_KEY: usize = 16;
/// Candidates confirmed per report, those sharing the most keys first.
const CONFIRMED_PER_REPORT: usize = 6;
/// This run's reports a generation of the in-run map holds. Two generations are kept, so a
/// report is matched against at least this many of the run's latest reports before it
/// (those of the last commit are all candidates): a full build's memory stays bounded
/// whatever the corpus, at the cost of copies further apart in one run's path order.
const GENERATION: usize = 50_000;

/// A body's shingles and sketch: the report's own, made before it is placed.
pub(super) struct Body {
    shingles: Shingles,
    sketch: Option<Sketch>,
}

impl Body {
    pub(super) fn of(report: &StoredReport) -> Body {
        let shingles = Shingles::of(&report.body, &SETTINGS);
        let sketch = Sketch::of(&shingles, &SETTINGS);
        Body { shingles, sketch }
    }
}

/// The copy-finding state of one run.
pub(super) struct Copies {
    committed: Option<Committed>,
    /// This run's latest reports, the newer generation first.
    run: [InRun; 2],
}

/// Some of this run's sketched reports.
#[derive(Default)]
struct InRun {
    /// Their group, story and sketch's sample: their keys are in `keys`.
    sketches: Vec<(Matched, Sample)>,
    /// Their keys, each to at most [`POSTINGS_PER_KEY`] of `sketches`: the place of its
    /// latest posting in `postings`, and how many it has. A list per key chained through
    /// one vector, where a `Vec` per key cost an allocation for nearly every key of a run.
    keys: FxHashMap<u64, (u32, u32)>,
    /// Postings: a report's place in `sketches`, and the place of the same key's posting
    /// before it ([`NONE`] for the first).
    postings: Vec<(u32, u32)>,
}

/// No posting: the end of a key's list.
const NONE: u32 = u32::MAX;

impl InRun {
    /// Adds a report of `group` and `story` with `keys` and `sample`.
    fn add(&mut self, group: u64, story: u64, keys: &[u64], sample: Sample) {
        let at = self.sketches.len() as u32;
        self.sketches.push((Matched { group, story: Some(story) }, sample));
        for key in keys {
            let (latest, count) = self.keys.entry(*key).or_insert((NONE, 0));
            if (*count as usize) < POSTINGS_PER_KEY {
                self.postings.push((at, *latest));
                *latest = (self.postings.len() - 1) as u32;
                *count += 1;
            }
        }
    }

    /// The reports (places in `sketches`) posted under `key`.
    fn members(&self, key: u64) -> impl Iterator<Item = u32> + '_ {
        let mut next = self.keys.get(&key).map_or(NONE, |&(latest, _)| latest);
        std::iter::from_fn(move || {
            let (at, before) = *self.postings.get(next as usize)?;
            next = before;
            Some(at)
        })
    }
}

/// The last commit, as the run started.
struct Committed {
    searcher: Searcher,
    fields: Fields,
    /// Each segment's `copy_band` postings.
    keys: Vec<Arc<InvertedIndexReader>>,
}

impl Copies {
    /// The state for a run over `index`. An index that cannot be read (it is being created)
    /// has no committed candidates.
    pub(super) fn new(index: &tantivy::Index) -> Copies {
        let committed = Committed::open(index).unwrap_or_else(|error| {
            tracing::debug!(%error, "no committed reports to find copies among");
            None
        });
        Copies { committed, run: Default::default() }
    }

    /// The state for a run that replaces every report: nothing committed is a candidate.
    pub(super) fn fresh() -> Copies {
        Copies { committed: None, run: Default::default() }
    }

    /// The keys, copy group and story of `report`, whose own group, should it start one, is
    /// `own`. Its story is what `story` makes of the story of the report it copies (`None`
    /// when it copies none, or that report's story is unknown).
    pub(super) fn place(
        &mut self,
        report: &StoredReport,
        own: u64,
        body: Body,
        story: impl FnOnce(Option<u64>) -> u64,
    ) -> (Vec<u64>, u64, u64) {
        let Body { shingles, sketch } = body;
        let Some(sketch) = sketch else {
            return (Vec::new(), own, story(None));
        };
        let (keys, sample) = sketch.into_parts();
        let committed = self.committed.as_ref().and_then(|c| c.best(report, &keys, &shingles));
        let in_run = self.best_in_run(&keys, &sample);
        let copied = [committed, in_run]
            .into_iter()
            .flatten()
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.group.cmp(&a.1.group)))
            .map(|(_, matched)| matched);
        let group = copied.map_or(own, |matched| matched.group);
        let story = story(copied.and_then(|matched| matched.story));

        if self.run[0].sketches.len() == GENERATION {
            self.run.swap(0, 1);
            self.run[0] = InRun::default();
        }
        self.run[0].add(group, story, &keys, sample);
        (keys, group, story)
    }

    /// The group of this run's report that best contains the body of `keys` and `sample` or
    /// is contained in it, with the estimated containment, when that reaches the threshold.
    fn best_in_run(&self, keys: &[u64], sample: &Sample) -> Option<(f64, Matched)> {
        let mut shared: Vec<(usize, u32)> = Vec::new();
        for (generation, run) in self.run.iter().enumerate() {
            for &key in keys {
                shared.extend(run.members(key).map(|at| (generation, at)));
            }
        }
        most_shared(shared)
            .into_iter()
            .map(|(generation, at)| {
                let (matched, other) = &self.run[generation].sketches[at as usize];
                (sample.estimated_containment(other), *matched)
            })
            .filter(|(containment, _)| *containment >= SETTINGS.threshold)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.group.cmp(&a.1.group)))
    }
}

/// The report a new one was found to copy: its group, and its story if known.
#[derive(Clone, Copy, Debug)]
struct Matched {
    group: u64,
    story: Option<u64>,
}

impl Committed {
    fn open(index: &tantivy::Index) -> tantivy::Result<Option<Committed>> {
        let searcher =
            index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?.searcher();
        if searcher.num_docs() == 0 {
            return Ok(None);
        }
        let Ok(fields) = Fields::from_schema(&index.schema()) else { return Ok(None) };
        let keys = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.inverted_index(fields.copy_band))
            .collect::<tantivy::Result<_>>()?;
        Ok(Some(Committed { searcher, fields, keys }))
    }

    /// Like [`Copies::best_in_run`], among the last commit's reports, confirmed on their
    /// stored bodies. A report that cannot be read is not a candidate, nor is `report`'s own
    /// earlier version (a changed file's old document is still in the last commit): a report
    /// edited beyond recognition would otherwise keep its old group, and an incremental run
    /// would place it unlike a fresh build.
    fn best(
        &self,
        report: &StoredReport,
        keys: &[u64],
        shingles: &Shingles,
    ) -> Option<(f64, Matched)> {
        let mut shared: Vec<DocAddress> = Vec::new();
        for &key in keys {
            let term = Term::from_field_u64(self.fields.copy_band, key);
            let mut read = 0;
            for (ordinal, segment) in self.searcher.segment_readers().iter().enumerate() {
                let Ok(Some(mut postings)) =
                    self.keys[ordinal].read_postings(&term, IndexRecordOption::Basic)
                else {
                    continue;
                };
                let alive = segment.alive_bitset();
                let mut doc = postings.doc();
                while doc != TERMINATED && read < POSTINGS_PER_KEY {
                    if alive.is_none_or(|alive| alive.is_alive(doc)) {
                        shared.push(DocAddress::new(ordinal as u32, doc));
                        read += 1;
                    }
                    doc = postings.advance();
                }
            }
        }
        most_shared(shared)
            .into_iter()
            .filter_map(|address| {
                let doc: TantivyDocument = self.searcher.doc(address).ok()?;
                let text = |field| doc.get_first(field).and_then(|v| v.as_str());
                if text(self.fields.path) == Some(report.path.as_str())
                    && text(self.fields.record) == report.record.as_deref()
                {
                    return None;
                }
                let body = doc.get_first(self.fields.body).and_then(|v| v.as_str())?;
                let group = doc.get_first(self.fields.copy_group).and_then(|v| v.as_u64())?;
                let story = doc.get_first(self.fields.story).and_then(|v| v.as_u64());
                let matched = Matched { group, story };
                Some((shingles.containment(&Shingles::of(body, &SETTINGS)), matched))
            })
            .filter(|(containment, _)| *containment >= SETTINGS.threshold)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.group.cmp(&a.1.group)))
    }
}

/// The [`CONFIRMED_PER_REPORT`] candidates sharing the most keys, ties in a fixed order;
/// `shared` holds a candidate once for each key it shares.
fn most_shared<K: Ord + Copy>(mut shared: Vec<K>) -> Vec<K> {
    shared.sort_unstable();
    let mut ranked: Vec<(usize, K)> =
        shared.chunk_by(|a, b| a == b).map(|run| (run.len(), run[0])).collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().take(CONFIRMED_PER_REPORT).map(|(_, k)| k).collect()
}
