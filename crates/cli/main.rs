//! `dateline`: search folders of news reports from the terminal.
//!
//! This binary is the edge: it turns flags into library calls, library results into text or
//! JSON, and library errors into one-line messages and grep-like exit codes.

mod args;
mod commands;
mod errors;
mod exit;
mod logging;
mod messages;
mod open;
mod printer;
mod progress;

use std::io;
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::exit::Exit;
use crate::messages::Messages;

// jemalloc, not the system allocator: glibc's let a build's heap creep with the corpus (a
// 100x Reuters build's anonymous memory rose from 320 to 433 MB over its run, with the
// same bounded state all along), and jemalloc was also the faster of the three measured
// (SCALING.md, "Memory of a run").
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => match args::mistyped_option(std::env::args()) {
            // clap would blame the option's value or the query, as stray arguments.
            Some(option) => {
                eprintln!("error: {option}");
                return Exit::Error.into();
            }
            None => err.exit(),
        },
    };
    logging::init(cli.verbose, cli.quiet);
    let messages = Messages { quiet: cli.quiet };
    let panicked = quiet_panics();
    let result = std::panic::catch_unwind(|| match cli.command {
        Command::Search(args) => commands::search::run(args, &messages),
        Command::Index(args) => commands::index::run(args, &messages),
        Command::Similar(args) => commands::search::run_similar(args, &messages),
        Command::Serve(args) => commands::serve::run(args, &messages),
        Command::Trace(args) => commands::trace::run(args, &messages),
        Command::Stories(args) => commands::stories::run(args, &messages),
    })
    .unwrap_or_else(|_| {
        let what = panicked.lock().map(|m| m.clone()).unwrap_or_default();
        Err(anyhow::anyhow!(
            "internal error ({what}); if the index is damaged, rebuild it with: dateline index --rebuild"
        ))
    });
    match result {
        Ok(exit) => exit.into(),
        Err(err) if is_broken_pipe(&err) => Exit::Found.into(),
        Err(err) => {
            messages.error(&format!("{err:#}"));
            Exit::Error.into()
        }
    }
}

/// Replaces the panic message (many lines, with a backtrace) with a record of where and
/// why, which `main` reports on one line; `RUST_BACKTRACE` keeps the full report.
fn quiet_panics() -> std::sync::Arc<std::sync::Mutex<String>> {
    let record = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
        return record;
    }
    let writer = std::sync::Arc::clone(&record);
    std::panic::set_hook(Box::new(move |info| {
        let location =
            info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if let Ok(mut record) = writer.lock() {
            *record = format!("{}{location}", payload.replace('\n', " "));
        }
    }));
    record
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
}
