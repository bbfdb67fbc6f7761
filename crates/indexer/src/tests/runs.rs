//! Runs over time: incremental updates, repair, rebuild, and the writer's lock.

use super::*;

#[test]
fn second_writer_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let _first = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
    let second = Indexer::open_or_create(dir.path(), Options::default());
    assert!(matches!(second, Err(Error::Locked { .. })), "{:?}", second.err());
}

#[test]
fn incremental_runs_touch_only_what_changed() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
    write(corpus.path(), "b.md", "Grain prices\n\nWheat rose.\n");
    write(corpus.path(), "ignored.pdf", "not a report");
    write(corpus.path(), "empty.txt", " \n");
    let roots = [corpus.path().to_path_buf()];
    let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();

    let first = indexer.update(&roots, |_| {}).unwrap();
    assert_eq!((first.added, first.changed, first.removed, first.unchanged), (2, 0, 0, 0));
    assert_eq!(first.skipped.len(), 1);
    assert_eq!(first.skipped[0].reason, Skip::Empty);

    let again = indexer.update(&roots, |_| {}).unwrap();
    assert_eq!((again.added, again.changed, again.removed, again.unchanged), (0, 0, 0, 2));
    assert!(!again.committed);

    write(corpus.path(), "a.txt", "Port strike ends\n\nDockers returned to work.\n");
    std::fs::remove_file(corpus.path().join("b.md")).unwrap();
    write(corpus.path(), "c.txt", "Oil output\n\nOPEC met.\n");
    let third = indexer.update(&roots, |_| {}).unwrap();
    assert_eq!((third.added, third.changed, third.removed, third.unchanged), (1, 1, 1, 0));
    assert_eq!(indexer.indexed_files().unwrap().len(), 2);
}

#[test]
fn a_report_indexed_twice_is_repaired_by_the_next_run() {
    let (corpus, _index, roots, mut indexer) = one_report_indexed();
    // What a lost delete leaves: a second document for the same file.
    let key = std::fs::canonicalize(corpus.path().join("a.txt")).unwrap();
    let candidate = walk::stat_all(vec![key]).pop().unwrap().unwrap();
    let bytes = std::fs::read(&candidate.path).unwrap();
    let file = ingest::ingest_bytes(&candidate.key, &bytes, usize::MAX).unwrap();
    let stamp =
        FileStamp { len: candidate.len, mtime_ns: candidate.mtime_ns, content_hash: file.hash };
    indexer
        .writer
        .add_document(file.reports[0].to_document(&indexer.fields, &stamp, &Default::default()))
        .unwrap();
    indexer.commit(indexer.manifest.clone()).unwrap();
    let count = |indexer: &Indexer| {
        let reader = indexer.index.reader().unwrap();
        reader.searcher().num_docs()
    };
    assert_eq!(count(&indexer), 2);
    let summary = indexer.update(&roots, |_| {}).unwrap();
    assert_eq!((summary.added, summary.changed, summary.unchanged), (0, 0, 1));
    assert_eq!(count(&indexer), 1);
}

#[test]
fn touched_file_is_confirmed_unchanged_by_hash() {
    let (corpus, _index, roots, mut indexer) = one_report_indexed();
    let file = std::fs::File::options().write(true).open(corpus.path().join("a.txt")).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5)).unwrap();
    let summary = indexer.update(&roots, |_| {}).unwrap();
    assert_eq!((summary.added, summary.changed, summary.unchanged), (0, 0, 1));
}

#[test]
fn missing_corpus_and_file_corpus_are_errors() {
    let index = tempfile::tempdir().unwrap();
    let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
    let missing = indexer.update(&[index.path().join("nope")], |_| {});
    assert!(matches!(missing, Err(Error::Corpus { .. })));
    let file = index.path().join("file.txt");
    std::fs::write(&file, "x").unwrap();
    let err = indexer.update(&[file], |_| {}).unwrap_err();
    assert!(err.to_string().contains("is a file, not a folder"), "{err}");
}

#[test]
fn rebuild_recovers_a_damaged_index() {
    let (_corpus, index, roots, indexer) = one_report_indexed();
    drop(indexer);
    std::fs::write(index.path().join("meta.json"), "garbage").unwrap();
    assert!(Indexer::open_or_create(index.path(), Options::default()).is_err());
    let mut indexer = Indexer::rebuild(index.path(), Options::default()).unwrap();
    let summary = indexer.update(&roots, |_| {}).unwrap();
    assert_eq!(summary.added, 1);
}

