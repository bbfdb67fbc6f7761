//! `dateline search`: open (or, on first use, build) the index, search, print.

use std::io::Write;

use anyhow::Result;
use dateline_query::{Distinct, ExportFormat, ExportWriter, Filters, Query, Sort, Source};

use crate::args::{DistinctArg, FormatArg, ResultArgs, SearchArgs, SimilarArgs, SortArg};
use crate::exit::Exit;
use crate::messages::Messages;
use crate::open::open_for_search;
use crate::printer;
use crate::printer::standard::Folded;

pub fn run(args: SearchArgs, messages: &Messages) -> Result<Exit> {
    let mut query = Query::new(args.query.clone())
        .strict(args.strict)
        .all_copies(args.all_copies)
        .count_all(args.count_all);
    if let Some(DistinctArg::Story) = args.distinct {
        query = query.distinct(Distinct::Story);
    }
    let folded = match (args.distinct, args.all_copies) {
        (Some(DistinctArg::Story), _) => Folded::Story,
        (None, false) => Folded::Copies,
        (None, true) => Folded::Nothing,
    };
    match args.format {
        Some(format) => export(query, format, &args.results, messages),
        None => run_query(query, &args.results, folded, messages),
    }
}

pub fn run_similar(args: SimilarArgs, messages: &Messages) -> Result<Exit> {
    run_query(Query::similar_to(&args.path), &args.results, Folded::Copies, messages)
}

/// `query` with the shared flags' filters and order.
pub fn with_flags(query: Query, args: &ResultArgs) -> Query {
    let mut filters = Filters::new();
    filters.since = args.since;
    filters.until = args.until;
    filters.publishers = args.publisher.clone();
    filters.languages = args.languages.clone();
    let query = query.filtered(filters);
    match args.sort {
        None => query,
        Some(SortArg::Relevance) => query.sort(Sort::Relevance),
        Some(SortArg::Newest) => query.sort(Sort::Newest),
        Some(SortArg::Oldest) => query.sort(Sort::Oldest),
    }
}

/// Writes every hit of `query` to stdout as `format`, streamed.
fn export(query: Query, format: FormatArg, args: &ResultArgs, messages: &Messages) -> Result<Exit> {
    let index = open_for_search(&args.index, messages)?;
    let hits = index.export(&with_flags(query, args))?;
    let total = hits.total();
    let format = match format {
        FormatArg::Csv => ExportFormat::Csv,
        FormatArg::Jsonl => ExportFormat::Jsonl,
    };
    let mut out = ExportWriter::new(format, std::io::BufWriter::new(std::io::stdout().lock()))?;
    for hit in hits {
        out.write(&hit?)?;
    }
    out.flush()?;
    Ok(if total > 0 { Exit::Found } else { Exit::NotFound })
}

/// Applies the shared flags to `query`, runs it, prints the results.
fn run_query(query: Query, args: &ResultArgs, folded: Folded, messages: &Messages) -> Result<Exit> {
    let index = open_for_search(&args.index, messages)?;
    let query =
        with_flags(query, args).limit(args.limit).offset(args.offset).passages(args.passages);
    let results = index.search(&query)?;
    if index.num_reports() == 0 {
        messages.note(&format!(
            "the index at {} holds no reports; add some with: dateline index --index {} DIR",
            index.dir().display(),
            index.dir().display()
        ));
    }
    if results.matched_every_word == 0
        && let Source::Text(text) = query.source()
        && let Some(word) = text.split_whitespace().find(|w| matches!(*w, "or" | "not"))
    {
        // Lower-case operators are words; the user most likely meant the operator.
        let meant = if word == "or" { "`OR` (in capitals)" } else { "`-word` to exclude a word" };
        messages.note(&format!("`{word}` was searched as a word; for the operator write {meant}"));
    }
    if !results.suggestions.is_empty() && !args.json {
        // A note, not output: stdout stays empty and the exit code 1, as grep's would.
        let (first, others) = results.suggestions.split_first().expect("not empty");
        let others = match others.is_empty() {
            true => String::new(),
            false => format!(" (or: {})", others.join(" | ")),
        };
        messages.note(&format!("did you mean: {first}?{others}"));
    }

    let stdout = std::io::stdout();
    if args.json {
        let mut out = stdout.lock();
        printer::json::write(&mut out, &results)?;
        out.flush()?;
    } else {
        let mut out = args.color.stdout();
        let cwd = std::env::current_dir().ok();
        let by_date = query.order() != Sort::Relevance;
        printer::standard::write(&mut out, &results, args.limit, cwd.as_deref(), by_date, folded)?;
        out.flush()?;
    }
    Ok(if results.total > 0 { Exit::Found } else { Exit::NotFound })
}
