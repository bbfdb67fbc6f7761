//! Unions that skip: a word looked for in several fields (its exact `title` and `body`, and
//! each language's), when it is one of several required words.
//!
//! tantivy runs a union of clauses as a buffered union: each time it moves past a window of
//! 4,096 documents it reads and scores every posting of every clause inside the next one.
//! That is the fastest way to walk a union alone (and a union of bare words alone keeps
//! block-max WAND, so it is left as it is), but in an intersection (`bank of england`, a word
//! and a date range, a word and an exclusion) the union is mostly *sought*: the rarest
//! clause leads and the others are asked for one document at a time. A buffered union then
//! scores the postings of a whole window for each document asked, so a rare word beside a
//! common one costs every posting of the common one. [`SkippingUnion`] seeks each of its
//! clauses instead (their skip lists jump over what is not asked for) and scores only the
//! document it stands on; only a union far larger than its leader is made one ([`SPARSER`]).
//! It sums its clauses' scores in clause order, as tantivy's union does. (An intersection of
//! three or more scoring clauses adds them in the order of their costs, which can differ from
//! a buffered union's in a segment of fewer than 4,096 documents, so a score there may differ
//! in its last bit.)

use tantivy::query::{
    BooleanQuery, EmptyScorer, EnableScoring, Explanation, Occur, Query, QueryClone, Scorer, Weight,
};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, Term};

/// Widest union made to skip: past it a buffered union's one pass over all postings costs
/// less than looking at every clause for each document. A word's union is one clause per
/// field it is searched in: a few, or a few dozen in an index of many languages.
const MAX_CLAUSES: usize = 48;

/// How many times more documents a union must hold than the clause leading its
/// intersection before it is made to skip. Where the two are of a size, the leader asks for
/// documents close together, and a buffered union, which has scored their window already,
/// answers faster than seeks (measured on the harness's queries at 10x and 100x: `interest
/// rates cut`, three common words, took 1.4x as long when its unions all skipped).
const SPARSER: u64 = 8;

/// `query` with every union of several clauses that an intersection or an exclusion seeks
/// among documents far apart (its leader is [`SPARSER`] times rarer) replaced by a
/// [`SkippingUnion`] of the same clauses, at any depth. Sizes are `searcher`'s document
/// frequencies, read only where a union could be made to skip.
pub(crate) fn in_intersections(query: Box<dyn Query>, searcher: &Searcher) -> Box<dyn Query> {
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return query;
    };
    let at_least = boolean.get_minimum_number_should_match();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = boolean
        .clauses()
        .iter()
        .map(|(occur, clause)| (*occur, in_intersections(clause.box_clone(), searcher)))
        .collect();
    let count = |wanted: Occur| clauses.iter().filter(|(occur, _)| *occur == wanted).count();
    let (must, optional) = (count(Occur::Must), count(Occur::Should));
    // A clause is sought when another one leads: in an intersection (two required clauses,
    // or one and the only optional one when one optional clause must match), beside required
    // ones when it is the only optional clause (tantivy seeks it; several optional clauses
    // are walked as one buffered union of them, which advances each), or when it excludes.
    // A lone required or optional union leads, and keeps its own walk.
    let sought = |occur: Occur| match occur {
        Occur::MustNot => must + optional > 0,
        Occur::Must => must >= 2 || (must == 1 && optional == 1 && at_least >= 1),
        Occur::Should => must >= 1 && optional == 1,
    };
    let unions: Vec<(usize, Vec<Box<dyn Query>>)> = clauses
        .iter()
        .enumerate()
        .filter(|(_, (occur, _))| sought(*occur))
        .filter_map(|(at, (_, clause))| Some((at, plain_union(clause.as_ref())?)))
        .collect();
    if !unions.is_empty() {
        let sizes: Vec<u64> =
            clauses.iter().map(|(_, clause)| estimate(clause.as_ref(), searcher)).collect();
        let leader = combined(&clauses, at_least, |at| sizes[at]);
        for (at, union) in unions {
            if sizes[at] >= leader.saturating_mul(SPARSER) {
                clauses[at].1 = Box::new(SkippingUnion::new(union));
            }
        }
    }
    let mut rebuilt = BooleanQuery::new(clauses);
    rebuilt.set_minimum_number_should_match(at_least);
    Box::new(rebuilt)
}

