// # Dateline's benchmark and relevance harness
//
// One command measures Dateline beside its floor (a minimal raw-tantivy indexer and
// searcher, below) and its peers (ripgrep, SQLite FTS5) on the same corpus in the same run,
// and writes every figure, ratio and target to a Markdown report:
//
//     cargo build --release && cargo run --release -p dateline-bench -- --out BENCHMARKS.md
//
// `--scale N` sets the replicated corpus (default 10), `--smoke` runs a few hundred reports
// once (CI). Corpora are fetched by ../shared/corpus/*.sh into target/bench-cache.
// `serve-load INDEX [CLIENTS SECONDS]` runs the HTTP load test alone and prints its section.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use dateline_bench::metrics;

mod load;
use dateline_query::{Index, Query};

/// Realistic queries for newswire: words, several words, phrases, exclusions, field scope,
/// date ranges, OR.
const QUERIES: [&str; 22] = [
    "oil",
    "coffee",
    "dividend",
    "tokyo",
    "merger",
    "crude oil prices",
    "interest rates cut",
    "trade deficit japan",
    "wheat exports soviet",
    "bank of england",
    "\"crude oil\"",
    "\"interest rates\"",
    "\"trade surplus\"",
    "\"net loss\"",
    "oil -opec",
    "coffee -brazil",
    "gold -silver",
    "title:cocoa",
    "title:opec oil",
    "grain date:[1987-03-01 TO 1987-03-31]",
    "dollar date:[1987-04-01 TO 1987-04-30]",
    "copper OR zinc",
];

struct Options {
    scale: usize,
    smoke: bool,
    out: PathBuf,
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    if let Some(command) = std::env::args().nth(1).filter(|a| a.starts_with("floor-")) {
        args.next();
        return floor::command(&command, &args.collect::<Vec<_>>());
    }
    // `check-paths INDEX`: checks that each segment's path dictionary, streamed, lines up
    // with its ordinals (what `Indexer` relies on); a diagnostic kept from a kill -9 hunt.
    if std::env::args().nth(1).as_deref() == Some("check-paths") {
        let index = tantivy::Index::open_in_dir(std::env::args().nth(2).context("INDEX")?)?;
        let searcher = index.reader()?.searcher();
        for (i, segment) in searcher.segment_readers().iter().enumerate() {
            let paths = segment.fast_fields().str("path")?.context("no path column")?;
            let mut by_ord = Vec::new();
            let mut stream = paths.dictionary().stream()?;
            while stream.advance() {
                by_ord
                    .push((stream.term_ord(), String::from_utf8_lossy(stream.key()).into_owned()));
            }
            let mut bad = 0;
            for doc in 0..segment.max_doc() {
                let Some(ord) = paths.ords().first(doc) else {
                    eprintln!("seg {i} doc {doc}: no ord");
                    continue;
                };
                let mut direct = String::new();
                paths.ord_to_str(ord, &mut direct)?;
                let positional =
                    by_ord.get(ord as usize).map(|(_, k)| k.clone()).unwrap_or_default();
                if direct != positional {
                    bad += 1;
                }
            }
            eprintln!(
                "segment {i}: {} docs, {} alive, {} terms, {} stream ords (first {:?}), {bad} mismatches",
                segment.max_doc(),
                segment.num_docs(),
                paths.dictionary().num_terms(),
                by_ord.len(),
                by_ord.first().map(|(o, _)| *o)
            );
        }
        return Ok(());
    }
    // `search-loop INDEX N`: the in-process search measurement alone, for a profiler.
    if std::env::args().nth(1).as_deref() == Some("search-loop") {
        let index = Index::open(std::env::args().nth(2).context("search-loop INDEX N")?)?;
        let reps = std::env::args().nth(3).context("search-loop INDEX N")?.parse()?;
        let samples =
            latencies(reps, |q| Ok(index.search(&Query::new(q).limit(10).passages(3))?.total))?;
        eprintln!("p50 {:.3} ms, p99 {:.3} ms", pct(&samples, 0.5), pct(&samples, 0.99));
        return Ok(());
    }
    // `serve-load INDEX [CLIENTS SECONDS]`: the HTTP load test alone.
    if std::env::args().nth(1).as_deref() == Some("serve-load") {
        let index = PathBuf::from(std::env::args().nth(2).context("serve-load INDEX")?);
        let clients = std::env::args().nth(3).map_or(Ok(32), |n| n.parse())?;
        let seconds = std::env::args().nth(4).map_or(Ok(20), |n| n.parse())?;
        let bin = std::env::current_exe()?.with_file_name("dateline");
        let mut out = String::new();
        serve_load(&mut out, &bin, &index, clients, seconds)?;
        print!("{out}");
        return Ok(());
    }
    let mut options = Options { scale: 10, smoke: false, out: PathBuf::from("BENCHMARKS.md") };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--scale" => options.scale = args.next().context("--scale N")?.parse()?,
            "--smoke" => options.smoke = true,
            "--out" => options.out = args.next().context("--out FILE")?.into(),
            other => bail!(
                "unknown argument {other}; see the comment at the top of crates/bench/src/main.rs"
            ),
        }
    }
    let report = run(&options)?;
    std::fs::write(&options.out, report)
        .with_context(|| format!("writing {}", options.out.display()))?;
    eprintln!("wrote {}", options.out.display());
    Ok(())
}

