//! "Did you mean …" for queries no report matches in full (reports matching some of the
//! words may follow, but a misspelt word is still offered its neighbour):
//! 1. A misspelt word is offered its nearest indexed neighbour, as reports write it.
//! 2. The whole query is offered with only the unknown words replaced.
//! 3. A word with no near neighbour, and a query that matches, get no suggestion.
//! 4. Only suggestions that would match under the same filters are offered.

use std::path::Path;

use dateline_indexer::{Indexer, Options};
use dateline_query::{Index, Query};

fn index_of(root: &Path) -> (tempfile::TempDir, Index) {
    let dir = tempfile::tempdir().unwrap();
    let mut indexer = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
    indexer.update(&[root.to_path_buf()], |_| {}).unwrap();
    drop(indexer);
    let index = Index::open(dir.path()).unwrap();
    (dir, index)
}

fn suggestions(index: &Index, query: Query) -> Vec<String> {
    let results = index.search(&query).unwrap();
    assert_eq!(results.matched_every_word, 0, "{query:?} matched");
    results.suggestions
}

#[test]
fn misspelt_words_in_the_bundled_reports_get_their_neighbour() {
    let corpus = tempfile::tempdir().unwrap();
    dateline_fixtures::copy_bundled_reports(corpus.path());
    let (_dir, index) = index_of(corpus.path());
    assert_eq!(suggestions(&index, Query::new("fentanil")), ["fentanyl"]);
    assert_eq!(suggestions(&index, Query::new("Daskel")), ["Daskal"]);
    assert_eq!(suggestions(&index, Query::new("fentanil talks")), ["fentanyl talks"]);
    // No indexed word is near it.
    assert!(suggestions(&index, Query::new("zeppelin")).is_empty());
    // A query that matches carries none.
    assert!(index.search(&Query::new("fentanyl")).unwrap().suggestions.is_empty());
}

#[test]
fn names_and_typos_are_offered_as_reports_write_them() {
    let corpus = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(corpus.path().join(name), text).unwrap();
    write("a.txt", "Brexit vote\nSource: Wire\n\nThe Brexit vote was close. Zelensky spoke.\n");
    write("b.txt", "Talks\nSource: Other\n\nPresident Zelensky met envoys about the vote.\n");
    write("c.txt", "Markets\nSource: Wire\n\nShares rose after the vote.\n");
    let (_dir, index) = index_of(corpus.path());
    assert_eq!(suggestions(&index, Query::new("Brexti vote")), ["Brexit vote"]);
    assert_eq!(suggestions(&index, Query::new("Zelenskiy")), ["Zelensky"]);
    // Only suggestions that match under the query's filters are offered.
    assert!(suggestions(&index, Query::new("Brexti").publisher("Other")).is_empty());
    assert_eq!(suggestions(&index, Query::new("Brexti").publisher("Wire")), ["Brexit"]);
    // A word with a suggestion keeps the rest of the query as written.
    assert_eq!(suggestions(&index, Query::new("Brexti -markets")), ["Brexit -markets"]);
}
