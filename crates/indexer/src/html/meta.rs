//! What a news page says about itself: headline, date, publisher, author, URL and language.
//!
//! Each field comes from the first of these that states it (never from the article text,
//! and a date is never guessed):
//! 1. schema.org JSON-LD: the first `NewsArticle` (or other `*Article`, `BlogPosting`)
//!    object, in a `<script type="application/ld+json">`, also inside `@graph`:
//!    `headline`, `datePublished`, `publisher` (its `name`), `author` (each `name`), `url`
//!    or `mainEntityOfPage`, `inLanguage`.
//! 2. OpenGraph and `article:*` meta tags: `og:title`, `article:published_time`,
//!    `og:site_name`, `article:author` (when a name, not a profile URL), `og:url`,
//!    `og:locale`.
//! 3. The page itself: `<title>`; the `datetime` of a `<time>` marked `itemprop=
//!    "datePublished"` or `pubdate`, or of the first `<time>` in the `<article>`; `<meta
//!    name="author">`, then the byline the extractor found; `<link rel="canonical">`;
//!    `<html lang>`.
//!
//! A date is the day written at the start of the value (`2023-11-06T20:03:00-05:00` is
//! 6 November, the day where it was published); a value that does not start with one is no
//! date. A URL must be absolute (`http://` or `https://`).

use dom_query::Document;
use jiff::civil::Date;
use serde_json::Value;

/// The metadata of a page.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct PageMeta {
    pub headline: Option<String>,
    pub date: Option<Date>,
    /// The moment the date states, when it gives a time of day.
    pub published_at: Option<jiff::Timestamp>,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    /// As declared (`en-US`, `zh-Hans`); the indexer normalises it.
    pub language: Option<String>,
}

/// Reads `doc`'s metadata, in the order of precedence above.
pub(crate) fn read(doc: &Document) -> PageMeta {
    let ld = json_ld_article(doc).map(|article| from_json_ld(&article)).unwrap_or_default();
    let og = PageMeta {
        headline: meta(doc, "og:title"),
        date: meta(doc, "article:published_time").as_deref().and_then(day),
        published_at: meta(doc, "article:published_time").as_deref().and_then(moment),
        publisher: meta(doc, "og:site_name"),
        author: meta(doc, "article:author").filter(|author| !author.contains("://")),
        url: meta(doc, "og:url").filter(|url| absolute(url)),
        language: meta(doc, "og:locale"),
    };
    let page = PageMeta {
        headline: doc.select("title").nodes().first().map(|title| clean(&title.text())),
        date: time_element(doc),
        published_at: None,
        publisher: None,
        author: meta(doc, "author"),
        url: doc
            .select("link[rel~=canonical]")
            .nodes()
            .iter()
            .find_map(|link| link.attr("href"))
            .map(|href| href.trim().to_string())
            .filter(|url| absolute(url)),
        language: doc
            .select("html[lang]")
            .nodes()
            .first()
            .and_then(|html| html.attr("lang"))
            .map(|lang| lang.trim().to_string())
            .filter(|lang| !lang.is_empty()),
    };
    // The moment comes from the value the day was taken from, or from none.
    let published_at =
        [&ld, &og, &page].into_iter().find(|m| m.date.is_some()).and_then(|m| m.published_at);
    PageMeta {
        headline: ld.headline.or(og.headline).or(page.headline).filter(|s| !s.is_empty()),
        date: ld.date.or(og.date).or(page.date),
        published_at,
        publisher: ld.publisher.or(og.publisher).or(page.publisher),
        author: ld.author.or(og.author).or(page.author),
        url: ld.url.or(og.url).or(page.url),
        language: ld.language.or(og.language).or(page.language),
    }
}

/// The first article object in the page's JSON-LD, news articles first.
fn json_ld_article(doc: &Document) -> Option<Value> {
    let mut articles = Vec::new();
    for script in doc.select("script[type]").nodes() {
        let is_ld = script
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
        if !is_ld {
            continue;
        }
        let text = script.text();
        let text = text.trim().trim_start_matches("<!--").trim_end_matches("-->").trim();
        let text =
            text.strip_prefix("<![CDATA[").and_then(|t| t.strip_suffix("]]>")).unwrap_or(text);
        if let Ok(value) = serde_json::from_str::<Value>(text) {
            collect_articles(value, &mut articles, 0);
        }
    }
    let news = articles.iter().position(|a| types(a).iter().any(|t| t.ends_with("NewsArticle")));
    let pick = news.or((!articles.is_empty()).then_some(0))?;
    Some(articles.swap_remove(pick))
}

