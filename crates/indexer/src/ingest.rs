//! The reading layer: a walked file → the reports it gives the index.
//!
//! Every check on a file's content lives here, in the order it is cheapest to fail: size
//! (from the walk, then again while reading, as the file may have grown), NUL bytes, decoding,
//! emptiness, line length. Then extraction ([`crate::extract`]) turns the text into
//! [`StoredReport`]s. A file yields a list of reports: a plain-text report file gives one,
//! but a JSON Lines, CSV or WARC file holds many.

use std::borrow::Cow;

use dateline_schema::{LineMap, OffsetMap, StoredReport, Title, date, formats};

use crate::read::{self, ReadOutcome, TimedReader};
use crate::records::Role;
use crate::walk::Candidate;
use crate::{Options, Skip, Warning, compress, decode, extract, html, markup, records};

/// What one file gives the index.
#[derive(Debug)]
pub(crate) struct Ingested {
    /// XXH3 hash of the file's bytes: confirms a change that size and time only suggest.
    pub hash: u64,
    /// The reports the file holds, in file order.
    pub reports: Vec<StoredReport>,
    /// Caveats on the file or its reports, in the order found.
    pub warnings: Vec<Warning>,
}

/// Reads `candidate` and turns it into reports, or says why it must be skipped.
pub(crate) fn ingest(
    reader: &mut TimedReader,
    candidate: &Candidate,
    options: &Options,
) -> Result<Ingested, Skip> {
    let bytes = read_bytes(reader, candidate, options.max_file_size)?;
    let Some(compression) = formats::compression(&candidate.path) else {
        return ingest_bytes(&candidate.key, &bytes, options.max_line_length);
    };
    // The file's own bytes are its stamp; the text is what they hold, as `zcat` shows it.
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let inflated = compress::decompress(compression, &bytes, options.max_file_size)?;
    drop(bytes);
    let ingested = ingest_bytes(&candidate.key, &inflated, options.max_line_length)?;
    Ok(Ingested { hash, ..ingested })
}

/// The file's bytes, within `limit`.
fn read_bytes(
    reader: &mut TimedReader,
    candidate: &Candidate,
    limit: u64,
) -> Result<Vec<u8>, Skip> {
    if candidate.len > limit {
        return Err(Skip::TooLarge { len: candidate.len, limit });
    }
    // The limit is enforced while reading too: the file may have grown since the walk.
    match reader.read(&candidate.path, limit) {
        Ok(ReadOutcome::Bytes(bytes)) => Ok(bytes),
        Ok(ReadOutcome::TooLarge { len }) => Err(Skip::TooLarge { len, limit }),
        Ok(ReadOutcome::Special { what }) => Err(Skip::Special { what }),
        Ok(ReadOutcome::Failed(err)) => Err(Skip::Unreadable { reason: err.to_string() }),
        Err(read::Stalled) => {
            Err(Skip::Stalled { seconds: reader.timeout().as_secs_f64().ceil() as u64 })
        }
    }
}

/// The reports in the bytes of the file stored under `key`.
pub(crate) fn ingest_bytes(
    key: &str,
    bytes: &[u8],
    max_line_length: usize,
) -> Result<Ingested, Skip> {
    let hash = xxhash_rust::xxh3::xxh3_64(bytes);
    if html::is_page(key) {
        let (report, warnings) = html::report(key, bytes, max_line_length)?;
        return Ok(Ingested { hash, reports: vec![report], warnings });
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Skip::Binary { offset: offset as u64 });
    }
    let decoded = decode::decode(bytes);
    if decoded.text.trim().is_empty() {
        return Err(Skip::Empty);
    }
    if let Some((number, line)) = (1..)
        .zip(dateline_schema::lines::lines(&decoded.text))
        .find(|(_, line)| line.len() > max_line_length)
    {
        return Err(Skip::LineTooLong {
            line: number,
            len: line.len() as u64,
            limit: max_line_length as u64,
        });
    }
    let mut warnings: Vec<Warning> = decoded.note.iter().cloned().collect();
    let report = text_report(key, &decoded, &mut warnings);
    Ok(Ingested { hash, reports: vec![report], warnings })
}

