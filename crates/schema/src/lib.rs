//! The on-disk contract between `dateline-indexer`, which writes a Dateline index, and
//! `dateline-query`, which reads it.
//!
//! Both sides must agree on field names, tokenizers and the commit payload; if the indexer
//! stemmed and the query side did not, searches would silently match nothing. Everything that
//! agreement consists of lives here: [`Fields`] (the tantivy schema), [`IndexManifest`] (what
//! every commit records) and [`FORMAT_VERSION`].
//!
//! One tantivy document is one report file. Apart from the text fields, each document carries
//! the file's size, modification time and content hash as fast fields, so the indexer can tell
//! which files changed without reading any stored text.
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};

/// Version of the index layout this build reads and writes. Bumped whenever a field, a
/// tokenizer or the payload changes meaning, so an old index is rebuilt rather than misread.
pub const FORMAT_VERSION: u32 = 1;

/// The tokenizer of headline and body text: lower-cased, English-stemmed words, so
/// "precursor chemical" finds "precursor chemicals". Built into tantivy.
pub const TEXT_TOKENIZER: &str = "en_stem";

/// The tokenizer of names (publisher, dateline place, author): lower-cased words, no stemming,
/// because "Times" must not match "time".
pub const NAME_TOKENIZER: &str = "default";

/// Field names, as users write them in `field:term` queries and as they appear in the schema.
pub mod names {
    /// Absolute path of the report file; the identity of a document.
    pub const PATH: &str = "path";
    /// The report's own headline, when it has one (absent when the title is derived).
    pub const TITLE: &str = "title";
    /// A title derived from the lead sentence, stored for display only, never searched.
    pub const DERIVED_TITLE: &str = "derived_title";
    /// The report's text after its header.
    pub const BODY: &str = "body";
    /// Byte offset of the body in the file.
    pub const BODY_OFFSET: &str = "body_offset";
    /// 1-based line number on which the body starts.
    pub const BODY_LINE: &str = "body_line";
    /// Publication date (a day, stored as midnight UTC).
    pub const DATE: &str = "date";
    /// The outlet that published the report.
    pub const PUBLISHER: &str = "publisher";
    /// The place named in the report's dateline, e.g. `WASHINGTON`.
    pub const DATELINE: &str = "dateline";
    /// Byline.
    pub const AUTHOR: &str = "author";
    /// The report's URL, when its header gives one.
    pub const URL: &str = "url";
    /// File size in bytes when indexed.
    pub const FILE_LEN: &str = "file_len";
    /// File modification time, nanoseconds since the Unix epoch, when indexed.
    pub const FILE_MTIME: &str = "file_mtime";
    /// 64-bit XXH3 hash of the file's bytes.
    pub const CONTENT_HASH: &str = "content_hash";
    /// [`crate::OffsetMap`] of a body decoded from a file that is not UTF-8.
    pub const OFFSET_MAP: &str = "offset_map";
}

/// Handles to every field of the Dateline schema.
#[derive(Clone, Copy, Debug)]
#[allow(missing_docs)] // each field is documented in [`names`]
pub struct Fields {
    pub path: Field,
    pub title: Field,
    pub derived_title: Field,
    pub body: Field,
    pub body_offset: Field,
    pub body_line: Field,
    pub date: Field,
    pub publisher: Field,
    pub dateline: Field,
    pub author: Field,
    pub url: Field,
    pub file_len: Field,
    pub file_mtime: Field,
    pub content_hash: Field,
    pub offset_map: Field,
}

impl Fields {
    /// Builds the schema of a new index, with handles to its fields.
    pub fn build() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let text = |tokenizer: &str| {
            TextOptions::default().set_stored().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let fields = Fields {
            // FAST so results can be ordered by path and the indexer can list what it holds.
            path: builder.add_text_field(names::PATH, STRING | STORED | FAST),
            title: builder.add_text_field(names::TITLE, text(TEXT_TOKENIZER)),
            derived_title: builder.add_text_field(names::DERIVED_TITLE, STORED),
            body: builder.add_text_field(names::BODY, text(TEXT_TOKENIZER)),
            body_offset: builder.add_u64_field(names::BODY_OFFSET, STORED),
            body_line: builder.add_u64_field(names::BODY_LINE, STORED),
            date: builder.add_date_field(
                names::DATE,
                DateOptions::from(INDEXED | STORED | FAST)
                    .set_precision(DateTimePrecision::Seconds),
            ),
            // The fast column keeps the exact name, for publisher facets.
            publisher: builder
                .add_text_field(names::PUBLISHER, text(NAME_TOKENIZER).set_fast("raw")),
            dateline: builder.add_text_field(names::DATELINE, text(NAME_TOKENIZER)),
            author: builder.add_text_field(names::AUTHOR, text(NAME_TOKENIZER)),
            url: builder.add_text_field(names::URL, STRING | STORED),
            file_len: builder.add_u64_field(names::FILE_LEN, FAST),
            file_mtime: builder.add_u64_field(names::FILE_MTIME, FAST),
            content_hash: builder.add_u64_field(names::CONTENT_HASH, FAST),
            offset_map: builder.add_bytes_field(names::OFFSET_MAP, STORED),
        };
        (builder.build(), fields)
    }

