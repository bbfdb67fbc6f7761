//! Copies and stories as the indexer gives them, and the switch that turns them off.

use super::*;

/// The distinct copy groups and stories of the index in `dir`, from their fast columns.
fn groups_and_stories(dir: &Path) -> (usize, usize) {
    let index = tantivy::Index::open_in_dir(dir).unwrap();
    let searcher = index.reader().unwrap().searcher();
    let (mut groups, mut stories) =
        (std::collections::HashSet::new(), std::collections::HashSet::new());
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let (group, story) =
            (fast.u64(names::COPY_GROUP).unwrap(), fast.u64(names::STORY).unwrap());
        for doc in segment.doc_ids_alive() {
            groups.insert(group.first(doc).unwrap());
            stories.insert(story.first(doc).unwrap());
        }
    }
    (groups.len(), stories.len())
}

#[test]
fn grouping_off_leaves_every_report_alone() {
    // The five bundled reports (one story) and a reprint of one of them (its copy).
    let corpus = tempfile::tempdir().unwrap();
    dateline_fixtures::copy_bundled_reports(corpus.path());
    let original = std::fs::read(corpus.path().join("003_63e613daaea22d0e.txt")).unwrap();
    std::fs::write(corpus.path().join("reprint.txt"), original).unwrap();
    let roots = [corpus.path().to_path_buf()];
    let built = |grouping: bool| {
        let index = tempfile::tempdir().unwrap();
        let options = Options::default().grouping(grouping);
        let mut indexer = Indexer::open_or_create(index.path(), options).unwrap();
        assert_eq!(indexer.update(&roots, |_| {}).unwrap().added, 6);
        indexer.finish().unwrap();
        groups_and_stories(index.path())
    };
    assert_eq!(built(true), (5, 1));
    // Off, each report starts its own group and story; a story's id is a hash of its first
    // report's text and date, so the reprint, of the same text and date, names the same one.
    assert_eq!(built(false), (6, 5));
}
