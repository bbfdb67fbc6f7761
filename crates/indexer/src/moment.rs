//! The moment of publication, when a report's date states a time of day.
//!
//! Only the day is needed to index a report; the time orders reports of one day (a claim's
//! first report). A day alone gives no moment: a time is never invented. A time without a
//! zone (`2024-01-31T10:15`, Reuters' `26-FEB-1987 15:01:79.08`) is read as UTC, the
//! convention of wire services and of the corpora Dateline is tested on.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;

/// The moment `text` states, if it states a time of day: RFC 3339 and ISO 8601
/// (`2024-01-31T10:15:00Z`, `2024-01-31 10:15:00+01:00`, `2024-01-31T10:15`), the compact
/// ISO form GDELT writes (`20240131T101500Z`, `20240131101500`), RFC 2822 (feeds' `pubDate`)
/// and Reuters-21578's `26-FEB-1987 15:01:79.08`.
pub(crate) fn parse(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes.get(range).is_some_and(|part| part.iter().all(u8::is_ascii_digit))
    };
    let extended = digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && matches!(bytes.get(10), Some(b'T' | b't' | b' '))
        && digits(11..13)
        && bytes.get(13) == Some(&b':');
    if extended {
        return text.parse::<Timestamp>().ok().or_else(|| utc(text.parse().ok()?));
    }
    if digits(0..8) {
        return compact(text);
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(text) {
        return Some(zoned.timestamp());
    }
    reuters(text).and_then(|(day, time)| utc(day.to_datetime(time?)))
}

/// Reuters-21578's `DATE`: `26-FEB-1987 15:01:79.08`, whose seconds are often impossible
/// (79): the day, and the hour and minute when they are valid.
pub(crate) fn reuters(text: &str) -> Option<(Date, Option<Time>)> {
    let mut parts = text.split_whitespace();
    let day = Date::strptime("%d-%b-%Y", parts.next()?).ok()?;
    let time = parts.next().and_then(|clock| Time::strptime("%H:%M", clock.get(..5)?).ok());
    Some((day, time))
}

/// `20240131T101500Z`, `20240131101500`: a time only when all six digits are there.
fn compact(text: &str) -> Option<Timestamp> {
    let rest = text.get(8..)?;
    let rest = rest.strip_prefix(['T', 't']).unwrap_or(rest);
    let clock = rest.get(..6).filter(|clock| clock.bytes().all(|b| b.is_ascii_digit()))?;
    if !matches!(&rest[6..], "" | "Z" | "z") {
        return None;
    }
    let day = Date::strptime("%Y%m%d", &text[..8]).ok()?;
    utc(day.to_datetime(Time::strptime("%H%M%S", clock).ok()?))
}

fn utc(civil: DateTime) -> Option<Timestamp> {
    civil.to_zoned(TimeZone::UTC).ok().map(|zoned| zoned.timestamp())
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn at(text: &str) -> Option<String> {
        parse(text).map(|moment| moment.to_string())
    }

    #[test]
    fn a_stated_time_is_kept_with_its_zone() {
        assert_eq!(at("2024-01-31T10:15:00Z").as_deref(), Some("2024-01-31T10:15:00Z"));
        assert_eq!(at("2024-01-31T23:00:00-05:00").as_deref(), Some("2024-02-01T04:00:00Z"));
        assert_eq!(at(" 2024-01-31 10:15:30.5+01:00").as_deref(), Some("2024-01-31T09:15:30.5Z"));
        assert_eq!(at("2024-01-31T10:15").as_deref(), Some("2024-01-31T10:15:00Z"));
        assert_eq!(at("20240131T101500Z").as_deref(), Some("2024-01-31T10:15:00Z"));
        assert_eq!(at("20240131101500").as_deref(), Some("2024-01-31T10:15:00Z"));
        assert_eq!(at("Tue, 30 Jan 2024 10:00:00 +0100").as_deref(), Some("2024-01-30T09:00:00Z"));
        assert_eq!(at("26-FEB-1987 15:01:79.08").as_deref(), Some("1987-02-26T15:01:00Z"));
    }

    #[test]
    fn a_day_alone_or_a_bad_time_gives_no_moment() {
        for text in [
            "2024-01-31",
            "20240131",
            "January 31, 2024",
            "26-FEB-1987",
            "26-FEB-1987 99:01:00.00",
            "2024-01-31T25:00:00Z",
            "20240131T1015",
            "sometime last week",
            "",
        ] {
            assert_eq!(at(text), None, "{text:?}");
        }
    }
}
