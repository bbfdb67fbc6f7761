//! Counting a search's documents by the term of a string fast column (a publisher's name, a
//! language code), for facets.

use std::collections::HashMap;

use tantivy::columnar::StrColumn;
use tantivy::{DocId, SegmentReader};

/// Documents per term of a string fast column, in one segment: counted by ordinal, named
/// once per term at the end rather than once per document.
pub(crate) struct TermCounts {
    column: Option<StrColumn>,
    by_ordinal: Vec<u64>,
}

impl TermCounts {
    pub fn new(segment: &SegmentReader, field: &str) -> tantivy::Result<TermCounts> {
        let column = segment.fast_fields().str(field)?;
        let by_ordinal = vec![0; column.as_ref().map_or(0, |c| c.num_terms())];
        Ok(TermCounts { column, by_ordinal })
    }

    /// Counts `doc`'s term; false when it has none.
    pub fn count(&mut self, doc: DocId) -> bool {
        match self.column.as_ref().and_then(|c| c.term_ords(doc).next()) {
            Some(ordinal) => {
                self.by_ordinal[ordinal as usize] += 1;
                true
            }
            None => false,
        }
    }

    pub fn harvest(&self, into: &mut HashMap<String, u64>) {
        let Some(column) = &self.column else { return };
        let mut name = String::new();
        for (ordinal, &count) in self.by_ordinal.iter().enumerate() {
            if count > 0 && column.ord_to_str(ordinal as u64, &mut name).unwrap_or(false) {
                into.insert(name.clone(), count);
            }
        }
    }
}
