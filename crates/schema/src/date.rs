//! Conversions between calendar days and tantivy's date values.

use jiff::civil::Date;
use tantivy::DateTime;

/// The first day the `date` field can hold. tantivy keeps dates as nanoseconds in an
/// `i64`, which spans 1677-09-21 to 2262-04-11; Dateline keeps to whole years inside.
pub const FIRST: Date = jiff::civil::date(1678, 1, 1);
/// The last day the `date` field can hold (see [`FIRST`]).
pub const LAST: Date = jiff::civil::date(2261, 12, 31);

/// Whether `day` can be stored and searched exactly.
pub fn in_range(day: Date) -> bool {
    (FIRST..=LAST).contains(&day)
}

/// Why a day outside [`FIRST`]..=[`LAST`] cannot be used, for messages.
pub fn out_of_range(day: Date) -> String {
    format!("{day} is outside the dates Dateline can store, {FIRST} to {LAST}")
}

/// Midnight UTC of `day`, as stored in the `date` field; `None` outside
/// [`FIRST`]..=[`LAST`], where tantivy would silently store another day.
pub fn to_tantivy(day: Date) -> Option<DateTime> {
    if !in_range(day) {
        return None;
    }
    let zoned = day.to_zoned(jiff::tz::TimeZone::UTC).ok()?;
    Some(DateTime::from_timestamp_secs(zoned.timestamp().as_second()))
}

/// The UTC calendar day of a stored date.
pub fn from_tantivy(value: DateTime) -> Option<Date> {
    let timestamp = jiff::Timestamp::from_second(value.into_timestamp_secs()).ok()?;
    Some(timestamp.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// `moment` as stored in the `published_at` field; `None` outside the days of
/// [`FIRST`]..=[`LAST`].
pub fn moment_to_tantivy(moment: jiff::Timestamp) -> Option<DateTime> {
    in_range(moment.to_zoned(jiff::tz::TimeZone::UTC).date())
        .then(|| DateTime::from_timestamp_secs(moment.as_second()))
}

/// The moment a stored `published_at` value holds.
pub fn moment_from_tantivy(value: DateTime) -> Option<jiff::Timestamp> {
    jiff::Timestamp::from_second(value.into_timestamp_secs()).ok()
}

#[cfg(test)]
mod tests {
    use crate::date;

    #[test]
    fn dates_round_trip_exactly_or_not_at_all() {
        let day = jiff::civil::date(2024, 1, 31);
        let stored = date::to_tantivy(day).unwrap();
        assert_eq!(stored.into_timestamp_secs(), 1_706_659_200);
        assert_eq!(date::from_tantivy(stored), Some(day));
        for day in [date::FIRST, date::LAST] {
            assert_eq!(date::from_tantivy(date::to_tantivy(day).unwrap()), Some(day));
        }
        // Stored as 1915-11-12, 1970-01-01 and 1754-08-30 before these were refused.
        for text in ["2500-06-01", "9999-12-31", "0001-01-01", "1677-12-31", "2262-01-01"] {
            let day: jiff::civil::Date = text.parse().unwrap();
            assert_eq!(date::to_tantivy(day), None, "{day}");
        }
    }
}
