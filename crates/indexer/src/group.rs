//! Placing each new report among the others, just before it becomes a document: which copy
//! group it joins (`copies`) and which story (`stories`).
//!
//! A report's place is decided once, when it is added, from what the index already holds
//! and what this run has added before it; it is never revised when later reports arrive,
//! so a group or story id, once given, stays.

mod copies;
mod stories;

use dateline_schema::{Grouping, StoredReport};
use dateline_stories::Terms;

/// Places the reports of one run. Built when the run starts, from the last commit.
pub(crate) struct Grouper {
    /// None when grouping is off ([`crate::Options::grouping`]).
    placers: Option<(copies::Copies, stories::StoryPlacer)>,
}

impl Grouper {
    /// A grouper for a run over `index` as last committed.
    pub(crate) fn new(index: &tantivy::Index) -> Grouper {
        Grouper { placers: Some((copies::Copies::new(index), stories::StoryPlacer::new(index))) }
    }

    /// A grouper for a run that replaces every report (a rebuild): nothing committed is read.
    pub(crate) fn fresh() -> Grouper {
        Grouper { placers: Some((copies::Copies::fresh(), stories::StoryPlacer::fresh())) }
    }

    /// A grouper that leaves every report alone, for measuring what grouping costs.
    pub(crate) fn off() -> Grouper {
        Grouper { placers: None }
    }

    /// The copy group and story of `report`, about to be added; `prepared` is what
    /// [`Prepared::of`] made of it, when a read-ahead worker did.
    pub(crate) fn place(&mut self, report: &StoredReport, prepared: Option<Prepared>) -> Grouping {
        let Some((copies, stories)) = &mut self.placers else {
            return Grouping {
                copy_bands: Vec::new(),
                copy_group: new_group(report),
                story: stories::story_id(report),
            };
        };
        let Prepared { body, terms } = prepared.unwrap_or_else(|| Prepared::of(report));
        let (copy_bands, copy_group, story) =
            copies.place(report, new_group(report), body, |copied| {
                stories.place(report, terms, copied)
            });
        Grouping { copy_bands, copy_group, story }
    }
}

/// What placing a report needs of the report alone (its body's shingles and sketch, its
/// story terms): made on the read-ahead workers, so that the one writer thread, which
/// places every report in order, does only what depends on the reports before it.
pub(crate) struct Prepared {
    body: copies::Body,
    terms: Terms,
}

impl Prepared {
    pub(crate) fn of(report: &StoredReport) -> Prepared {
        Prepared {
            body: copies::Body::of(report),
            terms: dateline_stories::terms::terms(report.title.text(), &report.body),
        }
    }
}

/// The id of a copy group `report` starts: the hash of its file's name, record and body.
/// Its text is in it because a report changed beyond recognition must not come back under
/// its old group, still held by the copies of its old text; the folders above the file are
/// not, so an index of the same files elsewhere gives the same groups (the golden files
/// pin them).
fn new_group(report: &StoredReport) -> u64 {
    let file = report.path.rsplit(['/', '\\']).next().unwrap_or(&report.path);
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in [file, report.record.as_deref().unwrap_or(""), &report.body] {
        hasher.update(part.as_bytes());
        hasher.update(b"\0");
    }
    hasher.digest()
}
