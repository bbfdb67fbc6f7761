//! Section `stories`: how well reports are grouped into stories, on the hand-labelled
//! Reuters stories (`judgments/stories.tsv`), and the weights learned on half of them.
//!
//! The index is built as users build it (one run over the corpus, so every report is placed
//! online, in the order the indexer reads them), and its `story` field is scored. Weights
//! are then learned on the tuning half (`stories_fit`), and the same online clustering
//! (`dateline_stories`, as the indexer calls it on a first run) replayed with them over the
//! same reports in the same order.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use dateline_schema::{Fields, StoredReport};
use dateline_stories::{FEATURE_NAMES, Features, Params, Stories, Weigher, terms::terms};
use tantivy::schema::Value;

use dateline_bench::clustering::{Scores, score};

use crate::stories_fit::{self, Learned};

/// The labelled set's figures.
pub struct StoryScores {
    pub reports: usize,
    pub stories: usize,
    /// The index's stories (`Params::default()`, the weights shipped) on all labelled
    /// reports, and on each half.
    pub index_all: Scores,
    pub index_tuning: Scores,
    pub index_held_out: Scores,
    /// The weights learned on the tuning half, and their replay's scores on each half.
    pub fit: Learned,
    pub fit_tuning: Scores,
    pub fit_held_out: Scores,
}

/// One report as the bench reads it back.
struct Read {
    name: String,
    report: StoredReport,
    story: u64,
}

/// Indexes Reuters afresh into `work`, scores its stories, and learns the weights again.
pub fn measure(reuters: &Path, work: &Path) -> Result<StoryScores> {
    let index_dir = work.join("stories-index");
    if index_dir.try_exists()? {
        std::fs::remove_dir_all(&index_dir)?;
    }
    crate::keyword::index(reuters, &index_dir)?;
    let mut reports = read_all(&index_dir)?;
    reports.sort_by(|a, b| a.report.path.cmp(&b.report.path));
    let labels = labels()?;
    let (tuning, held_out): (Vec<&String>, Vec<&String>) =
        labels.keys().partition(|name| half(&labels[*name]));
    let index_stories: HashMap<&str, u64> =
        reports.iter().map(|r| (r.name.as_str(), r.story)).collect();
    let scored = |names: &[&String], found: &HashMap<&str, u64>| -> Scores {
        let pairs: Vec<(&str, u64)> = names
            .iter()
            .filter_map(|n| {
                let name: &str = n;
                Some((labels[name].as_str(), *found.get(name)?))
            })
            .collect();
        score(&pairs)
    };
    let all: Vec<&String> = labels.keys().collect();
    let prepared = prepare(&reports);
    let gold = stories_fit::gold(reports.iter().map(|r| r.name.as_str()), &labels, half);
    let fit = stories_fit::fit(&prepared, &gold)?;
    let found = replay(&reports, &prepared, fit.params);
    if std::env::var_os("DATELINE_STORIES_DETAIL").is_some() {
        detail(&labels, &found);
    }
    let mut distinct: Vec<&String> = labels.values().collect();
    distinct.sort();
    distinct.dedup();
    Ok(StoryScores {
        reports: labels.len(),
        stories: distinct.len(),
        index_all: scored(&all, &index_stories),
        index_tuning: scored(&tuning, &index_stories),
        index_held_out: scored(&held_out, &index_stories),
        fit_tuning: scored(&tuning, &found),
        fit_held_out: scored(&held_out, &found),
        fit,
    })
}

/// The online clustering over `reports` in order, with `params`: report name → story.
fn replay<'a>(reports: &'a [Read], prepared: &[Prepared], params: Params) -> HashMap<&'a str, u64> {
    let mut stories = Stories::new(params, 50_000);
    let mut found = HashMap::new();
    for (i, (read, (features, day))) in reports.iter().zip(prepared).enumerate() {
        found.insert(read.name.as_str(), stories.place(features, *day, i as u64, &[]).story);
    }
    found
}

/// A report's vectors and day, as the indexer weighs them on a first run.
pub type Prepared = (Features, Option<i32>);

fn prepare(reports: &[Read]) -> Vec<Prepared> {
    let mut weigher = Weigher::new();
    reports
        .iter()
        .map(|read| {
            let r = &read.report;
            let features = weigher.weigh(&terms(r.title.text(), &r.body), 0, |_| 0);
            let day = r.date.and_then(|d| {
                let secs = dateline_schema::date::to_tantivy(d)?.into_timestamp_secs();
                i32::try_from(secs.div_euclid(86_400)).ok()
            });
            (features, day)
        })
        .collect()
}

/// Whether a story label is in the tuning half (else held out): by a hash of the label, so
/// every report of a story is on one side.
fn half(label: &str) -> bool {
    xxhash_rust::xxh3::xxh3_64(label.as_bytes()).is_multiple_of(2)
}

