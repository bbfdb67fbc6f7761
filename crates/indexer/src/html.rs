//! Web pages (`.html`, `.htm`, `.xhtml`): one report per page, its body the article's text.
//!
//! 1. [`charset`] decodes the bytes (byte-order mark, `<meta>` declaration, UTF-8, or
//!    detection), keeping where each character came from.
//! 2. The page is parsed (html5ever, through `dom_smoothie`) and [`meta`] reads its headline,
//!    date, publisher, author and URL from JSON-LD, OpenGraph and the page's own tags.
//! 3. `dom_smoothie`, a port of Mozilla's readability.js, finds the article: the text without
//!    navigation, ads, cookie banners, related links, comments and scripts. It was chosen by
//!    measurement on real news pages (see BENCHMARKS.md).
//! 4. [`source`] finds that text in the page, so that every passage points at the page's bytes
//!    and line.
//!
//! A page with no article text is skipped ([`Skip::NoArticleText`]).

mod charset;
mod meta;
pub(crate) mod source;

use dateline_schema::{LineMap, StoredReport, Title, date};
use dom_smoothie::{Config, Readability, TextMode};

use crate::{Skip, Warning, extract};

/// File extensions read as web pages (compared case-insensitively).
pub(crate) const EXTENSIONS: [&str; 3] = ["html", "htm", "xhtml"];

/// The least text outside links an article has, in characters (whitespace aside): what the
/// extractor finds on a page of links only (a section front, a menu) is not an article.
const MIN_ARTICLE_CHARS: usize = 40;

/// Whether the file stored under `key` is a web page (compressed or not), by its extension.
pub(crate) fn is_page(key: &str) -> bool {
    dateline_schema::formats::kind(std::path::Path::new(key))
        .is_some_and(|ext| EXTENSIONS.contains(&ext.as_str()))
}

/// The report of the page stored under `key`, with its caveats, or why it is skipped.
pub(crate) fn report(
    key: &str,
    bytes: &[u8],
    max_line_length: usize,
) -> Result<(StoredReport, Vec<Warning>), Skip> {
    // A UTF-16 page holds NUL bytes: only a page that is not one is checked for them.
    let utf16 =
        matches!(encoding_rs::Encoding::for_bom(bytes), Some((e, _)) if e != encoding_rs::UTF_8);
    if let Some(offset) = bytes.iter().position(|&b| b == 0).filter(|_| !utf16) {
        return Err(Skip::Binary { offset: offset as u64 });
    }
    let decoded = charset::decode(bytes);
    if decoded.text.trim().is_empty() {
        return Err(Skip::Empty);
    }
    let mut warnings: Vec<Warning> = decoded.note.iter().cloned().collect();
    let html: &str = &decoded.text;
    let (meta, article, byline) = parse(html).ok_or(Skip::NoArticleText)?;
    let flat = source::flatten(html);
    let placed = source::place(&flat, html, &article, |at| decoded.map.file_offset(at as u64))
        .filter(|placed| placed.unlinked >= MIN_ARTICLE_CHARS)
        .ok_or(Skip::NoArticleText)?;
    if placed.unplaced > 0 {
        tracing::debug!(
            key,
            words = placed.unplaced,
            "words of the extracted article not found in the page"
        );
    }
    if let Some((number, line)) = (placed.line..)
        .zip(dateline_schema::lines::lines(&placed.body))
        .find(|(_, line)| line.len() > max_line_length)
    {
        return Err(Skip::LineTooLong {
            line: number,
            len: line.len() as u64,
            limit: max_line_length as u64,
        });
    }
    let date = meta.date.filter(|&day| {
        let storable = date::in_range(day);
        if !storable {
            warnings.push(Warning::DateOutOfRange { date: day });
        }
        storable
    });
    let title = match meta.headline {
        Some(headline) => Title::Headline(headline),
        None => extract::derive_title(&placed.body),
    };
    let report = StoredReport {
        path: key.to_string(),
        title,
        published_at: date.and(meta.published_at),
        date,
        date_crawled: false,
        publisher: meta.publisher,
        dateline: None,
        author: meta.author.or(byline),
        url: meta.url,
        body: placed.body,
        body_offsets: placed.offsets,
        body_line: placed.line,
        // The body keeps the page's own line breaks.
        body_lines: LineMap::default(),
        record: None,
        language: meta.language,
    };
    Ok((report, warnings))
}

/// The page's metadata, its article text (a paragraph a line) and the byline the extractor
/// found; `None` if it found no article. The parser and extractor are third-party code run
/// on untrusted input: a panic in them is caught and taken as "no article".
fn parse(html: &str) -> Option<(meta::PageMeta, String, Option<String>)> {
    std::panic::catch_unwind(|| {
        let config = Config { text_mode: TextMode::Formatted, ..Config::default() };
        let mut readability = Readability::new(html, None, Some(config)).ok()?;
        let meta = meta::read(&readability.doc);
        let article = readability.parse().ok()?;
        let text = article.text_content.to_string();
        let byline = article.byline.map(|b| b.split_whitespace().collect::<Vec<_>>().join(" "));
        (!text.trim().is_empty()).then_some((meta, text, byline.filter(|b| !b.is_empty())))
    })
    .ok()
    .flatten()
}
