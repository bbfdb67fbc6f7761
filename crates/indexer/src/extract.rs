//! Text of a report file → [`ExtractedReport`]: headline, date, publisher, dateline, body.
//!
//! Real reports are messy, so extraction is a set of small, ordered rules, each one a shape
//! seen in real files:
//!
//! 1. A header block: an optional headline line, then `Key: value` lines (`Title:`, `Date:`,
//!    `Source:`/`Publisher:`, `URL:`, `Author:`, and others that are ignored), then a blank
//!    line. This is what `../shared/corpus/*.sh` write.
//!    A `Subtitle:` line is kept for the body (it opens it), so its words are searched.
//!    Header lines vouch for the line above them as a headline, however long.
//! 2. A lone headline: a short first line followed by a blank line; `Key: value` lines after
//!    that blank line (with a known key) are its header block too.
//! 3. An inline syndication stamp opening the text: `date 2024-01-31 (MENAFN- The Rio Times)`.
//! 4. A dateline opening the body: `WASHINGTON –`, `LONDON (Reuters) -`.
//! 5. A sign-off naming the outlet: `Follow Emily’s Hope for the latest …`.
//!
//! Whatever no rule finds stays unknown: a date is never guessed. A report without a headline
//! gets a title derived from its lead sentence, marked as derived.

use dateline_schema::{Title, lines};
use jiff::civil::Date;

/// A derived title is cut at a word boundary near this many bytes.
const DERIVED_TITLE_MAX: usize = 90;
/// A first line longer than this is a paragraph, not a headline.
const HEADLINE_MAX: usize = 200;

/// What extraction found in one report file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExtractedReport<'a> {
    /// The headline, or a title derived from the lead sentence.
    pub title: Title,
    /// Publication date, when the report states one.
    pub date: Option<Date>,
    /// The moment of publication, when the date states a time of day.
    pub published_at: Option<jiff::Timestamp>,
    /// The outlet, when the report names it.
    pub publisher: Option<String>,
    /// The place of the dateline (`WASHINGTON`), when the body opens with one.
    pub dateline: Option<String>,
    /// Byline from an `Author:` header.
    pub author: Option<String>,
    /// URL from a `URL:` header.
    pub url: Option<String>,
    /// A `Subtitle:` header's value, verbatim, with its byte offset in the text and its line:
    /// it belongs to the text that is searched.
    pub subtitle: Option<(&'a str, usize, u64)>,
    /// The text after the header: a slice of the file's text, verbatim.
    pub body: &'a str,
    /// Byte offset of [`ExtractedReport::body`] in the text.
    pub body_offset: usize,
    /// 1-based line number on which [`ExtractedReport::body`] starts.
    pub body_line: u64,
}

/// Extracts the metadata and body of a report from its text.
pub fn extract(text: &str) -> ExtractedReport<'_> {
    let mut fields = HeaderFields::default();
    let mut headline = None;
    let (mut body_offset, header_lines) = parse_header(text, &mut headline, &mut fields);
    let mut body = &text[body_offset..];

    // Rule 3: `date 2024-01-31 (MENAFN- The Rio Times) China and the U.S. …`
    let mut body_line = 1 + header_lines;
    if let Some((consumed, date, publisher)) = syndication_stamp(body) {
        fields.date = fields.date.or(Some(date));
        fields.publisher = fields.publisher.or(publisher);
        body_line += lines::count(&body[..consumed]) as u64;
        body_offset += consumed;
        body = &text[body_offset..];
    }

    let (dateline, dateline_publisher) = dateline(body);
    let publisher = fields.publisher.or(dateline_publisher).or_else(|| sign_off(body));
    let title = match headline {
        Some(headline) => Title::Headline(headline),
        None => derive_title(body),
    };
    ExtractedReport {
        title,
        date: fields.date,
        published_at: fields.date.and(fields.published_at),
        publisher,
        dateline,
        author: fields.author,
        url: fields.url,
        subtitle: fields.subtitle,
        body,
        body_offset,
        body_line,
    }
}

