//! A hit's copies: the other reports of its copy group (the same text published again,
//! as the indexer found them), and collapsing a ranking to one hit per group.

use std::cmp::Ordering;
use std::sync::Arc;

use dateline_schema::date;
use jiff::civil::Date;
use serde::{Serialize, Serializer};
use tantivy::columnar::StrColumn;
use tantivy::query::{EnableScoring, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, DocAddress, DocId, DocSet, Searcher, TERMINATED, Term};

use crate::columns::Columns;
use crate::{Index, Result};

/// Most copies a hit lists in [`Copies::also_ran_in`]; the rest are counted.
pub const MAX_ALSO_RAN_IN: usize = 20;

/// Most ranked reports a collapsed search (or one per story) walks to fill a page with
/// distinct groups when it reaches the second tier (reports matching most of the words):
/// a page whose hits are all copies of a few texts stops there rather than read on. The
/// first tier finds its distinct groups in one pass, however deep they are.
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

/// Another report of a hit's copy group: where it ran, from the index's fast columns (its
/// headline is its own report's, one [`Index::report`] away).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CopyOf {
    /// Its name in the index, as [`crate::Attribution::name`].
    pub name: String,
    /// Its outlet, when it names one.
    pub publisher: Option<String>,
    /// Its publication date, when it states one.
    pub date: Option<Date>,
}

fn hex<S: Serializer>(group: &u64, serializer: S) -> std::result::Result<S::Ok, S::Error> {
    serializer.serialize_str(&format!("{group:016x}"))
}

