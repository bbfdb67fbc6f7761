//! Human-readable results: one block per hit, each passage as `path:line: text` so an
//! editor or terminal can jump to it. Styles are ANSI codes, which the caller's
//! `anstream::AutoStream` strips when colour is off.

use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

use anstyle::{AnsiColor, Style};
use dateline_query::{Hit, Results};

use super::{day_and_time, flat, one_line};

pub(super) const RANK: Style = Style::new().bold();
pub(super) const TITLE: Style = Style::new().bold();
const DERIVED_TITLE: Style = Style::new().italic();
pub(super) const META: Style = AnsiColor::Cyan.on_default();
pub(super) const PATH: Style = AnsiColor::Magenta.on_default();
pub(super) const LINE: Style = AnsiColor::Green.on_default();
const MATCH: Style = AnsiColor::Red.on_default().bold();

/// What one hit may stand for besides its own report, as the search asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folded {
    /// Every report is a hit of its own (`--all-copies`).
    Nothing,
    /// A hit stands for its copies (the default).
    Copies,
    /// A hit stands for its story (`--distinct story`).
    Story,
}

/// Writes `results`; `by_date` says they are sorted by date, so undated reports are last;
/// `folded` says what a hit stands for, so a last page short of the total is not taken for
/// one with more after it.
pub fn write(
    out: &mut impl Write,
    results: &Results,
    limit: usize,
    cwd: Option<&Path>,
    by_date: bool,
    folded: Folded,
) -> io::Result<()> {
    let mut previous: Option<&Hit> = None;
    for hit in &results.hits {
        if previous.is_some() {
            writeln!(out)?;
        }
        // The line between the tiers, also atop a page that starts below it.
        if !hit.matches_every_word && previous.is_none_or(|hit| hit.matches_every_word) {
            write_tier_line(out, results.matched_every_word)?;
        }
        write_hit(out, hit, cwd)?;
        previous = Some(hit);
    }
    if by_date && results.undated > 0 && !results.hits.is_empty() {
        let reports = if results.undated == 1 { "report has" } else { "reports have" };
        writeln!(out)?;
        writeln!(
            out,
            "{META}{} matching {reports} no date and come{} last{META:#}",
            results.undated,
            if results.undated == 1 { "s" } else { "" }
        )?;
    }
    let shown = results.hits.len();
    if shown == 0 && results.total > 0 {
        // Either the page lies past the last hit, or none was asked for (--limit 0).
        let hint = if limit == 0 { "raise --limit" } else { "lower --offset" };
        writeln!(out, "{META}no hits shown; {} reports matched ({hint}){META:#}", total(results))?;
    } else if shown < results.total {
        let first = results.hits.first().map_or(0, |hit| hit.rank);
        // A page short of the limit is the last: the reports not shown are folded into hits.
        let rest = match (shown < limit, folded) {
            (true, Folded::Copies) => {
                "the last page: copies are folded into their hits; --all-copies shows each"
            }
            (true, Folded::Story) => "the last page: one hit per story",
            _ => "--limit, --offset for more",
        };
        writeln!(out)?;
        writeln!(
            out,
            "{META}showing {}–{} of {} matching reports ({rest}){META:#}",
            first,
            first + shown.saturating_sub(1),
            total(results)
        )?;
    }
    Ok(())
}

/// How many reports matched, as counted: `10000+` when counting stopped there
/// (`--count-all` counts them all).
fn total(results: &Results) -> String {
    match results.total_is_exact {
        true => results.total.to_string(),
        false => format!("{}+", results.total),
    }
}

/// Says where the reports matching every word end and those matching most of them begin.
fn write_tier_line(out: &mut impl Write, every_word: usize) -> io::Result<()> {
    let above = match every_word {
        0 => "no report matched every word".to_string(),
        1 => "1 report matched every word".to_string(),
        n => format!("{n} reports matched every word"),
    };
    writeln!(
        out,
        "{META}── {above}; below, reports matching most of them (--strict leaves these out) ──{META:#}"
    )?;
    writeln!(out)
}