#[derive(Default)]
struct HeaderFields<'a> {
    subtitle: Option<(&'a str, usize, u64)>,
    date: Option<Date>,
    published_at: Option<jiff::Timestamp>,
    publisher: Option<String>,
    author: Option<String>,
    url: Option<String>,
}

/// Rules 1 and 2. Returns the byte offset of the body and the number of lines before it.
fn parse_header<'a>(
    text: &'a str,
    headline: &mut Option<String>,
    fields: &mut HeaderFields<'a>,
) -> (usize, u64) {
    // The head is everything up to the first blank line. An empty first line stands for a
    // missing headline when header lines follow it (get-lee2005.sh writes that).
    let mut lines = Vec::new();
    let mut offset = 0;
    let mut skipped = 0;
    let mut blank_end = None;
    let first_line_empty = lines::lines(text).next().is_some_and(|l| l.trim().is_empty());
    let second_is_known_key = lines::lines(text)
        .nth(1)
        .and_then(key_value)
        .is_some_and(|(key, _)| known_key(key).is_some());
    if first_line_empty && second_is_known_key {
        offset = lines::split_inclusive(text).next().map_or(0, str::len);
        skipped = 1;
    }
    for line in lines::split_inclusive(&text[offset..]) {
        let content = lines::trim_break(line);
        offset += line.len();
        if content.trim().is_empty() {
            blank_end = Some(offset);
            break;
        }
        lines.push(content);
        if lines.len() > 40 {
            break;
        }
    }
    let Some(body_offset) = blank_end else { return (0, 0) };
    let Some((first, rest)) = lines.split_first() else { return (0, 0) };

    // "Exclusive: Grain deal collapses" is a headline, not an `Exclusive` header.
    let first_is_field = key_value(first).is_some_and(|(key, _)| known_key(key).is_some())
        || (skipped == 1 && key_value(first).is_some());
    let all_fields_after_first = rest.iter().all(|line| key_value(line).is_some());
    // A lone `Note: …` line is text, not a header: a header needs a headline or a known key.
    let has_known_key =
        lines.iter().filter_map(|line| key_value(line)).any(|(key, _)| known_key(key).is_some());
    // Header lines below a line vouch for it as a headline, even one ending "TO U.S.";
    // a lone line must also not read like a sentence.
    let vouched = has_known_key && !first.trim().is_empty();
    let first_is_headline = !first_is_field
        && (is_headline(first) || vouched && first.chars().any(char::is_alphabetic))
        && syndication_stamp(first).is_none()
        && (has_known_key || !ends_like_a_sentence(first));
    if !(all_fields_after_first && (first_is_headline || (first_is_field && has_known_key))) {
        return (0, 0);
    }
    if first_is_headline {
        *headline = Some(clean(first));
    }
    let mut header_lines = skipped + lines.len() as u64 + 1;
    read_fields(text, &lines, 1 + skipped, headline, fields);
    // A lone headline, a blank line, then the header block: `Date:`, `Source:` lines.
    if lines.len() == 1 && first_is_headline {
        let block: Vec<&str> =
            lines::lines(&text[body_offset..]).take_while(|l| !l.trim().is_empty()).collect();
        let all_fields = !block.is_empty() && block.iter().all(|line| key_value(line).is_some());
        let known = block.iter().filter_map(|l| key_value(l)).any(|(k, _)| known_key(k).is_some());
        let ends_blank = lines::lines(&text[body_offset..]).nth(block.len()).is_some();
        if all_fields && known && ends_blank && block.len() <= 40 {
            read_fields(text, &block, header_lines + 1, headline, fields);
            let consumed: usize = lines::split_inclusive(&text[body_offset..])
                .take(block.len() + 1)
                .map(str::len)
                .sum();
            header_lines += block.len() as u64 + 1;
            return (body_offset + consumed, header_lines);
        }
    }
    (body_offset, header_lines)
}

