//! Stories, end to end through the binary.
//!
//! Properties:
//! - the five bundled reports (five outlets, one event, written independently) are one story,
//!   and every hit says so: its id, 5 reports, their days, 5 independent reports;
//! - `--distinct story` shows one hit per story;
//! - real Reuters reports of one event (Chrysler's deal to buy AMC, March 1987) share a story;
//!   two events about one company do not (GenCorp's takeover fight in March, its sale of
//!   General Tire in June);
//! - reports added in a later run join the stories the index holds, whose ids do not change;
//! - removing a story's first report leaves the rest in it, and later reports still join it;
//! - reports without a date still form a story, which says it is undated.

use serde_json::Value;

use crate::util::{Corpus, reuters};

/// `search --json` for `query`, every hit: name → the hit.
fn hits(corpus: &Corpus, query: &str) -> Vec<Value> {
    corpus.search_json(query, &["-n", "100"])["hits"].as_array().unwrap().clone()
}

/// The story id of the hit named `name` (its file name) in a search for `query`.
fn story_of(corpus: &Corpus, query: &str, name: &str) -> String {
    let hits = hits(corpus, query);
    let hit = hits
        .iter()
        .find(|h| h["name"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("{name} is not a hit for {query}"));
    hit["story"]["id"].as_str().unwrap().to_string()
}

fn copy_reuters(corpus: &Corpus, numbers: &[&str]) {
    for n in numbers {
        let name = format!("reut-{n}.txt");
        std::fs::copy(reuters().join(&name), corpus.reports().join(&name)).unwrap();
    }
}

#[test]
fn the_bundled_reports_are_one_story() {
    let corpus = Corpus::seeds_indexed();
    let hits = hits(&corpus, "*");
    assert_eq!(hits.len(), 5);
    let story = &hits[0]["story"];
    for hit in &hits {
        assert_eq!(&hit["story"], story, "{}", hit["name"]);
    }
    let id = story["id"].as_str().unwrap();
    assert!(id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit() && !c.is_uppercase()));
    assert_eq!(story["reports"], 5);
    assert_eq!(story["independent"], 5);
    let days: Vec<&str> = hits.iter().filter_map(|h| h["date"].as_str()).collect();
    assert_eq!(story["first_date"].as_str(), days.iter().min().copied());
    assert_eq!(story["last_date"].as_str(), days.iter().max().copied());

    let distinct = corpus.search_json("fentanyl", &["--distinct", "story"]);
    assert_eq!(distinct["hits"].as_array().unwrap().len(), 1);
    let text = crate::util::stdout(&corpus.search_cmd("fentanyl").output().unwrap());
    assert!(text.contains(&format!("story {id}: 5 reports")), "{text}");
}

#[test]
fn reuters_reports_of_one_event_share_a_story_and_two_events_of_one_company_do_not() {
    let corpus = Corpus::empty();
    // Chrysler–AMC (March 9–11); GenCorp's takeover fight (March 18) and its sale of General
    // Tire (June 29).
    let chrysler = ["03100", "03139", "03241", "03795"];
    copy_reuters(&corpus, &chrysler);
    copy_reuters(&corpus, &["06410", "06463", "06819", "19930"]);
    corpus.index_cmd().assert().success();

    let amc = story_of(&corpus, "Chrysler", "reut-03100.txt");
    for n in chrysler {
        assert_eq!(story_of(&corpus, "Chrysler", &format!("reut-{n}.txt")), amc, "{n}");
    }
    let bid = story_of(&corpus, "GenCorp", "reut-06410.txt");
    assert_eq!(story_of(&corpus, "GenCorp", "reut-06463.txt"), bid);
    assert_eq!(story_of(&corpus, "GenCorp", "reut-06819.txt"), bid);
    assert_ne!(story_of(&corpus, "GenCorp", "reut-19930.txt"), bid);
    assert_ne!(amc, bid);
}