    /// Finds the Dateline fields in the schema of an existing index.
    pub fn from_schema(schema: &Schema) -> Result<Fields, FormatError> {
        let get = |name: &'static str| {
            schema.get_field(name).map_err(|_| FormatError::MissingField { name })
        };
        Ok(Fields {
            path: get(names::PATH)?,
            title: get(names::TITLE)?,
            derived_title: get(names::DERIVED_TITLE)?,
            body: get(names::BODY)?,
            body_offset: get(names::BODY_OFFSET)?,
            body_line: get(names::BODY_LINE)?,
            date: get(names::DATE)?,
            publisher: get(names::PUBLISHER)?,
            dateline: get(names::DATELINE)?,
            author: get(names::AUTHOR)?,
            url: get(names::URL)?,
            file_len: get(names::FILE_LEN)?,
            file_mtime: get(names::FILE_MTIME)?,
            content_hash: get(names::CONTENT_HASH)?,
            offset_map: get(names::OFFSET_MAP)?,
        })
    }
}

/// Index-wide settings. Stored text is compressed with zstd in 64 KiB blocks rather than
/// tantivy's lz4 in 16 KiB blocks: news text packs tighter (measured on Reuters-21578 at 1×,
/// 18 MB of reports: 15.1 MB for the whole index, against 15.9 MB with 16 KiB zstd blocks),
/// while a hit's text still costs one small block to decompress. zstd level 9 with 128 KiB
/// blocks made it 14.3 MB, but halved indexing speed and slowed whole-process searches.
pub fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(3),
        }),
        docstore_blocksize: 64 << 10,
        ..Default::default()
    }
}

/// What every commit of a Dateline index records, as its commit payload (JSON).
///
/// It is written atomically with the documents, so it always describes the reports the
/// commit holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IndexManifest {
    /// [`FORMAT_VERSION`] of the build that made the commit.
    pub format: u32,
    /// The folders the index was built from (absolute paths), so a later run can re-scan them.
    pub roots: Vec<PathBuf>,
    /// When the commit was made. Absent from commits of builds that did not record it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committed_at: Option<jiff::Timestamp>,
}

impl IndexManifest {
    /// A manifest for the current format, tracking `roots`.
    pub fn new(roots: Vec<PathBuf>) -> IndexManifest {
        IndexManifest { format: FORMAT_VERSION, roots, committed_at: None }
    }

    /// Reads the manifest of the last commit of `index`.
    ///
    /// An index with no commit yet has an empty manifest of the current format.
    pub fn of(index: &tantivy::Index, dir: &Path) -> Result<IndexManifest, FormatError> {
        let metas = index.load_metas().map_err(|source| FormatError::Unreadable {
            path: dir.to_path_buf(),
            reason: source.to_string(),
        })?;
        let manifest = match metas.payload {
            None if metas.opstamp == 0 => IndexManifest::new(Vec::new()),
            None => return Err(FormatError::NotDateline { path: dir.to_path_buf() }),
            Some(payload) => serde_json::from_str::<IndexManifest>(&payload)
                .map_err(|_| FormatError::NotDateline { path: dir.to_path_buf() })?,
        };
        if manifest.format != FORMAT_VERSION {
            return Err(FormatError::Incompatible {
                path: dir.to_path_buf(),
                found: manifest.format,
                expected: FORMAT_VERSION,
            });
        }
        Ok(manifest)
    }

    /// The payload string to commit.
    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).expect("a manifest of paths always serializes")
    }
}

/// An index that this build cannot read as a Dateline index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The schema lacks a field this build needs.
    #[error("the index has no `{name}` field: it was not built by this version of Dateline")]
    MissingField {
        /// The missing field.
        name: &'static str,
    },
    /// The index was written by another format version.
    #[error("index at {} has format {found}; this build reads format {expected}", .path.display())]
    Incompatible {
        /// The index folder.
        path: PathBuf,
        /// Format found in the index.
        found: u32,
        /// [`FORMAT_VERSION`].
        expected: u32,
    },
    /// The commit payload is missing or is not a Dateline manifest.
    #[error("index at {} was not written by Dateline", .path.display())]
    NotDateline {
        /// The index folder.
        path: PathBuf,
    },
    /// The index metadata could not be read.
    #[error("cannot read the index metadata at {}: {reason}", .path.display())]
    Unreadable {
        /// The index folder.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
}

