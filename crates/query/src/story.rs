//! A hit's story: how many reports the index holds about the same event, from how many
//! outlets, over which days, and how many of them are independent (a copy group counts once).

use std::collections::{HashMap, HashSet};

use dateline_schema::date;
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

impl Index {
    /// The story `id` as `searcher`'s commit holds it: its reports read from fast columns,
    /// never from stored documents, once per commit.
    pub(crate) fn story(&self, searcher: &Searcher, id: u64) -> Result<Story> {
        self.stories.get_or(searcher, id, || self.count_story(searcher, id))
    }

    fn count_story(&self, searcher: &Searcher, id: u64) -> Result<Story> {
        let members = self.members(searcher, id)?;
        let groups: HashSet<u64> = members.list.iter().filter_map(|m| m.copy_group).collect();
        let days = || members.list.iter().filter_map(|m| m.day);
        Ok(Story {
            id,
            reports: members.list.len() as u64,
            outlets: members.outlets.len() as u64,
            first_date: days().min().and_then(date::from_tantivy),
            last_date: days().max().and_then(date::from_tantivy),
            independent: groups.len() as u64,
        })
    }

    /// The live reports of story `id`. A story can hold a good part of the index, so no
    /// member owns text: each outlet's name is read once a segment and kept once.
    pub(crate) fn members(&self, searcher: &Searcher, id: u64) -> Result<Members> {
        let query =
            TermQuery::new(Term::from_field_u64(self.fields.story, id), IndexRecordOption::Basic);
        let weight = query
            .weight(EnableScoring::disabled_from_searcher(searcher))
            .map_err(|e| self.read_error(e))?;
        let mut members = Members::default();
        let mut outlet_of_name: HashMap<String, u32> = HashMap::new();
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let mut docs = weight.scorer(segment, 1.0).map_err(|e| self.read_error(e))?;
            if docs.doc() == TERMINATED {
                continue;
            }
            // Opened once a segment for every story and copy group a search lists.
            let columns = self.columns(searcher, ordinal as u32)?;
            let (dates, groups, publishers) =
                (&columns.date, &columns.copy_group, &columns.publisher);
            let alive = segment.alive_bitset();
            // The segment's publisher ordinals, as outlets of the story.
            let mut outlet_of_ord: HashMap<u64, Option<u32>> = HashMap::new();
            let mut doc = docs.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    let publisher = publishers.as_ref().and_then(|column| {
                        let ord = column.term_ords(doc).next()?;
                        *outlet_of_ord.entry(ord).or_insert_with(|| {
                            let mut name = String::new();
                            column.ord_to_str(ord, &mut name).ok()?.then_some(())?;
                            let next = members.outlets.len() as u32;
                            Some(*outlet_of_name.entry(name).or_insert_with_key(|name| {
                                members.outlets.push(name.clone());
                                next
                            }))
                        })
                    });
                    members.list.push(Member {
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

/// A story's live reports, and the outlets that published them.
#[derive(Default)]
pub(crate) struct Members {
    pub(crate) list: Vec<Member>,
    /// Each distinct outlet once, in the order first met; [`Member::publisher`] indexes it.
    pub(crate) outlets: Vec<String>,
}

impl Members {
    /// The name of the outlet that published `member`.
    pub(crate) fn publisher(&self, member: &Member) -> Option<&str> {
        member.publisher.map(|at| self.outlets[at as usize].as_str())
    }
}

/// What a story's member says of itself, from fast columns.
pub(crate) struct Member {
    pub(crate) address: DocAddress,
    pub(crate) day: Option<tantivy::DateTime>,
    pub(crate) copy_group: Option<u64>,
    /// Its outlet, as an index into [`Members::outlets`].
    pub(crate) publisher: Option<u32>,
}
