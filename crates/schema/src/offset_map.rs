//! Text offsets of a decoded body → offsets in its file.

/// Where the bytes of a report's body text lie in its file.
///
/// For a UTF-8 file the body is the file's bytes, verbatim, from `body_offset` on. A file in
/// another encoding (or with invalid bytes) is decoded, and a character may then take more
/// or fewer bytes in the text than in the file; the map records, at each point where the
/// difference changes, which text offset corresponds to which file offset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// `(text offset, file offset)` pairs, sorted, the first at text offset 0.
    points: Vec<(u64, u64)>,
}

impl OffsetMap {
    /// Text offset `t` is file offset `base + t`: a UTF-8 body starting at `base`.
    pub fn identity(base: u64) -> OffsetMap {
        OffsetMap { points: vec![(0, base)] }
    }

    /// Records that text offset `text` corresponds to file offset `file` (call in order).
    pub fn push(&mut self, text: u64, file: u64) {
        match self.points.last() {
            Some(&(t, f)) if file.checked_sub(f) == Some(text - t) => {}
            _ => self.points.push((text, file)),
        }
    }

    /// The file offset of text offset `text`.
    pub fn file_offset(&self, text: u64) -> u64 {
        let i = self.points.partition_point(|&(t, _)| t <= text);
        match i.checked_sub(1).map(|i| self.points[i]) {
            Some((t, f)) => f + (text - t),
            None => text,
        }
    }

    /// The same map for text starting at text offset `start`.
    pub fn rebase(&self, start: u64) -> OffsetMap {
        let mut points = vec![(0, self.file_offset(start))];
        points
            .extend(self.points.iter().filter(|&&(t, _)| t > start).map(|&(t, f)| (t - start, f)));
        OffsetMap { points }
    }

    /// Appends `other`, the map of text placed at text offset `at` (past every point so far).
    pub fn append(&mut self, at: u64, other: &OffsetMap) {
        for &(t, f) in &other.points {
            self.push(at + t, f);
        }
    }

    /// `self` followed by `then`: the map of text whose offsets `self` maps to the text that
    /// `then` maps to the file (Markdown without its markup, then a decoded file).
    pub fn then(&self, then: &OffsetMap) -> OffsetMap {
        let mut cuts: Vec<u64> = self.points.iter().map(|&(t, _)| t).collect();
        for (i, &(t, mid)) in self.points.iter().enumerate() {
            let end = self.points.get(i + 1).map_or(u64::MAX, |&(next, _)| next - t);
            // Points of `then` inside this segment cut it too.
            let first = then.points.partition_point(|&(m, _)| m <= mid);
            for &(m, _) in then.points[first..].iter().take_while(|&&(m, _)| m - mid < end) {
                cuts.push(t + (m - mid));
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut out = OffsetMap { points: Vec::with_capacity(cuts.len()) };
        for t in cuts {
            out.push(t, then.file_offset(self.file_offset(t)));
        }
        out
    }

    /// Whether text offsets are file offsets plus a constant (the file is UTF-8).
    pub fn is_identity(&self) -> bool {
        self.points.len() <= 1
    }

    /// The map as stored in the index: little-endian `u64` pairs.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.points
            .iter()
            .flat_map(|&(t, f)| t.to_le_bytes().into_iter().chain(f.to_le_bytes()))
            .collect()
    }

    /// Reads a stored map; `None` if the bytes are not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<OffsetMap> {
        if !bytes.len().is_multiple_of(16) {
            return None;
        }
        let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let points =
            bytes.chunks_exact(16).map(|pair| (word(&pair[..8]), word(&pair[8..]))).collect();
        Some(OffsetMap { points })
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_maps_translate_and_round_trip() {
        // "café" in Latin-1 is 4 bytes, 5 in UTF-8: text offsets after é are one ahead.
        let mut map = OffsetMap::identity(10);
        map.push(5, 14);
        assert_eq!(
            [map.file_offset(0), map.file_offset(3), map.file_offset(5), map.file_offset(9)],
            [10, 13, 14, 18]
        );
        assert_eq!(OffsetMap::from_bytes(&map.to_bytes()), Some(map.clone()));
        let from_4 = map.rebase(4);
        assert_eq!(
            [from_4.file_offset(0), from_4.file_offset(1), from_4.file_offset(3)],
            [14, 14, 16]
        );
        assert!(OffsetMap::identity(3).is_identity() && !map.is_identity());
        assert_eq!(OffsetMap::from_bytes(&[1, 2, 3]), None);
        // "ab" of "a*b*" (markup dropped), in a file where every byte before 2 is doubled.
        let mut stripped = OffsetMap::identity(0);
        stripped.push(1, 2);
        let mut decoded = OffsetMap::identity(0);
        decoded.push(2, 4);
        let both = stripped.then(&decoded);
        assert_eq!([both.file_offset(0), both.file_offset(1)], [0, 4]);
    }
}