/// Where the bytes of a report's body text lie in its file.
///
/// For a UTF-8 file the body is the file's bytes, verbatim, from `body_offset` on. A file in
/// another encoding (or with invalid bytes) is decoded, and a character may then take more
/// or fewer bytes in the text than in the file; the map records, at each point where the
/// difference changes, which text offset corresponds to which file offset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// `(text offset, file offset)` pairs, sorted, the first at text offset 0.
    points: Vec<(u64, u64)>,
}

impl OffsetMap {
    /// Text offset `t` is file offset `base + t`: a UTF-8 body starting at `base`.
    pub fn identity(base: u64) -> OffsetMap {
        OffsetMap { points: vec![(0, base)] }
    }

    /// Records that text offset `text` corresponds to file offset `file` (call in order).
    pub fn push(&mut self, text: u64, file: u64) {
        match self.points.last() {
            Some(&(t, f)) if file - f == text - t => {}
            _ => self.points.push((text, file)),
        }
    }

    /// The file offset of text offset `text`.
    pub fn file_offset(&self, text: u64) -> u64 {
        let i = self.points.partition_point(|&(t, _)| t <= text);
        match i.checked_sub(1).map(|i| self.points[i]) {
            Some((t, f)) => f + (text - t),
            None => text,
        }
    }

    /// The same map for text starting at text offset `start`.
    pub fn rebase(&self, start: u64) -> OffsetMap {
        let mut points = vec![(0, self.file_offset(start))];
        points
            .extend(self.points.iter().filter(|&&(t, _)| t > start).map(|&(t, f)| (t - start, f)));
        OffsetMap { points }
    }

    /// Whether text offsets are file offsets plus a constant (the file is UTF-8).
    pub fn is_identity(&self) -> bool {
        self.points.len() <= 1
    }

    /// The map as stored in the index: little-endian `u64` pairs.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.points
            .iter()
            .flat_map(|&(t, f)| t.to_le_bytes().into_iter().chain(f.to_le_bytes()))
            .collect()
    }

    /// Reads a stored map; `None` if the bytes are not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<OffsetMap> {
        if !bytes.len().is_multiple_of(16) {
            return None;
        }
        let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let points =
            bytes.chunks_exact(16).map(|pair| (word(&pair[..8]), word(&pair[8..]))).collect();
        Some(OffsetMap { points })
    }
}

/// Line breaks as Dateline counts them, on both sides of the index: `\n`, `\r\n`, and a
/// lone `\r` (old Mac files). Line numbers in results count these breaks.
pub mod lines {
    /// The lines of `text`, each with its line break (the last may have none).
    pub fn split_inclusive(text: &str) -> impl Iterator<Item = &str> {
        let bytes = text.as_bytes();
        let mut start = 0;
        std::iter::from_fn(move || {
            if start >= bytes.len() {
                return None;
            }
            let mut end = start;
            while end < bytes.len() {
                match bytes[end] {
                    b'\n' => break,
                    b'\r' if bytes.get(end + 1) != Some(&b'\n') => break,
                    _ => end += 1,
                }
            }
            // `end` is at a break (one byte; `\r\n` ends at its `\n`) or at the end.
            let next = (end + 1).min(bytes.len());
            let line = &text[start..next];
            start = next;
            Some(line)
        })
    }

    /// The lines of `text` without their line breaks.
    pub fn lines(text: &str) -> impl Iterator<Item = &str> {
        split_inclusive(text).map(trim_break)
    }

    /// `line` without its line break.
    pub fn trim_break(line: &str) -> &str {
        let line = line.strip_suffix('\n').unwrap_or(line);
        line.strip_suffix('\r').unwrap_or(line)
    }

    /// How many line breaks `text` holds.
    pub fn count(text: &str) -> usize {
        let bytes = text.as_bytes();
        bytes
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
            .count()
    }

    /// The byte offset at which each line starts (the first is 0).
    pub fn starts(text: &str) -> Vec<usize> {
        let mut starts = vec![0];
        let mut at = 0;
        for line in split_inclusive(text) {
            at += line.len();
            if at < text.len() || line.ends_with(['\n', '\r']) {
                starts.push(at);
            }
        }
        starts
    }
}

/// Conversions between calendar days and tantivy's date values.
pub mod date {
    use jiff::civil::Date;
    use tantivy::DateTime;

