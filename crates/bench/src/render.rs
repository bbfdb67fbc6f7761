//! The one renderer: every section's measurements as BENCHMARKS.md's Markdown.

use std::fmt::{self, Write as _};

use crate::corpus::Corpora;
use crate::formats::Formats;
use crate::http::Http;
use crate::indexing::{Build, Indexing};
use crate::keyword::SetScores;
use crate::languages::Languages;
use crate::measure::percentile;
use crate::queries::QUERIES;
use crate::reindex::Reindex;
use crate::relevance::Relevance;
use crate::search::Search;
use crate::targets;

/// Where the whole run draws the scaling plot, from the workspace root; BENCHMARKS.md at the
/// root links it so.
pub const SCALING_PLOT: &str = "docs/scaling.svg";

/// Everything one run measured.
pub struct Report {
    /// The workspace root.
    pub root: std::path::PathBuf,
    /// The command that wrote the report.
    pub command_line: String,
    pub date: jiff::civil::Date,
    pub machine: String,
    pub corpora: Corpora,
    pub indexing: Indexing,
    pub search: Search,
    pub tiers: crate::tiers::Tiers,
    pub http: Http,
    pub reindex: Reindex,
    pub formats: Formats,
    pub relevance: Relevance,
    pub languages: Languages,
    pub keyword: Vec<SetScores>,
    pub copies: crate::copies::CopiesEval,
    pub stories: crate::stories::StoryScores,
    pub grouping: crate::grouping::Grouping,
    /// Empty unless the run was given `--scales`.
    pub scaling: Vec<crate::scaling::Scale>,
    pub whole_run_secs: f64,
}

pub fn markdown(report: &Report) -> anyhow::Result<String> {
    let mut out = String::new();
    writeln!(out, "# Benchmarks\n")?;
    writeln!(out, "Written by `{}` on {}.\n", report.command_line, report.date)?;
    writeln!(out, "## Machine\n\n{}\n", report.machine)?;
    corpus(&mut out, &report.corpora)?;
    indexing(&mut out, &report.indexing)?;
    search(&mut out, &report.search, report.corpora.scale)?;
    crate::tiers::render(&mut out, &report.tiers, &format!("{}×", report.corpora.scale))?;
    http(&mut out, &report.http)?;
    let full_build = report.indexing.largest()?.dateline.run.secs;
    reindex(&mut out, &report.reindex, report.corpora.scale, full_build)?;
    formats(&mut out, &report.formats)?;
    relevance(&mut out, &report.relevance)?;
    languages(&mut out, &report.languages)?;
    keyword(&mut out, &report.keyword)?;
    copies(&mut out, &report.copies)?;
    crate::stories::render(&mut out, &report.stories)?;
    crate::grouping::render(&mut out, &report.grouping, &report.command_line)?;
    if !report.scaling.is_empty() {
        crate::scaling::render(&mut out, &report.scaling, &report.command_line, SCALING_PLOT)?;
    }
    writeln!(out, "## Targets (ratios from this run)\n")?;
    writeln!(out, "| target | measured | met |")?;
    writeln!(out, "|---|---|---|")?;
    for target in targets::judge(report)? {
        let met = match target.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "not measured",
        };
        writeln!(out, "| {} | {} | {met} |", target.what, target.measured)?;
    }
    writeln!(out, "\nWhole run: {:.0} s.\n", report.whole_run_secs)?;
    out.push_str(include_str!("../PROFILE.md"));
    Ok(out)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn corpus(out: &mut String, corpora: &Corpora) -> fmt::Result {
    let (small, large, scale) = (&corpora.small, &corpora.large, corpora.scale);
    writeln!(out, "## Corpus\n")?;
    writeln!(
        out,
        "Reuters-21578 (Reuters, 1987; research use only), fetched by `../shared/corpus/get-reuters21578.sh`: \
         1× = {} reports, {:.1} MB. {scale}× = {} reports, {:.1} MB: the 1× files \
         **replicated** {scale} times under distinct folder names (copy-1/ …), so every term's frequency is \
         multiplied, not diversified.{}\n",
        small.files,
        mb(small.bytes),
        large.files,
        mb(large.bytes),
        if corpora.smoke {
            " **Smoke run**: the first 300 reports only, one iteration; its figures mean nothing."
        } else {
            ""
        }
    )
}

