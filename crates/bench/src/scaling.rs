//! How Dateline grows with the corpus: Reuters replicated 1×, 10× and (opt-in) 100×, each
//! built, re-scanned, given one report, and searched, whole process and in process.
//!
//! Every scale is measured the same way, by the same code, in one run, so the rows of the
//! table and the curves of the plot compare like with like; the seconds still move with
//! whatever else the machine runs, which the section says.

use std::fmt::{self, Write as _};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use dateline_query::{Index, Query};

use crate::corpus::{dir_size, replicate, report_files};
use crate::measure::{Timed, latencies, percentile, timed};
use crate::queries::QUERIES;
use crate::reindex::Changes;

/// In-process runs of every query at each scale.
const REPS: usize = 20;
/// Whole-process runs of every query at each scale.
const PROCESS_REPS: usize = 3;

/// One scale's figures.
pub struct Scale {
    /// The 1× files copied this many times.
    pub times: usize,
    pub reports: usize,
    pub corpus_bytes: u64,
    pub index_bytes: u64,
    pub build: Timed,
    /// The full build's peak anonymous memory (`RssAnon`), MB.
    pub build_anon_mb: f64,
    /// The same folders again, nothing changed.
    pub rescan: Timed,
    /// One report added to the folders, then indexed.
    pub added: Timed,
    /// Under a running `dateline index --watch`: seconds to start watching, then from one
    /// report added, one changed and one deleted to the summary of the run that applied
    /// them, then the same for their revert.
    pub watched: crate::reindex::Watched,
    /// In process, `Index::search`: top 10, 3 passages a hit.
    pub search_ms: Vec<f64>,
    /// `dateline search`, whole process, each query's runs.
    pub process_ms: Vec<(&'static str, Vec<f64>)>,
}

impl Scale {
    pub fn search_p50(&self) -> f64 {
        percentile(&self.search_ms, 0.5)
    }

    pub fn search_p99(&self) -> f64 {
        percentile(&self.search_ms, 0.99)
    }

    pub fn process_p50(&self) -> f64 {
        let all: Vec<f64> = self.process_ms.iter().flat_map(|(_, runs)| runs.clone()).collect();
        percentile(&all, 0.5)
    }