fn run(options: &Options) -> Result<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize()?;
    let cache = root.join("target/bench-cache");
    let work = cache.join("work");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let bin = std::env::current_exe()?.with_file_name("dateline");
    if !bin.is_file() {
        bail!("{} is missing; run `cargo build --release` first", bin.display());
    }
    let mut out = String::new();
    let started = Instant::now();

    // ## Corpora
    let reuters = fetch(&root, &cache, "get-reuters21578.sh", "reuters21578")?;
    let (small, large, scale) = if options.smoke {
        let smoke = cache.join("smoke");
        replicate(&reuters, &smoke, 1, 300)?;
        (smoke.clone(), smoke, 1)
    } else {
        let large = cache.join(format!("reuters-x{}", options.scale));
        replicate(&reuters, &large, options.scale, usize::MAX)?;
        (reuters.clone(), large, options.scale)
    };
    writeln!(out, "# Benchmarks\n")?;
    writeln!(out, "Written by `{}` on {}.\n", command_line(options), jiff::Zoned::now().date())?;
    writeln!(out, "## Machine\n\n{}\n", machine())?;
    let (small_files, small_bytes) = corpus_size(&small)?;
    let (large_files, large_bytes) = corpus_size(&large)?;
    writeln!(out, "## Corpus\n")?;
    writeln!(
        out,
        "Reuters-21578 (Reuters, 1987; research use only), fetched by `../shared/corpus/get-reuters21578.sh`: \
         1× = {small_files} reports, {:.1} MB. {scale}× = {large_files} reports, {:.1} MB: the 1× files \
         **replicated** {scale} times under distinct folder names (copy-1/ …), so every term's frequency is \
         multiplied, not diversified.{}\n",
        mb(small_bytes),
        mb(large_bytes),
        if options.smoke {
            " **Smoke run**: the first 300 reports only, one iteration; its figures mean nothing."
        } else {
            ""
        }
    )?;

    // ## Indexing, whole process
    writeln!(out, "## Indexing (whole process, cold index)\n")?;
    writeln!(
        out,
        "| corpus | tool | wall s | reports/s | MB/s | peak RSS MB | index MB | index ÷ corpus |"
    )?;
    writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|")?;
    let mut ratios = Vec::new();
    let mut full_build_secs = 0.0;
    let large_label = format!("{scale}×");
    let mut corpora = vec![("1×", &small, small_files, small_bytes)];
    if !options.smoke {
        corpora.push((&large_label, &large, large_files, large_bytes));
    }
    for (label, corpus, files, bytes) in corpora {
        let dateline_index = work.join(format!("dateline-{label}"));
        let ours = timed(
            Command::new(&bin)
                .arg("index")
                .arg(corpus)
                .arg("--index")
                .arg(&dateline_index)
                .arg("-q"),
        )?;
        let floor_index = work.join(format!("floor-{label}"));
        let theirs = timed(
            Command::new(std::env::current_exe()?).arg("floor-index").arg(corpus).arg(&floor_index),
        )?;
        let fts_db = work.join(format!("fts5-{label}.db"));
        let fts =
            timed(Command::new("python3").arg(fts5_script()).arg("index").arg(&fts_db).arg(corpus))
                .ok();
        for (tool, run, size) in [
            ("dateline", Some(&ours), dir_size(&dateline_index)?),
            ("raw tantivy (floor)", Some(&theirs), dir_size(&floor_index)?),
            ("SQLite FTS5", fts.as_ref(), std::fs::metadata(&fts_db).map(|m| m.len()).unwrap_or(0)),
        ] {
            let Some(run) = run else {
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
                files as f64 / run.secs,
                mb(bytes) / run.secs,
                run.peak_rss_mb.map_or("n/a".into(), |m| format!("{m:.0}")),
                mb(size),
                size as f64 / bytes as f64
            )?;
        }
        ratios.push((
            label.to_string(),
            theirs.secs / ours.secs,
            ours.peak_rss_mb,
            dir_size(&dateline_index)? as f64 / bytes as f64,
            fts.map(|f| f.secs / ours.secs),
        ));
        full_build_secs = ours.secs;
    }
    writeln!(out)?;

    // ## Search
    let dateline_index = work.join(format!("dateline-{scale}×"));
    let floor_index = work.join(format!("floor-{scale}×"));
    let reps = if options.smoke { 1 } else { 20 };
    let index = Index::open(&dateline_index)?;
    let ours = latencies(reps, |q| {
        index.search(&Query::new(q).limit(10).passages(3)).map(|r| r.total).map_err(Into::into)
    })?;
    let floor_searcher = floor::Searcher::open(&floor_index)?;
    let theirs = latencies(reps, |q| floor_searcher.search(q))?;
    let process_reps = if options.smoke { 1 } else { 3 };
    let mut whole = Vec::new();
    for _ in 0..process_reps {
        for query in QUERIES {
            whole.push(
                timed(
                    Command::new(&bin)
                        .args(["search", "-n", "10", "-p", "3", "--color", "never", "--index"])
                        .arg(&dateline_index)
                        .arg(query),
                )?
                .secs
                    * 1000.0,
            );
        }
    }
    let floor_whole: Vec<f64> = QUERIES
        .iter()
        .map(|q| {
            timed(
                Command::new(std::env::current_exe()?).arg("floor-search").arg(&floor_index).arg(q),
            )
            .map(|t| t.secs * 1000.0)
        })
        .collect::<Result<_>>()?;
    let rg = rg_latencies(&large, process_reps);
    let fts_queries = work.join("fts5-queries.txt");
    std::fs::write(
        &fts_queries,
        QUERIES.iter().map(|q| fts5_query(q)).collect::<Vec<_>>().join("\n"),
    )?;
    let fts_search = Command::new("python3")
        .arg(fts5_script())
        .arg("search")
        .arg(work.join(format!("fts5-{scale}×.db")))
        .arg(&fts_queries)
        .arg(reps.to_string())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok());

    writeln!(out, "## Search ({scale}× corpus, {} queries)\n", QUERIES.len())?;
    writeln!(
        out,
        "Queries: {}.\n",
        QUERIES.iter().map(|q| format!("`{q}`")).collect::<Vec<_>>().join(", ")
    )?;
    writeln!(out, "| what | p50 ms | p99 ms |")?;
    writeln!(out, "|---|---:|---:|")?;
    writeln!(
        out,
        "| dateline, in process: top 10, 3 passages per hit ({} runs) | {:.3} | {:.3} |",
        ours.len(),
        pct(&ours, 0.5),
        pct(&ours, 0.99)
    )?;
    writeln!(
        out,
        "| raw tantivy floor, in process: top 10 + `SnippetGenerator` per hit (date filters dropped) | {:.3} | {:.3} |",
        pct(&theirs, 0.5),
        pct(&theirs, 0.99)
    )?;
    if let Some(fts) = &fts_search {
        writeln!(
            out,
            "| SQLite FTS5, in process (python): top 10 by bm25 + `snippet()` (words only) | {:.3} | {:.3} |",
            fts["p50_ms"].as_f64().unwrap_or(0.0),
            fts["p99_ms"].as_f64().unwrap_or(0.0)
        )?;
    }
    writeln!(
        out,
        "| `dateline search`, whole process ({} runs) | {:.1} | {:.1} |",
        whole.len(),
        pct(&whole, 0.5),
        pct(&whole, 0.99)
    )?;
    writeln!(
        out,
        "| raw tantivy floor, whole process | {:.1} | {:.1} |",
        pct(&floor_whole, 0.5),
        pct(&floor_whole, 0.99)
    )?;
    match &rg {
        Some(rg) => writeln!(
            out,
            "| `rg -l -i -F` first word, whole process ({} runs) | {:.1} | {:.1} |",
            rg.len(),
            pct(rg, 0.5),
            pct(rg, 0.99)
        )?,
        None => writeln!(out, "| `rg` | not installed: skipped | |")?,
    }
    writeln!(out)?;

    // ## HTTP, whole server (1× index: the corpus for the load test)
    let (clients, seconds) = if options.smoke { (2, 1) } else { (32, 20) };
    serve_load(&mut out, &bin, &work.join("dateline-1×"), clients, seconds)?;

    // ## Incremental, whole process
    let (added, changed, unchanged) = incremental(&bin, &large, &dateline_index)?;
    writeln!(out, "## Re-indexing the {scale}× index (whole process)\n")?;
    writeln!(out, "| run | wall s | ÷ full build ({full_build_secs:.2} s) |")?;
    writeln!(out, "|---|---:|---:|")?;
    writeln!(out, "| unchanged corpus | {unchanged:.3} | {:.4} |", unchanged / full_build_secs)?;
    writeln!(
        out,
        "| one report added, one changed, one deleted | {changed:.3} | {:.4} |",
        changed / full_build_secs
    )?;
    writeln!(out, "| the same three reverted | {added:.3} | {:.4} |\n", added / full_build_secs)?;

    // ## Relevance
    let lee = fetch(&root, &cache, "get-lee2005.sh", "lee2005")?;
    let relevance = relevance(&lee, &work)?;
    writeln!(out, "## Relevance: similar reports on Lee et al. 2005\n")?;
    writeln!(
        out,
        "50 human-judged news articles, each used as the query (\"reports like this one\") against 350 (50 judged + 300 \
         distractors), its own document dropped; graded judgments 0–3 from `qrels.txt`. Metrics by \
         `crates/bench/src/metrics.rs` (unit-tested against a hand-worked example).\n"
    )?;
    writeln!(out, "| method | nDCG@10 | MAP |")?;
    writeln!(out, "|---|---:|---:|")?;
    for (method, ndcg, map) in &relevance {
        writeln!(out, "| {method} | {ndcg:.3} | {map:.3} |")?;
    }
    writeln!(out)?;

    // ## Targets
    writeln!(out, "## Targets (ratios from this run)\n")?;
    writeln!(out, "| target | measured | met |")?;
    writeln!(out, "|---|---|---|")?;
    let (_, throughput, rss, index_ratio, _) = ratios.last().cloned().context("no indexing run")?;
    let throughput_vs_floor = throughput;
    target(
        &mut out,
        "indexing throughput ≥ 0.9× the floor",
        format!("{throughput_vs_floor:.2}×"),
        throughput_vs_floor >= 0.9,
    )?;
    target(
        &mut out,
        "peak RSS ≤ 500 MB",
        rss.map_or("n/a".into(), |r| format!("{r:.0} MB")),
        rss.is_some_and(|r| r <= 500.0),
    )?;
    target(&mut out, "index ≤ 0.8× the corpus", format!("{index_ratio:.2}×"), index_ratio <= 0.8)?;
    let search_ratio = pct(&ours, 0.5) / pct(&theirs, 0.5);
    target(
        &mut out,
        "in-process search p50 ≤ 1.5× the floor",
        format!("{search_ratio:.2}×"),
        search_ratio <= 1.5,
    )?;
    match &rg {
        Some(rg) => {
            let speedup = pct(rg, 0.5) / pct(&whole, 0.5);
            target(
                &mut out,
                "whole-process search ≥ 100× faster than `rg -l`",
                format!("{speedup:.0}×"),
                speedup >= 100.0,
            )?;
        }
        None => writeln!(
            out,
            "| whole-process search ≥ 100× faster than `rg -l` | rg not installed | not measured |"
        )?,
    }
    target(
        &mut out,
        "re-index after add/change/delete ≤ 0.05× a full build",
        format!("{:.4}×", changed / full_build_secs),
        changed / full_build_secs <= 0.05,
    )?;
    target(
        &mut out,
        "unchanged re-run ≤ 0.05× a full build",
        format!("{:.4}×", unchanged / full_build_secs),
        unchanged / full_build_secs <= 0.05,
    )?;
    let ndcg =
        |name: &str| relevance.iter().find(|(m, _, _)| m.starts_with(name)).map(|(_, n, _)| *n);
    let ours_ndcg = ndcg("dateline similar").unwrap_or(0.0);
    let best_baseline =
        ndcg("BM25-OR, tantivy").unwrap_or(0.0).max(ndcg("BM25-OR, SQLite").unwrap_or(0.0));
    target(
        &mut out,
        "similar reports nDCG@10 ≥ 0.40 and above both BM25-OR baselines",
        format!("{ours_ndcg:.3} (best baseline {best_baseline:.3})"),
        ours_ndcg >= 0.40 && ours_ndcg > best_baseline,
    )?;
    writeln!(out, "\nWhole run: {:.0} s.\n", started.elapsed().as_secs_f64())?;
    out.push_str(include_str!("../PROFILE.md"));
    Ok(out)
}

