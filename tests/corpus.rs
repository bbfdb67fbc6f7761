//! Properties checked on real newswire (Reuters-21578, fetched at test time into a cache
//! under `target/`, never committed):
//! 1. Metadata comes out as the corpus's own manifest states it: headline, date, publisher.
//! 2. Passages are verbatim slices of the files at their offsets and lines, on text with
//!    hard-wrapped lines, tables and odd punctuation.
//! 3. Date ranges keep exactly the reports in range.

use std::collections::HashMap;
use std::path::Path;

use crate::util::*;

/// Reports taken from the corpus: enough to be varied, few enough for a debug build.
const SAMPLE: usize = 3000;

/// File name → date, from the corpus's own manifest.
fn manifest_dates() -> HashMap<String, String> {
    let manifest = std::fs::read_to_string(reuters().join("MANIFEST.tsv")).unwrap();
    manifest
        .lines()
        .skip(1)
        .map(|line| {
            let mut columns = line.split('\t');
            let stem = columns.next().unwrap();
            (format!("{stem}.txt"), columns.next().unwrap().to_string())
        })
        .collect()
}

fn sample_corpus() -> Corpus {
    let corpus = Corpus::empty();
    for path in reuters_files(SAMPLE) {
        std::fs::copy(&path, corpus.reports().join(path.file_name().unwrap())).unwrap();
    }
    corpus.index_cmd().assert().success();
    corpus
}

#[test]
fn reuters_metadata_passages_and_dates_hold_on_real_newswire() {
    let corpus = sample_corpus();
    let dates = manifest_dates();
    let queries = [
        "oil prices",
        "\"crude oil\"",
        "coffee -Brazil",
        "title:cocoa",
        "bank OR rates",
        "grain date:[1987-03-01 TO 1987-03-31]",
        "dlrs vs",
        "shr net",
    ];
    let mut passages = 0;
    for query in queries {
        let results = corpus.search_json(query, &["-n", "25", "--passages", "3"]);
        let hits = results["hits"].as_array().unwrap();
        assert!(!hits.is_empty(), "{query} found nothing");
        for hit in hits {
            let path = hit["path"].as_str().unwrap();
            let name = Path::new(path).file_name().unwrap().to_str().unwrap();
            let text = std::fs::read_to_string(path).unwrap();
            assert_eq!(hit["title"], text.lines().next().unwrap().trim(), "{name}");
            assert_eq!(hit["date"], dates[name].as_str(), "{name}");
            assert_eq!(hit["publisher"], "Reuters");
            if query.contains("date:[1987-03-01 TO 1987-03-31]") {
                assert!(
                    dates[name].as_str() >= "1987-03-01" && dates[name].as_str() <= "1987-03-31"
                );
            }
            for passage in hit["passages"].as_array().unwrap() {
                let snippet = passage["text"].as_str().unwrap();
                let offset = passage["offset"].as_u64().unwrap() as usize;
                assert_eq!(&text[offset..offset + snippet.len()], snippet, "{name}");
                let line = 1 + text[..offset].matches('\n').count() as u64;
                assert_eq!(passage["line"].as_u64(), Some(line), "{name}");
                assert!(snippet.len() <= 400);
                passages += 1;
            }
        }
    }
    assert!(passages > 150, "only {passages} passages checked");

    // Every report in a date range, and none outside it.
    let march: Vec<String> = sorted(
        corpus.hit_names("", &["--since", "1987-03-01", "--until", "1987-03-02", "-n", "5000"]),
    );
    let mut expected: Vec<String> = dates
        .iter()
        .filter(|(name, date)| {
            corpus.reports().join(name).is_file()
                && date.as_str() >= "1987-03-01"
                && date.as_str() <= "1987-03-02"
        })
        .map(|(name, _)| name.clone())
        .collect();
    expected.sort();
    assert!(!expected.is_empty());
    let missing: Vec<&String> = expected.iter().filter(|name| !march.contains(name)).collect();
    let extra: Vec<&String> = march.iter().filter(|name| !expected.contains(name)).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing {missing:?}, unexpected {extra:?}");
}

/// A prefix matches every word that starts with it as written, on real newswire: each hit
/// holds such a word, every report holding one is found, and a prefix too short to say
/// anything is refused with a way forward.
#[test]
fn prefixes_find_every_word_that_starts_with_them_on_real_newswire() {
    let corpus = sample_corpus();
    for prefix in ["petro", "Canad", "export", "Japan"] {
        let lower = prefix.to_lowercase();
        let holding: Vec<String> = std::fs::read_dir(corpus.reports())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| {
                // What is searched: the headline and the body, not the `Places:`-style header.
                let text = std::fs::read_to_string(path).unwrap().to_lowercase();
                let headline = text.lines().next().unwrap_or("");
                let body = text.split_once("\n\n").map_or("", |(_, body)| body);
                [headline, body].iter().any(|part| {
                    part.split(|c: char| !c.is_alphanumeric()).any(|word| word.starts_with(&lower))
                })
            })
            .map(|path| path.file_name().unwrap().to_str().unwrap().to_string())
            .collect();
        assert!(!holding.is_empty(), "{prefix}");
        let found = sorted(corpus.hit_names(&format!("{prefix}*"), &["-n", "1000"]));
        assert_eq!(found, sorted(holding), "{prefix}*");
    }
    let output = corpus.search_cmd("s*").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`s*` stands for more than 1000 different words"),
        "{}",
        stderr(&output)
    );
}
