// # Dateline's benchmark and relevance harness
//
// One command measures Dateline beside its floor (a minimal raw-tantivy indexer and
// searcher, `floor.rs`) and its peers (ripgrep, SQLite FTS5) on the same corpus in the same
// run, and writes every figure, ratio and target to a Markdown report:
//
//     cargo build --release && cargo run --release -p dateline-bench -- --out BENCHMARKS.md
//
// `--scale N` sets the replicated corpus (default 10), `--smoke` runs a few hundred reports
// once (CI). Corpora are fetched by ../shared/corpus/*.sh into target/bench-cache.
// `search-loop`, `serve-load` and `keyword` run one measurement alone; `pool` lists the
// reports a judge must grade after a query or a ranking variant is added (`--help`).
//
// The code map: each report section is a module that measures and returns a plain struct
// (`indexing`, `search`, `tiers`, `http`, `reindex`, `formats`, `relevance`, `keyword`,
// `languages`), on the corpora of `corpus` and the timers of `measure`; `targets` judges the
// figures and `render` writes all of it as Markdown.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use dateline_query::{Index, Query};

// The allocator `dateline` ships with, so that in-process figures are the binary's.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

mod copies;
mod corpus;
mod floor;
mod formats;
mod grouping;
mod http;
mod indexing;
mod keyword;
mod languages;
mod measure;
mod plot;
mod queries;
mod reindex;
mod relevance;
mod render;
mod scaling;
mod search;
mod stories;
mod targets;
mod tiers;

/// Dateline's benchmark and relevance harness: measures Dateline beside its floor and its
/// peers and writes BENCHMARKS.md.
#[derive(Parser)]
#[command(name = "dateline-bench", args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(flatten)]
    run: RunOptions,
    #[command(subcommand)]
    command: Option<Command>,
}

/// The whole run (no subcommand).
#[derive(clap::Args)]
pub struct RunOptions {
    /// The replicated corpus: the 1× files copied N times.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub scale: usize,
    /// A few hundred reports, one iteration (CI); its figures mean nothing.
    #[arg(long)]
    pub smoke: bool,
    /// Where the Markdown report goes.
    #[arg(long, default_value = "BENCHMARKS.md", value_name = "FILE")]
    pub out: PathBuf,
    /// Also measure how Dateline grows with the corpus at these scales, comma-separated
    /// (e.g. 1,10,100; 100 needs about 10 GB of disk and most of an hour), drawing the plot
    /// to `docs/scaling.svg`.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub scales: Vec<usize>,
}

