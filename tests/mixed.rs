//! One folder of every kind Dateline reads, and dumps of mixed encodings, all made from real
//! text (Reuters-21578 reports, the real news pages of `news_html()`). Properties:
//! 1. A folder mixing `.txt`, `.md` with front matter, `.html`, `.jsonl`, `.csv`, `.warc.gz`
//!    and an RSS feed gives every report its headline, date, publisher and URL.
//! 2. A JSON Lines line that is not UTF-8 is left out with its line number, the rest of the
//!    file indexed; a CSV row that is not UTF-8 is decoded (Windows-1252) and indexed, its
//!    passages pointing at its bytes, with one warning naming the first such line.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::util::*;

/// Headline, date, source and body of Reuters report `i` (0-based, by name).
fn reuters(i: usize) -> (String, String, String, String) {
    let path = &reuters_files(i + 1)[i];
    let text = std::fs::read_to_string(path).unwrap();
    let (head, body) = text.split_once("\n\n").unwrap();
    let field = |name: &str| head.lines().find_map(|l| l.strip_prefix(name)).unwrap().to_string();
    (head.lines().next().unwrap().to_string(), field("Date: "), field("Source: "), body.to_string())
}

type Metadata = (String, String, String, Option<String>);

/// Headline, date, publisher and URL of each report of `results`, by name.
fn metadata(results: &Value) -> BTreeMap<String, Metadata> {
    let hits = results["hits"].as_array().unwrap();
    hits.iter()
        .map(|hit| {
            let text = |field: &str| hit[field].as_str().unwrap_or_default().to_string();
            let name = text("name").trim_start_matches("reports/").to_string();
            (
                name,
                (
                    text("title"),
                    text("date"),
                    text("publisher"),
                    hit["url"].as_str().map(str::to_string),
                ),
            )
        })
        .collect()
}

/// What real pages give indexed alone (checked against newspaper4k's metadata by `html::`).
fn pages_alone(names: &[&str]) -> BTreeMap<String, Metadata> {
    let corpus = Corpus::empty();
    for name in names {
        let page = news_html().join(format!("html/{name}.html"));
        std::fs::copy(page, corpus.reports().join(format!("{name}.html"))).unwrap();
    }
    corpus.index_cmd().assert().success();
    metadata(&corpus.search_json("*", &["--limit", "50"]))
}

fn url(i: usize) -> String {
    format!("https://reuters.example.org/{i}")
}

#[test]
fn a_folder_of_every_kind_gives_each_report_its_metadata() {
    let corpus = Corpus::empty();
    // name → (headline, date, publisher, URL)
    let mut expected: BTreeMap<String, Metadata> = BTreeMap::new();
    let alone = pages_alone(&["time_001", "cnn_article", "wired_001"]);
    let txt = &reuters_files(1)[0];
    corpus.write("report.txt", std::fs::read(txt).unwrap());
    let (title, date, source, _) = reuters(0);
    expected.insert("report.txt".into(), (title, date, source, None));

    let (title, date, source, body) = reuters(1);
    let front = format!(
        "---\ntitle: \"{}\"\ndate: {date}\nsource: {source}\nurl: {}\nlang: en-GB\n---\n\n{body}",
        title.replace('"', "\\\""),
        url(1)
    );
    corpus.write("story.md", front);
    expected.insert("story.md".into(), (title, date, source, Some(url(1))));

    let html = news_html().join("html/time_001.html");
    corpus.write("page.html", std::fs::read(html).unwrap());
    expected.insert("page.html".into(), alone["time_001.html"].clone());

    let mut lines = String::new();
    let mut csv = String::from("headline,text,date,source,url,language\n");
    for (i, name) in [(2, "dump.jsonl:1"), (3, "dump.jsonl:2")] {
        let (title, date, source, body) = reuters(i);
        lines +=
            &(json!({"title": title, "text": body, "date": date, "source": source, "url": url(i), "lang": "en"})
                .to_string()
                + "\n");
        expected.insert(name.into(), (title, date, source, Some(url(i))));
    }
    let mut line = 2;
    for i in [4, 5] {
        let (title, date, source, body) = reuters(i);
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        csv += &format!("{},{},{date},{source},{},en-US\n", quote(&title), quote(&body), url(i));
        expected.insert(format!("dump.csv:{line}"), (title, date, source, Some(url(i))));
        line += 1 + body.matches('\n').count();
    }
    corpus.write("dump.jsonl", lines);
    corpus.write("dump.csv", csv);

    let mut items = String::new();
    for (n, i) in [6, 7].into_iter().enumerate() {
        let (title, date, _, body) = reuters(i);
        let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        items += &format!(
            "<item><title>{}</title><link>{}</link><pubDate>{date}</pubDate><dc:language>en</dc:language><description>{}</description></item>\n",
            escape(&title),
            url(i),
            escape(&body)
        );
        expected.insert(
            format!("wire.rss#{}", n + 1),
            (title, date, "Reuters Wire".into(), Some(url(i))),
        );
    }
    corpus.write("wire.rss", format!("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Reuters Wire</title>\n{items}</channel></rss>\n"));

    let crawl = corpus.reports().join("crawl.warc.gz");
    let uri = |name: &str| format!("https://crawl.example.org/{name}");
    let pages = ["cnn_article", "wired_001"]
        .map(|name| (news_html().join(format!("html/{name}.html")), uri(name), "text/html"));
    crate::warc::write_warc(&crawl, true, &pages);
    // warcinfo, then a request, a metadata and a response record a page. The crawl's URL and
    // date stand in for those the page does not state.
    for (record, name) in [(4, "cnn_article"), (7, "wired_001")] {
        let (title, date, publisher, url) = alone[&format!("{name}.html")].clone();
        let date = if date.is_empty() { crate::warc::CRAWLED.to_string() } else { date };
        let url = url.or(Some(uri(name)));
        expected.insert(format!("crawl.warc.gz#{record}"), (title, date, publisher, url));
    }

    let output = corpus.index_cmd().output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let results = corpus.search_json("*", &["--limit", "50"]);
    assert_eq!(metadata(&results), expected);
    // Every report here but the plain text declares its language (front matter `lang`, a
    // record's `lang`/`language` field, an item's `dc:language`, the page's `<html lang>`);
    // the plain text is Reuters English, detected.
    for hit in results["hits"].as_array().unwrap() {
        let name = hit["name"].as_str().unwrap();
        assert_eq!(hit["language"], "en", "{name}");
    }
}

