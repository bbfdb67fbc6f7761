//! Which story a new report joins ([`dateline_stories`]), found among the stories the last
//! commit holds and those this run has started or joined.
//!
//! The committed stories a report could join are found by a top-k search of the last commit
//! for the report's strongest words, within days of its date, and their centroids are
//! rebuilt from a few of their reports as the commit holds them: so the cost of placing a
//! report does not grow with the index, and a story whose reports were removed or changed is
//! seen as it now is. Nothing is kept beside the index: a run that is killed leaves the last
//! commit as it was, and the next run places the reports again.

use std::collections::HashSet;
use std::ops::Bound;

use dateline_schema::{Fields, StoredReport, date};
use dateline_stories::terms::terms;
use dateline_stories::{Centroid, Params, Stories, Terms, Weigher};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

/// How many of the commit's best-matching reports are looked at for candidate stories.
const HITS: usize = 10;
/// How many of a committed story's reports its centroid is rebuilt from.
const MEMBERS: usize = 20;
/// The most stories a run keeps in memory (see [`Stories`]).
const CAPACITY: usize = 50_000;

/// Places reports in stories, for one run.
pub(crate) struct StoryPlacer {
    commit: Option<(Searcher, Fields)>,
    docs: u64,
    weigher: Weigher,
    stories: Stories,
}

impl StoryPlacer {
    /// A placer over `index` as last committed.
    pub(crate) fn new(index: &tantivy::Index) -> StoryPlacer {
        // An index that cannot be read (a fresh one, a schema of another version) has no
        // stories to join; the run still places its own reports.
        let commit = Fields::from_schema(&index.schema()).ok().and_then(|fields| {
            let reader = index
                .reader_builder()
                .reload_policy(tantivy::ReloadPolicy::Manual)
                .try_into()
                .ok()?;
            let searcher: Searcher = tantivy::IndexReader::searcher(&reader);
            Some((searcher, fields))
        });
        let docs = commit.as_ref().map_or(0, |(searcher, _)| searcher.num_docs());
        StoryPlacer {
            commit: commit.filter(|_| docs > 0),
            docs,
            weigher: Weigher::new(),
            stories: Stories::new(Params::default(), CAPACITY),
        }
    }

    /// A placer that reads no commit.
    pub(crate) fn fresh() -> StoryPlacer {
        StoryPlacer {
            commit: None,
            docs: 0,
            weigher: Weigher::new(),
            stories: Stories::new(Params::default(), CAPACITY),
        }
    }

    /// The story `report` joins, or the one it starts. `copied` is the story of the report
    /// it is a copy of, if it is one: a copy is the same text, so it joins that story
    /// unscored when its date is within the story's window (scoring it against every
    /// candidate story was most of what placing a report cost, and most reports of a news
    /// collection are copies). A copy from outside the window is placed as any report is.
    pub(crate) fn place(
        &mut self,
        report: &StoredReport,
        terms: Terms,
        copied: Option<u64>,
    ) -> u64 {
        let day = report.date.and_then(day_number);
        let features = match &self.commit {
            Some((searcher, fields)) => {
                let df = |word: &str| {
                    searcher.doc_freq(&Term::from_field_text(fields.body, word)).unwrap_or(0)
                };
                self.weigher.weigh(&terms, self.docs, df)
            }
            None => self.weigher.weigh(&terms, 0, |_| 0),
        };
        if let Some(story) = copied
            && self.known(story)
            && self.stories.may_join(story, day)
        {
            self.stories.join(story, &features, day);
            return story;
        }
        let committed = self.committed_candidates(&features.top_words, day);
        self.stories.place(&features, day, story_id(report), &committed).story
    }

    /// Whether `story` is known to this run, loading it from the last commit if it is there.
    fn known(&mut self, story: u64) -> bool {
        if self.stories.contains(story) {
            return true;
        }
        let Some((searcher, fields)) = &self.commit else { return false };
        let centroid = centroid(searcher, fields, &self.weigher, self.docs, story);
        if centroid.members() == 0 {
            return false;
        }
        self.stories.insert(story, centroid);
        true
    }