fn formats(out: &mut String, formats: &Formats) -> fmt::Result {
    writeln!(out, "## Reading each format (whole process, cold index)\n")?;
    writeln!(
        out,
        "The Reuters reports of the 1× corpus as text files, as one JSON Lines file and gzipped; the real \
         news pages of newspaper4k's tests ×{} as `.html` files and as one WARC crawl (a gzip member a \
         record). MB/s are of decompressed input; a web page costs its article extraction.\n",
        formats.page_copies
    )?;
    writeln!(
        out,
        "| input | MB stored | MB decompressed | reports | wall s | MB/s | reports/s | peak RSS MB |"
    )?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|")?;
    for read in &formats.reads {
        let mb = |bytes: u64| bytes as f64 / 1e6;
        let rss = read.run.peak_rss_mb.map_or("n/a".to_string(), |mb| format!("{mb:.0}"));
        writeln!(
            out,
            "| {} | {:.1} | {:.1} | {} | {:.2} | {:.1} | {:.0} | {rss} |",
            read.what,
            mb(read.bytes),
            mb(read.inflated),
            read.reports,
            read.run.secs,
            mb(read.inflated) / read.run.secs,
            read.reports as f64 / read.run.secs,
        )?;
    }
    writeln!(out)
}

fn indexing(out: &mut String, indexing: &Indexing) -> fmt::Result {
    writeln!(out, "## Indexing (whole process, cold index)\n")?;
    writeln!(
        out,
        "| corpus | tool | wall s | reports/s | MB/s | peak RSS MB | index MB | index ÷ corpus |"
    )?;
    writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|")?;
    for corpus in &indexing.corpora {
        let label = &corpus.label;
        for (tool, build) in [
            ("dateline", Some(&corpus.dateline)),
            ("raw tantivy (floor)", Some(&corpus.floor)),
            ("SQLite FTS5", corpus.fts5.as_ref()),
        ] {
            let Some(Build { run, index_bytes }) = build else {
                writeln!(
                    out,
                    "| {label} | {tool} | skipped: python3 sqlite3 without FTS5 | | | | | |"
                )?;
                continue;
            };
            writeln!(
                out,
                "| {label} | {tool} | {:.2} | {:.0} | {:.1} | {} | {:.1} | {:.2} |",
                run.secs,
                corpus.files as f64 / run.secs,
                mb(corpus.bytes) / run.secs,
                run.peak_rss_mb.map_or("n/a".into(), |m| format!("{m:.0}")),
                mb(*index_bytes),
                *index_bytes as f64 / corpus.bytes as f64
            )?;
        }
    }
    writeln!(out)
}

/// A table row of p50 and p99, with `decimals` digits.
fn latency_row(out: &mut String, what: &str, samples: &[f64], decimals: usize) -> fmt::Result {
    let (p50, p99) = (percentile(samples, 0.5), percentile(samples, 0.99));
    writeln!(out, "| {what} | {p50:.decimals$} | {p99:.decimals$} |")
}

fn search(out: &mut String, search: &Search, scale: usize) -> fmt::Result {
    writeln!(out, "## Search ({scale}× corpus, {} queries)\n", QUERIES.len())?;
    writeln!(out, "Queries: {}.\n", QUERIES.map(|q| format!("`{q}`")).join(", "))?;
    writeln!(out, "| what | p50 ms | p99 ms |")?;
    writeln!(out, "|---|---:|---:|")?;
    let what = format!(
        "dateline, in process: top 10, 3 passages per hit ({} runs)",
        search.dateline.len()
    );
    latency_row(out, &what, &search.dateline, 3)?;
    latency_row(
        out,
        "raw tantivy floor, in process: top 10 + `SnippetGenerator` per hit (date filters dropped)",
        &search.floor,
        3,
    )?;
    if let Some((p50, p99)) = search.fts5 {
        writeln!(
            out,
            "| SQLite FTS5, in process (python): top 10 by bm25 + `snippet()` (words only) | {p50:.3} | {p99:.3} |",
        )?;
    }
    let what = format!("`dateline search`, whole process ({} runs)", search.dateline_process.len());
    latency_row(out, &what, &search.dateline_process, 1)?;
    latency_row(out, "raw tantivy floor, whole process", &search.floor_process, 1)?;
    match &search.rg {
        Some(rg) => {
            let what = format!("`rg -l -i -F` first word, whole process ({} runs)", rg.len());
            latency_row(out, &what, rg, 1)?;
        }
        None => writeln!(out, "| `rg` | not installed: skipped | |")?,
    }
    writeln!(out)
}

