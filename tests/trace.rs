//! Properties of `dateline trace`:
//! 1. A sentence of one bundled report is traced to that report and to none of the other
//!    four, independent reports of the story; lightly edited, it still aligns to the same
//!    passage.
//! 2. On real Reuters text with reprints the test writes, every report carrying the claim
//!    is listed in time order: by date, then by the time of day the report states (not by
//!    name), undated last; the earliest is named first; each passage is the file's bytes at
//!    its offset, on its line; the independent sources are the distinct copy groups.
//! 3. A claim no report carries exits 1 with a note; an empty or too short claim exits 2
//!    with a one-line message.

use std::path::Path;

use crate::util::*;
use serde_json::{Value, json};

const S004: &str = "004_fe16e4a74ebfb5f5.txt";
/// A sentence of Emily's Hope's report (004), as it stands there.
const CLAIM: &str = "the Drug Enforcement Administration identifies China and Mexico as the primary sources of fentanyl and fentanyl precursors";

fn trace(index: &Path, claim: &str) -> std::process::Output {
    dateline().arg("trace").arg("--index").arg(index).arg(claim).arg("--json").output().unwrap()
}

/// The parsed `--json` trace of `claim`, which must be carried by some report.
fn traced(index: &Path, claim: &str) -> Value {
    let output = trace(index, claim);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn file_names(trace: &Value) -> Vec<String> {
    trace["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            Path::new(r["path"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into()
        })
        .collect()
}

