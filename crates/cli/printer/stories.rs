//! A query's stories for people: one block per story, its size and independence on the first
//! line, then its first report, the report that matched best, its days and its outlets.

use std::io::{self, Write};

use dateline_query::{StoryDigest, StoryReport, story_id};

use super::flat;
use super::standard::{META, RANK, TITLE};

/// Writes `stories`, numbered from `first`.
pub fn write(out: &mut impl Write, stories: &[StoryDigest], first: usize) -> io::Result<()> {
    for (i, digest) in stories.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_story(out, first + i, digest)?;
    }
    Ok(())
}

fn write_story(out: &mut impl Write, rank: usize, digest: &StoryDigest) -> io::Result<()> {
    let story = &digest.story;
    writeln!(out, "{RANK}{rank}.{RANK:#} {TITLE}{}{TITLE:#}", flat(&digest.first_report.title))?;
    let days = match (story.first_date, story.last_date) {
        (Some(first), Some(last)) if first == last => first.to_string(),
        (Some(first), Some(last)) => format!("{first} to {last}"),
        _ => "undated".to_string(),
    };
    writeln!(
        out,
        "   {META}story {}: {} · {} ({} independent, {} {}) · {days}{META:#}",
        story_id(story.id),
        count(story.reports, "report", "reports"),
        match story.outlets {
            0 => "no outlet named".to_string(),
            n => count(n, "outlet", "outlets"),
        },
        story.independent,
        digest.copies,
        if digest.copies == 1 { "copy" } else { "copies" },
    )?;
    writeln!(out, "   first report: {}", describe(&digest.first_report))?;
    if digest.best_match.name != digest.first_report.name {
        writeln!(out, "   best match:   {}", describe(&digest.best_match))?;
    }
    let mut days: Vec<String> =
        digest.timeline.iter().map(|day| format!("{} ×{}", day.date, day.reports)).collect();
    if digest.undated > 0 {
        days.push(format!("undated ×{}", digest.undated));
    }
    writeln!(out, "   timeline: {}", days.join(", "))?;
    let c = &digest.corroboration;
    let mut outlets: Vec<String> = c.outlets.iter().map(|outlet| flat(outlet)).collect();
    if c.unnamed > 0 {
        outlets.push(format!("{} naming no outlet", c.unnamed));
    }
    writeln!(
        out,
        "   corroborated by {} (a copy group counts once): {}",
        count(c.independent as u64, "independent source", "independent sources"),
        outlets.join(", ")
    )
}

/// `title — Publisher, 2024-01-31 (name)`.
fn describe(report: &StoryReport) -> String {
    let mut about = Vec::new();
    if let Some(publisher) = &report.publisher {
        about.push(flat(publisher));
    }
    about.push(report.date.map_or("undated".to_string(), |day| day.to_string()));
    format!("{} — {} ({})", flat(&report.title), about.join(", "), flat(&report.name))
}

fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}
