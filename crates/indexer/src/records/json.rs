//! JSON Lines (one object a line) and JSON arrays of objects, read record by record
//! (a JSON file holding an object is [`super::object`]'s).
//!
//! A record is parsed with serde_json into its fields' raw JSON ([`RawValue`]), which keeps
//! where each value lies; a string is then decoded here, so that every text offset maps back
//! to the file byte it came from (`\n`, `\"`, `\u00e9` are 2 or 6 bytes of file for 1 or 2 of
//! text). A JSON array is split into elements by a small state machine over the stream, so
//! a huge array is never held whole.

use std::io::BufRead;

use serde_json::value::RawValue;

use super::{Piece, Problem, Record};
use crate::stream::Sink;
use dateline_schema::{LineMap, OffsetMap};

/// Reads JSON Lines from `reader`, one record a line, each at most `limit` bytes (a longer
/// line is left out, holding none of it), sending each to `sink`.
pub(crate) fn lines(
    reader: &mut impl BufRead,
    limit: usize,
    sink: &Sink<'_>,
) -> std::io::Result<()> {
    let (mut line, mut offset, mut bytes) = (0u64, 0u64, Vec::new());
    loop {
        bytes.clear();
        line += 1;
        let read =
            std::io::Read::take(&mut *reader, limit as u64 + 1).read_until(b'\n', &mut bytes)?;
        if read == 0 {
            return Ok(());
        }
        let place = format!(":{line}");
        let record = if bytes.len() > limit && !bytes.ends_with(b"\n") {
            let mut rest = 0;
            loop {
                let buf = reader.fill_buf()?;
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
            record(&bytes, here, line, place)
        };
        if !sink.record(record) {
            return Ok(());
        }
    }
}

/// The record in `bytes` (one JSON object), which start at file offset `base` on file line
/// `line`; its place is `place`.
pub(crate) fn record(bytes: &[u8], base: u64, line: u64, place: String) -> Result<Record, Problem> {
    let problem = |reason: String| Problem { place: place.clone(), reason };
    let text = std::str::from_utf8(bytes).map_err(|err| {
        problem(format!("not valid UTF-8 (at byte {} of the record)", err.valid_up_to()))
    })?;
    let fields: Vec<(String, &RawValue)> =
        match serde_json::from_str::<std::collections::BTreeMap<String, &RawValue>>(text) {
            Ok(map) => map.into_iter().collect(),
            Err(err) if err.classify() == serde_json::error::Category::Data => {
                return Err(problem("not a JSON object".into()));
            }
            Err(err) => return Err(problem(format!("malformed JSON: {err}"))),
        };
    let mut record = Record { place, fields: Vec::new() };
    for (name, raw) in fields {
        let at = raw.get().as_ptr() as usize - text.as_ptr() as usize;
        let line = line + text.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() as u64;
        if let Some(piece) = piece(raw.get(), base + at as u64, line) {
            record.fields.push((name.to_lowercase(), piece));
        }
    }
    Ok(record)
}

/// The text of a field's raw JSON at file offset `at`: a string decoded and placed; an
/// array of strings or an object's `name` flattened (not placed: only metadata is).
fn piece(raw: &str, at: u64, line: u64) -> Option<Piece> {
    if raw.starts_with('"') {
        return Some(string(raw, at, line));
    }
    let value: serde_json::Value = serde_json::from_str(raw).ok()?;
    let flat = |value: &serde_json::Value| match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Object(map) => map.get("name")?.as_str().map(str::to_string),
        _ => None,
    };
    let text = match &value {
        serde_json::Value::Array(items) => {
            items.iter().filter_map(flat).collect::<Vec<_>>().join(", ")
        }
        serde_json::Value::Number(number) => number.to_string(),
        other => flat(other)?,
    };
    Some(Piece { text, offsets: OffsetMap::identity(at), line, lines: LineMap::default() })
}

