//! Finding what there is: the report files under the folders (walked and `stat`ed) and what
//! the index holds of each, read side by side so neither waits on the other.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use dateline_schema::{FileStamp, IndexedReport};

use crate::walk::{self, Candidate};
use crate::{CorpusError, Error, Result, Skip, Skipped};

/// What a scan found.
pub(crate) struct Scan {
    /// Report files, in no particular order, possibly one file under several paths.
    pub found: Vec<Candidate>,
    /// Files and folders passed over, in the order met.
    pub skipped: Vec<Skipped>,
    /// Paths that could not be listed: the reports under them may still exist.
    pub unwalkable: Vec<PathBuf>,
    /// Regular files of a kind not read.
    pub not_read: Vec<PathBuf>,
    /// What the index holds, by path.
    pub indexed: HashMap<String, FileStamp>,
}

/// Walks `roots` (canonical, from [`canonical_roots`]), never entering `exclude` (the index's
/// own folder), while `indexed` reads what the index holds on another thread.
pub(crate) fn scan(
    roots: &[PathBuf],
    exclude: &Path,
    follow_outside: bool,
    indexed: impl FnOnce() -> Result<HashMap<String, FileStamp>> + Send,
) -> Result<Scan> {
    let started = std::time::Instant::now();
    let (indexed, entries, mut not_read) = std::thread::scope(|scope| {
        let indexed = scope.spawn(indexed);
        let mut entries = Vec::new();
        let mut files = Vec::new();
        let mut not_read = Vec::new();
        for root in roots {
            let (walked, unread) = walk::walk(root, roots, exclude, follow_outside);
            not_read.extend(unread);
            for entry in walked {
                match entry {
                    Ok(path) => files.push(path),
                    Err(skipped) => entries.push(Err(skipped)),
                }
            }
        }
        tracing::debug!(files = files.len(), elapsed = ?started.elapsed(), "walked the folders");
        entries.extend(walk::stat_all(files));
        let indexed = indexed.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (indexed, entries, not_read)
    });
    let indexed = indexed?;
    tracing::debug!(reports = indexed.len(), elapsed = ?started.elapsed(), "read what the index holds");
    not_read.sort();
    let mut scan =
        Scan { found: Vec::new(), skipped: Vec::new(), unwalkable: Vec::new(), not_read, indexed };
    for entry in entries {
        match entry {
            Ok(candidate) => scan.found.push(candidate),
            Err(skipped) => {
                // A symlink now left unfollowed, or a special file, no longer holds
                // reports; a folder that failed to list may still.
                if let Skip::Unreadable { .. } = skipped.reason {
                    scan.unwalkable.push(skipped.path.clone());
                }
                scan.skipped.push(skipped);
            }
        }
    }
    Ok(scan)
}

/// What the last commit of `index` holds, by path, read from fast columns (no stored text).
pub(crate) fn indexed_files(
    index: &tantivy::Index,
    dir: &Path,
) -> Result<HashMap<String, FileStamp>> {
    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .map_err(Error::open::<tantivy::TantivyError>(dir))?;
    let searcher = reader.searcher();
    let mut files: HashMap<String, FileStamp> = HashMap::new();
    // Hashes of (path, record) seen: a file holds many records, but each once.
    let mut seen = std::collections::HashSet::new();
    for segment in searcher.segment_readers() {
        let reports = FileStamp::read_segment(segment).map_err(Error::open(dir))?;
        for IndexedReport { path, record, stamp } in reports {
            let mut hasher = xxhash_rust::xxh3::Xxh3::new();
            hasher.update(path.as_bytes());
            hasher.update(&[0]);
            hasher.update(record.as_deref().unwrap_or("").as_bytes());
            let twice = !seen.insert(hasher.digest128());
            let known = files.get(&path).copied();
            if known.is_some_and(|known| known.mtime_ns == u64::MAX) {
                continue; // already to be read again
            }
            if twice || known.is_some_and(|known| known != stamp) {
                // Two documents for one report: a delete was lost (seen after runs were
                // killed with -9 mid-merge). A time no file has makes this run read the file
                // again, delete all its documents and add them once.
                tracing::warn!(path = %path, "indexed twice; re-indexing it");
                files.insert(path, FileStamp { mtime_ns: u64::MAX, ..stamp });
            } else {
                files.insert(path, stamp);
            }
        }
    }
    Ok(files)
}

/// The folders to walk: absolute, existing, each once, none inside another (its files
/// would be found twice), and with UTF-8 names (they are recorded in the commit as text).
pub(crate) fn canonical_roots(roots: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut canonical = Vec::with_capacity(roots.len());
    for root in roots {
        let corpus_error = |source| Error::Corpus { path: root.clone(), source };
        let path = std::fs::canonicalize(root)
            .map_err(|err| corpus_error(CorpusError::Unopenable(err)))?;
        if !path.is_dir() {
            return Err(corpus_error(CorpusError::NotAFolder));
        }
        if path.to_str().is_none() {
            return Err(corpus_error(CorpusError::NameNotUtf8));
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
