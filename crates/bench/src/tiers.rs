//! What the second tier (reports with most of the words) and an export of every hit cost on
//! the largest corpus: in-process latencies of the harness's tiering queries, and the whole
//! `dateline search --format csv` process's wall time and peak RSS.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::Result;
use dateline_query::{Index, Query};

use crate::measure::{Timed, percentile, timed};
use crate::queries::QUERIES;

/// Latencies in ms over the harness's queries that tier, each run `reps` times.
pub struct Tiers {
    /// The queries measured: those of several bare words.
    pub queries: Vec<&'static str>,
    /// Top 10, every word required.
    pub strict: Vec<f64>,
    /// Top 10 by default: the second tier runs only when the first has fewer than 10.
    pub default: Vec<f64>,
    /// How many of the default top-10 searches ran the second tier.
    pub default_ran_second: usize,
    /// The page just past the first tier (offset = its size, limit 10): the second tier
    /// ranked and its first 10 read.
    pub second_page: Vec<f64>,
    /// Reports in the second tier, per query (its full size).
    pub second_sizes: Vec<usize>,
    /// `dateline search --format csv '*'`: hits written, and the whole process.
    pub export: Option<(usize, Timed)>,
    /// `dateline search -n 10 '*'`, for comparison.
    pub page: Option<Timed>,
}

/// The queries of the harness that tier: several bare words, no operators or fields.
fn tiering_queries() -> Vec<&'static str> {
    let plain =
        |q: &&str| q.split(' ').count() > 1 && !q.contains([':', '"', '-']) && !q.contains(" OR ");
    QUERIES.iter().copied().filter(plain).collect()
}

pub fn measure(dateline: &Path, index_dir: &Path, reps: usize, export: bool) -> Result<Tiers> {
    let index = Index::open(index_dir)?;
    let queries = tiering_queries();
    let (mut strict, mut default, mut second_page) = (Vec::new(), Vec::new(), Vec::new());
    let mut default_ran_second = 0;
    let mut second_sizes = Vec::new();
    for query in &queries {
        // Sizes counted in full; the timed runs count as users' searches do.
        let every = index.search(&Query::new(*query).limit(10).strict(true).count_all(true))?.total;
        let deep = Query::new(*query).limit(10).offset(every);
        let past = index.search(&deep)?;
        second_sizes.push(past.total - every);
        for _ in 0..reps {
            strict
                .push(ms(|| index.search(&Query::new(*query).limit(10).passages(3).strict(true)))?);
            default.push(ms(|| index.search(&Query::new(*query).limit(10).passages(3)))?);
            second_page.push(ms(|| index.search(&deep.clone().passages(3)))?);
        }
        if index.search(&Query::new(*query).limit(10).count_all(true))?.total > every {
            default_ran_second += 1;
        }
    }
    let (export, page) = match export {
        false => (None, None),
        true => {
            let csv = timed(
                Command::new(dateline)
                    .args(["search", "--format", "csv", "*", "--index"])
                    .arg(index_dir)
                    .stdout(std::process::Stdio::null()),
            )?;
            let hits = index.search(&Query::new("*").limit(0).count_all(true))?.total;
            let page = timed(
                Command::new(dateline)
                    .args(["search", "-n", "10", "*", "--color", "never", "--index"])
                    .arg(index_dir),
            )?;
            (Some((hits, csv)), Some(page))
        }
    };
    Ok(Tiers {
        queries,
        strict,
        default,
        default_ran_second,
        second_page,
        second_sizes,
        export,
        page,
    })
}

fn ms<T>(search: impl FnOnce() -> dateline_query::Result<T>) -> Result<f64> {
    let started = Instant::now();
    std::hint::black_box(search()?);
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

/// The section, in Markdown.
pub fn render(out: &mut String, tiers: &Tiers, label: &str) -> std::fmt::Result {
    use std::fmt::Write;
    writeln!(out, "## Reports with most of the words, and exports ({label} corpus)\n")?;
    writeln!(
        out,
        "The harness's queries of several bare words ({}); the second tier holds {} reports for them. \
         Alone: `dateline-bench tiers INDEX [REPS]`.\n",
        tiers.queries.iter().map(|q| format!("`{q}`")).collect::<Vec<_>>().join(", "),
        tiers.second_sizes.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
    )?;
    writeln!(out, "| what | p50 ms | p99 ms |")?;
    writeln!(out, "|---|---:|---:|")?;
    let row = |out: &mut String, what: &str, samples: &[f64]| {
        writeln!(
            out,
            "| {what} | {:.3} | {:.3} |",
            percentile(samples, 0.5),
            percentile(samples, 0.99)
        )
    };
    row(out, "top 10, 3 passages, `strict` (every word)", &tiers.strict)?;
    let what = format!(
        "top 10, 3 passages, by default (the second tier ran for {} of {} queries)",
        tiers.default_ran_second,
        tiers.queries.len()
    );
    row(out, &what, &tiers.default)?;
    row(out, "the page just past the first tier: second tier ranked, 10 read", &tiers.second_page)?;
    writeln!(out)?;
    if let (Some((hits, export)), Some(page)) = (&tiers.export, &tiers.page) {
        let rss = |t: &Timed| t.peak_rss_mb.map_or("n/a".to_string(), |mb| format!("{mb:.0}"));
        writeln!(out, "| whole process | hits written | wall s | peak RSS MB |")?;
        writeln!(out, "|---|---:|---:|---:|")?;
        writeln!(
            out,
            "| `dateline search --format csv '*'` | {hits} | {:.2} | {} |",
            export.secs,
            rss(export)
        )?;
        writeln!(out, "| `dateline search -n 10 '*'` | 10 | {:.2} | {} |", page.secs, rss(page))?;
        writeln!(out)?;
    }
    Ok(())
}
