//! Field names, as users write them in `field:term` queries and as they appear in the schema.

/// Absolute path of the report file. With [`RECORD`], the identity of a document; all the
/// reports of one file share it, so deleting by path deletes them all.
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
/// Where a report lies in a file that holds many (a JSON Lines, JSON or CSV file): the
/// suffix of its name after the file's, `:17` (the record starting on line 17) or `#3` (the
/// third element of a JSON array). Absent for a file that is one report.
pub const RECORD: &str = "record";
/// Set (1) when [`DATE`] is the day a web crawler fetched the page (a WARC record's
/// `WARC-Date`), the page stating no date of its own; absent otherwise.
pub const DATE_CRAWLED: &str = "date_crawled";
/// The moment of publication, when the report states a time of day as well as a day
/// (seconds since the Unix epoch, UTC); absent when it gives only a day. A time without a
/// zone is read as UTC. Stored only beside a stored [`DATE`].
pub const PUBLISHED_AT: &str = "published_at";
/// [`crate::LineMap`] of a body whose line breaks are not all the file's (one decoded from
/// a JSON string, or put together from several fields).
pub const LINE_MAP: &str = "line_map";
/// The report's language: an ISO 639-1 code, declared by the report or detected.
pub const LANGUAGE: &str = "language";
/// Band keys of the body's MinHash signature (locality-sensitive hashing): reports that
/// share one are candidate copies of each other. Indexed only, one term per band.
pub const COPY_BAND: &str = "copy_band";
/// The copy group a report belongs to: reports carrying the same text (reprints, the same
/// article saved twice) share it. Set at index time.
pub const COPY_GROUP: &str = "copy_group";
/// The story a report belongs to: reports about the same event, copies or independent
/// reports, share it. Set at index time; stable when reports are added.
pub const STORY: &str = "story";
/// Pairs of neighbouring words of the headline, as its language's fields hold them, stop
/// words aside ([`crate::pairs`]): a phrase of two such words is one term here.
pub const TITLE_PAIRS: &str = "title_pairs";
/// Pairs of neighbouring words of the body, as its language's fields hold them.
pub const BODY_PAIRS: &str = "body_pairs";
/// The headline, analysed for each language slot ([`crate::languages`]), in slot order.
pub const TITLE_BY_LANGUAGE: [&str; crate::languages::SLOTS] = [
    "title_ar",
    "title_da",
    "title_de",
    "title_el",
    "title_en",
    "title_es",
    "title_fi",
    "title_fr",
    "title_hu",
    "title_it",
    "title_nl",
    "title_no",
    "title_pt",
    "title_ro",
    "title_ru",
    "title_sv",
    "title_ta",
    "title_tr",
    "title_folded",
];
/// The body, analysed for each language slot ([`crate::languages`]), in slot order.
pub const BODY_BY_LANGUAGE: [&str; crate::languages::SLOTS] = [
    "body_ar",
    "body_da",
    "body_de",
    "body_el",
    "body_en",
    "body_es",
    "body_fi",
    "body_fr",
    "body_hu",
    "body_it",
    "body_nl",
    "body_no",
    "body_pt",
    "body_ro",
    "body_ru",
    "body_sv",
    "body_ta",
    "body_tr",
    "body_folded",
];
