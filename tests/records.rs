//! Properties of files that hold many reports (JSON Lines, JSON arrays, CSV, TSV):
//! 1. Every record is a report, named by its file and its place (`dump.jsonl:17`,
//!    `dump.json#3`), with the headline, date, publisher and URL of its fields, and passages
//!    that point at the file's bytes and lines (a JSON string's escapes mapped back).
//! 2. Incremental per file: an unchanged dump is not read again; a changed one is re-read
//!    and its vanished records are removed.
//! 3. Bad records cost one line each (file, record, reason); the rest is indexed.
//! 4. Files of a kind not read are counted by extension, listed in `--json`, and `similar`
//!    on one says why.

use serde_json::{Value, json};

use crate::util::*;

/// Real reports as records: headline, text, date, source, url (Reuters-21578).
fn reuters_records(n: usize) -> Vec<Value> {
    reuters_files(n)
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (head, body) = text.split_once("\n\n").unwrap();
            let headline = head.lines().next().unwrap().to_string();
            let date = head.lines().find_map(|l| l.strip_prefix("Date: ")).unwrap().to_string();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            json!({
                "headline": headline,
                "maintext": body,
                "date_publish": date,
                "source_domain": "reuters.com",
                "url": format!("https://example.org/{stem}"),
                "id": stem,
            })
        })
        .collect()
}

fn csv_field(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// A word of record `i`'s text that no other record has, to find it by.
fn distinctive(records: &[Value], i: usize) -> Option<String> {
    let words = |r: &Value| {
        r["maintext"]
            .as_str()
            .unwrap()
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() > 6)
            .map(str::to_lowercase)
            .collect::<std::collections::HashSet<_>>()
    };
    let mine = words(&records[i]);
    let others: std::collections::HashSet<String> =
        records.iter().enumerate().filter(|(j, _)| *j != i).flat_map(|(_, r)| words(r)).collect();
    let mut unique: Vec<String> = mine.difference(&others).cloned().collect();
    unique.sort();
    unique.into_iter().next()
}

/// Checks each passage against its file: its line, and its bytes (a JSON string's escapes
/// decoded, a CSV field's doubled quotes undoubled) are its text.
fn assert_passages_in_dump(results: &Value) -> usize {
    let mut checked = 0;
    for hit in results["hits"].as_array().unwrap() {
        let bytes = std::fs::read(hit["path"].as_str().unwrap()).unwrap();
        for passage in hit["passages"].as_array().unwrap() {
            let offset = passage["offset"].as_u64().unwrap() as usize;
            let slice = &bytes[offset..offset + passage["length"].as_u64().unwrap() as usize];
            let slice = String::from_utf8(slice.to_vec()).unwrap();
            let text = passage["text"].as_str().unwrap();
            let name = hit["name"].as_str().unwrap();
            let in_file = match name.contains(".json") {
                true => serde_json::from_str::<String>(&format!("\"{slice}\"")).unwrap(),
                false => slice.replace("\"\"", "\""),
            };
            assert_eq!(in_file, text, "{name}: {passage}");
            let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u64;
            assert_eq!(passage["line"].as_u64().unwrap(), line, "{name}: {passage}");
            checked += 1;
        }
    }
    checked
}

/// The `name` of each hit.
fn report_names(results: &Value) -> Vec<String> {
    let hits = results["hits"].as_array().unwrap();
    hits.iter().map(|hit| hit["name"].as_str().unwrap().to_string()).collect()
}

