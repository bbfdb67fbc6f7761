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
        let not_indexed = || Error::NotIndexed { path: name.into() };
        let doc = self
            .paths_named(name)
            .into_iter()
            .find_map(|path| self.stored(&searcher, path.to_str()?).transpose())
            .ok_or_else(not_indexed)??;

        let mut title_matcher = Matcher::new(self.parser.text_analyzer(), title_units);
        let report = StoredReport::from_document(&doc, &self.fields);
        let attribution = self.attribution(&report, &mut title_matcher);
        let matches = Matcher::new(self.parser.text_analyzer(), body_units).find(&report.body);
        let lines = body_lines(&report.body, &BodyOrigin::of(&report), &matches);
        Ok(Report { attribution, lines })
    }

    /// The stored document of the report at `path` as given by a user (relative or not,
    /// through links), with the key it is stored under; [`Error::NotIndexed`] if it is not.
    pub(crate) fn stored_at(
        &self,
        searcher: &Searcher,
        path: &Path,
    ) -> Result<(String, TantivyDocument)> {
        let not_indexed = || Error::NotIndexed { path: path.to_path_buf() };
        let key = std::fs::canonicalize(path).map_err(|_| not_indexed())?;
        let key = key.to_str().ok_or_else(not_indexed)?.to_string();
        let doc = self.stored(searcher, &key)?.ok_or_else(not_indexed)?;
        Ok((key, doc))
    }

    /// The stored document of the report stored under `path`, if it is indexed.
    pub(crate) fn stored(
        &self,
        searcher: &Searcher,
        path: &str,
    ) -> Result<Option<TantivyDocument>> {
        let term = Term::from_field_text(self.fields.path, path);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let top = searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .map_err(|err| self.read_error(err))?;
        top.first().map(|&(_, address)| self.doc(searcher, address)).transpose()
    }
}

/// Splits `body` into numbered, placed lines, giving each the parts of `matches` on it.
fn body_lines(body: &str, origin: &BodyOrigin, matches: &[Match]) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut first_match = 0;
    for (i, with_break) in lines::split_inclusive(body).enumerate() {
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
            line: origin.line + i as u64,
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
        let origin = BodyOrigin { offsets: OffsetMap::identity(100), line: 7 };
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
        let origin = BodyOrigin { offsets, line: 1 };
        let lines = body_lines("café\nbar", &origin, &[]);
        assert_eq!((lines[0].offset, lines[0].length), (0, 4));
        assert_eq!((lines[1].offset, lines[1].length), (5, 3));
    }
}
