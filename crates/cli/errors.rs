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
        Error::Write { .. } => {
            "the last commit is intact and searchable; fix the cause (e.g. free disk space) and run again"
                .to_string()
        }
        _ => return anyhow::Error::new(err),
    };
    anyhow!("{err}; {hint}")
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
