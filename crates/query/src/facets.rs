//! Counting a query's reports by publisher and by date, for facet panels and timelines.

use std::collections::{BTreeMap, HashMap};

use dateline_schema::{date, names};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DateTime, DocId, Score, SegmentReader};

use crate::budget::Budget;
use crate::{Index, Query, Result};

/// Most publishers listed in [`Facets::publishers`]; the rest are counted together.
pub const MAX_PUBLISHERS: usize = 100;

/// Most buckets in a [`Timeline`]: a finer interval that would give more is coarsened, and
/// years beyond it are left out (counted in [`Timeline::dropped`]).
pub const MAX_BUCKETS: usize = 1000;

/// How a query's reports divide by publisher and over time.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Facets {
    /// Number of reports that matched.
    pub total: u64,
    /// Publishers of those reports with how many each, most first (ties by name); at most
    /// [`MAX_PUBLISHERS`]. Counted without the query's publisher filter: with publishers
    /// chosen, the others stay listed with how many reports they would add.
    pub publishers: Vec<PublisherCount>,
    /// Reports by publishers beyond the listed ones (without the publisher filter).
    pub other_publishers: u64,
    /// Reports that name no publisher (without the publisher filter).
    pub no_publisher: u64,
    /// Reports without a date (not in the timeline).
    pub undated: u64,
    /// Dated reports over time.
    pub timeline: Timeline,
}

/// A publisher and how many of the matching reports it published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PublisherCount {
    /// The publisher's name, as the reports give it.
    pub name: String,
    /// Number of matching reports.
    pub count: u64,
}

/// Matching reports per day, week or month, from the first dated report's bucket to the
/// last's, empty buckets included.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Timeline {
    /// The length of each bucket.
    pub interval: Interval,
    /// Consecutive buckets, oldest first.
    pub buckets: Vec<Bucket>,
    /// Dated reports older than the first bucket: only when the dates span more than
    /// [`MAX_BUCKETS`] years, and then the latest years are kept.
    pub dropped: u64,
}

/// Reports dated within `start ..= end`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Bucket {
    /// First day of the bucket.
    pub start: Date,
    /// Last day of the bucket.
    pub end: Date,
    /// Number of matching reports dated within it.
    pub count: u64,
}

/// The length of a [`Timeline`]'s buckets. Weeks start on Monday (ISO 8601).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    /// One day.
    Day,
    /// Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
    /// A calendar year.
    Year,
}

impl Interval {
    /// The interval that shows `days` days of reports in a readable number of buckets.
    fn for_span(days: i64) -> Interval {
        match days {
            ..=92 => Interval::Day,
            93..=1100 => Interval::Week,
            1101..=36600 => Interval::Month,
            _ => Interval::Year,
        }
    }

    fn coarser(self) -> Option<Interval> {
        match self {
            Interval::Day => Some(Interval::Week),
            Interval::Week => Some(Interval::Month),
            Interval::Month => Some(Interval::Year),
            Interval::Year => None,
        }
    }

    fn bucket_start(self, day: Date) -> Date {
        match self {
            Interval::Day => day,
            Interval::Week => day - (day.weekday().to_monday_zero_offset() as i64).days(),
            Interval::Month => day.first_of_month(),
            Interval::Year => day.first_of_year(),
        }
    }

    fn next(self, start: Date) -> Option<Date> {
        let span = match self {
            Interval::Day => 1.day(),
            Interval::Week => 1.week(),
            Interval::Month => 1.month(),
            Interval::Year => 1.year(),
        };
        start.checked_add(span).ok()
    }
}

impl std::str::FromStr for Interval {
    type Err = String;

    fn from_str(text: &str) -> Result<Interval, String> {
        match text {
            "day" => Ok(Interval::Day),
            "week" => Ok(Interval::Week),
            "month" => Ok(Interval::Month),
            "year" => Ok(Interval::Year),
            other => Err(format!("unknown interval `{other}`; use day, week, month or year")),
        }
    }
}

