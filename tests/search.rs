//! Properties of `dateline search`, checked on the bundled reports:
//! 1. Ranking: reports with every word first, where the words stand together first; then,
//!    marked, reports with most of the words (none with --strict); ties are ordered by path.
//! 2. The query language: phrases, exclusion, OR, field scope, date ranges; filters.
//! 3. Every passage is a verbatim slice of its file at the reported offset and line, with
//!    highlights on the matched words (a phrase as one range), also for CRLF files.
//! 4. Exit codes 0/1/2; malformed queries get a one-line message; colour only when asked.
//! 5. A fresh checkout searches at once: the index is built on first use.
//! 6. A query that matches nothing because of a typo gets "did you mean" (a note on stderr,
//!    `suggestions` in JSON); stdout and the exit code stay those of no match.

use crate::util::*;
use serde_json::Value;

const S000: &str = "000_b8e9663bd08e168f.txt";
const S001: &str = "001_a4db0f5c5cea3440.txt";
const S002: &str = "002_4ef75ab85a35cca5.txt";
const S003: &str = "003_63e613daaea22d0e.txt";
const S004: &str = "004_fe16e4a74ebfb5f5.txt";

#[test]
fn precursor_chemicals_finds_the_reports_with_both_words_phrase_first() {
    let corpus = Corpus::seeds_indexed();
    // 002 and 003 say "precursor chemicals", 004 "precursor chemical controls"; 001 has
    // "chemicals" but never "precursor", 000 neither.
    let hits = corpus.hit_names("precursor chemicals", &["--strict"]);
    assert_eq!(sorted(hits.clone()), [S002, S003, S004]);
    // Without --strict, 001's lone "chemicals" follows, marked as matching only some words.
    let tiered = corpus.search_json("precursor chemicals", &[]);
    assert_eq!(names(&tiered)[..3], hits[..]);
    assert_eq!(names(&tiered)[3..], [S001]);
    assert_eq!((&tiered["total"], &tiered["matched_every_word"]), (&4.into(), &3.into()));
    let every_word: Vec<_> = tiered["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["matches_every_word"].clone())
        .collect();
    assert_eq!(every_word, [true, true, true, false]);

    // With any word allowed, the reports holding the phrase still come first, above 001's
    // lone "chemicals".
    let any = corpus.hit_names("precursor OR chemicals", &[]);
    assert_eq!(sorted(any[..3].to_vec()), [S002, S003, S004]);
    assert_eq!(any[3..], [S001]);
}

#[test]
fn stemming_matches_other_forms_of_a_word() {
    let corpus = Corpus::seeds_indexed();
    assert_eq!(
        sorted(corpus.hit_names("precursor chemical", &[])),
        sorted(corpus.hit_names("precursors chemicals", &[]))
    );
}

#[test]
fn a_name_finds_exactly_the_reports_naming_it() {
    let corpus = Corpus::seeds_indexed();
    let expected = seeds_where(|text| text.contains("jen daskal"));
    assert_eq!(expected, [S001, S003]);
    assert_eq!(sorted(corpus.hit_names("Jen Daskal", &[])), expected);
    assert_eq!(sorted(corpus.hit_names("\"Jen Daskal\"", &[])), expected);
}

#[test]
fn exclusion_removes_reports_with_the_word() {
    let corpus = Corpus::seeds_indexed();
    let expected = seeds_where(|text| text.contains("fentanyl") && !text.contains("taiwan"));
    assert_eq!(expected, [S000, S002, S004]);
    assert_eq!(sorted(corpus.hit_names("fentanyl -Taiwan", &[])), expected);

    // Every report mentions China, so excluding it leaves nothing: exit 1.
    corpus.search_cmd("Daskal -China").assert().code(1).stdout("");
    // A query of exclusions only matches every report without the word.
    assert_eq!(sorted(corpus.hit_names("-Taiwan", &[])), [S000, S002, S004]);
}

#[test]
fn date_range_and_filters_select_the_dated_report() {
    let corpus = Corpus::seeds_indexed();
    // Only 003 carries a date (2024-01-31); undated reports never pass a date filter.
    assert_eq!(corpus.hit_names("fentanyl", &["--since", "2024-01-01"]), [S003]);
    assert_eq!(
        corpus.hit_names("fentanyl", &["--since", "2024-01-31", "--until", "2024-01-31"]),
        [S003]
    );
    assert_eq!(corpus.hit_names("fentanyl date:[2024-01-01 TO 2024-01-31]", &[]), [S003]);
    assert_eq!(corpus.hit_names("date:2024-01-31", &[]), [S003]);
    corpus.search_cmd("fentanyl").args(["--until", "2024-01-30"]).assert().code(1);
    corpus.search_cmd("fentanyl date:[2024-02-01 TO *]").assert().code(1);
    // An empty query with a filter lists what the filter keeps.
    assert_eq!(corpus.hit_names("", &["--since", "2020-01-01"]), [S003]);
}

#[test]
fn publisher_and_title_scopes() {
    let corpus = Corpus::seeds_indexed();
    assert_eq!(corpus.hit_names("fentanyl", &["--publisher", "rio times"]), [S003]);
    assert_eq!(corpus.hit_names("publisher:hope", &[]), [S004]);
    // Derived titles (002, 003) are not searchable as headlines.
    assert_eq!(sorted(corpus.hit_names("title:talks", &[])), [S000, S001, S004]);
    corpus.search_cmd("fentanyl").args(["--publisher", "Reuters"]).assert().code(1);
}

#[test]
fn hits_carry_attribution() {
    let corpus = Corpus::seeds_indexed();
    let results = corpus.search_json("Daskal", &[]);
    let hit = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["path"].as_str().unwrap().ends_with(S003))
        .unwrap();
    assert_eq!(hit["date"], "2024-01-31");
    assert_eq!(hit["publisher"], "The Rio Times");
    assert_eq!(hit["title_derived"], true);
    assert!(
        hit["title"].as_str().unwrap().starts_with("China and the U.S. have recently restarted")
    );

    let results = corpus.search_json("interagency", &[]);
    let hit = &results["hits"][0];
    assert_eq!(hit["dateline"], "WASHINGTON");
    assert_eq!(hit["title"], "U.S. & China to hold high-level fentanyl talks this week");
    assert_eq!(hit["title_derived"], false);
    assert_eq!(hit["date"], Value::Null);
}

