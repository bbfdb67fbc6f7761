use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::civil::Date;

use serde::{Deserialize, Serialize};

use crate::{Cancel, Ranking};

/// How long a search may run before it stops with [`crate::Error::TimedOut`], unless
/// [`Query::time_budget`] says otherwise.
pub const DEFAULT_TIME_BUDGET: Duration = Duration::from_secs(10);

/// How many matching reports a search counts exactly, unless [`Query::count_all`] or
/// [`Query::count_up_to`] says otherwise (as Elasticsearch's `track_total_hits`). Beyond
/// it, [`crate::Results::total_is_exact`] is false and the total says "at least": counting
/// every match of a common word visits every report holding it, where ranking alone lets
/// tantivy skip the ones that cannot reach the page.
pub const COUNT_EXACTLY_UP_TO: usize = 10_000;

/// A search request: the query text, filters, and how many hits and passages to return.
///
/// ```
/// use dateline_query::{Query, Source};
///
/// let query = Query::new("fentanyl talks")
///     .since("2024-01-01".parse()?)
///     .publisher("Rio Times")
///     .limit(5)
///     .passages(1);
/// assert_eq!(query.source(), &Source::Text("fentanyl talks".into()));
/// # Ok::<(), jiff::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Query {
    pub(crate) source: Source,
    pub(crate) filters: Filters,
    pub(crate) ranking: Ranking,
    pub(crate) limit: usize,
    pub(crate) offset: usize,
    pub(crate) passages: usize,
    pub(crate) time_budget: Duration,
    pub(crate) cancel: Option<Cancel>,
    pub(crate) sort: Option<Sort>,
    pub(crate) strict: bool,
    pub(crate) all_copies: bool,
    pub(crate) count_up_to: usize,
    pub(crate) distinct: Option<Distinct>,
}

/// The order of a search's hits.
///
/// Reports without a date come after every dated one in [`Sort::Newest`] and
/// [`Sort::Oldest`]; [`crate::Results::undated`] says how many there are. Equal keys are
/// ordered by relevance, then by path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (BM25).
    Relevance,
    /// Latest date first.
    Newest,
    /// Earliest date first.
    Oldest,
}

impl std::str::FromStr for Sort {
    type Err = String;

    fn from_str(text: &str) -> Result<Sort, String> {
        match text {
            "relevance" => Ok(Sort::Relevance),
            "newest" => Ok(Sort::Newest),
            "oldest" => Ok(Sort::Oldest),
            other => Err(format!("unknown order `{other}`; use relevance, newest or oldest")),
        }
    }
}

/// Which hits a [`Query`] shows only one of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Distinct {
    /// One report per story (reports about the same event).
    Story,
}

impl std::str::FromStr for Distinct {
    type Err = String;

    fn from_str(text: &str) -> Result<Distinct, String> {
        match text {
            "story" => Ok(Distinct::Story),
            other => Err(format!("unknown `{other}`; use story")),
        }
    }
}

/// What a [`Query`] looks for.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// Words in Dateline's query language (see the crate documentation). Empty text with
    /// [`Filters`] lists every report the filters keep.
    Text(String),
    /// The reports most like the indexed report at this path.
    SimilarTo(PathBuf),
    /// The reports most like the report of this name (an [`crate::Attribution::name`]).
    SimilarToNamed(String),
}

/// What narrows a [`Query`] without changing its ranking: dates and publishers. The CLI's
/// flags and the HTTP API's parameters both become one of these.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Filters {
    /// Keeps reports dated on or after this day. Reports without a date are left out.
    pub since: Option<Date>,
    /// Keeps reports dated on or before this day. Reports without a date are left out.
    pub until: Option<Date>,
    /// Keeps reports whose publisher's name contains the words of any one of these names,
    /// in order, ignoring case (several names: reports by any of them). Empty: every
    /// publisher, and reports that name none.
    pub publishers: Vec<String>,
    /// Only reports in one of these languages (ISO 639-1 codes, `de`); all when empty.
    pub languages: Vec<String>,
}

impl Filters {
    /// No filter: every report passes.
    pub fn new() -> Filters {
        Filters::default()
    }

    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

impl Query {
    /// A query for `text`, in Dateline's query language (see the crate documentation).
    /// By default it returns the 10 best hits with up to 2 passages each.
    pub fn new(text: impl Into<String>) -> Query {
        Query::from_source(Source::Text(text.into()))
    }

    fn from_source(source: Source) -> Query {
        Query {
            source,
            filters: Filters::default(),
            ranking: Ranking::default(),
            limit: 10,
            offset: 0,
            passages: 2,
            time_budget: DEFAULT_TIME_BUDGET,
            cancel: None,
            sort: None,
            strict: false,
            all_copies: false,
            count_up_to: COUNT_EXACTLY_UP_TO,
            distinct: None,
        }
    }

    /// A query for the reports most like the report at `path` (which must be indexed), best
    /// first, leaving that report out. Its words are weighed by how often the report uses
    /// them and how rare they are elsewhere; words most reports use do not count. Filters,
    /// limit, offset and passages apply as to any query.
    ///
    /// ```no_run
    /// # let index = dateline_query::Index::open("index-data/index")?;
    /// use dateline_query::Query;
    /// let like = index.search(&Query::similar_to("index-data/003_63e613daaea22d0e.txt").limit(3))?;
    /// for hit in &like.hits {
    ///     println!("{} {}", hit.attribution.path.display(), hit.attribution.title);
    /// }
    /// # Ok::<(), dateline_query::Error>(())
    /// ```
    pub fn similar_to(path: impl AsRef<Path>) -> Query {
        Query::from_source(Source::SimilarTo(path.as_ref().to_path_buf()))
    }

