//! Placing each new report among the others, just before it becomes a document: which copy
//! group it joins (`copies`) and which story (`stories`).
//!
//! A report's place is decided once, when it is added, from what the index already holds
//! and what this run has added before it; it is never revised when later reports arrive,
//! so a group or story id, once given, stays.

mod copies;

use dateline_schema::{Grouping, StoredReport};

/// Places the reports of one run. Built when the run starts, from the last commit.
pub(crate) struct Grouper {
    copies: copies::Copies,
}

impl Grouper {
    /// A grouper for a run over `index` as last committed.
    pub(crate) fn new(index: &tantivy::Index) -> Grouper {
        Grouper { copies: copies::Copies::new(index) }
    }

    /// The copy group and story of `report`, about to be added.
    pub(crate) fn place(&mut self, report: &StoredReport) -> Grouping {
        let own = identity(report);
        // A group a report starts is named by its text too: were it named by the report
        // alone, a report changed beyond recognition would come back under its old name,
        // still shared by the copies of its old text.
        let (copy_bands, copy_group) = self.copies.place(report, own ^ text_hash(report));
        // Until stories are found, every report is its own story.
        Grouping { copy_bands, copy_group, story: own }
    }
}

/// The hash of `report`'s body.
fn text_hash(report: &StoredReport) -> u64 {
    xxhash_rust::xxh3::xxh3_64(report.body.as_bytes())
}

/// A stable number naming `report` alone: the hash of its path and record.
fn identity(report: &StoredReport) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(report.path.as_bytes());
    hasher.update(b"\0");
    hasher.update(report.record.as_deref().unwrap_or("").as_bytes());
    hasher.digest()
}
