//! Build and update a Dateline index from folders of news reports.
//!
//! The principal type is [`Indexer`]. [`Indexer::update`] makes the index mirror a set of
//! folders: it reads only files that are new or whose size or modification time changed
//! (confirming a change by content hash), and removes reports whose files are gone. A run that
//! finds nothing new walks the folders and writes nothing.
//!
//! Guarantees:
//! - **Crash safety.** Documents and the [`IndexManifest`] (which folders the index mirrors)
//!   are committed together, atomically. A run that is killed leaves the previous commit
//!   intact and searchable; the next run picks up where it stands.
//! - **One writer.** A second `Indexer` on the same folder fails at once with
//!   [`Error::Locked`]; readers are never blocked.
//! - **Bad files do not stop a run.** Each is reported as a [`Skipped`] entry and the rest
//!   of the corpus is indexed.
//!
//! ```no_run
//! use dateline_indexer::{Indexer, Options};
//!
//! let mut indexer = Indexer::open_or_create("index-data/index", Options::default())?;
//! let summary = indexer.update(&["index-data".into()], |_event| {})?;
//! println!("{} added, {} unchanged", summary.added, summary.unchanged);
//! # Ok::<(), dateline_indexer::Error>(())
//! ```
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

mod decode;
pub mod extract;
mod read;
mod walk;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use dateline_schema::{Fields, FileStamp, FormatError, IndexManifest, StoredReport};
use serde::Serialize;
use tantivy::directory::error::LockError;
use tantivy::{IndexWriter, TantivyDocument, TantivyError, Term};

pub use dateline_schema::FORMAT_VERSION;
pub use extract::{Report, Title, extract};
use walk::Candidate;
pub use walk::{REPORT_EXTENSIONS, is_report};

/// Result of this crate's operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Tuning of an indexing run.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// Files larger than this are skipped ([`Skip::TooLarge`]). Default: 64 MiB.
    pub max_file_size: u64,
    /// Files with a line longer than this are skipped ([`Skip::LineTooLong`]): a megabyte
    /// without a line break is a dump, not a report. Default: 1 MiB.
    pub max_line_length: usize,
    /// Indexing threads. Default: the number of CPUs, at most 4.
    pub threads: usize,
    /// Memory the writer may use for buffering before it flushes a segment, in bytes,
    /// shared by all threads. Default: 256 MiB.
    pub memory_budget: usize,
    /// Follow symlinks that lead out of the folders being indexed. Default: false, and each
    /// such symlink is skipped ([`Skip::OutsideFolders`]). Kernel file systems (procfs,
    /// sysfs, …) are never entered either way.
    pub follow_outside: bool,
    /// A file whose read gives no answer for this long (a hung network mount) is skipped
    /// ([`Skip::Stalled`]) and the run goes on. Default: 60 s.
    pub read_timeout: std::time::Duration,
}

impl Default for Options {
    fn default() -> Options {
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        Options {
            max_file_size: 64 << 20,
            max_line_length: 1 << 20,
            threads: cpus.clamp(1, 4),
            memory_budget: 256 << 20,
            follow_outside: false,
            read_timeout: std::time::Duration::from_secs(60),
        }
    }
}

impl Options {
    /// Sets [`Options::max_file_size`].
    pub fn max_file_size(mut self, bytes: u64) -> Options {
        self.max_file_size = bytes;
        self
    }

    /// Sets [`Options::max_line_length`].
    pub fn max_line_length(mut self, bytes: usize) -> Options {
        self.max_line_length = bytes;
        self
    }

    /// Sets [`Options::threads`] (at least 1).
    pub fn threads(mut self, threads: usize) -> Options {
        self.threads = threads.max(1);
        self
    }

    /// Sets [`Options::memory_budget`], in bytes.
    pub fn memory_budget(mut self, bytes: usize) -> Options {
        self.memory_budget = bytes;
        self
    }

    /// Sets [`Options::follow_outside`].
    pub fn follow_outside(mut self, follow: bool) -> Options {
        self.follow_outside = follow;
        self
    }

    /// Sets [`Options::read_timeout`].
    pub fn read_timeout(mut self, timeout: std::time::Duration) -> Options {
        self.read_timeout = timeout;
        self
    }
}

/// Writes a Dateline index. Holds the index's writer lock for as long as it lives.
pub struct Indexer {
    index: tantivy::Index,
    writer: IndexWriter,
    fields: Fields,
    dir: PathBuf,
    manifest: IndexManifest,
    options: Options,
    /// Set by [`Indexer::rebuild`] until the next commit: every file is read again.
    rebuilding: bool,
    /// Whether the current update started from an index holding no report.
    started_empty: bool,
    /// Reads files on a worker thread, so a read that blocks cannot stall the run.
    reader: read::TimedReader,
}

/// Something that happened during [`Indexer::update`], for progress display.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// The folders were walked: this many report files were found.
    Scanned {
        /// Report files found.
        files: usize,
    },
    /// One file was looked at (whether it needed reading or not).
    Checked {
        /// The file.
        path: &'a Path,
    },
    /// A file was passed over.
    Skipped(&'a Skipped),
    /// A file was indexed, with a caveat.
    Warning(&'a Warning),
    /// All files are processed; the commit is being written.
    Committing,
}

/// What an update did.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Reports indexed for the first time.
    pub added: usize,
    /// Reports whose file changed and were indexed again.
    pub changed: usize,
    /// Reports removed because their file is gone (or now skipped, or outside the folders).
    pub removed: usize,
    /// Reports whose file did not change.
    pub unchanged: usize,
    /// Files that were passed over, with the reason.
    pub skipped: Vec<Skipped>,
    /// Files indexed with a caveat.
    pub warnings: Vec<Warning>,
    /// Whether the run wrote a commit (false when nothing changed).
    pub committed: bool,
}