fn index_json(corpus: &Corpus) -> Value {
    let output = corpus.index_cmd().arg("--json").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn every_record_is_a_report_named_by_its_place_with_its_metadata() {
    let records = reuters_records(12);
    let corpus = Corpus::empty();
    let jsonl: Vec<String> = records.iter().map(Value::to_string).collect();
    corpus.write("dump.jsonl", jsonl.join("\n") + "\n");
    corpus.write("pretty.json", serde_json::to_string_pretty(&records[..6]).unwrap());
    corpus.write("flat.json", serde_json::to_string(&records[6..]).unwrap());
    let mut csv = String::from("id,headline,date_publish,source_domain,url,maintext\n");
    let mut csv_lines = Vec::new();
    for r in &records {
        csv_lines.push(1 + csv.matches('\n').count());
        let field = |k: &str| csv_field(r[k].as_str().unwrap());
        let row = ["id", "headline", "date_publish", "source_domain", "url", "maintext"].map(field);
        csv.push_str(&(row.join(",") + "\r\n"));
    }
    corpus.write("dump.csv", &csv);
    let mut tsv = String::from("title\ttext\tpublished\tpublisher\n");
    for r in &records[..3] {
        let flat = |k: &str| r[k].as_str().unwrap().replace(['\n', '\t'], " ");
        tsv.push_str(&format!(
            "{}\t{}\t{}\tReuters\n",
            flat("headline"),
            flat("maintext"),
            flat("date_publish")
        ));
    }
    corpus.write("dump.tsv", &tsv);
    corpus.write("note.txt", "Port strike\n\nDockers walked out in Rotterdam.\n");

    let summary = index_json(&corpus);
    assert_eq!(summary["added"], 6, "{summary}");
    assert_eq!(summary["records"], 12 + 6 + 6 + 12 + 3, "{summary}");

    let mut found = 0;
    for (i, record) in records.iter().enumerate() {
        let Some(word) = distinctive(&records, i) else { continue };
        let results = corpus.search_json(&word, &["-n", "20"]);
        let mut names = report_names(&results);
        names.sort();
        let mut expected = vec![
            format!("reports/dump.csv:{}", csv_lines[i]),
            format!("reports/dump.jsonl:{}", i + 1),
            match i < 6 {
                true => format!("reports/pretty.json#{}", i + 1),
                false => format!("reports/flat.json#{}", i - 5),
            },
        ];
        if i < 3 {
            expected.push(format!("reports/dump.tsv:{}", i + 2));
        }
        // Another record may hold a word of the same stem.
        for name in &expected {
            assert!(names.contains(name), "searching {word}: {name} not in {names:?}");
        }
        for hit in results["hits"].as_array().unwrap() {
            if !expected.iter().any(|name| hit["name"] == name.as_str()) {
                continue;
            }
            assert_eq!(hit["title"], record["headline"], "{hit}");
            assert_eq!(hit["date"], record["date_publish"], "{hit}");
            if !hit["name"].as_str().unwrap().contains(".tsv") {
                assert_eq!(hit["publisher"], "reuters.com", "{hit}");
                assert_eq!(hit["url"], record["url"], "{hit}");
            }
        }
        found += assert_passages_in_dump(&results);
    }
    assert!(found >= 30, "only {found} passages checked");

    // A record's name is what `similar` takes, and it leaves out that record only.
    let name = corpus.reports().join("dump.jsonl:2");
    let output = dateline()
        .args(["similar", "--json", "--index"])
        .arg(corpus.index())
        .arg(&name)
        .output()
        .unwrap();
    let similar: Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    let similar = report_names(&similar);
    assert!(!similar.contains(&"reports/dump.jsonl:2".to_string()), "{}", stderr(&output));
    assert!(similar.contains(&format!("reports/dump.csv:{}", csv_lines[1])), "{similar:?}");
}

#[test]
fn an_unchanged_dump_is_not_read_and_a_changed_one_loses_its_vanished_records() {
    let records = reuters_records(5);
    let corpus = Corpus::empty();
    let lines: Vec<String> = records.iter().map(Value::to_string).collect();
    let dump = corpus.write("dump.jsonl", lines.join("\n"));
    index_json(&corpus);
    let again = index_json(&corpus);
    assert_eq!((again["unchanged"].as_u64(), again["records"].as_u64()), (Some(1), Some(0)));

    let gone = distinctive(&records, 1).unwrap();
    let found = |word: &str| report_names(&corpus.search_json(word, &[]));
    assert_eq!(found(&gone), ["reports/dump.jsonl:2"]);
    let kept: Vec<&String> =
        lines.iter().enumerate().filter(|(i, _)| *i != 1).map(|(_, l)| l).collect();
    std::fs::write(&dump, kept.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let changed = index_json(&corpus);
    assert_eq!((changed["changed"].as_u64(), changed["records"].as_u64()), (Some(1), Some(4)));
    assert!(found(&gone).is_empty());
    let last = distinctive(&records, 4).unwrap();
    assert_eq!(found(&last), ["reports/dump.jsonl:4"]);
}

#[test]
fn bad_records_cost_one_line_each_and_the_rest_is_indexed() {
    let corpus = Corpus::empty();
    corpus.write(
        "dump.jsonl",
        "{\"title\": \"Good\", \"text\": \"Dockers walked out.\"}\n{\"title\": \"Cut\", \"text\": \n[1, 2]\n{\"title\": \"No text\"}\n{\"title\": \"Also good\", \"body\": \"Port reopened.\"}\n",
    );
    // The open quote runs on to the next quote, where text follows it: that row is left out
    // and reading starts again on the line after it began.
    corpus.write("dump.csv", "title,text\nA,\"open quote\nB,Strikers returned.\nC,\"x\"y\n");
    corpus.write("tail.csv", "title,text\nD,Tugs idle.\nE,\"never closed\n");
    corpus.write("empty.json", "[{\"title\": \"only a title\"}]");
    corpus.write("MANIFEST.tsv", "stem\tdate\nreut-00001\t1987-02-26\n");
    let output = corpus.index_cmd().output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let err = stderr(&output);
    for expected in [
        "dump.jsonl: record :2 left out: malformed JSON",
        "record :3 left out: not a JSON object",
        "record :4 left out: no text",
        "dump.csv: record :2 left out: broken quoting: text after a closing quote",
        "dump.csv: record :4 left out: broken quoting",
        "tail.csv: record :3 left out: unclosed quote: the file ends inside it",
        "empty.json: skipped: no report in it: 1 record(s) left out, the first #1 left out: no text",
        "MANIFEST.tsv: skipped: no text column among stem, date (looked for text, body, content, maintext, article); name the column with --field text=COLUMN",
    ] {
        assert!(err.contains(expected), "{expected:?} not in:\n{err}");
    }
    let found = corpus.search_json("dockers OR reopened OR strikers OR tugs", &[]);
    let mut found = report_names(&found);
    found.sort();
    assert_eq!(
        found,
        [
            "reports/dump.csv:3",
            "reports/dump.jsonl:1",
            "reports/dump.jsonl:5",
            "reports/tail.csv:2"
        ]
    );
}

#[test]
fn files_not_read_are_counted_listed_and_explained() {
    let corpus = Corpus::empty();
    corpus.write("a.txt", "Port strike\n\nDockers walked out.\n");
    for name in ["x.pdf", "y.pdf", "z.docx", "README"] {
        corpus.write(name, "data");
    }
    let output = corpus.index_cmd().output().unwrap();
    assert!(
        stderr(&output).contains("not read: 2 .pdf, 1 .docx, 1 without extension"),
        "{}",
        stderr(&output)
    );
    let summary = index_json(&corpus);
    assert_eq!(summary["not_read"].as_array().unwrap().len(), 4, "{summary}");
    let output = dateline()
        .args(["similar", "--index"])
        .arg(corpus.index())
        .arg(corpus.reports().join("x.pdf"))
        .output()
        .unwrap();
    assert!(stderr(&output).contains("does not read .pdf files"), "{}", stderr(&output));
}

#[test]
fn front_matter_gives_metadata_and_markdown_markup_stays_out_of_passages() {
    let corpus = Corpus::empty();
    let md = "---\ntitle: \"Dockers strike at Rotterdam\"\ndate: 2024-01-31\nsource: Lloyd's List\nauthor:\n  - A. Writer\nurl: https://example.org/strike\ndescription: Tugs idle as talks stall\n---\n# Dockers strike\n\nDockers **walked out** on [Tuesday](https://x.org), and *tugboats* idled.\n";
    corpus.write("strike.md", md);
    let toml = "+++\ntitle = \"Grain corridor reopens\"\ndate = 2024-02-02\npublisher = \"Reuters\"\n+++\nShips sailed from Odesa again.\n";
    corpus.write("grain.txt", toml);
    corpus.write("broken.md", "---\ntitle: [unclosed\n---\nHarbour cranes stood still.\n");
    let output = corpus.index_cmd().output().unwrap();
    assert!(stderr(&output).contains("broken.md: front matter not read (YAML front matter:"));

    let results = corpus.search_json("tugboats", &[]);
    let hit = &results["hits"][0];
    assert_eq!(hit["title"], "Dockers strike at Rotterdam");
    assert_eq!(
        (hit["date"].as_str(), hit["publisher"].as_str()),
        (Some("2024-01-31"), Some("Lloyd's List"))
    );
    assert_eq!(
        (hit["author"].as_str(), hit["url"].as_str()),
        (Some("A. Writer"), Some("https://example.org/strike"))
    );
    let passage = &hit["passages"][0];
    assert_eq!(passage["text"], "Dockers walked out on Tuesday, and tugboats idled.");
    assert_eq!(passage["line"], 12);
    let offset = passage["offset"].as_u64().unwrap() as usize;
    let length = passage["length"].as_u64().unwrap() as usize;
    assert_eq!(
        &md[offset..offset + length],
        "Dockers **walked out** on [Tuesday](https://x.org), and *tugboats* idled."
    );
    // The description is searched, placed in the front matter.
    let results = corpus.search_json("stall", &[]);
    assert_eq!(results["hits"][0]["passages"][0]["line"], 8);
    assert_passages_point_at_the_file(&results);

    let hit = &corpus.search_json("Odesa", &[])["hits"][0];
    assert_eq!(
        (hit["title"].as_str(), hit["date"].as_str()),
        (Some("Grain corridor reopens"), Some("2024-02-02"))
    );
    assert_passages_point_at_the_file(&corpus.search_json("Odesa", &[]));
    assert_eq!(report_names(&corpus.search_json("cranes", &[])), ["reports/broken.md"]);
}

#[test]
fn fields_named_once_are_used_by_every_later_run() {
    let corpus = Corpus::empty();
    let dump = corpus
        .write("dump.jsonl", "{\"hed\": \"Port strike\", \"story\": \"Dockers walked out.\"}\n");
    let output =
        corpus.index_cmd().args(["--field", "title=hed", "--field", "text=story"]).output();
    assert_eq!(output.unwrap().status.code(), Some(0));
    std::fs::write(&dump, "{\"hed\": \"Port strike\", \"story\": \"Dockers walked out.\"}\n{\"hed\": \"Tugs\", \"story\": \"Tugboats idled.\"}\n").unwrap();
    let summary = index_json(&corpus);
    assert_eq!(
        (summary["changed"].as_u64(), summary["records"].as_u64()),
        (Some(1), Some(2)),
        "{summary}"
    );
    let hit = &corpus.search_json("tugboats", &[])["hits"][0];
    assert_eq!(
        (hit["name"].as_str(), hit["title"].as_str()),
        (Some("reports/dump.jsonl:2"), Some("Tugs"))
    );
    let bad = dateline().args(["index", "--field", "colour=hue"]).output().unwrap();
    assert!(stderr(&bad).contains("unknown role `colour`"), "{}", stderr(&bad));
}
