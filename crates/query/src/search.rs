//! Running a [`Query`]: its tiers ranked in its order, then the hits of one page made from
//! the stored reports.

use std::sync::Arc;

use dateline_schema::{StoredReport, Title, names};
use tantivy::schema::Value;
use tantivy::{DocAddress, Score, Searcher, TantivyDocument};

use crate::budget::Budget;
use crate::highlight::{self, Highlighter, Matcher};
use crate::hit::{Attribution, Hit, Results};
use crate::passage::{self, BodyOrigin};
use crate::plan::Plan;
use crate::rank::rank;
use crate::tiers::second_tier;
use crate::{Index, Query, Result};

/// The documents of a search, in order, before any is read.
pub(crate) struct Ranked {
    /// Reports in both tiers, as far as they were searched.
    pub total: usize,
    /// Reports in the first tier.
    pub matched_every_word: usize,
    /// Reports in the first tier without a date.
    pub undated: usize,
    /// Whether the counts are exact (see [`Query::count_up_to`]).
    pub exact: bool,
    /// The first documents, with their scores and whether they are in the first tier.
    pub hits: Vec<(Score, DocAddress, bool)>,
}

impl Index {
    /// Runs `query`: the hits of the requested page, with passages and attribution.
    ///
    /// By relevance, hits are ranked by the query's [`crate::Ranking`] (by default BM25 over
    /// headline and body, a headline match weighing double, and words standing together
    /// ranking higher); by date, newest or oldest first, then by that score. Equal keys are ordered by path, so the same index always gives
    /// the same ranking. See [`Results::matched_every_word`] for the reports that match
    /// most of a query's words.
    #[tracing::instrument(level = "debug", skip_all, fields(query = ?query.source))]
    pub fn search(&self, query: &Query) -> Result<Results> {
        let searcher = self.reader.searcher();
        let budget = Budget::new(query.time_budget, query.cancel.clone());
        let plan = self.plan(query, &searcher)?;
        // Never ask tantivy for more hits than there are reports: it allocates for them.
        let wanted = query.offset.saturating_add(query.limit).min(searcher.num_docs() as usize);
        // One hit per story, or per copy group unless every copy is asked for.
        let ranked = match (query.distinct, query.all_copies) {
            _ if wanted == 0 => self.ranked(query, &searcher, &budget, &plan, 0, 0)?,
            (Some(crate::Distinct::Story), _) => {
                self.ranked_distinct(query, &searcher, &budget, &plan, wanted, names::STORY)?
            }
            (None, false) => {
                self.ranked_distinct(query, &searcher, &budget, &plan, wanted, names::COPY_GROUP)?
            }
            (None, true) => self.ranked(query, &searcher, &budget, &plan, wanted, wanted)?,
        };

        let mut highlighter = Highlighter::new(plan.title_units, plan.body_units);
        let hits = ranked
            .hits
            .into_iter()
            .enumerate()
            .skip(query.offset)
            .map(|(i, (score, address, every_word))| {
                budget.check()?;
                let mut hit =
                    self.hit(&searcher, address, i + 1, score, &mut highlighter, query.passages)?;
                hit.matches_every_word = every_word;
                Ok(hit)
            })
            .collect::<Result<_>>()?;
        // Offered, never run in its place: the reader chooses. Reports matching some of
        // the words do not make a misspelt word right.
        let total = ranked.total;
        let suggestions = match ranked.matched_every_word {
            0 => self.suggestions(query, &searcher),
            _ => Vec::new(),
        };
        budget.check()?;
        Ok(Results {
            total,
            total_is_exact: ranked.exact,
            matched_every_word: ranked.matched_every_word,
            undated: ranked.undated,
            hits,
            suggestions,
        })
    }

    /// The first `depth` documents of `plan`: the first tier's in the query's order, then,
    /// when the first tier's reports do not reach `wanted`, the second tier's.
    pub(crate) fn ranked(
        &self,
        query: &Query,
        searcher: &Searcher,
        budget: &Arc<Budget>,
        plan: &Plan,
        wanted: usize,
        depth: usize,
    ) -> Result<Ranked> {
        let first = rank(
            searcher,
            budget.wrap(plan.query.box_clone()).as_ref(),
            query.order(),
            depth,
            query.count_up_to,
        )
        .map_err(|e| self.read_error(e))?;
        // A search stopped early must not pass for a whole one.
        budget.check()?;
        let mut hits: Vec<_> = first.hits.into_iter().map(|(s, a)| (s, a, true)).collect();
        let mut total = first.total;
        if let Some(relaxed) = &plan.relaxed
            && first.total <= wanted
        {
            let rest = depth - hits.len();
            let query = budget.wrap(relaxed.query.box_clone());
            let (more, second) = second_tier(searcher, relaxed, query.as_ref(), rest)
                .map_err(|e| self.read_error(e))?;
            budget.check()?;
            total += more;
            hits.extend(second.into_iter().map(|(s, a)| (s, a, false)));
        }
        Ok(Ranked {
            total,
            matched_every_word: first.total,
            undated: first.undated,
            exact: first.exact,
            hits,
        })
    }

    pub(crate) fn doc(&self, searcher: &Searcher, address: DocAddress) -> Result<TantivyDocument> {
        searcher.doc(address).map_err(|e| self.read_error(e))
    }

    /// The hit at `rank` for the report at `address`, with its copies, its story and up to
    /// `passages` passages, its words marked as its language analyses them.
    pub(crate) fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        rank: usize,
        score: f32,
        highlighter: &mut Highlighter,
        passages: usize,
    ) -> Result<Hit> {
        let doc = &self.doc(searcher, address)?;
        let copies = self.copies(searcher, address)?;
        let report = StoredReport::from_document(doc, &self.fields);
        let (title_matcher, body_matcher) = highlighter.matchers(report.language.as_deref());
        let matches = body_matcher.find(&report.body);
        let story = match doc.get_first(self.fields.story).and_then(|v| v.as_u64()) {
            Some(id) => self.story(searcher, id)?,
            None => crate::Story::default(),
        };
        Ok(Hit {
            rank,
            score,
            matches_every_word: true,
            attribution: self.attribution(&report, title_matcher),
            passages: passage::passages(&report.body, &BodyOrigin::of(&report), &matches, passages),
            copies,
            story,
        })
    }

    /// Which `report` is and how to cite it, its headline marked by `title_matcher`.
    pub(crate) fn attribution(
        &self,
        report: &StoredReport,
        title_matcher: &mut Matcher,
    ) -> Attribution {
        let title_highlights = match &report.title {
            Title::Headline(title) => highlight::ranges(&title_matcher.find(title)),
            // A derived title is not searched, so it is not marked either.
            Title::Derived(_) | Title::Missing => Vec::new(),
        };
        Attribution::of(report, self.name_of(report), title_highlights)
    }
}
