//! The index's own folder: its writer lock, and which of its files the index wrote (the only
//! files a rebuild may delete).

use std::path::Path;

use tantivy::directory::error::LockError;

use crate::{Error, Result};

/// Takes the index's writer lock, as tantivy's `IndexWriter` does.
pub(crate) fn lock(dir: &Path) -> Result<tantivy::directory::DirectoryLock> {
    use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};
    let directory = MmapDirectory::open(dir).map_err(Error::open(dir))?;
    directory.acquire_lock(&INDEX_WRITER_LOCK).map_err(|err| match err {
        LockError::LockBusy => Error::Locked { path: dir.into() },
        err => Error::open(dir)(err),
    })
}

/// Whether `name` is a file an index writes into its folder: tantivy's segment files
/// (`<32 hex digits>.idx`, `.pos`, `.term`, `.store`, `.store.temp`, `.fast`, `.fieldnorm`,
/// `<32 hex digits>.<opstamp>.del`), `meta.json`, `.managed.json`, its lock files
/// (`.tantivy-*.lock`) and the temporary files of its atomic writes (`.tmpXXXXXX`).
/// Dateline writes nothing else there: its manifest is the commit payload in `meta.json`.
pub(crate) fn is_index_file(name: &str) -> bool {
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
pub(crate) fn others_in(dir: &Path) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(dir).map_err(Error::io(dir))?;
    let mut others = Vec::new();
    for entry in entries {
        let entry = entry.map_err(Error::io(dir))?;
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

/// Deletes the index's own files ([`is_index_file`]) from `dir`, and nothing else.
pub(crate) fn delete_index_files(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(Error::io(dir))?;
    for entry in entries {
        let entry = entry.map_err(Error::io(dir))?;
        let path = entry.path();
        let ours = entry.file_name().to_str().is_some_and(is_index_file);
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            std::fs::remove_file(&path).map_err(Error::io(&path))?;
        }
    }
    Ok(())
}

/// Bytes the index's own files in `dir` take.
pub(crate) fn size(dir: &Path) -> Result<u64> {
    let mut bytes = 0;
    for entry in std::fs::read_dir(dir).map_err(Error::io(dir))? {
        let entry = entry.map_err(Error::io(dir))?;
        if entry.file_name().to_str().is_some_and(is_index_file) {
            // A file deleted by a merge since it was listed takes no space.
            bytes += entry.metadata().map_or(0, |metadata| metadata.len());
        }
    }
    Ok(bytes)
}
