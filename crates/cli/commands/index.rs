//! `dateline index`: make the index mirror folders of reports, once or continuously.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use dateline_indexer::{Indexer, Options};

use crate::args::{DEFAULT_REPORTS, IndexArgs};
use crate::errors::describe_index_error;
use crate::exit::Exit;
use crate::messages::Messages;
use crate::open::is_bundled;
use crate::printer::one_line;
use crate::progress::update;

/// How long the folders must be quiet before `--watch` re-indexes.
const WATCH_DEBOUNCE: Duration = Duration::from_millis(500);

/// Changed paths `--watch` compares one by one; past this many, comparing the whole folders
/// (one walk in path order) is the cheaper way.
const WATCH_MAX_PATHS: usize = 10_000;

pub fn run(args: IndexArgs, messages: &Messages) -> Result<Exit> {
    let fields =
        args.fields.iter().fold(dateline_indexer::FieldNames::default(), |names, (role, field)| {
            names.name(*role, field)
        });
    let options = Options::default()
        .fields(fields)
        .max_file_size(args.max_file_size)
        .max_line_length(args.max_line_length)
        .follow_outside(args.follow_outside);
    let has_index = args.index.join("meta.json").try_exists().unwrap_or(true);
    if args.dirs.is_empty() && !has_index {
        // Outside the repository there are no bundled reports to fall back on.
        if !is_bundled(&args.index) || !Path::new(DEFAULT_REPORTS).is_dir() {
            bail!(no_folders_message(&args.index));
        }
    }
    // Every named folder is checked before anything is said or created: a typo must not
    // first announce that the index's folders will be dropped, nor leave an empty index.
    for dir in &args.dirs {
        match std::fs::metadata(dir) {
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => bail!(
                "{} is a file, not a folder of reports; name the folder that holds it",
                one_line(dir)
            ),
            Err(err) => bail!(
                "cannot open the folder of reports {}: {err}; check the name (nothing was changed)",
                one_line(dir)
            ),
        }
    }
    let mut indexer = if args.rebuild {
        Indexer::rebuild(&args.index, options)
    } else {
        Indexer::open_or_create(&args.index, options)
    }
    .map_err(|err| describe_index_error(err, &args.index))?;

    let roots = roots_to_index(&args, &indexer)?;
    for gone in indexer.roots().iter().filter(|old| !is_listed(old, &roots)) {
        messages.note(&format!(
            "{} is no longer listed; its reports will be removed from the index",
            gone.display()
        ));
    }
    let summary = update(&mut indexer, &roots, None, messages, args.json)?;

    if args.watch {
        watch(&mut indexer, &roots, messages, args.json)?;
    } else if summary.committed {
        finish_merges(indexer, &args.index, messages)?;
    }
    Ok(Exit::Found)
}

/// Waits for the merges the run's commit started. A merge of large segments can take a
/// minute after the summary line, so a wait longer than a moment says what it is waiting for.
fn finish_merges(indexer: Indexer, index: &Path, messages: &Messages) -> Result<()> {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        let merges = scope.spawn(move || {
            let merged = indexer.finish();
            let _ = done.send(());
            merged
        });
        if let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(Duration::from_secs(2)) {
            messages.note(
                "merging the index's segments (the run is committed and searchable already; \
                 stopping now leaves the segments unmerged until the next run that commits)",
            );
        }
        match merges.join() {
            Ok(merged) => merged.map_err(|err| describe_index_error(err, index)),
            Err(_) => bail!("merging the segments of {} failed unexpectedly", index.display()),
        }
    })
}

/// The folders named on the command line; else those the index mirrors; else, for the
/// default index, the bundled reports.
fn roots_to_index(args: &IndexArgs, indexer: &Indexer) -> Result<Vec<PathBuf>> {
    if !args.dirs.is_empty() {
        return Ok(args.dirs.clone());
    }
    if !indexer.roots().is_empty() {
        return Ok(indexer.roots().to_vec());
    }
    if is_bundled(&args.index) {
        return Ok(vec![PathBuf::from(DEFAULT_REPORTS)]);
    }
    bail!(no_folders_message(&args.index))
}

fn no_folders_message(index: &Path) -> String {
    format!(
        "the index at {} does not know which folders to index yet; name them: dateline index --index {} DIR...",
        index.display(),
        index.display()
    )
}

fn is_listed(old: &Path, roots: &[PathBuf]) -> bool {
    roots.iter().any(|root| std::fs::canonicalize(root).is_ok_and(|root| root == old))
}

