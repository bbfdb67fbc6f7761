//! A web page's bytes → text, in the encoding the page states or, failing that, the one it
//! looks like: the byte-order mark first, then a `<meta charset>` or `<meta http-equiv=
//! "Content-Type">` near the top of the file, then valid UTF-8, then detection (chardetng,
//! the detector Firefox uses). An [`OffsetMap`] records where each character came from.

use std::borrow::Cow;

use dateline_schema::OffsetMap;
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::{Warning, decode};

/// How far into the file a `<meta>` charset declaration is looked for. Browsers look at the
/// first 1,024 bytes; pages saved by tools often put the tag later, after comments and
/// scripts, so Dateline looks further.
const META_SCAN: usize = 16 * 1024;

/// A page's text, where each of its bytes lies in the file, and how it was decoded.
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub map: OffsetMap,
    /// A caveat: the encoding was guessed, or the page holds bytes invalid in it.
    pub note: Option<Warning>,
}

/// Decodes a page's `bytes`.
pub(crate) fn decode(bytes: &[u8]) -> Decoded<'_> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return decode_as(encoding, bytes, bom, None);
    }
    if let Some(encoding) = declared(&bytes[..bytes.len().min(META_SCAN)]) {
        return decode_as(encoding, bytes, 0, None);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return decode_as(UTF_8, bytes, 0, None);
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let encoding = detector.guess(None, true);
    let note = Warning::EncodingGuessed { encoding: encoding.name().to_string() };
    decode_as(encoding, bytes, 0, Some(note))
}

/// Decodes `bytes[start..]` as `encoding`.
fn decode_as<'a>(
    encoding: &'static Encoding,
    bytes: &'a [u8],
    start: usize,
    note: Option<Warning>,
) -> Decoded<'a> {
    let rest = &bytes[start..];
    if encoding == UTF_8 {
        if let Ok(text) = std::str::from_utf8(rest) {
            let map = OffsetMap::identity(start as u64);
            return Decoded { text: Cow::Borrowed(text), map, note };
        }
        let lossy = decode::utf8_lossy(rest, start as u64);
        return Decoded { text: lossy.text, map: lossy.map, note: note.or(lossy.note) };
    }
    let (text, map, bad) = decode_mapped(encoding, rest, start);
    let note = note.or_else(|| {
        (bad > 0).then(|| Warning::InvalidBytes { encoding: encoding.name().to_string(), bad })
    });
    Decoded { text: Cow::Owned(text), map, note }
}

/// Decodes `bytes` (which start at file offset `start`) one byte at a time, so that each
/// character is mapped to the file offset of its first byte. Returns the text, the map and
/// how many characters were undecodable (now U+FFFD).
fn decode_mapped(
    encoding: &'static Encoding,
    bytes: &[u8],
    start: usize,
) -> (String, OffsetMap, u64) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut map = OffsetMap::identity(start as u64);
    let mut bad = 0;
    // File offset of the first byte not yet part of a decoded character.
    let mut pending = start;
    let mut feed = |input: &[u8], last: bool, at: usize, text: &mut String, map: &mut OffsetMap| {
        let before = text.len();
        text.reserve(32);
        let (_, _, errors) = decoder.decode_to_string(input, text, last);
        if errors {
            bad += 1;
        }
        if text.len() > before {
            map.push(before as u64, pending as u64);
            // Two characters at once (an invalid byte, then a valid one): the last is
            // this byte's.
            if let Some((i, _)) = text[before..].char_indices().nth(1) {
                let last = text[before..].char_indices().last().map_or(i, |(j, _)| j);
                map.push((before + last) as u64, at as u64);
            }
            pending = at + input.len();
        }
    };
    for (i, byte) in bytes.iter().enumerate() {
        feed(std::slice::from_ref(byte), false, start + i, &mut text, &mut map);
    }
    feed(&[], true, start + bytes.len(), &mut text, &mut map);
    (text, map, bad)
}

/// The encoding a `<meta>` tag in `head` declares, as browsers read it: `charset=` in a
/// `charset` attribute, or in the `content` of an `http-equiv="Content-Type"` tag. A
/// declared UTF-16 means UTF-8 (the tag could not have been read otherwise).
fn declared(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut at = 0;
    while let Some(found) = find(&lower[at..], b"<meta") {
        let tag_start = at + found;
        let tag_end = lower[tag_start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| tag_start + e);
        let tag = &lower[tag_start..tag_end];
        at = tag_end;
        let label = if let Some(value) = attribute(tag, b"charset") {
            Some(value)
        } else if attribute(tag, b"http-equiv").is_some_and(|v| v == b"content-type") {
            attribute(tag, b"content").and_then(|content| {
                let i = find(content, b"charset=")?;
                let value = &content[i + 8..];
                let value = value.strip_prefix(b"\"").or(value.strip_prefix(b"'")).unwrap_or(value);
                let end = value
                    .iter()
                    .position(|&b| matches!(b, b';' | b'"' | b'\'' | b' '))
                    .unwrap_or(value.len());
                Some(&value[..end])
            })
        } else {
            None
        };
        if let Some(encoding) = label.and_then(Encoding::for_label) {
            return Some(match encoding {
                e if e == UTF_16LE || e == UTF_16BE => UTF_8,
                e if e.name() == "x-user-defined" => WINDOWS_1252,
                e => e,
            });
        }
    }
    None
}

