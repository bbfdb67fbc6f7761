//! Copies: the same text published again. Properties checked on real text (Reuters-21578
//! reports and reprints the test makes of them the way outlets do; the bundled reports):
//! 1. Independent reports of one event (the five bundled) are no copies of one another.
//! 2. Reprints (retitled, a local intro, the last paragraphs cut, another outlet and date)
//!    collapse into one hit naming the others, earliest first; `--all-copies` shows each.
//! 3. A removed member leaves the rest grouped; a changed one leaves its group and joins
//!    the group of its new text.
//! 4. Empty and very short reports are indexed, each its own group, even when identical.
//! 5. A group of 2,000 identical reports indexes, searches as one hit listing 20 of them,
//!    and a report added later still joins it.
//! 6. A collapsed page is the first of each group in the ranking of every copy, in every
//!    order, with copies tied on score and date in other segments.
//! 7. A copy is in the story of the text it copies, found in the same run or in the index,
//!    while its date is within the story's window; a reprint months later is not.

use serde_json::Value;

use crate::util::*;

/// A Reuters report: its headline, date line and body lines.
struct Source {
    headline: String,
    body: Vec<String>,
}

/// The first `n` Reuters reports whose bodies have at least 80 words, each on another topic
/// (the corpus's reports follow each other by time, so neighbours share topics).
fn sources(n: usize) -> Vec<Source> {
    reuters_files(400)
        .into_iter()
        .step_by(7)
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            let (header, body) = text.split_once("\n\n")?;
            let body: Vec<String> = body.lines().map(str::to_string).collect();
            let words = body.iter().map(|line| line.split_whitespace().count()).sum::<usize>();
            let headline = header.lines().next()?.to_string();
            (words >= 80).then_some(Source { headline, body })
        })
        .take(n)
        .collect()
}

/// A report file: headline, date, outlet, then the body.
fn report(headline: &str, date: &str, outlet: &str, body: &[String]) -> String {
    format!("{headline}\nDate: {date}\nSource: {outlet}\n\n{}\n", body.join("\n"))
}

/// A reprint of `source` as `outlet` ran it: its own headline, a local intro, the last
/// third of the lines cut, a sign-off of its own.
fn reprint(source: &Source, outlet: &str, date: &str) -> String {
    let kept = &source.body[..source.body.len() * 2 / 3];
    let mut body = vec![format!("({outlet}) Readers in our region follow this closely.")];
    body.extend(kept.iter().cloned());
    body.push(format!("Copyright {outlet}. All rights reserved."));
    report(&format!("{outlet}: {}", source.headline.to_lowercase()), date, outlet, &body)
}

/// A phrase of the source's first words: found in it and in every reprint.
fn phrase(source: &Source) -> String {
    let words: Vec<&str> = source.body.iter().flat_map(|line| line.split_whitespace()).collect();
    let words: Vec<String> = words[..6]
        .iter()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .collect();
    format!("\"{}\"", words.join(" "))
}

