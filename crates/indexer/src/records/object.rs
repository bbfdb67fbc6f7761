//! A `.json` file: an array of records (streamed by [`json::Elements`]), or an object. An
//! object is one article, unless it holds the records in an array under a key APIs use for
//! them (NewsAPI's `{"status": "ok", "articles": [...]}`, `items`, `data`, `results`,
//! `documents`), when it is read like an array. An object is read whole, so the size limit
//! bounds the file.

use std::io::{BufRead, Read};

use serde_json::value::RawValue;

use super::json::{self, Element};
use super::{Problem, report};
use crate::Skip;
use crate::stream::Sink;

/// Keys under which an object holds its records, looked up in this order.
pub(crate) const RECORD_KEYS: [&str; 5] = ["articles", "items", "data", "results", "documents"];

/// Reads the JSON file in `reader`, each record at most `limit` bytes, sending to `sink`.
pub(crate) fn read(
    reader: &mut impl BufRead,
    limit: usize,
    sink: &Sink<'_>,
    unreadable: &dyn Fn(std::io::Error) -> Skip,
) -> Result<(), Skip> {
    if first_byte(reader).map_err(unreadable)? != Some(b'{') {
        return array(reader, limit, sink);
    }
    let mut bytes = Vec::new();
    reader.take(limit as u64 + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() > limit {
        return Err(Skip::TooLarge { len: bytes.len() as u64, limit: limit as u64 });
    }
    let text = std::str::from_utf8(&bytes).map_err(|err| Skip::Unreadable {
        reason: format!("not valid UTF-8 (at byte {})", err.valid_up_to()),
    })?;
    // A byte-order mark is not JSON; offsets still count it, as they are file offsets.
    let (json_text, bom) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, 3),
        None => (text, 0),
    };
    let object: std::collections::BTreeMap<String, &RawValue> = serde_json::from_str(json_text)
        .map_err(|err| Skip::Unreadable { reason: format!("malformed JSON: {err}") })?;
    let held = RECORD_KEYS.iter().find_map(|key| {
        let (_, raw) = object.iter().find(|(name, _)| name.eq_ignore_ascii_case(key))?;
        serde_json::from_str::<Vec<&RawValue>>(raw.get()).ok()
    });
    let Some(elements) = held else {
        // One article: the file is the report, as a text file is.
        let one = json::record(&bytes[bom..], bom as u64, 1, "#1".into())
            .and_then(|record| report(sink.key, record, sink.names))
            .map(|report| dateline_schema::StoredReport { record: None, ..report });
        sink.report(one);
        return Ok(());
    };
    let (mut line, mut counted) = (1u64, 0usize);
    for (index, element) in (1u64..).zip(elements) {
        let at = element.get().as_ptr() as usize - text.as_ptr() as usize;
        line += bytecount(&bytes[counted..at]);
        counted = at;
        let raw = element.get().as_bytes();
        if !sink.record(json::record(raw, at as u64, line, format!("#{index}"))) {
            break;
        }
    }
    Ok(())
}

/// A JSON array, element by element.
fn array(reader: &mut impl BufRead, limit: usize, sink: &Sink<'_>) -> Result<(), Skip> {
    let mut elements = json::Elements::new(reader, limit);
    let mut index = 0u64;
    let broken = |reason: String| Skip::Unreadable { reason };
    while let Some(element) = elements.next_element().map_err(broken)? {
        index += 1;
        let place = format!("#{index}");
        let record = match element {
            Element::Whole { bytes, offset, line } => json::record(&bytes, offset, line, place),
            Element::TooLarge { line } => Err(Problem {
                place,
                reason: format!("element on line {line} over the {limit}-byte limit"),
            }),
        };
        if !sink.record(record) {
            break;
        }
    }
    Ok(())
}

/// The first byte that is not whitespace or a byte-order mark, left unread (`None` for a
/// file of whitespace, or one whose first 64 KiB are).
fn first_byte(reader: &mut impl BufRead) -> std::io::Result<Option<u8>> {
    let buf = reader.fill_buf()?;
    let skipped = |b: &u8| b.is_ascii_whitespace() || [0xef, 0xbb, 0xbf].contains(b);
    Ok(buf.iter().find(|b| !skipped(b)).copied())
}

fn bytecount(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}