/// The one report of a plain-text file: front matter, if any, then its text (Markdown
/// without its markup, for a `.md` file) read by [`extract`].
fn text_report(
    key: &str,
    decoded: &decode::Decoded<'_>,
    warnings: &mut Vec<Warning>,
) -> StoredReport {
    // A byte-order mark is not text; offsets still count it, as they are file offsets.
    let (text, bom) = match decoded.text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (decoded.text.as_ref(), 0),
    };
    let front = markup::front_matter(text).unwrap_or_else(|reason| {
        warnings.push(Warning::FrontMatter { reason });
        None
    });
    let (start, lines_before) = front.as_ref().map_or((0, 0), |front| (front.end, front.lines));
    let rest = &text[start..];
    let (plain, plain_map) = match is_markdown(key) {
        true => {
            let (plain, map) = markup::strip_markdown(rest);
            (Cow::Owned(plain), map)
        }
        false => (Cow::Borrowed(rest), OffsetMap::identity(0)),
    };
    // Offsets in `plain` → offsets in the file.
    let to_file = plain_map.then(&decoded.map.rebase((bom + start) as u64));
    let report = extract(&plain);
    let placed = |text: &str, offsets: OffsetMap, line: u64| records::Piece {
        text: text.to_string(),
        offsets,
        line,
        lines: LineMap::default(),
    };
    let mut body = placed(
        report.body,
        to_file.rebase(report.body_offset as u64),
        report.body_line + lines_before,
    );
    let front_get = |role| front.as_ref().and_then(|front| front.get(role)).map(str::to_string);
    // A subtitle is searched: it opens the body, each part placed where it is in the file.
    let subtitle = match (&front, report.subtitle) {
        (_, Some((subtitle, offset, line))) => {
            Some(placed(subtitle, to_file.rebase(offset as u64), line + lines_before))
        }
        (Some(front), None) => front.get(Role::Subtitle).and_then(|subtitle| {
            // Placed where the front matter holds it verbatim, if it does.
            let at = text[..front.end].find(subtitle)?;
            let line = 1 + dateline_schema::lines::count(&text[..at]) as u64;
            Some(placed(subtitle, decoded.map.rebase((bom + at) as u64), line))
        }),
        (None, None) => None,
    };
    if let Some(subtitle) = subtitle {
        body = records::join(&subtitle, &body);
    }
    let (date, published_at) = match front_get(Role::Date) {
        Some(date) => (records::parse_date(&date), crate::moment::parse(&date)),
        None => (report.date, report.published_at),
    };
    // A date tantivy cannot hold is left out and said, never stored as another day.
    let date = date.filter(|&day| {
        let storable = date::in_range(day);
        if !storable {
            warnings.push(Warning::DateOutOfRange { date: day });
        }
        storable
    });
    StoredReport {
        path: key.to_string(),
        record: None,
        title: front_get(Role::Title).map(Title::Headline).unwrap_or(report.title),
        published_at: date.and(published_at),
        date,
        date_crawled: false,
        publisher: front_get(Role::Publisher).or(report.publisher),
        dateline: report.dateline,
        author: front_get(Role::Author).or(report.author),
        url: front_get(Role::Url).or(report.url),
        body: body.text,
        body_offsets: body.offsets,
        body_line: body.line,
        body_lines: body.lines,
        language: front_get(Role::Language),
    }
}

/// Whether the file stored under `key` is Markdown (compressed or not), by its extension.
fn is_markdown(key: &str) -> bool {
    formats::kind(std::path::Path::new(key)).is_some_and(|ext| ext == "md" || ext == "markdown")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_file_gives_one_report_placed_in_its_file() {
        let bytes = "\u{feff}Port strike\n\nDockers walked out.\n".as_bytes();
        let file = ingest_bytes("/r/a.txt", bytes, 1000).unwrap();
        assert_eq!(file.hash, xxhash_rust::xxh3::xxh3_64(bytes));
        assert!(file.warnings.is_empty());
        let [report] = &file.reports[..] else { panic!("{:?}", file.reports) };
        assert_eq!(report.path, "/r/a.txt");
        assert_eq!(report.title, Title::Headline("Port strike".into()));
        assert_eq!(report.body, "Dockers walked out.\n");
        // Three bytes of byte-order mark, the headline and a blank line come first.
        assert_eq!(report.body_offsets, OffsetMap::identity(3 + 13));
        assert_eq!(report.body_line, 3);
    }

    #[test]
    fn content_checks_skip_in_order() {
        assert_eq!(ingest_bytes("k", b"a\0b", 100).unwrap_err(), Skip::Binary { offset: 1 });
        assert_eq!(ingest_bytes("k", b" \r\n\t", 100).unwrap_err(), Skip::Empty);
        assert_eq!(
            ingest_bytes("k", b"Title\n\nshort\nmuch too long\n", 10).unwrap_err(),
            Skip::LineTooLong { line: 4, len: 13, limit: 10 }
        );
    }

    #[test]
    fn caveats_are_typed_and_a_date_out_of_range_is_dropped() {
        let bytes = b"Caf\xe9 news\nDate: 2500-06-01\n\nText.\n";
        let file = ingest_bytes("k", bytes, 1000).unwrap();
        assert_eq!(
            file.warnings,
            [Warning::Windows1252, Warning::DateOutOfRange { date: jiff::civil::date(2500, 6, 1) }]
        );
        assert_eq!(file.reports[0].date, None);
    }

    #[test]
    fn a_subtitle_is_searched_and_placed_where_it_is() {
        let text = "Port strike\nSubtitle: Dockers  walk out\nDate: 2024-01-31\n\nThe port shut.\n";
        let file = ingest_bytes("k", text.as_bytes(), 1000).unwrap();
        let report = &file.reports[0];
        assert_eq!(report.body, "Dockers  walk out\n\nThe port shut.\n");
        assert_eq!(report.date, Some(jiff::civil::date(2024, 1, 31)));
        let starts = dateline_schema::lines::starts(&report.body);
        for (word, line) in [("walk", 2), ("port", 5)] {
            let at = report.body.find(word).unwrap();
            let offset = report.body_offsets.file_offset(at as u64) as usize;
            assert_eq!(&text[offset..offset + word.len()], word);
            assert_eq!(report.body_lines.line_at(report.body_line, &starts, at), line);
        }
    }

    #[test]
    fn a_header_block_after_a_blank_line_or_a_long_headline_is_read() {
        let text = "Port strike\n\nDate: 2024-01-31\nSource: Reuters\n\nThe port shut.\n";
        let report = &ingest_bytes("k", text.as_bytes(), 1000).unwrap().reports[0];
        assert_eq!((report.body.as_str(), report.body_line), ("The port shut.\n", 6));
        assert_eq!(report.publisher.as_deref(), Some("Reuters"));
        let long = "Port strike ".repeat(25);
        let text = format!("{long}\nDate: 2024-01-31\nURL: https://x.org/a\n\nThe port shut.\n");
        let report = &ingest_bytes("k", text.as_bytes(), 1000).unwrap().reports[0];
        assert_eq!(report.title, Title::Headline(long.trim().into()));
        assert_eq!(report.url.as_deref(), Some("https://x.org/a"));
        assert_eq!(report.date, Some(jiff::civil::date(2024, 1, 31)));
    }
}
