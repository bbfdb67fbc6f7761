//! What copies and stories cost: builds of the replicated corpus with grouping and without
//! it (the indexer's `Options::grouping`, kept for this measurement), one report added to
//! each, and searches with copies collapsed (the default) against `--all-copies`, in
//! process and as whole processes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use dateline_query::{Index, Query};

use crate::Setup;
use crate::corpus::{Corpus, dir_size, report_files};
use crate::measure::{Timed, latencies, percentile, timed};
use crate::queries::QUERIES;

/// Everything the section shows.
pub struct Grouping {
    pub corpus: String,
    pub reports: usize,
    /// Full builds, with grouping and without, one pair a round.
    pub builds: Vec<(Timed, Timed)>,
    /// Index bytes with grouping and without.
    pub index_bytes: (u64, u64),
    /// One report added: wall seconds with grouping and without.
    pub added: (f64, f64),
    pub searches: Searches,
}

/// Builds `corpus` `rounds` times each way, grouped first in odd rounds and last in even
/// ones, adds one report to both indexes, then times searches of the grouped one.
pub fn measure(setup: &Setup, corpus: &Corpus, rounds: usize, reps: usize) -> Result<Grouping> {
    let on = setup.work.join("grouping-on");
    let off = setup.work.join("grouping-off");
    let build = |index: &Path, grouping: bool| -> Result<Timed> {
        let _ = std::fs::remove_dir_all(index);
        timed(&mut build_command(setup, &corpus.dir, index, grouping))
    };
    let mut builds = Vec::new();
    for round in 0..rounds.max(1) {
        let (with, without) = match round % 2 {
            0 => {
                let with = build(&on, true)?;
                (with, build(&off, false)?)
            }
            _ => {
                let without = build(&off, false)?;
                (build(&on, true)?, without)
            }
        };
        eprintln!("grouping: build {:.1} s with, {:.1} s without", with.secs, without.secs);
        builds.push((with, without));
    }
    let index_bytes = (dir_size(&on)?, dir_size(&off)?);
    let added_file = add_a_copy(corpus)?;
    let added_with = timed(&mut build_command(setup, &corpus.dir, &on, true));
    let added_without = timed(&mut build_command(setup, &corpus.dir, &off, false));
    std::fs::remove_file(&added_file)?;
    let added = (added_with?.secs, added_without?.secs);
    let searches = searches(&setup.dateline, &on, reps, 3)?;
    Ok(Grouping {
        corpus: corpus.label.clone(),
        reports: corpus.files,
        builds,
        index_bytes,
        added,
        searches,
    })
}

/// `dateline-bench grouping-build`: the build in a process of its own, for its wall time and
/// peak memory.
fn build_command(setup: &Setup, corpus: &Path, index: &Path, grouping: bool) -> Command {
    let mut command = Command::new(&setup.bench);
    command.arg("grouping-build").arg(corpus).arg(index);
    if !grouping {
        command.arg("--off");
    }
    command
}

/// Indexes `corpus` into `index` with the library, as `dateline index` does, grouping or not.
pub fn build(corpus: &Path, index: &Path, grouping: bool) -> Result<()> {
    let options = dateline_indexer::Options::default().grouping(grouping);
    let mut indexer = dateline_indexer::Indexer::open_or_create(index, options)?;
    indexer.update(&[corpus.to_path_buf()], |_| {})?;
    indexer.finish()?;
    Ok(())
}

/// Writes a copy of the corpus's first report with one word changed beside it: a report
/// that joins a copy group of ten and their story. Returns its path.
fn add_a_copy(corpus: &Corpus) -> Result<PathBuf> {
    let files = report_files(&corpus.dir)?;
    let first = files.first().context("an empty corpus")?;
    let text = std::fs::read_to_string(first)?;
    let changed = text.replacen(" the ", " a ", 1);
    let added = first.with_file_name("bench-grouping-added.txt");
    std::fs::write(&added, changed)?;
    Ok(added)
}

/// Search latencies in ms, one sample per query run.
pub struct Searches {
    /// `Index::search`, top 10, 3 passages, copies collapsed.
    pub collapsed: Vec<f64>,
    /// The same with every copy.
    pub all_copies: Vec<f64>,
    /// `dateline search --json`, whole process, copies collapsed.
    pub collapsed_process: Vec<f64>,
    /// The same with `--all-copies`.
    pub all_copies_process: Vec<f64>,
}

