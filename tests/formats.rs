//! Compressed files, WARC crawls and JSON objects, made at test time from real text (Reuters
//! reports, the real news pages of `news_html()`). Properties:
//! 1. A `.gz` or `.zst` file is read as the file it holds: the same reports, metadata and
//!    passages, whose `offset`/`length`/`line` point at the decompressed bytes (as `zcat`
//!    shows them); a gzip file of many members is read whole.
//! 2. A zip bomb (past `--max-file-size`, or a dump inflating past 100 times its size) and a
//!    damaged stream each cost one line naming the file; the rest is indexed; an unchanged
//!    compressed file is not read again.
//! 3. Every HTML response of a WARC crawl (made with Python's warcio) is the report its page
//!    gives alone, named `crawl.warc.gz#N`, with the crawl's URL and date (marked as the
//!    crawl's) where the page states none; other records are counted, and a crawl cut off
//!    mid-record keeps the records before the cut.
//! 4. A `.json` file holding one article object is one report; one holding the records
//!    under `articles` (NewsAPI) is read like an array.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::util::*;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
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
            for field in ["path", "name", "score", "rank"] {
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

/// A Python with warcio, in a venv under the test's target folder (installed once).
fn warcio_python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("venv-warcio");
        let python = venv.join("bin/python");
        let ready = venv.join("installed");
        if !ready.try_exists().unwrap() {
            let run = |cmd: &mut std::process::Command| {
                let out = cmd.output().unwrap_or_else(|err| panic!("{cmd:?}: {err}"));
                assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
            };
            run(std::process::Command::new("python3").args(["-m", "venv"]).arg(&venv));
            run(std::process::Command::new(&python)
                .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
                .arg("warcio==1.8.1"));
            std::fs::write(&ready, "").unwrap();
        }
        python
    })
}

/// The crawl date every record of the test crawls carries.
pub const CRAWLED: &str = "2024-01-30";

/// Writes a WARC file at `out` (one gzip member per record when `gzip`) of `pages`: (file,
/// URL, content type).
pub fn write_warc(out: &Path, gzip: bool, pages: &[(PathBuf, String, &str)]) {
    let pages: Vec<Value> = pages
        .iter()
        .map(|(path, url, kind)| json!({"path": path, "url": url, "type": kind}))
        .collect();
    let spec =
        json!({"out": out, "gzip": gzip, "date": format!("{CRAWLED}T10:00:00Z"), "pages": pages});
    let script = dateline_fixtures::repository().join("tests/warc/make_warc.py");
    let mut child = std::process::Command::new(warcio_python())
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(spec.to_string().as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
}

/// The real pages, each with its URL (from newspaper4k's metadata, else made up).
fn real_pages() -> Vec<(PathBuf, String, &'static str)> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(news_html().join("html"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    pages.sort();
    pages
        .into_iter()
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let meta = news_html().join(format!("metadata/{stem}.json"));
            let url = std::fs::read(meta)
                .ok()
                .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
                .and_then(|meta| meta["url"].as_str().map(str::to_string))
                .unwrap_or_else(|| format!("https://crawl.example.org/{stem}"));
            (path, url, "text/html; charset=utf-8")
        })
        .collect()
}

