//! Which files under a folder are reports.
//!
//! Symlinks are followed while they point inside the folders being indexed; one that leads
//! out of them is reported ([`Skip::OutsideFolders`]) and not followed unless asked
//! ([`crate::Options::follow_outside`]). Kernel file systems (procfs, sysfs, …) are never
//! entered, whatever leads to them: their files look regular but are not reports, and some
//! block when read or never end.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::{Skip, Skipped};

/// File extensions read (compared case-insensitively); see
/// [`dateline_schema::formats::READ_EXTENSIONS`].
pub const REPORT_EXTENSIONS: [&str; 17] = dateline_schema::formats::READ_EXTENSIONS;

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

/// What the walk meets, in the order it meets it.
pub(crate) enum Walked {
    /// A report file.
    Report(PathBuf),
    /// A file or folder passed over.
    Skipped(Skipped),
    /// A regular file of a kind not read.
    NotRead(PathBuf),
}

/// Walks `root`, calling `each` with what it meets (until `each` returns false): report files in byte order of their
/// paths (the order of the index's path dictionary, so the two can be compared as they
/// come), and the files it had to pass over as it meets them. Hidden files and folders,
/// and `exclude` (the index's own folder), are not entered. Symlinks are followed when they
/// lead inside `roots` (all canonical), or anywhere when `follow_outside`; kernel file
/// systems are never entered.
pub(crate) fn walk(
    root: &Path,
    roots: &[PathBuf],
    exclude: &Path,
    follow_outside: bool,
    each: &mut dyn FnMut(Walked) -> bool,
) {
    // Filled by the filter, which sees each entry before the walk enters it.
    let passed_over = RefCell::new(Vec::new());
    let pass_over = |entry: &walkdir::DirEntry, reason: Skip| {
        passed_over.borrow_mut().push(Skipped { path: entry.path().to_path_buf(), reason });
        false
    };
    let entries = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by(path_order)
        .into_iter()
        .filter_entry(|entry| {
            let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
            // Compared as bytes: `Path`'s `!=` parses both paths into components.
            if hidden || entry.path().as_os_str() == exclude.as_os_str() {
                return false;
            }
            let is_dir = entry.file_type().is_dir();
            if entry.path_is_symlink() {
                let Ok(target) = std::fs::canonicalize(entry.path()) else {
                    // Gone since the walk followed it: reading it will say so.
                    return true;
                };
                if target.starts_with(exclude) {
                    return false;
                }
                let inside = roots.iter().any(|root| target.starts_with(root));
                if !inside && !follow_outside {
                    return pass_over(entry, Skip::OutsideFolders { target });
                }
                if let Some(what) = special_file_system(&target, true) {
                    return pass_over(entry, Skip::Special { what });
                }
                // Only files the walk yields are reports; others are not worth a word.
                if !is_dir && !entry.file_type().is_file() && is_report(entry.path()) {
                    return pass_over(entry, Skip::Special { what: file_kind(entry.file_type()) });
                }
            } else if is_dir && entry.depth() > 0 {
                if let Some(what) = special_file_system(entry.path(), false) {
                    return pass_over(entry, Skip::Special { what });
                }
            } else if !is_dir && !entry.file_type().is_file() && is_report(entry.path()) {
                // A FIFO, socket or device named like a report: never opened.
                return pass_over(entry, Skip::Special { what: file_kind(entry.file_type()) });
            }
            true
        });
    for entry in entries {
        let passed: Vec<Skipped> = passed_over.borrow_mut().drain(..).collect();
        for skipped in passed {
            if !each(Walked::Skipped(skipped)) {
                return;
            }
        }
        let more = match entry {
            Err(err) => {
                let path = err.path().unwrap_or(Path::new("")).to_path_buf();
                let reason = match err.loop_ancestor() {
                    Some(ancestor) => Skip::Unreadable {
                        reason: format!("symlink loop to {}", ancestor.display()),
                    },
                    None => Skip::Unreadable { reason: io_reason(&err) },
                };
                each(Walked::Skipped(Skipped { path, reason }))
            }
            Ok(entry) if !entry.file_type().is_file() => true,
            Ok(entry) if !is_report(entry.path()) => each(Walked::NotRead(entry.into_path())),
            Ok(entry) => each(Walked::Report(entry.into_path())),
        };
        if !more {
            return;
        }
    }
    for skipped in passed_over.into_inner() {
        if !each(Walked::Skipped(skipped)) {
            return;
        }
    }
}