/// Dates earliest first, undated last.
fn earliest_first(a: &Option<DateTime>, b: &Option<DateTime>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// A copy group as one commit holds it: how many live reports it has, and its earliest
/// (at most [`MAX_ALSO_RAN_IN`] + 1), earliest first.
#[derive(Clone)]
pub(crate) struct Group {
    count: usize,
    earliest: Arc<[Earliest]>,
}

/// One of a group's earliest reports as its fast columns hold it. Its name is made when a
/// hit lists it: the folders' labels can change between two commits' reloads.
struct Earliest {
    address: DocAddress,
    path: String,
    record: Option<String>,
    publisher: Option<String>,
    day: Option<DateTime>,
}

/// A group member as its segment's fast columns hold it.
struct Member {
    day: Option<DateTime>,
    path: String,
    address: DocAddress,
}

/// The text of a fast string column's first value for `doc`.
fn first_text(column: Option<&StrColumn>, doc: DocId) -> Option<String> {
    let column = column?;
    let ord = column.term_ords(doc).next()?;
    let mut text = String::new();
    column.ord_to_str(ord, &mut text).ok()?.then_some(text)
}

impl Index {
    /// The copies of the report at `address`: its group's size and up to
    /// [`MAX_ALSO_RAN_IN`] other members, from a term lookup on the group and the members'
    /// fast columns, never their stored documents (a page of ten hits with nine copies each
    /// read ninety compressed blocks for them).
    pub(crate) fn copies(&self, searcher: &Searcher, address: DocAddress) -> Result<Copies> {
        let Some(id) = self.group_of(searcher, address)? else {
            return Ok(Copies { group: 0, count: 1, earliest: true, also_ran_in: Vec::new() });
        };
        let group = self.copy_groups.get_or(searcher, id, || self.group(searcher, id))?;
        let earliest = group.earliest.first().is_none_or(|first| first.address == address);
        let also_ran_in = group
            .earliest
            .iter()
            .filter(|member| member.address != address)
            .take(MAX_ALSO_RAN_IN)
            .map(|member| CopyOf {
                name: self.report_name(&member.path, member.record.as_deref()),
                publisher: member.publisher.clone(),
                date: member.day.and_then(date::from_tantivy),
            })
            .collect();
        Ok(Copies { group: id, count: group.count.max(1), earliest, also_ran_in })
    }

    /// Copy group `id` as `searcher`'s commit holds it: enough of its earliest reports to
    /// list [`MAX_ALSO_RAN_IN`] beside any one of them.
    fn group(&self, searcher: &Searcher, id: u64) -> Result<Group> {
        let (count, members) = self.earliest_members(searcher, id, MAX_ALSO_RAN_IN + 1)?;
        let earliest = members
            .into_iter()
            .map(|member| {
                let columns = self.columns(searcher, member.address.segment_ord)?;
                let doc = member.address.doc_id;
                Ok(Earliest {
                    address: member.address,
                    record: first_text(columns.record.as_ref(), doc),
                    publisher: first_text(columns.publisher.as_ref(), doc),
                    path: member.path,
                    day: member.day,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Group { count, earliest })
    }

    /// The copy group of the document at `address`, from its fast column.
    pub(crate) fn group_of(&self, searcher: &Searcher, address: DocAddress) -> Result<Option<u64>> {
        let columns = self.columns(searcher, address.segment_ord)?;
        Ok(columns.copy_group.as_ref().and_then(|column| column.first(address.doc_id)))
    }

    /// How many live reports copy group `group` holds, and its `wanted` earliest (by date,
    /// undated last, then path, then address). Each segment keeps its earliest by path
    /// ordinal, which orders as the paths do within a segment; the segments' lists are then
    /// merged, reading a path only when its member comes to the head of its segment's list:
    /// `wanted` paths and one more per segment, where reading every kept member's path cost
    /// a quarter of a short `dateline search` process at 100× (`title:cocoa`, 14 segments,
    /// `perf`).
    fn earliest_members(
        &self,
        searcher: &Searcher,
        group: u64,
        wanted: usize,
    ) -> Result<(usize, Vec<Member>)> {
        let query = TermQuery::new(
            Term::from_field_u64(self.fields.copy_group, group),
            IndexRecordOption::Basic,
        );
        let weight = query
            .weight(EnableScoring::disabled_from_searcher(searcher))
            .map_err(|e| self.read_error(e))?;
        let order =
            |a: &Kept, b: &Kept| earliest_first(&a.0, &b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2));
        let mut count = 0;
        let mut segments = Vec::new();
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let mut docs = weight.scorer(segment, 1.0).map_err(|e| self.read_error(e))?;
            let columns = self.columns(searcher, ordinal as u32)?;
            let dates = columns.date.as_ref();
            let Some(paths) = columns.path.as_ref() else {
                continue;
            };
            let alive = segment.alive_bitset();
            let mut kept = Vec::new();
            let mut doc = docs.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    count += 1;
                    let day = dates.and_then(|c| c.first(doc));
                    kept.push((day, paths.ords().first(doc), doc));
                    // A million-member group (spam) is listed in bounded memory.
                    if kept.len() >= wanted.saturating_mul(2).max(64) {
                        kept.sort_unstable_by(order);
                        kept.truncate(wanted);
                    }
                }
                doc = docs.advance();
            }
            kept.sort_unstable_by(order);
            kept.truncate(wanted);
            let mut listed = Listed { ordinal: ordinal as u32, kept: kept.into_iter(), head: None };
            listed.next_head(self, &columns)?;
            segments.push((listed, columns));
        }
        let mut members = Vec::with_capacity(wanted);
        while members.len() < wanted {
            let earliest = segments
                .iter()
                .enumerate()
                .filter_map(|(at, (listed, _))| listed.head.as_ref().map(|head| (at, head)))
                .min_by(|(_, a), (_, b)| {
                    earliest_first(&a.day, &b.day)
                        .then_with(|| a.path.cmp(&b.path))
                        .then(a.address.cmp(&b.address))
                })
                .map(|(at, _)| at);
            let Some(at) = earliest else {
                break;
            };
            let (listed, columns) = &mut segments[at];
            members.extend(listed.head.take());
            listed.next_head(self, columns)?;
        }
        Ok((count, members))
    }
}

/// A kept member of a group in its segment: date, path ordinal, document.
type Kept = (Option<DateTime>, Option<u64>, DocId);

/// One segment's earliest members of a group, in order; the first not yet merged has its
/// path read.
struct Listed {
    ordinal: u32,
    kept: std::vec::IntoIter<Kept>,
    head: Option<Member>,
}

impl Listed {
    /// Makes the next kept member the head, reading its path.
    fn next_head(&mut self, index: &Index, columns: &Columns) -> Result<()> {
        self.head = None;
        let Some((day, ord, doc)) = self.kept.next() else {
            return Ok(());
        };
        let mut path = String::new();
        if let (Some(ord), Some(paths)) = (ord, columns.path.as_ref()) {
            paths.ord_to_str(ord, &mut path).map_err(|e| index.read_error(e.into()))?;
        }
        self.head = Some(Member { day, path, address: DocAddress::new(self.ordinal, doc) });
        Ok(())
    }
}