#[test]
fn passages_are_verbatim_slices_of_the_file_even_with_curly_quotes() {
    let corpus = Corpus::seeds_indexed();
    let mut checked = 0;
    // 004's passages hold “ ” ’ and a non-breaking space.
    for query in
        ["precursor chemicals", "\"Emily’s Hope\"", "fentanyl", "officials said", "Beijing -Taiwan"]
    {
        checked += assert_passages_point_at_the_file(
            &corpus.search_json(query, &["--passages", "3", "-n", "10"]),
        );
    }
    assert!(checked > 20, "only {checked} passages checked");

    // The design note's worked example: seed 003, line 25, byte 854.
    let results = corpus.search_json("\"precursor chemicals\"", &[]);
    let hit = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["path"].as_str().unwrap().ends_with(S003))
        .unwrap();
    let passage = &hit["passages"][0];
    assert_eq!((passage["line"].as_u64(), passage["offset"].as_u64()), (Some(25), Some(854)));
}

#[test]
fn passages_stay_exact_in_crlf_files() {
    let corpus = Corpus::empty();
    for name in seed_names() {
        let text = std::fs::read_to_string(seeds_dir().join(&name)).unwrap();
        corpus.write(&name, text.replace('\n', "\r\n"));
    }
    corpus.index_cmd().assert().success();
    let results = corpus.search_json("precursor chemicals", &["--passages", "3", "--strict"]);
    assert_eq!(names(&results).len(), 3);
    assert!(assert_passages_point_at_the_file(&results) >= 3);
    for hit in results["hits"].as_array().unwrap() {
        for passage in hit["passages"].as_array().unwrap() {
            assert!(!passage["text"].as_str().unwrap().contains('\r'));
        }
    }
}

