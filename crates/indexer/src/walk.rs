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
) -> impl Iterator<Item = Result<PathBuf, Skipped>> + 'a {
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
            Ok(entry) => Some(Ok(entry.into_path())),
        })
}

fn is_report(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| REPORT_EXTENSIONS.iter().any(|known| ext.eq_ignore_ascii_case(known)))
}

/// `stat`s every file, on all cores: on a large corpus that is most of what a run that
/// finds nothing new costs, and the kernel's path lookups parallelize well.
pub(crate) fn stat_all(paths: Vec<PathBuf>) -> Vec<Result<Candidate, Skipped>> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(8);
    let chunk = paths.len().div_ceil(threads).max(1);
    let mut paths = paths;
    let mut chunks = Vec::new();
    while paths.len() > chunk {
        let rest = paths.split_off(chunk);
        chunks.push(std::mem::replace(&mut paths, rest));
    }
    chunks.push(paths);
    std::thread::scope(|scope| {
        let workers: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    let mut dirs = DirCache::default();
                    chunk.into_iter().map(|path| candidate(path, &mut dirs)).collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|worker| worker.join().unwrap_or_default()).collect()
    })
}

fn candidate(path: PathBuf, dirs: &mut DirCache) -> Result<Candidate, Skipped> {
    let Some(key) = path.to_str().map(str::to_owned) else {
        return Err(Skipped { path, reason: Skip::NameNotUtf8 });
    };
    match dirs.stat(&path) {
        Ok(stat) => {
            Ok(Candidate { file_id: stat.id, path, key, len: stat.len, mtime_ns: stat.mtime_ns })
        }
        Err(err) => Err(Skipped { path, reason: Skip::Unreadable { reason: err.to_string() } }),
    }
}

/// What `stat` says of a file.
struct Stat {
    id: FileId,
    len: u64,
    mtime_ns: u64,
}

/// Stats files relative to their folder, kept open while consecutive files share it: the
/// kernel then resolves one name instead of the whole path, which is most of a stat's cost.
#[derive(Default)]
pub(crate) struct DirCache {
    #[cfg(unix)]
    open: Option<(PathBuf, std::fs::File)>,
}

impl DirCache {
    #[cfg(unix)]
    fn stat(&mut self, path: &Path) -> std::io::Result<Stat> {
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return std_stat(path);
        };
        if self.open.as_ref().is_none_or(|(dir, _)| dir != parent) {
            match std::fs::File::open(parent) {
                Ok(dir) => self.open = Some((parent.to_path_buf(), dir)),
                Err(_) => return std_stat(path),
            }
        }
        let Some((_, dir)) = &self.open else { return std_stat(path) };
        // Follows symlinks, as `std::fs::metadata` does.
        let stat = rustix::fs::statat(dir, name, rustix::fs::AtFlags::empty())?;
        let nanos = (stat.st_mtime as i128) * 1_000_000_000 + stat.st_mtime_nsec as i128;
        Ok(Stat {
            id: (stat.st_dev as u64, stat.st_ino as u64),
            len: stat.st_size as u64,
            mtime_ns: u64::try_from(nanos).unwrap_or(0),
        })
    }

    #[cfg(not(unix))]
    fn stat(&mut self, path: &Path) -> std::io::Result<Stat> {
        std_stat(path)
    }
}

fn std_stat(path: &Path) -> std::io::Result<Stat> {
    let metadata = std::fs::metadata(path)?;
    let mtime_ns = metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |age| u64::try_from(age.as_nanos()).unwrap_or(u64::MAX));
    Ok(Stat { id: file_id(&metadata, path.to_str().unwrap_or("")), len: metadata.len(), mtime_ns })
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