    /// The slowest query's median whole-process run, and that query.
    pub fn slowest_process(&self) -> (f64, &'static str) {
        self.process_ms
            .iter()
            .map(|(query, runs)| (percentile(runs, 0.5), *query))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap_or((f64::NAN, ""))
    }
}

/// Where a scaling run works and writes.
pub struct Paths {
    /// The replicated corpora and their indexes.
    pub work: PathBuf,
    /// The Markdown file the section goes into.
    pub out: PathBuf,
    /// The SVG plot.
    pub plot: PathBuf,
}

/// Measures `scales`, draws the plot and writes the section into `paths.out`.
pub fn run(
    dateline: &Path,
    reuters: &Path,
    paths: &Paths,
    scales: &[usize],
    keep: bool,
) -> Result<()> {
    let measured = measure(dateline, reuters, &paths.work, scales, keep)?;
    if let Some(folder) = paths.plot.parent().filter(|f| !f.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    crate::plot::draw(&paths.plot, &measured)?;
    let list = scales.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
    let command = format!("target/release/dateline-bench scaling --scales {list}");
    let link = relative_link(&paths.out, &paths.plot);
    let mut section = String::new();
    render(&mut section, &measured, &command, &link)?;
    let markdown = std::fs::read_to_string(&paths.out).unwrap_or_default();
    std::fs::write(&paths.out, replace_section(&markdown, &section))
        .with_context(|| format!("writing {}", paths.out.display()))?;
    eprintln!("wrote {} and {}", paths.out.display(), paths.plot.display());
    Ok(())
}

/// `plot` as a link from the folder of `markdown` (both relative to one folder, as given).
fn relative_link(markdown: &Path, plot: &Path) -> String {
    let base = markdown.parent().unwrap_or(Path::new(""));
    plot.strip_prefix(base).unwrap_or(plot).display().to_string()
}

/// Measures each of `scales` in turn, replicating Reuters (`reuters`) under `work`; each
/// scale's index is deleted once measured, its corpus unless `keep`.
pub fn measure(
    dateline: &Path,
    reuters: &Path,
    work: &Path,
    scales: &[usize],
    keep: bool,
) -> Result<Vec<Scale>> {
    let mut measured = Vec::new();
    for &times in scales {
        let corpus = work.join(format!("reuters-x{times}"));
        eprintln!("scaling: replicating {times}× into {}", corpus.display());
        replicate(reuters, &corpus, times, usize::MAX)?;
        let index = work.join(format!("index-x{times}"));
        let _ = std::fs::remove_dir_all(&index);
        let scale = measure_one(dateline, &corpus, &index, times);
        std::fs::remove_dir_all(&index).ok();
        if !keep {
            std::fs::remove_dir_all(&corpus).ok();
        }
        measured.push(scale?);
    }
    Ok(measured)
}

fn measure_one(dateline: &Path, corpus: &Path, index: &Path, times: usize) -> Result<Scale> {
    let files = report_files(corpus)?;
    let corpus_bytes = files.iter().map(|f| std::fs::metadata(f).map_or(0, |m| m.len())).sum();
    let run = || {
        sampled(Command::new(dateline).arg("index").arg("-q").arg(corpus).arg("--index").arg(index))
    };
    eprintln!("scaling {times}×: full build of {} reports", files.len());
    let (build, build_anon_mb) = run()?;
    let index_bytes = dir_size(index)?;
    eprintln!("scaling {times}×: unchanged re-scan");
    let (rescan, _) = run()?;

    eprintln!("scaling {times}×: searches");
    let opened = Index::open(index)?;
    let search_ms = latencies(REPS, |q| {
        opened.search(&Query::new(q).limit(10).passages(3)).map(|r| r.total).map_err(Into::into)
    })?;
    drop(opened);
    let mut process_ms: Vec<(&'static str, Vec<f64>)> =
        QUERIES.iter().map(|q| (*q, Vec::new())).collect();
    for _ in 0..PROCESS_REPS {
        for (query, runs) in &mut process_ms {
            let search = timed(
                Command::new(dateline)
                    .args(["search", "-n", "10", "-p", "3", "--color", "never", "--index"])
                    .arg(index)
                    .arg(*query),
            )?;
            runs.push(search.secs * 1000.0);
        }
    }

    eprintln!("scaling {times}×: one report added");
    let added_file = added_report(corpus)?;
    let added = run();
    std::fs::remove_file(&added_file)?;
    let added = added?.0;

    eprintln!("scaling {times}×: changes under --watch");
    let watched = crate::reindex::watching(dateline, index, &Changes::new(corpus)?)?;
    Ok(Scale {
        times,
        reports: files.len(),
        corpus_bytes,
        index_bytes,
        build,
        build_anon_mb,
        rescan,
        added,
        watched,
        search_ms,
        process_ms,
    })
}

/// Runs `command` to its end, sampling its memory from `/proc` every 20 ms: the peak resident
/// set (`VmHWM`, the figure GNU time reports) and the peak anonymous part of it (`RssAnon`).
/// Both are given because a build's resident set also counts the index's own files, which
/// tantivy memory-maps to merge segments and which the kernel can drop at any time; the
/// anonymous part is the memory the run cannot give back.
fn sampled(command: &mut Command) -> Result<(Timed, f64)> {
    let started = Instant::now();
    let mut child = command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn()?;
    let mut stderr = child.stderr.take().context("the child's stderr")?;
    let messages = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).map(|_| text)
    });
    let status_file = format!("/proc/{}/status", child.id());
    let (mut peak_kb, mut anon_kb) = (None, 0u64);
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            peak_kb = status_kb(&status, "VmHWM:").or(peak_kb);
            anon_kb = anon_kb.max(status_kb(&status, "RssAnon:").unwrap_or(0));
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let secs = started.elapsed().as_secs_f64();
    let messages = messages.join().map_err(|_| anyhow::anyhow!("reading stderr"))??;
    if status.code().is_none_or(|code| code > 1) {
        bail!("{command:?} failed ({status}): {messages}");
    }
    let peak_rss_mb = peak_kb.map(|kb| kb as f64 / 1024.0);
    Ok((Timed { secs, peak_rss_mb }, anon_kb as f64 / 1024.0))
}

