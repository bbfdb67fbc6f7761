//! Writing a [`Plan`]: read the files to add or re-read, replace their documents, delete the
//! reports that are gone. Nothing is committed here; the caller commits once it is all done.

use std::path::Path;

use dateline_schema::{Fields, FileStamp};
use tantivy::{IndexWriter, Term};

use crate::group::Grouper;
use crate::plan::Plan;
use crate::read::TimedReader;
use crate::stream::{self, Format, Item};
use crate::walk::Candidate;
use crate::{Error, Event, Options, Result, Skipped, Summary, Warned};
use crate::{Skip, Warning};

/// Where and how a plan is written.
pub(crate) struct Target<'a> {
    pub writer: &'a IndexWriter,
    pub fields: &'a Fields,
    /// The index folder, for errors.
    pub dir: &'a Path,
    pub options: &'a Options,
    /// The index held no report when the run started.
    pub started_empty: bool,
}

/// Writes `plan` to `target`, counting what it did in `summary`. Returns whether anything
/// was written (a document added or deleted).
pub(crate) fn apply(
    plan: Plan,
    target: &Target<'_>,
    grouper: &mut Grouper,
    reader: &TimedReader,
    summary: &mut Summary,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<bool> {
    let delete =
        |key: &str| target.writer.delete_term(Term::from_field_text(target.fields.path, key));
    let mut wrote = false;
    // Removals first: a path removed in this batch is never one read in it, and a delete
    // reaches only documents added before it.
    for key in &plan.remove {
        delete(key);
        summary.removed += 1;
        wrote = true;
    }
    for candidate in &plan.unchanged {
        on_event(Event::Checked { path: &candidate.path });
        summary.unchanged += 1;
    }
    // New and changed files in one path order, so runs read and report them the same way.
    let mut to_read: Vec<_> = plan.add.into_iter().map(|candidate| (candidate, None)).collect();
    to_read.extend(plan.change.into_iter().map(|(candidate, stamp)| (candidate, Some(stamp))));
    to_read.sort_unstable_by(|(a, _), (b, _)| a.key.cmp(&b.key));
    crate::ahead::each_read(&to_read, reader, target.options, |candidate, previous, outcome| {
        on_event(Event::Checked { path: &candidate.path });
        let Some(outcome) = outcome else {
            wrote |= stream_file(candidate, previous, target, grouper, summary, on_event)?;
            return Ok(());
        };
        let (file, prepared) = match outcome {
            Ok(read) => read,
            Err(reason) => {
                // A file now skipped no longer holds a report.
                if previous.is_some() {
                    delete(&candidate.key);
                    summary.removed += 1;
                    wrote = true;
                }
                let skipped = Skipped { path: candidate.path.clone(), reason };
                on_event(Event::Skipped(&skipped));
                summary.skipped.push(skipped);
                return Ok(());
            }
        };
        // Replace whatever the index holds under this path. A delete is not free (each one is
        // applied to every segment written after it), so a build into an empty index, which
        // cannot hold the path, issues none; any other run deletes before adding even when
        // the path looked new, so no sequence of interrupted runs can leave a report twice.
        if previous.is_some() || !target.started_empty {
            delete(&candidate.key);
        }
        // An unchanged file is still re-added so that its new modification time is recorded
        // and it is not read again.
        let stamp =
            FileStamp { len: candidate.len, mtime_ns: candidate.mtime_ns, content_hash: file.hash };
        let mut prepared = prepared.into_iter();
        for report in file.reports {
            let grouping = grouper.place(&report, prepared.next());
            target
                .writer
                .add_document(report.to_document(target.fields, &stamp, &grouping))
                .map_err(Error::write(target.dir))?;
        }
        wrote = true;
        match previous {
            Some(previous) if previous.content_hash == file.hash => summary.unchanged += 1,
            Some(_) => summary.changed += 1,
            None => summary.added += 1,
        }
        if !file.warnings.is_empty() {
            let warned = Warned { path: candidate.path.clone(), warnings: file.warnings };
            on_event(Event::Warning(&warned));
            summary.warnings.push(warned);
        }
        Ok(())
    })?;
    Ok(wrote)
}

/// Most record problems listed one by one for a file; the rest are counted.
const MAX_BAD_RECORDS: usize = 20;

/// Reads a file of many reports as a stream, adding each report as it comes. Returns
/// whether anything was written.
fn stream_file(
    candidate: &Candidate,
    previous: Option<FileStamp>,
    target: &Target<'_>,
    grouper: &mut Grouper,
    summary: &mut Summary,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<bool> {
    let delete =
        || target.writer.delete_term(Term::from_field_text(target.fields.path, &candidate.key));
    let items = stream::start(
        candidate.path.clone(),
        candidate.key.clone(),
        Format::of(&candidate.path),
        target.options.fields.clone(),
        target.options.max_file_size,
    );
    let timeout = target.options.read_timeout;
    let stalled = || Skip::Stalled { seconds: timeout.as_secs_f64().ceil() as u64 };
    let mut stamp = None;
    let (mut added, mut bad, mut listed, mut warnings) = (0u64, 0u64, 0u64, Vec::new());
    let mut first_bad = None;
    // As in `apply`: replace whatever the index holds under this path.
    if previous.is_some() || !target.started_empty {
        delete();
    }
    let failed = loop {
        let item = match items.recv_timeout(timeout) {
            Ok(item) => item,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break Some(stalled()),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break None,
        };
        match item {
            Item::Alive => {}
            Item::Hash(hash) => {
                stamp = Some(FileStamp {
                    len: candidate.len,
                    mtime_ns: candidate.mtime_ns,
                    content_hash: hash,
                })
            }
            Item::Report(mut report) => {
                let Some(stamp) = &stamp else { continue };
                // As for a text report: a date tantivy cannot hold is left out and said.
                if let Some(day) = report.date.filter(|&day| !dateline_schema::date::in_range(day))
                {
                    report.date = None;
                    if warnings.len() < MAX_BAD_RECORDS {
                        warnings.push(Warning::DateOutOfRange { date: day });
                    }
                }
                let grouping = grouper.place(&report, None);
                target
                    .writer
                    .add_document(report.to_document(target.fields, stamp, &grouping))
                    .map_err(Error::write(target.dir))?;
                added += 1;
            }
            Item::Problem(problem) => {
                bad += 1;
                let warning = Warning::BadRecord { place: problem.place, reason: problem.reason };
                first_bad.get_or_insert_with(|| warning.to_string());
                if warnings.len() < MAX_BAD_RECORDS {
                    warnings.push(warning);
                    listed += 1;
                }
            }
            Item::Warning(warning) => warnings.push(warning),
            Item::Fail(reason) => break Some(reason),
        }
    };
    let reason = match (failed, added) {
        (Some(reason), _) => Some(reason),
        (None, 0) if bad > 0 => {
            let first = first_bad.unwrap_or_default();
            Some(Skip::NoReports { bad, first: first.trim_start_matches("record ").to_string() })
        }
        (None, 0) => Some(Skip::Empty),
        (None, _) => None,
    };
    if let Some(reason) = reason {
        // Whatever was added of it goes: a delete removes the documents added before it.
        delete();
        if previous.is_some() {
            summary.removed += 1;
        }
        if reason == Skip::NotAFeed {
            // An `.xml` file of another kind is a file Dateline does not read, not a bad one.
            summary.not_read.push(candidate.path.clone());
            return Ok(true);
        }
        let skipped = Skipped { path: candidate.path.clone(), reason };
        on_event(Event::Skipped(&skipped));
        summary.skipped.push(skipped);
        return Ok(true);
    }
    let hash = stamp.map(|stamp| stamp.content_hash);
    match previous {
        Some(previous) if Some(previous.content_hash) == hash => summary.unchanged += 1,
        Some(_) => summary.changed += 1,
        None => summary.added += 1,
    }
    summary.records += added;
    if bad > listed {
        warnings.push(Warning::MoreBadRecords { count: bad - listed });
    }
    if !warnings.is_empty() {
        let warned = Warned { path: candidate.path.clone(), warnings };
        on_event(Event::Warning(&warned));
        summary.warnings.push(warned);
    }
    Ok(true)
}