#[test]
fn an_update_of_changed_paths_visits_them_alone_and_leaves_what_a_whole_update_would() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(corpus.path()).unwrap();
    for folder in ["sub", "gone"] {
        std::fs::create_dir(root.join(folder)).unwrap();
    }
    write(&root, "a.txt", "Port strike\n\nDockers walked out.\n");
    // Named like a prefix of `a`'s path, and of `sub`'s: in the ranges read, never in the parts.
    write(&root, "a-b.txt", "Grain prices\n\nWheat rose.\n");
    write(&root, "sub-x.txt", "Copper output\n\nMines reopened.\n");
    write(&root, "b.txt", "Oil output\n\nOPEC met.\n");
    write(&root, "sub/c.txt", "Rail fares\n\nFares rise in March.\n");
    write(&root, "sub/d.txt", "Coffee quotas\n\nTalks failed.\n");
    write(&root, "gone/f.txt", "Tin council\n\nCreditors met.\n");
    let roots = [root.clone()];
    let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
    assert_eq!(indexer.update(&roots, |_| {}).unwrap().added, 7);
    let before = indexer.indexed_files().unwrap();

    write(&root, "a.txt", "Port strike ends\n\nDockers returned to work.\n");
    write(&root, "sub/e.txt", "Sugar prices\n\nRaw sugar fell.\n");
    std::fs::remove_file(root.join("sub/d.txt")).unwrap();
    std::fs::remove_dir_all(root.join("gone")).unwrap();
    // Changed, but not said to be: an update of the changed paths must not see it.
    write(&root, "b.txt", "Oil output rises\n\nOPEC members pumped more.\n");
    let changed =
        [root.join("a.txt"), root.join("sub/e.txt"), root.join("sub/d.txt"), root.join("gone")];
    let summary = indexer.update_changed(&roots, &changed, |_| {}).unwrap();
    assert_eq!(
        (summary.added, summary.changed, summary.removed, summary.unchanged),
        (1, 1, 2, 0),
        "{summary:?}"
    );
    assert!(summary.committed);
    let after = indexer.indexed_files().unwrap();
    let key = |name: &str| root.join(name).to_str().unwrap().to_string();
    assert_eq!(after[&key("b.txt")], before[&key("b.txt")], "b.txt was visited");
    assert!(after.contains_key(&key("sub/e.txt")) && !after.contains_key(&key("sub/d.txt")));
    assert!(!after.contains_key(&key("gone/f.txt")));
    for untouched in ["a-b.txt", "sub-x.txt", "sub/c.txt"] {
        assert_eq!(after[&key(untouched)], before[&key(untouched)], "{untouched}");
    }

    // A whole update finds only what was left out: the changed paths were brought up to date.
    let whole = indexer.update(&roots, |_| {}).unwrap();
    assert_eq!((whole.added, whole.changed, whole.removed, whole.unchanged), (0, 1, 0, 5));
}

#[test]
fn an_update_of_changed_paths_of_an_index_of_other_folders_updates_the_whole() {
    let (corpus, _index, _roots, mut indexer) = one_report_indexed();
    let other = tempfile::tempdir().unwrap();
    write(other.path(), "b.txt", "Grain prices\n\nWheat rose.\n");
    let roots = [corpus.path().to_path_buf(), other.path().to_path_buf()];
    // Nothing under the new folder is named as changed: only a whole update finds b.txt.
    let summary = indexer.update_changed(&roots, &[corpus.path().join("a.txt")], |_| {}).unwrap();
    assert_eq!((summary.added, summary.unchanged), (1, 1));
}

#[test]
fn segments_larger_than_the_merge_cap_are_not_merged_again() {
    // Ten runs, each adding one bundled report (the five, then each again under a new
    // name), make ten one-report segments; eight of a size are what a merge waits for.
    let reports = dateline_fixtures::bundled_reports();
    assert_eq!(reports.len(), 5);
    let segments_after_ten_runs = |options: Options| {
        let corpus = tempfile::tempdir().unwrap();
        let index = tempfile::tempdir().unwrap();
        let roots = [corpus.path().to_path_buf()];
        for run in 0..10 {
            let name = format!("run-{run}.txt");
            std::fs::copy(&reports[run % 5], corpus.path().join(name)).unwrap();
            let mut indexer = Indexer::open_or_create(index.path(), options.clone()).unwrap();
            assert_eq!(indexer.update(&roots, |_| {}).unwrap().added, 1);
            indexer.finish().unwrap();
        }
        let index = tantivy::Index::open_in_dir(index.path()).unwrap();
        let segments = index.searchable_segment_metas().unwrap();
        assert_eq!(segments.iter().map(|s| s.num_docs()).sum::<u32>(), 10);
        segments.len()
    };
    assert!(segments_after_ten_runs(Options::default()) < 10);
    assert_eq!(segments_after_ten_runs(Options::default().max_merge_docs(0)), 10);
}

#[test]
fn a_run_ends_by_merging_small_segments_unless_one_outweighs_the_rest() {
    let reports = dateline_fixtures::bundled_reports();
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    let roots = [corpus.path().to_path_buf()];
    let segments = || {
        let opened = tantivy::Index::open_in_dir(index.path()).unwrap();
        let metas = opened.searchable_segment_metas().unwrap();
        // No file of a merged segment is left behind.
        let live: std::collections::BTreeSet<String> =
            metas.iter().map(|s| s.id().uuid_string()).collect();
        let on_disk: std::collections::BTreeSet<String> = std::fs::read_dir(index.path())
            .unwrap()
            .filter_map(|entry| entry.unwrap().file_name().into_string().ok())
            .filter_map(|name| Some(name.split_once('.')?.0.to_string()))
            .filter(|stem| stem.len() == 32)
            .collect();
        assert_eq!(on_disk, live);
        let mut docs: Vec<u32> = metas.iter().map(|s| s.num_docs()).collect();
        docs.sort_unstable();
        docs
    };
    let run = |names: &[String]| {
        for (name, report) in names.iter().zip(reports.iter().cycle()) {
            std::fs::copy(report, corpus.path().join(name)).unwrap();
        }
        let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
        assert_eq!(indexer.update(&roots, |_| {}).unwrap().added, names.len());
        indexer
    };
    let named = |prefix: &str, count: usize| -> Vec<String> {
        (0..count).map(|n| format!("{prefix}-{n}.txt")).collect()
    };
    run(&named("first", 5)).finish().unwrap();
    let second = run(&named("second", 5));
    // Two runs' commits: segments of each, too few for the merge policy.
    assert!(segments().len() >= 2, "{:?}", segments());
    second.finish().unwrap();
    assert_eq!(segments(), [10]);
    // One report more: rewriting the ten to add it would cost ten times what the run wrote.
    run(&named("third", 1)).finish().unwrap();
    assert_eq!(segments(), [1, 10]);
}