fn write_hit(out: &mut impl Write, hit: &Hit, cwd: Option<&Path>) -> io::Result<()> {
    let path = display_path(&hit.attribution.path, cwd);
    write!(out, "{RANK}{}.{RANK:#} ", hit.rank)?;
    if hit.attribution.title_derived {
        // Readable without colour: say that the report has no headline of its own.
        let title = flat(&hit.attribution.title);
        write!(out, "{DERIVED_TITLE}{title}{DERIVED_TITLE:#} {META}(lead; no headline){META:#}")?;
    } else {
        write_marked(out, &hit.attribution.title, &hit.attribution.title_highlights, TITLE)?;
    }
    writeln!(out)?;

    let mut meta: Vec<String> = Vec::new();
    meta.extend(hit.attribution.publisher.as_deref().map(flat));
    meta.extend(hit.attribution.date.map(|d| match hit.attribution.date_crawled {
        true => format!("crawled {d}"),
        false => day_and_time(d, hit.attribution.published_at),
    }));
    meta.extend(hit.attribution.dateline.as_deref().map(flat));
    meta.extend(hit.attribution.language.as_deref().map(flat));
    meta.push(format!("score {:.2}", hit.score));
    writeln!(out, "   {META}{}{META:#}", meta.join(" · "))?;
    writeln!(out, "   {META}{}{META:#}", story_line(&hit.story))?;

    if hit.passages.is_empty() {
        writeln!(out, "   {PATH}{path}{PATH:#}")?;
    }
    for passage in &hit.passages {
        write!(out, "   {PATH}{path}{PATH:#}:{LINE}{}{LINE:#}: ", passage.match_line)?;
        write_marked(out, &passage.text, &passage.highlights, Style::new())?;
        writeln!(out)?;
    }
    write_copies(out, hit)
}

/// Names shown on a hit's "also ran in" line; the rest are counted.
const COPIES_NAMED: usize = 3;

/// `also ran in: The Hill, Yahoo News, +12`: where else the hit's text was published, by
/// outlet (by report name when it names none), earliest first.
fn write_copies(out: &mut impl Write, hit: &Hit) -> io::Result<()> {
    let copies = &hit.copies;
    if copies.count <= 1 {
        return Ok(());
    }
    let mut names: Vec<String> = copies
        .also_ran_in
        .iter()
        .take(COPIES_NAMED)
        .map(|copy| flat(copy.publisher.as_deref().unwrap_or(&copy.name)))
        .collect();
    let rest = copies.count - 1 - names.len();
    if rest > 0 {
        names.push(format!("+{rest}"));
    }
    let earliest = if copies.earliest { " (this is the earliest)" } else { "" };
    writeln!(out, "   {META}also ran in: {}{earliest}{META:#}", names.join(", "))
}

/// `story 3f…: 5 reports, 5 outlets, 2024-01-30 to 2024-01-31, 5 independent`.
fn story_line(story: &dateline_query::Story) -> String {
    let id = dateline_query::story_id(story.id);
    if story.reports <= 1 {
        return format!("story {id}: this report alone");
    }
    let days = match (story.first_date, story.last_date) {
        (Some(first), Some(last)) if first == last => format!(", {first}"),
        (Some(first), Some(last)) => format!(", {first} to {last}"),
        _ => ", undated".to_string(),
    };
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let outlets = match story.outlets {
        0 => "no outlet named".to_string(),
        n => plural(n, "outlet", "outlets"),
    };
    format!(
        "story {id}: {}, {outlets}{days}, {} independent",
        plural(story.reports, "report", "reports"),
        story.independent
    )
}

/// Writes `text` in `base` style with `marks` in the match style. A passage may be a
/// sentence wrapped over several lines; its line breaks become spaces.
pub(super) fn write_marked(
    out: &mut impl Write,
    text: &str,
    marks: &[Range<usize>],
    base: Style,
) -> io::Result<()> {
    let mut at = 0;
    for mark in marks {
        let (Some(before), Some(marked)) = (text.get(at..mark.start), text.get(mark.clone()))
        else {
            continue;
        };
        write!(out, "{base}{}{base:#}{MATCH}{}{MATCH:#}", flat(before), flat(marked))?;
        at = mark.end;
    }
    write!(out, "{base}{}{base:#}", flat(text.get(at..).unwrap_or("")))
}

/// The path relative to the working folder when it lies inside it, as a user would type it.
pub(super) fn display_path(path: &Path, cwd: Option<&Path>) -> String {
    one_line(cwd.and_then(|cwd| path.strip_prefix(cwd).ok()).unwrap_or(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_styled_and_stripped_when_colour_is_off() {
        let mut coloured = Vec::new();
        write_marked(
            &mut coloured,
            "use precursor chemicals",
            &[Range { start: 4, end: 23 }],
            Style::new(),
        )
        .unwrap();
        let coloured = String::from_utf8(coloured).unwrap();
        assert!(
            coloured.contains("\u{1b}[1m\u{1b}[31mprecursor chemicals\u{1b}[0m"),
            "{coloured:?}"
        );

        let mut plain = anstream::StripStream::new(Vec::new());
        write_marked(
            &mut plain,
            "use precursor chemicals",
            &[Range { start: 4, end: 23 }],
            Style::new(),
        )
        .unwrap();
        assert_eq!(String::from_utf8(plain.into_inner()).unwrap(), "use precursor chemicals");
    }

    #[test]
    fn paths_inside_the_working_folder_are_shown_relative() {
        let cwd = Path::new("/work/main");
        assert_eq!(
            display_path(Path::new("/work/main/index-data/a.txt"), Some(cwd)),
            "index-data/a.txt"
        );
        assert_eq!(display_path(Path::new("/elsewhere/a.txt"), Some(cwd)), "/elsewhere/a.txt");
    }
}
