//! Tiers: after the reports that match every word of a query, the ones that match most of
//! them, so a report that says "resigned" where the query says "resigns" is not silently
//! missed (Meilisearch's matching strategy, in spirit).
//!
//! Only a query of several positive words or phrases at its top level tiers (`Flynn resigns
//! national security adviser`, `"Dakota Access" protest camp`): a single word has nothing
//! to relax, and `a OR b` already asks for any. Other positive clauses at the top level
//! (`title:flynn`, `date:2017-02-14`, `fent*`, `talks^2`) stay required in both tiers, and
//! exclusions stay exclusions. The second tier holds the reports matching at least half of
//! the words (at least one) but not all, best coverage first, then by score; it is searched
//! only when the first does not fill the page asked for.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{BooleanQuery, EmptyQuery, EnableScoring, Occur, Query, Scorer, Weight};
use tantivy::query_grammar::{self, UserInputAst, UserInputLeaf};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader};

/// The second tier of a query: the reports matching most of its words.
pub(crate) struct Relaxed {
    /// Reports matching at least half of the words, and every other positive clause.
    pub query: Box<dyn Query>,
    /// One query per word or phrase, to count how many of them a report holds.
    pub words: Vec<Box<dyn Query>>,
}

/// The second tier of `ast` (a query after rewriting), or `None` when it does not tier;
/// `build` turns a clause into a tantivy query as the whole query is built.
pub(crate) fn relaxed(
    ast: &UserInputAst,
    build: impl Fn(UserInputAst) -> Result<Box<dyn Query>, String>,
) -> Result<Option<Relaxed>, String> {
    let UserInputAst::Clause(clauses) = ast else { return Ok(None) };
    let (mut words, mut others) = (Vec::new(), Vec::new());
    for (occur, child) in clauses {
        match occur {
            None | Some(query_grammar::Occur::Must) if is_word(child) => words.push(child),
            None | Some(query_grammar::Occur::Must) => others.push((Occur::Must, child)),
            Some(query_grammar::Occur::MustNot) => others.push((Occur::MustNot, child)),
            // `a OR b`: the query already asks for any of them.
            Some(query_grammar::Occur::Should) => return Ok(None),
        }
    }
    let mut built = Vec::new();
    for word in words {
        let query = build(word.clone())?;
        // A "word" with nothing to search for (punctuation, a control character) is no
        // word a report could lack.
        if !query.is::<EmptyQuery>() {
            built.push(query);
        }
    }
    let words = built;
    if words.len() < 2 {
        return Ok(None);
    }
    let at_least = words.len().div_ceil(2);
    let any_words = words.iter().map(|word| (Occur::Should, word.box_clone())).collect();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(BooleanQuery::with_minimum_required_clauses(any_words, at_least)),
    )];
    for (occur, clause) in others {
        clauses.push((occur, build(clause.clone())?));
    }
    Ok(Some(Relaxed { query: Box::new(BooleanQuery::new(clauses)), words }))
}

/// A bare word or quoted phrase, in no field.
fn is_word(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Leaf(leaf) => {
            matches!(leaf.as_ref(), UserInputLeaf::Literal(literal) if literal.field_name.is_none() && !literal.prefix)
        }
        _ => false,
    }
}

/// The `wanted` best reports of the second tier, best first, with the number of reports in
/// it. `query` is [`Relaxed::query`] as it is run (filtered, under a time budget).
pub(crate) fn second_tier(
    searcher: &Searcher,
    relaxed: &Relaxed,
    query: &dyn Query,
    wanted: usize,
) -> tantivy::Result<(usize, Vec<(Score, DocAddress)>)> {
    let weights = relaxed
        .words
        .iter()
        .map(|word| word.weight(EnableScoring::disabled_from_searcher(searcher)))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let (total, covered) = searcher.search(query, &Coverage { weights, wanted })?;
    Ok((total, covered.into_iter().map(|hit| (hit.score, hit.address)).collect()))
}

/// A report of the second tier and how to rank it.
#[derive(Clone, Copy, Debug)]
struct Covered {
    words: usize,
    score: Score,
    address: DocAddress,
}

impl Ord for Covered {
    /// Better is greater: more words, then a higher score, then an earlier document.
    fn cmp(&self, other: &Covered) -> Ordering {
        self.words
            .cmp(&other.words)
            .then_with(|| self.score.total_cmp(&other.score))
            .then_with(|| other.address.cmp(&self.address))
    }
}

impl PartialOrd for Covered {
    fn partial_cmp(&self, other: &Covered) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Covered {
    fn eq(&self, other: &Covered) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Covered {}

/// Counts the reports that lack at least one word, and keeps the `wanted` best of them.
struct Coverage {
    weights: Vec<Box<dyn Weight>>,
    wanted: usize,
}

struct SegmentCoverage {
    segment: SegmentOrdinal,
    words: Vec<Box<dyn Scorer>>,
    wanted: usize,
    total: usize,
    /// The best so far, worst on top.
    best: BinaryHeap<Reverse<Covered>>,
}

impl Collector for Coverage {
    type Fruit = (usize, Vec<Covered>);
    type Child = SegmentCoverage;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCoverage> {
        let words = self.weights.iter().map(|w| w.scorer(reader, 1.0)).collect::<Result<_, _>>()?;
        Ok(SegmentCoverage {
            segment,
            words,
            wanted: self.wanted,
            total: 0,
            best: BinaryHeap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<(usize, Vec<Covered>)>) -> tantivy::Result<Self::Fruit> {
        let total = segments.iter().map(|(total, _)| total).sum();
        let mut best: Vec<Covered> = segments.into_iter().flat_map(|(_, best)| best).collect();
        best.sort_by(|a, b| b.cmp(a));
        best.truncate(self.wanted);
        Ok((total, best))
    }
}

impl SegmentCollector for SegmentCoverage {
    type Fruit = (usize, Vec<Covered>);

    fn collect(&mut self, doc: DocId, score: Score) {
        // Documents arrive in increasing order, so each word's postings are walked once.
        let mut words = 0;
        for word in &mut self.words {
            let at = if word.doc() < doc { word.seek(doc) } else { word.doc() };
            words += usize::from(at == doc);
        }
        if words == self.words.len() {
            // Every word: the first tier's.
            return;
        }
        self.total += 1;
        if self.wanted == 0 {
            return;
        }
        let hit = Covered { words, score, address: DocAddress::new(self.segment, doc) };
        if self.best.len() < self.wanted {
            self.best.push(Reverse(hit));
        } else if self.best.peek().is_some_and(|Reverse(worst)| hit > *worst) {
            self.best.pop();
            self.best.push(Reverse(hit));
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.total, self.best.into_iter().map(|Reverse(hit)| hit).collect())
    }
}
