//! Which files under a folder are reports.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::{Skip, Skipped};

/// File extensions read as plain-text reports (compared case-insensitively).
pub const REPORT_EXTENSIONS: [&str; 4] = ["txt", "text", "md", "markdown"];

/// A report file found by the walk, with what `stat` says of it.
#[derive(Debug)]
pub(crate) struct Candidate {
    pub path: PathBuf,
    pub key: String,
    /// Identifies the file itself, whatever path reached it.
    pub file_id: FileId,
    pub len: u64,
    pub mtime_ns: u64,
}

/// Walks `root`, yielding report files and the files it had to pass over, in the order the
/// file system lists them (the caller sorts).
/// Hidden files and folders, and `exclude` (the index's own folder), are not entered.
pub(crate) fn walk<'a>(
    root: &'a Path,
    exclude: &'a Path,
) -> impl Iterator<Item = Result<Candidate, Skipped>> + 'a {
    walkdir::WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(move |entry| {
            let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
            // Compared as bytes: `Path`'s `!=` parses both paths into components.
            !hidden && entry.path().as_os_str() != exclude.as_os_str()
        })
        .filter_map(|entry| match entry {
            Err(err) => {
                let path = err.path().unwrap_or(Path::new("")).to_path_buf();
                let reason = match err.loop_ancestor() {
                    Some(ancestor) => Skip::Unreadable {
                        reason: format!("symlink loop to {}", ancestor.display()),
                    },
                    None => Skip::Unreadable { reason: io_reason(&err) },
                };
                Some(Err(Skipped { path, reason }))
            }
            Ok(entry) if !entry.file_type().is_file() || !is_report(entry.path()) => None,
            Ok(entry) => Some(candidate(entry.into_path())),
        })
}

fn is_report(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| REPORT_EXTENSIONS.iter().any(|known| ext.eq_ignore_ascii_case(known)))
}

fn candidate(path: PathBuf) -> Result<Candidate, Skipped> {
    let Some(key) = path.to_str().map(str::to_owned) else {
        return Err(Skipped { path, reason: Skip::NameNotUtf8 });
    };
    let metadata = match std::fs::metadata(&path) {
        Ok(metadata) => metadata,
        Err(err) => {
            return Err(Skipped { path, reason: Skip::Unreadable { reason: err.to_string() } });
        }
    };
    let mtime_ns = metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |age| u64::try_from(age.as_nanos()).unwrap_or(u64::MAX));
    Ok(Candidate { file_id: file_id(&metadata, &key), path, key, len: metadata.len(), mtime_ns })
}

/// Identifies a file: device and inode on Unix; elsewhere a hash of the path (so files
/// reached through symlinks are not merged there).
pub(crate) type FileId = (u64, u64);

#[cfg(unix)]
fn file_id(metadata: &std::fs::Metadata, _key: &str) -> FileId {
    use std::os::unix::fs::MetadataExt;
    (metadata.dev(), metadata.ino())
}

#[cfg(not(unix))]
fn file_id(_metadata: &std::fs::Metadata, key: &str) -> FileId {
    (0, xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

fn io_reason(err: &walkdir::Error) -> String {
    match err.io_error() {
        Some(io) => io.to_string(),
        None => err.to_string(),
    }
}