/// The HTTP load section; also what `dateline-bench serve-load` prints.
pub fn http(out: &mut String, http: &Http) -> fmt::Result {
    let load = &http.load;
    writeln!(out, "## HTTP API under load\n")?;
    writeln!(
        out,
        "`dateline serve` on loopback over the {}-report index; {} clients, each with one \
         keep-alive connection, sending `/api/search` requests back to back for {:.0} s (the {} \
         queries above, a third with `since=1987-03-15`; 10 hits, 2 passages each). Clients and \
         server share the machine's cores. Alone: `dateline-bench serve-load INDEX [CLIENTS SECONDS]`.\n",
        http.reports,
        load.clients,
        load.seconds,
        QUERIES.len()
    )?;
    writeln!(out, "| requests | errors | requests/s | p50 ms | p99 ms | max ms |")?;
    writeln!(out, "|---:|---:|---:|---:|---:|---:|")?;
    writeln!(
        out,
        "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} |\n",
        load.requests,
        load.errors,
        load.throughput(),
        load.percentile(0.5),
        load.percentile(0.99),
        load.latencies_ms.last().copied().unwrap_or(f64::NAN)
    )?;
    if let Some(error) = &load.first_error {
        writeln!(out, "First error: `{error}`\n")?;
    }
    Ok(())
}

fn reindex(out: &mut String, reindex: &Reindex, scale: usize, full_build: f64) -> fmt::Result {
    writeln!(out, "## Re-indexing the {scale}× index (whole process)\n")?;
    writeln!(out, "| run | wall s | ÷ full build ({full_build:.2} s) |")?;
    writeln!(out, "|---|---:|---:|")?;
    for (run, secs) in [
        ("unchanged corpus", reindex.unchanged),
        ("one report added, one changed, one deleted", reindex.changed),
        ("the same three reverted", reindex.reverted),
        ("`--watch`: ready, from the first run's summary to watching", reindex.watched.ready),
        ("`--watch`: the three, from written to applied", reindex.watched.change),
        ("`--watch`: their revert, from written to applied", reindex.watched.revert),
    ] {
        writeln!(out, "| {run} | {secs:.3} | {:.4} |", secs / full_build)?;
    }
    writeln!(
        out,
        "\nUnder `--watch` each run visits only the paths the file watcher named; the time includes the \
         watcher's half-second wait for the folders to be quiet. Changes are made once the watcher \
         says it is watching (adding its watches walks every folder).\n"
    )
}

pub fn languages(out: &mut String, languages: &Languages) -> fmt::Result {
    writeln!(out, "## Languages: detection and Chinese word search\n")?;
    writeln!(
        out,
        "Detection on {} texts: {} reference texts of newspaper4k's real pages (language from the file name or \
         metadata: ar, bn, en, es, hi, ja, ko, lv, my, ne, th, zh) and English newswire (Reuters-21578 and Lee 2005 \
         reports). Correct = the language named; undetermined = the detector declined (whatlang's own reliability \
         test; as indexed, also whichlang naming another of its languages). Alone: `dateline-bench languages`.\n",
        languages.samples, languages.page_samples
    )?;
    writeln!(
        out,
        "| detector | languages known | correct | undetermined | never right on | MB/s |"
    )?;
    writeln!(out, "|---|---:|---:|---:|---|---:|")?;
    for d in &languages.detectors {
        writeln!(
            out,
            "| {} | {} | {} / {} | {} | {} | {:.1} |",
            d.name,
            d.languages,
            d.correct,
            languages.samples,
            d.undetermined,
            d.unknown.join(", "),
            d.mb_per_s
        )?;
    }
    let recall = languages.chinese_found as f64 / languages.chinese_relevant.max(1) as f64;
    writeln!(
        out,
        "\nChinese word search: each of the {} words of two or more Han characters that the segmenter finds in the \
         Chinese pages' texts, searched alone; of the {} (word, report) pairs where the report holds the word as a \
         word, {} were found: recall {:.3}. Hits without the word as a word: {}.\n",
        languages.chinese_words,
        languages.chinese_relevant,
        languages.chinese_found,
        recall,
        languages.chinese_extra
    )
}

pub fn relevance(out: &mut String, relevance: &Relevance) -> fmt::Result {
    writeln!(out, "## Relevance: similar reports on Lee et al. 2005\n")?;
    writeln!(
        out,
        "50 human-judged news articles, each used as the query (\"reports like this one\") against 350 (50 judged + 300 \
         distractors), its own document dropped; graded judgments 0–3 from `qrels.txt`. Metrics by \
         `crates/bench/src/metrics.rs` (unit-tested against a hand-worked example).\n"
    )?;
    writeln!(out, "| method | nDCG@10 | MAP |")?;
    writeln!(out, "|---|---:|---:|")?;
    for score in &relevance.scores {
        writeln!(out, "| {} | {:.3} | {:.3} |", score.method.label(), score.ndcg_at_10, score.map)?;
    }
    writeln!(out)
}