#[derive(Subcommand)]
enum Command {
    /// The in-process search measurement alone, for a profiler.
    SearchLoop {
        index: PathBuf,
        /// Runs of every query.
        #[arg(value_name = "N")]
        reps: usize,
        /// Every copy, as `--all-copies`: copies not collapsed.
        #[arg(long)]
        all_copies: bool,
        /// Also print each query's p50, slowest first.
        #[arg(long)]
        each: bool,
    },
    /// The HTTP load test alone; prints its section.
    ServeLoad {
        index: PathBuf,
        #[arg(default_value_t = 32)]
        clients: usize,
        #[arg(default_value_t = 20)]
        seconds: u64,
    },
    /// The relevance section alone (Lee 2005); prints it.
    Relevance,
    /// The languages section alone (detectors, Chinese word search); prints it.
    Languages,
    /// The tiers and export measurement alone; prints its section.
    Tiers {
        index: PathBuf,
        /// Runs of every query.
        #[arg(default_value_t = 20, value_name = "N")]
        reps: usize,
    },
    /// The keyword-query relevance of every ranking variant alone; prints its section.
    Keyword,
    /// The copies evaluation (precision and recall of copy pairs on Reuters reprints);
    /// prints its section.
    Copies,
    /// What copies and stories cost on the replicated corpus: builds with grouping and
    /// without, one report added, collapsed searches against `--all-copies`; prints its
    /// section.
    Grouping {
        /// The replicated corpus: the 1× files copied N times.
        #[arg(long, default_value_t = 10, value_name = "N")]
        scale: usize,
        /// Builds each way, alternating which goes first.
        #[arg(long, default_value_t = 2)]
        rounds: usize,
        /// In-process runs of every query, each way.
        #[arg(long, default_value_t = 20)]
        reps: usize,
    },
    /// How build time, memory and search latency grow with the corpus: Reuters replicated
    /// to each scale, built, re-scanned, given one report and searched; writes its section
    /// into `--out` and its plot to `--plot`.
    Scaling {
        /// The scales, comma-separated; 100 needs about 10 GB of disk and many minutes.
        #[arg(long, value_delimiter = ',', default_values_t = [1, 10])]
        scales: Vec<usize>,
        /// Where the replicated corpora and indexes go (each index deleted once measured).
        #[arg(long, default_value = "target/bench-cache/scaling", value_name = "DIR")]
        work: PathBuf,
        /// Keep the replicated corpora for the next run.
        #[arg(long)]
        keep: bool,
        /// The Markdown file whose scaling section is replaced (appended when it has none).
        #[arg(long, default_value = "BENCHMARKS.md", value_name = "FILE")]
        out: PathBuf,
        /// Where the SVG plot goes; the section links it relative to `--out`.
        #[arg(long, default_value = "docs/scaling.svg", value_name = "FILE")]
        plot: PathBuf,
    },
    /// Stories on the hand-labelled Reuters set (pairwise and B-cubed F1), printing its
    /// section; with DATELINE_STORIES_DETAIL=1, each labelled story's split on stderr.
    Stories,
    /// The reports in some ranking variant's top 10 that the judged Reuters set does not
    /// grade yet (query id, report file, query): what to judge after adding a query or a
    /// variant, into crates/bench/judgments/reuters-judgments.tsv.
    Pool,
    /// The floor's indexer, timed as a whole process by the run.
    #[command(hide = true)]
    FloorIndex { corpus: PathBuf, index: PathBuf },
    /// One build of the grouping section, timed as a whole process by it.
    #[command(hide = true)]
    GroupingBuild {
        corpus: PathBuf,
        index: PathBuf,
        /// Without copies and stories.
        #[arg(long)]
        off: bool,
    },
    /// The floor's searcher, timed as a whole process by the run.
    #[command(hide = true)]
    FloorSearch {
        index: PathBuf,
        #[arg(allow_hyphen_values = true)]
        query: String,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        None => {
            let report = run(&cli.run)?;
            if !report.scaling.is_empty() {
                let plot = report.root.join(render::SCALING_PLOT);
                std::fs::create_dir_all(plot.parent().expect("a file in docs/"))?;
                plot::draw(&plot, &report.scaling)?;
            }
            let markdown = render::markdown(&report)?;
            std::fs::write(&cli.run.out, markdown)
                .with_context(|| format!("writing {}", cli.run.out.display()))?;
            eprintln!("wrote {}", cli.run.out.display());
        }
        Some(Command::SearchLoop { index, reps, all_copies, each }) => {
            let index = Index::open(index)?;
            let samples = measure::latencies(reps, |q| {
                let query = Query::new(q).limit(10).passages(3).all_copies(all_copies);
                Ok(index.search(&query)?.total)
            })?;
            if each {
                // `latencies` runs the queries in order, `reps` times over.
                let mut by_query: Vec<(f64, &str)> = queries::QUERIES
                    .iter()
                    .enumerate()
                    .map(|(at, query)| {
                        let own: Vec<f64> = samples
                            .iter()
                            .skip(at)
                            .step_by(queries::QUERIES.len())
                            .copied()
                            .collect();
                        (measure::percentile(&own, 0.5), *query)
                    })
                    .collect();
                by_query.sort_by(|a, b| b.0.total_cmp(&a.0));
                for (p50, query) in by_query {
                    eprintln!("{p50:8.3} ms  {query}");
                }
            }
            eprintln!(
                "p50 {:.3} ms, p99 {:.3} ms",
                measure::percentile(&samples, 0.5),
                measure::percentile(&samples, 0.99)
            );
        }
        Some(Command::ServeLoad { index, clients, seconds }) => {
            let http = http::measure(&dateline_bin()?, &index, clients, seconds)?;
            let mut out = String::new();
            render::http(&mut out, &http)?;
            print!("{out}");
            http.check()?;
        }
        Some(Command::Relevance) => {
            let setup = setup()?;
            let lee = corpus::fetch(&setup, "get-lee2005.sh", "lee2005")?;
            let mut out = String::new();
            render::relevance(&mut out, &relevance::measure(&setup, &lee)?)?;
            print!("{out}");
        }
        Some(Command::Copies) => {
            let setup = setup()?;
            let reuters = corpus::fetch(&setup, "get-reuters21578.sh", "reuters21578")?;
            let mut out = String::new();
            render::copies(&mut out, &copies::measure(&reuters)?)?;
            print!("{out}");
        }
        Some(Command::Languages) => {
            let setup = setup()?;
            let mut out = String::new();
            render::languages(&mut out, &measure_languages(&setup)?)?;
            print!("{out}");
        }
        Some(Command::Tiers { index, reps }) => {
            let tiers = tiers::measure(&dateline_bin()?, &index, reps, true)?;
            let mut out = String::new();
            tiers::render(&mut out, &tiers, "this")?;
            print!("{out}");
        }
        Some(Command::Keyword) => {
            let cache = workspace_root()?.join("target/bench-cache");
            let sets = keyword_sets(&cache, &cache.join("keyword"))?;
            let mut out = String::new();
            render::keyword(&mut out, &sets)?;
            print!("{out}");
        }
        Some(Command::Stories) => {
            let cache = workspace_root()?.join("target/bench-cache");
            let reuters = fetch_into(&cache, "get-reuters21578.sh", "reuters21578")?;
            let scores = stories::measure(&reuters, &cache.join("stories"))?;
            let mut out = String::new();
            stories::render(&mut out, &scores)?;
            print!("{out}");
        }
        Some(Command::Pool) => {
            let cache = workspace_root()?.join("target/bench-cache");
            let reuters = fetch_into(&cache, "get-reuters21578.sh", "reuters21578")?;
            let index = keyword::index(&reuters, &cache.join("keyword/reuters-index"))?;
            let set = keyword::reuters_set()?;
            for (id, report) in set.unjudged_pool(&index)? {
                let query = set.queries.iter().find(|q| q.id == id).map_or("", |q| &q.text);
                println!("{id}\t{report}\t{query}");
            }
        }
        Some(Command::Grouping { scale, rounds, reps }) => {
            let setup = setup()?;
            let corpora = corpus::prepare(&setup, scale, false)?;
            let grouping = grouping::measure(&setup, &corpora.large, rounds, reps)?;
            let command = format!(
                "target/release/dateline-bench grouping --scale {scale} --rounds {rounds} --reps {reps}"
            );
            let mut out = String::new();
            grouping::render(&mut out, &grouping, &command)?;
            print!("{out}");
        }
        Some(Command::Scaling { scales, work, keep, out, plot }) => {
            let setup = setup()?;
            let reuters = corpus::fetch(&setup, "get-reuters21578.sh", "reuters21578")?;
            scaling::run(
                &setup.dateline,
                &reuters,
                &scaling::Paths { work, out, plot },
                &scales,
                keep,
            )?;
        }
        Some(Command::GroupingBuild { corpus, index, off }) => {
            grouping::build(&corpus, &index, !off)?;
        }
        Some(Command::FloorIndex { corpus, index }) => floor::build(&corpus, &index)?,
        Some(Command::FloorSearch { index, query }) => {
            floor::Searcher::open(&index)?.search(&query)?;
        }
    }
    Ok(())
}

