//! Compressed files and JSON objects, made at test time from real text (Reuters reports, the
//! real news pages of `news_html()`). Properties:
//! 1. A `.gz` or `.zst` file is read as the file it holds: the same reports, metadata and
//!    passages, whose `offset`/`length`/`line` point at the decompressed bytes (as `zcat`
//!    shows them); a gzip file of many members is read whole.
//! 2. A zip bomb (past `--max-file-size`, or a dump inflating past 100 times its size) and a
//!    damaged stream each cost one line naming the file; the rest is indexed; an unchanged
//!    compressed file is not read again.
//! 3. A `.json` file holding one article object is one report; one holding the records
//!    under `articles` (NewsAPI) is read like an array.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use serde_json::{Value, json};

use crate::util::*;

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

pub fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

/// Headline and body of the first `n` Reuters reports.
fn reuters_reports(n: usize) -> Vec<(String, String)> {
    reuters_files(n)
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (head, body) = text.split_once("\n\n").unwrap();
            (head.lines().next().unwrap().to_string(), body.to_string())
        })
        .collect()
}

/// Every report's attribution and passages for `query`, by name with `.gz`/`.zst` removed.
fn by_name(corpus: &Corpus, query: &str) -> BTreeMap<String, Value> {
    let results = corpus.search_json(query, &["--limit", "100", "--passages", "3"]);
    let hits = results["hits"].as_array().unwrap();
    hits.iter()
        .map(|hit| {
            let name = hit["name"].as_str().unwrap().replace(".gz", "").replace(".zst", "");
            let mut hit = hit.clone();
            // A copy group names its reports and is named by a file's name: both differ.
            for field in ["path", "name", "score", "rank", "copies"] {
                hit.as_object_mut().unwrap().remove(field);
            }
            (name, hit)
        })
        .collect()
}

#[test]
fn compressed_files_give_the_reports_of_the_files_they_hold_placed_alike() {
    let (plain, packed) = (Corpus::empty(), Corpus::empty());
    let report = std::fs::read(&reuters_files(1)[0]).unwrap();
    plain.write("report.txt", &report);
    packed.write("report.txt.gz", gzip(&report));
    let page = std::fs::read(news_html().join("html/cnn_article.html")).unwrap();
    plain.write("page.html", &page);
    packed.write("page.html.zst", zstd(&page));
    let lines: Vec<String> = reuters_reports(8)
        .iter()
        .map(|(title, text)| json!({"title": title, "text": text}).to_string() + "\n")
        .collect();
    plain.write("dump.jsonl", lines.concat());
    // Two gzip members, as `cat a.gz b.gz` makes.
    let mut members = gzip(lines[..3].concat().as_bytes());
    members.extend(gzip(lines[3..].concat().as_bytes()));
    packed.write("dump.jsonl.gz", &members);
    let rows: Vec<String> = reuters_reports(8)
        .iter()
        .map(|(t, b)| format!("\"{t}\",\"{}\"\n", b.replace('"', "\"\"")))
        .collect();
    let csv = format!("title,text\n{}", rows.concat());
    plain.write("dump.csv", &csv);
    packed.write("dump.csv.zst", zstd(csv.as_bytes()));
    for corpus in [&plain, &packed] {
        let output = corpus.index_cmd().output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(!stderr(&output).contains("skipped:"), "{}", stderr(&output));
    }
    let (expected, found) = (by_name(&plain, "the"), by_name(&packed, "the"));
    assert_eq!(expected.len(), 1 + 1 + 8 + 8, "{:?}", expected.keys());
    assert_eq!(found, expected);
    // Offsets point at the decompressed bytes.
    let results = packed.search_json("the", &["--limit", "100"]);
    let mut checked = 0;
    for hit in results["hits"].as_array().unwrap() {
        let path = hit["path"].as_str().unwrap();
        if !path.ends_with(".gz") {
            continue;
        }
        let bytes = gunzip(&std::fs::read(path).unwrap());
        for passage in hit["passages"].as_array().unwrap() {
            let offset = passage["offset"].as_u64().unwrap() as usize;
            let slice = &bytes[offset..offset + passage["length"].as_u64().unwrap() as usize];
            let text = passage["text"].as_str().unwrap();
            if path.ends_with(".txt.gz") {
                assert_eq!(String::from_utf8_lossy(slice), text);
            }
            let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u64;
            assert_eq!(passage["line"].as_u64().unwrap(), line, "{passage}");
            checked += 1;
        }
    }
    assert!(checked >= 9, "{checked}");
}