pub fn keyword(out: &mut String, sets: &[SetScores]) -> fmt::Result {
    writeln!(out, "## Relevance: keyword queries, ranking variants on the same index\n")?;
    writeln!(
        out,
        "Each variant is a `dateline_query::Ranking`, run through `Index::search` as users run it, on one index \
         per set, with every word required (`strict`) and, as by default, with the reports matching most of the \
         words after those (*matching*). **Reuters-21578** (1×): 30 keyword queries a journalist or analyst \
         would type (`crates/bench/judgments/reuters-queries.tsv`, each with its information need); the top 10 \
         of every variant were pooled and each pooled report read and graded 0 (not about it) / 1 (partly) / 2 \
         (about it) in `reuters-judgments.tsv` (`dateline-bench pool` lists what is not graded yet); unjudged \
         reports count as 0. **Lee 2005**: each judged article is queried by a headline-like lead of 2–4 words \
         taken from its first sentence (`lee-queries.tsv`), its own document dropped, graded by the human \
         similarity grades 0–3 of `qrels.txt`. MAP over the top 100. *≥ 2 hits*: queries whose plain BM25 \
         ranking holds two reports or more, the only ones whose order a variant can change. *better / worse*: \
         queries whose nDCG@10 the variant raises / lowers against plain BM25. **default** marks \
         `Ranking::default()`.\n"
    )?;
    writeln!(
        out,
        "Neither set can tell the publisher field from plain BM25: every Reuters report has the one publisher \
         \"Reuters\", every Lee report the corpus's name, and no query names them. Nor can Lee tell any \
         variant apart: its reports have no headline; with every word required, nearly every lead's words \
         together are in its own article alone, and the reports matching most of them rank by how many words \
         they hold, where the proximity bonus (all the words close together) cannot apply.\n"
    )?;
    writeln!(
        out,
        "| ranking | set | matching | queries (≥ 2 hits) | nDCG@10 | MAP | queries better / worse than BM25 |"
    )?;
    writeln!(out, "|---|---|---|---:|---:|---:|---:|")?;
    for set in sets {
        for score in &set.scores {
            let default = match score.ranking == dateline_query::Ranking::default() {
                true => " **default**",
                false => "",
            };
            writeln!(
                out,
                "| {}{default} | {} | {} | {} ({}) | {:.3} | {:.3} | {} / {} |",
                score.variant,
                set.set,
                set.matching,
                set.queries,
                set.ranked,
                score.ndcg_at_10,
                score.map,
                score.better,
                score.worse
            )?;
        }
    }
    writeln!(out)
}

/// The copies section: precision and recall of copy pairs per setting.
pub fn copies(out: &mut String, eval: &crate::copies::CopiesEval) -> fmt::Result {
    writeln!(out, "## Copies\n")?;
    writeln!(
        out,
        "{} reports: {} Reuters-21578 sources of 80 words or more ({} wire texts: a story \
         Reuters re-sent within three days under the same headline, or one with a word \
         changed, is one text, decided from headline and date alone) and three seeded \
         reprints of each (local intro, last lines cut, sign-off and byline, word edits, \
         commas and spacing); {} copy pairs, every other pair a negative. Split by wire text \
         into a tuning half and a held-out half (pairs within a half); the setting is chosen \
         on the tuning half. A pair is called a copy when the two share a sketch key and the \
         shorter's shingles are contained in the longer. Shingling and sketching: {:.1} µs a \
         report. `cargo run --release -p dateline-bench -- copies`\n",
        eval.reports, eval.sources, eval.wire_texts, eval.copy_pairs, eval.sketch_us
    )?;
    writeln!(
        out,
        "| shingle | threshold | tuning P / R | held out P / R | bundled five: copy pairs | false pairs with containment ≥ 0.9 |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for row in &eval.rows {
        let mut tags = Vec::new();
        if row.settings == dateline_copies::Settings::DEFAULT {
            tags.push("default");
        }
        if Some(row.settings) == eval.chosen {
            tags.push("best on tuning");
        }
        let tags = if tags.is_empty() { String::new() } else { format!(" ({})", tags.join(", ")) };
        let (t, h) = (row.tuning, row.held_out);
        writeln!(
            out,
            "| {}{tags} | {} | {:.4} / {:.4} | **{:.4} / {:.4}** | {} | {} |",
            row.settings.shingle,
            row.settings.threshold,
            t.precision(),
            t.recall(),
            h.precision(),
            h.recall(),
            row.bundled_pairs,
            row.near_identical_negatives
        )?;
    }
    writeln!(out)?;
    Ok(())
}
