//! Opening the index a search or the server reads, and the bundled index: the one place
//! that knows `index-data/index` is built from `index-data/` on first use.

use std::path::Path;

use anyhow::{Context, Result};
use dateline_indexer::{Indexer, Options};
use dateline_query::Index;

use crate::args::{DEFAULT_INDEX, DEFAULT_REPORTS};
use crate::errors::{describe_index_error, describe_open_error};
use crate::messages::Messages;
use crate::progress;

/// Whether `index` is the bundled index, the one Dateline builds by itself.
pub fn is_bundled(index: &Path) -> bool {
    index == Path::new(DEFAULT_INDEX)
}

/// Opens the index for searching. The bundled index is built from the bundled reports the
/// first time, when a first build was interrupted before its first commit, and when it was
/// built by a version of Dateline with another index format.
pub fn open_for_search(dir: &Path, messages: &Messages) -> Result<Index> {
    let bundled = is_bundled(dir) && Path::new(DEFAULT_REPORTS).is_dir();
    let why = match Index::open(dir) {
        Err(dateline_query::Error::NotFound { .. }) if bundled => "no index yet",
        Err(dateline_query::Error::Format(_)) if bundled => "an index of another Dateline format",
        Ok(index) if bundled && index.folders().is_empty() => "an empty index",
        Err(err) => return Err(describe_open_error(err, dir)),
        Ok(index) => return Ok(index),
    };
    build_bundled(dir, Path::new(DEFAULT_REPORTS), why, messages)?;
    Index::open(dir).with_context(|| format!("opening the index just built at {}", dir.display()))
}

/// Builds the bundled `index` from `reports` (from scratch) for a search that cannot use it.
fn build_bundled(index: &Path, reports: &Path, why: &str, messages: &Messages) -> Result<()> {
    messages.note(&format!(
        "{why} at {}; building it from {}/ first",
        index.display(),
        reports.display()
    ));
    let mut indexer = Indexer::rebuild(index, Options::default())
        .map_err(|err| describe_index_error(err, index))?;
    progress::update(&mut indexer, &[reports.to_path_buf()], None, messages, false)?;
    indexer.finish().map_err(|err| describe_index_error(err, index))?;
    Ok(())
}