/// The `/api/search` requests of the load test: every benchmark query, a third of them
/// with a date filter, all asking for the page the search page asks for.
fn load_requests() -> Vec<Vec<(&'static str, String)>> {
    QUERIES
        .iter()
        .enumerate()
        .map(|(i, query)| {
            let mut params = vec![("q", query.to_string()), ("limit", "10".into())];
            if i % 3 == 0 {
                params.push(("since", "1987-03-15".into()));
            }
            params
        })
        .collect()
}

/// Runs the HTTP load test and writes its section.
fn serve_load(
    out: &mut String,
    bin: &Path,
    index: &Path,
    clients: usize,
    seconds: u64,
) -> Result<()> {
    let requests = load_requests();
    let load = load::run(bin, index, clients, std::time::Duration::from_secs(seconds), &requests)?;
    let reports = Index::open(index)?.num_reports();
    writeln!(
        out,
        "## HTTP API under load
"
    )?;
    writeln!(
        out,
        "`dateline serve` on loopback over the {reports}-report index; {} clients, each with one \
         keep-alive connection, sending `/api/search` requests back to back for {:.0} s (the {} \
         queries above, a third with `since=1987-03-15`; 10 hits, 2 passages each). Clients and \
         server share the machine's cores. Alone: `dateline-bench serve-load INDEX [CLIENTS SECONDS]`.\n",
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
        bail!("the load test saw {} errors; first: {error}", load.errors);
    }
    Ok(())
}

