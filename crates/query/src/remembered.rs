//! What hits keep asking of the commit last searched. A story's figures and a copy group's
//! earliest members each scan all of the group's reports; the ten hits of one search, and the
//! next searches of the same commit, keep meeting the same groups.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use tantivy::Searcher;

use crate::Result;

/// Most groups remembered for one commit; past it the memory starts again.
const REMEMBERED: usize = 4096;

/// Values by group id, for one commit at a time: a search of a newer commit forgets them all.
pub(crate) struct PerCommit<V> {
    last: Mutex<(u64, HashMap<u64, V>)>,
}

impl<V> Default for PerCommit<V> {
    fn default() -> Self {
        PerCommit { last: Mutex::new((0, HashMap::new())) }
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
        let generation = searcher.generation().generation_id();
        {
            let last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
            if last.0 == generation
                && let Some(value) = last.1.get(&id)
            {
                return Ok(value.clone());
            }
        }
        // Computed unlocked: two searches may both compute a value, never wait on one.
        let value = compute()?;
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if last.0 != generation || last.1.len() >= REMEMBERED {
            *last = (generation, HashMap::new());
        }
        last.1.insert(id, value.clone());
        Ok(value)
    }
}