    /// The committed stories whose reports best match `words` near `day`, each made known
    /// to `self.stories` with its centroid.
    fn committed_candidates(&mut self, words: &[String], day: Option<i32>) -> Vec<u64> {
        let Some((searcher, fields)) = &self.commit else { return Vec::new() };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .take(8)
            .map(|word| {
                let term = Term::from_field_text(fields.body, word);
                (Occur::Should, Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as _)
            })
            .collect();
        if clauses.is_empty() {
            return Vec::new();
        }
        if let Some(day) = day {
            let window = Params::default().window_days;
            let at = |offset: i32| {
                let secs = (i64::from(day) + i64::from(offset)) * 86_400;
                Term::from_field_date_for_search(
                    fields.date,
                    tantivy::DateTime::from_timestamp_secs(secs),
                )
            };
            let range = RangeQuery::new(Bound::Included(at(-window)), Bound::Included(at(window)));
            clauses = vec![
                (Occur::Must, Box::new(BooleanQuery::new(clauses)) as _),
                (Occur::Must, Box::new(range) as _),
            ];
        }
        let query = BooleanQuery::new(clauses);
        let Ok(hits) = searcher.search(&query, &TopDocs::with_limit(HITS).order_by_score()) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        let mut seen = HashSet::new();
        for (_, address) in hits {
            let Some(story) = stored_u64(searcher, address, fields.story) else { continue };
            if !seen.insert(story) {
                continue;
            }
            if !self.stories.contains(story) {
                let centroid = centroid(searcher, fields, &self.weigher, self.docs, story);
                self.stories.insert(story, centroid);
            }
            found.push(story);
        }
        found
    }
}

/// A committed story's centroid, from up to [`MEMBERS`] of its reports.
fn centroid(
    searcher: &Searcher,
    fields: &Fields,
    weigher: &Weigher,
    docs: u64,
    story: u64,
) -> Centroid {
    let mut centroid = Centroid::new();
    let query = TermQuery::new(Term::from_field_u64(fields.story, story), IndexRecordOption::Basic);
    let Ok(members) = searcher.search(&query, &TopDocs::with_limit(MEMBERS).order_by_score())
    else {
        return centroid;
    };
    let df = |word: &str| searcher.doc_freq(&Term::from_field_text(fields.body, word)).unwrap_or(0);
    for (_, address) in members {
        let Ok(doc) = searcher.doc::<TantivyDocument>(address) else { continue };
        let member = StoredReport::from_document(&doc, fields);
        let features = weigher.features(&terms(member.title.text(), &member.body), docs, df);
        centroid.add(&features, member.date.and_then(day_number));
    }
    centroid
}

fn stored_u64(
    searcher: &Searcher,
    address: tantivy::DocAddress,
    field: tantivy::schema::Field,
) -> Option<u64> {
    let reader = searcher.segment_reader(address.segment_ord);
    let name = searcher.schema().get_field_name(field);
    let column = reader.fast_fields().u64(name).ok()?;
    column.first(address.doc_id)
}

/// The id of a story `report` starts: a hash of its headline, body and date, so that the
/// same reports indexed anywhere (another folder, another machine) get the same ids. Two
/// reports with one text and date would be one story anyway.
pub(super) fn story_id(report: &StoredReport) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(report.title.text().as_bytes());
    hasher.update(b"\0");
    hasher.update(report.body.as_bytes());
    hasher.update(b"\0");
    hasher.update(report.date.map(|d| d.to_string()).unwrap_or_default().as_bytes());
    hasher.digest()
}

/// Days since the Unix epoch of a day the index can hold.
fn day_number(day: jiff::civil::Date) -> Option<i32> {
    let stored = date::to_tantivy(day)?;
    i32::try_from(stored.into_timestamp_secs().div_euclid(86_400)).ok()
}