/// The kB figure of one `/proc/PID/status` line, e.g. `RssAnon:   1234 kB`.
fn status_kb(status: &str, key: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(key))?;
    line[key.len()..].trim().trim_end_matches("kB").trim().parse().ok()
}

/// Writes one new report into the corpus's first folder, and returns its path.
fn added_report(corpus: &Path) -> Result<PathBuf> {
    let path = corpus.join("copy-1/scaling-added.txt");
    std::fs::write(
        &path,
        "Scaling report\nDate: 1987-05-01\nSource: Bench\n\n\
         A report the scaling harness adds to measure one small change.\n",
    )
    .with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// The section: how it was measured, the table, the plot and the ratios the targets read.
pub fn render(out: &mut String, scales: &[Scale], command: &str, plot: &str) -> fmt::Result {
    writeln!(out, "## Scaling: 1× to {}×\n", scales.last().map_or(1, |s| s.times))?;
    writeln!(
        out,
        "Written by `{command}`. Reuters-21578 replicated N times (every report has N−1 exact \
         copies, so copies and stories have the most to do); each scale built with `dateline \
         index` as a whole process (wall; peak RSS, `VmHWM`, and peak anonymous memory, `RssAnon`, \
         sampled from `/proc` every 20 ms: the rest of the RSS is the index's own memory-mapped \
         files, which the kernel reclaims under pressure), indexed again unchanged, \
         searched in process ({REPS} runs of the {} harness queries, top 10, 3 passages) and as \
         whole `dateline search` processes ({PROCESS_REPS} runs of each), then given one report \
         and indexed again; last, one report added, one changed and one deleted while `dateline \
         index --watch` runs, then reverted (seconds from the files written to the watcher's \
         summary line, its half-second wait for quiet included; the files are written once it \
         says it is watching, and the seconds it took to say so, adding a watch to every \
         folder, are the first figure). The machine's two cores are shared: read the ratios between rows of \
         one run, not single seconds.\n",
        QUERIES.len()
    )?;
    writeln!(
        out,
        "| scale | reports | corpus MB | full build s / peak RSS MB (anonymous) | unchanged re-scan s / peak RSS MB | one report added s (÷ build) | `--watch`: ready / change / revert applied s | in process p50 / p99 ms | whole process p50 ms (slowest query's p50) | index ÷ corpus |"
    )?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")?;
    for s in scales {
        let (slowest, query) = s.slowest_process();
        writeln!(
            out,
            "| {}× | {} | {:.0} | {:.1} / {} ({:.0}) | {:.2} / {} | {:.2} ({:.4}×) | {:.2} / {:.2} / {:.2} | {:.2} / {:.2} | {:.1} ({:.1}: `{query}`) | {:.2} |",
            s.times,
            s.reports,
            s.corpus_bytes as f64 / 1e6,
            s.build.secs,
            rss(s.build),
            s.build_anon_mb,
            s.rescan.secs,
            rss(s.rescan),
            s.added.secs,
            s.added.secs / s.build.secs,
            s.watched.ready,
            s.watched.change,
            s.watched.revert,
            s.search_p50(),
            s.search_p99(),
            s.process_p50(),
            slowest,
            s.index_bytes as f64 / s.corpus_bytes as f64,
        )?;
    }
    writeln!(out, "\n![Wall time, peak RSS and search latency by corpus size]({plot})\n")?;
    for pair in scales.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        writeln!(
            out,
            "- {}× → {}× ({:.1}× the reports): build wall {:.1}×, build peak RSS {:.2}× (anonymous {:.2}×), in-process p50 {:.2}×, whole-process p50 {:.2}×.",
            a.times,
            b.times,
            b.reports as f64 / a.reports as f64,
            b.build.secs / a.build.secs,
            ratio(b.build, a.build),
            b.build_anon_mb / a.build_anon_mb,
            b.search_p50() / a.search_p50(),
            b.process_p50() / a.process_p50(),
        )?;
    }
    writeln!(out)?;
    targets(out, scales)
}

