//! One run of the indexer as a person sees it: a progress bar on a terminal, a line per
//! skipped file with what to do about it, and a summary (or the summary as JSON).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use dateline_indexer::{Event, Indexer, Skip, Summary};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::errors::describe_index_error;
use crate::messages::Messages;
use crate::printer::{flat, one_line};

/// One update with a progress bar (on a terminal) and a summary: of everything under
/// `roots`, or of the `changed` paths alone.
pub fn update(
    indexer: &mut Indexer,
    roots: &[PathBuf],
    changed: Option<&[PathBuf]>,
    messages: &Messages,
    json: bool,
) -> Result<Summary> {
    let started = Instant::now();
    let target =
        if messages.quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() };
    let bar = ProgressBar::with_draw_target(None, target);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {wide_bar} {pos}/{len} files{left}")
            .expect("the template is valid")
            .with_key("left", time_left),
    );
    bar.set_message("indexing");
    let on_event = |event: Event<'_>| match event {
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
        Event::Warning(warned) => bar.suspend(|| {
            // A file's caveats on one line; each left-out record on a line of its own.
            let (records, file): (Vec<_>, Vec<_>) =
                warned.warnings.iter().partition(|w| w.kind() == "bad_record");
            let path = one_line(&warned.path);
            if !file.is_empty() {
                let texts: Vec<String> = file.iter().map(|w| w.to_string()).collect();
                messages.note(&format!("{path}: {}", flat(&texts.join("; "))));
            }
            for warning in records {
                messages.note(&format!("{path}: {}", flat(&warning.to_string())));
            }
        }),
        Event::Committing => bar.set_message("committing"),
        _ => {}
    };
    let summary = match changed {
        Some(changed) => indexer.update_changed(roots, changed, on_event),
        None => indexer.update(roots, on_event),
    }
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
        if !summary.not_read.is_empty() {
            messages.note(&format!(
                "not read: {} (Dateline reads {}, an .xml file when it is an RSS or Atom feed, each also compressed as .gz or .zst)",
                not_read_counts(&summary.not_read),
                dateline_indexer::REPORT_EXTENSIONS.map(|ext| format!(".{ext}")).join(" ")
            ));
        }
        let records = match summary.records {
            0 => String::new(),
            n => format!(" ({n} reports read from records)"),
        };
        messages.note(&format!(
            "{}: {} added, {} changed, {} removed, {} unchanged{records}, {} in {:.2} s",
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
        Skip::NoTextColumn { .. } => "name the column with --field text=COLUMN to index it",
        Skip::Inflates { .. } => {
            "if it is genuine, decompress it or raise --max-file-size (which bounds decompressed size)"
        }
        Skip::Corrupt { .. } => "fetch or compress it again (`gzip -t`/`zstd -t` checks a file)",
        Skip::NoReports { .. } => {
            "check the records' format; name the text field with --field text=NAME if it has another name"
        }
        Skip::Stalled { .. } => {
            "the run went on without it; check the file system it is on (a hung network mount?)"
        }
        _ => "it was left out",
    }
}

/// "10 .pdf, 2 .docx, 1 without extension", most first.
fn not_read_counts(paths: &[PathBuf]) -> String {
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for path in paths {
        let kind = match path.extension() {
            Some(ext) => format!(".{}", ext.to_string_lossy().to_lowercase()),
            None => "without extension".to_string(),
        };
        match kinds.iter_mut().find(|(known, _)| *known == kind) {
            Some((_, count)) => *count += 1,
            None => kinds.push((kind, 1)),
        }
    }
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let parts: Vec<String> = kinds.iter().map(|(kind, n)| format!("{n} {}", flat(kind))).collect();
    parts.join(", ")
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

/// ", 3s left", once there is something to estimate from: the first files of a run (the walk,
/// a cold cache) say little about the rest, and "78m left" for a two-second run misleads.
fn time_left(state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write) {
    let done = state.len().is_some_and(|len| len > 0 && state.pos() * 20 >= len);
    if done && state.elapsed().as_secs_f64() >= 1.0 {
        let _ = write!(out, ", {}s left", state.eta().as_secs());
    }
}