    /// [`Query::similar_to`] for the report named `name` (an [`crate::Attribution::name`],
    /// as [`crate::Index::report`] takes): the report is found in the index only, never on
    /// disk, so a server can take the name from a client.
    pub fn similar_to_named(name: impl Into<String>) -> Query {
        Query::from_source(Source::SimilarToNamed(name.into()))
    }

    /// Whether every copy of a text is a hit of its own. By default (`false`) a search shows
    /// one hit per copy group, its best-ranked report, the others listed in
    /// [`crate::Hit::copies`]; [`crate::Results::total`] still counts reports.
    pub fn all_copies(mut self, all: bool) -> Query {
        self.all_copies = all;
        self
    }

    /// Returns at most `n` hits.
    pub fn limit(mut self, n: usize) -> Query {
        self.limit = n;
        self
    }

    /// Skips the `n` best hits (for paging).
    pub fn offset(mut self, n: usize) -> Query {
        self.offset = n;
        self
    }

    /// Returns up to `n` passages per hit, best first.
    pub fn passages(mut self, n: usize) -> Query {
        self.passages = n;
        self
    }

    /// Keeps reports dated on or after `day`. Reports without a date are left out.
    pub fn since(mut self, day: Date) -> Query {
        self.filters.since = Some(day);
        self
    }

    /// Keeps reports dated on or before `day`. Reports without a date are left out.
    pub fn until(mut self, day: Date) -> Query {
        self.filters.until = Some(day);
        self
    }

    /// Keeps reports whose publisher's name contains these words, in order, ignoring case:
    /// `"Rio Times"` keeps reports by "The Rio Times". Called again, it adds a publisher:
    /// reports by either are kept.
    pub fn publisher(mut self, name: impl Into<String>) -> Query {
        self.filters.publishers.push(name.into());
        self
    }

    /// Only reports in `code` (ISO 639-1, `de`); calling it again allows another language.
    pub fn language(mut self, code: impl Into<String>) -> Query {
        self.filters.languages.push(code.into());
        self
    }

    /// Orders the hits by `sort`. Without it, a query of words ranks by relevance, and a
    /// query that is only `*` or only filters lists the newest first.
    pub fn sort(mut self, sort: Sort) -> Query {
        self.sort = Some(sort);
        self
    }

    /// Whether a report must match every word (`true`), or, by default, reports that match
    /// most of the words follow those that match all of them. See
    /// [`crate::Results::matched_every_word`] for which queries this applies to.
    pub fn strict(mut self, strict: bool) -> Query {
        self.strict = strict;
        self
    }

    /// Whether to count every matching report (`true`), or, by default, only up to
    /// [`COUNT_EXACTLY_UP_TO`].
    pub fn count_all(mut self, all: bool) -> Query {
        self.count_up_to = if all { usize::MAX } else { COUNT_EXACTLY_UP_TO };
        self
    }

    /// Counts matching reports exactly up to `n` (at least the hits asked for); past it,
    /// [`crate::Results::total`] is a lower bound. [`Query::count_all`] counts them all.
    pub fn count_up_to(mut self, n: usize) -> Query {
        self.count_up_to = n;
        self
    }

    /// Shows one hit per story ([`Distinct::Story`]): the best-ranked report of each, in
    /// the query's order; [`crate::Results::total`] still counts every report.
    pub fn distinct(mut self, distinct: Distinct) -> Query {
        self.distinct = Some(distinct);
        self
    }

    /// The order its hits come in: the one set with [`Query::sort`], or the default for its
    /// text.
    pub fn order(&self) -> Sort {
        match (&self.sort, &self.source) {
            (Some(sort), _) => *sort,
            (None, Source::Text(text)) if matches!(text.trim(), "" | "*") => Sort::Newest,
            (None, _) => Sort::Relevance,
        }
    }

    /// Replaces every filter with `filters`.
    pub fn filtered(mut self, filters: Filters) -> Query {
        self.filters = filters;
        self
    }

    /// Ranks a text query's hits by `ranking` instead of [`Ranking::default`].
    pub fn ranked_by(mut self, ranking: Ranking) -> Query {
        self.ranking = ranking;
        self
    }

    /// Stops the search with [`crate::Error::TimedOut`] once it has run this long
    /// (default [`DEFAULT_TIME_BUDGET`]). What a query may cost is also bounded before it
    /// runs (phrase length, slop, wildcard expansions); the budget catches the rest.
    pub fn time_budget(mut self, budget: Duration) -> Query {
        self.time_budget = budget;
        self
    }

    /// Stops the search with [`crate::Error::Cancelled`] once `cancel` is thrown.
    pub fn cancel_with(mut self, cancel: Cancel) -> Query {
        self.cancel = Some(cancel);
        self
    }

    /// What the query looks for.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Its filters.
    pub fn filters(&self) -> &Filters {
        &self.filters
    }

    /// How a text query ranks its hits.
    pub fn ranking(&self) -> Ranking {
        self.ranking
    }
}
