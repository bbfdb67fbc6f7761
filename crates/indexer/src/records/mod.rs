//! Files that hold many reports, one a record: JSON Lines, JSON arrays and objects, CSV and
//! TSV, WARC crawls and RSS/Atom feeds.
//!
//! Each format's reader ([`json`], [`object`], [`csv`]) finds the records and the text of their fields,
//! each [`Piece`] of text with where it lies in the file; [`FieldNames`] says which field is
//! the headline, the text, the date…; [`report`] makes the record a [`StoredReport`]. A
//! WARC record ([`warc`]) is a web page, read by [`crate::html`]; a feed's item ([`feed`]) has
//! fields of its own.

pub(crate) mod csv;
pub(crate) mod feed;
pub(crate) mod json;
pub(crate) mod object;
pub(crate) mod warc;

use dateline_schema::{LineMap, OffsetMap, StoredReport, Title};

use crate::extract;

/// What a field of a record is to a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Role {
    /// The headline.
    Title,
    /// The report's text (a record without it is skipped).
    Text,
    /// Publication date.
    Date,
    /// The outlet.
    Publisher,
    /// URL.
    Url,
    /// Byline.
    Author,
    /// A subtitle or description: searched, as the body's first paragraph.
    Subtitle,
    /// The language it is written in (a code such as `de` or `en-US`); detected when absent.
    Language,
}

impl Role {
    /// Every role, in the order fields are looked up.
    pub const ALL: [Role; 8] = [
        Role::Title,
        Role::Text,
        Role::Date,
        Role::Publisher,
        Role::Url,
        Role::Author,
        Role::Subtitle,
        Role::Language,
    ];

    /// The role's name, as `--field NAME=field` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Role::Title => "title",
            Role::Text => "text",
            Role::Date => "date",
            Role::Publisher => "publisher",
            Role::Url => "url",
            Role::Author => "author",
            Role::Subtitle => "subtitle",
            Role::Language => "language",
        }
    }

    /// The role named `name` (`headline` is taken for `title`, `source` for `publisher`).
    pub fn from_name(name: &str) -> Option<Role> {
        let name = name.trim().to_ascii_lowercase();
        Role::ALL.into_iter().find(|role| role.name() == name).or(match name.as_str() {
            "headline" => Some(Role::Title),
            "body" => Some(Role::Text),
            "source" => Some(Role::Publisher),
            "byline" => Some(Role::Author),
            "description" => Some(Role::Subtitle),
            "lang" => Some(Role::Language),
            _ => None,
        })
    }

    /// The field names news tools and datasets use for the role, compared case-insensitively,
    /// the first present one winning.
    pub fn known_fields(self) -> &'static [&'static str] {
        match self {
            Role::Title => &["title", "headline"],
            Role::Text => &["text", "body", "content", "maintext", "article"],
            Role::Date => &[
                "date",
                "published",
                "publish_date",
                "date_publish",
                "pubdate",
                "seendate",
                "datepublished",
                "published_at",
                "publishedat",
            ],
            Role::Publisher => &["source", "publisher", "source_domain", "site_name", "outlet"],
            Role::Url => &["url", "link"],
            Role::Author => &["author", "authors", "byline"],
            Role::Subtitle => &["subtitle", "description"],
            Role::Language => &["language", "lang", "inlanguage"],
        }
    }
}

/// Which field of a record plays which [`Role`]: the user's names first, then the known ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldNames {
    /// Fields the user named (`--field title=hed`), by role; compared case-insensitively.
    named: Vec<(Role, String)>,
}

impl FieldNames {
    /// Adds `field` as the first field looked up for `role`.
    pub fn name(mut self, role: Role, field: impl Into<String>) -> FieldNames {
        self.named.push((role, field.into().to_lowercase()));
        self
    }

    /// Whether the user named no field.
    pub fn is_empty(&self) -> bool {
        self.named.is_empty()
    }

    /// The names as `(role, field)` pairs, as the index records them.
    pub(crate) fn to_pairs(&self) -> Vec<(String, String)> {
        self.named.iter().map(|(role, field)| (role.name().to_string(), field.clone())).collect()
    }

    /// Names recorded by [`FieldNames::to_pairs`] (pairs of unknown roles are passed over).
    pub(crate) fn from_pairs(pairs: &[(String, String)]) -> FieldNames {
        let known = pairs.iter().filter_map(|(role, field)| Some((Role::from_name(role)?, field)));
        known.fold(FieldNames::default(), |names, (role, field)| names.name(role, field.as_str()))
    }

    /// The lower-case field names to look up for `role`, in order.
    pub(crate) fn candidates(&self, role: Role) -> impl Iterator<Item = &str> {
        let named = self.named.iter().filter(move |(r, _)| *r == role).map(|(_, f)| f.as_str());
        named.chain(role.known_fields().iter().copied())
    }
}

/// A field's text, and where it lies in the file.
#[derive(Clone, Debug, Default)]
pub(crate) struct Piece {
    pub text: String,
    /// File offsets of the text's offsets.
    pub offsets: OffsetMap,
    /// 1-based file line of the text's first byte.
    pub line: u64,
    /// File lines where the text's own line breaks are not the file's.
    pub lines: LineMap,
}

/// A record as its format reader found it: the text of each field, by lower-case name.
#[derive(Debug, Default)]
pub(crate) struct Record {
    /// Its place in the file, as report names end: `:17`, `#3`.
    pub place: String,
    pub fields: Vec<(String, Piece)>,
}

