//! Search a Dateline index of news reports: ranked hits, highlighted passages, and where
//! each came from (file, line, headline, date, publisher).
//!
//! The principal type is [`Index`]. A search takes a [`Query`] and returns [`Results`],
//! plain data that serializes with serde (the `dateline search --json` format is exactly
//! this). Indexes are written by the `dateline-indexer` crate or the `dateline index` command.
//!
//! # Example
//!
//! ```
//! # let corpus = tempfile::tempdir()?;
//! # std::fs::write(corpus.path().join("talks.txt"),
//! #     "Talks resume\nDate: 2024-01-31\nSource: The Rio Times\n\n\
//! #      The U.S. raised concerns about precursor chemicals. Talks went on.\n")?;
//! # std::fs::write(corpus.path().join("other.txt"), "Grain prices\n\nWheat rose.\n")?;
//! # let index_dir = tempfile::tempdir()?;
//! # let mut indexer = dateline_indexer::Indexer::open_or_create(index_dir.path(), Default::default())?;
//! # indexer.update(&[corpus.path().to_path_buf()], |_| {})?;
//! # drop(indexer);
//! use dateline_query::{Index, Query};
//!
//! let index = Index::open(index_dir.path())?;
//! // A quoted phrase; stemming lets "chemical" match "chemicals".
//! let results = index.search(&Query::new("\"precursor chemical\"").limit(5))?;
//!
//! assert_eq!(results.total, 1);
//! let hit = &results.hits[0];
//! assert_eq!(hit.attribution.title, "Talks resume");
//! assert_eq!(hit.attribution.publisher.as_deref(), Some("The Rio Times"));
//! assert_eq!(hit.attribution.date.map(|d| d.to_string()).as_deref(), Some("2024-01-31"));
//!
//! let passage = &hit.passages[0];
//! assert_eq!(passage.line, 5);
//! assert_eq!(passage.text, "The U.S. raised concerns about precursor chemicals.");
//! let marked: Vec<&str> = passage.highlights.iter().map(|r| &passage.text[r.clone()]).collect();
//! assert_eq!(marked, ["precursor chemicals"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Query language
//!
//! | you write | it finds |
//! |---|---|
//! | `precursor chemicals` | reports with every word (stemmed: "chemical" finds "chemicals"); those where the words stand together rank higher. Then reports with at least half of the words, unless [`Query::strict`] (see [`Results::matched_every_word`]) |
//! | `fentanyl OR opioid` | reports with either word |
//! | `"precursor chemicals"` | the exact phrase (stemmed) |
//! | `fentanyl -Mexico` | reports with "fentanyl" and without "Mexico" |
//! | `title:talks` | "talks" in the headline; also `body:`, `publisher:`, `dateline:`, `author:` |
//! | `date:2024-01-31`, `date:[2024-01-01 TO 2024-01-31]` | reports dated that day, or in that range (both ends included; `*` for open) |
//! | `fent*` | words starting with "fent" as written ("Afghan*" finds "Afghanistan"), at most [`MAX_PREFIX_WORDS`] different ones |
//! | `*` | every report, newest first |
//! | `(a OR b) c`, `talks^2` | grouping; boosting a word |
//!
//! A text query that matches nothing because of a word no report holds (`fentanil`) gets
//! [`Results::suggestions`]: the query with that word replaced by a near word of the index
//! (`fentanyl`), each known to match.
//!
//! Filters that do not affect ranking are set on the [`Query`]: [`Query::since`],
//! [`Query::until`], [`Query::publisher`] (several: any of them); [`Query::sort`] orders by
//! date instead of relevance. How hits are ranked is a [`Ranking`], set with
//! [`Query::ranked_by`]. A malformed query is an [`Error::Query`] whose message names what
//! is wrong. [`Index::export`] yields every hit of a query, not one page, and
//! [`ExportWriter`] writes them as CSV or JSON Lines. [`Index::trace`] lists the reports
//! carrying a [`Claim`] (a sentence, verbatim or lightly edited) in time order, the first
//! named, with how many independent sources carry it.
//!
//! # Offsets
//!
//! Every [`Passage`] carries its byte `offset` and 1-based `line` in the report file, and
//! for a UTF-8 file `file_bytes[offset .. offset + text.len()] == text`, whatever the
//! line endings or characters. Highlight ranges are byte ranges into the passage text.
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]
#![doc(test(attr(deny(warnings))))]

mod align;
mod budget;
mod columns;
mod copies;
mod directory;
mod distinct;
mod error;
mod export;
mod facets;
mod highlight;
mod hit;
mod index;
mod parse;
mod passage;
mod phrases;
mod plan;
mod prefix;
mod query;
mod rank;
mod ranking;
mod remembered;
mod report;
mod search;
mod searched;
mod similar;
mod skipping;
mod stop_words;
mod stories;
mod story;
mod suggest;
mod term_counts;
mod tiers;
mod ties;
mod trace;

pub use budget::Cancel;
pub use copies::{Copies, CopyOf, MAX_ALSO_RAN_IN, MAX_COLLAPSE_DEPTH};
pub use error::{Error, Result};
pub use export::{Export, ExportFormat, ExportWriter};
pub use facets::{
    Bucket, Facets, Interval, LanguageCount, MAX_BUCKETS, MAX_PUBLISHERS, PublisherCount, Timeline,
};
pub use highlight::MAX_MATCHES;
pub use hit::{Attribution, Hit, Passage, Results};
pub use index::{Index, Status};
pub use parse::{MAX_PHRASE_WORDS, MAX_SLOP, SCOPABLE_FIELDS};
pub use prefix::MAX_PREFIX_WORDS;
pub use query::{COUNT_EXACTLY_UP_TO, DEFAULT_TIME_BUDGET, Distinct, Filters, Query, Sort, Source};
pub use ranking::{HEADLINE_BOOST, PUBLISHER_BOOST, Ranking};
pub use report::{Line, Report};
pub use stories::{Day, MAX_STORIES, Stories, StoryDigest, StoryReport};
pub use story::{Story, story_id};
pub use suggest::MAX_SUGGESTIONS;
pub use trace::{
    Carrier, Claim, Corroboration, MAX_CANDIDATES, MAX_CLAIM_WORDS, MIN_CLAIM_WORDS, MIN_COVERAGE,
    Trace,
};

/// The first and last days a report's date, and a date in a query, can be: what tantivy's
/// date field holds. Dates outside are refused, never stored or searched as another day.
pub use dateline_schema::date::{FIRST as FIRST_DATE, LAST as LAST_DATE};
/// Calendar dates, as used by [`Query::since`] and [`Attribution::date`].
pub use jiff::civil::Date;
