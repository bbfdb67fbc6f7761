//! Rendering [`dateline_query::Results`]: for people (`standard`) or programs (`json`).
//! Both write to any `io::Write`, so tests render into a `Vec<u8>`.
//!
//! Everything a report or a file name brings (headlines, passages, publishers, paths) goes
//! through [`flat`] or [`one_line`] before it reaches a terminal: a report is untrusted text,
//! and raw control characters in it could retitle the window, clear the screen, forge a
//! hyperlink or split a `path:line:` in two.

use std::path::Path;

pub mod json;
pub mod standard;
pub mod stories;
pub mod trace;

/// A report's date as a person reads it: the day, or, when the report states a time of day,
/// the moment in UTC (`1987-02-26 15:01 UTC`). When that moment falls on another day than the
/// one the report gives in its own zone, the report's day leads (`2024-01-30 (2024-01-31
/// 04:00 UTC)`): it is the day `--since` and `--until` filter on, and the one a citation gives.
pub fn day_and_time(day: dateline_query::Date, moment: Option<jiff::Timestamp>) -> String {
    let Some(moment) = moment else {
        return day.to_string();
    };
    let utc = moment.strftime("%Y-%m-%d %H:%M UTC").to_string();
    match utc.starts_with(&day.to_string()) {
        true => utc,
        false => format!("{day} ({utc})"),
    }
}

/// `text` on one line and safe for a terminal: line breaks and tabs become spaces; every
/// other control character (ESC, BEL, DEL, the C1 controls) and the bidirectional overrides
/// that reorder what is shown are written escaped (`\u{1b}`), visible but inert.
pub fn flat(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' | '\t' => safe.push(' '),
            c if unsafe_on_a_terminal(c) => safe.extend(c.escape_unicode()),
            c => safe.push(c),
        }
    }
    safe
}

/// `path` on one line and safe for a terminal: every control character, a newline in a file
/// name included, is written escaped (`\n`, `\u{1b}`), so the name stays one token.
pub fn one_line(path: &Path) -> String {
    let mut safe = String::new();
    for c in path.display().to_string().chars() {
        match c {
            '\n' | '\r' | '\t' => safe.extend(c.escape_default()),
            c if unsafe_on_a_terminal(c) => safe.extend(c.escape_unicode()),
            c => safe.push(c),
        }
    }
    safe
}

fn unsafe_on_a_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_line_breaks_cannot_reach_the_terminal() {
        let hostile = "Title\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[5mblink\r\nnext\u{9b}31m\u{202e}abc";
        let safe = flat(hostile);
        assert!(!safe.chars().any(unsafe_on_a_terminal), "{safe:?}");
        assert_eq!(
            safe,
            "Title\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{1b}[5mblink next\\u{9b}31m\\u{202e}abc"
        );
        let name = one_line(Path::new("a\nb\u{1b}]8;;http://x\u{7}.txt"));
        assert_eq!(name, "a\\nb\\u{1b}]8;;http://x\\u{7}.txt");
    }

    #[test]
    fn a_moment_on_another_day_in_utc_keeps_the_reports_own_day_first() {
        let moment = |text: &str| Some(text.parse::<jiff::Timestamp>().unwrap());
        let day = |text: &str| text.parse().unwrap();
        assert_eq!(day_and_time(day("1987-02-26"), None), "1987-02-26");
        assert_eq!(
            day_and_time(day("1987-02-26"), moment("1987-02-26T15:01:00Z")),
            "1987-02-26 15:01 UTC"
        );
        // 23:00 at -05:00 is 04:00 UTC the next day.
        assert_eq!(
            day_and_time(day("2024-01-30"), moment("2024-01-30T23:00:00-05:00")),
            "2024-01-30 (2024-01-31 04:00 UTC)"
        );
    }
}
