//! End-to-end tests of the `dateline` binary, on the bundled reports and on corpora the
//! tests write. Each module states the properties it checks.

// A temp corpus plus a command builder, shared by every module.
mod util;

// Searching: ranking, query language, filters, output formats, exit codes.
mod search;

// `search --format csv|jsonl`: every hit; and how the text output marks tiers and dates.
mod export;

// Indexing: incremental updates, rebuilds, locking, watching.
mod index;

// Files of many reports: JSON Lines, JSON arrays, CSV, TSV; files of a kind not read.
mod records;

// Bad input files: skipped or decoded, reported on one line, never a panic or a loss.
mod bad_input;

// `dateline serve`: the API over a real socket, live commits, Ctrl-C, the page in Chromium.
mod serve;

// Kills, concurrent readers, damaged indexes, a full disk.
mod faults;

// `search --json` and the HTTP API, byte for byte against recorded output.
mod golden;

// The same properties on real newswire fetched at test time.
mod corpus;

// Web pages: the article's text and metadata, on real news pages fetched at test time.
mod html;

// Languages: detection, declarations, Chinese and Japanese words, `--lang`, on real pages.
mod languages;

// Compressed files (.gz, .zst) and JSON objects, made from real text.
mod formats;

// WARC crawls made with warcio from real news pages.
mod warc;

// RSS and Atom feeds, made from real articles.
mod feeds;

// A folder of every kind read; dumps of mixed encodings.
mod mixed;

// `dateline trace`: the reports carrying a claim, in time order, the first named.
mod trace;
// Copies: reprints collapse into one hit, independent reports stay apart.
mod copies;
// Stories: the bundled reports are one; Reuters reports of one event share one, of two
// events about one company do not; ids stay when reports are added or removed; undated reports.
mod stories;