fn collect_articles(value: Value, into: &mut Vec<Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match value {
        Value::Array(items) => {
            items.into_iter().for_each(|item| collect_articles(item, into, depth + 1))
        }
        Value::Object(mut object) => {
            if let Some(graph) = object.remove("@graph") {
                collect_articles(graph, into, depth + 1);
            }
            let value = Value::Object(object);
            if types(&value).iter().any(|t| t.ends_with("Article") || t.ends_with("BlogPosting")) {
                into.push(value);
            }
        }
        _ => {}
    }
}

/// The object's `@type`s, without a `schema:` or URL prefix.
fn types(value: &Value) -> Vec<&str> {
    fn short(t: &Value) -> Option<&str> {
        t.as_str().map(|t| t.rsplit(['/', ':']).next().unwrap_or(t))
    }
    match &value["@type"] {
        Value::Array(items) => items.iter().filter_map(short).collect(),
        single => short(single).into_iter().collect(),
    }
}

fn from_json_ld(article: &Value) -> PageMeta {
    let text = |value: &Value| value.as_str().map(clean).filter(|s| !s.is_empty());
    let name = |value: &Value| match value {
        Value::Object(_) => text(&value["name"]),
        _ => text(value),
    };
    let names = |value: &Value| -> Option<String> {
        let list: Vec<String> = match value {
            Value::Array(items) => items.iter().filter_map(name).collect(),
            single => name(single).into_iter().collect(),
        };
        (!list.is_empty()).then(|| list.join(", "))
    };
    let first = |value: &Value| match value {
        Value::Array(items) => items.first().and_then(name),
        single => name(single),
    };
    let page = match &article["mainEntityOfPage"] {
        Value::Object(page) => page.get("@id").and_then(text),
        other => text(other),
    }
    // An `@id` may name a node of the page (`…#webpage`): the page is the URL before it.
    .map(|id| id.split('#').next().unwrap_or_default().to_string());
    PageMeta {
        headline: text(&article["headline"]).or_else(|| text(&article["name"])),
        date: text(&article["datePublished"]).as_deref().and_then(day),
        published_at: text(&article["datePublished"]).as_deref().and_then(moment),
        publisher: first(&article["publisher"]),
        author: names(&article["author"]).filter(|author| !author.contains("://")),
        url: text(&article["url"]).or(page).filter(|url| absolute(url)),
        // A `Language` object names its code as `alternateName`.
        language: match &article["inLanguage"] {
            Value::Object(language) => language.get("alternateName").and_then(text),
            other => first(other),
        },
    }
}

/// The `content` of the first `<meta property=key>` or `<meta name=key>`.
fn meta(doc: &Document, key: &str) -> Option<String> {
    doc.select("meta[content]").nodes().iter().find_map(|tag| {
        let named = ["property", "name", "itemprop"]
            .iter()
            .any(|attr| tag.attr(attr).is_some_and(|value| value.trim().eq_ignore_ascii_case(key)));
        named
            .then(|| tag.attr("content").map(|content| clean(&content)))
            .flatten()
            .filter(|s| !s.is_empty())
    })
}

/// The date of the page's publication `<time>`.
fn time_element(doc: &Document) -> Option<Date> {
    let marked = doc.select("time[datetime]").nodes().iter().find_map(|time| {
        let published = time.attr("itemprop").is_some_and(|p| p.trim() == "datePublished")
            || time.has_attr("pubdate");
        published.then(|| time.attr("datetime")).flatten()
    });
    let first_in_article = || {
        doc.select("article time[datetime]").nodes().first().and_then(|time| time.attr("datetime"))
    };
    marked.or_else(first_in_article).as_deref().and_then(day)
}

/// The moment of an ISO 8601 value that gives a time of day with its day.
fn moment(value: &str) -> Option<jiff::Timestamp> {
    day(value).and(crate::moment::parse(value))
}