/// Decodes the JSON string `raw` (with its quotes), at file offset `at` on file line `line`.
pub(crate) fn string(raw: &str, at: u64, line: u64) -> Piece {
    let inner = &raw[1..raw.len().saturating_sub(1).max(1)];
    let base = at + 1;
    let mut text = String::with_capacity(inner.len());
    let mut offsets = OffsetMap::identity(base);
    let mut lines = LineMap::default();
    let mut rest = inner;
    while let Some(escape) = rest.find('\\') {
        text.push_str(&rest[..escape]);
        let after = &rest[escape + 1..];
        let (decoded, used) = unescape(after);
        text.push(decoded);
        rest = &after[used..];
        let file = base + (inner.len() - rest.len()) as u64;
        offsets.push(text.len() as u64, file);
        if matches!(decoded, '\n' | '\r') {
            // A line break of the text, not of the file.
            lines.push(text.len() as u64, line);
        }
    }
    text.push_str(rest);
    Piece { text, offsets, line, lines }
}

/// The character an escape stands for (`after` follows the backslash), and how many bytes
/// of `after` it takes.
fn unescape(after: &str) -> (char, usize) {
    let hex = |s: &str| s.get(..4).and_then(|h| u32::from_str_radix(h, 16).ok());
    match after.as_bytes().first() {
        Some(b'n') => ('\n', 1),
        Some(b't') => ('\t', 1),
        Some(b'r') => ('\r', 1),
        Some(b'b') => ('\u{8}', 1),
        Some(b'f') => ('\u{c}', 1),
        Some(b'u') => match hex(&after[1..]) {
            Some(high @ 0xd800..=0xdbff) => {
                let low = after.get(5..7).filter(|s| *s == "\\u").and_then(|_| hex(&after[7..]));
                match low {
                    Some(low @ 0xdc00..=0xdfff) => {
                        let c = 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
                        (char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER), 11)
                    }
                    _ => (char::REPLACEMENT_CHARACTER, 5),
                }
            }
            Some(code) => (char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER), 5),
            None => (char::REPLACEMENT_CHARACTER, 1),
        },
        Some(&other) if other.is_ascii() => (other as char, 1),
        _ => (char::REPLACEMENT_CHARACTER, 0),
    }
}

/// One element of a JSON array: its bytes, file offset and line, or why it is left out.
pub(crate) enum Element {
    Whole { bytes: Vec<u8>, offset: u64, line: u64 },
    TooLarge { line: u64 },
}

/// Splits a stream holding one JSON array into its elements, holding one at a time.
pub(crate) struct Elements<R> {
    reader: R,
    offset: u64,
    line: u64,
    started: bool,
    done: bool,
    limit: usize,
}

impl<R: BufRead> Elements<R> {
    /// Elements of the array `reader` holds, each at most `limit` bytes.
    pub(crate) fn new(reader: R, limit: usize) -> Elements<R> {
        Elements { reader, offset: 0, line: 1, started: false, done: false, limit }
    }

    fn byte(&mut self) -> std::io::Result<Option<u8>> {
        let buf = self.reader.fill_buf()?;
        let Some(&b) = buf.first() else { return Ok(None) };
        self.reader.consume(1);
        self.offset += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Ok(Some(b))
    }

    /// The next non-whitespace byte.
    fn token(&mut self) -> std::io::Result<Option<u8>> {
        while let Some(b) = self.byte()? {
            if !b.is_ascii_whitespace() && b != 0xef && b != 0xbb && b != 0xbf {
                return Ok(Some(b));
            }
        }
        Ok(None)
    }

