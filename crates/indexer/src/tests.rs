//! The indexer as a whole, on real folders and real indexes.

use std::path::{Path, PathBuf};

use dateline_schema::{FileStamp, names};

use crate::folder::is_index_file;
use crate::*;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// A corpus of one report (`a.txt`), indexed: corpus, index folder, roots, indexer.
fn one_report_indexed() -> (tempfile::TempDir, tempfile::TempDir, [PathBuf; 1], Indexer) {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
    let roots = [corpus.path().to_path_buf()];
    let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
    indexer.update(&roots, |_| {}).unwrap();
    (corpus, index, roots, indexer)
}

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
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
    let roots = [corpus.path().to_path_buf()];
    {
        let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
        indexer.update(&roots, |_| {}).unwrap();
    }
    std::fs::write(index.path().join("meta.json"), "garbage").unwrap();
    assert!(Indexer::open_or_create(index.path(), Options::default()).is_err());
    let mut indexer = Indexer::rebuild(index.path(), Options::default()).unwrap();
    let summary = indexer.update(&roots, |_| {}).unwrap();
    assert_eq!(summary.added, 1);
}

/// Runs `update` on a thread and fails the test, instead of hanging it, if the run
/// takes longer than `secs`; `unblock` is called first, to free a blocked run.
fn update_within(
    secs: u64,
    mut indexer: Indexer,
    roots: Vec<PathBuf>,
    on_scanned: impl FnMut() + Send + 'static,
    unblock: impl FnOnce(),
) -> (Indexer, Summary) {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut on_scanned = on_scanned;
        let summary = indexer.update(&roots, |event| {
            if let Event::Scanned { .. } = event {
                on_scanned();
            }
        });
        let _ = sender.send((indexer, summary));
    });
    match receiver.recv_timeout(std::time::Duration::from_secs(secs)) {
        Ok((indexer, summary)) => (indexer, summary.unwrap()),
        Err(_) => {
            unblock();
            panic!("the run did not finish within {secs} s");
        }
    }
}

/// A FIFO made by a system call, not by spawning `mkfifo`: a child forked while another test
/// drops its writer shares the writer's lock file until it execs, and that test's next open
/// then finds the index locked.
fn mkfifo(path: &Path) -> bool {
    use rustix::fs::{CWD, FileType, Mode, mknodat};
    mknodat(CWD, path, FileType::Fifo, Mode::from_raw_mode(0o600), 0).is_ok()
}

fn kinds(summary: &Summary) -> Vec<&'static str> {
    let mut kinds: Vec<_> = summary.skipped.iter().map(|s| s.reason.kind()).collect();
    kinds.sort();
    kinds
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_folders_are_skipped_unless_asked_and_their_reports_removed() {
    let (corpus, index, roots, indexer) = one_report_indexed();
    drop(indexer);
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.txt", "Private notes\n\nNot a report of ours.\n");
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), corpus.path().join("passwd.txt"))
        .unwrap();
    std::os::unix::fs::symlink(outside.path(), corpus.path().join("etclink")).unwrap();
    // A link that stays inside is followed as before.
    std::os::unix::fs::symlink(corpus.path().join("a.txt"), corpus.path().join("b.txt")).unwrap();

    let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
    let summary = indexer.update(&roots, |_| {}).unwrap();
    assert_eq!((summary.added, summary.unchanged), (0, 1), "{summary:?}");
    assert_eq!(kinds(&summary), ["outside", "outside"]);
    let target = std::fs::canonicalize(outside.path()).unwrap();
    assert!(summary.skipped.iter().any(|s| s.path.ends_with("etclink")
        && s.reason == Skip::OutsideFolders { target: target.clone() }));
    drop(indexer);

    // Asked: followed; the file reached twice (file link, folder link) is one report.
    let options = Options::default().follow_outside(true);
    let mut indexer = Indexer::open_or_create(index.path(), options).unwrap();
    let summary = indexer.update(&roots, |_| {}).unwrap();
    assert_eq!((summary.added, summary.unchanged, summary.skipped.len()), (1, 1, 0));
    drop(indexer);

    // Not asked again: the report behind the link is removed, not kept.
    let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
    let summary = indexer.update(&roots, |_| {}).unwrap();
    assert_eq!((summary.removed, summary.unchanged), (1, 1), "{summary:?}");
    assert_eq!(indexer.indexed_files().unwrap().len(), 1);
}