/// Checks each report's passage against its file, as search passages are checked.
fn assert_passages_point_at_the_file_of(trace: &Value) {
    let hits: Vec<Value> = trace["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| json!({"path": r["path"], "passages": [r["passage"]]}))
        .collect();
    let checked = assert_passages_point_at_the_file(&json!({ "hits": hits }));
    assert_eq!(checked, trace["reports"].as_array().unwrap().len());
}

#[test]
fn a_sentence_is_traced_to_its_report_and_not_to_the_independent_ones() {
    let corpus = Corpus::seeds_indexed();
    let found = traced(&corpus.index(), CLAIM);
    assert_eq!(file_names(&found), [S004]);
    let report = &found["reports"][0];
    assert_eq!(report["passage"]["text"], CLAIM);
    assert_eq!(report["coverage"], 1.0);
    assert_eq!(report["passage"]["highlights"], json!([{"start": 0, "end": CLAIM.len()}]));
    assert_eq!(
        found["corroboration"],
        json!({"independent": 1, "outlets": ["Emily’s Hope"], "unnamed": 0})
    );
    // 004 states no date, so no report can be named the first.
    assert_eq!((&found["first"], &found["undated"]), (&Value::Null, &json!(1)));
    assert_passages_point_at_the_file_of(&found);

    // Words changed, dropped and added: the same passage, most of it matched.
    let edited = traced(
        &corpus.index(),
        "The DEA identifies China and Mexico as the main sources of fentanyl and its precursors!",
    );
    assert_eq!(file_names(&edited), [S004]);
    let (whole, part) = (&report["passage"], &edited["reports"][0]["passage"]);
    let start = |p: &Value| p["offset"].as_u64().unwrap();
    let end = |p: &Value| start(p) + p["length"].as_u64().unwrap();
    assert!(start(whole) <= start(part) && end(part) <= end(whole), "{part}");
    let coverage = edited["reports"][0]["coverage"].as_f64().unwrap();
    assert!((0.6..1.0).contains(&coverage), "{coverage}");
    assert_passages_point_at_the_file_of(&edited);

    // The longest sentence of each bundled report is carried by that report alone.
    for name in seed_names() {
        let text = std::fs::read_to_string(seeds_dir().join(&name)).unwrap();
        let longest = text
            .split(['.', '\n', '“', '”'])
            .max_by_key(|sentence| sentence.split_whitespace().count())
            .unwrap();
        assert_eq!(file_names(&traced(&corpus.index(), longest)), [name], "{longest}");
    }
}

#[test]
fn a_claim_no_report_carries_or_a_phrase_is_said_so() {
    let corpus = Corpus::seeds_indexed();
    let output = dateline()
        .args(["trace", "--index"])
        .arg(corpus.index())
        .arg("Cocoa farmers in Bahia reported heavy showers throughout the week")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let note = stderr(&output);
    assert!(note.starts_with("dateline: no report carries this claim"), "{note}");
    assert_eq!(note.lines().count(), 1, "{note}");

    for claim in ["", "fentanyl talks", "   ", "!!! ??? ..."] {
        let output = trace(&corpus.index(), claim);
        assert_eq!(output.status.code(), Some(2), "{claim:?}");
        let message = stderr(&output);
        assert_eq!(message.lines().count(), 1, "{message}");
        assert!(message.contains("a claim needs at least 4 words"), "{message}");
    }
}

/// The first Reuters report with a sentence of 15 to 40 words: its text and that sentence
/// (hard-wrapped lines joined).
fn reuters_report_with_a_long_sentence() -> (std::path::PathBuf, String, String) {
    for path in reuters_files(300) {
        let text = std::fs::read_to_string(&path).unwrap();
        let Some((_, body)) = text.split_once("\n\n") else { continue };
        let sentence = body
            .split(". ")
            .map(|s| s.split_whitespace().collect::<Vec<_>>())
            .find(|words| (15..=40).contains(&words.len()) && words.iter().all(|w| w.is_ascii()));
        if let Some(words) = sentence {
            return (path, text.clone(), words.join(" "));
        }
    }
    panic!("no Reuters report with a sentence of 15 to 40 words");
}

#[test]
fn reprints_of_a_reuters_report_are_listed_in_time_order_the_earliest_first() {
    let (source, text, claim) = reuters_report_with_a_long_sentence();
    let (head, body) = text.split_once("\n\n").unwrap();
    let headline = head.lines().next().unwrap();
    let corpus = Corpus::empty();
    // Other real reports around them, none carrying the claim's opening words.
    let opening: String = claim.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
    for path in reuters_files(120).into_iter().filter(|p| *p != source) {
        let other = std::fs::read_to_string(&path).unwrap();
        if !other.split_whitespace().collect::<Vec<_>>().join(" ").contains(&opening) {
            corpus.write(path.file_name().unwrap().to_str().unwrap(), other);
        }
    }
    // The wire's report, and the reprints outlets made of it: the same day later (named so
    // that it sorts first by name), the next day with edits and Windows line ends, undated.
    corpus.write(
        "z-wire.txt",
        format!("{headline}\nDate: 1987-03-02T09:30:00Z\nSource: Reuters\n\n{body}"),
    );
    let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut = match body.trim_end().rsplit_once("\n    ") {
        Some((kept, _)) if flat(kept).contains(&claim) => kept,
        _ => body,
    };
    corpus.write(
        "a-reprint.txt",
        format!(
            "Reprinted - {}\nDate: 1987-03-02 14:05:00+00:00\nSource: Daily Reprint\n\nOur markets desk adds local prices below.\n{cut}\n",
            headline.to_lowercase()
        ),
    );
    let edited: Vec<&str> = claim
        .split_whitespace()
        .enumerate()
        .map(|(i, word)| if i % 7 == 3 { "reportedly" } else { word })
        .collect();
    let next_day = flat(body).replace(&claim, &edited.join(" "));
    assert_ne!(next_day, flat(body), "the claim stands in the body");
    corpus.write(
        "m-next-day.txt",
        format!("{headline}\r\nDate: March 3, 1987\r\nSource: Weekly Echo\r\n\r\n{next_day}\r\n"),
    );
    corpus.write("b-undated.txt", format!("{headline}\nSource: Undated Times\n\n{body}"));
    corpus.index_cmd().assert().success();

    let found = traced(&corpus.index(), &claim);
    assert_eq!(
        file_names(&found),
        ["z-wire.txt", "a-reprint.txt", "m-next-day.txt", "b-undated.txt"],
        "{found}"
    );
    assert!(found["first"].as_str().unwrap().ends_with("/z-wire.txt"), "{}", found["first"]);
    assert_eq!((&found["first_ties"], &found["undated"]), (&json!(0), &json!(1)));
    let moments: Vec<&Value> =
        found["reports"].as_array().unwrap().iter().map(|r| &r["published_at"]).collect();
    assert_eq!(
        moments,
        [
            &json!("1987-03-02T09:30:00Z"),
            &json!("1987-03-02T14:05:00Z"),
            &Value::Null,
            &Value::Null
        ]
    );
    assert_passages_point_at_the_file_of(&found);
    // Every reprint is a copy of the wire's text, so the claim has one source, named by
    // its earliest report: a reprint's outlet does not corroborate it.
    let groups: Vec<&str> = found["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["copy_group"].as_str().unwrap())
        .collect();
    assert_eq!(groups, [groups[0]; 4], "{found}");
    assert_eq!(
        found["corroboration"],
        json!({"independent": 1, "outlets": ["Reuters"], "unnamed": 0})
    );

    // The text output names the first report with its time, and each passage as path:line.
    let output = dateline()
        .args(["trace", "--color", "never", "--index"])
        .arg(corpus.index())
        .arg(&claim)
        .output()
        .unwrap();
    let shown = stdout(&output);
    assert!(shown.contains("first report: "), "{shown}");
    assert!(
        shown.lines().nth(1).unwrap().contains("z-wire.txt (Reuters, 1987-03-02 09:30 UTC)"),
        "{shown}"
    );
    assert!(shown.contains("1 report has no date and comes last"), "{shown}");
}
