//! Why a file was passed over. A skipped file does not stop a run: it is listed in the
//! [`crate::Summary`] and, if it was indexed before, its report is removed.

use std::path::PathBuf;

use serde::Serialize;

/// A file that was passed over, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why it was passed over.
    pub reason: Skip,
}

/// Why a file was passed over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Skip {
    /// The file holds a NUL byte, so it is not text.
    #[error("binary file (NUL byte at offset {offset})")]
    Binary {
        /// Offset of the first NUL byte.
        offset: u64,
    },
    /// The file is empty or holds only whitespace.
    #[error("empty file")]
    Empty,
    /// The file is larger than [`crate::Options::max_file_size`].
    #[error("file of {len} bytes is over the {limit}-byte limit")]
    TooLarge {
        /// Size of the file.
        len: u64,
        /// The limit.
        limit: u64,
    },
    /// A line of the file is longer than [`crate::Options::max_line_length`].
    #[error("line {line} is {len} bytes long, over the {limit}-byte limit for a line of text")]
    LineTooLong {
        /// 1-based number of the first such line.
        line: u64,
        /// Its length in bytes.
        len: u64,
        /// The limit.
        limit: u64,
    },
    /// A web page in which no article text was found: a section front, a redirect, a page
    /// of links, navigation and scripts only.
    #[error("web page with no article text (only navigation, links or scripts)")]
    NoArticleText,
    /// The file's name is not valid UTF-8.
    #[error("file name is not valid UTF-8")]
    NameNotUtf8,
    /// The file could not be read.
    #[error("unreadable: {reason}")]
    Unreadable {
        /// What the operating system said.
        reason: String,
    },
    /// A symlink that leads out of the folders being indexed (followed only with
    /// [`crate::Options::follow_outside`]).
    #[error("symlink to {}, outside the folders being indexed", .target.display())]
    OutsideFolders {
        /// Where it leads (canonical path).
        target: PathBuf,
    },
    /// Not a regular file (a FIFO, a device, a socket), or a file of a kernel file system
    /// (procfs, sysfs, …): never opened, or not read once opened.
    #[error("{what}; only regular files on ordinary file systems are read")]
    Special {
        /// What it is.
        what: String,
    },
    /// A file of many reports gave none: every record was left out.
    #[error("no report in it: {bad} record(s) left out, the first {first}")]
    NoReports {
        /// How many records were left out.
        bad: u64,
        /// The first, and why.
        first: String,
    },
    /// A CSV or TSV file none of whose columns holds a report's text.
    #[error("no text column among {columns} (looked for {looked_for})")]
    NoTextColumn {
        /// Its columns, comma-separated.
        columns: String,
        /// The names looked for, comma-separated.
        looked_for: String,
    },
    /// A compressed file that inflates past its limit: [`crate::Options::max_file_size`] for
    /// a file of one report, or 100 times its compressed size for a file of many (a zip bomb, or a file that needs a higher limit).
    #[error("decompresses to more than {limit} bytes (a zip bomb, or a file over the limit)")]
    Inflates {
        /// The limit, in decompressed bytes.
        limit: u64,
    },
    /// A compressed file whose stream is damaged or cut off.
    #[error("damaged compressed file: {reason}")]
    Corrupt {
        /// What the decoder said.
        reason: String,
    },
    /// An `.xml` file whose root is not an RSS or Atom feed: not read (counted with the
    /// files of kinds Dateline does not read, never listed as skipped).
    #[error("not an RSS or Atom feed")]
    NotAFeed,
    /// Reading the file gave no answer within [`crate::Options::read_timeout`].
    #[error("reading it gave no answer in {seconds} s")]
    Stalled {
        /// The timeout, in seconds.
        seconds: u64,
    },
}

impl Skip {
    /// A short name for the kind of reason, for counting: `binary`, `empty`, `too large`,
    /// `line too long`, `no article`, `bad name`, `unreadable`, `outside`, `special`, `stalled`,
    /// `no reports`, `no text column`, `inflates too far`, `damaged compressed`, `not a feed`.
    pub fn kind(&self) -> &'static str {
        match self {
            Skip::Binary { .. } => "binary",
            Skip::Empty => "empty",
            Skip::TooLarge { .. } => "too large",
            Skip::LineTooLong { .. } => "line too long",
            Skip::NoArticleText => "no article",
            Skip::NameNotUtf8 => "bad name",
            Skip::Unreadable { .. } => "unreadable",
            Skip::OutsideFolders { .. } => "outside",
            Skip::Special { .. } => "special",
            Skip::Stalled { .. } => "stalled",
            Skip::NoReports { .. } => "no reports",
            Skip::NoTextColumn { .. } => "no text column",
            Skip::Inflates { .. } => "inflates too far",
            Skip::Corrupt { .. } => "damaged compressed",
            Skip::NotAFeed => "not a feed",
        }
    }
}