/// Re-indexes whenever files under `roots` change, until Ctrl-C: only the paths the watcher
/// named are visited, so a change costs what it touches, not a walk of the folders. Each
/// update commits, so stopping at any moment leaves a committed index.
fn watch(indexer: &mut Indexer, roots: &[PathBuf], messages: &Messages, json: bool) -> Result<()> {
    use notify::{EventKind, RecursiveMode, Watcher};
    use std::sync::mpsc::RecvTimeoutError;

    let stop = Arc::new(AtomicBool::new(false));
    let on_signal = Arc::clone(&stop);
    ctrlc::set_handler(move || on_signal.store(true, Ordering::SeqCst))
        .context("cannot install the Ctrl-C handler")?;

    let (sender, changes) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(sender).context("cannot watch for changes")?;
    // Events name canonical paths; so must the folders and the index they are compared with.
    let canonical: Vec<PathBuf> = roots
        .iter()
        .map(|root| std::fs::canonicalize(root).unwrap_or_else(|_| root.clone()))
        .collect();
    for root in &canonical {
        watcher
            .watch(root, RecursiveMode::Recursive)
            .with_context(|| format!("cannot watch {}", root.display()))?;
    }
    let index_dir = std::fs::canonicalize(indexer.dir()).unwrap_or_default();
    messages.note("watching for changes; press Ctrl-C to stop");
    // When the last change that matters came; a run starts once things are quiet for a while.
    let mut pending: Option<Instant> = None;
    // What changed since the last run; `None` once the watcher may have missed something (its
    // queue overflowed, or too much changed to list), and the whole of `roots` is compared.
    let mut changed: Option<BTreeSet<PathBuf>> = Some(BTreeSet::new());
    while !stop.load(Ordering::SeqCst) {
        let wait = pending.map_or(Duration::from_millis(200), |last| {
            WATCH_DEBOUNCE.saturating_sub(last.elapsed()).min(Duration::from_millis(200))
        });
        match changes.recv_timeout(wait) {
            Ok(Ok(event)) => {
                // Opening a file is not changing it: each run opens the files it reads.
                let news = !matches!(event.kind, EventKind::Access(_))
                    && event
                        .paths
                        .iter()
                        .any(|path| may_change_reports(path, &canonical, &index_dir));
                if event.need_rescan() {
                    changed = None;
                    pending = Some(Instant::now());
                } else if news {
                    if let Some(paths) = &mut changed {
                        paths.extend(event.paths.iter().cloned());
                        if paths.len() > WATCH_MAX_PATHS {
                            changed = None;
                        }
                    }
                    pending = Some(Instant::now());
                } else {
                    tracing::trace!(?event, "a change that holds no report");
                }
            }
            Ok(Err(err)) => {
                messages.error(&format!("watching failed: {err}; comparing the whole folders"));
                changed = None;
                pending = Some(Instant::now());
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                return Err(anyhow!("the file watcher stopped"));
            }
        }
        if pending.is_some_and(|last| last.elapsed() >= WATCH_DEBOUNCE) {
            pending = None;
            let paths: Option<Vec<PathBuf>> =
                changed.replace(BTreeSet::new()).map(|paths| paths.into_iter().collect());
            update(indexer, roots, paths.as_deref(), messages, json)?;
        }
    }
    messages.note("stopped; the index is committed");
    Ok(())
}

/// Whether a change at `path` can change what the index should hold: a report file, or a
/// folder (or something gone, that may have been one) outside the index and hidden names.
/// The index's own files change on every commit; a `.pdf` or an editor's `.swp` is not news.
fn may_change_reports(path: &Path, roots: &[PathBuf], index_dir: &Path) -> bool {
    if path.starts_with(index_dir) {
        return false;
    }
    // Under a hidden name the walk never goes; the root's own name may be anything.
    let below_root = roots.iter().find_map(|root| path.strip_prefix(root).ok());
    if below_root.is_some_and(|rest| {
        rest.components().any(|part| part.as_os_str().to_string_lossy().starts_with('.'))
    }) {
        return false;
    }
    if dateline_indexer::is_report(path) {
        return true;
    }
    match std::fs::metadata(path) {
        Ok(metadata) => metadata.is_dir(),
        // Gone: a folder of reports that was moved or deleted has no extension to tell by;
        // a file with another extension was never a report.
        Err(_) => path.extension().is_none(),
    }
}