fn target(out: &mut String, what: &str, measured: String, met: bool) -> Result<()> {
    writeln!(out, "| {what} | {measured} | {} |", if met { "yes" } else { "**no**" })?;
    Ok(())
}

fn command_line(options: &Options) -> String {
    let mut line = "cargo run --release -p dateline-bench --".to_string();
    if options.smoke {
        line.push_str(" --smoke");
    } else {
        let _ = write!(line, " --scale {}", options.scale);
    }
    let _ = write!(line, " --out {}", options.out.display());
    line
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or("?".into(), |kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0));
    format!("{cpu}, {cores} cores, {memory} RAM; release build.")
}

/// Fetches a corpus with its script into the cache, once.
fn fetch(root: &Path, cache: &Path, script: &str, name: &str) -> Result<PathBuf> {
    let dir = cache.join(name);
    if !dir.join(".complete").is_file() {
        let script = root.join("../shared/corpus").join(script);
        eprintln!("fetching {name} with {}", script.display());
        let status = Command::new("bash").arg(&script).arg(&dir).status()?;
        if !status.success() {
            bail!("{} failed", script.display());
        }
        std::fs::write(dir.join(".complete"), "")?;
    }
    Ok(dir)
}

/// Copies the first `limit` reports of `from` into `copies` folders under `to`, once.
fn replicate(from: &Path, to: &Path, copies: usize, limit: usize) -> Result<()> {
    if to.join(".complete").is_file() {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(to);
    let files = report_files(from)?;
    for copy in 1..=copies {
        let folder = to.join(format!("copy-{copy}"));
        std::fs::create_dir_all(&folder)?;
        for file in files.iter().take(limit) {
            std::fs::copy(file, folder.join(file.file_name().context("file name")?))?;
        }
    }
    std::fs::write(to.join(".complete"), "")?;
    Ok(())
}

fn report_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn corpus_size(dir: &Path) -> Result<(usize, u64)> {
    let files = report_files(dir)?;
    let bytes = files.iter().map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0)).sum();
    Ok((files.len(), bytes))
}

