//! The fast columns a page of hits reads, opened once per segment. Opening a column reads
//! its segment's list of columns; listing ten hits' copies opened the same few columns
//! hundreds of times a search (15% of in-process search time at 10×, `perf` on
//! `dateline-bench search-loop`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use dateline_schema::names;
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DateTime, Searcher};

use crate::{Index, Result};

/// One segment's columns that hits, their copies and their stories read (`None` where the segment holds
/// no value of one, or, but for paths, where one cannot be read: a hit then goes without
/// that detail, as before these were kept).
pub(crate) struct Columns {
    pub(crate) path: Option<StrColumn>,
    pub(crate) record: Option<StrColumn>,
    pub(crate) publisher: Option<StrColumn>,
    pub(crate) date: Option<Column<DateTime>>,
    pub(crate) copy_group: Option<Column<u64>>,
}

/// The columns of the segments searched lately. Segments never change once written (a
/// deletion only marks documents), so a segment's columns stay valid as long as it lives.
#[derive(Default)]
pub(crate) struct OpenColumns {
    segments: Mutex<HashMap<SegmentId, Arc<Columns>>>,
}

impl Index {
    /// The columns of `searcher`'s segment `ordinal`, opened on first use. An unreadable path
    /// column is an error, and not kept: a group counted without a segment's members would
    /// be remembered short.
    pub(crate) fn columns(&self, searcher: &Searcher, ordinal: u32) -> Result<Arc<Columns>> {
        let segment = searcher.segment_reader(ordinal);
        let id = segment.segment_id();
        let mut segments =
            self.open_columns.segments.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(columns) = segments.get(&id) {
            return Ok(Arc::clone(columns));
        }
        // Merged-away segments are forgotten once the cache outgrows the live ones.
        if segments.len() >= 2 * searcher.segment_readers().len() {
            segments.clear();
        }
        let fast = segment.fast_fields();
        let text = |name| fast.str(name).ok().flatten();
        let columns = Arc::new(Columns {
            path: fast.str(names::PATH).map_err(|e| self.read_error(e))?,
            record: text(names::RECORD),
            publisher: text(names::PUBLISHER),
            date: fast.date(names::DATE).ok(),
            copy_group: fast.u64(names::COPY_GROUP).ok(),
        });
        segments.insert(id, Arc::clone(&columns));
        Ok(columns)
    }
}
