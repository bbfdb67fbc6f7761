//! Finding what there is: the report files under the folders (walked and `stat`ed) and what
//! the index holds of each, read side by side in path order, each on a thread of its own,
//! and diffed into plans a batch at a time. Neither side is ever held whole: a run's memory
//! does not grow with the number of reports.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender};

use dateline_schema::FileStamp;

use crate::plan::{Plan, Planner};
use crate::walk::{self, Walked};
use crate::{CorpusError, Error, Result, Skip, Skipped};

/// Files planned and handed on at once; also how far each side may run ahead.
const BATCH: usize = 2048;

/// What a scan hands on, in order.
pub(crate) enum Step {
    /// A file or folder passed over.
    Skipped(Skipped),
    /// A regular file of a kind not read.
    NotRead(PathBuf),
    /// The walk is over, having found this many report files (each once).
    Walked {
        /// Report files found.
        files: usize,
    },
    /// A batch of files to act on, in path order.
    Plan(Plan),
}

/// A file the walk found, `stat`ed, or what it met instead.
enum Found {
    Report(walk::Candidate),
    Skipped(Skipped),
    NotRead(PathBuf),
}

/// Which files a scan looks at.
#[derive(Clone, Copy)]
pub(crate) enum Scope<'a> {
    /// Every file under the roots: the walk meets each once.
    All,
    /// Only these paths, files or folders, present or gone: what lies at or below each is
    /// walked and compared with what the index holds there, and nothing else is visited.
    Changed(&'a [PathBuf]),
}

/// Walks `roots` (canonical, from [`canonical_roots`]), or the part of them `scope` names,
/// never entering `exclude` (the index's own folder), against what `indexed` holds (the last
/// commit; `None` when every file is to be read again), calling `each` with what there is to
/// do. Stops at the first error.
pub(crate) fn scan(
    roots: &[PathBuf],
    exclude: &Path,
    follow_outside: bool,
    indexed: Option<(&tantivy::Index, &Path)>,
    scope: Scope<'_>,
    mut each: impl FnMut(Step) -> Result<()>,
) -> Result<()> {
    let parts = match scope {
        Scope::All => vec![Part { walk: roots.to_vec(), under: None }],
        Scope::Changed(paths) => changed_parts(paths, roots, exclude),
    };
    let mut files = 0;
    for part in &parts {
        files += scan_part(part, roots, exclude, follow_outside, indexed, files, &mut each)?;
    }
    Ok(())
}

/// A part of the roots scanned on its own: the paths walked, and the path at or below which
/// the index's side is read (`None`: all of it).
struct Part {
    walk: Vec<PathBuf>,
    under: Option<String>,
}

/// The parts `changed` names: each path inside a root (and outside `exclude` and hidden
/// names, where the walk never goes) once, none below another, in byte order; a path that is
/// gone is not walked, but what the index holds at or below it is still compared.
fn changed_parts(changed: &[PathBuf], roots: &[PathBuf], exclude: &Path) -> Vec<Part> {
    let mut paths: Vec<&PathBuf> = changed
        .iter()
        .filter(|path| !path.starts_with(exclude) && path.to_str().is_some())
        .filter(|path| {
            roots.iter().any(|root| {
                path.strip_prefix(root).is_ok_and(|rest| {
                    !rest.components().any(|part| part.as_os_str().as_encoded_bytes()[0] == b'.')
                })
            })
        })
        .collect();
    // Sorted by component, a folder comes just before what lies below it, so a path below
    // another is one below the last path kept.
    paths.sort();
    let mut kept: Vec<&PathBuf> = Vec::with_capacity(paths.len());
    for path in paths {
        if kept.last().is_none_or(|last| !path.starts_with(last)) {
            kept.push(path);
        }
    }
    let mut parts: Vec<Part> = kept
        .iter()
        .map(|path| Part {
            walk: if std::fs::symlink_metadata(path).is_ok() {
                vec![(*path).clone()]
            } else {
                Vec::new()
            },
            under: path.to_str().map(str::to_owned),
        })
        .collect();
    parts.sort_by_cached_key(|part| part.under.clone().map(|under| format!("{under}/")));
    parts
}

