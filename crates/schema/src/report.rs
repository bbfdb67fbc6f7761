//! One report as the index stores it: the single place that turns a report into a tantivy
//! document and a stored document back into a report.
//!
//! The indexer builds a [`StoredReport`] and calls [`StoredReport::to_document`]; the query
//! side calls [`StoredReport::from_document`] on what the doc store returns. Neither names a
//! field itself, so a field cannot be written one way and read another.
//!
//! The [`FileStamp`] (size, modification time, content hash) is written with the document but
//! kept in fast columns only, never in the doc store: it is read back for a whole segment at
//! once, with [`FileStamp::read_segment`], when the indexer compares the index with the disk.

use jiff::civil::Date;
use tantivy::schema::Value;
use tantivy::{SegmentReader, TantivyDocument};

use crate::{Fields, LineMap, OffsetMap, date, languages, names, pairs};

/// A report's title, and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Title {
    /// The report's own headline (stored in the searched `title` field).
    Headline(String),
    /// No headline: the lead sentence, shortened (stored for display only, never searched).
    Derived(String),
    /// Neither a headline nor any text to derive one from.
    Missing,
}

impl Title {
    /// The title text, whatever its origin (empty when missing).
    pub fn text(&self) -> &str {
        match self {
            Title::Headline(text) | Title::Derived(text) => text,
            Title::Missing => "",
        }
    }

    /// Whether it is the report's own headline.
    pub fn is_headline(&self) -> bool {
        matches!(self, Title::Headline(_))
    }
}

/// One report as the index stores it: what a search shows of it and where its body lies in
/// its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredReport {
    /// The report file's absolute path (canonical, UTF-8). Every report of one file has it.
    pub path: String,
    /// Where the report lies in a file that holds many: its name's suffix after the file's
    /// (`:17`, the record starting on line 17; `#3`, a JSON array's third element). `None`
    /// for a file that is one report. `path` and `record` together identify the report.
    pub record: Option<String>,
    /// Its headline, or a title derived from its lead sentence.
    pub title: Title,
    /// Publication date. Only a day in [`date::FIRST`]..=[`date::LAST`] can be stored; the
    /// writer leaves any other out (the indexer checks first, to warn).
    pub date: Option<Date>,
    /// Whether [`StoredReport::date`] is the day the page was crawled (a WARC record's
    /// `WARC-Date`) rather than one the report states: shown as such, never as its
    /// publication date.
    pub date_crawled: bool,
    /// The moment of publication, when the report states a time of day with its day (a
    /// time without a zone read as UTC). Stored only with [`StoredReport::date`].
    pub published_at: Option<jiff::Timestamp>,
    /// The outlet that published it.
    pub publisher: Option<String>,
    /// The place of its dateline, e.g. `WASHINGTON`.
    pub dateline: Option<String>,
    /// Byline.
    pub author: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// The text after the header, as indexed (decoded, if the file is not UTF-8).
    pub body: String,
    /// Where each byte of [`StoredReport::body`] lies in the file.
    pub body_offsets: OffsetMap,
    /// 1-based line of the file on which the body starts.
    pub body_line: u64,
    /// File lines of parts of the body whose line breaks are not the file's (empty for a
    /// body taken verbatim from its file).
    pub body_lines: LineMap,
    /// The report's language, an ISO 639-1 code (`de`), when declared or detected. It
    /// chooses the fields, and so the stemming, of its headline and body.
    pub language: Option<String>,
}

/// Where the indexer placed a report among the others: its copy group and its story. Kept
/// out of [`StoredReport`] because it is decided from the rest of the index, not read from
/// the report's file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grouping {
    /// Band keys of the body's MinHash signature ([`names::COPY_BAND`]); empty for a body
    /// too short to fingerprint.
    pub copy_bands: Vec<u64>,
    /// The copy group ([`names::COPY_GROUP`]).
    pub copy_group: u64,
    /// The story ([`names::STORY`]).
    pub story: u64,
}

/// What the index records of a report's file, to tell later whether it changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileStamp {
    /// Size in bytes.
    pub len: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: u64,
    /// 64-bit XXH3 hash of the file's bytes.
    pub content_hash: u64,
}

