//! The [`Indexer`]: owns the index's writer, and runs an update as a pipeline: scan the
//! folders and the index ([`crate::scan`]), diff them into a plan ([`crate::plan`]), write
//! the plan ([`crate::apply`]) and commit.

#[cfg(test)]
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[cfg(test)]
use dateline_schema::FileStamp;
use dateline_schema::{Fields, IndexManifest};
use tantivy::directory::error::LockError;
use tantivy::index::SegmentId;
use tantivy::{IndexWriter, TantivyError};

use crate::unmapped::UnmappedDirectory;
use crate::{Error, Event, Options, Result, Summary, apply, folder, read, scan};

/// Writes a Dateline index. Holds the index's writer lock for as long as it lives.
pub struct Indexer {
    pub(crate) index: tantivy::Index,
    pub(crate) writer: IndexWriter,
    pub(crate) fields: Fields,
    dir: PathBuf,
    pub(crate) manifest: IndexManifest,
    options: Options,
    /// Set by [`Indexer::rebuild`] until the next commit: every file is read again.
    rebuilding: bool,
    /// Reads files on a worker thread, so a read that blocks cannot stall the run.
    pub(crate) reader: read::TimedReader,
}

impl Indexer {
    /// Opens the index in `dir`, creating the folder and an empty index if there is none.
    pub fn open_or_create(dir: impl AsRef<Path>, options: Options) -> Result<Indexer> {
        let dir = dir.as_ref();
        if std::fs::metadata(dir).is_ok_and(|metadata| !metadata.is_dir()) {
            return Err(Error::NotAFolder { path: dir.into() });
        }
        std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
        let has_index = dir.join("meta.json").try_exists().map_err(Error::io(dir))?;
        if !has_index {
            // A folder of reports, or of anything else, is not made an index.
            let others = folder::others_in(dir)?;
            if !others.is_empty() {
                return Err(Error::NotAnIndexFolder { path: dir.into(), others });
            }
        }
        let index = if has_index {
            tantivy::Index::open_in_dir(dir).map_err(Error::open(dir))?
        } else {
            let (schema, _) = Fields::build();
            tantivy::IndexBuilder::new()
                .schema(schema)
                .settings(dateline_schema::index_settings())
                .create_in_dir(dir)
                // Another process may have created it since we looked.
                .or_else(|_| tantivy::Index::open_in_dir(dir))
                .map_err(Error::open(dir))?
        };
        dateline_schema::languages::register(&index);
        let fields = Fields::from_schema(&index.schema())?;
        let manifest = IndexManifest::of(&index, dir)?;
        // The writer reads the files it merges rather than mapping them (see `unmapped`);
        // lookups keep `index`, mapped.
        let writing = UnmappedDirectory::open(dir)
            .map_err(TantivyError::from)
            .and_then(tantivy::Index::open)
            .map_err(Error::open(dir))?;
        dateline_schema::languages::register(&writing);
        let writer = writing
            .writer_with_num_threads(options.threads, options.memory_budget)
            .map_err(|err| match err {
                TantivyError::LockFailure(LockError::LockBusy, _) => {
                    Error::Locked { path: dir.into() }
                }
                err => Error::open(dir)(err),
            })?;
        let mut merges = tantivy::merge_policy::LogMergePolicy::default();
        merges.set_max_docs_before_merge(options.max_merge_docs);
        writer.set_merge_policy(Box::new(merges));
        Ok(Indexer {
            index,
            writer,
            fields,
            dir: dir.into(),
            manifest,
            rebuilding: false,
            reader: read::TimedReader::new(
                std::sync::Arc::new(read::read_report),
                options.read_timeout,
            ),
            options,
        })
    }

    /// Opens the index in `dir` for a rebuild from scratch: the next [`Indexer::update`]
    /// re-reads every file. The old reports stay searchable until that update commits.
    ///
    /// An index that cannot be opened (damaged, or of another format) is deleted first, so
    /// a rebuild is the way out of any broken index. Only the index's own files are deleted
    /// (tantivy's segment files, `meta.json`, its lock and temporary files), and only when the
    /// folder holds nothing else: otherwise nothing is deleted and [`Error::SharedFolder`]
    /// names the other files.
    pub fn rebuild(dir: impl AsRef<Path>, options: Options) -> Result<Indexer> {
        let dir = dir.as_ref();
        let mut indexer = match Indexer::open_or_create(dir, options.clone()) {
            Ok(indexer) => indexer,
            Err(err @ (Error::Open { .. } | Error::Format(_))) => {
                tracing::info!(error = %err, "index unreadable; deleting it to rebuild");
                {
                    // Hold the writer lock while deleting, so a running writer keeps its files.
                    let _lock = folder::lock(dir)?;
                    let others = folder::others_in(dir)?;
                    if !others.is_empty() {
                        return Err(Error::SharedFolder { path: dir.into(), others });
                    }
                    folder::delete_index_files(dir)?;
                }
                Indexer::open_or_create(dir, options)?
            }
            Err(err) => return Err(err),
        };
        indexer.writer.delete_all_documents().map_err(Error::write(dir))?;
        indexer.rebuilding = true;
        Ok(indexer)
    }

