//! WARC web crawls (`.warc`, and `.warc.gz` with one gzip member per record, as Common
//! Crawl's CC-NEWS ships them): every `response` record whose HTTP payload is HTML is a web
//! page, read by [`crate::html`]; other records are counted and passed over.
//!
//! A small reader rather than a crate: a record is a version line, header lines, a blank
//! line, `Content-Length` bytes of content and a blank line, and reading it by hand keeps the
//! byte offset and line of every payload, which passages point at. Records are read one at a
//! time, so memory holds one record (at most the size limit; a longer one is passed over
//! without being held) whatever the size of the crawl.

use std::io::{BufRead, Read};

use dateline_schema::{OffsetMap, StoredReport};

use super::Problem;
use crate::stream::Sink;
use crate::{Skip, Warning, html};

/// Most caveats on a crawl's pages said one by one.
const MAX_CAVEATS: usize = 10;

/// The longest header block read: a record whose headers run on is not a WARC record.
const MAX_HEADER: u64 = 64 << 10;

/// Reads the crawl in `reader`, each record at most `limit` bytes, sending to `sink`.
///
/// A record cut off by the end of the file (or a damaged compressed stream) is one problem,
/// and the records before it are kept, as a JSON Lines file's cut-off last line is.
pub(crate) fn read(
    reader: &mut impl BufRead,
    limit: usize,
    sink: &Sink<'_>,
    unreadable: &dyn Fn(std::io::Error) -> Skip,
) -> Result<(), Skip> {
    let mut at = Position { offset: 0, line: 1 };
    let mut passed = PassedOver::default();
    let mut caveats = 0;
    for number in 1u64.. {
        let place = format!("#{number}");
        let cut = |reason: String| Problem { place: place.clone(), reason };
        let header = match read_header(reader, &mut at) {
            Ok(Some(header)) => header,
            Ok(None) => break,
            Err(err) if number == 1 => return Err(unreadable(err)),
            Err(err) => {
                sink.report(Err(cut(format!("cut off or damaged: {err}"))));
                break;
            }
        };
        let Some(header) = header else {
            let reason = format!(
                "not a WARC record at byte {}; the rest of the file is not read",
                at.offset
            );
            if number == 1 {
                return Err(Skip::Unreadable {
                    reason: "not a WARC file (no WARC/ version line)".into(),
                });
            }
            sink.report(Err(cut(reason)));
            break;
        };
        let Some(len) = header.get("content-length").and_then(|len| len.trim().parse::<u64>().ok())
        else {
            sink.report(Err(cut("no Content-Length; the rest of the file is not read".into())));
            break;
        };
        let content_at = at;
        let content = match len > limit as u64 {
            true => Err(skip_bytes(reader, len, &mut at)),
            false => Ok(read_bytes(reader, len, &mut at)),
        };
        let content = match content {
            Ok(Ok(content)) => content,
            Err(Ok(())) => {
                let reason = format!("record of {len} bytes is over the {limit}-byte limit");
                if !sink.report(Err(cut(reason))) {
                    return Ok(());
                }
                continue;
            }
            Ok(Err(err)) | Err(Err(err)) => {
                sink.report(Err(cut(format!("cut off: {err}"))));
                break;
            }
        };
        let kind = header.get("warc-type").unwrap_or("").trim().to_ascii_lowercase();
        let page = match kind.as_str() {
            "response" => http_page(&content),
            _ => {
                passed.count(&kind);
                continue;
            }
        };
        let Some((payload_at, payload)) = page else {
            passed.count("non-HTML response");
            continue;
        };
        let payload_at = content_at.after(&content[..payload_at]);
        let report = html::report(sink.key, payload, usize::MAX).map(|(report, warnings)| {
            // A page's caveats (a date the index cannot hold, a guessed encoding) are said,
            // the first few of a crawl.
            for warning in warnings {
                if caveats < MAX_CAVEATS {
                    caveats += 1;
                    sink.warn(Warning::RecordCaveat {
                        place: place.clone(),
                        caveat: warning.to_string(),
                    });
                }
            }
            place_report(report, &header, payload_at, &place)
        });
        let report = report.map_err(|skip| cut(skip.to_string()));
        if !sink.report(report) {
            return Ok(());
        }
    }
    if passed.total > 0 {
        sink.warn(Warning::RecordsPassedOver { count: passed.total, kinds: passed.kinds() });
    }
    Ok(())
}

/// A place in the (decompressed) file: byte offset and 1-based line.
#[derive(Clone, Copy, Debug)]
struct Position {
    offset: u64,
    line: u64,
}

impl Position {
    /// The place just after `bytes`, read from here.
    fn after(self, bytes: &[u8]) -> Position {
        let line = self.line + dateline_schema::lines::count_bytes(bytes) as u64;
        Position { offset: self.offset + bytes.len() as u64, line }
    }
}

