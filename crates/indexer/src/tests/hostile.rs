//! Files that fight back: links out of the folders, kernel file systems, FIFOs, files that
//! grow or block while they are read.

use super::*;

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
