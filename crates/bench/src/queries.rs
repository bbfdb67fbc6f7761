//! The benchmark's queries, and their forms for the peers that cannot read Dateline's syntax.

/// Realistic queries for newswire: words, several words, phrases, exclusions, field scope,
/// date ranges, OR.
pub const QUERIES: [&str; 22] = [
    "oil",
    "coffee",
    "dividend",
    "tokyo",
    "merger",
    "crude oil prices",
    "interest rates cut",
    "trade deficit japan",
    "wheat exports soviet",
    "bank of england",
    "\"crude oil\"",
    "\"interest rates\"",
    "\"trade surplus\"",
    "\"net loss\"",
    "oil -opec",
    "coffee -brazil",
    "gold -silver",
    "title:cocoa",
    "title:opec oil",
    "grain date:[1987-03-01 TO 1987-03-31]",
    "dollar date:[1987-04-01 TO 1987-04-30]",
    "copper OR zinc",
];

/// The query's first word, for `rg -l -i -F`.
pub fn first_word(query: &str) -> String {
    let plain = query.trim_start_matches("title:").trim_matches('"');
    let plain = if query.starts_with('"') {
        plain.split('"').next().unwrap_or(plain)
    } else {
        plain.split(' ').next().unwrap_or(plain)
    };
    plain.trim_start_matches("title:").to_string()
}

/// The query in FTS5 syntax, for the queries FTS5 can express; date ranges are dropped.
pub fn fts5(query: &str) -> String {
    let words: Vec<String> = query
        .split(' ')
        .filter(|w| !w.starts_with("date:") && !w.starts_with("1987") && *w != "TO")
        .map(|w| {
            if let Some(excluded) = w.strip_prefix('-') {
                format!("NOT {excluded}")
            } else if let Some(title) = w.strip_prefix("title:") {
                format!("title:{title}")
            } else {
                w.to_string()
            }
        })
        .collect();
    words.join(" ")
}

/// The query for the floor's parser: date ranges (not in the floor's schema) dropped.
pub fn floor(query: &str) -> String {
    let text: String = query
        .split(' ')
        .filter(|w| !w.starts_with("date:") && !w.starts_with("1987"))
        .collect::<Vec<_>>()
        .join(" ");
    text.trim_end_matches(" TO").trim().to_string()
}
