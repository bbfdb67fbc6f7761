//! "Reports like this one": a more-like-this query built from a report's own words.
//!
//! The report's headline and body are analyzed as at index time; each word is weighed by
//! tf·idf (a headline word counts double), and the best [`MAX_TERMS`] become an OR query of
//! term queries on headline and body, each boosted by its weight, ranked by BM25. This is
//! what tantivy's `MoreLikeThisQuery` does, done here because that query does not say which
//! words it chose, and the passages mark them. Three rules keep the query about the story
//! rather than about English: stop words are dropped, words in more than [`MAX_DOC_SHARE`]
//! of the reports are dropped (they say nothing about any one story; in a corpus of under 20
//! reports, words in all of them), and words found in no other report are dropped (they
//! cannot find anything).

use std::collections::HashMap;

use dateline_schema::Fields;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, TantivyDocument, Term};

use crate::highlight::Unit;
use crate::plan::Plan;
use crate::stop_words::is_story_neutral;

/// Words of the query.
const MAX_TERMS: usize = 30;
/// Words found in more than this share of the reports are left out.
const MAX_DOC_SHARE: f64 = 0.3;
/// A headline word counts as this many body words.
const TITLE_WEIGHT: usize = 2;

/// The query for reports like `doc`, stored under `key` (its path and record), excluding
/// that report itself.
pub(crate) fn similar_to(
    searcher: &Searcher,
    fields: &Fields,
    analyzer: &TextAnalyzer,
    key: (&str, Option<&str>),
    doc: &TantivyDocument,
) -> tantivy::Result<Plan> {
    let this = Term::from_field_text(fields.path, key.0);
    let mut this: Box<dyn tantivy::query::Query> =
        Box::new(TermQuery::new(this, IndexRecordOption::Basic));
    if let Some(record) = key.1 {
        // Only this record: the other reports of its file may well be like it.
        let record = Term::from_field_text(fields.record, record);
        this = Box::new(BooleanQuery::intersection(vec![
            this,
            Box::new(TermQuery::new(record, IndexRecordOption::Basic)),
        ]));
    }
    let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();

    let mut frequencies: HashMap<String, usize> = HashMap::new();
    for (field, weight) in [(fields.title, TITLE_WEIGHT), (fields.body, 1)] {
        let mut analyzer = analyzer.clone();
        let value = text(field);
        let mut stream = analyzer.token_stream(&value);
        while stream.advance() {
            let word = &stream.token().text;
            if word.len() >= 2 && !is_story_neutral(word) {
                *frequencies.entry(word.clone()).or_default() += weight;
            }
        }
    }
    let reports = searcher.num_docs().max(1) as f64;
    let mut scored = Vec::new();
    for (word, frequency) in frequencies {
        let in_bodies = searcher.doc_freq(&Term::from_field_text(fields.body, &word))?;
        let in_titles = searcher.doc_freq(&Term::from_field_text(fields.title, &word))?;
        let df = in_bodies.max(in_titles) as f64;
        // Found nowhere else (df 1: only here) or almost everywhere: no help in finding a story.
        // (A handful of reports has no "almost everywhere" but everywhere.)
        let common = if reports < 20.0 { df >= reports } else { df / reports > MAX_DOC_SHARE };
        if df < 2.0 || common {
            continue;
        }
        let idf = (reports / df).ln();
        scored.push((frequency as f64 * idf, word));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.truncate(MAX_TERMS);

    let best = scored.first().map_or(1.0, |(score, _)| *score);
    let mut clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> = Vec::new();
    for (score, word) in &scored {
        for (field, boost) in [(fields.body, 1.0), (fields.title, TITLE_WEIGHT as f64)] {
            let term =
                TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs);
            let weight = (score / best * boost) as f32;
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(term), weight))));
        }
    }
    let units: Vec<Unit> = scored.into_iter().map(|(_, word)| Unit::Term(word)).collect();
    let query = BooleanQuery::new(vec![
        (Occur::Must, Box::new(BooleanQuery::new(clauses)) as Box<dyn tantivy::query::Query>),
        (Occur::MustNot, this),
    ]);
    Ok(Plan {
        query: Box::new(query),
        title_units: units.clone(),
        body_units: units,
        relaxed: None,
    })
}