/// Collapsed against every copy on `index`: in process `reps` runs of each query, the two
/// alternating query by query so that a busy moment of the machine falls on both; whole
/// process `process_reps` runs.
pub fn searches(
    dateline: &Path,
    index: &Path,
    reps: usize,
    process_reps: usize,
) -> Result<Searches> {
    let opened = Index::open(index)?;
    let search = |q: &str, all: bool| -> Result<usize> {
        Ok(opened.search(&Query::new(q).limit(10).passages(3).all_copies(all))?.total)
    };
    let (mut collapsed, mut all_copies) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        collapsed.extend(latencies(1, |q| search(q, false))?);
        all_copies.extend(latencies(1, |q| search(q, true))?);
    }
    let (mut collapsed_process, mut all_copies_process) = (Vec::new(), Vec::new());
    for _ in 0..process_reps {
        for query in QUERIES {
            for (all, samples) in [(false, &mut collapsed_process), (true, &mut all_copies_process)]
            {
                let mut command = Command::new(dateline);
                command.args(["search", "-n", "10", "-p", "3", "--json", "--index"]).arg(index);
                if all {
                    command.arg("--all-copies");
                }
                samples.push(timed(command.arg(query))?.secs * 1000.0);
            }
        }
    }
    Ok(Searches { collapsed, all_copies, collapsed_process, all_copies_process })
}

fn p50_p99(samples: &[f64]) -> (f64, f64) {
    (percentile(samples, 0.5), percentile(samples, 0.99))
}

/// The section, as BENCHMARKS.md shows it.
pub fn render(out: &mut String, g: &Grouping, command: &str) -> std::fmt::Result {
    writeln!(out, "## Copies and stories: what grouping costs ({} corpus)\n", g.corpus)?;
    writeln!(
        out,
        "Written by `{command}`. The {} corpus ({} reports) is Reuters replicated: every \
         report there has nine exact copies, the worst case for collapsing (a collapsed page \
         lists ten texts' copies, an `--all-copies` page the ten copies of one text). Builds \
         run as whole processes through the indexer library, with grouping (as `dateline \
         index`) and without it (`Options::grouping(false)`, for this measurement only), in \
         turn; then one report (a Reuters report with one word changed: a copy of ten \
         reports) is added to each index; then searches of the grouped index, collapsed and \
         `--all-copies` alternating query by query (top 10, 3 passages).\n",
        g.corpus, g.reports
    )?;
    writeln!(out, "| what | without grouping | with copies and stories | ratio | target |")?;
    writeln!(out, "|---|---:|---:|---:|---|")?;
    let secs = |f: fn(&(Timed, Timed)) -> &Timed| {
        g.builds.iter().map(|b| format!("{:.1}", f(b).secs)).collect::<Vec<_>>().join(" / ")
    };
    let mean = |f: fn(&(Timed, Timed)) -> &Timed| {
        g.builds.iter().map(|b| f(b).secs).sum::<f64>() / g.builds.len().max(1) as f64
    };
    let throughput = mean(|b| &b.1) / mean(|b| &b.0);
    writeln!(
        out,
        "| full build, wall (each round) | {} s | {} s | throughput {throughput:.2}× | ≥ 0.8×: {} |",
        secs(|b| &b.1),
        secs(|b| &b.0),
        met(throughput >= 0.8)
    )?;
    let rss = |f: fn(&(Timed, Timed)) -> &Timed| {
        g.builds
            .iter()
            .filter_map(|b| f(b).peak_rss_mb)
            .fold(None, |max: Option<f64>, mb| Some(max.map_or(mb, |m| m.max(mb))))
            .map_or("?".to_string(), |mb| format!("{mb:.0} MB"))
    };
    writeln!(out, "| full build, peak RSS | {} | {} | | |", rss(|b| &b.1), rss(|b| &b.0))?;
    let mb = |bytes: u64| bytes as f64 / 1e6;
    writeln!(
        out,
        "| index size | {:.1} MB | {:.1} MB | {:.2}× | |",
        mb(g.index_bytes.1),
        mb(g.index_bytes.0),
        g.index_bytes.0 as f64 / g.index_bytes.1.max(1) as f64
    )?;
    writeln!(
        out,
        "| one report added (whole run: walk, read, place, commit) | {:.2} s | {:.2} s | | |",
        g.added.1, g.added.0
    )?;
    let s = &g.searches;
    let (all, collapsed) = (p50_p99(&s.all_copies), p50_p99(&s.collapsed));
    writeln!(
        out,
        "| search p50 / p99, in process ({} runs each) | `--all-copies`: {:.2} / {:.2} ms | collapsed: {:.2} / {:.2} ms | p50 {:.2}× | ≤ 1.2×: {} |",
        s.collapsed.len(),
        all.0,
        all.1,
        collapsed.0,
        collapsed.1,
        collapsed.0 / all.0,
        met(collapsed.0 / all.0 <= 1.2)
    )?;
    let (all, collapsed) = (p50_p99(&s.all_copies_process), p50_p99(&s.collapsed_process));
    writeln!(
        out,
        "| search p50 / p99, whole process `--json` ({} runs each) | `--all-copies`: {:.1} / {:.1} ms | collapsed: {:.1} / {:.1} ms | p50 {:.2}× | ≤ 1.2×: {} |",
        s.collapsed_process.len(),
        all.0,
        all.1,
        collapsed.0,
        collapsed.1,
        collapsed.0 / all.0,
        met(collapsed.0 / all.0 <= 1.2)
    )?;
    writeln!(out)
}

fn met(yes: bool) -> &'static str {
    if yes { "met" } else { "**not met**" }
}
