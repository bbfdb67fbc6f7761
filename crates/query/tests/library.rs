//! The query crate as an embedder uses it:
//! 1. An open `Index` sees commits made after it was opened, once reloaded.
//! 2. One `Index` serves searches from several threads.
//! 3. Errors are typed: a missing index, a malformed query.

use std::path::Path;

use dateline_indexer::{Indexer, Options};
use dateline_query::{Error, Index, Query};

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

    let corpus = seeds();
    let dir = tempfile::tempdir().unwrap();
    let mut indexer = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
    indexer.update(&[corpus.path().to_path_buf()], |_| {}).unwrap();
    let index = Index::open(dir.path()).unwrap();
    let err = index.search(&Query::new("title:(talks")).unwrap_err();
    assert!(matches!(&err, Error::Query { query, .. } if query == "title:(talks"), "{err}");
    assert_eq!(err.to_string(), "invalid query `title:(talks`: `(` without a matching `)`");
}
