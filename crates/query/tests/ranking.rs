//! Ranking options, each measured against plain BM25 on the same index:
//! 1. The headline boost doubles the score of a headline match, and leaves a body match alone.
//! 2. The proximity bonus raises reports where the words stand together, and only those.
//! 3. The publisher's name is searched only when asked; `publisher:` scopes to it always.

use std::path::Path;

use dateline_indexer::{Indexer, Options};
use dateline_query::{HEADLINE_BOOST, Index, Query, Ranking};

fn index_of(root: &Path) -> (tempfile::TempDir, Index) {
    let dir = tempfile::tempdir().unwrap();
    let mut indexer = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
    indexer.update(&[root.to_path_buf()], |_| {}).unwrap();
    drop(indexer);
    let index = Index::open(dir.path()).unwrap();
    (dir, index)
}

/// Score by file name of every hit of `text` under `ranking`.
fn scores(index: &Index, text: &str, ranking: Ranking) -> Vec<(String, f32)> {
    let results = index.search(&Query::new(text).ranked_by(ranking).passages(0)).unwrap();
    let mut scores: Vec<(String, f32)> = results
        .hits
        .iter()
        .map(|h| (h.attribution.path.file_name().unwrap().to_string_lossy().into(), h.score))
        .collect();
    scores.sort_by(|a, b| a.0.cmp(&b.0));
    scores
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() <= 1e-4 * a.abs().max(b.abs())
}

#[test]
fn the_headline_boost_weighs_a_headline_match_and_only_it() {
    let corpus = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(corpus.path().join(name), text).unwrap();
    write(
        "headline.txt",
        "Cocoa talks resume in London\n\nDelegates met to discuss buffer stock rules.\n",
    );
    write(
        "body.txt",
        "Talks resume in London\n\nDelegates met to discuss cocoa buffer stock rules.\n",
    );
    write("other.txt", "Coffee quotas\n\nProducers met in London to discuss export quotas.\n");
    let (_dir, index) = index_of(corpus.path());

    let plain = scores(&index, "cocoa", Ranking::bm25());
    let boosted = scores(&index, "cocoa", Ranking::bm25().headline_boost(true));
    let names: Vec<&str> = plain.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["body.txt", "headline.txt"]);
    assert!(close(boosted[0].1, plain[0].1), "{boosted:?} vs {plain:?}");
    assert!(close(boosted[1].1, HEADLINE_BOOST * plain[1].1), "{boosted:?} vs {plain:?}");
}

#[test]
fn the_proximity_bonus_raises_only_reports_where_the_words_stand_together() {
    let corpus = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(corpus.path().join(name), text).unwrap();
    write(
        "near.txt",
        "Market report\n\nTraders said crude oil prices rose on Monday after the meeting.\n",
    );
    write(
        "far.txt",
        "Market report\n\nTraders said prices rose on Monday as crude stocks fell and oil demand grew.\n",
    );
    let (_dir, index) = index_of(corpus.path());

    let query = "crude oil prices";
    let plain = scores(&index, query, Ranking::bm25());
    let close_by = scores(&index, query, Ranking::bm25().proximity(true));
    assert_eq!(plain.len(), 2);
    assert_eq!((plain[0].0.as_str(), plain[1].0.as_str()), ("far.txt", "near.txt"));
    assert!(close(close_by[0].1, plain[0].1), "far: {close_by:?} vs {plain:?}");
    assert!(close_by[1].1 > plain[1].1 * 1.1, "near: {close_by:?} vs {plain:?}");
    // Quoted, the words are a phrase already: no bonus on top.
    let quoted = "\"crude oil prices\"";
    assert_eq!(
        scores(&index, quoted, Ranking::bm25().proximity(true)),
        scores(&index, quoted, Ranking::bm25())
    );
}

#[test]
fn the_publishers_name_is_searched_by_default_and_can_be_left_out() {
    let corpus = tempfile::tempdir().unwrap();
    dateline_fixtures::copy_bundled_reports(corpus.path());
    let (_dir, index) = index_of(corpus.path());
    let publishers = |query: Query| -> Vec<String> {
        let hits = index.search(&query).unwrap().hits;
        hits.into_iter().map(|h| h.attribution.publisher.unwrap_or_default()).collect()
    };
    let rio = ["The Rio Times"];

    // No bundled report's text holds both words; only its outlet's name does.
    let both_words = || Query::new("Rio Times").strict(true);
    assert_eq!(publishers(both_words()), rio);
    assert_eq!(publishers(both_words().ranked_by(Ranking::default().publisher(false))), [""; 0]);
    assert_eq!(publishers(Query::new("publisher:rio")), rio);
    assert_eq!(publishers(Query::new("fentanyl").publisher("rio times")), rio);
}
