//! Every hit of a query, one at a time, and written as CSV or JSON Lines.
//!
//! [`Index::export`] ranks every matching report first, holding only document addresses
//! and scores, then reads each report as the caller takes its hit: memory stays flat
//! however many reports match.

use std::io::Write;
use std::sync::Arc;

use serde::Serialize;
use tantivy::{DocAddress, Score, Searcher};

use crate::budget::Budget;
use crate::highlight::Highlighter;
use crate::{Hit, Index, Query, Result};

/// Every hit of a query, in its order, each with its best passage; from [`Index::export`].
pub struct Export<'i> {
    index: &'i Index,
    searcher: Searcher,
    budget: Arc<Budget>,
    ranked: std::iter::Enumerate<std::vec::IntoIter<(Score, DocAddress, bool)>>,
    highlighter: Highlighter,
    total: usize,
    matched_every_word: usize,
    undated: usize,
}

impl Index {
    /// Every hit of `query`, in its order (its limit and offset are ignored), each with its
    /// best passage, for writing out with [`ExportWriter`]. The ranking runs under the
    /// query's time budget; reading the reports afterwards stops only when the query is
    /// cancelled.
    pub fn export(&self, query: &Query) -> Result<Export<'_>> {
        let searcher = self.reader.searcher();
        let budget = Budget::new(query.time_budget, query.cancel.clone());
        let plan = self.plan(query, &searcher)?;
        let every = searcher.num_docs() as usize;
        let ranked = self.ranked(query, &searcher, &budget, &plan, every, every)?;
        // The budget was for ranking; the rest goes at the reader's pace.
        let budget = Budget::new(std::time::Duration::MAX, query.cancel.clone());
        Ok(Export {
            index: self,
            highlighter: Highlighter::new(plan.title_units, plan.body_units),
            searcher,
            budget,
            total: ranked.total,
            matched_every_word: ranked.matched_every_word,
            undated: ranked.undated,
            ranked: ranked.hits.into_iter().enumerate(),
        })
    }
}

impl Export<'_> {
    /// Number of hits, as in [`crate::Results::total`] (both tiers, in full).
    pub fn total(&self) -> usize {
        self.total
    }

    /// Number of hits matching the whole query, as in
    /// [`crate::Results::matched_every_word`].
    pub fn matched_every_word(&self) -> usize {
        self.matched_every_word
    }

    /// Number of hits of the first tier without a date, as in [`crate::Results::undated`].
    pub fn undated(&self) -> usize {
        self.undated
    }
}

impl Iterator for Export<'_> {
    type Item = Result<Hit>;

    fn next(&mut self) -> Option<Result<Hit>> {
        let (i, (score, address, every_word)) = self.ranked.next()?;
        let hit = self.budget.check().and_then(|()| {
            let mut hit =
                self.index.hit(&self.searcher, address, i + 1, score, &mut self.highlighter, 1)?;
            hit.matches_every_word = every_word;
            Ok(hit)
        });
        Some(hit)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ranked.size_hint()
    }
}

/// How [`ExportWriter`] writes hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma-separated values (RFC 4180) with a header line; a field with a comma, quote or
    /// line break is quoted.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl std::str::FromStr for ExportFormat {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<ExportFormat, String> {
        match text {
            "csv" => Ok(ExportFormat::Csv),
            "jsonl" => Ok(ExportFormat::Jsonl),
            other => Err(format!("unknown export format `{other}`; use csv or jsonl")),
        }
    }
}

/// The CSV header: [`Row`]'s fields, in order.
const COLUMNS: [&str; 9] =
    ["rank", "title", "publisher", "date", "url", "name", "line", "passage", "matches_every_word"];

/// One exported hit: the columns of the CSV, the fields of a JSON line.
#[derive(Serialize)]
struct Row<'h> {
    rank: usize,
    title: &'h str,
    publisher: Option<&'h str>,
    date: Option<String>,
    url: Option<&'h str>,
    name: &'h str,
    line: Option<u64>,
    passage: Option<&'h str>,
    matches_every_word: bool,
}

impl<'h> Row<'h> {
    fn of(hit: &'h Hit) -> Row<'h> {
        let passage = hit.passages.first();
        let attribution = &hit.attribution;
        Row {
            rank: hit.rank,
            title: &attribution.title,
            publisher: attribution.publisher.as_deref(),
            date: attribution.date.map(|day| day.to_string()),
            url: attribution.url.as_deref(),
            name: &attribution.name,
            line: passage.map(|p| p.match_line),
            passage: passage.map(|p| p.text.as_str()),
            matches_every_word: hit.matches_every_word,
        }
    }
}

/// Writes hits one by one as CSV or JSON Lines: rank, title, publisher, date, url, name
/// (the report's name, `path` or `path:record`), line (of the best passage's first match),
/// passage (the best one) and matches_every_word. A missing value is an empty CSV field
/// or JSON `null`.
pub struct ExportWriter<W: Write> {
    out: Output<W>,
}

enum Output<W: Write> {
    // Boxed: the CSV writer carries its buffers inline.
    Csv(Box<csv::Writer<W>>),
    Jsonl(W),
}

impl<W: Write> ExportWriter<W> {
    /// A writer of `format` to `out`; for CSV, it writes the header line, so an export of
    /// no hits still names its columns.
    pub fn new(format: ExportFormat, out: W) -> std::io::Result<ExportWriter<W>> {
        let out = match format {
            ExportFormat::Csv => {
                let mut csv = csv::WriterBuilder::new().has_headers(false).from_writer(out);
                csv.write_record(COLUMNS).map_err(io_error)?;
                Output::Csv(Box::new(csv))
            }
            ExportFormat::Jsonl => Output::Jsonl(out),
        };
        Ok(ExportWriter { out })
    }

    /// Writes `hit`.
    pub fn write(&mut self, hit: &Hit) -> std::io::Result<()> {
        let row = Row::of(hit);
        match &mut self.out {
            Output::Csv(out) => out.serialize(row).map_err(io_error),
            Output::Jsonl(out) => {
                serde_json::to_writer(&mut *out, &row)?;
                out.write_all(b"\n")
            }
        }
    }

    /// Flushes what is buffered to the underlying writer.
    pub fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.out {
            Output::Csv(out) => out.flush(),
            Output::Jsonl(out) => out.flush(),
        }
    }
}

/// The I/O error a CSV error is, so that a closed pipe stays one.
fn io_error(err: csv::Error) -> std::io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}
