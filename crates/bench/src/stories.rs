//! Section `stories`: how well reports are grouped into stories, on the hand-labelled
//! Reuters stories (`judgments/stories.tsv`).
//!
//! The index is built as users build it (one run over the corpus, so every report is placed
//! online, in the order the indexer reads them), and its `story` field is scored on each
//! half of the labels: the tuning half, on which the model's constants were chosen, and the
//! held-out half, which was only scored.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use dateline_schema::{Fields, StoredReport};
use tantivy::schema::Value;

use dateline_bench::clustering::{Scores, score};

/// The labelled set's figures.
pub struct StoryScores {
    pub reports: usize,
    pub stories: usize,
    /// The index's stories on all labelled reports, and on each half.
    pub all: Scores,
    pub tuning: Scores,
    pub held_out: Scores,
    /// The whole corpus's largest story: a precision check the labels barely see.
    pub largest: Largest,
    /// How many reports the index holds.
    pub reports_indexed: usize,
}

/// The largest story of the whole index, and how many companies its headlines name (the
/// distinct ticker symbols, `<GY>`, Reuters puts after a company's name): a story is one
/// event, so one holding many companies' headlines has merged unrelated reports.
pub struct Largest {
    pub reports: usize,
    pub tickers: usize,
}

/// One report as the bench reads it back.
struct Read {
    name: String,
    report: StoredReport,
    story: u64,
}

/// Indexes Reuters afresh into `work` and scores its stories.
pub fn measure(reuters: &Path, work: &Path) -> Result<StoryScores> {
    let index_dir = work.join("stories-index");
    if index_dir.try_exists()? {
        std::fs::remove_dir_all(&index_dir)?;
    }
    crate::keyword::index(reuters, &index_dir)?;
    let reports = read_all(&index_dir)?;
    let labels = labels()?;
    let found: HashMap<&str, u64> = reports.iter().map(|r| (r.name.as_str(), r.story)).collect();
    let scored = |in_half: &dyn Fn(&str) -> bool| -> Scores {
        let pairs: Vec<(&str, u64)> = labels
            .iter()
            .filter(|(_, label)| in_half(label))
            .filter_map(|(name, label)| Some((label.as_str(), *found.get(name.as_str())?)))
            .collect();
        score(&pairs)
    };
    if std::env::var_os("DATELINE_STORIES_DETAIL").is_some() {
        detail(&labels, &reports);
    }
    let largest = largest(&reports);
    let mut distinct: Vec<&String> = labels.values().collect();
    distinct.sort();
    distinct.dedup();
    Ok(StoryScores {
        reports: labels.len(),
        stories: distinct.len(),
        all: scored(&|_| true),
        tuning: scored(&half),
        held_out: scored(&|label| !half(label)),
        largest,
        reports_indexed: reports.len(),
    })
}

fn largest(reports: &[Read]) -> Largest {
    let mut members: HashMap<u64, Vec<&Read>> = HashMap::new();
    for read in reports {
        members.entry(read.story).or_default().push(read);
    }
    let biggest = members.values().max_by_key(|m| m.len()).map(Vec::as_slice).unwrap_or_default();
    let mut tickers: Vec<&str> =
        biggest.iter().filter_map(|r| ticker(r.report.title.text())).collect();
    tickers.sort_unstable();
    tickers.dedup();
    Largest { reports: biggest.len(), tickers: tickers.len() }
}

/// The first `<SYMBOL>` of a Reuters headline.
fn ticker(headline: &str) -> Option<&str> {
    let (_, rest) = headline.split_once('<')?;
    let (symbol, _) = rest.split_once('>')?;
    Some(symbol.trim()).filter(|s| !s.is_empty())
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
    reports.sort_by(|a, b| a.report.path.cmp(&b.report.path));
    Ok(reports)
}

/// The section, in Markdown.
pub fn render(out: &mut String, s: &StoryScores) -> std::fmt::Result {
    use std::fmt::Write;
    writeln!(out, "## Stories\n")?;
    writeln!(
        out,
        "{} hand-labelled Reuters-21578 reports in {} stories (`crates/bench/judgments/stories.tsv`), split by story into a tuning half and a held-out half. Pairwise and B-cubed precision / recall / F1 over the labelled reports (`dateline_bench::clustering`) of the stories the index gives them (`Params::default()`, shipped).\n",
        s.reports, s.stories
    )?;
    writeln!(out, "| reports | pairwise P / R / F1 | B-cubed P / R / F1 |")?;
    writeln!(out, "|---|---|---|")?;
    for (half, scores) in [("all", &s.all), ("tuning", &s.tuning), ("held out", &s.held_out)] {
        let (w, c) = (scores.pairwise, scores.bcubed);
        writeln!(
            out,
            "| {half} | {:.3} / {:.3} / **{:.3}** | {:.3} / {:.3} / **{:.3}** |",
            w.precision, w.recall, w.f1, c.precision, c.recall, c.f1
        )?;
    }
    writeln!(
        out,
        "\nThe largest story of the whole 1× corpus ({} reports): {} reports, whose headlines name {} companies (distinct ticker symbols, `<GY>`). A story is one event; many companies in one story are unrelated reports merged, which the labels barely see.",
        s.reports_indexed, s.largest.reports, s.largest.tickers
    )?;
    writeln!(out)
}

/// On stderr, each labelled story the index splits or merges, held-out half first: each of
/// its stories' reports (date, file, headline), those labelled otherwise marked with their
/// label and the unlabelled ones counted.
fn detail(labels: &HashMap<String, String>, reports: &[Read]) {
    let mut members: HashMap<u64, Vec<&Read>> = HashMap::new();
    for read in reports {
        members.entry(read.story).or_default().push(read);
    }
    let mut stories_of: HashMap<&str, Vec<u64>> = HashMap::new();
    for read in reports {
        if let Some(label) = labels.get(&read.name) {
            let stories = stories_of.entry(label).or_default();
            if !stories.contains(&read.story) {
                stories.push(read.story);
            }
        }
    }
    let mut sorted: Vec<(&str, Vec<u64>)> = stories_of.into_iter().collect();
    sorted.sort_by_key(|(label, _)| (half(label), *label));
    for (label, stories) in sorted {
        let merged = stories.iter().any(|story| {
            members[story].iter().any(|r| labels.get(&r.name).is_some_and(|l| l != label))
        });
        if stories.len() == 1 && !merged {
            continue;
        }
        let side = if half(label) { "tuning" } else { "held out" };
        eprintln!("{label} ({side}): {} stories", stories.len());
        for story in stories {
            let all = &members[&story];
            let unlabelled = all.iter().filter(|r| !labels.contains_key(&r.name)).count();
            eprintln!("  story {story:016x}: {} reports, {unlabelled} unlabelled", all.len());
            for read in all.iter().filter(|r| labels.contains_key(&r.name)) {
                let other = labels.get(&read.name).filter(|l| *l != label);
                eprintln!(
                    "    {} {} {}{}",
                    read.report.date.map(|d| d.to_string()).unwrap_or_default(),
                    read.name,
                    read.report.title.text(),
                    other.map(|l| format!("  [{l}]")).unwrap_or_default()
                );
            }
        }
    }
}