impl StoredReport {
    /// The tantivy document for this report, with `file` in its fast columns and `grouping`
    /// (its copy group and story, decided by the indexer) beside it.
    pub fn to_document(
        &self,
        fields: &Fields,
        file: &FileStamp,
        grouping: &Grouping,
    ) -> TantivyDocument {
        let f = fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.path, &self.path);
        if let Some(record) = &self.record {
            doc.add_text(f.record, record);
        }
        if !self.body_lines.is_empty() {
            doc.add_bytes(f.line_map, &self.body_lines.to_bytes());
        }
        let slot = languages::slot(self.language.as_deref());
        let analysed = f.by_language[slot];
        if let Some(language) = &self.language {
            doc.add_text(f.language, language);
        }
        match &self.title {
            Title::Headline(title) => {
                doc.add_text(f.title, title);
                doc.add_text(analysed.title, title);
                doc.add_text(f.title_pairs, pairs::input(slot, title));
            }
            Title::Derived(title) => doc.add_text(f.derived_title, title),
            Title::Missing => {}
        }
        doc.add_text(f.body, &self.body);
        doc.add_text(analysed.body, &self.body);
        doc.add_text(f.body_pairs, pairs::input(slot, &self.body));
        doc.add_u64(f.body_offset, self.body_offsets.file_offset(0));
        // A UTF-8 body (almost every report) needs no map: its offset is enough, and the
        // reader rebuilds the identity map from it.
        if !self.body_offsets.is_identity() {
            doc.add_bytes(f.offset_map, &self.body_offsets.to_bytes());
        }
        doc.add_u64(f.body_line, self.body_line);
        // tantivy would silently store another day for one out of range: leave it out.
        if let Some(stored) = self.date.and_then(date::to_tantivy) {
            doc.add_date(f.date, stored);
            if self.date_crawled {
                doc.add_u64(f.date_crawled, 1);
            }
            if let Some(moment) = self.published_at.and_then(date::moment_to_tantivy) {
                doc.add_date(f.published_at, moment);
            }
        }
        for (field, value) in [
            (f.publisher, &self.publisher),
            (f.dateline, &self.dateline),
            (f.author, &self.author),
            (f.url, &self.url),
        ] {
            if let Some(value) = value {
                doc.add_text(field, value);
            }
        }
        doc.add_u64(f.file_len, file.len);
        doc.add_u64(f.file_mtime, file.mtime_ns);
        doc.add_u64(f.content_hash, file.content_hash);
        for &band in &grouping.copy_bands {
            doc.add_u64(f.copy_band, band);
        }
        doc.add_u64(f.copy_group, grouping.copy_group);
        doc.add_u64(f.story, grouping.story);
        doc
    }

    /// The report a stored document holds. A value that is missing (an index written before
    /// it was recorded) reads as empty, never as an error: a hit is still worth showing.
    pub fn from_document(doc: &TantivyDocument, fields: &Fields) -> StoredReport {
        let f = fields;
        let text = |field| doc.get_first(field).and_then(|value| value.as_str());
        let owned = |field| text(field).map(str::to_string);
        let number = |field| doc.get_first(field).and_then(|value| value.as_u64());
        let title = match (text(f.title), text(f.derived_title)) {
            (Some(title), _) => Title::Headline(title.to_string()),
            (None, Some(title)) => Title::Derived(title.to_string()),
            (None, None) => Title::Missing,
        };
        let body_offsets = doc
            .get_first(f.offset_map)
            .and_then(|value| value.as_bytes())
            .and_then(OffsetMap::from_bytes)
            .unwrap_or_else(|| OffsetMap::identity(number(f.body_offset).unwrap_or(0)));
        StoredReport {
            path: owned(f.path).unwrap_or_default(),
            record: owned(f.record),
            title,
            date: doc
                .get_first(f.date)
                .and_then(|value| value.as_datetime())
                .and_then(date::from_tantivy),
            date_crawled: number(f.date_crawled) == Some(1),
            published_at: doc
                .get_first(f.published_at)
                .and_then(|value| value.as_datetime())
                .and_then(date::moment_from_tantivy),
            publisher: owned(f.publisher),
            dateline: owned(f.dateline),
            author: owned(f.author),
            url: owned(f.url),
            body: owned(f.body).unwrap_or_default(),
            body_offsets,
            body_line: number(f.body_line).unwrap_or(1),
            body_lines: doc
                .get_first(f.line_map)
                .and_then(|value| value.as_bytes())
                .and_then(LineMap::from_bytes)
                .unwrap_or_default(),
            language: owned(f.language),
        }
    }
}