impl Record {
    fn get(&self, names: &FieldNames, role: Role) -> Option<&Piece> {
        names.candidates(role).find_map(|name| {
            self.fields
                .iter()
                .find(|(field, piece)| field == name && !piece.text.trim().is_empty())
                .map(|(_, piece)| piece)
        })
    }
}

/// Why a record gives no report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    /// The record's place (`:17`, `#3`).
    pub place: String,
    pub reason: String,
}

/// The report of `record`, of the file stored under `key`; a [`Problem`] when it has no text.
pub(crate) fn report(
    key: &str,
    record: Record,
    names: &FieldNames,
) -> Result<StoredReport, Problem> {
    let Some(text) = record.get(names, Role::Text) else {
        let fields: Vec<&str> = names.candidates(Role::Text).collect();
        let reason = format!("no text (looked for {})", fields.join(", "));
        return Err(Problem { place: record.place, reason });
    };
    let body = match record.get(names, Role::Subtitle) {
        Some(subtitle) => join(subtitle, text),
        None => text.clone(),
    };
    let single = |role| record.get(names, role).map(|piece| clean(&piece.text));
    let (dateline, dateline_publisher) = extract::dateline(&body.text);
    let title = match single(Role::Title) {
        Some(title) => Title::Headline(title),
        None => extract::derive_title(&body.text),
    };
    Ok(StoredReport {
        path: key.to_string(),
        record: Some(record.place.clone()),
        title,
        date: record.get(names, Role::Date).and_then(|piece| parse_date(&piece.text)),
        published_at: record
            .get(names, Role::Date)
            .filter(|piece| parse_date(&piece.text).is_some())
            .and_then(|piece| crate::moment::parse(&piece.text)),
        date_crawled: false,
        publisher: single(Role::Publisher).or(dateline_publisher),
        dateline,
        author: single(Role::Author),
        url: single(Role::Url),
        body: body.text,
        body_offsets: body.offsets,
        body_line: body.line,
        body_lines: body.lines,
        language: single(Role::Language),
    })
}

/// `first`, a blank line, then `second`: one body, each part still placed in the file.
pub(crate) fn join(first: &Piece, second: &Piece) -> Piece {
    let mut joined = Piece { lines: LineMap::default(), ..first.clone() };
    joined.lines.push(0, first.line);
    joined.lines.append(0, &first.lines);
    let at = first.text.len() as u64;
    joined.text.push_str("\n\n");
    let end = first.offsets.file_offset(at);
    joined.offsets.push(at, end);
    joined.lines.push(at, first.line);
    let second_at = joined.text.len() as u64;
    joined.text.push_str(&second.text);
    joined.offsets.append(second_at, &second.offsets);
    joined.lines.push(second_at, second.line);
    joined.lines.append(second_at, &second.lines);
    joined
}

/// Whitespace runs collapsed.
fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The dates records carry: those of report headers, and GDELT's `20240131T101500Z` or
/// `20240131101500`.
pub(crate) fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    let text = text.trim();
    extract::parse_date(text).or_else(|| {
        let digits = text.get(..8).filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
        let date = |range: std::ops::Range<usize>| digits[range].parse::<i16>().ok();
        jiff::civil::Date::new(date(0..4)?, date(4..6)? as i8, date(6..8)? as i8).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(text: &str, file: u64, line: u64) -> Piece {
        Piece { text: text.into(), offsets: OffsetMap::identity(file), line, ..Piece::default() }
    }

    #[test]
    fn fields_are_found_by_known_or_given_names() {
        let record = Record {
            place: ":3".into(),
            fields: vec![
                ("hed".into(), piece("Port  strike", 0, 3)),
                ("maintext".into(), piece("ROTTERDAM - Dockers walked out.", 40, 3)),
                ("seendate".into(), piece("20240131T101500Z", 20, 3)),
                ("source_domain".into(), piece("reuters.com", 30, 3)),
            ],
        };
        let names = FieldNames::default().name(Role::Title, "HED");
        let found = report("/d.jsonl", record, &names).unwrap();
        assert_eq!(found.title, Title::Headline("Port strike".into()));
        assert_eq!(found.date, Some(jiff::civil::date(2024, 1, 31)));
        assert_eq!(found.published_at, Some("2024-01-31T10:15:00Z".parse().unwrap()));
        assert_eq!(found.publisher.as_deref(), Some("reuters.com"));
        assert_eq!(found.dateline.as_deref(), Some("ROTTERDAM"));
        assert_eq!((found.record.as_deref(), found.body_offsets.file_offset(0)), (Some(":3"), 40));
        let none = Record { place: ":9".into(), fields: vec![("title".into(), piece("T", 0, 9))] };
        assert_eq!(report("/d.jsonl", none, &names).unwrap_err().place, ":9");
    }

    #[test]
    fn a_subtitle_opens_the_body_each_part_placed() {
        let joined = join(&piece("Sub", 10, 2), &piece("Body\ntext", 50, 4));
        assert_eq!(joined.text, "Sub\n\nBody\ntext");
        assert_eq!([0, 5, 10].map(|t| joined.offsets.file_offset(t)), [10, 50, 55]);
        let starts = dateline_schema::lines::starts(&joined.text);
        assert_eq!([0, 5, 10].map(|t| joined.lines.line_at(2, &starts, t)), [2, 4, 5]);
    }
}
