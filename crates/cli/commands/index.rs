//! `dateline index`: make the index mirror folders of reports, once or continuously.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use dateline_indexer::{Event, Indexer, Options, Skip, Summary};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::{DEFAULT_INDEX, DEFAULT_REPORTS, IndexArgs};
use crate::printer::{flat, one_line};
use crate::{FOUND, Messages};

/// How long the folders must be quiet before `--watch` re-indexes.
const WATCH_DEBOUNCE: Duration = Duration::from_millis(500);

pub fn run(args: IndexArgs, messages: &Messages) -> Result<u8> {
    let options = Options::default()
        .max_file_size(args.max_file_size)
        .max_line_length(args.max_line_length)
        .follow_outside(args.follow_outside);
    let has_index = args.index.join("meta.json").try_exists().unwrap_or(true);
    if args.dirs.is_empty() && !has_index && args.index != Path::new(DEFAULT_INDEX) {
        bail!(no_folders_message(&args.index));
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
    let summary = update(&mut indexer, &roots, messages, args.json)?;

    if args.watch {
        watch(&mut indexer, &roots, messages, args.json)?;
    } else if summary.committed {
        indexer.finish().map_err(|err| describe_index_error(err, &args.index))?;
    }
    Ok(FOUND)
}

/// Builds the bundled `index` from `reports` (from scratch) for a search that cannot use it.
pub fn build_bundled(index: &Path, reports: &Path, why: &str, messages: &Messages) -> Result<()> {
    messages.note(&format!(
        "{why} at {}; building it from {}/ first",
        index.display(),
        reports.display()
    ));
    let mut indexer = Indexer::rebuild(index, Options::default())
        .map_err(|err| describe_index_error(err, index))?;
    update(&mut indexer, &[reports.to_path_buf()], messages, false)?;
    indexer.finish().map_err(|err| describe_index_error(err, index))?;
    Ok(())
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
    if args.index == Path::new(DEFAULT_INDEX) {
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

/// One update with a progress bar (on a terminal) and a summary.
fn update(
    indexer: &mut Indexer,
    roots: &[PathBuf],
    messages: &Messages,
    json: bool,
) -> Result<Summary> {
    let started = Instant::now();
    let target =
        if messages.quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() };
    let bar = ProgressBar::with_draw_target(None, target);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {wide_bar} {pos}/{len} files, {eta} left")
            .expect("the template is valid"),
    );
    bar.set_message("indexing");
    let summary = indexer
        .update(roots, |event| match event {
            Event::Scanned { files } => bar.set_length(files as u64),
            Event::Checked { .. } => bar.inc(1),
            Event::Skipped(skipped) => bar.suspend(|| {
                messages.note(&format!(
                    "{}: skipped: {}; {}",
                    one_line(&skipped.path),
                    flat(&skipped.reason.to_string()),
                    skip_hint(&skipped.reason)
                ))
            }),
            Event::Warning(warning) => bar.suspend(|| {
                messages.note(&format!("{}: {}", one_line(&warning.path), warning.message()))
            }),
            Event::Committing => bar.set_message("committing"),
            _ => {}
        })
        .map_err(|err| describe_index_error(err, indexer.dir()))?;
    bar.finish_and_clear();
    let elapsed = started.elapsed();

    if json {
        #[derive(serde::Serialize)]
        struct Timed<'a> {
            #[serde(flatten)]
            summary: &'a Summary,
            seconds: f64,
        }
        let timed = Timed { summary: &summary, seconds: elapsed.as_secs_f64() };
        let mut out = std::io::stdout().lock();
        serde_json::to_writer(&mut out, &timed)?;
        std::io::Write::write_all(&mut out, b"\n")?;
    } else {
        messages.note(&format!(
            "{}: {} added, {} changed, {} removed, {} unchanged, {} in {:.2} s",
            indexer.dir().display(),
            summary.added,
            summary.changed,
            summary.removed,
            summary.unchanged,
            skipped_counts(&summary.skipped),
            elapsed.as_secs_f64(),
        ));
    }
    Ok(summary)
}

/// What to do about a skipped file.
fn skip_hint(reason: &Skip) -> &'static str {
    match reason {
        Skip::Binary { .. } => "not a text report; move it out of the folder to silence this",
        Skip::Empty => "nothing to index",
        Skip::TooLarge { .. } => "raise --max-file-size to index it",
        Skip::LineTooLong { .. } => "not prose; split it into reports to index it",
        Skip::NameNotUtf8 => "rename it to index it",
        Skip::Unreadable { .. } => "check that it exists and is readable",
        Skip::OutsideFolders { .. } => "pass --follow-outside to index what it points to",
        Skip::Special { .. } => "move it out of the folder to silence this",
        Skip::Stalled { .. } => {
            "the run went on without it; check the file system it is on (a hung network mount?)"
        }
        _ => "it was left out",
    }
}

/// "3 skipped (1 binary, 2 empty)".
fn skipped_counts(skipped: &[dateline_indexer::Skipped]) -> String {
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for entry in skipped {
        match kinds.iter_mut().find(|(kind, _)| *kind == entry.reason.kind()) {
            Some((_, count)) => *count += 1,
            None => kinds.push((entry.reason.kind(), 1)),
        }
    }
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let parts: Vec<String> = kinds.iter().map(|(kind, count)| format!("{count} {kind}")).collect();
    match parts.is_empty() {
        true => "0 skipped".to_string(),
        false => format!("{} skipped ({})", skipped.len(), parts.join(", ")),
    }
}

/// Re-indexes whenever files under `roots` change, until Ctrl-C. Each update commits, so
/// stopping at any moment leaves a committed index.
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
                if news {
                    pending = Some(Instant::now());
                } else {
                    tracing::trace!(?event, "a change that holds no report");
                }
            }
            Ok(Err(err)) => messages.error(&format!("watching failed: {err}")),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                return Err(anyhow!("the file watcher stopped"));
            }
        }
        if pending.is_some_and(|last| last.elapsed() >= WATCH_DEBOUNCE) {
            pending = None;
            update(indexer, roots, messages, json)?;
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
        _ => return anyhow::Error::new(err),
    };
    anyhow!("{err}; {hint}")
}
