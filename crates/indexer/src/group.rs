//! Placing each new report among the others, just before it becomes a document: which copy
//! group it joins (`copies`) and which story (`stories`).
//!
//! A report's place is decided once, when it is added, from what the index already holds
//! and what this run has added before it; it is never revised when later reports arrive,
//! so a group or story id, once given, stays.

mod stories;

use dateline_schema::{Grouping, StoredReport};

/// Places the reports of one run. Built when the run starts, from the last commit.
pub(crate) struct Grouper {
    stories: stories::StoryPlacer,
}

impl Grouper {
    /// A grouper for a run over `index` as last committed.
    pub(crate) fn new(index: &tantivy::Index) -> Grouper {
        Grouper { stories: stories::StoryPlacer::new(index) }
    }

    /// A grouper for a run that replaces every report (a rebuild): nothing committed is read.
    pub(crate) fn fresh() -> Grouper {
        Grouper { stories: stories::StoryPlacer::fresh() }
    }

    /// The copy group and story of `report`, about to be added.
    pub(crate) fn place(&mut self, report: &StoredReport) -> Grouping {
        // Until copies are found, every report is its own copy group.
        let own = identity(report);
        let story = self.stories.place(report);
        Grouping { copy_bands: Vec::new(), copy_group: own, story }
    }
}

/// A stable number naming `report` alone: the hash of its path and record.
fn identity(report: &StoredReport) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(report.path.as_bytes());
    hasher.update(b"\0");
    hasher.update(report.record.as_deref().unwrap_or("").as_bytes());
    hasher.digest()
}