    /// The next element; `Err` with a reason when the array's structure is broken (reading
    /// stops there).
    pub(crate) fn next_element(&mut self) -> Result<Option<Element>, String> {
        let io = |err: std::io::Error| err.to_string();
        if self.done {
            return Ok(None);
        }
        let mut first = self.token().map_err(io)?;
        if !self.started {
            self.started = true;
            if first != Some(b'[') {
                self.done = true;
                return Err("not a JSON array (a .json file must hold an array of objects)".into());
            }
            first = self.token().map_err(io)?;
            if first == Some(b']') {
                self.done = true;
                return Ok(None);
            }
        }
        let Some(first) = first else {
            self.done = true;
            return Err("the file ends inside the array".into());
        };
        let (offset, line) = (self.offset - 1, self.line);
        let mut bytes = vec![first];
        let (mut depth, mut in_string, mut escaped) = (0i64, first == b'"', false);
        if matches!(first, b'{' | b'[') {
            depth = 1;
        }
        let mut too_large = false;
        loop {
            let scalar_done = depth == 0 && !in_string;
            let Some(b) = self.byte().map_err(io)? else {
                self.done = true;
                return Err(format!("the file ends inside the element starting on line {line}"));
            };
            if scalar_done && (b == b',' || b == b']')
                || (depth == 0 && !in_string && b.is_ascii_whitespace())
            {
                if b == b']' {
                    self.done = true;
                } else if b != b',' {
                    match self.token().map_err(io)? {
                        Some(b']') => self.done = true,
                        Some(b',') => {}
                        _ => {
                            self.done = true;
                            return Err(format!("no `,` or `]` after the element on line {line}"));
                        }
                    }
                }
                break;
            }
            if in_string {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
            } else {
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => depth -= 1,
                    _ => {}
                }
            }
            if bytes.len() < self.limit {
                bytes.push(b);
            } else {
                too_large = true;
            }
        }
        Ok(Some(match too_large {
            true => Element::TooLarge { line },
            false => Element::Whole { bytes, offset, line },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_decode_and_map_back_to_their_file_bytes() {
        let file = r#"{"text": "Caf\u00e9 \"talks\"\nresume\ud83d\ude00 ok"}"#;
        let start = file.find("\"Caf").unwrap();
        let raw = &file[start..file.len() - 1];
        let piece = string(raw, start as u64, 4);
        assert_eq!(piece.text, "Café \"talks\"\nresume😀 ok");
        for word in ["resume", "talks", "ok"] {
            let t = piece.text.find(word).unwrap() as u64;
            let f = piece.offsets.file_offset(t) as usize;
            assert_eq!(&file[f..f + word.len()], word);
        }
        let starts = dateline_schema::lines::starts(&piece.text);
        assert_eq!(piece.lines.line_at(4, &starts, piece.text.find("ok").unwrap()), 4);
    }

    #[test]
    fn arrays_split_into_elements_whatever_their_layout() {
        let file = b"[\n {\"a\": \"x]}\"},\n {\"b\": [1, {\"c\": 2}]} ,\"s\" ]";
        let mut elements = Elements::new(&file[..], 1000);
        let mut found = Vec::new();
        while let Some(Element::Whole { bytes, offset, line }) = elements.next_element().unwrap() {
            assert_eq!(&file[offset as usize..offset as usize + bytes.len()], &bytes[..]);
            found.push((String::from_utf8(bytes).unwrap(), line));
        }
        let expected = [("{\"a\": \"x]}\"}", 2), ("{\"b\": [1, {\"c\": 2}]}", 3), ("\"s\"", 3)];
        assert_eq!(found, expected.map(|(s, l)| (s.to_string(), l)));
        let mut cut = Elements::new(&b"[{\"a\": 1}, {\"b\""[..], 1000);
        assert!(cut.next_element().unwrap().is_some());
        assert!(cut.next_element().is_err());
    }

    #[test]
    fn a_record_is_read_with_its_fields_placed() {
        let line = br#"{"title": "Port strike", "text": "Dockers\nwalked out.", "n": 3}"#;
        let record = record(line, 100, 7, ":7".into()).unwrap();
        let text = &record.fields.iter().find(|(n, _)| n == "text").unwrap().1;
        assert_eq!(text.offsets.file_offset(0), 100 + 34);
        assert!(record.fields.iter().any(|(n, p)| n == "n" && p.text == "3"));
        assert!(super::record(b"[1]", 0, 1, ":1".into()).unwrap_err().reason.contains("object"));
        assert!(
            super::record(b"{\"a\": ", 0, 1, ":1".into()).unwrap_err().reason.contains("malformed")
        );
    }
}