#[test]
fn every_html_response_of_a_crawl_is_the_report_its_page_gives() {
    let pages = real_pages();
    let alone = Corpus::empty();
    for (path, _, _) in &pages {
        std::fs::copy(path, alone.reports().join(path.file_name().unwrap())).unwrap();
    }
    alone.index_cmd().assert().success();
    let crawl = Corpus::empty();
    let mut records = pages.clone();
    let first = pages[0].0.clone();
    records.insert(1, (first.clone(), "https://crawl.example.org/logo.png".into(), "image/png"));
    records.insert(3, (first, "https://crawl.example.org/api".into(), "application/json"));
    let warc = crawl.reports().join("crawl.warc.gz");
    write_warc(&warc, true, &records);
    let output = crawl.index_cmd().output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let n = records.len();
    let passed = format!(
        "{} record(s) not web pages passed over (1 warcinfo, {n} request, {n} metadata, 2 non-HTML response)",
        1 + 2 * n + 2
    );
    assert!(stderr(&output).contains(&passed), "{passed} in {}", stderr(&output));

    let expected = alone.search_json("*", &["--limit", "100"]);
    let found = crawl.search_json("*", &["--limit", "100"]);
    let found_by_title: BTreeMap<&str, &Value> = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["title"].as_str().unwrap(), h))
        .collect();
    assert_eq!(found["total"], expected["total"]);
    assert!(expected["total"].as_u64().unwrap() >= 20, "{}", expected["total"]);
    for page in expected["hits"].as_array().unwrap() {
        let title = page["title"].as_str().unwrap();
        let hit = found_by_title.get(title).unwrap_or_else(|| panic!("{title} not in the crawl"));
        let name = hit["name"].as_str().unwrap();
        assert!(name.starts_with("reports/crawl.warc.gz#"), "{name}");
        let file = Path::new(page["path"].as_str().unwrap()).file_name().unwrap();
        let (_, url, _) = pages.iter().find(|(p, _, _)| p.file_name() == Some(file)).unwrap();
        for field in ["publisher", "author"] {
            assert_eq!(hit[field], page[field], "{name} {field}");
        }
        match page["url"].as_str() {
            Some(stated) => assert_eq!(hit["url"], stated, "{name}"),
            None => assert_eq!(hit["url"], url.as_str(), "{name}"),
        }
        match page["date"].as_str() {
            Some(stated) => {
                assert_eq!((hit["date"].as_str(), hit.get("date_crawled")), (Some(stated), None))
            }
            None => assert_eq!(
                (hit["date"].as_str(), hit["date_crawled"].as_bool()),
                (Some(CRAWLED), Some(true))
            ),
        }
    }
    // The crawl date is shown as such.
    let undated =
        expected["hits"].as_array().unwrap().iter().find(|h| h["date"].is_null()).unwrap();
    let shown = crawl
        .search_cmd(&format!("title:\"{}\"", undated["title"].as_str().unwrap()))
        .output()
        .unwrap();
    assert!(stdout(&shown).contains(&format!("crawled {CRAWLED}")), "{}", stdout(&shown));

    // Passages are the page's, placed in the decompressed crawl: the same bytes as in the
    // page alone, each report's lines shifted by the lines before its page.
    let bytes = gunzip(&std::fs::read(&warc).unwrap());
    let query = "the OR und OR la OR of";
    let alone_hits = alone.search_json(query, &["--limit", "100", "--passages", "3"]);
    let crawl_hits = crawl.search_json(query, &["--limit", "100", "--passages", "3"]);
    let by_title: BTreeMap<&str, &Value> = crawl_hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["title"].as_str().unwrap(), h))
        .collect();
    let mut checked = 0;
    for page in alone_hits["hits"].as_array().unwrap() {
        let hit = by_title[page["title"].as_str().unwrap()];
        let page_bytes = std::fs::read(page["path"].as_str().unwrap()).unwrap();
        let pairs =
            page["passages"].as_array().unwrap().iter().zip(hit["passages"].as_array().unwrap());
        let mut shifts = std::collections::HashSet::new();
        for (alone, crawled) in pairs {
            assert_eq!(alone["text"], crawled["text"]);
            let at = |p: &Value, field: &str| p[field].as_u64().unwrap() as usize;
            let len = at(alone, "length");
            assert_eq!(at(crawled, "length"), len);
            let (o, c) = (at(alone, "offset"), at(crawled, "offset"));
            assert_eq!(&bytes[c..c + len], &page_bytes[o..o + len], "{crawled}");
            shifts.insert(at(crawled, "line") - at(alone, "line"));
            let line = 1 + bytes[..c]
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
                .count();
            assert_eq!(at(crawled, "line"), line, "{crawled}");
            checked += 1;
        }
        assert!(shifts.len() <= 1, "{shifts:?}");
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn a_crawl_cut_off_mid_record_keeps_the_records_before_the_cut() {
    let pages: Vec<_> = real_pages()
        .into_iter()
        .filter(|(p, _, _)| {
            ["cnn_article", "time_001", "wired_001"]
                .iter()
                .any(|name| p.ends_with(format!("{name}.html")))
        })
        .collect();
    assert_eq!(pages.len(), 3);
    let corpus = Corpus::empty();
    for (gzip, name) in [(false, "crawl.warc"), (true, "crawl.warc.gz")] {
        let path = corpus.reports().join(name);
        write_warc(&path, gzip, &pages);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 2000]).unwrap();
    }
    let output = corpus.index_cmd().output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // warcinfo, then request, metadata, response for each page: the last page is #10.
    for name in ["crawl.warc", "crawl.warc.gz"] {
        let cut = format!("{name}: record #10 left out: cut off");
        assert!(stderr(&output).contains(&cut), "{cut} in {}", stderr(&output));
    }
    let names = report_names(&corpus.search_json("*", &[]));
    assert_eq!(
        sorted(names),
        ["crawl.warc#4", "crawl.warc#7", "crawl.warc.gz#4", "crawl.warc.gz#7"]
            .map(|n| format!("reports/{n}"))
    );
}

/// The `name` of each hit.
fn report_names(results: &Value) -> Vec<String> {
    let hits = results["hits"].as_array().unwrap();
    hits.iter().map(|hit| hit["name"].as_str().unwrap().to_string()).collect()
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