fn dir_size(dir: &Path) -> Result<u64> {
    let mut total = 0;
    if dir.is_dir() {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            total += if entry.file_type()?.is_dir() {
                dir_size(&entry.path())?
            } else {
                entry.metadata()?.len()
            };
        }
    }
    Ok(total)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

struct Timed {
    secs: f64,
    peak_rss_mb: Option<f64>,
}

/// Runs a whole process, under GNU time when there is one, for its peak RSS.
fn timed(command: &mut Command) -> Result<Timed> {
    let gnu_time = Path::new("/usr/bin/time");
    let started = Instant::now();
    let output = if gnu_time.is_file() {
        let mut wrapped = Command::new(gnu_time);
        wrapped.args(["-f", "%M"]).arg(command.get_program()).args(command.get_args());
        wrapped.output()?
    } else {
        command.output()?
    };
    let secs = started.elapsed().as_secs_f64();
    let code = output.status.code().unwrap_or(-1);
    if code > 1 {
        bail!("{:?} failed ({code}): {}", command, String::from_utf8_lossy(&output.stderr));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let peak_rss_mb = gnu_time
        .is_file()
        .then(|| {
            stderr.lines().last().and_then(|l| l.trim().parse::<f64>().ok()).map(|kb| kb / 1024.0)
        })
        .flatten();
    Ok(Timed { secs, peak_rss_mb })
}

/// Runs every query `reps` times, returning each run's latency in ms.
fn latencies(reps: usize, mut search: impl FnMut(&str) -> Result<usize>) -> Result<Vec<f64>> {
    for query in QUERIES {
        search(query)?; // warm-up
    }
    let mut samples = Vec::new();
    for _ in 0..reps {
        for query in QUERIES {
            let started = Instant::now();
            std::hint::black_box(search(query)?);
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Ok(samples)
}

fn pct(samples: &[f64], q: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted
        .get(((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or(f64::NAN)
}

fn rg_latencies(corpus: &Path, reps: usize) -> Option<Vec<f64>> {
    Command::new("rg").arg("--version").output().ok()?;
    let mut samples = Vec::new();
    for _ in 0..reps {
        for query in QUERIES {
            let word = first_word(query);
            let run = timed(Command::new("rg").args(["-l", "-i", "-F", &word]).arg(corpus)).ok()?;
            samples.push(run.secs * 1000.0);
        }
    }
    Some(samples)
}

fn first_word(query: &str) -> String {
    let plain = query.trim_start_matches("title:").trim_matches('"');
    let plain = if query.starts_with('"') {
        plain.split('"').next().unwrap_or(plain)
    } else {
        plain.split(' ').next().unwrap_or(plain)
    };
    plain.trim_start_matches("title:").to_string()
}

/// The query in FTS5 syntax, for the queries FTS5 can express; date ranges are dropped.
fn fts5_query(query: &str) -> String {
    let words: Vec<String> = query
        .split(' ')
        .filter(|w| !w.starts_with("date:") && !w.starts_with("1987") && *w != "TO")
        .map(|w| {
            if let Some(excluded) = w.strip_prefix('-') {
                format!("NOT {excluded}")
            } else if let Some(title) = w.strip_prefix("title:") {
                format!("title:{title}")
            } else {
                w.to_string()
            }
        })
        .collect();
    words.join(" ")
}

fn fts5_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fts5.py")
}

/// Times an unchanged re-run, then one add + change + delete, then their revert.
fn incremental(bin: &Path, corpus: &Path, index: &Path) -> Result<(f64, f64, f64)> {
    let run = || {
        timed(Command::new(bin).arg("index").arg("-q").arg("--index").arg(index)).map(|t| t.secs)
    };
    let unchanged = run()?;
    let files = report_files(corpus)?;
    let (changed_file, deleted_file) = (&files[0], &files[1]);
    let original = std::fs::read(changed_file)?;
    let deleted = std::fs::read(deleted_file)?;
    let added = corpus.join("copy-1/bench-added.txt");
    std::fs::write(
        &added,
        "Bench report\nDate: 1987-05-01\nSource: Bench\n\nA report the benchmark adds.\n",
    )?;
    let mut text = original.clone();
    text.extend_from_slice(b"\nA sentence the benchmark appends.\n");
    std::fs::write(changed_file, text)?;
    std::fs::remove_file(deleted_file)?;
    let changed = run()?;
    std::fs::remove_file(&added)?;
    std::fs::write(changed_file, original)?;
    std::fs::write(deleted_file, deleted)?;
    let reverted = run()?;
    Ok((reverted, changed, unchanged))
}

/// nDCG@10 and MAP of Dateline's similar reports and of two BM25-OR baselines.
fn relevance(lee: &Path, work: &Path) -> Result<Vec<(String, f64, f64)>> {
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

    let mut runs: Vec<(String, HashMap<String, Vec<String>>)> = Vec::new();
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
    runs.push((
        "dateline similar (tf-idf terms, no stop words or near-universal words)".into(),
        similar,
    ));
    runs.push((
        "BM25-OR, tantivy (Dateline's index, every word of the article OR-ed)".into(),
        or_baseline,
    ));

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
        let ranked: HashMap<String, Vec<String>> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(q, docs)| {
                (
                    q.to_string(),
                    docs.split(',').filter(|d| !d.is_empty()).map(str::to_string).collect(),
                )
            })
            .collect();
        runs.push(("BM25-OR, SQLite FTS5 (porter tokenizer)".into(), ranked));
    }

    let mut table = Vec::new();
    for (method, rankings) in runs {
        let (mut ndcg, mut map) = (0.0, 0.0);
        for (qid, judged) in &qrels {
            let ranking = rankings.get(qid).cloned().unwrap_or_default();
            ndcg += metrics::ndcg_at(10, &ranking, judged);
            map += metrics::average_precision(&ranking, judged);
        }
        let n = qrels.len().max(1) as f64;
        table.push((method, ndcg / n, map / n));
    }
    Ok(table)
}

/// The floor: the least code that indexes and searches the same corpus with tantivy, with
/// the same fields, tokenizer, threads and memory budget as Dateline. Run as subcommands of
/// this binary so it is timed as a whole process, like `dateline`.
mod floor {
    use std::path::Path;

    use anyhow::{Context, Result};
    use tantivy::collector::TopDocs;
    use tantivy::query::QueryParser;
    use tantivy::schema::{IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions};
    use tantivy::snippet::SnippetGenerator;
    use tantivy::{TantivyDocument, doc};

    pub fn command(command: &str, args: &[String]) -> Result<()> {
        match (command, args) {
            ("floor-index", [corpus, index]) => build(Path::new(corpus), Path::new(index)),
            ("floor-search", [index, query]) => {
                Searcher::open(Path::new(index))?.search(query).map(drop)
            }
            _ => anyhow::bail!("usage: floor-index CORPUS INDEX | floor-search INDEX QUERY"),
        }
    }

    fn schema() -> Schema {
        let mut builder = Schema::builder();
        let text = TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        builder.add_text_field("title", text.clone());
        builder.add_text_field("body", text);
        builder.add_text_field("path", STORED);
        builder.build()
    }

    fn build(corpus: &Path, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir)?;
        let index = tantivy::Index::create_in_dir(dir, schema())?;
        let options = dateline_indexer::Options::default();
        let mut writer = index.writer_with_num_threads(options.threads, options.memory_budget)?;
        let schema = index.schema();
        let (title, body, path) =
            (schema.get_field("title")?, schema.get_field("body")?, schema.get_field("path")?);
        for file in super::report_files(corpus)? {
            let text =
                std::fs::read_to_string(&file).with_context(|| file.display().to_string())?;
            let (head, rest) = text.split_once("\n\n").unwrap_or(("", &text));
            let headline = head.lines().next().unwrap_or("");
            writer.add_document(
                doc!(title => headline, body => rest, path => file.display().to_string()),
            )?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        Ok(())
    }

    pub struct Searcher {
        reader: tantivy::IndexReader,
        parser: QueryParser,
        body: tantivy::schema::Field,
    }

    impl Searcher {
        pub fn open(dir: &Path) -> Result<Searcher> {
            let index = tantivy::Index::open_in_dir(dir)?;
            let schema = index.schema();
            let (title, body) = (schema.get_field("title")?, schema.get_field("body")?);
            let mut parser = QueryParser::for_index(&index, vec![title, body]);
            parser.set_conjunction_by_default();
            parser.set_field_boost(title, 2.0);
            Ok(Searcher { reader: index.reader()?, parser, body })
        }

        /// Top 10 and a snippet of each; date ranges (not in the floor's schema) are dropped.
        pub fn search(&self, query: &str) -> Result<usize> {
            let text: String = query
                .split(' ')
                .filter(|w| !w.starts_with("date:") && !w.starts_with("1987"))
                .collect::<Vec<_>>()
                .join(" ");
            let query = self.parser.parse_query(text.trim_end_matches(" TO").trim())?;
            let searcher = self.reader.searcher();
            let top = searcher.search(&query, &TopDocs::with_limit(10).order_by_score())?;
            let snippets = SnippetGenerator::create(&searcher, &*query, self.body)?;
            let mut shown = 0;
            for (_, address) in top {
                let doc: TantivyDocument = searcher.doc(address)?;
                shown += snippets.snippet_from_doc(&doc).fragment().len();
            }
            Ok(shown)
        }
    }
}
