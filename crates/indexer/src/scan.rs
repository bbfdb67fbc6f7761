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

/// Walks `roots` (canonical, from [`canonical_roots`]), never entering `exclude` (the index's
/// own folder), against what `indexed` holds (the last commit; `None` when every file is to
/// be read again), calling `each` with what there is to do. Stops at the first error.
pub(crate) fn scan(
    roots: &[PathBuf],
    exclude: &Path,
    follow_outside: bool,
    indexed: Option<(&tantivy::Index, &Path)>,
    mut each: impl FnMut(Step) -> Result<()>,
) -> Result<()> {
    std::thread::scope(|scope| {
        let (found, walked) = std::sync::mpsc::sync_channel(BATCH);
        scope.spawn(move || walk_all(roots, exclude, follow_outside, &found));
        let (stamps, held) = std::sync::mpsc::sync_channel(BATCH);
        if let Some((index, dir)) = indexed {
            scope.spawn(move || {
                let sent = crate::indexed::each(index, dir, |path, stamp| {
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
                hand_on(std::mem::take(&mut plan), &failed, &mut each)?;
            }
        }
        each(Step::Walked { files: planner.files() })?;
        planner.finish(&mut plan);
        hand_on(plan, &failed, &mut each)
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

/// The walk's thread: walks each root in path order, `stat`ing report files a batch at a
/// time on all cores, and sends what it finds in path order until no one listens.
fn walk_all(roots: &[PathBuf], exclude: &Path, follow_outside: bool, found: &SyncSender<Found>) {
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
    let mut roots_in_order: Vec<&PathBuf> = roots.iter().collect();
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
