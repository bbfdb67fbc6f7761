//! The index folder as the query crate reads it: tantivy's memory-mapped directory, except
//! that an index on a read-only disk (a mounted archive, a DVD, a read-only share) can be
//! searched.
//!
//! Opening a reader takes tantivy's meta lock, a file it creates in the index folder, so
//! that a writer's garbage collection cannot delete segment files while they are being
//! opened. Where the folder cannot be written, no lock file can be made, and no writer can
//! be at work there either; the lock is then skipped rather than the search refused.

use std::io;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// [`MmapDirectory`], tolerant of a folder it cannot write to.
#[derive(Clone, Debug)]
pub(crate) struct ReadableDirectory(MmapDirectory);

impl ReadableDirectory {
    pub fn open(dir: &Path) -> Result<ReadableDirectory, OpenDirectoryError> {
        MmapDirectory::open(dir).map(ReadableDirectory)
    }
}

/// Whether `err` says the folder cannot be written, rather than that the lock is taken.
fn unwritable(err: &LockError) -> bool {
    matches!(err, LockError::IoError(io) if matches!(
        io.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    ))
}

impl Directory for ReadableDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.0.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.0.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(err) if !lock.is_blocking || !unwritable(&err) => Err(err),
            // Held in name only: nothing to release.
            Err(_) => Ok(DirectoryLock::from(Box::new(()))),
            ok => ok,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(watch_callback)
    }
}
