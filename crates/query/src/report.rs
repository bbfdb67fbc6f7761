//! One whole report, as the index stores it, for reading rather than ranking.

use std::ops::Range;
use std::path::Path;

use dateline_schema::{StoredReport, lines};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

use crate::highlight::{Match, Matcher};
use crate::passage::BodyOrigin;
use crate::{Attribution, Error, Index, Query, Result};

/// An indexed report in full: its attribution and every line of its body.
///
/// Lines are numbered and placed as passages are ([`crate::Passage`]), so a hit's passage
/// can be found among them by `line` or by `offset`.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// Which report it is and how to cite it. In JSON its fields stand beside `lines`.
    #[serde(flatten)]
    pub attribution: Attribution,
    /// The body, line by line. The header lines before it are not included: what they say
    /// is in the attribution.
    pub lines: Vec<Line>,
}

/// One line of a [`Report`]'s body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Line {
    /// 1-based line number in the file.
    pub line: u64,
    /// Byte offset of the line in the file.
    pub offset: u64,
    /// Bytes of the file the line covers, without its line break: `text.len()` unless the
    /// file is not UTF-8.
    pub length: u64,
    /// The line, without its line break.
    pub text: String,
    /// Byte ranges of `text` that match the query: sorted, disjoint; a phrase broken across
    /// lines is marked on both.
    pub highlights: Vec<Range<usize>>,
}

impl Index {
    /// The report named `name` (an [`crate::Attribution::name`]), with the words `query` matches
    /// marked when one is given (its filters, limit and paging are ignored).
    ///
    /// Only indexed reports are returned, from the index's stored text: a name that is not
    /// a plain relative path (`..`, an absolute path) or that names no indexed report is
    /// [`Error::NotIndexed`]. A malformed `query` is [`Error::Query`].
    pub fn report(&self, name: &str, query: Option<&Query>) -> Result<Report> {
        let searcher = self.reader.searcher();
        // A malformed query is reported whether or not the name is known.
        let (title_units, body_units) = match query {
            Some(query) => {
                let plan = self.plan(query, &searcher)?;
                (plan.title_units, plan.body_units)
            }
            None => Default::default(),
        };
        let (report, _) = self.stored_named(&searcher, name)?;
        let mut title_matcher = Matcher::new(self.parser.text_analyzer(), title_units);
        let attribution = self.attribution(&report, &mut title_matcher);
        let matches = Matcher::new(self.parser.text_analyzer(), body_units).find(&report.body);
        let lines = body_lines(&report.body, &BodyOrigin::of(&report), &matches);
        Ok(Report { attribution, lines })
    }

    /// The report named `name` (an [`crate::Attribution::name`]) and its stored document;
    /// found in the index only, never on disk.
    pub(crate) fn stored_named(
        &self,
        searcher: &Searcher,
        name: &str,
    ) -> Result<(StoredReport, TantivyDocument)> {
        let not_indexed = || not_indexed(Path::new(name), false);
        // A file that is one report, or one record of a file that holds many.
        let whole = self.paths_named(name).into_iter().map(|path| (path, None));
        let records = split_record(name).into_iter().flat_map(|(file, record)| {
            self.paths_named(file).into_iter().map(move |path| (path, Some(record)))
        });
        let doc = whole
            .chain(records)
            .find_map(|(path, record)| self.stored(searcher, path.to_str()?, record).transpose())
            .ok_or_else(not_indexed)??;
        let report = StoredReport::from_document(&doc, &self.fields);
        if report.record.is_some()
            && split_record(name).is_none_or(|(_, r)| report.record.as_deref() != Some(r))
        {
            return Err(Error::ManyReports { path: name.into(), example: self.name_of(&report) });
        }
        Ok((report, doc))
    }

    /// The stored document of the report at `path` as given by a user (relative or not,
    /// through links; `dump.jsonl:17` for a record), with the report it is;
    /// [`Error::NotIndexed`] if it is not indexed, [`Error::ManyReports`] for a file that
    /// holds many, named without a record.
    pub(crate) fn stored_at(
        &self,
        searcher: &Searcher,
        path: &Path,
    ) -> Result<(StoredReport, TantivyDocument)> {
        let not_indexed = || not_indexed(path, path.is_file());
        let given = path.to_str().ok_or_else(not_indexed)?;
        let (file, record) = match std::fs::canonicalize(path) {
            Ok(file) => (file, None),
            Err(_) => {
                let (file, record) = split_record(given).ok_or_else(not_indexed)?;
                (std::fs::canonicalize(file).map_err(|_| not_indexed())?, Some(record))
            }
        };
        let key = file.to_str().ok_or_else(not_indexed)?;
        let doc = self.stored(searcher, key, record)?.ok_or_else(not_indexed)?;
        let report = StoredReport::from_document(&doc, &self.fields);
        if record.is_none() && report.record.is_some() {
            let example = format!("{given}{}", report.record.as_deref().unwrap_or(""));
            return Err(Error::ManyReports { path: path.to_path_buf(), example });
        }
        Ok((report, doc))
    }

