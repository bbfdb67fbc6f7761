//! `dateline trace`: the reports carrying a claim, earliest first.

use std::io::Write;

use anyhow::Result;

use crate::args::TraceArgs;
use crate::exit::Exit;
use crate::messages::Messages;
use crate::open::open_for_search;
use crate::printer;

pub fn run(args: TraceArgs, messages: &Messages) -> Result<Exit> {
    let index = open_for_search(&args.index, messages)?;
    let trace = index.trace(&dateline_query::Claim::new(args.claim.as_str()))?;
    if trace.reports.is_empty() {
        // A note, not output: as grep's, stdout stays empty (but for --json) and the exit 1.
        messages.note(&format!(
            "no report carries this claim: {} holding most of its rarest words were aligned, none matches {:.0}% of its {} words; try fewer words, or search for them",
            match trace.candidates {
                1 => "1 report".to_string(),
                n => format!("{n} reports"),
            },
            dateline_query::MIN_COVERAGE * 100.0,
            trace.claim_words
        ));
    }
    let stdout = std::io::stdout();
    if args.json {
        let mut out = stdout.lock();
        serde_json::to_writer(&mut out, &trace)?;
        writeln!(out)?;
        out.flush()?;
    } else if !trace.reports.is_empty() {
        let mut out = args.color.stdout();
        let cwd = std::env::current_dir().ok();
        printer::trace::write(&mut out, &trace, cwd.as_deref())?;
        out.flush()?;
    }
    Ok(if trace.reports.is_empty() { Exit::NotFound } else { Exit::Found })
}
