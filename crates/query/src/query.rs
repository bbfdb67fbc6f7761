use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::civil::Date;

use crate::{Cancel, Ranking};

/// How long a search may run before it stops with [`crate::Error::TimedOut`], unless
/// [`Query::time_budget`] says otherwise.
pub const DEFAULT_TIME_BUDGET: Duration = Duration::from_secs(10);

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
}

/// What narrows a [`Query`] without changing its ranking: dates and publisher. The CLI's
/// flags and the HTTP API's parameters both become one of these.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Filters {
    /// Keeps reports dated on or after this day. Reports without a date are left out.
    pub since: Option<Date>,
    /// Keeps reports dated on or before this day. Reports without a date are left out.
    pub until: Option<Date>,
    /// Keeps reports whose publisher's name contains these words, in order, ignoring case.
    pub publisher: Option<String>,
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
    /// `"Rio Times"` keeps reports by "The Rio Times".
    pub fn publisher(mut self, name: impl Into<String>) -> Query {
        self.filters.publisher = Some(name.into());
        self
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