/// The value of attribute `name` in a lower-cased `tag` (which starts with `<meta`), without
/// quotes.
fn attribute<'t>(tag: &'t [u8], name: &[u8]) -> Option<&'t [u8]> {
    let mut rest = &tag[5..];
    let skip_space =
        |s: &'t [u8]| &s[s.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(s.len())..];
    loop {
        rest = skip_space(rest);
        let name_len = rest
            .iter()
            .position(|&b| b == b'=' || b == b'/' || b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        if name_len == 0 && rest.first() != Some(&b'/') {
            return None;
        }
        let this = &rest[..name_len.max(1)];
        rest = skip_space(&rest[name_len.max(1)..]);
        let mut value: &[u8] = b"";
        if let Some(after) = rest.strip_prefix(b"=") {
            let after = skip_space(after);
            let (v, r) = match after.first() {
                Some(&quote @ (b'"' | b'\'')) => {
                    let v = &after[1..];
                    let end = v.iter().position(|&b| b == quote).unwrap_or(v.len());
                    (&v[..end], &v[(end + 1).min(v.len())..])
                }
                _ => {
                    let end =
                        after.iter().position(|b| b.is_ascii_whitespace()).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = v;
            rest = r;
        }
        if this == name {
            return Some(value);
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character of the text maps to the file offset where its bytes start.
    fn assert_maps_to(decoded: &Decoded<'_>, bytes: &[u8], encoding: &'static Encoding) {
        for (at, c) in decoded.text.char_indices() {
            let file = decoded.map.file_offset(at as u64) as usize;
            let mut buf = [0; 4];
            let (encoded, _, _) = encoding.encode(c.encode_utf8(&mut buf));
            assert!(bytes[file..].starts_with(&encoded), "{c:?} at {at} → {file}");
        }
    }

    #[test]
    fn a_meta_tag_names_the_encoding() {
        let page =
            "<html><head><meta charset=\"windows-1251\"><title>Переговоры</title></head></html>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(page);
        let decoded = decode(&bytes);
        assert_eq!(decoded.text, page);
        assert!(decoded.note.is_none());
        assert_maps_to(&decoded, &bytes, encoding_rs::WINDOWS_1251);

        let page = "<meta http-equiv='Content-Type' content='text/html; charset=GBK'><p>改革开放的新闻</p>";
        let (bytes, _, _) = encoding_rs::GBK.encode(page);
        let decoded = decode(&bytes);
        assert_eq!(decoded.text, page);
        assert_maps_to(&decoded, &bytes, encoding_rs::GBK);
    }

    #[test]
    fn the_byte_order_mark_wins_over_the_meta_tag() {
        let bytes = b"\xef\xbb\xbf<meta charset=\"iso-8859-1\"><p>Caf\xc3\xa9</p>";
        let decoded = decode(bytes);
        assert_eq!(decoded.text, "<meta charset=\"iso-8859-1\"><p>Café</p>");
        assert_eq!(decoded.map.file_offset(0), 3);
        let mut utf16 = vec![0xff, 0xfe];
        utf16.extend("<p>Köln</p>".encode_utf16().flat_map(u16::to_le_bytes));
        let decoded = decode(&utf16);
        assert_eq!(decoded.text, "<p>Köln</p>");
        assert_eq!(decoded.map.file_offset(4), 2 + 8);
    }

    #[test]
    fn undeclared_pages_are_utf8_or_detected() {
        assert!(decode("<p>Grève à Köln</p>".as_bytes()).note.is_none());
        let page = "<p>Правительство объявило о новых переговорах с профсоюзами в понедельник.</p>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(page);
        let decoded = decode(&bytes);
        assert_eq!(decoded.text, page);
        assert_eq!(
            decoded.note,
            Some(Warning::EncodingGuessed { encoding: "windows-1251".into() })
        );
    }

    #[test]
    fn declarations_are_read_like_browsers_do() {
        assert_eq!(
            declared(
                b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=Shift_JIS\">"
            ),
            Some(encoding_rs::SHIFT_JIS)
        );
        assert_eq!(declared(b"<meta charset=utf-16>"), Some(UTF_8));
        assert_eq!(
            declared(
                b"<meta http-equiv=\"Content-Style-Type\" content=\"text/css; charset=koi8-r\">"
            ),
            None
        );
        assert_eq!(declared(b"<meta name=\"x\" data-charset=\"koi8-r\">"), None);
        assert_eq!(declared(b"<meta charset=\"no-such-thing\">"), None);
    }

    #[test]
    fn bad_bytes_in_a_declared_encoding_are_replaced_and_said() {
        let bytes = b"<meta charset=\"shift_jis\"><p>\x82\xa0 ok \x82</p>";
        let decoded = decode(bytes);
        assert!(decoded.text.contains("あ ok \u{fffd}"), "{}", decoded.text);
        assert!(matches!(decoded.note, Some(Warning::InvalidBytes { bad: 1, .. })));
    }
}
