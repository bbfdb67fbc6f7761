//! The planning step: a [`Query`] becomes the tantivy query to run and what to highlight.
//!
//! A query's [`Source`] is either text, which `parse` turns into a tantivy query, or a
//! report to find others like, which `similar` does; either way its [`Filters`] are then
//! added as clauses that select without changing the ranking.

use std::ops::Bound;

use dateline_schema::StoredReport;
use jiff::civil::Date;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, Searcher, TantivyDocument, Term};

use crate::highlight::Unit;
use crate::parse::{MAX_QUERY_BYTES, analyze, check_day, to_tantivy};
use crate::query::{Filters, Source};
use crate::skipping;
use crate::tiers::Relaxed;
use crate::{Error, Index, Query, Result};

/// What a search runs: the tantivy query, and the words and phrases to mark in headlines
/// and bodies.
pub(crate) struct Plan {
    pub query: Box<dyn tantivy::query::Query>,
    pub title_units: Vec<Unit>,
    pub body_units: Vec<Unit>,
    /// For a query that tiers, the reports matching most of its words.
    pub relaxed: Option<Relaxed>,
}

impl Index {
    /// Plans `query` against the commit `searcher` sees.
    pub(crate) fn plan(&self, query: &Query, searcher: &Searcher) -> Result<Plan> {
        let mut plan = match &query.source {
            Source::Text(text) => self.plan_text(text, query, searcher)?,
            Source::SimilarTo(path) => self.similar(searcher, self.stored_at(searcher, path)?)?,
            Source::SimilarToNamed(name) => {
                self.similar(searcher, self.stored_named(searcher, name)?)?
            }
        };
        if query.strict {
            plan.relaxed = None;
        }
        let invalid = |reason| Error::Filter { reason };
        plan.query = self.with_filters(plan.query, &query.filters).map_err(invalid)?;
        if let Some(relaxed) = plan.relaxed.as_mut() {
            let unfiltered = std::mem::replace(&mut relaxed.query, Box::new(EmptyQuery));
            let filtered = self.with_filters(unfiltered, &query.filters).map_err(invalid)?;
            relaxed.query = skipping::in_intersections(filtered, searcher);
        }
        plan.query = skipping::in_intersections(plan.query, searcher);
        Ok(plan)
    }

    /// The plan for the reports like `report` (its stored document is not needed: the
    /// report's language fields are searched with its own text).
    fn similar(
        &self,
        searcher: &Searcher,
        (report, _): (StoredReport, TantivyDocument),
    ) -> Result<Plan> {
        crate::similar::similar_to(
            searcher,
            &self.fields,
            (&report.path, report.record.as_deref()),
            &report,
        )
        .map_err(|err| self.read_error(err))
    }

    /// `query`, keeping only the reports `filters` keep, with its ranking unchanged.
    pub(crate) fn with_filters(
        &self,
        query: Box<dyn tantivy::query::Query>,
        filters: &Filters,
    ) -> Result<Box<dyn tantivy::query::Query>, String> {
        let filters = self.filters(filters)?;
        if filters.is_empty() {
            return Ok(query);
        }
        let mut clauses = vec![(Occur::Must, query)];
        // Filters select; they must not change the ranking.
        clauses.extend(
            filters.into_iter().map(|f| (Occur::Must, Box::new(ConstScoreQuery::new(f, 0.0)) as _)),
        );
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    fn plan_text(&self, text: &str, query: &Query, searcher: &Searcher) -> Result<Plan> {
        let invalid = |reason| Error::Query { query: text.to_string(), reason };
        let trimmed = text.trim();
        if trimmed.len() > MAX_QUERY_BYTES {
            return Err(invalid(format!(
                "the query is {} bytes long; the limit is {MAX_QUERY_BYTES}",
                trimmed.len()
            )));
        }
        if trimmed.is_empty() {
            if query.filters.is_empty() {
                return Err(invalid("the query is empty; give words to search for".into()));
            }
            let query = Box::new(AllQuery);
            return Ok(Plan { query, title_units: vec![], body_units: vec![], relaxed: None });
        }
        self.parser.parse_text(trimmed, query.ranking, searcher).map_err(invalid)
    }

    fn filters(&self, filters: &Filters) -> Result<Vec<Box<dyn tantivy::query::Query>>, String> {
        let mut clauses: Vec<Box<dyn tantivy::query::Query>> = Vec::new();
        let date_term =
            |stored: DateTime| Term::from_field_date_for_search(self.fields.date, stored);
        if let (Some(since), Some(until)) = (filters.since, filters.until)
            && since > until
        {
            return Err(format!(
                "the range is empty: since {since} is after until {until}; swap them"
            ));
        }
        if filters.since.is_some() || filters.until.is_some() {
            let since = |reason| format!("since {reason}");
            let until = |reason| format!("until {reason}");
            let lower = match filters.since {
                None => Bound::Unbounded,
                Some(day) => {
                    Bound::Included(date_term(to_tantivy(check_day(day).map_err(since)?)?))
                }
            };
            let upper = match filters.until {
                None => Bound::Unbounded,
                Some(day) => Bound::Excluded(date_term(day_after(check_day(day).map_err(until)?)?)),
            };
            clauses.push(Box::new(RangeQuery::new(lower, upper)));
        }
        if !filters.languages.is_empty() {
            // Any of the languages named; a code is compared as stored (ISO 639-1, lower-case).
            let either: Vec<Box<dyn tantivy::query::Query>> = filters
                .languages
                .iter()
                .map(|code| {
                    let term = Term::from_field_text(self.fields.language, &code.to_lowercase());
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<_>
                })
                .collect();
            clauses.push(Box::new(BooleanQuery::union(either)));
        }
        if !filters.publishers.is_empty() {
            let names = filters.publishers.iter().map(|name| (Occur::Should, self.publisher(name)));
            clauses.push(Box::new(BooleanQuery::new(names.collect())));
        }
        Ok(clauses)
    }

    /// Reports whose publisher's name holds the words of `name`, in order.
    fn publisher(&self, name: &str) -> Box<dyn tantivy::query::Query> {
        let terms: Vec<Term> = analyze(&self.parser.name_analyzer(), name)
            .into_iter()
            .map(|w| Term::from_field_text(self.fields.publisher, &w))
            .collect();
        match terms.len() {
            // A name with no words matches no publisher.
            0 => Box::new(EmptyQuery),
            1 => Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::Basic)),
            _ => Box::new(PhraseQuery::new(terms)),
        }
    }
}

/// Midnight after `day`: the exclusive end of a range that includes `day`. Defined for the
/// last storable day too, as tantivy's dates reach a little past it.
fn day_after(day: Date) -> Result<DateTime, String> {
    let seconds = to_tantivy(day)?.into_timestamp_secs() + 86_400;
    Ok(DateTime::from_timestamp_secs(seconds))
}