#[test]
fn a_phrase_is_highlighted_as_one_range_and_only_as_the_phrase() {
    let corpus = Corpus::seeds_indexed();
    let results = corpus.search_json("\"precursor chemicals\"", &["--passages", "3"]);
    for hit in results["hits"].as_array().unwrap() {
        for passage in hit["passages"].as_array().unwrap() {
            let text = passage["text"].as_str().unwrap();
            for range in passage["highlights"].as_array().unwrap() {
                let marked = &text[range["start"].as_u64().unwrap() as usize
                    ..range["end"].as_u64().unwrap() as usize];
                assert!(
                    marked.eq_ignore_ascii_case("precursor chemicals")
                        || marked == "precursor chemical",
                    "{marked}"
                );
            }
        }
    }
}

#[test]
fn standard_output_shows_rank_attribution_and_jumpable_passages() {
    let corpus = Corpus::seeds_indexed();
    let output = corpus.search_cmd("Daskal").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let out = stdout(&output);
    assert!(out.starts_with("1. "), "{out}");
    assert!(out.contains("The Rio Times · 2024-01-31 · en · score "), "{out}");
    let line = format!(
        "{}:9: The talks, led by U.S. Deputy Homeland Security Adviser Jen Daskal,",
        corpus.reports().join(S003).display()
    );
    assert!(out.contains(&line), "{out}");
    // Piped: no colour codes.
    assert!(!out.contains('\u{1b}'));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let corpus = Corpus::seeds_indexed();
    let always = corpus.search_cmd("Daskal").args(["--color", "always"]).output().unwrap();
    assert!(stdout(&always).contains("\u{1b}["));
    let never = corpus.search_cmd("Daskal").args(["--color", "never"]).output().unwrap();
    assert!(!stdout(&never).contains('\u{1b}'));
    let no_color = corpus.search_cmd("Daskal").env("NO_COLOR", "1").output().unwrap();
    assert!(!stdout(&no_color).contains('\u{1b}'));
}

#[test]
fn dates_outside_the_storable_range_are_refused_never_stored_as_another_day() {
    let corpus = Corpus::empty();
    for (name, date) in
        [("far.txt", "2500-06-01"), ("end.txt", "9999-12-31"), ("old.txt", "0001-01-01")]
    {
        corpus.write(name, format!("Oil talks {name}\nDate: {date}\n\nOil prices rose.\n"));
    }
    corpus.write("edge.txt", "Oil at the edge\nDate: 2261-12-31\n\nOil prices fell.\n");
    corpus.write("now.txt", "Oil now\nDate: 2024-01-31\n\nOil prices held.\n");
    let output = corpus.index_cmd().arg("--json").output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    let warned: Vec<String> = summary["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(warned.len(), 3, "{warned:?}");
    assert!(
        warned.iter().any(|m| m.contains(
            "its date 2500-06-01 is outside the dates Dateline can store, 1678-01-01 to 2261-12-31; indexed without a date"
        )),
        "{warned:?}"
    );

    // Stored as 1915-11-12, 1970-01-01 and 1754-08-30 before: now undated.
    let results = corpus.search_json("oil", &["--limit", "10"]);
    let mut dates: Vec<String> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["date"].as_str().unwrap_or("none").to_string())
        .collect();
    dates.sort();
    assert_eq!(dates, ["2024-01-31", "2261-12-31", "none", "none", "none"]);

    // Every date a user can write works exactly or is refused with the range.
    assert_eq!(corpus.hit_names("oil", &["--since", "2261-12-31"]), ["edge.txt"]);
    assert_eq!(corpus.hit_names("oil", &["--until", "2261-12-31"]).len(), 2);
    assert_eq!(corpus.hit_names("oil date:[2100-01-01 TO 2261-12-31]", &[]), ["edge.txt"]);
    for args in [
        &["oil", "--until", "9999-12-31"][..],
        &["oil", "--until", "2300-01-01"],
        &["oil", "--since", "2262-04-12"],
        &["oil", "--since", "0001-01-01"],
        &["oil date:[* TO 2300-01-01]"],
        &["date:9999-12-31"],
    ] {
        let output = corpus.search_cmd(args[0]).args(&args[1..]).output().unwrap();
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("outside the dates Dateline can store, 1678-01-01 to 2261-12-31"),
            "{err}"
        );
    }
}