    /// The folders the last commit mirrors (absolute paths).
    pub fn roots(&self) -> &[PathBuf] {
        &self.manifest.roots
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Makes the index mirror `roots`: adds new reports, re-indexes changed ones, removes
    /// those whose files are gone or lie outside `roots`, and commits if anything changed.
    ///
    /// `on_event` is called as the run progresses, for progress display.
    #[tracing::instrument(level = "debug", skip_all, fields(index = %self.dir.display()))]
    pub fn update(
        &mut self,
        roots: &[PathBuf],
        on_event: impl FnMut(Event<'_>),
    ) -> Result<Summary> {
        self.update_in(roots, None, on_event)
    }

    /// Like [`Indexer::update`], but looks only at `changed`: paths of files or folders under
    /// `roots` that were added, changed, moved or deleted (what a file watcher reports). What
    /// lies at or below each is walked and compared with the index, and nothing else is
    /// visited, so the cost follows the change, not the corpus. Paths outside `roots`, in the
    /// index's folder or under hidden names are ignored.
    ///
    /// The index must already mirror `roots` (an [`Indexer::update`] with the same roots came
    /// first); when it does not, the whole of `roots` is updated. A file also reached through
    /// a symlink from elsewhere is only known as one report by a whole update.
    #[tracing::instrument(level = "debug", skip_all, fields(index = %self.dir.display()))]
    pub fn update_changed(
        &mut self,
        roots: &[PathBuf],
        changed: &[PathBuf],
        on_event: impl FnMut(Event<'_>),
    ) -> Result<Summary> {
        self.update_in(roots, Some(changed), on_event)
    }

    fn update_in(
        &mut self,
        roots: &[PathBuf],
        changed: Option<&[PathBuf]>,
        mut on_event: impl FnMut(Event<'_>),
    ) -> Result<Summary> {
        let roots = scan::canonical_roots(roots)?;
        let exclude = std::fs::canonicalize(&self.dir).unwrap_or_else(|_| self.dir.clone());
        if let Some(root) = roots.iter().find(|root| root.starts_with(&exclude)) {
            return Err(Error::CorpusIsIndex { path: root.clone() });
        }
        let needed = folder::size(&self.dir)?.saturating_add(self.options.min_free_disk);
        if let Some(free) = crate::error::free_bytes(&self.dir).filter(|&free| free < needed) {
            return Err(Error::DiskLow { path: self.dir.clone(), free, needed });
        }
        // Field names of records: those given now, else those recorded by an earlier run.
        let mut options = self.options.clone();
        if options.fields.is_empty() {
            options.fields = crate::FieldNames::from_pairs(&self.manifest.fields);
        }
        let fields = options.fields.to_pairs();
        let held = match self.rebuilding {
            true => 0,
            false => {
                let reader: tantivy::IndexReader = self
                    .index
                    .reader_builder()
                    .reload_policy(tantivy::ReloadPolicy::Manual)
                    .try_into()
                    .map_err(Error::open(&self.dir))?;
                reader.searcher().num_docs()
            }
        };
        let target = apply::Target {
            writer: &self.writer,
            fields: &self.fields,
            dir: &self.dir,
            options: &options,
            started_empty: held == 0,
        };
        // A rebuild replaces every report, perhaps of a damaged index: nothing to join there.
        let mut grouper = match (options.grouping, self.rebuilding) {
            (false, _) => crate::group::Grouper::off(),
            (true, true) => crate::group::Grouper::fresh(),
            (true, false) => crate::group::Grouper::new(&self.index),
        };
        let mut summary = Summary::default();
        let mut wrote = false;
        let indexed = (held > 0).then_some((&self.index, self.dir.as_path()));
        let scope = match changed {
            Some(changed) if !self.rebuilding && roots == self.manifest.roots => {
                scan::Scope::Changed(changed)
            }
            _ => scan::Scope::All,
        };
        scan::scan(&roots, &exclude, self.options.follow_outside, indexed, scope, |step| {
            match step {
                scan::Step::Skipped(skipped) => {
                    on_event(Event::Skipped(&skipped));
                    summary.skipped.push(skipped);
                }
                scan::Step::NotRead(path) => summary.not_read.push(path),
                scan::Step::Walked { files } => on_event(Event::Scanned { files }),
                scan::Step::Plan(plan) => {
                    let (reader, summary) = (&self.reader, &mut summary);
                    wrote |=
                        apply::apply(plan, &target, &mut grouper, reader, summary, &mut on_event)?;
                }
            }
            Ok(())
        })?;
        summary.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        summary.not_read.sort();
        if wrote
            || self.rebuilding
            || roots != self.manifest.roots
            || fields != self.manifest.fields
        {
            on_event(Event::Committing);
            let mut manifest = IndexManifest::new(roots);
            manifest.fields = fields;
            self.commit(manifest)?;
            summary.committed = true;
        }
        Ok(summary)
    }

    /// Waits for background merges to finish, then merges what the merge policy leaves
    /// scattered (the small segments, unless one of them holds more reports than the rest
    /// together), so the next reader opens fewer segments.
    ///
    /// A search pays for every segment it opens, most in a new process: a 10× Reuters build
    /// left eight segments, too few of a size for the policy to merge, and a whole
    /// `dateline search` over the one they merge into took 30% less time (p50 23.3 → 16.3 ms).
    ///
    /// The run's commit is made before this: that last merge is optional, and when it cannot
    /// be made (another process holds the writer's lock, the disk is full) it is logged and
    /// the segments are left as they are; the next run that commits merges them.
    pub fn finish(self) -> Result<()> {
        let writing = self.writer.index().clone();
        self.writer.wait_merging_threads().map_err(Error::write(&self.dir))?;
        let cap = self.options.max_merge_docs;
        if chosen(&writing, cap).map_err(Error::open(&self.dir))?.len() < 2 {
            return Ok(());
        }
        let merged =
            writing.writer_with_num_threads(1, 32 << 20).and_then(|mut writer: IndexWriter| {
                // Chosen again under the writer's lock: another process may have committed
                // since the first writer let go of it.
                let merged = chosen(&writing, cap)?;
                if merged.len() >= 2 {
                    writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
                    writer.merge(&merged).wait()?;
                }
                writer.wait_merging_threads()
            });
        if let Err(error) = merged {
            tracing::warn!(index = %self.dir.display(), %error, "the segments were left unmerged");
        }
        Ok(())
    }

    /// Commits what was written, with `manifest`, atomically.
    pub(crate) fn commit(&mut self, mut manifest: IndexManifest) -> Result<()> {
        // Not rounded: clients tell one commit from the next by it, and two can fall in a second.
        manifest.committed_at = Some(jiff::Timestamp::now());
        let mut prepared = self.writer.prepare_commit().map_err(Error::write(&self.dir))?;
        prepared.set_payload(&manifest.to_payload());
        prepared.commit().map_err(Error::write(&self.dir))?;
        self.manifest = manifest;
        self.rebuilding = false;
        Ok(())
    }

    /// What the last commit holds, by path.
    #[cfg(test)]
    pub(crate) fn indexed_files(&self) -> Result<HashMap<String, FileStamp>> {
        let mut files = HashMap::new();
        crate::indexed::each(&self.index, &self.dir, None, |path, stamp| {
            files.insert(path, stamp);
            true
        })?;
        Ok(files)
    }
}

/// The segments of `index`'s last commit that [`consolidation`] merges.
fn chosen(index: &tantivy::Index, max_merge_docs: usize) -> tantivy::Result<Vec<SegmentId>> {
    let segments = index.searchable_segment_metas()?;
    let docs: Vec<u32> = segments.iter().map(|segment| segment.num_docs()).collect();
    // Only ids leave: tantivy keeps the files of every segment whose `SegmentMeta` is still
    // held somewhere, so metas held through the merge would keep the merged files on disk.
    Ok(consolidation(&docs, max_merge_docs).into_iter().map(|at| segments[at].id()).collect())
}

/// Which segments to merge into one when a run ends, by their numbers of reports (places in
/// `docs`): those the merge policy may still merge (at most `max_merge_docs` reports each),
/// less the largest while it holds more reports than the rest together. A full build's
/// flushed segments all go; after a run that added a report to a large segment, only the
/// small ones. As in a log merge policy, a report is rewritten only into a segment at least
/// twice the size of its own, so however many runs there are, it is rewritten a logarithmic
/// number of times.
fn consolidation(docs: &[u32], max_merge_docs: usize) -> Vec<usize> {
    let mut small: Vec<usize> =
        (0..docs.len()).filter(|&at| docs[at] as usize <= max_merge_docs).collect();
    small.sort_by_key(|&at| std::cmp::Reverse(docs[at]));
    let mut rest: u64 = small.iter().map(|&at| u64::from(docs[at])).sum();
    let mut from = 0;
    while let Some(&largest) = small.get(from) {
        rest -= u64::from(docs[largest]);
        if u64::from(docs[largest]) <= rest {
            break;
        }
        from += 1;
    }
    small.split_off(from)
}

#[cfg(test)]
mod consolidation_tests {
    use super::consolidation;

    #[test]
    fn a_full_builds_segments_merge_and_a_large_one_stays() {
        // A 10× Reuters build's flushed segments.
        let flushed = [30886, 30633, 30376, 30302, 30259, 30209, 15932, 9813];
        assert_eq!(consolidation(&flushed, 1_000_000).len(), 8);
        // One report added twice to an index of one large segment.
        assert_eq!(consolidation(&[208_410, 1, 1], 1_000_000), [1, 2]);
        // Over the cap: not merged again, whatever its size against the rest.
        assert_eq!(consolidation(&[9_000, 2_045_510, 8_000, 7_000], 1_000_000), [0, 2, 3]);
        // A 100× build's leftovers: the larger holds more than the rest, so neither moves.
        assert!(consolidation(&[21_736, 2_045_510, 16_854], 1_000_000).is_empty());
        assert!(consolidation(&[3, 1], 1_000_000).is_empty());
        assert!(consolidation(&[5, 5], 0).is_empty());
        assert!(consolidation(&[], 1_000_000).is_empty());
    }
}
