//! A hit's story: how many reports the index holds about the same event, from how many
//! outlets, over which days, and how many of them are independent (a copy group counts once).

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

use dateline_schema::{date, names};
use serde::{Serialize, Serializer};
use tantivy::query::{EnableScoring, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED, Term};

use crate::{Date, Index, Result};

/// The story a report belongs to, as the index holds it when searched.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Story {
    /// The story's id: set when its first report was indexed, never changed. JSON: 16
    /// lower-case hex digits.
    #[serde(serialize_with = "hex")]
    pub id: u64,
    /// How many reports it holds.
    pub reports: u64,
    /// How many distinct outlets published them (reports naming none are not counted).
    pub outlets: u64,
    /// Its earliest report's date; `None` when none is dated.
    pub first_date: Option<Date>,
    /// Its latest report's date.
    pub last_date: Option<Date>,
    /// How many independent reports it holds: its copy groups, each counting once (the
    /// corroboration).
    pub independent: u64,
}

fn hex<S: Serializer>(id: &u64, serializer: S) -> std::result::Result<S::Ok, S::Error> {
    serializer.serialize_str(&format!("{id:016x}"))
}

/// A story id as users see it: 16 lower-case hex digits.
pub fn story_id(id: u64) -> String {
    format!("{id:016x}")
}

/// Most stories remembered for one commit; past it the memory starts again.
const REMEMBERED: usize = 4096;

/// The stories of hits already counted, for the commit last searched: a story's figures
/// scan every one of its members, and the hits of one search, or of the next searches of
/// the same commit, keep meeting the same stories.
#[derive(Default)]
pub(crate) struct Remembered {
    last: Mutex<(u64, HashMap<u64, Story>)>,
}

impl Index {
    /// The story `id` as `searcher`'s commit holds it: its reports read from fast columns,
    /// never from stored documents, once per commit.
    pub(crate) fn story(&self, searcher: &Searcher, id: u64) -> Result<Story> {
        let generation = searcher.generation().generation_id();
        {
            let last = self.stories.last.lock().unwrap_or_else(PoisonError::into_inner);
            if last.0 == generation
                && let Some(story) = last.1.get(&id)
            {
                return Ok(story.clone());
            }
        }
        let story = self.count_story(searcher, id)?;
        let mut last = self.stories.last.lock().unwrap_or_else(PoisonError::into_inner);
        if last.0 != generation || last.1.len() >= REMEMBERED {
            *last = (generation, HashMap::new());
        }
        last.1.insert(id, story.clone());
        Ok(story)
    }

    fn count_story(&self, searcher: &Searcher, id: u64) -> Result<Story> {
        let members = self.members(searcher, id)?;
        let outlets: HashSet<&str> =
            members.iter().filter_map(|m| m.publisher.as_deref()).collect();
        let groups: HashSet<u64> = members.iter().filter_map(|m| m.copy_group).collect();
        let days = || members.iter().filter_map(|m| m.day);
        Ok(Story {
            id,
            reports: members.len() as u64,
            outlets: outlets.len() as u64,
            first_date: days().min().and_then(date::from_tantivy),
            last_date: days().max().and_then(date::from_tantivy),
            independent: groups.len() as u64,
        })
    }

    /// The live reports of story `id`.
    pub(crate) fn members(&self, searcher: &Searcher, id: u64) -> Result<Vec<Member>> {
        let query =
            TermQuery::new(Term::from_field_u64(self.fields.story, id), IndexRecordOption::Basic);
        let weight = query
            .weight(EnableScoring::disabled_from_searcher(searcher))
            .map_err(|e| self.read_error(e))?;
        let mut members = Vec::new();
        let mut names_by_ord: HashMap<(u32, u64), String> = HashMap::new();
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let mut docs = weight.scorer(segment, 1.0).map_err(|e| self.read_error(e))?;
            let fast = segment.fast_fields();
            let dates = fast.date(names::DATE).ok();
            let groups = fast.u64(names::COPY_GROUP).ok();
            let publishers = fast.str(names::PUBLISHER).ok().flatten();
            let alive = segment.alive_bitset();
            let mut doc = docs.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    let publisher = publishers.as_ref().and_then(|column| {
                        let ord = column.term_ords(doc).next()?;
                        let key = (ordinal as u32, ord);
                        if let Some(name) = names_by_ord.get(&key) {
                            return Some(name.clone());
                        }
                        let mut name = String::new();
                        column.ord_to_str(ord, &mut name).ok()?.then_some(())?;
                        names_by_ord.insert(key, name.clone());
                        Some(name)
                    });
                    members.push(Member {
                        address: DocAddress::new(ordinal as u32, doc),
                        day: dates.as_ref().and_then(|c| c.first(doc)),
                        copy_group: groups.as_ref().and_then(|c| c.first(doc)),
                        publisher,
                    });
                }
                doc = docs.advance();
            }
        }
        Ok(members)
    }
}

/// What a story's member says of itself, from fast columns.
pub(crate) struct Member {
    pub(crate) address: DocAddress,
    pub(crate) day: Option<tantivy::DateTime>,
    pub(crate) copy_group: Option<u64>,
    pub(crate) publisher: Option<String>,
}
