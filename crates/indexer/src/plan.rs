//! The diff between what the folders hold and what the index holds: which files to add,
//! re-read, remove or leave alone. Both sides come in path order, so the diff is made as
//! they come, one batch at a time, holding neither side whole. Pure: no file is read and no
//! index is touched, so every rule here is tested on plain values.

use std::collections::HashSet;
use std::iter::Peekable;
use std::path::{Path, PathBuf};

use dateline_schema::FileStamp;

use crate::walk::{Candidate, FileId};

/// What an update must do with one batch of files.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// Files the index does not hold: read and add.
    pub add: Vec<Candidate>,
    /// Files the index holds whose size or modification time differs: read again, with what
    /// the index recorded of them (the hash tells whether the content really changed).
    pub change: Vec<(Candidate, FileStamp)>,
    /// Paths the index holds whose files are gone: remove.
    pub remove: Vec<String>,
    /// Files whose size and modification time are as recorded: not read.
    pub unchanged: Vec<Candidate>,
}

impl Plan {
    /// How many paths the batch holds, each to act on or to count.
    pub(crate) fn len(&self) -> usize {
        self.add.len() + self.change.len() + self.unchanged.len() + self.remove.len()
    }
}

/// Makes the plan that turns an index holding `indexed` into one holding the files found,
/// as the walk finds them.
///
/// The same file reached twice (through a symlink) is one report, kept under the first of
/// its paths in order. Reports under a path that could not be walked (a folder that failed
/// to list) are kept as they are, not taken for deleted.
pub(crate) struct Planner<I: Iterator<Item = (String, FileStamp)>> {
    /// What the index holds, by path, in path order.
    indexed: Peekable<I>,
    /// Hashes of the files met: a file reached twice is known by its identity, not its path.
    /// Eight bytes a file, the one thing a run keeps of every file.
    seen: HashSet<u64>,
    unwalkable: Vec<PathBuf>,
    files: usize,
}

impl<I: Iterator<Item = (String, FileStamp)>> Planner<I> {
    /// A planner against `indexed`, which must come in byte order of the paths.
    pub(crate) fn new(indexed: I) -> Planner<I> {
        Planner {
            indexed: indexed.peekable(),
            seen: HashSet::new(),
            unwalkable: Vec::new(),
            files: 0,
        }
    }

    /// A path the walk could not list: what the index holds under it stays.
    pub(crate) fn unwalkable(&mut self, path: PathBuf) {
        self.unwalkable.push(path);
    }

    /// How many files were found so far (each once).
    pub(crate) fn files(&self) -> usize {
        self.files
    }

    /// Plans `candidate`, which comes after every file found before it in path order, into
    /// `plan`, with the removal of any indexed path before it that was not found.
    pub(crate) fn found(&mut self, candidate: Candidate, plan: &mut Plan) {
        if !self.seen.insert(id_hash(candidate.file_id)) {
            return;
        }
        self.files += 1;
        while let Some((key, _)) = self.indexed.next_if(|(key, _)| *key < candidate.key) {
            self.gone(key, plan);
        }
        match self.indexed.next_if(|(key, _)| *key == candidate.key) {
            None => plan.add.push(candidate),
            Some((_, stamp))
                if stamp.len == candidate.len && stamp.mtime_ns == candidate.mtime_ns =>
            {
                plan.unchanged.push(candidate)
            }
            Some((_, stamp)) => plan.change.push((candidate, stamp)),
        }
    }

    /// Once the walk is over: whatever was indexed and not found again is gone.
    pub(crate) fn finish(mut self, plan: &mut Plan) {
        while let Some((key, _)) = self.indexed.next() {
            self.gone(key, plan);
        }
    }

    fn gone(&self, key: String, plan: &mut Plan) {
        if !self.unwalkable.iter().any(|path| Path::new(&key).starts_with(path)) {
            plan.remove.push(key);
        }
    }
}

