//! Failures that stop an indexing run. A file that cannot be indexed does not stop a run:
//! that is a [`crate::Skip`].

use std::path::{Path, PathBuf};

use dateline_schema::FormatError;
use tantivy::TantivyError;

/// Result of this crate's operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A failure that stops an indexing run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Another process is writing to this index.
    #[error("index at {} is being written by another process (its writer lock is held)", .path.display())]
    Locked {
        /// The index folder.
        path: PathBuf,
    },
    /// The index exists but cannot be opened.
    #[error("cannot open the index at {}: {source}", .path.display())]
    Open {
        /// The index folder.
        path: PathBuf,
        /// What went wrong: a [`TantivyError`], a tantivy directory or lock error, or an
        /// [`std::io::Error`] (match it with `downcast_ref`).
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The index was not written by this version of Dateline.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// A folder to index does not exist or is not a folder.
    #[error("{}: {source}", .path.display())]
    Corpus {
        /// The folder.
        path: PathBuf,
        /// What is wrong with it.
        #[source]
        source: CorpusError,
    },
    /// The index folder could not be created or cleared.
    #[error("{}: {error}", .path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The I/O error (its text is part of this error's message).
        #[source]
        error: std::io::Error,
    },
    /// A folder to index is the index's own folder, or inside it.
    #[error("{} is the index's own folder, or inside it, not a folder of reports", .path.display())]
    CorpusIsIndex {
        /// The folder named.
        path: PathBuf,
    },
    /// The index path names a file, not a folder.
    #[error("the index path {} is a file, not a folder", .path.display())]
    NotAFolder {
        /// The path.
        path: PathBuf,
    },
    /// The folder holds no index but other files: an index is made only in a new or empty
    /// folder, or in one that holds only an index's files.
    #[error("{} holds no index but other files ({}): an index needs a folder of its own", .path.display(), list(.others))]
    NotAnIndexFolder {
        /// The folder.
        path: PathBuf,
        /// Names of (some of) the other files.
        others: Vec<String>,
    },
    /// The damaged index cannot be deleted: its folder also holds files the index did not
    /// write, and nothing was deleted.
    #[error("the damaged index at {} was not deleted: its folder also holds files the index did not write ({}), left alone", .path.display(), list(.others))]
    SharedFolder {
        /// The folder.
        path: PathBuf,
        /// Names of (some of) the other files.
        others: Vec<String>,
    },
    /// The index's disk has less free space than a run may need before it commits; nothing
    /// was written.
    #[error("only {} MiB free on the disk of the index at {}; a run may need {} MiB there before it commits (as much as the index takes, for merges)", .free >> 20, .path.display(), .needed >> 20)]
    DiskLow {
        /// The index folder.
        path: PathBuf,
        /// Bytes free on its disk.
        free: u64,
        /// Bytes a run may write before it commits: the index's size, and
        /// [`crate::Options::min_free_disk`].
        needed: u64,
    },
    /// tantivy failed while writing; the last commit is intact.
    #[error("writing the index at {} failed: {error}{}", .path.display(), .disk_full.as_deref().unwrap_or(""))]
    Write {
        /// The index folder.
        path: PathBuf,
        /// The tantivy error (its text is part of this error's message).
        #[source]
        error: TantivyError,
        /// `; No space left on device (…)` when the index's disk was found full after the
        /// failure: tantivy reports a writer thread's I/O error only as "killed".
        disk_full: Option<String>,
    },
}

/// What is wrong with a folder named to be indexed ([`Error::Corpus`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CorpusError {
    /// It does not exist, or cannot be resolved.
    #[error("cannot open the folder of reports: {0}")]
    Unopenable(#[source] std::io::Error),
    /// It is a file.
    #[error("is a file, not a folder of reports")]
    NotAFolder,
    /// Its path is not UTF-8, and the commit records folders as text.
    #[error("folder name is not valid UTF-8; rename it")]
    NameNotUtf8,
}

impl Error {
    /// Makes an [`Error::Open`] of the index at `dir` from its cause.
    pub(crate) fn open<E>(dir: &Path) -> impl FnOnce(E) -> Error + '_
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        move |source| Error::Open { path: dir.into(), source: source.into() }
    }

    /// Makes an [`Error::Io`] on `path` from its cause.
    pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
        move |error| Error::Io { path: path.into(), error }
    }

    /// Makes an [`Error::Write`] to the index at `dir` from its cause.
    pub(crate) fn write(dir: &Path) -> impl FnOnce(TantivyError) -> Error + '_ {
        move |error| {
            let disk_full = disk_full(dir, &error);
            Error::Write { path: dir.into(), error, disk_full }
        }
    }
}

/// Says the disk is full when tantivy's message does not and the index's disk has under
/// a mebibyte left: measured after the failure, not guessed from the message.
fn disk_full(dir: &Path, error: &TantivyError) -> Option<String> {
    const FULL: u64 = 1 << 20;
    if error.to_string().contains("No space left on device") {
        return None;
    }
    let free = free_bytes(dir)?;
    (free < FULL)
        .then(|| format!("; No space left on device ({} KiB free on its disk)", free / 1024))
}

/// Bytes free on the disk of `dir`, when the system says.
pub(crate) fn free_bytes(dir: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        let stat = rustix::fs::statvfs(dir).ok()?;
        Some(stat.f_bavail.saturating_mul(stat.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// `a, b, c` with each name escaped, so a message stays on one line.
fn list(names: &[String]) -> String {
    let escaped: Vec<String> = names.iter().map(|name| name.escape_debug().to_string()).collect();
    escaped.join(", ")
}
