use std::path::{Component, Path, PathBuf};
use std::sync::{PoisonError, RwLock};

use dateline_schema::{Fields, IndexManifest, StoredReport};
use tantivy::{IndexReader, ReloadPolicy};

use crate::directory::ReadableDirectory;
use crate::parse::Parser;
use crate::{Error, Result};
use serde::Serialize;

/// An open Dateline index: the one handle an embedder needs.
///
/// Each [`Index::search`] sees the latest commit that has been loaded: commits made by a
/// `dateline index` run after opening are picked up automatically within a moment, or at
/// once with [`Index::reload`].
pub struct Index {
    pub(crate) dir: PathBuf,
    pub(crate) fields: Fields,
    pub(crate) reader: IndexReader,
    pub(crate) parser: Parser,
    /// The indexed folders of the last manifest read; refreshed when a commit adds one.
    folders: RwLock<Folders>,
    /// The stories of hits, remembered for the commit last searched.
    pub(crate) stories: crate::remembered::PerCommit<crate::Story>,
    /// The copy groups of hits, remembered for the commit last searched.
    pub(crate) copy_groups: crate::remembered::PerCommit<crate::copies::Group>,
    /// The fast columns of the segments searched lately.
    pub(crate) open_columns: crate::columns::OpenColumns,
}

// An `Index` is shared across threads by servers; keep it so.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Index>();
};

impl Index {
    /// Opens the index in `dir` (the folder `dateline index` writes, e.g. `index-data/index`).
    pub fn open(dir: impl AsRef<Path>) -> Result<Index> {
        let dir = dir.as_ref();
        let read_error =
            |source: Box<dyn std::error::Error + Send + Sync>| match denied(source.as_ref()) {
                true => Error::Denied { path: dir.into(), source },
                false => Error::Read { path: dir.into(), source },
            };
        let exists = dir.join("meta.json").try_exists().map_err(|err| read_error(err.into()))?;
        if !exists {
            return Err(Error::NotFound { path: dir.into() });
        }
        let directory = ReadableDirectory::open(dir).map_err(|err| read_error(err.into()))?;
        let index = tantivy::Index::open(directory).map_err(|err| read_error(err.into()))?;
        dateline_schema::languages::register(&index);
        let fields = Fields::from_schema(&index.schema())?;
        let manifest = IndexManifest::of(&index, dir)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(|err: tantivy::TantivyError| read_error(err.into()))?;
        let parser = Parser::new(&index, fields);
        let folders = RwLock::new(Folders::new(manifest.roots));
        Ok(Index {
            dir: dir.into(),
            fields,
            reader,
            parser,
            folders,
            stories: Default::default(),
            copy_groups: Default::default(),
            open_columns: Default::default(),
        })
    }

    /// Loads the latest commit now, rather than within a moment of it.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload().map_err(|err| self.read_error(err))
    }

    /// Number of reports in the loaded commit.
    pub fn num_reports(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The folders of reports the index mirrors (absolute paths), as of the last commit read;
    /// empty for an index that has never been committed to.
    pub fn folders(&self) -> Vec<PathBuf> {
        self.folders.read().unwrap_or_else(PoisonError::into_inner).paths.clone()
    }

    /// What the index holds now: it loads the latest commit first.
    pub fn status(&self) -> Result<Status> {
        self.reload()?;
        let manifest = self.manifest()?;
        let status = Status {
            index: std::fs::canonicalize(&self.dir).unwrap_or_else(|_| self.dir.clone()),
            reports: self.num_reports(),
            folders: manifest.roots.clone(),
            last_commit: manifest.committed_at,
        };
        self.set_folders(manifest.roots);
        Ok(status)
    }

    /// The manifest of the latest commit on disk.
    fn manifest(&self) -> Result<IndexManifest> {
        Ok(IndexManifest::of(self.reader.searcher().index(), &self.dir)?)
    }

    fn set_folders(&self, paths: Vec<PathBuf>) {
        *self.folders.write().unwrap_or_else(PoisonError::into_inner) = Folders::new(paths);
    }

    /// The [`crate::Attribution::name`] of `report`: its file's name, then its record's place.
    pub(crate) fn name_of(&self, report: &StoredReport) -> String {
        self.report_name(&report.path, report.record.as_deref())
    }

    /// The name of the report at `path`, `record` within it (a report of a file of many).
    pub(crate) fn report_name(&self, path: &str, record: Option<&str>) -> String {
        let mut name = self.file_name_of(path);
        name.push_str(record.unwrap_or(""));
        name
    }

    /// The name of the file stored at `path`.
    pub(crate) fn file_name_of(&self, path: &str) -> String {
        let path = Path::new(path);
        if let Some(name) = self.folders.read().unwrap_or_else(PoisonError::into_inner).name(path) {
            return name;
        }
        // The report is in a folder added by a commit made since the folders were read.
        if let Ok(manifest) = self.manifest() {
            self.set_folders(manifest.roots);
            if let Some(name) =
                self.folders.read().unwrap_or_else(PoisonError::into_inner).name(path)
            {
                return name;
            }
        }
        path.to_string_lossy().into_owned()
    }

    /// The stored paths a report name may stand for, in folder order; none for a name that
    /// is not relative and plain (`..`, `.`, an absolute path, an empty component).
    pub(crate) fn paths_named(&self, name: &str) -> Vec<PathBuf> {
        let plain = !name.is_empty()
            && name.split('/').all(|part| !part.is_empty())
            && Path::new(name).components().all(|c| matches!(c, Component::Normal(_)));
        if !plain {
            return Vec::new();
        }
        let folders = self.folders.read().unwrap_or_else(PoisonError::into_inner);
        folders
            .paths
            .iter()
            .zip(&folders.labels)
            .filter_map(|(folder, label)| match label.is_empty() {
                // The file system's root: names have no folder part.
                true => Some(folder.join(name)),
                false => {
                    let rest = name.strip_prefix(label.as_str())?.strip_prefix('/')?;
                    (!rest.is_empty()).then(|| folder.join(rest))
                }
            })
            .collect()
    }

    pub(crate) fn read_error(&self, err: tantivy::TantivyError) -> Error {
        Error::Read { path: self.dir.clone(), source: err.into() }
    }
}