/// The day at the start of an ISO 8601 value: `2023-11-06…` or `20231106T…`.
pub(crate) fn day(value: &str) -> Option<Date> {
    let value = value.trim();
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (y, m, d) = match value.as_bytes() {
        [_, _, _, _, b'-', _, _, b'-', _, _, rest @ ..]
            if rest.first().is_none_or(|b| !b.is_ascii_digit()) =>
        {
            (&value[..4], &value[5..7], &value[8..10])
        }
        [_, _, _, _, _, _, _, _, rest @ ..] if rest.first().is_none_or(|&b| b == b'T') => {
            (&value[..4], &value[4..6], &value[6..8])
        }
        _ => return None,
    };
    if !(digits(y) && digits(m) && digits(d)) {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

fn absolute(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// `text` with whitespace runs collapsed and trimmed.
fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn page(head: &str, body: &str) -> PageMeta {
        read(&Document::from(format!(
            "<html lang=\"es\"><head>{head}</head><body>{body}</body></html>"
        )))
    }

    const LD: &str = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
        {"@type":"WebSite","name":"Site"},
        {"@type":["NewsArticle"],"headline":"LD headline","datePublished":"2023-11-06T20:03:00-05:00",
         "publisher":{"@type":"Organization","name":"LD Times"},
         "author":[{"@type":"Person","name":"Ann Lee"},{"@type":"Person","name":"Bo Chen"}],
         "mainEntityOfPage":{"@id":"https://example.com/ld"},"inLanguage":"de-DE"}]}</script>"#;
    const OG: &str = r#"<meta property="og:title" content="OG title"><meta property="article:published_time" content="2023-11-05">
        <meta property="og:site_name" content="OG Site"><meta property="og:url" content="https://example.com/og">
        <meta property="article:author" content="https://example.com/people/ann">
        <meta property="og:locale" content="fr_FR">"#;
    const HTML: &str = r#"<title> Page | Site </title><meta name="author" content="Meta Author">
        <link rel="canonical" href="https://example.com/canonical">"#;

    #[test]
    fn json_ld_wins_then_opengraph_then_the_page() {
        assert_eq!(
            page(&format!("{HTML}{OG}{LD}"), ""),
            PageMeta {
                headline: Some("LD headline".into()),
                date: Some(date(2023, 11, 6)),
                published_at: Some("2023-11-07T01:03:00Z".parse().unwrap()),
                publisher: Some("LD Times".into()),
                author: Some("Ann Lee, Bo Chen".into()),
                url: Some("https://example.com/ld".into()),
                language: Some("de-DE".into()),
            }
        );
        assert_eq!(
            page(&format!("{HTML}{OG}"), ""),
            PageMeta {
                headline: Some("OG title".into()),
                date: Some(date(2023, 11, 5)),
                published_at: None,
                publisher: Some("OG Site".into()),
                // article:author is a profile URL, not a name.
                author: Some("Meta Author".into()),
                url: Some("https://example.com/og".into()),
                language: Some("fr_FR".into()),
            }
        );
        assert_eq!(
            page(HTML, r#"<article><time datetime="2020-01-02">Jan 2</time></article>"#),
            PageMeta {
                headline: Some("Page | Site".into()),
                date: Some(date(2020, 1, 2)),
                published_at: None,
                publisher: None,
                author: Some("Meta Author".into()),
                url: Some("https://example.com/canonical".into()),
                language: Some("es".into()),
            }
        );
    }

    #[test]
    fn a_date_is_never_guessed() {
        // A <time> outside the article (a comment's, a related link's) is not the article's.
        assert_eq!(
            page("<title>T</title>", r#"<aside><time datetime="2020-01-02">x</time></aside>"#).date,
            None
        );
        assert_eq!(
            page(r#"<meta property="article:published_time" content="last Tuesday">"#, "").date,
            None
        );
        assert_eq!(
            page("", r#"<time itemprop="datePublished" datetime="20180619T055000+0900">x</time>"#)
                .date,
            Some(date(2018, 6, 19))
        );
        assert_eq!(day("2023-02-30"), None);
        assert_eq!(day("2023-11-0612"), None);
        assert_eq!(day("December 27, 2014"), None);
    }

    #[test]
    fn broken_json_ld_and_relative_urls_are_passed_over() {
        let head = r#"<script type="application/ld+json">{"@type":"NewsArticle", "headline": </script>
            <script type="application/ld+json">{"@type":"Article","headline":"Second","url":"/relative"}</script>
            <link rel="canonical" href="8003098">"#;
        let meta = page(head, "");
        assert_eq!(meta.headline.as_deref(), Some("Second"));
        assert_eq!(meta.url, None);
    }
}