/// About how many documents `query` matches, from its words' document frequencies: a
/// union's clauses add up, an intersection is its rarest required clause, a phrase its
/// rarest word; a query of no words (a date range, every report) may match them all.
fn estimate(query: &dyn Query, searcher: &Searcher) -> u64 {
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        let clauses = boolean.clauses();
        let at_least = boolean.get_minimum_number_should_match();
        return combined(clauses, at_least, |at| estimate(clauses[at].1.as_ref(), searcher));
    }
    if let Some(union) = query.downcast_ref::<SkippingUnion>() {
        let sizes = union.clauses().iter().map(|clause| estimate(clause.as_ref(), searcher));
        return sizes.fold(0, u64::saturating_add);
    }
    let mut rarest: Option<u64> = None;
    query.query_terms(&mut |term, _| {
        let frequency = searcher.doc_freq(term).unwrap_or(u64::MAX);
        rarest = Some(rarest.map_or(frequency, |r| r.min(frequency)));
    });
    rarest.unwrap_or_else(|| searcher.num_docs())
}

/// The size of a boolean query of `clauses`, the `at`-th of size `size(at)`: its rarest
/// required clause (optional ones count as required when every one of them must match),
/// else the sum of its optional ones. It is also what leads when the query is run.
fn combined(
    clauses: &[(Occur, Box<dyn Query>)],
    at_least: usize,
    size: impl Fn(usize) -> u64,
) -> u64 {
    let optional = clauses.iter().filter(|(occur, _)| *occur == Occur::Should).count();
    let (mut rarest, mut sum): (Option<u64>, u64) = (None, 0);
    for (at, (occur, _)) in clauses.iter().enumerate() {
        let required = match occur {
            Occur::Must => true,
            Occur::Should => at_least >= optional,
            Occur::MustNot => continue,
        };
        let size = size(at);
        match required {
            true => rarest = Some(rarest.map_or(size, |r| r.min(size))),
            false => sum = sum.saturating_add(size),
        }
    }
    rarest.unwrap_or(sum)
}

/// The clauses of `query` when it is a plain union of several (any of them matches, each
/// adds its score) that a [`SkippingUnion`] may take.
fn plain_union(query: &dyn Query) -> Option<Vec<Box<dyn Query>>> {
    let boolean = query.downcast_ref::<BooleanQuery>()?;
    let clauses = boolean.clauses();
    let plain = clauses.iter().all(|(occur, _)| *occur == Occur::Should)
        && boolean.get_minimum_number_should_match() <= 1;
    (plain && (2..=MAX_CLAUSES).contains(&clauses.len()))
        .then(|| clauses.iter().map(|(_, clause)| clause.box_clone()).collect())
}

/// The documents matching any of its clauses, scored by the sum of the clauses' scores,
/// found by seeking each clause: see the [module](self).
#[derive(Debug)]
pub(crate) struct SkippingUnion {
    clauses: Vec<Box<dyn Query>>,
}

impl SkippingUnion {
    pub(crate) fn new(clauses: Vec<Box<dyn Query>>) -> SkippingUnion {
        SkippingUnion { clauses }
    }

    pub(crate) fn clauses(&self) -> &[Box<dyn Query>] {
        &self.clauses
    }
}

impl Clone for SkippingUnion {
    fn clone(&self) -> SkippingUnion {
        SkippingUnion::new(self.clauses.iter().map(|clause| clause.box_clone()).collect())
    }
}

impl Query for SkippingUnion {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|clause| clause.weight(scoring))
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(SkippingUnionWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for clause in &self.clauses {
            clause.query_terms(visitor);
        }
    }
}

