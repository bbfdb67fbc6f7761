//! Re-indexing the largest index, whole process: an unchanged re-run, one add + change +
//! delete, then their revert; and the same two changes made under `dateline index --watch`.

use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

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
    /// The same three made, then reverted, under `dateline index --watch`.
    pub watched: Watched,
}

/// Seconds `dateline index --watch` takes to start watching, then to apply a change.
#[derive(Clone, Copy, Debug)]
pub struct Watched {
    /// From the first run's summary to "watching for changes": the file watcher adding a
    /// watch to every folder (it walks them).
    pub ready: f64,
    /// From one report added, one changed and one deleted to the summary of the run that
    /// applied them (the watcher's half-second wait for quiet included).
    pub change: f64,
    /// The same for their revert.
    pub revert: f64,
}

/// Changes `corpus` and puts it back as it was.
pub fn measure(setup: &Setup, corpus: &Corpus) -> Result<Reindex> {
    let index = index_dir(setup, corpus);
    let run = || {
        timed(Command::new(&setup.dateline).arg("index").arg("-q").arg("--index").arg(&index))
            .map(|t| t.secs)
    };
    let unchanged = run()?;
    let changes = Changes::new(&corpus.dir)?;
    changes.make()?;
    let changed = run()?;
    changes.revert()?;
    let reverted = run()?;

    let watched = watching(&setup.dateline, &index, &changes)?;
    Ok(Reindex { unchanged, changed, reverted, watched })
}

/// One report added, one changed, one deleted, and how to put them back.
pub struct Changes {
    added: std::path::PathBuf,
    changed: std::path::PathBuf,
    original: Vec<u8>,
    deleted: std::path::PathBuf,
    deleted_text: Vec<u8>,
}

impl Changes {
    pub fn new(corpus: &Path) -> Result<Changes> {
        let files = report_files(corpus)?;
        let (changed, deleted) = (files[0].clone(), files[1].clone());
        Ok(Changes {
            added: corpus.join("copy-1/bench-added.txt"),
            original: std::fs::read(&changed)?,
            deleted_text: std::fs::read(&deleted)?,
            changed,
            deleted,
        })
    }

    fn make(&self) -> Result<()> {
        std::fs::write(
            &self.added,
            "Bench report\nDate: 1987-05-01\nSource: Bench\n\nA report the benchmark adds.\n",
        )?;
        let mut text = self.original.clone();
        text.extend_from_slice(b"\nA sentence the benchmark appends.\n");
        std::fs::write(&self.changed, text)?;
        std::fs::remove_file(&self.deleted)?;
        Ok(())
    }

    fn revert(&self) -> Result<()> {
        std::fs::remove_file(&self.added)?;
        std::fs::write(&self.changed, &self.original)?;
        std::fs::write(&self.deleted, &self.deleted_text)?;
        Ok(())
    }
}

/// How long `dateline index --watch` takes to start watching, then seconds from `changes`
/// made, then reverted, to the summary line of the run that applied each. Changes are made
/// once the watcher says it watches: before that they are the first run's to find.
pub fn watching(dateline: &Path, index: &Path, changes: &Changes) -> Result<Watched> {
    let mut watcher = Command::new(dateline)
        .args(["index", "--watch", "--json", "--index"])
        .arg(index)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot start dateline index --watch")?;
    let stdout = watcher.stdout.take().context("no stdout")?;
    let stderr = watcher.stderr.take().context("no stderr")?;
    let (sender, summaries) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                return;
            }
        }
    });
    let (sender, ready) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("watching for changes") && sender.send(()).is_err() {
                return;
            }
        }
    });
    let timed: Result<Watched> = (|| {
        // The first run compares the whole folders; the watch starts after it.
        next_summary(&summaries, Duration::from_secs(3600))?;
        let started = Instant::now();
        ready
            .recv_timeout(Duration::from_secs(600))
            .context("dateline index --watch never said it was watching")?;
        let ready = started.elapsed().as_secs_f64();
        std::thread::sleep(Duration::from_secs(1));
        let started = Instant::now();
        changes.make()?;
        next_summary(&summaries, Duration::from_secs(600))?;
        let change = started.elapsed().as_secs_f64();
        std::thread::sleep(Duration::from_secs(1));
        let started = Instant::now();
        changes.revert()?;
        next_summary(&summaries, Duration::from_secs(600))?;
        Ok(Watched { ready, change, revert: started.elapsed().as_secs_f64() })
    })();
    let _ = Command::new("kill").args(["-INT", &watcher.id().to_string()]).status();
    let status = watcher.wait()?;
    let timed = timed?;
    if !status.success() {
        bail!("dateline index --watch failed: {status}");
    }
    Ok(timed)
}

fn next_summary(summaries: &Receiver<String>, within: Duration) -> Result<()> {
    let line = summaries.recv_timeout(within).context("dateline index --watch gave no summary")?;
    serde_json::from_str::<serde_json::Value>(&line)
        .with_context(|| format!("not a summary: {line}"))?;
    Ok(())
}