/// `search --json`, copies collapsed (the default; the shared helper shows every copy).
fn collapsed(corpus: &Corpus, query: &str, extra: &[&str]) -> Value {
    let output = corpus.search_cmd(query).arg("--json").args(extra).output().unwrap();
    assert!(output.status.code().unwrap() < 2, "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn hits(results: &Value) -> &Vec<Value> {
    results["hits"].as_array().unwrap()
}

/// A corpus of `sources`, each as Reuters ran it on 1987-03-02, with reprints by The Hill
/// (03-03) and Yahoo News (03-04) of the first.
fn with_reprints(sources: &[Source]) -> Corpus {
    let corpus = Corpus::empty();
    for (i, source) in sources.iter().enumerate() {
        corpus.write(
            &format!("src-{i}.txt"),
            report(&source.headline, "1987-03-02", "Reuters", &source.body),
        );
    }
    corpus.write("hill.txt", reprint(&sources[0], "The Hill", "1987-03-03"));
    corpus.write("yahoo.txt", reprint(&sources[0], "Yahoo News", "1987-03-04"));
    corpus.index_cmd().assert().success();
    corpus
}

#[test]
fn the_five_bundled_reports_are_five_groups() {
    let corpus = Corpus::seeds_indexed();
    let results = corpus.search_json("*", &["--limit", "20"]);
    assert_eq!(hits(&results).len(), 5);
    for hit in hits(&results) {
        assert_eq!(hit["copies"]["count"], 1, "{hit}");
        assert_eq!(hit["copies"]["also_ran_in"], Value::Array(Vec::new()));
    }
    let collapsed = collapsed(&corpus, "*", &["--limit", "20"]);
    assert_eq!(hits(&collapsed).len(), 5);
}

#[test]
fn reprints_of_real_newswire_collapse_into_one_hit_naming_the_others() {
    let sources = sources(6);
    let corpus = with_reprints(&sources);
    let query = phrase(&sources[0]);

    let all = corpus.search_json(&query, &[]);
    assert_eq!(sorted(names(&all)), ["hill.txt", "src-0.txt", "yahoo.txt"]);
    let groups: Vec<&Value> = hits(&all).iter().map(|hit| &hit["copies"]["group"]).collect();
    assert!(groups.iter().all(|group| *group == groups[0]), "{groups:?}");

    let collapsed = collapsed(&corpus, &query, &[]);
    assert_eq!(collapsed["total"], 3, "total counts reports");
    let [hit] = hits(&collapsed).as_slice() else { panic!("{collapsed}") };
    let copies = &hit["copies"];
    assert_eq!(copies["count"], 3);
    assert_eq!(copies["group"], *groups[0]);
    let others: Vec<&str> = copies["also_ran_in"]
        .as_array()
        .unwrap()
        .iter()
        .map(|copy| copy["name"].as_str().unwrap())
        .collect();
    let mut expected: Vec<&str> =
        ["reports/src-0.txt", "reports/hill.txt", "reports/yahoo.txt"].to_vec();
    expected.retain(|name| *name != hit["name"].as_str().unwrap());
    assert_eq!(others, expected, "earliest first");
    // Where each copy ran is what its own report says (read from columns, not documents).
    for copy in copies["also_ran_in"].as_array().unwrap() {
        let own = hits(&all).iter().find(|hit| hit["name"] == copy["name"]).unwrap();
        assert_eq!(copy["publisher"], own["publisher"], "{copy}");
        assert_eq!(copy["date"], own["date"], "{copy}");
        assert_ne!(copy["publisher"], Value::Null, "{copy}");
        assert_ne!(copy["date"], Value::Null, "{copy}");
    }
    assert_eq!(copies["earliest"], hit["name"] == "reports/src-0.txt");

    // Every other source is a group of its own.
    for source in &sources[1..] {
        let results = corpus.search_json(&phrase(source), &[]);
        assert!(hits(&results).iter().all(|hit| hit["copies"]["count"] == 1), "{results}");
    }

    let text = stdout(&corpus.search_cmd(&query).arg("--color=never").output().unwrap());
    let line = text.lines().find(|line| line.contains("also ran in:")).expect(&text);
    assert!(line.contains("Reuters") || line.contains("The Hill"), "{line}");
    assert_eq!(text.matches("also ran in:").count(), 1, "{text}");
    // One hit for three reports is the whole answer: the count line must not promise more.
    let last = text.lines().last().unwrap();
    assert!(last.starts_with("showing 1–1 of 3 matching reports (the last page: copies"), "{text}");
    let limited =
        stdout(&corpus.search_cmd(&query).args(["--color=never", "--limit=1"]).output().unwrap());
    assert!(limited.ends_with("(--limit, --offset for more)\n"), "{limited}");
}

#[test]
fn a_removed_copy_leaves_the_rest_grouped_and_a_changed_one_moves() {
    let sources = sources(3);
    let corpus = with_reprints(&sources);
    let query = phrase(&sources[0]);

    std::fs::remove_file(corpus.reports().join("src-0.txt")).unwrap();
    corpus.index_cmd().assert().success();
    let results = collapsed(&corpus, &query, &[]);
    let [hit] = hits(&results).as_slice() else { panic!("{results}") };
    assert_eq!(hit["copies"]["count"], 2);

    // The Hill's file now carries the second source's text.
    corpus.write("hill.txt", reprint(&sources[1], "The Hill", "1987-03-03"));
    corpus.index_cmd().assert().success();
    let first = collapsed(&corpus, &query, &[]);
    assert_eq!(names(&first), ["yahoo.txt"]);
    assert_eq!(hits(&first)[0]["copies"]["count"], 1);
    let second = corpus.search_json(&phrase(&sources[1]), &[]);
    assert_eq!(sorted(names(&second)), ["hill.txt", "src-1.txt"]);
    assert!(hits(&second).iter().all(|hit| hit["copies"]["count"] == 2), "{second}");
}

#[test]
fn empty_and_very_short_reports_are_each_their_own_group() {
    let corpus = Corpus::empty();
    corpus.write("a.txt", "Markets closed higher on Tuesday in busy trading.\n");
    corpus.write("b.txt", "Markets closed higher on Tuesday in busy trading.\n");
    corpus.write("empty.txt", "");
    corpus.index_cmd().assert().success();
    let results = collapsed(&corpus, "markets", &[]);
    assert_eq!(sorted(names(&results)), ["a.txt", "b.txt"]);
    assert!(hits(&results).iter().all(|hit| hit["copies"]["count"] == 1), "{results}");
    assert_ne!(hits(&results)[0]["copies"]["group"], hits(&results)[1]["copies"]["group"]);
}

#[test]
fn two_thousand_identical_reports_are_one_hit_and_a_later_copy_joins_them() {
    let source = &sources(1)[0];
    let corpus = Corpus::empty();
    let text = report(&source.headline, "1987-03-02", "Reuters", &source.body);
    for i in 0..2000 {
        corpus.write(&format!("spam-{i:04}.txt"), &text);
    }
    corpus.index_cmd().assert().success();
    let query = phrase(source);
    let results = collapsed(&corpus, &query, &[]);
    assert_eq!(results["total"], 2000);
    let [hit] = hits(&results).as_slice() else { panic!("{results}") };
    assert_eq!(hit["copies"]["count"], 2000);
    assert_eq!(hit["copies"]["also_ran_in"].as_array().unwrap().len(), 20);

    corpus.write("later.txt", reprint(source, "The Hill", "1987-03-05"));
    corpus.index_cmd().assert().success();
    let results = collapsed(&corpus, &query, &[]);
    let [hit] = hits(&results).as_slice() else { panic!("{results}") };
    assert_eq!(hit["copies"]["count"], 2001);
    let page = corpus.search_json(&query, &["--limit", "5"]);
    assert_eq!(hits(&page).len(), 5);
}

#[test]
fn copies_spread_over_several_segments_are_listed_by_date_then_name() {
    let source = &sources(1)[0];
    let corpus = Corpus::empty();
    let text = report(&source.headline, "1987-03-02", "Reuters", &source.body);
    // Three runs make three segments, the names interleaved across them; the earliest report
    // by date comes in the last run.
    for run in 0..3 {
        for i in (run..24).step_by(3) {
            corpus.write(&format!("copy-{i:02}.txt"), &text);
        }
        if run == 2 {
            corpus.write("first.txt", report(&source.headline, "1987-03-01", "AP", &source.body));
        }
        corpus.index_cmd().assert().success();
    }
    let results = collapsed(&corpus, &phrase(source), &[]);
    let [hit] = hits(&results).as_slice() else { panic!("{results}") };
    assert_eq!(hit["copies"]["count"], 25);
    let mut expected = vec!["reports/first.txt".to_string()];
    expected.extend((0..24).map(|i| format!("reports/copy-{i:02}.txt")));
    expected.retain(|name| name != hit["name"].as_str().unwrap());
    expected.truncate(20);
    let listed: Vec<&str> = hit["copies"]["also_ran_in"]
        .as_array()
        .unwrap()
        .iter()
        .map(|copy| copy["name"].as_str().unwrap())
        .collect();
    assert_eq!(listed, expected, "{results}");
    assert_eq!(hit["copies"]["earliest"], hit["name"] == "reports/first.txt");
}

#[test]
fn a_copy_is_in_the_story_of_its_text_within_the_window_and_a_late_reprint_is_not() {
    let source = &sources(1)[0];
    let corpus = Corpus::empty();
    corpus.write("src.txt", report(&source.headline, "1987-03-02", "Reuters", &source.body));
    corpus.write("hill.txt", reprint(source, "The Hill", "1987-03-03"));
    corpus.index_cmd().assert().success();
    // Found in the index this time, not among the run's own reports.
    corpus.write("yahoo.txt", reprint(source, "Yahoo News", "1987-03-09"));
    corpus.write("late.txt", reprint(source, "Late Weekly", "1987-09-01"));
    corpus.index_cmd().assert().success();

    let all = corpus.search_json(&phrase(source), &[]);
    let field = |name: &str, at: &[&str]| {
        let hit = hits(&all).iter().find(|hit| hit["name"] == format!("reports/{name}"));
        let hit = hit.unwrap_or_else(|| panic!("{name} is not a hit: {all}"));
        at.iter().fold(hit, |value, key| &value[key]).clone()
    };
    let group = field("src.txt", &["copies", "group"]);
    let story = field("src.txt", &["story", "id"]);
    for name in ["hill.txt", "yahoo.txt", "late.txt"] {
        assert_eq!(field(name, &["copies", "group"]), group, "{name}");
    }
    assert_eq!(field("hill.txt", &["story", "id"]), story);
    assert_eq!(field("yahoo.txt", &["story", "id"]), story);
    assert_ne!(field("late.txt", &["story", "id"]), story, "six months later is another story");
}

#[test]
fn a_collapsed_page_is_the_first_of_each_group_in_the_ranking_of_every_copy() {
    let sources = sources(8);
    let corpus = Corpus::empty();
    let original = |s: &Source| report(&s.headline, "1987-03-02", "Reuters", &s.body);
    for (i, source) in sources.iter().enumerate() {
        corpus.write(&format!("m-src-{i}.txt"), original(source));
    }
    corpus.index_cmd().assert().success();
    // Exact copies, tied with the first on score and date, in a segment of their own: one
    // named before it and one after, so that the path decides which one a page shows.
    for (i, source) in sources.iter().enumerate() {
        corpus.write(&format!("a-src-{i}.txt"), original(source));
        corpus.write(&format!("z-src-{i}.txt"), original(source));
    }
    corpus.index_cmd().assert().success();
    for (i, source) in sources.iter().enumerate().step_by(2) {
        corpus.write(&format!("r-reprint-{i}.txt"), reprint(source, "The Hill", "1987-03-05"));
    }
    corpus.index_cmd().assert().success();

    for sort in ["relevance", "newest", "oldest"] {
        for query in ["*", "said", &phrase(&sources[0]), "said OR the"] {
            let every = corpus.search_json(query, &["--sort", sort, "--limit", "100"]);
            let mut seen = std::collections::HashSet::new();
            let firsts: Vec<Value> = hits(&every)
                .iter()
                .filter(|hit| seen.insert(hit["copies"]["group"].to_string()))
                .take(5)
                .cloned()
                .collect();
            let expected = names(&serde_json::json!({ "hits": firsts }));
            assert!(!expected.is_empty(), "{query} {sort}");
            let page = collapsed(&corpus, query, &["--sort", sort, "--limit", "5"]);
            assert_eq!(names(&page), expected, "{query}, --sort {sort}");
        }
    }
}
