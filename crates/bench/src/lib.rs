//! Support for Dateline's benchmark harness: ranking-quality metrics and the TREC files they
//! read. The harness itself is the `dateline-bench` binary (`src/main.rs`).
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

pub mod metrics;