/// Orders the entries of one folder so that the walk yields paths in byte order: a
/// folder's name is compared as if followed by its separator, since that is what its files'
/// paths hold there (`a.txt` comes before the files of folder `a`, as `.` sorts before `/`).
fn path_order(a: &walkdir::DirEntry, b: &walkdir::DirEntry) -> std::cmp::Ordering {
    fn key(entry: &walkdir::DirEntry) -> impl Iterator<Item = u8> + '_ {
        let separator: &[u8] = if entry.file_type().is_dir() { b"/" } else { b"" };
        entry.file_name().as_encoded_bytes().iter().chain(separator).copied()
    }
    key(a).cmp(key(b))
}

/// What kind of file system object `file_type` is, for a message.
pub(crate) fn file_kind(file_type: std::fs::FileType) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)".into();
        }
        if file_type.is_char_device() {
            return "a character device".into();
        }
        if file_type.is_block_device() {
            return "a block device".into();
        }
        if file_type.is_socket() {
            return "a socket".into();
        }
    }
    if file_type.is_dir() {
        return "a folder".into();
    }
    "not a regular file".into()
}

/// Kernel file systems, by the magic number `statfs` gives: their files look regular but
/// are views of the kernel (some block when read, some never end, folders loop).
#[cfg(any(target_os = "linux", target_os = "android"))]
const KERNEL_FILE_SYSTEMS: [(u32, &str); 15] = [
    (0x9fa0, "procfs"),
    (0x6265_6572, "sysfs"),
    (0x6462_6720, "debugfs"),
    (0x7472_6163, "tracefs"),
    (0x7365_6366, "securityfs"),
    (0x0027_e0eb, "cgroup"),
    (0x6367_7270, "cgroup2"),
    (0x1cd1, "devpts"),
    (0xcafe_4a11, "bpf"),
    (0x6265_6570, "configfs"),
    (0x6165_676c, "pstore"),
    (0xde5e_81e4, "efivarfs"),
    (0x6573_5543, "fusectl"),
    (0x4249_4e4d, "binfmt_misc"),
    (0x6e73_6673, "nsfs"),
];

/// Top folders of kernel file systems, for systems where `statfs` says nothing.
const KERNEL_FOLDERS: [&str; 3] = ["/proc", "/sys", "/dev"];

/// The name of the kernel file system `path` is on, if it is on one. `canonical` when `path`
/// is a canonical path, so its top folder says something too.
pub(crate) fn special_file_system(path: &Path, canonical: bool) -> Option<String> {
    if let Some(top) = KERNEL_FOLDERS.iter().find(|top| canonical && path.starts_with(top)) {
        return Some(format!("under {top}, a kernel file system"));
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if let Ok(stat) = rustix::fs::statfs(path) {
        return kernel_file_system(stat.f_type as u32)
            .map(|name| format!("on {name}, a kernel file system"));
    }
    None
}

/// The name of the kernel file system of magic number `magic`, if it is one.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) fn kernel_file_system(magic: u32) -> Option<&'static str> {
    // `f_type` is 32 or 64 bits, signed or not, by target: the magic numbers fit in 32.
    KERNEL_FILE_SYSTEMS.iter().find(|(known, _)| *known == magic).map(|(_, name)| *name)
}

/// Whether `path` names a report file, by its extension.
pub fn is_report(path: &Path) -> bool {
    dateline_schema::formats::is_read(path)
}

/// `stat`s a batch of files on all cores, in the order given: on a large corpus that is most
/// of what a run that finds nothing new costs, and the kernel's path lookups parallelize well.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_walked_in_the_byte_order_of_their_paths() {
        let root = tempfile::tempdir().unwrap();
        // `.` and `-` sort before `/`, `0` after it: a folder's files fall between them.
        for name in ["a.txt", "a/x.txt", "a/b/y.txt", "a-b.txt", "a0/z.txt", "b.txt", "a/c.txt"] {
            let path = root.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "Port strike\n\nDockers walked out.\n").unwrap();
        }
        let root = std::fs::canonicalize(root.path()).unwrap();
        let mut walked = Vec::new();
        walk(&root, std::slice::from_ref(&root), Path::new("/nonexistent"), false, &mut |w| {
            if let Walked::Report(path) = w {
                walked.push(path.to_str().unwrap().to_string());
            }
            true
        });
        let mut sorted = walked.clone();
        sorted.sort();
        assert_eq!(walked.len(), 7);
        assert_eq!(walked, sorted);
    }
}
