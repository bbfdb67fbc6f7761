//! Which files Dateline reads, by extension: shared by the indexer, which reads them, and
//! the query side, which says why a file of another kind is not in the index.

use std::path::Path;

/// File extensions read (compared case-insensitively): plain-text reports, web pages (one
/// report each, the article's text), then files of many reports (JSON Lines, JSON arrays,
/// CSV, TSV).
pub const READ_EXTENSIONS: [&str; 13] = [
    "txt",
    "text",
    "md",
    "markdown",
    "html",
    "htm",
    "xhtml",
    "jsonl",
    "ndjson",
    "jsonlines",
    "json",
    "csv",
    "tsv",
];

/// Whether `path` names a file Dateline reads, by its extension.
pub fn is_read(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| READ_EXTENSIONS.iter().any(|known| ext.eq_ignore_ascii_case(known)))
}