/// A file that was passed over, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why it was passed over.
    pub reason: Skip,
}

/// A file that was indexed with a caveat.
#[derive(Clone, Debug, Serialize)]
pub struct Warning {
    /// The file.
    pub path: PathBuf,
    /// What the caveat is.
    pub message: String,
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
    /// The file is larger than [`Options::max_file_size`].
    #[error("file of {len} bytes is over the {limit}-byte limit")]
    TooLarge {
        /// Size of the file.
        len: u64,
        /// The limit.
        limit: u64,
    },
    /// A line of the file is longer than [`Options::max_line_length`].
    #[error("line {line} is {len} bytes long, over the {limit}-byte limit for a line of text")]
    LineTooLong {
        /// 1-based number of the first such line.
        line: u64,
        /// Its length in bytes.
        len: u64,
        /// The limit.
        limit: u64,
    },
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
    /// [`Options::follow_outside`]).
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
    /// Reading the file gave no answer within [`Options::read_timeout`].
    #[error("reading it gave no answer in {seconds} s")]
    Stalled {
        /// The timeout, in seconds.
        seconds: u64,
    },
}

impl Skip {
    /// A short name for the kind of reason, for counting: `binary`, `empty`, `too large`,
    /// `line too long`, `bad name`, `unreadable`, `outside`, `special`, `stalled`.
    pub fn kind(&self) -> &'static str {
        match self {
            Skip::Binary { .. } => "binary",
            Skip::Empty => "empty",
            Skip::TooLarge { .. } => "too large",
            Skip::LineTooLong { .. } => "line too long",
            Skip::NameNotUtf8 => "bad name",
            Skip::Unreadable { .. } => "unreadable",
            Skip::OutsideFolders { .. } => "outside",
            Skip::Special { .. } => "special",
            Skip::Stalled { .. } => "stalled",
        }
    }
}

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
    #[error("cannot open the index at {}: {reason}", .path.display())]
    Open {
        /// The index folder.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The index was not written by this version of Dateline.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// A folder to index does not exist or is not a folder.
    #[error("{}: {reason}", .path.display())]
    Corpus {
        /// The folder.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The index folder could not be created or cleared.
    #[error("{}: {error}", .path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The I/O error (its text is part of this error's message).
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
    /// tantivy failed while writing; the last commit is intact.
    #[error("writing the index at {} failed: {error}", .path.display())]
    Write {
        /// The index folder.
        path: PathBuf,
        /// The tantivy error (its text is part of this error's message).
        error: TantivyError,
    },
}

impl Indexer {
    /// Opens the index in `dir`, creating the folder and an empty index if there is none.
    pub fn open_or_create(dir: impl AsRef<Path>, options: Options) -> Result<Indexer> {
        let dir = dir.as_ref();
        if std::fs::metadata(dir).is_ok_and(|metadata| !metadata.is_dir()) {
            return Err(Error::NotAFolder { path: dir.into() });
        }
        std::fs::create_dir_all(dir)
            .map_err(|source| Error::Io { path: dir.into(), error: source })?;
        let has_index = dir
            .join("meta.json")
            .try_exists()
            .map_err(|source| Error::Io { path: dir.into(), error: source })?;
        if !has_index {
            // A folder of reports, or of anything else, is not made an index.
            let others = others_in(dir)?;
            if !others.is_empty() {
                return Err(Error::NotAnIndexFolder { path: dir.into(), others });
            }
        }
        let index = if has_index {
            tantivy::Index::open_in_dir(dir).map_err(|err| open_error(dir, err))?
        } else {
            let (schema, _) = Fields::build();
            tantivy::IndexBuilder::new()
                .schema(schema)
                .settings(dateline_schema::index_settings())
                .create_in_dir(dir)
                // Another process may have created it since we looked.
                .or_else(|_| tantivy::Index::open_in_dir(dir))
                .map_err(|err| open_error(dir, err))?
        };
        let fields = Fields::from_schema(&index.schema())?;
        let manifest = IndexManifest::of(&index, dir)?;
        let writer = index
            .writer_with_num_threads(options.threads, options.memory_budget)
            .map_err(|err| match err {
                TantivyError::LockFailure(LockError::LockBusy, _) => {
                    Error::Locked { path: dir.into() }
                }
                err => open_error(dir, err),
            })?;
        Ok(Indexer {
            index,
            writer,
            fields,
            dir: dir.into(),
            manifest,
            rebuilding: false,
            started_empty: false,
            reader: read::TimedReader::new(
                std::sync::Arc::new(read::read_report),
                options.read_timeout,
            ),
            options,
        })
    }

    /// Opens the index in `dir` for a rebuild from scratch: the next [`Indexer::update`]
    /// re-reads every file. The old reports stay searchable until that update commits.
    ///
    /// An index that cannot be opened (damaged, or of another format) is deleted first, so
    /// a rebuild is the way out of any broken index. Only the index's own files are deleted
    /// (tantivy's segment files, `meta.json`, its lock and temporary files), and only when the
    /// folder holds nothing else: otherwise nothing is deleted and [`Error::SharedFolder`]
    /// names the other files.
    pub fn rebuild(dir: impl AsRef<Path>, options: Options) -> Result<Indexer> {
        let dir = dir.as_ref();
        let mut indexer = match Indexer::open_or_create(dir, options.clone()) {
            Ok(indexer) => indexer,
            Err(err @ (Error::Open { .. } | Error::Format(_))) => {
                tracing::info!(error = %err, "index unreadable; deleting it to rebuild");
                {
                    // Hold the writer lock while deleting, so a running writer keeps its files.
                    let _lock = lock(dir)?;
                    let others = others_in(dir)?;
                    if !others.is_empty() {
                        return Err(Error::SharedFolder { path: dir.into(), others });
                    }
                    delete_index_files(dir)?;
                }
                Indexer::open_or_create(dir, options)?
            }
            Err(err) => return Err(err),
        };
        indexer.writer.delete_all_documents().map_err(|source| indexer.write_error(source))?;
        indexer.rebuilding = true;
        Ok(indexer)
    }

    /// The folders the last commit mirrors (absolute paths).
    pub fn roots(&self) -> &[PathBuf] {
        &self.manifest.roots
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Makes the index mirror `roots`: adds new reports, re-indexes changed ones, removes
    /// those whose files are gone or lie outside `roots`, and commits if anything changed.
    ///
    /// `on_event` is called as the run progresses, for progress display.
    #[tracing::instrument(level = "debug", skip_all, fields(index = %self.dir.display()))]
    pub fn update(
        &mut self,
        roots: &[PathBuf],
        mut on_event: impl FnMut(Event<'_>),
    ) -> Result<Summary> {
        let roots = canonical_roots(roots)?;
        let exclude = std::fs::canonicalize(&self.dir).unwrap_or_else(|_| self.dir.clone());
        if let Some(root) = roots.iter().find(|root| root.starts_with(&exclude)) {
            return Err(Error::CorpusIsIndex { path: root.clone() });
        }
        let follow_outside = self.options.follow_outside;
        let started = std::time::Instant::now();
        let mut summary = Summary::default();
        let mut candidates = Vec::new();
        // The same file reached twice (through a symlink) is one report.
        let mut seen = std::collections::HashSet::new();
        // Reports under a path that could not be walked are kept, not taken for deleted.
        let mut unwalkable = Vec::new();
        // What the index holds is read while the folders are walked: neither waits on the other.
        let (indexed, found) = std::thread::scope(|scope| {
            let indexed = scope.spawn(|| match self.rebuilding {
                true => Ok(HashMap::new()),
                false => self.indexed_files(),
            });
            let mut found = Vec::new();
            let mut files = Vec::new();
            for root in &roots {
                for entry in walk::walk(root, &roots, &exclude, follow_outside) {
                    match entry {
                        Ok(path) => files.push(path),
                        Err(skipped) => found.push(Err(skipped)),
                    }
                }
            }
            tracing::debug!(files = files.len(), elapsed = ?started.elapsed(), "walked the folders");
            found.extend(walk::stat_all(files));
            let indexed = indexed.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (indexed, found)
        });
        let mut indexed = indexed?;
        self.started_empty = indexed.is_empty();
        tracing::debug!(reports = indexed.len(), elapsed = ?started.elapsed(), "read what the index holds");
        for entry in found {
            match entry {
                Ok(candidate) => candidates.push(candidate),
                Err(skipped) => {
                    // A symlink now left unfollowed, or a special file, no longer holds
                    // reports; a folder that failed to list may still.
                    if let Skip::Unreadable { .. } = skipped.reason {
                        unwalkable.push(skipped.path.clone());
                    }
                    on_event(Event::Skipped(&skipped));
                    summary.skipped.push(skipped);
                }
            }
        }
        indexed.retain(|key, _| !unwalkable.iter().any(|path| Path::new(key).starts_with(path)));
        // A stable order: the same run reads, reports and keeps duplicates the same way.
        candidates.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        candidates.retain(|candidate| seen.insert(candidate.file_id));
        summary.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        tracing::debug!(elapsed = ?started.elapsed(), "checked every file's size and time");
        on_event(Event::Scanned { files: candidates.len() });

        let mut dirty = self.rebuilding || roots != self.manifest.roots;
        for candidate in &candidates {
            on_event(Event::Checked { path: &candidate.path });
            let previous = indexed.remove(&candidate.key);
            if previous.is_some_and(|p| p.len == candidate.len && p.mtime_ns == candidate.mtime_ns)
            {
                summary.unchanged += 1;
                continue;
            }
            match self.index_file(candidate, previous.map(|p| p.hash))? {
                Outcome::Indexed { same_content, warning } => {
                    dirty = true;
                    match (same_content, previous) {
                        (true, _) => summary.unchanged += 1,
                        (false, Some(_)) => summary.changed += 1,
                        (false, None) => summary.added += 1,
                    }
                    if let Some(warning) = warning {
                        on_event(Event::Warning(&warning));
                        summary.warnings.push(warning);
                    }
                }
                Outcome::Skipped(skipped) => {
                    if previous.is_some() {
                        self.delete(&candidate.key);
                        summary.removed += 1;
                        dirty = true;
                    }
                    on_event(Event::Skipped(&skipped));
                    summary.skipped.push(skipped);
                }
            }
        }
        // Whatever was indexed and not seen again is gone.
        for key in indexed.keys() {
            self.delete(key);
            summary.removed += 1;
            dirty = true;
        }

        if dirty {
            on_event(Event::Committing);
            self.commit(IndexManifest::new(roots))?;
            summary.committed = true;
        }
        Ok(summary)
    }

    /// Waits for background merges to finish, so the next reader opens fewer segments.
    pub fn finish(self) -> Result<()> {
        let dir = self.dir;
        self.writer.wait_merging_threads().map_err(|source| write_error(&dir, source))
    }

    fn commit(&mut self, mut manifest: IndexManifest) -> Result<()> {
        // Not rounded: clients tell one commit from the next by it, and two can fall in a second.
        manifest.committed_at = Some(jiff::Timestamp::now());
        let dir = &self.dir;
        let mut prepared = self.writer.prepare_commit().map_err(|e| write_error(dir, e))?;
        prepared.set_payload(&manifest.to_payload());
        prepared.commit().map_err(|e| write_error(dir, e))?;
        self.manifest = manifest;
        self.rebuilding = false;
        Ok(())
    }

    fn delete(&mut self, key: &str) {
        self.writer.delete_term(Term::from_field_text(self.fields.path, key));
    }

    fn index_file(&mut self, candidate: &Candidate, previous_hash: Option<u64>) -> Result<Outcome> {
        let skip = |reason| Ok(Outcome::Skipped(Skipped { path: candidate.path.clone(), reason }));
        let limit = self.options.max_file_size;
        if candidate.len > limit {
            return skip(Skip::TooLarge { len: candidate.len, limit });
        }
        // The limit is enforced while reading too: the file may have grown since the walk.
        let bytes = match self.reader.read(&candidate.path, limit) {
            Ok(read::ReadOutcome::Bytes(bytes)) => bytes,
            Ok(read::ReadOutcome::TooLarge { len }) => return skip(Skip::TooLarge { len, limit }),
            Ok(read::ReadOutcome::Special { what }) => return skip(Skip::Special { what }),
            Ok(read::ReadOutcome::Failed(err)) => {
                return skip(Skip::Unreadable { reason: err.to_string() });
            }
            Err(read::Stalled) => {
                let seconds = self.reader.timeout().as_secs_f64().ceil() as u64;
                return skip(Skip::Stalled { seconds });
            }
        };
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        if let Some(offset) = memchr_nul(&bytes) {
            return skip(Skip::Binary { offset: offset as u64 });
        }
        let decoded = decode::decode(&bytes);
        if decoded.text.trim().is_empty() {
            return skip(Skip::Empty);
        }
        let limit = self.options.max_line_length;
        if let Some((number, line)) = (1..)
            .zip(dateline_schema::lines::lines(&decoded.text))
            .find(|(_, line)| line.len() > limit)
        {
            return skip(Skip::LineTooLong {
                line: number,
                len: line.len() as u64,
                limit: limit as u64,
            });
        }
        // The hash confirms a change that size and time only suggest; an unchanged file is
        // still re-added so its new modification time is recorded and it is not read again.
        let same_content = previous_hash == Some(hash);
        let (doc, date_note) = self.document(&decoded, candidate, hash);
        let notes: Vec<String> = decoded.note.iter().cloned().chain(date_note).collect();
        let warning = (!notes.is_empty())
            .then(|| Warning { path: candidate.path.clone(), message: notes.join("; ") });
        // Replace whatever the index holds under this path. A delete is not free (each one is
        // applied to every segment written after it), so a build into an empty index, which
        // cannot hold the path, issues none; any other run deletes before adding even when
        // the path looked new, so no sequence of interrupted runs can leave a report twice.
        if previous_hash.is_some() || !self.started_empty {
            self.delete(&candidate.key);
        }
        self.writer.add_document(doc).map_err(|err| self.write_error(err))?;
        Ok(Outcome::Indexed { same_content, warning })
    }

    /// The document for a report, and a note when its date could not be stored.
    fn document(
        &self,
        decoded: &decode::Decoded<'_>,
        candidate: &Candidate,
        hash: u64,
    ) -> (TantivyDocument, Option<String>) {
        // A byte-order mark is not text; offsets still count it, as they are file offsets.
        let (text, bom) = match decoded.text.strip_prefix('\u{feff}') {
            Some(rest) => (rest, '\u{feff}'.len_utf8()),
            None => (decoded.text.as_ref(), 0),
        };
        let report = extract(text);
        // A date tantivy cannot hold is left out and said, never stored as another day.
        let date_note =
            report.date.filter(|&day| !dateline_schema::date::in_range(day)).map(|day| {
                format!(
                    "its date {}; indexed without a date",
                    dateline_schema::date::out_of_range(day)
                )
            });
        let stored = StoredReport {
            path: candidate.key.clone(),
            title: report.title,
            date: report.date.filter(|&day| dateline_schema::date::in_range(day)),
            publisher: report.publisher,
            dateline: report.dateline,
            author: report.author,
            url: report.url,
            body: report.body.to_string(),
            body_offsets: decoded.map.rebase((bom + report.body_offset) as u64),
            body_line: report.body_line,
        };
        let file =
            FileStamp { len: candidate.len, mtime_ns: candidate.mtime_ns, content_hash: hash };
        (stored.to_document(&self.fields, &file), date_note)
    }

    /// What the last commit holds, by path, read from fast fields (no stored text).
    fn indexed_files(&self) -> Result<HashMap<String, Indexed>> {
        let reader = self
            .index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|err| open_error(&self.dir, err))?;
        let searcher = reader.searcher();
        let mut files = HashMap::new();
        for segment in searcher.segment_readers() {
            let stamps =
                FileStamp::read_segment(segment).map_err(|err| open_error(&self.dir, err))?;
            for (path, stamp) in stamps {
                let entry =
                    Indexed { len: stamp.len, mtime_ns: stamp.mtime_ns, hash: stamp.content_hash };
                if let Some(twice) = files.insert(path.clone(), entry) {
                    // Two documents for one file: a delete was lost (seen after runs were
                    // killed with -9 mid-merge). A time no file has makes this run read the
                    // file again, delete both documents and add one.
                    tracing::warn!(path = %path, "indexed twice; re-indexing it");
                    files.insert(path, Indexed { mtime_ns: u64::MAX, ..twice });
                }
            }
        }
        Ok(files)
    }

    fn write_error(&self, source: TantivyError) -> Error {
        write_error(&self.dir, source)
    }
}

fn write_error(dir: &Path, source: TantivyError) -> Error {
    Error::Write { path: dir.into(), error: source }
}

/// What the last commit records of one file.
#[derive(Clone, Copy, Debug)]
struct Indexed {
    len: u64,
    mtime_ns: u64,
    hash: u64,
}

enum Outcome {
    /// Added to the index; `same_content` when only the modification time had changed.
    Indexed {
        same_content: bool,
        warning: Option<Warning>,
    },
    Skipped(Skipped),
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// The folders to walk: absolute, existing, each once, none inside another (its files
/// would be found twice), and with UTF-8 names (they are recorded in the commit as text).
fn canonical_roots(roots: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut canonical = Vec::with_capacity(roots.len());
    for root in roots {
        let corpus_error = |reason: String| Error::Corpus { path: root.clone(), reason };
        let path = std::fs::canonicalize(root)
            .map_err(|err| corpus_error(format!("cannot open the folder of reports: {err}")))?;
        if !path.is_dir() {
            return Err(corpus_error("is a file, not a folder of reports".into()));
        }
        if path.to_str().is_none() {
            return Err(corpus_error("folder name is not valid UTF-8; rename it".into()));
        }
        canonical.push(path);
    }
    canonical.sort();
    canonical.dedup();
    let nested: Vec<PathBuf> = canonical
        .iter()
        .filter(|path| canonical.iter().any(|other| other != *path && path.starts_with(other)))
        .cloned()
        .collect();
    canonical.retain(|path| !nested.contains(path));
    Ok(canonical)
}

/// Takes the index's writer lock, as tantivy's `IndexWriter` does.
fn lock(dir: &Path) -> Result<tantivy::directory::DirectoryLock> {
    use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};
    let directory = MmapDirectory::open(dir)
        .map_err(|err| Error::Open { path: dir.into(), reason: err.to_string() })?;
    directory.acquire_lock(&INDEX_WRITER_LOCK).map_err(|err| match err {
        LockError::LockBusy => Error::Locked { path: dir.into() },
        err => Error::Open { path: dir.into(), reason: err.to_string() },
    })
}

fn open_error(dir: &Path, err: TantivyError) -> Error {
    Error::Open { path: dir.into(), reason: err.to_string() }
}

/// Whether `name` is a file an index writes into its folder: tantivy's segment files
/// (`<32 hex digits>.idx`, `.pos`, `.term`, `.store`, `.store.temp`, `.fast`, `.fieldnorm`,
/// `<32 hex digits>.<opstamp>.del`), `meta.json`, `.managed.json`, its lock files
/// (`.tantivy-*.lock`) and the temporary files of its atomic writes (`.tmpXXXXXX`).
/// Dateline writes nothing else there: its manifest is the commit payload in `meta.json`.
fn is_index_file(name: &str) -> bool {
    const SEGMENT_EXTENSIONS: [&str; 7] =
        [".idx", ".pos", ".term", ".store", ".store.temp", ".fast", ".fieldnorm"];
    if matches!(name, "meta.json" | ".managed.json") {
        return true;
    }
    if let Some(lock) = name.strip_prefix(".tantivy-").and_then(|n| n.strip_suffix(".lock")) {
        return !lock.is_empty() && lock.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
    }
    if let Some(random) = name.strip_prefix(".tmp") {
        return random.len() == 6 && random.bytes().all(|b| b.is_ascii_alphanumeric());
    }
    let Some((uuid, rest)) = name.split_at_checked(32) else { return false };
    if !uuid.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return false;
    }
    if SEGMENT_EXTENSIONS.contains(&rest) {
        return true;
    }
    rest.strip_prefix('.')
        .and_then(|rest| rest.strip_suffix(".del"))
        .is_some_and(|opstamp| !opstamp.is_empty() && opstamp.bytes().all(|b| b.is_ascii_digit()))
}

/// How many other names an error lists.
const OTHERS_LISTED: usize = 5;

/// Names of (up to [`OTHERS_LISTED`] of) the entries of `dir` that are not an index's own
/// files, sorted; a last entry `… N more` counts the rest.
fn others_in(dir: &Path) -> Result<Vec<String>> {
    let entries =
        std::fs::read_dir(dir).map_err(|source| Error::Io { path: dir.into(), error: source })?;
    let mut others = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io { path: dir.into(), error: source })?;
        let name = entry.file_name();
        let ours = name.to_str().is_some_and(is_index_file)
            && entry.file_type().is_ok_and(|kind| kind.is_file());
        if !ours {
            others.push(name.to_string_lossy().into_owned());
        }
    }
    others.sort();
    if others.len() > OTHERS_LISTED {
        let more = others.len() - OTHERS_LISTED;
        others.truncate(OTHERS_LISTED);
        others.push(format!("… {more} more"));
    }
    Ok(others)
}

