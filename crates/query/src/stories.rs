//! `Index::stories`: the stories a query's reports belong to, each told at a glance: its
//! earliest report, a timeline of its reports, its outlets, and how many of its reports are
//! independent rather than copies (the corroboration).

use std::collections::BTreeMap;

use dateline_schema::{StoredReport, date};
use serde::Serialize;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::story::Member;
use crate::{Corroboration, Date, Distinct, Index, Query, Result, Sort, Story};

/// Most stories a listing ranks before ordering them by date: the stories of the best-ranked
/// reports, not of every report matched.
pub const MAX_STORIES: usize = 100;

/// The stories of a query, newest first unless the query asks for relevance.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Stories {
    /// Reports that matched the query, as [`crate::Results::total`] counts them.
    pub total: usize,
    /// Whether [`Stories::total`] counts every match ([`crate::Results::total_is_exact`]).
    pub total_is_exact: bool,
    /// The stories, one page of them.
    pub stories: Vec<StoryDigest>,
}

/// One story of a listing.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct StoryDigest {
    /// Its id, size, outlets, days and independent reports. In JSON its fields stand beside
    /// the others.
    #[serde(flatten)]
    pub story: Story,
    /// Its reports that are copies of another of its reports (`reports - independent`).
    pub copies: u64,
    /// Its earliest report (the earliest dated; when none is dated, the first indexed).
    pub first_report: StoryReport,
    /// Its report that ranked best for the query.
    pub best_match: StoryReport,
    /// How many of its reports each day holds, earliest first.
    pub timeline: Vec<Day>,
    /// How many of its reports have no date.
    pub undated: u64,
    /// The outlets that carry it, a copy group counting once: the publisher of each copy
    /// group's earliest report, in time order.
    pub corroboration: Corroboration,
}

/// A report of a story, as a listing names it.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct StoryReport {
    /// Its name in the index (what [`Index::report`] takes).
    pub name: String,
    /// Its headline, or its shortened lead.
    pub title: String,
    /// Its date.
    pub date: Option<Date>,
    /// Its outlet.
    pub publisher: Option<String>,
}

/// A day of a story's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Day {
    /// The day.
    pub date: Date,
    /// Its reports that day.
    pub reports: u64,
}

impl Index {
    /// The stories `query`'s best-ranked reports belong to (at most [`MAX_STORIES`] are
    /// considered), one page of them (`limit`, `offset`): newest story first (by its latest
    /// report), or by their best report's rank when the query's order is
    /// [`Sort::Relevance`] set explicitly; [`Sort::Oldest`] puts the earliest first.
    pub fn stories(&self, query: &Query) -> Result<Stories> {
        let order = query.sort;
        let ranked = query
            .clone()
            .sort(Sort::Relevance)
            .distinct(Distinct::Story)
            .offset(0)
            .limit(MAX_STORIES)
            .passages(0);
        let results = self.search(&ranked)?;
        let searcher = self.reader.searcher();
        let mut stories = Vec::with_capacity(results.hits.len());
        for hit in &results.hits {
            let best_match = StoryReport {
                name: hit.attribution.name.clone(),
                title: hit.attribution.title.clone(),
                date: hit.attribution.date,
                publisher: hit.attribution.publisher.clone(),
            };
            stories.push(self.digest(&searcher, hit.story.clone(), best_match)?);
        }
        match order {
            Some(Sort::Relevance) => {}
            Some(Sort::Oldest) => {
                stories.sort_by_key(|s| (s.story.first_date.is_none(), s.story.first_date))
            }
            Some(Sort::Newest) | None => stories.sort_by(|a, b| {
                (a.story.last_date.is_none(), std::cmp::Reverse(a.story.last_date))
                    .cmp(&(b.story.last_date.is_none(), std::cmp::Reverse(b.story.last_date)))
            }),
        }
        let stories = stories.into_iter().skip(query.offset).take(query.limit).collect();
        Ok(Stories { total: results.total, total_is_exact: results.total_is_exact, stories })
    }

    /// `story` told at a glance: its members read from fast columns, its earliest report
    /// from the doc store.
    fn digest(
        &self,
        searcher: &Searcher,
        story: Story,
        best_match: StoryReport,
    ) -> Result<StoryDigest> {
        let members = self.members(searcher, story.id)?;
        let mut timeline: BTreeMap<Date, u64> = BTreeMap::new();
        let mut undated = 0;
        for member in &members.list {
            match member.day.and_then(date::from_tantivy) {
                Some(day) => *timeline.entry(day).or_default() += 1,
                None => undated += 1,
            }
        }
        // Earliest first, undated last, then in index order: the story's first report leads.
        let mut by_time: Vec<&Member> = members.list.iter().collect();
        by_time.sort_by_key(|m| (m.day.is_none(), m.day, m.address));
        let first = match by_time.first() {
            Some(member) => self.named(searcher, member.address)?,
            None => best_match.clone(),
        };
        let tally = Corroboration::tally(
            by_time.iter().map(|member| (member.copy_group, members.publisher(member))),
        );
        // The story's own count of independent reports is the one its header shows.
        let independent = story.independent;
        Ok(StoryDigest {
            copies: story.reports.saturating_sub(independent),
            story,
            first_report: first,
            best_match,
            timeline: timeline.into_iter().map(|(date, reports)| Day { date, reports }).collect(),
            undated,
            corroboration: Corroboration { independent: independent as usize, ..tally },
        })
    }

    /// How a listing names the report at `address`.
    fn named(&self, searcher: &Searcher, address: DocAddress) -> Result<StoryReport> {
        let doc: TantivyDocument = self.doc(searcher, address)?;
        let report = StoredReport::from_document(&doc, &self.fields);
        Ok(StoryReport {
            name: self.name_of(&report),
            title: report.title.text().to_string(),
            date: report.date,
            publisher: report.publisher,
        })
    }
}