/// The page's report, named and placed in the crawl, with the crawl's URL and date where
/// the page states none.
fn place_report(
    mut report: StoredReport,
    header: &Header,
    payload_at: Position,
    place: &str,
) -> StoredReport {
    report.record = Some(place.to_string());
    report.body_offsets = report.body_offsets.then(&OffsetMap::identity(payload_at.offset));
    report.body_line += payload_at.line - 1;
    if report.url.is_none() {
        report.url = header.get("warc-target-uri").map(|uri| uri.trim().to_string());
    }
    if report.date.is_none() {
        let crawled = header.get("warc-date").and_then(crate::records::parse_date);
        report.date = crawled.filter(|&day| dateline_schema::date::in_range(day));
        report.date_crawled = report.date.is_some();
    }
    report
}

/// Where the HTML payload of a `response` record's content starts, and the payload, if it
/// is an HTTP response of HTML (sent as is: a payload with a content or transfer encoding
/// is not the page's bytes).
fn http_page(content: &[u8]) -> Option<(usize, &[u8])> {
    let end = content
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| at + 4)
        .or_else(|| content.windows(2).position(|w| w == b"\n\n").map(|at| at + 2))?;
    let head = std::str::from_utf8(&content[..end]).ok()?;
    let mut lines = head.lines();
    if !lines.next()?.starts_with("HTTP/") {
        return None;
    }
    let mut html = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_ascii_lowercase());
        match name.as_str() {
            "content-type" => html = value.starts_with("text/html") || value.contains("xhtml"),
            "content-encoding" if value != "identity" => return None,
            "transfer-encoding" if value.contains("chunked") => return None,
            _ => {}
        }
    }
    html.then_some((end, &content[end..]))
}

/// A record's header lines, names lower-cased.
struct Header(Vec<(String, String)>);

impl Header {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(known, _)| known == name).map(|(_, value)| value.as_str())
    }
}

/// The next record's header: `Ok(None)` at the end of the file, `Ok(Some(None))` when what
/// follows is not a WARC record.
fn read_header(
    reader: &mut impl BufRead,
    at: &mut Position,
) -> std::io::Result<Option<Option<Header>>> {
    let mut line = Vec::new();
    // Blank lines between records are the previous record's end.
    loop {
        line.clear();
        if reader.take(MAX_HEADER).read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        *at = at.after(&line);
        if !line.trim_ascii().is_empty() {
            break;
        }
    }
    if !line.starts_with(b"WARC/") {
        return Ok(Some(None));
    }
    let mut fields = Vec::new();
    let mut read = 0;
    loop {
        line.clear();
        let n = reader.take(MAX_HEADER).read_until(b'\n', &mut line)?;
        *at = at.after(&line);
        read += n as u64;
        if n == 0 || read > MAX_HEADER {
            let ended = std::io::ErrorKind::UnexpectedEof;
            return Err(std::io::Error::new(ended, "the file ends inside a record's header"));
        }
        if line.trim_ascii().is_empty() {
            return Ok(Some(Some(Header(fields))));
        }
        let text = String::from_utf8_lossy(&line);
        if let Some((name, value)) = text.split_once(':') {
            fields.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
}

/// Exactly `len` bytes.
fn read_bytes(reader: &mut impl BufRead, len: u64, at: &mut Position) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(len as usize);
    reader.take(len).read_to_end(&mut bytes)?;
    *at = at.after(&bytes);
    if (bytes.len() as u64) < len {
        let missing = len - bytes.len() as u64;
        let message = format!("the file ends {missing} bytes before the record's end");
        return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, message));
    }
    Ok(bytes)
}

/// Passes over `len` bytes, holding none of them.
fn skip_bytes(reader: &mut impl BufRead, len: u64, at: &mut Position) -> std::io::Result<()> {
    let mut left = len;
    while left > 0 {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            let message = format!("the file ends {left} bytes before the record's end");
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, message));
        }
        let n = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        *at = at.after(&buf[..n]);
        reader.consume(n);
        left -= n as u64;
    }
    Ok(())
}

/// Records that give no report by their kind, counted for the file's caveat.
#[derive(Default)]
struct PassedOver {
    total: u64,
    by_kind: Vec<(String, u64)>,
}

impl PassedOver {
    fn count(&mut self, kind: &str) {
        let kind = if kind.is_empty() { "untyped" } else { kind };
        self.total += 1;
        match self.by_kind.iter_mut().find(|(known, _)| known == kind) {
            Some((_, n)) => *n += 1,
            None => self.by_kind.push((kind.to_string(), 1)),
        }
    }

    /// "3 request, 3 metadata, 1 warcinfo".
    fn kinds(&self) -> String {
        let parts: Vec<String> =
            self.by_kind.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
        parts.join(", ")
    }
}
