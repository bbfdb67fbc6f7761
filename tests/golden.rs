//! Golden output: what `dateline search --json` prints for a set of queries on the bundled
//! reports, byte for byte (with the temporary folder's path replaced by `$DIR`). A change
//! to the JSON format or to ranking shows here first; when it is meant, re-record with
//! `DATELINE_BLESS=1 cargo test --test integration golden::` and review the diff. The HTTP
//! API has its twin in `crates/server/tests/api.rs` (`answers_are_unchanged`).

use std::path::Path;

use crate::util::*;

/// Queries covering each part of the language and of a hit: phrases, exclusion, `OR`, field
/// scope, dates, filters, paging, passages, derived titles, tiers, orders, similar reports.
const SEARCHES: &[&[&str]] = &[
    &["search", "precursor chemicals"],
    &["search", "\"precursor chemicals\"", "--passages", "3"],
    &["search", "fentanyl OR opioid", "--limit", "3", "--offset", "1"],
    &["search", "Daskal -China"],
    &["search", "title:talks"],
    &["search", "*", "--since", "2024-01-01"],
    &["search", "fentanyl", "--publisher", "rio times", "--passages", "1"],
    &["search", "fent*", "--limit", "2"],
    &["search", "nothing-matches-this"],
    &["search", "precursor chemicals", "--strict", "--passages", "0"],
    &["search", "fentanyl", "--sort", "oldest", "--passages", "0"],
    &["search", "fentanyl", "--publisher", "rio times", "--publisher", "hope", "--passages", "0"],
    &["similar", "REPORTS/003_63e613daaea22d0e.txt", "--limit", "2"],
];

#[test]
fn search_json_is_unchanged() {
    let corpus = Corpus::seeds_indexed();
    let dir = corpus.dir.path().to_str().unwrap().to_string();
    let mut recorded = String::new();
    for args in SEARCHES {
        let reports = corpus.reports();
        let args: Vec<String> =
            args.iter().map(|arg| arg.replace("REPORTS", reports.to_str().unwrap())).collect();
        let output = dateline()
            .args(&args)
            .arg("--json")
            .arg("--index")
            .arg(corpus.index())
            .output()
            .unwrap();
        assert!(output.status.code().unwrap() < 2, "{args:?}: {}", stderr(&output));
        recorded.push_str(&format!("$ dateline {}\n", args.join(" ").replace(&dir, "$DIR")));
        recorded.push_str(&stdout(&output).replace(&dir, "$DIR"));
    }
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/search-json.txt");
    dateline_fixtures::assert_golden(&golden, &recorded);
}