/// Where a run reads and writes, and the binaries it times.
pub struct Setup {
    /// The workspace root.
    pub root: PathBuf,
    /// target/bench-cache: fetched and replicated corpora, kept between runs.
    pub cache: PathBuf,
    /// target/bench-cache/work: this run's indexes, emptied first.
    pub work: PathBuf,
    /// The release `dateline` binary.
    pub dateline: PathBuf,
    /// This binary, for the floor's subcommands.
    pub bench: PathBuf,
}

/// Measures every section, in the order they share state: the re-indexing runs change the
/// largest corpus and index that the search section reads.
fn run(options: &RunOptions) -> Result<render::Report> {
    let started = Instant::now();
    let setup = setup()?;

    let corpora = corpus::prepare(&setup, options.scale, options.smoke)?;
    let machine = measure::machine();
    let indexing = indexing::measure(&setup, &corpora)?;
    let search = search::measure(&setup, &corpora.large, options.smoke)?;
    let large_index = indexing::index_dir(&setup, &corpora.large);
    let tiers =
        tiers::measure(&setup.dateline, &large_index, if options.smoke { 1 } else { 20 }, true)?;
    let (clients, seconds) = if options.smoke { (2, 1) } else { (32, 20) };
    let http = http::measure(
        &setup.dateline,
        &indexing::index_dir(&setup, &corpora.small),
        clients,
        seconds,
    )?;
    http.check()?;
    let reindex = reindex::measure(&setup, &corpora.large)?;
    let reuters = corpus::fetch(&setup, "get-reuters21578.sh", "reuters21578")?;
    let formats = formats::measure(&setup, &reuters, options.smoke)?;
    let lee = corpus::fetch(&setup, "get-lee2005.sh", "lee2005")?;
    let relevance = relevance::measure(&setup, &lee)?;
    let languages = measure_languages(&setup)?;
    let keyword = keyword_sets(&setup.cache, &setup.work.join("keyword"))?;
    let copies = copies::measure(&reuters)?;
    let stories = stories::measure(&reuters, &setup.work.join("stories"))?;
    let (rounds, reps) = if options.smoke { (1, 1) } else { (2, 20) };
    let grouping = grouping::measure(&setup, &corpora.large, rounds, reps)?;
    // Last: at 100× it takes most of the run.
    let scaling = scaling::measure(
        &setup.dateline,
        &reuters,
        &setup.cache.join("scaling"),
        &options.scales,
        false,
    )?;
    Ok(render::Report {
        root: setup.root.clone(),
        command_line: command_line(options),
        date: jiff::Zoned::now().date(),
        machine,
        corpora,
        indexing,
        search,
        tiers,
        http,
        reindex,
        formats,
        relevance,
        languages,
        keyword,
        copies,
        stories,
        grouping,
        scaling,
        whole_run_secs: started.elapsed().as_secs_f64(),
    })
}

