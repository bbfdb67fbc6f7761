//! Reading ahead: the text files of a run are read, extracted and given their language on
//! worker threads while the writer thread adds the reports of the files before them.
//!
//! Language detection costs more than anything else a report goes through (whatlang reads
//! about 6 MB/s); on the one writer thread it capped a build at that speed. What grouping
//! needs of a report alone (shingles, sketch, story terms) is made here too: the writer
//! thread places every report in order, and its time is the build's. Each worker
//! takes every n-th file and the writer takes their results round-robin, so files are
//! written in the order given whatever the workers' speed, and a bounded queue per worker
//! holds only a few files ahead.

use std::sync::mpsc::{Receiver, SyncSender};

use dateline_schema::FileStamp;

use crate::group::Prepared;
use crate::ingest::{Ingested, ingest};
use crate::read::TimedReader;
use crate::stream::Format;
use crate::walk::Candidate;
use crate::{Options, Result, Skip};

/// Files read ahead per worker.
const AHEAD: usize = 8;
/// Workers at most: reading is not what bounds a build beyond this.
const MAX_WORKERS: usize = 4;

/// What a worker made of a file: its reports (language settled) with what placing each needs
/// of it alone (none when grouping is off), or why it is skipped; `None` for a file of many
/// reports, which the writer streams itself.
pub(crate) type Outcome = Option<std::result::Result<(Ingested, Vec<Prepared>), Skip>>;

/// Calls `each` for every file of `files` in order, with what reading it gave. Stops at
/// the first error `each` returns, and returns it.
pub(crate) fn each_read<'a>(
    files: &'a [(Candidate, Option<FileStamp>)],
    reader: &TimedReader,
    options: &Options,
    mut each: impl FnMut(&'a Candidate, Option<FileStamp>, Outcome) -> Result<()>,
) -> Result<()> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, MAX_WORKERS)
        .min(files.len().max(1));
    std::thread::scope(|scope| {
        let outcomes: Vec<Receiver<Outcome>> = (0..workers)
            .map(|first| {
                let (sender, outcomes) = std::sync::mpsc::sync_channel(AHEAD);
                let mut reader = reader.sibling();
                let mine = files.iter().skip(first).step_by(workers);
                scope.spawn(move || read_each(mine, &mut reader, options, &sender));
                outcomes
            })
            .collect();
        for (i, (candidate, previous)) in files.iter().enumerate() {
            // A worker ends early only by panicking, which the scope passes on.
            let Ok(outcome) = outcomes[i % workers].recv() else { break };
            each(candidate, *previous, outcome)?;
        }
        // Returning drops the queues: a worker still reading ahead stops at its next send.
        Ok(())
    })
}

/// A worker: reads its files in order, sending each outcome, until no one listens.
fn read_each<'a>(
    files: impl Iterator<Item = &'a (Candidate, Option<FileStamp>)>,
    reader: &mut TimedReader,
    options: &Options,
    outcomes: &SyncSender<Outcome>,
) {
    for (candidate, _) in files {
        let outcome = (Format::of(&candidate.path) == Format::Text).then(|| {
            ingest(reader, candidate, options).map(|mut file| {
                file.reports.iter_mut().for_each(crate::language::settle);
                let prepared = match options.grouping {
                    true => file.reports.iter().map(Prepared::of).collect(),
                    false => Vec::new(),
                };
                (file, prepared)
            })
        });
        if outcomes.send(outcome).is_err() {
            return;
        }
    }
}
