//! Relevance of keyword queries under each [`Ranking`] variant, on the same index: the
//! judged Reuters set kept in `crates/bench/judgments/`, and Lee et al. 2005 queried by a
//! headline-like lead of each judged article.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use dateline_bench::judged::{self, JudgedQuery};
use dateline_bench::metrics::{self, Judgments};
use dateline_query::{Index, Query, Ranking};

/// The rankings compared: plain BM25, each extra alone on top of it, the two that help
/// together, and all of them. The first is the baseline the others are compared with.
pub const VARIANTS: [(&str, Ranking); 6] = [
    ("BM25 over headline + body", Ranking::bm25()),
    ("+ headline boost (×2)", Ranking::bm25().headline_boost(true)),
    ("+ proximity bonus (slop 2)", Ranking::bm25().proximity(true)),
    ("+ publisher field (×0.3)", Ranking::bm25().publisher(true)),
    ("headline boost + proximity bonus", Ranking::bm25().headline_boost(true).proximity(true)),
    ("all three extras", Ranking::bm25().headline_boost(true).proximity(true).publisher(true)),
];

/// How reports match a query of several words: every word required (`strict`), or, as by
/// default, those followed by the reports matching most of the words.
pub const MATCHING: [&str; 2] = ["every word", "every word, then most words"];

/// How deep each query's ranking is scored (MAP).
const DEPTH: usize = 100;
/// How deep each variant's ranking is pooled for judging: nDCG@10 then sees only graded
/// reports.
const POOL_DEPTH: usize = 10;

/// One judged set: its queries and judgments, and how a hit is named in them.
pub struct JudgedSet {
    pub name: &'static str,
    pub queries: Vec<JudgedQuery>,
    pub judged: HashMap<String, Judgments>,
    /// Lee's queries come from one of its documents, which must not count as found.
    own_document: HashMap<String, String>,
}

/// One variant's mean scores over a set's queries.
pub struct Score {
    pub variant: &'static str,
    pub ranking: Ranking,
    pub ndcg_at_10: f64,
    pub map: f64,
    /// Queries whose nDCG@10 this variant raises, and lowers, against the baseline.
    pub better: usize,
    pub worse: usize,
}

/// A set's scores, in [`VARIANTS`] order.
pub struct SetScores {
    pub set: &'static str,
    /// Which reports match: one of [`MATCHING`].
    pub matching: &'static str,
    pub queries: usize,
    /// Queries whose baseline ranking holds two or more reports: the only ones where a
    /// variant can change the order.
    pub ranked: usize,
    pub scores: Vec<Score>,
}

/// The judged sets' folder in the repository.
pub fn judgments_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("judgments")
}

fn read(name: &str) -> Result<String> {
    let path = judgments_dir().join(name);
    std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
}

/// The judged Reuters set (30 queries, pooled and judged by hand).
pub fn reuters_set() -> Result<JudgedSet> {
    let queries = judged::parse_queries(&read("reuters-queries.tsv")?)
        .map_err(|e| anyhow::anyhow!("reuters-queries.tsv: {e}"))?;
    let judged = judged::parse_judgments(&read("reuters-judgments.tsv")?)
        .map_err(|e| anyhow::anyhow!("reuters-judgments.tsv: {e}"))?;
    Ok(JudgedSet {
        name: "Reuters-21578, 30 judged queries",
        queries,
        judged,
        own_document: HashMap::new(),
    })
}

/// Lee et al. 2005 (fetched into `lee`): the 50 leads of `lee-queries.tsv`, judged by the
/// human similarity grades of `qrels.txt` (0–3) against the article each lead came from.
pub fn lee_set(lee: &Path) -> Result<JudgedSet> {
    let queries = judged::parse_queries(&read("lee-queries.tsv")?)
        .map_err(|e| anyhow::anyhow!("lee-queries.tsv: {e}"))?;
    let qrels = metrics::parse_qrels(&std::fs::read_to_string(lee.join("qrels.txt"))?);
    // qrels name documents by stem; hits are named by file name.
    let judged = qrels
        .into_iter()
        .map(|(q, grades)| (q, grades.into_iter().map(|(d, g)| (format!("{d}.txt"), g)).collect()))
        .collect();
    let own_document = std::fs::read_to_string(lee.join("query_source.tsv"))?
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(q, d)| (q.to_string(), format!("{d}.txt")))
        .collect();
    Ok(JudgedSet { name: "Lee 2005, 50 headline-like leads", queries, judged, own_document })
}