impl Index {
    /// Counts the reports `query` matches (filters applied; limit and paging ignored) by
    /// publisher and by date. Only reports matching the whole query are counted, not those
    /// matching most of its words (see [`crate::Results::matched_every_word`]). The timeline uses `interval`, or, when `None`, one suited to
    /// the span of the dates; an interval that would give more than [`MAX_BUCKETS`] buckets
    /// is coarsened ([`Timeline::interval`] says which was used).
    pub fn facets(&self, query: &Query, interval: Option<Interval>) -> Result<Facets> {
        let searcher = self.reader.searcher();
        let budget = Budget::new(query.time_budget, query.cancel.clone());
        let plan = self.plan(query, &searcher)?;
        let mut counts = searcher
            .search(budget.wrap(plan.query).as_ref(), &FacetCollector)
            .map_err(|err| self.read_error(err))?;
        budget.check()?;
        if !query.filters.publishers.is_empty() {
            // Counted without the publisher filter, so that the publishers not chosen stay
            // listed with what choosing them would add.
            let mut others = query.filters.clone();
            others.publishers.clear();
            let plan = self.plan(&query.clone().filtered(others), &searcher)?;
            let all = searcher
                .search(budget.wrap(plan.query).as_ref(), &FacetCollector)
                .map_err(|err| self.read_error(err))?;
            budget.check()?;
            counts.publishers = all.publishers;
            counts.no_publisher = all.no_publisher;
        }

        let mut publishers: Vec<PublisherCount> = counts
            .publishers
            .into_iter()
            .map(|(name, count)| PublisherCount { name, count })
            .collect();
        publishers.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        let other_publishers =
            publishers.iter().skip(MAX_PUBLISHERS).map(|publisher| publisher.count).sum();
        publishers.truncate(MAX_PUBLISHERS);

        let days: BTreeMap<Date, u64> = counts
            .days
            .into_iter()
            .filter_map(|(seconds, count)| {
                let day = date::from_tantivy(DateTime::from_timestamp_secs(seconds))?;
                Some((day, count))
            })
            .fold(BTreeMap::new(), |mut days, (day, count)| {
                *days.entry(day).or_default() += count;
                days
            });
        Ok(Facets {
            total: counts.total,
            publishers,
            other_publishers,
            no_publisher: counts.no_publisher,
            undated: counts.undated,
            timeline: timeline(&days, interval),
        })
    }
}

fn timeline(days: &BTreeMap<Date, u64>, wanted: Option<Interval>) -> Timeline {
    let (Some((&first, _)), Some((&last, _))) = (days.first_key_value(), days.last_key_value())
    else {
        let interval = wanted.unwrap_or(Interval::Day);
        return Timeline { interval, buckets: Vec::new(), dropped: 0 };
    };
    let mut interval =
        wanted.unwrap_or_else(|| Interval::for_span((last - first).get_days() as i64));
    loop {
        match (buckets(days, interval, first, last), interval.coarser()) {
            (Some(buckets), _) => return Timeline { interval, buckets, dropped: 0 },
            (None, Some(coarser)) => interval = coarser,
            // Dates over more than a thousand years: keep the latest thousand.
            (None, None) => {
                let from = (0..MAX_BUCKETS - 1).fold(interval.bucket_start(last), |day, _| {
                    day.checked_sub(1.year()).unwrap_or(day)
                });
                let kept = buckets(days, interval, from, last).unwrap_or_default();
                let dropped = days.range(..from).map(|(_, count)| count).sum();
                return Timeline { interval, buckets: kept, dropped };
            }
        }
    }
}

/// The buckets from `first`'s to `last`'s, or `None` if there would be more than
/// [`MAX_BUCKETS`].
fn buckets(
    days: &BTreeMap<Date, u64>,
    interval: Interval,
    first: Date,
    last: Date,
) -> Option<Vec<Bucket>> {
    let mut buckets = Vec::new();
    let mut start = interval.bucket_start(first);
    while start <= last {
        if buckets.len() == MAX_BUCKETS {
            return None;
        }
        let next = interval.next(start);
        let end = next.and_then(|next| next.yesterday().ok()).unwrap_or(Date::MAX);
        let count = days.range(start..=end).map(|(_, count)| count).sum();
        buckets.push(Bucket { start, end, count });
        match next {
            Some(next) => start = next,
            None => break,
        }
    }
    Some(buckets)
}

/// Counts of one search, merged across segments.
#[derive(Default)]
struct Counts {
    total: u64,
    publishers: HashMap<String, u64>,
    no_publisher: u64,
    undated: u64,
    /// Reports per date, keyed by the stored timestamp (seconds).
    days: HashMap<i64, u64>,
}

struct FacetCollector;

struct SegmentCounts {
    publisher_column: Option<StrColumn>,
    date_column: Option<Column<DateTime>>,
    by_ordinal: Vec<u64>,
    counts: Counts,
}

