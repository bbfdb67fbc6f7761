//! The targets the figures are judged by, as ratios from the same run.

use anyhow::Result;

use crate::keyword::SetScores;
use crate::measure::percentile;
use crate::relevance::Method;
use crate::render::Report;
use dateline_query::Ranking;

/// One target and what this run measured for it.
pub struct Target {
    pub what: &'static str,
    pub measured: String,
    /// None when it could not be measured (a peer not installed).
    pub met: Option<bool>,
}

fn target(what: &'static str, measured: String, met: bool) -> Target {
    Target { what, measured, met: Some(met) }
}

pub fn judge(report: &Report) -> Result<Vec<Target>> {
    let largest = report.indexing.largest()?;
    let full_build = largest.dateline.run.secs;
    let throughput = largest.floor.run.secs / full_build;
    let rss = largest.dateline.run.peak_rss_mb;
    let index_ratio = largest.dateline.index_bytes as f64 / largest.bytes as f64;
    let search = &report.search;
    let search_ratio = percentile(&search.dateline, 0.5) / percentile(&search.floor, 0.5);
    let (changed, unchanged) =
        (report.reindex.changed / full_build, report.reindex.unchanged / full_build);
    let relevance = &report.relevance;
    let ours = relevance.ndcg(Method::Similar).unwrap_or(0.0);
    let best_baseline = relevance
        .ndcg(Method::TantivyOr)
        .unwrap_or(0.0)
        .max(relevance.ndcg(Method::Fts5Or).unwrap_or(0.0));

    let rg = "whole-process search ≥ 100× faster than `rg -l`";
    Ok(vec![
        target(
            "indexing throughput ≥ 0.9× the floor",
            format!("{throughput:.2}×"),
            throughput >= 0.9,
        ),
        target(
            "peak RSS ≤ 500 MB",
            rss.map_or("n/a".into(), |r| format!("{r:.0} MB")),
            rss.is_some_and(|r| r <= 500.0),
        ),
        target("index ≤ 0.8× the corpus", format!("{index_ratio:.2}×"), index_ratio <= 0.8),
        target(
            "in-process search p50 ≤ 1.5× the floor",
            format!("{search_ratio:.2}×"),
            search_ratio <= 1.5,
        ),
        match &search.rg {
            Some(samples) => {
                let speedup = percentile(samples, 0.5) / percentile(&search.dateline_process, 0.5);
                target(rg, format!("{speedup:.0}×"), speedup >= 100.0)
            }
            None => Target { what: rg, measured: "rg not installed".into(), met: None },
        },
        target(
            "re-index after add/change/delete ≤ 0.05× a full build",
            format!("{changed:.4}×"),
            changed <= 0.05,
        ),
        target(
            "unchanged re-run ≤ 0.05× a full build",
            format!("{unchanged:.4}×"),
            unchanged <= 0.05,
        ),
        target(
            "similar reports nDCG@10 ≥ 0.40 and above both BM25-OR baselines",
            format!("{ours:.3} (best baseline {best_baseline:.3})"),
            ours >= 0.40 && ours > best_baseline,
        ),
        keyword_target(&report.keyword),
        copies_target(&report.copies),
        stories_target(&report.stories),
        grouping_throughput(&report.grouping),
        collapsed_search(&report.grouping),
    ])
}

/// Copy pairs found on the held-out half at the index's own settings; none among the bundled five.
fn copies_target(eval: &crate::copies::CopiesEval) -> Target {
    let what = "copy pairs: precision and recall ≥ 0.95 (held out), no pair among the bundled five";
    let Some(row) = eval.rows.iter().find(|row| row.settings == dateline_copies::Settings::DEFAULT)
    else {
        return Target {
            what,
            measured: "the index's settings were not measured".into(),
            met: None,
        };
    };
    let (precision, recall) = (row.held_out.precision(), row.held_out.recall());
    target(
        what,
        format!("{precision:.4} / {recall:.4}; {} bundled pairs", row.bundled_pairs),
        precision >= 0.95 && recall >= 0.95 && row.bundled_pairs == 0,
    )
}

fn stories_target(scores: &crate::stories::StoryScores) -> Target {
    let (pairwise, bcubed) = (scores.held_out.pairwise.f1, scores.held_out.bcubed.f1);
    target(
        "stories: pairwise and B-cubed F1 ≥ 0.90 (held out)",
        format!("{pairwise:.3} / {bcubed:.3}"),
        pairwise >= 0.90 && bcubed >= 0.90,
    )
}

/// Reports a second with copies and stories against without, over every round.
fn grouping_throughput(grouping: &crate::grouping::Grouping) -> Target {
    let secs = |with: bool| -> f64 {
        grouping.builds.iter().map(|b| if with { b.0.secs } else { b.1.secs }).sum()
    };
    let throughput = secs(false) / secs(true);
    target(
        "indexing throughput with copies and stories ≥ 0.8× without",
        format!("{throughput:.2}×"),
        throughput >= 0.8,
    )
}

fn collapsed_search(grouping: &crate::grouping::Grouping) -> Target {
    let s = &grouping.searches;
    let ratio = percentile(&s.collapsed, 0.5) / percentile(&s.all_copies, 0.5);
    target(
        "search p50 with copies collapsed ≤ 1.2× without (in process)",
        format!("{ratio:.2}×"),
        ratio <= 1.2,
    )
}

/// The default ranking must not lose to plain BM25 on any judged set.
fn keyword_target(sets: &[SetScores]) -> Target {
    let pairs: Vec<(f64, f64)> = sets
        .iter()
        .filter_map(|set| {
            let ndcg =
                |ranking| set.scores.iter().find(|s| s.ranking == ranking).map(|s| s.ndcg_at_10);
            Some((ndcg(Ranking::default())?, ndcg(Ranking::bm25())?))
        })
        .collect();
    let measured = pairs
        .iter()
        .map(|(default, bm25)| format!("{default:.3} vs {bm25:.3}"))
        .collect::<Vec<_>>()
        .join("; ");
    target(
        "default ranking's nDCG@10 ≥ plain BM25's on every judged keyword set",
        measured,
        pairs.len() == sets.len() && pairs.iter().all(|(default, bm25)| default >= bm25),
    )
}
