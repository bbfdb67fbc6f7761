//! Search latency on the largest corpus: Dateline and the floor in process, SQLite FTS5 in
//! process (python), and whole processes of `dateline search`, the floor and ripgrep.

use std::path::Path;
use std::process::Command;

use anyhow::Result;
use dateline_query::{Index, Query};

use crate::corpus::Corpus;
use crate::indexing::{floor_dir, fts5_db, index_dir};
use crate::measure::{fts5_script, latencies, timed};
use crate::queries::{self, QUERIES};
use crate::{Setup, floor};

/// Latencies in ms, one sample per query run.
pub struct Search {
    /// `Index::search`, top 10, 3 passages per hit.
    pub dateline: Vec<f64>,
    /// The floor's searcher, top 10 and a snippet per hit.
    pub floor: Vec<f64>,
    /// SQLite FTS5's (p50, p99), when python3's sqlite3 has FTS5.
    pub fts5: Option<(f64, f64)>,
    /// `dateline search`, whole process.
    pub dateline_process: Vec<f64>,
    /// `dateline-bench floor-search`, whole process.
    pub floor_process: Vec<f64>,
    /// `rg -l -i -F` of each query's first word, when ripgrep is installed.
    pub rg: Option<Vec<f64>>,
}

pub fn measure(setup: &Setup, corpus: &Corpus, smoke: bool) -> Result<Search> {
    let dateline_index = index_dir(setup, corpus);
    let floor_index = floor_dir(setup, corpus);
    let reps = if smoke { 1 } else { 20 };
    let index = Index::open(&dateline_index)?;
    let dateline = latencies(reps, |q| {
        index.search(&Query::new(q).limit(10).passages(3)).map(|r| r.total).map_err(Into::into)
    })?;
    let floor_searcher = floor::Searcher::open(&floor_index)?;
    let floor = latencies(reps, |q| floor_searcher.search(q))?;

    let process_reps = if smoke { 1 } else { 3 };
    let mut dateline_process = Vec::new();
    for _ in 0..process_reps {
        for query in QUERIES {
            let run = timed(
                Command::new(&setup.dateline)
                    .args(["search", "-n", "10", "-p", "3", "--color", "never", "--index"])
                    .arg(&dateline_index)
                    .arg(query),
            )?;
            dateline_process.push(run.secs * 1000.0);
        }
    }
    let floor_process = QUERIES
        .iter()
        .map(|q| {
            timed(Command::new(&setup.bench).arg("floor-search").arg(&floor_index).arg(q))
                .map(|t| t.secs * 1000.0)
        })
        .collect::<Result<_>>()?;
    let rg = rg_latencies(&corpus.dir, process_reps);
    let fts5 = fts5_latencies(setup, corpus, reps)?;
    Ok(Search { dateline, floor, fts5, dateline_process, floor_process, rg })
}

fn rg_latencies(corpus: &Path, reps: usize) -> Option<Vec<f64>> {
    Command::new("rg").arg("--version").output().ok()?;
    let mut samples = Vec::new();
    for _ in 0..reps {
        for query in QUERIES {
            let word = queries::first_word(query);
            let run = timed(Command::new("rg").args(["-l", "-i", "-F", &word]).arg(corpus)).ok()?;
            samples.push(run.secs * 1000.0);
        }
    }
    Some(samples)
}

/// FTS5's (p50, p99) in ms as fts5.py measures them, or None when it cannot run.
fn fts5_latencies(setup: &Setup, corpus: &Corpus, reps: usize) -> Result<Option<(f64, f64)>> {
    let queries = setup.work.join("fts5-queries.txt");
    std::fs::write(&queries, QUERIES.map(queries::fts5).join("\n"))?;
    let output = Command::new("python3")
        .arg(fts5_script())
        .arg("search")
        .arg(fts5_db(setup, corpus))
        .arg(&queries)
        .arg(reps.to_string())
        .output();
    let json = output
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok());
    Ok(json
        .map(|fts| (fts["p50_ms"].as_f64().unwrap_or(0.0), fts["p99_ms"].as_f64().unwrap_or(0.0))))
}