#[cfg(target_os = "linux")]
#[test]
fn kernel_file_systems_are_never_read_even_when_following_outside() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
    std::os::unix::fs::symlink("/proc/version", corpus.path().join("version.txt")).unwrap();
    std::os::unix::fs::symlink("/proc/kmsg", corpus.path().join("kmsg.txt")).unwrap();
    // Without end (sysfs links back into itself) before: now refused at the door.
    std::os::unix::fs::symlink("/sys", corpus.path().join("sys")).unwrap();
    std::os::unix::fs::symlink("/proc/self", corpus.path().join("self")).unwrap();
    let options = Options::default().follow_outside(true);
    let indexer = Indexer::open_or_create(index.path(), options).unwrap();
    let (_, summary) = update_within(60, indexer, vec![corpus.path().to_path_buf()], || {}, || {});
    assert_eq!(summary.added, 1, "{summary:?}");
    assert_eq!(kinds(&summary), ["special", "special", "special", "special"], "{summary:?}");
}

#[cfg(unix)]
#[test]
fn a_fifo_put_in_place_of_a_report_after_the_walk_does_not_block_the_run() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
    write(corpus.path(), "b.txt", "Grain prices\n\nWheat rose.\n");
    let swapped = corpus.path().join("a.txt");
    // A FIFO named like a report is reported, never opened.
    assert!(mkfifo(&corpus.path().join("pipe.md")));
    let indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
    let in_walk = swapped.clone();
    let (_, summary) = update_within(
        30,
        indexer,
        vec![corpus.path().to_path_buf()],
        move || {
            std::fs::remove_file(&in_walk).unwrap();
            assert!(mkfifo(&in_walk));
        },
        // Opening the FIFO for writing frees a reader blocked on it.
        || drop(std::fs::OpenOptions::new().write(true).open(&swapped)),
    );
    assert_eq!(summary.added, 1, "{summary:?}");
    assert_eq!(kinds(&summary), ["special", "special"], "{summary:?}");
    assert!(summary.skipped.iter().all(|s| s.reason.to_string().contains("FIFO")));
}

#[test]
fn a_file_that_grows_during_the_run_is_held_to_the_size_limit() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
    let growing = corpus.path().join("growing.txt");
    write(corpus.path(), "growing.txt", "Live blog\n\nFirst entry.\n");
    let options = Options::default().max_file_size(1000);
    let mut indexer = Indexer::open_or_create(index.path(), options).unwrap();
    let summary = indexer
        .update(&[corpus.path().to_path_buf()], |event| {
            // Walked and measured small; grows before it is read.
            if let Event::Scanned { .. } = event {
                let mut file = std::fs::OpenOptions::new().append(true).open(&growing).unwrap();
                std::io::Write::write_all(&mut file, "More news.\n".repeat(1000).as_bytes())
                    .unwrap();
            }
        })
        .unwrap();
    assert_eq!(summary.added, 1, "{summary:?}");
    assert_eq!(summary.skipped.len(), 1, "{summary:?}");
    assert!(
        matches!(summary.skipped[0].reason, Skip::TooLarge { len, limit: 1000 } if len > 1000),
        "{summary:?}"
    );
}

#[test]
fn a_read_that_blocks_does_not_stall_the_run() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    write(corpus.path(), "a.txt", "Port strike\n\nDockers walked out.\n");
    write(corpus.path(), "stuck.txt", "On a hung network mount\n\nNever arrives.\n");
    write(corpus.path(), "z.txt", "Grain prices\n\nWheat rose.\n");
    let mut indexer = Indexer::open_or_create(index.path(), Options::default()).unwrap();
    // What a read from a hung network mount does; no local file system can show it.
    indexer.reader = read::TimedReader::new(
        std::sync::Arc::new(|path: &Path, limit| {
            if path.ends_with("stuck.txt") {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            }
            read::read_report(path, limit)
        }),
        std::time::Duration::from_millis(300),
    );
    let started = std::time::Instant::now();
    let summary = indexer.update(&[corpus.path().to_path_buf()], |_| {}).unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(summary.added, 2, "{summary:?}");
    assert_eq!(summary.skipped.len(), 1);
    assert!(summary.skipped[0].path.ends_with("stuck.txt"));
    assert_eq!(summary.skipped[0].reason, Skip::Stalled { seconds: 1 });
}

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
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../index-data");
    for entry in std::fs::read_dir(&bundled).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            std::fs::copy(&path, corpus.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let original = std::fs::read(bundled.join("003_63e613daaea22d0e.txt")).unwrap();
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
