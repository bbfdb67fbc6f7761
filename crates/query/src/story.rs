//! A hit's story: how many reports the index holds about the same event, from how many
//! outlets, over which days, and how many of them are independent (a copy group counts once).

use std::collections::HashSet;

use dateline_schema::{date, names};
use serde::{Serialize, Serializer};
use tantivy::query::{EnableScoring, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Searcher, TERMINATED, Term};

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
    /// never from stored documents.
    pub(crate) fn story(&self, searcher: &Searcher, id: u64) -> Result<Story> {
        let query =
            TermQuery::new(Term::from_field_u64(self.fields.story, id), IndexRecordOption::Basic);
        let weight = query
            .weight(EnableScoring::disabled_from_searcher(searcher))
            .map_err(|e| self.read_error(e))?;
        let mut story = Story { id, ..Story::default() };
        let mut outlets = HashSet::new();
        let mut groups = HashSet::new();
        let (mut first, mut last) = (None, None);
        let mut name = String::new();
        for segment in searcher.segment_readers() {
            let mut docs = weight.scorer(segment, 1.0).map_err(|e| self.read_error(e))?;
            let fast = segment.fast_fields();
            let dates = fast.date(names::DATE).ok();
            let copy_groups = fast.u64(names::COPY_GROUP).ok();
            let publishers = fast.str(names::PUBLISHER).ok().flatten();
            let alive = segment.alive_bitset();
            let mut doc = docs.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    story.reports += 1;
                    if let Some(day) = dates.as_ref().and_then(|c| c.first(doc)) {
                        first = Some(first.map_or(day, |f: tantivy::DateTime| f.min(day)));
                        last = Some(last.map_or(day, |l: tantivy::DateTime| l.max(day)));
                    }
                    if let Some(group) = copy_groups.as_ref().and_then(|c| c.first(doc)) {
                        groups.insert(group);
                    }
                    if let Some(ord) = publishers.as_ref().and_then(|c| c.term_ords(doc).next())
                        && publishers
                            .as_ref()
                            .is_some_and(|c| c.ord_to_str(ord, &mut name).unwrap_or(false))
                    {
                        outlets.insert(name.clone());
                    }
                }
                doc = docs.advance();
            }
        }
        story.outlets = outlets.len() as u64;
        story.independent = groups.len() as u64;
        story.first_date = first.and_then(date::from_tantivy);
        story.last_date = last.and_then(date::from_tantivy);
        Ok(story)
    }
}

impl Index {
    /// As [`Index::ranked`], keeping only the best-ranked report of each story, `wanted` of
    /// them: more of the ranking is read until that many stories are found or it runs out.
    pub(crate) fn ranked_one_per_story(
        &self,
        query: &crate::Query,
        searcher: &Searcher,
        budget: &std::sync::Arc<crate::budget::Budget>,
        plan: &crate::plan::Plan,
        wanted: usize,
    ) -> Result<crate::search::Ranked> {
        // As deep as collapsing copies goes, no deeper: a page of a million-report story
        // must not rank the whole index.
        let all = (searcher.num_docs() as usize).min(crate::MAX_COLLAPSE_DEPTH.max(wanted));
        let mut reading = wanted.saturating_mul(4).max(50).min(all);
        loop {
            let mut ranked = self.ranked(query, searcher, budget, plan, wanted, reading)?;
            let read = ranked.hits.len();
            let mut seen = HashSet::new();
            ranked.hits.retain(|(_, address, _)| {
                let column =
                    searcher.segment_reader(address.segment_ord).fast_fields().u64(names::STORY);
                // A report without a story (it cannot happen in a v4 index) stands alone.
                let story = column.ok().and_then(|c| c.first(address.doc_id));
                story.is_none_or(|story| seen.insert(story))
            });
            if ranked.hits.len() >= wanted || read < reading || reading >= all {
                ranked.hits.truncate(wanted);
                return Ok(ranked);
            }
            reading = reading.saturating_mul(4).min(all);
        }
    }
}