#[test]
fn a_line_or_row_in_another_encoding_is_left_out_or_decoded_and_said() {
    let corpus = Corpus::empty();
    let (title, date, _, body) = reuters(0);
    let (title2, _, _, body2) = reuters(1);
    // The same report twice, once in Windows-1252 (as an older tool appends it).
    let latin = |s: &str| encoding_rs::WINDOWS_1252.encode(s).0.into_owned();
    let accented = format!("Café {title2}");
    let mut jsonl =
        (json!({"title": title, "text": body, "date": date}).to_string() + "\n").into_bytes();
    jsonl.extend(latin(&(json!({"title": accented, "text": body2}).to_string() + "\n")));
    jsonl.extend((json!({"title": "Third", "text": body2}).to_string() + "\n").as_bytes());
    corpus.write("dump.jsonl", &jsonl);
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut csv = format!("title,text\n{},{}\n", quote(&title), quote(&body)).into_bytes();
    let row_line = 3 + body.matches('\n').count();
    csv.extend(latin(&format!(
        "{},{}\n",
        quote(&accented),
        quote(&format!("Caf\u{e9} society. {body2}"))
    )));
    corpus.write("dump.csv", &csv);
    let output = corpus.index_cmd().output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("dump.jsonl: record :2 left out: not valid UTF-8"), "{err}");
    let said = format!(
        "dump.csv: 1 row(s) not UTF-8 (the first on line {row_line}); read as Windows-1252"
    );
    assert!(err.contains(&said), "{said} in {err}");
    let names = sorted(
        corpus.search_json("*", &[])["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["name"].as_str().unwrap().to_string())
            .collect(),
    );
    assert_eq!(
        names,
        [
            "reports/dump.csv:2".to_string(),
            format!("reports/dump.csv:{row_line}"),
            "reports/dump.jsonl:1".into(),
            "reports/dump.jsonl:3".into()
        ]
    );
    // The decoded row is searched as text, its passages pointing at its Windows-1252 bytes.
    let results = corpus.search_json("café", &[]);
    assert_eq!(results["hits"][0]["title"], accented.as_str());
    let passage = &results["hits"][0]["passages"][0];
    let offset = passage["offset"].as_u64().unwrap() as usize;
    let slice = &csv[offset..offset + passage["length"].as_u64().unwrap() as usize];
    assert_eq!(
        encoding_rs::WINDOWS_1252.decode_without_bom_handling(slice).0,
        passage["text"].as_str().unwrap()
    );
    let line = 1 + csv[..offset].iter().filter(|&&b| b == b'\n').count() as u64;
    assert_eq!(passage["line"].as_u64().unwrap(), line);
}
