//! Reading a report file, safely: only a regular file is read, never more than the size
//! limit allows, and a read that blocks does not stall the run.
//!
//! What the walk saw is not trusted: between the walk and the read a file can be replaced
//! by a FIFO (whose `open` blocks until a writer comes) or grow past the limit. So the file
//! is opened without blocking, the *opened handle* is checked (`fstat`, and on Linux
//! `fstatfs` against kernel file systems), and at most `limit + 1` bytes are read. Reads
//! run on a worker thread: one that gives no answer within the timeout is left behind and
//! the run goes on with a new worker.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// What reading a report file gave.
#[derive(Debug)]
pub(crate) enum ReadOutcome {
    /// The whole file, within the limit.
    Bytes(Vec<u8>),
    /// More than the limit arrived; `len` is at least `limit + 1`.
    TooLarge { len: u64 },
    /// The opened file is not a regular file, or lies on a kernel file system.
    Special { what: String },
    /// The operating system refused or failed.
    Failed(std::io::Error),
}

/// Reads the regular file at `path`, at most `limit` bytes.
pub(crate) fn read_report(path: &Path, limit: u64) -> ReadOutcome {
    let file = match open(path) {
        Ok(file) => file,
        Err(err) => return ReadOutcome::Failed(err),
    };
    // The handle, not the path: whatever the path names by now, this is what would be read.
    let metadata = match file.metadata() {
        Ok(metadata) => metadata,
        Err(err) => return ReadOutcome::Failed(err),
    };
    if !metadata.file_type().is_file() {
        return ReadOutcome::Special { what: crate::walk::file_kind(metadata.file_type()) };
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if let Some(name) = rustix::fs::fstatfs(&file)
        .ok()
        .and_then(|stat| crate::walk::kernel_file_system(stat.f_type as u32))
    {
        return ReadOutcome::Special { what: format!("on {name}, a kernel file system") };
    }
    let expected = metadata.len().min(limit).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(usize::MAX));
    // One byte over the limit is enough to know the file is over it.
    if let Err(err) = (&file).take(limit.saturating_add(1)).read_to_end(&mut bytes) {
        return ReadOutcome::Failed(err);
    }
    if bytes.len() as u64 > limit {
        return ReadOutcome::TooLarge { len: metadata.len().max(bytes.len() as u64) };
    }
    ReadOutcome::Bytes(bytes)
}

/// Opens the regular file at `path` for a streamed read, with the checks of [`read_report`]
/// on the opened handle.
pub(crate) fn open_checked(path: &Path) -> Result<std::fs::File, crate::Skip> {
    let unreadable = |err: std::io::Error| crate::Skip::Unreadable { reason: err.to_string() };
    let file = open(path).map_err(unreadable)?;
    let metadata = file.metadata().map_err(unreadable)?;
    if !metadata.file_type().is_file() {
        return Err(crate::Skip::Special { what: crate::walk::file_kind(metadata.file_type()) });
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if let Some(name) = rustix::fs::fstatfs(&file)
        .ok()
        .and_then(|stat| crate::walk::kernel_file_system(stat.f_type as u32))
    {
        let what = format!("on {name}, a kernel file system");
        return Err(crate::Skip::Special { what });
    }
    // Reads block from here on: the file was opened without blocking only to be checked.
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        let flags = rustix::fs::fcntl_getfl(&file).map_err(|err| unreadable(err.into()))?;
        rustix::fs::fcntl_setfl(&file, flags - OFlags::NONBLOCK)
            .map_err(|err| unreadable(err.into()))?;
    }
    Ok(file)
}

/// Opens `path` for reading without waiting: `open` on a FIFO with no writer would block.
#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    let fd = rustix::fs::open(path, flags, Mode::empty())?;
    Ok(std::fs::File::from(fd))
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// How a file is read: [`read_report`], or a stand-in in tests.
pub(crate) type ReadFn = dyn Fn(&Path, u64) -> ReadOutcome + Send + Sync;

/// Reads files on a worker thread, giving up on one that takes longer than a timeout.
pub(crate) struct TimedReader {
    read: Arc<ReadFn>,
    timeout: Duration,
    /// In a mutex only so that the indexer stays `Sync`; reached through `&mut`, never locked.
    worker: std::sync::Mutex<Option<Worker>>,
}

struct Worker {
    jobs: Sender<(PathBuf, u64)>,
    results: Receiver<ReadOutcome>,
}

