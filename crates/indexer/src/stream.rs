//! Reading a file of many reports (JSON Lines, JSON array, CSV, TSV) as a stream, on a
//! worker thread: the file is hashed in one pass, then read record by record, each report
//! sent on as it is made. Memory holds one record and a bounded queue, whatever the size of
//! the file; a read that blocks (a hung mount) leaves the worker behind, as `read` does.

use std::io::{BufRead, BufReader, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender};

use dateline_schema::StoredReport;

use crate::Skip;
use crate::records::{self, FieldNames, Problem, Record, csv::Rows, json};

/// How a file's bytes are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// One report (plain text, Markdown).
    Text,
    /// One JSON object a line (`.jsonl`, `.ndjson`, `.jsonlines`).
    JsonLines,
    /// A JSON array of objects (`.json`).
    JsonArray,
    /// Delimiter-separated rows under a row of column names (`.csv`, `.tsv`).
    Delimited(u8),
}

impl Format {
    /// The format of the file at `path`, by its extension.
    pub(crate) fn of(path: &Path) -> Format {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" | "jsonlines" => Format::JsonLines,
            "json" => Format::JsonArray,
            "csv" => Format::Delimited(b','),
            "tsv" => Format::Delimited(b'\t'),
            _ => Format::Text,
        }
    }
}

/// What the worker sends, in order: the hash first (or a skip), then reports and problems.
#[derive(Debug)]
pub(crate) enum Item {
    /// Still hashing: a long hash pass is not a stalled read.
    Alive,
    Hash(u64),
    Report(Box<StoredReport>),
    Problem(Problem),
    /// The file cannot be read (on): what was sent of it must not stay.
    Fail(Skip),
}

/// Starts reading `path` (stored under `key`) on a worker thread; each record at most
/// `limit` bytes.
pub(crate) fn start(
    path: PathBuf,
    key: String,
    format: Format,
    names: FieldNames,
    limit: u64,
) -> Receiver<Item> {
    let (items, received) = std::sync::mpsc::sync_channel(256);
    let limit = usize::try_from(limit).unwrap_or(usize::MAX).max(1);
    let spawned = std::thread::Builder::new().name("dateline-stream".into()).spawn({
        let items = items.clone();
        move || {
            if let Err(reason) = run(&path, &key, format, &names, limit, &items) {
                let _ = items.send(Item::Fail(reason));
            }
        }
    });
    if let Err(err) = spawned {
        let reason = format!("cannot start a reading thread: {err}");
        let _ = items.send(Item::Fail(Skip::Unreadable { reason }));
    }
    received
}

fn run(
    path: &Path,
    key: &str,
    format: Format,
    names: &FieldNames,
    limit: usize,
    items: &SyncSender<Item>,
) -> Result<(), Skip> {
    let unreadable = |err: std::io::Error| Skip::Unreadable { reason: err.to_string() };
    let file = crate::read::open_checked(path)?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut since_alive = 0;
    loop {
        let buf = reader.fill_buf().map_err(unreadable)?;
        if buf.is_empty() {
            break;
        }
        hasher.update(buf);
        let n = buf.len();
        reader.consume(n);
        since_alive += n;
        if since_alive >= 64 << 20 {
            since_alive = 0;
            if items.send(Item::Alive).is_err() {
                return Ok(());
            }
        }
    }
    if items.send(Item::Hash(hasher.digest())).is_err() {
        return Ok(());
    }
    reader.rewind().map_err(unreadable)?;
    // Sends a record's report or problem; false once no one listens.
    let send = |record: Result<Record, Problem>| {
        let item = match record.and_then(|record| records::report(key, record, names)) {
            Ok(report) => Item::Report(Box::new(report)),
            Err(problem) => Item::Problem(problem),
        };
        items.send(item).is_ok()
    };
    let broken = |reason: String| Skip::Unreadable { reason };
    match format {
        Format::Text => Ok(()),
        Format::JsonLines => {
            let (mut line, mut offset, mut bytes) = (0u64, 0u64, Vec::new());
            loop {
                bytes.clear();
                line += 1;
                let read = (&mut reader).take(limit as u64 + 1).read_until(b'\n', &mut bytes);
                let read = read.map_err(unreadable)?;
                if read == 0 {
                    return Ok(());
                }
                let place = format!(":{line}");
                let record = if bytes.len() > limit && !bytes.ends_with(b"\n") {
                    // Skip the rest of the line, holding none of it.
                    let mut rest = 0;
                    loop {
                        let buf = reader.fill_buf().map_err(unreadable)?;
                        let (n, end) = match buf.iter().position(|&b| b == b'\n') {
                            Some(at) => (at + 1, true),
                            None => (buf.len(), buf.is_empty()),
                        };
                        reader.consume(n);
                        rest += n;
                        if end {
                            break;
                        }
                    }
                    offset += (read + rest) as u64;
                    Err(Problem { place, reason: format!("line over the {limit}-byte limit") })
                } else {
                    let here = offset;
                    offset += read as u64;
                    if bytes.trim_ascii().is_empty() {
                        continue;
                    }
                    json::record(&bytes, here, line, place)
                };
                if !send(record) {
                    return Ok(());
                }
            }
        }
        Format::JsonArray => {
            let mut elements = json::Elements::new(reader, limit);
            let mut index = 0u64;
            while let Some(element) = elements.next_element().map_err(broken)? {
                index += 1;
                let place = format!("#{index}");
                let record = match element {
                    json::Element::Whole { bytes, offset, line } => {
                        json::record(&bytes, offset, line, place)
                    }
                    json::Element::TooLarge { line } => Err(Problem {
                        place,
                        reason: format!("element on line {line} over the {limit}-byte limit"),
                    }),
                };
                if !send(record) {
                    return Ok(());
                }
            }
            Ok(())
        }
        Format::Delimited(delimiter) => {
            let mut rows = Rows::new(reader, delimiter, limit);
            let header = match rows.next_row().map_err(broken)? {
                None => return Ok(()),
                Some(Ok(row)) => row,
                Some(Err(problem)) => {
                    let reason = format!("the header row {}: {}", problem.place, problem.reason);
                    return Err(Skip::Unreadable { reason });
                }
            };
            let columns: Vec<String> = header
                .fields
                .iter()
                .map(|f| f.text.trim_start_matches('\u{feff}').trim().to_lowercase())
                .collect();
            if !names.candidates(crate::Role::Text).any(|name| columns.iter().any(|c| c == name)) {
                let looked_for: Vec<&str> = names.candidates(crate::Role::Text).collect();
                return Err(Skip::NoTextColumn {
                    columns: shorten(&columns.join(", ")),
                    looked_for: looked_for.join(", "),
                });
            }
            while let Some(row) = rows.next_row().map_err(broken)? {
                let record = row.map(|row| Record {
                    place: format!(":{}", row.line),
                    fields: columns.iter().cloned().zip(row.fields).collect(),
                });
                if !send(record) {
                    return Ok(());
                }
            }
            Ok(())
        }
    }
}

/// At most the first 200 bytes of `text` (column names come from the file).
fn shorten(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}
