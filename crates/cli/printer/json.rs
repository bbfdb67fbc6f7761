//! The `--json` format of `dateline search`.
//!
//! One JSON document per search, on one line: the query crate's `Results`, serialized as is.
//!
//! ```text
//! { "total": 4,                       // reports that matched, across all pages
//!   "matched_every_word": 3,          // of those, the ones matching the whole query (first tier)
//!   "undated": 2,                     // first-tier reports without a date (last by date)
//!   "hits": [ {
//!     "rank": 1,                      // 1-based, counting from the first page
//!     "score": 4.21,                  // BM25; compare within one search only
//!     "matches_every_word": true,     // false: in the tier matching most of the words
//!     "path": "/abs/path/report.txt",
//!     "title": "…", "title_derived": false,
//!     "title_highlights": [{"start": 0, "end": 8}],   // byte ranges into title
//!     "date": "2024-01-31" | null, "publisher": "…" | null,
//!     "dateline": "WASHINGTON" | null, "author": … | null, "url": … | null,
//!     "passages": [ {                 // best first
//!       "line": 25,                   // 1-based line of the passage's first byte
//!       "offset": 854,                // byte offset in the file
//!       "length": 152,                // bytes of the file it covers
//!       "text": "…",                  // UTF-8 file: file_bytes[offset .. offset + length] == text
//!       "highlights": [{"start": 81, "end": 100}]    // byte ranges into text, sorted
//!     } ]
//!   } ] }
//! ```
//!
//! Offsets and ranges count bytes of UTF-8, not characters. Fields may be added in later
//! versions; none will change meaning.

use std::io::{self, Write};

use dateline_query::Results;

pub fn write(out: &mut impl Write, results: &Results) -> io::Result<()> {
    serde_json::to_writer(&mut *out, results)?;
    out.write_all(b"\n")
}
