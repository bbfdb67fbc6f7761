//! `dateline search --format csv|jsonl`, checked on the bundled reports plus written ones:
//! 1. Every hit is written (not one page), in the order `--json` pages them, with the
//!    headline, publisher, date, URL, report name, line and best passage of each.
//! 2. CSV is read back by a CSV reader whatever the text holds (commas, quotes, breaks);
//!    JSON Lines is one object a line.
//! 3. Filters, order and --strict apply as to a search; exit 0/1 by whether anything
//!    matched; --format and --json together are refused.

use serde_json::Value;

use crate::util::*;

fn corpus() -> Corpus {
    let corpus = Corpus::seeds();
    corpus.write(
        "quoted.txt",
        "Talks, \"again\": fentanyl\nDate: 2024-02-01\nSource: Wire, Inc.\nURL: https://example.com/a?b=1,2\n\n\
         Officials met again on fentanyl, \"precursor\" rules and\nmore talks.\n",
    );
    corpus.index_cmd().assert().success();
    corpus
}

fn export(corpus: &Corpus, query: &str, format: &str, extra: &[&str]) -> (Option<i32>, String) {
    let output = corpus.search_cmd(query).args(["--format", format]).args(extra).output().unwrap();
    assert!(stderr(&output).is_empty() || output.status.code() != Some(0), "{}", stderr(&output));
    (output.status.code(), stdout(&output))
}

#[test]
fn csv_holds_every_hit_in_page_order_and_reads_back() {
    let corpus = corpus();
    let (code, csv) = export(&corpus, "fentanyl", "csv", &[]);
    assert_eq!(code, Some(0));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header,
        [
            "rank",
            "title",
            "publisher",
            "date",
            "url",
            "name",
            "line",
            "passage",
            "matches_every_word"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Every hit, though a search page holds two.
    let paged = corpus.search_json("fentanyl", &["-n", "100", "--passages", "1"]);
    let hits = paged["hits"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows.len(), hits.len());
    for (row, hit) in rows.iter().zip(hits) {
        assert_eq!(row[0], hit["rank"].to_string());
        assert_eq!(row[1], *hit["title"].as_str().unwrap());
        assert_eq!(row[2], *hit["publisher"].as_str().unwrap_or(""));
        assert_eq!(row[3], *hit["date"].as_str().unwrap_or(""));
        assert_eq!(row[4], *hit["url"].as_str().unwrap_or(""));
        assert_eq!(row[5], *hit["name"].as_str().unwrap());
        let passage = &hit["passages"][0];
        assert_eq!(row[6], passage["match_line"].to_string());
        assert_eq!(row[7], *passage["text"].as_str().unwrap());
        assert_eq!(row[8], *"true");
    }
    // The written report comes back field for field, commas, quotes and line break kept.
    let quoted = rows.iter().find(|row| row[5].ends_with("quoted.txt")).unwrap();
    assert_eq!(&quoted[1], "Talks, \"again\": fentanyl");
    assert_eq!(&quoted[2], "Wire, Inc.");
    assert_eq!(&quoted[3], "2024-02-01");
    assert_eq!(&quoted[4], "https://example.com/a?b=1,2");
    assert!(quoted[7].contains("\"precursor\" rules and\nmore talks."), "{:?}", &quoted[7]);

    // Nothing matched: the header alone, exit 1.
    let (code, csv) = export(&corpus, "zeppelin", "csv", &[]);
    assert_eq!((code, csv.lines().count()), (Some(1), 1));
}

#[test]
fn jsonl_follows_filters_order_and_tiers() {
    let corpus = corpus();
    let lines = |query: &str, extra: &[&str]| -> Vec<Value> {
        let (code, text) = export(&corpus, query, "jsonl", extra);
        assert!(code.unwrap() < 2);
        text.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
    };
    let names = |rows: &[Value]| -> Vec<String> {
        rows.iter()
            .map(|row| row["name"].as_str().unwrap().rsplit('/').next().unwrap().into())
            .collect()
    };

    // Newest first, undated last, as the search orders them.
    let newest = lines("fentanyl", &["--sort", "newest"]);
    let dates: Vec<Option<&str>> = newest.iter().map(|row| row["date"].as_str()).collect();
    assert_eq!(dates[..2], [Some("2024-02-01"), Some("2024-01-31")]);
    assert!(dates[2..].iter().all(Option::is_none), "{dates:?}");
    let json = corpus.search_json("fentanyl", &["--sort", "newest", "-n", "100"]);
    assert_eq!(names(&newest), crate::util::names(&json));

    // Two publishers: the reports of either.
    let two = lines("fentanyl", &["--publisher", "rio times", "--publisher", "wire"]);
    assert_eq!(sorted(names(&two)), ["003_63e613daaea22d0e.txt", "quoted.txt"]);

    // Tiers: 001 lacks "precursor" and follows, marked; --strict leaves it out.
    let tiered = lines("precursor chemicals", &[]);
    let marks: Vec<bool> =
        tiered.iter().map(|row| row["matches_every_word"].as_bool().unwrap()).collect();
    assert_eq!(marks.iter().filter(|every| **every).count(), 3);
    assert_eq!(names(&tiered).last().map(String::as_str), Some("001_a4db0f5c5cea3440.txt"));
    assert_eq!(marks.last(), Some(&false));
    assert_eq!(lines("precursor chemicals", &["--strict"]).len(), 3);

    let output =
        corpus.search_cmd("fentanyl").args(["--format", "csv", "--json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_text_output_marks_the_tiers_and_the_undated_reports() {
    let corpus = corpus();
    let output = corpus
        .search_cmd("precursor chemicals")
        .args(["--color", "never", "-p", "0"])
        .output()
        .unwrap();
    let text = stdout(&output);
    let line = "── 3 reports matched every word; below, reports matching most of them";
    let at = text.find(line).unwrap_or_else(|| panic!("{text}"));
    // Three hits above it; below, 001 ("chemicals") and quoted.txt ("precursor").
    assert_eq!(text[..at].matches("score ").count(), 3);
    assert_eq!(text[at..].matches("score ").count(), 2);
    assert!(
        !corpus
            .search_cmd("precursor chemicals")
            .arg("--strict")
            .output()
            .map(|o| stdout(&o))
            .unwrap()
            .contains("──")
    );

    let output = corpus
        .search_cmd("fentanyl")
        .args(["--sort", "oldest", "-p", "0", "-n", "100"])
        .output()
        .unwrap();
    assert!(
        stdout(&output).ends_with("4 matching reports have no date and come last\n"),
        "{}",
        stdout(&output)
    );
    // By relevance, where they stand is no news.
    let output = corpus.search_cmd("fentanyl").args(["-p", "0", "-n", "100"]).output().unwrap();
    assert!(!stdout(&output).contains("no date"));
}
