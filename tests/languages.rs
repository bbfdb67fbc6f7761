//! Reports in many languages, on real news pages fetched at test time
//! (`../shared/corpus/get-news-html.sh`: newspaper4k's pages and their reference texts) and
//! on reports written here. Properties:
//! - detection names the language of real texts that declare none, in several scripts;
//! - a language the report declares wins over detection (`<html lang>`, front matter, a
//!   record's `lang` field);
//! - every Chinese or Japanese word the segmenter finds in a real page is found by a search
//!   for it, and its highlight covers exactly that word's bytes in the file;
//! - `--lang` keeps the reports in the languages named, and hits show theirs.

use std::path::Path;

use serde_json::Value;

use crate::util::{Corpus, news_html, sorted, stderr};

/// The language of each hit of `results`, by file name.
fn languages(results: &Value) -> Vec<(String, Value)> {
    let mut found: Vec<(String, Value)> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| {
            let path = Path::new(hit["path"].as_str().unwrap());
            (path.file_name().unwrap().to_string_lossy().into_owned(), hit["language"].clone())
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// newspaper4k's reference texts of pages in languages whose file names say which, as
/// plain-text reports that declare nothing.
#[test]
fn detection_names_the_language_of_real_texts() {
    let corpus = Corpus::empty();
    let expected = [
        ("arabic_article.txt", "ar"),
        ("chinese_article_001.txt", "zh"),
        ("chinese_article_002.txt", "zh"),
        ("hindi_article.txt", "hi"),
        ("japanese_article.txt", "ja"),
        ("japanese_article2.txt", "ja"),
        ("korean_article.txt", "ko"),
        ("spanish_article.txt", "es"),
        ("thai_article.txt", "th"),
        ("cnn_001.txt", "en"),
        ("time_001.txt", "en"),
    ];
    for (name, _) in expected {
        std::fs::copy(news_html().join("txt").join(name), corpus.reports().join(name)).unwrap();
    }
    corpus.index_cmd().assert().success();
    let found = languages(&corpus.search_json("*", &["--limit", "50"]));
    let mut expected: Vec<(String, Value)> =
        expected.iter().map(|(name, code)| (name.to_string(), Value::from(*code))).collect();
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(found, expected);
}

#[test]
fn a_declared_language_wins_over_detection() {
    let corpus = Corpus::empty();
    // Real pages declaring their language in <html lang>.
    for name in ["latvian_article.html", "spanish_article.html", "japanese_article.html"] {
        std::fs::copy(news_html().join("html").join(name), corpus.reports().join(name)).unwrap();
    }
    let english = "The unions said the strike would go on. Negotiations with the rail operator \
                   stalled again on Tuesday, and no new meeting date has been set by either side.";
    corpus.write("declared.md", format!("---\ntitle: Rail strike\nlang: fr\n---\n{english}\n"));
    corpus.write(
        "record.jsonl",
        format!("{{\"title\":\"Rail strike\",\"language\":\"de-DE\",\"text\":\"{english}\"}}\n"),
    );
    corpus.write("detected.txt", format!("Rail strike\n\n{english}\n"));
    corpus.index_cmd().assert().success();
    let found = languages(&corpus.search_json("*", &["--limit", "50"]));
    let expected = [
        ("declared.md", "fr"),
        ("detected.txt", "en"),
        ("japanese_article.html", "ja"),
        ("latvian_article.html", "lv"),
        ("record.jsonl", "de"),
        ("spanish_article.html", "es"),
    ]
    .map(|(name, code)| (name.to_string(), Value::from(code)));
    assert_eq!(found, expected);

    // `--lang` keeps those languages (any of them), and the text line shows the language.
    assert_eq!(
        sorted(corpus.hit_names("*", &["--lang", "fr", "--lang", "DE"])),
        ["declared.md", "record.jsonl"]
    );
    let output = corpus.search_cmd("strike").args(["--lang", "fr"]).output().unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.contains("\n   fr · score "), "{out}{}", stderr(&output));
    let bad = corpus.search_cmd("strike").args(["--lang", "french"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("two-letter language code"), "{}", stderr(&bad));
}

/// Words of two or more characters the segmenter finds in `text`, all Han or kana, every
/// `step`th of them (distinct), with their first byte range.
fn segmented_words(text: &str, step: usize) -> Vec<String> {
    let cjk =
        |c: char| ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c);
    let mut seen = std::collections::BTreeSet::new();
    let words: Vec<String> = dateline_schema::words::words(text)
        .into_iter()
        .map(|range| text[range].to_string())
        .filter(|word| word.chars().count() >= 2 && word.chars().all(cjk))
        .filter(|word| seen.insert(word.clone()))
        .collect();
    words.into_iter().step_by(step).collect()
}

#[test]
fn chinese_and_japanese_words_are_found_and_marked_on_their_bytes() {
    let corpus = Corpus::empty();
    let pages =
        ["chinese_article_001", "chinese_article_002", "japanese_article", "japanese_article2"];
    for page in pages {
        let html = format!("{page}.html");
        std::fs::copy(news_html().join("html").join(&html), corpus.reports().join(&html)).unwrap();
        let txt = format!("{page}.txt");
        std::fs::copy(news_html().join("txt").join(&txt), corpus.reports().join(&txt)).unwrap();
    }
    corpus.index_cmd().assert().success();
    let mut checked = 0;
    for page in pages {
        let text =
            std::fs::read_to_string(news_html().join("txt").join(format!("{page}.txt"))).unwrap();
        for word in segmented_words(&text, 7) {
            let results = corpus.search_json(&word, &["--limit", "100", "--passages", "3"]);
            for file in [format!("{page}.txt"), format!("{page}.html")] {
                let hit = results["hits"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|hit| hit["path"].as_str().unwrap().ends_with(&format!("/{file}")))
                    .unwrap_or_else(|| panic!("{word:?} of {page} does not find {file}"));
                let bytes = std::fs::read(hit["path"].as_str().unwrap()).unwrap();
                for passage in hit["passages"].as_array().unwrap() {
                    let passage_text = passage["text"].as_str().unwrap();
                    for range in passage["highlights"].as_array().unwrap() {
                        let (start, end) = (
                            range["start"].as_u64().unwrap() as usize,
                            range["end"].as_u64().unwrap() as usize,
                        );
                        assert_eq!(&passage_text[start..end], word, "{file}: {passage}");
                        // A text file's passage is its bytes: the mark is on the word's bytes.
                        if file.ends_with(".txt") {
                            let at = passage["offset"].as_u64().unwrap() as usize;
                            assert_eq!(&bytes[at + start..at + end], word.as_bytes(), "{file}");
                        }
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} highlights checked");
}