/// Reads the known `Key: value` lines of a header block (slices of `text`) whose first line
/// is line `first_line` of the text.
fn read_fields<'a>(
    text: &'a str,
    block: &[&'a str],
    first_line: u64,
    headline: &mut Option<String>,
    fields: &mut HeaderFields<'a>,
) {
    for (number, line) in (first_line..).zip(block.iter().copied()) {
        let Some((key, raw)) = key_value(line) else { continue };
        let value = clean(raw);
        if value.is_empty() {
            continue;
        }
        match known_key(key) {
            Some(Key::Title) => *headline = Some(value),
            Some(Key::Subtitle) => {
                let verbatim = raw.trim();
                let offset = verbatim.as_ptr() as usize - text.as_ptr() as usize;
                fields.subtitle = Some((verbatim, offset, number));
            }
            Some(Key::Date) => {
                fields.date = parse_date(&value);
                fields.published_at = crate::moment::parse(&value);
            }
            Some(Key::Publisher) => fields.publisher = Some(value),
            Some(Key::Author) => fields.author = Some(value),
            Some(Key::Url) => fields.url = Some(value),
            None => {}
        }
    }
}

enum Key {
    Title,
    Subtitle,
    Date,
    Publisher,
    Author,
    Url,
}

fn known_key(key: &str) -> Option<Key> {
    Some(match key.to_ascii_lowercase().as_str() {
        "title" | "headline" => Key::Title,
        "subtitle" | "subheadline" | "subhead" | "dek" | "standfirst" => Key::Subtitle,
        "date" | "published" => Key::Date,
        "source" | "publisher" | "outlet" => Key::Publisher,
        "author" | "byline" | "by" => Key::Author,
        "url" | "link" => Key::Url,
        _ => return None,
    })
}

/// `Key: value`, where the key is a short word or two (so a sentence with a colon is not one).
fn key_value(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim();
    let looks_like_key = (1..=24).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ' ')
        && key.split(' ').count() <= 2;
    // `value` must follow a space or end the line: `http://…` is not a header.
    (looks_like_key && (value.is_empty() || value.starts_with([' ', '\t']))).then_some((key, value))
}

fn is_headline(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty() && line.len() <= HEADLINE_MAX && line.chars().any(char::is_alphabetic)
}

/// Ends with sentence punctuation, not counting initials such as "U.S.".
fn ends_like_a_sentence(line: &str) -> bool {
    let line = line.trim_end();
    let last_word = line.rsplit(char::is_whitespace).next().unwrap_or("");
    let initials = last_word.len() >= 4
        && last_word.split_terminator('.').all(|part| part.chars().count() == 1);
    line.ends_with([',', ';', ':']) || (line.ends_with('.') && !initials)
}

/// Rule 3: the stamp of a syndication feed such as MENAFN, at the very start of the text.
/// Returns the bytes consumed, the date and the publisher named in parentheses.
fn syndication_stamp(body: &str) -> Option<(usize, Date, Option<String>)> {
    let trimmed = body.trim_start();
    let lead = body.len() - trimmed.len();
    let rest = trimmed.strip_prefix("date ").or_else(|| trimmed.strip_prefix("Date "))?;
    let date_text = rest.get(..10)?;
    let date = date_text.parse::<Date>().ok()?;
    let mut consumed = lead + "date ".len() + 10;
    let mut publisher = None;
    let after = &body[consumed..];
    let after_trimmed = after.trim_start_matches(' ');
    if let Some(inner) = after_trimmed.strip_prefix('(') {
        let close = inner.find(')')?;
        let name = inner[..close].trim();
        // `MENAFN- The Rio Times`: the feed, then the outlet it carries.
        let name = name.split_once("- ").map_or(name, |(_, outlet)| outlet).trim();
        if !name.is_empty() {
            publisher = Some(name.to_string());
        }
        consumed += (after.len() - after_trimmed.len()) + 1 + close + 1;
    }
    let tail = &body[consumed..];
    consumed += tail.len() - tail.trim_start().len();
    Some((consumed, date, publisher))
}