fn id_hash((device, inode): FileId) -> u64 {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&device.to_le_bytes());
    bytes[8..].copy_from_slice(&inode.to_le_bytes());
    xxhash_rust::xxh3::xxh3_64(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(key: &str, inode: u64, len: u64, mtime_ns: u64) -> Candidate {
        Candidate { path: key.into(), key: key.into(), file_id: (1, inode), len, mtime_ns }
    }

    fn stamp(len: u64, mtime_ns: u64) -> FileStamp {
        FileStamp { len, mtime_ns, content_hash: 7 }
    }

    fn keys(candidates: &[Candidate]) -> Vec<&str> {
        candidates.iter().map(|c| c.key.as_str()).collect()
    }

    /// The plan of `found` (in path order) against `indexed` (in path order), in one batch.
    fn plan(found: Vec<Candidate>, indexed: &[(&str, FileStamp)], unwalkable: &[&str]) -> Plan {
        let indexed = indexed.iter().map(|(key, stamp)| (key.to_string(), *stamp));
        let mut planner = Planner::new(indexed.collect::<Vec<_>>().into_iter());
        unwalkable.iter().for_each(|path| planner.unwalkable(path.into()));
        let mut plan = Plan::default();
        for candidate in found {
            planner.found(candidate, &mut plan);
        }
        planner.finish(&mut plan);
        plan
    }

    #[test]
    fn files_are_added_changed_removed_or_left_alone_by_size_and_time() {
        let plan = plan(
            vec![
                found("/r/longer.txt", 4, 11, 100),
                found("/r/new.txt", 3, 5, 100),
                found("/r/same.txt", 2, 10, 100),
                found("/r/touched.txt", 1, 10, 200),
            ],
            &[
                ("/r/gone.txt", stamp(10, 100)),
                ("/r/longer.txt", stamp(10, 100)),
                ("/r/same.txt", stamp(10, 100)),
                ("/r/touched.txt", stamp(10, 100)),
                ("/r/zz-gone.txt", stamp(10, 100)),
            ],
            &[],
        );
        assert_eq!(keys(&plan.add), ["/r/new.txt"]);
        let changed: Vec<_> = plan.change.iter().map(|(c, s)| (c.key.as_str(), *s)).collect();
        assert_eq!(
            changed,
            [("/r/longer.txt", stamp(10, 100)), ("/r/touched.txt", stamp(10, 100))]
        );
        assert_eq!(plan.remove, ["/r/gone.txt", "/r/zz-gone.txt"]);
        assert_eq!(keys(&plan.unchanged), ["/r/same.txt"]);
        assert_eq!(plan.len(), 6);
    }

    #[test]
    fn a_file_reached_by_two_paths_is_one_report_under_the_first() {
        let plan = plan(
            vec![found("/r/a.txt", 1, 10, 100), found("/r/b-link.txt", 1, 10, 100)],
            &[("/r/b-link.txt", stamp(10, 100))],
            &[],
        );
        assert_eq!(keys(&plan.add), ["/r/a.txt"]);
        // The second path is no longer a report of its own.
        assert_eq!(plan.remove, ["/r/b-link.txt"]);
    }

    #[test]
    fn reports_under_a_folder_that_could_not_be_listed_are_kept() {
        let plan = plan(
            Vec::new(),
            &[("/r/gone.txt", stamp(10, 100)), ("/r/locked/a.txt", stamp(10, 100))],
            &["/r/locked"],
        );
        assert_eq!(plan.remove, ["/r/gone.txt"]);
        assert_eq!(plan.len(), 1);
    }

    #[test]
    fn a_file_as_recorded_is_not_read() {
        let plan = plan(vec![found("/r/a.txt", 1, 10, 100)], &[("/r/a.txt", stamp(10, 100))], &[]);
        assert!(plan.add.is_empty() && plan.change.is_empty() && plan.remove.is_empty());
        assert_eq!(keys(&plan.unchanged), ["/r/a.txt"]);
    }

    #[test]
    fn batches_planned_one_after_another_make_the_plan_of_the_whole() {
        let indexed: Vec<(String, FileStamp)> =
            (0..10).map(|i| (format!("/r/{i:02}.txt"), stamp(10, 100))).collect();
        let mut planner = Planner::new(indexed.into_iter());
        let mut batches = vec![Plan::default()];
        // Every third file is gone, every other one is new, the rest are as recorded.
        for i in (0..10).filter(|i| i % 3 != 0) {
            planner
                .found(found(&format!("/r/{i:02}.txt"), i, 10, 100), batches.last_mut().unwrap());
            planner.found(
                found(&format!("/r/{i:02}b.txt"), 100 + i, 10, 100),
                batches.last_mut().unwrap(),
            );
            if batches.last().unwrap().len() >= 3 {
                batches.push(Plan::default());
            }
        }
        planner.finish(batches.last_mut().unwrap());
        let removed: Vec<&str> =
            batches.iter().flat_map(|b| b.remove.iter().map(String::as_str)).collect();
        assert_eq!(removed, ["/r/00.txt", "/r/03.txt", "/r/06.txt", "/r/09.txt"]);
        let added: usize = batches.iter().map(|b| b.add.len()).sum();
        let unchanged: usize = batches.iter().map(|b| b.unchanged.len()).sum();
        assert_eq!((added, unchanged, planner_files(&batches)), (6, 6, 12));
        assert!(batches.len() > 3, "the files came in several batches");
    }

    fn planner_files(batches: &[Plan]) -> usize {
        batches.iter().map(|b| b.add.len() + b.change.len() + b.unchanged.len()).sum()
    }
}
