//! `dateline search`: open (or, on first use, build) the index, search, print.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use dateline_query::{Filters, Index, Query};

use crate::args::{ColorWhen, DEFAULT_INDEX, DEFAULT_REPORTS, ResultArgs, SearchArgs, SimilarArgs};
use crate::commands::index::{build_bundled, describe_open_error};
use crate::printer;
use crate::{FOUND, Messages, NOT_FOUND};

pub fn run(args: SearchArgs, messages: &Messages) -> Result<u8> {
    let query = Query::new(args.query.clone());
    run_query(query, &args.results, messages)
}

pub fn run_similar(args: SimilarArgs, messages: &Messages) -> Result<u8> {
    run_query(Query::similar_to(&args.path), &args.results, messages)
}

/// Applies the shared flags to `query`, runs it, prints the results.
fn run_query(query: Query, args: &ResultArgs, messages: &Messages) -> Result<u8> {
    let index = open(&args.index, messages)?;
    let mut filters = Filters::new();
    filters.since = args.since;
    filters.until = args.until;
    filters.publisher = args.publisher.clone();
    let query =
        query.limit(args.limit).offset(args.offset).passages(args.passages).filtered(filters);
    let results = index.search(&query)?;

    let stdout = std::io::stdout();
    if args.json {
        let mut out = stdout.lock();
        printer::json::write(&mut out, &results)?;
        out.flush()?;
    } else {
        let choice = match args.color {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        };
        let mut out = anstream::AutoStream::new(stdout.lock(), choice);
        let cwd = std::env::current_dir().ok();
        printer::standard::write(&mut out, &results, cwd.as_deref())?;
        out.flush()?;
    }
    Ok(if results.total > 0 { FOUND } else { NOT_FOUND })
}

/// Opens the index. The default index is built from the bundled reports the first time,
/// when a first build was interrupted before its first commit, and when it was built by a
/// version of Dateline with another index format.
pub fn open(dir: &Path, messages: &Messages) -> Result<Index> {
    let bundled = dir == Path::new(DEFAULT_INDEX) && Path::new(DEFAULT_REPORTS).is_dir();
    let why = match Index::open(dir) {
        Err(dateline_query::Error::NotFound { .. }) if bundled => "no index yet",
        Err(dateline_query::Error::Format(_)) if bundled => "an index of another Dateline format",
        Ok(index) if bundled && index.folders().is_empty() => "an empty index",
        Err(err) => return Err(describe_open_error(err, dir)),
        Ok(index) => return Ok(index),
    };
    build_bundled(dir, Path::new(DEFAULT_REPORTS), why, messages)?;
    Index::open(dir).with_context(|| format!("opening the index just built at {}", dir.display()))
}
