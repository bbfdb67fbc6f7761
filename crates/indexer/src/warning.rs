//! Caveats on a file that was indexed: what a reader of its hits should know.

use std::path::PathBuf;

use jiff::civil::Date;
use serde::{Serialize, Serializer};

/// A caveat on an indexed file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Warning {
    /// The file is mostly UTF-8 but holds invalid bytes, each run replaced by U+FFFD.
    #[error(
        "not valid UTF-8 ({bad_bytes} bad byte(s), the first at offset {first_offset}); indexed with them replaced by �"
    )]
    InvalidUtf8 {
        /// How many bytes are invalid.
        bad_bytes: u64,
        /// Offset of the first.
        first_offset: u64,
    },
    /// The file holds no multi-byte UTF-8 and was read as Windows-1252 (which Latin-1 is
    /// a subset of).
    #[error("not UTF-8; read as Windows-1252 (Latin-1)")]
    Windows1252,
    /// A web page that states no encoding, is not UTF-8, and was read in the encoding it
    /// looks like.
    #[error("states no encoding and is not UTF-8; read as {encoding}, the encoding it looks like")]
    EncodingGuessed {
        /// The encoding detected (its WHATWG name, e.g. `windows-1251`).
        encoding: String,
    },
    /// A web page holds bytes that are invalid in its encoding, each replaced by U+FFFD.
    #[error("{bad} invalid byte sequence(s) for {encoding}; indexed with them replaced by �")]
    InvalidBytes {
        /// The encoding the page states.
        encoding: String,
        /// How many invalid sequences.
        bad: u64,
    },
    /// A record of a file of many reports gives no report (malformed, or without text);
    /// the rest of the file is indexed.
    #[error("record {place} left out: {reason}")]
    BadRecord {
        /// Its place in the file: `:17` (line), `#3` (element of a JSON array).
        place: String,
        /// Why.
        reason: String,
    },
    /// Records of a WARC crawl that are not web pages (requests, metadata, responses that
    /// are not HTML), passed over.
    #[error("{count} record(s) not web pages passed over ({kinds})")]
    RecordsPassedOver {
        /// How many.
        count: u64,
        /// How many of each kind: `3 request, 3 metadata, 1 non-HTML response`.
        kinds: String,
    },
    /// Rows of a CSV or TSV file that are not UTF-8, decoded (as Windows-1252, or with
    /// U+FFFD for bad bytes) and indexed.
    #[error(
        "{rows} row(s) not UTF-8 (the first on line {first_line}); read as Windows-1252, or with � for bad bytes"
    )]
    RowsDecoded {
        /// How many rows.
        rows: u64,
        /// The line the first starts on.
        first_line: u64,
    },
    /// A caveat on one record's report (a WARC record's page), which is indexed.
    #[error("record {place}: {caveat}")]
    RecordCaveat {
        /// Its place in the file: `#4`.
        place: String,
        /// The caveat, as for a file of one report.
        caveat: String,
    },
    /// More records were left out than are listed one by one.
    #[error("{count} more record(s) left out")]
    MoreBadRecords {
        /// How many.
        count: u64,
    },
    /// The file opens with front matter (`---` or `+++` fences) that cannot be read; the
    /// file is read as if it had none.
    #[error("front matter not read ({reason}); indexed as text")]
    FrontMatter {
        /// What the parser said.
        reason: String,
    },
    /// The report's date is outside what the index can store; it was indexed without one.
    #[error("its date {}; indexed without a date", dateline_schema::date::out_of_range(*.date))]
    DateOutOfRange {
        /// The date the report states.
        date: Date,
    },
}

impl Warning {
    /// A short name for the kind of caveat, for counting and in JSON: `invalid_utf8`,
    /// `windows_1252`, `encoding_guessed`, `invalid_bytes`, `date_out_of_range`, `bad_record`,
    /// `front_matter`, `records_passed_over`, `rows_decoded`, `record_caveat`.
    pub fn kind(&self) -> &'static str {
        match self {
            Warning::InvalidUtf8 { .. } => "invalid_utf8",
            Warning::Windows1252 => "windows_1252",
            Warning::EncodingGuessed { .. } => "encoding_guessed",
            Warning::InvalidBytes { .. } => "invalid_bytes",
            Warning::DateOutOfRange { .. } => "date_out_of_range",
            Warning::BadRecord { .. } | Warning::MoreBadRecords { .. } => "bad_record",
            Warning::FrontMatter { .. } => "front_matter",
            Warning::RecordsPassedOver { .. } => "records_passed_over",
            Warning::RowsDecoded { .. } => "rows_decoded",
            Warning::RecordCaveat { .. } => "record_caveat",
        }
    }
}

/// A file that was indexed with caveats.
///
/// In JSON: `{"path": …, "message": …, "kinds": […]}`, the message being every caveat's text
/// joined by `; `, as [`Warned::message`] gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warned {
    /// The file.
    pub path: PathBuf,
    /// Its caveats (at least one), in the order they were found.
    pub warnings: Vec<Warning>,
}

impl Warned {
    /// Every caveat, as one line of prose.
    pub fn message(&self) -> String {
        let texts: Vec<String> = self.warnings.iter().map(Warning::to_string).collect();
        texts.join("; ")
    }
}

impl Serialize for Warned {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let kinds: Vec<&str> = self.warnings.iter().map(Warning::kind).collect();
        let mut out = serializer.serialize_struct("Warned", 3)?;
        out.serialize_field("path", &self.path)?;
        out.serialize_field("message", &self.message())?;
        out.serialize_field("kinds", &kinds)?;
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caveats_read_as_before_they_were_typed() {
        let warned = Warned {
            path: "/r/a.txt".into(),
            warnings: vec![
                Warning::Windows1252,
                Warning::DateOutOfRange { date: jiff::civil::date(2500, 6, 1) },
            ],
        };
        assert_eq!(
            warned.message(),
            "not UTF-8; read as Windows-1252 (Latin-1); its date 2500-06-01 is outside the dates Dateline can store, 1678-01-01 to 2261-12-31; indexed without a date"
        );
        let json = serde_json::to_value(&warned).unwrap();
        assert_eq!(json["path"], "/r/a.txt");
        assert_eq!(json["message"], warned.message());
        assert_eq!(json["kinds"], serde_json::json!(["windows_1252", "date_out_of_range"]));
        let invalid = Warning::InvalidUtf8 { bad_bytes: 3, first_offset: 18 };
        assert_eq!(
            invalid.to_string(),
            "not valid UTF-8 (3 bad byte(s), the first at offset 18); indexed with them replaced by �"
        );
    }
}
