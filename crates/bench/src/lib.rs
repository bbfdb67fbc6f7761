//! Support for Dateline's benchmark harness: ranking-quality metrics, the TREC files they
//! read, and the judged query sets kept in the repository. The harness itself is the `dateline-bench` binary (`src/main.rs`).
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

pub mod clustering;
pub mod judged;
pub mod metrics;