impl Collector for FacetCollector {
    type Fruit = Counts;
    type Child = SegmentCounts;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<SegmentCounts> {
        let fast = segment.fast_fields();
        let publisher_column = fast.str(names::PUBLISHER)?;
        let by_ordinal = vec![0; publisher_column.as_ref().map_or(0, |c| c.num_terms())];
        Ok(SegmentCounts {
            publisher_column,
            date_column: fast.column_opt(names::DATE)?,
            by_ordinal,
            counts: Counts::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut all = Counts::default();
        for segment in segments {
            all.total += segment.total;
            all.no_publisher += segment.no_publisher;
            all.undated += segment.undated;
            for (name, count) in segment.publishers {
                *all.publishers.entry(name).or_default() += count;
            }
            for (day, count) in segment.days {
                *all.days.entry(day).or_default() += count;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentCounts {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let counts = &mut self.counts;
        counts.total += 1;
        match self.publisher_column.as_ref().and_then(|c| c.term_ords(doc).next()) {
            Some(ordinal) => self.by_ordinal[ordinal as usize] += 1,
            None => counts.no_publisher += 1,
        }
        match self.date_column.as_ref().and_then(|c| c.first(doc)) {
            Some(day) => *counts.days.entry(day.into_timestamp_secs()).or_default() += 1,
            None => counts.undated += 1,
        }
    }

    fn harvest(mut self) -> Counts {
        // Names are looked up once per publisher, not once per report.
        if let Some(column) = &self.publisher_column {
            let mut name = String::new();
            for (ordinal, &count) in self.by_ordinal.iter().enumerate() {
                if count > 0 && column.ord_to_str(ordinal as u64, &mut name).unwrap_or(false) {
                    self.counts.publishers.insert(name.clone(), count);
                }
            }
        }
        self.counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn days(list: &[(&str, u64)]) -> BTreeMap<Date, u64> {
        list.iter().map(|&(d, n)| (day(d), n)).collect()
    }

    fn summary(timeline: &Timeline) -> Vec<(String, String, u64)> {
        let buckets = timeline.buckets.iter();
        buckets.map(|b| (b.start.to_string(), b.end.to_string(), b.count)).collect()
    }

    #[test]
    fn a_short_span_is_counted_by_day_with_empty_days_kept() {
        let timeline = timeline(&days(&[("2024-01-29", 1), ("2024-01-31", 2)]), None);
        assert_eq!(timeline.interval, Interval::Day);
        let expected = [
            ("2024-01-29", "2024-01-29", 1),
            ("2024-01-30", "2024-01-30", 0),
            ("2024-01-31", "2024-01-31", 2),
        ];
        let expected: Vec<_> =
            expected.iter().map(|&(s, e, n)| (s.to_string(), e.to_string(), n)).collect();
        assert_eq!(summary(&timeline), expected);
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        // 2024-01-31 is a Wednesday; 2024-02-05 a Monday.
        let reports = days(&[("2024-01-31", 1), ("2024-02-04", 1), ("2024-02-05", 3)]);
        let weeks = timeline(&reports, Some(Interval::Week));
        let expected = [("2024-01-29", "2024-02-04", 2), ("2024-02-05", "2024-02-11", 3)];
        let expected: Vec<_> =
            expected.iter().map(|&(s, e, n)| (s.to_string(), e.to_string(), n)).collect();
        assert_eq!(summary(&weeks), expected);

        let months = timeline(&reports, Some(Interval::Month));
        let expected = [("2024-01-01", "2024-01-31", 1), ("2024-02-01", "2024-02-29", 4)];
        let expected: Vec<_> =
            expected.iter().map(|&(s, e, n)| (s.to_string(), e.to_string(), n)).collect();
        assert_eq!(summary(&months), expected);
    }

    #[test]
    fn too_many_buckets_coarsen_and_millennia_keep_the_latest() {
        let reports = days(&[("1990-01-01", 1), ("2024-06-15", 1)]);
        let coarsened = timeline(&reports, Some(Interval::Day));
        assert_eq!(coarsened.interval, Interval::Month);
        assert_eq!(coarsened.buckets.len(), 414);
        assert_eq!(coarsened.buckets.iter().map(|b| b.count).sum::<u64>(), 2);

        let reports = days(&[("1800-01-01", 1), ("2024-06-15", 1)]);
        let yearly = timeline(&reports, None);
        assert_eq!(yearly.interval, Interval::Year);
        assert_eq!((yearly.buckets.len(), yearly.dropped), (225, 0));

        let reports = days(&[("0005-03-01", 1), ("1800-01-01", 1), ("2024-06-15", 1)]);
        let recent = timeline(&reports, None);
        assert_eq!(recent.buckets.len(), MAX_BUCKETS);
        assert_eq!(recent.buckets[0].start.to_string(), "1025-01-01");
        assert_eq!(recent.buckets.iter().map(|b| b.count).sum::<u64>(), 2);
        assert_eq!(recent.dropped, 1);
    }
}
