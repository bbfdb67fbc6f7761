//! Library errors turned into one-line messages that say what to do.

use std::path::Path;

use anyhow::anyhow;

use crate::printer::one_line;

/// Indexer errors, with what to do about them.
pub fn describe_index_error(err: dateline_indexer::Error, dir: &Path) -> anyhow::Error {
    use dateline_indexer::Error;
    let hint = match &err {
        Error::Locked { .. } => {
            "wait for the other `dateline index` to finish, or stop it".to_string()
        }
        Error::Open { .. } | Error::Format(_) => rebuild_hint(dir),
        Error::CorpusIsIndex { .. } => {
            "name the folder of reports, and keep the index in a folder of its own with --index DIR".to_string()
        }
        Error::Corpus { .. } => "check the folder name".to_string(),
        Error::NotAFolder { .. } => {
            "choose a folder for the index (a new or empty one) with --index DIR".to_string()
        }
        Error::NotAnIndexFolder { .. } => {
            "choose a new or empty folder for the index with --index DIR".to_string()
        }
        Error::SharedFolder { .. } => {
            "move those files elsewhere and run again, or rebuild into a new folder with --index DIR".to_string()
        }
        Error::DiskLow { .. } => {
            "the last commit is intact and searchable; free space on that disk, or keep the index on another disk with --index DIR".to_string()
        }
        Error::Write { .. } => {
            "the last commit is intact and searchable; fix the cause (e.g. free disk space) and run again"
                .to_string()
        }
        Error::Io { path, error } if path == dir => {
            return anyhow!("{}", path_problem(dir, error.kind(), Use::Make));
        }
        _ => return anyhow::Error::new(err),
    };
    anyhow!("{err}; {hint}")
}

/// What an index folder is needed for, in the message about a path that cannot serve.
#[derive(Clone, Copy)]
enum Use {
    Make,
    Read,
}

/// Why `dir` cannot be made or read as an index folder, named in a person's words with the
/// fix, instead of the OS's `Not a directory (os error 20)`.
fn path_problem(dir: &Path, kind: std::io::ErrorKind, purpose: Use) -> String {
    use std::io::ErrorKind;
    let verb = match purpose {
        Use::Make => "make",
        Use::Read => "read",
    };
    let shown = one_line(dir);
    let elsewhere = "choose another folder for the index with --index DIR";
    // The nearest part of the path that exists tells what is in the way.
    let existing = dir.ancestors().skip(1).find(|part| std::fs::symlink_metadata(part).is_ok());
    if let Some(part) = existing.filter(|part| !part.is_dir()) {
        return format!(
            "cannot {verb} the index folder {shown}: {} is a file, not a folder; {elsewhere}",
            one_line(part)
        );
    }
    let place = existing.map(one_line).unwrap_or_else(|| shown.clone());
    match kind {
        ErrorKind::PermissionDenied => format!(
            "cannot {verb} the index folder {shown}: permission denied in {place}; {elsewhere}, or ask for access to {place}"
        ),
        ErrorKind::ReadOnlyFilesystem => format!(
            "cannot {verb} the index folder {shown}: {place} is on a read-only disk; {elsewhere}"
        ),
        ErrorKind::NotFound => format!(
            "cannot {verb} the index folder {shown}: {place} does not accept new folders (a system or virtual file system?); {elsewhere}"
        ),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => format!(
            "cannot {verb} the index folder {shown}: no space left on the disk of {place}; free space or {elsewhere}"
        ),
        other => format!("cannot {verb} the index folder {shown}: {other}; {elsewhere}"),
    }
}

fn rebuild_hint(dir: &Path) -> String {
    format!("rebuild it with: dateline index --rebuild --index {}", dir.display())
}

/// Index-opening errors of a search, with what to do about them.
pub fn describe_open_error(err: dateline_query::Error, dir: &Path) -> anyhow::Error {
    use dateline_query::Error;
    if dir.is_file() {
        return anyhow!(
            "the index path {} is a file, not a folder; name the index folder with --index DIR",
            one_line(dir)
        );
    }
    // A file where a folder of the path should be: there is no index to rebuild.
    if dir
        .ancestors()
        .skip(1)
        .any(|part| std::fs::symlink_metadata(part).is_ok_and(|m| !m.is_dir()))
    {
        return anyhow!("{}", path_problem(dir, std::io::ErrorKind::NotADirectory, Use::Read));
    }
    let hint = match &err {
        Error::NotFound { .. } => {
            format!("build one with: dateline index --index {} DIR", dir.display())
        }
        Error::Format(_) | Error::Read { .. } => rebuild_hint(dir),
        // A healthy index behind a permission: rebuilding would not help.
        Error::Denied { .. } => {
            "check that you may read that folder and its files (it need not be writable)"
                .to_string()
        }
        _ => return anyhow::Error::new(err),
    };
    anyhow!("{err}; {hint}")
}
