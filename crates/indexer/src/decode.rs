//! File bytes → text, for files that are not all UTF-8.
//!
//! A file that is mostly UTF-8 keeps its valid text and gets U+FFFD for each invalid run; a
//! file with no multi-byte UTF-8 at all is read as Windows-1252, the usual encoding of
//! Latin-1-era text. Either way an [`OffsetMap`] records where the text's bytes came from,
//! so passages still point at the right bytes of the file.

use std::borrow::Cow;

use dateline_schema::OffsetMap;

use crate::Warning;

/// Decoded text, the map from its offsets to file offsets, and a warning when decoding was
/// not plain UTF-8.
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub map: OffsetMap,
    pub note: Option<Warning>,
}

pub(crate) fn decode(bytes: &[u8]) -> Decoded<'_> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded { text: Cow::Borrowed(text), map: OffsetMap::identity(0), note: None };
    }
    let has_utf8 = bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii());
    if has_utf8 {
        return utf8_lossy(bytes, 0);
    }
    let mut map = OffsetMap::identity(0);
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    // Windows-1252 maps every byte to exactly one character.
    let mut offset = 0;
    for (byte, c) in text.chars().enumerate() {
        offset += c.len_utf8();
        if c.len_utf8() != 1 {
            map.push(offset as u64, byte as u64 + 1);
        }
    }
    let note = Warning::Windows1252;
    Decoded { text: Cow::Owned(text.into_owned()), map, note: Some(note) }
}

/// `bytes` (which start at file offset `base`) as UTF-8, each invalid run replaced by U+FFFD.
pub(crate) fn utf8_lossy(bytes: &[u8], base: u64) -> Decoded<'_> {
    let mut map = OffsetMap::identity(base);
    let mut text = String::with_capacity(bytes.len());
    let (mut file, mut bad, mut first_bad) = (0, 0, None);
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        file += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            first_bad.get_or_insert(file);
            bad += chunk.invalid().len();
            file += chunk.invalid().len();
            text.push(char::REPLACEMENT_CHARACTER);
            map.push(text.len() as u64, base + file as u64);
        }
    }
    let note = Warning::InvalidUtf8 {
        bad_bytes: bad as u64,
        first_offset: base + first_bad.unwrap_or(0) as u64,
    };
    Decoded { text: Cow::Owned(text), map, note: Some(note) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character boundary of the text maps to the file offset of the same character.
    fn assert_maps_back(bytes: &[u8], decoded: &Decoded<'_>, width: impl Fn(char) -> usize) {
        let mut file = 0;
        for (at, c) in decoded.text.char_indices() {
            assert_eq!(decoded.map.file_offset(at as u64), file as u64, "{c:?} at {at}");
            file += width(c);
        }
        assert_eq!(decoded.map.file_offset(decoded.text.len() as u64), bytes.len() as u64);
    }

    #[test]
    fn utf8_is_borrowed_and_unmapped() {
        let decoded = decode("Café “talks”".as_bytes());
        assert!(matches!(decoded.text, Cow::Borrowed(_)) && decoded.note.is_none());
        assert_eq!(decoded.map, OffsetMap::identity(0));
    }

    #[test]
    fn latin1_is_read_as_windows_1252() {
        let bytes = b"Caf\xe9 owners \x93met\x94 today";
        let decoded = decode(bytes);
        assert_eq!(decoded.text, "Café owners “met” today");
        assert_eq!(decoded.note, Some(Warning::Windows1252));
        assert_maps_back(bytes, &decoded, |_| 1);
    }

    #[test]
    fn stray_bytes_in_utf8_become_replacement_characters() {
        let bytes = b"Beijing\xe2\x80\x99s talks \xff\xfe resumed \xc3";
        let decoded = decode(bytes);
        assert_eq!(decoded.text, "Beijing’s talks �� resumed �");
        assert_eq!(decoded.note, Some(Warning::InvalidUtf8 { bad_bytes: 3, first_offset: 18 }));
        let mut file = 0;
        for (at, c) in decoded.text.char_indices() {
            assert_eq!(decoded.map.file_offset(at as u64), file as u64, "{c:?} at {at}");
            file += if c == char::REPLACEMENT_CHARACTER { 1 } else { c.len_utf8() };
        }
    }
}
