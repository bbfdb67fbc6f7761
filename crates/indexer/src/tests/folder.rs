//! The index folder: what is the index's own, where an index may be made, and a disk too
//! full to write to.

use super::*;

#[test]
fn the_index_files_are_recognised_by_name_and_nothing_else_is() {
    let (_corpus, index, _roots, indexer) = one_report_indexed();
    drop(indexer);
    for entry in std::fs::read_dir(index.path()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(is_index_file(&name), "{name} was written by the index");
    }
    let uuid = "0123456789abcdef0123456789abcdef";
    for ours in [
        "meta.json".to_string(),
        ".managed.json".into(),
        ".tantivy-writer.lock".into(),
        ".tantivy-meta.lock".into(),
        ".tmpA1b2C3".into(),
        format!("{uuid}.idx"),
        format!("{uuid}.store.temp"),
        format!("{uuid}.fieldnorm"),
        format!("{uuid}.17.del"),
    ] {
        assert!(is_index_file(&ours), "{ours}");
    }
    for theirs in [
        "quarterly-report-notes-for-the-editors-2024.json",
        "research-database-export-2024-final.store",
        "0123456789ABCDEF0123456789ABCDEF.idx",
        "0123456789abcdef0123456789abcdeg.idx",
        "0123456789abcdef0123456789abcdef.json",
        "0123456789abcdef0123456789abcdef.x.del",
        "0123456789abcdef0123456789abcdef.del",
        "notes.txt",
        "meta.json.bak",
        ".tmp",
    ] {
        assert!(!is_index_file(theirs), "{theirs}");
    }
}

#[test]
fn rebuild_never_deletes_files_the_index_did_not_write() {
    let (corpus, index, roots, indexer) = one_report_indexed();
    drop(indexer);
    let user_files = [
        "quarterly-report-notes-for-the-editors-2024.json",
        "research-database-export-2024-final.store",
    ];
    for name in user_files {
        write(index.path(), name, "the user's own work");
    }
    std::fs::write(index.path().join("meta.json"), "garbage").unwrap();
    let before = std::fs::read_dir(index.path()).unwrap().count();
    let err = Indexer::rebuild(index.path(), Options::default()).err().unwrap();
    match &err {
        Error::SharedFolder { others, .. } => assert_eq!(others, &user_files),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("was not deleted"), "{err}");
    // Nothing at all was deleted.
    assert_eq!(std::fs::read_dir(index.path()).unwrap().count(), before);

    // With the folder the index's own again, the rebuild goes through.
    for name in user_files {
        std::fs::rename(index.path().join(name), corpus.path().join(name)).unwrap();
    }
    let mut indexer = Indexer::rebuild(index.path(), Options::default()).unwrap();
    assert_eq!(indexer.update(&roots, |_| {}).unwrap().added, 1);
    for name in user_files {
        assert!(corpus.path().join(name).is_file());
    }
}

#[test]
fn an_index_is_made_only_in_a_folder_of_its_own() {
    let corpus = tempfile::tempdir().unwrap();
    write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
    // The folder of reports itself.
    let err = Indexer::open_or_create(corpus.path(), Options::default()).err().unwrap();
    assert!(matches!(&err, Error::NotAnIndexFolder { others, .. } if others == &["a.txt"]));
    assert!(Indexer::rebuild(corpus.path(), Options::default()).is_err());
    assert!(!corpus.path().join("meta.json").try_exists().unwrap());
    // A file.
    let err =
        Indexer::open_or_create(corpus.path().join("a.txt"), Options::default()).err().unwrap();
    assert!(matches!(err, Error::NotAFolder { .. }), "{err:?}");
    let err = Indexer::rebuild(corpus.path().join("a.txt"), Options::default()).err().unwrap();
    assert!(matches!(err, Error::NotAFolder { .. }), "{err:?}");
    // An empty folder that is then named as the folder of reports.
    let empty = tempfile::tempdir().unwrap();
    let mut indexer = Indexer::open_or_create(empty.path(), Options::default()).unwrap();
    let err = indexer.update(&[empty.path().to_path_buf()], |_| {}).unwrap_err();
    assert!(matches!(err, Error::CorpusIsIndex { .. }), "{err:?}");
}

#[test]
fn a_disk_with_too_little_free_space_is_refused_before_anything_is_written() {
    let (corpus, index, roots, indexer) = one_report_indexed();
    drop(indexer);
    write(corpus.path(), "b.txt", "Grain prices\n\nWheat rose.\n");
    // More than any disk has: the check, not the disk, is what is tested.
    let options = Options::default().min_free_disk(u64::MAX);
    let mut indexer = Indexer::open_or_create(index.path(), options).unwrap();
    let error = indexer.update(&roots, |_| {}).unwrap_err();
    assert!(matches!(error, crate::Error::DiskLow { needed: u64::MAX, .. }), "{error}");
    let message = error.to_string();
    assert!(message.contains(&index.path().display().to_string()), "{message}");
    assert!(!message.contains('\n'), "{message}");
    assert_eq!(indexer.indexed_files().unwrap().len(), 1, "the run wrote nothing");
}
