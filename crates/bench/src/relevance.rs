//! Relevance of similar reports on Lee et al. 2005: nDCG@10 and MAP of Dateline's similar
//! reports and of two BM25-OR baselines (tantivy through Dateline's index, SQLite FTS5).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::Result;
use dateline_bench::metrics;
use dateline_query::{Index, Query};

use crate::Setup;
use crate::measure::fts5_script;

/// A ranking method measured.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Similar,
    TantivyOr,
    Fts5Or,
}

impl Method {
    pub fn label(self) -> &'static str {
        match self {
            Method::Similar => {
                "dateline similar (tf-idf terms, no stop words or near-universal words)"
            }
            Method::TantivyOr => {
                "BM25-OR, tantivy (Dateline's index, every word of the article OR-ed)"
            }
            Method::Fts5Or => "BM25-OR, SQLite FTS5 (porter tokenizer)",
        }
    }
}

/// One method's mean scores over the judged queries.
pub struct Score {
    pub method: Method,
    pub ndcg_at_10: f64,
    pub map: f64,
}

/// The methods measured, in table order (FTS5 only when python3's sqlite3 has it).
pub struct Relevance {
    pub scores: Vec<Score>,
}

impl Relevance {
    pub fn ndcg(&self, method: Method) -> Option<f64> {
        self.scores.iter().find(|s| s.method == method).map(|s| s.ndcg_at_10)
    }
}

/// Document ids (file stems) by query id, best first.
type Rankings = HashMap<String, Vec<String>>;

/// Ranks with each method against `lee`, a corpus fetched by get-lee2005.sh.
pub fn measure(setup: &Setup, lee: &Path) -> Result<Relevance> {
    let work = &setup.work;
    let docs = lee.join("docs");
    let qrels = metrics::parse_qrels(&std::fs::read_to_string(lee.join("qrels.txt"))?);
    let sources: HashMap<String, String> = std::fs::read_to_string(lee.join("query_source.tsv"))?
        .lines()
        .filter_map(|l| l.split_once('\t').map(|(q, d)| (q.to_string(), d.to_string())))
        .collect();
    let index_dir = work.join("lee-index");
    let mut indexer = dateline_indexer::Indexer::open_or_create(&index_dir, Default::default())?;
    indexer.update(std::slice::from_ref(&docs), |_| {})?;
    drop(indexer);
    let index = Index::open(&index_dir)?;
    let stem = |path: &Path| {
        path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    };

    let mut runs: Vec<(Method, Rankings)> = Vec::new();
    let mut similar = HashMap::new();
    let mut or_baseline = HashMap::new();
    let mut fts_input = String::new();
    for (qid, own) in &sources {
        let path = docs.join(format!("{own}.txt"));
        let ranked = index.search(&Query::similar_to(&path).limit(100).passages(0))?;
        similar
            .insert(qid.clone(), ranked.hits.iter().map(|h| stem(&h.attribution.path)).collect());
        let text = std::fs::read_to_string(&path)?;
        let mut words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && *w != "Source")
            .map(|w| w.to_lowercase())
            .collect();
        words.sort();
        words.dedup();
        let or_query = words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" OR ");
        let ranked = index.search(&Query::new(or_query).limit(101).passages(0))?;
        or_baseline.insert(
            qid.clone(),
            ranked
                .hits
                .iter()
                .map(|h| stem(&h.attribution.path))
                .filter(|d| d != own)
                .take(100)
                .collect(),
        );
        let _ = writeln!(fts_input, "{qid}\t{own}\t{}", text.replace(['\n', '\t'], " "));
    }
    runs.push((Method::Similar, similar));
    runs.push((Method::TantivyOr, or_baseline));

    let fts_db = work.join("lee-fts5.db");
    let queries = work.join("lee-queries.tsv");
    std::fs::write(&queries, fts_input)?;
    let built =
        Command::new("python3").arg(fts5_script()).arg("index").arg(&fts_db).arg(&docs).output();
    if built.is_ok_and(|o| o.status.success()) {
        let output = Command::new("python3")
            .arg(fts5_script())
            .arg("lee")
            .arg(&fts_db)
            .arg(&queries)
            .output()?;
        let ranked: Rankings = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(q, docs)| {
                (
                    q.to_string(),
                    docs.split(',').filter(|d| !d.is_empty()).map(str::to_string).collect(),
                )
            })
            .collect();
        runs.push((Method::Fts5Or, ranked));
    }

    let mut scores = Vec::new();
    for (method, rankings) in runs {
        let (mut ndcg, mut map) = (0.0, 0.0);
        for (qid, judged) in &qrels {
            let ranking = rankings.get(qid).cloned().unwrap_or_default();
            ndcg += metrics::ndcg_at(10, &ranking, judged);
            map += metrics::average_precision(&ranking, judged);
        }
        let n = qrels.len().max(1) as f64;
        scores.push(Score { method, ndcg_at_10: ndcg / n, map: map / n });
    }
    Ok(Relevance { scores })
}
