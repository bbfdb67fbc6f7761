//! RSS and Atom feeds made at test time from real articles (the reference texts and metadata
//! of `news_html()`). Properties:
//! 1. Every item (RSS) or entry (Atom) is a report named `feed.rss#N`, with its title, link,
//!    date (the day as written, not moved to UTC), author, and the channel's title as
//!    publisher unless the item names a source; its HTML (escaped or in CDATA) is read as text.
//! 2. Passages point into the feed file: the passage's first word is at `offset`, its words
//!    lie in order before `offset + length` (markup and escapes between them), on its `line`.
//! 3. An `.xml` file that is not a feed is counted as not read; a broken feed is skipped.

use serde_json::Value;

use crate::util::*;

/// (title, link, written date and the day it names, author, paragraphs) of real articles.
struct Article {
    title: String,
    link: String,
    date: Option<(String, String)>,
    author: Option<String>,
    paragraphs: Vec<String>,
}

fn articles() -> Vec<Article> {
    ["cnn_article", "time_001", "wired_001", "spanish_article"]
        .iter()
        .map(|name| {
            let dir = news_html();
            let meta: Value = serde_json::from_slice(
                &std::fs::read(dir.join(format!("metadata/{name}.json"))).unwrap(),
            )
            .unwrap();
            let text = std::fs::read_to_string(dir.join(format!("txt/{name}.txt"))).unwrap();
            let day = meta["publish_date"].as_str().map(|date| date[..10].to_string());
            // Late in the evening west of Greenwich: in UTC it is already the next day.
            let date = day.map(|day| {
                let month = [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ][day[5..7].parse::<usize>().unwrap() - 1];
                (format!("{} {month} {} 23:30:00 -0500", &day[8..10], &day[..4]), day)
            });
            Article {
                title: meta["title"].as_str().unwrap().to_string(),
                link: meta["url"].as_str().unwrap().to_string(),
                date,
                author: meta["authors"]
                    .as_array()
                    .and_then(|a| a.first())
                    .and_then(|a| a.as_str())
                    .map(str::to_string),
                paragraphs: text
                    .split("\n\n")
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect(),
            }
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn html(article: &Article) -> String {
    article.paragraphs.iter().map(|p| format!("<p>{}</p>\n", escape(p))).collect()
}

/// RSS 2.0, the HTML of each description escaped; the first item names its source.
fn rss(articles: &[Article]) -> String {
    let mut items = String::new();
    for (i, article) in articles.iter().enumerate() {
        items += &format!(
            "<item>\n<title>{}</title>\n<link>{}</link>\n",
            escape(&article.title),
            escape(&article.link)
        );
        if let Some((written, _)) = &article.date {
            items += &format!("<pubDate>{written}</pubDate>\n");
        }
        if let Some(author) = &article.author {
            items += &format!("<dc:creator>{}</dc:creator>\n", escape(author));
        }
        if i == 0 {
            items += "<source url=\"https://wire.example.org/rss\">Wire Service</source>\n";
        }
        items += &format!("<description>{}</description>\n</item>\n", escape(&html(article)));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n<title>Dateline Test Wire</title>\n<link>https://wire.example.org/</link>\n{items}</channel>\n</rss>\n"
    )
}

/// Atom, the HTML of each entry in CDATA.
fn atom(articles: &[Article]) -> String {
    let mut entries = String::new();
    for article in articles {
        entries += &format!(
            "<entry>\n<title type=\"html\">{}</title>\n<link rel=\"alternate\" href=\"{}\"/>\n",
            escape(&article.title),
            escape(&article.link)
        );
        if let Some((_, day)) = &article.date {
            entries += &format!("<published>{day}T23:30:00-05:00</published>\n");
        }
        if let Some(author) = &article.author {
            entries += &format!("<author><name>{}</name></author>\n", escape(author));
        }
        entries +=
            &format!("<content type=\"html\"><![CDATA[{}]]></content>\n</entry>\n", html(article));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>Atom Test Desk</title>\n{entries}</feed>\n"
    )
}

#[test]
fn every_item_and_entry_is_a_report_with_its_metadata_placed_in_the_feed() {
    let articles = articles();
    let corpus = Corpus::empty();
    corpus.write("wire.rss", rss(&articles));
    corpus.write("desk.xml", atom(&articles));
    corpus.write(
        "sitemap.xml",
        "<?xml version=\"1.0\"?>\n<urlset><url><loc>https://x.org/</loc></url></urlset>\n",
    );
    corpus.write("broken.rss", rss(&articles).replace("</channel>", ""));
    let output = corpus.index_cmd().arg("--json").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    let not_read = summary["not_read"].as_array().unwrap();
    assert!(
        not_read.len() == 1 && not_read[0].as_str().unwrap().ends_with("sitemap.xml"),
        "{summary}"
    );
    let skipped = &summary["skipped"][0];
    assert!(skipped["path"].as_str().unwrap().ends_with("broken.rss"), "{summary}");
    assert_eq!(summary["skipped"].as_array().unwrap().len(), 1, "{summary}");

    let results = corpus.search_json("*", &["--limit", "20"]);
    assert_eq!(results["total"], 2 * articles.len());
    for hit in results["hits"].as_array().unwrap() {
        let name = hit["name"].as_str().unwrap();
        let (file, n) = name.rsplit_once('#').unwrap();
        let i: usize = n.parse::<usize>().unwrap() - 1;
        let article = &articles[i];
        assert_eq!(hit["title"], article.title.as_str(), "{name}");
        assert_eq!(hit["url"], article.link.as_str(), "{name}");
        assert_eq!(
            hit["date"].as_str(),
            article.date.as_ref().map(|(_, day)| day.as_str()),
            "{name}"
        );
        assert_eq!(hit["author"].as_str(), article.author.as_deref(), "{name}");
        let publisher = match (file, i) {
            ("reports/wire.rss", 0) => "Wire Service",
            ("reports/wire.rss", _) => "Dateline Test Wire",
            ("reports/desk.xml", _) => "Atom Test Desk",
            _ => panic!("{name}"),
        };
        assert_eq!(hit["publisher"], publisher, "{name}");
    }

    // Passages point into the feed, whatever escaping lies between their words.
    let results = corpus.search_json("the OR la OR climate", &["--limit", "20", "--passages", "3"]);
    let mut checked = 0;
    for hit in results["hits"].as_array().unwrap() {
        let bytes = std::fs::read(hit["path"].as_str().unwrap()).unwrap();
        for passage in hit["passages"].as_array().unwrap() {
            let offset = passage["offset"].as_u64().unwrap() as usize;
            let length = passage["length"].as_u64().unwrap() as usize;
            let slice = String::from_utf8_lossy(&bytes[offset..offset + length]);
            let text = passage["text"].as_str().unwrap();
            assert!(
                !text.contains("<p>") && !text.contains("&lt;") && !text.contains("CDATA"),
                "{passage}"
            );
            let mut rest: &str = &slice;
            let words = passage["text"].as_str().unwrap().split_whitespace();
            for (k, word) in words.filter(|w| w.chars().all(char::is_alphanumeric)).enumerate() {
                let at = rest
                    .find(word)
                    .unwrap_or_else(|| panic!("{word:?} of {passage} not in {slice:?}"));
                assert!(
                    k > 0 || at == 0 || !passage["text"].as_str().unwrap().starts_with(word),
                    "{passage}: {slice:?}"
                );
                rest = &rest[at + word.len()..];
            }
            let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u64;
            assert_eq!(passage["line"].as_u64().unwrap(), line, "{passage}");
            checked += 1;
        }
    }
    assert!(checked >= 8, "{checked}");
}
