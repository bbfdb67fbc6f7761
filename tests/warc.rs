//! WARC crawls made at test time with Python's warcio (installed into a venv under the test's
//! target folder; required, never skipped) from the real news pages of `news_html()`.
//! Properties:
//! 1. Every HTML response of a crawl is the report its page gives alone, named
//!    `crawl.warc.gz#N`, with the crawl's URL and date (marked as the crawl's) where the page
//!    states none; its passages are the page's, placed in the decompressed crawl.
//! 2. Other records (warcinfo, request, metadata, non-HTML responses) are counted in one line.
//! 3. A crawl cut off mid-record (plain or gzipped) keeps the records before the cut.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::formats::gunzip;
use crate::util::*;

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
fn a_page_caveat_is_said_with_its_record_and_the_crawl_date_stands_in() {
    let report = std::fs::read_to_string(&reuters_files(1)[0]).unwrap();
    let (title, body) = report.split_once("\n\n").unwrap();
    let title = title.lines().next().unwrap();
    let paragraphs: String = body.split("\n\n").map(|p| format!("<p>{p}</p>\n")).collect();
    let page = format!(
        "<html><head><title>{title}</title>\n<meta property=\"article:published_time\" content=\"2500-06-01\">\n</head><body><article>\n{paragraphs}</article></body></html>\n"
    );
    let corpus = Corpus::empty();
    let file = corpus.dir.path().join("page.html");
    std::fs::write(&file, page).unwrap();
    let url = "https://crawl.example.org/cocoa".to_string();
    write_warc(&corpus.reports().join("crawl.warc.gz"), true, &[(file, url.clone(), "text/html")]);
    let output = corpus.index_cmd().output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let said =
        "crawl.warc.gz: record #4: its date 2500-06-01 is outside the dates Dateline can store";
    assert!(stderr(&output).contains(said), "{said} in {}", stderr(&output));
    let hit = &corpus.search_json("*", &[])["hits"][0];
    assert_eq!((hit["title"].as_str(), hit["url"].as_str()), (Some(title), Some(url.as_str())));
    assert_eq!((hit["date"].as_str(), hit["date_crawled"].as_bool()), (Some(CRAWLED), Some(true)));
}
