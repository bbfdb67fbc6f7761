use std::path::PathBuf;

/// Result of this crate's operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong opening or searching an index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// There is no index in the folder.
    #[error("no index at {}", .path.display())]
    NotFound {
        /// The folder.
        path: PathBuf,
    },
    /// The folder holds an index this build cannot read.
    #[error(transparent)]
    Format(#[from] dateline_schema::FormatError),
    /// The index exists but cannot be opened or read.
    #[error("cannot read the index at {}: {source}", .path.display())]
    Read {
        /// The index folder.
        path: PathBuf,
        /// What went wrong: a `std::io::Error` or a `tantivy::TantivyError`.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The operating system refused to let the index be read (permissions). The index
    /// itself may be fine: rebuilding it is not the remedy.
    #[error("cannot read the index at {}: access denied ({source})", .path.display())]
    Denied {
        /// The index folder.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A report given to [`crate::Query::similar_to`] is not in the index.
    #[error("{} is not in the index; index its folder first", .path.display())]
    NotIndexed {
        /// The report as given.
        path: PathBuf,
    },
    /// A file of a kind Dateline does not read was named as a report.
    #[error("{} is not in the index: Dateline does not read {kind} files (it reads {})", .path.display(), dateline_schema::formats::READ_EXTENSIONS.map(|e| format!(".{e}")).join(" "))]
    NotRead {
        /// The file as given.
        path: PathBuf,
        /// Its kind: `.pdf`, or `files without an extension`.
        kind: String,
    },
    /// A file that holds many reports (a JSON Lines, JSON or CSV file) was named where one
    /// report is wanted.
    #[error("{} holds many reports; name one, e.g. {example}", .path.display())]
    ManyReports {
        /// The file as given.
        path: PathBuf,
        /// The name of one of its reports.
        example: String,
    },
    /// The query text is malformed.
    #[error("invalid query `{}`: {reason}", shorten(.query))]
    Query {
        /// The query as given.
        query: String,
        /// What is wrong with it, and how to write it instead.
        reason: String,
    },
    /// A filter of the query (its date range) cannot be applied; the query text is fine.
    #[error("invalid filter: {reason}")]
    Filter {
        /// What is wrong with it, and how to write it instead.
        reason: String,
    },
    /// A claim given to [`crate::Index::trace`] cannot be traced (too few or too many words).
    #[error("cannot trace `{}`: {reason}", shorten(.claim))]
    Claim {
        /// The claim as given.
        claim: String,
        /// What is wrong with it, and what to do instead.
        reason: String,
    },
    /// The search ran past its [`crate::Query::time_budget`].
    #[error(
        "the search ran past its time budget of {} s; narrow the query (fewer words in sloppy \"phrases\"~N, longer prefixes before *)",
        .budget.as_secs_f64()
    )]
    TimedOut {
        /// The budget it was given.
        budget: std::time::Duration,
    },
    /// The search was stopped through its [`crate::Cancel`] switch.
    #[error("the search was cancelled")]
    Cancelled,
}

/// The start of a query a user gave, so that a huge one does not make a huge message.
fn shorten(query: &str) -> String {
    const MAX_CHARS: usize = 80;
    match query.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &query[..cut]),
        None => query.to_string(),
    }
}