#[test]
fn added_reports_join_the_indexed_story_and_removed_ones_leave_the_rest_in_it() {
    let corpus = Corpus::empty();
    copy_reuters(&corpus, &["03100", "03139"]);
    corpus.index_cmd().assert().success();
    let amc = story_of(&corpus, "Chrysler", "reut-03100.txt");
    assert_eq!(story_of(&corpus, "Chrysler", "reut-03139.txt"), amc);

    // A later run: its reports find the story in the index, whose id stays.
    copy_reuters(&corpus, &["03241", "19930"]);
    corpus.index_cmd().assert().success();
    assert_eq!(story_of(&corpus, "Chrysler", "reut-03100.txt"), amc);
    assert_eq!(story_of(&corpus, "Chrysler", "reut-03241.txt"), amc);
    assert_ne!(story_of(&corpus, "GenCorp", "reut-19930.txt"), amc);
    let story = &hits(&corpus, "Chrysler")[0]["story"];
    assert_eq!(story["id"], amc.as_str());
    assert_eq!(story["reports"], 3);

    // The report that started the story goes; the rest keep it, and new reports join it.
    std::fs::remove_file(corpus.reports().join("reut-03100.txt")).unwrap();
    copy_reuters(&corpus, &["03795"]);
    corpus.index_cmd().assert().success();
    for n in ["03139", "03241", "03795"] {
        assert_eq!(story_of(&corpus, "Chrysler", &format!("reut-{n}.txt")), amc, "{n}");
    }
    assert_eq!(hits(&corpus, "Chrysler")[0]["story"]["reports"], 3);
}

#[test]
fn reports_without_a_date_form_a_story_said_to_be_undated() {
    let corpus = Corpus::empty();
    for n in ["03100", "03241"] {
        let text = std::fs::read_to_string(reuters().join(format!("reut-{n}.txt"))).unwrap();
        let undated: String =
            text.lines().filter(|l| !l.starts_with("Date:")).map(|l| format!("{l}\n")).collect();
        corpus.write(&format!("undated-{n}.txt"), undated);
    }
    corpus.index_cmd().assert().success();
    let hits = hits(&corpus, "Chrysler");
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h["date"].is_null()));
    assert_eq!(hits[0]["story"], hits[1]["story"]);
    assert_eq!(hits[0]["story"]["reports"], 2);
    assert!(hits[0]["story"]["first_date"].is_null());
    let text = crate::util::stdout(&corpus.search_cmd("Chrysler").output().unwrap());
    assert!(text.contains("2 reports, 1 outlet, undated"), "{text}");

    // Without their outlet too: said as such, not "0 outlets".
    for n in ["03100", "03241"] {
        let path = corpus.reports().join(format!("undated-{n}.txt"));
        let text = std::fs::read_to_string(&path).unwrap();
        let anonymous: String =
            text.lines().filter(|l| !l.starts_with("Source:")).map(|l| format!("{l}\n")).collect();
        std::fs::write(&path, anonymous).unwrap();
    }
    corpus.index_cmd().assert().success();
    let text = crate::util::stdout(&corpus.search_cmd("Chrysler").output().unwrap());
    assert!(text.contains("2 reports, no outlet named, undated"), "{text}");
}

#[test]
fn stories_lists_each_story_with_its_first_report_its_days_and_its_independent_outlets() {
    let corpus = Corpus::seeds();
    corpus.write_reprint();
    let indexed = corpus.index_cmd().output().unwrap();
    assert!(indexed.status.success(), "{}", crate::util::stderr(&indexed));
    let stories = |extra: &[&str]| {
        crate::util::dateline()
            .arg("stories")
            .arg("--index")
            .arg(corpus.index())
            .args(extra)
            .output()
            .unwrap()
    };
    let output = stories(&["fentanyl", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", crate::util::stderr(&output));
    let listing: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(listing["total"], 6);
    let all = listing["stories"].as_array().unwrap();
    assert_eq!(all.len(), 1, "{listing}");
    let story = &all[0];
    assert_eq!(
        (&story["reports"], &story["independent"], &story["copies"]),
        (&Value::from(6), &Value::from(5), &Value::from(1))
    );
    assert_eq!(story["first_report"]["publisher"], "The Rio Times");
    assert_eq!(story["first_report"]["date"], "2024-01-31");
    assert_eq!(
        story["timeline"],
        serde_json::json!([{"date": "2024-01-31", "reports": 1}, {"date": "2024-02-01", "reports": 1}])
    );
    assert_eq!(story["undated"], 4);
    // The reprint's outlet is not a source of its own: its copy group counts once, by its
    // earliest report, The Rio Times'.
    assert_eq!(
        story["corroboration"]["outlets"],
        serde_json::json!(["The Rio Times", "Emily’s Hope"])
    );
    assert_eq!(story["corroboration"]["unnamed"], 3);
    assert_eq!(story["corroboration"]["independent"], 5);

    let text = crate::util::stdout(&stories(&["fentanyl"]));
    let id = story["id"].as_str().unwrap();
    assert!(
        text.contains(&format!("story {id}: 6 reports · 3 outlets (5 independent, 1 copy)")),
        "{text}"
    );
    assert!(text.contains("timeline: 2024-01-31 ×1, 2024-02-01 ×1, undated ×4"), "{text}");

    let none = stories(&["nothing-matches-this"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(none.stdout.is_empty());
}
