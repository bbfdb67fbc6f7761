//! A claim's trace for people: who carried it first, how many independent sources carry
//! it, then each report in time order with the passage the claim aligns to, as
//! `path:line: text` like a search's passages.

use std::io::{self, Write};
use std::path::Path;

use anstyle::Style;
use dateline_query::{Carrier, Trace};

use super::standard::{LINE, META, PATH, RANK, TITLE, display_path, write_marked};
use super::{day_and_time, flat};

/// Writes `trace` (which carries the claim in at least one report).
pub fn write(out: &mut impl Write, trace: &Trace, cwd: Option<&Path>) -> io::Result<()> {
    writeln!(out, "{}", summary(trace))?;
    if let Some(first) = trace.reports.first().filter(|_| trace.first.is_some()) {
        let ties = match trace.first_ties {
            0 => String::new(),
            1 => " (1 other report of that day cannot be told apart: no time of day)".into(),
            n => format!(" ({n} other reports of that day cannot be told apart: no time of day)"),
        };
        writeln!(out, "{META}first report: {}{ties}{META:#}", describe(first))?;
    } else {
        writeln!(out, "{META}first report: unknown (no report carrying it is dated){META:#}")?;
    }
    for (rank, carrier) in trace.reports.iter().enumerate() {
        writeln!(out)?;
        write_carrier(out, rank + 1, carrier, cwd)?;
    }
    if trace.undated > 0 {
        writeln!(out)?;
        let reports = match trace.undated {
            1 => "1 report has no date and comes last".to_string(),
            n => format!("{n} reports have no date and come last"),
        };
        writeln!(out, "{META}{reports}{META:#}")?;
    }
    Ok(())
}

/// `carried by 3 reports from 2 independent sources (reprints count once): Reuters, The Hill`.
fn summary(trace: &Trace) -> String {
    let c = &trace.corroboration;
    let reports = match trace.reports.len() {
        1 => "1 report".to_string(),
        n => format!("{n} reports"),
    };
    let sources = match c.independent {
        1 => "1 independent source".to_string(),
        n => format!("{n} independent sources"),
    };
    let mut outlets: Vec<String> = c.outlets.iter().map(|outlet| flat(outlet)).collect();
    if c.unnamed > 0 {
        outlets.push(format!("{} naming no outlet", c.unnamed));
    }
    format!("carried by {reports} from {sources} (reprints count once): {}", outlets.join(", "))
}

/// `name (Reuters, 1987-02-26 15:01 UTC)`.
fn describe(carrier: &Carrier) -> String {
    let a = &carrier.attribution;
    let mut about: Vec<String> = a.publisher.as_deref().map(flat).into_iter().collect();
    about.extend(a.date.map(|day| day_and_time(day, a.published_at)));
    format!("{} ({})", flat(&a.name), about.join(", "))
}

fn write_carrier(
    out: &mut impl Write,
    rank: usize,
    carrier: &Carrier,
    cwd: Option<&Path>,
) -> io::Result<()> {
    let a = &carrier.attribution;
    writeln!(out, "{RANK}{rank}.{RANK:#} {TITLE}{}{TITLE:#}", flat(&a.title))?;
    let mut meta: Vec<String> = a.publisher.as_deref().map(flat).into_iter().collect();
    meta.push(match a.date {
        Some(day) if a.date_crawled => format!("crawled {day}"),
        Some(day) => day_and_time(day, a.published_at),
        None => "undated".to_string(),
    });
    meta.push(format!("{:.0}% of the claim", carrier.coverage * 100.0));
    meta.push(format!("copy group {}", carrier.copy_group));
    writeln!(out, "   {META}{}{META:#}", meta.join(" · "))?;
    let passage = &carrier.passage;
    let path = display_path(&a.path, cwd);
    write!(out, "   {PATH}{path}{PATH:#}:{LINE}{}{LINE:#}: ", passage.line)?;
    write_marked(out, &passage.text, &passage.highlights, Style::new())?;
    writeln!(out)
}