struct SkippingUnionWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for SkippingUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.weights.len());
        for weight in &self.weights {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                scorers.push(scorer);
            }
        }
        // A segment holding the word in one field only gets that field's scorer bare, as
        // tantivy's union gives it: an intersection of bare words is then pruned by
        // block-max WAND, and an empty one is known to be empty.
        Ok(match scorers.len() {
            0 => Box::new(EmptyScorer),
            1 => scorers.pop().expect("one scorer"),
            _ => Box::new(SkippingUnionScorer::new(scorers)),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document #({doc}) does not match"
            )));
        }
        let mut explanation = Explanation::new("sum of", scorer.score());
        for weight in &self.weights {
            if let Ok(detail) = weight.explain(reader, doc) {
                explanation.add_detail(detail);
            }
        }
        Ok(explanation)
    }
}

struct SkippingUnionScorer {
    /// The clauses not yet exhausted, in clause order (the order their scores are added).
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl SkippingUnionScorer {
    fn new(mut scorers: Vec<Box<dyn Scorer>>) -> SkippingUnionScorer {
        scorers.retain(|scorer| scorer.doc() != TERMINATED);
        let mut union = SkippingUnionScorer { scorers, doc: TERMINATED };
        union.settle();
        union
    }

    /// Stands on the lowest document any clause stands on.
    fn settle(&mut self) -> DocId {
        self.scorers.retain(|scorer| scorer.doc() != TERMINATED);
        self.doc = self.scorers.iter().map(|scorer| scorer.doc()).min().unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for SkippingUnionScorer {
    fn advance(&mut self) -> DocId {
        let doc = self.doc;
        for scorer in &mut self.scorers {
            if scorer.doc() == doc {
                scorer.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for scorer in &mut self.scorers {
            if scorer.doc() < target {
                scorer.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers.iter().map(|scorer| scorer.size_hint()).fold(0, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.scorers.iter().map(|scorer| scorer.cost()).sum()
    }
}

impl Scorer for SkippingUnionScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut score = 0.0;
        for scorer in &mut self.scorers {
            if scorer.doc() == doc {
                score += scorer.score();
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{QueryParser, TermQuery};
    use tantivy::schema::{IndexRecordOption, STORED, Schema, TEXT};
    use tantivy::{DocAddress, Index, IndexWriter, doc};

    use super::*;

    /// Four hundred documents of two fields: `a` is common (every other title, every third
    /// body), `b` less so (every fifth body), `r` rare (every 37th title, every 50th body).
    fn index() -> (Index, QueryParser) {
        let mut schema = Schema::builder();
        let title = schema.add_text_field("title", TEXT | STORED);
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for n in 0..400u32 {
            let words = |every: &[(u32, &str)]| {
                let found = every.iter().filter(|(step, _)| n % step == 0).map(|(_, word)| *word);
                format!("filler {}", found.collect::<Vec<_>>().join(" "))
            };
            let (in_title, in_body) =
                (words(&[(2, "a"), (37, "r")]), words(&[(3, "a"), (5, "b"), (50, "r")]));
            writer.add_document(doc!(title => in_title, body => in_body)).unwrap();
        }
        writer.commit().unwrap();
        let mut parser = QueryParser::for_index(&index, vec![title, body]);
        parser.set_conjunction_by_default();
        (index, parser)
    }

    fn top(index: &Index, query: &dyn Query) -> Vec<(Score, DocId)> {
        let searcher = index.reader().unwrap().searcher();
        let hits = searcher.search(query, &TopDocs::with_limit(400).order_by_score()).unwrap();
        hits.into_iter().map(|(score, at)| (score, at.doc_id)).collect()
    }

    fn skipping_unions(query: &dyn Query) -> usize {
        if let Some(union) = query.downcast_ref::<SkippingUnion>() {
            1 + union.clauses().iter().map(|clause| skipping_unions(clause.as_ref())).sum::<usize>()
        } else if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
            boolean.clauses().iter().map(|(_, clause)| skipping_unions(clause.as_ref())).sum()
        } else {
            0
        }
    }

    #[test]
    fn common_words_sought_for_a_rare_one_skip_and_find_and_score_what_they_did() {
        let (index, parser) = index();
        let searcher = index.reader().unwrap().searcher();
        for (text, skipping) in
            [("r a", 1), ("r -a", 1), ("(a OR b) r", 1), ("r a -b", 1), ("a b", 0)]
        {
            let bare = parser.parse_query(text).unwrap();
            let rewritten = in_intersections(bare.box_clone(), &searcher);
            assert_eq!(skipping_unions(rewritten.as_ref()), skipping, "{text}");
            let expected = top(&index, bare.as_ref());
            assert!(!expected.is_empty(), "{text}");
            assert_eq!(top(&index, rewritten.as_ref()), expected, "{text}");
        }
    }

    #[test]
    fn an_optional_union_skips_only_when_it_is_the_only_optional_clause() {
        let (index, parser) = index();
        let searcher = index.reader().unwrap().searcher();
        let word = |text| parser.parse_query(text).unwrap();
        let one = BooleanQuery::new(vec![(Occur::Must, word("r")), (Occur::Should, word("a"))]);
        let two = BooleanQuery::new(vec![
            (Occur::Must, word("r")),
            (Occur::Should, word("a")),
            (Occur::Should, word("b")),
        ]);
        for (query, skipping) in [(one, 1), (two, 0)] {
            let rewritten = in_intersections(Box::new(query.clone()), &searcher);
            assert_eq!(skipping_unions(rewritten.as_ref()), skipping, "{query:?}");
            assert_eq!(top(&index, rewritten.as_ref()), top(&index, &query), "{query:?}");
        }
    }

    #[test]
    fn a_segment_holding_a_word_in_one_field_gets_that_field_s_scorer_bare() {
        let (index, parser) = index();
        let searcher = index.reader().unwrap().searcher();
        let scoring = EnableScoring::enabled_from_searcher(&searcher);
        // `b` is in bodies only, `zzz` in neither field, `a` in both.
        for (text, kind) in [("b", "bare"), ("zzz", "empty"), ("a", "union")] {
            let parsed = parser.parse_query(text).unwrap();
            let fields = parsed.downcast_ref::<BooleanQuery>().expect("a word in two fields");
            let clauses = fields.clauses().iter().map(|(_, clause)| clause.box_clone());
            let union = SkippingUnion::new(clauses.collect());
            let scorer = union.weight(scoring).unwrap().scorer(searcher.segment_reader(0), 1.0);
            let scorer = scorer.unwrap();
            // tantivy's term scorer is not public: a scorer that is neither is the field's own.
            let found = match () {
                _ if scorer.is::<EmptyScorer>() => "empty",
                _ if scorer.is::<SkippingUnionScorer>() => "union",
                _ => "bare",
            };
            assert_eq!(found, kind, "{text}");
        }
    }

    #[test]
    fn a_union_that_leads_alone_is_left_to_tantivy() {
        let (index, parser) = index();
        let searcher = index.reader().unwrap().searcher();
        for text in ["a", "a OR r", "(a OR b) OR r"] {
            let rewritten = in_intersections(parser.parse_query(text).unwrap(), &searcher);
            assert_eq!(skipping_unions(rewritten.as_ref()), 0, "{text}");
        }
    }

    #[test]
    fn a_skipping_union_explains_its_score_as_the_sum_of_its_clauses() {
        let (index, parser) = index();
        let searcher = index.reader().unwrap().searcher();
        let query = in_intersections(parser.parse_query("r a").unwrap(), &searcher);
        let (score, doc) = top(&index, query.as_ref())[0];
        let explanation = query.explain(&searcher, DocAddress::new(0, doc)).unwrap();
        assert!((explanation.value() - score).abs() < 1e-5, "{}", explanation.to_pretty_json());
        let title = index.schema().get_field("title").unwrap();
        let absent =
            TermQuery::new(Term::from_field_text(title, "zzz"), IndexRecordOption::WithFreqs);
        let never = SkippingUnion::new(vec![Box::new(absent.clone()), Box::new(absent)]);
        assert!(never.explain(&searcher, DocAddress::new(0, doc)).is_err());
    }
}
