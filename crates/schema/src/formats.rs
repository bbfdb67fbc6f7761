//! Which files Dateline reads, by extension: shared by the indexer, which reads them, and
//! the query side, which says why a file of another kind is not in the index.

use std::path::Path;

/// File extensions read (compared case-insensitively): plain-text reports, web pages (one
/// report each, the article's text), then files of many reports (JSON Lines, JSON arrays or
/// objects, CSV, TSV, WARC web crawls, RSS and Atom feeds; an `.xml` file only when its root
/// is a feed).
pub const READ_EXTENSIONS: [&str; 17] = [
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
    "warc",
    "rss",
    "atom",
    "xml",
];

/// Extensions of compressed files (gzip, Zstandard): `report.txt.gz` is read as the
/// `report.txt` it holds.
pub const COMPRESSED_EXTENSIONS: [&str; 2] = ["gz", "zst"];

/// How a file is compressed, by its last extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// gzip (`.gz`), one member or many.
    Gzip,
    /// Zstandard (`.zst`).
    Zstd,
}

/// The compression of `path`, by its last extension (`None` for a file read as it is).
pub fn compression(path: &Path) -> Option<Compression> {
    let ext = path.extension()?.to_str()?;
    if ext.eq_ignore_ascii_case("gz") {
        Some(Compression::Gzip)
    } else if ext.eq_ignore_ascii_case("zst") {
        Some(Compression::Zstd)
    } else {
        None
    }
}

/// The lower-case extension that says how `path` is read: its own, or, for a compressed
/// file, that of the name it has without the compression's (`txt` for `report.txt.gz`).
pub fn kind(path: &Path) -> Option<String> {
    let inner = match compression(path) {
        Some(_) => Path::new(path.file_stem()?),
        None => path,
    };
    Some(inner.extension()?.to_str()?.to_ascii_lowercase())
}

/// Whether `path` names a file Dateline reads, by its extension (a compressed file by the
/// extension under the compression's).
pub fn is_read(path: &Path) -> bool {
    kind(path).is_some_and(|ext| READ_EXTENSIONS.contains(&ext.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compressed_file_is_read_by_the_name_under_its_compression() {
        assert_eq!(kind(Path::new("a/dump.JSONL.zst")).as_deref(), Some("jsonl"));
        assert_eq!(kind(Path::new("crawl.warc.gz")).as_deref(), Some("warc"));
        assert_eq!(compression(Path::new("crawl.warc.GZ")), Some(Compression::Gzip));
        assert!(is_read(Path::new("page.html.gz")) && is_read(Path::new("crawl.warc")));
        assert!(!is_read(Path::new("backup.gz")) && !is_read(Path::new("photo.jpg.zst")));
        assert!(!is_read(Path::new(".gz")));
    }
}