/// Rule 4: `WASHINGTON –`, `NEW YORK, Jan 5 (Reuters) -`. Returns the place and, when the
/// dateline names one in parentheses, the publisher.
pub(crate) fn dateline(body: &str) -> (Option<String>, Option<String>) {
    let first = lines::lines(body.trim_start()).next().unwrap_or("");
    let Some((head, _)) = [" – ", " — ", " - ", " -- "]
        .iter()
        .filter_map(|dash| first.split_once(dash))
        .min_by_key(|(head, _)| head.len())
    else {
        return (None, None);
    };
    if head.len() > 60 {
        return (None, None);
    }
    let (place_part, publisher) = match head.split_once('(') {
        Some((place, rest)) => {
            let name = rest.trim_end().trim_end_matches(')').trim();
            (place, (!name.is_empty()).then(|| name.to_string()))
        }
        None => (head, None),
    };
    let place = place_part.split(',').next().unwrap_or("").trim();
    let is_place = !place.is_empty()
        && place.chars().any(|c| c.is_alphabetic())
        && place.chars().all(|c| c.is_uppercase() || " .'-".contains(c));
    if is_place { (Some(place.to_string()), publisher) } else { (None, None) }
}

/// Rule 5: a closing line such as `Follow Emily’s Hope for the latest on this story.`
fn sign_off(body: &str) -> Option<String> {
    let last = lines::lines(body).filter(|line| !line.trim().is_empty()).last()?.trim();
    let rest = last.strip_prefix("Follow ")?;
    let (name, _) = rest.split_once(" for the latest").or_else(|| rest.split_once(" for more"))?;
    let name = name.trim();
    let plausible = (2..=60).contains(&name.len())
        && name.starts_with(char::is_uppercase)
        && !name.contains(['.', ',']);
    plausible.then(|| name.to_string())
}

/// The lead sentence, shortened at a word boundary.
pub(crate) fn derive_title(body: &str) -> Title {
    let Some(first) = lines::lines(body).map(str::trim).find(|line| !line.is_empty()) else {
        return Title::Missing;
    };
    let sentence = lead_sentence(first);
    if sentence.len() <= DERIVED_TITLE_MAX {
        return Title::Derived(clean(sentence));
    }
    let mut cut = DERIVED_TITLE_MAX;
    while !sentence.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &sentence[..cut];
    let head = head.rfind(' ').map_or(head, |space| &head[..space]);
    let head = head.trim_end_matches([',', ';', ':', ' ', '–', '-']);
    Title::Derived(format!("{}…", clean(head)))
}

/// The text up to the first sentence end (`. ` followed by a capital), or the whole line.
fn lead_sentence(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, _) in line.match_indices(". ") {
        let next = line[i + 2..].chars().next();
        // "U.S. raised" is not a sentence end; "problem. This" is.
        let before = if i >= 2 { bytes[i - 2] } else { b' ' };
        let last = if i >= 1 { bytes[i - 1] } else { b' ' };
        if next.is_some_and(char::is_uppercase) && before != b'.' && !last.is_ascii_uppercase() {
            return &line[..=i];
        }
    }
    line
}

