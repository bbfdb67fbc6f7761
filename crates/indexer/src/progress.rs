//! What a run reports as it goes ([`Event`]) and when it is done ([`Summary`]).

use std::path::Path;

use serde::Serialize;

use crate::{Skipped, Warned};

/// Something that happened during [`crate::Indexer::update`], for progress display.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// The walk is over: this many report files were found. Files are read as the walk
    /// finds them, in batches of a few thousand, so on a small corpus this comes before
    /// any file is read, on a large one only near the end.
    Scanned {
        /// Report files found.
        files: usize,
    },
    /// One file was looked at (whether it needed reading or not).
    Checked {
        /// The file.
        path: &'a Path,
    },
    /// A file was passed over.
    Skipped(&'a Skipped),
    /// A file was indexed, with caveats.
    Warning(&'a Warned),
    /// All files are processed; the commit is being written.
    Committing,
}

/// What an update did.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Reports indexed for the first time.
    pub added: usize,
    /// Reports whose file changed and were indexed again.
    pub changed: usize,
    /// Reports removed because their file is gone (or now skipped, or outside the folders).
    pub removed: usize,
    /// Reports whose file did not change.
    pub unchanged: usize,
    /// Reports read from files of many reports (JSON Lines, JSON, CSV, TSV) in this run, one
    /// a record; such a file counts once in `added`, `changed` or `unchanged`.
    pub records: u64,
    /// Files of a kind Dateline does not read (by extension), in path order.
    pub not_read: Vec<std::path::PathBuf>,
    /// Files that were passed over, with the reason.
    pub skipped: Vec<Skipped>,
    /// Files indexed with caveats.
    pub warnings: Vec<Warned>,
    /// Whether the run wrote a commit (false when nothing changed).
    pub committed: bool,
}