impl FileStamp {
    /// The path, record and file stamp of every live document of `segment`, from fast
    /// columns only (no stored text is decompressed). A value missing from a column reads as 0.
    pub fn read_segment(segment: &SegmentReader) -> tantivy::Result<Vec<IndexedReport>> {
        let fast = segment.fast_fields();
        let Some(paths) = fast.str(names::PATH)? else {
            // No document of this segment has a path: it holds no report.
            return Ok(Vec::new());
        };
        let records = fast.str(names::RECORD)?;
        let lens = fast.u64(names::FILE_LEN)?;
        let mtimes = fast.u64(names::FILE_MTIME)?;
        let hashes = fast.u64(names::CONTENT_HASH)?;
        let by_ord = dictionary(&paths)?;
        let records_by_ord = match &records {
            Some(records) => dictionary(records)?,
            None => Vec::new(),
        };
        let mut stamps = Vec::with_capacity(segment.num_docs() as usize);
        for doc in segment.doc_ids_alive() {
            let Some(path) = paths.ords().first(doc).and_then(|ord| by_ord.get(ord as usize))
            else {
                continue;
            };
            let stamp = FileStamp {
                len: lens.first(doc).unwrap_or(0),
                mtime_ns: mtimes.first(doc).unwrap_or(0),
                content_hash: hashes.first(doc).unwrap_or(0),
            };
            let record = records
                .as_ref()
                .and_then(|records| records.ords().first(doc))
                .and_then(|ord| records_by_ord.get(ord as usize))
                .cloned();
            stamps.push(IndexedReport { path: path.clone(), record, stamp });
        }
        Ok(stamps)
    }
}

/// What the fast columns say of one document: which report it is and its file's stamp.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexedReport {
    /// [`StoredReport::path`].
    pub path: String,
    /// [`StoredReport::record`].
    pub record: Option<String>,
    /// The stamp of its file when it was indexed.
    pub stamp: FileStamp,
}

