//! `dateline stories`: the stories a query's reports belong to, newest first.

use std::io::Write;

use anyhow::Result;
use dateline_query::Query;

use crate::args::StoriesArgs;
use crate::commands::search::with_flags;
use crate::exit::Exit;
use crate::messages::Messages;
use crate::open::open_for_search;
use crate::printer;

pub fn run(args: StoriesArgs, messages: &Messages) -> Result<Exit> {
    let results = &args.results;
    let index = open_for_search(&results.index, messages)?;
    let query = with_flags(Query::new(args.query.clone()), results)
        .limit(results.limit)
        .offset(results.offset);
    let stories = index.stories(&query)?;
    let stdout = std::io::stdout();
    if results.json {
        let mut out = stdout.lock();
        serde_json::to_writer(&mut out, &stories)?;
        writeln!(out)?;
        out.flush()?;
    } else {
        let mut out = results.color.stdout();
        printer::stories::write(&mut out, &stories.stories, results.offset + 1)?;
        out.flush()?;
    }
    if stories.stories.is_empty() {
        if stories.total == 0 {
            messages.note("no report matched, so no story; try fewer words");
            return Ok(Exit::NotFound);
        }
        // The page lies past the last story, or none was asked for (--limit 0).
        let hint = if results.limit == 0 { "raise --limit" } else { "lower --offset" };
        let total = if stories.total_is_exact { "" } else { "+" };
        messages
            .note(&format!("no stories shown; {}{total} reports matched ({hint})", stories.total));
    }
    Ok(Exit::Found)
}
