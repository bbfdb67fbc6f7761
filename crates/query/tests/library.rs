//! The query crate as an embedder uses it:
//! 1. An open `Index` sees commits made after it was opened, once reloaded.
//! 2. One `Index` serves searches from several threads.
//! 3. Errors are typed: a missing index, a malformed query.

use std::path::Path;

use dateline_indexer::{Indexer, Options};
use dateline_query::{Error, Index, Query};
use proptest::strategy::Strategy;

fn seeds() -> tempfile::TempDir {
    let corpus = tempfile::tempdir().unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../index-data");
    for entry in std::fs::read_dir(bundled).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "txt") {
            std::fs::copy(&path, corpus.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    corpus
}

#[test]
fn an_open_index_sees_later_commits_after_reload() {
    let corpus = seeds();
    let dir = tempfile::tempdir().unwrap();
    let roots = [corpus.path().to_path_buf()];
    let mut indexer = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
    indexer.update(&roots, |_| {}).unwrap();

    let index = Index::open(dir.path()).unwrap();
    assert_eq!(index.num_reports(), 5);
    assert_eq!(index.search(&Query::new("dockers")).unwrap().total, 0);

    std::fs::write(corpus.path().join("strike.txt"), "Dock strike\n\nDockers walked out.\n")
        .unwrap();
    indexer.update(&roots, |_| {}).unwrap();
    index.reload().unwrap();
    assert_eq!(index.num_reports(), 6);
    let results = index.search(&Query::new("dockers")).unwrap();
    assert_eq!(results.total, 1);
    assert_eq!(results.hits[0].title, "Dock strike");
}

#[test]
fn one_index_serves_many_threads() {
    let corpus = seeds();
    let dir = tempfile::tempdir().unwrap();
    let mut indexer = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
    indexer.update(&[corpus.path().to_path_buf()], |_| {}).unwrap();
    drop(indexer);

    let index = Index::open(dir.path()).unwrap();
    let totals: Vec<usize> = std::thread::scope(|scope| {
        let workers: Vec<_> = ["fentanyl", "Daskal", "\"precursor chemicals\"", "-Taiwan"]
            .into_iter()
            .map(|text| {
                let index = &index;
                scope.spawn(move || index.search(&Query::new(text)).unwrap().total)
            })
            .collect();
        workers.into_iter().map(|worker| worker.join().unwrap()).collect()
    });
    assert_eq!(totals, [5, 2, 3, 3]);
}

#[test]
fn errors_are_typed() {
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(Index::open(empty.path()), Err(Error::NotFound { .. })));

    let err = bundled_index().search(&Query::new("title:(talks")).unwrap_err();
    assert!(matches!(&err, Error::Query { query, .. } if query == "title:(talks"), "{err}");
    assert_eq!(err.to_string(), "invalid query `title:(talks`: `(` without a matching `)`");
}

/// An index of the bundled reports, built once for all hostile-input tests of this file.
fn bundled_index() -> &'static Index {
    static INDEX: std::sync::OnceLock<(tempfile::TempDir, tempfile::TempDir, Index)> =
        std::sync::OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let corpus = seeds();
            let dir = tempfile::tempdir().unwrap();
            let mut indexer = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
            indexer.update(&[corpus.path().to_path_buf()], |_| {}).unwrap();
            drop(indexer);
            let index = Index::open(dir.path()).unwrap();
            (corpus, dir, index)
        })
        .2
}

/// A search either answers or says what is wrong with the query; anything else is a bug.
fn assert_answers_or_refuses(text: &str) {
    match bundled_index().search(&Query::new(text).passages(3)) {
        Ok(results) => {
            for hit in &results.hits {
                for passage in &hit.passages {
                    for range in &passage.highlights {
                        assert!(passage.text.get(range.clone()).is_some(), "{text:?}: {range:?}");
                    }
                }
            }
        }
        Err(Error::Query { reason, .. }) => assert!(!reason.is_empty() && !reason.contains('\n')),
        Err(other) => panic!("{text:?}: {other}"),
    }
}

#[test]
fn the_hostile_query_collection_is_answered_or_refused() {
    let collection = include_str!("hostile_queries.txt");
    let queries: Vec<&str> = collection.lines().filter(|line| !line.starts_with('#')).collect();
    assert!(queries.len() > 80);
    for query in queries {
        assert_answers_or_refuses(query);
    }
}

#[test]
fn huge_and_deep_queries_are_refused_quickly() {
    let many_words = "fentanyl ".repeat(5000);
    let err = bundled_index().search(&Query::new(many_words)).unwrap_err();
    assert!(err.to_string().contains("bytes long; the limit is"), "{err}");
    let deep = format!("{}fentanyl{}", "(".repeat(1000), ")".repeat(1000));
    let err = bundled_index().search(&Query::new(deep)).unwrap_err();
    assert!(err.to_string().contains("nested more than 32 deep"), "{err}");
    let nested_ok = format!("{}fentanyl{}", "(".repeat(30), ")".repeat(30));
    assert_eq!(bundled_index().search(&Query::new(nested_ok)).unwrap().total, 5);
    let control = "fentanyl\u{0}\u{7}\r\n\t\u{1b}";
    assert_eq!(bundled_index().search(&Query::new(control)).unwrap().total, 5);
    assert_answers_or_refuses("fentanyl \u{1b}[31m");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Random strings built from the characters the grammar gives meaning to, and words
    /// that occur in the reports.
    #[test]
    fn any_query_is_answered_or_refused(
        parts in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::sample::select(vec![
                    "fentanyl", "Daskal", "precursor", "chemicals", "China", "OR", "AND", "NOT",
                    "title:", "body:", "publisher:", "date:", "nope:", "2024-01-31", "TO", "*",
                ]).prop_map(str::to_string),
                "[\"()\\[\\]{}:^~*+\\-!\\\\ '/]{1,3}",
                "\\PC{1,4}",
            ],
            0..12,
        )
    ) {
        assert_answers_or_refuses(&parts.join(" "));
        assert_answers_or_refuses(&parts.concat());
    }
}