#[test]
fn report_text_and_file_names_cannot_drive_the_terminal() {
    let corpus = Corpus::empty();
    let hostile = "Okapi \u{1b}]0;pwned\u{7} \u{1b}[2J\u{1b}[5mblink \u{1b}]8;;http://evil.example\u{1b}\\link\u{1b}]8;;\u{1b}\\ \u{9b}31m \u{202e}reversed";
    corpus.write(
        "line\nbreak.txt",
        format!("{hostile} headline\nSource: {hostile}\n\nThe okapi {hostile} was seen.\n"),
    );
    corpus.index_cmd().assert().success();
    for colour in ["always", "never"] {
        let output = corpus.search_cmd("okapi").args(["--color", colour]).output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let out = stdout(&output);
        // Dateline's own colours are SGR sequences (`ESC[…m`); nothing else may pass.
        let mut rest = out.as_str();
        while let Some(at) = rest.find('\u{1b}') {
            let sequence = &rest[at + 1..];
            let end = sequence.find('m').expect("an escape that is not a colour");
            assert!(
                sequence.starts_with('[')
                    && sequence[1..end].chars().all(|c| c.is_ascii_digit() || c == ';'),
                "raw escape reached the terminal: {:?}",
                &rest[at..(at + 12).min(rest.len())]
            );
            assert!(!sequence[1..end].split(';').any(|code| code == "5"), "blink passed: {out:?}");
            rest = &sequence[end..];
        }
        for raw in ['\u{7}', '\u{9b}', '\u{202e}'] {
            assert!(!out.contains(raw), "{raw:?} reached the terminal: {out:?}");
        }
        assert!(out.contains("\\u{1b}]0;pwned\\u{7}"), "{out:?}");
        // The newline in the file name is shown escaped, so `path:line:` stays one token.
        let plain = strip_sgr(&out);
        let passage = plain.lines().find(|line| line.contains(":4:"));
        let plain = passage.unwrap_or_else(|| panic!("no passage line: {out:?}"));
        assert!(plain.trim_start().contains("line\\nbreak.txt:4: The okapi"), "{plain:?}");
    }
}

fn strip_sgr(text: &str) -> String {
    let mut plain = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        plain.push_str(&rest[..at]);
        let end = rest[at..].find('m').map_or(rest.len(), |m| at + m + 1);
        rest = &rest[end..];
    }
    plain.push_str(rest);
    plain
}

