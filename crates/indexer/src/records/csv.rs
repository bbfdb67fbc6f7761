//! CSV and TSV (RFC 4180 quoting: `"…"` fields may hold the delimiter, line breaks and `""`
//! for a quote), read record by record. The first record names the columns.
//!
//! Read here rather than with the `csv` crate, which gives neither where a field lies in the
//! file (passages need it) nor a way to stop an unclosed quote from swallowing the rest of
//! the file into one field: here a record that runs past the size limit is reported as an
//! unclosed quote and reading starts again on the line after it began.

use std::io::{BufRead, Seek, SeekFrom};

use dateline_schema::{LineMap, OffsetMap};

use super::{Piece, Problem};
use crate::decode;

/// One row: each field's text, placed in the file.
pub(crate) struct Row {
    /// 1-based line the row starts on.
    pub line: u64,
    pub fields: Vec<Piece>,
    /// Whether a field was not UTF-8 and was decoded (see [`piece`]).
    pub decoded: bool,
}

/// A field's text, placed, and whether it was decoded from another encoding than UTF-8.
type Field = (Piece, bool);

/// Reads the rows of a CSV (or TSV, by `delimiter`) stream.
pub(crate) struct Rows<R> {
    reader: R,
    delimiter: u8,
    offset: u64,
    line: u64,
    limit: usize,
}

impl<R: BufRead + Seek> Rows<R> {
    /// Rows of `reader`, each at most `limit` bytes.
    pub(crate) fn new(reader: R, delimiter: u8, limit: usize) -> Rows<R> {
        Rows { reader, delimiter, offset: 0, line: 1, limit }
    }

    fn peek(&mut self) -> std::io::Result<Option<u8>> {
        Ok(self.reader.fill_buf()?.first().copied())
    }

    fn bump(&mut self) -> std::io::Result<Option<u8>> {
        let Some(b) = self.peek()? else { return Ok(None) };
        self.reader.consume(1);
        self.offset += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Ok(Some(b))
    }

    /// The next row, or a [`Problem`] for a row that cannot be read (reading goes on after
    /// it); `Ok(None)` at the end. `Err` of a string only when the file cannot be read on.
    pub(crate) fn next_row(&mut self) -> Result<Option<Result<Row, Problem>>, String> {
        let io = |err: std::io::Error| err.to_string();
        // Blank lines are not records.
        while matches!(self.peek().map_err(io)?, Some(b'\n' | b'\r')) {
            self.bump().map_err(io)?;
        }
        if self.peek().map_err(io)?.is_none() {
            return Ok(None);
        }
        let (start, line) = (self.offset, self.line);
        let mut fields = Vec::new();
        let mut used = 0usize;
        loop {
            let (field, end) = self.field(&mut used).map_err(io)?;
            match field {
                Ok(piece) => fields.push(piece),
                Err(reason) => {
                    let problem = Problem { place: format!(":{line}"), reason };
                    // Start again on the line after the row began.
                    self.resync(start, line).map_err(io)?;
                    return Ok(Some(Err(problem)));
                }
            }
            if end {
                let decoded = fields.iter().any(|(_, decoded)| *decoded);
                let fields = fields.into_iter().map(|(piece, _)| piece).collect();
                return Ok(Some(Ok(Row { line, fields, decoded })));
            }
        }
    }

    /// One field; `true` with it when it ends the row.
    fn field(&mut self, used: &mut usize) -> std::io::Result<(Result<Field, String>, bool)> {
        let (start, line) = (self.offset, self.line);
        let mut bytes = Vec::new();
        let mut offsets = OffsetMap::identity(start);
        let quoted = self.peek()? == Some(b'"');
        if quoted {
            self.bump()?;
            offsets = OffsetMap::identity(start + 1);
            loop {
                *used += 1;
                if *used > self.limit {
                    let reason = format!(
                        "unclosed quote: the row runs past {} bytes; the rest of the file is read from line {}",
                        self.limit,
                        line + 1
                    );
                    return Ok((Err(reason), true));
                }
                match self.bump()? {
                    None => {
                        return Ok((Err("unclosed quote: the file ends inside it".into()), true));
                    }
                    Some(b'"') if self.peek()? == Some(b'"') => {
                        self.bump()?;
                        bytes.push(b'"');
                        offsets.push(bytes.len() as u64, self.offset);
                    }
                    Some(b'"') => break,
                    Some(b) => bytes.push(b),
                }
            }
        }
        loop {
            match self.bump()? {
                None | Some(b'\n') => return Ok((Ok(piece(bytes, offsets, line)), true)),
                Some(b) if b == self.delimiter => {
                    return Ok((Ok(piece(bytes, offsets, line)), false));
                }
                Some(b'\r') if matches!(self.peek()?, Some(b'\n') | None) => {}
                Some(_) if quoted => {
                    let reason = "broken quoting: text after a closing quote".to_string();
                    return Ok((Err(reason), true));
                }
                Some(b) => {
                    *used += 1;
                    if *used > self.limit {
                        return Ok((Err(format!("row over {} bytes", self.limit)), true));
                    }
                    bytes.push(b);
                }
            }
        }
    }