/// The terms of a string fast column, in term order: one pass over its dictionary, rather
/// than a dictionary block read per document.
fn dictionary(column: &tantivy::columnar::StrColumn) -> tantivy::Result<Vec<String>> {
    let mut by_ord = Vec::new();
    let mut terms = column.dictionary().stream()?;
    while terms.advance() {
        by_ord.push(String::from_utf8_lossy(terms.key()).into_owned());
    }
    Ok(by_ord)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn title() -> impl Strategy<Value = Title> {
        prop_oneof![
            "\\PC{0,40}".prop_map(Title::Headline),
            "\\PC{0,40}".prop_map(Title::Derived),
            Just(Title::Missing),
        ]
    }

    fn day() -> impl Strategy<Value = Option<Date>> {
        let span = (date::LAST - date::FIRST).get_days();
        proptest::option::of((0..=span).prop_map(|days| {
            date::FIRST.checked_add(jiff::Span::new().days(days)).expect("inside the range")
        }))
    }

    /// An identity map, or one with a few points, as decoding makes them: text and file
    /// offsets both increasing.
    fn offsets() -> impl Strategy<Value = OffsetMap> {
        (0u64..1 << 40, proptest::collection::vec((1u64..100, 0u64..100), 0..5)).prop_map(
            |(base, steps)| {
                let mut map = OffsetMap::identity(base);
                let (mut text, mut file) = (0, base);
                for (dt, df) in steps {
                    text += dt;
                    file += df;
                    map.push(text, file);
                }
                map
            },
        )
    }

    fn lines() -> impl Strategy<Value = LineMap> {
        proptest::collection::vec((1u64..100, 0u64..3), 0..4).prop_map(|steps| {
            let mut map = LineMap::default();
            let (mut text, mut line) = (0, 1);
            for (dt, dl) in steps {
                text += dt;
                line += dl;
                map.push(text, line);
            }
            map
        })
    }

    fn report() -> impl Strategy<Value = StoredReport> {
        let name = || proptest::option::of("\\PC{0,20}");
        (
            ("/[a-z/]{1,20}\\.txt", proptest::option::of("[:#][0-9]{1,5}"), title(), day()),
            (any::<bool>(), proptest::option::of(0i64..86_400)),
            (name(), name(), name(), name(), proptest::option::of("(de|en|zh|ja|xx)")),
            ("\\PC{0,200}", offsets(), 1u64..1 << 32, lines()),
        )
            .prop_map(
                |(
                    (path, record, title, date),
                    (crawled, moment),
                    (publisher, dateline, author, url, language),
                    (body, body_offsets, body_line, body_lines),
                )| StoredReport {
                    path,
                    record,
                    title,
                    date,
                    date_crawled: date.is_some() && crawled,
                    published_at: date.zip(moment).map(|(day, seconds)| {
                        let midnight = day.to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp();
                        midnight + jiff::SignedDuration::from_secs(seconds)
                    }),
                    publisher,
                    dateline,
                    author,
                    url,
                    body,
                    body_offsets,
                    body_line,
                    body_lines,
                    language,
                },
            )
    }

    fn stamp() -> impl Strategy<Value = FileStamp> {
        (any::<u64>(), any::<u64>(), any::<u64>())
            .prop_map(|(len, mtime_ns, content_hash)| FileStamp { len, mtime_ns, content_hash })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Written to a real index and read back (stored fields from the doc store, stamps
        /// from the fast columns), every report is what was written.
        #[test]
        fn reports_round_trip_through_an_index(
            written in proptest::collection::vec((report(), stamp()), 1..4)
        ) {
            let (schema, fields) = Fields::build();
            let index = tantivy::Index::create_in_ram(schema);
            languages::register(&index);
            let mut writer: tantivy::IndexWriter =
                index.writer_with_num_threads(1, 15_000_000).unwrap();
            for (report, stamp) in &written {
                writer.add_document(report.to_document(&fields, stamp, &Grouping::default())).unwrap();
            }
            writer.commit().unwrap();
            let searcher = index.reader().unwrap().searcher();

            let mut read = Vec::new();
            let mut stamps = Vec::new();
            for (ord, segment) in searcher.segment_readers().iter().enumerate() {
                for doc in segment.doc_ids_alive() {
                    let address = tantivy::DocAddress::new(ord as u32, doc);
                    let stored: TantivyDocument = searcher.doc(address).unwrap();
                    read.push(StoredReport::from_document(&stored, &fields));
                }
                stamps.extend(FileStamp::read_segment(segment).unwrap());
            }
            let key = |r: &StoredReport| (r.path.clone(), r.record.clone(), r.body.clone(), r.body_line);
            let mut expected: Vec<StoredReport> = written.iter().map(|(r, _)| r.clone()).collect();
            expected.sort_by_key(key);
            read.sort_by_key(key);
            prop_assert_eq!(read, expected);

            let mut expected: Vec<IndexedReport> = written
                .iter()
                .map(|(r, s)| IndexedReport { path: r.path.clone(), record: r.record.clone(), stamp: *s })
                .collect();
            let by_path = |a: &IndexedReport, b: &IndexedReport| {
                (&a.path, &a.record, a.stamp.len, a.stamp.mtime_ns, a.stamp.content_hash)
                    .cmp(&(&b.path, &b.record, b.stamp.len, b.stamp.mtime_ns, b.stamp.content_hash))
            };
            expected.sort_by(by_path);
            stamps.sort_by(by_path);
            prop_assert_eq!(stamps, expected);
        }
    }

    #[test]
    fn a_date_tantivy_cannot_hold_is_left_out_not_stored_as_another_day() {
        let (_, fields) = Fields::build();
        let report = StoredReport {
            path: "/r.txt".into(),
            record: None,
            title: Title::Missing,
            date: Some(jiff::civil::date(2500, 6, 1)),
            date_crawled: false,
            published_at: Some("2500-06-01T10:15:00Z".parse().unwrap()),
            publisher: None,
            dateline: None,
            author: None,
            url: None,
            body: "Text.".into(),
            body_offsets: OffsetMap::identity(0),
            body_line: 1,
            body_lines: LineMap::default(),
            language: None,
        };
        let doc = report.to_document(&fields, &FileStamp::default(), &Grouping::default());
        let read = StoredReport::from_document(&doc, &fields);
        assert_eq!((read.date, read.published_at), (None, None));
        assert!(doc.get_first(fields.offset_map).is_none(), "no map for a UTF-8 body");
    }
}