#[test]
fn path_line_points_at_the_line_of_the_match() {
    let corpus = Corpus::empty();
    // One sentence wrapped over lines 3 to 5 (CRLF), the word on line 5.
    corpus.write(
        "wrapped.txt",
        "Port news\r\n\r\nThe harbour authority said on Monday that\r\nthe dockers would meet\r\nthe okapi delegation at noon.\r\n",
    );
    corpus.index_cmd().assert().success();
    let results = corpus.search_json("okapi", &[]);
    let passage = &results["hits"][0]["passages"][0];
    assert_eq!((passage["line"].as_u64(), passage["match_line"].as_u64()), (Some(3), Some(5)));
    let output = corpus.search_cmd("okapi").args(["--color", "never"]).output().unwrap();
    // Before, the passage was shown at `wrapped.txt:3:`.
    assert!(
        stdout(&output).contains("wrapped.txt:5: The harbour authority"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn rough_edges_say_what_to_do() {
    let corpus = Corpus::seeds_indexed();
    // --limit 0 at offset 0 used to say "lower --offset".
    let none = corpus.search_cmd("fentanyl").args(["--limit", "0"]).output().unwrap();
    assert_eq!(stdout(&none), "no hits shown; 5 reports matched (raise --limit)\n");
    // A date in another spelling: one line naming the spelling that works, not parser jargon.
    let output = corpus.search_cmd("fentanyl").args(["--since", "03/04/2024"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`03/04/2024` is not a date; write YYYY-MM-DD"),
        "{}",
        stderr(&output)
    );
    // An empty range is said, not answered with silence.
    let output = corpus
        .search_cmd("fentanyl")
        .args(["--since", "2024-02-01", "--until", "2024-01-01"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("since 2024-02-01 is after until 2024-01-01"),
        "{}",
        stderr(&output)
    );
    // Lower-case operators are words; say which operator was probably meant.
    let output = corpus.search_cmd("Daskal or Taiwan").arg("--strict").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("`or` was searched as a word; for the operator write `OR`"),
        "{}",
        stderr(&output)
    );
    let output = corpus.search_cmd("Daskal not Taiwan").output().unwrap();
    assert!(stderr(&output).contains("`-word` to exclude"), "{}", stderr(&output));
    // A mistyped option before the query used to be searched for, its value and the query
    // reported as stray arguments; `-word` still leaves a word out.
    for command in ["search", "stories", "trace"] {
        let output = dateline()
            .args([command, "--index"])
            .arg(corpus.index())
            .args(["--limt", "5", "fentanyl"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{command}");
        let expected = format!("`--limt` is not an option of `dateline {command}`");
        assert!(stderr(&output).contains(&expected), "{command}: {}", stderr(&output));
    }
    let output = corpus.search_cmd("fentanyl").args(["--limt", "5"]).output().unwrap();
    assert!(stderr(&output).contains("(did you mean `--limit`?)"), "{}", stderr(&output));
    // Alone, it would have been the query.
    let output = corpus.search_cmd("--limt").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`--limt` is not an option"), "{}", stderr(&output));
    let output = corpus.search_cmd("-Taiwan").arg("--json").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn malformed_queries_get_one_line_and_exit_2() {
    let corpus = Corpus::seeds_indexed();
    for (query, expected) in [
        ("\"precursor chemicals", "unbalanced double quote"),
        ("(fentanyl OR opioid", "`(` without a matching `)`"),
        ("fentanyl)", "`)` without a matching `(`"),
        ("source:Reuters", "unknown field `source:`"),
        ("date:[2024-13-01 TO *]", "`2024-13-01` is not a date"),
        ("date:yesterday", "`yesterday` is not a date"),
        ("title:[a TO b]", "ranges work on dates only"),
        ("", "the query is empty"),
    ] {
        let output = corpus.search_cmd(query).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{query}");
        let err = stderr(&output);
        assert_eq!(err.lines().count(), 1, "{query}: {err}");
        assert!(err.starts_with("dateline: "), "{err}");
        assert!(err.contains(expected), "{query}: {err}");
        assert!(output.stdout.is_empty());
    }
    let output = corpus.search_cmd("fentanyl").args(["--since", "2024-02-30"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_typo_gets_did_you_mean_but_still_exits_1() {
    let corpus = Corpus::seeds_indexed();
    corpus
        .search_cmd("fentanil talks")
        .arg("--strict")
        .assert()
        .code(1)
        .stdout("")
        .stderr("dateline: did you mean: fentanyl talks?\n");
    // Without --strict the reports with "talks" are shown below a line saying that none
    // has every word, and the misspelt word is still offered its neighbour.
    let output = corpus.search_cmd("fentanil talks").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("── no report matched every word;"), "{}", stdout(&output));
    assert_eq!(stderr(&output), "dateline: did you mean: fentanyl talks?\n");
    let results = corpus.search_json("Daskel", &[]);
    assert_eq!(results["total"], 0);
    assert_eq!(results["suggestions"], serde_json::json!(["Daskal"]));
    // No near word: no note, and no `suggestions` key.
    corpus.search_cmd("zeppelin").assert().code(1).stdout("").stderr("");
    assert!(corpus.search_json("zeppelin", &[]).get("suggestions").is_none());
    assert!(corpus.search_json("fentanyl", &[]).get("suggestions").is_none());
}

#[test]
fn no_hits_exits_1_and_paging_works() {
    let corpus = Corpus::seeds_indexed();
    corpus.search_cmd("zeppelin").assert().code(1).stdout("");
    let all = corpus.hit_names("fentanyl", &[]);
    assert_eq!(all.len(), 5);
    let page = corpus.hit_names("fentanyl", &["-n", "2", "--offset", "2"]);
    assert_eq!(page, all[2..4]);
    let results = corpus.search_json("fentanyl", &["-n", "2", "--offset", "2"]);
    assert_eq!(
        (results["total"].as_u64(), results["hits"][0]["rank"].as_u64()),
        (Some(5), Some(3))
    );
}

#[test]
fn equal_scores_are_ordered_by_path() {
    let corpus = Corpus::empty();
    // Identical wire copies score the same; written in reverse order so that index order
    // and path order differ.
    for name in ["c.txt", "b.txt", "a.txt"] {
        corpus.write(name, "Port strike\n\nDockers walked out at the port.\n");
    }
    corpus.index_cmd().assert().success();
    assert_eq!(corpus.hit_names("dockers", &[]), ["a.txt", "b.txt", "c.txt"]);
    assert_eq!(corpus.hit_names("dockers", &["-n", "1"]), ["a.txt"]);
    assert_eq!(corpus.hit_names("dockers", &["-n", "1", "--offset", "1"]), ["b.txt"]);
}

#[test]
fn equal_scores_in_different_segments_are_ordered_by_path() {
    let corpus = Corpus::empty();
    // One run a file puts each in a segment of its own, so the order of equal scores is
    // decided across segments (by their paths' text), and within one (by path ordinals).
    for names in [&["d.txt", "b.txt"][..], &["c.txt"], &["e.txt", "a.txt"]] {
        for name in names {
            corpus.write(name, "Port strike\n\nDockers walked out at the port.\n");
        }
        corpus.index_cmd().assert().success();
    }
    assert_eq!(corpus.hit_names("dockers", &[]), ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]);
    assert_eq!(corpus.hit_names("dockers", &["-n", "2", "--offset", "2"]), ["c.txt", "d.txt"]);
}

#[test]
fn first_search_in_a_fresh_checkout_builds_the_index() {
    let checkout = fresh_checkout();
    let output = dateline()
        .current_dir(checkout.path())
        .args(["search", "precursor chemicals"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("no index yet at index-data/index; building it"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("index-data/003_63e613daaea22d0e.txt:25: During the discussions")
    );
    // Second time: no rebuild, same answer.
    let again = dateline()
        .current_dir(checkout.path())
        .args(["search", "precursor chemicals"])
        .output()
        .unwrap();
    assert!(stderr(&again).is_empty(), "{}", stderr(&again));
    assert_eq!(stdout(&again), stdout(&output));
}

#[test]
fn a_missing_index_is_an_error_with_a_hint() {
    let corpus = Corpus::empty();
    let output = corpus.search_cmd("fentanyl").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("no index at") && err.contains("build one with: dateline index --index"),
        "{err}"
    );
}

#[test]
fn words_standing_together_outrank_words_far_apart() {
    let corpus = Corpus::empty();
    let filler = "The ministers met and talked about many other things at length. ".repeat(3);
    corpus.write(
        "apart.txt",
        format!("Talks\n\nA precursor was named. {filler}Then chemicals came up.\n"),
    );
    corpus.write(
        "together.txt",
        format!("Talks\n\nThey discussed precursor chemicals. {filler}Nothing else.\n"),
    );
    corpus.write("precursor_only.txt", format!("Talks\n\nA precursor was named. {filler}\n"));
    corpus.index_cmd().assert().success();
    // With every word required, the report where they stand together ranks first.
    let strict = corpus.hit_names("precursor chemicals", &["--strict"]);
    assert_eq!(strict, ["together.txt", "apart.txt"]);
    // By default, the report with one of the two words follows them.
    let tiered = corpus.hit_names("precursor chemicals", &[]);
    assert_eq!(tiered, ["together.txt", "apart.txt", "precursor_only.txt"]);
    let any = corpus.hit_names("precursor OR chemicals", &[]);
    assert_eq!(any[0], "together.txt");
    assert_eq!(any.len(), 3);
}

#[test]
fn huge_limits_and_offsets_are_harmless() {
    let corpus = Corpus::seeds_indexed();
    let max = u64::MAX.to_string();
    assert_eq!(corpus.hit_names("fentanyl", &["-n", &max]).len(), 5);
    let beyond =
        corpus.search_cmd("fentanyl").args(["-n", &max, "--offset", &max]).output().unwrap();
    assert_eq!(beyond.status.code(), Some(0));
    assert_eq!(stdout(&beyond), "no hits shown; 5 reports matched (lower --offset)\n");
    assert!(corpus.hit_names("fentanyl", &["--offset", "3"]).len() == 2);
}

#[test]
fn brackets_inside_a_phrase_are_text() {
    let corpus = Corpus::seeds_indexed();
    // Quoted, "(" is just a character the tokenizer drops.
    assert_eq!(
        sorted(corpus.hit_names("\"Daskal (a\"", &[])),
        sorted(corpus.hit_names("\"Daskal a\"", &[]))
    );
}

#[test]
fn an_interrupted_first_build_is_finished_by_the_next_search() {
    let checkout = fresh_checkout();
    let bundled = checkout.path().join("index-data");
    // An index created but never committed to, as a build killed before its commit leaves.
    let indexer =
        dateline_indexer::Indexer::open_or_create(bundled.join("index"), Default::default())
            .unwrap();
    drop(indexer);
    let output =
        dateline().current_dir(checkout.path()).args(["search", "Daskal"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("building it from index-data/ first"));
}

#[test]
fn similar_lists_the_other_reports_on_the_story_and_not_itself() {
    let corpus = Corpus::seeds_indexed();
    corpus.write(
        "grain.txt",
        "Grain prices\n\nWheat and maize prices rose in Chicago as dry weather hit farms.\n",
    );
    corpus.write(
        "grain2.txt",
        "Wheat rally\n\nChicago wheat prices rose again; farms in Kansas report dry weather.\n",
    );
    corpus.index_cmd().assert().success();
    let output = dateline()
        .args(["similar", "--json", "--index"])
        .arg(corpus.index())
        .arg(corpus.reports().join("grain.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let results: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(names(&results)[0], "grain2.txt");
    assert!(!names(&results).contains(&"grain.txt".to_string()));

    let output = dateline()
        .args(["similar", "--json", "--index"])
        .arg(corpus.index())
        .arg(corpus.reports().join(S003))
        .output()
        .unwrap();
    let results: Value = serde_json::from_slice(&output.stdout).unwrap();
    // The other four fentanyl reports; nothing about grain, and not 003 itself.
    assert_eq!(sorted(names(&results)), [S000, S001, S002, S004]);

    let missing = dateline()
        .args(["similar", "--index"])
        .arg(corpus.index())
        .arg("nope.txt")
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("nope.txt is not in the index"));
}

#[test]
fn an_excluded_phrase_removes_only_the_reports_with_the_phrase() {
    let corpus = Corpus::seeds_indexed();
    // 002, 003 and 004 hold "precursor chemical(s)"; 000 and 001 do not.
    assert_eq!(sorted(corpus.hit_names("-\"precursor chemicals\"", &[])), [S000, S001]);
    assert_eq!(sorted(corpus.hit_names("fentanyl -\"precursor chemicals\"", &[])), [S000, S001]);
}

#[test]
fn the_bundled_index_rebuilds_itself_after_a_format_change() {
    let checkout = fresh_checkout();
    let bundled = checkout.path().join("index-data");
    let search =
        || dateline().current_dir(checkout.path()).args(["search", "Daskal"]).output().unwrap();
    assert_eq!(search().status.code(), Some(0));
    let meta = bundled.join("index/meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    std::fs::write(&meta, text.replace(&current_format(), "\\\"format\\\":0")).unwrap();
    let output = search();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output)
            .contains("an index of another Dateline format at index-data/index; building it"),
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout(&output), stdout(&search()));
}