/// The read did not answer within the timeout.
#[derive(Debug)]
pub(crate) struct Stalled;

impl TimedReader {
    pub(crate) fn new(read: Arc<ReadFn>, timeout: Duration) -> TimedReader {
        TimedReader { read, timeout, worker: std::sync::Mutex::new(None) }
    }

    /// Another reader of the same files with the same timeout, for another thread.
    pub(crate) fn sibling(&self) -> TimedReader {
        TimedReader::new(Arc::clone(&self.read), self.timeout)
    }

    /// Reads `path` (at most `limit` bytes), or gives up after the timeout.
    pub(crate) fn read(&mut self, path: &Path, limit: u64) -> Result<ReadOutcome, Stalled> {
        let slot = self.worker.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner);
        let job = (path.to_path_buf(), limit);
        let sent = match &*slot {
            Some(worker) => worker.jobs.send(job.clone()).is_ok(),
            None => false,
        };
        // No worker yet, or it died (a panic in a read): start one.
        let worker = match sent {
            true => slot.as_ref(),
            false => {
                let worker = slot.insert(spawn(Arc::clone(&self.read)));
                worker.jobs.send(job).is_ok().then_some(&*worker)
            }
        };
        let Some(worker) = worker else {
            return Ok(ReadOutcome::Failed(std::io::Error::other("the reading thread failed")));
        };
        match worker.results.recv_timeout(self.timeout) {
            Ok(outcome) => Ok(outcome),
            Err(RecvTimeoutError::Timeout) => {
                // Left behind: it ends by itself if the read ever returns (its answer then
                // has no one to go to).
                *slot = None;
                Err(Stalled)
            }
            Err(RecvTimeoutError::Disconnected) => {
                *slot = None;
                Ok(ReadOutcome::Failed(std::io::Error::other("the reading thread failed")))
            }
        }
    }

    /// The timeout, for messages.
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }
}

fn spawn(read: Arc<ReadFn>) -> Worker {
    let (jobs, incoming) = std::sync::mpsc::channel::<(PathBuf, u64)>();
    let (outgoing, results) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().name("dateline-read".into()).spawn(move || {
        for (path, limit) in incoming {
            if outgoing.send(read(&path, limit)).is_err() {
                return;
            }
        }
    });
    if let Err(err) = spawned {
        // No thread: every read reports it, and the run goes on.
        tracing::warn!(error = %err, "cannot start a reading thread");
    }
    Worker { jobs, results }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_that_blocks_is_given_up_and_the_next_read_goes_through() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("ok.txt");
        std::fs::write(&ok, "Port strike\n\nDockers walked out.\n").unwrap();
        let stuck = dir.path().join("stuck.txt");
        let read: Arc<ReadFn> = Arc::new(|path: &Path, limit: u64| {
            if path.ends_with("stuck.txt") {
                // What a read from a hung network mount does.
                std::thread::sleep(Duration::from_secs(3600));
            }
            read_report(path, limit)
        });
        let mut reader = TimedReader::new(read, Duration::from_millis(200));
        let started = std::time::Instant::now();
        assert!(matches!(reader.read(&ok, 1000), Ok(ReadOutcome::Bytes(_))));
        assert!(reader.read(&stuck, 1000).is_err());
        assert!(matches!(reader.read(&ok, 1000), Ok(ReadOutcome::Bytes(_))));
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    }

    #[test]
    fn no_more_than_the_limit_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "x".repeat(1000)).unwrap();
        assert!(matches!(read_report(&path, 1000), ReadOutcome::Bytes(b) if b.len() == 1000));
        assert!(matches!(read_report(&path, 999), ReadOutcome::TooLarge { len: 1000 }));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_not_read_and_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pipe.txt");
        // A system call, not a spawned `mkfifo`: see `mkfifo` in the crate's tests.
        use rustix::fs::{CWD, FileType, Mode, mknodat};
        mknodat(CWD, &path, FileType::Fifo, Mode::from_raw_mode(0o600), 0).expect("mkfifo");
        match read_report(&path, 1000) {
            ReadOutcome::Special { what } => assert!(what.contains("FIFO"), "{what}"),
            other => panic!("{other:?}"),
        }
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn files_of_procfs_are_not_read() {
        match read_report(Path::new("/proc/self/status"), 1 << 20) {
            ReadOutcome::Special { what } => assert!(what.contains("procfs"), "{what}"),
            other => panic!("{other:?}"),
        }
    }
}