/// The run's folders and binaries; this run's work folder emptied first.
fn setup() -> Result<Setup> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize()?;
    let cache = root.join("target/bench-cache");
    let work = cache.join("work");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    Ok(Setup { root, cache, work, dateline: dateline_bin()?, bench: std::env::current_exe()? })
}

/// The languages section, on the real pages and the 1× English corpora.
fn measure_languages(setup: &Setup) -> Result<languages::Languages> {
    let news_html = corpus::fetch(setup, "get-news-html.sh", "news-html")?;
    let reuters = corpus::fetch(setup, "get-reuters21578.sh", "reuters21578")?;
    let lee = corpus::fetch(setup, "get-lee2005.sh", "lee2005")?;
    languages::measure(setup, &news_html, &reuters, &lee)
}

/// The keyword-query relevance on both judged sets, with indexes under `work`. On a smoke
/// run too it queries the whole of Reuters: its judgments name reports across all of it.
fn keyword_sets(cache: &Path, work: &Path) -> Result<Vec<keyword::SetScores>> {
    let reuters = fetch_into(cache, "get-reuters21578.sh", "reuters21578")?;
    let lee = fetch_into(cache, "get-lee2005.sh", "lee2005")?;
    let reuters_index = keyword::index(&reuters, &work.join("reuters-index"))?;
    let lee_index = keyword::index(&lee.join("docs"), &work.join("lee-index"))?;
    let (reuters, lee) = (keyword::reuters_set()?, keyword::lee_set(&lee)?);
    let mut sets = Vec::new();
    for strict in [true, false] {
        sets.push(reuters.measure(&reuters_index, strict)?);
        sets.push(lee.measure(&lee_index, strict)?);
    }
    Ok(sets)
}

/// Fetches a corpus with its script into `cache`, once.
fn fetch_into(cache: &Path, script: &str, name: &str) -> Result<PathBuf> {
    let dir = cache.join(name);
    dateline_fixtures::fetch_corpus(script, &dir).map_err(anyhow::Error::msg)?;
    Ok(dir)
}

fn workspace_root() -> Result<PathBuf> {
    Ok(Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize()?)
}

fn dateline_bin() -> Result<PathBuf> {
    let bin = std::env::current_exe()?.with_file_name("dateline");
    if !bin.is_file() {
        bail!("{} is missing; run `cargo build --release` first", bin.display());
    }
    Ok(bin)
}

/// The command that wrote the report, as the report says it.
fn command_line(options: &RunOptions) -> String {
    let mut line = "target/release/dateline-bench".to_string();
    if options.smoke {
        line.push_str(" --smoke");
    } else {
        line.push_str(&format!(" --scale {}", options.scale));
    }
    if !options.scales.is_empty() {
        let list: Vec<String> = options.scales.iter().map(usize::to_string).collect();
        line.push_str(&format!(" --scales {}", list.join(",")));
    }
    line.push_str(&format!(" --out {}", options.out.display()));
    line
}