/// `a, b, c` with each name escaped, so a message stays on one line.
fn list(names: &[String]) -> String {
    let escaped: Vec<String> = names.iter().map(|name| name.escape_debug().to_string()).collect();
    escaped.join(", ")
}

/// Deletes the index's own files ([`is_index_file`]) from `dir`, and nothing else.
fn delete_index_files(dir: &Path) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).map_err(|source| Error::Io { path: dir.into(), error: source })?;
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io { path: dir.into(), error: source })?;
        let path = entry.path();
        let ours = entry.file_name().to_str().is_some_and(is_index_file);
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            std::fs::remove_file(&path).map_err(|source| Error::Io { path, error: source })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    /// A corpus of one report (`a.txt`), indexed: corpus, index folder, roots, indexer.
    fn one_report_indexed() -> (tempfile::TempDir, tempfile::TempDir, [PathBuf; 1], Indexer) {
        let corpus = tempfile::tempdir().unwrap();
        let index = tempfile::tempdir().unwrap();
        write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
        let roots = [corpus.path().to_path_buf()];
        let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
        indexer.update(&roots, |_| {}).unwrap();
        (corpus, index, roots, indexer)
    }

    #[test]
    fn second_writer_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let _first = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
        let second = Indexer::open_or_create(dir.path(), Options::default());
        assert!(matches!(second, Err(Error::Locked { .. })), "{:?}", second.err());
    }

    #[test]
    fn incremental_runs_touch_only_what_changed() {
        let corpus = tempfile::tempdir().unwrap();
        let index = tempfile::tempdir().unwrap();
        write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
        write(corpus.path(), "b.md", "Grain prices\n\nWheat rose.\n");
        write(corpus.path(), "ignored.pdf", "not a report");
        write(corpus.path(), "empty.txt", " \n");
        let roots = [corpus.path().to_path_buf()];
        let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();

        let first = indexer.update(&roots, |_| {}).unwrap();
        assert_eq!((first.added, first.changed, first.removed, first.unchanged), (2, 0, 0, 0));
        assert_eq!(first.skipped.len(), 1);
        assert_eq!(first.skipped[0].reason, Skip::Empty);

        let again = indexer.update(&roots, |_| {}).unwrap();
        assert_eq!((again.added, again.changed, again.removed, again.unchanged), (0, 0, 0, 2));
        assert!(!again.committed);

        write(corpus.path(), "a.txt", "Port strike ends\n\nDockers returned to work.\n");
        std::fs::remove_file(corpus.path().join("b.md")).unwrap();
        write(corpus.path(), "c.txt", "Oil output\n\nOPEC met.\n");
        let third = indexer.update(&roots, |_| {}).unwrap();
        assert_eq!((third.added, third.changed, third.removed, third.unchanged), (1, 1, 1, 0));
        assert_eq!(indexer.indexed_files().unwrap().len(), 2);
    }

    #[test]
    fn a_report_indexed_twice_is_repaired_by_the_next_run() {
        let (corpus, _index, roots, mut indexer) = one_report_indexed();
        // What a lost delete leaves: a second document for the same file.
        let key = std::fs::canonicalize(corpus.path().join("a.txt")).unwrap();
        let candidate = walk::stat_all(vec![key]).pop().unwrap().unwrap();
        let bytes = std::fs::read(&candidate.path).unwrap();
        let (doc, _) = indexer.document(
            &decode::decode(&bytes),
            &candidate,
            xxhash_rust::xxh3::xxh3_64(&bytes),
        );
        indexer.writer.add_document(doc).unwrap();
        indexer.commit(indexer.manifest.clone()).unwrap();
        let count = |indexer: &Indexer| {
            let reader = indexer.index.reader().unwrap();
            reader.searcher().num_docs()
        };
        assert_eq!(count(&indexer), 2);
        let summary = indexer.update(&roots, |_| {}).unwrap();
        assert_eq!((summary.added, summary.changed, summary.unchanged), (0, 0, 1));
        assert_eq!(count(&indexer), 1);
    }

    #[test]
    fn touched_file_is_confirmed_unchanged_by_hash() {
        let (corpus, _index, roots, mut indexer) = one_report_indexed();
        let file = std::fs::File::options().write(true).open(corpus.path().join("a.txt")).unwrap();
        file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
            .unwrap();
        let summary = indexer.update(&roots, |_| {}).unwrap();
        assert_eq!((summary.added, summary.changed, summary.unchanged), (0, 0, 1));
    }

    #[test]
    fn missing_corpus_and_file_corpus_are_errors() {
        let index = tempfile::tempdir().unwrap();
        let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
        let missing = indexer.update(&[index.path().join("nope")], |_| {});
        assert!(matches!(missing, Err(Error::Corpus { .. })));
        let file = index.path().join("file.txt");
        std::fs::write(&file, "x").unwrap();
        let err = indexer.update(&[file], |_| {}).unwrap_err();
        assert!(err.to_string().contains("is a file, not a folder"), "{err}");
    }

    #[test]
    fn rebuild_recovers_a_damaged_index() {
        let corpus = tempfile::tempdir().unwrap();
        let index = tempfile::tempdir().unwrap();
        write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
        let roots = [corpus.path().to_path_buf()];
        {
            let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
            indexer.update(&roots, |_| {}).unwrap();
        }
        std::fs::write(index.path().join("meta.json"), "garbage").unwrap();
        assert!(Indexer::open_or_create(index.path(), Options::default()).is_err());
        let mut indexer = Indexer::rebuild(index.path(), Options::default()).unwrap();
        let summary = indexer.update(&roots, |_| {}).unwrap();
        assert_eq!(summary.added, 1);
    }

    /// Runs `update` on a thread and fails the test, instead of hanging it, if the run
    /// takes longer than `secs`; `unblock` is called first, to free a blocked run.
    fn update_within(
        secs: u64,
        mut indexer: Indexer,
        roots: Vec<PathBuf>,
        on_scanned: impl FnMut() + Send + 'static,
        unblock: impl FnOnce(),
    ) -> (Indexer, Summary) {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut on_scanned = on_scanned;
            let summary = indexer.update(&roots, |event| {
                if let Event::Scanned { .. } = event {
                    on_scanned();
                }
            });
            let _ = sender.send((indexer, summary));
        });
        match receiver.recv_timeout(std::time::Duration::from_secs(secs)) {
            Ok((indexer, summary)) => (indexer, summary.unwrap()),
            Err(_) => {
                unblock();
                panic!("the run did not finish within {secs} s");
            }
        }
    }

    fn mkfifo(path: &Path) -> bool {
        std::process::Command::new("mkfifo").arg(path).status().is_ok_and(|s| s.success())
    }

    fn kinds(summary: &Summary) -> Vec<&'static str> {
        let mut kinds: Vec<_> = summary.skipped.iter().map(|s| s.reason.kind()).collect();
        kinds.sort();
        kinds
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_folders_are_skipped_unless_asked_and_their_reports_removed() {
        let (corpus, index, roots, indexer) = one_report_indexed();
        drop(indexer);
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "secret.txt", "Private notes\n\nNot a report of ours.\n");
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            corpus.path().join("passwd.txt"),
        )
        .unwrap();
        std::os::unix::fs::symlink(outside.path(), corpus.path().join("etclink")).unwrap();
        // A link that stays inside is followed as before.
        std::os::unix::fs::symlink(corpus.path().join("a.txt"), corpus.path().join("b.txt"))
            .unwrap();

        let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
        let summary = indexer.update(&roots, |_| {}).unwrap();
        assert_eq!((summary.added, summary.unchanged), (0, 1), "{summary:?}");
        assert_eq!(kinds(&summary), ["outside", "outside"]);
        let target = std::fs::canonicalize(outside.path()).unwrap();
        assert!(summary.skipped.iter().any(|s| s.path.ends_with("etclink")
            && s.reason == Skip::OutsideFolders { target: target.clone() }));
        drop(indexer);

        // Asked: followed; the file reached twice (file link, folder link) is one report.
        let options = Options::default().follow_outside(true);
        let mut indexer = Indexer::open_or_create(index.path(), options).unwrap();
        let summary = indexer.update(&roots, |_| {}).unwrap();
        assert_eq!((summary.added, summary.unchanged, summary.skipped.len()), (1, 1, 0));
        drop(indexer);

        // Not asked again: the report behind the link is removed, not kept.
        let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
        let summary = indexer.update(&roots, |_| {}).unwrap();
        assert_eq!((summary.removed, summary.unchanged), (1, 1), "{summary:?}");
        assert_eq!(indexer.indexed_files().unwrap().len(), 1);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn kernel_file_systems_are_never_read_even_when_following_outside() {
        let corpus = tempfile::tempdir().unwrap();
        let index = tempfile::tempdir().unwrap();
        write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
        std::os::unix::fs::symlink("/proc/version", corpus.path().join("version.txt")).unwrap();
        std::os::unix::fs::symlink("/proc/kmsg", corpus.path().join("kmsg.txt")).unwrap();
        // Without end (sysfs links back into itself) before: now refused at the door.
        std::os::unix::fs::symlink("/sys", corpus.path().join("sys")).unwrap();
        std::os::unix::fs::symlink("/proc/self", corpus.path().join("self")).unwrap();
        let options = Options::default().follow_outside(true);
        let indexer = Indexer::open_or_create(index.path(), options).unwrap();
        let (_, summary) =
            update_within(60, indexer, vec![corpus.path().to_path_buf()], || {}, || {});
        assert_eq!(summary.added, 1, "{summary:?}");
        assert_eq!(kinds(&summary), ["special", "special", "special", "special"], "{summary:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_put_in_place_of_a_report_after_the_walk_does_not_block_the_run() {
        let corpus = tempfile::tempdir().unwrap();
        let index = tempfile::tempdir().unwrap();
        write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
        write(corpus.path(), "b.txt", "Grain prices\n\nWheat rose.\n");
        let swapped = corpus.path().join("a.txt");
        // A FIFO named like a report is reported, never opened.
        assert!(mkfifo(&corpus.path().join("pipe.md")));
        let indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
        let in_walk = swapped.clone();
        let (_, summary) = update_within(
            30,
            indexer,
            vec![corpus.path().to_path_buf()],
            move || {
                std::fs::remove_file(&in_walk).unwrap();
                assert!(mkfifo(&in_walk));
            },
            // Opening the FIFO for writing frees a reader blocked on it.
            || drop(std::fs::OpenOptions::new().write(true).open(&swapped)),
        );
        assert_eq!(summary.added, 1, "{summary:?}");
        assert_eq!(kinds(&summary), ["special", "special"], "{summary:?}");
        assert!(summary.skipped.iter().all(|s| s.reason.to_string().contains("FIFO")));
    }

    #[test]
    fn a_file_that_grows_during_the_run_is_held_to_the_size_limit() {
        let corpus = tempfile::tempdir().unwrap();
        let index = tempfile::tempdir().unwrap();
        write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
        let growing = corpus.path().join("growing.txt");
        write(corpus.path(), "growing.txt", "Live blog\n\nFirst entry.\n");
        let options = Options::default().max_file_size(1000);
        let mut indexer = Indexer::open_or_create(index.path(), options).unwrap();
        let summary = indexer
            .update(&[corpus.path().to_path_buf()], |event| {
                // Walked and measured small; grows before it is read.
                if let Event::Scanned { .. } = event {
                    let mut file = std::fs::OpenOptions::new().append(true).open(&growing).unwrap();
                    std::io::Write::write_all(&mut file, "More news.\n".repeat(1000).as_bytes())
                        .unwrap();
                }
            })
            .unwrap();
        assert_eq!(summary.added, 1, "{summary:?}");
        assert_eq!(summary.skipped.len(), 1, "{summary:?}");
        assert!(
            matches!(summary.skipped[0].reason, Skip::TooLarge { len, limit: 1000 } if len > 1000),
            "{summary:?}"
        );
    }

    #[test]
    fn a_read_that_blocks_does_not_stall_the_run() {
        let corpus = tempfile::tempdir().unwrap();
        let index = tempfile::tempdir().unwrap();
        write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
        write(corpus.path(), "stuck.txt", "On a hung network mount\n\nNever arrives.\n");
        write(corpus.path(), "z.txt", "Grain prices\n\nWheat rose.\n");
        let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
        // What a read from a hung network mount does; no local file system can show it.
        indexer.reader = read::TimedReader::new(
            std::sync::Arc::new(|path: &Path, limit| {
                if path.ends_with("stuck.txt") {
                    std::thread::sleep(std::time::Duration::from_secs(3600));
                }
                read::read_report(path, limit)
            }),
            std::time::Duration::from_millis(300),
        );
        let started = std::time::Instant::now();
        let summary = indexer.update(&[corpus.path().to_path_buf()], |_| {}).unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        assert_eq!(summary.added, 2, "{summary:?}");
        assert_eq!(summary.skipped.len(), 1);
        assert!(summary.skipped[0].path.ends_with("stuck.txt"));
        assert_eq!(summary.skipped[0].reason, Skip::Stalled { seconds: 1 });
    }

    #[test]
    fn the_index_files_are_recognised_by_name_and_nothing_else_is() {
        let (_corpus, index, _roots, indexer) = one_report_indexed();
        drop(indexer);
        for entry in std::fs::read_dir(index.path()).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(is_index_file(&name), "{name} was written by the index");
        }
        let uuid = "0123456789abcdef0123456789abcdef";
        for ours in [
            "meta.json".to_string(),
            ".managed.json".into(),
            ".tantivy-writer.lock".into(),
            ".tantivy-meta.lock".into(),
            ".tmpA1b2C3".into(),
            format!("{uuid}.idx"),
            format!("{uuid}.store.temp"),
            format!("{uuid}.fieldnorm"),
            format!("{uuid}.17.del"),
        ] {
            assert!(is_index_file(&ours), "{ours}");
        }
        for theirs in [
            "quarterly-report-notes-for-the-editors-2024.json",
            "research-database-export-2024-final.store",
            "0123456789ABCDEF0123456789ABCDEF.idx",
            "0123456789abcdef0123456789abcdeg.idx",
            "0123456789abcdef0123456789abcdef.json",
            "0123456789abcdef0123456789abcdef.x.del",
            "0123456789abcdef0123456789abcdef.del",
            "notes.txt",
            "meta.json.bak",
            ".tmp",
        ] {
            assert!(!is_index_file(theirs), "{theirs}");
        }
    }

    #[test]
    fn rebuild_never_deletes_files_the_index_did_not_write() {
        let (corpus, index, roots, indexer) = one_report_indexed();
        drop(indexer);
        let user_files = [
            "quarterly-report-notes-for-the-editors-2024.json",
            "research-database-export-2024-final.store",
        ];
        for name in user_files {
            write(index.path(), name, "the user's own work");
        }
        std::fs::write(index.path().join("meta.json"), "garbage").unwrap();
        let before = std::fs::read_dir(index.path()).unwrap().count();
        let err = Indexer::rebuild(index.path(), Options::default()).err().unwrap();
        match &err {
            Error::SharedFolder { others, .. } => assert_eq!(others, &user_files),
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().contains("was not deleted"), "{err}");
        // Nothing at all was deleted.
        assert_eq!(std::fs::read_dir(index.path()).unwrap().count(), before);

        // With the folder the index's own again, the rebuild goes through.
        for name in user_files {
            std::fs::rename(index.path().join(name), corpus.path().join(name)).unwrap();
        }
        let mut indexer = Indexer::rebuild(index.path(), Options::default()).unwrap();
        assert_eq!(indexer.update(&roots, |_| {}).unwrap().added, 1);
        for name in user_files {
            assert!(corpus.path().join(name).is_file());
        }
    }

    #[test]
    fn an_index_is_made_only_in_a_folder_of_its_own() {
        let corpus = tempfile::tempdir().unwrap();
        write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
        // The folder of reports itself.
        let err = Indexer::open_or_create(corpus.path(), Options::default()).err().unwrap();
        assert!(matches!(&err, Error::NotAnIndexFolder { others, .. } if others == &["a.txt"]));
        assert!(Indexer::rebuild(corpus.path(), Options::default()).is_err());
        assert!(!corpus.path().join("meta.json").try_exists().unwrap());
        // A file.
        let err =
            Indexer::open_or_create(corpus.path().join("a.txt"), Options::default()).err().unwrap();
        assert!(matches!(err, Error::NotAFolder { .. }), "{err:?}");
        let err = Indexer::rebuild(corpus.path().join("a.txt"), Options::default()).err().unwrap();
        assert!(matches!(err, Error::NotAFolder { .. }), "{err:?}");
        // An empty folder that is then named as the folder of reports.
        let empty = tempfile::tempdir().unwrap();
        let mut indexer = Indexer::open_or_create(empty.path(), Options::default()).unwrap();
        let err = indexer.update(&[empty.path().to_path_buf()], |_| {}).unwrap_err();
        assert!(matches!(err, Error::CorpusIsIndex { .. }), "{err:?}");
    }
}
