//! The on-disk contract between `dateline-indexer`, which writes a Dateline index, and
//! `dateline-query`, which reads it.
//!
//! Both sides must agree on field names, tokenizers and the commit payload; if the indexer
//! stemmed and the query side did not, searches would silently match nothing. Everything that
//! agreement consists of lives here: [`Fields`] (the tantivy schema), [`StoredReport`] (one
//! report as a document, both ways), [`IndexManifest`] (what every commit records) and
//! [`FORMAT_VERSION`], and the analyzers of its text fields ([`languages::register`]).
//!
//! One tantivy document is one report file. Apart from the text fields, each document carries
//! the file's size, modification time and content hash as fast fields, so the indexer can tell
//! which files changed without reading any stored text.
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

pub mod date;
mod fields;
pub mod formats;
pub mod languages;
mod line_map;
pub mod lines;
mod manifest;
pub mod names;
mod offset_map;
pub mod pairs;
mod report;
pub mod words;

pub use fields::{Fields, LanguageFields, index_settings};
pub use line_map::LineMap;
pub use manifest::{FormatError, IndexManifest};
pub use offset_map::OffsetMap;
pub use report::{FileStamp, Grouping, IndexedReport, StoredReport, Title};

/// Version of the index layout this build reads and writes. Bumped whenever a field, a
/// tokenizer or the payload changes meaning, so an old index is rebuilt rather than misread.
/// Version 3: headline and body are analysed per language ([`languages`]), and each report
/// records its language; a date a web crawler gave is marked (`date_crawled`). Version 4:
/// each report has a copy group and a story, and its fingerprint's band keys; the moment of
/// publication is kept when the report states a time of day (`published_at`). Version 5: fast
/// string columns are written without zstd (a version 4 index holds blocks this build cannot
/// decompress). So a program embedding these crates must build tantivy without its default
/// `columnar-zstd-compression` feature too, as this workspace does: with it, its indexes are
/// written compressed, and this workspace's builds cannot read them. Version 7: headline and
/// body also hold their pairs of neighbouring words ([`pairs`]), so a two-word phrase is a
/// term (version 6, never released, judged stop words before stemming).
pub const FORMAT_VERSION: u32 = 7;

/// The tokenizer of names (publisher, dateline place, author): lower-cased words, no stemming,
/// because "Times" must not match "time".
pub const NAME_TOKENIZER: &str = "default";
