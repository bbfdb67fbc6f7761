//! The indexer as a whole, on real folders and real indexes: one module per concern, the
//! helpers they share here.

mod folder;
mod grouping;
mod hostile;
mod runs;

use std::path::{Path, PathBuf};

use dateline_schema::{FileStamp, names};

use crate::folder::is_index_file;
use crate::*;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// A corpus of one report (`a.txt`), indexed: corpus, index folder, roots, indexer.
fn one_report_indexed() -> (tempfile::TempDir, tempfile::TempDir, [PathBuf; 1], Indexer) {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
    let roots = [corpus.path().to_path_buf()];
    let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
    indexer.update(&roots, |_| {}).unwrap();
    (corpus, index, roots, indexer)
}

/// Runs `update` on a thread and fails the test, instead of hanging it, if the run
/// takes longer than `secs`; `unblock` is called first, to free a blocked run.
fn update_within(
    secs: u64,
    mut indexer: Indexer,
    roots: Vec<PathBuf>,
    on_scanned: impl FnMut() + Send + 'static,
    unblock: impl FnOnce(),
) -> (Indexer, Summary) {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut on_scanned = on_scanned;
        let summary = indexer.update(&roots, |event| {
            if let Event::Scanned { .. } = event {
                on_scanned();
            }
        });
        let _ = sender.send((indexer, summary));
    });
    match receiver.recv_timeout(std::time::Duration::from_secs(secs)) {
        Ok((indexer, summary)) => (indexer, summary.unwrap()),
        Err(_) => {
            unblock();
            panic!("the run did not finish within {secs} s");
        }
    }
}

/// A FIFO made by a system call, not by spawning `mkfifo`: a child forked while another test
/// drops its writer shares the writer's lock file until it execs, and that test's next open
/// then finds the index locked.
fn mkfifo(path: &Path) -> bool {
    use rustix::fs::{CWD, FileType, Mode, mknodat};
    mknodat(CWD, path, FileType::Fifo, Mode::from_raw_mode(0o600), 0).is_ok()
}

fn kinds(summary: &Summary) -> Vec<&'static str> {
    let mut kinds: Vec<_> = summary.skipped.iter().map(|s| s.reason.kind()).collect();
    kinds.sort();
    kinds
}
