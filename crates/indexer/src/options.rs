//! How an indexing run is tuned.

/// Tuning of an indexing run.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// Files larger than this are skipped ([`crate::Skip::TooLarge`]). Default: 64 MiB. A
    /// file of many reports (JSON Lines, JSON array, CSV, TSV) is read as a stream, whatever
    /// its size: for it, this bounds each record (a longer one is left out with a warning).
    pub max_file_size: u64,
    /// Files with a line longer than this are skipped ([`crate::Skip::LineTooLong`]): a megabyte
    /// without a line break is a dump, not a report. Default: 1 MiB.
    pub max_line_length: usize,
    /// Indexing threads. Default: the number of CPUs, at most 4.
    pub threads: usize,
    /// Memory the writer may use for buffering before it flushes a segment, in bytes,
    /// shared by all threads. Default: 128 MiB, which took a 10× Reuters build's peak from 492
    /// to 330 MB with no loss of throughput (SCALING.md): the flushed segments are merged in
    /// the background either way.
    pub memory_budget: usize,
    /// Segments with more reports than this are not merged again. Default: 1,000,000, so a
    /// merge (eight segments of a size) writes at most about 8 million reports, and an
    /// archive of any size ends in segments of a few million. Fewer segments make a search
    /// cheaper, most of all in a new process, which opens every segment: a 100× Reuters
    /// index went from 10 segments to 3, and a whole `dateline search`'s p50 from 44 to
    /// 34 ms (SCALING.md). A merge reads its inputs rather than mapping them
    /// ([`crate::Indexer`]'s writer), so its memory does not grow with them: that build's
    /// peak was 333 MB, merging into one segment of 2 million reports.
    pub max_merge_docs: usize,
    /// Free space the index's disk must have beyond the index's own size for a run to start
    /// ([`crate::Error::DiskLow`]). Merges write a segment's new files before deleting the
    /// old ones, so a run may need as much again as the index takes; a disk that fills
    /// mid-run wastes the run. Default: 0 (the index's size alone).
    pub min_free_disk: u64,
    /// Follow symlinks that lead out of the folders being indexed. Default: false, and each
    /// such symlink is skipped ([`crate::Skip::OutsideFolders`]). Kernel file systems (procfs,
    /// sysfs, …) are never entered either way.
    pub follow_outside: bool,
    /// A file whose read gives no answer for this long (a hung network mount) is skipped
    /// ([`crate::Skip::Stalled`]) and the run goes on. Default: 60 s.
    pub read_timeout: std::time::Duration,
    /// Which fields of a JSON or CSV record are the headline, the text, the date…, beyond
    /// the names news tools use. Recorded in the index: a later run given none uses the
    /// recorded ones (files already indexed are read again only when they change, so after
    /// changing the names, rebuild). Default: the known names only.
    pub fields: crate::FieldNames,
    /// Place each report in its copy group and story. Default: true. False is for measuring
    /// what grouping costs (`dateline-bench grouping`) and nothing else: every report then
    /// starts its own copy group and story (reports of one text and date name the same
    /// story), and a later run with grouping does not revisit them; rebuild to group them.
    pub grouping: bool,
}

impl Default for Options {
    fn default() -> Options {
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        Options {
            max_file_size: 64 << 20,
            max_line_length: 1 << 20,
            threads: cpus.clamp(1, 4),
            memory_budget: 128 << 20,
            max_merge_docs: 1_000_000,
            min_free_disk: 0,
            follow_outside: false,
            read_timeout: std::time::Duration::from_secs(60),
            fields: crate::FieldNames::default(),
            grouping: true,
        }
    }
}

impl Options {
    /// Sets [`Options::max_file_size`].
    pub fn max_file_size(mut self, bytes: u64) -> Options {
        self.max_file_size = bytes;
        self
    }

    /// Sets [`Options::max_line_length`].
    pub fn max_line_length(mut self, bytes: usize) -> Options {
        self.max_line_length = bytes;
        self
    }

    /// Sets [`Options::threads`] (at least 1).
    pub fn threads(mut self, threads: usize) -> Options {
        self.threads = threads.max(1);
        self
    }

    /// Sets [`Options::memory_budget`], in bytes.
    pub fn memory_budget(mut self, bytes: usize) -> Options {
        self.memory_budget = bytes;
        self
    }

    /// Sets [`Options::max_merge_docs`].
    pub fn max_merge_docs(mut self, reports: usize) -> Options {
        self.max_merge_docs = reports;
        self
    }

    /// Sets [`Options::min_free_disk`], in bytes.
    pub fn min_free_disk(mut self, bytes: u64) -> Options {
        self.min_free_disk = bytes;
        self
    }

    /// Sets [`Options::follow_outside`].
    pub fn follow_outside(mut self, follow: bool) -> Options {
        self.follow_outside = follow;
        self
    }

    /// Sets [`Options::fields`].
    pub fn fields(mut self, fields: crate::FieldNames) -> Options {
        self.fields = fields;
        self
    }

    /// Sets [`Options::read_timeout`].
    pub fn read_timeout(mut self, timeout: std::time::Duration) -> Options {
        self.read_timeout = timeout;
        self
    }

    /// Sets [`Options::grouping`].
    pub fn grouping(mut self, grouping: bool) -> Options {
        self.grouping = grouping;
        self
    }
}
