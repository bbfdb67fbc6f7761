//! Reading each input format, whole process into a cold index: the same Reuters reports as
//! plain text, as one JSON Lines file and gzipped; the real news pages as `.html` files and
//! as one WARC crawl (a gzip member per record, as CC-NEWS ships). The inputs are made here,
//! at bench time, from the fetched corpora.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use dateline_query::{Index, Query};

use crate::Setup;
use crate::corpus::{dir_size, fetch, report_files};
use crate::measure::{Timed, timed};

/// One format's run.
pub struct Read {
    pub what: String,
    /// Bytes of the input as stored (compressed, for `.gz`).
    pub bytes: u64,
    /// Bytes once decompressed (the same for plain files).
    pub inflated: u64,
    pub reports: usize,
    pub run: Timed,
}

/// Every format's run, plain text first.
pub struct Formats {
    pub reads: Vec<Read>,
    /// Copies of the news pages in the HTML and WARC inputs.
    pub page_copies: usize,
}

pub fn measure(setup: &Setup, reuters: &Path, smoke: bool) -> Result<Formats> {
    let dir = setup.work.join("formats");
    std::fs::create_dir_all(&dir)?;
    let files = report_files(reuters)?;
    let files = &files[..files.len().min(if smoke { 300 } else { usize::MAX })];
    let text = dir.join("text");
    let mut jsonl = Vec::new();
    std::fs::create_dir_all(&text)?;
    for file in files {
        let report = std::fs::read_to_string(file)?;
        std::fs::copy(file, text.join(file.file_name().context("name")?))?;
        let (head, body) = report.split_once("\n\n").unwrap_or(("", &report));
        let field = |name: &str| head.lines().find_map(|l| l.strip_prefix(name)).unwrap_or("");
        let title = head.lines().next().unwrap_or("");
        let record = serde_json::json!({"title": title, "date": field("Date: "), "source": field("Source: "), "text": body});
        jsonl.extend(record.to_string().bytes());
        jsonl.push(b'\n');
    }
    let lines = write(&dir.join("jsonl"), "reports.jsonl", &jsonl)?;
    let gzipped = write(&dir.join("jsonl-gz"), "reports.jsonl.gz", &gzip(&jsonl)?)?;

    let news = fetch(setup, "get-news-html.sh", "news-html")?;
    let mut pages: Vec<PathBuf> = std::fs::read_dir(news.join("html"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    pages.sort();
    let page_copies = if smoke { 1 } else { 40 };
    let html = dir.join("html");
    let (mut warc, mut inflated) = (Vec::new(), 0u64);
    for copy in 1..=page_copies {
        let folder = html.join(format!("copy-{copy}"));
        std::fs::create_dir_all(&folder)?;
        for page in &pages {
            let bytes = std::fs::read(page)?;
            std::fs::write(folder.join(page.file_name().context("name")?), &bytes)?;
            let name = page.file_name().context("name")?.to_string_lossy();
            let uri = format!("https://crawl.example.org/{copy}/{name}");
            let record = warc_record(&uri, &bytes);
            inflated += record.len() as u64;
            warc.extend(gzip(&record)?);
        }
    }
    let crawl = write(&dir.join("warc"), "crawl.warc.gz", &warc)?;

    let text_bytes = dir_size(&text)?;
    let html_bytes = dir_size(&html)?;
    let mut reads = Vec::new();
    for (what, folder, bytes, inflated) in [
        ("Reuters, one `.txt` a report".to_string(), text, text_bytes, text_bytes),
        ("the same, one `.jsonl`".into(), lines, jsonl.len() as u64, jsonl.len() as u64),
        (
            "the same, one `.jsonl.gz`".into(),
            gzipped,
            dir_size(&dir.join("jsonl-gz"))?,
            jsonl.len() as u64,
        ),
        (format!("news pages ×{page_copies}, one `.html` a page"), html, html_bytes, html_bytes),
        ("the same pages, one `.warc.gz`".into(), crawl, warc.len() as u64, inflated),
    ] {
        let index = setup.work.join(format!("formats-index-{}", reads.len()));
        let run = timed(
            Command::new(&setup.dateline)
                .arg("index")
                .arg(&folder)
                .arg("--index")
                .arg(&index)
                .arg("-q"),
        )?;
        let reports = Index::open(&index)?.search(&Query::new("*").limit(1))?.total;
        reads.push(Read { what, bytes, inflated, reports, run });
    }
    Ok(Formats { reads, page_copies })
}

/// A `response` record holding `page` as an HTTP response, as crawlers write it.
fn warc_record(uri: &str, page: &[u8]) -> Vec<u8> {
    let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec();
    http.extend_from_slice(page);
    let mut record = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-01-30T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    record.extend(http);
    record.extend_from_slice(b"\r\n\r\n");
    record
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// Writes `bytes` as `name` in a folder of its own, returning the folder.
fn write(folder: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    std::fs::create_dir_all(folder)?;
    std::fs::write(folder.join(name), bytes)?;
    Ok(folder.to_path_buf())
}
