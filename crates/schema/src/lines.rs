//! Line breaks as Dateline counts them, on both sides of the index: `\n`, `\r\n`, and a
//! lone `\r` (old Mac files). Line numbers in results count these breaks.

/// The lines of `text`, each with its line break (the last may have none).
pub fn split_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let mut end = start;
        while end < bytes.len() {
            match bytes[end] {
                b'\n' => break,
                b'\r' if bytes.get(end + 1) != Some(&b'\n') => break,
                _ => end += 1,
            }
        }
        // `end` is at a break (one byte; `\r\n` ends at its `\n`) or at the end.
        let next = (end + 1).min(bytes.len());
        let line = &text[start..next];
        start = next;
        Some(line)
    })
}

/// The lines of `text` without their line breaks.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    split_inclusive(text).map(trim_break)
}

/// `line` without its line break.
pub fn trim_break(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// How many line breaks `text` holds.
pub fn count(text: &str) -> usize {
    count_bytes(text.as_bytes())
}

/// How many line breaks `bytes` hold (as [`count`], for bytes not yet decoded).
pub fn count_bytes(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

/// The byte offset at which each line starts (the first is 0).
pub fn starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut at = 0;
    for line in split_inclusive(text) {
        at += line.len();
        if at < text.len() || line.ends_with(['\n', '\r']) {
            starts.push(at);
        }
    }
    starts
}
#[cfg(test)]
mod tests {
    use crate::lines;

    #[test]
    fn every_kind_of_line_break_counts() {
        let text = "a\nb\r\nc\rd\r\re";
        let split: Vec<&str> = lines::split_inclusive(text).collect();
        assert_eq!(split, ["a\n", "b\r\n", "c\r", "d\r", "\r", "e"]);
        assert_eq!(lines::lines(text).collect::<Vec<_>>(), ["a", "b", "c", "d", "", "e"]);
        assert_eq!(lines::count(text), 5);
        assert_eq!(lines::starts(text), [0, 2, 5, 7, 9, 10]);
        assert_eq!(lines::starts("x\n"), [0, 2]);
        assert_eq!(lines::count(""), 0);
        assert_eq!(lines::split_inclusive("").count(), 0);
    }
}
