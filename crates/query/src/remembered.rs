//! What hits keep asking of the commit last searched. A story's figures and a copy group's
//! earliest members each scan all of the group's reports; the ten hits of one search, and the
//! next searches of the same commit, keep meeting the same groups.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};

use tantivy::index::SegmentId;
use tantivy::{Opstamp, Searcher};

use crate::Result;

/// Most groups remembered for one commit; past it the memory starts again.
const REMEMBERED: usize = 4096;

/// Values by group id, for one commit at a time: the newest commit searched. A commit is
/// its segments and their deletions, not the searcher's generation, which every reload
/// renews (`Index::status` reloads) even when nothing was committed.
pub(crate) struct PerCommit<V> {
    last: Mutex<Remembered<V>>,
}

struct Remembered<V> {
    /// The newest generation that searched this commit: an older searcher (an export begun
    /// before the commit) must not make the newer ones forget.
    generation: u64,
    segments: BTreeMap<SegmentId, Option<Opstamp>>,
    values: HashMap<u64, V>,
}

impl<V> Default for PerCommit<V> {
    fn default() -> Self {
        let empty = Remembered { generation: 0, segments: BTreeMap::new(), values: HashMap::new() };
        PerCommit { last: Mutex::new(empty) }
    }
}

impl<V: Clone> PerCommit<V> {
    /// The value of `id` in `searcher`'s commit, computed by `compute` on first use.
    pub(crate) fn get_or(
        &self,
        searcher: &Searcher,
        id: u64,
        compute: impl FnOnce() -> Result<V>,
    ) -> Result<V> {
        let generation = searcher.generation();
        let same_commit = |last: &Remembered<V>| &last.segments == generation.segments();
        {
            let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
            if same_commit(&last) {
                last.generation = last.generation.max(generation.generation_id());
                if let Some(value) = last.values.get(&id) {
                    return Ok(value.clone());
                }
            }
        }
        // Computed unlocked: two searches may both compute a value, never wait on one.
        let value = compute()?;
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if !same_commit(&last) {
            if generation.generation_id() < last.generation {
                return Ok(value);
            }
            *last = Remembered {
                generation: generation.generation_id(),
                segments: generation.segments().clone(),
                values: HashMap::new(),
            };
        }
        if last.values.len() >= REMEMBERED {
            last.values.clear();
        }
        last.values.insert(id, value.clone());
        Ok(value)
    }
}