/// Scans one part, `files_before` report files having been found by the parts before it;
/// returns how many this one found.
fn scan_part(
    part: &Part,
    roots: &[PathBuf],
    exclude: &Path,
    follow_outside: bool,
    indexed: Option<(&tantivy::Index, &Path)>,
    files_before: usize,
    each: &mut impl FnMut(Step) -> Result<()>,
) -> Result<usize> {
    std::thread::scope(|scope| {
        let (found, walked) = std::sync::mpsc::sync_channel(BATCH);
        scope.spawn(move || walk_all(&part.walk, roots, exclude, follow_outside, &found));
        let (stamps, held) = std::sync::mpsc::sync_channel(BATCH);
        if let Some((index, dir)) = indexed {
            scope.spawn(move || {
                let sent =
                    crate::indexed::each(index, dir, part.under.as_deref(), |path, stamp| {
                        stamps.send(Ok((path, stamp))).is_ok()
                    });
                if let Err(error) = sent {
                    let _ = stamps.send(Err(error));
                }
            });
        } else {
            drop(stamps); // the index holds nothing
        }
        // Returning drops both receivers, which stops both threads at their next send.
        let failed = RefCell::new(None);
        let mut planner = Planner::new(Held { held, failed: &failed });
        let mut plan = Plan::default();
        for found in walked {
            match found {
                Found::Skipped(skipped) => {
                    // A symlink now left unfollowed, or a special file, no longer holds
                    // reports; a folder that failed to list may still.
                    if let Skip::Unreadable { .. } = skipped.reason {
                        planner.unwalkable(skipped.path.clone());
                    }
                    each(Step::Skipped(skipped))?;
                }
                Found::NotRead(path) => each(Step::NotRead(path))?,
                Found::Report(candidate) => planner.found(candidate, &mut plan),
            }
            if plan.len() >= BATCH {
                hand_on(std::mem::take(&mut plan), &failed, each)?;
            }
        }
        let files = planner.files();
        each(Step::Walked { files: files_before + files })?;
        planner.finish(&mut plan);
        hand_on(plan, &failed, each)?;
        Ok(files)
    })
}

/// Hands `plan` on, unless reading the index failed: a plan made against part of the index
/// would take the rest for deleted.
fn hand_on(
    plan: Plan,
    failed: &RefCell<Option<Error>>,
    each: &mut impl FnMut(Step) -> Result<()>,
) -> Result<()> {
    match failed.borrow_mut().take() {
        Some(error) => Err(error),
        None => each(Step::Plan(plan)),
    }
}

/// What the index holds, as it arrives from its thread; an error ends it and is kept.
struct Held<'a> {
    held: Receiver<Result<(String, FileStamp)>>,
    failed: &'a RefCell<Option<Error>>,
}

impl Iterator for Held<'_> {
    type Item = (String, FileStamp);

    fn next(&mut self) -> Option<(String, FileStamp)> {
        match self.held.recv().ok()? {
            Ok(held) => Some(held),
            Err(error) => {
                *self.failed.borrow_mut() = Some(error);
                None
            }
        }
    }
}

/// The walk's thread: walks each of `walk` (folders or files inside `roots`) in path order,
/// `stat`ing report files a batch at a time on all cores, and sends what it finds in path
/// order until no one listens.
fn walk_all(
    walk: &[PathBuf],
    roots: &[PathBuf],
    exclude: &Path,
    follow_outside: bool,
    found: &SyncSender<Found>,
) {
    let started = std::time::Instant::now();
    let mut batch = Vec::with_capacity(BATCH);
    let send_batch = |batch: &mut Vec<PathBuf>| {
        walk::stat_all(std::mem::take(batch)).into_iter().all(|stat| {
            let found_now = match stat {
                Ok(candidate) => Found::Report(candidate),
                Err(skipped) => Found::Skipped(skipped),
            };
            found.send(found_now).is_ok()
        })
    };
    // Roots in the byte order of their files' paths: `/a/b.c/…` comes before `/a/b/…`.
    let mut roots_in_order: Vec<&PathBuf> = walk.iter().collect();
    roots_in_order.sort_by_cached_key(|root| format!("{}/", root.display()));
    let mut listening = true;
    for root in roots_in_order {
        walk::walk(root, roots, exclude, follow_outside, &mut |walked| {
            listening = match walked {
                Walked::Report(path) => {
                    batch.push(path);
                    batch.len() < BATCH || send_batch(&mut batch)
                }
                // Sent at once, ahead of the batch's files: a folder known to be unwalkable
                // before the files after it is what the plan needs.
                Walked::Skipped(skipped) => found.send(Found::Skipped(skipped)).is_ok(),
                Walked::NotRead(path) => found.send(Found::NotRead(path)).is_ok(),
            };
            listening
        });
        if !listening {
            return;
        }
    }
    send_batch(&mut batch);
    tracing::debug!(elapsed = ?started.elapsed(), "walked the folders");
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
