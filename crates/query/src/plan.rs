//! The planning step: a [`Query`] becomes the tantivy query to run and what to highlight.
//!
//! A query's [`Source`] is either text, which `parse` turns into a tantivy query, or a
//! report to find others like, which `similar` does; either way its [`Filters`] are then
//! added as clauses that select without changing the ranking.

use std::ops::Bound;

use jiff::civil::Date;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, Searcher, Term};

use crate::highlight::Unit;
use crate::parse::{MAX_QUERY_BYTES, analyze, check_day, to_tantivy};
use crate::query::{Filters, Source};
use crate::{Error, Index, Query, Result};

/// What a search runs: the tantivy query, and the words and phrases to mark in headlines
/// and bodies.
pub(crate) struct Plan {
    pub query: Box<dyn tantivy::query::Query>,
    pub title_units: Vec<Unit>,
    pub body_units: Vec<Unit>,
}

impl Index {
    /// Plans `query` against the commit `searcher` sees.
    pub(crate) fn plan(&self, query: &Query, searcher: &Searcher) -> Result<Plan> {
        let mut plan = match &query.source {
            Source::Text(text) => self.plan_text(text, query, searcher)?,
            Source::SimilarTo(path) => {
                let (report, doc) = self.stored_at(searcher, path)?;
                crate::similar::similar_to(
                    searcher,
                    &self.fields,
                    &self.parser.text_analyzer(),
                    (&report.path, report.record.as_deref()),
                    &doc,
                )
                .map_err(|err| self.read_error(err))?
            }
        };
        let invalid = |reason| Error::Query { query: describe(&query.source), reason };
        let filters = self.filters(&query.filters).map_err(invalid)?;
        if !filters.is_empty() {
            let mut clauses = vec![(Occur::Must, plan.query)];
            // Filters select; they must not change the ranking.
            clauses.extend(
                filters
                    .into_iter()
                    .map(|f| (Occur::Must, Box::new(ConstScoreQuery::new(f, 0.0)) as Box<_>)),
            );
            plan.query = Box::new(BooleanQuery::new(clauses));
        }
        Ok(plan)
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
            return Ok(Plan { query: Box::new(AllQuery), title_units: vec![], body_units: vec![] });
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
            let lower = match filters.since {
                None => Bound::Unbounded,
                Some(day) => Bound::Included(date_term(to_tantivy(check_day(day)?)?)),
            };
            let upper = match filters.until {
                None => Bound::Unbounded,
                Some(day) => Bound::Excluded(date_term(day_after(check_day(day)?)?)),
            };
            clauses.push(Box::new(RangeQuery::new(lower, upper)));
        }
        if let Some(name) = &filters.publisher {
            let terms: Vec<Term> = analyze(&self.parser.name_analyzer(), name)
                .into_iter()
                .map(|w| Term::from_field_text(self.fields.publisher, &w))
                .collect();
            clauses.push(match terms.len() {
                // A name with no words matches no publisher.
                0 => Box::new(EmptyQuery),
                1 => Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::Basic)),
                _ => Box::new(PhraseQuery::new(terms)),
            });
        }
        Ok(clauses)
    }
}

/// Midnight after `day`: the exclusive end of a range that includes `day`. Defined for the
/// last storable day too, as tantivy's dates reach a little past it.
fn day_after(day: Date) -> Result<DateTime, String> {
    let seconds = to_tantivy(day)?.into_timestamp_secs() + 86_400;
    Ok(DateTime::from_timestamp_secs(seconds))
}

/// How a query is named in an error message.
fn describe(source: &Source) -> String {
    match source {
        Source::Text(text) => text.clone(),
        Source::SimilarTo(path) => format!("like {}", path.display()),
    }
}
