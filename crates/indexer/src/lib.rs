//! Build and update a Dateline index from folders of news reports.
//!
//! The principal type is [`Indexer`]. [`Indexer::update`] makes the index mirror a set of
//! folders: it reads only files that are new or whose size or modification time changed
//! (confirming a change by content hash), and removes reports whose files are gone. A run that
//! finds nothing new walks the folders and writes nothing.
//!
//! Guarantees:
//! - **Crash safety.** Documents and the [`dateline_schema::IndexManifest`] (which folders the index mirrors)
//!   are committed together, atomically. A run that is killed leaves the previous commit
//!   intact and searchable; the next run picks up where it stands.
//! - **One writer.** A second `Indexer` on the same folder fails at once with
//!   [`Error::Locked`]; readers are never blocked.
//! - **Bad files do not stop a run.** Each is reported as a [`Skipped`] entry and the rest
//!   of the corpus is indexed; a file indexed with a caveat (decoded from another encoding,
//!   a date the index cannot hold) is reported as [`Warned`].
//!
//! ```no_run
//! use dateline_indexer::{Indexer, Options};
//!
//! let mut indexer = Indexer::open_or_create("index-data/index", Options::default())?;
//! let summary = indexer.update(&["index-data".into()], |_event| {})?;
//! println!("{} added, {} unchanged", summary.added, summary.unchanged);
//! # Ok::<(), dateline_indexer::Error>(())
//! ```
//!
//! An update is a pipeline, one module a step:
//!
//! 1. `walk` and `scan`: the report files under the folders, `stat`ed, and what the index
//!    holds of each ([`dateline_schema::FileStamp`]), read side by side.
//! 2. `plan`: the diff of the two, by size and modification time (pure, no I/O).
//! 3. `ingest`: each file to read becomes reports. `read` opens and reads it safely
//!    (regular files only, bounded, with a timeout), `decode` makes text of its bytes, and
//!    [`extract`] finds headline, date, publisher and body; a file either yields its reports
//!    or a [`Skip`] reason.
//! 4. `apply`: their documents replace the old ones ([`dateline_schema::StoredReport`]),
//!    and the reports whose files are gone are deleted.
//! 5. [`Indexer::update`] commits, with the [`dateline_schema::IndexManifest`].
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

mod ahead;
mod apply;
mod compress;
mod decode;
mod error;
mod extract;
mod folder;
mod group;
mod html;
mod indexed;
mod indexer;
mod ingest;
mod language;
mod markup;
mod moment;
mod options;
mod plan;
mod progress;
mod read;
mod records;
mod scan;
mod skip;
mod stream;
mod unmapped;
mod walk;
mod warning;

pub use dateline_schema::{FORMAT_VERSION, Title};
pub use error::{CorpusError, Error, Result};
pub use extract::{ExtractedReport, extract};
pub use indexer::Indexer;
pub use language::detect as detect_language;
pub use options::Options;
pub use progress::{Event, Summary};
pub use records::{FieldNames, Role};
pub use skip::{Skip, Skipped};
pub use walk::{REPORT_EXTENSIONS, is_report};
pub use warning::{Warned, Warning};

#[cfg(test)]
mod tests;