/// Report file name → story label.
fn labels() -> Result<HashMap<String, String>> {
    let path = crate::keyword::judgments_dir().join("stories.tsv");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut labels = HashMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let (name, label) = line.split_once('\t').context("stories.tsv: a line without a tab")?;
        labels.insert(name.to_string(), label.to_string());
    }
    Ok(labels)
}

fn read_all(index_dir: &Path) -> Result<Vec<Read>> {
    let index = tantivy::Index::open_in_dir(index_dir)?;
    let fields = Fields::from_schema(&index.schema())?;
    let searcher = index.reader()?.searcher();
    let mut reports = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        for doc_id in segment.doc_ids_alive() {
            let doc: tantivy::TantivyDocument =
                searcher.doc(tantivy::DocAddress::new(ord as u32, doc_id))?;
            let story = doc.get_first(fields.story).and_then(|v| v.as_u64()).unwrap_or(0);
            let report = StoredReport::from_document(&doc, &fields);
            let name = Path::new(&report.path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            reports.push(Read { name, report, story });
        }
    }
    Ok(reports)
}

/// The section, in Markdown.
pub fn render(out: &mut String, s: &StoryScores) -> std::fmt::Result {
    use std::fmt::Write;
    writeln!(out, "## Stories\n")?;
    writeln!(
        out,
        "{} hand-labelled Reuters-21578 reports in {} stories (`crates/bench/judgments/stories.tsv`), split by story into a tuning half and a held-out half. Pairwise and B-cubed precision / recall / F1 over the labelled reports (`dateline_bench::clustering`).\n",
        s.reports, s.stories
    )?;
    writeln!(out, "| clustering | reports | pairwise P / R / F1 | B-cubed P / R / F1 |")?;
    writeln!(out, "|---|---|---|---|")?;
    let index = "the index (`Params::default()`, shipped)";
    let learned = "the weights learned on the tuning half, replayed";
    for (name, half, scores) in [
        (index, "all", &s.index_all),
        (index, "tuning", &s.index_tuning),
        (index, "held out", &s.index_held_out),
        (learned, "tuning", &s.fit_tuning),
        (learned, "held out", &s.fit_held_out),
    ] {
        let (w, c) = (scores.pairwise, scores.bcubed);
        writeln!(
            out,
            "| {name} | {half} | {:.3} / {:.3} / **{:.3}** | {:.3} / {:.3} / **{:.3}** |",
            w.precision, w.recall, w.f1, c.precision, c.recall, c.f1
        )?;
    }
    let (f, shipped) = (&s.fit, Params::default());
    writeln!(
        out,
        "\nThe weights: shipped, and learned by logistic regression (L2 penalty {}) on {} report–story examples of the tuning half, {} of them a report's own story, the bias then shifted by {:+.2} to the best replay on the tuning half:\n",
        stories_fit::ALPHA,
        f.examples,
        f.positives,
        f.shift
    )?;
    writeln!(out, "| feature | shipped | learned |")?;
    writeln!(out, "|---|---|---|")?;
    for ((name, a), b) in FEATURE_NAMES.iter().zip(shipped.weights).zip(f.params.weights) {
        writeln!(out, "| {name} | {a:.3} | {b:.3} |")?;
    }
    writeln!(out, "| bias | {:.3} | {:.3} |", shipped.bias, f.params.bias)?;
    writeln!(out)
}

/// Each labelled story's split over the index's stories, and what else shares them (stderr).
fn detail(labels: &HashMap<String, String>, found: &HashMap<&str, u64>) {
    let mut by_label: HashMap<&str, Vec<(u64, &str)>> = HashMap::new();
    for (name, label) in labels {
        if let Some(&story) = found.get(name.as_str()) {
            by_label.entry(label).or_default().push((story, name));
        }
    }
    let mut labels_of: HashMap<u64, Vec<&str>> = HashMap::new();
    for (name, label) in labels {
        if let Some(&story) = found.get(name.as_str()) {
            labels_of.entry(story).or_default().push(label);
        }
    }
    let mut sorted: Vec<_> = by_label.into_iter().collect();
    sorted.sort();
    for (label, mut members) in sorted {
        members.sort();
        let mut parts: Vec<String> = Vec::new();
        let mut stories: Vec<u64> = members.iter().map(|m| m.0).collect();
        stories.dedup();
        stories.sort();
        stories.dedup();
        for story in stories {
            let names: Vec<&str> =
                members.iter().filter(|m| m.0 == story).map(|m| &m.1[5..10]).collect();
            let mut others: Vec<&str> =
                labels_of[&story].iter().copied().filter(|l| *l != label).collect();
            others.sort();
            others.dedup();
            parts.push(format!(
                "[{}{}]",
                names.join(" "),
                if others.is_empty() { String::new() } else { format!(" +{}", others.join(",")) }
            ));
        }
        let side = if half(label) { "tuning" } else { "held out" };
        eprintln!("{label} ({side}): {}", parts.join(" "));
    }
}
