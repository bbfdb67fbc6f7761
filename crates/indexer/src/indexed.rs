//! What the last commit holds of each file, by path, in path order: read from the `path`
//! field's term dictionaries, merged across segments, one path at a time, so that comparing
//! an index of millions of reports with its folders holds one path, not every one.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use dateline_schema::{Fields, FileStamp, names};
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::AliveBitSet;
use tantivy::index::InvertedIndexReader;
use tantivy::postings::TermInfo;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, SegmentReader, TERMINATED};

use crate::{Error, Result};

/// Calls `each` with every path the last commit of `index` holds a live report of, in byte
/// order, and its file's stamp, until `each` returns false. With `under`, only the paths at
/// or below it are read: a range of each term dictionary, not a pass over it.
///
/// A file whose reports disagree on the stamp, or that holds one report twice (a delete
/// lost when a run was killed mid-merge), is given a time no file has, so the run reads it
/// again, deletes all its documents and adds them once.
pub(crate) fn each(
    index: &tantivy::Index,
    dir: &Path,
    under: Option<&str>,
    mut each: impl FnMut(String, FileStamp) -> bool,
) -> Result<()> {
    let open = |error: tantivy::TantivyError| Error::open(dir)(error);
    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .map_err(&open)?;
    let searcher = reader.searcher();
    let fields = Fields::from_schema(&index.schema())?;
    let segments = searcher
        .segment_readers()
        .iter()
        .map(|segment| Segment::open(segment, fields.path))
        .collect::<tantivy::Result<Vec<_>>>()
        .map_err(&open)?;
    let io = |error: std::io::Error| Error::open(dir)(error);
    let mut streams = Vec::with_capacity(segments.len());
    for segment in &segments {
        let terms = segment.paths.terms();
        let stream = match under {
            // `/` is followed by `0` in byte order: the range holds `under`, what lies below
            // it, and its siblings named `under` plus a character before `/` (`a-b` for `a`).
            Some(under) => terms.range().ge(under).lt(format!("{under}0")).into_stream(),
            None => terms.stream(),
        };
        streams.push(stream.map_err(io)?);
    }
    let outside = |path: &[u8]| {
        under.is_some_and(|under| {
            path != under.as_bytes()
                && !(path.starts_with(under.as_bytes()) && path.get(under.len()) == Some(&b'/'))
        })
    };
    let mut live: Vec<bool> = streams.iter_mut().map(|stream| stream.advance()).collect();
    loop {
        let Some(path) = (0..streams.len()).filter(|&i| live[i]).map(|i| streams[i].key()).min()
        else {
            return Ok(());
        };
        let path = path.to_vec();
        let wanted = !outside(&path);
        let mut file = File::default();
        for i in 0..streams.len() {
            if live[i] && streams[i].key() == path.as_slice() {
                if wanted {
                    segments[i].add_docs(streams[i].value(), &mut file).map_err(io)?;
                }
                live[i] = streams[i].advance();
            }
        }
        let Some(stamp) = file.stamp else { continue }; // every report of it deleted, or not asked for
        let path = String::from_utf8_lossy(&path).into_owned();
        if stamp.mtime_ns == u64::MAX {
            tracing::warn!(path = %path, "indexed twice; re-indexing it");
        }
        if !each(path, stamp) {
            return Ok(());
        }
    }
}

/// What the live reports of one path say of its file.
#[derive(Default)]
struct File {
    stamp: Option<FileStamp>,
    /// Hashes of the records met: a file holds many records, but each once.
    records: HashSet<u64>,
}

impl File {
    fn add(&mut self, record: &str, stamp: FileStamp) {
        let twice = !self.records.insert(xxhash_rust::xxh3::xxh3_64(record.as_bytes()));
        self.stamp = Some(match self.stamp {
            None => stamp,
            Some(known) if known.mtime_ns == u64::MAX => known,
            Some(known) if twice || known != stamp => FileStamp { mtime_ns: u64::MAX, ..stamp },
            Some(known) => known,
        });
    }
}

/// One segment's path postings and the columns a report's stamp is read from.
struct Segment {
    paths: Arc<InvertedIndexReader>,
    alive: Option<AliveBitSet>,
    records: Option<StrColumn>,
    lens: Column<u64>,
    mtimes: Column<u64>,
    hashes: Column<u64>,
}

impl Segment {
    fn open(segment: &SegmentReader, path: tantivy::schema::Field) -> tantivy::Result<Segment> {
        let fast = segment.fast_fields();
        Ok(Segment {
            paths: segment.inverted_index(path)?,
            alive: segment.alive_bitset().cloned(),
            records: fast.str(names::RECORD)?,
            lens: fast.u64(names::FILE_LEN)?,
            mtimes: fast.u64(names::FILE_MTIME)?,
            hashes: fast.u64(names::CONTENT_HASH)?,
        })
    }

    /// Adds to `file` the live reports of the path whose postings `info` locates.
    fn add_docs(&self, info: &TermInfo, file: &mut File) -> std::io::Result<()> {
        let mut docs = self.paths.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
        let mut record = String::new();
        let mut doc = docs.doc();
        while doc != TERMINATED {
            if self.alive.as_ref().is_none_or(|alive| alive.is_alive(doc)) {
                record.clear();
                if let Some(records) = &self.records
                    && let Some(ord) = records.ords().first(doc)
                {
                    records.ord_to_str(ord, &mut record)?;
                }
                let stamp = FileStamp {
                    len: self.lens.first(doc).unwrap_or(0),
                    mtime_ns: self.mtimes.first(doc).unwrap_or(0),
                    content_hash: self.hashes.first(doc).unwrap_or(0),
                };
                file.add(&record, stamp);
            }
            doc = docs.advance();
        }
        Ok(())
    }
}