impl JudgedSet {
    /// The file names of `query`'s hits under `ranking`, best first, at most `depth`.
    fn ranked(
        &self,
        index: &Index,
        query: &JudgedQuery,
        (ranking, strict): (Ranking, bool),
        depth: usize,
    ) -> Result<Vec<String>> {
        let own = self.own_document.get(&query.id);
        let query_of = Query::new(&query.text).ranked_by(ranking).strict(strict);
        let results = index
            .search(&query_of.limit(depth + 1).passages(0))
            .with_context(|| format!("query {} `{}`", query.id, query.text))?;
        Ok(results
            .hits
            .iter()
            .filter_map(|h| {
                h.attribution.path.file_name().map(|n| n.to_string_lossy().into_owned())
            })
            .filter(|name| Some(name) != own)
            .take(depth)
            .collect())
    }

    /// Mean nDCG@10 and MAP of every variant on `index`, with every word required
    /// (`strict`) or with the reports matching most of the words after those.
    pub fn measure(&self, index: &Index, strict: bool) -> Result<SetScores> {
        let mut per_variant = Vec::new();
        let mut ranked = 0;
        for (variant, ranking) in VARIANTS {
            let mut per_query = Vec::new();
            for query in &self.queries {
                let hits = self.ranked(index, query, (ranking, strict), DEPTH)?;
                let judged = self.judged.get(&query.id).cloned().unwrap_or_default();
                if per_variant.is_empty() && hits.len() >= 2 {
                    ranked += 1;
                }
                per_query.push((
                    metrics::ndcg_at(10, &hits, &judged),
                    metrics::average_precision(&hits, &judged),
                ));
            }
            per_variant.push((variant, ranking, per_query));
        }
        let baseline: Vec<f64> = per_variant[0].2.iter().map(|(ndcg, _)| *ndcg).collect();
        let n = self.queries.len().max(1) as f64;
        let scores = per_variant
            .into_iter()
            .map(|(variant, ranking, per_query)| {
                let beside =
                    || per_query.iter().zip(&baseline).map(|((ndcg, _), base)| ndcg - base);
                Score {
                    variant,
                    ranking,
                    ndcg_at_10: per_query.iter().map(|(ndcg, _)| ndcg).sum::<f64>() / n,
                    map: per_query.iter().map(|(_, ap)| ap).sum::<f64>() / n,
                    better: beside().filter(|d| *d > 1e-9).count(),
                    worse: beside().filter(|d| *d < -1e-9).count(),
                }
            })
            .collect();
        let matching = if strict { MATCHING[0] } else { MATCHING[1] };
        Ok(SetScores { set: self.name, matching, queries: self.queries.len(), ranked, scores })
    }

    /// The reports in some variant's top 10 that no judgment grades yet, per query, in
    /// query order: what a judge must read before the set's figures hold.
    pub fn unjudged_pool(&self, index: &Index) -> Result<Vec<(String, String)>> {
        let mut pool = Vec::new();
        for query in &self.queries {
            let judged = self.judged.get(&query.id);
            let modes = VARIANTS.iter().flat_map(|(_, r)| [(*r, true), (*r, false)]);
            for mode in modes {
                for name in self.ranked(index, query, mode, POOL_DEPTH)? {
                    let known = judged.is_some_and(|j| j.contains_key(&name));
                    let entry = (query.id.clone(), name);
                    if !known && !pool.contains(&entry) {
                        pool.push(entry);
                    }
                }
            }
        }
        Ok(pool)
    }
}

/// Indexes `corpus` into `index_dir` (a mirror: only what changed is read again). A cached
/// index of an older format is built again.
pub fn index(corpus: &Path, index_dir: &Path) -> Result<Index> {
    let mut indexer = match dateline_indexer::Indexer::open_or_create(index_dir, Default::default())
    {
        Err(dateline_indexer::Error::Format(_)) => {
            std::fs::remove_dir_all(index_dir)?;
            dateline_indexer::Indexer::open_or_create(index_dir, Default::default())?
        }
        opened => opened?,
    };
    indexer.update(&[corpus.to_path_buf()], |_| {})?;
    drop(indexer);
    Ok(Index::open(index_dir)?)
}
