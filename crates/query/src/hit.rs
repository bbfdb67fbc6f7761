use std::ops::Range;
use std::path::PathBuf;

use dateline_schema::StoredReport;
use jiff::civil::Date;
use serde::Serialize;

/// The answer to a search: the ranked hits of one page, and how many reports matched.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Results {
    /// Number of reports that matched, across all pages: [`Results::matched_every_word`],
    /// and, once the page reaches past them, the reports matching most of the words.
    pub total: usize,
    /// Whether [`Results::total`] (and [`Results::matched_every_word`], [`Results::undated`])
    /// counted every match; false when counting stopped at [`crate::Query::count_up_to`]
    /// (by default [`crate::COUNT_EXACTLY_UP_TO`]), and the figures are lower bounds.
    pub total_is_exact: bool,
    /// Number of reports that match the whole query (the first tier).
    ///
    /// A query of several words or phrases at its top level (`Flynn resigns national
    /// security adviser`; not `a OR b`, not a single word) tiers unless it is
    /// [`crate::Query::strict`]: after the reports that match every word come those that
    /// match at least half of them, most words first, then by score. The second tier is
    /// searched only when the first does not fill the page, so until a page reaches the end
    /// of the first tier, `total` equals this number. For any other query every hit
    /// matches the whole query and this equals `total`.
    pub matched_every_word: usize,
    /// Number of reports of the first tier without a date. In [`crate::Sort::Newest`] and
    /// [`crate::Sort::Oldest`] order they come after the dated ones.
    pub undated: usize,
    /// The hits of the requested page, in the query's order.
    pub hits: Vec<Hit>,
    /// When no report matched every word: the query text with its unknown words replaced by near words
    /// of the index ("did you mean …"), at most [`crate::MAX_SUGGESTIONS`], each known to
    /// match something. Left out of JSON when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
}

/// One matching report, with what a reader needs to judge and cite it.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Hit {
    /// 1-based position in the ranking (counting from the first page).
    pub rank: usize,
    /// BM25 relevance; only meaningful relative to other hits of the same search and tier.
    pub score: f32,
    /// Whether the report matches the whole query (the first tier), rather than most of
    /// its words (see [`Results::matched_every_word`]).
    pub matches_every_word: bool,
    /// Which report it is and how to cite it. In JSON its fields stand beside `rank`.
    #[serde(flatten)]
    pub attribution: Attribution,
    /// The passages that best show why the report matched, best first.
    pub passages: Vec<Passage>,
    /// The other reports carrying the same text (reprints, the same article saved twice).
    pub copies: crate::Copies,
    /// The story the report belongs to (reports about the same event).
    pub story: crate::Story,
}

/// Which report a [`Hit`] or a [`crate::Report`] is, and what a reader needs to cite it.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Attribution {
    /// The report file (absolute path).
    pub path: PathBuf,
    /// The report's name in the index: the indexed folder's name, then the report's path
    /// within it, with `/` between components, e.g. `index-data/003_63e613daaea22d0e.txt`.
    /// When two indexed folders share a name, enough of their parents are added to tell them
    /// apart (`a/news/…`, `b/news/…`). It is what [`crate::Index::report`] takes.
    pub name: String,
    /// The report's headline or, when it has none, its shortened lead sentence.
    pub title: String,
    /// Whether [`Attribution::title`] was derived from the lead rather than given by the
    /// report.
    pub title_derived: bool,
    /// Byte ranges of [`Attribution::title`] that match the query, sorted and disjoint.
    pub title_highlights: Vec<Range<usize>>,
    /// Publication date, when the report states one. JSON: `"2024-01-31"`.
    pub date: Option<Date>,
    /// Whether [`Attribution::date`] is the day a web crawler fetched the page (a WARC
    /// record's `WARC-Date`), the page stating no date of its own: show it as such
    /// ("crawled 2024-01-30"). In JSON only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub date_crawled: bool,
    /// The moment of publication, when the report states a time of day with its date (a
    /// time without a zone is read as UTC). JSON: RFC 3339 in UTC, `"1987-02-26T15:01:00Z"`,
    /// or `null` when only a day is known.
    pub published_at: Option<jiff::Timestamp>,
    /// The outlet, when the report names it.
    pub publisher: Option<String>,
    /// The place of the report's dateline, e.g. `"WASHINGTON"`.
    pub dateline: Option<String>,
    /// Byline, when the report has one.
    pub author: Option<String>,
    /// URL, when the report's header gives one.
    pub url: Option<String>,
    /// The report's language, an ISO 639-1 code (`de`), declared or detected; `None` when
    /// undetermined.
    pub language: Option<String>,
}

impl Attribution {
    /// The attribution of `report`, named `name`, with `title_highlights` on its title.
    pub(crate) fn of(
        report: &StoredReport,
        name: String,
        title_highlights: Vec<Range<usize>>,
    ) -> Attribution {
        Attribution {
            path: PathBuf::from(&report.path),
            name,
            title: report.title.text().to_string(),
            title_derived: !report.title.is_headline(),
            title_highlights,
            date: report.date,
            date_crawled: report.date_crawled,
            published_at: report.published_at,
            publisher: report.publisher.clone(),
            dateline: report.dateline.clone(),
            author: report.author.clone(),
            url: report.url.clone(),
            language: report.language.clone(),
        }
    }
}

/// A sentence (or, for a very long sentence, a part of one) of a report, with the query's
/// matches marked.
///
/// `file_bytes[offset .. offset + length]` is the passage in the file; for a UTF-8 file it
/// equals `text`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Passage {
    /// 1-based number of the line on which the passage starts.
    pub line: u64,
    /// 1-based number of the line of the passage's first match (its start line when nothing
    /// in it matched): where `path:line` should take a reader, for a sentence wrapped over
    /// several lines.
    pub match_line: u64,
    /// Byte offset of the passage in the file.
    pub offset: u64,
    /// Bytes of the file the passage covers: `text.len()` unless the file is not UTF-8 (its
    /// text was decoded, and `text` is the decoded form).
    pub length: u64,
    /// The passage, verbatim.
    pub text: String,
    /// Byte ranges of [`Passage::text`] to highlight: sorted, disjoint, on character
    /// boundaries. A phrase is one range.
    pub highlights: Vec<Range<usize>>,
}
