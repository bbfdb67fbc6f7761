//! Body offsets → file lines, for bodies whose line breaks are not all the file's.

/// Which line of its file each part of a report's body lies on.
///
/// Lines are counted from the body's first line (`body_line`) by the line breaks of its
/// text ([`crate::lines`]). That is the truth for a body taken verbatim from its file; a body
/// decoded from a JSON string has line breaks that were `\n` escapes on one file line, and a
/// body put together from several fields has separators of its own. For those, the map
/// records at a text offset the file line it lies on; lines are counted from there on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineMap {
    /// `(text offset, 1-based file line)` pairs, sorted by text offset.
    points: Vec<(u64, u64)>,
}

impl LineMap {
    /// Records that text offset `text` lies on file line `line` (call in order of `text`).
    pub fn push(&mut self, text: u64, line: u64) {
        if let Some(last) = self.points.last_mut()
            && last.0 == text
        {
            last.1 = line;
            return;
        }
        self.points.push((text, line));
    }

    /// Appends `other`, the map of text placed at text offset `at` (past every point so far).
    pub fn append(&mut self, at: u64, other: &LineMap) {
        for &(t, line) in &other.points {
            self.push(at + t, line);
        }
    }

    /// Whether there is nothing to correct: lines are counted from the body's first line.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The file line of text offset `text`, given the body's first line and the offsets at
    /// which its lines start (from [`crate::lines::starts`]).
    pub fn line_at(&self, first_line: u64, line_starts: &[usize], text: usize) -> u64 {
        let breaks_to = |offset: usize| line_starts.partition_point(|&s| s <= offset) as u64;
        let i = self.points.partition_point(|&(t, _)| t <= text as u64);
        match i.checked_sub(1).map(|i| self.points[i]) {
            Some((t, line)) => line + breaks_to(text) - breaks_to(t as usize),
            None => first_line + breaks_to(text) - 1,
        }
    }

    /// The map as stored in the index: little-endian `u64` pairs.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.points
            .iter()
            .flat_map(|&(t, l)| t.to_le_bytes().into_iter().chain(l.to_le_bytes()))
            .collect()
    }

    /// Reads a stored map; `None` if the bytes are not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<LineMap> {
        if !bytes.len().is_multiple_of(16) {
            return None;
        }
        let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let points =
            bytes.chunks_exact(16).map(|pair| (word(&pair[..8]), word(&pair[8..]))).collect();
        Some(LineMap { points })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines;

    #[test]
    fn lines_are_counted_from_the_last_point() {
        // "a\nb\nc": the first break was an escape on line 7, the second a real break.
        let body = "a\nb\nc";
        let starts = lines::starts(body);
        assert_eq!(LineMap::default().line_at(7, &starts, 4), 9);
        let mut map = LineMap::default();
        map.push(2, 7);
        assert_eq!([0, 2, 4].map(|t| map.line_at(7, &starts, t)), [7, 7, 8]);
        assert_eq!(LineMap::from_bytes(&map.to_bytes()), Some(map));
    }
}
