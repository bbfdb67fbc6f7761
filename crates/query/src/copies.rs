//! A hit's copies: the other reports of its copy group (the same text published again,
//! as the indexer found them), and collapsing a ranking to one hit per group.

use std::collections::HashSet;

use dateline_schema::{StoredReport, names};
use jiff::civil::Date;
use serde::{Serialize, Serializer};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Score, Searcher, TantivyDocument, Term};

use crate::rank::rank;
use crate::{Index, Result, Sort};

/// Most copies a hit lists in [`Copies::also_ran_in`]; the rest are counted.
pub const MAX_ALSO_RAN_IN: usize = 20;

/// Most ranked reports a collapsed search walks to fill a page with distinct copy groups:
/// a page whose hits are all copies of a few texts stops there rather than read on.
pub const MAX_COLLAPSE_DEPTH: usize = 10_000;

/// The copy group of a [`crate::Hit`]: the reports carrying the same text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Copies {
    /// The group's id. JSON: 16 lower-case hex digits.
    #[serde(serialize_with = "hex")]
    pub group: u64,
    /// Reports in the group, this one included: 1 when it has no copies.
    pub count: usize,
    /// Whether this report is the group's earliest (by date, then name; undated ones
    /// last). When it is not, the earliest is the first of [`Copies::also_ran_in`].
    pub earliest: bool,
    /// The group's other reports, earliest first, at most [`MAX_ALSO_RAN_IN`].
    pub also_ran_in: Vec<CopyOf>,
}

/// Another report of a hit's copy group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CopyOf {
    /// Its name in the index, as [`crate::Attribution::name`].
    pub name: String,
    /// Its outlet, when it names one.
    pub publisher: Option<String>,
    /// Its publication date, when it states one.
    pub date: Option<Date>,
    /// Its headline or derived title.
    pub title: String,
}

fn hex<S: Serializer>(group: &u64, serializer: S) -> std::result::Result<S::Ok, S::Error> {
    serializer.serialize_str(&format!("{group:016x}"))
}

/// The copy group of the document at `address`, from its fast column.
pub(crate) fn group_of(searcher: &Searcher, address: DocAddress) -> Option<u64> {
    let segment = searcher.segment_reader(address.segment_ord);
    segment.fast_fields().u64(names::COPY_GROUP).ok()?.first(address.doc_id)
}

/// The first of `ranked` in each copy group, in order (a report without a group stands
/// alone).
pub(crate) fn collapse<T>(
    searcher: &Searcher,
    ranked: Vec<(Score, DocAddress, T)>,
) -> Vec<(Score, DocAddress, T)> {
    let mut seen = HashSet::new();
    ranked
        .into_iter()
        .filter(|(_, address, _)| group_of(searcher, *address).is_none_or(|g| seen.insert(g)))
        .collect()
}

impl Index {
    /// The copies of the report at `address`: its group's size and up to
    /// [`MAX_ALSO_RAN_IN`] other members, read from the index (a term lookup on the group).
    pub(crate) fn copies(&self, searcher: &Searcher, address: DocAddress) -> Result<Copies> {
        let Some(group) = group_of(searcher, address) else {
            return Ok(Copies { group: 0, count: 1, earliest: true, also_ran_in: Vec::new() });
        };
        let members = TermQuery::new(
            Term::from_field_u64(self.fields.copy_group, group),
            IndexRecordOption::Basic,
        );
        let ranking = rank(searcher, &members, Sort::Oldest, MAX_ALSO_RAN_IN + 1, usize::MAX)
            .map_err(|e| self.read_error(e))?;
        let earliest = ranking.hits.first().is_none_or(|(_, first)| *first == address);
        let also_ran_in = ranking
            .hits
            .iter()
            .filter(|(_, member)| *member != address)
            .take(MAX_ALSO_RAN_IN)
            .map(|(_, member)| {
                let doc: TantivyDocument = self.doc(searcher, *member)?;
                let report = StoredReport::from_document(&doc, &self.fields);
                Ok(CopyOf {
                    name: self.name_of(&report),
                    publisher: report.publisher.clone(),
                    date: report.date,
                    title: report.title.text().to_string(),
                })
            })
            .collect::<Result<_>>()?;
        Ok(Copies { group, count: ranking.total.max(1), earliest, also_ran_in })
    }
}
