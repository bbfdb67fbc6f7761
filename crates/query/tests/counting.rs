//! Counting matches, on the bundled reports (five outlets' reports of one story, each naming
//! fentanyl):
//! 1. Matches are counted exactly up to the query's limit; past it the total is the limit
//!    and says it is a lower bound, and the hits are the same as when every match is counted.
//! 2. A limit the matches do not reach, or `count_all`, counts them all and says so.
//! 3. The count always reaches past the page asked for, so a page can tell there is more.

use dateline_indexer::{Indexer, Options};
use dateline_query::{COUNT_EXACTLY_UP_TO, Index, Query, Results};

fn bundled() -> (tempfile::TempDir, tempfile::TempDir, Index) {
    let corpus = tempfile::tempdir().unwrap();
    dateline_fixtures::copy_bundled_reports(corpus.path());
    let dir = tempfile::tempdir().unwrap();
    let mut indexer = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
    indexer.update(&[corpus.path().to_path_buf()], |_| {}).unwrap();
    drop(indexer);
    let index = Index::open(dir.path()).unwrap();
    (corpus, dir, index)
}

/// Collapsing copies ranks deeper than the page, and a ranking counts at least as deep as
/// it goes: these tests count with every copy shown, so the limit alone decides.
fn fentanyl() -> Query {
    Query::new("fentanyl").all_copies(true)
}

fn names(results: &Results) -> Vec<String> {
    results.hits.iter().map(|hit| hit.attribution.name.clone()).collect()
}

#[test]
fn counting_stops_at_the_limit_and_says_so() {
    let (_corpus, _dir, index) = bundled();
    let all = index.search(&fentanyl().limit(1).count_all(true)).unwrap();
    assert!(all.total_is_exact);
    assert_eq!(all.total, 5);

    let capped = index.search(&fentanyl().limit(1).count_up_to(2)).unwrap();
    assert!(!capped.total_is_exact);
    assert_eq!(capped.total, 2);
    assert_eq!(names(&capped), names(&all));

    // The default limit is far above five matches.
    const { assert!(COUNT_EXACTLY_UP_TO > 5) };
    let by_default = index.search(&fentanyl().limit(1)).unwrap();
    assert!(by_default.total_is_exact);
    assert_eq!(by_default.total, 5);
    let unreached = index.search(&fentanyl().limit(1).count_up_to(6)).unwrap();
    assert!(unreached.total_is_exact);
    assert_eq!(unreached.total, 5);
}

#[test]
fn the_count_reaches_past_the_page() {
    let (_corpus, _dir, index) = bundled();
    let page = index.search(&fentanyl().limit(3).count_up_to(1)).unwrap();
    assert_eq!(page.hits.len(), 3);
    assert!(page.total > page.hits.len(), "{}", page.total);
    assert!(!page.total_is_exact);
    let last = index.search(&fentanyl().offset(3).limit(10).count_up_to(1)).unwrap();
    assert_eq!((last.total, last.total_is_exact, last.hits.len()), (5, true, 2));
}