    /// Goes back to the line after `line`, which starts after the first line break at or
    /// after `start`.
    fn resync(&mut self, start: u64, line: u64) -> std::io::Result<()> {
        self.reader.seek(SeekFrom::Start(start))?;
        self.offset = start;
        self.line = line;
        while let Some(b) = self.bump()? {
            if b == b'\n' {
                break;
            }
        }
        Ok(())
    }
}

/// A field's bytes as text, placed, and whether they were decoded. CSV states no encoding
/// and spreadsheets still write Windows-1252, so a field that is not UTF-8 is decoded as a
/// text file is ([`decode::decode`]: Windows-1252, or UTF-8 with `�` for bad bytes), field by
/// field: rows appended by another tool keep their own encoding.
fn piece(bytes: Vec<u8>, offsets: OffsetMap, line: u64) -> (Piece, bool) {
    match String::from_utf8(bytes) {
        Ok(text) => (Piece { text, offsets, line, lines: LineMap::default() }, false),
        Err(err) => {
            let decoded = decode::decode(err.as_bytes());
            let offsets = decoded.map.then(&offsets);
            let text = decoded.text.into_owned();
            (Piece { text, offsets, line, lines: LineMap::default() }, true)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(file: &str, limit: usize) -> Vec<Result<(u64, Vec<String>), String>> {
        let mut rows = Rows::new(std::io::Cursor::new(file.as_bytes()), b',', limit);
        let mut out = Vec::new();
        while let Some(row) = rows.next_row().unwrap() {
            out.push(
                row.map(|row| {
                    for piece in &row.fields {
                        // Every field maps back to its bytes, quotes undoubled.
                        let at = piece.offsets.file_offset(0) as usize;
                        let end = piece.offsets.file_offset(piece.text.len() as u64) as usize;
                        assert_eq!(file[at..end].replace("\"\"", "\""), piece.text);
                    }
                    (row.line, row.fields.into_iter().map(|p| p.text).collect())
                })
                .map_err(|p| format!("{}: {}", p.place, p.reason)),
            );
        }
        out
    }

    #[test]
    fn quoted_fields_hold_delimiters_breaks_and_quotes() {
        let file = "title,text\r\nA,\"one, \"\"two\"\"\nthree\"\n\nB,plain\n";
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            rows(file, 1000),
            [
                Ok((1, strings(&["title", "text"]))),
                Ok((2, strings(&["A", "one, \"two\"\nthree"]))),
                Ok((5, strings(&["B", "plain"]))),
            ]
        );
    }

    #[test]
    fn a_field_that_is_not_utf8_is_decoded_and_placed() {
        let file = b"t,x\nA,\"Caf\xe9 \"\"soci\xe9t\xe9\"\"\"\nB,ok\n";
        let mut rows = Rows::new(std::io::Cursor::new(&file[..]), b',', 1000);
        rows.next_row().unwrap();
        let row = rows.next_row().unwrap().unwrap().unwrap();
        assert!(row.decoded);
        let piece = &row.fields[1];
        assert_eq!(piece.text, "Caf\u{e9} \"soci\u{e9}t\u{e9}\"");
        let at = piece.text.find("soci").unwrap() as u64;
        assert_eq!(&file[piece.offsets.file_offset(at) as usize..][..4], b"soci");
        let end = piece.offsets.file_offset(piece.text.len() as u64) as usize;
        assert_eq!(&file[end..end + 2], b"\"\n");
        assert!(!rows.next_row().unwrap().unwrap().unwrap().decoded);
    }

    #[test]
    fn broken_quoting_costs_one_row() {
        let file = "t,x\nA,\"open\nB,fine\nC,\"x\"y\nD,fine\n";
        let found = rows(file, 12);
        assert_eq!(found.len(), 5, "{found:?}");
        assert!(found[1].as_ref().unwrap_err().starts_with(":2: unclosed quote"), "{found:?}");
        assert_eq!(found[2].as_ref().unwrap().0, 3);
        assert!(found[3].as_ref().unwrap_err().contains("after a closing quote"));
        assert_eq!(found[4].as_ref().unwrap().1[0], "D");
    }
}
