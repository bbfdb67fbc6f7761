//! The commit payload, and the errors of an index this build cannot read.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::FORMAT_VERSION;

/// What every commit of a Dateline index records, as its commit payload (JSON).
///
/// It is written atomically with the documents, so it always describes the reports the
/// commit holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IndexManifest {
    /// [`FORMAT_VERSION`] of the build that made the commit.
    pub format: u32,
    /// The folders the index was built from (absolute paths), so a later run can re-scan them.
    pub roots: Vec<PathBuf>,
    /// When the commit was made. Absent from commits of builds that did not record it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committed_at: Option<jiff::Timestamp>,
    /// Field names of JSON and CSV records the user named (`--field title=hed`), as
    /// `(role, field)` pairs, so that every later run reads records the same way.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<(String, String)>,
}

impl IndexManifest {
    /// A manifest for the current format, tracking `roots`.
    pub fn new(roots: Vec<PathBuf>) -> IndexManifest {
        IndexManifest { format: FORMAT_VERSION, roots, committed_at: None, fields: Vec::new() }
    }

    /// Reads the manifest of the last commit of `index`.
    ///
    /// An index with no commit yet has an empty manifest of the current format.
    pub fn of(index: &tantivy::Index, dir: &Path) -> Result<IndexManifest, FormatError> {
        let metas = index.load_metas().map_err(|source| FormatError::Unreadable {
            path: dir.to_path_buf(),
            reason: source.to_string(),
        })?;
        let manifest = match metas.payload {
            None if metas.opstamp == 0 => IndexManifest::new(Vec::new()),
            None => return Err(FormatError::NotDateline { path: dir.to_path_buf() }),
            Some(payload) => serde_json::from_str::<IndexManifest>(&payload)
                .map_err(|_| FormatError::NotDateline { path: dir.to_path_buf() })?,
        };
        if manifest.format != FORMAT_VERSION {
            return Err(FormatError::Incompatible {
                path: dir.to_path_buf(),
                found: manifest.format,
                expected: FORMAT_VERSION,
            });
        }
        Ok(manifest)
    }

    /// The payload string to commit.
    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).expect("a manifest of paths always serializes")
    }
}

/// An index that this build cannot read as a Dateline index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The schema lacks a field this build needs.
    #[error("the index has no `{name}` field: it was not built by this version of Dateline")]
    MissingField {
        /// The missing field.
        name: &'static str,
    },
    /// The index was written by another format version.
    #[error("index at {} has format {found}; this build reads format {expected}", .path.display())]
    Incompatible {
        /// The index folder.
        path: PathBuf,
        /// Format found in the index.
        found: u32,
        /// [`FORMAT_VERSION`].
        expected: u32,
    },
    /// The commit payload is missing or is not a Dateline manifest.
    #[error("index at {} was not written by Dateline", .path.display())]
    NotDateline {
        /// The index folder.
        path: PathBuf,
    },
    /// The index metadata could not be read.
    #[error("cannot read the index metadata at {}: {reason}", .path.display())]
    Unreadable {
        /// The index folder.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
}
#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn manifest_payload_round_trips() {
        let manifest = IndexManifest::new(vec![PathBuf::from("/data/reports")]);
        let back: IndexManifest = serde_json::from_str(&manifest.to_payload()).unwrap();
        assert_eq!(back, manifest);
    }
}