    /// The stored document of the report stored under `path` (and `record`, for a file that
    /// holds many), if it is indexed. Without `record`, any report of the file.
    pub(crate) fn stored(
        &self,
        searcher: &Searcher,
        path: &str,
        record: Option<&str>,
    ) -> Result<Option<TantivyDocument>> {
        let term = Term::from_field_text(self.fields.path, path);
        let mut query: Box<dyn tantivy::query::Query> =
            Box::new(TermQuery::new(term, IndexRecordOption::Basic));
        if let Some(record) = record {
            let record = Term::from_field_text(self.fields.record, record);
            query = Box::new(tantivy::query::BooleanQuery::intersection(vec![
                query,
                Box::new(TermQuery::new(record, IndexRecordOption::Basic)),
            ]));
        }
        let top = searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .map_err(|err| self.read_error(err))?;
        top.first().map(|&(_, address)| self.doc(searcher, address)).transpose()
    }
}

/// Why `path` is not in the index: [`Error::NotRead`] for a file of a kind not read (by
/// its extension; one without an extension only when `is_file`), else [`Error::NotIndexed`].
fn not_indexed(path: &Path, is_file: bool) -> Error {
    let record = path.to_str().and_then(split_record).map(|(file, _)| Path::new(file));
    let file = record.unwrap_or(path);
    let kind = match file.extension() {
        _ if dateline_schema::formats::is_read(file) => None,
        Some(ext) => Some(format!(".{}", ext.to_string_lossy().to_lowercase())),
        None => is_file.then(|| "extension-less".to_string()),
    };
    match kind {
        Some(kind) => Error::NotRead { path: path.to_path_buf(), kind },
        None => Error::NotIndexed { path: path.to_path_buf() },
    }
}

/// `dump.jsonl:17` → (`dump.jsonl`, `:17`); `dump.json#3` → (`dump.json`, `#3`); `None`
/// for a name without a record's place at its end.
pub(crate) fn split_record(name: &str) -> Option<(&str, &str)> {
    let at = name.rfind([':', '#'])?;
    let digits = &name[at + 1..];
    let plain = at > 0 && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    plain.then(|| name.split_at(at))
}

/// Splits `body` into numbered, placed lines, giving each the parts of `matches` on it.
fn body_lines(body: &str, origin: &BodyOrigin, matches: &[Match]) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut first_match = 0;
    let line_starts = lines::starts(body);
    for with_break in lines::split_inclusive(body) {
        let text = lines::trim_break(with_break);
        let span = start..start + text.len();
        start += with_break.len();
        // Matches are sorted by start; skip those that ended before this line.
        while first_match < matches.len() && matches[first_match].range.end <= span.start {
            first_match += 1;
        }
        let mut highlights: Vec<Range<usize>> = Vec::new();
        for found in matches[first_match..].iter().take_while(|m| m.range.start < span.end) {
            let clipped = found.range.start.max(span.start)..found.range.end.min(span.end);
            if clipped.is_empty() {
                continue;
            }
            let local = clipped.start - span.start..clipped.end - span.start;
            match highlights.last_mut() {
                Some(last) if local.start <= last.end => last.end = last.end.max(local.end),
                _ => highlights.push(local),
            }
        }
        let offset = origin.offsets.file_offset(span.start as u64);
        out.push(Line {
            line: origin.line_at(&line_starts, span.start),
            offset,
            length: origin.offsets.file_offset(span.end as u64) - offset,
            text: text.to_string(),
            highlights,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use dateline_schema::OffsetMap;

    use super::*;

    fn matched(range: Range<usize>) -> Match {
        Match { range, unit: 0 }
    }

    #[test]
    fn lines_are_numbered_placed_and_marked_across_breaks() {
        let body = "Precursor\r\nchemicals flow.\nLast";
        let origin =
            BodyOrigin { offsets: OffsetMap::identity(100), line: 7, lines: Default::default() };
        // "Precursor\r\nchemicals" as one phrase match, and "Last".
        let lines = body_lines(body, &origin, &[matched(0..20), matched(27..31)]);
        let summary: Vec<_> =
            lines.iter().map(|l| (l.line, l.offset, l.length, l.text.as_str())).collect();
        assert_eq!(
            summary,
            [(7, 100, 9, "Precursor"), (8, 111, 15, "chemicals flow."), (9, 127, 4, "Last")]
        );
        let marked: Vec<Vec<&str>> = lines
            .iter()
            .map(|l| l.highlights.iter().map(|r| &l.text[r.clone()]).collect())
            .collect();
        assert_eq!(marked, [vec!["Precursor"], vec!["chemicals"], vec!["Last"]]);
    }

    #[test]
    fn decoded_lines_report_their_file_span() {
        // "café" from a Windows-1252 file: é is 2 bytes of text, 1 byte of file.
        let mut offsets = OffsetMap::identity(0);
        offsets.push(5, 4);
        let origin = BodyOrigin { offsets, line: 1, lines: Default::default() };
        let lines = body_lines("café\nbar", &origin, &[]);
        assert_eq!((lines[0].offset, lines[0].length), (0, 4));
        assert_eq!((lines[1].offset, lines[1].length), (5, 3));
    }
}
