//! Re-indexing the largest index, whole process: an unchanged re-run, one add + change +
//! delete, then their revert.

use std::process::Command;

use anyhow::Result;

use crate::Setup;
use crate::corpus::{Corpus, report_files};
use crate::indexing::index_dir;
use crate::measure::timed;

/// Wall seconds of each `dateline index` re-run.
pub struct Reindex {
    pub unchanged: f64,
    /// One report added, one changed, one deleted.
    pub changed: f64,
    /// The same three reverted.
    pub reverted: f64,
}

/// Changes `corpus` and puts it back as it was.
pub fn measure(setup: &Setup, corpus: &Corpus) -> Result<Reindex> {
    let index = index_dir(setup, corpus);
    let run = || {
        timed(Command::new(&setup.dateline).arg("index").arg("-q").arg("--index").arg(&index))
            .map(|t| t.secs)
    };
    let unchanged = run()?;
    let files = report_files(&corpus.dir)?;
    let (changed_file, deleted_file) = (&files[0], &files[1]);
    let original = std::fs::read(changed_file)?;
    let deleted = std::fs::read(deleted_file)?;
    let added = corpus.dir.join("copy-1/bench-added.txt");
    std::fs::write(
        &added,
        "Bench report\nDate: 1987-05-01\nSource: Bench\n\nA report the benchmark adds.\n",
    )?;
    let mut text = original.clone();
    text.extend_from_slice(b"\nA sentence the benchmark appends.\n");
    std::fs::write(changed_file, text)?;
    std::fs::remove_file(deleted_file)?;
    let changed = run()?;
    std::fs::remove_file(&added)?;
    std::fs::write(changed_file, original)?;
    std::fs::write(deleted_file, deleted)?;
    let reverted = run()?;
    Ok(Reindex { unchanged, changed, reverted })
}