/// Collapses runs of whitespace, which scraped text is full of.
fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses the dates that report headers carry: `2024-01-31`, RFC 3339 and RFC 2822
/// timestamps, `January 31, 2024`, `31 January 2024`, `Jan 31, 2024`, Reuters-21578's
/// `26-FEB-1987 15:01:79.08`.
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if let Some(day) = text.get(..10).and_then(|head| head.parse::<Date>().ok()) {
        return Some(day);
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(text) {
        return Some(zoned.date());
    }
    const FORMATS: [&str; 6] =
        ["%B %d, %Y", "%B %d %Y", "%d %B %Y", "%b %d, %Y", "%b %d %Y", "%d %b %Y"];
    let text = text.replace("Sept ", "Sep ");
    FORMATS
        .iter()
        .find_map(|format| Date::strptime(format, &text).ok())
        .or_else(|| crate::moment::reuters(&text).map(|(day, _)| day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn seed(name: &str) -> String {
        let path = format!("{}/../../index-data/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// The bundled reports, as a reader of each file would describe them.
    #[test]
    fn seeds_extract_as_a_reader_would_describe_them() {
        let text = seed("000_b8e9663bd08e168f.txt");
        let r = extract(&text);
        assert_eq!(
            r.title,
            Title::Headline("US and China to Resume Fentanyl Talks in Beijing".into())
        );
        assert_eq!((r.date, r.publisher.as_deref(), r.dateline.as_deref()), (None, None, None));
        assert!(r.body.starts_with("U.S. and Chinese Officials to Hold Talks"));
        assert_eq!(r.body_line, 3);

        let text = seed("001_a4db0f5c5cea3440.txt");
        let r = extract(&text);
        assert_eq!(
            r.title,
            Title::Headline("China & US In Talks To Tackle Fentanyl Crisis".into())
        );
        assert_eq!((r.date, r.publisher.as_deref(), r.dateline.as_deref()), (None, None, None));

        let text = seed("002_4ef75ab85a35cca5.txt");
        let r = extract(&text);
        assert_eq!(
            r.title,
            Title::Derived(
                "The US and China will participate in vital discussions to limit the flow of fentanyl into…".into()
            )
        );
        assert_eq!((r.date, r.publisher.as_deref(), r.dateline.as_deref()), (None, None, None));
        assert_eq!((r.body_offset, r.body_line), (0, 1));

        let text = seed("003_63e613daaea22d0e.txt");
        let r = extract(&text);
        assert_eq!(r.date, Some(date(2024, 1, 31)));
        assert_eq!(r.publisher.as_deref(), Some("The Rio Times"));
        assert_eq!(r.dateline, None);
        assert_eq!(
            r.title,
            Title::Derived(
                "China and the U.S. have recently restarted discussions in Beijing, focusing on the global…"
                    .into()
            )
        );
        assert!(r.body.starts_with("China and the U.S. have recently restarted"));
        assert_eq!(&text[r.body_offset..r.body_offset + 5], "China");

        let text = seed("004_fe16e4a74ebfb5f5.txt");
        let r = extract(&text);
        assert_eq!(
            r.title,
            Title::Headline("U.S. & China to hold high-level fentanyl talks this week".into())
        );
        assert_eq!(r.date, None);
        assert_eq!(r.dateline.as_deref(), Some("WASHINGTON"));
        assert_eq!(r.publisher.as_deref(), Some("Emily’s Hope"));
    }

    #[test]
    fn corpus_header_block_is_read() {
        let text = "BAHIA COCOA REVIEW\nDate: 1987-02-26\nSource: Reuters\nTopics: cocoa\n\nShowers continued throughout the week.\n";
        let r = extract(text);
        assert_eq!(r.title, Title::Headline("BAHIA COCOA REVIEW".into()));
        assert_eq!(r.date, Some(date(1987, 2, 26)));
        assert_eq!(r.publisher.as_deref(), Some("Reuters"));
        assert_eq!(r.body, "Showers continued throughout the week.\n");
        assert_eq!(r.body_line, 6);
    }

    #[test]
    fn a_headline_may_end_in_initials() {
        let text = "TAIWAN TO SEEK HIGHER TEXTILE EXPORTS TO U.S.\nDate: 1987-03-02\nSource: Reuters\n\nA Taiwan mission will leave.\n";
        let r = extract(text);
        assert_eq!(
            r.title,
            Title::Headline("TAIWAN TO SEEK HIGHER TEXTILE EXPORTS TO U.S.".into())
        );
        assert_eq!(r.date, Some(date(1987, 3, 2)));
        let lone = extract("Talks resume with the U.S.\n\nOfficials met.\n");
        assert_eq!(lone.title, Title::Headline("Talks resume with the U.S.".into()));
        let sentence = extract("Officials met on Tuesday.\n\nThey agreed.\n");
        assert_eq!(sentence.title, Title::Derived("Officials met on Tuesday.".into()));
    }

    #[test]
    fn keyed_header_without_headline_line() {
        let text = "Title: Port strike ends\r\nDate: March 3, 2024\r\nPublisher: The Tribune\r\nAuthor: A. Writer\r\nURL: https://example.com/a\r\n\r\nLONDON (Reuters) - Dockers voted.\r\n";
        let r = extract(text);
        assert_eq!(r.title, Title::Headline("Port strike ends".into()));
        assert_eq!(r.date, Some(date(2024, 3, 3)));
        assert_eq!(r.publisher.as_deref(), Some("The Tribune"));
        assert_eq!(r.author.as_deref(), Some("A. Writer"));
        assert_eq!(r.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(r.dateline.as_deref(), Some("LONDON"));
        assert!(r.body.starts_with("LONDON"));
        assert_eq!(r.body_line, 7);
    }

    #[test]
    fn empty_headline_line_before_header_lines() {
        let text =
            "\nSource: Lee, Pincombe & Welsh (2005) newswire set\n\nThe council met today.\n";
        let r = extract(text);
        assert_eq!(r.publisher.as_deref(), Some("Lee, Pincombe & Welsh (2005) newswire set"));
        assert_eq!(r.title, Title::Derived("The council met today.".into()));
        assert_eq!((r.body_line, &text[r.body_offset..]), (4, "The council met today.\n"));
    }

    #[test]
    fn a_headline_may_contain_a_colon() {
        let r = extract("Exclusive: Grain deal collapses\nDate: 2023-07-17\n\nThe deal ended.\n");
        assert_eq!(r.title, Title::Headline("Exclusive: Grain deal collapses".into()));
        assert_eq!(r.date, Some(date(2023, 7, 17)));
    }

    #[test]
    fn a_stamp_on_its_own_line_keeps_line_numbers_right() {
        let text = "date 2024-01-31 (MENAFN- The Rio Times)\n\nChina and the U.S. met.\n";
        let r = extract(text);
        assert_eq!((r.body_line, r.body), (3, "China and the U.S. met.\n"));
        assert_eq!(r.publisher.as_deref(), Some("The Rio Times"));
    }

    #[test]
    fn dateline_names_publisher_when_no_header_does() {
        let r = extract("Grain exports rise\n\nNEW YORK, Jan 5 (Reuters) - Exports rose.\n");
        assert_eq!(r.dateline.as_deref(), Some("NEW YORK"));
        assert_eq!(r.publisher.as_deref(), Some("Reuters"));
    }

    #[test]
    fn unknown_stays_unknown() {
        let r = extract("The ministry said on Tuesday that talks would resume. More later.");
        assert_eq!(r.date, None);
        assert_eq!(r.publisher, None);
        assert_eq!(r.dateline, None);
        assert_eq!(
            r.title,
            Title::Derived("The ministry said on Tuesday that talks would resume.".into())
        );
        assert_eq!(extract("").title, Title::Missing);
        assert_eq!(extract("\n\n  \n").title, Title::Missing);
    }

    #[test]
    fn bad_dates_are_not_guessed() {
        assert_eq!(parse_date("sometime last week"), None);
        assert_eq!(parse_date("2024-13-45"), None);
        assert_eq!(parse_date("Tue, 30 Jan 2024 10:00:00 +0000"), Some(date(2024, 1, 30)));
        assert_eq!(parse_date("31 January 2024"), Some(date(2024, 1, 31)));
        assert_eq!(parse_date("26-FEB-1987 15:01:79.08"), Some(date(1987, 2, 26)));
        assert_eq!(parse_date("2024-01-31T23:00:00-05:00"), Some(date(2024, 1, 31)));
    }

    proptest::proptest! {
        #[test]
        fn extraction_never_panics_and_body_is_a_slice(text in "\\PC{0,300}") {
            let r = extract(&text);
            proptest::prop_assert_eq!(&text[r.body_offset..], r.body);
        }
    }
}
