//! The index folder as the writer reads it: tantivy's memory-mapped directory, except that
//! files are read with positioned reads (`pread`) into buffers of their own instead of
//! being mapped.
//!
//! The writer reads segment files to merge them, and a merge reads its inputs once from end
//! to end. Mapped, every page it reads stays in the process's resident memory until the merge
//! ends and its inputs are unmapped: at 100× the Reuters corpus that was 274 MB on top of the
//! build's own 240 MB (`crates/bench/PROFILE.md`, "a build's memory at 100×"), the same
//! whatever the merge cap. Read into buffers, a merge holds what it is working on: a term's
//! postings, a field's dictionary and norms, a column, one segment's stored blocks while
//! they are copied. The pages read stay in the kernel's page cache, where they cost the
//! process nothing.
//!
//! Searches (the indexer's own lookups among them) keep the mapped directory: a search
//! touches a few pages of large files, which a mapping serves without reading the rest.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// [`MmapDirectory`], with files read rather than mapped on Unix (elsewhere mapped, as
/// before).
#[derive(Clone, Debug)]
pub(crate) struct UnmappedDirectory {
    mapped: MmapDirectory,
    #[cfg_attr(not(unix), expect(dead_code))]
    root: PathBuf,
}

impl UnmappedDirectory {
    pub(crate) fn open(dir: &Path) -> Result<UnmappedDirectory, OpenDirectoryError> {
        Ok(UnmappedDirectory { mapped: MmapDirectory::open(dir)?, root: dir.to_path_buf() })
    }
}

#[cfg(unix)]
mod read {
    use std::fs::File;
    use std::io;
    use std::ops::Range;
    use std::os::unix::fs::FileExt;
    use std::path::Path;
    use std::sync::Arc;

    use tantivy::HasLen;
    use tantivy::directory::error::OpenReadError;
    use tantivy::directory::{FileHandle, OwnedBytes};

    /// A segment file read at an offset for each request. Segment files never change once
    /// written, so each read sees the bytes a mapping would have. (tantivy-common's
    /// `WrapFile` does the same but refuses an empty range, which tantivy asks for, e.g. of
    /// a field with no positions.)
    #[derive(Debug)]
    struct ReadFile {
        file: File,
        len: usize,
    }

    impl HasLen for ReadFile {
        fn len(&self) -> usize {
            self.len
        }
    }

    impl FileHandle for ReadFile {
        fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
            if range.end > self.len || range.start > range.end {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("bytes {range:?} asked of a file of {} bytes", self.len),
                ));
            }
            let mut bytes = vec![0; range.len()];
            self.file.read_exact_at(&mut bytes, range.start as u64)?;
            Ok(OwnedBytes::new(bytes))
        }
    }

    /// The file at `full_path`, to be read a range at a time.
    pub(super) fn open(full_path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let io_error = |err: io::Error| match err.kind() {
            io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(full_path.to_path_buf()),
            _ => OpenReadError::wrap_io_error(err, full_path.to_path_buf()),
        };
        let file = File::open(full_path).map_err(io_error)?;
        let len = file.metadata().map_err(io_error)?.len();
        let len = usize::try_from(len).map_err(|_| {
            io_error(io::Error::new(io::ErrorKind::FileTooLarge, "larger than memory can address"))
        })?;
        Ok(Arc::new(ReadFile { file, len }))
    }
}

impl Directory for UnmappedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        #[cfg(unix)]
        return read::open(&self.root.join(path));
        #[cfg(not(unix))]
        return self.mapped.get_file_handle(path);
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.mapped.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mapped.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::Count;
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, STORED, Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument, Term, doc};

    use super::*;

    #[test]
    fn a_file_reads_any_range_of_its_bytes_and_refuses_past_its_end() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), b"0123456789").unwrap();
        let directory = UnmappedDirectory::open(dir.path()).unwrap();
        let handle = directory.get_file_handle(Path::new("f")).unwrap();
        assert_eq!(handle.len(), 10);
        assert_eq!(handle.read_bytes(2..5).unwrap().as_slice(), b"234");
        assert_eq!(handle.read_bytes(0..10).unwrap().as_slice(), b"0123456789");
        assert!(handle.read_bytes(10..10).unwrap().is_empty());
        assert!(handle.read_bytes(8..11).is_err());
        assert!(matches!(
            directory.get_file_handle(Path::new("missing")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
    }

    /// The index folder's files this process has mapped, from `/proc/self/maps`.
    #[cfg(target_os = "linux")]
    fn mapped_from(dir: &Path) -> Vec<String> {
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        let dir = dir.canonicalize().unwrap();
        maps.lines().filter(|line| line.contains(dir.to_str().unwrap())).map(String::from).collect()
    }

    #[test]
    fn an_index_written_and_merged_through_it_is_whole_and_none_of_its_files_is_mapped() {
        let dir = tempfile::tempdir().unwrap();
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT | STORED);
        let index = Index::create(
            UnmappedDirectory::open(dir.path()).unwrap(),
            schema.build(),
            Default::default(),
        )
        .unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for segment in 0..3 {
            for n in 0..100 {
                writer.add_document(doc!(body => format!("report {segment} {n} talks"))).unwrap();
            }
            writer.commit().unwrap();
        }
        let segments = index.searchable_segment_ids().unwrap();
        assert_eq!(segments.len(), 3);
        writer.merge(&segments).wait().unwrap();
        writer.wait_merging_threads().unwrap();

        let reader = index.reader().unwrap();
        let searcher = reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let talks =
            TermQuery::new(Term::from_field_text(body, "talks"), IndexRecordOption::WithFreqs);
        assert_eq!(searcher.search(&talks, &Count).unwrap(), 300);
        let first: TantivyDocument = searcher.doc(tantivy::DocAddress::new(0, 0)).unwrap();
        assert!(first.get_first(body).is_some());
        #[cfg(target_os = "linux")]
        assert_eq!(mapped_from(dir.path()), Vec::<String>::new());
    }
}