#[test]
fn zip_bombs_and_damaged_streams_cost_one_line_each() {
    let corpus = Corpus::empty();
    let report = std::fs::read(&reuters_files(1)[0]).unwrap();
    corpus.write("report.txt.gz", gzip(&report));
    corpus.write("bomb.txt.gz", gzip("Dockers walked out. ".repeat(100_000).as_bytes()));
    let line = json!({"title": "Port strike", "text": "Dockers walked out. ".repeat(10)});
    let bomb = gzip((line.to_string() + "\n").repeat(20_000).as_bytes());
    corpus.write("bomb.jsonl.gz", &bomb);
    let page = gzip(&std::fs::read(news_html().join("html/cnn_article.html")).unwrap());
    corpus.write("cut.html.gz", &page[..page.len() / 2]);
    corpus.write("plain.txt.zst", &report);
    let output =
        corpus.index_cmd().args(["--max-file-size", "1000000", "--json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    for expected in [
        "bomb.txt.gz: skipped: decompresses to more than 1000000 bytes",
        "bomb.jsonl.gz: skipped: decompresses to more than",
        "cut.html.gz: skipped: damaged compressed file",
        "plain.txt.zst: skipped: damaged compressed file",
    ] {
        assert_eq!(err.matches(expected).count(), 1, "{expected} in {err}");
    }
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        (summary["added"].as_u64(), summary["skipped"].as_array().unwrap().len()),
        (Some(1), 4)
    );
    assert_eq!(corpus.hit_names("*", &[]), ["report.txt.gz"]);
    // The stamp is the compressed file's: unchanged, it is not read again.
    let again = corpus.index_cmd().args(["--max-file-size", "1000000", "--json"]).output().unwrap();
    let summary: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!((summary["unchanged"].as_u64(), summary["added"].as_u64()), (Some(1), Some(0)));
}

#[test]
fn a_json_object_is_one_article_or_holds_its_records_under_a_known_key() {
    let reports = reuters_reports(4);
    let corpus = Corpus::empty();
    let article = json!({"title": reports[0].0, "content": reports[0].1, "publishedAt": "2024-01-31T10:00:00Z", "source": {"name": "Reuters"}});
    corpus.write("article.json", serde_json::to_string_pretty(&article).unwrap());
    let articles: Vec<Value> = reports[1..]
        .iter()
        .map(|(title, text)| json!({"title": title, "content": text, "url": "https://example.org/a", "source": {"id": null, "name": "Reuters"}}))
        .collect();
    let newsapi = json!({"status": "ok", "totalResults": 3, "articles": articles});
    corpus.write("newsapi.json", serde_json::to_string_pretty(&newsapi).unwrap());
    let output = corpus.index_cmd().output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let results = corpus.search_json("*", &["--limit", "10"]);
    let mut found: Vec<(String, String)> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| {
            (hit["name"].as_str().unwrap().to_string(), hit["title"].as_str().unwrap().to_string())
        })
        .collect();
    found.sort();
    let expected = [
        ("reports/article.json".to_string(), reports[0].0.clone()),
        ("reports/newsapi.json#1".to_string(), reports[1].0.clone()),
        ("reports/newsapi.json#2".to_string(), reports[2].0.clone()),
        ("reports/newsapi.json#3".to_string(), reports[3].0.clone()),
    ];
    assert_eq!(found, expected);
    for hit in results["hits"].as_array().unwrap() {
        assert_eq!(hit["publisher"], "Reuters", "{hit}");
        let dated = hit["name"] == "reports/article.json";
        assert_eq!(hit["date"].as_str(), dated.then_some("2024-01-31"), "{hit}");
    }
    // Passages point at the file's bytes: the article's text is written as a JSON string.
    let word = reports[2]
        .1
        .split_whitespace()
        .find(|w| w.len() > 8 && w.chars().all(char::is_alphabetic))
        .unwrap();
    let results = corpus.search_json(word, &[]);
    let bytes = std::fs::read(corpus.reports().join("newsapi.json")).unwrap();
    let passage = &results["hits"][0]["passages"][0];
    let offset = passage["offset"].as_u64().unwrap() as usize;
    let slice = &bytes[offset..offset + passage["length"].as_u64().unwrap() as usize];
    let in_file: String =
        serde_json::from_str(&format!("\"{}\"", String::from_utf8_lossy(slice))).unwrap();
    assert_eq!(in_file, passage["text"].as_str().unwrap());
    let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u64;
    assert_eq!(passage["line"].as_u64().unwrap(), line);
}