/// Issue 14's targets, read from this run's rows: memory at each scale of 10× and over, the
/// rest at the largest scale.
fn targets(out: &mut String, scales: &[Scale]) -> fmt::Result {
    let Some(largest) = scales.last().filter(|s| s.times >= 10) else {
        return Ok(());
    };
    let met = |ok: bool| if ok { "yes" } else { "**no**" };
    writeln!(out, "| target (issue 14) | measured | met |\n|---|---|---|")?;
    for s in scales.iter().filter(|s| s.times >= 10) {
        let peak = s.build.peak_rss_mb.unwrap_or(f64::NAN);
        writeln!(
            out,
            "| full build peak RSS ≤ 400 MB at {}× | {peak:.0} MB ({:.0} MB anonymous) | {} |",
            s.times,
            s.build_anon_mb,
            if peak <= 400.0 {
                "yes"
            } else if s.build_anon_mb <= 400.0 {
                "anonymous memory only"
            } else {
                "**no**"
            },
        )?;
        let rescan = s.rescan.peak_rss_mb.unwrap_or(f64::NAN);
        writeln!(
            out,
            "| unchanged re-scan peak RSS ≤ 400 MB at {}× | {rescan:.0} MB | {} |",
            s.times,
            met(rescan <= 400.0)
        )?;
    }
    let n = largest.times;
    let added = largest.added.secs / largest.build.secs;
    writeln!(
        out,
        "| one report added ≤ 0.02× a full build at {n}× | {added:.4}× ({:.1} s) | {} |",
        largest.added.secs,
        met(added <= 0.02)
    )?;
    let crate::reindex::Watched { ready, change, revert } = largest.watched;
    writeln!(
        out,
        "| `--watch` applies a change within a second at {n}× | {change:.2} s, revert {revert:.2} s (watching {ready:.2} s after the first run) | {} |",
        met(change.max(revert) <= 1.0)
    )?;
    if let Some(ten) = scales.iter().find(|s| s.times == 10).filter(|_| n > 10) {
        let growth = largest.search_p50() / ten.search_p50();
        writeln!(
            out,
            "| in-process p50 at {n}× ≤ 2× the 10× figure | {growth:.2}× ({:.2} / {:.2} ms) | {} |",
            largest.search_p50(),
            ten.search_p50(),
            met(growth <= 2.0)
        )?;
    }
    let (slowest, query) = largest.slowest_process();
    writeln!(
        out,
        "| whole process ≤ 15 ms at {n}× for every query (p50 of each) | p50 {:.1} ms; slowest `{query}` {slowest:.1} ms | {} |\n",
        largest.process_p50(),
        met(slowest <= 15.0)
    )
}

fn rss(run: Timed) -> String {
    run.peak_rss_mb.map_or("n/a".into(), |mb| format!("{mb:.0}"))
}

fn ratio(b: Timed, a: Timed) -> f64 {
    match (b.peak_rss_mb, a.peak_rss_mb) {
        (Some(b), Some(a)) => b / a,
        _ => f64::NAN,
    }
}

/// Replaces the section of `markdown` that starts with this section's heading by
/// `section`, or appends it when there is none.
pub fn replace_section(markdown: &str, section: &str) -> String {
    let heading = "## Scaling:";
    let Some(start) = markdown.find(heading) else {
        return format!("{}\n{section}", markdown.trim_end());
    };
    let end = markdown[start + heading.len()..]
        .find("\n## ")
        .map_or(markdown.len(), |at| start + heading.len() + at + 1);
    format!("{}{section}{}", &markdown[..start], &markdown[end..])
}

#[cfg(test)]
mod tests {
    use super::replace_section;

    #[test]
    fn the_section_is_replaced_in_place_or_appended() {
        let old = "# B\n\n## A\n\na\n\n## Scaling: 1× to 10×\n\nold\n\n## C\n\nc\n";
        let new = replace_section(old, "## Scaling: 1× to 100×\n\nnew\n\n");
        assert_eq!(new, "# B\n\n## A\n\na\n\n## Scaling: 1× to 100×\n\nnew\n\n## C\n\nc\n");
        let appended = replace_section("# B\n\n## A\n\na\n", "## Scaling: 1× to 10×\n\nx\n");
        assert_eq!(appended, "# B\n\n## A\n\na\n## Scaling: 1× to 10×\n\nx\n");
    }
}
