//! The diff between what the folders hold and what the index holds: which files to add,
//! re-read, remove or leave alone. Pure: no file is read and no index is touched, so every
//! rule here is tested on plain values.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use dateline_schema::FileStamp;

use crate::walk::Candidate;

/// What an update must do.
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
    /// How many files were found (each once).
    pub(crate) fn files(&self) -> usize {
        self.add.len() + self.change.len() + self.unchanged.len()
    }
}

/// The plan that makes an index holding `indexed` hold `found`.
///
/// The same file reached twice (through a symlink) is one report, kept under the first of
/// its paths in order. Reports under a path in `unwalkable` (a folder that failed to list)
/// are kept as they are, not taken for deleted. Every list is in path order, so the same
/// run reads, reports and keeps duplicates the same way.
pub(crate) fn plan(
    mut found: Vec<Candidate>,
    mut indexed: HashMap<String, FileStamp>,
    unwalkable: &[PathBuf],
) -> Plan {
    indexed.retain(|key, _| !unwalkable.iter().any(|path| Path::new(key).starts_with(path)));
    found.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    let mut seen = HashSet::new();
    found.retain(|candidate| seen.insert(candidate.file_id));
    let mut plan = Plan::default();
    for candidate in found {
        match indexed.remove(&candidate.key) {
            None => plan.add.push(candidate),
            Some(stamp) if stamp.len == candidate.len && stamp.mtime_ns == candidate.mtime_ns => {
                plan.unchanged.push(candidate)
            }
            Some(stamp) => plan.change.push((candidate, stamp)),
        }
    }
    // Whatever was indexed and not found again is gone.
    plan.remove = indexed.into_keys().collect();
    plan.remove.sort_unstable();
    plan
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

    #[test]
    fn files_are_added_changed_removed_or_left_alone_by_size_and_time() {
        let indexed = HashMap::from([
            ("/r/same.txt".to_string(), stamp(10, 100)),
            ("/r/longer.txt".to_string(), stamp(10, 100)),
            ("/r/touched.txt".to_string(), stamp(10, 100)),
            ("/r/gone.txt".to_string(), stamp(10, 100)),
        ]);
        let plan = plan(
            vec![
                found("/r/touched.txt", 1, 10, 200),
                found("/r/same.txt", 2, 10, 100),
                found("/r/new.txt", 3, 5, 100),
                found("/r/longer.txt", 4, 11, 100),
            ],
            indexed,
            &[],
        );
        assert_eq!(keys(&plan.add), ["/r/new.txt"]);
        let changed: Vec<_> = plan.change.iter().map(|(c, s)| (c.key.as_str(), *s)).collect();
        assert_eq!(
            changed,
            [("/r/longer.txt", stamp(10, 100)), ("/r/touched.txt", stamp(10, 100))]
        );
        assert_eq!(plan.remove, ["/r/gone.txt"]);
        assert_eq!(keys(&plan.unchanged), ["/r/same.txt"]);
        assert_eq!(plan.files(), 4);
    }

    #[test]
    fn a_file_reached_by_two_paths_is_one_report_under_the_first() {
        let plan = plan(
            vec![found("/r/b-link.txt", 1, 10, 100), found("/r/a.txt", 1, 10, 100)],
            HashMap::from([("/r/b-link.txt".to_string(), stamp(10, 100))]),
            &[],
        );
        assert_eq!(keys(&plan.add), ["/r/a.txt"]);
        // The second path is no longer a report of its own.
        assert_eq!(plan.remove, ["/r/b-link.txt"]);
    }

    #[test]
    fn reports_under_a_folder_that_could_not_be_listed_are_kept() {
        let indexed = HashMap::from([
            ("/r/locked/a.txt".to_string(), stamp(10, 100)),
            ("/r/gone.txt".to_string(), stamp(10, 100)),
        ]);
        let plan = plan(Vec::new(), indexed, &[PathBuf::from("/r/locked")]);
        assert_eq!(plan.remove, ["/r/gone.txt"]);
        assert_eq!(plan.files(), 0);
    }

    #[test]
    fn a_file_as_recorded_is_not_read() {
        let plan = plan(
            vec![found("/r/a.txt", 1, 10, 100)],
            HashMap::from([("/r/a.txt".to_string(), stamp(10, 100))]),
            &[],
        );
        assert!(plan.add.is_empty() && plan.change.is_empty() && plan.remove.is_empty());
        assert_eq!(keys(&plan.unchanged), ["/r/a.txt"]);
    }
}