/// Whether `err`, or an error it wraps, is the operating system refusing access.
fn denied(err: &(dyn std::error::Error + 'static)) -> bool {
    let io_denied = |io: &std::io::Error| {
        matches!(
            io.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
        )
    };
    let here = match err.downcast_ref::<tantivy::TantivyError>() {
        Some(tantivy::TantivyError::IoError(io)) => io_denied(io),
        Some(tantivy::TantivyError::LockFailure(
            tantivy::directory::error::LockError::IoError(io),
            _,
        )) => io_denied(io),
        _ => err.downcast_ref::<std::io::Error>().is_some_and(io_denied),
    };
    here || err.source().is_some_and(denied)
}

/// What an index holds, from [`Index::status`].
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Status {
    /// The index folder (absolute, when it can be resolved).
    pub index: PathBuf,
    /// Number of reports.
    pub reports: u64,
    /// The folders of reports it mirrors (absolute paths).
    pub folders: Vec<PathBuf>,
    /// When its last commit was made; `None` for an index never committed to, or last
    /// committed by a build that did not record the time.
    pub last_commit: Option<jiff::Timestamp>,
}

/// The indexed folders, with the label each contributes to report names (see [`labels`]),
/// worked out once per manifest rather than once per hit.
struct Folders {
    paths: Vec<PathBuf>,
    labels: Vec<String>,
}

impl Folders {
    fn new(paths: Vec<PathBuf>) -> Folders {
        let labels = labels(&paths);
        Folders { paths, labels }
    }

    /// The name of `path` under the deepest folder that holds it: the folder's label, then
    /// the path within it.
    fn name(&self, path: &Path) -> Option<String> {
        let (label, within) = self
            .paths
            .iter()
            .zip(&self.labels)
            .filter_map(|(folder, label)| Some((folder, label, path.strip_prefix(folder).ok()?)))
            .max_by_key(|(folder, _, _)| folder.as_os_str().len())
            .map(|(_, label, within)| (label, within))?;
        let parts = (!label.is_empty()).then_some(label.clone()).into_iter();
        let within = within.iter().map(|part| part.to_string_lossy().into_owned());
        Some(parts.chain(within).collect::<Vec<_>>().join("/"))
    }
}

/// The last `k` parts of `of`, if it has that many.
fn suffix(of: &[String], k: usize) -> Option<&[String]> {
    of.len().checked_sub(k).map(|start| &of[start..])
}

/// What names each folder in report names: its own name, or, when another folder has the
/// same name, as many of its parents as tell them apart (`a/news`, `b/news`).
fn labels(folders: &[PathBuf]) -> Vec<String> {
    let parts: Vec<Vec<String>> = folders
        .iter()
        .map(|folder| {
            folder
                .components()
                .filter_map(|c| match c {
                    Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect()
        })
        .collect();
    parts
        .iter()
        .enumerate()
        .map(|(i, mine)| {
            let unique = (1..=mine.len()).find(|&k| {
                let label = suffix(mine, k);
                parts.iter().enumerate().all(|(j, other)| j == i || suffix(other, k) != label)
            });
            mine[mine.len() - unique.unwrap_or(mine.len())..].join("/")
        })
        .collect()
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index").field("dir", &self.dir).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_with_one_name_are_told_apart_by_their_parents() {
        let folders = Folders::new(
            ["/data/a/news", "/data/b/news", "/srv/wires", "/news"].map(PathBuf::from).into(),
        );
        assert_eq!(folders.labels, ["a/news", "b/news", "wires", "news"]);
        let name = |path: &str| folders.name(Path::new(path)).unwrap();
        assert_eq!(name("/data/a/news/same.txt"), "a/news/same.txt");
        assert_eq!(name("/data/b/news/same.txt"), "b/news/same.txt");
        assert_eq!(name("/news/x/y.txt"), "news/x/y.txt");
        assert_eq!(labels(&[PathBuf::from("/")]), [""]);
    }
}
