//! Reading a file of many reports (JSON Lines, JSON, CSV, TSV, WARC, RSS/Atom) as a stream,
//! on a worker thread: the file is hashed in one pass, then read record by record (through
//! its decompressor, for a `.gz` or `.zst` file), each report sent on as it is made. Memory
//! holds one record and a bounded queue, whatever the size of the file (a JSON object or a
//! feed, read whole, is bounded by the size limit); a read that blocks (a hung mount) leaves the worker
//! behind, as `read` does.

use std::io::{BufRead, BufReader, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender};

use dateline_schema::StoredReport;
use dateline_schema::formats::{self, Compression};

use crate::records::{self, FieldNames, Problem, Record, csv::Rows, feed, json, object, warc};
use crate::{Skip, Warning, compress};

/// How a file's bytes are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// One report (plain text, Markdown).
    Text,
    /// One JSON object a line (`.jsonl`, `.ndjson`, `.jsonlines`).
    JsonLines,
    /// A JSON array of objects, or an object: one article, or records under a known key
    /// (`.json`).
    Json,
    /// Delimiter-separated rows under a row of column names (`.csv`, `.tsv`).
    Delimited(u8),
    /// A web crawl (`.warc`): each HTML response a report.
    Warc,
    /// An RSS or Atom feed (`.rss`, `.atom`, `.xml`): each item or entry a report.
    Feed,
}

impl Format {
    /// The format of the file at `path`, by its extension (a compressed file's by the
    /// extension under the compression's).
    pub(crate) fn of(path: &Path) -> Format {
        match formats::kind(path).unwrap_or_default().as_str() {
            "jsonl" | "ndjson" | "jsonlines" => Format::JsonLines,
            "json" => Format::Json,
            "warc" => Format::Warc,
            "rss" | "atom" | "xml" => Format::Feed,
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
    /// A caveat on the file (records passed over, say).
    Warning(Warning),
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
    let compression: Option<Compression> = formats::compression(path);
    // A decoder's error names a damaged stream or a zip bomb; a file's, the file.
    let unreadable = |err: std::io::Error| match compression {
        Some(_) => compress::skip(&err),
        None => Skip::Unreadable { reason: err.to_string() },
    };
    let file = crate::read::open_checked(path)?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let (mut since_alive, mut hashed) = (0, 0u64);
    loop {
        let buf = reader.fill_buf().map_err(unreadable)?;
        if buf.is_empty() {
            break;
        }
        hasher.update(buf);
        let n = buf.len();
        reader.consume(n);
        since_alive += n;
        hashed += n as u64;
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
    let sink = Sink { key, names, items };
    // Records are bounded one by one; the whole stream only against a zip bomb.
    let bound = hashed.saturating_mul(compress::MAX_RATIO).max(limit as u64);
    let decoded = move |compression, file| -> std::io::Result<Box<dyn BufRead + Send>> {
        let decoder = compress::decoder(compression, file, bound)?;
        Ok(Box::new(BufReader::with_capacity(1 << 16, decoder)))
    };
    let mut reader: Box<dyn BufRead + Send> = match (compression, format) {
        (None, Format::Delimited(delimiter)) => return delimited(reader, delimiter, limit, &sink),
        (Some(compression), Format::Delimited(delimiter)) => {
            // CSV goes back after an unclosed quote: a decompressed stream is opened again.
            let path = path.to_path_buf();
            let open = move || {
                let file = crate::read::open_checked(&path)
                    .map_err(|skip| std::io::Error::other(skip.to_string()))?;
                decoded(compression, BufReader::with_capacity(1 << 20, file))
            };
            let reader = compress::Reopening::new(Box::new(open)).map_err(unreadable)?;
            return delimited(reader, delimiter, limit, &sink);
        }
        (None, _) => Box::new(reader),
        (Some(compression), _) => decoded(compression, reader).map_err(unreadable)?,
    };
    match format {
        Format::Text => Ok(()),
        Format::JsonLines => json::lines(&mut reader, limit, &sink).map_err(unreadable),
        Format::Json => object::read(&mut reader, limit, &sink, &unreadable),
        Format::Delimited(_) => Ok(()),
        Format::Warc => warc::read(&mut reader, limit, &sink, &unreadable),
        Format::Feed => {
            let mut bytes = Vec::new();
            reader.take(limit as u64 + 1).read_to_end(&mut bytes).map_err(unreadable)?;
            if bytes.len() > limit {
                return Err(Skip::TooLarge { len: bytes.len() as u64, limit: limit as u64 });
            }
            feed::read(&bytes, &sink)
        }
    }
}

/// Where a format's reader sends what it finds.
pub(crate) struct Sink<'a> {
    pub key: &'a str,
    pub names: &'a FieldNames,
    items: &'a SyncSender<Item>,
}

impl Sink<'_> {
    /// Sends a record's report or problem; false once no one listens (stop reading).
    pub(crate) fn record(&self, record: Result<Record, Problem>) -> bool {
        self.report(record.and_then(|record| records::report(self.key, record, self.names)))
    }

    /// Sends a report or why a record gives none; false once no one listens.
    pub(crate) fn report(&self, report: Result<StoredReport, Problem>) -> bool {
        let item = match report {
            Ok(mut report) => {
                // Detection is the costliest step of a report: here it runs beside the
                // writer thread, not on it.
                crate::language::settle(&mut report);
                Item::Report(Box::new(report))
            }
            Err(problem) => Item::Problem(problem),
        };
        self.items.send(item).is_ok()
    }

    /// Sends a caveat on the file; false once no one listens.
    pub(crate) fn warn(&self, warning: Warning) -> bool {
        self.items.send(Item::Warning(warning)).is_ok()
    }
}

/// CSV or TSV rows under a row of column names.
fn delimited(
    reader: impl BufRead + Seek,
    delimiter: u8,
    limit: usize,
    sink: &Sink<'_>,
) -> Result<(), Skip> {
    let broken = |reason: String| Skip::Unreadable { reason };
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
    let names = sink.names;
    if !names.candidates(crate::Role::Text).any(|name| columns.iter().any(|c| c == name)) {
        let looked_for: Vec<&str> = names.candidates(crate::Role::Text).collect();
        return Err(Skip::NoTextColumn {
            columns: shorten(&columns.join(", ")),
            looked_for: looked_for.join(", "),
        });
    }
    let (mut decoded, mut first_decoded) = (0u64, None);
    while let Some(row) = rows.next_row().map_err(broken)? {
        if let Some(row) = row.as_ref().ok().filter(|row| row.decoded) {
            decoded += 1;
            first_decoded.get_or_insert(row.line);
        }
        let record = row.map(|row| Record {
            place: format!(":{}", row.line),
            fields: columns.iter().cloned().zip(row.fields).collect(),
        });
        if !sink.record(record) {
            return Ok(());
        }
    }
    if let Some(first_line) = first_decoded {
        sink.warn(Warning::RowsDecoded { rows: decoded, first_line });
    }
    Ok(())
}

/// At most the first 200 bytes of `text` (column names come from the file).
fn shorten(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}