    /// The first day the `date` field can hold. tantivy keeps dates as nanoseconds in an
    /// `i64`, which spans 1677-09-21 to 2262-04-11; Dateline keeps to whole years inside.
    pub const FIRST: Date = jiff::civil::date(1678, 1, 1);
    /// The last day the `date` field can hold (see [`FIRST`]).
    pub const LAST: Date = jiff::civil::date(2261, 12, 31);

    /// Whether `day` can be stored and searched exactly.
    pub fn in_range(day: Date) -> bool {
        (FIRST..=LAST).contains(&day)
    }

    /// Why a day outside [`FIRST`]..=[`LAST`] cannot be used, for messages.
    pub fn out_of_range(day: Date) -> String {
        format!("{day} is outside the dates Dateline can store, {FIRST} to {LAST}")
    }

    /// Midnight UTC of `day`, as stored in the `date` field; `None` outside
    /// [`FIRST`]..=[`LAST`], where tantivy would silently store another day.
    pub fn to_tantivy(day: Date) -> Option<DateTime> {
        if !in_range(day) {
            return None;
        }
        let zoned = day.to_zoned(jiff::tz::TimeZone::UTC).ok()?;
        Some(DateTime::from_timestamp_secs(zoned.timestamp().as_second()))
    }

    /// The UTC calendar day of a stored date.
    pub fn from_tantivy(value: DateTime) -> Option<Date> {
        let timestamp = jiff::Timestamp::from_second(value.into_timestamp_secs()).ok()?;
        Some(timestamp.to_zoned(jiff::tz::TimeZone::UTC).date())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_round_trips_through_from_schema() {
        let (schema, built) = Fields::build();
        let found = Fields::from_schema(&schema).unwrap();
        assert_eq!(built.body, found.body);
        assert_eq!(built.content_hash, found.content_hash);
    }

    #[test]
    fn dates_round_trip_exactly_or_not_at_all() {
        let day = jiff::civil::date(2024, 1, 31);
        let stored = date::to_tantivy(day).unwrap();
        assert_eq!(stored.into_timestamp_secs(), 1_706_659_200);
        assert_eq!(date::from_tantivy(stored), Some(day));
        for day in [date::FIRST, date::LAST] {
            assert_eq!(date::from_tantivy(date::to_tantivy(day).unwrap()), Some(day));
        }
        // Stored as 1915-11-12, 1970-01-01 and 1754-08-30 before these were refused.
        for text in ["2500-06-01", "9999-12-31", "0001-01-01", "1677-12-31", "2262-01-01"] {
            let day: jiff::civil::Date = text.parse().unwrap();
            assert_eq!(date::to_tantivy(day), None, "{day}");
        }
    }

    #[test]
    fn offset_maps_translate_and_round_trip() {
        // "café" in Latin-1 is 4 bytes, 5 in UTF-8: text offsets after é are one ahead.
        let mut map = OffsetMap::identity(10);
        map.push(5, 14);
        assert_eq!(
            [map.file_offset(0), map.file_offset(3), map.file_offset(5), map.file_offset(9)],
            [10, 13, 14, 18]
        );
        assert_eq!(OffsetMap::from_bytes(&map.to_bytes()), Some(map.clone()));
        let from_4 = map.rebase(4);
        assert_eq!(
            [from_4.file_offset(0), from_4.file_offset(1), from_4.file_offset(3)],
            [14, 14, 16]
        );
        assert!(OffsetMap::identity(3).is_identity() && !map.is_identity());
        assert_eq!(OffsetMap::from_bytes(&[1, 2, 3]), None);
    }

    #[test]
    fn every_kind_of_line_break_counts() {
        let text = "a\nb\r\nc\rd\r\re";
        let split: Vec<&str> = lines::split_inclusive(text).collect();
        assert_eq!(split, ["a\n", "b\r\n", "c\r", "d\r", "\r", "e"]);
        assert_eq!(lines::lines(text).collect::<Vec<_>>(), ["a", "b", "c", "d", "", "e"]);
        assert_eq!(lines::count(text), 5);
        assert_eq!(lines::starts(text), [0, 2, 5, 7, 9, 10]);
        assert_eq!(lines::starts("x\n"), [0, 2]);
        assert_eq!(lines::count(""), 0);
        assert_eq!(lines::split_inclusive("").count(), 0);
    }

    #[test]
    fn manifest_payload_round_trips() {
        let manifest = IndexManifest::new(vec![PathBuf::from("/data/reports")]);
        let back: IndexManifest = serde_json::from_str(&manifest.to_payload()).unwrap();
        assert_eq!(back, manifest);
    }
}
